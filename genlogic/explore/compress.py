"""Compression: a small essential set of theorems from which the others follow directly.

The dependency graph of the proved theorems (networkx) orders the work.  Start from
the theorems that needed induction (a theorem proved directly already follows from
earlier ones).  Visit them from the most depended-upon last: a theorem that a block
proves *without induction* from the axioms and the other essential theorems is
marked derivable and leaves the set; passes repeat until one drops nothing.  An
instance of another theorem is always caught this way, so the essential set never
holds one.  Derivable theorems keep their original proofs; only the label changes.
"""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from ..blocks.prover import ProveOptions, Prover
from ..kernel import Session
from ..mpl.parser import parse_expr
from ..mpl.theory import Theory

__all__ = ["dependency_graph", "essential_set"]


def dependency_graph(entries: list[dict]) -> nx.DiGraph:
    """Edge T -> U when the proof of T cites theorem U."""
    graph = nx.DiGraph()
    for entry in entries:
        graph.add_node(entry["id"])
        for dep in entry["dependencies"]:
            graph.add_edge(entry["id"], dep)
    return graph


def essential_set(theory: Theory, anchor: str | None, entries: list[dict],
                  options: ProveOptions, session: Session) -> set[str]:
    """``session`` holds every entry as a kernel-checked theorem (the explorer's own);
    each derivability check is a fresh root block in it over the chosen theorems."""
    graph = dependency_graph(entries)
    statements = {e["id"]: parse_expr(e["mpl"]) for e in entries}
    essential = [e["id"] for e in entries if e["method"].startswith("induction")]
    # least depended-upon first: leaves of the "used by" order are the best to drop
    used_by = {name: graph.in_degree(name) for name in graph.nodes}
    order = sorted(essential, key=lambda n: (used_by[n], -essential.index(n)))
    keep = set(essential)
    # derivability is checked with a larger budget than discovery used (few checks)
    quick = replace(options, induction=False, witnesses=2 * options.witnesses,
                    rounds=options.rounds + 4)
    # passes until nothing more is dropped: fewer rules can mean fewer distractions, so a
    # theorem kept while many others were present may follow from the smaller final set
    changed = True
    while changed:
        changed = False
        for name in [n for n in order if n in keep]:
            others = [n for n in essential if n in keep and n != name]
            prover = Prover(theory, anchor, quick, session=session)
            for other in others:
                prover.add_theorem(other, statements[other])
            if prover.prove(statements[name], induction=False).fact is not None:
                keep.discard(name)
                changed = True
    return keep
