"""An oracle for TIP translations: a direct, untyped evaluator of the SMT-LIB text, and a
reading of the ground model's elements as the constructor terms they are.

The evaluator shares nothing with the translation but the S-expression reader: values
are tuples ``(constructor, field, ...)``, ``true`` / ``false`` are ``("true",)`` and
``("false",)``, a lambda is a Python closure.  ``check_model`` compares every table
entry the model knows with the evaluator's value of the same call.
"""

from __future__ import annotations

from genlogic.mpl.tip.reader import read_sexps


class Unknown(Exception):
    """A value the model does not determine (a generic function applied off its table)."""


def evaluator(text: str):
    """``call(name, args)``: the value of a TIP function, evaluated from its definition."""
    commands = read_sexps(text)
    constructors: set[str] = {"true", "false"}
    functions = {}
    for c in commands:
        head = c.items[0].symbol
        if head == "declare-datatype":
            body = c.items[2]
            if body.items[0].symbol == "par":
                body = body.items[2]
            constructors.update(k.items[0].symbol for k in body.items)
        elif head in ("define-fun", "define-fun-rec"):
            rest = c.items[1:]
            if len(rest) == 3:                      # (name (par (a) (PARAMS R)) BODY)
                rest = (rest[0],) + rest[1].items[2].items + (rest[2],)
            functions[rest[0].symbol] = ([p.items[0].symbol for p in rest[1].items], rest[3])

    def name_of(node):
        if node.items is not None and node.items[0].symbol == "_":
            return node.items[1].symbol
        return node.symbol

    def value(node, env):
        if node.items is None or node.items[0].symbol == "_":
            symbol = name_of(node)
            if symbol in env:
                return env[symbol]
            if symbol in constructors:
                return (symbol,)
            return call(symbol, [])
        head_node, args = node.items[0], node.items[1:]
        head = name_of(head_node)
        if head == "match":
            scrutinee = value(args[0], env)
            for branch in args[1].items:
                pattern, body = branch.items
                if pattern.items is None:
                    if pattern.symbol == "_":
                        return value(body, env)
                    if pattern.symbol in constructors:
                        if scrutinee[0] == pattern.symbol:
                            return value(body, env)
                        continue
                    return value(body, {**env, pattern.symbol: scrutinee})
                if scrutinee[0] == pattern.items[0].symbol:
                    names = [p.symbol for p in pattern.items[1:]]
                    return value(body, {**env, **dict(zip(names, scrutinee[1:]))})
            raise AssertionError("no branch matched")
        if head == "let":
            inner = dict(env)
            for binding in args[0].items:
                inner[binding.items[0].symbol] = value(binding.items[1], env)
            return value(args[1], inner)
        if head == "lambda":
            names = [p.items[0].symbol for p in args[0].items]
            return lambda *actual: value(args[1], {**env, **dict(zip(names, actual))})
        if head == "@":
            function = value(args[0], env)
            return function(*[value(a, env) for a in args[1:]])
        if head == "ite":
            return value(args[1] if truth(value(args[0], env)) else args[2], env)
        if head in ("and", "or"):
            results = [truth(value(a, env)) for a in args]
            return boolean(all(results) if head == "and" else any(results))
        if head == "not":
            return boolean(not truth(value(args[0], env)))
        if head == "=>":
            return boolean(not truth(value(args[0], env)) or truth(value(args[1], env)))
        if head == "=":
            return boolean(value(args[0], env) == value(args[1], env))
        actual = [value(a, env) for a in args]
        if head in constructors:
            return (head, *actual)
        return call(head, actual)

    def call(name, actual):
        params, body = functions[name]
        return value(body, dict(zip(params, actual)))

    call.functions = functions
    return call


def truth(v) -> bool:
    return v == ("true",)


def boolean(b: bool):
    return ("true",) if b else ("false",)


def decode(model, symbols: dict[str, str], functions) -> list[tuple]:
    """Each element of the model as a constructor term; elements no constructor builds
    (the generic elements of parameter and function sets) as ``("?", element)``.
    ``symbols``: MPL name -> TIP symbol; ``functions``: the TIP functions (the other
    symbols but @ and lambdas are constructors)."""
    ctors = {name: tip for name, tip in symbols.items()
             if tip not in functions and tip not in ("@", "lambda")}
    built: dict[int, tuple] = {}
    made = set()
    for name, tip in ctors.items():
        if model.constants.get(name) is not None:
            built.setdefault(model.constants[name], (tip,))
        made.update(out for out in model.tables.get(name, {}).values() if out is not None)
    for e in range(model.size):
        if e not in built and e not in made:
            built[e] = ("?", e)
    changed = True
    while changed:
        changed = False
        for name, tip in ctors.items():
            for args, out in model.tables.get(name, {}).items():
                if out is not None and out not in built and all(a in built for a in args):
                    built[out] = (tip, *(built[a] for a in args))
                    changed = True
    return [built.get(e, ("?", e)) for e in range(model.size)]


def check_model(model, translated, text: str) -> int:
    """Every known table entry of a translated function equals the evaluator's value.
    Returns how many entries were checked."""
    call = evaluator(text)
    symbols = translated.symbols
    values = decode(model, symbols, call.functions)
    element_of = {v: e for e, v in enumerate(values)}
    applies = [name for name, tip in symbols.items() if tip == "@"]

    def as_value(e):
        v = values[e]
        if v[0] != "?" or not any(any(k[0] == e for k in model.tables.get(ap, {}))
                                  for ap in applies):
            return v

        def function(*actual):            # a generic function: the model's own table
            for ap in applies:
                key = (e,) + tuple(element_of.get(a, -1) for a in actual)
                out = model.tables.get(ap, {}).get(key)
                if out is not None:
                    return as_value(out)
            raise Unknown
        return function

    checked = 0
    for name, tip in symbols.items():
        if tip not in call.functions:
            continue                         # constructors, @ and lambdas
        for args, out in model.tables.get(name, {}).items():
            if out is None:
                continue
            try:
                expected = call(tip, [as_value(a) for a in args])
            except Unknown:
                continue
            assert values[out] == expected, (tip, [values[a] for a in args], values[out],
                                             expected)
            checked += 1
    return checked
