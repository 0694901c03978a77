"""genlogic: a deterministic reasoning engine for theories written in MPL.

The embedding API::

    >>> import genlogic
    >>> theory = genlogic.load("axioms/peano.mpl")                    # doctest: +SKIP
    >>> [str(op) for op in theory.signature.operators]                 # doctest: +SKIP
    ['s: N -> N', '+: N x N -> N', '*: N x N -> N']
    >>> theory.prove("(>[a,b](in3[i0,a,b,+])(=[b,a]))").status        # doctest: +SKIP
    'Theorem'
    >>> run = theory.explore()                                        # doctest: +SKIP
    >>> genlogic.verify("proofs_out/peano").ok                         # doctest: +SKIP
    True
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import ProofResult, Theory, load, load_text
from .mpl.errors import MPLError

__all__ = ["__version__", "MPLError", "ProofResult", "Theory", "load", "load_text", "verify"]


def verify(path, theory_path=None):
    """Re-check a proof graph (a run's folder or its proof_graph.json); returns a report."""
    from .verify import verify_path
    return verify_path(path, theory_path=theory_path)
