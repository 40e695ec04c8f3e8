"""Test files go with the code they test: where a file of the run keeps an
endpoint on the Config API (marked), the tests' URLs of that endpoint (their
doubles) stay on the Config API too, marked; otherwise they are migrated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import driver

CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def get_source(slug):
    return requests.get(f"{API}/workspaces/acme/sources/{slug}", headers={}).json()
'''
TEST = b'''import responses

import client

API = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_get_source():
    responses.add(responses.GET, f"{API}/workspaces/acme/sources/web", json={"name": "workspaces/acme/sources/web"})
    assert client.get_source("web")
'''
IDS = {"workspace": {"id": "w1", "slug": "acme"}, "sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "client.py").write_bytes(CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_bytes(TEST)
    return tmp_path


def results(project: Path, **options: object) -> dict[str, driver.FileResult]:
    run = driver.run([project], write=False, jobs=1, **options)  # type: ignore[arg-type]
    return {Path(r.path).name: r for r in run.results}


def test_doubles_of_an_endpoint_the_code_keeps_stay_with_it(project: Path) -> None:
    # without a lookup module, the slug in a variable keeps the client's call on the Config API
    found = results(project, ids=IdMap.model_validate(IDS))
    client, test = found["client.py"], found["test_client.py"]
    assert {m.rule for m in client.markers} >= {"rewrite.slug-ids"}
    core = driver.default_core()
    assert driver._kept(CLIENT, client, driver.Settings(core, core.load_rules(), None, "us", False, False)) == (
        ("endpoint.sources.get", 7),
    )
    assert not [c for c in test.changes if c.rule.startswith("endpoint.")]
    assert [m.reason for m in test.markers if "the code this file tests" in m.reason] == [
        "the code this file tests keeps calling the Config API for this endpoint "
        "(client.py:7): left on the Config API with it; migrate them together by hand"  # not the absolute path the run was given
    ]


def test_doubles_follow_code_that_migrates(project: Path) -> None:
    found = results(project, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    assert not found["client.py"].markers
    assert [c.rule for c in found["test_client.py"].changes if c.rule.startswith("endpoint.")] == [
        "endpoint.sources.get"
    ]


def test_a_test_run_alone_is_rewritten_on_its_own(project: Path) -> None:
    run = driver.run([project / "tests"], write=False, jobs=1, ids=IdMap.model_validate(IDS))
    (test,) = run.results
    assert [c.rule for c in test.changes if c.rule.startswith("endpoint.")] == ["endpoint.sources.get"]


def test_what_counts_as_a_test_file() -> None:
    assert all(map(driver.is_test_file, ["test_x.py", "x_test.py", "conftest.py", "tests/helpers.py", "a/test/b.py"]))
    assert not any(map(driver.is_test_file, ["client.py", "testing.py", "contest.py", "attest/b.py"]))


WORKSPACE_CLIENT = b'''import requests


class Client:
    def __init__(self, workspace):
        self.base = f"https://platform.segmentapis.com/v1beta/workspaces/{workspace}"

    def sources(self):
        return requests.get(self.base + "/sources").json()["sources"]

    def workspace(self):
        return requests.get(self.base).json()
'''
WORKSPACE_TEST = b'''import responses

from client import Client


@responses.activate
def test_sources():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={"sources": []})
    assert Client("acme").sources() == []
'''


def test_doubles_stay_with_a_path_the_code_keeps_joined_to_a_workspace_base(tmp_path: Path) -> None:
    """The client's path holds no endpoint in its text (`self.base + "/sources"`):
    the codemod says which endpoint it kept."""
    (tmp_path / "client.py").write_bytes(WORKSPACE_CLIENT)
    (tmp_path / "test_client.py").write_bytes(WORKSPACE_TEST)
    found = results(tmp_path)
    # the base itself, more path appended to it (any endpoint), and the one it read whole
    assert found["client.py"].kept_rows == (("endpoint.*", 6), ("endpoint.sources.list", 9))
    assert not [c for c in found["test_client.py"].changes if c.rule.startswith("endpoint.")]
    assert [m.reason.split(" (")[0] for m in found["test_client.py"].markers if "the code this file tests" in m.reason] \
        == ["the code this file tests keeps calling the Config API for this endpoint"]


HELPER_CLIENT = b'''import requests

BASE_URL = "https://platform.segmentapis.com/v1beta"


class Client:
    def workspace_path(self):
        return "%s/workspaces/%s" % (BASE_URL, "acme")

    def destinations(self, source):
        url = "{}/sources/{}/destinations".format(self.workspace_path(), source)
        return requests.get(url).json().get("destinations", [])
'''
HELPER_TEST = b'''import responses

from client import Client

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


@responses.activate
def test_destinations():
    responses.add(responses.GET, BASE + "/sources/web/destinations", json={"destinations": []})
    assert Client().destinations("web") == []
'''


def test_doubles_stay_with_a_base_the_code_keeps_with_paths_appended_elsewhere(tmp_path: Path) -> None:
    """`workspace_path()` is kept on the Config API (more path is appended
    to it: which endpoints cannot be told): the doubles of a test importing
    its module stay with it (they were moved to the Public API, unmarked, and
    the tests failed)."""
    (tmp_path / "client.py").write_bytes(HELPER_CLIENT)
    (tmp_path / "test_client.py").write_bytes(HELPER_TEST)
    found = results(tmp_path, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    assert not [c for c in found["test_client.py"].changes if c.rule.startswith("endpoint.")]
    assert [m.reason for m in found["test_client.py"].markers if "the code this file tests" in m.reason] == [
        "the code this file tests keeps calling the Config API for this endpoint (client.py:8): left on the "
        "Config API with it; migrate them together by hand"
    ]


PACKAGE_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def _ws(self):
        return f"{API}/workspaces/acme"

    def names(self):
        r = requests.get(self._ws() + "/sources")
        return [s["display_name"] for s in r.json()["sources"]]
'''
PACKAGE_OTHER = b'''import requests


def source(slug):
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}").json()
'''
PACKAGE_TEST = b'''import responses

from pkg import {name}


@responses.activate
def test_it():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources",
                  json={{"sources": [{{"name": "workspaces/acme/sources/web", "display_name": "Web"}}]}})
'''
HELD_DOUBLE = b'''    # migrator[rewrite.partial-path]: the code this file tests keeps calling the Config API for this endpoint (pkg/client.py:8): left on the Config API with it; migrate them together by hand
'''


@pytest.mark.parametrize("name", ["Client", "client"])
def test_doubles_stay_with_a_base_kept_by_a_module_a_package_gives_on(tmp_path: Path, name: str) -> None:
    """`from pkg import Client`, `pkg/__init__.py` importing it from
    `.client`, which keeps its base on the Config API (more path appended to
    it): the test's doubles stay with it, as with `from pkg import client`
    (they moved to the Public API, unmarked, and the test failed)."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_bytes(b"from .client import Client\nfrom .other import source\n")
    (tmp_path / "pkg" / "client.py").write_bytes(PACKAGE_CLIENT)
    (tmp_path / "pkg" / "other.py").write_bytes(PACKAGE_OTHER)
    (tmp_path / "tests").mkdir()
    test = PACKAGE_TEST.replace(b"{name}", name.encode()).replace(b"{{", b"{").replace(b"}}", b"}")
    (tmp_path / "tests" / "test_client.py").write_bytes(test)
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    at = test.index(b"    responses.add(")
    assert (tmp_path / "tests" / "test_client.py").read_bytes() == test[:at] + HELD_DOUBLE + test[at:]


def test_doubles_of_a_test_taking_another_name_from_the_package_migrate(tmp_path: Path) -> None:
    """`from pkg import source`: `pkg/__init__.py` gives it on from `.other`,
    which migrates; the base `pkg/client.py` keeps holds no double back."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_bytes(b"from .client import Client\nfrom .other import source\n")
    (tmp_path / "pkg" / "client.py").write_bytes(PACKAGE_CLIENT)
    (tmp_path / "pkg" / "other.py").write_bytes(PACKAGE_OTHER)
    (tmp_path / "tests").mkdir()
    test = PACKAGE_TEST.replace(b"{name}", b"source").replace(b"{{", b"{").replace(b"}}", b"}")
    (tmp_path / "tests" / "test_client.py").write_bytes(test)
    driver.run([tmp_path], force=True, jobs=1, ids=IdMap.model_validate(IDS), lookup_module="segment_ids")
    assert (tmp_path / "tests" / "test_client.py").read_bytes() == test.replace(
        b'"https://platform.segmentapis.com/v1beta/workspaces/acme/sources"', b'"https://api.segmentapis.com/sources"'
    ).replace(
        b'json={"sources": [{"name": "workspaces/acme/sources/web", "display_name": "Web"}]}',
        b'json={"data": {"sources": [{"slug": "web", "id": "qQEHquLrjRDN9j1ByrChyn", "name": "Web", "workspaceId": "w1"}]}}',
    )
