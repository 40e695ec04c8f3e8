"""What one Config path becomes (for the paths kind): the Public template
of its endpoint row filled with the Config values (ids through `slugs`,
copied values, placeholders filled in elsewhere kept pointing at the same
values), or the problems that stop it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from migrator.rewrite import constants, ids_checked, line_refs, param_texts, slug_keys, url_wrappers
from migrator.rewrite.context import FileContext
from migrator.rewrite.path_messages import DEFAULTS, OTHER_WORKSPACE, PARTIAL, SLUGS, slug_message
from migrator.rewrite.path_reading import Reading
from migrator.rewrite.slugs import Problem, Value, resolve_id
from migrator.rewrite.strings import Chain, Hole, NewCell, NewHole, NewItem, is_hole_char
from migrator.rewrite.table import Endpoint, Table
from migrator.ruleset.templates import PLACEHOLDER, Template


DEFERRED = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[sd]")


@dataclass
class Outcome:
    endpoint: Endpoint
    items: list[NewItem] | None = None
    problems: list[Problem] = field(default_factory=list)
    workspace: str | None = None
    """Without an id map, the one text of the workspace dropped (a literal, a constant)."""
    notes: list[str] = field(default_factory=list)
    """For the run's report once the call is migrated (a Config id kept for review)."""

    @property
    def none(self) -> bool:
        return self.endpoint.row.public is None


def outcome(
    ctx: FileContext,
    chain: Chain,
    reading: Reading,
    endpoint: Endpoint,
    params: dict[str, str],
    table: Table,
) -> Outcome:
    outcome = Outcome(endpoint)
    if endpoint.row.public is None:
        return outcome
    values: dict[str, Value] = {}
    deferred: dict[str, tuple[int | None, str]] = {}
    """Params whose text is a placeholder filled in elsewhere (`"…/{}/…"`
    later `.format`ted): name → auto-numbering index (None if not `{}`)."""
    for name, text in params.items():
        if len(text) == 1 and is_hole_char(text):
            hole = chain.hole(text)
            given = hole.node.evaluated_value if hole.plain and isinstance(hole.node, cst.SimpleString) else None
            # a literal string filled in (`.format(API, "acme", "web")`, `{'web'}`): its text
            values[name] = ("lit", given) if isinstance(given, str) and given and "/" not in given else ("hole", hole)
        else:
            values[name] = ("lit", text)
            if DEFERRED.fullmatch(text):
                start = getattr(text, "start", 0)
                before = reading.path[:start]
                deferred[name] = (before.count("{}") if text == "{}" else None, str(text))
    quote = _literal_quote(chain)
    describe = endpoint.row.config.split(" ", 1)[1]
    used: list[Hole] = []
    copied: list[str] = []

    def message(which: str, **fields: str) -> str:
        return slug_message(ctx, table, which, **fields)

    def fill(template: str) -> list[NewItem]:
        items: list[NewItem] = []
        last = 0
        for m in PLACEHOLDER.finditer(template):
            items.extend(NewCell(c) for c in template[last : m.start()])
            last = m.end()
            name = m.group(1)
            ref = endpoint.row.ids.get(name)
            if ref is not None and any(p in deferred for p in Template(ref.key).params):
                raise Problem(
                    SLUGS,
                    message("deferred", kind=ref.lookup, endpoint=describe),
                )
            if ref is not None:
                part = resolve_id(
                    ref,
                    values,
                    ids=ctx.ids,
                    lookup_module=ctx.lookup_module,
                    quote=quote,
                    describe=describe,
                    message=message,
                    ctx=ctx,
                    chain=chain,
                )
            elif name in values:
                _kept_id(ctx, chain, endpoint, name, values, deferred, message, outcome)
                kind, value = values[name]
                if kind == "hole":
                    assert isinstance(value, Hole)
                    if not value.plain:
                        raise Problem(PARTIAL, table.message(PARTIAL, DEFAULTS[PARTIAL]))
                    part = [NewHole(value)]
                else:
                    if name in deferred:
                        copied.append(name)
                    part = [NewCell(c) for c in str(value)]
                    if name in deferred and deferred[name][0] is not None:
                        part = [Renumber(deferred[name][0])]  # type: ignore[list-item]
            else:
                raise Problem(endpoint.row.id, message("missing", param=name, endpoint=describe))
            for item in part:
                if isinstance(item, NewHole):
                    used.append(item.hole)
                    used.extend(item.consumes)
            items.extend(part)
        items.extend(NewCell(c) for c in template[last:])
        return items

    try:
        assert endpoint.public_path is not None
        public_path = endpoint.public_path.lstrip("/")
        path_items = fill(public_path)
        query_items = fill(endpoint.public_query) if endpoint.public_query else []
        if len({h.index for h in used}) != len(used):
            raise Problem(SLUGS, message("twice", endpoint=describe))
        path_items, query_items = _renumber(
            path_items, query_items, deferred, copied, reading, describe, table
        )
        rebased = False
        if reading.strip:
            head = path_items[: len(reading.strip)]
            if "".join(i.char if isinstance(i, NewCell) else "\0" for i in head) == reading.strip:
                path_items = path_items[len(reading.strip) :]
            elif reading.rebase_host is not None and reading.prefix_end == 1:
                rebased = True  # written whole, with the Public host (see `rebase`)
            else:
                raise Problem(
                    PARTIAL,
                    table.message(PARTIAL, DEFAULTS[PARTIAL])
                    + " (the base it is joined to would need another Public path)",
                )
        _check_workspace(ctx, chain, {k: v for k, v in values.items() if k not in deferred}, table)
        _check_workspaces(ctx, chain, {k: v for k, v in values.items() if k not in deferred}, table)
        if "workspace" in deferred:
            _check_filled_workspaces(ctx, chain, deferred["workspace"], table)
        if no_workspace(ctx) and "workspace" in values and "workspace" not in deferred:
            texts = slug_keys.texts_of(ctx, values["workspace"], chain.root)
            outcome.workspace = texts[0] if texts is not None and len(texts) == 1 else None
    except Problem as problem:
        outcome.problems.append(problem)
        return outcome
    text = chain.template()
    items: list[NewItem] = []
    if reading.host is not None or rebased:
        host = reading.host or reading.rebase_host
        assert host is not None
        items.extend(NewCell(c) for c in host.public(ctx.region))
        items.append(NewCell("/"))
    else:
        items.extend(NewHole(chain.hole(c)) for c in text[: reading.prefix_end])
        if reading.lead_slash:
            items.append(NewCell("/"))
    items.extend(path_items)
    if reading.trailing_slash and path_items:
        items.append(NewCell("/"))
    if query_items or reading.query is not None:
        items.append(NewCell("?"))
        items.extend(query_items)
        if query_items and reading.query:
            items.append(NewCell("&"))
        if reading.query:
            items.extend(
                NewHole(chain.hole(c)) if is_hole_char(c) else NewCell(c) for c in reading.query
            )
    outcome.items = items
    return outcome

KEPT_NOTE = (
    "line {line}: `{endpoint}` keeps the Config {kind} id {value} as the Public one ({why}): whether Public "
    "{kind} ids equal Config ids is not documented; check it (`migrator ids` lists the Public ones)"
)


def _kept_id(
    ctx: FileContext, chain: Chain, endpoint: Endpoint, name: str, values: dict[str, Value],
    deferred: dict[str, tuple[int | None, str]], message, outcome: Outcome,  # type: ignore[no-untyped-def]
) -> None:
    """A copied path parameter holding an id of a kind the id map lists (a
    filter's): a literal the map does not hold for its object is a problem;
    one that cannot be checked here is noted (`ids_checked`)."""
    checked = ids_checked.checked_kind(ctx.rules, name)
    if checked is None:
        return
    kind, within = checked
    held, value = values[name]
    literal = held == "lit" and name not in deferred
    if not literal and isinstance(value, Hole) and value.plain and value.node is not None:
        constant = constants.constant_text(ctx, value.node, chain.root)  # `FILTER = "df_1"`: the literal
        if constant is not None:
            literal, value = True, constant
    ids = ctx.ids
    describe = endpoint.row.config.split(" ", 1)[1]
    why = "no id map to check it against"
    if literal and ids is not None:
        literals = {p: str(v) for p, (k, v) in values.items() if k == "lit" and p not in deferred}
        said, why = ids_checked.verdict(ids, kind, within, str(value), literals)
        if said == "held":
            return  # the map holds it for its object
        if said == "unheld":
            raise Problem(SLUGS, message("kept-id", endpoint=describe, kind=kind, value=str(value), where=why))
    elif not literal:
        text = value.text if isinstance(value, Hole) else None
        why = f"the id is in `{text}`, which cannot be checked here" if text else "it cannot be checked here"
    span = ctx.src.span(chain.root)
    shown = f"`{value}`" if literal else "here"
    outcome.notes.append(KEPT_NOTE.format(line=line_refs.ref(span[0]) if span else "?", endpoint=describe,
                                          kind=kind, value=shown, why=why))


def _check_workspace(
    ctx: FileContext, chain: Chain, values: dict[str, Value], table: Table
) -> None:
    """A workspace other than the id map's, literal or held in a value whose
    texts are known (`WORKSPACE = "globex"`, see `slug_keys`), needs its own token."""
    workspace = ctx.ids.workspace if ctx.ids is not None else None
    if workspace is None or "workspace" not in values:
        return
    texts = slug_keys.texts_of(ctx, values["workspace"], chain.root)
    if texts is None:  # `str(ws)`, `ws.strip()`: judged by the texts of the names it reads
        texts = slug_keys.texts_read(ctx, values["workspace"], chain.root)
    kind, held = values["workspace"]
    if not texts and kind == "hole" and isinstance(held, Hole) and held.node is not None and held.plain:
        texts = param_texts.parameter_texts(ctx, url_wrappers.unwrap(ctx, held.node))  # `def f(ws="acme")`
    for value in texts:
        problem = other_workspace(ctx, value, table)
        if problem is not None:
            raise problem


def other_workspace(ctx: FileContext, value: str, table: Table, where: str = "") -> Problem | None:
    """The problem of a workspace text other than the id map's, if it is one."""
    workspace = ctx.ids.workspace if ctx.ids is not None else None
    if workspace is None or value in (workspace.slug, workspace.id):
        return None
    return Problem(
        OTHER_WORKSPACE,
        table.message(
            OTHER_WORKSPACE,
            "this call is for workspace `{workspace}` but the id map is for `{mapped}`: "
            "a Public API token works for one workspace; migrate it with that "
            "workspace's id map and token",
            workspace=value,
            mapped=workspace.slug,
        ) + where,
    )


SEVERAL = (
    "this call is for several workspaces (`{workspaces}`), but the Public API drops the workspace from its paths: "
    "a Public API token works for one workspace; migrate each with that workspace's token (and id map)"
)


def no_workspace(ctx: FileContext) -> bool:
    """No id map names the token's workspace (none given, or one without it,
    as the audit's run with every id): a workspace the code fixes is taken
    for the token's, unless the code names several."""
    return ctx.ids is None or ctx.ids.workspace is None


def _check_workspaces(
    ctx: FileContext, chain: Chain, values: dict[str, Value], table: Table
) -> None:
    """Without an id map, a workspace value that holds several different
    texts (a loop over `("acme", "globex")`) would send every call to the
    token's one workspace: marked. One text (a literal, a constant) or a
    value whose texts are not known (a parameter) is the token's workspace."""
    if not no_workspace(ctx) or "workspace" not in values:
        return  # with an id map, each workspace other than its own is marked (`_check_workspace`)
    kind, held = values["workspace"]
    if kind != "hole" or not isinstance(held, Hole) or held.node is None or not held.plain:
        return
    problem = several_workspaces(ctx, held.node, chain.root, table)
    if problem is not None:
        raise problem


def several_workspaces(ctx: FileContext, node: cst.BaseExpression, site: cst.CSTNode, table: Table) -> Problem | None:
    """The problem of a workspace value holding several known texts, if it does."""
    node = url_wrappers.unwrap(ctx, node)  # `"…/workspaces/" + str(workspace) + "/sources"`
    texts = slug_keys.node_texts(ctx, node, site) if isinstance(node, cst.Name) else None
    if texts is None:
        texts = param_texts.parameter_texts(ctx, node)  # `def sources(ws="acme")`, `sources("globex")`
    if len(texts) < 2:
        return None
    return Problem(OTHER_WORKSPACE, table.message(OTHER_WORKSPACE + ".several", SEVERAL, workspaces="`, `".join(texts)))


def _check_filled_workspaces(ctx: FileContext, chain: Chain, field: tuple[int | None, str], table: Table) -> None:
    """A template constant whose workspace placeholder is filled in elsewhere
    (`SOURCES.format(ws)` in a loop over several workspaces,
    `SOURCES.format("acme")` and `SOURCES.format("globex")`) is marked as
    those values would be in the path itself: without an id map, when they
    hold several texts; with one, when one is another workspace than its."""
    filled = _filled(ctx, chain.root, field)
    known: dict[str, list[cst.Call]] = {}
    for call, value in filled:
        if no_workspace(ctx):
            problem = several_workspaces(ctx, value, call, table)
            if problem is not None:
                raise Problem(problem.rule, f"{problem.reason} (its workspace is filled in on {line_refs.lines(ctx, [call])})")
        node = url_wrappers.unwrap(ctx, value)
        texts = slug_keys.node_texts(ctx, node, call) or param_texts.parameter_texts(ctx, node)
        for text in texts:
            known.setdefault(text, []).append(call)
    if no_workspace(ctx):
        if len(known) >= 2:
            raise Problem(OTHER_WORKSPACE, table.message(OTHER_WORKSPACE + ".several", SEVERAL, workspaces="`, `".join(known))
                          + f" (its workspace is filled in on {line_refs.lines(ctx, [c for c, _ in filled])})")
        return
    for text, calls in known.items():
        problem = other_workspace(ctx, text, table, f" (its workspace is filled in on {line_refs.lines(ctx, calls)})")
        if problem is not None:
            raise problem


def _filled(
    ctx: FileContext, root: cst.CSTNode, field: tuple[int | None, str]
) -> list[tuple[cst.Call, cst.BaseExpression]]:
    """The `NAME.format(...)` calls of the file of the name the template is
    assigned to, with the value each gives the placeholder `field` (its auto
    index, its text: `{}`, `{0}`, `{ws}`)."""
    assign = ctx.parent(root)
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and assign.value is root
            and isinstance(assign.targets[0].target, cst.Name)):
        return []
    auto, text = field
    inner = text[1:-1] if text.startswith("{") else None
    found: list[tuple[cst.Call, cst.BaseExpression]] = []
    for use in ctx.index.names.get(assign.targets[0].target.value, ()):
        method = ctx.parent(use)
        call = ctx.parent(method) if method is not None else None
        if not (isinstance(method, cst.Attribute) and method.value is use and method.attr.value == "format"
                and isinstance(call, cst.Call) and call.func is method) or any(a.star for a in call.args):
            continue
        positional = [a.value for a in call.args if a.keyword is None]
        if inner is not None and inner.isidentifier():
            value = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == inner), None)
        else:
            index = int(inner) if inner is not None and inner.isdigit() else auto
            value = positional[index] if index is not None and index < len(positional) else None
        if value is not None:
            found.append((call, value))
    return found


@dataclass(frozen=True)
class Renumber:
    """A `{}` placeholder copied from the Config template (its old auto index)."""

    index: int


def _renumber(
    path_items: list[NewItem | Renumber],
    query_items: list[NewItem | Renumber],
    deferred: dict[str, tuple[int | None, str]],
    copied: list[str],
    reading: Reading,
    describe: str,
    table: Table,
) -> tuple[list[NewItem], list[NewItem]]:
    """Keep placeholders filled elsewhere (`TEMPLATE.format(ws, src)`,
    `TEMPLATE % (ws, src)`) pointing at the same values when a Config
    placeholder (the workspace) is dropped: `{}` placeholders get explicit
    numbers; a dropped positional `%s` cannot be fixed here."""
    dropped = {name: v for name, v in deferred.items() if name not in copied}
    for name, (_, text) in dropped.items():
        if text in ("%s", "%d"):
            raise Problem(
                PARTIAL,
                table.message(PARTIAL, DEFAULTS[PARTIAL])
                + f" (the `{name}` value of this % template is given elsewhere and must go)",
            )
    dropped_auto = [i for i, _ in dropped.values() if i is not None]
    kept = [r.index for r in (*path_items, *query_items) if isinstance(r, Renumber)]
    renumber = any(d < k for d in dropped_auto for k in kept)
    if renumber and reading.query and "{}" in reading.query:
        raise Problem(PARTIAL, table.message(PARTIAL, DEFAULTS[PARTIAL]))

    def convert(items: list[NewItem | Renumber]) -> list[NewItem]:
        out: list[NewItem] = []
        for item in items:
            if isinstance(item, Renumber):
                text = "{" + str(item.index) + "}" if renumber else "{}"
                out.extend(NewCell(c) for c in text)
            else:
                out.append(item)
        return out

    return convert(path_items), convert(query_items)


def _literal_quote(chain: Chain) -> str:
    """Quote for literals inside generated code: never the quote of an
    f-string the code lands in."""
    quotes = {t.quote[0] for t in chain.tokens if t.fstring}
    if '"' in quotes:
        return "'"
    return '"'
