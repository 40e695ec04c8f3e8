"""Destination settings of the iOS app, URLs split over implicitly concatenated f-strings."""

import os

import requests

HOST = "https://platform.segmentapis.com"
WORKSPACE = "acme"
SOURCE = "ios-app"


def main():
    token = os.environ["SEGMENT_TOKEN"]
    url = (
        f"{HOST}/v1beta/"
        f"workspaces/{WORKSPACE}/"
        f"sources/{SOURCE}/destinations"
    )
    resp = requests.get(url, headers={"Authorization": f"Bearer {token}"})
    resp.raise_for_status()
    for dest in sorted(resp.json().get("destinations", []), key=lambda d: d.get("display_name")):
        config = dest.get("config") or []
        keys = sorted(item.get("name", "").split("/")[-1] for item in config)
        print(f"{dest.get('display_name')}: {'enabled' if dest.get('enabled') else 'disabled'}; settings {', '.join(keys)}")


if __name__ == "__main__":
    main()
