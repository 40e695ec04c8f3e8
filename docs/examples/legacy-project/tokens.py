"""Mint a workspace token from an owner's email and password.

Used by the nightly job, which cannot store a long-lived token.
"""

import base64
import json
import urllib.request

TOKENS_URL = "https://platform.segmentapis.com/v1beta/access-tokens"


def mint_token(email, password, workspace, description="nightly job"):
    credentials = base64.b64encode(f"{email}:{password}".encode()).decode()
    body = {
        "access_token": {
            "description": description,
            "scopes": "workspace",
            "workspace_names": [f"workspaces/{workspace}"],
        }
    }
    request = urllib.request.Request(
        TOKENS_URL,
        data=json.dumps(body).encode(),
        headers={"Authorization": "Basic " + credentials, "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as resp:
        return json.load(resp)["token"]
