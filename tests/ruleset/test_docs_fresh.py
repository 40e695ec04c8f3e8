"""docs/rules.md is generated from the table and must not go stale."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from migrator.cli import cli
from migrator.ruleset import load_rules
from migrator.ruleset.render import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_rule_reference_is_up_to_date():
    expected = render_markdown(load_rules())
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run `migrator rules --format markdown > docs/rules.md`"
    )


def test_every_row_is_documented_under_its_id():
    text = DOC.read_text(encoding="utf-8")
    for row in load_rules().rows:
        assert f"### `{row.id}`" in text


def test_rules_command_formats():
    runner = CliRunner()
    text = runner.invoke(cli, ["rules"])
    assert text.exit_code == 0
    assert "  endpoint.sources.get" in text.stdout
    as_json = json.loads(runner.invoke(cli, ["rules", "--format", "json"]).stdout)
    ids = {row["id"] for f in as_json["files"] for key, rows in f.items() if isinstance(rows, list) for row in rows}
    assert ids == {row.id for row in load_rules().rows}
    markdown = runner.invoke(cli, ["rules", "--format", "markdown"]).stdout
    assert markdown == render_markdown(load_rules())
