"""Inventory of the workspace's sources, one line per source."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
TOKEN = os.environ["SEGMENT_TOKEN"]
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def list_sources():
    sources = []
    page_token = ""
    while True:
        params = {"page_size": 2}
        if page_token:
            params["page_token"] = page_token
        resp = requests.get(f"{API}/workspaces/{WORKSPACE}/sources", headers=HEADERS, params=params)
        resp.raise_for_status()
        body = resp.json()
        sources.extend(body["sources"])
        page_token = body.get("next_page_token", "")
        if not page_token:
            break
    return sources


def main():
    sources = list_sources()
    for source in sorted(sources, key=lambda s: s["name"]):
        slug = source["name"].split("/")[-1]
        catalog = source["catalog_name"].split("/")[-1]
        print(f"{slug:16} {source['display_name']:16} {catalog}")
    print(f"{len(sources)} sources")


if __name__ == "__main__":
    main()
