"""Which sources each tracking plan governs; connect and disconnect the backend."""

import os

import requests

BASE_URL = "https://platform.segmentapis.com/v1beta"
WS = "acme"
session = requests.Session()
session.headers["Authorization"] = f"Bearer {os.environ['SEGMENT_TOKEN']}"


def all_plans():
    plans, token = [], ""
    while True:
        resp = session.get(f"{BASE_URL}/workspaces/{WS}/tracking-plans", params={"page_size": 2, "page_token": token})
        resp.raise_for_status()
        data = resp.json()
        plans += data["tracking_plans"]
        token = data["next_page_token"]
        if not token:
            return plans


def connected(plan_id):
    resp = session.get(f"{BASE_URL}/workspaces/{WS}/tracking-plans/{plan_id}/source-connections")
    return sorted(c["source_name"].split("/")[-1] for c in resp.json()["connections"])


def main():
    plans = {p["display_name"]: p["name"].split("/")[-1] for p in all_plans()}
    for title in sorted(plans):
        print(f"{title}: {', '.join(connected(plans[title])) or '-'}")

    web = plans["Web Events"]
    body = {"source_name": f"workspaces/{WS}/sources/backend"}
    session.post(f"{BASE_URL}/workspaces/{WS}/tracking-plans/{web}/source-connections", json=body).raise_for_status()
    print("after connect:", ", ".join(connected(web)))
    session.delete(f"{BASE_URL}/workspaces/{WS}/tracking-plans/{web}/source-connections/backend").raise_for_status()
    print("after disconnect:", ", ".join(connected(web)))


if __name__ == "__main__":
    main()
