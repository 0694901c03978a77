"""The readable printer (DESIGN 3.5): relational chains shown as terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from genlogic.mpl.parser import parse_expr
from genlogic.mpl.readable import readable, term_text
from genlogic.mpl.theory import load

REPO = Path(__file__).resolve().parents[1]

EXPECTED = {
    "add_zero_left": "∀a. i0 + a = a",
    "add_succ_left": "∀a b. s(a) + b = s(a + b)",
    "add_comm": "∀a b. a + b = b + a",
    "add_assoc": "∀a b c. a + b + c = a + (b + c)",
    "mul_zero_left": "∀a. i0 * a = i0",
    "mul_succ_left": "∀a b. s(a) * b = a * b + b",
    "mul_comm": "∀a b. a * b = b * a",
    "left_distrib": "∀a b c. a * (b + c) = a * b + a * c",
    "right_distrib": "∀a b c. (a + b) * c = a * c + b * c",
    "mul_assoc": "∀a b c. a * b * c = a * (b * c)",
}


@pytest.fixture(scope="module")
def theory():
    return load(REPO / "axioms" / "peano.mpl")


def test_peano_goals_read_as_equations(theory):
    goals = theory.goals_from(REPO / "axioms" / "peano_goals.mpl")
    ops = theory.signature.operator_names
    shown = {g.name: readable(g.expr, ops) for g in goals}
    assert shown == EXPECTED
    assert all(g.anchor == "Peano" for g in goals)


def test_operators_default_to_the_function_relations_used():
    assert readable(parse_expr("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")) == "∀a b. a + b = b + a"
    e = parse_expr("(>[a,b,c](&(in2[a,c,s])(in2[c,b,s]))(in3[a,i1,b,+]))")
    assert readable(e) == "∀a. s(s(a)) = a + i1"
    assert readable(e) == readable(e)


def test_conditions_negation_and_existence(theory):
    ops = theory.signature.operator_names
    assert readable(parse_expr("(>[n](in[n,N])!(in2[n,i0,s]))"), ops) == "∀n. n ∈ N → ¬(s(n) = i0)"
    total = parse_expr("(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))")
    assert readable(total, ops) == "∀x. x ∈ N → ∃y. y ∈ N ∧ s(x) = y"
    assert readable(parse_expr("!(=[a,b])"), ops) == "a ≠ b"
    assert readable(parse_expr("(&(in[a,N])(in[b,N]))"), ops) == "a ∈ N ∧ b ∈ N"


def test_induction_axiom_readable(theory):
    sig = theory.signature
    text = readable(sig.induction[0].expr, sig.operator_names)
    assert "i0 ∈ M" in text and "s(n) ∈ M" in text and text.endswith("→ n ∈ M")


def test_definition_atoms_print_applied():
    assert readable(parse_expr("(fXY[s,N,N])"), set()) == "fXY(s, N, N)"


def test_term_text_precedence():
    plus = lambda a, b: ("+", (a, b))          # noqa: E731
    times = lambda a, b: ("*", (a, b))         # noqa: E731
    ops = {"+", "*", "s"}
    assert term_text(plus("a", times("b", "c")), ops) == "a + b * c"
    assert term_text(times(plus("a", "b"), "c"), ops) == "(a + b) * c"
    assert term_text(plus(plus("a", "b"), "c"), ops) == "a + b + c"
    assert term_text(plus("a", plus("b", "c")), ops) == "a + (b + c)"
    assert term_text(("s", (plus("a", "b"),)), ops) == "s(a + b)"
    assert term_text(("f", ("a", "b")), ops) == "f(a, b)"


# an inner binder shadows an outer one: the inner b is its own term, not the outer b's
# (the base case of an induction instance used to read i0 + n = i0 here)
def test_shadowed_names_keep_their_own_scope():
    ops = {"+", "s"}
    instance = parse_expr("(>[](>[b](in3[i0,i0,b,+])(=[b,i0]))"
                          "(>[n](in[n,N])(>[b](in3[i0,n,b,+])(=[b,n]))))")
    assert readable(instance, ops) == "∀n. (i0 + i0 = i0) ∧ n ∈ N → i0 + n = n"
    # an outer term that mentions a name the inner scope rebinds is not carried inside
    captured = parse_expr("(>[n,b](&(in3[n,n,b,+])(>[n](in[n,N])(=[b,n])))(=[b,b]))")
    assert "(∀n. n ∈ N → b = n)" in readable(captured, ops)
    existential = parse_expr("(>[a,b](in3[a,a,b,+]) !(>[b](in[b,N]) !(=[b,a])))")
    assert readable(existential, ops) == "∀a. ∃b. b ∈ N ∧ b = a"
