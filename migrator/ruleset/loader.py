"""Load `rules/*.toml` into a validated `RuleSet`, reporting every error at once."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from migrator.ruleset import stored
from migrator.ruleset.models import EndpointRow, ResourceRow, RuleFile
from migrator.ruleset.ruleset import RuleSet
from migrator.ruleset.templates import template

ROW_LISTS = tuple(
    name for name, field in RuleFile.model_fields.items() if name not in ("family", "description")
)


class RulesError(ValueError):
    """The table is broken; the message lists every problem, one per line."""


def default_rules_dir() -> Path:
    """`rules/` beside the package in a checkout, or the copy inside a wheel."""
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("migrator") / "_rules"))


def load_rules(directory: Path | None = None) -> RuleSet:
    """The table in `directory`, or the shipped one, whose files are read
    and checked once per process (each call gets a RuleSet of its own)."""
    return RuleSet(list(_load(directory) if directory is not None else _shipped()))


@cache
def _shipped() -> tuple[RuleFile, ...]:
    """Read back from the user's cache when the files and code are unchanged
    (`stored`): a run need not parse and validate them."""
    directory = default_rules_dir()
    digest = stored.key(sorted(directory.glob("*.toml")))
    files = stored.read(digest) if digest is not None else None
    if files is None:
        files = _load(directory)
        if digest is not None:
            stored.write(digest, files)
    return files


def _load(directory: Path) -> tuple[RuleFile, ...]:
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise RulesError(f"{directory}: no rule files (*.toml)")
    problems: list[str] = []
    files: list[tuple[Path, RuleFile]] = []
    for path in paths:
        parsed = _load_file(path, problems)
        if parsed is not None:
            files.append((path, parsed))
    if not problems:
        problems.extend(_cross_file_problems(files))
    if problems:
        raise RulesError("invalid rules:\n" + "\n".join(problems))
    return tuple(rule_file for _, rule_file in files)


def _load_file(path: Path, problems: list[str]) -> RuleFile | None:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: cannot read: {exc}")
        return None
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path.name}: not valid TOML: {exc}")
        return None
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(_describe(path, raw, error))
        return None


def _describe(path: Path, raw: dict[str, Any], error: Any) -> str:
    """`sources.toml: row 'source.fields': fields.name.to: message`."""
    loc = list(error["loc"])
    where = f"{path.name}:"
    if len(loc) >= 2 and loc[0] in ROW_LISTS and isinstance(loc[1], int):
        rows = raw.get(str(loc[0]), [])
        row = rows[loc[1]] if loc[1] < len(rows) and isinstance(rows[loc[1]], dict) else {}
        row_id = row.get("id", f"#{loc[1] + 1}")
        where += f" {loc[0]} row '{row_id}':"
        loc = loc[2:]
    field = ".".join(str(part) for part in loc) or "(row)"
    return f"{where} {field}: {error['msg']}"


def _cross_file_problems(files: list[tuple[Path, RuleFile]]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    kinds = {row.kind for _, f in files for row in f.resources}
    paging = {name for _, f in files for row in f.pagination for name in (row.count_param, row.cursor_param)}
    resource_rows = {row.id: row for _, f in files for row in f.resources}
    for path, rule_file in files:
        for list_name in ROW_LISTS:
            for row in getattr(rule_file, list_name):
                if row.id in seen:
                    problems.append(
                        f"{path.name}: {list_name} row '{row.id}': id: already used in {seen[row.id]}"
                    )
                seen[row.id] = path.name
        for endpoint in rule_file.endpoints:
            problems.extend(_placeholder_problems(path, endpoint))
            problems.extend(
                f"{path.name}: endpoints row '{endpoint.id}': fixed_query.{name}: a page parameter, "
                "which the call sends already"
                for name in endpoint.fixed_query if name in paging
            )
            problems.extend(
                f"{path.name}: endpoints row '{endpoint.id}': query_enums.{key}: {problem}"
                for key, ref in endpoint.query_enums.items()
                if (problem := _enum_ref_problem(ref, resource_rows))
            )
            for attr in ("request", "response"):
                kind = getattr(endpoint, attr)
                if kind is not None and kind not in kinds:
                    problems.append(
                        f"{path.name}: endpoints row '{endpoint.id}': {attr}: unknown resource kind '{kind}'"
                    )
        for resource in rule_file.resources:
            for key, field in resource.fields.items():
                for output in (field, *field.also):
                    if output.each is not None and output.each not in kinds:
                        problems.append(
                            f"{path.name}: resources row '{resource.id}': fields.{key}.each: "
                            f"unknown resource kind '{output.each}'"
                        )
    return problems


def _enum_ref_problem(ref: str, rows: dict[str, ResourceRow]) -> str | None:
    """What is wrong with a `query_enums` reference (`<resources row id>:<field>`), if anything."""
    row_id, _, name = ref.partition(":")
    row = rows.get(row_id)
    if row is None:
        return f"'{row_id}' is not the id of a resources row"
    field = row.fields.get(name)
    if field is None:
        return f"'{name}' is not a field of resources row '{row_id}'"
    if not field.enum:
        return f"field '{name}' of resources row '{row_id}' has no 'enum'"
    return None


def _placeholder_problems(path: Path, row: EndpointRow) -> list[str]:
    """Every Public placeholder is filled: from an id lookup, a Config parameter
    of the same name, or (with `instead` saying how) by the user."""
    config_params = set(template(row.config.split(" ", 1)[1]).params)
    problems = []
    calls = [row.public or ""] + [c for f in row.followups for c in (f.call, f.partial) if c]
    for name in (p for call in calls for p in template(call).params):
        if name not in row.ids and name not in config_params and not row.instead:
            problems.append(
                f"{path.name}: endpoints row '{row.id}': public: {{{name}}} is neither in 'ids' "
                "nor a Config parameter; add it to 'ids' or say in 'instead' where it comes from"
            )
    for name, ref in {**row.ids, **row.body_ids}.items():
        unknown = set(template(ref.key).params) - config_params
        if unknown:
            problems.append(
                f"{path.name}: endpoints row '{row.id}': ids.{name}.key: "
                f"{', '.join(sorted(unknown))} not in the Config path"
            )
    return problems
