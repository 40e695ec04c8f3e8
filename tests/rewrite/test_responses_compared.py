"""A migrated response compared whole, or a status answer tested for its
truth, in the module that calls and in a test module that gets it from a
function of that module (`responses_uses.compared`, `responses_uses.tested`).
The single-file cases are the fixture `responses-status-compared`."""

from __future__ import annotations

from pathlib import Path

from migrator.idmap import IdMap
from migrator.rewrite import driver

from .test_driver import tree

IDS = IdMap.model_validate({"sources": {"web": "nUsr9W9UPoDlv24dJTvP31"},
                            "destinations": {"web/amplitude": ["lkq23ydxcths4kabx0cytngn"]}})
CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def remove(source, dest):
    return requests.delete(f"{API}/workspaces/acme/sources/{source}/destinations/{dest}").json()


def wipe(source, dest):
    return remove(source, dest) == {}
'''
TEST = b'''import responses

import client

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude"


@responses.activate
def test_remove():
    responses.add(responses.DELETE, URL, json={})
    assert client.wipe("web", "amplitude")
    assert client.remove("web", "amplitude") == {}
    assert not client.remove("web", "amplitude")
'''
COMPARED = ("    # migrator[rewrite.responses]: the response of a migrated call is compared whole with `{}` here (the "
            'Public API answers this call with `{"data": {"status": "SUCCESS"}}`): it now has the Public shape (`data` '
            "envelope, Public field names); check this comparison by hand\n")
TESTED = ("    # migrator[rewrite.responses]: the answer of this call is tested for its truth here, and the Public API "
          'answers it with `{"data": {"status": "SUCCESS"}}`, which is never empty, whatever the Config API answered: '
          "test the status, or the HTTP status code, by hand\n")


def test_a_delete_answer_compared_with_an_empty_dict_is_marked_where_the_test_stand_in_moves(tmp_path: Path) -> None:
    tree(tmp_path, {"client.py": CLIENT, "test_client.py": TEST})
    driver.run([tmp_path], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    assert (tmp_path / "client.py").read_text() == f'''import segment_ids
import requests

API = "https://api.segmentapis.com"


def remove(source, dest):
    return requests.delete(f"{{API}}/destinations/{{segment_ids.destination_id(source, dest)}}").json()


def wipe(source, dest):
{COMPARED}    return remove(source, dest) == {{}}
'''
    # the stand-in answers the Public status now, which `wipe` (marked) and these asserts compare with `{}`
    assert (tmp_path / "test_client.py").read_text() == f'''import responses

import client

URL = "https://api.segmentapis.com/destinations/lkq23ydxcths4kabx0cytngn"


@responses.activate
def test_remove():
    responses.add(responses.DELETE, URL, json={{"data": {{"status": "SUCCESS"}}}})
    assert client.wipe("web", "amplitude")
{COMPARED}    assert client.remove("web", "amplitude") == {{}}
{TESTED}    assert not client.remove("web", "amplitude")
'''
    again = driver.run([tmp_path], force=True, jobs=1, ids=IDS, lookup_module="segment_ids", write=False)
    assert not any(r.modified for r in again.results)
