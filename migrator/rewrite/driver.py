"""The thin layer around the pure codemod: files in, per-file results out.

`run()` discovers Python files, skips what cannot need a rewrite with a cheap
byte search, rewrites the rest on a process pool, and (in write mode) writes
the changed files atomically once the git guard agrees. Every file ends as a
`FileResult` value; nothing here raises for one bad file. The report, the
human summary (`run_report`) and unified diffs (`diffs`) are built from
those values; `git_guard` says whether writing is safe.
"""

from __future__ import annotations

import ast
import gc
import multiprocessing
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any, Literal, Protocol

from migrator.exclude import EXCLUDED, Excludes
from migrator.files import PYTHON_SUFFIXES, Discovery, discover, write_atomic
from migrator.generated import generated_header, not_rewritten
from migrator.imports import (
    beyond_run, candidates, current_layout, imported_from_above, is_entry, set_layout, using_layout,
)
from migrator.layout import Layout, imported_root
from migrator.other_clients import other_packages
from migrator.rewrite.path_messages import ANY_ENDPOINT
from migrator.rewrite.responses_flow import OVERRIDDEN
from migrator.rewrite.diffs import unified_diff
from migrator.rewrite.git_guard import git_guard
from migrator.rewrite.links import PublicSources, calls_segment, link_search, linked_files, specs_of, specs_on_disk
from migrator.rewrite.shared_bases import Outside, SharedBases
from migrator.rewrite import conftests, generate_hooks, line_refs, own_reads, run_workspaces, subclass_stubs
from migrator.rewrite.fixtures import FIXTURE_KEY
from migrator.rewrite.typed_classes import Declared, may_declare, module_classes
from migrator.rewrite.patched_bases import dotted_names, may_patch
from migrator.rewrite.shared_plan import (
    Key, Outcome, Owner, base_names, find_owners, first_holds, imported_numbers, options, mentions, outside_bases,
    settle,
)

Status = Literal["changed", "marked", "unchanged", "failed", "skipped"]
STATUSES: tuple[Status, ...] = ("changed", "marked", "unchanged", "failed", "skipped")

# Below this many files to parse, a process pool costs more than it saves.
SERIAL_BELOW = 8
# Upper bound of files per pool task: small enough to balance, big enough to
# keep inter-process traffic low.
MAX_CHUNK = 32


# --- the core, as the driver sees it -------------------------------------------


class ChangeLike(Protocol):
    rule: str
    line: int
    column: int
    before: str
    after: str


class MarkerLike(Protocol):
    rule: str
    line: int
    column: int
    reason: str


class ResultLike(Protocol):
    code: bytes
    changes: tuple[ChangeLike, ...]
    markers: tuple[MarkerLike, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Core:
    """The pure codemod functions the driver calls (injectable for tests)."""

    may_need_rewrite: Callable[[bytes], bool]
    rewrite_bytes: Callable[..., ResultLike]  # (data, rules, ids, *, region)
    load_rules: Callable[[], Any]
    error: type[Exception]
    # The generated slug → id lookup module (only with --lookup-module).
    uses_lookup_module: Callable[[Any], bool] | None = None
    render_lookup_module: Callable[[Any, Any], str] | None = None
    checks_output: bool = False
    """`rewrite_bytes` itself never returns bytes that do not compile."""
    link_search: Callable[[Any], Callable[[bytes], tuple[bool, bool]]] | None = None
    """rules → whether a file calls the Public API, and holds a Config field
    name (`links`); without it, files with no Config API are left alone."""
    kept_endpoints: Callable[[bytes, Any], list[tuple[str, int]]] | None = None
    """(code, rules) → the endpoint rows whose Config URLs it holds, with
    their lines; without it, test doubles are rewritten on their own."""
    shares_bases: bool = False
    """`rewrite_bytes` takes `shared` (`shared_bases`): base constants one
    module defines and others import move with their paths."""
    follows_returns: bool = False
    """`rewrite_bytes` takes `returns` and gives `exports`: responses that
    functions of one module give back are migrated where others read them."""
    calls_config_api: Callable[[bytes], bool] | None = None
    """Of the files `may_need_rewrite` lets through, those that are Config API
    code of their own, never linked (`links`); without it, all of them."""
    marks_again: Callable[[bytes, str], bool] | None = None
    """(code, lookup module) → whether a file `may_need_rewrite` lets go may
    hold a marker an earlier run left that the codemod finds again (the code
    it marks is Public API code already): such files are rewritten too."""

    def own_config_api(self, data: bytes) -> bool:
        return (self.calls_config_api or self.may_need_rewrite)(data)


def default_core() -> Core:
    from migrator import rewrite
    from migrator.ruleset import load_rules

    return Core(
        rewrite.may_need_rewrite,
        rewrite.rewrite_bytes,
        load_rules,
        rewrite.RewriteError,
        rewrite.uses_lookup_module,
        rewrite.render_lookup_module,
        checks_output=True,
        link_search=link_search,
        kept_endpoints=kept_endpoints,
        shares_bases=True,
        follows_returns=True,
        calls_config_api=rewrite.calls_config_api,
        marks_again=rewrite.may_mark_again,
    )


def kept_endpoints(code: bytes, rules: Any) -> list[tuple[str, int]]:
    """The endpoint rows whose Config URLs `code` holds (the audit's text
    scanner), each with every line it is on; not the paths marker comments
    quote (an earlier run's, above a call this run may migrate: not a call)."""
    from migrator.audit.table import compile_rules
    from migrator.audit.text import scan_text_in_context

    catalog = _CATALOGS.get(id(rules))
    if catalog is None:
        catalog = _CATALOGS[id(rules)] = compile_rules(rules)
    code = _LONE_RETURN.sub(b"\n", code)  # lines as Python counts them, in an old Mac file too
    findings, _ = scan_text_in_context("", code.decode("utf-8", "replace"), catalog)
    comments = _marker_lines(code)
    return sorted({(f.rule, f.line) for f in findings if f.kind == "endpoint" and f.line not in comments})


def _marker_lines(code: bytes) -> frozenset[int]:
    """The lines of `code` that are marker comments (`held_markers`)."""
    if b"migrator[" not in code:
        return frozenset()
    return frozenset(code.count(b"\n", 0, m.start()) + 1 for m in _MARKER_LINE.finditer(code))


_CATALOGS: dict[int, Any] = {}


def is_test_file(path: str) -> bool:
    """pytest's and unittest's test modules, conftest.py, files under tests/."""
    p = Path(path)
    return p.name.startswith("test_") or p.name.endswith("_test.py") or p.name == "conftest.py" \
        or any(part in ("tests", "test") for part in p.parts[:-1])


# --- per-file results ------------------------------------------------------------


@dataclass(frozen=True)
class FileResult:
    """What happened to one file.

    `status` is exclusive: failed (an error, nothing written), skipped
    (generated, or a symlink out of the tree), marked (holds markers a person
    must act on; may also have changed), changed, unchanged. `modified` says
    whether the bytes differ (what `--check` and writing look at).
    """

    path: str
    status: Status
    modified: bool = False
    changes: tuple[ChangeLike, ...] = ()
    markers: tuple[MarkerLike, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    diff: str | None = None
    new: bytes | None = field(default=None, repr=False)  # awaiting the write
    uses_lookup: bool = False  # imports the generated lookup module
    requires: str | None = None  # path of that module, which must be written first
    imported: tuple[tuple[str, str | None], ...] = ()
    """Imported base constants → their new value, None if kept (`shared_bases`)."""
    exported: tuple[tuple[str, str | None], ...] = ()
    """This module's shared base constants → their new value, None if kept."""
    exports: tuple[tuple[str, Any], ...] = ()
    """This module's functions → the migrated response each gives back (`follow_returns`)."""
    passes: tuple[tuple[str, Any], ...] = ()
    """Names it imports and uses → the migrated response each gives back (for tests patching them)."""
    new_notes: tuple[str, ...] | None = None
    """`notes` as they read once the file is written (the lines they name are its new ones)."""
    kept_rows: tuple[tuple[str, int], ...] = ()
    """Endpoint rows the codemod kept on the Config API, with a line each (for `_kept`)."""
    apart_rows: tuple[str, ...] = ()
    """Endpoint rows of test doubles set apart from their base (`_keep_tests_with_their_code`)."""
    moved_attributes: tuple[str, ...] = ()
    """Attributes whose workspace base the file moved (`_hold_read_attributes`)."""
    moved_calls: tuple[tuple[str, str, str, int], ...] = ()
    """HTTP functions whose calls the file moved to another method (`_patches_of_moved_calls`)."""
    moved_bases: tuple[tuple[str, str, str, int], ...] = ()
    """Base URL constants the file moved: (name, before, after, line) (`_patches_of_moved_bases`)."""
    kept_requests: tuple[tuple[str, int], ...] = ()
    """Endpoint rows whose calls keep the Config method and body, with a line (`_keep_tests_with_their_code`)."""
    sent_requests: tuple[tuple[str, int], ...] = ()
    """Endpoint rows whose calls now send the Public body, with a line each (`_keep_tests_with_their_code`)."""
    shifts: tuple[tuple[int, int], ...] = ()
    """Lines the rewrite moves, when it changes the file (`line_refs.moved_line`)."""
    workspaces: tuple[tuple[str, int], ...] = ()
    """Without an id map, the workspaces its migrated calls drop, with a line (`_compare_workspaces`)."""
    held: int = 0
    """Marker comments the file holds once the run is done when this run found
    none (an earlier run's, on code this run no longer reads as Config API code)."""


def _failed(path: str, error: str) -> FileResult:
    return FileResult(path, "failed", error=error)


@dataclass(frozen=True)
class Settings:
    """What every worker needs, set up once per worker process."""

    core: Core
    rules: Any
    ids: Any
    region: str
    diff: bool
    keep_new: bool
    lookup_module: str | None = None
    linked: dict[str, str] = field(default_factory=dict)
    """File with no Config API → the file calling a Segment API it is linked to."""
    kept: dict[str, dict[str, str]] = field(default_factory=dict)
    """Test file → endpoint rows the files of the run it reaches (other than
    tests) keep on the Config API → where (`path:line`): its URLs of them stay too."""
    moved_rows: dict[str, dict[str, str]] = field(default_factory=dict)
    """Test file → endpoint rows the files of the run it reaches (other than
    tests) migrated calls of → where (all of them): the markers of its URLs
    held on the Config API say so."""
    shared: dict[str, SharedBases] = field(default_factory=dict)
    """Path → its `SharedBases` (base constants shared between modules)."""
    numbers: dict[str, dict[str, int]] = field(default_factory=dict)
    """Path → integer constants it imports from other modules of the run
    (`SharedBases.imported_numbers`: page sizes)."""
    returns: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Path → what functions of other modules it calls give back (`exports`)."""
    held_attributes: dict[str, frozenset[str]] = field(default_factory=dict)
    """Path → attributes other modules of the run read (`_hold_read_attributes`)."""
    subclasses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Path → copies of the subclasses other modules of the run derive from
    its classes (`SharedBases.subclasses`, `_hold_read_attributes`)."""
    readers: dict[str, dict[str, str]] = field(default_factory=dict)
    """Path → attribute other modules of the run read → where the first read is
    (`path:line`, as seen from it; `SharedBases.readers`, `_hold_read_attributes`)."""
    superclasses: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    """Path → the attributes its subclasses keep with a class of another
    module (`SharedBases.superclasses`, `_hold_subclass_bases`)."""
    held_requests: dict[str, dict[str, str]] = field(default_factory=dict)
    """Test file → endpoint rows the files of the run it reaches (other than
    tests) send as the Config API takes them (URL migrated, method and body
    marked) → where: its doubles keep their method, and the bodies it pins stay."""
    moved_patches: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    """Path → patch targets of functions the modules it imports no longer call (`_patches_of_moved_calls`)."""
    patched_bases: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    """Path → patch targets of base constants other modules moved (`SharedBases.patched`,
    `_patches_of_moved_bases`)."""
    outside: dict[str, dict[str, Outside]] = field(default_factory=dict)
    """Path → base URL names it imports from modules that share none with the run (`SharedBases.outside`)."""
    unimported: dict[str, frozenset[str]] = field(default_factory=dict)
    """Path → its base URL constants no file of the run reaches (`SharedBases.unimported`)."""
    types: dict[str, dict[str, Declared]] = field(default_factory=dict)
    """Path → classes declaring Config fields of the modules of the run it imports (`_typed_imports`)."""
    workspaces: dict[str, dict[str, str]] = field(default_factory=dict)
    """Path → the workspaces other files of the run drop → where (`_compare_workspaces`)."""


def process_file(path: str, data: bytes, s: Settings) -> FileResult:
    """Rewrite one file's bytes; never raises."""
    options: dict[str, Any] = {"region": s.region}
    if s.lookup_module:
        options["lookup_module"] = s.lookup_module
    if path in s.linked:
        options["linked"] = s.linked[path]
    test = is_test_file(path)
    if path in s.kept and test:
        options["kept"] = s.kept[path]
        if path in s.moved_rows:
            options["moved_rows"] = s.moved_rows[path]
    if path in s.held_requests and test:
        options["held_requests"] = s.held_requests[path]
    shared = s.shared.get(path)
    if path in s.numbers:
        shared = replace(shared or SharedBases(), imported_numbers=s.numbers[path])
    if path in s.outside:
        shared = replace(shared or SharedBases(), outside=s.outside[path])
    if path in s.unimported:
        shared = replace(shared or SharedBases(), unimported=s.unimported[path])
    if path in s.subclasses:
        shared = replace(shared or SharedBases(), subclasses=s.subclasses[path])
    if path in s.superclasses:
        shared = replace(shared or SharedBases(), superclasses=s.superclasses[path])
    if path in s.readers:
        shared = replace(shared or SharedBases(), readers=s.readers[path])
    if path in s.patched_bases:
        shared = replace(shared or SharedBases(), patched=s.patched_bases[path])
    if shared:
        options["shared"] = shared
    if path in s.returns:
        options["returns"] = s.returns[path]
    if path in s.held_attributes:
        options["held_attributes"] = s.held_attributes[path]
    if path in s.moved_patches:
        options["moved_patches"] = s.moved_patches[path]
    if path in s.types:
        options["types"] = s.types[path]
    if path in s.workspaces:
        options["run_workspaces"] = s.workspaces[path]
    if b"Client" in data or b"client(" in data:
        packages = other_packages(data.decode("utf-8", "replace"), path)
        if packages:
            options["other_packages"] = frozenset(packages)
    try:
        result = s.core.rewrite_bytes(data, s.rules, s.ids, **options)
    except s.core.error as exc:
        return _failed(path, str(exc) or type(exc).__name__)
    except RecursionError:
        return _failed(path, "too deeply nested to rewrite")
    except Exception as exc:  # a bug in a rule must not stop the run
        return _failed(path, f"internal error: {type(exc).__name__}: {exc}")
    notes = list(result.notes)
    modified = result.code != data
    if modified and not result.changes and not result.markers:
        # Round-trip drift only (libcst does not reproduce every byte): never written.
        modified = False
        notes.append("libcst would alter formatting without migrating anything; left as is")
    if modified and not s.core.checks_output and not _parses(result.code) and _parses(data):
        return _failed(path, "internal error: the rewrite does not parse; file left as is")
    held = 0 if result.markers else held_markers(result.code)
    status: Status = "marked" if result.markers or held else "changed" if modified else "unchanged"
    return FileResult(
        path,
        status,
        held=held,
        modified=modified,
        changes=tuple(result.changes),
        markers=tuple(result.markers),
        notes=tuple(notes),
        diff=unified_diff(path, data, result.code) if modified and s.diff else None,
        new=result.code if modified and s.keep_new else None,
        uses_lookup=modified and s.core.uses_lookup_module is not None and s.core.uses_lookup_module(result),
        imported=tuple(sorted((getattr(result, "imported", None) or {}).items())),
        exported=tuple(sorted((getattr(result, "exported", None) or {}).items())),
        exports=tuple(sorted((getattr(result, "exports", None) or {}).items())),
        passes=tuple(sorted((getattr(result, "passes", None) or {}).items())),
        new_notes=_new_notes(result, notes) if modified else None,
        kept_rows=tuple(getattr(result, "kept_rows", ()) or ()),
        apart_rows=tuple(getattr(result, "apart_rows", ()) or ()),
        moved_attributes=tuple(getattr(result, "moved_attributes", ()) or ()),
        moved_calls=tuple(getattr(result, "moved_calls", ()) or ()),
        moved_bases=tuple(getattr(result, "moved_bases", ()) or ()),
        kept_requests=tuple(getattr(result, "kept_requests", ()) or ()),
        sent_requests=tuple(getattr(result, "sent_requests", ()) or ()),
        shifts=tuple(getattr(result, "shifts", ()) or ()) if modified else (),
        workspaces=tuple(getattr(result, "workspaces", ()) or ()),
    )


_MARKER_LINE = re.compile(rb"(?:^|(?<=\r))[ \t]*#[ \t]*migrator\[[a-z][a-z0-9.-]*\]:", re.M)
"""A marker's line, which may follow a lone `\\r` (an old Mac file): `^` follows `\\n` only."""
_LONE_RETURN = re.compile(rb"\r(?!\n)")


def held_markers(data: bytes) -> int:
    """How many marker comments (`# migrator[rule]: ...` lines) `data` holds."""
    return len(_MARKER_LINE.findall(data)) if b"migrator[" in data else 0


def _new_notes(result: ResultLike, notes: list[str]) -> tuple[str, ...] | None:
    """The notes with the lines of the rewritten file, those the driver adds after them."""
    new = getattr(result, "new_notes", None)
    return None if new is None else (*new, *notes[len(result.notes):])


def _kept(data: bytes, result: ResultLike, s: Settings) -> tuple[tuple[str, int], ...]:
    """The endpoint rows whose Config URLs the file keeps: in its text, on a
    line the rewrite did not migrate them on (lines of the file as it was)."""
    assert s.core.kept_endpoints is not None
    migrated = {(c.rule, c.line) for c in result.changes}
    found = tuple((row, line) for row, line in s.core.kept_endpoints(data, s.rules) if (row, line) not in migrated)
    # and the codemod's: a path it read whole with a base or helper (no endpoint in its text), then kept
    return tuple(dict.fromkeys(found + tuple(getattr(result, "kept_rows", ()))))


def _parses(data: bytes) -> bool:
    try:
        compile(data, "<rewrite>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


# --- the run -------------------------------------------------------------------------


@dataclass
class Run:
    """The results of one run, in discovery order."""

    results: list[FileResult]
    write: bool
    diff: bool
    refused: str | None = None  # why the git guard refused to write
    warnings: tuple[str, ...] = ()
    """About the whole run (an id map of another region than `--region`)."""

    @property
    def totals(self) -> dict[str, Any]:
        by_status = Counter(r.status for r in self.results)
        changes = Counter(c.rule for r in self.results for c in r.changes)
        markers = Counter(m.rule for r in self.results for m in r.markers)
        return {
            "files": len(self.results),
            **{status: by_status[status] for status in STATUSES},
            "modified": sum(r.modified for r in self.results),
            "changes": sum(changes.values()),
            "markers": sum(markers.values()),
            "held_markers": sum(r.held for r in self.results),
            "changes_by_rule": dict(sorted(changes.items())),
            "markers_by_rule": dict(sorted(markers.items())),
        }

    @property
    def modified(self) -> list[FileResult]:
        return [r for r in self.results if r.modified]

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


Progress = Callable[[int, int], None]


def is_python(path: Path) -> bool:
    """Python source as the audit reads it: modules, stubs (whose values are
    the module's) and Windows scripts."""
    return path.suffix in PYTHON_SUFFIXES


def run(
    paths: Sequence[Path],
    *,
    write: bool = True,
    diff: bool = False,
    force: bool = False,
    region: str = "us",
    ids: Any = None,
    jobs: int | None = None,
    lookup_module: str | None = None,
    core: Core | None = None,
    progress: Progress | None = None,
    excludes: Excludes | None = None,
) -> Run:
    """Rewrite the Python files under `paths`, less those `excludes`
    leaves out (`--exclude`: a file named is skipped).

    With `lookup_module` (and `ids`), slugs held in variables are resolved
    through a generated module of that name, written beside the files that
    import it. Raises only for the whole run (the rules table does not
    load); every per-file problem is a `failed` result.
    """
    core = core or default_core()
    rules = core.load_rules()  # once; workers inherit it
    settings = Settings(core, rules, ids, region, diff, keep_new=write, lookup_module=lookup_module)
    found = discover(list(paths), is_python, excludes=excludes)
    with using_layout(Layout([str(f) for f in found.files])):  # more roots for its imports
        return _run_found(found, paths, settings, write=write, diff=diff, force=force, jobs=jobs,
                          progress=progress, excludes=excludes)


def _run_found(
    found: Discovery, paths: Sequence[Path], settings: Settings, *, write: bool, diff: bool, force: bool,
    jobs: int | None, progress: Progress | None, excludes: Excludes | None,
) -> Run:
    """`run`, once its files are found."""
    core, rules, ids, region, lookup_module = settings.core, settings.rules, settings.ids, settings.region, \
        settings.lookup_module
    total = len(found.files)
    results: list[FileResult | None] = [None] * total
    originals: dict[int, bytes] = {}
    flags = core.link_search(rules) if core.link_search is not None else None
    sources: dict[str, tuple[str, ...]] = {}
    readers: dict[int, tuple[str, ...]] = {}
    entries: dict[str, tuple[str, ...]] = {}
    imports: dict[int, tuple[str, ...]] = {}  # for `_follow_returns`
    declaring: dict[str, bytes] = {}  # modules that may declare classes of Config fields, for `_typed_imports`
    patching: set[int] = set()  # files that may put fakes in place of functions (tests)
    public: set[str] = set()
    bases_only: dict[str, tuple[str, ...]] = {}  # settings modules → their base constants (`base_names`)
    read_by: dict[int, bytes] = {}  # the readers' bytes, for `mentions`
    settings_module = _settings_module(rules) if flags is not None else None
    for index, path in enumerate(found.files):
        triaged, data = _triage(path, core, lookup_module=lookup_module)
        if triaged is None:
            assert data is not None
            originals[index] = data
        else:
            results[index] = triaged
        if core.follows_returns and data is not None and b"import" in data:
            imports[index] = specs_of(str(path), data)
            if b"patch" in data or b"setattr" in data:
                patching.add(index)
        if core.follows_returns and data is not None and may_declare(data, rules):
            declaring[str(path)] = data
        if flags is not None and data is not None:  # for `links`
            # A file the codemod reads anyway is a source; its reads are its own (one
            # whose only Config text is a path, its base imported, may be linked still).
            calls, names = (True, False) if triaged is None and core.own_config_api(data) else flags(data)
            if calls and not core.may_need_rewrite(data):
                public.add(str(path))  # no Config API in it: it calls the Public API
            names_ = settings_module(data) if calls and settings_module is not None else ()
            if names_:
                bases_only[str(path)] = names_  # a settings module (see below)
            entry = is_entry(str(path))
            if calls or names or entry:
                specs = specs_of(str(path), data)
                if calls:
                    sources[str(path)] = specs
                if names:
                    readers[index] = specs
                    read_by[index] = data
                if entry:
                    entries[str(path)] = specs
        if progress and index % 256 == 255:
            progress(index + 1 - len(originals), total)
    linked: dict[str, str] = {}
    if readers:
        assert flags is not None
        # A settings module gives its importers no response: it links only the readers naming one of its constants.
        naming = {i for i, data in read_by.items() if any(mentions(data, names) for names in bases_only.values())}
        strict = {p: specs for p, specs in sources.items() if p not in bases_only}
        for group, given in ((naming, sources), (readers.keys() - naming, strict)):
            if not group:
                continue
            known, known_entries = beyond_run(
                given, entries, {str(f) for f in found.files},
                partial(calls_segment, may_need_rewrite=core.own_config_api, flags=flags), specs_on_disk,
                [str(p) for p in paths if p.is_dir()], excludes.of_file if excludes else None,
            )
            linked.update(linked_files(
                given, {str(found.files[i]): readers[i] for i in group}, known_entries, known,
                PublicSources(public, {str(f) for f in found.files}, core.may_need_rewrite, flags),
            ))
    if linked:
        settings = replace(settings, linked=linked)
        _triage_linked(found.files, readers, linked, core, results, originals)
    unreached: dict[str, frozenset[str]] = {}
    owners = _shared_owners(found.files, originals, results, rules, unreached) if core.shares_bases else []
    held = first_holds(owners)
    if owners:
        settings = replace(settings, shared=options(owners, held))
    if unreached:
        settings = replace(settings, unimported=unreached)
    if core.shares_bases:
        settings = replace(settings, numbers=_imported_numbers(found.files, originals, rules),
                           outside=_outside_bases(found.files, originals, rules, excludes))
    todo = [(index, str(found.files[index]), data) for index, data in sorted(originals.items())]
    done = total - len(todo)

    def finished(batch: list[tuple[int, FileResult]]) -> None:
        nonlocal done
        for index, result in batch:
            results[index] = result
        done += len(batch)
        if progress:
            progress(done, total)

    _rewrite_all(todo, settings, jobs or cpu_count(), finished)
    settings = _compare_workspaces(todo, results, settings, jobs or cpu_count())
    hierarchy = cache(partial(_hierarchy, found.files, imports, originals))  # built once, when needed
    settings = _hold_read_attributes(found.files, imports, originals, results, settings, jobs or cpu_count(), hierarchy)
    settings = _hold_subclass_bases(found.files, imports, originals, results, settings, jobs or cpu_count(), hierarchy)
    settings = _settle_shared(owners, held, todo, results, settings, jobs or cpu_count())
    kept_with_code = _keep_tests_with_their_code(todo, results, settings, jobs or cpu_count(), found.files, imports)
    if kept_with_code is not None:
        settings = _settle_shared(owners, held, todo, results, kept_with_code, jobs or cpu_count())
    if flags is not None:
        settings = _link_moved(found.files, readers, sources, bases_only, originals, results, settings,
                               jobs or cpu_count())
    if core.follows_returns:
        settings = _patches_of_moved_bases(found.files, imports, patching, originals, results, settings,
                                           jobs or cpu_count())
        settings = _patches_of_moved_calls(found.files, imports, patching, originals, results, settings,
                                           jobs or cpu_count())
        settings = _typed_imports(found.files, imports, declaring, originals, results, settings, jobs or cpu_count())
        settings = _follow_returns(found.files, imports, patching, originals, results, settings, jobs or cpu_count())
    _note_shared(owners, held, todo, results)
    _note_above(todo, results)
    final = [r for r in results if r is not None]
    final += [_from_skipped(s.path, s.reason) for s in found.skipped]
    expected: dict[str, bytes | None] = {str(found.files[i]): data for i, data in originals.items()}
    if lookup_module:
        walked = [p for p in paths if p.is_dir()] or [Path(".")]  # files named: from the working directory
        _add_lookup_modules(final, lookup_module, settings, expected, walked)
    outcome = Run(final, write=write, diff=diff, warnings=region_warnings(rules, ids, region))
    if write:
        _write(outcome, expected, force)
    return outcome


def _note_above(todo: list[tuple[int, str, bytes]], results: list[FileResult | None]) -> None:
    """On a file with markers, run from below the top of its git work tree:
    a module it imports found only above the working directory, which this
    run does not read (a shared base there stays unseen)."""
    for index, path, data in todo:
        result = results[index]
        if result is None or not result.markers or b"import" not in data:
            continue
        found = imported_from_above(path, data.decode("utf-8", "replace"))
        if found is not None:
            spec, top = found
            note = (f"imports `{spec}` from above the working directory, which this run does not read: "
                    f"run from the top of the repository ({top}) for it to be read with this file")
            results[index] = replace(result, notes=(*result.notes, note))


def _compare_workspaces(
    todo: list[tuple[int, str, bytes]], results: list[FileResult | None], settings: Settings, jobs: int,
) -> Settings:
    """Without an id map, each file's migrated calls drop the workspace they
    name (`workspaces`), taken for the token's: when files of the run drop
    different ones, those that drop one another file does not are rewritten
    again knowing the others' (`Settings.workspaces`), and their calls for
    them marked (`file_workspaces`; test files take no part)."""
    dropping = {path: [w for w, _ in result.workspaces] for index, path, _ in todo
                if (result := results[index]) is not None and result.workspaces}
    given = run_workspaces.others(dropping, is_test_file, module_path)
    if not given:
        return settings
    settings = replace(settings, workspaces=given)
    _rewrite_all([t for t in todo if t[1] in given], settings, jobs, partial(_store, results))
    return settings


def _shared_owners(
    files: Sequence[Path], originals: dict[int, bytes], results: list[FileResult | None], rules: Any,
    unreached: dict[str, frozenset[str]] | None = None,
) -> list[Owner]:
    """The base constants modules of the run share (`shared_plan`); their
    importers join the files to rewrite (`originals`). `unreached` gets
    those no file of the run reaches (`find_owners`)."""
    texts: dict[str, bytes] = {}

    def every_file() -> dict[str, bytes]:
        for index, path in enumerate(files):
            try:
                texts[str(path)] = originals[index] if index in originals else path.read_bytes()
            except OSError:
                continue
        return texts

    from migrator.rewrite.table import table_for

    owners = find_owners({str(files[i]): data for i, data in originals.items()}, every_file, rules.config_hosts,
                         table_for(rules).workspace_paths(), unreached)
    position = {str(path): index for index, path in enumerate(files)}
    for owner in owners:
        for path in owner.importers:
            index = position[path]
            triaged = results[index]
            if index not in originals and triaged is not None and triaged.status in ("unchanged", "marked"):
                header = generated_header(texts[path])
                if header is not None:  # left as it is: what it imports stays (`settle`: no outcome)
                    results[index] = FileResult(path, "skipped", notes=(not_rewritten(header),))
                    continue
                originals[index] = texts[path]  # it joins its paths to the base: the codemod must read it
                results[index] = None
    return owners


def _imported_numbers(files: Sequence[Path], originals: dict[int, bytes], rules: Any) -> dict[str, dict[str, int]]:
    """`shared_plan.imported_numbers` of the files to rewrite that hold a page size parameter."""
    position = {str(path): index for index, path in enumerate(files)}

    def read(path: str) -> bytes | None:
        index = position.get(path)
        if index is None:
            return None
        try:
            return originals[index] if index in originals else files[index].read_bytes()
        except OSError:
            return None

    row = rules.pagination
    return imported_numbers({str(files[i]): data for i, data in originals.items()}, read,
                            (row.size_param.encode(), row.count_param.encode()))


def _outside_bases(
    files: Sequence[Path], originals: dict[int, bytes], rules: Any, excludes: Excludes | None,
) -> dict[str, dict[str, Outside]]:
    """`shared_plan.outside_bases` of the files to rewrite (the modules `excludes` leaves out not read)."""
    from migrator.rewrite.table import table_for

    run = {os.path.normpath(str(path)) for path in files}
    texts = {os.path.normpath(str(files[i])): data for i, data in originals.items()}
    found = outside_bases(texts, run, rules.config_hosts, table_for(rules).workspace_segment,
                          excludes.of_file if excludes else None)
    return {str(files[i]): found[key] for i in originals if (key := os.path.normpath(str(files[i]))) in found}


def _settle_shared(
    owners: list[Owner], held: dict[Key, str], todo: list[tuple[int, str, bytes]],
    results: list[FileResult | None], settings: Settings, jobs: int,
) -> Settings:
    """`shared_plan.settle` over the run's results: the files that must
    change their minds are rewritten again on the pool."""
    where = {path: index for index, path, _ in todo}

    def outcome(path: str) -> Outcome | None:
        index = where.get(path)
        result = results[index] if index is not None else None
        return (dict(result.imported), dict(result.exported)) if result is not None else None

    def again(shared: dict[str, SharedBases], paths: set[str]) -> None:
        nonlocal settings
        settings = replace(settings, shared=shared)
        _rewrite_all([item for item in todo if item[1] in paths], settings, jobs, partial(_store, results))

    settle(owners, held, outcome, again)
    return settings


def _settings_module(rules: Any) -> Callable[[bytes], tuple[str, ...]]:
    """`base_names` of a module's bytes, with the run's hosts and Config path head."""
    from migrator.rewrite.table import table_for

    hosts, head = (*rules.config_hosts, *rules.public_hosts), table_for(rules).workspace_segment
    return partial(base_names, hosts=hosts, head=head)


def _link_moved(
    files: Sequence[Path], readers: dict[int, tuple[str, ...]], sources: dict[str, tuple[str, ...]],
    bases_only: Container[str], originals: dict[int, bytes], results: list[FileResult | None], settings: Settings,
    jobs: int,
) -> Settings:
    """Files the run moved to the Public API though no Config text showed in
    them (a client joining its paths to a base it imports from a settings
    module) call a Segment API too: the readers linked to them (`links`) that
    no source linked yet (left alone, or rewritten unlinked: a test holding
    Config text) are given to the codemod as linked, and their
    Config-looking reads marked, as a next run's would be when the base is
    in the client. The settings modules themselves (`bases_only`) link nothing."""
    moved = {  # or marked: its marker comments hold Config text, so a next run links them anyway
        str(files[index]): specs_of(str(files[index]), data) for index, data in originals.items()
        if str(files[index]) not in sources and str(files[index]) not in bases_only
        and (result := results[index]) is not None
        and (result.changes or result.markers)
    }
    waiting = {
        path: specs for index, specs in readers.items()
        if (path := str(files[index])) not in settings.linked and path not in moved
    }
    more = linked_files(moved, waiting) if moved and waiting else {}
    if not more:
        return settings
    settings = replace(settings, linked={**settings.linked, **more})
    read = _triage_linked(files, readers, more, settings.core, results, originals)
    _rewrite_all([(i, str(files[i]), originals[i]) for i in read], settings, jobs, partial(_store, results))
    return settings


def _module_stem(path: str) -> str:
    """The last name of an import of the module at `path` (a package's, for `__init__.py`)."""
    return os.path.basename(os.path.dirname(path)) if path.endswith("__init__.py") else Path(path).stem


def _module_named(path: str, spec: str, run: Container[str], stems: Container[str]) -> str | None:
    """The file an import of `path` names (`spec`, as `import_specs` gives
    it): the first candidate that is there, as Python would find it; None
    at once when its last name is none of `stems` (no path is looked for)."""
    if spec.rsplit(".", 1)[-1] not in stems:
        return None
    return next((c for c in candidates(path, [spec]) if c in run or os.path.isfile(c)), None)


def _modules_imported(
    path: str, specs: tuple[str, ...], run: Container[str], stems: Container[str],
    entries: Mapping[str, tuple[str, ...]],
) -> Iterator[str]:
    """The modules named `stems` that `path` imports (`specs`), as `_imports_of` finds them."""
    return (found for _, found in _imports_of(path, specs, run, stems, entries))


def _imports_of(
    path: str, specs: tuple[str, ...], run: Container[str], stems: Container[str],
    entries: Mapping[str, tuple[str, ...]],
) -> Iterator[tuple[str, str]]:
    """(its dotted name, its file) for the modules named `stems` that `path`
    imports (`specs`): directly, or through a package's `__init__.py` that
    imports them, when `path` takes from the package a name the
    `__init__.py` imports from that module (`from pkg import Client`,
    `from .client import Client`: `pkg.client`), or takes no name, or the
    module gives none (`from .client import *`)."""
    for spec in specs:
        found = _module_named(path, spec, run, stems)
        if found is not None:
            yield spec, found
            continue
        package = next((c for c in candidates(path, [spec]) if c in run or os.path.isfile(c)), None)
        if package is None or not package.endswith("__init__.py"):
            continue
        inner = entries[package] if package in entries else specs_on_disk(package)
        taken = {s[len(spec) + 1:] for s in specs if s.startswith(spec + ".")}
        for module in inner:
            given = {s[len(module) + 1:] for s in inner if s.startswith(module + ".")}
            if taken and given and not taken & given:
                continue
            found = _module_named(package, module, run, stems)
            if found is not None and found != package:
                yield _within(spec, module), found


def _within(package: str, spec: str) -> str:
    """The dotted name of the module a package's `__init__.py` imports as
    `spec`, the package being imported as `package`."""
    name = spec.lstrip(".")
    dots = len(spec) - len(name)
    if not dots:
        return spec
    parts = package.split(".")
    parts = parts[: len(parts) - (dots - 1)]  # `..x` is beside the package
    return ".".join([*parts, name] if name else parts)


def _package_entries(files: Sequence[Path], imports: Mapping[int, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """What the packages' `__init__.py` files of the run import (for `_imports_of`)."""
    return {str(files[i]): specs for i, specs in imports.items() if str(files[i]).endswith("__init__.py")}


def _hold_read_attributes(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], originals: dict[int, bytes],
    results: list[FileResult | None], settings: Settings, jobs: int, hierarchy: Callable[[], subclass_stubs.Hierarchy],
) -> Settings:
    """A module that moved a workspace base bound to an attribute
    (`self.base = f".../workspaces/{ws}"`) or to a module constant built on
    a base (`WS = f"{API}/workspaces/acme"`) is rewritten again with that
    base kept, when another module of the run that imports it reads an
    attribute of that name (`c.base + "/sources/web/..."`, a subclass) or
    imports the name (`from app import WS`): that module's paths, joined to
    the base unseen, stay on the Config API with it. A module that moved a
    base bound to a class attribute (`BASE_URL = "…/v1beta"`) is rewritten
    again with a copy of each subclass another module of the run derives
    from its classes (at any depth, `subclass_stubs.Hierarchy`) and assigns
    it in: read as if the subclass were in the file, its base and paths stay
    when that value is not the Config base."""
    moved = {str(files[i]): r.moved_attributes for i, r in enumerate(results) if r is not None and r.moved_attributes}
    if not moved:
        return settings
    run = {str(f) for f in files}
    stems = {_module_stem(p) for p in moved}
    entries = _package_entries(files, imports)
    held: dict[str, set[str]] = {}
    readers: dict[str, dict[str, str]] = {}  # the first read of each, `path:line` as seen from its module
    every = {str(files[i]): r.moved_attributes for i, r in enumerate(results) if r is not None}
    stubs = {found: _subclass_stubs(hierarchy(), found, attributes, originals, files, every)
             for found, attributes in moved.items()}
    todo = {index: list(_modules_imported(str(files[index]), specs, run, stems, entries))
            for index, specs in imports.items()}
    position = {str(f): i for i, f in enumerate(files)}
    for path, founds in _combined_with(hierarchy(), moved).items():  # a mixin's module need not import `found`
        if path in position:
            listed = todo.setdefault(position[path], [])
            listed.extend(f for f in sorted(founds) if f not in listed)
    for index, founds in todo.items():
        path = str(files[index])
        for found in founds:
            if found == path or found not in moved:
                continue
            try:
                data = originals[index] if index in originals else files[index].read_bytes()
            except OSError:
                continue
            copies = path in stubs[found].modules
            classes = hierarchy().statements(path)
            for attr in moved[found]:
                name = re.escape(attr.encode())  # `c.base`, `getattr(c, "base")`, `from app import WS`
                # a class's own `self.base` (assigned in it, not derived from `found`'s) is no read of `found`'s
                # (nor one a class of another module derives from: a mixin the client may be combined with there)
                read = own_reads.blank_own_reads(data, classes, attr,
                                                 lambda node: hierarchy().derives_within(path, node, found)
                                                 and not hierarchy().descendants(path, node.name))
                # a subclass's `self.base = ...` is in its copy (`stubs`), not a read
                read = re.sub(rb"\bself\." + name + rb"[ \t]*(?::[^=\n]*)?=(?!=)", b"", read) if copies else read
                matches = list(re.finditer(rb"\." + name + rb"\b|getattr\([^,\n]*,\s*[\"']" + name + rb"[\"']"
                                           rb"|\bimport\b[^\n;]*\b" + name + rb"\b|\bimport\s*\([^)]*\b" + name
                                           + rb"\b", read))
                if matches:
                    held.setdefault(found, set()).add(attr)
                    # the marker names the first read, else the first assignment (`x.base = ...`)
                    match = next((m for m in matches if not re.match(rb"[ \t]*(?::[^=\n]*)?=(?!=)", read[m.end():])),
                                 matches[0])
                    line = read.count(b"\n", 0, match.start()) + 1
                    where = os.path.relpath(path, os.path.dirname(found) or ".").replace(os.sep, "/")
                    readers.setdefault(found, {}).setdefault(attr, f"{where}:{line}")
    copied = {p: found.copies for p, found in stubs.items() if found.copies}
    if not held and not copied:
        return settings
    settings = replace(settings, held_attributes={p: frozenset(a) for p, a in held.items()}, subclasses=copied,
                       readers=readers)
    where = {str(files[i]): i for i in originals}
    _rewrite_all([(where[p], p, originals[where[p]]) for p in sorted(held.keys() | copied.keys()) if p in where],
                 settings, jobs, partial(_store, results))
    return settings


def _combined_with(hierarchy: subclass_stubs.Hierarchy, moved: Mapping[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Module → the modules of `moved` a class of the run combines one of its
    classes with (`class Client(b.Overridable, a.Client)`: `b` → `a`): the
    mixin's `self.base` may be `a`'s attribute."""
    found: dict[str, set[str]] = {}
    for module in moved:
        for statement in hierarchy.statements(module):
            above = {(module, statement.name), *hierarchy.ancestors(module, statement)}  # not combined: derived from
            for child, node in hierarchy.descendants(module, statement.name):
                for other, name in hierarchy.ancestors(child, node):
                    if other != module and (other, name) not in above:
                        found.setdefault(other, set()).add(module)
    return found


@dataclass(frozen=True)
class _Copies:
    """The copies of a module's subclasses (`subclass_stubs.stubs`) and the modules they are in."""
    copies: tuple[str, ...] = ()
    modules: frozenset[str] = frozenset()


def _hierarchy(
    files: Sequence[Path], imports: Mapping[int, tuple[str, ...]], originals: Mapping[int, bytes],
) -> subclass_stubs.Hierarchy:
    """The run's classes and those they derive from (`subclass_stubs.Hierarchy`):
    a class deriving from one of another module is in a module that imports."""
    position = {str(f): i for i, f in enumerate(files)}
    normal = {os.path.normpath(p): p for p in position}

    def read(path: str) -> bytes | None:
        index = position.get(path)
        try:
            return None if index is None else originals[index] if index in originals else files[index].read_bytes()
        except OSError:
            return None

    def locate(path: str, spec: str) -> str | None:
        return next((normal[c] for c in candidates(path, [spec]) if c in normal), None)

    return subclass_stubs.Hierarchy([str(files[i]) for i in imports], read, locate)


def _subclass_stubs(
    hierarchy: subclass_stubs.Hierarchy, found: str, attributes: tuple[str, ...], originals: Mapping[int, bytes],
    files: Sequence[Path], moved: Mapping[str, tuple[str, ...]],
) -> _Copies:
    """The copies of the subclasses the other modules of the run derive from
    the classes of the moved module `found` (at any depth) and assign one of
    its moved `attributes` in, with what each module moved (`moved`)."""
    found_in = [(name, path, node) for name in _class_attributes(found, originals, files)
                for path, node in hierarchy.descendants(found, name)
                if not subclass_stubs.assigned(node).isdisjoint(attributes)]
    copies = subclass_stubs.stubs([(name, node, moved.get(path, ())) for name, path, node in found_in], attributes)
    return _Copies(tuple(copies), frozenset(path for _, path, _ in found_in))


def _class_attributes(path: str, originals: Mapping[int, bytes], files: Sequence[Path]) -> dict[str, frozenset[str]]:
    """`subclass_stubs.class_attributes` of the module `path`."""
    index = next((i for i, f in enumerate(files) if str(f) == path), None)
    try:
        text = originals[index] if index in originals else Path(path).read_bytes()
    except OSError:
        text = b""
    return subclass_stubs.class_attributes(text)


def _hold_subclass_bases(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], originals: dict[int, bytes],
    results: list[FileResult | None], settings: Settings, jobs: int, hierarchy: Callable[[], subclass_stubs.Hierarchy],
) -> Settings:
    """A module that moved a base bound to a class attribute in a subclass
    of a class another module of the run defines and assigns it in (`class
    Mine(Client): BASE_URL = "…/v1beta"`, `from client import Client`; at
    any depth) is rewritten again with that base kept when that module keeps
    its own (a path joined to it that cannot move): the paths its class
    joins to the attribute stay on the Config API, so must the subclass's
    value; its marker names that class (`superclasses`)."""
    moved = {str(files[i]): r.moved_attributes for i, r in enumerate(results) if r is not None}
    held = {p: set(a) for p, a in settings.held_attributes.items()}
    classes: dict[str, dict[str, frozenset[str]]] = {}  # each class's module's, read once
    superclasses: dict[str, dict[str, tuple[str, str]]] = {}
    again: set[str] = set()
    for index in sorted(originals.keys() & imports.keys()):
        path = str(files[index])
        for node in hierarchy().statements(path) if moved.get(path) else ():
            mine = subclass_stubs.assigned(node).intersection(moved[path])
            for found, name in hierarchy().ancestors(path, node) if mine else ():
                if found not in classes:
                    classes[found] = _class_attributes(found, originals, files)
                kept = {a for a in mine if a in classes[found].get(name, ()) and a not in moved.get(found, ())}
                for attribute in sorted(kept - held.get(path, set())):
                    held.setdefault(path, set()).add(attribute)
                    where = os.path.relpath(found, os.path.dirname(path) or ".").replace(os.sep, "/")
                    superclasses.setdefault(path, {})[attribute] = (name, where)
                    again.add(path)
    if not again:
        return settings
    settings = replace(settings, held_attributes={p: frozenset(a) for p, a in held.items()},
                       superclasses={**settings.superclasses, **superclasses})
    where = {str(files[i]): i for i in originals}
    _rewrite_all([(where[p], p, originals[where[p]]) for p in sorted(again)], settings, jobs, partial(_store, results))
    return settings


def _follow_returns(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], patching: Container[int],
    originals: dict[int, bytes], results: list[FileResult | None], settings: Settings, jobs: int,
) -> Settings:
    """Modules whose functions give back responses they migrated
    (`exports`: `get_source` returns `resp.json()`): the files of the run
    that import them are rewritten again, knowing what those calls return
    (`client.get_source` → the Public source document), so that their reads
    of it move with it (`s["enabled"]` → `s["data"]["source"]["enabled"]`).
    What those files give back in turn (`def source(slug): return
    client.get_source(slug)`) is followed the same way into their importers,
    hop by hop, up to `HOPS` hops. Files that may put fakes in their place
    (`patching`: tests) are also told what the modules they import look up
    from others (`passes`), for `mock.patch("app.report.get_source")`; every
    importer of a package is told what its `__init__.py` imports from others."""
    run = {str(f) for f in files}
    returns: dict[str, dict[str, Any]] = dict(settings.returns)
    overridden: set[tuple[str, str]] = set()
    parsed: dict[int, list[tuple[str, str]]] = {}  # each file's classes' methods, read once
    tests = {i: () for i, f in enumerate(files) if conftests.pytest_module(str(f))}
    bound = {str(files[i]): _conftest_names(files, originals, i) for i in tests
             if os.path.basename(files[i]) == "conftest.py"}
    generating = _generating(files, originals, bound)
    hooks = any(names is None or names for names in generating.values())
    for hop in range(HOPS + 1):
        every = {str(files[i]): r.exports for i, r in enumerate(results) if r is not None and r.exports}
        # what conftests' fixtures give goes to the tests below them (`conftests.given`), not to importers
        fixtures = {p: tuple((n, s) for n, s in e if n.startswith(FIXTURE_KEY)) for p, e in every.items() if p in bound}
        exporters = {p: e for p, e in ((p, tuple((n, s) for n, s in e if not n.startswith(FIXTURE_KEY)))
                                       for p, e in every.items()) if e}
        classes = {p for p, exported in exporters.items() if any("." in name for name, _ in exported)}
        overridden |= _overridden_methods(files, imports, originals, run, classes, parsed)
        passers = {str(files[i]): r.passes for i, r in enumerate(results) if r is not None and r.passes}
        stems = {_module_stem(p) for p in (*exporters, *passers)}
        again: list[tuple[int, str, bytes]] = []
        for index, specs in ({**tests, **imports} if fixtures or hooks else imports).items():
            path = str(files[index])
            given: dict[str, Any] = conftests.given(path, fixtures, bound, generating) \
                if (fixtures or hooks) and index in tests else {}
            for spec in specs:
                found = _module_named(path, spec, run, stems)
                if found is None or found == path:
                    continue
                given.update((f"{spec}.{name}", shape) for name, shape in exporters.get(found, ()))
                given.update((f"{spec}.{name}{OVERRIDDEN}", shape) for name, shape in exporters.get(found, ())
                             if (found, name) in overridden)
                if index in patching or found.endswith("__init__.py"):  # what a package gives on, used or not
                    given.update((f"{spec}.{name}", shape) for name, shape in passers.get(found, ()))
            if path in settings.kept:  # a test whose doubles of these endpoints stay: so do its reads of them
                given = {name: shape for name, shape in given.items()
                         if not _answers(settings.rules, settings.kept[path], shape)}
            result = results[index]
            if given == returns.get(path, {}) or result is None or result.status not in ("changed", "marked", "unchanged"):
                continue
            original = _original(files, originals, index)
            if original is None:
                continue
            returns[path] = given
            again.append((index, path, original))
        if not again:
            break
        if hop == HOPS:
            for index, path, _ in again:  # one hop too far: said, not followed
                note = (f"what the modules it imports give back comes from migrated calls {HOPS} modules away or "
                        "more, which this rewrite does not follow: check the reads of it here by hand")
                result = results[index]
                if result is not None:
                    results[index] = replace(result, notes=(*result.notes, note))
            break
        settings = replace(settings, returns=dict(returns))
        _rewrite_all(again, settings, jobs, partial(_store, results))
    return settings


def _typed_imports(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], declaring: Mapping[str, bytes],
    originals: dict[int, bytes], results: list[FileResult | None], settings: Settings, jobs: int,
) -> Settings:
    """Classes declaring Config fields (`typed_classes.module_classes`) of the
    modules of the run (`declaring`: those that may hold one) that other files
    import: each importer is told of them, as it imports them (`.models.Source`
    → where, which fields), and those the run changed or marked are rewritten
    again knowing them, so that a migrated response typed with one is marked
    (`responses_typed`); files `_follow_returns` rewrites again are given
    them too."""
    classes = {path: found for path, data in declaring.items() if (found := module_classes(data, settings.rules))}
    if not classes:
        return settings
    run = {str(f) for f in files}
    where = {str(f): i for i, f in enumerate(files)}
    stems = {_module_stem(p) for p in classes}
    types: dict[str, dict[str, Declared]] = {}
    again: list[tuple[int, str, bytes]] = []
    for index, specs in imports.items():
        path = str(files[index])
        given: dict[str, Declared] = {}
        for spec in specs:
            found = _module_named(path, spec, run, stems)
            if found is None or found == path or found not in classes:
                continue
            done = results[where[found]]
            for name, (line, fields) in classes[found].items():
                cited = _cited(done, line) if done is not None else f"{module_path(found)}:{line}"
                given[f"{spec}.{name}"] = Declared(name, cited, fields)
        if not given:
            continue
        types[path] = given
        result = results[index]
        if result is not None and result.status in ("changed", "marked") and index in originals:
            again.append((index, path, originals[index]))
    if not types:
        return settings
    settings = replace(settings, types=types)
    _rewrite_all(again, settings, jobs, partial(_store, results))
    return settings


def _generating(
    files: Sequence[Path], originals: dict[int, bytes], bound: Mapping[str, frozenset[str] | None],
) -> dict[str, frozenset[str] | None]:
    """The parameters each conftest (`bound`: the names it binds) that binds
    `pytest_generate_tests` gives values to (`generate_hooks.generated`; None: any)."""
    where = {str(f): i for i, f in enumerate(files)}
    found: dict[str, frozenset[str] | None] = {}
    for path, names in bound.items():
        if names is not conftests.ANY and generate_hooks.HOOK in names:
            data = _original(files, originals, where[path])
            found[path] = generate_hooks.generated(data) if data is not None else generate_hooks.ANY
    return found


def _conftest_names(files: Sequence[Path], originals: dict[int, bytes], index: int) -> frozenset[str] | None:
    """The names a conftest of the run binds (`conftests.bound_names`); one that cannot be read may bind any."""
    data = _original(files, originals, index)
    return conftests.bound_names(data) if data is not None else conftests.ANY


def _answers(rules: Any, rows: Container[str], shape: Any) -> bool:
    """`shape` (a `responses_flow.Shape`) may be (a part of) the answer of
    one of the endpoint `rows`: it names the row, or, naming none (a list,
    an item), the resource one of them answers with."""
    endpoint = getattr(shape, "endpoint", None)
    if endpoint is not None:
        return endpoint in rows
    kind = getattr(shape, "kind", None)
    return kind is not None and any(e.id in rows and e.response == kind for e in rules.endpoints)


HOPS = 4
"""How far responses are followed from the module that makes the call."""


def _overridden_methods(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], originals: dict[int, bytes], run: Container[str],
    classes: set[str], parsed: dict[int, list[tuple[str, str]]],
) -> set[tuple[str, str]]:
    """(module, `Class.method`) for each method of a class of a module in
    `classes` (they give back migrated responses) that a subclass in another
    module of the run defines again (`class Fake(Client): def sources`): a
    parameter annotated with the base class may hold the subclass. `parsed`
    keeps what each file's classes define, from one hop to the next."""
    if not classes:
        return set()
    stems = {_module_stem(p) for p in classes}
    out: set[tuple[str, str]] = set()
    for index, specs in imports.items():
        data = originals.get(index)
        path = str(files[index])
        if data is None or b"class " not in data or not any(_module_named(path, s, run, stems) for s in specs):
            continue
        if index not in parsed:
            parsed[index] = _subclass_methods(data)
        for spec, method in parsed[index]:
            found = _module_named(path, spec, run, stems)
            if found is not None and found != path:
                out.add((found, method))
    return out


def _subclass_methods(data: bytes) -> list[tuple[str, str]]:
    """(module spec, `Class.method`) for the methods of the module's classes
    whose base is a class it imports (`from client import Client`)."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    imported: dict[str, tuple[str, str]] = {}  # local name → (module spec, its name there; "" for a module)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                imported[alias.asname or alias.name] = ("." * node.level + (node.module or ""), alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.split(".")[0]] = (alias.name if alias.asname else alias.name.split(".")[0], "")
    out: list[tuple[str, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        methods = [s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for base in node.bases:
            if isinstance(base, ast.Name) and imported.get(base.id, ("", ""))[1]:
                spec, name = imported[base.id]
            elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id in imported \
                    and not imported[base.value.id][1]:
                spec, name = imported[base.value.id][0], base.attr
            else:
                continue
            out.extend((spec, f"{name}.{method}") for method in methods)
    return out


def _original(files: Sequence[Path], originals: dict[int, bytes], index: int) -> bytes | None:
    """The file as it was before this run (read once), or None when it cannot be read."""
    if index not in originals:
        try:
            originals[index] = files[index].read_bytes()
        except OSError:
            return None
    return originals[index]


def _patches_of_moved_calls(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], patching: Container[int],
    originals: dict[int, bytes], results: list[FileResult | None], settings: Settings, jobs: int,
) -> Settings:
    """Modules whose calls moved to another method (`moved_calls`:
    `requests.put` → PATCH): the files that import them and may patch
    functions (`patching`) are rewritten again knowing the targets that
    no longer catch those calls (`tp5.requests.put`, and `requests.put`
    itself), whose patches are marked (`mock_moved`)."""
    moved = {str(files[i]): r for i, r in enumerate(results) if r is not None and r.moved_calls}
    if not moved:
        return settings
    run = {str(f) for f in files}
    stems = {_module_stem(p) for p in moved}
    entries = _package_entries(files, imports)
    given: dict[str, dict[str, tuple[str, str]]] = {}
    for index, specs in imports.items():
        path = str(files[index])
        if index not in patching:
            continue
        for spec, found in _imports_of(path, specs, run, stems, entries):
            if found != path and found in moved:
                given.setdefault(path, {}).update(_moved_targets(spec, moved[found]))
    again: list[tuple[int, str, bytes]] = []
    for index, path in ((i, str(f)) for i, f in enumerate(files)):
        result = results[index]
        if path not in given or result is None or result.status not in ("changed", "marked", "unchanged"):
            continue
        original = _original(files, originals, index)
        if original is not None:
            again.append((index, path, original))
    if not again:
        return settings
    settings = replace(settings, moved_patches={**settings.moved_patches, **given})
    _rewrite_all(again, settings, jobs, partial(_store, results))
    return settings


def _patches_of_moved_bases(
    files: Sequence[Path], imports: dict[int, tuple[str, ...]], patching: Container[int],
    originals: dict[int, bytes], results: list[FileResult | None], settings: Settings, jobs: int,
) -> Settings:
    """Modules whose base URL constants the run moved (`moved_bases`): the
    files that may patch them (`patching`, naming one) are rewritten again
    knowing the targets (`app.settings.BASE`, as they import the module or
    as a dotted name of its file), whose patches are rewritten or marked
    (`patched_bases`)."""
    moved = {str(files[i]): r for i, r in enumerate(results) if r is not None and r.moved_bases}
    if not moved:
        return settings
    run = {str(f) for f in files}
    stems = {_module_stem(p) for p in moved}
    entries = _package_entries(files, imports)
    names = {name for r in moved.values() for name, *_ in r.moved_bases}
    given: dict[str, dict[str, tuple[str, str, str]]] = {}
    again: list[tuple[int, str, bytes]] = []
    for index, specs in imports.items():
        path = str(files[index])
        result = results[index]
        if index not in patching or result is None or result.status not in ("changed", "marked", "unchanged"):
            continue
        original = _original(files, originals, index)
        if original is None or not may_patch(original, names):
            continue
        found = {spec: module for spec, module in _imports_of(path, specs, run, stems, entries) if module in moved}
        for module, result_of in moved.items():
            if module == path:
                continue
            dotted = [spec for spec, m in found.items() if m == module] + dotted_names(module)
            for name, old, new, line in result_of.moved_bases:
                for spec in dotted:
                    given.setdefault(path, {})[f"{spec}.{name}"] = (old, new, _cited(result_of, line))
        if path in given:
            again.append((index, path, original))
    if not again:
        return settings
    settings = replace(settings, patched_bases={**settings.patched_bases, **given})
    _rewrite_all(again, settings, jobs, partial(_store, results))
    return settings


def _moved_targets(spec: str, result: FileResult) -> dict[str, tuple[str, str]]:
    """Patch target → (what the code calls now, where) for the calls of the
    module `result` is of, imported as `spec`: the function where the module looks
    it up (`tp5.requests.put`), and the library's own (`requests.put`)."""
    targets: dict[str, tuple[str, str]] = {}
    for local, library, method, line in result.moved_calls:
        where = _cited(result, line)
        for old in (f"{spec}.{local}", library):
            if old:
                targets.setdefault(old, (f"{old.rpartition('.')[0]}.{method.lower()}", where))
    return targets


def _triage_linked(
    files: Sequence[Path], readers: dict[int, tuple[str, ...]], linked: dict[str, str], core: Core,
    results: list[FileResult | None], originals: dict[int, bytes],
) -> list[int]:
    """Triage again, as linked, the readers that `linked` names; the
    indices of those the codemod now reads (their data in `originals`)."""
    read: list[int] = []
    for index in readers:
        if str(files[index]) in linked:
            triaged, data = _triage(files[index], core, linked=True)
            results[index] = triaged
            if data is not None:
                originals[index] = data
                read.append(index)
    return read


def _store(results: list[FileResult | None], batch: list[tuple[int, FileResult]]) -> None:
    """Put a batch of results rewritten again in their places."""
    for index, result in batch:
        results[index] = result


def _note_shared(
    owners: list[Owner], held: dict[Key, str], todo: list[tuple[int, str, bytes]], results: list[FileResult | None],
) -> None:
    """Tell, on each module whose shared base moved, which importers moved with it."""
    where = {path: index for index, path, _ in todo}
    for owner in owners:
        index = where.get(owner.path)
        result = results[index] if index is not None else None
        if (owner.path, owner.name) in held or result is None:
            continue
        joined = "the paths that the modules of this run importing it join to it" if owner.what == "base URL" \
            else "the modules of this run that import it"
        note = (f"line {owner.line}: `{owner.name}` moved to the Public API together with {joined} "
                f"({', '.join(sorted(owner.importers))}); a module outside this run that imports it must be "
                "migrated with it")
        results[index] = replace(result, notes=(*result.notes, note))


def _keep_tests_with_their_code(
    todo: list[tuple[int, str, bytes]], results: list[FileResult | None], settings: Settings, jobs: int,
    files: Sequence[Path], imports: Mapping[int, tuple[str, ...]],
) -> Settings | None:
    """Test files whose URLs were migrated for endpoints that files of the
    run they reach (`_reached`) keep on the Config API (marked) are
    rewritten again, those URLs left as they are: the doubles must answer
    the calls the code still makes. So are those of endpoints whose requests
    such files send as the Config API takes them (`kept_requests`: URL
    migrated, method and body marked): their doubles keep the method, the
    bodies they pin stay. So are those with doubles that could not move (a
    slug with no id) set apart from their base (`apart_rows`), as for code
    that no longer calls them: they stay with it, marked as the code keeps
    calling their endpoints. A file the test does not reach holds
    nothing back (another code's call of the same endpoint is not what it
    tests). Where the files it reaches also call the Public API for an
    endpoint of a URL so held (calls this run migrated: `moved`; one kept
    too, or held by its base), the markers name those calls (`moved_rows`):
    a double answers the calls of one API only, and which of them a test
    makes is not followed. Likewise for an endpoint whose request is held:
    its calls that send the Public body (`sent_requests`) are named in the
    markers of the bodies the test pins. The settings they were rewritten
    with, if any."""
    if settings.core.kept_endpoints is None:
        return None
    tests = [
        (index, path, data) for index, path, data in todo
        if is_test_file(path) and (done := results[index]) is not None
        and (any(change.rule.startswith("endpoint.") for change in done.changes) or done.apart_rows)
    ]
    if not tests:
        return None  # the common case: no test file migrated an endpoint, nothing to keep in step
    kept: dict[str, dict[str, str]] = {}  # module → endpoint rows it keeps → where
    requests: dict[str, dict[str, str]] = {}  # module → endpoint rows it sends as the Config API takes them → where
    prefixes: dict[str, str] = {}  # module → where it keeps a Config base more path is appended to
    moved: dict[str, dict[str, list[str]]] = {}  # module → endpoint rows it migrated a call of → where each is
    public: dict[str, dict[str, list[str]]] = {}  # module → endpoint rows → where its calls send the Public body
    for index, path, data in todo:
        result = results[index]
        if result is not None and not is_test_file(path):
            for change in result.changes:
                if change.rule.startswith("endpoint."):
                    wheres = moved.setdefault(path, {}).setdefault(change.rule, [])
                    if (cited := _cited(result, change.line)) not in wheres:
                        wheres.append(cited)
        if result is not None and result.markers and not is_test_file(path):
            for row, line in _kept(data, result, settings):
                where = _cited(result, line)
                if row == ANY_ENDPOINT:
                    prefixes.setdefault(path, where)
                else:
                    kept.setdefault(path, {}).setdefault(row, where)
            for row, line in result.kept_requests:
                requests.setdefault(path, {}).setdefault(row, _cited(result, line))
        if result is not None and not is_test_file(path):
            for row, line in result.sent_requests:
                public.setdefault(path, {}).setdefault(row, []).append(_cited(result, line))
    if not (kept or requests or prefixes):
        return None
    specs = {str(files[i]): found for i, found in imports.items()}
    run = {str(f) for f in files}
    stems = {_module_stem(p) for p in run if not p.endswith("__init__.py")}
    entries = _package_entries(files, imports)
    direct = cache(partial(_imported_modules, specs=specs, run=run, stems=stems, entries=entries))
    held: dict[str, dict[str, str]] = {}
    held_requests: dict[str, dict[str, str]] = {}
    held_moved: dict[str, dict[str, str]] = {}
    for index, path, _ in tests:
        reached = _reached(path, run, direct)
        rows = _first_wheres(kept, reached)
        done = results[index]
        assert done is not None
        changed = {change.rule for change in done.changes}
        unmoved = set(done.apart_rows)
        # the endpoints of a base kept with more path appended cannot be told: those the test migrated stay
        where = next((prefixes[m] for m in reached if m in prefixes), None)
        for rule in sorted(changed | unmoved) if where is not None else ():
            if rule.startswith("endpoint."):
                rows.setdefault(rule, where)
        sent = _first_wheres(requests, reached)
        if changed & (rows.keys() | sent.keys()) or unmoved & rows.keys():
            held[path], held_requests[path] = rows, sent
            also = _all_wheres(moved, reached)
            # of an endpoint whose request is held: the calls that send the Public body, if any
            sending = _all_wheres(public, reached)
            for row in sent.keys() - rows.keys():
                also.pop(row, None)
                if row in sending:
                    also[row] = sending[row]
            if also:
                held_moved[path] = also
    if not held:
        return None
    settings = replace(settings, kept=held, held_requests=held_requests, moved_rows=held_moved)
    _rewrite_all([t for t in tests if t[1] in held], settings, jobs, partial(_store, results))
    return settings


def _cited(result: FileResult, line: int) -> str:
    """`path:line` of a line of a file of the run, in a marker of another:
    the line as it was, and where this run's rewrite of the file puts it
    (`line_refs.moved`: the report of a run that writes, and the comment, name that one)."""
    return f"{module_path(result.path)}:{line_refs.moved(line, line_refs.moved_line(result.shifts, line))}"


def _first_wheres(by_module: Mapping[str, Mapping[str, str]], modules: Sequence[str]) -> dict[str, str]:
    """Endpoint row → where the first of `modules` that holds it says."""
    found: dict[str, str] = {}
    for module in modules:
        for row, where in by_module.get(module, {}).items():
            found.setdefault(row, where)
    return found


def _all_wheres(by_module: Mapping[str, Mapping[str, Sequence[str]]], modules: Sequence[str]) -> dict[str, str]:
    """Endpoint row → the places all of `modules` hold it at, joined (the
    first `WHERES_SHOWN`, then how many more: a marker stays one readable line)."""
    found: dict[str, dict[str, None]] = {}
    for module in modules:
        for row, wheres in by_module.get(module, {}).items():
            found.setdefault(row, {}).update(dict.fromkeys(wheres))
    return {row: _some_wheres(list(wheres)) for row, wheres in found.items()}


WHERES_SHOWN = 5


def _some_wheres(wheres: list[str]) -> str:
    shown = ", ".join(wheres[:WHERES_SHOWN])
    return shown if len(wheres) <= WHERES_SHOWN else f"{shown} and {len(wheres) - WHERES_SHOWN} more"


def _reached(path: str, run: Container[str], direct: Callable[[str], list[str]]) -> list[str]:
    """The modules of the run whose code a test file may run: those it
    imports (`direct`), those they import, and so on, and those its folder's
    and the folders' above `conftest.py` import (pytest loads their fixtures)."""
    todo = [path, *(c for c in conftests.conftests(path) if c in run)]
    seen = dict.fromkeys(todo)
    while todo:
        for module in direct(todo.pop(0)):
            if module not in seen:
                seen[module] = None
                if not module.endswith("__init__.py"):
                    todo.append(module)  # a package's imports are followed only as `_imports_of` does
    return [m for m in seen if m != path]


def _imported_modules(
    path: str, specs: Mapping[str, tuple[str, ...]], run: Container[str], stems: Container[str],
    entries: Mapping[str, tuple[str, ...]],
) -> list[str]:
    """The modules of the run `path` imports, as `_imports_of` finds them
    (through packages' `__init__.py` too), and the `__init__.py` of each
    package it names, for its own code."""
    given = specs.get(path, ())
    found = [*_modules_imported(path, given, run, stems, entries),
             *(c for c in candidates(path, given) if c.endswith("__init__.py"))]
    return [m for m in dict.fromkeys(found) if m in run]


def region_warnings(rules: Any, ids: Any, region: str) -> tuple[str, ...]:
    """An id map fetched from another region's Public API than `region`'s:
    a workspace, its ids and its token live in one region."""
    api_url = getattr(ids, "api_url", None)
    hosts = getattr(rules, "hosts", None)
    if not api_url or not hosts:
        return ()
    host = urlsplit(api_url).hostname
    regions = {r for row in hosts for r, url in row.public.items() if urlsplit(url).hostname == host}
    if not regions or region in regions:
        return ()
    return (f"the id map was fetched from {api_url} (the {'/'.join(sorted(regions))} region), but the region is "
            f"{region}: a workspace, its ids and its token belong to one region; rerun with --region "
            f"{sorted(regions)[0]} or fetch the id map from the {region} region",)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _triage(
    path: Path, core: Core, linked: bool = False, lookup_module: str | None = None,
) -> tuple[FileResult | None, bytes | None]:
    """A final result for files that need no parse (with their bytes when
    they were read: `links` may give them to the codemod after all), else
    the bytes to rewrite (a `linked` file is read again for that)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(str(path), f"cannot read: {exc.strerror}"), None
    if not linked and not core.may_need_rewrite(data) and not _marks_again(core, data, lookup_module):
        held = held_markers(data)  # an earlier run's markers, on code with no Config API text left
        return FileResult(str(path), "marked" if held else "unchanged", held=held), data
    header = generated_header(data)
    if header is not None:
        return FileResult(str(path), "skipped", notes=(not_rewritten(header),)), None
    return None, data


def _marks_again(core: Core, data: bytes, lookup_module: str | None) -> bool:
    return lookup_module is not None and core.marks_again is not None and core.marks_again(data, lookup_module)


def _from_skipped(path: Path, reason: str) -> FileResult:
    if reason.startswith(EXCLUDED):
        return FileResult(str(path), "skipped", notes=(reason,))
    if reason == "symlink out of the tree":
        return FileResult(str(path), "skipped", notes=(f"{reason}: not followed",))
    return _failed(str(path), reason)


# --- the generated lookup module -----------------------------------------------------------

LOOKUP_NOTE = (
    "generated by migrator rewrite: Public API ids for the slugs the code holds in variables, "
    "from the --ids map; the rewritten files import it"
)
LOOKUP_HEADER = b"Generated by `migrator rewrite`"
OUTSIDE_PACKAGES = (
    "it is a top-level module beside the package{s} {packages}, which a distribution built from "
    "{them} does not ship unless it declares it too (setuptools: `py-modules = [\"{name}\"]` "
    "under `[tool.setuptools]`)"
)
"""Added to `LOOKUP_NOTE` when files of packages import the module (see docs/rewrite.md "The lookup module")."""


def _lookup_notes(root: Path, name: str, users: list[str]) -> tuple[str, ...]:
    """`LOOKUP_NOTE`, and `OUTSIDE_PACKAGES` when some of the `users` (the
    files importing the module written at `root`) are in packages: the
    top-level packages they are in, by name."""
    packages = sorted({
        Path(os.path.relpath(os.path.abspath(user), os.path.abspath(root))).parts[0]
        for user in users if os.path.dirname(os.path.abspath(user)) != os.path.abspath(root)
    })
    if not packages:
        return (LOOKUP_NOTE,)
    shown = ", ".join(f"`{p}`" for p in packages)
    more = len(packages) > 1
    outside = OUTSIDE_PACKAGES.format(s="s" if more else "", packages=shown, them="them" if more else "it", name=name)
    return (f"{LOOKUP_NOTE}; {outside}",)


def module_path(path: str | Path) -> str:
    """A module's file as the markers of other files name it: from the root
    its imports resolve from (`client.py`, `pkg/client.py`), whatever path
    the run was given (an absolute one would end up in comments)."""
    absolute = os.path.abspath(path)
    return Path(os.path.relpath(absolute, os.path.abspath(import_root(Path(absolute).parent)))).as_posix()


def import_root(directory: Path) -> Path:
    """The directory an absolute `import name` resolves from: above any
    package, or the root of a namespace package (no `__init__.py`) that the
    run's layout gives (`Layout.import_root`); else `directory` itself."""
    absolute = Path(os.path.abspath(directory))
    while (absolute / "__init__.py").is_file() and absolute.parent != absolute:
        absolute = absolute.parent
    layout = current_layout()
    if layout is not None and absolute == Path(os.path.abspath(directory)):
        shown = os.path.normpath(directory)  # as the run gives its paths (`Layout`)
        root = layout.import_root("" if shown == "." else shown)
        if root is not None:
            absolute = Path(os.path.abspath(root or "."))
    if directory.is_absolute():
        return absolute
    return Path(os.path.relpath(absolute))


def _add_lookup_modules(
    results: list[FileResult], name: str, s: Settings, expected: dict[str, bytes | None], walked: Sequence[Path] = (),
) -> None:
    """Add (or refresh) `<name>.py` at the import root of every file that
    imports it, and refresh one the run holds (files rewritten by an earlier
    run import it and are not read again: the module would go stale)."""
    held = {import_root(Path(r.path).parent) for r in results
            if Path(r.path).name == f"{name}.py" and _generated(Path(r.path))}
    root_of = _lookup_roots(results)
    roots = sorted(set(root_of.values()) | held)
    if not roots or s.core.render_lookup_module is None:
        return
    content = s.core.render_lookup_module(s.rules, s.ids).encode("utf-8")
    position = {r.path: i for i, r in enumerate(results)}
    for root in roots:
        path = root / f"{name}.py"
        shown = str(path)
        users = [r.path for r in results if root_of.get(r.path) == root]
        notes = _lookup_notes(root, name, users)
        untold = next(((u, top) for u in users if (top := _untold(Path(u).parent, root, walked)) is not None), None)
        if untold is not None:
            user, top = untold
            dotted = ".".join(Path(os.path.relpath(os.path.splitext(os.path.abspath(user))[0], top)).parts)
            notes = (*notes, UNTOLD_ROOT.format(name=name, folder=Path(user).parent.as_posix(), dotted=dotted))
        result = _lookup_result(path, content, s, notes)
        if result.modified:
            expected[shown] = path.read_bytes() if path.is_file() else None
        for i, user in enumerate(results):
            if root_of.get(user.path) == root:
                results[i] = (
                    _failed(user.path, f"needs {shown}, which {result.error}")
                    if result.status == "failed"
                    else replace(user, requires=shown)
                )
        if shown in position:
            results[position[shown]] = result
        else:
            results.append(result)


UNTOLD_ROOT = (
    "written beside `{folder}`'s files, where `import {name}` resolves when they run as scripts: `{folder}` has "
    "no `__init__.py`, and neither a `pyproject.toml` (pytest's `pythonpath`, setuptools' `package-dir` or "
    "`where`, hatch's or poetry's `packages`, naming a folder below its own) nor an import in "
    "this run (`import {dotted}`) says from which folder it is imported if it is a namespace package; if it is "
    "one, move `{name}.py` to that folder by hand"
)
"""Added to a lookup module's notes when a file using it is in a folder that may be a namespace package."""


def _lookup_roots(results: list[FileResult]) -> dict[str, Path]:
    """Each file using the lookup module → the folder to write it in
    (`import_root`; for a folder with no `__init__.py` whose root the layout
    does not give, the one the run's dotted imports of it tell)."""
    run = [r.path for r in results]
    found: dict[str, Path] = {}
    for result in results:
        if not result.uses_lookup:
            continue
        folder = Path(result.path).parent
        root = import_root(folder)
        if root == folder and not (folder / "__init__.py").is_file():
            told = imported_root(result.path, run)
            root = Path(told or ".") if told is not None and Path(told or ".") != folder else root
        found[result.path] = root
    return found


def _untold(folder: Path, root: Path, walked: Sequence[Path]) -> str | None:
    """A module written in `folder` itself, which has no `__init__.py` and
    lies below a folder the run walked, or the working directory for a
    run of files (a namespace package may be imported from there, as
    `app.jobs.client`): that folder, absolute, or None."""
    if root != folder or (folder / "__init__.py").is_file():
        return None
    mine = os.path.abspath(folder)
    return next((os.path.abspath(top) for top in walked if mine.startswith(os.path.join(os.path.abspath(top), ""))),
                None)


def _generated(path: Path) -> bool:
    try:
        with open(path, "rb") as file:
            return LOOKUP_HEADER in file.read(1024)
    except OSError:
        return False


def _lookup_result(path: Path, content: bytes, s: Settings, notes: tuple[str, ...]) -> FileResult:
    shown = str(path)
    try:
        old = path.read_bytes() if path.exists() else None
    except OSError as exc:
        return _failed(shown, f"cannot read: {exc.strerror}")
    if old == content:
        return FileResult(shown, "unchanged", notes=notes)
    if old is not None and LOOKUP_HEADER not in old[:1024]:
        return _failed(shown, "exists and was not generated by migrator rewrite; choose another --lookup-module name")
    package = path.with_suffix("")
    if (package / "__init__.py").is_file():  # Python imports the package, not the module beside it
        return _failed(shown, f"cannot be imported: the package {package.name}/ beside it would be imported instead; choose another "
                              "--lookup-module name")
    return FileResult(
        shown,
        "changed",
        modified=True,
        notes=notes,
        diff=unified_diff(shown, old or b"", content) if s.diff else None,
        new=content if s.keep_new else None,
    )


# --- parallelism -------------------------------------------------------------------------

_settings: Settings | None = None


def _init_worker(settings: Settings, layout: Layout | None = None) -> None:
    global _settings
    _settings = settings
    set_layout(layout)
    gc.freeze()  # what the worker was forked with lives as long as it does (see `settled`)


@contextmanager
def settled() -> Iterator[None]:
    """The objects alive now (modules, rules, the run's files) left out of the
    garbage collector's passes while the files are rewritten: each file's
    trees survive the young passes, and the full passes that follow would
    otherwise walk all of those objects again, file after file."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _process_chunk(chunk: list[tuple[int, str, bytes]]) -> list[tuple[int, FileResult]]:
    assert _settings is not None
    return [(index, process_file(path, data, _settings)) for index, path, data in chunk]


def _rewrite_all(
    todo: list[tuple[int, str, bytes]],
    settings: Settings,
    jobs: int,
    finished: Callable[[list[tuple[int, FileResult]]], None],
) -> None:
    if jobs <= 1 or len(todo) < SERIAL_BELOW:
        with settled():
            for index, path, data in todo:
                finished([(index, process_file(path, data, settings))])
        return
    size = max(1, min(MAX_CHUNK, len(todo) // (jobs * 4)))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=_mp_context(),
        initializer=_init_worker,
        initargs=(settings, current_layout()),
    ) as pool:
        futures: dict[Future[list[tuple[int, FileResult]]], list[tuple[int, str, bytes]]] = {
            pool.submit(_process_chunk, chunk): chunk for chunk in chunks
        }
        pending = set(futures)
        while pending:
            ready, pending = wait_futures(pending, return_when="FIRST_COMPLETED")
            for future in ready:
                try:
                    batch = future.result()
                except Exception as exc:  # a worker died (crash, out of memory)
                    reason = f"worker process failed: {type(exc).__name__}: {exc}"
                    batch = [(i, _failed(path, reason)) for i, path, _ in futures[future]]
                finished(batch)


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork: workers inherit the loaded rules and imports without pickling them.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# --- writing and the git guard -----------------------------------------------------------


def _write(outcome: Run, expected: dict[str, bytes | None], force: bool) -> None:
    """Write every modified file, unless the git guard refuses (then write none).

    `expected` holds each file's bytes as read (None: did not exist).
    """
    pending = [r for r in outcome.results if r.new is not None]
    if pending and not force:
        outcome.refused = git_guard([Path(r.path) for r in pending])
        if outcome.refused:
            return
    broken: set[str] = set()
    # Generated modules first: a file is written only once what it imports is.
    order = sorted(range(len(outcome.results)), key=lambda i: outcome.results[i].requires is not None)
    for position in order:
        result = outcome.results[position]
        if result.new is None:
            continue
        if result.requires in broken:
            outcome.results[position] = _failed(result.path, f"needs {result.requires}, which could not be written")
            continue
        path = Path(result.path)
        try:
            if (path.read_bytes() if path.exists() else None) != expected[result.path]:
                written = _failed(result.path, "changed on disk during the run; not written")
            else:
                write_atomic(path, result.new)
                written = replace(result, new=None)
        except OSError as exc:
            written = _failed(result.path, f"cannot write: {exc.strerror or exc}")
        if written.status == "failed":
            broken.add(result.path)
        outcome.results[position] = written
