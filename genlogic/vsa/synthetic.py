"""Generated JSON documents and noisy copies of them, for tests and benchmarks.

``generate_documents(n, seed)`` makes person-like records (names, numbers, tags,
a nested address, booleans, free text) from pseudo-word vocabularies, all from a
``random.Random(seed)``, so the same call gives the same documents everywhere.
``noisy_query(document, rng)`` copies a document, drops 20% of its top-level
fields, replaces one remaining value by a fresh one of the same kind and puts a
one-character typo into up to two strings.  ``recall_at`` scores a search result.

Nothing here is used by the encoders themselves.
"""

from __future__ import annotations

import copy
import math
import random
import string
from typing import Any, Sequence

__all__ = ["generate_documents", "noisy_query", "recall_at"]

_CONSONANTS = "bcdfghjklmnprstvwz"
_VOWELS = "aeiou"


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(syllables))


def _vocabulary(rng: random.Random, size: int, low: int, high: int) -> list[str]:
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = _word(rng, rng.randint(low, high))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class _Vocabularies:
    def __init__(self, seed: int):
        rng = random.Random(f"vocabulary/{seed}")
        self.first = [w.capitalize() for w in _vocabulary(rng, 400, 2, 3)]
        self.last = [w.capitalize() for w in _vocabulary(rng, 2000, 2, 4)]
        self.city = [w.capitalize() for w in _vocabulary(rng, 300, 2, 4)]
        self.country = [w.capitalize() for w in _vocabulary(rng, 40, 2, 3)]
        self.tags = _vocabulary(rng, 120, 2, 3)
        self.words = _vocabulary(rng, 800, 1, 3)
        self.titles = ["engineer", "analyst", "manager", "designer", "director", "clerk",
                       "nurse", "teacher", "chemist", "pilot", "architect", "editor"]


def _field_value(name: str, rng: random.Random, vocab: _Vocabularies) -> Any:
    if name == "name":
        return f"{rng.choice(vocab.first)} {rng.choice(vocab.last)}"
    if name == "email":
        return f"{_word(rng, 3)}.{_word(rng, 2)}@{rng.choice(vocab.words)}.com"
    if name == "age":
        return rng.randint(18, 90)
    if name == "city":
        return rng.choice(vocab.city)
    if name == "country":
        return rng.choice(vocab.country)
    if name == "tags":
        return rng.sample(vocab.tags, rng.randint(1, 4))
    if name == "address":
        return {"street": f"{rng.choice(vocab.words).capitalize()} street",
                "number": rng.randint(1, 999), "zip": f"{rng.randint(0, 99999):05d}"}
    if name == "balance":
        return round(rng.uniform(0, 100000), 2)
    if name == "active":
        return rng.random() < 0.5
    if name == "company":
        return f"{rng.choice(vocab.words).capitalize()} {rng.choice(['Ltd', 'Inc', 'Group', 'Labs'])}"
    if name == "title":
        return rng.choice(vocab.titles)
    if name == "notes":
        return " ".join(rng.choice(vocab.words) for _ in range(rng.randint(3, 7)))
    if name == "phone":
        return "".join(rng.choice(string.digits) for _ in range(10))
    if name == "manager":
        return None if rng.random() < 0.3 else f"{rng.choice(vocab.first)} {rng.choice(vocab.last)}"
    raise KeyError(name)


FIELDS = ("name", "email", "age", "city", "country", "tags", "address", "balance",
          "active", "company", "title", "notes", "phone", "manager")


def generate_documents(n: int, seed: int = 0) -> list[dict]:
    """``n`` person-like JSON records, deterministic in ``seed``."""
    vocab = _Vocabularies(seed)
    rng = random.Random(f"documents/{seed}")
    documents = []
    for _ in range(n):
        fields = [f for f in FIELDS if f in ("name", "email") or rng.random() < 0.9]
        documents.append({f: _field_value(f, rng, vocab) for f in fields})
    return documents


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.choice(("swap", "drop", "replace", "insert"))
    if kind == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == "drop":
        return text[:i] + text[i + 1:]
    letter = rng.choice(string.ascii_lowercase)
    if kind == "replace":
        return text[:i] + letter + text[i + 1:]
    return text[:i] + letter + text[i:]


def noisy_query(document: dict, rng: random.Random, seed: int = 0,
                drop_fraction: float = 0.2, typos: int = 2) -> dict:
    """A damaged copy of ``document`` (see the module docstring)."""
    vocab = _Vocabularies(seed)
    query = copy.deepcopy(document)
    keys = sorted(query)
    for key in rng.sample(keys, int(math.floor(drop_fraction * len(keys) + 0.5))):
        del query[key]
    remaining = sorted(query)
    if remaining:
        changed = rng.choice(remaining)
        query[changed] = _field_value(changed, rng, vocab)
        strings = [k for k in sorted(query) if k != changed and isinstance(query[k], str)]
        for key in rng.sample(strings, min(typos, len(strings))):
            query[key] = _typo(query[key], rng)
    return query


def recall_at(result_ids: Sequence[Sequence[Any]], truth: Sequence[Any], k: int) -> float:
    """Fraction of queries whose true id is among the first ``k`` results."""
    hits = sum(1 for ids, want in zip(result_ids, truth) if want in list(ids)[:k])
    return hits / max(1, len(truth))
