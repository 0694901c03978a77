"""Facts, justifications and proof contexts: the data the kernel hands out.

A ``Fact`` is an MPL expression that holds in a ``Context``.  Its constructor
demands a private token that only ``genlogic.kernel.rules`` holds, so no other
code can create one; a test scans the package for any other use of the token.

Contexts form a tree.  The root context fixes the anchor's parameters and has the
anchor atom as its hypothesis.  A block context fixes fresh variables and assumes
one hypothesis (a conjunction, read premise by premise); ``implies-intro`` turns a
fact of a block into an implication in its parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from ..mpl.ast import Expr, flatten_and

__all__ = ["Context", "Fact", "Justification", "KernelError"]

_MINT = object()          # the token: only the kernel's rules hold it
_fact_ids = count(1)


class KernelError(Exception):
    """A rule was asked to make a fact its preconditions do not support."""


@dataclass(frozen=True)
class Justification:
    rule: str
    premises: tuple["Fact", ...] = ()
    substitution: tuple[tuple[str, str], ...] = ()
    extra: tuple[tuple[str, object], ...] = ()

    def extra_dict(self) -> dict:
        return dict(self.extra)


class Context:
    """A proof context: fixed names (``vars``) and one hypothesis."""

    _ids = count(0)

    def __init__(self, parent: "Context | None", vars: tuple[str, ...],
                 hypothesis: Expr | None, label: str, *, _token=None):
        if _token is not _MINT:
            raise KernelError("contexts are opened by the kernel's rules")
        init = object.__setattr__
        init(self, "id", next(Context._ids))
        init(self, "parent", parent)
        init(self, "vars", tuple(vars))
        init(self, "hypothesis", hypothesis)
        init(self, "label", label)
        init(self, "depth", 0 if parent is None else parent.depth + 1)
        init(self, "_names", set(vars))        # names fixed here: vars and witnesses

    def __setattr__(self, name, value):
        raise KernelError("a context cannot be changed once the kernel opened it")

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._names)

    def in_scope(self, name: str) -> bool:
        """True when ``name`` is fixed by this context or an ancestor."""
        node: Context | None = self
        while node is not None:
            if name in node._names:
                return True
            node = node.parent
        return False

    @property
    def premises(self) -> list[Expr]:
        return flatten_and(self.hypothesis) if self.hypothesis is not None else []

    def sees(self, other: "Context") -> bool:
        """True when facts of ``other`` are visible here (``other`` is an ancestor or self)."""
        node: Context | None = self
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False

    def __repr__(self) -> str:
        return f"Context({self.id}, {self.label!r}, vars={self.vars})"


class Fact:
    """An expression proved in a context, with the justification that made it."""

    __slots__ = ("id", "expr", "context", "justification")

    def __init__(self, expr: Expr, context: Context, justification: Justification, *, _token=None):
        if _token is not _MINT:
            raise KernelError("facts are created only by the kernel's rules")
        init = object.__setattr__
        init(self, "id", next(_fact_ids))
        init(self, "expr", expr)
        init(self, "context", context)
        init(self, "justification", justification)

    def __setattr__(self, name, value):
        raise KernelError("a fact cannot be changed once the kernel made it")

    def __delattr__(self, name):
        raise KernelError("a fact cannot be changed once the kernel made it")

    def __repr__(self) -> str:
        return f"Fact#{self.id}[{self.justification.rule}]({self.expr})"
