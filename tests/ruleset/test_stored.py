"""The shipped table, kept validated between runs (`migrator.ruleset.stored`):
read back only when nothing it depends on changed, and never needed."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from migrator.ruleset import RulesError, default_rules_dir, load_rules, loader, stored


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    """Each test loads the shipped table as a new process would."""
    loader._shipped.cache_clear()
    yield
    loader._shipped.cache_clear()


def no_loading(directory: Path) -> None:
    raise AssertionError("read and validated again")


def test_a_kept_table_is_read_back_as_validated(monkeypatch: pytest.MonkeyPatch, _audit_cache: Path) -> None:
    validated = loader._load(default_rules_dir())
    assert load_rules().files == list(validated)
    assert (_audit_cache / "rules" / stored.NAME).is_file()
    loader._shipped.cache_clear()
    monkeypatch.setattr(loader, "_load", no_loading)
    again = load_rules().files
    assert again == list(validated) and again is not validated
    assert [f.model_dump_json() for f in again] == [f.model_dump_json() for f in validated]


def test_a_change_to_a_file_is_a_miss(tmp_path: Path) -> None:
    shutil.copytree(default_rules_dir(), tmp_path / "rules")
    paths = sorted((tmp_path / "rules").glob("*.toml"))
    before = stored.key(paths)
    stored.write(before, loader._load(tmp_path / "rules"))
    paths[0].write_bytes(paths[0].read_bytes() + b"\n")
    after = stored.key(paths)
    assert after != before and stored.read(after) is None and stored.read(before) is not None
    paths[0].unlink()
    assert stored.key(paths) is None  # loading says the file cannot be read


@pytest.mark.parametrize("kept", [b"", b"cut short", pickle.dumps("another shape"), pickle.dumps(("x",))])
def test_a_damaged_file_is_a_miss(kept: bytes, monkeypatch: pytest.MonkeyPatch, _audit_cache: Path) -> None:
    digest = stored.key(sorted(default_rules_dir().glob("*.toml")))
    assert digest is not None
    (_audit_cache / "rules").mkdir()
    (_audit_cache / "rules" / stored.NAME).write_bytes(digest + kept)
    assert stored.read(digest) is None
    assert load_rules().files == list(loader._load(default_rules_dir()))


def test_a_folder_it_cannot_write_to_is_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "a-file"))
    assert load_rules().files == list(loader._load(default_rules_dir()))
    assert list(tmp_path.iterdir()) == [tmp_path / "a-file"]


def test_without_a_home_folder_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("MIGRATOR_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(Path, "home", staticmethod(homeless))
    assert stored.folder() is None
    assert load_rules().files == list(loader._load(default_rules_dir()))


def test_a_broken_table_is_not_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _audit_cache: Path) -> None:
    shutil.copytree(default_rules_dir(), tmp_path / "rules")
    (tmp_path / "rules" / "broken.toml").write_text("[[endpoints]]\nid = 1\n")
    monkeypatch.setattr(loader, "default_rules_dir", lambda: tmp_path / "rules")
    with pytest.raises(RulesError):
        load_rules()
    assert not (_audit_cache / "rules").exists()
