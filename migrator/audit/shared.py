"""Base URL constants shared between the Python modules of an audit, read
as `migrator rewrite` reads them.

The codemod reads each file alone. A rewrite of the repository, though,
moves a settings module's `API = "https://platform.segmentapis.com/v1beta"`
to the Public API together with the paths its importers join to it, or
keeps them all (`migrator.rewrite.shared_plan`). So that the to-do list
says what such a rewrite would do, the modules concerned (owners and
importers) are read again with what it would know: the same plan, the same
agreement, then each one scanned with its `SharedBases` (whole files, not
cached: their findings depend on other files), and linked as the rewrite
links it (an importer whose only Config text is a path joined to the
base, reading a response: `rewrite.links`). Unlike the rewrite, it
looks for importers only among the Python files the scan kept (see
`with_shared_bases`). A run of some files only (a pre-commit run, one
file named) reads the files of the whole tree that take part from disk, so
that it says what a run of the whole tree says of its files. Integer
constants a module imports for a page size (`PAGE_SIZE = 500` in a settings
module) are given to the codemod too, as the rewrite gives them
(`shared_plan.imported_numbers`). Files `--exclude` leaves out are not
read, not even as a module a file of the run imports.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from copy import copy
from dataclasses import replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

from migrator.audit.core import PYTHON_SUFFIXES, Auditor, decode
from migrator.audit.model import FileResult
from migrator.audit.reading import read_file, scan_files
from migrator.audit.stats import count_precise
from migrator.exclude import Excludes
from migrator.generated import generated_header
from migrator.imports import candidates, import_specs

if TYPE_CHECKING:
    from migrator.rewrite.shared_bases import SharedBases
    from migrator.rewrite.shared_plan import Outcome, Owner
    from migrator.ruleset import RuleSet


def with_shared_bases(
    results: list[FileResult], auditor: Auditor, max_size: int, tree: Callable[[], Iterable[str]] | None = None,
    precise: Counter[str] | None = None, excludes: Excludes | None = None,
    read_with: dict[str, frozenset[str]] | None = None, workspaces: Mapping[str, Mapping[str, str]] | None = None,
) -> Planned:
    """Scan again, in `results`, the Python files that share a base constant;
    return what they were read with (`Planned`).
    `tree`: the files of the whole tree, for a run that does not hold them
    all (see `_tree_context`); `precise`: the run's count of the files the
    codemod read (`stats.count_precise`); `excludes`: the files not to read
    (`--exclude`), which `tree` leaves out already; `read_with` is given the
    base names each file scanned again was read with (`Auditor.scan`'s `bases`);
    `workspaces`: the workspaces other files of the run drop, by path, for
    the codemod (`rewrite_bytes`'s `run_workspaces`, see `audit.workspaces`).

    Without the codemod (`--no-precise`), only the importers joining a
    Config path to the base are scanned again, the join read as the
    version prefix (`joined_bases`).

    Only the Python files the scan kept (they hold Config text, read
    Config fields, or join a Config path's first segment to a name:
    `FileResult.joins`) are read again: a module with none that imports the
    constant (`requests.get(BASE + path)`) or reads it off its module
    (`settings.BASE`) holds it back in a rewrite, but not here (reading
    every Python file again would cost the audit a quarter of its scan)."""
    codemod = auditor.codemod
    from migrator.rewrite.shared_plan import find_owners

    mine = {r.path: i for i, r in enumerate(results) if _python(r)}
    context = _tree_context(list(mine), tree, auditor, max_size, excludes) if tree is not None else []
    every = [*results, *context]
    position = {r.path: i for i, r in enumerate(every) if _python(r)}
    texts: dict[str, bytes] = {}
    # the codemod read those that define a Config base constant, or a rewrite kept it there and marked it;
    # without it, the text scanner found a Config host there
    kinds = ("rewrite", "marker") if codemod is not None else ("host",)
    flagged = {p: data for p, i in position.items() if any(f.kind in kinds for f in every[i].findings)
               and (data := _read(p, max_size)) is not None}

    def every_file() -> dict[str, bytes]:
        texts.update(flagged)
        for path in [*position, *_packages(flagged, position, excludes)]:
            if path not in texts and (data := _read(path, max_size)) is not None:
                texts[path] = data
        return texts

    unreached: dict[str, frozenset[str]] = {}
    owners = find_owners(flagged, every_file, auditor.rules.config_hosts, unreached=unreached)
    based = _joined_bases(owners, {p: every[i].joins for p, i in position.items()}, auditor.version)
    if codemod is None:  # the text scanner reads the paths joined to them as whole
        for path in sorted(p for p in based if p in mine):
            results[mine[path]] = auditor.scan(path, texts[path], bases=based[path])
        return {}
    from migrator.rewrite.shared_bases import SharedBases
    from migrator.rewrite import LOOKUP_MODULE
    from migrator.rewrite.with_ids import EveryId

    links = _links({p for o in owners for p in (o.path, *o.importers)}, every_file(), auditor) if owners else {}
    links = _told(links, workspaces or {})
    outcomes: dict[str, Outcome | None] = {}
    shared = _plan(owners, texts, auditor, links, seen=outcomes)
    kept = {p: i for p, i in mine.items() if results[i].findings}  # a test with doubles holds Config text
    patching = _patching(owners, outcomes, unreached, kept, texts, max_size, auditor)
    # what a rewrite with an id map and the lookup module plans, when some base stays without
    shared_ids = _plan(owners, texts, auditor, links, ids=EveryId(), lookup_module=LOOKUP_MODULE) \
        if any(s.held or s.kept_imports for s in shared.values()) else shared
    numbers = _numbers(mine, texts, auditor, max_size, excludes)
    unreached = _unused_unreached(unreached, mine, results)
    involved = {p for o in owners for p in (o.path, *o.importers, *o.blockers)}
    planned: Planned = {}
    # the tree's other files only decide
    for path in sorted({p for p in (*involved, *numbers, *unreached, *patching) if p in mine}):
        given, given_ids = shared.get(path), shared_ids.get(path)
        if path in patching:  # base constants of other modules it patches, which the rewrite moves
            given = replace(given or SharedBases(), patched=patching[path])
            given_ids = replace(given_ids or SharedBases(), patched=patching[path])
        if path in numbers:  # page sizes it imports, checked as the rewrite checks them
            given = replace(given or SharedBases(), imported_numbers=numbers[path])
            given_ids = replace(given_ids or SharedBases(), imported_numbers=numbers[path])
        if path in unreached:  # base constants no module imports, as the rewrite's markers say
            given = replace(given or SharedBases(), unimported=unreached[path])
            given_ids = replace(given_ids or SharedBases(), unimported=unreached[path])
        planned[path] = ({"shared": given, **_linked(links, path)}, {"shared": given_ids, **_linked(links, path)})
        # read whole, by the codemod even with no Config text of its own (an importer), not cached
        reader = copy(auditor)
        reader.codemod = replace(codemod, may_need_rewrite=lambda _: True, needles=(),
                                 rewrite_bytes=partial(_with_shared, codemod.rewrite_bytes, given, given_ids,
                                                       **_linked(links, path)))
        reader.cache = None
        before = results[mine[path]].precise
        results[mine[path]] = reader.scan(path, texts[path], bases=based.get(path, frozenset()))
        if read_with is not None:
            read_with[path] = based.get(path, frozenset())
        if precise is not None:
            count_precise(precise, before, results[mine[path]].precise)
    return planned


def _packages(flagged: Iterable[str], scanned: Iterable[str], excludes: Excludes | None) -> list[str]:
    """The `__init__.py` of the packages holding the flagged files (and of
    the packages above them) that the scan did not keep, having no Config
    text: one may re-export a constant (`from .settings import API`), read
    off the package elsewhere (`pkg.API`), which holds it in a rewrite."""
    seen = set(scanned)
    found: list[str] = []
    for path in flagged:
        folder = os.path.dirname(path)
        while folder:
            init = os.path.join(folder, "__init__.py")
            if not os.path.isfile(init) or excludes and excludes.of_file(init):
                break
            if init not in seen:
                seen.add(init)
                found.append(init)
            parent = os.path.dirname(folder)
            folder = parent if parent != folder else ""
    return found


def _unused_unreached(
    unreached: dict[str, frozenset[str]], mine: dict[str, int], results: list[FileResult],
) -> dict[str, frozenset[str]]:
    """Of the base constants no file reaches (`find_owners`), those of files
    the scan found an unused one in (marked as if modules imported it,
    `bases.EXPORTED`): only they are read again, to be worded as the rewrite
    words them (`SharedBases.unimported`); the others keep their cached scan."""
    if not unreached:
        return {}
    from migrator.rewrite.bases import EXPORTED  # the codemod's: imported only where it read constants

    return {path: names for path, names in unreached.items() if path in mine
            and any(f.message.startswith(EXPORTED) for f in results[mine[path]].findings)}


Planned = dict[str, tuple[dict[str, Any], dict[str, Any]]]
"""A file read again with shared bases → the codemod's arguments for it as
in a rewrite of the run without ids, and with an id map and the lookup
module (the plans, `shared`, and why it is linked, `linked`)."""


def _joined_bases(owners: list[Owner], joins: dict[str, tuple[str, ...]], version: str) -> dict[str, frozenset[str]]:
    """Importer → the names it joins a Config path head to (`FileResult.joins`)
    that it imports from a module binding them to a Config base ending at
    the `version` (`f"{SEGMENT_API}/access-tokens"`: the path is whole), or
    the reads off that module it joins one to (`settings.SEGMENT_API`)."""
    based: dict[str, set[str]] = {}
    for owner in owners:
        if not owner.value.rstrip("/").endswith("/" + version) or owner.code is not None:
            continue
        for path, local in owner.importers.items():
            name = owner.attributes.get(path, local)
            if name in joins.get(path, ()):
                based.setdefault(path, set()).add(name)
    return {path: frozenset(names) for path, names in based.items()}


def _plan(owners: list[Owner], texts: dict[str, bytes], auditor: Auditor, links: Mapping[str, Any],
          seen: dict[str, Outcome | None] | None = None, **given: Any) -> dict[str, SharedBases]:
    """Each file's `SharedBases` as a rewrite of the run plans them
    (`shared_plan.settle`), given `ids` and a `lookup_module` or not
    (`links`: `_links`); `seen` gets the codemod's last outcome of each."""
    from migrator.rewrite.shared_plan import first_holds, options, settle

    shared: dict[str, SharedBases] = {}
    if not owners:
        return shared
    outcomes: dict[str, Outcome | None] = {} if seen is None else seen
    held = first_holds(owners)

    def again(new: dict[str, SharedBases], paths: set[str]) -> None:
        shared.clear()
        shared.update(new)
        for path in paths:
            outcomes[path] = _outcome(texts[path], new.get(path), auditor, **_linked(links, path), **given)

    again(options(owners, held), {p for o in owners for p in (o.path, *o.importers)})
    settle(owners, held, outcomes.get, again)
    return shared


def _patching(
    owners: list[Owner], outcomes: dict[str, Outcome | None], unreached: dict[str, frozenset[str]],
    mine: dict[str, int], texts: dict[str, bytes], max_size: int, auditor: Auditor,
) -> dict[str, dict[str, tuple[str, str, str]]]:
    """The Python files the scan kept (`mine`) that may patch a base constant the rewrite
    moves → their `SharedBases.patched`, as the rewrite gives them
    (`driver._patches_of_moved_bases`): a shared one (`outcomes`: the plan's),
    or one no module imports (`unreached`), moved with its module's own
    paths (the codemod reads that module alone, once a file may patch it)."""
    if not owners and not unreached:
        return {}
    from migrator.rewrite.driver import module_path
    from migrator.rewrite.patched_bases import joined_base, may_patch, patch_names

    rules = auditor.rules
    patchers: dict[str, bytes] = {}
    for path in mine:
        data = texts.get(path) or _read(path, max_size)
        if data is not None and (b"patch" in data or b"setattr" in data):
            patchers[path] = data
    if not patchers:
        return {}
    moved: list[tuple[str, str, str, str, int]] = []  # (module, name, before, after, line)
    for owner in owners:
        outcome = outcomes.get(owner.path)
        new = outcome[1].get(owner.name) if outcome is not None else None
        if isinstance(new, str) and owner.code is None and joined_base(owner.value, rules.config_hosts,
                                                                         rules.config_prefix):
            moved.append((owner.path, owner.name, owner.value, new, owner.line))
    for module, names in unreached.items():
        data = texts.get(module)
        if data is None or auditor.codemod is None or not any(
                may_patch(d, names) for p, d in patchers.items() if p != module):
            continue
        try:
            result = auditor.codemod.rewrite_bytes(data, rules, advise_ids=False, ask_ids=False)
        except Exception:  # a module the codemod cannot read moves nothing
            continue
        moved += [(module, *base) for base in getattr(result, "moved_bases", ()) if base[0] in names]
    found: dict[str, dict[str, tuple[str, str, str]]] = {}
    for path, data in patchers.items():
        for module, name, old, new, line in moved:
            if module != path and may_patch(data, [name]):
                texts[path] = data
                for spec in patch_names(path, data, module):
                    found.setdefault(path, {})[f"{spec}.{name}"] = (old, new, f"{module_path(module)}:{line}")
    return found


def _with_shared(
    rewrite_bytes: Callable[..., Any], shared: SharedBases | None, shared_ids: SharedBases | None,
    data: bytes, rules: RuleSet, **given: Any,
) -> Any:
    """The codemod given the plan of a rewrite without an id map, and of a
    rewrite with one for the codemod to ask what an id map fixes
    (`rewrite.with_ids`)."""
    return rewrite_bytes(data, rules, shared=shared, shared_ids=shared_ids, **given)


def _numbers(
    mine: dict[str, int], texts: dict[str, bytes], auditor: Auditor, max_size: int, excludes: Excludes | None,
) -> dict[str, dict[str, int]]:
    """`shared_plan.imported_numbers` of the run's Python files that hold a
    page size parameter: the integer constants they import from modules of
    the tree (`PAGE_SIZE = 500` in a settings module), as `migrator rewrite`
    gives them to the codemod (the modules are read from disk: a settings
    module has no Config text, so the scan did not keep it)."""
    from migrator.rewrite.shared_plan import imported_numbers

    row = auditor.rules.pagination
    needles = (row.size_param.encode(), row.count_param.encode())
    importers = {}
    for path in mine:
        data = texts.get(path) or _read(path, max_size)
        if data is not None and any(n in data for n in needles):
            importers[path] = texts[path] = data
    if not importers:
        return {}

    def read(path: str) -> bytes | None:
        if not path.endswith(".py") or not os.path.isfile(path) or excludes and excludes.of_file(path):
            return None
        return _read(path, max_size)

    return imported_numbers(importers, read, needles)


def _python(result: FileResult) -> bool:
    return result.path.endswith(PYTHON_SUFFIXES) and not result.skipped and not result.error


def _tree_context(
    run: list[str], tree: Callable[[], Iterable[str]], auditor: Auditor, max_size: int,
    excludes: Excludes | None = None,
) -> list[FileResult]:
    """What a scan of the whole tree keeps (`scan_files`) of its Python files
    outside the run that may share a base constant with a file of the run:
    those naming a constant that a file of the run, or a module it imports,
    may define (`maybe_owners`) together with a module that may hold it (the
    defining module, a package's `__init__.py`, or a file found naming the
    constant: a re-export), the defining modules, and those importing `*`;
    and so on from those, as `shared_plan.link_importers` gates them. A run
    of the whole tree finds the same owners, importers and holds. Nothing is
    read when no file of the run defines or imports a constant."""
    from migrator.rewrite.shared_plan import maybe_owners

    hosts = tuple(h.encode() for h in auditor.rules.config_hosts)
    seen = set(run)
    python: dict[str, bytes] | None = None
    context: list[FileResult] = []
    gates: dict[bytes, set[str]] = {}  # constant → the modules that may hold it: a file naming it must name one
    defining: set[str] = set()
    pending = run  # files whose own constants and imported ones may be shared
    handing = {path: data for path in run if (data := _read(path, max_size)) is not None}
    while pending or handing:
        grew = False
        for path in pending:
            data = handing[path] if path in handing else _read(path, max_size)
            if data is None:
                continue
            modules = {c for c in candidates(path, import_specs(path, decode(data, True)[0]))
                       if c.endswith(".py") and c not in seen and os.path.isfile(c)
                       and not (excludes and excludes.of_file(c))}
            for module in (path, *sorted(modules)):
                found = data if module == path else _read(module, max_size)
                for owner in maybe_owners(module, found, hosts) if found is not None else ():
                    grew |= _gate(gates, owner.name.encode(), module)
                    defining.add(module)
        if gates:
            names = _words(gates)
            for path, data in handing.items():  # a module naming a constant may hand it on (a re-export)
                for name in {m.group() for m in names.finditer(data)}:
                    grew |= _gate(gates, name, path)
        if not grew:
            break
        if python is None:
            python = {p: data for p in tree() if p.endswith(PYTHON_SUFFIXES) and p not in seen
                      and (data := _read(p, max_size)) is not None}
        names = _words(gates)
        handing = {p: data for p, data in python.items() if p not in seen
                   and _may_reach(p, data, names, gates, defining)}
        seen.update(handing)
        kept = [r for r in scan_files(auditor, list(handing), max_size).results if _python(r)]
        context.extend(kept)
        pending = [r.path for r in kept]
    return context


def _gate(gates: dict[bytes, set[str]], name: bytes, module: str) -> bool:
    """Add `module` to those that may hold `name`; whether it is new."""
    modules = gates.setdefault(name, set())
    if module in modules:
        return False
    modules.add(module)
    return True


def _words(gates: dict[bytes, set[str]]) -> re.Pattern[bytes]:
    return re.compile(rb"\b(?:" + b"|".join(re.escape(n) for n in sorted(gates)) + rb")\b")


@lru_cache(maxsize=4096)
def _word(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"\b" + re.escape(name) + rb"\b")


def _may_reach(path: str, data: bytes, names: re.Pattern[bytes], gates: dict[bytes, set[str]],
               defining: set[str]) -> bool:
    """The file at `path` defines a constant, imports `*`, or names a
    constant and a module that may hold it (a package by its folder's name,
    or from inside it: `from . import API`)."""
    if path in defining or b"import *" in data or b"import*" in data:
        return True
    for module in {m for found in names.finditer(data) for m in gates[found.group()]}:
        folder, name = os.path.split(module)
        if name == "__init__.py":
            if path.startswith(folder + os.sep) or not folder:
                return True
            name = os.path.basename(folder)
        stem = os.path.splitext(name)[0].encode("utf-8", "surrogateescape")
        if _word(stem).search(data):
            return True
    return False


def _read(path: str, max_size: int) -> bytes | None:
    data, _ = read_file(path, max_size)
    return data


def _links(paths: set[str], texts: dict[str, bytes], auditor: Auditor) -> dict[str, str]:
    """Why `migrator rewrite` gives each of `paths` that its codemod would
    not read for itself, but that holds a Config field name, list key or
    path (`links.link_search`), to the codemod as linked: the file of
    `texts` calling a Segment API that it imports (`links.linked_files`)."""
    from migrator.rewrite.links import link_search, linked_files, specs_of

    codemod = auditor.codemod
    assert codemod is not None
    flags = link_search(auditor.rules)
    sources: dict[str, tuple[str, ...]] = {}
    readers: dict[str, tuple[str, ...]] = {}
    for path, data in texts.items():
        calls, names = (True, False) if codemod.own_config_api(data) else flags(data)
        if calls:
            sources[path] = specs_of(path, data)
        elif names and path in paths:
            readers[path] = specs_of(path, data)
    return linked_files(sources, readers) if readers else {}


def _linked(links: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The codemod's `linked` argument for `path`, when it is linked, and its
    `run_workspaces` when other files drop other workspaces (`_told`)."""
    found = links.get(path)
    return {} if found is None else dict(found) if isinstance(found, Told) else {"linked": found}


class Told(dict[str, Any]):
    """The codemod's arguments for a file told of other files' workspaces (`_linked`)."""


def _told(links: dict[str, str], workspaces: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """`links`, with the files told of the workspaces other files drop."""
    if not workspaces:
        return links
    told: dict[str, Any] = dict(links)
    for path, others in workspaces.items():
        told[path] = Told(run_workspaces=others, **({"linked": links[path]} if path in links else {}))
    return told


def _outcome(data: bytes, shared: SharedBases | None, auditor: Auditor, **given: Any) -> Outcome | None:
    """What the codemod makes of the file's shared constants, or None."""
    codemod = auditor.codemod
    if codemod is None or generated_header(data) is not None:  # a rewrite leaves a generated file as it is
        return None
    try:
        result = codemod.rewrite_bytes(data, auditor.rules, shared=shared, advise_ids=False, ask_ids=False,
                                       **given)
    except Exception:  # a file the codemod cannot read keeps what it shares on the Config API
        return None
    return dict(result.imported or {}), dict(result.exported or {})
