"""What the rewrite kinds need from the rules table, derived once per RuleSet.

Nothing here names an API path: hosts, the version prefix, endpoint
templates, the prefilter fragments and the Config-only path segments all
come from the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from migrator.ruleset import RuleSet
from migrator.search import AnyCase
from migrator.ruleset.models import EndpointRow, HostRow, RewriteRow
from migrator.ruleset.templates import PLACEHOLDER

HOLE_CLASS = "\ue000-\uefff"
SEGMENT = f"(?:[{HOLE_CLASS}]|[^/?#{HOLE_CLASS}]+)"
"""A path parameter matches one hole or literal text, never a mix."""


class Bound(str):
    """A matched path parameter and its offset in the matched path."""

    start: int

    def __new__(cls, value: str, start: int) -> Bound:
        self = super().__new__(cls, value)
        self.start = start
        return self


@dataclass(frozen=True)
class HostForm:
    row: HostRow
    origin: str
    """`https://platform.segmentapis.com`"""
    version: str
    """`/v1beta` (the Config path prefix)"""

    def public(self, region: str) -> str:
        return self.row.public[region].rstrip("/")  # type: ignore[index]


@dataclass(frozen=True)
class Endpoint:
    row: EndpointRow
    method: str
    path: str
    """Config path after the version prefix, without a leading slash."""
    regex: re.Pattern[str]
    params: tuple[str, ...]
    first_is_param: bool
    public_method: str | None
    public_path: str | None
    public_query: str | None

    @property
    def lists(self) -> bool:
        """A list call that pages (`GET` of a `paginated` row): its doubles answer page by page."""
        return self.row.paginated and self.method == "GET"

    @property
    def needs_body(self) -> bool:
        row = self.row
        return bool(row.request or row.wrapper or row.body_ids or row.defaults or row.followups)


@dataclass
class Table:
    hosts: list[HostForm]
    version: str
    """`v1beta`: the version segment, without slashes."""
    endpoints: list[Endpoint]
    public_patterns: list[re.Pattern[str]]
    config_only_first: frozenset[str]
    fragments: tuple[bytes, ...]
    path_fragments: tuple[bytes, ...]
    """The workspace segment (`workspaces/`) that starts a Config path joined
    to a base the file may not show (`f"{SEGMENT_API}/workspaces/acme/sources"`):
    `may_need_rewrite` reads a file holding one, to mark the path at least."""
    any_case: AnyCase
    """The Config hosts in any case (`Platform.SegmentAPIs.com`): what the
    fragments miss in a file that `may_need_rewrite` reads all the same."""
    rewrites: dict[str, RewriteRow]
    prefix_safe: dict[str, bool]
    needles: tuple[str, ...]
    workspace: str
    """The Config path of a workspace (`workspaces/{workspace}`, the workspace
    resource's name pattern): the Public API drops it from every path."""
    by_first: dict[str, list[Endpoint]]
    """Endpoints by the first literal segment of their Config path."""
    host_fold: re.Pattern[str] | None
    """The Config hosts in any case (`_host_fold`): chains read them lowercase (`strings.fold_hosts`)."""
    param_first: list[Endpoint]
    """Text one of a string's literal pieces must contain for any kind to
    act on it: the Config hosts, the version segment, the first literal
    segment of every Config template."""
    """Row id → can more path be appended to its rewrite and still be right
    (every longer Config path maps to the Public path plus the same suffix)?"""

    def public_hosts(self) -> list[str]:
        out = []
        for host in self.hosts:
            out.extend(value.rstrip("/") for value in host.row.public.values())
        return out

    def match(self, path: str) -> list[tuple[Endpoint, dict[str, str]]]:
        """Rows whose Config template matches; values are `Bound` strings
        that remember where in `path` they were found."""
        found = []
        head = path.split("/", 1)[0]
        literal = self.by_first.get(head, [])
        # a path starting as other rows' do is none of those starting at a placeholder
        # (`{install+}/token`: an install's, not `workspaces/.../config/token`, a destination's setting)
        for endpoint in literal or self.param_first:
            m = endpoint.regex.fullmatch(path)
            if m:
                found.append((endpoint, {k: Bound(v, m.start(k)) for k, v in m.groupdict().items()}))
        return found

    @property
    def workspace_segment(self) -> str:
        """`workspaces`: the segment a workspace's Config path starts with."""
        return self.workspace.split("/", 1)[0]

    def workspace_paths(self) -> tuple[str, ...]:
        """How a host-less Config path under a workspace starts: with or
        without the version (`workspaces/`, `v1beta/workspaces/`, `/v1beta/workspaces/`)."""
        head = self.workspace_segment + "/"
        return (head, f"{self.version}/{head}", f"/{self.version}/{head}") if self.workspace else ()

    def is_public(self, path: str) -> bool:
        return any(p.fullmatch(path) for p in self.public_patterns)

    def message(self, row_id: str, default: str, **fields: str) -> str:
        row = self.rewrites.get(row_id)
        text = row.message if row is not None and row.message else default
        try:
            return text.format(**fields)
        except (KeyError, IndexError, ValueError):
            return text


_CACHE: WeakKeyDictionary[RuleSet, Table] = WeakKeyDictionary()


def table_for(rules: RuleSet) -> Table:
    found = _CACHE.get(rules)
    if found is None:
        found = _build(rules)
        _CACHE[rules] = found
    return found


def _template_regex(path: str, segment: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    parts: list[str] = []
    names: list[str] = []
    last = 0
    for m in PLACEHOLDER.finditer(path):
        parts.append(re.escape(path[last : m.start()]))
        names.append(m.group(1))
        parts.append(f"(?P<{m.group(1)}>{'[^?#]+?' if m.group(2) else segment})")
        last = m.end()
    parts.append(re.escape(path[last:]))
    return re.compile("".join(parts) + "/?"), tuple(names)


def _build(rules: RuleSet) -> Table:
    hosts: list[HostForm] = []
    for row in rules.hosts:
        parts = urlsplit(row.config)
        hosts.append(HostForm(row, f"{parts.scheme}://{parts.netloc}", parts.path.rstrip("/")))
    version = hosts[0].version.strip("/") if hosts else ""
    prefix = f"/{version}/" if version else "/"
    endpoints: list[Endpoint] = []
    public_patterns: list[re.Pattern[str]] = []
    config_first: set[str] = set()
    public_first: set[str] = set()
    for row in rules.endpoints:
        method, path = row.config.split(" ", 1)
        path = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
        regex, params = _template_regex(path, SEGMENT)
        first = path.split("/", 1)[0]
        first_is_param = bool(PLACEHOLDER.fullmatch(first))
        if not first_is_param:
            config_first.add(first)
        public_method = public_path = public_query = None
        if row.public is not None:
            public_method, target = row.public.split(" ", 1)
            public_path, _, query = target.partition("?")
            public_query = query or None
            public_patterns.append(_template_regex(public_path.lstrip("/"), "[^/?#]+")[0])
            head = public_path.lstrip("/").split("/", 1)[0]
            if head:
                public_first.add(head)
        endpoints.append(
            Endpoint(
                row=row,
                method=method,
                path=path,
                regex=regex,
                params=params,
                first_is_param=first_is_param,
                public_method=public_method,
                public_path=public_path,
                public_query=public_query,
            )
        )
    netlocs = {urlsplit(h.row.config).netloc.lower() for h in hosts}
    # the hosts in capitals too, as the audit's triggers (`PLATFORM.SEGMENTAPIS.COM`); mixed case
    # by a second search (`any_case`) in the files none of them is in
    fragments = tuple(
        sorted({n.encode() for n in netlocs} | {n.upper().encode() for n in netlocs}
               | ({version.encode()} if version else set()))
    )
    rewrites = {row.id: row for f in rules.files for row in getattr(f, "rewrites", [])}
    prefix_safe = {e.row.id: _prefix_safe(e, endpoints) for e in endpoints}
    needles = tuple(
        sorted({urlsplit(h.row.config).netloc for h in hosts} | ({version} if version else set()) | config_first)
    )
    by_first: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        if not endpoint.first_is_param:
            by_first.setdefault(endpoint.path.split("/", 1)[0], []).append(endpoint)
    workspaces = [r.name_pattern for r in rules.resources.values() if r.kind == "workspace" and r.name_pattern]
    path_fragments = tuple(w.split("{", 1)[0].encode() for w in workspaces[:1] if "{" in w)
    return Table(
        path_fragments=path_fragments,
        workspace=workspaces[0] if workspaces else "",
        by_first=by_first,
        param_first=[e for e in endpoints if e.first_is_param],
        needles=needles,
        prefix_safe=prefix_safe,
        hosts=hosts,
        version=version,
        endpoints=endpoints,
        public_patterns=public_patterns,
        config_only_first=frozenset(config_first - public_first),
        fragments=fragments,
        any_case=AnyCase(netlocs),
        rewrites=rewrites,
        host_fold=_host_fold(netlocs),
    )


HOST_CHARS = "A-Za-z0-9._-"


def _host_fold(netlocs: set[str]) -> re.Pattern[str] | None:
    """The Config hosts in any case, with the scheme before them if any, as
    whole host names: not `platform.segmentapis.com.evil.example` nor
    `notplatform.segmentapis.com` (host names are case-insensitive, RFC 3986
    §3.2.2)."""
    if not netlocs:
        return None
    names = "|".join(re.escape(n) for n in sorted(netlocs))
    return re.compile(rf"(?<![{HOST_CHARS}])(?:https?://)?(?:{names})(?![{HOST_CHARS}])", re.IGNORECASE | re.ASCII)


def _normal(path: str) -> str:
    return PLACEHOLDER.sub("{}", path)


def _prefix_safe(prefix: Endpoint, endpoints: list[Endpoint]) -> bool:
    if prefix.public_path is None or prefix.public_query:
        return False
    base = prefix.public_path.rstrip("/")
    for other in endpoints:
        if not other.path.startswith(prefix.path + "/"):
            continue
        if other.public_path is None or other.public_query:
            return False
        if not other.public_path.startswith(base + "/"):
            return False
        suffix_config = other.path[len(prefix.path) + 1 :]
        suffix_public = other.public_path[len(base) + 1 :]
        if _normal(suffix_config) != _normal(suffix_public):
            return False
        if any(m.group(1) in other.row.ids for m in PLACEHOLDER.finditer(suffix_public)):
            return False
    return True
