"""The HTTP application: Qdrant's REST API over a :class:`~.registry.Registry`.

Routes live in three modules (each lists its own): :mod:`.collections_api`
(collections), :mod:`.points_api` (points and payloads) and :mod:`.search_api`
(query, search, count, and genlogic's own search by document or statement).  This
module adds the service routes and everything around them::

    GET    /                     name and the Qdrant API version followed (the client checks it)
    GET    /healthz, /livez, /readyz   liveness (no API key needed)
    GET    /openapi.json, /docs  the schema and its browsable page (no API key needed)

:class:`RequestGuard`, an ASGI middleware, runs before any parsing: it checks the
``api-key`` header (or ``Authorization: Bearer``) when a key is set and refuses
bodies over ``Limits.max_body_bytes`` with 413, from ``Content-Length`` or while
reading.  Answers and errors use Qdrant's envelope (:mod:`.responses`).  Any
exception that is not an :class:`~.validation.ApiError` is a bug: it is logged and
answered with a JSON 500 that reveals no internals.  This module does no encoding,
search or storage of its own.
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
import time

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from genlogic import __version__
from genlogic.vsa.kernels import topk_inner_product

from . import collections_api, points_api, search_api
from .config import QDRANT_API_VERSION, Limits, ServiceConfig
from .registry import Registry
from .responses import error_response, ok
from .validation import ApiError

__all__ = ["create_app", "RequestGuard", "warm_up"]

log = logging.getLogger("genlogic.service")
OPEN_PATHS = frozenset({"/healthz", "/livez", "/readyz", "/docs", "/docs/oauth2-redirect", "/openapi.json"})


class RequestGuard:
    """ASGI middleware: API key and body size, checked before the app parses anything."""

    def __init__(self, app, limits: Limits, api_key: str | None):
        self.app = app
        self.limits = limits
        self.api_key = api_key.encode("utf-8") if api_key else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.decode("latin-1").lower(), value)
        if self.api_key is not None and scope.get("path") not in OPEN_PATHS:
            given = headers.get("api-key")
            bearer = headers.get("authorization", b"")
            if given is None and bearer[:7].lower() == b"bearer ":
                given = bearer[7:].strip()
            if given is None or not hmac.compare_digest(given, self.api_key):
                reason = "missing api-key header" if given is None else "wrong api key"
                return await error_response(401, f"unauthorised: {reason}")(scope, receive, send)
        limit = self.limits.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                return await error_response(400, "invalid Content-Length header")(scope, receive, send)
            if int(declared) > limit:
                return await error_response(
                    413, f"the request body is {int(declared)} bytes; the limit is {limit}")(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await error_response(
                    413, f"the request body exceeds the limit of {limit} bytes")(scope, receive, send)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def warm_up() -> None:
    """Load the compiled top-k kernel before the first request needs it."""
    database = np.eye(4, dtype=np.float32)
    topk_inner_product(database, database[:1], 2)


def create_app(config: ServiceConfig, registry: Registry) -> FastAPI:
    """The FastAPI application serving ``registry`` under ``config``'s limits and key."""
    limits = config.limits
    app = FastAPI(title="genlogic vector search", version=__version__, redirect_slashes=False,
                  description="Qdrant's REST API (collections, points, payloads, filters, query) over "
                              "MBAT vectors, exact search and SQLite storage; the official qdrant-client "
                              "works unchanged. Send the api-key header when the service has a key.")
    app.state.registry = registry
    app.add_middleware(RequestGuard, limits=limits, api_key=config.api_key)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.message, exc.problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        path = request.url.path if len(request.url.path) <= 200 else request.url.path[:200] + "..."
        message = {404: f"no route {path!r}", 405: f"method {request.method} is not allowed on {path!r}"}
        return error_response(exc.status_code, message.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def parameter_error(request: Request, exc: RequestValidationError):
        problems = [{"loc": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                    for e in exc.errors()[:20]]
        first = problems[0] if problems else {"loc": "request", "message": "invalid"}
        return error_response(400, f"invalid request: {first['loc']}: {first['message']}", problems)

    @app.exception_handler(sqlite3.OperationalError)
    async def storage_error(request: Request, exc: sqlite3.OperationalError):
        log.error("storage error in %s %s: %s", request.method, request.url.path, exc)
        return error_response(503, "storage unavailable (the request was not applied); try again")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return error_response(500, f"internal error ({type(exc).__name__}); the request was not applied "
                                   "unless it was acknowledged before")

    @app.get("/", tags=["service"], summary="Name and version")
    async def root():
        return {"title": "genlogic vector search (Qdrant REST API)", "version": QDRANT_API_VERSION,
                "genlogic_version": __version__}

    @app.get("/healthz", tags=["service"], summary="Liveness")
    async def healthz():
        started = time.perf_counter()
        return ok({"status": "ok", "collections": len(registry.names())}, started)

    @app.get("/livez", tags=["service"], summary="Liveness (Qdrant's name)", include_in_schema=False)
    @app.get("/readyz", tags=["service"], summary="Readiness (Qdrant's name)", include_in_schema=False)
    async def livez():
        started = time.perf_counter()
        return ok({"status": "ok"}, started)

    collections_api.add_routes(app, registry, limits)
    points_api.add_routes(app, registry, limits)
    search_api.add_routes(app, registry, limits)
    return app
