"""Point and payload routes, in Qdrant's shapes (``{name}`` is the collection)::

    PUT    /collections/{name}/points                 upsert {"points": [{id, vector?, payload?}]}
                                                      or {"batch": {ids, vectors?, payloads?}}
    POST   /collections/{name}/points                 retrieve {"ids": [...], with_payload, with_vector}
    GET    /collections/{name}/points/{id}            one point (?with_payload, ?with_vector)
    DELETE /collections/{name}/points/{id}            genlogic: delete one point
    POST   /collections/{name}/points/delete          {"points": [ids]} or {"filter": {...}}
    POST   /collections/{name}/points/scroll          {offset, limit, filter, with_payload, with_vector}
    POST   /collections/{name}/points/payload         set: {payload, points | filter, key?}
    PUT    /collections/{name}/points/payload         overwrite: {payload, points | filter}
    POST   /collections/{name}/points/payload/delete  {keys, points | filter}
    POST   /collections/{name}/points/payload/clear   {points | filter}

Writes answer Qdrant's ``{"operation_id": N, "status": "completed"}`` (plus genlogic's
count of points written) only after the change is committed to SQLite, whatever
``?wait=`` says.  A point without a vector (or with ``{}``) stores the MBAT encoding of
its payload, and that vector follows later payload changes; a vector given as numbers
is kept as it is (unit length in Cosine collections).  Payload changes name existing
points: an unknown id is a 404 and nothing is changed.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool

from .config import Limits
from .filters import parse_filter, parse_path
from .payloads import (check_new_payload, delete_keys, parse_key_list, parse_payload_selector,
                       set_keys)
from .qdrant import point_vector, record_json, refuse_unsupported, target, with_vector
from .registry import NewPoint, Registry, Target
from .responses import ok, run_with_body
from .schemas import (DeletePayload, PointsSelector, RetrievePoints, ScrollPoints, SetPayload, UpsertPoints,
                      request_body)
from .validation import (ApiError, check_collection_name, check_payload, check_point_id, id_key,
                         point_id_from_path, validate_model)

__all__ = ["add_routes"]


def _updated(operation: int | None, **counts) -> dict:
    return {"operation_id": operation, "status": "completed", **counts}


def _batch_items(batch: Any) -> list[tuple[Any, Any, Any, bool, str]]:
    """Qdrant's column form ``{"ids", "vectors", "payloads"}`` as rows."""
    if not isinstance(batch, dict):
        raise ApiError(400, "batch: expected {\"ids\": [...], \"vectors\": [...], \"payloads\": [...]}")
    unknown = sorted(set(batch) - {"ids", "vectors", "payloads"})
    if unknown:
        raise ApiError(400, f"batch.{unknown[0]}: this field is not supported here")
    ids = batch.get("ids")
    if not isinstance(ids, list):
        raise ApiError(400, "batch.ids: expected an array of point ids")
    columns = {}
    for column in ("vectors", "payloads"):
        values = batch.get(column)
        if values is not None and (not isinstance(values, list) or len(values) != len(ids)):
            raise ApiError(400, f"batch.{column}: expected an array as long as batch.ids ({len(ids)})")
        columns[column] = values
    vectors, payloads = columns["vectors"], columns["payloads"]
    return [(point_id, None if vectors is None else vectors[i], None if payloads is None else payloads[i],
             payloads is not None, f"batch[{i}]") for i, point_id in enumerate(ids)]


def add_routes(app: FastAPI, registry: Registry, limits: Limits) -> None:
    def new_points(items: list[tuple[Any, Any, Any, bool, str]], collection) -> list[NewPoint]:
        seen: dict[str, str] = {}
        made = []
        for raw_id, vector_value, payload, has_payload, where in items:
            point_id = check_point_id(raw_id, f"{where}.id")
            key = id_key(point_id)
            if key in seen:
                raise ApiError(400, f"{where}.id: {point_id!r} already appears at {seen[key]}")
            seen[key] = where
            vector, document = point_vector(vector_value, collection.dim, collection.normalises, has_payload,
                                            payload, f"{where}.vector", limits)
            check_payload(payload, f"{where}.payload", limits)
            made.append(NewPoint(point_id, payload, vector, document) if vector is None
                        else NewPoint(point_id, payload, vector))
        return made

    @app.put("/collections/{name}/points", tags=["points"], summary="Upsert points",
             openapi_extra=request_body(UpsertPoints))
    async def upsert_points(name: str, request: Request, wait: bool = True):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            if isinstance(data, dict):
                given = data.get("points")
                if not isinstance(given, list) and isinstance(data.get("batch"), dict):
                    given = data["batch"].get("ids")
                if isinstance(given, list) and len(given) > limits.max_batch_points:
                    raise ApiError(400, f"points: {len(given)} points in one request; "
                                        f"the limit is {limits.max_batch_points}")
            body = validate_model(UpsertPoints, data)
            refuse_unsupported(body)
            if (body.points is None) == (body.batch is None):
                raise ApiError(400, "give \"points\" (a list of points) or \"batch\" (columns), not both")
            if body.points is not None:
                items = [(p.id, p.vector, p.payload, "payload" in p.model_fields_set, f"points[{i}]")
                         for i, p in enumerate(body.points)]
            else:
                items = _batch_items(body.batch)
            if not items:
                raise ApiError(400, "points: the list is empty")
            collection = registry.writable(name)
            made = new_points(items, collection)
            return _updated(registry.upsert(collection, made), upserted=len(made))
        return ok(await run_with_body(request, work), started)

    @app.post("/collections/{name}/points", tags=["points"], summary="Retrieve points by id",
              openapi_extra=request_body(RetrievePoints))
    async def retrieve_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(RetrievePoints, data)
            refuse_unsupported(body)
            if len(body.ids) > limits.max_page_points:
                raise ApiError(400, f"ids: at most {limits.max_page_points} per request")
            keys = list(dict.fromkeys(id_key(check_point_id(i, f"ids[{n}]")) for n, i in enumerate(body.ids)))
            selector = parse_payload_selector(body.with_payload, "with_payload", default=True)
            vector = with_vector(body)
            hits = registry.read(registry.get(name), lambda c: [h for h in map(c.get, keys) if h is not None])
            return [record_json(hit, selector, vector) for hit in hits]
        return ok(await run_with_body(request, work), started)

    @app.get("/collections/{name}/points/{point_id}", tags=["points"], summary="Get a point")
    async def get_point(name: str, point_id: str, with_payload: bool = True, with_vector: bool = False):
        started = time.perf_counter()
        check_collection_name(name)
        identifier = point_id_from_path(point_id)
        hit = registry.read(registry.get(name), lambda c: c.get(id_key(identifier)))
        if hit is None:
            raise ApiError(404, f"point {identifier!r} is not in collection {name!r}")
        return ok(record_json(hit, parse_payload_selector(with_payload, "with_payload", True), with_vector),
                  started)

    @app.delete("/collections/{name}/points/{point_id}", tags=["points"], summary="Delete a point (genlogic)")
    async def delete_point(name: str, point_id: str):
        started = time.perf_counter()
        check_collection_name(name)
        identifier = point_id_from_path(point_id)
        operation, deleted = await run_in_threadpool(registry.delete_points, registry.writable(name),
                                                     Target(ids=[identifier]))
        return ok(_updated(operation, deleted=deleted), started)

    @app.post("/collections/{name}/points/delete", tags=["points"], summary="Delete points by id or filter",
              openapi_extra=request_body(PointsSelector))
    async def delete_points(name: str, request: Request, wait: bool = True):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(PointsSelector, data)
            refuse_unsupported(body)
            which = target(body.points, body.filter, limits)
            operation, deleted = registry.delete_points(registry.writable(name), which)
            return _updated(operation, deleted=deleted)
        return ok(await run_with_body(request, work), started)

    @app.post("/collections/{name}/points/scroll", tags=["points"], summary="Points in id order, page by page",
              openapi_extra=request_body(ScrollPoints, required=False))
    async def scroll_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(ScrollPoints, data)
            refuse_unsupported(body)
            if body.limit > limits.max_page_points:
                raise ApiError(400, f"limit: at most {limits.max_page_points}, got {body.limit}")
            offset = None if body.offset is None else check_point_id(body.offset, "offset")
            where = parse_filter(body.filter, limits)
            selector = parse_payload_selector(body.with_payload, "with_payload", default=True)
            vector = with_vector(body)

            def page(c):
                rows = c.ordered_rows(where, offset)
                following = c.point(int(rows[body.limit]))[1] if len(rows) > body.limit else None
                return [record_json(c.hit(int(r)), selector, vector) for r in rows[:body.limit]], following
            points, following = registry.read(registry.get(name), page)
            return {"points": points, "next_page_offset": following}
        return ok(await run_with_body(request, work, empty={}), started)

    def payload_route(data: Any, name: str, model, make_change) -> dict:
        body = validate_model(model, data)
        refuse_unsupported(body)
        which = target(body.points, body.filter, limits)
        change = make_change(body)

        def checked(payload, point_id):
            result = change(payload, point_id)
            check_payload(result, "payload", limits)
            return result
        operation, changed = registry.change_payloads(registry.writable(name), which, checked)
        return _updated(operation, changed=changed)

    def set_change(body):
        new = check_new_payload(body.payload, "payload", limits)
        key = None if body.key is None else parse_path(body.key, "key")
        return lambda payload, point_id: set_keys(payload, point_id, new, key)

    def overwrite_change(body):
        if body.key is not None:
            raise ApiError(400, "key: overwrite_payload replaces the whole payload; "
                                "use set_payload to write at a key")
        new = check_new_payload(body.payload, "payload", limits)
        return lambda payload, point_id: dict(new)

    def delete_change(body):
        paths = parse_key_list(body.keys, "keys")
        return lambda payload, point_id: delete_keys(payload, point_id, paths)

    @app.post("/collections/{name}/points/payload", tags=["payload"], summary="Set payload keys",
              openapi_extra=request_body(SetPayload))
    async def set_payload(name: str, request: Request, wait: bool = True):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: payload_route(d, name, SetPayload, set_change)),
                  started)

    @app.put("/collections/{name}/points/payload", tags=["payload"], summary="Overwrite payloads",
             openapi_extra=request_body(SetPayload))
    async def overwrite_payload(name: str, request: Request, wait: bool = True):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: payload_route(d, name, SetPayload, overwrite_change)),
                  started)

    @app.post("/collections/{name}/points/payload/delete", tags=["payload"], summary="Delete payload keys",
              openapi_extra=request_body(DeletePayload))
    async def delete_payload(name: str, request: Request, wait: bool = True):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: payload_route(d, name, DeletePayload, delete_change)),
                  started)

    @app.post("/collections/{name}/points/payload/clear", tags=["payload"], summary="Clear payloads",
              openapi_extra=request_body(PointsSelector))
    async def clear_payload(name: str, request: Request, wait: bool = True):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: payload_route(d, name, PointsSelector,
                                                                       lambda body: lambda p, i: {})),
                  started)
