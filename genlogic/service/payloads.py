"""Payload selection and payload changes, in Qdrant's terms.

``PayloadSelector``  which part of a payload an answer carries: all of it, none, only
                     some keys (``with_payload: ["a", "b.c"]`` or ``{"include": [..]}``)
                     or all but some (``{"exclude": [..]}``)
``set_keys``         ``set_payload``: the given keys written over the payload's, at the
                     top or inside the object at a ``key`` path
``delete_keys``      ``delete_payload``: keys removed, paths such as ``a.b`` included

Paths are those of filters (:func:`~genlogic.service.filters.parse_path`): keys joined
by dots, ``[]`` for every element of an array and ``[N]`` for element N.  Payloads are
never changed in place: every function returns a new value and leaves its input as it
was, because the old payload stays in use until the change is committed.  Nothing here
stores, encodes or validates JSON (the callers have checked it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from .config import Limits
from .filters import ALL, Step, parse_path
from .validation import ApiError, check_payload

__all__ = ["PayloadSelector", "parse_payload_selector", "parse_key_list", "set_keys", "delete_keys",
           "as_object", "check_new_payload"]

MAX_SELECTED_KEYS = 256


@dataclass(frozen=True)
class PayloadSelector:
    """``enabled`` false: no payload; else ``include`` (None: every key) minus ``exclude``."""

    enabled: bool
    include: tuple[tuple[Step, ...], ...] | None = None
    exclude: tuple[tuple[Step, ...], ...] = ()

    def apply(self, payload: Any) -> Any:
        if not self.enabled:
            return None
        payload = {} if payload is None else payload
        if self.include is None and not self.exclude:
            return payload
        if not isinstance(payload, dict):  # genlogic's non-object payloads: all or nothing
            return payload if self.include is None else {}
        chosen = payload if self.include is None else _pick(payload, self.include)
        for path in self.exclude:
            chosen = _remove(chosen, path)
        return chosen


def parse_key_list(value: Any, where: str) -> tuple[tuple[Step, ...], ...]:
    if not isinstance(value, list) or len(value) > MAX_SELECTED_KEYS:
        raise ApiError(400, f"{where}: expected an array of at most {MAX_SELECTED_KEYS} keys")
    return tuple(parse_path(key, f"{where}[{i}]") for i, key in enumerate(value))


def parse_payload_selector(value: Any, where: str, default: bool) -> PayloadSelector:
    """``true`` / ``false`` / ``[keys]`` / ``{"include": [..]}`` / ``{"exclude": [..]}``."""
    if value is None:
        return PayloadSelector(default)
    if isinstance(value, bool):
        return PayloadSelector(value)
    if isinstance(value, list):
        return PayloadSelector(True, include=parse_key_list(value, where))
    if isinstance(value, dict) and len(value) == 1 and ("include" in value or "exclude" in value):
        name = next(iter(value))
        keys = parse_key_list(value[name], f"{where}.{name}")
        return PayloadSelector(True, include=keys) if name == "include" else PayloadSelector(True, exclude=keys)
    raise ApiError(400, f"{where}: true, false, an array of keys, {{\"include\": [...]}} or {{\"exclude\": [...]}}")


def _pick(payload: dict, paths) -> dict:
    """The parts of ``payload`` at ``paths`` (keys only: an index keeps the whole array)."""
    out: dict = {}
    for path in paths:
        keys = []
        for step in path:
            if not isinstance(step, str):
                break
            keys.append(step)
        source: Any = payload
        target = out
        for position, key in enumerate(keys):
            if not isinstance(source, dict) or key not in source:
                break
            if position == len(keys) - 1:
                target[key] = copy.deepcopy(source[key])
            else:
                source = source[key]
                if not isinstance(source, dict):
                    target[key] = copy.deepcopy(source)
                    break
                target = target.setdefault(key, {})
    return out


def _remove(value: Any, path: tuple[Step, ...]) -> Any:
    """``value`` without what ``path`` names; arrays on the way are entered element-wise."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(value, list):
        if step == ALL or isinstance(step, str):
            inner = path if isinstance(step, str) else rest
            if not inner and step == ALL:
                return []
            return [_remove(element, inner) for element in value]
        if step >= len(value):
            return value
        if not rest:
            return value[:step] + value[step + 1:]
        return value[:step] + [_remove(value[step], rest)] + value[step + 1:]
    if isinstance(value, dict) and isinstance(step, str) and step in value:
        if not rest:
            return {k: v for k, v in value.items() if k != step}
        return {**value, step: _remove(value[step], rest)}
    return value


def as_object(payload: Any, point_id: Any) -> dict:
    """The payload as an object to change (no payload: ``{}``); 400 for other JSON."""
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise ApiError(400, f"point {point_id!r} has a payload that is not a JSON object; "
                            "replace it with overwrite_payload or an upsert")
    return payload


def set_keys(payload: Any, point_id: Any, new: dict, key: tuple[Step, ...] | None) -> dict:
    """``new``'s keys written over the payload's (at ``key``, an object path, if given)."""
    base = dict(as_object(payload, point_id))
    if not key:
        base.update(copy.deepcopy(new))
        return base
    if any(not isinstance(step, str) for step in key):
        raise ApiError(400, "key: set_payload's key is a path of object keys (no [] or [N])")
    target = base
    for step in key:
        inner = target.get(step)
        inner = dict(inner) if isinstance(inner, dict) else {}
        target[step] = inner
        target = inner
    target.update(copy.deepcopy(new))
    return base


def delete_keys(payload: Any, point_id: Any, paths) -> Any:
    if payload is None:
        return None
    result = payload
    for path in paths:
        result = _remove(result, path)
    return result


def check_new_payload(payload: Any, where: str, limits: Limits) -> dict:
    """The ``payload`` of set/overwrite requests: a JSON object within the limits."""
    if not isinstance(payload, dict):
        raise ApiError(400, f"{where}: a payload here is a JSON object")
    check_payload(payload, where, limits)
    return payload
