"""Rename the mobile tracking plan and replace its events (PUT with update_mask)."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
PLAN_ID = "rs_1AqjFLhQGTrpI7k3cipnSVF71n2"
HEADERS = {"Authorization": f"Bearer {os.environ['SEGMENT_TOKEN']}"}


def show(plan):
    events = ", ".join(sorted(e["name"] for e in plan["rules"]["events"]))
    print(f"{plan['display_name']}: {events}")


def main():
    url = f"{API}/workspaces/{WORKSPACE}/tracking-plans/{PLAN_ID}"
    show(requests.get(url, headers=HEADERS).json())
    update = {
        "update_mask": {"paths": ["tracking_plan.display_name", "tracking_plan.rules"]},
        "tracking_plan": {
            "display_name": "Mobile Events v2",
            "rules": {
                "events": [
                    {"name": "App Opened", "version": 2, "rules": {"type": "object"}},
                    {"name": "Push Received", "version": 1, "rules": {"type": "object"}},
                ]
            },
        },
    }
    resp = requests.put(url, json=update, headers=HEADERS)
    resp.raise_for_status()
    show(requests.get(url, headers=HEADERS).json())


if __name__ == "__main__":
    main()
