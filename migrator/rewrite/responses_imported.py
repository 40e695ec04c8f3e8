"""Uses of another module's functions that this file does not follow.

In a run over several modules, a module that imports a client whose
functions give back migrated responses (`FileContext.returns`) has its
direct calls of them followed (`get_source(slug)["enabled"]`). Any other
use hands the function, or an instance whose methods give them back, to
code that is not followed (`fetch = get_source`, `map(get_source, slugs)`,
`class Mine(Segment)`, `run(segment)`, `run(Segment())`,
`functools.partial(Segment().get_source)`): those uses are marked, since the
reads of what they give back would be left in the Config shape unseen. So
are the fakes a test puts in their place (`mock.patch(...)`), and the JSON
fake HTTP calls answer with there, still in the Config shape; and, in the
client itself, a decorator that does something with what a migrated
function gives back (the file's, or a library's: a web route, or one that
may change what a call of the function gives back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import bindings, decorated_known, responses_uses
from migrator.rewrite.clients import qualified_name
from migrator.rewrite.context import FileContext
from migrator.rewrite.decorators import transparent
from migrator.rewrite.discarding import dropped
from migrator.rewrite.fixtures import DECORATORS as FIXTURE_DECORATORS
from migrator.rewrite.edits import apply
from migrator.rewrite.mock_patch import CANNED, in_turn, is_patcher
from migrator.rewrite.responses_flow import INSTANCE, given_on, held, imported_name, proven
from migrator.rewrite.shown import harmless_call, shown

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

def mark_unfollowed(writer: Writer, row: str) -> None:
    ctx = writer.ctx
    given = ctx.returns
    patched = _mark_patched(writer, row)
    followed = bindings.imported(ctx)
    own = bindings.function_imports(ctx)  # `def make(): from app.client import Client`: that `Client` there
    for local, spec in bindings.module_imports(ctx).items():
        if not any(k.startswith(spec + ".") or k == spec for k in given):
            continue
        for use in ctx.index.names.get(local, ()):
            if not reference(ctx, use) or id(ctx.parent(use)) in patched \
                    or local in own.get(id(ctx.index.scope_of(use)), ()):
                continue
            node, dotted = _reach(ctx, use, spec, given)
            holder = ctx.parent(node)
            if id(holder) in patched or isinstance(holder, cst.Arg) and holder.keyword is not None \
                    and holder.keyword.value == "wraps":
                continue  # what a patch replaces something in (marked with the patch), a spy's real function
            if local not in followed:
                # bound again in the file (`except ImportError: get_source = None`, `from fake import *`)
                if dotted in given or isinstance(holder, cst.Call) and holder.func is node:
                    writer.mark(row, node, writer.message("rebound", name=ctx.src.code(node) or local, spec=spec))
                continue
            if _taken_by_name(writer, row, holder, dotted, given):
                continue
            if isinstance(holder, cst.Call) and holder.func is node:
                if dotted not in given and any(k.startswith(dotted + ".") for k in given):
                    mark_made(writer, row, holder, dotted)  # an instance the flow may not follow
                continue  # a call the flow follows
            if dotted in given:
                if isinstance(holder, cst.Attribute) or dropped(ctx, node):
                    continue  # an attribute of the function (`get_source.cache_clear()`), its value dropped
                what = what_of(given[dotted])
                if isinstance(holder, cst.AssignTarget):  # `client.get_source = fake`
                    writer.mark(row, node, writer.message("patched", name=dotted, what=what))
                else:
                    writer.mark(row, node, writer.message("handed", name=ctx.src.code(node) or local, what=what))
            elif any(k.startswith(dotted + ".") for k in given) and hands_on(ctx, node):
                writer.mark(row, node, writer.message("handed-methods", name=ctx.src.code(node) or local))
    mark_passed(writer, row)


def _taken_by_name(writer: Writer, row: str, holder: cst.CSTNode, dotted: str, given: dict[str, object]) -> bool:
    """`getattr(segment, "get_source")`: the function (or an object with such
    methods) that names, which the flow does not follow, is marked as handed
    on; True when `holder` is the first argument of such a `getattr`."""
    ctx = writer.ctx
    call = ctx.parent(holder)
    if not (isinstance(holder, cst.Arg) and isinstance(call, cst.Call) and qualified_name(ctx, call.func) == "getattr"
            and len(call.args) >= 2 and call.args[0] is holder and isinstance(call.args[1].value, cst.SimpleString)):
        return False
    name = call.args[1].value.evaluated_value
    key = f"{dotted}.{name}"
    if key in given:
        writer.mark(row, call, writer.message("handed", name=ctx.src.code(call) or key, what=what_of(given[key])))
    elif any(k.startswith(key + ".") for k in given):
        writer.mark(row, call, writer.message("handed-methods", name=ctx.src.code(call) or key))
    return True


def mark_passed(writer: Writer, row: str, classes: frozenset[str] | None = None) -> None:
    """A name the flow proves an instance of another module's class whose
    methods give back migrated responses (`client = Client()`, a fixture's
    `client`), or of one of `classes` of the file, passed to a call the flow
    does not follow into (`HANDLERS[cmd](client, args)`, `Report(client)`,
    `getattr(client, action)`) or put in a list, tuple, set or dict display
    (`{"c": client}`): the code that gets it reads what those methods give
    back unseen. A function or method of the file the call names is
    followed (`cmd_toggle(client)`)."""
    ctx = writer.ctx
    for scope in list(writer.flow.scopes.values()):
        if not scope.base:
            continue
        for node in scope.nodes:
            kind = type(node)
            if kind not in (cst.Arg, cst.Element, cst.DictElement) or type(node.value) is not cst.Name \
                    or kind is cst.Arg and node.keyword is not None and node.keyword.value == "wraps":  # type: ignore[attr-defined]
                continue
            if kind is cst.Arg:
                call = ctx.parent(node)
                if not isinstance(call, cst.Call) or _followed_callee(writer, scope, call):
                    continue
            elif not reference(ctx, node.value) or shown(ctx, node.value):  # type: ignore[attr-defined]
                continue  # a target (`client, other = ...`), a value formatted (`"%s %r" % (n, client)`)
            shape = proven(scope.eval(node.value))  # type: ignore[attr-defined]
            if shape is None or shape.what != INSTANCE or not shape.kind:
                continue
            if shape.kind in classes if classes is not None else "." in shape.kind:
                name = node.value.value  # type: ignore[attr-defined]
                writer.mark(row, node.value, writer.message("handed-methods", name=name))  # type: ignore[attr-defined]


def _followed_callee(writer: Writer, scope: object, call: cst.Call) -> bool:
    """A call that cannot hand an instance to unseen code: one the flow
    follows into (a function or method of the file), or a harmless one
    (`isinstance`, `log.debug`: `shown.harmless_call`)."""
    if harmless_call(writer.ctx, call):
        return True
    func = call.func
    if isinstance(func, cst.Name):
        return func.value in writer.flow.functions
    return isinstance(func, cst.Attribute) and scope._method(func) is not None  # type: ignore[attr-defined]


def mark_made(writer: Writer, row: str, made: cst.Call, dotted: str, given: dict[str, object] | None = None) -> None:
    """An instance made here (`Client()`) of a class whose methods give back
    migrated responses, where the flow does not follow it: one of those
    methods handed on (`functools.partial(Client().destination, "web")`),
    the instance passed to a call (`run(Client())`) or put in a display
    (`{"c": Client()}`), given as a default to
    something else than a parameter (`CACHE or Client()`) or bound to an
    attribute that is not `held`. Bound to names, given as a parameter's
    default (`client or Client()`) and called at once, it is followed.
    `given`: what the methods give back (`FileContext.returns` by default)."""
    ctx = writer.ctx
    given = ctx.returns if given is None else given
    node: cst.BaseExpression = made
    holder = ctx.parent(node)
    while isinstance(holder, (cst.BooleanOperation, cst.IfExp)) and node is not getattr(holder, "test", None):
        if not _instance(writer, holder):
            writer.mark(row, made, writer.message("handed-methods", name=ctx.src.code(made) or dotted))
            return
        node, holder = holder, ctx.parent(holder)
    if isinstance(holder, cst.Attribute) and holder.value is node:
        method = ctx.parent(holder)
        if not (isinstance(method, cst.Call) and method.func is holder or dropped(ctx, holder)) \
                and f"{dotted}.{holder.attr.value}" in given:
            what = what_of(given[f"{dotted}.{holder.attr.value}"])
            writer.mark(row, holder, writer.message("handed", name=ctx.src.code(holder) or holder.attr.value, what=what))
        return
    if isinstance(holder, cst.Assign):
        targets = [t.target for t in holder.targets]
        if all(isinstance(t, cst.Name) or isinstance(t, cst.Attribute) and _held_everywhere(ctx, t) for t in targets):
            return
    elif isinstance(holder, cst.Arg):
        call = ctx.parent(holder)
        if not (isinstance(call, cst.Call) and harmless_call(ctx, call)):
            writer.mark(row, made, writer.message("handed-methods", name=ctx.src.code(made) or dotted))
        return
    elif not (isinstance(holder, (cst.Element, cst.DictElement)) and holder.value is node) or shown(ctx, node):
        return  # (put in a display, `[Client()]`, `{"c": Client()}`: marked below)
    writer.mark(row, made, writer.message("handed-methods", name=ctx.src.code(made) or dotted))


def _instance(writer: Writer, node: cst.BaseExpression) -> bool:
    """The flow proves `node` an instance (`client or Client()`, `client` a parameter)."""
    scope = writer.flow.scopes.get((id(writer.ctx.index.scope_of(node)), ()))
    shape = proven(scope.eval(node)) if scope is not None else None
    return shape is not None and shape.what == INSTANCE


def _held_everywhere(ctx: FileContext, target: cst.Attribute) -> bool:
    """Every read of `self.client` in its class is `held` (the flow follows them)."""
    klass = ctx.index.class_of(target)
    uses = ctx.index.self_attributes.get((klass, target.attr.value), []) if klass is not None else []
    reads = [u for u in uses if u is not target]
    return isinstance(target.value, cst.Name) and target.value.value == "self" and all(
        held(ctx, u) is not None for u in reads)


def what_of(shape: object) -> str:
    """How a marker names a migrated value (`the response of a migrated call`)."""
    return responses_uses.WHAT.get(getattr(shape, "what", ""), "the response of a migrated call")


def reference(ctx: FileContext, name: cst.Name) -> bool:
    """`name` is read here (not an attribute's name, a keyword, or the import itself)."""
    holder = ctx.parent(name)
    if isinstance(holder, cst.Attribute) and holder.attr is name:
        return False
    if isinstance(holder, cst.Arg) and holder.keyword is name:
        return False
    return not bindings.binds(ctx, name) and not bindings.in_import(ctx, name)


def _reach(ctx: FileContext, name: cst.Name, spec: str, given: object) -> tuple[cst.BaseExpression, str]:
    """The longest attribute chain from `name` (`client.segment.get_source`)
    that names a key of `given` or a prefix of one, and what it names."""
    node: cst.BaseExpression = name
    dotted = spec
    while dotted not in given:  # type: ignore[operator]
        holder = ctx.parent(node)
        if not (isinstance(holder, cst.Attribute) and holder.value is node):
            break
        longer = f"{dotted}.{holder.attr.value}"
        if not any(k == longer or k.startswith(longer + ".") for k in given):  # type: ignore[attr-defined]
            break
        node, dotted = holder, longer
    return node, dotted


def hands_on(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """A class or an instance whose methods give back responses, used so
    that its methods may be called where they are not followed: subclassed,
    bound to another name, passed, returned, stored (not an annotation, a
    test of its type, a value only formatted, printed or logged, or an
    attribute read that names no such method)."""
    holder = ctx.parent(node)
    if isinstance(holder, (cst.Attribute, cst.Annotation)) or shown(ctx, node):
        return False
    if isinstance(holder, cst.Arg):
        call = ctx.parent(holder)
        if isinstance(call, cst.ClassDef):
            return True
        return not (isinstance(call, cst.Call) and harmless_call(ctx, call))
    if isinstance(holder, (cst.Comparison, cst.ComparisonTarget, cst.Subscript, cst.SubscriptElement, cst.Index)):
        return False
    return True


def passes(ctx: FileContext) -> dict[str, object]:
    """Names the file imports and uses that give back migrated responses, and
    the functions or methods of the modules and classes it imports and uses
    that do (`Client.get_source`, patched as `service.Client`)
    (`FileContext.passes`)."""
    return {
        local + key[len(spec):]: shape for local, spec in bindings.imported(ctx).items()
        if len(ctx.index.names.get(local, ())) > 1
        for key, shape in ctx.returns.items() if key == spec or key.startswith(spec + ".")
    }


def _mark_patched(writer: Writer, row: str) -> set[int]:
    """Marks each fake put in place of a function that gives back migrated
    responses, or of an object whose methods do (`mock.patch("app.report.get_source")`,
    `mock.patch.object(report, "get_source", ...)`, `patch.multiple("app.report",
    get_source=...)`, `monkeypatch.setattr(client, "sources", ...)`): the code
    under test now reads the Public shape from it. Not a spy (`wraps=`) nor a
    fake that only raises (`side_effect=OSError()`). The ids of the arguments
    naming the target of any patch (they are not handed on)."""
    ctx = writer.ctx
    marked: set[int] = set()
    if "patch" not in ctx.src.text and "setattr" not in ctx.src.text:
        return marked
    given = ctx.returns
    for call in [n for n in ctx.index.parents if isinstance(n, cst.Call)]:
        targets, named = patch_targets(ctx, call)
        marked.update(id(a) for a in named)
        if not targets or _spy_or_raises(call):
            continue
        for target in targets:
            if target in given:
                writer.mark(row, call, writer.message("patched", name=target, what=what_of(given[target])))
            elif any(k.startswith(target + ".") for k in given) and not _module_of(ctx, target):
                writer.mark(row, call, writer.message("patched-methods", name=target))
    return marked


def _module_of(ctx: FileContext, target: str) -> bool:
    """`target` is a module the file imports (`app.client`), not a class or an instance in one."""
    return target in bindings.module_imports(ctx).values() and not any(
        target.startswith(spec + ".") for spec in bindings.module_imports(ctx).values())


def _spy_or_raises(call: cst.Call) -> bool:
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    if "wraps" in keywords:
        return True
    effect = keywords.get("side_effect")
    if effect is None or "return_value" in keywords or "new" in keywords:
        return False
    name = effect.func if isinstance(effect, cst.Call) else effect
    while isinstance(name, cst.Attribute):
        name = name.attr
    return isinstance(name, cst.Name) and name.value.endswith(("Error", "Exception", "Timeout"))


def patch_targets(ctx: FileContext, call: cst.Call) -> tuple[list[str], list[cst.Arg]]:
    """What a patching call replaces, as this file names it (`app.report.get_source`),
    and the arguments that name the object it patches."""
    name = qualified_name(ctx, call.func)
    args = [a for a in call.args if a.keyword is None and not a.star]
    text = [a.value.evaluated_value if isinstance(a.value, cst.SimpleString) else None for a in args[:2]]
    if name.endswith("patch.multiple") and args:
        base = text[0] if isinstance(text[0], str) else imported_name(ctx, args[0].value)
        names = [a.keyword.value for a in call.args if a.keyword is not None]
        return ([f"{base}.{n}" for n in names] if base else []), args[:1]
    by_object = name.endswith("patch.object") or name.endswith("setattr") and len(args) >= 3
    if by_object and len(args) >= 2 and isinstance(text[1], str):
        base = imported_name(ctx, args[0].value)
        return ([f"{base}.{text[1]}"] if base else []), args[:1]
    patches = is_patcher(name) or name.endswith("monkeypatch.setattr")
    if patches and args and isinstance(text[0], str):
        return [text[0]], []
    return [], []


def mark_decorated(writer: Writer, row: str) -> None:
    """A decorator that does something with what a function gives back (not
    one that passes it through, `decorators.transparent`), on a function that
    gives back a migrated response (or a part of it): what it does with it is
    not followed. One of the file (`inner` reading `fn(*args)["source"]`) is
    named as such; a library's web route (`@app.get("/sources")`, whose value
    is what the service answers, `decorated_known.route`) says so too; any
    other (`@cached(cache)`, `@shared_task`) may change what a call of the
    function gives back (the reads of such calls are marked in
    `responses.Writer.read`, `responses_flow.DECORATED`). Not one
    that only declares the method (`PLAIN`), nor a pytest fixture
    (`fixtures_given` follows or marks what tests get from it); a context
    manager or a CLI command is marked as `decorated_known` says."""
    ctx, flow = writer.ctx, writer.flow
    body = ctx.src.module.body
    defined = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
    for function in ctx.index.parents:
        if type(function) is not cst.FunctionDef or not function.decorators:  # type: ignore[attr-defined]
            continue
        scope = flow.scopes.get((id(function), ()))
        shape = proven(scope.returns) if scope is not None else None
        if shape is None or not given_on(shape):
            continue
        if decorated_known.mark_manager(writer, row, function) \
                or decorated_known.mark_command(writer, row, function, what_of(shape)):
            continue  # a context manager, a command: what they do with it is known
        library = False  # the outermost library decorator is the one marked (`@web.route` over `@login_required`)
        for decorator in function.decorators:
            target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            if transparent(ctx, decorator):
                continue
            if isinstance(target, cst.Name) and target.value in defined:
                writer.mark(row, decorator, writer.message(
                    "decorated", name=target.value, function=function.name.value, what=what_of(shape)))
            elif not library and not plain(ctx, target):
                library = True
                which = "decorated-library" if decorated_known.route(ctx, decorator) else "decorated-unknown"
                writer.mark(row, decorator, writer.message(
                    which, name=ctx.src.code(target) or "the decorator",
                    function=function.name.value, what=what_of(shape)))


PLAIN = frozenset({
    "staticmethod", "classmethod", "property", "functools.cached_property", "functools.wraps",
    "abc.abstractmethod", "typing.overload", *FIXTURE_DECORATORS,
})
"""Decorators that only declare what a method is (`functools.wraps` copies
names): not marked; pytest fixtures are followed elsewhere. Those that give
the function back as it is (`typing.override`, `deprecated`) are followed
through (`decorators.IDENTITY`)."""


def plain(ctx: FileContext, target: cst.BaseExpression) -> bool:
    """`target` is one of `PLAIN`, a pytest mark, or a property's setter or deleter."""
    name = qualified_name(ctx, target)
    if name in PLAIN or name.startswith("pytest.mark."):
        return True
    return isinstance(target, cst.Attribute) and target.attr.value in ("setter", "deleter")


def mark_http_answers(writer: Writer, row: str) -> None:
    """In a module that reads another module's migrated responses, the JSON
    a fake HTTP call answers with (`get.return_value.json.return_value =
    {...}`, or each item of `.json.side_effect = [{...}, ...]`, not in the
    `data` envelope): the code under test now reads the Public shape from it."""
    ctx = writer.ctx
    if ".json.return_value" not in ctx.src.text and ".json.side_effect" not in ctx.src.text:
        return
    for node in ctx.index.parents:
        answers = [a for a in http_answers(node) if ctx.rules.envelope.data_key not in _answer_keys(ctx, a)]
        if answers:
            writer.mark(row, answers[0], writer.message("answer"))


def http_answers(node: cst.CSTNode) -> list[cst.Dict | cst.List]:
    """The JSON of `x.json.return_value = {...}` (or `[...]`), or each item of
    `x.json.side_effect = [{...}, ...]` (one per call): fake HTTP answers."""
    if not isinstance(node, cst.Assign) or len(node.targets) != 1:
        return []
    target = node.targets[0].target
    if not (isinstance(target, cst.Attribute) and target.attr.value in CANNED
            and isinstance(target.value, cst.Attribute) and target.value.attr.value == "json"):
        return []
    answers = in_turn(target.attr.value, node.value) or []
    return [a for a in answers if isinstance(a, (cst.Dict, cst.List))]


def _answer_keys(ctx: FileContext, answer: cst.Dict | cst.List) -> set[str]:
    """The top-level string keys of a fake answer as this run leaves it: the
    edits taken inside it applied (the test-double rewrite may have given
    it the Public shape already, `mocks`)."""
    span = ctx.src.span(answer)
    if span is not None:
        start, end = span
        taken = [e for e in ctx.edits if start <= e.start and e.end <= end]
        if taken:
            answer = _parsed(apply(ctx.src.text[start:end], taken, start)) or answer
    return {e.key.evaluated_value for e in answer.elements
            if isinstance(answer, cst.Dict) and isinstance(e, cst.DictElement)
            and isinstance(e.key, cst.SimpleString) and isinstance(e.key.evaluated_value, str)}


def _parsed(text: str) -> cst.Dict | cst.List | None:
    try:
        node = cst.parse_expression(f"(\n{text}\n)")
    except cst.ParserSyntaxError:
        return None
    return node if isinstance(node, (cst.Dict, cst.List)) else None


def mark_mixed(writer: Writer, row: str) -> None:
    """A function that gives back a migrated response on one path and
    something else on another (`if slug in CACHE: return CACHE[slug]`): its
    callers cannot be followed, here or in other modules, and would read
    either shape."""
    for scope in list(writer.flow.scopes.values()):
        if scope.base and isinstance(scope.node, cst.FunctionDef):
            for node in scope.mixed:
                writer.mark(row, node, writer.message("mixed", name=scope.node.name.value))
            for node, kind in writer.flow.gives_methods(scope, writer.ctx.exports):
                writer.mark(row, node, writer.message("mixed-made", name=scope.node.name.value,
                                                      made=kind.rsplit(".", 1)[-1]))
