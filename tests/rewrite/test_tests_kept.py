"""Test files go with the code they test: where a file of the run keeps an
endpoint on the Config API (marked), the tests' URLs of that endpoint (their
doubles) stay on the Config API too, marked; otherwise they are migrated."""

from __future__ import annotations

import json
import subprocess
import sys
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
HELD_DOUBLE = b'''    # migrator[rewrite.partial-path]: the code this file tests keeps calling the Config API for this endpoint (pkg/client.py:10): left on the Config API with it; migrate them together by hand
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


REACHED_A = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def destinations(source):
    r = requests.get(f"{API}/workspaces/acme/sources/{source}/destinations", params={"page_size": 10})
    return r.json()["destinations"]
'''
UNREACHED_B = '''import requests

API = "https://platform.segmentapis.com/v1beta"
ENDPOINTS = {"destinations": "/workspaces/{ws}/sources/{src}/destinations"}


def call(kind, **kw):
    return requests.get(API + ENDPOINTS[kind].format(ws="acme", **kw)).json()
'''
REACHING_TEST = '''import responses

{imports}


@responses.activate
def test_destinations():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations",
                  json={{"destinations": [{{"name": "workspaces/acme/sources/web/destinations/amplitude"}}], "next_page_token": ""}})
    assert destinations("web")[0]["name"].endswith("/amplitude")
'''
DESTINATIONS_IDS = {
    "workspace": {"id": "ws_1", "slug": "acme"}, "sources": {"web": "src_web"},
    "destinations": {"web/amplitude": ["dst_amp"]}, "destination_metadata": {"amplitude": "meta_amp"},
}
NAME_MARKER = (
    "    # migrator[rewrite.responses]: the Config `name` (`workspaces/{workspace}/sources/{source}/destinations/"
    "{destination}`) has no one Public field: `id` is the id of the destination `{source}/{destination}`, "
    "`metadata.slug` is its `{destination}` segment, `metadata.id` is the id of the destination-metadata "
    "`{destination}`, `sourceId` is the id of the source `{source}`: adapt this use by hand\n"
)


def _reaching(tmp_path: Path, test: str, conftest: str | None = None) -> str:
    """pkg/a.py migrates its call, pkg/b.py keeps the same endpoint: the test file once rewritten."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text(REACHED_A)
    (tmp_path / "pkg" / "b.py").write_text(UNREACHED_B)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(test)
    if conftest is not None:
        (tmp_path / "tests" / "conftest.py").write_text(conftest)
    ids = IdMap.model_validate(DESTINATIONS_IDS)
    driver.run([tmp_path / "pkg", tmp_path / "tests"], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    assert "api.segmentapis.com" in (tmp_path / "pkg" / "a.py").read_text()
    assert "platform.segmentapis.com" in (tmp_path / "pkg" / "b.py").read_text()
    return (tmp_path / "tests" / "test_a.py").read_text()


def test_doubles_move_with_the_code_the_test_reaches_not_with_another_module_keeping_the_endpoint(
    tmp_path: Path,
) -> None:
    """pkg/b.py, which no test imports, keeps the endpoint on the Config API:
    the test of pkg/a.py kept its double there too, marked as held by
    pkg/b.py, and failed against the migrated pkg/a.py."""
    test = REACHING_TEST.format(imports="from pkg.a import destinations")
    assert _reaching(tmp_path, test) == test.replace(
        '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations"',
        '"https://api.segmentapis.com/sources/src_web/connected-destinations"',
    ).replace(
        'json={"destinations": [{"name": "workspaces/acme/sources/web/destinations/amplitude"}], "next_page_token": ""}',
        'json={"data": {"destinations": [{"id": "dst_amp", "metadata": {"slug": "amplitude", "id": "meta_amp"}, '
        '"sourceId": "src_web"}], "pagination": {"next": None}}}',
    ).replace("    assert destinations(", NAME_MARKER + "    assert destinations(")


HELD_BY_B = (
    "    # migrator[rewrite.partial-path]: the code this file tests keeps calling the Config API for this endpoint "
    "(pkg/b.py:5), while the call on pkg/a.py:8 now goes to the Public API: this double answers the Config API "
    "calls only, a test of the migrated one needs a Public API double; migrate them together by hand\n"
)
"""pkg/a.py's call moved (its line once the lookup module's import is in): the test calls it, the marker says so."""


@pytest.mark.parametrize("how", ["import", "conftest"])
def test_doubles_stay_with_a_module_the_test_reaches_that_keeps_the_endpoint(tmp_path: Path, how: str) -> None:
    """The test imports pkg/b.py too (or its folder's conftest.py does, for
    its fixtures): its double stays with it, and so does its read."""
    b = "from pkg import b  # noqa: F401"
    test = REACHING_TEST.format(imports="from pkg.a import destinations" + ("\n" + b if how == "import" else ""))
    found = _reaching(tmp_path, test, conftest=b + "\n" if how == "conftest" else None)
    assert found == test.replace("    responses.add(", HELD_BY_B + "    responses.add(")


KEPT_A = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def web_source():
    return requests.get(f"{API}/workspaces/acme/sources").json()["sources"]
'''
KEPT_B = '''import os

import requests


def get_source(slug):
    return requests.get(os.environ["SEGMENT_API"] + f"/workspaces/acme/sources").json()
'''
KEPT_TEST = '''import responses

{imports}


@responses.activate
def test_web_source():
    responses.add(
        responses.GET,
        "https://platform.segmentapis.com/v1beta/workspaces/acme/sources",
        json={{"sources": [{{"display_name": "Web"}}], "next_page_token": ""}},
    )
    assert a.web_source()[0]["display_name"] == "Web"
'''


def _pytest(directory: Path, test_file: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", test_file],
        cwd=directory, capture_output=True, text=True, timeout=300,
    )


def test_the_rewritten_test_of_the_module_that_moved_passes(tmp_path: Path) -> None:
    """b.py keeps the endpoint with a base from the environment; the test
    reaches only a.py: its double moves with a.py's call, and so does its
    read (the double was held, the read moved, the test failed)."""
    pytest.importorskip("responses")
    (tmp_path / "a.py").write_text(KEPT_A)
    (tmp_path / "b.py").write_text(KEPT_B)
    test = KEPT_TEST.format(imports="import a")
    (tmp_path / "test_a.py").write_text(test)
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "test_a.py").read_text() == test.replace(
        '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources"', '"https://api.segmentapis.com/sources"'
    ).replace(
        'json={"sources": [{"display_name": "Web"}], "next_page_token": ""}',
        'json={"data": {"sources": [{"name": "Web"}], "pagination": {"next": None}}}',
    ).replace('[0]["display_name"]', '[0]["name"]')
    passed = _pytest(tmp_path, "test_a.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_reads_of_the_answer_of_a_double_held_back_are_not_migrated(tmp_path: Path) -> None:
    """The test reaches b.py too: its double stays on the Config API, and
    the read of what a.py returns is not moved to the Public shape with
    it (a held double with a migrated read is a test that cannot pass)."""
    (tmp_path / "a.py").write_text(KEPT_A)
    (tmp_path / "b.py").write_text(KEPT_B)
    test = KEPT_TEST.format(imports="import a\nimport b  # noqa: F401")
    (tmp_path / "test_a.py").write_text(test)
    run = driver.run([tmp_path], force=True, jobs=1)
    # the marker above b.py's kept call (line 7) moves it to line 8: the test's comment names that line
    kept = "    return requests.get(os.environ"
    assert (tmp_path / "b.py").read_text().splitlines()[7].startswith(kept)
    cited = "the code this file tests keeps calling the Config API for this endpoint (b.py:{}), while the call " \
        "on a.py:7 now goes to the Public API: this double answers the Config API calls only, a test of the " \
        "migrated one needs a Public API double; migrate them together by hand"
    read = (
        "    # migrator[rewrite.responses]: `display_name` looks like a Config API field read off a value whose "
        "origin this rewrite cannot prove: if it comes from a migrated call, read the Public field instead "
        "(`name`; `displayName` for a function)\n"
    )
    rewritten = test.replace(
        "    responses.add(", f"    # migrator[rewrite.partial-path]: {cited.format(8)}\n    responses.add("
    ).replace("    assert a.", read + "    assert a.")
    assert (tmp_path / "test_a.py").read_text() == rewritten
    # the report of the file as it was read names b.py as it was; once written, as it is
    marker = next(m for r in run.results if r.path.endswith("test_a.py") for m in r.markers
                  if m.rule == "rewrite.partial-path")
    assert (marker.reason, marker.new_reason) == (cited.format(7), cited.format(8))
    files = {p.name: p.read_bytes() for p in tmp_path.glob("*.py")}
    again = driver.run([tmp_path], force=True, jobs=1)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.py")} == files
    assert not any(r.modified for r in again.results)
