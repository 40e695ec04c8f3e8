"""Every workspace this token can see, with its source count."""

import os

import requests

PLATFORM_API = "https://platform.segmentapis.com/v1beta"


def main():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + os.environ["SEGMENT_TOKEN"]
    workspaces = session.get(f"{PLATFORM_API}/workspaces").json()["workspaces"]
    for workspace in sorted(workspaces, key=lambda w: w["display_name"]):
        slug = workspace["name"].split("/")[-1]
        print(f"{workspace['display_name']} [{slug}]")


if __name__ == "__main__":
    main()
