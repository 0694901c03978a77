"""Benchmark of the vector layer: encoding rate, top-10 latency, numba vs twin.

Prints, for D = 1024 and signed permutations:
  * documents encoded per second in batch (first sight, with new words to seed,
    and again once every token is known; target >= 5,000/s),
  * recall@1 / recall@10 of noisy queries over 10,000 documents (exact search),
  * median top-10 latency of one query over 100,000 vectors (target <= 20 ms),
  * numba-vs-twin time ratios for top-k, the string kernel and whole batches.

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

    rng_np = np.random.default_rng(2)
    word_signs = rng_np.choice(np.array([-1, 1], np.int8), size=(20_000, encoder.dim))
    trigram_signs = rng_np.choice(np.array([-1, 1], np.int8), size=(5_000, encoder.dim))
    trigram_ptr = np.concatenate(([0], np.cumsum(rng_np.integers(3, 10, size=20_000))))
    trigram_ids = rng_np.integers(0, 5_000, size=int(trigram_ptr[-1]))
    indptr = np.concatenate(([0], np.cumsum(rng_np.integers(1, 4, size=20_000))))
    words = rng_np.integers(0, 20_000, size=int(indptr[-1]))
    string_weights = np.full(20_000, 0.5, np.float32)
    strings = (word_signs, trigram_signs, trigram_ptr, trigram_ids, 1 / np.sqrt(encoder.dim),
               indptr, words, string_weights, string_weights)
    string_out = np.empty((20_000, encoder.dim), np.float32)
    string_rows = np.arange(20_000)
    batch = rows[:64]
    ratios = {
        "topk (64 queries x 100k)": (lambda: kernels.topk_inner_product_numba(rows, batch, 10),
                                     lambda: kernels.topk_inner_product_python(rows, batch, 10)),
        "string_vectors (20k strings)": (
            lambda: kernels.string_vectors_numba(*strings, string_out, string_rows),
            lambda: kernels.string_vectors_python(*strings, string_out, string_rows)),
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
