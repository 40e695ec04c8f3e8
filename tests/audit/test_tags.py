"""How a Python finding goes away (`fix`): by rewrite, with an id map, or by
a person; and the text scanner's findings a change of the codemod covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.rewrite import driver
from migrator.ruleset import RuleSet

REGULATION = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def suppress(user_ids):
    return requests.post(f"{API}/workspaces/acme/regulations",
                         json={"regulation_type": "Suppress_With_Delete",
                               "attributes": {"name": "userId", "values": user_ids}})
'''


def found(tree: Path, files: dict[str, bytes], rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
          ) -> list[tuple[str, int, int, str, str | None]]:
    for name, data in files.items():
        (tree / name).write_bytes(data)
    monkeypatch.chdir(tree)
    run = audit_paths([Path(".")], rules, jobs=1, cache=None)
    return sorted((f.path, f.line, f.column, f.rule, f.fix) for f in run.findings)


def test_a_field_in_a_body_the_codemod_translates_is_that_change(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the body's change spans lines 8 and 9: `regulation_type` in it is no to-do of its own
    assert found(tmp_path, {"reg.py": REGULATION}, real_rules, monkeypatch) == [
        ("reg.py", 3, 7, "host.base-url", "rewrite"),
        ("reg.py", 7, 26, "endpoint.regulations.create", "rewrite"),
        ("reg.py", 8, 31, "endpoint.regulations.create", "rewrite"),
    ]


PLAN = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


def get_plan(plan_id):
    return requests.get(f"{BASE}/tracking-plans/{plan_id}").json()
'''


def test_a_base_and_a_slug_that_ids_and_the_lookup_module_migrate_are_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `rewrite --ids FILE --lookup-module segment_ids` moves the base and wraps `plan_id` in a lookup
    assert found(tmp_path, {"tp.py": PLAN}, real_rules, monkeypatch) == [
        ("tp.py", 3, 8, "rewrite.partial-path", "rewrite-with-ids"),
        ("tp.py", 7, 25, "rewrite.slug-ids", "rewrite-with-ids"),
    ]


def test_a_marker_an_id_map_fixes_is_a_warning_and_a_persons_an_error_of_its_row(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`rewrite.partial-path` is a person's row (an error), but where a run
    with ids migrates the path there is nothing to redesign."""
    anything = PLAN + b'\n\ndef anything(path):\n    return requests.get(f"{BASE}/{path}").json()\n'
    for name, data, severity in (("ids.py", PLAN, "warning"), ("by_hand.py", anything, "error")):
        (tmp_path / name).write_bytes(data)
        monkeypatch.chdir(tmp_path)
        run = audit_paths([Path(name)], real_rules, jobs=1, cache=None)
        assert [(f.line, f.rule, f.severity) for f in run.findings if f.rule == "rewrite.partial-path"][:1] == [
            (3, "rewrite.partial-path", severity)]


def test_the_comment_a_rewrite_left_that_an_id_map_fixes_is_a_warning(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After `migrator rewrite` without ids, the marker comments it wrote
    keep the codemod's tag and so its severity (code scanning showed them as errors)."""
    from migrator.rewrite import driver

    (tmp_path / "tp.py").write_bytes(PLAN)
    monkeypatch.chdir(tmp_path)
    driver.run([Path("tp.py")], force=True, jobs=1)
    assert b"# migrator[rewrite.partial-path]" in (tmp_path / "tp.py").read_bytes()
    run = audit_paths([Path("tp.py")], real_rules, jobs=1, cache=None)
    assert [(f.rule, f.severity, f.fix) for f in run.findings] == [
        ("rewrite.partial-path", "warning", "rewrite-with-ids"), ("rewrite.slug-ids", "warning", "rewrite-with-ids")]


def test_what_a_run_with_ids_still_marks_needs_a_person(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a path that is a value keeps the base on the Config API, ids or not
    anything = PLAN + b'\n\ndef anything(path):\n    return requests.get(f"{BASE}/{path}").json()\n'
    assert found(tmp_path, {"tp.py": anything}, real_rules, monkeypatch) == [
        ("tp.py", 3, 8, "rewrite.partial-path", "manual"),
        ("tp.py", 7, 25, "rewrite.slug-ids", "manual"),
        ("tp.py", 11, 25, "rewrite.partial-path", "manual"),
    ]


def test_a_settings_base_that_moves_with_ids_is_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {
        "settings.py": b'API = "https://platform.segmentapis.com/v1beta"\n',
        "client.py": b'import requests\n\nfrom settings import API\n\n\ndef get_source(slug):\n'
                     b'    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n',
    }
    assert found(tmp_path, files, real_rules, monkeypatch) == [
        ("client.py", 7, 25, "rewrite.slug-ids", "rewrite-with-ids"),
        ("settings.py", 1, 7, "rewrite.partial-path", "rewrite-with-ids"),
    ]


def test_field_names_in_bodies_a_run_with_ids_translates_are_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the base stays with the destination's path, which lacks ids: with them, both bodies are translated
    one_line = REGULATION.replace(b'",\n                         json=', b'", json=').replace(
        b'",\n                               "attributes"', b'", "attributes"')
    files = {"reg.py": one_line + b'''

def disable():
    return requests.patch(f"{API}/workspaces/acme/sources/web/destinations/amplitude",
                          json={"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})
'''}
    assert found(tmp_path, files, real_rules, monkeypatch) == [
        ("reg.py", 3, 7, "rewrite.partial-path", "rewrite-with-ids"),
        ("reg.py", 7, 26, "rewrite.partial-path", "rewrite-with-ids"),
        ("reg.py", 7, 71, "regulation.fields", "rewrite-with-ids"),
        ("reg.py", 11, 27, "rewrite.slug-ids", "rewrite-with-ids"),
        ("reg.py", 12, 69, "update-mask.partial-body", "rewrite-with-ids"),
    ]


# -- the advice that an id map fixes a marker, in its message ---------------------------------------------

ADVICE = "; or let `migrator rewrite --ids FILE --lookup-module NAME` migrate it (FILE from `migrator ids`)"
HELD_BASE = ("Config API path built from parts this rewrite cannot see whole, or not in the table: rebuild it as a "
             "Public API path by hand (see `migrator rules`) (more path is appended to it elsewhere, and its use on "
             "line {} cannot move with it)")
SLUG = ("`/v1beta/workspaces/{workspace}/tracking-plans/{plan}` needs the Public id of the tracking-plan in "
        "`plan_id`: rewrite with an id map and the generated lookup module, or pass the id")


def messages(tree: Path, files: dict[str, bytes], rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
             ) -> list[tuple[int, str, str, str | None]]:
    for name, data in files.items():
        (tree / name).write_bytes(data)
    monkeypatch.chdir(tree)
    run = audit_paths([Path(".")], rules, jobs=1, cache=None)
    return sorted((f.line, f.rule, f.message, f.fix) for f in run.findings)


def test_a_marker_an_id_map_fixes_says_so_before_and_after_the_rewrite(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrator.rewrite import rewrite_bytes

    # the codemod's marker: its message no longer says "by hand" alone
    base = (3, "rewrite.partial-path", HELD_BASE.format(7) + ADVICE, "rewrite-with-ids")
    assert messages(tmp_path, {"tp.py": PLAN}, real_rules, monkeypatch) == [
        base, (7, "rewrite.slug-ids", SLUG, "rewrite-with-ids"),  # it says it itself
    ]
    written = rewrite_bytes(PLAN, real_rules).code
    # only a second run with every id shows an id map fixes it: the rewrite does not make it (it would
    # cost it two more runs of such files), its comment does not say so; the audit, which makes it, does
    assert written.decode().splitlines()[2] == f"# migrator[rewrite.partial-path]: {HELD_BASE.format(9)}"
    # the comment the rewrite left takes the same tag and advice
    assert messages(tmp_path, {"tp.py": written}, real_rules, monkeypatch) == [
        (3, "rewrite.partial-path", HELD_BASE.format(9) + ADVICE, "rewrite-with-ids"),
        (8, "rewrite.slug-ids", SLUG, "rewrite-with-ids"),
    ]


def old_wording(code: bytes) -> bytes:
    """Marker comments as a rewrite of an earlier version wrote them: without the advice."""
    return code.replace(ADVICE.encode(), b"")


def test_a_second_rewrite_over_old_wording_markers_adds_none(real_rules: RuleSet) -> None:
    from migrator.rewrite import rewrite_bytes

    old = old_wording(rewrite_bytes(PLAN, real_rules).code)
    assert ADVICE.encode() not in old and old.count(b"# migrator[") == 2
    assert rewrite_bytes(old, real_rules).code == old
    new = rewrite_bytes(PLAN, real_rules).code
    assert rewrite_bytes(new, real_rules).code == new


def test_a_baseline_of_old_wording_markers_matches_the_new_wording(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from migrator.audit import baseline
    from migrator.rewrite import rewrite_bytes

    new = rewrite_bytes(PLAN, real_rules).code
    monkeypatch.chdir(tmp_path)
    runs = {}
    for name, data in (("plan", PLAN), ("old", old_wording(new)), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tp.py").write_bytes(data)
        monkeypatch.chdir(tmp_path / name)
        runs[name] = audit_paths([Path(".")], real_rules, jobs=1, cache=None).findings
    # an old-wording comment: no comment in the file says the rewrite had ids, so it takes the codemod's tag
    assert [(f.line, f.fix) for f in runs["old"]] == [(3, "rewrite-with-ids"), (8, "rewrite-with-ids")]
    assert [(f.line, f.fix) for f in runs["new"]] == [(3, "rewrite-with-ids"), (8, "rewrite-with-ids")]
    for before in ("plan", "old"):
        recorded = [tuple(e.get(k) for k in ("fingerprint", "said", "about") if e.get(k))
                    for e in json.loads(baseline.dump(runs[before]))["findings"]]
        assert baseline.new_findings(runs["new"], recorded) == ([], 2), before


def test_what_a_marker_says_is_fingerprinted_without_the_advice() -> None:
    from migrator.audit.baseline import with_fingerprints
    from migrator.audit.model import Finding

    def said(message: str) -> str:
        marker = Finding("tp.py", 3, 1, "rewrite.partial-path", "error", message, "", "marker")
        return with_fingerprints([marker], lambda _: "BASE = 1")[0].said_print

    # the line the comment points at may change with the rewrite: what it says must match then
    assert said(HELD_BASE.format(9) + ADVICE) == said(HELD_BASE.format(9)) != ""


READS = b'''import requests


def sync():
    seg = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()
    for s in seg["sources"]:
        print(s["display_name"])
'''


def test_a_change_a_run_without_ids_makes_is_fixable_by_rewrite_whatever_its_rows_safety(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `source.fields` is a `needs-ids` row, but `display_name` → `name` needs no id
    assert real_rules.by_id["source.fields"].safety == "needs-ids"
    assert found(tmp_path, {"b.py": READS}, real_rules, monkeypatch) == [
        ("b.py", 5, 11, "pagination.params", "rewrite"),
        ("b.py", 5, 24, "endpoint.sources.list", "rewrite"),
        ("b.py", 6, 14, "envelope.list", "rewrite"),
        ("b.py", 7, 15, "source.fields", "rewrite"),
    ]


ENVELOPE = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta"


def sources():
    body = requests.get(f"{BASE}/workspaces/acme/sources").json()
    print(body["next_page_token"])
    return body["sources"]


def source(slug):
    return requests.get(f"{BASE}/workspaces/acme/sources/{slug}").json()
'''


def test_the_envelope_read_of_a_call_that_moves_with_ids_is_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`rewrite --ids FILE --lookup-module segment_ids` moves the list call
    with the path that lacks an id, and reads `body["data"]["sources"]`: a
    finding of its own, before a rewrite without ids and after it (its
    marker comments say nothing of that line)."""
    from migrator.rewrite import rewrite_bytes

    files = {"client.py": ENVELOPE}
    assert found(tmp_path, files, real_rules, monkeypatch) == [
        ("client.py", 3, 8, "rewrite.partial-path", "rewrite-with-ids"),
        ("client.py", 7, 25, "rewrite.partial-path", "rewrite-with-ids"),
        ("client.py", 8, 11, "rewrite.responses", "rewrite-with-ids"),
        ("client.py", 9, 12, "envelope.list", "rewrite-with-ids"),
        ("client.py", 13, 25, "rewrite.slug-ids", "rewrite-with-ids"),
    ]
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    said = [f.message for f in run.findings if f.line == 9]
    assert said == ['`migrator rewrite --ids FILE` changes `body["sources"]` to `body["data"]["sources"]`']
    files = {"client.py": rewrite_bytes(ENVELOPE, real_rules).code}
    assert [(line, rule, fix) for _, line, _, rule, fix in found(tmp_path, files, real_rules, monkeypatch)] == [
        (3, "rewrite.partial-path", "rewrite-with-ids"),  # marker comments, on their own lines
        (8, "rewrite.partial-path", "rewrite-with-ids"),
        (10, "rewrite.responses", "rewrite-with-ids"),
        (12, "envelope.list", "rewrite-with-ids"),
        (16, "rewrite.slug-ids", "rewrite-with-ids"),
    ]


def web_source(reads: bytes) -> bytes:
    """A source fetched by slug (the base stays on the Config API without ids), then `reads` printed."""
    return (b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\ndef web_source():\n'
            b'    src = requests.get(f"{API}/workspaces/acme/sources/web").json()\n'
            b'    print(' + reads + b')\n')


def test_each_read_on_a_line_is_tagged_as_the_run_with_ids_treats_that_read(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`rewrite --ids` migrates `write_keys` and still marks `catalog_name`
    (its Public field is only part of the Config value): the tag is decided
    per marker, not for every marker of its row on the line."""
    code = web_source(b'src["catalog_name"], src["write_keys"]')
    reads = [f for f in found(tmp_path, {"app.py": code}, real_rules, monkeypatch) if f[3] == "rewrite.responses"]
    assert reads == [("app.py", 8, 11, "rewrite.responses", "manual"),
                     ("app.py", 8, 32, "rewrite.responses", "rewrite-with-ids")]


def test_stacked_marker_comments_each_take_the_tag_of_the_read_they_name(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrator.rewrite import rewrite_bytes

    # `rewrite --ids` migrates both reads: both comments are fixable with ids
    both = rewrite_bytes(web_source(b'src["write_keys"], src["display_name"]'), real_rules).code
    assert [f for f in found(tmp_path, {"app.py": both}, real_rules, monkeypatch) if f[3] == "rewrite.responses"] == [
        ("app.py", 10, 5, "rewrite.responses", "rewrite-with-ids"),
        ("app.py", 11, 5, "rewrite.responses", "rewrite-with-ids")]
    # it marks `catalog_name` (saying something else): that comment needs a person, the other does not
    one = rewrite_bytes(web_source(b'src["catalog_name"], src["write_keys"]'), real_rules).code
    assert [f for f in found(tmp_path, {"app.py": one}, real_rules, monkeypatch) if f[3] == "rewrite.responses"] == [
        ("app.py", 10, 5, "rewrite.responses", "manual"),
        ("app.py", 11, 5, "rewrite.responses", "rewrite-with-ids")]


LIST_CLIENT = (b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta/workspaces/acme"\n\n\n'
               b'def list_sources():\n    return requests.get(API + "/sources").json()["sources"]\n')
SLUG_CLIENT = (b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
               b'def get_source(slug):\n    return requests.get(f"{API}/workspaces/acme/sources/{slug}").json()\n')


def test_reads_in_another_module_are_tagged_as_a_rewrite_of_the_run_treats_them(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`migrator rewrite .` follows what `list_sources` gives back into
    report.py: `display_name` becomes `name` there (fixable by rewrite), and
    `catalog_name` is marked with the rewrite's own message."""
    report = (b'from client import list_sources\n\n\ndef main():\n    for s in list_sources():\n'
              b'        print(s["display_name"], s["catalog_name"])\n')
    (tmp_path / "client.py").write_bytes(LIST_CLIENT)
    (tmp_path / "report.py").write_bytes(report)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    assert [(f.line, f.column, f.rule, f.message, f.fix) for f in run.findings if f.path == "report.py"] == [
        (6, 15, "source.fields", '`migrator rewrite` changes `s["display_name"]` to `s["name"]`', "rewrite"),
        (6, 34, "rewrite.responses", "the Public field `metadata.slug` is not the Config `catalog_name` (only the "
         "`slug` part of the Config value): adapt this use by hand", "manual"),
    ]


def test_reads_in_another_module_that_a_rewrite_with_ids_migrates_are_fixable_with_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `get_source`'s path only moves with ids: so do the reads of what it gives back, but `catalog_name`
    report = b'from client import get_source\n\n\ndef show():\n    s = get_source("web")\n' \
             b'    print(s["write_keys"], s["catalog_name"])\n'
    assert [f for f in found(tmp_path, {"client.py": SLUG_CLIENT, "report.py": report}, real_rules, monkeypatch)
            if f[0] == "report.py"] == [
        ("report.py", 6, 11, "rewrite.responses", "rewrite-with-ids"),
        ("report.py", 6, 28, "rewrite.responses", "manual"),
    ]
    # with ids, a marker of another read on the line (`s["name"]`, not reported) is not in `display_name`'s stead
    other = report.replace(b's["write_keys"], s["catalog_name"]', b's["name"], s["display_name"]')
    assert [f for f in found(tmp_path, {"report.py": other}, real_rules, monkeypatch) if f[0] == "report.py"] == [
        ("report.py", 6, 22, "rewrite.responses", "rewrite-with-ids")]
    (tmp_path / "report.py").write_bytes(report)
    # a run of report.py alone does not follow `get_source` (nor does `migrator rewrite report.py`)
    run = audit_paths([Path("report.py")], real_rules, jobs=1, cache=None)
    assert [(f.line, f.column, f.fix) for f in run.findings] == [(6, 11, "manual"), (6, 28, "manual")]



def test_a_path_that_moves_with_its_base_is_not_said_to_change_into_itself(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the base ends at the workspace: its change (the host finding) moves `API + "/sources"` as it is
    assert [m for m in messages(tmp_path, {"client.py": LIST_CLIENT}, real_rules, monkeypatch)
            if m[1] in ("host.base-url", "endpoint.sources.list")] == [
        (3, "host.base-url", '`migrator rewrite` changes `"https://platform.segmentapis.com/v1beta/workspaces/acme"`'
         ' to `"https://api.segmentapis.com"`', "rewrite"),
        (7, "endpoint.sources.list", '`migrator rewrite` leaves `API + "/sources"` as it is: it calls the Public API'
         ' once the base it is joined to moves', "rewrite"),
    ]



REPORT_READS = [
    (6, "rewrite.responses", "manual", "the Public field `metadata.slug` is not the Config `catalog_name` (only "
     "the `slug` part of the Config value): adapt this use by hand"),
    (6, "source.fields", "rewrite", '`migrator rewrite` changes `s["display_name"]` to `s["name"]`'),
]
"""What report.py's reads of what `list_sources` gives back are, in the audit as in a rewrite of the run."""


def _assert_report_reads(findings: list, real_rules: RuleSet) -> None:
    audited = sorted((f.line, f.rule, f.fix, f.message) for f in findings if f.path == "report.py")
    assert audited == _as_the_rewrite_does(real_rules, "report.py") == REPORT_READS

def _as_the_rewrite_does(rules: RuleSet, path: str) -> list[tuple[int, str, str, str]]:
    """(line, rule, fix, message) of what `migrator rewrite .` changes and marks in `path`, as the audit says it."""
    result = next(r for r in driver.run([Path(".")], write=False, jobs=1).results if r.path == path)
    changes = [(c.line, c.rule, "rewrite", f"`migrator rewrite` changes `{c.before}` to `{c.after}`")
               for c in result.changes]
    return sorted([*changes, *((m.line, m.rule, "manual", m.reason) for m in result.markers)])


@pytest.mark.parametrize("between", [1, 3])
def test_reads_modules_away_from_the_client_are_tagged_as_a_rewrite_of_the_run_treats_them(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch, between: int,
) -> None:
    """`migrator rewrite .` follows what `list_sources` gives back through
    modules calling no API (m1.py: `def give(): return list_sources()`), up
    to four modules from the client: so does the audit."""
    (tmp_path / "client.py").write_bytes(LIST_CLIENT)
    given = "from client import list_sources as give"
    for n in range(1, between + 1):
        (tmp_path / f"m{n}.py").write_bytes(f"{given}\n\n\ndef gives():\n    return give()\n".encode())
        given = f"from m{n} import gives as give"
    (tmp_path / "report.py").write_bytes(
        f'{given}\n\n\ndef main():\n    for s in give():\n        print(s["display_name"], s["catalog_name"])\n'
        .encode())
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    _assert_report_reads(run.findings, real_rules)
    assert [f.path for f in run.findings if f.path.startswith("m")] == []  # the modules between read nothing
    # a run of report.py alone does not follow `give` (nor does `migrator rewrite report.py`)
    assert [f for f in audit_paths([Path("report.py")], real_rules, jobs=1, cache=None).findings] == []


def test_reads_of_what_a_client_on_a_shared_base_gives_back_are_tagged_as_a_rewrite_of_the_run_treats_them(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """client.py joins its path to `API` of settings.py: a rewrite of the run
    moves them together, and follows what `list_sources` gives back into
    report.py; the audit reads client.py with the same plan, and follows it too."""
    (tmp_path / "settings.py").write_bytes(b'API = "https://platform.segmentapis.com/v1beta"\n')
    (tmp_path / "client.py").write_bytes(
        b'import requests\n\nfrom settings import API\n\n\ndef list_sources():\n'
        b'    return requests.get(API + "/workspaces/acme/sources").json()["sources"]\n')
    (tmp_path / "report.py").write_bytes(b'from client import list_sources\n\n\ndef main():\n'
                                         b'    for s in list_sources():\n'
                                         b'        print(s["display_name"], s["catalog_name"])\n')
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    _assert_report_reads(run.findings, real_rules)


WORKSPACES = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def plans():
    for workspace in ("acme", "globex"):
        requests.get(f"{API}/workspaces/{workspace}/tracking-plans")


def acme_sources():
    return requests.get(f"{API}/workspaces/acme/sources")


def other_sources():
    return requests.get(f"{API}/workspaces/other/sources")
'''


def test_calls_for_several_workspaces_are_a_persons_with_or_without_ids(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # an id map is for one workspace: the run with every id marks them as the rewrite does, and keeps the base
    assert found(tmp_path, {"ws.py": WORKSPACES}, real_rules, monkeypatch) == [
        ("ws.py", 3, 7, "rewrite.partial-path", "manual"),
        ("ws.py", 8, 22, "rewrite.other-workspace", "manual"),
        ("ws.py", 12, 25, "rewrite.other-workspace", "manual"),
        ("ws.py", 16, 25, "rewrite.other-workspace", "manual"),
    ]


MISTYPED = b'''import requests

API = "https://platform.segmentapis.com/v1beta/workspaces/acme"


def off():
    body = {"destination": {"enabled": "false"}, "update_mask": {"paths": ["destination.enabled"]}}
    return requests.patch(API + "/sources/js/destinations/amplitude", json=body).json()


def on():
    body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}
    return requests.patch(API + "/sources/js/destinations/amplitude", json=body).json()
'''


def test_a_slug_marker_names_what_the_run_with_ids_still_marks_in_its_stead(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `migrator ids` is not the whole to-do of `off()`: its body's value is of the wrong type
    (tmp_path / "a.py").write_bytes(MISTYPED)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    slugs = [(f.line, f.fix, f.message) for f in run.findings if f.rule == "rewrite.slug-ids"]
    path = "`/v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}`"
    needs = (f"{path} needs the Public id of destination `js/amplitude`: "
             "run `migrator ids`, then `migrator rewrite --ids FILE`")
    assert slugs == [
        (8, "manual", f"{needs}; once it has the ids, `migrator rewrite --ids FILE` still marks it: the request body "
                      f"of `PATCH {path[1:-1]}` must change too (`destination.enabled`: the Public field 'enabled' "
                      "takes boolean, not \"false\": the Public API would likely refuse it; write a value of that "
                      "type): `PATCH …/destinations/{destination}` with an update mask becomes "
                      "`PATCH /destinations/{destinationId}` with a partial body."),
        (13, "rewrite-with-ids", needs),
    ]


def test_a_baseline_knows_that_slug_marker_after_the_rewrite(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rewrite's comment says only the marker's own message: the audit's
    addition is no part of what it says (`said_print`), nor of its tag."""
    from migrator.audit import baseline
    from migrator.rewrite import rewrite_bytes

    (tmp_path / "a.py").write_bytes(MISTYPED)
    monkeypatch.chdir(tmp_path)
    before = audit_paths([Path(".")], real_rules, jobs=1, cache=None).findings
    (tmp_path / "base.json").write_text(baseline.dump(before))
    (tmp_path / "a.py").write_bytes(rewrite_bytes(MISTYPED, real_rules).code)
    after = audit_paths([Path("a.py")], real_rules, jobs=1, cache=None).findings
    assert [(f.line, f.rule, f.fix) for f in after if f.rule == "rewrite.slug-ids"] == [
        (9, "rewrite.slug-ids", "manual"), (15, "rewrite.slug-ids", "rewrite-with-ids")]
    assert [f.message for f in after if f.line == 9] == [f.message for f in before if f.line == 8]
    assert baseline.new_findings(after, baseline.load(tmp_path / "base.json"))[0] == []
