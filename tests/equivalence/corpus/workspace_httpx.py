"""Workspace summary with httpx and a base_url without a trailing slash."""

import os

import httpx

WORKSPACE = os.environ.get("SEGMENT_WORKSPACE", "acme")


def count_sources(client):
    total, token = 0, None
    while True:
        params = {"page_size": 2}
        if token:
            params["page_token"] = token
        body = client.get(f"/workspaces/{WORKSPACE}/sources", params=params).json()
        total += len(body["sources"])
        token = body["next_page_token"]
        if token == "":
            return total


def main():
    headers = {"Authorization": "Bearer {}".format(os.environ["SEGMENT_TOKEN"])}
    with httpx.Client(base_url="https://platform.segmentapis.com/v1beta", headers=headers) as client:
        resp = client.get(f"/workspaces/{WORKSPACE}")
        resp.raise_for_status()
        workspace = resp.json()
        print("workspace:", workspace["display_name"])
        print("slug:", workspace["name"].replace("workspaces/", ""))
        print("id:", workspace["id"])
        print("sources:", count_sources(client))


if __name__ == "__main__":
    main()
