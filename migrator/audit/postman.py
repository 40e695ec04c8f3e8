"""Postman URLs given as arrays.

A Postman collection may give a request's URL only as parts, with no `raw`
string (a URL that has one, before or after them, is read there, and its
arrays not at all): `"host": ["platform", "segmentapis", "com"]`, `"path": ["v1beta",
"workspaces", "acme", "regulations"]`. The audit reads each such array as
the string it stands for (`"platform.segmentapis.com"`,
`"v1beta/workspaces/acme/regulations"`), written where the array starts;
the rest of the array is blanked, so lines, and columns after it, stay
those of the file. A path whose host is a variable set to the Config base
(`"host": ["{{baseUrl}}"]`) is read after the version prefix it stands for,
as `{{baseUrl}}/workspaces/...` is in a `raw` string. Findings are then
moved back to the parts they start in (`Joined`, `core.at_elements`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from migrator.audit.notebook import blank, value_end

_ARRAY = re.compile(r'"(host|path)"(\s*:\s*)\[((?:\s*"(?:[^"\\\n]|\\.)*"\s*,?)+)\s*\]')
_ELEMENT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_SEPARATOR = {"host": ".", "path": "/"}
_ONLY_VARIABLE = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}")
_CLOSING = re.compile(r"[\s,\]}]*")
"""What may follow an array on its line for the string read for it to run past the array's end."""


@dataclass(frozen=True)
class Joined:
    """The string read for an array: where each of its parts starts in the
    text read and in the file, and where it ends in the text read."""

    parts: tuple[tuple[int, int], ...]
    end: int
    shown: tuple[str, str] = ("", "")
    """The version prefix read for a host variable, and the variable as
    written (`v1beta/`, `{{baseUrl}}/`): a finding that starts with it shows the variable."""


def may_hold_url_arrays(data: bytes) -> bool:
    return b'"host"' in data or b'"path"' in data


def joined_urls(text: str, bases: Iterable[str] = (), version: str = "") -> tuple[str, list[Joined]]:
    """`text` with each `host` and `path` array of strings of a URL with no
    `raw` string as one string (where the URL has `raw`, that is read), a
    path after a host that is a variable in `bases` after `version/`; and
    where each string read came from."""
    names = frozenset(bases)
    matches = list(_ARRAY.finditer(text))
    hosts = {_url_of(text, m.start()): m for m in matches if m.group(1) == "host"}
    out: list[str] = []
    joined: list[Joined] = []
    done = at = 0  # where the last array read ends in `text`, and where the next starts in the text read
    for m in matches:
        out.append(text[done : m.start()])
        at += m.start() - done
        url = _url_of(text, m.start())
        if _has_raw(text, url, m.start()):
            new, read = blank(m.group()), None  # arrays that restate the URL's `raw` are not read twice
        else:
            host = hosts.get(url) if m.group(1) == "path" and url >= 0 else None
            prefix = _based(host, names, version)
            new, read = _joined(text, m, at, prefix)
        out.append(new)
        at += len(new)
        if read is not None:
            joined.append(read)
        done = m.end()
    out.append(text[done:])
    return "".join(out), joined


def _url_of(text: str, at: int) -> int:
    """Where the `url` key of the array at `at` is (-1 when there is none)."""
    return text.rfind('"url"', 0, at)


def _has_raw(text: str, url: int, at: int) -> bool:
    """The URL object the array at `at` belongs to gives a `raw` string,
    before or after it (`jq -S` and `sort_keys` put `raw` last)."""
    if url < 0:
        return False
    opened = text.find("{", url, at)
    return opened >= 0 and '"raw"' in text[opened : value_end(text, opened)]


def _based(host: re.Match[str] | None, names: frozenset[str], version: str) -> tuple[str, str]:
    """The version prefix a path is read after, when its URL's host is only
    a variable set to the Config base, and that variable as written."""
    if host is None or not names or not version:
        return "", ""
    elements = _ELEMENT.findall(host.group(3))
    only = _ONLY_VARIABLE.fullmatch(elements[0]) if len(elements) == 1 else None
    if only is None or only["name"] not in names:
        return "", ""
    return f"{version}/", f"{elements[0]}/"


def _joined(text: str, m: re.Match[str], at: int, prefix: tuple[str, str]) -> tuple[str, Joined | None]:
    """The array matched by `m` as one string, written where it starts (`at`
    in the text read), after `prefix`'s version prefix when there is room for it."""
    elements = list(_ELEMENT.finditer(m.group(3)))
    try:
        parts = [json.loads(e.group()) for e in elements]
    except ValueError:
        return m.group(), None
    if not all(isinstance(p, str) for p in parts):
        return m.group(), None
    key = m.group(1)
    escaped = [json.dumps(p, ensure_ascii=False)[1:-1] for p in parts]
    colon = m.group(2) if "\n" not in m.group(2) else ": "  # (the string stays on the key's line)
    head = f'"{key}"{colon}"'
    lines = m.group().split("\n")
    line_end = text.find("\n", m.end())
    # past the array's end only when it spans lines or nothing but closing brackets follow it on its line
    free = len(lines) > 1 or _CLOSING.fullmatch(text, m.end(), len(text) if line_end < 0 else line_end)
    # after the key; where that has no room, over it (`"v1beta/workspaces/w"`); or without the prefix
    for head, (version, shown) in ((head, prefix), ('"', prefix), (head, ("", ""))):
        new = head + version + _SEPARATOR[key].join(escaped) + '"'
        if free or len(new) <= len(lines[0]):
            break
    else:
        return m.group(), None  # cannot be longer than the array on its line
    inside = m.start(3)
    starts = [inside + e.start() + 1 for e in elements]  # where each part's text starts in the file
    offset = at + len(head)
    read = [(offset, starts[0])] if version else []
    offset += len(version)
    for text_of, start in zip(escaped, starts, strict=True):
        read.append((offset, start))
        offset += len(text_of) + 1
    out = "\n".join([new.ljust(len(lines[0])), *(" " * len(line) for line in lines[1:])])
    return out, Joined(tuple(read), offset - 1, (version, shown) if version else ("", ""))


# Variables holding the Config base URL
#
# A collection's requests usually start with a variable, `{{baseUrl}}/workspaces/acme/sources`,
# that its `variable` list or an environment file sets. Where the value is the
# Config base (a Config host and the version prefix, `https://platform.segmentapis.com/v1beta`),
# the variable is read as the version prefix it stands for (`v1beta`, right-aligned in
# its place: lines and columns stay those of the file), so that its paths are
# reported as written out ones are; the findings then show the variable again.

_VARIABLE = re.compile(
    r'"key"\s*:\s*"(?P<name>[^"\\\n]+)"\s*,\s*(?:"[\w-]+"\s*:\s*(?:"[^"\n]*"|[\w.-]+)\s*,\s*)*'
    r'"value"\s*:\s*"(?P<value>[^"\\\n]*)"(?P<rest>(?:\s*,\s*"[\w-]+"\s*:\s*(?:"[^"\n]*"|[\w.-]+))*)'
)
"""A Postman variable, `{"key": "baseUrl", "value": "https://...", "enabled": true}` (other keys between and after)."""
_OFF = re.compile(r'"enabled"\s*:\s*false|"disabled"\s*:\s*true')
ENVIRONMENT_SUFFIXES = (".postman_environment.json", ".postman_globals.json")


def config_base(hosts: tuple[str, ...], version: str) -> re.Pattern[str]:
    """A value that is the Config base URL: a Config host (of the host rows) and the version prefix."""
    names = "|".join(re.escape(h) for h in hosts)
    return re.compile(rf"(?:https?://)?(?:{names})/{re.escape(version)}/?", re.I)


def base_variables(text: str, base: re.Pattern[str]) -> set[str]:
    """The names of the variables `text` sets to the Config base (not disabled ones)."""
    if '"key"' not in text:
        return set()
    return {m["name"] for m in _VARIABLE.finditer(text)
            if base.fullmatch(m["value"]) and not _OFF.search(m["rest"])}


def variable_values(text: str) -> dict[str, str]:
    """The variables `text` sets (not disabled ones) and their values; a
    name set to different values is left out (which one applies is not known)."""
    if '"key"' not in text:
        return {}
    values: dict[str, str] = {}
    clashes: set[str] = set()
    for m in _VARIABLE.finditer(text):
        if not _OFF.search(m["rest"]):
            if values.setdefault(m["name"], m["value"]) != m["value"]:
                clashes.add(m["name"])
    return {name: value for name, value in values.items() if name not in clashes}


def is_environment(path: str, data: bytes) -> bool:
    """A Postman environment (or globals) file, as Postman exports it."""
    return path.lower().endswith(ENVIRONMENT_SUFFIXES) or (
        path.lower().endswith(".json") and b'"_postman_variable_scope"' in data)


def is_collection(path: str, data: bytes) -> bool:
    """A Postman collection, as Postman exports it."""
    return path.lower().endswith(".postman_collection.json") or (
        path.lower().endswith(".json") and (b'"_postman_id"' in data or b"schema.getpostman.com" in data))


def uses_variables(data: bytes, names: frozenset[str]) -> bool:
    return b"{{" in data and any(f"{{{{{name}}}}}".encode() in data for name in names)


def on_config_bases(text: str, names: set[str] | frozenset[str], version: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each `{{name}}/` of a variable in `names` read as `version/`
    (a name too short to hold it is left as it is), and where each was."""
    if not names or "{{" not in text:
        return text, []
    spans: list[tuple[int, int]] = []

    def prefix(m: re.Match[str]) -> str:
        if m["name"] not in names or len(m.group()) < len(version):
            return m.group()
        spans.append(m.span())
        return version.rjust(len(m.group()))

    return _USE.sub(prefix, text), spans


_USE = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}(?=/)")
