"""Reader for TIP problems (SMT-LIB 2.6 with datatypes and recursive functions), translated
to an MPL theory whose goals are the problem's conjectures.

The reader is a chain of passes (this package):

1. ``sexp``: S-expressions read with lark, every node with its line and column;
2. ``typing``: the declarations (``declare-datatype(s)`` with ``par``, ``declare-sort``,
   ``define-fun(-rec)`` with ``par``, ``prove``), types inferred by unification, and
   monomorphisation from the goals (a goal's type parameters become sets of their own);
3. ``emit``: MPL nodes -- a set per ground type, constructors distinct and injective with
   an induction axiom, one recursion equation per path through a body's ``match``,
   ``ite``, ``let`` and connectives, ``lambda`` lifted to operators into function sets
   applied by ``@``, and per ``prove`` one theorem per path through its case splits.

Background ``(assert ...)`` lemmas are left out (a from-axioms prover must find them) and
counted.  Anything else (selectors, Boolean ``=`` inside a definition, functions of four
or more arguments, mutual recursion, Int) is refused with ``TipUnsupported``, an
``MPLError`` naming file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import MPLError, Position, read_source
from ..printer import to_mpl
from .emit import emit
from .sexp import MAX_SEXP_DEPTH, Sexp, read_sexps
from .typing import TypeFailure, declarations, monomorphise

__all__ = ["Sexp", "TipProblem", "TipUnsupported", "read_sexps", "tip_to_mpl", "load_tip",
           "MAX_SEXP_DEPTH"]


class TipUnsupported(MPLError):
    """A construct outside the fragment genlogic reads."""


@dataclass
class TipProblem:
    """A translated problem: the MPL text and what the translation met."""
    mpl: str
    goals: list[str]                     # theorem names, in order
    functions: dict[str, str]            # TIP name -> MPL name (of its first instance)
    skipped_asserts: int = 0
    source: str = ""
    goal_groups: tuple[int, ...] = ()    # theorems per (prove ...): paths of its case splits
    symbols: dict[str, str] | None = None  # MPL name -> TIP symbol (constructors, functions)


def _function_prelude(k: int) -> str:
    xs = [f"x{i + 1}" for i in range(k)]
    sets = [f"X{i + 1}" for i in range(k)]
    rel = f"in{k + 1}"
    typed = "".join(f"(&(in[{x},{s}])" for x, s in zip(xs, sets))
    graph = f"(>[{','.join(xs)},y]({rel}[{','.join(xs)},y,f]){typed}(in[y,Y]){')' * k})"
    guard = "".join(f"(&(in[{x},{s}])" for x, s in zip(xs[:-1], sets[:-1])) \
        + f"(in[{xs[-1]},{sets[-1]}])" + ")" * (k - 1)
    total = f"(>[{','.join(xs)}]{guard} !(>[y](in[y,Y]) !({rel}[{','.join(xs)},y,f])))"
    single = (f"(>[{','.join(xs)},y1,y2](&({rel}[{','.join(xs)},y1,f])"
              f"({rel}[{','.join(xs)},y2,f]))(=[y1,y2]))")
    return (f"def function{k}[f, {', '.join(sets)}, Y] :=\n  (&{graph}\n  (&{total}\n"
            f"    {single}))\n")


class _Located:
    def __init__(self, text: str, file: str):
        self.text, self.file = text, file

    def error(self, failure: TypeFailure) -> MPLError:
        if failure.node is None:
            return MPLError(f"{self.file}: {failure.message}")
        lines = self.text.splitlines()
        line = failure.node.line
        source = lines[line - 1] if 0 < line <= len(lines) else None
        return TipUnsupported(failure.message, Position(self.file, line, failure.node.column),
                              source)


def tip_to_mpl(text: str, file: str = "<tip>") -> TipProblem:
    """Translate the text of a TIP problem; raises ``TipUnsupported`` / ``MPLError``."""
    located = _Located(text, file)
    commands = read_sexps(text, file)
    try:
        problem = declarations(commands)
        emitted = emit(problem, monomorphise(problem))
    except TypeFailure as failure:
        raise located.error(failure) from None
    except RecursionError:        # e.g. (and a1 ... a5000): the connectives recurse per part
        raise MPLError(f"{file}: the problem is nested too deeply to translate") from None
    params = ",".join(emitted.params)
    out = [f"# Translated by genlogic from the TIP problem {Path(file).name}.",
           "# Each datatype is a set with its constructors (distinct, injective, induction);",
           "# each function is defined by its recursion equations (one axiom per path",
           "# through its case splits); function values are applied with @.", ""]
    out += [_function_prelude(k) for k in sorted(emitted.arities)]
    for i, (what, axioms) in enumerate(emitted.definitions):
        out.append(f"# {what}\ndef def_{i}[{params}] :=\n  {to_mpl(axioms)}\n")
    parts = [f"(def_{i}[{params}])" for i in range(len(emitted.definitions))]
    anchor = parts[-1]
    for part in reversed(parts[:-1]):
        anchor = f"(&{part}{anchor})"
    out.append(f"anchor TIP[{params}] :=\n  {anchor}\n")
    names = []
    for i, statement in enumerate(emitted.goals):
        name = "goal" if len(emitted.goals) == 1 else f"goal{i + 1}"
        names.append(name)
        out.append(f"theorem {name} :=\n  {to_mpl(statement)}\n")
    if problem.asserts:
        out.append(f"# {problem.asserts} background assertion(s) of the problem are left out.")
    return TipProblem("\n".join(out) + "\n", names, emitted.functions, problem.asserts, file,
                      tuple(emitted.goal_groups), emitted.symbols)


def load_tip(path: str | Path) -> TipProblem:
    path = Path(path)
    return tip_to_mpl(read_source(path, "TIP problem"), str(path))
