"""Approximate search through hnswlib, for collections too large to scan.

The optional package ``hnswlib`` is imported only when an approximate index is
built or loaded; without it :func:`require_hnswlib` raises an ImportError that
says how to install it.  The graph is keyed by row number (the row of the vector
in :class:`~genlogic.vsa.index.Index`), scores are inner products (hnswlib's
``ip`` space reports ``1 - score``; this module converts back).

This module does not keep ids, vectors or files of its own beyond the graph; the
index owns those and decides when to call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["HnswOptions", "HnswGraph", "require_hnswlib"]


@dataclass(frozen=True)
class HnswOptions:
    m: int = 16
    ef_construction: int = 200
    ef_search: int = 64


def require_hnswlib():
    try:
        import hnswlib
    except ImportError as exc:
        raise ImportError(
            "approximate search (exact=False) needs the optional package hnswlib; "
            "install it with `pip install hnswlib`, or use exact=True") from exc
    return hnswlib


class HnswGraph:
    def __init__(self, dim: int, options: HnswOptions, capacity: int = 1024):
        hnswlib = require_hnswlib()
        self.options = options
        self._graph = hnswlib.Index(space="ip", dim=dim)
        self._graph.init_index(max_elements=max(capacity, 16), M=options.m,
                               ef_construction=options.ef_construction)
        self._graph.set_ef(options.ef_search)

    def add(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        needed = int(rows.max()) + 1 if rows.size else 0
        if needed > self._graph.get_max_elements():
            self._graph.resize_index(max(needed, 2 * self._graph.get_max_elements()))
        self._graph.add_items(vectors, rows)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        self._graph.set_ef(max(self.options.ef_search, k))
        labels, distances = self._graph.knn_query(queries, k=k)
        return labels.astype(np.int64), (1.0 - distances).astype(np.float32)

    def save(self, path: str) -> None:
        self._graph.save_index(path)

    @classmethod
    def load(cls, path: str, dim: int, options: HnswOptions, count: int) -> "HnswGraph":
        hnswlib = require_hnswlib()
        graph = cls.__new__(cls)
        graph.options = options
        graph._graph = hnswlib.Index(space="ip", dim=dim)
        graph._graph.load_index(path, max_elements=max(count, 16))
        graph._graph.set_ef(options.ef_search)
        return graph
