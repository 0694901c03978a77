"""JSON encoding: invariances, paths, numbers, strings, batching, read-out."""

import random
import string

import numpy as np
import pytest

from genlogic.vsa import Encoder, cleanup


@pytest.fixture(scope="module")
def encoder():
    return Encoder(dim=1024)


def cos(a, b):
    return float(np.dot(a.astype(np.float64), b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_vectors_are_unit_float32(encoder):
    for value in ({"a": 1}, [1, "x"], "text", 3.25, None, True, {}, [], ""):
        vector = encoder.encode(value)
        assert vector.dtype == np.float32 and vector.shape == (1024,)
        assert abs(np.linalg.norm(vector.astype(np.float64)) - 1) < 1e-5


def test_key_order_does_not_matter(encoder):
    a = encoder.encode({"name": "Ada", "age": 36, "tags": ["x", "y"], "home": {"city": "London", "zip": "N1"}})
    b = encoder.encode({"home": {"zip": "N1", "city": "London"}, "tags": ["x", "y"], "age": 36, "name": "Ada"})
    assert abs(cos(a, b) - 1) < 1e-6


@pytest.mark.parametrize("x", ["hello", 42, None, {"c": [1, 2]}])
def test_paths_do_not_commute(encoder, x):
    assert abs(cos(encoder.encode({"a": {"b": x}}), encoder.encode({"b": {"a": x}}))) < 0.15


def test_numbers_are_smooth(encoder):
    assert cos(encoder.encode(100), encoder.encode(102)) > 0.9
    assert cos(encoder.encode(100), encoder.encode(200)) < 0.2
    assert cos(encoder.encode(3), encoder.encode(3.0)) == pytest.approx(1.0)
    assert cos(encoder.encode(-5), encoder.encode(5)) < 0.2


def test_strings_are_soft(encoder):
    assert cos(encoder.encode("Johnson"), encoder.encode("Johnsen")) > 0.3
    assert cos(encoder.encode("Johnson"), encoder.encode("JOHNSON")) == pytest.approx(1.0, abs=1e-6)
    assert abs(cos(encoder.encode("Johnson"), encoder.encode("Miller"))) < 0.15


def test_literals_and_types_are_distinct(encoder):
    values = [None, True, False, 0, "", [], {}, "null", "true", "0"]
    vectors = encoder.encode_batch(values)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, 0)
    assert np.abs(sims).max() < 0.2


def test_arrays_are_positional_plus_bag(encoder):
    ab, ba = encoder.encode(["red", "blue"]), encoder.encode(["blue", "red"])
    assert 0.3 < cos(ab, ba) < 0.9  # the bag agrees, the positions do not
    assert cos(encoder.encode(["red", "blue", "green"]), ab) > 0.5


def test_batch_equals_single_encoding(encoder):
    values = [{"a": [1, {"b": "x"}], "c": None}, "text", 7, {"a": [1, {"b": "x"}], "c": None}]
    batch = encoder.encode_batch(values)
    for value, row in zip(values, batch):
        assert np.array_equal(encoder.encode(value), row)


def test_batch_equals_stacked_single_encodings_whatever_the_order_and_chunking():
    from genlogic.vsa.json_encoder import JsonOptions
    from genlogic.vsa.synthetic import generate_documents
    documents = generate_documents(300, seed=4) + ["", "--", [[], {}], {"a": [None, 1.5]}]
    single = np.stack([Encoder(dim=256).encode(document) for document in documents])
    assert np.array_equal(Encoder(dim=256).encode_batch(documents), single)
    order = random.Random(0).sample(range(len(documents)), len(documents))
    shuffled = Encoder(dim=256, options=JsonOptions(chunk_size=7)).encode_batch(
        [documents[i] for i in order])
    assert np.array_equal(shuffled, single[order])


def test_vectors_do_not_depend_on_what_the_caches_hold():
    from genlogic.vsa.synthetic import generate_documents
    documents = generate_documents(200, seed=5)
    expected = Encoder(dim=256).encode_batch(documents)
    busy = Encoder(dim=256)
    busy.encode_batch(generate_documents(200, seed=6))
    strings = busy.json.strings
    strings.tokens.max_words = 50  # forget all words and trigrams in almost every chunk
    strings._cache_size = 20
    assert np.array_equal(busy.encode_batch(documents), expected)


def test_nesting_is_limited_by_depth_not_by_python_recursion(encoder):
    nested = "x"
    for _ in range(500):
        nested = [nested]
    assert encoder.encode(nested).shape == (1024,)
    with pytest.raises(ValueError, match="deeper than 500"):
        encoder.encode([nested])


def test_unsupported_values_are_rejected(encoder):
    with pytest.raises(TypeError, match="keys must be strings"):
        encoder.encode({1: "x"})
    with pytest.raises(TypeError, match="cannot encode"):
        encoder.encode({"x": object()})


def _codebook_values(rng, n):
    values = set()
    while len(values) < n:
        values.add("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 10))))
    return sorted(values)


@pytest.mark.parametrize("binding", ["signed_perm", "haar"])
def test_readout_of_sixteen_fields_with_thousand_value_codebook(binding):
    rng = random.Random(7)
    encoder = Encoder(dim=1024, binding=binding)
    values = _codebook_values(rng, 1000)
    codebook = encoder.codebook(values)
    keys = [f"field{i}" for i in range(16)]
    documents = [{key: rng.choice(values) for key in keys} for _ in range(64)]
    vectors = encoder.encode_batch(documents)
    correct = total = 0
    for key in keys:
        noisy = np.stack([encoder.unbind(vector, [key]) for vector in vectors])
        for matches, document in zip(cleanup(noisy, codebook), documents):
            correct += matches[0].label == document[key]
            total += 1
    assert correct / total >= 0.99


def test_readout_through_nested_paths_and_positions(encoder):
    values = ["alpha", "bravo", "charlie", "delta", "echo", 17, 250.5, None]
    codebook = encoder.codebook(values)
    document = {"a": {"b": "charlie", "c": ["delta", "echo", 17]}, "d": 250.5, "e": None}
    vector = encoder.encode(document)
    assert encoder.read_field(vector, ["a", "b"], codebook).label == "charlie"
    assert encoder.read_field(vector, ["a", "c", 1], codebook).label == "echo"
    assert encoder.read_field(vector, ["a", "c", 2], codebook).label == 17
    assert encoder.read_field(vector, "d", codebook).label == 250.5
    assert encoder.read_field(vector, "e", codebook).label is None
