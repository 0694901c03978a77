"""Benchmark: `genlogic serve` against qdrant-client's local mode, the same workload in one run.

For each size (default 10,000 and 100,000 points, D = 1024) the same points (generated
documents as payloads, their MBAT vectors) are upserted and the same queries (MBAT
vectors of noisy copies of stored documents, limit 10) are run through the official
qdrant-client twice:

- genlogic: ``QdrantClient(url=...)`` talking REST to a real ``genlogic serve`` on
  127.0.0.1 (SQLite, every batch committed with fsync before the answer);
- the peer: ``QdrantClient(path=...)``, Qdrant's local mode (in-process numpy, persisted).

Printed per size: upsert throughput (points/s), query latency p50 / p95 (one client,
sequential), filtered-query latency (age in [30, 60)), recall@1 of the noisy copies,
how often the two agree on the first hit, and the ratios peer / genlogic (above 1:
genlogic faster).  For genlogic also the server's own time per query (the answer's
``time`` field, read with httpx), which separates search from HTTP and client costs,
and, once, upserts without vectors (the server encodes the payloads).  Wall times are
also given in calibration units (``../shared/bench/calib.py``'s workload, timed in
this run).

    python benchmarks/service_load.py [--points 10000,100000] [--queries 300] [--filtered 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from qdrant_client import QdrantClient, models

from genlogic.service.testing import ServerProcess
from genlogic.vsa import Encoder
from genlogic.vsa.synthetic import generate_documents, noisy_query

ROOT = Path(__file__).resolve().parents[1]
CALIB = ROOT.parent / "shared" / "bench" / "calib.py"
AGE_FILTER = models.Filter(must=[models.FieldCondition(key="age", range=models.Range(gte=30, lt=60))])


def calibration() -> float:
    """Seconds of the calibration workload (it prints its own best of three)."""
    if not CALIB.is_file():
        return float("nan")
    done = subprocess.run([sys.executable, str(CALIB)], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Workload:
    documents: list[dict]
    vectors: np.ndarray          # float32, one unit row per document
    queries: np.ndarray          # float32, one row per query
    targets: list[int]           # the document each query was made from


@dataclass
class Result:
    upsert_rate: float = 0.0
    latencies: list[float] = field(default_factory=list)
    filtered: list[float] = field(default_factory=list)
    first_hits: list = field(default_factory=list)


def make_workload(n: int, dim: int, queries: int) -> Workload:
    documents = generate_documents(n, seed=1)
    encoder = Encoder(dim=dim)
    vectors = np.concatenate([encoder.encode_batch(documents[s:s + 5000]) for s in range(0, n, 5000)])
    rng = random.Random(2)
    targets = [rng.randrange(n) for _ in range(queries)]
    query_vectors = encoder.encode_batch([noisy_query(documents[t], rng, seed=1) for t in targets])
    return Workload(documents, vectors.astype(np.float32), query_vectors.astype(np.float32), targets)


def run(client: QdrantClient, work: Workload, batch: int, filtered: int) -> Result:
    """The same calls for both sides: create, upsert in batches, queries, filtered queries."""
    n, dim = work.vectors.shape
    client.create_collection("bench", vectors_config=models.VectorParams(size=dim, distance=models.Distance.COSINE))
    result = Result()
    started = time.perf_counter()
    for start in range(0, n, batch):
        client.upsert("bench", points=[models.PointStruct(id=i, vector=work.vectors[i].tolist(),
                                                          payload=work.documents[i])
                                       for i in range(start, min(n, start + batch))])
    result.upsert_rate = n / (time.perf_counter() - started)
    for vector in work.queries[:10]:  # warm up
        client.query_points("bench", query=vector.tolist(), limit=10)
    for vector in work.queries:
        query = vector.tolist()
        started = time.perf_counter()
        answer = client.query_points("bench", query=query, limit=10, with_payload=True)
        result.latencies.append(time.perf_counter() - started)
        result.first_hits.append(answer.points[0].id if answer.points else None)
    for vector in work.queries[:filtered]:
        query = vector.tolist()
        started = time.perf_counter()
        client.query_points("bench", query=query, query_filter=AGE_FILTER, limit=10, with_payload=True)
        result.filtered.append(time.perf_counter() - started)
    return result


def server_times(url: str, work: Workload, count: int) -> list[float]:
    """The server's own seconds per query (the envelope's ``time``), without HTTP and client costs."""
    times = []
    with httpx.Client(base_url=url, timeout=60.0) as http:
        for vector in work.queries[:count]:
            answer = http.post("/collections/bench/points/query",
                               json={"query": vector.tolist(), "limit": 10, "with_payload": True})
            answer.raise_for_status()
            times.append(answer.json()["time"])
    return times


def encoded_upserts(url: str, work: Workload, batch: int, count: int) -> float:
    """Points/s for upserts without vectors: the server encodes each payload with MBAT."""
    with httpx.Client(base_url=url, timeout=120.0) as http:
        http.put("/collections/encoded", json={"vectors": {"size": work.vectors.shape[1], "distance": "Cosine"}})
        started = time.perf_counter()
        for start in range(0, count, batch):
            http.put("/collections/encoded/points", json={"points": [
                {"id": i, "payload": work.documents[i]} for i in range(start, min(count, start + batch))]}
                     ).raise_for_status()
        return count / (time.perf_counter() - started)


def line(label: str, ours: float, peer: float, unit: str, lower_is_better: bool, calib: float) -> str:
    ratio = peer / ours if lower_is_better else ours / peer
    in_units = f"  ({ours / calib:.4f} / {peer / calib:.4f} units)" if lower_is_better and unit == "ms" else ""
    shown = (lambda v: f"{1000 * v:8.1f}") if unit == "ms" else (lambda v: f"{v:8.0f}")
    return (f"  {label:<28} genlogic {shown(ours)} {unit:<4} peer {shown(peer)} {unit:<4} "
            f"ratio {ratio:6.2f}x{' (genlogic faster)' if ratio >= 1 else ''}{in_units}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", default="10000,100000", help="sizes to run, comma-separated")
    parser.add_argument("--dim", type=int, default=1024)
    parser.add_argument("--queries", type=int, default=300, help="unfiltered queries per size")
    parser.add_argument("--filtered", type=int, default=30, help="filtered queries per size")
    parser.add_argument("--batch", type=int, default=256, help="points per upsert request")
    args = parser.parse_args()
    sizes = [int(s) for s in args.points.split(",") if s.strip()]
    warnings.filterwarnings("ignore", message="Local mode is not recommended")  # the peer at 100,000

    calib = calibration()
    print(f"calibration: {calib:.3f} s per unit (../shared/bench/calib.py)")
    for position, n in enumerate(sizes):
        work = make_workload(n, args.dim, args.queries)
        print(f"\n{n} points, D = {args.dim}, {args.queries} queries (+{args.filtered} filtered), "
              f"batches of {args.batch}")
        with tempfile.TemporaryDirectory() as directory:
            with ServerProcess(str(Path(directory) / "bench.db")) as server:
                client = QdrantClient(url=server.url, timeout=120)
                ours = run(client, work, args.batch, args.filtered)
                client.close()
                inside = server_times(server.url, work, min(100, args.queries))
                encoded = encoded_upserts(server.url, work, args.batch, min(n, 5000)) if position == 0 else None
            peer_client = QdrantClient(path=str(Path(directory) / "local"))
            peer = run(peer_client, work, args.batch, args.filtered)
            peer_client.close()
        print(line("upsert throughput", ours.upsert_rate, peer.upsert_rate, "pt/s", False, calib))
        for label, pick in (("query p50", lambda r: statistics.median(r.latencies)),
                            ("query p95", lambda r: percentile(r.latencies, 0.95)),
                            ("filtered query p50", lambda r: statistics.median(r.filtered)),
                            ("filtered query p95", lambda r: percentile(r.filtered, 0.95))):
            print(line(label, pick(ours), pick(peer), "ms", True, calib))
        recall = [sum(h == t for h, t in zip(r.first_hits, work.targets)) / len(work.targets) for r in (ours, peer)]
        agree = sum(a == b for a, b in zip(ours.first_hits, peer.first_hits)) / len(work.targets)
        print(f"  recall@1 of noisy copies: genlogic {recall[0]:.3f}, peer {recall[1]:.3f}; "
              f"same first hit {agree:.3f}")
        print(f"  genlogic server time per query (search + JSON, no HTTP/client): p50 "
              f"{1000 * statistics.median(inside):.1f} ms, p95 {1000 * percentile(inside, 0.95):.1f} ms")
        if encoded is not None:
            print(f"  genlogic upserts without vectors (MBAT on the server, {min(n, 5000)} points): "
                  f"{encoded:.0f} pt/s")


if __name__ == "__main__":
    main()
