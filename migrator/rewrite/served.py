"""Routes of the file's own server: a path it serves is no request.

`@app.get("/v1beta/workspaces/{ws}/sources")`, `@router.route(...)`,
Django's `path("v1beta/workspaces/<slug:ws>/sources", view)`, Flask's
`add_url_rule` and FastAPI's `add_api_route` define what the file answers
(a fake of the Config API, a proxy): nothing there is migrated or marked.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext

DJANGO = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url"})
"""Django's route functions (`urlpatterns`)."""
REGISTER = frozenset({"add_url_rule", "add_api_route"})
"""Methods that register a route: Flask's, FastAPI's (Starlette's)."""


def route(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """`node` is the path a route of the file's own server serves: the first
    argument of a decorator (`@app.get(...)`), of Django's `path(...)`, or of
    `add_url_rule`/`add_api_route`."""
    from migrator.rewrite.clients import qualified_name

    arg = ctx.parent(node)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or not call.args or call.args[0] is not arg or arg.keyword is not None:
        return False
    if isinstance(ctx.parent(call), cst.Decorator):
        return True
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in REGISTER:
        return True
    return qualified_name(ctx, func) in DJANGO
