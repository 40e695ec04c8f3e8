"""Loading the table: a broken table fails with every problem at once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from migrator.ruleset import RulesError, default_rules_dir, load_rules
from migrator.ruleset.models import FieldMap

ROW = '''
[[endpoints]]
id = "{id}"
summary = "s"
why = "w"
reference = "r"
safety = "safe"
config = "GET /v1beta/workspaces/{{workspace}}/things"
public = "GET /things"
left_alone = ['{{"data": {{}}}}']

[[endpoints.examples]]
endpoint = "GET /v1beta/workspaces/acme/things"
request = true
before = 'null'
after = '{{"method": "GET", "url": "/things"}}'
'''


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def test_the_shipped_table_loads_and_ids_are_unique():
    rules = load_rules()
    ids = [row.id for row in rules.rows]
    assert len(ids) == len(set(ids))
    assert len(rules.endpoints) > 40


def test_every_error_is_reported_with_file_row_and_field(tmp_path):
    write(tmp_path, "a.toml", 'family = "a"\ndescription = "d"\n' + ROW.format(id="endpoint.things.list")
          .replace('safety = "safe"', 'safety = "maybe"\ncolour = "red"'))
    write(tmp_path, "b.toml", 'family = "b"\ndescription = "d"\n' + ROW.format(id="Bad Id"))
    write(tmp_path, "c.toml", "family = [")
    with pytest.raises(RulesError) as raised:
        load_rules(tmp_path)
    lines = str(raised.value).splitlines()
    assert lines[0] == "invalid rules:"
    assert lines[1].startswith("a.toml: endpoints row 'endpoint.things.list': safety: Input should be 'safe'")
    assert lines[2] == "a.toml: endpoints row 'endpoint.things.list': colour: Extra inputs are not permitted"
    assert lines[3].startswith("b.toml: endpoints row 'Bad Id': id: Value error, ids are dotted lower-case words")
    assert lines[4].startswith("c.toml: not valid TOML:")
    assert len(lines) == 5


def test_duplicate_ids_across_files(tmp_path):
    for name in ("a.toml", "b.toml"):
        write(tmp_path, name, f'family = "{name}"\ndescription = "d"\n' + ROW.format(id="endpoint.things.list"))
    with pytest.raises(RulesError, match=r"b.toml: endpoints row 'endpoint.things.list': id: already used in a.toml"):
        load_rules(tmp_path)


def test_rows_need_examples_and_left_alone_cases(tmp_path):
    text = 'family = "a"\ndescription = "d"\n' + ROW.format(id="endpoint.things.list")
    text = text.replace("left_alone = ['{\"data\": {}}']\n", "")
    write(tmp_path, "a.toml", text)
    with pytest.raises(RulesError, match="a row needs at least one case that is left alone"):
        load_rules(tmp_path)


def test_unfilled_public_placeholder_is_refused(tmp_path):
    text = 'family = "a"\ndescription = "d"\n' + ROW.format(id="endpoint.things.get")
    text = text.replace('public = "GET /things"', 'public = "GET /things/{thingId}"')
    write(tmp_path, "a.toml", text)
    with pytest.raises(RulesError, match=r"\{thingId\} is neither in 'ids' nor a Config parameter"):
        load_rules(tmp_path)


def test_example_json_must_parse(tmp_path):
    text = 'family = "a"\ndescription = "d"\n' + ROW.format(id="endpoint.things.list")
    text = text.replace("before = 'null'", "before = '{not json'")
    write(tmp_path, "a.toml", text)
    with pytest.raises(RulesError, match=r"examples.0.before: Value error, not valid JSON"):
        load_rules(tmp_path)


def test_empty_directory(tmp_path):
    with pytest.raises(RulesError, match="no rule files"):
        load_rules(tmp_path)


def test_a_copy_of_the_shipped_table_loads(tmp_path):
    for path in default_rules_dir().glob("*.toml"):
        shutil.copy(path, tmp_path)
    assert len(load_rules(tmp_path).rows) == len(load_rules().rows)


def test_the_page_sizes_of_the_pagination_row_must_be_in_order(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    protocol = rules / "protocol.toml"
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("default_count = 200", "default_count = 500"),
                        encoding="utf-8")
    with pytest.raises(RulesError, match="min_count <= default_count <= max_count must hold"):
        load_rules(rules)


@pytest.mark.parametrize(("field", "message"), [
    ({"to": "x", "items": "string"}, "'items' needs type 'array' (or transform 'filter-fields')"),
    ({"to": "x", "type": "string", "items": "string"}, "'items' needs type 'array' (or transform 'filter-fields')"),
    ({"to": "x", "type": "array", "each": "filter-action", "items": "object"},
     "the items of an 'each' field are checked by its resource: no 'items'"),
])
def test_item_types_need_a_list(field, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        FieldMap.model_validate(field)


def test_item_types_of_a_list_and_of_filter_field_lists_load():
    assert FieldMap.model_validate({"to": "x", "type": ["array", "null"], "items": ["string", "null"]}).item_types == (
        "string", "null")
    assert FieldMap.model_validate({"to": "x", "transform": "filter-fields", "items": "string"}).item_types == (
        "string",)


@pytest.mark.parametrize(("change", "message"), [
    ("", r"'fixed_query' needs a paginated endpoint with a Public counterpart"),
    ("paginated = true\nquery = { kind = \"type\" }\n", r"'fixed_query' names 'type', which the call already fills"),
    ("paginated = true\n", None),
])
def test_a_fixed_query_is_checked(tmp_path, change, message):
    text = 'family = "a"\ndescription = "d"\n' + ROW.format(id="endpoint.things.list")
    text = text.replace('public = "GET /things"\n', f'public = "GET /things"\nfixed_query = {{ type = "LIVE" }}\n{change}')
    if message is None:  # a paginated list: loads, and its example must send the parameter with the page size
        text = text.replace('"url": "/things"}', '"url": "/things", "params": {"type": "LIVE", "pagination.count": 200}}')
        write(tmp_path, "a.toml", text)
        shutil.copy(default_rules_dir() / "protocol.toml", tmp_path)  # the pagination row
        assert load_rules(tmp_path).by_id["endpoint.things.list"].fixed_query == {"type": "LIVE"}
        return
    write(tmp_path, "a.toml", text)
    with pytest.raises(RulesError, match=message):
        load_rules(tmp_path)


def test_a_fixed_query_is_no_page_parameter_and_plain_text(tmp_path):
    shutil.copy(default_rules_dir() / "protocol.toml", tmp_path)
    text = 'family = "a"\ndescription = "d"\n' + ROW.format(id="endpoint.things.list")
    write(tmp_path, "a.toml", text.replace('public = "GET /things"\n',
                                           'public = "GET /things"\npaginated = true\nfixed_query = { "pagination.count" = "5" }\n'))
    with pytest.raises(RulesError, match=r"fixed_query.pagination.count: a page parameter, which the call sends already"):
        load_rules(tmp_path)
    write(tmp_path, "a.toml", text.replace('public = "GET /things"\n',
                                           'public = "GET /things"\npaginated = true\nfixed_query = { type = "a b" }\n'))
    with pytest.raises(RulesError, match=r"must be letters, digits"):
        load_rules(tmp_path)


@pytest.mark.parametrize(("query_enums", "message"), [
    ('{ types = "regulation.fields:regulation_type" }', "'query_enums' names 'types', which is not a key of 'query'"),
    ('{ regulation_types = "regulation_type" }',
     "'query_enums.regulation_types': expected '<resources row id>:<field>', not 'regulation_type'"),
    ('{ regulation_types = "regulations.fields:regulation_type" }',
     "endpoints row 'endpoint.regulations.list': query_enums.regulation_types: "
     "'regulations.fields' is not the id of a resources row"),
    ('{ regulation_types = "regulation.fields:regulation_types" }',
     "query_enums.regulation_types: 'regulation_types' is not a field of resources row 'regulation.fields'"),
    ('{ regulation_types = "regulation.fields:name" }',
     "query_enums.regulation_types: field 'name' of resources row 'regulation.fields' has no 'enum'"),
])
def test_a_query_enum_must_name_a_query_key_and_a_resource_field_with_an_enum(tmp_path, query_enums, message):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    file = rules / "regulations.toml"
    shipped = 'query_enums = { regulation_types = "regulation.fields:regulation_type" }\n'
    text = file.read_text(encoding="utf-8")
    assert shipped in text
    file.write_text(text.replace(shipped, f"query_enums = {query_enums}\n"), encoding="utf-8")
    with pytest.raises(RulesError, match=re.escape(message)):
        load_rules(rules)


def test_the_regulation_list_maps_its_query_types_with_the_body_field_enum():
    rules = load_rules()
    row = rules.by_id["endpoint.regulations.list"]
    assert rules.query_enum(row, "regulation_types") is rules.by_id["regulation.fields"].fields["regulation_type"].enum
    assert rules.query_enum(row, "status") == {}
