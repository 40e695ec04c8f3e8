"""The values the audit produces: findings and per-file results."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from migrator.markers import selects

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")

Fix = Literal["rewrite", "rewrite-with-ids", "manual"]
"""How a finding goes away: `migrator rewrite` fixes it; it fixes it given an
id map (`--ids`); or a person must act. None when unknown (files that are not
Python, or Python read without the codemod)."""

FIX_LABELS: dict[str, str] = {
    "rewrite": "fixable-by-rewrite",
    "rewrite-with-ids": "fixable-with-ids",
    "manual": "needs-a-person",
}

Kind = Literal["host", "endpoint", "name", "fragment", "field", "pattern", "marker", "rewrite", "with-ids"]
"""`fragment`: a piece of a Config path found by a pattern row (`path_piece`);
`with-ids`: a change only a rewrite with an id map makes (it tags the text
scanner's field names in its code, see `core._merge`); reported, as a
`rewrite` finding, only on lines where nothing else is (`core.merge_findings`),
and not when it is `manual` (held back with a marker of a person's)."""


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    """1-based."""
    column: int
    """1-based, in characters."""
    rule: str
    severity: Severity
    message: str
    text: str
    """The matched text (a codemod's change over several lines: on one line)."""
    kind: Kind = "pattern"
    fix: Fix | None = None
    fingerprint: str = ""
    """Set once a file is complete (see `migrator.audit.baseline`)."""
    also: tuple[str, ...] = ()
    """For a finding of the codemod: the rows the text scanner reports at
    the same place (`host.base-url`, `endpoint.sources.list`), its own rule
    among them when the scanner reports it too; empty when they are just
    `rule`. Selection, `--ignore` and suppression comments match them too
    (`covered_by`, `answers_to`)."""
    marker: bool = False
    """A marker of the codemod: its `message` is what a rewrite writes as its
    comment (a marker comment already written is `kind` "marker")."""
    said_print: str = ""
    """For a marker, of the codemod or a comment a rewrite left: a second
    fingerprint, of what it says instead of its line (see `baseline`)."""
    subject_print: str = ""
    """For a marker that names what it is about (a field: the name it starts
    with, or the first it quotes that the line it points at holds,
    `markers.subject_of`): a third fingerprint, of that (see `baseline`)."""
    name_print: str = ""
    """For a Config field name the text scanner found (`kind` "field"): a
    print of the name (its rule, file, and which occurrence of that name in
    the file it is), recorded in a baseline as `about` but matched by markers
    only: those standing for the name match it once a rewrite edited its
    line (see `baseline`); the finding itself matches by its line."""
    stands_for: tuple[tuple[str, int], ...] = ()
    """For a marker comment: (rule, line) of the findings it stands for
    (the scanner's `endpoint.sources.get` on the URL line of the statement it
    points at, a field name it quotes there): they are not reported apart."""
    end_line: int = field(default=0, compare=False)
    """Where the code a change of the codemod covers ends (1-based line, with
    `end_column`, the 1-based column after its last character); 0 when not
    known: then it ends `len(text)` characters after `column`, on `line`.
    Set too where the text of a finding is not the file's there: rebuilt from
    pieces (`rebuilt.placed`: where its last piece ends), decoded (a notebook's
    escapes, a Postman array's elements)."""
    end_column: int = field(default=0, compare=False)
    joined_line: int = field(default=0, compare=False)
    """For a finding in a string the audit rebuilt from pieces (a join over
    lines, `rebuilt.placed`) whose first piece is on a line below the one the
    string was read on (where the join starts): that line. Its fingerprint is
    of that line's text and a suppression comment there covers it, as before
    its place was its pieces'; 0 otherwise."""
    also_prints: tuple[str, ...] = ()
    """For a finding that stands for others (`stands_for`, or the rows it
    also is on its line, `also`): the fingerprints they would have, so that a
    baseline entry of one of them still matches it (a marker a rewrite left
    where the audit reported `endpoint.sources.get`; see `baseline`)."""

    call: str = ""
    """For a finding of a Config request (of its endpoint row, carrying one
    in `also`, or a marker comment of a request quoting a row's Config call,
    `PUT /v1beta/workspaces/{workspace}/tracking-plans/{plan}`): that row."""
    call_print: str = ""
    """For a finding with a `call`: a fingerprint of its row and file, by
    which a marker comment matches the entry of the request it marks once a
    rewrite edited its lines (see `baseline`)."""
    pages: str = ""
    """For a finding of a Config request kept on the Config API (its `call`
    a paginated endpoint row that is not its rule: `rewrite.partial-path`,
    `rewrite.slug-ids`): the pagination row, whose change the codemod
    reports on the call once it moves (`pagination.params`)."""
    pages_line: int = 0
    """For a finding with `pages` on a request's URL argument: the line the
    request's call begins on, where the codemod reports `pages` once the
    call moves (`requests.get(` above the URL of a call spread over lines);
    0 when not known: its own line."""
    marks_pages: str = ""
    """For a finding with `pages` whose URL is given to a helper of the file
    (`fetch(url)`, a function sending it as a request's URL): the rewrite
    row that marks the helper's call once the call moves, when it cannot
    see the query there (`rewrite.pagination`; reported where `pages` is)."""
    answered: str = ""
    """For a finding of a request held on the Config API that is the URL a
    test double registers with an answer beside it (`responses.add(responses.GET,
    url, json={…})`): the rewrite row that changes the answer once the call
    moves (`rewrite.mocks`), reported on `answer_line`."""
    answer_line: int = 0
    """For a finding with `answered`: the line its answer begins on."""
    response_reads: tuple[tuple[int, str], ...] = ()
    """For a finding of a request held on the Config API, its URL argument:
    the reads of its response by a string key (line, key: `r.json()["sources"]`),
    whose changes the codemod reports once the call moves (see `baseline`)."""
    read: bool = False
    """A finding of the codemod about a read of a response (`rewrite.responses`,
    a resource's or the envelope's row): a marker, of the field it is about,
    or a change, of the field names it quotes (see `read_prints`)."""
    read_prints: tuple[str, ...] = ()
    """For a change with `read`: a fingerprint of its line and each field
    name it quotes, by which it matches the entry of the marker of the same
    read on that line that a call held back (`rewrite.responses` while the
    call stayed, `envelope.list` once it moves; see `baseline`)."""
    row_prints: tuple[str, ...] = ()
    """For a finding that is other rows on its line (`also`, `pages`), or a
    marker of a read (`read`): the fingerprints their findings would have
    (the read's change: its `read_prints`), recorded in a baseline as `also`
    so that each matches its entry once the rule moved to them (the call
    held back by another is free to move; see `baseline`)."""

    def end(self) -> tuple[int, int] | None:
        """Where the finding's text ends: line, and the column after it."""
        if self.end_line:
            return self.end_line, self.end_column
        return (self.line, self.column + len(self.text)) if self.text else None

    def answers_to(self, selectors: Iterable[str]) -> bool:
        """Whether a selector names its rule or one of the rows it also is (`--select`)."""
        return any(selects(rule, s) for s in selectors for rule in (self.rule, *self.also))

    def covered_by(self, selectors: Iterable[str]) -> bool:
        """Whether the selectors drop it (`--ignore`, suppression comments):
        they name its rule, or every row it also is."""
        chosen = tuple(selectors)
        if any(selects(self.rule, s) for s in chosen):
            return True
        return bool(self.also) and all(any(selects(rule, s) for s in chosen) for rule in self.also)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "text": self.text,
            "fix": FIX_LABELS.get(self.fix) if self.fix else None,
            "fingerprint": self.fingerprint,
        }
        if self.also:
            data["also"] = list(self.also)
        return data


_FINDING_FIELDS = frozenset(f.name for f in fields(Finding))


def changed(finding: Finding, **changes: Any) -> Finding:
    """`dataclasses.replace(finding, **changes)` for the loops over a file's
    findings, 7 times faster: the fields copied, not passed to `__init__`
    again (which sets each of them, frozen, through `object.__setattr__`);
    the same `Finding`, as it has no `__post_init__` nor init-only fields."""
    if not changes.keys() <= _FINDING_FIELDS:
        raise TypeError(f"not fields of Finding: {sorted(changes.keys() - _FINDING_FIELDS)}")
    new = object.__new__(Finding)
    new.__dict__.update(finding.__dict__, **changes)
    return new


class Findings(list[Finding]):
    """The codemod's findings in a file, and the workspaces its migrated
    calls drop (`RewriteResult.workspaces`; the cache keeps them too)."""

    workspaces: tuple[tuple[str, int], ...] = ()


@dataclass
class FileResult:
    """What scanning one file gave: findings, or why it was not scanned."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    skipped: str | None = None
    """Why the file was not scanned (binary, too large): a note, not an error."""
    error: str | None = None
    """Why the file could not be read: counts as an error (exit 2)."""
    notes: list[str] = field(default_factory=list)
    """Things worth knowing, e.g. badly encoded, or Python read as text."""
    suppressed: int = 0
    calls_segment: bool = False
    """The file calls the Config or the Public API (see `links`)."""
    bases: tuple[str, ...] = ()
    """For a settings module (`shared_plan.base_names`): its base URL
    constants; it links only the files that name one of them."""
    reads_fields: bool = False
    """No Config API of its own, but Config field names: reported where the
    file is linked to one that calls a Segment API (see `links`)."""
    imports: tuple[str, ...] = ()
    """What a file that calls a Segment API or reads field names imports
    (`imports.import_specs`)."""
    precise: str = ""
    """Whether the codemod read the file ("read") or its cache answered for
    it ("cached"), for `--stats` (`stats.count_precise`)."""
    joins: tuple[str, ...] = ()
    """In Python, the names a Config path head is joined to
    (`f"{API}/access-tokens"`: `joined_bases`), read again if a module of the
    tree binds one to a Config base (`shared`)."""
    workspaces: tuple[tuple[str, int], ...] = ()
    """In Python, the workspaces the codemod's migrated calls drop, each with
    a line (`RewriteResult.workspaces`), compared across the run's files (`workspaces`)."""
