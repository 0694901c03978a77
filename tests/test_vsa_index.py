"""Index: exact search, upsert, persistence, optional HNSW."""

import json
import os

import numpy as np
import pytest

from genlogic.vsa import Index, IndexFormatError


def unit_rows(n, dim, seed=0):
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("backend", ["numba", "python"])
def test_exact_search_finds_each_vector_first(backend):
    vectors = unit_rows(500, 64)
    index = Index(64, backend=backend)
    index.add([f"doc{i}" for i in range(500)], vectors)
    ids, scores = index.search(vectors[:20], k=5)
    assert [row[0] for row in ids] == [f"doc{i}" for i in range(20)]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5) and np.all(np.diff(scores, axis=1) <= 0)


def test_single_query_upsert_and_small_index():
    index = Index(4)
    index.add([1, 2], np.eye(4, dtype=np.float32)[:2])
    index.add([1], np.eye(4, dtype=np.float32)[2:3])  # replaces id 1
    assert len(index) == 2
    ids, scores = index.search(np.eye(4, dtype=np.float32)[2], k=10)
    assert ids == [1, 2] and scores.shape == (2,)


def test_bad_input_is_rejected():
    index = Index(4)
    with pytest.raises(ValueError, match="shape"):
        index.add(["a"], np.zeros((1, 5), np.float32))
    with pytest.raises(ValueError, match="ids for"):
        index.add(["a", "b"], np.zeros((1, 4), np.float32))
    with pytest.raises(TypeError, match="str or int"):
        index.add([1.5], np.zeros((1, 4), np.float32))


def test_save_and_load_round_trip(tmp_path):
    vectors = unit_rows(300, 32)
    index = Index(32, metadata={"encoder": {"dim": 32}})
    index.add([f"id{i}" for i in range(150)] + list(range(150)), vectors)
    index.save(tmp_path / "idx")
    loaded = Index.load(tmp_path / "idx")
    assert loaded.ids == index.ids and loaded.metadata == {"encoder": {"dim": 32}}
    assert np.array_equal(loaded.vectors, index.vectors)
    assert loaded.search(vectors[:3], 4)[0] == index.search(vectors[:3], 4)[0]
    assert sorted(os.listdir(tmp_path / "idx")) == ["index.json", "vectors.npy"]  # no temp files


def test_load_rejects_missing_and_inconsistent_indexes(tmp_path):
    with pytest.raises(IndexFormatError, match="no index"):
        Index.load(tmp_path / "nothing")
    index = Index(8)
    index.add(["a", "b"], unit_rows(2, 8))
    index.save(tmp_path / "idx")
    np.save(tmp_path / "idx" / "vectors.npy", unit_rows(1, 8))  # a torn write
    with pytest.raises(IndexFormatError, match="incomplete"):
        Index.load(tmp_path / "idx")
    (tmp_path / "idx" / "index.json").write_text(json.dumps({"format": "other"}))
    with pytest.raises(IndexFormatError, match="not a genlogic"):
        Index.load(tmp_path / "idx")


def test_approximate_index_without_hnswlib_says_how_to_install():
    try:
        import hnswlib  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install hnswlib"):
            Index(8, exact=False)
    else:
        pytest.skip("hnswlib is installed")


def test_hnsw_search_and_persistence(tmp_path):
    pytest.importorskip("hnswlib")
    vectors = unit_rows(2000, 32)
    index = Index(32, exact=False)
    index.add(list(range(2000)), vectors)
    ids, _ = index.search(vectors[:50], k=1)
    assert np.mean([row[0] == i for i, row in enumerate(ids)]) > 0.95
    index.save(tmp_path / "h")
    loaded = Index.load(tmp_path / "h")
    assert not loaded.exact and loaded.search(vectors[:50], k=1)[0] == ids
