"""Every JSON example and left-alone case in rules/ is a test."""

from __future__ import annotations

import re

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import TranslateError, translate

RULES = load_rules()
EXAMPLES = [
    pytest.param(row, example, id=f"{row.id}#{n}")
    for row in RULES.rows
    for n, example in enumerate(row.examples)
]
LEFT_ALONE = [
    pytest.param(doc, id=f"{row.id}#{n}") for row in RULES.rows for n, doc in enumerate(row.left_alone)
]


@pytest.mark.parametrize(("row", "example"), EXAMPLES)
def test_example_translates_exactly(row, example):
    ids = IdMap.model_validate(example.ids or {})
    if example.error is not None:
        with pytest.raises(TranslateError, match=re.escape(example.error)) as raised:
            translate(example.before, RULES, ids, endpoint=example.endpoint, request=example.request)
        assert raised.value.rule == row.id
        return
    result = translate(example.before, RULES, ids, endpoint=example.endpoint, request=example.request)
    assert result.document == example.after


@pytest.mark.parametrize("doc", LEFT_ALONE)
def test_left_alone_comes_back_unchanged(doc):
    result = translate(doc, RULES)
    assert result.document == doc
    assert result.kind == "public"
    assert result.reports == ()
