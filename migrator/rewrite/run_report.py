"""What a `migrator rewrite` run tells: the JSON report (`--report`) and the
human summary printed at the end.

Both quote code (the `before`/`after` of each change, markers, notes), and
code holds credentials (`headers={"Authorization": "Bearer sgp_…"}`,
`password="…"`, a destination's `apiKey` setting): every text taken from a
file goes through `redact` first, so no secret is logged or written into a
report. (`--diff` prints the user's own code and is not redacted.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migrator.rewrite.driver import FileResult, MarkerLike, Run

REPORT_FORMAT = "migrator.rewrite-report"
REPORT_VERSION = 1


REDACTED = "[redacted]"

_WORDS = re.compile(
    r"token|secret|passw|pwd|credential|auth|signature|cookie|private|session", re.I
)
_PAGING = re.compile(r"page|cursor", re.I)
_KEY = re.compile(r"(?:^|[_\-.])(?:key|Key|KEY)$|[a-z0-9]Key$|(?i:apikey|writekey)$")


def _secret_name(name: str) -> bool:
    """Does a key, parameter, variable or setting by this name hold a secret
    (`token`, `password`, `apiKey`, `write_key`, `AUTH`...)?"""
    if _PAGING.search(name):
        return False  # page_token, nextPageToken: cursors, not credentials
    return bool(_WORDS.search(name) or _KEY.search(name.removesuffix("s")))


_NAME = r"[A-Za-z_][\w.\-]*"
_PATTERNS = [
    # Segment Public API tokens, JWTs (wherever they are).
    (re.compile(r"\bsgp_[A-Za-z0-9]+"), None),
    (re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*"), None),
    # user:password@ in a URL.
    (re.compile(r"(?P<keep>\b[a-z][a-z0-9+.\-]*://[^/\s:@\"'{}]*:)(?P<value>[^@\s/\"'{}]+)(?=@)", re.I), "value"),
    # Authorization schemes.
    (re.compile(r"(?P<keep>\b(?:Bearer|Basic|Token|Digest)\s+)(?P<value>[A-Za-z0-9\-._~+/]+=*)"), "scheme"),
    # A destination setting in the Config shape: {"name": "…/config/apiKey", "value": "…"}.
    (re.compile(
        r"""(?P<keep>(?P<n>["'])name(?P=n)\s*:\s*(?P<m>["'])[^"'\n]*/config/(?P<name>[\w.\-]+)(?P=m)\s*,\s*"""
        r"""(?P<v>["'])value(?P=v)\s*:\s*[rRbBuUfF]{0,2}(?P<q>["']))(?P<value>(?:\\.|(?!(?P=q))[^\\\n])+)(?=(?P=q))"""
    ), "named"),
    # "key": "value" (dicts, JSON), key="value" (keywords, assignments).
    (re.compile(
        r"""(?P<keep>(?P<k>["'])(?P<name>""" + _NAME + r""")(?P=k)\s*:\s*[rRbBuUfF]{0,2}(?P<q>["']))"""
        r"""(?P<value>(?:\\.|(?!(?P=q))[^\\\n])+)(?=(?P=q))"""
    ), "named"),
    (re.compile(
        r"""(?P<keep>(?<![\w.\-])(?P<name>""" + _NAME + r""")\s*=\s*[rRbBuUfF]{0,2}(?P<q>["']))"""
        r"""(?P<value>(?:\\.|(?!(?P=q))[^\\\n])+)(?=(?P=q))"""
    ), "named"),
    # ?access_token=… in a query string.
    (re.compile(r"(?P<keep>[?&;](?P<name>[\w.\-]+)=)(?P<value>[^&#\s\"'{}\\]+)"), "named"),
    # auth=("user", "password"), HTTPBasicAuth("user", "password").
    (re.compile(
        r"""(?P<keep>(?:\bauth\s*=\s*\(|BasicAuth\()\s*[rRbBuUfF]{0,2}(?P<u>["'])[^"'\n]*(?P=u)\s*,\s*[rRbBuUfF]{0,2}(?P<q>["']))"""
        r"""(?P<value>(?:\\.|(?!(?P=q))[^\\\n])+)(?=(?P=q))"""
    ), "value"),
]
# A value that holds no literal secret: only holes ({token}, {}, %s), maybe after a scheme.
_URL = re.compile(r"(?:https?://|/)", re.I)
_NO_LITERAL = re.compile(r"(?:(?:Bearer|Basic|Token)\s+)?(?:\{[^{}]*\}|%s|\[redacted\])*")


def redact(text: str) -> str:
    """`text` with credentials replaced by `[redacted]`: Segment tokens, JWTs,
    Authorization values, passwords in URLs, and the literal values of keys,
    keywords, variables, query parameters and destination settings whose
    names say they hold a secret (`token`, `password`, `apiKey`, ...)."""
    for pattern, kind in _PATTERNS:
        text = pattern.sub(_substitute(kind), text)
    return text


def _substitute(kind: str | None) -> Callable[[re.Match[str]], str]:
    def sub(match: re.Match[str]) -> str:
        if kind is None:
            return REDACTED
        value = match.group("value")
        if _NO_LITERAL.fullmatch(value) or (kind == "named" and _URL.match(value)):
            return match.group(0)  # holes only; a URL (its query and password are seen alone)
        if kind == "named" and not _secret_name(match.group("name")):
            return match.group(0)
        if kind == "scheme" and not re.search(r"[\d_.+/=~-]|[A-Z]", value):
            return match.group(0)  # a word in a sentence ("Bearer token"), not a credential
        return match.group("keep") + REDACTED

    return sub


def report(outcome: Run, *, region: str, ids: str | None = None) -> dict[str, Any]:
    """The JSON report: every file with something to say, then totals.

    Unchanged files without notes are only counted, so the report stays
    small on large trees.
    """
    written = outcome.write and outcome.refused is None
    files = [_file_entry(r) for r in outcome.results if r.status != "unchanged" or r.notes]
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "mode": "write" if outcome.write else "diff" if outcome.diff else "check",
        "region": region,
        "ids": ids,
        "written": written,
        "refused": outcome.refused,
        "files": files,
        "totals": outcome.totals,
    }


def _file_entry(r: FileResult) -> dict[str, Any]:
    """`line`/`reason`: the file as read; `new_line`/`new_reason` (and
    `new_notes`), in a file the run modifies: the file as the rewrite leaves
    it, written or not (`--diff` shows it as its `+` side)."""
    changes: dict[str, list[dict[str, Any]]] = {}
    for c in sorted(r.changes, key=lambda c: (c.rule, c.line, c.column)):
        changes.setdefault(c.rule, []).append(
            {"line": c.line, "column": c.column, "before": redact(c.before), "after": redact(c.after)}
        )
    markers = [
        {"line": m.line, "column": m.column, "rule": m.rule, "reason": redact(_said(m))}
        | ({"new_line": _new_line(m), "new_reason": redact(_new_reason(m))} if r.modified else {})
        for m in sorted(r.markers, key=lambda m: (m.line, m.column, m.rule))
    ]
    return {
        "path": r.path,
        "status": r.status,
        "modified": r.modified,
        "changes": changes,
        "markers": markers,
        "held_markers": r.held,
        "notes": [redact(note) for note in r.notes],
        **({"new_notes": [redact(note) for note in _new_notes(r)]} if r.modified else {}),
        "error": None if r.error is None else redact(r.error),
    }


def report_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def summary(outcome: Run) -> str:
    """The human summary printed at the end of a run."""
    t = outcome.totals
    verb = "changed" if outcome.write and outcome.refused is None else "would change"
    # a file with markers that is (or would be) written is no "changed" file (`--check` exits 1 for it): say so
    edited = sum(r.modified for r in outcome.results if r.status == "marked")
    done = "written" if verb == "changed" else "would change"
    marked = f"{t['marked']} with markers" + (f" ({edited} of them {done})" if edited else "")
    parts = [f"{t['changed']} {verb}", marked, f"{t['unchanged']} unchanged"]
    parts += [f"{t[s]} {s}" for s in ("failed", "skipped") if t[s]]
    lines = [f"migrator rewrite: {', '.join(parts)} ({t['files']} {_files(t['files'])})"]
    lines += [f"warning: {w}" for w in outcome.warnings]
    failed = outcome.failed
    if failed:
        lines.append("failed:")
        lines += [f"  {r.path}: {redact(r.error or '')}" for r in failed]
    markers = [(r, m) for r in outcome.results for m in r.markers]
    if markers:
        lines.append("markers (a person must act on these lines):")
        for r in outcome.results:
            # the lines of the file as the rewrite leaves it, whether this run writes it or not
            # (`--diff`: its `+` side): the same lines as the comments written into it name; in their order
            shown = [(_new_line(m), _new_reason(m)) if r.modified else (m.line, _said(m)) for m in r.markers]
            for (line, reason), m in sorted(zip(shown, r.markers), key=lambda pair: pair[0][0]):
                lines.append(f"  {r.path}:{line}: [{m.rule}] {redact(reason)}")
        lines.append("markers by rule:")
        lines += [f"  {rule}: {count}" for rule, count in t["markers_by_rule"].items()]
    held = [r for r in outcome.results if r.held]
    if held:
        # counted "with markers" too: the file still asks a person to act
        lines.append("markers an earlier run left, which this run does not find again (`migrator audit` lists them):")
        lines += [f"  {r.path}: {r.held}" for r in held]
    notes: dict[str, list[str]] = {}
    for r in outcome.results:
        for note in _new_notes(r) if r.modified else r.notes:
            notes.setdefault(redact(note), []).append(r.path)
    if notes:
        # what changed on purpose and must be known (a token to replace, a value no longer sent): once each
        lines.append("notes:")
        for note, paths in list(notes.items())[:NOTES_SHOWN]:
            where = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
            lines.append(f"  {where}: {note}")
        if len(notes) > NOTES_SHOWN:
            lines.append(f"  and {len(notes) - NOTES_SHOWN} more (every note is in --report FILE)")
    return "\n".join(lines) + "\n"


def _new_line(m: MarkerLike) -> int:
    return getattr(m, "new_line", None) or m.line


def _said(m: MarkerLike) -> str:
    """What the file says there: an earlier run's comment when this run wrote none (`Marker.held`)."""
    return getattr(m, "held", None) or m.reason


def _new_reason(m: MarkerLike) -> str:
    return getattr(m, "held", None) or getattr(m, "new_reason", None) or m.reason


def _new_notes(r: FileResult) -> tuple[str, ...]:
    """The notes as they read in the file written (those added after the rewrite name no line of it)."""
    new = r.new_notes or ()
    return (*new, *r.notes[len(new):])


NOTES_SHOWN = 12
"""Distinct notes the summary shows; the report holds them all."""


def _files(n: int) -> str:
    return "file" if n == 1 else "files"
