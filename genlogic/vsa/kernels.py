"""Numeric kernels, each as a numba function and a plain numpy twin.

Three kernels carry the heavy loops of the VSA layer:

``topk_inner_product(database, queries, k)``
    For each query row, the ``k`` database rows with the largest inner product,
    best first; equal scores are ordered by row number (lower first), so both
    implementations return the same rows whenever their scores agree.
``string_vectors(word_signs, trigram_signs, ...)``
    Unit string vectors from int8 sign rows of word and trigram symbols, written
    straight into the caller's rows (see the function's docstring).  Used by the
    string encoder.
``bind_accumulate(vectors, ...)``
    Fills the inner nodes of encoded JSON trees: each parent row becomes the
    normalised sum of its children bound by signed permutations (see the function's
    docstring for the exact layout).  Used for the ``signed_perm`` family.

The numba versions (``*_numba``) run compiled; the twins (``*_python``) are short
numpy code that states what the kernel computes.  Tests run both and require equal
answers.  Top-k runs in parallel (for eight or more queries it lets BLAS compute
blocks of scores and selects in numba).  The two encoding kernels run on one
thread: they are called a few times per chunk of documents, between Python steps,
and on a small machine shared with other work a parallel region that waits for a
descheduled second thread costs more than that thread gains.  Which implementation
runs is chosen per call: ``backend="numba"`` or ``"python"``, or, when not given,
the environment variable ``GENLOGIC_BACKEND`` (``python`` forces the twins;
default ``numba``).

Summation order can differ between the two (numba vectorises reductions), so
float results agree to rounding, not bit for bit; on integer-valued data they
agree exactly.  This module knows nothing about indexes or encoders beyond the
array layouts its docstrings define.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..backend import BACKENDS, resolve_backend

__all__ = [
    "BACKENDS", "resolve_backend", "topk_inner_product", "string_vectors",
    "topk_inner_product_numba", "topk_inner_product_python",
    "string_vectors_numba", "string_vectors_python",
    "bind_accumulate", "bind_accumulate_numba", "bind_accumulate_python",
]


# -- top-k by inner product ---------------------------------------------------------

@njit(cache=True)
def _insert(rows, scores, q, k, value, row):
    # put (value, row) into query q's list, kept best first (-1 rows are empty slots);
    # the caller has checked that it beats the last entry
    pos = k - 1
    while pos > 0 and (rows[q, pos - 1] < 0 or scores[q, pos - 1] < value):
        scores[q, pos] = scores[q, pos - 1]
        rows[q, pos] = rows[q, pos - 1]
        pos -= 1
    scores[q, pos] = value
    rows[q, pos] = row


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
                _insert(rows, scores, q, k, value, row)
    return rows, scores


@njit(parallel=True, cache=True)
def _select_topk_kernel(scores, k, row_offset, best_rows, best_scores):
    # merge one block of precomputed scores (queries x rows) into running top-k lists
    for q in prange(scores.shape[0]):
        for i in range(scores.shape[1]):
            value = scores[q, i]
            if best_rows[q, k - 1] >= 0 and not value > best_scores[q, k - 1]:
                continue
            _insert(best_rows, best_scores, q, k, value, row_offset + i)


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


# -- unit length ----------------------------------------------------------------------

@njit(fastmath={"reassoc"}, cache=True)
def _unit_scale(matrix, row):
    # 1 / |matrix[row]| as float32 (1 for a zero row).  Squares are summed in float64;
    # "reassoc" lets the sum be vectorised (its order is the compiler's), while the
    # square root and the division stay exactly rounded.
    total = 0.0
    for j in range(matrix.shape[1]):
        value = np.float64(matrix[row, j])
        total += value * value
    if total > 0.0:
        return np.float32(1.0 / np.sqrt(total))
    return np.float32(1.0)


def _unit_scales_python(block):
    """Twin of ``_unit_scale`` for every row of ``block`` at once."""
    wide = block.astype(np.float64)
    total = np.einsum("ij,ij->i", wide, wide)
    scales = np.ones(block.shape[0], dtype=np.float64)
    np.divide(1.0, np.sqrt(total), out=scales, where=total > 0)
    return scales.astype(np.float32)


# -- string vectors from word and trigram signs -----------------------------------------

@njit(cache=True)
def _string_vectors_kernel(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale,
                           indptr, words, word_weights, trigram_weights, out, rows):
    dim = out.shape[1]
    counts = np.empty(dim, dtype=np.int32)
    for r in range(indptr.shape[0] - 1):
        target = rows[r]
        for j in range(dim):
            out[target, j] = 0.0
        weight = word_weights[r]
        for p in range(indptr[r], indptr[r + 1]):
            word = words[p]
            for j in range(dim):
                out[target, j] += weight * (scale * np.float32(word_signs[word, j]))
        weight = trigram_weights[r]
        for p in range(indptr[r], indptr[r + 1]):
            word = words[p]
            counts[:] = 0
            for q in range(trigram_ptr[word], trigram_ptr[word + 1]):
                trigram = trigram_ids[q]
                for j in range(dim):
                    counts[j] += trigram_signs[trigram, j]
            for j in range(dim):
                out[target, j] += weight * (np.float32(counts[j]) * scale)
        unit = _unit_scale(out, target)
        for j in range(dim):
            out[target, j] *= unit
    return out


def _prepare_strings(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words,
                     word_weights, trigram_weights, out, rows):
    word_signs = np.ascontiguousarray(word_signs, dtype=np.int8)
    trigram_signs = np.ascontiguousarray(trigram_signs, dtype=np.int8)
    trigram_ptr = np.ascontiguousarray(trigram_ptr, dtype=np.int64)
    trigram_ids = np.ascontiguousarray(trigram_ids, dtype=np.int64)
    indptr = np.ascontiguousarray(indptr, dtype=np.int64)
    words = np.ascontiguousarray(words, dtype=np.int64)
    word_weights = np.ascontiguousarray(word_weights, dtype=np.float32)
    trigram_weights = np.ascontiguousarray(trigram_weights, dtype=np.float32)
    rows = np.ascontiguousarray(rows, dtype=np.int64)
    n_rows = indptr.shape[0] - 1
    if (indptr.shape[0] < 1 or indptr[-1] != words.shape[0] or rows.shape != (n_rows,)
            or word_weights.shape != (n_rows,) or trigram_weights.shape != (n_rows,)
            or trigram_ptr.shape[0] != word_signs.shape[0] + 1
            or trigram_ptr[-1] > trigram_ids.shape[0]):
        raise ValueError("string_vectors: the index arrays are inconsistent")
    if (out.dtype != np.float32 or out.ndim != 2 or not out.flags.c_contiguous
            or not out.shape[1] == word_signs.shape[1] == trigram_signs.shape[1]):
        raise ValueError("string_vectors: out must be a C-contiguous float32 array as wide "
                         "as the sign tables")
    return (word_signs, trigram_signs, trigram_ptr, trigram_ids, np.float32(scale), indptr,
            words, word_weights, trigram_weights, out, rows)


def string_vectors_numba(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr,
                         words, word_weights, trigram_weights, out, rows):
    return _string_vectors_kernel(*_prepare_strings(
        word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words,
        word_weights, trigram_weights, out, rows))


def _add_in_order(total, targets, terms):
    """``total[targets[i]] += terms[i]`` for ``i = 0, 1, ...``, where the entries of
    one target are consecutive: the k-th entries of all targets are added together."""
    starts = np.flatnonzero(np.diff(targets, prepend=-1) != 0)
    rank = np.arange(targets.shape[0]) - np.repeat(starts, np.diff(np.append(starts, targets.shape[0])))
    for k in range(rank.max(initial=-1) + 1):
        chosen = rank == k
        total[targets[chosen]] += terms[chosen]


def string_vectors_python(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr,
                          words, word_weights, trigram_weights, out, rows):
    (word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words, word_weights,
     trigram_weights, out, rows) = _prepare_strings(
        word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words,
        word_weights, trigram_weights, out, rows)
    # each listed word's trigram signs added up as integers (exact, so in any order)
    lengths = np.diff(trigram_ptr)[words]
    counts = np.zeros((words.shape[0], out.shape[1]), dtype=np.int32)
    for k in range(lengths.max(initial=0)):
        longer = np.flatnonzero(lengths > k)
        counts[longer] += trigram_signs[trigram_ids[trigram_ptr[words[longer]] + k]]
    # per string, all word terms in order, then all trigram terms, as the kernel adds them
    string_of_word = np.repeat(np.arange(rows.shape[0]), np.diff(indptr))
    sums = np.zeros((rows.shape[0], out.shape[1]), dtype=np.float32)
    word_terms = scale * word_signs[words].astype(np.float32)
    _add_in_order(sums, string_of_word, word_weights[string_of_word, None] * word_terms)
    trigram_terms = counts.astype(np.float32) * scale
    _add_in_order(sums, string_of_word, trigram_weights[string_of_word, None] * trigram_terms)
    out[rows] = sums * _unit_scales_python(sums)[:, None]
    return out


def string_vectors(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words,
                   word_weights, trigram_weights, out, rows, backend: str | None = None):
    """Write unit string vectors into rows ``rows`` of ``out`` (returned).

    Symbols are stored as int8 signs, a symbol's vector being ``scale * signs``.
    Word ``w`` has sign row ``word_signs[w]`` and trigrams
    ``trigram_ids[trigram_ptr[w]:trigram_ptr[w+1]]`` (rows of ``trigram_signs``).
    String ``r`` has words ``words[indptr[r]:indptr[r+1]]``; its row of ``out``
    becomes, before scaling to unit length,
    ``word_weights[r] * sum_w scale * word_signs[w]`` (added word by word) plus
    ``trigram_weights[r] * sum_w scale * (sum of w's trigram signs)``, where each
    word's trigram signs are first added exactly as integers.

    >>> signs = np.array([[1, 1], [1, -1]], dtype=np.int8)
    >>> out = np.zeros((1, 2), dtype=np.float32)
    >>> vectors = string_vectors(signs, signs, [0, 2, 3], [0, 1, 0], 0.5, [0, 1], [0],
    ...                          [1.0], [1.0], out, [0])
    >>> vectors.astype(float).round(4).tolist()  # (0.5 * [1, 1] + 0.5 * [2, 0]) / |..|
    [[0.9487, 0.3162]]
    """
    run = string_vectors_numba if resolve_backend(backend) == "numba" else string_vectors_python
    return run(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words,
               word_weights, trigram_weights, out, rows)


# -- signed-permutation binding, summed into parent nodes ------------------------------

@njit(cache=True)
def _bind_accumulate_kernel(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role,
                            edge_weight, perms, signs):
    dim = vectors.shape[1]
    for level in range(level_ptr.shape[0] - 1):
        for position in range(level_ptr[level], level_ptr[level + 1]):
            parent = parents[position]
            for j in range(dim):
                vectors[parent, j] = 0.0
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
            scale = _unit_scale(vectors, parent)
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
        vectors[parents[first:last]] = 0.0
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
        vectors[parents[first:last]] = block * _unit_scales_python(block)[:, None]
    return vectors


def bind_accumulate(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role,
                    edge_weight, perms, signs, backend: str | None = None):
    """Fill parent rows of ``vectors`` level by level, in place.

    Parents ``parents[level_ptr[l]:level_ptr[l+1]]`` belong to level ``l``; the row
    of the parent at position ``i`` becomes the sum, over the edges ``e`` in
    ``edge_ptr[i]:edge_ptr[i+1]`` (added in that order), of
    ``weight[e] * M_role(e) vectors[child[e]]``, where role ``r`` maps ``x`` to
    ``signs[r] * x[perms[r]]`` and role ``-1`` is the identity; the parent is then
    scaled to unit length.  Levels run in order, so children are complete before
    their parents are filled; what a parent row held before is ignored.
    """
    run = bind_accumulate_numba if resolve_backend(backend) == "numba" else bind_accumulate_python
    return run(vectors, level_ptr, parents, edge_ptr, edge_child, edge_role, edge_weight,
               perms, signs)
