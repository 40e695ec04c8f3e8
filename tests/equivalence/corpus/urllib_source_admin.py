"""Rename the marketing site's source and add a staging source: standard library only."""

import json
import os
import urllib.request

API = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"], "Content-Type": "application/json"}


def show(slug):
    req = urllib.request.Request(f"{API}/workspaces/{WORKSPACE}/sources/{slug}", headers=HEADERS)
    with urllib.request.urlopen(req) as resp:
        source = json.loads(resp.read())
    print(f"{slug}: {source['display_name']} ({source['catalog_name'].split('/')[-1]})")


def rename(slug, title):
    payload = json.dumps({"source": {"display_name": title}, "update_mask": {"paths": ["source.display_name"]}}).encode()
    req = urllib.request.Request(f"{API}/workspaces/{WORKSPACE}/sources/{slug}", data=payload, headers=HEADERS, method="PATCH")
    urllib.request.urlopen(req).close()


def create(slug):
    body = {"source": {"name": f"workspaces/{WORKSPACE}/sources/{slug}", "catalog_name": "catalog/sources/javascript"}}
    req = urllib.request.Request(
        f"{API}/workspaces/{WORKSPACE}/sources",
        data=json.dumps(body).encode("utf-8"),
        headers=HEADERS,
        method="POST",
    )
    with urllib.request.urlopen(req) as resp:
        source = json.loads(resp.read())
    print("created", slug, "with", len(source["write_keys"]), "write key(s)")


def main():
    show("marketing-site")
    rename("marketing-site", "Marketing Website")
    show("marketing-site")
    create("staging")


if __name__ == "__main__":
    main()
