"""Reporters: the same findings as text, JSON, SARIF or GitHub annotations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from migrator.audit.model import FileResult, Finding
from migrator.audit.stats import Stats
from migrator.ruleset.models import Row


@dataclass
class Report:
    """What every reporter gets."""

    findings: list[Finding]
    results: list[FileResult]
    stats: Stats
    rows: dict[str, Row]
    errors: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(path, note) of the run: paths left out by the walk, what may be missed."""

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.skipped]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.error]

    def file_notes(self) -> list[tuple[str, str]]:
        """(path, note) pairs worth telling: large files, bad encodings."""
        out = [(r.path, f"skipped, {r.skipped}") for r in self.results if r.skipped]
        out += [(r.path, n) for r in self.results for n in r.notes]
        return sorted(out)


def reporter(name: str) -> Callable[[Report], str]:
    from migrator.audit.report import github, json_report, sarif, text

    return {"text": text.render, "json": json_report.render, "sarif": sarif.render, "github": github.render}[name]


FORMATS = ("text", "json", "sarif", "github")
