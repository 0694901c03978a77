"""The trusted kernel: the only code that creates a ``Fact``.

Every fact carries a ``Justification`` (rule, premises, substitution, extra) and is
checked by its rule when it is made.  The rules are listed in ``rules.py``; the
independent verifier (``genlogic.verify``) re-checks the same rules from JSON.
"""

from .core import Context, Fact, Justification, KernelError
from .rules import Session, anchor_axioms, comprehension, is_induction_axiom

__all__ = ["Context", "Fact", "Justification", "KernelError", "Session", "anchor_axioms",
           "comprehension", "is_induction_axiom"]
