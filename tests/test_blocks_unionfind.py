"""The proof-producing union-find of the blocks (DESIGN 5), checked against a naive model.

Property tests (hypothesis): random unions over a few names; ``same`` must agree with
a reference partition, and ``explain(a, b)`` must return a chain of edges from a to b
whose every label is the label of the union that joined exactly those two names.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from genlogic.blocks.unionfind import UnionFind

NAMES = [f"n{i}" for i in range(9)]

unions = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)), max_size=30)


class Reference:
    """A naive partition: a list of sets, merged by scanning."""

    def __init__(self, names):
        self.blocks = [{n} for n in names]

    def block(self, name):
        return next(b for b in self.blocks if name in b)

    def same(self, a, b):
        return b in self.block(a)

    def union(self, a, b):
        ba, bb = self.block(a), self.block(b)
        if ba is bb:
            return False
        self.blocks.remove(bb)
        ba |= bb
        return True


def build(pairs):
    uf, ref = UnionFind(), Reference(NAMES)
    for n in NAMES:
        uf.add(n)
    labels = {}                       # label -> the two names its union joined
    for i, (a, b) in enumerate(pairs):
        label = ("union", i, a, b)
        expected = ref.union(a, b)
        assert uf.union(a, b, label) is expected        # False exactly when already joined
        if expected:
            labels[label] = frozenset((a, b))
    return uf, ref, labels


def check_chain(uf, labels, a, b):
    edges = uf.explain(a, b)
    if a == b:
        assert edges == []
        return
    assert edges, f"no explanation for {a} = {b}"
    assert edges[0][0] == a and edges[-1][1] == b
    for (x1, y1, _), (x2, _, _) in zip(edges, edges[1:]):
        assert y1 == x2                                  # consecutive edges chain
    used = [label for _, _, label in edges]
    assert len(set(used)) == len(used)                   # a path: no union cited twice
    for x, y, label in edges:
        assert label in labels, f"label {label} was not used by a successful union"
        assert labels[label] == frozenset((x, y))        # the label proves exactly x = y


# same() agrees with the reference partition after any sequence of unions
@given(unions)
@settings(max_examples=200, deadline=None)
def test_same_matches_reference(pairs):
    uf, ref, _ = build(pairs)
    for a in NAMES:
        for b in NAMES:
            assert uf.same(a, b) == ref.same(a, b)


# explain(a, b) for every joined pair is a chain of union labels from a to b
@given(unions)
@settings(max_examples=200, deadline=None)
def test_explain_is_chain_of_union_labels(pairs):
    uf, ref, labels = build(pairs)
    for a in NAMES:
        for b in NAMES:
            if ref.same(a, b):
                check_chain(uf, labels, a, b)


# explain is symmetric in content: the b->a chain cites the same unions as a->b
@given(unions)
@settings(max_examples=100, deadline=None)
def test_explain_reverse_uses_same_labels(pairs):
    uf, ref, _ = build(pairs)
    for a in NAMES:
        for b in NAMES:
            if ref.same(a, b):
                forward = {label for _, _, label in uf.explain(a, b)}
                backward = {label for _, _, label in uf.explain(b, a)}
                assert forward == backward


# a copy is independent: unions on the copy do not leak into the original
@given(unions, unions)
@settings(max_examples=100, deadline=None)
def test_copy_is_independent(first, second):
    uf, ref, labels = build(first)
    before = {(a, b): uf.same(a, b) for a in NAMES for b in NAMES}
    other = uf.copy()
    for i, (a, b) in enumerate(second):
        other.union(a, b, ("copy", i))
    assert {(a, b): uf.same(a, b) for a in NAMES for b in NAMES} == before
    for a in NAMES:
        for b in NAMES:
            if ref.same(a, b):
                check_chain(uf, labels, a, b)


# interleaving explanations with unions (as a block does) keeps every chain valid
@given(unions)
@settings(max_examples=100, deadline=None)
def test_explain_during_unions(pairs):
    uf, ref = UnionFind(), Reference(NAMES)
    labels = {}
    for i, (a, b) in enumerate(pairs):
        label = ("u", i)
        if uf.union(a, b, label):
            labels[label] = frozenset((a, b))
        ref.union(a, b)
        check_chain(uf, labels, a, b)
        check_chain(uf, labels, b, a)


# a name never added is its own class and equal only to itself
def test_unknown_names():
    uf = UnionFind()
    assert uf.find("x") == "x"
    assert uf.same("x", "x") and not uf.same("x", "y")
    assert uf.explain("x", "x") == []


# a union of two already-equal names is refused and adds no edge
def test_redundant_union_adds_no_edge():
    uf = UnionFind()
    assert uf.union("a", "b", "ab") and uf.union("b", "c", "bc")
    assert not uf.union("a", "c", "ac")
    assert [label for _, _, label in uf.explain("a", "c")] == ["ab", "bc"]
