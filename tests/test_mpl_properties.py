"""Property tests (hypothesis) for the MPL layer: round trips, canonical printing,
hash-consing, substitution and alpha keys, and robustness against bad input."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from genlogic.mpl.ast import (And, Atom, Implies, Not, alpha_equal, alpha_key, bound_names,
                              conj, flatten_and, free_names, rename_bound, size, substitute)
from genlogic.mpl.errors import MPLError
from genlogic.mpl.parser import parse_expr, parse_items
from genlogic.mpl.printer import to_mpl
from genlogic.mpl.readable import readable
from genlogic.mpl.signature import derive_signature
from genlogic.mpl.theory import load_text

REPO = Path(__file__).resolve().parents[1]
PEANO = (REPO / "axioms" / "peano.mpl").read_text(encoding="utf-8")
GOALS = (REPO / "axioms" / "peano_goals.mpl").read_text(encoding="utf-8")


# -- strategies -------------------------------------------------------------------------
plain_names = st.sampled_from(["x", "y", "z", "a", "b", "N", "M", "i0", "s", "+", "*", "f",
                               "X1", "under", "def", "in", "=", "x'", "n_2"])
odd_names = st.text(alphabet="abXY09_+-*/^=<~.'$%@|", min_size=1, max_size=5)
names = st.one_of(plain_names, plain_names, odd_names)
relations = st.one_of(st.sampled_from(["in", "in2", "in3", "=", "fXY", "R", "+"]), odd_names)

atoms_st = st.builds(Atom, relations, st.lists(names, max_size=4).map(tuple))


def _extend(children):
    return st.one_of(
        st.builds(And, children, children),
        st.builds(Not, children),
        st.builds(Implies, st.lists(names, max_size=3, unique=True).map(tuple), children,
                  children),
    )


exprs = st.recursive(atoms_st, _extend, max_leaves=12)


def _spaced(expr, draw) -> str:
    """Non-canonical text of ``expr``: random whitespace and comments between tokens."""
    def gap():
        return draw(st.sampled_from(["", " ", "  ", "\n", "\t", " # note\n", "\n  "]))

    if isinstance(expr, Atom):
        return (f"({gap()}{expr.name}{gap()}[{gap()}"
                + f"{gap()},{gap()}".join(expr.args) + f"{gap()}]{gap()})")
    if isinstance(expr, And):
        return f"({gap()}&{gap()}{_spaced(expr.left, draw)}{gap()}{_spaced(expr.right, draw)}{gap()})"
    if isinstance(expr, Not):
        return f"!{gap()}{_spaced(expr.body, draw)}"
    return (f"({gap()}>{gap()}[{gap()}" + f"{gap()},{gap()}".join(expr.vars)
            + f"{gap()}]{gap()}{_spaced(expr.premise, draw)}{gap()}"
            + f"{_spaced(expr.conclusion, draw)}{gap()})")


def _rebuild(expr):
    """A structurally equal copy built from scratch through the constructors."""
    if isinstance(expr, Atom):
        return Atom("".join(list(expr.name)), list(expr.args))
    if isinstance(expr, And):
        return And(_rebuild(expr.left), _rebuild(expr.right))
    if isinstance(expr, Not):
        return Not(_rebuild(expr.body))
    return Implies(list(expr.vars), _rebuild(expr.premise), _rebuild(expr.conclusion))


def _all_names(expr) -> set[str]:
    if isinstance(expr, Atom):
        return set(expr.args)
    if isinstance(expr, And):
        return _all_names(expr.left) | _all_names(expr.right)
    if isinstance(expr, Not):
        return _all_names(expr.body)
    return set(expr.vars) | _all_names(expr.premise) | _all_names(expr.conclusion)


def _freshen(expr, env=None, counter=None, prefix="v"):
    """Rename every binder to a globally fresh name (an alpha-equivalent copy)."""
    env = env or {}
    counter = counter if counter is not None else [0]
    if isinstance(expr, Atom):
        return Atom(expr.name, tuple(env.get(a, a) for a in expr.args))
    if isinstance(expr, And):
        return And(_freshen(expr.left, env, counter, prefix),
                   _freshen(expr.right, env, counter, prefix))
    if isinstance(expr, Not):
        return Not(_freshen(expr.body, env, counter, prefix))
    inner = dict(env)
    new = []
    for v in expr.vars:
        counter[0] += 1
        inner[v] = f"{prefix}§{counter[0]}"       # '§' is no name character: never clashes
        new.append(inner[v])
    return Implies(tuple(new), _freshen(expr.premise, inner, counter, prefix),
                   _freshen(expr.conclusion, inner, counter, prefix))


def _naive_substitute(expr, mapping):
    """Substitution without any capture check (correct when no binder can capture)."""
    if isinstance(expr, Atom):
        return Atom(expr.name, tuple(mapping.get(a, a) for a in expr.args))
    if isinstance(expr, And):
        return And(_naive_substitute(expr.left, mapping), _naive_substitute(expr.right, mapping))
    if isinstance(expr, Not):
        return Not(_naive_substitute(expr.body, mapping))
    inner = {k: v for k, v in mapping.items() if k not in expr.vars}
    return Implies(expr.vars, _naive_substitute(expr.premise, inner),
                   _naive_substitute(expr.conclusion, inner))


FAST = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


# -- printing and parsing -----------------------------------------------------------------
@FAST
@given(exprs)
def test_print_parse_round_trip(e):
    assert parse_expr(to_mpl(e)) is e


@FAST
@given(st.data())
def test_whitespace_and_comments_parse_to_the_same_node(data):
    e = data.draw(exprs)
    text = _spaced(e, data.draw)
    assert parse_expr(text) is e
    assert to_mpl(parse_expr(text)) == to_mpl(e)


@FAST
@given(exprs)
def test_canonical_printing_is_stable(e):
    once = to_mpl(e)
    assert to_mpl(parse_expr(once)) == once
    assert str(e) == once
    assert not re.search(r"\s", once)


@FAST
@given(exprs)
def test_theory_item_round_trip(e):
    items, _ = parse_items(f"def D[p] := {to_mpl(e)}\ntheorem t := {to_mpl(e)}\n")
    assert [i.kind for i in items] == ["def", "theorem"]
    assert items[0].expr is e and items[1].expr is e


# -- hash-consing ---------------------------------------------------------------------------
@FAST
@given(exprs)
def test_equal_structure_is_the_same_object(e):
    copy = _rebuild(e)
    assert copy is e
    assert {copy: 1}[e] == 1
    assert pickle.loads(pickle.dumps(e)) is e
    assert hash(copy) == hash(e)


@FAST
@given(exprs, exprs)
def test_different_structure_is_a_different_object(a, b):
    assert (a is b) == (to_mpl(a) == to_mpl(b))


@FAST
@given(exprs)
def test_nodes_are_immutable(e):
    try:
        e.foo = 1
    except AttributeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("node accepted an attribute")


@FAST
@given(st.lists(exprs.filter(lambda p: not isinstance(p, And)), min_size=1, max_size=5))
def test_conj_and_flatten(parts):
    assert flatten_and(conj(parts)) == parts
    assert size(conj(parts)) == sum(size(p) for p in parts)


# -- alpha keys and substitution ------------------------------------------------------------
@FAST
@given(exprs)
def test_alpha_key_invariant_under_renaming_bound_variables(e):
    renamed = _freshen(e)
    assert alpha_key(renamed) is alpha_key(e)
    assert alpha_equal(renamed, e)
    assert free_names(renamed) == free_names(e)
    assert alpha_key(alpha_key(e)) is alpha_key(e)


@FAST
@given(st.data())
def test_alpha_key_sees_free_names(data):
    e = data.draw(exprs)
    assume(free_names(e))
    old = data.draw(st.sampled_from(sorted(free_names(e))))
    new = "fresh" + "".join(sorted(_all_names(e)))
    assert not alpha_equal(substitute(e, {old: new}), e)


@FAST
@given(exprs, st.dictionaries(names, names, max_size=3))
def test_substitute_avoids_capture(e, mapping):
    result = substitute(e, mapping)
    # every free name is replaced and nothing the mapping brings in gets bound
    assert free_names(result) == {mapping.get(n, n) for n in free_names(e)}
    # the same as plain replacement after renaming binders out of the way
    reference = _naive_substitute(_freshen(e), mapping)
    assert alpha_key(result) is alpha_key(reference)


@FAST
@given(exprs)
def test_substitute_identity_and_unused_names(e):
    assert substitute(e, {}) is e
    assert substitute(e, {n: n for n in free_names(e)}) is e
    assert substitute(e, {"§unused": "x"}) is e


@FAST
@given(exprs, st.sets(names, max_size=4))
def test_rename_bound_avoids_names(e, avoid):
    result = rename_bound(e, avoid)
    assert alpha_equal(result, e)
    assert not (bound_names(result) & avoid)


def test_substitute_example_from_docstring():
    e = parse_expr("(>[y](in[y,X])(in[x,y]))")
    assert to_mpl(substitute(e, {"x": "y"})) == "(>[y_1](in[y_1,X])(in[y,y_1]))"


# -- robustness: bad input only ever raises MPLError -----------------------------------------
MPL_CHARS = "()[]&!>,:=# \n\"abcxyNMsfi0123+*-_'"
FRAGMENTS = ["def ", "anchor ", "theorem ", "include ", " under ", ":=", "(in[", "(in2[",
             "(in3[", "(=[", "(>[", "(&", "!", "])", ")", "(", "[", "]", ",", "\n", "#",
             "\"", "Peano", "NaturalNumbers", "x", "N", "+"]

edits = st.lists(
    st.tuples(st.sampled_from(["delete", "insert", "replace", "truncate", "fragment"]),
              st.integers(min_value=0, max_value=10**6),
              st.integers(min_value=1, max_value=8),
              st.one_of(st.sampled_from(list(MPL_CHARS)), st.sampled_from(FRAGMENTS))),
    min_size=1, max_size=4)


def _mutate(text: str, ops) -> str:
    for op, where, length, piece in ops:
        i = where % (len(text) + 1)
        if op == "delete":
            text = text[:i] + text[i + length:]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "replace":
            text = text[:i] + piece + text[i + 1:]
        elif op == "truncate":
            text = text[:i]
        else:
            text = text[:i] + piece * length + text[i:]
    return text


def _load_and_use(text: str):
    """Load a theory; when it loads, also derive signatures and print everything."""
    try:
        theory = load_text(text, "mutant.mpl")
    except MPLError as exc:
        assert exc.message
        str(exc)
        return
    for anchor in theory.anchors:
        sig = derive_signature(theory, anchor.name)
        for axiom in sig.axioms:
            readable(axiom, sig.operator_names)
        for goal in theory.goals:
            readable(goal.expr, sig.operator_names)
            theory.parse(to_mpl(goal.expr), goal.anchor)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_mutated_peano_raises_only_mpl_errors(ops):
    _load_and_use(_mutate(PEANO + "\n" + GOALS, ops))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=MPL_CHARS, max_size=80))
def test_random_text_raises_only_mpl_errors(text):
    _load_and_use(text)
    try:
        parse_expr(text)
    except MPLError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_unicode_raises_only_mpl_errors(text):
    for fn in (parse_expr, lambda t: load_text(t, "u.mpl")):
        try:
            fn(text)
        except MPLError:
            pass


@FAST
@given(exprs, edits)
def test_mutated_expressions_raise_only_mpl_errors(e, ops):
    text = _mutate(to_mpl(e), ops)
    try:
        result = parse_expr(text)
    except MPLError:
        return
    assert parse_expr(to_mpl(result)) is result


def test_deep_nesting_is_an_mpl_error_not_a_crash():
    for text in ["!" * 5000 + "(a[])", "(&(a[])" * 3000 + "(a[])" + ")" * 3000]:
        try:
            parse_expr(text)
        except MPLError as exc:
            assert "nested too deeply" in exc.message
    try:
        load_text("def A[x] := " + "!" * 5000 + "(in[x,x])")
    except MPLError:
        pass
