"""The readable form states exactly what the MPL states: printed, parsed back, compared.

``readable`` prints a statement; ``infix.parse_readable`` reads the text back.  The two
statements are compared by ``same_statement``: equal after the normal form below, up to
a renaming of bound variables (a bijection found by search).  The normal form applies,
to both sides alike,

1. renaming binders apart;
2. currying: ``∀x. A → ∀y. B → C`` is the one level ``∀x y. A ∧ B → C``; conjunctions
   are flattened and their order does not count (nor repeats: ``A ∧ A`` is ``A``);
   ``∃x. A ∧ B`` (``!(>[x]A!B)``) is the set of its conjuncts;
3. symmetry of ``=``;
4. the one-point rule: a premise (or ∃ conjunct) ``v = w`` whose v (or w) the level binds
   is dropped with v replaced by w (``∀v. v = w ∧ P(v) → Q(v)`` is ``P(w) → Q(w)``);
   a variable that occurs nowhere is dropped;
5. the one step that presupposes operators are functions: a conclusion that is a
   relation ``f(x..) = y`` becomes ``v = y`` with a value v of f(x..) -- a new variable
   and premise ``f(x..) = v`` at the innermost level binding one of x.. (the whole
   statement when none does); one v per application and level.

1-4 are equivalences of pure logic.  5 holds because the operators are total and
single-valued; it is never needed for the axioms that say so (graph, totality,
single-valuedness), which ``test_function_axioms_read_back_without_function_laws``
checks by comparing without step 5.
"""

from __future__ import annotations

import json
import re
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genlogic.mpl.ast import And, Atom, Expr, Implies, Not, flatten_and
from genlogic.mpl.infix import parse_readable
from genlogic.mpl.locate import locate_theory
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.readable import readable
from genlogic.mpl.signature import FUNCTION_RELATIONS, derive_signature, horn_view
from genlogic.mpl.theory import load

REPO = Path(__file__).resolve().parents[1]


# -- normal form --------------------------------------------------------------------------------
class _Level:
    """A ∀ level (premises, conclusions) or an ∃ (conjuncts in ``prem``)."""

    def __init__(self, kind: str, vars_, parent):
        self.kind, self.vars, self.parent = kind, list(vars_), parent
        self.prem: list = []
        self.concl: list = []
        self.values: dict = {}


def _normal(expr: Expr, operators: set[str], functions: bool = True):
    fresh = count()

    def apart(e, env):
        if isinstance(e, Atom):
            return Atom(e.name, tuple(env.get(a, a) for a in e.args))
        if isinstance(e, And):
            return And(apart(e.left, env), apart(e.right, env))
        if isinstance(e, Not):
            return Not(apart(e.body, env))
        inner = dict(env)
        new = []
        for v in e.vars:
            inner[v] = f"#{next(fresh)}"
            new.append(inner[v])
        return Implies(tuple(new), apart(e.premise, inner), apart(e.conclusion, inner))

    def level(e, parent):
        view = horn_view(e)
        lv = _Level("all", view.vars, parent)
        lv.prem = [x for p in view.premises for x in conv(p, lv)]
        lv.concl = [x for c in flatten_and(view.conclusion) for x in conv(c, lv)]
        return lv

    def conv(e, scope) -> list:
        if isinstance(e, Atom):
            return [("atom", e.name, e.args)]
        if isinstance(e, And):
            return [x for p in flatten_and(e) for x in conv(p, scope)]
        if isinstance(e, Implies):
            return [level(e, scope)]
        body = e.body
        if isinstance(body, Implies) and body.vars and isinstance(body.conclusion, Not):
            ex = _Level("ex", body.vars, scope)
            ex.prem = [x for p in flatten_and(body.premise) + flatten_and(body.conclusion.body)
                       for x in conv(p, ex)]
            return [ex]
        return [("not", conv(body, scope))]

    expr = apart(expr, {})
    top = level(expr, None) if isinstance(expr, Implies) else _Level("all", (), None)
    if not isinstance(expr, Implies):
        top.concl = conv(expr, top)
    if functions:
        _values(top, top, operators, fresh)
    _one_point(top)
    return _freeze(top)


def _levels(item):
    if isinstance(item, _Level):
        yield item
        for x in item.prem + item.concl:
            yield from _levels(x)
    elif item[0] == "not":
        for x in item[1]:
            yield from _levels(x)


def _values(top, root, operators, fresh):
    """Step 5: conclusion relations to equations between values."""
    for lv in list(_levels(root)):
        if lv.kind != "all":
            continue
        for i, item in enumerate(lv.concl):
            if not (isinstance(item, tuple) and item[0] == "atom"):
                continue
            _, name, args = item
            n_in = FUNCTION_RELATIONS.get(name)
            if n_in is None or len(args) != n_in + 2 or args[-1] not in operators:
                continue
            ins, out = args[:n_in], args[n_in]
            scope = lv
            while scope is not None and not set(ins) & set(scope.vars):
                scope = scope.parent
            scope = scope or top
            key = (args[-1],) + ins
            if key not in scope.values:
                scope.values[key] = v = f"#{next(fresh)}"
                scope.vars.append(v)
                scope.prem.append(("atom", name, ins + (v, args[-1])))
            lv.concl[i] = ("atom", "=", (scope.values[key], out))


def _subst(item, old, new):
    if isinstance(item, _Level):
        item.prem = [_subst(x, old, new) for x in item.prem]
        item.concl = [_subst(x, old, new) for x in item.concl]
        return item
    if item[0] == "not":
        return ("not", [_subst(x, old, new) for x in item[1]])
    return ("atom", item[1], tuple(new if a == old else a for a in item[2]))


def _one_point(root):
    for lv in list(_levels(root)):
        changed = True
        while changed:
            changed = False
            for item in lv.prem:
                if not (isinstance(item, tuple) and item[0] == "atom" and item[1] == "="):
                    continue
                u, w = item[2]
                if u != w and u not in lv.vars:
                    u, w = w, u
                if u != w and u not in lv.vars:
                    continue
                lv.prem.remove(item)
                if u != w:
                    lv.vars.remove(u)
                    _subst(lv, u, w)
                changed = True
                break


def _names(item) -> set:
    if isinstance(item, _Level):
        return {n for x in item.prem + item.concl for n in _names(x)}
    if item[0] == "not":
        return {n for x in item[1] for n in _names(x)}
    return set(item[2])


def _freeze(item):
    """Nested tuples; atoms with ``=`` sorted; levels as (kind, vars, prem, concl)."""
    if isinstance(item, _Level):
        used = _names(item)
        vars_ = tuple(v for v in item.vars if v in used)
        prem = _dedupe(_freeze(x) for x in item.prem)
        concl = _dedupe(_freeze(x) for x in item.concl)
        if not vars_ and not prem and item.kind == "all" and len(concl) == 1:
            return concl[0]
        return (item.kind, vars_, prem, concl)
    if item[0] == "not":
        inner = _dedupe(_freeze(x) for x in item[1])
        return ("not", inner)
    _, name, args = item
    if name == "=" and len(args) == 2:
        return ("eq", frozenset(args)) if args[0] != args[1] else ("eq1", args[0])
    return ("atom", name, args)


def _dedupe(items) -> tuple:
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return tuple(out)


# -- isomorphism up to renaming of bound variables ---------------------------------------------
def _iso(a, b, m):
    """Yield extensions of the bijection ``m`` (a dict both ways) making ``a`` equal ``b``."""
    if a[0] != b[0]:
        return
    kind = a[0]
    if kind in ("all", "ex"):
        if len(a[1]) != len(b[1]) or len(a[2]) != len(b[2]) or len(a[3]) != len(b[3]):
            return
        for m1 in _iso_all(list(a[2]), list(b[2]), m):
            for m2 in _iso_all(list(a[3]), list(b[3]), m1):
                if {m2.get(("a", v)) for v in a[1]} == set(b[1]):    # level to level
                    yield m2
    elif kind == "not":
        if len(a[1]) == len(b[1]):
            yield from _iso_all(list(a[1]), list(b[1]), m)
    elif kind == "atom":
        if a[1] == b[1] and len(a[2]) == len(b[2]):
            yield from _iso_names(list(a[2]), list(b[2]), m)
    elif kind == "eq1":
        yield from _iso_names([a[1]], [b[1]], m)
    else:
        (x, y), (p, q) = sorted(a[1]), sorted(b[1])
        yield from _iso_names([x, y], [p, q], m)
        yield from _iso_names([x, y], [q, p], m)


def _iso_names(xs, ys, m):
    m = dict(m)
    for x, y in zip(xs, ys):
        bx, by = x.startswith("#"), y.startswith("#")
        if bx != by:
            return
        if not bx:
            if x != y:
                return
            continue
        if m.get(("a", x), y) != y or m.get(("b", y), x) != x:
            return
        m[("a", x)], m[("b", y)] = y, x
    yield m


def _iso_all(xs, ys, m):
    if not xs:
        yield m
        return
    first, rest = xs[0], xs[1:]
    for i, y in enumerate(ys):
        for m1 in _iso(first, y, m):
            yield from _iso_all(rest, ys[:i] + ys[i + 1:], m1)


def same_statement(a: Expr, b: Expr, operators: set[str], functions: bool = True) -> bool:
    na, nb = _normal(a, operators, functions), _normal(b, operators, functions)
    return next(_iso(na, nb, {}), None) is not None


def check(expr: Expr, signature, functions: bool = True) -> str:
    """Print ``expr``, parse it back and assert both state the same; the text."""
    ops = signature.operator_names
    text = readable(expr, ops)
    back = parse_readable(text, signature).expr
    assert same_statement(expr, back, ops, functions), (str(expr), text, str(back))
    bound = re.findall(r"[∀∃]([^.]*)\.", text)
    assert not any("_" in names for names in bound), text       # no generated names
    return text


# -- every committed statement -------------------------------------------------------------------
def _theories():
    paths = sorted((REPO / "axioms").glob("*.mpl")) + \
        sorted((REPO / "tests" / "data").rglob("*.mpl"))
    for path in paths:
        try:
            theory = load(path)
        except Exception:                       # noqa: BLE001 - files meant not to load
            continue
        for anchor in theory.anchors:
            yield path, theory, derive_signature(theory, anchor.name)


THEORIES = list(_theories())


def test_the_committed_theories_are_found():
    names = {p.name for p, _, _ in THEORIES}
    assert {"peano.mpl", "peano_pow.mpl", "collapsed_peano.mpl", "diamond.mpl"} <= names


@pytest.mark.parametrize("path, theory, sig", THEORIES,
                         ids=[f"{p.name}:{s.anchor}" for p, _, s in THEORIES])
def test_axioms_and_theorems_read_back(path, theory, sig):
    for axiom in sig.axioms:
        check(axiom, sig)
    goals = list(theory.goals)
    if path.name == "peano.mpl":
        goals += theory.goals_from(REPO / "axioms" / "peano_goals.mpl")
    for goal in goals:
        if goal.anchor == sig.anchor:
            check(goal.expr, sig)


GRAPHS = sorted(REPO.glob("proofs_out/*/proof_graph.json")) + \
    sorted((REPO / "tests").rglob("proof_graph.json"))


@pytest.mark.parametrize("graph_path", GRAPHS, ids=[str(p.relative_to(REPO)) for p in GRAPHS])
def test_committed_runs_read_back(graph_path):
    graph = json.loads(graph_path.read_text(encoding="utf-8"))
    theory = locate_theory(graph["theory"], graph_path.parent).theory
    sig = derive_signature(theory, graph["theory"]["anchor"])
    for entry in graph["theorems"] + graph.get("failed", []):
        check(parse_expr(entry["mpl"]), sig)


def test_function_axioms_read_back_without_function_laws():
    """Graph, totality and single-valuedness need no step 5: they read back as they are."""
    sig = load(REPO / "axioms" / "peano.mpl").signature
    for axiom in sig.axioms[1:4] + sig.axioms[7:10]:
        check(axiom, sig, functions=False)


# -- random statements over a small signature -----------------------------------------------------
PEANO = load(REPO / "axioms" / "peano.mpl").signature
_OUTER = "abcd"


@st.composite
def _atom(draw, names):
    kind = draw(st.sampled_from(["s", "+", "*", "=", "in"]))
    pick = st.sampled_from(names + ["i0"])
    if kind == "s":
        return Atom("in2", (draw(pick), draw(pick), "s"))
    if kind in "+*":
        return Atom("in3", (draw(pick), draw(pick), draw(pick), kind))
    if kind == "in":
        return Atom("in", (draw(pick), "N"))
    return Atom("=", (draw(pick), draw(pick)))


@st.composite
def _formula(draw, names, depth):
    """An atom, a negation, an ∃, or (depth > 0) a nested ∀ level."""
    choice = draw(st.integers(0, 9 if depth > 0 else 7))
    if choice <= 4:
        return draw(_atom(names))
    if choice <= 6:
        return Not(draw(_atom(names)))
    if choice == 7:
        e = f"e{depth}"
        inner = names + [e]
        return Not(Implies((e,), draw(_atom(inner)), Not(draw(_atom(inner)))))
    return draw(_statement(names, [f"f{depth}", f"g{depth}"], depth - 1))


@st.composite
def _statement(draw, outer, own, depth):
    vars_ = own[:draw(st.integers(1, len(own)))]
    names = outer + vars_
    premises = draw(st.lists(st.one_of(_atom(names), _formula(names, depth)),
                             min_size=1, max_size=4))
    conclusions = draw(st.lists(_formula(names, depth), min_size=1, max_size=2))
    premise = premises[0]
    for p in premises[1:]:
        premise = And(premise, p)
    conclusion = conclusions[0]
    for c in conclusions[1:]:
        conclusion = And(conclusion, c)
    return Implies(tuple(vars_), premise, conclusion)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_statement([], list(_OUTER), 1))
def test_random_statements_read_back(expr):
    check(expr, PEANO)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_atom(["i0", "i1"]).filter(lambda a: not (a.name == "=" and a.args[0] == a.args[1])))
def test_random_ground_facts_read_back(expr):
    """(A bare ``t = t`` is the one statement the parser rejects: trivial.)"""
    check(expr, PEANO)


# -- text typed by a user: parse, print, parse again ---------------------------------------------
def _terms(max_leaves=4):
    leaves = st.sampled_from(["a", "b", "c", "i0", "i1"])

    def extend(children):
        return st.one_of(children.map(lambda t: f"s({t})"),
                         st.tuples(children, children).map(lambda p: f"({p[0]} + {p[1]})"),
                         st.tuples(children, children).map(lambda p: f"({p[0]} * {p[1]})"))
    return st.recursive(leaves, extend, max_leaves=max_leaves)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms(), _terms(), _terms(), st.sampled_from(["{} = {} -> {} = {}", "{} = {} ∧ {} = {}",
                                                     "{} = {} ∧ {} ∈ N -> ¬({} = i0)"]))
def test_typed_statements_print_and_parse_back(a, b, c, shape):
    from genlogic.mpl.errors import MPLError
    try:
        expr = parse_readable(shape.format(a, b, b, c), PEANO).expr
    except MPLError:
        return                                     # trivial or nothing to state
    check(expr, PEANO)
