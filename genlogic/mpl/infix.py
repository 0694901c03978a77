"""Readable input (DESIGN 3.6, the reverse of ``readable.py``): statements written over a
theory's operators, turned into MPL.  Accepted forms::

    a + b = b + a                       an equation; s(a) * b: unary operators are calls
    (a + b) + c = a + (b + c)           parentheses group; add(a, b): call notation
    a + c = b + c -> a = b              hypotheses before the arrow (also =>, →)
    a = b ∧ b = c → a = c               several hypotheses (also ``&``, ``/\\``)
    forall a b. a + i0 = a              an optional leading ``forall``/``∀`` binder list
    ∀a. a ∈ N → ∃b. b ∈ N ∧ s(a) = b    membership, ∃, ¬(...), ≠, nested (∀x. A → B)
    in2(a, b, f)                        any other relation, applied to names
    (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))   MPL text (starts with "(" + "&"/">"/"R[", or "!")

Everything ``readable.py`` prints parses back; its docstring says how the text is read (a
compound term is a value quantified by the innermost ∀ binding one of its variables, or by
the whole statement; ``f(t) = y`` as a hypothesis, under ¬ or inside ∃ is the relation
itself; conclusions equate values).

Fixity and precedence come from the signature: an operator named by symbols only (``+``,
``^``, ``⊕``) taking two arguments is infix, every operator can be called ``f(x, y)``;
``^`` binds tighter than ``*`` and ``/``, which bind tighter than ``+`` and ``-``; ``^``
associates to the right, the others to the left; any other binary symbol gets the LOWEST
precedence and associates to the left (``a ⊕ b + c`` is ``a ⊕ (b + c)``).  The anchor's
parameters (constants ``i0``, sets ``N``) are written by name; variables are all other
identifiers (a letter or ``_`` first).  A name bound by ``∀``/``∃`` is a variable in its
scope (even a constant's name); without a leading ``∀`` the unbound ones are quantified
over the whole statement, with one every variable must be bound.

Output: ``(>[vars] (& premises) conclusion)``, bound variables renamed ``a, b, c, ...`` in
order; the premises are, per hypothesis, the definitions of its new compound terms (inner
terms first) and the hypothesis, then the definitions of the conclusion's terms.  For a
plain equation that is ``genlogic.explore.terms.equation_statement``.  Every mistake is an
:class:`~genlogic.mpl.errors.MPLError` whose column points into the text; nothing else
escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ast import Atom, Expr, Implies, Not, conj
from .errors import MPLError, error_at
from .parser import parse_expr

__all__ = ["parse_statement", "parse_readable", "ParsedStatement", "is_mpl_text",
           "statement_from_equations", "PRECEDENCE", "LOWEST"]

#: Precedence of the binary symbols whose fixity is known (higher binds tighter).
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
#: Precedence of every other binary symbolic operator: below ``+``, left-associative.
LOWEST = 0
RIGHT_ASSOC = {"^"}

_FILE = "<statement>"
_MPL_START = re.compile(r"\s*(!|\(\s*(&|>|[^\s()\[\],]+\s*\[))")
_FIXED = {**{a: "ARROW" for a in ("->", "=>", "→", "⇒", "⟹")},
          **{a: "AND" for a in ("∧", "&&", "&", "/\\")},
          "∀": "FORALL", "∃": "EXISTS", "¬": "NOT", "∈": "IN", "≠": "NE", "!=": "NE",
          "=": "EQ", "(": "LP", ")": "RP", ",": "COMMA", ".": "DOT"}
_FORMULA_TOKENS = {"EQ", "NE", "IN", "AND", "ARROW", "NOT", "EXISTS", "FORALL"}
_STRUCTURAL_CHARS = set("(),")
_MAX_LENGTH = 4000
_LETTERS = list("abcdefghjkmnpqrtuvwxyz") + [f"v{i}" for i in range(200)]


def is_mpl_text(text: str) -> bool:
    """True when ``text`` looks like MPL (``(&``, ``(>[``, ``(R[`` or ``!`` first)."""
    return bool(_MPL_START.match(text))


def _ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'"


# -- tokens -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str      # IDENT SYM LP RP COMMA EQ NE IN ARROW AND NOT FORALL EXISTS DOT END
    text: str
    offset: int


class _Source:
    def __init__(self, text: str):
        self.text = text

    def column(self, offset: int) -> int:
        return offset - self.text.rfind("\n", 0, offset)

    def error(self, message: str, offset: int) -> MPLError:
        line = self.text.count("\n", 0, offset) + 1
        return error_at(message, self.text, _FILE, line, self.column(offset))


def _tokenize(src: _Source, symbols: list[str], shown: str) -> list[_Tok]:
    """Longest match over the structural tokens and the signature's symbolic operators."""
    text = src.text
    table = dict(_FIXED)
    for sym in symbols:                  # an operator named "." wins over DOT
        table[sym] = "SYM"
    by_length = sorted(table, key=len, reverse=True)
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if _ident_char(ch) and ch != "'":
            j = i
            while j < n and _ident_char(text[j]):
                j += 1
            word = text[i:j]
            kind = "FORALL" if word == "forall" and not out else "IDENT"
            out.append(_Tok(kind, word, i))
            i = j
            continue
        match = next((s for s in by_length if text.startswith(s, i)), None)
        if match is None:
            j = i
            while j < n and not (text[j].isspace() or _ident_char(text[j])
                                 or text[j] in _STRUCTURAL_CHARS):
                j += 1
            run = text[i:max(j, i + 1)]
            if run in ("/=", "<>"):
                raise src.error(f"write ≠ (or !=), not {run!r}", i)
            raise src.error(f"unknown operator {run!r} (operators: {shown})", i)
        out.append(_Tok(table[match], match, i))
        i += len(match)
    out.append(_Tok("END", "", n))
    return out


# -- syntax trees (with positions) ------------------------------------------------------------
@dataclass
class _Node:
    """A term: kind "v" variable, "c" constant, "p" other fixed name, "op" application."""
    kind: str
    name: str
    offset: int
    args: list["_Node"] = field(default_factory=list)
    key: str = ""                  # the variable's own id, once its binder is known

    def term(self) -> tuple:
        if self.kind in ("v", "c", "p"):
            return ("v" if self.kind == "v" else "c", self.name)
        return (self.name,) + tuple(a.term() for a in self.args)


@dataclass
class _F:
    """A formula: eq ne in (left, right), rel (name, args), not/and (items),
    ex/all (binders, items = conclusions, hyps)."""
    kind: str
    offset: int
    left: _Node | None = None
    right: _Node | None = None
    name: str = ""
    items: list = field(default_factory=list)
    hyps: list = field(default_factory=list)
    binders: list | None = None    # [(name, offset)]; None: the implicit top level
    ids: dict = field(default_factory=dict)


@dataclass
class ParsedStatement:
    """A readable statement after parsing: its MPL and the top level's term equations."""

    expr: Expr
    hypotheses: list[tuple]            # (left term, right term) pairs
    conclusions: list[tuple]
    variables: dict[str, str]          # user's variable name -> canonical bound name


class _Parser:
    def __init__(self, src: _Source, tokens: list[_Tok], signature):
        self.src = src
        self.toks = tokens
        self.pos = 0
        self.ops = {op.name: op for op in signature.operators}
        self.constants = {c.name: c for c in signature.constants}
        self.fixed = set(signature.params) - set(self.ops)
        self.match: dict[int, int] = {}          # "(" index -> its ")" index
        self.formula_paren: set[int] = set()     # "(" that holds a formula, not a term
        stack: list[int] = []
        for i, tok in enumerate(tokens):
            if tok.kind == "LP":
                stack.append(i)
                nxt = tokens[i + 1]
                if nxt.kind == "IDENT" and nxt.text not in self.ops and nxt.text not in \
                        self.constants and tokens[i + 2].kind == "LP":
                    self.formula_paren.add(i)    # (R(x, y)): a relation
            elif tok.kind == "RP" and stack:
                self.match[stack.pop()] = i
            elif tok.kind in _FORMULA_TOKENS and stack:
                self.formula_paren.add(stack[-1])

    @property
    def tok(self) -> _Tok:
        return self.toks[self.pos]

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def fail(self, message: str, tok: _Tok | None = None) -> MPLError:
        tok = tok or self.tok
        return self.src.error(message, tok.offset)

    def describe(self, tok: _Tok) -> str:
        return "end of input" if tok.kind == "END" else repr(tok.text)

    def close(self, opening: _Tok, inner):
        if self.tok.kind != "RP":
            raise self.fail(f"expected ')' to close the '(' at column "
                            f"{self.src.column(opening.offset)}, got {self.describe(self.tok)}")
        self.take()
        return inner

    # formulas
    def statement(self) -> _F:
        start = self.tok.offset
        binders = self.binders() if self.tok.kind == "FORALL" else None
        hyps, concls = self.body()
        if self.tok.kind != "END":
            raise self.fail(f"unexpected {self.describe(self.tok)}")
        return _F("all", start, items=concls, hyps=hyps, binders=binders)

    def binders(self) -> list[tuple[str, int]]:
        quantifier = self.take()
        names: list[tuple[str, int]] = []
        while self.tok.kind in ("IDENT", "COMMA"):
            tok = self.take()
            if tok.kind == "COMMA":
                continue
            if tok.text in self.ops:
                raise self.fail(f"{tok.text!r} is an operator of the theory, not a variable",
                                tok)
            names.append((tok.text, tok.offset))
        if not names:
            raise self.fail(f"expected variable names after {quantifier.text!r}")
        if self.tok.kind == "DOT" or (self.tok.kind == "SYM" and self.tok.text == "."):
            self.take()
        else:
            raise self.fail(f"expected '.' after the quantified variables, "
                            f"got {self.describe(self.tok)}")
        return names

    def body(self) -> tuple[list[_F], list[_F]]:
        groups = [self.conjunction()]
        while self.tok.kind == "ARROW":
            self.take()
            groups.append(self.conjunction())
        return [f for g in groups[:-1] for f in g], groups[-1]

    def conjunction(self) -> list[_F]:
        items = [self.unary()]
        while self.tok.kind == "AND":
            self.take()
            items.append(self.unary())
        return items

    def unary(self) -> _F:
        tok = self.tok
        if tok.kind == "NOT":
            self.take()
            return _F("not", tok.offset, items=[self.unary()])
        if tok.kind == "EXISTS":
            binders = self.binders()
            return _F("ex", tok.offset, items=self.conjunction(), binders=binders)
        if tok.kind == "FORALL":
            binders = self.binders()
            hyps, concls = self.body()
            return _F("all", tok.offset, items=concls, hyps=hyps, binders=binders)
        if tok.kind == "LP" and self.pos in self.formula_paren and (self.pos in self.match or
                self.toks[self.pos + 1].kind in ("FORALL", "EXISTS", "NOT")):
            self.take()
            if self.tok.kind == "FORALL":
                inner = self.unary()
            else:
                hyps, concls = self.body()
                inner = _F("all", tok.offset, items=concls, hyps=hyps, binders=[]) if hyps \
                    else concls[0] if len(concls) == 1 else _F("and", tok.offset, items=concls)
            return self.close(tok, inner)
        if tok.kind == "IDENT" and tok.text not in self.ops and \
                self.toks[self.pos + 1].kind == "LP" and self._relation_call():
            return self.relation()
        return self.atom()

    def _relation_call(self) -> bool:
        close = self.match.get(self.pos + 1)
        if close is None:
            return False
        after = self.toks[close + 1]
        return not (after.kind in ("EQ", "NE", "IN") or self.binary(after) is not None)

    def relation(self) -> _F:
        name = self.take()
        return _F("rel", name.offset, name=name.text, items=self.arguments(name, names=True))

    def atom(self) -> _F:
        left = self.term(LOWEST)
        kinds = {"EQ": "eq", "NE": "ne", "IN": "in"}
        if self.tok.kind not in kinds:
            raise self.fail(f"expected '=' after the term, got {self.describe(self.tok)}")
        op = self.take()
        return _F(kinds[op.kind], op.offset, left=left, right=self.term(LOWEST))

    # terms
    def binary(self, tok: _Tok):
        """(precedence, right_assoc) when ``tok`` is an infix operator here, else None."""
        if tok.kind != "SYM":
            return None
        op = self.ops.get(tok.text)
        if op is None or op.arity != 2:
            return None
        return PRECEDENCE.get(op.name, LOWEST), op.name in RIGHT_ASSOC

    def term(self, min_prec: int) -> _Node:
        left = self.primary()
        while True:
            tok = self.tok
            if tok.kind == "SYM" and tok.text in self.ops and self.ops[tok.text].arity != 2:
                raise self.fail(f"{tok.text!r} takes {self.ops[tok.text].arity} argument(s); "
                                f"write {tok.text}(x)", tok)
            info = self.binary(tok)
            if info is None:
                return left
            prec, right_assoc = info
            if prec < min_prec:
                return left
            self.take()
            right = self.term(prec if right_assoc else prec + 1)
            left = _Node("op", tok.text, tok.offset, [left, right])

    def primary(self) -> _Node:
        tok = self.tok
        if tok.kind == "LP":
            self.take()
            return self.close(tok, self.term(LOWEST))
        if tok.kind in ("IDENT", "SYM") and tok.text in self.ops \
                and self.toks[self.pos + 1].kind == "LP":
            return self.call()
        if tok.kind == "IDENT":
            self.take()
            name = tok.text
            if name in self.ops:
                op = self.ops[name]
                raise self.fail(f"operator {name!r} needs {op.arity} argument(s): "
                                f"{name}({', '.join('xyz'[:op.arity])})", tok)
            if self.tok.kind == "LP":
                raise self.fail(f"{name!r} is not an operator of the theory "
                                f"(operators: {', '.join(self.ops) or 'none'})", tok)
            if name in self.constants:
                return _Node("c", name, tok.offset)
            if name in self.fixed:
                return _Node("p", name, tok.offset)
            if not (name[0].isalpha() or name[0] == "_"):
                known = ", ".join(self.constants) or "none"
                raise self.fail(f"{name!r} is not a constant of the theory (constants: "
                                f"{known}); a variable starts with a letter", tok)
            return _Node("v", name, tok.offset)
        if tok.kind == "SYM":
            raise self.fail(f"expected a term before {tok.text!r}", tok)
        if tok.kind == "END":
            raise self.fail("expected a term, got end of input", tok)
        raise self.fail(f"expected a term, got {self.describe(tok)}", tok)

    def call(self) -> _Node:
        name_tok = self.take()
        op = self.ops[name_tok.text]
        args = self.arguments(name_tok, names=False)
        if len(args) != op.arity:
            raise self.fail(f"{op.name!r} takes {op.arity} argument(s), got {len(args)}",
                            name_tok)
        return _Node("op", op.name, name_tok.offset, args)

    def arguments(self, name: _Tok, names: bool) -> list[_Node]:
        """``(t, u, ...)`` after ``name``; ``names``: a bare operator is a name (R(+, N))."""
        self.take()                                   # "("
        args: list[_Node] = []
        while self.tok.kind != "RP" or args:
            tok = self.tok
            if names and tok.kind in ("IDENT", "SYM") and tok.text in self.ops and \
                    self.toks[self.pos + 1].kind in ("COMMA", "RP"):
                args.append(_Node("p", self.take().text, tok.offset))
            else:
                args.append(self.term(LOWEST))
            if self.tok.kind != "COMMA":
                break
            self.take()
        if self.tok.kind != "RP":
            raise self.fail(f"expected ',' or ')' in the arguments of {name.text!r}, "
                            f"got {self.describe(self.tok)}")
        self.take()
        return args


# -- scopes: every variable occurrence to the binder it names ---------------------------------
def _resolve(src: _Source | None, top: _F) -> list[_F]:
    """Give every variable node the id of its binder (``∀``/``∃``, or the implicit top);
    the equations, for the sort check."""
    strict = top.binders is not None
    fresh = iter(range(1 << 30))
    stack: list[_F] = []
    equations: list[_F] = []

    def node(n: _Node) -> None:
        for arg in n.args:
            node(arg)
        if n.kind == "op":
            return
        for scope in reversed(stack):
            if n.name in scope.ids:
                n.kind, n.key = "v", scope.ids[n.name]
                return
        if n.kind != "v":
            return
        if strict:
            raise src.error(f"variable {n.name!r} is not bound by the leading 'forall'",
                            n.offset)
        n.key = top.ids.setdefault(n.name, f"\0u{next(fresh)}")

    def walk(f: _F) -> None:
        if f.kind in ("eq", "ne"):
            equations.append(f)
        if f.kind in ("all", "ex"):
            f.ids = {name: f"\0u{next(fresh)}" for name, _ in f.binders or ()}
            stack.append(f)
        if f.kind == "rel":
            for n in f.items:
                node(n)
        else:
            for n in (f.left, f.right):
                if n is not None:
                    node(n)
            for sub in f.hyps + f.items:
                walk(sub)
        if f.kind in ("all", "ex"):
            stack.pop()

    walk(top)
    return equations


# -- sorts ----------------------------------------------------------------------------------
def _check_sorts(src: _Source, equations: list[_F], signature) -> None:
    """Every operator argument, constant and both sides of each equation in one set."""
    ops = {op.name: op for op in signature.operators}
    consts = {c.name: c.type for c in signature.constants}
    sorts: dict[str, str] = {}
    changed = [True]

    def infer(node: _Node, expected: str | None) -> str | None:
        if node.kind == "op":
            op = ops[node.name]
            for arg, dom in zip(node.args, op.domain):
                infer(arg, dom)
            have = op.codomain
        else:
            have = sorts.get(node.key) if node.kind == "v" else consts.get(node.name)
        if expected is None or have == expected:
            return have
        if have is None and node.kind == "v":
            sorts[node.key] = expected
            changed[0] = True
            return expected
        if have is not None:
            message = {"op": f"{node.name!r} gives {have}, expected {expected}",
                       "v": f"variable {node.name!r} is used in {have} and in {expected}"}.get(
                node.kind, f"constant {node.name!r} is in {have}, expected {expected}")
            raise src.error(f"type error: {message}", node.offset)
        return have

    for _ in range(len(equations) + 2):
        if not changed[0]:
            break
        changed[0] = False
        for eq in equations:
            ls = infer(eq.left, None)
            rs = infer(eq.right, ls)
            if ls is None and rs is not None:
                infer(eq.left, rs)
            elif ls is not None and rs is not None and ls != rs:
                raise src.error(f"type error: the left side is in {ls}, the right side in {rs}",
                                eq.offset)


# -- building the MPL ---------------------------------------------------------------------------
class _Scope:
    """A binder's level while it is built: its variables in order of first use, the values
    of its compound terms in order of creation, and its premises (or ∃ conjuncts)."""

    def __init__(self, f: _F):
        self.users: list[str] = []
        self.values: list[str] = []
        self.premises: list[Expr] = []
        self.terms: dict[tuple, str] = {}
        self.binds = set(f.ids.values())


class _Fail(Exception):
    """A statement that cannot be built; the entry points add the source position."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message, self.offset = message, offset


class _Builder:
    def __init__(self, signature):
        self.operator = signature.operator
        self.stack: list[_Scope] = []
        self.owner: dict[str, _Scope] = {}
        self.count = 0

    def push(self, f: _F) -> _Scope:
        scope = _Scope(f)
        for key in f.ids.values():
            self.owner[key] = scope
        self.stack.append(scope)
        return scope

    def value(self, n: _Node) -> str:
        """The name standing for ``n``: a compound term is a value of the innermost scope
        that binds one of its arguments (the outermost scope when none does)."""
        if n.kind == "v":
            scope = self.owner[n.key]
            if n.key not in scope.users:
                scope.users.append(n.key)
            return n.key
        if n.kind != "op":
            return n.name
        args = tuple(self.value(a) for a in n.args)
        target = next((s for s in reversed(self.stack) if s.binds.intersection(args)),
                      self.stack[0])
        key = (n.name,) + args
        name = target.terms.get(key)
        if name is None:
            name = target.terms[key] = f"\0y{self.count}"
            self.count += 1
            target.values.append(name)
            target.binds.add(name)
            op = self.operator(n.name)
            target.premises.append(Atom(op.relation, args + (name, op.name)))
        return name

    def formula(self, f: _F, fact: bool) -> Expr:
        """``fact``: a hypothesis, or under ¬ or ∃, where ``f(t) = y`` is the relation."""
        kind = f.kind
        if kind == "eq":
            left, right = f.left, f.right
            if fact and (left.kind == "op") != (right.kind == "op"):
                if left.kind == "op":
                    app, args = left, tuple(self.value(a) for a in left.args)
                    out = self.value(right)
                else:
                    out, app = self.value(left), right
                    args = tuple(self.value(a) for a in right.args)
                op = self.operator(app.name)
                return Atom(op.relation, args + (out, op.name))
            return Atom("=", (self.value(left), self.value(right)))
        if kind == "ne":
            return Not(Atom("=", (self.value(f.left), self.value(f.right))))
        if kind == "in":
            return Atom("in", (self.value(f.left), self.value(f.right)))
        if kind == "rel":
            return Atom(f.name, tuple(self.value(a) for a in f.items))
        if kind == "not":
            return Not(self.formula(f.items[0], True))
        if kind == "and":
            return conj([self.formula(x, fact) for x in f.items])
        if kind == "all":
            return self.level(f)
        scope = self.push(f)
        items = [self.formula(x, True) for x in f.items]
        self.stack.pop()
        parts, bound = scope.premises + items, list(f.ids.values()) + scope.values
        if not bound:
            return conj(parts)
        return Not(Implies(bound, parts[0], Not(conj(parts[1:] or parts[:1]))))

    def level(self, f: _F, top: bool = False) -> Expr:
        scope = self.push(f)
        for hyp in f.hyps:
            premise = self.formula(hyp, True)
            scope.premises.append(premise)
        items = f.items
        if top and not f.hyps:              # a plain equation t = t states nothing
            items = [c for c in items if not (c.kind == "eq" and c.left.term() == c.right.term())]
            if not items:
                raise _Fail("trivial statement: both sides are the same term", f.items[-1].offset)
        conclusions = [self.formula(c, False) for c in items]
        self.stack.pop()
        bound = scope.users + scope.values
        if not scope.premises:
            if bound:
                raise _Fail("nothing to state: no operator application and no hypothesis "
                            "(write at least one operator, e.g. a + i0 = a)",
                            0 if top else f.offset)
            return conj(conclusions)
        return Implies(bound, conj(scope.premises), conj(conclusions))


def _rename(expr: Expr, avoid: set[str]) -> tuple[Expr, dict[str, str]]:
    """Bound names to ``a, b, c, ...`` in the order the binders appear."""
    letters = iter(x for x in _LETTERS if x not in avoid)
    mapping: dict[str, str] = {}

    def walk(e: Expr) -> Expr:
        if isinstance(e, Atom):
            return Atom(e.name, tuple(mapping.get(a, a) for a in e.args))
        if isinstance(e, Not):
            return Not(walk(e.body))
        if isinstance(e, Implies):
            for v in e.vars:
                mapping[v] = next(letters, None)
                if mapping[v] is None:
                    raise _Fail("too many variables")
            return Implies(tuple(mapping[v] for v in e.vars), walk(e.premise),
                           walk(e.conclusion))
        return type(e)(walk(e.left), walk(e.right))

    return walk(expr), mapping


# -- canonical statement ----------------------------------------------------------------
def term_vars(term: tuple, out: list[str] | None = None) -> list[str]:
    """The variables of a term tree, in order of first appearance (appended to ``out``)."""
    out = [] if out is None else out
    if term[0] == "v":
        if term[1] not in out:
            out.append(term[1])
    elif term[0] != "c":
        for a in term[1:]:
            term_vars(a, out)
    return out


def statement_from_equations(hypotheses, conclusions, signature) -> tuple[Expr, dict[str, str]]:
    """The canonical implication of ``hyp_1 ∧ ... → concl_1 ∧ ...`` over term equations,
    exactly what parsing the equations as text gives.

    Terms are ``("v", name) | ("c", name) | (op, arg, ...)`` as in
    ``genlogic.explore.terms``.  Returns the statement and the map from the terms'
    variable names to the canonical bound names.  Raises ``ValueError`` when the
    conclusion is trivial (both sides the same term) or nothing needs naming.

    >>> from types import SimpleNamespace as NS
    >>> plus = NS(name="+", relation="in3", arity=2)
    >>> sig = NS(params=("N", "i0", "+"), operator=lambda name: plus)
    >>> e, _ = statement_from_equations([], [(("+", ("v", "x"), ("v", "y")),
    ...                                       ("+", ("v", "y"), ("v", "x")))], sig)
    >>> str(e)
    '(>[a,b,c,d](&(in3[a,b,c,+])(in3[b,a,d,+]))(=[c,d]))'
    """
    def node(term: tuple) -> _Node:
        if term[0] in ("v", "c"):
            return _Node(term[0], term[1], 0)
        return _Node("op", term[0], 0, [node(a) for a in term[1:]])

    def equations(pairs) -> list[_F]:
        return [_F("eq", 0, left=node(left), right=node(right)) for left, right in pairs]

    top = _F("all", 0, items=equations(conclusions), hyps=equations(hypotheses))
    _resolve(None, top)                   # no leading ∀: variables bind at the top
    try:
        expr, names = _rename(_Builder(signature).level(top, top=True), set(signature.params))
    except _Fail as exc:
        raise ValueError(exc.message) from None
    return expr, {user: names[key] for user, key in top.ids.items()}


# -- entry points -----------------------------------------------------------------------------
def parse_readable(text: str, signature) -> ParsedStatement:
    """Parse a readable statement; the MPL and the top level's term equations."""
    if not isinstance(text, str):
        raise MPLError(f"a statement is text, not {type(text).__name__}")
    src = _Source(text)
    if len(text) > _MAX_LENGTH:
        raise src.error(f"statement too long ({len(text)} characters, at most {_MAX_LENGTH})",
                        _MAX_LENGTH)
    symbols = sorted((op.name for op in signature.operators            # +, ⊕, TIP's +2
                      if not all(_ident_char(ch) for ch in op.name)), key=lambda s: (-len(s), s))
    shown = ", ".join(op.name for op in signature.operators) or "none"
    tokens = _tokenize(src, symbols, shown)
    if tokens[0].kind == "END":
        raise src.error("empty statement", 0)
    try:
        top = _Parser(src, tokens, signature).statement()
        _check_sorts(src, _resolve(src, top), signature)
        expr, names = _rename(_Builder(signature).level(top, top=True), set(signature.params))
    except RecursionError:
        raise src.error("statement nested too deeply", 0) from None
    except _Fail as exc:
        raise src.error(exc.message, exc.offset) from None

    def pairs(items):
        return [(f.left.term(), f.right.term()) for f in items if f.kind == "eq"]
    variables = {user: names[key] for user, key in top.ids.items() if key in names}
    return ParsedStatement(expr, pairs(top.hyps), pairs(top.items), variables)


def parse_statement(text: str, signature) -> Expr:
    """A statement in readable form (or MPL text) -> its MPL.  ``signature`` is the
    theory's derived :class:`~genlogic.mpl.signature.Signature`: its operators give fixity
    and arity, its parameters the names that are not variables.  MPL text is only parsed
    (the caller checks it against the theory, e.g. with ``Theory.parse``).  For example
    ``a + c = b + c -> a = b`` is
    ``(>[a,b,c,d,e](&(in3[a,b,d,+])(&(in3[c,b,e,+])(=[d,e])))(=[a,c]))``.
    """
    if isinstance(text, str) and is_mpl_text(text):
        return parse_expr(text, _FILE)
    return parse_readable(text, signature).expr
