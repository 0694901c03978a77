"""Reader for TIP problems (SMT-LIB 2.6 with recursive functions): the natural-number
fragment, translated to an MPL theory whose goals are the problem's conjectures.

Accepted input:

- ``(declare-datatype Nat ((Z) (S (p Nat))))``: one datatype with one constant and one
  unary recursive constructor (any names).  It becomes the carrier ``N``, the base
  constant and the successor of a Peano structure whose induction axiom is written
  in the theory (as in ``axioms/peano.mpl``).
- ``define-fun`` / ``define-fun-rec`` of Nat- or Bool-valued functions with up to
  three Nat parameters (genlogic's operators are ``in2``, ``in3`` and ``in4`` atoms).
  The body may use ``match`` (on any Nat expression, with constructor patterns or
  ``_``), ``let``, ``ite``, ``and``, ``or``, ``not``, ``=>``, constructors, ``true``,
  ``false``, parameters and the functions defined so far (or being defined).  Each
  path through the case splits becomes one axiom: under its conditions,
  ``f(args) = value``.  A function is declared total and single-valued on N
  (``function1`` .. ``function3``), as its recursive definition makes it.
- Bool lives in N: ``false`` is the base constant and ``true`` its successor (a
  constant of the anchor, ``in2[Z,true,S]``), so a Bool function is an operator whose
  values are 0 and 1.
- ``(prove (forall (...) F))`` where F is built from equations and Bool terms (``t``
  for t = true, ``(not t)`` for t = false) under ``=>``, ``and``, and, in the
  conclusion only, ``not`` / ``distinct`` of an equation: one ``theorem`` per ``prove``.
- ``(assert ...)`` background lemmas are left out (a from-axioms prover must find them),
  and counted in the result.

Anything else (other datatypes or sorts, case splits inside a conjecture, a Boolean
``=`` inside a definition, functions of four or more arguments) is refused with
``TipUnsupported``, an ``MPLError`` naming file, line and column.  Nested terms are
flattened into operator atoms with fresh names, as ``axioms/peano_goals.mpl`` writes
them by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MPLError, Position, error_at, read_source

__all__ = ["Sexp", "TipProblem", "TipUnsupported", "read_sexps", "tip_to_mpl", "load_tip",
           "MAX_SEXP_DEPTH"]

# How deeply S-expressions may nest.  The translation recurses over a term's depth (a few
# frames a level); TIP problems nest about 20 levels.
MAX_SEXP_DEPTH = 100


class TipUnsupported(MPLError):
    """A construct outside the natural-number fragment genlogic reads."""


@dataclass(frozen=True)
class Sexp:
    """A symbol (``items`` is None) or a list, with its 1-based line and column."""
    symbol: str | None
    items: tuple["Sexp", ...] | None
    line: int
    column: int

    def is_list(self) -> bool:
        return self.items is not None

    def __str__(self) -> str:
        if self.items is None:
            return self.symbol
        return "(" + " ".join(str(i) for i in self.items) + ")"


_TOKEN = re.compile(r"\s+|;[^\n]*|\(|\)|\|[^|]*\||[^\s()|;]+")


def read_sexps(text: str, file: str = "<tip>") -> list[Sexp]:
    """Every top-level S-expression of ``text``; ``|quoted|`` symbols lose their bars.

    >>> [str(s) for s in read_sexps("(a (b |c d|)) ; note\\n e")]
    ['(a (b c d))', 'e']
    """
    stack: list[tuple[list[Sexp], int, int]] = [([], 0, 0)]
    line, line_start, pos = 1, 0, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:                                  # an unterminated |symbol|
            raise error_at("unterminated |symbol|", text, file, line, pos - line_start + 1)
        token = match.group()
        column = pos - line_start + 1
        if token == "(":
            if len(stack) > MAX_SEXP_DEPTH:
                raise error_at(f"S-expression nested too deeply (more than {MAX_SEXP_DEPTH} "
                               "levels)", text, file, line, column)
            stack.append(([], line, column))
        elif token == ")":
            if len(stack) == 1:
                raise error_at("unbalanced ')'", text, file, line, column)
            items, l0, c0 = stack.pop()
            stack[-1][0].append(Sexp(None, tuple(items), l0, c0))
        elif not token[0].isspace() and token[0] != ";":
            symbol = token[1:-1] if token.startswith("|") else token
            stack[-1][0].append(Sexp(symbol, None, line, column))
        newlines = token.count("\n")
        if newlines:
            line += newlines
            line_start = pos + token.rindex("\n") + 1
        pos = match.end()
    if len(stack) > 1:
        _, l0, c0 = stack[-1]
        raise error_at("'(' is never closed", text, file, l0, c0)
    return stack[0][0]


@dataclass
class TipProblem:
    """A translated problem: the MPL text and what the translation met."""
    mpl: str
    goals: list[str]
    functions: dict[str, str]            # TIP name -> MPL name
    skipped_asserts: int = 0
    source: str = ""


@dataclass
class _Case:
    """One path through a definition's matches: atoms that hold on it, and what each
    matched name turned out to be (a constant) on it."""
    atoms: list[tuple] = field(default_factory=list)       # (relation, args...)
    subst: dict[str, str] = field(default_factory=dict)

    def copy(self) -> "_Case":
        return _Case(list(self.atoms), dict(self.subst))


_MPL_NAME = re.compile(r"[A-Za-z0-9_+\-*/^=<~.'$%@|]+")
_RESERVED = {"in", "in2", "in3", "in4", "=", "N", "function1", "function2", "function3",
             "inductive", "successor", "TIP"}
_RELATION = {1: "in2", 2: "in3", 3: "in4"}          # operator atoms by number of inputs
_FUNCTION = {1: "function1[{0},N,N]", 2: "function2[{0},N,N,N]", 3: "function3[{0},N,N,N,N]"}

_PRELUDE = """\
def function1[f, X, Y] :=
  (&(>[x,y](in2[x,y,f])(&(in[x,X])(in[y,Y])))
  (&(>[x](in[x,X]) !(>[y](in[y,Y]) !(in2[x,y,f])))
    (>[x,y1,y2](&(in2[x,y1,f])(in2[x,y2,f]))(=[y1,y2]))))

def function2[f, X, Y, Z] :=
  (&(>[x,y,z](in3[x,y,z,f])(&(in[x,X])(&(in[y,Y])(in[z,Z]))))
  (&(>[x,y](&(in[x,X])(in[y,Y])) !(>[z](in[z,Z]) !(in3[x,y,z,f])))
    (>[x,y,z1,z2](&(in3[x,y,z1,f])(in3[x,y,z2,f]))(=[z1,z2]))))

def function3[f, X, Y, Z, W] :=
  (&(>[x,y,z,w](in4[x,y,z,w,f])(&(in[x,X])(&(in[y,Y])(&(in[z,Z])(in[w,W])))))
  (&(>[x,y,z](&(in[x,X])(&(in[y,Y])(in[z,Z]))) !(>[w](in[w,W]) !(in4[x,y,z,w,f])))
    (>[x,y,z,w1,w2](&(in4[x,y,z,w1,f])(in4[x,y,z,w2,f]))(=[w1,w2]))))

def inductive[N, z, s] :=
  (>[M](&(in[z,M])(>[n,m](&(in[n,M])(in2[n,m,s]))(in[m,M])))(>[n](in[n,N])(in[n,M])))

def successor[N, z, s] :=
  (&(in[z,N])
  (&(function1[s,N,N])
  (&(>[n](in[n,N]) !(in2[n,z,s]))
  (&(>[n1,n2,m](&(in2[n1,m,s])(in2[n2,m,s]))(=[n1,n2]))
    (inductive[N,z,s])))))
"""


class _Translator:
    def __init__(self, text: str, file: str):
        self.text, self.file = text, file
        self.names: dict[str, str] = {}          # TIP symbol -> MPL name (global ones)
        self.arity: dict[str, int] = {}          # functions, constants (0)
        self.zero = self.succ = self.nat = None
        self.true = None                         # MPL name of Bool's true (s(zero)), once used
        self.fresh = 0

    # -- errors and names ----------------------------------------------------------------
    def unsupported(self, node: Sexp, what: str) -> TipUnsupported:
        lines = self.text.splitlines()
        source = lines[node.line - 1] if 0 < node.line <= len(lines) else None
        return TipUnsupported(what, Position(self.file, node.line, node.column), source)

    def global_name(self, symbol: str) -> str:
        name = "".join(ch if _MPL_NAME.fullmatch(ch) else "_" for ch in symbol) or "_"
        taken = set(self.names.values()) | _RESERVED
        while name in taken or _is_variable(name):
            name += "'"
        self.names[symbol] = name
        return name

    def true_name(self) -> str:
        """Bool is encoded in N: false is the base constant, true its successor (a
        constant of its own, made on first use)."""
        if self.true is None:
            self.true = self.global_name("true")
        return self.true

    def new_var(self) -> str:
        self.fresh += 1
        return f"v{self.fresh}"

    # -- top level -----------------------------------------------------------------------
    def translate(self) -> TipProblem:
        commands = read_sexps(self.text, self.file)
        definitions: list[str] = []
        goals: list[tuple[str, str]] = []
        functions: dict[str, str] = {}
        asserts = 0
        for command in commands:
            if not command.is_list() or not command.items or command.items[0].is_list():
                raise self.unsupported(command, "expected a command like (define-fun-rec ...)")
            head = command.items[0].symbol
            if head == "declare-datatype":
                self.datatype(command)
            elif head in ("define-fun", "define-fun-rec", "prove") and self.zero is None:
                raise self.unsupported(command, "declare the Nat datatype before this")
            elif head in ("define-fun", "define-fun-rec"):
                name, text = self.function(command)
                functions[command.items[1].symbol] = name
                definitions.append(text)
            elif head == "prove":
                goals.append((f"goal{len(goals) + 1}" if goals else "goal", self.goal(command)))
            elif head == "assert":
                asserts += 1
            elif head in ("set-logic", "set-info", "set-option", "check-sat", "exit"):
                continue
            else:
                raise self.unsupported(command.items[0], f"{head!r} is not supported")
        if self.zero is None:
            raise MPLError(f"{self.file}: no (declare-datatype Nat ...) found")
        if not goals:
            raise MPLError(f"{self.file}: no (prove ...) found")
        params = ["N", self.zero, self.succ] + ([self.true] if self.true else []) \
            + [self.names[f] for f in self.arity]
        parts = ["(successor[N," + self.zero + "," + self.succ + "])"]
        if self.true:
            parts.append(f"(in2[{self.zero},{self.true},{self.succ}])")
        parts += [f"(def_{i}[{','.join(params)}])" for i in range(len(definitions))]
        anchor = parts[-1]
        for part in reversed(parts[:-1]):
            anchor = f"(&{part}{anchor})"
        out = [f"# Translated by genlogic from the TIP problem {Path(self.file).name}.",
               "# Nat is N with base constant and successor; each function is defined by",
               "# its recursion equations (one axiom per path through its case splits).", "",
               _PRELUDE]
        for i, text in enumerate(definitions):
            out.append(f"def def_{i}[{','.join(params)}] :=\n  {text}\n")
        out.append(f"anchor TIP[{','.join(params)}] :=\n  {anchor}\n")
        for name, statement in goals:
            out.append(f"theorem {name} :=\n  {statement}\n")
        if asserts:
            out.append(f"# {asserts} background assertion(s) of the problem are left out.")
        return TipProblem("\n".join(out) + "\n", [g for g, _ in goals], functions, asserts,
                          self.file)

    def datatype(self, node: Sexp) -> None:
        items = node.items
        if self.zero is not None:
            raise self.unsupported(node, "only one datatype (Nat) is supported")
        if len(items) != 3 or items[1].is_list() or not items[2].is_list():
            raise self.unsupported(node, "expected (declare-datatype Nat ((Z) (S (p Nat))))")
        self.nat = items[1].symbol
        constructors = items[2].items
        nullary = [c for c in constructors if c.is_list() and len(c.items) == 1]
        unary = [c for c in constructors if c.is_list() and len(c.items) == 2
                 and c.items[1].is_list() and len(c.items[1].items) == 2
                 and c.items[1].items[1].symbol == self.nat]
        if len(constructors) != 2 or len(nullary) != 1 or len(unary) != 1:
            raise self.unsupported(node, "the datatype must have one constant and one "
                                         "unary recursive constructor")
        self.zero_symbol = nullary[0].items[0].symbol
        self.succ_symbol = unary[0].items[0].symbol
        self.zero = self.global_name(self.zero_symbol)
        self.succ = self.global_name(self.succ_symbol)
        self.selector = unary[0].items[1].items[0].symbol

    # -- definitions -----------------------------------------------------------------------
    def function(self, node: Sexp) -> tuple[str, str]:
        items = node.items
        if len(items) != 5 or items[1].is_list() or not items[2].is_list():
            raise self.unsupported(node, "expected (define-fun NAME ((x Nat) ...) Nat BODY)")
        symbol = items[1].symbol
        params = []
        for p in items[2].items:
            if not p.is_list() or len(p.items) != 2 or p.items[1].symbol != self.nat:
                raise self.unsupported(p, f"parameters must be (x {self.nat})")
            params.append(p.items[0].symbol)
        if items[3].symbol == "Bool":
            self.true_name()
        elif items[3].symbol != self.nat:
            raise self.unsupported(items[3], f"only {self.nat}- and Bool-valued functions are "
                                             f"supported (this one returns {items[3]})")
        if len(params) > 3:
            raise self.unsupported(node, f"{symbol} takes {len(params)} arguments; genlogic's "
                                         "operators take one to three")
        name = self.global_name(symbol)
        self.arity[symbol] = len(params)
        self.fresh = 0
        env = {p: self.new_var() for p in params}
        axioms = []
        for case, value in self.expand(items[4], env, _Case()):
            head = [case.subst.get(env[p], env[p]) for p in params]
            value = case.subst.get(value, value)
            if not params:
                conclusion = ("=", value, name)
            else:
                conclusion = (_RELATION[len(params)], *head, value, name)
            axioms.append(self.implication(case, conclusion))
        if params:
            axioms.insert(0, "(" + _FUNCTION[len(params)].format(name) + ")")
        else:
            axioms.insert(0, f"(in[{name},N])")
        return name, _conjunction(axioms)

    def implication(self, case: _Case, conclusion: tuple) -> str:
        atoms = [tuple(case.subst.get(a, a) for a in atom) for atom in case.atoms]
        atoms = [a for a in atoms if not (a[0] == "=" and a[1] == a[2])]
        variables = []
        for atom in atoms + [conclusion]:
            for a in atom[1:]:
                if _is_variable(a) and a not in variables:
                    variables.append(a)
        guarded = {a for atom in atoms for a in atom[1:]}
        atoms += [("in", v, "N") for v in variables if v not in guarded]
        text = _atom(conclusion)
        if not atoms:                         # no condition on this path
            return text
        return f"(>[{','.join(variables)}]{_conjunction([_atom(a) for a in atoms])}{text})"

    def expand(self, node: Sexp, env: dict[str, str], case: _Case):
        """Every (case, name of the value) of an expression: matches split the case."""
        if not node.is_list():
            symbol = node.symbol
            if symbol in env:
                yield case, env[symbol]
            elif symbol == self.zero_symbol or symbol == "false":
                yield case, self.zero
            elif symbol == "true":
                yield case, self.true_name()
            elif self.arity.get(symbol) == 0:
                yield case, self.names[symbol]
            else:
                raise self.unsupported(node, f"unknown name {symbol!r}")
            return
        if not node.items or node.items[0].is_list():
            raise self.unsupported(node, "expected an application (f x ...)")
        head, args = node.items[0].symbol, node.items[1:]
        if head == "match":
            yield from self.match(node, env, case)
            return
        if head == "let":
            yield from self.let(node, env, case)
            return
        if head in ("ite", "and", "or", "not", "=>"):
            yield from self.boolean(node, env, case)
            return
        if head in ("=", "distinct"):
            raise self.unsupported(node.items[0], f"a Boolean {head!r} inside a definition is not "
                                                  "supported")
        if head == self.succ_symbol or head in self.arity:
            if head == self.succ_symbol:
                relation, function = "in2", self.succ
                if len(args) != 1:
                    raise self.unsupported(node, f"{head} takes one argument")
            else:
                function = self.names[head]
                if len(args) != self.arity[head]:
                    raise self.unsupported(node, f"{head} takes {self.arity[head]} argument(s)")
                if not args:
                    yield case, function
                    return
                relation = _RELATION[len(args)]
            for done, inputs in self._expand_all(args, env, case):
                out = self.new_var()
                done = done.copy()
                done.atoms.append((relation, *inputs, out, function))
                yield done, out
            return
        if head == self.selector:
            raise self.unsupported(node, f"the selector {head} is not supported; use match")
        raise self.unsupported(node.items[0], f"{head!r} is not supported")

    def boolean(self, node: Sexp, env, case):
        """ite and the connectives, as case splits on the value of a condition."""
        head, args = node.items[0].symbol, node.items[1:]
        arity = {"ite": 3, "not": 1, "=>": 2}.get(head)
        if (arity is not None and len(args) != arity) or not args:
            raise self.unsupported(node, f"{head} takes {arity or 'some'} argument(s)")
        true, false = self.true_name(), self.zero
        for done, value in self.expand(args[0], env, case):
            for truth in (True, False):
                split = self._assume(done, value, truth)
                if split is None:
                    continue
                if head == "ite":
                    yield from self.expand(args[1] if truth else args[2], env, split)
                elif head == "not":
                    yield split, false if truth else true
                elif head == "=>" and not truth:
                    yield split, true
                elif head == "=>":
                    yield from self.expand(args[1], env, split)
                elif (head == "and") != truth:          # and: a false part; or: a true one
                    yield split, false if head == "and" else true
                elif len(args) == 1:
                    yield split, true if head == "and" else false
                else:
                    rest = Sexp(None, (node.items[0],) + args[1:], node.line, node.column)
                    yield from self.boolean(rest, env, split)

    def _assume(self, case: _Case, value: str, truth: bool) -> _Case | None:
        """The case narrowed by "value is true" (or false); None when it cannot be."""
        wanted, other = (self.true_name(), self.zero) if truth else (self.zero, self.true_name())
        target = case.subst.get(value, value)
        if target == other:
            return None
        split = case.copy()
        if _is_variable(target):
            split.subst[target] = wanted
        elif target != wanted:
            split.atoms.append(("=", target, wanted))
        return split

    def _expand_all(self, args, env, case):
        if not args:
            yield case, []
            return
        for first_case, first in self.expand(args[0], env, case):
            for rest_case, rest in self._expand_all(args[1:], env, first_case):
                yield rest_case, [first] + rest

    def match(self, node: Sexp, env, case):
        if len(node.items) != 3 or not node.items[2].is_list():
            raise self.unsupported(node, "expected (match x (...cases))")
        branches = node.items[2].items
        for branch in branches:
            if not branch.is_list() or len(branch.items) != 2:
                raise self.unsupported(branch, "expected (PATTERN BODY)")
        for scrutinee_case, scrutinee in self.expand(node.items[1], env, case):
            covered: set[str] = set()
            for pattern, body in (b.items for b in branches):
                for kind in self._pattern_kinds(pattern, covered):
                    split = scrutinee_case.copy()
                    inner = dict(env)
                    target = split.subst.get(scrutinee, scrutinee)
                    if kind == "zero":
                        if _is_variable(target):
                            split.subst[target] = self.zero
                        elif target != self.zero:
                            split.atoms.append(("=", target, self.zero))
                    elif target == self.zero:
                        continue                        # Z never matches (S x)
                    else:
                        predecessor = self.new_var()
                        split.atoms.append(("in2", predecessor, target, self.succ))
                        if pattern.is_list():
                            inner[pattern.items[1].symbol] = predecessor
                    yield from self.expand(body, inner, split)

    def _pattern_kinds(self, pattern: Sexp, covered: set[str]) -> list[str]:
        if not pattern.is_list():
            if pattern.symbol == self.zero_symbol:
                kinds = ["zero"]
            elif pattern.symbol == "_":
                kinds = [k for k in ("zero", "succ") if k not in covered]
            else:
                raise self.unsupported(pattern, f"unknown pattern {pattern.symbol!r}")
        elif len(pattern.items) == 2 and pattern.items[0].symbol == self.succ_symbol \
                and not pattern.items[1].is_list():
            kinds = ["succ"]
        else:
            raise self.unsupported(pattern, "patterns are Z, (S x) or _")
        kinds = [k for k in kinds if k not in covered]
        covered.update(kinds)
        return kinds

    def let(self, node: Sexp, env, case):
        if len(node.items) != 3 or not node.items[1].is_list():
            raise self.unsupported(node, "expected (let ((x e) ...) body)")
        bindings = node.items[1].items
        for binding in bindings:
            if not binding.is_list() or len(binding.items) != 2 or binding.items[0].is_list():
                raise self.unsupported(binding, "expected (x e)")

        def bind(i, inner, current):
            if i == len(bindings):
                yield from self.expand(node.items[2], inner, current)
                return
            name, value = bindings[i].items
            for done, result in self.expand(value, env, current):
                yield from bind(i + 1, {**inner, name.symbol: result}, done)

        yield from bind(0, dict(env), case)

    # -- goals -----------------------------------------------------------------------------
    def goal(self, node: Sexp) -> str:
        if len(node.items) != 2:
            raise self.unsupported(node, "expected (prove FORMULA)")
        self.fresh = 0
        formula = node.items[1]
        env: dict[str, str] = {}
        if formula.is_list() and formula.items and formula.items[0].symbol == "forall":
            if len(formula.items) != 3 or not formula.items[1].is_list():
                raise self.unsupported(formula, "expected (forall ((x Nat) ...) F)")
            for binder in formula.items[1].items:
                if not binder.is_list() or len(binder.items) != 2 \
                        or binder.items[1].symbol != self.nat:
                    raise self.unsupported(binder, f"quantified variables must be of sort {self.nat}")
                env[binder.items[0].symbol] = self.new_var()
            formula = formula.items[2]
        premises, conclusion = [], formula
        while conclusion.is_list() and conclusion.items and conclusion.items[0].symbol == "=>":
            if len(conclusion.items) != 3:
                raise self.unsupported(conclusion, "expected (=> A B)")
            premises += self._conjuncts(conclusion.items[1])
            conclusion = conclusion.items[2]
        case = _Case()
        for literal in premises:
            case, atom = self._literal(literal, env, case)
            if atom[0] == "!=":
                raise self.unsupported(literal, "a negated hypothesis is not supported")
            case.atoms.append(atom)
        literals = []
        for literal in self._conjuncts(conclusion):
            case, atom = self._literal(literal, env, case)
            literals.append(atom)
        atoms = [tuple(case.subst.get(a, a) for a in atom) for atom in case.atoms]
        literals = [tuple(case.subst.get(a, a) for a in atom) for atom in literals]
        variables = list(env.values())
        for atom in atoms + literals:
            for a in atom[1:]:
                if _is_variable(a) and a not in variables:
                    variables.append(a)
        guarded = {a for atom in atoms for a in atom[1:]}
        atoms += [("in", v, "N") for v in variables if v not in guarded]
        conclusion_text = _conjunction([_literal_text(a) for a in literals])
        if not atoms:        # a closed conjecture: a goal is an implication, (>[] P Q)
            return f"(>[]{_atom(('in', self.zero, 'N'))}{conclusion_text})"
        return f"(>[{','.join(variables)}]{_conjunction([_atom(a) for a in atoms])}{conclusion_text})"

    def _literal(self, node: Sexp, env, case: _Case) -> tuple[_Case, tuple]:
        """A conjecture's atom: ("=", l, r) or ("!=", l, r), with the atoms computing l
        and r added to the case.  A Bool term t stands for t = true."""
        if node.is_list() and node.items and node.items[0].symbol == "let":
            if len(node.items) != 3 or not node.items[1].is_list():
                raise self.unsupported(node, "expected (let ((x e) ...) body)")
            inner = dict(env)
            for binding in node.items[1].items:
                if not binding.is_list() or len(binding.items) != 2 or binding.items[0].is_list():
                    raise self.unsupported(binding, "expected (x e)")
                results = list(self.expand(binding.items[1], env, case))
                if len(results) != 1 or len(results[0][0].subst) != len(case.subst):
                    raise self.unsupported(binding, "case splits (match, ite, connectives) "
                                                    "inside a conjecture are not supported")
                case, inner[binding.items[0].symbol] = results[0]
            return self._literal(node.items[2], inner, case)
        negated = False
        if node.is_list() and node.items and node.items[0].symbol == "not":
            if len(node.items) != 2:
                raise self.unsupported(node, "not takes one argument")
            negated, node = True, node.items[1]
        head = node.items[0].symbol if node.is_list() and node.items else None
        if head in ("=", "distinct"):
            if len(node.items) != 3:
                raise self.unsupported(node, f"{head} with other than two arguments")
            sides = node.items[1:]
            negated = negated != (head == "distinct")
        else:
            sides = [node, Sexp("true", None, node.line, node.column)]
        results = list(self._expand_all(sides, env, case))
        if len(results) != 1 or len(results[0][0].subst) != len(case.subst):
            raise self.unsupported(node, "case splits (match, ite, connectives) inside a "
                                         "conjecture are not supported")
        done, (left, right) = results[0]
        if head not in ("=", "distinct") and negated:     # (not t): t = false
            return done, ("=", left, self.zero)
        return done, ("!=" if negated else "=", left, right)

    def _conjuncts(self, node: Sexp) -> list[Sexp]:
        if node.is_list() and node.items and node.items[0].symbol == "and":
            return [c for item in node.items[1:] for c in self._conjuncts(item)]
        return [node]

def _is_variable(name: str) -> bool:
    return re.fullmatch(r"v[0-9]+", name) is not None


def _atom(atom: tuple) -> str:
    return f"({atom[0]}[{','.join(atom[1:])}])"


def _literal_text(atom: tuple) -> str:
    return "!" + _atom(("=",) + atom[1:]) if atom[0] == "!=" else _atom(atom)


def _conjunction(parts: list[str]) -> str:
    if not parts:
        raise ValueError("empty conjunction")
    text = parts[-1]
    for part in reversed(parts[:-1]):
        text = f"(&{part}{text})"
    return text


def tip_to_mpl(text: str, file: str = "<tip>") -> TipProblem:
    """Translate the text of a TIP problem; raises ``TipUnsupported`` / ``MPLError``."""
    try:
        return _Translator(text, file).translate()
    except RecursionError:        # e.g. (and a1 ... a5000): the connectives recurse per part
        raise MPLError(f"{file}: the problem is nested too deeply to translate") from None


def load_tip(path: str | Path) -> TipProblem:
    path = Path(path)
    return tip_to_mpl(read_source(path, "TIP problem"), str(path))
