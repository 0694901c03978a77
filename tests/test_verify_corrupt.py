"""Bad proofs: deliberately corrupted copies of the real Peano graph must be rejected.

Each corruption names the theorem and step the verifier must blame (found by shape
in the real graph, not by hard-coded ids) and a phrase of the expected message.  The
mutation test corrupts 200 random steps and counts rejections.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from genlogic.mpl.ast import And, Implies, alpha_key, substitute
from genlogic.mpl.parser import parse_expr
from genlogic.mpl.printer import to_mpl
from genlogic.mpl.theory import load
from genlogic.verify import RULES, verify_graph

ROOT = Path(__file__).resolve().parents[1]
THEORY = ROOT / "axioms" / "peano.mpl"
GOALS = ROOT / "axioms" / "peano_goals.mpl"


@pytest.fixture(scope="session")
def peano():
    """(theory, graph document) of the real Peano goals run."""
    from genlogic.explore.goals import prove_goals
    theory = load(THEORY)
    graph = prove_goals(theory, theory.goals_from(GOALS)).graph
    return theory, json.loads(json.dumps(graph))


# -- helpers -----------------------------------------------------------------------------
def theorem(graph, tid):
    return next(t for t in graph["theorems"] if t["id"] == tid)


def steps_of(entry, rule=None, where=lambda s: True):
    return [s for s in entry["steps"] if (rule is None or s["rule"] == rule) and where(s)]


def chain(entry, cid):
    parents = {c["id"]: c["parent"] for c in entry["contexts"]}
    out = []
    while cid is not None:
        out.append(cid)
        cid = parents[cid]
    return out


def new_id(entry):
    return max(s["id"] for s in entry["steps"]) + 1


def label(entry, step):
    return f"theorem {entry['id']}, step {step['id']} ({step['rule']})"


# -- the corpus: each mutates the graph and returns fragments one failure must hold ------
def wrong_substitution(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "modus-ponens", lambda s: s["substitution"])[0]
    key = sorted(s["substitution"])[0]
    s["substitution"][key] = "i1" if s["substitution"][key] != "i1" else "i0"
    return [label(t, s)]


def substitution_not_a_name(g):
    # "#0" is alpha_key's first binder name: as a free name it could fake alpha-equivalence
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "modus-ponens", lambda s: s["substitution"])[0]
    s["substitution"][sorted(s["substitution"])[0]] = "#0"
    return [label(t, s), "should map names to MPL names"]


def missing_premise(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "modus-ponens", lambda s: len(s["premises"]) >= 3)[0]
    s["premises"].pop()
    return [label(t, s), "do not match"]


def unknown_rule_name(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "modus-ponens")[3]
    s["rule"] = "modus-tollens"
    return [f"theorem add_comm, step {s['id']} (modus-tollens)", "unknown rule"]


def swapped_rule(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "eq-symm")[0]
    s["rule"] = "expand"
    return [label(t, s), "not an atom of a defined relation"]


def altered_conclusion(g):
    t = theorem(g, "add_comm")
    s = next(s for s in t["steps"] if s["id"] == t["conclusion"])
    s["expr"] = s["expr"].replace("+", "*")
    return [label(t, s), "expr should be"]


def altered_theorem_statement(g):
    t = theorem(g, "add_comm")
    t["mpl"] = "(>[a,b,c](in3[a,b,c,*])(in3[b,a,c,*]))"
    return ["theorem add_comm: conclusion step", "not the theorem"]


def circular_theorem_use(g):
    t = theorem(g, "add_zero_left")
    comm = theorem(g, "add_comm")
    step = {"id": new_id(t), "context": 0, "expr": comm["mpl"], "readable": "", "rule": "theorem",
            "premises": [], "substitution": {}, "extra": {"theorem": "add_comm"}}
    t["steps"].insert(0, step)
    t["dependencies"] = ["add_comm"]
    return [label(t, step), "circular or out-of-order use"]


def circular_dependencies(g):
    theorem(g, "add_zero_left")["dependencies"] = ["add_comm"]
    return ["graph: circular theorem use:", "add_zero_left"]


def theorem_cites_itself(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "theorem")[0]
    s["extra"]["theorem"], s["expr"] = "add_comm", t["mpl"]
    t["dependencies"] = sorted(set(t["dependencies"]) | {"add_comm"})
    return [label(t, s), "circular"]


def unknown_theorem(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "theorem")[0]
    old = s["extra"]["theorem"]
    s["extra"]["theorem"] = "no_such_theorem"
    t["dependencies"] = sorted(set(t["dependencies"]) - {old} | {"no_such_theorem"})
    return [label(t, s), "no such theorem"]


def theorem_outside_root(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "theorem")[0]
    s["context"] = t["contexts"][1]["id"]
    return [label(t, s), "not the root"]


def induction_wrong_predicate(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "induction")[0]
    s["extra"]["predicate"] = s["extra"]["predicate"].replace("(=[b,a])", "(=[a,b])")
    return [label(t, s), "the instance M :="]


def induction_wrong_base(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "induction")[0]
    expr = parse_expr(s["expr"])
    base, rest = expr.premise.left, expr.premise.right
    s["expr"] = to_mpl(Implies((), And(substitute(base, {"i0": "i1"}), rest), expr.conclusion))
    return [label(t, s), "expr should be"]


def induction_wrong_variable(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "induction")[0]
    s["extra"]["variable"] = "a"
    return [label(t, s)]


def _rename_witness(t, s, new):
    old = s["extra"]["witnesses"][0]
    s["extra"]["witnesses"] = [new]
    s["substitution"] = {k: new for k in s["substitution"]}
    s["expr"] = to_mpl(substitute(parse_expr(s["expr"]), {old: new}))


def witness_reused(g):
    t = theorem(g, "add_zero_left")
    first, second = steps_of(t, "exists-elim")[:2]
    _rename_witness(t, second, first["extra"]["witnesses"][0])
    return [label(t, second), "is not fresh"]


def witness_is_parameter(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "exists-elim")[0]
    _rename_witness(t, s, "i1")
    return [label(t, s), "witness 'i1' is not fresh"]


def witness_is_context_variable(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "exists-elim")[0]
    _rename_witness(t, s, t["contexts"][-1]["vars"][0])
    return [label(t, s), "is not fresh"]


def witness_escapes_block(g):
    t = theorem(g, "add_zero_left")
    w = steps_of(t, "exists-elim")[0]["extra"]["witnesses"][0]
    step = {"id": new_id(t), "context": 0, "expr": f"(=[{w},{w}])", "readable": "",
            "rule": "eq-refl", "premises": [], "substitution": {}, "extra": {"name": w}}
    t["steps"].append(step)
    return [label(t, step), f"mentions ['{w}'], not fixed in context 0"]


def witness_escapes_through_implies_intro(g):
    # for all x: (exists y. y in N and s(x) = y) -> s(x) = w, with w chosen for one x: unsound
    t = theorem(g, "add_zero_left")
    block = max(c["id"] for c in t["contexts"]) + 1
    hypothesis = "!(>[y](in[y,N])!(in2[x9,y,s]))"
    t["contexts"].append({"id": block, "parent": 0, "vars": ["x9"], "hypothesis": hypothesis,
                          "label": "forged"})
    first = new_id(t)
    forged = [(block, hypothesis, "premise", [], {}, {"index": 0}),
              (block, "(&(in[w9,N])(in2[x9,w9,s]))", "exists-elim", [first], {"y": "w9"},
               {"witnesses": ["w9"]}),
              (block, "(in2[x9,w9,s])", "and-elim", [first + 1], {}, {"index": 1}),
              (0, f"(>[x9]{hypothesis}(in2[x9,w9,s]))", "implies-intro", [first + 2], {},
               {"block": block})]
    for k, (context, expr, rule, premises, substitution, extra) in enumerate(forged):
        t["steps"].append({"id": first + k, "context": context, "expr": expr, "readable": "",
                           "rule": rule, "premises": premises, "substitution": substitution,
                           "extra": extra})
    return [label(t, t["steps"][-1]), "mentions ['w9'], not fixed in context 0"]


def context_variable_not_fresh(g):
    t = theorem(g, "add_zero_left")
    t["contexts"][2]["vars"][0] = "i0"
    return [f"theorem add_zero_left, context {t['contexts'][2]['id']}: context variable 'i0'"]


def premise_cites_later_step(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "modus-ponens")[2]
    s["premises"][0] = s["id"] + 1
    return [label(t, s), "is not an earlier step"]


def premise_cites_itself(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "and-elim")[4]
    s["premises"] = [s["id"]]
    return [label(t, s), "is not an earlier step"]


def premise_from_sibling_context(g):
    t = theorem(g, "add_zero_left")
    for s in t["steps"]:
        sees = chain(t, s["context"])
        hidden = [p for p in t["steps"] if p["id"] < s["id"] and p["context"] not in sees]
        if s["premises"] and hidden and s["rule"] != "implies-intro":
            s["premises"][-1] = hidden[0]["id"]
            return [label(t, s), "does not see"]
    raise AssertionError("no sibling contexts in the graph")


def and_elim_wrong_index(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "and-elim", lambda s: s["extra"]["index"] == 0)[0]
    s["extra"]["index"] = 1
    return [label(t, s), "expr should be"]


def and_elim_index_out_of_range(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "and-elim")[0]
    s["extra"]["index"] = 17
    return [label(t, s), "no #17"]


def eq_subst_wrong_position(g):
    t = theorem(g, "add_comm")
    s = steps_of(t, "eq-subst")[0]
    s["extra"]["position"] = (s["extra"]["position"] + 1) % 3
    return [label(t, s), "argument"]


def implies_intro_wrong_block(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "implies-intro", lambda s: s["context"] == 0)[0]
    others = [c["id"] for c in t["contexts"] if c["parent"] == 0 and c["id"] != s["extra"]["block"]]
    s["extra"]["block"] = others[-1]
    return [label(t, s), f"not in block {others[-1]}"]


def implies_intro_block_not_child(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "implies-intro", lambda s: s["context"] == 0)[0]
    s["extra"]["block"] = 0
    return [label(t, s), "is not a child context"]


def implies_intro_wrong_hypothesis(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "implies-intro")[0]
    block = next(c for c in t["contexts"] if c["id"] == s["extra"]["block"])
    block["hypothesis"] = block["hypothesis"].replace("i0", "i1")
    return [label(t, s), f"block {block['id']} discharged"]


def conclusion_not_in_root(g):
    t = theorem(g, "add_zero_left")
    t["conclusion"] = steps_of(t, where=lambda s: s["context"] != 0)[-1]["id"]
    return ["theorem add_zero_left: conclusion step", "not the root"]


def source_hash_mismatch(g):
    g["theory"]["source_hash"] = "0" * 64
    return ["graph: source hash mismatch"]


def root_context_wrong(g):
    theorem(g, "add_comm")["contexts"][0]["vars"] = ["N", "i0", "s", "*", "+", "i1"]
    return ["theorem add_comm, context 0: the root must fix"]


def wrong_dependencies(g):
    theorem(g, "mul_comm")["dependencies"].append("add_zero_left")
    return ["theorem mul_comm: dependencies"]


def contradiction_without_negation(g):
    t = theorem(g, "add_zero_left")
    a = steps_of(t, "and-elim", lambda s: s["context"] == 0)[0]
    step = {"id": new_id(t), "context": 0, "expr": "(=[i0,i1])", "readable": "",
            "rule": "contradiction", "premises": [a["id"], a["id"]], "substitution": {},
            "extra": {}}
    t["steps"].append(step)
    return [label(t, step), "not the negation"]


def extra_substitution(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "and-elim")[0]
    s["substitution"] = {"x": "i0"}
    return [label(t, s), "the rule takes none"]


def missing_field(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "expand")[1]
    del s["expr"]
    return [f"theorem add_zero_left, step {s['id']} (expand)", "missing field 'expr'"]


def garbage_expression(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "expand")[1]
    s["expr"] = "(&(in[a,N]"
    return [label(t, s), "expr is not MPL"]


def wrong_types(g):
    t = theorem(g, "add_zero_left")
    s = steps_of(t, "and-elim")[1]
    s["extra"]["index"] = "1"
    return [label(t, s), "field 'index' should be int"]


def status_not_theorem(g):
    theorem(g, "mul_assoc")["status"] = "GaveUp"
    return ["theorem mul_assoc: status 'GaveUp'"]


CORRUPTIONS = [wrong_substitution, substitution_not_a_name, missing_premise,
               unknown_rule_name, swapped_rule, altered_conclusion, altered_theorem_statement,
               circular_theorem_use, circular_dependencies, theorem_cites_itself,
               unknown_theorem, theorem_outside_root, induction_wrong_predicate,
               induction_wrong_base, induction_wrong_variable, witness_reused,
               witness_is_parameter, witness_is_context_variable, witness_escapes_block,
               witness_escapes_through_implies_intro, context_variable_not_fresh,
               premise_cites_later_step, premise_cites_itself, premise_from_sibling_context,
               and_elim_wrong_index, and_elim_index_out_of_range, eq_subst_wrong_position,
               implies_intro_wrong_block, implies_intro_block_not_child,
               implies_intro_wrong_hypothesis, conclusion_not_in_root, source_hash_mismatch,
               root_context_wrong, wrong_dependencies, contradiction_without_negation,
               extra_substitution, missing_field, garbage_expression, wrong_types,
               status_not_theorem]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_corrupted_graph_is_rejected(peano, corrupt):
    theory, graph = peano
    bad = copy.deepcopy(graph)
    fragments = corrupt(bad)
    report = verify_graph(bad, theory)
    assert not report.ok
    assert any(all(f in m for f in fragments) for m in report.failures), \
        f"no failure holds {fragments}:\n" + "\n".join(report.failures)


# -- mutation test -------------------------------------------------------------------------
def _names(entry):
    names = set(entry["contexts"][0]["vars"])
    for c in entry["contexts"]:
        names.update(c["vars"])
    for s in entry["steps"]:
        names.update(s["extra"].get("witnesses", ()))
    return sorted(names)


def _mutate(rng: random.Random, entry: dict, step: dict, theorem_ids: list[str]) -> str:
    """Change one field of ``step`` at random; return what was done."""
    others = [s for s in entry["steps"] if s is not step]
    kinds = ["expr", "premises", "rule"]
    kinds += ["substitution"] * bool(step["substitution"]) + ["extra"] * bool(step["extra"])
    kind = rng.choice(kinds)
    if kind == "expr":
        step["expr"] = rng.choice(others)["expr"]
    elif kind == "premises":
        ids = [s["id"] for s in others]
        premises = step["premises"]
        how = rng.choice(["drop", "add", "replace"] if premises else ["add"])
        if how == "drop":
            premises.pop(rng.randrange(len(premises)))
        elif how == "add":
            premises.insert(rng.randrange(len(premises) + 1), rng.choice(ids))
        else:
            premises[rng.randrange(len(premises))] = rng.choice(ids)
        kind += f" ({how})"
    elif kind == "rule":
        step["rule"] = rng.choice([r for r in RULES if r != step["rule"]])
    elif kind == "substitution":
        key = rng.choice(sorted(step["substitution"]))
        step["substitution"][key] = rng.choice(_names(entry))
    else:
        key = rng.choice(sorted(step["extra"]))
        value = step["extra"][key]
        if isinstance(value, int):
            step["extra"][key] = value + rng.choice([-2, -1, 1, 2])
        elif key == "theorem":
            step["extra"][key] = rng.choice(theorem_ids)
        elif key == "predicate":
            step["extra"][key] = rng.choice(others)["expr"]
        elif isinstance(value, list):
            step["extra"][key] = [rng.choice(_names(entry)) for _ in value]
        else:
            step["extra"][key] = rng.choice(_names(entry))
    return kind


def _meaning(entry: dict, step: dict) -> tuple:
    """What a step says, with premises read as their expressions (so citing another
    step with the same expression, or writing the expression with other bound names,
    means the same)."""
    exprs = {s["id"]: (s["context"], alpha_key(parse_expr(s["expr"]))) for s in entry["steps"]}
    return (step["rule"], step["context"], alpha_key(parse_expr(step["expr"])),
            tuple(exprs.get(p) for p in step["premises"]),
            tuple(sorted(step["substitution"].items())), json.dumps(step["extra"], sort_keys=True))


def test_random_mutations_are_rejected(peano):
    theory, graph = peano
    rng = random.Random(20240607)
    ids = [t["id"] for t in graph["theorems"]]
    places = [(i, j) for i, t in enumerate(graph["theorems"]) for j in range(len(t["steps"]))]
    rejected, accepted = 0, []
    for i, j in rng.sample(places, 200):
        bad = dict(graph, theorems=list(graph["theorems"]))
        entry = bad["theorems"][i] = copy.deepcopy(graph["theorems"][i])
        step = entry["steps"][j]
        kind = _mutate(rng, entry, step, ids)
        if not verify_graph(bad, theory).ok:
            rejected += 1
            continue
        original = graph["theorems"][i]["steps"][j]
        accepted.append((entry["id"], step["id"], kind, original, step))
        print(f"accepted: theorem {entry['id']}, step {step['id']}, mutated {kind}:\n"
              f"  was {json.dumps(original)}\n  now {json.dumps(step)}")
        assert step == original or _meaning(entry, step) == _meaning(graph["theorems"][i],
                                                                      original), \
            "an accepted mutation changed what the step says"
    print(f"mutation test: {rejected}/200 rejected, {len(accepted)} accepted (all harmless)")
    assert rejected >= 198
