"""Postman URLs given as arrays.

A Postman collection may give a request's URL only as parts, with no `raw`
string (a URL that has one is read there, and its arrays not at all): `"host": ["platform", "segmentapis", "com"]`, `"path": ["v1beta",
"workspaces", "acme", "regulations"]`. The audit reads each such array as
the string it stands for (`"platform.segmentapis.com"`,
`"v1beta/workspaces/acme/regulations"`), written where the array starts;
the rest of the array is blanked, so lines, and columns after it, stay
those of the file.
"""

from __future__ import annotations

import json
import re

from migrator.audit.notebook import blank

_ARRAY = re.compile(r'"(host|path)"(\s*:\s*)\[((?:\s*"(?:[^"\\\n]|\\.)*"\s*,?)+)\s*\]')
_ELEMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_SEPARATOR = {"host": ".", "path": "/"}


def may_hold_url_arrays(data: bytes) -> bool:
    return b'"host"' in data or b'"path"' in data


def joined_urls(text: str) -> str:
    """`text` with each `host` and `path` array of strings of a URL with no
    `raw` string as one string (where the URL has `raw`, that is read)."""
    # arrays that restate the URL's `raw` are not read twice (blanked, line breaks kept)
    return _ARRAY.sub(lambda m: _joined(m) if not _has_raw(text, m.start()) else blank(m.group()), text)


def _has_raw(text: str, at: int) -> bool:
    """The URL object the array at `at` belongs to gives a `raw` string before it."""
    url = text.rfind('"url"', 0, at)
    return url >= 0 and '"raw"' in text[url:at]


def _joined(m: re.Match[str]) -> str:
    try:
        parts = [json.loads(e) for e in _ELEMENT.findall(m.group(3))]
    except ValueError:
        return m.group()
    if not all(isinstance(p, str) for p in parts):
        return m.group()
    key = m.group(1)
    new = f'"{key}"{m.group(2)}' + json.dumps(_SEPARATOR[key].join(parts))
    lines = m.group().split("\n")
    if len(new) > len(lines[0]) and len(lines) == 1:
        return m.group()  # cannot be longer than the array on its line
    return "\n".join([new.ljust(len(lines[0])), *(" " * len(line) for line in lines[1:])])


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
