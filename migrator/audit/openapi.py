"""An OpenAPI (Swagger) document's own routes: the keys of its `paths` map
are paths its API serves, not calls (`paths: {/workspaces/{ws}/sources: ...}`),
unless its server is a Config host (a copy of the Config API's document,
which a client is generated from)."""

from __future__ import annotations

import re

from migrator.audit.folders import json_depths, json_values
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


def openapi_route(scan: Scan, line: str, line_start: int, at: int, end: int) -> bool:
    """The path at `at:end` of `line` (at `line_start` in the text) is a key
    of the `paths` map of an OpenAPI (Swagger) document, YAML or JSON, whose
    server is no Config host."""
    if not (_key_start(line, at) and _KEY_AFTER.match(line, end)):
        return False
    if scan.openapi is None:
        scan.openapi = _paths_map(scan)
    start, stop, indent = scan.openapi
    offset = line_start + at
    if not start <= offset < stop:
        return False
    if indent < 0:  # JSON: a key of the map itself (in the document's object), not of an operation below it
        return json_depths(scan.text, [offset])[0] == 2
    return len(line) - len(line.lstrip(" \t")) == indent


def _paths_map(scan: Scan) -> tuple[int, int, int]:
    """Where the `paths` map of the file's OpenAPI document is, and how far
    its keys are indented (YAML; -1 in JSON); an empty span when the file is
    no such document or its server is a Config host."""
    none = (0, 0, -1)
    text = scan.text
    if scan.path.lower().endswith(".json"):
        if not _JSON_DOCUMENT.search(text) or _config_server(scan):
            return none
        spans = json_values(text, ("paths",), 1)
        return (*spans[0], -1) if spans else none
    if not _YAML_DOCUMENT.search(text) or _config_server(scan):
        return none
    paths = _YAML_PATHS.search(text)
    if paths is None:
        return none
    following = _YAML_TOP.search(text, paths.end())
    stop = following.start() if following else len(text)
    first = re.search(r"^([ \t]+)[^\s#]", text[paths.end() : stop], re.M)
    return (paths.end(), stop, len(first.group(1))) if first else none


def _config_server(scan: Scan) -> bool:
    """The document's server is a Config host (`servers: [{url: https://platform.segmentapis.com/v1beta}]`,
    Swagger's `host: platform.segmentapis.com`): the Config API's own document."""
    hosts = scan.catalog.hosts_pattern
    return bool(hosts) and re.search(
        rf"""["']?\b(?:url|host)["']?\s*:\s*["']?(?:https?://)?(?i:{hosts})(?![\w.-])""", scan.text) is not None



_VERSION_KEY = re.compile(r"""(?:^|[{,])[ \t]*["']?version["']?[ \t]*:[ \t]*["']?\Z""", re.M)
"""A `version` key right before a value (`  version: `, `"version": "`)."""


def document_version(scan: Scan, at: int) -> bool:
    """The text at `at` is the value of a `version` key of an OpenAPI
    (Swagger) document: `info.version`, the document's own version
    (`version: v1beta`), not a path's prefix."""
    line_start = scan.text.rfind("\n", 0, at) + 1
    if not _VERSION_KEY.search(scan.text, line_start, at):
        return False
    document = _JSON_DOCUMENT if scan.path.lower().endswith(".json") else _YAML_DOCUMENT
    return document.search(scan.text) is not None
