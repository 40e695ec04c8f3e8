"""Old Mac files (lines ending in a lone CR): Python reads them as their copy
ending lines in LF, and so does the rewrite (rt6 #2, #3, #4)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate({"workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"}})
SLUG_IDS = (
    "# migrator[rewrite.slug-ids]: `/v1beta/workspaces/{workspace}/sources/{source}` needs the Public id of the "
    "source in `slug`: rewrite with an id map and the generated lookup module, or pass the id"
)
PARTIAL = (
    "# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is joined to "
    "on line {line}, which cannot be migrated: migrate them together by hand; or let `migrator rewrite --ids FILE "
    "--lookup-module NAME` migrate it (FILE from `migrator ids`)"
)
TOKEN = f"# migrator[endpoint.access-tokens.create]: {RULES.by_id['endpoint.access-tokens.create'].instead}"  # type: ignore[union-attr]

CASES = {
    # the marker went above the URL's line, inside the call
    "spread over lines": (
        'import requests\nBASE = "https://platform.segmentapis.com/v1beta"\ndef f(ws, slug):\n'
        '    return requests.get(\n        BASE + "/workspaces/" + ws + "/sources/" + slug)\n',
        f'import requests\n{PARTIAL.format(line=7)}\nBASE = "https://platform.segmentapis.com/v1beta"\n'
        f'def f(ws, slug):\n    {SLUG_IDS}\n'
        '    return requests.get(\n        BASE + "/workspaces/" + ws + "/sources/" + slug)\n',
    ),
    # behind a backslash continuation the misplaced marker ended the statement: the file was refused
    "backslash continuation": (
        'import requests\ndef g(token):\n    return requests.post \\\n'
        '        ("https://platform.segmentapis.com/v1beta/access-tokens", auth=token)\n',
        f'import requests\ndef g(token):\n    {TOKEN}\n    return requests.post \\\n'
        '        ("https://platform.segmentapis.com/v1beta/access-tokens", auth=token)\n',
    ),
    # a backslash-newline in the URL: left on the Config API, unmarked, "unchanged"
    "backslash-newline in the URL": (
        'import requests\ndef f():\n    return requests.get("https://platform.segmentapis.com/v1beta/\\\n'
        'workspaces/acme/roles")\n',
        'import requests\ndef f():\n    return requests.get("https://api.segmentapis.com\\\n'
        '/roles", params={"pagination.count": 200})\n',
    ),
    # the Config body was kept and marked, with no reason given
    "request body": (
        'import requests\nBASE = "https://platform.segmentapis.com/v1beta"\ndef suppress(uid):\n'
        '    return requests.post(\n        BASE + "/workspaces/acme/regulations",\n'
        '        json={"regulation_type": "Suppress_With_Delete", "attributes": {"name": "userId", "values": [uid]}},\n'
        '    )\n',
        'import requests\nBASE = "https://api.segmentapis.com"\ndef suppress(uid):\n'
        '    return requests.post(\n        BASE + "/regulations",\n'
        '        json={"regulationType": "SUPPRESS_WITH_DELETE", "subjectType": "USER_ID", "subjectIds": [uid]},\n'
        '    )\n',
    ),
}


@pytest.mark.parametrize("code, expected", CASES.values(), ids=CASES.keys())
def test_an_old_mac_file_is_rewritten_as_its_copy_ending_lines_in_lf(code: str, expected: str) -> None:
    unix = rewrite_bytes(code.encode(), RULES, IDS)
    assert unix.code == expected.encode()
    mac = rewrite_bytes(code.encode().replace(b"\n", b"\r"), RULES, IDS)
    assert mac.code == expected.encode().replace(b"\n", b"\r")
    assert ast.dump(ast.parse(mac.code)) == ast.dump(ast.parse(unix.code))
    assert [(m.rule, m.line) for m in mac.markers] == [(m.rule, m.line) for m in unix.markers]
    assert rewrite_bytes(mac.code, RULES, IDS).code == mac.code  # a second run changes nothing


def test_a_file_mixing_lone_cr_and_lf_is_not_read_as_an_old_mac_file() -> None:
    # its \n must stay \n: it is rewritten as it is, byte for byte outside the edit
    code = b'import os\r\nimport requests\rrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/roles")\n'
    assert rewrite_bytes(code, RULES, IDS).code == (
        b'import os\r\nimport requests\rrequests.get("https://api.segmentapis.com/roles", params={"pagination.count": 200})\n'
    )


def test_the_audit_reports_an_old_mac_file_as_its_copy_ending_lines_in_lf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # it agrees with the rewrite: the URL with a backslash-newline was `needs-a-person`, the body unexplained
    monkeypatch.chdir(tmp_path)
    for name, (code, _) in zip(("spread", "continued", "escaped", "body"), CASES.values()):
        (tmp_path / f"{name}_unix.py").write_bytes(code.encode())
        (tmp_path / f"{name}_mac.py").write_bytes(code.encode().replace(b"\n", b"\r"))
    result = CliRunner().invoke(cli, ["audit", "--no-cache", "--jobs", "1", "--format", "json", "."])
    assert result.exit_code == 1, result.output
    found = [(f["path"], f["line"], f["column"], f["rule"], f["fix"]) for f in json.loads(result.stdout)["findings"]]
    mac = [(p.replace("_mac", ""), *rest) for p, *rest in found if "_mac" in p]
    assert mac == [(p.replace("_unix", ""), *rest) for p, *rest in found if "_unix" in p]
    assert [f for f in found if f[0] == "escaped_mac.py"] == [
        ("escaped_mac.py", 3, 12, "pagination.params", "fixable-by-rewrite"),
        ("escaped_mac.py", 3, 25, "endpoint.roles.list", "fixable-by-rewrite"),
    ]
