"""Base URL constants shared between the Python modules of an audit, read
as `migrator rewrite` reads them.

The codemod reads each file alone. A rewrite of the repository, though,
moves a settings module's `API = "https://platform.segmentapis.com/v1beta"`
to the Public API together with the paths its importers join to it, or
keeps them all (`migrator.rewrite.shared_plan`). So that the to-do list
says what such a rewrite would do, the modules concerned (owners and
importers) are read again with what it would know: the same plan, the same
agreement, then each one scanned with its `SharedBases` (whole files, not
cached: their findings depend on other files). Unlike the rewrite, it
looks for importers only among the Python files the scan kept (see
`with_shared_bases`).
"""

from __future__ import annotations

from copy import copy
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from migrator.audit.core import PYTHON_SUFFIXES, Auditor
from migrator.audit.model import FileResult
from migrator.audit.reading import read_file

if TYPE_CHECKING:
    from migrator.rewrite.shared_bases import SharedBases
    from migrator.rewrite.shared_plan import Outcome


def with_shared_bases(results: list[FileResult], auditor: Auditor, max_size: int) -> None:
    """Scan again, in `results`, the Python files that share a base constant.

    Only the Python files the scan kept (they hold Config text, or read
    Config fields) are read again: a module with none that imports the
    constant (`requests.get(BASE + path)`) or reads it off its module
    (`settings.BASE`) holds it back in a rewrite, but not here (reading
    every Python file again would cost the audit a quarter of its scan)."""
    codemod = auditor.codemod
    if codemod is None:
        return
    from migrator.rewrite.shared_plan import find_owners, first_holds, options, settle

    position = {r.path: i for i, r in enumerate(results) if r.path.endswith(PYTHON_SUFFIXES)
                and not r.skipped and not r.error}
    texts: dict[str, bytes] = {}
    # the codemod read those that define a Config base constant
    flagged = {p: data for p, i in position.items() if any(f.kind == "rewrite" for f in results[i].findings)
               and (data := _read(p, max_size)) is not None}

    def every_file() -> dict[str, bytes]:
        texts.update(flagged)
        for path in position:
            if path not in texts and (data := _read(path, max_size)) is not None:
                texts[path] = data
        return texts

    owners = find_owners(flagged, every_file, auditor.rules.config_hosts)
    if not owners:
        return
    held = first_holds(owners)
    shared: dict[str, SharedBases] = {}
    outcomes: dict[str, Outcome | None] = {}

    def again(new: dict[str, SharedBases], paths: set[str]) -> None:
        shared.clear()
        shared.update(new)
        for path in paths:
            outcomes[path] = _outcome(texts[path], new.get(path), auditor)

    again(options(owners, held), {p for o in owners for p in (o.path, *o.importers)})
    settle(owners, held, outcomes.get, again)
    for path in sorted(outcomes):
        # read whole, by the codemod even with no Config text of its own (an importer), not cached
        reader = copy(auditor)
        reader.codemod = replace(codemod, may_need_rewrite=lambda _: True, needles=(),
                                 rewrite_bytes=partial(codemod.rewrite_bytes, shared=shared.get(path)))
        reader.cache = None
        results[position[path]] = reader.scan(path, texts[path])


def _read(path: str, max_size: int) -> bytes | None:
    data, _ = read_file(path, max_size)
    return data


def _outcome(data: bytes, shared: SharedBases | None, auditor: Auditor) -> Outcome | None:
    """What the codemod makes of the file's shared constants, or None."""
    codemod = auditor.codemod
    if codemod is None:
        return None
    try:
        result = codemod.rewrite_bytes(data, auditor.rules, shared=shared)
    except Exception:  # a file the codemod cannot read keeps what it shares on the Config API
        return None
    return dict(result.imported or {}), dict(result.exported or {})
