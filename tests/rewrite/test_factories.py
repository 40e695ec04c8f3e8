"""Functions of another module giving an instance of a client class of the
run (`def default_client(): from app.client import Client; return
Client()`), followed as the class is (`responses-factories`:
`Flow.exports`, `bindings.function_imports`, `audit.links._Followed`)."""

from __future__ import annotations

from pathlib import Path

from migrator.audit.run import audit_paths
from migrator.rewrite import driver
from migrator.ruleset import load_rules

RULES = load_rules()
CASE = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite" / "responses-factories"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _copy(tmp_path: Path) -> None:
    for name, data in _tree(CASE / "input").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)


def test_the_reads_off_a_factory_s_instance_move_with_the_client_or_are_marked(tmp_path: Path) -> None:
    """`default_client()` importing the class in its body and `make_client()`
    importing it at its module's top are followed into `main.py`: the reads
    move. `maybe_client()`, giving another value on another path, is marked
    where it gives the instance, and the reads off it in `main.py` are
    marked; so is the instance handed to `run`. A second run changes nothing."""
    _copy(tmp_path)
    driver.run([tmp_path], force=True, jobs=1)
    assert _tree(tmp_path) == _tree(CASE / "expected")
    again = driver.run([tmp_path], force=True, jobs=1)
    assert not [r.path for r in again.results if r.modified]


def test_the_audit_before_the_rewrite_lists_the_reads_it_changes_or_marks(tmp_path: Path) -> None:
    """The audit of the tree before the rewrite lists `main.py`'s reads as
    the rewrite treats them: moved (`fixable-by-rewrite`) or marked."""
    _copy(tmp_path)
    found = audit_paths([tmp_path], RULES, jobs=1).findings
    assert [(f.line, f.rule, f.fix) for f in found if f.path.endswith("main.py")] == [
        (11, "source.fields", "rewrite"),
        (14, "source.fields", "rewrite"),
        (14, "source.fields", "rewrite"),
        (16, "rewrite.responses", "manual"),
        (17, "rewrite.responses", "manual"),
    ]
