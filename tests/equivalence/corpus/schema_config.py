"""Lock down the website's Protocols settings: block unplanned track events."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"
SCHEMA_URL = API + "/workspaces/{ws}/sources/{src}/schema-config"
HEADERS = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}


def show(label, config):
    track = config["allow_unplanned_track_events"], config["common_track_event_on_violations"]
    identify = config["allow_unplanned_identify_traits"]
    forward = config.get("forwarding_violations_to") or "-"
    print(f"{label}: unplanned track={track[0]} on violation={track[1]} identify traits={identify} forward={forward}")


def main():
    url = SCHEMA_URL.format(ws="acme", src="web")
    show("before", requests.get(url, headers=HEADERS).json())
    update = {
        "schema_config": {
            "allow_unplanned_track_events": False,
            "common_track_event_on_violations": "BLOCK",
            "allow_unplanned_identify_traits": True,
        },
        "update_mask": {
            "paths": [
                "schema_config.allow_unplanned_track_events",
                "schema_config.common_track_event_on_violations",
            ]
        },
    }
    resp = requests.patch(url, json=update, headers=HEADERS)
    resp.raise_for_status()
    show("after", requests.get(url, headers=HEADERS).json())


if __name__ == "__main__":
    main()
