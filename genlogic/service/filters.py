"""Payload filters in Qdrant's shape: parse once, test each point.

A filter is a JSON object with up to four clauses::

    {"must": [...], "should": [...], "must_not": [...],
     "min_should": {"conditions": [...], "min_count": N}}

A point passes when every ``must`` condition holds, at least one ``should``
condition holds (if there are any), no ``must_not`` condition holds and at least
``min_count`` of the ``min_should`` conditions hold.  The empty filter passes
everything.  A condition is one of:

``{"key": PATH, "match": {"value": V}}``      some value at PATH equals V
``{"key": PATH, "match": {"any": [V, ...]}}``  some value at PATH equals one of them
``{"key": PATH, "match": {"except": [V..]}}``  some value at PATH equals none of them
``{"key": PATH, "match": {"text": "s"}}``      some string at PATH contains s
``{"key": PATH, "range": {"gte": 1, "lt": 5}}`` some number at PATH is in the range
                                              (any of ``gt``, ``gte``, ``lt``, ``lte``)
``{"key": PATH, "values_count": {"gt": 2}}``   the number of values at PATH is in range
``{"key": PATH, "is_empty": true}``           (or false) as ``is_empty`` below
``{"key": PATH, "is_null": true}``            (or false) as ``is_null`` below
``{"is_empty": {"key": PATH}}``               PATH is missing, null or ``[]``
``{"is_null": {"key": PATH}}``                PATH holds null
``{"has_id": [ID, ...]}``                     the point's id is one of them
``{"has_vector": ""}``                        the point has the (one, unnamed) vector
``{"nested": {"key": PATH, "filter": F}}``    some element of the array at PATH passes
                                              F, its keys read inside the element
a nested filter                               ``{"must": ...}`` and so on

PATH is keys joined by dots (``address.city``); a key may be followed by ``[]``
(every element of the array) or ``[N]`` (element N).  Arrays met on the way are
searched element-wise, and an array at the end of the path offers each element,
so ``{"key": "tags", "match": {"value": "x"}}`` means "x is one of the tags".
Keys containing ``.``, ``[`` or ``]`` cannot be addressed.  V is a string, a
number or a boolean; numbers compare by value (``3 == 3.0``), booleans equal only
booleans.  Range bounds are finite numbers and booleans are not numbers.  Geo and
datetime conditions are refused with a 400 naming them.

This module knows nothing about vectors or storage; :mod:`genlogic.service.engine`
applies a parsed filter to a collection's payloads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .config import Limits
from .validation import ApiError, check_point_id, id_key

__all__ = ["Filter", "parse_filter", "parse_path", "values_at"]

_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[\d{0,9}\])*)")
_SUFFIX = re.compile(r"\[(\d{0,9})\]")
MAX_PATH_CHARS = 512
MAX_MATCH_VALUES = 1024
ALL = -1  # the step "[]": every element

Step = str | int  # a key, an index, or ALL


@dataclass(frozen=True)
class Match:
    path: tuple[Step, ...]
    values: tuple[Any, ...]

    def test(self, point_id, payload) -> bool:
        return any(_equal(found, wanted) for found in _leaves(values_at(payload, self.path))
                   for wanted in self.values)


@dataclass(frozen=True)
class Range:
    path: tuple[Step, ...]
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    def test(self, point_id, payload) -> bool:
        for found in _leaves(values_at(payload, self.path)):
            if isinstance(found, bool) or not isinstance(found, (int, float)):
                continue
            if ((self.gt is None or found > self.gt) and (self.gte is None or found >= self.gte)
                    and (self.lt is None or found < self.lt) and (self.lte is None or found <= self.lte)):
                return True
        return False


@dataclass(frozen=True)
class Excepted:
    path: tuple[Step, ...]
    values: tuple[Any, ...]

    def test(self, point_id, payload) -> bool:
        return any(not isinstance(found, (dict, list)) and found is not None
                   and not any(_equal(found, unwanted) for unwanted in self.values)
                   for found in _leaves(values_at(payload, self.path)))


@dataclass(frozen=True)
class Text:
    path: tuple[Step, ...]
    text: str

    def test(self, point_id, payload) -> bool:
        return any(isinstance(found, str) and self.text in found
                   for found in _leaves(values_at(payload, self.path)))


@dataclass(frozen=True)
class ValuesCount:
    path: tuple[Step, ...]
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    def test(self, point_id, payload) -> bool:
        n = len([v for v in _leaves(values_at(payload, self.path)) if v is not None])
        return ((self.gt is None or n > self.gt) and (self.gte is None or n >= self.gte)
                and (self.lt is None or n < self.lt) and (self.lte is None or n <= self.lte))


@dataclass(frozen=True)
class Negated:
    condition: Any

    def test(self, point_id, payload) -> bool:
        return not self.condition.test(point_id, payload)


@dataclass(frozen=True)
class Always:
    def test(self, point_id, payload) -> bool:
        return True


@dataclass(frozen=True)
class Nested:
    path: tuple[Step, ...]
    filter: "Filter"

    def test(self, point_id, payload) -> bool:
        return any(self.filter.test(point_id, element)
                   for element in _leaves(values_at(payload, self.path)) if isinstance(element, dict))


@dataclass(frozen=True)
class IsEmpty:
    path: tuple[Step, ...]

    def test(self, point_id, payload) -> bool:
        return all(found is None or found == [] for found in values_at(payload, self.path))


@dataclass(frozen=True)
class IsNull:
    path: tuple[Step, ...]

    def test(self, point_id, payload) -> bool:
        return any(found is None for found in values_at(payload, self.path))


@dataclass(frozen=True)
class HasId:
    keys: frozenset[str]

    def test(self, point_id, payload) -> bool:
        return id_key(point_id) in self.keys


@dataclass(frozen=True)
class Filter:
    must: tuple = ()
    should: tuple = ()
    must_not: tuple = ()
    min_should: tuple = ()
    min_count: int = 0

    def test(self, point_id, payload) -> bool:
        return (all(c.test(point_id, payload) for c in self.must)
                and (not self.should or any(c.test(point_id, payload) for c in self.should))
                and not any(c.test(point_id, payload) for c in self.must_not)
                and (self.min_count == 0
                     or sum(c.test(point_id, payload) for c in self.min_should) >= self.min_count))


def _equal(found: Any, wanted: Any) -> bool:
    if isinstance(wanted, bool) or isinstance(found, bool):
        return isinstance(wanted, bool) and isinstance(found, bool) and found == wanted
    if isinstance(wanted, str) or isinstance(found, str):
        return isinstance(wanted, str) and isinstance(found, str) and found == wanted
    return isinstance(found, (int, float)) and found == wanted


def values_at(payload: Any, path: Sequence[Step]) -> list[Any]:
    """Every value at ``path``; arrays on the way are searched element-wise."""
    current = [payload]
    for step in path:
        following = []
        for value in current:
            if isinstance(step, str):
                candidates = value if isinstance(value, list) else [value]
                following.extend(c[step] for c in candidates if isinstance(c, dict) and step in c)
            elif isinstance(value, list):
                if step == ALL:
                    following.extend(value)
                elif step < len(value):
                    following.append(value[step])
        current = following
    return current


def _leaves(values: list[Any]) -> list[Any]:
    """Values with arrays at the end of the path opened one level."""
    leaves = []
    for value in values:
        if isinstance(value, list):
            leaves.extend(value)
        else:
            leaves.append(value)
    return leaves


def parse_path(text: Any, where: str) -> tuple[Step, ...]:
    if not isinstance(text, str) or not text:
        raise ApiError(400, f"{where}: a key is a non-empty string such as \"address.city\"")
    if len(text) > MAX_PATH_CHARS:
        raise ApiError(400, f"{where}: the key is longer than {MAX_PATH_CHARS} characters")
    steps: list[Step] = []
    for segment in text.split("."):
        found = _SEGMENT.fullmatch(segment)
        if not found:
            raise ApiError(400, f"{where}: cannot read the key {text!r}: use names joined by dots, "
                                "each optionally followed by [] or [N]")
        steps.append(found.group(1))
        for index in _SUFFIX.findall(found.group(2)):
            steps.append(ALL if index == "" else int(index))
    return tuple(steps)


def _scalar(value: Any, where: str) -> Any:
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and math.isfinite(value):
        return value
    raise ApiError(400, f"{where}: match values are strings, finite numbers or booleans")


def _expect_object(value: Any, where: str, allowed: Sequence[str]) -> dict:
    if not isinstance(value, dict):
        raise ApiError(400, f"{where}: expected a JSON object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ApiError(400, f"{where}: unknown field {unknown[0]!r} (expected {', '.join(allowed)})")
    return value


class _Parser:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.conditions = 0

    def filter(self, value: Any, where: str, depth: int) -> Filter:
        if depth > self.limits.max_filter_depth:
            raise ApiError(400, f"{where}: filters are nested deeper than {self.limits.max_filter_depth} levels")
        body = _expect_object(value, where, ("must", "should", "must_not", "min_should"))
        parts: dict[str, Any] = {}
        for clause in ("must", "should", "must_not"):
            parts[clause] = self.conditions_of(body.get(clause), f"{where}.{clause}", depth)
        if body.get("min_should") is not None:
            inner = _expect_object(body["min_should"], f"{where}.min_should", ("conditions", "min_count"))
            count = inner.get("min_count")
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_MATCH_VALUES:
                raise ApiError(400, f"{where}.min_should.min_count: a whole number from 0 to {MAX_MATCH_VALUES}")
            parts["min_should"] = self.conditions_of(inner.get("conditions"), f"{where}.min_should.conditions",
                                                     depth)
            parts["min_count"] = count
        return Filter(**parts)

    def conditions_of(self, items: Any, where: str, depth: int) -> tuple:
        if items is None:
            return ()
        if isinstance(items, dict):  # a single condition, as some clients send
            items = [items]
        if not isinstance(items, list):
            raise ApiError(400, f"{where}: expected an array of conditions")
        return tuple(self.condition(item, f"{where}[{i}]", depth) for i, item in enumerate(items))

    def condition(self, value: Any, where: str, depth: int):
        self.conditions += 1
        if self.conditions > self.limits.max_filter_conditions:
            raise ApiError(400, f"{where}: a filter has at most {self.limits.max_filter_conditions} conditions")
        if not isinstance(value, dict):
            raise ApiError(400, f"{where}: a condition is a JSON object")
        if "key" in value:
            return self.field_condition(value, where)
        if "has_id" in value:
            body = _expect_object(value, where, ("has_id",))
            ids = body["has_id"]
            if not isinstance(ids, list) or len(ids) > MAX_MATCH_VALUES:
                raise ApiError(400, f"{where}.has_id: expected an array of at most {MAX_MATCH_VALUES} ids")
            return HasId(frozenset(id_key(check_point_id(i, f"{where}.has_id[{n}]"))
                                   for n, i in enumerate(ids)))
        for name, kind in (("is_empty", IsEmpty), ("is_null", IsNull)):
            if name in value:
                body = _expect_object(value, where, (name,))
                inner = _expect_object(body[name], f"{where}.{name}", ("key",))
                return kind(parse_path(inner.get("key"), f"{where}.{name}.key"))
        if "has_vector" in value:
            body = _expect_object(value, where, ("has_vector",))
            if body["has_vector"] != "":
                raise ApiError(400, f"{where}.has_vector: collections here have one unnamed vector; "
                                    "name it \"\"")
            return Always()
        if "nested" in value:
            body = _expect_object(value, where, ("nested",))
            inner = _expect_object(body["nested"], f"{where}.nested", ("key", "filter"))
            path = parse_path(inner.get("key"), f"{where}.nested.key")
            return Nested(path, self.filter(inner.get("filter"), f"{where}.nested.filter", depth + 1))
        if set(value) & {"must", "should", "must_not", "min_should"}:
            return self.filter(value, where, depth + 1)
        raise ApiError(400, f"{where}: a condition has \"key\" with \"match\", \"range\", \"values_count\", "
                            "\"is_empty\" or \"is_null\", or is has_id, has_vector, is_empty, is_null, "
                            "nested or a nested filter")

    def field_condition(self, value: dict, where: str):
        unsupported = sorted(k for k in value if k.startswith("geo_"))
        if unsupported:
            raise ApiError(400, f"{where}.{unsupported[0]}: geo conditions are not supported")
        body = _expect_object(value, where, ("key", "match", "range", "values_count", "is_empty", "is_null"))
        path = parse_path(body["key"], f"{where}.key")
        given = [k for k in ("match", "range", "values_count", "is_empty", "is_null") if body.get(k) is not None]
        if len(given) != 1:
            raise ApiError(400, f"{where}: give exactly one of \"match\", \"range\", \"values_count\", "
                                "\"is_empty\" and \"is_null\" with the key")
        kind = given[0]
        if kind == "match":
            return self.match(body["match"], path, f"{where}.match")
        if kind in ("is_empty", "is_null"):
            if not isinstance(body[kind], bool):
                raise ApiError(400, f"{where}.{kind}: true or false")
            condition = (IsEmpty if kind == "is_empty" else IsNull)(path)
            return condition if body[kind] else Negated(condition)
        bounds = _expect_object(body[kind], f"{where}.{kind}", ("gt", "gte", "lt", "lte"))
        if all(bound is None for bound in bounds.values()):
            raise ApiError(400, f"{where}.{kind}: give at least one of gt, gte, lt, lte")
        for name, bound in bounds.items():
            if bound is None:
                continue
            if isinstance(bound, str):
                raise ApiError(400, f"{where}.{kind}.{name}: datetime ranges are not supported; "
                                    "a bound is a finite number")
            if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(bound):
                raise ApiError(400, f"{where}.{kind}.{name}: a bound is a finite number")
        return (Range if kind == "range" else ValuesCount)(path, **bounds)

    def match(self, value: Any, path: tuple, where: str):
        match = _expect_object(value, where, ("value", "any", "except", "text"))
        if len(match) != 1:
            raise ApiError(400, f"{where}: give exactly one of \"value\", \"any\", \"except\" and \"text\"")
        if "value" in match:
            return Match(path, (_scalar(match["value"], f"{where}.value"),))
        if "text" in match:
            if not isinstance(match["text"], str) or len(match["text"]) > MAX_PATH_CHARS:
                raise ApiError(400, f"{where}.text: a string of at most {MAX_PATH_CHARS} characters")
            return Text(path, match["text"])
        name = "any" if "any" in match else "except"
        options = match[name]
        if not isinstance(options, list) or len(options) > MAX_MATCH_VALUES:
            raise ApiError(400, f"{where}.{name}: expected an array of at most {MAX_MATCH_VALUES} values")
        values = tuple(_scalar(v, f"{where}.{name}[{i}]") for i, v in enumerate(options))
        return Match(path, values) if name == "any" else Excepted(path, values)


def parse_filter(value: Any, limits: Limits, where: str = "filter") -> Filter | None:
    """A parsed filter, or None for no filter (``null`` or absent)."""
    if value is None:
        return None
    return _Parser(limits).filter(value, where, 1)
