"""Search the theorems of the committed Peano run by MBAT similarity.

Encodes every theorem of proofs_out/peano/proof_graph.json with genlogic.vsa, puts the
vectors in an exact index and lists the theorems nearest to a query statement.
Run from anywhere:  python examples/similar_theorems.py ["a * b = b * a"]
"""

import json
import sys
from pathlib import Path

import numpy as np

import genlogic
from genlogic.mpl.infix import parse_statement
from genlogic.mpl.parser import parse_expr
from genlogic.vsa import Encoder, Index

ROOT = Path(__file__).resolve().parents[1]

theory = genlogic.load(ROOT / "axioms" / "peano.mpl")
graph = json.loads((ROOT / "proofs_out" / "peano" / "proof_graph.json").read_text())
theorems = graph["theorems"]

encoder = Encoder(dim=1024)
index = Index(encoder.dim)
index.add([t["id"] for t in theorems],
          np.stack([encoder.encode_mpl(parse_expr(t["mpl"])) for t in theorems]))

query_text = sys.argv[1] if len(sys.argv) > 1 else "a * b = b * a"
query = parse_statement(query_text, theory.signature)       # readable or MPL
ids, scores = index.search(encoder.encode_mpl(query), k=5)
readable = {t["id"]: t["readable"] for t in theorems}
print(f"nearest to {theory.readable(query)}:")
for identifier, score in zip(ids, scores):
    print(f"  {score:6.3f}  {identifier}  {readable[identifier]}")
