"""Relative paths given to an HTTP client built with a Config base URL
ending at the version (`axios.create({ baseURL: ... })`, got's `prefixUrl`,
httpx's `base_url=`, Faraday's `url:`, a YAML connector's `url_base:`) are
read as joined to it, as `f"{BASE}/access-tokens"` is; another API's client
with the same paths stays silent."""

from __future__ import annotations

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import RuleSet

HOST = "host.base-url"
TOKENS = "endpoint.access-tokens.create"
DESTINATIONS = "endpoint.catalog.destinations.list"
SOURCES = "endpoint.catalog.sources.list"
WORKSPACES = "endpoint.workspaces.list"


def found(auditor: Auditor, source: str, path: str) -> list[tuple[int, int, str, str, str]]:
    return [(f.line, f.column, f.rule, f.severity, f.text) for f in auditor.scan(path, source.encode()).findings]


AXIOS = '''import axios from "axios";
const api = axios.create({ baseURL: "https://platform.segmentapis.com/v1beta/" });
export const mint = () => api.post("access-tokens", { access_token: { description: "ci" } });
export const catalog = () => api.get("catalog/destinations");
export const all = () => api.get("/workspaces");
'''
GOT = '''import got from "got";
const client = got.extend({ prefixUrl: "https://platform.segmentapis.com/v1beta" });
export const catalog = () => client.get("catalog/sources").json<any>();
export const mint = () => client.post("access-tokens", { username: "e", password: "p" });
export const preview = (e: any) => client.post("filters/preview", { json: { filter: {} } });
'''
FARADAY = '''class Client
  HOST = "https://platform.segmentapis.com"
  def initialize
    @conn = Faraday.new(url: "#{HOST}/v1beta/") do |f|
      f.request :json
    end
  end
  def catalog = @conn.get("catalog/destinations").body
  def all = @conn.get("workspaces")
end
'''
CONNECTOR = '''version: 0.50.0
definitions:
  requester:
    url_base: "https://platform.segmentapis.com/v1beta/"
streams:
  - name: catalog_destinations
    retriever:
      requester:
        $ref: "#/definitions/requester"
        path: "catalog/destinations"
'''
HTTPX = '''import httpx
api = httpx.Client(base_url="https://platform.segmentapis.com/v1beta")
def mint(email, password):
    return api.post("access-tokens", auth=(email, password))
def catalog():
    return api.get("catalog/destinations")
'''


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("c.ts", AXIOS,
         [(2, 38, HOST, "warning", "https://platform.segmentapis.com/v1beta"),
          (3, 37, TOKENS, "error", "access-tokens"),
          (4, 39, DESTINATIONS, "warning", "catalog/destinations"),
          (5, 36, WORKSPACES, "warning", "workspaces")]),
        ("c.ts", GOT,
         [(2, 41, HOST, "warning", "https://platform.segmentapis.com/v1beta"),
          (3, 42, SOURCES, "warning", "catalog/sources"),
          (4, 40, TOKENS, "error", "access-tokens"),
          (5, 49, "endpoint.filters.preview", "warning", "filters/preview")]),
        ("b.rb", FARADAY,
         [(2, 11, HOST, "warning", "https://platform.segmentapis.com"),
          (4, 39, "audit.v1beta-prefix", "warning", "v1beta/"),
          (8, 28, DESTINATIONS, "warning", "catalog/destinations"),
          (9, 24, WORKSPACES, "warning", "workspaces")]),
        ("manifest.yaml", CONNECTOR,
         [(4, 16, HOST, "warning", "https://platform.segmentapis.com/v1beta"),
          (10, 16, DESTINATIONS, "warning", "catalog/destinations")]),
        # the text scanner (`--no-precise`)
        ("p.py", HTTPX,
         [(2, 30, HOST, "warning", "https://platform.segmentapis.com/v1beta"),
          (4, 22, TOKENS, "error", "access-tokens"),
          (4, 38, "audit.token-by-password", "error", "auth=("),
          (6, 21, DESTINATIONS, "warning", "catalog/destinations")]),
    ],
)
def test_a_path_given_to_a_client_with_a_config_base_is_reported(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, int, str, str, str]],
) -> None:
    """Each relative path given to the client's HTTP call is the Config path
    after the base, its method the call's (`api.post` → POST): reported
    under its endpoint row (only `/workspaces` was, as a path piece)."""
    assert found(Auditor(real_rules, codemod=None), source, path) == expected


@pytest.mark.parametrize(
    ("path", "source"),
    [
        # another API's client with the same paths: another host, another version, no version
        ("a.ts", 'const shop = axios.create({ baseURL: "https://api.shop.example/v1beta/" });\n'
                 'shop.get("catalog/sources");\nshop.post("access-tokens");\n'),
        ("a.ts", 'const shop = axios.create({ baseURL: "https://platform.segmentapis.com/v2/" });\n'
                 'shop.get("catalog/sources");\n'),
        ("a.py", 'api = httpx.Client(base_url="https://platform.segmentapis.com")\napi.get("catalog/sources")\n'),
        # a path after a `/` is from the host's root where the client resolves it so (Faraday)
        ("a.rb", '@conn = Faraday.new(url: "https://platform.segmentapis.com/v1beta/")\n'
                 '@conn.get("/catalog/sources")\n'),
        # a name bound twice: the call may be on another client
        ("a.ts", 'let api = axios.create({ baseURL: "https://platform.segmentapis.com/v1beta/" });\n'
                 'api = axios.create({ baseURL: "https://api.shop.example/v1/" });\napi.get("catalog/sources");\n'),
        # a YAML path of another document than the base's
        ("a.yaml", 'url_base: "https://platform.segmentapis.com/v1beta/"\n---\npath: "catalog/sources"\n'),
    ],
)
def test_a_path_given_to_another_client_stays_silent(real_rules: RuleSet, path: str, source: str) -> None:
    assert [f for f in found(Auditor(real_rules, codemod=None), source, path) if f[2].startswith("endpoint.")] == []


def test_another_apis_client_beside_a_config_client_stays_silent(real_rules: RuleSet) -> None:
    """Only calls on the name the Config client is bound to are read after its base."""
    source = ('const api = axios.create({ baseURL: "https://platform.segmentapis.com/v1beta/" });\n'
              'const shop = axios.create({ baseURL: "https://api.shop.example/v1/" });\n'
              'shop.get("catalog/x");\nshop.get("catalog/sources");\napi.get("catalog/sources");\n')
    assert found(Auditor(real_rules, codemod=None), source, "a.ts") == [
        (1, 38, HOST, "warning", "https://platform.segmentapis.com/v1beta"),
        (5, 10, SOURCES, "warning", "catalog/sources"),
    ]
