"""Clients of other APIs than Segment's, as a Python file shows them: an
instance of a `...Client` class (or of a `client(...)` factory) of a package
the file imports that is neither of the standard library, nor an HTTP
library (whose clients send any URL, the Config API's too), nor a module of
the project (found next to the file or above it). The audit's text scanner
(`audit.bound`) and the codemod's reads (`rewrite.responses_flow`) decide
so alike. Read from the text alone, without libcst."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Container

from migrator.imports import candidates

HTTP_LIBRARIES = frozenset({
    "requests", "httpx", "aiohttp", "urllib3", "httplib2", "pycurl", "treq", "grequests", "niquests",
    "requests_oauthlib", "requests_toolbelt", "authlib", "tornado", "uplink", "respx", "responses",
})
"""Packages whose clients send any URL: theirs may be the Config API's."""
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w. \t,]+?)[ \t]*(?:#.*)?$", re.M)
_FROM = re.compile(r"^[ \t]*from[ \t]+(\w[\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w \t,]+))", re.M)


def other_packages(text: str, path: str) -> dict[str, str]:
    """Names the file imports from other APIs' packages → their modules."""
    out: dict[str, str] = {}
    if "import" in text:
        for name, module in _imports(text):
            if foreign(module, path):
                out[name] = module
    return out


def makes_client(chain: str, packages: Container[str]) -> bool:
    """`chain` (`resourcemanager_v3.ProjectsClient`, `boto3.client`, as the
    file writes it) makes a client of another API: a `...Client` class or a
    `client` factory of a name in `packages` (`other_packages`)."""
    parts = chain.split(".")
    last = parts[-1]
    return (last.endswith("Client") or last == "client") and parts[0] in packages


def foreign(module: str, path: str) -> bool:
    """`module` is another API's package for the file at `path`."""
    top = module.split(".", 1)[0]
    if not top or top in sys.stdlib_module_names or top in HTTP_LIBRARIES:
        return False
    return not any(os.path.exists(c) for c in candidates(path, [top]))  # a module of the project


def _imports(text: str) -> list[tuple[str, str]]:
    """(name bound, module it comes from) of the absolute imports."""
    out: list[tuple[str, str]] = []
    for m in _IMPORT.finditer(text):
        for part in m.group(1).split(","):
            words = part.split()
            if words:
                out.append((words[-1] if len(words) == 3 and words[1] == "as" else words[0].split(".")[0], words[0]))
    for m in _FROM.finditer(text):
        for part in (m.group(2) or m.group(3)).split(","):
            words = part.split()
            if words:
                out.append((words[-1], m.group(1)))
    return out
