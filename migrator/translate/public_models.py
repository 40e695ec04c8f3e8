"""The Public API shapes `translate` emits, as strict pydantic models.

`check_public(document, kind)` lists what in a translated document is not one
of these shapes: a key that is no Public field (a snake_case Config name
left over, an invented key), a value of the wrong JSON type, an enum value
the Public API does not have. Translations are partial by nature (ids the id
map lacks, catalog details the Config data never had), so a field is
required here only when the translation can always supply it; everything
else is optional, but never `null` unless the Public API says so.

The models follow the Public API v36 OpenAPI spec (`components.schemas`),
written out by hand so that they check the table rather than repeat it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from migrator.ruleset import load_rules

OMIT: Any = None
"""Default of an optional field: leaving it out is fine, an explicit JSON
`null` is not (the type says `| None` where the Public API allows null)."""


class Public(BaseModel):
    """A Public API object: no unknown keys, no type coercion. Validators
    are built on first use (building them all cost every start-up of the
    codemod 0.1 s)."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)


# --- shared ------------------------------------------------------------------------------


class PaginationOutput(Public):
    current: str = OMIT
    """Required by the Public API; a Config page cannot supply it."""
    next: str | None = OMIT
    previous: str | None = OMIT
    totalEntries: float = OMIT


class Logos(Public):
    default: str = OMIT
    mark: str | None = OMIT
    alt: str | None = OMIT


class CatalogOption(Public):
    name: str = OMIT
    type: str = OMIT
    required: bool = OMIT
    description: str = OMIT
    defaultValue: Any = OMIT
    label: str = OMIT


class LabelV1(Public):
    key: str
    value: str
    description: str = OMIT


class RequestError(Public):
    type: str
    message: str = OMIT
    field: str = OMIT
    data: Any = OMIT
    status: float = OMIT


class RequestErrorEnvelope(Public):
    errors: list[RequestError]


class StatusData(Public):
    status: Literal["SUCCESS"]


# --- workspace, catalog ------------------------------------------------------------------


class WorkspaceV1(Public):
    id: str = OMIT
    slug: str = OMIT
    name: str = OMIT


class SourceMetadataV1(Public):
    """A source catalog entry; inside a source only `id` and `slug` are known."""

    id: str = OMIT
    name: str = OMIT
    slug: str = OMIT
    description: str = OMIT
    logos: Logos = OMIT
    options: list[CatalogOption] = OMIT
    categories: list[str] = OMIT
    isCloudEventSource: bool = OMIT


class DestinationComponent(Public):
    type: Literal["ANDROID", "BROWSER", "IOS", "SERVER"]
    code: str = OMIT
    owner: Literal["PARTNER", "SEGMENT"] = OMIT


class SupportedFeatures(Public):
    cloudModeInstances: Literal["0", "1", "MULTIPLE", "NONE", "SINGLE"] = OMIT
    deviceModeInstances: Literal["0", "1", "NONE", "SINGLE"] = OMIT
    replay: bool = OMIT
    browserUnbundling: bool = OMIT
    browserUnbundlingPublic: bool = OMIT


class SupportedMethods(Public):
    pageview: bool = OMIT
    identify: bool = OMIT
    alias: bool = OMIT
    track: bool = OMIT
    group: bool = OMIT


class SupportedPlatforms(Public):
    browser: bool = OMIT
    server: bool = OMIT
    mobile: bool = OMIT


class DestinationMetadataV1(Public):
    """A destination catalog entry; inside a destination only `slug` is known."""

    id: str = OMIT
    name: str = OMIT
    description: str = OMIT
    slug: str = OMIT
    logos: Logos = OMIT
    options: list[CatalogOption] = OMIT
    status: Literal[
        "DEPRECATED", "PRIVATE_BETA", "PRIVATE_BUILDING", "PRIVATE_SUBMITTED", "PUBLIC", "PUBLIC_BETA", "UNAVAILABLE"
    ] = OMIT
    previousNames: list[str] = OMIT
    categories: list[str] = OMIT
    website: str = OMIT
    components: list[DestinationComponent] = OMIT
    supportedFeatures: SupportedFeatures = OMIT
    supportedMethods: SupportedMethods = OMIT
    supportedPlatforms: SupportedPlatforms = OMIT
    actions: list[dict[str, Any]] = OMIT
    presets: list[dict[str, Any]] = OMIT
    contacts: list[dict[str, Any]] = OMIT
    partnerOwned: bool = OMIT
    supportedRegions: list[str] = OMIT
    regionEndpoints: list[str] = OMIT


# --- sources, destinations, filters ------------------------------------------------------


class SourceV1(Public):
    id: str = OMIT
    slug: str = OMIT
    name: str = OMIT
    metadata: SourceMetadataV1 = OMIT
    workspaceId: str = OMIT
    enabled: bool = OMIT
    writeKeys: list[str] = OMIT
    settings: dict[str, Any] = OMIT
    labels: list[LabelV1] = OMIT


class DestinationV1(Public):
    id: str = OMIT
    name: str = OMIT
    enabled: bool = OMIT
    metadata: DestinationMetadataV1 = OMIT
    sourceId: str = OMIT
    settings: dict[str, Any] = OMIT


FilterActionType = Literal["DROP", "SAMPLE", "ALLOW_PROPERTIES", "DROP_PROPERTIES"]


class DestinationFilterActionV1(Public):
    type: FilterActionType
    fields: dict[str, Any] = OMIT
    percent: float = OMIT
    path: str = OMIT


class DestinationFilterV1(Public):
    id: str = OMIT
    sourceId: str = OMIT
    destinationId: str = OMIT
    if_: str = Field(OMIT, alias="if")
    actions: list[DestinationFilterActionV1] = OMIT
    title: str = OMIT
    description: str = OMIT
    enabled: bool = OMIT
    createdAt: str = OMIT
    updatedAt: str = OMIT


# --- source schema settings --------------------------------------------------------------


class TrackSettings(Public):
    allowUnplannedEvents: bool = OMIT
    allowUnplannedEventProperties: bool = OMIT
    allowEventOnViolations: bool = OMIT
    allowPropertiesOnViolations: bool = OMIT
    commonEventOnViolations: Literal["ALLOW", "BLOCK", "OMIT_PROPERTIES"] = OMIT


class TraitSettings(Public):
    """`identify` and `group` settings."""

    allowUnplannedTraits: bool = OMIT
    allowTraitsOnViolations: bool = OMIT
    commonEventOnViolations: Literal["ALLOW", "BLOCK", "OMIT_TRAITS"] = OMIT


class SourceSettingsOutputV1(Public):
    track: TrackSettings = OMIT
    identify: TraitSettings = OMIT
    group: TraitSettings = OMIT
    forwardingViolationsTo: str = OMIT
    forwardingBlockedEventsTo: str = OMIT


class SourceSettingsData(Public):
    """`data` of the source settings calls (no inner key)."""

    sourceId: str = OMIT
    settings: SourceSettingsOutputV1 = OMIT


# --- tracking plans ----------------------------------------------------------------------

TrackingPlanType = Literal["ENGAGE", "LIVE", "PROPERTY_LIBRARY", "RULE_LIBRARY", "TEMPLATE"]


class RuleV1(Public):
    type: Literal["TRACK", "IDENTIFY", "GROUP", "PAGE", "SCREEN", "COMMON"]
    key: str = OMIT
    jsonSchema: Any
    version: float
    createdAt: str = OMIT
    updatedAt: str = OMIT
    deprecatedAt: str = OMIT


class TrackingPlanV1(Public):
    id: str = OMIT
    name: str = OMIT
    slug: str = OMIT
    description: str = OMIT
    type: TrackingPlanType = OMIT
    """Required by the Public API; Config plans have no type."""
    updatedAt: str = OMIT
    createdAt: str = OMIT
    rules: list[RuleV1] = OMIT
    """Not a field of the Public plan: translate keeps a plan's rules beside it
    (the Public API serves them from `GET /tracking-plans/{id}/rules`)."""


# --- functions ---------------------------------------------------------------------------

FunctionResourceType = Literal["DESTINATION", "INSERT_DESTINATION", "SOURCE"]


class FunctionSettingV1(Public):
    name: str = OMIT
    label: str = OMIT
    description: str = OMIT
    type: Literal["ARRAY", "BOOLEAN", "STRING", "TEXT_MAP"] = OMIT
    required: bool = OMIT
    sensitive: bool = OMIT


class FunctionV1(Public):
    id: str = OMIT
    resourceType: FunctionResourceType = OMIT
    createdAt: str = OMIT
    createdBy: str = OMIT
    code: str = OMIT
    deployedAt: str | None = OMIT
    settings: list[FunctionSettingV1] = OMIT
    displayName: str = OMIT
    description: str = OMIT
    logoUrl: str = OMIT
    previewWebhookUrl: str = OMIT
    batchMaxCount: float = OMIT
    catalogId: str = OMIT
    isLatestVersion: bool = OMIT


class FunctionListItemV1(Public):
    """An item of `GET /functions`: no code, no settings."""

    id: str = OMIT
    resourceType: FunctionResourceType = OMIT
    createdAt: str = OMIT
    createdBy: str = OMIT
    displayName: str = OMIT
    description: str = OMIT
    logoUrl: str = OMIT
    catalogId: str = OMIT


# --- regulations, suppressions -----------------------------------------------------------

RegulationType = Literal["DELETE_INTERNAL", "DELETE_ONLY", "SUPPRESS_ONLY", "SUPPRESS_WITH_DELETE", "UNSUPPRESS"]
RegulationStatus = Literal[
    "FAILED", "FINISHED", "INITIALIZED", "INVALID", "NOT_SUPPORTED", "PARTIAL_SUCCESS", "RUNNING"
]


class RegulationListItemV1(Public):
    """An item of `GET /regulations` (subjects, no regulation type)."""

    id: str = OMIT
    subjectType: str = OMIT
    subjects: list[str] = OMIT
    status: RegulationStatus = OMIT
    createdAt: str = OMIT
    finishedAt: str = OMIT


class RegulationV1(Public):
    """`GET /regulations/{regulateId}`."""

    id: str = OMIT
    workspaceId: str = OMIT
    overallStatus: RegulationStatus = OMIT
    finishedAt: str = OMIT
    createdAt: str = OMIT
    streamStatus: list[dict[str, Any]] = OMIT


class RegulationCreatedData(Public):
    regulateId: str


class SuppressedV1(Public):
    subjectType: str = OMIT
    subjectIds: list[str] = OMIT


# --- IAM ---------------------------------------------------------------------------------


class RoleV1(Public):
    id: str = OMIT
    name: str = OMIT
    description: str = OMIT


class PermissionResource(Public):
    id: str
    type: str


class PermissionInput(Public):
    roleId: str
    resources: list[PermissionResource] = OMIT
    labels: list[dict[str, Any]] = OMIT


class InviteV1(Public):
    """An invite of a `POST /invites` body; `GET /invites` lists bare emails."""

    email: str
    permissions: list[PermissionInput] = OMIT


# --- request bodies ----------------------------------------------------------------------


class CreateSourceBody(Public):
    slug: str
    enabled: bool
    metadataId: str = OMIT
    settings: dict[str, Any] = OMIT


class UpdateSourceBody(Public):
    name: str = OMIT
    enabled: bool = OMIT
    slug: str = OMIT
    settings: dict[str, Any] = OMIT


class CreateDestinationBody(Public):
    sourceId: str = OMIT
    metadataId: str = OMIT
    enabled: bool = OMIT
    name: str = OMIT
    settings: dict[str, Any]


class UpdateDestinationBody(Public):
    name: str | None = OMIT
    enabled: bool = OMIT
    settings: dict[str, Any] = OMIT


class CreateFilterBody(Public):
    sourceId: str = OMIT
    if_: str = Field(alias="if")
    actions: list[DestinationFilterActionV1]
    title: str = OMIT
    description: str = OMIT
    enabled: bool = OMIT


class UpdateFilterBody(Public):
    if_: str = Field(OMIT, alias="if")
    actions: list[DestinationFilterActionV1] = OMIT
    title: str = OMIT
    description: str | None = OMIT
    enabled: bool = OMIT


class PreviewFilter(Public):
    if_: str = Field(alias="if")
    actions: list[DestinationFilterActionV1]


class PreviewFilterBody(Public):
    filter: PreviewFilter
    payload: dict[str, Any]


class CreateFunctionBody(Public):
    code: str
    settings: list[FunctionSettingV1] = OMIT
    displayName: str
    logoUrl: str = OMIT
    resourceType: FunctionResourceType
    description: str = OMIT


class UpdateFunctionBody(Public):
    code: str = OMIT
    settings: list[FunctionSettingV1] = OMIT
    displayName: str = OMIT
    logoUrl: str = OMIT
    description: str = OMIT


class CreateInvitesBody(Public):
    invites: list[InviteV1]


class CreateWorkspaceRegulationBody(Public):
    regulationType: RegulationType
    subjectType: Literal["USER_ID", "OBJECT_ID"]
    subjectIds: list[str]


class CreateSourceRegulationBody(Public):
    regulationType: RegulationType
    subjectType: Literal["USER_ID"]
    subjectIds: list[str]


class CreateCloudSourceRegulationBody(Public):
    regulationType: RegulationType
    subjectType: Literal["OBJECT_ID"]
    subjectIds: list[str]
    collection: str


class UpdateSourceSettingsBody(SourceSettingsOutputV1):
    pass


class CreateTrackingPlanBody(Public):
    name: str
    description: str = OMIT
    type: TrackingPlanType


class UpdateTrackingPlanBody(Public):
    name: str = OMIT
    description: str = OMIT


class ReplaceRulesBody(Public):
    rules: list[RuleV1]


class UpsertRuleV1(Public):
    type: Literal["TRACK", "IDENTIFY", "GROUP", "PAGE", "SCREEN", "COMMON"]
    key: str = OMIT
    newKey: str = OMIT
    jsonSchema: Any
    version: float


class UpdateRulesBody(Public):
    rules: list[UpsertRuleV1]


class AddSourceToTrackingPlanBody(Public):
    sourceId: str = OMIT


# --- the registry: resource kind → response shapes ---------------------------------------


@dataclass(frozen=True)
class Shape:
    """Where a resource sits in `data`: under `key` (None: `data` is the
    resource) for one, under `list_key` for a list page."""

    model: type[Public]
    key: str | None = None
    list_key: str | None = None
    item: Any = None
    """Type of a list item, when it differs from `model`."""


RESOURCES: dict[str, Shape] = {
    "workspace": Shape(WorkspaceV1, "workspace"),
    "source": Shape(SourceV1, "source", "sources"),
    "source-settings": Shape(SourceSettingsData),
    "source-connection": Shape(SourceV1, None, "sources"),
    "destination": Shape(DestinationV1, "destination", "destinations"),
    "filter": Shape(DestinationFilterV1, "filter", "filters"),
    "tracking-plan": Shape(TrackingPlanV1, "trackingPlan", "trackingPlans"),
    "catalog-source": Shape(SourceMetadataV1, "sourceMetadata", "sourcesCatalog"),
    "catalog-destination": Shape(DestinationMetadataV1, "destinationMetadata", "destinationsCatalog"),
    "function": Shape(FunctionV1, "function", "functions", FunctionListItemV1),
    "regulation": Shape(RegulationListItemV1, None, "regulations", RegulationListItemV1),
    "regulation-detail": Shape(RegulationV1, "regulation"),
    "regulation-created": Shape(RegulationCreatedData),
    "suppression": Shape(SuppressedV1, None, "suppressed"),
    "role": Shape(RoleV1, None, "roles"),
    "invite": Shape(InviteV1, None, "invites", str),
}
"""Kinds with only a list page in the Public API (`suppression`, `role`,
`invite`) have `key` None and a `list_key`: a single one is not a Public body."""


def _model(name: str, fields: dict[str, Any]) -> type[Public]:
    return create_model(name, __base__=Public, **fields)


@cache
def _single_body(kind: str) -> type[Public]:
    shape = RESOURCES[kind]
    data = _model(f"{shape.model.__name__}Data", {shape.key: (shape.model, ...)}) if shape.key else shape.model
    return _model(f"{shape.model.__name__}Body", {"data": (data, ...)})


@cache
def _list_body(kind: str) -> type[Public]:
    shape = RESOURCES[kind]
    assert shape.list_key is not None
    data = _model(
        f"{shape.model.__name__}Page",
        {shape.list_key: (list[shape.item or shape.model], ...), "pagination": (PaginationOutput, OMIT)},
    )
    return _model(f"{shape.model.__name__}ListBody", {"data": (data, ...)})


StatusBody = _model("StatusBody", {"data": (StatusData, ...)})


# --- request mode: Public calls ----------------------------------------------------------

PLACEHOLDER = re.compile(r"^\{[A-Za-z_][A-Za-z0-9_]*\}$")
"""An id translate could not fill (and reported): left as `{name}`."""


def _enum(*values: str) -> TypeAdapter[Any]:
    return TypeAdapter(Literal[values])  # type: ignore[valid-type]


STRING = TypeAdapter(str, config=ConfigDict(strict=True))
_PAGING = load_rules().pagination
PAGE: dict[str, TypeAdapter[Any]] = {
    _PAGING.count_param: TypeAdapter(
        Annotated[int, Field(ge=_PAGING.min_count, le=_PAGING.max_count)], config=ConfigDict(strict=True)
    ),
    _PAGING.cursor_param: STRING,
}
"""The query of a Public list call (the pagination row of the table)."""
MEDIA_TYPES = (
    "application/vnd.segment.v1+json",
    "application/vnd.segment.v1beta+json",
    "application/vnd.segment.v1alpha+json",
    "application/json",
)


@dataclass(frozen=True)
class Call:
    """One Public operation: `METHOD /path/{param}`, its body and query parameters."""

    endpoint: str
    body: type[Public] | None = None
    params: dict[str, TypeAdapter[Any]] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    """Query parameters the Public API requires (`pagination.count` on lists)."""
    output: str | None = None
    """For calls whose 200 body is not a resource of the table nor a bare
    `{"data": {"status": ...}}`: the spec's output schema, as shown to users."""
    body_required: tuple[str, ...] = ()
    """Body paths the Public API requires (`a[].b`: in every item of `a`);
    a rewritten body missing one is marked (`migrator.rewrite.bodies_inputs`)."""
    arrays: tuple[str, ...] = ()
    """Query parameters the spec types as arrays: a list of values, each
    checked with the parameter's adapter."""

    @property
    def method(self) -> str:
        return self.endpoint.split(" ", 1)[0]

    @property
    def regex(self) -> re.Pattern[str]:
        return _path_regex(self.endpoint.split(" ", 1)[1])


def _list_call(endpoint: str, **extra: TypeAdapter[Any]) -> Call:
    return Call(endpoint, None, {**PAGE, **extra}, ("pagination.count",))


_SETTING = ("description", "label", "name", "required", "sensitive", "type")

_BODY_REQUIRED: dict[str, tuple[str, ...]] = {
    "POST /sources": ("enabled", "metadataId", "slug"),
    "POST /destinations": ("metadataId", "settings", "sourceId"),
    "POST /destination/{destinationId}/filters": ("actions", "enabled", "if", "sourceId", "title", "actions[].type"),
    "PATCH /destination/{destinationId}/filters/{filterId}": ("actions[].type",),
    "POST /destination/filters/preview": ("filter", "payload"),
    "POST /tracking-plans": ("name", "type"),
    "PUT /tracking-plans/{trackingPlanId}/rules": ("rules", "rules[].jsonSchema", "rules[].type", "rules[].version"),
    "PATCH /tracking-plans/{trackingPlanId}/rules": ("rules", "rules[].jsonSchema", "rules[].type", "rules[].version"),
    "POST /tracking-plans/{trackingPlanId}/sources": ("sourceId",),
    "POST /functions": ("code", "displayName", "resourceType", *(f"settings[].{k}" for k in _SETTING)),
    "PATCH /functions/{functionId}": tuple(f"settings[].{k}" for k in _SETTING),
    "POST /regulations": ("regulationType", "subjectIds", "subjectType"),
    "POST /regulations/sources/{sourceId}": ("regulationType", "subjectIds", "subjectType"),
    "POST /regulations/cloudsources/{sourceId}": ("collection", "regulationType", "subjectIds", "subjectType"),
    "POST /invites": (
        "invites", "invites[].email", "invites[].permissions[].roleId", "invites[].permissions[].resources[].id",
        "invites[].permissions[].resources[].type", "invites[].permissions[].labels[].key",
        "invites[].permissions[].labels[].value",
    ),
}
"""Public operation → the body paths its input schema requires (`a[].b`: `b` in
every item of `a`), from the spec's `required` lists (see `Call.body_required`)."""


CALLS: tuple[Call, ...] = (
    Call("GET /"),
    _list_call("GET /catalog/sources"),
    Call("GET /catalog/sources/{sourceMetadataId}"),
    _list_call("GET /catalog/destinations"),
    Call("GET /catalog/destinations/{destinationMetadataId}"),
    _list_call("GET /sources"),
    Call("POST /sources", CreateSourceBody),
    Call("GET /sources/{sourceId}"),
    Call("PATCH /sources/{sourceId}", UpdateSourceBody),
    Call("DELETE /sources/{sourceId}"),
    Call("GET /sources/{sourceId}/settings"),
    Call("PATCH /sources/{sourceId}/settings", UpdateSourceSettingsBody),
    _list_call("GET /sources/{sourceId}/connected-destinations"),
    Call("POST /destinations", CreateDestinationBody),
    Call("GET /destinations/{destinationId}"),
    Call("PATCH /destinations/{destinationId}", UpdateDestinationBody),
    Call("DELETE /destinations/{destinationId}"),
    Call(
        "GET /destinations/{destinationId}/delivery-metrics",
        None,
        {"sourceId": STRING, "startTime": STRING, "endTime": STRING, "granularity": _enum("DAY", "HOUR", "MINUTE")},
        ("sourceId",),
        output="{\"data\": {\"deliveryMetricsSummary\": {sourceId, destinationMetadataId, metrics}}} "
        "(ListDeliveryMetricsSummaryFromDestinationBetaOutput)",
    ),
    _list_call("GET /destination/{destinationId}/filters"),
    Call("POST /destination/{destinationId}/filters", CreateFilterBody),
    Call("GET /destination/{destinationId}/filters/{filterId}"),
    Call("PATCH /destination/{destinationId}/filters/{filterId}", UpdateFilterBody),
    Call("DELETE /destination/{destinationId}/filters/{filterId}"),
    Call("POST /destination/filters/preview", PreviewFilterBody,
         output="{\"data\": {inputPayload, result}} (PreviewDestinationFilterV1Output)"),
    _list_call("GET /tracking-plans", type=_enum("ENGAGE", "LIVE", "PROPERTY_LIBRARY", "RULE_LIBRARY", "TEMPLATE")),
    Call("POST /tracking-plans", CreateTrackingPlanBody),
    Call("GET /tracking-plans/{trackingPlanId}"),
    Call("PATCH /tracking-plans/{trackingPlanId}", UpdateTrackingPlanBody),
    Call("DELETE /tracking-plans/{trackingPlanId}"),
    Call("PUT /tracking-plans/{trackingPlanId}/rules", ReplaceRulesBody),
    Call("PATCH /tracking-plans/{trackingPlanId}/rules", UpdateRulesBody),
    Call("POST /tracking-plans/{trackingPlanId}/sources", AddSourceToTrackingPlanBody),
    _list_call("GET /tracking-plans/{trackingPlanId}/sources"),
    Call("DELETE /tracking-plans/{trackingPlanId}/sources", None, {"sourceId": STRING}, ("sourceId",)),
    _list_call("GET /functions", resourceType=_enum("DESTINATION", "INSERT_DESTINATION", "SOURCE")),
    Call("POST /functions", CreateFunctionBody),
    Call("GET /functions/{functionId}"),
    Call("PATCH /functions/{functionId}", UpdateFunctionBody),
    Call("DELETE /functions/{functionId}"),
    Call("POST /regulations", CreateWorkspaceRegulationBody),
    replace(_list_call(
        "GET /regulations",
        status=_enum("FAILED", "FINISHED", "INITIALIZED", "INVALID", "NOT_SUPPORTED", "PARTIAL_SUCCESS", "RUNNING"),
        regulationTypes=_enum("DELETE_INTERNAL", "DELETE_ONLY", "SUPPRESS_ONLY", "SUPPRESS_WITH_DELETE", "UNSUPPRESS"),
    ), arrays=("regulationTypes",)),
    Call("GET /regulations/{regulateId}"),
    Call("DELETE /regulations/{regulateId}"),
    Call("POST /regulations/sources/{sourceId}", CreateSourceRegulationBody),
    Call("POST /regulations/cloudsources/{sourceId}", CreateCloudSourceRegulationBody),
    _list_call("GET /suppressions"),
    _list_call("GET /roles"),
    _list_call("GET /invites"),
    Call("POST /invites", CreateInvitesBody, output="{\"data\": {emails: [...]}} (CreateInvitesV1Output)"),
    Call("DELETE /invites", None, {"emails": STRING}, ("emails",), arrays=("emails",)),
)
CALLS = tuple(replace(call, body_required=_BODY_REQUIRED.get(call.endpoint, ())) for call in CALLS)


@cache
def _path_regex(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/?#]+", re.escape(path)) + r"\Z")


def find_call(method: str, url: str) -> Call | None:
    """The Public operation of a concrete (or still templated) call."""
    path = url.split("?", 1)[0]
    for call in CALLS:
        if call.method == method and call.regex.match(path):
            return call
    return None


def find_public(public: str) -> Call | None:
    """The Public operation of a table row's counterpart (`METHOD /path/{param}?query`)."""
    method, _, url = public.partition(" ")
    return find_call(method, url)


class CallEnvelope(Public):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    url: str
    params: dict[str, Any] = OMIT
    headers: dict[Literal["Accept", "Content-Type"], Literal[MEDIA_TYPES]] = OMIT  # type: ignore[valid-type]
    body: Any = OMIT


class RequestDocument(CallEnvelope):
    then: list[CallEnvelope] = OMIT


# --- the check ---------------------------------------------------------------------------

SNAKE = re.compile(r"[a-z0-9]_[a-z]")
MESSAGES = {
    "string_type": "expected a string",
    "bool_type": "expected a boolean",
    "int_type": "expected an integer",
    "float_type": "expected a number",
    "list_type": "expected a list",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
}


def check_public(document: Any, kind: str, *, request_endpoint: str | None = None) -> list[str]:
    """Problems of a translated document (`TranslateResult.document` of
    `TranslateResult.kind`), as `path: what` strings; empty when it is a
    Public API shape. For request mode (`kind` "request"), `request_endpoint`
    names the expected first call: a Public `METHOD /path/{param}` or the id
    of an endpoint row of the table."""
    if kind == "request":
        return _check_request(document, request_endpoint)
    if kind == "error":
        return _validate(RequestErrorEnvelope, document, "")
    if kind == "status":
        return _validate(StatusBody, document, "")
    if kind == "public":
        return _check_public_input(document)
    if kind not in RESOURCES:
        return [f"no Public model for kind {kind!r}"]
    shape = RESOURCES[kind]
    data = document.get("data") if isinstance(document, dict) else None
    is_list = shape.list_key is not None and (shape.key is None or (isinstance(data, dict) and shape.list_key in data))
    return _validate(_list_body(kind) if is_list else _single_body(kind), document, "")


def _check_public_input(document: Any) -> list[str]:
    """An input that was already Public comes back unchanged: its envelope,
    holding no Config resource (`{"data": {"source": {"display_name": ...}}}`)."""
    from migrator.translate.already import config_inside  # it reads this module's models

    if isinstance(document, dict) and "errors" in document:
        return _validate(RequestErrorEnvelope, document, "")
    if isinstance(document, dict) and set(document) == {"data"}:
        data = document["data"]
        found = config_inside(data, load_rules()) if isinstance(data, dict) else []
        return [f"{path}: Config fields in a Public body: {', '.join(keys)}" for path, _, _, keys in found]
    return ["<document>: expected a Public body: {\"data\": ...} or {\"errors\": [...]}"]


def _check_request(document: Any, expected: str | None) -> list[str]:
    problems = _validate(RequestDocument, document, "")
    if problems:
        return problems
    calls = [("", document), *((f"then[{i}].", call) for i, call in enumerate(document.get("then", [])))]
    if expected is not None:
        problems += _check_expected(document, expected)
    for prefix, call in calls:
        problems += _check_call(call, prefix)
    return problems


def _check_expected(document: dict[str, Any], expected: str) -> list[str]:
    """The first call is the expected one (or, when that call had nothing to
    send, one of the row's follow-up calls)."""
    targets = (expected,) if expected.startswith(HTTP) else _row_calls(expected)
    if not targets:
        return [f"{expected}: no endpoint row with a Public counterpart"]
    method, url = document["method"], document["url"]
    for target in targets:
        want, _, path = target.partition(" ")
        if want == method and _path_regex(path.split("?", 1)[0]).match(url.split("?", 1)[0]):
            return []
    return [f"call: expected {' or '.join(t.split('?', 1)[0] for t in targets)}, got {method} {url}"]


HTTP = ("GET ", "POST ", "PUT ", "PATCH ", "DELETE ")


@cache
def _row_calls(row_id: str) -> tuple[str, ...]:
    """The Public calls of an endpoint row: its counterpart, then its follow-ups."""
    from migrator.ruleset import load_rules  # the table, only when a row id is given

    row = load_rules().by_id.get(row_id)
    public = getattr(row, "public", None)
    if public is None:
        return ()
    return (public, *(c for f in getattr(row, "followups", []) for c in (f.call, f.partial) if c))


def _check_call(call: dict[str, Any], prefix: str) -> list[str]:
    found = find_call(call["method"], call["url"])
    if found is None:
        return [f"{prefix}url: no Public operation {call['method']} {call['url']}"]
    problems: list[str] = []
    if "body" in call:
        if found.body is None:
            problems.append(f"{prefix}body: {found.endpoint} takes no body")
        else:
            problems += _validate(found.body, call["body"], prefix + "body")
    elif found.body is not None and any(f.is_required() for f in found.body.model_fields.values()):
        problems.append(f"{prefix}body: missing")
    params = call.get("params", {})
    for name, value in params.items():
        adapter = found.params.get(name)
        if adapter is None:
            problems.append(f"{prefix}params.{name}: not a query parameter of {found.endpoint}")
        elif name in found.arrays:
            if not isinstance(value, list):
                problems.append(f"{prefix}params.{name}: not a list")
            else:
                problems += [p for i, item in enumerate(value) for p in _param(adapter, item, f"{prefix}params.{name}[{i}]")]
        else:
            problems += _param(adapter, value, f"{prefix}params.{name}")
    problems += [f"{prefix}params.{name}: missing" for name in found.required if name not in params]
    return problems


def _param(adapter: TypeAdapter[Any], value: Any, where: str) -> list[str]:
    """A query value's problems; a `{placeholder}` left for the user is none."""
    return [] if isinstance(value, str) and PLACEHOLDER.match(value) else _validate(adapter, value, where)


def _validate(model: type[BaseModel] | TypeAdapter[Any], value: Any, where: str) -> list[str]:
    try:
        if isinstance(model, TypeAdapter):
            model.validate_python(value)
        else:
            model.model_validate(value)
    except ValidationError as exc:
        return [_problem(error, where) for error in exc.errors()]
    return []


def _problem(error: Any, where: str) -> str:
    path = where
    for part in error["loc"]:
        path = f"{path}[{part}]" if isinstance(part, int) else (f"{path}.{part}" if path else str(part))
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        what = "not a Public field" + (" (snake_case: a Config name?)" if SNAKE.search(key) else "")
    elif kind == "missing":
        what = "missing"
    elif kind == "literal_error":
        expected = re.findall(r"'([^']*)'", error["ctx"]["expected"])
        what = f"{_show(value)} is not one of {'|'.join(expected)}"
    elif kind in MESSAGES:
        what = f"{MESSAGES[kind]}, got {_show(value)}"
    else:
        what = f"{error['msg']}, got {_show(value)}"
    return f"{path or '<document>'}: {what}"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."
