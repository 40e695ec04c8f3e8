"""The method a Config path is sent with, where it is written away from the
path: the operations below an OpenAPI document's path key, a `URLRequest`'s
`httpMethod` set on the lines after it, a builder's method step several
steps above its `.uri(...)`. Exact findings with the real table (whose
rows have PATCH too)."""

from __future__ import annotations

from migrator.audit.core import Auditor
from migrator.ruleset import RuleSet


def found(rules: RuleSet, path: str, source: str) -> list[tuple[int, str, str]]:
    return [(f.line, f.rule, f.message) for f in Auditor(rules, codemod=None).scan(path, source.encode()).findings
            if f.rule.startswith("endpoint.")]


GET = ("`GET /v1beta/workspaces/{workspace}/sources/{source}` is `GET /sources/{sourceId}` in the Public API"
       " (ids from `migrator ids`)")
PATCH = ("`PATCH /v1beta/workspaces/{workspace}/sources/{source}` is `PATCH /sources/{sourceId}` in the Public API"
         " (ids from `migrator ids`)")
DELETE = ("`DELETE /v1beta/workspaces/{workspace}/sources/{source}` is `DELETE /sources/{sourceId}` in the Public API"
          " (ids from `migrator ids`)")
GET_AND_DELETE = ("Config path `/v1beta/workspaces/{workspace}/sources/{source}`: GET → `GET /sources/{sourceId}`;"
                  " DELETE → `DELETE /sources/{sourceId}` (ids from `migrator ids`)")
EVERY = ("Config path `/v1beta/workspaces/{workspace}/sources/{source}`: GET → `GET /sources/{sourceId}`;"
         " PATCH → `PATCH /sources/{sourceId}`; DELETE → `DELETE /sources/{sourceId}` (ids from `migrator ids`)")

OPENAPI = """\
openapi: 3.0.3
info:
  title: Segment Config API, as our client calls it
  version: "1"
servers:
  - url: https://platform.segmentapis.com/v1beta
paths:
  /workspaces/{workspace}/sources/{source}:
    parameters:
      - name: source
        in: path
    get:
      operationId: getSource
    delete:
      operationId: deleteSource
  /workspaces/{workspace}/sources/{source}/destinations/{destination}:
    delete:
      operationId: deleteDestination
      x-patch:
        get: not an operation
"""


def test_an_openapi_path_key_takes_the_methods_of_its_operations(real_rules: RuleSet) -> None:
    """A Config client's document: each path key is reported with the rows
    of the operations below it (`get:`, `delete:`), not every method of the path."""
    assert found(real_rules, "segment-config.yaml", OPENAPI) == [
        (8, "endpoint.sources.get", GET_AND_DELETE),
        (16, "endpoint.destinations.delete",
         "`DELETE /v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}` is"
         " `DELETE /destinations/{destinationId}` in the Public API (ids from `migrator ids`)"),
    ]
    as_json = """\
{"openapi": "3.0.3", "servers": [{"url": "https://platform.segmentapis.com/v1beta"}],
 "paths": {
  "/workspaces/{workspace}/sources/{source}": {
    "patch": {"operationId": "updateSource", "x-get": {"get": {}}}
  }
 }
}
"""
    assert found(real_rules, "segment-config.json", as_json) == [(3, "endpoint.sources.update", PATCH)]
    # another API's document: its paths are its own routes
    other = OPENAPI.replace("https://platform.segmentapis.com/v1beta", "https://ingest.internal.example.com")
    assert found(real_rules, "ingest.yaml", other) == []


SWIFT = """\
let base = "https://platform.segmentapis.com/v1beta"

func update(ws: String, s: String) {
    var request = URLRequest(url: URL(string: "\\(base)/workspaces/\\(ws)/sources/\\(s)")!)
    request.httpMethod = "PATCH"
    URLSession.shared.dataTask(with: request).resume()
}

func remove(ws: String, s: String) {
    var request = URLRequest(url: URL(string: "\\(base)/workspaces/\\(ws)/sources/\\(s)")!)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpMethod = "DELETE"
}

func read(ws: String, s: String) {
    var request = URLRequest(url: URL(string: "\\(base)/workspaces/\\(ws)/sources/\\(s)")!)
    other.httpMethod = "DELETE"
}
"""


def test_a_url_requests_method_set_below_it_is_its(real_rules: RuleSet) -> None:
    """`request.httpMethod = "DELETE"` on the lines after the request is
    made: its method; another variable's is not (the request, never given
    one, is a GET)."""
    assert found(real_rules, "Api.swift", SWIFT) == [(4, "endpoint.sources.update", PATCH),
                                                     (10, "endpoint.sources.delete", DELETE),
                                                     (16, "endpoint.sources.get", GET)]


SWIFT_DEFAULT = """\
let base = "https://platform.segmentapis.com/v1beta"

func read(ws: String, s: String) {
    let request = URLRequest(url: URL(string: "\\(base)/workspaces/\\(ws)/sources/\\(s)")!)
    URLSession.shared.dataTask(with: request).resume()
}

func late(ws: String, s: String, method: String) {
    var request = URLRequest(url: URL(string: "\\(base)/workspaces/\\(ws)/sources/\\(s)")!)
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.setValue("Bearer x", forHTTPHeaderField: "Authorization")
    request.timeoutInterval = 30
    request.cachePolicy = .reloadIgnoringLocalCacheData
    request.allowsCellularAccess = true
    request.httpShouldHandleCookies = false
    request.httpMethod = method
}

func configured(ws: String, s: String) {
    var request = URLRequest(url: URL(string: "\\(base)/workspaces/\\(ws)/sources/\\(s)")!)
    sign(&request)
}
"""


def test_a_url_request_never_given_a_method_is_a_get(real_rules: RuleSet) -> None:
    """Foundation's `URLRequest` is a GET until its `httpMethod` is set: one
    whose block never sets it is reported as the GET; one whose method is
    set further down (to a value not read) or that is passed `inout` keeps
    every method of its path."""
    assert found(real_rules, "Api.swift", SWIFT_DEFAULT) == [(4, "endpoint.sources.get", GET),
                                                             (9, "endpoint.sources.get", EVERY),
                                                             (20, "endpoint.sources.get", EVERY)]


GO_SEND = """\
package feed

func feed(base chan string, other chan string) {
\tbase <- "https://platform.segmentapis.com/v1beta"
\tother <- "https://hooks.example.com/v2"
}

func catalog(base string) {
\tresp, _ := http.Get(base + "/catalog/destinations")
\t_ = resp
}

func sources(other string, ws string) {
\tresp, _ := http.Get(other + "/workspaces/" + ws + "/sources")
\t_ = resp
}
"""


def test_a_go_channel_send_binds_no_base(real_rules: RuleSet) -> None:
    """`base <- "https://..."` is Go's channel send, no assignment: `base +
    "/catalog/destinations"` is not joined to the Config base it sends, nor
    `other + "/workspaces/..."` to another API's URL (the workspace path is
    reported, as with no base); in R the same lines assign the bases."""
    sources = "`GET /v1beta/workspaces/{workspace}/sources` is `GET /sources` in the Public API"
    assert found(real_rules, "feed.go", GO_SEND) == [(14, "endpoint.sources.list", sources)]
    assert found(real_rules, "feed.R", GO_SEND) == [
        (9, "endpoint.catalog.destinations.list",
         "`GET /v1beta/catalog/destinations` is `GET /catalog/destinations` in the Public API"),
    ]


CHAIN = """\
class Sources {
    static final String BASE = "https://platform.segmentapis.com/v1beta";

    Mono<Void> update(String ws, String s) {
        return webClient.method(HttpMethod.PATCH)
            .header("X-Trace", trace)
            .accept(MediaType.APPLICATION_JSON)
            .contentType(MediaType.APPLICATION_JSON)
            .uri(BASE + "/workspaces/" + ws + "/sources/" + s)
            .retrieve().bodyToMono(Void.class);
    }

    Mono<Void> read(String ws, String s) {
        Object done = webClient.method(HttpMethod.DELETE).uri(other).retrieve();
        return webClient
            .mutate()
            .build()
            .get()

            .uri(BASE + "/workspaces/" + ws + "/sources/" + s)
            .retrieve().bodyToMono(Void.class);
    }
}
"""


def test_a_builders_method_step_several_steps_above_its_uri_is_its(real_rules: RuleSet) -> None:
    """The method step of the chain the `.uri(...)` step is in, however many
    steps (and blank lines) above it; not another statement's."""
    assert found(real_rules, "Sources.java", CHAIN) == [(9, "endpoint.sources.update", PATCH),
                                                        (20, "endpoint.sources.get", GET)]
    no_method = CHAIN.replace("            .get()\n", "")
    assert found(real_rules, "Sources.java", no_method)[1] == (19, "endpoint.sources.get", EVERY)


FLOW = """\
openapi: 3.0.3
servers:
  - url: https://platform.segmentapis.com/v1beta
paths:
  /workspaces/{workspace}/sources/{source}: {get: {operationId: getSource}, "delete": {x-patch: {}}}
  /workspaces/{workspace}/sources/{source}/destinations/{destination}: {parameters: [{name: get}], delete: {}}
  /workspaces/{workspace}/sources/{source}/destinations: {get: {operationId: list,
      summary: not closed on its line}}
"""


def test_operations_written_on_the_path_keys_line(real_rules: RuleSet) -> None:
    """A path item written inline, as a YAML flow mapping (or JSON on one
    line): the operations it lists, at its own level; one not closed on its
    line keeps every method of its path."""
    assert found(real_rules, "segment-config.yaml", FLOW) == [
        (5, "endpoint.sources.get", GET_AND_DELETE),
        (6, "endpoint.destinations.delete",
         "`DELETE /v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}` is"
         " `DELETE /destinations/{destinationId}` in the Public API (ids from `migrator ids`)"),
        (7, "endpoint.destinations.list",
         "Config path `/v1beta/workspaces/{workspace}/sources/{source}/destinations`:"
         " GET → `GET /sources/{sourceId}/connected-destinations`; POST → `POST /destinations`"
         " (ids from `migrator ids`)"),
    ]
    one_line = ('{"openapi": "3.0.3", "servers": [{"url": "https://platform.segmentapis.com/v1beta"}], "paths":'
                ' {"/workspaces/{workspace}/sources/{source}": {"get": {}, "delete": {"x-patch": {}}}}}\n')
    assert found(real_rules, "segment-config.json", one_line) == [(1, "endpoint.sources.get", GET_AND_DELETE)]
