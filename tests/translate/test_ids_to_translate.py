"""End to end: `migrator ids` against a loopback Public API, then `translate --ids`."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.ids.fake_public_api import FakePublicApi


def migrator(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "migrator", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def test_the_fetched_map_fills_ids_in_translate(tmp_path):
    ids = tmp_path / "ids.json"
    with FakePublicApi.sample() as api:
        fetched = migrator("ids", "--api-url", api.url, "--token", api.token, "-o", str(ids))
    assert fetched.returncode == 0, fetched.stderr
    assert api.token not in fetched.stderr + ids.read_text()

    source = {"name": "workspaces/acme/sources/js", "parent": "workspaces/acme", "catalog_name": "catalog/sources/javascript"}
    response = migrator("translate", "--ids", str(ids), "--strict", "-q", stdin=json.dumps(source))
    assert response.returncode == 0, response.stderr
    assert json.loads(response.stdout) == {"data": {"source": {
        "slug": "js", "id": "src_js1", "workspaceId": "ws_9f8e7d", "metadata": {"slug": "javascript", "id": "IqDTy1TpoU"},
        "enabled": True, "labels": [],
    }}}

    call = migrator("translate", "--ids", str(ids), "--request", "-q",
                    "--endpoint", "DELETE /v1beta/workspaces/acme/sources/ios/destinations/amplitude", stdin="null")
    assert json.loads(call.stdout) == {"method": "DELETE", "url": "/destinations/d_amp1"}

    ambiguous = migrator("translate", "--ids", str(ids), "--request", "--strict", "-v",
                         "--endpoint", "GET /v1beta/workspaces/acme/sources/js/destinations/google-analytics", stdin="null")
    assert ambiguous.returncode == 1
    assert json.loads(ambiguous.stdout) == {"method": "GET", "url": "/destinations/{destinationId}"}
    assert "destination 'js/google-analytics' matches 2 ids (d_ga1, d_ga2); pick one" in ambiguous.stderr
