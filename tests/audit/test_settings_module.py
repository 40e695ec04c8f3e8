"""A settings module that only assigns the Config base URL (Django style,
imported by every module of the project) calls no API and gives back no
response: it links, for the audit and for `migrator rewrite`, only the
modules that name one of its constants; the others' field reads of other
APIs (`u["profile"]["display_name"]` of a Slack payload) are no finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.rewrite import driver
from migrator.ruleset import RuleSet
from tests.rewrite.test_driver import tree

SETTINGS = b'DEBUG = False\nSEGMENT_CONFIG_API = "https://platform.segmentapis.com/v1beta"\nSEGMENT_WORKSPACE = "acme"\n'
VIEWS = b'''from myproj import settings


def slack_user(u):
    return u["profile"]["display_name"], u.get("tz")


def debug():
    return settings.DEBUG
'''
# names the base: it joins paths to it elsewhere, so its reads may be of Config responses
REPORT = b'''from myproj import settings


def label(s):
    return s["display_name"] + " @ " + settings.SEGMENT_CONFIG_API
'''


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tree(tmp_path, {"myproj/__init__.py": b"", "myproj/settings.py": SETTINGS, "myproj/views.py": VIEWS,
                    "myproj/report.py": REPORT})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_audit_links_only_the_modules_naming_a_base_constant(project: Path, real_rules: RuleSet) -> None:
    run = audit_paths([Path("myproj")], real_rules, jobs=1)
    assert sorted({(f.path, f.rule) for f in run.findings if f.path != "myproj/settings.py"}) == [
        ("myproj/report.py", "rewrite.responses")]


def test_the_rewrite_marks_reads_only_in_the_modules_naming_a_base_constant(project: Path) -> None:
    result = driver.run([project / "myproj"], write=False, jobs=1)
    marked = {Path(r.path).name: [m.rule for m in r.markers] for r in result.results if r.markers}
    assert marked == {"report.py": ["rewrite.responses"], "settings.py": ["rewrite.partial-path"]}
