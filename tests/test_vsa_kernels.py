"""Numba kernels against their numpy twins (one body, both backends)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from genlogic.vsa import kernels

# integer-valued floats: every sum is exact in float32, so twins must agree bit for bit
small_ints = st.integers(-6, 6).map(float)


@st.composite
def database_and_queries(draw):
    dim = draw(st.integers(1, 12))
    n = draw(st.integers(1, 60))
    m = draw(st.integers(1, 10))  # 8 or more takes the BLAS-block path
    database = draw(hnp.arrays(np.float32, (n, dim), elements=small_ints))
    queries = draw(hnp.arrays(np.float32, (m, dim), elements=small_ints))
    return database, queries, draw(st.integers(1, n + 3))


@settings(max_examples=60, deadline=None)
@given(database_and_queries())
def test_topk_twins_agree_exactly(data):
    database, queries, k = data
    rows_n, scores_n = kernels.topk_inner_product_numba(database, queries, k)
    rows_p, scores_p = kernels.topk_inner_product_python(database, queries, k)
    assert np.array_equal(rows_n, rows_p) and np.array_equal(scores_n, scores_p)
    full = queries @ database.T
    for q in range(queries.shape[0]):  # best first, ties by row number
        expected = sorted(range(database.shape[0]), key=lambda r: (-full[q, r], r))[:min(k, database.shape[0])]
        assert rows_p[q].tolist() == expected


def test_topk_twins_agree_on_random_floats():
    rng = np.random.default_rng(0)
    database = rng.standard_normal((5000, 64)).astype(np.float32)
    queries = rng.standard_normal((7, 64)).astype(np.float32)
    rows_n, scores_n = kernels.topk_inner_product_numba(database, queries, 10)
    rows_p, scores_p = kernels.topk_inner_product_python(database, queries, 10)
    assert np.allclose(scores_n, scores_p, atol=1e-4)
    assert (rows_n == rows_p).mean() > 0.95  # near-ties may swap under reassociation


@st.composite
def sparse_rows(draw):
    dim = draw(st.integers(1, 10))
    n_table = draw(st.integers(1, 20))
    table = draw(hnp.arrays(np.float32, (n_table, dim), elements=small_ints))
    lengths = draw(st.lists(st.integers(0, 5), min_size=1, max_size=8))
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    indices = np.asarray(draw(st.lists(st.integers(0, n_table - 1), min_size=int(indptr[-1]),
                                       max_size=int(indptr[-1]))), dtype=np.int64)
    weights = np.asarray(draw(st.lists(st.integers(-3, 3), min_size=len(indices),
                                       max_size=len(indices))), dtype=np.float32)
    return table, indptr, indices, weights


@settings(max_examples=60, deadline=None)
@given(sparse_rows())
def test_gather_sum_twins_agree_exactly(data):
    table, indptr, indices, weights = data
    expected = np.zeros((len(indptr) - 1, table.shape[1]), np.float32)
    for r in range(len(indptr) - 1):
        for p in range(indptr[r], indptr[r + 1]):
            expected[r] += weights[p] * table[indices[p]]
    assert np.array_equal(kernels.gather_sum_numba(*data), expected)
    assert np.array_equal(kernels.gather_sum_python(*data), expected)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_bind_accumulate_twins_agree(seed):
    from genlogic.vsa import Encoder
    from genlogic.vsa.synthetic import generate_documents
    documents = generate_documents(8, seed=seed % 5)
    encoder = Encoder(dim=64)
    import os
    os.environ["GENLOGIC_BACKEND"] = "python"
    try:
        twin = encoder.encode_batch(documents)
    finally:
        del os.environ["GENLOGIC_BACKEND"]
    compiled = encoder.encode_batch(documents)
    assert np.allclose(twin, compiled, atol=1e-6)


def test_environment_variable_forces_the_twin(monkeypatch):
    def refuse(*args):
        raise AssertionError("numba kernel called")
    monkeypatch.setattr(kernels, "topk_inner_product_numba", refuse)
    monkeypatch.setenv("GENLOGIC_BACKEND", "python")
    rows, _ = kernels.topk_inner_product(np.eye(3, dtype=np.float32), np.eye(3, dtype=np.float32)[0], 1)
    assert rows.tolist() == [[0]]
    monkeypatch.setenv("GENLOGIC_BACKEND", "fortran")
    with pytest.raises(ValueError, match="unknown backend"):
        kernels.resolve_backend()
