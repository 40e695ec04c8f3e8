"""For people: findings grouped by file, then a summary by rule."""

from __future__ import annotations

from itertools import groupby

from migrator.audit.model import FIX_LABELS
from migrator.audit.report import Report
from migrator.counts import counted
from migrator.markers import says


def render(report: Report) -> str:
    out: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        out.append(path)
        for f in group:
            where = f"{f.line}:{f.column}"
            tag = f" [{FIX_LABELS[f.fix]}]" if f.fix else ""
            # Not when one holds the other, nor a marker comment saying the message (with the ids advice or not).
            held = f.text in f.message or f.message in f.text or says(f.text, f.message)
            matched = f" (`{f.text}`)" if f.text and not held else ""
            out.append(f"  {where:<8} {f.severity:<7}  {f.rule}  {f.message}{matched}{tag}")
        out.append("")
    if report.findings:
        out.append("Summary by rule:")
        width = max(len(r) for r in report.stats.by_rule)
        for rule, n in sorted(report.stats.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  {rule:<{width}}  {n:>5}")
        out.append("")
    for path, note in report.file_notes():
        out.append(f"note: {path}: {note}")
    for path, note in report.notes:
        out.append(f"note: {path}: {note}")
    out.extend(error_lines(report))
    out.append(_summary(report))
    return "\n".join(out) + "\n"


def error_lines(report: Report) -> list[str]:
    """Why the run fails: files that could not be read, paths that are none."""
    return [f"error: {r.path}: {r.error}" for r in report.failed] + [f"error: {e}" for e in report.errors]


def _summary(report: Report) -> str:
    s = report.stats
    n = len(report.findings)
    head = counted(n, "finding")
    if n:
        head += f" in {counted(s.files_with_findings, 'file')}"
    extra = [f"{counted(s.files, 'file')} read"]
    if s.skipped:
        extra.append(f"{s.skipped} skipped")
    if s.suppressed:
        extra.append(f"{s.suppressed} suppressed")
    if s.baselined:
        extra.append(f"{s.baselined} in the baseline")
    if s.failed:
        extra.append(f"{s.failed} unreadable")
    return f"{head} ({', '.join(extra)})."
