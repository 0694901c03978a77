"""The HTTP API: routes in the style of vector databases, over a :class:`Registry`.

Routes (bodies and answers are JSON; answers are ``{"result": ..., "status": "ok",
"time": seconds}``, errors ``{"status": {"error": message, "problems": [...]},
"time": seconds}`` with a 4xx code)::

    GET    /healthz                              liveness (no API key needed)
    GET    /collections                          names
    PUT    /collections/{name}                   create: {dim, binding, seed}
    GET    /collections/{name}                   settings and point count
    DELETE /collections/{name}
    PUT    /collections/{name}/points            upsert {points: [{id, payload | vector}]}
    POST   /collections/{name}/points/delete     {points: [id, ...]}
    GET    /collections/{name}/points/{id}       ?with_vector=true
    DELETE /collections/{name}/points/{id}
    POST   /collections/{name}/search            {query | vector | statement, limit, filter,
                                                  with_payload, with_vector, score_threshold}
    POST   /collections/{name}/count             {filter}
    GET    /openapi.json, /docs                  the schema and its browsable page

:class:`RequestGuard`, an ASGI middleware, runs before any parsing: it checks the
``api-key`` header (or ``Authorization: Bearer``) when a key is set and refuses
bodies over ``Limits.max_body_bytes`` with 413, from ``Content-Length`` or while
reading.  Route handlers read the body themselves (see
:mod:`genlogic.service.validation`) and run the work in a thread pool.  Any
exception that is not an :class:`ApiError` is a bug: it is logged and answered
with a JSON 500 that reveals no internals.  This module does no encoding, search
or storage of its own.
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
import time
from typing import Any, Callable

import numpy as np
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from genlogic import __version__
from genlogic.vsa.kernels import topk_inner_product

from .config import Limits, ServiceConfig
from .engine import Hit, NewPoint, Registry
from .filters import parse_filter
from .schemas import (CountRequest, CreateCollection, DeletePoints, SearchRequest, UpsertPoints,
                      request_body)
from .validation import (ApiError, check_collection_name, check_payload, check_point_id, check_vector,
                         id_key, parse_json_body, point_id_from_path, validate_model)

__all__ = ["create_app", "RequestGuard", "warm_up"]

log = logging.getLogger("genlogic.service")
OPEN_PATHS = frozenset({"/healthz", "/docs", "/docs/oauth2-redirect", "/openapi.json"})


def _envelope_error(status: int, message: str, problems=(), started: float | None = None) -> JSONResponse:
    body: dict[str, Any] = {"status": {"error": message}}
    if problems:
        body["status"]["problems"] = list(problems)
    body["time"] = round(time.perf_counter() - started, 6) if started is not None else 0.0
    return JSONResponse(body, status_code=status)


def _ok(result: Any, started: float, **extra) -> JSONResponse:
    return JSONResponse({"result": result, "status": "ok", **extra,
                         "time": round(time.perf_counter() - started, 6)})


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
                return await _envelope_error(401, f"unauthorised: {reason}")(scope, receive, send)
        limit = self.limits.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                return await _envelope_error(400, "invalid Content-Length header")(scope, receive, send)
            if int(declared) > limit:
                return await _envelope_error(
                    413, f"the request body is {int(declared)} bytes; the limit is {limit}")(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await _envelope_error(
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


def _hit_json(hit: Hit, with_payload: bool, with_vector: bool) -> dict:
    out: dict[str, Any] = {"id": hit.point_id}
    if hit.score is not None:
        out["score"] = hit.score
    if with_payload:
        out["payload"] = hit.payload
    if with_vector:
        out["vector"] = [float(v) for v in hit.vector]
    return out


def create_app(config: ServiceConfig, registry: Registry) -> FastAPI:
    """The FastAPI application serving ``registry`` under ``config``'s limits and key."""
    limits = config.limits
    app = FastAPI(title="genlogic vector search", version=__version__, redirect_slashes=False,
                  description="JSON documents in, similar documents out: MBAT vectors, exact search, "
                              "SQLite storage. Send the api-key header when the service has a key.")
    app.state.registry = registry
    app.add_middleware(RequestGuard, limits=limits, api_key=config.api_key)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return _envelope_error(exc.status, exc.message, exc.problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        path = request.url.path if len(request.url.path) <= 200 else request.url.path[:200] + "..."
        message = {404: f"no route {path!r}", 405: f"method {request.method} is not allowed on {path!r}"}
        return _envelope_error(exc.status_code, message.get(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def parameter_error(request: Request, exc: RequestValidationError):
        problems = [{"loc": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                    for e in exc.errors()[:20]]
        first = problems[0] if problems else {"loc": "request", "message": "invalid"}
        return _envelope_error(400, f"invalid request: {first['loc']}: {first['message']}", problems)

    @app.exception_handler(sqlite3.OperationalError)
    async def storage_error(request: Request, exc: sqlite3.OperationalError):
        log.error("storage error in %s %s: %s", request.method, request.url.path, exc)
        return _envelope_error(503, "storage unavailable (the request was not applied); try again")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return _envelope_error(500, f"internal error ({type(exc).__name__}); the request was not applied "
                                    "unless it was acknowledged before")

    async def run(request: Request, work: Callable[[Any], Any], *, empty: Any = ...) -> Any:
        data = parse_json_body(await request.body(), empty=empty)
        return await run_in_threadpool(work, data)

    # -- service -----------------------------------------------------------------------
    @app.get("/healthz", tags=["service"], summary="Liveness")
    async def healthz():
        started = time.perf_counter()
        return _ok({"status": "ok", "collections": len(registry.names())}, started)

    # -- collections -------------------------------------------------------------------
    @app.get("/collections", tags=["collections"], summary="List collections")
    async def list_collections():
        started = time.perf_counter()
        return _ok({"collections": [{"name": n} for n in registry.names()]}, started)

    @app.put("/collections/{name}", tags=["collections"], summary="Create a collection",
             openapi_extra=request_body(CreateCollection, required=False))
    async def create_collection(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            settings = validate_model(CreateCollection, data)
            top = limits.max_haar_dim if settings.binding == "haar" else limits.max_dim
            if not limits.min_dim <= settings.dim <= top:
                raise ApiError(400, f"dim: must be between {limits.min_dim} and {top} "
                                    f"for binding {settings.binding!r}, got {settings.dim}")
            return registry.create(name, settings.dim, settings.binding, settings.seed).describe()
        return _ok(await run(request, work, empty={}), started)

    @app.get("/collections/{name}", tags=["collections"], summary="Describe a collection")
    async def get_collection(name: str):
        started = time.perf_counter()
        check_collection_name(name)
        return _ok(registry.read(registry.get(name), lambda c: c.describe()), started)

    @app.delete("/collections/{name}", tags=["collections"], summary="Delete a collection and its points")
    async def delete_collection(name: str):
        started = time.perf_counter()
        check_collection_name(name)
        await run_in_threadpool(registry.drop, name)
        return _ok(True, started)

    # -- points ------------------------------------------------------------------------
    def new_points(points: list, dim: int) -> list[NewPoint]:
        seen: dict[str, int] = {}
        made = []
        for position, point in enumerate(points):
            where = f"points[{position}]"
            point_id = check_point_id(point.id, f"{where}.id")
            key = id_key(point_id)
            if key in seen:
                raise ApiError(400, f"{where}.id: {point_id!r} already appears at points[{seen[key]}]")
            seen[key] = position
            given = point.model_fields_set
            vector = None
            if point.vector is not None:
                vector = check_vector(point.vector, dim, f"{where}.vector")
            elif "payload" not in given:
                raise ApiError(400, f"{where}: give a payload (to encode) or a vector")
            check_payload(point.payload, f"{where}.payload", limits)
            made.append(NewPoint(point_id, point.payload, vector))
        return made

    @app.put("/collections/{name}/points", tags=["points"], summary="Upsert points",
             openapi_extra=request_body(UpsertPoints))
    async def upsert_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            if isinstance(data, dict) and isinstance(data.get("points"), list):
                if len(data["points"]) > limits.max_batch_points:
                    raise ApiError(400, f"points: {len(data['points'])} points in one request; "
                                        f"the limit is {limits.max_batch_points}")
            body = validate_model(UpsertPoints, data)
            if not body.points:
                raise ApiError(400, "points: the list is empty")
            collection = registry.writable(name)
            count = registry.upsert(collection, new_points(body.points, collection.dim))
            return {"status": "completed", "upserted": count}
        return _ok(await run(request, work), started)

    @app.post("/collections/{name}/points/delete", tags=["points"], summary="Delete points by id",
              openapi_extra=request_body(DeletePoints))
    async def delete_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(DeletePoints, data)
            if len(body.points) > limits.max_batch_points:
                raise ApiError(400, f"points: at most {limits.max_batch_points} ids per request")
            ids = [check_point_id(i, f"points[{n}]") for n, i in enumerate(body.points)]
            return {"status": "completed", "deleted": registry.delete_points(registry.writable(name), ids)}
        return _ok(await run(request, work), started)

    @app.get("/collections/{name}/points/{point_id}", tags=["points"], summary="Get a point")
    async def get_point(name: str, point_id: str, with_payload: bool = True, with_vector: bool = False):
        started = time.perf_counter()
        check_collection_name(name)
        identifier = point_id_from_path(point_id)
        hit = registry.read(registry.get(name), lambda c: c.get(id_key(identifier)))
        if hit is None:
            raise ApiError(404, f"point {identifier!r} is not in collection {name!r}")
        return _ok(_hit_json(hit, with_payload, with_vector), started)

    @app.delete("/collections/{name}/points/{point_id}", tags=["points"], summary="Delete a point")
    async def delete_point(name: str, point_id: str):
        started = time.perf_counter()
        check_collection_name(name)
        identifier = point_id_from_path(point_id)
        deleted = await run_in_threadpool(registry.delete_points, registry.writable(name), [identifier])
        return _ok({"status": "completed", "deleted": deleted}, started)

    # -- search ------------------------------------------------------------------------
    @app.post("/collections/{name}/search", tags=["search"], summary="Nearest points",
              openapi_extra=request_body(SearchRequest))
    async def search(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)
        extra: dict[str, Any] = {}

        def work(data):
            body = validate_model(SearchRequest, data)
            given = [f for f in ("query", "vector", "statement") if f in body.model_fields_set]
            if len(given) != 1:
                raise ApiError(400, "give exactly one of \"query\" (a JSON document), \"vector\" "
                                    f"or \"statement\" (MPL collections); got {given or 'none'}")
            if body.limit > limits.max_search_limit:
                raise ApiError(400, f"limit: at most {limits.max_search_limit}, got {body.limit}")
            where = parse_filter(body.filter, limits)
            collection = registry.get(name)
            space = "vector"
            if given == ["statement"]:
                if not hasattr(collection, "statement_query"):
                    raise ApiError(400, f"statement: collection {name!r} holds JSON documents; "
                                        "search it with \"query\" or \"vector\"")
                if body.statement is None or len(body.statement) > limits.max_statement_chars:
                    raise ApiError(400, f"statement: a string of at most {limits.max_statement_chars} characters")
                vector, space, form = collection.statement_query(body.statement)
                extra["statement_form"] = form
            elif given == ["query"]:
                if collection.encoding != "json":
                    raise ApiError(400, f"query: collection {name!r} holds {collection.encoding} "
                                        "statements; search it with \"statement\" or \"vector\"")
                check_payload(body.query, "query", limits)
                vector = collection.encode_query(body.query)
            else:
                vector = check_vector(body.vector, collection.dim, "vector")
            hits = registry.read(collection, lambda c: c.search(vector, body.limit, where,
                                                                body.score_threshold, space))
            return [_hit_json(hit, body.with_payload, body.with_vector) for hit in hits]
        result = await run(request, work)
        return _ok(result, started, **extra)

    @app.post("/collections/{name}/count", tags=["search"], summary="Count points (optionally filtered)",
              openapi_extra=request_body(CountRequest, required=False))
    async def count(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(CountRequest, data)
            where = parse_filter(body.filter, limits)
            return {"count": registry.read(registry.get(name), lambda c: c.count(where))}
        return _ok(await run(request, work, empty={}), started)

    return app
