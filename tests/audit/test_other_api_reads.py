"""A Config field name read off another API's response, in a Python file
that calls a Segment API, is no Config field: the function bound the value
once, from a call whose URLs are all other APIs' (Slack's `display_name`),
also through a name (a module constant, a variable); nor is a field of a
call to another API's client, or of what it gives (Google's `page_token`).
A read off a Config response stays one as another client's argument, and a
client given Config URLs or paths is the Config API's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.audit.model import Finding
from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet

PUBLIC = '''import requests
SEGMENT = "https://api.segmentapis.com"
def notify(token, slack_token, source_id):
    src = requests.get(f"{SEGMENT}/sources/{source_id}", headers={"Authorization": f"Bearer {token}"}).json()["data"]["source"]
    me = requests.get("https://slack.com/api/users.profile.get", headers={"Authorization": f"Bearer {slack_token}"}).json()
    who = me["profile"]["display_name"]
    return f"{who}: {src['name']}"
'''

STILL_READ = '''import requests
SEGMENT = "https://api.segmentapis.com"
SLACK = "https://slack.com/api/users.profile.get"
def titles(token, source_id, me):
    src = requests.get(f"{SEGMENT}/sources/{source_id}").json()["data"]["source"]
    old = src["display_name"]
    profile = requests.get(SLACK).json()
    mine = profile["profile"]["display_name"]
    return old, mine, me["profile"]["display_name"]
def twice(flag):
    me = requests.get(
        "https://slack.com/api/users.profile.get",
    ).json()
    if flag:
        me = requests.get(f"{SEGMENT}/sources/web").json()
    return me["display_name"]
def maybe(
    me,
):
    if not me:
        me = requests.get("https://slack.com/api/users.profile.get").json()
    return me["display_name"]
'''

CONFIG = '''import requests
def names(ws, slack_token):
    sources = requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources").json()["sources"]
    me = requests.get(
        "https://slack.com/api/users.profile.get",
        headers={"Authorization": f"Bearer {slack_token}"},
    ).json()
    return [s["display_name"] for s in sources], me["profile"]["display_name"]
'''


def findings(rules: RuleSet, tmp_path: Path, source: str, precise: bool) -> list[tuple[int, str, str]]:
    return [(f.line, f.rule, f.text) for f in run(rules, tmp_path, source, precise)]


def run(rules: RuleSet, tmp_path: Path, source: str, precise: bool) -> list[Finding]:
    (tmp_path / "n.py").write_text(source)
    return audit_paths([tmp_path], rules, jobs=1, use_gitignore=False, precise=precise, cache=None).findings


@pytest.mark.parametrize("precise", [False, True])
def test_a_field_of_another_apis_response_is_not_reported(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    assert findings(real_rules, tmp_path, PUBLIC, precise) == []


@pytest.mark.parametrize("precise", [False, True])
def test_reads_not_shown_bound_from_another_api_are_reported(
    real_rules: RuleSet, tmp_path: Path, precise: bool
) -> None:
    """Off a Segment response, off a parameter (also one a signature over
    lines names and the body may rebind), off a variable bound twice:
    reported; off a variable bound from another API's URL held by a module
    constant (line 8), not."""
    expected = [
        (6, "rewrite.responses", ""),
        (9, "rewrite.responses", ""),
        (16, "rewrite.responses", ""),
        (22, "audit.config-field", "display_name"),
    ] if precise else [
        (6, "audit.config-field", "display_name"),
        (9, "audit.config-field", "display_name"),
        (16, "audit.config-field", "display_name"),
        (22, "audit.config-field", "display_name"),
    ]
    assert findings(real_rules, tmp_path, STILL_READ, precise) == expected


def test_in_a_file_of_the_config_api_too(real_rules: RuleSet, tmp_path: Path) -> None:
    """The text scanner's field search in a file calling the Config API: the
    read off Slack's response (its call spread over lines) is not reported,
    the read off the Config API's on the same line is."""
    assert [(f.line, f.column, f.rule) for f in run(real_rules, tmp_path, CONFIG, False)] == [
        (3, 30, "host.base-url"),
        (3, 69, "endpoint.sources.list"),
        (8, 16, "source.fields"),
    ]


OTHER_CLIENTS = (Path(__file__).parents[1] / "fixtures/audit/trees/mixed/app/other_apis.py").read_text()
"""A file calling the Config API, a Google client and Stripe (also a file of the fixture tree `mixed`)."""


@pytest.mark.parametrize("precise", [False, True])
def test_fields_of_other_clients_and_urls_are_not_reported(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    """In a file calling the Config API: the keys sent to a Google client
    and what it gives back (lines 16-20, 24), and reads off Stripe's responses
    whose URL a constant holds, directly or through a variable, and the keys
    sent there (lines 31-33), are
    not reported; the same names in the Config calls, their bodies and
    responses are, and so are those of a parameter's (lines 33, 37: not shown
    to be another API's)."""
    got = [(f.line, f.column, f.rule, f.text, f.fix) for f in run(real_rules, tmp_path, OTHER_CLIENTS, precise)]
    if precise:
        assert got == [
            (5, 8, "rewrite.partial-path", '"https://platform.segmentapis.com/v1beta"', "rewrite-with-ids"),
            (11, 25, "rewrite.partial-path", 'f"{BASE}/workspaces/{ws}/sources"', "rewrite-with-ids"),
            (11, 69, "pagination.params", "page_token", "rewrite-with-ids"),
            (12, 13, "rewrite.responses", "", "rewrite-with-ids"),
            (12, 58, "rewrite.responses", "", "rewrite-with-ids"),
            (25, 25, "source.fields", "display_name", "rewrite-with-ids"),
            (25, 51, "update-mask.partial-body", "update_mask", "rewrite-with-ids"),
            (25, 84, "source.fields", "display_name", "rewrite-with-ids"),
            (26, 27, "rewrite.slug-ids", 'f"{BASE}/workspaces/{ws}/sources/js"', "rewrite-with-ids"),
            (33, 74, "pagination.params", "page_token", "manual"),
            (37, 43, "pagination.params", "page_token", "manual"),
        ]
    else:
        assert got == [
            (5, 9, "host.base-url", "https://platform.segmentapis.com/v1beta", None),
            (11, 34, "endpoint.sources.list", "workspaces/{ws}/sources", None),
            (11, 69, "pagination.params", "page_token", None),
            (12, 16, "source.fields", "display_name", None),
            (12, 64, "envelope.list", "next_page_token", None),
            (25, 25, "source.fields", "display_name", None),
            (25, 51, "update-mask.partial-body", "update_mask", None),
            (25, 84, "source.fields", "display_name", None),
            (26, 36, "endpoint.sources.update", "workspaces/{ws}/sources/js", None),
            (33, 74, "pagination.params", "page_token", None),
            (37, 43, "pagination.params", "page_token", None),
        ]


PASSED_ON = '''import boto3, requests
S3 = boto3.client("s3")
def backup():
    s = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js").json()
    S3.put_object(Bucket="b", Key=s["catalog_name"], Body=b"")
'''


@pytest.mark.parametrize("precise", [False, True])
def test_a_config_read_passed_to_another_client_is_reported(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    """`s["catalog_name"]` reads the Config response `s` even as an argument
    of an S3 call: reported (a rewrite with ids marks it for a person)."""
    got = [(f.line, f.column, f.rule, f.text, f.fix) for f in run(real_rules, tmp_path, PASSED_ON, precise)]
    if precise:
        assert got == [
            (4, 22, "rewrite.slug-ids", '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/js"',
             "rewrite-with-ids"),
            (5, 38, "source.fields", "catalog_name", "manual"),
        ]
    else:
        assert got == [
            (4, 23, "host.base-url", "https://platform.segmentapis.com/v1beta", None),
            (4, 62, "endpoint.sources.get", "/workspaces/acme/sources/js", None),
            (5, 38, "source.fields", "catalog_name", None),
        ]


CONFIG_CLIENTS = {
    "given_host.py": '''from segment_config_client import SegmentClient

SEG = SegmentClient("https://platform.segmentapis.com/v1beta")


def names():
    sources = SEG.get("/workspaces/acme/sources")["sources"]
    return [s["display_name"] for s in sources]
''',
    "given_base.py": '''import hishel

CONFIG = "https://platform.segmentapis.com/v1beta"
SEG = hishel.CacheClient(base_url=CONFIG)


def names(path):
    page = SEG.get(path, params={"page_size": 10}).json()
    return [s["display_name"] for s in page["sources"]], page["next_page_token"]
''',
    "retry.py": '''import aiohttp_retry

BASE = "https://platform.segmentapis.com/v1beta"
CLIENT = aiohttp_retry.RetryClient()


async def names(ws):
    resp = await CLIENT.get(f"{BASE}/workspaces/{ws}/sources", params={"page_size": 10})
    body = await resp.json()
    return [s["display_name"] for s in body["sources"]], body["next_page_token"]
''',
    "path_only.py": '''import os

from segment_config_client import SegmentClient

SEG = SegmentClient(os.environ["SEGMENT_TOKEN"])


def names():
    page = SEG.get("/workspaces/acme/sources", params={"page_size": 10})
    return [s["display_name"] for s in page["sources"]]
''',
}


def test_clients_calling_the_config_api_are_not_other_apis(real_rules: RuleSet, tmp_path: Path) -> None:
    """A client of a package given the Config host, directly or through a
    constant, or a generic wrapper whose call names a Config URL or path:
    the fields read off its responses and the keys sent are reported
    (`--no-precise`; the constructor's host, not the call, shows
    `given_base.py`'s to be Config's)."""
    for name, source in CONFIG_CLIENTS.items():
        (tmp_path / name).write_text(source)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=False, cache=None)
    got = [(Path(f.path).name, f.line, f.column, f.rule, f.text) for f in result.findings]
    assert got == [
        ("given_base.py", 3, 11, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        ("given_base.py", 8, 35, "pagination.params", "page_size"),
        ("given_base.py", 9, 16, "audit.config-field", "display_name"),
        ("given_base.py", 9, 64, "envelope.list", "next_page_token"),
        ("given_host.py", 3, 22, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        ("given_host.py", 7, 25, "endpoint.sources.list", "workspaces/acme/sources"),
        ("given_host.py", 8, 16, "source.fields", "display_name"),
        ("path_only.py", 9, 22, "endpoint.sources.list", "workspaces/acme/sources"),
        ("path_only.py", 9, 57, "pagination.params", "page_size"),
        ("path_only.py", 10, 16, "source.fields", "display_name"),
        ("retry.py", 3, 9, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        ("retry.py", 8, 38, "endpoint.sources.list", "workspaces/{ws}/sources"),
        ("retry.py", 8, 73, "pagination.params", "page_size"),
        ("retry.py", 10, 16, "source.fields", "display_name"),
        ("retry.py", 10, 64, "envelope.list", "next_page_token"),
    ]


GOOGLE_NEXT_TO_CONFIG = '''import requests
from google.cloud import resourcemanager_v3

BASE = "https://platform.segmentapis.com/v1beta"
PROJECTS = resourcemanager_v3.ProjectsClient()


def sources(ws):
    resp = requests.get(f"{BASE}/workspaces/{ws}/sources").json()
    return [s["display_name"] for s in resp["sources"]]


def projects():
    return [p.display_name for p in PROJECTS.search_projects()]


def annotated(projects_client: resourcemanager_v3.ProjectsClient):
    return [p.display_name for p in projects_client.search_projects()]


def optional(projects_client: "resourcemanager_v3.ProjectsClient | None" = None):
    return [p.display_name for p in projects_client.search_projects()]


def bare(projects_client):
    return [p.display_name for p in projects_client.search_projects()]


def called():
    return bare(PROJECTS)
'''


@pytest.mark.parametrize("precise", [False, True])
def test_what_a_google_client_gives_is_not_reported(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    """Next to Config calls: a comprehension over a Google client's call,
    also of a parameter annotated with its class, is not reported; over a
    bare parameter's (line 26) it is, whatever the file passes it (a caller
    elsewhere may pass anything); the Config response's `display_name`
    (line 10) is."""
    got = [(f.line, f.column, f.rule, f.text) for f in run(real_rules, tmp_path, GOOGLE_NEXT_TO_CONFIG, precise)
           if f.kind == "field" or f.rule == "source.fields"]
    assert got == [
        (10, 13 if precise else 16, "source.fields", 's["display_name"]' if precise else "display_name"),
        (26, 15, "source.fields", "display_name"),
    ]


BASES_OF_OTHER_APIS = {
    "sync.ts": '''const CONFIG = "https://platform.segmentapis.com/v1beta";
const ZOOM = "https://api.zoom.us/v2";
const PROXY = "https://segment-proxy.internal";
export const zoomUsers = () => fetch(`${ZOOM}/users?page_size=300`);
export const models = () => fetch(ZOOM + "/users?page_size=10");
export const sources = (ws: string) => fetch(`${CONFIG}/workspaces/${ws}/sources?page_size=10`);
export const proxied = (ws: string) => fetch(`${PROXY}/v1beta/workspaces/${ws}/sources?page_size=10`);
''',
    "api.go": '''package api

import "net/http"

const config = "https://platform.segmentapis.com/v1beta"
const gemini = "https://generativelanguage.googleapis.com/v1beta"

func Models() { http.Get(gemini + "/models?page_size=10") }
func Sources(ws string) { http.Get(config + "/workspaces/" + ws + "/sources?page_size=10") }
''',
    "api.rb": '''CONFIG = "https://platform.segmentapis.com/v1beta"
GEMINI = "https://generativelanguage.googleapis.com/v1beta"
def models
  Net::HTTP.get(URI("#{GEMINI}/models?page_size=10"))
end
def sources(ws)
  Net::HTTP.get(URI("#{CONFIG}/workspaces/#{ws}/sources?page_size=10"))
end
''',
    "api.sh": '''#!/bin/sh
CONFIG=https://platform.segmentapis.com/v1beta
GEMINI=https://generativelanguage.googleapis.com/v1beta
curl "$GEMINI/models?page_size=10"
curl "${GEMINI}/models?page_token=abc"
curl "$CONFIG/workspaces/$WS/sources?page_token=abc"
''',
    "sync.py": '''import requests

CONFIG = "https://platform.segmentapis.com/v1beta"
ZOOM = "https://api.zoom.us/v2"


def sources(ws):
    return requests.get(f"{CONFIG}/workspaces/{ws}/sources").json()["next_page_token"]


def zoom_users(tok):
    return requests.get(f"{ZOOM}/users", params={"page_size": 300}).json()["next_page_token"]
''',
}


@pytest.mark.parametrize("precise", [False, True])
def test_parameters_of_urls_on_other_apis_bases_are_not_reported(
    real_rules: RuleSet, tmp_path: Path, precise: bool,
) -> None:
    """A URL starting with a base the file assigns another API's URL is
    that API's, in every language: its query parameters, and a read chained
    off its call on the same line, are not reported; those of the Config
    base are, and so are those of a path with `v1beta/` joined to another
    host (a proxy of the Config API, `sync.ts` line 7)."""
    for name, source in BASES_OF_OTHER_APIS.items():
        (tmp_path / name).write_text(source)
    result = audit_paths([tmp_path], real_rules, jobs=1, use_gitignore=False, precise=precise, cache=None)
    got = [(Path(f.path).name, f.line, f.column, f.text) for f in result.findings if f.kind == "field"]
    assert got == [
        ("api.go", 9, 77, "page_size"),
        ("api.rb", 7, 57, "page_size"),
        ("api.sh", 6, 38, "page_token"),
        ("sync.py", 8, 70, "next_page_token"),
        ("sync.ts", 6, 82, "page_size"),
        ("sync.ts", 7, 88, "page_size"),
    ]


CLIENTS_BOUND_OTHERWISE = '''import requests
from google.cloud import resourcemanager_v3
from pathlib import PurePosixPath
from segment_config_client import SegmentClient

CONFIG = "https://platform.segmentapis.com/v1beta"
ZOOM = "https://api.zoom.us/v2"
PROXY = "https://segment-proxy.internal"
API = PurePosixPath("/v1beta")


def sources(ws):
    return requests.get(f"{CONFIG}/workspaces/{ws}/sources").json()


def projects():
    client = resourcemanager_v3.ProjectsClient()
    req = {"page_size": 10, "page_token": ""}
    page = client.list_projects(request=req)
    return page.next_page_token


def projects2():
    with resourcemanager_v3.ProjectsClient() as client:
        page = client.list_projects(request={"page_size": 10})
        return page.next_page_token


def projects3(projects: "resourcemanager_v3.ProjectsClient"):
    return projects.list_projects(request={"page_size": 10}).next_page_token


def zoom_users():
    return requests.get(
        f"{ZOOM}/users",
    ).json()["next_page_token"]


def both(client: resourcemanager_v3.ProjectsClient, ws):
    req = {"page_size": 10}
    client.list_projects(request=req)
    return requests.get(f"{CONFIG}/workspaces/{ws}/sources", params=req).json()


def mutated(client: resourcemanager_v3.ProjectsClient):
    req = {"page_size": 10}
    req["page_token"] = "x"
    return client.list_projects(request=req)


def twice(client: resourcemanager_v3.ProjectsClient, flag):
    req = {"page_size": 10}
    if flag:
        req = {"page_size": 5}
    return client.list_projects(request=req)


def config_with(ws):
    with SegmentClient(CONFIG) as seg:
        return seg.get(f"/workspaces/{ws}/sources")["next_page_token"]


def config_chained(ws):
    return requests.get(
        f"{CONFIG}/workspaces/{ws}/sources",
    ).json()["next_page_token"]


def unknown_chained(url):
    return get_json(url)["next_page_token"]


def proxied(ws):
    p = API / "workspaces" / ws / "sources"
    return requests.get(PROXY + str(p)).json()["next_page_token"]
'''


@pytest.mark.parametrize("precise", [False, True])
def test_clients_bound_by_with_dicts_sent_and_chained_reads(real_rules: RuleSet, tmp_path: Path, precise: bool) -> None:
    """A Google client bound by `with ... as`, a dict its function binds once
    and only sends to that client's calls, a read chained off a call of a
    client annotated with a string or off a call to Zoom's base over lines:
    not reported (lines 16-36). A dict also sent to the Config API, changed,
    or bound twice (lines 40, 46-47, 52-54), a client given the Config base
    (line 60), reads chained off a Config call, an unknown one, or a call
    to a proxy given a Config path held by a name (lines 66, 70, 75):
    reported."""
    got = [(f.line, f.rule, f.text) for f in run(real_rules, tmp_path, CLIENTS_BOUND_OTHERWISE, precise)
           if f.kind == "field" or f.rule == "rewrite.responses"]
    assert got == [
        (40, "pagination.params", "page_size"),
        (46, "pagination.params", "page_size"),
        (47, "pagination.params", "page_token"),
        (52, "pagination.params", "page_size"),
        (54, "pagination.params", "page_size"),
        (60, "rewrite.responses" if precise else "envelope.list", "" if precise else "next_page_token"),
        *([(64, "rewrite.responses", "")] if precise else []),
        (66, "envelope.list", "next_page_token"),
        (70, "rewrite.responses" if precise else "envelope.list", "" if precise else "next_page_token"),
        (75, "envelope.list", "next_page_token"),
    ]


BOUND_CALLS = '''import os
import requests
from slack_sdk import WebClient
from segment_config_client import SegmentClient
from acme_http import RestClient
from ourclient import ApiClient

CONFIG = "https://platform.segmentapis.com/v1beta"
SLACK = WebClient(token="xoxb-1")
SEG = SegmentClient(CONFIG)
REST = RestClient(base_url=os.environ.get("SEGMENT_URL", CONFIG))
OURS = ApiClient()


def sources(ws):
    return requests.get(f"{CONFIG}/workspaces/{ws}/sources").json()["sources"]


def who(user_id):
    me = SLACK.users_info(user=user_id)
    return me["user"]["profile"]["display_name"], SLACK.users_info(user=user_id)["user"]["display_name"]


def passed(slack, user_id):
    return slack.users_info(user=user_id)["user"]["display_name"]


def config_client():
    return SEG.list_sources()["sources"][0]["display_name"]


def project_client():
    return OURS.get_source()["display_name"]


def env_client():
    return REST.list_sources()["sources"][0]["display_name"]
'''


@pytest.mark.parametrize("precise", [False, True])
def test_reads_off_another_clients_calls_agree_in_both_modes(
    real_rules: RuleSet, tmp_path: Path, precise: bool,
) -> None:
    """Reads off a call of Slack's client bound once (line 21, bound to a
    name or chained) are not reported, by the codemod (no "origin this
    rewrite cannot prove" marker) nor by the text scanner; off a client
    passed in, a client given the Config base (also through a name), or one
    of a module of the project (`ourclient.py` next to the file): reported
    in both modes."""
    (tmp_path / "ourclient.py").write_text("class ApiClient:\n    pass\n")
    got = [(f.line, f.rule) for f in run(real_rules, tmp_path, BOUND_CALLS, precise)
           if f.kind == "field" or f.rule == "rewrite.responses"]
    responses = "rewrite.responses" if precise else "source.fields"
    assert got == [(25, responses), (29, responses), (33, responses),
                   (37, "rewrite.responses" if precise else "audit.config-field")]


def test_the_rewrite_leaves_reads_off_another_clients_calls_unmarked(tmp_path: Path) -> None:
    """`migrator rewrite` writes no marker at reads off Slack's client (line
    21) and marks the others (a client passed in, given the Config base, of
    the project), as the audit reports them."""
    from migrator.rewrite import driver

    (tmp_path / "ourclient.py").write_text("class ApiClient:\n    pass\n")
    (tmp_path / "bot.py").write_text(BOUND_CALLS)
    driver.run([tmp_path], jobs=1, force=True)
    marked = [i for i, line in enumerate((tmp_path / "bot.py").read_text().splitlines(), 1)
              if "migrator[rewrite.responses]" in line]
    assert len(marked) == 4 and not any(19 <= i <= 22 for i in marked)


NOTEBOOK_CELLS = [
    "import requests, os\nZOOM = 'https://api.zoom.us/v2'\n"
    "r = requests.get(f'{ZOOM}/users', params={'page_size': 300})\nnxt = r.json()['next_page_token']\n",
    "from google.cloud import resourcemanager_v3\nclient = resourcemanager_v3.ProjectsClient()\n"
    "names = [p.display_name for p in client.search_projects()]\n",
    'def who(token):\n    me = requests.get("https://slack.com/api/users.profile.get").json()\n'
    '    return me["profile"]["display_name"]\n',
    "seg = requests.get('https://platform.segmentapis.com/v1beta/workspaces/acme/sources').json()\n"
    "[s['catalog_name'] for s in seg['sources']]\nseg['next_page_token']",
]


def test_a_notebooks_cells_get_the_other_api_reads_of_a_python_file(real_rules: RuleSet) -> None:
    """A notebook's cells are one Python module: Zoom's `next_page_token`,
    Google's `display_name`, Slack's in a function, are other APIs' there as
    in a `.py` file holding the same code; the Config reads are reported."""
    from migrator.audit.core import Auditor

    auditor = Auditor(real_rules, codemod=None)
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": code.splitlines(keepends=True)} for code in NOTEBOOK_CELLS]
    notebook = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"
    found = auditor.scan("n.ipynb", notebook.encode()).findings
    assert [(f.line, f.column, f.rule, f.text) for f in found if f.kind == "field"] == [
        (44, 10, "source.fields", "catalog_name"),
        (45, 11, "envelope.list", "next_page_token"),
    ]
    lines = notebook.splitlines()
    assert all(lines[f.line - 1][f.column - 1 :].startswith(f.text) for f in found)
    as_python = auditor.scan("n.py", "".join(code + "\n" for code in NOTEBOOK_CELLS).encode()).findings
    assert [(f.rule, f.text) for f in found] == [(f.rule, f.text) for f in as_python]
