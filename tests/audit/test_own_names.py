"""Precise mode does not report a Python file's own names as Config fields
where the codemod neither changes nor marks the line (attributes of its own
classes, its functions' keyword arguments, attributes it sets on `self`), nor
a `Basic` header built outside the function minting a token; it still
reports the keys read off values (`cfg["display_name"]`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.ruleset import RuleSet

OWN = b'''import requests
from base64 import b64encode


class Address:
    def __init__(self, display_name):
        self._display_name = display_name

    @property
    def display_name(self):
        return self._display_name

    def __str__(self):
        return self.display_name


class Timer:
    def stop(self):
        self.finish_time = 1.0

    def infer(self, choice, source_name=None):
        return self.infer_model(choice, source_name=source_name)

    def infer_model(self, choice, source_name=None):
        return repr(source_name)


def basic_header(username, password):
    token = b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def mint_by_header(email, password):
    creds = b64encode(f"{email}:{password}".encode()).decode()
    headers = {"Authorization": "Basic " + creds}
    return requests.post("https://platform.segmentapis.com/v1beta/access-tokens", headers=headers).json()


def settings(cfg, other):
    label = cfg["display_name"] or cfg.get("finish_time")
    return dict(source_name=label), other.create_time, other.display_name


def sources():
    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()
'''


def found(tree: Path, data: bytes, rules: RuleSet, monkeypatch: pytest.MonkeyPatch, precise: bool = True,
          ) -> list[tuple[int, int, str, str | None]]:
    (tree / "mod.py").write_bytes(data)
    monkeypatch.chdir(tree)
    run = audit_paths([Path(".")], rules, jobs=1, cache=None, precise=precise)
    return sorted((f.line, f.column, f.rule, f.fix) for f in run.findings)


def test_own_names_and_a_basic_helper_are_not_reported_in_precise_mode(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not reported: `self.display_name` (14, a property of `Address`), `self.finish_time =` (19),
    # `source_name=` given to the file's own `infer_model` (22), the helper's `f"Basic {token}"` (30),
    # `other.display_name` (41, the name of an attribute of the file's classes).
    # Reported: the `Basic` header of the function that mints a token (35) with its call (36);
    # the keys read off `cfg` (40, marked by the codemod), `dict(source_name=...)`, a key, and
    # `other.create_time`, no attribute of the file's classes (41).
    assert found(tmp_path, OWN, real_rules, monkeypatch) == [
        (35, 33, "audit.token-by-password", "manual"),
        (36, 26, "endpoint.access-tokens.create", "manual"),
        (40, 13, "rewrite.responses", "manual"),
        (40, 36, "rewrite.responses", "manual"),
        (41, 17, "source-connection.fields", "manual"),
        (41, 43, "audit.config-field", "manual"),
        (45, 12, "pagination.params", "rewrite"),
        (45, 25, "endpoint.sources.list", "rewrite"),
    ]


def test_the_text_search_still_reports_them(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `--no-precise` reads Python as text, as before
    assert [(line, column, rule) for line, column, rule, _ in found(tmp_path, OWN, real_rules, monkeypatch, False)] == [
        (14, 21, "audit.config-field"),
        (19, 14, "audit.config-field"),
        (22, 41, "source-connection.fields"),
        (30, 13, "audit.token-by-password"),
        (35, 33, "audit.token-by-password"),
        (36, 27, "host.base-url"),
        (36, 66, "endpoint.access-tokens.create"),
        (40, 18, "audit.config-field"),
        (40, 45, "audit.config-field"),
        (41, 17, "source-connection.fields"),
        (41, 43, "audit.config-field"),
        (41, 62, "audit.config-field"),
        (45, 26, "host.base-url"),
        (45, 65, "endpoint.sources.list"),
    ]
