"""A generic request helper with retries; looks up a few sources, some of them gone."""

import functools
import os
import time

import requests

SEGMENT_URL = "https://platform.segmentapis.com"
TOKEN = os.environ["SEGMENT_TOKEN"]


def retry(times=3, backoff=2.0):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return func(*args, **kwargs)
                except requests.ConnectionError:
                    if attempt == times - 1:
                        raise
                    time.sleep(backoff * 2**attempt)
        return wrapper
    return decorate


@retry()
def api(method, path, **kwargs):
    headers = kwargs.pop("headers", {})
    headers["Authorization"] = "Bearer " + TOKEN
    return requests.request(method, SEGMENT_URL + path, headers=headers, timeout=30, **kwargs)


def main():
    for slug in ("android-app", "old-blog", "web"):
        resp = api("GET", "/v1beta/workspaces/acme/sources/" + slug)
        if resp.status_code == 404:
            print(f"{slug}: missing")
            continue
        resp.raise_for_status()
        source = resp.json()
        catalog = api("GET", "/v1beta/" + source["catalog_name"]).json()
        print(f"{slug}: {source['display_name']} ({catalog['display_name']}, {', '.join(catalog['categories'])})")


if __name__ == "__main__":
    main()
