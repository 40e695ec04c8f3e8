"""Run a corpus script against a fresh fake Segment, and rewrite one with the codemod."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tests.equivalence import fake_state as st
from tests.equivalence.fake_segment import FakeSegment, Seen
from tests.equivalence.zygote import Zygote

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
REROUTE = HERE / "reroute"
LOOKUP_MODULE = "segment_ids"
Face = Literal["config", "public"]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seen: tuple[Seen, ...]

    def describe(self) -> str:
        calls = "\n".join(f"  {s.face:7} {s.method:6} {s.target} -> {s.status}" for s in self.seen)
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}--- requests\n{calls}"


def corpus_scripts() -> list[Path]:
    return sorted(CORPUS.glob("*.py"))


def script_env(fake: FakeSegment, face: Face) -> dict[str, str]:
    """A clean environment: no proxies, no user site, the reroute on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if "proxy" not in k.lower() and not k.startswith(("PYTHON", "SEGMENT_"))}
    env.update(
        PYTHONPATH=str(REROUTE),
        PYTHONIOENCODING="utf-8",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONNOUSERSITE="1",
        FAKE_SEGMENT_URL=fake.url,
        FAKE_SEGMENT_NO_SLEEP="1",
        SEGMENT_TOKEN=fake.config_token if face == "config" else fake.public_token,
        SEGMENT_EMAIL=st.OWNER_EMAIL,
        SEGMENT_PASSWORD=st.OWNER_PASSWORD,
        SEGMENT_CLIENT_ID=st.APP_CLIENT_ID,
        SEGMENT_CLIENT_SECRET=st.APP_CLIENT_SECRET,
    )
    return env


def run_script(path: Path, face: Face, *, timeout: float = 30, zygote: Zygote | None = None) -> Run:
    """Run `path` with the token of `face` against a fake in its seed state,
    in a fresh interpreter or in a child forked by `zygote`."""
    with FakeSegment() as fake:
        if zygote is not None:
            done = zygote.run(path, script_env(fake, face), timeout=timeout)
            return Run(done.returncode, done.stdout, done.stderr, tuple(fake.seen))
        try:
            proc = subprocess.run(
                [sys.executable, str(path)], cwd=path.parent, env=script_env(fake, face),
                stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            return Run(-1, _text(exc.stdout), _text(exc.stderr) + f"\n[timed out after {timeout}s]",
                       tuple(fake.seen))
        return Run(proc.returncode, proc.stdout, proc.stderr, tuple(fake.seen))


def seed_id_map() -> dict[str, Any]:
    """The id map of the seed workspace, as `migrator ids` would fetch it."""
    return FakeSegment().id_map()


# --- the codemod --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rewritten:
    code: bytes
    markers: tuple[Any, ...]
    lookup_module: str | None  # source of the generated id lookup module, when the codemod makes one


def codemod_available() -> str | None:
    """None when `migrator.rewrite.rewrite_bytes` can be used, else why not."""
    try:
        from migrator.rewrite import rewrite_bytes  # noqa: F401
    except ImportError as exc:
        return f"the codemod is not importable yet: {exc}"
    return None


def rewrite(data: bytes, ids: dict[str, Any], *, region: str = "us") -> Rewritten:
    """Rewrite with the fake's id map, letting slugs in variables go through the
    generated lookup module when the codemod supports one."""
    import migrator.rewrite as codemod
    from migrator.idmap import parse_idmap
    from migrator.ruleset import load_rules

    rules, idmap = load_rules(), parse_idmap(ids)
    kwargs: dict[str, Any] = {}
    if "lookup_module" in inspect.signature(codemod.rewrite_bytes).parameters:
        kwargs["lookup_module"] = LOOKUP_MODULE
    result = codemod.rewrite_bytes(data, rules, idmap, region=region, **kwargs)
    module = None
    uses = getattr(codemod, "uses_lookup_module", None)
    if kwargs and (uses is None or uses(result)):
        module = codemod.render_lookup_module(rules, idmap)
    return Rewritten(result.code, tuple(result.markers), module)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
