"""Settings for the Segment housekeeping scripts.

Everything talks to the Segment Config API with the token of the workspace
owner. Override the defaults with environment variables.
"""

import os

# Config API endpoint; every path below is relative to it.
SEGMENT_API = "https://platform.segmentapis.com/v1beta/"
WORKSPACE = os.environ.get("SEGMENT_WORKSPACE", "acme-analytics")
ACCESS_TOKEN = os.environ.get("SEGMENT_ACCESS_TOKEN", "")

SOURCES_PATH = f"workspaces/{WORKSPACE}/sources"
PAGE_SIZE = 50

DEFAULT_HEADERS = {
    "Authorization": "Bearer " + ACCESS_TOKEN,
    "Content-Type": "application/json",
}
