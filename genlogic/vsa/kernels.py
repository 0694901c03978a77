"""Numeric kernels, each as a numba function and a plain numpy twin.

Three kernels carry the heavy loops of the VSA layer:

``topk_inner_product(database, queries, k)``
    For each query row, the ``k`` database rows with the largest inner product,
    best first; equal scores are ordered by row number (lower first), so both
    implementations return the same rows whenever their scores agree.
``gather_sum(table, indptr, indices, weights)``
    Row ``r`` of the result is ``sum(weights[p] * table[indices[p]])`` over
    ``p in indptr[r]:indptr[r+1]`` (a CSR matrix times a dense table).  The string
    encoder uses it to add up word and trigram vectors.
``bind_accumulate(vectors, ...)``
    Fills the inner nodes of encoded JSON trees: each parent row becomes the
    normalised sum of its children bound by signed permutations (see the function's
    docstring for the exact layout).  Used for the ``signed_perm`` family.

The numba versions (``*_numba``) run compiled and in parallel (for eight or more
queries top-k lets BLAS compute blocks of scores and selects in numba); the twins
(``*_python``) are short numpy code that states what the kernel computes.  Tests
run both and require equal answers.  Which one runs is chosen per call:
``backend="numba"`` or ``"python"``, or, when not given, the environment variable
``GENLOGIC_BACKEND`` (``python`` forces the twins; default ``numba``).

Summation order differs between the two (numba may vectorise), so float scores
agree to rounding, not bit for bit; on integer-valued data they agree exactly.
This module knows nothing about vectors' meaning, indexes or encoders.
"""

from __future__ import annotations

import os

import numpy as np
from numba import njit, prange

__all__ = [
    "BACKENDS", "resolve_backend", "topk_inner_product", "gather_sum",
    "topk_inner_product_numba", "topk_inner_product_python",
    "gather_sum_numba", "gather_sum_python",
    "bind_accumulate", "bind_accumulate_numba", "bind_accumulate_python",
]

BACKENDS = ("numba", "python")


def resolve_backend(backend: str | None = None) -> str:
    """The backend to use: the argument, else ``$GENLOGIC_BACKEND``, else numba."""
    name = backend if backend is not None else os.environ.get("GENLOGIC_BACKEND", "") or "numba"
    name = name.strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"unknown backend {name!r}; expected one of {', '.join(BACKENDS)}")
    return name


# -- top-k by inner product ---------------------------------------------------------

@njit(parallel=True, fastmath=True, cache=True)
def _topk_kernel(database, queries, k, n_chunks):
    n, dim = database.shape
    m = queries.shape[0]
    chunk = (n + n_chunks - 1) // n_chunks
    chunk_scores = np.full((n_chunks, m, k), -np.inf, dtype=np.float32)
    chunk_rows = np.full((n_chunks, m, k), -1, dtype=np.int64)
    for c in prange(n_chunks):
        start = c * chunk
        stop = min(n, start + chunk)
        for i in range(start, stop):
            for q in range(m):
                acc = np.float32(0.0)
                for j in range(dim):
                    acc += database[i, j] * queries[q, j]
                if acc > chunk_scores[c, q, k - 1]:
                    pos = k - 1
                    while pos > 0 and chunk_scores[c, q, pos - 1] < acc:
                        chunk_scores[c, q, pos] = chunk_scores[c, q, pos - 1]
                        chunk_rows[c, q, pos] = chunk_rows[c, q, pos - 1]
                        pos -= 1
                    chunk_scores[c, q, pos] = acc
                    chunk_rows[c, q, pos] = i
    # merge the per-chunk lists; chunks hold ascending row ranges, so inserting
    # them in order with a strict comparison keeps lower rows first on ties
    scores = np.full((m, k), -np.inf, dtype=np.float32)
    rows = np.full((m, k), -1, dtype=np.int64)
    for q in prange(m):
        for c in range(n_chunks):
            for t in range(k):
                row = chunk_rows[c, q, t]
                if row < 0:
                    break
                value = chunk_scores[c, q, t]
                if rows[q, k - 1] >= 0 and not value > scores[q, k - 1]:
                    break
                pos = k - 1
                while pos > 0 and (rows[q, pos - 1] < 0 or scores[q, pos - 1] < value):
                    scores[q, pos] = scores[q, pos - 1]
                    rows[q, pos] = rows[q, pos - 1]
                    pos -= 1
                scores[q, pos] = value
                rows[q, pos] = row
    return rows, scores


@njit(parallel=True, cache=True)
def _select_topk_kernel(scores, k, row_offset, best_rows, best_scores):
    # merge one block of precomputed scores (queries x rows) into running top-k lists
    for q in prange(scores.shape[0]):
        for i in range(scores.shape[1]):
            value = scores[q, i]
            if best_rows[q, k - 1] >= 0 and not value > best_scores[q, k - 1]:
                continue
            pos = k - 1
            while pos > 0 and (best_rows[q, pos - 1] < 0 or best_scores[q, pos - 1] < value):
                best_scores[q, pos] = best_scores[q, pos - 1]
                best_rows[q, pos] = best_rows[q, pos - 1]
                pos -= 1
            best_scores[q, pos] = value
            best_rows[q, pos] = row_offset + i


def _prepare(database, queries, k):
    database = np.ascontiguousarray(database, dtype=np.float32)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    if queries.ndim == 1:
        queries = queries[None, :]
    if database.ndim != 2 or queries.ndim != 2 or database.shape[1] != queries.shape[1]:
        raise ValueError(f"shape mismatch: database {database.shape}, queries {queries.shape}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    return database, queries, min(int(k), database.shape[0])


def topk_inner_product_numba(database, queries, k):
    database, queries, k = _prepare(database, queries, k)
    m = queries.shape[0]
    if k == 0:
        return np.zeros((m, 0), np.int64), np.zeros((m, 0), np.float32)
    if m >= 8:  # many queries: a BLAS block product, then compiled selection
        rows = np.full((m, k), -1, dtype=np.int64)
        scores = np.full((m, k), -np.inf, dtype=np.float32)
        for start in range(0, database.shape[0], 16384):
            block = queries @ database[start:start + 16384].T
            _select_topk_kernel(block, k, start, rows, scores)
        return rows, scores
    from numba import get_num_threads
    n_chunks = max(1, min(database.shape[0] // max(k, 64), 4 * get_num_threads()))
    return _topk_kernel(database, queries, k, n_chunks)


def topk_inner_product_python(database, queries, k):
    database, queries, k = _prepare(database, queries, k)
    m = queries.shape[0]
    rows = np.zeros((m, k), np.int64)
    scores = np.zeros((m, k), np.float32)
    if k == 0:
        return rows, scores
    for start in range(0, m, 256):
        block = queries[start:start + 256] @ database.T
        for offset, row_scores in enumerate(block):
            kth = np.partition(row_scores, row_scores.shape[0] - k)[row_scores.shape[0] - k]
            candidates = np.flatnonzero(row_scores >= kth)
            order = np.lexsort((candidates, -row_scores[candidates]))[:k]
            rows[start + offset] = candidates[order]
            scores[start + offset] = row_scores[candidates[order]]
    return rows, scores


def topk_inner_product(database, queries, k, backend: str | None = None):
    """Rows and scores of the ``k`` best inner products per query, best first.

    >>> db = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32)
    >>> rows, scores = topk_inner_product(db, np.array([1, 0.5], np.float32), 2)
    >>> rows.tolist(), scores.tolist()
    ([[2, 0]], [[1.5, 1.0]])
    """
    if resolve_backend(backend) == "numba":
        return topk_inner_product_numba(database, queries, k)
    return topk_inner_product_python(database, queries, k)


# -- sparse rows times a dense table --------------------------------------------------

@njit(parallel=True, fastmath=True, cache=True)
def _gather_sum_kernel(table, indptr, indices, weights, out):
    dim = table.shape[1]
    for r in prange(indptr.shape[0] - 1):
        for p in range(indptr[r], indptr[r + 1]):
            w = weights[p]
            row = indices[p]
            for j in range(dim):
                out[r, j] += w * table[row, j]
    return out


def _prepare_gather(table, indptr, indices, weights):
    table = np.ascontiguousarray(table, dtype=np.float32)
    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    indices = np.ascontiguousarray(indices, dtype=np.int64)
    weights = np.ascontiguousarray(weights, dtype=np.float32)
    if indices.shape != weights.shape or indptr.shape[0] < 1 or indptr[-1] != indices.shape[0]:
        raise ValueError("gather_sum: indptr, indices and weights are inconsistent")
    return table, indptr, indices, weights


def gather_sum_numba(table, indptr, indices, weights):
    table, indptr, indices, weights = _prepare_gather(table, indptr, indices, weights)
    out = np.zeros((indptr.shape[0] - 1, table.shape[1]), dtype=np.float32)
    return _gather_sum_kernel(table, indptr, indices, weights, out)


def gather_sum_python(table, indptr, indices, weights):
    table, indptr, indices, weights = _prepare_gather(table, indptr, indices, weights)
    n_rows = indptr.shape[0] - 1
    out = np.zeros((n_rows, table.shape[1]), dtype=np.float32)
    row_of_entry = np.repeat(np.arange(n_rows), np.diff(indptr))
    np.add.at(out, row_of_entry, table[indices] * weights[:, None])
    return out


def gather_sum(table, indptr, indices, weights, backend: str | None = None):
    """``out[r] = sum(weights[p] * table[indices[p]] for p in indptr[r]:indptr[r+1])``."""
    if resolve_backend(backend) == "numba":
        return gather_sum_numba(table, indptr, indices, weights)
    return gather_sum_python(table, indptr, indices, weights)


# -- signed-permutation binding, summed into parent nodes ------------------------------

@njit(parallel=True, fastmath=False, cache=True)
def _bind_accumulate_kernel(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role,
                            edge_weight, perms, signs):
    dim = vectors.shape[1]
    for level in range(level_ptr.shape[0] - 1):
        for position in prange(level_ptr[level], level_ptr[level + 1]):
            parent = parents[position]
            for e in range(edge_ptr[position], edge_ptr[position + 1]):
                child = edge_child[e]
                role = edge_role[e]
                weight = edge_weight[e]
                if role < 0:
                    for j in range(dim):
                        vectors[parent, j] += vectors[child, j] * weight
                else:
                    for j in range(dim):
                        vectors[parent, j] += (vectors[child, perms[role, j]] * signs[role, j]) * weight
            total = 0.0
            for j in range(dim):
                total += np.float64(vectors[parent, j]) * vectors[parent, j]
            if total > 0.0:
                scale = np.float32(1.0 / np.sqrt(total))
                for j in range(dim):
                    vectors[parent, j] *= scale
    return vectors


def bind_accumulate_numba(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role,
                          edge_weight, perms, signs):
    return _bind_accumulate_kernel(vectors, level_ptr, parents, edge_ptr, edge_child,
                                   edge_role, edge_weight, perms, signs)


def bind_accumulate_python(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role,
                           edge_weight, perms, signs):
    # the same sums, one (level, role) group at a time; within a parent, edges are
    # sorted by role, so adding groups in ascending role order keeps the kernel's order
    for level in range(level_ptr.shape[0] - 1):
        first, last = level_ptr[level], level_ptr[level + 1]
        if first == last:
            continue
        edges = slice(edge_ptr[first], edge_ptr[last])
        targets = np.repeat(parents[first:last], np.diff(edge_ptr[first:last + 1]))
        roles, children, weights = edge_role[edges], edge_child[edges], edge_weight[edges]
        for role in np.unique(roles):
            chosen = roles == role
            rows = vectors[children[chosen]]
            if role >= 0:
                rows = rows[:, perms[role]] * signs[role]
            rows *= weights[chosen, None]
            np.add.at(vectors, targets[chosen], rows)
        block = vectors[parents[first:last]]
        norms = np.sqrt(np.einsum("ij,ij->i", block.astype(np.float64), block))
        scale = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 1.0).astype(np.float32)
        vectors[parents[first:last]] = block * scale[:, None]
    return vectors


def bind_accumulate(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role,
                    edge_weight, perms, signs, backend: str | None = None):
    """Fill parent rows of ``vectors`` level by level, in place.

    Parents ``parents[level_ptr[l]:level_ptr[l+1]]`` belong to level ``l``; parent
    at position ``i`` receives, for each edge ``e`` in ``edge_ptr[i]:edge_ptr[i+1]``
    (in that order), ``weight[e] * M_role(e) vectors[child[e]]`` where role ``r``
    maps ``x`` to ``signs[r] * x[perms[r]]`` and role ``-1`` is the identity; the
    parent is then scaled to unit length.  Levels run in order, so children are
    complete before their parents are filled.
    """
    run = bind_accumulate_numba if resolve_backend(backend) == "numba" else bind_accumulate_python
    return run(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role, edge_weight,
               perms, signs)
