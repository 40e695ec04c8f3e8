"""Few false positives: real code that has nothing to do with Segment gives
no finding. The Python standard library is such code, and always at hand."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet


def test_the_standard_library_gives_no_finding(real_rules: RuleSet) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    run = audit_paths([stdlib], real_rules, jobs=2, use_gitignore=False)
    files = sum(run.clean.values()) + len(run.results)
    assert files > 1000  # the walk did reach it: `site-packages` is skipped, the rest is read
    assert [f"{f.path}:{f.line} {f.rule} {f.text}" for f in run.findings] == []
