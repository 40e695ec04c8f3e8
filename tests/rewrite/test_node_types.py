"""The exact-type tests the rewrite uses in place of isinstance() on libcst's
nodes (ABCs, slow to test) answer as isinstance() does."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import SMALL_STATEMENTS, STATEMENTS, node_types, walk

SAMPLE = '''
import os
from app import client as c
X: int = 1
def f(a, *, b=2):
    global X
    for i, (j, *k) in enumerate([]):
        del j
    if (y := a):
        return [z for z in k]
    try:
        pass
    except ValueError as e:
        raise
    with open(a) as h:
        X += 1
    while False:
        break
    match a:
        case {"k": v, **rest}:
            pass
        case [first, *others]:
            pass
    return lambda q: q
class K:
    async def g(self):
        nonlocal_ = 1
        assert nonlocal_
'''


def test_node_types_answer_as_isinstance_for_every_node() -> None:
    bases = (cst.BaseStatement, cst.BaseSmallStatement, cst.BaseExpression, cst.BaseCompoundStatement)
    nodes = [node for node, _ in walk(cst.parse_module(SAMPLE))]
    assert len({type(n) for n in nodes}) > 40
    for base in bases:
        kinds = node_types(base)
        assert [n for n in nodes if type(n) in kinds] == [n for n in nodes if isinstance(n, base)]
    assert STATEMENTS == node_types(cst.BaseStatement) and SMALL_STATEMENTS == node_types(cst.BaseSmallStatement)
    assert cst.If in STATEMENTS and cst.SimpleStatementLine in STATEMENTS and cst.Expr not in STATEMENTS
    assert cst.Import in SMALL_STATEMENTS and cst.If not in SMALL_STATEMENTS


def test_parents_by_id_answer_as_the_parents_by_node() -> None:
    """`Index.up` (by the node's id, no `__hash__` call) holds what
    `Index.parents` does; `FileContext.parent`, `scope_of`, `class_of` read it."""
    from migrator.rewrite.context import FileContext
    from migrator.rewrite.source import Source
    from migrator.ruleset import load_rules

    ctx = FileContext.build(Source.parse(SAMPLE.encode()), load_rules(), None, "us", None)
    index = ctx.index
    assert index.up == {id(node): parent for node, parent in index.parents.items()}
    nodes = [node for node, _ in walk(ctx.src.module)]
    assert [ctx.parent(n) for n in nodes] == [index.parents.get(n) for n in nodes]
    lambdas = [n for n in nodes if type(n) is cst.Lambda]
    assert index.scope_of(lambdas[0].body).params.params[0].name.value == "q"  # type: ignore[attr-defined]
    method = next(n for n in nodes if type(n) is cst.FunctionDef and n.name.value == "g")
    assert index.class_of(method.body).name.value == "K"  # type: ignore[union-attr]
    assert ctx.parent(cst.Name("elsewhere")) is None and index.class_of(nodes[0]) is None
