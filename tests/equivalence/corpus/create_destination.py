"""Connect Mixpanel to the backend source, check it, then remove it again."""

import os

import requests

BASE = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
SOURCE = "backend"
AUTH = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def destination_name(slug):
    return f"workspaces/{WORKSPACE}/sources/{SOURCE}/destinations/{slug}"


def main():
    name = destination_name("mixpanel")
    body = {
        "destination": {
            "name": name,
            "connection_mode": "CLOUD",
            "enabled": True,
            "config": [
                {"name": name + "/config/token", "type": "string", "value": "mp-backend-token"},
                {"name": name + "/config/people", "type": "boolean", "value": False},
            ],
        }
    }
    resp = requests.post(f"{BASE}/workspaces/{WORKSPACE}/sources/{SOURCE}/destinations", json=body, headers=AUTH)
    resp.raise_for_status()
    created = resp.json()
    print("created:", created["display_name"], "enabled" if created["enabled"] else "disabled")
    for item in sorted(created["config"], key=lambda c: c["name"]):
        print("  ", item["name"].rsplit("/", 1)[-1], "=", item["value"])

    fetched = requests.get(f"{BASE}/workspaces/{WORKSPACE}/sources/{SOURCE}/destinations/mixpanel", headers=AUTH)
    print("fetched:", fetched.status_code, fetched.json()["display_name"])

    gone = requests.delete(f"{BASE}/workspaces/{WORKSPACE}/sources/{SOURCE}/destinations/mixpanel", headers=AUTH)
    print("deleted:", gone.status_code)
    again = requests.get(f"{BASE}/workspaces/{WORKSPACE}/sources/{SOURCE}/destinations/mixpanel", headers=AUTH)
    print("after delete:", again.status_code)


if __name__ == "__main__":
    main()
