"""The workspaces the files of a run drop, compared (`file_workspaces`):
for the driver (`_compare_workspaces`) and the audit, which read the same."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

SHOWN = 3
"""Files named for a workspace; more are counted."""


def others(
    dropping: Mapping[str, Iterable[str]], test: Callable[[str], bool], where: Callable[[str], str],
) -> dict[str, dict[str, str]]:
    """Path → the workspaces other files of the run drop that it does not →
    where (`` `b.py`, `c.py` ``), for each file dropping one when the files
    drop different ones. Test files (`test`) take no part: their doubles
    answer the calls of the code, whatever workspace they name."""
    own = {path: set(found) for path, found in dropping.items() if found and not test(path)}
    named: dict[str, list[str]] = {}
    for path in sorted(own):
        for workspace in own[path]:
            named.setdefault(workspace, []).append(where(path))
    if len(named) < 2:
        return {}
    given: dict[str, dict[str, str]] = {}
    for path, workspaces in own.items():
        found = {w: _some(files) for w, files in sorted(named.items()) if w not in workspaces}
        if found:
            given[path] = found
    return given


def _some(names: list[str]) -> str:
    """`` `a.py`, `b.py` ``, the first few of many and how many more."""
    listed = ", ".join(f"`{n}`" for n in names[:SHOWN])
    return listed if len(names) <= SHOWN else f"{listed} and {len(names) - SHOWN} more"
