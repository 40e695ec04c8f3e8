"""An instance whose methods give back migrated responses, only formatted,
printed or logged, is not handed on: no marker (rt5 #7); handed to a
dispatch table or an unknown call, it still is."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.idmap import IdMap
from migrator.rewrite import driver

from .test_driver import tree
from .test_links import INSTANCE_CLIENT, METHODS

IDS = IdMap.model_validate(
    json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json").read_text())
)
SHOWN = '''    log.debug("client %r", client)
    logger.info("client %s", client)
    logging.warning("client %s", client)
    logging.getLogger("cli").error("client %s", client)
    print(f"using {client!r}", "%r" % client, "%s %r" % (1, client), "{}".format(client), format(client))
    log.debug("client %r", SegmentClient())
'''
CLI = '''import logging

import requests

API = "https://platform.segmentapis.com/v1beta"
log = logging.getLogger(__name__)
logger = log


class SegmentClient:
    def __init__(self):
        self.http = requests.Session()

    def get_source(self):
        return self.http.get(f"{API}/workspaces/acme/sources/web").json()


def main():
    client = SegmentClient()
''' + SHOWN + '''    load_plugins()["show"](client)
    run(client)
    return client.get_source()["display_name"]
'''


def test_an_instance_logged_or_formatted_is_not_marked_and_one_handed_on_is(tmp_path: Path) -> None:
    tree(tmp_path, {"cli.py": CLI.encode()})
    [result] = driver.run([tmp_path], force=True, jobs=1, ids=IDS).results
    marker = "    " + METHODS.format(name="client")
    expected = (CLI.replace("https://platform.segmentapis.com/v1beta", "https://api.segmentapis.com")
                .replace("/workspaces/acme/sources/web", "/sources/qQEHquLrjRDN9j1ByrChyn")
                .replace('["display_name"]', '["data"]["source"]["name"]')
                .replace('    load_plugins()', marker + '    load_plugins()')
                .replace('    run(client)', marker + '    run(client)'))
    assert (tmp_path / "cli.py").read_text() == expected
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.responses", 26), ("rewrite.responses", 27)]


READER = b'''import logging

from app.client import segment

log = logging.getLogger(__name__)


def shown():
    log.info("segment %r", segment)
    return f"{segment}", "%r" % (segment,)


def handed():
    return run(segment)
'''


def test_an_instance_of_another_module_logged_or_formatted_is_not_marked(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": INSTANCE_CLIENT, "app/reader.py": READER})
    driver.run([tmp_path], force=True, jobs=1)
    marker = "    " + METHODS.format(name="segment")
    assert (tmp_path / "app/reader.py").read_bytes() == READER.replace(
        b"    return run(", marker.encode() + b"    return run(")
