"""Collections in memory, kept equal to the store: the service's working state.

A :class:`Collection` holds its encoder and, for each point in insertion order, the
id, the payload and one row of a float32 matrix of unit vectors.  Search is exact:
:func:`~genlogic.vsa.kernels.topk_inner_product` over all rows, or over the rows
whose payload passes a filter (the same brute force on the subset); ties go to the
earlier point.  Because rows follow the store's ``seq`` order and vectors are
stored bit for bit, a restarted service answers every search exactly as before.

The :class:`Registry` owns the collections and the :class:`~.store.Store`.  Each
write is committed to the store first and applied in memory second, under the
collection's lock, so what a search sees was already durable.  Payloads are encoded
before the lock is taken (under a separate encoder lock: the encoder's caches are
not thread-safe).  Requests arrive here already validated; this module raises
:class:`~.validation.ApiError` only for state: unknown or existing collections,
read-only collections, wrong dimensions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from genlogic.vsa import Encoder
from genlogic.vsa.kernels import topk_inner_product

from .config import Limits
from .filters import Filter
from .store import CollectionRecord, Store
from .validation import ApiError, id_key

__all__ = ["Collection", "Registry", "Hit", "NewPoint"]

FILTER_CACHE_SIZE = 32


@dataclass(frozen=True)
class Hit:
    point_id: int | str
    score: float | None  # None for a point fetched by id
    payload: Any
    vector: np.ndarray


@dataclass(frozen=True)
class NewPoint:
    """A validated point to upsert: a vector, or None to encode the payload."""

    point_id: int | str
    payload: Any
    vector: np.ndarray | None


class Collection:
    """One collection's points, encoder and locks; methods expect validated input."""

    encoding = "json"

    def __init__(self, name: str, dim: int, binding: str = "signed_perm", seed: int = 0,
                 *, read_only: bool = False, backend: str | None = None):
        self.name = name
        self.encoder = Encoder(dim=dim, binding=binding, seed=seed)
        self.read_only = read_only
        self.backend = backend
        self.lock = threading.Lock()
        self.encoder_lock = threading.Lock()
        self.dropped = False
        self._ids: list[int | str] = []
        self._keys: list[str] = []
        self._payloads: list[Any] = []
        self._row_of: dict[str, int] = {}
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._filtered_rows: OrderedDict[str, np.ndarray] = OrderedDict()  # emptied by every write

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def __len__(self) -> int:
        return len(self._ids)

    def describe(self) -> dict:
        return {"name": self.name, "status": "green", "points_count": len(self),
                "read_only": self.read_only,
                "config": {**self.encoder.config(), "encoding": self.encoding}}

    # -- encoding ------------------------------------------------------------------------
    def encode_payloads(self, payloads: Sequence[Any]) -> np.ndarray:
        with self.encoder_lock:
            return self.encoder.encode_batch(list(payloads)).astype(np.float32, copy=False)

    def encode_query(self, document: Any) -> np.ndarray:
        with self.encoder_lock:
            return self.encoder.encode(document)

    # -- changes (caller holds self.lock) ----------------------------------------------------
    def apply_upsert(self, keys: Sequence[str], ids: Sequence, payloads: Sequence, vectors: np.ndarray) -> None:
        self._filtered_rows.clear()
        rows = []
        for key, point_id, payload in zip(keys, ids, payloads):
            row = self._row_of.get(key)
            if row is None:
                row = len(self._ids)
                self._row_of[key] = row
                self._ids.append(point_id)
                self._keys.append(key)
                self._payloads.append(payload)
            else:
                self._payloads[row] = payload
            rows.append(row)
        if len(self._ids) > self._vectors.shape[0]:
            grown = np.zeros((max(len(self._ids), 2 * self._vectors.shape[0], 64), self.dim), np.float32)
            grown[:self._vectors.shape[0]] = self._vectors
            self._vectors = grown
        self._vectors[np.asarray(rows, dtype=np.int64)] = vectors

    def apply_delete(self, keys: Sequence[str]) -> int:
        doomed = sorted({self._row_of[key] for key in keys if key in self._row_of})
        if not doomed:
            return 0
        self._filtered_rows.clear()
        count = len(self._ids)
        keep = np.ones(count, dtype=bool)
        keep[doomed] = False
        kept = np.flatnonzero(keep)
        self._vectors[:len(kept)] = self._vectors[kept]
        self._ids = [self._ids[r] for r in kept]
        self._keys = [self._keys[r] for r in kept]
        self._payloads = [self._payloads[r] for r in kept]
        self._row_of = {key: row for row, key in enumerate(self._keys)}
        return len(doomed)

    # -- reads (caller holds self.lock) ----------------------------------------------------
    def get(self, key: str) -> Hit | None:
        row = self._row_of.get(key)
        if row is None:
            return None
        return Hit(self._ids[row], None, self._payloads[row], self._vectors[row].copy())

    def matching_rows(self, where: Filter | None) -> np.ndarray | None:
        """Rows whose point passes ``where`` (None: every row).

        The answer is remembered per filter until the next write, so a filter that
        many searches share is evaluated once.  The key is the filter's ``repr``,
        which tells ``1``, ``1.0`` and ``True`` apart (their hashes do not).
        """
        if where is None:
            return None
        key = repr(where)
        rows = self._filtered_rows.get(key)
        if rows is None:
            rows = np.fromiter((r for r, (i, p) in enumerate(zip(self._ids, self._payloads)) if where.test(i, p)),
                               dtype=np.int64)
            self._filtered_rows[key] = rows
            if len(self._filtered_rows) > FILTER_CACHE_SIZE:
                self._filtered_rows.popitem(last=False)
        else:
            self._filtered_rows.move_to_end(key)
        return rows

    def count(self, where: Filter | None) -> int:
        rows = self.matching_rows(where)
        return len(self) if rows is None else int(rows.shape[0])

    def space(self, name: str) -> np.ndarray:
        """The matrix searched: the point vectors (other spaces: see subclasses)."""
        return self._vectors[:len(self._ids)]

    def search(self, query: np.ndarray, limit: int, where: Filter | None,
               score_threshold: float | None = None, space: str = "vector") -> list[Hit]:
        rows = self.matching_rows(where)
        database = self.space(space)
        if rows is not None:
            database = database[rows]
        k = min(limit, database.shape[0])
        if k == 0:
            return []
        found, scores = topk_inner_product(database, np.ascontiguousarray(query[None, :], np.float32),
                                           k, backend=self.backend)
        hits = []
        for row, score in zip(found[0], scores[0]):
            score = float(score)
            if score_threshold is not None and not score >= score_threshold:
                continue
            row = int(row) if rows is None else int(rows[row])
            hits.append(Hit(self._ids[row], score, self._payloads[row], self._vectors[row].copy()))
        return hits


class Registry:
    """All collections of the service, backed by one store."""

    def __init__(self, store: Store, limits: Limits, backend: str | None = None):
        self.store = store
        self.limits = limits
        self.backend = backend
        self._lock = threading.Lock()
        self._collections: dict[str, Collection] = {}
        for record in store.collections():
            collection = Collection(record.name, record.dim, record.binding, record.seed, backend=backend)
            points = list(store.points(record.name, record.dim))
            if points:
                collection.apply_upsert([p.key for p in points], [p.point_id for p in points],
                                        [p.payload for p in points], np.stack([p.vector for p in points]))
            self._collections[record.name] = collection

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._collections)

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

    def create(self, name: str, dim: int, binding: str, seed: int) -> Collection:
        with self._lock:
            if name in self._collections:
                raise ApiError(409, f"collection {name!r} already exists")
            if len(self._collections) >= self.limits.max_collections:
                raise ApiError(400, f"the service holds at most {self.limits.max_collections} collections")
            collection = Collection(name, dim, binding, seed, backend=self.backend)
            self.store.create_collection(CollectionRecord(name, dim, binding, seed))
            self._collections[name] = collection
            return collection

    def drop(self, name: str) -> None:
        with self._lock:
            collection = self._collections.get(name)
            if collection is None:
                raise ApiError(404, f"collection {name!r} does not exist")
            if collection.read_only:
                raise ApiError(403, f"collection {name!r} is read-only")
            with collection.lock:
                self.store.delete_collection(name)
                collection.dropped = True
                del self._collections[name]

    def _locked(self, collection: Collection, action: Callable[[], Any]) -> Any:
        with collection.lock:
            if collection.dropped:
                raise ApiError(404, f"collection {collection.name!r} was deleted")
            return action()

    def upsert(self, collection: Collection, points: Sequence[NewPoint]) -> int:
        """Encode, commit, then apply ``points`` (from :meth:`writable`)."""
        to_encode = [i for i, p in enumerate(points) if p.vector is None]
        vectors = np.zeros((len(points), collection.dim), dtype=np.float32)
        for i, point in enumerate(points):
            if point.vector is not None:  # checked against collection.dim by the caller
                vectors[i] = point.vector
        if to_encode:
            vectors[to_encode] = collection.encode_payloads([points[i].payload for i in to_encode])
        keys = [id_key(p.point_id) for p in points]
        ids = [p.point_id for p in points]
        payloads = [p.payload for p in points]

        def write():
            self.store.upsert_points(collection.name, keys, ids, payloads, vectors)
            collection.apply_upsert(keys, ids, payloads, vectors)
            return len(points)
        return self._locked(collection, write)

    def delete_points(self, collection: Collection, point_ids: Sequence[int | str]) -> int:
        keys = [id_key(i) for i in point_ids]

        def write():
            present = [key for key in keys if collection.get(key) is not None]
            if present:
                self.store.delete_points(collection.name, present)
            return collection.apply_delete(present)
        return self._locked(collection, write)

    def read(self, collection: Collection, action: Callable[[Collection], Any]) -> Any:
        """``action(collection)`` under its lock (404 if it was deleted meanwhile)."""
        return self._locked(collection, lambda: action(collection))
