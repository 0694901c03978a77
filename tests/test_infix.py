"""Readable input (genlogic.mpl.infix): forms, canonical output, round trips, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genlogic.explore.terms import equation_statement
from genlogic.mpl.ast import alpha_key
from genlogic.mpl.errors import MPLError
from genlogic.mpl.infix import is_mpl_text, parse_readable, parse_statement
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.readable import readable, term_text
from genlogic.mpl.theory import load, load_text

REPO = Path(__file__).resolve().parents[1]
PEANO = load(REPO / "axioms" / "peano.mpl")
SIG = PEANO.signature
POW_SIG = load(REPO / "axioms" / "peano_pow.mpl").signature

FUNCTIONS = """
def function1[f, X, Y] :=
  (&(>[x,y](in2[x,y,f])(&(in[x,X])(in[y,Y])))
  (&(>[x](in[x,X]) !(>[y](in[y,Y]) !(in2[x,y,f])))
    (>[x,y1,y2](&(in2[x,y1,f])(in2[x,y2,f]))(=[y1,y2]))))
def function2[f, X, Y, Z] :=
  (&(>[x,y,z](in3[x,y,z,f])(&(in[x,X])(&(in[y,Y])(in[z,Z]))))
  (&(>[x,y](&(in[x,X])(in[y,Y])) !(>[z](in[z,Z]) !(in3[x,y,z,f])))
    (>[x,y,z1,z2](&(in3[x,y,z1,f])(in3[x,y,z2,f]))(=[z1,z2]))))
"""
# two sets: numbers N and lists L; len: L -> N, app: L x L -> L, a symbol operator ⊕ is
# not an MPL name, so the "other symbol" is '%': N x N -> N
TWO_SORTED = load_text(FUNCTIONS + """
anchor Two[N, L, z, nil, len, app, %, +] :=
  (&(in[z,N])(&(in[nil,L])(&(function1[len,L,N])(&(function2[app,L,L,L])
  (&(function2[%,N,N,N])(function2[+,N,N,N]))))))
""", "two.mpl")


def mpl(text: str, sig=SIG) -> str:
    return str(parse_statement(text, sig))


# -- the forms of the brief -----------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("a + b = b + a", "(>[a,b,c,d](&(in3[a,b,c,+])(in3[b,a,d,+]))(=[c,d]))"),
    ("s(a) * b = a * b + b",
     "(>[a,b,c,d,e,f](&(in2[a,c,s])(&(in3[c,b,d,*])(&(in3[a,b,e,*])(in3[e,b,f,+]))))(=[d,f]))"),
    ("(a + b) + c = a + (b + c)",
     "(>[a,b,c,d,e,f,g](&(in3[a,b,d,+])(&(in3[d,c,e,+])(&(in3[b,c,f,+])(in3[a,f,g,+]))))(=[e,g]))"),
    ("a + c = b + c -> a = b",
     "(>[a,b,c,d,e](&(in3[a,b,d,+])(&(in3[c,b,e,+])(=[d,e])))(=[a,c]))"),
    ("i0 + a = a", "(>[a,b](in3[i0,a,b,+])(=[b,a]))"),
    ("a + i1 = s(a)", "(>[a,b,c](&(in3[a,i1,b,+])(in2[a,c,s]))(=[b,c]))"),
    ("s(a) = s(b) → a = b", "(>[a,b,c,d](&(in2[a,c,s])(&(in2[b,d,s])(=[c,d])))(=[a,b]))"),
])
def test_forms(text, expected):
    assert mpl(text) == expected


@pytest.mark.parametrize("variant", [
    "a+b=b+a", "forall a b. a + b = b + a", "∀a b. a + b = b + a", "∀ x, y. x + y = y + x",
    "+(a, b) = +(b, a)", "+(a, b) = b + a", "((a)) + (b) = (b + a)", "u + v = v + u",
])
def test_variants_give_the_same_statement(variant):
    assert mpl(variant) == mpl("a + b = b + a")


def test_precedence_and_associativity():
    assert mpl("a + b * c = c") == mpl("a + (b * c) = c")
    assert mpl("a * b + c = c") == mpl("(a * b) + c = c")
    assert mpl("a + b + c = c") == mpl("(a + b) + c = c")
    assert mpl("a * b * c = c") == mpl("(a * b) * c = c")
    assert mpl("a + b + c = c") != mpl("a + (b + c) = c")
    assert mpl("a ^ b ^ c = a", POW_SIG) == mpl("a ^ (b ^ c) = a", POW_SIG)
    assert mpl("a * b ^ c = a", POW_SIG) == mpl("a * (b ^ c) = a", POW_SIG)
    assert mpl("a ^ b * c = a", POW_SIG) == mpl("(a ^ b) * c = a", POW_SIG)


def test_other_symbols_have_the_lowest_precedence():
    sig = TWO_SORTED.signature
    assert mpl("a % b + c = a", sig) == mpl("a % (b + c) = a", sig)
    assert mpl("a + b % c = a", sig) == mpl("(a + b) % c = a", sig)
    assert mpl("a % b % c = a", sig) == mpl("(a % b) % c = a", sig)


def test_conditionals_and_conjunctions():
    # a hypothesis f(t) = y is the relation itself; a conclusion equates values
    e = parse_statement("a + b = a ∧ b = i0 → a = a + i0", SIG)
    assert str(e) == "(>[a,b,c](&(in3[a,b,a,+])(&(=[b,i0])(in3[a,i0,c,+])))(=[a,c]))"
    chained = parse_statement("a + c = b + c -> c = c + i0 -> a = b", SIG)
    joined = parse_statement("a + c = b + c & c = c + i0 -> a = b", SIG)
    assert chained is joined
    both = parse_statement("a + i0 = a /\\ i0 + a = a", SIG)
    assert readable(both, SIG.operator_names) == "∀a. a + i0 = a ∧ i0 + a = a"


# -- the rest of the readable form: ∈, ¬, ≠, ∃, nested ∀, relations --------------------------
@pytest.mark.parametrize("text, expected", [
    ("∀a b. s(a) = b → a ∈ N ∧ b ∈ N", "(>[a,b](in2[a,b,s])(&(in[a,N])(in[b,N])))"),
    ("∀a. a ∈ N → ∃b. b ∈ N ∧ s(a) = b", "(>[a](in[a,N])!(>[b](in[b,N])!(in2[a,b,s])))"),
    ("∀a b c. s(a) = b ∧ s(a) = c → b = c", "(>[a,b,c](&(in2[a,b,s])(in2[a,c,s]))(=[b,c]))"),
    ("∀a. a ∈ N → ¬(s(a) = i0)", "(>[a](in[a,N])!(in2[a,i0,s]))"),
    ("∀a. s(a) ≠ a", "(>[a,b](in2[a,b,s])!(=[b,a]))"),
    ("∀a b. i0 ∈ a ∧ (∀c. c ∈ a → s(c) ∈ a) ∧ b ∈ N → b ∈ a",
     "(>[a,b](&(in[i0,a])(&(>[c,d](&(in[c,a])(in2[c,d,s]))(in[d,a]))(in[b,N])))(in[b,a]))"),
    # a value belongs to the innermost ∀ binding one of its variables: s(a) outside, c + d inside
    ("∀a. (∀c. c + s(a) = c → c ∈ N) → a ∈ N",
     "(>[a,b](&(in2[a,b,s])(>[c](in3[c,b,c,+])(in[c,N])))(in[a,N]))"),
    ("s(i0) = i1", "(>[a](in2[i0,a,s])(=[a,i1]))"),
    ("i0 ∈ N", "(in[i0,N])"),
    ("∃a. a + a = i0", "!(>[a](in3[a,a,i0,+])!(in3[a,a,i0,+]))"),
    ("∀a b. in2(a, b, s) → f(a, +, N)", "(>[a,b](in2[a,b,s])(f[a,+,N]))"),
    ("(a + b = c) → c = b + a", "(>[a,b,c,d](&(in3[a,b,c,+])(in3[b,a,d,+]))(=[c,d]))"),
    ("∀i0. i0 + i0 = i0", "(>[a,b](in3[a,a,b,+])(=[b,a]))"),   # a binder hides a constant
])
def test_formulas(text, expected):
    assert mpl(text) == expected


def test_hypotheses_are_relations_conclusions_are_values():
    # single-valuedness is not the tautology it would be if the hypotheses were values
    sv = parse_statement("∀a b c. s(a) = b ∧ s(a) = c → b = c", SIG)
    assert sv is parse_expr("(>[a,b,c](&(in2[a,b,s])(in2[a,c,s]))(=[b,c]))")
    # the same application twice in values is one value
    assert mpl("s(a) + s(a) = a") == "(>[a,b,c](&(in2[a,b,s])(in3[b,b,c,+]))(=[c,a]))"


def test_mpl_text_passes_through():
    text = "(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))"
    assert parse_statement(text, SIG) is parse_expr(text)
    assert parse_statement("!(>[a](in[a,N])(=[a,a]))", SIG) is parse_expr("!(>[a](in[a,N])(=[a,a]))")
    assert is_mpl_text(" (in[a,N])") and is_mpl_text("(& (in[a,N]) (in[a,N]))")
    assert not is_mpl_text("(a + b) + c = a")


def test_call_notation_for_letter_operators():
    renamed = load_text((REPO / "axioms" / "peano.mpl").read_text().replace(
        "anchor Peano[N, i0, s, +, *, i1] := (&(NaturalNumbers[N,i0,s,+,*])(in2[i0,i1,s]))",
        "anchor Peano[N, i0, s, add, mul, i1] := (&(NaturalNumbers[N,i0,s,add,mul])(in2[i0,i1,s]))"),
        "renamed.mpl")
    sig = renamed.signature
    assert sig.operator_names == {"s", "add", "mul"}
    e = parse_statement("add(a, b) = add(b, a)", sig)
    assert str(e) == mpl("a + b = b + a").replace("+", "add")
    assert str(parse_statement("mul(s(a), b) = add(mul(a, b), b)", sig)) == \
        mpl("s(a) * b = a * b + b").replace("+", "add").replace("*", "mul")
    with pytest.raises(MPLError) as err:
        parse_statement("a add b = b", sig)
    assert err.value.column == 3


def test_variables_map_back_to_the_users_names():
    parsed = parse_readable("y + x = x + y", SIG)
    assert parsed.variables == {"y": "a", "x": "b"}
    assert parsed.conclusions == [(("+", ("v", "y"), ("v", "x")), ("+", ("v", "x"), ("v", "y")))]


# -- sorts ------------------------------------------------------------------------------
def test_type_errors_point_at_the_column():
    sig = TWO_SORTED.signature
    assert mpl("len(app(a, b)) = len(app(b, a))", sig)
    assert mpl("len(a) + z = len(a)", sig)
    cases = [("len(a) = a", 10, "type error"),
             ("app(z, a) = a", 5, "constant 'z'"),
             ("len(a) + a = z", 10, "variable 'a'"),
             ("app(a, b) = len(a)", 13, "'len' gives N, expected L"),
             ("len(a) = b -> app(a, b) = a", 22, "variable 'b'")]
    for text, column, fragment in cases:
        with pytest.raises(MPLError) as err:
            parse_statement(text, sig)
        assert err.value.column == column, (text, err.value)
        assert fragment in err.value.message


# -- error columns -----------------------------------------------------------------------
@pytest.mark.parametrize("text, column, fragment", [
    ("a +", 4, "expected a term"),
    ("a + b", 6, "expected '='"),
    ("a - b = b", 3, "unknown operator '-'"),
    ("s(a, b) = a", 1, "takes 1 argument"),
    ("a + b = b + a)", 14, "unexpected ')'"),
    ("(a + b = b", 8, "expected ')'"),
    ("forall a. a + b = b", 15, "not bound"),
    ("a = a", 3, "trivial"),
    ("s = a", 1, "needs 1 argument"),
    ("f(a) = a", 1, "not an operator"),
    ("0 + a = a", 1, "not a constant"),
    ("a ≠ b", 1, "nothing to state"),
    ("a /= b", 3, "write ≠"),
    ("", 1, "empty"),
    ("a + b = b + a ->", 17, "expected a term"),
    ("a * = b", 5, "expected a term"),
    ("a s b = b", 3, "expected '='"),
    ("forall s. s(a) = a", 8, "an operator of the theory"),
    ("∃. a + b = a", 2, "expected variable names"),
    ("∀a. (∀b. a ∈ N", 15, "expected ')'"),
    ("∀a b. a + b = b + a ∧", 22, "expected a term"),
    ("a ∈ N ∧ ∀b b. b", 16, "expected '='"),
    ("∃a a. a ∈", 10, "expected a term"),
    ("a + b = b ? a", 11, "unknown operator '?'"),
])
def test_error_columns(text, column, fragment):
    with pytest.raises(MPLError) as err:
        parse_statement(text, SIG)
    assert err.value.column == column, err.value
    assert fragment in err.value.message
    assert "^" in str(err.value) or not text         # the caret line is shown


def test_mpl_errors_have_columns_too():
    with pytest.raises(MPLError) as err:
        parse_statement("(>[a](in[a,N]) (in[a", SIG)
    assert err.value.column is not None


# -- properties ---------------------------------------------------------------------------
def _terms(sig, max_leaves=6):
    ops = sig.operators
    leaves = st.one_of(st.sampled_from([("v", x) for x in "abc"]),
                       st.sampled_from([("c", c.name) for c in sig.constants]))

    def extend(children):
        options = []
        for op in ops:
            if op.arity == 1:
                options.append(children.map(lambda t, o=op.name: (o, t)))
            else:
                options.append(st.tuples(children, children).map(
                    lambda p, o=op.name: (o, p[0], p[1])))
        return st.one_of(options)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def _plain(term):
    if term[0] in ("v", "c"):
        return term[1]
    return (term[0], tuple(_plain(a) for a in term[1:]))


def _call_text(term):
    if term[0] in ("v", "c"):
        return term[1]
    return f"{term[0]}({', '.join(_call_text(a) for a in term[1:])})"


def _roundtrip(sig, left, right):
    ops = sig.operator_names
    expected = equation_statement(left, right, sig)
    for text in (f"{term_text(_plain(left), ops)} = {term_text(_plain(right), ops)}",
                 f"{_call_text(left)} = {_call_text(right)}"):
        if expected is None:
            with pytest.raises(MPLError):
                parse_statement(text, sig)
        else:
            got = parse_statement(text, sig)
            assert got is expected, text            # identical, not only alpha-equivalent
            assert alpha_key(got) is alpha_key(expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms(SIG), _terms(SIG))
def test_printed_terms_parse_back_peano(left, right):
    _roundtrip(SIG, left, right)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms(POW_SIG), _terms(POW_SIG))
def test_printed_terms_parse_back_with_power(left, right):
    _roundtrip(POW_SIG, left, right)


_ALPHABET = "abcsi01+*^()=,.->→∧&∀∃¬∈≠N forall/\\%-#[]!"


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.text(alphabet=_ALPHABET, max_size=40)))
def test_garbage_raises_only_mpl_error(text):
    try:
        expr = parse_statement(text, SIG)
    except MPLError as exc:
        assert exc.message
        return
    assert expr is not None


def test_deep_nesting_is_an_error_not_a_crash():
    deep = "(" * 1900 + "a" + ")" * 1900 + " = a + i0"
    with pytest.raises(MPLError):
        parse_statement(deep, SIG)
    calls = "s(" * 1500 + "a" + ")" * 1500 + " = a"
    with pytest.raises(MPLError):
        parse_statement(calls, SIG)
    with pytest.raises(MPLError, match="too long"):
        parse_statement("a + " * 2000 + "a = a", SIG)
