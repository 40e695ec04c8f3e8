"""Create a checkout tracking plan with rules, read it back, then delete it."""

import json
import os

import requests

PLANS_URL = "https://platform.segmentapis.com/v1beta/workspaces/%s/tracking-plans"
PLAN_URL = "https://platform.segmentapis.com/v1beta/workspaces/%s/tracking-plans/%s"
WORKSPACE = "acme"
HEADERS = {"Authorization": "Bearer %s" % os.environ["SEGMENT_TOKEN"], "Content-Type": "application/json"}

EVENT_SCHEMA = {"type": "object", "properties": {"properties": {"type": "object"}}}


def main():
    plan = {
        "tracking_plan": {
            "display_name": "Checkout",
            "rules": {
                "events": [
                    {"name": "Cart Viewed", "description": "", "version": 1, "rules": EVENT_SCHEMA},
                    {"name": "Payment Failed", "description": "", "version": 3, "rules": EVENT_SCHEMA},
                ],
                "identify": {"type": "object", "properties": {"traits": {"type": "object"}}},
            },
        }
    }
    resp = requests.post(PLANS_URL % WORKSPACE, data=json.dumps(plan), headers=HEADERS)
    resp.raise_for_status()
    plan_id = resp.json()["name"].split("/")[-1]

    created = requests.get(PLAN_URL % (WORKSPACE, plan_id), headers=HEADERS).json()
    print("plan:", created["display_name"])
    for event in sorted(created["rules"]["events"], key=lambda e: e["name"]):
        print("  event %s (v%d)" % (event["name"], event["version"]))
    print("  identify rules:", "yes" if created["rules"].get("identify") else "no")

    requests.delete(PLAN_URL % (WORKSPACE, plan_id), headers=HEADERS).raise_for_status()
    names = [p["display_name"] for p in requests.get(PLANS_URL % WORKSPACE, headers=HEADERS).json()["tracking_plans"]]
    print("still listed:", "Checkout" in names)


if __name__ == "__main__":
    main()
