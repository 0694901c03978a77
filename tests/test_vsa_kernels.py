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
def string_tables(draw, weights):
    """Sign tables, each word's trigrams, and strings (lists of words) to encode."""
    dim = draw(st.integers(1, 12))
    signs = st.sampled_from([-1, 1])
    n_words, n_trigrams = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    word_signs = np.array(draw(st.lists(st.lists(signs, min_size=dim, max_size=dim),
                                        min_size=n_words, max_size=n_words)), dtype=np.int8)
    trigram_signs = np.array(draw(st.lists(st.lists(signs, min_size=dim, max_size=dim),
                                           min_size=n_trigrams, max_size=n_trigrams)), dtype=np.int8)
    trigram_lists = draw(st.lists(st.lists(st.integers(0, n_trigrams - 1), min_size=1, max_size=5),
                                  min_size=n_words, max_size=n_words))
    trigram_ptr = np.concatenate(([0], np.cumsum([len(t) for t in trigram_lists])))
    trigram_ids = np.array([t for ts in trigram_lists for t in ts], dtype=np.int64)
    strings = draw(st.lists(st.lists(st.integers(0, n_words - 1), min_size=1, max_size=4),
                            min_size=1, max_size=6))
    indptr = np.concatenate(([0], np.cumsum([len(words) for words in strings])))
    words = np.array([w for ws in strings for w in ws], dtype=np.int64)
    word_weights = np.array(draw(st.lists(weights, min_size=len(strings), max_size=len(strings))), np.float32)
    trigram_weights = np.array(draw(st.lists(weights, min_size=len(strings), max_size=len(strings))), np.float32)
    rows = np.array(draw(st.permutations(range(len(strings) + 3)))[:len(strings)], dtype=np.int64)
    scale = draw(st.sampled_from([1.0, 0.5]))
    return (word_signs, trigram_signs, trigram_ptr, trigram_ids, scale, indptr, words,
            word_weights, trigram_weights, np.full((len(strings) + 3, dim), 7.0, np.float32), rows)


def _string_vectors_by_definition(word_signs, trigram_signs, trigram_ptr, trigram_ids, scale,
                                  indptr, words, word_weights, trigram_weights, out, rows):
    expected = out.copy()
    for r, target in enumerate(rows):
        total = np.zeros(out.shape[1])
        for word in words[indptr[r]:indptr[r + 1]]:
            counts = trigram_signs[trigram_ids[trigram_ptr[word]:trigram_ptr[word + 1]]].sum(axis=0)
            total += word_weights[r] * scale * word_signs[word] + trigram_weights[r] * scale * counts
        length = np.sqrt(total @ total)
        expected[target] = total.astype(np.float32) * np.float32(1 / length if length > 0 else 1)
    return expected


# integer weights and a power-of-two scale: every sum is exact, so all three agree bit for bit
@settings(max_examples=60, deadline=None)
@given(string_tables(st.integers(0, 3).map(float)))
def test_string_vectors_twins_agree_exactly(data):
    expected = _string_vectors_by_definition(*data)
    for run in (kernels.string_vectors_numba, kernels.string_vectors_python):
        arrays = list(data)
        arrays[9] = data[9].copy()
        assert np.array_equal(run(*arrays), expected)


@settings(max_examples=60, deadline=None)
@given(string_tables(st.floats(0.0625, 2.0, width=32)))
def test_string_vectors_twins_agree_on_real_weights(data):
    compiled = kernels.string_vectors_numba(*data[:9], data[9].copy(), data[10])
    twin = kernels.string_vectors_python(*data[:9], data[9].copy(), data[10])
    assert np.allclose(compiled, twin, atol=1e-6)
    untouched = np.setdiff1d(np.arange(len(twin)), data[10])
    assert (twin[untouched] == 7.0).all()


@st.composite
def binding_forests(draw):
    """Leaves, then parents over earlier nodes; edges sorted by role within a parent."""
    dim = draw(st.integers(1, 10))
    n_roles = draw(st.integers(1, 4))
    n_leaves = draw(st.integers(1, 6))
    vectors = draw(hnp.arrays(np.float32, (n_leaves + 8, dim), elements=small_ints))
    level = [0] * n_leaves
    parents, edges = [], []
    for parent in range(n_leaves, n_leaves + draw(st.integers(1, 8))):
        children = draw(st.lists(st.integers(0, parent - 1), min_size=1, max_size=4))
        roles = sorted(draw(st.lists(st.integers(-1, n_roles - 1), min_size=len(children),
                                     max_size=len(children))))
        weights = draw(st.lists(st.integers(1, 3), min_size=len(children), max_size=len(children)))
        level.append(1 + max(level[c] for c in children))
        parents.append(parent)
        edges.append(list(zip(children, roles, weights)))
    order = sorted(range(len(parents)), key=lambda i: level[parents[i]])  # stable
    parent_levels = [level[parents[i]] for i in order]
    level_ptr = [0] + [i + 1 for i in range(len(order)) if i + 1 == len(order)
                       or parent_levels[i + 1] != parent_levels[i]]
    flat = [edge for i in order for edge in edges[i]]
    edge_ptr = np.concatenate(([0], np.cumsum([len(edges[i]) for i in order])))
    perms = np.stack([draw(st.permutations(range(dim))) for _ in range(n_roles)]).astype(np.int64)
    signs = np.array(draw(st.lists(st.lists(st.sampled_from([-1.0, 1.0]), min_size=dim, max_size=dim),
                                   min_size=n_roles, max_size=n_roles)), dtype=np.float32)
    return (vectors[:len(level)], np.array(level_ptr, np.int64), np.array([parents[i] for i in order]),
            edge_ptr.astype(np.int64), np.array([e[0] for e in flat], np.int64),
            np.array([e[1] for e in flat], np.int64), np.array([e[2] for e in flat], np.float32),
            perms, signs)


@settings(max_examples=60, deadline=None)
@given(binding_forests())
def test_bind_accumulate_twins_agree_and_ignore_old_parent_rows(data):
    vectors, rest = data[0], data[1:]
    compiled = kernels.bind_accumulate_numba(vectors.copy(), *rest)
    twin = kernels.bind_accumulate_python(vectors.copy(), *rest)
    assert np.allclose(compiled, twin, atol=1e-6)
    cleared = vectors.copy()
    cleared[rest[1]] = 0.0  # the parents
    assert np.array_equal(kernels.bind_accumulate_numba(cleared, *rest), compiled)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_bind_accumulate_twins_agree(seed):
    from genlogic.vsa import Encoder
    from genlogic.vsa.synthetic import generate_documents
    documents = generate_documents(8, seed=seed % 5)
    encoder = Encoder(dim=64)
    import os
    previous = os.environ.get("GENLOGIC_BACKEND")
    try:
        os.environ["GENLOGIC_BACKEND"] = "python"
        twin = encoder.encode_batch(documents)
        os.environ["GENLOGIC_BACKEND"] = "numba"
        compiled = encoder.encode_batch(documents)
    finally:  # leave the backend as the session chose it (CI runs this file on the twins)
        if previous is None:
            del os.environ["GENLOGIC_BACKEND"]
        else:
            os.environ["GENLOGIC_BACKEND"] = previous
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
