"""Python files that read, in another module, what a Segment client returns.

A client module calls the Config API and returns `resp.json()`; another
module imports it and reads `s["display_name"]`. The codemod follows values
within one file only, so the reading module has no migrated call of its own,
and once the client is migrated its reads break. The driver therefore gives
the codemod, as *linked*, every Python file that holds a Config field name
(or a quoted Config list key, `"sources"`, or a Config name taken apart,
`s["name"].split("/")`) and imports, or is imported by, a file that calls
the Config or the Public API (or that calls the Public API itself): the
Config-looking field reads there are marked (`rewrite.responses`), nothing
is rewritten. Imports are resolved from the paths alone
(`migrator.imports`), one hop.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping

from migrator.imports import import_specs, importers, link_reason, link_reason_from, linked_source
from migrator.rewrite.known_names import config_fields, config_list_keys, segmented_fields
from migrator.rewrite.table import table_for
from migrator.ruleset import RuleSet
from migrator.search import HostsAndNames


def link_search(rules: RuleSet) -> HostsAndNames:
    """Whether a file calls the Public API, and holds a Config field name,
    reads a Config list key (`["sources"]`), or holds a Config path with no
    host (`f"{API}/workspaces/{WS}/sources"`, the base from another module)."""
    lists = (f"{q}{key}{q}".encode() for key in config_list_keys(rules) for q in "\"'")
    # a Config name taken apart: `s["name"].split("/")[-1]`
    apart = (f"{q}{key}{q}].{m}(".encode() for key in segmented_fields(rules) for q in "\"'" for m in ("split", "rsplit"))
    head = table_for(rules).workspace_segment
    paths = (f"{head}/".encode(), f'"{head}"'.encode(), f"'{head}'".encode()) if head else ()
    return HostsAndNames(
        (h.encode() for h in rules.public_hosts), (*(f.encode() for f in config_fields(rules)), *lists, *apart, *paths)
    )


def specs_of(path: str, data: bytes) -> tuple[str, ...]:
    """What a Python file imports (`migrator.imports.import_specs`)."""
    return import_specs(path, data.decode("utf-8", "replace"))


def linked_files(
    sources: dict[str, tuple[str, ...]], readers: dict[str, tuple[str, ...]],
    entries: Mapping[str, tuple[str, ...]] | None = None, known: Container[str] | None = None,
    public: Container[str] = (),
) -> dict[str, str]:
    """Reader → why it is linked (`link_reason`, naming the source from the
    reader's folder): it calls the Public API itself, imports a source or
    is imported by one. `sources` call a
    Segment API, `readers` hold Config field names; both map a path to what
    it imports (`specs_of`), as do `entries` for packages' `__init__.py`;
    `known` (from `migrator.imports.beyond_run`) also reads files outside
    the run; `public`, the sources that call the Public API only."""
    forward = importers(sources.items())
    known = sources if known is None else known
    out: dict[str, str] = {}
    for path, specs in readers.items():
        if path in sources:
            out[path] = link_reason(None)
        elif (found := linked_source(path, specs, known, forward, entries)) is not None:
            out[path] = link_reason_from(path, *found, public=found[0] in public)
    return out


def calls_segment(path: str, may_need_rewrite: Callable[[bytes], bool], flags: HostsAndNames) -> bool:
    """A file outside the run calls the Config API or the Public API."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return may_need_rewrite(data) or flags(data)[0]


class PublicSources:
    """The sources that call the Public API only (`linked_files`'s `public`):
    those of the run (`found`, of the files `run`), and files outside the
    run read from disk (a client a rewrite migrated before), so that a run
    of some files says what a run of the whole project says of them."""

    def __init__(
        self, found: Container[str], run: Container[str], may_need_rewrite: Callable[[bytes], bool],
        flags: HostsAndNames,
    ) -> None:
        self.found, self.run = found, run
        self.may_need_rewrite, self.flags = may_need_rewrite, flags
        self.outside: dict[str, bool] = {}

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if path in self.run:
            return path in self.found
        if path not in self.outside:
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                data = None
            self.outside[path] = data is not None and self.flags(data)[0] and not self.may_need_rewrite(data)
        return self.outside[path]


def specs_on_disk(path: str) -> tuple[str, ...]:
    try:
        with open(path, "rb") as handle:
            return specs_of(path, handle.read())
    except OSError:
        return ()
