"""The state of one file's text scan: its lines, the hits found so far,
and what it learned of the file (bases, proxies, other APIs' URLs)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from migrator.audit.model import Kind, Severity
from migrator.audit.table import Catalog, host_name

if TYPE_CHECKING:
    from migrator.audit.shell_commands import Joined


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

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column (`locate`'s inverse)."""
        if self._starts is None:
            self._starts = list(accumulate((len(s) + 1 for s in self._split()), initial=0))
        return self._starts[line - 1] + column - 1

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
class Hit:
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
class Base:
    """The URL a file assigns to a variable a path is joined to."""

    host: str
    versioned: bool
    """Its path ends at the Config API version (`https://proxy.internal/v1beta`):
    the Config paths joined to it are whole (`v1beta/workspaces/...`)."""
    start: int
    end: int
    """Where the URL is."""


@dataclass
class Scan:
    path: str
    text: str
    catalog: Catalog
    lines: Lines
    found: dict[str, list[int]]
    """Needle of the catalog → where it starts in `text`."""
    hits: list[Hit] = field(default_factory=list)
    bases: dict[str, Base | None] = field(default_factory=dict)
    """Variable → the URL the file assigns it, for `of_other_api`."""
    after_base: Mapping[int, str | Base] = field(default_factory=dict)
    """Where a path a joiner builds starts right after a base → the base's
    name (`File.join(PROXY, "workspaces", ...)`, `joined_lists.joined_paths`);
    where a path given to a client built with a Config base starts → that
    base (`api.get("catalog/sources")`, `client_bases.client_paths`)."""
    proxies: set[tuple[int, int]] = field(default_factory=set)
    """Where the URLs of proxies of the Config API are (`Base.versioned`,
    Config paths joined to them): their `v1beta` is those paths' prefix."""
    proxy_hosts: set[str] = field(default_factory=set)
    """The hosts outside Segment's domain the file sends Config paths to
    (`v1beta/workspaces/...`): proxies of the Config API, not other APIs."""
    other_lines: dict[int, bool] = field(default_factory=dict)
    """Line start → whether its URLs are all other APIs', for `line_of_other_apis`."""
    config_text: Callable[[int, int], bool] | None = None
    """`base_urls._config_within`, once the strong hits are found (`base_urls.config_text`)."""
    urls: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Where a URL's host starts → where the URL ends and its host, for `of_other_api`."""
    other_workspaces: bool = False
    """The file joins workspace paths to another API's host (`f"{CLOCKIFY}/workspaces/{w}/users"`)."""
    resources: list[tuple[int, frozenset[str], bool]] | None = None
    """Where the text shows which resources its field names belong to, and
    whether that sign only narrows them down (`field_names._resource_signs`)."""
    requests: list[tuple[int, int, str | None]] | None = None
    """In JSON, where the `url` of each object is, and its method, if it names one (`own_method.request_urls`)."""
    joined: Joined | None = None
    """The commands that `\\` joins over lines (`shell_commands.joined_commands`)."""
    cells: list[tuple[int, int]] | None = None
    """In a notebook, where each cell's source starts and ends (`cell_spans`)."""
    cell_lines: list[int] | None = None
    """In a notebook, where each line of its cells' code starts, in order
    (`python_view`): the lines `field_names` counts above a field name."""
    quiet: Callable[[int, str], bool] | None = None
    """Whether a suppression comment covers a rule on a line (`suppress.quiets`)."""
    own: list[tuple[int, int]] | None = None
    """In Terraform, where the text names its own blocks and values (`own_names`)."""
    blocks: list[tuple[int, int]] | None = None
    """In Terraform, where the bodies of its blocks are (`block_bodies`)."""
    provided: list[tuple[int, int, str]] | None = None
    """In Terraform, where the bodies of a Config provider's `segment_*`
    blocks are, and their types (`config_blocks`)."""
    types: list[tuple[int, int, int]] = field(default_factory=list)
    """Where the bodies of the types named after resources are, by the
    innermost one (`type_bodies.owners`; set with `resources`)."""
    logical: tuple[int, str] = (-1, "")
    """The last line `text._logical_line` gave, by its start: the hits of a long line share it."""
    pathlib: bool | None = None
    """Whether the file imports `pathlib` (`joined_to_path`)."""
    config_base: bool | None = None
    """Whether the file writes the Config base URL, the host and version alone (`folders.names_config_base`)."""
    openapi: tuple[int, int, int, int] | None = None
    """Where the `paths` map of an OpenAPI document is, its keys' indent and whose they are (`openapi._paths_map`)."""
    config_named: bool | None = None
    """Whether the file names a Config host or the Config version at all (`folders.names_config`)."""
    paths: dict[str, bool] = field(default_factory=dict)
    """Name → whether the file binds it to a `pathlib` path only (`folders.joined_to_path`)."""
    folders: list[tuple[int, int]] | None = None
    """In a settings file, where the values holding folders are (`in_folder_value`)."""
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

    def add(self, hit: Hit) -> None:
        if hit.end > hit.start and not self.overlaps(hit.start, hit.end):
            self.hits.append(hit)
            bisect.insort(self._spans, (hit.start, hit.end))

    def clear(self, start: int, end: int) -> None:
        """A path shape that is no call: its path pieces are no finding."""
        if end > start and not self.overlaps(start, end):
            self.cleared.append((start, end))
            bisect.insort(self._spans, (start, end))

    def keep(self, hits: list[Hit]) -> None:
        """Only these hits (taken from `hits`)."""
        self.hits = hits
        self._spans = sorted([*((h.start, h.end) for h in hits), *self.cleared])


NEAR = 400
"""Characters of a line before a path where the base it is joined to, or
the key or call that takes it, is looked for."""
CALL = 4000
"""Characters of a line, each side of a path, where its method is looked
for: all of a line of code, a `curl` command with a token written out; not
a minified file's line of 100 KB (another call's method, and a search of
the whole line for each path)."""
