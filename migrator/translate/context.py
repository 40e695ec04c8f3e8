"""What one translation carries along: the table, the ids and the reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from migrator.idmap import CATALOGS, EMPTY, IdMap
from migrator.ruleset import RuleSet
from migrator.ruleset.models import IdKind, IdRef

DUPLICATE_KEY = "json.repeated-key"
"""Rule of the conflict a repeated key in the input text makes (JSON, not the APIs)."""

ReportKind = Literal[
    "dropped",  # removed by a named rule (the rule says why)
    "unknown",  # not in the table: left out of the output
    "unresolved",  # an id the id map does not hold
    "ambiguous",  # an id the id map holds several times
    "added",  # a value the Public API requires and the Config API did not have
    "ignored",  # request data outside the update mask (the Config API ignored it too)
    "cleared",  # a masked path without a value: sent as the empty value
    "note",  # a behaviour difference to review
    "review",  # a value kept on an undocumented assumption (a Config id as the Public id): check it
    "conflict",  # two values for one place (a repeated key, two settings of one name): one is lost
    "missing",  # a request body or list item lacks a value the Public shape requires (and nothing else reported why)
    "mistyped",  # a value of another JSON type than the Public field takes: copied as is
]


class Report(NamedTuple):
    kind: ReportKind
    path: str
    """Where in the input, e.g. `sources[0].create_time` (empty for the document)."""
    rule: str
    message: str


_new_report = tuple.__new__
"""`Report(...)` without the frame of its generated `__new__` (one call per report)."""


class TranslateError(ValueError):
    """The document cannot be translated at all; the message says why."""

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass
class GivenIds:
    """The Public ids a run gave to Config objects checked within another (a
    filter's, within its destination): two Config objects given one Public id
    would address one Public object. Shared by the documents of a run."""

    first: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(kind, Public id of the object it is within, Public id) → the Config id that got it first."""

    def claim(self, kind: str, within: str, public: str, config: str) -> str | None:
        """Record that the Config id `config` got `public`; the other Config id that got it first, if any."""
        first = self.first.setdefault((kind, within, public), config)
        return None if first == config else first


@dataclass
class Context:
    rules: RuleSet
    ids: IdMap = field(default_factory=lambda: EMPTY)
    direction: Literal["request", "response"] = "response"
    reports: list[Report] = field(default_factory=list)
    checks: bool = False
    """Look for values that collide on one output key (reported as conflicts,
    the first kept) and drop request keys the Public input does not take.
    Also: an id of a workspace other than the id map's is not looked up.
    `translate()` turns it on; engines that build their own context (the
    rewrite's body and mock translation) keep the earlier behaviour (the
    rewrite checks the workspace itself)."""

    types: bool = False
    """Report values of another JSON type than the Public field takes
    (`migrator translate`, and the rewrite's bodies, whose expressions are
    not checked: `typed`)."""

    config_defaults: bool = False
    """Send the Config call's defaults the Public API does not document
    (`EndpointRow.config_defaults`; `migrator translate`, and the rewrite's
    bodies, `BodyContext`)."""

    response_defaults: bool = False
    """Fill the Public fields a response requires that the Config resource never
    had (`ResourceRow.response_defaults`, and a list's `pagination` when the
    page has no token; `migrator translate`: its output is a whole Public
    response; the rewrite's mock payloads keep only what the test gave)."""

    refuse_empty: bool = False
    """Refuse an update whose mask leaves nothing to send (`migrator translate`;
    the rewrite marks such a call in its own words)."""

    encode_paths: bool = False
    """Percent-encode each value put in a Public path segment (`migrator
    translate`: its `url` is sent as it is; the rewrite's URLs hold its own
    placeholders, and the paths kind writes the code's URL)."""

    passthrough: bool = False
    """Pass input already in Public form through (`migrator translate`): a
    call as request mode writes it, a request body of Public keys only (the
    rewrite translates the Config bodies of Config calls)."""

    unchanged: bool = False
    """Set when the input was already Public and is given back as it was."""

    call: dict[str, str] | None = None
    """The parameters of the Config call's path (`migrator translate` in request
    mode): a body value under another workspace or source is a conflict."""

    endpoint: dict[str, str] | None = None
    """The parameters of the `--endpoint` path (`migrator translate`, either
    mode): a value that `repeats` one (`FieldMap.repeats`) is checked against it."""

    repeated: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Path parameter → (the first value a `repeats` field gave it, where):
    without an endpoint, the items of one list must agree."""

    unfilled: set[str] = field(default_factory=set)
    """Output keys (dotted) whose value could not be given; already reported."""

    unfilled_why: dict[str, list[Report]] = field(default_factory=dict)
    """Output key (dotted) of `unfilled` → the reports that said why (an id not in the map)."""

    foreign: set[str] = field(default_factory=set)
    """Workspaces other than the id map's already reported (an id not looked up)."""

    known: dict[tuple[str, str | None], frozenset[str]] = field(default_factory=dict)
    """The Public ids of the id map, per kind (and object they are keyed below), once read (`confirm_id`)."""

    reviewed: set[tuple[str, str]] = field(default_factory=set)
    """Config ids (kind, id) already reported for review."""

    given: GivenIds = field(default_factory=GivenIds)
    """Public ids given so far, in this document or (`translate(given=...)`) this run."""

    _counted: Counter[Report] = field(default_factory=Counter, repr=False)
    """How often each report occurs in `reports[:_upto]` (`new_since`): a
    list document's items are not each compared with every earlier report."""
    _upto: int = field(default=0, repr=False)

    def confirm_id(self, kind: IdKind, value: object, path: str, rule: str, within: str | None = None) -> None:
        """Report for review a Config id kept as the Public id of `kind`
        unless the id map holds it as a Public id (`checks` on); with
        `within`, one keyed below that object's Public id (`""`: none known)."""
        if not self.checks or not isinstance(value, str):
            return
        if (kind, within) not in self.known:
            self.known[kind, within] = self.ids.public_ids(kind, within) if within != "" else frozenset()
        if value in self.known[kind, within] or (kind, value) in self.reviewed:
            return
        self.reviewed.add((kind, value))  # `name` and `id` of one function: one report
        where = "the id map does not hold it" if self.ids is not EMPTY else "no id map to check it against"
        self.report("review", path, rule,
                    f"the Config {kind} id '{value}' is kept as the Public id ({where}): whether Public {kind} ids "
                    f"equal Config ids is not documented; check it (`migrator ids` lists the Public ones)")

    def report(self, kind: ReportKind, path: str, rule: str, message: str) -> None:
        self.reports.append(_new_report(Report, (kind, path, rule, message)))

    def typed(self, value: object) -> bool:
        """Whether `value`'s JSON type is known (the rewrite's expressions are not)."""
        return True

    def _count_upto(self, n: int) -> None:
        """Make `_counted` count `reports[:n]`."""
        if self._upto > len(self.reports):  # the list was cut other than through `keep_since`: count afresh
            self._counted, self._upto = Counter(), 0
        if n < self._upto:
            self._counted.subtract(self.reports[n:self._upto])
        else:
            self._counted.update(self.reports[self._upto:n])
        self._upto = n

    def keep_since(self, before: int, kept: list[Report]) -> None:
        """Put `kept` in place of the reports made since `before`."""
        if before < self._upto:
            self._count_upto(before)
        self.reports[before:] = kept

    def new_since(self, before: int) -> None:
        """Leave out the reports made since `before` that an earlier report
        repeats (in order; one repeated among them is kept each time)."""
        self._count_upto(before)
        counted = self._counted
        self.keep_since(before, [r for r in self.reports[before:] if counted[r] <= 0])

    def repeated_key(self, path: str, key: str, hidden: object, within: str = "") -> None:
        """Report a value that a repeated key of the input text hid
        (`jsontext.duplicates`); `within` says where the text was (" in the JSON string")."""
        self.report("conflict", path, DUPLICATE_KEY,
                    f"'{key}' appears more than once{within}: the earlier value {show(hidden)} is replaced by "
                    f"the last one; left out")

    def other_workspace(self, named: str | None) -> tuple[str, str] | None:
        """`(named, why)` when `named` is another workspace than the id map's
        (`checks` on, and a map that says its workspace), else None."""
        mapped = self.ids.workspace if self.ids is not EMPTY and self.checks else None
        if mapped is None or named is None or named in (mapped.slug, mapped.id):
            return None
        return named, (f"this is workspace '{named}' but the id map is for '{mapped.slug}' (a Public API token "
                       f"works for one workspace; use that workspace's id map)")

    def lookup(self, ref: IdRef, params: dict[str, str]) -> str | None:
        """The id `ref` names when the map holds exactly one; None otherwise (not reported)."""
        try:
            key = ref.key.format_map(params)
        except KeyError:
            return None
        if self.ids is EMPTY or self.foreign_for(ref, params) is not None:
            return None
        return self.ids.resolve(ref.lookup, key).id

    def other_names(self, ref: IdRef, key: str, found: str, path: str, rule: str) -> None:
        """Report, in a response, a catalog slug whose id the map also holds
        under other keys: all but one of them are previous names (docs/ids.md),
        and the map does not say which, while the slug written beside the id
        (`metadata.slug`) is the Config one; the Public API answers the current."""
        if not self.checks or self.direction != "response" or ref.lookup not in CATALOGS:
            return
        others = [k for k in self.ids.keys_of(ref.lookup, found) if k != key]
        current = self.ids.previous_names.get(key) if ref.lookup == "destination-metadata" else None
        if current is not None:  # the map knows which is current
            self.report("review", path, rule,
                        f"'{key}' is a previous name of the {ref.lookup} '{current}' (id '{found}'), which the Public "
                        f"API answers as its slug; the slug '{key}' is kept beside the id: write '{current}'")
        elif others and not self.ids.previous_names:  # a map written before it kept them: which is current is not known
            names = ", ".join(f"'{k}'" for k in others)
            self.report("review", path, rule,
                        f"the id map holds the {ref.lookup} id '{found}' for '{key}' and for {names}: all but one "
                        f"are previous names of that catalog entry (the map does not say which is current), and "
                        f"the Public API answers the current slug for '{found}'; the slug '{key}' is kept beside "
                        f"it: check it")

    def foreign_for(self, ref: IdRef, params: dict[str, str]) -> tuple[str, str] | None:
        """`other_workspace` of the workspace in `params`, for a lookup in a
        map of one workspace (a catalog's ids are the same in every one)."""
        return None if ref.lookup in CATALOGS else self.other_workspace(params.get("workspace"))

    def resolve(self, ref: IdRef, params: dict[str, str], path: str, rule: str) -> str | None:
        """The id `ref` names, or None (reported) when the map cannot say."""
        try:
            key = ref.key.format_map(params)
        except KeyError as missing:
            self.report("unresolved", path, rule, f"no {missing} to look up the {ref.lookup} id")
            return None
        if self.ids is EMPTY:  # no map: no workspace of its own to compare, nothing left out or unread
            self.report("unresolved", path, rule, f"no {ref.lookup} id for '{key}' (run `migrator ids`)")
            return None
        other = self.foreign_for(ref, params)
        if other is not None:
            # A map holds the ids of one workspace: a slug of another is not looked up there.
            self.foreign.add(other[0])
            self.report("unresolved", path, rule, f"no {ref.lookup} id for '{key}': {other[1]}")
            return None
        mapped = self.ids is not EMPTY  # without a map, nothing was left out or unread either
        found = self.ids.resolve(ref.lookup, key) if mapped else None
        if found is not None and found.id is not None:
            self.other_names(ref, key, found.id, path, rule)
            return found.id
        if found is not None and found.ambiguous:
            self.report(
                "ambiguous", path, rule,
                f"{ref.lookup} '{key}' matches {len(found.ids)} ids ({', '.join(found.ids)}); pick one",
            )
        elif mapped and (why := self.ids.left_out_as_several(ref.lookup, key)) is not None:
            # a duplicate `migrator ids` left out: the candidates are in the reason (docs/ids.md, Ambiguity)
            self.report("ambiguous", path, rule, f"no {ref.lookup} id for '{key}': the id map leaves it out ({why})")
        elif mapped and (why := self.ids.left_out(ref.lookup, key)) is not None:
            # left out on purpose: a new `migrator ids` run would leave it out again
            self.report("unresolved", path, rule, f"no {ref.lookup} id for '{key}': the id map leaves it out ({why})")
        elif mapped and (skipped := self.ids.skipped_for(ref.lookup)) is not None:
            # running `migrator ids` again reads the same refusal: say what the map lacks and why
            self.report("unresolved", path, rule,
                        f"no {ref.lookup} id for '{key}': the id map could not read them all ({skipped})")
        else:
            self.report("unresolved", path, rule, f"no {ref.lookup} id for '{key}' (run `migrator ids`)")
        return None




def same(a: object, b: object) -> bool:
    """Whether two JSON values are equal as JSON: `true` is not `1`, nor
    `false` `0` (Python's `==` says they are), inside lists and objects too."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(value, b[key]) for key, value in a.items())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


def json_type(value: object) -> str:
    """The JSON Schema type of a JSON value (`integer` for whole numbers without a fraction)."""
    exact = _JSON_TYPES.get(type(value))
    if exact is not None:
        return exact
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


_JSON_TYPES: dict[type, str] = {
    type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
    dict: "object",
}
"""`json_type` of the plain Python types (subclasses, a read `Number`, take the checks)."""


def takes(value: object, types: tuple[str, ...]) -> bool:
    """Whether `value` is of one of the JSON `types` (a `number` may be an `integer`)."""
    found = json_type(value)
    return found in types or (found == "integer" and "number" in types)


def mistyped(ctx: Context, value: object, types: tuple[str, ...], what: str, path: str, rule: str) -> None:
    """Report `value` when it is not of the JSON `types` that `what` (the Public field) takes
    (`Context.types`)."""
    if ctx.types and types and ctx.typed(value) and not takes(value, types):
        ctx.report("mistyped", path, rule,
                   f"{what} takes {' or '.join(types)}, not {show(value)}: copied as is; {_MISTYPED[ctx.direction]}")


def mistyped_items(ctx: Context, items: list[object], types: tuple[str, ...], name: str, path: str, rule: str) -> None:
    """Report each item of `items` (at `path`) that is not of the JSON `types`
    the items of the Public field `name` take."""
    if not (ctx.types and types):
        return
    for i, item in enumerate(items):
        if not takes(item, types):  # the path and words made for what is reported only
            mistyped(ctx, item, types, f"the Public field '{name}[]'", join(path, i), rule)


_MISTYPED = {
    "request": "the Public API will likely reject it",
    "response": "the Public API never answers it so: code reading the Public response may fail on it",
}


def show(value: object) -> str:
    """A value as JSON text, for report messages (`true`, not Python's `True`)."""
    from migrator.translate.jsontext import dumps

    text = dumps(value, pretty=False)
    return text if len(text) <= 60 else text[:57] + "..."


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
