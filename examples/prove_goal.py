"""Prove one goal about Peano arithmetic through the embedding API.

Run from anywhere:  python examples/prove_goal.py
"""

from pathlib import Path

import genlogic
from genlogic.mpl.infix import parse_statement

ROOT = Path(__file__).resolve().parents[1]

theory = genlogic.load(ROOT / "axioms" / "peano.mpl")

# a goal in MPL: for all a, b: i0 + a = b implies b = a
result = theory.prove("(>[a,b](in3[i0,a,b,+])(=[b,a]))")
print(f"{theory.readable(result.statement)}: {result.status} ({result.method}, "
      f"{len(result.proof)} steps)")

# the same kind of goal in readable form
goal = parse_statement("s(a) + b = s(a + b)", theory.signature)
result = theory.prove(goal)
print(f"{theory.readable(goal)}: {result.status} ({result.method}, {len(result.proof)} steps)")

# a false statement is refuted on the ground model
result = theory.prove(parse_statement("a + b = a", theory.signature))
print(f"a + b = a: {result.status}, counterexample {result.counterexample}")
