"""A run's proved theorems as a read-only collection named ``theorems``, searched by meaning.

``load_theorems(DIR)`` reads ``DIR/proof_graph.json`` and makes one point per
theorem: the id is the theorem's id (``"T112"``), the payload its ``id``, ``mpl``,
``readable``, ``method``, ``origin``, ``dependencies`` and ``essential`` fields (not
the proof steps), and the vector the MBAT encoding of its MPL statement
(:meth:`~genlogic.vsa.Encoder.encode_mpl`), so alpha-equivalent statements score 1.

A statement search (:meth:`TheoremCollection.statement_search`) takes MPL or the
readable form (``a + b = b + a``, read with the run's theory by
:func:`genlogic.mpl.infix.parse_statement`) and ranks by meaning first: the theorems
with the statement's :func:`~genlogic.mpl.meaning.meaning_key` (the same law up to
renaming and the way an operator's value is written) come first with score 1, then
the others by MBAT cosine, as ``genlogic similar`` does.  A statement that does not
parse is a 400 naming the position.  The theory is found as ``genlogic verify`` finds
it (:func:`genlogic.mpl.locate.locate_theory`); when it cannot be found, readable
text is understood only when it is some theorem's own readable text (up to the
names of quantified variables, :func:`canonical_readable`), and anything else is a
400 that says so.  The collection lives in memory only and is rebuilt from DIR at
each start; it is never written to the database.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from genlogic.mpl.errors import MPLError
from genlogic.mpl.infix import is_mpl_text, parse_statement
from genlogic.mpl.locate import LocateError, hash_matches, locate_theory
from genlogic.mpl.meaning import meaning_key
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.signature import derive_signature

from .engine import Collection, Hit
from .filters import Filter
from .validation import ApiError

__all__ = ["TheoremCollection", "load_theorems", "TheoremsError", "COLLECTION_NAME", "canonical_readable"]

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
    """Proved theorems searchable by statement: same meaning first, then MBAT cosine."""

    encoding = "mpl"

    def __init__(self, theorems: list[dict], dim: int = 1024, backend: str | None = None,
                 signature=None, signature_note: str = "the run's theory was not given"):
        super().__init__(COLLECTION_NAME, dim, read_only=True, backend=backend)
        self.source = ""
        self.signature = signature
        self.signature_note = signature_note
        self._statements = [parse_expr(t["mpl"], f"theorem {t['id']}") for t in theorems]
        self._by_meaning: dict[Any, list[int]] = {}
        self._by_readable: dict[str, int] = {}
        for row, statement in enumerate(self._statements):
            self._by_meaning.setdefault(meaning_key(statement), []).append(row)
            self._by_readable.setdefault(canonical_readable(theorems[row]["readable"]), row)
        if theorems:
            vectors = np.stack([self.encoder.encode_mpl(s) for s in self._statements]).astype(np.float32)
            payloads = [{name: t[name] for name in PAYLOAD_FIELDS if name in t} for t in theorems]
            ids = [t["id"] for t in theorems]
            self.apply_upsert([json.dumps(i) for i in ids], ids, payloads, vectors)

    def statement(self, text: str) -> tuple[Any, str]:
        """(MPL expression, "mpl" or "readable") for a statement; 400 if it cannot be read."""
        text = text.strip()
        if not text:
            raise ApiError(400, "statement: empty statement")
        if is_mpl_text(text):
            try:
                return parse_expr(text, "statement"), "mpl"
            except MPLError as exc:
                raise ApiError(400, f"statement is not valid MPL: {exc}") from None
        if self.signature is None:
            row = self._by_readable.get(canonical_readable(text))
            if row is None:
                raise ApiError(400, f"statement: readable statements need the run's theory, and "
                                    f"{self.signature_note}; give the statement in MPL")
            return self._statements[row], "readable"
        try:
            return parse_statement(text, self.signature), "readable"
        except MPLError as exc:
            raise ApiError(400, f"statement is not valid MPL or readable form: {exc}") from None
        except RecursionError:
            raise ApiError(400, "statement: nested too deeply") from None

    def statement_search(self, text: str, limit: int, where: Filter | None,
                         score_threshold: float | None = None, offset: int = 0) -> tuple[list[Hit], str]:
        """The theorems nearest to a statement, and the form it was read in.

        Caller holds ``self.lock``; the statement is parsed and encoded here because
        the collection never changes (it is read-only)."""
        expr, form = self.statement(text)
        with self.encoder_lock:
            query = self.encoder.encode_mpl(expr).astype(np.float32)
        allowed = self.matching_rows(where)
        same = self._by_meaning.get(meaning_key(expr), [])
        if allowed is not None:
            passing = set(allowed.tolist())
            same = [row for row in same if row in passing]
        rows, scores = self.nearest_rows(query, offset + limit + len(same), where)
        ranked = [(row, 1.0) for row in same]
        ranked += [(row, score) for row, score in zip(rows, scores) if row not in same]
        hits = [self.hit(row, score) for row, score in ranked[offset:offset + limit]
                if score_threshold is None or score >= score_threshold]
        return hits, form


def _signature(graph: dict, directory: str) -> tuple[Any, str]:
    """(the derived signature of the graph's theory or None, why it is missing)."""
    reference = graph.get("theory")
    if not isinstance(reference, dict):
        return None, "the proof graph names no theory"
    try:
        found = locate_theory(reference, Path(directory).resolve())
    except LocateError as exc:
        return None, f"it was not found ({exc})"
    source_hash = reference.get("source_hash")
    if not hash_matches(found.theory, source_hash if isinstance(source_hash, str) else None,
                        "files" in reference):
        return None, "the theory file found is not the one the run was made from"
    anchor = reference.get("anchor")
    try:
        return derive_signature(found.theory, anchor if isinstance(anchor, str) else None), ""
    except MPLError as exc:
        return None, f"its signature cannot be derived ({exc.message})"


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
    signature, note = _signature(graph, directory)
    try:
        collection = TheoremCollection(theorems, dim=dim, backend=backend, signature=signature,
                                       signature_note=note)
    except MPLError as exc:
        raise TheoremsError(f"{path}: {exc}") from None
    collection.source = os.path.abspath(directory)
    return collection
