"""Code that reads the responses of migrated calls (rewrite row
`rewrite.responses`; changes are reported under the envelope and resource
rows).

`responses_flow` proves which values come from a migrated call. Reads of
them (`x["key"]`, `x.get("key", ...)`) get the Public shape, from the table:

- the `data` envelope: a list key of a list response (`config_list_key` →
  `data.<public_list_key>`), a field of a single resource
  (`data.<public_key>.<field>`);
- field names from the resource row's `fields` (`display_name` → `name`,
  `write_keys` → `writeKeys`); a field whose value changes (`transform =
  "segment"`: `name` → `slug`) only where the code takes the Config name
  apart (`x["name"].split("/")[-1]`, `.replace("workspaces/acme/sources/",
  "")`), or uses it as a sort key of one list;
- the next-page token (`next_page_token` → `data.pagination.next`, absent or
  null at the end; see `pagination`).
- literals compared with an enum-valued field (`a["type"] ==
  "whitelist_fields"` → `"ALLOW_PROPERTIES"`; see `responses_enums`, which
  also marks its other uses).

Dropped fields, fields whose value changes, keys the table does not know
and Config-looking fields read off values whose origin is not proven are
marked. Quotes follow the key's own quotes; nothing else changes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import libcst as cst

from migrator.rewrite import (
    fixtures_given, joins, pagination, responses_enums, responses_escapes, responses_held, responses_imported,
    responses_instances, responses_keys, responses_registry, responses_settings, responses_taken, responses_tied,
    responses_typed, responses_uses,
)
from migrator.rewrite.context import FileContext, PendingMarker, Recorded
from migrator.rewrite.edits import Edit, apply
from migrator.rewrite.clients import callee_name, param_names
from migrator.imports import links_public
from migrator.rewrite.known_names import config_fields, config_list_keys, linked_fields
from migrator.rewrite.mock_doubles import PAYLOAD_KEYWORDS, TEXT_KEYWORDS
from migrator.rewrite.responses_flow import (
    DECORATED,
    DOC,
    INDEX,
    ITEM,
    LIST,
    LOCAL,
    OWN,
    PAGES,
    PARTS,
    RAW,
    REQ,
    RESP,
    SUB,
    TAKEN_PARTLY,
    Flow,
    Shape,
    Read,
    Scope,
    as_read,
    one_parent,
    plain_decoding,
    proven,
    sorted_items,
)
from migrator.rewrite.strings import Chain
from migrator.rewrite.table import table_for
from migrator.ruleset import RuleSet
from migrator.ruleset.models import FieldMap, ResourceRow

ROW = "rewrite.responses"
HEDGES = frozenset({"unproven", "linked", "linked-list", "held", "registry-unseen"})
"""The messages saying what a read may be ("if it comes from a migrated call"), not what it is; and
"held", which says what it will be once its call moves: none replaces what a run before said."""
SEVERAL = ("only its last segment, and these items may come from the answers of several URLs, whose names differ before it: "
           "sorted by it, they come in another order")
DEFAULTS = {
    "unproven": "`{key}` looks like a Config API field read off a value whose origin this rewrite "
    "cannot prove: if it comes from a migrated call, read the Public field instead ({hint})",
    "held": "`{key}` is read off the response of a call this rewrite leaves on the Config API, where it is "
    "right as it is: when that call moves to the Public API, read the Public field instead ({hint})",
    "linked": "`{key}` looks like a Config API field, and {why}: if the value comes from that API, "
    "read the Public field instead ({hint})",
    "nested": "`{key}` is read off an item of `{list}`, a list inside a Config resource (the item is no resource "
    "itself), whose origin this rewrite cannot prove: {hints}; adapt this read by hand",
    "dropped": "`{key}` cannot be read from the Public API ({reason}): remove this read or get the value elsewhere",
    "changed": "the Public field `{to}` is not the Config `{key}` ({why}): adapt this use by hand",
    "unknown": "`{key}` is not a field of the Config {kind} in the table: check this read by hand",
    "error-message": "`{key}` is the message of a Config error body ({shape}, rule `{row}`), not a field of the "
    "Public {kind}: if this is the answer of a failed call, read `{errors}[0].{message}` of the Public error body "
    "instead; adapt this read by hand",
    "error-code": "`{key}` is the gRPC code of a Config error body ({shape}, rule `{row}`), not a field of the "
    "Public {kind}: a Public error has none; if this is the answer of a failed call, use the HTTP status instead "
    "(the response's status code, or `{errors}[0].{status}` of the Public error body: {codes}); adapt this use by hand",
    "error-extra": "`{key}` is part of a Config error body ({shape}, rule `{row}`), not a field of the Public "
    "{kind}: a Public error has no such part; adapt this read by hand",
    "counterparts": "the Config `{key}` (`{parse}`) has no one Public field: {fields}: adapt this use by hand",
    "moved": "a Public {kind} does not hold its `{key}`: they are a resource of their own, read with "
    "`GET {path}` (`{data}.{to}`, a list of rules{shape}): rewrite this use by hand",
    "whole": "{what} is handed to `{callee}` whole: it now has the Public shape "
    "(`data` envelope, Public field names); check what `{callee}` does with it",
    "unmapped": "`{key}` is read off the answer of `{endpoint}`, whose shape the table does not map "
    "(see `{row}` in `migrator rules`): adapt this read to the Public answer by hand",
    "linked-list": "`{key}` looks like the list of a Config API response, and {why}: if the value is a "
    "whole response from that API, the list is now {hint}",
    "opaque": "`{key}` is read off what a migrated call gives back through a helper this rewrite "
    "does not see into: the response now has the Public shape (`data` envelope, Public field names); "
    "adapt this read by hand",
    "stored": "{what} is stored in `{target}`, whose reads this rewrite does not follow: it now has the "
    "Public shape (`data` envelope, Public field names); migrate its reads by hand",
    "listed": "{what} is put in a {display} here, whose items this rewrite does not follow: it now has the "
    "Public shape (`data` envelope, Public field names); check the uses of it by hand",
    "contained": "{what} is {put} here in a {container}, whose {items} this rewrite does not follow: it now has "
    "the Public shape (`data` envelope, Public field names); code that gets it from this {container} ({use}) "
    "must change too",
    "enclosed": "`{key}` is read off `{name}`, which the enclosing function binds to {what}: it now has the "
    "Public shape (`data` envelope, Public field names), and reads in a nested function are not rewritten; "
    "migrate this read by hand",
    "partly": "`{key}` is read off `{name}`, which holds {what} on one path here and another value on "
    "another: the response now has the Public shape (`data` envelope, Public field names), the other value "
    "does not; migrate these reads by hand",
    "partly-taken-paths": "`{key}` is read off what `{name}()` gives back, and `{name}` holds `{method}`, which "
    "gives back {what}, on one path here and another value on another: the response now has the Public shape "
    "(`data` envelope, Public field names), the other value may not; migrate these reads by hand",
    "partly-taken-nested": "`{key}` is read off what `{name}()` gives back, and `{name}` holds `{method}`, which "
    "gives back {what}, but a nested function binds `{name}` again (`global`, `nonlocal`): the response now has "
    "the Public shape (`data` envelope, Public field names), the other value may not; migrate these reads by hand",
    "unfollowed": "{keys} read here off {what}, which `{function}` gets through {calls}; this rewrite leaves "
    "the reads in `{function}` as they are (other calls may pass other values): change `{before}` to `{after}` "
    "by hand, or give such callers a function of their own",
    "unfollowed-others": "{keys} read here off {what}, which `{function}` gets through {calls}, {others}; this "
    "rewrite leaves the reads in `{function}` as they are: do not change them in place (`{before}` to `{after}` "
    "fits the values of {calls}, and is not proven to fit those of {other_calls}): have {calls} use a separate "
    "function that reads `{after}`",
    "sent": "{what} is handed to `{callee}`, which this rewrite does not follow: what it gives back "
    "may hold a response in the Public shape (`data` envelope, Public field names); check its uses by hand",
    "handed": "`{name}` gives back {what}, now in the Public shape (`data` envelope, Public field names), "
    "and this rewrite does not follow it from here: migrate the reads of what it gives back by hand",
    "handed-methods": "`{name}` has functions or methods that give back migrated responses, now in the Public "
    "shape (`data` envelope, Public field names), and this rewrite does not follow them from here: migrate the "
    "reads of what they give back by hand, and give any fake put in their place the Public shape",
    "fixture-unproven": "`{name}` is a fixture of {where} that may give an instance whose methods give "
    "back migrated responses, now in the Public shape (`data` envelope, Public field names), and this rewrite "
    "cannot prove what it gives: migrate the reads of what its methods give back here by hand",
    "fixture-unproven-response": "`{name}` is a fixture of {where} that may give the response of a migrated call "
    "(or a part of it), now in the Public shape (`data` envelope, Public field names), and this rewrite cannot "
    "prove what it gives: migrate the reads of it here by hand",
    "fixture-generated": "`{name}` is a fixture of {where} that gives {what}, now in the Public shape (`data` "
    "envelope, Public field names), but {hook} `pytest_generate_tests` hook may give the test another value "
    "in its place, so this rewrite does not follow it: migrate the reads of it here by hand",
    "fixture-unfollowed": "`{name}` is a fixture of {where} that gives {what}, now in the Public shape (`data` "
    "envelope, Public field names), and this rewrite follows `request.getfixturevalue` only in the body of a test "
    "or fixture, not here: migrate the reads of what it gives here by hand",
    "fixture-any": "`{call}` asks pytest for a fixture by a name this rewrite cannot read, and a fixture of "
    "{where} gives {what}, now in the Public shape (`data` envelope, Public field names): migrate the reads of "
    "what it gives here by hand",
    "fixture-among": "`{call}` asks pytest for the fixture `{param}` names, one of {names} (the test's "
    "parametrize values), and {given}, now in the Public shape (`data` envelope, Public field names): migrate "
    "the reads of what it gives here by hand",
    "unsure-url": "the URL of this call is a migrated Config path on one path of the code and another URL on "
    "another: what it answers cannot be followed (the Public responses differ, list calls need a page size): "
    "migrate its query and the reads of its response by hand",
    "mixed": "`{name}` gives back the response of a migrated call here, now in the Public shape (`data` envelope, "
    "Public field names), and another value elsewhere: what its callers read cannot be followed; give both the "
    "same shape, or migrate the reads of what it gives back by hand",
    "mixed-made": "`{name}` gives back an instance of `{made}` here, whose methods give back migrated responses, "
    "now in the Public shape (`data` envelope, Public field names), and another value elsewhere: what its callers "
    "read off it cannot be followed; give both the same shape, or migrate the reads of what they give back by hand",
    "decorated": "`@{name}` is given `{function}`, which gives back {what}, now in the Public shape (`data` "
    "envelope, Public field names), and this rewrite does not follow what `{name}` does with it: check it by hand",
    "typed": "`{name}` ({line}) declares Config fields, {fields}, and types {what} here, now in the "
    "Public shape (`data` envelope, Public field names): give `{name}` the Public shape, or type this value "
    "otherwise",
    "decorated-library": "`@{name}` is given `{function}`, which gives back {what}, now in the Public shape "
    "(`data` envelope, Public field names), and this rewrite does not follow what `{name}` does with it (a web "
    "route answers with it: the service's own answers change shape): check it by hand",
    "decorated-unknown": "`@{name}` is given `{function}`, which gives back {what}, now in the Public shape "
    "(`data` envelope, Public field names), and this rewrite does not know what `{name}` does with it (it may "
    "change what a call of `{function}` gives back, or hand the value to other code): check it by hand",
    "registered": "`{key}` is read off what a function looked up in `{registry}` gives back, which this rewrite "
    "does not follow; `{functions}`, put there, give back migrated calls' answers (or parts of them), now in the "
    "Public shape (`data` envelope, Public field names): adapt this read by hand",
    "registry-unseen": "`{key}` is read off what a function looked up in `{registry}` gives back, which this "
    "rewrite cannot read; functions of this file give back migrated calls' answers (or parts of them), now in the "
    "Public shape (`data` envelope, Public field names): if this is one of them, adapt this read by hand",
    "decorated-read": "`{key}` is read off what a call of `{function}` gives back through `@{name}`, which this "
    "rewrite does not follow and which may change what the call gives back; `{function}` itself gives back a "
    "migrated call's response (or a part of it), now in the Public shape (`data` envelope, Public field names): "
    "adapt this read by hand",
    "managed": "`{function}` is a context manager (`@{name}`) that yields {what}, now in the Public shape "
    "(`data` envelope, Public field names), to the `with` statements that enter it; this rewrite does not follow "
    "what they bind here (a method, another use of it, not one value on every path): migrate the reads of it by "
    "hand",
    "managed-here": "`{function}` is a context manager (`@{name}`) that yields {what}, now in the Public shape "
    "(`data` envelope, Public field names), to the `with` statements that enter it; this rewrite follows those of "
    "this file, not those of other modules: migrate the reads of what they bind there by hand",
    "command-taken": "`@{name}` makes `{function}` a command that gives back {what}, now in the Public shape "
    "(`data` envelope, Public field names), and this file may take that value (`standalone_mode=False`, a "
    "`result_callback`, another use of `{function}`): check those uses by hand",
    "rebound": "`{name}` may be `{spec}`, whose responses are migrated to the Public shape (`data` envelope, "
    "Public field names), but this file binds the name to something else too, so this rewrite does not follow "
    "what it gives back here: migrate the reads of it by hand",
    "answer": "this fake HTTP answer has the Config shape, but the code under test reads it as a Public API "
    "response now (`data` envelope, Public field names): give it the Public shape",
    "patched-methods": "a fake is put in place of `{name}`, whose methods give back migrated responses, now in "
    "the Public shape (`data` envelope, Public field names), to the code that calls them: give the fake's methods "
    "the Public shape",
    "patched": "a fake is put in place of `{name}`, which gives back {what}, now in the Public shape "
    "(`data` envelope, Public field names), to the code that calls it: give the fake the Public shape",
}
SAFE_CALLEES = frozenset(
    {"len", "sorted", "list", "reversed", "enumerate", "bool", "iter", "next", "min", "max", "any", "all",
     "sum", "isinstance", "id", "type", "extend", "append", "sort"}
)
"""Calls a response (or a part of it) can be handed to without its shape mattering."""
WHOLE_USES = (cst.Comparison, cst.Call, cst.Subscript, cst.For, cst.CompFor, cst.StarredDictElement, cst.Match,
              cst.IfExp, cst.BooleanOperation, cst.BinaryOperation, cst.UnaryOperation, cst.If, cst.While, cst.Assert,
              cst.CompIf)
"""Nodes that may use a response as a whole dict (`responses_uses.whole_use`)."""
QUOTED_KEY = re.compile(r"""["']([A-Za-z_][\w.]*)["']""")
"""Keys a key function names (`itemgetter("display_name")`)."""
PINNING = frozenset({*PAYLOAD_KEYWORDS, *TEXT_KEYWORDS, "return_value"})
"""Keywords (and attributes) that give a test double the response it returns."""

class ResponsesKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Chain) -> bool:
        return False

    def finish(self, ctx: FileContext) -> None:
        origins = _origins(ctx)
        if not origins and ctx.linked is None and not ctx.returns and not _calls_config(ctx):
            return
        sizes = (len(ctx.edits), len(ctx.changes), len(ctx.markers))
        try:
            self._run(ctx, origins)
        except RecursionError:
            # a file too deeply nested to follow: leave its responses to a person
            del ctx.edits[sizes[0]:], ctx.changes[sizes[1]:], ctx.markers[sizes[2]:]
            ctx.note(f"{ROW}: the responses of the migrated calls in this file could not be followed "
                     "(too deeply nested); check the code that reads them by hand")

    def _run(self, ctx: FileContext, origins: dict[int, str]) -> None:
        flow = responses_enums.EnumFlow(ctx, origins)
        scopes = flow.run()
        exported = flow.exports()
        ctx.exports.update(exported)
        ctx.exports.update(fixtures_given.exports(flow, ctx.exports))
        writer = Writer(ctx, flow)
        writer.promoted = {id(s.node) for s in scopes if not s.base}
        writer.written = responses_uses.writes(writer, scopes)
        for name in [n for n, shape in ctx.exports.items() if responses_uses.written_into(writer.written, shape)]:
            del ctx.exports[name]  # the code writes into it (`src["display_name"] = ...`): what others get is mixed
        for scope in scopes:
            writer.scope(scope)
        writer.unfollowed(scopes)
        writer.taken_apart()
        responses_imported.mark_decorated(writer, ROW)
        responses_typed.mark_returns(writer)
        responses_typed.mark_params(writer)
        responses_imported.mark_mixed(writer, ROW)
        responses_instances.mark_handed(writer, ROW, responses_instances.given_here(writer, exported))
        responses_taken.mark_taken(writer, ROW)
        for call in dict.fromkeys(flow.unsure_calls):
            writer.mark(ROW, call, writer.message("unsure-url"))
        fixtures_given.mark_unproven(writer, ROW)
        if ctx.returns:
            responses_imported.mark_unfollowed(writer, ROW)
            responses_imported.mark_http_answers(writer, ROW)
            ctx.passes.update(responses_imported.passes(ctx))
        pagination.apply(ctx, flow, writer, scopes)


def _given_back(ctx: FileContext, display: cst.List | cst.Tuple | cst.Set) -> str | None:
    """`return` or `yield` when the display is (in) what a function gives back
    (`return [keep, rest]`, `return body, 1`): its callers get the items
    without the flow following them."""
    parent = ctx.parent(display)
    while isinstance(parent, (cst.Element, cst.List, cst.Tuple, cst.Set)):
        parent = ctx.parent(parent)
    if isinstance(parent, cst.Return):
        return "return"
    return "yield" if isinstance(parent, cst.Yield) else None


WHOLE = (RESP, DOC, RAW, PAGES)
"""Whole responses: given back in a display, every read of them by the callers changes (`data` envelope)."""


def _bound(ctx: FileContext, display: cst.Tuple) -> str | None:
    """`bound to `pair``, `stored in `self.pair``: how an assignment keeps
    a tuple whole (`pair = (body, 1)`), or None when it is none or unpacks
    it (`a, b = r1.json(), r2.json()`, each name then followed)."""
    parent = ctx.parent(display)
    if isinstance(parent, cst.Assign) and parent.value is display:
        kept = [t.target for t in parent.targets if not isinstance(t.target, (cst.Tuple, cst.List))
                or len(t.target.elements) != len(display.elements)]
    elif isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.value is display:
        kept = [parent.target]
    else:
        return None
    if not kept:
        return None
    target = ctx.src.code(kept[0]) or "a name"
    return f"bound to `{target}`" if isinstance(kept[0], cst.Name) else f"stored in `{target}`"


def _iterated(ctx: FileContext, display: cst.Tuple) -> bool:
    """A tuple looped over or handed to a call (`for r in (r1, r2)`,
    `asyncio.wait((a, b))`), not one that only groups values (`return a, b`,
    `(k, d) for d in items`, `a, b = x, y`)."""
    parent = ctx.parent(display)
    return isinstance(parent, cst.Arg) or isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is display


def _target(ctx: FileContext, display: cst.List | cst.Tuple | cst.Set) -> bool:
    """The display is (in) what an assignment, a loop or a `with` binds (`a, b = ...`, `for k, v in ...`)."""
    node: cst.CSTNode = display
    parent = ctx.parent(node)
    while isinstance(parent, (cst.Element, cst.StarredElement, cst.List, cst.Tuple)):
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, (cst.AssignTarget, cst.AsName, cst.Del)):
        return True
    return isinstance(parent, (cst.For, cst.CompFor, cst.AugAssign, cst.AnnAssign)) and parent.target is node


_SEPARATORS: WeakKeyDictionary[RuleSet, frozenset[str]] = WeakKeyDictionary()


def setting_separators(rules: RuleSet) -> frozenset[str]:
    """What a destination setting's Config name holds before its key, for
    every `config-settings` field of the table (`/`, `/config/`)."""
    found = _SEPARATORS.get(rules)
    if found is None:
        found = _SEPARATORS[rules] = frozenset(
            text
            for resource in rules.resources.values()
            for fmap in resource.fields.values()
            if fmap.transform == "config-settings"
            for text in responses_settings.separators(fmap)
        )
    return found


CALL_ROWS = frozenset(
    {"host.base-url", "rewrite.hosts", "rewrite.paths", "rewrite.partial-path", "rewrite.call-templates",
     "rewrite.rebased-joins"}
)
"""Rows whose changes or markers say the file calls the Config API itself."""


def _calls_config(ctx: FileContext) -> bool:
    """The file builds Config API URLs, migrated or marked: with no migrated
    endpoint to follow, its Config-looking reads are still marked."""
    endpoint_ids = {e.id for e in ctx.rules.endpoints}
    return any(
        r.rule in CALL_ROWS or r.rule in endpoint_ids
        for r in (*ctx.changes, *ctx.markers)
    )


def _origins(ctx: FileContext) -> dict[int, str]:
    """Migrated URL expressions (changes of the paths kind under an endpoint row,
    and those that needed none: `joins.unchanged`)."""
    endpoint_ids = {e.id for e in ctx.rules.endpoints}
    wanted: dict[tuple[int, int], str] = {}
    text = ctx.src.text
    for c in ctx.changes:
        if c.rule not in endpoint_ids:
            continue
        start, end = c.start, c.end
        # a parenthesized chain: the span of the expression inside
        while start < end and (text[start] in "( \t\r\n\\") and text[end - 1] in ") \t\r\n\\":
            wanted[(start, end)] = c.rule
            start, end = start + 1, end - 1
            while start < end and text[start] in " \t\r\n\\":
                start += 1
            while start < end and text[end - 1] in " \t\r\n\\":
                end -= 1
        wanted[(start, end)] = c.rule
    found = joins.origins(ctx)  # those whose text needed no edit
    if not ctx.changes:
        return found
    for root in ctx.index.roots:
        span = ctx.src.span(root)
        if span is not None and span in wanted:
            found[id(root)] = wanted[span]
    from migrator.rewrite import calls

    found.update(calls.origins(ctx))  # templates filled in at the call
    unchanged_urls(ctx, found)
    return found


def unchanged_urls(ctx: FileContext, found: dict[int, str]) -> None:
    """URLs that needed no edit: a migrated Config base (a name) followed by a
    path that is the same in both APIs (`API + "/catalog/destinations"`)."""
    from migrator.rewrite import clients, paths
    from migrator.rewrite.strings import build_chain, is_hole_char

    table = table_for(ctx.rules)
    host_rows = {h.row.id for h in table.hosts}
    if not any(c.rule in host_rows for c in ctx.changes):
        return
    marked = {m.offset for m in ctx.markers}
    changed = [(c.start, c.end) for c in ctx.changes]
    prefix = "/" + table.version
    for root in ctx.index.interesting:
        span = ctx.src.span(root)
        if id(root) in found or span is None or span[0] in marked:
            continue
        if any(a < span[1] and span[0] < b for a, b in changed):
            continue
        chain = build_chain(ctx.src, root)
        if chain is None or chain.is_bytes:
            continue
        reading = paths.read(chain, table)
        if reading is None or reading.host is not None or reading.had_version:
            continue
        text = chain.template()
        if not text:
            continue
        if reading.prefix_end:
            if not is_hole_char(text[0]) or paths.classify(ctx, paths._hole_expr(ctx, chain, chain.hole(text[0]))) != "config":
                continue
            path = reading.path
        elif not any(is_hole_char(c) for c in text):
            # a path alone, joined to the base elsewhere (a helper's `API + path`,
            # `urljoin(API, path)`, an httpx client's `base_url=`)
            path = text.lstrip("/")
        else:
            continue
        flow = clients.flow(ctx, root)
        if not flow.url or flow.prefix:
            continue
        if not reading.prefix_end:
            bases = [*flow.bases, *(u for c in flow.clients for u in clients.client_base_urls(ctx, c))]
            if not bases or not all(_migrated_base(ctx, b, host_rows) for b in bases):
                continue
        matches = [
            e for e, _ in table.match(path)
            if (flow.method is None or e.method == flow.method)
            and e.row.public is not None and not e.row.ids
            and e.row.public.split(" ", 1)[1] == e.row.config.split(" ", 1)[1][len(prefix):]
        ]
        if len(matches) == 1 and (flow.method is not None or matches[0].method == "GET"):
            found[id(root)] = matches[0].row.id


def _migrated_base(ctx: FileContext, base: cst.BaseExpression, host_rows: set[str]) -> bool:
    """A name (or attribute) whose values are all Config bases this run migrated."""
    from migrator.rewrite import clients, joins

    migrated = joins.state(ctx).migrated
    values = [base] if id(base) in migrated else clients.resolve(ctx, base)
    return bool(values) and all(
        (record := migrated.get(id(v))) is not None and bool(record.recorded) and record.recorded[0].rule in host_rows
        for v in values
    )


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def quote_of(text: str) -> tuple[str, str]:
    """Opening (prefix + quote) and closing quote of a string token."""
    for i, char in enumerate(text):
        if char in "'\"":
            return text[: i + 1], char
    return '"', '"'


@dataclass
class Dry:
    """A function `Writer.unfollowed` walks: its reads are marked with what
    the rewrite would make of them, not edited."""

    function: str
    calls: str
    """The calls that pass what it is walked with (`the call on line N`)."""
    others: str | None = None
    """What the other calls of the file pass it, and through which calls (`Writer._calls_of`), or None."""
    other_calls: str = ""
    """Those calls alone (`the calls on lines 21 and 25`)."""
    start: int = -1
    """Where the read being planned starts: the end of the value it is read off."""
    what: str = ""
    """What that value is (`an item of a migrated call's response`)."""
    key: str | None = None
    """The key read (None: the keys a key function names, in its text)."""


class Writer:
    """Plans and records the edits of reads."""

    row = ROW

    def __init__(self, ctx: FileContext, flow: Flow) -> None:
        self.ctx = ctx
        self.flow = flow
        self.table = table_for(ctx.rules)
        self.done: set[int] = set()
        self.fields = config_fields(ctx.rules)
        if ctx.linked is not None:  # (a linked file marks a read of a destination's `config` too)
            self.fields = {**self.fields, **linked_fields(ctx.rules)}
        self.lists = config_list_keys(ctx.rules)
        self.replaced = sorted((e.start, e.end) for e in ctx.edits if e.start < e.end)
        """Spans other kinds replaced (reads inside them are theirs), in order;
        edits taken never overlap."""
        self._replaced_starts = [start for start, _ in self.replaced]
        self.written: dict[tuple[responses_uses.Family, str | None], str] = {}
        """What the code writes into responses (`responses_uses.writes`)."""
        self.promoted: set[int] = set()
        """Functions of the file analysed with the arguments their calls pass (`Flow._promoted`)."""
        self.apart: dict[int, tuple[Read, str]] = {}
        """Config names taken apart off values of unknown origin, in a file of Config
        calls or a linked one, by read, with the marker's reason (see `taken_apart`)."""
        self.unknown: dict[int, list[PendingMarker]] = {}
        """Markers of reads off values of unknown origin, by read."""
        self.traced: set[int] = set()
        """Nodes an `unfollowed` walk marked (`trace`)."""
        self.tied: set[tuple[int, int]] = set()
        """Markers of tied reads (`_tied`, `trace`)."""
        self.dry: Dry | None = None
        """Set while `unfollowed` walks a function: `record` marks instead of editing."""
        self.contained: set[tuple[int, str]] = set()
        """Displays marked by `_contained`, with the message."""
        self.held = responses_held.Held(ctx)
        """Responses of the calls left on the Config API: reads of them are right as they are."""
        self.types = responses_typed.declared(ctx)
        """Classes declaring Config fields, of the file or imported (`responses_typed`)."""
        self.typed: set[int] = set()
        """Annotations marked as typing a migrated value with one of them."""

    def message(self, which: str, **fields: str) -> str:
        if which == "unproven":
            text = self.table.message(ROW, DEFAULTS[which], **fields)
        else:
            text = DEFAULTS[which].format(**fields)
        if which in HEDGES:
            self.ctx.hedged.add(text)
        return text

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        found = self.ctx.src.span(node)
        if found is None:
            raise LookupError
        return found

    def outer(self, node: cst.CSTNode) -> tuple[int, int]:
        """The span of a value read from, with its own parentheses: what is
        added after it goes after them (`(body := r.json())["data"]`)."""
        from migrator.rewrite.strings import outer_span

        found = outer_span(self.ctx.src, node)
        if found is None:
            raise LookupError
        return found

    def record(self, rule: str, outer: cst.CSTNode, edits: list[Edit]) -> bool:
        """Take edits (all or none) unless they collide with edits already taken."""
        ctx = self.ctx
        for edit in edits:
            if ctx.edits.overlaps(edit):
                return False
        if self.dry is not None:
            self._would(outer, edits)
            return True
        if ctx.printed(edits, ROW, outer):
            return False
        start, end = self.span(outer)
        low = min([start, *(e.start for e in edits)])
        high = max([end, *(e.end for e in edits)])
        before = ctx.src.text[low:high]
        ctx.edits.extend(edits)
        ctx.changes.append(Recorded(rule, low, high, before, apply(before, edits, low)))
        return True

    def mark(self, rule: str, node: cst.CSTNode, reason: str) -> None:
        if not self.ctx.suppressed(node, rule):
            self.ctx.mark(rule, node, reason)

    # -- one scope -------------------------------------------------------------

    def scope(self, scope: Scope) -> None:
        for node in scope.nodes:
            self._node(scope, node)

    def _node(self, scope: Scope, node: cst.CSTNode) -> None:
        if type(node) is cst.Arg:
            self._whole(scope, node)  # type: ignore[arg-type]
            return
        if type(node) in (cst.Assign, cst.AnnAssign, cst.AugAssign) and id(node) not in self.done:
            self.done.add(id(node))
            if type(node) is cst.AnnAssign:
                responses_typed.binding(self, scope, node)  # type: ignore[arg-type]
            self._stored(scope, node)  # type: ignore[arg-type]
            return
        if type(node) is cst.Yield:
            responses_escapes.yielded(self, scope, node)  # type: ignore[arg-type]
            return
        if type(node) is cst.Element and id(node) not in self.done:
            self.done.add(id(node))
            self._listed(scope, node)  # type: ignore[arg-type]
            return
        if type(node) is cst.DictElement and id(node) not in self.done:
            self.done.add(id(node))
            self._keyed(scope, node)  # type: ignore[arg-type]
            return
        read = as_read(node)
        if read is None:
            if type(node) in WHOLE_USES and id(node) not in self.done:
                self.done.add(id(node))
                responses_uses.whole_use(self, scope, node)
                if type(node) is cst.Call:
                    responses_escapes.decoded_otherwise(self, scope, node)  # type: ignore[arg-type]
            return
        if id(node) in self.done or self.is_target(node) or self._rewritten(node):
            return
        self.done.add(id(node))
        value = proven(scope.eval(read.value))
        try:
            if self.dry is not None:
                base = self.flow.scopes.get((id(scope.node), ()))  # the function with nothing passed
                if value is None or base is not None and proven(base.eval(read.value)) is not None:
                    return  # read as any value of unknown origin, or rewritten by the function's own analysis
                self.dry.start, self.dry.key = self.outer(read.value)[1], read.name
                self.dry.what = responses_uses.WHAT.get(value.what, "a migrated call's response")
            self.read(scope, read, value)
        except LookupError:
            return

    def unfollowed(self, walked: list[Scope]) -> None:
        """Walk the functions of the file analysed only with what their calls
        pass (not promoted: other callers may pass something else) without
        editing them: what a call passes makes a response there all the same
        (a helper given a migrated URL, `requests.get(url).json()["sources"]`;
        a method given an item). Each read the rewrite would change is
        marked with its change (`Dry`), each whole use and hand-off as
        anywhere; the first binding that marks a node names it, and its
        marker takes the place of one as a value of unknown origin."""
        seen = {id(s) for s in walked}
        done = self.done
        while pending := [s for s in self.flow.scopes.values() if not (
                s.base or id(s) in seen or id(s.node) in self.promoted)]:
            for scope in pending:  # walking one may analyse functions it calls: they come next
                seen.add(id(scope))
                self.dry, self.done = Dry(self._callee(scope), *self._calls_of(scope)), set()
                for node in scope.nodes:
                    if id(node) in self.traced:
                        continue
                    before = len(self.ctx.markers)
                    self.dry.start, self.dry.what, self.dry.key = -1, responses_uses.WHAT[ITEM], None  # a key function's
                    self._node(scope, node)
                    self.trace(node, before)
        self.dry, self.done = None, done

    def of_unknown_origin(self, node: cst.CSTNode, before: int) -> None:
        """The markers made since there are `node`'s as a value of unknown
        origin: `trace` takes them back when a migrated call turns out to give it."""
        if len(self.ctx.markers) > before:
            self.unknown[id(node)] = self.ctx.markers[before:]

    def trace(self, node: cst.CSTNode, before: int) -> None:
        """The markers made since `before`, if any, are `node`'s as a read off
        a value of a migrated call the flow does not follow: about the read
        alone (`taken_apart` does not count them for its statement). An
        `unfollowed` walk's, with the exact change, take the place of the
        ones made before, as a value of unknown origin (made or pending, see
        `taken_apart`) or off a value tied to a call (`_tied`), and no later
        walk marks it again."""
        made = self.ctx.markers[before:]
        self.tied.update((m.statement, m.offset) for m in made)
        if made and self.dry is None:
            self.unknown[id(node)] = made
        elif made:
            self.traced.add(id(node))
            self.apart.pop(id(node), None)
            taken = self.unknown.pop(id(node), [])
            self.ctx.markers[:] = [m for m in self.ctx.markers if all(m is not t for t in taken)]

    def _callee(self, scope: Scope) -> str:
        """`fetch`, `Plan.from_api`: the function `scope` analyses."""
        node = scope.node
        if not isinstance(node, cst.FunctionDef):
            return "this function"
        klass = self.ctx.index.class_of(node)
        return f"{klass.name.value}.{node.name.value}" if klass is not None else node.name.value

    def _calls_of(self, scope: Scope) -> tuple[str, str | None, str]:
        """`the call on line N` (or lines): the calls of the file that pass
        what `scope` is analysed with; what the others pass, and through
        which calls (`_others`), or None; and those calls alone. Methods are
        not tracked by call."""
        node = scope.node
        sites = self.flow.calls_to.get(id(node), {})
        alike = self.flow.reads_as(scope.key)  # the calls whose values are read alike
        calls: list[cst.Call] = []
        shaped: list[cst.Call] = []  # (a part of) another migrated call's response, of another shape
        unproven: list[cst.Call] = []
        for use in self.ctx.index.names.get(node.name.value, []) if isinstance(node, cst.FunctionDef) else []:
            if isinstance(call := self.ctx.parent(use), cst.Call) and call.func is use:
                binding = sites.get(id(call))
                if binding and self.flow.reads_as(binding) == alike:
                    calls.append(call)
                else:
                    (shaped if binding and any(s.endpoint for _, s in binding) else unproven).append(call)
        if not calls:
            return "a call in this file", None, ""
        if not shaped and not unproven:
            return self._named(calls), None, ""
        rest = [*shaped, *unproven]
        apart = rest if self._lines(rest) != self._lines(calls) else []
        return self._named(calls, apart=apart), self._others(calls, shaped, unproven), self._named(calls, rest)

    def _others(self, calls: list[cst.Call], shaped: list[cst.Call], unproven: list[cst.Call]) -> str:
        """What the calls other than `calls` pass, each kind with its calls:
        `and off the responses of other migrated calls, ...`."""
        parts = []
        if shaped:
            what = "the responses of migrated calls" if len(shaped) > 1 else "the response of a migrated call"
            parts.append(f"off {what} of another shape (another resource or form), which it gets through "
                         f"{self._named(calls, shaped, unproven)}")
        if unproven:
            parts.append("off values not proven to be a migrated call's response, which it gets through "
                         f"{self._named(calls, unproven, shaped)}")
        return "and " + ", and ".join(parts)

    def _named(self, calls: list[cst.Call], others: list[cst.Call] | None = None,
               apart: list[cst.Call] | None = None) -> str:
        """`the call on line N` (or lines), of `others` if given: `another
        call on the same line` when they are on the lines of `calls`; a call
        on a line that also holds one of the calls it is told from (`apart`,
        and `calls` for `others`) is named by its text (`line_refs.calls_apart`)."""
        from migrator.rewrite import line_refs

        if others is None:
            return line_refs.calls_apart(self.ctx, calls, apart or [])
        if self._lines(others) == self._lines(calls):  # (their references differ: compare the lines)
            return "another call on the same line" if len(others) == 1 else "other calls on the same lines"
        return line_refs.calls_apart(self.ctx, others, [*calls, *(apart or [])])

    def _lines(self, calls: list[cst.Call]) -> set[int]:
        from migrator.rewrite import line_refs

        return {line_refs.number(self.ctx, c) for c in calls}

    def _would(self, outer: cst.CSTNode, edits: list[Edit]) -> None:
        """Mark what `edits` would make of a read in a function walked by
        `unfollowed`: from the end of the value it is read off."""
        assert self.dry is not None
        text = self.ctx.src.text
        start, end = self.span(outer)
        low = min(e.start for e in edits)
        low = self.dry.start if start <= self.dry.start <= low else min(start, low)
        high = max(end, *(e.end for e in edits))
        before = text[low:high]
        after = apply(before, edits, low)
        shown = [" ".join(t.split()) if "\n" in t else t for t in (before, after)]
        keys = [self.dry.key] if self.dry.key is not None else list(dict.fromkeys(QUOTED_KEY.findall(before)))
        named = " and ".join(f"`{k}`" for k in keys) + (" are" if len(keys) > 1 else " is")
        which = "unfollowed" if self.dry.others is None else "unfollowed-others"
        self.mark(ROW, outer, self.message(which, keys=named, before=shown[0], after=shown[1], what=self.dry.what,
                                           calls=self.dry.calls, function=self.dry.function,
                                           others=self.dry.others or "", other_calls=self.dry.other_calls))

    def _whole(self, scope: Scope, arg: cst.Arg) -> None:
        """A response, a list or an item of it handed whole to code that is not followed."""
        from migrator.rewrite.responses_flow import SUB

        call = self.ctx.parent(arg)
        if not isinstance(call, cst.Call):
            return
        if arg.keyword is not None and arg.keyword.value == "key":
            responses_keys.key_function(self, scope, call, arg)
            return
        if arg.star == "**":
            return  # `f(**s)`: a whole use (`responses_uses.whole_use`), marked as such
        shape = proven(scope.eval(arg.value))
        if shape is None and arg.star != "*":
            self._tied_whole(scope, arg, call)
        if shape is None or shape.what not in (DOC, LIST, ITEM, SUB, RESP, REQ, RAW, PAGES, INDEX):
            return
        name = callee_name(call)
        if shape.what in (RAW, PAGES):
            # its text or bytes, or a generator of its pages: only followed calls read them as the flow does
            if responses_escapes.followed(self, scope, call):
                return
            if shape.what == RAW:
                responses_escapes.body_handed(self, scope, arg, call)
            else:
                self.mark(ROW, arg.value, self.message("whole", what=responses_uses.WHAT[PAGES], callee=name or "a call"))
            return
        if shape.what in (RESP, REQ):
            # a response before decoding, or a request: only what the callee gives back matters
            if name in SAFE_CALLEES or isinstance(self.ctx.parent(call), cst.Expr) or self._followed(scope, call):
                return
            what = "the response of a migrated call" if shape.what == RESP else "a request to a migrated endpoint"
            self.mark(ROW, arg.value, self.message("sent", what=what, callee=name or "a call"))
            return
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        if name in ("extend", "append", "insert") and receiver is not None and self._kept_elsewhere(scope, receiver):
            self.mark(ROW, arg.value, self.message("stored", what=responses_uses.WHAT[shape.what],
                                                   target=self.ctx.src.code(receiver) or "it"))
            return
        if name in SAFE_CALLEES and (shape.what in (LIST, INDEX) or name in responses_uses.DICT_SAFE_CALLEES):
            return  # (an index's keys are what the code made them)
        if self._followed(scope, call):
            return  # its reads are rewritten or marked
        self.mark(ROW, arg.value, self.message("whole", what=responses_uses.WHAT[shape.what], callee=name or "a call"))

    def _tied_whole(self, scope: Scope, arg: cst.Arg, call: cst.Call) -> None:
        """Whole answers of a migrated call the flow does not prove, but that
        `responses_tied` ties to it (`map(get_source, slugs)`, `fut.result()`),
        handed to a call whose value it does not follow: marked, as a response is."""
        name = callee_name(call)
        if responses_tied.passes(self.ctx, call):
            return  # its value is tied in turn (`list(map(...))`)
        tied = responses_tied.tie(scope, arg.value)
        if tied is None or not tied.whole or self.ctx.suppressed(arg.value, ROW):
            return
        if name in SAFE_CALLEES and (tied.many or tied.keyed or name in responses_uses.DICT_SAFE_CALLEES):
            return
        row = self.flow.endpoints.get(tied.endpoint)
        if row is not None:
            self.mark(ROW, arg.value, self.message("whole", what=responses_tied.described(tied, row),
                                                   callee=name or "a call"))

    def _stored(self, scope: Scope, node: cst.Assign | cst.AnnAssign | cst.AugAssign) -> None:
        """A response, or a part of it, stored in an attribute, an item or a
        global (`self.data = resp.json()`, `cache[ws] = ...`, `self.items +=
        ...`, `global DATA`): the reads of it elsewhere are not followed."""
        targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
        stored = next((t for t in targets if isinstance(t, (cst.Attribute, cst.Subscript)) or isinstance(t, cst.Name)
                       and self.ctx.index.declares_global(scope.node, t.value)), None)
        if stored is None or node.value is None:
            return
        shape = proven(scope.eval(node.value))
        if shape is None or shape.what not in (*PARTS, RAW, PAGES, INDEX):
            return
        if type(stored) is cst.Subscript and (index := proven(scope.eval(stored.value))) is not None \
                and index.what == INDEX:
            return  # an item filling an index the flow follows (`Scope._filled`)
        what = responses_uses.WHAT.get(shape.what, "the response of a migrated call")
        self.mark(ROW, node.value, self.message("stored", what=what, target=self.ctx.src.code(stored) or "it"))

    def _listed(self, scope: Scope, element: cst.Element) -> None:
        """A response, or a part of it, written into a list, tuple or set
        display (`asyncio.wait([client.get(url)])`, `for r in [r1, r2]`,
        `for r in (r1, r2)`, `return body, 1`, `pair = (body, 1)`): the flow
        does not follow the items of a display, so their reads would be left
        as they are, unmarked. Not a display that is a target (`a, b = ...`),
        nor a tuple that only groups values (`_iterated`, `_bound`), nor a
        list or item of a response given back."""
        display = self.ctx.parent(element)
        if not isinstance(display, (cst.List, cst.Tuple, cst.Set)) or _target(self.ctx, display):
            return
        kind = {cst.List: "list", cst.Tuple: "tuple", cst.Set: "set"}[type(display)]
        given = _given_back(self.ctx, display)
        bound = None if given is not None or kind != "tuple" else _bound(self.ctx, display)
        if given is None and bound is None and kind == "tuple" and not _iterated(self.ctx, display):
            return
        shape = proven(scope.eval(element.value))
        if shape is None or shape.what not in (*PARTS, RAW, PAGES, INDEX):
            return
        if given is not None and shape.what not in WHOLE:
            return  # a list or item of it given back: its callers' business (the note on the file)
        what = responses_uses.WHAT.get(shape.what, "the response of a migrated call")
        if given is None and bound is None:
            self.mark(ROW, element.value, self.message("listed", what=what, display=kind))
            return
        put, use = ("returned", f"the callers of `{self._callee(scope)}`") if given == "return" \
            else ("yielded", f"what `{self._callee(scope)}` yields") if given is not None else ("put", bound)
        self._contained(display, element.value, self.message("contained", what=what, put=put, container=kind,
                                                             items="items", use=use))

    def _keyed(self, scope: Scope, element: cst.DictElement) -> None:
        """A response, or a part of it, written as a value of a dict display
        (`{"sources": r.json(), "ok": True}`): reads off the dict by a key it
        was written with are what the code wrote itself (`read`), so those of
        the response are left as they are, unmarked."""
        shape = proven(scope.eval(element.value))
        if shape is None or shape.what not in (*PARTS, RAW, PAGES, INDEX):
            return
        what = responses_uses.WHAT.get(shape.what, "the response of a migrated call")
        key = self.ctx.src.code(element.key) or "a key"
        self._contained(self.ctx.parent(element), element.value, self.message(
            "contained", what=what, put="put", container="dict", items="values", use=f"its value of `{key}`"))

    def _contained(self, display: cst.CSTNode | None, value: cst.BaseExpression, reason: str) -> None:
        """Mark `value` once per display and message (`return [a, a]`)."""
        if (id(display), reason) not in self.contained:
            self.contained.add((id(display), reason))
            self.mark(ROW, value, reason)

    def _kept_elsewhere(self, scope: Scope, holder: cst.BaseExpression) -> bool:
        """A list other functions read: an attribute, an item, or a module
        name the function fills without binding it (`ALL.extend(...)`)."""
        if isinstance(holder, (cst.Attribute, cst.Subscript)):
            return True
        index = self.ctx.index
        return (
            isinstance(holder, cst.Name) and isinstance(scope.node, cst.FunctionDef)
            and bool(index.assignments.get((self.ctx.src.module, holder.value)))
            and not index.assignments.get((scope.node, holder.value))
            and holder.value not in param_names(scope.node.params)
        )

    def taken_apart(self) -> None:
        """Mark the names taken apart off values of unknown origin
        (`resource["name"].split("/")[-1]` in a helper given resources): the
        Public `name` is another field. Not those another read rewrote (a
        setting's key, once its loop walks the Public map) or that sit in a
        statement this kind marked (the loop over Config settings)."""
        ctx = self.ctx
        marked = [(m.statement, m.offset) for m in ctx.markers if m.rule == ROW
                  and (m.statement, m.offset) not in self.tied]
        for read, reason in self.apart.values():
            _, key_start = self.outer(read.value)
            _, end = self.span(read.node)
            if ctx.edits.overlaps(Edit(key_start, end, "")):
                continue  # the read itself was replaced (not only something in the value it is read off)
            node: cst.CSTNode | None = read.node
            covered = False
            while node is not None and not isinstance(node, (cst.FunctionDef, cst.Module)):
                if isinstance(node, cst.BaseCompoundStatement):
                    span = ctx.src.span(node)
                    covered = span is not None and any(at == span[0] for at, _ in marked)
                    if covered:
                        break
                node = ctx.parent(node)
            if not covered:
                self.mark(ROW, read.node, reason)

    def _tied(self, scope: Scope, read: Read) -> str | None:
        """The marker of a read off a value the flow does not prove but that
        comes from a migrated call of this file (`responses_tied`), from the
        rows of that call's resource; None when there is none to give."""
        if self.ctx.suppressed(read.node, ROW):
            return None
        tied = responses_tied.tie(scope, read.value)
        if tied is None and type(read.value) is cst.Call \
                and (found := responses_registry.looked_up(scope, read.value)) is not None:
            # several endpoints, or lists or items of answers
            return self.message("registered", key=read.name, registry=found.registry,
                                functions="`, `".join(found.functions))
        if tied is None and type(read.value) is cst.Call and (read.name in self.fields or read.name in self.lists) \
                and (lookup := responses_registry.unseen(scope, read.value)) is not None:
            # a registry this rewrite cannot read (a class's, another module's)
            return self.message("registry-unseen", key=read.name, registry=lookup)
        row = self.flow.endpoints.get(tied.endpoint) if tied is not None else None
        resource = self.flow.resource_of(tied.endpoint) if tied is not None else None
        if tied is None or row is None or resource is None:
            return None
        fm = resource.fields.get(read.name)
        if fm is None and not row.list_response:  # a key the row does not list: under the envelope all the same
            return responses_tied.elsewhere(row, resource, self.ctx.rules.envelope, read, tied)
        apart = self._taken_apart(read, fm) if fm is not None else None
        return responses_tied.reason(row, resource, self.ctx.rules.envelope, read, tied,
                                     ".".join(apart[1]) if apart else None)

    def _segment_elsewhere(self, read: Read) -> str | None:
        """In a file that imports a Segment client of another module, or
        that calls the Config API itself: the Public field a Config value
        taken apart (`["name"].split("/")[-1]`; in a linked file, also a sort
        key) stands for, as a marker hint; None when it is no such read."""
        linked = self.ctx.linked
        if (linked is not None and links_public(linked)) or self.ctx.suppressed(read.node, ROW):
            return None
        found: dict[str, list[str]] = {}
        for resource in self.ctx.rules.resources.values():
            fm = resource.fields.get(read.name)
            apart = self._taken_apart(read, fm) if fm is not None else None
            if apart is not None and linked is None and apart[0] is read.node:
                continue  # a sort key of values of unknown origin: the order may change, nothing breaks
            if apart is not None:
                found.setdefault(f"`{'.'.join(apart[1])}`", []).append(resource.kind)
        if len(found) <= 1:
            return next(iter(found), None)
        return "; ".join(f"{text} for a {', '.join(kinds)}" for text, kinds in found.items())

    def _list_elsewhere(self, read: Read) -> bool:
        """A Config list key read, in a file that imports a Segment client of
        another module (not one on the Public API itself), off a value that is
        not already a Public `data` envelope."""
        linked = self.ctx.linked
        if linked is None or links_public(linked) or read.name not in self.lists:
            return False
        inner = as_read(read.value)
        if inner is not None and inner.name == self.ctx.rules.envelope.data_key:
            return False
        return not self.ctx.suppressed(read.node, ROW)

    def _followed(self, scope: Scope, call: cst.Call) -> bool:
        """A call the flow reads the value of (`session.send(request)`), or
        a function or method of this file, which it follows."""
        if proven(scope.eval(call)) is not None:
            return True
        func = call.func
        if isinstance(func, cst.Name) and func.value in self.flow.functions:
            return True
        return isinstance(func, cst.Attribute) and scope._method(func) is not None

    def _written(self, shape: Shape, key: str) -> tuple[str, str | None] | None:
        """Where the code writes `key` (or any key: None) into values of `shape`."""
        if not self.written or shape.what not in responses_uses.DICTS:
            return None
        if shape.what != DOC:  # a field kept as it is reads what the write left
            resource = self.flow.resources.get(shape.kind or "")
            path = f"{shape.path}.{key}" if shape.what == SUB else key
            fm = resource.fields.get(path) if resource is not None else None
            if fm is not None and fm.to == path and fm.transform == "copy" and not fm.enum and fm.when != "request":
                return None
        fam = responses_uses.family(shape)
        for which in (key, None):
            line = self.written.get((fam, which))
            if line is not None:
                return line, which
        return None

    def _pinned(self, value: cst.BaseExpression) -> bool:
        """A name also handed to a test double as its response (`json=WEB`,
        `body=json.dumps(WEB)`, `return_value=WEB`): a Config payload."""
        if type(value) is not cst.Name:
            return False
        ctx = self.ctx
        for use in ctx.index.names.get(value.value, ()):
            parent = ctx.parent(use)
            if type(parent) is cst.Arg and parent.keyword is None:
                call = ctx.parent(parent)
                if type(call) is cst.Call and callee_name(call) == "dumps":
                    parent = ctx.parent(call)
            if type(parent) is cst.Arg and parent.keyword is not None and parent.keyword.value in PINNING:
                return True
            if type(parent) is cst.Assign and any(
                type(t.target) is cst.Attribute and t.target.attr.value in PINNING for t in parent.targets
            ):
                return True
        return False

    def _rewritten(self, node: cst.CSTNode) -> bool:
        """Inside text another kind already replaced (a created resource's
        name turned into its Public path, see `responses_created`)."""
        span = self.ctx.src.span(node)
        if span is None:
            return False
        i = bisect_right(self._replaced_starts, span[0]) - 1
        return i >= 0 and span[1] <= self.replaced[i][1]

    def is_target(self, node: cst.CSTNode) -> bool:
        parent = self.ctx.parent(node)
        if isinstance(parent, (cst.AssignTarget, cst.Del)):
            return True
        if isinstance(parent, (cst.AugAssign, cst.AnnAssign)) and parent.target is node:
            return True
        return False

    def read(self, scope: Scope, read: Read, value: object) -> None:
        shape = value if isinstance(value, Shape) else None
        if shape is not None and shape.what == LOCAL:
            return  # the program's own data (a config file, CSV rows)
        if shape is not None and shape.what == DECORATED:
            self.mark(ROW, read.node, self.message("decorated-read", key=read.name, function=shape.kind or "it",
                                                    name=shape.path or "the decorator"))
            return
        if shape is not None and shape.what == TAKEN_PARTLY:
            where = "nested" if "nested" in shape.keys else "paths"
            what = next((responses_uses.WHAT[k] for k in sorted(shape.keys) if k in responses_uses.WHAT),
                        responses_uses.WHAT[DOC])
            self.mark(ROW, read.node, self.message(f"partly-taken-{where}", key=read.name, name=shape.kind or "it",
                                                    method=shape.path or "a method", what=what))
            return
        if shape is not None and shape.what == INDEX:
            if read.is_get:
                responses_uses.looked_up(self, scope, read.node)  # type: ignore[arg-type]
            return  # an item looked up by its key, which the code made
        if shape is not None and shape.what == OWN:
            if read.name in shape.keys and not self._pinned(read.value):
                return  # what the code wrote itself
            shape = None
        if shape is None and _schema_properties(read):
            return  # an event property of a JSON Schema (`jsonSchema["properties"]`): the user's name
        if shape is None and (held := _response_object(read.value) or _decoded(scope, read.value)) is not None \
                and not self.ctx.suppressed(read.node, ROW):
            # `r.json()["sources"]`, `r` a migrated call's response on one path and another's on another
            partly = scope.partly(held.value, held)
            if partly is not None and partly.what == RESP:
                name = read.value.value if type(read.value) is cst.Name else held.value  # type: ignore[attr-defined]
                self.mark(ROW, read.node, self.message("partly", key=read.name, name=name,
                                                       what=responses_uses.WHAT[DOC]))
                return
        if shape is None and isinstance(read.value, cst.Name) and not self.ctx.suppressed(read.node, ROW):
            partly = scope.partly(read.value.value, read.value)
            if partly is not None:
                self.mark(ROW, read.node, self.message("partly", key=read.name, name=read.value.value,
                                                       what=responses_uses.WHAT.get(partly.what, "a response")))
                return
            enclosed = scope.enclosed(read.value.value)
            if enclosed is not None:
                self.mark(ROW, read.node, self.message("enclosed", key=read.name, name=read.value.value,
                                                       what=responses_uses.WHAT.get(enclosed.what, "a response")))
                return
        if shape is None:
            before = len(self.ctx.markers)
            if (reason := self._tied(scope, read)) is not None:
                self.mark(ROW, read.node, reason)  # off a value that comes from a migrated call of the file
                self.trace(read.node, before)
            else:
                self._unknown_origin(scope, read)
                self.of_unknown_origin(read.node, before)
            return
        written = self._written(shape, read.name)
        if written is not None:
            self.mark(ROW, read.node, responses_uses.written(shape, written[1], written[0]))
            return
        rules = self.ctx.rules
        envelope = rules.envelope
        opener, closer = quote_of(self.ctx.src.code(read.key) or '"')

        def sub(*keys: str) -> str:
            return "".join(f"[{opener}{k}{closer}]" for k in keys)

        def lead(*keys: str) -> str:
            """The envelope before a list, its next-page token or a field: as
            defensive as the read (`body.get("sources", [])`, `src.get(
            "display_name", "?")` still give their default for an error body,
            which has no `data`)."""
            if not read.is_get:
                return sub(*keys)
            return "".join(f".get({opener}{k}{closer}, {{}})" for k in keys)

        if shape.what == RESP:
            # a response object is not read by key: what a helper gave back, decoded
            self.mark(ROW, read.node, self.message("opaque", key=read.name))
            return
        if shape.what == DOC:
            endpoint = self.flow.endpoints.get(shape.endpoint or "")
            resource = self.flow.resource_of(shape.endpoint)
            if endpoint is not None and resource is None:
                self.mark(ROW, read.node, self.message("unmapped", key=read.name, endpoint=endpoint.public or "",
                                                        row=endpoint.id))
                return
            if endpoint is None or resource is None:
                return
            if endpoint.list_response:
                if read.name == resource.config_list_key:
                    self._list_key(read, resource, lead)
                elif read.name == envelope.next_page_token:
                    pagination.token_read(self, scope, read, lead)
                else:
                    kind = f"{resource.kind} list response"
                    self.mark(ROW, read.node, self._error_key(read.name, resource, kind)
                              or self.message("unknown", key=read.name, kind=kind))
                return
            if resource.single_is_status:
                self.mark(ROW, read.node, self.message("changed", to=f"{envelope.data_key}.status", key=read.name,
                                                        why="the Public API answers this call with a status only"))
                return
            prefix = lead(envelope.data_key, *([resource.public_key] if resource.public_key else []))
            self._field(scope, read, resource, prefix, sub)
            return
        if shape.what == ITEM:
            resource = self.flow.resources.get(shape.kind or "")
            if resource is None:
                return
            if shape.path == LIST and resource.public_list_item:
                self.mark(ROW, read.node, self.message("changed", to=resource.public_list_item, key=read.name,
                                                        why=f"Public list items are plain `{resource.public_list_item}` values"))
                return
            fm = resource.fields.get(read.name)
            if shape.path == LIST and fm is not None and fm.to and fm.to.split(".")[0] in resource.list_omit:
                self.mark(ROW, read.node, self.message("changed", to=fm.to, key=read.name,
                                                        why="list items do not carry it; read the single resource"))
                return
            self._field(scope, read, resource, "", sub)
        elif shape.what == SUB:
            resource = self.flow.resources.get(shape.kind or "")
            inner = as_read(read.value)
            if resource is not None and inner is not None:
                self._nested(read, inner, resource, f"{shape.path}.{read.name}", sub)

    def _nested(self, read: Read, inner: Read, resource: ResourceRow, path: str, sub) -> None:  # type: ignore[no-untyped-def]
        """`x["attributes"]["values"]` for a field `attributes.values` of the row."""
        fm = resource.fields.get(path)
        if fm is None:
            self.mark(ROW, read.node, self.message("unknown", key=path, kind=resource.kind))
            return
        if fm.drop:
            self.mark(ROW, read.node, self.message("dropped", key=path, reason=fm.reason or ""))
            return
        plain = fm.transform == "copy" and fm.parse is None and fm.id is None and fm.to
        if not plain or read.is_get or inner.is_get or fm.when == "request":
            enum = responses_enums.message(fm, path)
            self.mark(ROW, read.node, enum or self.message("changed", to=fm.to or "", key=path,
                                                            why="its value has another form" if not plain else "it moved"))
            return
        _, base_end = self.outer(inner.value)
        _, end = self.span(read.node)
        edits = [Edit(base_end, end, sub(*fm.to.split(".")))]
        if responses_enums.differs(fm):
            responses_enums.rewrite(self, ROW, read, fm, resource, edits, key=path)
        else:
            self.record(resource.id, read.node, edits)

    def _list_key(self, read: Read, resource: ResourceRow, sub) -> None:  # type: ignore[no-untyped-def]
        envelope = self.ctx.rules.envelope
        _, value_end = self.outer(read.value)
        start, end = self.span(read.node)
        if resource.list_as_single:
            if read.is_get or not resource.public_key:
                self.mark(ROW, read.node, self.message("changed", to=f"{envelope.data_key}.{resource.public_key}",
                                                        key=read.name, why="the Public API returns one, not a list"))
                return
            edits = [Edit(start, start, "["), Edit(value_end, end, sub(envelope.data_key, resource.public_key) + "]")]
            if not self.record(envelope.id, read.node, edits):
                self.mark(ROW, read.node, self.message("unknown", key=read.name, kind=resource.kind))
            return
        public = resource.public_list_key or read.name
        key_start, key_end = self.span(read.key)
        opener, closer = quote_of(self.ctx.src.code(read.key) or '"')
        edits = [Edit(value_end, value_end, sub(envelope.data_key))]
        if public != read.name:
            edits.append(Edit(key_start, key_end, f"{opener}{public}{closer}"))
        self.record(envelope.id, read.node, edits)

    def _field(self, scope: Scope, read: Read, resource: ResourceRow, prefix: str, sub) -> None:  # type: ignore[no-untyped-def]
        fm = resource.fields.get(read.name)
        if fm is None:
            outer = as_read(self.ctx.parent(read.node))  # type: ignore[arg-type]
            nested = any(f.startswith(read.name + ".") for f in resource.fields)
            if nested and not prefix and outer is not None and outer.value is read.node:
                return  # the read of its field deals with both
            self.mark(ROW, read.node, self._error_key(read.name, resource)
                      or self.message("unknown", key=read.name, kind=resource.kind))
            return
        if fm.drop:
            self.mark(ROW, read.node, self.message("dropped", key=read.name, reason=fm.reason or ""))
            return
        _, value_end = self.outer(read.value)
        apart = self._taken_apart(read, fm)
        if apart is not None and apart[0] is read.node and not one_parent_sorted(scope, read):
            self.mark(ROW, read.node, self.message("changed", to=".".join(apart[1]), key=read.name, why=SEVERAL))
            return
        if apart is not None:
            outer, keys = apart
            _, outer_end = self.span(outer)
            args = read.node.args if read.is_get else ()  # type: ignore[attr-defined]
            if len(args) == 2 and outer is not read.node:
                # `s.get("name", "").split("/")[-1]`: the default stays (of the last segment: the same text),
                # after every key of a nested target (`.get("metadata", {}).get("slug", "")`)
                default = self.ctx.src.code(args[1].value)
                given = args[1].value.evaluated_value if isinstance(args[1].value, cst.SimpleString) else None
                if not isinstance(given, str) or "/" in given or default is None:
                    self.mark(ROW, read.node, self.message("changed", to=".".join(keys), key=read.name,
                                                            why="only its last segment, and its default is kept"))
                    return
                opener, closer = quote_of(self.ctx.src.code(read.key) or '"')
                text = prefix + "".join(f".get({opener}{k}{closer}, {{}})" for k in keys[:-1])
                text += f".get({opener}{keys[-1]}{closer}, {default})"
                self.record(resource.id, outer, [Edit(value_end, outer_end, text)])
                return
            self.record(resource.id, outer, [Edit(value_end, outer_end, prefix + sub(*keys))])
            return
        if fm.transform == "config-settings" and fm.to:
            if self._settings(read, fm, prefix, sub, resource):
                return
            walked = responses_settings.rewrite(self, read, fm, prefix, sub, resource)
            if walked is True:
                return
            if isinstance(walked, str):
                self.mark(ROW, read.node, walked)
                return
        if fm.transform != "copy" or fm.parse is not None or fm.id is not None or fm.when == "request" or not fm.to:
            why = "its value has another form"
            if fm.transform == "segment" and fm.segment:
                why = f"only the `{fm.segment}` part of the Config value"
            moved = self._moved(read.name, fm, resource) or responses_enums.message(fm, read.name)
            several = counterparts(fm)
            if not moved and several:
                moved = self.message("counterparts", key=read.name, parse=fm.parse or "", fields=several)
            self.mark(ROW, read.node, moved or self.message("changed", to=fm.to or "", key=read.name, why=why))
            return
        keys = fm.to.split(".")
        if read.is_get and len(keys) > 1:
            self.mark(ROW, read.node, self.message("changed", to=fm.to, key=read.name, why="it is nested"))
            return
        edits: list[Edit] = []
        if prefix:
            edits.append(Edit(value_end, value_end, prefix))
        if keys != [read.name]:
            opener, closer = quote_of(self.ctx.src.code(read.key) or '"')
            key_start, key_end = self.span(read.key)
            text = f"{opener}{keys[0]}{closer}" + "".join(f"][{opener}{k}{closer}" for k in keys[1:])
            edits.append(Edit(key_start, key_end, text))
        if responses_enums.differs(fm):
            responses_enums.rewrite(self, ROW, read, fm, resource, edits)
        elif edits:
            self.record(resource.id, read.node, edits)

    def _error_key(self, key: str, resource: ResourceRow, kind: str | None = None) -> str | None:
        """The marker for a key of the Config error body (`error`, `code`:
        the error row) read where a field of `resource` (its `kind` of
        answer: a list response) was expected: a failed call's answer, now
        the Public error body. None for other keys."""
        row = self.ctx.rules.error
        shape = f'`{{"{row.message_key}": ..., "{row.code_key}": ...}}`'
        fields = dict(key=key, kind=kind or resource.kind, shape=shape, row=row.id, errors=row.public_key)
        if key in (row.message_key, row.repeated_message_key):
            return self.message("error-message", message=row.public_message_key, **fields)
        if key == row.code_key:
            codes = ", ".join(f"{code} → {found.status}" for code, found in row.codes.items())
            return self.message("error-code", status=row.public_status_key, codes=codes, **fields)
        if key == row.details_key:
            return self.message("error-extra", **fields)
        return None

    def _unknown_origin(self, scope: Scope, read: Read) -> None:
        """A read off a value whose origin is not proven: marked when its key
        looks like a Config one (off a response of a call left on the Config
        API, saying that it moves with the call)."""
        if self._nested_item(scope, read):
            return
        if read.name in self.fields and not self.ctx.suppressed(read.node, ROW):
            hint = self.fields[read.name]
            self.mark(ROW, read.node, self._origin_message(scope, read, hint))
        elif (hint := self._segment_elsewhere(read)) is not None:
            # `s["name"].split("/")[-1]`: the Public `name` is another field; the slug has its own
            reason = self._origin_message(scope, read, hint)
            self.apart[id(read.node)] = (read, reason)  # marked at the end, unless dealt with meanwhile
        elif self._list_elsewhere(read) and not self.held.read_off(scope, read):
            # (a list read off a call held on the Config API is right as it is)
            # a whole response of a client elsewhere: its lists are under `data` now
            self.mark(ROW, read.node, self.message("linked-list", key=read.name, why=self.ctx.linked,
                                                    hint=self.lists[read.name]))

    def _origin_message(self, scope: Scope, read: Read, hint: str) -> str:
        """The marker of a Config-looking read off a value the flow does not
        prove: "held" off the response of a call this file leaves on the Config
        API (right as it is there, wherever its base URL comes from); in a
        file linked to a Segment client elsewhere, what links it; "unproven"
        otherwise."""
        if self.held.read_off(scope, read):
            return self.message("held", key=read.name, hint=hint)
        if self.ctx.linked is not None:
            return self.message("linked", key=read.name, why=self.ctx.linked, hint=hint)
        return self.message("unproven", key=read.name, hint=hint)

    def _nested_item(self, scope: Scope, read: Read) -> bool:
        """A read off an item of a list a field of the rows holds (`c` of `for c
        in dest["config"]`), whose origin is not proven: such an item is no
        resource of its own, so the hints of resource fields do not fit it
        (`name` of a destination setting is not the destination's). Marked from
        the rows of that field when the read looks like a Config one; True when
        the value is such an item."""
        walked = responses_tied.walked_list(scope, read.value)
        if walked is None or walked.name in self.lists:
            return False
        owners = [(r, fm) for r in self.ctx.rules.resources.values()
                  if (fm := r.fields.get(walked.name)) is not None and not fm.drop]
        if not owners:
            return False
        looks = read.name in self.fields or self._segment_elsewhere(read) is not None
        if not looks or self.ctx.suppressed(read.node, ROW) or responses_settings.loop_marked(self.ctx, walked.node, ROW):
            return True  # no read that looks like a Config one, or one of a loop marked by a run before
        hints: list[str] = []
        for resource, fm in owners:
            of = f"if it is the `{walked.name}` of a {resource.kind}"
            items = self.ctx.rules.resources.get(fm.each or "")
            if fm.transform == "config-settings" and fm.to:
                hints.append(f"{of}, the Public `{fm.to}` is a map of setting keys to values, not a list of items")
            elif items is not None and (entry := items.fields.get(read.name)) is not None \
                    and (entry.drop or entry.to != read.name or entry.transform != "copy"):
                what = f"it is not returned ({entry.reason})" if entry.drop else f"read `{entry.to}`"
                hints.append(f"{of}, {what}")
        if hints:  # marked at the end, unless the read is rewritten meanwhile (the loop walks the Public map)
            self.apart[id(read.node)] = (read, self.message("nested", key=read.name, list=walked.name,
                                                            hints="; ".join(hints)))
        return True

    def _moved(self, key: str, fm: FieldMap, resource: ResourceRow) -> str | None:
        """A field the Public API keeps at a path of its own (a tracking plan's
        rules: the `followups` call of the rows that write it)."""
        for row in self.ctx.rules.endpoints:
            if resource.kind not in (row.request, row.response):
                continue
            for followup in row.followups:
                if key in followup.fields and " " in followup.call:
                    path = followup.call.split(" ", 1)[1]
                    shape = ", ".join(f"`{k}` → `{v}`" for k, v in fm.enum.items())
                    return DEFAULTS["moved"].format(
                        kind=resource.kind, key=key, path=path, data=self.ctx.rules.envelope.data_key,
                        to=fm.to or key, shape=f" by type: {shape}" if shape else "",
                    )
        return None

    def _settings(self, read: Read, fm: FieldMap, prefix: str, sub, resource: ResourceRow) -> bool:  # type: ignore[no-untyped-def]
        """`{c["name"].split("/config/")[-1]: c["value"] for c in dest["config"]}`
        (the Config settings array made a map, as the `config-settings`
        transform does) → `dict(dest["settings"])`."""
        ctx = self.ctx
        comp = ctx.parent(read.node)
        owner = ctx.parent(comp) if comp is not None else None
        if read.is_get or not isinstance(comp, cst.CompFor) or comp.iter is not read.node:
            return False
        if not isinstance(owner, cst.DictComp) or comp.ifs or comp.inner_for_in is not None:
            return False
        target = comp.target
        if not isinstance(target, cst.Name):
            return False
        value = as_read(owner.value)
        key = owner.key
        if value is None or value.is_get or value.name != "value" or not _is_name(value.value, target.value):
            return False
        # key: <target>["name"].split("/config/")[-1] (the row's separator, or "/"; or rsplit)
        if not (isinstance(key, cst.Subscript) and isinstance(key.value, cst.Call)):
            return False
        call = key.value
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in ("split", "rsplit"):
            return False
        name = as_read(call.func.value)
        if name is None or name.is_get or name.name != "name" or not _is_name(name.value, target.value):
            return False
        separator = call.args[0].value if call.args else None
        if not isinstance(separator, cst.SimpleString) or separator.evaluated_value not in setting_separators(
            self.ctx.rules
        ):
            return False
        index = key.slice[0].slice if len(key.slice) == 1 else None
        if not (isinstance(index, cst.Index) and self.ctx.src.code(index.value) == "-1"):
            return False
        value_start, value_end = self.outer(read.value)
        start, end = self.span(owner)
        text = f"dict({self.ctx.src.text[value_start:value_end]}{prefix}{sub(*fm.to.split('.'))})"
        if not self.record(resource.id, owner, [Edit(start, end, text)]):
            return False
        responses_settings.masked(self, owner, fm)
        return True

    # -- names taken apart ---------------------------------------------------------

    def _taken_apart(self, read: Read, fm: FieldMap) -> tuple[cst.CSTNode, list[str]] | None:
        """`x["name"].split("/")[-1]` (or a `.replace(prefix, "")`, or a sort
        key) → the node to replace and the Public keys of the last segment."""
        entries = [e for e in (fm, *fm.also) if e.when != "request"]
        for entry in entries:
            if entry.transform != "segment" or not entry.parse or not entry.segment or not entry.to:
                continue
            last = "{" + entry.segment + "}"
            if not entry.parse.endswith(last):
                continue
            outer = self._apart_node(read, entry.parse[: -len(last)])
            if outer is not None:
                return outer, entry.to.split(".")
        return None

    def _apart_node(self, read: Read, prefix: str) -> cst.CSTNode | None:
        ctx = self.ctx
        node = read.node
        parent = ctx.parent(node)
        if isinstance(parent, cst.Lambda) and parent.body is node and not read.is_get:
            arg = ctx.parent(parent)
            call = ctx.parent(arg) if arg is not None else None
            if (
                isinstance(arg, cst.Arg) and arg.keyword is not None and arg.keyword.value == "key"
                and isinstance(call, cst.Call)
                and isinstance(call.func, (cst.Name, cst.Attribute))
                and (call.func.value if isinstance(call.func, cst.Name) else call.func.attr.value)
                in ("sorted", "sort", "min", "max")
            ):
                return node  # sort key: the same order when the items share the prefix (`one_parent_sorted`)
            return None
        if not isinstance(parent, cst.Attribute) or parent.value is not node:
            return None
        call = ctx.parent(parent)
        if not isinstance(call, cst.Call) or call.func is not parent:
            return None
        args = [a.value for a in call.args]
        literals = [a.evaluated_value if isinstance(a, cst.SimpleString) else None for a in args]
        method = parent.attr.value
        if method in ("split", "rsplit") and literals[:1] == ["/"] and (
            len(args) == 1 or (method == "rsplit" and isinstance(args[1], cst.Integer) and args[1].value == "1")
        ):
            subscript = ctx.parent(call)
            if isinstance(subscript, cst.Subscript) and subscript.value is call and len(subscript.slice) == 1:
                index = subscript.slice[0].slice
                if (
                    isinstance(index, cst.Index)
                    and isinstance(index.value, cst.UnaryOperation)
                    and isinstance(index.value.operator, cst.Minus)
                    and isinstance(index.value.expression, cst.Integer)
                    and index.value.expression.value == "1"
                ):
                    return subscript
            return None
        if method == "replace" and len(args) == 2 and literals[1] == "" and isinstance(literals[0], str):
            pattern = re.sub(r"\\\{([^}]*)\\\}", r"(?P<\1>[^/]+)", re.escape(prefix))
            found = re.fullmatch(pattern, literals[0])
            mapped = ctx.ids.workspace if ctx.ids is not None else None
            if found is None or (mapped is not None and found.groupdict().get("workspace") not in (None, mapped.slug)):
                return None  # another workspace's prefix: it took nothing off the names of this one
            return call
        return None


def counterparts(fm: FieldMap) -> str | None:
    """What each Public field a Config value gives stands for, when the field
    maps to an id (`id`, a destination's) and to other fields beside it (its
    `metadata.slug` is a segment): `` `id` is the id of the destination
    `{source}/{destination}`, `metadata.slug` is its `{destination}` segment``;
    None for a field the rows map to one Public field, or first to a segment."""
    entries = [e for e in (fm, *fm.also) if e.when != "request" and e.to]
    if fm.transform == "segment" or fm.id is None or len(entries) < 2:
        return None
    parts = []
    for entry in entries:
        if entry.transform == "segment" and entry.segment:
            parts.append(f"`{entry.to}` is its `{{{entry.segment}}}` segment")
        elif entry.id is not None:
            parts.append(f"`{entry.to}` is the id of the {entry.id.lookup} `{entry.id.key}`")
    return ", ".join(parts) if len(parts) == len(entries) else None


def one_parent_sorted(scope: Scope, read: Read) -> bool:
    """`read` is the body of a sort key (`sorted(items, key=lambda d: d["name"])`)
    whose items share their Config parent (`one_parent`: one response, or the
    pages of one URL): their names share all but the last segment, so they
    sort by it in the same order. A list gathered from the answers of several
    URLs (`+=`, `.extend()` in a loop over sources) is not proven."""
    ctx = scope.flow.ctx
    arg = ctx.parent(ctx.parent(read.node))
    call = ctx.parent(arg) if arg is not None else None
    source = sorted_items(call) if isinstance(call, cst.Call) else None
    items = proven(scope.eval(source)) if source is not None else None
    return items is not None and one_parent(items)


KIND = ResponsesKind()


def _response_object(value: cst.BaseExpression) -> cst.Name | None:
    """`r` in `r.json()`: a response object decoded where it is read."""
    if type(value) is not cst.Call or not plain_decoding(value.args):  # type: ignore[attr-defined]
        return None
    func = value.func  # type: ignore[attr-defined]
    if type(func) is cst.Attribute and func.attr.value == "json" and type(func.value) is cst.Name:
        return func.value
    return None


def _decoded(scope: Scope, value: cst.BaseExpression) -> cst.Name | None:
    """`r` in `data = r.json(); data["sources"]`, `data` bound once in the scope."""
    if type(value) is not cst.Name:
        return None
    events = list(scope.events.get(value.value, {}).values())  # type: ignore[attr-defined]
    if len(events) != 1 or type(events[0][0]) is not cst.Assign:
        return None
    return _response_object(events[0][0].value)  # type: ignore[attr-defined]


SCHEMA_PROPERTIES = "properties"
"""The key of a JSON Schema (a tracking plan rule's `jsonSchema`) whose
object holds the event properties, named by the user (`audit.schema_keys`)."""


def _schema_properties(read: Read) -> bool:
    """`read` reads a key off the `properties` of a JSON Schema
    (`r["jsonSchema"]["properties"].get("display_name")`)."""
    inner = as_read(read.value)
    return inner is not None and inner.name == SCHEMA_PROPERTIES
