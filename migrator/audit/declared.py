"""Declarative HTTP clients: an annotation (a decorator) that takes a path
declares a request of a client, not a route of the file's own server, when
it is one of a client library's (Retrofit's `@GET("...")`, which JAX-RS's
server `@GET` never takes; Spring's `@GetExchange`; uplink's
`@uplink.get`, or `@get` imported from uplink) or stands in a type
annotated as a client (`@FeignClient`, MicroProfile's `@RegisterRestClient`,
Micronaut's `@Client`, whose `@Controller`'s `@Get("...")` is a route)."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

_ANNOTATION = re.compile(r"""@(?P<name>[\w.]+)\(\s*[rf]?["'`]/?$""")
"""The annotation a path is the first argument of, before it on its line."""
_VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
"""Retrofit's (and Ktorfit's) verb annotations, whose argument is the path."""
_VERB_IMPORT = re.compile(r"\b(?:retrofit2\.http|de\.jensklingenberg\.ktorfit\.http)\b")
"""Where those verbs come from: a server framework's of the same name (Jooby's `@GET("/path")`) is a route."""
_EXCHANGES = frozenset({"HttpExchange", "GetExchange", "PostExchange", "PutExchange", "PatchExchange",
                        "DeleteExchange"})
"""Spring 6's HTTP interface annotations: a client's, never a server's."""
_UPLINK_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+uplink\b|import[ \t]+uplink\b)", re.MULTILINE)
_CLIENT_TYPE = re.compile(r"@(?:[\w.]+\.)?(?:FeignClient|RegisterRestClient)\b")
"""A type annotated as a client: Spring Cloud OpenFeign's, MicroProfile's."""
_MICRONAUT_CLIENT = re.compile(r"@(?:io\.micronaut\.http\.client\.annotation\.)?Client\b")
_MICRONAUT_IMPORT = "io.micronaut.http.client"
"""Micronaut's `@Client`, a name too plain to count in a file that does not import it."""
_TYPE = re.compile(r"\b(?:interface|class|object)[ \t]+[A-Za-z_]\w*")
_ANNOTATION_LINE = re.compile(r"@.*|[a-z \t]*")
"""A line between a class-level annotation and its type's declaration: another annotation, modifiers."""
_TYPE_LOOK_BACK = 30
"""Lines above a type's declaration its annotations are looked for on."""


def declared(text: str, before: str, at: int, python: bool) -> bool:
    """The path at `at` of `text`, whose line before it is `before`, is the
    argument of a declarative client's annotation (`python`: a Python file)."""
    m = _ANNOTATION.search(before)
    if m is None:
        return False
    name = m.group("name")
    if python:
        return name.startswith("uplink.") or (name in ("get", "post", "put", "patch", "delete", "head")
                                              and _UPLINK_IMPORT.search(text) is not None)
    if name.rsplit(".", 1)[-1] in _EXCHANGES or (name in _VERBS and _VERB_IMPORT.search(text) is not None):
        return True
    annotations = _type_annotations(text, at)
    return _CLIENT_TYPE.search(annotations) is not None or (
        _MICRONAUT_IMPORT in text and _MICRONAUT_CLIENT.search(annotations) is not None)


_HTTP = re.compile(r"""@(?:retrofit2\.http\.)?HTTP\([^()"']*(?:"[^"]*"[^()"']*)*\bpath\s*=\s*["']/?$""")
"""Retrofit's `@HTTP(method = "DELETE", path = "...", hasBody = true)`, before its path."""


def retrofit_http(text: str, before: str) -> bool:
    """The path after `before` on its line is the `path` of Retrofit's (Ktorfit's)
    `@HTTP(...)`, whose `method` argument names its method: a request."""
    return _HTTP.search(before) is not None and _VERB_IMPORT.search(text) is not None


@lru_cache(maxsize=4)
def _types(text: str) -> list[int]:
    """Where the file's types are declared (`interface X`, `class X`, Kotlin's `object X`), once per text."""
    return [m.start() for m in _TYPE.finditer(text)]


def _type_annotations(text: str, at: int) -> str:
    """The annotations of the type `at` is in: those of the type declared
    right below `at`'s line when only annotations and modifiers stand
    between (a class-level `@Path("/workspaces/{ws}")`), else those of the
    last type declared above it."""
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    types = _types(text)
    i = bisect.bisect_left(types, at)
    following = types[i] if i < len(types) else None
    if following is not None and _annotating(text, line_end, following):
        declaration = following
    else:
        # the innermost type whose body is still open at `at` (a client interface
        # nested in a controller closes before the controller's own routes)
        declaration = next((t for t in reversed(types[:i]) if _open_at(text, t, at)), None)
        if declaration is None:
            return ""
    start = text.rfind("\n", 0, declaration) + 1
    for _ in range(_TYPE_LOOK_BACK):
        if start == 0:
            break
        above = text.rfind("\n", 0, start - 1) + 1
        line = text[above:start].strip()
        if line and not line.startswith("@") and line.endswith((";", "{", "}")):
            break  # the statement, or the type, before this type's annotations
        start = above
    return text[start:declaration]


def _open_at(text: str, declaration: int, at: int) -> bool:
    """The body of the type declared at `declaration` (from its first `{`)
    is not closed before `at` (braces counted; a type with no body yet holds it)."""
    start = text.find("{", declaration, at)
    if start < 0:
        return True
    depth = 0
    for m in _BRACES.finditer(text, start, at):
        depth += 1 if m.group() == "{" else -1
        if depth == 0:
            return False
    return True


_BRACES = re.compile(r"[{}]")


def _annotating(text: str, line_end: int, declaration: int) -> bool:
    """Only annotations and modifiers stand between the line ending at
    `line_end` and the type declared at `declaration`."""
    if declaration <= line_end:
        return True
    between = text[line_end + 1 : declaration]
    return between.count("\n") <= _TYPE_LOOK_BACK and all(
        _ANNOTATION_LINE.fullmatch(line.strip()) for line in between.split("\n"))
