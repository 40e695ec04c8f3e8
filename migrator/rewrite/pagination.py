"""Page-token pagination → cursor pagination (rewrite row `rewrite.pagination`;
changes are reported under the pagination and envelope rows).

On a migrated call to a paginated endpoint (`paginated = true`):

- query parameters given as a dict (`params={...}`, a dict held in a name and
  filled with `params["page_token"] = ...`, or `urlencode(query)` appended to
  the URL): `page_size` → `pagination.count`, `page_token` →
  `pagination.cursor` (names from the pagination row);
- no page size at all: `pagination.count` is added (the Public API requires
  it), with the row's `default_count`; a size outside `min_count`–`max_count`
  is marked, written there or held in a name (a constant, a parameter's
  default, the arguments the file's calls give it);
- the next-page token read off the response (`next_page_token`) becomes
  `data.pagination.next` (envelope row), which is absent or null at the end:
  when the token is only tested for truth (`if not token: break`, `while
  token:`) or sent back as the cursor, `.get("next")` keeps the loop
  terminating; any other use (`token == ""`) gets `(... or "")`, the Config
  API's last-page value;
- a cursor that starts empty (`token = ""` before the loop; `None` where the
  call sends it as text) is sent only once set,
  `**({"pagination.cursor": token} if token else {})`, in a dict literal, and
  marked elsewhere: the first request would send an empty cursor, which the
  Public API does not document as the first page;
- a helper of the file that sends its `**params` as the query gets the page
  parameters as `**{"pagination.count": N}` at its calls; one that sends its
  `**kwargs` on to the request has its callers' `params=` migrated (or each
  caller marked, when that cannot be proven); one that sends a query of its
  own to the URL its callers give has it migrated with its reads, or marked
  there when they stay;
- a list the Config API answered whole (`config_whole_list` of its endpoint row) reads every
  page through the lookup module's `all_pages` (`pages.py`), or is marked.

A cursor whose value is not proven to be such a token, or parameters the
codemod cannot see, are marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

import libcst as cst

from migrator.rewrite import line_refs, query_held, query_merge
from migrator.rewrite import pages as pages_module
from migrator.rewrite.clients import (
    CLIENT_REQUESTS, VERBS, _in_params, function_of, httpx_client, qualified_name, query_keyword, resolve,
)
from migrator.rewrite.edits import Edit
from migrator.rewrite.responses_flow import NEUTRAL, TOKEN, Flow, Read, Scope, proven
from migrator.rewrite.strings import is_hole_char

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

ROW = "rewrite.pagination"
DEFAULTS = {
    "params": "`{endpoint}` is paginated in the Public API, which requires `{count}` (at most {max}): "
    "the query parameters of this call cannot be seen, so add `{count}` and `{cursor}` by hand",
    "helper": "this helper sends a query of its own, and the reads in it stay as they are (other calls may "
    "pass it other URLs): when it is given `{endpoint}`, the Public API needs `{count}` and `{cursor}` instead "
    "of `{size}` and `{token}`, and the next-page token read as `data.pagination.{next}`: change both by hand, "
    "or give such callers a function of their own",
    "helper-mixed": "the reads in this helper were migrated, but the query of its own it sends here stays as "
    "it is, since the helper also sends requests to endpoints the Public API does not paginate: when it is "
    "given `{endpoint}`, the Public API needs `{count}` and `{cursor}` instead of `{size}` and `{token}`: change "
    "them by hand, or give such callers a function of their own",
    "forwarded": "`{endpoint}` is paginated in the Public API, which requires `{count}` (at most {max}): the "
    "helper this call goes through sends on {stars} in a way this rewrite cannot follow, so the query given "
    "here is left as it is: rename `{size}` to `{count}` and `{token}` to `{cursor}` in it by hand, and send "
    "`{count}` when none is given",
    "size": "`{count}` must be between {min} and {max} in the Public API: change the page size",
    "cursor": "`{cursor}` must be the `{next}` value of the previous page; the value sent here "
    "cannot be proven to be one: check the loop by hand",
    "empty-cursor": "the first request sends an empty `{cursor}` (the token starts empty): the Public API "
    "takes a `{next}` value of a previous page as the cursor, and an empty one is not documented to read "
    "the first page: send `{cursor}` only once there is a token",
    "one-page": "line {line}: `{count}` was added to a call that gave no page size; it reads one page "
    "of at most {max} items (the Public API's pages may be smaller than what the Config API returned): "
    "if there can be more, follow `data.pagination.next`",
    "hidden": "`{endpoint}` is paginated in the Public API, which requires `{count}` (at most {max}): this "
    "call may give its page parameters in {stars}, which cannot be seen: rename `{size}` to `{count}` and "
    "`{token}` to `{cursor}` there by hand, and send `{count}` when none is given",
    "query": "page parameters written into the URL text (`{size}`, `{token}`): use `{count}` and "
    "`{cursor}` by hand",
    "whole": "`{endpoint}` answered the whole list in the Config API; the Public API answers pages of at "
    "most {max} items and this call reads the first one only: follow `data.pagination.{next}` (sent back "
    "as `{cursor}`) to read them all",
    "renamed": "query parameter `{key}` of `{endpoint}` is `{public}` in the Public API, whose values may be "
    "spelled otherwise (`SCREAMING_UNDERSCORE` enums): rename it and check its values by hand",
    "unknown": "query parameter `{key}` of `{endpoint}` is not in the table: the Public API may ignore it "
    "(a filter lost) or refuse it: check it by hand",
    "fixed": "this helper sends a query of its own to the URLs its callers give, and the Public calls they "
    "make need different parameters ({sent}, not the others): add them by hand, or give such callers a "
    "function of their own",
    "fixed-too": "; the Public call must also send {sent} (the fixed query of `{endpoint}`)",
    "url-query": "this call's URL holds a query (`{held}`) and the client it goes through may not merge one "
    "given beside it (httpx sends `params=` in place of the URL's query, which would drop it): add {stars} to "
    "the URL's query by hand, as the Public call needs",
    "dropped": "this call gives its query in `params=` and its URL holds one too (`{held}`): httpx (and a client "
    "this rewrite cannot prove is requests) sends `params=` in place of the URL's query, so the URL's keys are not "
    "sent, before this rewrite as after it: move them into `params=` by hand",
    "suppressed-fixed": "the page parameters of this call are left as they are (a suppression comment), but "
    "the Public call must also send {sent} (the fixed query of `{endpoint}`): add it by hand",
}
LEFT = frozenset({"params", "hidden", "query", "helper", "helper-mixed", "forwarded"})
"""Markers on a call left without its Public query: they name the endpoint row's fixed query too."""

KEYWORDS = -2
"""`_forwarded`: the helper takes `**params` and sends them as its query."""


# -- reading the next-page token ------------------------------------------------------


def token_read(writer: Writer, scope: Scope, read: Read, sub) -> None:  # type: ignore[no-untyped-def]
    ctx = writer.ctx
    envelope = ctx.rules.envelope
    src = ctx.src
    value_start, value_end = writer.outer(read.value)
    start, end = writer.span(read.node)
    opener, closer = _quotes(src.code(read.key) or '"')
    path = sub(envelope.data_key, envelope.public_pagination)
    getter = f".get({opener}{envelope.public_next}{closer}"
    default = None
    if read.is_get:
        call = read.node
        assert isinstance(call, cst.Call)
        if len(call.args) == 2:
            default = src.code(call.args[1].value)
    if _truth_only(scope, read.node):
        extra = f", {default}" if default is not None else ""
        edits = [Edit(value_end, end, f"{path}{getter}{extra})")]
    else:
        empty = default if default is not None else f"{opener}{closer}"
        value_text = src.text[value_start:value_end]
        edits = [Edit(start, end, f"({value_text}{path}{getter}) or {empty})")]
    if not writer.record(envelope.id, read.node, edits):
        writer.mark(ROW, read.node, DEFAULTS["cursor"].format(cursor=ctx.rules.pagination.cursor_param,
                                                              next=envelope.public_next))


def _truth_only(scope: Scope, node: cst.CSTNode) -> bool:
    """The token is only tested for truth or passed on as a value."""
    ctx = scope.flow.ctx
    if _truth_use(ctx, node):
        return True
    parent = ctx.parent(node)
    if not (isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1):
        return False
    target = parent.targets[0].target
    if not isinstance(target, cst.Name):
        return False
    uses = [
        n for n in scope.nodes
        if type(n) is cst.Name and n.value == target.value and n is not target  # type: ignore[attr-defined]
    ]
    for use in uses:
        up = ctx.parent(use)
        if isinstance(up, cst.AssignTarget) or (isinstance(up, (cst.For, cst.CompFor)) and up.target is use):
            continue
        if isinstance(up, cst.Element) and isinstance(ctx.parent(up), cst.Tuple) and isinstance(
            ctx.parent(ctx.parent(up)), cst.AssignTarget  # type: ignore[arg-type]
        ):
            continue
        if not _truth_use(ctx, use):
            return False
    return True


def _truth_use(ctx, node: cst.CSTNode) -> bool:  # type: ignore[no-untyped-def]
    parent = ctx.parent(node)
    if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is node:
        return True
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return True
    if isinstance(parent, cst.BooleanOperation):
        return _truth_use(ctx, parent)
    if isinstance(parent, cst.DictElement) and parent.value is node:
        return _cursor_key(ctx, parent.key)  # `{"page_token": token}`: sent back; `{"more": token}`: not
    if isinstance(parent, cst.Arg) and parent.value is node and parent.keyword is not None \
            and parent.keyword.value == ctx.rules.pagination.token_param:
        return True  # `page_token=token` to a helper that sends it as the query
    if isinstance(parent, cst.Assign) and parent.value is node:
        return all(
            isinstance(t.target, cst.Subscript) and len(t.target.slice) == 1
            and isinstance(t.target.slice[0].slice, cst.Index) and _cursor_key(ctx, t.target.slice[0].slice.value)
            for t in parent.targets
        )
    return False


def _cursor_key(ctx, key: cst.BaseExpression | None) -> bool:  # type: ignore[no-untyped-def]
    """The key of the page token sent back (`page_token`, or the cursor's Public name)."""
    row = ctx.rules.pagination
    return isinstance(key, cst.SimpleString) and key.evaluated_value in (row.token_param, row.cursor_param)


def _quotes(text: str) -> tuple[str, str]:
    for i, char in enumerate(text):
        if char in "'\"":
            return text[: i + 1], char
    return '"', '"'


# -- query parameters ---------------------------------------------------------------


def apply(ctx, flow: Flow, writer: Writer, scopes: list[Scope]) -> None:  # type: ignore[no-untyped-def]
    base = {id(s) for s in scopes}
    # a call a base scope sends: its query is rewritten (or marked) there, whatever
    # the arguments a caller gives another analysis of its function (`list_plans(token)`)
    in_base = {(id(c), e) for c, e, s in flow.http_calls if id(s) in base}
    seen: set[int] = set()
    done: set[tuple[int, str, int]] = set()
    for call, endpoint_id, scope in flow.http_calls:
        key = (id(call), endpoint_id, id(scope))
        if key in done:
            continue
        done.add(key)
        endpoint = flow.endpoints.get(endpoint_id)
        if endpoint is None or not endpoint.paginated:
            continue
        # a helper of the file sends the URL it is given: its callers hold the query
        sites = [
            (site, site_scope) for site, site_scope, function, binding in flow.helper_sites
            if function is scope.node and binding == scope.key and id(site_scope) in base
        ]
        if sites:
            forward = _forwarded(ctx, call, scope)
            if forward is None and _forwards_stars(ctx, call, scope):
                # the callers' query goes through the helper's `**kwargs` in a way not proven: marked at each
                for site, _ in sites:
                    if id(site) not in seen:
                        seen.add(id(site))
                        stars = _stars(ctx, call)
                        writer.mark(ROW, site, _message(ctx, "forwarded", endpoint.config, endpoint_id=endpoint_id,
                                                        stars=stars))
                continue
            if forward is None:
                # the helper sends a query of its own: it moves with the helper's reads, or is marked there
                if id(call) not in seen:
                    seen.add(id(call))
                    mixed = _mixed_fixed(flow, scope)
                    if id(scope) in base and _paginated_only(flow, scope) and not mixed:
                        _call(ctx, flow, writer, scope, call, endpoint.config, endpoint_id=endpoint_id)
                    elif mixed:
                        writer.mark(ROW, call, DEFAULTS["fixed"].format(sent=mixed))
                    else:
                        # its reads stay (a module others may import), or were migrated while the query
                        # also goes to endpoints without pages: the marker says which
                        which = "helper-mixed" if id(scope) in base else "helper"
                        writer.mark(ROW, call, _message(ctx, which, endpoint.config, endpoint_id=endpoint_id))
                continue
            for site, site_scope in sites:
                if id(site) in seen:
                    continue
                seen.add(id(site))
                if forward is None:
                    writer.mark(ROW, site, _message(ctx, "params", endpoint.config, endpoint_id=endpoint_id))
                    continue
                _call(ctx, flow, writer, site_scope, site, endpoint.config, forward, endpoint_id)
        elif id(scope) in base:
            _call(ctx, flow, writer, scope, call, endpoint.config, endpoint_id=endpoint_id)
        elif (id(call), endpoint_id) not in in_base:
            writer.mark(ROW, call, _message(ctx, "params", endpoint.config, endpoint_id=endpoint_id))


def _paginated_only(flow: Flow, scope: Scope) -> bool:
    """Every migrated call the helper of `scope` is given goes to a paginated
    endpoint: the page parameters of its own query fit all of them."""
    return all(
        (found := flow.endpoints.get(endpoint_id)) is not None and found.paginated
        for _, endpoint_id, other in flow.http_calls if other.node is scope.node
    )


def _mixed_fixed(flow: Flow, scope: Scope) -> str:
    """The helper of `scope` is given calls to endpoints sent with different
    fixed queries (`type=LIVE` for some only): which, in words; "" when not."""
    found = {e for _, e, other in flow.http_calls if other.node is scope.node}
    rows = [r for r in (flow.endpoints.get(e) for e in sorted(found)) if r is not None]
    if len({tuple(sorted(r.fixed_query.items())) for r in rows}) <= 1:
        return ""
    return "; ".join(f"`{urlencode(r.fixed_query)}` for `{r.config}`" for r in rows if r.fixed_query)


def _fixed(ctx, endpoint_id: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The query parameters the Public call is sent with whatever the Config
    call gave (the endpoint row's `fixed_query`: a tracking-plan list's `type`)."""
    return dict(getattr(ctx.rules.by_id.get(endpoint_id), "fixed_query", {}))


def _other_query_keys(ctx, writer: Writer, call: cst.Call, keys: list[str | bytes],  # type: ignore[no-untyped-def]
                      endpoint: str, endpoint_id: str) -> bool:
    """Mark a query parameter other than the page's, in the call's dict or
    URL text, that the Public call does not take under the same name (the
    endpoint row's `query`): True when one is marked. The page parameters
    are migrated all the same: the marker is about that key alone."""
    import re

    row = ctx.rules.pagination
    found = ctx.rules.by_id.get(endpoint_id)
    renamed: dict[str, str] = getattr(found, "query", {})
    try:
        texts = [n.value for n in query_held.texts(ctx, call)]  # what the names of the URL hold too
    except query_held.Unsure:
        texts = []  # `_literal_query` marked the call already
    in_url = [m.group(1) for text in texts if "?" in text for m in re.finditer(r"[?&]([A-Za-z_][\w.]*)=", text)]
    for key in [*keys, *in_url]:
        if not isinstance(key, str) or key in (row.size_param, row.token_param, row.count_param, row.cursor_param):
            continue
        if renamed.get(key) == key:
            continue
        which = "renamed" if key in renamed else "unknown"
        text = DEFAULTS[which].format(key=key, endpoint=endpoint, public=renamed.get(key))
        writer.mark(endpoint_id, call, text)
        return True
    return False


def _message(ctx, which: str, endpoint: str = "", line: str = "",  # type: ignore[no-untyped-def]
             endpoint_id: str = "", stars: str = "", held: str = "") -> str:
    row = ctx.rules.pagination
    envelope = ctx.rules.envelope
    template = DEFAULTS[which]
    if which == "params":
        found = ctx.rules.by_id.get(ROW)
        template = getattr(found, "message", None) or template
    return template.format(
        endpoint=endpoint, count=row.count_param, cursor=row.cursor_param, min=row.min_count, max=row.max_count,
        size=row.size_param, token=row.token_param, next=envelope.public_next, line=line, stars=stars, held=held,
    ) + _fixed_too(ctx, which, endpoint_id)


def _fixed_too(ctx, which: str, endpoint_id: str) -> str:  # type: ignore[no-untyped-def]
    """For a marker that leaves the call without its Public query: the
    endpoint row's fixed query it must send too ("" when the row has none)."""
    row = ctx.rules.by_id.get(endpoint_id)
    fixed = getattr(row, "fixed_query", None)
    if which not in LEFT or not fixed:
        return ""
    return DEFAULTS["fixed-too"].format(sent=f"`{urlencode(fixed)}`", endpoint=row.public)


def _forwarded(ctx, call: cst.Call, scope: Scope) -> tuple[str, int] | None:  # type: ignore[no-untyped-def]
    """A helper's HTTP call: the helper parameter (name, position) it sends as
    `params=`, (keyword, -1) when its callers give the query by that keyword
    through its `**kwargs` (`_keywords_passed`), ("", -1) when it sends no
    query at all, None otherwise."""
    function = scope.node
    if not isinstance(function, cst.FunctionDef):
        return None
    if any(a.star for a in call.args):
        keyword = _keywords_passed(ctx, call, function)
        return (keyword, -1) if keyword is not None else None
    params = next((a for a in call.args if a.keyword is not None and a.keyword.value == "params"), None)
    names = [p.name.value for p in function.params.params]
    if params is None:
        return ("", -1)  # no query of its own: the callers' URL text or urlencode holds it
    value = params.value
    star = function.params.star_kwarg
    if isinstance(star, cst.Param) and _is_keywords(value, star.name.value) and not _rebound(scope, star.name.value):
        return star.name.value, KEYWORDS  # `def _get(self, path, **params)`: callers pass keywords
    if isinstance(value, cst.Name) and value.value in names:
        assigned = any(
            isinstance(n, cst.Name) and n.value == value.value and isinstance(scope.flow.ctx.parent(n), cst.AssignTarget)
            for n in scope.nodes
        )
        if not assigned:
            position = names.index(value.value)
            if isinstance(scope.flow.ctx.index.class_of(function), cst.ClassDef) and names[:1] == ["self"]:
                position -= 1
            return value.value, position
    return None


def _keywords_passed(ctx, call: cst.Call, function: cst.FunctionDef) -> str | None:  # type: ignore[no-untyped-def]
    """`def _request(self, method, path, **kwargs)` sending `session.request(method,
    url, **kwargs)`, `kwargs` read nowhere else and no parameter of its own named
    like the call's query keyword: a caller's `params=` reaches the request as
    `params=`. That keyword; None otherwise."""
    star = function.params.star_kwarg
    stars = [a for a in call.args if a.star]
    if not isinstance(star, cst.Param) or len(stars) != 1 or stars[0].star != "**":
        return None
    value = stars[0].value
    if not (isinstance(value, cst.Name) and value.value == star.name.value):
        return None
    uses = [n for n in _walk(function.body) if isinstance(n, cst.Name) and n.value == star.name.value]
    if uses != [value]:
        return None  # changed, read or handed on elsewhere (`kwargs.pop("params")`)
    keyword = query_keyword(ctx, call)
    params = function.params
    named = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    if keyword is None or keyword in named or any(a.keyword is not None and a.keyword.value == keyword
                                                  for a in call.args):
        return None
    return keyword


def _forwards_stars(ctx, call: cst.Call, scope: Scope) -> bool:  # type: ignore[no-untyped-def]
    """The helper's HTTP call sends on its own `*args` or `**kwargs`, and no
    query of its own: its callers' query may be among them."""
    function = scope.node
    keyword = query_keyword(ctx, call)
    if not isinstance(function, cst.FunctionDef) or any(a.keyword is not None and a.keyword.value == keyword
                                                       for a in call.args):
        return False
    own = {p.name.value for p in (function.params.star_arg, function.params.star_kwarg) if isinstance(p, cst.Param)}
    return any(a.star and isinstance(a.value, cst.Name) and a.value.value in own for a in call.args)


def _stars(ctx, call: cst.Call) -> str:  # type: ignore[no-untyped-def]
    """The star arguments of a call, as written (`**extra`, `*rest`)."""
    code = ctx.src.code
    return " or ".join(f"`{a.star}{code(a.value) or ctx.src.module.code_for_node(a.value)}`" for a in call.args if a.star)


def _is_keywords(value: cst.BaseExpression, name: str) -> bool:
    """`params=kwargs` or `params=kwargs or None`."""
    if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
        if not (isinstance(value.right, cst.Name) and value.right.value == "None"):
            return False
        value = value.left
    return isinstance(value, cst.Name) and value.value == name


def _rebound(scope: Scope, name: str) -> bool:
    ctx = scope.flow.ctx
    return any(
        isinstance(n, cst.Name) and n.value == name
        and isinstance(ctx.parent(n), (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Subscript))
        for n in scope.nodes
    ) or any(
        isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and isinstance(n.func.value, cst.Name)
        and n.func.value.value == name
        for n in scope.nodes
    )


def _keywords_call(ctx, flow: Flow, writer: Writer, scope: Scope, call: cst.Call,  # type: ignore[no-untyped-def]
                   endpoint: str, endpoint_id: str) -> None:
    """A call of a helper that sends its `**params` as the query. The Public
    names have a dot, so they go in as `**{"pagination.count": N}`:
    `page_size=N` and `page_token=T` are replaced in place, and a call with
    no page size gets the row's `default_count`."""
    row = ctx.rules.pagination
    names = {row.size_param: row.count_param, row.token_param: row.cursor_param}
    if any(a.star for a in call.args):
        writer.mark(ROW, call, _message(ctx, "hidden", endpoint, endpoint_id=endpoint_id, stars=_stars(ctx, call)))
        return
    if not call.args:
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    quote = _call_quote(ctx, call)
    fixed = _fixed(ctx, endpoint_id)
    if any(a.keyword is not None and a.keyword.value in fixed for a in call.args):
        # the call gives one of them itself
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    edits: list[Edit] = []
    has_size = any(a.keyword is not None and a.keyword.value == row.size_param for a in call.args)
    added = _entries(ctx, quote, fixed, count=not has_size)  # what the call gains, in its last `**{...}`
    run: list[tuple[cst.Arg, str]] = []  # consecutive page keywords: one `**{...}`
    sent: list[tuple[cst.Arg, str]] = []
    for arg in [*call.args, None]:
        name = arg.keyword.value if arg is not None and arg.keyword is not None else None
        if arg is None or name not in names:
            if run:
                start, _ = writer.span(run[0][0])
                end = writer.outer(run[-1][0].value)[1]
                entries = [_keyword_entry(ctx, writer, scope, quote, names[n], a) for a, n in run]
                if arg is None and added:
                    entries, added = [*entries, added], ""
                edits.append(Edit(start, end, f"**{{{', '.join(entries)}}}"))
                run = []
            continue
        assert name is not None
        if name == row.size_param:
            if _size_out_of_range(ctx, arg.value):
                writer.mark(ROW, arg.value, _message(ctx, "size"))  # renamed all the same: only the size is wrong
        elif not _proven_token(scope, arg.value):
            writer.mark(ROW, arg.value, _message(ctx, "cursor"))  # renamed all the same
        elif _may_start_empty(scope, arg.value, False) and _token_name(arg.value) is None:
            writer.mark(ROW, arg.value, _message(ctx, "empty-cursor"))  # renamed all the same
        run.append((arg, name))
        sent.append((arg, name))
    follows = _reads_next(scope)
    if added:
        _, end = writer.outer(call.args[-1].value)
        edits.append(Edit(end, end, f", **{{{added}}}"))
    if not writer.record(row.id, call, edits):
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    if pages_module.whole_list(ctx, endpoint_id) and not any(n == row.token_param for _, n in sent):
        writer.mark(ROW, call, _message(ctx, "whole", endpoint))  # the helper's pages cannot be followed here
    elif not has_size and not follows:
        ctx.note(_message(ctx, "one-page", line=line_refs.ref(writer.span(call)[0])))


def _keyword_entry(ctx, writer: Writer, scope: Scope, quote: str, public: str,  # type: ignore[no-untyped-def]
                   arg: cst.Arg) -> str:
    """The entry of `**{...}` for a page keyword: `"pagination.count": 10`,
    or the cursor sent only once there is a token (`_cursor_entry`)."""
    held = _token_name(arg.value)
    if public == ctx.rules.pagination.cursor_param and held is not None \
            and _proven_token(scope, arg.value) and _may_start_empty(scope, arg.value, False):
        return _cursor_entry(f"{quote}{public}{quote}", held.value)
    return f"{quote}{public}{quote}: {ctx.src.text[slice(*writer.outer(arg.value))]}"


def _cursor_entry(key: str, name: str) -> str:
    """A dict entry sending the cursor held in `name` only when it is set:
    an empty string is sent as `pagination.cursor=` whatever the library,
    and so is None by httpx (requests alone leaves a None value out)."""
    return f"**({{{key}: {name}}} if {name} else {{}})"


EMPTY = ("", b"")


def _drops_none(ctx, call: cst.Call) -> bool:  # type: ignore[no-untyped-def]
    """Does the call leave out query parameters whose value is None
    (requests and its sessions do; httpx, aiohttp and urllib do not)?"""
    made = [qualified_name(ctx, call.func)]
    if isinstance(call.func, cst.Attribute):
        receiver = call.func.value
        values = [receiver] if isinstance(receiver, cst.Call) else resolve(ctx, receiver)
        made += [qualified_name(ctx, v.func) for v in values if isinstance(v, cst.Call)]
    return any(name.startswith("requests.") for name in made)


def _may_start_empty(scope: Scope, value: cst.BaseExpression, drops_none: bool) -> bool:
    """Can the token sent here be the empty start value of a page loop
    (`token = ""`, or `None` where the call sends it, before it; a parameter
    defaulting to one), where it is not sent under a test of its truth
    (`if token:`)?"""
    if isinstance(value, cst.SimpleString) or (isinstance(value, cst.Name) and value.value == "None"):
        return _is_empty(value, drops_none)
    if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
        return _is_empty(value.right, drops_none)  # `token or ""`
    if not isinstance(value, cst.Name) or _truth_guarded(scope, value):
        return False
    name = value.value
    function = scope.node
    if isinstance(function, cst.FunctionDef):
        params = [*function.params.params, *function.params.kwonly_params, *function.params.posonly_params]
        if any(p.name.value == name and p.default is not None and _is_empty(p.default, drops_none) for p in params):
            return True
    for node in scope.nodes:
        if isinstance(node, cst.Assign):
            if any(_is_empty(b, drops_none) for t in node.targets for b in _bound_to(t.target, node.value, name)):
                return True
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            if any(_is_empty(bound, drops_none) for bound in _bound_to(node.target, node.value, name)):
                return True
    return False


def _token_name(value: cst.BaseExpression) -> cst.Name | None:
    """The name holding the token sent as `value` (`token`, `token or ""`:
    the same whenever it is set)."""
    if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
        value = value.left if isinstance(value.right, (cst.SimpleString, cst.Name)) else value
    return value if isinstance(value, cst.Name) and value.value != "None" else None


def _is_empty(node: cst.BaseExpression, drops_none: bool) -> bool:
    """An empty token the call sends: `""`, or `None` unless it drops it."""
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value in EMPTY
    return isinstance(node, cst.Name) and node.value == "None" and not drops_none


def _bound_to(target: cst.BaseExpression, value: cst.BaseExpression, name: str) -> list[cst.BaseExpression]:
    """The values `name` gets in `target = value` (`a, b = [], ""` too)."""
    if isinstance(target, cst.Name):
        return [value] if target.value == name else []
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) \
            and len(target.elements) == len(value.elements):
        return [found for t, v in zip(target.elements, value.elements) if isinstance(t, cst.Element)
                and isinstance(v, cst.Element) for found in _bound_to(t.value, v.value, name)]
    return []


def _truth_guarded(scope: Scope, use: cst.Name) -> bool:
    """`use` runs only when its name is true: in the body of `if token:` or
    `while token:`."""
    ctx = scope.flow.ctx
    child: cst.CSTNode = use
    parent = ctx.parent(use)
    while parent is not None and parent is not scope.node:
        if isinstance(parent, (cst.If, cst.While)) and child is parent.body \
                and isinstance(parent.test, cst.Name) and parent.test.value == use.value:
            return True
        child, parent = parent, ctx.parent(parent)
    return False


DICT_CHANGES = frozenset({"update", "setdefault", "pop", "popitem", "clear"})


def _changed_or_read_elsewhere(ctx, scope: Scope, name: str, config_keys: set[str]) -> bool:  # type: ignore[no-untyped-def]
    """The query dict held in `name` is changed by a method (`.update(...)`:
    keys unseen) or a Config page key of it is read back (`params.get("page_token")`,
    which would miss the renamed key)."""
    from migrator.rewrite.responses_flow import as_read

    for node in scope.nodes:
        if type(node) is cst.Call:
            func = node.func  # type: ignore[attr-defined]
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name \
                    and func.attr.value in DICT_CHANGES:
                return True
        read = as_read(node)
        if read is None or not isinstance(read.value, cst.Name) or read.value.value != name:
            continue
        holder = ctx.parent(node)
        if isinstance(holder, cst.AssignTarget) and holder.target is node:
            continue  # `params["page_token"] = ...`: written, renamed with the dict
        if read.name in config_keys:
            return True
    return False


def _size_out_of_range(ctx, value: cst.BaseExpression) -> bool:  # type: ignore[no-untyped-def]
    """A page size that is, or may be (a constant, a default, a caller's argument),
    outside the Public range: `500`, `"500"`, `PAGE` with `PAGE = 500`, `n` with
    `n=1000` or `n=PAGE`, `n` of a function the file calls as `f(500)`."""
    for held in _held(ctx, value):
        number: object = None
        if isinstance(held, cst.Integer):
            number = int(held.value, 0)
        elif isinstance(held, cst.SimpleString) and isinstance(held.evaluated_value, str):
            text = held.evaluated_value.strip()
            # ASCII digits: str.isdigit() also holds for "²", which int() refuses, and "５".
            number = int(text) if text.isascii() and text.isdigit() else None
        if isinstance(number, int) and not ctx.rules.pagination.min_count <= number <= ctx.rules.pagination.max_count:
            return True
    return False


HOPS = 4
"""Names a page size is followed through (`size` → `PAGE` → `500`)."""


def _held(ctx, value: cst.BaseExpression, hops: int = HOPS) -> list[cst.BaseExpression]:  # type: ignore[no-untyped-def]
    """The values `value` may be, through names bound in this file: a
    parameter's default and its callers' arguments, a constant's value."""
    if not isinstance(value, (cst.Name, cst.Attribute)):
        return [value]
    if hops == 0:
        return []
    given = _given(ctx, value) if isinstance(value, cst.Name) else None
    values = given if given is not None else resolve(ctx, value)
    return [found for held in values for found in _held(ctx, held, hops - 1)]


def _given(ctx, name: cst.Name) -> list[cst.BaseExpression] | None:  # type: ignore[no-untyped-def]
    """A parameter of the function `name` is read in, never rebound there: its
    default and the arguments the calls of the function in this file give it
    (None for another name)."""
    index = ctx.index
    function = index.scope_of(name)
    if not isinstance(function, cst.FunctionDef) or _in_params(ctx, name, function) \
            or index.assignments.get((function, name.value)):
        return None
    params = function.params
    positional = [p.name.value for p in (*params.posonly_params, *params.params)]
    if name.value not in positional and name.value not in [p.name.value for p in params.kwonly_params]:
        return None
    values = [d] if (d := index.defaults.get((function, name.value))) is not None else []
    for use in index.names.get(function.name.value, []):
        call = ctx.parent(use)
        if isinstance(call, cst.Attribute) and call.attr is use:
            call = ctx.parent(call)
        found = function_of(ctx, call) if isinstance(call, cst.Call) else None
        if found is None or found[0] is not function:
            continue
        skipped = 1 if found[1] else 0  # `self.f(...)`: `self` is not among the arguments
        position = positional.index(name.value) - skipped if name.value in positional else -1
        starred = any(a.star == "*" for a in call.args)  # `f(*args, 500)`: positions unknown
        by_position = [a for a in call.args if a.keyword is None and not a.star]
        arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == name.value), None)
        if arg is None and not starred and 0 <= position < len(by_position):
            arg = by_position[position]
        if arg is not None:
            values.append(arg.value)
    return values


def _proven_token(scope: Scope, value: cst.BaseExpression) -> bool:
    """Is `value` the previous page's token (or a neutral start value)?"""
    shape = scope.eval(value)
    return shape == NEUTRAL or (proven(shape) is not None and shape.what == TOKEN)  # type: ignore[union-attr]


def _call(ctx, flow: Flow, writer: Writer, scope: Scope, call: cst.Call, endpoint: str,  # type: ignore[no-untyped-def]
          forward: tuple[str, int] | None = None, endpoint_id: str = "") -> None:
    row = ctx.rules.pagination
    if ctx.suppressed(call, row.id):  # `# migrator: ignore[pagination]`: its query is left as it is, as the audit says
        fixed = _fixed(ctx, endpoint_id)
        if fixed:  # no page parameter: the Public call needs it still
            writer.mark(endpoint_id, call, DEFAULTS["suppressed-fixed"].format(
                sent=f"`{urlencode(fixed)}`", endpoint=ctx.rules.by_id[endpoint_id].public))
        return
    if forward is not None and forward[1] == KEYWORDS:
        _keywords_call(ctx, flow, writer, scope, call, endpoint, endpoint_id)
        return
    if any(a.star for a in call.args):
        keyword = forward[0] if forward is not None else (query_keyword(ctx, call) or "")
        if any(a.keyword is not None and a.keyword.value == keyword for a in call.args):
            writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        else:  # the query, if any, is among the star arguments
            writer.mark(ROW, call, _message(ctx, "hidden", endpoint, endpoint_id=endpoint_id, stars=_stars(ctx, call)))
        return
    query = _literal_query(ctx, writer, call)
    if query is None:
        writer.mark(ROW, call, _message(ctx, "query", endpoint_id=endpoint_id))
        return
    # no keyword (http.client): only a query written into the URL text, or a marker
    keyword = forward[0] if forward is not None else (query_keyword(ctx, call) or "")
    params = next((a for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    if params is None and forward is not None and forward[1] >= 0:
        positional = [a for a in call.args if a.keyword is None]
        if forward[1] < len(positional):
            params = positional[forward[1]]
    if forward is not None and forward[0] and params is None:
        # a helper: it cannot be given a count here
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    if params is None and forward is None and _query_by_position(ctx, call):
        # `params=` added beside it: given twice
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    dicts: list[cst.Dict] | None
    holder: cst.BaseExpression | None = params.value if params is not None else None
    if params is not None:
        dicts = _dicts(scope, params.value)
    else:
        dicts, holder = _urlencoded(ctx, scope, call)
    if dicts is None:
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    names = {row.size_param: row.count_param, row.token_param: row.cursor_param}
    keys: list[tuple[cst.SimpleString, cst.BaseExpression | None]] = []
    for literal in dicts:
        for element in literal.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                if isinstance(element, cst.StarredDictElement):
                    writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
                    return
                continue
            keys.append((element.key, element.value))
    if isinstance(holder, cst.Name):
        if _changed_or_read_elsewhere(ctx, scope, holder.value, set(names)):
            # `params.update(page_token=...)`, `params.get("page_token")`: keys this rewrite cannot keep in step
            writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
            return
        for node in scope.nodes:
            if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Subscript):
                sub = node.target
                if isinstance(sub.value, cst.Name) and sub.value.value == holder.value:
                    element = sub.slice[0].slice if len(sub.slice) == 1 else None
                    key = element.value if isinstance(element, cst.Index) else None
                    if isinstance(key, cst.SimpleString):
                        assign = ctx.parent(node)
                        keys.append((key, assign.value if isinstance(assign, cst.Assign) else None))
                    else:
                        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
                        return
    _other_query_keys(ctx, writer, call, [k.evaluated_value for k, _ in keys], endpoint, endpoint_id)
    edits: list[Edit] = []
    has_size = bool(query)
    taken = set(ctx.edits)
    within = writer.span(call)
    edits_in_url = [e for e, _ in query if within[0] <= e.start and e.end <= within[1]]
    # written into the value of a name the call is given: renamed there (once, when two calls send it)
    in_names = [(e, node) for e, node in query if not within[0] <= e.start <= e.end <= within[1] and e not in taken]
    for key, value in keys:
        name = key.evaluated_value
        if name == row.size_param or name == row.count_param:
            has_size = True
            if value is not None and _size_out_of_range(ctx, value):
                writer.mark(ROW, value, _message(ctx, "size"))  # renamed all the same: only the size is wrong
        if name == row.token_param:
            if value is None or not _proven_token(scope, value):
                # renamed all the same (the Public API knows no `page_token`), and marked
                writer.mark(ROW, value if value is not None else call, _message(ctx, "cursor"))
            elif _may_start_empty(scope, value, _drops_none(ctx, call)):
                element, held = ctx.parent(key), _token_name(value)
                if isinstance(element, cst.DictElement) and held is not None:
                    opener, closer = _quotes(ctx.src.code(key) or '"')
                    edits.append(Edit(writer.span(key)[0], writer.outer(value)[1],
                                      _cursor_entry(f"{opener}{row.cursor_param}{closer}", held.value)))
                    continue
                writer.mark(ROW, value, _message(ctx, "empty-cursor"))  # renamed all the same
        if name in names:
            opener, closer = _quotes(ctx.src.code(key) or '"')
            start, end = writer.span(key)
            edits.append(Edit(start, end, f"{opener}{names[name]}{closer}"))
    edits.extend(edits_in_url)
    given = {key.evaluated_value for key, _ in keys}
    fixed = {name: value for name, value in _fixed(ctx, endpoint_id).items() if name not in given}
    held = _url_query(ctx, call, params, forward)
    if held is not None and params is not None:
        # already so in the Config code: the page parameters are migrated all the same
        writer.mark(ROW, call, _message(ctx, "dropped", held=held))
    left = False  # what the call needs added is left to a person (marked)
    if not has_size or fixed:
        if held is not None and params is None and not dicts:
            # `params=` beside the URL's query: httpx would send it in place of that query
            query = _needed(ctx, fixed, count=not has_size)
            addition = query_merge.append(ctx, url, query) if (url := _url_at(ctx, call)) is not None else None
            if addition is None:
                needed = ", ".join(f"`{k}={v}`" for k, v in query.items())
                writer.mark(ROW, call, _message(ctx, "url-query", held=held, stars=needed))
                left = True
        elif fixed and len(dicts) == 1 and isinstance(holder, cst.Name) and _shared(ctx, scope, holder):
            # what the dict gains would reach the other code it goes to (`/sources` sent `type=LIVE`)
            addition = _at_call(ctx, writer, holder, dicts, fixed, count=not has_size)
        else:
            addition = _add_count(ctx, writer, call, params, dicts, fixed, count=not has_size)
        if addition is None and not left:
            writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
            return
        if addition is not None:
            edits.append(addition)
    if any(ctx.edits.overlaps(e) for e in [*edits, *(e for e, _ in in_names)]) or (
        edits and not writer.record(row.id, call, edits)
    ):
        writer.mark(ROW, call, _message(ctx, "params", endpoint, endpoint_id=endpoint_id))
        return
    for edit, node in in_names:
        writer.record(row.id, node, [edit])
    if pages_module.whole_list(ctx, endpoint_id) and not any(
        key.evaluated_value == row.token_param for key, _ in keys
    ):
        # the Config API answered the whole list: one page is not enough, whatever else the function reads
        _follow(ctx, flow, writer, scope, call, endpoint, endpoint_id, in_url=held is not None)
    elif not has_size and not left and not _reads_next(scope):
        ctx.note(_message(ctx, "one-page", line=line_refs.ref(writer.span(call)[0])))


def _follow(ctx, flow: Flow, writer: Writer, scope: Scope, call: cst.Call,  # type: ignore[no-untyped-def]
            endpoint: str, endpoint_id: str, *, in_url: bool = False) -> None:
    """A list the Config API answered whole: every page through the lookup
    module's `all_pages`, or a marker (also when the URL holds a query that
    `all_pages`'s `params=` could replace: `in_url`)."""
    resource = flow.resource_of(endpoint_id)
    list_key = resource.public_list_key if resource is not None else None
    edits = None
    if list_key and _direct_keyword(ctx, call) == "params" and not in_url:
        edits = pages_module.follow_edits(ctx, scope.node, call, list_key, _call_quote(ctx, call))
    if edits is None or not writer.record(ROW, call, edits):
        writer.mark(ROW, call, _message(ctx, "whole", endpoint))
        return
    ctx.needs_lookup_import = True


def _reads_next(scope: Scope) -> bool:
    """Does this function read a next-page token (does it loop over pages)?"""
    from migrator.rewrite.responses_flow import as_read

    token = scope.flow.ctx.rules.envelope.next_page_token
    return any((read := as_read(node)) is not None and read.name == token for node in scope.nodes)


def _literal_query(ctx, writer: Writer, call: cst.Call) -> list[tuple[Edit, cst.CSTNode]] | None:  # type: ignore[no-untyped-def]
    """`?page_size=10` written into the URL text of the call (or into the
    value of a name it is given): the edits that make it
    `?pagination.count=10`, with the string each is in ([] when there is
    none); None when it cannot be done (a page token in the text, a size
    that is not a literal within `max_count`, escapes)."""
    import re

    row = ctx.rules.pagination
    edits: list[tuple[Edit, cst.CSTNode]] = []
    try:
        nodes = query_held.texts(ctx, call)  # a URL held in a name: its query is the call's
    except query_held.Unsure:
        return None
    for node in nodes:
        raw = node.value
        if f"{row.token_param}=" in raw:
            return None
        for found in re.finditer(rf"(?<=[?&]){re.escape(row.size_param)}=([0-9]*)", raw):
            size = found.group(1)
            if not size or not row.min_count <= int(size) <= row.max_count or "\\" in raw:
                return None
            start = writer.span(node)[0] + found.start()
            edits.append((Edit(start, start + len(row.size_param), row.count_param), node))
        if f"{row.size_param}=" in raw and not edits:
            return None
    return edits


def _dicts(scope: Scope, value: cst.BaseExpression) -> list[cst.Dict] | None:
    if isinstance(value, cst.Dict):
        return [value]
    if isinstance(value, cst.Name):
        found: list[cst.Dict] = []
        for node in scope.nodes:
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    if isinstance(target.target, cst.Name) and target.target.value == value.value:
                        if not isinstance(node.value, cst.Dict):
                            return None
                        found.append(node.value)
            elif isinstance(node, (cst.AugAssign, cst.AnnAssign)) and isinstance(node.target, cst.Name) \
                    and node.target.value == value.value:
                return None
        if value.value in scope.binding or value.value in scope.params or not found:
            return None  # a parameter: the dicts its callers give are not seen
        return found
    return None


def _urlencoded(ctx, scope: Scope, call: cst.Call):  # type: ignore[no-untyped-def]
    """`url + "?" + urlencode(query)` as the call's URL (or in the value of a
    name it is given): the query dicts; [] when there is no query at all and
    the call takes `params=`; None when the parameters cannot be seen."""
    values: list[cst.CSTNode] = [a.value for a in call.args]
    names = {a.value.value for a in call.args if isinstance(a.value, cst.Name)}
    for node in scope.nodes:
        if isinstance(node, cst.Assign) and any(
            isinstance(t.target, cst.Name) and t.target.value in names for t in node.targets
        ):
            values.append(node.value)
    urls = [a.value for a in call.args if a.keyword is None or a.keyword.value == "url"]
    held = _held_queries(ctx, scope, [*urls, *values[len(call.args):]])
    if held is None:
        return None, None
    values.extend(held)
    encoders = [
        n for value in values for n in _walk(value)
        if isinstance(n, cst.Call) and qualified_name(ctx, n.func).endswith("urlencode")
    ]
    if len(encoders) == 1 and encoders[0].args:
        value = encoders[0].args[0].value
        return _dicts(scope, value), value
    if encoders:
        return None, None
    return [], None


def _held_queries(ctx, scope: Scope, urls: list[cst.CSTNode]) -> list[cst.CSTNode] | None:  # type: ignore[no-untyped-def]
    """The `urlencode(...)` values of the names a URL's query is made of
    (`"...?" + q`, `f"...?{q}"`), each bound once in this function, to
    that, and read only there; None when the query holds any other value
    (a parameter, a name bound twice or read elsewhere, `"&".join(...)`)."""
    from migrator.rewrite.strings import build_chain

    found: list[cst.CSTNode] = []
    for url in urls:
        chain = build_chain(ctx.src, url) if isinstance(url, cst.BaseExpression) else None
        if chain is None:
            continue
        text = chain.template()
        start = text.find("?")
        for at in range(start + 1 if start >= 0 else len(text), len(text)):
            if not is_hole_char(text[at]) or text[at - 1] == "=":
                continue  # a value of a key the text shows (`?page_size={n}`: `_literal_query`)
            node = chain.hole(text[at]).node
            if isinstance(node, cst.Call) and qualified_name(ctx, node.func).endswith("urlencode"):
                continue  # read with the call's arguments
            if not isinstance(node, cst.Name) or _shared(ctx, scope, node):
                return None
            bound = [n for n in scope.nodes if isinstance(n, (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.For))
                     and any(isinstance(t, cst.Name) and t.value == node.value for t in _targets(n))]
            value = bound[0].value if len(bound) == 1 and isinstance(bound[0], cst.Assign) else None
            if not (isinstance(value, cst.Call) and qualified_name(ctx, value.func).endswith("urlencode")):
                return None
            found.append(value)
    return found


def _targets(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The names a binding statement binds (unpacking included)."""
    if isinstance(node, cst.Assign):
        roots = [t.target for t in node.targets]
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For)):
        roots = [node.target]
    else:
        return []
    return [n for root in roots for n in _walk(root) if isinstance(n, cst.Name)]


def _direct_keyword(ctx, call: cst.Call) -> str | None:  # type: ignore[no-untyped-def]
    """The keyword of a direct HTTP call that takes its query in one
    (`params=`, urllib3's `fields=`): a module function of such a library, or
    a verb method (`session.get`, `client.request`) of an object other than
    `self` (whose own helpers may not take it). None otherwise."""
    keyword = query_keyword(ctx, call)
    name = qualified_name(ctx, call.func)
    if name.startswith(("requests.", "httpx.")) or (keyword == "fields" and name.startswith("urllib3.")):
        return keyword
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in (*VERBS, "request"):
        receiver = func.value
        if not (isinstance(receiver, cst.Name) and receiver.value in ("self", "cls")):
            return keyword
    if isinstance(func, cst.Attribute) and func.attr.value in CLIENT_REQUESTS and httpx_client(ctx, func.value):
        return keyword  # `client.stream("GET", url)`, `client.build_request(...)` of an httpx client
    return None


def _query_by_position(ctx, call: cst.Call) -> bool:  # type: ignore[no-untyped-def]
    """`requests.get(url, query)`, `requests.request("GET", url, query)`: an
    argument after the URL of a direct call (its query, its headers, its
    body), beside which `params=` would be given twice or sent wrongly."""
    if _direct_keyword(ctx, call) is None:
        return False
    return sum(1 for a in call.args if a.keyword is None) > _taken(ctx, call)


def _taken(ctx, call: cst.Call) -> int:  # type: ignore[no-untyped-def]
    """The positional arguments up to the URL of a direct call: the method, then the URL."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else qualified_name(ctx, func).rpartition(".")[2]
    return 2 if name.lower() in ("request", *CLIENT_REQUESTS) else 1


def _url_query(ctx, call: cst.Call, params: cst.Arg | None,  # type: ignore[no-untyped-def]
               forward: tuple[str, int] | None) -> str | None:
    """The query the call's URL text holds when the call is not provably a
    requests one (which merges `params=` into it); None otherwise. At a
    helper's call, what every argument but the query holds."""
    if query_merge.merges(ctx, call):
        return None
    if forward is None:
        url = query_merge.url_of(call, _taken(ctx, call))
        urls = [url] if url is not None else []
    else:
        urls = [a.value for a in call.args if a is not params and a.keyword is None and not a.star]
    for url in urls:
        held = query_merge.url_query(ctx, url)
        if held is not None:
            return held
    return None


def _url_at(ctx, call: cst.Call) -> cst.BaseExpression | None:  # type: ignore[no-untyped-def]
    """The URL of a direct call (or a `urllib` one), whose query text can take more keys."""
    if _direct_keyword(ctx, call) is None and not qualified_name(ctx, call.func).startswith("urllib."):
        return None
    return query_merge.url_of(call, _taken(ctx, call))


def _needed(ctx, fixed: dict[str, str], *, count: bool) -> dict[str, str | int]:  # type: ignore[no-untyped-def]
    """The page size (when `count`), then the `fixed` parameters."""
    row = ctx.rules.pagination
    return {**({row.count_param: row.default_count} if count else {}), **fixed}


def _walk(node: cst.CSTNode):  # type: ignore[no-untyped-def]
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _entries(ctx, quote: str, fixed: dict[str, str], *, count: bool) -> str:  # type: ignore[no-untyped-def]
    """The dict entries a call's query gains: the page size (when `count`), then the fixed parameters."""
    row = ctx.rules.pagination
    entries = [f"{quote}{row.count_param}{quote}: {row.default_count}"] if count else []
    entries += [f"{quote}{name}{quote}: {quote}{value}{quote}" for name, value in fixed.items()]
    return ", ".join(entries)


def _add_count(ctx, writer: Writer, call: cst.Call, params: cst.Arg | None, dicts: list[cst.Dict],  # type: ignore[no-untyped-def]
               fixed: dict[str, str], *, count: bool = True) -> Edit | None:
    """The edit that adds the page size (when `count`) and the `fixed` parameters to the call's query."""
    if params is None and not dicts:
        keyword = _direct_keyword(ctx, call)
        if keyword is None:
            if qualified_name(ctx, call.func).startswith("urllib."):
                return _query_count(ctx, writer, call, fixed, count=count)
            return None
        quote = _call_quote(ctx, call)
        last = call.args[-1] if call.args else None
        text = f"{keyword}={{{_entries(ctx, quote, fixed, count=count)}}}"
        if last is None:
            return None
        _, end = writer.outer(last.value)
        return Edit(end, end, f", {text}")
    if len(dicts) != 1:
        return None
    literal = dicts[0]
    quote = _call_quote(ctx, literal)
    entry = _entries(ctx, quote, fixed, count=count)
    if not literal.elements:
        start, end = writer.span(literal)
        return Edit(start + 1, end - 1, entry)
    _, end = writer.outer(literal.elements[-1].value)
    return Edit(end, end, f", {entry}")


def _shared(ctx, scope: Scope, holder: cst.Name) -> bool:  # type: ignore[no-untyped-def]
    """The query dict held in `holder` may reach other code than this call's
    query: its name is read elsewhere (another call, a `return`, a nested
    function), is a parameter, or is the module's (other functions, importers)."""
    name = holder.value
    function = scope.node
    if not isinstance(function, cst.FunctionDef) or name in scope.params or name in scope.rebound:
        return True
    for node in _walk(function.body):
        if not isinstance(node, cst.Name) or node.value != name or node is holder:
            continue
        parent = ctx.parent(node)
        if isinstance(parent, cst.Arg) and parent.keyword is node \
                or isinstance(parent, cst.Attribute) and parent.attr is node:
            continue  # `params=`, `self.params`: not the name
        if isinstance(parent, cst.AssignTarget):
            continue  # `params = {...}`
        if isinstance(parent, cst.Subscript) and parent.value is node \
                and isinstance(ctx.parent(parent), cst.AssignTarget):
            continue  # `params["page_token"] = ...`: a key of this call's query
        return True
    return False


def _at_call(ctx, writer: Writer, holder: cst.Name, dicts: list[cst.Dict],  # type: ignore[no-untyped-def]
             fixed: dict[str, str], *, count: bool) -> Edit:
    """`params` → `{**params, "type": "LIVE"}`: the page size (when `count`) and
    the `fixed` parameters added for this call only, the dict left as it is."""
    quote = _call_quote(ctx, dicts[0]) if dicts else '"'
    start, end = writer.span(holder)
    return Edit(start, end, f"{{**{holder.value}, {_entries(ctx, quote, fixed, count=count)}}}")


def _query_count(ctx, writer: Writer, call: cst.Call, fixed: dict[str, str], *,  # type: ignore[no-untyped-def]
                 count: bool) -> Edit | None:
    """`Request(API + "/sources")`: `?pagination.count=N` (and the `fixed`
    parameters) at the end of the URL's last literal, when the URL is that one
    expression and has no query."""
    from migrator.rewrite.strings import build_chain

    row = ctx.rules.pagination
    positional = [a for a in call.args if a.keyword is None and not a.star]
    url = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "url"), None)
    url = url or (positional[0].value if positional else None)
    if url is None:
        return None
    chain = build_chain(ctx.src, url)
    if chain is None or chain.is_bytes or "?" in chain.template():
        return None
    last = url
    while isinstance(last, cst.BinaryOperation) and isinstance(last.operator, cst.Add):
        last = last.right
    if isinstance(last, cst.BinaryOperation) and isinstance(last.operator, cst.Modulo):
        last = last.left
    if isinstance(last, cst.ConcatenatedString):
        last = last.right
    if not isinstance(last, cst.SimpleString) or "b" in last.prefix.lower():
        return None
    _, end = writer.span(last)
    closing = len(last.quote)
    query = {row.count_param: row.default_count} if count else {}
    return Edit(end - closing, end - closing, "?" + urlencode({**query, **fixed}, safe="."))


def _call_quote(ctx, node: cst.CSTNode) -> str:  # type: ignore[no-untyped-def]
    """The quote of the first string written in `node` (the file's style)."""
    for current in _walk(node):
        if isinstance(current, cst.SimpleString):
            return _quotes(current.value)[1]
        if isinstance(current, cst.FormattedString):
            return _quotes(current.start)[1]
    return '"'
