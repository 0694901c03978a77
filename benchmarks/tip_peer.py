"""The peer prover for the TIP benchmark: CVC4 1.8 with induction and conjecture generation.

A TIP problem is SMT-LIB 2.6 plus a few extensions that CVC4 1.8 does not read:

* ``(prove F)`` - here ``(assert (not F))`` then ``(check-sat)``; ``unsat`` means proved
  (with more than one goal each negation sits between ``(push 1)`` and ``(pop 1)``);
* ``par`` in function definitions and goals.  CVC4 reads parametric *datatypes*, but not
  parametric functions or goals, so those are monomorphised: a goal's type variables
  become fresh uninterpreted sorts (``declare-sort``), and each polymorphic function is
  defined once for each list of concrete types it is called at, found by type inference
  over the goal and (transitively) over the instances' bodies, ``(_ f T ...)``
  annotations included;
* ``(_ nil T)`` - written ``(as nil (list T))``; every nullary constructor of a parametric
  datatype gets such an annotation;
* higher-order values: the function sort ``(=> A B)`` becomes ``(-> A B)``, ``(@ f x)``
  becomes ``(f x)``, and ``lambda`` stays; CVC4 reads these only with ``--uf-ho``, which
  is passed only to problems that need it.

Background ``(assert ...)`` lemmas are left out by default, as genlogic leaves them out
(``keep_asserts=True`` keeps them).

    python benchmarks/tip_peer.py PROBLEM.smt2 ... [--time-limit 5] [--show]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from genlogic.mpl.errors import MPLError            # noqa: E402
from genlogic.mpl.tip.reader import Sexp, read_sexps  # noqa: E402

__all__ = ["PeerInput", "PeerResult", "PeerError", "cvc4_path", "cvc4_version", "convert",
           "run_cvc4", "CVC4_OPTIONS"]

CVC4_OPTIONS = ("--lang", "smt2", "--quant-ind", "--conjecture-gen")
BOOL_OPS = {"and", "or", "not", "=>", "xor"}
MAX_INSTANCES = 500          # polymorphic recursion could otherwise instantiate forever


class PeerError(Exception):
    """A problem the conversion cannot express for CVC4 (with file:line:col)."""


@dataclass
class PeerInput:
    """A TIP problem as SMT-LIB that CVC4 1.8 reads."""
    text: str
    goals: int
    higher_order: bool
    monomorphised: bool                  # parametric functions or goals were instantiated
    instances: int = 0                   # function definitions emitted
    asserts_dropped: int = 0


@dataclass
class PeerResult:
    name: str
    status: str                          # SZS: Theorem, CounterSatisfiable, GaveUp, ...
    seconds: float
    reason: str = ""
    answers: list[str] = field(default_factory=list)


# -- types ----------------------------------------------------------------------------
# A sort is a str (a sort constant or type variable), a tuple (head, *arguments) with
# "=>" as the head of a function sort, or a Meta (an unknown found by unification).

class Meta:
    _ids = itertools.count()

    def __init__(self):
        self.id = next(Meta._ids)

    def __repr__(self):
        return f"?{self.id}"


class Unifier:
    def __init__(self):
        self.bound: dict[Meta, object] = {}

    def walk(self, t):
        while isinstance(t, Meta) and t in self.bound:
            t = self.bound[t]
        return t

    def resolve(self, t):
        t = self.walk(t)
        if isinstance(t, tuple):
            return tuple(self.resolve(x) for x in t)
        return t

    def occurs(self, m, t) -> bool:
        t = self.walk(t)
        if t is m:
            return True
        return isinstance(t, tuple) and any(self.occurs(m, x) for x in t)

    def unify(self, a, b) -> bool:
        a, b = self.walk(a), self.walk(b)
        if a is b or (not isinstance(a, (Meta, tuple)) and a == b):
            return True
        if isinstance(a, Meta):
            if self.occurs(a, b):
                return False
            self.bound[a] = b
            return True
        if isinstance(b, Meta):
            return self.unify(b, a)
        if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
            return all(self.unify(x, y) for x, y in zip(a, b))
        return False


def substitute(t, mapping: dict):
    if isinstance(t, tuple):
        return tuple(substitute(x, mapping) for x in t)
    if isinstance(t, str):
        return mapping.get(t, t)
    return t


def is_ground(t) -> bool:
    if isinstance(t, tuple):
        return all(is_ground(x) for x in t)
    return isinstance(t, str)


def sort_text(t) -> str:
    if isinstance(t, tuple):
        head = "->" if t[0] == "=>" else t[0]
        return "(" + " ".join([quote(head) if head != "->" else head]
                              + [sort_text(x) for x in t[1:]]) + ")"
    return quote(str(t))


def quote(symbol: str) -> str:
    """A symbol as SMT-LIB text (bars when it is not a simple symbol)."""
    if symbol and all(c.isalnum() or c in "~!@$%^&*_-+=<>.?/" for c in symbol) \
            and not symbol[0].isdigit():
        return symbol
    return f"|{symbol}|"


# -- the problem's signature ----------------------------------------------------------

@dataclass
class Datatype:
    name: str
    params: list[str]
    constructors: dict[str, list[tuple[str, object]]]     # constructor -> [(selector, sort)]
    source: Sexp


@dataclass
class Function:
    name: str
    params: list[str]
    args: list[tuple[str, object]]
    result: object
    body: Sexp
    recursive: bool
    node: Sexp

    @property
    def sort(self):
        if not self.args:
            return self.result
        return ("=>",) + tuple(s for _, s in self.args) + (self.result,)


class Converter:
    def __init__(self, text: str, file: str, keep_asserts: bool = False):
        self.file = file
        self.keep_asserts = keep_asserts
        try:
            self.forms = read_sexps(text, file)
        except MPLError as exc:
            raise PeerError(str(exc)) from None
        self.sorts: set[str] = {"Bool"}
        self.datatypes: dict[str, Datatype] = {}
        self.functions: dict[str, Function] = {}
        self.constructors: dict[str, Datatype] = {}
        self.selectors: dict[str, tuple[Datatype, object]] = {}
        self.goals: list[Sexp] = []
        self.asserts: list[Sexp] = []
        self.higher_order = False

    def fail(self, node: Sexp, what: str) -> PeerError:
        return PeerError(f"{self.file}:{node.line}:{node.column}: {what}")

    # ---- declarations
    def read(self) -> None:
        for form in self.forms:
            if not form.is_list() or not form.items or form.items[0].is_list():
                raise self.fail(form, "expected a command")
            head = form.items[0].symbol
            if head == "declare-sort":
                self.sorts.add(form.items[1].symbol)
            elif head == "declare-datatype":
                self.datatype(form.items[1].symbol, form.items[2], form)
            elif head == "declare-datatypes":
                self.datatypes_block(form)
            elif head in ("define-fun", "define-fun-rec"):
                self.function(form.items[1:], head == "define-fun-rec", form)
            elif head == "define-funs-rec":
                for decl, body in zip(form.items[1].items, form.items[2].items):
                    if _is_par(decl):                # (par (a) (f ARGS RESULT))
                        inner = decl.items[2].items
                        sig = Sexp(None, (decl.items[0], decl.items[1],
                                          Sexp(None, inner[1:], decl.line, decl.column)),
                                   decl.line, decl.column)
                        self.function((inner[0], sig, body), True, form)
                    else:
                        self.function((*decl.items, body), True, form)
            elif head == "prove":
                self.goals.append(form.items[1])
            elif head == "assert":
                self.asserts.append(form.items[1])
            elif head in ("set-logic", "set-info", "set-option", "check-sat", "push", "pop",
                          "exit"):
                continue
            else:
                raise self.fail(form, f"command '{head}' is not converted")

    def sort(self, node: Sexp, tvars: dict):
        if not node.is_list():
            name = node.symbol
            if name in tvars:
                return tvars[name]
            return name
        head = node.items[0].symbol
        if head in ("=>", "->"):                       # TIP's and CVC4's function sorts
            head = "=>"
            self.higher_order = True
        return (head,) + tuple(self.sort(x, tvars) for x in node.items[1:])

    def datatype(self, name: str, body: Sexp, form: Sexp) -> None:
        params: list[str] = []
        if _is_par(body):
            params = [p.symbol for p in body.items[1].items]
            body = body.items[2]
        tvars = {p: p for p in params}
        constructors = {}
        for c in body.items:
            if c.is_list():
                cname = c.items[0].symbol
                fields = [(f.items[0].symbol, self.sort(f.items[1], tvars)) for f in c.items[1:]]
            else:
                cname, fields = c.symbol, []
            constructors[cname] = fields
        dt = Datatype(name, params, constructors, form)
        self.datatypes[name] = dt
        self.sorts.add(name)
        for cname, fields in constructors.items():
            self.constructors[cname] = dt
            for sel, s in fields:
                self.selectors[sel] = (dt, s)

    def datatypes_block(self, form: Sexp) -> None:
        for decl, body in zip(form.items[1].items, form.items[2].items):
            self.datatype(decl.items[0].symbol, body, form)

    def function(self, parts, recursive: bool, form: Sexp) -> None:
        """``parts``: name, then ``(par (a ...) (ARGS RESULT))`` or ARGS RESULT; the body."""
        name, rest, body = parts[0].symbol, parts[1:-1], parts[-1]
        params: list[str] = []
        if len(rest) == 1 and _is_par(rest[0]):
            params = [p.symbol for p in rest[0].items[1].items]
            rest = rest[0].items[2].items
        if len(rest) != 2 or not rest[0].is_list():
            raise self.fail(form, f"malformed definition of '{name}'")
        tvars = {p: p for p in params}
        args = [(a.items[0].symbol, self.sort(a.items[1], tvars)) for a in rest[0].items]
        self.functions[name] = Function(name, params, args, self.sort(rest[1], tvars), body,
                                        recursive, form)

    # ---- inference
    def symbol_type(self, name: str, node: Sexp, env: dict, explicit=None):
        """The sort of a symbol used as a term, with its type arguments (metas)."""
        if name in env:
            return env[name], None
        if name in ("true", "false"):
            return "Bool", None
        if name in self.constructors:
            dt = self.constructors[name]
            inst = self.instantiate(dt.params, explicit, node, name)
            result = (dt.name,) + tuple(inst) if dt.params else dt.name
            mapping = dict(zip(dt.params, inst))
            fields = [substitute(s, mapping) for _, s in dt.constructors[name]]
            sort = ("=>",) + tuple(fields) + (result,) if fields else result
            return sort, ("constructor", inst)
        if name in self.selectors:
            dt, s = self.selectors[name]
            inst = self.instantiate(dt.params, explicit, node, name)
            mapping = dict(zip(dt.params, inst))
            arg = (dt.name,) + tuple(inst) if dt.params else dt.name
            return ("=>", arg, substitute(s, mapping)), ("selector", inst)
        if name in self.functions:
            f = self.functions[name]
            inst = self.instantiate(f.params, explicit, node, name)
            return substitute(f.sort, dict(zip(f.params, inst))), ("function", inst)
        raise self.fail(node, f"unknown symbol '{name}'")

    def instantiate(self, params, explicit, node, name):
        if explicit is None:
            return [Meta() for _ in params]
        if len(explicit) != len(params):
            # (_ nil T) names the constructor's datatype arguments; TIP writes them in order
            raise self.fail(node, f"'{name}' takes {len(params)} type argument(s)")
        return list(explicit)

    def infer(self, node: Sexp, env: dict, ctx) -> object:
        """The sort of ``node``; records each symbol's instance in ``ctx.instances``."""
        u = ctx.unifier
        if not node.is_list():
            sort, inst = self.symbol_type(node.symbol, node, env)
            if inst is not None:
                ctx.instances[id(node)] = inst
            return sort
        items = node.items
        if not items:
            raise self.fail(node, "empty application")
        head = items[0]
        if not head.is_list():
            h = head.symbol
            if h == "_" and len(items) >= 3:             # (_ f T ...): an explicit instance
                explicit = [self.sort(t, ctx.tvars) for t in items[2:]]
                sort, inst = self.symbol_type(items[1].symbol, node, env, explicit)
                ctx.instances[id(node)] = inst
                return sort
            if h in ("forall", "exists"):
                inner = dict(env)
                for b in items[1].items:
                    inner[b.items[0].symbol] = self.sort(b.items[1], ctx.tvars)
                self.expect(items[2], inner, ctx, "Bool")
                return "Bool"
            if h == "lambda":
                self.higher_order = True
                inner = dict(env)
                sorts = []
                for b in items[1].items:
                    s = self.sort(b.items[1], ctx.tvars)
                    inner[b.items[0].symbol] = s
                    sorts.append(s)
                return ("=>",) + tuple(sorts) + (self.infer(items[2], inner, ctx),)
            if h == "let":
                inner = dict(env)
                for b in items[1].items:
                    inner[b.items[0].symbol] = self.infer(b.items[1], env, ctx)
                return self.infer(items[2], inner, ctx)
            if h == "match":
                return self.match(node, env, ctx)
            if h == "ite":
                self.expect(items[1], env, ctx, "Bool")
                t = self.infer(items[2], env, ctx)
                self.expect(items[3], env, ctx, t)
                return t
            if h in ("=", "distinct"):
                t = self.infer(items[1], env, ctx)
                for x in items[2:]:
                    self.expect(x, env, ctx, t)
                return "Bool"
            if h in BOOL_OPS and h not in env:
                for x in items[1:]:
                    self.expect(x, env, ctx, "Bool")
                return "Bool"
            if h == "@":
                self.higher_order = True
                fsort = self.infer(items[1], env, ctx)
                args = [self.infer(x, env, ctx) for x in items[2:]]
                result = Meta()
                if not u.unify(fsort, ("=>",) + tuple(args) + (result,)):
                    raise self.fail(node, f"cannot apply a {sort_text(u.resolve(fsort))}")
                return result
        fsort = self.infer(head, env, ctx)
        args = [self.infer(x, env, ctx) for x in items[1:]]
        result = Meta()
        if not u.unify(fsort, ("=>",) + tuple(args) + (result,)):
            raise self.fail(node, f"ill-typed application of {head}: "
                                  f"{sort_text(u.resolve(fsort))} to "
                                  f"{', '.join(sort_text(u.resolve(a)) for a in args)}")
        return result

    def expect(self, node, env, ctx, sort) -> None:
        got = self.infer(node, env, ctx)
        if not ctx.unifier.unify(got, sort):
            u = ctx.unifier
            raise self.fail(node, f"expected {sort_text(u.resolve(sort))}, found "
                                  f"{sort_text(u.resolve(got))}")

    def match(self, node: Sexp, env, ctx):
        u = ctx.unifier
        scrutinee = self.infer(node.items[1], env, ctx)
        result = Meta()
        for case in node.items[2].items:
            pattern, body = case.items
            inner = dict(env)
            if pattern.is_list():
                cname = pattern.items[0].symbol
                sort, inst = self.symbol_type(cname, pattern, {})
                if inst is None or inst[0] != "constructor":
                    raise self.fail(pattern, f"'{cname}' is not a constructor")
                ctx.instances[id(pattern.items[0])] = inst
                fields, dt_sort = sort[1:-1], sort[-1]
                for var, s in zip(pattern.items[1:], fields):
                    inner[var.symbol] = s
            elif pattern.symbol in self.constructors:
                dt_sort, inst = self.symbol_type(pattern.symbol, pattern, {})
                ctx.instances[id(pattern)] = inst
            else:                                        # a variable or the wildcard _
                dt_sort = scrutinee
                if pattern.symbol != "_":
                    inner[pattern.symbol] = scrutinee
            if not u.unify(dt_sort, scrutinee):
                raise self.fail(pattern, "pattern of the wrong datatype")
            self.expect(body, inner, ctx, result)
        return result

    # ---- emission
    def emit(self, node: Sexp, ctx, pattern: bool = False) -> str:
        u = ctx.unifier
        if not node.is_list():
            return self.emit_symbol(node.symbol, node, ctx, pattern)
        items = node.items
        head = items[0]
        if not head.is_list():
            h = head.symbol
            if h == "_" and len(items) >= 3:
                return self.emit_symbol(items[1].symbol, node, ctx, pattern)
            if h in ("forall", "exists", "lambda"):
                binds = " ".join(f"({quote(b.items[0].symbol)} "
                                 f"{self.sort_out(self.ground(self.sort(b.items[1], ctx.tvars), b, u))})"
                                 for b in items[1].items)
                return f"({h} ({binds}) {self.emit(items[2], ctx)})"
            if h == "let":
                binds = " ".join(f"({quote(b.items[0].symbol)} {self.emit(b.items[1], ctx)})"
                                 for b in items[1].items)
                return f"(let ({binds}) {self.emit(items[2], ctx)})"
            if h == "match":
                cases = " ".join(f"({self.emit(c.items[0], ctx, pattern=True)} "
                                 f"{self.emit(c.items[1], ctx)})" for c in items[2].items)
                return f"(match {self.emit(items[1], ctx)} ({cases}))"
            if h == "@":
                return "(" + " ".join(self.emit(x, ctx) for x in items[1:]) + ")"
        return "(" + " ".join(self.emit(x, ctx, pattern and i == 0)
                              for i, x in enumerate(items)) + ")"

    def ground(self, sort, node, u):
        sort = u.resolve(sort)
        if not is_ground(sort):
            raise self.fail(node, f"cannot infer the sort here ({sort_text(sort)})")
        return sort

    def emit_symbol(self, name: str, node: Sexp, ctx, pattern: bool) -> str:
        inst = ctx.instances.get(id(node))
        if inst is None:
            return quote(name)
        kind, types = inst
        types = [self.ground(t, node, ctx.unifier) for t in types]
        if kind == "function":
            return self.instance_name(name, types, ctx)
        if not types:
            return quote(name)
        # a constructor or selector of a parametric datatype: that of the instance
        dt = self.constructors[name] if kind == "constructor" else self.selectors[name][0]
        self.sort_out((dt.name,) + tuple(types))
        return quote(f"{name}[{','.join(mangle(t) for t in types)}]")

    def instance_name(self, name: str, types: list, ctx) -> str:
        f = self.functions[name]
        if not f.params:
            if ctx.caller is not None:
                ctx.calls.add((name, ()))
            return quote(name)
        key = (name, tuple(types))
        if key not in self.instance_names:
            if len(self.instance_names) >= MAX_INSTANCES:
                raise PeerError(f"{self.file}: more than {MAX_INSTANCES} function instances")
            self.instance_names[key] = \
                f"{name}[{','.join(mangle(t) for t in types)}]"
            self.pending.append(key)
        if ctx.caller is not None:
            ctx.calls.add(key)
        return quote(self.instance_names[key])

    def sort_out(self, t, deps: set | None = None) -> str:
        """A ground sort as SMT-LIB text; a parametric datatype's instance is declared
        (once) as a monomorphic datatype of its own."""
        if isinstance(t, tuple):
            if t[0] == "=>":
                return "(-> " + " ".join(self.sort_out(x, deps) for x in t[1:]) + ")"
            key = (t[0], t[1:])
            if key not in self.dt_instances:
                self.dt_instances[key] = mangle(t)
                self.dt_pending.append(key)
            if deps is not None:
                deps.add(key)
            return quote(self.dt_instances[key])
        if deps is not None and t in self.datatypes:
            deps.add((t, ()))
        return quote(str(t))

    def datatype_texts(self) -> list[str]:
        """Every monomorphic datatype and every instance used, each after those its
        fields name (mutually recursive ones in one declare-datatypes)."""
        bodies: dict[tuple, tuple[str, set]] = {}
        for name, dt in self.datatypes.items():
            if not dt.params:
                self.dt_pending.append((name, ()))
        while self.dt_pending:
            key = self.dt_pending.pop()
            if key in bodies:
                continue
            name, types = key
            dt = self.datatypes[name]
            mapping = dict(zip(dt.params, types))
            suffix = f"[{','.join(mangle(t) for t in types)}]" if types else ""
            deps: set = set()
            constructors = []
            for cname, fields in dt.constructors.items():
                parts = [quote(cname + suffix)] + [
                    f"({quote(sel + suffix)} {self.sort_out(substitute(t, mapping), deps)})"
                    for sel, t in fields]
                constructors.append("(" + " ".join(parts) + ")")
            bodies[key] = ("(" + " ".join(constructors) + ")", deps)
        names = list(self.datatypes)
        nodes = sorted(bodies, key=lambda k: (names.index(k[0]), mangle((k[0],) + k[1])))
        label = {k: quote(mangle((k[0],) + k[1]) if k[1] else k[0]) for k in nodes}
        texts = []
        for group in strongly_connected(nodes, lambda k: sorted(bodies[k][1] & set(bodies),
                                                                key=nodes.index)):
            if len(group) == 1:
                k = group[0]
                texts.append(f"(declare-datatype {label[k]} {bodies[k][0]})")
            else:
                decls = " ".join(f"({label[k]} 0)" for k in group)
                texts.append(f"(declare-datatypes ({decls}) "
                             f"({' '.join(bodies[k][0] for k in group)}))")
        return texts

    # ---- the whole problem
    def convert(self) -> PeerInput:
        self.read()
        self.instance_names: dict[tuple, str] = {}
        self.dt_instances: dict[tuple, str] = {}
        self.dt_pending: list[tuple] = []
        self.pending: list[tuple] = []
        definitions: dict[tuple, tuple[str, set]] = {}   # instance -> (text, callees)
        fresh_sorts: list[str] = []
        used = set(self.sorts) | set(self.functions) | set(self.constructors) \
            | set(self.selectors) | {p for d in self.datatypes.values() for p in d.params} \
            | {p for f in self.functions.values() for p in f.params}

        def fresh_sort(name: str) -> str:
            # not the type variable's own name: CVC4 refuses a sort named like a
            # datatype's parameter
            base = name[:1].upper() + name[1:]
            candidate = base
            for i in itertools.count(1):
                if candidate not in used:
                    break
                candidate = f"{base}_{i}"
            used.add(candidate)
            fresh_sorts.append(candidate)
            return candidate

        def formula(node: Sexp) -> str:
            tvars = {}
            if _is_par(node):
                tvars = {p.symbol: fresh_sort(p.symbol) for p in node.items[1].items}
                node = node.items[2]
            ctx = _Context(tvars, None)
            self.expect(node, {}, ctx, "Bool")
            return self.emit(node, ctx)

        def define(key) -> None:
            name, types = key
            f = self.functions[name]
            mapping = dict(zip(f.params, types))
            ctx = _Context(mapping, key)
            env = {a: substitute(s, mapping) for a, s in f.args}
            self.expect(f.body, env, ctx, substitute(f.result, mapping))
            body = self.emit(f.body, ctx)
            args = " ".join(f"({quote(a)} {self.sort_out(s)})" for a, s in env.items())
            label = quote(self.instance_names[key]) if f.params else quote(name)
            signature = f"{label} ({args}) {self.sort_out(substitute(f.result, mapping))}"
            definitions[key] = (signature, body, ctx.calls)

        goals = [formula(g) for g in self.goals]
        asserts = [formula(a) for a in self.asserts] if self.keep_asserts else []
        for name, f in self.functions.items():          # monomorphic ones, in file order
            if not f.params:
                self.pending.append((name, ()))
        while self.pending:
            key = self.pending.pop()
            if key not in definitions:
                define(key)
        self.monomorphised = any(f.params for f in self.functions.values()) or bool(fresh_sorts)

        # UFDT keeps the theory symbols of ALL (insert, exp, ...) free for the problem's
        # own functions; CVC4 1.8 reads function sorts only under ALL
        out = [f"(set-logic {'ALL' if self.higher_order else 'UFDT'})"]
        for s in sorted((self.sorts - set(self.datatypes) - {"Bool"}) | set(fresh_sorts)):
            out.append(f"(declare-sort {quote(s)} 0)")
        out.extend(self.datatype_texts())
        out.extend(self.ordered_definitions(definitions))
        out.extend(f"(assert {a})" for a in asserts)
        for g in goals:
            if len(goals) > 1:
                out.append("(push 1)")
            out.append(f"(assert (not {g}))")
            out.append("(check-sat)")
            if len(goals) > 1:
                out.append("(pop 1)")
        return PeerInput("\n".join(out) + "\n", len(goals), self.higher_order,
                         self.monomorphised, len(definitions),
                         0 if self.keep_asserts else len(self.asserts))

    def ordered_definitions(self, definitions) -> list[str]:
        """Definitions callees first; mutually recursive groups in one define-funs-rec."""
        order = {key: i for i, key in enumerate(sorted(
            definitions, key=lambda k: (list(self.functions).index(k[0]), str(k[1]))))}
        texts = []
        for group in strongly_connected(sorted(definitions, key=order.get),
                                        lambda k: sorted(definitions[k][2] & set(definitions),
                                                         key=order.get)):
            if len(group) == 1:
                key = group[0]
                signature, body, calls = definitions[key]
                f = self.functions[key[0]]
                command = "define-fun-rec" if key in calls or f.recursive else "define-fun"
                texts.append(f"({command} {signature}\n  {body})")
            else:
                decls = " ".join(f"({definitions[k][0]})" for k in group)
                bodies = "\n  ".join(definitions[k][1] for k in group)
                texts.append(f"(define-funs-rec ({decls})\n  ({bodies}))")
        return texts


def _is_par(node: Sexp) -> bool:
    return node.is_list() and len(node.items) == 3 and not node.items[0].is_list() \
        and node.items[0].symbol == "par"


class _Context:
    def __init__(self, tvars: dict, caller):
        self.tvars = tvars
        self.caller = caller
        self.unifier = Unifier()
        self.instances: dict[int, tuple] = {}
        self.calls: set = set()


def mangle(t) -> str:
    """A ground sort as part of an instance's name: ``list[pair[A,Nat]]``."""
    if isinstance(t, tuple):
        if t[0] == "=>":
            return "(" + "->".join(mangle(x) for x in t[1:]) + ")"
        return f"{t[0]}[{','.join(mangle(x) for x in t[1:])}]"
    return str(t)


def strongly_connected(nodes, successors) -> list[list]:
    """Tarjan's components, each after the components it calls into."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = itertools.count()

    def visit(v):
        index[v] = low[v] = next(counter)
        stack.append(v)
        on.add(v)
        for w in successors(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            out.append(sorted(group, key=nodes.index))

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def convert(text: str, file: str = "<tip>", keep_asserts: bool = False) -> PeerInput:
    """The TIP problem ``text`` as SMT-LIB for CVC4 1.8 (raises PeerError)."""
    return Converter(text, file, keep_asserts).convert()


# -- running CVC4 ---------------------------------------------------------------------

def cvc4_path() -> str | None:
    return shutil.which("cvc4")


def cvc4_version() -> str | None:
    path = cvc4_path()
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    first = out.stdout.splitlines()[0] if out.stdout else ""
    return first.replace("This is ", "")


def run_cvc4(path: str | Path, time_limit: float = 20.0, keep_asserts: bool = False,
             grace: float = 5.0) -> PeerResult:
    """Convert one problem and run CVC4 on it: Theorem when every check-sat is unsat."""
    path = Path(path)
    start = time.perf_counter()
    binary = cvc4_path()
    if binary is None:
        return PeerResult(path.stem, "Inappropriate", 0.0, "cvc4 is not installed")
    try:
        problem = convert(path.read_text(encoding="utf-8"), str(path), keep_asserts)
    except (PeerError, UnicodeDecodeError, OSError) as exc:
        return PeerResult(path.stem, "InputError", time.perf_counter() - start,
                          f"not converted: {exc}")
    command = [binary, *CVC4_OPTIONS, f"--tlimit={int(time_limit * 1000)}"]
    if problem.higher_order:
        command.append("--uf-ho")
    if problem.goals > 1:
        command.append("--incremental")
    with tempfile.NamedTemporaryFile("w", suffix=".smt2", prefix="tip-peer-",
                                     delete=False) as handle:
        handle.write(problem.text)
    try:
        out = subprocess.run(command + [handle.name], capture_output=True, text=True,
                             timeout=time_limit + grace)
    except subprocess.TimeoutExpired:
        return PeerResult(path.stem, "Timeout", time.perf_counter() - start,
                          f"killed after {time_limit + grace:g} s")
    finally:
        Path(handle.name).unlink(missing_ok=True)
    seconds = time.perf_counter() - start
    answers = [line.strip() for line in out.stdout.splitlines()
               if line.strip() in ("sat", "unsat", "unknown")]
    text = (out.stdout + out.stderr).strip()
    if "(error" in out.stdout or (not answers and out.returncode != 0):
        message = " ".join(text.split())[:300]
        return PeerResult(path.stem, "InputError", seconds, f"cvc4 refused it: {message}",
                          answers)
    if len(answers) == problem.goals and all(a == "unsat" for a in answers):
        return PeerResult(path.stem, "Theorem", seconds, "", answers)
    if "sat" in answers:
        return PeerResult(path.stem, "CounterSatisfiable", seconds,
                          "cvc4 found a model of a negated goal", answers)
    if seconds >= time_limit * 0.95 or "timeout" in text.lower():
        return PeerResult(path.stem, "Timeout", seconds,
                          f"not proved within {time_limit:g} s", answers)
    return PeerResult(path.stem, "GaveUp", seconds, "cvc4 answered unknown", answers)


def main() -> None:
    parser = argparse.ArgumentParser(description="run CVC4 1.8 on TIP problems")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--keep-asserts", action="store_true",
                        help="keep the background (assert ...) lemmas")
    parser.add_argument("--show", action="store_true",
                        help="print the converted SMT-LIB instead of running cvc4")
    args = parser.parse_args()
    for path in args.files:
        if args.show:
            print(convert(path.read_text(encoding="utf-8"), str(path), args.keep_asserts).text)
            continue
        r = run_cvc4(path, args.time_limit, args.keep_asserts)
        print(f"{path.parent.name}/{path.stem}: {r.status} ({r.seconds:.1f} s) {r.reason}",
              flush=True)


if __name__ == "__main__":
    main()
