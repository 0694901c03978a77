"""Stable seeds: the same (namespace, dimension, kind, token) gives the same random
stream in every process, on every run.

A seed is the BLAKE2b digest of the four fields, each written as UTF-8 with a
length prefix (so ``("ab", "c")`` and ``("a", "bc")`` never collide).  The digest
feeds numpy's ``SeedSequence`` and a PCG64 generator, whose output numpy keeps
stable across releases.  Python's ``hash()`` is never used: it is salted per
process (``PYTHONHASHSEED``) and would make vectors differ between runs.

This module only derives generators.  It does not cache anything and knows
nothing about what the random numbers become (vectors, permutations, matrices).
"""

from __future__ import annotations

import hashlib
from typing import Iterable

import numpy as np

__all__ = ["stable_seed", "stable_generator", "stable_bytes_many"]


def _field(value: str) -> bytes:
    data = value.encode("utf-8")
    return len(data).to_bytes(8, "big") + data


def stable_seed(namespace: str, dim: int, kind: str, token: str) -> int:
    """A 256-bit integer seed from a cryptographic hash of the four fields.

    >>> stable_seed("ns", 8, "vector", "x") == stable_seed("ns", 8, "vector", "x")
    True
    >>> stable_seed("ns", 8, "vector", "x") == stable_seed("ns", 16, "vector", "x")
    False
    """
    hasher = hashlib.blake2b(digest_size=32, person=b"genlogic.vsa")
    for part in (namespace, str(int(dim)), kind, token):
        hasher.update(_field(part))
    return int.from_bytes(hasher.digest(), "big")


def stable_bytes_many(namespace: str, dim: int, kind: str, tokens: Iterable[str], count: int) -> bytes:
    """``count`` pseudo-random bytes per token, concatenated, from SHAKE-256 (an
    extendable-output cryptographic hash) of the four fields.  No generator to
    build, so it is the fast path for the many symbol vectors a batch of new
    documents needs; the hash state after the three shared fields is computed once
    and copied for each token.

    >>> both = stable_bytes_many("ns", 8, "v", ["x", "y"], 4)
    >>> len(both), both[:4] == stable_bytes_many("ns", 8, "v", ["x"], 4)
    (8, True)
    """
    shared = hashlib.shake_256(b"genlogic.vsa")
    for part in (namespace, str(int(dim)), kind):
        shared.update(_field(part))
    digests = []
    for token in tokens:
        hasher = shared.copy()
        hasher.update(_field(token))
        digests.append(hasher.digest(count))
    return b"".join(digests)


def stable_generator(namespace: str, dim: int, kind: str, token: str) -> np.random.Generator:
    """A numpy Generator seeded by :func:`stable_seed`."""
    seed = stable_seed(namespace, dim, kind, token)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
