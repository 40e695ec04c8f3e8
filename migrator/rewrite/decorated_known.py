"""Library decorators whose use of what a function gives back is known
(`responses_imported.mark_decorated` marks the others: a web route, `route`,
or one that may change what a call gives back).

A context manager (`decorators.MANAGERS`) hands the `with f(...) as x`
statement what its generator yields: those of the file are followed
(`Scope.entered`), so its decorator is marked only when what it yields is
not one value, when the file uses it otherwise, or when another module may
enter it (a public function of a module that is not a script).

A click or typer command's return value is dropped when the command runs
from the command line (click's standalone mode, the default): not marked,
unless the file may take that value (`standalone_mode=`, a
`result_callback`, any other use of the function's name than a group's
`.command`/`.group`/`.add_command` or a call as a statement).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import responses_uses
from migrator.rewrite.calls import is_script
from migrator.rewrite.clients import literal, qualified_name
from migrator.rewrite.context import FileContext
from migrator.rewrite.decorators import MANAGERS

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

ROUTES = frozenset({"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"})
"""Methods of a web app or router whose decorator, given a path, makes a
function answer requests there (`@app.get("/sources")`, Flask's `@web.route("/")`)."""
CLICK = frozenset({"click.command", "click.group"})
"""click's command and group decorators."""
TYPER = "typer.Typer"
"""typer's app, whose `.command()` and `.callback()` decorate commands."""
TAKEN = ("standalone_mode", "result_callback")
"""What in a file may hand a command's return value back to code."""


def mark_manager(writer: Writer, row: str, function: cst.FunctionDef) -> bool:
    """Mark a context manager giving back a migrated response, unless the
    flow follows every `with` it may be entered in; False when it is none."""
    ctx = writer.ctx
    decorator = next((d for d in function.decorators if qualified_name(ctx, d.decorator) in MANAGERS), None)
    if decorator is None:
        return False
    name = function.name.value
    scope = writer.flow.scopes.get((id(function), ()))
    yielded = scope.made() if scope is not None and writer.flow.managers.get(name) is function else None
    uses = _uses(ctx, function)
    followed = yielded is not None and all(_entered(ctx, n) for n in uses)
    if followed and uses and (name.startswith("_") or is_script(ctx)):
        return True
    which = "managed-here" if followed else "managed"
    what = responses_uses.WHAT.get(getattr(yielded, "what", ""), "the response of a migrated call")
    klass = ctx.index.class_of(function)
    shown = f"{klass.name.value}.{name}" if klass is not None else name
    writer.mark(row, decorator, writer.message(
        which, name=ctx.src.code(decorator.decorator) or "contextmanager", function=shown, what=what))
    return True


def mark_command(writer: Writer, row: str, function: cst.FunctionDef, what: str) -> bool:
    """Mark a click or typer command giving back a migrated response when
    the file may take its return value; False when it is no command."""
    ctx = writer.ctx
    decorator = next((d for d in function.decorators if _command(ctx, d.decorator)), None)
    if decorator is None:
        return False
    text = ctx.src.text
    if any(word in text for word in TAKEN) or not all(_dropped(ctx, n) for n in _uses(ctx, function)):
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        writer.mark(row, decorator, writer.message(
            "command-taken", name=ctx.src.code(target) or "command", function=function.name.value, what=what))
    return True


def _uses(ctx: FileContext, function: cst.FunctionDef) -> list[cst.Name]:
    from migrator.rewrite.responses_imported import reference

    return [n for n in ctx.index.names.get(function.name.value, ()) if n is not function.name and reference(ctx, n)]


def _entered(ctx: FileContext, name: cst.Name) -> bool:
    """`with name(...):` or `with name(...) as x:` (a plain name)."""
    call = ctx.parent(name)
    item = ctx.parent(call) if isinstance(call, cst.Call) and call.func is name else None
    return isinstance(item, cst.WithItem) and item.item is call and (
        item.asname is None or isinstance(item.asname.name, cst.Name))


def _dropped(ctx: FileContext, name: cst.Name) -> bool:
    """A use of a command that takes no return value of it: `cli.command`,
    `cli.group`, `cli.add_command(show)`, `cli()` as a statement."""
    parent = ctx.parent(name)
    if isinstance(parent, cst.Attribute):
        return parent.value is name and parent.attr.value in ("command", "group", "add_command")
    if isinstance(parent, cst.Arg):
        call = ctx.parent(parent)
        return isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) \
            and call.func.attr.value == "add_command"
    return isinstance(parent, cst.Call) and parent.func is name and isinstance(ctx.parent(parent), cst.Expr)


def _command(ctx: FileContext, node: cst.BaseExpression, depth: int = 0) -> bool:
    """`@click.command()`, `@click.group()`, `@cli.command()` on a group
    `cli` of the file, `@app.command()` or `@app.callback()` on `app = typer.Typer()`."""
    target = node.func if isinstance(node, cst.Call) else node
    if qualified_name(ctx, target) in CLICK:
        return True
    if not isinstance(target, cst.Attribute) or not isinstance(target.value, cst.Name) or depth > 4:
        return False
    owner, attr = target.value.value, target.attr.value
    for statement in ctx.src.module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == owner and attr in ("command", "group"):
            return any(_group(ctx, d.decorator, depth) for d in statement.decorators)
        if isinstance(statement, cst.SimpleStatementLine) and attr in ("command", "callback"):
            for small in statement.body:
                if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) \
                        and qualified_name(ctx, small.value.func) == TYPER \
                        and any(isinstance(t.target, cst.Name) and t.target.value == owner for t in small.targets):
                    return True
    return False


def _group(ctx: FileContext, node: cst.BaseExpression, depth: int) -> bool:
    """`@click.group()`, or `@cli.group()` on a group of the file."""
    target = node.func if isinstance(node, cst.Call) else node
    if qualified_name(ctx, target) == "click.group":
        return True
    return isinstance(target, cst.Attribute) and target.attr.value == "group" and _command(ctx, node, depth + 1)


def route(ctx: FileContext, decorator: cst.Decorator) -> bool:
    """`decorator` makes a web route: `@x.<ROUTES>(path, ...)`, its path (first,
    or `path=`/`rule=`) a literal URL path (`"/sources"`, or `""` under a prefix)."""
    node = decorator.decorator
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ROUTES):
        return False
    path = next((a.value for a in node.args if not a.star and (
        a.keyword is None or a.keyword.value in ("path", "rule"))), None)
    text = literal(path) if path is not None else None
    return isinstance(text, str) and (text == "" or text.startswith("/"))
