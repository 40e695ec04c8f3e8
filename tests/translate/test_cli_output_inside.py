"""An output directory inside the input directory is not read as input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from migrator.cli import cli

SOURCE = {"name": "workspaces/acme/sources/js", "display_name": "Web"}


def test_a_second_run_does_not_translate_the_outputs_of_the_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t2").mkdir()
    (tmp_path / "t2" / "src.json").write_text(json.dumps(SOURCE))
    first = CliRunner().invoke(cli, ["translate", "t2", "-o", "t2/out"])
    second = CliRunner().invoke(cli, ["translate", "t2", "-o", "t2/out"])
    assert (first.exit_code, second.exit_code) == (0, 0)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == ["t2/out/src.json", "t2/src.json"]
    assert json.loads((tmp_path / "t2" / "out" / "src.json").read_text()) == {
        "data": {"source": {"slug": "js", "name": "Web", "enabled": True, "labels": []}}}
    assert second.stderr.splitlines()[0] == "t2/out: note: the output directory is inside the input t2: its files are not read"
    assert "translated 1 document(s)" in second.stderr
