"""A run's proved theorems as a read-only collection named ``theorems``.

``load_theorems(DIR)`` reads ``DIR/proof_graph.json`` and makes one point per
theorem: the id is the theorem's id (``"T112"``), the payload its ``id``, ``mpl``,
``readable``, ``method``, ``origin``, ``dependencies`` and ``essential`` fields (not
the proof steps), and the vector the MBAT encoding of its MPL statement
(:meth:`~genlogic.vsa.Encoder.encode_mpl`), so alpha-equivalent statements score 1.

A search names a ``statement``.  Text that starts with ``(`` or ``!`` is MPL and
must parse; anything else is taken as readable form (``∀a b. a * b = b * a``).
There is no parser for readable form, so a readable statement is looked up among
the theorems' own readable texts, both sides with their quantified variables
renamed in binding order (:func:`canonical_readable`): on a match the search
runs with that theorem's MPL vector; otherwise it compares the text, as a soft
string vector, with every theorem's readable text.  The collection lives in memory
only and is rebuilt from DIR at each start; it is never written to the database.
"""

from __future__ import annotations

import json
import os
import re

import numpy as np

from genlogic.mpl.errors import MPLError
from genlogic.mpl.parser import parse_expr

from .engine import Collection
from .validation import ApiError

__all__ = ["TheoremCollection", "load_theorems", "TheoremsError", "COLLECTION_NAME"]

COLLECTION_NAME = "theorems"
_TOKEN = re.compile(r"\w+|\S")
PAYLOAD_FIELDS = ("id", "mpl", "readable", "method", "origin", "dependencies", "essential")


class TheoremsError(Exception):
    """The run directory cannot be served (missing or malformed proof graph)."""


def canonical_readable(text: str) -> str:
    """Readable text with quantified variables renamed in order of binding.

    >>> canonical_readable("∀x y. x * y = y * x") == canonical_readable("∀a b.  a * b = b * a")
    True
    """
    names: dict[str, str] = {}
    binding = False
    out = []
    for token in _TOKEN.findall(text):
        if token in ("∀", "∃"):
            binding = True
        elif token == ".":
            binding = False
        elif binding and token not in names and (token[0].isalnum() or token[0] == "_"):
            names[token] = f"v{len(names)}"
        out.append(names.get(token, token))
    return " ".join(out)


class TheoremCollection(Collection):
    """Proved theorems searchable by MPL statement (and, as a fallback, readable text)."""

    encoding = "mpl"

    def __init__(self, theorems: list[dict], dim: int = 1024, backend: str | None = None):
        super().__init__(COLLECTION_NAME, dim, read_only=True, backend=backend)
        self.source = ""
        self._by_readable: dict[str, int] = {}
        if not theorems:
            self._text_vectors = np.zeros((0, dim), np.float32)
            return
        vectors = np.stack([self.encoder.encode_mpl(parse_expr(t["mpl"], f"theorem {t['id']}"))
                            for t in theorems]).astype(np.float32)
        payloads = [{name: t[name] for name in PAYLOAD_FIELDS if name in t} for t in theorems]
        ids = [t["id"] for t in theorems]
        self.apply_upsert([json.dumps(i) for i in ids], ids, payloads, vectors)
        self._text_vectors = self.encoder.encode_batch(
            [canonical_readable(t["readable"]) for t in theorems]).astype(np.float32)
        for row, theorem in enumerate(theorems):
            self._by_readable.setdefault(canonical_readable(theorem["readable"]), row)

    def space(self, name: str) -> np.ndarray:
        return self._text_vectors if name == "readable" else super().space(name)

    def statement_query(self, statement: str) -> tuple[np.ndarray, str, str]:
        """(query vector, space to search, "mpl" or "readable") for a statement."""
        text = statement.strip()
        if not text:
            raise ApiError(400, "statement: empty statement")
        if text[0] in "(!":
            try:
                expr = parse_expr(text, "statement")
            except MPLError as exc:
                raise ApiError(400, f"statement is not valid MPL: {exc}") from None
            with self.encoder_lock:
                return self.encoder.encode_mpl(expr), "vector", "mpl"
        row = self._by_readable.get(canonical_readable(text))
        if row is not None:
            return self._vectors[row].copy(), "vector", "readable"
        with self.encoder_lock:
            return self.encoder.encode(canonical_readable(text)), "readable", "readable text"


def load_theorems(directory: str, dim: int = 1024, backend: str | None = None) -> TheoremCollection:
    """The ``theorems`` collection of the run in ``directory``."""
    path = os.path.join(directory, "proof_graph.json")
    try:
        with open(path, "r", encoding="utf-8") as handle:
            graph = json.load(handle)
    except FileNotFoundError:
        raise TheoremsError(f"{directory}: no proof_graph.json there") from None
    except (OSError, ValueError) as exc:
        raise TheoremsError(f"{path}: cannot read the proof graph: {exc}") from None
    theorems = graph.get("theorems") if isinstance(graph, dict) else None
    if not isinstance(theorems, list):
        raise TheoremsError(f"{path}: no list of theorems")
    seen = set()
    for position, theorem in enumerate(theorems):
        if not (isinstance(theorem, dict) and isinstance(theorem.get("id"), str)
                and isinstance(theorem.get("mpl"), str) and isinstance(theorem.get("readable"), str)):
            raise TheoremsError(f"{path}: theorems[{position}] lacks a string id, mpl or readable")
        if theorem["id"] in seen:
            raise TheoremsError(f"{path}: theorem id {theorem['id']!r} appears twice")
        seen.add(theorem["id"])
    try:
        collection = TheoremCollection(theorems, dim=dim, backend=backend)
    except MPLError as exc:
        raise TheoremsError(f"{path}: {exc}") from None
    collection.source = os.path.abspath(directory)
    return collection
