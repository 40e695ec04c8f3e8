"""Fingerprints and the baseline file.

A fingerprint names a finding without its line number, so that it survives
code moving up or down: a hash of the rule id, the file path, the text of
the line with whitespace collapsed, and which occurrence of that same
(rule, line text) pair in the file it is. Editing the line itself makes a new
finding, which is the point.

The baseline file records the fingerprints of accepted findings:

    {"format": "migrator.audit-baseline", "version": 1,
     "findings": [{"fingerprint": "...", "rule": "...", "path": "...", "line": 3}, ...]}

A marker also records `said` (what it says) and `about` (what it is
about), and a field name the text scanner found records `about` (the name),
which only a marker standing for it matches (see `new_findings`). A finding
of a Config request records `call` (its endpoint row: the calls of one row
in a file share it), which only a marker comment matches. A finding that
is other rows on its line records `also`, the fingerprints their findings
would have there (see `new_findings`). `rule`, `path` and `line` help
people read it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from migrator.audit.model import Finding, changed
from migrator.audit.still_marked import without_still_marked
from migrator.markers import subject_of, without_ids_advice

FORMAT = "migrator.audit-baseline"
VERSION = 1

LineSource = Callable[[int], str]


class BaselineError(ValueError):
    pass


def fingerprint(rule: str, path: str, line_text: str, occurrence: int) -> str:
    return _Digests(path).of(rule, " ".join(line_text.split()), occurrence)


class _Digests:
    """`fingerprint`s of the findings of one file, of texts already
    collapsed: the hash of each (rule, text) is begun once, however many
    findings share them (a minified line holds thousands)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._begun: dict[tuple[str, str], Any] = {}

    def of(self, rule: str, normal: str, occurrence: int) -> str:
        begun = self._begun.get((rule, normal))
        if begun is None:
            key = "\0".join((rule, self.path, normal, ""))
            begun = self._begun[(rule, normal)] = hashlib.sha256(key.encode("utf-8", "surrogatepass"))
        digest = begun.copy()
        digest.update(str(occurrence).encode())
        return digest.hexdigest()[:32]


def with_fingerprints(
    findings: list[Finding], line_text: LineSource, anchor: Callable[[Finding], int] | None = None,
    own_text: Callable[[int, int], str | None] | None = None,
) -> list[Finding]:
    """Fingerprint the findings of one file (in line, column order). `anchor`
    gives the line whose text a finding is fingerprinted by (a marker comment:
    the code line it points at, so that the finding a rewrite turned into a
    marker keeps its fingerprint); its own line by default. `own_text` gives
    the text of a finding at its own (line, column) in place of its line's,
    when not None (a notebook: the line of code there). A marker (of the
    codemod, or a comment a rewrite left) also gets `said_print`, of what it
    says, and of what it is about (`markers.subject_of`, on the line it
    points at): the rewrite that writes it may edit that line too (but
for the advice that an id map fixes it, `markers.IDS_ADVICE`, which some
rewrites add and others do not). A field name of the text scanner gets
`name_print`, of the name; a marker standing for the names of other rows
gets, among `also_prints`, the `name_print` they would have were they the
name it is about. A finding of a Config request (`Finding.call`) gets
`call_print`, of its row alone: an entry of any call of that row in the
file matches a marker comment of one, which code moving, or calls before it
migrated whole, do not change. A finding that is other rows on its line
(`also`, and `pages`: `rewrite.partial-path` where the codemod would report
`host.base-url`, or the endpoint row and `pagination.params`, were the
call not held back by another) gets `row_prints`, the fingerprints their
findings would have there (`pagination.params` on the first line of the
call when it begins on another, `Finding.pages_line`: above its URL, or
below the name holding it; the marker of a helper's call that cannot see
its query, `Finding.marks_pages`, there too; the change of the answer a
test double gives beside its URL, `Finding.answered`, on its line;
counted after the findings of those rows before it on the same text, the
second same line being occurrence 1), among
`also_prints` too; a marker of a read (`Finding.read`) gets there the print
its change would have, of its line and the field it is about, and a change
of a read gets the prints of the field names it quotes (`read_prints`); a
held request's URL gets there the prints the changes of the reads of its
response would have (`Finding.response_reads`), but of those the codemod
already marks or changes."""
    seen: Counter[tuple[str, str]] = Counter()
    standing: Counter[tuple[str, str]] = Counter()
    would: Counter[tuple[str, str]] = Counter()  # (row, text) → the findings other findings stood for so far
    reads: Counter[str] = Counter()  # text and field name → the reads of it so far (`_read_print`)
    texts: dict[int, str] = {}  # line → its text, collapsed once (many findings share a long line)
    out = []
    digests: dict[str, _Digests] = {}
    known: set[tuple[int, str]] | None = None  # `_reads_of` the findings, once a held call's reads need it
    for f in findings:
        digest = (digests.get(f.path) or digests.setdefault(f.path, _Digests(f.path))).of
        number = anchor(f) if anchor is not None else f.line
        held = own_text(f.line, f.column) if own_text is not None and number == f.line else None
        text = " ".join(held.split()) if held is not None else texts.get(number)
        if text is None:
            text = texts[number] = " ".join(line_text(number).split())
        seen[(f.rule, text)] += 1
        said = f.message if f.marker or f.kind == "marker" else ""
        subject = ""
        named = None
        if said:
            # line numbers in it move; that an id map fixes it is no part of what it says (`IDS_ADVICE`),
            # nor what the audit adds of the run with ids (`still_marked`)
            said = "said\0" + _DIGITS.sub("#", without_ids_advice(without_still_marked(said)))
            seen[(f.rule, said)] += 1
            named = subject_of(f.message, text)
            if named is not None:
                subject = "about\0" + named
                seen[(f.rule, subject)] += 1
        elif f.kind == "field":  # the scanner's field name: what a marker standing for it is about
            subject = "about\0" + f.text
            seen[(f.rule, subject)] += 1
        own = {rule for rule, _ in f.stands_for}
        stood: list[str] = []
        for r, n in f.stands_for:  # counted as the findings they were: the second same line is occurrence 1
            other = texts.get(n)
            if other is None:
                other = texts[n] = " ".join(line_text(n).split())
            stood.append(digest(r, other, standing[(r, other)]))
            standing[(r, other)] += 1
        rows = []
        for r in dict.fromkeys(
            r for r in (*f.also, f.pages, f.marks_pages, f.answered) if r and r != f.rule and r not in own
        ):
            # pagination: reported on the first line of the call; a double's answer: on its line
            elsewhere = f.pages_line if r in (f.pages, f.marks_pages) else f.answer_line if r == f.answered else 0
            at = text
            if elsewhere:
                at = texts.get(elsewhere) or texts.setdefault(elsewhere, " ".join(line_text(elsewhere).split()))
            rows.append(digest(r, at, seen[(r, at)] + would[(r, at)]))
            would[(r, at)] += 1
        for line, key in f.response_reads:  # their changes once the held call moves, but those already found
            known = _reads_of(findings, anchor, line_text) if known is None else known
            if (line, key) not in known:
                other = texts.get(line)
                if other is None:
                    other = texts[line] = " ".join(line_text(line).split())
                rows.append(_read_print(digest, reads, other, key))
        read: tuple[str, ...] = ()
        if f.read:  # a marker of a read, as the change of the field it is about; a change, of each it quotes
            names = (named,) if f.marker and named is not None else () if f.marker else _quoted_names(f.text)
            read = tuple(_read_print(digest, reads, text, name) for name in names)
            rows.extend(read if f.marker else ())
        others = (*stood, *rows)
        about = digest(f.rule, subject, seen[(f.rule, subject)] - 1) if subject else ""
        out.append(changed(
            f, fingerprint=digest(f.rule, text, seen[(f.rule, text)] - 1),
            also_prints=others + (_named_as_stood(f, subject, seen, digest) if said and subject else ()),
            said_print=digest(f.rule, said, seen[(f.rule, said)] - 1) if said else "",
            subject_print=about if said else "", name_print=about if not said else "",
            call_print=digest(f.call, _CALL, 0) if f.call else "", row_prints=tuple(rows),
            read_prints=() if f.marker else read,
        ))
    return out


def _reads_of(
    findings: list[Finding], anchor: Callable[[Finding], int] | None, line_text: LineSource,
) -> set[tuple[int, str]]:
    """The reads the codemod marks or changes among a file's findings:
    (line, field name): a marker, of what it is about; a change, of each
    name it quotes."""
    found = set()
    for f in (f for f in findings if f.read):
        line = anchor(f) if anchor is not None else f.line
        named = subject_of(f.message, line_text(line)) if f.marker else None
        names = (named,) if named is not None else () if f.marker else _quoted_names(f.text)
        found.update((line, name) for name in names)
    return found


def _read_print(digest: Callable[[str, str, int], str], reads: Counter[str], text: str, name: str) -> str:
    """The print of a read of the field `name` on a line of text `text`
    (counted with the reads of it before on the same text, markers and
    changes alike: the second same line is occurrence 1)."""
    key = text + "\0" + name
    reads[key] += 1
    return digest(_READ, key, reads[key] - 1)


def _quoted_names(code: str) -> tuple[str, ...]:
    """The names a change of a read quotes (`"sources"` in `r.json()["sources"]`)."""
    return tuple(dict.fromkeys(_NAME.findall(code)))


_NAME = re.compile(r"""["']([A-Za-z_][\w.]*)["']""")
_READ = "read\0"
"""What a `read_prints` hashes as its rule (no row id holds a NUL)."""


_DIGITS = re.compile(r"\d+")
_CALL = "call\0"
"""What a `call_print` hashes besides the row (no line's text holds a NUL)."""


def _named_as_stood(
    marker: Finding, subject: str, seen: Counter[tuple[str, str]], digest: Callable[[str, str, int], str],
) -> tuple[str, ...]:
    """The `name_print`s the field names `marker` stands for would have, of
    rows other than its own, were they the name it is about: the entry of
    the `catalog_name` the scanner reported before a rewrite edited its line
    and marked it (counted with the scanner's names, in the file's order)."""
    prints = []
    for rule in dict.fromkeys(r for r, _ in marker.stands_for if r != marker.rule):
        seen[(rule, subject)] += 1
        prints.append(digest(rule, subject, seen[(rule, subject)] - 1))
    return tuple(prints)


def dump(findings: list[Finding]) -> str:
    entries = [
        {"fingerprint": f.fingerprint, "rule": f.rule, "path": f.path, "line": f.line}
        | ({"said": f.said_print} if f.said_print else {})
        | ({"about": f.subject_print or f.name_print} if f.subject_print or f.name_print else {})
        | ({"call": f.call_print} if f.call_print else {})
        | ({"also": list(f.row_prints)} if f.row_prints else {})
        for f in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule))
    ]
    return json.dumps({"format": FORMAT, "version": VERSION, "findings": entries}, indent=2) + "\n"


class Entry(NamedTuple):
    """What a baseline file records of one finding."""

    prints: tuple[str, ...]
    """Its line's fingerprint, and those of what it says, is about, and its call."""
    rows: tuple[str, ...] = ()
    """The fingerprints of the other rows it is on its line (`also`)."""


Baseline = list[Entry]


def load(path: Path) -> Baseline:
    """The fingerprints of each finding in a baseline file (UTF-8, with or
    without a BOM, or UTF-16 with one: as an editor or PowerShell's `>` saves it)."""
    try:
        data = json.loads(path.read_bytes())  # bytes: json finds the encoding, a BOM of any
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BaselineError(f"{path}: not a baseline file (no \"format\": \"{FORMAT}\")")
    if type(data.get("version")) is not int or data.get("version") != VERSION:  # `true` is no 1
        raise BaselineError(f"{path}: unsupported baseline version {data.get('version')!r}")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) and isinstance(e.get("said", ""), str)
        and isinstance(e.get("about", ""), str) and isinstance(e.get("call", ""), str)
        and isinstance(e.get("also", []), list) and all(isinstance(p, str) for p in e.get("also", []))
        for e in entries
    ):
        raise BaselineError(f"{path}: \"findings\" must be a list of objects with a fingerprint")
    return [Entry(tuple(p for p in (e["fingerprint"], e.get("said"), e.get("about"), e.get("call")) if p),
                  tuple(e.get("also", ()))) for e in entries]


def new_findings(
    findings: list[Finding], recorded: Sequence[Entry | tuple[str, ...]],
) -> tuple[list[Finding], int]:
    """Findings not in the baseline (its entries, or their prints alone),
    and how many were: each entry matches
    one finding, by its line's fingerprint first (a marker preferring the
    entry about what it is about: the `sources` and `next_page_token`
    markers of one line are told apart by the field they name before their
    order, which a rewrite adding one changes; an entry about what another
    finding is about is left to that one), else by what a marker says (a
    finding the rewrite turned into a marker on a line it also edited),
    else by what it is about (the rewrite says more of it than the audit
    could: `` `create_time` cannot be read`` for `` `create_time` looks like``,
    `` the Public field `metadata.slug` is not the Config `catalog_name` ``
    for `` `catalog_name` looks like``),
    else as one of the rows it also is on its line (a marker comment standing
    for the `endpoint.sources.get` the audit reported there before a rewrite,
    or for the field name it is about, which `--no-precise` reported there
    before a rewrite edited the line: the name's `about`), else, for a
    marker comment of a request, as the call it marks (a rewrite with ids
    migrated the call's lines and marked what is left: `rewrite.mocks` on
    the test double whose URL held a slug, `rewrite.request-body` where the
    audit said `rewrite.partial-path`; the entry's `call`), else as one of
    the rows an entry no finding took also was on its line (its `also`:
    `host.base-url` and the endpoint row where the baseline knows
    `rewrite.partial-path`, since the path that held them back is gone; each
    row of an entry matches once, so the endpoint row and
    `pagination.params` of one call both match its entry; a change of a read,
    by its `read_prints`, the entry of the `rewrite.responses` marker of that
    read while its call was held, or of the held URL whose response it reads
    where nothing marked it)."""
    baseline = [e if isinstance(e, Entry) else Entry(tuple(e)) for e in recorded]
    entries: dict[str, list[int]] = {}
    for index, entry in enumerate(baseline):
        for p in entry.prints:
            entries.setdefault(p, []).append(index)
    used: set[int] = set()
    abouts = {f.subject_print for f in findings if f.subject_print}

    def take(p: str, fits: Callable[[int], bool] = lambda index: True) -> bool:
        for index in entries.get(p, ()):
            if index not in used and fits(index):
                used.add(index)
                return True
        return False

    def same_subject(f: Finding) -> Callable[[int], bool]:
        return lambda index: f.subject_print in baseline[index].prints

    def not_anothers(f: Finding) -> Callable[[int], bool]:
        return lambda index: not any(p in abouts and p != f.subject_print for p in baseline[index].prints)

    rows: dict[str, list[int]] = {}
    for index, entry in enumerate(baseline):
        for p in entry.rows:
            rows.setdefault(p, []).append(index)
    split: set[tuple[int, str]] = set()

    def take_row(p: str) -> bool:
        """An entry no finding took, as the finding of one of its other rows."""
        for index in rows.get(p, ()):
            if index not in used and (index, p) not in split:
                split.add((index, p))
                return True
        return False

    fresh = [f for f in findings if not (f.subject_print and take(f.fingerprint, same_subject(f)))]
    fresh = [f for f in fresh if not take(f.fingerprint, not_anothers(f))]
    fresh = [f for f in fresh if not (f.said_print and take(f.said_print))]
    fresh = [f for f in fresh if not (f.subject_print and take(f.subject_print))]
    fresh = [f for f in fresh if not any(take(p) for p in f.also_prints)]
    fresh = [f for f in fresh if not (f.kind == "marker" and f.call_print and take(f.call_print))]
    fresh = [f for f in fresh if not any(take_row(p) for p in (f.fingerprint, *f.read_prints))]
    return fresh, len(findings) - len(fresh)
