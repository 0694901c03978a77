"""The service's parts without a server: filters, store, the catch-all handler, the CLI."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from fastapi.testclient import TestClient

from genlogic.service.app import create_app
from genlogic.service.cli import main as serve_main
from genlogic.service.config import Limits, ServiceConfig
from genlogic.service.engine import Registry
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
