"""What the JSON text of an input can hold that a plain `json.loads` mishandles:
number text, NaN, lone surrogates, deep nesting, a BOM, repeated keys; and
output files that two inputs would share."""

from __future__ import annotations

import json

from click.testing import CliRunner

from migrator.cli import cli
from migrator.translate import jsontext

SOURCE = '{"name": "workspaces/acme/sources/js"}'
SOURCE_LINE = '{"data":{"source":{"slug":"js","enabled":true,"labels":[]}}}'


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["translate", *args], input=stdin)


def test_two_inputs_of_the_same_name_are_refused_before_anything_is_written(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "src.json").write_text(SOURCE)
    out = tmp_path / "out"
    result = run(str(tmp_path / "a" / "src.json"), str(tmp_path / "b" / "src.json"), "-o", str(out), "-q")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{out / 'src.json'}: error: several inputs would be written here: "
        f"{tmp_path / 'a' / 'src.json'}, {tmp_path / 'b' / 'src.json'}; translate them into separate output directories\n"
    )
    assert not out.exists()


def test_two_input_trees_with_the_same_file_are_refused(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder / "nested").mkdir(parents=True)
        (tmp_path / folder / "nested" / "x.json").write_text(SOURCE)
    (tmp_path / "one" / "only-here.json").write_text(SOURCE)
    out = tmp_path / "out"
    result = run(str(tmp_path / "one"), str(tmp_path / "two"), "-o", str(out), "-q")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{out / 'nested' / 'x.json'}: error: several inputs would be written here: "
        f"{tmp_path / 'one' / 'nested' / 'x.json'}, {tmp_path / 'two' / 'nested' / 'x.json'}; "
        "translate them into separate output directories\n"
    )
    assert not out.exists()


def test_a_lone_surrogate_is_an_error_for_its_line_only(tmp_path):
    path = tmp_path / "export.ndjson"
    path.write_text(SOURCE + "\n" + '{"name": "workspaces/acme/sources/js", "display_name": "Caf\\ud83d"}\n'
                    + '{"name": "workspaces/acme/sources/js", "display_name": "\\ud83d\\ude00"}\n')
    result = run(str(path), "-q")
    assert result.exit_code == 2
    assert result.stdout == SOURCE_LINE + "\n" + '{"data":{"source":{"slug":"js","name":"😀","enabled":true,"labels":[]}}}\n'
    assert result.stderr == (
        f"{path}:2: error: not translatable JSON: string escape \\ud83d is a lone surrogate, not a Unicode character\n"
    )


def test_deep_nesting_is_an_error_not_a_traceback(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"name": "workspaces/acme/sources/js", "display_name": ' + "[" * 5000 + "]" * 5000 + "}")
    good = tmp_path / "good.json"
    good.write_text(SOURCE)
    result = run(str(deep), str(good), "-q")
    assert result.exit_code == 2
    assert result.stderr == f"{deep}: error: not translatable JSON: nested too deeply to read\n"
    assert json.loads(result.stdout) == json.loads(SOURCE_LINE)


def test_numbers_keep_their_text_and_nan_is_refused():
    exact = '{"name": "workspaces/acme/sources/js", "write_keys": [1e400, 0.1000000000000000055511151231257827, -0.0, 7]}'
    nan = '{"name": "workspaces/acme/sources/js", "write_keys": [NaN]}'
    infinity = '{"name": "workspaces/acme/sources/js", "write_keys": [-Infinity]}'
    result = run("-q", stdin="\n".join([exact, nan, infinity]) + "\n")
    assert result.exit_code == 2
    assert result.stdout == (
        '{"data":{"source":{"slug":"js","writeKeys":[1e400,0.1000000000000000055511151231257827,-0.0,7],"enabled":true,"labels":[]}}}\n'
    )
    assert result.stderr == (
        "<stdin>:2: error: not translatable JSON: NaN is not a JSON value (JSON numbers are finite)\n"
        "<stdin>:3: error: not translatable JSON: -Infinity is not a JSON value (JSON numbers are finite)\n"
    )


def test_numbers_keep_their_text_in_pretty_output(tmp_path):
    path = tmp_path / "src.json"
    path.write_text('{"name": "workspaces/acme/sources/js", "write_keys": [1.10]}')
    result = run(str(path), "-q")
    assert result.stdout == '{\n  "data": {\n    "source": {\n      "slug": "js",\n      "writeKeys": [\n        1.10\n      ],\n      "enabled": true,\n      "labels": []\n    }\n  }\n}\n'


def test_repeated_keys_are_reported_as_conflicts():
    doc = '{"name": "workspaces/acme/sources/js", "display_name": "Old", "display_name": "New"}'
    result = run("-v", "--strict", stdin=doc)
    assert result.exit_code == 1
    assert result.stdout == '{"data":{"source":{"slug":"js","name":"New","enabled":true,"labels":[]}}}\n'
    assert result.stderr.splitlines() == [
        "<stdin>:1: display_name: conflict [json.repeated-key] 'display_name' appears more than once: "
        'the earlier value "Old" is replaced by the last one; left out',
        "<stdin>:1: name: unresolved [source.fields] no source id for 'js' (run `migrator ids`)",
        "<stdin>:1: name: unresolved [source.fields] no workspace id for 'acme' (run `migrator ids`)",
        "<stdin>:1: enabled: added [source.fields] a Public source requires it and a Config one never had it; true used",
        "<stdin>:1: labels: added [source.fields] a Public source requires it and a Config one never had it; [] used",
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 2 unresolved id(s)",
        "  conflicting values (each report says which one is sent, if any): 1",
        "  added: 2",
        "strict: unresolved ids, conflicting values (see -v)",
    ]


def test_repeated_keys_deep_inside_are_found_with_their_path():
    doc = jsontext.loads('{"sources": [{"a": 1}, {"b": {"c": 1, "c": 2, "c": 3}}], "x": 0, "x": 1}')
    assert doc == {"sources": [{"a": 1}, {"b": {"c": 3}}], "x": 1}
    assert jsontext.duplicates(doc) == [("x", "x", 0), ("sources[1].b.c", "c", 1), ("sources[1].b.c", "c", 2)]


def test_a_bom_is_skipped(tmp_path):
    single = tmp_path / "bom.json"
    single.write_bytes(b"\xef\xbb\xbf" + SOURCE.encode())
    lines = tmp_path / "bom.ndjson"
    lines.write_bytes(b"\xef\xbb\xbf" + SOURCE.encode() + b"\n")
    result = run(str(single), str(lines), "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == json.dumps(json.loads(SOURCE_LINE), indent=2) + "\n" + SOURCE_LINE + "\n"


def test_a_json_file_holding_ndjson_is_read_line_by_line(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(SOURCE + "\n" + '{"name": "workspaces/acme/sources/ios"}\n')
    result = run(str(path), "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SOURCE_LINE + "\n" + '{"data":{"source":{"slug":"ios","enabled":true,"labels":[]}}}\n'


def test_a_json_file_with_a_broken_second_document_still_says_where(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"a": 1}\n{"a": 2} x\n')
    result = run(str(path), "-q")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f'{path}:1: error: unknown kind of document; give --endpoint "METHOD /v1beta/..."',
        f"{path}:2: error: malformed JSON at column 10: Extra data",
    ]


def test_suffixes_are_matched_whatever_their_case(tmp_path):
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "b.JSON").write_text(SOURCE)
    (tree / "c.NDJSON").write_text(SOURCE + "\n" + SOURCE + "\n")
    out = tmp_path / "out"
    result = run(str(tree), "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["b.JSON", "c.NDJSON"]
    assert (out / "c.NDJSON").read_text() == SOURCE_LINE + "\n" + SOURCE_LINE + "\n"


def test_a_json_string_inside_a_body_is_read_as_exactly_as_a_document():
    # A filter preview's `input` is an event as JSON text: its numbers keep their text,
    # its repeated keys are conflicts, and what is not JSON is reported, not a traceback.
    preview = ["--request", "--endpoint", "POST /v1beta/filters/preview", "-v", "--strict"]
    event = '{"p": {"f": 0.1000000000000000055511151231257827, "g": 1e400, "z": -0.0, "k": 1, "k": 2}}'
    result = run(*preview, stdin=json.dumps({"filter": {"if": "all", "actions": []}, "input": event}))
    assert result.exit_code == 1
    assert result.stdout == (
        '{"method":"POST","url":"/destination/filters/preview","body":{"filter":{"if":"all","actions":[]},'
        '"payload":{"p":{"f":0.1000000000000000055511151231257827,"g":1e400,"z":-0.0,"k":2}}}}\n'
    )
    assert result.stderr.splitlines() == [
        "<stdin>:1: input.p.k: conflict [json.repeated-key] 'k' appears more than once in the JSON string: "
        "the earlier value 1 is replaced by the last one; left out",
        "translated 1 document(s), 0 error(s); 0 field(s) dropped by rule, 0 unknown, 0 unresolved id(s)",
        "  conflicting values (each report says which one is sent, if any): 1",
        "strict: conflicting values (see -v)",
    ]
    lines = [json.dumps({"filter": {"if": "all", "actions": []}, "input": text})
             for text in ('{"a": NaN}', '{"a": "\\ud800"}')]
    result = run(*preview, stdin="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert result.stdout == '{"method":"POST","url":"/destination/filters/preview","body":{"filter":{"if":"all","actions":[]}}}\n' * 2
    assert result.stderr.splitlines()[:2] == [
        "<stdin>:1: input: unknown [filter-preview.fields] a string whose text is not JSON "
        "(NaN is not a JSON value (JSON numbers are finite)); left out",
        "<stdin>:2: input: unknown [filter-preview.fields] a string whose text is not JSON "
        "(string escape \\ud800 is a lone surrogate, not a Unicode character); left out",
    ]


def test_an_integer_minus_zero_keeps_its_sign():
    doc = '{"name": "workspaces/acme/sources/js", "display_name": "v-0", "write_keys": [-0, 0, -0e1, -10, -0.0]}'
    result = run("-q", stdin=doc)
    assert result.stdout == '{"data":{"source":{"slug":"js","name":"v-0","writeKeys":[-0,0,-0e1,-10,-0.0],"enabled":true,"labels":[]}}}\n'
    assert jsontext.loads('{"a": -0}')["a"].text == "-0"


def test_an_integer_too_long_to_read_is_an_error_for_its_document_only(tmp_path):
    # It was a traceback (ValueError: Exceeds the limit (4300 digits)) that stopped the run.
    huge = '{"error": "x", "code": ' + "9" * 5000 + "}"
    single = tmp_path / "huge.json"
    single.write_text(huge)
    lines = tmp_path / "export.ndjson"
    lines.write_text(huge + "\n" + SOURCE + "\n")
    result = run(str(single), str(lines), "-q")
    assert result.exit_code == 2
    assert result.stdout == SOURCE_LINE + "\n"
    assert result.stderr == (
        f"{single}: error: not translatable JSON: an integer of more than 4300 digits cannot be read\n"
        f"{lines}:1: error: not translatable JSON: an integer of more than 4300 digits cannot be read\n"
    )


def test_an_id_map_too_long_or_too_deep_to_read_is_one_line(tmp_path):
    source = tmp_path / "src.json"
    source.write_text(SOURCE)
    for content, why in (('{"format": "migrator.ids", "version": ' + "1" * 5000 + "}",
                          "an integer of more than 4300 digits cannot be read"),
                         ("[" * 100000, "nested too deeply to read")):
        ids = tmp_path / "ids.json"
        ids.write_text(content)
        result = run(str(source), "--ids", str(ids))
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", f"migrator: error: {ids}: not a JSON id map: {why}\n")
        result = CliRunner().invoke(cli, ["ids", "-o", str(ids), "--token", "t", "--api-url", "http://127.0.0.1:9"])
        assert (result.exit_code, result.stderr) == (
            2, f"migrator ids: error: {ids}: exists and cannot be read ({why}); not replacing it "
               "(choose another -o FILE or remove it)\n")
        assert ids.read_text() == content


def test_a_json_file_holding_ndjson_breaks_lines_at_newlines_only(tmp_path):
    # U+2028 and U+0085 may stand unescaped in a JSON string; `str.splitlines` broke the lines there.
    docs = [{"name": "workspaces/acme/sources/web", "display_name": "A\u2028B"},
            {"name": "workspaces/acme/sources/ios", "display_name": "C\u0085D"}]
    text = "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in docs)
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    result = run(str(path), "-q")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == ('{"data":{"source":{"slug":"web","name":"A\u2028B","enabled":true,"labels":[]}}}\n'
                             '{"data":{"source":{"slug":"ios","name":"C\u0085D","enabled":true,"labels":[]}}}\n')


def test_a_bom_at_the_start_of_any_line_is_skipped(tmp_path):
    # Concatenated exports repeat the BOM at the start of each part.
    lines = b"\xef\xbb\xbf" + SOURCE.encode() + b"\r\n\xef\xbb\xbf" + SOURCE.encode() + b"\n"
    for name in ("export.ndjson", "export.json"):
        (tmp_path / name).write_bytes(lines)
        result = run(str(tmp_path / name), "-q")
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout == SOURCE_LINE + "\n" + SOURCE_LINE + "\n"
    result = run("-q", stdin=lines)
    assert (result.exit_code, result.stdout, result.stderr) == (0, SOURCE_LINE + "\n" + SOURCE_LINE + "\n", "")
