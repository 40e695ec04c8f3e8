"""Create a source with its Google Analytics destination.

    python provision.py ios-app "iOS app" UA-000000-1
"""

import sys

import requests

from settings import DEFAULT_HEADERS, WORKSPACE

API_ROOT = "https://platform.segmentapis.com"


def create_source(slug, display_name):
    url = API_ROOT + "/v1beta/workspaces/" + WORKSPACE + "/sources"
    payload = {
        "source": {
            "name": "workspaces/%s/sources/%s" % (WORKSPACE, slug),
            "catalog_name": "catalog/sources/ios",
            "display_name": display_name,
        }
    }
    resp = requests.request("POST", url, json=payload, headers=DEFAULT_HEADERS)
    resp.raise_for_status()
    return resp.json()


def connect_google_analytics(source_slug, tracking_id):
    url = "%s/v1beta/workspaces/%s/sources/%s/destinations" % (API_ROOT, WORKSPACE, source_slug)
    payload = {
        "destination": {
            "name": f"workspaces/{WORKSPACE}/sources/{source_slug}/destinations/google-analytics",
            "connection_mode": "CLOUD",
            "enabled": True,
            "config": [
                {
                    "name": f"workspaces/{WORKSPACE}/sources/{source_slug}/destinations/google-analytics/config/trackingId",
                    "type": "string",
                    "value": tracking_id,
                }
            ],
        }
    }
    resp = requests.post(url, json=payload, headers=DEFAULT_HEADERS)
    resp.raise_for_status()
    return resp.json()


if __name__ == "__main__":
    slug, name, tracking_id = sys.argv[1:4]
    source = create_source(slug, name)
    print("created", source["name"], "write key", source["write_keys"][0])
    connect_google_analytics(slug, tracking_id)
