"""Deploy smoke test: can our token still reach every resource the pipeline relies on?"""

import os
import sys

import requests

API = "https://platform.segmentapis.com/v1beta"
CHECKS = [
    ("workspace", "/workspaces/acme"),
    ("website source", "/workspaces/acme/sources/web"),
    ("backend source", "/workspaces/acme/sources/backend"),
    ("GA on the website", "/workspaces/acme/sources/web/destinations/google-analytics"),
    ("web tracking plan", "/workspaces/acme/tracking-plans/rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ"),
]


def main():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + os.environ["SEGMENT_TOKEN"]
    failures = 0
    for label, path in CHECKS:
        resp = session.get(API + path, timeout=10)
        if resp.ok:
            print(f"ok      {label}")
        else:
            failures += 1
            print(f"FAILED  {label}: HTTP {resp.status_code}")
    print(f"{len(CHECKS) - failures}/{len(CHECKS)} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
