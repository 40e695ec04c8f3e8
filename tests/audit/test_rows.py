"""rules/audit.toml: every pattern row's examples, with the real table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.audit.table import compile_rules
from migrator.markers import MARKER, marker_comment
from migrator.rewrite.known_names import config_fields
from migrator.ruleset import RuleSet, load_rules
from tests.audit.conftest import FIXTURES, REPO

RULES = load_rules()
CATALOG = compile_rules(RULES)
PATTERNS = {p.rule: p for p in CATALOG.patterns}
ROWS = [row for f in RULES.files for row in f.patterns]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_examples(row) -> None:  # type: ignore[no-untyped-def]
    pattern = PATTERNS[row.id]
    for line in row.matches:
        assert pattern.regex.search(line), f"{row.id} should match {line!r}"
        assert any(anchor in line for anchor in pattern.anchors), f"{line!r} holds no anchor"
    for line in row.ignores:
        assert not pattern.regex.search(line), f"{row.id} should leave {line!r} alone"


def test_the_marker_row_reads_what_rewrite_writes() -> None:
    row = next(r for r in ROWS if r.id == "audit.rewrite-marker")
    comment = marker_comment("host.base-url", "base URL read\n at run time")
    m = PATTERNS[row.id].regex.search(comment)
    assert m and m.group("rule") == "host.base-url" and m.group("message") == "base URL read at run time"
    for line in row.matches:
        assert MARKER.search(line)


def test_fragments_come_from_the_endpoint_rows() -> None:
    segments = {s for row in RULES.endpoints for s in row.config.split(" ", 1)[1].split("/")}
    assert "workspaces" in CATALOG.fragments
    assert set(CATALOG.fragments) <= segments


def test_the_real_codemod_when_installed(real_rules: RuleSet) -> None:
    auditor = Auditor(real_rules)
    if auditor.codemod is None:
        pytest.skip("migrator.rewrite is not installed")
    result = auditor.scan("a.py", b'import requests\n_BASE = "https://platform.segmentapis.com/v1beta"\n')
    [finding] = result.findings
    assert (finding.line, finding.rule, finding.fix, finding.kind) == (2, "host.base-url", "rewrite", "rewrite")
    assert finding.column in (9, 10)  # the string literal, or the host in it


def test_the_triggers_cover_the_codemod_prefilter(real_rules: RuleSet) -> None:
    """Python files are only offered to the codemod when a trigger hits, so
    every fragment of its byte search must hold a trigger."""
    table = pytest.importorskip("migrator.rewrite.table")
    catalog = compile_rules(real_rules)
    for fragment in table.table_for(real_rules).fragments:
        assert any(t in fragment for t in catalog.triggers_for("a.py")), fragment


def test_fragments_are_distinctive() -> None:
    for fragment in CATALOG.fragments:
        assert len(fragment) >= 3 and any(c.isalpha() for c in fragment), fragment


EXTRA_RESOURCES = '''
family = "extra"
description = "Two more resources sharing field names with the pinned ones."

[[resources]]
id = "function.fields"
summary = "Function fields."
why = "Renamed."
reference = "segment-apis.md §2.9"
safety = "safe"
kind = "function"
left_alone = ['{"data": {}}']

[resources.fields]
display_name = { to = "displayName" }
create_time = { to = "createdAt" }

[[resources.examples]]
before = '{"display_name": "x"}'
after = '{"displayName": "x"}'

[[resources]]
id = "invite.fields"
summary = "Invite fields."
why = "Dropped."
reference = "segment-apis.md §2.11"
safety = "safe"
kind = "invite"
left_alone = ['{"data": {}}']

[resources.fields]
create_time = { drop = true, reason = "invites are not listed" }

[[resources.examples]]
before = '{"create_time": "x"}'
after = '{}'
'''


def test_a_field_name_of_several_resources(tmp_path: Path) -> None:
    """The outcome most resources share comes first, the others say which
    resources they apply to, under the neutral row of shared field names
    (`audit.config-field`); each resource's row says what the field becomes
    there, for a file that shows whose it is. The codemod's marker hints say
    the same."""
    for path in (FIXTURES / "rules").glob("*.toml"):
        shutil.copy(path, tmp_path)
    shutil.copy(REPO / "rules" / "audit.toml", tmp_path)
    (tmp_path / "extra.toml").write_text(EXTRA_RESOURCES, encoding="utf-8")
    rules = load_rules(tmp_path)
    hints = config_fields(rules)
    assert hints["display_name"] == "`name`; `displayName` for a function"
    assert hints["create_time"] == "not returned by the Public API; `createdAt` for a function"
    assert hints["catalog_name"] == "`metadata.slug`"
    words = compile_rules(rules).words
    assert (words["display_name"].rule, words["display_name"].message) == (
        "audit.config-field", "Config field `display_name` is `name` in the Public API (`displayName` for a function)",
    )
    assert words["display_name"].by_resource["function.fields"] == (
        "function.fields", "Config field `display_name` of a function is `displayName` in the Public API",
    )
    # Two resources drop it, for different reasons: no reason is given.
    assert (words["create_time"].rule, words["create_time"].message) == (
        "audit.config-field", "Config field `create_time` has no Public API counterpart (`createdAt` for a function)",
    )
    assert words["create_time"].by_resource["invite.fields"] == (
        "invite.fields", "Config field `create_time` of an invite has no Public API counterpart (invites are not listed)",
    )
    assert not words["catalog_name"].by_resource  # one resource's: its row
    assert words["write_keys"].message == "Config field `write_keys` is `writeKeys` in the Public API"
