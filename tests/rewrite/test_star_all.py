"""`from .mod import *` binds only the names of `mod`'s literal `__all__`:
a base constant it leaves out is not reached that way, and moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rewrite.test_driver import tree
from tests.rewrite.test_shared_bases import rewrite

MOD = b'''import requests

__all__ = ["helper"]

API = "https://platform.segmentapis.com/v1beta"


def helper():
    return 1


def list_sources(token):
    return requests.get(f"{API}/workspaces/acme/sources", headers={"Authorization": f"Bearer {token}"}).json()["sources"]
'''


def test_a_base_left_out_of_all_is_not_held_by_a_star_import(tmp_path: Path) -> None:
    tree(tmp_path, {"pkg/__init__.py": b"from .mod import *\n", "pkg/mod.py": MOD})
    found = rewrite(tmp_path)
    assert found["pkg/mod.py"].markers == ()
    assert (tmp_path / "pkg/mod.py").read_bytes() == MOD.replace(
        b"https://platform.segmentapis.com/v1beta", b"https://api.segmentapis.com"
    ).replace(
        b'f"{API}/workspaces/acme/sources", headers={"Authorization": f"Bearer {token}"}).json()["sources"]',
        b'f"{API}/sources", headers={"Authorization": f"Bearer {token}"}, params={"pagination.count": 200})'
        b'.json()["data"]["sources"]',
    )


@pytest.mark.parametrize("listing", [
    b'__all__ = ["helper", "API"]\n',  # listed: `*` binds it
    b'__all__ = ["helper"]\n__all__ += ["API"]\n',  # changed after: not followed
    b'__all__ = ["helper"] + EXTRA\n',  # not a literal
    b"",  # no `__all__`: `*` binds every public name
])
def test_a_base_a_star_import_may_bind_stays(tmp_path: Path, listing: bytes) -> None:
    tree(tmp_path, {"pkg/__init__.py": b"from .mod import *\n",
                    "pkg/mod.py": MOD.replace(b'__all__ = ["helper"]\n', listing)})
    found = rewrite(tmp_path)
    assert [m.reason.split(":", 1)[1].split("(")[0] for m in found["pkg/mod.py"].markers][:1] == [
        " __init__.py reaches it in a way this rewrite does not follow "
    ]
    assert b'API = "https://platform.segmentapis.com/v1beta"' in (tmp_path / "pkg/mod.py").read_bytes()
