"""Role matrices: the orthogonal maps that MBAT binding multiplies by.

Binding a filler vector ``x`` to a role ``r`` is ``M_r @ x``; unbinding is
``M_r.T @ y``.  Because ``M_r`` is orthogonal, unbinding inverts binding exactly
and any chain of bindings keeps the vector's length.  Two families:

``signed_perm`` (default)
    ``(M x)[i] = sign[i] * x[perm[i]]``: a random permutation with random signs.
    Applying it costs O(D) and the matrix is never built.
``haar``
    A dense Haar-distributed orthogonal matrix: QR of a Gaussian matrix, with the
    columns of Q multiplied by the signs of R's diagonal (without that fix QR's
    output is not uniformly distributed).  O(D^2) to apply, O(D^3) to make.

``GaussianMatrix`` is *not* a family to encode with.  It exists for the ablation
test: a matrix of N(0, 1/D) entries is only orthogonal on average, so the norm of
a vector bound through many of them drifts (a random walk in log-norm) and its
transpose does not undo binding.

Every role is a pure function of (namespace, dimension, family, token) through
:mod:`genlogic.vsa.seeding`.  This module does not cache roles; the model does.
Arrays passed in are rows: ``apply`` accepts a vector of shape (D,) or a batch of
shape (n, D) and maps each row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .seeding import stable_generator

__all__ = [
    "ROLE_FAMILIES", "SignedPermutation", "HaarMatrix", "GaussianMatrix", "make_role",
]

ROLE_FAMILIES = ("signed_perm", "haar")


@dataclass(frozen=True, eq=False)
class SignedPermutation:
    """``M x = signs * x[perm]``; ``M.T y`` scatters back: ``out[perm] = signs * y``."""

    perm: np.ndarray       # int64 (D,)
    inverse: np.ndarray    # int64 (D,), argsort(perm)
    signs: np.ndarray      # float32 (D,), entries +-1

    @classmethod
    def from_generator(cls, dim: int, rng: np.random.Generator) -> "SignedPermutation":
        perm = rng.permutation(dim).astype(np.int64)
        signs = np.where(rng.integers(0, 2, size=dim) == 1, 1.0, -1.0).astype(np.float32)
        return cls(perm, np.argsort(perm).astype(np.int64), signs)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return np.take(x, self.perm, axis=-1) * self.signs

    def apply_transpose(self, y: np.ndarray) -> np.ndarray:
        return np.take(y * self.signs, self.inverse, axis=-1)

    def dense(self) -> np.ndarray:
        dim = self.perm.shape[0]
        matrix = np.zeros((dim, dim), dtype=np.float32)
        matrix[np.arange(dim), self.perm] = self.signs
        return matrix


@dataclass(frozen=True, eq=False)
class HaarMatrix:
    """A dense orthogonal matrix drawn from the Haar measure."""

    matrix: np.ndarray     # float32 (D, D)

    @classmethod
    def from_generator(cls, dim: int, rng: np.random.Generator) -> "HaarMatrix":
        gaussian = rng.standard_normal((dim, dim))
        q, r = np.linalg.qr(gaussian)
        q *= np.sign(np.diag(r))  # the sign fix: scale column j by sign(R[j, j])
        return cls(np.ascontiguousarray(q, dtype=np.float32))

    def apply(self, x: np.ndarray) -> np.ndarray:
        return x @ self.matrix.T

    def apply_transpose(self, y: np.ndarray) -> np.ndarray:
        return y @ self.matrix

    def dense(self) -> np.ndarray:
        return self.matrix


@dataclass(frozen=True, eq=False)
class GaussianMatrix:
    """Ablation only: i.i.d. N(0, 1/D) entries, orthogonal in expectation only."""

    matrix: np.ndarray

    @classmethod
    def from_generator(cls, dim: int, rng: np.random.Generator) -> "GaussianMatrix":
        matrix = rng.standard_normal((dim, dim)) / np.sqrt(dim)
        return cls(np.ascontiguousarray(matrix, dtype=np.float32))

    def apply(self, x: np.ndarray) -> np.ndarray:
        return x @ self.matrix.T

    def apply_transpose(self, y: np.ndarray) -> np.ndarray:
        return y @ self.matrix

    def dense(self) -> np.ndarray:
        return self.matrix


_CLASSES = {"signed_perm": SignedPermutation, "haar": HaarMatrix, "gaussian": GaussianMatrix}


def make_role(family: str, namespace: str, dim: int, token: str):
    """The role matrix of ``family`` for ``token``, from its stable seed."""
    try:
        cls = _CLASSES[family]
    except KeyError:
        raise ValueError(
            f"unknown binding family {family!r}; expected one of {', '.join(ROLE_FAMILIES)}"
        ) from None
    return cls.from_generator(dim, stable_generator(namespace, dim, f"role/{family}", token))
