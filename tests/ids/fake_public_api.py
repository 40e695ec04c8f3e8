"""A fake Segment Public API on 127.0.0.1, for tests that need a real HTTP server.

    with FakePublicApi.sample() as api:        # starts a ThreadingHTTPServer
        api.fail("/sources", Fault(status=503))  # next GET /sources answers 503
        ... PublicApi(httpx.Client(), token=api.token, base_url=api.url) ...
        api.requests                             # every request seen, in order

It checks what the real API checks (bearer token, `pagination.count` between 1
and 200, `resourceType` on /functions), pages with opaque cursors, and answers
in the Public API envelopes (`{"data": ...}`, `{"errors": [...]}`).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Item = dict[str, Any]

FUNCTION_TYPES = ("DESTINATION", "INSERT_DESTINATION", "SOURCE")


@dataclass
class Fault:
    """One planned misbehaviour: wait `delay` seconds, then answer `status` (0: answer normally).
    `arrived` is set when the request comes in, before the wait.

    With `trickle`, the answer is a 200 announcing 100,000 bytes and sending one
    every `trickle` seconds, until the client hangs up or the server stops.
    With `cut`, a 200 announcing 100 bytes sends the first 22 of a JSON body
    and closes the connection.
    """

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay: float = 0.0
    trickle: float = 0.0
    cut: bool = False
    arrived: threading.Event | None = None


@dataclass(frozen=True)
class _Trickle:
    interval: float


@dataclass(frozen=True)
class _Cut:
    pass


@dataclass(frozen=True)
class _Reply:
    status: int
    body: Any


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakePublicApi:
    def __init__(self, token: str = "sgp_test_token", *, max_page: int = 200) -> None:
        self.token = token
        self.max_page = max_page  # the server may return fewer items than asked for
        self.workspace: Item = {"id": "ws_1", "slug": "ws", "name": "Workspace"}
        self.sources: list[Item] = []
        self.destinations: list[Item] = []
        self.sources_catalog: list[Item] = []
        self.destinations_catalog: list[Item] = []
        self.tracking_plans: list[Item] = []
        self.plan_types = True  # `GET /tracking-plans?type=T` lists plans of type T only (all without it)
        self.filters: dict[str, list[Item]] = {}
        self.functions: dict[str, list[Item]] = {t: [] for t in FUNCTION_TYPES}
        self.users: list[Item] = []
        self.roles: list[Item] = []
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control -------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, path: str, *faults: Fault) -> None:
        """Answer the next requests to `path` with `faults`, in order."""
        with self._lock:
            self.faults.setdefault(path, []).extend(faults)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def start(self) -> FakePublicApi:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakePublicApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- data ----------------------------------------------------------------

    def add_sources(self, count: int, prefix: str = "src") -> None:
        for i in range(count):
            self.sources.append(source(f"{prefix}-{i:05d}", f"{prefix}_{i:05d}", "javascript", "IqDTy1TpoU"))

    @classmethod
    def sample(cls, **kwargs: Any) -> FakePublicApi:
        """A small workspace with every kind of id, ambiguities included."""
        api = cls(**kwargs)
        api.workspace = {"id": "ws_9f8e7d", "slug": "acme", "name": "Acme Inc"}
        api.sources = [
            source("js", "src_js1", "javascript", "IqDTy1TpoU"),
            source("ios", "src_ios1", "ios", "iosMetaId"),
            source("server", "src_node1", "node-js", "nodeMetaId"),
        ]
        ga = metadata("google-analytics", "gaMetaId", ["Google Analytics", "Google Universal Analytics"])
        amplitude = metadata("amplitude", "ampMetaId", [])
        kinesis = metadata("amazon-kinesis", "kinMetaId", ["Amazon Kinesis"])
        api.destinations = [
            destination("d_ga1", "src_js1", ga),
            destination("d_ga2", "src_js1", ga),  # a second instance: ambiguous
            destination("d_amp1", "src_ios1", amplitude),
            destination("d_kin1", "src_node1", kinesis),
            destination("d_orphan", "src_gone", amplitude),  # source not listed: left out, noted
        ]
        api.sources_catalog = [
            {"id": "IqDTy1TpoU", "slug": "javascript", "name": "Javascript"},
            {"id": "iosMetaId", "slug": "ios", "name": "iOS"},
            {"id": "nodeMetaId", "slug": "node-js", "name": "Node.js"},
        ]
        api.destinations_catalog = [
            ga,
            amplitude,
            kinesis,
            metadata("actions-amplitude", "ampActionsMetaId", ["Amplitude (Actions)", "Amplitude"]),
            metadata("old-one", "oldOneMetaId", ["Legacy Tool"]),
            metadata("old-two", "oldTwoMetaId", ["Legacy Tool"]),  # shared previous name: left out
        ]
        api.tracking_plans = [
            {"id": "tp_1", "slug": "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ", "name": "Web Plan", "type": "LIVE"},
            {"id": "tp_2", "slug": "web-plan-2", "name": "Web Plan", "type": "LIVE"},
            {"id": "tp_3", "slug": "web-plan-template", "name": "Web Plan", "type": "TEMPLATE"},  # not a Config plan
        ]
        api.filters = {
            "d_ga1": [{"id": "df_1", "title": "Drop test events", "destinationId": "d_ga1"}],
            "d_amp1": [
                {"id": "df_2", "title": "Sample 10%", "destinationId": "d_amp1"},
                {"id": "df_3", "title": "Sample 10%", "destinationId": "d_amp1"},
            ],
        }
        api.functions = {
            "DESTINATION": [{"id": "sfnc_1", "displayName": "Webhook relay", "resourceType": "DESTINATION"}],
            "INSERT_DESTINATION": [
                {"id": "ifnd_3", "displayName": "Webhook relay", "resourceType": "INSERT_DESTINATION"}
            ],
            "SOURCE": [{"id": "sfnc_2", "displayName": "Stripe ingest", "resourceType": "SOURCE"}],
        }
        api.users = [{"id": "u_1", "name": "Ada", "email": "ada@acme.test", "permissions": []}]
        api.roles = [
            {"id": "r_1", "name": "Workspace Owner", "description": "Full access"},
            {"id": "r_2", "name": "Source Admin", "description": "Sources"},
        ]
        return api

    # -- answering -----------------------------------------------------------

    def answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests.append(Request(path, query, headers))
            planned = self.faults.get(path)
            fault = planned.pop(0) if planned else None
        if fault is not None:
            if fault.arrived is not None:
                fault.arrived.set()
            if fault.delay:
                time.sleep(fault.delay)
            if fault.trickle:
                return 200, fault.headers, _Trickle(fault.trickle)
            if fault.cut:
                return 200, fault.headers, _Cut()
            if fault.status:
                return fault.status, fault.headers, fault.body
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, _errors("unauthorized", "Unauthorized")
        if path == "/":
            return 200, {}, {"data": {"workspace": self.workspace}}
        found = self._collection(path, query)
        if found is None:
            return 404, {}, _errors("not-found", f"Resource not found: {path}")
        if isinstance(found, _Reply):
            return found.status, {}, found.body
        key, items = found
        return self._page(key, items, query)

    def _collection(self, path: str, query: dict[str, str]) -> tuple[str, list[Item]] | _Reply | None:
        lists = {
            "/sources": ("sources", self.sources),
            "/destinations": ("destinations", self.destinations),
            "/catalog/sources": ("sourcesCatalog", self.sources_catalog),
            "/catalog/destinations": ("destinationsCatalog", self.destinations_catalog),
            "/tracking-plans": ("trackingPlans", self.tracking_plans),
            "/users": ("users", self.users),
            "/roles": ("roles", self.roles),
        }
        if path == "/tracking-plans" and self.plan_types and "type" in query:
            return "trackingPlans", [p for p in self.tracking_plans if p.get("type") == query["type"]]
        if path in lists:
            return lists[path]
        if path == "/functions":
            kind = query.get("resourceType")
            if kind not in FUNCTION_TYPES:
                return _Reply(422, _errors("input-validation", "resourceType is required"))
            return "functions", self.functions[kind]
        parts = path.split("/")
        if len(parts) == 4 and parts[1] == "destination" and parts[3] == "filters":
            dest = unquote(parts[2])
            if not any(d["id"] == dest for d in self.destinations):
                return None
            return "filters", self.filters.get(dest, [])
        return None

    def _page(self, key: str, items: list[Item], query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        try:
            count = int(query["pagination.count"])
        except (KeyError, ValueError):
            return 422, {}, _errors("input-validation", "pagination.count is required")
        if not 1 <= count <= 200:
            return 422, {}, _errors("input-validation", "pagination.count must be between 1 and 200")
        cursor = query.get("pagination.cursor")
        start = int(base64.b64decode(cursor).decode()) if cursor else 0
        end = min(start + min(count, self.max_page), len(items))
        pagination: Item = {"current": _cursor(start), "totalEntries": len(items)}
        if end < len(items):
            pagination["next"] = _cursor(end)
        if start:
            pagination["previous"] = _cursor(max(0, start - count))
        return 200, {}, {"data": {key: items[start:end], "pagination": pagination}}


def _cursor(offset: int) -> str:
    return base64.b64encode(str(offset).encode()).decode()


def _errors(type_: str, message: str) -> Item:
    return {"errors": [{"type": type_, "message": message}]}


def source(slug: str, id_: str, catalog_slug: str, metadata_id: str) -> Item:
    return {
        "id": id_,
        "slug": slug,
        "name": slug.upper(),
        "workspaceId": "ws_1",
        "enabled": True,
        "writeKeys": [],
        "labels": [],
        "metadata": {"id": metadata_id, "slug": catalog_slug, "name": catalog_slug.title()},
    }


def metadata(slug: str, id_: str, previous_names: list[str]) -> Item:
    return {"id": id_, "slug": slug, "name": slug.replace("-", " ").title(), "previousNames": previous_names}


def destination(id_: str, source_id: str, meta: Item) -> Item:
    return {"id": id_, "name": None, "enabled": True, "sourceId": source_id, "metadata": meta, "settings": {}}


def _handler(api: FakePublicApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: avoid 40 ms stalls

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, body = api.answer(parts.path or "/", query, headers)
            if isinstance(body, _Trickle):
                self._trickle(body.interval)
                return
            if isinstance(body, _Cut):
                self._cut()
                return
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/vnd.segment.v1+json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def _trickle(self, interval: float) -> None:
            try:
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                while api._server is not None:  # noqa: SLF001 (stopped: end the body)
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(interval)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should
            self.close_connection = True

        def _cut(self) -> None:
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b'{"data": {"sources": [')
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def sample_idmap_json(api_url: str) -> dict[str, Any]:
    """The id map that `FakePublicApi.sample()` must give, without `fetched_at`."""
    return {
        "format": "migrator.ids",
        "version": 1,
        "api_url": api_url,
        "workspace": {"id": "ws_9f8e7d", "slug": "acme", "name": "Acme Inc"},
        "sources": {"ios": "src_ios1", "js": "src_js1", "server": "src_node1"},
        "destinations": {
            "ios/amplitude": ["d_amp1"],
            "js/google-analytics": ["d_ga1", "d_ga2"],
            "js/google-universal-analytics": ["d_ga1", "d_ga2"],
            "server/amazon-kinesis": ["d_kin1"],
        },
        "source_metadata": {"ios": "iosMetaId", "javascript": "IqDTy1TpoU", "node-js": "nodeMetaId"},
        "destination_metadata": {
            "actions-amplitude": "ampActionsMetaId",
            "amazon-kinesis": "kinMetaId",
            "amplitude": "ampMetaId",
            "amplitude-actions": "ampActionsMetaId",
            "google-analytics": "gaMetaId",
            "google-universal-analytics": "gaMetaId",
            "old-one": "oldOneMetaId",
            "old-two": "oldTwoMetaId",
        },
        "previous_names": {"amplitude-actions": "actions-amplitude", "google-universal-analytics": "google-analytics"},
        "tracking_plans": {
            "Web Plan": ["tp_1", "tp_2"],
            "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ": ["tp_1"],
            "tp_1": ["tp_1"],
            "tp_2": ["tp_2"],
            "web-plan-2": ["tp_2"],
        },
        "filters": {"d_amp1/Sample 10%": ["df_2", "df_3"], "d_ga1/Drop test events": ["df_1"]},
        "functions": {
            "Stripe ingest": ["sfnc_2"],
            "Webhook relay": ["ifnd_3", "sfnc_1"],
            "ifnd_3": ["ifnd_3"],
            "sfnc_1": ["sfnc_1"],
            "sfnc_2": ["sfnc_2"],
        },
        "users": {"ada@acme.test": "u_1"},
        "roles": {"Source Admin": "r_2", "Workspace Owner": "r_1"},
        "skipped": {SAMPLE_LEFT_OUT: SAMPLE_LEFT_OUT_WHY},
    }


SAMPLE_LEFT_OUT = "destination_metadata/legacy-tool"
SAMPLE_LEFT_OUT_WHY = "it names 2 objects in the Public API (oldOneMetaId, oldTwoMetaId)"
"""The key the sample's shared previous name "Legacy Tool" leaves out, and why (the map's `skipped`)."""


ORPHAN_NOTE = 'destinations: 1 item left out (1 whose "sourceId" names no source in the map: "src_gone")'
"""The note on `d_orphan`, whose source the sample does not list."""
SAMPLE_NOTES = [
    ORPHAN_NOTE,
    'destination catalog previous names: "legacy-tool" names 2 objects (oldOneMetaId, oldTwoMetaId); left out',
]
