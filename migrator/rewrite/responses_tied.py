"""Values the flow does not prove, but that come from a migrated call of the
file (see `tie`): reads of them are marked from the rows of that call's
resource, not only for the snake_case fields marked on any value of
unproven origin (`responses.Writer.read`).

- what a function of the file given a migrated URL gives back when the
  flow loses its shape (`def fetch(url, key): return
  requests.get(url).json()[key]`), and what a helper this rewrite does not
  see into gives back (`api_call("GET", url)`): some part of the answer;
  its items and its list are the same kind of part, so a read of `name` off
  an item of `fetch(URL, "destinations")` is a read of the Config `name`;
- the answers of a function of the file gathered in a list
  (`asyncio.gather(*[one(s) for s in slugs])`, `[one(s) for s in slugs]`,
  `map(one, slugs)`, an executor's `ex.map(one, slugs)`, the futures of
  `ex.submit(one, s)` and their `.result()`, `as_completed(...)` of either)
  or in a dict (`{s: one(s) for s in slugs}`, looked up by any key): each
  item is the whole answer, now in the Public envelope.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

import libcst as cst

from migrator.rewrite import responses_registry
from migrator.rewrite.clients import callee_name, qualified_name
from migrator.rewrite.context import FileContext
from migrator.rewrite.responses_flow import DOC, RESP, URL, Read, Scope, as_read, names_bound, proven, sorted_items
from migrator.ruleset.models import EndpointRow, EnvelopeRow, ResourceRow

DEPTH = 12
"""How many steps back a value is followed (names, reads, items)."""
SAME_ITEMS = frozenset({"sorted", "list", "reversed", "iter", "tuple"})
"""Calls that give back the items they are given."""
ONE_ITEM = frozenset({"min", "max", "next"})
"""Builtins that give back one item of the list they are given."""
MAPS = frozenset({"map", "imap", "imap_unordered"})
"""`map(f, items)`, and the methods of executors and pools of that name:
what `f` gives back for each item."""
RUNS = {"submit": 0, "run_in_executor": 1, "asyncio.to_thread": 0}
"""Methods (and functions) that run the function they are given (at that
position) on the arguments after it: their future (or awaitable) gives back
what it does (`ex.submit(one, s).result()`, `await asyncio.to_thread(one, s)`)."""

MESSAGES = {
    "part": "`{key}` is read off a value taken from the answer of `{endpoint}`{via}, which this rewrite does not "
    "follow: if it is a {kind}, read the Public field instead ({hint})",
    "whole": "`{key}` is read off the whole answer of `{endpoint}`{via}, which this rewrite does not follow here: "
    "that answer now has the Public shape; read {hint} instead",
    "part-dropped": "`{key}` is read off a value taken from the answer of `{endpoint}`{via}, which this rewrite "
    "does not follow: if it is a {kind}, the Public API does not return it ({reason}); remove this read or get "
    "the value elsewhere",
    "whole-other": "`{key}` is read off the whole answer of `{endpoint}`{via}, which this rewrite does not follow "
    "here: that answer now has the Public shape, the {kind} under `{path}`, and the table has no field `{key}` "
    "for it: read it from there by hand",
    "whole-dropped": "`{key}` is read off the whole answer of `{endpoint}`{via}, which this rewrite does not follow "
    "here: the Public API does not return it ({reason}); remove this read or get the value elsewhere",
}


@dataclass(frozen=True)
class Tie:
    endpoint: str
    """Row id of the migrated call."""
    via: str | None
    """The function that gives the value back (`fetch`), when known."""
    whole: bool = False
    """The value is the whole decoded answer (else some part of it)."""
    many: bool = False
    """A list of whole answers."""
    keyed: bool = False
    """A dict whose values are whole answers (`{s: one(s) for s in slugs}`)."""
    registry: str | None = None
    """The registry the function was looked up in (`COMMANDS[name]()`, see `responses_registry`)."""


def _via(tied: Tie) -> str:
    """What gives the value back, for a marker."""
    if tied.registry is not None:
        given = f"`{tied.via}`" if tied.via else "a function"
        return f" (given back by {given}, looked up in `{tied.registry}`)"
    return f" (given back by `{tied.via}`)" if tied.via else ""


def item(tie: Tie | None) -> Tie | None:
    """What an item of a tied value is: an answer of a list of answers, the
    same part of an answer (its items are its parts too); not a key of a whole answer."""
    if tie is None or tie.keyed or tie.whole and not tie.many:
        return None  # a key of a dict of answers, a key of an answer
    return replace(tie, many=False)


def value(tie: Tie | None) -> Tie | None:
    """What is looked up in a dict of answers, by any key: an answer."""
    return replace(tie, keyed=False, many=False) if tie is not None and tie.keyed else None


_MEMO: WeakKeyDictionary[Scope, dict[int, Tie | None]] = WeakKeyDictionary()


def tie(scope: Scope, expr: cst.BaseExpression, depth: int = 0) -> Tie | None:
    """The migrated call `expr` comes from, when the flow does not prove its shape."""
    memo = _MEMO.setdefault(scope, {})
    if id(expr) not in memo:
        memo[id(expr)] = None  # a name bound to itself (`items = items + more`): no tie
        memo[id(expr)] = _tie(scope, expr, depth) if depth <= DEPTH else None
    return memo[id(expr)]


def _tie(scope: Scope, expr: cst.BaseExpression, depth: int) -> Tie | None:
    shape = proven(scope.eval(expr))
    if shape is not None:
        # a response a helper gave back (its reads are marked `opaque`): what is read off it is a part
        return Tie(shape.endpoint, None) if shape.what == RESP and shape.endpoint else None
    kind = type(expr)
    if kind is cst.Name:
        return _name(scope, expr, depth + 1)  # type: ignore[arg-type]
    if kind is cst.Await:
        return tie(scope, expr.expression, depth + 1)  # type: ignore[attr-defined]
    read = as_read(expr)
    if read is not None:
        return _read(scope, read, depth + 1)
    if kind is cst.Subscript:
        elements = expr.slice  # type: ignore[attr-defined]
        index = elements[0].slice if len(elements) == 1 else None
        if type(index) is cst.Index and type(index.value) in (cst.Integer, cst.UnaryOperation):
            return item(tie(scope, expr.value, depth + 1))  # type: ignore[attr-defined]
        return value(tie(scope, expr.value, depth + 1)) if type(index) is cst.Index else None  # type: ignore[attr-defined]
    if kind in (cst.ListComp, cst.GeneratorExp):
        return _answers(scope, [expr.elt]) or _same(scope, expr, depth + 1)  # type: ignore[attr-defined]
    if kind is cst.DictComp:
        found = _answers(scope, [expr.value])  # type: ignore[attr-defined]
        return replace(found, keyed=True) if found is not None else None
    if kind is cst.Call:
        return _call(scope, expr, depth + 1)  # type: ignore[arg-type]
    return None


def _same(scope: Scope, comp: cst.ListComp | cst.GeneratorExp, depth: int) -> Tie | None:
    """`[d for d in dests if ...]`: the same items."""
    elt, target = comp.elt, comp.for_in.target
    if comp.for_in.inner_for_in is None and type(elt) is cst.Name and type(target) is cst.Name \
            and elt.value == target.value:
        found = tie(scope, comp.for_in.iter, depth)
        return found if found is not None and (found.many or not found.whole) else None
    return None


def _name(scope: Scope, use: cst.Name, depth: int) -> Tie | None:
    parent = scope.flow.ctx.parent
    current = parent(use)
    while current is not None and current is not scope.node and not isinstance(current, cst.BaseStatement):
        if type(current) is cst.Lambda and use.value in {p.name.value for p in current.params.params}:
            arg = parent(current)
            call = parent(arg) if arg is not None else None
            if not (isinstance(arg, cst.Arg) and arg.keyword is not None and arg.keyword.value == "key"
                    and isinstance(call, cst.Call)):
                return None
            source = sorted_items(call)  # `sorted(items, key=lambda d: ...)`: an item
            return item(tie(scope, source, depth)) if source is not None else None
        if type(current) in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            comp = current.for_in
            while comp is not None:
                if type(comp.target) is cst.Name and comp.target.value == use.value and use is not comp.iter:
                    return item(tie(scope, comp.iter, depth))
                comp = comp.inner_for_in
        current = parent(current)
    events = scope.events.get(use.value, {})
    found: set[Tie | None] = set()
    for event, _ in events.values():
        found.add(_bound(scope, event, use.value, depth))
        if None in found or len(found) > 1:
            return None
    return next(iter(found), None)


def walked_list(scope: Scope, use: cst.BaseExpression) -> Read | None:
    """The read whose items the name `use` walks (`c` of `for c in
    dest["config"]`, or of a comprehension over `dest.get("config", [])`),
    when every binding of it walks the same key; None otherwise."""
    if type(use) is not cst.Name:
        return None
    parent = scope.flow.ctx.parent
    current = parent(use)
    while current is not None and current is not scope.node and not isinstance(current, cst.BaseStatement):
        if type(current) in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            comp = current.for_in
            while comp is not None:
                if use.value in names_bound(comp.target) and use is not comp.iter:
                    return as_read(comp.iter) if type(comp.target) is cst.Name else None
                comp = comp.inner_for_in
        current = parent(current)
    events = [event for event, _ in scope.events.get(use.value, {}).values()]
    reads = [as_read(e.iter) if isinstance(e, cst.For) and type(e.target) is cst.Name else None for e in events]
    if not reads or any(r is None for r in reads) or len({r.name for r in reads if r is not None}) != 1:
        return None
    return reads[0]


def _bound(scope: Scope, event: cst.CSTNode, name: str, depth: int) -> Tie | None:
    """What one binding of `name` binds it to."""
    if isinstance(event, cst.Assign):
        if any(type(t.target) is cst.Name and t.target.value == name for t in event.targets):
            return tie(scope, event.value, depth)
    elif isinstance(event, cst.AugAssign) and type(event.target) is cst.Name and event.target.value == name:
        return tie(scope, event.value, depth)
    elif isinstance(event, cst.For) and type(event.target) is cst.Name and event.target.value == name:
        return item(tie(scope, event.iter, depth))
    elif isinstance(event, cst.For) and _second(event.target, name) and type(event.iter) is cst.Call:
        return _paired(scope, event.iter, depth)  # type: ignore[arg-type]
    return None


def _second(target: cst.BaseExpression, name: str) -> bool:
    """`name` is the second of the two names a `for` target unpacks (`for slug, d in ...`)."""
    pair = target.elements if type(target) in (cst.Tuple, cst.List) else ()  # type: ignore[attr-defined]
    return len(pair) == 2 and type(pair[1]) is cst.Element and type(pair[1].value) is cst.Name \
        and pair[1].value.value == name


def _paired(scope: Scope, pairs: cst.Call, depth: int) -> Tie | None:
    """The second of the pairs of `answers.items()` (a dict of answers) or
    `enumerate(answers)`: an answer."""
    func, args = pairs.func, pairs.args
    if type(func) is cst.Attribute and func.attr.value == "items" and not args:
        return value(tie(scope, func.value, depth))
    if type(func) is cst.Name and func.value == "enumerate" and func.value not in scope.flow.functions \
            and args and args[0].keyword is None and not args[0].star:
        return item(tie(scope, args[0].value, depth))
    return None


def _read(scope: Scope, read: Read, depth: int) -> Tie | None:
    """The list of an answer read off it (`doc["destinations"]`): a part; a field is no answer of its own."""
    found = tie(scope, read.value, depth)
    if found is not None and found.keyed:
        return value(found)  # `answers["web"]`, `answers.get(slug)`
    resource = scope.flow.resource_of(found.endpoint) if found is not None else None
    if found is None or found.many or resource is None or read.name != resource.config_list_key:
        return None
    return replace(found, whole=False)


def _call(scope: Scope, call: cst.Call, depth: int) -> Tie | None:
    name = callee_name(call)
    qualified = qualified_name(scope.flow.ctx, call.func)
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    builtin = isinstance(call.func, cst.Name) and qualified == name and name not in scope.flow.functions
    if builtin and name in SAME_ITEMS and positional:
        return tie(scope, positional[0], depth)
    if builtin and name in ONE_ITEM and positional:
        return item(tie(scope, positional[0], depth))
    if qualified.endswith("as_completed") and positional:
        return tie(scope, positional[0], depth)  # the same futures (or awaitables), as they finish
    if isinstance(call.func, cst.Attribute) and name in ("result", "values") and not call.args:
        found = tie(scope, call.func.value, depth)  # `future.result()`; `answers.values()`
        if name == "values":
            return replace(found, keyed=False) if found is not None and found.keyed else None
        return found if found is not None and found.whole and not found.many and not found.keyed else None
    if _runs(scope, call) is not None:
        answer = _answer(scope, call)  # `ex.submit(one, s)`: a future of the answer
        return Tie(*answer, whole=True) if answer is not None else None
    if name in MAPS and (builtin or isinstance(call.func, cst.Attribute)) and len(positional) >= 2:
        answer = _given_back(scope, positional[0])
        return Tie(*answer, whole=True, many=True) if answer is not None else None
    if qualified.endswith("gather"):
        # `asyncio.gather(*[one(s) for s in slugs])`, `gather(one(a), one(b))`: the list of their answers
        starred = [a.value for a in call.args if a.star == "*"]
        if len(starred) == 1 and not positional and type(starred[0]) in (cst.ListComp, cst.GeneratorExp):
            return _answers(scope, [starred[0].elt])  # type: ignore[attr-defined]
        return _answers(scope, positional) if positional and len(positional) == len(call.args) else None
    found = responses_registry.looked_up(scope, call)
    if found is not None and found.whole and len(found.endpoints) == 1:
        # `COMMANDS[name]()`: what a registered function gives back
        via = found.functions[0] if len(found.functions) == 1 else None
        return Tie(next(iter(found.endpoints)), via, whole=True, registry=found.registry)
    for site, _, _, binding in scope.flow.helper_sites:
        if site is call:
            # a function of the file given a migrated URL, whose answer the flow lost (`fetch(URL, key)`)
            endpoint = next(shape.endpoint for _, shape in binding if shape.what == URL)
            return Tie(endpoint, name, whole=False) if endpoint else None
    return None


def _answers(scope: Scope, values: list[cst.BaseExpression]) -> Tie | None:
    """Calls each giving back the whole answer of one migrated call (or a
    future of it, `_answer`): a list of answers."""
    endpoints = set()
    via = set()
    for given in values:
        answer = _answer(scope, given)
        if answer is None:
            return None
        endpoints.add(answer[0])
        via.add(answer[1])
    if len(endpoints) != 1:
        return None
    return Tie(endpoints.pop(), via.pop() if len(via) == 1 else None, whole=True, many=True)


def _answer(scope: Scope, given: cst.BaseExpression) -> tuple[str, str] | None:
    """The endpoint and function of a call that gives back the whole answer
    of one migrated call (`one(s)`, `await one(s)`), or that runs such a
    function of the file (`ex.submit(one, s)`, `asyncio.to_thread(one, s)`)."""
    call = given.expression if isinstance(given, cst.Await) else given
    if not isinstance(call, cst.Call):
        return None
    at = _runs(scope, call)
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    if at is not None:
        return _given_back(scope, positional[at]) if len(positional) > at else None
    shape = proven(scope.eval(call))
    if shape is None or shape.what != DOC or not shape.endpoint:
        return None
    return shape.endpoint, callee_name(call)


def _runs(scope: Scope, call: cst.Call) -> int | None:
    """Where the function a call of `RUNS` runs is among its arguments; None for any other call."""
    qualified = qualified_name(scope.flow.ctx, call.func)
    if qualified in RUNS:
        return RUNS[qualified]
    name = callee_name(call)
    return RUNS.get(name) if isinstance(call.func, cst.Attribute) else None  # a method (`ex.submit`)


def _given_back(scope: Scope, func: cst.BaseExpression) -> tuple[str, str] | None:
    """The endpoint and name of a function of the file, or a method the flow
    follows (`self.fetch`, `client.get_source`), named by `func`, that gives
    back the whole answer of one migrated call, whatever it is given."""
    if type(func) is cst.Name:
        name = func.value  # type: ignore[attr-defined]
        function = scope.flow.functions.get(name)
        if name in scope.env or name in scope.rebound:
            return None  # bound to something else in this scope
    elif type(func) is cst.Attribute:
        name, function = func.attr.value, scope._method(func)  # type: ignore[arg-type,attr-defined]
    else:
        return None
    shape = proven(scope.flow.returns_of(function, ())) if function is not None else None
    if shape is None or shape.what != DOC or not shape.endpoint:
        return None
    return shape.endpoint, name


def runs_tied(scope: Scope, call: cst.Call, func: cst.BaseExpression) -> bool:
    """`call` maps or runs `func` (`map(self.get_source, slugs)`, `ex.submit(one, s)`)
    and what it gives back is tied to it (`_call`): the reads of it are marked here."""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    at = _runs(scope, call)
    if at is None and callee_name(call) in MAPS and len(positional) >= 2:
        at = 0
    return at is not None and len(positional) > at and positional[at] is func and _given_back(scope, func) is not None


def passes(ctx: FileContext, call: cst.Call) -> bool:
    """A call whose value is tied to what it is given (`list(answers)`,
    `as_completed(futures)`, `asyncio.gather(*coroutines)`): handing it a tied value hands it on to nothing."""
    name = callee_name(call)
    qualified = qualified_name(ctx, call.func)
    builtin = isinstance(call.func, cst.Name) and qualified == name
    return builtin and name in (*SAME_ITEMS, *ONE_ITEM, "enumerate") or qualified.endswith(("as_completed", "gather"))


def described(tied: Tie, row: EndpointRow) -> str:
    """What a tied value of whole answers is, for a marker."""
    via = _via(tied)
    if tied.keyed:
        return f"a dict of the whole answers of `{row.config}`{via}"
    return f"{'a list of the whole answers' if tied.many else 'the whole answer'} of `{row.config}`{via}"


# -- the marker ------------------------------------------------------------------------

def elsewhere(row: EndpointRow, resource: ResourceRow, envelope: EnvelopeRow, read: Read, tied: Tie) -> str | None:
    """The marker of a read of a key the resource row does not list off one
    whole answer of a call for one object (the Config fields are all under the
    envelope now); None off anything else, or for the envelope's own key."""
    if not tied.whole or tied.many or tied.keyed or row.list_response or read.name == envelope.data_key:
        return None
    path = ".".join(k for k in (envelope.data_key, resource.public_key) if k)
    return MESSAGES["whole-other"].format(key=read.name, endpoint=row.config, path=path,
                                          via=_via(tied),
                                          kind=resource.kind.replace("-", " "))


def reason(row: EndpointRow, resource: ResourceRow, envelope: EnvelopeRow, read: Read, tied: Tie,
           apart: str | None) -> str | None:
    """The marker of a read off a tied value, None when the read needs no change
    (a field the Public API keeps as it is, read off a part) or is no field of
    the row. `apart`: the Public path of the last segment, when the code
    takes the name apart (`.split("/")[-1]`, a sort key)."""
    key = read.name
    data, next_token = envelope.data_key, envelope.next_page_token
    next_at = f"{data}.{envelope.public_pagination}.{envelope.public_next}"
    fm = resource.fields.get(key)
    fields = dict(key=key, endpoint=row.config, via=_via(tied),
                  kind=resource.kind.replace("-", " "))
    which = "whole" if tied.whole else "part"
    if row.list_response and key in (resource.config_list_key, next_token):
        path = next_at if key == next_token else f"{data}.{resource.public_list_key or key}"
        return MESSAGES[which].format(**fields, hint=f"`{path}`")
    if fm is None or tied.whole and row.list_response:
        return None
    if fm.drop:
        return MESSAGES[which + "-dropped"].format(**fields, reason=fm.reason or "")
    changed = apart is None and (fm.transform != "copy" or fm.parse is not None or fm.id is not None or bool(fm.enum))
    to = apart or fm.to or key
    if not tied.whole and not changed and to == key:
        return None
    if tied.whole:
        to = ".".join(k for k in (data, resource.public_key, to) if k)
    hint = f"`{to}`"
    if changed and fm.transform == "segment" and fm.segment:
        hint += f", only the `{fm.segment}` part of the Config value"
    elif changed:
        hint += ", whose value has another form" + "".join(
            f"; its `{e.segment}` part is `{e.to}`" for e in fm.also
            if e.transform == "segment" and e.when != "request" and e.segment and e.to)
    return MESSAGES[which].format(**fields, hint=hint)
