"""Request bodies the rewrite must not translate as written, or must not
translate silently: a body changed in a nested scope, settings that collide,
bodies missing an input the Public call requires, values a documented rule
leaves out."""

from __future__ import annotations

import ast

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    {
        "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"},
        "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
        "destinations": {"js/amplitude": ["6334b2ff2c4f2f0b8d5d0c3a"]},
        "destination_metadata": {"amplitude": "54521fd525e721e32a72ee91"},
        "source_metadata": {"javascript": "IqDTy1TpoU"},
    }
)
API = 'API = "https://platform.segmentapis.com/v1beta"\n'
PUBLIC = 'API = "https://api.segmentapis.com"\n'
DEST = '"{API}/workspaces/acme/sources/js/destinations/amplitude"'


def run(code: str, ids: IdMap | None = IDS):
    result = rewrite_bytes(code.encode(), RULES, ids, lookup_module="segment_ids")
    ast.parse(result.code)
    again = rewrite_bytes(result.code, RULES, ids, lookup_module="segment_ids")
    assert again.code == result.code
    return result


def markers(result):
    return [(m.line, m.rule, m.reason) for m in result.markers]


MESSAGE = (
    "the request body of `PATCH /v1beta/workspaces/{{workspace}}/sources/{{source}}/destinations/{{destination}}` "
    "must change too ({reason}): `PATCH …/destinations/{{destination}}` with an update mask becomes "
    "`PATCH /destinations/{{destinationId}}` with a partial body."
)


# -- 1. a body used in a nested scope ---------------------------------------------


def _nested(use: str) -> tuple[str, str]:
    before = (
        API + "def disable():\n"
        '    body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        f"{use}"
        f"    return requests.patch(f{DEST}, json=body)\n"
    )
    after = (
        PUBLIC + "def disable():\n"
        '    body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        f"{use}"
        "    # migrator[rewrite.request-body]: {message}\n"
        '    return requests.patch(f"{API}/destinations/6334b2ff2c4f2f0b8d5d0c3a", json=body)\n'
    )
    return before, after


def test_a_body_changed_in_a_lambda_is_marked_not_translated_as_written():
    use = '    turn_off = lambda: body["destination"].update(enabled=False)\n    turn_off()\n'
    before, after = _nested(use)
    result = run(before)
    reason = "`body` is also used or changed elsewhere (line 4)"
    message = MESSAGE.format(reason=reason)
    assert result.code.decode() == after.replace("{message}", message)
    assert markers(result) == [(6, "rewrite.request-body", message)]


def test_a_body_changed_in_a_nested_def_is_marked():
    use = '    def tweak():\n        body["destination"]["enabled"] = False\n    tweak()\n'
    before, after = _nested(use)
    result = run(before)
    message = MESSAGE.format(reason="`body` is also used or changed elsewhere (line 5)")
    assert result.code.decode() == after.replace("{message}", message)
    assert markers(result) == [(7, "rewrite.request-body", message)]


def test_a_body_read_in_a_class_body_or_comprehension_is_marked():
    for use, line in (
        ("    class Saved:\n        value = body\n", 5),
        ("    keys = [k for k in body if body.pop(k, None) is None]\n", 4),
    ):
        before, after = _nested(use)
        result = run(before)
        message = MESSAGE.format(reason=f"`body` is also used or changed elsewhere (line {line})")
        assert result.code.decode() == after.replace("{message}", message)


def test_a_lambda_whose_own_parameter_has_the_name_is_another_variable():
    use = "    size = lambda body: len(body)\n"
    before, _ = _nested(use)
    assert run(before).code.decode() == (
        PUBLIC + "def disable():\n"
        '    body = {"enabled": True}\n'
        f"{use}"
        '    return requests.patch(f"{API}/destinations/6334b2ff2c4f2f0b8d5d0c3a", json=body)\n'
    )
