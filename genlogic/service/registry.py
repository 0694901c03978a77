"""All collections of the service, backed by one store: every change goes through here.

The :class:`Registry` owns the collections and the :class:`~.store.Store`.  Each
write is committed to the store first and applied in memory second, under the
collection's lock, so what a search sees was already durable, and a write that
fails (a bad payload change, a full disk) changes nothing.  Payloads of new points
are encoded before the lock is taken (under the encoder's own lock: its caches are
not thread-safe); payload changes re-encode, under the collection's lock, the
points whose vector is the encoding of their payload, so such a vector always
follows its payload.  Requests arrive here validated; this module raises
:class:`~.validation.ApiError` only for state: unknown or existing collections and
points, read-only collections.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .config import Limits
from .engine import Collection
from .filters import Filter
from .store import CollectionRecord, Store
from .validation import ApiError, id_key

__all__ = ["Registry", "NewPoint", "Target", "PAYLOAD"]

PAYLOAD = object()  # NewPoint.document: encode the point's own payload


@dataclass(frozen=True)
class NewPoint:
    """A validated point to upsert: a vector, or None to encode ``document``
    (``PAYLOAD``: the payload itself, and the vector then follows payload changes)."""

    point_id: int | str
    payload: Any
    vector: np.ndarray | None
    document: Any = PAYLOAD


@dataclass(frozen=True)
class Target:
    """The points a change applies to: by ids, or those passing a filter."""

    ids: Sequence[int | str] | None = None
    where: Filter | None = field(default=None)


class Registry:
    """All collections of the service, backed by one store."""

    def __init__(self, store: Store, limits: Limits, backend: str | None = None):
        self.store = store
        self.limits = limits
        self.backend = backend
        self._lock = threading.Lock()
        self._collections: dict[str, Collection] = {}
        for record in store.collections():
            collection = Collection(record.name, record.dim, record.binding, record.seed, record.distance,
                                    backend=backend)
            points = list(store.points(record.name, record.dim))
            if points:  # in seq order: the rows come back as they were
                collection.apply_upsert([p.key for p in points], [p.point_id for p in points],
                                        [p.payload for p in points], np.stack([p.vector for p in points]),
                                        [p.encoded for p in points], [p.version for p in points])
            self._collections[record.name] = collection

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._collections)

    def exists(self, name: str) -> bool:
        with self._lock:
            return name in self._collections

    def add_read_only(self, collection: Collection) -> None:
        """Serve a collection built elsewhere (e.g. a run's theorems); never stored."""
        with self._lock:
            if collection.name in self._collections:
                raise ApiError(409, f"a collection named {collection.name!r} already exists in the database")
            self._collections[collection.name] = collection

    def get(self, name: str) -> Collection:
        with self._lock:
            collection = self._collections.get(name)
        if collection is None:
            raise ApiError(404, f"collection {name!r} does not exist")
        return collection

    def writable(self, name: str) -> Collection:
        collection = self.get(name)
        if collection.read_only:
            raise ApiError(403, f"collection {name!r} is read-only")
        return collection

    def create(self, name: str, dim: int, binding: str, seed: int, distance: str = "Cosine") -> Collection:
        with self._lock:
            if name in self._collections:
                raise ApiError(409, f"collection {name!r} already exists")
            if len(self._collections) >= self.limits.max_collections:
                raise ApiError(400, f"the service holds at most {self.limits.max_collections} collections")
            collection = Collection(name, dim, binding, seed, distance, backend=self.backend)
            self.store.create_collection(CollectionRecord(name, dim, binding, seed, distance))
            self._collections[name] = collection
            return collection

    def drop(self, name: str) -> bool:
        """Delete a collection; False if there was none (as Qdrant answers)."""
        with self._lock:
            collection = self._collections.get(name)
            if collection is None:
                return False
            if collection.read_only:
                raise ApiError(403, f"collection {name!r} is read-only")
            with collection.lock:
                self.store.delete_collection(name)
                collection.dropped = True
                del self._collections[name]
            return True

    def _locked(self, collection: Collection, action: Callable[[], Any]) -> Any:
        with collection.lock:
            if collection.dropped:
                raise ApiError(404, f"collection {collection.name!r} was deleted")
            return action()

    def read(self, collection: Collection, action: Callable[[Collection], Any]) -> Any:
        """``action(collection)`` under its lock (404 if it was deleted meanwhile)."""
        return self._locked(collection, lambda: action(collection))

    # -- writes ----------------------------------------------------------------------------
    def upsert(self, collection: Collection, points: Sequence[NewPoint]) -> int:
        """Encode, commit, then apply ``points`` (from :meth:`writable`); the operation number."""
        to_encode = [i for i, p in enumerate(points) if p.vector is None]
        vectors = np.zeros((len(points), collection.dim), dtype=np.float32)
        for i, point in enumerate(points):
            if point.vector is not None:  # checked against collection.dim by the caller
                vectors[i] = point.vector
        if to_encode:
            documents = [points[i].payload if points[i].document is PAYLOAD else points[i].document
                         for i in to_encode]
            vectors[to_encode] = collection.encode_payloads(documents)
        keys = [id_key(p.point_id) for p in points]
        ids = [p.point_id for p in points]
        payloads = [p.payload for p in points]
        encoded = [p.vector is None and p.document is PAYLOAD for p in points]

        def write():
            operation = self.store.upsert_points(collection.name, keys, ids, payloads, vectors, encoded)
            collection.apply_upsert(keys, ids, payloads, vectors, encoded, operation)
            return operation
        return self._locked(collection, write)

    def _target_rows(self, collection: Collection, target: Target, missing_ok: bool) -> list[int]:
        if target.ids is None:
            rows = collection.matching_rows(target.where)
            return list(range(len(collection))) if rows is None else [int(r) for r in rows]
        keys = [id_key(i) for i in target.ids]
        if missing_ok:
            return sorted({row for row in map(collection.row, keys) if row is not None})
        return sorted(set(collection.rows_for_ids(keys, target.ids)))

    def delete_points(self, collection: Collection, target: Target) -> tuple[int | None, int]:
        """(operation number or None when nothing was there, points deleted)."""
        def write():
            keys = [collection.point(row)[0] for row in self._target_rows(collection, target, True)]
            if not keys:
                return None, 0
            operation = self.store.delete_points(collection.name, keys)
            return operation, collection.apply_delete(keys)
        return self._locked(collection, write)

    def change_payloads(self, collection: Collection, target: Target,
                        change: Callable[[Any, Any], Any]) -> tuple[int | None, int]:
        """Replace each target point's payload by ``change(payload, id)``; ids must exist.
        Vectors that encode their payload are re-encoded.  (operation or None, points changed)."""
        def write():
            rows = self._target_rows(collection, target, False)
            if not rows:
                return None, 0
            keys, ids, payloads, encoded = [], [], [], []
            for row in rows:
                key, point_id, payload, follows = collection.point(row)
                keys.append(key)
                ids.append(point_id)
                payloads.append(change(payload, point_id))
                encoded.append(follows)
            vectors = np.stack([collection.vector(row) for row in rows])
            again = [i for i, follows in enumerate(encoded) if follows]
            if again:
                vectors[again] = collection.encode_payloads([payloads[i] for i in again])
            operation = self.store.upsert_points(collection.name, keys, ids, payloads, vectors, encoded)
            collection.apply_upsert(keys, ids, payloads, vectors, encoded, operation)
            return operation, len(rows)
        return self._locked(collection, write)
