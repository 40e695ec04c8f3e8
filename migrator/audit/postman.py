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
