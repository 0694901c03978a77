"""What the index page's filter matches a theorem by: statement keys and law names.

``statement_keys(text, fixed)`` turns a readable statement into keys that do not depend
on how its variables are named: the leading ``∀x y.`` goes, spaces go, every name that is
not one of the theory's ``fixed`` names (operators, constants, parameters) and not
applied ``f(..)`` is renamed ``#1, #2, ...`` in order of first occurrence; an equation
``L = R`` also gets the key of ``R = L``.  ``∀a b. a + b = b + a`` and the query
``x+y = y+x`` share the key ``#1 + #2 = #2 + #1``.  ``static/browser.js`` computes the
same keys for what the reader types (a browser test checks that both agree on every
theorem of the Peano showcase), so matching is by text, not by meaning: ``a + (b + c)``
does not find ``a + b + c`` written the other way round.

``law_names(readable, signature)`` names the common algebraic laws a statement is an
instance of (commutativity of +, associativity, identities, zeros, distributivity,
idempotence), read from its terms with ``genlogic.mpl.infix``, so that typing "comm"
finds commutativity.  A statement with hypotheses is no such law.
"""

from __future__ import annotations

from ..mpl.errors import MPLError
from ..mpl.infix import parse_readable

__all__ = ["statement_keys", "law_names", "fixed_names", "ASCII_SPELLINGS"]

# what a reader may type for the symbols the readable form prints (same list in browser.js)
ASCII_SPELLINGS = (("<->", "↔"), ("->", "→"), ("=>", "→"), ("!=", "≠"), ("/\\", "∧"),
                   ("&&", "∧"), ("forall", "∀"), ("exists", "∃"))
_LOGICAL = frozenset("→∧∨¬≠∈∀∃↔")


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'"


def _tokens(text: str, fixed: frozenset[str]) -> list[str]:
    """Names (runs of letters, digits, _ and '), the fixed names that hold other
    characters (longest first), and single characters; spaces are dropped."""
    symbolic = sorted((f for f in fixed if not all(_is_name_char(ch) for ch in f)),
                      key=lambda f: (-len(f), f))
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        name = next((f for f in symbolic if text.startswith(f, i)), None)
        if name is None:
            j = i
            while j < len(text) and _is_name_char(text[j]):
                j += 1
            name = text[i:j] if j > i else ch
        out.append(name)
        i += len(name)
    return out


def _renamed(tokens: list[str], fixed: frozenset[str]) -> str:
    names: dict[str, str] = {}
    out = []
    for position, token in enumerate(tokens):
        applied = position + 1 < len(tokens) and tokens[position + 1] == "("
        if _is_name_char(token[0]) and token not in fixed and not applied:
            token = names.setdefault(token, f"#{len(names) + 1}")
        out.append(token)
    return " ".join(out)


def statement_keys(text: str, fixed) -> list[str]:
    """The keys of a readable statement (see the module docstring), the as-written one
    first.

    >>> statement_keys("∀a b. a + b = b + a", {"+", "N"})
    ['#1 + #2 = #2 + #1']
    >>> statement_keys("s(x) + i0 = s(x)", {"+", "s", "i0"})
    ['s ( #1 ) + i0 = s ( #1 )', 's ( #1 ) = s ( #1 ) + i0']
    >>> statement_keys("a * b + a = s(b) * a", {"+", "*", "s"})
    ['#1 * #2 + #1 = s ( #2 ) * #1', 's ( #1 ) * #2 = #2 * #1 + #2']
    """
    fixed = frozenset(fixed)
    for ascii_text, symbol in ASCII_SPELLINGS:
        if ascii_text not in fixed:
            text = text.replace(ascii_text, symbol)
    tokens = _tokens(text, fixed)
    if tokens and tokens[0] == "∀" and "." in tokens:
        tokens = tokens[tokens.index(".") + 1:]
    keys = [_renamed(tokens, fixed)]
    if tokens.count("=") == 1 and not _LOGICAL.intersection(tokens):
        middle = tokens.index("=")
        mirrored = _renamed(tokens[middle + 1:] + ["="] + tokens[:middle], fixed)
        if mirrored != keys[0]:
            keys.append(mirrored)
    return keys


def fixed_names(signature, operators: list[str]) -> list[str]:
    """The names a statement's variables are told apart from: the signature's parameters,
    operators and constants, or (no signature) the operator lines' names."""
    if signature is not None:
        names = set(signature.params) | {op.name for op in signature.operators} | \
            {c.name for c in signature.constants}
    else:
        names = {line.split(":", 1)[0].strip() for line in operators}
    return sorted(n for n in names if n)


# -- law names ------------------------------------------------------------------------------
def _var(term) -> str | None:
    return term[1] if term[0] == "v" else None


def _const(term) -> str | None:
    return term[1] if term[0] == "c" else None


def _binary(term) -> bool:
    return term[0] not in ("v", "c") and len(term) == 3


def _laws_one_way(left, right) -> list[str]:
    """The laws ``left = right`` is an instance of, read in this direction."""
    names = []
    if not _binary(left):
        return names
    f, x, y = left
    if _var(x) and _var(y) and x != y and right == (f, y, x):
        names.append(f"commutativity of {f}")
    if _binary(x) and x[0] == f and _var(y) and right == (f, x[1], (f, x[2], y)) and \
            len({x[1], x[2], y}) == 3 and all(_var(v) for v in (x[1], x[2])):
        names.append(f"associativity of {f}")
    if _var(x) and _const(y) and right == x:
        names.append(f"right identity of {f}: {y[1]}")
    if _const(x) and _var(y) and right == y:
        names.append(f"left identity of {f}: {x[1]}")
    if _var(x) and _const(y) and right == y:
        names.append(f"right zero of {f}: {y[1]}")
    if _const(x) and _var(y) and right == x:
        names.append(f"left zero of {f}: {x[1]}")
    if _var(x) and x == y and right == x:
        names.append(f"idempotence of {f}")
    if _binary(right) and _var(x) and _binary(y) and y[0] != f:      # x f (u g v)
        g, u, v = y
        if right == (g, (f, x, u), (f, x, v)) and len({x, u, v}) == 3:
            names.append(f"left distributivity of {f} over {g}")
    if _binary(right) and _var(y) and _binary(x) and x[0] != f:      # (u g v) f y
        g, u, v = x
        if right == (g, (f, u, y), (f, v, y)) and len({y, u, v}) == 3:
            names.append(f"right distributivity of {f} over {g}")
    return names


def law_names(readable: str, signature) -> list[str]:
    """The algebraic laws the statement is an instance of, e.g. ``commutativity of +``
    (none without a signature, for a statement with hypotheses, or one that does not
    parse)."""
    if signature is None:
        return []
    try:
        parsed = parse_readable(readable, signature)
    except (MPLError, ValueError):
        return []
    if parsed.hypotheses or len(parsed.conclusions) != 1:
        return []
    left, right = parsed.conclusions[0]
    names = _laws_one_way(left, right)
    names += [n for n in _laws_one_way(right, left) if n not in names]
    return names
