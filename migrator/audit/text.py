"""The text scanner: findings in a file of any type.

Three tiers; a later one never reports text an earlier one covers:
1. strong: the Config host, `v1beta/` paths that match an endpoint row, and
   Config resource paths (`workspaces/x/sources/...`); these give the file an
   *API context*;
2. weak, kept only in an API context: bare workspace names (`workspaces/x`)
   and pattern rows with `context = true`, such as path pieces;
3. Config-only field and parameter names (`display_name`, `page_token`,
   `update_mask`), also only in an API context.
"""

from __future__ import annotations

import bisect
import re
import string
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

from migrator.audit.bound import OtherApis
from migrator.audit.model import Finding, Kind, Severity
from migrator.audit.notebook import cell_spans, is_notebook
from migrator.audit.paths import curl_method, method_before, method_on, read_path, segments
from migrator.audit.table import Catalog, Name, Route, host_name, row_severity
from migrator.audit.terraform import block_bodies, is_terraform, own_names, within
from migrator.imports import language
from migrator.markers import MARKER
from migrator.ruleset.models import HTTP_METHODS
from migrator.ruleset.templates import Template

_SEVERITY_RANK = {"note": 0, "warning": 1, "error": 2}
COUNTED = 16
"""Offsets `Lines.locate` finds by counting line breaks; past them, it
indexes the lines once (a file of thousands of findings is not quadratic)."""


class Lines:
    """Offsets ↔ (line, column) for one text, computed on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None
        self._counted = 0
        self._last = (1, 0)
        """The bounds found last: the hits of a long line share them."""

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based line and column."""
        if self._starts is None:
            self._counted += 1
            if self._counted <= COUNTED:
                line = self.text.count("\n", 0, offset) + 1
                return line, offset - self.text.rfind("\n", 0, offset)
            self._starts = list(accumulate((len(s) + 1 for s in self._split()), initial=0))
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line(self, number: int) -> str:
        lines = self._split()
        if not 1 <= number <= len(lines):
            return ""
        return lines[number - 1].rstrip("\r")

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def bounds(self, offset: int) -> tuple[int, int]:
        """Where the line holding `offset` starts and ends."""
        if self._last[0] <= offset <= self._last[1]:
            return self._last
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        self._last = (start, len(self.text) if end < 0 else end)
        return self._last


@dataclass
class _Hit:
    start: int
    end: int
    rule: str
    severity: Severity
    message: str
    kind: Kind
    strong: bool = True
    bare: bool = False
    """A path with nothing before it (`session.get("/workspaces/...")`): in a
    file whose other workspace paths are another API's, theirs too."""
    key: str = ""
    """For a resource name, the key whose value it is when that key holds
    another resource's name (`"parent": "workspaces/acme"`, `Catalog.references`):
    not a sign of whose the fields around it are."""


@dataclass(frozen=True)
class _Base:
    """The URL a file assigns to a variable a path is joined to."""

    host: str
    versioned: bool
    """Its path ends at the Config API version (`https://proxy.internal/v1beta`):
    the Config paths joined to it are whole (`v1beta/workspaces/...`)."""
    start: int
    end: int
    """Where the URL is."""


@dataclass
class _Scan:
    path: str
    text: str
    catalog: Catalog
    lines: Lines
    found: dict[str, list[int]]
    """Needle of the catalog → where it starts in `text`."""
    hits: list[_Hit] = field(default_factory=list)
    bases: dict[str, _Base | None] = field(default_factory=dict)
    """Variable → the URL the file assigns it, for `_other_api`."""
    after_base: Mapping[int, str] = field(default_factory=dict)
    """Where a path a joiner builds starts right after a base → the base's
    name (`File.join(PROXY, "workspaces", ...)`, `joined_lists.joined_paths`)."""
    proxies: set[tuple[int, int]] = field(default_factory=set)
    """Where the URLs of proxies of the Config API are (`_Base.versioned`,
    Config paths joined to them): their `v1beta` is those paths' prefix."""
    proxy_hosts: set[str] = field(default_factory=set)
    """The hosts outside Segment's domain the file sends Config paths to
    (`v1beta/workspaces/...`): proxies of the Config API, not other APIs."""
    other_lines: dict[int, bool] = field(default_factory=dict)
    """Line start → whether its URLs are all other APIs', for `_line_of_other_apis`."""
    config_text: Callable[[int, int], bool] | None = None
    """`_config_within`, once the strong hits are found (`_config_text`)."""
    urls: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Where a URL's host starts → where the URL ends and its host, for `_other_api`."""
    other_workspaces: bool = False
    """The file joins workspace paths to another API's host (`f"{CLOCKIFY}/workspaces/{w}/users"`)."""
    resources: list[tuple[int, frozenset[str]]] | None = None
    """Where the text shows which resources its field names belong to (`_resource_signs`)."""
    cells: list[tuple[int, int]] | None = None
    """In a notebook, where each cell's source starts and ends (`cell_spans`)."""
    own: list[tuple[int, int]] | None = None
    """In Terraform, where the text names its own blocks and values (`own_names`)."""
    blocks: list[tuple[int, int]] | None = None
    """In Terraform, where the bodies of its blocks are (`block_bodies`)."""
    logical: tuple[int, str] = (-1, "")
    pathlib: bool | None = None
    """Whether the file imports `pathlib` (`_joined_to_path`)."""
    paths: dict[str, bool] = field(default_factory=dict)
    """Name → whether the file binds it to a `pathlib` path only (`_bound_to_path`)."""
    """The last line `_logical_line` gave, by its start: the hits of a long line share it."""
    folders: list[tuple[int, int]] | None = None
    """In a settings file, where the values holding folders are (`_in_folder_value`)."""
    cleared: list[tuple[int, int]] = field(default_factory=list)
    """Where Config path shapes are no call (a route the file's own server
    serves, a file path): no pattern is found in them."""
    _spans: list[tuple[int, int]] = field(default_factory=list)
    """The hits' and routes' spans, sorted: they never overlap, so one bisection finds
    the only one that may overlap a new span (a file of thousands of Config
    names is not quadratic)."""

    def other_api(self, netloc: str) -> bool:
        """`Catalog.other_api`, save for the file's proxies of the Config API."""
        return host_name(netloc) not in self.proxy_hosts and self.catalog.other_api(netloc)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._spans, (end, end))  # the spans starting before `end`...
        return i > 0 and self._spans[i - 1][1] > start  # ...the last of which may reach past `start`

    def add(self, hit: _Hit) -> None:
        if hit.end > hit.start and not self.overlaps(hit.start, hit.end):
            self.hits.append(hit)
            bisect.insort(self._spans, (hit.start, hit.end))

    def clear(self, start: int, end: int) -> None:
        """A path shape that is no call: its path pieces are no finding."""
        if end > start and not self.overlaps(start, end):
            self.cleared.append((start, end))
            bisect.insort(self._spans, (start, end))

    def keep(self, hits: list[_Hit]) -> None:
        """Only these hits (taken from `hits`)."""
        self.hits = hits
        self._spans = sorted([*((h.start, h.end) for h in hits), *self.cleared])


def scan_text_in_context(
    path: str, text: str, catalog: Catalog, lines: Lines | None = None, after_base: Mapping[int, str] | None = None,
) -> tuple[list[Finding], bool]:
    """The findings, and whether the file has an API context (it uses the
    Config API); `after_base`: the paths joiners build after a base (`_Scan.after_base`)."""
    assert catalog.occurrences is not None
    scan = _Scan(path, text, catalog, lines or Lines(text), fold_hosts(text, catalog, catalog.occurrences(text)),
                 after_base=after_base or {})
    # First the markers `migrator rewrite` left: the Config paths they quote are theirs.
    _patterns(scan, False, markers=True)
    markers = list(scan.hits)
    _strong(scan)
    if scan.other_workspaces and not any(h.strong and not h.bare for h in scan.hits if h.kind != "marker"):
        scan.keep([h for h in scan.hits if not h.bare])  # no Config host or path of its own: the bare ones are that API's
    context = any(h.strong and h.kind != "marker" for h in scan.hits)
    if not context:
        scan.keep(markers)  # weak hits alone do not make a finding
    _patterns(scan, context, markers=False)
    if context:
        _references(scan)
        _words(scan)
    return _findings(path, scan), context


def fold_hosts(text: str, catalog: Catalog, found: dict[str, list[int]]) -> dict[str, list[int]]:
    """`found`, with the Config hosts written in mixed case (`Platform.SegmentAPIs.com`:
    host names are case-insensitive) found where the lowercase ones would be."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lowercase to two (`İ`): offsets would shift
        lowered = "".join(c if c.isascii() else "?" for c in text).lower()
    for name in catalog.host_names:
        if name not in lowered:
            continue
        known = {*found.get(name, ()), *found.get(name.upper(), ())}
        at = lowered.find(name)
        while at >= 0:
            if at not in known:
                found.setdefault(name, []).append(at)
            at = lowered.find(name, at + 1)
        if name in found:
            found[name].sort()
    return found


def _strong(scan: _Scan) -> None:
    text = scan.text
    # at one offset, the longer start first: `workspaces/` reads its path, `workspaces` only the list's
    found = sorted((at, -len(needle), needle) for needle in scan.catalog.starts for at in scan.found.get(needle, ()))
    pos = 0
    for start, _, token in found:
        if start < pos:
            continue
        if token == scan.catalog.names_start:
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-") and not _after_printf(text, start):
                continue
            pos = _workspace_path(scan, start)
        elif token == scan.catalog.version_start:
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-."):
                continue
            begin = start - 1 if start > 0 and text[start - 1] == "/" else start
            pos = max(start + len(token), _api_path(scan, begin, start + len(token)))
        elif token in scan.catalog.based_starts:
            if start > 0 and text[start - 1] not in "/\"'`}" and not _after_printf(text, start):
                continue
            pos = _based_path(scan, start)
        else:
            pos = _host(scan, start)


def _after_printf(text: str, start: int) -> bool:
    """`%sworkspaces/...`: a base URL ending with `/` is filled in before the path."""
    return text.endswith(("%s", "%v"), 0, start) and not text.endswith("%%", 0, start - 1)


def _words(scan: _Scan) -> None:
    """Config-only names, whole words only; in code, not where they name the
    code's own functions, classes, parameters or variables (a notebook's
    cells are code)."""
    text = scan.text
    lang = language(scan.path)
    code, js = lang is not None or is_notebook(scan.path), lang == "js"
    others = OtherApis(text, scan.path, scan.other_api, _config_text(scan)) if lang == "python" else None
    for word, meaning in scan.catalog.words.items():
        for at in scan.found.get(word, ()):
            end = at + len(word)
            if at > 0 and _is_word_char(text[at - 1]):
                continue
            if end < len(text) and _is_word_char(text[end]):
                continue
            if code and _names_code(text, at, end, js) or _own_name(scan, at):
                continue
            if _line_of_other_apis(scan, at):
                continue  # Google's `page_token` on the line of a call to Google
            if others is not None and others.field(at):
                continue  # `me["profile"]["display_name"]`, `me` bound from a call to Slack; a key sent to Google
            rule, message = meaning.rule, meaning.message
            if meaning.by_resource:  # `display_name` of a source, of a function...
                whose = _resource_before(scan, at, meaning.by_resource.keys())
                if whose is not None:
                    rule, message = meaning.by_resource[whose]
            scan.add(_Hit(at, end, rule, meaning.severity, message, "field"))


def _config_within(scan: _Scan) -> Callable[[int, int], bool]:
    """Whether the scan found Config text (a host, a path, a resource name)
    between two offsets: a call or value naming it is the Config API's."""
    spans = sorted((h.start, h.end) for h in scan.hits if h.strong and h.kind in ("host", "endpoint", "name"))
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # the furthest end of the spans up to each

    def found(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # the spans starting before `end`: one may reach past `start`
        return i > 0 and reach[i - 1] > start

    return found


def _own_name(scan: _Scan, at: int) -> bool:
    """`at` is in a name Terraform code gives its own block or value
    (`variable "page_size"`, `data.http.tracking_plans`)."""
    if not is_terraform(scan.path):
        return False
    if scan.own is None:
        scan.own = own_names(scan.text, scan.path)
    return within(scan.own, at)


RESOURCE_LINES = 20
"""How many lines above a field name the resource it belongs to is looked for
(in a Terraform block, all of the block's lines above it too)."""


def _resource_before(scan: _Scan, at: int, rows: Iterable[str]) -> str | None:
    """Which of the resource `rows` a field name at `at` belongs to: the one
    the nearest sign of resources within `RESOURCE_LINES` lines above, or in
    its Terraform block, names (a Config resource name, a key that wraps
    resources, a type named after such a key, a Config path whose call holds
    them); when it names several
    (`"sources": [` of sources and catalog sources), the signs above it
    narrow them down."""
    if scan.resources is None:
        scan.resources = _resource_signs(scan)
    every = set(rows)
    whose = every
    block = _block_start(scan, at)
    i = bisect.bisect_left(scan.resources, (at,))
    while i > 0 and len(whose) > 1:
        i -= 1
        where, named = scan.resources[i]
        if where < block and scan.text.count("\n", where, at) > RESOURCE_LINES:
            break
        if whose & named:
            whose = whose & named
        elif whose is every:
            return None  # the nearest sign is of another resource (a regulation's path)
    return next(iter(whose)) if len(whose) == 1 else None


def _resource_signs(scan: _Scan) -> list[tuple[int, frozenset[str]]]:
    """Where the text shows resources, and the rows of those it may be, in
    order; keys are looked for only where a shared field name may need them."""
    catalog = scan.catalog
    shared = [at for word, meaning in catalog.words.items() if meaning.by_resource for at in scan.found.get(word, ())]
    shared += [h.start for h in scan.hits if h.key]
    first = min(shared, default=0)
    lo, hi = min(_lines_above(scan.text, first, RESOURCE_LINES), _block_start(scan, first)), max(shared, default=0)
    signs = [(h.start, frozenset([h.rule])) for h in scan.hits if h.kind == "name" and not h.key]
    signs += [(h.start, catalog.endpoint_resources[h.rule]) for h in scan.hits
              if h.kind == "endpoint" and h.rule in catalog.endpoint_resources]
    for key, (rows, _) in catalog.resource_keys.items():  # a Config list key (`body.tracking_plans`)
        signs += [(at, rows) for at in scan.found.get(key, ()) if key in catalog.words and not _own_name(scan, at)]
    if catalog.wrapper_keys is not None and not is_notebook(scan.path):  # (a notebook's cells are `"source": [`)
        for m in catalog.wrapper_keys.finditer(scan.text, lo, hi):
            rows, bracket = catalog.resource_keys[m.group("key")]
            if (m.group("subscript") or m.group("open") == bracket) and not _own_name(scan, m.start("key")):
                signs.append((m.start(), rows))  # (not a Terraform block's label, `data "http" "sources" {`)
    if catalog.yaml_wrapper_keys is not None and scan.path.lower().endswith((".yaml", ".yml")):
        signs += [(m.start(), catalog.resource_keys[m.group("key")][0])
                  for m in catalog.yaml_wrapper_keys.finditer(scan.text, lo, hi)]
    if catalog.type_names is not None and language(scan.path) is not None:
        for m in catalog.type_names.finditer(scan.text, lo, hi):  # the fields of `type Source struct {`
            signs.append((m.start(), catalog.resource_keys[catalog.type_keys[m.group("type") or m.group("class")]][0]))
    signs.sort(key=lambda sign: sign[0])
    return signs


def _block_start(scan: _Scan, at: int) -> int:
    """Where the body of the Terraform block holding `at` starts (`block_bodies`); else `at`."""
    if not is_terraform(scan.path):
        return at
    if scan.blocks is None:
        scan.blocks = block_bodies(scan.text, scan.path)
    i = bisect.bisect_right(scan.blocks, (at, sys.maxsize))
    return scan.blocks[i - 1][0] if i > 0 and at < scan.blocks[i - 1][1] else at


def _lines_above(text: str, at: int, count: int) -> int:
    """Where the line `count` lines above the one holding `at` starts."""
    start = text.rfind("\n", 0, at) + 1
    for _ in range(count):
        if start <= 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return start


_DEFINING = re.compile(r"(?:^|[^\w.])(?:def|class|function|func|const|let|var|async)[ \t]+$")
_SIGNATURE = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|function|func)[ \t]")
DESTRUCTURED = re.compile(r"[\w$ \t\r\n,:?]*\}\s*(?:=(?![=>])|of\b)")
"""The rest of an object pattern: `display_name, write_keys } = s`, `} of list`."""


def _after_colon(text: str, end: int) -> str:
    """What follows the colon after `end` on its line, comments aside."""
    colon = text.index(":", end)
    line_end = text.find("\n", colon)
    tail = text[colon + 1 : len(text) if line_end < 0 else line_end]
    return tail.split("#", 1)[0].split("//", 1)[0].strip()


def _line_tail(text: str, end: int) -> str:
    line_end = text.find("\n", end)
    tail = text[end : len(text) if line_end < 0 else line_end]
    return tail.split("#", 1)[0].rstrip()


LOOK_UP = 30
"""Lines looked at above an argument for the line that opens its brackets."""


def _opened_by_signature(text: str, line_start: int) -> bool:
    """The line above that opens the brackets this line sits in (less
    indented, ending with `(`) defines a function."""
    indent = len(text[line_start:]) - len(text[line_start:].lstrip(" \t"))
    end = line_start - 1
    for _ in range(LOOK_UP):
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        stripped = line.split("#", 1)[0].rstrip()
        if stripped and len(line) - len(line.lstrip(" \t")) < indent:
            return stripped.endswith("(") and _SIGNATURE.match(line) is not None
        end = start - 1
    return False


def _names_code(text: str, at: int, end: int, js: bool = False) -> bool:
    """A bare identifier of the code itself (a variable, a function or class,
    a parameter), not a key: keys are quoted (`"page_token"`), attributes
    (`.display_name`), symbols (`:name`), query parameters (`?page_size=`),
    keys followed by `:` or `=` (`{page_size: 50}`, `dict(page_size=50)`,
    `display_name: str`) or destructured (`const {display_name} = s`)."""
    before = text[at - 1] if at > 0 else "\n"
    if before in "\"'`.:?&/":
        return False
    rest = text[end : end + 3].lstrip(" \t")
    if rest.startswith(("==", ":=")):
        return True
    line_start = text.rfind("\n", 0, at) + 1
    head = text[line_start:at]
    if rest.startswith(("=", ":", "?:")):
        if rest[0] == "=" and not head.strip():
            # alone on its line: a variable assigned, or an argument of a call
            # or a signature spread over lines (`page_size=100,`)
            if not _line_tail(text, end).endswith((",", "(")):
                return True
            return _opened_by_signature(text, line_start)
        if rest[0] == ":" and not _after_colon(text, end):
            return True  # the end of `if page_token:`
        return bool(_DEFINING.search(head) or _SIGNATURE.match(head))  # `const x =`, a parameter
    if before in "{, \t" and DESTRUCTURED.match(text, end):
        return False
    if js and rest[:1] in (",", "}") and _innermost_bracket(text, at) == "{" and not _DEFINING.search(head):
        return False  # a shorthand key of an object literal: `{ display_name, write_keys }`
    return True


def _innermost_bracket(text: str, at: int, limit: int = 200) -> str | None:
    """The bracket `at` sits in, looking back at most `limit` characters
    (strings are not skipped: an approximation, used for JavaScript keys)."""
    depth = 0
    for i in range(at - 1, max(at - limit, 0) - 1, -1):
        ch = text[i]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth == 0:
                return ch
            depth -= 1
    return None


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _host(scan: _Scan, netloc_start: int) -> int:
    text = scan.text
    if not _whole_host(text, netloc_start, scan.catalog.host_names):
        return netloc_start + 1
    line_start, _ = scan.lines.bounds(netloc_start)
    for host in scan.catalog.hosts:
        # The host regex allows a scheme before the netloc: try from there.
        for begin in (netloc_start - 8, netloc_start - 7, netloc_start - 6, netloc_start - 2, netloc_start):
            if begin < line_start:
                continue
            m = host.regex.match(text, begin)
            if m and m.end() > netloc_start:
                scan.add(_Hit(m.start(), m.end(), host.rule, "warning", host.message, "host"))
                end = m.end()
                if text.endswith(scan.catalog.version_start[:-1], 0, end) and text.startswith("/", end):
                    return max(end + 1, _api_path(scan, end, end + 1))
                return end
    return netloc_start + 1


def _whole_host(text: str, at: int, names: tuple[str, ...]) -> bool:
    """The Config host's name at `at` is a whole host name: not part of
    `notplatform.segmentapis.com` nor of `platform.segmentapis.com.evil.example`
    (a dot ending a sentence is no label)."""
    if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "._-"):
        return False
    name = next((n for n in names if text[at : at + len(n)].lower() == n), None)
    if name is None:
        return True
    after = text[at + len(name) : at + len(name) + 2]
    if after[:1].isalnum() or after[:1] in "_-":
        return False
    return not (after[:1] == "." and (after[1:].isalnum() or after[1:] in "_-"))


def _api_path(scan: _Scan, begin: int, path_start: int) -> int:
    """A path after `v1beta/`; a finding when it matches an endpoint row."""
    line_start, line_end = scan.lines.bounds(path_start)
    line = _logical_line(scan, line_start, line_end)
    raw, end = read_path(line, path_start - line_start)
    segs = segments(raw)[: scan.catalog.longest + 1]
    routes, _ = _match_routes(scan.catalog, segs)
    if routes and _served(scan, line[max(0, begin - line_start - NEAR) : begin - line_start]):
        scan.clear(begin, line_start + end)
        return line_start + end  # a route the file's own server serves: `@app.get("/v1beta/workspaces/{ws}/sources")`
    if routes:
        host = _url_host(scan, begin)
        other = host is not None and scan.catalog.other_api(host)
        if other and segs[0] not in scan.catalog.path_heads:
            return line_start + end  # on another host, only a path a Config head starts: not `v1beta/{install+}/token`
        rule, severity, message = _route_on(scan, routes, line, line_start, begin)
        scan.add(_Hit(begin, line_start + end, rule, severity, message, "endpoint"))
        if other:
            scan.proxy_hosts.add(host_name(host))  # `https://segment-proxy.internal/v1beta/workspaces/...`
    return line_start + end


def _based_path(scan: _Scan, start: int) -> int:
    """A Config path outside workspaces (`catalog/destinations`) right after a
    base the file assigns a URL ending at the Config version, on any host
    (`${PROXY}/catalog/destinations`, `PROXY = "https://segment-proxy.internal/v1beta"`):
    whole, as a workspace path after it is (`_other_api`); a finding when it
    matches an endpoint row. Elsewhere it is none: a catalog entry's name
    (`catalog/sources/javascript`), the Public `/catalog/sources` after its host."""
    if not _may_follow_a_base(scan.text, start):
        return start
    base = _joined_base(scan, start, RIGHT_AFTER, right_after=True)
    if base is None or not base.versioned:
        return start
    line_start, line_end = scan.lines.bounds(start)
    line = _logical_line(scan, line_start, line_end)
    raw, end = read_path(line, start - line_start)
    routes, _ = _match_routes(scan.catalog, segments(raw)[: scan.catalog.longest + 1])
    if not routes:
        return start
    rule, severity, message = _route_on(scan, routes, line, line_start, start)
    scan.add(_Hit(start, line_start + end, rule, severity, message, "endpoint"))
    if scan.catalog.other_api(base.host):
        scan.proxies.add((base.start, base.end))  # its `v1beta` is the path's prefix
        scan.proxy_hosts.add(host_name(base.host))
    return line_start + end


def _may_follow_a_base(text: str, start: int) -> bool:
    """A quick test that a base may end right before `start` (`}`, `$NAME`,
    `NAME + "`, `"%s`), before `_joined_base` (a catalog entry's name,
    `"catalog/sources/javascript"`, may occur thousands of times)."""
    end = start - 1 if text.endswith("/", 0, start) else start
    last = text[end - 1 : end]
    if last == "}" or _after_printf(text, end):
        return True
    window = text[max(0, end - RIGHT_AFTER) : end]
    if last in ("'", '"', "`"):
        return "+" in window
    return (last.isalnum() or last == "_") and "$" in window


def _logical_line(scan: _Scan, line_start: int, line_end: int) -> str:
    """The line, and when it ends inside a `${` placeholder (a template
    literal broken over lines, as Prettier writes long ones), the lines up
    to its `}`, line breaks turned into spaces (offsets stay the same)."""
    if scan.logical[0] == line_start:
        return scan.logical[1]
    text = scan.text
    line = text[line_start:line_end]
    opened = line.rfind("${")
    if opened >= 0 and "}" not in line[opened:]:
        close = text.find("}", line_end, line_end + 200)
        if close >= 0:
            end = text.find("\n", close)
            end = len(text) if end < 0 else end
            line = text[line_start:end].replace("\r", " ").replace("\n", " ")
    scan.logical = (line_start, line)
    return line


def _workspace_path(scan: _Scan, start: int) -> int:
    """`workspaces/...`: a host-less Config path, or a resource name; not in
    a URL of another API's host (written out, or a base the file assigns
    one), which has `workspaces/{id}/roles` too: a Config path on another
    host (a proxy) is reported when it keeps the `v1beta/` prefix."""
    line_start, line_end = scan.lines.bounds(start)
    line = _logical_line(scan, line_start, line_end)
    raw, end = read_path(line, start - line_start)
    stop = max(line_start + end, start + len(scan.catalog.names_start))
    segs = segments(raw)[: scan.catalog.longest + 1]  # past the longest template, a prefix matches or nothing
    if len(segs) < 2:
        return stop  # a bare `workspaces/` is a path piece (see rules/audit.toml)
    if _after_other_version(scan, start):
        return stop  # `/v1/workspaces/...`, `/api/v2/workspaces/...`: Config paths start at `/v1beta/`
    if _file_path(scan, line, start - line_start, raw) or _in_folder_value(scan, start) \
            or _joined_to_path(scan, line[max(0, start - line_start - NEAR) : start - line_start]):
        scan.clear(start, stop)
        return stop  # `open(f"backup/workspaces/{ws}/sources/{src}.json")`: an export of Config data
    routes, route_len = _match_routes(scan.catalog, segs)
    name, name_len = _match_names(scan.catalog, segs)
    if _other_api(scan, start, bool(routes) or name is not None):
        scan.other_workspaces = True
        return stop  # Postman's `/workspaces/{id}/roles`, not after the Config `v1beta/`
    before = line[max(0, start - line_start - NEAR) : start - line_start]
    if (routes or name is not None) and _served(scan, before):
        scan.clear(start, stop)
        return stop  # a route the file's own server serves: `@app.get("/workspaces/{ws}/sources")`
    bare = before.rstrip("/")[-1:] in ("'", '"', "`")
    strong = bool(routes) and template_literals(routes[0].template) >= 2
    if routes and (route_len > name_len or (route_len == name_len and _reads_as_path(line, start - line_start, strong))):
        rule, severity, message = _route_on(scan, routes, line, line_start, start)
        scan.add(_Hit(start, stop, rule, severity, message, "endpoint", strong, bare))
    elif name is not None:
        strong = template_literals(name.template) >= 2
        key = _key_before(before)
        key = key if (key, name.rule) in scan.catalog.references else ""
        scan.add(_Hit(start, stop, name.rule, "warning", name.message, "name", strong, bare, key))
    return stop


_KEY_BEFORE = re.compile(r"""(?<![\w$])["']?(?P<key>[A-Za-z_]\w*)["']?\s*(?::|=(?!=))\s*[fr]?["'`]?$""")
"""The key a value is given to, before it on its line: `"parent": "`, `parent: `, `parent="`."""


def _key_before(before: str) -> str:
    m = _KEY_BEFORE.search(before)
    return m.group("key") if m else ""


def _references(scan: _Scan) -> None:
    """A resource name held by a key of another resource (`"parent":
    "workspaces/acme"` in a source) is reported as that key, with what it
    becomes in the Public API (`workspaceId`), under the row of the resource
    whose key it is: the one the nearest sign above shows when several rows
    have the key."""
    for hit in scan.hits:
        if not hit.key:
            continue
        word = scan.catalog.references[hit.key, hit.rule]
        hit.rule, hit.message = word.rule, word.message
        if word.by_resource:
            whose = _resource_before(scan, hit.start, word.by_resource.keys())
            if whose is not None:
                hit.rule, hit.message = word.by_resource[whose]


_VERSION_BEFORE = re.compile(r"(?:^|[^\w.-])(v\d+[a-z0-9]*|\d+\.\d+)/$")
"""An API version segment, right before a path piece: `/v2/`, `/v1alpha/`, Bitbucket's `/2.0/`."""


def _after_other_version(scan: _Scan, start: int) -> bool:
    """A version segment other than the Config API's (`v1beta`) comes right
    before `start`: the path is another API's (`%s/v1/workspaces/%s/invites`)."""
    if start < 2 or scan.text[start - 1] != "/":
        return False
    m = _VERSION_BEFORE.search(scan.text, max(0, start - 24), start)
    return m is not None and m.group(1) + "/" != scan.catalog.version_start


_DECORATED = re.compile(r"""^\s*@[\w.]+\(\s*[rf]?["'`]/?$""")
"""A decorator (annotation) taking a path, before it on its line: `@app.get(`, `@router.route(`, `@GetMapping(`."""
_SERVED = re.compile(
    r"""(?:^\s*(?:get|post|put|patch|delete|match)\s+               # Rails routes, Sinatra: get "/workspaces/..."
        | (?<![\w.])(?:path|re_path|url)\(                          # Django's urlpatterns
        | \b(?:HandleFunc|Handle|add_url_rule|add_api_route)\(      # Go's net/http, Flask, FastAPI
        | \b(?:app|router|server|mux|engine)\.\w+\(                  # Express, chi, gin, echo
    )\s*[rf]?["'`]/?$""",
    re.VERBOSE,
)
"""What serves a path, before it on its line: a route of the file's own server, not a call."""


_FOLDER_BEFORE = re.compile(r"""(?:^|[\s"'`(=,])(?:\.{1,2}/|~/)?[A-Za-z_][\w-]*/(?:[\w.-]+/)*$""")
"""A relative folder that starts the word a path is in: `"backup/`, `out/`,
`./data/` (no Config path has a segment before `workspaces/` but `v1beta/`,
no host name is one: `platform.segmentapis.com/`)."""
_FILE_CALL = re.compile(
    r"""(?:(?<![\w.])(?:open|(?:Pure)?Path)\(\s*[rf]?["'][^"'\n]*         # Python's open(, Path(
        | \bos\.(?:makedirs|mkdir)\(\s*[rf]?["'][^"'\n]*                 # os.makedirs(
        | (?:^|[;&|(]|&&)\s*(?:mkdir|touch|cp|mv|rm|ls|cd|cat|tar)\s[^|;&\n]*  # a shell command's argument
    )$""",
    re.VERBOSE,
)
"""What takes a file's path, before it on its line."""
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
"""A file's extension ending a path: `{src}.json`, `destinations.csv`."""
_FOLDER_ARGUMENT = re.compile(
    r"""(?:\bworking[-_]directory["']?\s*[:=]\s*["']?       # a CI job's folder (GitHub Actions, CircleCI)
        | (?<![\w-])--workspace(?:=|\s+)["']?               # npm's and yarn's workspace folder
    )$""",
    re.VERBOSE,
)
"""What takes a folder, before it on its line (`working-directory:
workspaces/api/sources`, the folder of a monorepo's package)."""
_FOLDER_WORDS = ("working", "--workspace")
"""(`_FOLDER_ARGUMENT` needs one of them.)"""
_DOCKER_ARGUMENT = re.compile(
    r"""^\s*(?:(?:COPY|WORKDIR)\s[^\n]*
            | ADD\s(?:[^$\n]*[\s"',\[])?)$  # ADD, which downloads too: not in a URL, nor after `$BASE`
    """,
    re.VERBOSE,
)
"""A Dockerfile's instruction taking files, before a path on its line (`COPY workspaces/api/sources /app/`)."""
_PATH_CHARS = string.ascii_letters + string.digits + "_.-/*~@"
"""What a folder's literal start is made of (not a base's `$`, `}` nor a URL's `:`)."""


def _file_path(scan: _Scan, line: str, start: int, raw: str) -> bool:
    """The host-less path at `start` of `line` names a file or folder, not
    a Config path: it ends with an extension, sits under a relative folder,
    or is given to `open(`, `Path(`, `mkdir`, `COPY`, `working-directory:`."""
    if _EXTENSION.search(raw):
        return True
    before = line[max(0, start - NEAR) : start]
    return bool(_FOLDER_BEFORE.search(before) or _FILE_CALL.search(before)) or _folder_argument(scan, before)


def _folder_argument(scan: _Scan, before: str) -> bool:
    """`before` ends with what takes a folder, and maybe the start of the
    folder (`COPY . /app/`): `_FOLDER_ARGUMENT`, a Dockerfile's `_DOCKER_ARGUMENT`."""
    if any(word in before for word in _FOLDER_WORDS) and _FOLDER_ARGUMENT.search(before.rstrip(_PATH_CHARS)):
        return True
    return _dockerfile(scan.path) and _DOCKER_ARGUMENT.search(before.rstrip(_PATH_CHARS)) is not None


@lru_cache(maxsize=16)
def _dockerfile(path: str) -> bool:
    """`Dockerfile`, `Dockerfile.dev`, `api.Dockerfile`, `Containerfile`."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "dockerfile" in name or "containerfile" in name


FOLDER_KEYS = ("paths", "include", "exclude", "files", "rootDir", "rootDirs", "baseUrl", "outDir")
"""The keys of a TypeScript (JavaScript) compiler's settings whose values are files and folders."""


def _folder_keys(path: str) -> tuple[tuple[str, ...], int]:
    """The keys of the settings file at `path` whose values are folders, and
    how deep in it they are at most: `package.json`'s top-level `workspaces`
    (not a script of that name), a `tsconfig.json`'s `FOLDER_KEYS`, at its
    top or in `compilerOptions`."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name == "package.json":
        return ("workspaces",), 1
    if name.startswith(("tsconfig", "jsconfig")) and name.endswith(".json"):
        return FOLDER_KEYS, 2
    return (), 0


def _in_folder_value(scan: _Scan, at: int) -> bool:
    """`at` is in the value of a key of a settings file that holds folders
    (`"workspaces": ["workspaces/*"]` in `package.json`, a `tsconfig.json`'s
    `"paths": {"@app/*": ["workspaces/app/src/*"]}`)."""
    if scan.folders is None:
        keys, deepest = _folder_keys(scan.path)
        scan.folders = _json_values(scan.text, keys, deepest) if keys else []
    if not scan.folders:
        return False
    i = bisect.bisect_right(scan.folders, (at, len(scan.text)))
    return i > 0 and scan.folders[i - 1][1] > at


def _json_values(text: str, keys: Iterable[str], deepest: int) -> list[tuple[int, int]]:
    """Where the values of `keys` are in a JSON text (a string, an array or
    an object, whole), in order, for the keys at most `deepest` brackets
    deep; a key inside such a value is not looked at."""
    places = sorted(at for key in keys for at in _finds(text, f'"{key}"'))
    spans: list[tuple[int, int]] = []
    for at, depth in zip(places, _depths(text, places)):
        if spans and at < spans[-1][1] or depth > deepest:
            continue
        colon = text.index('"', at + 1) + 1
        while colon < len(text) and text[colon] in " \t\r\n":
            colon += 1
        if text.startswith(":", colon):
            spans.append((colon + 1, _json_value_end(text, colon + 1)))
    return spans


def _depths(text: str, places: list[int]) -> list[int]:
    """How many brackets of the JSON text are open at each of `places`
    (ascending), strings skipped: one pass."""
    out: list[int] = []
    depth = i = 0
    for target in places:
        while i < target:
            c = text[i]
            if c == '"':
                i = _string_end(text, i)
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
            i += 1
        out.append(depth)
    return out


def _finds(text: str, needle: str) -> Iterable[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _string_end(text: str, start: int) -> int:
    """Where the JSON string opened at `start` closes (its `"`), escapes
    skipped; at a line's end or the text's if it does not."""
    i = start + 1
    while i < len(text) and text[i] not in '"\n':
        i += 2 if text[i] == "\\" else 1
    return i


def _json_value_end(text: str, start: int) -> int:
    """Where the JSON value starting at `start` (after spaces) ends: its
    brackets closed, its strings skipped; a number's at the next `,`."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == '"':
            i = _string_end(text, i)
            if depth == 0:
                return i + 1
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth <= 0:
                return i + 1
        elif depth == 0 and c == ",":
            return i
        i += 1
    return len(text)


_JOINED = re.compile(
    r"""(?P<left>(?<![\w.])[A-Za-z_][\w.]*(?:\([^()\n]*\))?(?:\.\w+(?:\([^()\n]*\))?)*)  # ROOT, Path(__file__).parent
        (?:\s*/\s*(?:[rRfFbBuU]{0,2}(?:"[^"\n]*"|'[^'\n]*')|[A-Za-z_][\w.]*))*         # / "exports" / sub
        \s*/\s*[rRfFbBuU]{0,2}["']$""",
    re.VERBOSE,
)
"""A string joined with `/` to what is before it on its line: `ROOT / f"`, `Path("out") / "exports" / "`."""
_JOIN_END = re.compile(r"""/\s*[rRfFbBuU]{0,2}["']$""")
_PATHLIB = re.compile(r"^[ \t]*(?:from[ \t]+pathlib[ \t]+import|import[ \t]+pathlib)\b", re.M)
_PATH_CALL = re.compile(r"(?:pathlib\.)?(?:Pure|Posix|Windows|PurePosix|PureWindows)?Path\b")
"""A `pathlib` path: `Path(...)`, `Path.cwd()`, `pathlib.PurePosixPath(...)`."""
_URL_VALUE = re.compile(r"://|(?<![\w.])(?:\w+\.)?URL\(")
"""A value that is a URL: written out, or `yarl.URL(`, `httpx.URL(` (they join paths with `/` too)."""
BINDINGS = 3
"""How many names deep a path's binding is followed (`OUT = ROOT / "out"`, `ROOT = Path(...)`)."""


_FILE_JOIN = re.compile(
    r"""(?<![\w.$])(?:File\.join|path\.join|path\.posix\.join|posixpath\.join)\(\s*(?P<root>(?:["'][^"'\n]*["']\s*,\s*)*["'][^"'\n]*)$""")
"""A file path joiner's literal arguments before a path in one, on its line
(`File.join("/srv/mirror/`, `File.join("/srv/mirror", "`)."""


def _below_joined_root(before: str) -> bool:
    """What follows `before` is below the literal root a file path joiner
    was given first (`File.join("/srv/mirror/v1beta", ...)`): a folder; not
    at the root (`path.join("/v1beta", ...)`), nor in a URL's (`"https://host/`)."""
    m = _FILE_JOIN.search(before)
    return m is not None and "://" not in m.group("root") and bool(re.sub(r"""["'\s,/]""", "", m.group("root")))


def _in_file_path(scan: _Scan, at: int) -> bool:
    """`at` is below the root of a path given to `open(`, `Path(`, `mkdir`
    or to a file path joiner (`Path("/srv/mirror/v1beta")`,
    `File.join("/srv/mirror", "v1beta", ...)`; not `PurePosixPath("/v1beta")`),
    or anywhere in a folder given to `COPY` or held by a settings file's key
    (`"workspaces": ["workspaces/*"]`)."""
    line_start, _ = scan.lines.bounds(at)
    before = scan.text[max(line_start, at - NEAR) : at]
    if _in_folder_value(scan, at) or _folder_argument(scan, before):
        return True
    below = False
    if "open(" in before or "Path(" in before or "os." in before or _SPACE.search(before):
        m = _FILE_CALL.search(before)  # (after a quick test: the search tries every offset of the text)
        below = m is not None and bool(_last_word(before).strip("/"))
    return below or "join(" in before and _below_joined_root(before)


_SPACE = re.compile(r"\s")
"""(`_FILE_CALL` needs `open(`, `Path(`, `os.` or, after a shell command, a space.)"""


def _last_word(text: str) -> str:
    """The end of `text` after its last space or quote."""
    i = len(text)
    while i > 0 and not (text[i - 1].isspace() or text[i - 1] in "\"'`"):
        i -= 1
    return text[i:]


def _joined_to_path(scan: _Scan, before: str) -> bool:
    """The string after `before` is joined with `/` to a `pathlib` path
    (`ROOT / f"workspaces/{ws}/sources/{src}"`, `ROOT` bound to `Path(...)`):
    a file's path, in a file that imports `pathlib`. Not after a name bound
    to a URL too (`URL("https://...") / "workspaces/..."`)."""
    if not _JOIN_END.search(before):
        return False
    m = _JOINED.search(before)
    if m is None:
        return False
    if scan.pathlib is None:
        scan.pathlib = _PATHLIB.search(scan.text) is not None
    return scan.pathlib and not _url_evidence(scan, m.group()) and _path_value(scan, m["left"], BINDINGS)


def _url_evidence(scan: _Scan, value: str) -> bool:
    """`value` shows a URL, whatever type holds it: written out, a URL
    object, rooted at the Config version segment (`PurePosixPath("/v1beta")`:
    no file system root is) or a Config host."""
    if _URL_VALUE.search(value):
        return True
    version = scan.catalog.version_start.strip("/")
    if version and re.match(rf"\s*(?:{_PATH_CALL.pattern}\(\s*)?[rRbBuU]{{0,2}}[\"']/?{re.escape(version)}(?=[/\"'])", value):
        return True  # (rooted at it: `Path("/srv/mirror/v1beta")` is a folder)
    lowered = value.lower()
    return any(host in lowered for host in scan.catalog.host_names)


def _path_value(scan: _Scan, value: str, depth: int) -> bool:
    """`value` (the start of an expression) is a `pathlib` path: a call of
    `Path`, or a name the file binds only to such paths."""
    if _PATH_CALL.match(value):
        return True
    name = re.match(r"[A-Za-z_][\w.]*", value)
    if name is None or "(" in value or depth <= 0:
        return False
    if name.group() not in scan.paths:
        scan.paths[name.group()] = _bound_to_path(scan, name.group(), depth)
    return scan.paths[name.group()]


def _bound_to_path(scan: _Scan, name: str, depth: int) -> bool:
    """The file binds `name` (annotated `Path`, or assigned) only to
    `pathlib` paths (or to other names so bound), and at least once."""
    quoted = re.escape(name)
    if re.search(rf"(?<![\w.]){quoted}[ \t]*:[ \t]*{_PATH_CALL.pattern}", scan.text):
        return True  # `root: Path` (a parameter, a variable)
    values = [m.group(1).strip() for m in re.finditer(rf"(?<![\w.]){quoted}[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)", scan.text)]
    if not values or any(_url_evidence(scan, v) for v in values):
        return False
    return all(_path_value(scan, v.split("/", 1)[0].strip(), depth - 1) for v in values)


def _served(scan: _Scan, before: str) -> bool:
    """What is `before` a path on its line serves it (a route of the file's own server)."""
    return bool(_SERVED.search(before) or (
        _DECORATED.search(before) and language(scan.path) != "ruby"))  # (Ruby's `@conn.get(`: a call)


_URL_KEY = re.compile(
    r"""(?:(?:url|uri|path|endpoint)["']?\s*[:=]           # url: `...`, "path": "...", request_uri =
        | [.:](?:get|post|put|patch|delete)(?:Async)?(?:\s*\(|[ \t]+(?=["'`]$))  # client.delete("..."), C#'s DeleteAsync(, Ruby's conn.delete "
        | \bfetch\s*\(
    )\s*\$?["'`]?$""",                                     # C#'s $"..."
    re.VERBOSE | re.IGNORECASE,
)
"""What a path is given to: a URL key, an HTTP method's call, `fetch`."""


_JOINED_QUOTE = re.compile(r"[+.]\s*(?:[rRbBfFuU]{1,2})?[\"'`]\Z")
"""A quote opening a string joined to what is before it: `BASE + "`, Python's `BASE + f"`."""


def _reads_as_path(line: str, start: int, whole: bool) -> bool:
    """After `/`, `{BASE}`, `$BASE` or `BASE + "` (`+ f"`), a path; after a bare quote,
    a resource name, unless a URL key or an HTTP call takes it (`url:
    "workspaces/{w}/sources/{s}"`, `.delete("workspaces/...")`) and it is
    `whole`, a path of two literal segments (`workspaces/x` alone is as
    often the prefix of paths built later)."""
    before = line[max(0, start - NEAR) : start].rstrip()  # (a minified line: what is near)
    if not before:
        return False
    if whole and _URL_KEY.search(before, max(0, len(before) - NEAR)):
        return True
    if before[-1] in "'\"`":
        return _JOINED_QUOTE.search(before) is not None
    return before[-1] not in "(=:,["


def _match_routes(catalog: Catalog, segs: list[str]) -> tuple[list[Route], int]:
    """Routes of the longest prefix of `segs` that matches any, most specific
    first, and the length of that prefix. A prefix shorter than the path only
    counts when its template has two literal segments
    (`workspaces/{w}/sources/{s}/...`), so that `workspaces/prod/vars` of
    another API is not taken for a Config path."""
    for k in range(len(segs), 0, -1):
        routes = catalog.routes_for("/" + "/".join(segs[:k]))
        if k < len(segs):
            routes = tuple(r for r in routes if template_literals(r.template) >= 2)
        if routes:
            best = routes[0].template.literal_length
            return [r for r in routes if r.template.literal_length == best], k
    return [], 0


def _match_names(catalog: Catalog, segs: list[str]) -> tuple[Name | None, int]:
    for k in range(len(segs), 1, -1):
        path = "/" + "/".join(segs[:k])
        for name in catalog.names:
            if k < len(segs) and template_literals(name.template) < 2:
                continue
            if name.template.match(path) is not None:
                return name, k
    return None, 0


def template_literals(template: Template) -> int:
    """Literal segments of a template: 2 for `/workspaces/{w}/sources`."""
    return sum(1 for seg in template.text.split("/") if seg and "{" not in seg)


STRUCTURED = (".json", ".yaml", ".yml")
"""Files whose requests give their method a few keys before the URL (Postman
items, YAML connectors): the method is looked for further up."""


def _look_back(path: str) -> int:
    return 10 if path.lower().endswith(STRUCTURED) else 2


CONTINUED = 30
"""Lines after a line ending with `\\` that are read as the rest of its command."""


def _lines_continuing(scan: _Scan, line_end: int) -> list[str]:
    """The lines that continue a shell command whose line ends at `line_end`."""
    text = scan.text
    out: list[str] = []
    while len(out) < CONTINUED and line_end < len(text) and _ends_with_backslash(text, line_end):
        start = line_end + 1
        end = text.find("\n", start)
        line_end = len(text) if end < 0 else end
        out.append(text[start:line_end])
    return out


def _ends_with_backslash(text: str, line_end: int) -> bool:
    at = line_end
    while at > 0 and text[at - 1] in " \t\r":
        at -= 1
    return at > 0 and text[at - 1] == "\\"


NEAR = 400
"""Characters of a line before a path where the base it is joined to, or
the key or call that takes it, is looked for."""
CALL = 4000
"""Characters of a line, each side of a path, where its method is looked
for: all of a line of code, a `curl` command with a token written out; not
a minified file's line of 100 KB (another call's method, and a search of
the whole line for each path)."""


def _route_on(
    scan: _Scan, routes: list[Route], line: str, line_start: int, at: int,
) -> tuple[str, Severity, str]:
    """`_choose` for the path at `at` on the (logical) line that starts at
    `line_start` (`CALL` characters around it), with the lines before it
    and those that continue it."""
    cell_start, cell_end = _cell(scan, at)  # a notebook's cell: the method is its code's
    cut = max(0, at - line_start - CALL, cell_start - line_start)
    stop = min(at - line_start + CALL, cell_end - line_start)
    structured = scan.path.lower().endswith(STRUCTURED)
    item = structured and line.lstrip().startswith("- ")  # a YAML item the path starts: nothing above is its
    before = _lines_before(scan, line_start, _look_back(scan.path)) if not cut and not item else ""
    before = before[max(0, len(before) - (line_start - cell_start)) :]
    after = _lines_continuing(scan, line_start + len(line)) if cell_end >= line_start + len(line) else []
    version = scan.catalog.version_start.rstrip("/")
    rule, severity, message, method = _choose(routes, line[cut:stop], before, after, version,
                                              structured, at=at - line_start - cut)
    if method is None and structured:
        # a YAML connector's item gives its method below its path (`path: ...` then `method: DELETE`)
        below = _lines_after(scan, line_start + len(line), _look_back(scan.path))
        rule, severity, message, _ = _choose(routes, line[cut:stop], "", [], version, structured,
                                             below=below, names=scan.catalog.names_start)
    return rule, severity, message


def _cell(scan: _Scan, at: int) -> tuple[int, int]:
    """The bounds of the notebook cell's source holding `at`; the whole text
    in other files."""
    if not is_notebook(scan.path):
        return 0, len(scan.text)
    if scan.cells is None:
        scan.cells = cell_spans(scan.text)
    i = bisect.bisect_right(scan.cells, (at, len(scan.text)))
    if i and scan.cells[i - 1][1] > at:
        return scan.cells[i - 1]
    return 0, len(scan.text)


def _lines_after(scan: _Scan, line_end: int, count: int) -> list[str]:
    text = scan.text
    out: list[str] = []
    while len(out) < count and line_end < len(text):
        end = text.find("\n", line_end + 1)
        end = len(text) if end < 0 else end
        out.append(text[line_end + 1 : end])
        line_end = end
    return out


def _lines_before(scan: _Scan, line_start: int, count: int) -> str:
    start = line_start
    for _ in range(count):
        start = scan.text.rfind("\n", 0, max(start - 1, 0)) + 1 if start > 0 else 0
    return scan.text[start:line_start]


def _choose(
    routes: list[Route], line: str, before: str, after: list[str], version: str, structured: bool = False,
    below: list[str] = (), names: str = "", at: int | None = None,  # type: ignore[assignment]
) -> tuple[str, Severity, str, str | None]:
    """The route for the method the line (or one of the lines before it, for
    calls split over lines and structured files, up to one with a URL or a
    Config `version` prefix of its own, one that ends a statement with `;`,
    a call or a `curl` command complete on its line, or a YAML item's start)
    names; all of them when none does; and that method. (A resource name,
    `workspaces/x/sources/y`, does not stop it: a Postman request's body holds
    one between its method and its URL.) With `below` (a structured file's
    lines after the path's), the method is looked for there instead, up to
    the next item or the next path (`names`). In a structured file, the
    method nearest before the path (`at`) on its line is its own."""
    command = "curl " in line  # its method is its options' (below), whatever the lines above say
    method = None if command else method_before(line, at) if structured and at is not None else method_on(line)
    for previous in reversed(before.splitlines() if not command else ()):
        if MARKER.search(previous):
            continue  # a marker comment a rewrite left names the Public call, not this line's method
        if method is not None or "://" in previous or version in previous:
            break  # found, or a line with a URL of its own: another call
        if previous.rstrip().endswith(";") or not structured and _complete(previous):
            break  # the end of another statement
        method = method_on(previous)
        if structured and previous.lstrip().startswith("- "):
            break  # the start of this YAML item
    indent = len(line) - len(line.lstrip()) + (2 if line.lstrip().startswith("- ") else 0)  # the key's column
    for following in below:
        key = following.lstrip()
        if method is not None or key.startswith("- ") or names in following or version in following \
                or "://" in following or key and len(following) - len(key) < indent:
            break  # another item, another URL, or the end of the path's mapping
        if len(following) - len(key) == indent and _METHOD_KEY.match(key):
            method = method_on(following)
    if method is None:
        # a shell command: the lines it continues (ending with `\`), and
        # those that continue it
        command = [line, *after]
        for previous in reversed(before.splitlines()):
            if not previous.rstrip().endswith("\\"):
                break
            command.insert(0, previous)
        method = curl_method(" ".join(command))
    chosen = [r for r in routes if r.method == method] or routes
    if len(chosen) == 1:
        r = chosen[0]
        return r.rule, r.severity, r.message, method
    chosen.sort(key=lambda r: HTTP_METHODS.index(r.method))  # endpoint rows hold only these
    severity = max((r.severity for r in chosen), key=_SEVERITY_RANK.__getitem__)
    path = chosen[0].config.split(" ", 1)[1]
    message = f"Config path `{path}`: " + "; ".join(r.short() for r in chosen)
    if any(r.needs_ids for r in chosen):
        message += " (ids from `migrator ids`)"
    return chosen[0].rule, severity, message, method


_METHOD_KEY = re.compile(r"[\w-]*method\s*:", re.I)
"""A YAML key that gives a request's method (`method: DELETE`, `http_method: PUT`)."""
_GOES_ON = (",", "(", "[", "{", "\\", "+", "=", ":", "&&", "||", "|", ".")
"""How a line that a statement goes on after ends."""


def _complete(line: str) -> bool:
    """A statement whole on its line (`await axios.delete(url)`, `kwargs =
    {"method": "DELETE"}`), or a `curl` command that does not go on below:
    another request than the one of the lines after it."""
    code = line.strip()
    if not code or code.startswith(("#", "//")):
        return False
    if "curl " in code:
        return not code.endswith("\\")
    balanced = all(code.count(o) == code.count(c) for o, c in ("()", "[]", "{}"))
    return balanced and not code.endswith(_GOES_ON)


def _patterns(scan: _Scan, context: bool, markers: bool) -> None:
    """The pattern rows: those whose matches are markers, or the others."""
    data_rows = scan.catalog.rows
    text = scan.text
    for pattern in scan.catalog.patterns:
        if pattern.is_marker != markers or (pattern.context and not context) or pattern.shared_fields:
            continue  # (shared field names are the field search's: `_words`)
        if pattern.suffixes and not scan.path.lower().endswith(pattern.suffixes):
            continue
        if pattern.requires and not any(r in scan.found for r in pattern.requires):
            continue
        starts = {scan.lines.bounds(at) for anchor in pattern.anchors for at in scan.found.get(anchor, ())}
        for line_start, line_end in sorted(starts):
            for m in pattern.regex.finditer(text, line_start, line_end):
                groups = m.groupdict()
                rule = groups.get("rule")
                rule = rule if rule in data_rows else pattern.rule
                message = groups.get("message") or pattern.message
                kind: Kind = "marker" if "rule" in groups else "fragment" if pattern.path_piece else "pattern"
                # a marker is as grave as the codemod makes its row's markers (`row_severity`)
                severity = row_severity(data_rows[rule]) if kind == "marker" and rule in data_rows else pattern.severity
                if kind != "marker" and not _of_proxy(scan, m.start()) and (
                    _other_api(scan, m.start()) or _line_of_other_apis(scan, m.start())
                ):
                    continue  # `v1beta`, `workspaces/` of another API's URL; `curl -u` to another API
                if kind == "fragment" and _after_other_version(scan, m.start()):
                    continue  # `/api/v2/workspaces/`: a path of another API's version
                if kind == "fragment" and _in_file_path(scan, m.start()):
                    continue  # `Path("/srv/mirror/v1beta")`: a folder
                scan.add(_Hit(m.start(), m.end(), rule, severity, message, kind))


_BASE_NAME = re.compile(
    r"""(?:\$\{(?P<a>[A-Za-z_][\w.]*)\}           # ${BASE}
        | \{\{\s*(?P<b>[A-Za-z_][\w.]*)\s*\}\}     # {{base}}
        | (?<![\w$#{])\{(?P<c>[A-Za-z_][\w.]*)\}    # {BASE}
        | \$(?P<d>[A-Za-z_]\w*)                    # $BASE
        | (?P<e>[A-Za-z_][\w.]*)\s*\+\s*(?:[rRbBfFuU]{1,2})?["'`]  # BASE + ", BASE + f"
        | \#\{(?P<f>[A-Za-z_]\w*)\}                # Ruby's #{BASE}
    )(?P<tail>[^\s"'`]*)$""",
    re.VERBOSE,
)
"""The base a path piece is joined to, at the start of the text before it."""
RIGHT_AFTER = 80
"""How far before a path the base it starts right after is looked for (`_joined_base`)."""


def _other_api(scan: _Scan, at: int, config_path: bool = False) -> bool:
    """Whether `at` lies in a URL of another API's host: a literal one
    (`https://generativelanguage.googleapis.com/v1beta/...`) or one the
    file assigns to the base the path starts with (`{TFC}/organizations/
    {org}/workspaces/...`). A Config path (`config_path`: it matches the
    table) joined to a base ending at the Config version (`PROXY =
    "https://segment-proxy.internal/v1beta"`) is whole, the base a proxy of
    the Config API: not another API's (it is noted in `proxies`)."""
    host = _url_host(scan, at)
    if host is not None:
        return scan.catalog.other_api(host)
    base = _joined_base(scan, at, NEAR)
    if base is None or not scan.catalog.other_api(base.host):
        return False
    if config_path and base.versioned:
        scan.proxies.add((base.start, base.end))
        scan.proxy_hosts.add(host_name(base.host))
        return False
    return True


def _joined_base(scan: _Scan, at: int, reach: int, right_after: bool = False) -> _Base | None:
    """The URL the file assigns to the base the path piece at `at` is joined
    to, named within `reach` characters before it (`${TFC}/organizations/`,
    `PROXY + "`, `fmt.Sprintf("%s/...", proxy)`); with `right_after`, only
    a base the piece follows at once, or after a `/` (`${PROXY}/catalog/`);
    also the base a joiner was given before it (`_Scan.after_base`)."""
    if at in scan.after_base:
        return _bound(scan, scan.after_base[at])
    line_start, line_end = scan.lines.bounds(at)
    near = max(line_start, at - CALL)
    line = scan.text[near : min(line_end, at + CALL)]
    offset = at - near
    lo = max(0, offset - reach)
    if not any(line.find(c, lo, offset) >= 0 for c in "{$+%"):
        return None  # no base can be named (a quick test: the search is slow on long minified lines)
    m = _BASE_NAME.search(line, lo, offset)
    if m is not None and right_after and m.group("tail") not in ("", "/"):
        return None
    name = next(g for g in m.group("a", "b", "c", "d", "e", "f") if g) if m else _printf_base(line, lo, offset)
    return _bound(scan, name) if name else None


def _bound(scan: _Scan, name: str) -> _Base | None:
    """The URL the file assigns to `name` (its last part: `self.base`'s `base`), once looked for."""
    name = name.rsplit(".", 1)[-1]
    if name not in scan.bases:
        scan.bases[name] = _assigned(scan.text, name, scan.catalog.version_start)
    return scan.bases[name]


_PRINTF_START = re.compile(r"""["'`]%[sv]/?$""")
"""A format string that starts with its base, before a path: `"%s/`."""
_PRINTF_BASE = re.compile(r"""[^"'`\n]*["'`]\s*,\s*([A-Za-z_][\w.]*)\s*[,)]""")
"""The rest of a format string and its first argument (`/sources", proxy,`): the value of its first `%s`."""


def _printf_base(line: str, lo: int, offset: int) -> str:
    """The name a format string starting with `%s` (before `offset`) is
    given for it: `fmt.Sprintf("%s/workspaces/%s/sources", proxy, ws)`."""
    if not _PRINTF_START.search(line, lo, offset):
        return ""
    m = _PRINTF_BASE.match(line, offset)
    return m.group(1) if m else ""


def _url_host(scan: _Scan, at: int) -> str | None:
    """The host of the URL written out that `at` lies in, if it does."""
    line_start, line_end = scan.lines.bounds(at)
    near = max(line_start, at - CALL)  # (a minified line: the URL the path is in, if it is one)
    scheme = scan.text.rfind("://", near, at)
    if scheme < 0:
        return None
    start = scheme + 3
    url = scan.urls.get(start)
    if url is None:  # the hits of one long URL share it
        rest = scan.text[start : min(line_end, start + 2 * CALL)]
        url = scan.urls[start] = (start + read_path(rest, 0)[1], rest.split("/", 1)[0])
    return url[1] if url[0] > at else None


def _of_proxy(scan: _Scan, at: int) -> bool:
    """`at` lies in the URL of a proxy of the Config API (`_Scan.proxies`)."""
    return any(start <= at < end for start, end in scan.proxies)


_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*://"
_DEFAULTED = r"""(?:[\w.$]+(?:\[[^\]\n]*\])?\s*(?:\|\||\?\?|\bor\b)\s*|[\w.]+\.(?:get|getenv|fetch)\(\s*["'][\w.-]+["']\s*,\s*)"""
"""What a variable's URL is the default of: `process.env.PROXY || `, `os.environ.get("PROXY", `."""
_JSON_PAIR = r'"[\w-]+"\s*:\s*(?:"[^"\n]*"|[\w.-]+)\s*,\s*'
"""Another key of a Postman variable (`"type": "string",`), between its key and value."""


def bound_to_versioned_url(text: str, name: str, version: str) -> bool:
    """The file assigns `name` a URL ending at the Config `version` (`v1beta/`),
    on any host (`BASE = "https://platform.segmentapis.com/v1beta"`, a proxy's)."""
    base = _assigned(text, name, version)
    return base is not None and base.versioned


def bound_to_other_version(text: str, name: str, version: str) -> bool:
    """The file assigns `name` a URL ending at a version other than the
    Config `version` (`ZOOM = "https://api.zoom.us/v2"`): another API's base."""
    base = _assigned(text, name, version)
    if base is None or base.versioned:
        return False
    m = _VERSION_BEFORE.search(text[base.start : base.end].rstrip("/") + "/")
    return m is not None and m.group(1) + "/" != version


def _assigned(text: str, name: str, version: str) -> _Base | None:
    """The URL the file assigns to `name`: in code (`TFC = "https://..."`,
    `base: https://...`, as a default: `env.TFC || "https://..."`), or as a Postman collection's variable
    (`{"key": "baseUrl", "value": "https://..."}`); `version` is the Config
    one's first segment (`v1beta/`)."""
    quoted = re.escape(name)
    assigned = _assignment(text, name, re.compile(
        rf"{quoted}[\"']?\s*(?::[^=\n]*)?[:=]=?\s*{_DEFAULTED}?[fr]?[\"'`]?({_SCHEME}([^\s\"'`/]+)[^\s\"'`]*)",
    ))
    if assigned is None and '"key"' in text:
        assigned = re.search(
            rf'"key"\s*:\s*"{quoted}"\s*,\s*(?:{_JSON_PAIR})*"value"\s*:\s*"({_SCHEME}([^\s"/]+)[^\s"]*)"', text,
        )
    if assigned is None:
        return None
    versioned = assigned.group(1).rstrip("/").endswith("/" + version.rstrip("/"))
    return _Base(assigned.group(2), versioned, assigned.start(1), assigned.end(1))


def _assignment(text: str, name: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The first match of `pattern` where `name` starts a word (not after
    `\\w` or `$`): found by `str.find`, much faster than a search whose
    pattern starts with a lookbehind, which tries every offset."""
    at = text.find(name)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_$"):
            m = pattern.match(text, at)
            if m is not None:
                return m
        at = text.find(name, at + 1)
    return None


_URL_HOST = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9+.-]*://([^\s\"'`/:]+)")
"""The host of each URL on a line (not `_host`, which reads a Config host).
A scheme does not start after a letter: where it could, the letter before
would start one too (and a run of letters is not read once per letter)."""


def _line_of_other_apis(scan: _Scan, at: int) -> bool:
    """The line of `at` names URLs, all of other APIs' hosts (`curl -u
    "$WRITE_KEY:" https://api.segment.io/v1/track`), also URLs starting with
    a base the file assigns such a URL (`${ZOOM}/users?page_size=300`)."""
    line_start, line_end = scan.lines.bounds(at)
    known = scan.other_lines.get(line_start)
    if known is None:
        line = scan.text[line_start:line_end]
        bases = _base_hosts(scan, line) if len(line) <= CALL else []  # (a minified line: its URLs written out)
        if bases and _config_text(scan)(line_start, line_end):
            known = False  # a Config path joined to the base: a proxy (`${PROXY}/v1beta/workspaces/...`)
        else:
            hosts = [*_URL_HOST.findall(line), *bases] if "://" in line or bases else []
            known = bool(hosts) and all(scan.other_api(host) for host in hosts)
        scan.other_lines[line_start] = known
    return known


def _config_text(scan: _Scan) -> Callable[[int, int], bool]:
    if scan.config_text is None:
        scan.config_text = _config_within(scan)
    return scan.config_text


_URL_BASE = re.compile(
    r"""(?:\$\{(?P<a>[A-Za-z_][\w.]*)\}[/?]           # ${BASE}/
        | \{\{\s*(?P<b>[A-Za-z_][\w.]*)\s*\}\}[/?]     # {{base}}/
        | (?<![\w$#{])\{(?P<c>[A-Za-z_][\w.]*)\}[/?]    # {BASE}/
        | (?<![\w$])\$(?P<d>[A-Za-z_]\w*)[/?]           # $BASE/
        | (?<![\w.])(?P<e>[A-Za-z_][\w.]*)\s*\+\s*["'`][/?]  # BASE + "/
        | \#\{(?P<f>[A-Za-z_]\w*)\}[/?]                # Ruby's #{BASE}/
    )""",
    re.VERBOSE,
)
"""A URL starting with a base: the base's name, then a path or a query."""


def _base_hosts(scan: _Scan, line: str) -> list[str]:
    """The hosts of the bases that URLs on `line` start with, those the
    file assigns a URL (`ZOOM = "https://api.zoom.us/v2"`)."""
    out: list[str] = []
    for m in _URL_BASE.finditer(line):
        base = _bound(scan, next(g for g in m.group("a", "b", "c", "d", "e", "f") if g))
        if base is not None:
            out.append(base.host)
    return out


def other_apis_only(other_api: Callable[[str], bool], line: str) -> bool:
    """`line` names URLs, all of other APIs' hosts (`Catalog.other_api`)."""
    if "://" not in line:
        return False
    hosts = _URL_HOST.findall(line)
    return bool(hosts) and all(other_api(host) for host in hosts)


def _findings(path: str, scan: _Scan) -> list[Finding]:
    out: list[Finding] = []
    for hit in scan.hits:
        raw = scan.text[hit.start : hit.end].split("\n", 1)[0]
        text = raw.strip()
        line, column = scan.lines.locate(hit.start + len(raw) - len(raw.lstrip()))
        out.append(Finding(path, line, column, hit.rule, hit.severity, hit.message, text, hit.kind))
    out = absorbed(out, out, scan.lines)
    out.sort(key=lambda f: (f.line, f.column, f.rule))
    return out


QUOTED = re.compile(r"`([^`]+)`")
"""What a message quotes."""


def absorbed(findings: list[Finding], candidates: list[Finding], lines: Lines) -> list[Finding]:
    """`findings` and `candidates` (a list of its own, or `findings` itself),
    without the candidates already on the to-do list through a marker of
    `migrator rewrite` among `findings` (they have the marker's rule on the
    line it points at, or are a field name it quotes there): the marker
    stands for them (`Finding.stands_for`)."""
    owners: dict[tuple[str, int], int] = {}
    words: dict[tuple[str, int], int] = {}
    for i, f in enumerate(findings):
        if f.kind == "marker":
            target = marker_target(lines, f.line, f.column)
            owners.setdefault((f.rule, target), i)
            for word in QUOTED.findall(f.message):
                # a field read on a line below, or quoted in the comment itself (`change ["sources"] to ...`)
                for line in (f.line, *range(target, statement_end(lines, target) + 1)):
                    words.setdefault((word, line), i)
    if not owners:
        return findings if candidates is findings else [*findings, *candidates]
    taken: dict[int, list[tuple[str, int]]] = {}
    gone: set[int] = set()
    for f in candidates:
        if f.kind == "marker":
            continue
        owner = owners.get((f.rule, f.line))
        if owner is None and f.kind == "field":
            owner = words.get((f.text, f.line))
        if owner is not None:
            taken.setdefault(owner, []).append((f.rule, f.line))
            gone.add(id(f))
    out = [standing(f, taken[i]) if i in taken else f for i, f in enumerate(findings)]
    if candidates is not findings:
        out += candidates
    return [f for f in out if id(f) not in gone]


_STRINGS = re.compile(r"""'[^'\\\n]*(?:\\.[^'\\\n]*)*'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|#.*""")
STATEMENT_LINES = 40
"""How far a statement a marker comment points at is followed (its open brackets)."""


def statement_end(lines: Lines, first: int) -> int:
    """The last line of the statement starting at `first`: while brackets
    stay open or a line ends with a backslash (strings and comments aside)."""
    depth = 0
    number = first
    while number < first + STATEMENT_LINES:
        code = _STRINGS.sub("", lines.line(number))
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        if depth <= 0 and not code.rstrip().endswith("\\"):
            return number
        number += 1
    return first


def statements_on(line: str) -> list[tuple[int, int]]:
    """The statements `;` separates on a line (`a = get(u1); b = get(u2)`),
    outside strings and brackets, before a `#` comment: their 1-based
    columns, the end excluded (the last one to the end of the line)."""
    spans: list[tuple[int, int]] = []
    start = depth = 0
    quote = ""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "#":
            break
        elif c == ";" and depth <= 0:
            spans.append((start + 1, i + 1))
            start = i + 1
        i += 1
    spans.append((start + 1, len(line) + 1))
    return spans


def standing(marker: Finding, found: list[tuple[str, int]]) -> Finding:
    """`marker` standing for the findings `found` (rule, line) too: their rows
    are also its own (`Finding.also`) when they are others."""
    rules = {rule for rule, _ in found} | set(marker.also) | {marker.rule}
    return replace(marker, stands_for=tuple(dict.fromkeys((*marker.stands_for, *found))),
                   also=tuple(sorted(rules)) if len(rules) > 1 else marker.also)


def marker_target(lines: Lines, line: int, column: int) -> int:
    """The line a comment speaks about: its own, or the next one when the
    comment stands alone on its line; for a marker, the code line below the
    other markers stacked under it (a rewrite marking one line twice)."""
    before = lines.line(line)[: column - 1].lstrip(" \t")
    if before.startswith("{/*"):  # JSX writes a comment alone on its line so: `{/* ... */}`
        before = before[1:]
    if before.strip(" \t#/*-;!<%'\""):
        return line
    target = line + 1
    if MARKER.match(lines.line(line).lstrip()):
        while MARKER.match(lines.line(target).lstrip()):
            target += 1
    return target
