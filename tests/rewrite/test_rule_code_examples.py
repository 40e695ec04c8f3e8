"""Every `code` example and `code_left_alone` case of every row in rules/ is a test.

Examples with `ids` run with that (partial) id map and the lookup module
`segment_ids`, as `migrator rewrite --ids FILE` does; the others without.
"""

from __future__ import annotations

import ast

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
EXAMPLES = [
    pytest.param(row, example, id=f"{row.id}#{n}")
    for row in RULES.rows
    for n, example in enumerate(row.code)
]
LEFT_ALONE = [
    pytest.param(row, code, id=f"{row.id}#{n}")
    for row in RULES.rows
    for n, code in enumerate(row.code_left_alone)
]


def run(code: str, ids: dict | None = None):
    idmap = IdMap.model_validate(ids) if ids is not None else None
    return rewrite_bytes(
        code.encode("utf-8"), RULES, idmap, lookup_module="segment_ids" if ids is not None else None
    )


@pytest.mark.parametrize(("row", "example"), EXAMPLES)
def test_code_example_rewrites_exactly(row, example):
    result = run(example.before, example.ids)
    assert result.code.decode("utf-8") == example.after
    ast.parse(result.code)
    rules = {c.rule for c in result.changes} | {m.rule for m in result.markers}
    assert rules, "the example neither changes nor marks anything"
    again = run(example.after, example.ids)
    assert again.code == result.code, "a second run changed the code again"
    assert not again.changes


@pytest.mark.parametrize(("row", "code"), LEFT_ALONE)
def test_code_left_alone_is_byte_identical(row, code):
    result = run(code)
    assert result.code == code.encode("utf-8")
    assert not result.changes
    assert not result.markers


def test_every_rewrite_kind_has_a_row():
    from migrator.rewrite.registry import KINDS

    rows = {row.id for f in RULES.files for row in f.rewrites}
    for kind in KINDS:
        assert kind.row in rows
    for f in RULES.files:
        for row in f.rewrites:
            assert row.code and row.code_left_alone
