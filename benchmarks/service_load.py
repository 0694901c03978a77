"""Benchmark: the vector search service under load on 127.0.0.1 (`genlogic serve`).

Starts the real server on a temporary database, then with httpx and concurrent
client threads measures: batch upsert throughput (documents/s, encoded by the
server), single-point upserts (each one committed with fsync before the answer),
search latency p50/p95/p99 for noisy copies of stored documents (with and without
a filter) and recall@1, and the time to restart (rebuild the index from SQLite).
The target (DESIGN section 10, issue 8) is search p95 <= 25 ms at 10,000 documents.

    python benchmarks/service_load.py [--documents 10000] [--clients 4] [--searches 1000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from genlogic.service.testing import ServerProcess
from genlogic.vsa.synthetic import generate_documents, noisy_query


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_threads(clients: int, work) -> None:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def upsert_all(server: ServerProcess, documents: list[dict], clients: int, batch: int) -> float:
    batches = [list(range(s, min(s + batch, len(documents)))) for s in range(0, len(documents), batch)]

    def work(n: int) -> None:
        with server.client() as http:
            for rows in batches[n::clients]:
                http.put("/collections/bench/points", json={"points": [
                    {"id": i, "payload": documents[i]} for i in rows]}).raise_for_status()
    started = time.perf_counter()
    run_threads(clients, work)
    return len(documents) / (time.perf_counter() - started)


def single_upserts(server: ServerProcess, documents: list[dict], count: int) -> float:
    with server.client() as http:
        started = time.perf_counter()
        for i in range(count):
            http.put("/collections/bench/points", json={"points": [
                {"id": f"single-{i}", "payload": documents[i]}]}).raise_for_status()
        return count / (time.perf_counter() - started)


def searches(server: ServerProcess, requests: list[dict], clients: int) -> tuple[list[float], list]:
    latencies: list[float] = []
    results: list = [None] * len(requests)
    lock = threading.Lock()

    def work(n: int) -> None:
        with server.client() as http:
            for position in range(n, len(requests), clients):
                started = time.perf_counter()
                answer = http.post("/collections/bench/search", json=requests[position])
                elapsed = time.perf_counter() - started
                answer.raise_for_status()
                results[position] = answer.json()["result"]
                with lock:
                    latencies.append(elapsed)
    run_threads(clients, work)
    return latencies, results


def report(label: str, latencies: list[float]) -> None:
    print(f"{label}: p50 {1000 * statistics.median(latencies):.1f} ms, "
          f"p95 {1000 * percentile(latencies, 0.95):.1f} ms, p99 {1000 * percentile(latencies, 0.99):.1f} ms "
          f"({len(latencies)} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--dim", type=int, default=1024)
    args = parser.parse_args()

    documents = generate_documents(args.documents, seed=1)
    rng = random.Random(2)
    targets = [rng.randrange(args.documents) for _ in range(args.searches)]
    plain = [{"query": noisy_query(documents[t], rng, seed=1), "limit": 10} for t in targets]
    filtered = [{**request, "filter": {"must": [{"key": "age", "range": {"gte": 30, "lt": 60}}]}}
                for request in plain[: args.searches // 2]]

    with tempfile.TemporaryDirectory() as directory:
        db = str(Path(directory) / "bench.db")
        with ServerProcess(db) as server, server.client() as http:
            http.put("/collections/bench", json={"dim": args.dim}).raise_for_status()
            rate = upsert_all(server, documents, args.clients, args.batch)
            print(f"batch upsert ({args.batch}/request, {args.clients} clients): {rate:.0f} documents/s")
            print(f"single-point upserts (1 client, fsync each): {single_upserts(server, documents, 200):.0f}/s")
            searches(server, plain[:20], 1)  # warm caches
            latencies, results = searches(server, plain, args.clients)
            report(f"search, {args.documents} documents, {args.clients} clients", latencies)
            recall = sum(1 for r, t in zip(results, targets) if r and r[0]["id"] == t) / len(targets)
            print(f"recall@1 of noisy copies: {recall:.3f}")
            sequential, _ = searches(server, plain[:200], 1)
            report("search, 1 client", sequential)
            filtered_latencies, _ = searches(server, filtered, args.clients)
            report("filtered search (age in [30, 60))", filtered_latencies)
        started = time.perf_counter()
        with ServerProcess(db):
            print(f"restart with {args.documents + 200} points (process start, index rebuild, "
                  f"healthy): {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
