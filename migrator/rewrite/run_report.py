"""What a `migrator rewrite` run tells: the JSON report (`--report`) and the
human summary printed at the end."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrator.rewrite.driver import FileResult, Run

REPORT_FORMAT = "migrator.rewrite-report"
REPORT_VERSION = 1


def report(outcome: Run, *, region: str, ids: str | None = None) -> dict[str, Any]:
    """The JSON report: every file with something to say, then totals.

    Unchanged files without notes are only counted, so the report stays
    small on large trees.
    """
    files = [_file_entry(r) for r in outcome.results if r.status != "unchanged" or r.notes]
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "mode": "write" if outcome.write else "diff" if outcome.diff else "check",
        "region": region,
        "ids": ids,
        "written": outcome.write and outcome.refused is None,
        "refused": outcome.refused,
        "files": files,
        "totals": outcome.totals,
    }


def _file_entry(r: FileResult) -> dict[str, Any]:
    changes: dict[str, list[dict[str, Any]]] = {}
    for c in sorted(r.changes, key=lambda c: (c.rule, c.line, c.column)):
        changes.setdefault(c.rule, []).append(
            {"line": c.line, "column": c.column, "before": c.before, "after": c.after}
        )
    markers = [
        {"line": m.line, "column": m.column, "rule": m.rule, "reason": m.reason}
        for m in sorted(r.markers, key=lambda m: (m.line, m.column, m.rule))
    ]
    return {
        "path": r.path,
        "status": r.status,
        "modified": r.modified,
        "changes": changes,
        "markers": markers,
        "notes": list(r.notes),
        "error": r.error,
    }


def report_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(outcome: Run) -> str:
    """The human summary printed at the end of a run."""
    t = outcome.totals
    verb = "changed" if outcome.write and outcome.refused is None else "would change"
    parts = [f"{t['changed']} {verb}", f"{t['marked']} with markers", f"{t['unchanged']} unchanged"]
    parts += [f"{t[s]} {s}" for s in ("failed", "skipped") if t[s]]
    lines = [f"migrator rewrite: {', '.join(parts)} ({t['files']} {_files(t['files'])})"]
    failed = outcome.failed
    if failed:
        lines.append("failed:")
        lines += [f"  {r.path}: {r.error}" for r in failed]
    markers = [(r.path, m) for r in outcome.results for m in r.markers]
    if markers:
        lines.append("markers (a person must act on these lines):")
        lines += [f"  {path}:{m.line}: [{m.rule}] {m.reason}" for path, m in markers]
        lines.append("markers by rule:")
        lines += [f"  {rule}: {count}" for rule, count in t["markers_by_rule"].items()]
    return "\n".join(lines) + "\n"


def _files(n: int) -> str:
    return "file" if n == 1 else "files"
