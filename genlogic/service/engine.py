"""One collection in memory, kept equal to the store: points, encoder, exact search.

A :class:`Collection` holds its encoder, its distance and, for each point in
insertion order, the id, the payload, whether the vector encodes the payload, the
point's version and one row of a float32 matrix of vectors (unit vectors for
Cosine; as given for Dot and Euclid).  Search is exact, never approximate:

- Cosine and Dot without a filter: :func:`~genlogic.vsa.kernels.topk_inner_product`
  over all rows (the score is the inner product; Cosine vectors are unit length);
- with a filter: the inner products of the rows that pass it (all rows' products
  at once when many pass, the passing rows' alone when few do), then the best k;
- Euclid: squared distances from the norms and inner products pick the rows, whose
  distances are then computed directly; the score is the distance, smaller first.

Ties go to the earlier point (lower row).  Because rows follow the store's ``seq``
order and vectors are stored bit for bit, a restarted service answers every search
exactly as before.  Scrolling goes by id order: integer ids ascending, then string
ids ascending (as Qdrant orders numbers before UUIDs).

Methods expect validated input and a caller holding ``self.lock`` (see
:class:`~genlogic.service.registry.Registry`); the only errors raised here are
:class:`~.validation.ApiError` for state (an unknown point id).
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from genlogic.vsa import Encoder
from genlogic.vsa.kernels import topk_inner_product

from .filters import Filter
from .validation import ApiError

__all__ = ["Collection", "Hit", "DISTANCES", "id_order_key", "best_positions"]

FILTER_CACHE_SIZE = 32
DISTANCES = ("Cosine", "Dot", "Euclid")
SMALL_SUBSET = 8  # a filter passing fewer than 1/8 of the rows: products of those rows only


@dataclass(frozen=True)
class Hit:
    point_id: int | str
    score: float | None  # None for a point fetched by id
    payload: Any
    vector: np.ndarray
    version: int = 0


def id_order_key(point_id: int | str) -> tuple:
    """Scroll order: integers first, by value, then strings."""
    return (0, point_id, "") if isinstance(point_id, int) else (1, 0, point_id)


def best_positions(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest scores, best first, ties to the lower position."""
    n = scores.shape[0]
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if k < n:
        part = np.argpartition(-scores, k - 1)[:k]
        floor = scores[part].min()
        candidates = np.flatnonzero(scores >= floor)
    else:
        candidates = np.arange(n)
    order = np.lexsort((candidates, -scores[candidates].astype(np.float64)))
    return candidates[order][:k]


class Collection:
    """One collection's points, encoder and locks; methods expect validated input."""

    encoding = "json"

    def __init__(self, name: str, dim: int, binding: str = "signed_perm", seed: int = 0,
                 distance: str = "Cosine", *, read_only: bool = False, backend: str | None = None):
        self.name = name
        self.encoder = Encoder(dim=dim, binding=binding, seed=seed)
        self.distance = distance
        self.read_only = read_only
        self.backend = backend
        self.lock = threading.Lock()
        self.encoder_lock = threading.Lock()
        self.dropped = False
        self._ids: list[int | str] = []
        self._keys: list[str] = []
        self._payloads: list[Any] = []
        self._encoded: list[bool] = []
        self._versions: list[int] = []
        self._row_of: dict[str, int] = {}
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._filtered_rows: OrderedDict[str, np.ndarray] = OrderedDict()  # all caches: emptied by writes
        self._order: np.ndarray | None = None
        self._order_keys: list[tuple] | None = None
        self._squared_norms: np.ndarray | None = None

    @property
    def dim(self) -> int:
        return self.encoder.dim

    @property
    def normalises(self) -> bool:
        """Cosine collections store (and compare) unit vectors."""
        return self.distance == "Cosine"

    def __len__(self) -> int:
        return len(self._ids)

    def describe(self) -> dict:
        """Qdrant's collection info, with genlogic's own settings under ``genlogic``."""
        return {
            "status": "green", "optimizer_status": "ok", "indexed_vectors_count": 0,
            "points_count": len(self), "segments_count": 1,
            "config": {
                "params": {"vectors": {"size": self.dim, "distance": self.distance}, "shard_number": 1,
                           "replication_factor": 1, "write_consistency_factor": 1, "on_disk_payload": False},
                # reported because the client requires them; search here is always exact
                "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000},
                "optimizer_config": {"deleted_threshold": 0.2, "vacuum_min_vector_number": 1000,
                                     "default_segment_number": 0, "flush_interval_sec": 5},
                "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0},
                "quantization_config": None,
            },
            "payload_schema": {},
            "genlogic": {**self.encoder.config(), "encoding": self.encoding, "read_only": self.read_only,
                         "search": "exact"},
        }

    # -- encoding ------------------------------------------------------------------------
    def encode_payloads(self, payloads: Sequence[Any]) -> np.ndarray:
        with self.encoder_lock:
            return self.encoder.encode_batch(list(payloads)).astype(np.float32, copy=False)

    def encode_query(self, document: Any) -> np.ndarray:
        with self.encoder_lock:
            return self.encoder.encode(document).astype(np.float32, copy=False)

    # -- changes (caller holds self.lock) ----------------------------------------------------
    def _forget_caches(self) -> None:
        self._filtered_rows.clear()
        self._order = self._order_keys = self._squared_norms = None

    def apply_upsert(self, keys: Sequence[str], ids: Sequence, payloads: Sequence, vectors: np.ndarray,
                     encoded: Sequence[bool] | None = None, version: int | Sequence[int] = 0) -> None:
        """Add or replace points; ``version`` is one operation number or one per point."""
        self._forget_caches()
        encoded = [False] * len(keys) if encoded is None else encoded
        versions = [version] * len(keys) if isinstance(version, int) else version
        rows = []
        for key, point_id, payload, flag, version in zip(keys, ids, payloads, encoded, versions):
            row = self._row_of.get(key)
            if row is None:
                row = len(self._ids)
                self._row_of[key] = row
                self._ids.append(point_id)
                self._keys.append(key)
                self._payloads.append(payload)
                self._encoded.append(bool(flag))
                self._versions.append(version)
            else:
                self._payloads[row] = payload
                self._encoded[row] = bool(flag)
                self._versions[row] = version
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
        self._forget_caches()
        count = len(self._ids)
        keep = np.ones(count, dtype=bool)
        keep[doomed] = False
        kept = np.flatnonzero(keep)
        self._vectors[:len(kept)] = self._vectors[kept]
        for name in ("_ids", "_keys", "_payloads", "_encoded", "_versions"):
            values = getattr(self, name)
            setattr(self, name, [values[r] for r in kept])
        self._row_of = {key: row for row, key in enumerate(self._keys)}
        return len(doomed)

    # -- reads (caller holds self.lock) ----------------------------------------------------
    def hit(self, row: int, score: float | None = None) -> Hit:
        return Hit(self._ids[row], score, self._payloads[row], self._vectors[row].copy(), self._versions[row])

    def get(self, key: str) -> Hit | None:
        row = self._row_of.get(key)
        return None if row is None else self.hit(row)

    def row(self, key: str) -> int | None:
        return self._row_of.get(key)

    def point(self, row: int) -> tuple[str, int | str, Any, bool]:
        """(key, id, payload, encoded) of a row."""
        return self._keys[row], self._ids[row], self._payloads[row], self._encoded[row]

    def vector(self, row: int) -> np.ndarray:
        return self._vectors[row].copy()

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

    def ordered_rows(self, where: Filter | None, start: int | str | None = None) -> np.ndarray:
        """Rows in id order, from the first id at or after ``start``, passing ``where``."""
        if self._order is None:
            keys = [id_order_key(i) for i in self._ids]
            self._order = np.asarray(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)
            self._order_keys = [keys[r] for r in self._order]
        begin = 0 if start is None else bisect.bisect_left(self._order_keys, id_order_key(start))
        order = self._order[begin:]
        rows = self.matching_rows(where)
        if rows is None:
            return order
        passes = np.zeros(len(self), dtype=bool)
        passes[rows] = True
        return order[passes[order]]

    def space(self) -> np.ndarray:
        """The matrix searched: one row per point."""
        return self._vectors[:len(self._ids)]

    def search(self, query: np.ndarray, limit: int, where: Filter | None,
               score_threshold: float | None = None, offset: int = 0) -> list[Hit]:
        """The best ``limit`` points after ``offset`` (Qdrant's order for the distance)."""
        rows, scores = self.nearest_rows(query, offset + limit, where)
        hits = []
        for row, score in zip(rows[offset:], scores[offset:]):
            if score_threshold is not None and not self._passes(score, score_threshold):
                continue
            hits.append(self.hit(int(row), score))
        return hits

    def _passes(self, score: float, threshold: float) -> bool:
        return score <= threshold if self.distance == "Euclid" else score >= threshold

    def nearest_rows(self, query: np.ndarray, k: int, where: Filter | None) -> tuple[list[int], list[float]]:
        """The ``k`` best rows (passing ``where``) for ``query`` and their scores, best first."""
        database = self.space()
        rows = self.matching_rows(where)
        n = database.shape[0] if rows is None else rows.shape[0]
        k = min(k, n)
        if k <= 0:
            return [], []
        query = np.ascontiguousarray(query, dtype=np.float32)
        if self.distance != "Euclid" and rows is None:
            found, scores = topk_inner_product(database, query[None, :], k, backend=self.backend)
            return [int(r) for r in found[0]], [float(s) for s in scores[0]]
        if rows is None:
            candidates = None
            products = database @ query
        elif rows.shape[0] * SMALL_SUBSET < database.shape[0]:
            candidates = rows
            products = database[rows] @ query
        else:
            candidates = rows
            products = (database @ query)[rows]
        if self.distance == "Euclid":
            if self._squared_norms is None:
                self._squared_norms = np.einsum("ij,ij->i", database, database)
            norms = self._squared_norms if candidates is None else self._squared_norms[candidates]
            picked = best_positions(2.0 * products - norms, k)
            chosen = picked if candidates is None else candidates[picked]
            distances = np.sqrt(((database[chosen].astype(np.float64) - query) ** 2).sum(axis=1))
            order = np.lexsort((chosen, distances))
            return [int(chosen[i]) for i in order], [float(distances[i]) for i in order]
        picked = best_positions(products, k)
        chosen = picked if candidates is None else candidates[picked]
        return [int(r) for r in chosen], [float(products[p]) for p in picked]

    def rows_for_ids(self, keys: Sequence[str], shown: Sequence[Any]) -> list[int]:
        """The rows of existing points; 404 naming the first id that is not there."""
        rows = []
        for key, point_id in zip(keys, shown):
            row = self._row_of.get(key)
            if row is None:
                raise ApiError(404, f"no point with id {point_id!r} in collection {self.name!r}")
            rows.append(row)
        return rows
