"""The fixture tree of languages whose bases, placeholders and own names
take forms of their own (PHP, PowerShell, Perl, Ruby's `@base`, Elixir,
Rust, Swift, Lua, R, OpenAPI documents of a Config client): exact findings,
and files that must give none (`clean/`: other APIs' bases in variables)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.audit.model import Finding
from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet
from tests.audit.conftest import EXPECTED_TREES, TREES

LANGS = TREES / "langs"
EXPECTED = EXPECTED_TREES / "langs.expected"
UPDATE = os.environ.get("MIGRATOR_UPDATE_EXPECTED") == "1"


def line_of(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}\t{f.severity}\t{f.rule}\t{f.text}"


@pytest.fixture()
def in_tree(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(LANGS)
    return LANGS


def test_exact_findings(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    got = [line_of(f) for f in run.findings]
    if UPDATE:
        EXPECTED.write_text("\n".join(got) + "\n", encoding="utf-8")
    assert got == EXPECTED.read_text(encoding="utf-8").splitlines(), \
        "regenerate with MIGRATOR_UPDATE_EXPECTED=1 after checking the diff"
    assert run.errors == [] and run.notes == []


def test_other_apis_bases_in_variables_give_nothing(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert [line_of(f) for f in run.findings if f.path.startswith("clean/")] == []
    # every file was read: the clean ones have nothing to report
    assert len(run.results) + sum(run.clean.values()) == sum(1 for p in LANGS.rglob("*") if p.is_file())
