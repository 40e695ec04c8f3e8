"""A fake Segment workspace serving the Config API and the Public API over one
in-memory state, on 127.0.0.1.

    with FakeSegment() as fake:                 # a ThreadingHTTPServer in a thread
        fake.url                                # http://127.0.0.1:<port>
        fake.config_token, fake.public_token    # each face checks its own bearer token
        fake.id_map()                           # the `migrator ids` file for this state
        fake.seen                               # every request: (face, method, path)

Clients reach it through `reroute/sitecustomize.py`, which sends requests for
the Segment hosts here with an `X-Intended-Host` header; that header picks the
face. See `fake_config` and `fake_public` for what each face does.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.equivalence import fake_state as st
from tests.equivalence.fake_config import ConfigFace
from tests.equivalence.fake_http import Reply, Request
from tests.equivalence.fake_public import PublicFace

CONFIG_HOST = "platform.segmentapis.com"
PUBLIC_HOSTS = {"us": "api.segmentapis.com", "eu": "eu1.api.segmentapis.com"}
HOST_HEADER = "X-Intended-Host"


@dataclass(frozen=True)
class Seen:
    face: str  # "config", "public" or "unknown"
    method: str
    target: str  # path and query
    status: int
    routed: bool  # an endpoint of the face matched (else 404/405 "no such endpoint")


class FakeSegment:
    def __init__(self, *, region: str = "us", page_limit: int = 2) -> None:
        self.region = region
        self.page_limit = page_limit
        self.state = st.seed()
        self.config = ConfigFace(self.state, page_limit)
        self.public = PublicFace(self.state, page_limit)
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- credentials and ids ----------------------------------------------------------

    config_token = st.CONFIG_TOKEN
    public_token = st.PUBLIC_TOKEN

    def id_map(self) -> dict[str, Any]:
        """The id map `migrator ids` would write for the current state (IdMap JSON)."""
        s = self.state
        sources = {src.slug: src.id for src in s.sources}
        destinations: dict[str, list[str]] = {}
        for dest in s.destinations:
            entry = s.catalog_destination(slug=dest.catalog)
            slugs = [dest.catalog] + [_slugify(n) for n in (entry.previous_names if entry else [])]
            for slug in slugs:
                destinations.setdefault(f"{s.source_slug(dest.source_id)}/{slug}", []).append(dest.id)
        destination_metadata = {_slugify(n): c.id for c in s.destination_catalog for n in c.previous_names}
        destination_metadata.update({c.slug: c.id for c in s.destination_catalog})
        plans: dict[str, list[str]] = {}
        for plan in s.plans:
            for key in (plan.slug, plan.display_name, plan.id):
                plans.setdefault(key, []).append(plan.id)
        filters: dict[str, list[str]] = {}
        for f in s.filters:
            filters.setdefault(f"{f.destination_id}/{f.title}", []).append(f.id)
        return {
            "format": "migrator.ids",
            "version": 1,
            "api_url": f"https://{PUBLIC_HOSTS[self.region]}",
            "workspace": {"id": s.workspace.id, "slug": s.workspace.slug, "name": s.workspace.display_name},
            "sources": dict(sorted(sources.items())),
            "destinations": {k: sorted(v) for k, v in sorted(destinations.items())},
            "source_metadata": dict(sorted((c.slug, c.id) for c in s.source_catalog)),
            "destination_metadata": dict(sorted(destination_metadata.items())),
            "previous_names": dict(sorted((_slugify(n), c.slug) for c in s.destination_catalog for n in c.previous_names
                                          if _slugify(n) not in {c.slug for c in s.destination_catalog})),
            "tracking_plans": {k: sorted(set(v)) for k, v in sorted(plans.items())},
            "filters": {k: sorted(v) for k, v in sorted(filters.items())},
        }

    # -- dispatch -------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        request = Request.build(method, target, headers, body)
        host = request.headers.get(HOST_HEADER.lower(), "").lower()
        with self._lock:
            if host == CONFIG_HOST:
                face, reply = "config", self.config.handle(request)
            elif host in PUBLIC_HOSTS.values():
                face = "public"
                if host != PUBLIC_HOSTS[self.region]:
                    reply = Reply(401, {"errors": [{"type": "unauthorized", "status": 401,
                                                    "message": "this token belongs to another region"}]})
                else:
                    reply = self.public.handle(request)
            else:
                face = "unknown"
                reply = Reply(421, {"error": f"fake Segment does not serve host {host!r}"}, routed=False)
            self.seen.append(Seen(face, request.method, target, reply.status, reply.routed))
        return reply

    # -- server ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeSegment:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.block_on_close = False
        server.fake = self  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self._server = server
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSegment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stalls

    def _serve(self) -> None:
        body = self._body()
        fake: FakeSegment = self.server.fake  # type: ignore[attr-defined]
        reply = fake.handle(self.command, self.path, dict(self.headers.items()), body)
        payload = reply.encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
