"""translate outputs against the Public API OpenAPI spec (v36.2.0), and every
Config payload of `../shared/reference/examples/` through translate.

Skipped as a whole when `../shared` is absent (a fresh clone).

The spec is made strict before use: every object schema with `properties`
rejects other keys (so a snake_case leak or an invented key fails), and
OpenAPI 3.0 `nullable` becomes a JSON Schema `null` type. Translated
documents are partial by nature, so a missing *required* field is accepted
only when it is listed in `UNAVAILABLE` below or is an id that the
translation reported as unresolved.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import Report, TranslateError, TranslateResult, translate
from migrator.translate.public_models import check_public

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
SPEC_PATH = SHARED / "openapi" / "segment-public-api-openapi-v36.2.0.json"
EXAMPLES_DIR = SHARED / "examples"

if not SPEC_PATH.is_file():
    pytest.skip(f"{SPEC_PATH} is absent (it lives beside the repository)", allow_module_level=True)

jsonschema = pytest.importorskip("jsonschema")

RULES = load_rules()

# --- what a translation cannot know ------------------------------------------------------

UNAVAILABLE: dict[str, set[str]] = {
    # Config list pages have a next-page token only; `current` is a Public cursor.
    "PaginationOutput": {"current"},
    # Config sources have no labels and no `enabled` flag.
    "SourceV1": {"labels", "enabled"},
    # Config tracking plans have no type (the create call adds LIVE; responses cannot know it).
    "TrackingPlanV1": {"type"},
    # Config filters have no timestamps.
    "DestinationFilterV1": {"createdAt", "updatedAt"},
    # One Config regulation has no per-destination stream status, workspace id or end time.
    "regulation": {"workspaceId", "streamStatus", "finishedAt"},
}
"""Required Public fields the Config data never has, by schema title (those
of the catalogs, `REPORTED`, are accepted missing only when reported)."""
REPORTED = {"SourceMetadataV1", "DestinationMetadataV1", "DestinationMetadataComponentV1", "LogosBeta"}
"""Schemas whose required fields a translation lacks are reported `missing`
(`ResourceRow.response_required`): one lacking is accepted only when a
`missing` report names it."""

FROM_CONFIG: dict[tuple[str, str], tuple[str, ...]] = {
    ("*", "pagination"): ("next_page_token",),
    ("SourceV1", "writeKeys"): ("write_keys",),
    ("SourceV1", "metadata"): ("catalog_name",),
    ("SourceV1", "workspaceId"): ("parent",),
    ("DestinationV1", "settings"): ("config",),
    ("DestinationFilterV1", "id"): ("name",),
    ("DestinationFilterV1", "sourceId"): ("name",),
    ("DestinationFilterV1", "destinationId"): ("name",),
    ("DestinationMetadataV1", "id"): ("id",),
    ("regulation", "id"): ("name",),
    ("regulation", "overallStatus"): ("status",),
    ("regulation", "createdAt"): ("create_time",),
    ("DestinationMetadataV1", "description"): ("description",),
    ("DestinationMetadataV1", "categories"): ("categories",),
    ("LogosBeta", "default"): ("default",),
    ("FunctionSettingV1", "label"): ("label",),
    ("FunctionSettingV1", "description"): ("description",),
    ("FunctionSettingV1", "required"): ("required",),
    ("FunctionSettingV1", "sensitive"): ("sensitive",),
}
"""(schema title, required Public field) → the Config fields it comes from:
missing in the output only when the input object lacks all of them (the
examples in the table are trimmed to the fields they are about)."""

CATALOG_IN_RESOURCE = {"SourceMetadataV1", "DestinationMetadataV1"}
"""The catalog entry inside a source or destination (`metadata`): translate
knows its slug (and, for sources, the id from the id map); the rest is the
Public catalog's."""

ID_FIELDS = {"id", "workspaceId", "sourceId", "destinationId", "metadataId"}
"""Required ids that may be missing when translate reported them unresolved."""

EXTENSIONS = {"trackingPlan", "trackingPlans"}
"""translate keeps a plan's `rules` beside it (the Public API serves them from
`GET /tracking-plans/{id}/rules`): they are checked as `RuleV1` items, apart."""


# --- the strict spec ---------------------------------------------------------------------


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items() if k not in ("example", "examples") and not k.startswith("x-")}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


@cache
def components() -> dict[str, Any]:
    return {"schemas": _strict(spec()["components"]["schemas"])}


def validator(schema: dict[str, Any]) -> Any:
    root = {"allOf": [_strict(schema)], "components": components()}
    return jsonschema.Draft7Validator(root)


# --- operations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    raw: dict[str, Any]

    def response_schema(self) -> dict[str, Any]:
        return next(iter(self.raw["responses"]["200"]["content"].values()))["schema"]

    def request_schema(self) -> dict[str, Any] | None:
        body = self.raw.get("requestBody")
        return next(iter(body["content"].values()))["schema"] if body else None

    def media_types(self) -> set[str]:
        found = set(self.raw["responses"]["200"]["content"])
        found.update(self.raw.get("requestBody", {}).get("content", {}))
        return found

    def query_parameters(self) -> dict[str, dict[str, Any]]:
        return {p["name"]: p for p in self.raw.get("parameters", []) if p["in"] == "query"}


def _path_regex(path: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/?#]+", re.escape(path)) + r"\Z")


def operation(method: str, url: str) -> Operation | None:
    """The spec operation of a call; a `{placeholder}` left in the url matches any segment."""
    path = url.split("?", 1)[0]
    for template, item in spec()["paths"].items():
        raw = item.get(method.lower())
        if raw is not None and _path_regex(template).match(path):
            return Operation(method.upper(), template, raw)
    return None


def response_operation(result: TranslateResult, endpoint: str | None, body: Any) -> Operation | None:
    """The Public call whose 200 response the translated body must be."""
    if endpoint is not None:
        row = RULES.match_endpoint(endpoint, body).row
        assert row.public is not None
        method, target = row.public.split(" ", 1)
        return operation(method, target)
    data = result.document.get("data") if isinstance(result.document, dict) else None
    resource = RULES.resources[result.kind]
    is_list = isinstance(data, dict) and resource.public_list_key in data
    rows = [r for r in RULES.endpoints if r.response == result.kind and r.list_response == is_list and r.public]
    rows.sort(key=lambda r: not r.public.startswith("GET "))
    if not rows:
        return None
    method, target = rows[0].public.split(" ", 1)
    return operation(method, target)


# --- validation --------------------------------------------------------------------------


def _indices(path: Any) -> tuple[int, ...]:
    return tuple(p for p in path if isinstance(p, int))


def _report_indices(path: str) -> tuple[int, ...]:
    return tuple(int(i) for i in re.findall(r"\[(\d+)\]", path))


def problems(
    instance: Any, schema: dict[str, Any], result: TranslateResult, where: str, source: Any = None
) -> list[str]:
    """Schema errors of `instance`; `source` is the Config input it came from."""
    unresolved = {_report_indices(r.path) for r in result.reports if r.kind in ("unresolved", "ambiguous")}
    reported = {(r.rule, name) for r in result.reports if r.kind == "missing"
                for name in re.findall(r"`(\w+)`", r.message.split(": ", 1)[0])}
    objects = _objects_by_indices(source)
    found = []
    for error in validator(schema).iter_errors(instance):
        for leaf in _leaves(error):
            if leaf.validator == "required" and _accepted_missing(leaf, unresolved, objects, reported):
                continue
            found.append(f"{_join(where, leaf.absolute_path) or '<document>'}: {leaf.message}")
    return sorted(found)


def _join(where: str, path: Any) -> str:
    for part in path:
        where = f"{where}[{part}]" if isinstance(part, int) else (f"{where}.{part}" if where else str(part))
    return where


def _leaves(error: Any) -> Iterator[Any]:
    """The innermost errors (allOf/anyOf wrap the ones that say what is wrong)."""
    if error.context:
        nullable = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        for inner in nullable or error.context:
            yield from _leaves(inner)
    else:
        yield error


def _objects_by_indices(value: Any, indices: tuple[int, ...] = ()) -> dict[tuple[int, ...], list[dict]]:
    """Every object of the Config input, by the list indices on its path."""
    found: dict[tuple[int, ...], list[dict]] = {}
    if isinstance(value, dict):
        found.setdefault(indices, []).append(value)
        children = [(indices, v) for v in value.values()]
    elif isinstance(value, list):
        children = [((*indices, i), v) for i, v in enumerate(value)]
    else:
        children = []
    for where, child in children:
        for key, objects in _objects_by_indices(child, where).items():
            found.setdefault(key, []).extend(objects)
    return found


def _accepted_missing(
    error: Any, unresolved: set[tuple[int, ...]], objects: dict, reported: set[tuple[str, str]] = frozenset(),
) -> bool:
    missing = re.match(r"'([^']+)' is a required property", error.message)
    assert missing, error.message
    # Inline schemas have no title: they are keyed by their path below `data`.
    name = missing.group(1)
    title = error.schema.get("title") or ".".join(str(p) for p in error.absolute_path)
    indices = _indices(error.absolute_path)
    in_resource = bool(error.absolute_path) and error.absolute_path[-1] == "metadata"
    if title in CATALOG_IN_RESOURCE and in_resource and name != "slug":
        return True
    if name in UNAVAILABLE.get(title, ()):
        return True
    if title in REPORTED and any(name == field for _, field in reported):
        return True
    config = FROM_CONFIG.get((title, name)) or FROM_CONFIG.get(("*", name))
    if config and not any(key in obj for obj in objects.get(indices, []) for key in config):
        return True
    return name in ID_FIELDS and indices in unresolved


def _rules_apart(result: TranslateResult) -> tuple[Any, list[tuple[str, Any]]]:
    """The document without the plans' `rules`, and those rule lists with their paths."""
    doc = copy.deepcopy(result.document)
    data = doc.get("data") if isinstance(doc, dict) else None
    apart: list[tuple[str, Any]] = []
    for key in EXTENSIONS & set(data or ()):
        plans = data[key] if isinstance(data[key], list) else [data[key]]
        for i, plan in enumerate(plans):
            if isinstance(plan, dict) and "rules" in plan:
                at = f"data.{key}" + (f"[{i}]" if isinstance(data[key], list) else "")
                apart.append((f"{at}.rules", plan.pop("rules")))
    return doc, apart


RULE_LIST = {"type": "array", "items": {"$ref": "#/components/schemas/RuleV1"}}


def openapi_problems(result: TranslateResult, endpoint: str | None, body: Any) -> list[str]:
    """Problems of a translated document against the spec (empty when it validates)."""
    doc = result.document
    if result.kind == "request":
        calls = [("", doc), *((f"then[{i}].", call) for i, call in enumerate(doc.get("then", [])))]
        return [p for prefix, call in calls for p in _call_problems(call, prefix, result, body)]
    if result.kind == "error":
        return problems(doc, {"$ref": "#/components/schemas/RequestErrorEnvelope"}, result, "")
    if result.kind == "status":
        status = {"properties": {"data": {"$ref": "#/components/schemas/DeleteSourceV1Output"}}}
        return problems(doc, status, result, "")
    op = response_operation(result, endpoint, body)
    if op is None:
        return [f"no Public operation returns a {result.kind} body like {sorted(doc.get('data', {}))}"]
    doc, rule_lists = _rules_apart(result)
    found = problems(doc, op.response_schema(), result, "", body)
    for where, rules in rule_lists:
        found += problems(rules, RULE_LIST, result, where, body)
    return found


def _call_problems(call: dict[str, Any], prefix: str, result: TranslateResult, source: Any) -> list[str]:
    op = operation(call["method"], call["url"])
    if op is None:
        return [f"{prefix}url: no operation {call['method']} {call['url']} in the spec"]
    found: list[str] = []
    schema = op.request_schema()
    if "body" in call:
        if schema is None:
            found.append(f"{prefix}body: {op.method} {op.path} takes no body")
        else:
            found += problems(call["body"], schema, result, f"{prefix}body", source)
    elif schema is not None and op.method != "DELETE":
        found.append(f"{prefix}body: missing for {op.method} {op.path}")
    found += _params_problems(call.get("params", {}), op, result, prefix)
    for header, value in call.get("headers", {}).items():
        if value not in op.media_types():
            found.append(f"{prefix}headers.{header}: {value} is not a media type of {op.method} {op.path}")
    return found


def _params_problems(params: dict[str, Any], op: Operation, result: TranslateResult, prefix: str) -> list[str]:
    """Query parameters: `a.b` is property `b` of the deepObject parameter `a`."""
    declared = op.query_parameters()
    grouped: dict[str, Any] = {}
    found: list[str] = []
    unresolved_url = any(r.kind == "unresolved" and r.path == "url" for r in result.reports)
    for key, value in params.items():
        name, _, inner = key.partition(".")
        if name not in declared:
            found.append(f"{prefix}params.{key}: not a parameter of {op.method} {op.path}")
            continue
        if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value) and unresolved_url:
            value = _placeholder_stand_in(declared[name]["schema"])
        if inner:
            grouped.setdefault(name, {})[inner] = value
        else:
            is_array = declared[name]["schema"].get("type") == "array"
            grouped[name] = [value] if is_array and not isinstance(value, list) else value
    for name, parameter in declared.items():
        if parameter.get("required") and name not in grouped:
            found.append(f"{prefix}params.{name}: required by {op.method} {op.path}")
        elif name in grouped:
            found += problems(grouped[name], parameter["schema"], result, f"{prefix}params.{name}")
    return found


def _placeholder_stand_in(schema: dict[str, Any]) -> Any:
    """A reported, unfilled `{placeholder}` stands for some valid value."""
    return schema["enum"][0] if "enum" in schema else "x"


# --- the table's examples ----------------------------------------------------------------

KNOWN_GAPS: dict[str, str] = {}


def _table_examples() -> list[Any]:
    params = []
    for row in RULES.rows:
        for n, example in enumerate(row.examples):
            if example.error is None:
                case = f"{row.id}#{n}"
                marks = [pytest.mark.xfail(reason=KNOWN_GAPS[case], strict=True)] if case in KNOWN_GAPS else []
                params.append(pytest.param(example, id=case, marks=marks))
    return params


@pytest.mark.parametrize("example", _table_examples())
def test_table_example_validates_against_openapi(example):
    ids = IdMap.model_validate(example.ids or {})
    result = translate(example.before, RULES, ids, endpoint=example.endpoint, request=example.request)
    assert openapi_problems(result, example.endpoint, example.before) == []


# --- the shared Config payloads ----------------------------------------------------------

PLACEHOLDER_VALUES = {"workspace": "acme", "source": "js", "destination": "google-analytics",
                      "tracking_plan": "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ", "install": "10"}
NAME = re.compile(r"^(?P<method>[A-Z]+)_(?P<path>.+?)\.(?P<mode>request|response)(?:\.[\w-]+)?\.json$")


def endpoint_of(name: str) -> tuple[str, bool] | None:
    """`POST_v1beta_workspaces_{workspace}_sources.request.json` →
    (`POST /v1beta/workspaces/acme/sources`, request); None for `error.*`."""
    match = NAME.match(name)
    if match is None:
        return None
    # Underscores separate path segments, except inside a {placeholder}.
    segments = re.findall(r"\{[^}]*\}|[^_{}]+", match["path"])
    path = "/" + "/".join(PLACEHOLDER_VALUES.get(s.strip("{}"), s) if s.startswith("{") else s for s in segments)
    return f"{match['method']} {path}", match["mode"] == "request"


SHARED_EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))

NO_COUNTERPART = {
    "GET_v1beta_installs_{install}_token.response.json": "app-install-token.no-counterpart",
    "POST_v1beta_access-tokens.request.json": None,
    "POST_v1beta_access-tokens.response.json": "access-token.no-counterpart",
}
"""Payloads of calls with no Public counterpart: translate refuses them, naming
the rule: the endpoint row when given the endpoint, else the resource row."""

SHARED_GAPS: dict[tuple[str, bool], str] = {}
"""(file, with endpoint) → why its translation is not yet a Public body."""

IDS = IdMap.model_validate({
    "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "myworkspace"},
    "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
    "destinations": {"js/google-analytics": ["6334b2ff2c4f2f0b8d5d0a1e"], "js/clearbrain": ["6334b2ff2c4f2f0b8d5d0c3a"]},
    "source_metadata": {"javascript": "IqDTy1TpoU"},
    "destination_metadata": {"google-analytics": "60b5d0a01f3726b85dc05aab"},
    "tracking_plans": {
        "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ": ["tp_sprout_rVGCC6WdrNxjCf6JpCHP"],
        "rs_1AqjFLhQGTrpI7k3cipnSVF71n2": ["tp_sprout_qHHi9YVvZyhiuvBQjHKn"],
    },
})
"""The ids the shared payloads name (other workspaces stay unresolved, and reported)."""


def _shared_cases() -> list[Any]:
    cases = []
    for path in SHARED_EXAMPLES:
        parsed = endpoint_of(path.name)
        for with_endpoint in [True, False] if parsed and not parsed[1] else [True]:
            for with_ids in (False, True):
                case = (path.name, with_endpoint)
                marks = [pytest.mark.xfail(reason=SHARED_GAPS[case], strict=True)] if case in SHARED_GAPS else []
                label = path.name + ("" if with_endpoint else "[detected]") + ("[ids]" if with_ids else "")
                cases.append(pytest.param(path, with_endpoint, with_ids, id=label, marks=marks))
    return cases


def test_examples_are_there():
    assert len(SHARED_EXAMPLES) >= 20


def test_file_names_give_endpoints():
    assert endpoint_of("POST_v1beta_workspaces_{workspace}_sources.request.json") == (
        "POST /v1beta/workspaces/acme/sources", True,
    )
    assert endpoint_of(
        "PUT_v1beta_workspaces_{workspace}_tracking-plans_{tracking_plan}.response.json"
    ) == ("PUT /v1beta/workspaces/acme/tracking-plans/rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ", False)
    assert endpoint_of("GET_v1beta_installs_{install}_token.response.json") == (
        "GET /v1beta/installs/10/token", False,
    )
    assert endpoint_of("error.insufficient_scope.json") is None


@pytest.mark.parametrize(("path", "with_endpoint", "with_ids"), _shared_cases())
def test_shared_example_translates(path, with_endpoint, with_ids):
    document = json.loads(path.read_text(encoding="utf-8"))
    parsed = endpoint_of(path.name)
    endpoint, request = parsed if parsed else (None, False)
    if not with_endpoint:
        endpoint = None
    ids = IDS if with_ids else None
    if path.name in NO_COUNTERPART:
        with pytest.raises(TranslateError, match="no Public API counterpart") as raised:
            translate(document, RULES, ids, endpoint=endpoint, request=request)
        if endpoint is None:
            assert raised.value.rule == NO_COUNTERPART[path.name]
        else:
            row = RULES.match_endpoint(endpoint, document).row
            assert (raised.value.rule, row.public) == (row.id, None)
        return
    result = translate(document, RULES, ids, endpoint=endpoint, request=request)
    assert result.kind != "public"
    row = RULES.match_endpoint(endpoint, document).row.id if request else None
    assert check_public(result.document, result.kind, request_endpoint=row) == []
    assert openapi_problems(result, endpoint, document) == []


# --- the checker itself catches what it should -------------------------------------------


def _result(document: Any, kind: str, *reports: Any) -> TranslateResult:
    return TranslateResult(document, kind, tuple(reports))


def test_openapi_check_catches_leaks_types_enums_and_unreported_missing_ids():
    source = {"data": {"source": {"slug": "js", "write_keys": [], "writeKeys": "k", "metadata": {"slug": "js"}}}}
    config = {"name": "workspaces/a/sources/js", "parent": "workspaces/a", "write_keys": []}
    assert openapi_problems(_result(source, "source"), None, config) == [
        "data.source.writeKeys: 'k' is not of type 'array'",
        "data.source: 'id' is a required property",
        "data.source: 'workspaceId' is a required property",
        "data.source: Additional properties are not allowed ('write_keys' was unexpected)",
    ]
    unresolved = Report("unresolved", "name", "source.fields", "no source id"), Report(
        "unresolved", "parent", "source.fields", "no workspace id"
    )
    assert openapi_problems(_result(source, "source", *unresolved), None, config) == [
        "data.source.writeKeys: 'k' is not of type 'array'",
        "data.source: Additional properties are not allowed ('write_keys' was unexpected)",
    ]
    call = {"method": "POST", "url": "/regulations", "body": {"regulationType": "suppress", "subjectType": "USER_ID"}}
    assert openapi_problems(_result(call, "request"), None, {"regulation_type": "suppress"}) == [
        "body.regulationType: 'suppress' is not one of "
        "['DELETE_INTERNAL', 'DELETE_ONLY', 'SUPPRESS_ONLY', 'SUPPRESS_WITH_DELETE', 'UNSUPPRESS']",
        "body: 'subjectIds' is a required property",
    ]
    page = {"method": "GET", "url": "/sources", "params": {"page_size": 10}}
    assert openapi_problems(_result(page, "request"), None, None) == [
        "params.page_size: not a parameter of GET /sources",
        "params.pagination: required by GET /sources",
    ]


# --- kinds the shared payloads do not cover ----------------------------------------------

REGULATION = {"name": "workspaces/acme/regulations/r1", "regulation_type": "suppress",
              "attributes": {"name": "userId", "values": ["u1"]}, "status": "FINISHED",
              "create_time": "2020-01-01T00:00:00Z"}
MORE_RESPONSES = [
    ("GET /v1beta/workspaces/acme/regulations", {"regulations": [REGULATION], "next_page_token": ""}, None),
    ("GET /v1beta/workspaces/acme/regulations/r1", REGULATION, None),
    ("GET /v1beta/workspaces/acme/invites", {"invites": [{"email": "ada@example.com", "create_time": "x"}]}, None),
    ("GET /v1beta/workspaces/acme/functions",
     {"functions": [{"name": "workspaces/acme/functions/sfnc_1", "id": "sfnc_1", "type": "source",
                     "display_name": "Webhook", "code": "x", "settings": []}]}, None),
    ("GET /v1beta/workspaces/acme/suppressed-users",
     {"suppressed_users": [{"attributes": {"name": "userId", "values": ["u1"]}}], "next_page_token": "x"}, None),
    ("GET /v1beta/workspaces/acme/roles",
     {"roles": [{"name": "workspaces/acme/roles/r", "display_name": "Owner", "description": "Full"}]}, None),
    ("GET /v1beta/workspaces/acme/sources/js/schema-config",
     {"name": "workspaces/acme/sources/js/schema-config", "allow_unplanned_track_events": True,
      "common_identify_event_on_violations": "OMIT_TRAITS",
      "forwarding_violations_to": "workspaces/acme/sources/other"}, None),
    ("GET /v1beta/workspaces/acme/tracking-plans",
     {"tracking_plans": [{"name": "workspaces/acme/tracking-plans/rs_1", "display_name": "Web",
                          "rules": {"global": {"type": "object"}, "events": [{"name": "E", "rules": {}, "version": 2}]}}]},
     None),
    ("GET /v1beta/catalog/sources",
     {"sources": [{"name": "catalog/sources/javascript", "display_name": "JS", "description": "d",
                   "categories": ["Website"], "logos": {"default": "x"}, "type": "web"}], "next_page_token": ""}, None),
    ("GET /v1beta/workspaces/acme/sources/js/destinations/amplitude/filters",
     {"filters": [{"name": "workspaces/acme/sources/js/destinations/amplitude/filters/df_1", "if": "all",
                   "title": "t", "enabled": True,
                   "actions": [{"type": "blacklist_fields", "fields": {"traits": {"fields": ["email"]}}}]}]}, None),
    ("GET /v1beta/workspaces/acme/tracking-plans/rs_1/source-connections",
     {"connections": [{"source_name": "workspaces/acme/sources/js", "tracking_plan_id": "rs_1"}]}, None),
]


def _more_cases() -> list[Any]:
    cases = []
    for endpoint, document, gap in MORE_RESPONSES:
        marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
        for given in (endpoint, None):
            label = endpoint.split(" ", 1)[1] + ("" if given else "[detected]")
            cases.append(pytest.param(given, document, id=label, marks=marks))
    return cases


@pytest.mark.parametrize(("endpoint", "document"), _more_cases())
def test_more_kinds_validate_against_openapi(endpoint, document):
    result = translate(document, RULES, endpoint=endpoint)
    assert check_public(result.document, result.kind) == []
    assert openapi_problems(result, endpoint, document) == []


def test_the_page_size_range_of_the_table_is_the_specs():
    described = spec()["components"]["schemas"]["PaginationInput"]["properties"]["count"]["description"]
    low, high = map(int, re.search(r"between (\d+) and (\d+)", described).groups())  # type: ignore[union-attr]
    paging = load_rules().pagination
    assert (paging.min_count, paging.max_count) == (low, high)
    assert paging.count_param == "pagination.count" and paging.cursor_param == "pagination.cursor"
