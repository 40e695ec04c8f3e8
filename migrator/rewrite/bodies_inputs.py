"""What a Public call requires in its request body (for `bodies`).

The translated body of a migrated call is checked against the inputs the
Public operation requires (the `required` lists of its input schema in the
Public API OpenAPI spec v36.2.0, `components.schemas`, items of arrays
included: `settings[].description` is required of every function setting).
A body missing one would be refused by the Public API (HTTP 400): the call
is left as it is and marked instead, saying what to add.

The required paths are each Public call's `body_required`
(`migrator.translate.public_models.CALLS`; `tests/rewrite/test_bodies_losses.py`
checks them against the spec when the spec is at hand). The body models
there are laxer on purpose: they check what a translation can always
supply.
"""

from __future__ import annotations

from typing import Any

from migrator.rewrite.bodies_values import Opaque, has_hole
from migrator.translate.public_models import find_call


def missing_inputs(call: dict[str, Any]) -> str | None:
    """Why the Public API would refuse the body of this translated call
    (`{"method", "url", "body"}`), or None. A value held in an expression
    counts as given (what it holds cannot be seen)."""
    found = find_call(call["method"], call.get("url", ""))
    if found is None:
        return None
    body = call.get("body")
    missing: list[str] = []
    for path in found.body_required:
        for where in _missing(body, path.split(".")):
            if where not in missing:
                missing.append(where)
    if not missing:
        return None
    shown = " and ".join(", ".join(f"`{m}`" for m in missing).rsplit(", ", 1))
    return f"the Public API requires {shown} in `{found.endpoint}`, and this body does not give {'it' if len(missing) == 1 else 'them'}"


def _missing(value: Any, parts: list[str], prefix: str = "") -> list[str]:
    if _unseen(value) or not isinstance(value, dict):
        return []
    head, rest = parts[0], parts[1:]
    each = head.endswith("[]")
    key = head[:-2] if each else head
    here = f"{prefix}.{key}" if prefix else key
    if key not in value:
        return [] if each else [here]  # items are required only of a list that is given
    if not rest:
        return []
    inner = value[key]
    if each:
        if not isinstance(inner, list):
            return []
        return [m for item in inner for m in _missing(item, rest, here + "[]")]
    return _missing(inner, rest, here)


def _unseen(value: Any) -> bool:
    return isinstance(value, Opaque) or (isinstance(value, str) and has_hole(value))
