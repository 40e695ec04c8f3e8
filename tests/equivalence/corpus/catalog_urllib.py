"""Analytics destinations in the catalog, read with urllib only."""

import json
import os
import urllib.parse
import urllib.request

CATALOG_URL = "https://platform.segmentapis.com/v1beta/catalog/destinations"


def fetch(url, token):
    request = urllib.request.Request(url, headers={"Authorization": "Bearer %s" % token})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read().decode("utf-8"))


def catalog(token):
    items, page_token = [], None
    while True:
        query = {"page_size": 2}
        if page_token:
            query["page_token"] = page_token
        page = fetch(CATALOG_URL + "?" + urllib.parse.urlencode(query), token)
        items += page["destinations"]
        page_token = page.get("next_page_token")
        if not page_token:
            return items


def main():
    token = os.environ["SEGMENT_TOKEN"]
    entries = catalog(token)
    analytics = [e for e in entries if "Analytics" in e["categories"]]
    for entry in sorted(analytics, key=lambda e: e["display_name"]):
        print(entry["display_name"], "-", entry["description"])
    print(f"{len(analytics)} of {len(entries)} catalog destinations are analytics tools")


if __name__ == "__main__":
    main()
