"""S-expressions of SMT-LIB text, read with lark, each node with its line and column.

The grammar is four rules (lists, plain symbols, ``|quoted|`` symbols, comments).  The
LALR parser builds lark's tree without recursion; turning it into ``Sexp`` nodes is an
explicit stack, so a deep term costs no Python frames and the depth limit is checked on
the way.  Errors name file, line and column: a stray ``)``, a ``(`` never closed (the
outermost open one), an unterminated ``|symbol|`` and a term nested too deeply.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from ..errors import MPLError, error_at

__all__ = ["Sexp", "read_sexps", "MAX_SEXP_DEPTH"]

# How deeply S-expressions may nest.  The translation recurses over a term's depth (a few
# frames a level); TIP problems nest about 20 levels.
MAX_SEXP_DEPTH = 100

_GRAMMAR = r"""
start: _item*
_item: list | SYMBOL | QUOTED
list: LPAR _item* RPAR
LPAR: "("
RPAR: ")"
SYMBOL: /[^\s()|;]+/
QUOTED: /\|[^|]*\|/
COMMENT: /;[^\n]*/
%import common.WS
%ignore WS
%ignore COMMENT
"""

_PARSER = Lark(_GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@dataclass(frozen=True)
class Sexp:
    """A symbol (``items`` is None) or a list, with its 1-based line and column."""
    symbol: str | None
    items: tuple["Sexp", ...] | None
    line: int
    column: int

    def is_list(self) -> bool:
        return self.items is not None

    def head(self) -> str | None:
        """The symbol a list starts with (None for a symbol or a list that starts otherwise)."""
        if self.items and self.items[0].items is None:
            return self.items[0].symbol
        return None

    def __str__(self) -> str:
        if self.items is None:
            return self.symbol
        return "(" + " ".join(str(i) for i in self.items) + ")"


def read_sexps(text: str, file: str = "<tip>") -> list[Sexp]:
    """Every top-level S-expression of ``text``; ``|quoted|`` symbols lose their bars.

    >>> [str(s) for s in read_sexps("(a (b |c d|)) ; note\\n e")]
    ['(a (b c d))', 'e']
    """
    try:
        tree = _PARSER.parse(text)
    except UnexpectedCharacters as exc:
        if text[exc.pos_in_stream] == "|":
            raise error_at("unterminated |symbol|", text, file, exc.line, exc.column) from None
        raise error_at(f"unexpected character {text[exc.pos_in_stream]!r}", text, file,
                       exc.line, exc.column) from None
    except UnexpectedEOF:
        raise _unclosed(text, file) from None
    except UnexpectedToken as exc:
        if exc.token.type == "$END":
            raise _unclosed(text, file) from None
        raise error_at("unbalanced ')'", text, file, exc.token.line, exc.token.column) from None
    return _convert(tree, text, file)


def _convert(tree: Tree, text: str, file: str) -> list[Sexp]:
    """lark's tree to Sexp nodes with an explicit stack, checking the depth."""
    out: list[Sexp] = []
    frames: list[tuple] = [(iter(tree.children), out, None)]
    while frames:
        children, collected, meta = frames[-1]
        child = next(children, None)
        if child is None:
            frames.pop()
            if meta is not None:
                frames[-1][1].append(Sexp(None, tuple(collected), meta.line, meta.column))
        elif isinstance(child, Tree):
            if len(frames) > MAX_SEXP_DEPTH:
                raise error_at(f"S-expression nested too deeply (more than {MAX_SEXP_DEPTH} "
                               "levels)", text, file, child.meta.line, child.meta.column)
            frames.append((iter(child.children), [], child.meta))
        elif child.type in ("SYMBOL", "QUOTED"):
            symbol = child.value[1:-1] if child.type == "QUOTED" else child.value
            collected.append(Sexp(symbol, None, child.line, child.column))
    return out


def _unclosed(text: str, file: str) -> MPLError:
    """The outermost '(' that is never closed."""
    opened: list[tuple[int, int]] = []
    for token in _PARSER.lex(text, dont_ignore=False):
        if token.type == "LPAR":
            opened.append((token.line, token.column))
        elif token.type == "RPAR" and opened:
            opened.pop()
    line, column = opened[0] if opened else (1, 1)
    return error_at("'(' is never closed", text, file, line, column)
