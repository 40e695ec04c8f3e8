"""The response analysis skips functions that cannot hold a value from a
Config call (`Flow._relevant`); skipping them must never change a result.
Every fixture and corpus script is rewritten with and without the skip."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.rewrite.responses_flow import Flow
from migrator.ruleset import load_rules

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = sorted(p for p in (TESTS / "fixtures" / "rewrite").glob("*/input.py"))
CORPUS = sorted((TESTS / "equivalence" / "corpus").glob("*.py"))
RULES = load_rules()


def _options(path: Path) -> dict:
    found = path.parent / "options.json"
    return json.loads(found.read_text(encoding="utf-8")) if found.is_file() else {}


def _rewrite(path: Path):
    opts = _options(path)
    ids = IdMap.model_validate(opts["ids"]) if "ids" in opts else None
    result = rewrite_bytes(path.read_bytes(), RULES, ids, lookup_module=opts.get("lookup_module"))
    return result.code, result.changes, result.markers, result.notes


def _every_function(flow: Flow) -> set[int]:
    return {id(n) for n in flow.ctx.index.parents if isinstance(n, cst.FunctionDef)}


@pytest.mark.parametrize("path", FIXTURES + CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_skipping_functions_changes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gated = _rewrite(path)
    monkeypatch.setattr(Flow, "_relevant", _every_function)
    assert _rewrite(path) == gated


def test_unrelated_functions_are_skipped() -> None:
    src = (
        b'import requests\n\nAPI = "https://platform.segmentapis.com/v1beta"\n\n\n'
        b'def names():\n    return [s["name"] for s in requests.get(f"{API}/workspaces/acme/sources").json()["sources"]]\n\n\n'
        b'def show():\n    print(names())\n\n\n'
        b'def unrelated(rows):\n    return sorted(r["title"] for r in rows)\n'
    )
    seen: list[set[str]] = []
    original = Flow._relevant

    def spy(flow: Flow) -> set[int]:
        found = original(flow)
        seen.append({n.name.value for n in flow.ctx.index.parents if isinstance(n, cst.FunctionDef) and id(n) in found})
        return found

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Flow, "_relevant", spy)
        rewrite_bytes(src, RULES, None)
    assert seen and seen[-1] == {"names", "show"}
