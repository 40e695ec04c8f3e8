"""Suppression comments: deliberate Config API uses that the audit skips.

    BASE = "https://platform.segmentapis.com/v1beta"  # migrator: ignore
    # migrator: ignore[host.base-url, endpoint.sources]
    BASE = "https://platform.segmentapis.com/v1beta"

A comment applies to findings on its own line and, when it stands alone on
its line (nothing but comment syntax before it), to the next line too.
Without `[...]` it covers every rule; with it, the listed rule ids and any id
that starts with one of them followed by a dot (`endpoint` covers
`endpoint.sources.get`). A finding of the codemod is also covered when the
list covers every row the text scanner reports at its place
(`Finding.also`): `ignore[host.base-url, endpoint]` covers a
`rewrite.partial-path` marker on a Config URL.
"""

from __future__ import annotations

from migrator.audit.model import Finding
from migrator.audit.text import Lines, marker_target
from migrator.markers import SUPPRESSION

ALL = "*"


def suppressions(lines: Lines) -> dict[int, set[str]]:
    """Line number → rule ids (or `*`) suppressed there."""
    found: dict[int, set[str]] = {}
    text = lines.text
    start = text.find("migrator:")
    while start >= 0:
        m = SUPPRESSION.match(text, start)
        if m:
            rules = m.group("rules")
            ids = {r.strip() for r in rules.split(",") if r.strip()} if rules else {ALL}
            line, column = lines.locate(m.start())
            for target in {line, marker_target(lines, line, column)}:
                found.setdefault(target, set()).update(ids)
        start = text.find("migrator:", start + 1)
    return found


def is_suppressed(finding: Finding, table: dict[int, set[str]]) -> bool:
    """The line's comments list every rule, the finding's rule, or every
    row a finding of the codemod also is (see `Finding.also`)."""
    ids = table.get(finding.line)
    if not ids:
        return False
    return ALL in ids or finding.covered_by(ids)
