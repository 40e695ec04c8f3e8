"""The fake Segment: both faces over one state, each in its own dialect; the reroute."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.equivalence.fake_segment import CONFIG_HOST, HOST_HEADER, PUBLIC_HOSTS, FakeSegment
from tests.equivalence.runner import CORPUS, REROUTE, run_script, script_env
from tests.equivalence.zygote import Zygote

WS = "/v1beta/workspaces/acme"


class Faces:
    """httpx clients that speak to each face of one fake."""

    def __init__(self, fake: FakeSegment) -> None:
        self.fake = fake
        self.config = httpx.Client(base_url=fake.url, headers={
            HOST_HEADER: CONFIG_HOST, "Authorization": f"Bearer {fake.config_token}"})
        self.public = httpx.Client(base_url=fake.url, headers={
            HOST_HEADER: PUBLIC_HOSTS["us"], "Authorization": f"Bearer {fake.public_token}"})

    def pget(self, path: str, **params: Any) -> Any:
        resp = self.public.get(path, params=params)
        assert resp.status_code == 200, resp.text
        return resp.json()["data"]

    def cget(self, path: str, **params: Any) -> Any:
        resp = self.config.get(path, params=params)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def source_id(self, slug: str) -> str:
        found = [s["id"] for s in all_pages_public(self, "/sources", "sources") if s["slug"] == slug]
        assert len(found) == 1, f"no source {slug}"
        return found[0]


@pytest.fixture
def faces() -> Iterator[Faces]:
    with FakeSegment() as fake:
        yield Faces(fake)


def all_pages_config(faces: Faces, path: str, key: str) -> list[Any]:
    items, token = [], ""
    while True:
        body = faces.cget(path, page_token=token)
        items += body[key]
        token = body["next_page_token"]
        if not token:
            return items


def all_pages_public(faces: Faces, path: str, key: str) -> list[Any]:
    items, cursor = [], None
    while True:
        params = {"pagination.count": 200, **({"pagination.cursor": cursor} if cursor else {})}
        data = faces.pget(path, **params)
        items += data[key]
        cursor = data["pagination"].get("next")
        if not cursor:
            return items


# --- one state, two faces ---------------------------------------------------------------


def test_source_created_through_config_is_read_through_public(faces: Faces) -> None:
    body = {"source": {"name": "workspaces/acme/sources/blog", "catalog_name": "catalog/sources/javascript"}}
    created = faces.config.post(f"{WS}/sources", json=body).json()
    assert created["name"] == "workspaces/acme/sources/blog"
    source = faces.pget(f"/sources/{faces.source_id('blog')}")["source"]
    assert source["slug"] == "blog"
    assert source["metadata"]["slug"] == "javascript" and source["metadata"]["id"] == "IqDTy1TpoU"
    assert source["writeKeys"] == created["write_keys"]


def test_destination_created_through_public_is_read_through_config(faces: Faces) -> None:
    body = {"sourceId": faces.source_id("backend"), "metadataId": "54521fd725e721e32a72eec6",
            "enabled": True, "settings": {"token": "mp-token", "people": True}}
    resp = faces.public.post("/destinations", json=body)
    assert resp.status_code == 200, resp.text
    dest = faces.cget(f"{WS}/sources/backend/destinations/mixpanel")
    assert dest["enabled"] is True and dest["display_name"] == "Mixpanel"
    assert {c["name"].rsplit("/", 1)[-1]: c["value"] for c in dest["config"]} == {"token": "mp-token", "people": True}


def test_lists_agree_across_faces(faces: Faces) -> None:
    config = all_pages_config(faces, f"{WS}/sources", "sources")
    public = all_pages_public(faces, "/sources", "sources")
    assert [s["name"].split("/")[-1] for s in config] == [s["slug"] for s in public]
    assert [s["display_name"] for s in config] == [s["name"] for s in public]
    plans_config = all_pages_config(faces, f"{WS}/tracking-plans", "tracking_plans")
    plans_public = all_pages_public(faces, "/tracking-plans", "trackingPlans")
    assert [p["name"].split("/")[-1] for p in plans_config] == [p["slug"] for p in plans_public]


def test_update_mask_semantics(faces: Faces) -> None:
    url = f"{WS}/sources/ios-app/destinations/mixpanel"
    ignored = {"destination": {"enabled": False, "display_name": "Ignored"},
               "update_mask": {"paths": ["destination.enabled"]}}
    after = faces.config.patch(url, json=ignored).json()
    assert (after["enabled"], after["display_name"]) == (False, "Mixpanel")
    cleared = faces.config.patch(url, json={"destination": {}, "update_mask": {"paths": ["display_name"]}}).json()
    assert cleared["display_name"] == ""
    missing = faces.config.patch(url, json={"destination": {"enabled": True}})
    assert missing.status_code == 400 and missing.json() == {"error": "update_mask.paths is required", "code": 3}


def test_public_patch_is_partial_and_mask_is_rejected(faces: Faces) -> None:
    dest_id = faces.fake.id_map()["destinations"]["web/google-analytics"][0]
    resp = faces.public.patch(f"/destinations/{dest_id}", json={"settings": {"trackingId": "UA-3"}})
    settings = resp.json()["data"]["destination"]["settings"]
    assert settings == {"trackingId": "UA-3", "anonymizeIp": True}
    wrapped = faces.public.patch(f"/destinations/{dest_id}", json={"destination": {"enabled": True},
                                                                 "update_mask": {"paths": ["destination.enabled"]}})
    assert wrapped.status_code == 422
    assert wrapped.json()["errors"][0]["type"] == "input-validation"


def test_deletes_answer_in_each_dialect(faces: Faces) -> None:
    assert faces.config.delete(f"{WS}/sources/backend/destinations/slack").json() == {}
    dest_id = faces.fake.id_map()["destinations"]["backend/webhooks"][0]
    assert faces.public.delete(f"/destinations/{dest_id}").json() == {"data": {"status": "SUCCESS"}}
    assert faces.config.get(f"{WS}/sources/backend/destinations/webhooks").status_code == 404


def test_secrets_come_back_masked_from_the_public_face(faces: Faces) -> None:
    dest_id = faces.fake.id_map()["destinations"]["ios-app/amplitude"][0]
    settings = faces.pget(f"/destinations/{dest_id}")["destination"]["settings"]
    assert settings["apiKey"] == "••••••••••cret"
    config = faces.cget(f"{WS}/sources/ios-app/destinations/amplitude")["config"]
    assert {c["value"] for c in config} >= {"amp-ios-secret"}


def test_regulations_progress_the_same_through_both_faces(faces: Faces) -> None:
    body = {"regulation_type": "suppress", "attributes": {"name": "userId", "values": ["u1"]}}
    reg_id = faces.config.post(f"{WS}/regulations", json=body).json()["regulate_id"]
    statuses = [faces.cget(f"{WS}/regulations/{reg_id}")["status"],
                faces.pget(f"/regulations/{reg_id}")["regulation"]["overallStatus"],
                faces.cget(f"{WS}/regulations/{reg_id}")["status"]]
    assert statuses == ["INITIALIZED", "RUNNING", "FINISHED"]
    suppressed = faces.pget("/suppressions", **{"pagination.count": 10})["suppressed"]
    assert {"subjectType": "USER_ID", "subjectIds": ["u1"]} in suppressed


# --- each face checks what the real API checks ---------------------------------------------------


def test_pagination_dialects(faces: Faces) -> None:
    first = faces.cget(f"{WS}/sources", page_size=100)
    assert len(first["sources"]) == 2 and first["next_page_token"]
    last = faces.cget(f"{WS}/sources", page_token=faces.cget(f"{WS}/sources", page_token=first["next_page_token"])["next_page_token"])
    assert len(last["sources"]) == 1 and last["next_page_token"] == ""

    missing = faces.public.get("/sources")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "pagination.count"
    assert faces.public.get("/sources", params={"pagination.count": 500}).status_code == 422
    page = faces.pget("/sources", **{"pagination.count": 2})
    assert set(page["pagination"]) == {"current", "next", "totalEntries"}
    stale = faces.public.get("/sources", params={"pagination.count": 2, "pagination.cursor": first["next_page_token"]})
    assert stale.status_code == 422, "a Config page token is not a Public cursor"
    end = faces.pget("/sources", **{"pagination.count": 2, "pagination.cursor": page["pagination"]["next"]})
    end = faces.pget("/sources", **{"pagination.count": 2, "pagination.cursor": end["pagination"]["next"]})
    assert "next" not in end["pagination"] and len(end["sources"]) == 1


def test_tokens_are_per_face(faces: Faces) -> None:
    wrong = {"Authorization": f"Bearer {faces.fake.public_token}"}
    resp = faces.config.get(f"{WS}/sources", headers=wrong)
    assert resp.status_code == 401 and resp.json()["code"] == 16
    resp = faces.public.get("/", headers={"Authorization": f"Bearer {faces.fake.config_token}"})
    assert resp.status_code == 401 and resp.json()["errors"][0]["status"] == 401
    eu = faces.public.get("/", headers={HOST_HEADER: PUBLIC_HOSTS["eu"]})
    assert eu.status_code == 401, "the fake workspace lives in the US region"


def test_public_bodies_are_validated(faces: Faces) -> None:
    snake = faces.public.post("/sources", json={"slug": "x", "enabled": True, "metadata_id": "IqDTy1TpoU"})
    assert snake.status_code == 422 and snake.json()["errors"][0]["field"] == "metadata_id"
    wrapped = faces.public.post("/sources", json={"source": {"slug": "x"}})
    assert wrapped.status_code == 422


def test_unknown_paths_and_hosts_are_not_routed(faces: Faces) -> None:
    assert faces.public.get(f"{WS}/sources").status_code == 404
    assert faces.config.get("/sources").status_code == 404
    stray = faces.config.get("/", headers={HOST_HEADER: "example.com"})
    assert stray.status_code == 421
    assert [s.routed for s in faces.fake.seen] == [False, False, False]


def test_id_map_matches_migrator_ids_against_the_public_face(faces: Faces) -> None:
    from migrator.ids.client import PublicApi
    from migrator.ids.fetch import fetch_idmap

    http = httpx.Client(headers={HOST_HEADER: PUBLIC_HOSTS["us"]})
    fetched = fetch_idmap(PublicApi(http, token=faces.fake.public_token, base_url=faces.fake.url)).idmap
    mine = faces.fake.id_map()
    got = fetched.model_dump(mode="json", exclude_none=True, exclude={"fetched_at", "api_url"})
    assert {k: v for k, v in got.items() if v != {}} == {
        k: v for k, v in mine.items() if k != "api_url" and v != {}
    }


# --- the reroute ----------------------------------------------------------------------------------

PROBE = '''
import asyncio, json, os, urllib.request
import httpx, requests

H = {"Authorization": "Bearer " + os.environ["SEGMENT_TOKEN"]}
BODY = {"regulation_type": "suppress", "attributes": {"name": "userId", "values": ["%s"]}}
URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/regulations"

requests.post(URL, json=dict(BODY, attributes={"name": "userId", "values": ["requests"]}), headers=H)
s = requests.Session(); s.headers.update(H)
s.request("POST", URL + "?via=session", json=dict(BODY, attributes={"name": "userId", "values": ["session"]}))
with httpx.Client(base_url="https://platform.segmentapis.com/v1beta/", headers=H) as c:
    c.post("workspaces/acme/regulations", json=dict(BODY, attributes={"name": "userId", "values": ["httpx"]}))
async def main():
    async with httpx.AsyncClient(headers=H) as c:
        await c.post(URL, json=dict(BODY, attributes={"name": "userId", "values": ["async"]}))
asyncio.run(main())
data = json.dumps(dict(BODY, attributes={"name": "userId", "values": ["urllib"]})).encode()
urllib.request.urlopen(urllib.request.Request(URL, data=data, headers={**H, "Content-Type": "application/json"}))
print(requests.get("https://eu1.api.segmentapis.com/", headers=H).status_code)
print(requests.get("https://example.com/").status_code)
'''


def test_reroute_covers_every_client(tmp_path: Path) -> None:
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(PROBE), encoding="utf-8")
    with FakeSegment() as fake:
        proc = subprocess.run([sys.executable, str(script)], env=script_env(fake, "config"),
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["401", "421"]
        subjects = [r.subject_ids[0] for r in fake.state.regulations[2:]]
        assert subjects == ["requests", "session", "httpx", "async", "urllib"]
        assert [s.face for s in fake.seen] == ["config"] * 5 + ["public", "unknown"]
        assert fake.seen[1].target.endswith("?via=session")


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    forked = Zygote(str(REROUTE), tmp_path_factory.mktemp("zygote"))
    yield forked
    forked.close()


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the zygote forks")
@pytest.mark.parametrize("script", ["list_sources.py", "async_httpx.py", "catalog_urllib.py", "smoke_check.py"])
def test_zygote_runs_like_a_fresh_interpreter(zygote: Zygote, script: str) -> None:
    forked = run_script(CORPUS / script, "config", zygote=zygote)
    fresh = run_script(CORPUS / script, "config")
    assert (forked.returncode, forked.stdout, forked.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    calls = sorted((s.method, s.target, s.status) for s in forked.seen)  # async_httpx gathers: any order
    assert calls == sorted((s.method, s.target, s.status) for s in fresh.seen)
