"""Readable form (DESIGN 3.6): MPL statements as infix text, relational chains as terms.

``(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))`` prints as ``∀a b. a + b = b + a``.

How a statement is read
-----------------------
The text is read the way ``genlogic.mpl.infix`` parses it back:

- ``∀x y. H1 ∧ H2 → C1 ∧ C2``: for all x, y, the hypotheses imply the conclusions.
  Nested implications print as one level (``∀x. A → ∀y. B → C`` is ``∀x y. A ∧ B → C``);
  an implication inside a formula is parenthesized; ``∃x. A ∧ B`` is ``!(>[x]A!B)``.
- A compound term ``f(t)`` / ``t + u`` stands for its *value*: a variable v, quantified by
  the innermost ``∀`` that binds one of the term's variables (a term over constants only:
  by the whole statement), with the hypothesis ``f(t) = v``.  Equal terms are one value.
- An equation between an application and a name, ``f(t) = y``, written as a hypothesis,
  under ``¬`` or inside ``∃``, is the relation itself (``in2[t,y,f]``); in a conclusion
  both sides are values.  ``≠`` is always between values.  ``x ∈ X`` is ``in[x,X]``;
  any other relation prints applied, ``R(x, y)``.

Folding rule
------------
A premise ``f(x..) = y`` (``in2``/``in3``/``in4`` over an operator) of a level is shown
as the term ``f(x..)`` in place of ``y`` -- the premise and the quantifier on y disappear
-- only when all of these hold:

1. y is bound by this level, is not among x.., and no other premise of the level gives y
   as its output (so single-valuedness, ``f(x) = y1 ∧ f(x) = y2 → y1 = y2``, and
   injectivity, ``f(a) = c ∧ f(b) = c → a = b``, keep their premises);
2. no other premise of the level has the same operator and the same (folded) inputs;
3. the term mentions a variable bound by this level -- or the level is the whole
   statement and the term mentions no bound variable at all -- so the value is quantified
   exactly where the premise was;
4. the term stays visible as a presupposition: it occurs in a remaining hypothesis, or
   it occurs in the conclusion and every conjunct of the conclusion shows some term (a
   conjunct without one would read as holding unconditionally).  The graph clause of a
   function, ``∀x y. f(x) = y → x ∈ X ∧ y ∈ Y``, therefore keeps its premise: folded it
   would read ``∀x. x ∈ X ∧ f(x) ∈ Y``, every x in X;
5. y does not occur where the reading above would change the statement: as the output
   of a relation, or as one side of an equation whose other side is a plain name, under
   ``¬``, inside ``∃`` or among the hypotheses of a nested implication (such an equation
   would read as the relation); among the level's own hypotheses ``y = name`` is allowed
   only when it is the sole other use of y; and the term is not the application side of
   a relation in a conclusion (that side is read as a value, and one term is one value);
   nor is y = y a conclusion (``t = t`` is rejected as trivial by the parser).

Folding is repeated until it is stable; cycles never fold.  What is not folded prints as
an equation ``f(x) = y`` (``x + y = z`` for infix operators) among the hypotheses.

Parsing the text back gives the statement again up to renaming of bound variables, order
and grouping of conjunctions, currying, symmetry of ``=``, the one-point rule
(``∀v. v = w ∧ P(v) → Q(v)`` is ``P(w) → Q(w)``, ``∃v. v = w ∧ P(v)`` is ``P(w)``) and one
step that presupposes that f is a function -- total and single-valued at the arguments:
a conclusion ``f(x) = y`` (the relation) reads back as "the value of f(x) is y".  The
axioms that make f a function (graph, totality, single-valuedness) never need that step.

Bound variables print as ``a, b, c, ...`` in order of appearance, skipping i, l, o and
every name the statement uses freely and every operator: generated names such as
``a_1_3`` never show.  Free names print as they are.  Operators with symbolic names are
infix (precedence as in the infix parser); others are applied ``f(x, y)``.
"""

from __future__ import annotations

from itertools import count

from .ast import And, Atom, Expr, Implies, Not, atoms, flatten_and, free_names
from .signature import FUNCTION_RELATIONS, horn_view

__all__ = ["readable", "term_text"]

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
_LETTERS = "abcdefghjkmnpqrtuvwxyz"


def _is_symbolic(name: str) -> bool:
    return not any(ch.isalnum() or ch == "_" for ch in name)


def _prec(op: str) -> int:
    return _PRECEDENCE.get(op, 0)     # unknown symbols bind loosest (as the infix parser reads them)


def term_text(term, operators: set[str]) -> str:
    """Render a term tree: a name, or (operator, (subterms...))."""
    if isinstance(term, str):
        return term
    op, args = term
    if len(args) == 2 and _is_symbolic(op):
        left, right = args
        lt, rt = term_text(left, operators), term_text(right, operators)
        if _needs_parens(left, op, right_side=False):
            lt = f"({lt})"
        if _needs_parens(right, op, right_side=True):
            rt = f"({rt})"
        return f"{lt} {op} {rt}"
    return f"{op}({', '.join(term_text(a, operators) for a in args)})"


def _needs_parens(child, op: str, right_side: bool) -> bool:
    if isinstance(child, str):
        return False
    child_op, child_args = child
    if not (len(child_args) == 2 and _is_symbolic(child_op)):
        return False
    if _prec(child_op) < _prec(op):
        return True
    if _prec(child_op) == _prec(op):
        return right_side if op != "^" else not right_side
    return False


def readable(expr: Expr, operators: set[str] | None = None) -> str:
    """The readable form of a statement; ``operators`` are the function relations'
    names (defaults to every name used as the last argument of in2/in3/in4).

    >>> from genlogic.mpl.parser import parse_expr
    >>> readable(parse_expr("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))"))
    '∀a b. a + b = b + a'
    >>> readable(parse_expr("(>[x,y](in2[x,y,s])(&(in[x,N])(in[y,N])))"))
    '∀a b. s(a) = b → a ∈ N ∧ b ∈ N'
    """
    if operators is None:
        operators = {a.args[-1] for a in atoms(expr) if a.name in FUNCTION_RELATIONS}
    return _Printer(set(operators), expr).text


# -- helpers over statements with bound names renamed apart ----------------------------------
def _names(expr: Expr) -> set[str]:
    return {n for a in atoms(expr) for n in a.args}


def _leaves(term) -> set[str]:
    if isinstance(term, str):
        return {term}
    return {n for arg in term[1] for n in _leaves(arg)}


def _walk(expr: Expr, fact: bool):
    """(atom, read_as_fact) for every atom: hypotheses, ``¬`` and ``∃`` bodies are facts,
    conclusions and the two sides of ``≠`` are values."""
    if isinstance(expr, Atom):
        yield expr, fact
    elif isinstance(expr, And):
        for part in flatten_and(expr):
            yield from _walk(part, fact)
    elif isinstance(expr, Not):
        body = expr.body
        if isinstance(body, Implies) and body.vars and isinstance(body.conclusion, Not):
            for part in flatten_and(body.premise) + flatten_and(body.conclusion.body):
                yield from _walk(part, True)                      # ∃
        elif isinstance(body, Atom) and body.name == "=":
            yield body, False                                     # ≠
        else:
            yield from _walk(body, True)
    else:
        view = horn_view(expr)
        for p in view.premises:
            yield from _walk(p, True)
        yield from _walk(view.conclusion, False)


class _Printer:
    def __init__(self, operators: set[str], expr: Expr):
        self.ops = operators
        self.bound: set[str] = set()
        self.fresh = count()
        renamed = self._apart(expr, {})
        avoid = set(free_names(expr)) | operators
        self.pool = (n for n in self._candidates() if n not in avoid)
        self.shown: dict[str, str] = {}
        self.env: dict[str, object] = {}
        if isinstance(renamed, Implies):
            self.text = self.level(renamed, top=True)
        else:
            self.text = self.formula(renamed, sole=True)

    # every binder gets a name of its own ("\0" + number), so scopes never clash
    def _apart(self, expr: Expr, env: dict) -> Expr:
        if isinstance(expr, Atom):
            return Atom(expr.name, tuple(env.get(a, a) for a in expr.args))
        if isinstance(expr, And):
            return And(self._apart(expr.left, env), self._apart(expr.right, env))
        if isinstance(expr, Not):
            return Not(self._apart(expr.body, env))
        inner = dict(env)
        new = []
        for v in expr.vars:
            inner[v] = name = f"\0{next(self.fresh)}"
            self.bound.add(name)
            new.append(name)
        return Implies(tuple(new), self._apart(expr.premise, inner),
                       self._apart(expr.conclusion, inner))

    @staticmethod
    def _candidates():
        yield from _LETTERS
        for k in count(1):
            for ch in _LETTERS:
                yield f"{ch}{k}"

    def name(self, n: str) -> str:
        if n not in self.bound:
            return n
        if n not in self.shown:
            self.shown[n] = next(self.pool)
        return self.shown[n]

    def show(self, term) -> str:
        def plain(t):
            return self.name(t) if isinstance(t, str) else (t[0], tuple(plain(a) for a in t[1]))
        return term_text(plain(term), self.ops)

    def value(self, n: str) -> str:
        return self.show(self.env.get(n, n))

    def relation(self, atom: Atom):
        """(operator, inputs, output) when ``atom`` is f(inputs) = output, else None."""
        n_in = FUNCTION_RELATIONS.get(atom.name)
        if n_in is None or len(atom.args) != n_in + 2 or atom.args[-1] not in self.ops:
            return None
        return atom.args[-1], atom.args[:n_in], atom.args[n_in]

    # -- one level: ∀vars. hypotheses → conclusions --------------------------------------------
    def level(self, expr: Implies, top: bool) -> str:
        view = horn_view(expr)
        conclusions = flatten_and(view.conclusion)
        folded = self._folds(view.vars, view.premises, conclusions, top)
        shown = [v for v in view.vars if v not in folded]
        kept = [p for p in view.premises if not any(p is d for d in folded.values())]
        quantified = " ".join(self.name(v) for v in shown)
        hyps = [self.formula(p, sole=False) for p in kept]
        concl = " ∧ ".join(self.formula(c, sole=len(conclusions) == 1) for c in conclusions)
        body = f"{' ∧ '.join(hyps)} → {concl}" if hyps else concl
        return f"∀{quantified}. {body}" if shown else body

    def _folds(self, vars_, premises, conclusions, top: bool) -> dict[str, Atom]:
        """The premises this level shows as terms (the rule in the module docstring)."""
        level_vars = set(vars_)
        rels = [(p, self.relation(p)) for p in premises if isinstance(p, Atom)]
        rels = [(p, r) for p, r in rels if r is not None]
        outputs: dict[str, int] = {}
        for _, (_, _, out) in rels:
            outputs[out] = outputs.get(out, 0) + 1
        cand = {out: p for p, (_, ins, out) in rels
                if out in level_vars and outputs[out] == 1 and out not in ins}
        while True:
            terms, inner = self._resolve(cand)
            drop = {y for y in cand if y not in terms}                # cycles
            apps = [(op, tuple(self._term(a, terms) for a in ins)) for _, (op, ins, _) in rels]
            value_apps, facts = [], []
            for p, is_premise in [(p, True) for p in premises] + [(c, False) for c in conclusions]:
                if is_premise and isinstance(p, Atom):
                    continue                            # the level's own hypotheses
                for atom, fact in _walk(p, is_premise):
                    (facts if fact else value_apps).append(atom)
            value_apps = [(r[0], tuple(self._term(a, terms) for a in r[1]))
                          for r in map(self.relation, value_apps) if r is not None]
            kept = [p for p in premises if not any(p is cand[y] for y in cand)]
            uses = list(premises) + list(conclusions)
            termed = set(terms) | set(self.env)             # names that print as terms
            for y, t in terms.items():
                users = {y} | {z for z in terms if y in inner[z]}
                leaves = _leaves(t)
                if apps.count(t) > 1 or t in value_apps:                          # 2, 5
                    drop.add(y)
                elif Atom("=", (y, y)) in conclusions:       # t = t would read as trivial
                    drop.add(y)
                elif not (leaves & level_vars or (top and not leaves & self.bound)):  # 3
                    drop.add(y)
                elif not (any(_names(p) & users for p in kept)
                          or any(_names(c) & users for c in conclusions)
                          and all(_names(c) & termed for c in conclusions)):        # 4
                    drop.add(y)
                elif any(self._blocks(a, y, cand) for a in facts):                   # 5
                    drop.add(y)
                elif any(self._blocks(p, y, cand, relations=False) for p in kept) and \
                        sum(y in a.args for e in uses for a in atoms(e)) > 2:
                    drop.add(y)          # y = name is the relation only where y is used once
            if not drop:
                for y, t in terms.items():
                    self.env[y] = t
                return {y: cand[y] for y in vars_ if y in cand}
            for y in drop:
                del cand[y]

    def _blocks(self, atom: Expr, y: str, cand, relations: bool = True) -> bool:
        if not isinstance(atom, Atom):
            return False
        if atom.name == "=" and len(atom.args) == 2:
            for side, other in (atom.args, atom.args[::-1]):
                if side == y and other not in cand and other not in self.env:
                    return True
            return False
        rel = self.relation(atom) if relations else None
        return rel is not None and rel[2] == y

    def _resolve(self, cand):
        terms: dict[str, object] = {}
        inner: dict[str, set[str]] = {}
        for y in cand:
            seen: set[str] = set()
            term = self._expand(y, cand, [], seen)
            if term is not None:
                terms[y], inner[y] = term, seen
        return terms, inner

    def _expand(self, y, cand, stack, seen):
        if y in stack:
            return None
        op, ins, _ = self.relation(cand[y])
        args = []
        for a in ins:
            if a in cand:
                seen.add(a)
                sub = self._expand(a, cand, stack + [y], seen)
                if sub is None:
                    return None
                args.append(sub)
            else:
                args.append(self.env.get(a, a))
        return op, tuple(args)

    def _term(self, name, terms):
        return terms.get(name, self.env.get(name, name))

    # -- formulas ----------------------------------------------------------------------------
    def formula(self, expr: Expr, sole: bool) -> str:
        """``sole``: the formula is a whole conclusion, so an ∃ needs no parentheses."""
        if isinstance(expr, Atom):
            return self.atom(expr)
        if isinstance(expr, And):
            return " ∧ ".join(self.formula(p, sole=False) for p in flatten_and(expr))
        if isinstance(expr, Implies):
            return f"({self.level(expr, top=False)})"
        body = expr.body
        if isinstance(body, Implies) and body.vars and isinstance(body.conclusion, Not):
            quantified = " ".join(self.name(v) for v in body.vars)
            parts = flatten_and(body.premise) + flatten_and(body.conclusion.body)
            text = f"∃{quantified}. {' ∧ '.join(self.formula(p, sole=False) for p in parts)}"
            return text if sole else f"({text})"
        if isinstance(body, Atom) and body.name == "=" and len(body.args) == 2:
            return f"{self.value(body.args[0])} ≠ {self.value(body.args[1])}"
        if isinstance(body, Implies):
            return f"¬({self.level(body, top=False)})"
        return f"¬({self.formula(body, sole=True)})"

    def atom(self, atom: Atom) -> str:
        args = atom.args
        if atom.name == "=" and len(args) == 2:
            return f"{self.value(args[0])} = {self.value(args[1])}"
        rel = self.relation(atom)
        if rel is not None:
            op, ins, out = rel
            app = self.show((op, tuple(self.env.get(a, a) for a in ins)))
            if out in self.env:                  # a term reads first: a + b = b + a
                return f"{self.value(out)} = {app}"
            return f"{app} = {self.value(out)}"
        if atom.name == "in" and len(args) == 2:
            return f"{self.value(args[0])} ∈ {self.value(args[1])}"
        return f"{atom.name}({', '.join(self.value(a) for a in args)})"
