"""What a source file imports, as the paths of the files it may name:
Python modules and packages (absolute, from the file's folder and each one
above it, and relative), relative JavaScript and TypeScript imports, Go
packages of the module its `go.mod` declares, Ruby's `require_relative`.
Read from the text alone: nothing is imported or run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrator.layout import Layout

LANGUAGES: dict[str, str] = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js", ".ts": "js", ".tsx": "js", ".mts": "js", ".cts": "js",
    ".go": "go",
    ".rb": "ruby",
}
"""Suffixes whose imports the audit resolves, and their language."""


def language(path: str) -> str | None:
    dot = path.rfind(".")
    return LANGUAGES.get(path[dot:].lower()) if dot >= 0 else None


_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w. \t,]+)", re.MULTILINE)
_PY_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)", re.MULTILINE)
_JS_SPEC = re.compile(r"""(?:\bfrom|\brequire\(|\bimport\(?)\s*(['"])(\.{1,2}/[^'"\n]*)\1""")
_JS_TRY = ("", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
           "/index.ts", "/index.tsx", "/index.js", "/index.jsx")
_GO_IMPORTS = re.compile(r'^import\s*(?:\(([^)]*)\)|([\w.]*\s*"[^"\n]+"))', re.MULTILINE)
_GO_PATH = re.compile(r'"([^"\n]+)"')
_GO_MODULE = re.compile(r"^module\s+(\S+)", re.MULTILINE)
_RUBY = re.compile(r"""\brequire_relative\s*\(?\s*(['"])([^'"\n]+)\1""")


def import_specs(path: str, text: str) -> tuple[str, ...]:
    """What `path` imports, compactly (for `candidates`): Python modules as
    written (`..pkg.mod`), the other languages' files or Go package folders."""
    lang = language(path)
    here = os.path.dirname(path)
    specs: list[str] = []
    if lang == "python":
        specs.extend(_python(text))
    elif lang == "js":
        specs.extend(os.path.normpath(os.path.join(here, m.group(2))) for m in _matches(_JS_SPEC, text, "./", False))
    elif lang == "go":
        specs.extend(_go(here, text))
    elif lang == "ruby":
        for m in _matches(_RUBY, text, "require_relative", anchored=False):
            target = os.path.normpath(os.path.join(here, m.group(2)))
            specs.append(target if target.endswith(".rb") else target + ".rb")
    return tuple(dict.fromkeys(specs))


_layout: Layout | None = None
"""The run's layout (`using_layout`): more roots for absolute Python imports."""


@contextmanager
def using_layout(layout: Layout | None) -> Iterator[None]:
    """`candidates` resolves absolute Python imports against `layout`'s roots
    too (a src/ layout, a namespace package) while in the block."""
    global _layout
    before, _layout = _layout, layout
    try:
        yield
    finally:
        _layout = before


def current_layout() -> Layout | None:
    return _layout


def set_layout(layout: Layout | None) -> None:
    """For a worker process, for its life (see `using_layout`)."""
    global _layout
    _layout = layout


def candidates(path: str, specs: Iterable[str]) -> Iterator[str]:
    """The files the `import_specs` of `path` may name (normalized paths;
    most do not exist); for Go, package folders. An absolute Python import
    is looked for from the file's folder and each one above it, then from
    the roots of the run's layout (`using_layout`), then as the one file of
    the run whose path ends with its dotted name."""
    lang = language(path)
    here = os.path.dirname(path)
    for spec in specs:
        if lang == "python":
            name = spec.lstrip(".")
            dots = len(spec) - len(name)
            bases: Iterable[str] = [up(here, dots - 1)] if dots else ancestors(here)
            near = [found for base in bases for found in _module_files(base, name)]
            yield from near
            # The layout's roots only for a module no folder of the file's own holds
            # in the run (Python takes the first found: another project's `app` is not it).
            if not dots and _layout is not None and not any(f in _layout.files for f in near):
                for base in _layout.bases(here):
                    yield from _module_files(base, name)
                found = _layout.named(name)
                if found is not None:
                    yield found
        elif lang == "js":
            stem = spec[: -len(".js")] if spec.endswith(".js") else spec  # `./x.js` names x.ts in ESM TypeScript
            for suffix in _JS_TRY:
                yield spec + suffix
                if stem != spec:
                    yield stem + suffix
        else:
            yield spec


def _module_files(base: str, name: str) -> tuple[str, str, str]:
    """The files module `name` (dotted) is, imported from folder `base`."""
    target = os.path.normpath(os.path.join(base, name.replace(".", os.sep)))
    return target + ".py", target + ".pyi", os.path.join(target, "__init__.py")


def _matches(pattern: re.Pattern[str], text: str, needle: str, anchored: bool = True) -> Iterator[re.Match[str]]:
    """The matches of `pattern` on the lines holding `needle` (found with
    `str.find`, many times faster than a regex over the whole text): at the
    start of such a line when `anchored`, else anywhere in it."""
    at = text.find(needle)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if anchored:
            m = pattern.match(text, start)
            if m:
                yield m
        else:
            yield from pattern.finditer(text, start, end)
        at = text.find(needle, end)  # each line once


def _python(text: str) -> Iterator[str]:
    """Modules, with their leading dots: `x.y`, `.c`, `.c.d` (`from .c import d`)."""
    for m in _matches(_PY_IMPORT, text, "import"):
        for part in m.group(1).split(","):
            words = part.split()
            if words:
                yield words[0]
    for m in _matches(_PY_FROM, text, "import"):
        dots, base = m.group(1), m.group(2)
        if base:
            yield dots + base
        for part in m.group(3).strip("() \t\n").replace("\n", " ").split(","):
            words = part.split()
            if words and words[0] != "*":
                yield f"{dots}{base}.{words[0]}" if base else dots + words[0]


def _go(here: str, text: str) -> Iterator[str]:
    specs: list[str] = []
    for m in _matches(_GO_IMPORTS, text, "import"):
        specs.extend(_GO_PATH.findall(m.group(1) or m.group(2) or ""))
    if not specs:
        return
    found = _go_module(here)
    if found is None:
        return
    root, module = found
    for spec in specs:
        if spec == module:
            yield root
        elif spec.startswith(module + "/"):
            yield os.path.normpath(os.path.join(root, spec[len(module) + 1 :]))


@lru_cache(maxsize=1024)
def _go_module(here: str) -> tuple[str, str] | None:
    """The directory of the `go.mod` above `here`, and its module path."""
    for directory in ancestors(here):
        try:
            with open(os.path.join(directory or ".", "go.mod"), encoding="utf-8", errors="replace") as f:
                m = _GO_MODULE.search(f.read(4096))
        except OSError:
            continue
        return (directory, m.group(1)) if m else None
    return None


def up(path: str, levels: int) -> str:
    """The folder `levels` above `path`."""
    for _ in range(levels):
        path = os.path.dirname(path)
    return path


def ancestors(path: str) -> Iterator[str]:
    """`path` and the directories above it (for a relative path, up to the
    working directory, `""`)."""
    while True:
        yield path
        parent = os.path.dirname(path)
        if parent == path:
            return
        path = parent


def importers(sources: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """File (for Go, package folder) → the first source, by path, that
    imports it; `sources` are (path, `import_specs`) pairs."""
    found: dict[str, str] = {}
    for path, specs in sorted(sources, key=lambda item: item[0]):
        for target in candidates(path, specs):
            found.setdefault(target, path)
    return found


ENTRY_FILES = ("__init__.py", "index.ts", "index.js", "index.tsx", "index.jsx", "index.mjs")
"""A package's entry file: importing the package imports what it imports."""


def is_entry(path: str) -> bool:
    """`path` names an entry file (fast when it does not: every file is asked)."""
    return path.endswith(ENTRY_FILES) and path.rpartition("/")[2].rpartition(os.sep)[2] in ENTRY_FILES


def linked_source(
    path: str, specs: Iterable[str], sources: Container[str], importers: dict[str, str],
    entries: Mapping[str, Iterable[str]] | None = None,
) -> tuple[str, bool, str | None] | None:
    """A source that `path` imports (True), directly or through the entry
    file of a package (`__init__.py`, `index.ts`) that imports it (the
    third item, `entries` giving what entry files import), or a source that
    imports `path` (False)."""
    for target in candidates(path, specs):
        if target in sources:
            return target, True, None
        inner = entries.get(target) if entries is not None else None
        if inner is not None:
            for again in candidates(target, inner):
                if again in sources:
                    return again, True, target
    source = importers.get(path)
    if source is None and isinstance(sources, Sources):
        source = sources.importer(path)
    return None if source is None else (source, False, None)


def link_reason(source: str | None, imports: bool = True, through: str | None = None, public: bool = False) -> str:
    """Why a file counts as reading what `source` (None: the file itself, on
    the Public API) gets from a Segment API: it imports it (maybe `through`
    a package's entry file), or is imported by it; `public`: `source` calls
    the Public API only (no Config API left in it)."""
    if source is None:
        return "this file calls the Public API"
    uses = PUBLIC_ONLY if public else "which uses a Segment API"
    if imports:
        via = f" (through `{through}`)" if through else ""
        return f"this file imports `{source}`{via}, {uses}"
    return f"`{source}`, {uses}, imports this file"


PUBLIC_ONLY = "which calls the Public API"


def links_public(reason: str) -> bool:
    """The responses a reason links a file to are Public ones (its own, or
    those of a source with no Config API left): a field both APIs have, such
    as `name`, is read right there."""
    return reason == link_reason(None) or f", {PUBLIC_ONLY}" in reason


def link_reason_from(
    reader: str, source: str, imports: bool = True, through: str | None = None, public: bool = False,
) -> str:
    """`link_reason` with the files named from the reader's folder, as the
    rewrite's markers say it (the comment reads the same wherever the run starts)."""
    here = os.path.dirname(reader) or "."
    return link_reason(os.path.relpath(source, here), imports, through and os.path.relpath(through, here), public)


class Sources:
    """The files that call a Segment API: those of the run (`found`), and
    files outside the run (`run`) that a file of it imports, asked about
    (`calls`) when needed: a pre-commit run holds only the changed files,
    and a user may name one file."""

    def __init__(
        self, found: Container[str], run: Container[str], calls: Callable[[str], bool],
        specs: Callable[[str], tuple[str, ...]] | None = None, covered: Callable[[str], bool] | None = None,
        excluded: Callable[[str], bool] | None = None,
    ) -> None:
        self.found = found
        self.run = run
        self.calls = calls
        self.specs = specs
        """What a file outside the run imports: with it, `importer` looks for
        a file of the reader's folder, outside the run, that imports it."""
        self.covered = covered
        """Folders the run walked whole (their files are all in it)."""
        self.excluded = excluded
        """Files not to read (`--exclude`)."""
        self.outside: dict[str, bool] = {}

    def importer(self, path: str) -> str | None:
        """A file of `path`'s folder that the run does not hold, calls a
        Segment API and imports `path` (a client and the module it imports,
        side by side, when only the module changed)."""
        folder = os.path.dirname(path)
        if self.specs is None or (self.covered is not None and self.covered(folder)):
            return None
        lang = language(path)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        for name in names:
            other = os.path.join(folder, name)
            if other == path or other in self.run or language(other) != lang:
                continue
            if other in self and path in set(candidates(other, self.specs(other))):
                return other
        return None

    def __contains__(self, path: object) -> bool:
        if path in self.found:
            return True
        if not isinstance(path, str):
            return False
        known = self.outside.get(path)
        if known is None:
            known = self.outside[path] = _on_disk(path, self.run, self.covered, self.excluded) and self.calls(path)
        return known


class Entries(dict[str, tuple[str, ...]]):
    """Package entry file → what it imports: those of the run, and entry
    files outside it, read (`specs`) when asked (see `Sources`)."""

    def __init__(
        self, found: Mapping[str, tuple[str, ...]], run: Container[str], specs: Callable[[str], tuple[str, ...]],
        covered: Callable[[str], bool] | None = None, excluded: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(found)
        self.run = run
        self.specs = specs
        self.covered = covered
        self.excluded = excluded

    def get(self, path: str, default: tuple[str, ...] | None = None) -> tuple[str, ...] | None:  # type: ignore[override]
        found = dict.get(self, path)
        if found is not None:
            return found
        if not is_entry(path) or not _on_disk(path, self.run, self.covered, self.excluded):
            return default
        found = self[path] = self.specs(path)
        return found


def _on_disk(
    path: str, run: Container[str], covered: Callable[[str], bool] | None,
    excluded: Callable[[str], bool] | None = None,
) -> bool:
    """A file the run does not hold, in a folder it did not walk, that exists
    and is not `excluded` (a file of a walked folder that the run lacks is
    ignored or vendored)."""
    if path in run or covered is not None and covered(path.rpartition(os.sep)[0]):
        return False
    return os.path.isfile(path) and not (excluded is not None and excluded(path))


def beyond_run(
    found: Container[str], entries: Mapping[str, tuple[str, ...]] | None, run: Container[str],
    calls: Callable[[str], bool], specs: Callable[[str], tuple[str, ...]], folders: list[str],
    excluded: Callable[[str], bool] | None = None,
) -> tuple[Container[str], Mapping[str, tuple[str, ...]] | None]:
    """The sources and package entry files for `linked_source`: as found in
    the run when it walks the working directory (it holds every file its
    files import), else also read from disk when asked, unless `excluded`."""
    if walks_all(folders):
        return found, entries
    covered = covering(folders)
    return Sources(found, run, calls, specs, covered, excluded), Entries(entries or {}, run, specs, covered, excluded)


def walks_all(folders: Iterable[str]) -> bool:
    """A run of these folders holds every file its files import: it walks
    the working directory (an import from above it is not followed)."""
    return any(os.path.normpath(f) == "." for f in folders)


def covering(folders: Iterable[str]) -> Callable[[str], bool]:
    """Whether a folder lies in one of `folders` (walked whole by a run)."""
    tops = [os.path.normpath(f) for f in folders]
    known: dict[str, bool] = {}

    def covered(folder: str) -> bool:
        found = known.get(folder)
        if found is None:
            normal = os.path.normpath(folder or ".")
            found = known[folder] = any(normal == top or normal.startswith(top + os.sep) for top in tops)
        return found

    return covered


def imported_from_above(path: str, text: str) -> tuple[str, str] | None:
    """(module as written, the work tree's top) when `path`, a Python file
    below the working directory, imports a module not found from there
    (`candidates` stop at the working directory) but in a folder above it,
    up to the top of the git work tree holding it: an import a run from
    below that top does not follow."""
    from migrator.gittree import work_tree_of

    cwd = os.path.realpath(os.getcwd())
    tree = work_tree_of(cwd)
    if tree is None or os.path.realpath(tree.root) == cwd or os.path.isabs(path):
        return None
    top, above, folder = os.path.realpath(tree.root), [], cwd
    while folder != top and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
        above.append(folder)
    for spec in import_specs(path, text):
        if spec.startswith(".") or any(os.path.isfile(c) for c in candidates(path, [spec])):
            continue
        name = spec.replace(".", os.sep)
        if any(os.path.isfile(os.path.join(f, name + ".py")) or os.path.isfile(os.path.join(f, name, "__init__.py"))
               for f in above):
            return spec, tree.root
    return None
