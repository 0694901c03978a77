"""A proof graph as a Coq script that coqc checks: ``genlogic export DIR --coq``.

The script has one Section for the run's theory:

    Variable U : Type.                       one universe of individuals
    Variable in_ : U -> U -> Prop. ...       in, in2, in3, in4 as predicates over U
    Definition def_R (v_p .. : U) : Prop.    every definition of the theory, in order of use
    Variables v_N v_i0 ... : U.              the anchor's parameters
    Hypothesis H_anchor : def_Peano v_N ...  the anchor: every axiom is a part of it

and one ``Theorem`` per theorem of the graph, in the graph's order, whose proof replays
the graph's steps: each step becomes one named hypothesis ``s<id>`` stated with the
step's own expression and obtained by one small tactic or proof term from the
hypotheses of its premises (``coq_terms`` has the translation of expressions):

    premise, and-elim    proj1/proj2 of the context's hypothesis or the premise
    expand               the premise itself (coqc unfolds the Definition)
    theorem              the earlier Theorem, by name
    and-intro            conj
    modus-ponens         the implication applied to the substitution and the facts
    exists-elim          destruct (the witnesses become the step's names)
    exists-intro         ex_intro
    eq-refl / -symm / -trans / -subst    eq_refl, eq_sym, eq_trans, eq_ind
    contradiction        False_ind
    implies-intro        intros in a sub-proof holding the block's steps
    induction            the axiom applied to the predicate, fun v : U => ...

No search tactic, no Admitted and no Axiom: coqc's kernel checks every step, and after
the Section ``Print Assumptions`` of each theorem must say it is closed.  The export
itself checks only what it needs to write the script (known rules, premises that are
earlier steps, the fields a rule reads, known relations of the right arity); whether a
step follows from its premises is left to coqc.  Same graph, same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..mpl.ast import And, Atom, Expr, Implies, Not, atoms
from ..mpl.errors import MPLError
from ..mpl.locate import LocateError, embedded_files, hash_matches, locate_theory
from ..mpl.locate import read_graph_file
from ..mpl.parser import parse_expr
from ..mpl.theory import Theory, load_files
from .coq_terms import BUILTIN_PREDICATES, atom_prop, coq_name, conjunct_paths, is_existence
from .coq_terms import prop

__all__ = ["CoqExportError", "CoqScript", "COQ_FILE", "coq_script", "export_coq",
           "load_run"]

COQ_FILE = "proof.v"
SCHEMA = "genlogic-proof-graph/1"
# rule -> number of premises (None: two or more) and the extra fields it reads
RULES: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "premise": (0, ("index",)), "expand": (1, ()), "theorem": (0, ("theorem",)),
    "and-elim": (1, ("index",)), "and-intro": (None, ()), "modus-ponens": (None, ()),
    "exists-elim": (1, ("witnesses",)), "exists-intro": (2, ()), "eq-refl": (0, ("name",)),
    "eq-symm": (1, ()), "eq-trans": (2, ()), "eq-subst": (2, ("position",)),
    "contradiction": (2, ()), "implies-intro": (1, ("block",)),
    "induction": (1, ("variable", "predicate")),
}
_EXTRA_TYPES = {"index": int, "theorem": str, "witnesses": list, "name": str, "position": int,
                "block": int, "variable": str, "predicate": str}


class CoqExportError(ValueError):
    """The graph cannot be written as a Coq script; the message says where and why."""


@dataclass
class CoqScript:
    """The script and, per theorem, where its proof lies in it (for coqc's messages)."""

    text: str
    theorems: list[tuple[str, str, int, int]] = field(default_factory=list)
    # (graph id, Coq name, first line, last line), lines counted from 1
    steps: int = 0              # steps written into the script
    unused: int = 0             # steps of blocks no implies-intro discharges (not written)

    def theorem_at(self, line: int) -> str | None:
        """The graph id of the theorem whose proof holds ``line``."""
        for name, _, first, last in self.theorems:
            if first <= line <= last:
                return name
        return None


# -- reading the run -----------------------------------------------------------------------
def load_run(run_dir: str | Path) -> tuple[dict, Theory]:
    """The graph of a run folder (or a proof_graph.json) and the theory it was made from:
    the text the graph embeds when it embeds one, else the file found as ``genlogic
    verify`` finds it; either way its source hash must be the graph's."""
    path = Path(run_dir)
    try:
        graph = read_graph_file(path)
        reference = graph.get("theory")
        if not isinstance(reference, dict):
            raise CoqExportError("the proof graph has no 'theory' object")
        files = embedded_files(reference)
        if files is not None:
            theory = load_files(files, next(iter(files)))
        else:
            folder = (path if path.is_dir() else path.parent).resolve()
            theory = locate_theory(reference, folder).theory
    except LocateError as exc:
        raise CoqExportError(str(exc)) from None
    except MPLError as exc:
        raise CoqExportError(f"the theory of the graph does not load: {exc}") from None
    source_hash = reference.get("source_hash")
    if not hash_matches(theory, source_hash if isinstance(source_hash, str) else None,
                        files is not None):
        raise CoqExportError(f"the theory {theory.path} is not the one the graph was made "
                             f"from (its source hash differs)")
    return graph, theory


def export_coq(run_dir: str | Path, out: str | Path | None = None) -> tuple[Path, CoqScript]:
    """Write the Coq script of a run folder to ``out`` (default ``DIR/proof.v``)."""
    graph, theory = load_run(run_dir)
    script = coq_script(graph, theory)
    run_dir = Path(run_dir)
    target = Path(out) if out is not None else \
        (run_dir if run_dir.is_dir() else run_dir.parent) / COQ_FILE
    target.write_text(script.text, encoding="utf-8")
    return target, script


# -- small helpers ---------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> Expr:
    return parse_expr(text, "<graph>")


def _parse(text, where: str) -> Expr:
    if not isinstance(text, str):
        raise CoqExportError(f"{where}: expected MPL text, found {_short(text)}")
    try:
        return _parse_text(text)
    except MPLError as exc:
        raise CoqExportError(f"{where}: not MPL: {exc.message}") from None
    except RecursionError:
        raise CoqExportError(f"{where}: nested too deeply") from None


def _short(value, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[:limit] + "..."


def _field(obj, key: str, kind, where: str):
    if not isinstance(obj, dict) or key not in obj:
        raise CoqExportError(f"{where}: missing field {key!r}")
    value = obj[key]
    ok = type(value) is int if kind is int else isinstance(value, kind)
    if not ok:
        raise CoqExportError(f"{where}: field {key!r} should be {kind.__name__}, "
                             f"not {_short(value)}")
    return value


def _comment(text: str) -> str:
    """Text that cannot end (or open) a Coq comment or string inside one."""
    text = text.replace('"', "'")
    while "(*" in text or "*)" in text:
        text = text.replace("(*", "( *").replace("*)", "* )")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _check_relations(theory: Theory, expr: Expr, where: str) -> None:
    for atom in atoms(expr):
        arity = theory.arity(atom.name)
        if arity != len(atom.args):
            why = "an unknown relation" if arity is None else f"takes {arity} arguments"
            raise CoqExportError(f"{where}: {atom.name} is {why} ({atom})")


# -- the theory --------------------------------------------------------------------------
def _definition_order(theory: Theory) -> list[str]:
    """The definitions, each after those its body uses (otherwise in file order)."""
    done: list[str] = []
    seen: set[str] = set()
    for start in theory.definitions:
        stack = [(start, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                done.append(name)
                continue
            if name in seen:
                continue
            seen.add(name)
            stack.append((name, True))
            used = [a.name for a in atoms(theory.definitions[name].body)
                    if a.name in theory.definitions]
            stack.extend((u, False) for u in reversed(list(dict.fromkeys(used)))
                         if u not in seen)
    return done


def _theory_lines(theory: Theory, anchor) -> list[str]:
    lines = ["Variable U : Type."]
    for coq, arity in BUILTIN_PREDICATES.values():
        lines.append(f"Variable {coq} : {' -> '.join(['U'] * arity)} -> Prop.")
    lines.append("")
    for name in _definition_order(theory):
        d = theory.definitions[name]
        params = f" ({' '.join(coq_name(p) for p in d.params)} : U)" if d.params else ""
        what = "anchor" if d.is_anchor else "definition"
        lines.append(f"(* {what} {_comment(name)} *)")
        lines.append(f"Definition {coq_name(name, 'def')}{params} : Prop :=")
        lines.append(f"  {prop(d.body)}.")
    lines.append("")
    lines.append(f"Variables {' '.join(coq_name(p) for p in anchor.params)} : U.")
    lines.append(f"Hypothesis H_anchor : {prop(Atom(anchor.name, anchor.params))}.")
    return lines


# -- one theorem ---------------------------------------------------------------------------
@dataclass
class _Step:
    id: int
    context: int
    expr: Expr
    rule: str
    premises: list[int]
    substitution: dict[str, str]
    extra: dict
    where: str


class _TheoremWriter:
    """The tactic lines of one theorem's proof."""

    def __init__(self, raw: dict, where: str, theory: Theory, anchor, proved: dict[str, str]):
        self.where = where
        self.theory = theory
        self.proved = proved                      # graph id -> Coq name, earlier theorems
        self.contexts: dict[int, tuple[int | None, tuple[str, ...], Expr | None]] = {}
        self.steps: dict[int, _Step] = {}
        self.order: dict[int, list[int]] = {}     # context -> its step ids, in graph order
        self.lines: list[str] = []
        self.written: set[int] = set()
        self.position: dict[int, int] = {}   # step id -> its place in the graph's list
        self._read_contexts(_field(raw, "contexts", list, where), anchor)
        for i, step in enumerate(_field(raw, "steps", list, where)):
            self._read_step(step, i)
        self.conclusion = _field(raw, "conclusion", int, where)
        if self.conclusion not in self.steps:
            raise CoqExportError(f"{where}: conclusion {self.conclusion} is not a step")

    def _read_contexts(self, contexts: list, anchor) -> None:
        for i, raw in enumerate(contexts):
            where = f"{self.where}, context #{i}"
            cid = _field(raw, "id", int, where)
            for key in ("parent", "hypothesis"):
                if key not in raw:
                    raise CoqExportError(f"{where}: missing field {key!r}")
            parent = raw["parent"]
            names = _field(raw, "vars", list, where)
            if not all(isinstance(n, str) and n for n in names):
                raise CoqExportError(f"{where}: vars should be names, not {_short(names)}")
            text = raw.get("hypothesis")
            hypothesis = None if text is None else _parse(text, f"{where} hypothesis")
            if cid in self.contexts:
                raise CoqExportError(f"{where}: duplicate context id {cid}")
            if i == 0:
                root = Atom(anchor.name, anchor.params)
                if cid != 0 or parent is not None or tuple(names) != anchor.params \
                        or hypothesis is not root:
                    raise CoqExportError(f"{where}: the first context must be the root "
                                         f"(id 0, no parent, the anchor {root})")
            elif type(parent) is not int or parent not in self.contexts or cid == 0:
                raise CoqExportError(f"{where}: parent {_short(parent)} is not an earlier "
                                     f"context")
            if hypothesis is not None:
                _check_relations(self.theory, hypothesis, where)
            self.contexts[cid] = (parent, tuple(names), hypothesis)
            self.order[cid] = []

    def _read_step(self, raw, position: int) -> None:
        sid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{self.where}, step {sid if type(sid) is int else f'at position {position}'}"
        sid = _field(raw, "id", int, where)
        if sid < 0 or sid in self.steps:
            raise CoqExportError(f"{where}: step ids must be distinct and not negative")
        context = _field(raw, "context", int, where)
        if context not in self.contexts:
            raise CoqExportError(f"{where}: context {context} is not a context of the theorem")
        rule = _field(raw, "rule", str, where)
        where = f"{where} ({rule})"
        if rule not in RULES:
            raise CoqExportError(f"{where}: unknown rule")
        count, keys = RULES[rule]
        premises = _field(raw, "premises", list, where)
        if (len(premises) != count) if count is not None else len(premises) < 2:
            wanted = count if count is not None else "two or more"
            raise CoqExportError(f"{where}: needs {wanted} premises, has {len(premises)}")
        for p in premises:
            if type(p) is not int or p not in self.steps:
                raise CoqExportError(f"{where}: premise {_short(p)} is not an earlier step")
        substitution = _field(raw, "substitution", dict, where)
        if not all(isinstance(v, str) and v for v in substitution.values()):
            raise CoqExportError(f"{where}: the substitution should map names to names")
        extra = _field(raw, "extra", dict, where)
        for key in keys:
            value = _field(extra, key, _EXTRA_TYPES[key], f"{where}, extra")
            if key in ("name", "variable", "theorem") and not value:
                raise CoqExportError(f"{where}: extra {key} is empty")
        expr = _parse(raw.get("expr"), f"{where} expr")
        _check_relations(self.theory, expr, where)
        self.steps[sid] = _Step(sid, context, expr, rule, list(premises), dict(substitution),
                                extra, where)
        self.order[context].append(sid)
        self.position[sid] = position

    # -- writing ---------------------------------------------------------------------
    def write(self) -> list[str]:
        self._context(0, None, "  ")
        self.lines.append(f"  exact s{self.conclusion}.")
        return self.lines

    def _context(self, cid: int, upto: int | None, indent: str) -> None:
        """The steps of context ``cid`` (those before step ``upto``, when a block is
        discharged there), nested blocks written where they are discharged."""
        limit = self.position[upto] if upto is not None else len(self.position)
        for sid in self.order[cid]:
            if self.position[sid] >= limit:
                break
            step = self.steps[sid]
            self.written.add(sid)
            if step.rule == "implies-intro":
                self._discharge(step, indent)
            elif step.rule == "exists-elim":
                self._exists_elim(step, indent)
            elif step.rule == "contradiction":
                self._contradiction(step, indent)
            else:
                self._assert(step, self._term(step), indent)

    def _assert(self, step: _Step, term: str, indent: str) -> None:
        term = f"({term})" if " " in term else term
        self.lines.append(f"{indent}assert (s{step.id} : {prop(step.expr)}) by exact {term}.")

    def _fact(self, sid: int) -> Expr:
        return self.steps[sid].expr

    def _project(self, hypothesis: str, expr: Expr, index: int, step: _Step) -> str:
        paths = conjunct_paths(expr)
        if not 0 <= index < len(paths) or (step.rule == "and-elim" and len(paths) < 2):
            raise CoqExportError(f"{step.where}: no conjunct #{index} in {_short(str(expr))}")
        term = hypothesis
        for proj in paths[index]:
            term = f"{proj} {term}" if term == hypothesis else f"{proj} ({term})"
        return term

    def _term(self, step: _Step) -> str:
        rule, p = step.rule, step.premises
        if rule == "premise":
            _, _, hypothesis = self.contexts[step.context]
            if hypothesis is None:
                raise CoqExportError(f"{step.where}: context {step.context} has no hypothesis")
            name = "H_anchor" if step.context == 0 else f"h{step.context}"
            return self._project(name, hypothesis, step.extra["index"], step)
        if rule == "and-elim":
            return self._project(f"s{p[0]}", self._fact(p[0]), step.extra["index"], step)
        if rule == "expand":
            return f"s{p[0]}"
        if rule == "theorem":
            name = step.extra["theorem"]
            if name not in self.proved:
                raise CoqExportError(f"{step.where}: cites theorem {name!r}, which is not "
                                     f"proved before this one")
            return self.proved[name]
        if rule == "and-intro":
            term = f"s{p[-1]}"
            for q in reversed(p[:-1]):
                term = f"conj s{q} ({term})" if " " in term else f"conj s{q} {term}"
            return term
        if rule == "modus-ponens":
            return self._modus_ponens(step)
        if rule == "exists-intro":
            return self._exists_intro(step)
        if rule == "eq-refl":
            return f"@eq_refl U {coq_name(step.extra['name'])}"
        if rule == "eq-symm":
            return f"eq_sym s{p[0]}"
        if rule == "eq-trans":
            return f"eq_trans s{p[0]} s{p[1]}"
        if rule == "eq-subst":
            return self._eq_subst(step)
        if rule == "induction":
            predicate = _parse(step.extra["predicate"], f"{step.where}, extra predicate")
            _check_relations(self.theory, predicate, step.where)
            return f"s{p[0]} (fun {coq_name(step.extra['variable'])} : U => {prop(predicate)})"
        raise CoqExportError(f"{step.where}: no translation")   # pragma: no cover

    def _modus_ponens(self, step: _Step) -> str:
        rule, facts = step.premises[0], step.premises[1:]
        impl = self._fact(rule)
        if not isinstance(impl, Implies):
            raise CoqExportError(f"{step.where}: premise {rule} is not an implication")
        if set(step.substitution) != set(impl.vars):
            raise CoqExportError(f"{step.where}: the substitution binds "
                                 f"{sorted(step.substitution)}, the implication quantifies "
                                 f"{list(impl.vars)}")
        args = [coq_name(step.substitution[v]) for v in impl.vars]
        parts = conjunct_paths(impl.premise)
        if len(facts) == 1:
            proof = f"s{facts[0]}"
        elif len(facts) == len(parts):
            proof = self._conj_tree(impl.premise, iter(facts))
        else:
            raise CoqExportError(f"{step.where}: {len(facts)} facts for a premise of "
                                 f"{len(parts)} conjuncts")
        return " ".join([f"s{rule}", *args, proof])

    def _conj_tree(self, shape: Expr, facts) -> str:
        """A proof of a conjunction shaped like ``shape`` from one fact per conjunct."""
        if isinstance(shape, And):
            return f"(conj {self._conj_tree(shape.left, facts)} " \
                   f"{self._conj_tree(shape.right, facts)})"
        return f"s{next(facts)}"

    def _exists_intro(self, step: _Step) -> str:
        e = step.expr
        if not is_existence(e):
            raise CoqExportError(f"{step.where}: {_short(str(e))} is not an existence "
                                 f"statement")
        names = e.body.vars
        if set(step.substitution) != set(names):
            raise CoqExportError(f"{step.where}: the substitution must bind exactly "
                                 f"{list(names)}")
        term = f"conj s{step.premises[0]} s{step.premises[1]}"
        for name in reversed(names):
            term = f"ex_intro _ {coq_name(step.substitution[name])} ({term})"
        return term

    def _eq_subst(self, step: _Step) -> str:
        fact, position = self._fact(step.premises[0]), step.extra["position"]
        if not isinstance(fact, Atom) or not 0 <= position < len(fact.args):
            raise CoqExportError(f"{step.where}: premise {step.premises[0]} has no argument "
                                 f"{position}")
        equation = self._fact(step.premises[1])
        if not (isinstance(equation, Atom) and equation.name == "="):
            raise CoqExportError(f"{step.where}: premise {step.premises[1]} is not an equation")
        u, v = equation.args
        motive = atom_prop(fact, {position: "z_"})
        return (f"@eq_ind U {coq_name(u)} (fun z_ : U => {motive}) s{step.premises[0]} "
                f"{coq_name(v)} s{step.premises[1]}")

    def _exists_elim(self, step: _Step, indent: str) -> None:
        e = self._fact(step.premises[0])
        if not is_existence(e):
            raise CoqExportError(f"{step.where}: premise {step.premises[0]} is not an "
                                 f"existence statement")
        witnesses = step.extra["witnesses"]
        if len(witnesses) != len(e.body.vars) or not all(isinstance(w, str) and w
                                                         for w in witnesses):
            raise CoqExportError(f"{step.where}: witnesses {_short(witnesses)} do not match "
                                 f"the variables {list(e.body.vars)}")
        if not witnesses:
            self._assert(step, f"s{step.premises[0]}", indent)
            return
        x = f"x{step.id}"
        pattern = x
        for w in reversed(witnesses):
            pattern = f"[{coq_name(w)} {pattern}]"
        self.lines.append(f"{indent}pose proof s{step.premises[0]} as {x}. "
                          f"destruct {x} as {pattern}.")
        self._assert(step, x, indent)

    def _contradiction(self, step: _Step, indent: str) -> None:
        a, n = step.premises
        negation = self._fact(n)
        if not isinstance(negation, Not):
            raise CoqExportError(f"{step.where}: premise {n} is not a negation")
        goal = f"{indent}assert (s{step.id} : {prop(step.expr)})"
        if not is_existence(negation):
            self.lines.append(f"{goal} by exact (False_ind _ (s{n} s{a})).")
            return
        x = f"x{step.id}"
        names = [f"{x}_{i + 1}" for i in range(len(negation.body.vars))]
        pattern = f"[{x}a {x}b]"
        for name in reversed(names):
            pattern = f"[{name} {pattern}]"
        self.lines.append(f"{goal}.")
        self.lines.append(f"{indent}{{ pose proof s{n} as {x}. destruct {x} as {pattern}.")
        self.lines.append(f"{indent}  exact (False_ind _ ({' '.join([f's{a}', *names])} "
                          f"{x}a {x}b)). }}")

    def _discharge(self, step: _Step, indent: str) -> None:
        block = step.extra["block"]
        if block not in self.contexts or self.contexts[block][0] != step.context:
            raise CoqExportError(f"{step.where}: block {block} is not a child context of "
                                 f"context {step.context}")
        _, names, hypothesis = self.contexts[block]
        if hypothesis is None:
            raise CoqExportError(f"{step.where}: block {block} has no hypothesis")
        intros = " ".join([*(coq_name(n) for n in names), f"h{block}"])
        self.lines.append(f"{indent}assert (s{step.id} : {prop(step.expr)}).")
        self.lines.append(f"{indent}{{ intros {intros}.")
        self._context(block, step.id, indent + "  ")
        self.lines.append(f"{indent}  exact s{step.premises[0]}. }}")


# -- the script --------------------------------------------------------------------------
def coq_script(graph: dict, theory: Theory) -> CoqScript:
    """The Coq script of ``graph`` (a parsed proof_graph.json) over ``theory``."""
    if not isinstance(graph, dict) or graph.get("schema") != SCHEMA:
        raise CoqExportError(f"not a proof graph of schema {SCHEMA!r}")
    reference = _field(graph, "theory", dict, "graph")
    anchor_name = _field(reference, "anchor", str, "graph theory")
    try:
        anchor = theory.anchor(anchor_name)
    except MPLError as exc:
        raise CoqExportError(str(exc)) from None
    theorems = _field(graph, "theorems", list, "graph")
    source_hash = reference.get("source_hash")
    lines = [
        "(* A genlogic proof graph checked by Coq: written by `genlogic export --coq`.",
        f"   Theory {_comment(Path(theory.path).name)}, anchor {_comment(anchor.name)}, "
        f"source hash {_comment(str(source_hash))}.",
        "   Existence !(>[y] A !B) is written exists y, A /\\ B; a set variable (the",
        "   variable of an induction axiom) is a predicate U -> Prop. *)",
        "",
        "Section Theory.",
        "",
    ]
    lines += _theory_lines(theory, anchor)
    script = CoqScript("")
    proved: dict[str, str] = {}
    for position, raw in enumerate(theorems):
        tid = raw.get("id") if isinstance(raw, dict) else None
        where = f"theorem {tid}" if isinstance(tid, str) else f"theorem at position {position}"
        tid = _field(raw, "id", str, where)
        if not tid:
            raise CoqExportError(f"{where}: the theorem id is empty")
        if tid in proved:
            raise CoqExportError(f"{where}: duplicate theorem id")
        status = raw.get("status")
        if status != "Theorem":
            raise CoqExportError(f"{where}: status {_short(status)}: only proved theorems "
                                 f"can be exported")
        statement = _parse(raw.get("mpl"), f"{where} mpl")
        _check_relations(theory, statement, where)
        writer = _TheoremWriter(raw, where, theory, anchor, proved)
        body = writer.write()
        name = coq_name(tid, "thm")
        lines.append("")
        first = len(lines) + 1
        lines.append(f"(* {_comment(tid)}: {_comment(str(statement))} *)")
        lines.append(f"Theorem {name} : {prop(statement)}.")
        lines.append("Proof.")
        lines += body
        lines.append("Qed.")
        script.theorems.append((tid, name, first, len(lines)))
        script.steps += len(writer.written)
        script.unused += len(writer.steps) - len(writer.written)
        proved[tid] = name
    lines += ["", "End Theory.", ""]
    lines += [f"Print Assumptions {name}." for _, name, _, _ in script.theorems]
    script.text = "\n".join(lines) + "\n"
    return script

