"""A method taken off an instance and called later, and a function called
through a decorator the rewrite does not know (rt6 #1, #2): followed where
the rewrite can tell what gives the value (`fetch = client.list_sources`,
`getattr(client, "list_sources")`), marked elsewhere (a dict of methods or
of clients, `getattr(client, action)`, `@cached(...)`, `@shared_task`); the
audit of the rewritten file lists each marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.rewrite import driver

from .test_driver import tree
from .test_fixtures import RULES, ROOT, rewrite
from .test_links import CLASS_CLIENT, METHODS

HANDED = ("# migrator[rewrite.responses]: `{name}` gives back a list from a migrated call's response, now in the "
          "Public shape (`data` envelope, Public field names), and this rewrite does not follow it from here: "
          "migrate the reads of what it gives back by hand\n")
READER = b'''from app import client as api
from app.client import SegmentClient


def bound_once():
    client = SegmentClient("acme")
    fetch = client.list_sources
    return [s["display_name"] for s in fetch()]


def table(name):
    client = SegmentClient("acme")
    return {"list": client.list_sources}[name]()


def by_name(action):
    client = SegmentClient("acme")
    return getattr(client, action)()


def module_by_literal():
    return getattr(api, "SegmentClient")("acme").list_sources()
'''


def test_a_method_taken_off_an_instance_of_another_modules_class_is_followed_or_marked(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/reader.py": READER})
    driver.run([tmp_path], force=True, jobs=1)
    expected = (READER.replace(b's["display_name"]', b's["name"]')
                .replace(b"    return {", b"    " + HANDED.format(name="client.list_sources").encode() + b"    return {")
                .replace(b"    return getattr(client", b"    " + METHODS.format(name="client").encode()
                         + b"    return getattr(client")
                .replace(b"    return getattr(api", b"    " + METHODS.format(name='getattr(api, "SegmentClient")').encode()
                         + b"    return getattr(api"))
    assert (tmp_path / "app/reader.py").read_bytes() == expected


@pytest.mark.parametrize(
    "case", ["responses-methods-taken", "responses-decorated-unknown", "responses-decorated-identity"])
def test_the_audit_of_the_rewritten_file_lists_each_marker(case: str) -> None:
    """Once the calls moved, the markers are the to-do the audit keeps."""
    result = rewrite(case, (ROOT / case / "input.py").read_bytes())
    found = Auditor(RULES).scan("expected.py", result.code).findings
    assert sorted((f.rule, f.message) for f in found) == sorted((m.rule, m.reason) for m in result.markers)
    assert len(result.markers) == {
        "responses-methods-taken": 14, "responses-decorated-unknown": 8, "responses-decorated-identity": 2}[case]
