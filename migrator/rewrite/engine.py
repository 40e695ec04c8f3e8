"""One file through every rewrite kind: parse, visit each string expression,
then splice the accepted edits, marker lines and imports into the ORIGINAL
bytes, and check the result still parses."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Container, Mapping, Sequence
from dataclasses import dataclass, replace

import libcst as cst

from migrator.idmap import IdMap
from migrator.markers import MARKER, holds_name, in_ascii, marker_comment, subject_of, with_ids_advice
from migrator.rewrite.with_ids import advises_itself
from migrator.rewrite import dead_names, file_workspaces, ids_kept, line_refs, lookup_name, slugs_unreached, which_read
from migrator.rewrite.context import FileContext, PendingMarker, Region
from migrator.rewrite.edits import Edit
from migrator.rewrite.fixtures import UNPROVEN
from migrator.rewrite.registry import KINDS
from migrator.rewrite.result import Change, Marker
from migrator.rewrite.shared_bases import SharedBases, Tail, build_tail, read_tail, reads_back, stand_ins
from migrator.rewrite.source import Source, parses
from migrator.rewrite.strings import build_chain
from migrator.rewrite.typed_classes import Declared
from migrator.ruleset import RuleSet

LOOKUP_ROW = "rewrite.slug-ids"
SAFETY_ROW = "rewrite.paths"


@dataclass(frozen=True)
class Outcome:
    code: bytes
    changes: tuple[Change, ...]
    markers: tuple[Marker, ...]
    notes: tuple[str, ...]
    imported: Mapping[str, str | None] | None = None
    """What each imported base constant became (see `shared_bases`)."""
    exports: Mapping[str, object] | None = None
    """What the module's functions give back that is a migrated response (`FileContext.exports`)."""
    passes: Mapping[str, object] | None = None
    """Names it imports and calls whose migrated responses it reads (`FileContext.passes`)."""
    new_notes: tuple[str, ...] | None = None
    """`notes` as they read once the rewrite is written: the lines they name are the new file's."""
    kept_rows: tuple[tuple[str, int], ...] = ()
    """Endpoint rows the code keeps on the Config API, each with a line (`FileContext.kept_rows`)."""
    moved_attributes: tuple[str, ...] = ()
    """Attributes whose workspace base the file moves (`FileContext.moved_attributes`)."""
    apart_rows: tuple[str, ...] = ()
    """Endpoint rows of test doubles set apart from their base (`FileContext.apart_rows`)."""
    kept_requests: tuple[tuple[str, int], ...] = ()
    """Endpoint rows whose calls keep the Config method and body, each with a line (`FileContext.kept_requests`)."""
    sent_requests: tuple[tuple[str, int], ...] = ()
    """Endpoint rows and the lines of calls whose body was migrated (`FileContext.sent_requests`)."""
    moved_calls: tuple[tuple[str, str, str, int], ...] = ()
    """HTTP functions whose calls the file moved to another method (`FileContext.moved_calls`)."""
    shifts: tuple[tuple[int, int], ...] = ()
    """Lines the rewrite moves: (first line moved, lines added, or taken out
    if negative), each line of the file as it was (`line_refs.moved_line`)."""
    workspaces: tuple[tuple[str, int], ...] = ()
    """Without an id map, the workspaces its migrated calls drop, each with a line (`file_workspaces.dropped`)."""


def run(
    data: bytes,
    rules: RuleSet,
    ids: IdMap | None,
    region: Region,
    lookup_module: str | None,
    line_numbers: Sequence[int] | None = None,
    linked: str | None = None,
    kept: Mapping[str, str] | None = None,
    shared: SharedBases | None = None,
    returns: Mapping[str, object] | None = None,
    held_attributes: frozenset[str] = frozenset(),
    moved_patches: Mapping[str, tuple[str, str]] | None = None,
    held_requests: Mapping[str, str] | None = None,
    advise: bool = False,
    other_packages: frozenset[str] = frozenset(),
    moved_rows: Mapping[str, str] | None = None,
    types: Mapping[str, Declared] | None = None,
    run_workspaces: Mapping[str, str] | None = None,
) -> Outcome:
    """`advise`: the markers this run says an id map fixes (`ctx.with_ids`)
    end by saying so (`markers.IDS_ADVICE`; see `with_ids`)."""
    newline = "\r\n" if b"\r\n" in data else "\n"
    attributes = shared.attributes if shared else {}
    read = stand_ins(data, attributes) if attributes else data  # `settings.API` as the name of its copy
    tail = build_tail(shared.imported, newline, shared.imported_code, shared.imported_numbers,
                      shared.subclasses) if shared else None
    src = Source.parse(read + tail.text.encode("ascii") if tail else read)
    if tail is not None:
        tail = replace(tail, start=len(src.text) - len(tail.text))
    src.line_numbers = line_numbers
    ctx = FileContext.build(src, rules, ids, region, lookup_module)
    ctx.linked = linked
    ctx.kept = dict(kept or {})
    ctx.moved_rows = moved_rows or {}
    ctx.shared = shared or SharedBases()
    ctx.tail = tail
    ctx.returns = returns or {}
    ctx.held_attributes = held_attributes
    ctx.moved_patches = moved_patches or {}
    ctx.held_requests = held_requests or {}
    ctx.other_packages = other_packages
    ctx.types = types or {}
    ctx.run_workspaces = run_workspaces or {}
    for chain in iter_chains(ctx):
        for kind in KINDS:
            if kind.chain(ctx, chain):
                break
    for kind in KINDS:
        kind.finish(ctx)
    if ctx.shared.patched:
        from migrator.rewrite.mock_patched_bases import mark_patched_bases

        mark_patched_bases(ctx)  # once the doubles are migrated or marked
    slugs_unreached.mark(ctx)
    dead_names.remove(ctx)  # what the edits left unread
    which_read.name_the_reads(ctx)  # once every edit is in
    outcome = _assemble(ctx, advise) if tail is None else _without_tail(ctx, tail, len(data), advise)
    workspaces = file_workspaces.dropped(ctx)
    if workspaces:
        outcome = replace(outcome, workspaces=workspaces)
    if ctx.kept_rows:
        outcome = replace(outcome, kept_rows=tuple(sorted(ctx.kept_rows.items())))
    if ctx.apart_rows:
        outcome = replace(outcome, apart_rows=tuple(sorted(ctx.apart_rows)))
    if ctx.moved_attributes and outcome.changes:
        outcome = replace(outcome, moved_attributes=tuple(sorted(ctx.moved_attributes)))
    if ctx.kept_requests:
        outcome = replace(outcome, kept_requests=tuple(sorted(ctx.kept_requests.items())))
    if ctx.sent_requests:
        outcome = replace(outcome, sent_requests=tuple((row, line) for row, lines in sorted(ctx.sent_requests.items())
                                                       for line in lines))
    if ctx.moved_calls and outcome.changes:
        outcome = replace(outcome, moved_calls=tuple(sorted((k, *v) for k, v in ctx.moved_calls.items())))
    outcome = replace(outcome, exports=_exports(ctx, bool(outcome.changes)), passes=dict(ctx.passes))
    return _read_back(outcome, attributes) if attributes else outcome


def _read_back(outcome: Outcome, attributes: Mapping[str, str]) -> Outcome:
    """The outcome with each stand-in of a read off a module (`settings_API`)
    turned back into that read (`settings.API`), as the file has it."""
    def text(value: str) -> str:
        return reads_back(value, attributes)

    def notes(found: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if found is None else tuple(text(n) for n in found)

    return replace(
        outcome,
        code=reads_back(outcome.code, attributes),
        changes=tuple(replace(c, before=text(c.before), after=text(c.after)) for c in outcome.changes),
        markers=tuple(replace(m, reason=text(m.reason), new_reason=m.new_reason and text(m.new_reason))
                      for m in outcome.markers),
        notes=notes(outcome.notes) or (), new_notes=notes(outcome.new_notes),
    )


def _exports(ctx: FileContext, changed: bool) -> dict[str, object]:
    """What the file gives back that a migration changed: its own migrated
    responses (when it changed), or what it passes on of other modules'."""
    if changed:
        return dict(ctx.exports)
    given = list(ctx.returns.values())
    return {name: shape for name, shape in ctx.exports.items() if shape in given or name.endswith(UNPROVEN)}


def _without_tail(ctx: FileContext, tail: Tail, size: int, advise: bool) -> Outcome:
    """The outcome for the file alone, and what became of each imported
    constant: the tail's edits, changes and markers are taken out."""
    kept = {name for m in ctx.markers if tail.holds(m.offset) and (name := tail.name_at(m.offset))}
    imported = read_tail(tail, [(e.start, e.end, e.text) for e in ctx.edits if tail.holds(e.start)], kept)
    ctx.edits[:] = [e for e in ctx.edits if not tail.holds(e.start)]
    ctx.changes[:] = [c for c in ctx.changes if not tail.holds(c.start)]
    ctx.markers[:] = [m for m in ctx.markers if not tail.holds(m.offset)]
    outcome = _assemble(ctx, advise)
    end = len(outcome.code) - (len(ctx.src.data) - size)
    return replace(outcome, code=outcome.code[:end], imported=imported)


# -- finding string expressions ---------------------------------------------------


def iter_chains(ctx: FileContext):  # type: ignore[no-untyped-def]
    """Every outermost string expression, in source order (expressions
    inside the holes of another are visited too); value joins (`BASE +
    path`) go to the kinds' `value` hooks as they come."""
    src = ctx.src
    items: list[tuple[int, int, int, cst.BaseExpression]] = []
    index = ctx.index
    # Without a Config host anywhere, only strings holding a piece of a
    # Config path can matter (and a file with none costs no code generation).
    for node in index.roots if index.has_host else index.interesting:
        span = src.span(node)
        if span is not None:
            items.append((span[0], -span[1], 0, node))
    for node in ctx.index.joins if ctx.index.has_host else ():
        span = src.span(node)
        if span is not None:
            items.append((span[0], -span[1], 1, node))
    # the copies of imported constants first, as constants defined above the code that uses them
    tail = ctx.tail.start if ctx.tail is not None else None
    items.sort(key=lambda item: (tail is None or item[0] < tail, item[0], item[1], item[2]))
    for _, _, is_join, node in items:
        if is_join:
            for kind in KINDS:
                hook = getattr(kind, "value", None)
                if hook is not None:
                    hook(ctx, node)
            continue
        chain = build_chain(src, node)
        if chain is not None:
            yield chain


# -- putting the file back together ---------------------------------------------


def _assemble(ctx: FileContext, advise: bool = False) -> Outcome:
    src = ctx.src

    def shown(offset: int) -> int:
        return src.shown_line(src.position(offset)[0])

    changes = [
        Change(c.rule, *_shown(src, c.start), c.before, c.after) for c in ctx.changes
    ]
    markers: list[Marker] = []
    comments: list[tuple[int, str, PendingMarker, str, bool]] = []  # line start, indent, marker, newline, advised
    planned: set[tuple[str, int, str]] = set()
    advice = {  # the advised markers (ids of their `PendingMarker`)
        id(p) for p in ctx.markers
        if advise and advises_itself(p.rule, p.reason in ctx.with_ids, p.reason in ctx.by_hand, ctx.rules.by_id)
    }
    spans = _statement_spans(src) if _may_have_stale(ctx) else {}
    kept = ids_kept.kept_statements(ctx, spans)  # what a run with an id map said there stands
    stale = _stale_markers(ctx, spans, kept, advice)  # with the code it was about
    dropped = {start for start, _ in stale}
    for pending in ctx.markers:
        reason = line_refs.render(pending.reason, shown)
        place = _shown(src, pending.offset)
        if id(pending) in advice:
            reason = with_ids_advice(reason)
        target_line = src.position(pending.statement)[0]
        # One comment per reason (two reads of one line, two fields); none
        # when a run before left one of the rule there, about the same thing:
        # the run's summary then quotes that one (`Marker.held`).
        code = src.text[pending.statement:spans.get(pending.statement, pending.statement)]
        earlier = _has_marker(src, target_line, pending.rule, reason, dropped, code)
        marker = Marker(pending.rule, *place, reason, pending.reason in ctx.by_hand,
                        with_ids=pending.reason in ctx.with_ids, slug_by_hand=pending.reason in ctx.slugs_by_hand,
                        held=earlier)
        if marker not in markers:
            markers.append(marker)
        if pending.statement in kept:  # an earlier run's comments, left as they are (`ids_kept`)
            continue
        if earlier is not None or (pending.rule, target_line, pending.reason) in planned:
            continue
        planned.add((pending.rule, target_line, pending.reason))
        line_text = src.line_text(target_line)
        indent = line_text[: len(line_text) - len(line_text.lstrip(" \t\f"))]
        comments.append((src.line_starts[target_line - 1], indent, pending, src.line_newline(target_line),
                         id(pending) in advice))

    edits: list[tuple[int, int, str, bool]] = [(e.start, e.end, e.text, False) for e in ctx.edits]
    edits += [(start, end, "", False) for start, end in stale]
    lookup_import: tuple[int, int, str, bool] | None = None
    if ctx.needs_lookup_import and ctx.lookup_module:
        offset, text = _import_insertion(ctx, ctx.lookup_module)
        if text:
            lookup_import = (offset, offset, text, False)
            edits.append(lookup_import)
            changes.append(Change(LOOKUP_ROW, *_shown(src, offset), "", text.strip()))
    notes = tuple(line_refs.render(n, shown) for n in ctx.notes)
    if not edits and not comments:
        return Outcome(src.data, tuple(changes), tuple(markers), notes)

    # each comment is one line: where lines land is known before their text
    laid_out = edits + [(start, start, newline, True) for start, _, _, newline, _ in comments]

    def new(offset: int) -> int:
        if src.line_numbers is not None:  # a slice of a file has no rewritten file to point into
            return shown(offset)
        return _new_line(src, laid_out, src.position(offset)[0], offset)

    insertions: dict[int, list[str]] = {}
    for start, indent, pending, newline, advise in comments:
        text = line_refs.render(pending.reason, new, after=True)
        text = with_ids_advice(text) if advise else text
        insertions.setdefault(start, []).append(indent + marker_comment(pending.rule, text) + newline)
    for offset, texts in insertions.items():
        edits.append((offset, offset, "".join(texts), True))

    code = _splice_checked(src, edits, lookup_import)
    if code is None:
        # Never emit code that does not parse: leave the file as it is, and
        # say so alone (the other markers and notes speak of the rewrite not done).
        first = changes[0] if changes else None
        markers = [
            Marker(
                SAFETY_ROW,
                first.line if first else 1,
                first.column if first else 0,
                "the rewrite of this file would not parse, so nothing was changed: migrate it by hand",
                new_line=None if src.line_numbers is not None else first.line if first else 1,
            )
        ]
        return Outcome(src.data, (), tuple(markers), ())
    new_notes: tuple[str, ...] | None = None
    if src.line_numbers is None:
        new_notes = tuple(line_refs.render(n, new, after=True) for n in ctx.notes)
        renders = {(p.rule, line_refs.render(p.reason, shown)): line_refs.render(p.reason, new, after=True)
                   for p in ctx.markers}
        renders.update({(p.rule, with_ids_advice(line_refs.render(p.reason, shown))):
                        with_ids_advice(line_refs.render(p.reason, new, after=True))
                        for p in ctx.markers if id(p) in advice})
        markers = [
            replace(
                m,
                new_line=_new_line(src, edits, m.line, src.line_starts[m.line - 1] + m.column),
                new_reason=renders.get((m.rule, m.reason), m.reason),
            )
            for m in markers
        ]
    shifts = _shifts(src, edits) if src.line_numbers is None else ()
    return Outcome(code, tuple(changes), tuple(markers), notes, new_notes=new_notes, shifts=shifts)


def _new_line(src: Source, applied: list[tuple[int, int, str, bool]], line: int, offset: int) -> int:
    """Where `line` (holding `offset`) is once the edits are in (lines added before it)."""
    from migrator.rewrite.source import NEWLINE

    shift = 0
    for start, end, text, _ in applied:
        if start <= offset and (end <= offset or start == end):
            shift += len(NEWLINE.findall(text)) - len(NEWLINE.findall(src.text, start, end))
    return line + shift


def _shifts(src: Source, applied: list[tuple[int, int, str, bool]]) -> tuple[tuple[int, int], ...]:
    """`Outcome.shifts`: for each edit adding or taking out lines, the first
    line it moves (as `_new_line` counts) and by how many lines."""
    from migrator.rewrite.source import NEWLINE

    found: dict[int, int] = {}
    for start, end, text, _ in applied:
        delta = len(NEWLINE.findall(text)) - len(NEWLINE.findall(src.text, start, end))
        if delta:
            line = bisect_left(src.line_starts, end) + 1
            found[line] = found.get(line, 0) + delta
    return tuple(sorted(found.items()))


def _splice_checked(
    src: Source, edits: list[tuple[int, int, str, bool]], first: tuple[int, int, str, bool] | None = None
) -> bytes | None:
    # At one offset: the import of the lookup module, then marker comments
    # (they belong to the statement below them), then code.
    ordered = sorted(edits, key=lambda e: (e[0], e[1], 0 if e is first else 1 if e[3] else 2))
    text_parts: list[str] = []
    last = 0
    byte_edits: list[tuple[int, int, bytes]] = []
    for start, end, text, is_comment in ordered:
        if start < last:
            return None
        text = _line_ends(src, start, text)
        text_parts.append(src.text[last:start])
        text_parts.append(text)
        last = end
        encoded = src.encode(text, comment=is_comment)
        if encoded is None:
            return None
        byte_edits.append((start, end, encoded))
    text_parts.append(src.text[last:])
    code = src.splice(byte_edits)
    if not parses(code):  # the bytes, as Python decodes them (BOM, coding cookie)
        if src.compiles:
            return None
        # The original does not compile with this Python either (newer
        # syntax): hold the output to what libcst can parse.
        try:
            cst.parse_module("".join(text_parts))
        except Exception:
            return None
    return code


_BARE_LF = re.compile(r"(?<!\r)\n")


def _line_ends(src: Source, offset: int, text: str) -> str:
    """`text`, written at `offset`, with the line end of the line it goes
    in: the code the kinds build (request bodies, payloads, follow-up calls)
    ends its lines in `\\n`, a CRLF file keeps CRLF (Python reads both alike,
    in strings too)."""
    if "\n" not in text or src.line_newline(src.position(offset)[0]) != "\r\n":
        return text
    return _BARE_LF.sub("\r\n", text)


def _shown(src: Source, offset: int) -> tuple[int, int]:
    line, column = src.position(offset)
    return src.shown_line(line), column


def _stale_markers(
    ctx: FileContext, spans: Mapping[int, int], kept: Container[int] = (), advice: Container[int] = (),
) -> list[tuple[int, int]]:
    """Spans of the marker comments an earlier run left above a statement
    that this run changes (`rewrite` then `rewrite --ids`), when what they
    asked for is done or said anew: this run does not mark the statement for
    their rule, the field they name is gone from it (`display_name`, read as
    `name` now), or this run marks what they name there again in other
    words (its marker replaces theirs; a marker naming nothing, by the
    run's of its rule naming nothing); but above the statements starting in
    `kept` (`ids_kept`). Above a statement it leaves as it
    is, only for what it says is so (`catalog_name` read off what a call
    this run moves with ids returns), not what it says may be
    (`ctx.hedged`: "if the value comes from that API", said of a client a
    run before moved): the markers of other rules go, and those of its
    rules said anew. `spans`: the statements' (`_statement_spans`);
    `advice`: the markers this run writes with `IDS_ADVICE` (ids of them)."""
    src = ctx.src
    if not spans or not (ctx.changes or ctx.markers):
        return []
    starts = sorted(c.start for c in ctx.changes)
    messages: dict[int, dict[str, list[tuple[str, bool]]]] = {}
    """statement → rule → what this run says there, and whether it says what may be (`ctx.hedged`)"""
    for m in ctx.markers:
        text = line_refs.render(m.reason, lambda offset: 0)
        text = with_ids_advice(text) if id(m) in advice else text
        messages.setdefault(m.statement, {}).setdefault(m.rule, []).append((text, m.reason in ctx.hedged))
    stale: list[tuple[int, int]] = []
    for start, end in spans.items():
        i = bisect_left(starts, start)
        changed = i < len(starts) and starts[i] < end
        if not changed and start not in messages or start in kept:
            continue
        original = src.text[start:end]
        said: dict[str, dict[str | None, set[str]]] = {}
        """rule → what this run's markers name (`subject_of`) → what they say of it"""
        for rule, texts in messages.get(start, {}).items():
            for text, hedged in texts:
                if changed or not hedged:
                    said.setdefault(rule, {}).setdefault(subject_of(text, original), set()).add(_wording(text))
        # a statement this run marks for what is so: its markers replace the earlier run's of other rules
        others = bool(said) and not changed
        rules = messages.get(start, {}).keys()
        number = src.position(start)[0] - 1
        code: str | None = None
        while number >= 1:
            text = src.line_text(number)
            found = MARKER.search(text.strip()) if text.lstrip().startswith("#") else None
            if found is None:
                break
            message, again = found.group("message"), said.get(found.group("rule"))
            if changed and again is not None and code is None:
                code = _changed(src.text, start, end, ctx.edits)
            if (again is None and (changed or others and found.group("rule") not in rules)) or (
                again is not None and _said_or_gone(message, again, original, code)
            ):
                stale.append((src.line_starts[number - 1], src.line_starts[number]))
            number -= 1
    return stale


def _may_have_stale(ctx: FileContext) -> bool:
    """Whether an earlier run's marker comments may be stale: the file holds
    some, and this run changes it or marks a statement right below one (a
    walk of the statements less for the others, the audit's reads of
    rewritten files among them)."""
    src = ctx.src
    if "# migrator[" not in src.text:
        return False
    if ctx.changes:
        return True
    for m in ctx.markers:
        line = src.position(m.statement)[0]
        above = src.line_text(line - 1).strip() if line > 1 else ""
        if above.startswith("#") and MARKER.search(above):
            return True
    return False


def _statement_spans(src: Source) -> dict[int, int]:
    """Where each statement starts → where it ends; a compound statement's
    header: a change in its body is the body's statements'."""
    spans: dict[int, int] = {}
    for statement in _statements(src.module):
        span = src.span(statement)
        if span is None:
            continue
        body = getattr(statement, "body", None)
        if isinstance(statement, cst.BaseCompoundStatement) and body is not None and (inner := src.span(body)):
            spans[span[0]] = inner[0]
        else:
            spans[span[0]] = span[1]
    return spans


_FIELD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


def _wording(message: str) -> str:
    """A marker's message, its line numbers aside (they move), in ASCII (`in_ascii`)."""
    return _DIGITS.sub("#", " ".join(in_ascii(message).split()))


def _said_or_gone(
    message: str, again: Mapping[str | None, Collection[str]], original: str, code: str | None,
) -> bool:
    """An earlier marker of a rule this run marks the statement for again is
    done with: this run says what it names (or, naming nothing, what it
    says naming nothing) in other words, or it names a field the statement,
    as this run changes it (`code`, None when it does not), no longer holds."""
    name = subject_of(message, original)
    if name in again:
        return _wording(message) not in again[name]
    if name is not None and any(_printed_holds(subject, name) for subject in again):
        return True  # a read in `{expr=}`, marked now as printed text (`context.PRINTED`)
    return name is not None and code is not None and _FIELD.fullmatch(name) is not None and not holds_name(code, name)


def _changed(text: str, start: int, end: int, edits: Sequence[Edit]) -> str:
    """`text[start:end]` with the edits inside it applied."""
    out: list[str] = []
    last = start
    for edit in sorted((e for e in edits if start <= e.start and e.end <= end), key=lambda e: e.start):
        if edit.start < last:
            continue
        out.append(text[last:edit.start])
        out.append(edit.text)
        last = edit.end
    out.append(text[last:end])
    return "".join(out)


def _statements(module: cst.Module) -> list[cst.CSTNode]:
    """Every statement, at any depth (simple statement lines and compound statements)."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            found.append(node)
        if not isinstance(node, cst.SimpleStatementLine):
            stack.extend(node.children)
    return found


_PRINTED_SUBJECT = re.compile(r"\{(?P<code>.+?)\s*=\s*\}")
"""What a marker of a self-documenting f-string's expression names (`{src['display_name']=}`: `context.PRINTED`)."""


def _printed_holds(subject: str | None, name: str) -> bool:
    """`subject` names the expression of a `{expr=}` (`_PRINTED_SUBJECT`)
    that reads `name`: its marker (left as it is, migrate it by hand) says
    all there is to say of that read."""
    found = _PRINTED_SUBJECT.fullmatch(subject) if subject is not None else None
    return found is not None and holds_name(found.group("code"), name)


def _has_marker(
    src: Source, line: int, rule: str, reason: str = "", dropped: Container[int] = (), code: str = "",
) -> str | None:
    """The message of a marker for `rule` among the comment lines right
    above `line`, but those starting at an offset in `dropped`
    (`_stale_markers`) and those about another thing than `reason` is
    (`subject_of`, in the statement's `code`); None if there is none. One
    saying what `reason` says (line numbers aside) comes first: two markers
    of a rule naming nothing above one line (two statements joined by `;`)
    are each found again."""
    subject = subject_of(reason, code)
    number = line - 1
    first: str | None = None
    while number >= 1:
        text = src.line_text(number).strip()
        if not text.startswith("#"):
            break
        found = MARKER.search(text)
        if found and found.group("rule") == rule and src.line_starts[number - 1] not in dropped:
            message = found.group("message")
            theirs = subject_of(message, code)
            if subject is None or theirs is None or theirs == subject or _printed_holds(theirs, subject):
                if _wording(message) == _wording(reason):
                    return message
                first = message if first is None else first
        number -= 1
    return first


def _import_insertion(ctx: FileContext, module: str) -> tuple[int, str]:
    """Where and what to insert so that `module` is imported (nothing if it is,
    at module level: an import in a function serves that function only)."""
    if "." not in module and lookup_name.imported(ctx):
        return 0, ""
    if "." in module and module in ctx.index.modules.values() and ctx.index.modules.get(module) == module:
        return 0, ""
    src = ctx.src
    body = list(src.module.body)
    after: cst.CSTNode | None = None
    for i, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body[0] if statement.body else None
        if i == 0 and isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
            after = statement
            continue
        if isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name) and small.module.value == "__future__":
            after = statement
            continue
        break
    newline = src.module.default_newline
    if after is not None:
        span = src.span(after)
        if span is None:
            return 0, ""
        line = src.position(span[1])[0]
        if line < len(src.line_starts):
            return src.line_starts[line], f"import {module}{newline}"
        return len(src.text), f"{newline}import {module}{newline}"
    if body:
        span = src.span(body[0])
        if span is None:
            return 0, ""
        line = src.position(span[0])[0]
        return src.line_starts[line - 1], f"import {module}{newline}"
    return len(src.text), f"import {module}{newline}"
