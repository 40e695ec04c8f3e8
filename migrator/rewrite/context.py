"""What every rewrite kind sees of one file: the source, the table, an index
of names and assignments, and the place to record edits, markers and notes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex, get_args, get_type_hints

import libcst as cst

from migrator.idmap import IdMap
from migrator.markers import MARKER, suppression_problem, suppresses
from migrator.rewrite.shared_bases import SharedBases, Tail
from migrator.rewrite.source import Source
from migrator.rewrite.edits import Edit
from migrator.rewrite.strings import Chain
from migrator.ruleset import RuleSet

if TYPE_CHECKING:
    from migrator.audit.suppress import Suppression
    from migrator.rewrite.typed_classes import Declared

Region = Literal["us", "eu"]

PRINTED = (
    "`{{{code}=}}` prints the text of this expression with its value: rewriting the expression would change "
    "what is printed, so it is left as it is: migrate it by hand, writing the text out if it must stay "
    "(`{code}={{...!r}}`)"
)
_PRINTED = re.compile(r"=\s*[}!:]")
"""Text that may end a self-documenting f-string expression (`{x=}`, `{x = !r}`)."""


@dataclass(frozen=True)
class PendingMarker:
    rule: str
    offset: int
    """Text offset of the node the marker is about."""
    reason: str
    statement: int
    """Text offset of the statement the marker line goes above."""
    end: int = -1
    """Text offset where the node ends."""
    statement_end: int = -1
    """Where the code the marker line speaks of ends: the statement, or the
    line holding the node's end in a compound statement's header."""


class Edits(list[Edit]):
    """The edits taken, with `overlaps` answering from an index by position
    (a file with thousands of edits would otherwise compare each new one
    with all of them). The index follows appends; any other change
    rebuilds it."""

    BLOCK = 256

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self._blocks: dict[int, list[Edit]] = {}
        self._indexed = 0

    def overlaps(self, edit: Edit) -> bool:
        """`edit` collides with an edit taken (`_overlap`)."""
        self._index()
        blocks = self._blocks
        seen: set[int] = set()
        for block in self._span(edit):
            for taken in blocks.get(block, ()):
                if id(taken) not in seen:
                    seen.add(id(taken))
                    if _overlap(edit, taken):
                        return True
        return False

    def _reset(self) -> None:
        self._blocks, self._indexed = {}, 0

    def __delitem__(self, key: SupportsIndex | slice) -> None:
        super().__delitem__(key)
        self._reset()

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self._reset()

    def insert(self, index: SupportsIndex, value: Edit) -> None:
        super().insert(index, value)
        self._reset()

    def pop(self, index: SupportsIndex = -1) -> Edit:
        self._reset()
        return super().pop(index)

    def remove(self, value: Edit) -> None:
        super().remove(value)
        self._reset()

    def clear(self) -> None:
        super().clear()
        self._reset()

    def _index(self) -> None:
        if len(self) < self._indexed:
            self._reset()
        for edit in self[self._indexed :]:
            for block in self._span(edit):
                self._blocks.setdefault(block, []).append(edit)
        self._indexed = len(self)

    def _span(self, edit: Edit) -> range:
        size = self.BLOCK
        return range(edit.start // size, max(edit.start, edit.end - 1) // size + 1)


@dataclass
class Recorded:
    rule: str
    start: int
    end: int
    before: str
    after: str


Scope = cst.FunctionDef | cst.Lambda | cst.Module


_SKIPPED = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
    cst.LeftParen,
    cst.RightParen,
    cst.Comma,
)
_FIELDS: dict[type, tuple[str, ...]] = {}
_DESCEND: dict[type, bool] = {}
_ROOT_TYPES = frozenset(
    {cst.BinaryOperation, cst.SimpleString, cst.FormattedString, cst.ConcatenatedString, cst.Call}
)
# libcst nodes are ABCs, so isinstance() on them is slow: the walk decides by
# exact type, cached.


def node_types(*bases: type) -> frozenset[type]:
    """The node classes that are one of `bases` or derive from one:
    `type(node) in` it answers as isinstance() does, at the cost of a set
    lookup (libcst's nodes are ABCs, whose isinstance() is slow)."""
    found: set[type] = set()
    stack = list(bases)
    while stack:
        cls = stack.pop()
        if cls not in found:
            found.add(cls)
            stack.extend(cls.__subclasses__())
    return frozenset(found)


STATEMENTS = node_types(cst.BaseStatement)
SMALL_STATEMENTS = node_types(cst.BaseSmallStatement)


def _fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class whose declared type may hold a node the walk
    enters (not those only ever holding whitespace, parentheses or commas)."""
    found = _FIELDS.get(cls)
    if found is None:
        try:
            hints = get_type_hints(cls)
        except Exception:  # an annotation that cannot be resolved: read every field
            hints = {}
        found = tuple(f.name for f in fields(cls) if f.name not in hints or _may_hold_node(hints[f.name]))
        _FIELDS[cls] = found
    return found


def _may_hold_node(hint: object) -> bool:
    if isinstance(hint, type):
        return issubclass(hint, cst.CSTNode) and not issubclass(hint, _SKIPPED)
    args = get_args(hint)
    return not args or any(_may_hold_node(a) for a in args)  # an unknown form: may


def _descend(cls: type) -> bool:
    found = _DESCEND.get(cls)
    if found is None:
        found = issubclass(cls, cst.CSTNode) and not issubclass(cls, _SKIPPED)
        _DESCEND[cls] = found
    return found


def child_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children of `node` in field order, whitespace and comments left out
    (much cheaper than libcst's `children`, which runs a visitor)."""
    children: list[cst.CSTNode] = []
    descend = _DESCEND
    for name in _fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind is list or kind is tuple:
            for item in value:
                ok = descend.get(type(item))
                if ok is None:
                    ok = _descend(type(item))
                if ok:
                    children.append(item)
        else:
            ok = descend.get(kind)
            if ok is None:
                ok = _descend(kind)
            if ok:
                children.append(value)
    return children


def walk(root: cst.CSTNode):  # type: ignore[no-untyped-def]
    """(node, parent) pairs, parents first, without libcst's visitor machinery
    (which rebuilds every node it visits). Whitespace nodes are skipped."""
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(root, None)]
    pop, push = stack.pop, stack.append
    while stack:
        node, parent = pop()
        yield node, parent
        for child in reversed(child_nodes(node)):
            push((child, node))


def _literal_text(parts: list[cst.CSTNode]) -> str:
    out = []
    for part in parts:
        if type(part) is cst.SimpleString:
            out.append(part.value)  # type: ignore[attr-defined]
        elif type(part) is cst.FormattedString:
            for piece in part.parts:  # type: ignore[attr-defined]
                if type(piece) is cst.FormattedStringText:
                    out.append(piece.value)
    return "\x00".join(out)


class Index:
    """Parents, assignments, uses and string expressions, gathered in one pass."""

    def __init__(self) -> None:
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.up: dict[int, cst.CSTNode] = {}
        """`parents` by the node's id: the same answers, without a call of the
        nodes' `__hash__` (Python code) for each lookup."""
        # (scope, name) -> assigned values
        self.assignments: dict[tuple[cst.CSTNode, str], list[cst.BaseExpression]] = defaultdict(list)
        # (class, attr) -> values assigned in the class body or to self.attr
        self.attributes: dict[tuple[cst.ClassDef, str], list[cst.BaseExpression]] = defaultdict(list)
        self.names: dict[str, list[cst.Name]] = defaultdict(list)
        self.self_attributes: dict[tuple[cst.ClassDef, str], list[cst.Attribute]] = defaultdict(list)
        self.classes: dict[str, cst.ClassDef] = {}
        self.modules: dict[str, str] = {}
        """Local name → dotted module or object it was imported as (`rq` → `requests`)."""
        self.targets: set[cst.CSTNode] = set()
        self.defaults: dict[tuple[cst.FunctionDef, str], cst.BaseExpression] = {}
        self.docstrings: set[cst.CSTNode] = set()
        self.roots: list[cst.BaseExpression] = []
        """Outermost string expressions (`strings.build_chain` reads them)."""
        self.joins: list[cst.BaseExpression] = []
        """`a + b` and `f"{a}{b}"` without literal text."""
        self._absorbed: set[int] = set()
        self.has_host = False
        """Some literal holds a Config host: bases held in names may be Config."""
        self.interesting: list[cst.BaseExpression] = []
        """Roots with a needle of the table in their literal text."""
        self._globals: dict[int, set[str]] = {}
        """Function (id) → names it declares `global`: its assignments to them are the module's."""
        self.star_imports: list[cst.ImportFrom] = []
        """`from x import *` statements: they may bind any name."""

    @classmethod
    def build(cls, module: cst.Module, needles: tuple[str, ...] = (), hosts: tuple[str, ...] = ()) -> Index:
        """`needles`: a string expression none of whose literal pieces holds
        one of them is not kept as a root. `hosts`: whether any literal holds
        one is remembered in `has_host` (value joins only matter then)."""
        from migrator.rewrite.strings import absorbed_parts, is_chain_root, is_value_join

        index = cls()
        parents, up = index.parents, index.up
        handlers = {
            getattr(cst, name[len("visit_") :]): getattr(index, name)
            for name in dir(index)
            if name.startswith("visit_")
        }
        absorbed = index._absorbed
        roots = _ROOT_TYPES
        for node, parent in walk(module):
            if parent is not None:
                parents[node] = parent
                up[id(node)] = parent
            kind = type(node)
            handler = handlers.get(kind)
            if handler is not None:
                handler(node)
            if kind not in roots and kind is not cst.FormattedString:
                continue
            if id(node) in absorbed:
                continue
            if node in index.docstrings:
                continue
            if is_chain_root(node):
                parts = absorbed_parts(node)
                absorbed.update(id(part) for part in parts)
                literal = _literal_text(parts)
                index.roots.append(node)
                # host names are case-insensitive (`Platform.SegmentAPIs.com`, see `strings.fold_hosts`)
                folded = literal.lower() if hosts else literal
                if not needles or any(n in literal for n in needles) or any(h in folded for h in hosts):
                    index.interesting.append(node)
                if any(h in folded for h in hosts):
                    index.has_host = True
            elif is_value_join(node):
                index.joins.append(node)
                absorbed.update(id(part) for part in absorbed_parts(node))
        return index

    # scopes

    def scope_of(self, node: cst.CSTNode) -> cst.CSTNode:
        up = self.up
        current = up.get(id(node))
        while current is not None and type(current) is not cst.FunctionDef and type(current) is not cst.Lambda:
            current = up.get(id(current))
        return current if current is not None else self._module

    def class_of(self, node: cst.CSTNode) -> cst.ClassDef | None:
        up = self.up
        current = up.get(id(node))
        while current is not None and type(current) is not cst.ClassDef:
            current = up.get(id(current))
        return current  # type: ignore[return-value]

    def visit_Module(self, node: cst.Module) -> None:
        self._module = node  # type: ignore[attr-defined]
        self._docstring(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.setdefault(node.name.value, node)
        if isinstance(node.body, cst.IndentedBlock):
            self._docstring(node.body.body)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if isinstance(node.body, cst.IndentedBlock):
            self._docstring(node.body.body)
        for param in (*node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                self.defaults[(node, param.name.value)] = param.default

    def _docstring(self, body: object) -> None:
        statements = list(body)  # type: ignore[call-overload]
        if statements and isinstance(statements[0], cst.SimpleStatementLine):
            first = statements[0].body[0] if statements[0].body else None
            if isinstance(first, cst.Expr) and isinstance(
                first.value, (cst.SimpleString, cst.ConcatenatedString)
            ):
                self.docstrings.add(first.value)

    # assignments

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value, node)

    def declares_global(self, function: cst.CSTNode, name: str) -> bool:
        """`function` declares `global name`: what it binds to it is the module's."""
        return name in self._globals.get(id(function), ())

    def visit_Global(self, node: cst.Global) -> None:
        self._globals.setdefault(id(self.scope_of(node)), set()).update(n.name.value for n in node.names)

    def _target(self, target: cst.BaseExpression, value: cst.BaseExpression, stmt: cst.CSTNode) -> None:
        self.targets.add(target)
        if isinstance(target, cst.Name):
            scope = self.scope_of(stmt)
            if target.value in self._globals.get(id(scope), ()):
                scope = self._module  # type: ignore[attr-defined]  # `global API` then `API = url`
            klass = self.parents.get(self.parents.get(self.parents.get(stmt)))  # type: ignore[arg-type]
            if isinstance(scope, cst.Module) and isinstance(klass, cst.ClassDef):
                self.attributes[(klass, target.value)].append(value)
            else:
                self.assignments[(scope, target.value)].append(value)
        elif (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value in ("self", "cls")
        ):
            klass = self.class_of(stmt)
            if klass is not None:
                self.attributes[(klass, target.attr.value)].append(value)

    # uses

    def visit_Name(self, node: cst.Name) -> None:
        self.names[node.value].append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
            klass = self.class_of(node)
            if klass is not None:
                self.self_attributes[(klass, node.attr.value)].append(node)

    # imports

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.modules[alias.asname.name.value] = dotted
            else:
                self.modules[dotted.split(".")[0]] = dotted.split(".")[0]

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.star_imports.append(node)
        if node.module is None or isinstance(node.names, cst.ImportStar):
            return
        base = _dotted(node.module)
        for alias in node.names:
            name = _dotted(alias.name)
            local = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else name
            )
            self.modules[local] = f"{base}.{name}"


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


@dataclass
class FileContext:
    src: Source
    rules: RuleSet
    ids: IdMap | None
    region: Region
    lookup_module: str | None
    index: Index
    edits: Edits = field(default_factory=Edits)
    changes: list[Recorded] = field(default_factory=list)
    markers: list[PendingMarker] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    by_hand: set[str] = field(default_factory=set)
    """Reasons of markers that no id map resolves (see `path_messages.slug_message`)."""
    slugs_by_hand: set[str] = field(default_factory=set)
    """Of those, the slug markers that say so themselves; the others are id
    markers kept with a path held for another reason (`joins`)."""
    with_ids: set[str] = field(default_factory=set)
    """Reasons of markers of rows no id map fixes as such, that one fixes here:
    a path kept with others only for ids (see `joins.settle`)."""
    hedged: set[str] = field(default_factory=set)
    """Reasons of markers that say what a read may be, not what it is (a
    Config field read off a value of unproven origin, see `responses`), or
    that an earlier run wrote and this one only finds again (`slugs_unreached`):
    they do not replace what a run before said (`engine._stale_markers`)."""
    claimed: set[int] = field(default_factory=set)
    """ids of chain roots a kind has dealt with (later kinds skip them)."""
    needs_lookup_import: bool = False
    response_rules: set[str] = field(default_factory=set)
    """Endpoint rows whose responses migrated code now reads (for the note)."""
    state: dict[str, object] = field(default_factory=dict)
    """Per-file working state of the kinds, by module name (see `joins`)."""
    linked: str | None = None
    """Why this file, with no Config call of its own, reads a Segment API's
    responses (`this file imports `x.py`, which uses a Segment API`): its
    Config-looking field reads are marked, saying so (see `responses`)."""
    kept: dict[str, str] = field(default_factory=dict)
    """Endpoint rows the code under test keeps on the Config API → where
    (see `rewrite_bytes`)."""
    moved_rows: Mapping[str, str] = field(default_factory=dict)
    """Endpoint rows the code under test calls the Public API for, in calls
    this run migrated → where (see `rewrite_bytes`, `kept_marker`)."""
    shared: SharedBases = field(default_factory=SharedBases)
    returns: Mapping[str, object] = field(default_factory=dict)
    """What functions of other modules of the run give back, as this file
    calls them (`client.get_source` → a `responses_flow.Shape`): their
    responses, migrated there, are followed here (see `exports`)."""
    types: Mapping[str, Declared] = field(default_factory=dict)
    """Classes of other modules of the run that declare Config fields, as this
    file imports them (`app.models.Source`, `.models.Source`): a migrated
    response typed with one is marked (`responses_typed`)."""
    other_packages: frozenset[str] = frozenset()
    """Names the file imports from other APIs' packages (`other_clients.other_packages`)."""
    held_attributes: frozenset[str] = frozenset()
    """Attributes (`self.base`) other modules of the run read: a base bound to
    one stays where it is (`driver._hold_read_attributes`)."""
    moved_attributes: set[str] = field(default_factory=set)
    """Attributes whose workspace base this file moves (for that check)."""
    kept_rows: dict[str, int] = field(default_factory=dict)
    """Endpoint rows whose Config paths this file's code keeps (marked, or put
    back with what they are joined to) → a line: the tests of the run keep
    their doubles of them (`driver._keep_tests_with_their_code`)."""
    apart_rows: set[str] = field(default_factory=set)
    """Endpoint rows of this file's test doubles that could not move, set
    apart from their base (`mock_apart`): kept instead when the code they
    test keeps calling them (`driver._keep_tests_with_their_code`)."""
    exports: dict[str, object] = field(default_factory=dict)
    """What this module's functions give back, when it is a migrated
    response (name → `responses_flow.Shape`): for the modules that call them."""
    passes: dict[str, object] = field(default_factory=dict)
    """Names this module imports and uses whose migrated responses it reads
    (`get_source` of `from client import get_source`): a test that puts a
    fake in their place here (`mock.patch("app.report.get_source")`) must
    give it the Public shape."""
    tail: Tail | None = None
    """The imported base constants appended to the text (`shared_bases`)."""
    moved_calls: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """HTTP functions whose calls this file moved to another method, as it
    names them (`requests.put`) → (their qualified name, the new method, a
    line): a test patching the old one in this module no longer catches them."""
    moved_at: dict[str, int] = field(default_factory=dict)
    """Where (an offset) the first call of each of `moved_calls` is."""
    kept_requests: dict[str, int] = field(default_factory=dict)
    """Endpoint rows whose calls this file migrated the URL of but kept the
    Config method and body of (marked) → a line: the tests of the run keep
    their doubles' method and pinned bodies (`driver._keep_tests_with_their_code`)."""
    sent_requests: dict[str, list[int]] = field(default_factory=dict)
    """Endpoint rows → the lines of this file's calls whose body was migrated:
    they send the Public body (`driver._keep_tests_with_their_code`)."""
    held_requests: Mapping[str, str] = field(default_factory=dict)
    """Endpoint rows the code under test sends as the Config API takes them
    (its `kept_requests`) → where: see `mocks`."""
    moved_patches: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Patch targets of functions that other modules of the run no longer
    call (`tp5.requests.put`) → (what they call now, where): see `mock_moved`."""
    run_workspaces: Mapping[str, str] = field(default_factory=dict)
    """Without an id map, the workspaces other files of the run drop from
    their migrated calls → where (`b.py`): this file's calls for another are
    marked (`file_workspaces`)."""

    @classmethod
    def build(
        cls,
        src: Source,
        rules: RuleSet,
        ids: IdMap | None,
        region: Region,
        lookup_module: str | None,
    ) -> FileContext:
        from migrator.rewrite.table import table_for

        table = table_for(rules)
        hosts = tuple(h.origin.split("://", 1)[-1] for h in table.hosts)
        src.host_fold = table.host_fold
        return cls(src, rules, ids, region, lookup_module, Index.build(src.module, table.needles, hosts))

    # -- tree helpers ----------------------------------------------------------

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.index.up.get(id(node))

    def within(self, node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
        """`node` is `ancestor` or inside it."""
        current: cst.CSTNode | None = node
        while current is not None:
            if current is ancestor:
                return True
            current = self.parent(current)
        return False

    def statement_of(self, node: cst.CSTNode) -> cst.CSTNode:
        """The statement a marker goes above: the simple statement line, or
        the compound statement whose header holds the node."""
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, cst.SimpleStatementLine):
                return current
            if isinstance(current, cst.BaseCompoundStatement):
                return current
            if isinstance(current, cst.BaseSuite):
                # a one-line suite (`if x: y = URL`): the statement owning it
                owner = self.parent(current)
                return owner if owner is not None else current
            current = self.parent(current)
        return node

    # -- recording -------------------------------------------------------------

    def change(self, rule: str, chain: Chain, edits: list[Edit]) -> None:
        from migrator.rewrite.edits import apply

        start, end = chain.outer
        before = self.src.text[start:end]
        after = apply(before, [e for e in edits if start <= e.start and e.end <= end], start)
        self.changes.append(Recorded(rule, start, end, before, after))

    def accept(self, chain: Chain, edits: list[Edit], rules: list[str]) -> bool:
        """Take a chain's edits unless they collide with edits already taken
        (a string inside a value of another string) or change printed text
        (`printed`); record the changes."""
        if any(self.edits.overlaps(edit) for edit in edits) or self.printed(edits, "rewrite.paths", chain.root):
            return False
        self.edits.extend(edits)
        for rule in rules:
            self.change(rule, chain, edits)
        return True

    def printed(self, edits: list[Edit], rule: str, node: cst.CSTNode) -> bool:
        """Whether an edit would change the expression of a self-documenting
        f-string (`f"{src['display_name']=}"`), whose text is printed with its
        value: then it is marked (`rule`, on `node`) instead."""
        for start, end, code in self._printed():
            if any(e.start <= end and start <= e.end for e in edits):
                if not self.suppressed(node, rule):
                    self.mark(rule, node, PRINTED.format(code=code))
                return True
        return False

    def _printed(self) -> list[tuple[int, int, str]]:
        """The spans and texts of the expressions of `{expr=}` in f-strings."""
        found = self.state.get("printed")
        if found is None:
            found = []
            if _PRINTED.search(self.src.text):
                for node in self.index.parents:
                    if isinstance(node, cst.FormattedStringExpression) and node.equal is not None:
                        span = self.src.span(node.expression)
                        if span is not None:
                            found.append((*span, self.src.text[span[0] : span[1]]))
            self.state["printed"] = found
        return found  # type: ignore[return-value]

    def mark(self, rule: str, node: cst.CSTNode, reason: str) -> None:
        span = self.src.span(node)
        if span is None:
            return
        statement = self.statement_of(node)
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.decorators:
            statement = statement.decorators[0]
        statement_span = self.src.span(statement) or span
        statement_end = statement_span[1]
        if not isinstance(statement, cst.SimpleStatementLine):
            line = self.src.position(span[1])[0]
            statement_end = self.src.line_starts[line] if line < len(self.src.line_starts) else len(self.src.text)
        self.markers.append(PendingMarker(rule, span[0], reason, statement_span[0], span[1], statement_end))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def earlier_markers(self, node: cst.CSTNode) -> Iterator[tuple[str, str]]:
        """(rule, message) of the marker comments right above the statement of
        `node`: those an earlier run left there."""
        span = self.src.span(self.statement_of(node))
        number = self.src.position(span[0])[0] - 1 if span is not None else 0
        while number >= 1:
            text = self.src.line_text(number).strip()
            found = MARKER.search(text) if text.startswith("#") else None
            if found is None:
                return
            yield found.group("rule"), found.group("message")
            number -= 1

    def suppressed(self, node: cst.CSTNode, rule: str) -> bool:
        """A `# migrator: ignore[...]` comment covers the node's first line (see `suppression`)."""
        return self.suppression(node, (rule,)) is not None

    def suppression(self, node: cst.CSTNode, rules: Iterable[str]) -> tuple[int, str] | None:
        """The `# migrator: ignore[...]` comment covering the node's first
        line that covers one of `rules`, the nearest: its line and its text
        (`migrator: ignore[host.base-url]`). A comment covers the lines
        `migrator audit` says it does: its own and, alone on its line, those
        of the statement below (its open brackets, its `\\` continuations)."""
        span = self.src.span(node)
        if span is None:
            return None
        wanted = tuple(rules)
        line, _ = self.src.position(span[0])
        for comment in self._suppressions().get(line, ()):
            problem = suppression_problem(comment.rules, self.rules.by_id)
            if problem:
                self.note(f"line {comment.line}: {problem}")
            if any(suppresses(comment.rules, rule) for rule in wanted):
                return comment.line, comment.text
        return None

    def _suppressions(self) -> dict[int, list[Suppression]]:
        """Line → the suppression comments covering it, nearest first."""
        found = self.state.get("suppressions")
        if not isinstance(found, dict):
            from migrator.audit.suppress import python_suppressions  # the audit's reading (it imports the rewrite)

            found = python_suppressions(self.src.text)
            self.state["suppressions"] = found
        return found


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:
        point, other = (a, b) if a.start == a.end else (b, a)
        if other.start == other.end:
            return point.start == other.start
        return other.start < point.start < other.end
    return a.start < b.end and b.start < a.end
