"""A tiny fake codemod core, so the driver is tested without the real one.

It migrates the Config host, marks `/access-tokens` lines, and fails or
misbehaves on request (`SYNTAX ERROR`, `CRASH`, `DRIFT`, `EXIT`), which the
driver must survive. Module level so worker processes can use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from migrator.markers import marker_comment
from migrator.rewrite import Change, Marker, RewriteResult
from migrator.rewrite.driver import Core

OLD = b"https://platform.segmentapis.com/v1beta"
NEW = {"us": b"https://api.segmentapis.com", "eu": b"https://eu1.api.segmentapis.com"}
TOKEN_RULE = "endpoint.access-tokens.create"
TOKEN_REASON = "no Public API counterpart; create tokens in the Segment app"
TOKEN_NOTE = "the token must be a Public API token"


Result = RewriteResult


class FakeError(Exception):
    pass


@dataclass(frozen=True)
class FakeRules:
    token: str = "rules"


LOADS: list[int] = []  # one entry per load_rules() call in this process
CALLS: list[bytes] = []  # every input rewrite_bytes() saw in this process


def load_rules() -> FakeRules:
    LOADS.append(os.getpid())
    return FakeRules()


def may_need_rewrite(data: bytes) -> bool:
    return b"segmentapis" in data or b"/access-tokens" in data or b"CRASH" in data or b"DRIFT" in data or b"EXIT" in data


def rewrite_bytes(data: bytes, rules: FakeRules, ids: object = None, *, region: str = "us") -> Result:
    assert rules == FakeRules(), rules
    CALLS.append(data)
    if b"SYNTAX ERROR" in data:
        raise FakeError("line 1: does not parse")
    if b"CRASH" in data:
        raise ZeroDivisionError("division by zero")
    if b"EXIT" in data:
        os._exit(3)  # a worker that dies outright
    if b"DRIFT" in data:
        return Result(data.replace(b" :", b":"), (), (), ())
    out: list[bytes] = []
    changes, markers, notes = [], [], []
    lines = data.splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        if b"/access-tokens" in line:
            indent = line[: len(line) - len(line.lstrip())]
            comment = marker_comment(TOKEN_RULE, TOKEN_REASON).encode()
            if number == 1 or comment not in lines[number - 2]:
                out.append(indent + comment + _ending(line))
            out.append(line)
            markers.append(Marker(TOKEN_RULE, len(out), len(indent), TOKEN_REASON))
            continue
        column = line.find(OLD)
        if column >= 0:
            line = line.replace(OLD, NEW[region])
            changes.append(Change("host.base-url", number, column, OLD.decode(), NEW[region].decode()))
        out.append(line)
    if b"Bearer" in data and changes:
        notes.append(TOKEN_NOTE)
    return Result(b"".join(out), tuple(changes), tuple(markers), tuple(notes))


def _ending(line: bytes) -> bytes:
    return b"\r\n" if line.endswith(b"\r\n") else b"\n"


FAKE = Core(may_need_rewrite, rewrite_bytes, load_rules, FakeError)


def test_fake_core_rewrites_the_host() -> None:
    result = rewrite_bytes(b'URL = "https://platform.segmentapis.com/v1beta/"\n', FakeRules())
    assert result.code == b'URL = "https://api.segmentapis.com/"\n'
    assert result.changes == (
        Change("host.base-url", 1, 7, OLD.decode(), "https://api.segmentapis.com"),
    )


def test_fake_core_marks_once() -> None:
    first = rewrite_bytes(b'    post(URL + "/access-tokens")\n', FakeRules())
    again = rewrite_bytes(first.code, FakeRules())
    assert first.code.startswith(b"    # migrator[endpoint.access-tokens.create]: ")
    assert again.code == first.code
    assert again.markers == (Marker(TOKEN_RULE, 2, 4, TOKEN_REASON),)
