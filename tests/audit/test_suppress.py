"""`migrator: ignore` comments."""

from __future__ import annotations

import pytest

from migrator.audit.core import Auditor

HOST = '"https://platform.segmentapis.com"'


def rules_left(auditor: Auditor, source: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in auditor.scan("x.py", source.encode()).findings]


@pytest.mark.parametrize(
    "source",
    [
        f"A = {HOST}  # migrator: ignore\n",
        f"A = {HOST}  # migrator: ignore[host.base-url]\n",
        f"A = {HOST}  # migrator: ignore[host]\n",
        f"# migrator: ignore\nA = {HOST}\n",
        f"    # migrator: ignore[endpoint, host.base-url]\nA = {HOST}\n",
        f"A = {HOST}  // migrator: ignore\n",
        f"<!-- migrator: ignore -->\nA = {HOST}\n",
    ],
)
def test_suppressed(text_auditor: Auditor, source: str) -> None:
    result = text_auditor.scan("x.py", source.encode())
    assert (result.findings, result.suppressed) == ([], 1)


@pytest.mark.parametrize(
    "source",
    [
        f"A = {HOST}  # migrator: ignore[endpoint]\n",
        f"A = {HOST}  # migrator: ignore[host.base]\n",
        f"B = 1  # migrator: ignore\nA = {HOST}\n",  # a trailing comment covers its own line only
        f"# migrator: ignore\n\nA = {HOST}\n",
    ],
)
def test_not_suppressed(text_auditor: Auditor, source: str) -> None:
    assert [rule for _, rule in rules_left(text_auditor, source)] == ["host.base-url"]
