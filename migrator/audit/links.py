"""Config field names read in files linked to a Segment API client.

Real code reads response fields far from the request: a client module calls
the Config API and returns `resp.json()`, another module imports it and reads
`s["display_name"]`. Once `migrator rewrite` has migrated the client, those
reads break, and nothing in the reading module says so. A file with no
Config API of its own is therefore searched for reads of Config field names
(`x["display_name"]`, `x.get("create_time")`, Go's `json:"write_keys"`,
`plan.tracking_plans` in JavaScript) when it calls the Public API itself
(whose responses have no snake_case field), or when it imports, or is
imported by, a file that calls either API: one hop, in the same language
(`migrator.audit.imports`). The words are the table's Config-only field
names; reads only, so that a dict the file builds for itself
(`{"created_at": now}`) is not reported.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable

from migrator.audit.baseline import with_fingerprints
from migrator.audit.core import decode
from migrator.audit.imports import imported, language
from migrator.audit.model import FileResult, Finding, Fix
from migrator.audit.reading import read_file
from migrator.audit.stats import file_type
from migrator.audit.suppress import is_suppressed, suppressions
from migrator.audit.table import Catalog
from migrator.audit.text import Lines, marked


def add_linked_reads(
    results: list[FileResult], catalog: Catalog, clean: Counter[str], max_size: int, python_fix: Fix | None,
) -> list[FileResult]:
    """Report the reads of Config field names in the files linked to a file
    that calls a Segment API; return the results worth keeping (those kept
    only for their links are counted with the clean files)."""
    sources = {r.path: r for r in results if r.calls_segment}
    readers = [r for r in results if r.reads_fields]
    if sources and readers:
        forward = _imported_by(sources, max_size)
        # A Go package is a folder: its first file that calls a Segment API.
        packages = {os.path.dirname(p): p for p in sorted(sources, reverse=True) if language(p) == "go"}
        patterns: dict[str | None, re.Pattern[str]] = {}
        for reader in readers:
            data = _read(reader.path, max_size)
            if data is None:
                continue
            text = decode(data, language(reader.path) == "python")[0]
            via = _via(reader, text, sources, forward, packages)
            if via is None:
                continue
            lang = language(reader.path)
            pattern = patterns.get(lang) or patterns.setdefault(lang, read_pattern(catalog.words, lang))
            fix = python_fix if lang == "python" else None
            _report(reader, text, pattern, catalog, via, fix)
    kept = []
    for r in results:
        if r.findings or r.skipped or r.error or r.notes or r.suppressed:
            kept.append(r)
        else:
            clean[file_type(r.path)] += 1
    return kept


def _read(path: str, max_size: int) -> bytes | None:
    data, _ = read_file(path, max_size)
    return data


def _imported_by(sources: dict[str, FileResult], max_size: int) -> dict[str, str]:
    """File (or, for Go, package folder) → a source that imports it."""
    forward: dict[str, str] = {}
    for path in sorted(sources):
        if language(path) is None:
            continue
        data = _read(path, max_size)
        if data is None:
            continue
        for target in imported(path, decode(data, language(path) == "python")[0]):
            forward.setdefault(target, path)
    return forward


def _via(
    reader: FileResult, text: str, sources: dict[str, FileResult], forward: dict[str, str], packages: dict[str, str],
) -> str | None:
    """Why the reader's field names are reported, or None. `forward`: file
    (for Go, package folder) → a source importing it; `packages`: Go package
    folder → a source in it."""
    if reader.calls_segment:
        return "read in a file that calls a Segment API"
    go = language(reader.path) == "go"
    folder = os.path.dirname(reader.path)
    for target in imported(reader.path, text):
        source = packages.get(target) if go else (target if target in sources else None)
        if source is not None:
            return f"this file imports `{source}`, which calls a Segment API"
    if go and folder in packages:
        return f"`{packages[folder]}`, in the same Go package, calls a Segment API"
    source = forward.get(folder if go else reader.path)
    if source is not None:
        return f"`{source}`, which calls a Segment API, imports this file"
    return None


def _report(reader: FileResult, text: str, pattern: re.Pattern[str], catalog: Catalog, via: str, fix: Fix | None) -> None:
    lines = Lines(text)
    found: list[Finding] = []
    for m in pattern.finditer(text):
        group = next(g for g, value in m.groupdict().items() if value is not None)
        word = catalog.words[m.group(group)]
        line, column = lines.locate(m.start(group))
        found.append(Finding(reader.path, line, column, word.rule, word.severity,
                             f"{word.message} ({via})", m.group(group), "field", fix))
    covered = marked(reader.findings, lines)
    found = [f for f in found if not covered(f)]
    if not found:
        return
    if "migrator:" in text:
        table = suppressions(lines)
        kept = [f for f in found if not is_suppressed(f, table)]
        reader.suppressed += len(found) - len(kept)
        found = kept
    findings = sorted([*reader.findings, *found], key=lambda f: (f.line, f.column, f.rule))
    reader.findings = with_fingerprints(findings, lines.line)


def read_pattern(words: Iterable[str], lang: str | None) -> re.Pattern[str]:
    """Reads of the `words`: `["w"]`, `.get("w"`, `.fetch("w"`, Go's
    `json:"w"`; in JavaScript and TypeScript `.w` and `?.w`; in Ruby `[:w]`."""
    alternation = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    forms = [
        rf"""\[\s*(['"`])(?P<a>{alternation})\1\s*\]""",
        rf"""\.(?:get|fetch|pop|setdefault|dig)\(\s*(['"])(?P<b>{alternation})\3""",
        rf"""\bjson:"(?P<c>{alternation})[",]""",
    ]
    if lang == "js":
        forms.append(rf"(?:\?\.|\.)(?P<d>{alternation})(?![\w$])")
    if lang == "ruby":
        forms.append(rf"\[\s*:(?P<e>{alternation})\s*\]")
    return re.compile("|".join(forms))
