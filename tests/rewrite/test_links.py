"""Files that read, in another module, what a Segment client returns: the
driver gives them to the real codemod as linked, which marks their
Config-looking field reads and rewrites nothing; or, when a function of a
client the run migrates gives back a response, with what it gives back, and
their reads of it are rewritten (`driver._follow_returns`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator import rewrite
from migrator.cli import cli
from migrator.idmap import IdMap, load_idmap
from migrator.rewrite import driver
from migrator.rewrite.links import linked_files, specs_of
from migrator.ruleset import load_rules

from . import test_driver_fake as fake
from .test_driver import tree

CLIENT = b'''import requests

from app.labels import label

API = "https://platform.segmentapis.com/v1beta"


def sources(ws):
    return requests.get(f"{API}/workspaces/{ws}/sources").json()["sources"]
'''
REPORT = b'''from app.client import sources


def names(ws):
    return [s["display_name"] for s in sources(ws)]
'''
LABELS = b'''def label(source):
    return source.get("write_keys")
'''
UNRELATED = b'''def title(item):
    return item["display_name"]
'''
PUBLIC = b'''import httpx


def names(token):
    return [s["display_name"] for s in httpx.get("https://api.segmentapis.com/sources").json()["data"]["sources"]]
'''
USE_SEG = b'from seg import sources\n\n\ndef first(ws):\n    return sources(ws)[0]["display_name"]\n'
IDS = load_idmap(Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json")
MARK = "# migrator[rewrite.responses]: `{key}` looks like a Config API field"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    files = {"app/__init__.py": b"", "app/client.py": CLIENT, "app/report.py": REPORT, "app/labels.py": LABELS,
             "other/unrelated.py": UNRELATED, "other/public.py": PUBLIC,
             "seg/__init__.py": b"from .api import sources\n", "seg/api.py": CLIENT.replace(b"from app.labels import label\n", b""),
             "other/use_seg.py": USE_SEG}
    tree(tmp_path, files)
    return tmp_path


def markers_for(path: Path) -> list[str]:
    """The field each marker comment of the file speaks of."""
    lines = [line.strip() for line in path.read_text().splitlines() if "# migrator[" in line]
    return [key for line in lines for key in ("display_name", "write_keys") if line.startswith(MARK.format(key=key))]


def test_linked_reads_are_marked_and_a_second_run_changes_nothing(project: Path) -> None:
    outcome = driver.run([project], force=True, jobs=1)
    status = {Path(r.path).relative_to(project).as_posix(): r.status for r in outcome.results}
    assert status["app/labels.py"] == status["other/public.py"] == "marked"
    # what the package's `__init__.py` gives on moved with the client it imports
    assert status["other/use_seg.py"] == "changed"
    assert (project / "other/use_seg.py").read_bytes() == USE_SEG.replace(b'"display_name"', b'"name"')
    assert status["other/unrelated.py"] == status["app/__init__.py"] == "unchanged"
    assert markers_for(project / "app/labels.py") == ["write_keys"]
    assert (project / "other/unrelated.py").read_bytes() == UNRELATED
    # Only comments were added: the code of a linked file is as it was.
    code = [line for line in (project / "app/labels.py").read_text().splitlines() if "# migrator[" not in line]
    assert "\n".join(code) + "\n" == LABELS.decode()
    # what `sources()` gives back moved with the client, and the report's reads of it with it
    assert status["app/report.py"] == "changed"
    assert (project / "app/report.py").read_bytes() == REPORT.replace(b'"display_name"', b'"name"')
    again = driver.run([project], force=True, jobs=1, write=False)
    assert not any(r.modified for r in again.results)


@pytest.mark.parametrize("reader", ["app/report.py", "other/use_seg.py"])
def test_a_reader_rewritten_alone_finds_the_client_it_imports_on_disk(
    project: Path, reader: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`migrator rewrite app/report.py`: the client is not in the run, but the
    file is marked as in a run of the whole project (where the report's
    reads move with the client instead: it stays on the Config API here)."""
    monkeypatch.chdir(project)
    alone = driver.run([Path(reader)], write=False, jobs=1)
    whole = driver.run([Path(".")], write=False, jobs=1)
    [mine] = [(r.status, r.markers) for r in alone.results]
    assert mine[0] == "marked" and [m.reason.split(" ")[0] for m in mine[1]] == ["`display_name`"]
    in_whole = next((r.status, r.markers) for r in whole.results if r.path == reader)
    assert in_whole == ("changed", ())
    # a file that the client imports from the same folder is found too; an unrelated one is not
    assert [r.status for r in driver.run([Path("app/labels.py")], write=False, jobs=1).results] == ["marked"]
    assert [r.status for r in driver.run([Path("other/unrelated.py")], write=False, jobs=1).results] == ["unchanged"]


def test_parallel_runs_link_the_same_files(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(driver, "SERIAL_BELOW", 1)
    serial = driver.run([project], write=False, jobs=1)
    parallel = driver.run([project], write=False, jobs=2)
    assert [(r.path, r.status, r.markers) for r in serial.results] == [
        (r.path, r.status, r.markers) for r in parallel.results
    ]


def test_a_core_without_link_search_leaves_other_files_alone(project: Path) -> None:
    outcome = driver.run([project], write=False, jobs=1, core=fake.FAKE)
    assert {Path(r.path).name for r in outcome.results if r.status != "unchanged"} <= {"client.py", "api.py"}


def test_linked_files() -> None:
    sources = {"app/client.py": b"from app.labels import label\n", "web/public.py": b"import httpx\n"}
    readers = {
        "app/report.py": b"from .client import sources\n",
        "app/labels.py": b"",
        "web/public.py": b"import httpx\n",
        "other/x.py": b"import app.report\n",
        "web/view.py": b"from app import client\n",
    }
    specs = {path: specs_of(path, data) for path, data in (sources | readers).items()}
    assert linked_files({p: specs[p] for p in sources}, {p: specs[p] for p in readers}) == {
        "app/report.py": "this file imports `client.py`, which uses a Segment API",
        "app/labels.py": "`client.py`, which uses a Segment API, imports this file",
        "web/public.py": "this file calls the Public API",
        "web/view.py": "this file imports `../app/client.py`, which uses a Segment API",
    }


def test_the_codemod_marks_reads_only_when_linked() -> None:
    rules = load_rules()
    assert rewrite.rewrite_bytes(UNRELATED, rules).markers == ()
    why = "this file imports `app/client.py`, which uses a Segment API"
    linked = rewrite.rewrite_bytes(UNRELATED, rules, linked=why)
    assert [(m.rule, m.line, m.reason) for m in linked.markers] == [(
        "rewrite.responses", 2,
        f"`display_name` looks like a Config API field, and {why}: if the value comes from that API, "
        "read the Public field instead (`name`; `displayName` for a function)",
    )]
    assert rewrite.rewrite_bytes(linked.code, rules, linked=why).code == linked.code


def test_a_package_that_imports_the_client_links_its_importers() -> None:
    init = specs_of("seg/__init__.py", b"from .api import sources\n")
    sources = {"seg/api.py": specs_of("seg/api.py", b"import requests\n")}
    readers = {"use.py": specs_of("use.py", b"from seg import sources\n"), "other.py": specs_of("other.py", b"import x\n")}
    assert linked_files(sources, readers, {"seg/__init__.py": init}) == {
        "use.py": "this file imports `seg/api.py` (through `seg/__init__.py`), which uses a Segment API",
    }
    assert linked_files(sources, readers) == {}


@pytest.mark.parametrize("moved", [True, False])
def test_a_list_read_off_a_whole_response_of_a_client_elsewhere_is_marked(tmp_path: Path, moved: bool) -> None:
    files = {
        "app/__init__.py": b"",
        # the whole response; a client whose call stays on the Config API (a slug with no id) gives back nothing known
        "app/client.py": CLIENT.replace(b'.json()["sources"]', b".json()" if moved else b'.json()\n\n\ndef one(ws, s):\n'
                                        b'    return requests.get(f"{API}/workspaces/{ws}/sources/" + s).json()'),
        "app/report.py": b'from app.client import sources\n\n\ndef enabled(ws):\n'
                         b'    return [s["enabled"] for s in sources(ws)["sources"]]\n',
        "app/own.py": b'def count(body):\n    return len(body["sources"])\n',  # imports no client
    }
    tree(tmp_path, files)
    outcome = driver.run([tmp_path], write=False, jobs=1, diff=True)
    found = {Path(r.path).name: r for r in outcome.results}
    assert found["own.py"].status == "unchanged"
    if moved:
        assert not found["report.py"].markers and found["report.py"].diff is not None
        assert '+    return [s["enabled"] for s in sources(ws)["data"]["sources"]]' in found["report.py"].diff
        return
    [marker] = found["report.py"].markers
    assert (marker.line, marker.reason) == (
        5,
        "`sources` looks like the list of a Config API response, and this file imports `client.py`, which uses a "
        "Segment API: if the value is a whole response from that API, the list is now `data.sourcesCatalog` for a "
        "catalog-source list, or `data.sources` for a source list",
    )


def test_the_programs_own_data_is_not_taken_for_a_response(tmp_path: Path) -> None:
    job = b'''import csv
import json

import yaml

from app.client import sources


def run(path, ws):
    with open(path) as f:
        cfg = yaml.safe_load(f)
    extra = json.load(open("extra.json")).get("destinations", [])
    with open("rows.csv") as f:
        labels = [row["display_name"] for row in csv.DictReader(f)]
    return cfg["sources"], extra, labels, [s["display_name"] for s in sources(ws)]
'''
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLIENT, "app/job.py": job})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    # only the read off what the client returns, which moves with it
    assert not found["job.py"].markers
    assert [(c.line, c.before, c.after) for c in found["job.py"].changes] == [(15, 's["display_name"]', 's["name"]')]


def test_a_config_name_taken_apart_off_what_a_client_elsewhere_returns_is_marked_or_moved(tmp_path: Path) -> None:
    names = b'from app.client import sources\n\n\ndef slugs(ws):\n    return [s["name"].split("/")[-1] for s in sources(ws)]\n'
    plain = b'def labels(rows):\n    return [r["name"].split("/")[-1] for r in rows]\n'  # imports no client
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLIENT, "app/names.py": names, "app/plain.py": plain})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert found["plain.py"].status == "unchanged"
    assert [(c.before, c.after) for c in found["names.py"].changes] == [('s["name"].split("/")[-1]', 's["slug"]')]
    # a reader rewritten alone, without the client: marked
    [found] = driver.run([tmp_path / "app" / "names.py"], write=False, jobs=1).results
    [marker] = found.markers
    assert marker.line == 5 and marker.reason.startswith(
        "`name` looks like a Config API field, and this file imports `client.py`, which uses a Segment API: "
        "if the value comes from that API, read the Public field instead (`slug` for a "
    )


def test_a_reader_of_a_client_that_imports_its_base_is_marked(tmp_path: Path) -> None:
    """The client holds no Config text (its base comes from a settings
    module): the run moves it all the same, so what imports it is linked."""
    files = {
        "app/__init__.py": b"",
        "app/settings.py": b'API = "https://platform.segmentapis.com/v1beta"\n',
        "app/client.py": (b"import requests\n\nfrom app.settings import API\n\n\n"
                          b"def sources(ws):\n"
                          b'    return requests.get(f"{API}/workspaces/{ws}/sources").json()["sources"]\n'),
        "app/report.py": REPORT,
    }
    tree(tmp_path, files)
    outcome = driver.run([tmp_path], force=True, jobs=1)
    status = {Path(r.path).relative_to(tmp_path).as_posix(): r.status for r in outcome.results}
    assert status["app/client.py"] == status["app/report.py"] == "changed"
    assert (tmp_path / "app/report.py").read_bytes() == REPORT.replace(b'"display_name"', b'"name"')
    again = driver.run([tmp_path], force=True, jobs=1, write=False)
    assert not any(r.modified for r in again.results)


def test_what_a_client_function_gives_back_is_followed_however_it_is_imported(tmp_path: Path) -> None:
    readers = {
        "app/aliased.py": b'import app.client as c\n\n\ndef names(ws):\n    return [s["display_name"] for s in c.sources(ws)]\n',
        "app/dotted.py": b'import app.client\n\n\ndef names(ws):\n    return [s["display_name"] for s in app.client.sources(ws)]\n',
        "app/relative.py": b'from .client import sources\n\n\ndef first(ws):\n    return sources(ws)[0]["display_name"]\n',
        # its own `sources` shadows the client's: nothing is known of what it gives back
        "app/shadowed.py": b'from app.client import sources\n\n\ndef sources(ws):\n    return []\n\n\n'
                           b'def names(ws):\n    return [s["display_name"] for s in sources(ws)]\n',
    }
    files = {"app/__init__.py": b"", "app/client.py": CLIENT.replace(b"from app.labels import label\n", b""), **readers}
    tree(tmp_path, files)
    outcome = driver.run([tmp_path], force=True, jobs=1)
    status = {Path(r.path).relative_to(tmp_path).as_posix(): r.status for r in outcome.results}
    for name in ("app/aliased.py", "app/dotted.py", "app/relative.py"):
        assert status[name] == "changed"
        assert (tmp_path / name).read_bytes() == readers[name].replace(b'"display_name"', b'"name"')
    assert status["app/shadowed.py"] == "marked"
    assert markers_for(tmp_path / "app/shadowed.py") == ["display_name"]


CLASS_CLIENT = b'''import requests


class SegmentClient:
    base_url = "https://platform.segmentapis.com/v1beta"

    def __init__(self, workspace):
        self.workspace = workspace

    def list_sources(self):
        resp = requests.get(f"{self.base_url}/workspaces/{self.workspace}/sources")
        return resp.json()["sources"]

    @staticmethod
    def shown(source):
        return source
'''


def test_what_a_method_gives_back_is_followed_on_an_instance_made_by_the_caller(tmp_path: Path) -> None:
    made = b'from app.client import SegmentClient\n\n\ndef names():\n    client = SegmentClient("acme")\n' \
           b'    return [s["display_name"] for s in client.list_sources()]\n'
    given = b'import app.client\n\n\ndef names(client):\n    return [s["display_name"] for s in client.list_sources()]\n'
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/made.py": made, "app/given.py": given})
    outcome = driver.run([tmp_path], force=True, jobs=1)
    status = {Path(r.path).relative_to(tmp_path).as_posix(): r.status for r in outcome.results}
    assert status["app/client.py"] == status["app/made.py"] == "changed"
    assert (tmp_path / "app/made.py").read_bytes() == made.replace(b'"display_name"', b'"name"')
    # an instance given as a parameter may be of any class: its reads are marked
    assert status["app/given.py"] == "marked" and markers_for(tmp_path / "app/given.py") == ["display_name"]


SEG = CLIENT.replace(b"from app.labels import label\n", b"")
FAKE = b'def sources(ws):\n    return [{"display_name": "offline"}]\n'


@pytest.mark.parametrize("reader", [
    # a name that hides the imported module: a parameter, a local, a loop target
    b"import app.client as client\n\n\ndef names(client):\n    return [s['display_name'] for s in client.sources('acme')]\n",
    b"import app.client as client\nfrom app import fake\n\n\ndef names():\n    client = fake\n"
    b"    return [s['display_name'] for s in client.sources('acme')]\n",
    b"import app.client as client\n\n\ndef names(mods):\n    for client in mods:\n"
    b"        return [s['display_name'] for s in client.sources('acme')]\n",
    # rebound at module level, or imported again inside a function
    b"from app.client import sources\nfrom app import fake\n\nsources = fake.sources\n"
    b"NAMES = [s['display_name'] for s in sources('acme')]\n",
    b"from app.fake import sources\n\nNAMES = [s['display_name'] for s in sources('acme')]\n\n\n"
    b"def live():\n    from app.client import sources\n    return sources('acme')\n",
    # `.client` of a subpackage is not `app/client.py`, which `..client` is
    b"from ..client import sources as real\nfrom .client import sources\n\n"
    b"NAMES = [s['display_name'] for s in sources('acme')]\n",
])
def test_a_call_that_may_reach_another_function_is_not_followed(tmp_path: Path, reader: bytes) -> None:
    files = {"app/__init__.py": b"", "app/client.py": SEG, "app/fake.py": FAKE,
             "app/sub/__init__.py": b"", "app/sub/client.py": FAKE, "app/sub/report.py": reader}
    tree(tmp_path, files)
    found = {Path(r.path).relative_to(tmp_path).as_posix(): r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert found["app/client.py"].status == "changed"
    assert not found["app/sub/report.py"].changes


def test_a_function_the_client_binds_again_gives_nothing_known(tmp_path: Path) -> None:
    client = SEG + b"\n\ndef _offline(ws):\n    return [{'display_name': 'x'}]\n\n\nif OFFLINE:\n    sources = _offline\n"
    reader = b"from app.client import sources\n\nNAMES = [s['display_name'] for s in sources('acme')]\n"
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": client, "app/report.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert found["client.py"].changes and not found["report.py"].changes


def test_a_second_run_leaves_the_reads_a_first_one_moved_with_a_client(tmp_path: Path) -> None:
    """Once the client is on the Public API, the reader's `name` (moved from
    `display_name`) is a Public field: a second run marks it not, though a
    marker the first one left keeps the file linked."""
    reader = (b"from app.client import sources\n\n"
              b"FIRST = max(sources('acme'), key=lambda s: s['enabled'], default=0)['write_keys']\n"
              b"NAMES = sorted(sources('acme'), key=lambda s: s['display_name'])\n")
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": SEG, "app/report.py": reader})
    first = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert first["report.py"].status == "marked"
    assert b"key=lambda s: s['name'])" in (tmp_path / "app/report.py").read_bytes()
    again = driver.run([tmp_path], write=False, jobs=1)
    assert not any(r.modified for r in again.results)
    assert [m.reason.split(" ")[0] for r in again.results for m in r.markers] == ["`write_keys`"]


def test_a_function_is_followed_though_a_class_of_the_client_has_a_method_of_its_name(tmp_path: Path) -> None:
    client = SEG + b"\n\nclass Client:\n    def sources(self, ws):\n        return []\n"
    reader = b"from app.client import sources\n\nNAMES = [s['display_name'] for s in sources('acme')]\n"
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": client, "app/report.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert [(c.before, c.after) for c in found["report.py"].changes] == [("s['display_name']", "s['name']")]


def test_a_reader_of_a_client_the_run_only_marked_is_linked_as_a_second_run_links_it(tmp_path: Path) -> None:
    """The client's base comes from a settings module and its call stays
    (a slug with no id): its marker comment holds Config text, so a second
    run would link the reader; the first one does too."""
    files = {
        "app/__init__.py": b"",
        "app/settings.py": b'API = "https://platform.segmentapis.com/v1beta"\n',
        "app/client.py": b"import requests\nfrom app.settings import API\n\n\ndef get_source(slug):\n"
                         b'    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n',
        "app/report.py": b"from app.client import get_source\n\nNAME = get_source('web')['display_name']\n",
    }
    tree(tmp_path, files)
    first = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert first["report.py"].status == "marked"
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1).results)



INSTANCE_CLIENT = CLASS_CLIENT + b'\n\nsegment = SegmentClient("acme")\n'


def test_what_a_method_gives_back_is_followed_on_an_instance_the_client_module_makes(tmp_path: Path) -> None:
    readers = {
        "app/named.py": b'from app.client import segment\n\n\ndef names():\n'
                        b'    return [s["display_name"] for s in segment.list_sources()]\n',
        "app/dotted.py": b'from app import client\n\nFIRST = client.segment.list_sources()[0]["display_name"]\n',
    }
    # bound again: what `segment` is when a reader calls it is not known
    rebound = INSTANCE_CLIENT + b"\n\nif OFFLINE:\n    segment = Fake()\n"
    for root, client in ((tmp_path / "once", INSTANCE_CLIENT), (tmp_path / "rebound", rebound)):
        tree(root, {"app/__init__.py": b"", "app/client.py": client, **readers})
        found = {Path(r.path).name: r for r in driver.run([root], force=True, jobs=1).results}
        assert found["client.py"].status == "changed"
        for name, before in readers.items():
            if client is INSTANCE_CLIENT:
                assert (root / name).read_bytes() == before.replace(b'"display_name"', b'"name"')
            else:
                assert found[Path(name).name].status == "marked"
                assert markers_for(root / name) == ["display_name"]


UNFOLLOWED = b'''from app import client
from app.client import SegmentClient, segment, sources


class Mine(SegmentClient):
    pass


fetch = sources


def kept(x: SegmentClient) -> bool:
    return isinstance(x, SegmentClient) and x is not segment


def passed(ws):
    return run(segment), list(map(sources, [ws])), client.sources, client.SegmentClient.shown


def followed(ws):
    return sources(ws)[0]["display_name"], SegmentClient(ws).list_sources()[0]["display_name"]
'''


def test_uses_of_a_client_that_hand_its_responses_on_unfollowed_are_marked(tmp_path: Path) -> None:
    client = INSTANCE_CLIENT + b"\n\n" + SEG.split(b"\n\n\n", 1)[1]
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": client, "app/reader.py": UNFOLLOWED})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    handed = "gives back a list from a migrated call's response, now in the Public shape"
    methods = "has functions or methods that give back migrated responses, now in the Public shape"
    assert sorted((m.line, m.reason.split(" (`data`")[0]) for m in found["reader.py"].markers) == [
        (5, f"`SegmentClient` {methods}"),
        (9, f"`sources` {handed}"),
        (17, f"`client.sources` {handed}"),
        (17, f"`segment` {methods}"),
        (17, f"`sources` {handed}"),
    ]
    text = (tmp_path / "app/reader.py").read_text()
    assert text.count("# migrator[rewrite.responses]") == 5
    assert 'return sources(ws)[0]["name"], SegmentClient(ws).list_sources()[0]["name"]' in text
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1).results)


def test_what_a_method_gives_back_is_followed_on_a_parameter_annotated_with_its_class(tmp_path: Path) -> None:
    reader = (b"import app.client\nfrom app.client import SegmentClient\n\n\n"
              b"def names(client: SegmentClient):\n    return [s['display_name'] for s in client.list_sources()]\n\n\n"
              b"def first(client: app.client.SegmentClient):\n    found = client.list_sources()\n"
              b"    return found[0]['display_name']\n\n\n"
              # bound again in the function: not known
              b"def other(client: SegmentClient):\n    client = make()\n"
              b"    return client.list_sources()[0]['display_name']\n")
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/reader.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert [(c.before, c.after) for c in found["reader.py"].changes] == [
        ("s['display_name']", "s['name']"), ("found[0]['display_name']", "found[0]['name']")]
    assert [m.line for m in found["reader.py"].markers] == [16]
    assert markers_for(tmp_path / "app/reader.py") == ["display_name"]


def test_a_method_a_subclass_in_another_module_overrides_is_not_followed_on_an_annotated_parameter(
    tmp_path: Path,
) -> None:
    """`client: SegmentClient` may hold a `Fake(SegmentClient)` another module
    of the run defines, whose `list_sources` gives back something else: that
    read is not migrated (it was, and returned the fake's `name` for its
    `display_name`); a `SegmentClient()` made here still is."""
    fakes = (b"from app.client import SegmentClient\n\n\nclass Fake(SegmentClient):\n"
             b"    def list_sources(self):\n        return [{'display_name': 'fake'}]\n")
    reader = (b"from app.client import SegmentClient\n\n\n"
              b"def names(client: SegmentClient):\n    return [s['display_name'] for s in client.list_sources()]\n\n\n"
              b"def made(ws):\n    return [s['display_name'] for s in SegmentClient(ws).list_sources()]\n")
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/fakes.py": fakes, "app/reader.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert [(c.line, c.before, c.after) for c in found["reader.py"].changes] == [(9, "s['display_name']", "s['name']")]
    assert "return [s['display_name'] for s in client.list_sources()]" in (tmp_path / "app/reader.py").read_text()


def test_what_a_module_gives_back_from_a_client_is_followed_into_its_own_importers(tmp_path: Path) -> None:
    service = (b"from app import client\n\n\ndef all_sources(ws):\n    return client.sources(ws)\n\n\n"
               b"def first(ws):\n    return all_sources(ws)[0]['display_name']\n")
    report = b"from app.service import all_sources\n\nNAMES = [s['display_name'] for s in all_sources('acme')]\n"
    # importers of each other: the hops end
    loop = b"from app import report\nfrom app.service import all_sources\n\n\ndef names(ws):\n" \
           b"    return [s['display_name'] for s in all_sources(ws)] + report.NAMES\n"
    # a module that only passes them on changes nothing itself
    relay = b"from app import client\n\n\ndef relayed(ws):\n    return client.sources(ws)\n"
    shown = b"from app.relay import relayed\n\nFIRST = relayed('acme')[0]['display_name']\n"
    files = {"app/__init__.py": b"", "app/client.py": SEG, "app/service.py": service, "app/report.py": report,
             "app/loop.py": loop, "app/relay.py": relay, "app/shown.py": shown}
    tree(tmp_path, files)
    files["app/report.py"] += b"from app import loop\n"
    tree(tmp_path, {"app/report.py": files["app/report.py"]})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert {n: r.status for n, r in found.items()} == {
        "__init__.py": "unchanged", "client.py": "changed", "service.py": "changed", "report.py": "changed",
        "loop.py": "changed", "relay.py": "unchanged", "shown.py": "changed"}
    for name in ("service.py", "report.py", "loop.py", "shown.py"):
        assert (tmp_path / "app" / name).read_bytes() == files[f"app/{name}"].replace(b"'display_name'", b"'name'")
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1).results)


PATCHING = b'''from unittest import mock

from app import client, report


def test_names():
    with mock.patch.object(report, "sources", return_value=[{"display_name": "Web"}]):
        assert report.names("acme") == ["Web"]


@mock.patch("app.report.sources")
def test_names_again(sources):
    sources.return_value = [{"display_name": "Web"}]
    assert report.names("acme") == ["Web"]


def test_client(monkeypatch):
    monkeypatch.setattr(client, "sources", lambda ws: [{"display_name": "Web"}])
    monkeypatch.setattr("app.client.sources", lambda ws: [])
    client.sources = lambda ws: []
    mock.patch.object(report, "names", return_value=[])
'''


def test_fakes_put_in_place_of_a_function_whose_responses_moved_are_marked(tmp_path: Path) -> None:
    """Tests that patch a client function, where it is defined or where the
    code under test looks it up, must give the fake the Public shape."""
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": SEG, "app/report.py": REPORT,
                    "tests/__init__.py": b"", "tests/test_report.py": PATCHING})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert found["report.py"].status == "changed"
    fake = "a fake is put in place of `{}`, which gives back a list from a migrated call's response"
    assert sorted((m.line, m.reason.split(", now")[0]) for m in found["test_report.py"].markers) == [
        (7, fake.format("app.report.sources")), (11, fake.format("app.report.sources")),
        (18, fake.format("app.client.sources")), (19, fake.format("app.client.sources")),
        (20, fake.format("app.client.sources")),
    ]
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1).results)


@pytest.mark.parametrize("reader", [
    b"try:\n    from app.client import sources\nexcept ImportError:\n    sources = None\n",
    b"from app.client import sources\nfrom app.fake import *\n",
    b"from app.client import sources\n\n\nclass Offline:\n    sources = staticmethod(lambda ws: [])\n",
])
def test_a_client_function_its_importer_binds_again_is_marked_where_it_is_called(tmp_path: Path, reader: bytes) -> None:
    reader += b"\n\ndef first(ws):\n    return sources(ws)[0]['enabled']\n"
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": SEG, "app/fake.py": FAKE, "app/report.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert not found["report.py"].changes
    [marker] = found["report.py"].markers
    assert marker.line == reader.count(b"\n") and marker.reason.startswith(
        "`sources` may be `app.client.sources`, whose responses are migrated to the Public shape")


def test_what_a_package_gives_on_is_followed_though_it_uses_it_too(tmp_path: Path) -> None:
    package = b"from .client import get_source\n\n\ndef enabled(ws):\n    return get_source(ws)['enabled']\n"
    reader = b"from app import get_source\n\nFIRST = get_source('acme')['display_name']\n"
    client = SEG + b"\n\ndef get_source(ws):\n    return requests.get(f'{API}/workspaces/{ws}').json()\n"
    tree(tmp_path, {"app/__init__.py": package, "app/client.py": client, "report.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert [(c.before, c.after) for c in found["report.py"].changes] == [
        ("get_source('acme')['display_name']", "get_source('acme')['data']['workspace']['name']")]


KINDS_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


class SegmentClient:
    @staticmethod
    def listed(ws):
        return requests.get(f"{API}/workspaces/{ws}/sources").json()

    @classmethod
    def all_sources(cls, ws):
        return requests.get(f"{API}/workspaces/{ws}/sources").json()["sources"]

    def first(self, ws):
        return self.all_sources(ws)[0]


class Offline(SegmentClient):
    def first(self, ws):
        return {"display_name": "offline"}


class Listed(SegmentClient):
    def listed_again(self, ws):
        return super().listed(ws)["sources"]
'''


def test_static_and_class_methods_are_followed_and_methods_a_subclass_changes_are_not(tmp_path: Path) -> None:
    reader = (b"from app.client import SegmentClient\n\n\n"
              b"def names(ws):\n    return SegmentClient.listed(ws)['sources'][0]['display_name']\n\n\n"
              b"def more(ws):\n    return [s['display_name'] for s in SegmentClient.all_sources(ws)]\n\n\n"
              # `first` gives back something else for an `Offline`: not followed through the annotation
              b"def one(client: SegmentClient, ws):\n    return client.first(ws)['display_name']\n")
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": KINDS_CLIENT, "app/reader.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert (tmp_path / "app/reader.py").read_bytes() == reader.replace(
        b"listed(ws)['sources'][0]['display_name']", b"listed(ws)['data']['sources'][0]['name']").replace(
        b"[s['display_name'] for s", b"[s['name'] for s").replace(
        b"    return client.first", b"    " + MARK.format(key="display_name").encode() + b", and this file imports "
        b"`client.py`, which uses a Segment API: if the value comes from that API, read the Public field instead "
        b"(`name`; `displayName` for a function)\n    return client.first")
    assert found["reader.py"].status == "marked"
    # the subclass reads its base's response through `super()`: migrated with it
    assert b'return super().listed(ws)["data"]["sources"]' in (tmp_path / "app/client.py").read_bytes()


def test_what_a_module_writes_into_before_giving_it_on_is_not_followed(tmp_path: Path) -> None:
    """`service.one` writes `display_name` into the client's response: its
    readers read what it wrote, Config key and all, so they stay as they are."""
    service = (b"from app import client\n\n\ndef many(ws):\n    items = client.sources(ws)\n    for s in items:\n"
               b"        s['write_keys'] = []\n    return items\n")
    report = b"from app.service import many\n\n\ndef g(ws):\n    return [s['write_keys'] for s in many(ws)]\n"
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": SEG, "app/service.py": service, "app/report.py": report})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert found["client.py"].changes and not found["service.py"].exports
    assert not found["report.py"].changes and not found["report.py"].markers


FAKES = b'''from unittest import mock

from app import client, report


def test_multiple():
    with mock.patch.multiple(report, sources=mock.MagicMock(return_value=[])):
        mock.patch.multiple("app.report", sources=mock.DEFAULT)


def test_spy_and_errors():
    with mock.patch("app.report.sources", wraps=report.sources):
        mock.patch("app.report.sources", side_effect=OSError("down"))


def test_instance():
    mock.patch("app.client.segment")
    setattr(client, "sources", lambda ws: [])


def test_http():
    with mock.patch("app.client.requests.get") as get:
        get.return_value.json.return_value = {"sources": [{"display_name": "Web"}]}
        get.return_value.json.return_value = {"data": {"sources": []}}
        assert report.names("acme") == ["Web"]
'''


def test_fakes_of_every_kind_are_marked_and_spies_and_errors_are_not(tmp_path: Path) -> None:
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": INSTANCE_CLIENT + b"\n\n" + SEG.split(b"\n\n\n", 1)[1],
                    "app/report.py": REPORT, "tests/__init__.py": b"", "tests/test_fakes.py": FAKES})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    said = sorted((m.line, m.reason.split(", ")[0].split(" (`data`")[0]) for m in found["test_fakes.py"].markers)
    assert said == [
        (7, "a fake is put in place of `app.report.sources`"), (8, "a fake is put in place of `app.report.sources`"),
        (17, "a fake is put in place of `app.client.segment`"), (18, "a fake is put in place of `app.client.sources`"),
        (23, "this fake HTTP answer has the Config shape"),
    ]


def test_a_module_past_the_last_hop_is_told_its_reads_are_not_followed(tmp_path: Path) -> None:
    files = {"app/__init__.py": b"", "app/client.py": SEG}
    previous = "client"
    for n in range(1, driver.HOPS + 2):
        files[f"app/h{n}.py"] = (f"from app import {previous}\n\n\ndef sources(ws):\n"
                                 f"    return {previous}.sources(ws)\n\n\n"
                                 f"NAME = sources('acme')[0]['display_name']\n").encode()
        previous = f"h{n}"
    tree(tmp_path, files)
    found = {Path(r.path).stem: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    moved = [n for n in range(1, driver.HOPS + 2) if found[f"h{n}"].changes]
    told = [n for n in range(1, driver.HOPS + 2) if any("modules away" in note for note in found[f"h{n}"].notes)]
    assert (moved, told) == (list(range(1, driver.HOPS + 1)), [driver.HOPS + 1])


def test_a_base_url_class_attribute_another_module_joins_paths_to_stays_with_them(tmp_path: Path) -> None:
    settings = b'class Settings:\n    segment_api: str = "https://platform.segmentapis.com/v1beta"\n\n\nsettings = Settings()\n'
    jobs = (b"import requests\nfrom app.cls_settings import settings\n\n\ndef list_sources():\n"
            b'    return requests.get(f"{settings.segment_api}/workspaces/acme/sources").json()\n')
    tree(tmp_path, {"app/__init__.py": b"", "app/cls_settings.py": settings, "app/jobs.py": jobs})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert not found["cls_settings.py"].changes and not found["jobs.py"].changes
    assert [m.rule for m in found["cls_settings.py"].markers] == ["host.base-url"]
    assert found["cls_settings.py"].markers[0].reason.startswith("`segment_api` holds the Config API base URL")
    assert [m.rule for m in found["jobs.py"].markers] == ["rewrite.partial-path"]
    # alone, nothing reads it elsewhere: it moves
    alone = driver.run([tmp_path / "app/cls_settings.py"], write=False, jobs=1).results[0]
    assert [(c.before, c.after) for c in alone.changes] == [
        ('"https://platform.segmentapis.com/v1beta"', '"https://api.segmentapis.com"')]


def test_a_path_joined_from_a_list_of_segments_is_marked_and_links_its_file(tmp_path: Path) -> None:
    settings = b'import os\n\nAPI = os.environ.get("API", "https://platform.segmentapis.com/v1beta")\n'
    client = (b"import requests\nfrom app.settings import API, WS\n\n\ndef suppress(user):\n"
              b'    path = "/".join(["workspaces", WS, "regulations"])\n'
              b"    return requests.post(API + '/' + path, json={})\n")
    tree(tmp_path, {"app/__init__.py": b"", "app/settings.py": settings, "app/client.py": client})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert [(m.line, m.rule) for m in found["client.py"].markers] == [(6, "rewrite.partial-path")]
    assert found["client.py"].markers[0].reason.startswith(
        "Config API path joined from a list of segments (`workspaces/{}/regulations`)")


def test_a_list_join_holds_the_config_host_in_it_and_other_lists_are_left_alone(tmp_path: Path) -> None:
    code = (b"import requests\n\n\ndef catalog():\n"
            b'    return requests.get("/".join(["https://platform.segmentapis.com", "v1beta", "catalog", "sources"]))\n\n\n'
            b"def tf(ws):\n"
            b'    return "/".join(["https://app.terraform.io/api/v2", "workspaces", ws, "vars"])\n\n\n'
            b'def local(ws):\n    return "/".join(["workspaces", ws, "cache"])\n')
    tree(tmp_path, {"c.py": code})
    [found] = driver.run([tmp_path], write=False, jobs=1).results
    assert not found.changes and [(m.line, m.rule) for m in found.markers] == [(5, "rewrite.partial-path")]


def test_static_and_class_methods_called_on_cls_or_the_class_are_followed(tmp_path: Path) -> None:
    code = (b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\nclass C:\n'
            b"    @classmethod\n    def raw(cls, ws):\n        return requests.get(f'{BASE}/workspaces/{ws}/sources').json()\n\n"
            b"    @staticmethod\n    def sraw(ws):\n        return requests.get(f'{BASE}/workspaces/{ws}/sources').json()\n\n"
            b"    @classmethod\n    def a(cls, ws):\n        return cls.raw(ws)['sources']\n\n"
            b"    def b(self, ws):\n        return C.sraw(ws)['sources']\n")
    tree(tmp_path, {"c.py": code})
    [found] = driver.run([tmp_path], write=False, jobs=1).results
    assert [(c.before, c.after) for c in found.changes if "['sources']" in c.before] == [
        ("cls.raw(ws)['sources']", "cls.raw(ws)['data']['sources']"),
        ("C.sraw(ws)['sources']", "C.sraw(ws)['data']['sources']")]


def test_a_base_attribute_read_with_getattr_elsewhere_stays(tmp_path: Path) -> None:
    seg = (b'import requests\n\n\nclass Segment:\n    base_url = "https://platform.segmentapis.com/v1beta"\n\n'
           b"    def sources(self, ws):\n        return requests.get(self.base_url + '/workspaces/' + ws + '/sources').json()\n")
    other = (b"import requests\nfrom pkg.seg import Segment\n\n\ndef suppress(ws):\n"
             b"    base = getattr(Segment(), 'base_url')\n    return requests.post(base + '/workspaces/' + ws + '/regulations')\n")
    tree(tmp_path, {"pkg/__init__.py": b"", "pkg/seg.py": seg, "pkg/other.py": other})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], write=False, jobs=1).results}
    assert not found["seg.py"].changes and "host.base-url" in [m.rule for m in found["seg.py"].markers]


def test_a_settings_loop_rewritten_in_a_reader_keeps_no_marker_for_the_key_it_replaced(tmp_path: Path) -> None:
    """The reader's loop over a destination's Config settings walks the
    Public map once the client moves: the setting's name taken apart became
    `key`, so no marker is left asking to read `slug` instead (the one left
    says the values read are masked for secrets)."""
    client = (b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
              b'def destinations():\n'
              b'    r = requests.get(f"{API}/workspaces/acme/sources/web/destinations", params={"page_size": 100})\n'
              b'    return r.json()["destinations"]\n')
    reader = (b'from app.client import destinations\n\n\ndef settings():\n    out = {}\n'
              b'    for d in destinations():\n        for item in d["config"]:\n'
              b'            out[item["name"].split("/")[-1]] = item["value"]\n    return out\n')
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": client, "app/settings.py": reader})
    ids = IdMap.model_validate({"workspace": {"id": "ws1", "slug": "acme", "name": "Acme"}, "sources": {"web": "src1"}})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1, ids=ids).results}
    assert (tmp_path / "app/settings.py").read_bytes() == (
        b'from app.client import destinations\n\n\ndef settings():\n    out = {}\n'
        b'    for d in destinations():\n'
        b'        # migrator[rewrite.responses]: settings read from the Public API come with secret values masked '
        b'(`\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2` and the last characters): the values read here hold that text for secrets; '
        b'do not write them back (that overwrites the secret), and get a secret this code needs elsewhere\n'
        b'        for key, value in d["settings"].items():\n'
        b'            out[key] = value\n    return out\n')
    assert [m.line for m in found["settings.py"].markers] == [7]


def test_a_sort_key_of_itemgetter_in_a_reader_of_the_client_reads_the_public_fields(tmp_path: Path) -> None:
    """`sorted(sources(ws), key=itemgetter("display_name"))` in another module
    than the client sorts the Public items by the Public field, as the
    lambda `s["display_name"]` would be rewritten; a key of no single Public
    field is marked."""
    reader = (b'from operator import itemgetter\n\nfrom app.client import sources\n\n\n'
              b'def titles(ws):\n'
              b'    return [s["name"].split("/")[-1] for s in sorted(sources(ws), key=itemgetter("display_name"))]\n\n\n'
              b'def by_catalog(ws):\n    return sorted(sources(ws), key=itemgetter("catalog_name"))\n')
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": SEG, "app/report.py": reader})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert (tmp_path / "app/report.py").read_bytes() == (
        b'from operator import itemgetter\n\nfrom app.client import sources\n\n\n'
        b'def titles(ws):\n'
        b'    return [s["slug"] for s in sorted(sources(ws), key=itemgetter("name"))]\n\n\n'
        b'def by_catalog(ws):\n'
        b'    # migrator[rewrite.responses]: the Public field `metadata.slug` is not the Config `catalog_name` '
        b'(it is nested): adapt this use by hand\n'
        b'    return sorted(sources(ws), key=itemgetter("catalog_name"))\n')
    assert [m.line for m in found["report.py"].markers] == [11]


def test_a_fake_http_answer_the_run_translated_is_not_marked_as_config_shaped(tmp_path: Path) -> None:
    """A `get.return_value.json.return_value` payload the test-double rewrite
    gave the Public shape is not marked as still having the Config shape
    (the marker looked at the literal before the run's edits); one it left
    alone still is."""
    client = (b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
              b'def sources():\n'
              b'    return requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 50}).json()["sources"]\n')
    test = (b'from unittest import mock\n\nimport client\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
            b'@mock.patch("client.requests.get")\n'
            b'def test_get(get):\n'
            b'    get.return_value.json.return_value = {"sources": [], "next_page_token": ""}\n'
            b'    assert client.sources() == []\n'
            b'    get.assert_called_once_with(f"{API}/workspaces/acme/sources", params={"page_size": 50})\n')
    tree(tmp_path, {"client.py": client, "test_g.py": test})
    found = {Path(r.path).name: r for r in driver.run([tmp_path], force=True, jobs=1).results}
    assert (tmp_path / "test_g.py").read_bytes() == (
        b'from unittest import mock\n\nimport client\n\nAPI = "https://api.segmentapis.com"\n\n\n'
        b'@mock.patch("client.requests.get")\n'
        b'def test_get(get):\n'
        b'    get.return_value.json.return_value = {"data": {"sources": [], "pagination": {"next": None}}}\n'
        b'    assert client.sources() == []\n'
        b'    get.assert_called_once_with(f"{API}/sources", params={"pagination.count": 50})\n')
    assert not found["test_g.py"].markers


def test_an_earlier_runs_markers_go_with_the_field_they_name_or_are_said_anew(tmp_path: Path) -> None:
    """`rewrite`, then `rewrite --ids`: the second run migrates the
    `display_name` read the first one only marked, so that marker goes; it
    marks `create_time` again knowing more, and its words replace the
    first run's."""
    tree(tmp_path, {
        "client.py": b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\ndef get_source(slug):\n'
                     b'    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n',
        "report.py": b'from client import get_source\n\n\ndef row():\n    s = get_source("web")\n'
                     b'    return (s["display_name"], s["create_time"])\n',
    })
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "report.py").read_bytes().count(b"# migrator[rewrite.responses]") == 2
    ids = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
    second = driver.run([tmp_path], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    said = ("`create_time` cannot be read from the Public API (the Public API does not return the creation"
            " time of a source): remove this read or get the value elsewhere")
    assert (tmp_path / "report.py").read_text() == (
        'from client import get_source\n\n\ndef row():\n    s = get_source("web")\n'
        f"    # migrator[rewrite.responses]: {said}\n"
        '    return (s["data"]["source"]["name"], s["create_time"])\n'
    )
    assert [(m.new_line, m.new_reason) for r in second.results if r.path.endswith("report.py") for m in r.markers] == [
        (7, said),  # the read's line, below its marker
    ]


def test_an_earlier_runs_marker_about_one_field_does_not_hold_back_the_marker_of_another(tmp_path: Path) -> None:
    """A marker of `rewrite.responses` about `display_name` above the line
    holds back only a marker about `display_name`: the one about
    `create_time`, deleted by hand, is written again."""
    tree(tmp_path, {
        "client.py": b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\ndef get_source(slug):\n'
                     b'    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n',
        "report.py": b'from client import get_source\n\n\ndef row():\n    s = get_source("web")\n'
                     b'    return (s["display_name"], s["create_time"])\n',
    })
    driver.run([tmp_path], force=True, jobs=1)
    first = (tmp_path / "report.py").read_text()
    lines = first.splitlines(keepends=True)
    assert [line.split("`")[1] for line in lines if "# migrator[" in line] == ["display_name", "create_time"]
    (tmp_path / "report.py").write_text("".join(line for line in lines if "`create_time`" not in line))
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "report.py").read_text() == first


def test_an_earlier_runs_marker_on_a_line_the_run_leaves_as_it_is_is_said_anew(tmp_path: Path) -> None:
    """`rewrite`, then `rewrite --ids`: the second run changes nothing in
    the reader, but marks `catalog_name` again in other words (not starting
    with the field's name): its marker replaces the first run's, which gave
    the opposite advice, and the audit lists it. A third run, which says
    only what the value may be, leaves it."""
    from migrator.audit.core import Auditor

    tree(tmp_path, {
        "app/__init__.py": b"",
        "app/client.py": b'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\ndef source(slug):\n'
                         b'    return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()\n',
        "app/report.py": b'from app.client import source\n\n\ndef show():\n    s = source("web")\n'
                         b'    print(s["catalog_name"])\n',
    })
    driver.run([tmp_path], force=True, jobs=1)
    assert b"read the Public field instead (`metadata.slug`)" in (tmp_path / "app/report.py").read_bytes()
    ids = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
    second = driver.run([tmp_path], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    said = ("the Public field `metadata.slug` is not the Config `catalog_name` (only the `slug` part of the Config"
            " value): adapt this use by hand")
    assert [m.reason for r in second.results if r.path.endswith("report.py") for m in r.markers] == [said]
    after = (tmp_path / "app/report.py").read_bytes()
    assert after.decode() == (
        'from app.client import source\n\n\ndef show():\n    s = source("web")\n'
        f"    # migrator[rewrite.responses]: {said}\n"
        '    print(s["catalog_name"])\n'
    )
    assert [(f.line, f.message) for f in Auditor(load_rules()).scan("app/report.py", after).findings] == [(6, said)]
    # the client on the Public API now, a third run can only say what the value may be: that says less
    driver.run([tmp_path], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    assert (tmp_path / "app/report.py").read_bytes() == after


HELD = b'''import functools

from app.client import SegmentClient


class Svc:
    def __init__(self):
        self.client = SegmentClient("acme")

    def names(self):
        return [s["display_name"] for s in self.client.list_sources()]


def via_partial():
    fetch = functools.partial(SegmentClient("acme").list_sources)
    return fetch()


def via_ternary(client=None):
    client = client if client is not None else SegmentClient("acme")
    return [s["display_name"] for s in client.list_sources()]


def via_or(client=None):
    client = client or SegmentClient("acme")
    return [s["display_name"] for s in client.list_sources()]
'''
HANDED = ('# migrator[rewrite.responses]: `SegmentClient("acme").list_sources` gives back a list from a migrated '
          "call's response, now in the Public shape (`data` envelope, Public field names), and this rewrite does not "
          "follow it from here: migrate the reads of what it gives back by hand\n")
METHODS = ("# migrator[rewrite.responses]: `{name}` has functions or methods that give back migrated responses, now "
           "in the Public shape (`data` envelope, Public field names), and this rewrite does not follow them from "
           "here: migrate the reads of what they give back by hand, and give any fake put in their place the Public "
           "shape\n")


@pytest.mark.parametrize("extra", [b"", b"\n\ndef make(factory=SegmentClient):\n    return factory()\n"])
def test_an_instance_held_by_an_attribute_or_a_parameters_default_is_followed_and_one_handed_on_is_marked(
    tmp_path: Path, extra: bytes,
) -> None:
    """`self.client = SegmentClient()` in `__init__` read as `self.client` in
    the class, `client or SegmentClient()`, `client if ... else
    SegmentClient()`: followed, like `if client is None: client = ...`; a
    method of an instance handed on (`functools.partial`) is marked. They
    were left alone, unmarked. A parameter's default naming the class
    (`factory=SegmentClient`) does not bind the name: it is handed on (it
    was said to bind the name again, and every use was marked for that)."""
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/use.py": HELD + extra})
    driver.run([tmp_path], force=True, jobs=1)
    expected = (HELD.replace(b'"display_name"', b'"name"')
                .replace(b"    fetch =", b"    " + HANDED.encode() + b"    fetch ="))
    if extra:
        expected += extra.replace(b"def make", METHODS.format(name="SegmentClient").encode() + b"def make")
    assert (tmp_path / "app/use.py").read_bytes() == expected
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1).results)


NOT_HELD = b'''from app.client import SegmentClient


class Svc:
    def __init__(self):
        self.client = SegmentClient("acme")

    def reset(self):
        self.client = None

    def names(self):
        return [s["display_name"] for s in self.client.list_sources()]


def run(client):
    return client


def passed():
    return run(SegmentClient("acme"))
'''


def test_an_instance_the_flow_does_not_follow_is_marked(tmp_path: Path) -> None:
    """An attribute bound again elsewhere, an instance passed to a call: marked where it is made."""
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/use.py": NOT_HELD})
    driver.run([tmp_path], force=True, jobs=1)
    marker = METHODS.format(name='SegmentClient("acme")').encode()
    assert (tmp_path / "app/use.py").read_bytes() == (
        NOT_HELD.replace(b"        self.client = SegmentClient", b"        " + marker + b"        self.client = SegmentClient")
        .replace(b"    return run(", b"    " + marker + b"    return run(")
        .replace(b"        return [s", b"        # migrator[rewrite.responses]: `display_name` looks like a Config API "
                 b"field, and this file imports `client.py`, which uses a Segment API: if the value comes from that "
                 b"API, read the Public field instead (`name`; `displayName` for a function)\n        return [s"))


def test_methods_a_subclass_in_another_module_inherits_are_followed(tmp_path: Path) -> None:
    """`class Admin(SegmentClient): pass` in another module: `Admin().list_sources()`
    gives back what `SegmentClient().list_sources()` does (it was left alone,
    unmarked); the subclass keeps its marker (its own module does not follow it)."""
    admin = b"from app.client import SegmentClient\n\n\nclass Admin(SegmentClient):\n    pass\n"
    use = b'from app.admin import Admin\n\n\ndef names():\n    return [s["display_name"] for s in Admin("acme").list_sources()]\n'
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": CLASS_CLIENT, "app/admin.py": admin, "app/use.py": use})
    driver.run([tmp_path], force=True, jobs=1)
    assert (tmp_path / "app/use.py").read_bytes() == use.replace(b'"display_name"', b'"name"')
    assert (tmp_path / "app/admin.py").read_bytes() == admin.replace(
        b"class Admin", METHODS.format(name="SegmentClient").encode() + b"class Admin")
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1).results)


PROPERTY_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


class SourceView:
    def __init__(self, slug):
        self.slug = slug

    @property
    def data(self):
        return requests.get(f"{API}/workspaces/acme/sources/{self.slug}").json()
'''


def test_a_property_of_a_class_in_another_module_giving_back_an_answer_is_followed(tmp_path: Path) -> None:
    """`SourceView("web").data` in another module is what the getter gives
    back, as a method call's value is: its reads are migrated (`enabled`
    was left alone, `display_name` marked with the item's field)."""
    use = (b'from app.client import SourceView\n\nview = SourceView("web")\n'
           b'print(view.data["enabled"], view.data["display_name"])\n')
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": PROPERTY_CLIENT, "app/use.py": use})
    ids = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
    driver.run([tmp_path], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    assert (tmp_path / "app/use.py").read_bytes() == use.replace(
        b'view.data["enabled"], view.data["display_name"]',
        b'view.data["data"]["source"]["enabled"], view.data["data"]["source"]["name"]')
    again = driver.run([tmp_path], write=False, jobs=1, ids=ids, lookup_module="segment_ids")
    assert not any(r.modified for r in again.results)


HELPER_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def __init__(self, workspace="acme"):
        self.workspace = workspace

    def _url(self, path):
        return "{}/workspaces/{}/{}".format(API, self.workspace, path)

    def get_source(self, slug):
        return requests.get(self._url(f"sources/{slug}")).json()

    def disable(self, source, dest):
        body = {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}
        return requests.patch(self._url(f"sources/{source}/destinations/{dest}"), json=body).json()
'''
FAKED = b'''from unittest import mock

from app.client import Client


def test_disable():
    with mock.patch.object(Client, "disable", return_value={"name": "workspaces/acme/sources/web/destinations/amplitude"}):
        assert Client().disable("web", "amplitude")
'''
FAKED_MARKED = FAKED.replace(b"    with mock", (
    b"    # migrator[rewrite.mocks]: the test double returns what looks like a Config API response (`name` holding a"
    b" Config resource name), and this file imports `../app/client.py`, which uses a Segment API: if it stands for a"
    b" call that code makes, write the Public response instead (`data` envelope, Public field names)\n"
    b"    # migrator[rewrite.responses]: a fake is put in place of `app.client.Client.disable`, which gives back the"
    b" response of a migrated call, now in the Public shape (`data` envelope, Public field names), to the code that"
    b" calls it: give the fake the Public shape\n"
    b"    with mock"))


@pytest.mark.parametrize("settings", [False, True], ids=["base-in-client", "base-in-settings"])
def test_a_test_with_config_text_is_linked_to_the_client_it_imports_whose_base_is_imported(
    tmp_path: Path, settings: bool,
) -> None:
    """A test holding Config text (rewritten in the first pass) that imports
    a client whose base comes from a settings module: the client moves, and
    the test is linked to it in the same run, as when the base is in the
    client; a second run changes nothing."""
    client = HELPER_CLIENT
    files = {"app/__init__.py": b"", "tests/__init__.py": b"", "tests/test_client.py": FAKED}
    if settings:
        client = client.replace(b'API = "https://platform.segmentapis.com/v1beta"', b"from app.settings import API")
        files["app/settings.py"] = b'API = "https://platform.segmentapis.com/v1beta"\n'
    tree(tmp_path, {**files, "app/client.py": client})
    driver.run([tmp_path], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    assert (tmp_path / "tests/test_client.py").read_bytes() == FAKED_MARKED
    assert not any(r.modified for r in driver.run([tmp_path], write=False, jobs=1, ids=IDS,
                                                  lookup_module="segment_ids").results)


GET_SOURCE_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def get_source(self, slug):
        return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()
'''
SERVICE = b'''from app.client import Client

client = Client()


def is_enabled(slug):
    return client.get_source(slug)["enabled"]
'''
PATCHING_SERVICE = b'''from unittest import mock

from app import service
from app.service import is_enabled


def test_instance():
    with mock.patch.object(service.client, "get_source", return_value={"enabled": True}):
        assert service.is_enabled("web") is True


def test_class():
    with mock.patch.object(service.Client, "get_source", return_value={"enabled": True}):
        assert service.is_enabled("web") is True


def test_dotted():
    with mock.patch("app.service.client.get_source", return_value={"enabled": True}):
        assert is_enabled("web") is True


def test_monkeypatch(monkeypatch):
    monkeypatch.setattr(service.client, "get_source", lambda slug: {"enabled": True})
    assert service.is_enabled("web") is True
'''


def _fake_marked(code: bytes, patch: bytes, name: str) -> bytes:
    """`code` with the marker `rewrite` puts above the line of `patch` (a fake of `name`)."""
    indent = b"    "
    marker = (f"# migrator[rewrite.responses]: a fake is put in place of `{name}`, which gives back the response "
              "of a migrated call, now in the Public shape (`data` envelope, Public field names), to the code that "
              "calls it: give the fake the Public shape\n").encode()
    assert code.count(indent + patch) == 1
    return code.replace(indent + patch, indent + marker + indent + patch)


def test_fakes_put_in_place_of_a_module_level_instance_s_methods_or_a_class_given_on_are_marked(tmp_path: Path) -> None:
    """`service.client = Client()`, bound once, is patched as `service.client`
    (by `patch.object`, `monkeypatch.setattr` or the dotted string) and the
    class `service` imports as `service.Client`: every fake is marked, and a
    module reading `client.get_source(...)` through `service` is migrated.
    Bound again (`global client` in a function), the instance is not known:
    only the class's fake is marked."""
    reader = b'from app.service import client\n\nENABLED = client.get_source("web")["enabled"]\n'
    rebound = SERVICE + b"\n\ndef reset():\n    global client\n    client = Client()\n"
    ids = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
    for root, service in ((tmp_path / "once", SERVICE), (tmp_path / "rebound", rebound)):
        tree(root, {"app/__init__.py": b"", "app/client.py": GET_SOURCE_CLIENT, "app/service.py": service,
                    "app/reader.py": reader, "tests/__init__.py": b"", "tests/test_service.py": PATCHING_SERVICE})
        driver.run([root], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
        assert not any(r.modified for r in driver.run([root], write=False, jobs=1, ids=ids,
                                                      lookup_module="segment_ids").results)
    expected = _fake_marked(PATCHING_SERVICE, b'with mock.patch.object(service.Client', "app.service.Client.get_source")
    assert (tmp_path / "rebound/tests/test_service.py").read_bytes() == expected
    for patch in (b"with mock.patch.object(service.client", b'with mock.patch("app', b"monkeypatch.setattr(service"):
        expected = _fake_marked(expected, patch, "app.service.client.get_source")
    assert (tmp_path / "once/tests/test_service.py").read_bytes() == expected
    assert (tmp_path / "once/app/service.py").read_bytes() == SERVICE.replace(
        b'["enabled"]', b'["data"]["source"]["enabled"]')
    assert (tmp_path / "once/app/reader.py").read_bytes() == reader.replace(
        b'["enabled"]', b'["data"]["source"]["enabled"]')
    # the audit lists them: the to-do a person works through
    result = CliRunner().invoke(cli, ["audit", "--jobs", "1", str(tmp_path / "once/tests")])
    listed = [(line.split()[0], line.split()[2], line.split("`")[1]) for line in result.stdout.splitlines()
              if "a fake is put in place" in line]
    assert listed == [("8:5", "rewrite.responses", "app.service.client.get_source"),
                      ("14:5", "rewrite.responses", "app.service.Client.get_source"),
                      ("20:5", "rewrite.responses", "app.service.client.get_source"),
                      ("26:5", "rewrite.responses", "app.service.client.get_source")]


def test_a_reader_rewritten_alone_reads_a_client_on_disk_that_calls_the_public_api_only_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The client was migrated by an earlier rewrite: `migrator rewrite
    app/report.py` alone says what a run of the whole project says of it
    (the client "calls the Public API", and a Public `name` is no Config read)."""
    migrated = rewrite.rewrite_bytes(CLIENT, load_rules()).code
    assert b"platform.segmentapis.com" not in migrated
    report = REPORT + b'\n\ndef slugs(ws):\n    return [s["name"].split("/")[-1] for s in sources(ws)]\n'
    tree(tmp_path, {"app/__init__.py": b"", "app/client.py": migrated, "app/report.py": report, "app/labels.py": LABELS})
    monkeypatch.chdir(tmp_path)
    alone = driver.run([Path("app/report.py")], write=False, jobs=1)
    whole = driver.run([Path(".")], write=False, jobs=1)
    said = [[(m.line, m.reason) for m in r.markers] for r in alone.results]
    assert said == [[m for r in whole.results if r.path == "app/report.py" for m in ((m.line, m.reason) for m in r.markers)]]
    assert said == [[(5, "`display_name` looks like a Config API field, and this file imports `client.py`, which calls the "
                         "Public API: if the value comes from that API, read the Public field instead (`name`; "
                         "`displayName` for a function)")]]


HELD_SVC = '''import requests

from settings import SEGMENT_API


def plans(ws):
    r = requests.get(f"{SEGMENT_API}/workspaces/{ws}/tracking-plans")
    return [p["display_name"] for p in r.json()["tracking_plans"]]


def source_name(slug):
    r = requests.get(f"{SEGMENT_API}/workspaces/acme/sources/{slug}")
    return r.json()["display_name"]
'''
HELD_CLIENT = '''import aiohttp
import httpx

from settings import SEGMENT_API, SEGMENT_WORKSPACE


class Client:
    def __init__(self):
        self.http = httpx.AsyncClient(base_url=f"{SEGMENT_API}/workspaces/{SEGMENT_WORKSPACE}")

    async def sources(self):
        r = await self.http.get("/sources", params={"page_size": 50})
        return r.json()["sources"]

    async def plans(self):
        r = await self.http.get("/tracking-plans")
        return [p["display_name"] for p in r.json()["tracking_plans"]]


async def pages():
    params = {"page_size": 100}
    out = []
    async with aiohttp.ClientSession() as s:
        while True:
            async with s.get(f"{SEGMENT_API}/workspaces/acme/sources", params=params) as resp:
                data = await resp.json(content_type=None)
            out.extend(x["display_name"] for x in data["sources"])
            if not data.get("next_page_token"):
                break
            params["page_token"] = data["next_page_token"]
    return out
'''
HELD_READ = ("`{}` is read off the response of a call this rewrite leaves on the Config API, where it is right as it "
             "is: when that call moves to the Public API, read the Public field instead ({})")
NAME_HINT = "`name`; `displayName` for a function"
NEXT_HINT = "`data.pagination.next`"


@pytest.mark.parametrize("imported", [True, False])
def test_reads_off_calls_held_on_the_config_api_say_so_wherever_the_base_comes_from(
    tmp_path: Path, imported: bool
) -> None:
    """The base URL imported from a settings module links the file to it: reads
    off its own calls that stay on the Config API (a slug with no id map; an
    httpx client on a held `base_url=`) were told the Public list and field
    ("if the value comes from that API"); they are right as they are."""
    settings = 'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\nSEGMENT_WORKSPACE = "acme"\n'
    svc, client = HELD_SVC, HELD_CLIENT
    if not imported:  # the same code with the base defined here
        svc = svc.replace("from settings import SEGMENT_API\n", settings)
        client = client.replace("from settings import SEGMENT_API, SEGMENT_WORKSPACE\n", settings)
    tree(tmp_path, {"settings.py": settings.encode(), "svc.py": svc.encode(), "client.py": client.encode()})
    outcome = driver.run([tmp_path], write=False, jobs=1)
    found = {Path(r.path).name: r for r in outcome.results}
    shift = 0 if imported else 1  # two lines of constants instead of one import
    assert [(m.line - shift, m.reason) for m in found["svc.py"].markers if m.rule == "rewrite.responses"] == [
        (8, HELD_READ.format("display_name", NAME_HINT)),
        (13, HELD_READ.format("display_name", NAME_HINT)),
    ]
    assert [(m.line - shift, m.reason) for m in found["client.py"].markers if m.rule == "rewrite.responses"] == [
        (17, HELD_READ.format("display_name", NAME_HINT)),
        (27, HELD_READ.format("display_name", NAME_HINT)),
        (28, HELD_READ.format("next_page_token", NEXT_HINT)),
        (30, HELD_READ.format("next_page_token", NEXT_HINT)),
    ]
    assert all(not found[n].changes for n in ("svc.py", "client.py"))
