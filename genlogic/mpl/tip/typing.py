"""TIP declarations, type inference and monomorphisation.

``declarations`` reads the commands of a problem (datatypes with their constructors and
selectors, uninterpreted sorts, function definitions, goals) into ``Problem``.
``Elaborator`` turns an expression into a typed ``Term``: types are inferred by
unification (``(_ nil a)`` annotations, polymorphic constructors and functions get fresh
type variables per use), and every type of the result is ground.  ``monomorphise``
starts from the goals (their type variables become uninterpreted sorts of their own,
which is sound for a statement about every type) and elaborates each function at each
list of type arguments it is used at, until no new instance appears.

Function types ``(=> a b)`` are ordinary ground types here; ``@`` applies a value of one,
and ``lambda`` builds one (the translation lifts it to an operator of its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .sexp import Sexp

__all__ = ["Type", "BOOL", "Datatype", "Function", "Goal", "Problem", "Term", "Instances",
           "declarations", "monomorphise", "TypeFailure"]

ARROW = "=>"
MAX_INSTANCES = 64           # a function used at ever new types: polymorphic recursion


class TypeFailure(Exception):
    """A construct the reader refuses, at an S-expression (turned into a located error)."""

    def __init__(self, node: Sexp, message: str):
        super().__init__(message)
        self.node, self.message = node, message


@dataclass(frozen=True)
class Type:
    """A type: a datatype or sort applied to arguments, ``=>`` for functions; a name
    starting with ``'`` is a type parameter, with ``?`` an unknown being inferred."""
    name: str
    args: tuple["Type", ...] = ()

    def __str__(self) -> str:
        if not self.args:
            return self.name.lstrip("'")
        return f"({self.name} {' '.join(str(a) for a in self.args)})"

    def substitute(self, mapping: dict[str, "Type"]) -> "Type":
        if self.name in mapping and not self.args:
            return mapping[self.name]
        if not self.args:
            return self
        return Type(self.name, tuple(a.substitute(mapping) for a in self.args))

    def is_ground(self) -> bool:
        return self.name[:1] not in "'?" and all(a.is_ground() for a in self.args)


BOOL = Type("Bool")


@dataclass
class Datatype:
    name: str
    params: tuple[str, ...]
    constructors: list[tuple[str, list[tuple[str, Type]]]]     # (name, [(selector, type)])
    node: Sexp

    def fields(self, instance: Type, constructor: str) -> list[Type]:
        mapping = {"'" + p: a for p, a in zip(self.params, instance.args)}
        fields = dict(self.constructors)[constructor]
        return [t.substitute(mapping) for _, t in fields]


@dataclass
class Function:
    name: str
    tparams: tuple[str, ...]
    params: list[tuple[str, Type]]
    result: Type
    body: Sexp
    node: Sexp


@dataclass
class Goal:
    tparams: tuple[str, ...]
    formula: Sexp
    node: Sexp


@dataclass
class Problem:
    datatypes: dict[str, Datatype] = field(default_factory=dict)
    sorts: list[str] = field(default_factory=list)               # declare-sort names
    functions: dict[str, Function] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)
    asserts: int = 0
    constructors: dict[str, str] = field(default_factory=dict)   # constructor -> datatype
    selectors: set[str] = field(default_factory=set)


_IGNORED = {"set-logic", "set-info", "set-option", "check-sat", "exit", "get-info"}


def declarations(commands: list[Sexp]) -> Problem:
    problem = Problem()
    problem.datatypes["Bool"] = Datatype("Bool", (), [("false", []), ("true", [])], None)
    problem.constructors.update(false="Bool", true="Bool")
    for command in commands:
        head = command.head()
        if head is None:
            raise TypeFailure(command, "expected a command like (define-fun-rec ...)")
        if head == "declare-datatype":
            _datatype(problem, command, command.items[1:])
        elif head == "declare-datatypes":
            _datatypes(problem, command)
        elif head == "declare-sort":
            if len(command.items) != 3 or command.items[1].is_list() \
                    or command.items[2].symbol != "0":
                raise TypeFailure(command, "expected (declare-sort NAME 0)")
            _fresh_type_name(problem, command.items[1])
            problem.sorts.append(command.items[1].symbol)
        elif head in ("define-fun", "define-fun-rec"):
            _function(problem, command, command.items[1:])
        elif head == "define-funs-rec":
            raise TypeFailure(command.items[0], "mutually recursive functions "
                                                "(define-funs-rec) are not supported")
        elif head == "prove":
            if len(command.items) != 2:
                raise TypeFailure(command, "expected (prove FORMULA)")
            formula, tparams = command.items[1], ()
            if formula.head() == "par":
                tparams, formula = _par(formula)
            problem.goals.append(Goal(tparams, formula, command))
        elif head == "assert":
            problem.asserts += 1
        elif head not in _IGNORED:
            raise TypeFailure(command.items[0], f"{head!r} is not supported")
    if not problem.goals:
        raise TypeFailure(None, "no (prove ...) found")
    return problem


def _par(node: Sexp) -> tuple[tuple[str, ...], Sexp]:
    if len(node.items) != 3 or not node.items[1].is_list() \
            or any(p.is_list() for p in node.items[1].items):
        raise TypeFailure(node, "expected (par (a ...) ...)")
    return tuple(p.symbol for p in node.items[1].items), node.items[2]


def _fresh_type_name(problem: Problem, node: Sexp) -> None:
    if node.is_list() or node.symbol in problem.datatypes or node.symbol in problem.sorts:
        raise TypeFailure(node, f"the type {node} is declared twice")


def _datatypes(problem: Problem, command: Sexp) -> None:
    items = command.items
    if len(items) != 3 or not items[1].is_list() or not items[2].is_list() \
            or len(items[1].items) != len(items[2].items):
        raise TypeFailure(command, "expected (declare-datatypes ((T n) ...) (CONSTRUCTORS ...))")
    if len(items[1].items) > 1:
        raise TypeFailure(command, "mutually recursive datatypes are not supported")
    decl = items[1].items[0]
    if not decl.is_list() or len(decl.items) != 2:
        raise TypeFailure(decl, "expected (NAME ARITY)")
    _datatype(problem, command, (decl.items[0], items[2].items[0]))


def _datatype(problem: Problem, command: Sexp, rest) -> None:
    if len(rest) != 2 or rest[0].is_list() or not rest[1].is_list():
        raise TypeFailure(command, "expected (declare-datatype NAME (CONSTRUCTORS ...))")
    name_node, body = rest
    _fresh_type_name(problem, name_node)
    params: tuple[str, ...] = ()
    if body.head() == "par":
        params, body = _par(body)
        if not body.is_list():
            raise TypeFailure(body, "expected a list of constructors")
    name = name_node.symbol
    datatype = Datatype(name, params, [], command)
    problem.datatypes[name] = datatype          # visible to its own fields
    for constructor in body.items:
        if not constructor.is_list() or not constructor.items or constructor.items[0].is_list():
            raise TypeFailure(constructor, "expected (CONSTRUCTOR (selector TYPE) ...)")
        cname = constructor.items[0].symbol
        if cname in problem.constructors or cname in problem.functions:
            raise TypeFailure(constructor, f"{cname} is declared twice")
        fields = []
        for f in constructor.items[1:]:
            if not f.is_list() or len(f.items) != 2 or f.items[0].is_list():
                raise TypeFailure(f, "expected (selector TYPE)")
            fields.append((f.items[0].symbol, parse_type(problem, f.items[1], params)))
            problem.selectors.add(f.items[0].symbol)
        datatype.constructors.append((cname, fields))
        problem.constructors[cname] = name
    if not datatype.constructors:
        raise TypeFailure(command, f"the datatype {name} has no constructors")


def parse_type(problem: Problem, node: Sexp, tparams) -> Type:
    if not node.is_list():
        if node.symbol in tparams:
            return Type("'" + node.symbol)
        if node.symbol in problem.sorts:
            return Type(node.symbol)
        datatype = problem.datatypes.get(node.symbol)
        if datatype is not None and not datatype.params:
            return Type(node.symbol)
        if datatype is not None:
            raise TypeFailure(node, f"{node.symbol} needs {len(datatype.params)} type argument(s)")
        raise TypeFailure(node, f"unknown type {node.symbol!r} (genlogic reads datatypes, "
                                "declared sorts, Bool and function types)")
    head = node.head()
    args = tuple(parse_type(problem, a, tparams) for a in node.items[1:])
    if head == ARROW and len(args) >= 2:
        return Type(ARROW, args)
    datatype = problem.datatypes.get(head)
    if datatype is None or len(datatype.params) != len(args):
        raise TypeFailure(node, f"unknown type {node}")
    return Type(head, args)


def _function(problem: Problem, command: Sexp, rest) -> None:
    tparams: tuple[str, ...] = ()
    if len(rest) == 3 and rest[1].head() == "par":     # (define-fun f (par (a) (PARAMS R)) BODY)
        tparams, inner = _par(rest[1])
        if not inner.is_list() or len(inner.items) != 2:
            raise TypeFailure(rest[1], "expected (par (a ...) (PARAMS RESULT))")
        rest = (rest[0],) + inner.items + (rest[2],)
    if len(rest) != 4 or rest[0].is_list() or not rest[1].is_list():
        raise TypeFailure(command, "expected (define-fun NAME ((x T) ...) RESULT BODY)")
    name = rest[0].symbol
    if name in problem.functions or name in problem.constructors:
        raise TypeFailure(rest[0], f"{name} is defined twice")
    params = []
    for p in rest[1].items:
        if not p.is_list() or len(p.items) != 2 or p.items[0].is_list():
            raise TypeFailure(p, "parameters are written (x TYPE)")
        params.append((p.items[0].symbol, parse_type(problem, p.items[1], tparams)))
    result = parse_type(problem, rest[2], tparams)
    problem.functions[name] = Function(name, tparams, params, result, rest[3], command)


# -- typed terms ---------------------------------------------------------------------------

@dataclass(eq=False)
class Term:
    """A typed expression.  ``kind``: var, ctor, call, apply, lambda, match, let, ite, and,
    or, not, implies, eq, distinct.  ``name``: the variable, constructor or function;
    ``targs``: a call's type arguments; ``branches`` of a match: (constructor or None for a
    variable pattern, bound names, body); ``binders``: a let's or lambda's names with their
    types; ``captured``: the local variables a lambda's body uses."""
    kind: str
    type: Type
    node: Sexp
    name: str = ""
    targs: tuple = ()
    args: tuple = ()
    branches: tuple = ()
    binders: tuple = ()
    captured: tuple = ()


class Elaborator:
    """Type inference over one body: unknowns are ``?n`` types bound by unification."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.bound: dict[str, Type] = {}
        self.counter = 0
        self.terms: list[Term] = []

    def unknown(self) -> Type:
        self.counter += 1
        return Type(f"?{self.counter}")

    def resolve(self, t: Type) -> Type:
        while t.name in self.bound:
            t = self.bound[t.name]
        if t.args:
            return Type(t.name, tuple(self.resolve(a) for a in t.args))
        return t

    def unify(self, a: Type, b: Type, node: Sexp) -> None:
        a, b = self.resolve(a), self.resolve(b)
        if a == b:
            return
        if a.name.startswith("?"):
            if _occurs(a.name, b):
                raise TypeFailure(node, f"the type {b} would contain itself")
            self.bound[a.name] = b
        elif b.name.startswith("?"):
            self.unify(b, a, node)
        elif a.name != b.name or len(a.args) != len(b.args):
            raise TypeFailure(node, f"type mismatch: {a} against {b}")
        else:
            for x, y in zip(a.args, b.args):
                self.unify(x, y, node)

    def term(self, kind, type, node, **fields) -> Term:
        t = Term(kind, type, node, **fields)
        self.terms.append(t)
        return t

    def finish(self) -> None:
        """Replace every unknown by what unification found; one left unknown is an error."""
        for t in self.terms:
            t.type = self.resolve(t.type)
            t.targs = tuple(self.resolve(a) for a in t.targs)
            t.binders = tuple((n, self.resolve(ty)) for n, ty in t.binders)
            t.captured = tuple((n, self.resolve(ty)) for n, ty in t.captured)
            if not t.type.is_ground() or not all(a.is_ground() for a in t.targs):
                raise TypeFailure(t.node, f"cannot infer the type of {t.node}")

    # -- expressions -----------------------------------------------------------------------
    def infer(self, node: Sexp, env: dict[str, Type]) -> Term:
        if not node.is_list():
            return self._symbol(node, node.symbol, (), env)
        head = node.head()
        if node.items and node.items[0].head() == "_":          # ((_ f T) args)
            return self._apply_symbol(node, node.items[0], node.items[1:], env)
        if head is None:
            raise TypeFailure(node, "expected an application (f x ...)")
        args = node.items[1:]
        if head == "_":
            return self._symbol(node, None, (), env)
        if head == "match":
            return self._match(node, env)
        if head == "let":
            return self._let(node, env)
        if head == "lambda":
            return self._lambda(node, env)
        if head == "ite":
            if len(args) != 3:
                raise TypeFailure(node, "ite takes three arguments")
            c, a, b = (self.infer(x, env) for x in args)
            self.unify(c.type, BOOL, args[0])
            self.unify(a.type, b.type, node)
            return self.term("ite", a.type, node, args=(c, a, b))
        if head in ("and", "or", "not", "=>"):
            if not args or (head == "not" and len(args) != 1) or (head == "=>" and len(args) < 2):
                raise TypeFailure(node, f"{head} with {len(args)} argument(s)")
            parts = tuple(self.infer(x, env) for x in args)
            for part, x in zip(parts, args):
                self.unify(part.type, BOOL, x)
            kind = {"=>": "implies"}.get(head, head)
            return self.term(kind, BOOL, node, args=parts)
        if head in ("=", "distinct"):
            if len(args) < 2:
                raise TypeFailure(node, f"{head} takes two or more arguments")
            parts = tuple(self.infer(x, env) for x in args)
            for part, x in zip(parts[1:], args[1:]):
                self.unify(parts[0].type, part.type, x)
            return self.term("eq" if head == "=" else "distinct", BOOL, node, args=parts)
        if head == "@":
            if len(args) < 2:
                raise TypeFailure(node, "@ takes a function and its arguments")
            parts = tuple(self.infer(x, env) for x in args)
            result = self.unknown()
            self.unify(parts[0].type, Type(ARROW, tuple(p.type for p in parts[1:]) + (result,)),
                       node)
            return self.term("apply", result, node, args=parts)
        if head in ("forall", "exists"):
            raise TypeFailure(node.items[0], f"a quantifier ({head}) inside a term is not "
                                             "supported")
        return self._apply_symbol(node, node.items[0], args, env)

    def _apply_symbol(self, node, head: Sexp, args, env) -> Term:
        parts = tuple(self.infer(x, env) for x in args)
        if head.is_list():                                      # (_ f T ...)
            return self._symbol(node, head, parts, env)
        return self._symbol(node, head.symbol, parts, env)

    def _symbol(self, node: Sexp, symbol, parts: tuple, env) -> Term:
        """A variable, constructor or function, applied to ``parts``; ``symbol`` may be an
        annotation ``(_ name T ...)`` that gives the type arguments."""
        annotation = None
        if isinstance(symbol, Sexp) or symbol is None:
            ann = symbol if isinstance(symbol, Sexp) else node
            if len(ann.items) < 2 or ann.items[1].is_list():
                raise TypeFailure(ann, "expected (_ NAME TYPE ...)")
            symbol = ann.items[1].symbol
            annotation = [parse_type(self.problem, t, ()) for t in ann.items[2:]]
        if symbol in env and annotation is None:
            if parts:
                raise TypeFailure(node, f"{symbol} is a variable; apply it with @")
            return self.term("var", env[symbol], node, name=symbol)
        problem = self.problem
        if symbol in problem.constructors:
            datatype = problem.datatypes[problem.constructors[symbol]]
            targs = self._targs(datatype.params, annotation, node)
            instance = Type(datatype.name, targs)
            fields = datatype.fields(instance, symbol)
            self._arguments(node, symbol, fields, parts)
            return self.term("ctor", instance, node, name=symbol, targs=targs, args=parts)
        function = problem.functions.get(symbol)
        if function is not None:
            targs = self._targs(function.tparams, annotation, node)
            mapping = {"'" + p: t for p, t in zip(function.tparams, targs)}
            self._arguments(node, symbol, [t.substitute(mapping) for _, t in function.params],
                            parts)
            return self.term("call", function.result.substitute(mapping), node, name=symbol,
                             targs=targs, args=parts)
        if symbol in problem.selectors:
            raise TypeFailure(node, f"the selector {symbol} is not supported; use match")
        raise TypeFailure(node, f"unknown name {symbol!r}")

    def _targs(self, params, annotation, node) -> tuple[Type, ...]:
        if annotation is None:
            return tuple(self.unknown() for _ in params)
        if len(annotation) == len(params):
            return tuple(annotation)
        raise TypeFailure(node, f"expected {len(params)} type argument(s)")

    def _arguments(self, node, symbol, expected: list[Type], parts: tuple) -> None:
        if len(expected) != len(parts):
            raise TypeFailure(node, f"{symbol} takes {len(expected)} argument(s)")
        for want, part in zip(expected, parts):
            self.unify(want, part.type, part.node)

    def _match(self, node: Sexp, env) -> Term:
        if len(node.items) != 3 or not node.items[2].is_list() or not node.items[2].items:
            raise TypeFailure(node, "expected (match x (CASES ...))")
        scrutinee = self.infer(node.items[1], env)
        kind = self.resolve(scrutinee.type)
        datatype = self.problem.datatypes.get(kind.name)
        if datatype is None:
            raise TypeFailure(node.items[1], f"cannot match on a value of type {kind}")
        result = self.unknown()
        branches = []
        for branch in node.items[2].items:
            if not branch.is_list() or len(branch.items) != 2:
                raise TypeFailure(branch, "expected (PATTERN BODY)")
            pattern, body = branch.items
            inner = dict(env)
            if pattern.is_list():
                cname = pattern.head()
                if cname not in dict(datatype.constructors):
                    raise TypeFailure(pattern, f"{pattern.items[0]} is not a constructor of "
                                               f"{datatype.name}")
                fields = datatype.fields(kind, cname)
                names = [p.symbol for p in pattern.items[1:]]
                if len(names) != len(fields) or any(p.is_list() for p in pattern.items[1:]):
                    raise TypeFailure(pattern, f"{cname} takes {len(fields)} argument(s); "
                                               "patterns bind variables")
                inner.update(zip(names, fields))
                entry = (cname, tuple(names))
            elif pattern.symbol in dict(datatype.constructors):
                if datatype.fields(kind, pattern.symbol):
                    raise TypeFailure(pattern, f"{pattern.symbol} takes arguments")
                entry = (pattern.symbol, ())
            elif pattern.symbol == "_":
                entry = (None, ())
            else:                                  # a variable: matches anything, bound to it
                inner[pattern.symbol] = kind
                entry = (None, (pattern.symbol,))
            value = self.infer(body, inner)
            self.unify(result, value.type, body)
            branches.append(entry + (value,))
        return self.term("match", result, node, args=(scrutinee,), branches=tuple(branches))

    def _let(self, node: Sexp, env) -> Term:
        if len(node.items) != 3 or not node.items[1].is_list():
            raise TypeFailure(node, "expected (let ((x e) ...) body)")
        inner, names, values = dict(env), [], []
        for binding in node.items[1].items:
            if not binding.is_list() or len(binding.items) != 2 or binding.items[0].is_list():
                raise TypeFailure(binding, "expected (x e)")
            value = self.infer(binding.items[1], env)
            names.append((binding.items[0].symbol, value.type))
            values.append(value)
        inner.update(names)
        body = self.infer(node.items[2], inner)
        return self.term("let", body.type, node, args=tuple(values) + (body,),
                         binders=tuple(names))

    def _lambda(self, node: Sexp, env) -> Term:
        if len(node.items) != 3 or not node.items[1].is_list() or not node.items[1].items:
            raise TypeFailure(node, "expected (lambda ((x T) ...) body)")
        params = []
        for p in node.items[1].items:
            if not p.is_list() or len(p.items) != 2 or p.items[0].is_list():
                raise TypeFailure(p, "parameters are written (x TYPE)")
            params.append((p.items[0].symbol, parse_type(self.problem, p.items[1], ())))
        body = self.infer(node.items[2], {**env, **dict(params)})
        used = _free_symbols(node.items[2])
        captured = tuple((n, t) for n, t in env.items() if n in used and n not in dict(params))
        return self.term("lambda", Type(ARROW, tuple(t for _, t in params) + (body.type,)),
                         node, args=(body,), binders=tuple(params), captured=captured)


def _occurs(name: str, t: Type) -> bool:
    return t.name == name or any(_occurs(name, a) for a in t.args)


def _free_symbols(node: Sexp) -> set[str]:
    """Every symbol in ``node`` (a superset of the variables it uses)."""
    out, stack = set(), [node]
    while stack:
        n = stack.pop()
        if n.is_list():
            stack.extend(n.items)
        else:
            out.add(n.symbol)
    return out


# -- monomorphisation ------------------------------------------------------------------------

@dataclass
class Instances:
    """Every ground use: goals as typed formulas with their variables, functions per type
    arguments (the params' types and the typed body), and the goals' own sorts."""
    goals: list[tuple[list[tuple[str, Type]], Term, Goal]] = field(default_factory=list)
    functions: dict[tuple[str, tuple[Type, ...]], tuple[list[tuple[str, Type]], Term]] = \
        field(default_factory=dict)
    sorts: list[str] = field(default_factory=list)     # declared sorts and goal type parameters


def monomorphise(problem: Problem) -> Instances:
    out = Instances(sorts=list(problem.sorts))
    queue: list[tuple[str, tuple[Type, ...]]] = []

    def collect(elaborator: Elaborator) -> None:
        for t in elaborator.terms:
            if t.kind == "call":
                key = (t.name, t.targs)
                if key not in out.functions and key not in queue:
                    queue.append(key)

    taken = set(problem.datatypes) | set(problem.sorts)
    for goal in problem.goals:
        mapping = {}
        for p in goal.tparams:
            name = p
            while name in taken:
                name += "'"
            taken.add(name)
            out.sorts.append(name)
            problem.sorts.append(name)         # annotations name it once grounded
            mapping["'" + p] = Type(name)
        elaborator = Elaborator(problem)
        formula, binders = goal.formula, []
        if formula.head() == "forall":
            if len(formula.items) != 3 or not formula.items[1].is_list():
                raise TypeFailure(formula, "expected (forall ((x T) ...) F)")
            for b in formula.items[1].items:
                if not b.is_list() or len(b.items) != 2 or b.items[0].is_list():
                    raise TypeFailure(b, "variables are written (x TYPE)")
                t = parse_type(problem, b.items[1], goal.tparams).substitute(mapping)
                binders.append((b.items[0].symbol, t))
            formula = formula.items[2]
        term = elaborator.infer(_ground_annotations(formula, mapping), dict(binders))
        elaborator.unify(term.type, BOOL, formula)
        elaborator.finish()
        collect(elaborator)
        out.goals.append((binders, term, goal))
    while queue:
        key = queue.pop(0)
        if len(out.functions) >= MAX_INSTANCES:
            raise TypeFailure(problem.functions[key[0]].node,
                              f"{key[0]} is used at more than {MAX_INSTANCES} types")
        function = problem.functions[key[0]]
        mapping = {"'" + p: t for p, t in zip(function.tparams, key[1])}
        params = [(n, t.substitute(mapping)) for n, t in function.params]
        elaborator = Elaborator(problem)
        body = elaborator.infer(_ground_annotations(function.body, mapping,
                                                    function.tparams), dict(params))
        elaborator.unify(body.type, function.result.substitute(mapping), function.body)
        elaborator.finish()
        out.functions[key] = (params, body)
        collect(elaborator)
    return out


def _ground_annotations(node: Sexp, mapping: dict[str, Type], tparams=()) -> Sexp:
    """The body with its type parameters written as the types they stand for here: a
    type parameter ``a`` inside ``(_ nil a)`` or a lambda's binder becomes the instance's
    type, printed back as S-expressions (names in ``mapping`` are ``'a``)."""
    names = {k[1:]: v for k, v in mapping.items()}
    if not names:
        return node

    def rewrite(n: Sexp, in_type: bool) -> Sexp:
        if not n.is_list():
            if in_type and n.symbol in names:
                return _type_sexp(names[n.symbol], n)
            return n
        head = n.head()
        if head == "_":
            items = (n.items[0], n.items[1]) + tuple(rewrite(t, True) for t in n.items[2:])
        elif head == "lambda" and len(n.items) == 3 and n.items[1].is_list():
            binders = tuple(Sexp(None, (b.items[0], rewrite(b.items[1], True)), b.line, b.column)
                            if b.is_list() and len(b.items) == 2 else b
                            for b in n.items[1].items)
            items = (n.items[0], Sexp(None, binders, n.items[1].line, n.items[1].column),
                     rewrite(n.items[2], False))
        else:
            items = tuple(rewrite(i, in_type) for i in n.items)
        return Sexp(None, items, n.line, n.column)

    return rewrite(node, False)


def _type_sexp(t: Type, at: Sexp) -> Sexp:
    if not t.args:
        return Sexp(t.name, None, at.line, at.column)
    return Sexp(None, (Sexp(t.name, None, at.line, at.column),)
                + tuple(_type_sexp(a, at) for a in t.args), at.line, at.column)
