"""Calls of different Python files of an audit for different literal
workspaces, read as `migrator rewrite` of the run reads them.

Without an id map, the rewrite takes a workspace the code names once for
the token's and drops it; when the files of a run drop different ones, it
marks their calls (`rewrite.other-workspace`) and keeps them on the Config
API (`rewrite.run_workspaces`). The codemod tells the audit which
workspaces each file drops (`FileResult.workspaces`, cached with its
findings); the files that drop one another file does not are read again,
told of the others' (not cached; whole and with their plans when the
shared bases read them again, `shared.Planned`): their findings are then
the rewrite's markers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from copy import copy
from dataclasses import replace

from migrator.audit.core import Auditor
from migrator.audit.model import FileResult
from migrator.audit.reading import read_file
from migrator.audit.shared import Planned
from migrator.audit.stats import count_precise


def with_run_workspaces(
    results: list[FileResult], auditor: Auditor, max_size: int, planned: Planned,
    read_with: Mapping[str, frozenset[str]], replan: Callable[[dict[str, dict[str, str]]], Planned],
    precise: Counter[str] | None = None,
) -> Planned:
    """Scan again, in `results`, the Python files whose migrated calls drop a
    workspace other files drop another than; return the plans of shared
    bases the files are read with (`planned`, or those `replan` makes when
    a file planned is one of them: told of the workspaces, it may hold a
    shared base back, as in a rewrite); `read_with`: the base names each
    planned file was read with (`shared.with_shared_bases`)."""
    codemod = auditor.codemod
    dropping = {r.path: [w for w, _ in r.workspaces] for r in results if r.workspaces}
    if codemod is None or len({w for found in dropping.values() for w in found}) < 2:
        return planned
    from migrator.rewrite.driver import is_test_file, module_path  # (the driver's imports: only when needed)
    from migrator.rewrite.run_workspaces import others

    given = others(dropping, is_test_file, module_path)
    if not given:
        return planned
    if any(path in planned for path in given):
        planned = replan(given)  # reads those planned again, told of the workspaces
    where = {r.path: i for i, r in enumerate(results)}
    reader = copy(auditor)
    reader.cache = None
    reader.codemod = replace(codemod, run_workspaces=given)
    for path in sorted(given):
        if path in planned or path not in where:
            continue
        data, _ = read_file(path, max_size)
        if data is None:
            continue
        before = results[where[path]].precise
        results[where[path]] = reader.scan(path, data, bases=read_with.get(path, frozenset()))
        if precise is not None:
            count_precise(precise, before, results[where[path]].precise)
    return planned
