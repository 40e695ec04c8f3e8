"""Decommission old integrations: delete them, and report what was already gone."""

import os

import httpx

BASE_URL = "https://platform.segmentapis.com/v1beta/"


def delete(client, source, destination):
    resp = client.delete(f"workspaces/acme/sources/{source}/destinations/{destination}")
    if resp.status_code == 404:
        return "already gone"
    resp.raise_for_status()
    return "deleted"


def main():
    headers = {"Authorization": f"Bearer {os.environ['SEGMENT_TOKEN']}"}
    with httpx.Client(base_url=BASE_URL, headers=headers, timeout=10.0) as client:
        print("backend/slack:", delete(client, "backend", "slack"))
        print("android-app/mixpanel:", delete(client, "android-app", "mixpanel"))
        print("backend/slack:", delete(client, "backend", "slack"))
        check = client.get("workspaces/acme/sources/android-app/destinations/mixpanel")
        print("android-app/mixpanel now answers", check.status_code)


if __name__ == "__main__":
    main()
