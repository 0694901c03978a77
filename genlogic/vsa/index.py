"""A vector index: ids with vectors, top-k search by inner product, save and load.

Exact search (the default) scans every stored vector with
:func:`~genlogic.vsa.kernels.topk_inner_product` (numba kernel or its numpy twin,
chosen by ``backend`` or ``$GENLOGIC_BACKEND``); results are best first, ties in
insertion order.  ``exact=False`` answers from an HNSW graph (optional package
hnswlib, see :mod:`genlogic.vsa.hnsw`); the vectors are still kept so the index
can be saved, reloaded and searched exactly.

Ids are strings or integers (they are stored as JSON).  Adding an id that is
already present replaces its vector.  Vectors are stored as given (float32); the
encoders produce unit vectors, so inner product is cosine for them.

On disk an index is a directory: ``vectors.npy``, ``index.json`` (ids, dimension,
options, caller metadata) and, for approximate indexes, ``hnsw.bin``.  Each file is
written to a temporary name and moved into place with ``os.replace``;
``index.json`` goes last and records the row count, so a load never sees a
half-written index as valid.  This module does not encode documents.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import Any, Sequence

import numpy as np

from .hnsw import HnswGraph, HnswOptions
from .kernels import resolve_backend, topk_inner_product

__all__ = ["Index", "IndexFormatError"]

FORMAT = "genlogic.vsa.index"
VERSION = 1


class IndexFormatError(ValueError):
    """A saved index is missing, incomplete or of another format."""


def _check_id(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"index ids must be str or int, got {value!r}")
    return value


def _atomic_write(path: str, write) -> None:
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


class Index:
    """Exact (default) or HNSW top-k search over float32 vectors of one dimension.

    >>> index = Index(2)
    >>> index.add(["x", "y"], np.array([[1, 0], [0, 1]], dtype=np.float32))
    >>> index.search(np.array([0.9, 0.1], dtype=np.float32), k=1)
    (['x'], array([0.9], dtype=float32))
    """

    def __init__(self, dim: int, *, exact: bool = True, backend: str | None = None,
                 hnsw: HnswOptions | None = None, metadata: dict | None = None):
        if int(dim) < 1:
            raise ValueError(f"dimension must be positive, got {dim}")
        self.dim = int(dim)
        self.exact = bool(exact)
        self.backend = None if backend is None else resolve_backend(backend)
        self.hnsw_options = hnsw or HnswOptions()
        self.metadata: dict = dict(metadata or {})
        self._ids: list[Any] = []
        self._row_of: dict[Any, int] = {}
        self._vectors = np.zeros((0, self.dim), dtype=np.float32)
        self._count = 0
        self._graph = None if self.exact else HnswGraph(self.dim, self.hnsw_options)

    def __len__(self) -> int:
        return self._count

    @property
    def ids(self) -> list[Any]:
        return list(self._ids)

    @property
    def vectors(self) -> np.ndarray:
        return self._vectors[:self._count]

    def add(self, ids: Sequence[Any], vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim == 1:
            vectors = vectors[None, :]
        ids = [_check_id(i) for i in ids]
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"expected vectors of shape (n, {self.dim}), got {vectors.shape}")
        if len(ids) != vectors.shape[0]:
            raise ValueError(f"{len(ids)} ids for {vectors.shape[0]} vectors")
        rows = np.empty(len(ids), dtype=np.int64)
        for position, identifier in enumerate(ids):
            row = self._row_of.get(identifier)
            if row is None:
                row = self._count
                self._row_of[identifier] = row
                self._ids.append(identifier)
                self._count += 1
            rows[position] = row
        if self._count > self._vectors.shape[0]:
            grown = np.zeros((max(self._count, 2 * self._vectors.shape[0]), self.dim), np.float32)
            grown[:self._vectors.shape[0]] = self._vectors
            self._vectors = grown
        self._vectors[rows] = vectors
        if self._graph is not None and len(rows):
            self._graph.add(rows, vectors)

    def search(self, vectors: np.ndarray, k: int = 10):
        """Ids and scores of the ``k`` best matches per query, best first.

        One query (shape (D,)) gives a list of ids and a (k,) array; a batch
        (shape (m, D)) gives a list of m lists and an (m, k) array.  Fewer than k
        results come back when the index holds fewer vectors.
        """
        queries = np.ascontiguousarray(vectors, dtype=np.float32)
        single = queries.ndim == 1
        queries = np.atleast_2d(queries)
        if queries.ndim != 2 or queries.shape[1] != self.dim:
            raise ValueError(f"expected queries of shape (m, {self.dim}), got {np.shape(vectors)}")
        if int(k) < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        k = min(int(k), self._count)
        if k == 0:
            rows = np.zeros((queries.shape[0], 0), np.int64)
            scores = np.zeros((queries.shape[0], 0), np.float32)
        elif self._graph is not None:
            rows, scores = self._graph.search(queries, k)
        else:
            rows, scores = topk_inner_product(self.vectors, queries, k, backend=self.backend)
        ids = [[self._ids[r] for r in row] for row in rows]
        return (ids[0], scores[0]) if single else (ids, scores)

    # -- persistence ---------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        path = os.fspath(path)
        os.makedirs(path, exist_ok=True)
        vectors = self.vectors
        _atomic_write(os.path.join(path, "vectors.npy"), lambda f: np.save(f, vectors))
        if self._graph is not None:
            graph_path = os.path.join(path, "hnsw.bin")
            temporary = f"{graph_path}.tmp-{os.getpid()}"
            self._graph.save(temporary)
            os.replace(temporary, graph_path)
        header = {
            "format": FORMAT, "version": VERSION, "dim": self.dim, "count": self._count,
            "exact": self.exact, "hnsw": asdict(self.hnsw_options),
            "metadata": self.metadata, "ids": self._ids,
        }
        data = json.dumps(header, ensure_ascii=False).encode("utf-8")
        _atomic_write(os.path.join(path, "index.json"), lambda f: f.write(data))

    @classmethod
    def load(cls, path: str | os.PathLike, *, backend: str | None = None) -> "Index":
        path = os.fspath(path)
        header_path = os.path.join(path, "index.json")
        try:
            with open(header_path, "r", encoding="utf-8") as handle:
                header = json.load(handle)
        except FileNotFoundError:
            raise IndexFormatError(f"{path}: no index here (index.json is missing)") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise IndexFormatError(f"{header_path}: unreadable index header: {exc}") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise IndexFormatError(f"{header_path}: not a genlogic vector index")
        if header.get("version") != VERSION:
            raise IndexFormatError(f"{header_path}: unsupported index version {header.get('version')!r}")
        try:
            vectors = np.load(os.path.join(path, "vectors.npy"), allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise IndexFormatError(f"{path}: cannot read vectors.npy: {exc}") from None
        dim, count, ids = header["dim"], header["count"], header["ids"]
        if vectors.shape != (count, dim) or len(ids) != count:
            raise IndexFormatError(
                f"{path}: index is incomplete: header says {count} x {dim}, "
                f"vectors.npy holds {vectors.shape}, {len(ids)} ids")
        options = HnswOptions(**header.get("hnsw", {}))
        index = cls(dim, exact=True, backend=backend, hnsw=options, metadata=header.get("metadata"))
        index.add(ids, vectors)
        if not header.get("exact", True):
            index.exact = False
            graph_path = os.path.join(path, "hnsw.bin")
            if os.path.exists(graph_path):
                index._graph = HnswGraph.load(graph_path, dim, options, count)
            else:
                index._graph = HnswGraph(dim, options, capacity=count)
                index._graph.add(np.arange(count, dtype=np.int64), index.vectors)
        return index
