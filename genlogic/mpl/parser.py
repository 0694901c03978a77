"""Text to AST: the lark grammar in ``mpl.lark`` and a Transformer to hash-consed nodes.

``parse_expr`` reads one expression; ``parse_items`` reads a theory file into raw
items (no name resolution: that is the loader's job).  Every syntax error becomes an
``MPLError`` with file, line, column and a caret; nothing else escapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Tree, v_args
from lark.visitors import Transformer_NonRecursive
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .ast import And, Atom, Expr, Implies, Not
from .errors import MPLError, Position, error_at

__all__ = ["parse_expr", "parse_items", "RawItem", "PositionMap", "MAX_DEPTH"]

# How deeply expressions may nest (atoms, conjunctions, implications, negations, counted
# from the outside in).  The tree walks of the AST and of the layers above it recurse over
# an expression's depth; this bound keeps them well inside Python's recursion limit.
# Real theories nest a few dozen levels (a long conjunction counts one per conjunct).
MAX_DEPTH = 200
_EXPR_RULES = frozenset({"atom", "conjunction", "implication", "negation"})

PositionMap = dict  # Expr -> Position of its first occurrence in the parsed text


@lru_cache(maxsize=None)
def _grammar() -> str:
    return resources.files("genlogic.mpl").joinpath("mpl.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _parser(start: str) -> Lark:
    return Lark(_grammar(), start=start, parser="lalr", propagate_positions=True,
                maybe_placeholders=True)


@dataclass(frozen=True)
class RawItem:
    """One top-level item of a theory file, before name resolution."""

    kind: str                     # "include" | "def" | "anchor" | "theorem"
    name: str                     # definition/theorem name, or the include path
    params: tuple[str, ...]       # definition parameters (empty otherwise)
    under: str | None             # theorem's anchor, if given
    expr: Expr | None
    position: Position
    name_position: Position
    # positions of this item's own nodes (a node shared with an earlier item has its
    # first occurrence here, not there), so errors point into the right item
    positions: PositionMap | None = field(default=None, compare=False, repr=False)


class _ToAst(Transformer_NonRecursive):
    def __init__(self, file: str):
        super().__init__()
        self.file = file
        self.positions: PositionMap = {}
        self.current: PositionMap = {}   # nodes of the item being read

    def _pos(self, meta) -> Position:
        return Position(self.file, getattr(meta, "line", 1), getattr(meta, "column", 1))

    def _note(self, node: Expr, meta) -> Expr:
        pos = self._pos(meta)
        self.positions.setdefault(node, pos)
        self.current.setdefault(node, pos)
        return node

    def _take(self) -> PositionMap:
        current, self.current = self.current, {}
        return current

    def names(self, children):
        return tuple(str(c) for c in children)

    @v_args(meta=True)
    def atom(self, meta, children):
        name, names = children
        return self._note(Atom(str(name), names or ()), meta)

    @v_args(meta=True)
    def conjunction(self, meta, children):
        return self._note(And(children[0], children[1]), meta)

    @v_args(meta=True)
    def implication(self, meta, children):
        names, premise, conclusion = children
        return self._note(Implies(names or (), premise, conclusion), meta)

    @v_args(meta=True)
    def negation(self, meta, children):
        return self._note(Not(children[0]), meta)

    def expr_start(self, children):
        return children[0]

    def _tokpos(self, token: Token) -> Position:
        return Position(self.file, token.line, token.column)

    @v_args(meta=True)
    def include(self, meta, children):
        (path,) = children
        return RawItem("include", str(path)[1:-1], (), None, None, self._pos(meta),
                       self._tokpos(path), self._take())

    def _definition(self, kind, meta, children):
        name, params, body = children
        return RawItem(kind, str(name), params or (), None, body, self._pos(meta),
                       self._tokpos(name), self._take())

    @v_args(meta=True)
    def definition(self, meta, children):
        return self._definition("def", meta, children)

    @v_args(meta=True)
    def anchor(self, meta, children):
        return self._definition("anchor", meta, children)

    @v_args(meta=True)
    def theorem(self, meta, children):
        name, under, body = children
        return RawItem("theorem", str(name), (), str(under) if under else None, body,
                       self._pos(meta), self._tokpos(name), self._take())

    def start(self, children):
        return list(children)


def _describe(exc: UnexpectedInput, text: str) -> str:
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of input"
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else "?"
        return f"unexpected character {char!r}"
    if isinstance(exc, UnexpectedToken):
        if exc.token.type == "$END":
            return "unexpected end of input"
        expected = sorted(e for e in exc.expected if not e.startswith("_"))[:6]
        tip = f" (expected {', '.join(expected)})" if expected else ""
        return f"unexpected {exc.token.value!r}{tip}"
    return "syntax error"


def _check_depth(tree: Tree, text: str, file: str) -> None:
    """An expression nested deeper than ``MAX_DEPTH`` is an error at its innermost
    offending node (checked without recursion, before anything walks the tree)."""
    stack: list[tuple[object, int]] = [(tree, 0)]
    while stack:
        node, level = stack.pop()
        if not isinstance(node, Tree):
            continue
        if node.data in _EXPR_RULES:
            level += 1
            if level > MAX_DEPTH:
                meta = node.meta
                raise error_at(f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                               text, file, getattr(meta, "line", 1), getattr(meta, "column", 1))
        stack.extend((child, level) for child in reversed(node.children))


def _run(text: str, file: str, start: str):
    try:
        tree = _parser(start).parse(text)
    except UnexpectedInput as exc:
        line = getattr(exc, "line", None) or 1
        column = getattr(exc, "column", None) or 1
        if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
        raise error_at(f"syntax error: {_describe(exc, text)}", text, file, line, column) from None
    except LarkError as exc:  # any other lark failure is still the user's text
        raise MPLError(f"{file}: syntax error: {exc}") from None
    except RecursionError:
        raise MPLError(f"{file}: expression nested too deeply") from None
    _check_depth(tree, text, file)
    transformer = _ToAst(file)
    try:
        result = transformer.transform(tree)
    except RecursionError:
        raise MPLError(f"{file}: expression nested too deeply") from None
    except LarkError as exc:
        if isinstance(getattr(exc, "orig_exc", None), RecursionError):
            raise MPLError(f"{file}: expression nested too deeply") from None
        raise MPLError(f"{file}: cannot read expression: {exc}") from None
    return result, transformer.positions


def parse_expr(text: str, file: str = "<input>", positions: PositionMap | None = None) -> Expr:
    """Parse a single MPL expression.

    >>> parse_expr("(>[a](in[a,N])(in3[a,i0,a,+]))").vars
    ('a',)
    """
    result, found = _run(text, file, "expr_start")
    if positions is not None:
        for node, pos in found.items():
            positions.setdefault(node, pos)
    return result


def parse_items(text: str, file: str = "<input>") -> tuple[list[RawItem], PositionMap]:
    """Parse a theory file's text into raw items and the positions of its nodes."""
    return _run(text, file, "start")
