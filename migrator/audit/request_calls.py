"""Where the codemod reports what a request held on the Config API changes
once it moves, read from the Python file's syntax tree: the line its call
begins on (the pagination change), whether it is the call of a helper of
the file (marked there when the query cannot be seen), the reads of its
response (their changes), and the answer a test double registering the URL
gives (its change). A baseline entry of the held URL records those
(`baseline.with_fingerprints`)."""

from __future__ import annotations

import ast
import re
import warnings
from collections import Counter
from typing import NamedTuple

from migrator.audit.text_scan import Lines


class Sent(NamedTuple):
    """What a URL argument is sent by."""

    line: int
    """The line the call sending it begins on (0 for a test double: no request)."""
    helper: bool = False
    """The call is of a function of the file that sends the URL it is given."""
    reads: tuple[tuple[int, str], ...] = ()
    """The reads of the response by a string key: (line, key)."""
    answer: int = 0
    """For a test double registering the URL (`responses.add(responses.GET, url,
    json={…})`): the line the answer it gives beside it (`json=`) begins on."""


def request_calls(text: str, lines: Lines) -> dict[tuple[int, int], Sent]:
    """Where each request's URL argument begins (line, 1-based column) →
    what sends it, for the calls the codemod reads as requests by their name
    (`requests.get(url)`, `session.request("GET", url)`, the URL given by
    position or as `url=`; `responses_flow`) and the calls of a function of
    the module that sends a parameter so (`fetch(url)`), for the value a
    name given so is bound to (`url = f"{BASE}/…"` above `requests.get(url)`,
    `_bound_once`), and for the URL a test double registers with its answer
    (`_double`); none when the file does not parse, or has line breaks
    `ast` counts and `Lines` does not."""
    if _LONE_CR.search(text):
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (`"\d"`: an invalid escape, said by the parser)
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    from migrator.rewrite.mock_doubles import LIBRARIES

    helpers = _url_helpers(tree)
    libraries = {a.asname or a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names
                 if a.name in LIBRARIES}
    begins: dict[tuple[int, int], Sent] = {}

    def begin(url: ast.expr, sent: Sent) -> None:
        start = lines.line(url.lineno).encode("utf-8", "surrogatepass")[: url.col_offset]
        begins[(url.lineno, len(start.decode("utf-8", "surrogatepass")) + 1)] = sent

    for scope in (tree, *(n for n in ast.walk(tree) if isinstance(n, _FUNCTIONS))):
        own = _own_nodes(scope)
        stores = _stores(scope, own)
        parents = {id(child): node for node in own for child in ast.iter_child_nodes(node)}
        loads: dict[str, list[ast.Name]] = {}  # each name → where it is read
        for node in own:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                loads.setdefault(node.id, []).append(node)
        named: dict[str, list[tuple[ast.Call, Sent]]] = {}  # a name given as the URL → what sends it
        for call in own:
            if not isinstance(call, ast.Call):
                continue
            double = _double(call, libraries)
            if double is not None:
                begin(*double)
                continue
            url = _request_url(call)
            sent = Sent(call.lineno, reads=_reads(call, stores, loads, parents)) if url is not None else None
            if url is None and isinstance(call.func, ast.Name) and call.func.id in helpers:
                url, sent = _given(call, helpers[call.func.id]), Sent(call.lineno, helper=True)
            if url is None or sent is None:
                continue
            begin(url, sent)
            if isinstance(url, ast.Name):
                named.setdefault(url.id, []).append((call, sent))
        for name, value in _bound_once(stores, own, {n: [c for c, _ in s] for n, s in named.items()}).items():
            begin(value, named[name][0][1])
    return begins


_LONE_CR = re.compile(r"\r(?!\n)")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _double(call: ast.Call, libraries: set[str]) -> tuple[ast.expr, Sent] | None:
    """The URL a test double of a library the module imports registers, with
    the answer given beside it (`responses.add(responses.GET, url, json={…})`,
    `responses.get(url, json={…})`: `mock_doubles`)."""
    from migrator.rewrite.clients import VERBS
    from migrator.rewrite.mock_doubles import PAYLOAD_KEYWORDS, REGISTER

    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in libraries):
        return None
    at = 1 if func.attr in REGISTER else 0 if func.attr.islower() and func.attr in VERBS else None
    answer = next((k.value for k in call.keywords if k.arg in PAYLOAD_KEYWORDS), None)
    if at is None or answer is None or any(isinstance(a, ast.Starred) for a in call.args[: at + 1]):
        return None
    url = next((k.value for k in call.keywords if k.arg == "url"), call.args[at] if len(call.args) > at else None)
    return (url, Sent(0, answer=answer.lineno)) if url is not None else None


def _request_url(call: ast.Call) -> ast.expr | None:
    """The URL argument of a call the codemod reads as a request by its name."""
    from migrator.rewrite.responses_flow import BUILD_REQUEST, REQUEST_NAMES, VERBS

    func = call.func
    name = (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")).lstrip("_").lower()
    at = 0 if name in VERBS else 1 if name in REQUEST_NAMES or name == BUILD_REQUEST else None
    if at is None or any(isinstance(a, ast.Starred) for a in call.args[: at + 1]):
        return None
    return next((k.value for k in call.keywords if k.arg == "url"), call.args[at] if len(call.args) > at else None)


def _url_helpers(tree: ast.Module) -> dict[str, tuple[int, str]]:
    """The functions of the module (by name, defined once) that send one of
    their parameters as a request's URL → that parameter (position, name)."""
    defined = Counter(n.name for n in tree.body if isinstance(n, (*_FUNCTIONS, ast.ClassDef)))
    helpers = {}
    for function in tree.body:
        if not isinstance(function, _FUNCTIONS) or defined[function.name] != 1:
            continue
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        sent = {u.id for c in _own_nodes(function) if isinstance(c, ast.Call)
                for u in (_request_url(c),) if isinstance(u, ast.Name) and u.id in params}
        if len(sent) == 1:
            name = sent.pop()
            helpers[function.name] = (params.index(name), name)
    return helpers


def _given(call: ast.Call, param: tuple[int, str]) -> ast.expr | None:
    """What `call` gives the parameter (position, name), by position or keyword."""
    at, name = param
    by_name = next((k.value for k in call.keywords if k.arg == name), None)
    if by_name is not None or any(isinstance(a, ast.Starred) for a in call.args[: at + 1]):
        return by_name
    return call.args[at] if len(call.args) > at else None


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a module's or a function's body, but those of the
    functions, classes and lambdas in it (the function's defaults and
    decorators are its outer scope's: left out)."""
    out: list[ast.AST] = []
    todo = list(scope.body) if isinstance(scope, _FUNCTIONS) else [scope]
    while todo:
        node = todo.pop()
        out.append(node)
        if not isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))
    return out


def _stores(scope: ast.AST, own: list[ast.AST]) -> Counter[str]:
    """How many times each name is bound in `scope` (2 for `global`, `nonlocal`)."""
    stores: Counter[str] = Counter()
    for node in own:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            stores[node.id] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            stores.update({name: 2 for name in node.names})
        elif isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            stores[node.name] += 1
        elif isinstance(node, ast.alias):
            stores[(node.asname or node.name).split(".")[0]] += 1
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            stores[node.name] += 1
    if isinstance(scope, _FUNCTIONS):  # its parameters
        stores.update(a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg))
    return stores


def _assigned(own: list[ast.AST]) -> dict[str, ast.Assign]:
    """`name = value` statements of a scope, by name."""
    return {
        node.targets[0].id: node for node in own
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }


def _bound_once(stores: Counter[str], own: list[ast.AST], sent: dict[str, list[ast.Call]]) -> dict[str, ast.expr]:
    """Of the names given as the URL of one call alone in a scope (its nodes
    `own`, its names' `_stores`), those bound there once, by `name = value`
    above it (`url = f"{BASE}/…"`): name → value."""
    values = _assigned(own)
    return {
        name: values[name].value for name, calls in sent.items()
        if len(calls) == 1 and stores[name] == 1 and name in values and values[name].lineno < calls[0].lineno
    }


def _reads(
    call: ast.Call, stores: Counter[str], loads: dict[str, list[ast.Name]], parents: _Parents,
) -> tuple[tuple[int, str], ...]:
    """The reads by a string key of the response of the request `call`:
    `call.json()["sources"]`, or through a name bound once in its scope
    (`stores`; `loads`: where each name is read) to the response or its
    `.json()` (`r = requests.get(…)` then `r.json()["sources"]`), by
    subscript or `.get("sources")`: (line, key)."""
    data = _decoded(call, parents)
    holder = parents.get(id(data if data is not None else call))
    decoded = [data]
    if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name) \
            and stores[holder.targets[0].id] == 1:
        uses = loads.get(holder.targets[0].id, [])
        decoded.extend(uses if data is not None else (_decoded(use, parents) for use in uses))
    reads = ((value.lineno, _key_read(value, parents)) for value in decoded if value is not None)
    return tuple(sorted({(line, key) for line, key in reads if key is not None}))


_Parents = dict[int, ast.AST]
"""`id` of a node → the node it is in."""


def _decoded(response: ast.expr, parents: _Parents) -> ast.Call | None:
    """`response.json()`, when `response` is so decoded."""
    attribute = parents.get(id(response))
    call = parents.get(id(attribute))
    if isinstance(attribute, ast.Attribute) and attribute.attr == "json" and isinstance(call, ast.Call) \
            and call.func is attribute and not call.args and not call.keywords:
        return call
    return None


def _key_read(value: ast.AST, parents: _Parents) -> str | None:
    """The string key read off `value` (`value["sources"]`, `value.get("sources")`)."""
    parent = parents.get(id(value))
    if isinstance(parent, ast.Subscript) and parent.value is value:
        key = parent.slice
    elif isinstance(parent, ast.Attribute) and parent.attr == "get" and parent.value is value:
        call = parents.get(id(parent))
        key = call.args[0] if isinstance(call, ast.Call) and call.func is parent and call.args else None
    else:
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
