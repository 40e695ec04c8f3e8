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
