"""The doubles of a test stay with code that keeps calling the Config API
through a URL whose endpoint the rewrite cannot tell (a path handed from a
parent object to a child, a helper giving back `(url, headers)`), or through
a module the test reaches by another (`models.py` calling `api.py`): the test
still passes after the rewrite, and the marker on the double names the call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.idmap import IdMap
from migrator.rewrite import driver
from migrator.ruleset import load_rules

IDS = IdMap.model_validate({"workspace": {"id": "w1", "slug": "acme"}, "sources": {"web": "src_web1"}})
KEPT = (
    "    # migrator[rewrite.partial-path]: the code this file tests keeps calling the Config API for this endpoint "
    "({where}): left on the Config API with it; migrate them together by hand\n"
)
JOINED = (
    "# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined to on "
    "line {line}, which cannot be migrated: migrate them together by hand\n"
)

TUPLE_CLIENT = '''import requests

HOST = "https://platform.segmentapis.com"


def endpoint(path):
    url = f"{HOST}/v1beta/{path}"
    return url, {"Authorization": "Bearer t"}


def call(verb, path):
    url, headers = endpoint(path)
    return requests.request(verb, url, headers=headers).json()


def source_catalog(workspace, source):
    return call("GET", f"workspaces/{workspace}/sources/{source}")["catalog_name"]
'''
TUPLE_TEST = '''import responses

import client


@responses.activate
def test_catalog():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web",
                  json={"name": "workspaces/acme/sources/web", "catalog_name": "catalog/sources/javascript"})
    assert client.source_catalog("acme", "web") == "catalog/sources/javascript"
'''

HIERARCHY = '''import requests

BASE = "https://platform.segmentapis.com/v1beta"


class Workspace:
    def __init__(self, slug):
        self.path = f"workspaces/{slug}"

    def sources(self):
        return Sources(self.path + "/sources")


class Sources:
    def __init__(self, path):
        self.path = path

    def list(self):
        r = requests.get(f"{BASE}/{self.path}")
        return [s["display_name"] for s in r.json()["sources"]]
'''
HIERARCHY_TEST = '''import responses

import client

BASE = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_sources():
    responses.add(responses.GET, f"{BASE}/workspaces/acme/sources",
                  json={"sources": [{"name": "workspaces/acme/sources/web", "display_name": "Web"}]})
    assert client.Workspace("acme").sources().list() == ["Web"]
'''

API = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def get_source(slug):
    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()
'''
MODELS = '''import api


def source_title(slug):
    return api.get_source(slug)["display_name"]
'''
MODELS_TEST = '''import responses

import models

API = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_title():
    responses.add(responses.GET, f"{API}/workspaces/acme/sources/web",
                  json={"name": "workspaces/acme/sources/web", "display_name": "Web"})
    assert models.source_title("web") == "Web"
'''


def _write(project: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (project / name).write_text(text)
    return project


def _passes(project: Path, test: str) -> None:
    pytest.importorskip("responses")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", test],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_doubles_of_a_helper_giving_back_url_and_headers_stay_with_it(tmp_path: Path) -> None:
    """`call("GET", f"workspaces/{workspace}/sources/{source}")` reaches the
    request through `endpoint(path)`, whose `(url, headers)` the rewrite
    does not follow: the call stays on the Config API (marked), and so does
    the test's double, which moved to `/sources/src_web1` before."""
    project = _write(tmp_path, {"client.py": TUPLE_CLIENT, "test_client.py": TUPLE_TEST})
    driver.run([project], force=True, jobs=1, ids=IDS)
    after = (project / "test_client.py").read_text()
    assert after == TUPLE_TEST.replace(
        "    responses.add(", KEPT.format(where="client.py:21") + "    responses.add(", 1
    )
    _passes(project, "test_client.py")


@pytest.mark.parametrize("ids", [IDS, None])
def test_the_doubles_of_a_path_handed_from_a_parent_object_stay_with_it(tmp_path: Path, ids: IdMap | None) -> None:
    """`f"{BASE}/{self.path}"`, the path set by another constructor: which
    endpoint it calls cannot be told, so every double of a test reaching it
    stays (it moved to `f"{BASE}/sources"`, which the code does not call)."""
    project = _write(tmp_path, {"client.py": HIERARCHY, "test_client.py": HIERARCHY_TEST})
    driver.run([project], force=True, jobs=1, ids=ids)
    after = (project / "test_client.py").read_text()
    assert after == HIERARCHY_TEST.replace("BASE = ", JOINED.format(line=12) + "BASE = ").replace(
        "    responses.add(", KEPT.format(where="client.py:21") + "    responses.add("
    )
    _passes(project, "test_client.py")


def test_a_double_of_code_reached_through_another_module_says_that_code_keeps_calling(tmp_path: Path) -> None:
    """The test imports `models.py`, which calls `api.py`, whose slug in a
    variable keeps the call on the Config API: the double's slug has no id
    either, and it stayed apart from its base, which moved, saying the code
    under test no longer sent the request. It stays with its base, saying
    where the code keeps calling."""
    project = _write(tmp_path, {"api.py": API, "models.py": MODELS, "test_models.py": MODELS_TEST})
    driver.run([project], force=True, jobs=1)
    after = (project / "test_models.py").read_text()
    assert after == MODELS_TEST.replace("API = ", JOINED.format(line=12) + "API = ").replace(
        "    responses.add(", KEPT.format(where="api.py:9") + "    responses.add("
    )
    _passes(project, "test_models.py")


APART_NOW = (
    "a test double left alone on the Config API (it cannot move: the marker above says why), its base `API` "
    "written out: `API` moved to the Public API with the other doubles joined to it: if the code under test still "
    "sends this Config API request (a module it imports kept on the Config API), keep this double and migrate them "
    "together, else migrate or remove it by hand"
)
APART_BEFORE = (
    "a test double left alone on the Config API (it cannot move: the marker above says why), its base `API` "
    "written out: `API` moved to the Public API with the other doubles joined to it, for the code under test, "
    "which no longer sends this Config API request: migrate or remove this double by hand"
)


def test_the_audit_of_the_test_alone_does_not_say_the_code_no_longer_sends_the_request() -> None:
    """Reading the test file alone, the audit cannot tell whether the code
    under test still calls the Config API: its marker says what to do in
    either case, as the rewrite's of a double set apart does."""
    found = Auditor(load_rules()).scan("test_models.py", MODELS_TEST.encode()).findings
    assert [f.message for f in found if f.message.startswith("a test double left alone")] == [
        APART_NOW + "; or let `migrator rewrite --ids FILE --lookup-module NAME` migrate it (FILE from `migrator ids`)"
    ]


SLUG = (
    "`/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of source `web`: run `migrator ids`, "
    "then `migrator rewrite --ids FILE`"
)
CONFIG_URL = '    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web",'
SET_APART = MODELS_TEST.replace(
    'API = "https://platform.segmentapis.com/v1beta"', 'API = "https://api.segmentapis.com"'
).replace('    responses.add(responses.GET, f"{API}/workspaces/acme/sources/web",', CONFIG_URL)
"""`MODELS_TEST` with its double set apart: its base moved, its URL written out."""
SAID_BEFORE = SET_APART.replace(CONFIG_URL, (
    f"    # migrator[rewrite.slug-ids]: {SLUG}\n    # migrator[rewrite.partial-path]: {APART_BEFORE}\n" + CONFIG_URL
))
"""`SET_APART` as an earlier version wrote it."""


def test_a_double_an_earlier_version_wrote_out_is_found_again_in_its_words(tmp_path: Path) -> None:
    """A later run keeps the comment an earlier version wrote above a double
    it set apart: it says that marker again, and changes nothing."""
    (tmp_path / "test_models.py").write_text(SAID_BEFORE)
    (result,) = driver.run([tmp_path / "test_models.py"], force=True, jobs=1).results
    assert (tmp_path / "test_models.py").read_text() == SAID_BEFORE
    assert [(m.rule, m.reason) for m in result.markers] == [
        ("rewrite.slug-ids", SLUG), ("rewrite.partial-path", APART_BEFORE)
    ]


def test_a_later_run_says_that_the_code_keeps_calling_where_an_earlier_version_said_it_did_not(
    tmp_path: Path,
) -> None:
    """An earlier version set the double apart, its base moved, saying the
    code under test no longer sent the request, which `api.py` still sends:
    a later run puts the marker saying where in place of both of its."""
    project = _write(tmp_path, {"api.py": API, "models.py": MODELS, "test_models.py": SAID_BEFORE})
    driver.run([project], force=True, jobs=1)
    assert (project / "test_models.py").read_text() == SET_APART.replace(
        CONFIG_URL, KEPT.format(where="api.py:9") + CONFIG_URL
    )
    _passes(project, "test_models.py")
