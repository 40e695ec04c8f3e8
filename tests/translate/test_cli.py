"""`migrator translate` end to end: inputs, outputs, errors, exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli

SOURCE = {"name": "workspaces/acme/sources/js", "display_name": "Web", "create_time": "2019"}
SOURCE_OUT = {"data": {"source": {"slug": "js", "name": "Web", "enabled": True, "labels": []}}}
IDS = {"format": "migrator.ids", "version": 1, "workspace": {"id": "w1", "slug": "acme"}, "sources": {"js": "s1"}}


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["translate", *args], input=stdin)


def test_a_file_to_stdout(tmp_path):
    path = tmp_path / "source.json"
    path.write_text(json.dumps(SOURCE, indent=2))
    result = run(str(path))
    assert result.exit_code == 0
    assert result.stdout == json.dumps(SOURCE_OUT, indent=2) + "\n"
    assert result.stderr == (
        "translated 1 document(s), 0 error(s); 1 field(s) dropped by rule, 0 unknown, 2 unresolved id(s)\n"
        "  dropped by source.fields: 1\n"
        "  added: 2\n"
    )


def test_output_dash_is_stdout_and_a_trailing_slash_a_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("source.json").write_text(json.dumps(SOURCE))
    result = run("source.json", "-o", "-", "-q")
    assert (result.exit_code, result.stdout) == (0, json.dumps(SOURCE_OUT, indent=2) + "\n")
    assert run("source.json", "-o", "out/", "-q").exit_code == 0
    assert sorted(os.listdir(tmp_path)) == ["out", "source.json"]
    assert json.loads(Path("out/source.json").read_text()) == SOURCE_OUT
    result = run("-o", "more/", stdin=json.dumps(SOURCE))
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>: error: stdin cannot be written into an output directory\n")


def test_a_report_on_a_field_named_error_is_not_an_error_line():
    result = run("-v", stdin='{"error": null, "code": 7}')
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "<stdin>:1: $.error: mistyped [error.envelope] a Public error's message takes string, not null: copied as "
        "is; the Public API never answers it so: code reading the Public response may fail on it"
    )


def test_ndjson_errors_name_the_line_and_the_run_goes_on(tmp_path):
    path = tmp_path / "export.ndjson"
    path.write_text("\n".join([json.dumps(SOURCE), "{broken", json.dumps({"colour": 1}), "", json.dumps(SOURCE)]) + "\n")
    result = run(str(path), "--quiet")
    assert result.exit_code == 2
    line = json.dumps(SOURCE_OUT, separators=(",", ":"))
    assert result.stdout == f"{line}\n{line}\n"
    assert result.stderr.splitlines() == [
        f"{path}:2: error: malformed JSON at column 2: Expecting property name enclosed in double quotes",
        f'{path}:3: error: unknown kind of document; give --endpoint "METHOD /v1beta/..."',
    ]


def test_a_directory_is_mirrored_into_the_output_directory(tmp_path):
    tree = tmp_path / "in"
    (tree / "nested").mkdir(parents=True)
    (tree / "a.json").write_text(json.dumps(SOURCE))
    (tree / "nested" / "b.ndjson").write_text(json.dumps(SOURCE) + "\n")
    (tree / "notes.txt").write_text("not json")
    out = tmp_path / "out"
    result = run(str(tree), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["a.json", "nested/b.ndjson"]
    assert json.loads((out / "a.json").read_text()) == SOURCE_OUT
    assert (out / "nested" / "b.ndjson").read_text() == json.dumps(SOURCE_OUT, separators=(",", ":")) + "\n"


def test_a_symlink_out_of_the_directory_is_noted_not_skipped_silently(tmp_path, monkeypatch):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.json").write_text(json.dumps(SOURCE))
    (outside / "notes.txt").write_text("not json")
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "a.json").symlink_to(outside / "a.json")
    (tree / "notes.txt").symlink_to(outside / "notes.txt")  # not an input: nothing said
    monkeypatch.chdir(tmp_path)
    result = run("in", "-o", "out")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == "in/a.json: note: symlink out of the tree: not followed"
    assert "notes.txt" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_stdin_single_document_and_ndjson():
    pretty = run("-", "-q", stdin=json.dumps(SOURCE, indent=2))
    assert pretty.exit_code == 0
    assert json.loads(pretty.stdout) == SOURCE_OUT
    lines = run("-q", stdin=json.dumps(SOURCE) + "\n" + json.dumps(SOURCE) + "\n")
    assert lines.stdout.splitlines() == [json.dumps(SOURCE_OUT, separators=(",", ":"))] * 2


def test_request_mode_with_ids_and_strict(tmp_path):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps(IDS))
    endpoint = "GET /v1beta/workspaces/acme/sources/js"
    ok = run("--request", "--endpoint", endpoint, "--ids", str(ids), "--strict", "-q", stdin="null")
    assert (ok.exit_code, json.loads(ok.stdout)) == (0, {"method": "GET", "url": "/sources/s1"})
    missing = run("--request", "--endpoint", endpoint, "--strict", "-v", stdin="null")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout) == {"method": "GET", "url": "/sources/{sourceId}"}
    assert "<stdin>: url: unresolved [endpoint.sources.get] no source id for 'js' (run `migrator ids`)" in missing.stderr
    assert missing.stderr.endswith("strict: unresolved ids (see -v)\n")


def test_strict_fails_on_a_workspace_the_id_map_is_not_for(tmp_path):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({**IDS, "workspace": {"id": "w1", "slug": "acme"}}))
    result = run("--request", "--endpoint", "DELETE /v1beta/workspaces/other/sources/js", "--ids", str(ids),
                 "--strict", "-v", stdin="{}")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"method": "DELETE", "url": "/sources/{sourceId}"}
    assert result.stderr.splitlines() == [
        "<stdin>:1: url: unresolved [endpoint.sources.delete] no source id for 'js': this is workspace 'other' but "
        "the id map is for 'acme' (a Public API token works for one workspace; use that workspace's id map)",
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 1 unresolved id(s)",
        "strict: unresolved ids (see -v)",
    ]


def test_strict_fails_on_a_value_to_review(tmp_path):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({**IDS, "destinations": {"js/amplitude": ["d1"]}}))
    endpoint = "DELETE /v1beta/workspaces/acme/sources/js/destinations/amplitude/filters/df_7Yk2"
    result = run("--request", "--endpoint", endpoint, "--ids", str(ids), "--strict", stdin="null")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"method": "DELETE", "url": "/destination/d1/filters/df_7Yk2"}
    assert result.stderr.splitlines() == [
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 0 unresolved id(s)",
        "  to review (kept or sent on an undocumented assumption): 1",
        "strict: values to review (see -v)",
    ]
    assert run("--request", "--endpoint", endpoint, "--ids", str(ids), "-q", stdin="null").exit_code == 0


def test_strict_fails_on_a_required_value_the_config_body_lacks(tmp_path):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps(IDS))
    endpoint = "POST /v1beta/workspaces/acme/sources/js/regulations"
    body = '{"regulation_type": "delete", "attributes": {"name": "objectId", "values": ["o1"]}}'
    result = run("--request", "--endpoint", endpoint, "--ids", str(ids), "--strict", "-v", stdin=body)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"method": "POST", "url": "/regulations/cloudsources/s1", "body": {
        "subjectType": "OBJECT_ID", "subjectIds": ["o1"], "regulationType": "DELETE_ONLY"}}
    assert result.stderr.splitlines() == [
        "<stdin>:1: collection: missing [endpoint.regulations.create-for-cloud-source] 'collection' is required by "
        "POST /regulations/cloudsources/{sourceId} and the Config body gives none: the Public API refuses the call "
        "until it is filled in",
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 0 unresolved id(s)",
        "  missing: 1",
        "strict: required values missing (see -v)",
    ]


def test_ambiguous_ids_are_counted_apart_from_unresolved_ones(tmp_path):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({**IDS, "destinations": {"js/amplitude": ["d1", "d2"]}}))
    endpoint = "GET /v1beta/workspaces/acme/sources/js/destinations/amplitude"
    result = run("--request", "--endpoint", endpoint, "--ids", str(ids), "--strict", stdin="null")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 0 unresolved id(s), 1 ambiguous",
        "strict: ambiguous ids (see -v)",
    ]


def test_an_id_listed_twice_for_one_key_in_a_hand_edited_map_is_one_object(tmp_path):
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({**IDS, "destinations": {"js/google-analytics": ["d_ga1", "d_ga1"],
                                                       "js/amplitude": ["d_amp1", "d_amp2", "d_amp1"]}}))
    endpoint = "GET /v1beta/workspaces/acme/sources/js/destinations/google-analytics"
    result = run("--request", "--endpoint", endpoint, "--ids", str(ids), "-v", stdin="null")
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"method": "GET", "url": "/destinations/d_ga1"})
    assert "ambiguous" not in result.stderr
    two = run("--request", "--endpoint", endpoint.replace("google-analytics", "amplitude"), "--ids", str(ids), "-v",
              stdin="null")
    assert two.stderr.splitlines()[0] == (
        "<stdin>: url: ambiguous [endpoint.destinations.get] destination 'js/amplitude' matches 2 ids "
        "(d_amp1, d_amp2); pick one")


def test_a_duplicate_the_id_map_left_out_is_ambiguous_not_unresolved(tmp_path):
    ids = tmp_path / "ids.json"
    why = "it names 2 objects in the Public API (src_5, src_dup)"
    ids.write_text(json.dumps({**IDS, "skipped": {"sources/s5": why, "sources/s6": 'its Public id "a/b" cannot go in '
                                                  "a URL path"}}))
    result = run("--request", "--endpoint", "GET /v1beta/workspaces/acme/sources/s5", "--ids", str(ids), "-v",
                 stdin="null")
    assert result.stderr.splitlines() == [
        f"<stdin>: url: ambiguous [endpoint.sources.get] no source id for 's5': the id map leaves it out ({why})",
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 0 unresolved id(s), 1 ambiguous",
    ]
    other = run("--request", "--endpoint", "GET /v1beta/workspaces/acme/sources/s6", "--ids", str(ids), "-v",
                stdin="null")
    assert other.stderr.splitlines() == [
        "<stdin>: url: unresolved [endpoint.sources.get] no source id for 's6': the id map leaves it out "
        '(its Public id "a/b" cannot go in a URL path)',
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 1 unresolved id(s)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--request"], 'migrator: error: --request needs --endpoint "METHOD /v1beta/..."'),
        (["--endpoint", "GET /v1beta/nowhere"], "migrator: error: no Config API endpoint in the table matches \"GET /v1beta/nowhere\" (see `migrator rules`)"),
        (["--ids", "/nonexistent/ids.json"], "migrator: error: /nonexistent/ids.json: cannot read id map: No such file or directory"),
    ],
)
def test_usage_errors_are_one_line(args, message):
    result = run(*args, stdin="{}")
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_a_missing_input_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SOURCE))
    result = run(str(tmp_path / "missing.json"), str(good), "-q")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == SOURCE_OUT
    assert result.stderr == f"{tmp_path / 'missing.json'}: error: no such file or directory\n"


def test_ndjson_is_streamed():
    """An output line appears before the input ends: memory stays flat."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "migrator", "translate", "--ndjson", "-q"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdin and proc.stdout
    for _ in range(3):
        proc.stdin.write(json.dumps(SOURCE) + "\n")
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline()) == SOURCE_OUT
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0


def test_the_bundled_examples_translate_cleanly(tmp_path):
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    out = tmp_path / "out"
    result = run(str(examples / "config-api"), "--ids", str(examples / "segment-ids.json"), "--strict", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "0 error(s)" in result.stderr and "0 unknown, 0 unresolved id(s)" in result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        "export.ndjson", "responses/destination.google-analytics.json",
        "responses/error.permission-denied.json", "responses/sources.page1.json",
        "responses/tracking-plan.json", "responses/workspaces.json",
    ]
    assert json.loads((out / "responses" / "destination.google-analytics.json").read_text()) == {"data": {"destination": {
        "id": "6334b2ff2c4f2f0b8d5d0a1e", "metadata": {"slug": "google-analytics", "id": "60b5d0a01f3726b85dc05aab"}, "sourceId": "qQEHquLrjRDN9j1ByrChyn",
        "name": "Google Analytics", "enabled": True, "settings": {"trackingId": "UA-1234567-8", "anonymizeIp": True},
    }}}


def test_empty_input_is_an_error_that_says_so():
    result = run("--quiet", stdin="  \n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["<stdin>: error: empty input: expected a JSON document or NDJSON lines"]


@pytest.mark.parametrize("text", ['{"sources": []}', "{broken", ""])
def test_a_failed_document_leaves_the_output_file_as_it_was(tmp_path, text):
    path = tmp_path / "in.json"
    path.write_text(text)
    out = tmp_path / "out.json"
    out.write_text("earlier\n")
    assert run(str(path), "-o", str(out), "-q").exit_code == 2
    assert run("-", "-o", str(out), "-q", stdin=text).exit_code == 2
    assert out.read_text() == "earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]
    # nothing is created either
    assert run(str(path), "-o", str(tmp_path / "new.json"), "-q").exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]


def test_a_failed_file_of_a_tree_is_not_written_the_others_are(tmp_path):
    tree = tmp_path / "in"
    (tree / "nested").mkdir(parents=True)
    (tree / "good.json").write_text(json.dumps(SOURCE))
    (tree / "nested" / "bad.json").write_text("{broken")
    (tree / "mixed.ndjson").write_text("{broken\n" + json.dumps(SOURCE) + "\n")
    out = tmp_path / "out"
    (out / "nested").mkdir(parents=True)
    (out / "nested" / "bad.json").write_text("earlier\n")
    result = run(str(tree), "-o", str(out), "-q")
    assert result.exit_code == 2
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "good.json", "mixed.ndjson", "nested", "nested/bad.json"]
    assert (out / "nested" / "bad.json").read_text() == "earlier\n"
    assert (out / "mixed.ndjson").read_text() == json.dumps(SOURCE_OUT, separators=(",", ":")) + "\n"
    assert json.loads((out / "good.json").read_text()) == SOURCE_OUT


def test_an_output_below_a_file_is_one_error_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("in.json").write_text(json.dumps(SOURCE))
    Path("afile").write_text("")
    result = run("in.json", "-o", "afile/out.json", "-q")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "afile/out.json: error: cannot write: afile is a file, not a directory\n"
    Path("two.json").write_text(json.dumps(SOURCE))
    result = run("in.json", "two.json", "-o", "afile/deeper", "-q")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "afile/deeper/in.json: error: cannot write: afile is a file, not a directory",
        "afile/deeper/two.json: error: cannot write: afile is a file, not a directory",
    ]


def test_bytes_that_are_not_utf8_are_an_error_for_their_line_only(tmp_path):
    # One bad byte in a large export: the lines around it (even those decoded with it
    # in one chunk) are translated, and the error names the line.
    good = json.dumps(SOURCE)
    path = tmp_path / "export.ndjson"
    path.write_bytes((good + "\n").encode() * 300 + b'{"display_name": "caf\xe9"}\n' + (good + "\n").encode() * 300)
    result = run(str(path), "--quiet")
    assert result.exit_code == 2
    assert result.stdout == (json.dumps(SOURCE_OUT, separators=(",", ":")) + "\n") * 600
    assert result.stderr == f"{path}:301: error: not UTF-8 text at column 22: byte 0xe9\n"
    whole = tmp_path / "latin1.json"
    whole.write_bytes(b'{\n  "name": "workspaces/acme/sources/js",\n  "display_name": "caf\xe9"\n}\n')
    result = run(str(whole), "--quiet")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{whole}:3:23: error: not UTF-8 text: byte 0xe9\n"
    result = run("--quiet", "-", stdin=b'{"display_name": "\xff"}\n' + (good + "\n").encode())
    assert result.exit_code == 2
    assert result.stdout == json.dumps(SOURCE_OUT, separators=(",", ":")) + "\n"
    assert result.stderr == "<stdin>:1: error: not UTF-8 text at column 19: byte 0xff\n"


def test_strict_names_only_what_it_found():
    body = '{"name": "workspaces/acme/sources/js", "colour": "red"}'
    result = run("--strict", stdin=body)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "strict: unknown fields, unresolved ids (see -v)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_an_output_that_is_a_named_pipe_is_written_not_replaced(tmp_path):
    # `-o /dev/null` or `-o /dev/stdout` alike: renaming a file over it replaced the
    # device (as root) or the pipe by a plain file.
    path = tmp_path / "source.json"
    path.write_text(json.dumps(SOURCE))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text()), daemon=True)
    reader.start()
    result = run(str(path), "-o", str(pipe), "-q")
    reader.join(timeout=10)
    assert (result.exit_code, result.stderr) == (0, "")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert read == [json.dumps(SOURCE_OUT, indent=2) + "\n"]


def test_a_reader_gone_from_stdout_ends_the_run_quietly_with_141():
    """`migrator translate ... | head -1`: no error line, no summary, 128 + SIGPIPE."""
    proc = subprocess.Popen([sys.executable, "-m", "migrator", "translate", "--ndjson"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdin and proc.stdout and proc.stderr
    proc.stdin.write(json.dumps(SOURCE) + "\n")
    proc.stdin.flush()
    assert json.loads(proc.stdout.readline()) == SOURCE_OUT
    proc.stdout.close()  # `head -1` has its line and exits
    proc.stdin.write(json.dumps(SOURCE) + "\n")
    proc.stdin.close()
    assert (proc.wait(timeout=60), proc.stderr.read()) == (141, "")


def test_a_reader_gone_from_a_file_translated_to_stdout_ends_the_run_quietly_with_141(tmp_path):
    big = tmp_path / "big.ndjson"
    big.write_text((json.dumps(SOURCE) + "\n") * 20000)  # more than a pipe holds
    proc = subprocess.Popen([sys.executable, "-m", "migrator", "translate", str(big)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout and proc.stderr
    assert json.loads(proc.stdout.readline()) == SOURCE_OUT
    proc.stdout.close()
    assert (proc.wait(timeout=60), proc.stderr.read()) == (141, "")


def test_stdin_named_twice_is_read_once_not_a_traceback():
    # CliRunner's stdin survives a second wrapper; the real one was closed by the first (a traceback).
    done = subprocess.run([sys.executable, "-m", "migrator", "translate", "-q", "-", "-"],
                          input=json.dumps(SOURCE), capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (2, json.dumps(SOURCE_OUT, separators=(",", ":")) + "\n")
    assert done.stderr == "<stdin>: error: '-' is given more than once; stdin is read once\n"


def test_the_summary_counts_only_the_documents_written(tmp_path):
    # The reports of documents whose output could not be written were counted (a conflict, two unresolved ids).
    (tmp_path / "bom.json").write_bytes(b'\xef\xbb\xbf{"name": "workspaces/acme/sources/js"}')
    (tmp_path / "dup.json").write_text('{"name": "workspaces/acme/sources/js", "display_name": "a", "display_name": "b"}')
    (tmp_path / "o.json").write_text("old\n")
    result = run(str(tmp_path / "bom.json"), str(tmp_path / "dup.json"), "-o", str(tmp_path / "o.json"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'o.json' / 'bom.json'}: error: cannot write: {tmp_path / 'o.json'} is a file, not a directory",
        f"{tmp_path / 'o.json' / 'dup.json'}: error: cannot write: {tmp_path / 'o.json'} is a file, not a directory",
        "translated 0 document(s), 2 error(s); 0 field(s) dropped by rule, 0 unknown, 0 unresolved id(s)",
    ]
    assert (tmp_path / "o.json").read_text() == "old\n"


MISTYPED = "copied as is; the Public API never answers it so: code reading the Public response may fail on it"
MISTYPED_REQUEST = "copied as is; the Public API will likely reject it"


@pytest.mark.parametrize(("doc", "args", "out", "lines"), [
    ({"name": "workspaces/acme/sources/js", "display_name": 123, "enabled": "yes", "write_keys": "abc"}, [],
     {"data": {"source": {"slug": "js", "id": "s1", "name": 123, "enabled": "yes", "writeKeys": "abc", "workspaceId": "w1",
                          "labels": []}}},
     [f"display_name: mistyped [source.fields] the Public field 'name' takes string, not 123: {MISTYPED}",
      f"enabled: mistyped [source.fields] the Public field 'enabled' takes boolean, not \"yes\": {MISTYPED}",
      f"write_keys: mistyped [source.fields] the Public field 'writeKeys' takes array, not \"abc\": {MISTYPED}",
      "labels: added [source.fields] a Public source requires it and a Config one never had it; [] used"]),
    ({"filters": [{"name": "workspaces/acme/sources/js/destinations/ga/filters/f1",
                   "actions": ["drop_event", None, {"type": "sample_event", "percent": "0.5"}]}]}, [],
     {"data": {"filters": [{"id": "f1", "sourceId": "s1",
                           "actions": ["drop_event", None, {"type": "SAMPLE", "percent": "0.5"}]}],
                "pagination": {"next": None}}},
     ["filters[0].name: review [filter.fields] the Config filter id 'f1' is kept as the Public id (the id map does "
      "not hold it): whether Public filter ids equal Config ids is not documented; check it (`migrator ids` lists "
      "the Public ones)",
      "filters[0].name: unresolved [filter.fields] no destination id for 'js/ga' (run `migrator ids`)",
      f"filters[0].actions[0]: mistyped [filter-action.fields] a Public filter-action takes object, not \"drop_event\": {MISTYPED}",
      f"filters[0].actions[1]: mistyped [filter-action.fields] a Public filter-action takes object, not null: {MISTYPED}",
      f"filters[0].actions[2].percent: mistyped [filter-action.fields] the Public field 'percent' takes number, not \"0.5\": {MISTYPED}"]),
    ({"name": "workspaces/acme/tracking-plans/rs_1", "rules": {"events": [{"name": 5, "rules": None, "version": "2"}]}}, [],
     {"data": {"trackingPlan": {"slug": "rs_1", "rules": [{"type": "TRACK", "key": 5, "jsonSchema": None, "version": "2"}],
                                "type": "LIVE"}}},
     ["name: unresolved [tracking-plan.fields] no tracking-plan id for 'rs_1' (run `migrator ids`)",
      f"rules.events[0].name: mistyped [tracking-plan.fields] a rule's key takes string, not 5: {MISTYPED}",
      f"rules.events[0].rules: mistyped [tracking-plan.fields] a rule's jsonSchema takes object, not null: {MISTYPED}",
      f"rules.events[0].version: mistyped [tracking-plan.fields] a rule's version takes number, not \"2\": {MISTYPED}",
      "type: added [tracking-plan.fields] a Public tracking-plan requires it and a Config one never had it; \"LIVE\" used"]),
    ({"error": {"a": 1}, "code": 7}, [],
     {"errors": [{"type": "PermissionDenied", "message": {"a": 1}, "status": 403}]},
     [f"$.error: mistyped [error.envelope] a Public error's message takes string, not {{\"a\":1}}: {MISTYPED}"]),
    ({"destination": {"enabled": "false"}, "update_mask": {"paths": ["destination.enabled"]}},
     ["--request", "--endpoint", "PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics"],
     {"method": "PATCH", "url": "/destinations/{destinationId}", "body": {"enabled": "false"}},
     [f"destination.enabled: mistyped [destination.fields] the Public field 'enabled' takes boolean, not \"false\": {MISTYPED_REQUEST}",
      "url: unresolved [endpoint.destinations.update] no destination id for 'js/google-analytics' (run `migrator ids`)"]),
    # Items of lists (the spec's `items`; for filter field lists, segment-apis.md §2.5): they were not checked.
    ({"regulation_type": "suppress", "attributes": {"name": "userId", "values": ["u1", 12345, True, None, {"id": "x"}]}},
     ["--request", "--endpoint", "POST /v1beta/workspaces/acme/regulations"],
     {"method": "POST", "url": "/regulations", "body": {"regulationType": "SUPPRESS_ONLY", "subjectType": "USER_ID",
                                                         "subjectIds": ["u1", 12345, True, None, {"id": "x"}]}},
     [f"attributes.values[1]: mistyped [regulation.fields] the Public field 'subjectIds[]' takes string, not 12345: {MISTYPED_REQUEST}",
      f"attributes.values[2]: mistyped [regulation.fields] the Public field 'subjectIds[]' takes string, not true: {MISTYPED_REQUEST}",
      f"attributes.values[3]: mistyped [regulation.fields] the Public field 'subjectIds[]' takes string, not null: {MISTYPED_REQUEST}",
      f"attributes.values[4]: mistyped [regulation.fields] the Public field 'subjectIds[]' takes string, not {{\"id\":\"x\"}}: {MISTYPED_REQUEST}"]),
    ({"regulations": [{"name": "workspaces/acme/regulations/r1", "attributes": {"values": [7]}}]}, [],
     {"data": {"regulations": [{"id": "r1", "subjects": [7]}], "pagination": {"next": None}}},
     [f"regulations[0].attributes.values[0]: mistyped [regulation.fields] the Public field 'subjects[]' takes string, not 7: {MISTYPED}"]),
    ({"name": "workspaces/acme/sources/js", "write_keys": ["k", 1]}, [],
     {"data": {"source": {"slug": "js", "id": "s1", "writeKeys": ["k", 1], "workspaceId": "w1", "enabled": True,
                          "labels": []}}},
     [f"write_keys[1]: mistyped [source.fields] the Public field 'writeKeys[]' takes string, not 1: {MISTYPED}",
      "enabled: added [source.fields] a Public source requires it and a Config one never had it; true used",
      "labels: added [source.fields] a Public source requires it and a Config one never had it; [] used"]),
    ({"filter": {"if": "all", "actions": [{"type": "whitelist_fields",
                                           "fields": {"properties": {"fields": ["a", 1, None]}, "traits": [2]}}]},
      "input": "{}"},
     ["--request", "--endpoint", "POST /v1beta/filters/preview"],
     {"method": "POST", "url": "/destination/filters/preview",
      "body": {"filter": {"if": "all", "actions": [{"type": "ALLOW_PROPERTIES",
                                                    "fields": {"properties": ["a", 1, None], "traits": [2]}}]},
               "payload": {}}},
     [f"filter.actions[0].fields.properties.fields[1]: mistyped [filter-action.fields] the Public field "
      f"'fields.properties[]' takes string, not 1: {MISTYPED_REQUEST}",
      f"filter.actions[0].fields.properties.fields[2]: mistyped [filter-action.fields] the Public field "
      f"'fields.properties[]' takes string, not null: {MISTYPED_REQUEST}",
      f"filter.actions[0].fields.traits[0]: mistyped [filter-action.fields] the Public field "
      f"'fields.traits[]' takes string, not 2: {MISTYPED_REQUEST}"]),
    ({"invite": {"email": 5}}, ["--request", "--endpoint", "POST /v1beta/workspaces/acme/invites"],
     {"method": "POST", "url": "/invites", "body": {"invites": [{"email": 5}]}},
     [f"invite.email: mistyped [invite.fields] the Public field 'email' takes string, not 5: {MISTYPED_REQUEST}"]),
    ({"invites": [{"email": 5}, {"email": None}]}, ["--endpoint", "GET /v1beta/workspaces/acme/invites"],
     {"data": {"invites": [5], "pagination": {"next": None}}},
     [f"invites[0].email: mistyped [invite.fields] the Public field 'email' takes string, not 5: {MISTYPED}",
      "invites[1].email: missing [invite.fields] a Public list of invites holds their `email` values, and this "
      "invite has none; left out"]),
])
def test_a_value_of_another_json_type_is_kept_and_reported(tmp_path, doc, args, out, lines):
    # They were copied with no report: `--strict` exited 0.
    ids = tmp_path / "ids.json"
    ids.write_text(json.dumps({**IDS, "workspace": {"id": "w1", "slug": "acme"}}))
    result = run("--ids", str(ids), "-v", "--strict", *args, stdin=json.dumps(doc))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == out
    assert [line.removeprefix("<stdin>:1: ") for line in result.stderr.splitlines()
            if line.startswith("<stdin>:1: ")] == lines
    assert result.stderr.splitlines()[-1].startswith("strict: ") and "values of another JSON type" in result.stderr


def test_tracking_plan_rule_sections_of_the_wrong_shape_are_unknown():
    # `events` given as an object became a TRACK rule, `identify` as a list event rules, unreported.
    doc = {"name": "workspaces/acme/tracking-plans/rs_1", "rules": {"events": {"name": "x"}, "identify": [{"name": "x"}]}}
    result = run("-v", stdin=json.dumps(doc))
    assert json.loads(result.stdout) == {"data": {"trackingPlan": {"slug": "rs_1", "rules": [], "type": "LIVE"}}}
    assert result.stderr.splitlines()[1:3] == [
        '<stdin>:1: rules.events: unknown [tracking-plan.fields] expected a list of event rules, got {"name":"x"}; left out',
        '<stdin>:1: rules.identify: unknown [tracking-plan.fields] expected a JSON Schema object, got [{"name":"x"}]; left out',
    ]


def test_an_input_is_never_written_over(tmp_path, monkeypatch):
    """`-o` naming the input folder or file: the Config documents are kept
    (translation drops fields by rule), each refused, exit 2."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in/sub").mkdir(parents=True)
    source = b'{"name": "workspaces/acme/sources/web", "display_name": "Web", "create_time": "2020-01-01T00:00:00Z"}'
    lines = b'{"name": "workspaces/acme/sources/web", "display_name": "Web"}\n'
    (tmp_path / "in/a.json").write_bytes(source)
    (tmp_path / "in/sub/b.ndjson").write_bytes(lines)
    refused = ": error: is an input: writing its translation there would replace it; choose another -o"
    for args, targets in ((["in", "-o", "in"], ["in/a.json", "in/sub/b.ndjson"]),
                          (["in/a.json", "-o", "in/a.json"], ["in/a.json"]),
                          (["in/a.json", "-o", "in/"], ["in/a.json"])):
        result = run(*args)
        assert result.exit_code == 2
        assert [line for line in result.stderr.splitlines() if "error" in line and "translated" not in line] == [
            t + refused for t in targets]
        assert (tmp_path / "in/a.json").read_bytes() == source
        assert (tmp_path / "in/sub/b.ndjson").read_bytes() == lines
    assert run("in", "-o", "out").exit_code == 0 and json.loads((tmp_path / "out/a.json").read_text())["data"]
