"""Whose API a path in text is sent to: the URL a file assigns to the base
a path is joined to (`${TFC}/workspaces/...`, `PROXY + "/v1beta/..."`),
other APIs' hosts on a line, and the Config API's proxies (a base ending
at the Config version)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate

from migrator.audit.bound import url_hosts
from migrator.audit.paths import read_path
from migrator.audit.table import host_name
from migrator.audit.text_scan import Base, CALL, NEAR, Scan
from migrator.ruleset.templates import VERSION_SEGMENT


def _config_within(scan: Scan) -> Callable[[int, int], bool]:
    """Whether the scan found Config text (a host, a path, a resource name)
    between two offsets: a call or value naming it is the Config API's."""
    spans = sorted((h.start, h.end) for h in scan.hits if h.strong and h.kind in ("host", "endpoint", "name"))
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # the furthest end of the spans up to each

    def found(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # the spans starting before `end`: one may reach past `start`
        return i > 0 and reach[i - 1] > start

    return found


_VERSION_BEFORE = re.compile(rf"(?:^|[^\w.-])({VERSION_SEGMENT})/$")
"""An API version segment, right before a path piece: `/v2/`, `/v1alpha/`, Bitbucket's `/2.0/`."""


def after_other_version(scan: Scan, start: int) -> bool:
    """A version segment other than the Config API's (`v1beta`) comes right
    before `start`: the path is another API's (`%s/v1/workspaces/%s/invites`)."""
    if start < 2 or scan.text[start - 1] != "/":
        return False
    m = _VERSION_BEFORE.search(scan.text, max(0, start - 24), start)
    return m is not None and m.group(1) + "/" != scan.catalog.version_start


_SEGMENT_BEFORE = re.compile(r"(?<![/\w.-])(?:~|\$HOME|\$\{HOME\})/$|(?<!/)/([\w.-]+)/$")
"""What is right before a path piece: the home folder (`~/`, `$HOME/`), or a
literal path segment after a `/` that starts no host (`/srv/mirror/`, not `https://host/`)."""


def after_other_segment(scan: Scan, start: int) -> bool:
    """A segment other than the Config version comes right before `start`,
    so the path is no Config path (none has a segment before `workspaces/`
    but `v1beta/`): a folder (`/srv/mirror/workspaces/...`, `~/workspaces/...`)
    or the path of the app's own backend or another API (`/api/workspaces/...`);
    but on the Config host it stays the Config API's."""
    if start < 2 or scan.text[start - 1] != "/":
        return False
    m = _SEGMENT_BEFORE.search(scan.text, max(0, start - 64), start)
    if m is None or m.group(1) is not None and m.group(1) + "/" == scan.catalog.version_start:
        return False
    host = url_host(scan, start)
    return host is None or host_name(host).lower() not in scan.catalog.host_names


JOINER = r"(?:\+|\.\.?|<>)"
"""What joins a base to a string after it: `+`, PHP's and Perl's `.`, Lua's `..`, Elixir's `<>`."""
_BASE_NAME = re.compile(
    r"""(?:\$\{(?P<a>[A-Za-z_][\w.]*)\}           # ${BASE}
        | \{\{\s*(?P<b>[A-Za-z_][\w.]*)\s*\}\}     # {{base}}
        | (?<![\w$#{])\{(?P<c>[A-Za-z_][\w.]*)\}    # {BASE}
        | \$(?P<d>[A-Za-z_]\w*)                    # $BASE
        | (?<![\w.])(?P<e>[A-Za-z_][\w.]*)\s*""" + JOINER + r"""\s*(?:[rRbBfFuU]{1,2})?["'`]  # BASE + ", BASE . '
        | \#\{@{0,2}(?P<f>[A-Za-z_]\w*)\}          # Ruby's #{BASE}, #{@base}; Elixir's #{@base}
        | \{\$(?P<g>[A-Za-z_]\w*)\}                # PHP's {$base}
        | \\\((?P<h>[A-Za-z_][\w.]*)\)             # Swift's \(base)
    )(?P<tail>[^\s"'`]*)$""",
    re.VERBOSE,
)
"""The base a path piece is joined to, at the start of the text before it
(a name starts a word: tried inside one, a long run of letters is read over
and over, for each of its letters)."""
_OTHER_JOIN = re.compile(r"""(?:\.|<>)\s*["'`]|\\\(""")
"""A join the quick test of `joined_base` does not see in its characters: `. "`, `<> "`, `\\(`."""
_NAMES = ("a", "b", "c", "d", "e", "f", "g", "h")
"""The groups of `_BASE_NAME` and `_URL_BASE` that hold the base's name."""
RIGHT_AFTER = 80
"""How far before a path the base it starts right after is looked for (`joined_base`)."""
_MAKE_VARIABLE = re.compile(r"\$\(([A-Za-z_]\w*)\)")
"""A Makefile's variable, `$(BASE)`: elsewhere (a shell) `$(cmd)` runs a command."""
_MAKEFILES = ("makefile", "gnumakefile")


@lru_cache(maxsize=256)
def makefile(path: str) -> bool:
    """`path` is a Makefile (`Makefile`, `GNUmakefile`, `rules.mk`) (asked for each path of a file: kept)."""
    name = path.rpartition("/")[2].lower()
    return name in _MAKEFILES or name.endswith(".mk")


def make_variables(scan: Scan, line: str) -> str:
    """`line`, a Makefile's `$(BASE)` written `${BASE}` (as long: offsets stay)."""
    return _MAKE_VARIABLE.sub(r"${\1}", line) if makefile(scan.path) and "$(" in line else line


def of_other_api(scan: Scan, at: int, config_path: bool = False) -> bool:
    """Whether `at` lies in a URL of another API's host: a literal one
    (`https://generativelanguage.googleapis.com/v1beta/...`) or one the
    file assigns to the base the path starts with (`{TFC}/organizations/
    {org}/workspaces/...`). A Config path (`config_path`: it matches the
    table) joined to a base ending at the Config version (`PROXY =
    "https://segment-proxy.internal/v1beta"`) is whole, the base a proxy of
    the Config API: not another API's (it is noted in `proxies`)."""
    host = url_host(scan, at)
    if host is not None:
        return scan.catalog.other_api(host)
    base = joined_base(scan, at, NEAR)
    if base is None or not scan.catalog.other_api(base.host):
        return False
    if config_path and base.versioned:
        scan.proxies.add((base.start, base.end))
        scan.proxy_hosts.add(host_name(base.host))
        return False
    return True


def joined_base(scan: Scan, at: int, reach: int, right_after: bool = False) -> Base | None:
    """The URL the file assigns to the base the path piece at `at` is joined
    to, named within `reach` characters before it (`${TFC}/organizations/`,
    `PROXY + "`, `fmt.Sprintf("%s/...", proxy)`); with `right_after`, only
    a base the piece follows at once, or after a `/` (`${PROXY}/catalog/`);
    also the base a joiner was given before it (`Scan.after_base`)."""
    if at in scan.after_base:
        given = scan.after_base[at]
        return given if isinstance(given, Base) else _bound(scan, given)
    line_start, line_end = scan.lines.bounds(at)
    near = max(line_start, at - CALL)
    line = make_variables(scan, scan.text[near : min(line_end, at + CALL)])
    offset = at - near
    lo = max(0, offset - reach)
    if not any(line.find(c, lo, offset) >= 0 for c in "{$+%") and not (
            any(line.find(c, lo, offset) >= 0 for c in ".<\\") and _OTHER_JOIN.search(line, lo, offset)):
        return None  # no base can be named (a quick test: the search is slow on long minified lines)
    m = _BASE_NAME.search(line, lo, offset)
    if m is not None and right_after and m.group("tail") not in ("", "/"):
        return None
    name = next(g for g in m.group(*_NAMES) if g) if m else _printf_base(line, lo, offset)
    return _bound(scan, name) if name else None


def _bound(scan: Scan, name: str) -> Base | None:
    """The URL the file assigns to `name` (its last part: `self.base`'s `base`), once looked for."""
    name = name.rsplit(".", 1)[-1]
    if name not in scan.bases:
        scan.bases[name] = _assigned(scan.text, name, scan.catalog.version_start, arrow_assigns(scan.path))
    return scan.bases[name]


_PRINTF_START = re.compile(r"""["'`](?:%[sv]|\{\})/?$""")
"""A format string that starts with its base, before a path: `"%s/`, Rust's positional `"{}/`."""
_PRINTF_BASE = re.compile(r"""[^"'`\n]*["'`]\s*,\s*([A-Za-z_][\w.]*)\s*[,)]""")
"""The rest of a format string and its first argument (`/sources", proxy,`): the value of its first `%s`."""


def _printf_base(line: str, lo: int, offset: int) -> str:
    """The name a format string starting with `%s` (before `offset`) is
    given for it: `fmt.Sprintf("%s/workspaces/%s/sources", proxy, ws)`,
    Rust's `format!("{}/catalog/destinations", BASE)`."""
    if not _PRINTF_START.search(line, lo, offset):
        return ""
    m = _PRINTF_BASE.match(line, offset)
    return m.group(1) if m else ""


def url_host(scan: Scan, at: int) -> str | None:
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


def of_proxy(scan: Scan, at: int) -> bool:
    """`at` lies in the URL of a proxy of the Config API (`Scan.proxies`)."""
    return any(start <= at < end for start, end in scan.proxies)


_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*://"
_DEFAULTED = r"""(?:[\w.$]+(?:\[[^\]\n]*\])?\s*(?:\|\||\?\?|\bor\b)\s*|[\w.]+\.(?:get|getenv|fetch)\(\s*["'][\w.-]+["']\s*,\s*)"""
"""What a variable's URL is the default of: `process.env.PROXY || `, `os.environ.get("PROXY", `."""
_JSON_PAIR = r'"[\w-]+"\s*:\s*(?:"[^"\n]*"|[\w.-]+)\s*,\s*'
"""Another key of a Postman variable (`"type": "string",`), between its key and value."""


def arrow_assigns(path: str) -> bool:
    """In the file at `path`, `NAME <- value` assigns (R's); elsewhere `<-` is
    no assignment (Go's channel send `ch <- "https://..."`)."""
    return path.lower().endswith((".r", ".rmd"))


def bound_version(text: str, name: str, version: str, arrow: bool = False) -> str | None:
    """The version the URL the file assigns `name` ends at, as `version` is
    written (`v1beta/`): the Config `version` itself, on any host (`BASE =
    "https://platform.segmentapis.com/v1beta"`, a proxy's), or another API's
    (`ZOOM = "https://api.zoom.us/v2"`: `v2/`); None without such a URL.
    `arrow`: `<-` assigns too (`arrow_assigns`)."""
    base = _assigned(text, name, version, arrow)
    if base is None or base.versioned:
        return None if base is None else version
    m = _VERSION_BEFORE.search(text[base.start : base.end].rstrip("/") + "/")
    return m.group(1) + "/" if m else None


def assigned_url(text: str, name: str, version: str, arrow: bool = False) -> str | None:
    """The URL the file assigns to `name` (its last part: `self.base`'s `base`), if it does (`_assigned`)."""
    base = _assigned(text, name.rsplit(".", 1)[-1], version, arrow)
    return None if base is None else text[base.start : base.end]


def _assigned(text: str, name: str, version: str, arrow: bool = False) -> Base | None:
    """The URL the file assigns to `name`: in code (`TFC = "https://..."`,
    `base: https://...`, as a default: `env.TFC || "https://..."`; with
    `arrow`, R's `TFC <- "https://..."`), or as a Postman collection's variable
    (`{"key": "baseUrl", "value": "https://..."}`); `version` is the Config
    one's first segment (`v1beta/`)."""
    quoted = re.escape(name)
    op = r"[:=]=?|<<?-" if arrow else r"[:=]=?"
    assigned = _assignment(text, name, re.compile(
        rf"{quoted}(?:[\"']?\s*(?::[^=\n]*)?\??(?P<op>{op})|(?<=@{quoted})[ \t]+(?=[\"']))"
        rf"\s*{_DEFAULTED}?[fr]?[\"'`]?(?P<url>{_SCHEME}(?P<host>[^\s\"'`/]+)[^\s\"'`]*)",
    ))
    if assigned is None and '"key"' in text:
        assigned = re.search(
            rf'"key"\s*:\s*"{quoted}"\s*,\s*(?:{_JSON_PAIR})*"value"\s*:\s*"(?P<url>{_SCHEME}(?P<host>[^\s"/]+)[^\s"]*)"', text,
        )
    if assigned is None:
        return None
    versioned = assigned.group("url").rstrip("/").endswith("/" + version.rstrip("/"))
    return Base(assigned.group("host"), versioned, assigned.start("url"), assigned.end("url"))


def _assignment(text: str, name: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The first match of `pattern` where `name` starts a word (not after
    `\\w`): found by `str.find`, much faster than a search whose pattern
    starts with a lookbehind, which tries every offset. After `$` (PHP's,
    PowerShell's, Perl's `$base = "..."`) the name is assigned by `=` alone:
    a shell's `[ "$BASE" == "https://..." ]` compares it."""
    at = text.find(name)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            m = pattern.match(text, at)
            if m is not None and not (at > 0 and text[at - 1] == "$" and m.group("op") != "="):
                return m
        at = text.find(name, at + 1)
    return None


def line_of_other_apis(scan: Scan, at: int) -> bool:
    """The line of `at` names URLs, all of other APIs' hosts (`curl -u
    "$WRITE_KEY:" https://api.segment.io/v1/track`), also URLs starting with
    a base the file assigns such a URL (`${ZOOM}/users?page_size=300`)."""
    line_start, line_end = scan.lines.bounds(at)
    known = scan.other_lines.get(line_start)
    if known is None:
        line = make_variables(scan, scan.text[line_start:line_end])
        bases = _base_hosts(scan, line) if len(line) <= CALL else []  # (a minified line: its URLs written out)
        if bases and config_text(scan)(line_start, line_end):
            known = False  # a Config path joined to the base: a proxy (`${PROXY}/v1beta/workspaces/...`)
        else:
            hosts = [*url_hosts(line, braces=True), *bases] if "://" in line or bases else []
            known = bool(hosts) and all(scan.other_api(host) for host in hosts)
        scan.other_lines[line_start] = known
    return known


def config_text(scan: Scan) -> Callable[[int, int], bool]:
    if scan.config_text is None:
        scan.config_text = _config_within(scan)
    return scan.config_text


_URL_BASE = re.compile(
    r"""(?:\$\{(?P<a>[A-Za-z_][\w.]*)\}[/?]           # ${BASE}/
        | \{\{\s*(?P<b>[A-Za-z_][\w.]*)\s*\}\}[/?]     # {{base}}/
        | (?<![\w$#{])\{(?P<c>[A-Za-z_][\w.]*)\}[/?]    # {BASE}/
        | (?<![\w$])\$(?P<d>[A-Za-z_]\w*)[/?]           # $BASE/
        | (?<![\w.])(?P<e>[A-Za-z_][\w.]*)\s*""" + JOINER + r"""\s*["'`][/?]  # BASE + "/, $base . "/
        | \#\{@{0,2}(?P<f>[A-Za-z_]\w*)\}[/?]          # Ruby's #{BASE}/, #{@base}/
        | \{\$(?P<g>[A-Za-z_]\w*)\}[/?]                # PHP's {$base}/
        | \\\((?P<h>[A-Za-z_][\w.]*)\)[/?]             # Swift's \(base)/
    )""",
    re.VERBOSE,
)
"""A URL starting with a base: the base's name, then a path or a query."""


def _base_hosts(scan: Scan, line: str) -> list[str]:
    """The hosts of the bases that URLs on `line` start with, those the
    file assigns a URL (`ZOOM = "https://api.zoom.us/v2"`)."""
    out: list[str] = []
    for m in _URL_BASE.finditer(line):
        base = _bound(scan, next(g for g in m.group(*_NAMES) if g))
        if base is not None:
            out.append(base.host)
    return out


def other_apis_only(other_api: Callable[[str], bool], line: str) -> bool:
    """`line` names URLs, all of other APIs' hosts (`Catalog.other_api`)."""
    if "://" not in line:
        return False
    hosts = url_hosts(line, braces=True)
    return bool(hosts) and all(other_api(host) for host in hosts)
