"""The third tier of the text scan: Config-only field names (`display_name`,
`page_token`) kept where the text is code naming them near Config usage,
and the resources they belong to (`_resource_signs`)."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterable

from migrator.audit import lexer
from migrator.audit.base_urls import config_text, line_of_other_apis
from migrator.audit.bound import OtherApis
from migrator.audit.notebook import is_notebook, python_view
from migrator.audit.named_functions import function_signs
from migrator.audit.schema_keys import property_name
from migrator.audit.sections import Scope, in_scope
from migrator.audit.shell_names import is_shell, shell_variable
from migrator.audit.table import Catalog, Word
from migrator.audit.terraform import block_bodies, config_blocks, is_terraform, own_names, within
from migrator.audit.text_scan import Hit, Scan
from migrator.audit.type_bodies import owner_at, owners, type_bodies
from migrator.audit.yaml_values import data_value, is_yaml
from migrator.imports import language
from migrator.ruleset.outcomes import kinds_phrase


def _UNREAD(at: int) -> bool:
    """`words`' mark of the parts of a file not read yet (`in_scope`)."""
    raise AssertionError(at)


def words(scan: Scan) -> None:
    """Config-only names, whole words only; in code, not where they name the
    code's own functions, classes, parameters or variables (a notebook's
    cells are code)."""
    text = scan.text
    lang = language(scan.path)
    lowered = scan.path.lower()
    code, js = lang is not None or is_notebook(scan.path) or lowered.endswith(BARE_NAMES), lang == "js"
    sigils = lowered.endswith(SIGIL_NAMES)
    python, shell = lang == "python" or is_notebook(scan.path), is_shell(scan.path)
    yaml = is_yaml(scan.path)
    others = _other_apis(scan, lang)
    scoped: Scope | Callable[[int], bool] | None = _UNREAD  # read at the first name that needs it
    sent: frozenset[str] | None = None
    schemas = "properties" in text
    for word, meaning in scan.catalog.words.items():
        for at in scan.found.get(word, ()):
            end = at + len(word)
            if at > 0 and _is_word_char(text[at - 1]):
                continue
            if end < len(text) and _is_word_char(text[end]):
                continue
            if code and _names_code(text, at, end, js, python) or _own_name(scan, at):
                continue
            if shell and shell_variable(text, at, end):
                continue  # `page_token=""`, `"$page_token"`: the script's own variable
            if sigils and (text[at - 1 : at] == "$" or text[max(0, at - 2) : at] == "${"):
                continue  # PHP's, Perl's, PowerShell's `$page_token`: the code's own variable
            if yaml and data_value(text, at, end):
                continue  # `- name: tracking_plans`: a stream's name
            if scoped is _UNREAD:
                scoped = in_scope(scan.path, text, _holders(scan))
            request = None
            if scoped is not None and not scoped(at):
                if not meaning.sent:
                    continue  # `[app] display_name = ...`, the Config URL in `[segment]`
                if sent is None:
                    sent = frozenset(name for name, word in scan.catalog.words.items() if word.sent)
                assert isinstance(scoped, Scope)
                request = scoped.request_part(at, sent)
                if request is None:
                    continue  # `[github] page_size = 100`
            if line_of_other_apis(scan, at):
                continue  # Google's `page_token` on the line of a call to Google
            if others is not None and others(at):
                continue  # `me["profile"]["display_name"]`, `me` bound from a call to Slack; a key sent to Google
            if schemas and property_name(text, at):
                continue  # a JSON Schema's `"properties": {"display_name": {...}}`: the user's event property
            rule, message = meaning.rule, meaning.message
            block = _config_block(scan, at)
            if block is not None:  # `catalog_name` of a `segment_source`: a source's
                rule, message = _argument(scan.catalog, word, meaning, block)
            elif meaning.by_resource:  # `display_name` of a source, of a function...
                whose = _resource_before(scan, at, meaning.by_resource.keys())
                if whose is not None:
                    rule, message = meaning.by_resource[whose]
            if request is not None:  # `page_token` in `sync:`, the Config URL in `segment:`
                message = f"{message} (the {request} holds Config request keys only; the Config URL is in another)"
            scan.add(Hit(at, end, rule, meaning.severity, message, "field"))


def _holders(scan: Scan) -> list[int]:
    """Where the Config hosts and paths that give the file its API context are
    (not those a suppression comment covers)."""
    quiet = scan.quiet
    return [h.start for h in scan.hits if h.strong and h.kind != "marker"
            and not (quiet and quiet(scan.lines.locate(h.start)[0], h.rule))]


BARE_NAMES = (".rs", ".ex", ".exs")
"""Code whose own names are bare words, as in Python or JavaScript (Rust's
`let mut page_token`, `fn label(display_name: &str)`, Elixir's
`def create(ws, display_name)`), outside the languages `language` knows."""
SIGIL_NAMES = (".php", ".phtml", ".pl", ".pm", ".ps1", ".psm1")
"""Code whose variables, its own names, are written after `$` (`$page_token = ''`)."""


def _other_apis(scan: Scan, lang: str | None) -> Callable[[int], bool] | None:
    """`OtherApis.field` of a Python file, or of a notebook's cells read as
    one module (`python_view`); None in other files."""
    if lang == "python":
        return OtherApis(scan.text, scan.path, scan.other_api, config_text(scan)).field
    if not is_notebook(scan.path):
        return None
    view, config = python_view(scan.text), config_text(scan)
    cells = OtherApis(view.text, scan.path, scan.other_api, lambda start, end: config(
        view.to_text(start), view.to_text(end)))

    def field(at: int) -> bool:
        where = view.to_view(at)
        return where is not None and cells.field(where)

    return field


def _own_name(scan: Scan, at: int) -> bool:
    """`at` is in a name Terraform code gives its own block or value
    (`variable "page_size"`, `data.http.tracking_plans`)."""
    if not is_terraform(scan.path):
        return False
    if scan.own is None:
        scan.own = own_names(scan.text, scan.path, scan.catalog.terraform_providers)
    return within(scan.own, at)


def _config_block(scan: Scan, at: int) -> str | None:
    """The type of the Config provider's `segment_*` block whose body holds
    `at` (`config_blocks`), in Terraform; else None."""
    if not is_terraform(scan.path):
        return None
    if scan.provided is None:
        scan.provided = config_blocks(scan.text, scan.path, scan.catalog.terraform_providers)
    i = bisect.bisect_right(scan.provided, (at, sys.maxsize))
    return scan.provided[i - 1][2] if i > 0 and at < scan.provided[i - 1][1] else None


def config_provider_context(scan: Scan, quiet: Callable[[int, str], bool] | None) -> bool:
    """In Terraform, the file has `segment_*` blocks of a provider built on
    the Config API, which its module declares (`config_blocks`): that
    provider (`audit.config-terraform-provider`) is the file's API context,
    as a Config host is, also when a sibling file declares it (`versions.tf`);
    not when the file declares it only on lines a suppression comment covers
    (`quiet`, as a suppressed host gives none)."""
    if not is_terraform(scan.path) or not scan.catalog.terraform_providers:
        return False
    if scan.provided is None:
        scan.provided = config_blocks(scan.text, scan.path, scan.catalog.terraform_providers)
    rule = scan.catalog.terraform_rule
    if not scan.provided or quiet is None or rule is None:
        return bool(scan.provided)
    lowered = scan.text.lower()
    declared = [m.start() for p in scan.catalog.terraform_providers for m in re.finditer(re.escape(p), lowered)]
    return not declared or any(not quiet(scan.lines.locate(at)[0], rule) for at in declared)


def _argument(catalog: Catalog, word: str, meaning: Word, block: str) -> tuple[str, str]:
    """The rule and message of `word`, an argument of a Config provider's
    `block` type: under the row of the resource the block manages, with what
    it becomes there; one that row does not have is the provider's schema
    (`source_name` of a `segment_source`), not another resource's field."""
    rows = catalog.terraform_resources.get(block, frozenset())
    for row in sorted(rows):
        if row in meaning.by_resource:
            return meaning.by_resource[row]
        if row == meaning.rule and not meaning.by_resource:
            return meaning.rule, meaning.message
    kinds = sorted({kind for row in rows if (kind := getattr(catalog.rows.get(row), "kind", None))})
    unlike = f", not a Config field of {kinds_phrase(kinds)}" if kinds else ""
    message = (f"`{word}` is an argument of the Config provider's `{block}`{unlike}: "
               f"rewrite it for the official provider (rule {catalog.terraform_rule})")
    return catalog.neutral_field or catalog.terraform_rule or meaning.rule, message


RESOURCE_LINES = 20
"""How many lines above a field name the resource it belongs to is looked for
(in a Terraform block, all of the block's lines above it too; in the body
of a type named after a resource, that type too)."""


def _resource_before(scan: Scan, at: int, rows: Iterable[str]) -> str | None:
    """Which of the resource `rows` a field name at `at` belongs to: the one
    the nearest sign of resources within `RESOURCE_LINES` lines above, or in
    its Terraform block, names (a Config resource name, a key that wraps
    resources, a type named after such a key, a Config path whose call holds
    them, or the name of the function defined nearest above, if the field
    may be of the resource it holds), or else the type named after a
    resource whose body holds it; when it names several
    (`"sources": [` of sources and catalog sources), the signs above it
    narrow them down."""
    if scan.resources is None:
        scan.resources = _resource_signs(scan)
    every = set(rows)
    whose = every
    near = _window(scan, at)
    owner = owner_at(scan.types, at)
    i = bisect.bisect_left(scan.resources, (at,))
    functions = False  # past the function defined nearest above: its name alone may tell
    while i > 0 and len(whose) > 1:
        i -= 1
        where, named, soft = scan.resources[i]
        if where < near and where != owner:
            if not 0 <= owner < where:
                break
            i = bisect.bisect_left(scan.resources, (owner + 1,))  # on to the sign of the type holding it
            continue
        if soft:  # a function's name: only the nearest function's, and only when it is one of `rows`
            seen, functions = functions, True
            if seen or not whose & named:
                continue  # `def filter_by_label(`: no resource this field may be of
        if whose & named:
            whose = whose & named
        elif whose is every:
            return None  # the nearest sign is of another resource (a regulation's path)
    return next(iter(whose)) if len(whose) == 1 else None


def _resource_signs(scan: Scan) -> list[tuple[int, frozenset[str], bool]]:
    """Where the text shows resources, the rows of those it may be, and
    whether the sign only narrows them down (a function's name), in order;
    keys are looked for only where a shared field name may need them."""
    catalog = scan.catalog
    shared = [at for word, meaning in catalog.words.items() if meaning.by_resource for at in scan.found.get(word, ())]
    shared += [h.start for h in scan.hits if h.key]
    first = min(shared, default=0)
    lo, hi = _window(scan, first), max(shared, default=0)
    signs = [(h.start, frozenset([h.rule])) for h in scan.hits if h.kind == "name" and not h.key]
    signs += [(h.start, catalog.endpoint_resources[h.rule]) for h in scan.hits
              if h.kind == "endpoint" and h.rule in catalog.endpoint_resources]
    for key, (rows, _) in catalog.resource_keys.items():  # a Config list key (`body.tracking_plans`)
        signs += [(at, rows) for at in scan.found.get(key, ()) if key in catalog.words and not _own_name(scan, at)]
    if catalog.wrapper_keys is not None and not is_notebook(scan.path):  # (a notebook's cells are `"source": [`)
        for m in catalog.wrapper_keys.finditer(scan.text, lo, hi):
            rows, bracket = catalog.resource_keys[m.group("key")]
            if (m.group("subscript") or m.group("open") == bracket) and not _own_name(scan, m.start("key")):
                signs.append((m.start(), rows))  # (not a Terraform block's label, `data "http" "sources" {`)
    if catalog.yaml_wrapper_keys is not None and scan.path.lower().endswith((".yaml", ".yml")):
        signs += [(m.start(), catalog.resource_keys[m.group("key")][0])
                  for m in catalog.yaml_wrapper_keys.finditer(scan.text, lo, hi)]
    if catalog.type_names is not None:  # (Scala's `case class Source(name: String, display_name: String)`)
        types = list(catalog.type_names.finditer(scan.text, 0, hi))  # the fields of `type Source struct {`
        for m in types:
            signs.append((m.start(), catalog.resource_keys[catalog.type_keys[m.group("type") or m.group("class")]][0]))
        scan.types = owners(type_bodies(scan.text, language(scan.path), types))
    soft = function_signs(scan.text, lo, hi, catalog.resource_keys)
    return sorted([*((at, rows, False) for at, rows in signs), *((at, rows, True) for at, rows in soft)],
                  key=lambda sign: sign[0])


def _window(scan: Scan, at: int) -> int:
    """Where the signs of the resource a field name at `at` belongs to may
    start: `RESOURCE_LINES` lines above (in a notebook, lines of its cells'
    code: not the JSON, outputs and metadata between cells), or its
    Terraform block's start."""
    if is_notebook(scan.path):
        if scan.cell_lines is None:
            scan.cell_lines = sorted(python_view(scan.text).shifts)
        line = scan.text.rfind("\n", 0, at) + 1
        i = bisect.bisect_left(scan.cell_lines, line)
        if i < len(scan.cell_lines) and scan.cell_lines[i] == line:  # a line of code as Jupyter writes it
            return scan.cell_lines[i - RESOURCE_LINES] if i >= RESOURCE_LINES else 0
    return min(_block_start(scan, at), _lines_above(scan.text, at, RESOURCE_LINES))


def _block_start(scan: Scan, at: int) -> int:
    """Where the body of the Terraform block holding `at` starts (`block_bodies`); else `at`."""
    if not is_terraform(scan.path):
        return at
    if scan.blocks is None:
        scan.blocks = block_bodies(scan.text, scan.path)
    i = bisect.bisect_right(scan.blocks, (at, sys.maxsize))
    return scan.blocks[i - 1][0] if i > 0 and at < scan.blocks[i - 1][1] else at


def _lines_above(text: str, at: int, count: int) -> int:
    """Where the line `count` lines above the one holding `at` starts."""
    start = text.rfind("\n", 0, at) + 1
    for _ in range(count):
        if start <= 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return start


_DEFINING = re.compile(r"(?:^|[^\w.])(?:def|class|function|func|fn|const|let|var|async|mut)[ \t]+$")
_SIGNATURE = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|function|func)[ \t]")
DESTRUCTURED = re.compile(r"[\w$ \t\r\n,:?]*\}\s*(?:=(?![=>])|of\b)")
"""The rest of an object pattern: `display_name, write_keys } = s`, `} of list`."""


def _after_colon(text: str, end: int) -> str:
    """What follows the colon after `end` on its line, comments aside (its
    first `HEAD` characters: a minified line is long)."""
    colon = text.index(":", end)
    line_end = text.find("\n", colon, colon + 1 + HEAD)
    tail = text[colon + 1 : colon + 1 + HEAD if line_end < 0 else line_end]
    return tail.split("#", 1)[0].split("//", 1)[0].strip()


def _line_tail(text: str, end: int) -> str:
    line_end = text.find("\n", end)
    tail = text[end : len(text) if line_end < 0 else line_end]
    return tail.split("#", 1)[0].rstrip()


LOOK_UP = 30
"""Lines looked at above an argument for the line that opens its brackets."""


def _opened_by_signature(text: str, line_start: int) -> bool:
    """The line above that opens the brackets this line sits in (less
    indented, ending with `(`) defines a function."""
    indent = len(text[line_start:]) - len(text[line_start:].lstrip(" \t"))
    end = line_start - 1
    for _ in range(LOOK_UP):
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        stripped = line.split("#", 1)[0].rstrip()
        if stripped and len(line) - len(line.lstrip(" \t")) < indent:
            return stripped.endswith("(") and _SIGNATURE.match(line) is not None
        end = start - 1
    return False


def _names_code(text: str, at: int, end: int, js: bool = False, python: bool = False) -> bool:
    """A bare identifier of the code itself (a variable, a function or class,
    a parameter), not a key: keys are quoted (`"page_token"`), attributes
    (`.display_name`), symbols (`:name`), query parameters (`?page_size=`),
    keys followed by `:` or `=` (`{page_size: 50}`, `dict(page_size=50)`,
    `display_name: str` of a class) or destructured (`const {display_name} = s`);
    a method called (`seg.source_name("web")`) is the code's own.
    Variables include the later targets of an assignment (`out, page_token =
    [], None`, `page_token = next_page_token = None`), a Python variable
    annotated in a function or a module (`page_token: str | None = None`)
    and a JavaScript template's `${page_token}`."""
    before = text[at - 1] if at > 0 else "\n"
    if before == "." and text[end : end + 3].lstrip(" \t").startswith("("):
        return True  # a method called, `seg.source_name("web")`: the code's own
    if before in "\"'`.:?&/":
        return False
    if js and before == "{" and text[at - 2 : at - 1] == "$":
        return True  # `${page_token}` in a template literal: the value of a variable
    rest = text[end : end + 3].lstrip(" \t")
    if rest.startswith(("==", ":=")):
        return True
    newline = text.rfind("\n", max(0, at - HEAD), at)
    line_start = newline + 1 if newline >= 0 or at <= HEAD else -1  # -1: the line starts further back
    # the line before it, `HEAD` characters at most (`_` stands for what is cut off: no line start)
    head = text[line_start:at] if line_start >= 0 else "_" + text[at - HEAD : at]
    if rest.startswith(("=", ":", "?:")):
        if rest[0] == "=" and line_start >= 0 and not head.strip():
            # alone on its line: a variable assigned, or an argument of a call
            # or a signature spread over lines (`page_size=100,`)
            if not _line_tail(text, end).endswith((",", "(")):
                return True
            return _opened_by_signature(text, line_start)
        if rest[0] == "=" and line_start >= 0 and _TARGETS.match(head) and _statement_start(text, line_start, not python):
            return True  # the last target of `out, page_token = [], None`, of `a = page_token = None`
        if rest[0] == ":" and not _after_colon(text, end):
            return True  # the end of `if page_token:`
        if python and rest[0] == ":" and line_start >= 0 and not head.strip() and _local_annotation(text, line_start):
            return True  # `page_token: str | None = None` in a function's body
        return bool(_DEFINING.search(head)) or _in_signature(text, at)  # `const x =`, a parameter
    if before in "{, \t" and DESTRUCTURED.match(text, end):
        return False
    if js and rest[:1] in (",", "}") and _innermost_bracket(text, at) == "{" and not _DEFINING.search(head):
        return False  # a shorthand key of an object literal: `{ display_name, write_keys }`
    return True


_TARGETS = re.compile(
    r"[ \t]*(?:(?:let|var|const)[ \t]+)?(?:[(\[]?[ \t]*[A-Za-z_$][\w$.]*[ \t]*[)\]]?[ \t]*(?:,|=(?![=>]))[ \t]*)+\Z"
)
"""The targets before the last one of an assignment: `out, `, `a = `, `x, (y, `, `let a = `."""
_BLOCK_OPENER = re.compile(r"[ \t]*(?:(?:async[ \t]+)?def|class)\b")


def _statement_start(text: str, line_start: int, blocks: bool) -> bool:
    """The line starting at `line_start` starts a statement: no bracket is
    open before it (with `blocks`, in a language other than Python, but a
    block's or function's `{`), as one is in the arguments of a call spread
    over lines (`dict(\n  a=b, page_size=1`)."""
    opened = lexer.innermost_open(text, line_start, max(line_start - LOOK_BACK_STATEMENT, 0))
    return opened < 0 or blocks and text[opened] == "{"


LOOK_BACK_STATEMENT = 2000
"""How far back an open bracket around a line is looked for."""


def _local_annotation(text: str, line_start: int) -> bool:
    """The Python line starting at `line_start` sits in a function's body
    or at the module's top level, not in a class's (where `name: type`
    declares a field): the blocks holding it are read up, by indentation,
    to a `def` or a `class`; a less indented line opening no block (a
    bracket's) makes it no statement."""
    indent = len(text[line_start : line_start + HEAD]) - len(text[line_start : line_start + HEAD].lstrip(" \t"))
    end = line_start - 1
    for _ in range(LOOK_UP_BLOCKS):
        if indent == 0:
            return True
        if end <= 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        above = text[start:end]
        stripped = above.split("#", 1)[0].rstrip()
        if stripped and len(above) - len(above.lstrip(" \t")) < indent:
            if not stripped.endswith(":"):
                return False
            opener = _BLOCK_OPENER.match(above)
            if opener is not None:
                return "def" in opener.group()
            indent = len(above) - len(above.lstrip(" \t"))
        end = start - 1
    return False


LOOK_UP_BLOCKS = 400
"""Lines looked at above an annotated name for the function or class holding it."""


HEAD = 200
"""How far back on its line a name's context is read: a minified line is
long, and reading all of it before each name would be quadratic."""
_SIGNATURE_OPEN = re.compile(r"(?:^|[^\w$.])(?:def|defp|function|func|fn)(?:[ \t]+[\w$]+)?(?:<[^<>()\n]*>)?[ \t]*\($")
"""What opens a function's parameters: `def f(`, `function f(`, `function(`, Rust's `fn f<T>(`, Elixir's `defp f(`."""


def _in_signature(text: str, at: int) -> bool:
    """`at` is in the parentheses of a function's signature (`def f(page_token: str)`,
    `function f(page_size = 10)`), not in a body after it (`function f(ws) { ... {page_size: 5} }`)."""
    opened = lexer.innermost_open(text, at, max(at - 200, 0))
    if opened < 0 or text[opened] != "(":
        return False
    lo = max(0, opened - 80)
    return _SIGNATURE_OPEN.search(("_" if lo else "") + text[lo : opened + 1]) is not None


def _innermost_bracket(text: str, at: int, limit: int = 200) -> str | None:
    """The bracket `at` sits in, looking back at most `limit` characters
    (strings are not skipped: an approximation, used for JavaScript keys)."""
    opened = lexer.innermost_open(text, at, max(at - limit, 0))
    return text[opened] if opened >= 0 else None


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def references(scan: Scan) -> None:
    """A resource name held by a key of another resource (`"parent":
    "workspaces/acme"` in a source) is reported as that key, with what it
    becomes in the Public API (`workspaceId`), under the row of the resource
    whose key it is: the one the nearest sign above shows when several rows
    have the key."""
    for hit in scan.hits:
        if not hit.key:
            continue
        word = scan.catalog.references[hit.key, hit.rule]
        hit.rule, hit.message = word.rule, word.message
        if word.by_resource:
            whose = _resource_before(scan, hit.start, word.by_resource.keys())
            if whose is not None:
                hit.rule, hit.message = word.by_resource[whose]
