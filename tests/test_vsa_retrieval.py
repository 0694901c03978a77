"""Noisy retrieval: damaged copies of documents find their originals."""

import random

from genlogic.vsa import Encoder, Index
from genlogic.vsa.synthetic import generate_documents, noisy_query, recall_at


def test_noisy_queries_recall_their_documents():
    encoder = Encoder(dim=1024)
    documents = generate_documents(2000, seed=3)
    index = Index(encoder.dim)
    index.add(list(range(len(documents))), encoder.encode_batch(documents))
    rng = random.Random(11)
    truth = rng.sample(range(len(documents)), 400)
    queries = [noisy_query(documents[i], rng, seed=3) for i in truth]
    ids, _ = index.search(encoder.encode_batch(queries), k=10)
    assert recall_at(ids, truth, 10) >= 0.98
    assert recall_at(ids, truth, 1) >= 0.95
