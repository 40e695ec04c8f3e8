"""The generated lookup module is used only where its name reads it: each
way code binds the name otherwise, and the names that leave it free.

The cases in lookup_names/<case>/ are pairs like the fixtures' (input.py,
expected.py, options.json), kept apart from them: the audit's slicing test
draws its variants from the fixture files at random."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate({"sources": {"web": "qQEHquLrjRDN9j1ByrChyn"}})
CALL = 'requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/{slug}")'
LOOKED_UP = '    return requests.get(f"https://api.segmentapis.com/sources/{segment_ids.source_id(slug)}")\n'
MARKED = (
    "    # migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id "
    "of the source in `slug`, but here `segment_ids`, the name of the generated lookup module, is HOW: "
    "rename it, or rewrite with another `--lookup-module`\n"
    f"    return {CALL}\n"
)


CASES = Path(__file__).resolve().parent / "lookup_names"


def rewrite(code: str) -> str:
    return rewrite_bytes(code.encode(), RULES, IDS, lookup_module="segment_ids").code.decode()


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_case(case: str) -> None:
    """Compared byte for byte; the output parses and a second run changes nothing."""
    options = json.loads((CASES / case / "options.json").read_text(encoding="utf-8"))
    ids = IdMap.model_validate(options["ids"])

    def run(data: bytes) -> bytes:
        return rewrite_bytes(data, RULES, ids, lookup_module=options["lookup_module"]).code

    written = run((CASES / case / "input.py").read_bytes())
    assert written == (CASES / case / "expected.py").read_bytes()
    ast.parse(written)
    assert run(written) == written


@pytest.mark.parametrize(
    ("before", "inside", "how"),
    [
        ("", "global segment_ids\n    segment_ids = None\n", "declared `global` on line 5"),
        ("", "segment_ids: list\n", "assigned on line 5"),
        ("", "(segment_ids := [])\n", "assigned on line 5"),
        ("", "del segment_ids\n", "deleted with `del` on line 5"),
        ("", "import settings as segment_ids\n", "`settings` imported under that name on line 5"),
        ("", "import segment_ids.extra\n", "`import segment_ids.extra` on line 5"),
        ("", "from . import segment_ids\n", "imported from `.` on line 5"),
        ("", "def segment_ids(): ...\n", "a function on line 5"),
        ("", "class segment_ids: ...\n", "a class on line 5"),
        ("", "try:\n        pass\n    except OSError as segment_ids:\n        pass\n",
         "an `except ... as` name on line 7"),
        ("", "a, *segment_ids = [1, 2]\n", "assigned on line 5"),
        ("from helpers import *\n", "", "maybe bound by `from helpers import *` on line 2"),
        ("segment_ids = {}\n", "", "assigned on line 2"),
    ],
)
def test_a_name_bound_otherwise_keeps_the_call_marked(before: str, inside: str, how: str) -> None:
    code = f"import requests\n{before}\n\ndef get(slug):\n    {inside or 'pass'}\n    return {CALL}\n"
    out = rewrite(code)
    assert out.endswith(MARKED.replace("HOW", how)), out
    assert "import segment_ids\n" not in out.split("def get")[0]


@pytest.mark.parametrize(
    "inside",
    [
        "print(slug.segment_ids)\n",  # an attribute of that name
        "print(dict(segment_ids=1))\n",  # a keyword argument
        "print([segment_ids for segment_ids in 'ab'])\n",  # a comprehension's own variable
        "print(segment_ids.source_id('web'))\n",  # the generated module, read
        "import segment_ids\n",  # the generated module, imported here
    ],
)
def test_a_name_left_free_gets_the_lookup(inside: str) -> None:
    out = rewrite(f"import requests\n\n\ndef get(slug):\n    {inside}\n    return {CALL}\n")
    assert out.startswith("import segment_ids\nimport requests\n")
    assert out.endswith(LOOKED_UP), out


def test_a_nonlocal_name_is_the_enclosing_functions() -> None:
    code = (
        "import requests\n\n\ndef outer():\n    segment_ids = []\n\n"
        f"    def get(slug):\n        nonlocal segment_ids\n        return {CALL}\n\n"
        f"    return get\n\n\ndef get(slug):\n    return {CALL}\n"
    )
    out = rewrite(code)
    assert "        # migrator[rewrite.slug-ids]: " in out
    assert "is assigned on line 6: rename it" in out  # the import added above shifts it
    assert out.endswith(LOOKED_UP)
