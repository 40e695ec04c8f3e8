"""Describe a few catalog entries by slug (sources and destinations)."""

import os

import httpx

BASE = "https://platform.segmentapis.com/v1beta/catalog"


def main():
    headers = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}
    for slug in ("javascript", "http-api"):
        entry = httpx.get(f"{BASE}/sources/{slug}", headers=headers).json()
        print(f"source {entry['name'].split('/')[-1]}: {entry['display_name']} - {entry['description']}")
    for slug in ("amplitude", "slack"):
        entry = httpx.get(f"{BASE}/destinations/{slug}", headers=headers).json()
        print(f"destination {slug}: {entry['display_name']} ({', '.join(entry['categories'])})")
    missing = httpx.get(f"{BASE}/destinations/no-such-tool", headers=headers)
    print("unknown slug answers", missing.status_code)


if __name__ == "__main__":
    main()
