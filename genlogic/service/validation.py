"""Checking what clients send: JSON bodies, names, point ids, payloads and vectors.

Every check raises :class:`ApiError`, which carries the HTTP status (always 4xx
here), one sentence naming the problem and, for a structured body, the list of
problems with their locations (``points[3].vector``).  The app turns it into the
JSON error envelope.  This module parses and checks; it does not store, encode or
search anything.

Point ids are non-negative 64-bit integers or strings of 1-128 characters from
``[A-Za-z0-9_.:@-]`` that are not all digits, so the ``{id}`` segment of a URL
names exactly one point: all digits is the integer, anything else the string.  A
string that is a UUID (32 hex digits, with or without the usual hyphens) is
written in its canonical form (lower case, hyphenated), as Qdrant does, so
``"5C56C793-69F3-4FBF-87E6-C4BF54C28C26"`` and ``"5c56c79369f34fbf87e6c4bf54c28c26"``
name the same point.  Qdrant accepts only UUID strings; the other strings are
genlogic's extension (the theorems collection's ids are ``"T112"``).
"""

from __future__ import annotations

import json
import math
import re
import uuid
from typing import Any, Sequence

import numpy as np
from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from .config import Limits

__all__ = [
    "ApiError", "parse_json_body", "validate_model", "check_collection_name",
    "check_point_id", "point_id_from_path", "check_payload", "check_vector", "id_key",
    "MAX_INT64",
]

MAX_INT64 = 2 ** 63 - 1
COLLECTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
POINT_ID_TEXT = re.compile(r"[A-Za-z0-9_.:@-]{1,128}")
UUID_TEXT = re.compile(r"[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
MAX_REPORTED_PROBLEMS = 20
MAX_VECTOR_NORM = 1e15  # raw (Dot, Euclid) vectors: scores stay finite in float32


class ApiError(Exception):
    """A request the service refuses: status code, message, optional problem list."""

    def __init__(self, status: int, message: str, problems: Sequence[dict] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = list(problems or [])


def parse_json_body(body: bytes, *, empty: Any = ...) -> Any:
    """The JSON value of a request body; ``empty`` (if given) stands for no body.

    Parsed by pydantic's JSON reader (several times faster than :mod:`json` on the
    long arrays of numbers that vectors are; floats are read exactly as ``json.loads``
    reads them).  NaN and Infinity are refused; nesting deeper than 200 levels is
    refused (no payload or filter may be that deep anyway)."""
    if not body.strip():
        if empty is ...:
            raise ApiError(400, "the request body is empty; a JSON object is expected")
        return empty
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the request body is not UTF-8 (byte {exc.start})") from None
    try:
        return from_json(text, allow_inf_nan=False)
    except ValueError as exc:  # syntax, NaN, Infinity, integers too long, lone surrogates
        reason = str(exc)
        if "recursion limit" in reason:
            raise ApiError(400, "the JSON body is nested too deeply to parse") from None
        raise ApiError(400, f"malformed JSON: {reason}") from None


def _location(loc: Sequence[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def validate_model(model: type[BaseModel], data: Any) -> BaseModel:
    """``model`` validated strictly from parsed JSON; errors become one ApiError(400)."""
    if not isinstance(data, dict):
        raise ApiError(400, f"the request body must be a JSON object, got {_json_type(data)}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [{"loc": _location(error["loc"]),
                     "message": "this field is not supported here" if error["type"] == "extra_forbidden"
                     else error["msg"]}
                    for error in exc.errors(include_url=False)[:MAX_REPORTED_PROBLEMS]]
        first = problems[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ApiError(400, f"invalid request: {first['loc']}: {first['message']}{more}",
                       problems) from None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def check_collection_name(name: str) -> str:
    if not isinstance(name, str) or not COLLECTION_NAME.fullmatch(name):
        shown = name if isinstance(name, str) and len(name) <= 80 else f"{str(name)[:80]}..."
        raise ApiError(400, f"invalid collection name {shown!r}: use 1-64 characters "
                            "from A-Z, a-z, 0-9, '_' and '-'")
    return name


def check_point_id(value: Any, where: str = "id") -> int | str:
    """A point id from a JSON body (see the module docstring for the rules)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ApiError(400, f"{where}: a point id is a non-negative integer or a string, "
                            f"got {_json_type(value)}")
    if isinstance(value, int):
        if not 0 <= value <= MAX_INT64:
            raise ApiError(400, f"{where}: integer ids must be between 0 and 2^63-1")
        return value
    if UUID_TEXT.fullmatch(value):
        return str(uuid.UUID(value))
    if not POINT_ID_TEXT.fullmatch(value):
        raise ApiError(400, f"{where}: string ids are UUIDs or have 1-128 characters from "
                            "A-Z, a-z, 0-9, '_', '.', ':', '@' and '-'")
    if value.isdigit():
        raise ApiError(400, f"{where}: the string id {value!r} is all digits; "
                            "send it as an integer")
    return value


def point_id_from_path(text: str) -> int | str:
    """The point named by a URL segment: all digits is an integer id."""
    if text.isascii() and text.isdigit() and not UUID_TEXT.fullmatch(text):
        if len(text) > 19 or int(text) > MAX_INT64:
            raise ApiError(400, "point id: integer ids must be between 0 and 2^63-1")
        return int(text)
    return check_point_id(text, "point id")


def id_key(point_id: int | str) -> str:
    """The stored form of an id: its JSON text (``7`` and ``"7a"`` never collide)."""
    return json.dumps(point_id)


def _check_string(text: str, where: str, limits: Limits, what: str) -> None:
    if len(text) > limits.max_string_chars:
        raise ApiError(400, f"{where}: {what} has {len(text)} characters; "
                            f"the limit is {limits.max_string_chars}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, f"{where}: {what} contains an unpaired surrogate (not valid Unicode)") from None


def check_payload(payload: Any, where: str, limits: Limits) -> None:
    """Bounded depth, node count and string length; finite numbers; valid Unicode."""
    stack = [(payload, 0, where)]
    nodes = 0
    while stack:
        value, depth, path = stack.pop()
        nodes += 1
        if nodes > limits.max_payload_nodes:
            raise ApiError(400, f"{where}: the payload has more than {limits.max_payload_nodes} values")
        if isinstance(value, dict) or isinstance(value, list):
            if depth >= limits.max_payload_depth:
                raise ApiError(400, f"{path}: the payload is nested deeper than "
                                    f"{limits.max_payload_depth} levels")
            if isinstance(value, dict):
                for key, child in value.items():
                    _check_string(key, path, limits, "a key")
                    stack.append((child, depth + 1, f"{path}.{key}" if len(path) < 200 else path))
            else:
                for position, child in enumerate(value):
                    stack.append((child, depth + 1, f"{path}[{position}]" if len(path) < 200 else path))
        elif isinstance(value, str):
            _check_string(value, path, limits, "a string")
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not -MAX_INT64 - 1 <= value <= MAX_INT64:
                raise ApiError(400, f"{path}: integers must fit in 64 bits")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ApiError(400, f"{path}: numbers must be finite")
        else:  # pragma: no cover - json.loads makes nothing else
            raise ApiError(400, f"{path}: not a JSON value")


def check_vector(values: Any, dim: int, where: str, normalise: bool = True) -> np.ndarray:
    """A float32 vector of length ``dim`` from a list of finite numbers: scaled to unit
    length (cosine collections), or as given when ``normalise`` is false (Dot, Euclid),
    then with a length of at most ``MAX_VECTOR_NORM``."""
    if not isinstance(values, list):
        raise ApiError(400, f"{where}: a vector is an array of {dim} numbers, got {_json_type(values)}")
    if len(values) != dim:
        raise ApiError(400, f"{where}: expected {dim} numbers, got {len(values)}")
    if not set(map(type, values)) <= {int, float}:  # bool is a type of its own here
        raise ApiError(400, f"{where}: every element must be a number")
    try:
        vector = np.asarray(values, dtype=np.float64)
    except OverflowError:
        raise ApiError(400, f"{where}: a number is too large") from None
    if not np.isfinite(vector).all():
        raise ApiError(400, f"{where}: numbers must be finite")
    largest = float(np.abs(vector).max()) if dim else 0.0
    if not normalise:
        if largest > 0.0 and largest * float(np.linalg.norm(vector / largest)) > MAX_VECTOR_NORM:
            raise ApiError(400, f"{where}: the vector is too long (its length must be at most "
                                f"{MAX_VECTOR_NORM:g})")
        return vector.astype(np.float32)
    if largest == 0.0:
        raise ApiError(400, f"{where}: the zero vector has no direction")
    scaled = vector / largest  # no overflow in the norm of huge entries
    return (scaled / np.linalg.norm(scaled)).astype(np.float32)
