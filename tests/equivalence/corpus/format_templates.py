"""Audit a list of source/destination pairs with `.format` URL templates."""

import os

import requests

SOURCE_URL = "https://platform.segmentapis.com/v1beta/workspaces/{workspace}/sources/{source}"
DESTINATION_URL = SOURCE_URL + "/destinations/{destination}"
PAIRS = [
    ("web", "google-analytics"),
    ("ios-app", "amplitude"),
    ("android-app", "mixpanel"),
    ("backend", "webhooks"),
]


def main():
    headers = {"Authorization": "Bearer {token}".format(token=os.environ["SEGMENT_TOKEN"])}
    for source, destination in sorted(PAIRS):
        url = DESTINATION_URL.format(workspace="acme", source=source, destination=destination)
        dest = requests.get(url, headers=headers).json()
        settings = sorted(item["name"].rsplit("/", 1)[1] for item in dest["config"])
        print("{}/{}: {} [{}]".format(source, destination, "on" if dest["enabled"] else "off", " ".join(settings)))


if __name__ == "__main__":
    main()
