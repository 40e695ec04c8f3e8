"""The rows of the mapping table (`rules/*.toml`), as strict pydantic models.

Every row carries its documentation (summary, why, reference, safety) and its
examples; the engines (`translate`, `rewrite`, `audit`) read only these models.
"""

from __future__ import annotations

import re
import json
from urllib.parse import parse_qsl
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

RowId = str
ROW_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$")

Safety = Literal["safe", "needs-ids", "review", "manual"]
"""safe: automatic; needs-ids: needs the id map; review: a person should check
the result; manual: no automatic migration, a person must act."""

Region = Literal["us", "eu"]

IdKind = Literal[
    "workspace",
    "source",
    "destination",
    "source-metadata",
    "destination-metadata",
    "tracking-plan",
    "filter",
    "function",
    "user",
    "role",
]
"""The maps of the id-map file (see `migrator.idmap`)."""

Transform = Literal[
    "copy",
    "segment",
    "config-settings",
    "filter-fields",
    "tracking-plan-rules",
    "json-string",
    "upper",
]
"""How a value changes on its way across (see `migrator.translate.values`)."""

JsonType = Literal["string", "boolean", "number", "integer", "array", "object", "null"]
"""A JSON Schema type name (`number` includes `integer`)."""

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ENDPOINT = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/\S*)$")
PLAIN = re.compile(r"[A-Za-z0-9_.-]+")


def _json_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("expected JSON text in a TOML string")
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None


JsonText = Annotated[Any, BeforeValidator(_json_text)]
"""A JSON document written as text in the TOML file, parsed on load."""


class Strict(BaseModel):
    # validators built when first used: not by a run whose table is read back (`stored`)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class JsonExample(Strict):
    """A payload before and after `translate`."""

    before: JsonText
    after: JsonText = None
    error: str | None = None
    """Instead of `after`: translate refuses, with a message containing this."""
    endpoint: str | None = None
    """Concrete Config call, `METHOD /v1beta/...`; implies nothing about mode."""
    request: bool = False
    """Translate as a request body (needs `endpoint`)."""
    ids: dict[str, Any] | None = None
    """The part of an id map this example resolves with (same format as the file)."""

    @model_validator(mode="after")
    def _request_needs_endpoint(self) -> JsonExample:
        if self.request and not self.endpoint:
            raise ValueError("a request example needs an endpoint")
        if ("after" in self.model_fields_set) == (self.error is not None):
            raise ValueError("an example has either 'after' or 'error'")
        return self


class CodeExample(Strict):
    """Python source before and after `rewrite`."""

    before: str
    after: str
    ids: dict[str, Any] | None = None


class Row(Strict):
    id: RowId
    summary: str
    why: str
    reference: str
    safety: Safety
    examples: list[JsonExample] = []
    left_alone: list[JsonText] = []
    """Payloads that `translate` must return unchanged."""
    code: list[CodeExample] = []
    code_left_alone: list[str] = []
    """Python sources that `rewrite` must return byte-identical."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ROW_ID.match(value):
            raise ValueError("ids are dotted lower-case words, like 'source.fields'")
        return value

    @model_validator(mode="after")
    def _documented_by_examples(self) -> Row:
        if not (self.examples or self.code):
            raise ValueError("a row needs at least one example (examples or code)")
        if not (self.left_alone or self.code_left_alone):
            raise ValueError("a row needs at least one case that is left alone")
        return self


class HostRow(Row):
    config: str
    """Config API base, e.g. `https://platform.segmentapis.com/v1beta`."""
    public: dict[Region, str]


class IdRef(Strict):
    """Where an id comes from: a map of the id file, keyed by a template over
    the parameters parsed from a Config path or resource name."""

    lookup: IdKind
    key: str

    @field_validator("key")
    @classmethod
    def _key_has_params(cls, value: str) -> str:
        if "{" not in value:
            raise ValueError("key must use at least one {parameter}")
        return value


class Followup(Strict):
    """A second Public call that carries part of a Config body."""

    call: str
    """`METHOD /public/path`; placeholders as in the endpoint's `public`."""
    fields: list[str]
    """Top-level translated keys that move to this call's body."""
    partial: str | None = None
    """The call that carries a field when the update mask names only parts of
    it (`tracking_plan.rules.events`): `call` would replace the parts not named.
    Without one, nothing is sent for such a mask (reported)."""
    remove: str | None = None
    """The call that removes items (`DELETE …/rules`, which takes each rule's
    type, key and version): what a masked part without a value would need."""


def compiling(pattern: str) -> str:
    """`pattern`, when it is a valid regular expression."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


class Assumed(Strict):
    """A Config path parameter the Public call takes as something the fact base
    does not say it holds (the `{invite}` of an invite deletion, as its email)."""

    means: str
    """What the Public call takes the value as (`the invite's email`)."""
    pattern: str
    """A regular expression a (decoded) value must match whole to be taken so;
    another value is not sent: its placeholder stays, reported `unresolved`."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return compiling(value)


class EndpointRow(Row):
    config: str
    """`METHOD /v1beta/path/{param}`."""
    public: str | None = None
    """`METHOD /path/{param}[?query={param}]`; none when there is no counterpart."""
    ids: dict[str, IdRef] = {}
    """Public placeholder → where its id comes from."""
    body_ids: dict[str, IdRef] = {}
    """Request-body keys filled from the Config path (e.g. `sourceId`)."""
    assumed: dict[str, Assumed] = {}
    """Config path parameter → what the Public call takes it as, on an
    assumption: each value sent is reported for review (`migrator translate`)."""
    request: str | None = None
    """Resource kind of the request body."""
    wrapper: str | None = None
    """Key that wraps the Config request body (`source`, `destination`, ...)."""
    response: str | None = None
    """Resource kind of the response."""
    list_response: bool = False
    defaults: dict[str, Any] = {}
    """Public body fields the Config API did not have and the Public API requires."""
    config_defaults: dict[str, Any] = {}
    """Public body fields the Config call defaulted when its body gave none
    (a destination was created disabled) and whose Public default is not
    documented: sent explicitly, reported `added` as `defaults` are
    (`migrator translate`; the rewrite writes it into the body)."""
    body_key: str | None = None
    """The Public body is this key of the translated resource (e.g. `settings`)."""
    body_list: str | None = None
    """The Public body is `{<body_list>: [<translated body>]}`."""
    followups: list[Followup] = []
    paginated: bool = False
    config_whole_list: bool = False
    """The Config call answered the whole list in one response (no page
    token), while the Public call pages."""
    query: dict[str, str] = {}
    """Config query parameter → Public query parameter."""
    query_enums: dict[str, str] = {}
    """Config query parameter (a key of `query`) → `<resources row id>:<field>`,
    the field whose `enum` maps its values (`regulation.fields:regulation_type`)."""
    fixed_query: dict[str, str] = {}
    """Public query parameter → the value every call sends, for a filter the
    Public list has and the Config call did not need (a tracking-plan list's
    `type = "LIVE"`: the Public list also returns other kinds of plan). Only on
    paginated calls: they are sent with the page size."""
    when_body: dict[str, Any] = {}
    """Pick this row only for request bodies with these values (dotted paths)."""
    media_type: str | None = None
    """Versioned media type when the endpoint has no stable (v1) version."""
    instead: str | None = None
    """What to do instead, for partial or missing counterparts."""

    @field_validator("config")
    @classmethod
    def _config_shape(cls, value: str) -> str:
        match = ENDPOINT.match(value)
        if not match or not match.group(2).startswith("/v1beta/"):
            raise ValueError("expected 'METHOD /v1beta/...'")
        return value

    @field_validator("public")
    @classmethod
    def _public_shape(cls, value: str | None) -> str | None:
        if value is not None and not ENDPOINT.match(value):
            raise ValueError("expected 'METHOD /path'")
        return value

    @model_validator(mode="after")
    def _missing_counterpart_says_why(self) -> EndpointRow:
        if self.public is None and not self.instead:
            raise ValueError("an endpoint without a counterpart needs 'instead'")
        for name in self.assumed:
            if "{" + name + "}" not in self.config:
                raise ValueError(f"'assumed' names '{name}', which is not a parameter of the Config path")
        return self

    @model_validator(mode="after")
    def _query_enums_name_query_keys(self) -> EndpointRow:
        for key, ref in self.query_enums.items():
            if key not in self.query:
                raise ValueError(f"'query_enums' names '{key}', which is not a key of 'query'")
            if re.fullmatch(r"[^:\s]+:[^:\s]+", ref) is None:
                raise ValueError(f"'query_enums.{key}': expected '<resources row id>:<field>', not '{ref}'")
        return self

    @model_validator(mode="after")
    def _fixed_query_is_sent_alone(self) -> EndpointRow:
        if not self.fixed_query:
            return self
        if self.public is None or not self.paginated:
            raise ValueError("'fixed_query' needs a paginated endpoint with a Public counterpart")
        given = {k for k, _ in parse_qsl(self.public.partition("?")[2])} | set(self.query.values())
        for name, value in self.fixed_query.items():
            if name in given:
                raise ValueError(f"'fixed_query' names '{name}', which the call already fills (`public` or `query`)")
            if not (PLAIN.fullmatch(name) and PLAIN.fullmatch(value)):
                raise ValueError(f"'fixed_query': '{name}' = '{value}' must be letters, digits, '_', '.' or '-' "
                                 "(the rewrite writes them into code and URLs as they are)")
        return self


class FieldMap(Strict):
    """What happens to one Config field (a dotted path inside the resource)."""

    to: str | None = None
    """Dotted Public path; a leading '/' places it beside the resource in `data`."""
    drop: bool = False
    reason: str | None = None
    """For drops: what the user loses and what to do instead."""
    transform: Transform = "copy"
    parse: str | None = None
    """Name pattern the value is parsed with, e.g. `workspaces/{workspace}/sources/{source}`."""
    segment: str | None = None
    """Parameter of `parse` whose value is kept (transform 'segment')."""
    id: IdRef | None = None
    """Replace the value by an id from the id map."""
    check: IdKind | None = None
    """The value is a Config id kept as the Public id of this kind (their
    equality is not documented): unless the id map holds it as a Public id,
    it is reported for review (`migrator translate`)."""
    within: IdRef | None = None
    """With `check`: the object the id map keys ids of that kind below
    (`<destination id>/<title>` for filters): the value is checked against
    that object's ids only."""
    by: str | None = None
    """With `within`: the key of the Config object whose value follows the
    object's id in the map's key (a filter's `title`); when the map holds one
    id for it, that id is used in place of the value (with a note when they differ)."""
    enum: dict[str, str] = {}
    each: str | None = None
    """Resource kind applied to every item of a list (or to an object)."""
    keyed: str | None = None
    """For `tracking-plan-rules`: the section whose Config value is a list of
    items keyed by their name (`events`); the others are one object each."""
    when: Literal["both", "request", "response"] = "both"
    empty: Any = None
    """The Config value a masked path without a value clears the field to
    (an empty string, false, an empty list); translated like any other value."""
    fallback: bool = False
    """Fill the output only when no other input of the object gave it (a
    destination's `sourceId` from its `name` when it has no `parent`), nor
    named an id for it that the id map does not hold (reported there once). With
    `overrides` too, a value another input gave is checked as `overrides` says
    (a catalog entry's Config `id` beside the metadata id of its slug)."""
    overrides: bool = False
    """An id-map output that checks the value another input gives its key (a
    workspace's Config `id`, beside the Public id the map holds for its slug):
    when the map holds the id, it is used and a different value is reported as
    a conflict; when it does not, nothing is made or reported (`migrator
    translate`)."""
    masked: str | None = None
    """How the secret values of this map come back in Public responses
    (`••••` and the last characters): code reading them gets that text."""
    unset: list[Any] = []
    """Config values that mean no value (`""` for no forwarding target): left
    out with a note, not parsed; masked in an update, the field is cleared."""
    omit_clears: str | None = None
    """How the Public API clears the field, when it takes no empty value and
    clears it when a body leaves it out (a forwarding target): a masked path
    without a value, or with an `unset` one, sends nothing and is reported for
    review (elsewhere a PATCH keeps what it leaves out)."""
    described: list[str] = []
    """For `config-settings`: keys of a setting beside its name and value
    that the Public catalog describes instead (dropped); any other is unknown."""
    merged: bool = False
    """The Public field is a map a PATCH may merge its keys into (settings):
    its empty value may clear nothing, so a masked path without a value is
    reported for review, not as cleared."""
    repeats: str | None = None
    """The parameter of the Config call's path this value repeats (a source
    connection's `tracking_plan_id`, the call's `{plan}`): a value other than
    the `--endpoint` path's, or, without one, than an earlier item's of the
    list, is a conflict (`migrator translate`)."""
    also: list[FieldMap] = []
    """More outputs from the same input (e.g. `name` → `slug` and `id`)."""
    type: JsonType | list[JsonType] | None = None
    """The JSON type(s) the Public field takes (after the OpenAPI spec; `null`
    when it is nullable): a value of another type is copied and reported."""
    items: JsonType | list[JsonType] | None = None
    """The JSON type(s) the items of the Public field's lists take (the spec's
    `items`): of the value, for a field of type `array`; of each field list,
    for `filter-fields`. An item of another type is copied and reported."""

    @property
    def types(self) -> tuple[JsonType, ...]:
        return _types(self.type)

    @property
    def item_types(self) -> tuple[JsonType, ...]:
        return _types(self.items)

    @model_validator(mode="after")
    def _consistent(self) -> FieldMap:
        if self.drop and (self.to or self.also):
            raise ValueError("a dropped field has no target")
        if self.drop and not self.reason:
            raise ValueError("a dropped field needs a reason")
        if not self.drop and not self.to:
            raise ValueError("a field needs 'to' or 'drop = true'")
        if self.transform == "segment" and not (self.parse and self.segment):
            raise ValueError("transform 'segment' needs 'parse' and 'segment'")
        if self.id and not self.parse:
            raise ValueError("an id lookup needs 'parse' to read its key")
        if self.items is not None and self.each:
            raise ValueError("the items of an 'each' field are checked by its resource: no 'items'")
        if self.items is not None and "array" not in self.types and self.transform != "filter-fields":
            raise ValueError("'items' needs type 'array' (or transform 'filter-fields')")
        if self.within and not (self.check and self.parse):
            raise ValueError("'within' needs 'check' and 'parse' to read its key")
        if self.by and not self.within:
            raise ValueError("'by' needs 'within'")
        if self.overrides and not self.id:
            raise ValueError("'overrides' needs an id lookup")
        if self.transform == "json-string" and not self.types:
            raise ValueError("transform 'json-string' needs 'type': what the JSON in the string must be")
        return self


def _types(declared: JsonType | list[JsonType] | None) -> tuple[JsonType, ...]:
    if declared is None:
        return ()
    return (declared,) if isinstance(declared, str) else tuple(declared)


class ResourceRow(Row):
    """The field map of one Config resource kind and its Public envelope."""

    kind: str
    name_pattern: str | None = None
    """Pattern of the Config `name` that identifies this kind."""
    config_list_key: str | None = None
    public_key: str | None = None
    """Inner key of `data` for one resource; none when `data` is the resource."""
    public_list_key: str | None = None
    signature: list[str] = []
    """Keys that identify this kind when it has no `name` (all must be present)."""
    own_id: str | None = None
    """The key of a Config document without a `name` that holds its name's
    last segment (a function's `id`): checked against the `--endpoint` path
    as a `name` is (`migrator translate`)."""
    list_as_single: bool = False
    """The Public API returns one of these, never a list: a Config list of one
    becomes that one, a longer list is refused."""
    list_omit: list[str] = []
    """Public keys that list items do not carry (the single GET does)."""
    response_defaults: dict[str, Any] = {}
    """Public fields a response requires that the Config resource never had
    (a Config source had no labels): filled when absent, reported `added`."""
    response_required: list[str] = []
    """Public fields a response requires of this resource (the spec's
    `required`) that a translation may lack, the Config data having no value
    for them (a catalog entry's `actions`): none is made up, and an output
    lacking some is reported `missing` once per document (`migrator translate`)."""
    public_list_item: str | None = None
    """Public list items are this key's value rather than objects."""
    single_is_status: bool = False
    """A single one answers only with a status in the Public API."""
    fields: dict[str, FieldMap]
    nested: bool = False
    """Only used inside another resource (never detected on its own)."""
    no_counterpart: str | None = None
    """Set when the Public API has no such resource: what to do instead."""

    @property
    def list_item_source(self) -> str | None:
        """The Config field that gives `public_list_item`."""
        if self.public_list_item is None:
            return None
        return next((key for key, field in self.fields.items() if field.to == self.public_list_item), None)


class EnvelopeRow(Row):
    """Config list responses: the page token and its Public counterpart."""

    next_page_token: str
    public_pagination: str
    """Key of the pagination object inside `data`."""
    public_next: str
    """Key of the next-page cursor inside the pagination object."""
    data_key: str
    """Key of the Public success envelope."""
    status_body: JsonText
    """What `data` holds for calls that return no resource (deletes)."""


class PaginationRow(Row):
    size_param: str
    """Config page size query parameter (`page_size`)."""
    token_param: str
    """Config page token query parameter (`page_token`); not a Public cursor."""
    count_param: str
    """Public page size query parameter (`pagination.count`)."""
    cursor_param: str
    min_count: int = Field(ge=1)
    """Public page size range (`PaginationInput.count`), and the size a list call sends when it gave none."""
    max_count: int = Field(ge=1)
    default_count: int = Field(ge=1)

    @model_validator(mode="after")
    def _counts_in_order(self) -> PaginationRow:
        if not self.min_count <= self.default_count <= self.max_count:
            raise ValueError("min_count <= default_count <= max_count must hold")
        return self


class ErrorCode(Strict):
    status: int
    type: str


class ErrorRow(Row):
    message_key: str
    code_key: str
    public_key: str
    public_message_key: str
    """Key of the message in a Public error (an item of `public_key`)."""
    public_status_key: str
    """Key of the HTTP status in a Public error, in place of the Config code."""
    codes: dict[str, ErrorCode]
    repeated_message_key: str | None = None
    """A key that may repeat the message beside it (grpc-gateway's `message`)."""
    details_key: str | None = None
    """A key of further error details (grpc-gateway's `details`); the Public
    error carries none of them."""
    code_type: JsonType | None = None
    """The JSON type of the Config code (`integer`): a code of another type
    found in `codes` by its text (`"7"`) is reported `mistyped`."""


class UpdateMaskRow(Row):
    key: str
    """Top-level key of the mask, `update_mask`; its `paths` list the fields."""
    instead: str
    """What to do with a body that holds the mask (the audit's message)."""
    methods: list[str] = []
    """Config calls of these methods updated only what their mask listed:
    data sent without a mask changed nothing."""
    lower_camel: bool = False
    """The Config API may also have read a field spelled in lowerCamel
    (`displayName` for `display_name`): a masked path without a value whose
    lowerCamel spelling the body gives is a conflict (the Config call cleared
    it, or set it to that value), not a clear."""


class RuleFile(Strict):
    """One file of `rules/`."""

    family: str
    description: str
    hosts: list[HostRow] = []
    endpoints: list[EndpointRow] = []
    resources: list[ResourceRow] = []
    envelopes: list[EnvelopeRow] = []
    pagination: list[PaginationRow] = []
    errors: list[ErrorRow] = []
    update_masks: list[UpdateMaskRow] = []
    patterns: list[PatternRow] = []
    rewrites: list[RewriteRow] = []


Severity = Literal["error", "warning", "note"]


class PatternRow(Row):
    """A finding `audit` reports from a regular expression, for what the other
    rows cannot express (generic `v1beta/` pieces, tokens minted by password,
    rewrite markers). Its examples are lines of any file type."""

    pattern: str
    """Python regular expression, matched within one line. A named group
    `rule` naming a row of the table reports under that row's id instead
    (and a group `message` replaces the message). `{fragments}` stands for
    the Config-only segments of the endpoint paths, as an alternation;
    `{shared_fields}` for the Config field names several resource rows
    have, and makes the row the rule of those the audit cannot attribute to
    one resource (its field search finds them; the pattern is not run);
    `{terraform_providers}` for the row's `terraform_providers`."""
    anchors: list[str]
    """Strings one of which every match contains: the pattern only runs on
    lines holding one (found with a fast substring search)."""
    message: str
    """What to do, shown with every finding."""
    severity: Severity = "warning"
    context: bool = False
    """Report only in files that use the Config API (its host, a `v1beta/`
    path or a Config resource path)."""
    requires: list[str] = []
    """The file must contain one of these strings (cheap byte search)."""
    in_function: bool = False
    """In a Python file the codemod reads (precise mode), on a line it
    neither changes nor marks, reported only where the function holding the
    match (if any) contains one of `requires` too: the `Basic` header of the
    call minting a token, not a `Basic` auth helper of the same module."""
    suffixes: list[str] = []
    """Only files whose names end with one of these (all files when empty)."""
    codemod_finds: bool = False
    """In a Python file the codemod reads (precise mode) not reported: the
    codemod finds these itself, knowing which values hold Config responses."""
    public_files: bool = False
    """Also reported in a file that calls the Public API (Segment's Public
    host) with no Config API left in it, in a language whose imports the
    audit follows: a read a migration by hand left behind (see `links`)."""
    path_piece: bool = False
    """Its matches are pieces of a Config path (`f"{BASE}/access-tokens"`): a
    marker comment of `migrator rewrite` on the line above stands for them
    as for a whole path (see docs/audit.md, "After a rewrite")."""
    matches: list[str] = []
    """Lines the pattern reports (with context given, when `context`)."""
    ignores: list[str] = []
    """Lines it must leave alone."""
    terraform_providers: list[str] = []
    """Sources of Terraform providers built on the Config API
    (`ajbosco/segment`): the arguments of their `segment_*` resources are
    Config fields. `{terraform_providers}` in the pattern, anchors and
    requirements stands for them."""
    terraform_resources: dict[str, str] = {}
    """The resource types of those providers → the kind of the resource row
    each manages (`segment_source` → `source`): an argument of such a block
    is reported as a field of that row, or when the row has no such field,
    as an argument of the provider, not as another resource's field."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return compiling(value)

    @model_validator(mode="after")
    def _documented_by_examples(self) -> PatternRow:
        if not self.matches:
            raise ValueError("a pattern row needs at least one line in 'matches'")
        if not self.ignores:
            raise ValueError("a pattern row needs at least one line in 'ignores'")
        if not (self.context or self.requires):
            raise ValueError("a pattern row needs 'context = true' or 'requires' (it runs on every file)")
        if not self.anchors:
            raise ValueError("a pattern row needs at least one anchor")
        lists = ("{fragments}", "{shared_fields}", "{terraform_providers}")  # lists the table gives (`migrator.audit.table`)
        literal = [a for a in self.anchors if a not in lists]
        if not any(a in lists for a in self.anchors):
            for line in self.matches:
                if not any(a in line for a in literal):
                    raise ValueError(f"example {line!r} holds none of the anchors")
        return self


class RewriteRow(Row):
    """One kind of source rewrite done by `migrator rewrite` (a module of
    `migrator.rewrite`), documented by its code examples."""

    kind: str
    """The module of `migrator.rewrite` that implements it."""
    message: str | None = None
    """Marker or note text the kind writes; `{name}` fields are filled in."""
