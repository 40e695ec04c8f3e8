"""Mint a Config API token with the workspace owner's email and password, then use it."""

import os

import requests

API = "https://platform.segmentapis.com/v1beta"


def mint_token(email, password, workspace):
    body = {
        "access_token": {
            "description": "nightly export",
            "scopes": "workspace:read",
            "workspace_names": [f"workspaces/{workspace}"],
        }
    }
    resp = requests.post(f"{API}/access-tokens", json=body, auth=(email, password))
    resp.raise_for_status()
    minted = resp.json()
    print("minted", minted["name"], "with scope", minted["scopes"], "for", ", ".join(minted["workspace_names"]))
    return minted["token"]


def main():
    token = mint_token(os.environ["SEGMENT_EMAIL"], os.environ["SEGMENT_PASSWORD"], "acme")
    resp = requests.get(f"{API}/workspaces/acme/sources", headers={"Authorization": f"Bearer {token}"})
    resp.raise_for_status()
    print("token works; first sources:", ", ".join(sorted(s["display_name"] for s in resp.json()["sources"])))


if __name__ == "__main__":
    main()
