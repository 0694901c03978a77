"""The trusted kernel (DESIGN 4): each rule accepts a valid use and rejects invalid ones.

One case per behaviour, Vampire style: the comment above each test says what it pins
down.  Facts are built from the Peano theory's own anchor through the kernel's rules;
nothing here constructs a Fact directly (the last tests check that nobody can).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import genlogic
from genlogic.kernel import Context, Fact, Justification, KernelError, Session, comprehension
from genlogic.mpl.ast import And, Atom, Implies, Not, alpha_equal, flatten_and, free_names
from genlogic.mpl.parser import parse_expr

ROOT = Path(__file__).resolve().parents[1]
PEANO = ROOT / "axioms" / "peano.mpl"
PACKAGE = ROOT / "genlogic"


@pytest.fixture(scope="module")
def theory():
    return genlogic.load(str(PEANO))


@pytest.fixture
def session(theory):
    anchor = theory.anchor()
    defs = {n: (d.params, d.body) for n, d in theory.definitions.items()}
    return Session(defs, Atom(anchor.name, anchor.params))


def axioms(session: Session) -> dict[str, Fact]:
    """Every axiom of the anchor, derived by premise / expand / and-elim, keyed by MPL."""
    out: dict[str, Fact] = {}

    def walk(fact: Fact) -> None:
        expr = fact.expr
        if isinstance(expr, Atom) and expr.name in session.definitions:
            walk(session.expand(fact))
        elif isinstance(expr, And):
            for i in range(len(flatten_and(expr))):
                walk(session.and_elim(fact, i))
        else:
            out[str(expr)] = fact

    walk(session.premise(session.root, 0))
    return out


def E(text: str):
    return parse_expr(text)


ADD_ZERO = "(>[a](in[a,N])(in3[a,i0,a,+]))"
SUCC_TOTAL = "(>[x](in[x,N])!(>[y](in[y,N])!(in2[x,y,s])))"
INDUCTION = ("(>[M](&(in[i0,M])(>[n,m](&(in[n,M])(in2[n,m,s]))(in[m,M])))"
             "(>[n](in[n,N])(in[n,M])))")


def block(session: Session, vars: tuple[str, ...], hypothesis: str, parent=None) -> Context:
    return session.open_block(parent or session.root, vars, E(hypothesis), "test")


# -- premise ------------------------------------------------------------------------------

# the root context's only hypothesis is the anchor atom
def test_premise_root_is_anchor(session):
    fact = session.premise(session.root, 0)
    assert fact.expr is Atom("Peano", ("N", "i0", "s", "+", "*", "i1"))
    assert fact.justification.rule == "premise"


# a block hypothesis is read conjunct by conjunct
def test_premise_reads_conjuncts(session):
    ctx = block(session, ("x", "y"), "(&(in[x,N])(in[y,N]))")
    assert session.premise(ctx, 1).expr is E("(in[y,N])")


# asking for a hypothesis the context does not have is an error
@pytest.mark.parametrize("index", [1, -1, 7])
def test_premise_bad_index(session, index):
    with pytest.raises(KernelError):
        session.premise(session.root, index)


# -- expand -------------------------------------------------------------------------------

# a defined relation expands to its body with the arguments substituted
def test_expand_anchor(session):
    fact = session.expand(session.premise(session.root, 0))
    assert fact.expr is E("(&(NaturalNumbers[N,i0,s,+,*])(in2[i0,i1,s]))")
    assert fact.justification.rule == "expand"


# a built-in relation has no definition to expand
def test_expand_builtin_rejected(session):
    ctx = block(session, ("x",), "(in[x,N])")
    with pytest.raises(KernelError):
        session.expand(session.premise(ctx, 0))


# the axiom walk reaches every axiom of the derived signature, in the kernel's own rules
def test_axiom_walk_matches_signature(session, theory):
    derived = set(axioms(session))
    assert derived == {str(a) for a in theory.signature.axioms}


# -- theorem ------------------------------------------------------------------------------

# citing a theorem that was never proved is an error
def test_theorem_unknown(session):
    with pytest.raises(KernelError):
        session.theorem("add_comm")


# an assumed theorem is available in the root context, cannot be assumed twice, and makes
# the session a scratch one: it then records no theorem of its own
def test_theorem_assumed_makes_a_scratch_session(session):
    statement = E("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))")
    session.assume_theorem("add_comm", statement)
    fact = session.theorem("add_comm")
    assert fact.expr is statement and fact.context is session.root
    with pytest.raises(KernelError):
        session.assume_theorem("add_comm", statement)
    with pytest.raises(KernelError, match="scratch"):
        session.conclude_theorem("again", fact, statement)


# a fact and a context cannot be altered after the kernel made them
def test_facts_and_contexts_are_immutable(session):
    ctx = block(session, ("x",), "(in[x,N])")
    fact = session.premise(ctx, 0)
    for field, value in (("expr", E("(=[i0,i1])")), ("context", session.root),
                         ("justification", None)):
        with pytest.raises(KernelError):
            setattr(fact, field, value)
    with pytest.raises(KernelError):
        del fact.expr
    with pytest.raises(KernelError):
        ctx.hypothesis = E("(=[i0,i1])")
    assert fact.expr is E("(in[x,N])") and ctx.premises == [E("(in[x,N])")]
    with pytest.raises(AttributeError):
        ctx.names.add("w")                      # a frozen view: witnesses come from the rules


# -- and-elim / and-intro -----------------------------------------------------------------

# and-elim picks each conjunct of a flattened conjunction
def test_and_elim_valid(session):
    ctx = block(session, ("x", "y"), "(&(in[x,N])(&(in[y,N])(=[x,y])))")
    both = session.and_intro([session.premise(ctx, i) for i in range(3)], ctx)
    assert [session.and_elim(both, i).expr for i in range(3)] == \
        [E("(in[x,N])"), E("(in[y,N])"), E("(=[x,y])")]


# and-elim with an index past the end (or negative) is rejected
@pytest.mark.parametrize("index", [2, 3, -1])
def test_and_elim_bad_index(session, index):
    fact = session.expand(session.premise(session.root, 0))   # two conjuncts
    with pytest.raises(KernelError):
        session.and_elim(fact, index)


# and-elim on something that is not a conjunction is rejected
def test_and_elim_not_conjunction(session):
    with pytest.raises(KernelError):
        session.and_elim(session.premise(session.root, 0), 0)


# and-intro needs at least two facts and builds the right-nested conjunction
def test_and_intro(session):
    ctx = block(session, ("x", "y"), "(&(in[x,N])(in[y,N]))")
    a, b = session.premise(ctx, 0), session.premise(ctx, 1)
    assert session.and_intro([b, a], ctx).expr is E("(&(in[y,N])(in[x,N]))")
    with pytest.raises(KernelError):
        session.and_intro([a], ctx)


# -- modus ponens -------------------------------------------------------------------------

# instantiate a universal implication and discharge its premise
def test_modus_ponens_valid(session):
    rule = axioms(session)[ADD_ZERO]
    ctx = block(session, ("x",), "(in[x,N])")
    fact = session.modus_ponens(rule, {"a": "x"}, [session.premise(ctx, 0)], ctx)
    assert fact.expr is E("(in3[x,i0,x,+])")
    assert fact.justification.substitution == (("a", "x"),)
    assert fact.justification.premises[0] is rule


# a multi-premise rule takes one fact per conjunct of its premise, in order
def test_modus_ponens_conjunctive_premise(session):
    rule = axioms(session)["(>[x,y](&(in[x,N])(in[y,N]))!(>[z](in[z,N])!(in3[x,y,z,+])))"]
    ctx = block(session, ("p", "q"), "(&(in[p,N])(in[q,N]))")
    hp, hq = session.premise(ctx, 0), session.premise(ctx, 1)
    fact = session.modus_ponens(rule, {"x": "p", "y": "q"}, [hp, hq], ctx)
    assert fact.expr is E("!(>[z](in[z,N])!(in3[p,q,z,+]))")
    with pytest.raises(KernelError):       # premises in the wrong order
        session.modus_ponens(rule, {"x": "p", "y": "q"}, [hq, hp], ctx)
    with pytest.raises(KernelError):       # a premise missing
        session.modus_ponens(rule, {"x": "p", "y": "q"}, [hp], ctx)


# a substitution that does not turn the rule's premise into the given fact is rejected
def test_modus_ponens_wrong_substitution(session):
    rule = axioms(session)[ADD_ZERO]
    ctx = block(session, ("x", "y"), "(&(in[x,N])(in[y,N]))")
    with pytest.raises(KernelError):
        session.modus_ponens(rule, {"a": "y"}, [session.premise(ctx, 0)], ctx)


# the substitution must bind exactly the rule's variables (none missing, none extra)
@pytest.mark.parametrize("subst", [{}, {"a": "x", "b": "x"}, {"b": "x"}])
def test_modus_ponens_substitution_domain(session, subst):
    rule = axioms(session)[ADD_ZERO]
    ctx = block(session, ("x",), "(in[x,N])")
    with pytest.raises(KernelError):
        session.modus_ponens(rule, subst, [session.premise(ctx, 0)], ctx)


# a fact that is not the instantiated premise cannot discharge it
def test_modus_ponens_wrong_premise(session):
    rule = axioms(session)[ADD_ZERO]
    one = axioms(session)["(in2[i0,i1,s])"]
    ctx = block(session, ("x",), "(in[x,N])")
    with pytest.raises(KernelError):
        session.modus_ponens(rule, {"a": "x"}, [one], ctx)


# modus ponens needs an implication as its rule
def test_modus_ponens_not_implication(session):
    ctx = block(session, ("x",), "(in[x,N])")
    h = session.premise(ctx, 0)
    with pytest.raises(KernelError):
        session.modus_ponens(h, {}, [h], ctx)


# a premise from a sibling block is not visible and may not be used
def test_modus_ponens_invisible_premise(session):
    rule = axioms(session)[ADD_ZERO]
    left = block(session, ("x",), "(in[x,N])")
    right = block(session, ("y",), "(in[y,N])")
    with pytest.raises(KernelError):
        session.modus_ponens(rule, {"a": "x"}, [session.premise(left, 0)], right)


# -- exists-elim --------------------------------------------------------------------------

def _existence(session):
    ctx = block(session, ("x",), "(in[x,N])")
    rule = axioms(session)[SUCC_TOTAL]
    return ctx, session.modus_ponens(rule, {"x": "x"}, [session.premise(ctx, 0)], ctx)


# a fresh witness turns "there is y with A and B" into A[w] and B[w]
def test_exists_elim_valid(session):
    ctx, existence = _existence(session)
    both = session.exists_elim(existence, ("w",), ctx)
    assert both.expr is E("(&(in[w,N])(in2[x,w,s]))")
    assert "w" in ctx.names


# a witness name already in use (a second witness, a block variable, an anchor
# parameter) is not fresh and is rejected
@pytest.mark.parametrize("name", ["w", "x", "N", "i0"])
def test_exists_elim_reused_name(session, name):
    ctx, existence = _existence(session)
    session.exists_elim(existence, ("w",), ctx)
    with pytest.raises(KernelError):
        session.exists_elim(existence, (name,), ctx)


# one witness per quantified variable, no more, no less
@pytest.mark.parametrize("names", [(), ("u", "v")])
def test_exists_elim_witness_count(session, names):
    ctx, existence = _existence(session)
    with pytest.raises(KernelError):
        session.exists_elim(existence, names, ctx)


# exists-elim applies only to an existence statement !(>[y] A !B)
def test_exists_elim_not_existence(session):
    ctx = block(session, ("x",), "(in[x,N])")
    with pytest.raises(KernelError):
        session.exists_elim(session.premise(ctx, 0), ("w",), ctx)
    with pytest.raises(KernelError):   # a universal statement is not one either
        session.exists_elim(axioms(session)[ADD_ZERO], ("w",), ctx)


# -- equality -----------------------------------------------------------------------------

def _eq_block(session):
    ctx = block(session, ("x", "y", "z"), "(&(=[x,y])(&(=[y,z])(in[x,N])))")
    return ctx, [session.premise(ctx, i) for i in range(3)]


# eq-refl gives x = x
def test_eq_refl(session):
    ctx, _ = _eq_block(session)
    assert session.eq_refl("x", ctx).expr is E("(=[x,x])")


# eq-symm swaps an equation and rejects a non-equation
def test_eq_symm(session):
    ctx, (xy, _, xn) = _eq_block(session)
    assert session.eq_symm(xy).expr is E("(=[y,x])")
    with pytest.raises(KernelError):
        session.eq_symm(xn)


# eq-trans chains x = y and y = z into x = z
def test_eq_trans_valid(session):
    ctx, (xy, yz, _) = _eq_block(session)
    assert session.eq_trans(xy, yz, ctx).expr is E("(=[x,z])")


# eq-trans rejects equations that do not chain (middle terms differ, or wrong order)
def test_eq_trans_not_chaining(session):
    ctx, (xy, yz, xn) = _eq_block(session)
    with pytest.raises(KernelError):
        session.eq_trans(yz, xy, ctx)                  # y=z, x=y: z != x
    with pytest.raises(KernelError):
        session.eq_trans(xy, session.eq_symm(yz), ctx)  # x=y, z=y: y != z
    with pytest.raises(KernelError):
        session.eq_trans(xy, xn, ctx)                   # second is not an equation


# eq-subst replaces the argument at the given position by the equal name
def test_eq_subst_valid(session):
    ctx, (xy, _, xn) = _eq_block(session)
    fact = session.eq_subst(xn, xy, 0, ctx)
    assert fact.expr is E("(in[y,N])")
    assert fact.justification.extra_dict() == {"position": 0}


# eq-subst at a position that does not hold the equation's left side is rejected
@pytest.mark.parametrize("position", [1, 2, -1])
def test_eq_subst_wrong_position(session, position):
    ctx, (xy, _, xn) = _eq_block(session)
    with pytest.raises(KernelError):
        session.eq_subst(xn, xy, position, ctx)


# eq-subst uses the equation left to right: y = x cannot rewrite x
def test_eq_subst_wrong_direction(session):
    ctx, (xy, _, xn) = _eq_block(session)
    with pytest.raises(KernelError):
        session.eq_subst(xn, session.eq_symm(xy), 0, ctx)


# eq-subst needs an equation as its second fact
def test_eq_subst_needs_equation(session):
    ctx, (_, _, xn) = _eq_block(session)
    with pytest.raises(KernelError):
        session.eq_subst(xn, xn, 0, ctx)


# -- contradiction ------------------------------------------------------------------------

# A and !A prove whatever is asked
def test_contradiction_valid(session):
    ctx = block(session, ("x",), "(&(in[x,N])!(in[x,N]))")
    a, not_a = session.premise(ctx, 0), session.premise(ctx, 1)
    goal = E("(=[x,i0])")
    assert session.contradiction(a, not_a, goal, ctx).expr is goal


# the second fact must be the negation of exactly the first
def test_contradiction_needs_real_negation(session):
    ctx = block(session, ("x", "y"), "(&(in[x,N])(&!(in[y,N])(in[y,N])))")
    a, not_b, b = (session.premise(ctx, i) for i in range(3))
    goal = E("(=[x,i0])")
    with pytest.raises(KernelError):
        session.contradiction(a, not_b, goal, ctx)        # !B does not negate A
    with pytest.raises(KernelError):
        session.contradiction(a, a, goal, ctx)            # A is not !A
    with pytest.raises(KernelError):
        session.contradiction(not_b, b, goal, ctx)        # B is not !(!B)


# -- implies-intro ------------------------------------------------------------------------

# discharging a block's hypothesis gives the universal implication in the parent
def test_implies_intro_valid(session):
    rule = axioms(session)[ADD_ZERO]
    ctx = block(session, ("x",), "(in[x,N])")
    fact = session.modus_ponens(rule, {"a": "x"}, [session.premise(ctx, 0)], ctx)
    theorem = session.implies_intro(ctx, fact)
    assert theorem.context is session.root
    assert theorem.expr is E("(>[x](in[x,N])(in3[x,i0,x,+]))")


# the root context has no hypothesis to discharge
def test_implies_intro_root(session):
    with pytest.raises(KernelError):
        session.implies_intro(session.root, session.premise(session.root, 0))


# a fact of a sibling block cannot be concluded in this one
def test_implies_intro_invisible_fact(session):
    left = block(session, ("x",), "(in[x,N])")
    right = block(session, ("y",), "(in[y,N])")
    with pytest.raises(KernelError):
        session.implies_intro(right, session.premise(left, 0))


# a witness made inside the block may not escape it through implies-intro
def test_implies_intro_witness_escape(session):
    ctx = block(session, ("x",), "!(>[y](in[y,N])!(in2[x,y,s]))")
    both = session.exists_elim(session.premise(ctx, 0), ("w",), ctx)
    step = session.and_elim(both, 1)
    assert step.expr is E("(in2[x,w,s])")
    with pytest.raises(KernelError):
        session.implies_intro(ctx, step)


# the same witness may not escape from a nested block either
def test_implies_intro_nested_witness_escape(session):
    outer = block(session, ("x",), "(in[x,N])")
    inner = session.open_block(outer, (), E("!(>[y](in[y,N])!(in2[x,y,s]))"), "inner")
    both = session.exists_elim(session.premise(inner, 0), ("w",), inner)
    step = session.and_elim(both, 0)                      # in[w,N]
    with pytest.raises(KernelError):
        session.implies_intro(inner, step)


# -- induction ----------------------------------------------------------------------------

# the induction axiom instantiated with a predicate replaces every in[t,M] by P(t)
def test_induction_valid(session):
    axiom = axioms(session)[INDUCTION]
    predicate = E("(in3[i0,n,n,+])")
    fact = session.induction(axiom, "n", predicate, session.root)
    expected = E("(>[](&(in3[i0,i0,i0,+])(>[n,m](&(in3[i0,n,n,+])(in2[n,m,s]))(in3[i0,m,m,+])))"
                 "(>[n](in[n,N])(in3[i0,n,n,+])))")
    assert alpha_equal(fact.expr, expected)
    assert fact.justification.extra_dict()["variable"] == "n"


# a predicate whose free names clash with the axiom's binders is renamed, not captured
def test_induction_no_capture(session):
    axiom = axioms(session)[INDUCTION]
    ctx = block(session, ("m",), "(in[m,N])")            # m is free in the predicate
    fact = session.induction(axiom, "k", E("(in3[k,m,m,+])"), ctx)
    step = fact.expr.premise.right                       # (>[n',m'] P(n') & s(n',m') -> P(m'))
    assert "m" not in step.vars
    assert "m" in {a for atom in (step.premise.left,) for a in atom.args}


# comprehension refuses an axiom whose set variable is used outside in[_,M]
def test_induction_set_variable_outside_in(session):
    ctx = block(session, (), "(>[M](in[i0,M])(in2[i0,M,s]))")
    bad = session.premise(ctx, 0)
    with pytest.raises(KernelError):
        session.induction(bad, "n", E("(in[n,N])"), ctx)


# comprehension refuses M as the element of in[M,_] too
def test_induction_set_variable_as_element(session):
    with pytest.raises(KernelError):
        comprehension(E("(>[M](in[M,N])(in[i0,M]))"), "n", E("(in[n,N])"))


# the predicate may not mention the set variable itself
def test_induction_predicate_mentions_set_variable(session):
    axiom = axioms(session)[INDUCTION]
    with pytest.raises(KernelError):
        session.induction(axiom, "n", E("(in[n,M])"), session.root)


# an axiom with more than one quantified variable is not an induction axiom
def test_induction_needs_one_set_variable(session):
    with pytest.raises(KernelError):
        comprehension(E("(>[M,K](in[i0,M])(in[i0,K]))"), "n", E("(in[n,N])"))


# the kernel's comprehension agrees (up to renaming of binders) with the independent
# verifier's, on random predicates whose names clash with the axiom's binders
_names = st.sampled_from(["k", "n", "m", "x", "i0", "N"])
_atoms = st.builds(lambda a, b: Atom("in2", (a, b, "s")), _names, _names) | \
    st.builds(lambda a: Atom("in", (a, "N")), _names)
_predicates = st.recursive(_atoms, lambda inner: (
    st.builds(And, inner, inner) | st.builds(Not, inner) |
    st.builds(lambda vs, p, c: Implies(tuple(dict.fromkeys(vs)), p, c),
              st.lists(st.sampled_from(["n", "m", "x", "k"]), max_size=2), inner, inner)),
    max_leaves=6)


@given(_predicates, st.sampled_from(["k", "n", "m", "x"]))
@settings(max_examples=300, deadline=None)
def test_comprehension_matches_verifier(body, variable):
    from genlogic.verify.checker import _comprehension
    axiom = E(INDUCTION)
    mine = comprehension(axiom, variable, body)
    theirs = _comprehension(axiom, variable, body)
    assert alpha_equal(mine, theirs), (str(body), variable)
    # no free name of the predicate (other than the variable) was captured by a binder
    kept = free_names(body) - {variable}
    assert kept <= free_names(mine) <= (free_names(axiom) - {"M"}) | kept


# -- names and theorems -------------------------------------------------------------------

# block variables must be fresh in the whole session and distinct
@pytest.mark.parametrize("vars", [("N",), ("x", "x")])
def test_open_block_not_fresh(session, vars):
    with pytest.raises(KernelError):
        session.open_block(session.root, vars, E("(in[i0,N])"))


# a theorem is concluded only from a root fact that states exactly it
def test_conclude_theorem(session):
    rule = axioms(session)[ADD_ZERO]
    ctx = block(session, ("x",), "(in[x,N])")
    inner = session.modus_ponens(rule, {"a": "x"}, [session.premise(ctx, 0)], ctx)
    with pytest.raises(KernelError):                 # not a root fact
        session.conclude_theorem("t", inner, inner.expr)
    fact = session.implies_intro(ctx, inner)
    with pytest.raises(KernelError):                 # states something else
        session.conclude_theorem("t", fact, E("(>[x](in[x,N])(in3[i0,x,x,+]))"))
    session.conclude_theorem("t", fact, E("(>[q](in[q,N])(in3[q,i0,q,+]))"))   # alpha-equal
    assert session.theorem("t").expr is E("(>[q](in[q,N])(in3[q,i0,q,+]))")


# -- the trust boundary -------------------------------------------------------------------

# constructing a Fact without the kernel's token is refused
def test_fact_constructor_refused(session):
    j = Justification("premise")
    with pytest.raises(KernelError):
        Fact(E("(in[i0,N])"), session.root, j)
    with pytest.raises(KernelError):
        Fact(E("(in[i0,N])"), session.root, j, _token=object())


# constructing a Context without the kernel's token is refused
def test_context_constructor_refused(session):
    with pytest.raises(KernelError):
        Context(session.root, ("x",), E("(in[x,N])"), "forged")
    with pytest.raises(KernelError):
        Context(None, (), None, "forged", _token=None)


def _python_files_outside_kernel():
    kernel = PACKAGE / "kernel"
    files = sorted(p for p in PACKAGE.rglob("*.py") if kernel not in p.parents)
    assert len(files) > 20
    return files


def construction_offenders(source: str, label: str) -> list[str]:
    """Uses of the kernel's token and calls of Fact(...) / Justification(...) in ``source``."""
    offenders = []
    for node in ast.walk(ast.parse(source)):
        where = f"{label}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Name) and node.id == "_MINT":
            offenders.append(f"{where}: uses _MINT")
        elif isinstance(node, ast.Attribute) and node.attr == "_MINT":
            offenders.append(f"{where}: uses ._MINT")
        elif isinstance(node, ast.ImportFrom) and any(a.name == "_MINT" for a in node.names):
            offenders.append(f"{where}: imports _MINT")
        elif isinstance(node, ast.Constant) and node.value == "_MINT":
            offenders.append(f"{where}: names _MINT in a string (getattr?)")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else None
            if name in ("Fact", "Justification"):
                offenders.append(f"{where}: calls {name}(...)")
    return offenders


# no module outside genlogic/kernel/ mentions the token or calls Fact(...) / Justification(...)
def test_no_fact_construction_outside_kernel():
    offenders = []
    for path in _python_files_outside_kernel():
        offenders += construction_offenders(path.read_text(encoding="utf-8"),
                                            str(path.relative_to(ROOT)))
    assert offenders == []


# the scan finds every form of construction it looks for (it is not vacuous)
def test_scan_detects_construction():
    source = ("from genlogic.kernel.core import _MINT, Fact\n"
              "import genlogic.kernel.core as core\n"
              "f = Fact(x, c, j, _token=_MINT)\n"
              "g = core.Justification('premise')\n"
              "t = getattr(core, '_MINT')\n"
              "u = core._MINT\n")
    found = construction_offenders(source, "probe")
    assert len(found) == 6, found          # one import, two calls, three token uses
    # and the kernel itself, which must construct facts, is found by it
    assert construction_offenders((PACKAGE / "kernel" / "rules.py").read_text(), "rules")
