"""The fake's Public face against the Public API OpenAPI spec (v36.2.0).

Every call below goes through the fake; each 200 response must validate
against the operation's response schema, each request body against its
request schema, each error against `RequestErrorEnvelope`. Schemas are made
strict (no keys beyond `properties`; `nullable` → null), so an invented or
misspelt field in the fake fails here. Skipped when `../shared` is absent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.equivalence.fake_segment import HOST_HEADER, PUBLIC_HOSTS, FakeSegment

SPEC_PATH = (Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "openapi"
             / "segment-public-api-openapi-v36.2.0.json")
if not SPEC_PATH.is_file():
    pytest.skip(f"{SPEC_PATH} is absent (it lives beside the repository)", allow_module_level=True)
jsonschema = pytest.importorskip("jsonschema")


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
        out = {**out, "type": [out["type"], "null"]} if "type" in out else {"anyOf": [out, {"type": "null"}]}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


@cache
def _components() -> dict[str, Any]:
    return {"schemas": _strict(spec()["components"]["schemas"])}


def errors(instance: Any, schema: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator({"allOf": [_strict(schema)], "components": _components()})
    return sorted(f"{'.'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}"
                  for e in validator.iter_errors(instance))


def operation(method: str, path: str) -> dict[str, Any]:
    for template, item in spec()["paths"].items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if method.lower() in item and re.fullmatch(pattern, path):
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the spec")


def _schema(content: dict[str, Any]) -> dict[str, Any]:
    return next(iter(content.values()))["schema"]


@pytest.fixture(scope="module")
def calls() -> Iterator[list[tuple[str, str, Any, httpx.Response]]]:
    """A walk over the Public face that touches every endpoint the corpus needs."""
    with FakeSegment() as fake:
        ids = fake.id_map()
        client = httpx.Client(base_url=fake.url, headers={
            HOST_HEADER: PUBLIC_HOSTS["us"], "Authorization": f"Bearer {fake.public_token}"})
        web, backend = ids["sources"]["web"], ids["sources"]["backend"]
        ga = ids["destinations"]["web/google-analytics"][0]
        plan = ids["tracking_plans"]["Web Events"][0]
        page = {"pagination.count": 2}
        seen: list[tuple[str, str, Any, httpx.Response]] = []

        def call(method: str, path: str, body: Any = None, **params: Any) -> Any:
            resp = client.request(method, path, json=body, params=params or None)
            seen.append((method, path, body, resp))
            return resp.json()

        call("GET", "/")
        call("GET", "/sources", **page)
        call("GET", "/sources", **{"pagination.count": 2, "pagination.cursor":
                                   call("GET", "/sources", **page)["data"]["pagination"]["next"]})
        call("GET", f"/sources/{web}")
        call("GET", f"/sources/{web}/settings")
        call("PATCH", f"/sources/{web}/settings", {"track": {"allowUnplannedEvents": False}})
        call("GET", f"/sources/{web}/connected-destinations", **page)
        created = call("POST", "/sources", {"slug": "blog", "enabled": True, "metadataId": "IqDTy1TpoU"})
        blog = created["data"]["source"]["id"]
        call("PATCH", f"/sources/{blog}", {"name": "Blog"})
        dest = call("POST", "/destinations", {"sourceId": blog, "metadataId": "60b5d0a01f3726b85dc05aab",
                                              "settings": {"trackingId": "UA-5"}})["data"]["destination"]["id"]
        call("GET", "/destinations", **page)
        call("GET", f"/destinations/{ga}")
        call("PATCH", f"/destinations/{dest}", {"enabled": True, "settings": {"anonymizeIp": True}})
        call("GET", f"/destinations/{ga}/delivery-metrics", sourceId=web)
        call("GET", f"/destination/{ga}/filters", **page)
        flt = call("POST", f"/destination/{dest}/filters", {
            "sourceId": blog, "if": "all", "title": "Drop all", "enabled": True,
            "actions": [{"type": "ALLOW_PROPERTIES", "fields": {"properties": ["plan"]}}]})["data"]["filter"]["id"]
        call("PATCH", f"/destination/{dest}/filters/{flt}", {"enabled": False})
        call("GET", f"/destination/{dest}/filters/{flt}")
        call("DELETE", f"/destination/{dest}/filters/{flt}")
        call("DELETE", f"/destinations/{dest}")
        call("GET", "/tracking-plans", **page)
        call("GET", f"/tracking-plans/{plan}")
        call("GET", f"/tracking-plans/{plan}/rules", **page)
        call("GET", f"/tracking-plans/{plan}/sources", **page)
        new = call("POST", "/tracking-plans", {"name": "Checkout", "type": "LIVE"})["data"]["trackingPlan"]["id"]
        call("PATCH", f"/tracking-plans/{new}", {"name": "Checkout v2"})
        call("PUT", f"/tracking-plans/{new}/rules", {"rules": [
            {"type": "TRACK", "key": "Cart Viewed", "jsonSchema": {"type": "object"}, "version": 1}]})
        call("POST", f"/tracking-plans/{new}/sources", {"sourceId": backend})
        call("DELETE", f"/tracking-plans/{new}/sources", sourceId=backend)
        call("DELETE", f"/tracking-plans/{new}")
        call("DELETE", f"/sources/{blog}")
        call("GET", "/catalog/sources", **page)
        call("GET", "/catalog/sources/IqDTy1TpoU")
        call("GET", "/catalog/destinations", **page)
        call("GET", "/catalog/destinations/54521fd525e721e32a72ee91")
        reg = call("POST", "/regulations", {"regulationType": "SUPPRESS_WITH_DELETE", "subjectType": "USER_ID",
                                            "subjectIds": ["u1"]})["data"]["regulateId"]
        call("POST", f"/regulations/sources/{backend}", {"regulationType": "DELETE_ONLY", "subjectType": "USER_ID",
                                                         "subjectIds": ["u2"]})
        call("GET", f"/regulations/{reg}")
        call("GET", "/regulations", **page)
        call("GET", "/suppressions", **page)
        call("GET", "/sources")  # 422: pagination is required
        call("GET", "/sources/nope")  # 404
        yield seen


def test_every_walk_call_succeeds_but_the_two_error_cases(calls: list) -> None:
    failed = [(m, p, r.status_code) for m, p, _, r in calls if r.status_code != 200]
    assert failed == [("GET", "/sources", 422), ("GET", "/sources/nope", 404)]


def test_responses_match_the_spec(calls: list) -> None:
    found = {}
    for method, path, _, resp in calls:
        if resp.status_code == 200:
            schema = _schema(operation(method, path)["responses"]["200"]["content"])
        else:
            schema = {"$ref": "#/components/schemas/RequestErrorEnvelope"}
        if problems := errors(resp.json(), schema):
            found[f"{method} {path}"] = problems
    assert found == {}


def test_request_bodies_match_the_spec(calls: list) -> None:
    found = {}
    for method, path, body, _ in calls:
        if body is not None:
            if problems := errors(body, _schema(operation(method, path)["requestBody"]["content"])):
                found[f"{method} {path}"] = problems
    assert found == {}
