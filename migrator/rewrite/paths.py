"""Config path templates → Public path templates (rewrite row `rewrite.paths`).

A chain (see `strings`) is read as `[base][/][v1beta/]path[?query]`, where
the base is the Config host in the literal, or leading holes (a base URL
held in a variable), or nothing (a host-less path). The path is matched
against the `config` templates of the endpoint rows; each `{param}` binds
one hole or literal text. The Public template of the row is then filled:
placeholders with an `ids` entry become ids (see `slugs`), others copy the
Config value of the same name, and Config values used nowhere (the
`{workspace}` segment) disappear together with their format argument, `%`
value or `+` operand.

Precision first. A host-less path without `v1beta/` is only taken for a
Config path when its use shows it is a URL (an HTTP call, `urljoin`, a base
in front of it) and it does not also read as a Public path (unless its
base is known to be the Config host). When the rows for the path disagree
by HTTP method and the method cannot be seen, when an id is missing, or
when the path has no Public counterpart, nothing is rewritten and the line
is marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from migrator.rewrite import (
    calls, clients, declared, file_workspaces, joins, kept_marker, line_refs, mock_apart, pins, rebase, responses_created, served,
    sent_calls,
    workspace_template,
)
from migrator.rewrite.constants import bound_once, constant_text
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError, plan_edits
from migrator.ruleset.templates import VERSION_SEGMENT
from migrator.rewrite.path_messages import (
    ANY_ENDPOINT,
    APART,
    BODY,
    BUILT_BASE,
    DECLARED,
    DEFAULTS,
    IMPORTED_BASE,
    IMPORTED_WORKSPACE,
    JOINED,
    JOINED_MOVED,
    JOINED_IMPORT,
    JOINED_LAYERED,
    JOINED_SUPPRESSED,
    JOINED_SUPPRESSED_HERE,
    LAYERED_BASE,
    LAYERED_SLASH,
    LAYERED_KEPT,
    METHOD,
    OUTSIDE_BASE,
    OWN_BASE,
    PARTIAL,
    PINNED,
    REBOUND_PATH,
    REQUEST_PATH,
    ROW,
    STARRED_VALUES,
    UNPLACED_BASE,
    UNPROVEN_BASE,
    UNREAD_BASE,
    REEXPORTED_BASE,
    UNREAD_WORKSPACE,
    TWO_WAYS_PATH,
    UNSEEN_BASE,
    WORKSPACE_HELPER,
)
from migrator.rewrite.path_outcome import Outcome, outcome
from migrator.rewrite.path_reading import (
    Reading,
    unread_constant,
    _hole_expr,
    _module_bases,
    base_roots,
    base_slash,
    classify,
    hidden_bases,
    module_constant,
    prefix_name,
    read,
    whole_paths,
)
from migrator.rewrite.slugs import Problem
from migrator.rewrite.strings import PUA, Chain, NewCell, NewHole, NewItem, is_hole_char, plus_operands
from migrator.rewrite.table import HOLE_CLASS, Endpoint, Table, table_for
from migrator.rewrite.two_ways import two_ways, written


def read_joined(ctx: FileContext, chain: Chain, table: Table) -> Reading | None:
    """`read`, with the whole Config path for a path migrated together with
    the base path in front of it (`f"{FILTERS}/{filter_id}"`, see `_compose`)."""
    reading = read(chain, table)
    whole = whole_paths(ctx)
    if reading is not None and id(chain.root) in whole:
        reading.path = whole[id(chain.root)]
    return reading



def _composed(
    ctx: FileContext, chain: Chain, reading: Reading, table: Table, base: cst.CSTNode
) -> str | None:
    """The Config path of a base chain (`BASE = ".../sources/web/destinations"`)
    followed by this chain's path, for matching only."""
    from migrator.rewrite.strings import build_chain

    if not isinstance(base, cst.BaseExpression):
        return None
    base_chain = build_chain(ctx.src, base)
    if base_chain is None:
        return None
    base_reading = read(base_chain, table)
    if base_reading is None or base_reading.host is None or base_reading.query is not None:
        return None
    joined = base_reading.path + ("/" if reading.lead_slash else "") + reading.path
    return re.sub(f"[{HOLE_CLASS}]", chr(PUA), joined)


@dataclass
class Prefix:
    chain: Chain
    reading: Reading
    covered: set[int] = field(default_factory=set)
    """ids of the uses of its name that a path was read whole with."""
    apart: set[int] = field(default_factory=set)
    """ids of the uses in test doubles that cannot move but may stay apart
    (`mock_apart`): they do not hold the base back (`joins.settle` decides)."""
    own: str | None = None
    """The Public path of the base's own Config path (see `rebase`)."""
    own_done: bool = False
    matches: list[tuple[Endpoint, dict[str, str]]] = field(default_factory=list)
    bases: list[cst.CSTNode] = field(default_factory=list)
    """The Config base chains in front of a layered workspace base
    (`f"{API}/workspaces/acme"`, see `_layered_base`): they move with it."""
    problem: Problem | None = None
    """Why the base cannot move, when its workspace value is (several
    workspaces in a loop, one other than the id map's: `rebase.own_path`)."""


def _workspace_base(chain: Chain, reading: Reading, table: Table) -> bool:
    """A base URL that ends at a workspace held in its one value
    (`f".../v1beta/workspaces/{WS}"`): the Public API drops it from every path."""
    head, _, last = reading.path.rpartition("/")
    return head == table.workspace_segment and len(last) == 1 and is_hole_char(last) and len(chain.holes) == 1


def _layered_base(ctx: FileContext, chain: Chain, reading: Reading, bases: Sequence[cst.CSTNode]) -> bool:
    """A base that ends at the workspace, built on a Config base URL of the
    file (`f"{API}/workspaces/acme"`, `API + "/workspaces/" + WORKSPACE`):
    the Public API drops the workspace, so it becomes that base alone. Its
    workspace is a literal or a constant (`_unread_workspace`)."""
    return _layered_shape(ctx, chain, reading, bases) and _layered_hold(ctx, chain, reading, bases) is None


def _layered_shape(ctx: FileContext, chain: Chain, reading: Reading, bases: Sequence[cst.CSTNode]) -> bool:
    """`{base}/workspaces/<one literal or value>`, the base a Config base URL
    with no path of its own."""
    table = table_for(ctx.rules)
    head, _, last = reading.path.rpartition("/")
    holes = 1 + sum(1 for c in last if is_hole_char(c))
    return (
        reading.prefix_end == 1
        and reading.base_kind == "config"
        and not reading.had_version
        and bool(bases)
        and head == table.workspace_segment
        and bool(last)
        and (holes == 1 or len(last) == 1)
        and len(chain.holes) == holes
        and all(_bare_base(ctx, b, table) for b in bases)
    )


def _unread_workspace(ctx: FileContext, chain: Chain) -> str | None:
    """The code of the workspace value of a layered base that is neither a
    literal nor a constant this file holds (`os.environ["WS"]`, a parameter),
    which the rewrite cannot check against the id map's; None otherwise."""
    from migrator.rewrite.slug_keys import node_texts

    if len(chain.holes) != 2:
        return None
    hole = chain.holes[1]
    if hole.node is not None and hole.plain and node_texts(ctx, hole.node, chain.root) is not None:
        return None
    return hole.text or "?"


def _layered_hold(ctx: FileContext, chain: Chain, reading: Reading, bases: Sequence[cst.CSTNode]) -> str | None:
    """Why a base with the shape of a layered workspace base (`_layered_shape`)
    stays: what this rewrite does not see; None when it is not one, or moves."""
    if not _layered_shape(ctx, chain, reading, bases):
        return None
    table = table_for(ctx.rules)
    value = _unread_workspace(ctx, chain)
    if value is not None:
        return table.message(PARTIAL + ".workspace", UNREAD_WORKSPACE, value=value)
    if _read_elsewhere(ctx, chain):
        return table.message(PARTIAL + ".imported-workspace", IMPORTED_WORKSPACE)
    slashed = base_slash(ctx, bases[0])
    if slashed is None or (slashed and not reading.trailing_slash):
        # `BASE + "workspaces/acme"` joined as `+ "/sources"`: the base alone would give `…//sources`
        base = chain.hole(chain.template()[0]).text or "?"
        return table.message(PARTIAL + ".layered-slash", LAYERED_SLASH, base=base, end="`/`" if slashed else "a value")
    return None


def _held_layered(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """`_layered_hold` of the base chain `node` (a path joined to it is marked so)."""
    from migrator.rewrite.strings import build_chain

    table = table_for(ctx.rules)
    chain = build_chain(ctx.src, node) if isinstance(node, cst.BaseExpression) else None
    reading = read(chain, table) if chain is not None else None
    if chain is None or reading is None or reading.prefix_end != 1:
        return None
    first = _hole_expr(ctx, chain, chain.hole(chain.template()[0]))
    reading.base_kind = classify(ctx, first)
    return _layered_hold(ctx, chain, reading, base_roots(ctx, first))


def _value_path(
    ctx: FileContext, table: Table, bases: Sequence[cst.CSTNode], base: str | None, value: str | None
) -> str:
    """The marker of a Config base joined to a path held in a value: for a
    base that ends at the workspace, the helper shape the rewrite follows."""
    if bases and _ends_at_workspace(ctx, bases[0]):
        return table.message(PARTIAL + ".helper", WORKSPACE_HELPER, base=base or "?", value=value or "?")
    return table.message(PARTIAL, DEFAULTS[PARTIAL]) + " (the path is a value: make sure it is a Public API path)"


def _keeps_any(ctx: FileContext, node: cst.CSTNode) -> None:
    """A Config URL kept on the Config API whose path is (partly) a value:
    which endpoints it calls cannot be told, so the tests reaching this
    file keep their doubles of any (`driver._keep_tests_with_their_code`)."""
    ctx.kept_rows.setdefault(ANY_ENDPOINT, line_refs.number(ctx, node))


def _ends_at_workspace(ctx: FileContext, node: cst.CSTNode) -> bool:
    """A base chain whose path is the workspace (`f"…/v1beta/workspaces/{ws}"`, `f"{API}/workspaces/acme"`)."""
    from migrator.rewrite.strings import build_chain

    table = table_for(ctx.rules)
    chain = build_chain(ctx.src, node) if isinstance(node, cst.BaseExpression) else None
    reading = read(chain, table) if chain is not None else None
    if reading is None or reading.query is not None:
        return False
    head, _, last = reading.path.rpartition("/")
    return head == table.workspace_segment and bool(last) and (reading.host is not None or reading.prefix_end == 1)


def _bare_base(ctx: FileContext, base: cst.CSTNode, table: Table) -> bool:
    """A Config base chain that holds no path (`"https://…/v1beta"`, `HOST + "/v1beta"`)."""
    from migrator.rewrite.strings import build_chain

    found = build_chain(ctx.src, base) if isinstance(base, cst.BaseExpression) else None
    reading = read(found, table) if found is not None else None
    return reading is not None and not reading.path and reading.query is None


def _read_elsewhere(ctx: FileContext, chain: Chain) -> bool:
    """The value of an attribute another module of the run reads, or of a
    module constant another module of the run imports (`held_attributes`)."""
    parent = ctx.parent(chain.root)
    if not isinstance(parent, cst.Assign) or len(parent.targets) != 1:
        return False
    target = parent.targets[0].target
    if isinstance(target, cst.Name):
        return module_constant(ctx, chain.root) in ctx.held_attributes
    return isinstance(target, cst.Attribute) and target.attr.value in ctx.held_attributes


def _own_base(ctx: FileContext, chain: Chain) -> bool:
    """A base with a value in it that the modules importing it would join
    their paths to unseen: not a public module constant of a module (not a
    script) built with `.format`, `%` or `+`; an f-string is shared with the
    modules of the run that import it, as plain strings are (`shared_plan`)."""
    from migrator.rewrite.calls import is_script

    name = module_constant(ctx, chain.root)
    return name is None or name.startswith("_") or isinstance(chain.root, cst.FormattedString) \
        or joins.in_tail(ctx, chain.root) or is_script(ctx)


def _hosted(ctx: FileContext, chain: Chain, reading: Reading) -> bool:
    """A URL on a Config host: written with it, or joined to a base holding
    it (`API + "/workspaces/..."`). No route a server serves is written so: a
    decorator given one (`@on_failure_ping(API + ...)`) is a call like any other."""
    if reading.host is not None:
        return True
    return bool(reading.prefix_end) and classify(ctx, _hole_expr(ctx, chain, chain.hole(chain.template()[0]))) == "config"


def _urljoin_base(ctx: FileContext, node: cst.CSTNode) -> bool:
    """Is `node` the base `urljoin` is given (its first argument)?"""
    arg = ctx.parent(node)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or not call.args or call.args[0] is not arg or arg.keyword is not None:
        return False
    return clients.qualified_name(ctx, call.func).endswith("urljoin") or clients.callee_name(call) == "urljoin"


def _prefixes(ctx: FileContext) -> dict[int, Prefix]:
    found = ctx.state.setdefault(__name__ + ".prefixes", {})
    return found  # type: ignore[return-value]


def _covered(ctx: FileContext) -> set[int]:
    found = ctx.state.setdefault(__name__ + ".covered", set())
    return found  # type: ignore[return-value]


class PathsKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Chain) -> bool:
        table = table_for(ctx.rules)
        if chain.is_bytes:
            return False
        if id(chain.root) in workspace_template.joined(ctx):
            return True  # a path a helper joins after the workspace: read with it
        reading = read(chain, table)
        if reading is None:
            return True  # already on the Public API: no other kind touches it
        decorator = declared.client_decorator(ctx, chain.root)
        if decorator is not None:
            return _declared(ctx, chain, reading, table, decorator)
        if served.route(ctx, chain.root) and not _hosted(ctx, chain, reading):
            return True  # a path the file's own server serves (`@app.get(...)`): no request
        if (reading.host is not None or reading.prefix_end == 1) and calls.chain(ctx, chain, table):
            return True  # a template filled in at its calls, migrated with them
        only_values = all(is_hole_char(c) or c == "/" for c in reading.path) and not reading.query
        if reading.host is not None and only_values:
            return False  # the host followed only by values: the hosts kind
        strong = reading.host is not None or reading.had_version
        if not strong and not reading.prefix_end and not any(n in reading.path for n in table.needles):
            if _prefixes(ctx) and reading.host is None and reading.path:
                return self._compose(ctx, chain, reading, table, clients.flow(ctx, chain.root), [])
            return False  # no piece of a Config path: not ours (and cheap to say so)
        bases: list[cst.CSTNode] = []
        """The Config base chains this path is joined to (see `joins`)."""
        if reading.prefix_end:
            first = _hole_expr(ctx, chain, chain.hole(chain.template()[0]))
            kind = classify(ctx, first)
            if kind == "config":
                bases = base_roots(ctx, first)
            reading.base_kind = kind
            if not strong and kind in ("public", "other"):
                return True
            if not strong and kind == "config" and chain.template() == chain.template()[0] + "/" \
                    and _urljoin_base(ctx, chain.root):
                # `urljoin(API + "/", path)`: the base with a slash, moving with `API` (the path is read with it)
                joins.link(ctx, chain.root, bases, ok=True)
                return True
            if not strong and kind == "config" and only_values:
                # f"{FILTERS}/{filter_id}": a path under a base holding a Config path
                if _prefixes(ctx) and not reading.query and self._compose(
                    ctx, chain, reading, table, clients.flow(ctx, chain.root), bases
                ):
                    return True
                # BASE + source["name"]: a Config URL whose path is a value
                rest = [h.node for h in chain.holes[1:]]
                passed = clients.parameter_values(ctx, chain.root, rest)  # type: ignore[arg-type]
                if passed is not None and all(n is not None for n in rest):
                    joins.link(ctx, chain.root, [*bases, *passed], ok=True)
                    return True
                if responses_created.claim(ctx, chain, bases):
                    return True  # the Config name of a resource created here: its Public path
                if clients.flow(ctx, chain.root).url and not ctx.suppressed(chain.root, PARTIAL):
                    base, value = chain.hole(chain.template()[0]).text, chain.holes[-1].text
                    ctx.mark(PARTIAL, chain.root, _value_path(ctx, table, bases, base, value))
                    _keeps_any(ctx, chain.root)
                    joins.link(ctx, chain.root, bases, ok=False)
                return True
        if not reading.path and not reading.query:
            if reading.prefix_end and reading.had_version and reading.base_kind == "config" and bases:
                # API = HOST + "/v1beta": the version goes, the host is migrated with HOST
                return self._drop_version(ctx, chain, reading, table, bases)
            return False  # a bare host or base: the hosts kind
        if reading.prefix_end and not reading.path and not strong and reading.base_kind == "config":
            # BASE_URL + "?" + urlencode(query): the base holds the whole path
            joins.link(ctx, chain.root, bases, ok=True)
            return True
        matches = table.match(reading.path)
        flow = clients.flow(ctx, chain.root)
        if flow.searched and (reading.host is not None or reading.had_version):
            # a URL that code looks for (a resource name taken apart is `responses`')
            if not ctx.suppressed(chain.root, PARTIAL):
                ctx.mark(PARTIAL, chain.root, table.message(f"{PARTIAL}.searched", clients.SEARCHED, what="URL"))
            return True
        if reading.host is None and not reading.prefix_end:
            # a host-less path: its base is the urljoin base or the client's base_url
            kinds: list[str] = []
            roots: list[cst.CSTNode] = []
            for base in [
                *flow.bases,
                *(b for client in flow.clients for b in clients.client_base_urls(ctx, client)),
            ]:
                kind = classify(ctx, base)
                kinds.append(kind)
                if kind == "config":
                    roots.extend(base_roots(ctx, base))
            known = [k for k in kinds if k != "unknown"]
            if not strong and known:
                reading.base_kind = known[-1]
                if reading.base_kind in ("public", "other"):
                    return True
            if kinds and all(k == "config" for k in kinds) and roots and not flow.opaque:
                bases = roots
                reading.base_kind = "config"
        # A path constant used only by other modules, next to a Config base
        # URL constant: it is presumably joined to it there, so they stay
        # together (both left on the Config API and marked).
        exported = reading.host is None and not reading.prefix_end and not bases and unread_constant(ctx, chain.root)
        links = bases or (_module_bases(ctx) if exported else [])
        if not links and reading.host is None:
            # a base that is not a string but holds a Config URL (an environment
            # default): the URL stays on the Config API with this path
            seen = [_hole_expr(ctx, chain, chain.hole(chain.template()[0]))] if reading.prefix_end else flow.bases
            links = [n for base in seen for n in hidden_bases(ctx, base)]
        if not matches:
            if (
                strong
                or (reading.base_kind == "config" and flow.url)
                or (
                    (flow.url or reading.prefix_end)
                    and reading.path.split("/", 1)[0] in table.config_only_first
                )
            ):
                if responses_created.claim(ctx, chain, links):
                    return True  # `"/v1beta/" + source["catalog_name"]`: the Public path of what it names
                if self._defer_prefix(ctx, chain, reading, flow):
                    return True
                if self._compose(ctx, chain, reading, table, flow, links):
                    return True
                if workspace_template.migrate(ctx, self, chain, reading, table, bases):
                    return True
                if not ctx.suppressed(chain.root, PARTIAL):
                    self._mark_unmatched(ctx, chain, reading, table, links)
                joins.link(ctx, chain.root, links, ok=False)
                return True
            if not reading.prefix_end and reading.host is None and self._compose(ctx, chain, reading, table, flow, links):
                return True
            if flow.compared and reading.base_kind == "config" and self._compose(
                ctx, chain, reading, table, flow, links
            ):
                return True  # `request.url == f"{WS}/sources/web"`: a URL compared whole, read with its base
            return False
        shared = module_constant(ctx, chain.root) if exported else None
        if shared is not None and (shared in ctx.shared.exported or shared in ctx.shared.held):
            # a path constant the modules of the run that import it join to a Config base (`shared_plan`)
            return self._shared_path(ctx, chain, reading, matches, table, links, shared)
        if not strong and reading.base_kind != "config":
            if not (flow.url or (reading.prefix_end and reading.base_kind != "unknown") or (exported and links)):
                return False  # a resource name, a log message, ...: not a URL
            if table.is_public(reading.path):
                return False  # reads as a Public path as well: leave it
        if not strong and any(e.first_is_param for e, _ in matches) and reading.base_kind != "config":
            matches = [(e, p) for e, p in matches if not e.first_is_param]
            if not matches:
                return False
        if flow.prefix or (flow.opaque and not all(table.prefix_safe[e.row.id] for e, _ in matches)):
            # More path is (or may be) appended to this one elsewhere.
            if self._defer_prefix(ctx, chain, reading, flow, bases):
                return True
            if not ctx.suppressed(chain.root, PARTIAL):
                reason = (
                    "more path is appended to it elsewhere"
                    if flow.prefix
                    else "its uses cannot all be seen, and a longer path built from it would need "
                    "a different Public path"
                )
                if _read_elsewhere(ctx, chain):
                    reason += ", and another module of the run " + (
                        "imports it" if module_constant(ctx, chain.root) else "reads it off an object of this class"
                    )
                why = _layered_hold(ctx, chain, reading, bases)
                if why is not None:
                    ctx.mark(PARTIAL, chain.root, table.message(PARTIAL + ".layered", LAYERED_BASE, why=why))
                else:
                    ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]) + f" ({reason})")
                line = line_refs.number(ctx, chain.root)
                if flow.prefix:
                    ctx.kept_rows.setdefault(ANY_ENDPOINT, line)
                else:  # sent through uses not all seen (`call(verb, path)` of a `(url, headers)` helper): kept
                    for endpoint, _ in matches:
                        ctx.kept_rows.setdefault(endpoint.row.id, line)
            joins.link(ctx, chain.root, links, ok=False)
            return True
        rules_involved = {e.row.id for e, _ in matches}
        if any(ctx.suppressed(chain.root, rule) for rule in rules_involved | {ROW}):
            joins.link(ctx, chain.root, links, ok=False)
            return True
        proven = reading.host is not None or bool(bases) or _request_path(ctx, chain, reading)
        ok = self._rewrite(ctx, chain, reading, matches, flow, table, proven)
        rows = tuple(sorted({e.row.id for e, _ in matches}))
        if not ok and links == bases and (apart := mock_apart.offer(ctx, chain, reading, bases)) is not None:
            joins.state(ctx).apart[id(chain.root)] = replace(apart, rows=rows)  # a double: its base may move without it
        elif not ok and not links and mock_apart.again(ctx, chain, reading, table.message(PARTIAL + ".apart", APART)):
            ctx.apart_rows.update(rows)
        joins.link(ctx, chain.root, links, ok=ok)
        return True

    def _shared_path(
        self, ctx: FileContext, chain: Chain, reading: Reading, matches: list[tuple[Endpoint, dict[str, str]]],
        table: Table, links: list[cst.CSTNode], name: str,
    ) -> bool:
        """A host-less path constant the importers of the run migrate with it
        (`exported`: rewritten as they do, whatever method they send it
        with) or keep (`held`: marked saying why)."""
        if name in ctx.shared.held:
            if not ctx.suppressed(chain.root, PARTIAL):
                ctx.mark(PARTIAL, chain.root, ctx.shared.held[name])
            ok = False
        elif not matches or any(ctx.suppressed(chain.root, e.row.id) for e, _ in matches):
            ok = False
        else:
            calls = set(ctx.response_rules)  # the importers make the calls: they read the responses
            ok = self._rewrite(ctx, chain, reading, matches, clients.Flow(url=True, unknown=True), table, True)
            ctx.response_rules &= calls
        joins.link(ctx, chain.root, links or [chain.root], ok=ok)
        return True

    def _defer_prefix(
        self, ctx: FileContext, chain: Chain, reading: Reading, flow: clients.Flow, bases: Sequence[cst.CSTNode] = ()
    ) -> bool:
        """A Config URL with a literal path that more path is appended to
        (`CATALOG = ".../v1beta/catalog/"`), or a workspace base built on a
        Config base (`f"{API}/workspaces/acme"`): decided at the end of the
        file, once every path joined to it has been read (see `_compose`)."""
        layered = reading.host is None and _layered_base(ctx, chain, reading, bases)
        if (
            (reading.host is None and not layered)
            or (reading.host is not None and chain.holes
                and not (_workspace_base(chain, reading, table_for(ctx.rules)) and _own_base(ctx, chain)))
            or reading.query is not None
            or not flow.prefix
            or flow.opaque
            or not reading.path
            or any(c in reading.path for c in "{}%")
            or prefix_name(ctx, chain.root) is None
        ):
            return False
        _prefixes(ctx)[id(chain.root)] = Prefix(chain, reading, bases=list(bases) if layered else [])
        return True

    def _compose(
        self,
        ctx: FileContext,
        chain: Chain,
        reading: Reading,
        table: Table,
        flow: clients.Flow,
        links: list[cst.CSTNode],
    ) -> bool:
        """A path joined to a deferred prefix base: read whole (base path +
        this path) and migrated with only its own part rewritten, when the
        Public path keeps the base's path in front."""
        prefixes = _prefixes(ctx)
        if not prefixes:
            return False
        if reading.prefix_end == 1:
            use = _hole_expr(ctx, chain, chain.hole(chain.template()[0]))
        elif not reading.prefix_end and len(flow.bases) == 1 and not flow.opaque and flow.url:
            use = flow.bases[0]
        else:
            return False
        values = clients.resolve(ctx, use) if isinstance(use, (cst.Name, cst.Attribute)) else []
        if len(values) != 1 or id(values[0]) not in prefixes:
            return False
        prefix = prefixes[id(values[0])]
        if not (prefix.reading.trailing_slash or reading.lead_slash):
            return False
        own = rebase.own_path(ctx, prefix, table)
        if own is None and prefix.problem is not None:
            own = ""  # read as the bare host would be: put back with the base, which stays (`_settle_prefixes`)
        if own is not None and reading.prefix_end != 1:
            return False  # `urljoin(SOURCE_URL, ...)`: the base's rebase is only written for `BASE + path`
        head = prefix.reading.path
        if any(is_hole_char(c) for c in head):
            # the workspace value of the base (`_workspace_base`): given there, and dropped
            head = table.workspace
        whole = Reading(
            prefix_end=reading.prefix_end,
            lead_slash=reading.lead_slash,
            path=head + "/" + reading.path,
            query=reading.query,
            trailing_slash=reading.trailing_slash,
            base_kind="config",
            strip=(head + "/" if own is None else own and own + "/"),
            rebase_host=prefix.reading.host if own is not None else None,
        )
        matches = table.match(whole.path)
        if not matches:
            return False
        if all(e.row.public is None for e, _ in matches):
            for row_id in sorted({e.row.id for e, _ in matches}):
                row = next(e.row for e, _ in matches if e.row.id == row_id)
                ctx.mark(row_id, chain.root, row.instead or "")
            ok = False
        elif any(ctx.suppressed(chain.root, e.row.id) for e, _ in matches):
            ok = False
        else:
            ok = self._rewrite(ctx, chain, whole, matches, flow, table, True)
        joined = [prefix.chain.root, *links]
        if not ok and all(n is prefix.chain.root for n in links) and (
            apart := mock_apart.offer(ctx, chain, whole, [prefix.chain.root])
        ) is not None:
            joins.state(ctx).apart[id(chain.root)] = apart  # a double: the base may move without it
            prefix.apart.add(id(use))
        joins.link(ctx, chain.root, joined, ok=ok)
        if ok:
            prefix.covered.add(id(use))
            whole_paths(ctx)[id(chain.root)] = whole.path
        return True

    def _settle_prefixes(self, ctx: FileContext, table: Table) -> None:
        """Each deferred prefix base: migrated (host only, its path stays)
        when every use of it is a path read whole with it; marked otherwise."""
        for prefix in _prefixes(ctx).values():
            chain, reading = prefix.chain, prefix.reading
            if prefix.problem is not None:  # its workspace: the paths joined to it stay with it
                if not ctx.suppressed(chain.root, prefix.problem.rule):
                    ctx.mark(prefix.problem.rule, chain.root, prefix.problem.reason)
                ctx.kept_rows.setdefault(ANY_ENDPOINT, line_refs.number(ctx, chain.root))
                joins.link(ctx, chain.root, [chain.root, *prefix.bases], ok=False)
                continue
            target = prefix_name(ctx, chain.root)
            uses = clients._uses(ctx, target, ctx.parent(chain.root)) if target is not None else []  # type: ignore[arg-type]
            if not any(id(u) in prefix.covered or id(u) in _covered(ctx) for u in uses):
                prefix.apart.clear()  # doubles stay apart only from a base that moves for another use
            covered = bool(uses) and all(
                id(u) in prefix.covered or id(u) in prefix.apart or id(u) in _covered(ctx) for u in uses
            )
            if prefix.own is not None:
                if rebase.settle(ctx, self, prefix, uses, table):
                    if isinstance(target, cst.Attribute):
                        ctx.moved_attributes.add(target.attr.value)
                    elif prefix.bases and (name := module_constant(ctx, chain.root)):
                        ctx.moved_attributes.add(name)  # other modules of the run importing it are looked for
                    joins.link(ctx, chain.root, prefix.bases, ok=True)
                    continue
            elif covered and reading.host is not None and not ctx.suppressed(chain.root, reading.host.row.id):
                wanted: list[NewItem] = [NewCell(c) for c in reading.host.public(ctx.region)]
                wanted.append(NewCell("/"))
                wanted.extend(NewCell(c) for c in reading.path)
                if reading.trailing_slash:
                    wanted.append(NewCell("/"))
                try:
                    edits = plan_edits(ctx.src, chain, wanted)
                except PlanError:
                    edits = []
                if edits and joins.accept(ctx, chain, edits, [reading.host.row.id]) is not None:
                    continue
            if not ctx.suppressed(chain.root, PARTIAL):
                held = [u for u in uses if id(u) not in prefix.covered and id(u) not in _covered(ctx)]
                where = line_refs.lines(ctx, held)
                uses_word = "uses" if where.startswith("lines") else "use"
                why = f", and its {uses_word} on {where} cannot move with it"
                if prefix.bases and held:
                    message = table.message(PARTIAL + ".layered-kept", LAYERED_KEPT, uses=uses_word, where=where)
                else:
                    message = table.message(PARTIAL, DEFAULTS[PARTIAL]) \
                        + f" (more path is appended to it elsewhere{why if held else ''})"
                ctx.mark(PARTIAL, chain.root, message)
                ctx.kept_rows.setdefault(ANY_ENDPOINT, line_refs.number(ctx, chain.root))
            joins.link(ctx, chain.root, [chain.root, *prefix.bases], ok=False)

    def _drop_version(
        self, ctx: FileContext, chain: Chain, reading: Reading, table: Table, bases: list[cst.CSTNode]
    ) -> bool:
        wanted: list[NewItem] = [NewHole(chain.hole(c)) for c in chain.template()[: reading.prefix_end]]
        if reading.trailing_slash:
            wanted.append(NewCell("/"))
        ok = False
        if not ctx.suppressed(chain.root, table.hosts[0].row.id):
            try:
                edits = plan_edits(ctx.src, chain, wanted)
            except PlanError:
                edits = None
            if edits:
                ok = joins.accept(ctx, chain, edits, [table.hosts[0].row.id]) is not None
        if not ok:
            ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]))
        joins.link(ctx, chain.root, bases, ok=ok)
        return True

    def _mark_unmatched(
        self, ctx: FileContext, chain: Chain, reading: Reading, table: Table, bases: list[cst.CSTNode]
    ) -> None:
        """A Config path not in the table, or only a piece of one: when the
        pieces before it (a base holding a Config path) make a path with no
        Public counterpart, the marker is that endpoint row's."""
        if reading.prefix_end == 1 and bases:
            whole = _composed(ctx, chain, reading, table, bases[0])
            found = table.match(whole) if whole is not None else []
            if found and all(e.row.public is None for e, _ in found):
                for row_id in sorted({e.row.id for e, _ in found}):
                    row = next(e.row for e, _ in found if e.row.id == row_id)
                    if not ctx.suppressed(chain.root, row_id):
                        ctx.mark(row_id, chain.root, row.instead or "")
                return
            if _held_layered(ctx, bases[0]) is not None:
                name = chain.hole(chain.template()[0]).text or "?"
                ctx.mark(PARTIAL, chain.root, table.message(PARTIAL + ".joined-layered", JOINED_LAYERED, name=name))
                return
        ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]))
        if any(is_hole_char(c) for c in reading.path):
            _keeps_any(ctx, chain.root)  # `f"{HOST}/v1beta/{path}"`: a value makes the path, any endpoint's

    def _rewrite(
        self,
        ctx: FileContext,
        chain: Chain,
        reading: Reading,
        matches: list[tuple[Endpoint, dict[str, str]]],
        flow: clients.Flow,
        table: Table,
        proven: bool = True,
    ) -> bool:
        """Migrate the chain (True), or mark it and leave it alone (False,
        its endpoint rows kept: `FileContext.kept_rows`)."""
        if self._migrate(ctx, chain, reading, matches, flow, table, proven):
            return True
        line = line_refs.number(ctx, chain.root)
        methods = flow.methods if not flow.unknown and flow.methods else None
        for endpoint, _ in matches:
            if methods is None or endpoint.method in methods:
                ctx.kept_rows.setdefault(endpoint.row.id, line)
        return False

    def _migrate(
        self,
        ctx: FileContext,
        chain: Chain,
        reading: Reading,
        matches: list[tuple[Endpoint, dict[str, str]]],
        flow: clients.Flow,
        table: Table,
        proven: bool = True,
    ) -> bool:
        methods = flow.methods if not flow.unknown and flow.methods else None
        candidates = matches
        if methods:
            candidates = [(e, p) for e, p in matches if e.method in methods]
            if not candidates:
                _mark_method(
                    ctx, chain, table,
                    f"no rule for {'/'.join(sorted(methods))} on this Config path: "
                    "migrate the call by hand",
                )
                return False
        held = sorted({e.row.id for e, _ in candidates if e.row.id in ctx.kept})
        call = held and sent_calls.sent_here(ctx, chain.root, flow)
        if held and call and sent_calls.has_doubles(ctx):
            ctx.mark(PARTIAL, chain.root, kept_marker.message(ctx, chain.root, table, held, call=True))
            return False
        if held and not call:  # a double's URL: it answers the code under test, it stays with it
            ctx.mark(PARTIAL, chain.root, kept_marker.message(ctx, chain.root, table, held))
            return False
        outcomes = [outcome(ctx, chain, reading, e, p, table) for e, p in candidates]
        if all(o.none for o in outcomes):
            seen: set[str] = set()
            for o in outcomes:
                if o.endpoint.row.id not in seen:
                    seen.add(o.endpoint.row.id)
                    ctx.mark(o.endpoint.row.id, chain.root, o.endpoint.row.instead or "")
            return False
        if any(o.none for o in outcomes):
            missing = sorted({o.endpoint.method for o in outcomes if o.none})
            _mark_method(
                ctx, chain, table,
                f"this Config path has no Public counterpart for {'/'.join(missing)} "
                "and the HTTP method it is used with cannot be seen: migrate it by hand",
            )
            return False
        if not proven:
            publics_text = ", ".join(sorted({o.endpoint.row.public or "" for o in outcomes}))
            other = pins.pinned(ctx, chain.root, flow) if reading.host is None and not reading.prefix_end else None
            if other is not None:
                # compared whole with a constant (a test pinning it), joined to no base of the file
                pin = ctx.src.code(other) or "?"
                ctx.mark(PARTIAL, chain.root, table.message(PARTIAL + ".pinned", PINNED, value=pin, public=publics_text))
                return False
            twice = _two_ways_message(ctx, chain, table, publics_text)
            if twice is not None:  # its base is the import or a value of the file's own (`hosts` holds a
                ctx.mark(PARTIAL, chain.root, twice)  # plain one), which stays with it: not any other base
                first = _hole_expr(ctx, chain, chain.hole(chain.template()[0]))
                joins.link(ctx, chain.root, hidden_bases(ctx, first), ok=False)
                return False
            # joined to a base the file does not show: ids would not help (`problems`);
            # the file's own Config bases may be that base, so they stay with it (`finish`)
            joins.state(ctx).unproven.append(chain.root)
            message = _unproven_message(ctx, chain, table, publics_text)
            ctx.mark(PARTIAL, chain.root, message)
            if message == table.message(PARTIAL + ".base", UNPROVEN_BASE, public=publics_text) and ctx.markers:
                joins.state(ctx).unshown[id(chain.root)] = (ctx.markers[-1], publics_text)
            return False
        publics = {(o.endpoint.public_path, o.endpoint.public_query) for o in outcomes}
        problems = [p for o in outcomes for p in o.problems]
        if problems and len(publics) == 1:
            seen_reasons: set[tuple[str, str]] = set()
            for problem in problems:
                if (problem.rule, problem.reason) not in seen_reasons:
                    seen_reasons.add((problem.rule, problem.reason))
                    ctx.mark(problem.rule, chain.root, problem.reason)
            return False
        keys = {_key(o.items or []) for o in outcomes}
        if len(keys) != 1 or problems:
            rows = ", ".join(sorted({o.endpoint.row.public or "" for o in outcomes}))
            _mark_method(
                ctx, chain, table,
                f"this Config path becomes different Public calls ({rows}) depending on "
                "the HTTP method or body, which cannot be seen here: migrate it by hand",
            )
            return False
        chosen = outcomes[0]
        assert chosen.items is not None
        try:
            edits = plan_edits(ctx.src, chain, chosen.items)
        except PlanError as exc:
            ctx.mark(
                PARTIAL,
                chain.root,
                table.message(PARTIAL, DEFAULTS[PARTIAL]) + f" ({exc})",
            )
            return False
        rule = chosen.endpoint.row.id if len(outcomes) == 1 else _common_rule(outcomes)
        if not edits and reading.rebase_host is None:
            # the path is the same in both APIs (its base moves): still a migrated call
            record: joins.Migrated | None = joins.unchanged(ctx, chain, rule)
        else:
            # One change per migrated span: a host inside a migrated URL is part
            # of the endpoint's change (the host row covers bases on their own).
            record = joins.accept(ctx, chain, edits, [rule])
        if record is None:
            ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]))
            return False
        marked = len(ctx.markers)
        lookup = f"{ctx.lookup_module}."
        if any(isinstance(i, NewHole) and i.replacement and i.replacement.startswith(lookup) for i in chosen.items):
            ctx.needs_lookup_import = True
        for o in outcomes:
            row = o.endpoint.row
            if row.safety == "review" and row.list_response and row.instead:
                # a Config list that becomes one object (workspaces: one token, one workspace)
                ctx.mark(row.id, chain.root, row.instead)
        if methods is not None:
            for o in outcomes:
                e = o.endpoint
                if e.public_method and e.public_method != e.method:
                    _mark_method(ctx, chain, table,
                        f"the Public API uses {e.public_method} for `{e.row.config}` "
                            f"(`{e.row.public}`): change the HTTP method of this call")
                if e.needs_body:
                    ctx.mark(
                        BODY,
                        chain.root,
                        table.message(BODY, DEFAULTS[BODY], endpoint=e.row.config, summary=e.row.summary),
                    )
        responding = sorted({o.endpoint.row.id for o in outcomes if o.endpoint.row.response})
        if responding:
            ctx.response_rules.update(responding)
            record.response_rules.update(responding)
        record.markers.extend(ctx.markers[marked:])  # they go if the rewrite is put back
        file_workspaces.record(ctx, chosen.workspace, chain.root)
        for note in chosen.notes:
            ctx.note(note)
            record.notes.append(note)
        return True

    def value(self, ctx: FileContext, node: cst.BaseExpression) -> None:
        """`BASE + path`, `f"{BASE}{path}"`: a Config base URL joined to a
        path held in a value (a resource name from a response, a parameter):
        nothing to rewrite, but a person must check the path."""
        if isinstance(node, cst.BinaryOperation):
            first: cst.BaseExpression | None = node.left
            while isinstance(first, cst.BinaryOperation) and isinstance(first.operator, cst.Add):
                first = first.left
        elif isinstance(node, cst.FormattedString):
            expressions = [p for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
            first = expressions[0].expression if expressions else None
        else:
            return
        if not isinstance(first, (cst.Name, cst.Attribute)):
            return
        if classify(ctx, first) != "config":
            return
        flow = clients.flow(ctx, node)
        if not flow.url or flow.prefix or ctx.suppressed(node, PARTIAL):
            return
        if isinstance(node, cst.BinaryOperation):
            rest = plus_operands(node)[1:]
        else:
            rest = [p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression)][1:]
        passed = clients.parameter_values(ctx, node, rest)
        if passed is not None:
            # `BASE + path` where every caller in this file passes a path
            # expression: right when those are (they are linked to BASE too).
            joins.link(ctx, node, [*base_roots(ctx, first), *passed], ok=True)
            _covered(ctx).add(id(first))
            return
        table = table_for(ctx.rules)
        roots = base_roots(ctx, first)
        value = ctx.src.code(rest[-1]) if rest else None
        ctx.mark(PARTIAL, node, _value_path(ctx, table, roots, ctx.src.code(first), value))
        _keeps_any(ctx, node)
        joins.link(ctx, node, roots, ok=False)

    def finish(self, ctx: FileContext) -> None:
        from migrator.rewrite import bases

        table = table_for(ctx.rules)
        self._settle_prefixes(ctx, table)
        file_workspaces.settle(ctx, table)
        host_rules = {h.row.id for h in table.hosts}
        bases.check(ctx, host_rules)
        found = joins.state(ctx)
        if found.unproven:
            hosts = [r.chain.root for r in found.migrated.values() if r.recorded and r.recorded[0].rule in host_rules]
            for node in found.unproven:
                joins.link(ctx, node, hosts, ok=False)
            if hosts:
                _bases_shown(ctx, table, hosts)
        _link_list_joins(ctx, table)
        joins.settle(
            ctx, table.message(PARTIAL + ".joined", JOINED), table.message(PARTIAL + ".joined-import", JOINED_IMPORT),
            table.message(PARTIAL + ".joined-suppressed", JOINED_SUPPRESSED),
            joins.Suppressed(table.message(PARTIAL + ".joined-suppressed-here", JOINED_SUPPRESSED_HERE),
                             frozenset({PARTIAL, *host_rules, *(e.row.id for e in table.endpoints)})),
            table.message(PARTIAL + ".apart", APART), table.message(PARTIAL + ".joined-moved", JOINED_MOVED),
        )
        _mark_list_joins(ctx, table)
        if ctx.response_rules:
            ctx.note(table.message(ROW, DEFAULTS[ROW], rules=", ".join(sorted(ctx.response_rules))))


def _declared(ctx: FileContext, chain: Chain, reading: Reading, table: Table, decorator: tuple[str, str]) -> bool:
    """A Config path a declarative client's decorator declares
    (`@uplink.get("v1beta/workspaces/{workspace}/sources")`): marked with
    the Public call it should become, and held with the file's Config
    bases, as a path joined to a base the file does not show is
    (`declared`); another API's path is left alone."""
    matches = [e for e, _ in table.match(reading.path)]
    if reading.host is None and not reading.had_version and not matches:
        return True  # not a Config path: the client of another API
    verb = decorator[0].rsplit(".", 1)[-1].upper()
    chosen = [e for e in matches if e.method == verb] or matches
    joins.state(ctx).unproven.append(chain.root)
    line = line_refs.number(ctx, chain.root)
    for endpoint in chosen:
        ctx.kept_rows.setdefault(endpoint.row.id, line)
    if ctx.suppressed(chain.root, PARTIAL):
        return True
    if chosen and not any(e.public_path for e in chosen):
        for row in {e.row.id: e.row for e in chosen}.values():
            ctx.mark(row.id, chain.root, row.instead or "")  # no Public counterpart: what to do instead
        return True
    publics = ", ".join(sorted({e.row.public or "" for e in chosen if e.public_path}))
    if not publics:
        ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]))
        return True
    ctx.mark(PARTIAL, chain.root, table.message(PARTIAL + ".declared", DECLARED, decorator=decorator[1], public=publics))
    return True


def _bases_shown(ctx: FileContext, table: Table, hosts: list[cst.CSTNode]) -> None:
    """The paths marked for a base this file does not show, when it holds
    Config bases of its own, which stay on the Config API with them: their
    markers say the file has such a base, which may be theirs (one a
    `requests.Session` subclass joins to every path, which this rewrite does not follow).
    The copies appended to the file (`shared_bases`) are on none of its lines."""
    shown = [h for h in hosts if not joins.in_tail(ctx, h)]
    if not shown:
        return
    where = line_refs.lines(ctx, shown)
    said = {id(marker): public for marker, public in joins.state(ctx).unshown.values()}
    for index, marker in enumerate(ctx.markers):
        if id(marker) in said:
            text = table.message(PARTIAL + ".own-base", OWN_BASE, public=said[id(marker)], lines=where)
            ctx.markers[index] = replace(marker, reason=text)


def _request_path(ctx: FileContext, chain: Chain, reading: Reading) -> bool:
    """A whole Config request path (`/v1beta/...`, no base in front) that a
    transport handler compares with the request's path: it needs no base,
    and becomes the Public request path."""
    from migrator.rewrite.mock_transport import compared_path

    return (
        reading.had_version and reading.lead_slash and not reading.prefix_end and reading.query is None
        and compared_path(ctx, chain.root)
    )


def _unproven_message(ctx: FileContext, chain: Chain, table: Table, public: str) -> str:
    """Why a path whose base is not shown is marked: values given as
    `**mapping` (which fill the base cannot be told), a request path compared
    in a transport handler without the Config `/v1beta`, or a base elsewhere."""
    from migrator.rewrite.mock_transport import compared_path, rebound_part
    from migrator.rewrite.strings import FormatCall, PercentOp

    starred = [a for h in chain.holes if isinstance(h.container, FormatCall) for a in h.container.args if a.star]
    mapped = [h.container.node.right for h in chain.holes if isinstance(h.container, PercentOp)
              and isinstance(h.key, str) and not h.container.mapping]  # `"%(host)s/..." % locals()`
    if starred or mapped:
        star = starred[0].star + (ctx.src.code(starred[0].value) or "") if starred \
            else "% " + (ctx.src.code(mapped[0]) or "")
        return table.message(PARTIAL + ".starred", STARRED_VALUES, star=star, public=public)
    if compared_path(ctx, chain.root):
        return table.message(PARTIAL + ".request-path", REQUEST_PATH, public=public)
    rebound = rebound_part(ctx, chain.root)
    if rebound is not None:
        name, value = rebound
        return table.message(PARTIAL + ".rebound-path", REBOUND_PATH, name=name, part=ctx.src.code(value) or "?",
                             line=line_refs.of(ctx, value), public=public)
    built = _built_base(ctx, chain, table, public)
    if built is not None:
        return built
    imported = _imported_base(ctx, chain, table, public)
    if imported is not None:
        return imported
    return table.message(PARTIAL + ".base", UNPROVEN_BASE, public=public)


def _two_ways_message(ctx: FileContext, chain: Chain, table: Table, public: str) -> str | None:
    """Why a path joined to a name the file binds by an import and by a value
    of its own stays (`two_ways`); None when its base is no such name."""
    text = chain.template()
    first = chain.hole(text[0]).node if text and is_hole_char(text[0]) else None
    statement = two_ways(ctx, first)
    if statement is None or not isinstance(first, cst.Name):
        return None
    assigned = ctx.index.assignments.get((ctx.src.module, first.value), [])
    return table.message(PARTIAL + ".two-ways", TWO_WAYS_PATH, name=first.value, module=written(ctx, statement),
                         imported=line_refs.of(ctx, statement), assigned=line_refs.lines(ctx, assigned), public=public)


def _imported_base(ctx: FileContext, chain: Chain, table: Table, public: str) -> str | None:
    """`f"{SEGMENT_API}/workspaces/..."` after `from segment_common.settings
    import SEGMENT_API` (a name nothing else in the file binds): the marker
    names the module the base comes from."""
    from migrator.rewrite.bindings import imported

    text = chain.template()
    first = chain.hole(text[0]).node if text and is_hole_char(text[0]) else None
    if not isinstance(first, cst.Name):
        return None
    spec = imported(ctx).get(first.value)
    if spec is None or not _from_import(ctx, first.value):
        return None
    name = spec.lstrip(".")
    module = spec[: len(spec) - len(name)] + name.rpartition(".")[0]  # `.settings`, `.` for `from . import`
    outside = ctx.shared.outside.get(first.value)
    if outside is not None and outside.path is None and outside.maybe is not None:
        return table.message(PARTIAL + ".unplaced-base", UNPLACED_BASE, name=first.value, module=module,
                             path=outside.maybe, public=public)
    if outside is not None and outside.path is None:
        return table.message(PARTIAL + ".unseen-base", UNSEEN_BASE, name=first.value, module=module, public=public)
    if outside is not None and outside.line is not None:
        return table.message(PARTIAL + ".outside-base", OUTSIDE_BASE, name=first.value, path=outside.path,
                             line=str(outside.line), public=public)
    if outside is not None and outside.via is not None:
        return table.message(PARTIAL + ".reexported-base", REEXPORTED_BASE, name=first.value, path=outside.path,
                             origin=outside.via, public=public)
    if outside is not None:
        return table.message(PARTIAL + ".unread-base", UNREAD_BASE, name=first.value, path=outside.path,
                             public=public)
    return table.message(PARTIAL + ".imported-base", IMPORTED_BASE, name=first.value, module=module, public=public)


def _from_import(ctx: FileContext, local: str) -> bool:
    """`local` is bound by a `from ... import` (not `import a.b as local`, a module)."""
    for node in ctx.index.parents:
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(bound, cst.Name) and bound.value == local:
                    return True
    return False


def _built_base(ctx: FileContext, chain: Chain, table: Table, public: str) -> str | None:
    """`f"{BASE_URL}/workspaces/{ws}/sources"` after `BASE_URL = HOST + PREFIX`
    (or `f"{HOST}{PREFIX}"`, `"/".join([HOST, "v1beta"])`): a base whose text
    is known but not written as one string. The marker says which value
    that name must hold on the Public API."""
    text = chain.template()
    first = chain.hole(text[0]).node if text and is_hole_char(text[0]) else None
    if not isinstance(first, cst.Name):
        return None
    value = bound_once(ctx, first, chain.root)
    if value is None or isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
        return None  # one string: a base the rewrite reads, when it reaches it
    config = constant_text(ctx, first, chain.root)
    if config is None:
        return None
    for host in table.hosts:
        rest = config[len(host.origin):] if config.startswith(host.origin) else None
        if rest is None or not rest.startswith(host.version):
            continue
        if rest[len(host.version):].strip("/"):
            return None  # more than a base: its path is the paths kind's
        return table.message(
            PARTIAL + ".built-base", BUILT_BASE, base=first.value, config=config,
            built=ctx.src.code(value) or "", public_base=host.public(ctx.region) + rest[len(host.version):],
            version=host.version, public=public,
        )
    return None


def _key(items: list[NewItem]) -> tuple[object, ...]:
    return tuple(
        ("c", i.char) if isinstance(i, NewCell) else ("h", i.hole.index, i.replacement) for i in items
    )


def _common_rule(outcomes: list[Outcome]) -> str:
    """One row id for a rewrite several rows agree on (the GET row if any)."""
    for o in outcomes:
        if o.endpoint.method == "GET":
            return o.endpoint.row.id
    return outcomes[0].endpoint.row.id


KIND = PathsKind()


def _mark_method(ctx: FileContext, chain: Chain, table: Table, reason: str) -> None:
    """The `rewrite.http-method` marker on a chain, with its reason."""
    ctx.mark(METHOD, chain.root, table.message(METHOD, DEFAULTS[METHOD], reason=reason))



LIST_JOIN = (
    "Config API path joined from a list of segments (`{segments}`): this rewrite does not build paths that "
    "way; write the Public API path by hand (see `migrator rules`)"
)


def _list_joins(ctx: FileContext, table: Table) -> list[tuple[cst.Call, list[cst.BaseExpression], str]]:
    """`"/".join([...])` of segments that make a Config path of the table
    (`["workspaces", ws, "regulations"]`, `[CONFIG_HOST, "v1beta", "catalog",
    "sources"]`): the call, its elements, and the path (`workspaces/{}/regulations`)."""
    text = ctx.src.text
    if '"/"' not in text and "'/'" not in text:
        return []
    found = []
    for node in ctx.index.parents:
        if not (type(node) is cst.Call and isinstance(node.func, cst.Attribute) and node.func.attr.value == "join"
                and isinstance(node.func.value, cst.SimpleString) and node.func.value.evaluated_value == "/"):
            continue
        listed = node.args[0].value if len(node.args) == 1 else None
        if not isinstance(listed, (cst.List, cst.Tuple)) or len(listed.elements) < 2:
            continue
        elements = [e.value for e in listed.elements]
        parts = [str(e.evaluated_value).strip("/") if isinstance(e, cst.SimpleString) else "{}" for e in elements]
        if table.version not in parts and _other_api_base(ctx, elements[0], node, table):
            continue  # `[ZOOM, "workspaces", ws, ...]`, ZOOM another API's URL: that API's path
        path = "/".join(parts)
        for host in table.hosts:
            if path.startswith(host.origin):
                path = path[len(host.origin):].lstrip("/")
        while path.startswith("{}/"):
            path = path[3:]  # the base the path is joined to
        if path.startswith(table.version + "/"):
            path = path[len(table.version) + 1:]
        if "://" not in path and table.match(path):
            found.append((node, elements, path))
    return found


_VERSION_END = re.compile(rf"/({VERSION_SEGMENT})/?$")
"""A URL's last path segment when it is an API version: `/v2`, `/v1alpha/`, Bitbucket's `/2.0`."""


def _other_api_base(ctx: FileContext, base: cst.BaseExpression, site: cst.CSTNode, table: Table) -> bool:
    """`base` holds another API's URL: on neither a Config nor a Public host,
    not ending at the Config version (a proxy's, `http://proxy.internal/v1beta`)
    (`ZOOM = "https://api.zoom.us/v2"`, `OTHER = "https://api.example.com"`):
    the paths joined to it are that API's, as in an f-string (`classify`)."""
    url = constant_text(ctx, base, site) if not isinstance(base, cst.SimpleString) else None
    if url is None or "://" not in url:
        return False
    if any(url.startswith(h.origin) for h in table.hosts) or any(url.startswith(p) for p in table.public_hosts()):
        return False
    m = _VERSION_END.search("/" + url.split("://", 1)[1].partition("/")[2])
    return m is None or m.group(1) != table.version


def _link_list_joins(ctx: FileContext, table: Table) -> None:
    """A Config host or path migrated inside such a list stays with it (the
    path no string holds is left on the Config API)."""
    found = joins.state(ctx)
    for call, elements, _ in _list_joins(ctx, table):
        moved = [e for e in elements if id(e) in found.migrated]
        if moved:
            joins.link(ctx, call, moved, ok=False)


def _mark_list_joins(ctx: FileContext, table: Table) -> None:
    for call, _, path in _list_joins(ctx, table):
        span = ctx.src.span(call)
        if span is not None and any(m.rule == PARTIAL and span[0] <= m.offset < span[1] for m in ctx.markers):
            continue  # marked already (its base, held with the paths joined to it)
        if not ctx.suppressed(call, PARTIAL):
            ctx.mark(PARTIAL, call, table.message(PARTIAL + ".list", LIST_JOIN, segments=path))
