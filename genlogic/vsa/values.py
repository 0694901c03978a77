"""Vectors for JSON leaves: strings, numbers and the literals.

Strings ("soft" symbols)
    lower-cased and split into words (``\\w+``); each word also gives the
    character trigrams of `` word `` (padded with one space each side).  The vector
    is ``normalise(a * sum(words) / sqrt(#words) + b * sum(trigrams) / sqrt(#trigrams))``
    with ``a = word_weight``, ``b = trigram_weight``.  A one-letter typo changes one
    word symbol and about three trigrams, so near spellings stay near; unrelated
    strings share no tokens and are nearly orthogonal.  Case and punctuation are not
    kept (a string with no word characters is one word).  Each distinct word's
    trigram sum is computed once and stored next to its symbol, so a string costs
    two table rows per word.
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

__all__ = ["ValueOptions", "TokenTable", "StringEncoder", "NumberEncoder", "string_words", "word_trigrams"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ValueOptions:
    word_weight: float = 0.5
    trigram_weight: float = 1.0
    number_length_scale: float = 0.25


def string_words(text: str) -> list[str]:
    """Lower-cased words of ``text``; a string without word characters is one word.

    >>> string_words("Ab  c!"), string_words("--")
    (['ab', 'c'], ['--'])
    """
    normal = " ".join(text.lower().split())
    return _WORD.findall(normal) or [normal]


def word_trigrams(word: str) -> list[str]:
    """Character trigrams of `` word `` (one space of padding each side).

    >>> word_trigrams("ab")
    [' ab', 'ab ']
    """
    padded = f" {word} "
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


class TokenTable:
    """Rows of symbol vectors, added on first use.  A word owns two rows: its own
    symbol vector and the sum of its trigram vectors.  ``reset_if_full`` bounds
    memory between batches (rows are recomputed from seeds: results do not change)."""

    def __init__(self, model: MBAT, max_words: int = 100_000):
        self.model = model
        self.max_words = max_words
        self._words: dict[str, int] = {}
        self._table = np.zeros((2048, model.dim), dtype=np.float32)
        self._trigrams: dict[str, np.ndarray] = {}

    @property
    def table(self) -> np.ndarray:
        return self._table[:2 * len(self._words)]

    def reset_if_full(self) -> bool:
        if len(self._words) <= self.max_words:
            return False
        self._words.clear()
        return True

    def word_rows(self, words: list[str]) -> list[int]:
        """Row of each word's symbol vector (its trigram sum is the next row)."""
        known = self._words
        found = [known.get(word) for word in words]
        if None in found:
            for position, word in enumerate(words):
                if found[position] is None:
                    found[position] = known.get(word)
                    if found[position] is None:
                        found[position] = known[word] = self._append(word)
        return found

    def _trigram(self, trigram: str) -> np.ndarray:
        vector = self._trigrams.get(trigram)
        if vector is None:
            if len(self._trigrams) >= 4 * self.max_words:
                self._trigrams.clear()
            vector = self._trigrams[trigram] = self.model.fresh_vector("trigram", trigram)
        return vector

    def _append(self, word: str) -> int:
        row = 2 * len(self._words)
        if row + 2 > self._table.shape[0]:
            grown = np.zeros((2 * self._table.shape[0], self.model.dim), dtype=np.float32)
            grown[:row] = self._table[:row]
            self._table = grown
        self._table[row] = self.model.fresh_vector("word", word)
        trigram_sum = self._table[row + 1]
        trigram_sum[:] = 0.0
        for trigram in word_trigrams(word):
            trigram_sum += self._trigram(trigram)
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
        """Table rows and weights whose weighted sum is the (unnormalised) vector."""
        entry = self._cache.get(text)
        if entry is None:
            words = string_words(text)
            rows = self.tokens.word_rows(words)
            trigram_count = sum(len(word) + 1 for word in words)  # len(" w ") - 2
            word_weight = self.options.word_weight / math.sqrt(len(words))
            trigram_weight = self.options.trigram_weight / math.sqrt(trigram_count)
            entry = (rows + [row + 1 for row in rows],
                     [word_weight] * len(rows) + [trigram_weight] * len(rows))
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
        self._frequencies = (rng.standard_normal(pairs) / options.number_length_scale).astype(np.float32)
        self._phases = rng.uniform(0.0, 2.0 * np.pi, size=pairs).astype(np.float32)
        self._scale = np.float32(1.0 / math.sqrt(pairs))

    @staticmethod
    def position(values: np.ndarray) -> np.ndarray:
        return np.sign(values) * np.log1p(np.abs(values))

    def encode_many(self, values) -> np.ndarray:
        values = np.asarray(values, dtype=np.float64)
        out = np.zeros((values.shape[0], self.model.dim), dtype=np.float32)
        if values.shape[0] == 0:
            return out
        pairs = self._frequencies.shape[0]
        positions = self.position(values).astype(np.float32)
        angles = positions[:, None] * self._frequencies
        angles += self._phases
        np.cos(angles, out=out[:, :pairs])
        np.sin(angles, out=out[:, pairs:2 * pairs])
        out *= self._scale  # cos^2 + sin^2 = 1 per pair: rows are unit already
        return out
