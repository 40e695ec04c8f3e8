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
