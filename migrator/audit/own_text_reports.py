"""The text `migrator` prints, saved in a tree (`migrator audit . >
audit.txt`, `--format github > annotations.txt`, `migrator rewrite . 2>
rewrite.log`): it quotes the Config text found, which the next audit would
find again (and the report after it quote again).

Known by its structure, the whole file: every non-blank line is one the
command prints (`report/text.py`, `report/github.py`, `stats.py`,
`rewrite/run_report.py`), so that a README quoting one such line among its
own prose is read as usual. The start of the file is matched first (cheap:
the audit asks this of every file its prefilter lets through); the lines
are read only when it looks like one.
"""

from __future__ import annotations

import re

STDERR = (rb"(?:migrator audit: [^\n]*\n)*(?:(?:\raudit: \d+/\d+ files)+\r\x1b\[K)?"
          rb"(?:Findings by rule:\n(?:(?:  |Findings by |Python files )[^\n]*\n)*)?")
"""What the audit prints to stderr before the report, saved with `2>&1`:
warnings, its progress on a terminal (cleared), `--stats`."""
_HEAD = re.compile(
    rb"(?:\xef\xbb\xbf)?" + STDERR + rb"(?:"
    rb"\S[^\n]{0,4095}\n  \d+:\d+ +(?:error|warning|note) +[\w.-]+  "  # a file's path, its first finding
    rb"|::(?:error|warning|notice)[ :]"  # a workflow command
    rb"|migrator rewrite: )"  # the rewrite's summary
)

# The audit's text report (`report/text.py`), and `--stats` (`stats.py`)
_FINDING = re.compile(r"  \d+:\d+ +(?:error|warning|note) +[\w.-]+  \S.*")
_TEXT_LINES = re.compile(
    r"""Summary\ by\ rule:|Findings\ by\ rule:|Findings\ by\ file\ type\ \(files\ read\):
    |\ \ [\w.-]+\ +\d+                                      # a rule's count
    |\ \ \S.*?\ +\d+\ \ \(\d+\ files?\)|\ \ \(none\)         # a file type's
    |Python\ files\ read\ by\ the\ codemod:\ \d+\ \(\d+\ of\ them\ from\ its\ cache\)
    |(?:note|error):\ .+
    |\d+\ findings?(?:\ in\ \d+\ files?)?\ \(\d+\ files?\ read(?:,\ [^()]*)?\)\.  # the summary
    |migrator\ audit:\ .+""",
    re.VERBOSE,
)
_PATH = re.compile(r"\S.*")
"""A file's path, above its findings."""

# `--format github` (`report/github.py`)
_COMMAND = re.compile(r"::(?:error|warning|notice)(?: [^:\n]*)?::.*")
_ANNOTATION = re.compile(r"::(?:error|warning|notice) file=[^:\n]*,title=[^:\n]*::.*")
"""A finding's annotation."""

# The rewrite's summary (`rewrite/run_report.summary`)
_REWRITE_HEAD = re.compile(r"migrator rewrite: .+ \(\d+ files?\)")
_REWRITE_SECTIONS = frozenset({
    "failed:", "markers (a person must act on these lines):", "markers by rule:", "notes:",
    "markers an earlier run left, which this run does not find again (`migrator audit` lists them):",
})
_REWRITE_ITEM = re.compile(r"  \S.*")


def is_text_report(data: bytes) -> bool:
    """`data` is the audit's text or `github` report, or the rewrite's summary, whole."""
    if _HEAD.match(data) is None:
        return False
    lines = [line for line in data.decode("utf-8", "replace").lstrip("\ufeff").splitlines() if line.strip()]
    return _text(lines) or _github(lines) or _rewrite(lines)


def printed_by_rewrite(data: bytes) -> bool:
    """`data` is the rewrite's summary, whole (as after its `--report -` with `2>&1`)."""
    lines = [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return bool(lines) and _rewrite(lines)


def _text(lines: list[str]) -> bool:
    """Files, each followed by its findings; the summaries, notes and errors."""
    findings = False
    for i, line in enumerate(lines):
        if _FINDING.fullmatch(line):
            if i == 0 or not (_FINDING.fullmatch(lines[i - 1]) or _is_path(lines[i - 1])):
                return False
            findings = True
        elif _TEXT_LINES.fullmatch(line):
            continue
        elif not (_PATH.fullmatch(line) and i + 1 < len(lines) and _FINDING.fullmatch(lines[i + 1])):
            return False
    return findings


def _is_path(line: str) -> bool:
    return _PATH.fullmatch(line) is not None and _TEXT_LINES.fullmatch(line) is None


def _github(lines: list[str]) -> bool:
    """Workflow commands, one a finding at least; the audit's own lines (`migrator audit: ...`)."""
    return any(_ANNOTATION.fullmatch(line) for line in lines) and all(
        _COMMAND.fullmatch(line) or _TEXT_LINES.fullmatch(line) for line in lines
    )


def _rewrite(lines: list[str]) -> bool:
    """Each run's first line, warnings, and the items of its sections."""
    if not _REWRITE_HEAD.fullmatch(lines[0]):
        return False
    section = False
    for line in lines[1:]:
        if _REWRITE_HEAD.fullmatch(line):
            section = False  # another run's (`2>>`)
        elif line in _REWRITE_SECTIONS:
            section = True
        elif not (line.startswith("warning: ") and not section or section and _REWRITE_ITEM.fullmatch(line)):
            return False
    return True
