"""A JSON vector search service over the MBAT encoders: ``genlogic serve``.

Documents in, similar documents out, through Qdrant's REST API, so the official
qdrant-client works unchanged (collections, points with an id, a vector and/or a
JSON payload, payload changes, filters on JSON paths, query, scroll, count).  A
point without a vector stores the MBAT encoding of its payload, and a query can be
a JSON document to encode.  Modules, in dependency order:

``config``           frozen option objects: request limits, service settings
``validation``       request bodies, names, ids, payloads and vectors checked; ApiError
``filters``          payload filters (match, range, nested, has_id, ...) parsed and tested
``payloads``         payload selectors and payload changes (set, delete keys)
``schemas``          strict pydantic models of the request bodies, for checks and OpenAPI
``store``            SQLite (WAL, synchronous=FULL) storage of collections and points
``engine``           one collection in memory, kept equal to the store; exact search
``registry``         all collections; every write committed first, then applied
``theorems``         a run's proved theorems, read-only, searched by meaning first
``qdrant``           Qdrant's request shapes read, its answer shapes written
``responses``        the answer envelope; reading a body into the thread pool
``collections_api``  routes: collections
``points_api``       routes: points and payloads
``search_api``       routes: query, search, count, genlogic's search by document
``app``              the FastAPI app, the request guard (API key, body size), errors
``cli``              ``genlogic serve`` (argparse) and ``python -m genlogic.service``

The service does not run the prover; it encodes and searches what it is given.
FastAPI and uvicorn are needed only here (extra ``service``).
"""

from .config import Limits, ServiceConfig

__all__ = ["Limits", "ServiceConfig"]
