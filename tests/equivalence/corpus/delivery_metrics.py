"""Event delivery time series for the website's destinations (Config API metrics)."""

import os

import requests

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def main():
    for slug in ("google-analytics", "webhooks"):
        metrics = requests.get(f"{BASE}/{slug}/metrics", headers=HEADERS).json()["metrics"]
        print(slug, "metrics:", ", ".join(sorted(m["name"].rsplit("/", 1)[-1] for m in metrics)))
        series = requests.get(f"{BASE}/{slug}/metrics/successes", headers=HEADERS).json()["series"]
        print(slug, "successes:", sum(point["value"] for point in series))


if __name__ == "__main__":
    main()
