"""Benchmark of the vector layer: encoding rate, top-10 latency, numba vs twin.

Prints, for D = 1024 and signed permutations:
  * documents encoded per second in batch (first sight, with new words to seed,
    and again once every token is known; target >= 5,000/s),
  * recall@1 / recall@10 of noisy queries over 10,000 documents (exact search),
  * median top-10 latency of one query over 100,000 vectors (target <= 20 ms),
  * numba-vs-twin time ratios for the three kernels.

Run: ``python benchmarks/vsa.py [--vectors 100000] [--documents 10000]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import numpy as np

from genlogic.vsa import Encoder, Index
from genlogic.vsa import kernels
from genlogic.vsa.synthetic import generate_documents, noisy_query, recall_at


def timed(function, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--vectors", type=int, default=100_000)
    args = parser.parse_args()
    encoder = Encoder(dim=1024)
    documents = generate_documents(2 * args.documents, seed=0)
    warm, fresh = documents[:args.documents], documents[args.documents:]
    encoder.encode_batch(warm[:200])  # compile kernels
    start = time.perf_counter()
    vectors = encoder.encode_batch(warm)
    first = len(warm) / (time.perf_counter() - start)
    start = time.perf_counter()
    encoder.encode_batch(fresh)
    new_documents = len(fresh) / (time.perf_counter() - start)
    again = len(warm) / timed(lambda: encoder.encode_batch(warm), repeat=3)
    print(f"encode (batch, D=1024): {first:,.0f} docs/s cold, {new_documents:,.0f} docs/s new "
          f"documents with known vocabulary, {again:,.0f} docs/s repeated documents (target >= 5,000)")

    index = Index(encoder.dim)
    index.add(list(range(len(warm))), vectors)
    rng = random.Random(1)
    truth = rng.sample(range(len(warm)), 1000)
    queries = encoder.encode_batch([noisy_query(warm[i], rng, seed=0) for i in truth])
    ids, _ = index.search(queries, k=10)
    print(f"noisy retrieval over {len(warm):,} documents: recall@1 {recall_at(ids, truth, 1):.3f}, "
          f"recall@10 {recall_at(ids, truth, 10):.3f}")

    rows = np.random.default_rng(0).standard_normal((args.vectors, encoder.dim)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    big = Index(encoder.dim)
    big.add(list(range(args.vectors)), rows)
    query = rows[12345 % args.vectors] + 0.1 * rows[7]
    for backend in ("numba", "python"):
        big.backend = backend
        big.search(query, 10)
        latencies = []
        for _ in range(30):
            start = time.perf_counter()
            big.search(query, 10)
            latencies.append(time.perf_counter() - start)
        print(f"top-10 over {args.vectors:,} vectors ({backend}): median "
              f"{1000 * statistics.median(latencies):.1f} ms (target <= 20 ms)")

    table = rows[:20_000]
    rng_np = np.random.default_rng(2)
    lengths = rng_np.integers(2, 12, size=20_000)
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    indices = rng_np.integers(0, table.shape[0], size=int(indptr[-1]))
    weights = np.ones(indices.shape[0], np.float32)
    batch = rows[:64]
    ratios = {
        "topk (64 queries x 100k)": (lambda: kernels.topk_inner_product_numba(rows, batch, 10),
                                     lambda: kernels.topk_inner_product_python(rows, batch, 10)),
        "gather_sum (20k rows)": (lambda: kernels.gather_sum_numba(table, indptr, indices, weights),
                                  lambda: kernels.gather_sum_python(table, indptr, indices, weights)),
    }
    os.environ.pop("GENLOGIC_BACKEND", None)
    for name, (compiled, twin) in ratios.items():
        compiled()
        fast, slow = timed(compiled, 3), timed(twin, 3)
        print(f"numba vs twin, {name}: numba {1000 * fast:.1f} ms, twin {1000 * slow:.1f} ms, "
              f"twin/numba {slow / fast:.2f}x")
    sample = warm[:2000]
    compiled = timed(lambda: encoder.encode_batch(sample), 3)
    os.environ["GENLOGIC_BACKEND"] = "python"
    twin = timed(lambda: encoder.encode_batch(sample), 3)
    os.environ.pop("GENLOGIC_BACKEND")
    print(f"numba vs twin, encode_batch (2,000 docs): numba {1000 * compiled:.0f} ms, "
          f"twin {1000 * twin:.0f} ms, twin/numba {twin / compiled:.2f}x")


if __name__ == "__main__":
    main()
