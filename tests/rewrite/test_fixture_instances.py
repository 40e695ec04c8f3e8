"""A client's instance a test gets from a pytest fixture of its module is
followed like one the test makes; an instance handed to a call the rewrite
does not follow (a dispatch table) is marked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import driver

CLIENT = '''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def set_enabled(self, enabled):
        body = {"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}}
        return requests.patch(f"{API}/workspaces/acme/sources/web/destinations/google-analytics", json=body).json()
'''
TEST = '''import pytest
import responses

from client import Client

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"


@pytest.fixture
def client():
    {give} Client()


@responses.activate
def test_disable(client):
    responses.add(responses.PATCH, URL, json={{"name": "workspaces/acme/sources/web/destinations/google-analytics", "enabled": False}})
    out = client.set_enabled(False)
    assert out["enabled"] is False
'''
IDS = {
    "workspace": {"id": "w1", "slug": "acme"},
    "sources": {"web": "qQEHquLrjRDN9j1ByrChyn"},
    "destinations": {"web/google-analytics": ["6334b2ff2c4f2f0b8d5d0a1e"]},
    "destination_metadata": {"google-analytics": "60b5d0a01f3726b85dc05aab"},
}


@pytest.mark.parametrize("give", ["return", "yield"])
def test_a_read_off_a_fixtures_instance_moves_and_the_test_passes(tmp_path: Path, give: str) -> None:
    pytest.importorskip("responses")
    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "test_client.py").write_text(TEST.format(give=give))
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    text = (tmp_path / "test_client.py").read_text()
    assert text.splitlines()[-1] == '    assert out["data"]["destination"]["enabled"] is False'
    passed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "test_client.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_parametrized_parameter_is_not_taken_for_the_fixture(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(CLIENT)
    test = TEST.format(give="return").replace(
        "@responses.activate\n", '@pytest.mark.parametrize("client", [object()])\n@responses.activate\n')
    (tmp_path / "test_client.py").write_text(test)
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS))
    assert (tmp_path / "test_client.py").read_text().splitlines()[-1] == '    assert out["enabled"] is False'


CLIENT_BY_SLUG = CLIENT.replace("set_enabled(self, enabled)", "set_enabled(self, source, dest, enabled)").replace(
    "sources/web/destinations/google-analytics", "sources/{source}/destinations/{dest}")
CLI = '''from client import Client


def cmd_toggle(client, args):
    dest = client.set_enabled(args.source, args.destination, args.enable)
    print(dest["enabled"], dest["name"])


def main(args):
    client = Client()
    {"toggle": cmd_toggle}[args.cmd](client, args)
'''


def test_an_instance_handed_to_a_dispatch_table_is_marked(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(CLIENT_BY_SLUG)
    (tmp_path / "cli.py").write_text(CLI)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    cli = {Path(r.path).name: r for r in run.results}["cli.py"]
    assert [(m.rule, m.line) for m in cli.markers] == [("rewrite.responses", 11)]
    lines = (tmp_path / "cli.py").read_text().splitlines()
    assert lines[10] == (
        "    # migrator[rewrite.responses]: `client` has functions or methods that give back migrated responses, now "
        "in the Public shape (`data` envelope, Public field names), and this rewrite does not follow them from here: "
        "migrate the reads of what they give back by hand, and give any fake put in their place the Public shape")
    assert lines[11] == '    {"toggle": cmd_toggle}[args.cmd](client, args)'
