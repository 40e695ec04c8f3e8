"""A host-less Config path compared whole with a constant (`assert
conn.SOURCES_PATH.format("acme") == "v1beta/workspaces/acme/sources"`) is a
pin, not a path joined to a base: it holds back no base URL of its file nor
the module a pinned base comes from (`pins`)."""

from __future__ import annotations

from pathlib import Path

from migrator.rewrite import driver
from tests.rewrite.test_driver import tree

API = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def sources():
    return requests.get(f"{API}/workspaces/acme/sources").json()["sources"]
'''
CONN = b"SOURCES_PATH = 'v1beta/workspaces/{}/sources'\n"
TEST = b'''import api
import conn


def test_constants():
    assert api.API == "https://platform.segmentapis.com/v1beta"
    assert conn.SOURCES_PATH.format("acme") == "v1beta/workspaces/acme/sources"
'''
PIN = ("Config API path compared whole with `conn.SOURCES_PATH.format(\"acme\")` (a test pinning a path, joined to no "
       "base URL): it must change together with that value, which this rewrite does not migrate with it; migrate "
       "them together by hand (Public API: `GET /sources, POST /sources`)")
HELD = ("Config API path `SOURCES_PATH`: tests/test_constants.py imports it and uses it in a way that stays on the "
        "Config API, so it stays on it too; migrate them together, by hand")


def test_a_pinned_path_next_to_a_pinned_base_holds_back_neither_the_base_nor_its_module(tmp_path: Path) -> None:
    tree(tmp_path, {"api.py": API, "conn.py": CONN, "tests/test_constants.py": TEST})
    run = driver.run([tmp_path], write=True, force=True, jobs=1)
    found = {Path(r.path).relative_to(tmp_path).as_posix(): r for r in run.results}
    assert (tmp_path / "api.py").read_bytes() == API.replace(
        b"https://platform.segmentapis.com/v1beta", b"https://api.segmentapis.com"
    ).replace(
        b'requests.get(f"{API}/workspaces/acme/sources").json()["sources"]',
        b'requests.get(f"{API}/sources", params={"pagination.count": 200}).json()["data"]["sources"]',
    )
    assert (tmp_path / "conn.py").read_bytes() == f"# migrator[rewrite.partial-path]: {HELD}\n".encode() + CONN
    assert (tmp_path / "tests/test_constants.py").read_bytes() == TEST.replace(
        b'    assert api.API == "https://platform.segmentapis.com/v1beta"\n',
        b'    assert api.API == "https://api.segmentapis.com"\n'
        + f"    # migrator[rewrite.partial-path]: {PIN}\n".encode(),
    )
    assert {name: [m.reason for m in r.markers] for name, r in found.items()} == {
        "api.py": [], "conn.py": [HELD], "tests/test_constants.py": [PIN],
    }
