"""Encode JSON documents as MBAT vectors, search them, and read a field back.

Run from anywhere:  python examples/search_json.py
"""

from genlogic.vsa import Encoder, Index

encoder = Encoder(dim=1024)
people = [
    {"name": "Ada Lovelace", "born": 1815, "field": "mathematics"},
    {"name": "Alan Turing", "born": 1912, "field": "computer science"},
    {"name": "Emmy Noether", "born": 1882, "field": "mathematics"},
    {"name": "Grace Hopper", "born": 1906, "field": "computer science"},
]
index = Index(encoder.dim)
index.add(list(range(len(people))), encoder.encode_batch(people))

# a noisy query: misspelt name, nearby year
ids, scores = index.search(encoder.encode({"name": "Alan Turning", "born": 1913}), k=2)
for i, score in zip(ids, scores):
    print(f"{score:6.3f}  {people[i]['name']}")

# read a field back out of a document vector
codebook = encoder.codebook(["mathematics", "computer science"])
match = encoder.read_field(encoder.encode(people[2]), ["field"], codebook)
print(f"field of {people[2]['name']}: {match.label} (score {match.score:.2f})")
