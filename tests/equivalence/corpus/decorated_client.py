"""A client whose request method is wrapped by a retry decorator; a cached catalog lookup."""

import functools
import os
import time

import requests

API = "https://platform.segmentapis.com/v1beta"
TOKEN = os.environ["SEGMENT_TOKEN"]


def retry(times=3):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return func(*args, **kwargs)
                except requests.ConnectionError:
                    time.sleep(2**attempt)
            return func(*args, **kwargs)
        return wrapper
    return decorate


class Client:
    def __init__(self, workspace):
        self.workspace = workspace
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + TOKEN

    @retry(times=2)
    def source(self, slug):
        resp = self.session.get(f"{API}/workspaces/{self.workspace}/sources/{slug}")
        resp.raise_for_status()
        return resp.json()

    def label(self, slug):
        source = self.source(slug)
        return f"{source['display_name']} ({len(source.get('write_keys', []))} write keys)"


@functools.lru_cache(maxsize=None)
def catalog_source(slug):
    return requests.get(f"{API}/catalog/sources/{slug}", headers={"Authorization": "Bearer " + TOKEN}).json()


def main():
    client = Client("acme")
    for slug in ("web", "backend"):
        print(f"{slug}: {client.label(slug)}")
    print(catalog_source("javascript")["display_name"])


if __name__ == "__main__":
    main()
