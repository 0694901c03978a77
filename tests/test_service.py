"""The vector search service end to end: a real server on 127.0.0.1, driven over HTTP.

One server (with an API key and the committed Peano run as ``theorems``) serves the
whole module; each test uses its own collection.  Durability and hostile input
have their own files (test_service_durability.py, test_service_bad_input.py).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from genlogic.service.filters import parse_filter
from genlogic.service.config import Limits
from genlogic.service.testing import ServerProcess
from genlogic.vsa import Encoder
from genlogic.vsa.synthetic import generate_documents

KEY = "test-key-0123"
PEANO = Path(__file__).resolve().parents[1] / "proofs_out" / "peano"
DIM = 512


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("service") / "service.db"
    process = ServerProcess(str(db), api_key=KEY, theorems=str(PEANO))
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def client(server):
    with server.client() as http:
        yield http


@pytest.fixture(scope="module")
def documents():
    return generate_documents(400, seed=7)


@pytest.fixture(scope="module")
def people(client, documents):
    """A collection of 400 generated documents, ids 0..399."""
    assert client.put("/collections/people", json={"dim": DIM, "seed": 3}).status_code == 200
    for start in range(0, len(documents), 100):
        batch = [{"id": i, "payload": documents[i]} for i in range(start, start + 100)]
        answer = client.put("/collections/people/points", json={"points": batch})
        assert answer.status_code == 200, answer.text
        assert answer.json()["result"]["upserted"] == 100
    return "people"


def ok(answer):
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ok"
    return body["result"]


def typo(text: str) -> str:
    """Swap two letters in the middle of the first word longer than three letters."""
    words = text.split(" ")
    for n, word in enumerate(words):
        if len(word) > 3:
            i = len(word) // 2
            words[n] = word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
            break
    return " ".join(words)


def test_collections_create_list_describe_delete(client):
    # Qdrant's answers: create and delete say true; genlogic's encoder settings sit under "genlogic"
    assert ok(client.put("/collections/scratch", json={"dim": 64, "binding": "haar", "seed": 1})) is True
    info = ok(client.get("/collections/scratch"))
    assert {k: info["genlogic"][k] for k in ("dim", "binding", "seed", "encoding")} == {
        "dim": 64, "binding": "haar", "seed": 1, "encoding": "json"}
    assert info["config"]["params"]["vectors"] == {"size": 64, "distance": "Cosine"}
    assert client.put("/collections/scratch", json={}).status_code == 409
    names = [c["name"] for c in ok(client.get("/collections"))["collections"]]
    assert "scratch" in names and "theorems" in names
    assert info["points_count"] == 0
    assert ok(client.delete("/collections/scratch")) is True
    assert client.get("/collections/scratch").status_code == 404
    assert ok(client.delete("/collections/scratch")) is False  # Qdrant: nothing was deleted


def test_default_settings_with_empty_body(client):
    assert ok(client.put("/collections/defaults")) is True
    described = ok(client.get("/collections/defaults"))
    assert {k: described["genlogic"][k] for k in ("dim", "binding", "seed", "encoding")} == {
        "dim": 1024, "binding": "signed_perm", "seed": 0, "encoding": "json"}
    ok(client.delete("/collections/defaults"))


def test_noisy_copy_finds_its_document(client, people, documents):
    # Intent: drop one field and put a small typo in the name; the document is still first.
    rng = random.Random(11)
    for target in rng.sample(range(len(documents)), 40):
        query = dict(documents[target])
        droppable = sorted(k for k in query if k not in ("name", "email"))
        del query[rng.choice(droppable)]
        query["name"] = typo(query["name"])
        hits = ok(client.post("/collections/people/search", json={"query": query, "limit": 3}))
        assert hits[0]["id"] == target, (target, hits)
        assert hits[0]["score"] > hits[1]["score"]


def test_search_returns_payloads_and_vectors_on_request(client, people, documents):
    hits = ok(client.post("/collections/people/search",
                          json={"query": documents[5], "limit": 2, "with_payload": True, "with_vector": True}))
    assert hits[0]["id"] == 5 and hits[0]["payload"] == documents[5]
    assert hits[0]["score"] == pytest.approx(1.0, abs=1e-5)
    assert len(hits[0]["vector"]) == DIM
    bare = ok(client.post("/collections/people/search", json={"query": documents[5], "limit": 2}))
    assert set(bare[0]) == {"id", "score"}


def test_search_by_vector_matches_search_by_document(client, people, documents):
    encoder = Encoder(dim=DIM, seed=3)
    vector = encoder.encode(documents[9]).tolist()
    by_vector = ok(client.post("/collections/people/search", json={"vector": vector, "limit": 5}))
    by_query = ok(client.post("/collections/people/search", json={"query": documents[9], "limit": 5}))
    assert [h["id"] for h in by_vector] == [h["id"] for h in by_query]
    assert by_vector[0]["id"] == 9


def test_score_threshold_drops_weak_hits(client, people, documents):
    hits = ok(client.post("/collections/people/search",
                          json={"query": documents[2], "limit": 50, "score_threshold": 0.5}))
    assert hits and all(h["score"] >= 0.5 for h in hits)
    assert len(hits) < 50


FILTERS = [
    {"must": [{"key": "age", "range": {"gte": 30, "lt": 50}}]},
    {"must": [{"key": "address.number", "range": {"lte": 300}}, {"key": "active", "match": {"value": True}}]},
    {"must": [{"key": "tags", "match": {"any": ["__never__"]}}]},
    {"should": [{"key": "title", "match": {"value": "engineer"}},
                {"key": "title", "match": {"value": "pilot"}}],
     "must_not": [{"key": "balance", "range": {"gt": 50000}}]},
    {"must": [{"is_null": {"key": "manager"}}]},
    {"must": [{"has_id": [1, 2, 3, 50, 399]}]},
]


def brute_force(documents, where, query_vector, vectors, k):
    rows = [i for i, d in enumerate(documents) if where.test(i, d)]
    scores = vectors[rows] @ query_vector
    order = sorted(range(len(rows)), key=lambda j: (-scores[j], rows[j]))[:k]
    return [rows[j] for j in order], [float(scores[j]) for j in order], rows


@pytest.mark.parametrize("number", range(len(FILTERS)))
def test_filtered_search_is_brute_force_on_the_filtered_subset(client, people, documents, number):
    raw = FILTERS[number]
    where = parse_filter(raw, Limits())
    encoder = Encoder(dim=DIM, seed=3)
    vectors = encoder.encode_batch(documents)
    query = documents[17]
    expected_ids, expected_scores, subset = brute_force(documents, where, encoder.encode(query), vectors, 10)
    hits = ok(client.post("/collections/people/search",
                          json={"query": query, "limit": 10, "filter": raw, "with_payload": True}))
    assert all(where.test(h["id"], h["payload"]) for h in hits)
    assert len(hits) == min(10, len(subset))
    assert [h["score"] for h in hits] == pytest.approx(expected_scores, abs=1e-5)
    assert [h["id"] for h in hits] == expected_ids
    count = ok(client.post("/collections/people/count", json={"filter": raw}))["count"]
    assert count == len(subset)


def test_count_get_and_delete_points(client):
    ok(client.put("/collections/small", json={"dim": 32}))
    points = [{"id": i, "payload": {"n": i, "word": f"w{i}"}} for i in range(10)]
    points.append({"id": "v-1", "vector": [1.0] + [0.0] * 31, "payload": {"kind": "raw"}})
    ok(client.put("/collections/small/points", json={"points": points}))
    assert ok(client.post("/collections/small/count"))["count"] == 11
    assert ok(client.get("/collections/small/points/3"))["payload"] == {"n": 3, "word": "w3"}
    raw = ok(client.get("/collections/small/points/v-1", params={"with_vector": "true"}))
    assert raw["vector"][0] == pytest.approx(1.0) and raw["payload"] == {"kind": "raw"}
    assert ok(client.delete("/collections/small/points/3"))["deleted"] == 1
    assert ok(client.delete("/collections/small/points/3"))["deleted"] == 0
    assert client.get("/collections/small/points/3").status_code == 404
    assert ok(client.post("/collections/small/points/delete", json={"points": [4, 5, "nope"]}))["deleted"] == 2
    assert ok(client.post("/collections/small/count"))["count"] == 8
    ids = {h["id"] for h in ok(client.post("/collections/small/search",
                                           json={"query": {"n": 4, "word": "w4"}, "limit": 100}))}
    assert ids == {0, 1, 2, 6, 7, 8, 9, "v-1"}
    # Upserting an existing id replaces payload and vector.
    ok(client.put("/collections/small/points", json={"points": [{"id": 0, "payload": {"n": 99}}]}))
    assert ok(client.get("/collections/small/points/0"))["payload"] == {"n": 99}
    assert ok(client.post("/collections/small/count"))["count"] == 8
    ok(client.delete("/collections/small"))


def test_same_request_same_answer(client, people, documents):
    request = {"query": {"name": "Ma", "tags": ["x"]}, "limit": 25, "filter": FILTERS[0]}
    first = ok(client.post("/collections/people/search", json=request))
    assert all(ok(client.post("/collections/people/search", json=request)) == first for _ in range(3))


def test_requests_without_the_key_are_refused(server):
    import httpx
    for method, path in [("GET", "/collections"), ("PUT", "/collections/x"),
                         ("POST", "/collections/people/search"), ("GET", "/collections/people/points/1")]:
        answer = httpx.request(method, server.url + path, json={})
        assert answer.status_code == 401, (method, path)
        assert "api-key" in answer.json()["status"]["error"]
        wrong = httpx.request(method, server.url + path, json={}, headers={"api-key": "wrong"})
        assert wrong.status_code == 401
    assert httpx.get(server.url + "/healthz").status_code == 200
    bearer = httpx.get(server.url + "/collections", headers={"Authorization": f"Bearer {KEY}"})
    assert bearer.status_code == 200


def test_openapi_and_docs(client):
    schema = client.get("/openapi.json").json()
    assert "/collections/{name}/search" in schema["paths"]
    search = schema["paths"]["/collections/{name}/search"]["post"]
    assert "filter" in search["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert client.get("/docs").status_code == 200


COMMUTATIVITY_MPL = "(>[x,y,u,v](&(in3[x,y,u,*])(in3[y,x,v,*]))(=[u,v]))"  # renamed variables


def test_theorems_searchable_by_mpl_statement(client):
    hits = ok(client.post("/collections/theorems/search",
                          json={"statement": COMMUTATIVITY_MPL, "limit": 5, "with_payload": True}))
    assert hits[0]["payload"]["readable"] == "∀a b. a * b = b * a"
    assert hits[0]["score"] == pytest.approx(1.0, abs=1e-5)
    assert hits[1]["score"] < hits[0]["score"]


def test_theorems_searchable_by_readable_statement(client):
    answer = client.post("/collections/theorems/search",
                         json={"statement": "∀x y. x * y = y * x", "limit": 3, "with_payload": True})
    hits = ok(answer)
    assert hits[0]["payload"]["readable"] == "∀a b. a * b = b * a"
    assert answer.json()["statement_form"] == "readable"


def test_theorems_collection_is_read_only_and_mpl_only(client):
    assert client.put("/collections/theorems/points",
                      json={"points": [{"id": 1, "payload": {}}]}).status_code == 403
    assert client.delete("/collections/theorems").status_code == 403
    assert client.post("/collections/theorems/search", json={"query": {"a": 1}}).status_code == 400
    bad = client.post("/collections/theorems/search", json={"statement": "(>[a](in[a,N])"})
    assert bad.status_code == 400 and "MPL" in bad.json()["status"]["error"]
    info = ok(client.get("/collections/theorems"))
    assert info["genlogic"]["read_only"] and info["genlogic"]["encoding"] == "mpl" and info["points_count"] == 348
    assert ok(client.get("/collections/theorems/points/T112"))["payload"]["id"] == "T112"


def test_theorem_search_matches_by_meaning_first(client):
    # issue 22: "a + b = b + a" ranks commutativity of + first (score 1); nothing else scores 1
    for statement, law in (("a + b = b + a", "∀a b. a + b = b + a"), ("y * x = x * y", "∀a b. a * b = b * a"),
                           ("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))", "∀a b. a + b = b + a")):
        answer = client.post("/collections/theorems/search",
                             json={"statement": statement, "limit": 5, "with_payload": True})
        hits = ok(answer)
        assert hits[0]["payload"]["readable"] == law and hits[0]["score"] == 1.0, (statement, hits[0])
        assert all(h["score"] < 1.0 for h in hits[1:])
    filtered = ok(client.post("/collections/theorems/search", json={
        "statement": "a + b = b + a", "limit": 3,
        "filter": {"must_not": [{"has_id": ["T008"]}]}}))
    assert "T008" not in [h["id"] for h in filtered] and filtered[0]["score"] < 1.0


@pytest.mark.parametrize("statement, phrase", [
    ("a + = b", ":1:5"), ("a + b = ", "statement"), ("(>[a", "MPL"), ("   ", "empty"),
    ("a ⊗ b = b", "statement"),
])
def test_malformed_statements_are_clear_400s(client, statement, phrase):
    for path, body in (("/collections/theorems/search", {"statement": statement}),
                       ("/collections/theorems/points/query",
                        {"query": {"nearest": {"text": statement, "model": "mbat"}}})):
        answer = client.post(path, json=body)
        assert answer.status_code == 400, (path, answer.text)
        assert phrase in answer.json()["status"]["error"]


def test_query_by_json_document_over_rest(client, people, documents):
    # genlogic's extension in Qdrant's shape: a document to encode (model may be left out)
    hits = ok(client.post("/collections/people/points/query", json={
        "query": {"nearest": {"object": documents[21]}}, "limit": 2, "with_payload": True}))["points"]
    assert hits[0]["id"] == 21 and hits[0]["payload"] == documents[21]
    assert hits[0]["score"] == pytest.approx(1.0, abs=1e-5) and isinstance(hits[0]["version"], int)


def test_older_search_route_of_qdrant(client, people, documents):
    # clients before 1.16 call POST /points/search with a vector
    vector = Encoder(dim=DIM, seed=3).encode(documents[30]).tolist()
    hits = ok(client.post("/collections/people/points/search", json={
        "vector": vector, "limit": 3, "with_payload": ["name"],
        "filter": {"must": [{"has_id": [30, 31, 32]}]}}))
    assert [h["id"] for h in hits][0] == 30 and len(hits) == 3
    assert hits[0]["payload"] == {"name": documents[30]["name"]}
    named = ok(client.post("/collections/people/points/search", json={
        "vector": {"name": "", "vector": vector}, "limit": 1}))
    assert named[0]["id"] == 30
