"""SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).

Paths are relative to `%SRCROOT%`, the directory the audit ran in (run it at
the repository root). Each result carries the baseline fingerprint as a
partial fingerprint, so alerts follow code that moves.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from migrator import __version__
from migrator.audit.model import FIX_LABELS, Finding
from migrator.audit.report import Report
from migrator.ruleset.models import Row

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "migratorFingerprint/v1"
INFORMATION_URI = "https://segment.com/docs/api/public-api/"
DRIVER = "migrator"
"""The tool's name in each run (`runs[].tool.driver.name`): how a SARIF log of the audit is known."""

LEVEL_ORDER = ("note", "warning", "error")
"""SARIF levels from the lowest; a finding's severity is one of them."""


def render(report: Report) -> str:
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    # a rule's default level: the highest its findings have (not the last one's, which a renamed file changes)
    levels: dict[str, str] = {}
    for f in report.findings:
        if f.rule not in levels or LEVEL_ORDER.index(f.severity) > LEVEL_ORDER.index(levels[f.rule]):
            levels[f.rule] = f.severity
    run = {
        "tool": {
            "driver": {
                "name": DRIVER,
                "fullName": "migrator audit: leftover Segment Config API usage",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r, report.rows.get(r), levels[r]) for r in rule_ids],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory the audit ran in."}}},
        "results": [_result(f, index[f.rule]) for f in report.findings],
        "invocations": [_invocation(report)],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(rule_id: str, row: Row | None, level: str) -> dict[str, object]:
    if row is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id},
                "defaultConfiguration": {"level": level}}
    help_text = f"{row.summary}\n\n{row.why}\n\nReference: {row.reference}\nFix safety: {row.safety}"
    help_md = (
        f"**{row.summary}**\n\n{row.why}\n\n*Reference:* {row.reference}  \n"
        f"*Fix safety:* `{row.safety}`  \n*Details:* `migrator rules` shows the row `{row.id}`."
    )
    family = row.id.split(".", 1)[0]
    return {
        "id": row.id,
        "name": row.id,
        "shortDescription": {"text": row.summary},
        "fullDescription": {"text": row.why},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["segment-config-api", "migration", family], "precision": "high"},
    }


def _uri(path: str) -> tuple[str, str | None]:
    if path.startswith("/"):
        return "file://" + quote(path), None
    return quote(path), "%SRCROOT%"


def _location(
    path: str, line: int, column: int | None = None, text: str = "", end: tuple[int, int] | None = None,
) -> dict[str, object]:
    uri, base = _uri(path)
    artifact: dict[str, object] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    region: dict[str, object] = {"startLine": max(1, line)}
    if column is not None:
        region["startColumn"] = max(1, column)
        if end is not None:
            if end[0] != line:
                region["endLine"] = end[0]
            region["endColumn"] = max(1, end[1])
        if text:
            region["snippet"] = {"text": text}
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _result(f: Finding, rule_index: int) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.severity,
        "message": {"text": f.message},
        "locations": [_location(f.path, f.line, f.column, f.text, f.end())],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    properties: dict[str, object] = {}
    if f.fix:
        properties["fix"] = FIX_LABELS[f.fix]
    if f.also:
        properties["also"] = list(f.also)  # the rows the text scanner reports there (`Finding.also`)
    if properties:
        result["properties"] = properties
    return result


def _invocation(report: Report) -> dict[str, object]:
    notes: list[dict[str, object]] = []
    for path, note in [*report.file_notes(), *report.notes]:
        notes.append({"level": "note", "message": {"text": note}, "locations": [_location(path, 1)]})
    for r in report.failed:
        notes.append({"level": "error", "message": {"text": r.error or ""}, "locations": [_location(r.path, 1)]})
    for error in report.errors:
        notes.append({"level": "error", "message": {"text": error}})
    invocation: dict[str, object] = {"executionSuccessful": not (report.errors or report.failed)}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation
