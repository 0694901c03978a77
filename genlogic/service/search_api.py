"""Search and count routes: Qdrant's query API, its older search, and genlogic's own::

    POST /collections/{name}/points/query        {query, filter, limit, offset, score_threshold,
                                                  with_payload, with_vector, using, params}
                                                  -> {"points": [ScoredPoint]}
    POST /collections/{name}/points/query/batch  {"searches": [query request, ...]}
    POST /collections/{name}/points/search       Qdrant's older search: {vector, filter, limit, ...}
    POST /collections/{name}/points/count        {filter, exact} -> {"count": N}
    POST /collections/{name}/search              genlogic: {query (JSON document) | vector |
                                                  statement, limit, filter, ...}
    POST /collections/{name}/count               genlogic: the same as points/count

A query is a vector, a point id (that point's vector), a document to encode (see
:mod:`.qdrant`) or nothing (points in id order, score 0).  In the theorems
collection a text document or a ``statement`` is searched by meaning first
(:meth:`~.theorems.TheoremCollection.statement_search`).  Scores are Qdrant's: the
cosine (Cosine), the inner product (Dot) or the distance (Euclid, smaller first).
``params`` (hnsw_ef, exact, ...) are accepted; search is always exact.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI, Request

from .config import Limits
from .engine import Collection, Hit
from .filters import Filter, parse_filter
from .payloads import parse_payload_selector
from .qdrant import Query, parse_query, refuse_unsupported, scored_json, with_vector
from .registry import Registry
from .responses import ok, run_with_body
from .schemas import CountRequest, QueryBatch, QueryPoints, SearchPoints, SearchRequest, request_body
from .theorems import TheoremCollection
from .validation import (ApiError, check_collection_name, check_payload, check_vector, id_key,
                         validate_model)

__all__ = ["add_routes"]


def _genlogic_hit(hit: Hit, with_payload: bool, with_vector: bool) -> dict:
    out: dict[str, Any] = {"id": hit.point_id}
    if hit.score is not None:
        out["score"] = hit.score
    if with_payload:
        out["payload"] = hit.payload
    if with_vector:
        out["vector"] = [float(v) for v in hit.vector]
    return out


def add_routes(app: FastAPI, registry: Registry, limits: Limits) -> None:
    def check_window(limit: int, offset: int) -> None:
        if limit > limits.max_search_limit:
            raise ApiError(400, f"limit: at most {limits.max_search_limit}, got {limit}")
        if offset > limits.max_search_offset:
            raise ApiError(400, f"offset: at most {limits.max_search_offset}, got {offset}")

    def run_query(collection: Collection, query: Query, limit: int, offset: int, where: Filter | None,
                  threshold: float | None, where_text: str = "query") -> list[Hit]:
        """The hits of one validated query (encoding outside the collection's lock)."""
        if query.kind == "text" and isinstance(collection, TheoremCollection):
            return registry.read(collection, lambda c: c.statement_search(query.value, limit, where, threshold,
                                                                          offset)[0])
        vector = None
        if query.kind in ("object", "text"):
            if collection.encoding != "json":
                raise ApiError(400, f"{where_text}: collection {collection.name!r} holds MPL statements; query it "
                                    "with {\"text\": statement, \"model\": \"mbat\"}, a vector or a point id")
            vector = collection.encode_query(query.value)
        elif query.kind == "vector":
            vector = check_vector(query.value, collection.dim, where_text, collection.normalises)

        def work(c: Collection) -> list[Hit]:
            if query.kind == "none":
                return [c.hit(int(r), 0.0) for r in c.ordered_rows(where)[offset:offset + limit]]
            near = vector
            if query.kind == "point":
                row = c.row(id_key(query.value))
                if row is None:
                    raise ApiError(404, f"{where_text}: no point with id {query.value!r} in collection {c.name!r}")
                near = c.vector(row)
            return c.search(near, limit, where, threshold, offset)
        return registry.read(collection, work)

    def query_request(collection: Collection, data: Any, where_text: str) -> dict:
        body = validate_model(QueryPoints, data)
        refuse_unsupported(body)
        if body.using not in (None, ""):
            raise ApiError(400, "using: named vectors are not supported; the collection has one unnamed vector")
        if body.params is not None and not isinstance(body.params, dict):
            raise ApiError(400, "params: expected an object (hnsw_ef, exact, ...)")
        check_window(body.limit, body.offset)
        query = parse_query(body.query, "query", limits)
        where = parse_filter(body.filter, limits)
        selector = parse_payload_selector(body.with_payload, "with_payload", default=False)
        vector = with_vector(body)
        hits = run_query(collection, query, body.limit, body.offset, where, body.score_threshold, where_text)
        return {"points": [scored_json(hit, selector, vector) for hit in hits]}

    @app.post("/collections/{name}/points/query", tags=["search"], summary="Query points (nearest)",
              openapi_extra=request_body(QueryPoints, required=False))
    async def query_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: query_request(registry.get(name), d, "query"),
                                      empty={}), started)

    @app.post("/collections/{name}/points/query/batch", tags=["search"], summary="Several queries",
              openapi_extra=request_body(QueryBatch))
    async def query_batch(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(QueryBatch, data)
            if len(body.searches) > limits.max_batch_queries:
                raise ApiError(400, f"searches: at most {limits.max_batch_queries} per request")
            collection = registry.get(name)
            answers = []
            for n, request_data in enumerate(body.searches):
                try:
                    answers.append(query_request(collection, request_data, f"searches[{n}].query"))
                except ApiError as exc:
                    raise ApiError(exc.status, f"searches[{n}]: {exc.message}", exc.problems) from None
            return answers
        return ok(await run_with_body(request, work), started)

    @app.post("/collections/{name}/points/search", tags=["search"], summary="Search by vector (older API)",
              openapi_extra=request_body(SearchPoints))
    async def search_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)

        def work(data):
            body = validate_model(SearchPoints, data)
            refuse_unsupported(body)
            check_window(body.limit, body.offset)
            vector = body.vector
            if isinstance(vector, dict):  # a named vector: {"name": "", "vector": [...]}
                if set(vector) != {"name", "vector"} or vector["name"] != "":
                    raise ApiError(400, "vector: named vectors are not supported; send the numbers")
                vector = vector["vector"]
            where = parse_filter(body.filter, limits)
            selector = parse_payload_selector(body.with_payload, "with_payload", default=False)
            vectors = with_vector(body)
            hits = run_query(registry.get(name), Query("vector", vector), body.limit, body.offset, where,
                             body.score_threshold, "vector")
            return [scored_json(hit, selector, vectors) for hit in hits]
        return ok(await run_with_body(request, work), started)

    def count_request(name: str, data: Any) -> dict:
        body = validate_model(CountRequest, data)
        refuse_unsupported(body)
        where = parse_filter(body.filter, limits)
        return {"count": registry.read(registry.get(name), lambda c: c.count(where))}

    @app.post("/collections/{name}/points/count", tags=["search"], summary="Count points (optionally filtered)",
              openapi_extra=request_body(CountRequest, required=False))
    async def count_points(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: count_request(name, d), empty={}), started)

    @app.post("/collections/{name}/count", tags=["genlogic"], summary="Count points (genlogic's path)",
              openapi_extra=request_body(CountRequest, required=False))
    async def count(name: str, request: Request):
        started = time.perf_counter()
        check_collection_name(name)
        return ok(await run_with_body(request, lambda d: count_request(name, d), empty={}), started)

    @app.post("/collections/{name}/search", tags=["genlogic"], summary="Nearest points to a document or statement",
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
            check_window(body.limit, 0)
            where = parse_filter(body.filter, limits)
            collection = registry.get(name)
            if given == ["statement"]:
                if not isinstance(collection, TheoremCollection):
                    raise ApiError(400, f"statement: collection {name!r} holds JSON documents; "
                                        "search it with \"query\" or \"vector\"")
                if body.statement is None or len(body.statement) > limits.max_statement_chars:
                    raise ApiError(400, f"statement: a string of at most {limits.max_statement_chars} characters")
                hits, extra["statement_form"] = registry.read(
                    collection, lambda c: c.statement_search(body.statement, body.limit, where,
                                                             body.score_threshold))
            elif given == ["query"]:
                if collection.encoding != "json":
                    raise ApiError(400, f"query: collection {name!r} holds {collection.encoding} "
                                        "statements; search it with \"statement\" or \"vector\"")
                check_payload(body.query, "query", limits)
                hits = run_query(collection, Query("object", body.query), body.limit, 0, where,
                                 body.score_threshold)
            else:
                hits = run_query(collection, Query("vector", body.vector), body.limit, 0, where,
                                 body.score_threshold, "vector")
            return [_genlogic_hit(hit, body.with_payload, body.with_vector) for hit in hits]
        result = await run_with_body(request, work)
        return ok(result, started, **extra)

