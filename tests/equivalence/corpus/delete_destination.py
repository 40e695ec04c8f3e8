"""Remove the Slack destination from the backend source; deleting twice is reported."""

import os

import requests

TOKEN = os.environ["SEGMENT_TOKEN"]
SOURCE_URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/backend"


def remove(slug):
    resp = requests.delete(SOURCE_URL + "/destinations/" + slug, headers={"Authorization": "Bearer " + TOKEN})
    if resp.status_code == 404:
        print(slug, "was already removed")
        return False
    resp.raise_for_status()
    print(slug, "removed")
    return True


def main():
    remove("slack")
    remove("slack")
    resp = requests.get(SOURCE_URL + "/destinations", headers={"Authorization": "Bearer " + TOKEN})
    left = sorted(d["name"].split("/")[-1] for d in resp.json()["destinations"])
    print("backend still sends to:", ", ".join(left))


if __name__ == "__main__":
    main()
