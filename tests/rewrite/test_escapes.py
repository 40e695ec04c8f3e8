"""Migrated responses that leave a client module as pages of a generator or
as body text: followed into the modules of the run that import it, and
marked where they go on unfollowed."""

from __future__ import annotations

from pathlib import Path

from migrator.rewrite import driver

from .test_driver import tree

CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def pages(token):
    page_token = ""
    while True:
        body = requests.get(f"{API}/workspaces/acme/sources", headers={"Authorization": f"Bearer {token}"},
                            params={"page_size": 2, "page_token": page_token}).json()
        yield body
        page_token = body["next_page_token"]
        if not page_token:
            return


def raw(token):
    r = requests.get(f"{API}/workspaces/acme/sources", headers={"Authorization": f"Bearer {token}"},
                     params={"page_size": 100})
    return r.text
'''

REPORT = b'''import json
from pathlib import Path

from app.client import pages, raw


def count(token):
    return sum(len(page["sources"]) for page in pages(token))


def every(token):
    return list(pages(token))


def names(token):
    return [s["display_name"] for s in json.loads(raw(token))["sources"]]


def save(token):
    Path("sources.json").write_text(raw(token))
'''

MARK = "    # migrator[rewrite.responses]: "
EXPECTED = (REPORT
            .replace(b'len(page["sources"])', b'len(page["data"]["sources"])')
            .replace(b'    return list(', (
                MARK + "a generator of a migrated call's responses is handed to `list` whole: it now has the Public "
                "shape (`data` envelope, Public field names); check what `list` does with it\n").encode()
                + b'    return list(')
            .replace(b'[s["display_name"] for s in json.loads(raw(token))["sources"]]',
                     b'[s["name"] for s in json.loads(raw(token))["data"]["sources"]]')
            .replace(b'    Path("sources.json")', (
                MARK + "the body of a migrated call is saved by `write_text`: it now holds the Public shape (`data` "
                "envelope, Public field names), and the code that reads it back (here, in another module or another "
                "program) is not followed; migrate those reads by hand\n").encode() + b'    Path("sources.json")'))


def test_pages_a_client_yields_and_its_body_text_are_followed_into_the_modules_importing_it(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLIENT, "app/report.py": REPORT})
    outcome = driver.run([tmp_path], force=True, jobs=1)
    status = {Path(r.path).relative_to(tmp_path).as_posix(): r.status for r in outcome.results}
    assert status["app/client.py"] == "changed" and status["app/report.py"] == "marked"
    assert (tmp_path / "app/report.py").read_bytes() == EXPECTED
    again = driver.run([tmp_path], force=True, jobs=1, write=False)
    assert not any(r.modified for r in again.results)
