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
    assert readable(parse_expr("(>[n](in[n,N])!(in2[n,i0,s]))"), ops) == "∀a. a ∈ N → ¬(s(a) = i0)"
    total = parse_expr("(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))")
    assert readable(total, ops) == "∀a. a ∈ N → ∃b. b ∈ N ∧ s(a) = b"
    assert readable(parse_expr("!(=[a,b])"), ops) == "a ≠ b"
    assert readable(parse_expr("(&(in[a,N])(in[b,N]))"), ops) == "a ∈ N ∧ b ∈ N"


# -- the folding rule (module docstring of genlogic.mpl.readable) ----------------------------
FUNCTION_AXIOMS = {
    # graph: folded it would read "∀x. x ∈ N ∧ s(x) ∈ N", every x in N
    "(>[x,y](in2[x,y,s])(&(in[x,N])(in[y,N])))": "∀a b. s(a) = b → a ∈ N ∧ b ∈ N",
    "(>[x,y,z](in3[x,y,z,+])(&(in[x,N])(&(in[y,N])(in[z,N]))))":
        "∀a b c. a + b = c → a ∈ N ∧ b ∈ N ∧ c ∈ N",
    # totality: the relation inside ∃ is the relation itself
    "(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))": "∀a. a ∈ N → ∃b. b ∈ N ∧ s(a) = b",
    # single-valuedness: folded it would read the tautology "s(x) = y2 → s(x) = y2"
    "(>[x,y1,y2](&(in2[x,y1,s])(in2[x,y2,s]))(=[y1,y2]))": "∀a b c. s(a) = b ∧ s(a) = c → b = c",
    "(>[x,y,z1,z2](&(in3[x,y,z1,+])(in3[x,y,z2,+]))(=[z1,z2]))":
        "∀a b c d. a + b = c ∧ a + b = d → c = d",
    # injectivity: m is the output of two premises
    "(>[n1,n2,m](&(in2[n1,m,s])(in2[n2,m,s]))(=[n1,n2]))": "∀a b c. s(a) = c ∧ s(b) = c → a = b",
}


@pytest.mark.parametrize("mpl, text", FUNCTION_AXIOMS.items())
def test_function_axioms_keep_their_premises(theory, mpl, text):
    assert readable(parse_expr(mpl), theory.signature.operator_names) == text


def test_every_peano_axiom(theory):
    sig = theory.signature
    shown = [readable(a, sig.operator_names) for a in sig.axioms]
    assert shown[0] == "i0 ∈ N"
    assert shown[6] == "∀a b. i0 ∈ a ∧ (∀c. c ∈ a → s(c) ∈ a) ∧ b ∈ N → b ∈ a"
    assert "∀a. a ∈ N → a + i0 = a" in shown                   # a relation, nothing folded
    assert "∀a b. s(a + b) = a + s(b)" in shown                 # a + s(b) = s(a + b), folded
    assert "∀a b. a * b + a = a * s(b)" in shown
    assert shown[-1] == "s(i0) = i1"


@pytest.mark.parametrize("mpl, text", [
    # the term is a hypothesis's presupposition: folded
    ("(>[x,y](&(in2[x,y,s])(in[y,N]))(in[x,N]))", "∀a. s(a) ∈ N → a ∈ N"),
    # in every conjunct of the conclusion: folded
    ("(>[x,y](in2[x,y,s])(&(in[y,N])!(=[y,x])))", "∀a. s(a) ∈ N ∧ s(a) ≠ a"),
    # used nowhere else: kept
    ("(>[x,y](in2[x,y,s])(in[x,N]))", "∀a b. s(a) = b → a ∈ N"),
    # a cycle never folds
    ("(>[a,b](&(in2[a,b,s])(in2[b,a,s]))(=[a,b]))", "∀a b. s(a) = b ∧ s(b) = a → a = b"),
    # the same term twice: neither folds
    ("(>[a,b,c](&(in2[a,b,s])(&(in2[a,c,s])(in[b,N])))(in[c,N]))",
     "∀a b c. s(a) = b ∧ s(a) = c ∧ b ∈ N → c ∈ N"),
    # y = x inside ∃ would read as the relation: kept
    ("(>[x,y](in2[x,y,s])!(>[z](in[z,N])!(=[y,z])))", "∀a b. s(a) = b → ∃c. c ∈ N ∧ b = c"),
    # the value of a ground term belongs to the whole statement
    ("(>[a](in2[i0,a,s])(=[a,i1]))", "s(i0) = i1"),
])
def test_fold_rule(theory, mpl, text):
    assert readable(parse_expr(mpl), theory.signature.operator_names) == text


def test_bound_names_are_letters_never_generated_ones(theory):
    ops = theory.signature.operator_names
    e = parse_expr("(>[a_1_3_1,b_2_0](in3[a_1_3_1,i0,b_2_0,+])(=[b_2_0,a_1_3_1]))")
    assert readable(e, ops) == "∀a. a + i0 = a"
    # names the statement uses freely are skipped; free names print as they are
    e = parse_expr("(>[x,y](in3[x,a,y,+])(=[y,b]))")
    assert readable(e, ops) == "∀c. c + a = b"
    assert readable(parse_expr("(in3[a_2_0,i0,b_2_0,+])"), ops) == "a_2_0 + i0 = b_2_0"


def test_induction_axiom_readable(theory):
    sig = theory.signature
    text = readable(sig.induction[0].expr, sig.operator_names)
    assert "i0 ∈ a" in text and "s(c) ∈ a" in text and text.endswith("→ b ∈ a")


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


# every binder gets a letter of its own, so an inner binder never hides an outer one
def test_nested_scopes_get_their_own_names():
    ops = {"+", "s"}
    instance = parse_expr("(>[](>[b](in3[i0,i0,b,+])(=[b,i0]))"
                          "(>[n](in[n,N])(>[b](in3[i0,n,b,+])(=[b,n]))))")
    # the inner value i0 + i0 is quantified inside the parentheses: it is not folded there
    assert readable(instance, ops) == "∀a. (∀b. i0 + i0 = b → b = i0) ∧ a ∈ N → i0 + a = a"
    captured = parse_expr("(>[n,b](&(in3[n,n,b,+])(>[n](in[n,N])(=[b,n])))(=[b,n]))")
    assert readable(captured, ops) == "∀a. (∀b. b ∈ N → a + a = b) → a + a = a"
    # y = y: folded it would read as the trivial t = t, so the premise stays
    trivial = parse_expr("(>[n,b](&(in3[n,n,b,+])(>[n](in[n,N])(=[b,n])))(=[b,b]))")
    assert readable(trivial, ops) == "∀a b. a + a = b ∧ (∀c. c ∈ N → b = c) → b = b"
    existential = parse_expr("(>[a,b](in3[a,a,b,+]) !(>[b](in[b,N]) !(=[b,a])))")
    assert readable(existential, ops) == "∀a b. a + a = b → ∃c. c ∈ N ∧ c = a"
