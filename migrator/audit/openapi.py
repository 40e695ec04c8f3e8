"""An OpenAPI (Swagger) document's own routes: the keys of its `paths` map
are paths its API serves, not calls (`paths: {/workspaces/{ws}/sources: ...}`),
unless its server is a Config host (a copy of the Config API's document,
which a client is generated from): then, when the server's path is the
Config version (`servers: [{url: https://platform.segmentapis.com/v1beta}]`,
Swagger's `host:` and `basePath: /v1beta`), every key is a Config path
after that version (`/catalog/destinations:`, `/access-tokens:`)."""

from __future__ import annotations

from collections.abc import Iterator

import re

from migrator.audit.text_scan import Scan


_YAML_DOCUMENT = re.compile(r"""^["']?(?:openapi|swagger)["']?[ \t]*:[ \t]*["']?\d""", re.M)
_JSON_DOCUMENT = re.compile(r""""(?:openapi|swagger)"\s*:\s*"\d""")
"""The version that makes a document OpenAPI's (`openapi: 3.0.0`) or Swagger's (`"swagger": "2.0"`)."""
_YAML_PATHS = re.compile(r"""^["']?paths["']?[ \t]*:[ \t]*(?:#[^\n]*)?$""", re.M)
"""The top-level `paths:` of a YAML document, its map below it."""
_YAML_TOP = re.compile(r"^[^\s#]", re.M)
"""A line at the top level of a YAML document: the next key after `paths`."""
_KEY_AFTER = re.compile(r"""["']?[ \t]*:(?:\s|[{\[]|$)""")
"""What follows a path written as a key: a `:` (`/workspaces/{ws}/sources:`, `"/v1beta/...": {`)."""


def _key_start(line: str, at: int) -> bool:
    """What comes before `at` begins a key: the line's start (YAML) or `{`,
    `,` (JSON), then blanks, maybe a quote and a `/`. Read backwards from
    `at`, so a long (minified) line costs no more than a short one."""
    i = at
    if i > 0 and line[i - 1] == "/":
        i -= 1
    if i > 0 and line[i - 1] in "\"'":
        i -= 1
    while i > 0 and line[i - 1] in " \t":
        i -= 1
    return i == 0 or line[i - 1] in "{,"


OWN, CONFIG, CONFIG_VERSIONED = 0, 1, 2
"""Whose a document's paths are: its own API's; the Config API's (its server
is a Config host); the Config API's after its version (the server's path is it)."""


def openapi_route(scan: Scan, line: str, line_start: int, at: int, end: int) -> bool:
    """The path at `at:end` of `line` (at `line_start` in the text) is a key
    of the `paths` map of an OpenAPI (Swagger) document, YAML or JSON, whose
    server is no Config host."""
    return _paths_key(scan, line, line_start, at, end) == OWN


def config_version_key(scan: Scan, line: str, line_start: int, at: int, end: int) -> bool:
    """The path at `at:end` of `line` is a key of the `paths` map of a
    document whose server is a Config host and its path the Config version
    (`basePath: /v1beta`): a Config path after that version."""
    return _paths_key(scan, line, line_start, at, end) == CONFIG_VERSIONED


def _paths_key(scan: Scan, line: str, line_start: int, at: int, end: int) -> int | None:
    """Whose paths the document's are (`OWN`, `CONFIG`, `CONFIG_VERSIONED`),
    when the path at `at:end` of `line` is a key of its `paths` map; else None."""
    if not (_key_start(line, at) and _KEY_AFTER.match(line, end)):
        return None
    if scan.openapi is None:
        scan.openapi = _paths_map(scan)
    start, stop, indent, whose = scan.openapi
    if not _in_map(scan, line, line_start + at, start, stop, indent):
        return None
    return whose


def _in_map(scan: Scan, line: str, offset: int, start: int, stop: int, indent: int) -> bool:
    """The key at `offset` (on `line`) is one of the map's at `start:stop`, as indented (`_paths_map`)."""
    if not start <= offset < stop:
        return False
    if indent < 0:  # JSON: a key of the map itself (in the document's object), not of an operation below it
        from migrator.audit.folders import json_depths  # (`folders` imports `text_routes`, which imports this module)

        return json_depths(scan.text, [offset])[0] == 2
    return len(line) - len(line.lstrip(" \t")) == indent


def _paths_map(scan: Scan) -> tuple[int, int, int, int]:
    """Where the `paths` map of the file's OpenAPI document is, how far its
    keys are indented (YAML; -1 in JSON), and whose paths they are
    (`_server`); an empty span when the file is no such document."""
    none = (0, 0, -1, OWN)
    text = scan.text
    if scan.path.lower().endswith(".json"):
        if not _JSON_DOCUMENT.search(text):
            return none
        from migrator.audit.folders import json_values

        spans = json_values(text, ("paths",), 1)
        return (*spans[0], -1, _server(scan)) if spans else none
    if not _YAML_DOCUMENT.search(text):
        return none
    paths = _YAML_PATHS.search(text)
    if paths is None:
        return none
    following = _YAML_TOP.search(text, paths.end())
    stop = following.start() if following else len(text)
    first = re.search(r"^([ \t]+)[^\s#]", text[paths.end() : stop], re.M)
    return (paths.end(), stop, len(first.group(1)), _server(scan)) if first else none


def _server(scan: Scan) -> int:
    """Whose the document is: the Config API's when its server is a Config
    host (`servers: [{url: https://platform.segmentapis.com/v1beta}]`,
    Swagger's `host: platform.segmentapis.com`), after its version when the
    server's URL ends at it or Swagger's `basePath` is it (`basePath: /v1beta`)."""
    hosts = scan.catalog.hosts_pattern
    m = re.search(rf"""["']?\b(?:url|host)["']?\s*:\s*["']?(?:https?://)?(?i:{hosts})(?![\w.-])(?P<path>[^\s"',}}]*)""",
                  scan.text) if hosts else None
    if m is None:
        return OWN
    version = "/" + scan.catalog.version_start.rstrip("/")
    if m.group("path").rstrip("/") == version:
        return CONFIG_VERSIONED
    base = re.search(r"""^[ \t]*["']?basePath["']?\s*:\s*["']?([^\s"',}]*)""", scan.text, re.M)
    return CONFIG_VERSIONED if base is not None and base.group(1).rstrip("/") == version else CONFIG


_KEY_END = re.compile(r"""[^\s"':#]*(?=["']?[ \t]*:[ \t]*(?:#.*)?$)""")
"""The rest of a path written as a YAML key whose map is below it (`/workspaces/{ws}/sources:`)."""
_JSON_KEY_END = re.compile(r"""[^\s"]*(?="\s*:)""")
"""The rest of a path written as a JSON key (`"/workspaces/{ws}/sources": {`)."""
_JSON_TOKEN = re.compile(r'"(?P<name>(?:[^"\\\n]|\\.)*)"(?P<key>\s*:)?|[{}\[\]]')
"""A JSON string (a key when `:` follows it) or bracket."""
_FLOW_KEY_END = re.compile(r"""[^\s"':#]*(?=["']?[ \t]*:[ \t]*\{)""")
"""The rest of a path written as a YAML key whose map is a flow mapping on its line (`/workspaces/{ws}/sources: {get: ...}`)."""
_FLOW_TOKEN = re.compile(
    r"""(?<=[{,])[ \t]*(?P<q>["']?)(?P<name>[\w$-]+)(?P=q)[ \t]*:(?=[\s{\[])|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[{}\[\]]"""
)
"""A key of a YAML flow mapping (after its `{` or a `,`), a quoted scalar, or a bracket."""
_OPERATION = re.compile(r"(get|put|post|delete|patch|head|options|trace)[ \t]*:(?:\s|$)")
"""An operation's key in a path item (`get:`, `delete:`)."""


def operations(scan: Scan, line: str, line_start: int, at: int) -> frozenset[str]:
    """The methods of the operations of the path item whose key, in a
    document whose server is a Config host, is the path at `at` of `line`
    (`/workspaces/{ws}/sources/{src}:` then `get:`, `delete:` below it in
    YAML; `"get": {...}, "delete": {...}` in its object in JSON); none for
    any other path."""
    if scan.openapi is None:
        scan.openapi = _paths_map(scan)
    start, stop, _, whose = scan.openapi
    if whose == OWN or not start <= line_start + at < stop:
        return frozenset()  # (most files: no Config document's `paths`, at once)
    name = scan.path.lower()
    if name.endswith(".json"):
        key = _JSON_KEY_END.match(line, at)
        if key is None or _paths_key(scan, line, line_start, at, key.end()) not in (CONFIG, CONFIG_VERSIONED):
            return frozenset()
        return _json_operations(scan.text, line_start + key.end())
    if not name.endswith((".yaml", ".yml")):
        return frozenset()
    key = _KEY_END.match(line, at)
    if key is None and (flow := _FLOW_KEY_END.match(line, at)) is not None:
        if _paths_key(scan, line, line_start, at, flow.end()) not in (CONFIG, CONFIG_VERSIONED):
            return frozenset()
        return _flow_operations(line, line.index("{", flow.end()))
    if key is None or _paths_key(scan, line, line_start, at, key.end()) not in (CONFIG, CONFIG_VERSIONED):
        return frozenset()
    text, indent, found = scan.text, len(line) - len(line.lstrip(" \t")), set()
    inner = -1  # the indentation of the path item's keys, its first's
    start = line_start + len(line) + 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        below = text[start:end]
        code = below.lstrip(" \t")
        if code and not code.startswith("#"):
            depth = len(below) - len(code)
            if depth <= indent:
                break  # the next path, or the end of `paths`
            inner = depth if inner < 0 else inner
            operation = _OPERATION.match(code) if depth == inner else None
            if operation is not None:
                found.add(operation.group(1).upper())
        start = end + 1
    return frozenset(found)


def _flow_operations(line: str, opened: int) -> frozenset[str]:
    """The operations' keys of the YAML flow mapping opening at `opened`
    (`{get: {...}, delete: {...}}`), at its own level only; none when it
    does not close on the line (read no further: every method)."""
    found, closed = _top_operations(_FLOW_TOKEN.finditer(line, opened), "name")
    return found if closed else frozenset()


def _json_operations(text: str, after: int) -> frozenset[str]:
    """The operations' keys of the JSON object that is the value of the key
    ending at `after` (its `"` and `:` next), at its own level only."""
    opened = text.find("{", after)
    if opened < 0 or text[after:opened].strip(' \t\r\n":'):
        return frozenset()  # no object: `"$ref"`-like values, or a malformed document
    return _top_operations(_JSON_TOKEN.finditer(text, opened), "key")[0]


def _top_operations(tokens: Iterator[re.Match[str]], key: str) -> tuple[frozenset[str], bool]:
    """The operations named by the keys (`key`: the group a key token sets)
    of the mapping the first token opens, at its own level; whether it closes."""
    found, depth = set(), 0
    for m in tokens:
        token = m.group()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            if depth == 0:
                return frozenset(found), True
        elif depth == 1 and m.group(key) is not None and _OPERATION.fullmatch(m.group("name") + ":"):
            found.add(m.group("name").upper())
    return frozenset(found), False


_VERSION_KEY = re.compile(r"""(?:^|[{,])[ \t]*["']?version["']?[ \t]*:[ \t]*["']?\Z""", re.M)
"""A `version` key right before a value (`  version: `, `"version": "`)."""
_DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
_KEY_WINDOW = 256
"""How far before a value its `version` key, with the line's indentation, is looked for."""


def document_version(scan: Scan, at: int) -> bool:
    """The text at `at` is the value of a `version` key of an OpenAPI
    (Swagger) document: `info.version`, the document's own version
    (`version: v1beta`), not a path's prefix."""
    if not scan.path.lower().endswith(_DOCUMENT_SUFFIXES):
        return False
    # the key is right before the value: a window, not the whole line (a minified one is long)
    line_start = scan.text.rfind("\n", max(0, at - _KEY_WINDOW), at) + 1
    if not _VERSION_KEY.search(scan.text, max(line_start, at - _KEY_WINDOW), at):
        return False
    document = _JSON_DOCUMENT if scan.path.lower().endswith(".json") else _YAML_DOCUMENT
    return document.search(scan.text) is not None
