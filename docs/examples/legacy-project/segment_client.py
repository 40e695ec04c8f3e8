"""A small client for the parts of the Config API the team uses."""

import requests

from settings import ACCESS_TOKEN, PAGE_SIZE, WORKSPACE


class SegmentClient:
    base_url = "https://platform.segmentapis.com/v1beta"

    def __init__(self, workspace=WORKSPACE, token=ACCESS_TOKEN, timeout=30):
        self.workspace = workspace
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}"})

    def _url(self, path):
        return "{}/workspaces/{}/{}".format(self.base_url, self.workspace, path)

    def list_sources(self):
        """Every source of the workspace, following the page tokens."""
        sources = []
        params = {"page_size": PAGE_SIZE}
        while True:
            resp = self.session.get(self._url("sources"), params=params, timeout=self.timeout)
            resp.raise_for_status()
            body = resp.json()
            sources.extend(body["sources"])
            token = body.get("next_page_token")
            if not token:
                return sources
            params["page_token"] = token

    def get_source(self, source_slug):
        resp = self.session.get(
            f"{self.base_url}/workspaces/{self.workspace}/sources/{source_slug}",
            timeout=self.timeout,
        )
        resp.raise_for_status()
        return resp.json()

    def disable_destination(self, source_slug, destination_slug):
        """Turn a destination off without touching its settings."""
        body = {
            "destination": {"enabled": False},
            "update_mask": {"paths": ["destination.enabled"]},
        }
        resp = self.session.patch(
            self._url(f"sources/{source_slug}/destinations/{destination_slug}"),
            json=body,
            timeout=self.timeout,
        )
        resp.raise_for_status()
        return resp.json()["enabled"]
