"""Plumbing the two faces of the fake share: requests, replies, errors, routes."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

Json = Any


@dataclass
class Request:
    method: str
    path: str  # without the query, percent-encoded as sent
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)  # filled by the router

    @classmethod
    def build(cls, method: str, target: str, headers: dict[str, str], body: bytes) -> Request:
        path, _, query = target.partition("?")
        return cls(
            method=method.upper(),
            path=path,
            query=parse_qs(query, keep_blank_values=True),
            headers={k.lower(): v for k, v in headers.items()},
            body=body,
        )

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def json(self) -> Json:
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiError(400, f"request body is not JSON: {exc}") from None

    def bearer(self) -> str | None:
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def basic(self) -> tuple[str, str] | None:
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(value.strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return user, password


@dataclass(frozen=True)
class Reply:
    status: int
    body: Json
    content_type: str = "application/json"
    routed: bool = True  # False: no endpoint of the face has this method and path

    def encode(self) -> bytes:
        return json.dumps(self.body).encode()


class ApiError(Exception):
    """Raised by handlers; each face renders it in its own error envelope."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


class NoRoute(ApiError):
    """No endpoint matches the method and path."""


Handler = Callable[[Request], Json]


class Router:
    """`METHOD /a/{b}/c` templates → handlers; a parameter is one path segment."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/:]+)", re.escape(template))
        self._routes.append((method, re.compile(pattern + "/?"), handler))

    def find(self, request: Request) -> Handler:
        path_allowed = False
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if not match:
                continue
            path_allowed = True
            if method == request.method:
                request.params = {k: unquote(v) for k, v in match.groupdict().items()}
                return handler
        if path_allowed:
            raise NoRoute(405, f"method {request.method} not allowed on {request.path}")
        raise NoRoute(404, f"no such endpoint: {request.method} {request.path}")


def page_window(total: int, offset: int, asked: int | None, limit: int) -> tuple[int, int]:
    """(start, end) of one page: at most `limit` items, whatever was asked for."""
    size = min(asked or limit, limit)
    start = min(max(offset, 0), total)
    return start, min(start + size, total)
