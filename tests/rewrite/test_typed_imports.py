"""Classes of another module of the run that declare Config fields, typing a
migrated response where it is bound, given back or passed to a parameter
(`responses-typed-imported`: `responses_typed`, `driver._typed_imports`)."""

from __future__ import annotations

import json
from pathlib import Path

from migrator.audit.run import audit_paths
from migrator.idmap import IdMap
from migrator.rewrite import driver
from migrator.ruleset import load_rules

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite"
CASE = ROOT / "responses-typed-imported"
IDS = IdMap.model_validate(json.loads((ROOT / "responses-typed-params" / "options.json").read_text())["ids"])
TYPED = ("`Source` (app/models.py:6) declares Config fields, `display_name` (`name`; `displayName` for a function) "
         "and `write_keys` (`writeKeys`), and types the response of a migrated call here, now in the Public shape "
         "(`data` envelope, Public field names): give `Source` the Public shape, or type this value otherwise")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_class_of_another_module_typing_a_migrated_response_is_marked_and_the_audit_keeps_it(tmp_path: Path) -> None:
    """`from .models import Source` on a binding, a return and a private
    function's parameter (whose reads are rewritten), and `m.Source` of
    `import app.models as m` on a parameter given what another module's
    function gives back (whose read stays, marked as before): each annotation
    is marked, naming the class where it is; `Plain` (no Config field) and a
    parameter no migrated response reaches are not. A second run changes
    nothing, and the audit of the rewritten tree lists the markers, each a
    person's."""
    for name, data in _tree(CASE / "input").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert _tree(tmp_path) == _tree(CASE / "expected")
    again = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert not [r.path for r in again.results if r.modified]
    found = audit_paths([tmp_path], RULES, jobs=1).findings
    typed = [(Path(f.path).name, f.line, f.fix) for f in found if f.message == TYPED]
    assert typed == [("client.py", 11, "manual"), ("client.py", 14, "manual"), ("client.py", 19, "manual"),
                     ("report.py", 9, "manual")]
    assert [(Path(f.path).name, f.line) for f in found if f.message != TYPED] == [("report.py", 11)]  # `show`'s read


def test_no_class_of_another_module_is_given_when_none_declares_config_fields(tmp_path: Path) -> None:
    """A module of the run whose classes declare no Config field gives its
    importers nothing: the client is rewritten once, its annotations left alone."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_bytes(b"")
    (tmp_path / "app" / "models.py").write_text("from typing import TypedDict\n\n\nclass Source(TypedDict):\n"
                                                "    name: str\n    enabled: bool\n")
    client = (CASE / "input" / "app" / "client.py").read_text()
    (tmp_path / "app" / "client.py").write_text(client)
    outcome = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    [result] = [r for r in outcome.results if r.path.endswith("client.py")]
    assert result.status == "changed" and not result.markers


def test_a_typeddict_of_the_functional_form_in_another_module_is_given_to_its_importers(tmp_path: Path) -> None:
    """`Source = TypedDict("Source", {...}, total=False)` in `models.py`
    types the response of `client.py`'s migrated call: marked as the class
    form is, naming it by its file and line."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_bytes(b"")
    (tmp_path / "app" / "models.py").write_text(
        "import typing\n\n\nSource = typing.TypedDict(\"Source\", {\"display_name\": str, \"name\": str}, total=False)\n")
    (tmp_path / "app" / "client.py").write_text(
        "import requests\n\nfrom .models import Source\n\nAPI = \"https://platform.segmentapis.com/v1beta\"\n\n\n"
        "def get_web() -> Source:\n    return requests.get(f\"{API}/workspaces/acme/sources/web\").json()\n")
    driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert (tmp_path / "app" / "client.py").read_text() == (
        "import requests\n\nfrom .models import Source\n\nAPI = \"https://api.segmentapis.com\"\n\n\n"
        "# migrator[rewrite.responses]: `Source` (app/models.py:4) declares Config fields, `display_name` (`name`; "
        "`displayName` for a function), and types the response of a migrated call here, now in the Public shape "
        "(`data` envelope, Public field names): give `Source` the Public shape, or type this value otherwise\n"
        "def get_web() -> Source:\n    return requests.get(f\"{API}/sources/nUsr9W9UPoDlv24dJTvP31\").json()\n")
