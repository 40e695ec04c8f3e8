"""List the catalog through a base that holds part of the path (`.../v1beta/catalog/`): the paths
joined to it are the same in both APIs, only the base and what the calls answer change."""

import os
from urllib.parse import urljoin

import requests

CATALOG = "https://platform.segmentapis.com/v1beta/catalog/"
DESTINATIONS = CATALOG + "destinations"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def destination_names():
    return [d["display_name"] for d in requests.get(CATALOG + "destinations", headers=HEADERS).json()["destinations"]]


def first_destination():
    return requests.get(f"{CATALOG}destinations?page_size=1", headers=HEADERS).json()["destinations"]


def destination_slugs():
    body = requests.get(DESTINATIONS, headers=HEADERS).json()
    return [d["name"].split("/")[-1] for d in body["destinations"]]


def source_names():
    body = requests.get(urljoin(CATALOG, "sources"), headers=HEADERS).json()
    return [s["display_name"] for s in body["sources"]]


def main():
    print("destinations:", ", ".join(sorted(destination_names())))
    print("first page of one:", len(first_destination()))
    print("slugs:", ", ".join(sorted(destination_slugs())))
    print("sources:", ", ".join(sorted(source_names())))


if __name__ == "__main__":
    main()
