"""A proxy of the Config API: a base on another host whose URL ends at the
Config version (`PROXY = "https://segment-proxy.internal/v1beta"`), with
Config paths joined to it, is no other API's: the paths are whole Config
paths, the base's `v1beta` their prefix, and the fields read off its
responses or sent to it are Config fields. Another API's base (`/v1`, a
Google `/v1beta` with its own paths) stays another API's."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet

PREFIX = "audit.v1beta-prefix"
SOURCES = "endpoint.sources.list"


def found(auditor: Auditor, source: str, path: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.rule, f.text) for f in auditor.scan(path, source.encode()).findings]


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("proxy.js",
         'const PROXY = "https://segment-proxy.internal/v1beta";\n'
         "fetch(`${PROXY}/workspaces/${ws}/sources`).then(r => r.json());\n",
         [(1, 47, PREFIX, "v1beta"), (2, 17, SOURCES, "workspaces/${ws}/sources")]),
        ("proxy.ts",
         'const PROXY = "https://segment-proxy.internal/v1beta";\n'
         "const body = await (await fetch(`${PROXY}/workspaces/${ws}/sources`)).json();\n"
         "return [body.sources.map(s => s.display_name), body.next_page_token];\n",
         [(1, 47, PREFIX, "v1beta"), (2, 43, SOURCES, "workspaces/${ws}/sources"),
          (3, 33, "audit.config-field", "display_name"), (3, 53, "envelope.list", "next_page_token")]),
        ("proxy.go",
         'const proxy = "https://segment-proxy.internal/v1beta"\n'
         'http.Get(proxy + "/workspaces/" + ws + "/sources")\n',
         [(1, 47, PREFIX, "v1beta"), (2, 20, SOURCES, 'workspaces/" + ws + "/sources')]),
        ("proxy.sh",
         'PROXY="https://segment-proxy.internal/v1beta"\n'
         'curl -H "Authorization: Bearer $TOKEN" "$PROXY/workspaces/$WS/sources"\n',
         [(1, 39, PREFIX, "v1beta"), (2, 48, SOURCES, "workspaces/$WS/sources")]),
        ("proxy.yaml",
         "segment:\n  base_url: https://segment-proxy.internal/v1beta\n"
         '  sources: "{base_url}/workspaces/{workspace}/sources"\n',
         [(2, 44, PREFIX, "v1beta"), (3, 24, SOURCES, "workspaces/{workspace}/sources")]),
        ("proxy.rb",
         'PROXY = "https://segment-proxy.internal/v1beta"\n'
         'Net::HTTP.get(URI("#{PROXY}/workspaces/#{ws}/sources"))\n',
         [(1, 41, PREFIX, "v1beta"), (2, 29, SOURCES, "workspaces/#{ws}/sources")]),
        (".env",
         "SEGMENT_BASE=https://segment-proxy.internal/v1beta\nSOURCES_URL=${SEGMENT_BASE}/workspaces/acme/sources\n",
         [(1, 45, PREFIX, "v1beta"), (2, 29, SOURCES, "workspaces/acme/sources")]),
        ("proxy.py",
         'PROXY = "https://segment-proxy.internal/v1beta/"\n'
         'r = requests.get(PROXY + "workspaces/acme/sources", params={"page_size": 10}).json()\n',
         [(1, 41, PREFIX, "v1beta/"), (2, 27, SOURCES, "workspaces/acme/sources"),
          (2, 62, "pagination.params", "page_size")]),
    ],
)
def test_a_config_path_joined_to_a_proxy_base_is_reported(
    text_auditor: Auditor, path: str, source: str, expected: list[tuple[int, int, str, str]],
) -> None:
    """The path, and the base's `v1beta`, the prefix the Public API drops."""
    assert found(text_auditor, source, path) == expected


@pytest.mark.parametrize(
    ("path", "source"),
    [
        # another version than the Config API's
        ("a.js", 'const API = "https://api.example.com/v1";\nfetch(`${API}/workspaces/${ws}/sources`);\n'),
        ("a.sh", 'TFC="https://app.terraform.io/api/v2"\ncurl "$TFC/workspaces/$WS/vars"\n'),
        # another API's `v1beta` and its own paths
        ("a.js", 'const GEMINI = "https://generativelanguage.googleapis.com/v1beta";\n'
                 "fetch(`${GEMINI}/workspaces/${ws}/models`);\n"),
        ("a.py", 'FIRESTORE = "https://firestore.googleapis.com/v1beta1"\n'
                 'page = requests.get(f"{FIRESTORE}/projects/{p}/databases/(default)/documents").json()\n'
                 'token = page["next_page_token"]\n'),
        # a `v1beta` base with no Config path joined to it
        ("a.js", 'const PROXY = "https://segment-proxy.internal/v1beta";\nfetch(`${PROXY}/models`);\n'),
    ],
)
def test_another_apis_base_stays_silent(text_auditor: Auditor, path: str, source: str) -> None:
    assert found(text_auditor, source, path) == []


def test_a_config_path_starting_at_a_placeholder_is_read_on_the_config_host_or_none(real_rules: RuleSet) -> None:
    """`/v1beta/{install+}/token`: on the Config host or with no host, as
    before; on another API's host it is that API's (see above)."""
    source = ('fetch("https://platform.segmentapis.com/v1beta/installs/123/token");\nfetch("/v1beta/installs/123/token");\n'
              'fetch("https://generativelanguage.googleapis.com/v1beta/tunedModels/x/token");\n')
    auditor = Auditor(real_rules, codemod=None)
    assert [(line, rule) for line, _, rule, _ in found(auditor, source, "a.js")] == [
        (1, "host.base-url"), (1, "endpoint.apps.install-token"), (2, "endpoint.apps.install-token"),
    ]
    python = 'URL = "https://generativelanguage.googleapis.com/v1beta/tunedModels/x/token"\nr = requests.post(URL)\n'
    assert found(auditor, python, "a.py") == []


@pytest.mark.parametrize("precise", [False, True])
def test_a_destination_setting_named_token_is_no_install_token(real_rules: RuleSet, precise: bool) -> None:
    """A destination's setting (`.../destinations/mixpanel/config/token`,
    Mixpanel's token) is that destination's name, not `/v1beta/{install+}/token`."""
    export = ('{"name": "workspaces/acme/sources/ios/destinations/mixpanel", "config": [{"name": '
              '"workspaces/acme/sources/ios/destinations/mixpanel/config/token", "value": "t"}]}\n')
    auditor = Auditor(real_rules, codemod="auto" if precise else None)
    assert [(line, column, rule) for line, column, rule, _ in found(auditor, export, "d.json")] == [
        (1, 11, "destination.fields"), (1, 84, "destination.fields"),
    ]
    code = 'requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/ios/destinations/mp/config/token")\n'
    assert "endpoint.apps.install-token" not in [rule for _, _, rule, _ in found(auditor, code, "a.py")]


def test_a_ruby_base_of_another_api_is_read(text_auditor: Auditor) -> None:
    """`#{TFC}` is a base as `${TFC}` is: the workspace piece after it is Terraform's."""
    source = (
        'SEG = "https://platform.segmentapis.com/v1beta"\n'
        'TFC = "https://app.terraform.io/api/v2"\n'
        'Net::HTTP.get(URI("#{TFC}/organizations/#{org}/workspaces/#{ws}/vars"))\n'
        'Net::HTTP.get(URI("#{SEG}/workspaces/#{ws}/sources"))\n'
    )
    assert found(text_auditor, source, "a.rb") == [
        (1, 8, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (4, 27, SOURCES, "workspaces/#{ws}/sources"),
    ]


PYTHON = '''import requests

PROXY = "https://segment-proxy.internal/v1beta"
GEMINI = "https://generativelanguage.googleapis.com/v1beta"


def sources(ws):
    body = requests.get(f"{PROXY}/workspaces/{ws}/sources").json()
    return [s["display_name"] for s in body["sources"]], body["next_page_token"]


def catalog():
    url = PROXY + "/workspaces/acme/sources"
    page = requests.get(url).json()
    return [s["catalog_name"] for s in page["sources"]], page["next_page_token"]


def whole(ws):
    page = requests.get("https://segment-proxy.internal/v1beta/workspaces/acme/sources", params={"page_size": 10}).json()
    return page["next_page_token"]


def models():
    page = requests.get(f"{GEMINI}/models").json()
    return page["next_page_token"]
'''


@pytest.mark.parametrize("precise", [False, True])
def test_fields_of_a_proxied_config_call_are_config_fields(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    """Read off the response of a call to the proxy (its URL in an f-string,
    through a variable, written out), or sent to it: Config fields; read off
    Google's `v1beta` response, not (the file has no Config host: the codemod
    leaves it to the text scanner, in both modes)."""
    (tmp_path / "n.py").write_text(PYTHON)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    assert [(f.line, f.column, f.rule, f.text) for f in result.findings] == [
        (3, 41, PREFIX, "v1beta"),
        (8, 35, SOURCES, "workspaces/{ws}/sources"),
        (9, 16, "source.fields", "display_name"),
        (9, 64, "envelope.list", "next_page_token"),
        (13, 21, SOURCES, "workspaces/acme/sources"),
        (15, 16, "source.fields", "catalog_name"),
        (15, 64, "envelope.list", "next_page_token"),
        (19, 56, SOURCES, "/v1beta/workspaces/acme/sources"),
        (19, 99, "pagination.params", "page_size"),
        (20, 18, "envelope.list", "next_page_token"),
    ]


GOOGLE = '''import requests

API = "https://platform.segmentapis.com/v1beta"
GEMINI = "https://generativelanguage.googleapis.com/v1beta"


def models():
    page = requests.get(f"{GEMINI}/models").json()
    return page["next_page_token"]
'''


@pytest.mark.parametrize("precise", [False, True])
def test_fields_of_another_apis_v1beta_base_in_an_f_string_are_not_reported(
    real_rules: RuleSet, tmp_path: Path, precise: bool,
) -> None:
    """In a file that uses the Config API, the call's URL is `f"{GEMINI}/..."`:
    the name in the f-string is read (it was glued to the `f` before)."""
    (tmp_path / "n.py").write_text(GOOGLE)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    base = "rewrite.partial-path" if precise else "host.base-url"  # (the codemod: a base no path is joined to)
    assert [(f.line, f.rule) for f in result.findings] == [(3, base)]


HELD = '''from pathlib import PurePosixPath

import requests

HOST = "https://segment-proxy.internal"
API = PurePosixPath("/v1beta")


def sources(ws):
    url = HOST + f"/v1beta/workspaces/{ws}/sources"
    r = requests.get(url, params={"page_size": 50})
    return r.json()["next_page_token"]


def by_path(ws):
    path = API / "workspaces" / ws / "sources"
    r = requests.get(HOST + str(path), params={"page_size": 50})
    return r.json()["next_page_token"]
'''


@pytest.mark.parametrize("precise", [False, True])
def test_a_config_path_held_in_a_variable_makes_the_call_the_config_apis(
    real_rules: RuleSet, tmp_path: Path, precise: bool,
) -> None:
    """The call's URL is a name bound to a whole Config path joined to a
    proxy's host (a string, a `pathlib` path): the keys sent to it and the
    fields read off its response are Config ones (they were taken for the
    host's, another API's, as `url = STRIPE + "/x"` is)."""
    (tmp_path / "n.py").write_text(HELD)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    path = [(10, 11, "rewrite.partial-path")] if precise else [(10, 20, SOURCES)]
    assert [(f.line, f.column, f.rule) for f in result.findings] == [
        (6, 23, PREFIX),
        *path,
        (11, 36, "pagination.params"),
        (12, 22, "envelope.list"),
        (16, 19, SOURCES),
        (17, 49, "pagination.params"),
        (18, 22, "envelope.list"),
    ]


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("proxy.go",
         'const proxy = "https://segment-proxy.internal/v1beta"\n'
         'http.Get(fmt.Sprintf("%s/workspaces/%s/sources", proxy, ws))\n',
         [(1, 47, PREFIX, "v1beta"), (2, 26, SOURCES, "workspaces/%s/sources")]),
        ("proxy.js",
         'const PROXY = process.env.SEGMENT_PROXY || "https://segment-proxy.internal/v1beta";\n'
         "fetch(`${PROXY}/workspaces/${ws}/sources`);\n",
         [(1, 76, PREFIX, "v1beta"), (2, 17, SOURCES, "workspaces/${ws}/sources")]),
        ("proxy.py",
         'PROXY = os.environ.get("SEGMENT_PROXY", "https://segment-proxy.internal/v1beta/")\n'
         'requests.get(f"{PROXY}workspaces/{ws}/sources")\n',
         [(1, 73, PREFIX, "v1beta/"), (2, 23, SOURCES, "workspaces/{ws}/sources")]),
    ],
)
def test_a_proxy_base_given_to_a_format_or_as_a_default_is_read(
    text_auditor: Auditor, path: str, source: str, expected: list[tuple[int, int, str, str]],
) -> None:
    """The base a `%s` starting a format string stands for (its first
    argument), and a URL that is the default of a variable
    (`process.env.X || "..."`, `os.environ.get("X", "...")`): their `v1beta`
    is reported (it was not)."""
    assert found(text_auditor, source, path) == expected


CATALOG = "endpoint.catalog.destinations.list"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("proxy.js",
         'const PROXY = "https://segment-proxy.internal/v1beta";\n'
         "fetch(`${PROXY}/catalog/destinations`).then(r => r.json());\n",
         [(1, 47, PREFIX, "v1beta"), (2, 17, CATALOG, "catalog/destinations")]),
        ("proxy.ts",
         'const PROXY = "https://segment-proxy.internal/v1beta";\n'
         'await fetch(PROXY + "/access-tokens", { method: "POST" });\n',
         [(1, 47, PREFIX, "v1beta"), (2, 23, "endpoint.access-tokens.create", "access-tokens")]),
        ("proxy.py",
         'PROXY = "https://segment-proxy.internal/v1beta/"\n'
         'r = requests.get(f"{PROXY}catalog/sources/{slug}").json()\n'
         'page = requests.get(PROXY + "catalog/sources", params={"page_size": 10}).json()\n',
         [(1, 41, PREFIX, "v1beta/"), (2, 27, "endpoint.catalog.sources.get", "catalog/sources/{slug}"),
          (3, 30, "endpoint.catalog.sources.list", "catalog/sources"), (3, 57, "pagination.params", "page_size")]),
        ("proxy.go",
         'const proxy = "https://segment-proxy.internal/v1beta"\n'
         'http.Get(fmt.Sprintf("%s/catalog/destinations", proxy))\n',
         [(1, 47, PREFIX, "v1beta"), (2, 26, CATALOG, "catalog/destinations")]),
        ("proxy.rb",
         'PROXY = "https://segment-proxy.internal/v1beta"\n'
         'Net::HTTP.get(URI("#{PROXY}/catalog/destinations"))\n',
         [(1, 41, PREFIX, "v1beta"), (2, 29, CATALOG, "catalog/destinations")]),
        ("proxy.sh",
         'PROXY="https://segment-proxy.internal/v1beta"\n'
         'curl -H "Authorization: Bearer $TOKEN" "$PROXY/catalog/destinations"\n',
         [(1, 39, PREFIX, "v1beta"), (2, 48, CATALOG, "catalog/destinations")]),
        # the Config host's own base, as its workspace paths are
        ("seg.js",
         'const BASE = "https://platform.segmentapis.com/v1beta";\nfetch(`${BASE}/catalog/destinations`);\n',
         [(1, 15, "host.base-url", "https://platform.segmentapis.com/v1beta"), (2, 16, CATALOG, "catalog/destinations")]),
    ],
)
def test_a_config_path_outside_workspaces_joined_to_a_proxy_base_is_reported(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, int, str, str]],
) -> None:
    """The Config paths that do not start with `workspaces` (the catalogs,
    `access-tokens`) right after a base ending at the Config version are
    whole as the workspace ones are: reported under their endpoint row, and
    the base's `v1beta` (they were not)."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


@pytest.mark.parametrize(
    ("path", "source"),
    [
        # no Config path of the table behind the proxy
        ("a.js", 'const PROXY = "https://segment-proxy.internal/v1beta";\nfetch(`${PROXY}/catalogue/items`);\n'),
        ("a.js", 'const PROXY = "https://segment-proxy.internal/v1beta";\nfetch(`${PROXY}/catalog/products`);\n'),
        # not right after the base; another API's version; the Public API's own catalog
        ("a.js", 'const PROXY = "https://segment-proxy.internal/v1beta";\nfetch(`${PROXY}/shop/catalog/sources`);\n'),
        ("a.py", 'FIRESTORE = "https://firestore.googleapis.com/v1beta1"\n'
                 'page = requests.get(f"{FIRESTORE}/catalog/sources").json()\n'),
        ("a.sh", 'API="https://api.segmentapis.com"\ncurl "$API/catalog/destinations"\n'),
        # no base at all: a catalog entry's name
        ("a.json", '{"catalog_name": "catalog/sources/javascript"}\n'),
    ],
)
def test_a_path_outside_workspaces_stays_silent_without_a_versioned_base(
    real_rules: RuleSet, path: str, source: str,
) -> None:
    assert found(Auditor(real_rules, codemod=None), source, path) == []


CATALOG_PYTHON = '''import requests

PROXY = "https://segment-proxy.internal/v1beta"


def destinations():
    page = requests.get(f"{PROXY}/catalog/destinations", params={"page_size": 100}).json()
    return [d["display_name"] for d in page["destinations"]], page["next_page_token"]
'''


@pytest.mark.parametrize("precise", [False, True])
def test_fields_of_a_proxied_catalog_call_are_config_fields(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    """As for a workspace path: the call is the Config API's, in both modes."""
    (tmp_path / "n.py").write_text(CATALOG_PYTHON)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    assert [(f.line, f.column, f.rule, f.text) for f in result.findings] == [
        (3, 41, PREFIX, "v1beta"),
        (7, 35, CATALOG, "catalog/destinations"),
        (7, 67, "pagination.params", "page_size"),
        (8, 16, "catalog-destination.fields", "display_name"),
        (8, 69, "envelope.list", "next_page_token"),
    ]


WORKSPACES = "endpoint.workspaces.list"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("proxy.js",
         'const PROXY = "https://segment-proxy.internal.example/v1beta";\n'
         "fetch(`${PROXY}/workspaces`).then(r => r.json());\n"
         'fetch(PROXY + "/workspaces");\n',
         [(1, 55, PREFIX, "v1beta"), (2, 17, WORKSPACES, "workspaces"), (3, 17, WORKSPACES, "workspaces")]),
        ("proxy.sh",
         'PROXY="https://segment-proxy.internal.example/v1beta"\n'
         'curl -H "Authorization: Bearer $TOKEN" "$PROXY/workspaces"\n',
         [(1, 47, PREFIX, "v1beta"), (2, 48, WORKSPACES, "workspaces")]),
        ("proxy.py",
         'A = "https://segment-proxy.internal.example/v1beta"\n'
         'requests.get(A + "/workspaces")\n'
         'requests.get(f"{A}/workspaces?page_size=10")\n',
         [(1, 45, PREFIX, "v1beta"), (2, 20, WORKSPACES, "workspaces"), (3, 20, WORKSPACES, "workspaces"),
          (3, 31, "pagination.params", "page_size")]),
        # the Config host's own base: the path was a path piece
        ("seg.py",
         'A = "https://platform.segmentapis.com/v1beta"\nrequests.get(A + "/workspaces")\n',
         [(1, 6, "host.base-url", "https://platform.segmentapis.com/v1beta"), (2, 20, WORKSPACES, "workspaces")]),
    ],
)
def test_the_workspaces_list_after_a_versioned_base_is_reported(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, int, str, str]],
) -> None:
    """`/workspaces` alone, right after a base ending at the Config version,
    is the Config API's list of workspaces, as `/workspaces/{ws}/...` after
    it is a workspace path (it was not read: no `workspaces/` starts it)."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("a.js", 'const PROXY = "https://segment-proxy.internal.example/v1beta";\n'
                 'const w = {"workspaces": 1};\nfetch(`${PROXY}/workspacesX`);\nfetch(`${OTHER}/workspaces`);\n'),
        ("a.js", 'const API = "https://api.example.com/v1";\nfetch(`${API}/workspaces`);\n'),
        ("a.rb", 'ROOT = "/srv/data"\nAPI = "https://api.example.com/v1"\n'
                 'BASE = "https://segment-proxy.internal.example/v1beta"\n'
                 'File.join(ROOT, "catalog", "sources")\nFile.join(API, "catalog", "sources")\n'
                 'File.join(BASE, "catalog", "products")\nFile.join(BASE, "shop", "catalog", "sources")\n'
                 'File.join("catalog", "sources")\n'),
    ],
)
def test_a_head_alone_or_joined_stays_silent_without_a_versioned_base(real_rules: RuleSet, path: str, source: str) -> None:
    """Not after a base ending at the Config version (another version, a
    folder, no base), not right after it, not a path of the table."""
    assert found(Auditor(real_rules, codemod=None), source, path) == []


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("proxy.rb",
         'PROXY = "https://segment-proxy.internal.example/v1beta"\n'
         'Net::HTTP.get(URI(File.join(PROXY, "workspaces", ws, "sources")))\n'
         'Net::HTTP.get(URI(File.join(PROXY, "catalog", "sources")))\n',
         [(1, 49, PREFIX, "v1beta"), (2, 37, SOURCES, "workspaces/{}/sources"),
          (3, 37, "endpoint.catalog.sources.list", "catalog/sources")]),
        ("proxy.js",
         'const PROXY = "https://segment-proxy.internal.example/v1beta";\n'
         'fetch(path.join(PROXY, "workspaces", ws, "sources"));\n'
         'fetch(path.posix.join(PROXY, "catalog", "sources"));\n',
         [(1, 55, PREFIX, "v1beta"), (2, 25, SOURCES, "workspaces/{}/sources"),
          (3, 31, "endpoint.catalog.sources.list", "catalog/sources")]),
        ("proxy.py",
         'PROXY = "https://segment-proxy.internal.example/v1beta"\n'
         'requests.get(posixpath.join(PROXY, "workspaces", ws, "sources"))\n'
         'requests.get(posixpath.join(PROXY, "catalog", "destinations", slug))\n',
         [(1, 49, PREFIX, "v1beta"), (2, 37, SOURCES, "workspaces/{}/sources"),
          (3, 37, "endpoint.catalog.destinations.get", "catalog/destinations/{}")]),
        # the Config host's own base: its paths outside workspaces too
        ("seg.rb",
         'BASE = "https://platform.segmentapis.com/v1beta"\n'
         'Net::HTTP.get(URI(File.join(BASE, "catalog", "sources")))\n',
         [(1, 9, "host.base-url", "https://platform.segmentapis.com/v1beta"),
          (2, 36, "endpoint.catalog.sources.list", "catalog/sources")]),
    ],
)
def test_a_versioned_base_given_to_a_joiner_is_the_paths_prefix(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, int, str, str]],
) -> None:
    """A base ending at the Config version given first to a joiner: the
    proxy's `v1beta` is the path's prefix, reported as after `${PROXY}/`
    (it was not: a person moving the path would keep it), and the Config
    paths outside workspaces right after it are read (they were not)."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


JOINED_PYTHON = '''import posixpath

import requests

PROXY = "https://segment-proxy.internal.example/v1beta"


def workspaces():
    return requests.get(f"{PROXY}/workspaces").json()


def destination(slug):
    return requests.get(posixpath.join(PROXY, "catalog", "destinations", slug)).json()
'''


@pytest.mark.parametrize("precise", [False, True])
def test_paths_after_a_versioned_base_in_python_are_reported_in_both_modes(
    real_rules: RuleSet, tmp_path: Path, precise: bool,
) -> None:
    """The codemod leaves a file with no Config host to the text scanner: in
    both modes the same findings, a person's with `--precise`."""
    (tmp_path / "n.py").write_text(JOINED_PYTHON)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    fix = "manual" if precise else None
    assert [(f.line, f.column, f.rule, f.fix) for f in result.findings] == [
        (5, 49, PREFIX, fix),
        (9, 35, WORKSPACES, fix),
        (13, 48, "endpoint.catalog.destinations.get", fix),
    ]


def test_another_apis_versioned_base_given_to_a_joiner_stays_silent(real_rules: RuleSet) -> None:
    """`posixpath.join(ZOOM, "workspaces", ...)` with ZOOM at `/v2`: another
    API's path, as `f"{ZOOM}/workspaces/..."` is."""
    auditor = Auditor(real_rules, codemod=None)
    python = ('import posixpath\nZOOM = "https://api.zoom.us/v2"\n'
              'a = requests.get(posixpath.join(ZOOM, "workspaces", ws, "sources"))\n'
              'b = requests.get("/".join([ZOOM, "workspaces", ws, "sources"]))\n')
    js = ('const ZOOM = "https://api.zoom.us/v2";\nconst a = path.posix.join(ZOOM, "workspaces", ws, "sources");\n'
          'const b = [ZOOM, "workspaces", ws, "sources"].join("/");\n')
    assert found(auditor, python, "k.py") == [] and found(auditor, js, "k.js") == []
    # the Config base still is one
    config = python.replace("https://api.zoom.us/v2", "https://segment-proxy.internal/v1beta")
    assert [rule for _, _, rule, _ in found(auditor, config, "k.py")] == [PREFIX, SOURCES, SOURCES]


def test_another_apis_base_with_no_version_given_to_a_joiner_stays_silent(real_rules: RuleSet) -> None:
    """`"/".join([OTHER, "workspaces", ...])` with OTHER another host's URL
    with no version: that API's path, as `f"{OTHER}/workspaces/..."` is (it
    was reported); the Config base, a proxy ending at the Config version and
    a base the file does not bind (a parameter) keep theirs."""
    auditor = Auditor(real_rules, codemod=None)
    python = ('SEGMENT = "https://platform.segmentapis.com/v1beta"\nOTHER = "https://api.example.com"\n'
              'PROXY = "http://proxy.internal/v1beta"\n'
              'a = requests.get("/".join([SEGMENT, "workspaces", ws, "sources"]))\n'
              'b = requests.get("/".join([OTHER, "workspaces", ws, "sources"]))\n'
              'c = requests.get(posixpath.join(OTHER, "workspaces", ws, "sources"))\n'
              'd = requests.get(f"{OTHER}/workspaces/{ws}/sources")\n'
              'e = requests.get("/".join([PROXY, "workspaces", ws, "sources"]))\n'
              'f = requests.get("/".join([base, "workspaces", ws, "sources"]))\n')
    assert found(auditor, python, "k.py") == [
        (1, 12, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        (3, 32, PREFIX, "v1beta"),
        (4, 38, SOURCES, "workspaces/{}/sources"),
        (8, 36, SOURCES, "workspaces/{}/sources"),
        (9, 35, SOURCES, "workspaces/{}/sources"),
    ]
    js = ('const OTHER = "https://api.example.com";\nconst a = [OTHER, "workspaces", ws, "sources"].join("/");\n'
          'const b = path.posix.join(OTHER, "workspaces", ws, "sources");\n')
    assert found(auditor, js, "k.js") == []
