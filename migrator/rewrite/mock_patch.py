"""HTTP functions replaced with `unittest.mock.patch` in tests.

    @mock.patch("app.client.requests.get")
    def test_names(get):
        get.return_value.json.return_value = {"sources": [...]}
        ...
        get.assert_called_once_with("https://…/v1beta/workspaces/acme/sources", params={"page_size": 100})

The patched target names the HTTP method (`requests.get`, `httpx.Client.post`,
`patch.object(requests, "get")`), or is a client class whose instance's
method the test reads (`@mock.patch("app.client.requests.Session")`, `get =
session_cls.return_value.get`). The URL given to `assert_called_once_with`
/ `assert_called_with` / `assert_any_call` is then a URL used with that
method (`registration_flow` tells the paths kind), and the mock's canned
`.return_value.json.return_value` is the Config response of that endpoint.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext

ASSERTS = ("assert_called_once_with", "assert_called_with", "assert_any_call")
PATCHERS = ("unittest.mock.patch", "mock.patch", "patch")
MOCKER = "mocker.patch"
"""pytest-mock's fixture: `get = mocker.patch("app.client.requests.get")`."""
GENERIC = "request"
"""A patched function that takes the HTTP method as its first argument (`Session.request`)."""
CLIENTS = ("requests", "httpx", "Session", "Client", "AsyncClient")
"""What may stand before the method in a patched target (`…requests.get`)."""
INSTANCES = (("requests", "Session"), ("httpx", "Client"), ("httpx", "AsyncClient"))
"""Patched classes whose instances' methods send requests (`…requests.Session`)."""


def patched_verb(ctx: FileContext, name: cst.BaseExpression) -> str | None:
    """The HTTP method of the function a mock object replaces, or None: a
    patched function (`@mock.patch("app.client.requests.get")`), or a method
    of the instance a patched client class makes (`get =
    session_cls.return_value.get`, `session_cls` patching `requests.Session`)."""
    if isinstance(name, cst.Attribute):
        return _instance_verb(ctx, name)
    if not isinstance(name, cst.Name):
        return None
    patch = _patch_of(ctx, name)
    if patch is not None:
        return _target_verb(ctx, patch)
    values = clients.resolve(ctx, name)
    return _instance_verb(ctx, values[0]) if len(values) == 1 else None


def _instance_verb(ctx: FileContext, method: cst.BaseExpression) -> str | None:
    """`session_cls.return_value.get`, `session_cls` patching a client class
    (`INSTANCES`): the HTTP method of that method of its instances."""
    made = method.value if isinstance(method, cst.Attribute) else None
    if not (isinstance(made, cst.Attribute) and made.attr.value == "return_value" and isinstance(made.value, cst.Name)):
        return None
    patch = _patch_of(ctx, made.value)
    if patch is None or _target(ctx, patch) not in INSTANCES:
        return None
    verb = method.attr.value  # type: ignore[union-attr]
    return verb.upper() if verb in (*clients.VERBS, GENERIC) else None


def _patch_of(ctx: FileContext, name: cst.Name) -> cst.Call | None:
    """The patch whose mock object `name` is: a parameter a patch decorator
    passes, a `with` target, or a name assigned the patch (`get =
    mocker.patch("…requests.get")`)."""
    function = ctx.index.scope_of(name)
    if isinstance(function, cst.FunctionDef):
        params = [p.name.value for p in function.params.params if p.name.value not in ("self", "cls")]
        patches = [d.decorator for d in function.decorators if _is_patch(ctx, d.decorator)]
        # decorators apply bottom-up: the lowest patch gives the first parameter
        for param, decorator in zip(params, reversed(patches)):
            if param == name.value and (function, name.value) not in ctx.index.assignments:
                return decorator  # type: ignore[return-value]
    for use in ctx.index.names.get(name.value, []):
        as_name = ctx.parent(use)
        item = ctx.parent(as_name) if isinstance(as_name, cst.AsName) else None
        if isinstance(item, cst.WithItem) and _is_patch(ctx, item.item):
            return item.item  # type: ignore[return-value]
    values = clients.resolve(ctx, name)
    if len(values) == 1 and _is_patch(ctx, values[0]):
        return values[0]  # type: ignore[return-value]
    return None


def is_patcher(name: str) -> bool:
    """`mock.patch` (imported any way) or pytest-mock's `mocker.patch`, by qualified name."""
    return name in PATCHERS or name.endswith(".mock.patch") or name == MOCKER


def _is_patch(ctx: FileContext, node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call):
        return False
    name = clients.qualified_name(ctx, node.func)
    if name.endswith(".object"):
        name = name[: -len(".object")]
    if not is_patcher(name):
        return False
    # a replacement given here (`new=`) is not the mock object passed in
    return len([a for a in node.args if a.keyword is None]) <= (2 if _is_object(ctx, node) else 1) and not any(
        a.keyword is not None and a.keyword.value in ("new", "new_callable") for a in node.args
    )


def _is_object(ctx: FileContext, call: cst.Call) -> bool:
    return clients.qualified_name(ctx, call.func).endswith(".object")


def _target_verb(ctx: FileContext, call: cst.Call) -> str | None:
    owner, verb = _target(ctx, call) or ("", "")
    if verb not in (*clients.VERBS, GENERIC) or owner not in CLIENTS:
        return None
    return verb.upper()


def _target(ctx: FileContext, call: cst.Call) -> tuple[str, str] | None:
    """What a patch replaces: the last name of its owner and its own
    (`("requests", "get")` of `mock.patch("app.client.requests.get")`)."""
    positional = [a.value for a in call.args if a.keyword is None]
    if _is_object(ctx, call):
        if len(positional) != 2 or not isinstance(positional[1], cst.SimpleString):
            return None
        owner = clients.qualified_name(ctx, positional[0]).rpartition(".")[2]
        verb = positional[1].evaluated_value
    else:
        if not positional or not isinstance(positional[0], cst.SimpleString):
            return None
        target = positional[0].evaluated_value
        if not isinstance(target, str):
            return None
        owner, _, verb = target.rpartition(".")
        owner = owner.rpartition(".")[2]
    return (owner, verb) if isinstance(verb, str) else None


def asserted_call(ctx: FileContext, call: cst.Call) -> tuple[str, cst.Arg] | None:
    """The HTTP method and the URL argument of an assert on a patched HTTP
    function (`get.assert_called_once_with(url, ...)`); of a patched
    `request`, the method is the assert's first argument
    (`request.assert_called_once_with("GET", url, ...)`)."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in ASSERTS):
        return None
    verb = patched_verb(ctx, func.value)
    positional = [a for a in call.args if a.keyword is None]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    if verb == GENERIC.upper():
        named = keyword.get("method") or (positional[0] if positional else None)
        text = named.value.evaluated_value if named is not None and isinstance(named.value, cst.SimpleString) else None
        if not isinstance(text, str) or text.lower() not in clients.VERBS:
            return None
        verb, url = text.upper(), keyword.get("url") or (positional[1] if len(positional) > 1 else None)
    else:
        url = keyword.get("url") or (positional[0] if positional else None)
    if verb is None or url is None or url.star:
        return None
    return verb, url


def receiver_path(receiver: cst.BaseExpression) -> tuple[str, tuple[str, ...]] | None:
    """The name a mock is reached from and the attributes after it (`get`,
    `("session_cls", ("return_value", "get"))`), or None."""
    attributes: list[str] = []
    while isinstance(receiver, cst.Attribute):
        attributes.insert(0, receiver.attr.value)
        receiver = receiver.value
    return (receiver.value, tuple(attributes)) if isinstance(receiver, cst.Name) else None


def canned_responses(
    ctx: FileContext, name: str, scope: cst.CSTNode, attributes: tuple[str, ...] = (),
) -> list[tuple[cst.BaseExpression, list[cst.BaseExpression]]]:
    """Values of `<name>[.<attributes>].return_value.json.return_value = ...`
    in `scope`, or of `....json.side_effect = [...]`, with the answers each
    gives (`in_turn`)."""
    found: list[tuple[cst.BaseExpression, list[cst.BaseExpression]]] = []
    for node in ctx.index.names.get(name, []):
        if ctx.index.scope_of(node) is not scope:
            continue
        current: cst.CSTNode | None = node
        for attr in [*attributes, "return_value", "json"]:
            parent = ctx.parent(current) if current is not None else None
            ok = isinstance(parent, cst.Attribute) and parent.value is current and parent.attr.value == attr
            current = parent if ok else None
        parent = ctx.parent(current) if current is not None else None
        if not (isinstance(parent, cst.Attribute) and parent.value is current and parent.attr.value in CANNED):
            continue
        target = ctx.parent(parent)
        assign = ctx.parent(target) if isinstance(target, cst.AssignTarget) else None
        if isinstance(assign, cst.Assign):
            answers = in_turn(parent.attr.value, assign.value)
            if answers is not None:
                found.append((assign.value, answers))
    return found


CANNED = ("return_value", "side_effect")
"""What a mock gives back: `return_value`, or each item of a `side_effect` sequence in turn."""


def in_turn(attribute: str, value: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    """The answers a mock given `value` as its `attribute` (`CANNED`) gives
    back: the value itself, or the items of a `side_effect` list or tuple,
    one per call (a starred item is kept whole: not a literal). None for a
    `side_effect` that is no sequence (a function, an error to raise)."""
    if attribute == "return_value":
        return [value]
    if not isinstance(value, (cst.List, cst.Tuple)):
        return None
    return [e.value if isinstance(e, cst.Element) else e for e in value.elements]  # type: ignore[misc]
