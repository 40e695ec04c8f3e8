"""Which destinations each of our main sources feeds, through a small client class."""

import os

import requests


class SegmentConfigClient:
    def __init__(self, token, workspace, base_url="https://platform.segmentapis.com/v1beta/"):
        self.base_url = base_url
        self.workspace = workspace
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + token

    def _get(self, path, **params):
        resp = self.session.get(self.base_url + path, params=params or None)
        resp.raise_for_status()
        return resp.json()

    def source(self, slug):
        return self._get(f"workspaces/{self.workspace}/sources/{slug}")

    def destinations(self, slug):
        return self._get(f"workspaces/{self.workspace}/sources/{slug}/destinations")["destinations"]


def main():
    client = SegmentConfigClient(os.environ["SEGMENT_TOKEN"], "acme")
    for slug in ("backend", "ios-app", "web"):
        source = client.source(slug)
        print(f"{source['display_name']} ({slug})")
        for dest in sorted(client.destinations(slug), key=lambda d: d["name"]):
            state = "on" if dest["enabled"] else "off"
            print(f"  - {dest['name'].split('/')[-1]}: {state}")


if __name__ == "__main__":
    main()
