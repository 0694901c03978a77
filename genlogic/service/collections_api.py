"""Collection routes, in Qdrant's shapes::

    GET    /collections                   {"collections": [{"name": ...}]}
    PUT    /collections/{name}            create: {"vectors": {"size", "distance"}} or genlogic's
                                          {"dim", "binding", "seed"}; an empty body takes the
                                          defaults (1024, Cosine); answers true
    GET    /collections/{name}            Qdrant's collection info (+ "genlogic": encoder settings)
    GET    /collections/{name}/exists     {"exists": bool}
    DELETE /collections/{name}            true, or false when there was no such collection

Qdrant's tuning fields (hnsw_config, optimizers_config, ...) are accepted and have no
effect: storage is SQLite and search is exact.  Fields for features the service does
not have (sparse vectors, init_from, metadata) are a 400 that names them.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool

from .config import Limits
from .qdrant import refuse_unsupported, vectors_config
from .registry import Registry
from .responses import ok, run_with_body
from .schemas import CreateCollection, request_body
from .validation import ApiError, check_collection_name, validate_model

__all__ = ["add_routes"]

DEFAULT_DIM = 1024


def add_routes(app: FastAPI, registry: Registry, limits: Limits) -> None:
    @app.get("/collections", tags=["collections"], summary="List collections")
    async def list_collections():
        started = time.perf_counter()
        return ok({"collections": [{"name": n} for n in registry.names()]}, started)

    @app.put("/collections/{name}", tags=["collections"], summary="Create a collection",
             openapi_extra=request_body(CreateCollection, required=False))
    async def create_collection(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            settings = validate_model(CreateCollection, data)
            refuse_unsupported(settings)
            if settings.vectors is not None and settings.dim is not None:
                raise ApiError(400, "give vectors.size or dim, not both")
            if settings.vectors is not None:
                dim, distance = vectors_config(settings.vectors)
            else:
                dim, distance = (DEFAULT_DIM if settings.dim is None else settings.dim), "Cosine"
            top = limits.max_haar_dim if settings.binding == "haar" else limits.max_dim
            if not limits.min_dim <= dim <= top:
                raise ApiError(400, f"{'vectors.size' if settings.vectors is not None else 'dim'}: must be "
                                    f"between {limits.min_dim} and {top} for binding {settings.binding!r}, "
                                    f"got {dim}")
            registry.create(name, dim, settings.binding, settings.seed, distance)
            return True
        return ok(await run_with_body(request, work, empty={}), started)

    @app.get("/collections/{name}", tags=["collections"], summary="Describe a collection")
    async def get_collection(name: str):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(registry.read(registry.get(name), lambda c: c.describe()), started)

    @app.get("/collections/{name}/exists", tags=["collections"], summary="Whether a collection exists")
    async def collection_exists(name: str):
        started = time.perf_counter()
        check_collection_name(name)
        return ok({"exists": registry.exists(name)}, started)

    @app.delete("/collections/{name}", tags=["collections"], summary="Delete a collection and its points")
    async def delete_collection(name: str):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_in_threadpool(registry.drop, name), started)
