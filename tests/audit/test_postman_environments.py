"""Postman variables set to the Config base, by a collection's `variable`
list or by an environment file of the run: the requests built on them are
Config requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet

CONFIG = "https://platform.segmentapis.com/v1beta"
PUBLIC = "https://api.segmentapis.com"


def collection(variables: list[dict[str, str]] | None = None) -> str:
    requests = [("GET", "{{baseUrl}}/workspaces"), ("POST", "{{baseUrl}}/access-tokens"),
                ("GET", "{{baseUrl}}/workspaces/acme/sources"), ("GET", "{{publicUrl}}/sources")]
    lines = ['{"info": {"_postman_id": "1", "name": "Segment"}, "item": [']
    lines += [f'  {{"request": {{"method": "{m}", "url": {{"raw": "{raw}"}}}}}},' for m, raw in requests]
    lines[-1] = lines[-1].rstrip(",")
    lines.append("]" + (', "variable": ' + json.dumps(variables) if variables else "") + "}")
    return "\n".join(lines) + "\n"


def environment(base: str) -> str:
    values = [{"key": "baseUrl", "value": base, "enabled": True}, {"key": "publicUrl", "value": PUBLIC, "enabled": True}]
    return json.dumps({"name": "dev", "values": values}, indent=1) + "\n"


def findings(tree: Path, rules: RuleSet) -> list[tuple[str, int, int, str, str]]:
    run = audit_paths([Path(".")], rules, precise=False)
    return [(f.path, f.line, f.column, f.rule, f.text) for f in run.findings]


CONFIG_REQUESTS = [
    ("api.postman_collection.json", 2, 49, "endpoint.workspaces.list", "{{baseUrl}}/workspaces"),
    ("api.postman_collection.json", 3, 50, "endpoint.access-tokens.create", "{{baseUrl}}/access-tokens"),
    ("api.postman_collection.json", 4, 49, "endpoint.sources.list", "{{baseUrl}}/workspaces/acme/sources"),
]


def test_a_variable_an_environment_file_sets_to_the_config_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet,
) -> None:
    """The collection has no Config host nor `v1beta`: its requests are read
    as written out Config paths, from the variable; the environment's value is the host's finding."""
    (tmp_path / "api.postman_collection.json").write_text(collection())
    (tmp_path / "dev.postman_environment.json").write_text(environment(CONFIG))
    monkeypatch.chdir(tmp_path)
    assert findings(tmp_path, real_rules) == [
        *CONFIG_REQUESTS,
        ("dev.postman_environment.json", 6, 14, "host.base-url", CONFIG),
    ]


def test_a_variable_the_collection_sets_to_the_config_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet,
) -> None:
    variables = [{"key": "baseUrl", "value": CONFIG}, {"key": "publicUrl", "value": PUBLIC}]
    (tmp_path / "api.postman_collection.json").write_text(collection(variables))
    monkeypatch.chdir(tmp_path)
    assert findings(tmp_path, real_rules) == [
        *CONFIG_REQUESTS,
        ("api.postman_collection.json", 6, 46, "host.base-url", CONFIG),
    ]


def test_a_variable_set_to_the_public_host_is_not_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet,
) -> None:
    """Only what the text itself shows as Config (from `workspaces/`) is reported, as before."""
    (tmp_path / "api.postman_collection.json").write_text(collection())
    (tmp_path / "dev.postman_environment.json").write_text(environment(PUBLIC))
    monkeypatch.chdir(tmp_path)
    assert [f[1:4] for f in findings(tmp_path, real_rules)] == [
        (2, 61, "audit.config-path-piece"), (3, 62, "audit.config-path-piece"), (4, 61, "endpoint.sources.list"),
    ]
