"""Config path shapes that are files and folders, not calls: arguments of
file commands (`COPY workspaces/ ...`), settings values holding folders
(package.json `workspaces`, tsconfig `paths`) and paths joined to a
`pathlib` root (`ROOT / "workspaces/acme/sources"`)."""

from __future__ import annotations

import bisect
import re
import string
from collections.abc import Iterable
from functools import lru_cache

from migrator.audit.text_routes import match_routes, template_literals
from migrator.audit.text_scan import NEAR, Scan
from migrator.audit.yaml_values import YAML_SUFFIXES
from migrator.audit.yaml_volumes import TARGET, volume_target
from migrator.imports import language


_FOLDER_BEFORE = re.compile(r"""(?:^|[\s"'`(=,])(?:\.{1,2}/|~/)?[A-Za-z_][\w-]*/(?:[\w.-]+/)*$""")
"""A relative folder that starts the word a path is in: `"backup/`, `out/`,
`./data/` (no Config path has a segment before `workspaces/` but `v1beta/`,
no host name is one: `platform.segmentapis.com/`)."""
_FILE_CALL = re.compile(
    r"""(?:(?<![\w.@])(?:open|(?:Pure)?Path)\(\s*[rf]?["'][^"'\n]*         # Python's open(, Path(
        | \bos\.(?:makedirs|mkdir)\(\s*[rf]?["'][^"'\n]*                 # os.makedirs(
        | (?:^|[;&|("']|\bRUN\s|\brun:\s|^\s*-\s|\$\s)\s*  # where a shell command starts...
          (?:mkdir|touch|cp|mv|rm|ls|cd|pushd|cat|tar)\s[^|;&\n]*  # ...taking a file or folder
    )$""",
    re.VERBOSE,
)
"""What takes a file's path, before it on its line; a shell command starts a
line, follows `;`, `&&`, `|`, `(`, a quote, a Dockerfile's `RUN`, CI's `run:`,
a YAML list's `-` (`script:` steps) or a `$` prompt."""
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
"""A file's extension ending a path: `{src}.json`, `destinations.csv`."""
_FOLDER_ARGUMENT = re.compile(
    r"""(?:\bworking[-_]directory["']?\s*[:=]\s*["']?       # a CI job's folder (GitHub Actions, CircleCI)
        | (?<![\w-])--workspace(?:=|\s+)["']?               # npm's and yarn's workspace folder
    )$""",
    re.VERBOSE,
)
"""What takes a folder, before it on its line (`working-directory:
workspaces/api/sources`, the folder of a monorepo's package)."""
_FOLDER_WORDS = ("working", "--workspace")
"""(`_FOLDER_ARGUMENT` needs one of them.)"""
_DOCKER_ARGUMENT = re.compile(
    r"""^\s*(?:(?:COPY|WORKDIR)\s[^\n]*
            | ADD\s(?:[^$\n]*[\s"',\[])?)$  # ADD, which downloads too: not in a URL, nor after `$BASE`
    """,
    re.VERBOSE,
)
"""A Dockerfile's instruction taking files, before a path on its line (`COPY workspaces/api/sources /app/`)."""
_PATH_CHARS = string.ascii_letters + string.digits + "_.-/*~@"
"""What a folder's literal start is made of (not a base's `$`, `}` nor a URL's `:`)."""


def file_path(scan: Scan, line: str, start: int, raw: str) -> bool:
    """The host-less path at `start` of `line` names a file or folder, not
    a Config path: it ends with an extension, sits under a relative folder,
    or is given to `open(`, `Path(`, `mkdir`, `COPY`, `working-directory:`."""
    if _EXTENSION.search(raw):
        return True
    before = line[max(0, start - NEAR) : start]
    return bool(_FOLDER_BEFORE.search(before) or _FILE_CALL.search(before)) or _folder_argument(scan, before)


def _folder_argument(scan: Scan, before: str) -> bool:
    """`before` ends with what takes a folder, and maybe the start of the
    folder (`COPY . /app/`): `_FOLDER_ARGUMENT`, a Dockerfile's `_DOCKER_ARGUMENT`."""
    if any(word in before for word in _FOLDER_WORDS) and _FOLDER_ARGUMENT.search(before.rstrip(_PATH_CHARS)):
        return True
    return _dockerfile(scan.path) and _DOCKER_ARGUMENT.search(before.rstrip(_PATH_CHARS)) is not None


@lru_cache(maxsize=16)
def _dockerfile(path: str) -> bool:
    """`Dockerfile`, `Dockerfile.dev`, `api.Dockerfile`, `Containerfile`."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "dockerfile" in name or "containerfile" in name


_ROOTED_ARGUMENT = re.compile(r"""(?:(?<![=!<>])=[ \t]*|(?:^|\s)--[A-Za-z][\w-]*[ \t]+)/$""")
"""An unquoted value rooted at `/` given after `=` (`ANSIBLE_ROLES_PATH=/`,
`roles_path = /`, a mount's `target=/`) or to a long option (`--prefix /`)."""
_ROOTED = re.compile(r"""(?:^|[^\w.$}\])%/-])/$""")
"""A path rooted at `/`: no base, host nor segment before it."""


def workspace_folder(scan: Scan, before: str, segs: list[str], start: int) -> bool:
    """The path after `before` (its segments `segs`, at offset `start`) is rooted at
    `/workspaces/`, where Codespaces and dev containers mount repositories
    (`/workspaces/app/functions`), and reads as a folder: an unquoted value
    after `=` or a long option (a shell variable, an INI setting, `npm
    --prefix /workspaces/...`), or any rooted path in a dev container's or
    VS Code's settings files (`"workspaceFolder": "/workspaces/app"`,
    launch.json's `"cwd"`), or given to what takes a folder in code, a
    shell, a script's settings or Markdown (`_folder_context`:
    `os.chdir("/workspaces/app/sources")`, `export APP_DIR="/workspaces/app"`,
    jest's `roots`, `` `cd /workspaces/app` ``). A host-less Config path is a string of code or
    joined to a base: such a value is one when it is shaped as a Config
    route whole (`/workspaces/acme/sources`) in a file that writes the
    Config base (`SEGMENT_API=https://platform.segmentapis.com/v1beta`);
    in YAML, in a file that names the Config host or version at all."""
    if _ROOTED_ARGUMENT.search(before):
        return not (_route_shaped(scan, segs) and names_config_base(scan))
    if scan.path.lower().endswith(YAML_SUFFIXES) and (_CONTAINER_FOLDER.search(before) or (
            TARGET.search(before) and volume_target(scan.lines.line, *_place(scan, start)))):
        return not (_route_shaped(scan, segs) and names_config(scan))
    if _editor_settings(scan.path) and _ROOTED.search(before) is not None:
        return True
    if not _folder_context(scan.path, before):
        return False
    return not (_route_shaped(scan, segs) and names_config_base(scan))


_WORKSPACE_FOLDER = re.compile(
    r"""(?:(?<![\w.])(?:os\.chdir|os\.path\.\w+|shutil\.\w+)\((?:[^()\n]*,)?\s*[rf]?["']     # Python's file calls
        | (?<![\w.])cwd\s*=\s*[rf]?["']                                               # subprocess' `cwd=`
        | (?:^|[;&|(`"']|\brun:\s|^\s*-\s|\$\s)\s*(?:python3?\s+-m\s+)?pytest(?:\s|["']\s*,)[^|;&\n]*  # a test runner's folder (`["pytest", "/`)
    )/$""",
    re.VERBOSE,
)
"""What takes a folder rooted at `/workspaces/` in code or a shell, before
it on its line (`os.chdir("/`, `cwd="/`, `subprocess.run(["pytest", "/`,
`pytest /`); the shell's `cd`, `mkdir`... and Python's `open(`, `Path(`
are `_FILE_CALL`'s, anywhere. (Another command's argument in a
subprocess list may be a helper's Config path: `["segment-api", "delete", "/workspaces/..."]`.)"""
_SHELL_FOLDER = re.compile(
    r"""(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+|declare\s+-\w+\s+)?[A-Za-z_]\w*(?i:dir|home|folder)=["']/$"""
)
"""A shell variable of a folder, quoted (`export APP_DIR="/`), in a file of
no programming language (a keyword argument `resource_dir="/` is code;
`*_PATH`, `*_ROOT` may hold an API path prefix: `WS_PATH="/workspaces/acme"`)."""
_SCRIPT_FOLDER = re.compile(
    r"""(?:(?:^|[{,\s])["']?(?:roots|rootDir|dir|cwd|root|testDir|outDir|include|exclude)["']?\s*:\s*(?:\[[^\]\n]*)?
        | (?<![\w$.])path\.(?:posix\.)?(?:join|resolve)\((?:[^()\n]*,)?\s*)["'`]/$""",
    re.VERBOSE,
)
"""In JavaScript or TypeScript, what takes a folder before it on its line:
a test runner's or compiler's folder key (jest's `roots: ["/`, vitest's
`dir: "/`, `outDir: "/`) or `path.join("/`, `path.resolve(__dirname, "/`."""
_MARKDOWN_CD = re.compile(r"(?:^|[^`])`cd\s+/$")
"""Markdown's inline code changing folder: `` `cd /workspaces/app/sources` ``."""
_SCRIPTS = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
_MARKDOWN = (".md", ".markdown", ".mdx")


def _folder_context(path: str, before: str) -> bool:
    """`before` ends with what takes a folder in code, a shell, a script's
    settings or Markdown (`_WORKSPACE_FOLDER`, `_SCRIPT_FOLDER`, `_MARKDOWN_CD`)."""
    if not before.endswith("/"):
        return False  # not rooted (each ends with its `/`): a resource name of a JSON dump, thousands of times
    # the words each expression needs, searched first (a minified bundle holds thousands of paths)
    words = before.lower()
    lowered = path.lower()
    if lowered.endswith(_MARKDOWN) and "`cd" in words and _MARKDOWN_CD.search(before):
        return True
    if lowered.endswith(_SCRIPTS) and any(w in words for w in _SCRIPT_WORDS) and _SCRIPT_FOLDER.search(before):
        return True
    if language(path) is None and any(w in words for w in _SHELL_WORDS) and _SHELL_FOLDER.search(before):
        return True
    return any(w in words for w in _TAKES_A_FOLDER) and _WORKSPACE_FOLDER.search(before) is not None


_TAKES_A_FOLDER = ("chdir", "os.path", "shutil", "cwd", "pytest")
_SHELL_WORDS = ("dir=", "home=", "folder=")
"""A word each of `_WORKSPACE_FOLDER`'s expressions holds (lower case)."""
_SCRIPT_WORDS = ("root", "dir", "cwd", "include", "exclude", "path.")
"""A word each of `_SCRIPT_FOLDER`'s expressions holds (lower case)."""


_CONTAINER_FOLDER = re.compile(
    r"""(?:(?:^|[{,])[ \t]*(?:-[ \t]+)?["']?(?:working_dir|workingDir|mountPath)["']?[ \t]*:[ \t]+["']?  # compose's, Kubernetes' folder keys
        | ^[ \t]*-[ \t]+["']?[^\s"'#:,\[\]]+:)/$                                            # compose's short volume syntax: `- ./data:/`
    """,
    re.VERBOSE,
)
"""What takes a container's folder in YAML, before a path rooted at `/` on
its line: compose's `working_dir:` and a volume's target (`- ./:/workspaces/app`),
Kubernetes' `workingDir:` and `mountPath:` (also in a flow mapping, `{mountPath: /...}`)."""


def _place(scan: Scan, start: int) -> tuple[int, int]:
    """The line of `start` and its 0-based column."""
    line, column = scan.lines.locate(start)
    return line, column - 1


def names_config(scan: Scan) -> bool:
    """The file names a Config host or the Config version as a segment
    (`platform.segmentapis.com`, `/v1beta`) anywhere."""
    if scan.config_named is None:
        names = [scan.catalog.hosts_pattern] if scan.catalog.hosts_pattern else []
        version = scan.catalog.version_start.strip("/")
        if version:
            names.append(rf"/{re.escape(version)}(?![\w-])")
        scan.config_named = bool(names) and re.search(f"(?i:{'|'.join(names)})", scan.text) is not None
    return scan.config_named


def _route_shaped(scan: Scan, segs: list[str]) -> bool:
    """`segs` are a whole path of an endpoint row with two literal segments
    or more (`workspaces/{workspace}/sources`; not `workspaces/{workspace}`,
    the shape of a mounted repository's folder)."""
    routes, length = match_routes(scan.catalog, segs)
    return bool(routes) and length == len(segs) and template_literals(routes[0].template) >= 2


def names_config_base(scan: Scan) -> bool:
    """The file writes a URL of the Config host that ends at the Config
    version (`https://platform.segmentapis.com/v1beta`): a base that
    host-less Config paths are joined to. A URL going on past it
    (`.../v1beta/workspaces/acme/roles`) is a call whole, no base."""
    if scan.config_base is None:
        hosts = scan.catalog.hosts_pattern
        version = re.escape(scan.catalog.version_start.strip("/"))
        scan.config_base = bool(hosts and version) and re.search(
            rf"(?<![\w.-])(?i:{hosts})(?::\d+)?/{version}/?(?![^\s\"'`,;)\]}}])", scan.text) is not None
    return scan.config_base


@lru_cache(maxsize=16)
def _editor_settings(path: str) -> bool:
    """A dev container's files (`.devcontainer/devcontainer.json`,
    `.devcontainer.json`) or VS Code's settings (`.vscode/launch.json`)."""
    parts = path.replace("\\", "/").lower().split("/")
    return parts[-1] == ".devcontainer.json" or ".devcontainer" in parts[:-1] or (
        ".vscode" in parts[:-1] and parts[-1].endswith(".json"))


FOLDER_KEYS = ("paths", "include", "exclude", "files", "rootDir", "rootDirs", "baseUrl", "outDir")
"""The keys of a TypeScript (JavaScript) compiler's settings whose values are files and folders."""


def _folder_keys(path: str) -> tuple[tuple[str, ...], int]:
    """The keys of the settings file at `path` whose values are folders, and
    how deep in it they are at most: `package.json`'s top-level `workspaces`
    (not a script of that name), a `tsconfig.json`'s `FOLDER_KEYS`, at its
    top or in `compilerOptions`."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name == "package.json":
        return ("workspaces",), 1
    if name.startswith(("tsconfig", "jsconfig")) and name.endswith(".json"):
        return FOLDER_KEYS, 2
    return (), 0


def in_folder_value(scan: Scan, at: int) -> bool:
    """`at` is in the value of a key of a settings file that holds folders
    (`"workspaces": ["workspaces/*"]` in `package.json`, a `tsconfig.json`'s
    `"paths": {"@app/*": ["workspaces/app/src/*"]}`)."""
    if scan.folders is None:
        keys, deepest = _folder_keys(scan.path)
        scan.folders = json_values(scan.text, keys, deepest) if keys else []
    if not scan.folders:
        return False
    i = bisect.bisect_right(scan.folders, (at, len(scan.text)))
    return i > 0 and scan.folders[i - 1][1] > at


def json_values(text: str, keys: Iterable[str], deepest: int) -> list[tuple[int, int]]:
    """Where the values of `keys` are in a JSON text (a string, an array or
    an object, whole), in order, for the keys at most `deepest` brackets
    deep; a key inside such a value is not looked at."""
    places = sorted(at for key in keys for at in _finds(text, f'"{key}"'))
    spans: list[tuple[int, int]] = []
    for at, depth in zip(places, json_depths(text, places)):
        if spans and at < spans[-1][1] or depth > deepest:
            continue
        colon = text.index('"', at + 1) + 1
        while colon < len(text) and text[colon] in " \t\r\n":
            colon += 1
        if text.startswith(":", colon):
            spans.append((colon + 1, _json_value_end(text, colon + 1)))
    return spans


def json_depths(text: str, places: list[int]) -> list[int]:
    """How many brackets of the JSON text are open at each of `places`
    (ascending), strings skipped: one pass."""
    out: list[int] = []
    depth = i = 0
    for target in places:
        while i < target:
            c = text[i]
            if c == '"':
                i = _string_end(text, i)
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
            i += 1
        out.append(depth)
    return out


def _finds(text: str, needle: str) -> Iterable[int]:
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _string_end(text: str, start: int) -> int:
    """Where the JSON string opened at `start` closes (its `"`), escapes
    skipped; at a line's end or the text's if it does not."""
    i = start + 1
    while i < len(text) and text[i] not in '"\n':
        i += 2 if text[i] == "\\" else 1
    return i


def _json_value_end(text: str, start: int) -> int:
    """Where the JSON value starting at `start` (after spaces) ends: its
    brackets closed, its strings skipped; a number's at the next `,`."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == '"':
            i = _string_end(text, i)
            if depth == 0:
                return i + 1
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth <= 0:
                return i + 1
        elif depth == 0 and c == ",":
            return i
        i += 1
    return len(text)


_JOINED = re.compile(
    r"""(?P<left>(?<![\w.])[A-Za-z_][\w.]*(?:\([^()\n]*\))?(?:\.\w+(?:\([^()\n]*\))?)*)  # ROOT, Path(__file__).parent
        (?:\s*/\s*(?:[rRfFbBuU]{0,2}(?:"[^"\n]*"|'[^'\n]*')|[A-Za-z_][\w.]*))*         # / "exports" / sub
        \s*/\s*[rRfFbBuU]{0,2}["']$""",
    re.VERBOSE,
)
"""A string joined with `/` to what is before it on its line: `ROOT / f"`, `Path("out") / "exports" / "`."""
_JOIN_END = re.compile(r"""/\s*[rRfFbBuU]{0,2}["']$""")
_PATHLIB = re.compile(r"^[ \t]*(?:from[ \t]+pathlib[ \t]+import|import[ \t]+pathlib)\b", re.M)
_PATH_CALL = re.compile(r"(?:pathlib\.)?(?:Pure|Posix|Windows|PurePosix|PureWindows)?Path\b")
"""A `pathlib` path: `Path(...)`, `Path.cwd()`, `pathlib.PurePosixPath(...)`."""
_URL_VALUE = re.compile(r"://|(?<![\w.])(?:\w+\.)?URL\(")
"""A value that is a URL: written out, or `yarl.URL(`, `httpx.URL(` (they join paths with `/` too)."""
BINDINGS = 3
"""How many names deep a path's binding is followed (`OUT = ROOT / "out"`, `ROOT = Path(...)`)."""


_FILE_JOIN = re.compile(
    r"""(?<![\w.$])(?:File\.join|path\.join|path\.posix\.join|posixpath\.join)\(\s*(?P<root>(?:["'][^"'\n]*["']\s*,\s*)*["'][^"'\n]*)$""")
"""A file path joiner's literal arguments before a path in one, on its line
(`File.join("/srv/mirror/`, `File.join("/srv/mirror", "`)."""


def _below_joined_root(before: str) -> bool:
    """What follows `before` is below the literal root a file path joiner
    was given first (`File.join("/srv/mirror/v1beta", ...)`): a folder; not
    at the root (`path.join("/v1beta", ...)`), nor in a URL's (`"https://host/`)."""
    m = _FILE_JOIN.search(before)
    return m is not None and "://" not in m.group("root") and bool(re.sub(r"""["'\s,/]""", "", m.group("root")))


def in_file_path(scan: Scan, at: int) -> bool:
    """`at` is below the root of a path given to `open(`, `Path(`, `mkdir`
    or to a file path joiner (`Path("/srv/mirror/v1beta")`,
    `File.join("/srv/mirror", "v1beta", ...)`; not `PurePosixPath("/v1beta")`),
    or anywhere in a folder given to `COPY` or held by a settings file's key
    (`"workspaces": ["workspaces/*"]`)."""
    line_start, _ = scan.lines.bounds(at)
    before = scan.text[max(line_start, at - NEAR) : at]
    if in_folder_value(scan, at) or _folder_argument(scan, before):
        return True
    below = False
    if "open(" in before or "Path(" in before or "os." in before or _SPACE.search(before):
        m = _FILE_CALL.search(before)  # (after a quick test: the search tries every offset of the text)
        below = m is not None and bool(_last_word(before).strip("/"))
    return below or "join(" in before and _below_joined_root(before)


_SPACE = re.compile(r"\s")
"""(`_FILE_CALL` needs `open(`, `Path(`, `os.` or, after a shell command, a space.)"""


def _last_word(text: str) -> str:
    """The end of `text` after its last space or quote."""
    i = len(text)
    while i > 0 and not (text[i - 1].isspace() or text[i - 1] in "\"'`"):
        i -= 1
    return text[i:]


def joined_to_path(scan: Scan, before: str) -> bool:
    """The string after `before` is joined with `/` to a `pathlib` path
    (`ROOT / f"workspaces/{ws}/sources/{src}"`, `ROOT` bound to `Path(...)`):
    a file's path, in a file that imports `pathlib`. Not after a name bound
    to a URL too (`URL("https://...") / "workspaces/..."`)."""
    if not _JOIN_END.search(before):
        return False
    m = _JOINED.search(before)
    if m is None:
        return False
    if scan.pathlib is None:
        scan.pathlib = _PATHLIB.search(scan.text) is not None
    return scan.pathlib and not _url_evidence(scan, m.group()) and _path_value(scan, m["left"], BINDINGS)


def _url_evidence(scan: Scan, value: str) -> bool:
    """`value` shows a URL, whatever type holds it: written out, a URL
    object, rooted at the Config version segment (`PurePosixPath("/v1beta")`:
    no file system root is) or a Config host."""
    if _URL_VALUE.search(value):
        return True
    version = scan.catalog.version_start.strip("/")
    if version and re.match(rf"\s*(?:{_PATH_CALL.pattern}\(\s*)?[rRbBuU]{{0,2}}[\"']/?{re.escape(version)}(?=[/\"'])", value):
        return True  # (rooted at it: `Path("/srv/mirror/v1beta")` is a folder)
    lowered = value.lower()
    return any(host in lowered for host in scan.catalog.host_names)


def _path_value(scan: Scan, value: str, depth: int) -> bool:
    """`value` (the start of an expression) is a `pathlib` path: a call of
    `Path`, or a name the file binds only to such paths."""
    if _PATH_CALL.match(value):
        return True
    name = re.match(r"[A-Za-z_][\w.]*", value)
    if name is None or "(" in value or depth <= 0:
        return False
    if name.group() not in scan.paths:
        scan.paths[name.group()] = _bound_to_path(scan, name.group(), depth)
    return scan.paths[name.group()]


def _bound_to_path(scan: Scan, name: str, depth: int) -> bool:
    """The file binds `name` (annotated `Path`, or assigned) only to
    `pathlib` paths (or to other names so bound), and at least once."""
    quoted = re.escape(name)
    if re.search(rf"(?<![\w.]){quoted}[ \t]*:[ \t]*{_PATH_CALL.pattern}", scan.text):
        return True  # `root: Path` (a parameter, a variable)
    values = [m.group(1).strip() for m in re.finditer(rf"(?<![\w.]){quoted}[ \t]*(?::[^=\n]*)?=(?!=)([^\n]*)", scan.text)]
    if not values or any(_url_evidence(scan, v) for v in values):
        return False
    return all(_path_value(scan, v.split("/", 1)[0].strip(), depth - 1) for v in values)
