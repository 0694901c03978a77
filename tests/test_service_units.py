"""The service's parts without a server: filters, store, the catch-all handler, the CLI."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from fastapi.testclient import TestClient

from genlogic.service.app import create_app
from genlogic.service.cli import main as serve_main
from genlogic.service.config import Limits, ServiceConfig
from genlogic.service.registry import Registry
from genlogic.service.filters import parse_filter, values_at
from genlogic.service.store import CollectionRecord, Store
from genlogic.service.theorems import canonical_readable
from genlogic.service.validation import ApiError

@pytest.fixture(autouse=True)
def never_serve(monkeypatch):
    """CLI tests end before uvicorn; if one would start it, fail instead of hanging."""
    import uvicorn
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: pytest.fail("the CLI tried to serve"))


DOC = {"a": {"b": 3}, "price": 2.5, "tags": ["x", "y"], "rows": [{"n": 1}, {"n": 7}], "flag": True,
       "none": None, "empty": []}


# One line of intent per case: (filter, passes DOC?)
FILTER_CASES = [
    ({"must": [{"key": "a.b", "match": {"value": 3}}]}, True),             # nested key, int
    ({"must": [{"key": "a.b", "match": {"value": 3.0}}]}, True),           # numbers compare by value
    ({"must": [{"key": "flag", "match": {"value": 1}}]}, False),           # booleans are not numbers
    ({"must": [{"key": "tags", "match": {"value": "y"}}]}, True),          # arrays match any element
    ({"must": [{"key": "tags[0]", "match": {"value": "y"}}]}, False),      # indexed element
    ({"must": [{"key": "rows[].n", "range": {"gt": 5}}]}, True),           # all elements, then a key
    ({"must": [{"key": "rows.n", "range": {"gt": 8}}]}, False),            # arrays searched implicitly
    ({"must": [{"key": "price", "range": {"gte": 1, "lt": 5}}]}, True),    # range both sides
    ({"must": [{"key": "price", "range": {"gte": 2.5, "lt": 2.5}}]}, False),
    ({"must": [{"key": "missing", "match": {"value": 1}}]}, False),        # absent key fails a match
    ({"must_not": [{"key": "missing", "match": {"value": 1}}]}, True),
    ({"should": [{"key": "a.b", "match": {"value": 4}}, {"key": "flag", "match": {"value": True}}]}, True),
    ({"should": [{"key": "a.b", "match": {"value": 4}}]}, False),
    ({"must": [{"key": "a.b", "match": {"any": [1, 2, 3]}}]}, True),
    ({"must": [{"is_null": {"key": "none"}}, {"is_empty": {"key": "empty"}},
               {"is_empty": {"key": "nowhere"}}]}, True),
    ({"must": [{"is_empty": {"key": "tags"}}]}, False),
    ({"must": [{"has_id": [7]}]}, True),                                   # the test point's id is 7
    ({"must": [{"has_id": ["7x"]}]}, False),
    ({"must": [{"must_not": [{"key": "flag", "match": {"value": False}}]}]}, True),  # nested filter
    ({}, True),                                                            # empty filter
]


@pytest.mark.parametrize("raw, passes", FILTER_CASES)
def test_filter_semantics(raw, passes):
    assert parse_filter(raw, Limits()).test(7, DOC) is passes


def test_values_at_paths():
    assert values_at(DOC, ("rows", -1, "n")) == [1, 7]
    assert values_at(DOC, ("rows", "n")) == [1, 7]
    assert values_at(DOC, ("tags", 5)) == []


@pytest.mark.parametrize("raw", [
    [], {"must": 3}, {"must": [{"key": "", "match": {"value": 1}}]},
    {"must": [{"key": "a", "match": {"value": 1}, "range": {"gt": 1}}]},
    {"must": [{"key": "a", "range": {}}]}, {"must": [{"key": "a", "range": {"gt": True}}]},
    {"must": [{"key": "a", "match": {"any": "x"}}]}, {"must": [{"has_id": [-1]}]},
    {"maybe": []}, {"must": [{"must": [{"must": [{"must": [{"must": [{"must": [{"must": [{"must": [
        {"must": []}]}]}]}]}]}]}]}]},
    {"must": [{"key": "a", "match": {"value": 1}}] * 65},
])
def test_bad_filters_are_api_errors(raw):
    with pytest.raises(ApiError) as caught:
        parse_filter(raw, Limits())
    assert caught.value.status == 400 and caught.value.message.startswith("filter")


def test_store_round_trip_keeps_order_and_bits(tmp_path):
    path = str(tmp_path / "s.db")
    store = Store(path)
    store.create_collection(CollectionRecord("c", 4, "signed_perm", 0))
    vectors = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    store.upsert_points("c", ['"b"', "1", '"a"'], ["b", 1, "a"], [{"x": 1}, None, [1, "é"]], vectors)
    store.upsert_points("c", ["1"], [1], [{"new": True}], vectors[:1])  # keeps its place
    store.close()
    reopened = Store(path)
    assert reopened.collections() == [CollectionRecord("c", 4, "signed_perm", 0)]
    points = list(reopened.points("c", 4))
    assert [p.point_id for p in points] == ["b", 1, "a"]
    assert [p.payload for p in points] == [{"x": 1}, {"new": True}, [1, "é"]]
    assert points[1].vector.tobytes() == vectors[0].tobytes()
    assert reopened._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened.delete_collection("c")
    assert reopened.collections() == [] and list(reopened.points("c", 4)) == []


def test_catch_all_handler_answers_json_without_internals(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    registry = Registry(store, Limits())

    def broken():
        raise RuntimeError("secret internal detail")
    registry.names = broken
    app = create_app(ServiceConfig(db_path=str(tmp_path / "x.db")), registry)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/collections")
        assert answer.status_code == 500
        error = answer.json()["status"]["error"]
        assert "internal error" in error and "secret" not in error
        assert client.put("/collections/fine").status_code == 200  # the app keeps serving
    store.close()


def test_api_key_guard_in_process(tmp_path):
    store = Store(str(tmp_path / "k.db"))
    app = create_app(ServiceConfig(db_path="unused", api_key="k1"), Registry(store, Limits()))
    with TestClient(app) as client:
        assert client.get("/collections").status_code == 401
        assert client.get("/collections", headers={"api-key": "k1"}).status_code == 200
        assert client.get("/healthz").status_code == 200
    store.close()


def test_small_body_limit_from_config(tmp_path):
    store = Store(str(tmp_path / "l.db"))
    app = create_app(ServiceConfig(db_path="unused", limits=Limits(max_body_bytes=100)), Registry(store, Limits()))
    with TestClient(app) as client:
        answer = client.put("/collections/c", content=b"{" + b" " * 200 + b"}")
        assert answer.status_code == 413
        assert client.put("/collections/c", json={"dim": 16}).status_code == 200
    store.close()


def test_readable_statements_compare_up_to_bound_names():
    assert canonical_readable("∀x y. x * y = y * x") == canonical_readable("∀a b. a * b = b * a")
    assert canonical_readable("∀x y. x * y = y * x") != canonical_readable("∀a b. a + b = b + a")


@pytest.mark.parametrize("make, phrase", [
    (lambda p: p.write_bytes(b"this is not sqlite" * 100), "not a usable SQLite database"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(), "something else"),
])
def test_cli_refuses_unusable_databases(tmp_path, capsys, make, phrase):
    path = tmp_path / "db"
    make(path)
    assert serve_main(["serve", "--db", str(path), "--port", "1"]) == 2
    assert phrase in capsys.readouterr().err


@pytest.mark.parametrize("argv, phrase", [
    (["--theorems", "/nonexistent/run"], "not a directory"),
    (["--port", "70000"], "--port"),
])
def test_cli_user_errors(tmp_path, capsys, argv, phrase):
    assert serve_main(["serve", "--db", str(tmp_path / "db"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and phrase in err


def test_cli_refuses_a_run_without_proof_graph(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    assert serve_main(["serve", "--db", str(tmp_path / "db"), "--theorems", str(tmp_path / "run")]) == 2
    assert "no proof_graph.json" in capsys.readouterr().err


def test_one_service_per_database(tmp_path, capsys):
    store = Store(str(tmp_path / "one.db"))
    assert serve_main(["serve", "--db", str(tmp_path / "one.db")]) == 2
    assert "another service" in capsys.readouterr().err
    store.close()
    Store(str(tmp_path / "one.db")).close()


def test_filter_cache_tells_values_apart_and_forgets_on_write():
    from genlogic.service.engine import Collection
    collection = Collection("c", 16)
    vectors = np.eye(16, dtype=np.float32)[:3]
    collection.apply_upsert(["0", "1", "2"], [0, 1, 2], [{"f": 1}, {"f": True}, {"f": 1.0}], vectors)

    def count(value):
        return collection.count(parse_filter({"must": [{"key": "f", "match": {"value": value}}]}, Limits()))
    assert (count(1), count(True), count(1.0), count(1)) == (2, 1, 2, 2)
    collection.apply_upsert(["3"], [3], [{"f": 1}], np.eye(16, dtype=np.float32)[3:4])
    assert count(1) == 3
    collection.apply_delete(["0", "3"])
    assert (count(1), count(True)) == (1, 1)


# -- Qdrant shapes -------------------------------------------------------------------------
QDRANT_FILTER_CASES = [
    ({"must": [{"key": "tags", "match": {"except": ["x"]}}]}, True),         # "y" is not excluded
    ({"must": [{"key": "tags", "match": {"except": ["x", "y"]}}]}, False),
    ({"must": [{"key": "missing", "match": {"except": ["x"]}}]}, False),     # no value, no match
    ({"must": [{"key": "rows[].n", "match": {"text": "1"}}]}, False),         # text matches strings only
    ({"must": [{"key": "tags", "match": {"text": "y"}}]}, True),
    ({"must": [{"key": "tags", "values_count": {"gte": 2, "lt": 3}}]}, True),
    ({"must": [{"key": "empty", "values_count": {"gt": 0}}]}, False),
    ({"must": [{"key": "empty", "is_empty": True}, {"key": "tags", "is_empty": False}]}, True),
    ({"must": [{"key": "none", "is_null": False}]}, False),
    ({"must": [{"nested": {"key": "rows", "filter": {"must": [{"key": "n", "range": {"gt": 5}}]}}}]}, True),
    ({"must": [{"nested": {"key": "rows", "filter": {"must": [{"key": "n", "match": {"value": 1}},
                                                              {"key": "n", "match": {"value": 7}}]}}}]}, False),
    ({"min_should": {"conditions": [{"key": "flag", "match": {"value": True}},
                                    {"key": "a.b", "match": {"value": 3}},
                                    {"key": "price", "range": {"gt": 10}}], "min_count": 2}}, True),
    ({"min_should": {"conditions": [{"key": "flag", "match": {"value": True}},
                                    {"key": "price", "range": {"gt": 10}}], "min_count": 2}}, False),
    ({"must": [{"has_vector": ""}]}, True),
]


@pytest.mark.parametrize("raw, passes", QDRANT_FILTER_CASES)
def test_qdrant_filter_semantics(raw, passes):
    assert parse_filter(raw, Limits()).test(7, DOC) is passes


@pytest.mark.parametrize("raw, phrase", [
    ({"must": [{"key": "loc", "geo_radius": {"center": {"lon": 0, "lat": 0}, "radius": 1}}]}, "geo"),
    ({"must": [{"key": "t", "range": {"gte": "2024-01-01T00:00:00Z"}}]}, "datetime"),
    ({"must": [{"has_vector": "image"}]}, "unnamed vector"),
    ({"must": [{"key": "a", "match": {"phrase": "x y"}}]}, "unknown field 'phrase'"),
    ({"min_should": {"conditions": [], "min_count": -1}}, "min_count"),
])
def test_unsupported_conditions_are_named(raw, phrase):
    with pytest.raises(ApiError) as caught:
        parse_filter(raw, Limits())
    assert caught.value.status == 400 and phrase in caught.value.message


def test_payload_selectors_and_changes():
    from genlogic.service.payloads import delete_keys, parse_payload_selector, set_keys
    payload = {"a": {"b": 1, "c": [1, 2]}, "rows": [{"n": 1, "m": 2}, {"n": 3}], "z": 0}
    assert parse_payload_selector(["a.b", "z"], "w", True).apply(payload) == {"a": {"b": 1}, "z": 0}
    assert parse_payload_selector({"exclude": ["a.c", "rows[].m"]}, "w", True).apply(payload) == {
        "a": {"b": 1}, "rows": [{"n": 1}, {"n": 3}], "z": 0}
    assert parse_payload_selector(False, "w", True).apply(payload) is None
    assert parse_payload_selector(None, "w", True).apply(None) == {}
    assert delete_keys(payload, 1, [("a", "c", 0), ("z",)]) == {"a": {"b": 1, "c": [2]}, "rows": payload["rows"]}
    assert set_keys(payload, 1, {"d": 4}, ("a",))["a"] == {"b": 1, "c": [1, 2], "d": 4}
    assert set_keys(None, 1, {"d": 4}, ("x", "y")) == {"x": {"y": {"d": 4}}}
    assert payload == {"a": {"b": 1, "c": [1, 2]}, "rows": [{"n": 1, "m": 2}, {"n": 3}], "z": 0}  # unchanged
    with pytest.raises(ApiError) as not_object:
        set_keys([1, 2], 9, {"d": 4}, None)
    assert not_object.value.status == 400 and "not a JSON object" in not_object.value.message
    with pytest.raises(ApiError):
        parse_payload_selector({"include": ["a"], "exclude": ["b"]}, "with_payload", True)


def test_uuid_ids_are_canonical():
    from genlogic.service.validation import check_point_id, point_id_from_path
    canonical = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26"
    assert check_point_id("5C56C793-69F3-4FBF-87E6-C4BF54C28C26") == canonical
    assert check_point_id("5c56c79369f34fbf87e6c4bf54c28c26") == canonical
    assert point_id_from_path(canonical.upper()) == canonical
    assert point_id_from_path("12345678123456781234567812345678") == "12345678-1234-5678-1234-567812345678"
    assert point_id_from_path("42") == 42 and check_point_id("T112") == "T112"


def test_best_positions_order_and_ties():
    from genlogic.service.engine import best_positions
    scores = np.array([0.5, 0.9, 0.5, 0.9, 0.1, 0.5], dtype=np.float32)
    assert best_positions(scores, 3).tolist() == [1, 3, 0]
    assert best_positions(scores, 4).tolist() == [1, 3, 0, 2]
    assert best_positions(scores, 10).tolist() == [1, 3, 0, 2, 5, 4]
    assert best_positions(scores, 0).tolist() == []


V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE collections (name TEXT PRIMARY KEY, dim INTEGER NOT NULL, binding TEXT NOT NULL,
                          seed INTEGER NOT NULL, created INTEGER NOT NULL);
CREATE TABLE points (seq INTEGER PRIMARY KEY AUTOINCREMENT,
                     collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
                     key TEXT NOT NULL, id TEXT NOT NULL, payload TEXT, vector BLOB NOT NULL,
                     UNIQUE (collection, key));
INSERT INTO meta VALUES ('format', 'genlogic.service.store'), ('version', '1');
INSERT INTO collections VALUES ('old', 4, 'signed_perm', 0, 1);
"""


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    path = str(tmp_path / "v1.db")
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.execute("INSERT INTO points (collection, key, id, payload, vector) VALUES ('old', '1', '1', '{\"a\": 1}', ?)",
               (np.arange(4, dtype="<f4").tobytes(),))
    db.commit()
    db.close()
    store = Store(path)
    assert store.collections() == [CollectionRecord("old", 4, "signed_perm", 0, "Cosine")]
    [point] = store.points("old", 4)
    assert (point.point_id, point.payload, point.encoded, point.version) == (1, {"a": 1}, False, 0)
    assert point.vector.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert store.upsert_points("old", ["2"], [2], [None], np.ones((1, 4), np.float32)) == 1
    assert store._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == "2"
    store.close()
    again = Store(path)  # a second open finds version 2 and leaves it alone
    assert [p.version for p in again.points("old", 4)] == [0, 1]
    assert again.delete_points("old", ["1"]) == 2  # the operation counter survived
    again.close()


def test_theorems_without_their_theory_still_answer_clearly(tmp_path):
    import json as json_module
    from pathlib import Path

    from genlogic.service.theorems import load_theorems
    graph = json_module.loads((Path(__file__).resolve().parents[1] / "proofs_out" / "peano" /
                               "proof_graph.json").read_text(encoding="utf-8"))
    graph["theory"] = {"path": "nowhere.mpl"}
    graph["theorems"] = graph["theorems"][:40]
    (tmp_path / "proof_graph.json").write_text(json_module.dumps(graph), encoding="utf-8")
    theorems = load_theorems(str(tmp_path), dim=256)
    own = graph["theorems"][7]
    hits, form = theorems.statement_search(own["readable"], 1, None)
    assert hits[0].point_id == own["id"] and form == "readable"
    with pytest.raises(ApiError) as unreadable:
        theorems.statement_search("a + b = b + a + 0", 1, None)
    assert unreadable.value.status == 400 and "need the run's theory" in unreadable.value.message
    hits, form = theorems.statement_search(own["mpl"], 1, None)  # MPL needs no theory
    assert hits[0].point_id == own["id"] and form == "mpl"
