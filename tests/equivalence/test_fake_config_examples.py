"""The fake's Config face against the documented Config API payloads.

Each documented request (`../shared/reference/examples/*.request.json`) is
replayed against the fake and must be accepted; each documented response
must have the same keys as the fake's answer, up to the extras listed here
(fields that other documents or client libraries show). Skipped when
`../shared` is absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.equivalence import fake_state as st
from tests.equivalence.fake_segment import CONFIG_HOST, HOST_HEADER, FakeSegment

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "examples"
if not EXAMPLES.is_dir():
    pytest.skip(f"{EXAMPLES} is absent (it lives beside the repository)", allow_module_level=True)

WS = "/v1beta/workspaces/acme"
PLAN = st.MOBILE_PLAN  # the id the documented PUT uses

# (method, path, request file or None, response file or None, extra keys the fake may add)
CASES: list[tuple[str, str, str | None, str | None, set[str]]] = [
    ("GET", "/v1beta/workspaces", None, "GET_v1beta_workspaces.response.json", set()),
    ("GET", WS, None, "GET_v1beta_workspaces_{workspace}.response.json", set()),
    ("POST", f"{WS}/sources", "POST_v1beta_workspaces_{workspace}_sources.request.json",
     "POST_v1beta_workspaces_{workspace}_sources.response.protocols-doc.json", {"display_name"}),
    ("POST", f"{WS}/sources/js/destinations",
     "POST_v1beta_workspaces_{workspace}_sources_{source}_destinations.request.json",
     "POST_v1beta_workspaces_{workspace}_sources_{source}_destinations.response.json", set()),
    ("PATCH", f"{WS}/sources/js/destinations/google-analytics",
     "PATCH_v1beta_workspaces_{workspace}_sources_{source}_destinations_{destination}.request.json",
     "PATCH_v1beta_workspaces_{workspace}_sources_{source}_destinations_{destination}.response.json", set()),
    ("PATCH", f"{WS}/sources/js/destinations/google-analytics",
     "PATCH_v1beta_workspaces_{workspace}_sources_{source}_destinations_{destination}.request.api-design-doc.json",
     None, set()),
    ("GET", f"{WS}/sources/js/destinations/google-analytics", None,
     "GET_v1beta_workspaces_{workspace}_sources_{source}_destinations_{destination}.response.json",
     {"slug", "create_time", "update_time"}),
    ("POST", f"{WS}/tracking-plans", "POST_v1beta_workspaces_{workspace}_tracking-plans.request.json",
     "POST_v1beta_workspaces_{workspace}_tracking-plans.response.json", {"version"}),
    ("PUT", f"{WS}/tracking-plans/{PLAN}", "PUT_v1beta_workspaces_{workspace}_tracking-plans_{tracking_plan}.request.json",
     "PUT_v1beta_workspaces_{workspace}_tracking-plans_{tracking_plan}.response.json", {"version"}),
    ("POST", f"{WS}/tracking-plans/{PLAN}/source-connections",
     "POST_v1beta_workspaces_{workspace}_tracking-plans_{tracking_plan}_source-connections.request.json",
     "POST_v1beta_workspaces_{workspace}_tracking-plans_{tracking_plan}_source-connections.response.json", set()),
    ("POST", f"{WS}/regulations", "POST_v1beta_workspaces_{workspace}_regulations.request.json", None, set()),
    ("POST", f"{WS}/sources/js/regulations",
     "POST_v1beta_workspaces_{workspace}_sources_{source}_regulations.request.json", None, set()),
    ("POST", f"{WS}/sources/js/regulations",
     "POST_v1beta_workspaces_{workspace}_sources_{source}_regulations.request.cloud-object-deletion.json", None, set()),
    ("POST", "/v1beta/access-tokens", "POST_v1beta_access-tokens.request.json",
     "POST_v1beta_access-tokens.response.json", set()),
    ("GET", f"/v1beta/{st.INSTALL_NAME}/token", None, "GET_v1beta_installs_{install}_token.response.json", set()),
]


def _load(name: str) -> Any:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    for placeholder in ("$WORKSPACE", "myworkspace", "example"):
        text = text.replace(f"workspaces/{placeholder}", "workspaces/acme")
    return json.loads(text)


def keys(value: Any, path: str = "") -> set[str]:
    """Every key path in a JSON value; list items are merged, schemas (`rules`) are opaque."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, child in value.items():
            found.add(f"{path}.{key}")
            if not (key == "rules" and path.endswith("events[]")):
                found |= keys(child, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            found |= keys(item, f"{path}[]")
    return found


@pytest.fixture(scope="module")
def answers() -> Iterator[list[httpx.Response]]:
    """The cases replayed in order against one fake (later cases use what earlier ones created)."""
    with FakeSegment() as fake:
        client = httpx.Client(base_url=fake.url, headers={
            HOST_HEADER: CONFIG_HOST, "Authorization": f"Bearer {fake.config_token}"})
        replies = []
        for method, path, request, _, _ in CASES:
            auth: Any = None
            if path.endswith("access-tokens"):
                auth = (st.OWNER_EMAIL, st.OWNER_PASSWORD)
            elif path.endswith("/token"):
                auth = (st.APP_CLIENT_ID, st.APP_CLIENT_SECRET)
            body = _load(request) if request else None
            replies.append(client.request(method, path, json=body, auth=auth))
        yield replies


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_documented_call(answers: list[httpx.Response], index: int) -> None:
    method, path, _, response, extras = CASES[index]
    reply = answers[index]
    assert reply.status_code == 200, reply.text
    if response is None:
        return
    documented, got = keys(_load(response)), keys(reply.json())
    assert documented - got == set(), "documented fields the fake does not return"
    unexpected = {k for k in got - documented if k.rsplit(".", 1)[-1] not in extras}
    assert unexpected == set(), "fields the fake returns that no document shows"


def test_insufficient_scope_error_has_the_documented_shape() -> None:
    with FakeSegment() as fake:
        reply = httpx.get(f"{fake.url}{WS}/sources", headers={HOST_HEADER: CONFIG_HOST})
    assert keys(reply.json()) == keys(_load("error.insufficient_scope.json"))
