"""The kernel's rules in plain words, for the glossary page and the rule links of proofs.

Each rule is drawn the way a logic textbook draws it: the premises over a line, the
conclusion under it, with a sentence saying when the step is valid.  The wording follows
``docs/proof_graph.md``; this module only describes rules, it does not check them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rule", "RULES", "rule_anchor"]


@dataclass(frozen=True)
class Rule:
    name: str                     # the kernel's name, as in proof_graph.json
    title: str                    # the heading a reader sees
    premises: tuple[str, ...]     # drawn above the line
    conclusion: str               # drawn below it
    words: str                    # when the step is valid, in plain words
    side: str = ""                # side condition, if any


RULES: tuple[Rule, ...] = (
    Rule("premise", "Assumption", (), "Hᵢ",
         "States one of the assumptions of the current context: conjunct number i of its "
         "hypothesis. In the outermost context that hypothesis is the structure itself "
         "(for instance Peano(N, i0, s, +, *, i1))."),
    Rule("expand", "Unfolding a definition", ("R(a₁, …, aₙ)",), "body[p₁ := a₁, …, pₙ := aₙ]",
         "Unfolds a definition: R is defined by R[p₁, …, pₙ] := body, so the atom may be "
         "replaced by the definition's body with the arguments put in for the parameters."),
    Rule("theorem", "Citing a theorem", (), "T",
         "Cites a theorem proved earlier in the same run. Only the outermost context may "
         "cite theorems, and a theorem never cites itself or a later one, so there are no "
         "circular proofs."),
    Rule("and-elim", "And-elimination", ("A₁ ∧ A₂ ∧ … ∧ Aₙ",), "Aᵢ",
         "From a conjunction, keep any one of its parts (counted from the left after "
         "flattening nested conjunctions)."),
    Rule("and-intro", "And-introduction", ("A₁", "…", "Aₙ"), "A₁ ∧ … ∧ Aₙ",
         "From several statements, their conjunction."),
    Rule("modus-ponens", "Modus ponens", ("∀x̄. P → Q", "P[x̄ := ā]"), "Q[x̄ := ā]",
         "Instantiates a universal implication with a substitution for its variables and "
         "discharges its premise. When the premise is a conjunction, each conjunct may be "
         "cited as a separate step. The substitution is shown with the step."),
    Rule("exists-elim", "Exists-elimination", ("∃ȳ. A ∧ B",), "A[ȳ := w̄] ∧ B[ȳ := w̄]",
         "Names a witness: from \"there is a y with A and B\", introduce fresh names w for "
         "y and continue with A and B about them.",
         "the witnesses are fresh: used nowhere else in the proof"),
    Rule("exists-intro", "Exists-introduction", ("A[ȳ := t̄]", "B[ȳ := t̄]"), "∃ȳ. A ∧ B",
         "Shows that something exists by naming it: from A and B about names t, conclude "
         "that there is a y with A and B. The names are shown as the substitution."),
    Rule("eq-refl", "Reflexivity of equality", (), "a = a", "Every name equals itself."),
    Rule("eq-symm", "Symmetry of equality", ("a = b",), "b = a", "Equality can be read backwards."),
    Rule("eq-trans", "Transitivity of equality", ("a = b", "b = c"), "a = c", "Equalities chain."),
    Rule("eq-subst", "Substituting equals", ("R(…, u, …)", "u = v"), "R(…, v, …)",
         "Replaces one argument of an atom by a name equal to it (at the position shown "
         "with the step)."),
    Rule("contradiction", "Contradiction", ("A", "¬A"), "C",
         "From a statement and its negation, anything follows."),
    Rule("implies-intro", "Implies-introduction", ("[x̄ fixed, H assumed] ⋮ Q",), "∀x̄. H → Q",
         "Closes a sub-proof: having fixed fresh names x̄, assumed H and derived Q inside it, "
         "conclude that for all x̄, H implies Q. The sub-proof is shown as a collapsible "
         "block just above the step."),
    Rule("induction", "Induction", ("∀M. (… t ∈ M …) → C",), "(… P(t) …) → C",
         "Specialises the induction axiom: a statement about an arbitrary set M, in which M "
         "occurs only as \"t ∈ M\", is instantiated with the set of all n satisfying the "
         "induction predicate P. The result says: if P holds for the base and is passed "
         "from n to its successor, it holds for every natural number. The base case and "
         "the induction step are then proved as sub-proofs.",
         "capture-avoiding: the predicate's bound names never catch a name of t"),
)


def rule_anchor(name: str) -> str:
    """The glossary anchor of a rule: ``rule-modus-ponens``."""
    return "rule-" + "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in name)
