"""Readable input (DESIGN 3.5, the reverse of ``readable.py``): statements written over a
theory's operators, turned into the canonical MPL implication.

Accepted forms::

    a + b = b + a                       an equation
    s(a) * b = a * b + b                unary operators are prefix calls
    (a + b) + c = a + (b + c)           parentheses group
    add(a, b) = add(b, a)               call notation works for every operator
    a + c = b + c -> a = b              hypotheses before the arrow become premises
    a = b ∧ b = c → a = c               several hypotheses (also ``&``, ``/\\``, ``=>``)
    forall a b. a + i0 = a              an optional leading ``forall``/``∀`` binder list
    (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))   MPL text (starts with "(" + "&"/">"/"R[", or "!")

Fixity and precedence come from the signature, not from configuration:

- an operator whose name is made of symbols only (``+``, ``*``, ``^``, ``⊕`` ...) and that
  takes two arguments is infix; every operator can also be called ``f(x, y)``;
- ``^`` binds tighter than ``*`` and ``/``, which bind tighter than ``+`` and ``-``;
  ``^`` associates to the right, the others to the left;
- any other binary symbol gets the LOWEST precedence (below ``+``) and associates to the
  left: ``a ⊕ b + c`` reads ``a ⊕ (b + c)``.  Write parentheses when in doubt;
- unary operators are prefix calls ``s(x)``; constants (``i0``, ``i1``) are written by name;
- variables are all other identifiers (a letter or ``_`` first); the canonical output
  renames them ``a, b, c, ...`` in order of first appearance.

Output: ``(>[vars] (& premises) conclusion)`` where the premises name every compound
subterm once (``in2``/``in3`` facts, inner terms first), then, for each hypothesis
``l = r``, an atom ``=[l', r']`` between the names of its sides; the conclusion equates
the names of the two sides (a conjunction when the conclusion has several equations).
For a plain equation the result is exactly ``genlogic.explore.terms.equation_statement``
(this module re-implements it so the ``mpl`` layer does not import ``explore``).

Every mistake is an :class:`~genlogic.mpl.errors.MPLError` whose column points into the
text.  Nothing else escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ast import Atom, Expr, Implies, conj
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
_ARROWS = ("->", "=>", "→", "⇒", "⟹")
_ANDS = ("∧", "&&", "&", "/\\")
_FORALLS = ("∀",)
_STRUCTURAL_CHARS = set("(),")
_MAX_LENGTH = 4000
_LETTERS = list("abcdefghjkmnpqrtuvwxyz") + [f"v{i}" for i in range(200)]


def is_mpl_text(text: str) -> bool:
    """True when ``text`` looks like MPL (``(&``, ``(>[``, ``(R[`` or ``!`` first)."""
    return bool(_MPL_START.match(text))


def _symbolic(name: str) -> bool:
    return bool(name) and not any(ch.isalnum() or ch == "_" for ch in name)


def _ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'"


# -- tokens -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str      # IDENT SYM LP RP COMMA EQ ARROW AND FORALL DOT END
    text: str
    offset: int


class _Source:
    def __init__(self, text: str):
        self.text = text

    def error(self, message: str, offset: int) -> MPLError:
        line = self.text.count("\n", 0, offset) + 1
        start = self.text.rfind("\n", 0, offset) + 1
        return error_at(message, self.text, _FILE, line, offset - start + 1)


def _tokenize(src: _Source, symbols: list[str], shown: str) -> list[_Tok]:
    """Longest match over the structural tokens and the signature's symbolic operators."""
    text = src.text
    fixed = [(a, "ARROW") for a in _ARROWS] + [(a, "AND") for a in _ANDS] + \
            [(f, "FORALL") for f in _FORALLS] + [("=", "EQ"), ("(", "LP"), (")", "RP"),
                                                 (",", "COMMA"), (".", "DOT")]
    table: dict[str, str] = {}
    for sym, kind in fixed:
        table[sym] = kind
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
            if run in ("≠", "!=", "/=", "<>"):
                raise src.error(f"only equations can be stated, not {run!r}", i)
            raise src.error(f"unknown operator {run!r} (operators: {shown})", i)
        out.append(_Tok(table[match], match, i))
        i += len(match)
    out.append(_Tok("END", "", n))
    return out


# -- term nodes (with positions) --------------------------------------------------------
@dataclass
class _Node:
    kind: str                  # "v" | "c" | "op"
    name: str
    offset: int
    args: list["_Node"] = field(default_factory=list)

    def term(self) -> tuple:
        if self.kind == "v":
            return ("v", self.name)
        if self.kind == "c":
            return ("c", self.name)
        return (self.name,) + tuple(a.term() for a in self.args)


@dataclass
class _Equation:
    left: _Node
    right: _Node
    offset: int                # of "="


@dataclass
class ParsedStatement:
    """A readable statement after parsing: its MPL and the term equations it came from."""

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
        self.declared: dict[str, int] | None = None

    # helpers
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

    # grammar
    def statement(self) -> tuple[list[_Equation], list[_Equation]]:
        if self.tok.kind == "FORALL":
            self.take()
            self.declared = {}
            while self.tok.kind == "IDENT" or self.tok.kind == "COMMA":
                tok = self.take()
                if tok.kind == "COMMA":
                    continue
                if tok.text in self.ops or tok.text in self.constants:
                    raise self.fail(f"{tok.text!r} is an operator or constant of the theory, "
                                    "not a variable", tok)
                self.declared.setdefault(tok.text, tok.offset)
            if self.tok.kind == "DOT" or (self.tok.kind == "SYM" and self.tok.text == "."):
                self.take()
            elif not self.declared:
                raise self.fail("expected variable names after 'forall'")
            else:
                raise self.fail(f"expected '.' after the quantified variables, "
                                f"got {self.describe(self.tok)}")
        groups = [self.conjunction()]
        while self.tok.kind == "ARROW":
            self.take()
            groups.append(self.conjunction())
        if self.tok.kind != "END":
            raise self.fail(f"unexpected {self.describe(self.tok)}")
        hypotheses = [e for g in groups[:-1] for e in g]
        return hypotheses, groups[-1]

    def conjunction(self) -> list[_Equation]:
        eqs = [self.equation()]
        while self.tok.kind == "AND":
            self.take()
            eqs.append(self.equation())
        return eqs

    def equation(self) -> _Equation:
        left = self.term(LOWEST)
        if self.tok.kind != "EQ":
            raise self.fail(f"expected '=' after the term, got {self.describe(self.tok)}")
        eq = self.take()
        right = self.term(LOWEST)
        return _Equation(left, right, eq.offset)

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
            inner = self.term(LOWEST)
            if self.tok.kind != "RP":
                raise self.fail(f"expected ')' to close the '(' at column "
                                f"{self._column(tok)}, got {self.describe(self.tok)}")
            self.take()
            return inner
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
            if not (name[0].isalpha() or name[0] == "_"):
                known = ", ".join(self.constants) or "none"
                raise self.fail(f"{name!r} is not a constant of the theory (constants: "
                                f"{known}); a variable starts with a letter", tok)
            if self.declared is not None and name not in self.declared:
                raise self.fail(f"variable {name!r} is not bound by the leading 'forall'", tok)
            return _Node("v", name, tok.offset)
        if tok.kind == "SYM":
            raise self.fail(f"expected a term before {tok.text!r}", tok)
        if tok.kind == "END":
            raise self.fail("expected a term, got end of input", tok)
        raise self.fail(f"expected a term, got {self.describe(tok)}", tok)

    def call(self) -> _Node:
        name_tok = self.take()
        op = self.ops[name_tok.text]
        self.take()                                   # "("
        args: list[_Node] = []
        if self.tok.kind != "RP":
            args.append(self.term(LOWEST))
            while self.tok.kind == "COMMA":
                self.take()
                args.append(self.term(LOWEST))
        if self.tok.kind != "RP":
            raise self.fail(f"expected ',' or ')' in the arguments of {op.name!r}, "
                            f"got {self.describe(self.tok)}")
        self.take()
        if len(args) != op.arity:
            raise self.fail(f"{op.name!r} takes {op.arity} argument(s), got {len(args)}",
                            name_tok)
        return _Node("op", op.name, name_tok.offset, args)

    def _column(self, tok: _Tok) -> int:
        start = self.src.text.rfind("\n", 0, tok.offset) + 1
        return tok.offset - start + 1


# -- sorts ----------------------------------------------------------------------------------
def _check_sorts(src: _Source, equations: list[_Equation], signature) -> None:
    """Every operator argument, constant and both sides of each equation in one set."""
    ops = {op.name: op for op in signature.operators}
    consts = {c.name: c.type for c in signature.constants}
    sorts: dict[str, str] = {}
    changed = [True]

    def infer(node: _Node, expected: str | None) -> str | None:
        if node.kind == "v":
            have = sorts.get(node.name)
            if expected is not None:
                if have is not None and have != expected:
                    raise src.error(f"type error: variable {node.name!r} is used in {have} "
                                    f"and in {expected}", node.offset)
                if have is None:
                    sorts[node.name] = expected
                    changed[0] = True
                return expected
            return have
        if node.kind == "c":
            have = consts[node.name]
            if expected is not None and have != expected:
                raise src.error(f"type error: constant {node.name!r} is in {have}, "
                                f"expected {expected}", node.offset)
            return have
        op = ops[node.name]
        for arg, dom in zip(node.args, op.domain):
            infer(arg, dom)
        if expected is not None and op.codomain != expected:
            raise src.error(f"type error: {node.name!r} gives {op.codomain}, "
                            f"expected {expected}", node.offset)
        return op.codomain

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
    """The canonical implication of ``hyp_1 ∧ ... → concl_1 ∧ ...`` over term equations.

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
    order: list[str] = []
    for left, right in list(hypotheses) + list(conclusions):
        term_vars(left, order)
        term_vars(right, order)
    rename = {v: f"\0x{i}" for i, v in enumerate(order)}        # names no user can write
    names: dict[tuple, str] = {}
    premises: list[Atom] = []
    counter = [0]

    def name_of(term: tuple) -> str:
        if term[0] == "v":
            return rename[term[1]]
        if term[0] == "c":
            return term[1]
        if term in names:
            return names[term]
        args = [name_of(a) for a in term[1:]]
        out = f"\0y{counter[0]}"
        counter[0] += 1
        names[term] = out
        op = signature.operator(term[0])
        premises.append(Atom(op.relation, tuple(args) + (out, op.name)))
        return out

    for left, right in hypotheses:
        lhs, rhs = name_of(left), name_of(right)
        if lhs != rhs:
            premises.append(Atom("=", (lhs, rhs)))
    goals = []
    for left, right in conclusions:
        lhs, rhs = name_of(left), name_of(right)
        if lhs != rhs:
            goals.append((lhs, rhs))
    if not goals:
        raise ValueError("trivial statement: both sides are the same term")
    if not premises:
        raise ValueError("nothing to state: no operator application and no hypothesis "
                         "(write at least one operator, e.g. a + i0 = a)")
    variables = set(rename.values()) | set(names.values())
    letters = [x for x in _LETTERS if x not in set(signature.params)]
    if len(variables) > len(letters):
        raise ValueError(f"too many variables ({len(variables)})")
    final = {rename[v]: letters[i] for i, v in enumerate(order)}
    for atom in premises:
        for arg in atom.args:
            if arg in variables and arg not in final:
                final[arg] = letters[len(final)]
    for pair in goals:
        for arg in pair:
            if arg in variables and arg not in final:
                final[arg] = letters[len(final)]
    premises = [Atom(a.name, tuple(final.get(x, x) for x in a.args)) for a in premises]
    bound = tuple(final[v] for v in sorted(final, key=lambda v: letters.index(final[v])))
    conclusion = conj(Atom("=", (final.get(l, l), final.get(r, r))) for l, r in goals)
    return Implies(bound, conj(premises), conclusion), {v: final[rename[v]] for v in order}


# -- entry points -----------------------------------------------------------------------------
def parse_readable(text: str, signature) -> ParsedStatement:
    """Parse a readable statement; the MPL and the term equations it came from."""
    if not isinstance(text, str):
        raise MPLError(f"a statement is text, not {type(text).__name__}")
    src = _Source(text)
    if len(text) > _MAX_LENGTH:
        raise src.error(f"statement too long ({len(text)} characters, at most {_MAX_LENGTH})",
                        _MAX_LENGTH)
    symbols = sorted((op.name for op in signature.operators if _symbolic(op.name)),
                     key=lambda s: (-len(s), s))
    shown = ", ".join(op.name for op in signature.operators) or "none"
    tokens = _tokenize(src, symbols, shown)
    if tokens[0].kind == "END":
        raise src.error("empty statement", 0)
    parser = _Parser(src, tokens, signature)
    try:
        hyps, concls = parser.statement()
    except RecursionError:
        raise src.error("statement nested too deeply", 0) from None
    _check_sorts(src, hyps + concls, signature)
    hyp_terms = [(e.left.term(), e.right.term()) for e in hyps]
    concl_terms = [(e.left.term(), e.right.term()) for e in concls]
    try:
        expr, variables = statement_from_equations(hyp_terms, concl_terms, signature)
    except ValueError as exc:
        offset = concls[-1].offset if "trivial" in str(exc) else 0
        raise src.error(str(exc), offset) from None
    return ParsedStatement(expr, hyp_terms, concl_terms, variables)


def parse_statement(text: str, signature) -> Expr:
    """A statement in readable form (or MPL text) -> its canonical MPL implication.

    ``signature`` is the theory's derived :class:`~genlogic.mpl.signature.Signature`
    (``theory.signature``): its operators give fixity and arity, its constants the names
    that are not variables.  MPL text is only parsed (the caller checks it against the
    theory, e.g. with ``Theory.parse``).

    >>> from genlogic.mpl.theory import load
    >>> sig = load("axioms/peano.mpl").signature                      # doctest: +SKIP
    >>> str(parse_statement("a + b = b + a", sig))                     # doctest: +SKIP
    '(>[a,b,c,d](&(in3[a,b,c,+])(in3[b,a,d,+]))(=[c,d]))'
    >>> str(parse_statement("a + c = b + c -> a = b", sig))            # doctest: +SKIP
    '(>[a,b,c,d,e](&(in3[a,b,d,+])(&(in3[c,b,e,+])(=[d,e])))(=[a,c]))'
    """
    if isinstance(text, str) and is_mpl_text(text):
        return parse_expr(text, _FILE)
    return parse_readable(text, signature).expr
