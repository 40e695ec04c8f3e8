"""Python files, read precisely through the codemod when it is installed.

The findings are what `migrator rewrite` would do to the file: its changes
(fixable by rewrite: a run without ids makes them, whatever the row's
safety; those only a run with ids makes are fixable with ids) and its markers (a person must act, unless the marker's row is `needs-ids`,
or the codemod finds a rewrite with an id map and the lookup module fixes
it, `rewrite.with_ids`: then an id map fixes it, and its message says so). Without the codemod, or when it cannot parse a
file, Python files are read by the text scanner like any other file.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from migrator.audit.model import Finding, Findings, Fix, Severity
from migrator.audit.python_slice import relevant_slice
from migrator.audit.table import row_severity
from migrator.markers import with_ids_advice
from migrator.other_clients import other_packages
from migrator.audit.still_marked import still_marked
from migrator.rewrite.with_ids import id_row, ids_fix, lacks_ids
from migrator.ruleset import RuleSet
from migrator.ruleset.models import EndpointRow

if TYPE_CHECKING:
    from migrator.audit.cache import PreciseCache

COLUMN_BASE = 0
"""Columns of the codemod's changes and markers are 0-based."""


@dataclass(frozen=True)
class Codemod:
    """The pure codemod functions the audit calls (injectable for tests)."""

    may_need_rewrite: Callable[[bytes], bool]
    rewrite_bytes: Callable[..., Any]  # (data, rules, line_numbers=) -> RewriteResult
    error: type[Exception]
    needles: tuple[bytes, ...] = ()
    """The codemod's needles: with them, it is given only the statements
    they link to (`python_slice`); without, whole files."""
    calls_config_api: Callable[[bytes], bool] | None = None
    """Of the files `may_need_rewrite` lets through, those that are Config
    API code of their own, never linked (`shared._links`); without it, all."""
    run_workspaces: Mapping[str, Mapping[str, str]] | None = None
    """Path → the workspaces other files of the run drop (`workspaces`): the
    codemod is told of them (`rewrite_bytes`'s `run_workspaces`), and the
    file's findings are not cached (they depend on other files)."""

    def own_config_api(self, data: bytes) -> bool:
        return (self.calls_config_api or self.may_need_rewrite)(data)


def default_codemod(rules: RuleSet) -> Codemod | None:
    """`migrator.rewrite` when it is installed and complete."""
    try:
        from migrator import rewrite
        from migrator.rewrite.known_names import MOCK_FIXTURES, config_fields, segmented_fields
        from migrator.rewrite.table import table_for

        may_need_rewrite = rewrite.may_need_rewrite
        # asked what a run with ids fixes, changes and still marks (`fixed_with_ids`...)
        rewrite_bytes = partial(rewrite.rewrite_bytes, ask_ids=True)
        error = rewrite.RewriteError
        # The table's needles start what the codemod reads; Config field names,
        # Config names taken apart (`s["name"].split("/")`, `s.get("name", "").rsplit`)
        # and mocking fixtures it acts on wherever they are.
        apart = (f"{q}{key}{q}{then}" for key in segmented_fields(rules) for q in "\"'"
                 for then in ("].", ").", f", {q}{q})."))
        needles = tuple(
            n.encode() for n in (*table_for(rules).needles, *config_fields(rules), *apart, *MOCK_FIXTURES)
        )
    except (ImportError, AttributeError):
        return None
    return Codemod(
        lambda data: may_need_rewrite(data, rules=rules), rewrite_bytes, error, needles,
        lambda data: rewrite.calls_config_api(data, rules=rules),
    )


def other_packages_of(path: str, data: bytes) -> frozenset[str]:
    """What the file imports from other APIs' packages, for the codemod
    (`rewrite_bytes`'s `other_packages`; a quick test first)."""
    if b"Client" not in data and b"client(" not in data:
        return frozenset()
    return frozenset(other_packages(data.decode("utf-8", "replace"), path))


def packages_key(data: bytes, packages: frozenset[str]) -> bytes:
    """`data` and, when there are any, the other APIs' packages the codemod is
    told of (whether a module is the project's depends on the files next to it)."""
    return data + b"\0other\0" + ",".join(sorted(packages)).encode() if packages else data


def codemod_findings(
    path: str, data: bytes, rules: RuleSet, codemod: Codemod, packages: frozenset[str] | None = None,
) -> Findings:
    """Findings from the codemod; raises `codemod.error` when it cannot parse.
    Its notes are left out: they speak of a rewrite done. `packages`:
    `other_packages_of` the file, found when not given."""
    packages = other_packages_of(path, data) if packages is None else packages
    given: dict[str, Any] = {"other_packages": packages} if packages else {}
    if codemod.run_workspaces and path in codemod.run_workspaces:
        given["run_workspaces"] = codemod.run_workspaces[path]
    result = _run(data, rules, codemod, **given)
    rows = rules.by_id
    # what a rewrite with an id map and the lookup module fixes, changes and still marks
    # (`rewrite.with_ids`), asked by the codemod itself
    fixed = getattr(result, "fixed_with_ids", frozenset())
    with_ids = getattr(result, "with_ids_changes", ())
    still = getattr(result, "still_with_ids", frozenset())
    out: list[Finding] = []
    for change in result.changes:  # made by a run without ids, whatever the row's safety
        row = rows.get(change.rule)
        message = _change_message("`migrator rewrite`", change, row)
        end_line, end_column = _end(change.line, _column(change.column), change.before)
        out.append(
            Finding(path, change.line, _column(change.column), change.rule,
                    row_severity(row), message, shorten(change.before), "rewrite", "rewrite",
                    end_line=end_line, end_column=end_column)
        )
    stead = _in_stead(data, rules, codemod, result, packages)
    for marker in result.markers:
        row = rows.get(marker.rule)
        # A marker that only lacks ids goes away with `--ids`; others need a person.
        needs_ids = ids_fix(marker, rows) or (marker.rule, marker.line, marker.column) in fixed
        fix: Fix = "rewrite-with-ids" if needs_ids else "manual"
        # what only the run with ids shows an id map fixes: the message says so here (the rewrite's does not)
        # (not of an id row: its message says it itself)
        advised = (marker.rule, marker.line, marker.column) in fixed and not id_row(marker.rule, rows)
        reason = with_ids_advice(marker.reason) if advised else marker.reason
        if not needs_ids and lacks_ids(marker, rows):  # and what the run with ids still marks in its stead
            reason = still_marked(reason, [m.reason for m in stead.get(marker.line, ()) if m.rule != marker.rule])
        # an id map fixes it: no person's to-do, so no error whatever its row
        severity: Severity = "warning" if needs_ids else row_severity(row)
        out.append(Finding(path, marker.line, _column(marker.column), marker.rule, severity, reason, "", "rewrite", fix,
                           marker=True))
    # What the run with ids changes goes with what it no longer marks: a marker of a person's among
    # those (a template whose slug is filled in elsewhere) holds its changes back too.
    tied = any(f.marker and f.fix == "manual" and (f.rule, f.line) not in still for f in out)
    for change in with_ids:  # where the text scanner's field names are then migrated too (`core.merge_findings`)
        message = _change_message("`migrator rewrite --ids FILE`", change, rows.get(change.rule))
        end_line, end_column = _end(change.line, _column(change.column), change.before)
        out.append(Finding(path, change.line, _column(change.column), change.rule, row_severity(rows.get(change.rule)),
                           message, shorten(change.before), "with-ids", "manual" if tied else "rewrite-with-ids",
                           end_line=end_line, end_column=end_column))
    # and the markers it writes with them: a person's (`core._unseen`)
    for marker in getattr(result, "with_ids_markers", ()):
        out.append(Finding(path, marker.line, _column(marker.column), marker.rule, row_severity(rows.get(marker.rule)),
                           marker.reason, "", "with-ids", "manual", marker=True))
    found = Findings(out)
    found.workspaces = tuple(getattr(result, "workspaces", ()) or ())
    return found


def _in_stead(
    data: bytes, rules: RuleSet, codemod: Codemod, result: Any, packages: frozenset[str],
) -> dict[int, list[Any]]:
    """Line → the markers the run with every id writes there (`still_with_ids`)
    in the stead of a marker lacking an id that it does not fix (a body
    value of the wrong type on a slug's call): asked of that run again, on
    such files only (the codemod tells the rules and lines alone)."""
    rows = rules.by_id
    still = getattr(result, "still_with_ids", frozenset())
    fixed = getattr(result, "fixed_with_ids", frozenset())
    lines = {m.line for m in result.markers
             if lacks_ids(m, rows) and not ids_fix(m, rows) and (m.rule, m.line, m.column) not in fixed
             and any(line == m.line and rule != m.rule for rule, line in still)}
    if not lines:
        return {}
    from migrator.rewrite import LOOKUP_MODULE
    from migrator.rewrite.with_ids import EveryId

    given: dict[str, Any] = {"other_packages": packages} if packages else {}
    try:
        again = _run(data, rules, codemod, ids=EveryId(), lookup_module=LOOKUP_MODULE, advise_ids=False,
                     ask_ids=False, **given)
    except Exception:  # the marker's own message stands
        return {}
    out: dict[int, list[Any]] = {}
    for m in again.markers:
        if m.line in lines and (m.rule, m.line) in still:
            out.setdefault(m.line, []).append(m)
    return out


@dataclass(frozen=True)
class Returns:
    """What functions of other modules of the run give back (`rewrite_bytes`'s
    `returns`, as the file names them: `client.list_sources` → its shape),
    after `migrator rewrite` of the run without ids, and with an id map and
    the lookup module (`with_ids`)."""

    plain: Mapping[str, object]
    with_ids: Mapping[str, object]

    def __bool__(self) -> bool:
        return bool(self.plain or self.with_ids)


Exports = tuple[frozenset[tuple[str, int]], Mapping[str, object], Mapping[str, object]]
"""A module's (rule, line) of the codemod's changes and markers, and what its
functions give back migrated (`RewriteResult.exports`), without and with ids."""


ModuleExports = Callable[[str, bytes, "Returns | None"], "Exports | None"]
"""A module's `Exports` (path, bytes, what the functions it calls give back)."""


def exports_of(
    codemod: Codemod, rules: RuleSet, planned: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]] | None = None,
) -> ModuleExports:
    """`Exports` of a module read alone, given what the functions it imports
    give back (`Returns`, None: nothing), as a rewrite of the run reads it:
    with the plans of the bases it shares, when `planned` (`shared.Planned`)
    has them (None when the codemod cannot read it)."""
    from migrator.rewrite import LOOKUP_MODULE
    from migrator.rewrite.with_ids import EveryId

    def exports(path: str, data: bytes, returns: Returns | None = None) -> Exports | None:
        packages = other_packages_of(path, data)
        given: dict[str, Any] = {"other_packages": packages} if packages else {}
        shared, shared_ids = planned.get(path, ({}, {})) if planned else ({}, {})
        plain = {**shared, **({"returns": returns.plain} if returns else {})}
        with_ids = {**shared_ids, **({"returns": returns.with_ids} if returns else {})}
        try:
            with _collector_paused():
                alone = codemod.rewrite_bytes(data, rules, ask_ids=False, **given, **plain)
                ids = codemod.rewrite_bytes(data, rules, EveryId(), lookup_module=LOOKUP_MODULE, advise_ids=False,
                                            ask_ids=False, **given, **with_ids)
        except Exception:  # what it gives back is not known: its importers are read without it
            return None
        places = frozenset((c.rule, c.line) for c in (*alone.changes, *alone.markers))
        return places, dict(getattr(alone, "exports", None) or {}), dict(getattr(ids, "exports", None) or {})

    return exports


def _change_message(rewrite: str, change: Any, row: object) -> str:
    """What `rewrite` does: changes the code, or, where the code stays as it
    is (a path joined to a base ending at the workspace: the base's change
    moves it), says so rather than "changes X to X"."""
    before = shorten(change.before)
    if change.before != change.after:
        return f"{rewrite} changes `{before}` to `{shorten(change.after)}`"
    if isinstance(row, EndpointRow):
        return f"{rewrite} leaves `{before}` as it is: it calls the Public API once the base it is joined to moves"
    return f"{rewrite} migrates it leaving `{before}` as it is"


def linked_findings(
    codemod: Codemod, rules: RuleSet, cache: PreciseCache | None = None,
    noted: Callable[[str, str], None] = lambda path, how: None,
) -> Callable[[str, bytes, str | None, Returns | None], list[Finding] | None]:
    """The codemod's findings in a Python file with no Config API of its own
    that reads what a Segment client returns (`linked`: why, as `migrator
    rewrite` says it, None when only `Returns` link it; `Returns`: what the
    functions it calls give back, as the rewrite of the run follows them);
    None when it cannot read the file.
    With a cache, kept per content and reason (not with `Returns`: they
    depend on other files). `noted` is told of each file, "read" or "cached"
    (as `Auditor.precise` counts them)."""
    def read(path: str, data: bytes, linked: str | None, returns: Returns | None = None) -> list[Finding] | None:
        packages = other_packages_of(path, data)
        key = cache.key(packages_key(data, packages) + b"\0linked\0" + linked.encode("utf-8", "surrogatepass")) \
            if cache and not returns and linked is not None else None
        if cache is not None and key is not None:
            found = cache.get(key, path)
            if found is not None:
                noted(path, "cached")
                return found if isinstance(found, list) else None
        noted(path, "read")
        run = partial(codemod.rewrite_bytes, linked=linked)
        whole = replace(codemod, needles=(), rewrite_bytes=partial(_following, run, returns) if returns else run)
        try:
            exact: list[Finding] | str = codemod_findings(path, data, rules, whole, packages)
        except codemod.error as exc:  # the text search's findings stand
            exact = f"{type(exc).__name__}: {exc}"
        except Exception:  # a codemod bug: the same, and not kept (as `Auditor._precise`)
            return None
        if cache is not None and key is not None:
            cache.put(key, exact)
        # what only a run with ids changes is left to the text search; what it marks is a person's (`core._unseen`)
        return [f for f in exact if f.kind != "with-ids" or f.marker] if isinstance(exact, list) else None

    return read


def _following(rewrite_bytes: Callable[..., Any], returns: Returns, data: bytes, rules: RuleSet, **given: Any) -> Any:
    """The codemod's result on a linked file given what the functions it calls
    give back without ids; a marker of it that the run given what they give
    back with ids does not write, at its place, is one an id map fixes
    (`fixed_with_ids`), and that run's other changes and markers are its
    (`with_ids_changes`, `with_ids_markers`: `Model(**item)` of a response
    that only moves with ids)."""
    from migrator.rewrite import with_ids

    result = rewrite_bytes(data, rules, returns=returns.plain, **given)
    if returns.with_ids == returns.plain or not hasattr(result, "fixed_with_ids"):
        return result
    again = rewrite_bytes(data, rules, returns=returns.with_ids, **{**given, "ask_ids": False})
    return replace(
        result,
        fixed_with_ids=result.fixed_with_ids | with_ids.fixed(result.markers, again.markers, rules.by_id),
        with_ids_changes=(*result.with_ids_changes, *with_ids.new_changes(result.changes, again.changes)),
        still_with_ids=result.still_with_ids | {(m.rule, m.line) for m in again.markers},
        with_ids_markers=(*result.with_ids_markers, *with_ids.new_markers(result.markers, again.markers)),
    )


def _run(data: bytes, rules: RuleSet, codemod: Codemod, **given: Any) -> Any:
    """The codemod's result on the slice of the file it needs (positions
    and messages in the file's lines), or on the whole file."""
    with _collector_paused():
        piece = relevant_slice(data, codemod.needles) if codemod.needles else None
        if piece is not None:
            try:
                return codemod.rewrite_bytes(piece.data, rules, line_numbers=piece.lines, **given)
            except Exception:  # the whole file decides: its error is the one to report
                pass
        return codemod.rewrite_bytes(data, rules, **given)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parse trees are built of many objects, freed by reference counting;
    meanwhile the cyclic collector would walk the whole heap again and again
    (a sixth of the codemod's time here). It runs as usual afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _column(column: int) -> int:
    return column + 1 - COLUMN_BASE


def _end(line: int, column: int, code: str) -> tuple[int, int]:
    """Where `code`, starting at (`line`, 1-based `column`), ends: its last
    line, and the column after its last character there (a lone `\r` breaks
    a line too, as the audit reads it: `core.decode`)."""
    lines = _BREAK.split(code)
    if len(lines) == 1:
        return line, column + len(code)
    return line + len(lines) - 1, len(lines[-1]) + 1


_BREAK = re.compile(r"\r\n?|\n")


def shorten(text: str, limit: int = 120) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
