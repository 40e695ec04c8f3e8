"""Tests that patch a base URL constant the run moves.

    monkeypatch.setattr(settings, "BASE", "http://proxy.test/v1beta")
    responses.get("http://proxy.test/v1beta/workspaces/acme/sources", json=...)

The code joins its paths to `settings.BASE`; once the run moves the
constant to the Public API (`BASE = "https://api.segmentapis.com"`), it
joins Public paths (`/sources`) to whatever a test patches it to, and the
test's doubles on the patched value (Config paths) no longer answer. The
driver tells each file that may patch the constant which constants moved
(`SharedBases.patched`: target → its value before and after, and where), as
`monkeypatch.setattr(settings, "BASE", ...)`, `mock.patch.object(settings,
"BASE", ...)` and `mock.patch("app.settings.BASE", ...)` name them.

A patch to the constant's own Config value (a Config base ending at the
version) is rewritten to its Public value when every double of the file on
that value is migrated by this run (changed, no marker): the test then
patches the base the code uses, and its doubles are on it. Any other patch
of such a constant is marked, with the file's doubles on the patched value
(a string starting with it) that have no marker of their own
(`mock_patched_bases`). Here: what moved, and who may patch it; read with
`ast` and regular expressions, as the driver and the audit need it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

_ASSIGNED = re.compile(rb"^[A-Za-z]\w*[ \t]*(?::[^=\n]*)?=", re.M)


def joined_base(value: str, hosts: Iterable[str], prefix: str) -> bool:
    """`value` is a Config base the code joins whole paths to: a Config host
    (one of `hosts`), with the version (`prefix`) or nothing after it. Not a
    workspace base nor an endpoint's URL, whose joined paths stay as they are."""
    parts = urlsplit(value)
    return parts.netloc.lower() in hosts and parts.path.rstrip("/") in ("", prefix) and not parts.query


def moved_bases(data: bytes, code: bytes, hosts: Iterable[str], prefix: str) -> tuple[tuple[str, str, str, int], ...]:
    """The module-level string constants holding a Config base (`joined_base`)
    whose value the rewrite changed: (name, before, after, line)."""
    from migrator.rewrite.shared_bases import string_constants
    from migrator.rewrite.source import parsed

    hosts = tuple(h.lower() for h in hosts)
    if code == data or not _ASSIGNED.search(data) or not _base_text(hosts, prefix).search(data):
        return ()  # (two whole-module parses otherwise, for every file the run changes)

    def values(tree: ast.Module | None) -> dict[str, tuple[str, int]]:
        return {n: (v, line) for n, v, line in string_constants(tree)} if tree is not None else {}

    try:
        before = values(ast.parse(data))
    except (SyntaxError, ValueError):
        return ()
    bases = {name: found for name, found in before.items() if joined_base(found[0], hosts, prefix)}
    if not bases:
        return ()
    after = values(parsed(code))  # the tree the output check made, most often
    return tuple(
        (name, old, after[name][0], line) for name, (old, line) in bases.items()
        if name in after and after[name][0] != old
    )


@lru_cache(maxsize=8)
def _base_text(hosts: tuple[str, ...], prefix: str) -> re.Pattern[bytes]:
    """A Config host that a string ends with, the version or a `/` at most
    between (`"https://platform.segmentapis.com/v1beta"`, also one piece of
    a concatenation): where a base constant may be, before parsing."""
    names = b"|".join(re.escape(h.encode()) for h in hosts)
    return re.compile(rb"(?i)(?:" + names + rb")(?:" + re.escape(prefix.encode()) + rb")?/?[\"']")


def may_patch(data: bytes, names: Iterable[str]) -> bool:
    """`data` holds one of `names` as a patch names it: in a string, alone or
    after a dotted path (`"BASE"`, `"app.settings.BASE"`)."""
    return (b"patch" in data or b"setattr" in data) and any(
        re.search(rb"""["'](?:[\w.]*\.)?""" + re.escape(n.encode()) + rb"""["']""", data) for n in names)


def dotted_names(path: str, most: int = 4) -> list[str]:
    """The dotted names the module at `path` may be patched by (`settings`,
    `app.settings`, ...: the last parts of its path), a package's by its folder."""
    parts = Path(path[: -len("/__init__.py")] if path.endswith("__init__.py") else path).with_suffix("").parts
    names: list[str] = []
    for size in range(1, min(most, len(parts)) + 1):
        tail = parts[-size:]
        if not all(p.isidentifier() for p in tail):
            break
        names.append(".".join(tail))
    return names


def patch_names(path: str, data: bytes, module: str) -> list[str]:
    """The names the file at `path` may patch the module at `module` by:
    its imports of that module (as written), and `dotted_names`."""
    from migrator.imports import candidates
    from migrator.rewrite.links import specs_of

    imported = [spec for spec in specs_of(path, data) if module in candidates(path, [spec])]
    return list(dict.fromkeys([*imported, *dotted_names(module)]))
