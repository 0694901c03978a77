"""The verifier's own syntax (genlogic/verify/syntax.py) against the engine's (mpl/ast.py).

The verifier must not share substitution and alpha-equivalence with the engine it checks:
it has its own, written differently, and hypothesis compares the two on random
expressions (including binders that shadow, repeat and capture), so a bug in either
shows up as a disagreement.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given, settings, strategies as st

from genlogic.mpl.ast import (And, Atom, Implies, Not, alpha_key, atoms, flatten_and,
                              free_names, rename_bound, substitute)
from genlogic.mpl.printer import to_mpl
from genlogic.verify.syntax import (alpha_equal, atom_list, conjuncts, free, rename_binders,
                                    replace, same)

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["a", "b", "c", "x", "y", "a_1"]       # a_1: the engine's renaming suffix
RELATIONS = [("in", 2), ("in3", 4), ("=", 2), ("P", 1)]

names = st.sampled_from(NAMES)


@st.composite
def atoms_(draw):
    relation, arity = draw(st.sampled_from(RELATIONS))
    return Atom(relation, tuple(draw(names) for _ in range(arity)))


def _extend(children):
    binders = st.lists(names, max_size=3)
    return st.one_of(
        st.builds(And, children, children),
        st.builds(Not, children),
        st.builds(Implies, binders, children, children),
        # existence: !(>[y] A !B)
        st.builds(lambda v, a, b: Not(Implies(v, a, Not(b))), binders, children, children),
    )


exprs = st.recursive(atoms_(), _extend, max_leaves=12)
mappings = st.dictionaries(names, names, max_size=4)


def engine_alpha(a, b) -> bool:
    return alpha_key(a) is alpha_key(b)


def mutate(expr, index: int, name: str):
    """``expr`` with its ``index``-th name occurrence (binders and arguments, in order)
    replaced by ``name``: a near miss, alpha-equivalent or not."""
    counter = [0]

    def pick(old):
        counter[0] += 1
        return name if counter[0] - 1 == index else old

    def walk(node):
        if isinstance(node, Atom):
            return Atom(node.name, tuple(pick(a) for a in node.args))
        if isinstance(node, And):
            return And(walk(node.left), walk(node.right))
        if isinstance(node, Not):
            return Not(walk(node.body))
        binders = tuple(pick(v) for v in node.vars)
        return Implies(binders, walk(node.premise), walk(node.conclusion))

    return walk(expr)


# -- the verifier's operations agree with the engine's ----------------------------------
@settings(max_examples=400, deadline=None)
@given(exprs)
def test_free_names_conjuncts_and_atoms_agree(e):
    assert free(e) == free_names(e)
    assert conjuncts(e) == flatten_and(e)
    assert list(atom_list(e)) == list(atoms(e))


@settings(max_examples=400, deadline=None)
@given(exprs, exprs)
def test_alpha_equivalence_agrees_on_unrelated_pairs(a, b):
    assert alpha_equal(a, b) == engine_alpha(a, b)
    assert same(a, b) == (a is b)


@settings(max_examples=400, deadline=None)
@given(exprs, st.integers(0, 40), names)
def test_alpha_equivalence_agrees_on_near_misses(e, index, name):
    other = mutate(e, index, name)
    assert alpha_equal(e, other) == engine_alpha(e, other)
    assert alpha_equal(other, e) == alpha_equal(e, other)
    assert same(e, other) == (e is other)


@settings(max_examples=300, deadline=None)
@given(exprs, st.sets(names, max_size=4))
def test_renamed_binders_are_alpha_equal(e, avoid):
    renamed = rename_bound(e, avoid)                 # the engine's renaming
    assert alpha_equal(e, renamed)
    ours = rename_binders(e)
    assert alpha_equal(e, ours) and engine_alpha(e, ours)
    assert free(ours) == free(e)


@settings(max_examples=500, deadline=None)
@given(exprs, mappings)
def test_substitution_agrees_up_to_bound_names(e, mapping):
    ours, theirs = replace(e, mapping), substitute(e, mapping)
    assert alpha_equal(ours, theirs)
    assert engine_alpha(ours, theirs)
    # capture-avoiding: the free names are exactly the images of the old ones
    assert free(ours) == {mapping.get(n, n) for n in free(e)}
    # and a name that is not free is left alone
    assert replace(e, {k: v for k, v in mapping.items() if k not in free(e)}) is e


@settings(max_examples=300, deadline=None)
@given(exprs, mappings, mappings)
def test_substitutions_compose_alike(e, first, second):
    ours = replace(replace(e, first), second)
    theirs = substitute(substitute(e, first), second)
    assert alpha_equal(ours, theirs)


def test_capture_is_avoided_by_renaming_to_a_name_mpl_cannot_hold():
    e = Implies(("y",), Atom("in", ("y", "X")), Atom("in", ("x", "y")))
    out = replace(e, {"x": "y"})
    assert free(out) == {"X", "y"}
    assert out.vars[0].startswith("#") and to_mpl(out.conclusion) == f"(in[y,{out.vars[0]}])"
    assert alpha_equal(out, substitute(e, {"x": "y"}))
    # a bound name is never replaced, a shadowing binder hides the outer one
    shadow = Implies(("x",), Atom("P", ("x",)), Atom("P", ("z",)))
    assert replace(shadow, {"x": "a"}) is shadow
    assert to_mpl(replace(shadow, {"z": "x"})) != to_mpl(shadow)
    assert not alpha_equal(replace(shadow, {"z": "x"}),
                           Implies(("x",), Atom("P", ("x",)), Atom("P", ("x",))))


def test_alpha_equality_tells_bound_from_free():
    bound = Implies(("x",), Atom("P", ("x",)), Atom("P", ("x",)))
    free_x = Implies(("y",), Atom("P", ("y",)), Atom("P", ("x",)))
    assert alpha_equal(bound, Implies(("z",), Atom("P", ("z",)), Atom("P", ("z",))))
    assert not alpha_equal(bound, free_x)
    # repeated binders: the last one binds
    twice = Implies(("x", "x"), Atom("P", ("x",)), Atom("P", ("x",)))
    assert alpha_equal(twice, Implies(("x", "y"), Atom("P", ("y",)), Atom("P", ("y",))))
    assert not alpha_equal(twice, Implies(("y", "x"), Atom("P", ("y",)), Atom("P", ("y",))))


# -- the verifier does not use the engine's syntax functions -----------------------------
SHARED_OK = {"And", "Atom", "Expr", "Implies", "Not"}


def test_verify_imports_only_the_node_classes_from_the_ast():
    offenders = []
    for path in sorted((ROOT / "genlogic" / "verify").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.endswith("mpl.ast"):
                offenders += [f"{path.name}: {a.name}" for a in node.names
                              if a.name not in SHARED_OK]
            if isinstance(node, ast.Attribute) and node.attr in (
                    "substitute", "alpha_key", "alpha_equal", "free_names", "flatten_and",
                    "rename_bound", "expand"):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert offenders == []
