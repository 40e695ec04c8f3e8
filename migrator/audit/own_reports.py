"""The files `migrator` writes, recognized in a tree so that the audit does
not read them: its reports (JSON, SARIF, text, `github`), baselines, the
rewrite's `--report` and summary quote the Config text found, which would be
found again (and quoted again by the next report).

Recognized by their structure, not by where bytes sit: compacted (`jq -c`),
keys sorted (`jq -S`), re-indented or filtered into a trend file
(`jq '{summary, findings}'`, `jq .findings`), one finding per line (`jq -c
'.findings[]'`, NDJSON), or a SARIF log merging another tool's runs. A byte search comes first, so that only the few JSON files
holding the keys of such a file are parsed: under another suffix than
JSON's (`audit.sarif.txt`), only a file that starts as JSON does. The text
ones: `own_text_reports`.

Also a report saved with what the command printed to stderr around it
(`2>&1`: warnings and `--stats` before, the rewrite's summary after), and
reports held in another JSON document: merged (`jq -s`) or wrapped
(`{"run": 3, "audit": {...}}`), when nothing outside them holds Config text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from migrator.audit.baseline import FORMAT as BASELINE_FORMAT
from migrator.audit.own_text_reports import STDERR, is_text_report, printed_by_rewrite
from migrator.audit.report.json_report import FORMAT as AUDIT_FORMAT
from migrator.audit.report.sarif import DRIVER

SUFFIXES = (".json", ".sarif", ".ndjson", ".jsonl")
_ONE_PER_LINE = (".ndjson", ".jsonl")
REWRITE_FORMAT = "migrator.rewrite-report"
"""`migrator.rewrite.run_report.REPORT_FORMAT` (not imported: the audit runs without the codemod)."""
FORMATS = frozenset((AUDIT_FORMAT, BASELINE_FORMAT, REWRITE_FORMAT))

_FORMAT_BYTES = tuple(f.encode() for f in FORMATS)
_DRIVER_BYTES = json.dumps(DRIVER).encode()
_FORMAT_HEAD = re.compile(rb'"format"\s*:\s*"(?:' + b"|".join(re.escape(f) for f in sorted(_FORMAT_BYTES)) + rb')"')
_JSON_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*[{\[]")
"""How a JSON report saved under another suffix starts (`jq -c '.findings[]'`: each line as one)."""
HEAD = 1024
"""Where a file that is no JSON must name its format to be taken for a report."""
_PRINTED_JSON = re.compile(rb"(?:\xef\xbb\xbf)?" + STDERR + rb"[ \t\r]*[{\[]")
"""A JSON report after what the audit prints to stderr (`2>&1`), from the
start of the file (the offset of its first bracket is `end() - 1`)."""
_DEPTH = 4
"""How deep reports are looked for in a document wrapping them."""
_FINGERPRINT = re.compile(r"[0-9a-f]{32}")
_FINDING_KEYS = (b'"fingerprint"', b'"rule"', b'"path"')
_FILE_KEYS = ("path", "status", "changes", "markers", "held_markers")
"""What each entry of a rewrite report's `files` has."""


def is_own_report(path: str, data: bytes, quotes: Callable[[bytes], bool] | None = None) -> bool:
    """Is `data` (the file at `path`) a file `migrator` wrote, whatever
    jq did to it or its name? A user's JSON that only shares a key name is
    not. `quotes`: whether bytes hold Config text (the prefilter), asked of
    what a document wrapping reports holds besides them; without it, only
    reports merged into a list are taken for one."""
    printed = _PRINTED_JSON.match(data)
    if not path.lower().endswith(SUFFIXES) and _JSON_START.match(data) is None and printed is None:
        return is_text_report(data)
    if not _may_be(data):
        return False
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        # not JSON (a merge conflict, cut short): one that starts as a report is still one
        return _FORMAT_HEAD.search(data, 0, HEAD) is not None or _holds_own(_lines(data), quotes) \
            or (printed is not None and _holds_own(_printed(data, printed.end() - 1), quotes))
    # one finding alone on its line: an NDJSON file of one (`jq -c '.findings[]'` near the end)
    return _holds_own(doc, quotes) or (path.lower().endswith(_ONE_PER_LINE) and _is_own([doc]))


def _printed(data: bytes, start: int) -> Any:
    """The JSON document at `start`, if what follows it is blank or the
    rewrite's summary (`migrator rewrite --report - 2>&1`); else None."""
    text = data[start:].decode("utf-8", "replace")
    try:
        doc, end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return None
    rest = text[end:].strip()
    return doc if not rest or printed_by_rewrite(rest.encode()) else None


def _holds_own(doc: Any, quotes: Callable[[bytes], bool] | None) -> bool:
    """`doc` is a report, or holds reports (`jq -s`, `{"run": 3, "audit":
    {...}}`) and nothing else that `quotes` finds Config text in."""
    if doc is None:
        return False
    if _is_own(doc):
        return True
    found: list[bool] = []
    rest = _outside_reports(doc, found, 0)
    if not found:
        return False
    if quotes is None:  # a list of reports alone
        return isinstance(rest, list) and all(item is None for item in rest)
    return not quotes(json.dumps(rest, ensure_ascii=False).encode())


def _outside_reports(doc: Any, found: list[bool], depth: int) -> Any:
    """`doc` with the reports it holds (noted in `found`) replaced by null."""
    if depth and _is_own(doc):
        found.append(True)
        return None
    if depth >= _DEPTH:
        return doc
    if isinstance(doc, dict):
        return {k: _outside_reports(v, found, depth + 1) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_outside_reports(v, found, depth + 1) for v in doc]
    return doc


def _lines(data: bytes) -> list[Any] | None:
    """The documents of an NDJSON file (`jq -c '.findings[]'`), or None."""
    try:
        return [json.loads(line) for line in data.splitlines() if line.strip()]
    except (ValueError, RecursionError):
        return None


def _may_be(data: bytes) -> bool:
    return any(f in data for f in _FORMAT_BYTES) \
        or (b'"runs"' in data and _DRIVER_BYTES in data) \
        or all(k in data for k in _FINDING_KEYS) \
        or b'"held_markers"' in data


def _is_own(doc: Any) -> bool:
    if isinstance(doc, list):
        return _findings(doc) or _files(doc)
    if not isinstance(doc, dict):
        return False
    if doc.get("format") in FORMATS:
        return True
    runs = doc.get("runs")
    if isinstance(runs, list) and any(_driver(run) == DRIVER for run in runs):
        return True
    return _findings(doc.get("findings")) or _files(doc.get("files"))


def _driver(run: Any) -> Any:
    tool = run.get("tool") if isinstance(run, dict) else None
    driver = tool.get("driver") if isinstance(tool, dict) else None
    return driver.get("name") if isinstance(driver, dict) else None


def _findings(items: Any) -> bool:
    """Findings of an audit report or entries of a baseline: each with a
    rule, a path and a fingerprint of the audit's shape."""
    return isinstance(items, list) and bool(items) and all(
        isinstance(f, dict) and isinstance(f.get("rule"), str) and isinstance(f.get("path"), str)
        and isinstance(f.get("fingerprint"), str) and _FINGERPRINT.fullmatch(f["fingerprint"]) is not None
        for f in items
    )


def _files(items: Any) -> bool:
    """The `files` of a rewrite report."""
    return isinstance(items, list) and bool(items) and all(
        isinstance(f, dict) and all(k in f for k in _FILE_KEYS) for f in items
    )
