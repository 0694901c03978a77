"""Hostile and malformed requests get a 4xx JSON error, never a 5xx, and lose no data.

A real server on 127.0.0.1 (with the committed Peano run as ``theorems``) receives
hypothesis-generated requests at every route, genlogic's and Qdrant's: raw bytes,
malformed and deeply nested JSON, well-formed bodies with wrong types, Qdrant-shaped
bodies with odd values (queries, selectors, batches, payload changes), bad vectors
and filters, odd collection names and point ids, and random statements for the
theorem search.  A collection named ``keep`` is never addressed by them; it must
answer exactly as before at the end.  The targeted tests use ``fixed``, which random
requests do not touch either.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from genlogic.service.config import Limits
from genlogic.service.testing import ServerProcess
from genlogic.vsa.synthetic import generate_documents

DIM = 32
PEANO = Path(__file__).resolve().parents[1] / "proofs_out" / "peano"
PROTECTED = ("keep", "fixed")  # never addressed by random requests
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(str(tmp_path_factory.mktemp("bad") / "bad.db"), theorems=str(PEANO)).start()
    with process.client() as http:
        for name in ("keep", "target", "fixed"):
            http.put(f"/collections/{name}", json={"dim": DIM}).raise_for_status()
        documents = generate_documents(50, seed=2)
        http.put("/collections/keep/points", json={"points": [
            {"id": i, "payload": d} for i, d in enumerate(documents)]}).raise_for_status()
        for name in ("target", "fixed"):
            http.put(f"/collections/{name}/points", json={"points": [
                {"id": i, "payload": d} for i, d in enumerate(documents[:5])]}).raise_for_status()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def http(server):
    with server.client() as client:
        yield client


def keep_snapshot(http):
    search = http.post("/collections/keep/search", json={"query": {"name": "A"}, "limit": 50, "with_payload": True})
    count = http.post("/collections/keep/count")
    return search.json()["result"], count.json()["result"]


@pytest.fixture(scope="module")
def keep_before(http):
    return keep_snapshot(http)


def assert_client_error(answer: httpx.Response, allow_success: bool = False):
    assert answer.status_code < 500, answer.text
    if allow_success and answer.status_code < 300:
        return
    assert 400 <= answer.status_code < 500, answer.text
    body = answer.json()
    assert isinstance(body["status"]["error"], str) and body["status"]["error"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25)
odd_names = st.sampled_from(["target", "keep-not", "../x", "..", "a b", "ä", "x" * 65, "a.b", "theorems",
                             "a/b", "%00", "nul\x00", "-", "_", "CON", "..%2Fkeep"]) | st.text(max_size=70)
odd_ids = st.sampled_from(["1", "-1", "99999999999999999999", "x", "a/b", "0x1", "1.5", "", "ü",
                           "9223372036854775808", "abc-1"]) | st.text(max_size=20)
ENDPOINTS = [("PUT", "/collections/{n}"), ("GET", "/collections/{n}"), ("DELETE", "/collections/{n}"),
             ("PUT", "/collections/{n}/points"), ("POST", "/collections/{n}/points/delete"),
             ("GET", "/collections/{n}/points/{p}"), ("DELETE", "/collections/{n}/points/{p}"),
             ("POST", "/collections/{n}/search"), ("POST", "/collections/{n}/count"),
             ("PATCH", "/collections/{n}"), ("POST", "/collections"), ("GET", "/nowhere/{n}"),
             ("GET", "/collections/{n}/exists"), ("POST", "/collections/{n}/points"),
             ("POST", "/collections/{n}/points/scroll"), ("POST", "/collections/{n}/points/count"),
             ("POST", "/collections/{n}/points/query"), ("POST", "/collections/{n}/points/query/batch"),
             ("POST", "/collections/{n}/points/search"), ("POST", "/collections/{n}/points/payload"),
             ("PUT", "/collections/{n}/points/payload"), ("POST", "/collections/{n}/points/payload/delete"),
             ("POST", "/collections/{n}/points/payload/clear"), ("GET", "/"), ("GET", "/livez")]

points = st.lists(st.fixed_dictionaries({}, optional={
    "id": json_values | st.integers(-5, 10),
    "payload": json_values,
    "vector": json_values | st.lists(st.floats(allow_nan=False, width=32), min_size=DIM - 1, max_size=DIM + 1),
    "extra": json_values}), max_size=5)
filters = json_values | st.fixed_dictionaries({}, optional={
    "must": st.lists(st.fixed_dictionaries({"key": json_values | st.sampled_from(["a", "a.b", "a[]", "a[0]", "."])},
                                           optional={"match": json_values, "range": json_values}), max_size=3),
    "should": json_values, "must_not": json_values})
vectors = json_values | st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32),
                                 min_size=DIM - 1, max_size=DIM + 1)
documents = st.fixed_dictionaries({}, optional={"object": json_values, "text": json_values,
                                                "model": st.sampled_from(["mbat", "x"]) | json_values,
                                                "options": json_values})
queries = json_values | vectors | documents | st.fixed_dictionaries(
    {}, optional={"nearest": json_values | vectors | documents, "recommend": json_values, "mmr": json_values})
selectors = json_values | st.sampled_from([True, False, ["a", "b.c"], {"include": ["a"]}, {"exclude": ["a[]"]}])
ids = st.lists(json_values | st.integers(-3, 10) | st.sampled_from(["5c56c79369f34fbf87e6c4bf54c28c26", "T1"]),
               max_size=4)
qdrant_bodies = st.one_of(
    st.fixed_dictionaries({}, optional={  # create, Qdrant's way
        "vectors": json_values | st.fixed_dictionaries({}, optional={
            "size": json_values | st.integers(-2, 5000),
            "distance": st.sampled_from(["Cosine", "Dot", "Euclid", "Manhattan", "cosine"]) | json_values,
            "datatype": json_values, "multivector_config": json_values, "on_disk": json_values}),
        "hnsw_config": json_values, "sparse_vectors": json_values, "shard_number": json_values, "dim": json_values}),
    st.fixed_dictionaries({}, optional={  # upsert in columns
        "batch": json_values | st.fixed_dictionaries({}, optional={
            "ids": ids, "vectors": st.lists(vectors, max_size=3) | json_values,
            "payloads": st.lists(json_values, max_size=3) | json_values}),
        "points": json_values, "shard_key": json_values}),
    st.fixed_dictionaries({}, optional={  # query, search, scroll, retrieve, count
        "query": queries, "vector": vectors | json_values, "limit": json_values | st.integers(-1, 20_000),
        "offset": json_values | st.integers(-1, 20_000), "filter": filters, "with_payload": selectors,
        "with_vector": json_values, "with_vectors": json_values, "score_threshold": json_values,
        "using": json_values, "params": json_values, "prefetch": json_values, "ids": ids,
        "order_by": json_values, "exact": json_values}),
    st.fixed_dictionaries({}, optional={  # payload changes, delete
        "payload": json_values, "points": ids | json_values, "filter": filters, "key": json_values,
        "keys": st.lists(json_values | st.sampled_from(["a", "a.b", "a[]", "a[0]", ""]), max_size=3)}),
    st.fixed_dictionaries({"searches": st.lists(st.fixed_dictionaries({}, optional={
        "query": queries, "limit": json_values, "filter": filters}), max_size=3) | json_values}),
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({}, optional={"dim": json_values | st.integers(-10, 10_000), "binding": json_values,
                                        "seed": json_values | st.integers()}).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"points": points}).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({}, optional={
        "query": json_values, "vector": json_values, "statement": json_values, "limit": json_values,
        "filter": filters, "with_payload": json_values, "score_threshold": json_values,
    }).map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"{", b"{\"points\": [", b"NaN", b"[1e999]", b"{\"query\": 1e999}", b"\xff\xfe",
                     b"{\"points\": [{\"id\": 1, \"payload\": \"\\ud800\"}]}", b"\"\\ud800\"",
                     b"{\"points\": [{\"id\": 1, \"vector\": [" + b"1e308," * (DIM - 1) + b"1e308]}]}"]),
    qdrant_bodies.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 120_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 120_000).map(lambda n: b"{\"points\": [{\"id\": 1, \"payload\": " + b"[" * n + b"]" * n + b"}]}"),
)


@SETTINGS
@given(endpoint=st.sampled_from(ENDPOINTS), name=odd_names, point=odd_ids, body=bodies,
       encode=st.booleans())
def test_random_requests_never_produce_a_server_error(http, keep_before, endpoint, name, point, body, encode):
    method, template = endpoint
    if name in PROTECTED or (encode and quote(name, safe="") in PROTECTED):
        name = "target"
    segment = quote(name, safe="") if encode else name.replace("?", "").replace("#", "")
    path = template.replace("{n}", segment).replace("{p}", quote(point, safe=""))
    try:
        answer = http.request(method, path, content=body, headers={"content-type": "application/json"})
    except httpx.InvalidURL:
        return
    event(f"status {answer.status_code}")
    assert_client_error(answer, allow_success=True)


QDRANT_ROUTES = [("PUT", "points"), ("POST", "points"), ("POST", "points/scroll"), ("POST", "points/count"),
                 ("POST", "points/query"), ("POST", "points/query/batch"), ("POST", "points/search"),
                 ("POST", "points/delete"), ("POST", "points/payload"), ("PUT", "points/payload"),
                 ("POST", "points/payload/delete"), ("POST", "points/payload/clear"), ("PUT", "")]


@SETTINGS
@given(route=st.sampled_from(QDRANT_ROUTES), name=st.sampled_from(["target", "theorems"]), body=qdrant_bodies)
def test_random_qdrant_bodies_never_produce_a_server_error(http, route, name, body):
    http.put("/collections/target", json={"dim": DIM})  # (re)made if a random request deleted it
    method, tail = route
    answer = http.request(method, f"/collections/{name}/{tail}".rstrip("/"), json=body)
    event(f"{tail or 'create'}: status {answer.status_code}")
    assert_client_error(answer, allow_success=True)


statements = st.text(max_size=60) | st.lists(st.sampled_from(
    ["a", "b", "c", "+", "*", "=", "(", ")", "s", "i0", "->", "∀", ".", ",", "¬", "∃", "∈", "N", "[", "]",
     ">", "&", "in3", "!", " "]), max_size=25).map("".join)


@SETTINGS
@given(statement=statements, route=st.sampled_from(["search", "query"]))
def test_random_statements_get_an_answer_or_a_4xx(http, statement, route):
    if route == "search":
        answer = http.post("/collections/theorems/search", json={"statement": statement, "limit": 3})
    else:
        answer = http.post("/collections/theorems/points/query",
                           json={"query": {"text": statement, "model": "mbat"}, "limit": 3})
    event(f"status {answer.status_code}")
    assert_client_error(answer, allow_success=True)


@SETTINGS
@given(payload=json_values, depth=st.integers(33, 400))
def test_deep_payloads_are_refused(http, payload, depth):
    for _ in range(depth):
        payload = {"k": payload}
    answer = http.put("/collections/fixed/points", json={"points": [{"id": 1, "payload": payload}]})
    assert_client_error(answer)
    assert "deeper" in answer.json()["status"]["error"] or "nested" in answer.json()["status"]["error"]


@pytest.mark.parametrize("body, phrase", [
    (b"{", "malformed JSON"),
    (b"", "empty"),
    (b"[1, 2]", "JSON object"),
    (b"{\"points\": [{\"id\": true, \"payload\": 1}]}", "points[0].id"),
    (b"{\"points\": [{\"id\": 1, \"vector\": [1, 2]}]}", f"expected {DIM} numbers"),
    (b"{\"points\": [{\"id\": 1}]}", "payload"),
    (b"{\"points\": [{\"id\": \"123\", \"payload\": 1}]}", "all digits"),
    (b"{\"points\": [{\"id\": 1, \"payload\": 1}, {\"id\": 1, \"payload\": 2}]}", "already appears"),
    (b"{\"points\": [{\"id\": 1, \"payload\": {\"s\": \"" + b"x" * 70_000 + b"\"}}]}", "characters"),
    (b"{\"points\": [{\"id\": 1, \"payload\": 123456789012345678901234567890}]}", "64 bits"),
])
def test_upsert_errors_name_the_problem(http, body, phrase):
    answer = http.put("/collections/fixed/points", content=body)
    assert_client_error(answer)
    assert phrase in answer.json()["status"]["error"]


@pytest.mark.parametrize("request_body, phrase", [
    ({"limit": 3}, "exactly one"),
    ({"query": 1, "vector": [0.0] * DIM}, "exactly one"),
    ({"query": 1, "limit": 0}, "limit"),
    ({"query": 1, "limit": 100_000}, "at most"),
    ({"query": 1, "limit": "5"}, "limit"),
    ({"query": 1, "limt": 5}, "limt"),
    ({"vector": [0.0] * DIM}, "zero vector"),
    ({"statement": "(>[a](in[a,b]))"}, "holds JSON documents"),
    ({"query": 1, "filter": {"must": [{"key": "a", "range": {"gte": "x"}}]}}, "filter.must[0].range.gte"),
    ({"query": 1, "filter": {"must": [{"key": "a..b", "match": {"value": 1}}]}}, "cannot read the key"),
    ({"query": 1, "filter": {"must": [{"key": "a", "match": {"value": [1]}}]}}, "match values"),
    ({"query": 1, "filter": {"must": [{"color": "red"}]}}, "a condition has"),
])
def test_search_errors_name_the_problem(http, request_body, phrase):
    answer = http.post("/collections/fixed/search", json=request_body)
    assert_client_error(answer)
    assert phrase in answer.json()["status"]["error"]


@pytest.mark.parametrize("method, path, status", [
    ("PUT", "/collections/a.b", 400), ("PUT", "/collections/" + "x" * 65, 400),
    ("GET", "/collections/..%2Fkeep", 404), ("GET", "/collections/missing", 404),
    ("GET", "/collections/fixed/points/not%20an%20id", 400),
    ("GET", "/collections/fixed/points/99999999999999999999", 400),
    ("PATCH", "/collections/target", 405), ("GET", "/nowhere", 404),
])
def test_bad_names_and_routes(http, method, path, status):
    answer = http.request(method, path)
    assert answer.status_code == status
    assert answer.json()["status"]["error"]


def test_huge_bodies_are_refused_before_parsing(server, http):
    limit = Limits().max_body_bytes  # 32 MiB, as Qdrant's default
    answer = http.put("/collections/fixed/points", content=b"x" * (limit + 1))
    assert answer.status_code == 413 and "limit" in answer.json()["status"]["error"]

    def chunks():  # no Content-Length: the guard counts while reading
        for _ in range(limit // (1024 * 1024) + 1):
            yield b" " * (1024 * 1024)
    streamed = http.put("/collections/fixed/points", content=chunks())
    assert streamed.status_code == 413
    assert server.healthy()


def test_server_stays_healthy_and_keep_is_unchanged(server, http, keep_before):
    assert server.healthy()
    assert keep_snapshot(http) == keep_before
