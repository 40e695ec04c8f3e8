"""After `migrator rewrite`, the audit is the to-do list: on each rewrite
fixture's output it finds nothing the rewrite would still change, and,
where the fixture ran with an id map, nothing an id map would fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import load_rules

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite"
CASES = sorted(p.name for p in ROOT.iterdir() if (p / "expected.py").is_file())
RULES = load_rules()


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    found = Auditor(RULES)
    assert found.codemod is not None
    return found


@pytest.mark.parametrize("case", CASES)
def test_nothing_left_for_the_rewrite(auditor: Auditor, case: str) -> None:
    options = ROOT / case / "options.json"
    with_ids = options.is_file() and "ids" in json.loads(options.read_text(encoding="utf-8"))
    result = auditor.scan(f"{case}.py", (ROOT / case / "expected.py").read_bytes())
    left = [
        (f.line, f.rule, f.fix) for f in result.findings
        if f.fix == "rewrite" or (with_ids and f.fix == "rewrite-with-ids")
    ]
    assert left == []
