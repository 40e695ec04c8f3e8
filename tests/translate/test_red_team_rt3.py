"""Red-team findings (rt3) on `migrator translate`: a large list document,
NDJSON lines holding a bare CR, exit codes when stderr's reader is gone,
positions and words of the input errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli
from migrator.idmap import EMPTY
from migrator.ruleset import load_rules
from migrator.translate import TranslateError, translate
from migrator.translate.context import Context, Report
from migrator.translate.response import translate_response

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[2]


# -- #1: a list document's items are not each compared with every earlier report ----------------


class _Reads(list):
    """A report list counting the reports read through slices."""

    read = 0

    def __getitem__(self, index):
        got = super().__getitem__(index)
        if isinstance(index, slice):
            self.read += len(got)
        return got


def test_the_reports_of_a_list_are_deduplicated_in_time_linear_in_their_number():
    items = [{"name": f"workspaces/acme/sources/s{i}", "display_name": f"S{i}",
              "catalog_name": "catalog/sources/javascript"} for i in range(1000)]
    ctx = Context(RULES, EMPTY, "response", reports=_Reads(), checks=True, types=True, response_defaults=True)
    translate_response({"sources": items, "next_page_token": ""}, ctx, None)
    assert len(ctx.reports) == 5000  # five per item (ids unresolved, `enabled` and `labels` added)
    assert ctx.reports.read <= 3 * len(ctx.reports)  # each read a few times, not once per later item


def test_new_since_leaves_out_the_reports_an_earlier_one_repeats_in_order():
    a, b, c = (Report("note", p, "r", "m") for p in "abc")
    ctx = Context(RULES)
    for report in (a, b, a, c, c, b):
        ctx.reports.append(report)
    ctx.new_since(2)
    assert ctx.reports == [a, b, c, c]
    ctx.keep_since(1, [c])  # cut below what was counted: counted again
    ctx.reports.append(a)
    ctx.new_since(2)
    assert ctx.reports == [a, c]
    ctx.reports.extend([a, b])
    ctx.new_since(2)
    assert ctx.reports == [a, c, b]


# -- #2: NDJSON lines end at "\n" only; a bare CR is JSON whitespace ----------------------------


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["translate", *args], input=stdin)


CR_INSIDE = '{"name":"workspaces/acme/sources/a",\r"display_name":"A"}\n{"name":"workspaces/acme/sources/b"}\r\n'
CR_OUT = ('{"data":{"source":{"slug":"a","name":"A","enabled":true,"labels":[]}}}\n'
          '{"data":{"source":{"slug":"b","enabled":true,"labels":[]}}}\n')


def test_a_bare_cr_inside_an_ndjson_line_is_whitespace_in_a_file_and_on_stdin(tmp_path):
    path = tmp_path / "cr.ndjson"
    path.write_bytes(CR_INSIDE.encode())
    for result in (run("-q", str(path)), run("-q", "-", stdin=CR_INSIDE)):
        assert (result.exit_code, result.stdout, result.stderr) == (0, CR_OUT, "")


def test_a_bare_cr_does_not_shift_the_line_numbers_of_the_reports(tmp_path):
    path = tmp_path / "cr.ndjson"
    path.write_bytes(b'{"name":"workspaces/acme/sources/a"}\r{"name":"workspaces/acme/sources/b"}\n'
                     b'{"name":"workspaces/acme/sources/c", "name":"workspaces/acme/sources/d"}\n')
    result = run("-v", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        f"{path}:1: error: malformed JSON at column 38: a second JSON document starts here; one per line",
        f"{path}:2: name: conflict [json.repeated-key] 'name' appears more than once: the earlier value "
        f'"workspaces/acme/sources/c" is replaced by the last one; left out',
    ]
    assert result.stdout == '{"data":{"source":{"slug":"d","enabled":true,"labels":[]}}}\n'


# -- #3: stderr's reader gone loses the messages, not the run's exit code -----------------------


SOURCE = '{"name": "workspaces/acme/sources/js", "display_name": "Web"}'
OUT_PRETTY = json.dumps({"data": {"source": {"slug": "js", "name": "Web", "enabled": True, "labels": []}}}, indent=2) + "\n"


@pytest.mark.parametrize(("args", "code"), [
    (["-q"], 0), ([], 0), (["-v"], 0), (["--strict"], 1), (["-v", "bad.json", "--strict"], 2), (["bad.json"], 2),
])
def test_a_reader_gone_from_stderr_leaves_the_exit_code_as_it_was(tmp_path, args, code):
    (tmp_path / "source.json").write_text(SOURCE)
    (tmp_path / "bad.json").write_text(SOURCE + " xyz")
    read, write = os.pipe()
    os.close(read)  # `2>&1 | head -1` has its line and exits
    try:
        done = subprocess.run([sys.executable, "-m", "migrator", "translate", *args, "source.json"], cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=write,
                              text=True, timeout=60, check=False)
    finally:
        os.close(write)
    assert (done.returncode, done.stdout) == (code, OUT_PRETTY)


@pytest.mark.parametrize(("args", "code"), [([], 0), (["--strict"], 1), (["bad.json"], 2)])
def test_a_closed_stderr_leaves_the_output_and_the_exit_code_as_they_were(tmp_path, args, code):
    """`2>&-`: Python starts with no `sys.stderr` at all (rt8 #11)."""
    (tmp_path / "source.json").write_text(SOURCE)
    (tmp_path / "bad.json").write_text(SOURCE + " xyz")
    command = " ".join([sys.executable, "-m", "migrator", "translate", *args, "source.json"])
    done = subprocess.run(["sh", "-c", command + " 2>&-"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          stdout=subprocess.PIPE, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (code, OUT_PRETTY)


# -- #4, #5, #6: where and what the input errors say ---------------------------------------------


def test_an_ndjson_line_cut_off_outside_a_string_is_reported_where_it_ends(tmp_path):
    path = tmp_path / "cut.ndjson"
    path.write_text('{"name": "works\n{"name": "workspaces/acme/sources/bad", "x":\r\n'
                    '{"name": "workspaces/acme/sources/bad", "x": [1,\n{\n')
    result = run("-q", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:1: error: malformed JSON at column 10: Unterminated string starting here",
        f"{path}:2: error: malformed JSON at column 45: Expecting value",
        f"{path}:3: error: malformed JSON at column 49: Expecting value",
        f"{path}:4: error: malformed JSON at column 2: Expecting property name enclosed in double quotes",
    ]


def test_several_pretty_documents_in_one_file_are_refused_saying_where_the_second_starts(tmp_path):
    both = tmp_path / "both.json"
    both.write_text(OUT_PRETTY + OUT_PRETTY)  # translate's own stdout for two inputs
    trailing = tmp_path / "trailing.json"
    trailing.write_text(OUT_PRETTY + "xyz")
    result = run("-q", str(both), str(trailing))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{both}:11:1: error: malformed JSON: a second JSON document starts here; one document per file, or one "
        f"per line (NDJSON: `jq -c . FILE`)",
        f"{trailing}:11:1: error: malformed JSON: Extra data",
    ]


def test_utf16_without_a_byte_order_mark_is_named(tmp_path):
    little = tmp_path / "le.json"
    little.write_bytes(SOURCE.encode("utf-16-le"))
    big = tmp_path / "be.ndjson"
    big.write_bytes((SOURCE + "\n" + SOURCE + "\n").encode("utf-16-be"))
    result = run("-q", str(little), str(big))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{little}: error: NUL bytes between the characters: this looks like UTF-16LE without a byte order mark; "
        f"convert it to UTF-8 (`iconv -f UTF-16LE -t UTF-8`)",
        f"{big}: error: NUL bytes between the characters: this looks like UTF-16BE without a byte order mark; "
        f"convert it to UTF-8 (`iconv -f UTF-16BE -t UTF-8`)",
    ]
    result = run("-q", "-", stdin=SOURCE.encode("utf-16-le"))
    assert (result.exit_code, result.stderr) == (2, "<stdin>: error: NUL bytes between the characters: this looks "
                                                    "like UTF-16LE without a byte order mark; convert it to UTF-8 "
                                                    "(`iconv -f UTF-16LE -t UTF-8`)\n")


# -- #7: cosmetics ------------------------------------------------------------------------------------


def test_a_body_value_under_another_workspace_and_source_names_both():
    body = {"name": "workspaces/x/sources/js/destinations/google-analytics", "enabled": True}
    result = translate(body, RULES, request=True, endpoint="POST /v1beta/workspaces/acme/sources/web/destinations")
    assert [tuple(r) for r in result.reports if r.kind == "conflict"] == [
        ("conflict", "name", "destination.fields",
         "names workspace 'x' and source 'js', but the call is for workspace 'acme' and source 'web': the call's "
         "workspace and source are used (these left out), and 'google-analytics' of this value is sent for them; "
         "check it is meant"),
    ]


def test_the_text_of_a_json_string_field_that_is_not_json_is_said_so():
    preview = "POST /v1beta/filters/preview"
    said = [[r.message for r in translate({"filter": {"if": "all", "actions": []}, "input": text}, RULES,
                                          request=True, endpoint=preview).reports if r.kind == "unknown"]
            for text in ('{"a": 1} x', "\ufeff{}")]
    assert said == [["a string whose text is not JSON (Extra data at character 10); left out"],
                    ["a string whose text is not JSON (it starts with a byte order mark, U+FEFF); left out"]]


def test_an_update_mask_in_its_string_form_is_refused_saying_so():
    body = {"destination": {"enabled": True}, "update_mask": "destination.enabled"}
    with pytest.raises(TranslateError) as refused:
        translate(body, RULES, request=True,
                  endpoint="PATCH /v1beta/workspaces/acme/sources/web/destinations/google-analytics")
    assert str(refused.value) == ('update_mask is the string "destination.enabled" (a field mask\'s proto3 JSON '
                                  'form), which is not read: give {"paths": [...]}, a list of field paths')
