"""How a Python finding goes away (`fix`): by rewrite, with an id map, or by
a person; and the text scanner's findings a change of the codemod covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet

REGULATION = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def suppress(user_ids):
    return requests.post(f"{API}/workspaces/acme/regulations",
                         json={"regulation_type": "Suppress_With_Delete",
                               "attributes": {"name": "userId", "values": user_ids}})
'''


def found(tree: Path, files: dict[str, bytes], rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
          ) -> list[tuple[str, int, int, str, str | None]]:
    for name, data in files.items():
        (tree / name).write_bytes(data)
    monkeypatch.chdir(tree)
    run = audit_paths([Path(".")], rules, jobs=1, cache=None)
    return sorted((f.path, f.line, f.column, f.rule, f.fix) for f in run.findings)


def test_a_field_in_a_body_the_codemod_translates_is_that_change(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the body's change spans lines 8 and 9: `regulation_type` in it is no to-do of its own
    assert found(tmp_path, {"reg.py": REGULATION}, real_rules, monkeypatch) == [
        ("reg.py", 3, 7, "host.base-url", "rewrite"),
        ("reg.py", 7, 26, "endpoint.regulations.create", "rewrite"),
        ("reg.py", 8, 31, "endpoint.regulations.create", "rewrite"),
    ]


PLAN = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


def get_plan(plan_id):
    return requests.get(f"{BASE}/tracking-plans/{plan_id}").json()
'''


def test_a_base_and_a_slug_that_ids_and_the_lookup_module_migrate_are_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `rewrite --ids FILE --lookup-module segment_ids` moves the base and wraps `plan_id` in a lookup
    assert found(tmp_path, {"tp.py": PLAN}, real_rules, monkeypatch) == [
        ("tp.py", 3, 8, "rewrite.partial-path", "rewrite-with-ids"),
        ("tp.py", 7, 25, "rewrite.slug-ids", "rewrite-with-ids"),
    ]


def test_what_a_run_with_ids_still_marks_needs_a_person(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a path that is a value keeps the base on the Config API, ids or not
    anything = PLAN + b'\n\ndef anything(path):\n    return requests.get(f"{BASE}/{path}").json()\n'
    assert found(tmp_path, {"tp.py": anything}, real_rules, monkeypatch) == [
        ("tp.py", 3, 8, "rewrite.partial-path", "manual"),
        ("tp.py", 7, 25, "rewrite.slug-ids", "manual"),
        ("tp.py", 11, 25, "rewrite.partial-path", "manual"),
    ]


def test_a_settings_base_that_moves_with_ids_is_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {
        "settings.py": b'API = "https://platform.segmentapis.com/v1beta"\n',
        "client.py": b'import requests\n\nfrom settings import API\n\n\ndef get_source(slug):\n'
                     b'    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n',
    }
    assert found(tmp_path, files, real_rules, monkeypatch) == [
        ("client.py", 7, 25, "rewrite.slug-ids", "rewrite-with-ids"),
        ("settings.py", 1, 7, "rewrite.partial-path", "rewrite-with-ids"),
    ]


def test_field_names_in_bodies_a_run_with_ids_translates_are_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the base stays with the destination's path, which lacks ids: with them, both bodies are translated
    one_line = REGULATION.replace(b'",\n                         json=', b'", json=').replace(
        b'",\n                               "attributes"', b'", "attributes"')
    files = {"reg.py": one_line + b'''

def disable():
    return requests.patch(f"{API}/workspaces/acme/sources/web/destinations/amplitude",
                          json={"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})
'''}
    assert found(tmp_path, files, real_rules, monkeypatch) == [
        ("reg.py", 3, 7, "rewrite.partial-path", "rewrite-with-ids"),
        ("reg.py", 7, 26, "rewrite.partial-path", "rewrite-with-ids"),
        ("reg.py", 7, 71, "regulation.fields", "rewrite-with-ids"),
        ("reg.py", 11, 27, "rewrite.slug-ids", "rewrite-with-ids"),
        ("reg.py", 12, 69, "update-mask.partial-body", "rewrite-with-ids"),
    ]


READS = b'''import requests


def sync():
    seg = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()
    for s in seg["sources"]:
        print(s["display_name"])
'''


def test_a_change_a_run_without_ids_makes_is_fixable_by_rewrite_whatever_its_rows_safety(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `source.fields` is a `needs-ids` row, but `display_name` → `name` needs no id
    assert real_rules.by_id["source.fields"].safety == "needs-ids"
    assert found(tmp_path, {"b.py": READS}, real_rules, monkeypatch) == [
        ("b.py", 5, 11, "pagination.params", "rewrite"),
        ("b.py", 5, 24, "endpoint.sources.list", "rewrite"),
        ("b.py", 6, 14, "envelope.list", "rewrite"),
        ("b.py", 7, 15, "source.fields", "rewrite"),
    ]


ENVELOPE = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def sources():
    body = requests.get(f"{BASE}/workspaces/acme/sources").json()
    print(body["next_page_token"])
    return body["sources"]


def source(slug):
    return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()
'''


def test_the_envelope_read_of_a_call_that_moves_with_ids_is_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`rewrite --ids FILE --lookup-module segment_ids` moves the list call
    with the path that lacks an id, and reads `body["data"]["sources"]`: a
    finding of its own, before a rewrite without ids and after it (its
    marker comments say nothing of that line)."""
    from migrator.rewrite import rewrite_bytes

    files = {"client.py": ENVELOPE}
    assert found(tmp_path, files, real_rules, monkeypatch) == [
        ("client.py", 3, 8, "rewrite.partial-path", "rewrite-with-ids"),
        ("client.py", 7, 25, "rewrite.partial-path", "rewrite-with-ids"),
        ("client.py", 8, 11, "rewrite.responses", "rewrite-with-ids"),
        ("client.py", 9, 12, "envelope.list", "rewrite-with-ids"),
        ("client.py", 13, 25, "rewrite.slug-ids", "rewrite-with-ids"),
    ]
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    said = [f.message for f in run.findings if f.line == 9]
    assert said == ['`migrator rewrite --ids FILE` changes `body["sources"]` to `body["data"]["sources"]`']
    files = {"client.py": rewrite_bytes(ENVELOPE, real_rules).code}
    assert [(line, rule, fix) for _, line, _, rule, fix in found(tmp_path, files, real_rules, monkeypatch)] == [
        (3, "rewrite.partial-path", "rewrite-with-ids"),  # marker comments, on their own lines
        (8, "rewrite.partial-path", "rewrite-with-ids"),
        (10, "rewrite.responses", "rewrite-with-ids"),
        (12, "envelope.list", "rewrite-with-ids"),
        (16, "rewrite.slug-ids", "rewrite-with-ids"),
    ]
