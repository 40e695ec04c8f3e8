"""Create a blog source, look at it through its resource name, then delete it."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
WORKSPACE = "acme"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def main():
    body = {"source": {"name": f"workspaces/{WORKSPACE}/sources/blog", "catalog_name": "catalog/sources/javascript"}}
    resp = requests.post(f"{API}/workspaces/{WORKSPACE}/sources", json=body, headers=HEADERS)
    resp.raise_for_status()
    source = resp.json()
    print("created", source["name"].split("/")[-1], "from", source["catalog_name"].split("/")[-1])
    print("write keys:", len(source["write_keys"]))

    # The resource name doubles as the path of the source.
    again = requests.get(f"{API}/{source['name']}", headers=HEADERS).json()
    print("fetched", again["name"].split("/")[-1])
    requests.delete(f"{API}/{source['name']}", headers=HEADERS).raise_for_status()
    print("deleted; lookup now answers", requests.get(f"{API}/{source['name']}", headers=HEADERS).status_code)


if __name__ == "__main__":
    main()
