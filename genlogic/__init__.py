"""genlogic: a deterministic reasoning engine for theories written in MPL.

The embedding API::

    >>> import genlogic
    >>> theory = genlogic.load("axioms/peano.mpl")            # doctest: +SKIP
    >>> result = theory.prove("(>[a,b](in3[i0,a,b,+])(=[b,a]))")  # doctest: +SKIP
    >>> result.status                                          # doctest: +SKIP
    'Theorem'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .mpl.errors import MPLError
from .mpl.theory import Theory, load, load_text

__all__ = ["__version__", "MPLError", "Theory", "load", "load_text", "verify"]


def verify(path, theory_path=None):
    """Re-check a proof graph (a run's folder or its proof_graph.json); returns a report."""
    from .verify import verify_path
    return verify_path(path, theory_path=theory_path)
