"""The precision tree: another API's requests in a Postman collection and a
HAR file, methods given as arguments (C#'s `HttpMethod.Delete`), `name`
splits that are no Config resource name's and the other languages' splits
that are, methods written away from their path (a builder's steps, a
`URLRequest`'s `httpMethod`, an OpenAPI path item's operations), matched texts ending at the path, an OpenAPI document's own
version, field names in INI sections and YAML blocks apart from the Config
host, fields whose type or function names their resource: exact findings, in
`trees/precision.expected` (regenerate with `MIGRATOR_UPDATE_EXPECTED=1`
after checking the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet
from tests.audit.conftest import EXPECTED_TREES, TREES

TREE = TREES / "precision"
EXPECTED = EXPECTED_TREES / "precision.expected"
UPDATE = os.environ.get("MIGRATOR_UPDATE_EXPECTED") == "1"


def test_exact_findings(monkeypatch: pytest.MonkeyPatch, pinned_rules: RuleSet) -> None:
    monkeypatch.chdir(TREE)
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    got = [f"{f.path}:{f.line}:{f.column}\t{f.rule}\t{f.text}\t{f.message}" for f in run.findings]
    if UPDATE:
        EXPECTED.write_text("\n".join(got) + "\n", encoding="utf-8")
    assert got == EXPECTED.read_text(encoding="utf-8").splitlines()
    assert run.errors == [] and run.notes == []


def test_every_finding_points_at_its_text(monkeypatch: pytest.MonkeyPatch, pinned_rules: RuleSet) -> None:
    monkeypatch.chdir(TREE)
    findings = audit_paths([Path(".")], pinned_rules, precise=False).findings
    assert findings
    for f in findings:
        line = Path(f.path).read_text().splitlines()[f.line - 1]
        assert line[f.column - 1 :].startswith(f.text), f
