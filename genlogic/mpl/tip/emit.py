"""Typed, monomorphic TIP to MPL nodes: sets, constructors, recursion equations, goals.

Every ground type becomes a set: a datatype instance (``list Nat``) an inductive set with
its constructors as operators (distinct, injective, and an induction axiom over them),
a declared sort or a goal's type parameter a set with no constructors, a function type
``(=> a b)`` a set with an apply operator ``@: F x a -> b``.  Bool is the datatype of
``false`` and ``true``.

A function becomes an operator (total and single-valued, ``function1``..``function3``)
and one axiom per path through the case splits of its body: under the path's conditions,
``f(args) = value``.  A ``lambda`` is lifted: an operator (or a constant, when it
captures nothing) into its function set, with the apply equation of its body.  A goal
becomes one theorem per path through the case splits inside it; together they state
the goal (the paths cover every case), so proving them all proves it.

Nested terms are flattened into operator atoms with fresh variables ``v1``, ``v2``, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ast import And, Atom, Expr, Implies, Not, conj
from .typing import ARROW, BOOL, Instances, Problem, Term, Type, TypeFailure

__all__ = ["Emitted", "emit"]

_MPL_NAME = re.compile(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]")
_RESERVED = {"in", "in2", "in3", "in4", "=", "function1", "function2", "function3", "TIP", "M"}
RELATION = {1: "in2", 2: "in3", 3: "in4"}            # operator atoms by number of inputs
MAX_INPUTS = 3
_FORMULA = {"eq", "distinct", "and", "or", "not", "implies"}


def is_variable(name: str) -> bool:
    return re.fullmatch(r"v[0-9]+", name) is not None


@dataclass
class _Case:
    """One path through a body's case splits: atoms that hold on it, and what each
    matched variable turned out to be (a constant) on it."""
    atoms: list[tuple] = field(default_factory=list)       # (relation, args...)
    subst: dict[str, str] = field(default_factory=dict)

    def copy(self) -> "_Case":
        return _Case(list(self.atoms), dict(self.subst))


@dataclass
class Emitted:
    params: list[str]                          # the anchor's parameters, in order
    definitions: list[tuple[str, Expr]]        # (what it defines, its axioms)
    goals: list[Expr]                          # per prove: one theorem per path
    goal_groups: list[int]                     # how many theorems each prove became
    functions: dict[str, str]                  # TIP name -> MPL name (its first instance)
    arities: set[int]                          # operator input counts used
    symbols: dict[str, str]                    # MPL name -> the TIP symbol it stands for


class Emitter:
    def __init__(self, problem: Problem, instances: Instances):
        self.problem, self.instances = problem, instances
        self.names: set[str] = set(_RESERVED)
        self.params: list[str] = []
        self.set_of: dict[Type, str] = {}                      # ground type -> set name
        self.ctor: dict[tuple[Type, str], str] = {}            # (datatype, constructor) -> name
        self.func: dict[tuple, str] = {}                       # function instance -> name
        self.ap: dict[Type, str] = {}                          # function type -> apply operator
        self.lambdas: list[tuple[str, Term]] = []
        self.lambda_names: dict[int, str] = {}
        self.var_sort: dict[str, str] = {}
        self.fresh = 0
        self.arities: set[int] = set()

    # -- names -----------------------------------------------------------------------------
    def global_name(self, wanted: str) -> str:
        name = "".join(ch if _MPL_NAME.fullmatch(ch) else "_" for ch in wanted) or "_"
        while name in self.names or is_variable(name) or re.fullmatch(r"def_[0-9]+", name):
            name += "'"
        self.names.add(name)
        self.params.append(name)
        return name

    def new_var(self, sort: str) -> str:
        self.fresh += 1
        name = f"v{self.fresh}"
        self.var_sort[name] = sort
        return name

    def sort(self, t: Type) -> str:
        name = self.set_of.get(t)
        if name is None:
            raise KeyError(t)
        return name

    # -- the sets ----------------------------------------------------------------------------
    def plan(self) -> None:
        """Name every set, constructor, function instance and apply operator."""
        types: list[Type] = []

        def use(t: Type) -> None:
            if t in types:
                return
            for a in t.args:
                use(a)
            datatype = self.problem.datatypes.get(t.name) if t.name != ARROW else None
            types.append(t)
            if datatype is not None:
                for cname, _ in datatype.constructors:
                    for f in datatype.fields(t, cname):
                        use(f)

        for binders, term, _ in self.instances.goals:
            for _, t in binders:
                use(t)
            self._types_of(term, use, logical=True)
        for (_, targs), (params, body) in self.instances.functions.items():
            for _, t in params:
                use(t)
            self._types_of(body, use)
        self.types = types
        counts: dict[str, int] = {}
        for t in types:
            counts[t.name] = counts.get(t.name, 0) + 1
        for t in types:
            base = "fun" if t.name == ARROW else t.name
            self.set_of[t] = self.global_name(_suffixed(base, t.args) if t.args else base)
        for t in types:
            datatype = self.problem.datatypes.get(t.name) if t.name != ARROW else None
            if datatype is None:
                continue
            for cname, _ in datatype.constructors:
                wanted = cname if counts[t.name] == 1 else _suffixed(cname, t.args)
                self.ctor[(t, cname)] = self.global_name(wanted)
        uses: dict[str, int] = {}
        for name, _ in self.instances.functions:
            uses[name] = uses.get(name, 0) + 1
        for key in self.instances.functions:
            name, targs = key
            self.func[key] = self.global_name(name if uses[name] == 1 else _suffixed(name, targs))
        arrows = [t for t in types if t.name == ARROW]
        for t in arrows:
            self.ap[t] = self.global_name("@" if len(arrows) == 1 else "@" + self.set_of[t])

    def _types_of(self, term: Term, use, logical: bool = False) -> None:
        """The types in a term; with ``logical``, a goal's: its equations and connectives
        are formulas there, so Bool counts only where a Bool value is computed."""
        stack = [term]
        while stack:
            t = stack.pop()
            if not (logical and t.kind in _FORMULA):
                use(t.type)
            if t.kind == "not" and t.args[0].kind not in _FORMULA:
                use(BOOL)
            for _, ty in t.binders + t.captured:
                use(ty)
            stack.extend(t.args)
            stack.extend(b[2] for b in t.branches)

    def set_axioms(self) -> list[tuple[str, Expr]]:
        out = []
        for t in self.types:
            if t.name == ARROW:
                inputs = (t,) + t.args[:-1]
                out.append((str(t), self.typing(self.ap[t], inputs, t.args[-1], None)))
                continue
            datatype = self.problem.datatypes.get(t.name)
            if datatype is not None:
                out.append((str(t), self.datatype_axioms(t, datatype)))
        return out

    def typing(self, op: str, inputs: tuple[Type, ...], result: Type, node) -> Expr:
        """``op`` total and single-valued from ``inputs`` to ``result`` (or a constant)."""
        if not inputs:
            return Atom("in", (op, self.sort(result)))
        if len(inputs) > MAX_INPUTS:
            raise TypeFailure(node, f"{op} takes {len(inputs)} arguments; genlogic's operators "
                              "take one to three")
        self.arities.add(len(inputs))
        return Atom(f"function{len(inputs)}", (op,) + tuple(self.sort(i) for i in inputs)
                    + (self.sort(result),))

    def datatype_axioms(self, t: Type, datatype) -> Expr:
        """Constructors typed, pairwise distinct, injective, and induction over them."""
        me = self.sort(t)
        parts: list[Expr] = []
        ctors = [(self.ctor[(t, c)], datatype.fields(t, c)) for c, _ in datatype.constructors]
        for name, fields in ctors:
            parts.append(self.typing(name, tuple(fields), t, datatype.node))
        for i, (a, fa) in enumerate(ctors):
            for b, fb in ctors[i + 1:]:
                parts.append(self._distinct(a, fa, b, fb))
        for name, fields in ctors:
            if fields:
                n = len(fields)
                xs, ys = [f"v{i + 1}" for i in range(n)], [f"v{n + i + 1}" for i in range(n)]
                m = f"v{2 * n + 1}"
                rel = RELATION[n]
                parts.append(Implies(xs + ys + [m],
                                     And(Atom(rel, (*xs, m, name)), Atom(rel, (*ys, m, name))),
                                     conj([Atom("=", (x, y)) for x, y in zip(xs, ys)])))
        steps: list[Expr] = []
        for name, fields in ctors:
            if not fields:
                steps.append(Atom("in", (name, "M")))
                continue
            xs = [f"v{i + 1}" for i in range(len(fields))]
            m = f"v{len(fields) + 1}"
            guards = [Atom("in", (x, "M" if f == t else self.sort(f))) for x, f in zip(xs, fields)]
            steps.append(Implies(xs + [m], conj(guards + [Atom(RELATION[len(xs)], (*xs, m, name))]),
                                 Atom("in", (m, "M"))))
        parts.append(Implies(["M"], conj(steps),
                             Implies(["v1"], Atom("in", ("v1", me)), Atom("in", ("v1", "M")))))
        return conj(parts)

    def _distinct(self, a: str, fa, b: str, fb) -> Expr:
        if not fa and not fb:
            return Not(Atom("=", (a, b)))
        if fa and not fb:
            a, fa, b, fb = b, fb, a, fa
        if not fa:                                   # a constant is never b(...)
            xs = [f"v{i + 1}" for i in range(len(fb))]
            return Implies(xs, conj([Atom("in", (x, self.sort(f))) for x, f in zip(xs, fb)]),
                           Not(Atom(RELATION[len(xs)], (*xs, a, b))))
        xs = [f"v{i + 1}" for i in range(len(fa))]
        ys = [f"v{len(fa) + i + 1}" for i in range(len(fb))]
        m = f"v{len(fa) + len(fb) + 1}"
        guards = [Atom("in", (y, self.sort(f))) for y, f in zip(ys, fb)]
        return Implies(xs + ys + [m], conj([Atom(RELATION[len(xs)], (*xs, m, a))] + guards),
                       Not(Atom(RELATION[len(ys)], (*ys, m, b))))

    # -- functions -----------------------------------------------------------------------------
    def function_axioms(self, key, params, body: Term) -> Expr:
        function = self.problem.functions[key[0]]
        name = self.func[key]
        self.fresh, self.var_sort = 0, {}
        env = {p: self.new_var(self.sort(t)) for p, t in params}
        result = body.type
        axioms = [self.typing(name, tuple(t for _, t in params), result, function.node)]
        for case, value in self.expand(body, env, _Case()):
            head = [case.subst.get(env[p], env[p]) for p, _ in params]
            value = case.subst.get(value, value)
            if not params:
                conclusion = Atom("=", (value, name))
            else:
                conclusion = Atom(RELATION[len(params)], (*head, value, name))
            axioms.append(self.implication(case, conclusion))
        return conj(axioms)

    def lambda_axioms(self, name: str, term: Term) -> Expr:
        self.fresh, self.var_sort = 0, {}
        env = {n: self.new_var(self.sort(t)) for n, t in term.captured}
        closure_case = _Case()
        if term.captured:
            closure = self.new_var(self.sort(term.type))
            captured = tuple(env[n] for n, _ in term.captured)
            closure_case.atoms.append((RELATION[len(captured)], *captured, closure, name))
        else:
            closure = name
        inputs = []
        for n, t in term.binders:
            env[n] = self.new_var(self.sort(t))
            inputs.append(env[n])
        typing = self.typing(name, tuple(t for _, t in term.captured), term.type, term.node)
        axioms = [typing]
        ap = self.ap[term.type]
        self.arities.add(len(inputs) + 1)
        for case, value in self.expand(term.args[0], env, closure_case):
            args = [case.subst.get(a, a) for a in [closure] + inputs]
            value = case.subst.get(value, value)
            axioms.append(self.implication(case, Atom(RELATION[len(args)], (*args, value, ap))))
        return conj(axioms)

    def implication(self, case: _Case, conclusion: Atom, extra=()) -> Expr:
        atoms = [tuple(case.subst.get(a, a) for a in atom) for atom in case.atoms]
        atoms = [a for a in atoms if not (a[0] == "=" and a[1] == a[2])]
        variables: list[str] = []
        for atom in atoms + [(conclusion.name, *conclusion.args)] + list(extra):
            for a in atom[1:]:
                if is_variable(a) and a not in variables:
                    variables.append(a)
        guarded = {a for atom in atoms for a in atom[1:]}
        atoms += [("in", v, self.var_sort[v]) for v in variables if v not in guarded]
        premises = [Atom(a[0], a[1:]) for a in atoms]
        if not premises:
            return conclusion
        return Implies(variables, conj(premises), conclusion)

    # -- expressions ---------------------------------------------------------------------------
    def expand(self, term: Term, env: dict[str, str], case: _Case):
        """Every (case, name of the value) of a term: matches and conditions split the case."""
        kind = term.kind
        if kind == "var":
            yield case, env[term.name]
        elif kind in ("ctor", "call"):
            name = self.ctor[(term.type, term.name)] if kind == "ctor" \
                else self.func[(term.name, term.targs)]
            if not term.args:
                yield case, name
                return
            for done, inputs in self.expand_all(term.args, env, case):
                out = self.new_var(self.sort(term.type))
                done = done.copy()
                done.atoms.append((RELATION[len(inputs)], *inputs, out, name))
                yield done, out
        elif kind == "apply":
            ap = self.ap[term.args[0].type]
            for done, inputs in self.expand_all(term.args, env, case):
                out = self.new_var(self.sort(term.type))
                done = done.copy()
                done.atoms.append((RELATION[len(inputs)], *inputs, out, ap))
                yield done, out
        elif kind == "lambda":
            name = self.lambda_names.get(id(term))
            if name is None:
                name = self.global_name("lambda")
                self.lambda_names[id(term)] = name
                self.lambdas.append((name, term))
            if not term.captured:
                yield case, name
                return
            out = self.new_var(self.sort(term.type))
            done = case.copy()
            done.atoms.append((RELATION[len(term.captured)],
                               *(env[n] for n, _ in term.captured), out, name))
            yield done, out
        elif kind == "match":
            yield from self.match(term, env, case)
        elif kind == "let":
            yield from self.let(term, env, case)
        elif kind in ("ite", "and", "or", "not", "implies"):
            yield from self.boolean(term, env, case)
        else:
            raise TypeFailure(term.node, f"a Boolean {term.node.head()!r} inside a definition "
                                         "is not supported")

    def expand_all(self, terms, env, case):
        if not terms:
            yield case, []
            return
        for first_case, first in self.expand(terms[0], env, case):
            for rest_case, rest in self.expand_all(terms[1:], env, first_case):
                yield rest_case, [first] + rest

    def truth(self, value: bool) -> str:
        return self.ctor[(BOOL, "true" if value else "false")]

    def boolean(self, term: Term, env, case):
        """ite and the connectives, as case splits on the value of a condition."""
        kind, args = term.kind, term.args
        true, false = self.truth(True), self.truth(False)
        for done, value in self.expand(args[0], env, case):
            for truth in (True, False):
                split = self.assume(done, value, truth)
                if split is None:
                    continue
                if kind == "ite":
                    yield from self.expand(args[1] if truth else args[2], env, split)
                elif kind == "not":
                    yield split, false if truth else true
                elif kind == "implies" and not truth:
                    yield split, true
                elif kind == "implies":
                    rest = args[1] if len(args) == 2 else Term("implies", BOOL, term.node,
                                                                args=args[1:])
                    yield from self.expand(rest, env, split)
                elif (kind == "and") != truth:       # and: a false part; or: a true one
                    yield split, false if kind == "and" else true
                elif len(args) == 1:
                    yield split, true if kind == "and" else false
                else:
                    rest = Term(kind, BOOL, term.node, args=args[1:])
                    yield from self.boolean(rest, env, split)

    def assume(self, case: _Case, value: str, truth: bool) -> _Case | None:
        """The case narrowed by "value is true" (or false); None when it cannot be."""
        wanted, other = self.truth(truth), self.truth(not truth)
        target = case.subst.get(value, value)
        if target == other:
            return None
        split = case.copy()
        if is_variable(target):
            split.subst[target] = wanted
        elif target != wanted:
            split.atoms.append(("=", target, wanted))
        return split

    def match(self, term: Term, env, case):
        kind = term.args[0].type
        datatype = self.problem.datatypes[kind.name]
        constructors = [c for c, _ in datatype.constructors]
        constants = {self.ctor[(kind, c)]: c for c in constructors
                     if not datatype.fields(kind, c)}
        for scrutinee_case, scrutinee in self.expand(term.args[0], env, case):
            covered: set[str] = set()
            for cname, names, body in term.branches:
                chosen = [cname] if cname is not None else constructors
                for c in chosen:
                    if c in covered:
                        continue
                    covered.add(c)
                    split = scrutinee_case.copy()
                    inner = dict(env)
                    target = split.subst.get(scrutinee, scrutinee)
                    if target in constants and constants[target] != c:
                        continue                         # another constructor's constant
                    fields = datatype.fields(kind, c)
                    name = self.ctor[(kind, c)]
                    if not fields:
                        if is_variable(target):
                            split.subst[target] = name
                        elif target != name:
                            split.atoms.append(("=", target, name))
                    else:
                        parts = [self.new_var(self.sort(f)) for f in fields]
                        split.atoms.append((RELATION[len(parts)], *parts, target, name))
                        if cname is not None:
                            inner.update(zip(names, parts))
                    if cname is None and names:          # a variable pattern: the value itself
                        inner[names[0]] = split.subst.get(target, target) if not fields \
                            else target
                    yield from self.expand(body, inner, split)

    def let(self, term: Term, env, case):
        names = [n for n, _ in term.binders]
        values, body = term.args[:-1], term.args[-1]
        for done, results in self.expand_all(values, env, case):
            yield from self.expand(body, {**env, **dict(zip(names, results))}, done)

    # -- goals --------------------------------------------------------------------------------
    def goal(self, binders, term: Term) -> list[Expr]:
        self.fresh, self.var_sort = 0, {}
        env = {n: self.new_var(self.sort(t)) for n, t in binders}
        premises, conclusion = [], term
        while conclusion.kind == "implies":
            for part in conclusion.args[:-1]:
                premises += _conjuncts(part)
            conclusion = conclusion.args[-1]
        literals = _conjuncts(conclusion)
        out = []
        for case, atoms in self._literals(premises, env, _Case(), []):
            for negated, _ in atoms:
                if negated:
                    raise TypeFailure(term.node, "a negated hypothesis is not supported")
            case.atoms += [a for _, a in atoms]
            for done, concl in self._literals(literals, env, case, []):
                out.append(self._goal_statement(list(env.values()), done, concl))
        return out

    def _literals(self, terms, env, case, acc):
        if not terms:
            yield case, acc
            return
        for done, literal in self._literal(terms[0], env, case):
            yield from self._literals(terms[1:], env, done, acc + [literal])

    def _literal(self, term: Term, env, case):
        """(case, (negated, ("=", l, r))) per path; a Bool term t stands for t = true."""
        negated = False
        if term.kind == "not":
            negated, term = True, term.args[0]
        if term.kind in ("eq", "distinct") and len(term.args) == 2:
            negated = negated != (term.kind == "distinct")
            for done, (left, right) in self.expand_all(term.args, env, case):
                yield done, (negated, ("=", left, right))
            return
        for done, value in self.expand(term, env, case):
            yield done, (False, ("=", value, self.truth(not negated)))

    def _goal_statement(self, variables, case: _Case, literals) -> Expr:
        atoms = [tuple(case.subst.get(a, a) for a in atom) for atom in case.atoms]
        literals = [(neg, tuple(case.subst.get(a, a) for a in atom)) for neg, atom in literals]
        names = list(variables)
        for atom in atoms + [a for _, a in literals]:
            for a in atom[1:]:
                if is_variable(a) and a not in names:
                    names.append(a)
        names = [n for n in names if n not in case.subst]
        guarded = {a for atom in atoms for a in atom[1:]}
        atoms += [("in", v, self.var_sort[v]) for v in names if v not in guarded]
        body = conj([Not(Atom(a[0], a[1:])) if neg else Atom(a[0], a[1:])
                     for neg, a in literals])
        if not atoms:                  # closed: a goal is an implication, (>[] P Q)
            some = next(iter(self.ctor.items()))
            return Implies([], Atom("in", (some[1], self.sort(some[0][0]))), body)
        return Implies(names, conj([Atom(a[0], a[1:]) for a in atoms]), body)


def _conjuncts(term: Term) -> list[Term]:
    if term.kind == "and":
        return [c for part in term.args for c in _conjuncts(part)]
    return [term]


def _suffixed(base: str, args: tuple[Type, ...]) -> str:
    return base + "".join("_" + _flat(a) for a in args)


def _flat(t: Type) -> str:
    base = "fun" if t.name == ARROW else t.name
    return base + "".join("_" + _flat(a) for a in t.args)


def emit(problem: Problem, instances: Instances) -> Emitted:
    e = Emitter(problem, instances)
    e.plan()
    definitions = e.set_axioms()
    functions: dict[str, str] = {}
    for key, (params, body) in instances.functions.items():
        definitions.append((key[0], e.function_axioms(key, params, body)))
        functions.setdefault(key[0], e.func[key])
    goals, groups = [], []
    for binders, term, _ in instances.goals:
        statements = e.goal(binders, term)
        goals += statements
        groups.append(len(statements))
    done = 0
    while done < len(e.lambdas):                  # lambdas may hold lambdas
        name, term = e.lambdas[done]
        definitions.append((name, e.lambda_axioms(name, term)))
        done += 1
    symbols = {name: c for (_, c), name in e.ctor.items()}
    symbols.update({name: key[0] for key, name in e.func.items()})
    symbols.update({name: "@" for name in e.ap.values()})
    symbols.update({name: "lambda" for name, _ in e.lambdas})
    return Emitted(e.params, definitions, goals, groups, functions, e.arities, symbols)
