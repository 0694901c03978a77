"""Reading a field back out of an encoded document.

``unbind(model, vector, path)`` undoes the bindings along a key path: for the path
``("address", "zip")`` it returns ``M_zip^T M_address^T vector``, which equals the
field's own vector plus noise from the other fields (bundling keeps every field at
roughly ``1/sqrt(#fields)`` of the whole).  ``cleanup(vector, codebook)`` removes
the noise by returning the codebook entry with the highest cosine.

A :class:`Codebook` is a list of labels with one unit vector per label, usually
built from candidate JSON values with :meth:`Codebook.from_values`.  Cleanup is an
exact nearest-neighbour scan; for large codebooks put the vectors in an
:class:`~genlogic.vsa.index.Index` instead.  This module does not encode anything
itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .json_encoder import path_roles
from .kernels import topk_inner_product
from .model import MBAT, normalize_rows

__all__ = ["Codebook", "Match", "unbind", "cleanup"]


@dataclass(frozen=True)
class Codebook:
    labels: tuple[Any, ...]
    vectors: np.ndarray  # (n, D) float32, unit rows

    def __post_init__(self):
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.labels):
            raise ValueError("a codebook needs one vector row per label")

    @classmethod
    def from_values(cls, encoder, values: Sequence[Any]) -> "Codebook":
        """Labels are the values themselves; vectors from ``encoder.encode_batch``."""
        return cls(tuple(values), np.asarray(encoder.encode_batch(list(values)), dtype=np.float32))


@dataclass(frozen=True)
class Match:
    label: Any
    score: float


def unbind(model: MBAT, vector: np.ndarray, path) -> np.ndarray:
    """The (noisy) vector of the value at ``path`` inside ``vector``."""
    result = np.asarray(vector, dtype=np.float32)
    for role in path_roles(path):
        result = model.unbind(role, result)
    return result


def cleanup(vector: np.ndarray, codebook: Codebook, k: int = 1,
            backend: str | None = None) -> list[Match] | list[list[Match]]:
    """The ``k`` codebook entries nearest to ``vector`` by cosine, best first.

    ``vector`` may be one vector (returns a list of matches) or a batch of rows
    (returns one list per row).
    """
    queries = np.asarray(vector, dtype=np.float32)
    single = queries.ndim == 1
    queries = normalize_rows(np.atleast_2d(queries).copy())
    rows, scores = topk_inner_product(codebook.vectors, queries, k, backend=backend)
    matches = [[Match(codebook.labels[r], float(s)) for r, s in zip(row, score)]
               for row, score in zip(rows, scores)]
    return matches[0] if single else matches
