"""Requests of another API in a Postman collection or a HAR file.

A collection or a HAR file often mixes vendors: a Config request, then a
Zoom one. The Config field names a request item of another API holds (its
`query` array, body, test and pre-request scripts, saved responses; a HAR
entry's `queryString`, `postData`, `response.content.text`) are that API's,
not Config fields: `other_items` gives the spans of such items (a JSON
object with a `request`: a Postman item, a HAR entry), and `outside_other_items`
drops the field findings in them. An item's URL is another API's when its
host is a DNS name outside Segment's domains (`Catalog.other_api`), written
out or held by a variable the collection sets (`{{zoom}}/users`); a host
left unknown (a variable set nowhere, or set to the Config base) keeps them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from migrator.audit.model import Finding
from migrator.audit.text_scan import Lines

_TOKEN = re.compile(r'"(?P<string>(?:[^"\\\n]|\\.)*)"(?P<colon>\s*:)?|(?P<bracket>[{}\[\]])')
_VARIABLE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_HOST = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?P<host>[^/?#\s]+)")
SUFFIXES = (".json", ".har")
"""The files read for request items (a Postman collection, a HAR file)."""


@dataclass
class _Object:
    start: int
    end: int = -1
    values: dict[str, str | _Object | list[str]] = field(default_factory=dict)
    """Its keys' values that are strings, objects, or arrays (their strings)."""
    key: str | None = None
    """The key whose value comes next."""


def may_hold_items(text: str) -> bool:
    return '"request"' in text


def other_items(text: str, variables: dict[str, str], other_api: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The spans of the objects of `text` with a `request` whose URL is
    another API's (`other_api` of its host); `variables`: the values of the
    collection's variables."""
    return [(o.start, o.end) for o in _objects(text)
            if "request" in o.values and _is_other(_url(o.values["request"]), variables, other_api)]


def outside_other_items(findings: list[Finding], spans: list[tuple[int, int]], lines: Lines) -> list[Finding]:
    """`findings` but the field names in `spans`."""
    if not spans:
        return findings
    return [f for f in findings if f.kind != "field" or not any(
        start <= lines.offset(f.line, f.column) < end for start, end in spans)]


def _objects(text: str) -> list[_Object]:
    """The JSON objects of `text` that end (a file that is not JSON gives few or none)."""
    done: list[_Object] = []
    stack: list[_Object | list[str]] = []
    for m in _TOKEN.finditer(text):
        top = stack[-1] if stack else None
        bracket = m["bracket"]
        if bracket is None:
            if m["colon"] is not None and isinstance(top, _Object):
                top.key = m["string"]
            elif isinstance(top, list):
                top.append(_decoded(m["string"]))
            elif isinstance(top, _Object) and top.key is not None:
                top.values[top.key], top.key = _decoded(m["string"]), None
            continue
        if bracket in "{[":
            new: _Object | list[str] = _Object(m.start()) if bracket == "{" else []
            if isinstance(top, _Object) and top.key is not None:
                top.values[top.key], top.key = new, None
            stack.append(new)
        elif stack:
            closed = stack.pop()
            if isinstance(closed, _Object):
                closed.end = m.end()
                done.append(closed)
    return done


def _decoded(string: str) -> str:
    try:
        value = json.loads(f'"{string}"')
    except ValueError:
        return string
    return value if isinstance(value, str) else string


def _url(request: str | _Object | list[str]) -> str:
    """A request's URL: a string (Postman's short form, HAR), or a Postman
    URL object's `raw`, else its `host` array; empty when none is known."""
    if isinstance(request, str):
        return request
    url = request.values.get("url") if isinstance(request, _Object) else None
    if isinstance(url, str):
        return url
    if isinstance(url, _Object):
        raw, host = url.values.get("raw"), url.values.get("host")
        if isinstance(raw, str):
            return raw
        if isinstance(host, list):
            return ".".join(host)
    return ""


def _is_other(url: str, variables: dict[str, str], other_api: Callable[[str], bool]) -> bool:
    start = _VARIABLE.match(url.strip())
    if start is not None:  # a variable at the start stands for its value, when the collection sets it
        value = variables.get(start[1])
        if value is None:
            return False
        url = value + url.strip()[start.end():]
    m = _HOST.match(url.strip())
    return m is not None and "{{" not in m["host"] and other_api(m["host"])
