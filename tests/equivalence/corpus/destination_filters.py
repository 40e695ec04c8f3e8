"""Destination filters on the website's Google Analytics: list, add, disable, remove."""

import os

import requests

FILTERS = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics/filters"
AUTH = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def titles():
    resp = requests.get(FILTERS, headers=AUTH)
    resp.raise_for_status()
    return sorted((f["title"], f["enabled"]) for f in resp.json()["filters"])


def main():
    print("filters:", titles())
    new = {
        "filter": {
            "title": "Keep only plan",
            "description": "",
            "if": 'event = "Signed Up"',
            "actions": [{"type": "whitelist_fields", "fields": {"properties": {"fields": ["plan"]}}}],
            "enabled": True,
        }
    }
    created = requests.post(FILTERS, json=new, headers=AUTH).json()
    filter_id = created["name"].split("/")[-1]
    print("created:", created["title"], [a["type"] for a in created["actions"]])

    patch = {"filter": {"enabled": False}, "update_mask": {"paths": ["enabled"]}}
    patched = requests.patch(f"{FILTERS}/{filter_id}", json=patch, headers=AUTH).json()
    print("enabled after patch:", patched["enabled"])

    requests.delete(f"{FILTERS}/{filter_id}", headers=AUTH).raise_for_status()
    print("filters:", titles())


if __name__ == "__main__":
    main()
