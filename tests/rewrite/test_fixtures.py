"""Fixture pairs: tests/fixtures/rewrite/<case>/{input.py, expected.py}.

Compared byte for byte. Each case also checks that the output parses, that
a second run changes nothing, and (for left-alone cases, where expected ==
input) that nothing is reported. An optional options.json gives the id map
(`ids`), the `region`, the `lookup_module` and the file's `encoding`.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from types import SimpleNamespace

import libcst as cst
import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.rewrite.source import parses
from migrator.ruleset import load_rules

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite"
CASES = sorted(p.name for p in ROOT.iterdir() if (p / "input.py").is_file())
RULES = load_rules()


def options(case: str) -> dict:
    path = ROOT / case / "options.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def rewrite(case: str, data: bytes):
    opts = options(case)
    ids = IdMap.model_validate(opts["ids"]) if "ids" in opts else None
    return rewrite_bytes(
        data, RULES, ids, region=opts.get("region", "us"), lookup_module=opts.get("lookup_module")
    )


@pytest.mark.parametrize("case", CASES)
def test_fixture(case):
    data = (ROOT / case / "input.py").read_bytes()
    expected = (ROOT / case / "expected.py").read_bytes()
    result = rewrite(case, data)
    assert result.code == expected
    if parses(data):
        ast.parse(result.code)  # the output parses (encoding cookie and BOM included)
    else:  # syntax of a newer Python than this one (`fstrings-nested-quotes` under 3.11): libcst reads it
        cst.parse_module(result.code)
    again = rewrite(case, result.code)
    assert again.code == result.code, "second run is not a no-op"
    assert not again.changes
    if expected == data:
        assert not result.changes and not result.markers, "a left-alone case reported something"
    else:
        assert result.changes or result.markers


LINES = re.compile(r"\bon lines? ((?:\d+, )*\d+(?: and \d+)?)\b|\(line (\d+)\)")


def test_lines_named_in_marker_comments_are_lines_of_the_file_written():
    """A marker comment that names a line names one of the rewritten file, on
    code (not on a marker comment the rewrite put above it)."""
    named = 0
    for case in CASES:
        lines = (ROOT / case / "expected.py").read_bytes().decode("utf-8", "replace").splitlines()
        for text in lines:
            if "# migrator[" not in text:
                continue
            for found in LINES.finditer(text):
                for number in re.findall(r"\d+", found.group(1) or found.group(2)):
                    named += 1
                    target = lines[int(number) - 1].strip()
                    assert target and not target.startswith("#"), (case, text, number)
    assert named > 20


def test_fixture_set_covers_the_patterns():
    wanted = {
        "constants", "fstrings", "format_templates", "percent_templates", "plus_concatenation",
        "urljoin", "class_attributes", "hostless_v1beta", "requests_client", "httpx_client",
        "urllib_client", "access_tokens", "mixed_old_new", "crlf", "bom", "latin1_cookie",
        "already_migrated", "partial_paths", "no_counterpart", "slugs_lookup", "eu_region",
        "tests_pinning_urls", "other_api_v1beta", "ordinary_code",
    }
    assert wanted <= set(CASES)


def test_line_endings_bom_and_encoding_are_kept():
    crlf = rewrite("crlf", (ROOT / "crlf" / "input.py").read_bytes()).code
    assert b"\n" not in crlf.replace(b"\r\n", b"")
    bom = rewrite("bom", (ROOT / "bom" / "input.py").read_bytes()).code
    assert bom.startswith(b"\xef\xbb\xbf# Config API client")
    latin = rewrite("latin1_cookie", (ROOT / "latin1_cookie" / "input.py").read_bytes()).code
    assert "Grüße".encode("latin-1") in latin
    latin.decode("latin-1")


@pytest.mark.parametrize("case", [c for c in CASES if b"\r" not in (ROOT / c / "input.py").read_bytes()])
def test_a_fixture_in_crlf_is_rewritten_to_its_expected_in_crlf(case):
    """What a rewrite writes (bodies, payloads, follow-up calls, markers)
    ends its lines as the file does: CRLF stays CRLF, every line of it."""
    data = (ROOT / case / "input.py").read_bytes().replace(b"\n", b"\r\n")
    expected = (ROOT / case / "expected.py").read_bytes().replace(b"\n", b"\r\n")
    assert rewrite(case, data).code == expected


def test_migrated_files_differ_only_inside_migrated_spans():
    """Every byte outside the reported spans and marker lines is unchanged."""
    import difflib

    for case in CASES:
        data = (ROOT / case / "input.py").read_bytes()
        result = rewrite(case, data)
        old_lines = data.splitlines(keepends=True)
        new_lines = result.code.splitlines(keepends=True)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes():
            if tag == "insert":
                for line in new_lines[j1:j2]:
                    stripped = line.strip()
                    assert stripped.startswith((b"# migrator[", b"import ")), (case, line)
            elif tag != "equal":
                changed_lines = set(range(i1 + 1, i2 + 1))
                reported = {c.line for c in result.changes}
                # a change's span may cover several lines; it starts at or before them
                assert any(min(changed_lines) >= line for line in reported), (case, changed_lines)


def test_a_marker_in_a_file_whose_encoding_lacks_its_characters_says_them_in_ascii():
    """`→` in an ASCII file is `->` (it was `?`), in the comment the audit
    reads back."""
    from migrator.audit.core import Auditor
    from migrator.idmap import IdMap
    from migrator.rewrite import rewrite_bytes
    from migrator.ruleset import load_rules

    rules = load_rules()
    ids = IdMap.model_validate({"tracking_plans": {"rs_2bT7mW0hQkA9xZr": ["tp_sprout_rVGCC6WdrNxjCf6JpCHP"]}})
    source = (b'# coding: ascii\nimport requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
              b'def plan():\n    p = requests.get(API + "/workspaces/acme/tracking-plans/rs_2bT7mW0hQkA9xZr").json()\n'
              b'    return p["rules"]\n')
    result = rewrite_bytes(source, rules, ids)
    [marker] = result.markers
    assert "`events` → `TRACK`" in marker.reason
    comment = next(line for line in result.code.decode("ascii").splitlines() if "migrator[" in line)
    assert "`events` -> `TRACK`" in comment and "?" not in comment
    [found] = Auditor(rules).scan("plan.py", result.code).findings
    assert (found.rule, found.kind, found.message) == ("rewrite.responses", "marker", comment.split("]: ", 1)[1])


def test_the_audit_of_a_rewritten_file_lists_its_markers_of_unseen_keys_and_whole_uses():
    """`responses-keys-unseen`: the reads by a key held in a name and the whole
    uses in functions given (or getting) a migrated response are marked, and
    the audit of the rewritten file finds each marker where it stands."""
    from migrator.audit.core import Auditor

    case = "responses-keys-unseen"
    result = rewrite(case, (ROOT / case / "input.py").read_bytes())
    found = Auditor(RULES).scan("expected.py", result.code).findings
    whole = "is used as a whole dict here ({}): it now has the Public shape (`data` envelope, Public field names); check this use by hand"
    doc, item = "the response of a migrated call " + whole, "an item of a migrated call's response " + whole
    unseen = "a key this rewrite cannot see"
    assert [(f.line, f.rule, f.message) for f in found if f.kind == "marker" and f.rule == "rewrite.responses"] == [
        (15, "rewrite.responses", doc.format(unseen)),  # `resp.json()[key]` in a helper given a migrated URL
        (20, "rewrite.responses", doc.format(unseen)),  # its `.get(key, [])` form
        (32, "rewrite.responses", item.format("`.items()`")),  # `Plan.from_api(p)`
        (37, "rewrite.responses", item.format("`**` into keyword arguments")),  # `as_row(s)`
        (43, "rewrite.responses", doc.format(unseen)),  # `body.get(KEY)`
        (48, "rewrite.responses", item.format(unseen)),  # `s.get(c, "")`
        (50, "rewrite.responses", item.format(unseen)),  # `s.get(c)`
    ]
    assert sorted(m.reason for m in result.markers if m.rule == "rewrite.responses") == sorted(
        f.message for f in found if f.kind == "marker" and f.rule == "rewrite.responses"
    )


def test_the_audit_of_a_rewritten_file_lists_the_changes_marked_in_functions_not_rewritten(tmp_path):
    """`responses-helpers-unfollowed`: in the public functions given migrated
    responses by the calls of the file, each read that would change is marked
    with its change, each whole hand-off as anywhere; `migrator audit` of the
    rewritten file lists each marker where it stands, and the Config field
    names a marker quotes in its own text are its own (no note of theirs)."""
    from click.testing import CliRunner

    from migrator.cli import cli

    case = "responses-helpers-unfollowed"
    result = rewrite(case, (ROOT / case / "input.py").read_bytes())
    (tmp_path / "expected.py").write_bytes(result.code)
    ran = CliRunner().invoke(cli, ["audit", "--format", "json", "-j", "1", "--cache-dir", str(tmp_path / "cache"),
                                   str(tmp_path / "expected.py")])
    assert ran.exit_code == 1, ran.output
    found = [SimpleNamespace(**f) for f in json.loads(ran.stdout)["findings"]]
    def read(key: str, what: str, function: str, calls: str, change: str) -> str:
        return (f"`{key}` is read here off {what}, which `{function}` gets through {calls}; this rewrite leaves the "
                f"reads in `{function}` as they are (other calls may pass other values): change {change} by hand, "
                "or give such callers a function of their own")

    def whole(callee: str) -> str:
        return (f"the response of a migrated call is handed to `{callee}` whole: it now has the Public shape "
                f"(`data` envelope, Public field names); check what `{callee}` does with it")

    doc, item = "the response of a migrated call", "an item of a migrated call's response"
    plans = '`["tracking_plans"]` to `["data"]["trackingPlans"]`'
    assert [(f.line, f.message) for f in found if f.rule == "rewrite.responses"] == [
        (14, read("tracking_plans", doc, "fetch", "the call on line 64", plans)),  # the helper given the URL
        (19, read("tracking_plans", doc, "count", "the call on line 67", plans)),  # `len(body["tracking_plans"])`
        (24, read("next_page_token", doc, "more", "the call on line 67", '`body.get("next_page_token")` to '
                  '`(body.get("data", {}).get("pagination", {}).get("next") or "")`')),
        (29, whole("print")),
        (32, whole("dump")),
        (37, read("display_name", item, "label", "the call on line 71", '`.get("display_name", "?")` to `.get("name", "?")`')),
        (46, read("display_name", item, "by_label", "the call on line 70",
                  '`itemgetter("display_name")` to `itemgetter("name")`')),
        (53, read("name", item, "Row.of", "a call in this file", '`["name"].split("/")[-1]` to `["slug"]`')),
        (54, read("display_name", item, "Row.of", "a call in this file", '`["display_name"]` to `["name"]`')),
    ]  # `enabled(s)`: the same key in both APIs, not marked
    # the only other finding: the Config-looking key of the program's own file (`saved`), which no response reaches
    assert [(f.line, f.rule) for f in found if f.rule != "rewrite.responses"] == [(60, "tracking-plan.fields")]
    assert len(result.markers) == 9  # each marker of the rewrite (its report names the lines of the input)
