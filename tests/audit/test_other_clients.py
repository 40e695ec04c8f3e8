"""A client built with another API's base (axios's `baseURL:`, httpx's
`base_url=`, HTTParty's `base_uri` in a Ruby class) sends the paths given to
it to that API: Postman's `/workspaces/{id}/roles`, Asana's
`/workspaces/{id}/tags` are not Config paths. A Config client in the same
file keeps its paths reported."""

from __future__ import annotations

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import RuleSet

AXIOS = '''import axios from "axios";
const postman = axios.create({ baseURL: "https://api.getpostman.com", headers: { "X-Api-Key": key } });
export async function roles(workspaceId: string) {
  const r = await postman.get(`/workspaces/${workspaceId}/roles`);
  return r.data.roles;
}
'''
HTTPX = '''import httpx

client = httpx.Client(base_url="https://api.getpostman.com")


def roles(ws):
    return client.get(f"/workspaces/{ws}/roles").json()["roles"]
'''
HTTPARTY = '''require "httparty"

class Asana
  include HTTParty
  base_uri "https://app.asana.com/api/1.0"

  def tags(ws) = self.class.get("/workspaces/#{ws}/tags")
  def roles(ws) = self.class.get("/workspaces/#{ws}/roles")
end
'''
BOTH = '''import axios from "axios";
const SEGMENT = "https://platform.segmentapis.com/v1beta";
const postman = axios.create({ baseURL: "https://api.getpostman.com" });
const segment = axios.create({ baseURL: SEGMENT });
export const theirs = (ws: string) => postman.get(`/workspaces/${ws}/roles`);
export const ours = (ws: string) => segment.get(`/workspaces/${ws}/roles`);
'''
RUBY_BOTH = '''class Asana
  include HTTParty
  base_uri "https://app.asana.com/api/1.0"
  def roles(ws) = self.class.get("/workspaces/#{ws}/roles")
end

class Segment
  include HTTParty
  base_uri "https://platform.segmentapis.com/v1beta"
  def roles(ws) = self.class.get("/workspaces/#{ws}/roles")
end
'''


def found(auditor: Auditor, path: str, source: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.rule, f.text) for f in auditor.scan(path, source.encode()).findings]


@pytest.mark.parametrize("precise", [False, True])
@pytest.mark.parametrize(("path", "source"), [("postman.ts", AXIOS), ("postman.py", HTTPX), ("asana.rb", HTTPARTY)])
def test_paths_given_to_another_apis_client_are_silent(
    real_rules: RuleSet, precise: bool, path: str, source: str,
) -> None:
    assert found(Auditor(real_rules, codemod="auto" if precise else None), path, source) == []


ROLES = "endpoint.roles.list"
HOST = "host.base-url"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("both.ts", BOTH, [(2, 18, HOST, "https://platform.segmentapis.com/v1beta"),
                           (6, 51, ROLES, "workspaces/${ws}/roles")]),
        ("both.rb", RUBY_BOTH, [(9, 13, HOST, "https://platform.segmentapis.com/v1beta"),
                                (10, 36, ROLES, "workspaces/#{ws}/roles")]),
        # a proxy of the Config API (its base ends at the version) is no other API
        ("proxy.ts", 'const p = axios.create({ baseURL: "https://segment-proxy.internal/v1beta" });\n'
                     "p.get(`/workspaces/${ws}/roles`);\n",
         [(2, 9, ROLES, "workspaces/${ws}/roles")]),
    ],
)
def test_a_config_client_next_to_another_apis_keeps_its_paths(
    real_rules: RuleSet, path: str, source: str, expected: list[tuple[int, int, str, str]],
) -> None:
    assert found(Auditor(real_rules, codemod=None), path, source) == expected
