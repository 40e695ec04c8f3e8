"""Postman variables set to the Config base, by a collection's `variable`
list or by an environment file of the run: the requests built on them are
Config requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
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


def collection_of_arrays(variables: list[dict[str, str]] | None = None) -> str:
    """The requests of `collection`, their URLs given as `host` and `path` arrays only, as Postman writes them."""
    requests = [("GET", "{{baseUrl}}", ["workspaces"]), ("POST", "{{baseUrl}}", ["access-tokens"]),
                ("GET", "{{baseUrl}}", ["workspaces", "acme", "sources"]), ("GET", "{{publicUrl}}", ["sources"])]
    items = [{"request": {"method": m, "url": {"host": [host], "path": path}}} for m, host, path in requests]
    document = {"info": {"_postman_id": "1", "name": "Segment"}, "item": items}
    return json.dumps({**document, "variable": variables} if variables else document, indent=2) + "\n"


ARRAY_REQUESTS = [
    ("api.postman_collection.json", 15, 14, "endpoint.workspaces.list", "{{baseUrl}}/workspaces"),
    ("api.postman_collection.json", 28, 14, "endpoint.access-tokens.create", "{{baseUrl}}/access-tokens"),
    ("api.postman_collection.json", 41, 14, "endpoint.sources.list", "{{baseUrl}}/workspaces/acme/sources"),
]


def test_a_variable_set_to_the_config_base_as_the_host_array_of_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet,
) -> None:
    """`"host": ["{{baseUrl}}"]` and a `path` array, no `raw`: read as
    `{{baseUrl}}/workspaces` is, reported at the path's first element."""
    (tmp_path / "api.postman_collection.json").write_text(collection_of_arrays())
    (tmp_path / "dev.postman_environment.json").write_text(environment(CONFIG))
    monkeypatch.chdir(tmp_path)
    assert findings(tmp_path, real_rules) == [
        *ARRAY_REQUESTS,
        ("dev.postman_environment.json", 6, 14, "host.base-url", CONFIG),
    ]
    lines = collection_of_arrays().splitlines()
    assert [lines[line - 1][column - 1 :] for _, line, column, _, _ in ARRAY_REQUESTS] == [
        'workspaces"', 'access-tokens"', 'workspaces",',
    ]


def test_a_variable_the_collection_sets_to_the_config_base_as_a_host_array(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet,
) -> None:
    variables = [{"key": "baseUrl", "value": CONFIG}, {"key": "publicUrl", "value": PUBLIC}]
    (tmp_path / "api.postman_collection.json").write_text(collection_of_arrays(variables))
    monkeypatch.chdir(tmp_path)
    assert findings(tmp_path, real_rules) == [
        *ARRAY_REQUESTS,
        ("api.postman_collection.json", 65, 17, "host.base-url", CONFIG),
    ]


def test_a_host_array_variable_set_to_the_public_host_is_not_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_rules: RuleSet,
) -> None:
    """As with `raw` strings: only what the text shows as Config (the source list's path)."""
    (tmp_path / "api.postman_collection.json").write_text(collection_of_arrays())
    (tmp_path / "dev.postman_environment.json").write_text(environment(PUBLIC))
    monkeypatch.chdir(tmp_path)
    assert [f[1:] for f in findings(tmp_path, real_rules)] == [
        (41, 14, "endpoint.sources.list", "workspaces/acme/sources"),
    ]


def test_a_one_line_collection_of_url_arrays(real_rules: RuleSet) -> None:
    """Minified: the path read after the variable's version prefix is
    written over the array's key when it has no room after it; columns after it stay the file's."""
    short = '{"url": {"host": ["{{baseUrl}}"], "path": ["workspaces", "w"]}}'
    long = '{"url": {"host": ["{{baseUrl}}"], "path": ["workspaces", "{{ws}}", "sources"]}}'
    tail = f'"variable": [{{"key": "baseUrl", "value": "{CONFIG}"}}]'
    text = '{"item": [' + short + ", " + long + "], " + tail + "}\n"
    auditor = Auditor(real_rules, codemod=None)
    found = auditor.scan("c.postman_collection.json", text.encode()).findings
    assert [(f.line, f.column, f.rule, f.text) for f in found] == [
        (1, 55, "endpoint.workspaces.get", "{{baseUrl}}/workspaces/w"),
        (1, 120, "endpoint.sources.list", "{{baseUrl}}/workspaces/{{ws}}/sources"),
        (1, 200, "host.base-url", CONFIG),
    ]
    assert text[54:64] == text[119:129] == "workspaces" and text[199:].startswith(CONFIG)
