"""For tools and for progress over time: stable, sorted, no timestamps, so
two runs can be diffed."""

from __future__ import annotations

import json

from migrator.audit.report import Report

FORMAT = "migrator.audit-report"
VERSION = 1


def render(report: Report) -> str:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "summary": report.stats.to_json(),
        "findings": [f.to_json() for f in report.findings],
        "skipped": [{"path": r.path, "reason": r.skipped} for r in report.skipped],
        "notes": [{"path": p, "note": n} for p, n in report.file_notes() if not n.startswith("skipped")]
        + [{"path": p, "note": n} for p, n in report.notes],
        "errors": [{"path": r.path, "error": r.error} for r in report.failed]
        + [{"path": None, "error": e} for e in report.errors],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
