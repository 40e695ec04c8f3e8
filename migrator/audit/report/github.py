"""GitHub Actions workflow commands: one annotation per finding, shown on
the lines of the pull request."""

from __future__ import annotations

from migrator.audit.report import Report
from migrator.counts import counted

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    out = []
    for f in report.findings:
        props = f"file={_prop(f.path)},line={f.line}"
        end = f.end()
        if end is not None and end[0] != f.line:
            props += f",endLine={end[0]}"  # a span over lines: its end column is on its last line
        props += f",col={f.column}"
        if end is not None:
            props += f",endColumn={end[1]}"
        props += f",title={_prop(f.rule)}"
        out.append(f"::{LEVELS[f.severity]} {props}::{_data(f.message)}")
    for path, note in [*report.file_notes(), *report.notes]:
        out.append(f"::notice file={_prop(path)}::{_data(note)}")
    for r in report.failed:
        out.append(f"::error file={_prop(r.path)}::{_data(r.error or '')}")
    for error in report.errors:
        out.append(f"::error::{_data(error)}")
    n = len(report.findings)
    out.append(f"migrator audit: {counted(n, 'finding')} in {counted(report.stats.files, 'file')} read")
    return "\n".join(out) + "\n"
