"""Write keys and catalog types of a fixed list of sources, URLs built with `+`."""

import os

import requests

BASE_URL = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
SOURCES = ["android-app", "marketing-site", "web"]


def get_source(slug, token):
    url = BASE_URL + "/workspaces/" + WORKSPACE + "/sources/" + slug
    resp = requests.get(url, headers={"Authorization": "Bearer " + token})
    resp.raise_for_status()
    return resp.json()


def main():
    token = os.environ["SEGMENT_TOKEN"]
    for slug in SOURCES:
        source = get_source(slug, token)
        kind = source["catalog_name"].replace("catalog/sources/", "")
        keys = source.get("write_keys", [])
        print(slug + ": " + kind + ", " + str(len(keys)) + " write key(s)")


if __name__ == "__main__":
    main()
