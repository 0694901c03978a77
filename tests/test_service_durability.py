"""Acknowledged writes survive SIGKILL; a restarted service answers exactly as before."""

from __future__ import annotations

import threading

import httpx
import pytest

from genlogic.service.testing import ServerProcess
from genlogic.vsa.synthetic import generate_documents

DIM = 256
WRITERS = 2
KILL_AFTER = 120  # acknowledged upserts before the kill


def stream_upserts(url: str, ids: list[int], documents: list[dict], acknowledged: list, stop: threading.Event):
    """Upsert one point per request until the server dies; record what was acknowledged."""
    with httpx.Client(base_url=url, timeout=10.0) as http:
        for i in ids:
            if stop.is_set():
                return
            try:
                answer = http.put("/collections/stream/points",
                                  json={"points": [{"id": i, "payload": documents[i]}]})
            except httpx.HTTPError:
                return
            if answer.status_code == 200:
                acknowledged.append(i)


def test_acknowledged_upserts_survive_sigkill(tmp_path):
    documents = generate_documents(2000, seed=5)
    server = ServerProcess(str(tmp_path / "stream.db")).start()
    try:
        assert httpx.put(f"{server.url}/collections/stream", json={"dim": DIM}).status_code == 200
        acknowledged: list[int] = []
        stop = threading.Event()
        writers = [threading.Thread(target=stream_upserts,
                                    args=(server.url, list(range(w, len(documents), WRITERS)),
                                          documents, acknowledged, stop))
                   for w in range(WRITERS)]
        for writer in writers:
            writer.start()
        while len(acknowledged) < KILL_AFTER and any(w.is_alive() for w in writers):
            threading.Event().wait(0.005)
        server.kill()  # SIGKILL while both writers have requests in flight
        for writer in writers:
            writer.join(timeout=30)
        stop.set()
        acknowledged_ids = sorted(acknowledged)
        assert len(acknowledged_ids) >= KILL_AFTER
        assert len(acknowledged_ids) < len(documents), "the stream ended before the kill"
    finally:
        server.kill()

    restarted = ServerProcess(str(tmp_path / "stream.db")).start()
    try:
        with restarted.client() as http:
            count = http.post("/collections/stream/count").json()["result"]["count"]
            assert count >= len(acknowledged_ids)
            for i in acknowledged_ids:
                point = http.get(f"/collections/stream/points/{i}")
                assert point.status_code == 200, i
                assert point.json()["result"]["payload"] == documents[i]
            for i in acknowledged_ids[::7]:
                hits = http.post("/collections/stream/search",
                                 json={"query": documents[i], "limit": 1}).json()["result"]
                assert hits[0]["id"] == i
                assert hits[0]["score"] == pytest.approx(1.0, abs=1e-5)
    finally:
        restarted.stop()


def test_restart_gives_identical_results(tmp_path):
    documents = generate_documents(300, seed=9)
    queries = [{"query": documents[i], "limit": 20} for i in range(0, 300, 37)]
    queries.append({"query": {"city": "Pa"}, "limit": 50,
                    "filter": {"must": [{"key": "age", "range": {"gte": 40}}]}, "with_payload": True})
    queries.append({"query": {}, "limit": 300})  # many near-ties: order must still repeat

    def answers(server):
        with server.client() as http:
            return [http.post("/collections/same/search", json=q).json()["result"] for q in queries]

    db = str(tmp_path / "same.db")
    with ServerProcess(db) as server, server.client() as http:
        http.put("/collections/same", json={"dim": DIM, "seed": 4}).raise_for_status()
        http.put("/collections/same/points", json={"points": [
            {"id": i, "payload": d} for i, d in enumerate(documents)]}).raise_for_status()
        http.put("/collections/same/points", json={"points": [  # duplicates: exact ties
            {"id": f"copy-{i}", "payload": documents[i]} for i in range(10)]}).raise_for_status()
        http.post("/collections/same/points/delete", json={"points": [3, 30, 299]}).raise_for_status()
        http.put("/collections/same/points", json={"points": [{"id": 3, "payload": documents[4]}]}).raise_for_status()
        before = answers(server)
    with ServerProcess(db) as server:
        assert answers(server) == before


def test_qdrant_writes_survive_sigkill(tmp_path):
    """Qdrant-shaped writes (Dot collection, batch upsert, payload-only points, payload
    changes, delete by filter) are all back after SIGKILL: points, vectors, versions,
    the operation counter, and vectors that follow their payload."""
    from genlogic.vsa import Encoder

    db = str(tmp_path / "qdrant.db")
    vectors = [[float((i * 7 + j) % 5) - 2.0 for j in range(16)] for i in range(30)]
    server = ServerProcess(db).start()
    try:
        with server.client() as http:
            http.put("/collections/q", json={"vectors": {"size": 16, "distance": "Dot"}}).raise_for_status()
            http.put("/collections/q/points", json={"batch": {
                "ids": list(range(30)), "vectors": vectors,
                "payloads": [{"n": i, "even": i % 2 == 0} for i in range(30)]}}).raise_for_status()
            http.put("/collections/q/points", json={"points": [
                {"id": "e-1", "payload": {"word": "alpha"}}]}).raise_for_status()
            http.post("/collections/q/points/payload", json={"payload": {"word": "beta"},
                                                             "points": ["e-1"]}).raise_for_status()
            last = http.post("/collections/q/points/delete", json={"filter": {"must": [
                {"key": "n", "range": {"gte": 25}}]}}).json()["result"]["operation_id"]
            before = http.post("/collections/q/points/scroll", json={"limit": 100, "with_vector": True}).json()
            versions = http.post("/collections/q/points/query", json={"query": vectors[3], "limit": 40}).json()
        server.kill()
    finally:
        server.kill()
    with ServerProcess(db) as again, again.client() as http:
        info = http.get("/collections/q").json()["result"]
        assert info["config"]["params"]["vectors"] == {"size": 16, "distance": "Dot"}
        assert http.post("/collections/q/points/scroll", json={"limit": 100, "with_vector": True}).json()[
            "result"] == before["result"]
        assert http.post("/collections/q/points/query", json={"query": vectors[3], "limit": 40}).json()[
            "result"] == versions["result"]
        assert len(before["result"]["points"]) == 26
        raw = http.post("/collections/q/points", json={"ids": [3], "with_vector": True}).json()["result"][0]
        assert raw["vector"] == vectors[3]  # Dot: kept as given, bit for bit
        following = http.post("/collections/q/points/payload", json={"payload": {"word": "gamma"},
                                                                     "points": ["e-1"]}).json()["result"]
        assert following["operation_id"] > last
        moved = http.post("/collections/q/points", json={"ids": ["e-1"], "with_vector": True}).json()["result"][0]
        assert moved["vector"] == pytest.approx(Encoder(dim=16).encode({"word": "gamma"}).tolist(), abs=1e-6)
