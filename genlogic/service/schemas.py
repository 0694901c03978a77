"""The request bodies of the HTTP API as strict pydantic models, and their JSON schemas.

Models are strict (no "5" for 5, no 1.0 for 1) and forbid unknown fields, so a
typo such as ``"limt"`` is an error instead of being ignored.  Payloads, query
documents, point ids and filters are typed ``Any`` here and checked by
:mod:`genlogic.service.validation` and :mod:`genlogic.service.filters`, which name
the exact place of a problem.  ``request_body(Model)`` gives the OpenAPI fragment
the app attaches to each route, with nested schemas inlined.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CreateCollection", "PointIn", "UpsertPoints", "DeletePoints", "SearchRequest",
           "CountRequest", "request_body"]

_STRICT = ConfigDict(strict=True, extra="forbid")

ID_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "maxLength": 128}],
             "description": "a non-negative integer or a string that is not all digits"}
FILTER_SCHEMA = {
    "type": "object",
    "description": ("{\"must\": [...], \"should\": [...], \"must_not\": [...]} of conditions: "
                    "{\"key\": \"a.b\", \"match\": {\"value\": 3}}, {\"key\": \"a\", \"match\": "
                    "{\"any\": [1, 2]}}, {\"key\": \"price\", \"range\": {\"gte\": 1, \"lt\": 5}}, "
                    "{\"has_id\": [...]}, {\"is_empty\": {\"key\": ...}}, {\"is_null\": {\"key\": ...}} "
                    "or a nested filter"),
    "example": {"must": [{"key": "address.city", "match": {"value": "Paris"}},
                         {"key": "price", "range": {"gte": 1, "lt": 5}}]},
}


class CreateCollection(BaseModel):
    """Settings of a new collection's encoder (an empty body takes the defaults)."""

    model_config = _STRICT
    dim: int = Field(1024, description="vector dimension")
    binding: Literal["signed_perm", "haar"] = Field("signed_perm", description="role matrix family")
    seed: int = Field(0, ge=0, le=2 ** 63 - 1, description="seed of every symbol and role")


class PointIn(BaseModel):
    """A point: an id with a JSON payload (encoded by the service) and/or a vector."""

    model_config = _STRICT
    id: Any = Field(json_schema_extra=ID_SCHEMA)
    payload: Any = Field(None, description="any JSON value; encoded unless a vector is given")
    vector: Any = Field(None, json_schema_extra={"type": "array", "items": {"type": "number"}},
                        description="dim numbers; stored normalised to unit length")


class UpsertPoints(BaseModel):
    model_config = _STRICT
    points: list[PointIn]


class DeletePoints(BaseModel):
    model_config = _STRICT
    points: list[Any] = Field(json_schema_extra={"items": ID_SCHEMA})


class SearchRequest(BaseModel):
    """Nearest points to a JSON document (``query``), a ``vector`` or, in an MPL
    collection such as ``theorems``, a ``statement`` in MPL or readable form."""

    model_config = _STRICT
    query: Any = Field(None, description="a JSON document, encoded like payloads")
    vector: Any = Field(None, json_schema_extra={"type": "array", "items": {"type": "number"}})
    statement: str | None = Field(None, description="MPL, e.g. (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    limit: int = Field(10, ge=1, description="number of results")
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    with_payload: bool = False
    with_vector: bool = False
    score_threshold: float | None = Field(None, description="drop results scoring below this")


class CountRequest(BaseModel):
    model_config = _STRICT
    filter: Any = Field(None, json_schema_extra=FILTER_SCHEMA)
    exact: bool = Field(True, description="accepted for compatibility; counts are always exact")


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
