"""Command-line verbs for the vector layer: ``vsa encode`` and ``vsa search``.

``add_parsers(subparsers)`` registers a ``vsa`` command with two subcommands on an
argparse sub-parser collection; each sets ``func`` to a handler taking the parsed
arguments and returning an exit code.  ``main(argv)`` runs them standalone.

* ``vsa encode FILE.jsonl --out DIR [--dim 1024] [--binding signed_perm] [--seed 0]
  [--id-field NAME]``: one JSON value per line -> an exact index in DIR, with the
  encoder settings in its metadata and the documents in ``documents.jsonl``.  Ids
  are the ``--id-field`` value of each object, or the 1-based line number.
* ``vsa search DIR --query JSON [-k 10]``: the k nearest documents, one JSON line
  each: ``{"rank", "id", "score", "document"}``.

User mistakes (missing file, bad JSON, no index) print ``error: ...`` on stderr and
return 2, without a traceback.  This module does not implement encoding or search.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Sequence

from .encoder import Encoder
from .index import Index, IndexFormatError
from .roles import ROLE_FAMILIES

__all__ = ["add_parsers", "main", "UsageError"]

DOCUMENTS = "documents.jsonl"


class UsageError(Exception):
    """A mistake in the command's input, reported as one line and exit code 2."""


def add_parsers(subparsers) -> argparse.ArgumentParser:
    vsa = subparsers.add_parser("vsa", help="encode JSON lines as vectors and search them")
    verbs = vsa.add_subparsers(dest="vsa_command", metavar="{encode,search}")
    verbs.required = True

    encode = verbs.add_parser("encode", help="build an index from a JSON-lines file")
    encode.add_argument("file", help="input file, one JSON value per line ('-' for stdin)")
    encode.add_argument("--out", required=True, help="directory to write the index to")
    encode.add_argument("--dim", type=int, default=1024, help="vector dimension (default 1024)")
    encode.add_argument("--binding", choices=ROLE_FAMILIES, default="signed_perm")
    encode.add_argument("--seed", type=int, default=0)
    encode.add_argument("--id-field", default=None,
                        help="object field holding each document's id (default: line number)")
    encode.set_defaults(func=_guarded(run_encode))

    search = verbs.add_parser("search", help="find the documents nearest to a JSON query")
    search.add_argument("index", help="index directory written by 'vsa encode'")
    search.add_argument("--query", required=True, help="the query, a JSON value")
    search.add_argument("-k", type=int, default=10, help="number of results (default 10)")
    search.set_defaults(func=_guarded(run_search))
    return vsa


def _guarded(handler):
    def run(args) -> int:
        try:
            return handler(args)
        except (UsageError, IndexFormatError, OSError, ValueError, TypeError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    return run


def _read_documents(path: str) -> list:
    try:
        handle = sys.stdin if path == "-" else open(path, "r", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    documents = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                documents.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
    return documents


def run_encode(args) -> int:
    if args.dim < 2:
        raise UsageError(f"--dim must be at least 2, got {args.dim}")
    numbered = _read_documents(args.file)
    ids = []
    for number, document in numbered:
        if args.id_field is None:
            ids.append(number)
            continue
        if not isinstance(document, dict) or args.id_field not in document:
            raise UsageError(f"{args.file}:{number}: no field {args.id_field!r} for the id")
        value = document[args.id_field]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise UsageError(f"{args.file}:{number}: id field {args.id_field!r} must be a string or integer")
        ids.append(value)
    if len(set(ids)) != len(ids):
        raise UsageError(f"{args.file}: ids are not unique")
    encoder = Encoder(dim=args.dim, binding=args.binding, seed=args.seed)
    documents = [document for _, document in numbered]
    index = Index(encoder.dim, metadata={"encoder": encoder.config(), "source": os.path.abspath(args.file)})
    if documents:
        index.add(ids, encoder.encode_batch(documents))
    os.makedirs(args.out, exist_ok=True)
    temporary = os.path.join(args.out, f"{DOCUMENTS}.tmp-{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as handle:
        for identifier, document in zip(ids, documents):
            handle.write(json.dumps({"id": identifier, "document": document}, ensure_ascii=False) + "\n")
    os.replace(temporary, os.path.join(args.out, DOCUMENTS))
    index.save(args.out)
    print(f"encoded {len(documents)} documents into {args.out} (dim {encoder.dim}, {encoder.binding})")
    return 0


def run_search(args) -> int:
    if args.k < 1:
        raise UsageError(f"-k must be at least 1, got {args.k}")
    try:
        query = json.loads(args.query)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--query is not valid JSON: {exc.msg}") from None
    index = Index.load(args.index)
    config = index.metadata.get("encoder")
    if not isinstance(config, dict):
        raise UsageError(f"{args.index}: index has no encoder settings (not made by 'vsa encode')")
    encoder = Encoder(**config)
    ids, scores = index.search(encoder.encode(query), args.k)
    documents = {}
    path = os.path.join(args.index, DOCUMENTS)
    if os.path.exists(path):
        wanted = set(ids)
        with open(path, "r", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["id"] in wanted:
                    documents[record["id"]] = record["document"]
    for rank, (identifier, score) in enumerate(zip(ids, scores), start=1):
        print(json.dumps({"rank": rank, "id": identifier, "score": round(float(score), 6),
                          "document": documents.get(identifier)}, ensure_ascii=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="genlogic")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
