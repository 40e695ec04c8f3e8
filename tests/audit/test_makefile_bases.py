"""A Makefile's `$(NAME)` is its variable, as `${NAME}` is: a Config path
right after `$(SEGMENT_API)` is read after that base, whether the Makefile
assigns it with `:=`, `?=` or `=`. Elsewhere (a shell script) `$(cmd)` runs
a command: no base."""

from __future__ import annotations

import pytest

from migrator.audit.core import Auditor
from migrator.ruleset import RuleSet

HOST = ("host.base-url", "https://platform.segmentapis.com/v1beta")
RECIPES = (
    'a:\n\tcurl -sS "$(SEGMENT_API)/catalog/sources"\n'
    '\tcurl -sS -X POST "$(SEGMENT_API)/access-tokens"\n'
    "\tcurl -sS $(SEGMENT_API)/workspaces\n"
    '\tcurl -sS "${SEGMENT_API}/catalog/destinations"\n'
)
EXPECTED = [
    (3, 27, "endpoint.catalog.sources.list", "catalog/sources"),
    (4, 35, "endpoint.access-tokens.create", "access-tokens"),
    (5, 26, "endpoint.workspaces.list", "workspaces"),
    (6, 27, "endpoint.catalog.destinations.list", "catalog/destinations"),
]


def found(auditor: Auditor, source: str, path: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.rule, f.text) for f in auditor.scan(path, source.encode()).findings]


@pytest.mark.parametrize("path", ["Makefile", "GNUmakefile", "build/segment.mk"])
@pytest.mark.parametrize("assign", [":=", "?=", "="])
def test_a_make_variable_is_a_base(real_rules: RuleSet, path: str, assign: str) -> None:
    source = f"SEGMENT_API {assign} https://platform.segmentapis.com/v1beta\n" + RECIPES
    column = 14 + len(assign)
    assert found(Auditor(real_rules, codemod=None), source, path) == [(1, column, *HOST), *EXPECTED]


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        # another API's base in a Makefile: its workspace paths are its own
        ("Makefile", "TFC ?= https://app.terraform.io/api/v2\nPM = https://api.getpostman.com\na:\n"
                     '\tcurl "$(TFC)/workspaces/ws-1/roles"\n\tcurl "$(PM)/workspaces/$(WS)/roles"\n', []),
        # a shell's `$(base)` is a command's output, not the variable `base`
        ("x.sh", 'base=https://platform.segmentapis.com/v1beta\ncurl "$(base)/catalog/sources"\n',
         [(1, 6, *HOST)]),
    ],
)
def test_no_make_variable_no_config_base(real_rules: RuleSet, path: str, source: str,
                                         expected: list[tuple[int, int, str, str]]) -> None:
    assert found(Auditor(real_rules, codemod=None), source, path) == expected
