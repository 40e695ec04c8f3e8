"""Label sources by a slug held in a parameter; a source the workspace lacks answers 404."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def source_label(slug):
    resp = requests.get(f"{API}/workspaces/acme/sources/{slug}", headers=HEADERS)
    if resp.status_code == 404:
        return f"{slug}: gone"
    resp.raise_for_status()
    return f"{slug}: {resp.json()['display_name']}"


def main():
    for slug in ("web", "old-blog", "backend"):
        print(source_label(slug))


if __name__ == "__main__":
    main()
