"""The official qdrant-client, unchanged, against a real ``genlogic serve`` on 127.0.0.1.

One server (with an API key and the committed Peano run as ``theorems``) serves the
module; each test makes its own collections.  Expected answers are computed here
independently: rankings by numpy over the same vectors, filters as plain Python
predicates over the same payloads.
"""

from __future__ import annotations

import importlib.metadata
import math
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient, models  # a dev dependency: pip install -e ".[dev]"
from qdrant_client.common.version_check import get_server_version, is_compatible
from qdrant_client.http.exceptions import UnexpectedResponse

from genlogic.service.testing import ServerProcess
from genlogic.vsa import Encoder
from genlogic.vsa.synthetic import generate_documents

KEY = "client-key-42"
PEANO = Path(__file__).resolve().parents[1] / "proofs_out" / "peano"
DIM = 32
N = 120

pytestmark = pytest.mark.filterwarnings("ignore:Api key is used with an insecure connection")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process = ServerProcess(str(tmp_path_factory.mktemp("qdrant") / "q.db"), api_key=KEY, theorems=str(PEANO))
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def client(server):
    qc = QdrantClient(url=server.url, api_key=KEY)
    yield qc
    qc.close()


@pytest.fixture(scope="module")
def documents_client(server):
    """Sends documents ({"text"|"object", "model"}) to the server as they are."""
    qc = QdrantClient(url=server.url, api_key=KEY, cloud_inference=True)
    yield qc
    qc.close()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((N, DIM))
    documents = generate_documents(N, seed=3)
    for i, document in enumerate(documents):
        document["rows"] = [{"kind": "a" if i % 3 == 0 else "b", "size": i % 7}, {"kind": "c", "size": 1}]
    return vectors, documents


@pytest.fixture(scope="module")
def people(client, data):
    """N points with vectors and payloads in a Cosine collection, ids 0..N-1."""
    vectors, documents = data
    client.create_collection("people", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE))
    for start in range(0, N, 50):
        client.upsert("people", points=[models.PointStruct(id=i, vector=vectors[i].tolist(), payload=documents[i])
                                        for i in range(start, min(N, start + 50))])
    return "people"


def unit(matrix):
    return matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)


def test_the_version_check_passes(server):
    # the client asks GET / at start-up and warns unless the versions are compatible
    version = get_server_version(server.url, {"api-key": KEY}, None, 5)
    assert is_compatible(importlib.metadata.version("qdrant-client"), version)


def test_collection_lifecycle(client):
    assert client.create_collection("life", vectors_config=models.VectorParams(size=8, distance=models.Distance.DOT))
    assert client.collection_exists("life") and not client.collection_exists("never-made")
    assert "life" in {c.name for c in client.get_collections().collections}
    info = client.get_collection("life")
    assert info.config.params.vectors.size == 8
    assert info.config.params.vectors.distance == models.Distance.DOT
    assert info.points_count == 0 and info.status == models.CollectionStatus.GREEN
    with pytest.raises(UnexpectedResponse) as again:
        client.create_collection("life", vectors_config=models.VectorParams(size=8, distance=models.Distance.DOT))
    assert again.value.status_code == 409
    assert client.delete_collection("life") is True
    assert client.delete_collection("life") is False
    assert not client.collection_exists("life")
    with pytest.raises(UnexpectedResponse) as missing:
        client.get_collection("life")
    assert missing.value.status_code == 404 and b"does not exist" in missing.value.content


def test_unsupported_settings_are_clear_errors(client):
    with pytest.raises(UnexpectedResponse) as manhattan:
        client.create_collection("m", vectors_config=models.VectorParams(size=8, distance=models.Distance.MANHATTAN))
    assert manhattan.value.status_code == 400 and b"Manhattan" in manhattan.value.content
    with pytest.raises(UnexpectedResponse) as named:
        client.create_collection("m", vectors_config={"a": models.VectorParams(size=8, distance=models.Distance.DOT)})
    assert named.value.status_code == 400 and b"named vectors" in named.value.content
    assert not client.collection_exists("m")


def test_upsert_retrieve_and_payload_only_points(client):
    client.create_collection("mixed", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE))
    raw = [3.0] + [0.0] * (DIM - 1)
    result = client.upsert("mixed", points=[
        models.PointStruct(id=1, vector=raw, payload={"kind": "given"}),
        models.PointStruct(id=2, vector={}, payload={"city": "Paris", "n": 2}),  # no vector: MBAT of the payload
        models.PointStruct(id="5C56C793-69F3-4FBF-87E6-C4BF54C28C26", vector=raw)])
    assert result.status == models.UpdateStatus.COMPLETED and result.operation_id > 0
    records = {r.id: r for r in client.retrieve("mixed", ids=[1, 2, "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", 77],
                                                with_vectors=True)}
    assert set(records) == {1, 2, "5c56c793-69f3-4fbf-87e6-c4bf54c28c26"}  # UUIDs come back canonical
    assert records[1].vector == pytest.approx([1.0] + [0.0] * (DIM - 1))  # Cosine: stored unit length
    assert records[1].payload == {"kind": "given"}
    assert records["5c56c793-69f3-4fbf-87e6-c4bf54c28c26"].payload == {}
    expected = Encoder(dim=DIM).encode({"city": "Paris", "n": 2})
    assert records[2].vector == pytest.approx(expected.tolist(), abs=1e-6)
    bare = client.retrieve("mixed", ids=[1], with_payload=False)
    assert bare[0].payload is None and bare[0].vector is None
    some = client.retrieve("mixed", ids=[2], with_payload=["city"])
    assert some[0].payload == {"city": "Paris"}
    client.upsert("mixed", points=models.Batch(ids=[10, 11], vectors=[raw, raw], payloads=[{"b": 1}, {"b": 2}]))
    assert client.count("mixed").count == 5
    client.upsert("mixed", points=[models.PointStruct(id=10, vector=raw, payload={"b": 9})])  # replaces
    assert client.retrieve("mixed", ids=[10])[0].payload == {"b": 9}
    assert client.count("mixed").count == 5
    client.delete_collection("mixed")


def test_scroll_pages_through_every_point_in_id_order(client, people, data):
    _, documents = data
    seen, offset, pages = [], None, 0
    while True:
        points, offset = client.scroll("people", limit=7, offset=offset, with_payload=True)
        seen += [p.id for p in points]
        pages += 1
        assert all(p.payload == documents[p.id] for p in points)
        if offset is None:
            break
    assert seen == list(range(N)) and pages == math.ceil(N / 7)
    page, following = client.scroll("people", limit=5, offset=100)
    assert [p.id for p in page] == [100, 101, 102, 103, 104] and following == 105
    where = models.Filter(must=[models.FieldCondition(key="age", range=models.Range(gte=40))])
    filtered = [p.id for p in client.scroll("people", scroll_filter=where, limit=N)[0]]
    assert filtered == [i for i in range(N) if documents[i].get("age", 0) >= 40]


FILTER_CASES = [  # (filter, the same condition as a Python predicate on the payload)
    (models.Filter(must=[models.FieldCondition(key="address.number", range=models.Range(gt=100, lte=500))]),
     lambda d: 100 < d.get("address", {}).get("number", -1) <= 500),
    (models.Filter(should=[models.FieldCondition(key="title", match=models.MatchValue(value="nurse")),
                           models.FieldCondition(key="title", match=models.MatchValue(value="pilot"))],
                   must_not=[models.FieldCondition(key="active", match=models.MatchValue(value=True))]),
     lambda d: d.get("title") in ("nurse", "pilot") and d.get("active") is not True),
    (models.Filter(must=[models.FieldCondition(key="country", match=models.MatchAny(any=["Difofi", "Coki", "Xx"]))]),
     lambda d: d.get("country") in ("Difofi", "Coki", "Xx")),
    (models.Filter(must=[models.FieldCondition(key="title", match=models.MatchExcept(**{"except": ["nurse"]}))]),
     lambda d: "title" in d and d["title"] != "nurse"),  # a missing key matches nothing
    (models.Filter(must=[models.FieldCondition(key="rows[].kind", match=models.MatchValue(value="a"))]),
     lambda d: any(r["kind"] == "a" for r in d["rows"])),
    (models.Filter(must=[models.NestedCondition(nested=models.Nested(key="rows", filter=models.Filter(must=[
        models.FieldCondition(key="kind", match=models.MatchValue(value="b")),
        models.FieldCondition(key="size", range=models.Range(gte=4))])))]),
     lambda d: any(r["kind"] == "b" and r["size"] >= 4 for r in d["rows"])),
    (models.Filter(must=[models.IsNullCondition(is_null=models.PayloadField(key="manager"))]),
     lambda d: "manager" in d and d["manager"] is None),
    (models.Filter(must=[models.IsEmptyCondition(is_empty=models.PayloadField(key="phone"))]),
     lambda d: d.get("phone") in (None, [])),
    (models.Filter(must=[models.HasIdCondition(has_id=[3, 5, 8, 1000])]), None),
    (models.Filter(must=[models.FieldCondition(key="tags", values_count=models.ValuesCount(gte=3))]),
     lambda d: len(d.get("tags", [])) >= 3),
    (models.Filter(min_should=models.MinShould(conditions=[
        models.FieldCondition(key="age", range=models.Range(lt=30)),
        models.FieldCondition(key="active", match=models.MatchValue(value=True)),
        models.FieldCondition(key="balance", range=models.Range(gt=50000))], min_count=2)),
     lambda d: (d.get("age", 99) < 30) + (d.get("active") is True) + (d.get("balance", 0) > 50000) >= 2),
]


@pytest.mark.parametrize("number", range(len(FILTER_CASES)))
def test_count_and_filtered_query_agree_with_python(client, people, data, number):
    vectors, documents = data
    where, predicate = FILTER_CASES[number]
    passing = [i for i in range(N) if (i in (3, 5, 8) if predicate is None else predicate(documents[i]))]
    assert 0 < len(passing) < N, "the case should split the points"
    assert client.count("people", count_filter=where).count == len(passing)
    query = vectors[7] + 0.3 * vectors[9]
    scores = unit(vectors[passing]) @ unit(query)
    expected = [passing[j] for j in np.argsort(-scores)[:10]]
    found = client.query_points("people", query=query.tolist(), query_filter=where, limit=10).points
    assert [p.id for p in found] == expected
    assert [p.score for p in found] == pytest.approx(sorted(scores, reverse=True)[:10], abs=1e-5)


def test_query_points_limit_offset_payload_vectors_threshold(client, people, data):
    vectors, documents = data
    query = vectors[11] + 0.5 * vectors[12]
    scores = unit(vectors) @ unit(query)
    ranking = list(np.argsort(-scores))
    first = client.query_points("people", query=query.tolist(), limit=5, with_payload=False)
    assert [p.id for p in first.points] == ranking[:5]
    assert all(p.payload is None and p.vector is None for p in first.points)
    page = client.query_points("people", query=query.tolist(), limit=5, offset=5, with_payload=True,
                               with_vectors=True)
    assert [p.id for p in page.points] == ranking[5:10]
    assert all(p.payload == documents[p.id] for p in page.points)
    assert page.points[0].vector == pytest.approx(unit(vectors[ranking[5]]).tolist(), abs=1e-6)
    threshold = float(scores[ranking[3]]) - 1e-4
    kept = client.query_points("people", query=query.tolist(), limit=50, score_threshold=threshold)
    assert [p.id for p in kept.points] == ranking[:4]
    by_id = client.query_points("people", query=11, limit=1)  # a point id: that point's vector
    assert by_id.points[0].id == 11 and by_id.points[0].score == pytest.approx(1.0, abs=1e-5)
    selected = client.query_points("people", query=query.tolist(), limit=1,
                                   with_payload=models.PayloadSelectorExclude(exclude=["tags", "address.zip"]))
    expected = {k: v for k, v in documents[ranking[0]].items() if k != "tags"}
    expected["address"] = {k: v for k, v in expected["address"].items() if k != "zip"}
    assert selected.points[0].payload == expected


def test_query_batch_points(client, people, data):
    vectors, _ = data
    answers = client.query_batch_points("people", requests=[
        models.QueryRequest(query=vectors[i].tolist(), limit=2) for i in (1, 2, 3)])
    assert [a.points[0].id for a in answers] == [1, 2, 3]


def test_dot_and_euclid_rank_like_numpy(client, data):
    vectors, _ = data
    for name, distance in (("dot", models.Distance.DOT), ("euclid", models.Distance.EUCLID)):
        client.create_collection(name, vectors_config=models.VectorParams(size=DIM, distance=distance))
        client.upsert(name, points=[models.PointStruct(id=i, vector=vectors[i].tolist()) for i in range(N)])
        query = vectors[4] * 0.7 + vectors[40] * 0.2
        if distance == models.Distance.DOT:
            scores = vectors @ query
            ranking = list(np.argsort(-scores))[:6]
        else:
            scores = np.linalg.norm(vectors - query, axis=1)
            ranking = list(np.argsort(scores))[:6]
        found = client.query_points(name, query=query.tolist(), limit=6).points
        assert [p.id for p in found] == ranking, name
        assert [p.score for p in found] == pytest.approx([float(scores[i]) for i in ranking], rel=1e-4)
        client.delete_collection(name)


def test_delete_by_ids_and_by_filter(client, data):
    vectors, documents = data
    client.create_collection("doomed", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE))
    client.upsert("doomed", points=[models.PointStruct(id=i, vector=vectors[i].tolist(), payload=documents[i])
                                    for i in range(40)])
    client.delete("doomed", points_selector=models.PointIdsList(points=[0, 1, 2, 999]))
    assert client.count("doomed").count == 37
    assert client.retrieve("doomed", ids=[0, 1, 2, 3])[0].id == 3
    old = models.Filter(must=[models.FieldCondition(key="age", range=models.Range(gte=50))])
    expected = [i for i in range(3, 40) if documents[i].get("age", 0) < 50]
    client.delete("doomed", points_selector=models.FilterSelector(filter=old))
    assert [p.id for p in client.scroll("doomed", limit=100)[0]] == expected
    assert client.count("doomed", count_filter=old).count == 0
    client.delete_collection("doomed")


def test_set_overwrite_and_delete_payload(client):
    client.create_collection("pay", vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE))
    client.upsert("pay", points=[models.PointStruct(id=i, vector={}, payload={"n": i, "a": {"b": i, "c": 1}})
                                 for i in range(6)])
    client.set_payload("pay", payload={"color": "red"}, points=[0, 1])
    client.set_payload("pay", payload={"big": True},
                       points=models.Filter(must=[models.FieldCondition(key="n", range=models.Range(gte=4))]))
    client.set_payload("pay", payload={"d": 5}, points=[2], key="a")
    client.overwrite_payload("pay", payload={"only": 1}, points=[3])
    client.delete_payload("pay", keys=["n", "a.c"], points=[0, 5])
    payloads = {r.id: r.payload for r in client.retrieve("pay", ids=list(range(6)))}
    assert payloads == {0: {"a": {"b": 0}, "color": "red"}, 1: {"n": 1, "a": {"b": 1, "c": 1}, "color": "red"},
                        2: {"n": 2, "a": {"b": 2, "c": 1, "d": 5}}, 3: {"only": 1},
                        4: {"n": 4, "a": {"b": 4, "c": 1}, "big": True}, 5: {"a": {"b": 5}, "big": True}}
    # a vector made from the payload follows it
    vector = client.retrieve("pay", ids=[3], with_vectors=True)[0].vector
    assert vector == pytest.approx(Encoder(dim=DIM).encode({"only": 1}).tolist(), abs=1e-6)
    with pytest.raises(UnexpectedResponse) as missing:
        client.set_payload("pay", payload={"x": 1}, points=[1, 404])
    assert missing.value.status_code == 404 and b"404" in missing.value.content
    assert "x" not in client.retrieve("pay", ids=[1])[0].payload  # nothing was applied
    assert client.count("pay", count_filter=models.Filter(must=[
        models.FieldCondition(key="color", match=models.MatchValue(value="red"))])).count == 2
    client.delete_collection("pay")


def test_documents_are_encoded_by_mbat(documents_client, data):
    _, documents = data
    qc = documents_client
    qc.create_collection("docs", vectors_config=models.VectorParams(size=256, distance=models.Distance.COSINE))
    qc.upsert("docs", points=[models.PointStruct(id=i, vector={}, payload=documents[i]) for i in range(60)])
    target = dict(documents[17])
    del target["notes"]
    hits = qc.query_points("docs", query=models.InferenceObject(object=target, model="mbat"), limit=3).points
    assert hits[0].id == 17 and hits[0].score > hits[1].score
    with pytest.raises(UnexpectedResponse) as other:
        qc.query_points("docs", query=models.Document(text="x", model="sentence-transformers/all-MiniLM-L6-v2"))
    assert other.value.status_code == 400 and b"MBAT" in other.value.content
    qc.delete_collection("docs")


def test_theorems_are_searchable_through_the_client(client, documents_client):
    info = client.get_collection("theorems")
    assert info.points_count == 348 and info.config.params.vectors.size == 1024
    hits = documents_client.query_points("theorems", query=models.Document(text="a + b = b + a", model="mbat"),
                                         limit=3, with_payload=True).points
    assert hits[0].payload["readable"] == "∀a b. a + b = b + a" and hits[0].score == pytest.approx(1.0)
    assert hits[1].score < 1.0
    mpl = "(>[x,y,u,v](&(in3[x,y,u,*])(in3[y,x,v,*]))(=[u,v]))"
    assert documents_client.query_points("theorems", query=models.Document(text=mpl, model="mbat"), limit=1,
                                         with_payload=True).points[0].payload["readable"] == "∀a b. a * b = b * a"
    same = client.query_points("theorems", query="T008", limit=1)  # by id: that theorem's own vector
    assert same.points[0].id == "T008"
    with pytest.raises(UnexpectedResponse) as malformed:
        documents_client.query_points("theorems", query=models.Document(text="a + = b", model="mbat"))
    assert malformed.value.status_code == 400 and b":1:5" in malformed.value.content
    with pytest.raises(UnexpectedResponse) as read_only:
        client.upsert("theorems", points=[models.PointStruct(id=1, vector=[0.0] * 1024)])
    assert read_only.value.status_code == 403


def test_the_key_is_required(server):
    keyless = QdrantClient(url=server.url, check_compatibility=False)
    with pytest.raises(UnexpectedResponse) as refused:
        keyless.get_collections()
    keyless.close()
    assert refused.value.status_code == 401
