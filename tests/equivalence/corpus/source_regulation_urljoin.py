"""Delete one user's data from the backend source; the API URL comes from configuration."""

import configparser
import os
import time
from urllib.parse import urljoin

import requests

SETTINGS = """
[segment]
api_url = https://platform.segmentapis.com/
workspace = acme
source = backend
"""

REGULATIONS_PATH = "v1beta/workspaces/{}/sources/{}/regulations"
REGULATION_PATH = "v1beta/workspaces/{}/regulations/{}"


def load_settings():
    parser = configparser.ConfigParser()
    parser.read_string(SETTINGS)
    return parser["segment"]


def main():
    cfg = load_settings()
    auth = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}
    url = urljoin(cfg["api_url"], REGULATIONS_PATH.format(cfg["workspace"], cfg["source"]))
    body = {"regulation_type": "delete", "attributes": {"name": "userId", "values": ["user-42"]}}
    resp = requests.post(url, json=body, headers=auth)
    resp.raise_for_status()
    job = resp.json()["regulate_id"]
    print("regulation created:", bool(job))

    seen = []
    for _ in range(5):
        status = requests.get(urljoin(cfg["api_url"], REGULATION_PATH.format(cfg["workspace"], job)), headers=auth).json()["status"]
        seen.append(status)
        if status == "FINISHED":
            break
        time.sleep(10)
    print("statuses:", " -> ".join(seen))


if __name__ == "__main__":
    main()
