"""Destinations of two sources, gathered in one list and sorted by name (the
Config names hold the source, so they group by source); each source's own
list sorted by name too."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def destinations(source):
    url = f"{API}/workspaces/acme/sources/{source}/destinations"
    return requests.get(url, headers=HEADERS, params={"page_size": 10}).json()["destinations"]


def main():
    gathered = []
    for source in ("web", "ios-app"):
        gathered += destinations(source)
        one = destinations(source)
        print(source, [d["display_name"] for d in sorted(one, key=lambda d: d["name"])])
    for d in sorted(gathered, key=lambda d: d["name"]):
        print(f"{d['display_name']:20} {d['enabled']}")


if __name__ == "__main__":
    main()
