"""Config field names read in files linked to a Segment API client."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.audit.links import field_reads
from migrator.audit.model import Finding
from migrator.audit.run import audit_paths
from migrator.imports import candidates, import_specs
from migrator.ruleset import RuleSet
from tests.audit.conftest import EXPECTED_TREES, TREES

LINKED = TREES / "linked"
EXPECTED = EXPECTED_TREES / "linked.expected"
UPDATE = os.environ.get("MIGRATOR_UPDATE_EXPECTED") == "1"
WORDS = ("display_name", "catalog_name", "next_page_token", "page_size")
SENT = ("page_size",)


def linked(f: Finding) -> bool:
    """A finding that a link to a Segment client gave."""
    return "calls a Segment API" in f.message or "this file calls the Public API" in f.message


def imported(path: str, text: str) -> list[str]:
    return list(candidates(path, import_specs(path, text)))


@pytest.fixture()
def in_tree(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(LINKED)
    return LINKED


def shown(run) -> list[str]:  # type: ignore[no-untyped-def]
    return shown_of(run.findings)


def shown_of(findings: list[Finding]) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}\t{f.rule}\t{f.text}\t{f.message.rsplit(' (', 1)[-1]}" for f in findings]


def test_exact_findings(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    got = shown(run)
    if UPDATE:
        EXPECTED.write_text("\n".join(got) + "\n", encoding="utf-8")
    assert got == EXPECTED.read_text(encoding="utf-8").splitlines()
    # Readers with no link, writes, attributes: nothing.
    paths = {f.path for f in run.findings}
    assert not paths & {"py/other/unrelated.py", "py/other/util.py", "js/lone.js", "go/other/other.go"}
    assert [(r.path, r.suppressed) for r in run.results if r.suppressed] == [("py/svc/views.py", 1)]


def test_every_file_is_counted_once_and_parallel_agrees(
    in_tree: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrator.audit import run as run_module

    files = sum(len(names) for _, _, names in os.walk("."))
    serial = audit_paths([Path(".")], pinned_rules, precise=False)
    # Files kept only for their links are counted with the clean ones.
    assert all(r.findings or r.suppressed for r in serial.results)
    assert len(serial.results) + sum(serial.clean.values()) == files
    monkeypatch.setattr(run_module, "CHUNK", 2)  # force the workers on a small tree
    parallel = audit_paths([Path(".")], pinned_rules, jobs=2, precise=False)
    assert parallel.findings == serial.findings
    assert parallel.clean == serial.clean


def test_with_the_codemod_python_reads_are_what_the_rewrite_marks(in_tree: Path, pinned_rules: RuleSet) -> None:
    """A linked Python file is read as `migrator rewrite` reads it: its
    findings are the markers the rewrite writes there (same rule, line and
    words, so a baseline keeps them across the rewrite), and need a person."""
    from dataclasses import replace

    from migrator.rewrite import driver

    run = audit_paths([Path(".")], pinned_rules, auditor=Auditor(pinned_rules))
    plain = audit_paths([Path(".")], pinned_rules, precise=False)
    python = {
        f.path for f in plain.findings if (linked(f) or "uses a Segment API" in f.message) and f.path.endswith(".py")
    }
    assert {"py/svc/public.py", "py/svc/report.py", "py/use_pkg.py"} <= python
    core = replace(driver.default_core(), load_rules=lambda: pinned_rules)
    rewrite = driver.run([Path(".")], write=False, force=True, jobs=1, core=core)
    marks = sorted(
        (r.path, m.line, m.rule, m.reason) for r in rewrite.results if r.path in python for m in r.markers
    )
    found = sorted(
        (f.path, f.line, f.rule, f.message) for f in run.findings if f.path in python and f.kind == "rewrite"
    )
    assert found == marks and len({path for path, *_ in found}) == len(python)
    assert {f.fix for f in run.findings if f.path in python} == {"manual"}
    # other languages: as the text search finds them
    def others(findings: list[Finding]) -> list[tuple[str, int, int, str, object]]:
        return [(f.path, f.line, f.column, f.rule, f.fix) for f in findings if linked(f) and not f.path.endswith(".py")]

    assert others(run.findings) == others(plain.findings) != []


IMPORTERS = ["py/svc/report.py", "py/svc/views.py", "py/svc/public_report.py", "py/use_pkg.py", "js/esm.ts",
             "js/view.ts", "js/use_lib.ts", "go/cmd/main.go", "go/segment/types.go", "rb/report.rb",
             # imported by a client of the same folder
             "py/svc/labels.py", "js/types.ts"]


@pytest.mark.parametrize("reader", IMPORTERS)
def test_a_reader_audited_alone_finds_the_client_it_imports_on_disk(
    in_tree: Path, pinned_rules: RuleSet, reader: str,
) -> None:
    """As a pre-commit run that holds only the changed file: the same
    findings as in a run of the whole tree."""
    alone = audit_paths([Path(reader)], pinned_rules, precise=False)
    whole = [f for f in audit_paths([Path(".")], pinned_rules, precise=False).findings if f.path == reader]
    assert whole and shown(alone) == shown_of(whole)


def test_a_reader_alone_with_no_client_on_disk_has_no_link(in_tree: Path, pinned_rules: RuleSet) -> None:
    run = audit_paths([Path("py/other/unrelated.py"), Path("js/lone.js")], pinned_rules, precise=False)
    assert run.findings == [] and sum(run.clean.values()) == 2


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("a/b/m.py", "import x.y as z, w\n", {"a/b/x/y.py", "a/x/y.py", "x/y.py", "a/b/w.py", "w/__init__.py"}),
        ("a/b/m.py", "from .c import d\n", {"a/b/c.py", "a/b/c/d.py", "a/b/c/d/__init__.py"}),
        ("a/b/m.py", "from .. import (\n    e,\n    f as g,\n)\n", {"a/e.py", "a/f.py"}),
        ("a/b/m.py", "from p.q import *\n", {"p/q.py", "a/p/q/__init__.py"}),
        ("web/v.ts", "import { a } from './c';\nconst b = require('../d');\n", {"web/c.ts", "web/c/index.js", "d.js"}),
        ("web/v.ts", "export * from './e.js';\nimport('./f');\n", {"web/e.ts", "web/e.js", "web/f.tsx"}),
        ("web/v.js", "import a from './a'; import b from '../b'; const c = require('./c')\n", {"web/a.js", "b.js", "web/c.js"}),
        ("lib/r.rb", "require_relative '../client'\nrequire_relative('x.rb')\n", {"client.rb", "lib/x.rb"}),
    ],
)
def test_imported_files(path: str, text: str, expected: set[str]) -> None:
    assert expected <= set(imported(path, text))


def test_imports_that_name_no_file_of_the_tree() -> None:
    assert not any(p.endswith("os.py") and "/" in p[:-5] for p in imported("m.py", "import os\n"))
    assert list(imported("w/v.ts", "import x from 'react';\n")) == []
    assert list(imported("notes.txt", "import x\n")) == []


def test_go_packages_of_the_module(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.21\n")
    main = str(tmp_path / "cmd" / "main.go")
    text = 'package main\n\nimport (\n\t"fmt"\n\tseg "example.com/app/internal/segment"\n)\n'
    assert list(imported(main, text)) == [str(tmp_path / "internal" / "segment")]
    assert list(imported(main, 'package main\nimport "example.com/other/x"\n')) == []


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        ("python", 's["display_name"] + s.get("catalog_name", "") + t[ "next_page_token" ]',
         ["display_name", "catalog_name", "next_page_token"]),
        ("python", '{"display_name": x}; s.display_name; display_name = 1; s["display_names"]', []),
        ("go", 'Name string `json:"display_name,omitempty"`; m["catalog_name"]', ["display_name", "catalog_name"]),
        ("js", "p.display_name; p?.catalog_name; p.display_namex; `${p['next_page_token']}`",
         ["display_name", "catalog_name", "next_page_token"]),
        ("js", "const display_name = 1; ({ catalog_name: 2, ...display_name })", []),
        ("js", "interface Source {\n  display_name: string;\n  readonly catalog_name?: string | null;\n}\n",
         ["display_name", "catalog_name"]),
        ("js", "switch (x) {\n  case 1:\n    display_name\n}\nlabel: for (;;) {}\n", []),
        ("ruby", "s[:display_name] + s.fetch('catalog_name')", ["display_name", "catalog_name"]),
        # every key of a reader of several: dig, values_at, fetch_values (strings, and symbols in Ruby)
        ("ruby", "s.dig('source', 'display_name'); s.values_at(\"catalog_name\", 'next_page_token')",
         ["display_name", "catalog_name", "next_page_token"]),
        ("ruby", "s.dig(:source, 0, :display_name)\ns.fetch_values('x', :catalog_name)", ["display_name", "catalog_name"]),
        ("ruby", "s.dig(@kind, 'display_name'); s.values_at(x, to_s('catalog_name')); dig(:display_name)", ["display_name"]),
        ("js", "s.dig(:display_name, :catalog_name)", []),
        ("python", "s[:display_name]", []),
        ("python", 'params = {"page_size": 100, "display_name": 1}; x.page_size; "page_size"', ["page_size"]),
        ("js", "fetch(url, { body: JSON.stringify({ 'page_size' : 5 }) })", ["page_size"]),
        # destructured keys are reads; an object literal the file builds is not
        ("js", "const { display_name, write_keys } = s;", ["display_name"]),
        ("js", "let {\n  catalog_name: slug,\n  next_page_token\n} = await page();", ["catalog_name", "next_page_token"]),
        ("js", "for (const { display_name } of sources) {}", ["display_name"]),
        ("js", "const o = { display_name, write_keys };\nif (a == { display_name }) {}", []),
        # a method called is the code's own: `seg.display_name('web')`
        ("js", "await seg.display_name('web'); seg.catalog_name (x); f(s.next_page_token);", ["next_page_token"]),
    ],
)
def test_reads_of_field_names(lang: str, text: str, found: list[str]) -> None:
    where = {w: [m.start() for m in re.finditer(re.escape(w), text)] for w in WORDS}
    got = sorted(field_reads(text, where, WORDS, lang, SENT))
    assert [w for _, w in got] == found
    assert all(text.startswith(w, at) for at, w in got)


@pytest.mark.skipif(os.name != "posix", reason="file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(
    tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = os.path.join(os.fsencode(tmp_path), b"seg\xff")
    os.mkdir(folder)
    with open(os.path.join(folder, b"client.go"), "wb") as f:
        f.write(b'package seg\nconst Base = "https://platform.segmentapis.com/v1beta"\n')
    with open(os.path.join(folder, b"types.go"), "wb") as f:
        f.write(b'package seg\ntype S struct {\n\tN string `json:"display_name"`\n}\n')
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    found = [f for f in run.findings if linked(f)]
    assert [(f.path, f.text) for f in found] == [("seg\ufffd/types.go", "display_name")]
    assert "`seg\ufffd/client.go`, in the same Go package" in found[0].message
    assert found[0].message.encode("utf-8")  # no lone surrogate left


def test_folders_a_run_walks_whole() -> None:
    from migrator.imports import covering, walks_all

    covered = covering(["py/svc", "js/"])
    assert [covered(f) for f in ("py/svc", "py/svc/sub", "py/svcx", "py", "js", "")] == [True, True, False, False, True, False]
    assert walks_all(["py", "./"]) and not walks_all(["py", "js"]) and not walks_all([])


def test_a_file_calling_the_public_api_and_another_api_on_one_line(tmp_path: Path, pinned_rules: RuleSet) -> None:
    """The keys on the line of the other API's call are that API's, and so
    are the fields read off its response (`r`, bound once to it)."""
    (tmp_path / "sync.py").write_text(
        'SEGMENT = "https://api.segmentapis.com"\n'
        'r = requests.get("https://www.googleapis.com/youtube/v3/playlists", params={"page_size": 5})\n'
        'print(r.json()["display_name"])\n',
        encoding="utf-8",
    )
    run = audit_paths([tmp_path], pinned_rules, precise=False)
    assert [(f.line, f.rule, f.text) for f in run.findings] == []


def test_a_linked_python_file_is_read_once_with_a_cache(
    in_tree: Path, pinned_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The codemod's findings there depend on the file and why it is linked
    (the key holds both); a second run reads them from the cache."""
    from migrator.audit import python

    calls: list[str] = []
    real = python.codemod_findings

    def counted(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(python, "codemod_findings", counted)
    first = audit_paths([Path(".")], pinned_rules, cache=tmp_path / "cache")
    assert "py/svc/report.py" in calls
    calls.clear()
    second = audit_paths([Path(".")], pinned_rules, cache=tmp_path / "cache")
    assert calls == []
    assert second.findings == first.findings == audit_paths([Path(".")], pinned_rules).findings


def test_a_codemod_failure_in_a_linked_python_file_is_not_cached(
    in_tree: Path, pinned_rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As for a file of the run (`Auditor._precise`): a codemod bug leaves
    the text search's findings, and the next run reads the file again."""
    from migrator.audit import python

    real = python.codemod_findings

    def broken(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path == "py/svc/report.py":
            raise RuntimeError("a codemod bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(python, "codemod_findings", broken)
    audit_paths([Path(".")], pinned_rules, cache=tmp_path / "cache")
    monkeypatch.setattr(python, "codemod_findings", real)
    again = audit_paths([Path(".")], pinned_rules, cache=tmp_path / "cache")
    assert again.findings == audit_paths([Path(".")], pinned_rules).findings


def test_every_key_a_ruby_reader_of_several_reads(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dig` reads each of its keys, `values_at` every one: not only the first."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "lib" / "segment_client.rb").write_text('BASE = "https://platform.segmentapis.com/v1beta"\n', encoding="utf-8")
    (tmp_path / "app" / "presenter.rb").write_text(
        "require_relative '../lib/segment_client'\n"
        "class Presenter\n"
        "  def created = @src.dig('source', 'create_time')\n"
        '  def keys = @src.dig("write_keys", 0)\n'
        "  def plan = @src.values_at('display_name', 'catalog_name')\n"
        "end\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path("app/presenter.rb")], pinned_rules, precise=False)
    assert [(f.line, f.column, f.rule, f.text) for f in run.findings] == [
        (3, 37, "source.fields", "create_time"),
        (4, 24, "source.fields", "write_keys"),
        (5, 30, "audit.config-field", "display_name"),
        (5, 46, "source.fields", "catalog_name"),
    ]


def test_a_resource_name_taken_apart_is_the_only_read_of_a_linked_file(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`dest["name"].split("/")[-1]` (a slug parsed out of a Config resource
    name) is what `migrator rewrite` marks in a file importing a Segment
    client; precise mode reads that file with the codemod although it reads
    no Config-only field name. A `name` read alone, or split in a file with
    no link, is no finding; the text scan (`--no-precise`) reports none. But
    a rewrite with ids, which moves the call, marks the `name` read alone:
    that marker is a person's (it was missing before)."""
    from dataclasses import replace

    from migrator.rewrite import driver

    files = {
        "segclient.py": 'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
                        "def get_destination(ws, src, dest):\n"
                        '    return requests.get(f"{API}/workspaces/{ws}/sources/{src}/destinations/{dest}").json()\n',
        "cli.py": "from segclient import get_destination\n\n\ndef show():\n"
                  '    dest = get_destination("acme", "web", "google-analytics")\n'
                  '    print(dest["name"], dest["enabled"])\n'
                  '    print(dest["name"].split("/")[-1])\n',
        "plain.py": "from segclient import get_destination\n\n\n"
                    'print(get_destination("acme", "web", "ga")["name"])\n',
        "unrelated.py": 'image = {"name": "org/app"}\nprint(image["name"].split("/")[-1])\n',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    precise = audit_paths([Path(".")], real_rules, auditor=Auditor(real_rules))
    core = replace(driver.default_core(), load_rules=lambda: real_rules)
    rewrite = driver.run([Path(".")], write=False, force=True, jobs=1, core=core)
    marks = [(r.path, m.line, m.rule, m.reason) for r in rewrite.results if r.path != "segclient.py"
             for m in r.markers]
    reason = (
        "`name` looks like a Config API field, and this file imports `segclient.py`, which uses a Segment API: "
        "if the value comes from that API, read the Public field instead (`slug` for a catalog-source, "
        "catalog-destination, source, tracking-plan, workspace; `id` for a filter, function, regulation, "
        "regulation-detail; `metadata.slug` for a destination)"
    )
    assert marks == [("cli.py", 7, "rewrite.responses", reason)]
    # the audit adds that an id run migrates it (`rewrite --ids` reads the slug off `metadata.slug`)
    found = [(f.path, f.line, f.rule, f.message, f.fix) for f in precise.findings if f.path != "segclient.py"]
    whole_name = (
        "the Config `name` (`workspaces/{workspace}/sources/{source}/destinations/{destination}`) has no one "
        "Public field: `id` is the id of the destination `{source}/{destination}`, `metadata.slug` is its "
        "`{destination}` segment, `metadata.id` is the id of the destination-metadata `{destination}`, `sourceId` "
        "is the id of the source `{source}`: adapt this use by hand"
    )
    assert found == [("cli.py", 6, "rewrite.responses", whole_name, "manual"),
                     ("cli.py", 7, "rewrite.responses", reason + "; or let `migrator rewrite --ids FILE "
                      "--lookup-module NAME` migrate it (FILE from `migrator ids`)", "rewrite-with-ids")]
    plain = audit_paths([Path(".")], real_rules, precise=False)
    assert [f.path for f in plain.findings] == ["segclient.py", "segclient.py"]


RULES_PY = '''import requests

PUBLIC = "https://api.segmentapis.com"

SCHEMA = {
    "type": "object",
    "properties": {
        "properties": {
            "type": "object",
            "properties": {
                "display_name": {"type": "string"},
                "page_size": {"type": "integer"},
            },
        }
    },
}


def push(tp_id):
    body = {"rules": [{"type": "TRACK", "key": "Product Viewed", "version": 1, "jsonSchema": SCHEMA}]}
    return requests.patch(f"{PUBLIC}/tracking-plans/{tp_id}/rules", json=body).json()["data"]


def event_props(tp_id):
    rules = requests.get(f"{PUBLIC}/tracking-plans/{tp_id}/rules").json()["data"]["rules"]
    return [r["jsonSchema"]["properties"]["properties"]["properties"].get("display_name") for r in rules]


def old_style(s):
    return requests.get(f"{PUBLIC}/sources", params={"page_size": 10}), s["display_name"]
'''
RULES_JS = '''const PUBLIC = "https://api.segmentapis.com";
export async function props(tp) {
  const r = await fetch(`${PUBLIC}/tracking-plans/${tp}/rules`);
  const { data } = await r.json();
  return data.rules.map((x) => [x.jsonSchema.properties.properties.properties.display_name, x.display_name]);
}
export const schema = { properties: { properties: { properties: { display_name: { type: "string" }, page_size: { type: "integer" } } } } };
'''


@pytest.mark.parametrize("precise", [True, False])
def test_the_event_properties_of_a_tracking_plan_rule_are_no_config_fields(
    tmp_path: Path, pinned_rules: RuleSet, precise: bool,
) -> None:
    """In a file calling the Public API, the keys of a JSON Schema's
    `properties` and the reads through them are the user's event
    properties: no findings there (the keys a request sends and the
    reads off other values still are)."""
    (tmp_path / "rules.py").write_text(RULES_PY, encoding="utf-8")
    (tmp_path / "rules.js").write_text(RULES_JS, encoding="utf-8")
    run = audit_paths([tmp_path], pinned_rules, precise=precise)
    got = [(f.path.rsplit("/", 1)[-1], f.line, f.rule, f.text) for f in run.findings]
    assert got == [
        ("rules.js", 5, "audit.config-field", "display_name"),
        ("rules.py", 30, "pagination.params", "page_size"),
        ("rules.py", 30, "rewrite.responses", "") if precise else ("rules.py", 30, "audit.config-field", "display_name"),
    ]


def test_a_destinations_config_read_in_a_linked_file_is_marked_by_rewrite_and_audit(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A destination's `config` array (one plain word, no `_`) read in a
    module given destinations by a client elsewhere: marked beside the
    `display_name` read, as a read off the migrated call in one file is,
    by the rewrite and the audit alike; a file with no link reads it freely."""
    from dataclasses import replace

    from migrator.rewrite import driver

    files = {
        "api.py": "import requests\n\nimport fmt\n\n\ndef show(src):\n"
                  '    d = requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{src}'
                  '/destinations/google-analytics").json()\n'
                  "    print(fmt.row(d))\n",
        "fmt.py": "def row(dest):\n"
                  '    settings = {c["name"].split("/config/")[-1]: c["value"] for c in dest.get("config", [])}\n'
                  '    a = dest["config"]\n'
                  "    return f\"{dest['display_name']} {settings.get('trackingId', '-')} {len(a)}\"\n",
        "plain.py": 'def row(app):\n    return app["config"], app["display_name"]\n',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    core = replace(driver.default_core(), load_rules=lambda: real_rules)
    rewrite = driver.run([Path(".")], write=False, force=True, jobs=1, core=core)
    marks = [(m.line, m.reason) for r in rewrite.results if r.path == "fmt.py" for m in r.markers]
    why = "and `api.py`, which uses a Segment API, imports this file: if the value comes from that API, read the Public field"
    config = f"`config` looks like a Config API field, {why} instead (`settings`, a map of setting keys to values, not a list of items)"
    name = f"`display_name` looks like a Config API field, {why} instead (`name`; `displayName` for a function)"
    assert marks == [(2, config), (3, config), (4, name)]
    precise = audit_paths([Path(".")], real_rules, auditor=Auditor(real_rules))
    found = [(f.line, f.column, f.rule, f.message) for f in precise.findings if f.path == "fmt.py"]
    assert found == [(2, 70, "rewrite.responses", config), (3, 9, "rewrite.responses", config),
                     (4, 15, "rewrite.responses", name)]
    assert not [f for f in precise.findings if f.path == "plain.py"]
