"""A function or method of another module, giving back migrated responses,
handed to a call that drops what it gives back or never calls it (a thread's
target, a timer, `atexit.register` as a statement, `inspect.signature`, a
sort key) is not handed on: no marker (rt8 #3); handed to an unknown call
(an event bus) it still is (`discarding`)."""

from __future__ import annotations

from pathlib import Path

from migrator.rewrite import driver

from .test_driver import tree

CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def sources():
    return requests.get(f"{API}/workspaces/acme/sources").json()


class SegmentClient:
    def roles(self):
        return requests.get(f"{API}/workspaces/acme/roles").json()
'''
JOBS = b'''import atexit
import inspect
import threading

from app.client import SegmentClient, sources


def start(bus, slugs):
    threading.Thread(target=sources, daemon=True).start()
    threading.Timer(30.0, SegmentClient().roles).start()
    atexit.register(sources)
    print(inspect.signature(sources))
    bus.on("refresh", sources)
    return sorted(slugs, key=sources)
'''
HANDED = ("    # migrator[rewrite.responses]: `sources` gives back the response of a migrated call, now in the Public "
          "shape (`data` envelope, Public field names), and this rewrite does not follow it from here: migrate the "
          "reads of what it gives back by hand\n")


def test_a_function_of_another_module_whose_value_a_call_drops_is_not_marked(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLIENT, "app/jobs.py": JOBS})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert found["client.py"].status == "changed"
    assert (tmp_path / "app/jobs.py").read_text() == JOBS.decode().replace(
        '    bus.on(', HANDED + '    bus.on(')
    assert [(m.rule, m.line) for m in found["jobs.py"].markers] == [("rewrite.responses", 13)]
