"""The table as text, markdown (docs/rules.md) or JSON."""

from __future__ import annotations

import json
from typing import Any

from migrator.ruleset.models import EndpointRow, FieldMap, ResourceRow, Row, RuleFile
from migrator.ruleset.ruleset import RuleSet

BASE_FIELDS = set(Row.model_fields)
SAFETY = {
    "safe": "safe: applied automatically",
    "needs-ids": "needs ids: applied when the id map (`--ids`) holds the ids, reported otherwise",
    "review": "review: applied automatically; check the reported behaviour differences",
    "manual": "manual: never applied; a person must act",
}


def _rows(rule_file: RuleFile) -> list[Row]:
    return [row for name in RuleFile.model_fields if name not in ("family", "description")
            for row in getattr(rule_file, name)]


def render_text(rules: RuleSet) -> str:
    lines = []
    for rule_file in rules.files:
        lines.append(f"{rule_file.family}: {rule_file.description}")
        for row in _rows(rule_file):
            lines.append(f"  {row.id:<44} {row.safety:<9} {row.summary}")
    return "\n".join(lines) + "\n"


def render_json(rules: RuleSet) -> str:
    files = [rule_file.model_dump(mode="json", exclude_defaults=True) for rule_file in rules.files]
    return json.dumps({"files": files}, indent=2, ensure_ascii=False) + "\n"


def render_markdown(rules: RuleSet) -> str:
    out = [
        "# Rule reference",
        "",
        "Generated from `rules/*.toml` by `migrator rules --format markdown`; do not edit by hand.",
        "Each rule has a stable id used in reports, markers and audit findings.",
        "",
    ]
    for rule_file in rules.files:
        count = len(_rows(rule_file))
        out.append(f"- [{rule_file.family}](#{rule_file.family}): {count} rule{'' if count == 1 else 's'}")
    for rule_file in rules.files:
        out += ["", f"## {rule_file.family}", "", rule_file.description]
        for row in _rows(rule_file):
            out += _row(row)
    return "\n".join(out) + "\n"


def _row(row: Row) -> list[str]:
    out = ["", f"### `{row.id}`", "", f"**What it does.** {row.summary}", "", f"**Why.** {row.why}", ""]
    out += _details(row)
    out += [f"**Fix safety.** {SAFETY[row.safety]}.", "", f"**Reference.** {row.reference}"]
    for n, example in enumerate(row.examples, start=1):
        title = f"**Example {n}**" + (f" (`{example.endpoint}`" + (", request)" if example.request else ")")
                                       if example.endpoint else "")
        out += ["", title + ":", "", "```json", _json(example.before), "```", "", "becomes", "",
                "```json", _json(example.after), "```"]
    for n, code in enumerate(row.code, start=1):
        out += ["", f"**Code example {n}:**", "", "```python", code.before.rstrip("\n"), "```", "",
                "becomes", "", "```python", code.after.rstrip("\n"), "```"]
    for doc in row.left_alone:
        out += ["", "**Left alone:**", "", "```json", _json(doc), "```"]
    for source in row.code_left_alone:
        out += ["", "**Left alone:**", "", "```python", source.rstrip("\n"), "```"]
    return out


def _details(row: Row) -> list[str]:
    if isinstance(row, EndpointRow):
        public = f"`{row.public}`" if row.public else "**no counterpart**"
        out = [f"Config `{row.config}` → Public {public}", ""]
        for name, ref in {**row.ids, **row.body_ids}.items():
            out.append(f"- `{name}`: id from the `{ref.lookup}` map, key `{ref.key}`")
        for name, value in row.fixed_query.items():
            out.append(f"- query `{name}={value}` sent on every call")
        for name, ref in row.query_enums.items():
            row_id, _, field = ref.partition(":")
            out.append(f"- query `{name}`: values mapped by the `enum` of `{field}` in `{row_id}`")
        if row.instead:
            out.append(f"- instead: {row.instead}")
        if row.config_whole_list:
            out.append("- the Config call answered the whole list; the Public call pages")
        return out + ([""] if len(out) > 2 else [])
    if isinstance(row, ResourceRow):
        out = ["| Config field | Public |", "|---|---|"]
        out += [f"| `{name}` | {_field(field)} |" for name, field in row.fields.items()]
        return out + [""]
    extra = {k: v for k, v in row.model_dump(mode="json").items() if k not in BASE_FIELDS}
    if not extra:
        return []
    return [f"- {key}: `{json.dumps(value, ensure_ascii=False)}`" for key, value in extra.items()] + [""]


def _field(field: FieldMap) -> str:
    parts = []
    for output in (field, *field.also):
        if output.drop:
            parts.append(f"dropped: {output.reason}")
            continue
        text = f"`{output.to}`"
        if output.id:
            text += f" (id from `{output.id.lookup}`)"
        elif output.transform != "copy":
            text += f" ({output.transform})"
        if output.enum:
            text += " " + ", ".join(f"`{k}`→`{v}`" for k, v in output.enum.items())
        if output.when != "both":
            text += f" in {output.when}s"
        parts.append(text)
    return "; ".join(parts).replace("|", "\\|")


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
