"""What `from mod import *` binds of a module of the run (`shared_plan`).

Only the names of a literal `__all__` (a list or tuple of strings bound once
at module level, changed nowhere) are known for sure; anything else about
`__all__`, or none, and any name may be bound.
"""

from __future__ import annotations

import ast


def listed(tree: ast.Module) -> frozenset[str] | None:
    """The names `import *` takes from the module `tree`, when its `__all__`
    says them plainly; None when it may take any."""
    found: frozenset[str] | None = None
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(_is_all(t) for t in statement.targets):
            if found is not None or len(statement.targets) != 1:
                return None  # bound twice, or with another name: not followed
            found = _strings(statement.value)
            if found is None:
                return None
    if found is None:
        return None
    mentions = sum(1 for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == "__all__")
    return found if mentions == 1 else None  # `__all__ += [...]`, `__all__.append(...)`: changed after


def _is_all(target: ast.expr) -> bool:
    return isinstance(target, ast.Name) and target.id == "__all__"


def _strings(value: ast.expr) -> frozenset[str] | None:
    if not isinstance(value, (ast.List, ast.Tuple)):
        return None
    names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return frozenset(names) if len(names) == len(value.elts) else None
