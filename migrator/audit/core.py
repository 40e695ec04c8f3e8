"""The pure core: one file's bytes in, its findings out. No files, no click."""

from __future__ import annotations

import codecs
import re
import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Literal

from migrator.audit.base_urls import arrow_assigns
from migrator.audit.baseline import with_fingerprints
from migrator.audit.cache import Entry, PreciseCache
from migrator.audit.client_bases import client_paths
from migrator.imports import import_specs, language
from migrator.audit.model import FileResult, Finding, Fix, changed
from migrator.audit.notebook import cells_code, code_lines, is_notebook, source_texts
from migrator.audit.own_names import without_own_names
from migrator.audit.own_reports import is_own_report
from migrator.audit.diffs import NOTE as DIFF_NOTE, added_lines, is_diff
from migrator.audit.joined_bases import joined_names, on_joined_bases
from migrator.audit.joined_lists import joined_paths, may_hold_joined_lists
from migrator.audit.postman import (
    Joined, base_variables, config_base, joined_urls, may_hold_url_arrays, on_config_bases, uses_variables,
    variable_values,
)
from migrator.audit.request_items import SUFFIXES as ITEM_SUFFIXES, may_hold_items, other_items, outside_other_items
from migrator.audit.still_marked import without_still_marked
from migrator.audit.statements import QUOTED, marker_target, standing, statement_end, statements_on
from migrator.audit.rebuilt import Pieces, placed
from migrator.audit.request_calls import request_calls
from migrator.files import PYTHON_SUFFIXES
from migrator.generated import generated_header, not_rewritten
from migrator.audit.python import Codemod, codemod_findings, default_codemod, other_packages_of, packages_key, shorten
from migrator.markers import advises_ids, with_ids_advice, without_ids_advice
from migrator.source_encoding import declared_encoding
from migrator.audit.suppress import is_suppressed, quiets, semicolon_comments, suppressions
from migrator.audit.table import Catalog, compile_rules, row_severity
from migrator.audit.text import scan_text_in_context
from migrator.audit.text_scan import Lines
from migrator.rewrite.shared_plan import base_names
from migrator.ruleset import RuleSet
from migrator.ruleset.models import EndpointRow, EnvelopeRow, PaginationRow, ResourceRow, RewriteRow

BINARY_PROBE = 8192


class Auditor:
    """The table compiled once, and the codemod: `migrator.rewrite` when it is
    installed ("auto"), another one (tests), or none (Python read as text);
    with a cache, what the codemod found is kept between runs."""

    def __init__(
        self, rules: RuleSet, codemod: Codemod | None | Literal["auto"] = "auto",
        cache: PreciseCache | None = None,
    ) -> None:
        self.rules = rules
        self.catalog: Catalog = compile_rules(rules)
        self.codemod = default_codemod(rules) if codemod == "auto" else codemod
        self.cache = cache
        self.hosts = (*rules.config_hosts, *rules.public_hosts)
        """Segment API hosts (for `base_names`)."""
        self.precise: Counter[str] = Counter()
        """Python files the codemod read ("read"), or whose findings came from the cache ("cached")."""
        self.version = self.catalog.version_start.rstrip("/")
        self.config_base = config_base(rules.config_hosts, self.version)
        """A Postman variable's value that is the Config base URL."""
        self.calls = first_calls(rules)
        """`with_calls`'s table, built once rather than for each file."""

    def scan(
        self, path: str, data: bytes, variables: frozenset[str] = frozenset(), bases: frozenset[str] = frozenset(),
        prefiltered: bool = False,
    ) -> FileResult:
        """`variables`: Postman variables that environment files of the run
        set to the Config base; `bases`: names a Python file imports that a
        module of the tree binds to a Config base ending at the version
        (`joined_bases`: the Config paths joined to them are whole);
        `prefiltered`: the caller found `data` holds triggers of `path`
        (`Catalog.prefilter_for`), not searched for again."""
        result = FileResult(path)
        if data.startswith(UTF16_BOMS):
            data, prefiltered = from_utf16(data), False  # other bytes than those searched
        if data.find(b"\0", 0, BINARY_PROBE) >= 0:
            result.skipped = "binary"
            return result
        catalog = self.catalog
        if not prefiltered and not catalog.prefilter_for(path)(data) \
                and not (variables and uses_variables(data, variables)) and not self.takes_apart(path, data):
            return result
        if is_own_report(path, data, catalog.prefilter_for(path)):
            result.notes.append("not read: a report of `migrator` (it quotes what it found)")
            return result
        linked = language(path) is not None
        python = path.endswith(PYTHON_SUFFIXES)
        if linked and not bases and not catalog.has_trigger(path, data):
            # Only the Public host, Config field names or path heads joined to a name: for `links`, `shared`.
            text = decode(data, python)[0]
            # a resource name taken apart is a read the codemod marks in a linked file (precise mode)
            result.calls_segment, result.reads_fields = catalog.link_flags(data, python and self.codemod is not None)
            result.reads_fields = result.reads_fields or self._splits_public(result.calls_segment, python, text)
            result.imports = import_specs(path, text)
            result.joins = joined_names(text, catalog.path_heads) if python else ()
            return result
        # The codemod's own byte search (host, `v1beta`) is narrower than the
        # triggers, so it is only asked about files the triggers let through.
        # A generated file is not read by it, as `migrator rewrite` does not rewrite it.
        generated = generated_header(data) if python and self.codemod is not None else None
        codemod = self.codemod if python and generated is None else None
        precise = codemod is not None and codemod.may_need_rewrite(data)
        text, decoded = decode(data, path.endswith(PYTHON_SUFFIXES))
        if not decoded:
            result.notes.append("not valid UTF-8: read with replacement characters")
        if is_diff(path, data):  # a saved `rewrite --diff`, a patch: what it adds
            text = added_lines(text)
            if not catalog.prefilter_for(path)(text.encode()):
                result.notes.append(DIFF_NOTE)
                return result
        lines = Lines(text)
        # suppressions, known first: a Config URL quoted on purpose gives no context to the names around it
        table, problems = suppressions(lines, catalog.rows, is_notebook(path), path.endswith(PYTHON_SUFFIXES),
                                       semicolon_comments(path)) if "migrator:" in text else (None, [])
        quiet = partial(quiets, table) if table and not is_notebook(path) else None
        if is_notebook(path):
            # Only the cells' source is code: not metadata nor outputs; read as the code it holds.
            code, columns = cells_code(text)
            findings, context = scan_text_in_context(path, code, catalog)
            findings = [columns.placed(f) for f in findings]
        elif path.lower().endswith(".json") and (may_hold_url_arrays(data) or "{{" in text):
            # `{{baseUrl}}/` of a variable set to the Config base, as the version prefix
            names = base_variables(text, self.config_base) | variables
            read, based = on_config_bases(text, names, self.version)
            # and Postman URLs given as `host` and `path` arrays, as the strings they stand for
            read, arrays = joined_urls(read, names, self.version) if may_hold_url_arrays(data) else (read, [])
            read_lines = lines if read == text else Lines(read)
            findings, context = scan_text_in_context(path, read, catalog, read_lines, quiet=quiet)
            findings = at_elements(at_variables(findings, based, lines), arrays, read_lines, lines)
        else:
            # Config paths joined to a Config base another module binds, as joined to the version prefix
            read, based = on_joined_bases(text, bases, catalog.path_heads, self.version) if python else (text, [])
            # paths joined from lists of segments (`"/".join(["workspaces", ws, "regulations"])`)
            # (after a base ending at the version, `File.join(BASE, "catalog", "sources")`, any path head)
            heads, any_head = (catalog.names_start.rstrip("/"), catalog.version_start.rstrip("/")), catalog.path_heads
            pieces = Pieces()
            joined, after_base = joined_paths(read, heads, lambda p: bool(catalog.routes_for(p)), any_head, pieces,
                                             arrow_assigns(path)) \
                if may_hold_joined_lists(read, heads, any_head) else (read, {})
            # relative paths given to a client built with a Config base (`api.get("catalog/sources")`)
            after_base = {**after_base, **client_paths(joined, catalog.host_names, catalog.version_start,
                                                       path.lower().endswith((".yaml", ".yml")), catalog.names_start)}
            joined_lines = lines if joined == text else Lines(joined)
            findings, context = scan_text_in_context(path, joined, catalog, joined_lines, after_base, quiet)
            if pieces:  # at the file's lines and columns: a join's path at its pieces (and after a join over lines)
                findings = placed(findings, pieces, joined_lines, lines)
            findings = at_variables(findings, based, lines)
            if python:
                result.joins = joined_names(text, catalog.path_heads)
        if path.lower().endswith(ITEM_SUFFIXES) and may_hold_items(text):
            # the field names of a collection's or HAR file's requests to another API are that API's
            values = {k: v for k, v in variable_values(text).items() if k not in variables}
            findings = outside_other_items(findings, other_items(text, values, catalog.other_api), lines)
        exact = self._precise(path, data, codemod, result) if precise and codemod is not None else None
        if isinstance(exact, list):
            result.workspaces = getattr(exact, "workspaces", ())
            context = context or bool(exact)
            findings = [f for f in findings if not getattr(self.rules.by_id.get(f.rule), "codemod_finds", False)]
            merged = merge_findings(findings, exact, lines, self.rules, catalog)
            findings = without_own_names(merged, text, _changed_or_marked(findings, exact, lines), catalog)
        else:
            if any(f.kind == "marker" for f in findings):  # what a rewrite marked is its to-do
                findings = merge_findings(findings, [], lines, self.rules, catalog)
            if codemod is not None and exact is not None:
                result.notes.append(exact)  # the codemod cannot read it
            # the codemod leaves this file alone (no Config host, generated), or cannot read it: a person's;
            # no tags without it
            fix = "manual" if codemod is not None or generated is not None else None
            findings = [f if f.fix == fix else changed(f, fix=fix) for f in findings]
            if generated is not None:  # why, as the rewrite says it
                findings = [f if f.kind == "marker" else changed(f, message=f"{f.message}; {not_rewritten(generated)}")
                            for f in findings]
        if linked:
            public, words = catalog.link_flags(data, python and self.codemod is not None)
            result.calls_segment, result.reads_fields = context or public, words and not context
            result.reads_fields = result.reads_fields or not context and self._splits_public(public, python, text)
            if result.calls_segment and path.endswith(PYTHON_SUFFIXES):
                result.bases = base_names(data, self.hosts, catalog.names_start.rstrip("/"))
            if result.calls_segment or result.reads_fields:
                result.imports = import_specs(path, text)
        if findings and table is not None:
            result.notes.extend(problems)
            kept = [f for f in findings if not is_suppressed(f, table)]
            result.suppressed = len(findings) - len(kept)
            findings = without_lone_reads(findings, kept, self.rules)
        findings = with_calls(findings, self.rules, self.calls)
        if python and any(_held(self.rules, f.rule, f.call) for f in findings):
            findings = at_request_calls(findings, text, lines, self.rules)
        findings.sort(key=lambda f: (f.line, f.column, f.rule))
        anchor = partial(fingerprint_anchor, lines)
        if is_notebook(path):
            result.findings = _notebook_prints(findings, text, lines, anchor)
        else:
            result.findings = with_fingerprints(findings, lines.line, anchor)
        return result

    def _splits_public(self, public: bool, python: bool, text: str) -> bool:
        """A file that calls the Public API holds a match of a pattern row
        also reported there (`links` reports it); in Python, unless the
        codemod reads it (it knows which values hold Config responses)."""
        return public and not (python and self.codemod is not None) \
            and next(self.catalog.public_matches(text), None) is not None

    def takes_apart(self, path: str, data: bytes) -> bool:
        """A Python file that splits a resource name on `/`, read for `links`
        with the codemod (precise mode) although the prefilter clears it."""
        return self.codemod is not None and path.endswith(PYTHON_SUFFIXES) and self.catalog.takes_apart(data)

    def _precise(self, path: str, data: bytes, codemod: Codemod, result: FileResult) -> Entry:
        """The codemod's findings, or a note saying why the file is read as
        text; counted, and noted in `result.precise`."""
        # told of the workspaces other files drop: its findings depend on them
        cache = self.cache if not (codemod.run_workspaces and path in codemod.run_workspaces) else None
        packages = other_packages_of(path, data)
        key = cache.key(packages_key(data, packages)) if cache is not None else None
        if cache is not None and key is not None:
            found = cache.get(key, path)
            if found is not None:
                self.precise["cached"] += 1
                result.precise = "cached"
                return found
        self.precise["read"] += 1
        result.precise = "read"
        try:
            exact: Entry = codemod_findings(path, data, self.rules, codemod, packages)
        except codemod.error as exc:
            exact = f"read as text: the codemod cannot parse it ({exc})"
        except Exception as exc:  # a codemod bug must not stop the audit (nor be kept)
            return f"read as text: the codemod failed ({type(exc).__name__}: {exc})"
        if cache is not None and key is not None:
            cache.put(key, exact)
        return exact


def without_lone_reads(found: list[Finding], kept: list[Finding], rules: RuleSet) -> list[Finding]:
    """`kept` (the `found` no suppression comment covers), without the
    codemod's findings of response reads when they are all that is left and
    a comment covers a call, a host or a path: a Config host or path
    suppressed gives its file no API context, and the reads are of the calls
    kept on the Config API on purpose (the codemod leaves what a comment
    covers alone, and may mark the reads of its responses it cannot tell apart)."""
    if not kept or not all(_codemods_read(f, rules) for f in kept):
        return kept
    taken = {id(f) for f in kept}
    return [] if any(not _codemods_read(f, rules) for f in found if id(f) not in taken) else kept


def _codemods_read(f: Finding, rules: RuleSet) -> bool:
    """The codemod's marker or change of a read of a response (`Finding.read`, before `with_calls` sets it)."""
    return f.kind == "rewrite" and _of_a_read(f.rule, rules)


def at_variables(findings: list[Finding], spans: list[tuple[int, int]], lines: Lines) -> list[Finding]:
    """Findings starting where a variable was read as the version prefix
    (`on_config_bases`): from the variable, with its text as written."""
    if not spans:
        return findings
    where: dict[int, list[tuple[int, int]]] = {}
    for start, end in spans:
        line, column = lines.locate(start)
        where.setdefault(line, []).append((column, column + end - start))
    out = []
    for f in findings:
        span = next(((a, b) for a, b in where.get(f.line, ()) if a <= f.column < b), None)
        if span is not None:
            f = replace(f, column=span[0], text=lines.line(f.line)[span[0] - 1 : f.column - 1 + len(f.text)])
        out.append(f)
    return out


def at_elements(findings: list[Finding], arrays: list[Joined], read: Lines, lines: Lines) -> list[Finding]:
    """Findings in a string read for a Postman array (`joined_urls`), in
    `read`'s lines, moved to the array's element they start in, at the
    file's `lines`; one that starts with a host variable's version prefix
    shows the variable."""
    if not arrays:
        return findings
    where: dict[int, list[tuple[int, int, Joined]]] = {}
    for joined in arrays:
        line, column = read.locate(joined.parts[0][0])
        where.setdefault(line, []).append((column, column + joined.end - joined.parts[0][0], joined))
    out = []
    for f in findings:
        array = next((a for a in where.get(f.line, ()) if a[0] <= f.column <= a[1]), None)
        if array is not None:
            f = _in_element(f, array[0], array[2], read, lines)
        out.append(f)
    return out


def _in_element(f: Finding, column: int, joined: Joined, read: Lines, lines: Lines) -> Finding:
    at = joined.parts[0][0] + f.column - column  # where it starts in the text read
    start, origin = next(p for p in reversed(joined.parts) if p[0] <= at)
    version, shown = joined.shown
    if version and at == joined.parts[0][0]:
        line, column = lines.locate(origin)  # the version prefix read for the host variable: its first element
        moved = replace(f, line=line, column=column, text=shown + f.text.removeprefix(version))
        return _element_end(moved, at + len(f.text), joined, lines)
    line, column = lines.locate(origin + at - start)
    return _element_end(replace(f, line=line, column=column), at + len(f.text), joined, lines)


def _element_end(f: Finding, at: int, joined: Joined, lines: Lines) -> Finding:
    """`f`, whose text ends at `at` in the string read for a Postman array,
    ending in the file where that is: in the array's element it ends in."""
    ends = [*(p[0] - 1 for p in joined.parts[1:]), joined.end]  # where each part's text ends, as read
    i = max((i for i, p in enumerate(joined.parts) if p[0] < at), default=0)
    start, origin = joined.parts[i]
    end_line, end_column = lines.locate(origin + min(at, ends[i]) - start)
    if (end_line, end_column) == (f.line, f.column + len(f.text)):
        return f
    return replace(f, end_line=end_line, end_column=end_column)


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def from_utf16(data: bytes) -> bytes:
    """A text in UTF-16 with a byte order mark (as Windows PowerShell writes
    files) in UTF-8, for the searches that follow; not UTF-32, binary here."""
    if data.startswith(codecs.BOM_UTF32_LE):
        return data
    return data.decode("utf-16", "replace").encode("utf-8")


def decode(data: bytes, python: bool = False) -> tuple[str, bool]:
    """UTF-8, or for Python the encoding its first lines declare (PEP 263).
    A lone carriage return (an old Mac file) reads as the line break it is
    to Python and to editors, `\n` (same length: offsets hold)."""
    try:
        text, ok = data.decode("utf-8"), True
    except UnicodeDecodeError:
        declared = _declared_encoding(data) if python else None
        try:
            text, ok = (data.decode(declared), True) if declared else (data.decode("utf-8", "replace"), False)
        except (UnicodeDecodeError, LookupError):  # LookupError: not a text encoding (rot13)
            text, ok = data.decode("utf-8", "replace"), False
    text = text.removeprefix("\ufeff")
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        text = _LONE_RETURN.sub("\n", text)
    return text, ok


_LONE_RETURN = re.compile(r"\r(?!\n)")


def _declared_encoding(data: bytes) -> str | None:
    try:
        encoding = declared_encoding(data)
    except SyntaxError:  # a declaration Python itself refuses
        return None
    return None if encoding.startswith("utf-8") else encoding


def _notebook_prints(
    findings: list[Finding], text: str, lines: Lines, anchor: Callable[[Finding], int],
) -> list[Finding]:
    """Fingerprinted by the line of code of a cell at the finding, not by
    the JSON text of the file's line, however the source is stored (a
    string per line, as Jupyter saves it, or all on one line); the
    fingerprints of earlier versions (of the code of a source line alone
    on its line, of the JSON text) are kept among `also_prints`, so that
    their baselines still match."""
    held = source_texts(text)
    code = with_fingerprints(findings, lines.line, anchor, code_lines(text).at)
    earlier = (with_fingerprints(findings, lambda n: held.get(n, lines.line(n)), anchor),
               with_fingerprints(findings, lines.line, anchor))
    return [replace(f, also_prints=(*f.also_prints, *dict.fromkeys(
                o.fingerprint for o in olds if o.fingerprint != f.fingerprint)))
            for f, *olds in zip(code, *earlier)]


def fingerprint_anchor(lines: Lines, f: Finding) -> int:
    """The line a finding is fingerprinted by: a marker comment's target."""
    return marker_target(lines, f.line, f.column) if f.kind == "marker" else f.joined_line or f.line


def merge_findings(
    text_findings: list[Finding], exact: list[Finding], lines: Lines, rules: RuleSet, catalog: Catalog,
) -> list[Finding]:
    """`_merge`; a marker comment pointing at a line of several statements
    (`a = requests.get(URL1); b = requests.get(URL2)`) stands for the one it
    names: the others' findings are merged as those of a line of their own.
    A change only a run with ids makes is a finding on lines no other
    finding is on (`_unseen`)."""
    by_ids = [f for f in exact if f.kind == "with-ids"]
    with_ids = _field_changes(by_ids, text_findings, rules)
    exact = [f for f in exact if f.kind != "with-ids"]
    merge = partial(_merge, lines=lines, rules=rules, catalog=catalog, with_ids=with_ids)
    others = _other_statements(text_findings, exact, lines, rules)
    if not others:
        merged = merge(text_findings, exact)
    else:
        merged = merge([f for f in text_findings if id(f) not in others], [f for f in exact if id(f) not in others])
        merged += merge([f for f in text_findings if id(f) in others], [f for f in exact if id(f) in others])
    return merged + _unseen(by_ids, merged, lines)


def _changed_or_marked(text_findings: list[Finding], exact: list[Finding], lines: Lines) -> set[int]:
    """The lines the codemod changes or marks, and those of the statements
    the marker comments already in the file point at."""
    out: set[int] = set()
    for f in exact:
        out.update(range(f.line, max(f.line, f.end_line or f.line) + 1))
    for f in text_findings:
        if f.kind == "marker":
            first = marker_target(lines, f.line, f.column)
            out.update(range(first, statement_end(lines, first) + 1))
    return out


def _unseen(by_ids: list[Finding], found: list[Finding], lines: Lines) -> list[Finding]:
    """The changes only a run with ids makes (`with-ids`) on lines no finding
    is on (for a marker comment: the statement it points at): the envelope read
    of a call kept on the Config API for a path that lacks an id, which
    moves with the path, has no marker of its own. Not those held back with
    a marker of a person's (`python.codemod_findings`). And the markers that
    run writes there with its changes (the secret values of settings read
    once their call moves): what it writes as its comment, so that a
    baseline knows it after that run."""
    taken: set[int] = set()
    for f in found:
        if f.kind == "marker":  # the statement it points at
            first = marker_target(lines, f.line, f.column)
            taken.update(range(first, statement_end(lines, first) + 1))
        else:
            taken.update(range(f.line, max(f.line, f.end_line or f.line) + 1))
    return [replace(f, kind="rewrite") for f in by_ids if (f.fix == "rewrite-with-ids" or f.marker)
            and not taken.intersection(range(f.line, max(f.line, f.end_line or f.line) + 1))]


def _other_statements(text_findings: list[Finding], exact: list[Finding], lines: Lines, rules: RuleSet) -> set[int]:
    """The ids of the findings, on a line that a marker comment of a request
    points at, in a statement other than those its markers name there. A
    marker naming none that can be told (no finding of its row or path in
    one statement) stands for the whole line, as on a line of one statement."""
    owned: dict[int, set[int] | None] = {}
    """Line pointed at → the statements its markers name (indexes), None for the whole line."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for m in text_findings:
        if m.kind != "marker" or _of_a_read(m.rule, rules):
            continue
        target = marker_target(lines, m.line, m.column)
        if target not in spans:
            spans[target] = statements_on(lines.line(target))
        if len(spans[target]) < 2:
            continue
        column = _named_column(m, target, [*exact, *text_findings], rules)
        index = next((i for i, (a, b) in enumerate(spans[target]) if a <= column < b), None) if column else None
        named = owned.setdefault(target, set())
        if index is None or named is None:
            owned[target] = None
        else:
            named.add(index)
    out: set[int] = set()
    for f in (*text_findings, *exact):
        named = owned.get(f.line)
        if named is None or f.kind == "marker":
            continue
        index = next((i for i, (a, b) in enumerate(spans[f.line]) if a <= f.column < b), None)
        if index is not None and index not in named:
            out.add(id(f))
    return out


def _named_column(marker: Finding, target: int, found: list[Finding], rules: RuleSet) -> int | None:
    """Where on the line `target` the marker comment's request is: the
    codemod's marker of its row there, a finding of its row, or of the
    endpoint row whose Config path it quotes (`/v1beta/workspaces/{workspace}/sources/{source}`)."""
    on_line = [f for f in found if f.line == target and f.kind != "marker"]
    quoted = set(QUOTED.findall(marker.message))
    for same in (lambda f: f.marker and f.rule == marker.rule, lambda f: f.rule == marker.rule,
                 lambda f: _config_path(rules, f.rule) in quoted):
        column = next((f.column for f in on_line if same(f)), None)
        if column is not None:
            return column
    return None


def first_calls(rules: RuleSet) -> dict[str, str]:
    """Each Config call (`GET /v1beta/workspaces/{workspace}/sources`) → the first endpoint row of it."""
    return {row.config: row.id for row in reversed(rules.endpoints)}


def with_calls(findings: list[Finding], rules: RuleSet, calls: dict[str, str] | None = None) -> list[Finding]:
    """The findings, each of a Config request with the endpoint row of that
    request (`Finding.call`): its own row or the first it carries (`also`:
    the codemod's `rewrite.slug-ids` on the scanner's `endpoint.tracking-plans.update`),
    or, for a marker comment of a request, the first row whose Config call
    it quotes (`PUT /v1beta/workspaces/{workspace}/tracking-plans/{plan}`);
    a request kept on the Config API to a paginated row (its rule another)
    also with the pagination row (`Finding.pages`); the codemod's findings of
    a read of a response flagged (`Finding.read`). `calls`: `first_calls` of
    `rules`, when the caller keeps it (it is the same for every file)."""
    calls = first_calls(rules) if calls is None else calls
    out = []
    for f in findings:
        if f.kind == "marker":
            named = () if _of_a_read(f.rule, rules) else (calls.get(q) for q in QUOTED.findall(f.message))
        else:
            named = (r for r in (f.rule, *f.also) if isinstance(rules.by_id.get(r), EndpointRow))
        call = next((r for r in named if r), "")
        read = f.kind == "rewrite" and _of_a_read(f.rule, rules)  # the codemod's marker or change of a read
        out.append(changed(f, call=call, pages=_pages(rules, f.rule, call), read=read) if call or read else f)
    return out


def _pages(rules: RuleSet, rule: str, call: str) -> str:
    """The pagination row, for a finding of rule `rule` standing for a call of
    the endpoint row `call` that has not moved (`_held`): a paginated call
    gets its change once it does; "" otherwise."""
    row = rules.by_id.get(call)
    paginated = isinstance(row, EndpointRow) and row.paginated
    return rules.pagination.id if paginated and _held(rules, rule, call) else ""


def _held(rules: RuleSet, rule: str, call: str) -> bool:
    """A finding of rule `rule` stands for a call of the endpoint row `call`
    that has not moved: not that row's own finding, nor its pagination's."""
    return bool(call) and rule != call and rule != rules.pagination.id


def at_request_calls(findings: list[Finding], text: str, lines: Lines, rules: RuleSet) -> list[Finding]:
    """The findings of a request held on the Config API that are the URL
    argument of a request (`request_calls`), with where the codemod reports
    what they change once the call moves: the pagination change on the
    call, from its first line (`Finding.pages_line`), or the marker of a
    helper's call whose query it cannot see (`Finding.marks_pages`); the
    changes of the reads of its response (`Finding.response_reads`), and of
    the answer a test double registering it gives (`Finding.answered`)."""
    sends = request_calls(text, lines)
    out = []
    for f in findings:
        sent = sends.get((f.line, f.column)) if _held(rules, f.rule, f.call) else None
        if sent is None:
            out.append(f)
            continue
        out.append(replace(
            f, pages_line=sent.line if f.pages and sent.line not in (0, f.line) else 0, response_reads=sent.reads,
            marks_pages=_rewrite_row(rules, PAGES_KIND) if sent.helper and f.pages else "",
            answered=_rewrite_row(rules, MOCKS_KIND) if sent.answer else "", answer_line=sent.answer,
        ))
    return out


PAGES_KIND = "pagination"
"""The `kind` of the rewrite row that marks a paginated call whose query cannot be seen."""
MOCKS_KIND = "mocks"
"""The `kind` of the rewrite row that changes the answers of test doubles."""


def _rewrite_row(rules: RuleSet, kind: str) -> str:
    """The id of the rewrite row of `kind`; "" when there is none."""
    return next((r.id for r in rules.rows if isinstance(r, RewriteRow) and r.kind == kind), "")


def _config_path(rules: RuleSet, rule: str) -> str | None:
    """The Config path of an endpoint row (`/v1beta/workspaces/{workspace}/sources`)."""
    row = rules.by_id.get(rule)
    return row.config.split(" ", 1)[-1] if isinstance(row, EndpointRow) else None


def _merge(
    text_findings: list[Finding], exact: list[Finding], lines: Lines, rules: RuleSet, catalog: Catalog,
    with_ids: Sequence[Span] = (),
) -> list[Finding]:
    """The codemod's findings, plus what the text scanner saw that the codemod
    leaves alone (lines it does not touch; field names and query parameters
    anywhere but in the code of its own field changes): those need a person,
    but for field names in the code of a field change that only a rewrite
    with an id map makes (`with_ids`: a body sent to a path that lacked ids).
    A marker comment already in the file stands for the codemod's own marker
    on the line it points at. What the scanner saw on a line the codemod
    covers is carried by the codemod's finding there (`_carry`)."""
    marked = set()
    by_hand: set[int] = set()
    """Lines a marker left by a rewrite says a person must change."""
    statement: dict[int, int] = {}
    """Each line of a statement a marker comment of a request points at → the line it points at."""
    for f in text_findings:
        if f.kind == "marker":
            target = marker_target(lines, f.line, f.column)
            marked.add((f.rule, target))
            if _of_a_read(f.rule, rules):
                continue  # it stands for the read it names, not for a request in the same statement
            for number in range(target, statement_end(lines, target) + 1):
                statement.setdefault(number, target)
            row = rules.by_id.get(f.rule)
            # a rewrite that says an id map fixes it had none (`IDS_ADVICE`)
            if getattr(row, "safety", None) != "needs-ids" and not advises_ids(f.message):
                by_hand.add(target)
    # A marker comment takes the fix the codemod gives its own marker there
    # when they say the same (an id map fixes what a rewrite without one
    # marked as needing ids); a rewrite that knew more (it had the id map)
    # and says something else has left it to a person.
    # Several markers of one row on a line (the reads of `print(s["write_keys"], s["display_name"])`)
    # are told apart by what they say.
    fixes: dict[tuple[str, int], dict[str, Fix | None]] = {}
    for f in exact:
        if (f.rule, f.line) in marked:
            fixes.setdefault((f.rule, f.line), {})[_said(f)] = f.fix
    stead = {(f.rule, f.line, _said(f)): f.message for f in exact
             if f.marker and without_still_marked(f.message) != f.message}
    """What the codemod's markers add that the run with ids still marks in their stead (`still_marked`)."""
    # A marker of the codemod on a line of a statement that spans several
    # (its URL below the call's first line) has its comment above the
    # statement: the comment saying the same stands for it too.
    unmatched = Counter((f.rule, _said(f)) for f in text_findings if f.kind == "marker")
    unmatched.subtract((f.rule, _said(f)) for f in exact if (f.rule, f.line) in marked)
    said_fixes: dict[tuple[str, str], tuple[Fix | None, str]] = {}
    moved: set[int] = set()
    absorbed: dict[int, list[tuple[str, int]]] = {}
    """Line pointed at → (rule, line) of the findings the marker comments there
    stand for: the rewrite that left them saw the whole run (a base in another
    module) and said it its way (`rewrite.partial-path` where this file alone
    gives `endpoint.sources.get`)."""
    taken_lines: set[int] = set()
    """Lines whose codemod findings a marker comment stands for: what the scanner sees there is theirs."""
    below = _path_below(text_findings, statement, marked)
    path_lines = {f.line for f in text_findings if id(f) in below}
    """Lines below a marked statement's first line holding the path its marker stands for."""
    # A resource name the codemod's marker a comment stands for would carry (`_carry`) is that comment's too.
    held = {id(f) for f in exact if (f.rule, f.line) in marked}
    names_held = {id(t) for t in text_findings if t.kind == "name" and id(_carrier(t, exact)) in held}
    free = Counter(marker_target(lines, f.line, f.column) for f in text_findings
                   if f.kind == "marker" and not _of_a_read(f.rule, rules))
    """Line pointed at → its comments of requests that no marker of the codemod took yet."""
    kept = []
    spread: list[Finding] = []
    """The codemod's markers of a request on a line below the first of a statement a comment points at."""
    kept_reads = _kept_reads(text_findings, exact, lines, rules)
    for f in exact:
        request = f.marker and not _of_a_read(f.rule, rules)
        if not f.marker and f.line in kept_reads and _of_a_read(f.rule, rules):
            # a read the rewrite of the whole run kept with its call (another module holds its base)
            absorbed.setdefault(f.line, []).append((f.rule, f.line))
            taken_lines.add(f.line)
            continue
        if (f.rule, f.line) in marked:
            free[f.line] -= request
            continue
        key = (f.rule, _said(f))
        if f.marker and unmatched[key] > 0:
            unmatched[key] -= 1
            said_fixes.setdefault(key, (f.fix, key[1]))
            moved.add(f.line)
            if f.line in statement:
                free[statement[f.line]] -= request
        elif statement.get(f.line) == f.line or f.line in path_lines or (
            f.line in statement and not f.marker and _of_a_double(f.rule, rules)
        ):
            # on the line the comment points at, or on the line of the path it stands for below it:
            # a rewrite of the whole run marked what this file alone would change or mark its own
            # way (the test double of a call its code keeps on the Config API, its answer with it)
            absorbed.setdefault(statement[f.line], []).append((f.rule, f.line))
            taken_lines.add(f.line)
            free[statement[f.line]] -= request
        elif request and f.line in statement:
            spread.append(f)
        else:
            kept.append(f)
    # A comment no marker took stands for one of the codemod's below its line, as on it: the rewrite that
    # wrote it with an id map said it otherwise (`the id map has no source`), or kept the path it resolved
    # with its base (`rewrite.partial-path`); another request of the statement has a comment of its own.
    for f in spread:
        if free[statement[f.line]] > 0:
            free[statement[f.line]] -= 1
            absorbed.setdefault(statement[f.line], []).append((f.rule, f.line))
            taken_lines.add(f.line)
        else:
            kept.append(f)
    exact = kept
    # A rewrite with an id map marked the line for a person: ids will not fix it.
    exact = [replace(f, fix="manual", severity=row_severity(rules.by_id.get(f.rule)) if f.marker else f.severity)
             if f.fix == "rewrite-with-ids" and f.line in by_hand else f for f in exact]
    lines_done = {f.line for f in exact}
    marker_lines = set(statement.values()) | moved
    """Lines a marker comment points at: the host, path or pattern the scanner
    sees there is that marker's to-do (a resource name or field is its own)."""
    # A field name a marker of the codemod quotes is on the to-do list with it.
    told = _told(exact, text_findings)
    changed = _field_changes(exact, text_findings, rules)
    spread = {(f.rule, number) for f in exact if not f.marker for number in range(f.line + 1, f.end_line + 1)}
    """(rule, line) on the lines below the first of a change spread over lines (`BASE` / `+ "workspaces/%s/sources"`)."""
    rest = []
    covered: list[Finding] = []
    comments: list[tuple[Finding, int]] = []
    theirs = {id(f): _saying(fixes.get((f.rule, marker_target(lines, f.line, f.column))), _said(f))
              or said_fixes.get((f.rule, _said(f)), ("manual", "")) for f in text_findings if f.kind == "marker"}
    """Each marker comment → the fix and message of the codemod's own marker it stands for."""
    with_map = any(theirs[id(f)][1] != _said(f) for f in text_findings if f.kind == "marker")
    """A marker comment says what a run without ids does not: the rewrite that left them had the id map,
    and what it left to a person (a base kept on the Config API, `by_hand`) ids do not fix; a file whose
    comments all say what the codemod says was rewritten without ids, and they take the codemod's tags."""
    for f in text_findings:  # (the field names a marker comment quotes are its own already: `text.absorbed`)
        if f.kind == "marker":
            target = marker_target(lines, f.line, f.column)
            fix, said = theirs[id(f)]
            if said != _said(f) or (fix == "rewrite-with-ids" and target in by_hand and with_map):
                fix = "manual"
            message = f.message
            if fix == "rewrite-with-ids" and getattr(rules.by_id.get(f.rule), "safety", None) != "needs-ids":
                message = with_ids_advice(message)  # what the rewrite's comment does not say (`rewrite.with_ids`)
            elif said == _said(f):  # nor that: the codemod's marker says it
                message = stead.get((f.rule, target, said), message)
            # an id map fixes it: no person's to-do, so no error whatever its row (as `python.codemod_findings`)
            severity = "warning" if fix == "rewrite-with-ids" else f.severity
            comments.append((replace(f, fix=fix, message=message, severity=severity), target))
        elif (
            # The codemod does not migrate field names and query parameters.
            id(f) not in told
            and not any(start <= (f.line, f.column) < end for start, end in changed)
            if f.kind == "field"
            else f.line not in lines_done and (f.rule, f.line) not in spread
            and (f.line not in marker_lines and id(f) not in below and f.line not in taken_lines
                 or f.kind == "name" and id(f) not in names_held)
        ):
            by_ids = f.kind == "field" and any(start <= (f.line, f.column) < end for start, end in with_ids)
            rest.append(replace(f, fix="rewrite-with-ids" if by_ids else "manual"))
        elif f.kind != "field":
            covered.append(f)
    # What no finding of the codemod carries in a statement a marker comment points at is that marker's
    for f in covered:
        if f.line not in lines_done and (f.line in marker_lines or id(f) in below or f.line in taken_lines):
            absorbed.setdefault(statement.get(f.line, f.line), []).append((f.rule, f.line))
    for f, found in _shared_out(comments, absorbed):
        rest.append(standing(f, found) if found else f)
    return _carry(exact, covered, lines, catalog) + rest


def _kept_reads(text_findings: list[Finding], exact: list[Finding], lines: Lines, rules: RuleSet) -> set[int]:
    """Lines a marker comment of a read points at that the codemod, reading
    the file alone, does not mark so: the rewrite of the whole run that wrote
    it kept that read with its call on the Config API (a base another module
    of the run reads, `driver._hold_read_attributes`), where the file alone
    changes it. Its changes of reads there are that comment's."""
    own = {(f.rule, f.line) for f in exact if f.marker}
    found = set()
    for f in text_findings:
        if f.kind == "marker" and _of_a_read(f.rule, rules):
            target = marker_target(lines, f.line, f.column)
            if (f.rule, target) not in own:
                found.add(target)
    return found


def _saying(fixes: dict[str, Fix | None] | None, said: str) -> tuple[Fix | None, str] | None:
    """Of the codemod's markers of a row on a line (what each says → its fix),
    the one saying `said`, else the last: (its fix, what it says)."""
    if not fixes:
        return None
    said = said if said in fixes else next(reversed(fixes))
    return fixes[said], said


def _told(exact: list[Finding], text_findings: list[Finding]) -> set[int]:
    """The ids of the scanner's field findings a marker of the codemod stands
    for: of each field name it quotes or of its row, the one read it marks
    on its line (the first at or after its column, else the last before),
    not every read there (`s["display_name"] or t["display_name"]`)."""
    fields: dict[int, list[Finding]] = {}
    for f in text_findings:
        if f.kind == "field":
            fields.setdefault(f.line, []).append(f)
    out: set[int] = set()
    for m in exact:
        on_line = sorted(fields.get(m.line, ()), key=lambda f: f.column)
        if m.text or not on_line:
            continue
        words = set(QUOTED.findall(m.message))
        for same in (*(partial(_names, word) for word in words), partial(_of_row, m.rule)):
            free = [f for f in on_line if id(f) not in out and same(f)]
            after = [f for f in free if f.column >= m.column]
            if free:
                out.add(id(after[0] if after else free[-1]))
    return out


def _names(word: str, f: Finding) -> bool:
    return f.text == word


def _of_row(rule: str, f: Finding) -> bool:
    return f.rule == rule


def _of_a_read(rule: str, rules: RuleSet) -> bool:
    """A marker rule about reading a response (a field, the envelope), not
    about the request that gets it."""
    row = rules.by_id.get(rule)
    return isinstance(row, (ResourceRow, EnvelopeRow)) or getattr(row, "kind", None) == "responses"


def _of_a_double(rule: str, rules: RuleSet) -> bool:
    """A rule of the test doubles kind (their answers, the bodies they pin):
    a double kept on the Config API by its marker keeps them as they are."""
    return getattr(rules.by_id.get(rule), "kind", None) == "mocks"


def _shared_out(
    comments: list[tuple[Finding, int]], absorbed: dict[int, list[tuple[str, int]]],
) -> list[tuple[Finding, list[tuple[str, int]]]]:
    """Each marker comment with what it stands for: of the markers stacked
    above one statement, the one of a line's row takes that line's findings
    (the token minted on the line below); the first one the rest."""
    out: list[tuple[Finding, list[tuple[str, int]]]] = [(f, []) for f, _ in comments]
    first: dict[int, int] = {}
    for i, (_, target) in enumerate(comments):
        first.setdefault(target, i)
    for target, found in absorbed.items():
        if target not in first:
            continue
        by_line: dict[int, list[tuple[str, int]]] = {}
        for entry in found:
            by_line.setdefault(entry[1], []).append(entry)
        for entries in by_line.values():
            rules = {rule for rule, _ in entries}
            owner = next((i for i, (f, t) in enumerate(comments) if t == target and f.rule in rules), first[target])
            out[owner][1].extend(entries)
    return out


def _is_path(f: Finding) -> bool:
    """A Config path, whole or a piece (a pattern row's `path_piece`)."""
    return f.kind in ("endpoint", "fragment")


def _path_below(findings: list[Finding], statement: dict[int, int], marked: set[tuple[str, int]]) -> set[int]:
    """The ids of the scanner's findings a marker comment stands for below
    the line it points at, in the statement: the first path there (the URL
    of a call spread over lines) and the host on its line, everything on
    that line when the path is the marker's own row (a token minted by
    password); any other is a to-do of its own (another request in the
    same statement)."""
    out: set[int] = set()
    paths: dict[int, list[Finding]] = {}  # target → the paths below it its markers stand for
    for f in sorted(findings, key=lambda f: (f.line, f.column)):
        target = statement.get(f.line)
        if target is None or f.line == target or not _is_path(f):
            continue
        mine = paths.setdefault(target, [])
        if not mine or (f.rule, target) in marked:  # the first, and any of a marker's own row
            mine.append(f)
    for f in findings:
        target = statement.get(f.line)
        if target is None or f.kind in ("marker", "field", "name"):
            continue
        for path in paths.get(target, ()):
            if path.line == f.line and (_is_path(f) or f.kind == "host" or (path.rule, target) in marked):
                out.add(id(f))
    return out


def _said(f: Finding) -> str:
    """What a marker says, as its comment holds it, whether it adds that an
    id map fixes it or not (`IDS_ADVICE`: an older rewrite, or one with ids,
    did not), without what the run with ids still marks in its stead (`still_marked`)."""
    return without_ids_advice(without_still_marked(f.message))


def _carrier(t: Finding, exact: list[Finding]) -> Finding | None:
    """The codemod's finding that carries the scanner's `t` on its line, as `_carry` picks it."""
    on_line = sorted((f for f in exact if f.line == t.line), key=lambda f: f.column)
    before = [f for f in on_line if f.column <= t.column]
    return before[-1] if before else on_line[0] if on_line else None


def _carry(exact: list[Finding], covered: list[Finding], lines: Lines, catalog: Catalog) -> list[Finding]:
    """The codemod's findings, each with the rows of the scanner's findings
    it stands for (`Finding.also`: a host, a Config path it marks under a
    rule of its own, such as `rewrite.partial-path`), so that selection and
    suppression by those rows still find it; a marker takes as its text its
    line from where it points to the end of the Config text there."""
    if not covered:
        return exact
    by_line: dict[int, list[int]] = {}
    for i, f in enumerate(exact):
        by_line.setdefault(f.line, []).append(i)
    taken: dict[int, list[Finding]] = {}
    for t in covered:
        on_line = sorted(by_line.get(t.line, ()), key=lambda i: exact[i].column)
        if not on_line:
            continue
        # The finding whose code starts last before the scanner's text.
        before = [i for i in on_line if exact[i].column <= t.column]
        taken.setdefault(before[-1] if before else on_line[0], []).append(t)
    out = list(exact)
    for i, found in taken.items():
        f = exact[i]
        ids = {t.rule for t in found} | ({f.rule} if f.rule in catalog.reported else set())
        also = tuple(sorted(ids)) if ids != {f.rule} else ()
        line = lines.line(f.line)
        written = [t for t in found if line.startswith(t.text, t.column - 1)]
        if f.text:
            out[i] = replace(f, also=also)
            continue
        # a join read as the path it builds (`joined_paths`) is not the line's text: the string marked is
        column, text = _marked_text(line, f.column, written) if written else (f.column, _string_at(line, f.column))
        out[i] = replace(f, column=column, text=text, also=also)
    return out


def _string_at(line: str, column: int) -> str:
    """The string literal that starts at `column` (1-based), or nothing."""
    m = re.compile(r"""["'][^"'\n]*["']""").match(line, column - 1)
    return shorten(m.group()) if m is not None and m.group()[0] == m.group()[-1] else ""


def _marked_text(line: str, column: int, found: list[Finding]) -> tuple[int, str]:
    """A marker's column and text: from its column to the end of the
    scanner's text (and the quote that closes a string there), or that
    text alone when it comes first."""
    start = min(t.column for t in found) - 1
    end = max(t.column - 1 + len(t.text) for t in found)
    if column - 1 <= start:
        start = column - 1
    if line[end : end + 1] in ("'", '"') and line.count(line[end], start, end) % 2:
        end += 1  # the quote that closes a string the text opens
    return start + 1, shorten(line[start:end])


FIELD_ROWS = (ResourceRow, EnvelopeRow, PaginationRow)
"""Rows whose changes migrate field names and page parameters."""

Span = tuple[tuple[int, int], tuple[int, int]]
"""(line, column) where a change's code starts, and where it ends (after it)."""


def _field_changes(exact: list[Finding], text_findings: list[Finding], rules: RuleSet) -> list[Span]:
    """The code the codemod's field changes cover: those of the field rows,
    and an endpoint row's change holding no Config host or path (a request
    body it translates; a path's change leaves a query parameter in it as
    it was)."""
    paths = [(f.line, f.column) for f in text_findings if f.kind in ("host", "endpoint", "fragment")]
    spans: list[Span] = []
    for f in exact:
        end = f.end()
        if f.fix == "manual" or f.marker or end is None:
            continue
        span = ((f.line, f.column), end)
        row = rules.by_id.get(f.rule)
        if isinstance(row, FIELD_ROWS) or (
            isinstance(row, EndpointRow) and not any(span[0] <= at < span[1] for at in paths)
        ):
            spans.append(span)
    return spans


_AUDITORS: weakref.WeakKeyDictionary[RuleSet, Auditor] = weakref.WeakKeyDictionary()


def audit_text(path_name: str, data: bytes, rules: RuleSet) -> list[Finding]:
    """Findings in one file, given its name and bytes."""
    auditor = _AUDITORS.get(rules)
    if auditor is None:
        auditor = _AUDITORS[rules] = Auditor(rules)
    return auditor.scan(path_name, data).findings
