"""Point the website's Google Analytics at a new property and pause it (update_mask)."""

import os

import requests

HOST = "https://platform.segmentapis.com"
TOKEN = os.environ["SEGMENT_TOKEN"]
DEST = "v1beta/workspaces/acme/sources/web/destinations/google-analytics"


def call(verb, path, body=None):
    resp = requests.request(verb, f"{HOST}/{path}", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    resp.raise_for_status()
    return resp.json()


def show(label, dest):
    settings = {c["name"].split("/config/")[-1]: c["value"] for c in dest["config"]}
    print(f"{label}: enabled={dest['enabled']} " + " ".join(f"{k}={settings[k]}" for k in sorted(settings)))


def main():
    show("before", call("GET", DEST))
    name = "workspaces/acme/sources/web/destinations/google-analytics"
    patch = {
        "destination": {
            "enabled": False,
            "config": [{"name": f"{name}/config/trackingId", "type": "string", "value": "UA-9999-9"}],
        },
        "update_mask": {"paths": ["destination.enabled", "destination.config"]},
    }
    show("patched", call("PATCH", DEST, patch))
    show("after", call("GET", DEST))


if __name__ == "__main__":
    main()
