"""The Config host → the Public host (rewrite row `rewrite.hosts`; changes are
reported under the host row, `host.base-url`).

Handles a chain (any string form, see `strings`) that starts with the
Config base URL and has no literal path after it: `BASE =
"https://platform.segmentapis.com/v1beta/"`, `f"{HOST}..."` parts, class
attributes, `base_url=` arguments, `urljoin` bases, f-strings followed only
by values (`f"https://platform.segmentapis.com/v1beta/{path}"`). The
`/v1beta` prefix goes with it. The region picks the Public host. Chains
with a literal path after the host belong to the paths kind.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import clients, joins, pins
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError, plan_edits
from migrator.rewrite.strings import Chain, NewCell, NewItem, is_hole_char, new_items
from migrator.rewrite.table import Table, table_for
from migrator.rewrite.path_messages import PARTIAL, PINNED_HELD, TWO_WAYS_BASE
from migrator.rewrite.two_ways import imported_too, written

ROW = "rewrite.hosts"
VALUE_PATH = (
    "Config API URL whose path is a value this rewrite cannot see: make the value a Public API "
    "path and change the host to the Public API's together, by hand"
)

ENV_DEFAULT = (
    "the Config host is the default of {lookup}, which may hold the Config host too (the environment, a "
    "configuration file): migrate that value ({public}), this default and the paths joined to it together, by hand"
)
LOOKUPS = frozenset({"get", "getenv", "setdefault"})
"""`os.environ.get(K, d)`, `os.getenv(K, d)`, `config.get(K, d)`: a value looked up at run time."""
ENV_LOOKUPS = ("os.environ.get", "os.getenv", "os.environ.setdefault")
"""Those of them that read the environment."""


def environment_default(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """`os.environ.get("SEGMENT_API", <node>)`, `cfg.get("url", <node>)`: the
    lookup as written (`"SEGMENT_API"`, or the call without its default)."""
    arg = ctx.parent(node)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or clients.callee_name(call) not in LOOKUPS or not call.args:
        return None
    key = call.args[0]
    if key is arg or not (arg.keyword is None or arg.keyword.value == "default"):
        return None
    if clients.qualified_name(ctx, call.func) in ENV_LOOKUPS:
        return f"the environment variable {ctx.src.code(key.value)}"
    return f"`{ctx.src.code(call.func)}({ctx.src.code(key.value)}, ...)`"


READ_ELSEWHERE = (
    "`{name}` holds the Config API base URL and another module of this run reads it ({where}), joining "
    "paths to it this rewrite cannot see whole: migrate them and this value together by hand"
)
SUBCLASS_KEPT = (
    "`{name}` holds the Config API base URL in a subclass of `{base}`, whose own `{name}` {module} keeps on the "
    "Config API: migrate this value together with that one, by hand"
)


def _two_ways_held(ctx: FileContext, table: Table, node: cst.CSTNode) -> str | None:
    """Why a Config base assigned to a module-level name that an import binds
    too stays (`two_ways`); None when it is no such value."""
    from migrator.rewrite import line_refs
    from migrator.rewrite.path_reading import module_constant

    name = module_constant(ctx, node)
    statement = imported_too(ctx, name) if name is not None else None
    if statement is None:
        return None
    return table.message(PARTIAL + ".two-ways-base", TWO_WAYS_BASE, name=name or "", module=written(ctx, statement),
                         imported=line_refs.of(ctx, statement))


def _attribute_bound(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """The attribute a value is bound to: a class attribute (`segment_api =
    "..."` in a class body) or `self.base = "..."`."""
    holder = ctx.parent(node)
    if isinstance(holder, cst.Assign) and len(holder.targets) == 1:
        target: cst.BaseExpression | None = holder.targets[0].target
    elif isinstance(holder, cst.AnnAssign) and holder.value is node:
        target = holder.target
    else:
        return None
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
        return target.attr.value
    if isinstance(target, cst.Name) and ctx.index.class_of(holder) is not None \
            and ctx.index.scope_of(holder) is ctx.src.module:
        return target.value
    return None


def _held_elsewhere(ctx: FileContext, table: Table, attribute: str) -> str:
    """Why an attribute's base stays: another module reads it, or keeps the
    value of a class this file's subclass derives from (`SharedBases.superclasses`)."""
    if attribute in ctx.shared.superclasses:
        base, module = ctx.shared.superclasses[attribute]
        return table.message(f"{ROW}.subclass-kept", SUBCLASS_KEPT, name=attribute, base=base, module=f"`{module}`")
    where = ctx.shared.readers.get(attribute)
    where = where or f"`obj.{attribute}`"
    return table.message(f"{ROW}.read-elsewhere", READ_ELSEWHERE, name=attribute, where=where)


class HostsKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Chain) -> bool:
        table = table_for(ctx.rules)
        text = chain.template()
        for host in table.hosts:
            if not text.startswith(host.origin):
                continue
            rest = text[len(host.origin) :]
            if rest[:1] not in ("", "/"):
                continue
            if rest.startswith(host.version) and rest[len(host.version) : len(host.version) + 1] in ("", "/"):
                rest = rest[len(host.version) :]
            if not all(c == "/" or is_hole_char(c) for c in rest):
                return False
            if ctx.suppressed(chain.root, host.row.id):
                return True
            if clients.flow(ctx, chain.root).searched:
                ctx.mark(host.row.id, chain.root, table.message(f"{ROW}.searched", clients.SEARCHED, what="host"))
                return True
            variable = environment_default(ctx, chain.root)
            if variable is not None:
                # the paths joined to it stay too (`path_reading.hidden_bases`)
                ctx.mark(host.row.id, chain.root, table.message(
                    f"{ROW}.looked-up", ENV_DEFAULT, lookup=variable, public=host.public(ctx.region),
                ))
                return True
            values = [h.node for h in chain.holes]
            passed: list = []
            if values:
                # f"https://platform.segmentapis.com/v1beta/{path}": the path
                # must be known to move with the host (see `joins`)
                found = clients.parameter_values(ctx, chain.root, values) if all(values) else None
                if found is None:
                    if clients.flow(ctx, chain.root).url and not ctx.suppressed(chain.root, PARTIAL):
                        ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, VALUE_PATH))
                    return True
                passed = found
            twice = _two_ways_held(ctx, table, chain.root)
            if twice is not None:
                if not ctx.suppressed(chain.root, PARTIAL):  # the paths joined to the name stay too (`path_reading`)
                    ctx.mark(PARTIAL, chain.root, twice)
                return True
            attribute = _attribute_bound(ctx, chain.root)
            if attribute is not None and attribute in ctx.held_attributes:
                # `settings.segment_api` joined to Config paths in another module of the run: they stay together
                ctx.mark(host.row.id, chain.root, _held_elsewhere(ctx, table, attribute))
                return True
            kept = pins.held_pin(ctx, chain.root) if not values else None
            if kept is not None:
                # compared with a base this file reaches in a way not followed, which stays (`SharedBases.blocked`)
                if not ctx.suppressed(chain.root, PARTIAL):
                    ctx.mark(PARTIAL, chain.root, table.message(PARTIAL + ".pinned-held", PINNED_HELD, **kept))
                return True
            wanted: list[NewItem] = [NewCell(c) for c in host.public(ctx.region)]
            wanted.extend(new_items(rest, chain))
            try:
                edits = plan_edits(ctx.src, chain, wanted)
            except PlanError as exc:
                ctx.mark(
                    host.row.id,
                    chain.root,
                    table.message(
                        ROW,
                        "replace the Config API host by {public} by hand ({reason})",
                        public=host.public(ctx.region),
                        reason=str(exc),
                    ),
                )
                return True
            if passed:
                joins.link(ctx, chain.root, passed, ok=True)
            elif not values and (pinned := pins.base_pin(ctx, chain.root)):
                joins.link(ctx, chain.root, pinned, ok=True)  # a test pinning a base: it moves with it, or stays
            if edits and joins.accept(ctx, chain, edits, [host.row.id]) is None:
                ctx.mark(
                    host.row.id,
                    chain.root,
                    table.message(ROW, "replace the Config API host by {public} by hand",
                                  public=host.public(ctx.region), reason=""),
                )
            elif edits and attribute is not None:
                ctx.moved_attributes.add(attribute)  # other modules of the run reading it are looked for
            return True
        return False

    def finish(self, ctx: FileContext) -> None:
        return None


KIND = HostsKind()
