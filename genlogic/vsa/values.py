"""Vectors for JSON leaves: strings, numbers and the literals.

Strings ("soft" symbols)
    lower-cased, whitespace collapsed, then split into words (``\\w+``) and into
    character trigrams of `` text `` (padded with one space each side).  The vector
    is ``normalise(a * sum(words) / sqrt(#words) + b * sum(trigrams) / sqrt(#trigrams))``
    with ``a = word_weight``, ``b = trigram_weight``.  A one-letter typo changes the
    word part and about three trigrams, so near spellings stay near; unrelated
    strings share no tokens and are nearly orthogonal.  Case is not kept.
Numbers (smooth)
    ``t = sign(x) * log1p(|x|)`` and random Fourier features of ``t``:
    ``[cos(w t + p), sin(w t + p)] / sqrt(D/2)`` with ``w ~ N(0, 1/l^2)`` and
    ``p ~ U(0, 2 pi)`` drawn once from the stable seed.  The inner product of two
    such vectors is about ``exp(-(t1 - t2)^2 / (2 l^2))``: with ``l = 0.25``,
    100 vs 102 gives ~0.997 and 100 vs 200 ~0.02.  The scale is relative for large
    magnitudes and absolute near zero.  NaN and infinities are literals.
Literals
    ``null``, ``true``, ``false``, the empty object, the empty array, the empty
    string, ``nan``, ``inf``, ``-inf``: one random symbol vector each.

Word and trigram vectors live in a :class:`TokenTable` (one row per token) so
that many strings are summed in one :func:`~genlogic.vsa.kernels.gather_sum`.
This module does not handle objects, arrays or roles (see ``json_encoder``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .kernels import gather_sum
from .model import MBAT, normalize_rows

__all__ = ["ValueOptions", "TokenTable", "StringEncoder", "NumberEncoder", "string_tokens"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ValueOptions:
    word_weight: float = 0.5
    trigram_weight: float = 1.0
    number_length_scale: float = 0.25


def string_tokens(text: str) -> tuple[list[str], list[str]]:
    """Words and padded character trigrams of ``text`` (lower-cased).

    >>> string_tokens("Ab  c")
    (['ab', 'c'], [' ab', 'ab ', 'b c', ' c '])
    """
    normal = " ".join(text.lower().split())
    padded = f" {normal} "
    return _WORD.findall(normal), [padded[i:i + 3] for i in range(len(padded) - 2)]


class TokenTable:
    """Rows of token vectors, added on first use.  ``reset_if_full`` bounds memory
    between batches (rows are recomputed from their seeds, so results do not change)."""

    def __init__(self, model: MBAT, max_rows: int = 200_000):
        self.model = model
        self.max_rows = max_rows
        self._size = 0
        self._rows: dict[str, dict[str, int]] = {}
        self._table = np.zeros((1024, model.dim), dtype=np.float32)

    @property
    def table(self) -> np.ndarray:
        return self._table[:self._size]

    def reset_if_full(self) -> bool:
        if self._size <= self.max_rows:
            return False
        self._rows.clear()
        self._size = 0
        return True

    def rows(self, kind: str, tokens: list[str]) -> list[int]:
        """The table rows of ``tokens``, creating missing ones."""
        known = self._rows.setdefault(kind, {})
        found = [known.get(token) for token in tokens]
        if None in found:
            for position, token in enumerate(tokens):
                if found[position] is None:
                    found[position] = known.get(token)
                    if found[position] is None:
                        found[position] = known[token] = self._append(kind, token)
        return found

    def _append(self, kind: str, token: str) -> int:
        row = self._size
        if row >= self._table.shape[0]:
            grown = np.zeros((2 * self._table.shape[0], self.model.dim), dtype=np.float32)
            grown[:row] = self._table[:row]
            self._table = grown
        self._table[row] = self.model.fresh_vector(kind, token)
        self._size += 1
        return row


class StringEncoder:
    """Unit vectors of non-empty strings, many at a time."""

    def __init__(self, model: MBAT, options: ValueOptions, cache_size: int = 100_000):
        self.model = model
        self.options = options
        self.tokens = TokenTable(model)
        self._cache: dict[str, tuple[list[int], list[float]]] = {}
        self._cache_size = cache_size

    def _entries(self, text: str) -> tuple[list[int], list[float]]:
        entry = self._cache.get(text)
        if entry is None:
            words, trigrams = string_tokens(text)
            rows = self.tokens.rows("word", words) + self.tokens.rows("trigram", trigrams)
            weights = []
            if words:
                weights += [self.options.word_weight / math.sqrt(len(words))] * len(words)
            weights += [self.options.trigram_weight / math.sqrt(len(trigrams))] * len(trigrams)
            entry = (rows, weights)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[text] = entry
        return entry

    def encode_many(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.model.dim), dtype=np.float32)
        if self.tokens.reset_if_full():
            self._cache.clear()
        indptr = [0]
        rows: list[int] = []
        weights: list[float] = []
        for text in texts:
            entry_rows, entry_weights = self._entries(text)
            rows += entry_rows
            weights += entry_weights
            indptr.append(len(rows))
        out = gather_sum(self.tokens.table, np.asarray(indptr), np.asarray(rows),
                         np.asarray(weights, dtype=np.float32))
        return normalize_rows(out)


class NumberEncoder:
    """Unit vectors of finite numbers by random Fourier features of a log scale."""

    def __init__(self, model: MBAT, options: ValueOptions):
        from .seeding import stable_generator
        self.model = model
        pairs = model.dim // 2
        rng = stable_generator(model.namespace, model.dim, "number-features", "rff")
        self._frequencies = rng.standard_normal(pairs) / options.number_length_scale
        self._phases = rng.uniform(0.0, 2.0 * np.pi, size=pairs)

    @staticmethod
    def position(values: np.ndarray) -> np.ndarray:
        return np.sign(values) * np.log1p(np.abs(values))

    def encode_many(self, values) -> np.ndarray:
        values = np.asarray(values, dtype=np.float64)
        out = np.zeros((values.shape[0], self.model.dim), dtype=np.float32)
        if values.shape[0] == 0:
            return out
        pairs = self._frequencies.shape[0]
        angles = self.position(values)[:, None] * self._frequencies + self._phases
        angles = np.remainder(angles, 2.0 * np.pi).astype(np.float32)  # exact phase, then fast trig
        np.cos(angles, out=out[:, :pairs])
        np.sin(angles, out=out[:, pairs:2 * pairs])
        return normalize_rows(out)
