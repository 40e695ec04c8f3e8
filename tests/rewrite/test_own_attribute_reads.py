"""A class attribute holding the Config base that another module of the run
reads stays on the Config API with its paths (`driver._hold_read_attributes`);
a class of that module reading its own attribute of the same name is no such
read (`own_reads`). The audit of the tree the rewrite leaves agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.rewrite import driver
from migrator.ruleset import load_rules
from tests.rewrite.test_driver import tree

CLIENT = b'''import requests


class SegmentConfigClient:
    base_url = "https://platform.segmentapis.com/v1beta/"

    def __init__(self, token, workspace):
        self.token = token
        self.workspace = workspace
        self.session = requests.Session()

    def list_sources(self):
        out = []
        page_token = ""
        while True:
            r = self.session.get(
                self.base_url + "workspaces/" + self.workspace + "/sources",
                params={"page_size": 100, "page_token": page_token},
            )
            body = r.json()
            out.extend(s["display_name"] for s in body["sources"])
            page_token = body.get("next_page_token")
            if not page_token:
                break
        return out
'''
MIGRATED = b'''import requests


class SegmentConfigClient:
    base_url = "https://api.segmentapis.com/"

    def __init__(self, token, workspace):
        self.token = token
        self.workspace = workspace
        self.session = requests.Session()

    def list_sources(self):
        out = []
        page_token = ""
        while True:
            r = self.session.get(
                self.base_url + "sources",
                params={"pagination.count": 100, **({"pagination.cursor": page_token} if page_token else {})},
            )
            body = r.json()
            out.extend(s["name"] for s in body["data"]["sources"])
            page_token = body.get("data", {}).get("pagination", {}).get("next")
            if not page_token:
                break
        return out
'''
OTHER = b'''import a


class Other:
    def __init__(self, base_url):
        self.base_url = base_url

    def merge(self, path):
        return self.base_url.rstrip("/") + "/" + path
'''
HELD = CLIENT.decode().replace(
    "    base_url =",
    "    # migrator[host.base-url]: `base_url` holds the Config API base URL and another module of this run reads it "
    "({}), joining paths to it this rewrite cannot see whole: migrate them and this value together by hand\n"
    "    base_url =",
).replace(
    "            r = self.session.get(",
    "            # migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is "
    "joined to on line 6, which cannot be migrated: migrate them together by hand\n"
    "            r = self.session.get(",
).replace(
    "            out.extend(",
    "            # migrator[rewrite.responses]: `display_name` is read off the response of a call this rewrite leaves "
    "on the Config API, where it is right as it is: when that call moves to the Public API, read the Public field "
    "instead (`name`; `displayName` for a function)\n"
    "            out.extend(",
).replace(
    "            page_token = body",
    "            # migrator[rewrite.responses]: `next_page_token` is read off the response of a call this rewrite "
    "leaves on the Config API, where it is right as it is: when that call moves to the Public API, read the Public "
    "field instead (`data.pagination.next`)\n"
    "            page_token = body",
)
"""`CLIENT` held on the Config API, its marker naming where the read is (`{}`)."""


def rewrite(root: Path) -> dict[str, driver.FileResult]:
    run = driver.run([root], write=True, force=True, jobs=1)
    return {Path(r.path).relative_to(root).as_posix(): r for r in run.results}


def fixable(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, str]]:
    from migrator.audit.run import audit_paths

    monkeypatch.chdir(root)
    run = audit_paths([Path(".")], load_rules(), jobs=1, cache=None)
    return [(f.path, f.line, f.rule) for f in run.findings if f.fix == "rewrite"]


@pytest.mark.parametrize("other", [
    OTHER,
    # a method's own `self`, of a class deriving from one of its own module
    b"import a\n\n\nclass Base:\n    pass\n\n\nclass Other(Base):\n    def __init__(self, base_url):\n"
    b"        self.base_url = base_url\n\n    def merge(self, path):\n        return self.base_url + path\n",
])
def test_a_class_reading_its_own_attribute_does_not_hold_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: bytes,
) -> None:
    tree(tmp_path, {"a.py": CLIENT, "b.py": other})
    found = rewrite(tmp_path)
    assert (tmp_path / "a.py").read_bytes() == MIGRATED
    assert (tmp_path / "b.py").read_bytes() == other
    assert [m for r in found.values() for m in r.markers] == []
    assert fixable(tmp_path, monkeypatch) == []


@pytest.mark.parametrize(("other", "where"), [
    (b'import a\n\n\ndef plans():\n    return a.SegmentConfigClient("t", "w").base_url + "sources/web"\n', "b.py:5"),
    (b'import a\n\n\ndef plans(c: a.SegmentConfigClient):\n    return c.base_url + "sources/web"\n', "b.py:5"),
    (b'import a\n\n\ndef merge(url_obj, path):\n    return url_obj.base_url + path\n', "b.py:5"),
    (b'import a\n\n\nclass Sub(a.SegmentConfigClient):\n    def web(self):\n'
     b'        return self.base_url + "sources/web"\n', "b.py:6"),
    # its own attribute, but `other`'s is read too
    (OTHER.replace(b"self.base_url.rstrip", b"other.base_url.rstrip").replace(b"self, path", b"self, other, path"),
     "b.py:9"),
    # a mixin the file combines with `a`'s class, setting the attribute only when given one: `a`'s shows through
    (b'import a\n\n\nclass Overridable:\n    def __init__(self, *args, base_url=None, **kwargs):\n'
     b'        super().__init__(*args, **kwargs)\n        if base_url:\n            self.base_url = base_url\n\n'
     b'    def fetch(self, path):\n        return self.session.get(self.base_url + path).json()\n\n\n'
     b'class Client(Overridable, a.SegmentConfigClient):\n    pass\n', "b.py:11"),
    # its own attribute, set only at times
    (OTHER.replace(b"        self.base_url = base_url", b"        if base_url:\n            self.base_url = base_url"),
     "b.py:10"),
    # its own attribute, but a class it derives from may be `a`'s
    (OTHER.replace(b"class Other:", b"class Other(somewhere.Base):")
     .replace(b"import a\n", b"import a\nimport somewhere\n"), "b.py:10"),
])
def test_a_read_of_the_attribute_by_another_module_holds_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other: bytes, where: str,
) -> None:
    tree(tmp_path, {"a.py": CLIENT, "b.py": other})
    found = rewrite(tmp_path)
    assert (tmp_path / "a.py").read_text() == HELD.replace("({})", f"({where})")
    assert [c for r in found.values() for c in r.changes] == []
    assert (tmp_path / "b.py").read_bytes() == other
    # the audit of the tree the rewrite left says no rewrite changes more
    assert fixable(tmp_path, monkeypatch) == []


@pytest.mark.parametrize(("head", "where"), [(b"import a\n\n\n", "b.py:7"), (b"", "b.py:4")],
                         ids=["importing", "not-importing"])
def test_a_mixin_another_module_combines_with_the_client_holds_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: bytes, where: str,
) -> None:
    # `b.Overridable` sets its own `base_url` whatever happens, but `c` combines it with `a`'s class
    # (`b` need not import `a` for its `self.base_url` to be `a`'s)
    mixin = (head + b"class Overridable:\n    def __init__(self, *args, base_url=None, **kwargs):\n"
             b"        super().__init__(*args, **kwargs)\n        self.base_url = base_url or self.base_url\n\n"
             b"    def fetch(self, path):\n        return self.session.get(self.base_url + path).json()\n")
    combined = (b"import a\nimport b\n\n\nclass Client(b.Overridable, a.SegmentConfigClient):\n    pass\n\n\n"
                b"def web(token, ws):\n    return Client(token, ws).fetch(\"workspaces/\" + ws + \"/sources\")\n")
    tree(tmp_path, {"a.py": CLIENT, "b.py": mixin, "c.py": combined})
    found = rewrite(tmp_path)
    assert (tmp_path / "a.py").read_text() == HELD.replace("({})", f"({where})")
    assert [c for r in found.values() for c in r.changes] == []
    assert fixable(tmp_path, monkeypatch) == []
