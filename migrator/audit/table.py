"""The rules table, compiled into what the scanners look for.

Everything the audit reports comes from a row: hosts from `[[hosts]]`, paths
and path pieces from `[[endpoints]]`, resource names from the `name_pattern`
of `[[resources]]`, Config-only field names from their `fields`, and the
pagination, envelope and update-mask rows; `[[patterns]]` (rules/audit.toml)
covers the rest.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from typing import Any

from migrator.audit.taken_apart import QUICK as APART_QUICK, apart_fields, apart_search
from migrator.imports import LANGUAGES
from migrator.audit.joined_bases import join_needles, path_heads
from migrator.audit.model import Severity
from migrator.search import AnyCase, AnyOf, AnyOfOrHost, HostsAndNames, Occurrences
from migrator.ruleset import RuleSet
from migrator.ruleset.outcomes import Outcomes, kinds_phrase
from migrator.ruleset.models import EndpointRow, PatternRow, ResourceRow, Row
from migrator.ruleset.templates import Template

ROUTES_REMEMBERED = 4096
FRAGMENTS = "{fragments}"
"""In a pattern row, replaced by the Config-only path segments (see `fragments`)."""
SHARED_FIELDS = "{shared_fields}"
_APART_QUICK = AnyOf(APART_QUICK)
"""`Catalog.takes_apart`'s quick search: one SIMD pass for both quotes (it runs on every Python file in precise mode)."""
TERRAFORM_PROVIDERS = "{terraform_providers}"
"""In a pattern row, replaced by the Config field names several resources
share: the row is the rule of those the scanner cannot attribute to one
(its matches are the field search's, `_words` of the text scanner)."""


@dataclass(frozen=True)
class Host:
    rule: str
    regex: re.Pattern[str]
    message: str


@dataclass(frozen=True)
class Route:
    rule: str
    method: str
    template: Template
    config: str
    message: str
    severity: Severity
    public: str | None = None
    instead: str | None = None
    needs_ids: bool = False

    def short(self) -> str:
        """`GET → GET /sources/{sourceId}`, for a message listing several methods."""
        if self.public is None:
            return f"{self.method} → no counterpart ({self.instead})"
        return f"{self.method} → `{self.public}`" + (f" ({self.instead})" if self.instead else "")


@dataclass(frozen=True)
class Name:
    rule: str
    template: Template
    message: str


@dataclass(frozen=True)
class Word:
    """A Config-only field, parameter or key, reported in an API context."""

    rule: str
    message: str
    severity: Severity
    sent: bool = False
    """A key of requests (page parameters, the update mask), not of responses."""
    by_resource: dict[str, tuple[str, str]] = field(default_factory=dict)
    """For a field several resources have: resource row id → the rule and
    message of the field in that resource, for a file that shows whose it is
    (`rule` and `message` are then the neutral row's, listing every outcome)."""


@dataclass(frozen=True)
class Pattern:
    rule: str
    regex: re.Pattern[str]
    message: str
    severity: Severity
    context: bool
    requires: tuple[str, ...]
    anchors: tuple[str, ...]
    suffixes: tuple[str, ...]
    path_piece: bool
    shared_fields: bool = False
    """Its matches are the Config field names several resources share: the
    field search reports them (it knows keys from the code's own names), not
    this regular expression."""
    public_files: bool = False
    """Also reported in a file that calls the Public API (`PatternRow.public_files`)."""
    in_function: bool = False
    """With `requires` in the function holding it (`PatternRow.in_function`)."""

    @property
    def is_marker(self) -> bool:
        """Its matches are markers of `migrator rewrite`, which name their rule."""
        return "rule" in self.regex.groupindex


@dataclass
class Catalog:
    hosts: list[Host] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    words: dict[str, Word] = field(default_factory=dict)
    taken_apart: re.Pattern[bytes] | None = None
    """Python reads of a field holding a resource name, split on `/` (`taken_apart.apart_search`)."""
    patterns: list[Pattern] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    rows: dict[str, Row] = field(default_factory=dict)
    triggers: tuple[bytes, ...] = ()
    """A file holding none of these byte strings has no findings."""
    suffix_triggers: dict[str, tuple[bytes, ...]] = field(default_factory=dict)
    """More triggers for files with these suffixes (pattern rows limited to them)."""
    starts: tuple[str, ...] = ()
    """Where strong findings start: host names, `v1beta/`, `workspaces/`."""
    host_names: tuple[str, ...] = ()
    """The Config hosts' names, lowercase: found in any case in the files the
    triggers let through (`text.fold_hosts`)."""
    hosts_pattern: str = ""
    """`host_names` as one regular-expression alternation (escaped), for the
    scanners that look for a Config host in a context of their own."""
    any_case: AnyCase | None = None
    """The Config hosts in any case: a file none of the triggers is in may
    still name one in mixed case (`Platform.SegmentAPIs.com`)."""
    version_start: str = ""
    """`v1beta/`: where a Config path starts after the host (one of `starts`)."""
    names_start: str = ""
    """`workspaces/`: where Config paths and resource names start (one of `starts`)."""
    based_starts: tuple[str, ...] = ()
    """Where the Config paths outside workspaces start (`catalog/`, `access-tokens`),
    and the workspaces' list (`workspaces`, the head alone; some of `starts`):
    read only right after a base ending at the Config version."""
    path_heads: tuple[str, ...] = ()
    """The literal first segments of the Config paths (`access-tokens`,
    `workspaces`): joined to a name in Python (`f"{API}/access-tokens"`),
    a path that is the Config API's if the name is a Config base (`joined_bases`)."""
    trigger_filters: dict[str, AnyOf] = field(default_factory=dict)
    """The triggers as one search: `""` for any file, and per suffix of
    `suffix_triggers`."""
    prefilters: dict[str, AnyOfOrHost] = field(default_factory=dict)
    """What makes a file worth a look: its triggers, for the languages whose
    imports the audit follows `link_search`'s needles, and a Config host in
    any case (`any_case`), in one search."""
    link_search: HostsAndNames | None = None
    """The Public hosts and the Config field names (see `links`)."""
    terraform_providers: frozenset[str] = frozenset()
    """Sources of Terraform providers built on the Config API, lowercase
    (`ajbosco/segment`, the pattern rows' `terraform_providers`)."""
    terraform_rule: str | None = None
    """The row of those providers (the first with `terraform_providers`)."""
    terraform_resources: dict[str, frozenset[str]] = field(default_factory=dict)
    """A resource type of those providers → the rows of the resource it
    manages (`segment_source` → `source.fields`; the pattern rows'
    `terraform_resources`, kinds)."""
    neutral_field: str | None = None
    """The row of the Config field names the scanner cannot attribute to
    one resource (`{shared_fields}`): also that of the arguments of a Config
    provider's block that its resource's row does not have."""
    occurrences: Occurrences | None = None
    """Every needle the text scanner looks for (starts, field names, pattern
    anchors and requirements), found in one pass."""
    segment_domains: frozenset[str] = frozenset()
    """The domains of the Config and Public hosts (`segmentapis.com`): a URL
    of any other named host is another API's (`other_api`)."""
    reported: frozenset[str] = frozenset()
    """The ids of the rows the text scanner reports (hosts, endpoints,
    resource names, field names, patterns)."""
    resource_keys: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    """A key that wraps resources (`source`, `sources`) → their row ids, and
    the bracket its value opens (`{` for one, `[` for a list)."""
    wrapper_keys: re.Pattern[str] | None = None
    """A key of `resource_keys`, quoted, opening its value (`"source": {`,
    `"sources": [`) or read off a response (`["source"]`)."""
    yaml_wrapper_keys: re.Pattern[str] | None = None
    """A key of `resource_keys` alone on its YAML line (`source:`)."""
    type_names: re.Pattern[str] | None = None
    """A type named after a key of `resource_keys` that wraps one resource,
    defined: Go's `type Source struct`, TypeScript's `interface Source`,
    `type TrackingPlan = {`, a class (`class Source(TypedDict)`)."""
    type_keys: dict[str, str] = field(default_factory=dict)
    """The name of such a type → its key (`TrackingPlan` → `tracking_plan`)."""
    endpoint_resources: dict[str, frozenset[str]] = field(default_factory=dict)
    """Endpoint row id → the rows of the resources its request and response hold."""
    references: dict[tuple[str, str], Word] = field(default_factory=dict)
    """(Config key, row of a resource name) → what that key holding such a
    name becomes (`parent` holding a workspace's name is a source's
    `workspaceId`), by the row whose field it is (`_references`)."""
    longest: int = 0
    """Segments of the longest route or name template: a path read past it
    (`workspaces/workspaces/...` of a minified file) matches as a prefix only."""
    _routes_of: dict[str, tuple[Route, ...]] = field(default_factory=dict, repr=False)
    """`routes_for`, remembered: the same paths recur from file to file."""

    def triggers_for(self, path: str) -> tuple[bytes, ...]:
        return self.prefilter_for(path).needles

    def prefilter_for(self, path: str) -> AnyOfOrHost:
        """The search that clears a file holding none of its triggers."""
        dot = path.rfind(".")
        if dot < 0 or len(self.prefilters) == 1:
            return self.prefilters[""]
        return self.prefilters.get(path[dot:].lower(), self.prefilters[""])

    def has_trigger(self, path: str, data: bytes) -> bool:
        dot = path.rfind(".")
        search = self.trigger_filters.get(path[dot:].lower()) if dot >= 0 else None
        return bool((search or self.trigger_filters[""]).find(data)) or self.mixed_case_host(data)

    def mixed_case_host(self, data: bytes) -> bool:
        """`data` names a Config host in a case the triggers miss (asked after them)."""
        return self.any_case is not None and self.any_case(data)

    def link_flags(self, data: bytes, apart: bool = False) -> tuple[bool, bool]:
        """Whether `data` holds a Public host, and a Config field name (with
        `apart`, also a resource name taken apart, `taken_apart`)."""
        assert self.link_search is not None
        public, words = self.link_search(data)
        return public, words or apart and self.takes_apart(data)

    def takes_apart(self, data: bytes) -> bool:
        """Whether Python `data` splits a resource name on `/` (`taken_apart`):
        not among the prefilter's needles (one SIMD search holds no more),
        a quick search of its own first."""
        return self.taken_apart is not None and bool(_APART_QUICK.find(data)) \
            and self.taken_apart.search(data) is not None

    def public_matches(self, text: str) -> Iterator[tuple[Pattern, re.Match[str]]]:
        """The matches in `text` of the pattern rows also reported in a file
        that calls the Public API (`Pattern.public_files`), on the lines
        holding their anchors."""
        for pattern in self.patterns:
            if not pattern.public_files or pattern.is_marker:
                continue
            starts = sorted({text.rfind("\n", 0, at) + 1 for anchor in pattern.anchors
                             for at in _occurrences(text, anchor)})
            for line_start in starts:
                line_end = text.find("\n", line_start)
                line_end = len(text) if line_end < 0 else line_end
                yield from ((pattern, m) for m in pattern.regex.finditer(text, line_start, line_end))

    def other_api(self, netloc: str) -> bool:
        """Whether a URL's host is known to be another API's: a DNS name
        outside the Segment hosts' domains (`generativelanguage.googleapis.com`);
        not a placeholder, an IP address or `localhost`, which may stand in
        for the Config API."""
        host = host_name(netloc)
        if "." not in host or not _HOST_NAME.fullmatch(host) or host.replace(".", "").isdigit():
            return False
        return _domain(host) not in self.segment_domains

    def routes_for(self, path: str) -> tuple[Route, ...]:
        """Rows whose Config path template matches `path` (no `/v1beta`) exactly."""
        found = self._routes_of.get(path)
        if found is None:
            if len(self._routes_of) >= ROUTES_REMEMBERED:
                self._routes_of.clear()
            heads = self.path_heads
            found = tuple(route for route in self.routes
                          if (params := route.template.match(path)) is not None
                          and not route.template.spans_over(params, heads))
            self._routes_of[path] = found
        return found


def _occurrences(text: str, needle: str) -> Iterator[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def compile_rules(rules: RuleSet) -> Catalog:
    catalog = Catalog(rows=dict(rules.by_id))
    for row in rules.hosts:
        catalog.hosts.append(_host(row.id, row.config, row.public))
    for row in rules.endpoints:
        catalog.routes.append(_route(row, rules.config_prefix))
    # Most specific first, as in `RuleSet.match_endpoint`.
    catalog.routes.sort(key=lambda r: -r.template.literal_length)
    resources = list(rules.resources.values())
    for resource in resources:
        if resource.name_pattern:
            catalog.names.append(_name(resource))
    catalog.names.sort(key=lambda n: -n.template.literal_length)
    templates = [r.template for r in catalog.routes] + [n.template for n in catalog.names]
    catalog.longest = max((len([s for s in t.text.split("/") if s]) for t in templates), default=0)
    catalog.fragments = fragments(rules.endpoints, rules.config_prefix)
    shared = shared_field_names(resources)
    for f in rules.files:
        for row in f.patterns:
            catalog.patterns.append(_pattern(row, catalog.fragments, shared))
            catalog.terraform_providers |= {p.lower() for p in row.terraform_providers}
            if row.terraform_providers and catalog.terraform_rule is None:
                catalog.terraform_rule = row.id
    neutral = next((p for p in catalog.patterns if p.shared_fields), None)
    catalog.neutral_field = neutral.rule if neutral else None
    catalog.words = _words(rules, resources, catalog.neutral_field)
    catalog.taken_apart = apart_search(apart_fields(resources, catalog.words))
    catalog.terraform_resources = _terraform_resources(rules, resources)
    catalog.resource_keys, catalog.endpoint_resources = _resource_keys(rules, resources)
    catalog.wrapper_keys, catalog.yaml_wrapper_keys = _wrapper_keys(list(catalog.resource_keys))
    catalog.type_names, catalog.type_keys = _type_names(catalog.resource_keys)
    catalog.references = _references(resources)
    catalog.reported = frozenset(
        [*(h.rule for h in catalog.hosts), *(r.rule for r in catalog.routes), *(n.rule for n in catalog.names),
         *(w.rule for w in catalog.words.values()), *(p.rule for p in catalog.patterns)]
    )
    host_texts = [urlsplit(h.config).netloc for h in rules.hosts]
    catalog.segment_domains = frozenset(_domain(h) for h in (*host_texts, *rules.public_hosts))
    version = rules.config_prefix.strip("/")
    # Config resource names start with the workspace's (`workspaces/{workspace}`).
    workspaces = _literal_head(rules.resources["workspace"].name_pattern or "")
    catalog.version_start, catalog.names_start = f"{version}/", workspaces
    # Host names are case-insensitive: the Config host in capitals too (`PLATFORM.SEGMENTAPIS.COM`;
    # in mixed case, the cases of a piece of it go along the triggers in the prefilters' search,
    # `any_case`; `text.fold_hosts` finds it).
    catalog.host_names = tuple(h.lower() for h in host_texts)
    catalog.hosts_pattern = "|".join(re.escape(name) for name in catalog.host_names)
    hosts_any_case = catalog.any_case = AnyCase(catalog.host_names)
    host_texts = [*host_texts, *(h.upper() for h in host_texts)]
    templates = [r.template.text.lstrip("/") for r in catalog.routes]
    catalog.path_heads = path_heads(templates)
    catalog.based_starts = _based_starts(catalog.path_heads, templates, workspaces)
    catalog.starts = (*host_texts, catalog.version_start, catalog.names_start, *catalog.based_starts)
    # `v1beta` rather than `v1beta/`: as cheap, and it covers the codemod's prefilter.
    # the segment alone and quoted too: a path joined from a list (`"/".join(["workspaces", ws, ...])`)
    quoted = [f"{q}{workspaces.rstrip('/')}{q}" for q in "\"'"] if workspaces else []
    triggers = {t.encode() for t in (*host_texts, version, workspaces, *quoted)}
    by_suffix: dict[str, set[bytes]] = defaultdict(set)
    for pattern in catalog.patterns:
        if not pattern.context:
            needles = {r.encode() for r in pattern.requires}
            if pattern.suffixes:
                for suffix in pattern.suffixes:  # the prefilter knows a file by its last extension (`.tf.json`: `.json`)
                    by_suffix[suffix[suffix.rfind("."):]].update(needles)
            else:
                triggers.update(needles)
    # the block types of a Config provider's resources: a module's file holding them alone, whose
    # provider another file of the module declares (`versions.tf`), is read for them
    blocks = {block.encode() for f in rules.files for row in f.patterns for block in row.terraform_resources}
    for suffix in (s for f in rules.files for row in f.patterns if row.terraform_resources for s in row.suffixes):
        by_suffix[suffix[suffix.rfind("."):]].update(blocks)
    # Sorted, for an order that does not depend on the order of the rows.
    catalog.triggers = tuple(sorted(triggers, key=lambda t: (-len(t), t)))
    catalog.suffix_triggers = {
        suffix: tuple(sorted(triggers | extra, key=lambda t: (-len(t), t)))
        for suffix, extra in by_suffix.items()
    }
    catalog.trigger_filters = {"": AnyOf(catalog.triggers)}
    catalog.trigger_filters.update((s, AnyOf(t)) for s, t in catalog.suffix_triggers.items())
    # Files of languages whose imports the audit follows are also looked at
    # for the Public host and Config field names (see `links`).
    hosts = (h.encode() for h in rules.public_hosts)
    catalog.link_search = HostsAndNames(hosts, sorted(w.encode() for w in catalog.words))
    wanted = {suffix: search.needles for suffix, search in catalog.trigger_filters.items()}
    joins = join_needles(catalog.path_heads)  # Python files joining a path head to a name (`joined_bases`)
    for suffix, lang in LANGUAGES.items():
        wanted[suffix] = (*catalog.trigger_filters.get(suffix, catalog.trigger_filters[""]).needles,
                          *catalog.link_search.search.needles, *(joins if lang == "python" else ()))
    built: dict[tuple[bytes, ...], AnyOfOrHost] = {}  # one search per set of needles
    for suffix, needles in wanted.items():
        catalog.prefilters[suffix] = built.get(needles) or built.setdefault(needles, AnyOfOrHost(needles, hosts_any_case))
    needles = {*catalog.starts, *catalog.words}
    for pattern in catalog.patterns:
        needles.update(pattern.anchors, pattern.requires)
    catalog.occurrences = Occurrences(needles)
    return catalog


_HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")


def host_name(netloc: str) -> str:
    """A URL's host name: no user, port, case or final dot."""
    return netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")


def _domain(netloc: str) -> str:
    """The last two labels of a host name (`segmentapis.com`)."""
    return ".".join(netloc.split(":", 1)[0].lower().split(".")[-2:])


def _host(rule: str, config: str, public: dict[str, str]) -> Host:
    parts = urlsplit(config)
    prefix = parts.path.rstrip("/")
    regex = re.compile(  # also over plain `http://`, which the host refused: a finding all the same
        rf"(?i:(?:{re.escape(parts.scheme)}|http):)?(?://)?(?i:{re.escape(parts.netloc)})(?::443)?"
        + (rf"(?:{re.escape(prefix)}(?![A-Za-z0-9]))?" if prefix else "")
    )
    where = " or ".join(f"{url} ({region.upper()})" for region, url in public.items())
    message = f"Config API host: use {where}, without a version prefix; a Public API token is needed"
    return Host(rule, regex, message)


def row_severity(row: Any) -> Severity:
    """A to-do of a row a person must act on, or with no Public counterpart, is an error."""
    if row is not None and (getattr(row, "safety", "") == "manual" or getattr(row, "public", "") is None):
        return "error"
    return "warning"


def _route(row: EndpointRow, prefix: str) -> Route:
    method, path = row.config.split(" ", 1)
    bare = path[len(prefix) :] if path.startswith(prefix + "/") else path
    if row.public is None:
        message = f"`{row.config}` has no Public API counterpart: {row.instead}"
        severity: Severity = "error"
    else:
        message = f"`{row.config}` is `{row.public}` in the Public API"
        if row.ids:
            message += " (ids from `migrator ids`)"
        if row.instead:
            message += f"; {row.instead}"
        severity = "warning"
    return Route(
        row.id, method, Template(bare), row.config, message, severity,
        row.public, row.instead, bool(row.ids),
    )


def _name(row: ResourceRow) -> Name:
    pattern = row.name_pattern or ""
    message = (
        f"Config resource name of a {row.kind} (`{pattern}`): the Public API identifies "
        f"objects by id; see rule {row.id}"
    )
    return Name(row.id, Template("/" + pattern), message)


def _field_targets(resources: list[ResourceRow]) -> dict[str, list[tuple[ResourceRow, str | None, str]]]:
    """Config-only field names → (resource, what it becomes: "`to`", or None
    when dropped, why): snake_case fields that the Public API renames or
    drops, and snake_case list keys. Names without `_` (`name`, `enabled`)
    are too common to report."""
    targets: dict[str, list[tuple[ResourceRow, str | None, str]]] = defaultdict(list)
    for resource in resources:
        for key, fmap in resource.fields.items():
            last = key.split(".")[-1]
            if "_" not in last:
                continue
            if fmap.drop:
                targets[last].append((resource, None, fmap.reason or ""))
            elif (fmap.to or "").lstrip("/") != key:
                targets[last].append((resource, f"`{(fmap.to or '').lstrip('/')}`", ""))
        list_key = resource.config_list_key
        if list_key and "_" in list_key and list_key != resource.public_list_key:
            targets[list_key].append((resource, f"`data.{resource.public_list_key}`", ""))
    return targets


def shared_field_names(resources: list[ResourceRow]) -> list[str]:
    """The Config-only field names of more than one resource row (`display_name`)."""
    return sorted(name for name, uses in _field_targets(resources).items() if len({r.id for r, _, _ in uses}) > 1)


def _words(rules: RuleSet, resources: list[ResourceRow], neutral: str | None) -> dict[str, Word]:
    """Config-only names: the resources' fields (`_field_targets`), and the
    pagination and update-mask keys. A field several resources have is
    reported under the `neutral` row unless the file shows whose it is."""
    words = {name: _field_word(name, uses, neutral) for name, uses in _field_targets(resources).items()}
    for f in rules.files:
        for row in f.envelopes:
            nxt = getattr(row, "public_next", "next")
            words[row.next_page_token] = Word(
                row.id,
                f"Config page token `{row.next_page_token}`: read "
                f"`data.{row.public_pagination}.{nxt}`, null or absent on the last page",
                "note",
            )
        for row in f.pagination:
            words[row.size_param] = Word(
                row.id, f"Config query parameter `{row.size_param}` is `{row.count_param}`, "
                "which Public list calls require", "note", sent=True,
            )
            words[row.token_param] = Word(
                row.id, f"Config query parameter `{row.token_param}` has no Public counterpart: "
                f"page with `{row.cursor_param}` from the previous response", "note", sent=True,
            )
        for row in f.update_masks:
            words[row.key] = Word(row.id, f"Config `{row.key}`: {row.instead}", "note", sent=True)
    return words


def _field_word(name: str, uses: list[tuple[ResourceRow, str | None, str]], neutral: str | None) -> Word:
    """What a Config field becomes: the most common outcome first, the others
    with the resources they apply to (`display_name` is `name`, but
    `displayName` for a function). Its rule is its resource's row; for a
    field of several resources, the `neutral` row (without one, the first
    row with the most common outcome, ids sorted), and each resource's own
    row and message for where the file shows which it is."""
    outcomes = Outcomes.of(uses)
    message = _outcome_message(name, outcomes.first, outcomes.reason() if outcomes.first is None else None)
    others = outcomes.others()
    message += f" ({'; '.join(others)})" if others else ""
    rows = sorted({r.id for r, _, _ in uses})
    if len(rows) == 1:
        return Word(rows[0], message, "note")
    by_resource = {
        r.id: (r.id, _outcome_message(name, to, why or None, kinds_phrase([r.kind]))) for r, to, why in uses
    }
    # Sorted ids: the same whatever the order of the files of the table.
    rule = neutral or min(r.id for r, _ in outcomes.by_outcome[outcomes.first])
    return Word(rule, message, "note", by_resource=by_resource)


def _outcome_message(name: str, to: str | None, reason: str | None, of: str = "") -> str:
    """`Config field `display_name` [of a source] is `name` in the Public API`."""
    subject = f"Config field `{name}`" + (f" of {of}" if of else "")
    if to is None:
        return f"{subject} has no Public API counterpart" + (f" ({reason})" if reason else "")
    return f"{subject} is {to} in the Public API"


def _resource_keys(
    rules: RuleSet, resources: list[ResourceRow],
) -> tuple[dict[str, tuple[frozenset[str], str]], dict[str, frozenset[str]]]:
    """`Catalog.resource_keys` and `Catalog.endpoint_resources`, from the
    resource rows (their kind, list key) and the endpoint rows (wrapper,
    request and response kinds)."""
    of_kind: dict[str, set[str]] = defaultdict(set)
    keys: dict[str, tuple[set[str], str]] = {}
    for resource in resources:
        of_kind[resource.kind].add(resource.id)
        if resource.config_list_key:
            keys.setdefault(resource.config_list_key, (set(), "["))[0].add(resource.id)
    for resource in resources:
        keys.setdefault(resource.kind.replace("-", "_"), (set(), "{"))[0].update(of_kind[resource.kind])
    by_endpoint: dict[str, frozenset[str]] = {}
    for row in rules.endpoints:
        held = set().union(*(of_kind.get(k or "", set()) for k in (row.request, row.response)))
        if row.wrapper and row.request:
            keys.setdefault(row.wrapper, (set(), "{"))[0].update(of_kind.get(row.request, ()))
        if held:
            by_endpoint[row.id] = frozenset(held)
    return {k: (frozenset(ids), bracket) for k, (ids, bracket) in keys.items() if ids}, by_endpoint


def _terraform_resources(rules: RuleSet, resources: list[ResourceRow]) -> dict[str, frozenset[str]]:
    """`Catalog.terraform_resources`, from the pattern rows' `terraform_resources`
    (kinds; one the table has no row of names no resource: rules/audit.toml
    goes with other tables too)."""
    of_kind: dict[str, set[str]] = defaultdict(set)
    for resource in resources:
        of_kind[resource.kind].add(resource.id)
    return {block: frozenset(of_kind[kind])
            for f in rules.files for row in f.patterns for block, kind in row.terraform_resources.items()}


def _references(resources: list[ResourceRow]) -> dict[tuple[str, str], Word]:
    """`Catalog.references`: the fields whose value the rows parse as the
    resource name of another resource (`parent`, `source_name`), and what
    each becomes; for a key of several rows (`parent` holding a source's
    name, in a destination and in source settings), each row's outcome by
    resource (`Word.by_resource`), for a file that shows whose the key is."""
    named = {r.name_pattern: r for r in resources if r.name_pattern}
    uses: dict[tuple[str, str], list[tuple[ResourceRow, str]]] = defaultdict(list)
    for resource in resources:
        for key, fmap in resource.fields.items():
            target = named.get(fmap.parse or "")
            if target is None or target.id == resource.id or fmap.drop or not fmap.to:
                continue  # (a resource's own name is the sign of its fields, not a reference)
            outcome = f"`{fmap.to.lstrip('/')}` in the Public API" + (" (ids from `migrator ids`)" if fmap.id else "")
            uses[key.split(".")[-1], target.id].append((resource, outcome))
    out: dict[tuple[str, str], Word] = {}
    for (key, name_rule), found in uses.items():
        target = next(r for r in resources if r.id == name_rule)
        held = f"holds the resource name of {kinds_phrase([target.kind])} (`{target.name_pattern}`)"

        def message(of: list[ResourceRow], outcome: str) -> str:
            return f"Config field `{key}` of {kinds_phrase(r.kind for r in of)} {held}: it is {outcome}"

        by_outcome: dict[str, list[ResourceRow]] = defaultdict(list)
        for resource, outcome in found:
            by_outcome[outcome].append(resource)
        neutral = "; ".join(message(of, outcome) for outcome, of in by_outcome.items())
        rows = sorted(r.id for r, _ in found)  # sorted ids: the same whatever the order of the files
        by_resource = {r.id: (r.id, message([r], outcome)) for r, outcome in found} if len(rows) > 1 else {}
        out[key, name_rule] = Word(rows[0], neutral, "warning", by_resource=by_resource)
    return out


def fragments(endpoints: list[EndpointRow], prefix: str) -> list[str]:
    """Literal segments of Config paths that no Public path has and that are
    distinctive: hyphenated or `:`-verbs (`source-connections`,
    `metrics:getSummary`) or the first segment (`workspaces`). Short common
    words (`token`, `apps`, `metrics`) are left out."""
    public: set[str] = set()
    for row in endpoints:
        if row.public:
            public.update(_literal_segments(row.public.split(" ", 1)[1].split("?")[0]))
    found: set[str] = set()
    for row in endpoints:
        path = row.config.split(" ", 1)[1][len(prefix) :]
        segs = _literal_segments(path)
        for i, seg in enumerate(segs):
            if seg in public or len(seg) < 3 or not any(c.isalpha() for c in seg):
                continue  # also `-` of `roles/-/policies`
            if "-" in seg or ":" in seg or (i == 0 and path.split("/")[1] == seg):
                found.add(seg)
    return sorted(found, key=lambda s: (-len(s), s))


def _literal_segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s and "{" not in s]


def _wrapper_keys(keys: list[str]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """`Catalog.wrapper_keys` and `Catalog.yaml_wrapper_keys`."""
    if not keys:
        return None, None
    names = "|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k)))
    quoted = re.compile(rf"""["'](?P<key>{names})["'](?:\s*:\s*(?P<open>[\[{{])|(?P<subscript>\]))""")
    return quoted, re.compile(rf"^[ \t]*(?P<key>{names}):[ \t]*$", re.MULTILINE)


def _type_names(keys: dict[str, tuple[frozenset[str], str]]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """`Catalog.type_names` and `Catalog.type_keys`: the keys that wrap one
    resource (`source`, `tracking_plan`; not the lists, `sources`), in CamelCase."""
    named = {"".join(part[:1].upper() + part[1:] for part in key.split("_")): key
             for key, (_, bracket) in keys.items() if bracket == "{"}
    if not named:
        return None, {}
    names = "|".join(re.escape(n) for n in sorted(named, key=lambda n: (-len(n), n)))
    pattern = re.compile(
        rf"""\b(?:type[ \t]+(?P<type>{names})(?=[ \t]+struct\b|[ \t]*=[ \t]*\{{)  # Go's struct, a TypeScript type
            | (?:interface|class|struct|record)[ \t]+(?P<class>{names})\b)""",
        re.VERBOSE,
    )
    return pattern, named


def _pattern(row: PatternRow, fragment_list: list[str], shared: list[str]) -> Pattern:
    text = row.pattern
    lists = {FRAGMENTS: fragment_list, SHARED_FIELDS: shared, TERRAFORM_PROVIDERS: row.terraform_providers}
    for placeholder, names in lists.items():
        if placeholder in text:
            text = text.replace(placeholder, "|".join(re.escape(f) for f in names) or "(?!)")
    anchors = [a for anchor in row.anchors for a in lists.get(anchor, [anchor])]
    requires = [r for needle in row.requires for r in lists.get(needle, [needle])]
    return Pattern(
        row.id,
        re.compile(text, re.MULTILINE),
        row.message,
        row.severity,
        row.context,
        tuple(requires),
        tuple(anchors),
        tuple(s.lower() for s in row.suffixes),
        row.path_piece,
        SHARED_FIELDS in row.pattern,
        row.public_files,
        row.in_function,
    )


def _based_starts(heads: tuple[str, ...], templates: list[str], names_start: str) -> tuple[str, ...]:
    """The path heads (`joined_bases.path_heads`) as the route templates
    start with them: with the `/` after them where one follows (`catalog/`
    of `catalog/sources`), alone where a template is the head alone
    (`access-tokens`, `workspaces` of the workspaces' list); not
    `names_start` (`workspaces/`), which starts paths and resource names
    wherever they are."""
    starts = {f"{h}/" if t.startswith(f"{h}/") else h for h in heads
              for t in templates if t == h or t.startswith(f"{h}/")}
    return tuple(sorted(starts - {names_start}))


def _literal_head(pattern: str) -> str:
    """The literal text a name pattern starts with (`workspaces/` of `workspaces/{workspace}`)."""
    return pattern.split("{", 1)[0]
