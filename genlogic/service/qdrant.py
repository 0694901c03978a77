"""Reading Qdrant's request shapes into the service's terms, and writing its answers.

Qdrant's REST bodies let several fields take several shapes; this module reads each
one into a plain value and names the exact place of a mistake:

``vectors_config``   ``{"size": N, "distance": "Cosine"}`` -> (N, distance); Dot and
                     Euclid too; Manhattan, named vectors, multivectors refused
``point_vector``     a point's ``vector``: numbers, nothing or ``{}`` (encode the
                     payload), or a document to encode (below)
``parse_query``      ``query``: a vector, a point id, ``{"nearest": ...}`` of either,
                     or a document; absent means "points in id order"
``document``         genlogic's extension, in the shape of Qdrant's inference objects:
                     ``{"object": JSON, "model": "mbat"}`` or ``{"text": "..", "model":
                     "mbat"}``, encoded by MBAT (the client sends them as they are with
                     ``cloud_inference=True``); in the theorems collection a text is a
                     statement, searched by meaning
``target``           ``{"points": [ids]}`` or ``{"filter": {...}}``
``with_vector``      ``with_vector`` / ``with_vectors``: true or false

``scored_json`` and ``record_json`` write Qdrant's ``ScoredPoint`` and ``Record``.
Nothing here stores or searches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from .config import Limits
from .engine import DISTANCES, Hit
from .filters import parse_filter
from .payloads import PayloadSelector
from .registry import PAYLOAD, Target
from .schemas import UNSUPPORTED
from .validation import ApiError, check_payload, check_point_id, check_vector

__all__ = ["vectors_config", "point_vector", "Query", "parse_query", "target", "with_vector",
           "refuse_unsupported", "scored_json", "record_json", "MODELS"]

MODELS = ("mbat",)  # the one "inference model": genlogic's MBAT encoder
VECTOR_OPTIONS = ("hnsw_config", "quantization_config", "on_disk", "memory", "datatype", "multivector_config")
QUERY_KINDS = ("nearest", "recommend", "discover", "context", "order_by", "fusion", "rrf", "sample",
               "formula", "mmr")


def refuse_unsupported(body: BaseModel) -> None:
    """A 400 naming the first known-but-unsupported Qdrant field that was given."""
    for name in sorted(body.model_fields_set):
        if name in UNSUPPORTED and getattr(body, name) not in (None, {}, []):
            raise ApiError(400, f"{name}: {UNSUPPORTED[name]} are not supported by this service")


def vectors_config(value: Any, where: str = "vectors") -> tuple[int, str]:
    """(size, distance) of a collection's one unnamed vector."""
    if not isinstance(value, dict):
        raise ApiError(400, f"{where}: expected {{\"size\": N, \"distance\": \"Cosine\"}}")
    if "size" not in value:
        raise ApiError(400, f"{where}: named vectors are not supported; give one unnamed vectors config "
                            "{\"size\": N, \"distance\": \"Cosine\"}")
    unknown = sorted(set(value) - {"size", "distance", *VECTOR_OPTIONS})
    if unknown:
        raise ApiError(400, f"{where}.{unknown[0]}: this field is not supported here")
    size = value["size"]
    if isinstance(size, bool) or not isinstance(size, int):
        raise ApiError(400, f"{where}.size: a whole number")
    distance = value.get("distance")
    if distance not in DISTANCES:
        shown = distance if isinstance(distance, str) and len(distance) < 40 else "that"
        raise ApiError(400, f"{where}.distance: {shown!r} is not supported; use one of {', '.join(DISTANCES)}")
    if value.get("multivector_config") is not None:
        raise ApiError(400, f"{where}.multivector_config: multivectors are not supported")
    if value.get("datatype") not in (None, "float32"):
        raise ApiError(400, f"{where}.datatype: vectors are stored as float32 only")
    return size, distance


def document(value: Any, where: str) -> tuple[str, Any] | None:
    """("object", JSON) or ("text", str) for an inference object; None for other values."""
    if not isinstance(value, dict) or not ({"object", "text"} & set(value)):
        return None
    kind = "object" if "object" in value else "text"
    unknown = sorted(set(value) - {kind, "model", "options"})
    if unknown:
        raise ApiError(400, f"{where}.{unknown[0]}: a document has \"{kind}\", \"model\" and \"options\"")
    model = value.get("model", "mbat")
    if model not in MODELS:
        shown = model if isinstance(model, str) and len(model) < 80 else "that model"
        raise ApiError(400, f"{where}.model: {shown!r} is not available; this service encodes with "
                            "MBAT only (model \"mbat\")")
    if kind == "text" and not isinstance(value["text"], str):
        raise ApiError(400, f"{where}.text: a string")
    return kind, value[kind]


def point_vector(value: Any, dim: int, normalise: bool, has_payload: bool, payload: Any,
                 where: str, limits: Limits) -> tuple[np.ndarray | None, Any]:
    """(vector, None) for given numbers, else (None, what to encode: PAYLOAD or a document)."""
    if isinstance(value, list):
        return check_vector(value, dim, where, normalise), None
    if value is None or value == {}:
        if not has_payload:
            raise ApiError(400, f"{where.rsplit('.', 1)[0]}: give a payload (to encode) or a vector")
        return None, PAYLOAD
    found = document(value, where)
    if found is None:
        raise ApiError(400, f"{where}: a vector is an array of {dim} numbers (named vectors are not "
                            "supported), or a document {\"object\": ..., \"model\": \"mbat\"} to encode")
    check_payload(found[1], where, limits)
    return None, found[1]


@dataclass(frozen=True)
class Query:
    """What to search near: kind is "vector", "point", "object", "text" or "none"."""

    kind: str
    value: Any = None


def parse_query(value: Any, where: str, limits: Limits) -> Query:
    if value is None:
        return Query("none")
    if isinstance(value, dict):
        other = [kind for kind in QUERY_KINDS if kind in value and kind != "nearest"]
        if other:
            raise ApiError(400, f"{where}.{other[0]}: only nearest queries are supported "
                                "(a vector, a point id or a document)")
        if "nearest" in value:
            if len(value) != 1:
                extra = sorted(set(value) - {"nearest"})[0]
                raise ApiError(400, f"{where}.{extra}: this field is not supported here")
            return parse_query_input(value["nearest"], f"{where}.nearest", limits)
    return parse_query_input(value, where, limits)


def parse_query_input(value: Any, where: str, limits: Limits) -> Query:
    if isinstance(value, list):
        return Query("vector", value)
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return Query("point", check_point_id(value, where))
    found = document(value, where)
    if found is None:
        raise ApiError(400, f"{where}: a query is a vector, a point id, {{\"nearest\": ...}} or a document "
                            "{\"object\": ..., \"model\": \"mbat\"} / {\"text\": ..., \"model\": \"mbat\"}")
    kind, content = found
    check_payload(content, f"{where}.{kind}", limits)
    if kind == "text" and len(content) > limits.max_statement_chars:
        raise ApiError(400, f"{where}.text: at most {limits.max_statement_chars} characters")
    return Query(kind, content)


def target(points: Any, filter_value: Any, limits: Limits) -> Target:
    """The points a change names: ids or a filter, exactly one."""
    if (points is None) == (filter_value is None):
        raise ApiError(400, "give exactly one of \"points\" (ids) and \"filter\"")
    if points is not None:
        if len(points) > limits.max_batch_points:
            raise ApiError(400, f"points: at most {limits.max_batch_points} ids per request")
        return Target(ids=[check_point_id(i, f"points[{n}]") for n, i in enumerate(points)])
    return Target(where=parse_filter(filter_value, limits))


def with_vector(body: BaseModel, default: bool = False) -> bool:
    given = [name for name in ("with_vector", "with_vectors") if getattr(body, name) is not None]
    if len(given) == 2:
        raise ApiError(400, "give with_vector or with_vectors, not both")
    if not given:
        return default
    value = getattr(body, given[0])
    if not isinstance(value, bool):
        raise ApiError(400, f"{given[0]}: true or false (named vectors are not supported)")
    return value


def _vector_json(vector: np.ndarray) -> list[float]:
    return [float(v) for v in vector]


def scored_json(hit: Hit, payload: PayloadSelector, vector: bool) -> dict:
    out: dict[str, Any] = {"id": hit.point_id, "version": hit.version, "score": hit.score}
    if payload.enabled:
        out["payload"] = payload.apply(hit.payload)
    if vector:
        out["vector"] = _vector_json(hit.vector)
    return out


def record_json(hit: Hit, payload: PayloadSelector, vector: bool) -> dict:
    out: dict[str, Any] = {"id": hit.point_id}
    out["payload"] = payload.apply(hit.payload) if payload.enabled else None
    out["vector"] = _vector_json(hit.vector) if vector else None
    return out
