"""Counts for the summary, `--stats` and the JSON report."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from migrator.audit.model import FileResult, Finding
from migrator.counts import counted
from migrator.imports import language


def file_type(path: str) -> str:
    """`py`, `ipynb`, `tf`...; `env` for `.env` and its variants
    (`.env.example`, `.env.local`); `dockerfile` for `Dockerfile`,
    `Dockerfile.prod`, `Dockerfile-dev`, `api.Dockerfile`, `Containerfile`; a named kind of
    file as one, whatever its suffix (`Makefile.am`, `Jenkinsfile.release`,
    `Gemfile.lock`: `Makefile`, `Jenkinsfile`, `Gemfile`), unless it is code
    (`dockerfile.py`); the file name for other files without a suffix."""
    name = path.rpartition("/")[2]
    lower = name.lower()
    if lower == ".env" or lower.startswith(".env."):
        return "env"
    stem, dot, suffix = name.rpartition(".")
    if "file" in lower and language(name) is None:  # (asked of every file read: most have no such name)
        kind = _NAMED.get(_FIRST_WORD.split(lower, 1)[0]) or _NAMED.get(suffix.lower())
        if kind is not None:
            return kind
    return suffix.lower() if dot and stem else name


_FIRST_WORD = re.compile(r"[._-]")


_NAMED = {
    "dockerfile": "dockerfile", "containerfile": "dockerfile", "makefile": "Makefile", "gnumakefile": "Makefile",
    **{name.lower(): name for name in (
        "Jenkinsfile", "Gemfile", "Rakefile", "Vagrantfile", "Procfile", "Brewfile", "Podfile", "Fastfile",
        "Appfile", "Berksfile", "Guardfile", "Capfile", "Dangerfile", "Pipfile", "Justfile", "Tiltfile",
        "Earthfile", "Caddyfile",
    )},
}
"""Files named for what they are, not by a suffix (each name ends in `file`): the row of each."""


@dataclass
class Stats:
    files: int = 0
    """Files read (not skipped, not failed)."""
    files_with_findings: int = 0
    skipped: int = 0
    """Files not read for their size, or named and excluded (`--exclude`)."""
    binary: int = 0
    failed: int = 0
    suppressed: int = 0
    baselined: int = 0
    findings: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)
    """Findings per file type."""
    files_by_type: Counter[str] = field(default_factory=Counter)
    """Files read per file type."""
    precise: Counter[str] = field(default_factory=Counter)
    """Python files the codemod read ("read") or answered from its cache
    ("cached"): printed by `--stats`, kept out of the JSON report, which must
    not change with the state of a cache."""

    def to_json(self) -> dict[str, object]:
        return {
            "files": self.files,
            "files_with_findings": self.files_with_findings,
            "skipped": self.skipped,
            "binary": self.binary,
            "failed": self.failed,
            "suppressed": self.suppressed,
            "baselined": self.baselined,
            "findings": self.findings,
            "by_rule": dict(sorted(self.by_rule.items())),
            "by_type": dict(sorted(self.by_type.items())),
            "files_by_type": dict(sorted(self.files_by_type.items())),
        }


def compute(
    results: list[FileResult],
    findings: list[Finding],
    baselined: int = 0,
    clean: Counter[str] | None = None,
    binary: int = 0,
    precise: Counter[str] | None = None,
) -> Stats:
    """`results` are the files worth reporting; `clean` counts the other
    files read, by type; `binary` the files skipped as binary; `precise` the
    Python files the codemod read or answered from its cache."""
    stats = Stats(baselined=baselined, findings=len(findings), binary=binary, precise=Counter(precise or {}))
    for kind, n in (clean or {}).items():
        stats.files += n
        stats.files_by_type[kind] += n
    for r in results:
        if r.error:
            stats.failed += 1
        elif r.skipped:
            stats.skipped += 1
        else:
            stats.files += 1
            stats.files_by_type[file_type(r.path)] += 1
        stats.suppressed += r.suppressed
    stats.files_with_findings = len({f.path for f in findings})
    for f in findings:
        stats.by_rule[f.rule] += 1
        stats.by_type[file_type(f.path)] += 1
    return stats


def count_precise(counts: Counter[str], before: str, now: str) -> None:
    """Count a Python file of the run the codemod reads again (`now`: "read"
    or "cached") after the scan, that it read `before` ("read", "cached") or
    not (""): each file once, as read when the codemod read it either time."""
    if not now or before == now or before == "read":
        return
    if before == "cached":
        counts["cached"] -= 1
    counts[now] += 1


def render(stats: Stats) -> str:
    """The `--stats` table."""
    out = ["Findings by rule:"]
    out += _table(stats.by_rule) or ["  (none)"]
    out.append("Findings by file type (files read):")
    types = sorted(set(stats.by_type) | set(stats.files_by_type))
    width = max((len(t) for t in types), default=0)
    for t in sorted(types, key=lambda t: (-stats.by_type[t], t)):
        out.append(f"  {t:<{width}}  {stats.by_type[t]:>6}  ({counted(stats.files_by_type[t], 'file')})")
    if not types:
        out.append("  (none)")
    read, cached = stats.precise["read"], stats.precise["cached"]
    if read or cached:
        out.append(f"Python files read by the codemod: {read + cached} ({cached} of them from its cache)")
    return "\n".join(out) + "\n"


def _table(counts: Counter[str]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [f"  {k:<{width}}  {n:>6}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
