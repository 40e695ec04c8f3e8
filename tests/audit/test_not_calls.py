"""Config path shapes that are no request: a route the file's own server
serves, a file path. Both modes of the audit (the codemod's findings for
Python, the text scanner for the rest) leave them alone, and keep
reporting the requests next to them."""

from __future__ import annotations

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import RuleSet


def found(rules: RuleSet, precise: bool, path: str, source: str) -> list[tuple[int, str]]:
    auditor = Auditor(rules, codemod="auto" if precise else None)
    return [(f.line, f.rule) for f in auditor.scan(path, source.encode()).findings]


SERVED = [
    (
        "urls.py",
        'from django.urls import path\nfrom . import views\nurlpatterns = [\n'
        '    path("v1beta/workspaces/<slug:ws>/sources/<slug:src>", views.source),\n]\n',
    ),
    (
        "fake.py",
        'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/v1beta/workspaces/{ws}/sources")\n'
        'def sources(ws: str):\n    return {"sources": []}\n',
    ),
    (
        "flask_app.py",
        'from flask import Flask\napp = Flask(__name__)\n'
        'app.add_url_rule("/v1beta/workspaces/<ws>/sources/<int:src>", view_func=source)\n',
    ),
    ("server.js", "app.get('/v1beta/workspaces/:ws/sources', (req, res) => res.json([]));\n"),
]


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), SERVED)
def test_a_v1beta_route_the_files_own_server_serves_is_no_call(
    real_rules: RuleSet, precise: bool, path: str, source: str
) -> None:
    assert found(real_rules, precise, path, source) == []


def test_a_django_placeholder_is_one_segment(real_rules: RuleSet) -> None:
    """`<slug:src>` is a placeholder, as `<src>` is: the path is a source's."""
    source = 'import requests\nrequests.delete("https://platform.segmentapis.com/v1beta/workspaces/<slug:ws>/sources/<slug:src>")\n'
    assert found(real_rules, False, "x.py", source) == [(2, "host.base-url"), (2, "endpoint.sources.delete")]


@pytest.mark.parametrize("precise", [False, True])
def test_a_request_next_to_a_route_is_reported(real_rules: RuleSet, precise: bool) -> None:
    """A proxy serves a route and calls the Config API: the call is
    reported, the route's path pieces (`v1beta/`, `workspaces`) are not."""
    source = (
        'import requests\nfrom fastapi import FastAPI\napp = FastAPI()\n\n'
        '@app.get("/v1beta/workspaces/{ws}/sources")\ndef sources(ws: str):\n'
        '    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources").json()\n'
    )
    # the route answers with the Public shape once the call moves: the codemod marks its decorator
    expected = [(5, "rewrite.responses"), (7, "pagination.params"), (7, "endpoint.sources.list")] if precise else [
        (7, "host.base-url"), (7, "endpoint.sources.list")
    ]
    assert found(real_rules, precise, "proxy.py", source) == expected


OPENAPI_YAML = (
    "openapi: 3.0.0\ninfo:\n  title: Our internal API\n"
    "  description: |\n    Proxies what used to be https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources.\n"
    "paths:\n  /workspaces/{ws}/sources:\n    get: {operationId: listSources}\n"
    "  '/v1beta/workspaces/{ws}/sources/{src}':\n    delete: {operationId: deleteSource}\n"
)
OPENAPI_JSON = (
    '{"swagger": "2.0",\n "paths": {\n  "/workspaces/{ws}/sources": {"get": {}},\n'
    '  "/v1beta/workspaces/{ws}/sources/{src}": {"delete": {"x-was": {"/workspaces/{ws}/roles": 1}}}},\n'
    ' "x-other": {"/workspaces/{ws}/roles": {}}}\n'
)


def test_the_paths_of_an_openapi_document_are_its_own_routes(real_rules: RuleSet) -> None:
    """The keys of an OpenAPI (Swagger) document's `paths` are routes its
    API serves, in YAML and JSON: no call; the Config URL its prose quotes
    stays reported, and so does a path anywhere else in it (a key below an
    operation, another top-level map)."""
    assert found(real_rules, False, "openapi.yaml", OPENAPI_YAML) == [(5, "host.base-url"), (5, "endpoint.sources.list")]
    assert found(real_rules, False, "swagger.json", OPENAPI_JSON) == [(4, "endpoint.roles.list"), (5, "endpoint.roles.list")]


def test_the_paths_of_the_config_apis_own_document_are_reported(real_rules: RuleSet) -> None:
    """A document whose server is a Config host describes the Config API
    (a client is generated from it): its paths are Config paths."""
    source = (
        "openapi: 3.0.0\nservers:\n  - url: https://platform.segmentapis.com/v1beta\n"
        "paths:\n  /workspaces/{ws}/sources:\n    get: {operationId: listSources}\n"
    )
    assert found(real_rules, False, "config.yaml", source) == [(3, "host.base-url"), (5, "endpoint.sources.list")]


FILES = [
    (
        "export.py",
        'import json\n\n\ndef dump(ws, src, data):\n    with open(f"backup/workspaces/{ws}/sources/{src}.json", "w") as f:\n'
        "        json.dump(data, f)\n",
    ),
    ("s.sh", 'mkdir -p "out/workspaces/$WS/sources/$SRC"\n'),
    ("copy.sh", 'mkdir -p "$OUT/workspaces/$WS/sources/$SRC"\ncp -r ./data/workspaces/"$WS"/sources "$OUT"\n'),
    (
        "p.py",
        'from pathlib import Path\nROOT = Path("data")\n\n\ndef destinations(ws, src):\n'
        '    return ROOT / f"workspaces/{ws}/sources/{src}/destinations.csv"\n',
    ),
    ("q.py", 'from pathlib import Path\n\n\ndef folder(root, ws, src):\n    return Path(f"{root}/workspaces/{ws}/sources/{src}")\n'),
    ("load.js", "const plan = require(`./fixtures/workspaces/${ws}/tracking-plans/${id}.json`);\n"),
    # joined with `/` to a `pathlib` path: a name bound to one, a call, a chain, a parameter annotated `Path`
    ("r.py", 'from pathlib import Path\nROOT = Path("out")\np = ROOT / f"workspaces/{ws}/sources/{src}"\n'),
    ("here.py", 'from pathlib import Path\np = Path(__file__).parent / f"workspaces/{ws}/sources/{src}"\n'),
    (
        "chain.py",
        'import pathlib\nROOT = pathlib.Path.cwd()\nOUT = ROOT / "exports"\n'
        'p = OUT / "data" / f"workspaces/{ws}/sources/{src}"\n',
    ),
    ("arg.py", 'from pathlib import Path\n\n\ndef folder(root: Path, ws, src):\n    return root / f"workspaces/{ws}/sources/{src}"\n'),
    ("segments.py", 'from pathlib import Path\nROOT = Path("out")\np = ROOT / "workspaces" / ws / "sources" / src\n'),
]


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), FILES)
def test_a_file_path_shaped_as_a_config_path_is_no_call(
    real_rules: RuleSet, precise: bool, path: str, source: str
) -> None:
    """A folder under a relative folder, a path ending with an extension,
    one given to `open(`, `Path(`, `mkdir`, or joined to a `pathlib` path:
    an export of Config data."""
    assert found(real_rules, precise, path, source) == []


@pytest.mark.parametrize("precise", [False, True])
def test_a_request_next_to_a_file_path_is_reported(real_rules: RuleSet, precise: bool) -> None:
    """A backup script calls the Config API and writes what it gets to a
    folder shaped as its path: the call is reported, the folder is not
    (nor its `workspaces` piece), and a host-less path given to a client is."""
    source = (
        "import json\nimport requests\n\nAPI = \"https://platform.segmentapis.com/v1beta\"\n\n\n"
        "def backup(session, ws, src):\n"
        '    data = requests.get(f"{API}/workspaces/{ws}/sources/{src}").json()\n'
        '    with open(f"backup/workspaces/{ws}/sources/{src}.json", "w") as f:\n'
        "        json.dump(data, f)\n"
        '    return session.get("/workspaces/" + ws + "/sources").json()\n'
    )
    expected = (
        [(4, "rewrite.partial-path"), (8, "rewrite.slug-ids"), (11, "rewrite.partial-path")]
        if precise
        else [(4, "host.base-url"), (8, "endpoint.sources.get"), (11, "endpoint.sources.list")]
    )
    assert found(real_rules, precise, "backup.py", source) == expected


JOINED_URLS = [
    (
        "yarl_url.py",
        'import requests\nfrom pathlib import Path\nfrom yarl import URL\n'
        'API = URL("https://platform.segmentapis.com/v1beta")\nr = requests.get(str(API / f"workspaces/{ws}/sources/{src}"))\n',
        [(4, "host.base-url"), (5, "source.fields")],
    ),
    (
        "httpx_url.py",
        'from pathlib import Path\nimport httpx\nBASE = httpx.URL("https://platform.segmentapis.com/v1beta")\n'
        'r = httpx.get(BASE / "workspaces/acme/sources")\n',
        [(3, "host.base-url"), (4, "endpoint.sources.list")],
    ),
    (
        "rebound.py",  # a path once, a URL after: not only a path
        'from pathlib import Path\nROOT = Path("out")\nROOT = "https://platform.segmentapis.com/v1beta"\n'
        'r = requests.get(ROOT / f"workspaces/{ws}/sources/{src}")\n',
        [(3, "host.base-url"), (4, "source.fields")],
    ),
    (
        "yarl_segments.py",  # segments joined with `/`: the path they build
        'import requests\nfrom yarl import URL\n\nBASE = URL("https://platform.segmentapis.com/v1beta")\n'
        'r = requests.get(str(BASE / "workspaces" / ws / "sources")).json()\n',
        [(4, "host.base-url"), (5, "endpoint.sources.list")],
    ),
    ("unknown.py", 'from pathlib import Path\nROOT = get_root()\np = ROOT / f"workspaces/{ws}/sources/{src}"\n',
     [(3, "source.fields")]),
    ("no_pathlib.py", 'ROOT = Path("out")\np = ROOT / f"workspaces/{ws}/sources/{src}"\n', [(2, "source.fields")]),
]


@pytest.mark.parametrize(("path", "source", "expected"), JOINED_URLS)
def test_a_path_joined_to_a_url_or_to_what_is_not_known_as_a_pathlib_path_is_reported(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, str]],
) -> None:
    """yarl's and httpx's URLs join paths with `/` too: only a name the file
    binds to `pathlib` paths alone (and imports `pathlib`) makes a file's path."""
    assert found(real_rules, False, path, source) == expected


@pytest.mark.parametrize(("path", "source", "expected"), [c for c in JOINED_URLS if c[0].startswith(("yarl", "httpx"))])
def test_a_base_in_a_url_object_joined_with_a_slash_is_a_persons(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, str]],
) -> None:
    """The rewrite does not read `/` joins of URL objects: the base is not
    moved alone (the Config path would go to the Public host), it stays
    marked with its join."""
    auditor = Auditor(real_rules, codemod="auto")
    findings = [(f.line, f.rule, f.fix) for f in auditor.scan(path, source.encode()).findings]
    assert findings == [(line, "rewrite.partial-path", "manual") for line, _ in expected]


@pytest.mark.parametrize("precise", [False, True])
def test_a_request_next_to_a_folder_joined_to_a_pathlib_path_is_reported(real_rules: RuleSet, precise: bool) -> None:
    source = (
        'import requests\nfrom pathlib import Path\n\nAPI = "https://platform.segmentapis.com/v1beta"\nROOT = Path("out")\n\n\n'
        "def backup(ws, src):\n"
        '    data = requests.get(f"{API}/workspaces/{ws}/sources/{src}").json()\n'
        '    folder = ROOT / f"workspaces/{ws}/sources/{src}"\n'
        "    folder.mkdir(parents=True)\n"
    )
    expected = ([(4, "rewrite.partial-path"), (9, "rewrite.slug-ids")] if precise
                else [(4, "host.base-url"), (9, "endpoint.sources.get")])
    assert found(real_rules, precise, "backup.py", source) == expected


PURE_URL_PATHS = (
    "import requests\nfrom pathlib import PurePosixPath\n\n"
    'HOST = "https://platform.segmentapis.com"\nAPI = PurePosixPath("/v1beta")\n\n\n'
    "def sources(ws):\n"
    '    path = PurePosixPath("/v1beta") / "workspaces" / ws / "sources"\n'
    "    return requests.get(HOST + str(path)).json()\n\n\n"
    "def source(ws, src):\n"
    '    path = API / "workspaces" / ws / "sources" / src\n'
    "    return requests.get(HOST + str(path)).json()\n"
)


@pytest.mark.parametrize("precise", [False, True])
def test_a_pathlib_path_rooted_at_the_config_version_is_a_url_path(real_rules: RuleSet, precise: bool) -> None:
    """A `pathlib` path that starts at `/v1beta` (itself, or a name bound to
    one) builds a URL path, not a folder: its Config path is reported, in
    both modes (the codemod marks the calls and leaves the joins to the text
    scanner)."""
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    findings = [(f.line, f.column, f.rule, f.text) for f in auditor.scan("pure.py", PURE_URL_PATHS.encode()).findings]
    joins = [
        (5, 23, "audit.v1beta-prefix", "v1beta"),
        (9, 28, "audit.v1beta-prefix", "v1beta"),
        (9, 40, "endpoint.sources.list", "workspaces/{}/sources"),
        (14, 19, "source.fields", "workspaces/{}/sources/{}"),
    ]
    if precise:
        assert findings == [(4, 8, "rewrite.partial-path", '"https://platform.segmentapis.com"'), *joins[:3],
                            (10, 25, "rewrite.partial-path", ""), joins[3], (15, 25, "rewrite.partial-path", "")]
    else:
        assert findings == [(4, 9, "host.base-url", "https://platform.segmentapis.com"), *joins]


MIRROR = (
    "from pathlib import Path\nimport requests\n\n"
    'CONFIG = "https://platform.segmentapis.com/v1beta"\nCACHE = Path("/srv/mirror/v1beta")\n\n\n'
    "def fetch(ws):\n"
    '    return requests.get(f"{CONFIG}/workspaces/{ws}/sources").json()\n\n\n'
    "def cached(ws):\n"
    '    return CACHE / "workspaces" / ws / "sources"\n'
    "\n\ndef inline(ws):\n"
    '    return Path("/srv/cache/v1beta") / "workspaces" / ws / "sources"\n'
)


@pytest.mark.parametrize("precise", [False, True])
def test_a_folder_named_v1beta_under_a_longer_root_is_a_folder(real_rules: RuleSet, precise: bool) -> None:
    """`Path("/srv/mirror/v1beta")` is rooted at `/srv`, not at the Config
    version: a mirror of Config exports, whose `workspaces/{ws}/sources`
    folder and `v1beta` are no finding (they were reported as a Config path
    and its prefix); the call next to it is."""
    expected = ([(4, "host.base-url"), (9, "pagination.params"), (9, "endpoint.sources.list")] if precise
                else [(4, "host.base-url"), (9, "endpoint.sources.list")])
    assert found(real_rules, precise, "mirror.py", MIRROR) == expected


PATHLIB_JOINS = (
    "import requests\nfrom pathlib import PurePosixPath\n\n"
    'HOST = "https://segment-proxy.internal"\nAPI = PurePosixPath("/v1beta")\nWORKSPACES = API / "workspaces"\n\n\n'
    "def plans(ws):\n"
    '    return requests.get(HOST + str(WORKSPACES / ws / "tracking-plans")).json()\n\n\n'
    "def plans2(ws):\n"
    '    return requests.get(HOST + str(API.joinpath("workspaces", ws, "tracking-plans"))).json()\n\n\n'
    "def sources(ws):\n"
    '    return requests.get(HOST + str(PurePosixPath("/v1beta", "workspaces", ws, "sources"))).json()\n\n\n'
    "def listed(ws):\n"
    '    return requests.get(HOST + str(PurePosixPath("/v1beta/workspaces") / ws / "sources")).json()\n'
)


@pytest.mark.parametrize("precise", [False, True])
def test_a_pathlib_path_rooted_at_the_config_version_through_names_and_segments(
    real_rules: RuleSet, precise: bool,
) -> None:
    """Segments joined to a name bound to a path rooted at `/v1beta` (itself
    bound to one: `WORKSPACES = API / "workspaces"`), by `/` or `joinpath`,
    and a path made of several segments or joined after a first one holding
    `workspaces`, are read as the path they build (they were missed, or
    `/v1beta/workspaces` taken for the workspaces list). A join too short to
    hold the whole path is read without its `v1beta/`."""
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    findings = [(f.line, f.column, f.rule, f.text) for f in auditor.scan("pl.py", PATHLIB_JOINS.encode()).findings]
    listed = ((22, 50, "rewrite.partial-path", '"/v1beta/workspaces"') if precise
              else (22, 36, "endpoint.sources.list", "/v1beta/workspaces/{}/sources"))
    assert findings == [
        (5, 23, "audit.v1beta-prefix", "v1beta"),
        (10, 36, "endpoint.tracking-plans.list", "workspaces/{}/tracking-plans"),
        (14, 36, "endpoint.tracking-plans.list", "/v1beta/workspaces/{}/tracking-plans"),
        (18, 36, "endpoint.sources.list", "/v1beta/workspaces/{}/sources"),
        listed,
    ]


JOINED_FOLDERS = [
    (
        "mirror.rb",
        'def cached(ws)\n  File.join("/srv/mirror/v1beta", "workspaces", ws, "sources")\nend\n\n'
        'def listed(ws)\n  conn.get(File.join("/v1beta", "workspaces", ws, "sources"))\nend\n\n'
        'def deleted(ws, src)\n  conn.delete(File.join(@base, "v1beta", "workspaces", ws, "sources", src))\nend\n\n'
        'def split(ws)\n  File.join("/srv/mirror", "v1beta", "workspaces", ws, "sources")\nend\n',
    ),
    (
        "mirror.js",
        'const path = require("path");\n'
        'const cached = (ws) => path.join("/srv/mirror/v1beta", "workspaces", ws, "sources");\n'
        'const exported = (ws) => path.posix.join("/srv/mirror/v1beta", "workspaces", ws, "sources");\n'
        'const listed = (ws) => fetch(API + path.posix.join("/v1beta", "workspaces", ws, "sources"));\n'
        'const deleted = (ws, src) => fetch(path.join(API, "v1beta", "workspaces", ws, "sources", src));\n',
    ),
]


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), JOINED_FOLDERS)
def test_a_folder_named_v1beta_joined_by_a_file_path_joiner_is_a_folder(
    real_rules: RuleSet, precise: bool, path: str, source: str,
) -> None:
    """A file path joiner's path whose `v1beta` is below a longer root
    (`File.join("/srv/mirror/v1beta", "workspaces", ws, "sources")`, Node's
    `path.join` and `path.posix.join`) is a folder, as a `pathlib` one is
    (it was reported as a Config path); rooted at the version, or after a
    value (a base), it is a Config path."""
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    findings = [(f.line, f.column, f.rule) for f in auditor.scan(path, source.encode()).findings]
    expected = {
        "mirror.rb": [(6, 24, "endpoint.sources.list"), (10, 33, "endpoint.sources.delete")],
        "mirror.js": [(4, 54, "endpoint.sources.list"), (5, 52, "endpoint.sources.get")],
    }[path]
    assert findings == expected


POSIX_JOINS = '''import posixpath

import requests

HOST = "https://segment-proxy.internal"


def listed(ws):
    return requests.get(HOST + posixpath.join("/v1beta", "workspaces", ws, "sources")).json()


def cached(ws):
    return posixpath.join("/srv/mirror/v1beta", "workspaces", ws, "sources")
'''


@pytest.mark.parametrize("precise", [False, True])
def test_a_python_posixpath_join_is_read_as_a_path_joiner(real_rules: RuleSet, precise: bool) -> None:
    """`posixpath.join` builds a URL's path as `path.posix.join` does: rooted
    at the version, a Config path (it was not read); below a longer root, a
    folder, its `v1beta` no version prefix."""
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    findings = [(f.line, f.column, f.rule) for f in auditor.scan("n.py", POSIX_JOINS.encode()).findings]
    assert findings == [(9, 49, "endpoint.sources.list")]


MONOREPO_FOLDERS = [
    ("Dockerfile", "FROM node:20\nCOPY workspaces/api/sources /app/workspaces/api/sources\nCOPY workspaces/ /app/workspaces/\n"
                   "WORKDIR /app/workspaces/api/sources\nRUN npm ci --workspace workspaces/api/sources\n"
                   "RUN cd workspaces/api/sources && npm test\nRUN mkdir -p workspaces/web/sources\n"),
    (
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    defaults: {run: {working-directory: workspaces/api/sources}}\n"
        "    steps:\n      - run: npm test --workspace=workspaces/api/sources\n"
        "        working-directory: ./workspaces/web\n"
        "      - run: cd workspaces/api/sources && npm test\n"
        "      - run: |\n          pushd workspaces/web/sources\n          npm test\n",
    ),
    ("package.json", '{\n  "name": "mono",\n  "private": true,\n  "workspaces": [\n    "workspaces/*",\n'
                     '    "workspaces/api/sources"\n  ]\n}\n'),
    ("web/package.json", '{"workspaces": {"packages": ["workspaces/*"], "nohoist": ["workspaces/web/sources/**"]}}\n'),
    (
        "tsconfig.base.json",
        '{\n  // aliases\n  "compilerOptions": {\n    "baseUrl": "workspaces/api/sources",\n    "paths": {\n'
        '      "@app/*": ["workspaces/app/src/*"],\n      "@api/*": ["workspaces/api/sources/*"],\n    },\n  },\n'
        '  "include": ["workspaces/api/sources", "workspaces/*/src"],\n  "exclude": ["workspaces/web/sources/dist"]\n}\n',
    ),
]
CONFIG_CALLS = {
    "Dockerfile": "RUN curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n",
    ".github/workflows/ci.yml": "        env:\n          url: https://platform.segmentapis.com/v1beta/workspaces/x/sources\n",
}


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), MONOREPO_FOLDERS)
def test_the_folders_of_a_monorepo_are_no_calls(real_rules: RuleSet, precise: bool, path: str, source: str) -> None:
    """Folders shaped as a Config path (`workspaces/<package>/sources`) given
    to a Dockerfile's `COPY`, `ADD`, `WORKDIR`, to `working-directory:`, to
    `--workspace`, to a shell command after `RUN` or `run:` (`cd`, `pushd`), or held by `package.json`'s `workspaces` and a
    `tsconfig.json`'s `paths`, `include`, `exclude`, `baseUrl`: no call, no
    path piece (also next to a Config call, which gives the file an API
    context), and the Config call next to them is reported."""
    assert found(real_rules, precise, path, source) == []
    call = CONFIG_CALLS.get(path)
    if call is not None:
        line = source.count("\n") + call.count("\n")  # (the call is on its last line)
        assert found(real_rules, precise, path, source + call) == [
            (line, "host.base-url"), (line, "endpoint.sources.list")
        ]


@pytest.mark.parametrize("precise", [False, True])
def test_a_config_path_next_to_the_folders_of_a_settings_file_is_reported(real_rules: RuleSet, precise: bool) -> None:
    """Only the values of the keys holding folders are folders: a script
    calling the Config API in the same `package.json`, a Config path an
    `ADD` downloads after a base, a resource name after SQL's `ADD`, are reported."""
    package = ('{\n  "workspaces": ["workspaces/*", "workspaces/api/sources"],\n'
               '  "scripts": {"sync": "curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources"}\n}\n')
    assert found(real_rules, precise, "package.json", package) == [(3, "host.base-url"), (3, "endpoint.sources.list")]
    docker = 'ARG BASE=https://platform.segmentapis.com/v1beta\nADD $BASE/workspaces/acme/sources /data/\n'
    assert found(real_rules, precise, "Dockerfile", docker) == [(1, "host.base-url"), (2, "endpoint.sources.list")]
    sql = "ALTER TABLE sinks\n  ADD COLUMN source text DEFAULT 'workspaces/acme/sources/js';\n"  # (no Dockerfile)
    assert found(real_rules, precise, "001.sql", sql) == [(2, "source.fields")]


@pytest.mark.parametrize("precise", [False, True])
def test_a_nested_key_named_as_a_folder_key_holds_no_folders(real_rules: RuleSet, precise: bool) -> None:
    """Only `package.json`'s top-level `workspaces` holds folders (a script
    named `workspaces` calls the Config API); a tsconfig's keys at its top or
    in `compilerOptions`."""
    package = ('{\n  "workspaces": ["workspaces/api/sources"],\n  "scripts": {\n'
               '    "workspaces": "curl $SEGMENT_API/workspaces/acme/sources"\n  }\n}\n')
    assert found(real_rules, precise, "package.json", package) == [(4, "endpoint.sources.list")]
    tsconfig = ('{"compilerOptions": {"paths": {"@a/*": ["workspaces/app/sources/*"]}},\n'
                ' "include": ["workspaces/api/sources"]}\n')
    assert found(real_rules, precise, "tsconfig.json", tsconfig) == []


CODESPACES = [
    (
        ".devcontainer/devcontainer.json",
        '{\n  "workspaceFolder": "/workspaces/app",\n'
        '  "workspaceMount": "source=${localWorkspaceFolder},target=/workspaces/app/sources,type=bind",\n'
        '  "containerEnv": {"ANSIBLE_ROLES_PATH": "/workspaces/infra/roles"},\n'
        '  "postCreateCommand": "npm --prefix /workspaces/app/functions ci"\n}\n',
    ),
    (".vscode/launch.json", '{"configurations": [{"request": "launch", "cwd": "/workspaces/web/functions"}]}\n'),
    ("ansible.cfg", "[defaults]\nroles_path = /workspaces/infra/roles\n"),
    ("dev.sh", "export ANSIBLE_ROLES_PATH=/workspaces/infra/roles:/etc/ansible/roles\nnpm --prefix /workspaces/web/functions run build\n"),
]


@pytest.mark.parametrize(("path", "source"), CODESPACES)
def test_a_codespaces_folder_is_no_call(real_rules: RuleSet, path: str, source: str) -> None:
    """Codespaces and dev containers mount repositories at `/workspaces/<repo>`:
    a path rooted there in their settings, or given unquoted after `=` or to
    a long option, is a folder, also when shaped as a Config path."""
    assert found(real_rules, False, path, source) == []


def test_a_config_call_next_to_a_codespaces_folder_is_reported(real_rules: RuleSet) -> None:
    """A call in a dev container's command, to the Config host or after a
    base, stays a call; a comparison (`==`) is no setting."""
    source = (
        'export ANSIBLE_ROLES_PATH=/workspaces/infra/roles\n'
        'curl -s "$BASE/workspaces/acme/sources"\n'
        'curl -s "https://platform.segmentapis.com/v1beta/workspaces/acme/roles"\n'
        'if [ "$P" == /workspaces/acme/sources ]; then :; fi\n'
    )
    assert found(real_rules, False, "dev.sh", source) == [
        (2, "endpoint.sources.list"), (3, "host.base-url"), (3, "endpoint.roles.list"), (4, "endpoint.sources.list"),
    ]
    settings = (
        '{"postCreateCommand": "curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources",\n'
        ' "workspaceFolder": "/workspaces/app"}\n'
    )
    assert found(real_rules, False, ".devcontainer/devcontainer.json", settings) == [
        (1, "host.base-url"), (1, "endpoint.sources.list"),
    ]


def test_a_config_path_set_next_to_the_config_base_is_reported(real_rules: RuleSet) -> None:
    """An unquoted value after `=` shaped as a Config route whole
    (`workspaces/{workspace}/sources`), in a file that writes the Config
    base (its host and version alone), is a Config path joined to it, not a
    folder; other folders there stay quiet: a repository's (`/workspaces/app`,
    no route), a folder below a route's shape (`/workspaces/x/build`)."""
    env = (
        "SEGMENT_API=https://platform.segmentapis.com/v1beta\n"
        "SEGMENT_SOURCES_PATH=/workspaces/acme/sources\n"
        "WORKDIR=/workspaces/app\n"
        "workspaceFolder=/workspaces/repo\n"
        "NPM_FLAGS=--prefix=/workspaces/x/build\n"
    )
    auditor = Auditor(real_rules, codemod=None)
    assert [(f.line, f.column, f.rule, f.text) for f in auditor.scan(".env", env.encode()).findings] == [
        (1, 13, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (2, 23, "endpoint.sources.list", "workspaces/acme/sources"),
    ]


@pytest.mark.parametrize("path", [".env", "dev.sh"])
def test_a_config_path_shaped_folder_without_the_config_base_stays_quiet(real_rules: RuleSet, path: str) -> None:
    """Without the Config base in the file (none, or only whole URLs that go
    on past the version) such a value stays a folder."""
    source = (
        "SEGMENT_SOURCES_PATH=/workspaces/acme/sources\n"
        "STAGING=https://platform.segmentapis.com/v1beta/workspaces/acme/roles\n"
        "OTHER=https://generativelanguage.googleapis.com/v1beta\n"
    )
    assert found(real_rules, False, path, source) == [(2, "host.base-url"), (2, "endpoint.roles.list")]


DEV_CONTAINER_FOLDERS = [
    (
        "cs.py",
        'import os\nimport shutil\nimport subprocess\n\nos.chdir("/workspaces/app/sources")\n'
        'subprocess.run(["pytest", "/workspaces/app/sources/tests"])\n'
        'subprocess.run(["make"], cwd="/workspaces/web/functions")\n'
        'shutil.copytree("build", "/workspaces/app/sources/out")\n'
        'os.path.exists("/workspaces/app/sources")\n',
    ),
    (
        "cs.sh",
        'export APP_DIR="/workspaces/app/sources"\nlocal TEST_DIR=\'/workspaces/web/functions\'\n'
        'cd /workspaces/app/sources\npython -m pytest /workspaces/app/sources/tests\n',
    ),
    ("jest.config.js", 'module.exports = { rootDir: "/workspaces/app", roots: ["/workspaces/app/sources"] };\n'),
    (
        "vitest.config.ts",
        'export default { root: "/workspaces/web", test: { dir: "/workspaces/web/functions" },\n'
        '  outDir: path.resolve(__dirname, "/workspaces/web/functions/dist") };\n',
    ),
    ("wf.yml", "jobs:\n  test:\n    steps:\n      - run: pytest /workspaces/app/sources/tests\n"),
    ("only.md", "Run `cd /workspaces/app/sources` first.\n"),
]


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), DEV_CONTAINER_FOLDERS)
def test_a_codespaces_folder_given_to_a_file_call_or_a_folder_key_is_no_call(
    real_rules: RuleSet, precise: bool, path: str, source: str,
) -> None:
    """A path rooted at `/workspaces/` given to `os.chdir(`, `shutil`,
    `os.path`, `cwd=`, a subprocess' list, a shell's folder variable
    (quoted) or `pytest`, a JavaScript test runner's folder key or
    `path.resolve(`, Markdown's `` `cd `` is a dev container's folder, also
    shaped as a Config route, in a file without the Config base."""
    assert found(real_rules, precise, path, source) == []


@pytest.mark.parametrize("precise", [False, True])
def test_a_host_less_config_path_given_to_a_helper_is_reported(real_rules: RuleSet, precise: bool) -> None:
    """Given to a helper whose base is elsewhere, joined to a base, or held by
    a name that is not a folder's, a path rooted at `/workspaces/` stays a
    Config path in a file naming no Config host."""
    python = (
        'import os\nimport requests\nfrom client import api_get\n\nBASE = os.environ["API"]\n'
        'SOURCES = "/workspaces/{}/sources"\napi_get("/workspaces/acme/sources")\n'
        'requests.get(BASE + "/workspaces/acme/sources")\n'
    )
    joined = "rewrite.partial-path" if precise else "endpoint.sources.list"
    assert found(real_rules, precise, "ctl.py", python) == [
        (6, "endpoint.sources.list"), (7, "endpoint.sources.list"), (8, joined),
    ]
    shell = ". ./lib.sh\nsegment_get /workspaces/acme/sources\n"
    assert found(real_rules, precise, "ctl.sh", shell) == [(2, "endpoint.sources.list")]


@pytest.mark.parametrize("precise", [False, True])
def test_a_helpers_path_in_a_command_list_a_keyword_or_a_path_variable_stays_a_config_path(
    real_rules: RuleSet, precise: bool,
) -> None:
    """Not folders: another command's argument in a subprocess list (a CLI
    calling the API), a keyword argument named like a folder variable, a
    shell `*_PATH` beside the Config base (an API path prefix)."""
    tool = 'import subprocess\n\nsubprocess.run(["segment-api", "delete", "/workspaces/acme/sources/web"], check=True)\n'
    assert [(line, rule) for line, rule in found(real_rules, precise, "tool.py", tool)] == [
        (3, "endpoint.sources.get")]
    api = 'from .client import call\n\nsrc = call("DELETE", resource_path="/workspaces/acme/sources/web")\n'
    assert found(real_rules, False, "api.py", api) == [(3, "endpoint.sources.delete")]
    shell = ('SEGMENT_API="https://platform.segmentapis.com/v1beta"\nWS_PATH="/workspaces/acme"\n'
             'curl -s "$SEGMENT_API$WS_PATH/sources"\n')
    assert found(real_rules, False, "sync.sh", shell) == [(1, "host.base-url"), (2, "endpoint.workspaces.get")]


def test_a_codespaces_folder_next_to_the_config_base_or_a_config_url(real_rules: RuleSet) -> None:
    """Beside the Config base a value shaped whole as a Config route is a
    Config path (`SOURCES_DIR="/workspaces/acme/sources"`); other folders
    stay quiet. A Config URL that goes on past the version is no base: a
    runbook's `` `cd /workspaces/app/sources` `` next to one stays quiet."""
    shell = (
        "SEGMENT_API=https://platform.segmentapis.com/v1beta\n"
        'export SOURCES_DIR="/workspaces/acme/sources"\nexport APP_DIR="/workspaces/app"\n'
        'os.chdir("/workspaces/app/build")\n'
    )
    assert found(real_rules, False, "dev.sh", shell) == [(1, "host.base-url"), (2, "endpoint.sources.list")]
    runbook = (
        "Old: `https://platform.segmentapis.com/v1beta/workspaces/acme/roles`\n\n"
        "In Codespaces run `cd /workspaces/app/sources`.\n"
    )
    assert found(real_rules, False, "runbook.md", runbook) == [(1, "host.base-url"), (1, "endpoint.roles.list")]


CONTAINER_FOLDERS = [
    (
        "docker-compose.yml",
        "services:\n  app:\n    image: python:3.12\n    volumes:\n      - ./:/workspaces/app\n"
        "      - ./data:/workspaces/app/sources\n      - \"app-src:/workspaces/acme/sources:cached\"\n"
        "    working_dir: /workspaces/app\n",
    ),
    (
        "k8s.yaml",
        "spec:\n  containers:\n    - name: dev\n      workingDir: /workspaces/monorepo\n"
        "      volumeMounts:\n        - mountPath: /workspaces/monorepo/sources\n"
        "        - {name: src, mountPath: '/workspaces/acme/sources'}\n",
    ),
    (
        "compose.yaml",
        "services:\n  app:\n    volumes:\n      - type: bind\n        source: .\n        target: /workspaces/app\n"
        "      - type: volume\n        source: app-src\n        volume:\n          nocopy: true\n"
        "        target: /workspaces/acme/sources\n      - target: \"/workspaces/acme/sources\"\n        type: tmpfs\n"
        "      - {type: bind, source: ./data, target: '/workspaces/acme/sources'}\n",
    ),
]


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), CONTAINER_FOLDERS)
def test_a_container_folder_in_compose_or_kubernetes_yaml_is_no_call(
    real_rules: RuleSet, precise: bool, path: str, source: str,
) -> None:
    """A path rooted at `/workspaces/` given to compose's `working_dir:`, a
    volume's target (short or long syntax), Kubernetes' `workingDir:` or `mountPath:` is a
    dev container's folder, also when shaped as a Config route, in a file
    that names no Config host nor version."""
    assert found(real_rules, precise, path, source) == []


def test_a_config_path_under_a_container_folder_key_next_to_the_config_host_is_reported(real_rules: RuleSet) -> None:
    """Next to the Config host (or version), a value shaped whole as a
    Config route stays a Config path; a repository's folder
    (`/workspaces/app`, no route) stays quiet, and other keys take no folder."""
    source = (
        "services:\n  app:\n    environment:\n      SEGMENT_HOST: platform.segmentapis.com\n"
        "    volumes:\n      - ./:/workspaces/app\n      - ./data:/workspaces/acme/sources\n"
        "    working_dir: /workspaces/acme/sources\n"
    )
    assert found(real_rules, False, "docker-compose.yml", source) == [
        (4, "host.base-url"), (7, "endpoint.sources.list"), (8, "endpoint.sources.list"),
    ]
    proxied = "env:\n  API: https://proxy.internal/v1beta\nmountPath: /workspaces/acme/sources\npath: /workspaces/app/sources\n"
    assert found(real_rules, False, "k8s.yaml", proxied) == [
        (3, "endpoint.sources.list"), (4, "endpoint.sources.list"),
    ]


def test_a_target_key_outside_a_volumes_list_or_with_the_config_host_is_reported(real_rules: RuleSet) -> None:
    """Only the `target:` of an item of a `volumes:` list is a folder: one
    of another mapping, or of an item of another list, is a Config path as
    before; so is a target holding a Config URL (host and version)."""
    elsewhere = (
        "services:\n  app:\n    deploy:\n      target: /workspaces/acme/sources\n"
        "    ports:\n      - published: 8080\n        target: /workspaces/acme/roles\n"
    )
    assert found(real_rules, False, "compose.yaml", elsewhere) == [
        (4, "endpoint.sources.list"), (7, "endpoint.roles.list"),
    ]
    url = "services:\n  app:\n    volumes:\n      - type: bind\n        source: .\n" \
        "        target: https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n"
    assert found(real_rules, False, "compose.yaml", url) == [(6, "host.base-url"), (6, "endpoint.sources.list")]


AFTER_A_SEGMENT = [
    ("mirror.sh", "MIRROR=/srv/mirror/workspaces/acme/sources\ntar czf b.tgz /backup/workspaces/acme/sources\n"),
    ("home.sh", 'rsync -a "$HOME/workspaces/$WS/sources" "$DST"\nSRC=~/workspaces/acme/sources\ndu -sh ${HOME}/workspaces/acme/roles\n'),
    ("deploy.yaml", "env:\n  - name: MIRROR\n    value: /data/workspaces/acme/sources\n"),
    ("front.ts", "export const invite = (ws: string) => fetch(`/api/workspaces/${ws}/invites`, { method: \"POST\" });\n"),
    ("ui.sh", 'curl -s "http://localhost:3000/api/workspaces/$WS/invites" -X POST\n'),
]


@pytest.mark.parametrize(("path", "source"), AFTER_A_SEGMENT)
def test_a_path_with_a_segment_before_workspaces_is_no_config_path(real_rules: RuleSet, path: str, source: str) -> None:
    """No Config path has a segment before `workspaces/` but `v1beta/`: an
    absolute folder, the home folder, the app's own backend (`/api/`), on a
    host other than the Config host."""
    assert found(real_rules, False, path, source) == []


def test_a_config_path_after_the_version_or_alone_is_reported_next_to_them(real_rules: RuleSet) -> None:
    """`/v1beta/workspaces/...` on any host (a proxy), a bare path given to a
    client, a path after a segment on the Config host: Config paths; the
    folder's and the app's pieces (`/api/workspaces/`) are none, also in a
    file that uses the Config API."""
    source = (
        "MIRROR=/srv/mirror/workspaces/acme/sources\n"
        'curl -s "http://proxy.internal/segment/v1beta/workspaces/acme/roles"\n'
        'curl -s "$SEGMENT/workspaces/acme/sources"\n'
        'curl -s "https://platform.segmentapis.com/api/workspaces/acme/invites"\n'
        'UI="/api/workspaces/"\n'
    )
    assert found(real_rules, False, "sync.sh", source) == [
        (2, "endpoint.roles.list"), (3, "endpoint.sources.list"), (4, "host.base-url"), (4, "endpoint.invites.list"),
    ]
    front = "export const roles = (ws: string) => api.get(`/workspaces/${ws}/roles`);\n"
    assert found(real_rules, False, "front.ts", front) == [(1, "endpoint.roles.list")]


ROUTES = [
    ("gin.go", 'package api\n\nfunc Register(g *gin.Engine) {\n\tg.GET("/workspaces/:ws/roles", listRoles)\n'
               '\tg.POST("/workspaces/:ws/invites", auth, createInvite)\n}\n'),
    ("chi.go", 'package api\n\nfunc Mount(r chi.Router) {\n\tr.Get("/workspaces/{ws}/sources", listSources)\n'
               '\tr.Delete("/workspaces/{ws}/sources/{src}", deleteSource)\n'
               '\tr.Route("/workspaces/{ws}/functions", func(r chi.Router) {})\n}\n'),
    ("echo.go", 'package api\n\nfunc Mount(e *echo.Echo) {\n\te.GET("/workspaces/{ws}/invites", listInvites)\n'
                '\tmux.HandleFunc("GET /workspaces/{ws}/invites", listInvites)\n}\n'),
    ("fastify.js", "fastify.get('/workspaces/:ws/sources', listSources);\n"
                   "fastify.route({ method: 'GET', url: '/workspaces/:ws/functions', handler });\n"
                   "f.delete('/workspaces/:ws/roles/:role', h);\n"),
    ("web.php", "<?php\nRoute::get('/workspaces/{ws}/roles', [RoleController::class, 'index']);\n"),
    ("app.test.ts", 'it("invites", async () => {\n  await request(app).post("/workspaces/acme/invites").expect(201);\n'
                    '  await supertest(server).get("/workspaces/acme/roles").expect(200);\n});\n'),
]


@pytest.mark.parametrize(("path", "source"), ROUTES)
def test_a_route_of_gin_chi_echo_fastify_laravel_or_a_supertest_request_is_no_call(
    real_rules: RuleSet, path: str, source: str,
) -> None:
    """The file's own server's routes, whatever its name (`:ws` is a route's
    placeholder: a request's URL holds its value), and supertest's requests
    to the app under test."""
    assert found(real_rules, False, path, source) == []


def test_a_go_client_call_next_to_routes_is_reported(real_rules: RuleSet) -> None:
    """Go clients take a URL alone, or a content type and a body: calls."""
    source = (
        'package main\n\nfunc f() {\n\tr.Get("/workspaces/{ws}/sources", listSources)\n'
        '\tclient.Get("/workspaces/acme/roles")\n'
        '\thttp.Post("/workspaces/acme/invites", ct, body)\n'
        '\tresty.R().Delete("/workspaces/acme/sources/js")\n}\n'
    )
    assert found(real_rules, False, "c.go", source) == [
        (5, "endpoint.roles.list"), (6, "endpoint.invites.create"), (7, "endpoint.sources.delete"),
    ]
    js = (
        "api.get('/workspaces/acme/roles');\nf.get('/workspaces/:ws/roles', h);\n"
        "zodios.get('/workspaces/:ws/sources', { params: { ws } });\n"
    )
    assert found(real_rules, False, "c.js", js) == [(1, "endpoint.roles.list"), (3, "endpoint.sources.list")]


def test_a_bare_word_looked_up_off_no_http_client_is_no_call(real_rules: RuleSet) -> None:
    """`config.get('filters', None)`, `os.environ.get('workspaces')`: keys of
    a mapping, not Config paths; the precise audit reports the file's request
    as `migrator rewrite` migrates it, no partial path. A lone word sent
    through what may be a client handed in (`config.get('workspaces')`) is
    still a path, its base held with it."""
    source = (
        'import os\n\nimport requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\n'
        'def configure(config):\n'
        "    return config.get('filters', None), config.get('workspaces', {}), os.environ.get('filters')\n\n\n"
        'def sources():\n'
        '    return requests.get(f"{BASE}/workspaces/acme/sources", params={"page_size": 5}).json()["sources"]\n'
    )
    assert found(real_rules, True, "app.py", source) == [
        (5, "host.base-url"), (13, "envelope.list"), (13, "pagination.params"), (13, "endpoint.sources.list"),
    ]
    handed = source.replace("config.get('workspaces', {})", "config.get('workspaces')")
    assert [f for f in found(real_rules, True, "app.py", handed) if f[1] == "rewrite.partial-path"] == [
        (5, "rewrite.partial-path"), (9, "rewrite.partial-path"), (13, "rewrite.partial-path"),
    ]
