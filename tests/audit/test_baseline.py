"""Fingerprints survive lines moving; the baseline file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.audit import baseline
from migrator.audit.core import Auditor

SOURCE = 'import requests\nA = "https://platform.segmentapis.com"\nB = "https://platform.segmentapis.com"\nA = "https://platform.segmentapis.com"\n'


def prints(auditor: Auditor, source: str, path: str = "a.py") -> list[str]:
    return [f.fingerprint for f in auditor.scan(path, source.encode()).findings]


def test_fingerprints_are_the_documented_hash_so_baselines_outlive_versions(text_auditor: Auditor) -> None:
    """sha256 of rule, path, the line's text with whitespace collapsed and
    the occurrence, joined by NUL (the module's docstring): a baseline
    written by another version of migrator still matches."""
    import hashlib

    def documented(rule: str, text: str, occurrence: int) -> str:
        key = "\0".join((rule, "a.py", " ".join(text.split()), str(occurrence)))
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    found = text_auditor.scan("a.py", SOURCE.encode()).findings
    lines = SOURCE.splitlines()
    occurrences: dict[str, int] = {}
    expected = []
    for f in found:
        text = lines[f.line - 1]
        expected.append(documented(f.rule, text, occurrences.get(text, 0)))
        occurrences[text] = occurrences.get(text, 0) + 1
    assert [f.fingerprint for f in found] == expected
    assert len(set(expected)) == 3  # the two same lines told apart


def test_line_shifts_keep_fingerprints(text_auditor: Auditor) -> None:
    before = prints(text_auditor, SOURCE)
    after = prints(text_auditor, "# a new comment\n\n" + SOURCE.replace("import requests\n", "import requests\n\n\n"))
    assert before == after and len(set(before)) == 3


def test_identical_lines_are_told_apart_by_occurrence(text_auditor: Auditor) -> None:
    first, _, third = prints(text_auditor, SOURCE)
    assert first != third


def test_editing_the_line_or_moving_the_file_is_a_new_finding(text_auditor: Auditor) -> None:
    before = prints(text_auditor, SOURCE)
    assert prints(text_auditor, SOURCE.replace('B = "', 'C = "'))[1] != before[1]
    assert prints(text_auditor, SOURCE, "b.py")[0] != before[0]
    assert prints(text_auditor, SOURCE.replace("\n", "\n   "))[:1] == before[:1]  # indentation is not content


def test_new_findings_against_a_baseline(text_auditor: Auditor, tmp_path: Path) -> None:
    old = text_auditor.scan("a.py", SOURCE.encode()).findings
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dump(old))
    known = baseline.load(path)
    grown = text_auditor.scan("a.py", ("\n\n" + SOURCE + 'D = "https://platform.segmentapis.com"\n').encode()).findings
    fresh, seen = baseline.new_findings(grown, known)
    assert seen == 3 and [(f.line, f.text) for f in fresh] == [(7, "https://platform.segmentapis.com")]
    data = json.loads(path.read_text())
    assert data["format"] == "migrator.audit-baseline" and data["findings"][0]["rule"] == "host.base-url"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_baseline_saved_with_a_bom_is_read(text_auditor: Auditor, tmp_path: Path, encoding: str) -> None:
    """As Notepad saves it, or PowerShell 5.1's `--write-baseline - > file` (UTF-16)."""
    old = text_auditor.scan("a.py", SOURCE.encode()).findings
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dump(old), encoding=encoding)
    assert baseline.new_findings(old, baseline.load(path)) == ([], len(old))


def test_a_marker_is_recorded_with_what_it_says_and_each_entry_matches_once(
    text_auditor: Auditor, tmp_path: Path,
) -> None:
    marked = "# migrator[rewrite.partial-path]: left on the Config API with the URL part on line 3\nA = 1\n"
    old = text_auditor.scan("a.py", marked.encode()).findings
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dump(old))
    [entry] = json.loads(path.read_text())["findings"]
    assert set(entry) == {"fingerprint", "said", "rule", "path", "line"}  # it names nothing first
    # the line it points at edited, and a line number in what it says moved: still known
    edited = marked.replace("line 3", "line 5").replace("A = 1", "A = 2")
    new = text_auditor.scan("a.py", edited.encode()).findings
    assert new[0].fingerprint != old[0].fingerprint
    assert baseline.new_findings(new, baseline.load(path)) == ([], 1)
    twice = text_auditor.scan("a.py", (marked + "\n" + edited).encode()).findings
    assert [f.line for f in baseline.new_findings(twice, baseline.load(path))[0]] == [4]


def test_a_marker_about_the_same_field_is_known_whatever_it_says(text_auditor: Auditor, tmp_path: Path) -> None:
    """The audit marks a field read it cannot place; the rewrite, which could,
    marks the same read saying more (and edits its line): the same to-do."""
    before = "# migrator[rewrite.responses]: `create_time` looks like a Config API field\nx = s['create_time']\n"
    old = text_auditor.scan("a.py", before.encode()).findings
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dump(old))
    assert set(json.loads(path.read_text())["findings"][0]) == {"fingerprint", "said", "about", "rule", "path", "line"}
    after = before.replace("looks like a Config API field", "cannot be read from the Public API").replace("x =", "y =")
    new = text_auditor.scan("a.py", after.encode()).findings
    assert baseline.new_findings(new, baseline.load(path)) == ([], 1)
    other = after.replace("`create_time`", "`write_keys`")
    assert [f.rule for f in baseline.new_findings(text_auditor.scan("a.py", other.encode()).findings,
                                                   baseline.load(path))[0]] == ["audit.rewrite-marker"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "invalid JSON"),
        ('{"format": "other"}', "not a baseline file"),
        ('{"format": "migrator.audit-baseline", "version": 9, "findings": []}', "unsupported baseline version"),
        ('{"format": "migrator.audit-baseline", "version": true, "findings": []}', "unsupported baseline version"),
        ('{"format": "migrator.audit-baseline", "version": 1, "findings": [1]}', "must be a list"),
        ('{"format": "migrator.audit-baseline", "version": 1, "findings": [{"fingerprint": "a", "said": 1}]}',
         "must be a list"),
        ('{"format": "migrator.audit-baseline", "version": 1, "findings": [{"fingerprint": "a", "also": "b"}]}',
         "must be a list"),
        ('{"format": "migrator.audit-baseline", "version": 1, "findings": [{"fingerprint": "a", "also": [1]}]}',
         "must be a list"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(baseline.BaselineError, match=message):
        baseline.load(path)
    with pytest.raises(baseline.BaselineError, match="cannot read"):
        baseline.load(tmp_path / "missing.json")


def _notebook(*source: str) -> bytes:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": list(source)}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1).encode()


CALL = 'r = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")'


def test_a_notebook_line_is_fingerprinted_by_the_code_it_holds(text_auditor: Auditor, tmp_path: Path) -> None:
    import hashlib

    def documented(rule: str, text: str) -> str:
        return hashlib.sha256("\0".join((rule, "nb.ipynb", text, "0")).encode()).hexdigest()[:32]

    before = text_auditor.scan("nb.ipynb", _notebook("import requests\n", CALL)).findings
    # another line appended to the cell: the JSON text of the line above changes (`"…")"` → `"…")\n",`)
    after = text_auditor.scan("nb.ipynb", _notebook("import requests\n", CALL + "\n", "print(r.json())")).findings
    assert [(f.line, f.rule, f.fingerprint) for f in before] == [
        (10, "host.base-url", documented("host.base-url", CALL)),
        (10, "endpoint.sources.list", documented("endpoint.sources.list", CALL)),
    ]
    assert [(f.line, f.rule, f.fingerprint) for f in after] == [(f.line, f.rule, f.fingerprint) for f in before]
    # a baseline of the JSON text's fingerprints (earlier versions) still matches
    raw = json.dumps(CALL)
    old = [{"fingerprint": documented(f.rule, raw), "rule": f.rule, "path": "nb.ipynb", "line": 10} for f in before]
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "migrator.audit-baseline", "version": 1, "findings": old}))
    assert baseline.new_findings(before, baseline.load(path)) == ([], 2)


def test_a_marker_takes_the_entry_about_its_field_before_the_one_of_its_order(
    text_auditor: Auditor, tmp_path: Path,
) -> None:
    """A rewrite writes a marker about `sources` above the one about
    `next_page_token` the baseline knows (saying it differently): the new
    marker is the first of the line now, yet the entry is the other's."""
    token = "# migrator[rewrite.responses]: `next_page_token` looks like a Config API field{}\n"
    read = 'return body["sources"], body.get("next_page_token")\n'
    before = token.format(" read off a value of unproven origin") + read
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dump(text_auditor.scan("a.py", before.encode()).findings))
    after = ("# migrator[rewrite.responses]: `sources` looks like the list of a Config API response\n"
             + token.format(", and this file imports `settings.py`") + read)
    fresh, known = baseline.new_findings(text_auditor.scan("a.py", after.encode()).findings, baseline.load(path))
    assert [(f.line, f.message) for f in fresh] == [
        (1, "`sources` looks like the list of a Config API response"),
    ]
    assert known == 1


def test_a_notebook_keeps_its_fingerprints_however_its_cells_are_saved(text_auditor: Auditor) -> None:
    """Jupyter re-saves a cell whose source is one string, or a list written
    on one line, as a list of one string per line (`indent=1`): each finding
    is fingerprinted by the line of code it is in, whichever way it is stored."""
    import hashlib

    def documented(rule: str, text: str) -> str:
        return hashlib.sha256("\0".join((rule, "nb.ipynb", text, "0")).encode()).hexdigest()[:32]

    code = ["import requests\n", 'BASE = "https://platform.segmentapis.com/v1beta"\n',
            'r = requests.get(f"{BASE}/workspaces/acme/sources", params={"page_size": 10})\n']

    def saved(source: str | list[str], indent: int | None) -> list[tuple[str, str]]:
        cell = {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": source}
        data = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=indent)
        return [(f.rule, f.fingerprint) for f in text_auditor.scan("nb.ipynb", data.encode()).findings]

    expected = [
        ("host.base-url", documented("host.base-url", code[1].strip())),
        ("endpoint.sources.list", documented("endpoint.sources.list", code[2].strip())),
        ("pagination.params", documented("pagination.params", code[2].strip())),
    ]
    assert saved(code, 1) == expected  # as Jupyter saves it
    assert saved(code, None) == expected  # the list on one line
    assert saved("".join(code), None) == expected  # one string
    assert saved("".join(code), 1) == expected


LISTED = 'def list_sources(ws):\n    return requests.get(f"{BASE}/workspaces/{ws}/sources").json()\n'
GOT = 'def get_source(ws, slug):\n    return requests.get(f"{BASE}/workspaces/{ws}/sources/{slug}").json()\n'
PLANS = 'def plans(ws):\n    return requests.get(f"{BASE}/workspaces/{ws}/tracking-plans").json()\n'
CLIENT = 'import requests\n\nBASE = "https://platform.segmentapis.com/v1beta"\n\n\n'
SPREAD = (
    'def list_sources(ws):\n    return requests.get(\n        f"{BASE}/workspaces/{ws}/sources",\n'
    '        timeout=10,\n    ).json()\n'
)
"""`LISTED`'s call spread over lines: the codemod reports its pagination on the first, above the URL."""


def _client(*functions: str) -> str:
    """client.py with these functions (`LISTED`, `SPREAD` again under other names: their lines are the same)."""
    named = (f.replace("list_sources", f"list_{i}") if f in (LISTED, SPREAD) else f for i, f in enumerate(functions))
    return CLIENT + "\n\n".join(named)


def _audit(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from migrator.cli import cli

    result = CliRunner().invoke(cli, ["audit", "--no-cache", *args])
    return result.exit_code, result.stdout


def _found(*args: str) -> tuple[int, list[tuple[str, int, str]]]:
    code, out = _audit("--format", "json", *args)
    return code, [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder to audit, its baseline (`../b.json`) beside it."""
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def test_an_entry_matches_the_rows_its_finding_also_was_once_the_call_holding_it_back_is_gone(tree: Path) -> None:
    """While `get_source` needs an id, the base and the list path joined to
    it stay on the Config API (`rewrite.partial-path`); deleting it frees
    them: the same untouched lines are `host.base-url`, and the list call's
    `endpoint.sources.list` and `pagination.params`, each matching the entry
    of the finding it was (its `also`)."""
    client = tree / "client.py"
    client.write_text(_client(LISTED, GOT))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    entries = json.loads((tree.parent / "b.json").read_text())["findings"]
    assert [(e["line"], e["rule"], len(e["also"])) for e in entries] == [
        (3, "rewrite.partial-path", 1), (7, "rewrite.partial-path", 2), (11, "rewrite.slug-ids", 1),
    ]
    client.write_text(_client(LISTED))
    assert _found() == (1, [
        ("client.py", 3, "host.base-url"), ("client.py", 7, "pagination.params"),
        ("client.py", 7, "endpoint.sources.list"),
    ])
    assert _audit("--baseline", "../b.json") == (0, "0 findings (1 file read, 3 in the baseline).\n")
    # a baseline written before entries recorded `also` still loads; the freed rows are new against it
    old = {**json.loads((tree.parent / "b.json").read_text())}
    old["findings"] = [{k: v for k, v in e.items() if k != "also"} for e in old["findings"]]
    (tree.parent / "old.json").write_text(json.dumps(old))
    assert _found("--baseline", "../old.json") == _found()


def test_an_entry_of_a_held_call_matches_once_per_row_and_a_new_call_is_new(tree: Path) -> None:
    """Two same held lines in the baseline, three freed now (and a call
    added): the third line's findings are new, and so are the new call's."""
    client = tree / "client.py"
    client.write_text(_client(LISTED, LISTED, GOT))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    client.write_text(_client(LISTED, LISTED, LISTED, PLANS))
    assert _found("--baseline", "../b.json") == (1, [
        ("client.py", 15, "pagination.params"), ("client.py", 15, "endpoint.sources.list"),
        ("client.py", 19, "pagination.params"), ("client.py", 19, "endpoint.tracking-plans.list"),
    ])


def test_a_finding_held_back_by_a_new_call_matches_the_entry_of_the_row_it_also_is(tree: Path) -> None:
    """The other way: the baseline knows the base and two same list lines
    migrating; a call needing an id is added and holds them back on the
    Config API: each is its entry's row still, only the new call is new."""
    client = tree / "client.py"
    client.write_text(_client(LISTED, LISTED))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    client.write_text(_client(LISTED, LISTED, GOT))
    assert _found() == (1, [
        ("client.py", 3, "rewrite.partial-path"), ("client.py", 7, "rewrite.partial-path"),
        ("client.py", 11, "rewrite.partial-path"), ("client.py", 15, "rewrite.slug-ids"),
    ])
    assert _found("--baseline", "../b.json") == (1, [("client.py", 15, "rewrite.slug-ids")])


def test_the_pagination_of_a_call_spread_over_lines_matches_the_entry_of_its_held_url(tree: Path) -> None:
    """The pagination of a freed call is reported on the call's first line,
    above the URL line the held finding is on: its entry records it there
    (the second same call as occurrence 1); a third same call is new."""
    client = tree / "client.py"
    client.write_text(_client(SPREAD, SPREAD, GOT))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    client.write_text(_client(SPREAD, SPREAD))
    assert _found() == (1, [
        ("client.py", 3, "host.base-url"), ("client.py", 7, "pagination.params"),
        ("client.py", 8, "endpoint.sources.list"), ("client.py", 14, "pagination.params"),
        ("client.py", 15, "endpoint.sources.list"),
    ])
    assert _audit("--baseline", "../b.json") == (0, "0 findings (1 file read, 5 in the baseline).\n")
    client.write_text(_client(SPREAD, SPREAD, SPREAD))
    assert _found("--baseline", "../b.json") == (1, [
        ("client.py", 21, "pagination.params"), ("client.py", 22, "endpoint.sources.list"),
    ])



def test_the_url_of_a_spread_call_is_the_codemods_by_position_or_keyword(tree: Path) -> None:
    """`request(method, url)` takes the URL second, `url=` anywhere: the
    pagination of each is on its call's first line."""
    request = SPREAD.replace("requests.get(\n", 'requests.request(\n        "GET",\n')
    keyword = SPREAD.replace('        f"{BASE}', '        url=f"{BASE}').replace("list_sources", "list_again")
    client = tree / "client.py"
    client.write_text(_client(request, keyword, GOT))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    client.write_text(_client(request, keyword))
    assert [line for _, line, rule in _found()[1] if rule == "pagination.params"] == [7, 15]
    assert _audit("--baseline", "../b.json") == (0, "0 findings (1 file read, 5 in the baseline).\n")


NAMES = (
    'def names(ws):\n    r = requests.get(f"{BASE}/workspaces/{ws}/sources")\n'
    '    return [s["display_name"] for s in r.json()["sources"]]\n'
)


def test_a_read_marked_while_its_call_was_held_matches_its_entry_as_the_change_it_is_once_freed(tree: Path) -> None:
    """While the call is held, `display_name` is marked (`rewrite.responses`,
    about it); freed, it is `source.fields` changing the same read on the
    same line: it matches that entry (the second same line its own). The
    envelope's `sources`, which nothing marked while held, matches the entry
    of the held URL whose response it reads (`envelope.list`). A third same
    function's reads, and a read on a new line, are new."""
    client = tree / "client.py"
    client.write_text(_client(NAMES, NAMES.replace("names", "again"), GOT))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    entries = json.loads((tree.parent / "b.json").read_text())["findings"]
    assert [(e["line"], e["rule"]) for e in entries if e["rule"] == "rewrite.responses"] == [
        (8, "rewrite.responses"), (13, "rewrite.responses"),
    ]
    client.write_text(_client(NAMES, NAMES.replace("names", "again")))
    assert _found()[1][-2:] == [("client.py", 13, "source.fields"), ("client.py", 13, "envelope.list")]
    assert _audit("--baseline", "../b.json") == (0, "0 findings (1 file read, 9 in the baseline).\n")
    other = NAMES.replace("names", "other").replace("s[", "x[").replace("for s", "for x")
    client.write_text(_client(NAMES, NAMES.replace("names", "again"), NAMES.replace("names", "third"), other))
    assert [(line, rule) for _, line, rule in _found("--baseline", "../b.json")[1] if line in (18, 23)] == [
        (18, "source.fields"), (18, "envelope.list"), (23, "source.fields"), (23, "envelope.list"),
    ]


READS = (
    'def first(ws):\n    r = requests.get(f"{BASE}/workspaces/{ws}/sources")\n'
    '    names = [s["display_name"] for s in r.json()["sources"]]\n    return names\n'
)
"""Reads of the response while the call is held: `display_name` marked, the
envelope's `sources` not (nor shown as the change a run with ids makes,
which is shown only on a line holding no other finding)."""


def test_an_unmarked_read_of_a_held_calls_response_matches_the_entry_of_its_url_once_freed(tree: Path) -> None:
    """While held, `r.json()["sources"]` is no finding; freed, it is
    `envelope.list` changing it: it matches the entry of the held URL. A
    second same line of reads added later in the same function is new."""
    client = tree / "client.py"
    client.write_text(_client(READS, GOT))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    assert [(line, rule) for _, line, rule in _found()[1]][1:3] == [
        (7, "rewrite.partial-path"), (8, "rewrite.responses"),
    ]
    client.write_text(_client(READS))
    assert _found()[1][-1] == ("client.py", 8, "envelope.list")
    assert _audit("--baseline", "../b.json") == (0, "0 findings (1 file read, 5 in the baseline).\n")
    read = READS.splitlines(keepends=True)[2]
    client.write_text(_client(READS.replace(read, read * 2)))
    assert _found("--baseline", "../b.json") == (1, [
        ("client.py", 9, "source.fields"), ("client.py", 9, "envelope.list"),
    ])


def test_the_reads_of_a_call_freed_in_another_module_match_their_markers_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """client.py's call is held by one.py's path through the base they
    share; one.py goes: its reads match the entries of their markers, and
    the answer the test double gives beside its URL, which the codemod
    rewrites once the URL moves (`rewrite.mocks`), the entry of that URL. A
    second same double added later is new."""
    from tests.audit.test_shared_bases import ONE
    from tests.rewrite.test_shared_bases import CLIENT as SHARED, SETTINGS as BASES, TEST

    for name, data in {"app/settings.py": BASES, "app/client.py": SHARED, "tests/test_client.py": TEST,
                       "app/one.py": ONE}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    assert _audit("--write-baseline", "b.json", "app", "tests")[0] == 0
    (tmp_path / "app" / "one.py").unlink()
    assert ("tests/test_client.py", 8, "rewrite.mocks") in _found("app", "tests")[1]
    assert _audit("--baseline", "b.json", "app", "tests") == (0, "0 findings (3 files read, 8 in the baseline).\n")
    double = TEST.splitlines(keepends=True)[7]
    (tmp_path / "tests" / "test_client.py").write_bytes(TEST.replace(double, double * 2))
    assert _found("--baseline", "b.json", "app", "tests") == (1, [
        ("tests/test_client.py", 9, "endpoint.sources.list"), ("tests/test_client.py", 9, "rewrite.mocks"),
        ("tests/test_client.py", 9, "source.fields"),
    ])


SETTINGS = 'SEGMENT_API = "https://platform.segmentapis.com/v1beta"\n'
IMPORTER = 'import requests\n\nfrom settings import SEGMENT_API\n\n\n{}'


def _shared(tree: Path, lines: int) -> str:
    """settings.py and jobs.py (`lines` same list calls joined to the base it
    imports); one.py's text, whose path needs an id, holding them back."""
    (tree / "settings.py").write_text(SETTINGS)
    (tree / "jobs.py").write_text(IMPORTER.format("\n\n".join(
        LISTED.replace("{BASE}", "{SEGMENT_API}").replace("list_sources", f"list_{i}") for i in range(lines)
    )))
    return IMPORTER.format(GOT.replace("{BASE}", "{SEGMENT_API}"))


@pytest.mark.parametrize("lines", [1, 2])
def test_rows_freed_in_other_files_match_the_entries_of_what_they_were(tree: Path, lines: int) -> None:
    """settings.py's base and jobs.py's paths are held back by one.py's
    path, which needs an id; one.py goes: they match their entries as the
    rows they also were."""
    (tree / "one.py").write_text(_shared(tree, lines))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    (tree / "one.py").unlink()
    assert _found()[1] == [
        ("jobs.py", 7 + 4 * i, rule) for i in range(lines) for rule in ("pagination.params", "endpoint.sources.list")
    ] + [("settings.py", 1, "host.base-url")]
    assert _audit("--baseline", "../b.json") == (
        0, f"0 findings (2 files read, {1 + 2 * lines} in the baseline).\n",
    )


def test_rows_held_back_from_another_file_match_their_entries(tree: Path) -> None:
    """The other way: one.py comes, and holds back the base and both same
    lines of jobs.py; only its own path is new."""
    one = _shared(tree, 2)
    assert _audit("--write-baseline", "../b.json")[0] == 0
    (tree / "one.py").write_text(one)
    assert _found("--baseline", "../b.json") == (1, [("one.py", 7, "rewrite.slug-ids")])


NAMED = (
    'def list_sources(ws):\n    url = f"{SEGMENT_API}/workspaces/{ws}/sources"\n    return requests.get(url).json()\n'
    '\n\ndef fetch(url):\n    return requests.get(url).json()\n'
    '\n\ndef helped(ws):\n    return fetch(f"{SEGMENT_API}/workspaces/{ws}/sources")\n'
)
"""A list call whose URL is held in a name (its pagination reported on the
call, below it), one given to a helper of the file (marked at the helper's
call, which cannot see its query) and the helper."""


def test_the_pagination_of_a_call_whose_url_is_named_or_given_to_a_helper_matches_its_held_urls_entry(
    tree: Path,
) -> None:
    """jobs.py's calls, held back by one.py's path: freed, the pagination of
    the call whose URL is bound to a name above it (`pagination.params` on
    the call's line) and the marker of the helper's call (`rewrite.pagination`)
    match the entries of their URLs; the same functions added again are new."""
    (tree / "settings.py").write_text(SETTINGS)
    (tree / "one.py").write_text(IMPORTER.format(GOT.replace("{BASE}", "{SEGMENT_API}")))
    jobs = tree / "jobs.py"
    jobs.write_text(IMPORTER.format(NAMED))
    assert _audit("--write-baseline", "../b.json")[0] == 0
    assert [(p, line) for p, line, _ in _found()[1]] == [
        ("jobs.py", 7), ("jobs.py", 16), ("one.py", 7), ("settings.py", 1),
    ]
    (tree / "one.py").unlink()
    assert _found()[1] == [
        ("jobs.py", 7, "endpoint.sources.list"), ("jobs.py", 8, "pagination.params"),
        ("jobs.py", 16, "rewrite.pagination"), ("jobs.py", 16, "endpoint.sources.list"),
        ("settings.py", 1, "host.base-url"),
    ]
    assert _audit("--baseline", "../b.json") == (0, "0 findings (2 files read, 5 in the baseline).\n")
    again = NAMED.replace("list_sources", "again").split("\n\n\ndef fetch")[0]
    helped = NAMED.split("\n\n\n")[-1].replace("helped", "helped_again")
    jobs.write_text(IMPORTER.format(NAMED + "\n\n" + again + "\n\n" + helped))
    assert _found("--baseline", "../b.json") == (1, [
        ("jobs.py", 20, "endpoint.sources.list"), ("jobs.py", 21, "pagination.params"),
        ("jobs.py", 24, "rewrite.pagination"), ("jobs.py", 24, "endpoint.sources.list"),
    ])
