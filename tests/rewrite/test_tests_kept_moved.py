"""A test's double held on the Config API because the code it reaches
keeps calling the endpoint, while that code also migrated calls of the same
endpoint: which of them the test makes is not followed, so the marker names
both the kept call and the moved ones (it named the kept call only, and the
reader took the test for one that still passes)."""

from __future__ import annotations

from pathlib import Path

from migrator.idmap import IdMap
from migrator.rewrite import driver

IDS = IdMap.model_validate({"workspace": {"id": "w1", "slug": "acme"}, "sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})

CLIENT = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def get_source(slug):
    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()


def web_enabled():
    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web").json()["enabled"]
'''
CLIENT_TEST = '''import responses

import client


@responses.activate
def test_web_enabled():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web",
                  json={"name": "workspaces/acme/sources/web", "display_name": "Web", "enabled": True})
    assert client.web_enabled() is True
'''
ONE_MOVED = (
    "the code this file tests keeps calling the Config API for this endpoint (client.py:{kept}), while the call "
    "on client.py:{moved} now goes to the Public API: this double answers the Config API calls only, a test of "
    "the migrated one needs a Public API double; migrate them together by hand"
)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def _held(run: driver.Run, name: str) -> list[str]:
    return [m.reason for r in run.results if r.path.endswith(name) for m in r.markers
            if m.rule == "rewrite.partial-path"]


def test_a_double_held_by_one_call_names_the_call_of_the_endpoint_that_moved(tmp_path: Path) -> None:
    """`get_source(slug)` stays (a slug in a variable, no lookup module),
    `web_enabled()` moves with the id map: the double of the test calling
    `web_enabled()` stays with `get_source`, and says `web_enabled`'s call
    now goes to the Public API (line 13 once the two markers are above 7)."""
    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_text(CLIENT_TEST)
    run = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    said = ONE_MOVED.format(kept=9, moved=13)
    assert (tmp_path / "tests" / "test_client.py").read_text() == CLIENT_TEST.replace(
        "    responses.add(", f"    # migrator[rewrite.partial-path]: {said}\n    responses.add("
    )
    # the report of the file as it was read names client.py's lines as they were
    assert _held(run, "test_client.py") == [ONE_MOVED.format(kept=7, moved=11)]
    # a later run: the moved call is on the Public API, no longer seen moving; the marker is said again
    files = _files(tmp_path)
    again = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert _files(tmp_path) == files
    assert not any(r.modified for r in again.results)
    assert _held(again, "test_client.py") == [said]


HELPER = '''import requests

CONFIG_BASE = "https://platform.segmentapis.com/v1beta"


def fetch(base, path):
    return requests.get(base + path).json()


def config_sources():
    return fetch(CONFIG_BASE, "/workspaces/acme/sources")["sources"]
'''
MIXED = '''import requests

CONFIG_BASE = "https://platform.segmentapis.com/v1beta"


def list_config_sources():
    return requests.get(f"{CONFIG_BASE}/workspaces/acme/sources").json()["sources"]


def first_source():
    return requests.get(f"{CONFIG_BASE}/workspaces/acme/sources").json()["sources"][0]
'''
MIXED_TEST = '''import responses

from seg import helper, mixed

SOURCES = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"


@responses.activate
def test_list_config_sources():
    responses.add(responses.GET, SOURCES, json={"sources": [{"name": "workspaces/acme/sources/web"}]})
    assert len(mixed.list_config_sources()) == 1


@responses.activate
def test_helper():
    responses.add(responses.GET, SOURCES, json={"sources": [{"name": "workspaces/acme/sources/web"}]})
    assert len(helper.config_sources()) == 1
'''
SHARED = (
    "# migrator[rewrite.partial-path]: the code this file tests keeps calling the Config API for this endpoint "
    "(seg/helper.py:13), while the calls on seg/mixed.py:7, seg/mixed.py:11 now go to the Public API: this double "
    "answers the Config API calls only, a test of the migrated one needs a Public API double; migrate them "
    "together by hand\n"
)


def test_a_url_shared_by_the_doubles_of_two_tests_names_the_calls_that_moved(tmp_path: Path) -> None:
    """Two tests share a double's URL: one tests `helper.config_sources`,
    which keeps the list call on the Config API (a base joined in a helper
    the rewrite cannot trace), the other `mixed.list_config_sources`, whose
    call moved with the other list call of `seg/mixed.py`. The URL names
    the kept call and both moved ones, not the helper's alone."""
    (tmp_path / "seg").mkdir()
    (tmp_path / "seg" / "__init__.py").write_text("")
    (tmp_path / "seg" / "helper.py").write_text(HELPER)
    (tmp_path / "seg" / "mixed.py").write_text(MIXED)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mixed.py").write_text(MIXED_TEST)
    driver.run([tmp_path], force=True, jobs=1)
    assert "api.segmentapis.com" in (tmp_path / "seg" / "mixed.py").read_text()
    assert (tmp_path / "tests" / "test_mixed.py").read_text() == MIXED_TEST.replace("SOURCES = ", SHARED + "SOURCES = ")
    files = _files(tmp_path)
    again = driver.run([tmp_path], force=True, jobs=1)
    assert _files(tmp_path) == files
    assert not any(r.modified for r in again.results)


WEB_MIXED = MIXED + '''

def web_source():
    return requests.get(f"{CONFIG_BASE}/workspaces/acme/sources/web").json()["display_name"]
'''
JOINED_TEST = '''import responses

from seg import helper, mixed

CFG = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_web_source():
    responses.add(responses.GET, f"{CFG}/workspaces/acme/sources/web", json={"display_name": "Web"})
    assert mixed.web_source() == "Web"


@responses.activate
def test_helper():
    responses.add(responses.GET, f"{CFG}/workspaces/acme/sources", json={"sources": [2]})
    assert helper.config_sources() == [2]
'''
JOINED_TO = (
    "left on the Config API together with the Config URL part it is joined to on line {line}, which cannot be "
    "migrated: migrate them together by hand"
)
KEPT_LIST = (
    "    # migrator[rewrite.partial-path]: the code this file tests keeps calling the Config API for this endpoint "
    "(seg/helper.py:13), while the calls on seg/mixed.py:7, seg/mixed.py:11 now go to the Public API: this double "
    "answers the Config API calls only, a test of the migrated one needs a Public API double; migrate them "
    "together by hand\n"
)


def test_a_double_held_with_its_base_says_the_code_it_tests_moved(tmp_path: Path) -> None:
    """`CFG` stays on the Config API with the list double, which the helper
    keeps calling; the double of `web_source`, joined to `CFG`, stays with
    them, though `web_source` calls the Public API now: its marker says so
    (it said only that its base is held back). A later run, the call on the
    Public API by then, says it again and changes nothing."""
    (tmp_path / "seg").mkdir()
    (tmp_path / "seg" / "__init__.py").write_text("")
    (tmp_path / "seg" / "helper.py").write_text(HELPER)
    (tmp_path / "seg" / "mixed.py").write_text(WEB_MIXED)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mixed.py").write_text(JOINED_TEST)
    driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert 'f"{CONFIG_BASE}/sources/qQEHquLrjRDN9j1ByrChyn"' in (tmp_path / "seg" / "mixed.py").read_text()
    moved = "; but the code this file tests calls the Public API for this endpoint now (seg/mixed.py:15): a double " \
        "of this URL no longer answers it"
    joined = JOINED_TO.format(line=19)  # the list double's line, three marker comments above it
    expected = JOINED_TEST.replace("CFG = ", f"# migrator[rewrite.partial-path]: {joined}\nCFG = ").replace(
        '    responses.add(responses.GET, f"{CFG}/workspaces/acme/sources/web"',
        f"    # migrator[rewrite.partial-path]: {joined}{moved}\n"
        '    responses.add(responses.GET, f"{CFG}/workspaces/acme/sources/web"',
    ).replace('    responses.add(responses.GET, f"{CFG}/workspaces/acme/sources",',
              KEPT_LIST + '    responses.add(responses.GET, f"{CFG}/workspaces/acme/sources",')
    assert (tmp_path / "tests" / "test_mixed.py").read_text() == expected
    files = _files(tmp_path)
    again = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert _files(tmp_path) == files
    assert not any(r.modified for r in again.results)
    assert sorted(_held(again, "test_mixed.py"))[:2] == [joined, joined + moved]
