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
    made: its method; another variable's is not."""
    assert found(real_rules, "Api.swift", SWIFT) == [(4, "endpoint.sources.update", PATCH),
                                                     (10, "endpoint.sources.delete", DELETE),
                                                     (16, "endpoint.sources.get", EVERY)]


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
