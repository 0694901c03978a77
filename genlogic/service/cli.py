"""``genlogic serve``: run the vector search service on a SQLite database.

``add_parsers(subparsers)`` registers ``serve --db PATH [--host 127.0.0.1]
[--port 8000] [--api-key KEY] [--theorems DIR]`` on an argparse sub-parser
collection; ``main(argv)`` runs it standalone (``python -m genlogic.service``).
Without ``--api-key`` the key is read from ``$GENLOGIC_API_KEY`` if set.  The
service binds 127.0.0.1 unless told otherwise, and warns when it listens on
another address without a key.

User mistakes (unusable database, missing run directory, bad port) print
``error: ...`` on stderr and return 2.  This module only wires the parts together
and starts uvicorn; the API lives in :mod:`genlogic.service.app`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from .config import DEFAULT_HOST, DEFAULT_PORT, ServiceConfig

__all__ = ["add_parsers", "main", "build_service"]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class UsageError(Exception):
    """A mistake in the command's input, reported as one line and exit code 2."""


def add_parsers(subparsers) -> argparse.ArgumentParser:
    serve = subparsers.add_parser("serve", help="run the JSON vector search service (HTTP)")
    serve.add_argument("--db", required=True, help="SQLite database file (created if missing)")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--api-key", default=None,
                       help="require this key in the api-key header (default: $GENLOGIC_API_KEY)")
    serve.add_argument("--theorems", default=None, metavar="DIR",
                       help="also serve the proved theorems of a run (DIR/proof_graph.json) "
                            "as the read-only collection 'theorems'")
    serve.set_defaults(func=run_serve)
    return serve


def build_service(config: ServiceConfig):
    """(app, store) for ``config``; raises UsageError for unusable inputs."""
    from .app import create_app, warm_up
    from .registry import Registry
    from .store import Store, StoreError
    from .theorems import TheoremsError, load_theorems
    from .validation import ApiError
    try:
        store = Store(config.db_path)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    try:
        registry = Registry(store, config.limits, backend=config.backend)
        if config.theorems_dir is not None:
            registry.add_read_only(load_theorems(config.theorems_dir, backend=config.backend))
    except (StoreError, TheoremsError) as exc:
        store.close()
        raise UsageError(str(exc)) from None
    except ApiError as exc:
        store.close()
        raise UsageError(f"--theorems: {exc.message}") from None
    warm_up()
    return create_app(config, registry), store


def run_serve(args) -> int:
    try:
        if not 0 < args.port < 65536:
            raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
        if args.theorems is not None and not os.path.isdir(args.theorems):
            raise UsageError(f"--theorems: {args.theorems} is not a directory")
        api_key = args.api_key if args.api_key is not None else os.environ.get("GENLOGIC_API_KEY") or None
        if api_key is not None and (not api_key.isascii() or not api_key.isprintable() or not api_key.strip()):
            raise UsageError("--api-key must be printable ASCII")
        config = ServiceConfig(db_path=args.db, api_key=api_key, theorems_dir=args.theorems)
        app, store = build_service(config)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.host not in LOOPBACK and api_key is None:
        print(f"warning: listening on {args.host} without an API key; anyone who can reach it "
              "can read and change the data", file=sys.stderr)
    import uvicorn
    print(f"genlogic serve: http://{args.host}:{args.port} (database {args.db}"
          f"{', theorems from ' + args.theorems if args.theorems else ''})", file=sys.stderr, flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="genlogic")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
