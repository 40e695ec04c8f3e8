"""A call whose 404 handling a generated lookup puts out of reach
(`slugs_unreached`, part of `rewrite.slug-ids`), on a later run."""

from __future__ import annotations

from pathlib import Path

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate({
    "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"},
    "sources": {"web": "src_web1"},
})
APP = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def title(slug):
    r = requests.get(f"{API}/workspaces/acme/sources/{slug}")
    if r.status_code == 404:
        return None
    return r.json()["display_name"]
'''
UNREACHED = (
    "`segment_ids.source_id(...)` raises LookupError for an object the id map does not hold, before the request "
    "is sent (where the Config API answered 404 to `GET /v1beta/workspaces/{workspace}/sources/{source}`), so its "
    "404 handling (`r.status_code == 404`) is not reached for it: handle LookupError too"
)
MIGRATED = f'''import segment_ids
import requests

API = "https://api.segmentapis.com"


def title(slug):
    # migrator[rewrite.slug-ids]: {UNREACHED}
    r = requests.get(f"{{API}}/sources/{{segment_ids.source_id(slug)}}")
    if r.status_code == 404:
        return None
    return r.json()["data"]["source"]["name"]
'''


def test_a_second_run_finds_the_marker_of_a_lookup_before_the_404_check_again(tmp_path: Path) -> None:
    """The first run moves the call and marks it; the second, the file on the
    Public API already, changes no byte and reports that marker as found, not
    as one it does not find again."""
    from migrator.rewrite import driver

    (tmp_path / "app.py").write_text(APP)
    first = driver.run([tmp_path], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    assert (tmp_path / "app.py").read_text() == MIGRATED
    marked = [(m.rule, m.reason) for r in first.results if r.path.endswith("app.py") for m in r.markers]
    assert marked == [("rewrite.slug-ids", UNREACHED)]
    second = driver.run([tmp_path], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    assert (tmp_path / "app.py").read_text() == MIGRATED
    app = next(r for r in second.results if r.path.endswith("app.py"))
    assert (app.status, [(m.rule, m.reason) for m in app.markers], app.held) == ("marked", marked, 0)


def again(code: str) -> list[tuple[str, str]]:
    """The markers a later run finds in `code`, which it leaves as it is."""
    result = rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids")
    assert result.code == code.encode()
    return [(m.rule, m.reason) for m in result.markers]


def test_the_marker_is_found_again_while_another_call_of_the_file_migrates() -> None:
    code = MIGRATED + '''

def names():
    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()
'''
    result = rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids")
    assert result.code.decode().startswith(MIGRATED + "\n\ndef names():\n    return requests.get(\"https://api.")
    assert [(m.rule, m.reason) for m in result.markers if m.rule == "rewrite.slug-ids"] == [
        ("rewrite.slug-ids", UNREACHED)
    ]


def test_the_marker_is_not_found_again_once_the_404_check_is_gone() -> None:
    assert again(MIGRATED.replace("r.status_code == 404:", "r.status_code == 500:")) == []


def test_the_marker_is_not_found_again_once_the_lookup_is_gone() -> None:
    assert again(MIGRATED.replace("{segment_ids.source_id(slug)}", "{slug}")) == []


def test_the_marker_is_not_found_again_once_lookup_errors_are_caught() -> None:
    code = MIGRATED.replace("    # migrator", "    try:\n        # migrator").replace(
        "    r = requests", "        r = requests").replace(
        "    if r.status_code", "    except LookupError:\n        return None\n    if r.status_code")
    assert again(code) == []


UNQUOTED = UNREACHED.replace(" to `GET /v1beta/workspaces/{workspace}/sources/{source}`", "")


def test_a_marker_an_older_version_wrote_without_the_config_call_is_found_again() -> None:
    assert again(MIGRATED.replace(UNREACHED, UNQUOTED)) == [("rewrite.slug-ids", UNQUOTED)]


def test_no_marker_is_added_where_an_earlier_run_left_none() -> None:
    code = MIGRATED.replace(f"    # migrator[rewrite.slug-ids]: {UNREACHED}\n", "")
    assert again(code) == []


HELPER = '''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def _check(self, resp):
        if resp.status_code >= 400:
            raise RuntimeError(resp.text)
        return resp.json()

    def get_source(self, slug):
        resp = requests.get(f"{API}/workspaces/acme/sources/{slug}")
        return self._check(resp)
'''
IN_HELPER = UNREACHED.replace("(`r.status_code == 404`)", "(`resp.status_code >= 400` in `_check`)")


def test_a_status_range_tested_in_a_method_the_response_is_handed_to_is_marked_and_found_again() -> None:
    """`self._check(resp)` testing `>= 400` handles the Config 404 (the rt1
    repository's client): marked, and a second run finds that marker again."""
    first = rewrite_bytes(HELPER.encode(), RULES, IDS, lookup_module="segment_ids")
    assert [(m.rule, m.reason, m.line) for m in first.markers] == [("rewrite.slug-ids", IN_HELPER, 13)]
    assert again(first.code.decode()) == [("rewrite.slug-ids", IN_HELPER)]


def test_a_server_error_test_in_the_helper_is_no_404_handling() -> None:
    code = HELPER.replace(">= 400", ">= 500")
    result = rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids")
    assert [m.rule for m in result.markers] == []
    assert b"segment_ids.source_id(slug)" in result.code
