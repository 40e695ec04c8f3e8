"""The responses kind: reads of values proven to come from a migrated call."""

from __future__ import annotations

import ast
import textwrap

import pytest

from migrator.idmap import IdMap
from migrator.imports import link_reason
from migrator.rewrite import rewrite_bytes
from migrator.rewrite.known_names import config_fields
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    {"sources": {"js": "qQEHquLrjRDN9j1ByrChyn"}, "destinations": {"js/ga": ["6334b2ff2c4f2f0b8d5d0a1e"]},
     "source_metadata": {"javascript": "IqDTy1TpoU"},
     "filters": {"6334b2ff2c4f2f0b8d5d0a1e/Drop test events": ["df_1"]}}  # (a filter id is checked: rewrite.slug-ids)
)
API = 'API = "https://platform.segmentapis.com/v1beta"\n'


def run(code: str) -> tuple[str, list[str]]:
    # the base, when the code uses it (a base no code of the file uses is kept and marked)
    source = (API if "API" in code else "") + textwrap.dedent(code)
    result = rewrite_bytes(source.encode(), RULES, IDS, lookup_module="segment_ids")
    out = result.code.decode()
    ast.parse(out)
    again = rewrite_bytes(result.code, RULES, IDS, lookup_module="segment_ids")
    assert again.code == result.code and not again.changes
    return out, [m.rule for m in result.markers]


def body(out: str) -> str:
    return out.split("\n", 2)[-1]


def test_list_envelope_and_fields_through_names_and_loops():
    out, marks = run("""
        def f(ws):
            resp = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 5})
            data = resp.json()
            for s in data["sources"]:
                print(s["display_name"], s.get("write_keys"))
    """)
    assert 'data["data"]["sources"]' in out
    assert 's["name"], s.get("writeKeys")' in out
    assert not marks


@pytest.mark.parametrize("extra", ["", ", None", ", timeout=5"])
def test_a_call_given_only_a_literal_url_is_a_call_not_a_get_read(extra):
    # `requests.get("https://…")` has the shape of `d.get("key")`
    out, marks = run(f"""
        def main():
            r = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources"{extra})
            for s in r.json()["sources"]:
                print(s["display_name"])
    """)
    assert 'for s in r.json()["data"]["sources"]:' in out
    assert 'print(s["name"])' in out
    # a query given by position (`None`) gets no `params=` beside it (given twice): marked
    assert marks == (["rewrite.pagination"] if extra == ", None" else [])


def test_single_resource_through_a_function_return():
    out, marks = run("""
        def get(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources/js").json()

        def main():
            source = get("acme")
            print(source['catalog_name'].split('/')[-1])
    """)
    assert "source['data']['source']['metadata']['slug']" in out
    assert not marks


def test_await_and_comprehension():
    out, _ = run("""
        async def f(client, ws):
            resp = await client.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 5})
            return [s["name"].split("/")[-1] for s in resp.json()["sources"]]
    """)
    assert '[s["slug"] for s in resp.json()["data"]["sources"]]' in out


def test_a_name_bound_to_something_else_is_not_proven():
    out, marks = run("""
        def f(ws, other):
            data = requests.get(f"{API}/workspaces/{ws}/sources/js").json()
            if other:
                data = other
            return data["display_name"]
    """)
    assert 'data["display_name"]' in out and '"data"]["source"]' not in out
    assert marks == ["rewrite.responses"]


def test_whole_names_and_dropped_fields_are_marked_not_rewritten():
    out, marks = run("""
        def f(ws):
            source = requests.get(f"{API}/workspaces/{ws}/sources/js").json()
            print(source["name"])
            print(source["create_time"])
    """)
    assert 'source["name"]' in out and 'source["create_time"]' in out
    assert marks == ["rewrite.responses", "rewrite.responses"]


def test_reads_in_helpers_called_with_a_response_are_left_alone_and_marked_with_their_change():
    """A public helper of a module that is no script may be called elsewhere
    with other values: its reads stay, each one the response a call here
    passes would change is marked with the change (it read None silently)."""
    out, marks = run("""
        def show(source):
            return source.get("enabled")

        def f(ws):
            show(requests.get(f"{API}/workspaces/{ws}/sources/js").json())
    """)
    assert 'return source.get("enabled")' in out and marks == ["rewrite.responses"]
    assert ("# migrator[rewrite.responses]: `enabled` is read here off the response of a migrated call, which `show` "
            "gets through the call on line 8; this rewrite leaves the reads in `show` as they are (other calls may "
            'pass other values): change `.get("enabled")` to `.get("data", {}).get("source", {}).get("enabled")` by '
            "hand, or give such callers a function of their own\n") in out


@pytest.mark.parametrize("code", [
    'data = {"display_name": "x"}\nprint(data["display_name"])\n',
    'import requests\nr = requests.get("https://api.segmentapis.com/sources").json()\nprint(r["data"]["sources"])\n',
])
def test_files_without_migrated_calls_are_left_alone(code):
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert result.code == code.encode() and not result.markers


def test_config_fields_come_from_the_table():
    fields = config_fields(RULES)
    assert "display_name" in fields and "next_page_token" in fields
    assert "enabled" not in fields and "name" not in fields


def test_a_reused_name_reads_the_binding_that_reaches_it():
    out, marks = run("""
        def f(ws):
            resp = requests.post(f"{API}/workspaces/{ws}/regulations", json={})
            regulate_id = resp.json()["regulate_id"]
            resp = requests.get(f"{API}/workspaces/{ws}/sources/js")
            return regulate_id, resp.json()["display_name"]
    """)
    assert 'resp.json()["data"]["regulateId"]' in out
    assert 'resp.json()["data"]["source"]["name"]' in out


def test_a_conditional_rebinding_is_not_proven():
    out, marks = run("""
        def f(ws, cached):
            resp = requests.get(f"{API}/workspaces/{ws}/sources/js")
            if cached:
                resp = cached
            return resp.json()["display_name"]
    """)
    assert 'resp.json()["display_name"]' in out and marks == ["rewrite.responses"]


def test_nested_fields_mapped_one_by_one():
    out, _ = run("""
        def f(ws):
            resp = requests.get(f"{API}/workspaces/{ws}/suppressed-users", params={"page_size": 10})
            return [v for user in resp.json()["suppressed_users"] for v in user["attributes"]["values"]]
    """)
    assert 'user["subjectIds"]' in out and '["data"]["suppressed"]' in out


def test_script_functions_called_only_with_responses_are_rewritten():
    out, _ = run("""
        def describe(source):
            return source["display_name"]

        def main():
            print(describe(requests.get(f"{API}/workspaces/acme/sources/js").json()))

        if __name__ == "__main__":
            main()
    """)
    assert 'source["data"]["source"]["name"]' in out


def test_methods_of_a_client_class():
    out, _ = run("""
        class Client:
            def _get(self, path):
                return requests.get(API + "/" + path).json()

            def source(self, slug):
                return self._get(f"workspaces/acme/sources/{slug}")

        def main(slug):
            print(Client().source(slug)["write_keys"])
    """)
    assert '["data"]["source"]["writeKeys"]' in out


def test_a_response_handed_whole_to_unknown_code_is_marked():
    out, marks = run("""
        def f(ws):
            data = requests.get(f"{API}/workspaces/{ws}/sources/js").json()
            json.dump(data, sys.stdout)
            return len(data["write_keys"])
    """)
    assert marks == ["rewrite.responses"]
    assert 'len(data["data"]["source"]["writeKeys"])' in out


def test_a_config_array_made_a_map_reads_the_settings():
    out, _ = run("""
        def settings(ws):
            dest = requests.get(f"{API}/workspaces/{ws}/sources/js/destinations/ga").json()
            return {c["name"].split("/config/")[-1]: c["value"] for c in dest["config"]}
    """)
    assert 'return dict(dest["data"]["destination"]["settings"])' in out


# -- loops over a destination's settings (responses_settings) ---------------------------

GA = 'dest = requests.get(f"{API}/workspaces/{ws}/sources/js/destinations/ga").json()'


def run_settings(loop: str) -> tuple[str, list[str], list[str]]:
    code = API + f"\ndef f(ws):\n    {GA}\n" + textwrap.indent(textwrap.dedent(loop).lstrip("\n"), "    ")
    result = rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids")
    out = result.code.decode()
    ast.parse(out)
    again = rewrite_bytes(result.code, RULES, IDS, lookup_module="segment_ids")
    assert again.code == result.code and not again.changes
    return out.split("json()\n", 1)[1], [m.rule for m in result.markers], result.notes


def test_settings_walked_sorted_by_name_become_sorted_items():
    out, marks, notes = run_settings("""
        for item in sorted(dest["config"], key=lambda c: c["name"]):
            print(item["name"].rsplit("/", 1)[-1], "=", item["value"])
    """)
    assert out.split("\n", 1)[1] == (
        '    for key, value in sorted(dest["data"]["destination"]["settings"].items()):\n'
        '        print(key, "=", value)\n'
    )
    assert marks == ["rewrite.responses"]  # the values read: secrets are masked
    assert any("masked" in n for n in notes)


@pytest.mark.parametrize(
    "loop",
    [
        'return {c["name"].split("/")[-1]: c["value"] for c in dest["config"]}\n',
        'for c in dest["config"]:\n    print(c["name"].split("/")[-1], c["value"])\n',
        'return [c["value"] for c in dest["config"]]\n',
    ],
)
def test_setting_values_read_are_marked_and_noted_as_masked(loop):
    """A comprehension made a map (`dict(...)`) and a loop get the same note
    and marker: secret values come back masked (segment-apis.md §2, §4.5)."""
    out, marks, notes = run_settings(loop)
    assert marks == ["rewrite.responses"]
    assert out.startswith("    # migrator[rewrite.responses]: settings read from the Public API come with secret values masked")
    assert any("masked" in n for n in notes)


def test_setting_keys_through_a_name_bound_with_or_empty():
    out, marks, notes = run_settings("""
        config = dest.get("config") or []
        return sorted(item.get("name", "").split("/")[-1] for item in config)
    """)
    assert out == (
        '    config = dest.get("data", {}).get("destination", {}).get("settings") or {}\n'
        "    return sorted(key for key in config)\n"
    )
    assert not marks and not any("masked" in n for n in notes)


def test_setting_values_alone_walk_values_and_taken_names_are_avoided():
    out, marks, _ = run_settings("""
        key = "x"
        for item in dest["config"] or []:
            print(key, item["name"].split("/config/")[-1])
        return [c.get("value") for c in dest["config"]]
    """)
    assert 'for item_key in dest["data"]["destination"]["settings"] or {}:' in out
    assert "print(key, item_key)" in out
    assert 'return [value for value in dest["data"]["destination"]["settings"].values()]' in out
    assert marks == ["rewrite.responses"]  # the values read: secrets are masked


def test_setting_values_and_keys_of_an_or_expression_get_parentheses():
    out, _, _ = run_settings("""
        return {item["name"].split("/")[-1]: str(item["value"]) for item in dest.get("config") or []}
    """)
    assert 'for key, value in (dest.get("data", {}).get("destination", {}).get("settings") or {}).items()}' in out
    assert "return {key: str(value) for" in out


@pytest.mark.parametrize(
    "loop, why",
    [
        ('for item in dest["config"]:\n    print(item["type"])\n', '`item["type"]` has no counterpart'),
        ('for item in dest["config"]:\n    log(item)\n', "the item `item` is used whole"),
        ('return [i["name"] for i in dest["config"]]\n', '`i["name"]` has no counterpart'),
        ('for item in dest["config"]:\n    print(item["value"])\nprint(item)\n', "used outside the loop"),
        ('for item in sorted(dest["config"], key=lambda c: c["type"]):\n    print(item["value"])\n',
         "sorted by something other than the setting names"),
        ('config = dest["config"]\nfor item in config:\n    print(item["value"])\nreturn config\n',
         "used other than by a loop"),
        ('for name, value in dest["config"]:\n    print(name)\n', "unpacks each item"),
    ],
)
def test_settings_uses_the_map_cannot_carry_are_marked(loop, why):
    out, marks, _ = run_settings(loop)
    assert marks == ["rewrite.responses"]
    assert why in out and "not a list of items" in out
    assert 'dest["config"]' in out and '"settings"' not in out


# -- a created resource's Config name used as its path (responses_created) -------------------


def test_a_fetched_source_name_used_as_its_path_becomes_the_public_path():
    out, marks = run("""
        def f(ws):
            source = requests.get(f"{API}/workspaces/{ws}/sources/js").json()
            return requests.get(f"{API}/{source['name']}")
    """)
    assert "requests.get(f\"{API}/sources/{source['data']['source']['id']}\")" in out
    assert not marks


def test_a_created_source_name_used_as_its_path_becomes_the_public_path():
    out, marks = run("""
        def f(ws):
            resp = requests.post(f"{API}/workspaces/{ws}/sources", json={"source": {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript"}})
            source = resp.json()
            print(requests.get(f"{API}/{source['name']}").json()["display_name"])
            requests.delete(API + "/" + source["name"])
    """)
    assert "requests.get(f\"{API}/sources/{source['data']['source']['id']}\").json()[\"data\"][\"source\"][\"name\"]" in out
    assert 'requests.delete(API + "/sources/" + source["data"]["source"]["id"])' in out
    assert not marks


def test_the_created_path_stays_with_a_create_call_left_on_the_config_api():
    out, marks = run("""
        def f(ws):
            resp = requests.post(f"{API}/workspaces/{ws}/sources", json={})  # migrator: ignore
            source = resp.json()
            return requests.get(f"{API}/{source['name']}")
    """)
    assert "requests.get(f\"{API}/{source['name']}\")" in out
    assert 'API = "https://platform.segmentapis.com/v1beta"' in out
    assert "rewrite.partial-path" in marks


@pytest.mark.parametrize(
    "code",
    [
        # a parameter
        "return requests.get(f\"{API}/{other['name']}\")\n",
        # bound twice
        'source = requests.post(f"{API}/workspaces/{ws}/sources", json={}).json()\n'
        "source = other\n"
        "return requests.get(f\"{API}/{source['name']}\")\n",
        # more path after the name
        'source = requests.post(f"{API}/workspaces/{ws}/sources", json={}).json()\n'
        "return requests.get(f\"{API}/{source['name']}/destinations\")\n",
        # bound in a branch the use is not in
        "if other:\n"
        '    source = requests.post(f"{API}/workspaces/{ws}/sources", json={}).json()\n'
        "return requests.get(f\"{API}/{source['name']}\")\n",
        # changed in place
        'source = requests.post(f"{API}/workspaces/{ws}/sources", json={}).json()\n'
        'source["name"] = "workspaces/acme/sources/other"\n'
        "return requests.get(f\"{API}/{source['name']}\")\n",
        # not the name field
        'source = requests.post(f"{API}/workspaces/{ws}/sources", json={}).json()\n'
        "return requests.get(f\"{API}/{source['parent']}\")\n",
    ],
)
def test_a_config_name_path_not_proven_created_here_is_marked(code):
    out, marks = run("def f(ws, other):\n" + textwrap.indent(code, "    "))
    assert "rewrite.partial-path" in marks
    assert "/sources/{" not in out and "['id']" not in out


def test_tracking_plan_rules_read_from_the_plan_are_marked_with_their_own_call():
    ids = IdMap.model_validate({"tracking_plans": {"rs_1": ["tp_sprout_abc"]}})
    code = API + textwrap.dedent("""
        def events(ws):
            plan = requests.get(f"{API}/workspaces/{ws}/tracking-plans/rs_1").json()
            return [e["name"] for e in plan["rules"]["events"]], plan["display_name"]
    """)
    result = rewrite_bytes(code.encode(), RULES, ids)
    out = result.code.decode()
    assert 'plan["data"]["trackingPlan"]["name"]' in out
    assert 'for e in plan["rules"]["events"]' in out
    [marker] = result.markers
    assert marker.rule == "rewrite.responses"
    assert "`GET /tracking-plans/{trackingPlanId}/rules`" in marker.reason
    assert "`events` → `TRACK`" in marker.reason


def test_a_catalog_name_used_as_a_path_through_a_helper_becomes_the_catalog_path():
    code = textwrap.dedent("""
        import requests

        HOST = "https://platform.segmentapis.com"

        def api(method, path):
            return requests.request(method, HOST + path)

        def entry():
            for slug in ("js",):
                source = api("GET", "/v1beta/workspaces/acme/sources/" + slug).json()
                print(api("GET", "/v1beta/" + source["catalog_name"]).json()["display_name"])
    """)
    result = rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids")
    out = result.code.decode()
    assert 'api("GET", "/catalog/sources/" + source["data"]["source"]["metadata"]["id"]).json()["data"]["sourceMetadata"]["name"]' in out
    assert not result.markers


def test_a_helper_that_may_return_something_else_is_not_followed():
    code = textwrap.dedent("""
        import requests

        HOST = "https://platform.segmentapis.com"
        CACHE = {}

        def api(method, path):
            if path in CACHE:
                return CACHE[path]
            return requests.request(method, HOST + path)

        def entry():
            source = api("GET", "/v1beta/workspaces/acme/sources/js").json()
            print(api("GET", "/v1beta/" + source["catalog_name"]).json())
    """)
    result = rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids")
    out = result.code.decode()
    assert '"/v1beta/" + source["catalog_name"]' in out and "/catalog/sources/" not in out
    assert "rewrite.partial-path" in [m.rule for m in result.markers]


# -- enum-valued fields (responses_enums) ------------------------------------------

FILTERS = 'FILTERS = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js/destinations/ga/filters"\n'
ENUM_MARK = "`type` values differ in the Public API (drop_event → DROP, sample_event → SAMPLE"


def run_filters(code: str, rules=RULES) -> tuple[str, list[str]]:
    source = "import requests\n" + FILTERS + textwrap.dedent(code)
    result = rewrite_bytes(source.encode(), rules, IDS, lookup_module="segment_ids")
    out = result.code.decode()
    ast.parse(out)
    again = rewrite_bytes(result.code, rules, IDS, lookup_module="segment_ids")
    assert again.code == result.code and not again.changes
    return out, [m.reason for m in result.markers]


def rules_with_action_types(enum: str):
    """The table with another value map for filter action types."""
    import shutil
    import tempfile
    from pathlib import Path

    from migrator.ruleset.loader import default_rules_dir

    folder = Path(tempfile.mkdtemp())
    for path in default_rules_dir().glob("*.toml"):
        shutil.copy(path, folder / path.name)
    path = folder / "destination-filters.toml"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith('type = { to = "type", enum = {'))
    path.write_text(text.replace(line, f'type = {{ to = "type", enum = {{ {enum} }} }}'), encoding="utf-8")
    return load_rules(folder)


def test_enum_literals_in_comparisons_take_the_public_values():
    out, marks = run_filters("""
        def f():
            found = requests.get(FILTERS + "/df_1").json()
            return [
                [a for a in found["actions"] if a["type"] not in ['sample_event', "drop_event"]],
                [a for a in found["actions"] if a.get("type") == r"blacklist_fields"],
            ]
    """)
    assert """a["type"] not in ['SAMPLE', "DROP"]""" in out
    assert 'a.get("type") == r"DROP_PROPERTIES"' in out
    assert 'found["data"]["filter"]["actions"]' in out
    assert not marks


def test_other_uses_of_an_enum_read_are_marked_with_the_mapping():
    out, marks = run_filters("""
        def f():
            found = requests.get(FILTERS + "/df_1").json()
            first = found["actions"][0]
            same = first["type"] == first["type"]
            fstring = first["type"] == f"drop_event"
            chained = "a" < first["type"] == "drop_event"
            return {"kind": first["type"]}, same, fstring, chained
    """)
    assert len(marks) == 5 and all(m.startswith(ENUM_MARK) for m in marks)
    assert 'fstring = first["type"] == f"drop_event"' in out
    assert 'chained = "a" < first["type"] == "drop_event"' in out


def test_a_literal_whose_public_value_has_other_config_values_is_marked():
    rules = rules_with_action_types('drop_event = "DROP", dropped = "DROP", sample_event = "SAMPLE"')
    out, marks = run_filters("""
        def f():
            found = requests.get(FILTERS + "/df_1").json()
            drops = [a for a in found["actions"] if a["type"] == "drop_event"]
            samples = [a for a in found["actions"] if a["type"] == "sample_event"]
            return drops, samples
    """, rules)
    assert 'a["type"] == "drop_event"' in out and 'a["type"] == "SAMPLE"' in out
    assert len(marks) == 1 and "`type` values differ" in marks[0]


def test_an_enum_whose_values_are_the_same_is_a_plain_field():
    rules = rules_with_action_types('drop_event = "drop_event", sample_event = "sample_event"')
    out, marks = run_filters("""
        def f():
            found = requests.get(FILTERS + "/df_1").json()
            print([a["type"] for a in found["actions"]])
            return [a for a in found["actions"] if a["type"] == "drop_event"]
    """, rules)
    assert '[a["type"] for a in found["data"]["filter"]["actions"]]' in out
    assert 'a["type"] == "drop_event"' in out
    assert not marks


def test_items_of_a_nested_list_are_proven_and_other_nested_values_are_not():
    out, marks = run_filters("""
        def f():
            found = requests.get(FILTERS + "/df_1").json()
            for action in found["actions"]:
                print(action)
            for key in found["if"]:
                print(key["type"])
    """)
    assert len(marks) == 1 and "an item of a migrated call's response is handed to `print` whole" in marks[0]


def test_public_values_of_literals():
    from migrator.rewrite.responses_enums import differs, message, public_value
    from migrator.ruleset.models import FieldMap

    fm = FieldMap(to="type", enum={"a": "A", "b": "B", "B": "B", "c": "c"})
    assert differs(fm)
    assert public_value(fm, "a") == "A" and public_value(fm, "c") == "c"
    assert public_value(fm, "b") is None and public_value(fm, "B") is None  # two Config values give B
    assert public_value(fm, "A") is None and public_value(fm, "x") is None
    same = FieldMap(to="type", enum={"a": "a"})
    assert not differs(same) and message(same, "type") is None
    assert message(FieldMap(to="type", transform="upper", enum={"a": "A"}), "type") == (
        "`type` values differ in the Public API (a → A): check how this value is used"
    )
    assert message(FieldMap(to="type", when="request", enum={"a": "A"}), "type") is None


OWN_DICTS = """
    def f(ws):
        requests.get(f"{API}/workspaces/{ws}/sources").json()
        mine = {"display_name": "x", "enabled": True}
        print(mine["display_name"])
        print(mine.get("write_keys"))
        {pin}
        print(payload["display_name"])
    payload = {"display_name": "Web"}
"""


@pytest.mark.parametrize(
    ("pin", "pinned"),
    [
        ("other = 1", False),
        ("responses.get(URL, json=payload)", True),
        ("responses.get(URL, body=json.dumps(payload))", True),
        ("respx.get(URL).mock(return_value=payload)", True),
        ("session.get.return_value.json.return_value = payload", True),
    ],
)
def test_reads_of_a_dict_the_code_wrote_are_not_marked_unless_a_double_returns_it(pin, pinned):
    out, _ = run(OWN_DICTS.replace("{pin}", pin))
    marked = [line.split("`")[1] for line in out.splitlines() if "migrator[rewrite.responses]" in line]
    # a key the literal was written with is the code's own; others may come from elsewhere
    assert marked == (["write_keys", "display_name"] if pinned else ["write_keys"])


UNMIGRATED = """
import requests
BASE = "https://platform.segmentapis.com"

class Workspace:
    def __init__(self, slug):
        self.prefix = "v1beta/workspaces/{}".format(slug)

def names(client):
    return [s["display_name"] for s in client.all()]
"""


def test_reads_are_marked_in_a_file_whose_config_calls_are_only_marked():
    result = rewrite_bytes(UNMIGRATED.encode(), RULES)
    # the base no code of the file uses is kept (line 3), the prefix marked (7), the read marked (10)
    assert sorted((m.rule, m.line) for m in result.markers) == [
        ("rewrite.partial-path", 3), ("rewrite.partial-path", 7), ("rewrite.responses", 10)
    ]
    assert result.markers[2].reason.startswith("`display_name` looks like a Config API field read off a value")
    # a Config host alone is enough (the paths joined to it are elsewhere: it is kept, marked) ...
    host_only = UNMIGRATED.replace('"v1beta/workspaces/{}".format(slug)', "slug")
    assert [m.rule for m in rewrite_bytes(host_only.encode(), RULES).markers] == [
        "rewrite.partial-path", "rewrite.responses"
    ]
    # ... but with no Config URL at all, the same read is nobody's business
    plain = host_only.replace("platform.segmentapis.com", "example.com")
    assert rewrite_bytes(plain.encode(), RULES).markers == ()


HELD = """
import requests

BASE_URL = "https://platform.segmentapis.com/v1beta/"


def list_sources(workspace):
    r = requests.get(f"{BASE_URL}workspaces/{workspace}/sources?page_size=100")
    body = r.json()
    for s in body["sources"]:
        print(s["display_name"])
    return body["sources"], body["next_page_token"]


def other(x):
    return x["next_page_token"]


def get_source(workspace, source):
    return requests.get(f"{BASE_URL}workspaces/{workspace}/sources/{source}").json()
"""


def test_reads_of_a_call_left_on_the_config_api_say_they_move_with_it():
    # the list call stays on the Config API with the slug call it shares BASE_URL with:
    # its response is a Config one, right as it is; `next_page_token` and `display_name`
    # used to be marked as read off a value of unknown origin "if it comes from a migrated
    # call"; now they say they move with the call. `x` in `other` is of unknown origin still
    result = rewrite_bytes(HELD.encode(), RULES)
    held = ("is read off the response of a call this rewrite leaves on the Config API, where it is right as it "
            "is: when that call moves to the Public API, read the Public field instead")
    unproven = "looks like a Config API field read off a value whose origin this rewrite cannot prove"
    assert [(m.line, m.reason) for m in result.markers if m.rule == "rewrite.responses"] == [
        (11, f"`display_name` {held} (`name`; `displayName` for a function)"),
        (12, f"`next_page_token` {held} (`data.pagination.next`)"),
        (16, f"`next_page_token` {unproven}: if it comes from a migrated call, read the Public field instead "
             "(`data.pagination.next`)"),
    ]
    kept = [line for line in result.code.decode().splitlines() if not line.lstrip().startswith("# migrator[")]
    assert "\n".join(kept) + "\n" == HELD


LOCAL_RETRY = """
import functools
from functools import wraps

def retry(times=3):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            for _ in range(times):
                try:
                    return fn(*a, **kw)
                except OSError:
                    pass
            return fn(*a, **kw)
        return wrapper
    return deco

def unwrap(fn):
    @wraps(fn)
    def wrapper(*a, **kw):
        return fn(*a, **kw)["sources"]
    return wrapper
"""


@pytest.mark.parametrize(
    ("decorator", "followed"),
    [
        ("@backoff.on_exception(backoff.expo, requests.RequestException, max_tries=5)", True),
        ("@tenacity.retry(stop=tenacity.stop_after_attempt(3))", True),
        ("@retry(times=5)", True),
        ("@unwrap", False),  # changes what the function returns
        ("@app.get('/sources')", False),
        ("@staticmethod", None),  # a method gives back the same; a module-level function so decorated is not known
    ],
)
def test_functions_and_methods_are_followed_through_retry_and_cache_decorators_only(decorator, followed):
    code = LOCAL_RETRY + f"""
import backoff, tenacity

class Client:
    {decorator}
    def page(self, ws):
        return requests.get(f"{{API}}/workspaces/{{ws}}/sources").json()

    def names(self, ws):
        return [s["display_name"] for s in self.page(ws)["sources"]]

{decorator}
def page(ws):
    return requests.get(f"{{API}}/workspaces/{{ws}}/sources").json()

def names(ws):
    return [s["display_name"] for s in page(ws)["sources"]]
"""
    out, marks = run(code)
    if followed is None:
        assert out.count('[s["name"] for s in ') == 1 and marks == ["rewrite.responses"]
    elif followed:
        assert out.count('[s["name"] for s in ') == 2 and marks == []
    else:
        assert out.count('[s["display_name"] for s in ') == 2
        # a decorator that gets what the function gives back (the file's, a library's): marked on the method and
        # the function, with the reads of what they give back (`display_name` looks like a Config field; `sources`
        # is read off a call through the decorator, which may change what it gives back)
        assert marks == ["rewrite.responses"] * 6
        assert out.count("`sources` is read off what a call of `page` gives back through `@") == 2


@pytest.mark.parametrize(
    ("decorators", "marked"),
    [
        # a library's decorator gets what the function gives back (a web route answers with it): marked
        (["@app.get('/sources')"], "@app.get('/sources')"),
        (["@tasks.task(bind=True)"], "@tasks.task(bind=True)"),
        # the outermost one only: it gets what the others give back
        (["@web.route('/sources')", "@login_required"], "@web.route('/sources')"),
        (["@backoff.on_exception(backoff.expo, OSError)", "@app.get('/sources')"], "@app.get('/sources')"),
        # they declare, pass the value back, or are followed elsewhere
        (["@abc.abstractmethod"], None),
        (["@typing.overload"], None),
        (["@pytest.mark.slow"], None),
        (["@pytest.fixture(scope='module')"], None),
        (["@page.setter"], None),
    ],
)
def test_a_library_decorator_of_a_function_giving_back_a_response_is_marked(decorators, marked):
    code = "import abc, typing, backoff, pytest, requests\n" + "".join(f"{d}\n" for d in decorators) + \
        'def page(ws):\n    return requests.get(f"{API}/workspaces/{ws}/sources").json()\n'
    out, marks = run(code)
    # (the comment goes above the function's first decorator)
    found = [line.split(": ", 1)[1].split(", which")[0] for line in out.splitlines()
             if line.startswith("# migrator[rewrite.responses]")]
    assert found == ([] if marked is None else [f"`{marked.split('(')[0]}` is given `page`"])


LIST_CALL = 'body = requests.get(f"{API}/workspaces/{ws}/sources").json()'
ONE_CALL = 'src = requests.get(f"{API}/workspaces/{ws}/sources/js").json()'


@pytest.mark.parametrize(
    ("lines", "kept", "reason"),
    [
        # writes: the reads of what is written are left alone and marked
        ([LIST_CALL, 'body["sources"] = [s for s in body["sources"] if s["enabled"]]', 'return body["sources"]'],
         ['body["sources"] = [s for s in body["sources"] if', 'return body["sources"]'], "the code writes `sources` into"),
        ([ONE_CALL, 'src["display_name"] = src["display_name"].title()', 'return src["display_name"]'],
         ['src["display_name"] = src["display_name"].title()', 'return src["display_name"]'], "the code writes `display_name` into"),
        ([LIST_CALL, "for s in body['sources']:", "    s.update(extra)", "    print(s['display_name'])"],
         ["print(s['display_name'])", "s.update(extra)"], "the code writes keys into"),
        ([ONE_CALL, 'name = src.pop("display_name")'], ['src.pop("display_name")'], "(`.pop()`)"),
        # whole uses of a dict
        ([LIST_CALL, 'if "next_page_token" in body:', '    print(len(body["sources"]))'],
         ['if "next_page_token" in body:'], "(a test of its keys with `in`)"),
        ([LIST_CALL, "for key, value in body.items():", "    print(key)"], ["body.items()"], "(`.items()`)"),
        ([ONE_CALL, "for key in src:", "    print(key)"], ["for key in src:"], "(a loop over its keys)"),
        ([ONE_CALL, "copy = {**src}"], ["{**src}"], "(`**` into a dict)"),
        ([ONE_CALL, "key = 'display_name'", "print(src[key])"], ["src[key]"], "(a key this rewrite cannot see)"),
        ([ONE_CALL, "print(len(src), list(src))"], ["len(src), list(src)"], "handed to `len` whole"),
        # a key function reading each item whole: the Public items have other keys (another one may come first)
        ([LIST_CALL, 'return max(body["sources"], key=len)'], ["key=len)"], "handed to `len` whole"),
        ([LIST_CALL, 'return sorted(body["sources"], key=str)'], ["key=str)"], "handed to `str` whole"),
    ],
)
def test_responses_the_code_writes_into_or_uses_as_a_whole_dict_are_marked(lines, kept, reason):
    code = "def f(ws, extra):\n" + "".join(f"    {line}\n" for line in lines)
    out, marks = run(code)
    for text in kept:
        assert text in out
    assert set(marks) == {"rewrite.responses"}
    assert reason in out


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a list is fine whole, and a field kept as it is reads what was written
        ([LIST_CALL, 'items = body["sources"]', "n, copy, by_name = len(items), list(items), sorted(items, key=id)",
          "for s in items:", '    s["enabled"] = False', '    print(s["enabled"], s["display_name"])'],
         ['items = body["data"]["sources"]', 'print(s["enabled"], s["name"])']),
        # writes into a dict the code built do not concern the response
        ([ONE_CALL, 'row = {"display_name": src["display_name"]}', 'row["display_name"] = "x"'],
         ['row = {"display_name": src["data"]["source"]["name"]}']),
    ],
)
def test_uses_that_do_not_depend_on_the_shape_are_still_rewritten(lines, expected):
    code = "def f(ws):\n" + "".join(f"    {line}\n" for line in lines)
    out, marks = run(code)
    for text in expected:
        assert text in out
    assert marks == []


def test_urllib3_takes_the_query_in_fields_and_its_data_is_followed():
    out, marks = run("""
        import json
        import urllib3

        POOL = urllib3.PoolManager()

        def a():
            r = POOL.request("GET", f"{API}/workspaces/acme/sources", headers={})
            return json.loads(r.data)["sources"]

        def b():
            r = POOL.request("GET", f"{API}/workspaces/acme/sources", fields={"page_size": 10})
            return json.loads(r.data.decode())["sources"]

        def c():
            return urllib3.request("GET", f"{API}/workspaces/acme/sources").json()["sources"]
    """)
    assert 'r = POOL.request("GET", f"{API}/sources", headers={}, fields={"pagination.count": 200})' in out
    assert 'return json.loads(r.data)["data"]["sources"]' in out
    assert 'fields={"pagination.count": 10})' in out
    assert 'return json.loads(r.data.decode())["data"]["sources"]' in out
    assert 'urllib3.request("GET", f"{API}/sources", fields={"pagination.count": 200}).json()["data"]["sources"]' in out
    assert "params=" not in out
    assert not marks


def test_requests_built_then_sent_are_followed():
    out, marks = run("""
        import httpx
        import requests

        def a(s):
            req = requests.Request("GET", f"{API}/workspaces/acme/sources", headers={})
            return s.send(s.prepare_request(req)).json()["sources"]

        def b():
            with requests.Session() as s:
                return s.send(requests.Request("GET", f"{API}/workspaces/acme/sources").prepare()).json()["sources"]

        def c():
            req = httpx.Request("GET", f"{API}/workspaces/acme/sources")
            with httpx.Client() as client:
                return client.send(req).json()["sources"]
    """)
    assert out.count('.json()["data"]["sources"]') == 3
    assert out.count('params={"pagination.count": 200}') == 3
    assert not marks


def test_a_request_built_by_an_httpx_client_gets_the_page_size_in_params():
    # httpx's `Client.build_request` takes `params=` as its verb methods do
    out, marks = run("""
        import httpx

        def a():
            with httpx.Client() as client:
                req = client.build_request("GET", f"{API}/workspaces/acme/sources")
                return client.send(req).json()["sources"]
    """)
    assert 'req = client.build_request("GET", f"{API}/sources", params={"pagination.count": 200})' in out
    assert 'return client.send(req).json()["data"]["sources"]' in out
    assert marks == []


def test_a_request_built_by_another_object_is_marked_for_its_pages():
    # `build_request` of an object not shown to be an httpx client: its keywords are not known
    out, marks = run("""
        def a(client):
            req = client.build_request("GET", f"{API}/workspaces/acme/sources")
            return client.send(req).json()["sources"]
    """)
    assert 'req = client.build_request("GET", f"{API}/sources")' in out
    assert 'return client.send(req).json()["data"]["sources"]' in out
    assert marks == ["rewrite.pagination"]


def test_a_response_handed_to_code_not_followed_is_marked_where_its_value_is_used():
    out, marks = run("""
        from util import check_response, log_status

        def a():
            data = check_response(requests.get(f"{API}/workspaces/acme/sources", headers={}))
            return data["sources"]

        def b():
            resp = requests.get(f"{API}/workspaces/acme/sources", headers={})
            log_status(resp)
            if isinstance(resp, dict):
                return None
            return resp.json()["sources"]
    """)
    assert marks == ["rewrite.responses"]
    assert "the response of a migrated call is handed to `check_response`" in out.split("def a")[1].split("def b")[0]
    assert 'return resp.json()["data"]["sources"]' in out


def test_reads_of_what_a_helper_gives_back_are_marked():
    out, marks = run("""
        from .http import api_call, fetch

        def a():
            data = api_call("GET", f"{API}/workspaces/acme/sources")
            return [s["name"] for s in data["sources"]]

        def b():
            return fetch("GET", f"{API}/workspaces/acme/sources/js").json()["display_name"]
    """)
    assert "# migrator[rewrite.responses]: `sources` is read off what a migrated call gives back" in out
    assert '.json()["data"]["source"]["name"]' in out
    assert "rewrite.responses" in marks


def test_reads_of_an_answer_the_table_does_not_map_are_marked():
    code = textwrap.dedent("""
        import requests

        def rename(name):
            resp = requests.put(
                "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/rs_1",
                json={"tracking_plan": {"display_name": name}, "update_mask": {"paths": ["tracking_plan.display_name"]}},
            )
            return resp.json()["display_name"]
    """)
    ids = IdMap.model_validate({"tracking_plans": {"rs_1": ["tp_1"]}})
    result = rewrite_bytes(code.encode(), RULES, ids)
    out = result.code.decode()
    assert '"https://api.segmentapis.com/tracking-plans/tp_1"' in out
    assert "# migrator[rewrite.responses]: `display_name` is read off the answer of `PATCH /tracking-plans/{trackingPlanId}`" in out
    assert 'return resp.json()["display_name"]' in out
    assert rewrite_bytes(result.code, RULES, ids).code == result.code


def test_a_helper_joining_its_path_with_urljoin_is_followed():
    out, marks = run("""
        from urllib.parse import urljoin
        BASE = "https://platform.segmentapis.com/v1beta/"

        def call(path):
            return requests.get(urljoin(BASE, path))

        def names():
            return [s["write_keys"] for s in call("workspaces/acme/sources").json()["sources"]]
    """)
    assert 'return [s["writeKeys"] for s in call("sources").json()["data"]["sources"]]' in out
    assert marks == ["rewrite.pagination"]  # the helper's query cannot be given a count here


def test_the_items_a_generator_yields_are_followed():
    out, marks = run("""
        def iter_sources():
            resp = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 100})
            for s in resp.json()["sources"]:
                yield s
            return

        async def iter_all():
            resp = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 100})
            for s in resp.json()["sources"]:
                yield s

        async def main():
            for s in iter_sources():
                print(s["name"].split("/")[-1])
            async for s in iter_all():
                print(s["display_name"])
    """)
    assert 'print(s["slug"])' in out and 'print(s["name"])' in out
    assert not marks


def test_the_answers_of_another_apis_host_are_no_segment_responses():
    out, marks = run("""
        VERTEX = "https://aiplatform.googleapis.com/v1beta1/projects/p/locations/l"

        def sources():
            return requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 5}).json()["sources"]

        def endpoints(page_token=None):
            r = requests.get(f"{VERTEX}/endpoints", params={"page_size": 50, "page_token": page_token}).json()
            other = requests.get("https://example.com/v1/items").json()
            return r["endpoints"], r.get("next_page_token"), r["display_name"], other["display_name"]
    """)
    assert not marks
    assert 'r.get("next_page_token"), r["display_name"], other["display_name"]' in out


def test_a_path_the_same_in_both_apis_joined_to_its_base_elsewhere_is_followed():
    out, marks = run("""
        from urllib.parse import urljoin
        import httpx
        BASE = "https://platform.segmentapis.com/v1beta/"
        session = requests.Session()

        def fetch(path, params):
            return session.get(API + path, params=params).json()

        def a():
            return fetch("/catalog/destinations", {"page_size": 100})["destinations"]

        def b():
            with httpx.Client(base_url="https://platform.segmentapis.com/v1beta") as c:
                return c.get("/catalog/sources", params={"page_size": 20}).json()["sources"]

        def c():
            return requests.get(urljoin(BASE, "catalog/destinations"), params={"page_size": 50}).json()["destinations"]
    """)
    assert 'fetch("/catalog/destinations", {"pagination.count": 100})["data"]["destinationsCatalog"]' in out
    assert 'c.get("/catalog/sources", params={"pagination.count": 20}).json()["data"]["sourcesCatalog"]' in out
    assert 'params={"pagination.count": 50}).json()["data"]["destinationsCatalog"]' in out
    assert not marks


def test_a_name_holding_a_response_on_one_path_only_is_marked_where_it_is_read():
    # the fallback keeps the Config shape: before, `data["sources"]` was left
    # alone and unmarked, and raised once the call answered in the Public shape
    out, marks = run("""
        def count(ws):
            try:
                data = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()
            except requests.RequestException:
                data = {"sources": []}
            return len(data["sources"])


        def first(ws, offline):
            data = None
            if offline:
                data = load_cached()
            else:
                data = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()
            return data["sources"][0]
    """)
    marker = (
        "    # migrator[rewrite.responses]: `sources` is read off `data`, which holds the response of a migrated "
        "call on one path here and another value on another: the response now has the Public shape (`data` "
        "envelope, Public field names), the other value does not; migrate these reads by hand\n"
    )
    assert body(out) == (
        "def count(ws):\n"
        "    try:\n"
        '        data = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()\n'
        "    except requests.RequestException:\n"
        '        data = {"sources": []}\n'
        + marker
        + '    return len(data["sources"])\n'
        "\n"
        "\n"
        "def first(ws, offline):\n"
        "    data = None\n"
        "    if offline:\n"
        "        data = load_cached()\n"
        "    else:\n"
        '        data = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()\n'
        + marker
        + '    return data["sources"][0]\n'
    )
    assert marks == ["rewrite.responses", "rewrite.responses"]


def test_a_name_holding_a_response_after_a_start_value_is_still_rewritten():
    out, marks = run("""
        def count(ws):
            data = {}
            data = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()
            return len(data["sources"])
    """)
    assert body(out).endswith('    return len(data["data"]["sources"])\n') and marks == []


def test_a_response_stored_in_an_attribute_or_an_item_is_marked():
    # its reads elsewhere (`self.data["sources"]`) are not followed; before,
    # neither they nor the store were marked
    out, marks = run("""
        class Inventory:
            def load(self, ws):
                self.data = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()

            def count(self):
                return len(self.data["sources"])


        def load(cache, ws):
            cache[ws] = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()["sources"]
    """)
    assert body(out) == (
        "class Inventory:\n"
        "    def load(self, ws):\n"
        "        # migrator[rewrite.responses]: the response of a migrated call is stored in `self.data`, whose "
        "reads this rewrite does not follow: it now has the Public shape (`data` envelope, Public field names); "
        "migrate its reads by hand\n"
        '        self.data = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()\n'
        "\n"
        "    def count(self):\n"
        '        return len(self.data["sources"])\n'
        "\n"
        "\n"
        "def load(cache, ws):\n"
        "    # migrator[rewrite.responses]: a list from a migrated call's response is stored in `cache[ws]`, whose "
        "reads this rewrite does not follow: it now has the Public shape (`data` envelope, Public field names); "
        "migrate its reads by hand\n"
        '    cache[ws] = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]\n'
    )
    assert marks == ["rewrite.responses", "rewrite.responses"]


def test_a_response_list_added_to_an_attribute_or_a_module_list_is_marked():
    out, marks = run("""
        ALL = []


        class Inventory:
            def load(self, ws):
                self.items += requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()["sources"]


        def load(ws):
            ALL.extend(requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()["sources"])


        def local(ws):
            out = []
            out.extend(requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()["sources"])
            return len(out)
    """)
    stored = (
        "# migrator[rewrite.responses]: a list from a migrated call's response is stored in `{}`, whose reads "
        "this rewrite does not follow: it now has the Public shape (`data` envelope, Public field names); "
        "migrate its reads by hand\n"
    )
    call = 'requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]'
    assert body(out) == (
        "ALL = []\n"
        "\n"
        "\n"
        "class Inventory:\n"
        "    def load(self, ws):\n"
        "        " + stored.format("self.items")
        + f"        self.items += {call}\n"
        "\n"
        "\n"
        "def load(ws):\n"
        "    " + stored.format("ALL")
        + f"    ALL.extend({call})\n"
        "\n"
        "\n"
        "def local(ws):\n"
        "    out = []\n"
        f"    out.extend({call})\n"
        "    return len(out)\n"
    )
    assert marks == ["rewrite.responses", "rewrite.responses"]


def test_a_read_in_a_nested_function_of_a_response_the_enclosing_function_holds_is_marked():
    # before, `data["sources"]` in `count` was neither rewritten nor marked
    out, marks = run("""
        def sources(ws):
            data = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()

            def count():
                return len(data["sources"])

            return count()
    """)
    assert body(out) == (
        "def sources(ws):\n"
        '    data = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()\n'
        "\n"
        "    def count():\n"
        "        # migrator[rewrite.responses]: `sources` is read off `data`, which the enclosing function binds "
        "to the response of a migrated call: it now has the Public shape (`data` envelope, Public field names), "
        "and reads in a nested function are not rewritten; migrate this read by hand\n"
        '        return len(data["sources"])\n'
        "\n"
        "    return count()\n"
    )
    assert marks == ["rewrite.responses"]


def test_a_response_stored_in_a_global_is_marked():
    out, marks = run("""
        DATA = None


        def load(ws):
            global DATA
            DATA = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 10}).json()


        def count():
            return len(DATA["sources"])
    """)
    assert body(out) == (
        "DATA = None\n"
        "\n"
        "\n"
        "def load(ws):\n"
        "    global DATA\n"
        "    # migrator[rewrite.responses]: the response of a migrated call is stored in `DATA`, whose reads this "
        "rewrite does not follow: it now has the Public shape (`data` envelope, Public field names); migrate its "
        "reads by hand\n"
        '    DATA = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()\n'
        "\n"
        "\n"
        "def count():\n"
        '    return len(DATA["sources"])\n'
    )
    assert marks == ["rewrite.responses"]


def test_a_decorator_of_the_file_reading_what_a_migrated_function_gives_back_is_marked() -> None:
    code = LOCAL_RETRY + '''
@unwrap
def page(ws):
    return requests.get(f"{API}/workspaces/{ws}/sources").json()
'''
    out, marks = run(code)
    assert marks == ["rewrite.responses"]
    assert "# migrator[rewrite.responses]: `@unwrap` is given `page`, which gives back the response of a migrated " \
           "call, now in the Public shape" in out


def test_a_function_giving_back_a_migrated_response_on_one_path_only_is_marked() -> None:
    code = '''import requests

API = "https://platform.segmentapis.com/v1beta"
OFFLINE = {"web": {"enabled": True}}


def source(slug):
    if slug in OFFLINE:
        return OFFLINE[slug]
    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()


def first(ws):
    if not ws:
        return None
    return requests.get(f"{API}/workspaces/{ws}/sources").json()
'''
    out, marks = run(code)
    assert marks == ["rewrite.responses"]  # `return None` is no other shape
    assert out.count("# migrator[rewrite.responses]: `source` gives back the response of a migrated call here") == 1


def test_a_name_taken_apart_with_another_workspaces_prefix_is_marked():
    """`replace("workspaces/other/sources/", "")` took nothing off the names
    of the id map's workspace: it is not the slug."""
    ids = IdMap.model_validate({"workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"}})
    source = API + textwrap.dedent("""
        def slugs():
            items = requests.get(f"{API}/workspaces/acme/sources").json()["sources"]
            return [s["name"].replace("workspaces/acme/sources/", "") for s in items], [
                s["name"].replace("workspaces/other/sources/", "") for s in items]
    """)
    result = rewrite_bytes(source.encode(), RULES, ids)
    out = result.code.decode()
    assert 'return [s["slug"] for s in items], [' in out
    assert 's["name"].replace("workspaces/other/sources/", "") for s in items]' in out
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.responses", 6)]


def test_a_comprehension_binds_its_names_in_a_scope_of_its_own():
    """`for body in others` in a comprehension does not rebind the
    function's `body` (Python 3): the read after it is the response's. The
    first `for`'s iterable is read outside the comprehension."""
    out, marks = run("""
        def count(others):
            body = requests.get(f"{API}/workspaces/acme/sources").json()
            extra = sum(len(body["items"]) for body in others)
            names = [s["display_name"] for s in body["sources"]]
            return len(body["sources"]) + extra, names
    """)
    assert 'extra = sum(len(body["items"]) for body in others)' in out
    assert 'names = [s["name"] for s in body["data"]["sources"]]' in out
    assert 'return len(body["data"]["sources"]) + extra, names' in out
    assert not marks


def test_a_response_bound_by_a_walrus_where_it_is_read():
    """`(body := ...json())["sources"]`: the envelope goes after the
    parentheses (inside, it would change what `body` holds)."""
    out, marks = run("""
        def first():
            if (body := requests.get(f"{API}/workspaces/acme/sources").json())["sources"]:
                return body["sources"][0]["display_name"]
    """)
    assert '.json())["data"]["sources"]:' in out
    assert 'return body["data"]["sources"][0]["name"]' in out
    assert not marks


def test_a_dicts_get_with_a_default_is_no_call_of_a_path():
    """`body.get("workspaces", [])` has the shape of `session.get(url, params)`:
    a key without a slash and a default a query cannot be is a dict's read."""
    out, marks = run("""
        def names(cfg):
            return cfg.get("workspaces", []), cfg.get("sources", "")
    """)
    assert 'return cfg.get("workspaces", []), cfg.get("sources", "")' in out
    assert "rewrite.partial-path" not in marks


def test_a_call_whose_url_is_a_migrated_path_on_one_branch_only_is_marked():
    """`url` is the catalog's list or the workspace's: the Public answers
    differ and the reads cannot be followed (they were left as they were,
    with no page size and no marker)."""
    out, marks = run("""
        def either(kind):
            if kind == "catalog":
                url = f"{API}/catalog/sources"
            else:
                url = f"{API}/workspaces/acme/sources"
            body = requests.get(url).json()
            return len(body["sources"])
    """)
    assert marks == ["rewrite.responses"]
    assert "# migrator[rewrite.responses]: the URL of this call is a migrated Config path on one path" in out


def test_a_response_unpacked_into_keywords_or_formatted_by_its_keys_is_marked():
    """`describe(**s)` and `"%(display_name)s" % s` use the dict whole: the
    Public one has other keys (a TypeError, a KeyError)."""
    out, marks = run("""
        def describe(display_name, **rest):
            return display_name

        def b():
            body = requests.get(f"{API}/workspaces/acme/sources").json()
            return [describe(**s) for s in body["sources"]]

        def c():
            s = requests.get(f"{API}/workspaces/acme/sources/js").json()
            return "%(display_name)s" % s
    """)
    assert marks == ["rewrite.responses", "rewrite.responses"]
    assert "(`**` into keyword arguments)" in out and "(`%` formatting by its keys)" in out


def test_a_name_taken_apart_after_a_get_with_a_default_keeps_it():
    """`s.get("name", "").split("/")[-1]`: the last segment of the default is
    the default itself; a default with segments is marked."""
    out, marks = run("""
        def slugs():
            body = requests.get(f"{API}/workspaces/acme/sources").json()
            return [s.get("name", "").split("/")[-1] for s in body["sources"]], [
                s.get("name", "a/b").split("/")[-1] for s in body["sources"]]
    """)
    assert 'return [s.get("slug", "") for s in body["data"]["sources"]], [' in out
    assert marks == ["rewrite.responses"]


def test_a_nested_target_taken_apart_after_a_get_keeps_its_default_at_every_key():
    """`.get("catalog_name", "").split("/")[-1]` gave "" for an error body (no
    key): so does every `.get` of the Public path, the last one with that default."""
    out, marks = run("""
        def catalog_slug():
            resp = requests.get(f"{API}/workspaces/acme/sources/js")
            return resp.json().get("catalog_name", "").split("/")[-1]
    """)
    assert body(out) == textwrap.dedent("""\
        def catalog_slug():
            resp = requests.get(f"{API}/sources/qQEHquLrjRDN9j1ByrChyn")
            return resp.json().get("data", {}).get("source", {}).get("metadata", {}).get("slug", "")
    """)
    assert not marks


def test_an_item_picked_from_a_list_is_read_as_an_item():
    """`max`, `min`, `next(iter(...))`, `next(<generator>, None)` and
    `random.choice` give back one item of a migrated list: its reads move
    (`["name"].split("/")[-1]` → `["slug"]`: the Public `name` is the display
    name)."""
    out, marks = run("""
        import random


        def picks():
            body = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 10}).json()
            newest = max(body["sources"], key=lambda s: s["display_name"])["name"].split("/")[-1]
            first = next(iter(body["sources"]))["display_name"]
            one = random.choice(body["sources"])["name"].split("/")[-1]
            found = next((s for s in body["sources"] if s["enabled"]), None)
            fewest = min(body["sources"], key=len, default=None)["display_name"]
            return newest, first, one, found["display_name"], fewest
    """)
    assert body(out) == textwrap.dedent("""\
        import random


        def picks():
            body = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()
            newest = max(body["data"]["sources"], key=lambda s: s["name"])["slug"]
            first = next(iter(body["data"]["sources"]))["name"]
            one = random.choice(body["data"]["sources"])["slug"]
            found = next((s for s in body["data"]["sources"] if s["enabled"]), None)
            # migrator[rewrite.responses]: an item of a migrated call's response is handed to `len` whole: it now has the Public shape (`data` envelope, Public field names); check what `len` does with it
            fewest = min(body["data"]["sources"], key=len, default=None)["name"]
            return newest, first, one, found["name"], fewest
    """)
    assert marks == ["rewrite.responses"]  # `key=len` counts the keys of each item: the Public item has others


def test_a_sort_key_of_itemgetter_reads_the_public_fields_of_the_items():
    """`itemgetter("display_name")` sorts items as `lambda s: s["display_name"]`
    does: rewritten the same way (a Config name as its last segment, `slug`);
    a key with no single Public field, an `attrgetter`, or an `itemgetter`
    bound to a name first is marked."""
    out, marks = run("""
        from operator import attrgetter, itemgetter


        def by_title():
            sources = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 10}).json()["sources"]
            sources.sort(key=itemgetter('name'))
            by = itemgetter("display_name")
            return (sorted(sources, key=itemgetter("display_name", "enabled")), max(sources, key=by),
                    min(sources, key=attrgetter("display_name")), sorted(sources, key=itemgetter("catalog_name")))
    """)
    marker = "    # migrator[rewrite.responses]: "
    whole = "an item of a migrated call's response is handed to `{}` whole: it now has the Public shape " \
            "(`data` envelope, Public field names); check what `{}` does with it\n"
    assert body(out) == textwrap.dedent("""\
        from operator import attrgetter, itemgetter


        def by_title():
            sources = requests.get(f"{API}/sources", params={"pagination.count": 10}).json()["data"]["sources"]
            sources.sort(key=itemgetter('slug'))
            by = itemgetter("display_name")
    """) + marker + whole.format("by", "by") + marker + whole.format("attrgetter", "attrgetter") + marker + (
        "the Public field `metadata.slug` is not the Config `catalog_name` (it is nested): adapt this use by hand\n"
    ) + (
        '    return (sorted(sources, key=itemgetter("name", "enabled")), max(sources, key=by),\n'
        '            min(sources, key=attrgetter("display_name")), sorted(sources, key=itemgetter("catalog_name")))\n'
    )
    assert marks == ["rewrite.responses"] * 3


def test_a_second_run_reports_the_marker_the_file_holds():
    # the first run calls the read's origin unproven; the second, on a file
    # calling the Public API now, says "this file calls the Public API": it
    # writes nothing there, and holds what the comment says for its summary
    source = API + textwrap.dedent("""
        def names(ws):
            r = requests.get(f"{API}/workspaces/{ws}/sources", params={"page_size": 5})
            return [s["display_name"] for s in r.json()["sources"]]


        def label(s):
            return s["display_name"]
    """)
    first = rewrite_bytes(source.encode(), RULES)
    again = rewrite_bytes(first.code, RULES, linked=link_reason(None))  # as `rewrite` links a file on the Public API
    assert again.code == first.code and not again.changes
    said = ("`display_name` looks like a Config API field read off a value whose origin this rewrite cannot prove: "
            "if it comes from a migrated call, read the Public field instead (`name`; `displayName` for a function)")
    assert [(m.rule, m.line, m.reason) for m in first.markers] == [("rewrite.responses", 9, said)]
    assert f"    # migrator[rewrite.responses]: {said}\n    return s[\"display_name\"]\n" in first.code.decode()
    linked = ("`display_name` looks like a Config API field, and this file calls the Public API: if the value comes "
              "from that API, read the Public field instead (`name`; `displayName` for a function)")
    assert [(m.rule, m.line, m.reason, m.held) for m in again.markers] == [("rewrite.responses", 10, linked, said)]


def test_the_event_properties_of_a_json_schema_are_not_config_reads():
    """`properties` of a tracking plan rule's `jsonSchema` holds the user's
    event properties: a read through it is no Config field, in a file that
    calls the Public API (linked) or the Config API (unproven origin); a
    read off another value is marked as before."""
    public = textwrap.dedent('''\
        PUBLIC = "https://api.segmentapis.com"


        def event_props(tp_id, s):
            rules = requests.get(f"{PUBLIC}/tracking-plans/{tp_id}/rules").json()["data"]["rules"]
            return [r["jsonSchema"]["properties"].get("display_name") for r in rules], s["display_name"]
    ''')
    result = rewrite_bytes(public.encode(), RULES, linked=link_reason(None))
    assert result.code.decode() == public.replace("    return [", "    # migrator[rewrite.responses]: `display_name` "
        "looks like a Config API field, and this file calls the Public API: if the value comes from that API, read "
        "the Public field instead (`name`; `displayName` for a function)\n    return [")
    out, marks = run("""
        def names(ws):
            return requests.get(f"{API}/workspaces/{ws}/sources").json()


        def props(rule, s):
            return rule.get("properties", {})["create_time"], rule["properties"]["page_size"], s["create_time"]
    """)
    assert (body(out).split("\n\n\n")[1], marks) == (textwrap.dedent("""\
        def props(rule, s):
            # migrator[rewrite.responses]: `create_time` looks like a Config API field read off a value whose origin this rewrite cannot prove: if it comes from a migrated call, read the Public field instead (not returned by the Public API; `createdAt` for a regulation, a regulation detail or a tracking plan)
            return rule.get("properties", {})["create_time"], rule["properties"]["page_size"], s["create_time"]
    """), ["rewrite.responses"])
