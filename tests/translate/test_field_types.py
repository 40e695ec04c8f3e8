"""The `type` of each field row (the JSON type the Public field takes)
against the Public API OpenAPI spec (v36.2.0).

Skipped when `../shared` is absent (a fresh clone)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from migrator.ruleset import load_rules
from migrator.ruleset.models import FieldMap, ResourceRow

SPEC_PATH = (Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "openapi"
             / "segment-public-api-openapi-v36.2.0.json")

if not SPEC_PATH.is_file():
    pytest.skip(f"{SPEC_PATH} is absent (it lives beside the repository)", allow_module_level=True)

RULES = load_rules()


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _alternatives(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The schemas `schema` stands for: `$ref` followed, `anyOf`/`oneOf` split."""
    if "$ref" in schema:
        yield from _alternatives(spec()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    elif "anyOf" in schema or "oneOf" in schema:
        for inner in schema.get("anyOf", schema.get("oneOf")):
            yield from _alternatives(inner)
    else:
        yield schema


def _property(schema: dict[str, Any], name: str) -> list[dict[str, Any]]:
    found = []
    for alternative in _alternatives(schema):
        for part in [alternative, *alternative.get("allOf", [])]:
            for inner in _alternatives(part):
                if name in inner.get("properties", {}):
                    found.append(inner["properties"][name])
    return found


def _at(schemas: list[dict[str, Any]], dotted: str) -> list[dict[str, Any]]:
    for name in dotted.split("."):
        schemas = [found for schema in schemas for found in _property(schema, name)]
    return schemas


def _items(schemas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a.get("items", a) for s in schemas for a in _alternatives(s) if a.get("type") == "array" or "items" in a]


def json_types(schema: dict[str, Any]) -> set[str]:
    """The JSON types a schema takes (`nullable` adds null)."""
    found = set()
    nullable = schema.get("nullable", False)
    for alternative in _alternatives(schema):
        nullable = nullable or alternative.get("nullable", False)
        if "type" in alternative:
            found.add(alternative["type"])
        elif "properties" in alternative or "allOf" in alternative:
            found.add("object")
    return found | ({"null"} if nullable else set())


def _operation(call: str) -> dict[str, Any]:
    """The spec operation of a call of the table (its placeholders may be named otherwise)."""
    method, path = call.split(" ", 1)
    shape = re.sub(r"\{[^/]+\}", "{}", path.split("?", 1)[0])
    return next(item[method.lower()] for template, item in spec()["paths"].items()
                if re.sub(r"\{[^/]+\}", "{}", template) == shape and method.lower() in item)


def _response(call: str) -> dict[str, Any]:
    return next(iter(_operation(call)["responses"]["200"]["content"].values()))["schema"]


def resource_schemas(resource: ResourceRow, direction: str) -> list[dict[str, Any]]:
    """The Public schemas a resource row's output is checked against in one direction."""
    parents = [(row, key) for row in RULES.resources.values() for key, f in row.fields.items()
               for o in (f, *f.also) if o.each == resource.kind]
    if parents:
        found = []
        for row, key in parents:
            field = row.fields[key]
            outer = _at(resource_schemas(row, direction), field.to or "")
            found += _items(outer) or outer
        return found
    found = []
    for endpoint in RULES.endpoints:
        if endpoint.public is None:
            continue
        if direction == "response" and endpoint.response == resource.kind:
            data = _at([_response(endpoint.public)], "data")
            key = resource.public_list_key if endpoint.list_response else resource.public_key
            inner = _at(data, key) if key else data
            found += _items(inner) if endpoint.list_response else inner
        elif direction == "request" and endpoint.request == resource.kind and not endpoint.body_key:
            body = _operation(endpoint.public).get("requestBody")
            if body is None:
                continue
            schema = next(iter(body["content"].values()))["schema"]
            found += _items(_at([schema], endpoint.body_list)) if endpoint.body_list else [schema]
    return found


def typed_outputs() -> Iterator[tuple[ResourceRow, str, FieldMap]]:
    for resource in RULES.resources.values():
        for key, field in resource.fields.items():
            for output in (field, *field.also):
                yield resource, key, output


def spec_types(resource: ResourceRow, output: FieldMap) -> set[str]:
    directions = ("request", "response") if output.when == "both" else (output.when,)
    found: set[str] = set()
    for direction in directions:
        for schema in _at(resource_schemas(resource, direction), output.to or ""):
            found |= json_types(schema)
    return found



def test_every_declared_type_is_the_specs():
    declared = [(resource, key, output) for resource, key, output in typed_outputs() if output.types]
    assert len(declared) > 70
    wrong = [f"{resource.id} {key} → {output.to}: {sorted(output.types)}, the spec says {sorted(spec_types(resource, output))}"
             for resource, key, output in declared if set(output.types) != spec_types(resource, output)]
    assert wrong == []


def spec_item_types(resource: ResourceRow, output: FieldMap) -> set[str]:
    directions = ("request", "response") if output.when == "both" else (output.when,)
    found: set[str] = set()
    for direction in directions:
        for schema in _items(_at(resource_schemas(resource, direction), output.to or "")):
            found |= json_types(schema)
    return found


def test_every_list_the_spec_types_the_items_of_declares_them():
    # Only `type` was declared: items of another type (subjectIds [12345, null]) passed unreported.
    # Items of an `each` field are checked as its resource (objects).
    lists = [(resource, key, output) for resource, key, output in typed_outputs()
             if "array" in output.types and not output.each]
    assert len(lists) == 8
    wrong = [f"{resource.id} {key} → {output.to}: {sorted(output.item_types)}, the spec says "
             f"{sorted(spec_item_types(resource, output))}"
             for resource, key, output in lists if set(output.item_types) != spec_item_types(resource, output)]
    assert wrong == []


def test_filter_field_lists_declare_their_items():
    # The spec types a filter action's `fields` as a free object; segment-apis.md §2.5 gives
    # map string → [string] (and the Config `{"fields": []string}`).
    field = RULES.resources["filter-action"].fields["fields"]
    assert (field.transform, field.item_types) == ("filter-fields", ("string",))


def test_every_plain_copy_the_spec_types_declares_its_type():
    # The invite `email` had no type: {"email": 5} went out unreported.
    untyped = [f"{resource.id} {key} → {output.to}: the spec says {sorted(spec_types(resource, output))}"
               for resource, key, output in typed_outputs()
               if not output.drop and not output.types and output.transform == "copy" and output.parse is None
               and not output.enum and output.each is None and spec_types(resource, output)]
    assert untyped == []
