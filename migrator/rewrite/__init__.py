"""`migrator rewrite`, the pure core: Python source bytes in, migrated bytes out.

No files, no click, no network. The driver (`migrator.rewrite.driver`) finds
files, runs `may_need_rewrite` as a cheap prefilter and `rewrite_bytes` on
the rest, and writes, diffs and reports.

    result = rewrite_bytes(data, load_rules(), ids, region="us")
    result.code       # the new bytes (== data when nothing changed)
    result.changes    # what was migrated, by rule id
    result.markers    # where a person must act, by rule id, with the reason
    result.notes      # once-per-file remarks (the token must be a Public API token)

Every kind of rewrite is a module of this package, registered in
`registry.py` and documented by a row of `rules/rewrite.toml`; see
docs/rewrite.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from weakref import WeakKeyDictionary

from migrator.idmap import IdMap
from migrator.rewrite.result import Change, Marker
from migrator.rewrite.shared_bases import SharedBases, exported_values
from migrator.ruleset import RuleSet
from migrator.search import AnyCase

if TYPE_CHECKING:
    from migrator.rewrite.typed_classes import Declared

__all__ = [
    "Change",
    "Marker",
    "RewriteError",
    "RewriteResult",
    "SharedBases",
    "calls_config_api",
    "may_need_rewrite",
    "render_lookup_module",
    "rewrite_bytes",
    "uses_lookup_module",
]

LOOKUP_MODULE = "segment_ids"
"""Default name of the generated slug → id lookup module (see `slugs`)."""


@dataclass(frozen=True)
class RewriteResult:
    code: bytes
    changes: tuple[Change, ...]
    markers: tuple[Marker, ...]
    notes: tuple[str, ...]
    imported: Mapping[str, str | None] | None = None
    """With `shared.imported`: what each imported base constant became, its
    new value or None (left on the Config API)."""
    exported: Mapping[str, str | None] | None = None
    """With `shared.exported` or `held`: the same for the module's own."""
    exports: Mapping[str, object] | None = None
    """What the module's functions give back that is a migrated response
    (name → its shape): the `returns` of the modules calling them."""
    passes: Mapping[str, object] | None = None
    """Imported names it uses that give back migrated responses (name → its
    shape): for the tests that patch them where it looks them up."""
    new_notes: tuple[str, ...] | None = None
    """`notes` naming the lines of the rewritten code (those of `code`)."""
    kept_rows: tuple[tuple[str, int], ...] = ()
    """Endpoint rows whose Config paths the code keeps (marked), each with a line."""
    apart_rows: tuple[str, ...] = ()
    """Endpoint rows of test doubles that could not move, set apart from their base (`mock_apart`)."""
    moved_attributes: tuple[str, ...] = ()
    """Attributes (`self.base`) whose workspace base the code moves: other
    modules reading them must be checked (`held_attributes`)."""
    kept_requests: tuple[tuple[str, int], ...] = ()
    """Endpoint rows whose calls keep the Config method and body (marked),
    each with a line: their tests' doubles keep them too (`held_requests`)."""
    sent_requests: tuple[tuple[str, int], ...] = ()
    """Endpoint rows whose calls now send the Public body, each with a line
    (named beside the kept ones in their tests' markers)."""
    moved_bases: tuple[tuple[str, str, str, int], ...] = ()
    """Module-level base URL constants the rewrite changed: (name, value
    before, after, line), for the tests that patch them (`patched_bases`)."""
    moved_calls: tuple[tuple[str, str, str, int], ...] = ()
    """HTTP functions whose calls the code moved to another method: (the
    function as the module names it, `requests.put`; as its library names
    it, or ""; the new method; a line): for the tests that patch them
    (`moved_patches`)."""
    shifts: tuple[tuple[int, int], ...] = ()
    """Lines the rewrite moves: (first line moved, lines added, or taken out
    if negative), lines of the code as it was (`line_refs.moved_line`)."""
    workspaces: tuple[tuple[str, int], ...] = ()
    """Without an id map, the workspaces its migrated calls drop (a literal,
    a constant), each with a line: the driver compares the files of a run
    (`run_workspaces`)."""
    fixed_with_ids: frozenset[tuple[str, int, int]] = frozenset()
    """(rule, line, column) of the markers of a person's that a rewrite with an id
    map and the lookup module does not write (`with_ids.fixed`): asked only
    of a rewrite without them (`ask_ids`)."""
    with_ids_changes: tuple[Change, ...] = ()
    """The changes such a rewrite makes that this one does not (a request
    body translated once its path moves)."""
    still_with_ids: frozenset[tuple[str, int]] = frozenset()
    """(rule, line) of the markers such a rewrite still writes."""
    with_ids_markers: tuple[Marker, ...] = ()
    """The markers such a rewrite writes that this one does not (`with_ids.new_markers`)."""
    _modified: bool = field(default=False, repr=False, compare=False)

    @property
    def changed(self) -> bool:
        """The code differs from the input (migrated spans or new marker lines)."""
        return self._modified or bool(self.changes)


class RewriteError(Exception):
    """The file does not parse or is not valid in its encoding (message says
    why, with the line)."""


_FRAGMENTS: WeakKeyDictionary[RuleSet, tuple[tuple[bytes, ...], AnyCase, tuple[bytes, ...]]] = WeakKeyDictionary()
_DEFAULT_FRAGMENTS: tuple[tuple[bytes, ...], AnyCase, tuple[bytes, ...]] | None = None


def may_need_rewrite(data: bytes, *, rules: RuleSet | None = None) -> bool:
    """Cheap byte search: could this file use the Config API at all?

    The fragments come from the table (the Config host and its version
    prefix, the workspace segment a Config path starts with); files without
    any of them, nor a Config host in mixed case (`Platform.SegmentAPIs.com`),
    are never parsed.
    """
    return calls_config_api(data, rules=rules) or any(f in data for f in _fragments(rules)[2])


def calls_config_api(data: bytes, *, rules: RuleSet | None = None) -> bool:
    """`may_need_rewrite`, by the Config host or version alone: a file the
    codemod reads as Config API code of its own. One holding only a Config
    path, its base elsewhere (`f"{API}/workspaces/..."`), may be linked to
    the module it imports instead, as files with no Config API are (`links`)."""
    fragments, any_case, _ = _fragments(rules)
    for fragment in fragments:
        if fragment in data:
            return True
    return any_case(data)


def _fragments(rules: RuleSet | None) -> tuple[tuple[bytes, ...], AnyCase, tuple[bytes, ...]]:
    global _DEFAULT_FRAGMENTS
    if rules is None:
        if _DEFAULT_FRAGMENTS is None:
            from migrator.rewrite.table import table_for
            from migrator.ruleset import load_rules

            table = table_for(load_rules())
            _DEFAULT_FRAGMENTS = table.fragments, table.any_case, table.path_fragments
        return _DEFAULT_FRAGMENTS
    found = _FRAGMENTS.get(rules)
    if found is None:
        from migrator.rewrite.table import table_for

        table = table_for(rules)
        found = _FRAGMENTS[rules] = table.fragments, table.any_case, table.path_fragments
    return found


def rewrite_bytes(
    data: bytes,
    rules: RuleSet,
    ids: IdMap | None = None,
    *,
    region: Literal["us", "eu"] = "us",
    lookup_module: str | None = None,
    line_numbers: Sequence[int] | None = None,
    linked: str | None = None,
    kept: Mapping[str, str] | None = None,
    shared: SharedBases | None = None,
    returns: Mapping[str, object] | None = None,
    held_attributes: frozenset[str] = frozenset(),
    moved_patches: Mapping[str, tuple[str, str]] | None = None,
    held_requests: Mapping[str, str] | None = None,
    advise_ids: bool = True,
    ask_ids: bool = False,
    shared_ids: SharedBases | None = None,
    other_packages: frozenset[str] = frozenset(),
    moved_rows: Mapping[str, str] | None = None,
    types: Mapping[str, Declared] | None = None,
    run_workspaces: Mapping[str, str] | None = None,
) -> RewriteResult:
    """Migrate one Python file.

    `ids` turns literal slugs in paths into ids. `lookup_module` (e.g.
    "segment_ids") lets slugs held in variables be wrapped in a call to that
    generated module (`render_lookup_module`); without it they are marked.
    `line_numbers`, when `data` is some of a file's lines (the audit gives
    the codemod only the statements it needs), holds the file's line of each
    of them: changes, markers and messages then speak of the file's lines.
    `linked` says why a file with no Config call reads a Segment API's
    responses (it imports a file that calls one, `links.link_reason`): its
    Config-looking field reads are then marked, with that reason.
    `kept` (endpoint row id → where, `ops/client.py:13`) names endpoints
    that the code a test file exercises keeps on the Config API: that
    file's URLs of them (its doubles) stay on the Config API too, marked.
    `moved_rows` (endpoint row id → where) names endpoints that the same
    code calls the Public API for, in calls this run migrated: the markers
    of that file's URLs of them held on the Config API (kept, or with their
    base) say so (a double answers the calls of one API).
    `shared` tells about base URL constants this module shares with others
    of the run (`shared_bases`): the values of those it imports, and which
    of its own the importers migrate with it or keep.
    `returns` gives what functions of other modules return, as this file
    names them (`client.get_source`): the `exports` of those modules.
    `held_attributes` names attributes other modules read (`c.base`): a
    workspace base bound to one stays (see `moved_attributes`).
    `moved_patches` names patch targets of functions other modules of the
    run no longer call (`tp5.requests.put` → (`tp5.requests.patch`, where)):
    patches of them are marked (see `moved_calls`).
    `held_requests` (endpoint row id → where) names endpoints whose requests
    the code a test file exercises keeps in the Config shape (its URL
    migrated, its method and body marked): that file's doubles keep their
    method, and the bodies it pins stay, marked (see `kept_requests`).
    Without `ids` and `lookup_module` (and with `advise_ids`), the markers
    this run knows a rewrite with them fixes say so (`with_ids`). With
    `ask_ids` (the audit), a file with a marker that may be one is also
    rewritten with an id map holding every slug, given `shared_ids` (the
    plan of such a run of the modules, `shared` when not given): what that
    run fixes, changes and still marks is in the result (`fixed_with_ids`...).
    `other_packages` names what the file imports from other APIs' packages
    (`other_clients.other_packages`, which needs the file's path): reads
    off their clients' calls are no Config reads.
    `types` names the classes of other modules of the run that declare
    Config fields, as this file imports them (`.models.Source`): a migrated
    response typed with one is marked (`responses_typed`).
    `run_workspaces` (without an id map) names the workspaces other files
    of the run drop from their migrated calls → where (`b.py`): this file's
    calls for another are marked (`file_workspaces`; see `workspaces`).
    Raises RewriteError for a file that cannot be read as Python.
    """
    from migrator.rewrite.engine import run
    from migrator.rewrite.source import SourceError

    from migrator.rewrite import patched_bases, with_ids

    def outcome_of(given: IdMap | None, module: str | None, plan: SharedBases | None, advise: bool):  # type: ignore[no-untyped-def]
        try:
            return run(data, rules, given, region, module, line_numbers, linked, kept, plan, returns,
                       held_attributes, moved_patches, held_requests, advise, other_packages, moved_rows,
                       types, run_workspaces)
        except SourceError as exc:
            raise RewriteError(str(exc)) from None

    # Python reads an old Mac file (lines ending in a lone \r only) as its copy ending them in \n:
    # that copy is rewritten, and the rewrite's line ends go back to \r, byte for byte.
    old_mac = b"\r" in data and b"\n" not in data
    if old_mac:
        data = data.replace(b"\r", b"\n")
    without_ids = not (ids and lookup_module)
    outcome = outcome_of(ids, lookup_module, shared, advise_ids and without_ids)
    fixed: set[tuple[str, int, int]] = set()
    new: tuple[Change, ...] = ()
    still: frozenset[tuple[str, int]] = frozenset()
    marks: tuple[Marker, ...] = ()
    if ask_ids and without_ids and with_ids.asks(outcome.markers, rules.by_id):
        try:
            again = outcome_of(with_ids.EveryId(), lookup_module or LOOKUP_MODULE, shared_ids or shared, False)
        except Exception:  # what the run without ids found stands
            again = None
        if again is not None:
            fixed = with_ids.fixed(outcome.markers, again.markers, rules.by_id)
            new = with_ids.new_changes(outcome.changes, again.changes)
            still = frozenset((m.rule, m.line) for m in again.markers)
            marks = with_ids.new_markers(outcome.markers, again.markers)
    return RewriteResult(
        code=outcome.code.replace(b"\n", b"\r") if old_mac else outcome.code,
        changes=outcome.changes,
        markers=outcome.markers,
        notes=outcome.notes,
        imported=outcome.imported,
        exports=outcome.exports,
        passes=outcome.passes,
        new_notes=outcome.new_notes,
        kept_rows=outcome.kept_rows,
        moved_attributes=outcome.moved_attributes,
        apart_rows=outcome.apart_rows,
        moved_calls=outcome.moved_calls,
        kept_requests=outcome.kept_requests,
        sent_requests=outcome.sent_requests,
        shifts=outcome.shifts,
        workspaces=outcome.workspaces,
        exported=exported_values(data, outcome.code, shared) if shared and (shared.exported or shared.held) else None,
        moved_bases=patched_bases.moved_bases(data, outcome.code, rules.config_hosts, rules.config_prefix),
        fixed_with_ids=frozenset(fixed),
        with_ids_changes=new,
        still_with_ids=still,
        with_ids_markers=marks,
        _modified=outcome.code != data,
    )


def uses_lookup_module(result: RewriteResult) -> bool:
    """Does the rewritten code import the generated lookup module?"""
    from migrator.rewrite.engine import LOOKUP_ROW

    return any(c.rule == LOOKUP_ROW and c.before == "" for c in result.changes)


def may_mark_again(data: bytes, lookup_module: str) -> bool:
    """Whether a file `may_need_rewrite` lets go may still hold a marker the
    codemod finds again (see `slugs_unreached`): it is rewritten all the same."""
    from migrator.rewrite.slugs_unreached import may_mark_again as again

    return again(data, lookup_module)


def render_lookup_module(rules: RuleSet, ids: IdMap) -> str:
    """Source of the lookup module (`segment_ids.py`) for an id map."""
    from migrator.rewrite.slugs import render_lookup_module as render

    return render(rules, ids)
