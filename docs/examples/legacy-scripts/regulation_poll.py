"""GDPR request: suppress and delete two users, wait for the job, list suppressions."""

import os
import time

import requests

SEGMENT_API = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
POLL_SECONDS = 5


def headers():
    return {"Authorization": "Bearer {}".format(os.environ["SEGMENT_TOKEN"])}


def main():
    payload = {
        "regulation_type": "Suppress_With_Delete",
        "attributes": {"name": "userId", "values": ["user-100", "user-101"]},
    }
    resp = requests.post(f"{SEGMENT_API}/workspaces/{WORKSPACE}/regulations", json=payload, headers=headers())
    resp.raise_for_status()
    regulate_id = resp.json()["regulate_id"]

    polls = 0
    while True:
        polls += 1
        status = requests.get(
            f"{SEGMENT_API}/workspaces/{WORKSPACE}/regulations/{regulate_id}", headers=headers()
        ).json()["status"]
        print(f"poll {polls}: {status}")
        if status == "FINISHED":
            break
        time.sleep(POLL_SECONDS)

    resp = requests.get(f"{SEGMENT_API}/workspaces/{WORKSPACE}/suppressed-users", headers=headers(), params={"page_size": 10})
    suppressed = sorted(v for user in resp.json()["suppressed_users"] for v in user["attributes"]["values"])
    print("suppressed:", " ".join(suppressed))


if __name__ == "__main__":
    main()
