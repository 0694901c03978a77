"""The derived signature (DESIGN 3.3, 3.4) of axioms/peano.mpl, and the same theory with
every symbol renamed: nothing in the derivation may depend on names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from genlogic.mpl.ast import Atom, free_names
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.signature import (Constant, Operator, anchor_axioms, derive_signature,
                                    horn_view)
from genlogic.mpl.theory import BUILTINS, load, load_text

REPO = Path(__file__).resolve().parents[1]
PEANO = REPO / "axioms" / "peano.mpl"
KEYWORDS = {"def", "anchor", "theorem", "include", "under"}


@pytest.fixture(scope="module")
def peano():
    return load(PEANO)


@pytest.fixture(scope="module")
def sig(peano):
    return derive_signature(peano)


def test_operators_and_types(sig):
    assert [str(op) for op in sig.operators] == ["s: N -> N", "+: N x N -> N", "*: N x N -> N"]
    assert sig.operator("s") == Operator("s", "in2", ("N",), "N")
    assert sig.operator("+") == Operator("+", "in3", ("N", "N"), "N")
    assert sig.operator("*").arity == 2
    assert sig.operator("i0") is None
    assert sig.operator_names == {"s", "+", "*"}


def test_anchor_sets_constants_relations(sig, peano):
    assert sig.anchor == "Peano" and sig.params == ("N", "i0", "s", "+", "*", "i1")
    assert peano.signature.operators == sig.operators        # cached property agrees
    assert sig.sets == ["N"]
    assert sig.constants == [Constant("i0", "N"), Constant("i1", "N", ("s", ("i0",)))]
    assert [str(c) for c in sig.constants] == ["i0 : N", "i1 = s(i0) : N"]
    assert sig.relations == []


def test_induction_axiom_detected(sig):
    assert len(sig.induction) == 1
    ind = sig.induction[0]
    assert (ind.set_var, ind.carrier, ind.bases, ind.constructors) == ("M", "N", ("i0",), ("s",))
    assert sig.axioms[ind.index] is ind.expr
    assert free_names(ind.expr) == {"i0", "s", "N"}
    assert str(ind) == "induction over N: base i0; step s"


def test_recursion_positions(sig):
    assert sig.recursion_positions == {"+": (1,), "*": (1,)}


def test_axioms_are_the_expanded_anchor(peano, sig):
    assert sig.axioms == anchor_axioms(peano)
    for axiom in sig.axioms:                  # fully expanded: only built-in relations
        for name in _relations(axiom):
            assert name in BUILTINS
        assert free_names(axiom) <= set(sig.params)


def test_horn_view():
    view = horn_view(parse_expr("(>[x](in[x,N])(>[y](&(in[y,N])(in2[x,y,s]))(=[x,y])))"))
    assert view.vars == ("x", "y")
    assert [str(p) for p in view.premises] == ["(in[x,N])", "(in[y,N])", "(in2[x,y,s])"]
    assert str(view.conclusion) == "(=[x,y])"
    assert horn_view(parse_expr("(in[x,N])")) is None


def test_no_induction_without_the_axiom():
    text = PEANO.read_text().replace("(inductive[N,z,s])", "(in[z,N])")
    sig = derive_signature(load_text(text))
    assert sig.induction == []
    assert [str(op) for op in sig.operators] == ["s: N -> N", "+: N x N -> N", "*: N x N -> N"]


def test_partial_function_is_not_an_operator():
    text = """
    def graph[f, X] := (>[x,y](in2[x,y,f])(&(in[x,X])(in[y,X])))
    def single[f] := (>[x,y1,y2](&(in2[x,y1,f])(in2[x,y2,f]))(=[y1,y2]))
    anchor A[X, f, g] := (&(graph[f,X])(&(single[f])(graph[g,X])))
    """
    sig = derive_signature(load_text(text))
    assert sig.operators == []
    assert sig.relations == ["f", "g"]


# -- renaming every symbol -------------------------------------------------------------------
def _rename_text(text: str) -> tuple[str, dict[str, str]]:
    text = re.sub(r"#[^\n]*", "", text)
    mapping: dict[str, str] = {}

    def rename(match):
        name = match.group(0)
        if name in KEYWORDS or name in BUILTINS:
            return name
        return mapping.setdefault(name, f"Q{len(mapping)}_{len(name)}")

    pieces = [re.sub(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]+", rename, part)
              for part in text.split(":=")]
    return ":=".join(pieces), mapping


def _relations(expr):
    from genlogic.mpl.ast import atoms
    return {a.name for a in atoms(expr)}


def test_renamed_copy_gives_the_renamed_signature(sig):
    text, m = _rename_text(PEANO.read_text())
    assert "Peano" not in text and "+" not in text and "i0" not in text
    renamed = derive_signature(load_text(text, "renamed.mpl"))
    assert renamed.anchor == m["Peano"]
    assert renamed.params == tuple(m[p] for p in sig.params)
    assert renamed.sets == [m[s] for s in sig.sets]
    assert renamed.operators == [Operator(m[o.name], o.relation, tuple(m[d] for d in o.domain),
                                          m[o.codomain]) for o in sig.operators]
    assert renamed.constants == [
        Constant(m[c.name], m[c.type],
                 None if c.definition is None
                 else (m[c.definition[0]], tuple(m[a] for a in c.definition[1])))
        for c in sig.constants]
    assert renamed.relations == [m[r] for r in sig.relations]
    assert [(i.index, i.carrier, i.bases, i.constructors) for i in renamed.induction] == [
        (i.index, m[i.carrier], tuple(m[b] for b in i.bases),
         tuple(m[c] for c in i.constructors)) for i in sig.induction]
    assert renamed.recursion_positions == {m[k]: v for k, v in sig.recursion_positions.items()}
    assert len(renamed.axioms) == len(sig.axioms)


def test_reordered_anchor_parameters():
    text = PEANO.read_text().replace("anchor Peano[N, i0, s, +, *, i1]",
                                     "anchor Peano[*, i1, +, s, N, i0]")
    sig = derive_signature(load_text(text))
    assert [str(op) for op in sig.operators] == ["*: N x N -> N", "+: N x N -> N", "s: N -> N"]
    assert [str(c) for c in sig.constants] == ["i0 : N", "i1 = s(i0) : N"]
    assert sig.induction[0].bases == ("i0",)


def test_ground_operator_fact_is_an_axiom(sig):
    assert Atom("in2", ("i0", "i1", "s")) in sig.axioms        # i1 = s(i0)
