"""Enabled sources only: the response is filtered in place before it is read."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def enabled_sources(workspace):
    body = requests.get(f"{API}/workspaces/{workspace}/sources", headers=HEADERS, params={"page_size": 50}).json()
    body["sources"] = [s for s in body["sources"] if s.get("enabled", True)]
    return body


def main():
    body = enabled_sources("acme")
    for source in sorted(body["sources"], key=lambda s: s["name"]):
        print(source["name"].split("/")[-1], source["display_name"], source["catalog_name"].split("/")[-1])
    print("more pages" if "next_page_token" in body and body["next_page_token"] else "last page")


if __name__ == "__main__":
    main()
