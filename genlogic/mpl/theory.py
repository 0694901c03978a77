"""Theory files: read ``def``/``anchor``/``theorem``/``include`` items, resolve and check them.

Checks (each an ``MPLError`` with file:line:col): files that are not UTF-8 (the first
bad byte), theories larger than ``theory_byte_limit()`` (all files together, includes
counted; ``$GENLOGIC_MAX_THEORY_BYTES``, default 1 MB), empty theories and theories
without an anchor, syntax, expressions nested deeper than ``parser.MAX_DEPTH``,
missing or circular includes, duplicate names, unknown relations, arity mismatches,
definition bodies with free names that are not parameters, repeated parameters, cyclic
definitions, theorems whose free names are not their anchor's parameters, theorems
(goals) that are not implications ``(>[x..] P Q)``.  The walks over definitions keep
their own stacks, so a chain of thousands of definitions loads.

The loader does not interpret the axioms: the signature (operators, constants,
induction axioms) is derived from the checked theory in ``signature.py``.

Every file read is also known by its name relative to the main file's folder (POSIX
separators, ``../lib/x.mpl`` allowed), worked out from the include paths alone.  The
source hash and the manifest a proof graph embeds (``Theory.manifest``) use these names,
so neither depends on the current folder or on where the theory tree lies;
``load_files`` loads a theory back from such a manifest, includes and all, without disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .ast import And, Atom, Expr, Implies, Not, atoms, substitute
from .errors import MPLError, Position, TooLarge, error_at, read_source
from .parser import PositionMap, RawItem, parse_expr, parse_items

__all__ = ["BUILTINS", "Definition", "Goal", "Theory", "load", "load_text", "load_files",
           "text_sha256", "theory_byte_limit", "LIMIT_VARIABLE", "DEFAULT_MAX_THEORY_BYTES"]

BUILTINS: dict[str, int] = {"in": 2, "in2": 3, "in3": 4, "in4": 5, "=": 2}

# A theory is a few kilobytes; one of a megabyte already takes seconds to check and
# hundreds of megabytes of memory, and exploration grows with it.
LIMIT_VARIABLE = "GENLOGIC_MAX_THEORY_BYTES"
DEFAULT_MAX_THEORY_BYTES = 1_000_000
_UNITS = {"": 1, "b": 1, "kb": 1000, "k": 1000, "mb": 1000 ** 2, "m": 1000 ** 2,
          "gb": 1000 ** 3, "g": 1000 ** 3}
_SIZE = re.compile(r"\s*([0-9]+)\s*([a-z]*)\s*", re.IGNORECASE)


def theory_byte_limit(value: str | None = None) -> int:
    """The most bytes a theory's files may hold together: ``value``, else
    ``$GENLOGIC_MAX_THEORY_BYTES``, else 1 MB.  A whole number of bytes, optionally with
    a decimal unit (``500kB``, ``2MB``); anything else is an ``MPLError`` naming it.

    >>> theory_byte_limit("2MB"), theory_byte_limit("4096")
    (2000000, 4096)
    """
    given = os.environ.get(LIMIT_VARIABLE) if value is None else value
    if given is None or given.strip() == "":
        return DEFAULT_MAX_THEORY_BYTES
    match = _SIZE.fullmatch(given)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if unit is None or int(match.group(1)) * unit < 1:
        raise MPLError(f"{LIMIT_VARIABLE}={given!r} is not a size in bytes; give a whole "
                       f"number of at least 1, optionally with kB, MB or GB (default "
                       f"{DEFAULT_MAX_THEORY_BYTES:,})")
    return int(match.group(1)) * unit


@dataclass(frozen=True)
class Definition:
    name: str
    params: tuple[str, ...]
    body: Expr
    is_anchor: bool
    position: Position

    def expand(self, args: tuple[str, ...]) -> Expr:
        """The body with parameters replaced by ``args`` (binders renamed if needed)."""
        return substitute(self.body, dict(zip(self.params, args)))


@dataclass(frozen=True)
class Goal:
    name: str
    anchor: str
    expr: Expr
    position: Position


@dataclass
class Theory:
    """A checked theory: definitions (anchors included) and goals, in file order."""

    path: str
    definitions: dict[str, Definition]
    goals: list[Goal]
    sources: dict[str, str]                      # file -> text, every file read
    positions: PositionMap = field(default_factory=dict, repr=False)
    _signature: object = field(default=None, repr=False)
    names: dict[str, str] = field(default_factory=dict, repr=False)  # file -> relative name

    @property
    def anchors(self) -> list[Definition]:
        return [d for d in self.definitions.values() if d.is_anchor]

    def default_anchor(self) -> Definition:
        """The anchor a run is about: the only one, or the last one of the main file."""
        anchors = self.anchors
        own = [a for a in anchors if a.position.file == self.path]
        if len(anchors) == 1 or not own:
            return self.anchor()
        return own[-1]

    def anchor(self, name: str | None = None) -> Definition:
        anchors = self.anchors
        if name is None:
            if len(anchors) != 1:
                raise MPLError(f"{self.path}: theory has {len(anchors)} anchors; name one")
            return anchors[0]
        if name not in self.definitions or not self.definitions[name].is_anchor:
            raise MPLError(f"{self.path}: no anchor named {name!r}")
        return self.definitions[name]

    def relative_names(self) -> dict[str, str]:
        """Each file read (a key of ``sources``) -> its name relative to the main file's
        folder, POSIX style; the main file is its bare file name."""
        main = next(iter(self.sources), self.path)
        out = {}
        for key in self.sources:
            name = self.names.get(key)
            if name is None:                     # built without include tracking (GL)
                name = Path(key).name if key == main else _relative(key, main)
            out[key] = name
        return out

    @property
    def source_hash(self) -> str:
        """sha256 over every file's relative name and text, in order of the names: the
        same theory gives the same hash from any current folder and any place on disk."""
        names = self.relative_names()
        digest = hashlib.sha256()
        for key in sorted(self.sources, key=lambda k: names[k]):
            digest.update(names[key].encode())
            digest.update(b"\0")
            digest.update(self.sources[key].encode())
            digest.update(b"\0")
        return digest.hexdigest()

    @property
    def legacy_source_hash(self) -> str:
        """The hash graphs written before the manifest carry: file names without their
        folders, in the order of the paths as read (so it could depend on the current
        folder).  Equal to ``source_hash`` for a theory whose files share one folder."""
        digest = hashlib.sha256()
        for name in sorted(self.sources):
            digest.update(Path(name).name.encode())
            digest.update(b"\0")
            digest.update(self.sources[name].encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def manifest(self) -> list[dict]:
        """Every file the theory was read from, the main file first, then in reading
        order: ``{"path": relative name, "sha256": of its UTF-8 text, "text": ...}``."""
        names = self.relative_names()
        return [{"path": names[key], "sha256": text_sha256(text), "text": text}
                for key, text in self.sources.items()]

    @property
    def signature(self):
        if self._signature is None:
            from .signature import derive_signature
            self._signature = derive_signature(self)
        return self._signature

    def arity(self, relation: str) -> int | None:
        if relation in BUILTINS:
            return BUILTINS[relation]
        definition = self.definitions.get(relation)
        return len(definition.params) if definition else None

    def expand_atom(self, atom: Atom) -> Expr:
        return self.definitions[atom.name].expand(atom.args)

    def parse(self, text: str, anchor: str | None = None) -> Expr:
        """Parse a statement about the anchor's structure (MPL text) and check it."""
        positions: PositionMap = {}
        expr = parse_expr(text, "<statement>", positions)
        _check_expr(self, expr, set(self.anchor(anchor).params), "<statement>", text,
                    positions, what="statement")
        return expr

    def goals_from(self, path: str | Path) -> list[Goal]:
        """Read a goals file (only ``theorem`` items) against this theory."""
        path = Path(path)
        text = read_source(path, "goals file", theory_byte_limit(), LIMIT_VARIABLE)
        items, positions = parse_items(text, str(path))
        goals = []
        seen = set()
        for item in items:
            if item.kind != "theorem":
                raise error_at(f"a goals file holds only theorems, not {item.kind!r}", text,
                               str(path), item.position.line, item.position.column)
            if item.name in seen:
                raise error_at(f"duplicate goal name {item.name!r}", text, str(path),
                               item.name_position.line, item.name_position.column)
            seen.add(item.name)
            goals.append(_make_goal(self, item, text, positions))
        for item, goal in zip(items, goals):
            _check_implication(item, goal, text, positions)
        return goals


def load(path: str | Path) -> Theory:
    """Load and check a theory file (following includes).

    >>> theory = load("axioms/peano.mpl")              # doctest: +SKIP
    >>> [str(op) for op in theory.signature.operators]  # doctest: +SKIP
    ['s: N -> N', '+: N x N -> N', '*: N x N -> N']
    """
    path = Path(path)
    sources: dict[str, str] = {}
    names: dict[str, str] = {}
    items: list[tuple[RawItem, str]] = []
    positions: PositionMap = {}
    _read(path, sources, items, positions, stack=[], where=None, names=names,
          name=path.name, budget=_Budget(theory_byte_limit()))
    _check_not_empty(str(path), items)
    return _with_anchor(_build(str(path), items, sources, positions, names))


def load_text(text: str, name: str = "<theory>") -> Theory:
    """Load a theory from text (includes are resolved against the current folder)."""
    budget = _Budget(theory_byte_limit())
    budget.spend(text, name)
    sources = {name: text}
    names = {name: Path(name).name}
    parsed, positions = parse_items(text, name)
    items: list[tuple[RawItem, str]] = []
    for item in parsed:
        if item.kind == "include":
            _read(Path(item.name), sources, items, positions, stack=[name],
                  where=(item, text), names=names, name=posixpath.normpath(item.name),
                  budget=budget)
        else:
            items.append((item, text))
    _check_not_empty(name, items)
    return _with_anchor(_build(name, items, sources, positions, names))


def load_files(files: dict[str, str], main: str) -> Theory:
    """Load a theory from a manifest's files (relative name -> text; ``main`` is the
    main file's name): includes are looked up among ``files``, never on disk.  Files and
    positions are named by their relative names, so the theory has the source hash of
    the one the manifest was made from."""
    def read(path: Path, budget: int) -> str:
        key = str(path)
        if key not in files:
            raise MPLError(f"{key}: not among the theory's files")
        return files[key]

    sources: dict[str, str] = {}
    names: dict[str, str] = {}
    items: list[tuple[RawItem, str]] = []
    positions: PositionMap = {}
    _read(Path(main), sources, items, positions, stack=[], where=None, names=names,
          name=posixpath.normpath(main), reader=read, budget=_Budget(theory_byte_limit()))
    _check_not_empty(main, items)
    return _with_anchor(_build(str(Path(main)), items, sources, positions, names))


def text_sha256(text: str) -> str:
    """The sha256 of ``text`` as UTF-8: the hash of the file's bytes (the loader reads
    files without changing line ends)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _relative(key: str, main: str) -> str:
    """``key`` relative to the folder of ``main`` (both paths as read), POSIX style."""
    try:
        rel = os.path.relpath(key, os.path.dirname(main) or ".")
    except ValueError:                       # another drive: keep the path as it is
        rel = key
    return Path(rel).as_posix()


def _read_file(path: Path, budget: int) -> str:
    return read_source(path, "theory file", budget, LIMIT_VARIABLE)


@dataclass
class _Budget:
    """The bytes a theory's files may still hold, spent as they are read."""
    limit: int
    spent: int = 0

    @property
    def left(self) -> int:
        return self.limit - self.spent

    def spend(self, text: str, file: str) -> None:
        self.spent += len(text.encode("utf-8"))
        if self.spent > self.limit:
            raise TooLarge(f"theory text is larger than the limit of {self.limit:,} bytes "
                           f"({self.spent:,} bytes); set {LIMIT_VARIABLE} to allow more",
                           Position(file, 1, 1))


def _check_not_empty(path: str, items) -> None:
    if not items:
        raise MPLError("empty theory: no definitions and no anchor (a theory needs an item "
                       "'anchor NAME[params] := EXPR')", Position(path, 1, 1))


def _with_anchor(theory: Theory) -> Theory:
    """A theory is about a structure: it needs at least one anchor."""
    if not theory.anchors:
        names = ", ".join(list(theory.definitions)[:5])
        more = ", ..." if len(theory.definitions) > 5 else ""
        raise MPLError(f"no anchor: the theory defines {names}{more} but no structure to "
                       "reason about (add an item 'anchor NAME[params] := EXPR'; a file of "
                       "definitions only is meant to be included)",
                       Position(theory.path, 1, 1))
    return theory


def _read(path: Path, sources, items, positions, stack, where, names: dict[str, str],
          name: str, reader: Callable[[Path, int], str] = _read_file,
          budget: _Budget | None = None) -> None:
    """Read ``path`` (known as ``name``, relative to the main file's folder) and, depth
    first, the files it includes; ``reader`` gives a file's text and may refuse one of
    more bytes than ``budget`` has left (the files together are held to its limit)."""
    path = Path(os.path.normpath(path))   # one file, one key: "sub/../x.mpl" is "x.mpl"
    key = str(path)
    if key in stack:
        item, text = where
        raise error_at(f"circular include of {item.name!r}", text, item.position.file,
                       item.name_position.line, item.name_position.column)
    if key in sources:
        return
    if budget is None:
        budget = _Budget(theory_byte_limit())
    try:
        text = reader(path, budget.left)
        budget.spend(text, key)
    except TooLarge:
        if where is None:
            raise
        item, parent_text = where
        raise error_at(f"including {item.name!r} takes the theory's files past the limit "
                       f"of {budget.limit:,} bytes; set {LIMIT_VARIABLE} to allow more",
                       parent_text, item.position.file, item.name_position.line,
                       item.name_position.column) from None
    except MPLError as exc:
        if where is None or exc.position is not None:   # not found, or not UTF-8 (located)
            raise
        item, parent_text = where
        raise error_at(f"cannot read included file {item.name!r}", parent_text,
                       item.position.file, item.name_position.line,
                       item.name_position.column) from None
    sources[key] = text
    names[key] = name
    parsed, found = parse_items(text, key)
    for node, pos in found.items():
        positions.setdefault(node, pos)
    for item in parsed:
        if item.kind == "include":
            _read(path.parent / item.name, sources, items, positions, stack + [key],
                  (item, text), names,
                  posixpath.normpath(posixpath.join(posixpath.dirname(name), item.name)),
                  reader, budget)
        else:
            items.append((item, text))


def _build(path: str, items, sources, positions, names: dict[str, str] | None = None
           ) -> Theory:
    definitions: dict[str, Definition] = {}
    texts: dict[str, str] = {}
    own_positions: dict[str, PositionMap] = {}
    theorem_items = []
    names_seen: dict[str, Position] = {}
    for item, text in items:
        if item.name in names_seen or item.name in BUILTINS:
            where = names_seen.get(item.name)
            why = f" (first defined at {where})" if where else " (a built-in relation)"
            raise error_at(f"duplicate name {item.name!r}{why}", text, item.position.file,
                           item.name_position.line, item.name_position.column)
        names_seen[item.name] = item.name_position
        if item.kind == "theorem":
            theorem_items.append((item, text))
            continue
        if len(set(item.params)) != len(item.params):
            raise error_at(f"repeated parameter in {item.name!r}", text, item.position.file,
                           item.name_position.line, item.name_position.column)
        definitions[item.name] = Definition(item.name, item.params, item.expr,
                                            item.kind == "anchor", item.position)
        texts[item.name] = text
        own_positions[item.name] = item.positions if item.positions is not None else positions
    theory = Theory(path, definitions, [], sources, positions, names=dict(names or {}))
    for name, definition in definitions.items():
        _check_expr(theory, definition.body, set(definition.params), definition.position.file,
                    texts[name], own_positions[name], what=f"definition {name!r}")
    _check_cycles(theory, texts)
    for item, text in theorem_items:
        theory.goals.append(_make_goal(theory, item, text, positions))
    for (item, text), goal in zip(theorem_items, theory.goals):
        _check_implication(item, goal, text, positions)
    return theory


def _make_goal(theory: Theory, item: RawItem, text: str, positions: PositionMap) -> Goal:
    anchors = theory.anchors
    if item.under is not None:
        anchor = theory.definitions.get(item.under)
        if anchor is None or not anchor.is_anchor:
            raise error_at(f"theorem {item.name!r} names unknown anchor {item.under!r}", text,
                           item.position.file, item.name_position.line,
                           item.name_position.column)
    elif len(anchors) == 1:
        anchor = anchors[0]
    else:
        why = "no anchor" if not anchors else f"{len(anchors)} anchors; write 'under ANCHOR'"
        raise error_at(f"theorem {item.name!r}: the theory has {why}", text,
                       item.position.file, item.name_position.line, item.name_position.column)
    if item.positions is not None:
        positions = item.positions
    _check_expr(theory, item.expr, set(anchor.params), item.position.file, text, positions,
                what=f"theorem {item.name!r}")
    return Goal(item.name, anchor.name, item.expr, item.position)


def _check_implication(item: RawItem, goal: Goal, text: str, positions: PositionMap) -> None:
    """A goal is a statement ``(>[x..] P Q)``: the prover proves implications only."""
    if isinstance(goal.expr, Implies):
        return
    own = item.positions if item.positions is not None else positions
    pos = own.get(goal.expr) or item.name_position
    raise error_at(f"theorem {item.name!r} is not an implication: a goal is written "
                   f"(>[x..] P Q), for all x..: P implies Q ((>[] P Q) for a closed statement)",
                   text, item.position.file, pos.line, pos.column)


def _check_expr(theory: Theory, expr: Expr, allowed: set[str], file: str, text: str,
                positions: PositionMap, what: str) -> None:
    def where(node) -> tuple[int, int]:
        pos = positions.get(node)
        return (pos.line, pos.column) if pos else (1, 1)

    # an explicit stack, left to right: the first error in the text is the one reported
    stack: list[tuple[Expr, frozenset[str]]] = [(expr, frozenset())]
    while stack:
        node, bound = stack.pop()
        if isinstance(node, Atom):
            arity = theory.arity(node.name)
            if arity is None:
                line, col = where(node)
                raise error_at(f"unknown relation {node.name!r} in {what}", text, file, line, col)
            if arity != len(node.args):
                line, col = where(node)
                raise error_at(f"{node.name!r} takes {arity} arguments, got {len(node.args)}"
                               f" in {what}", text, file, line, col)
            for arg in node.args:
                if arg not in bound and arg not in allowed:
                    line, col = where(node)
                    raise error_at(f"name {arg!r} is neither bound nor a parameter of {what}",
                                   text, file, line, col)
        elif isinstance(node, And):
            stack.append((node.right, bound))
            stack.append((node.left, bound))
        elif isinstance(node, Not):
            stack.append((node.body, bound))
        else:
            if len(set(node.vars)) != len(node.vars):
                line, col = where(node)
                raise error_at(f"repeated variable in binder [{','.join(node.vars)}]", text,
                               file, line, col)
            inner = bound | frozenset(node.vars)
            stack.append((node.conclusion, inner))
            stack.append((node.premise, inner))


def _check_cycles(theory: Theory, texts: dict[str, str]) -> None:
    uses = {name: sorted({a.name for a in atoms(d.body) if a.name in theory.definitions})
            for name, d in theory.definitions.items()}
    state: dict[str, int] = {}      # 1: on the current path, 2: done
    # depth-first with an explicit stack (a chain of thousands of definitions is fine)
    for root in theory.definitions:
        if state.get(root) is not None:
            continue
        state[root] = 1
        path = [root]
        pending = [iter(uses[root])]
        while pending:
            other = next(pending[-1], None)
            if other is None:
                state[path.pop()] = 2
                pending.pop()
                continue
            if state.get(other) == 1:
                cycle = path[path.index(other):] + [other]
                d = theory.definitions[other]
                raise error_at(f"cyclic definition: {' -> '.join(cycle)}", texts[other],
                               d.position.file, d.position.line, d.position.column)
            if state.get(other) is None:
                state[other] = 1
                path.append(other)
                pending.append(iter(uses[other]))


def expand_fully(theory: Theory, expr: Expr) -> Expr:
    """Replace every definition atom by its body, recursively (definitions are acyclic).

    The walk keeps its own stack and shares the work on shared nodes, so a long chain of
    definitions (each using the one before) expands without deep recursion."""
    done: dict[Expr, Expr] = {}
    bodies: dict[Expr, Expr] = {}
    stack: list[Expr] = [expr]
    while stack:
        node = stack[-1]
        if node in done:
            stack.pop()
            continue
        if isinstance(node, Atom):
            if node.name not in theory.definitions:
                done[node] = node
                stack.pop()
                continue
            body = bodies.get(node)
            if body is None:
                body = bodies[node] = theory.expand_atom(node)
            if body in done:
                done[node] = done[body]
                stack.pop()
            else:
                stack.append(body)
            continue
        if isinstance(node, And):
            children = (node.left, node.right)
        elif isinstance(node, Not):
            children = (node.body,)
        else:
            children = (node.premise, node.conclusion)
        missing = [c for c in children if c not in done]
        if missing:
            stack.extend(reversed(missing))
            continue
        stack.pop()
        if isinstance(node, And):
            done[node] = And(done[node.left], done[node.right])
        elif isinstance(node, Not):
            done[node] = Not(done[node.body])
        else:
            done[node] = Implies(node.vars, done[node.premise], done[node.conclusion])
    return done[expr]
