"""The VSA model interface and its MBAT implementation.

A vector-symbolic model needs five operations: a random vector for a symbol, bind,
unbind, bundle and similarity.  :class:`VSAModel` names them; :class:`MBAT`
(matrix binding of additive terms) implements them with orthogonal role matrices
from :mod:`genlogic.vsa.roles`:

* ``random_vector(kind, token)``: a unit float32 vector with entries
  ``+-1/sqrt(D)`` (random signs, "bipolar"), drawn from the generator seeded by
  (namespace, D, kind, token).  Bipolar vectors are as nearly orthogonal as
  Gaussian ones and about twice as fast to draw, which matters for the many
  word and trigram symbols.
* ``bind(role, x) = M_role x`` and ``unbind(role, y) = M_role^T y`` (exact inverse).
* ``bundle(xs) = normalise(sum xs)``: the superposition, similar to each part.
* ``similarity(a, b)``: cosine.

The model caches what it derives (vectors in a bounded table, role matrices in a
small LRU), so repeated symbols cost a dictionary lookup.  Caching never changes a
result: every vector is a function of its seed.  The model knows nothing about
JSON or MPL; the encoders decide which symbols and roles to use.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Iterable, Protocol, Sequence

import numpy as np

from .roles import ROLE_FAMILIES, make_role
from .seeding import stable_bytes_many

__all__ = ["VSAModel", "MBAT", "normalize_rows"]


class VSAModel(Protocol):
    dim: int

    def random_vector(self, kind: str, token: str) -> np.ndarray: ...
    def bind(self, role: str, x: np.ndarray) -> np.ndarray: ...
    def unbind(self, role: str, y: np.ndarray) -> np.ndarray: ...
    def bundle(self, vectors: Sequence[np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray: ...
    def similarity(self, a: np.ndarray, b: np.ndarray) -> float: ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row (or the one vector) to unit length in place; zero rows stay zero."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


# (256, 8) int8: the ±1 of each byte's bits, most significant first (bit 1: +1)
_BYTE_SIGNS = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.int8) * 2 - 1


class MBAT:
    """Matrix binding of additive terms with orthogonal role matrices.

    >>> model = MBAT(dim=64, binding="signed_perm", seed=0)
    >>> x = model.random_vector("symbol", "x")
    >>> bool(np.allclose(model.unbind("r", model.bind("r", x)), x))
    True
    """

    def __init__(self, dim: int = 1024, binding: str = "signed_perm", seed: int = 0,
                 *, role_cache_size: int | None = None, vector_cache_size: int = 65536):
        if binding not in ROLE_FAMILIES:
            raise ValueError(
                f"unknown binding family {binding!r}; expected one of {', '.join(ROLE_FAMILIES)}")
        if int(dim) < 2:
            raise ValueError(f"dimension must be at least 2, got {dim}")
        self.dim = int(dim)
        self.binding = binding
        self.seed = int(seed)
        self.namespace = f"genlogic.vsa/seed={self.seed}"
        self.symbol_scale = np.float32(1.0 / np.sqrt(self.dim))  # entries of symbol vectors are ±this
        if role_cache_size is None:  # dense matrices are D*D floats each: keep fewer
            role_cache_size = 4096 if binding == "signed_perm" else 48
        self._role_cache_size = role_cache_size
        self._roles: OrderedDict[str, object] = OrderedDict()
        self._vector_cache_size = vector_cache_size
        self._vectors: dict[tuple[str, str], np.ndarray] = {}

    # -- symbols -----------------------------------------------------------------
    def random_vector(self, kind: str, token: str) -> np.ndarray:
        """The unit vector of symbol ``token`` of ``kind`` (read-only, cached)."""
        key = (kind, token)
        vector = self._vectors.get(key)
        if vector is None:
            vector = self.fresh_vector(kind, token)
            vector.flags.writeable = False
            if len(self._vectors) >= self._vector_cache_size:
                self._vectors.clear()
            self._vectors[key] = vector
        return vector

    def fresh_vector(self, kind: str, token: str) -> np.ndarray:
        """Like :meth:`random_vector` but uncached and writable."""
        return self.symbol_signs(kind, [token])[0] * self.symbol_scale

    def symbol_signs(self, kind: str, tokens: Sequence[str]) -> np.ndarray:
        """(n, D) int8 signs: row ``i`` times :attr:`symbol_scale` is the vector of
        ``tokens[i]``.  One hash per token and one table look-up for all of them,
        so symbols that first appear together (new words of a batch) are drawn
        together, and a table of symbols can store a byte per entry.
        """
        width = (self.dim + 7) // 8
        raw = stable_bytes_many(self.namespace, self.dim, f"vector/{kind}", tokens, width)
        # each byte gives eight signs (bit 1: +, bit 0: -), read from a table
        signs = _BYTE_SIGNS[np.frombuffer(raw, dtype=np.uint8)]
        return np.ascontiguousarray(signs.reshape(len(tokens), 8 * width)[:, :self.dim])

    def role(self, token: str):
        """The role matrix object for ``token`` (see :mod:`genlogic.vsa.roles`)."""
        role = self._roles.get(token)
        if role is None:
            role = make_role(self.binding, self.namespace, self.dim, token)
            if len(self._roles) >= self._role_cache_size:
                self._roles.popitem(last=False)
            self._roles[token] = role
        else:
            self._roles.move_to_end(token)
        return role

    # -- algebra -----------------------------------------------------------------
    def bind(self, role: str, x: np.ndarray) -> np.ndarray:
        return self.role(role).apply(np.asarray(x, dtype=np.float32))

    def unbind(self, role: str, y: np.ndarray) -> np.ndarray:
        return self.role(role).apply_transpose(np.asarray(y, dtype=np.float32))

    def bundle(self, vectors: Iterable[np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray:
        stacked = np.asarray(list(vectors), dtype=np.float32)
        if stacked.ndim != 2 or stacked.shape[0] == 0:
            raise ValueError("bundle needs at least one vector")
        if weights is not None:
            stacked = stacked * np.asarray(weights, dtype=np.float32)[:, None]
        return normalize_rows(stacked.sum(axis=0))

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        denominator = np.linalg.norm(a) * np.linalg.norm(b)
        return float(a @ b / denominator) if denominator > 0 else 0.0
