"""Vectors for JSON leaves: strings, numbers and the literals.

Strings ("soft" symbols)
    lower-cased and split into words (``\\w+``); each word also gives the
    character trigrams of `` word `` (padded with one space each side).  The vector
    is ``normalise(a * sum(words) / sqrt(#words) + b * sum(trigrams) / sqrt(#trigrams))``
    with ``a = word_weight``, ``b = trigram_weight``.  A one-letter typo changes one
    word symbol and about three trigrams, so near spellings stay near; unrelated
    strings share no tokens and are nearly orthogonal.  Case and punctuation are not
    kept (a string with no word characters is one word).  Each word's trigram signs
    are added as integers before they are scaled and weighted.
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

Word and trigram symbols live in a :class:`TokenTable` as int8 sign rows (a
byte per entry, drawn in one batch for all new words), and each distinct string
keeps its word numbers and weights, so the strings of a batch become vectors in
one :func:`~genlogic.vsa.kernels.string_vectors` call.  This module does not
handle objects, arrays or roles (see ``json_encoder``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .kernels import string_vectors
from .model import MBAT

__all__ = ["ValueOptions", "TokenTable", "StringEncoder", "NumberEncoder", "string_words", "word_trigrams"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ValueOptions:
    word_weight: float = 0.5
    trigram_weight: float = 1.0
    number_length_scale: float = 0.25


def string_words(text: str) -> list[str]:
    """Lower-cased words of ``text``; a string without word characters is one word
    (its whitespace runs collapsed to single spaces).

    >>> string_words("Ab  c!"), string_words("--"), string_words(" - -")
    (['ab', 'c'], ['--'], ['- -'])
    """
    lowered = text.lower()
    return _WORD.findall(lowered) or [" ".join(lowered.split())]


def word_trigrams(word: str) -> list[str]:
    """Character trigrams of `` word `` (one space of padding each side).

    >>> word_trigrams("ab")
    [' ab', 'ab ']
    """
    padded = f" {word} "
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


class TokenTable:
    """The sign rows of word and trigram symbols, added on first use, and each word's
    list of trigrams.

    Symbol vectors are ``scale * signs`` (see :meth:`MBAT.symbol_signs`), so a row
    is stored as int8 signs: a byte per entry.  A new word gets its number at once;
    :meth:`fill_new_rows` then draws the rows of all words (and trigrams) added since
    its last call together.  ``reset_if_full`` bounds memory between batches (rows
    are recomputed from seeds: results do not change).
    """

    def __init__(self, model: MBAT, max_words: int = 100_000):
        self.model = model
        self.max_words = max_words
        self._words: dict[str, int] = {}
        self._new_words: list[str] = []  # the last words of the table, rows not yet filled
        self._word_signs = np.zeros((1024, model.dim), dtype=np.int8)
        self._trigram_ptr = np.zeros(1025, dtype=np.int64)  # word w: ids[ptr[w]:ptr[w + 1]]
        self._trigram_ids = np.zeros(8192, dtype=np.int64)
        self._trigrams: dict[str, int] = {}
        self._trigram_signs = np.zeros((1024, model.dim), dtype=np.int8)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Word signs, trigram signs, trigram pointers and trigram ids, as
        :func:`~genlogic.vsa.kernels.string_vectors` takes them."""
        words = len(self._words)
        return (self._word_signs[:words], self._trigram_signs[:len(self._trigrams)],
                self._trigram_ptr[:words + 1], self._trigram_ids[:self._trigram_ptr[words]])

    def reset_if_full(self) -> bool:
        """Forget every word and trigram once there are more than ``max_words``
        words or ``4 * max_words`` trigrams; True when they were forgotten."""
        if len(self._words) <= self.max_words and len(self._trigrams) <= 4 * self.max_words:
            return False
        self._words.clear()
        self._new_words.clear()
        self._trigrams.clear()
        return True

    def word_ids(self, words: list[str]) -> list[int]:
        """The number of each word (its row in the word table)."""
        known = self._words
        found = [known.get(word) for word in words]
        if None in found:
            for position, word in enumerate(words):
                if found[position] is None:
                    found[position] = known.get(word)
                    if found[position] is None:
                        found[position] = known[word] = len(known)
                        self._new_words.append(word)
        return found

    def fill_new_rows(self) -> None:
        """Draw the sign rows and list the trigrams of the words added since the last
        call (one hash per new word or trigram, one table look-up per kind)."""
        words = self._new_words
        if not words:
            return
        self._new_words = []
        stop = len(self._words)
        first = stop - len(words)
        self._word_signs = _with_capacity(self._word_signs, stop)
        self._word_signs[first:stop] = self.model.symbol_signs("word", words)
        known = self._trigrams
        new_trigrams: list[str] = []
        ids: list[int] = []
        lengths: list[int] = []
        for word in words:
            trigrams = word_trigrams(word)
            for trigram in trigrams:
                row = known.get(trigram)
                if row is None:
                    row = known[trigram] = len(known)
                    new_trigrams.append(trigram)
                ids.append(row)
            lengths.append(len(trigrams))
        if new_trigrams:
            self._trigram_signs = _with_capacity(self._trigram_signs, len(known))
            self._trigram_signs[len(known) - len(new_trigrams):len(known)] = (
                self.model.symbol_signs("trigram", new_trigrams))
        self._trigram_ptr = _with_capacity(self._trigram_ptr, stop + 1)
        start = self._trigram_ptr[first]
        self._trigram_ptr[first + 1:stop + 1] = start + np.cumsum(lengths)
        self._trigram_ids = _with_capacity(self._trigram_ids, start + len(ids))
        self._trigram_ids[start:start + len(ids)] = ids


def _with_capacity(array: np.ndarray, length: int) -> np.ndarray:
    """``array``, or a copy at least ``length`` long (doubling) when it is shorter."""
    if length <= array.shape[0]:
        return array
    grown = np.zeros((max(length, 2 * array.shape[0]),) + array.shape[1:], dtype=array.dtype)
    grown[:array.shape[0]] = array
    return grown


class StringEncoder:
    """Unit vectors of non-empty strings, many at a time.

    Each string's word numbers and two weights are cached (in tuples, which the
    garbage collector soon stops tracking), so a string seen before costs a
    dictionary look-up and a few list appends before the one
    :func:`~genlogic.vsa.kernels.string_vectors` call.
    """

    def __init__(self, model: MBAT, options: ValueOptions, cache_size: int = 100_000):
        self.model = model
        self.options = options
        self.tokens = TokenTable(model)
        self._cache: dict[str, tuple[tuple[int, ...], float, float]] = {}
        self._cache_size = cache_size

    def _entry(self, text: str) -> tuple[tuple[int, ...], float, float]:
        """Word numbers, word weight and trigram weight of ``text``."""
        words = string_words(text)
        trigram_count = sum(map(len, words)) + len(words)  # len(" w ") - 2 per word
        entry = (tuple(self.tokens.word_ids(words)),
                 self.options.word_weight / math.sqrt(len(words)),
                 self.options.trigram_weight / math.sqrt(trigram_count))
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[text] = entry
        return entry

    def encode_many(self, texts: list[str], out: np.ndarray | None = None,
                    rows: Sequence[int] | None = None) -> np.ndarray:
        """The unit vector of each text: a new ``(n, D)`` array, or written into
        rows ``rows`` of ``out`` (which is returned)."""
        if self.tokens.reset_if_full():
            self._cache.clear()
        cache = self._cache
        indptr = [0]
        words: list[int] = []
        word_weights: list[float] = []
        trigram_weights: list[float] = []
        for text in texts:
            entry = cache.get(text)
            if entry is None:
                entry = self._entry(text)
            words += entry[0]
            word_weights.append(entry[1])
            trigram_weights.append(entry[2])
            indptr.append(len(words))
        self.tokens.fill_new_rows()
        if out is None:
            out = np.empty((len(texts), self.model.dim), dtype=np.float32)
            rows = range(len(texts))
        return string_vectors(*self.tokens.arrays(), self.model.symbol_scale, indptr, words,
                              word_weights, trigram_weights, out, rows)


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
