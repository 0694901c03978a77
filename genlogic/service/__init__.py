"""A JSON vector search service over the MBAT encoders: ``genlogic serve``.

Documents in, similar documents out, with the conventions of vector databases
(collections, points with an id and a JSON payload, search by document or vector
with filters on JSON paths).  Modules, in dependency order:

``config``      frozen option objects: request limits, service settings
``validation``  request bodies, names, ids, payloads and vectors checked; ApiError
``filters``     payload filters (match, range, has_id, ...) parsed and tested
``schemas``     strict pydantic models of the request bodies, for checks and OpenAPI
``store``       SQLite (WAL, synchronous=FULL) storage of collections and points
``engine``      in-memory collections kept equal to the store; exact top-k search
``theorems``    a run's proved theorems as a read-only, MPL-encoded collection
``app``         the FastAPI routes, the request guard (API key, body size), errors
``cli``         ``genlogic serve`` (argparse) and ``python -m genlogic.service``

The service does not run the prover; it encodes and searches what it is given.
FastAPI and uvicorn are needed only here (extra ``service``).
"""

from .config import Limits, ServiceConfig

__all__ = ["Limits", "ServiceConfig"]
