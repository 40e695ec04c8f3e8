"""Print a CSV of the workspace's sources and their write keys.

    python sync_sources.py > sources.csv
"""

import csv
import sys

import httpx

from settings import DEFAULT_HEADERS, SEGMENT_API, SOURCES_PATH


def fetch_sources(client):
    resp = client.get(SOURCES_PATH, params={"page_size": 100})
    resp.raise_for_status()
    return resp.json()["sources"]


def main():
    writer = csv.writer(sys.stdout)
    writer.writerow(["slug", "name", "write_key", "created"])
    with httpx.Client(base_url=SEGMENT_API, headers=DEFAULT_HEADERS) as client:
        for source in fetch_sources(client):
            slug = source["name"].split("/")[-1]
            keys = source.get("write_keys") or [""]
            writer.writerow([slug, source["display_name"], keys[0], source["create_time"]])


if __name__ == "__main__":
    main()
