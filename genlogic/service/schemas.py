"""The request bodies of the HTTP API as strict pydantic models, and their JSON schemas.

The Qdrant-shaped bodies (``CreateCollection`` .. ``QueryBatch``) carry the fields
Qdrant's REST API defines for them; genlogic's own bodies (``PointIn`` without a
vector, ``SearchRequest``, ``CountRequest``) keep their earlier shapes.  Models are
strict (no "5" for 5, no 1.0 for 1) and forbid unknown fields, so a typo such as
``"limt"`` is an error instead of being ignored.  Fields whose JSON can take several
shapes (payloads, vectors, queries, ids, filters, selectors) are typed ``Any`` here
and read by :mod:`genlogic.service.qdrant`, :mod:`genlogic.service.validation` and
:mod:`genlogic.service.filters`, which name the exact place of a problem.
``UNSUPPORTED`` lists the Qdrant fields that are known but refused with a 400 that
names them (sharding, named vectors and other features this service does not have).
``request_body(Model)`` gives the OpenAPI fragment the app attaches to each route.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CreateCollection", "PointIn", "UpsertPoints", "DeletePoints", "SearchRequest",
           "CountRequest", "RetrievePoints", "ScrollPoints", "PointsSelector", "SetPayload",
           "DeletePayload", "QueryPoints", "QueryBatch", "SearchPoints", "UNSUPPORTED", "request_body"]

_STRICT = ConfigDict(strict=True, extra="forbid")

ID_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "maxLength": 128}],
             "description": "a non-negative integer, a UUID, or (genlogic) another string that is not all digits"}
VECTOR_SCHEMA = {"anyOf": [{"type": "array", "items": {"type": "number"}},
                           {"type": "object", "description": "{\"object\": JSON, \"model\": \"mbat\"} or "
                                                             "{\"text\": \"...\", \"model\": \"mbat\"}: encoded"}]}
FILTER_SCHEMA = {
    "type": "object",
    "description": ("{\"must\": [...], \"should\": [...], \"must_not\": [...]} of conditions: "
                    "{\"key\": \"a.b\", \"match\": {\"value\": 3}}, {\"key\": \"a\", \"match\": "
                    "{\"any\": [1, 2]}}, {\"key\": \"price\", \"range\": {\"gte\": 1, \"lt\": 5}}, "
                    "{\"has_id\": [...]}, {\"is_empty\": {\"key\": ...}}, {\"is_null\": {\"key\": ...}}, "
                    "{\"nested\": {\"key\": ..., \"filter\": ...}} or a nested filter"),
    "example": {"must": [{"key": "address.city", "match": {"value": "Paris"}},
                         {"key": "price", "range": {"gte": 1, "lt": 5}}]},
}
SELECTOR_SCHEMA = {"description": "true, false, [keys], {\"include\": [keys]} or {\"exclude\": [keys]}"}
QUERY_SCHEMA = {"description": ("a vector, a point id, {\"nearest\": vector | id | document}, or "
                                "(genlogic) a document to encode: {\"object\": JSON, \"model\": \"mbat\"}, "
                                "{\"text\": \"statement or text\", \"model\": \"mbat\"}")}

UNSUPPORTED = {
    "shard_key": "shard keys (this service has one shard)",
    "sparse_vectors": "sparse vectors",
    "init_from": "copying from another collection",
    "metadata": "collection metadata",
    "update_filter": "conditional upserts",
    "order_by": "ordering by a payload key (scroll goes by id)",
    "prefetch": "prefetch and fusion queries",
    "lookup_from": "looking vectors up in another collection",
}


def _ids(**extra) -> Any:
    return Field(json_schema_extra={"items": ID_SCHEMA}, **extra)


class CreateCollection(BaseModel):
    """Qdrant's ``{"vectors": {"size": N, "distance": "Cosine"}}``, or genlogic's
    ``{"dim": N}``; ``binding`` and ``seed`` choose the MBAT encoder either way."""

    model_config = _STRICT
    vectors: Any = Field(None, json_schema_extra={"example": {"size": 1024, "distance": "Cosine"}},
                         description="size and distance (Cosine, Dot or Euclid)")
    dim: int | None = Field(None, description="genlogic's name for vectors.size (default 1024)")
    binding: Literal["signed_perm", "haar"] = Field("signed_perm", description="role matrix family")
    seed: int = Field(0, ge=0, le=2 ** 63 - 1, description="seed of every symbol and role")
    # Qdrant's storage and index tuning: accepted, with no effect (storage is SQLite, search exact)
    shard_number: Any = None
    sharding_method: Any = None
    replication_factor: Any = None
    write_consistency_factor: Any = None
    on_disk_payload: Any = None
    hnsw_config: Any = None
    wal_config: Any = None
    optimizers_config: Any = None
    quantization_config: Any = None
    strict_mode_config: Any = None
    sparse_vectors: Any = None
    init_from: Any = None
    metadata: Any = None


class PointIn(BaseModel):
    """A point: an id with a JSON payload and/or a vector; without a vector (or with
    ``{}``) the payload's MBAT encoding is stored, and follows payload changes."""

    model_config = _STRICT
    id: Any = Field(json_schema_extra=ID_SCHEMA)
    payload: Any = Field(None, description="any JSON value (Qdrant: an object)")
    vector: Any = Field(None, json_schema_extra=VECTOR_SCHEMA,
                        description="dim numbers (Cosine: stored normalised to unit length)")


class UpsertPoints(BaseModel):
    model_config = _STRICT
    points: list[PointIn] | None = None
    batch: Any = Field(None, description="{\"ids\": [...], \"vectors\": [...], \"payloads\": [...]}")
    shard_key: Any = None
    update_filter: Any = None


class DeletePoints(BaseModel):
    """genlogic's earlier body, ``{"points": [ids]}`` (now also Qdrant's)."""

    model_config = _STRICT
    points: list[Any] = _ids()


class PointsSelector(BaseModel):
    """The points of a change: ``{"points": [ids]}`` or ``{"filter": {...}}``."""

    model_config = _STRICT
    points: list[Any] | None = _ids(default=None)
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    shard_key: Any = None


class SetPayload(PointsSelector):
    payload: Any = Field(json_schema_extra={"type": "object"})
    key: str | None = Field(None, description="set inside the object at this path")


class DeletePayload(PointsSelector):
    keys: list[Any] = Field(description="keys or paths (a.b) to remove")


class RetrievePoints(BaseModel):
    model_config = _STRICT
    ids: list[Any] = _ids()
    with_payload: Any = Field(None, json_schema_extra=SELECTOR_SCHEMA)
    with_vector: Any = None
    with_vectors: Any = None
    shard_key: Any = None


class ScrollPoints(BaseModel):
    model_config = _STRICT
    offset: Any = Field(None, json_schema_extra=ID_SCHEMA, description="the first id to return")
    limit: int = Field(10, ge=1)
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    with_payload: Any = Field(None, json_schema_extra=SELECTOR_SCHEMA)
    with_vector: Any = None
    with_vectors: Any = None
    order_by: Any = None
    shard_key: Any = None


class CountRequest(BaseModel):
    model_config = _STRICT
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    exact: bool = Field(True, description="accepted for compatibility; counts are always exact")
    shard_key: Any = None


class QueryPoints(BaseModel):
    """Qdrant's universal query (nearest only); ``params`` are accepted, search is exact."""

    model_config = _STRICT
    query: Any = Field(None, json_schema_extra=QUERY_SCHEMA)
    using: str | None = None
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    params: Any = None
    score_threshold: float | None = None
    limit: int = Field(10, ge=1)
    offset: int = Field(0, ge=0)
    with_payload: Any = Field(None, json_schema_extra=SELECTOR_SCHEMA)
    with_vector: Any = None
    with_vectors: Any = None
    prefetch: Any = None
    lookup_from: Any = None
    shard_key: Any = None


class QueryBatch(BaseModel):
    model_config = _STRICT
    searches: list[Any]


class SearchPoints(BaseModel):
    """Qdrant's older search (clients before 1.16 call it): a vector, its filter and limit."""

    model_config = _STRICT
    vector: Any = Field(json_schema_extra=VECTOR_SCHEMA)
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    params: Any = None
    limit: int = Field(ge=1)
    offset: int = Field(0, ge=0)
    with_payload: Any = Field(None, json_schema_extra=SELECTOR_SCHEMA)
    with_vector: Any = None
    with_vectors: Any = None
    score_threshold: float | None = None
    shard_key: Any = None


class SearchRequest(BaseModel):
    """genlogic's search: nearest points to a JSON document (``query``), a ``vector`` or,
    in an MPL collection such as ``theorems``, a ``statement`` in MPL or readable form."""

    model_config = _STRICT
    query: Any = Field(None, description="a JSON document, encoded like payloads")
    vector: Any = Field(None, json_schema_extra={"type": "array", "items": {"type": "number"}})
    statement: str | None = Field(None, description="MPL or readable form, e.g. a + b = b + a")
    limit: int = Field(10, ge=1, description="number of results")
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    with_payload: bool = False
    with_vector: bool = False
    score_threshold: float | None = Field(None, description="drop results scoring below this")


def _inline(schema: Any, definitions: dict) -> Any:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline(value, definitions) for key, value in schema.items() if key != "$defs"}
    if isinstance(schema, list):
        return [_inline(item, definitions) for item in schema]
    return schema


def request_body(model: type[BaseModel], required: bool = True) -> dict:
    """``openapi_extra`` for a route whose body is ``model`` (read by hand, not by FastAPI)."""
    schema = model.model_json_schema()
    return {"requestBody": {"required": required, "content": {
        "application/json": {"schema": _inline(schema, schema.get("$defs", {}))}}}}
