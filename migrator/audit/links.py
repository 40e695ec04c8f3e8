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
(`migrator.imports`). The words are the table's Config-only field
names; reads only, so that a dict the file builds for itself
(`{"created_at": now}`) is not reported, except for the keys requests send
(`{"page_size": 100}`, `update_mask`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from functools import partial

from migrator.audit.base_urls import other_apis_only
from migrator.audit.baseline import with_fingerprints
from migrator.audit.bound import OtherApis
from migrator.audit.core import BINARY_PROBE, decode, fingerprint_anchor, merge_findings
from migrator.imports import (
    Sources,
    beyond_run,
    candidates,
    import_specs,
    importers,
    language,
    link_reason,
    link_reason_from,
    linked_source,
)
from migrator.audit.field_names import DESTRUCTURED
from migrator.audit.model import FileResult, Finding, Fix
from migrator.audit.python import Exports, ModuleExports, Returns
from migrator.audit.reading import read_file
from migrator.audit.schema_keys import property_name
from migrator.audit.statements import absorbed
from migrator.audit.stats import file_type
from migrator.audit.suppress import is_suppressed, suppressions
from migrator.audit.table import Catalog
from migrator.audit.text import scan_text_in_context
from migrator.audit.text_scan import Lines
from migrator.audit.walk import printable
from migrator.exclude import Excludes
from migrator.generated import generated_header, not_rewritten
from migrator.rewrite.shared_plan import mentions
from migrator.ruleset import RuleSet


LinkedCodemod = Callable[[str, bytes, "str | None", "Returns | None"], "list[Finding] | None"]
"""The codemod's findings in a linked Python file (path, bytes, why it is
linked, as `migrator rewrite` words it, or None, what the functions it calls
give back), or None when it cannot read it."""


def add_linked_reads(
    results: list[FileResult], catalog: Catalog, clean: Counter[str], max_size: int, python_fix: Fix | None,
    entries: Mapping[str, tuple[str, ...]] | None = None, folders: list[str] | None = None,
    codemod: LinkedCodemod | None = None, rules: RuleSet | None = None, excludes: Excludes | None = None,
    exports: ModuleExports | None = None, modules: Container[str] = (),
) -> list[FileResult]:
    """Report the reads of Config field names in the files linked to a file
    that calls a Segment API (from the imports the scan found, `entries`
    those of the packages' entry files: only linked files are read again);
    return the results worth keeping (those kept only for their links are
    counted with the clean files). `folders`: the folders the run walked (a
    file outside them that a file of the run imports is read from disk).
    With `codemod` (and the `rules`), a linked Python file is also read as
    `migrator rewrite` reads it: its markers are the findings, with what
    the text search finds that they do not say; with `exports` (what a
    module's functions give back, `python.exports_of`), knowing what the
    functions it imports from the run's Python modules (`modules`) give
    back, as a rewrite of the run follows them (`_Followed`); a Python file
    linked only so (through modules that call no Segment API) gets the
    codemod's findings alone. A file `excludes` leaves out (`--exclude`) is
    not read from disk."""
    readers = [r for r in results if r.reads_fields]
    found = {r.path for r in results if r.calls_segment}
    if readers:
        # A settings module (`FileResult.bases`) gives no response: it links only the readers naming a constant of it.
        bases = {r.path: r.bases for r in results if r.calls_segment and r.bases}
        every = _links(results, found, entries, catalog, max_size, folders, excludes)
        strict = _links(results, found - bases.keys(), entries, catalog, max_size, folders, excludes) \
            if bases else every
        entries = every[2]
        by_path = {r.path: r for r in results}
        followed = _Followed(results, modules, exports, max_size) if exports is not None else None

        def public(path: str) -> bool:
            """`path` calls the Public API and has no Config API left in it."""
            known = by_path.get(path)
            if known is not None:  # its field reads say no Config API (`reads_fields`), or it has none
                return known.calls_segment and (known.reads_fields or not known.findings)
            data = _read(path, max_size)  # outside the run
            return data is not None and catalog.link_flags(data)[0] and not calls_config(path, data, catalog)
        # A Go package is a folder: its first file that calls a Segment API.
        go = {os.path.dirname(p): p for p in sorted(found, reverse=True) if language(p) == "go"}
        packages = Packages(go, every[0]) if isinstance(every[0], Sources) else go
        for reader in readers:
            data = _read(reader.path, max_size) if bases else None
            naming = data is not None and any(mentions(data, names) for names in bases.values())
            sources, forward, _ = every if naming else strict
            link = _via(reader, sources, forward, packages, entries, public)
            python = language(reader.path) == "python"
            read = not any(f.kind == "rewrite" for f in reader.findings)  # the scan's codemod has not
            precise = python and codemod is not None and rules is not None and read
            returns = followed.returns(reader.path, reader.imports) if followed is not None and precise else None
            if (link is not None or returns) and data is None:
                data = _read(reader.path, max_size)
            if data is None or not (link is not None or returns):
                continue
            # a generated file, which `migrator rewrite` skips: its reads are a person's (its generator's)
            generated = generated_header(data) if python and codemod is not None else None
            via, linked = link if link is not None else ("", None)
            exact = None
            if precise and generated is None and codemod is not None and (linked is not None or returns):
                exact = codemod(reader.path, data, linked, returns)
            if link is None and exact is None:
                continue
            fix = ("manual" if generated is not None else python_fix) if python else None
            _report(reader, decode(data, python)[0], catalog, via, fix, exact, rules, search=link is not None,
                    why=not_rewritten(generated) if generated is not None else None,
                    patterns=reader.calls_segment and not precise)
    kept = []
    for r in results:
        if r.findings or r.skipped or r.error or r.notes or r.suppressed:
            kept.append(r)
        else:
            clean[file_type(r.path)] += 1
    return kept


class _Followed:
    """What the functions a Python file imports from modules of the run give
    back, as `rewrite.driver._follow_returns` follows them: from a module
    that calls a Segment API (read alone, `exports`, or, as the run rereads
    it, given what the modules it imports give: `def default_client(): return
    Client()`), through modules of the
    run (`modules`) that call none, given what theirs give back in turn, up
    to `HOPS` modules from the file. A module's are known only when its
    codemod findings so read are those the run found there (a base a source
    shares with other modules is read otherwise; a module between reading
    what it is given is not followed)."""

    def __init__(
        self, results: Iterable[FileResult], modules: Container[str], exports: ModuleExports, max_size: int,
    ) -> None:
        from migrator.rewrite.driver import HOPS

        self.hops = HOPS
        self.sources = {r.path for r in results if r.calls_segment}
        self.places = {r.path: _codemod_places(r) for r in results}  # before any linked file is read
        self.modules = modules
        self.exports = exports
        self.max_size = max_size
        self.known: dict[tuple[str, int], Exports | None] = {}  # (module, hops left) → its `Exports`, read once

    def returns(self, path: str, specs: Iterable[str], left: int | None = None) -> Returns | None:
        """What the functions `path` imports (`specs`) give back, `left` modules deep at most."""
        left = self.hops if left is None else left
        plain: dict[str, object] = {}
        with_ids: dict[str, object] = {}
        for spec in specs:
            found = self._module(path, spec)
            known = self._exports(found, left - 1) if found is not None else None
            if known is not None:
                plain.update((f"{spec}.{name}", shape) for name, shape in known[1].items())
                with_ids.update((f"{spec}.{name}", shape) for name, shape in known[2].items())
        return Returns(plain, with_ids) if plain or with_ids else None

    def _module(self, path: str, spec: str) -> str | None:
        """The Python module of the run that `path` imports as `spec` (as Python finds it), or None."""
        ours = list(candidates(path, [spec]))
        if not any(c in self.sources or c in self.modules for c in ours):
            return None  # (no file is looked for)
        found = next((c for c in ours if c in self.sources or c in self.modules or os.path.isfile(c)), None)
        if found is None or found == path or language(found) != "python":
            return None
        return found if found in self.sources or found in self.modules else None

    def _exports(self, path: str, left: int) -> Exports | None:
        key = (path, left)
        if key in self.known:
            return self.known[key]
        self.known[key] = None  # an import cycle gives nothing
        source = path in self.sources
        data = _read(path, self.max_size) if source or left > 0 else None
        if data is None:
            return None
        given = self.returns(path, import_specs(path, decode(data, True)[0]), left) if not source or left > 0 \
            else None
        read = self.exports(path, data, given) if source or given else None
        places = self.places.get(path, frozenset())
        if source and given and read is not None and places < read[0] \
                and all(rule == _RESPONSES for rule, _ in read[0] - places):
            # the run's reading too: what it adds are markers of what the modules it imports give it
            # (`return Client()` beside `return Fake()`), which the scan of the file alone misses
            places = read[0]
        elif source and given and (read is None or read[0] != places):
            read = self.exports(path, data, None)  # read so, its findings are not the run's: read alone
        if read is not None and read[0] == places:
            self.known[key] = read
        return self.known[key]


_RESPONSES = "rewrite.responses"


def _codemod_places(result: FileResult) -> frozenset[tuple[str, int]]:
    """(rule, line) of the codemod's changes a rewrite without ids makes, and of its markers, in `result`."""
    return frozenset((f.rule, f.line) for f in result.findings
                     if f.kind == "rewrite" and (f.marker or f.fix == "rewrite"))


def _links(
    results: list[FileResult], found: set[str], entries: Mapping[str, tuple[str, ...]] | None, catalog: Catalog,
    max_size: int, folders: list[str] | None, excludes: Excludes | None,
) -> tuple[Container[str], dict[str, str], Mapping[str, tuple[str, ...]] | None]:
    """The sources (`found`, and beyond the run), what they import, and the package entry files, for `_via`."""
    sources, known_entries = beyond_run(
        found, entries, {r.path for r in results}, lambda path: calls_segment(path, catalog, max_size),
        lambda path: _specs(path, max_size), folders if folders is not None else ["."],
        excludes.of_file if excludes else None,
    )
    forward = importers((r.path, r.imports) for r in results if r.path in found)
    return sources, forward, known_entries


class Packages(dict[str, str]):
    """Go package folder → a file of it that calls a Segment API; a folder
    outside the run is read when asked (see `Sources`)."""

    def __init__(self, found: dict[str, str], sources: Sources) -> None:
        super().__init__(found)
        self.sources = sources
        self.outside: dict[str, str | None] = {}

    def __contains__(self, folder: object) -> bool:
        if dict.__contains__(self, folder):
            return True
        if not isinstance(folder, str):
            return False
        covered = self.sources.covered
        if covered is not None and covered(folder):
            return False  # the run holds its files
        if folder not in self.outside:
            self.outside[folder] = _package_source(folder, self.sources)
        found = self.outside[folder]
        if found is not None:
            self[folder] = found
        return found is not None


def _package_source(folder: str, sources: Sources) -> str | None:
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".go") and not n.endswith("_test.go"))
    except OSError:
        return None
    return next((os.path.join(folder, n) for n in names if os.path.join(folder, n) in sources), None)


def calls_segment(path: str, catalog: Catalog, max_size: int) -> bool:
    """`path` holds a Public host, or Config API usage (the scan's API context)."""
    data = _read(path, max_size)
    if data is None or data.find(b"\0", 0, BINARY_PROBE) >= 0:
        return False
    return catalog.link_flags(data)[0] or calls_config(path, data, catalog)


def calls_config(path: str, data: bytes, catalog: Catalog) -> bool:
    """`data` holds Config API usage (the scan's API context)."""
    if not catalog.has_trigger(path, data):
        return False
    text = decode(data, language(path) == "python")[0]
    return scan_text_in_context(path, text, catalog)[1]


def _specs(path: str, max_size: int) -> tuple[str, ...]:
    data = _read(path, max_size)
    return import_specs(path, decode(data, path.endswith(".py"))[0]) if data is not None else ()


def _read(path: str, max_size: int) -> bytes | None:
    data, _ = read_file(path, max_size)
    return data


def _via(
    reader: FileResult, sources: Container[str], forward: dict[str, str], packages: dict[str, str],
    entries: Mapping[str, tuple[str, ...]] | None, public: Callable[[str], bool] = lambda path: False,
) -> tuple[str, str | None] | None:
    """Why the reader's field names are reported, or None: as the audit says
    it, and as `migrator rewrite` words it in its markers (paths from the
    reader's folder; None for Go). `forward`: file (for Go, package folder)
    → a source importing it; `packages`: Go package folder → a source in
    it; `entries`: what packages' entry files import."""
    if reader.calls_segment:  # the Public API: with Config calls it would be no reader
        return link_reason(None), link_reason(None)
    found: tuple[str, bool, str | None] | None
    if language(reader.path) == "go":  # a package is a folder
        folder = os.path.dirname(reader.path)
        imported = next((packages[t] for t in candidates(reader.path, reader.imports) if t in packages), None)
        if imported is not None:
            found = imported, True, None
        elif folder in packages:
            return f"`{printable(packages[folder])}`, in the same Go package, calls a Segment API", None
        else:
            found = (forward[folder], False, None) if folder in forward else None
    else:
        found = linked_source(reader.path, reader.imports, sources, forward, entries)
    if found is None:
        return None
    source, imports, through = found
    only = public(source)
    return (
        link_reason(printable(source), imports, printable(through) if through else None, only),
        link_reason_from(reader.path, source, imports, through, only),
    )


def _report(
    reader: FileResult, text: str, catalog: Catalog, via: str, fix: Fix | None,
    exact: list[Finding] | None = None, rules: RuleSet | None = None, search: bool = True,
    why: str | None = None, patterns: bool = False,
) -> None:
    """Add the field reads of a linked file to its findings; with `exact`
    (the codemod's findings there) and the `rules`, merged as in a scan
    (without the reads the text search finds, unless `search`); `why`
    ends their messages (a generated file: `not_rewritten`); with
    `patterns` (a file that calls the Public API), also the matches of the
    pattern rows reported there (`Catalog.public_matches`)."""
    assert catalog.occurrences is not None
    lines = Lines(text)
    found: list[Finding] = []
    sent = {name for name, word in catalog.words.items() if word.sent}
    others = OtherApis(text, reader.path, catalog.other_api) if language(reader.path) == "python" else None
    reads = field_reads(text, catalog.occurrences(text), catalog.words, language(reader.path), sent) if search else ()
    for at, name in reads:
        word = catalog.words[name]
        line, column = lines.locate(at)
        if other_apis_only(catalog.other_api, lines.line(line)):
            continue  # a key of another API's call on that line
        if others is not None and others.field(at):
            continue  # `me["profile"]["display_name"]`, `me` bound from a call to Slack
        message = f"{word.message} ({via})" + (f"; {why}" if why else "")
        found.append(Finding(reader.path, line, column, word.rule, word.severity, message, name, "field", fix))
    for pattern, m in catalog.public_matches(text) if patterns and search else ():
        line, column = lines.locate(m.start())
        message = f"{pattern.message} ({via})" + (f"; {why}" if why else "")
        found.append(Finding(reader.path, line, column, pattern.rule, pattern.severity, message, m.group(),
                             "pattern", fix))
    mine, before = len(reader.findings), reader.findings
    found = absorbed(reader.findings, found, lines)
    reader.findings, found = found[:mine], found[mine:]
    if any(a is not b for a, b in zip(reader.findings, before)):  # a marker now stands for a field read
        reader.findings = with_fingerprints(reader.findings, lines.line, partial(fingerprint_anchor, lines))
    if exact is not None and rules is not None:
        found = merge_findings([*reader.findings, *found], exact, lines, rules, catalog)
        reader.findings = []
    if not found:
        return
    if "migrator:" in text:
        table, notes = suppressions(lines, catalog.rows)
        reader.notes.extend(n for n in notes if n not in reader.notes)
        kept = [f for f in found if not is_suppressed(f, table)]
        reader.suppressed += len(found) - len(kept)
        found = kept
    findings = sorted([*reader.findings, *found], key=lambda f: (f.line, f.column, f.rule))
    reader.findings = with_fingerprints(findings, lines.line, partial(fingerprint_anchor, lines))


_BEFORE = re.compile(
    r"""(?:\[\s*(?P<sub>['"`])|\.(?:get|fetch|pop|setdefault|dig|values_at|fetch_values)\(\s*(?P<call>['"])"""
    r"""|\bjson:(?P<tag>"))\Z"""
)
_KEY_ARGUMENT = r"""(?:'[^'\n]*'|"[^"\n]*"|:\w+|-?\d+|[@$]{0,2}\w+(?:\.\w+)*)"""
_LATER_KEY = re.compile(
    rf"""\.(?:dig|values_at|fetch_values)\(\s*(?:{_KEY_ARGUMENT}\s*,\s*)+(?P<call>['"]|:)\Z"""
)
"""A key after the first of a reader of several (Ruby's `dig('source', 'create_time')`,
`values_at('display_name', 'catalog_name')`); in Ruby also a symbol (`dig(:source, :create_time)`)."""
_FIRST_SYMBOL = re.compile(r"\.(?:dig|values_at|fetch_values)\(\s*:\Z")
_AFTER_KEY = re.compile(r"\s*[,)]")
LATER_LOOK_BACK = 200
_BEFORE_JS = re.compile(r"(?<!\.)(?:\?\.|\.)\Z")  # not a spread, `...w`
_BEFORE_RUBY = re.compile(r"\[\s*:\Z")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:readonly[ \t]+)?\Z")
_DECLARED = re.compile(r"\??[ \t]*:[ \t]*[A-Za-z_{\[('\"]")
_AFTER_SUB = re.compile(r"\s*\]")
_COLON = re.compile(r"\s*:")
_BEFORE_PATTERN = re.compile(r"[{,]\s*\Z")
LOOK_BACK = 40


def field_reads(
    text: str, found: dict[str, list[int]], words: Iterable[str], lang: str | None, sent: Container[str] = (),
) -> Iterator[tuple[int, str]]:
    """Offsets of the reads of `words` in `text`, given where they occur:
    `["w"]`, `.get("w"` (and `fetch`, `pop`, `setdefault`, and every key of
    `dig`, `values_at`, `fetch_values`: `.dig("source", "w"`), Go's
    `json:"w"` tags; in JavaScript and TypeScript `.w`, `?.w`, a member
    declared on its own line (`  w?: string;`) and a destructured key
    (`const { w, v: label } = s`, `for (const { w } of list)`); in Ruby `[:w]`
    and the symbols of those readers (`.dig(:source, :w)`). Words that
    requests send (`sent`: `page_size`) count as keys of
    a literal too (`{"page_size": 100}`). Not the event properties of a JSON
    Schema (`schema_keys`): the user's names."""
    schemas = "properties" in text
    for word in words:
        for at in found.get(word, ()):
            if schemas and property_name(text, at):
                continue  # `"properties": {"page_size": {...}}`: an event property
            end = at + len(word)
            before = text[max(0, at - LOOK_BACK) : at]
            if word in sent and _literal_key(text, at, end):
                yield at, word
                continue
            m = _BEFORE.search(before)
            if m is not None:
                quote = m.group("sub") or m.group("call") or m.group("tag")
                close = text[end : end + 1]
                if m.group("tag") is not None:
                    ok = close in ('"', ",")
                else:
                    ok = close == quote and (m.group("sub") is None or _AFTER_SUB.match(text, end + 1) is not None)
                if ok:
                    yield at, word
            elif lang == "js" and _BEFORE_JS.search(before) and not _word_char(text[end : end + 1]) \
                    and not text[end : end + 3].lstrip(" \t").startswith("("):  # not a method called, `seg.display_name()`
                yield at, word
            elif lang == "js" and _LINE_START.search(before) and _DECLARED.match(text, end):
                yield at, word  # a member of a TypeScript interface or type on its own line
            elif lang == "js" and _BEFORE_PATTERN.search(before) and DESTRUCTURED.match(text, end):
                yield at, word  # destructured: `const { display_name, write_keys } = s`
            elif lang == "ruby" and _BEFORE_RUBY.search(before) and _AFTER_SUB.match(text, end):
                yield at, word
            elif _later_key(text, at, end, lang):
                yield at, word


def _later_key(text: str, at: int, end: int, lang: str | None) -> bool:
    """A key of a reader of several keys that is not its first string
    (`dig('source', 'create_time')`), or in Ruby a symbol (`dig(:source, :create_time)`)."""
    quote = text[at - 1 : at]
    if quote not in ("'", '"', ":") or (quote == ":" and lang != "ruby"):
        return False
    before = text[max(0, at - LATER_LOOK_BACK) : at]
    m = _LATER_KEY.search(before) or (_FIRST_SYMBOL.search(before) if quote == ":" else None)
    if m is None:
        return False
    return _AFTER_KEY.match(text, end) is not None if quote == ":" else text.startswith(quote, end)


def _literal_key(text: str, at: int, end: int) -> bool:
    """`"w":` or `'w':`, a key of a dict or JSON literal."""
    quote = text[at - 1 : at]
    return quote in ("'", '"') and text.startswith(quote, end) and _COLON.match(text, end + 1) is not None


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"
