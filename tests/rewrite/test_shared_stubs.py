"""A `.pyi` stub holding a module's base URL constant: its value is the
module's (docs/rewrite.md), so it moves, or stays, with the module's."""

from __future__ import annotations

from pathlib import Path

from migrator.rewrite import driver
from tests.rewrite.test_driver import tree

CLIENT = (b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\ndef list_sources():\n'
          b'    return requests.get(API + "/workspaces/acme/sources", params={"page_size": 5}).json()["sources"]\n')
STUB = (b'from typing import Final\n\nAPI: Final = "https://platform.segmentapis.com/v1beta"\n\n'
        b'def list_sources() -> list[dict]: ...\n')
USER = (b'import requests\nfrom client import API\n\n\ndef first():\n'
        b'    return requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 1}).json()["sources"][0]\n')
PUBLIC = b'"https://api.segmentapis.com"'
CONFIG = b'"https://platform.segmentapis.com/v1beta"'


def rewrite(root: Path) -> dict[str, driver.FileResult]:
    run = driver.run([root], write=True, force=True, jobs=1)
    return {Path(r.path).relative_to(root).as_posix(): r for r in run.results}


def read(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_a_stub_holding_the_base_moves_with_its_module_and_importer(tmp_path: Path) -> None:
    root = tree(tmp_path, {"client.py": CLIENT, "client.pyi": STUB, "user.py": USER})
    found = rewrite(root)
    assert read(root) == {
        "client.py": CLIENT.replace(CONFIG, PUBLIC).replace(
            b'API + "/workspaces/acme/sources", params={"page_size": 5}).json()["sources"]',
            b'API + "/sources", params={"pagination.count": 5}).json()["data"]["sources"]'),
        "client.pyi": STUB.replace(CONFIG, PUBLIC),
        "user.py": USER.replace(
            b'f"{API}/workspaces/acme/sources", params={"page_size": 1}).json()["sources"][0]',
            b'f"{API}/sources", params={"pagination.count": 1}).json()["data"]["sources"][0]'),
    }
    assert {name: r.markers for name, r in found.items()} == {"client.py": (), "client.pyi": (), "user.py": ()}
    again = rewrite(root)
    assert {r.status for r in again.values()} == {"unchanged"}


def test_a_stub_stays_with_its_module_and_says_so(tmp_path: Path) -> None:
    # without an id map, the slug keeps the module's path, and so its base, on the Config API
    client = CLIENT.replace(b'"/workspaces/acme/sources"', b'"/workspaces/acme/sources/web"')
    root = tree(tmp_path, {"client.py": client, "client.pyi": STUB, "user.py": USER})
    found = rewrite(root)
    after = read(root)
    assert after["client.pyi"] == STUB.replace(b"API: Final", (
        b"# migrator[rewrite.partial-path]: Config API base URL `API`: this stub describes client.py, whose "
        b"`API` stays on the Config API (its marker says why), so it stays too; migrate them together, by hand\n"
        b"API: Final"))
    assert [m.reason for m in found["user.py"].markers][:1] == [
        "left on the Config API together with `API`, the base URL it is joined to, which client.py defines and "
        "keeps on the Config API (its marker says why): migrate them together by hand"]
    assert CONFIG in after["client.py"] and not [c for r in found.values() for c in r.changes]


def test_a_stub_giving_another_value_holds_both_for_that_reason(tmp_path: Path) -> None:
    stub = STUB.replace(b'v1beta"', b'v1beta/"')
    root = tree(tmp_path, {"client.py": CLIENT, "client.pyi": stub, "user.py": USER})
    found = rewrite(root)
    assert [m.reason for m in found["client.pyi"].markers] == [
        "Config API base URL `API`: client.py gives it another value (`https://platform.segmentapis.com/v1beta`), "
        "so the value this rewrite would move is not the one of both; make them agree, or migrate them together, "
        "by hand"]
    assert [m.reason for m in found["client.py"].markers][:1] == [
        "Config API base URL `API`: client.pyi gives it another value (`https://platform.segmentapis.com/v1beta/`), "
        "so the value this rewrite would move is not the one of both; make them agree, or migrate them together, "
        "by hand"]
    assert not [c for r in found.values() for c in r.changes]
