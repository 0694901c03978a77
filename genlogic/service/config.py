"""The service's options: request limits and server settings, as frozen dataclasses.

``Limits`` bounds every request the service accepts (body bytes, points per batch,
results per search, payload shape); ``ServiceConfig`` says where the data lives and
who may call.  Both are plain values: the app reads them, nothing mutates them.
This module does not validate requests itself (see :mod:`genlogic.service.validation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Limits", "ServiceConfig", "DEFAULT_HOST", "DEFAULT_PORT", "QDRANT_API_VERSION"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# The Qdrant REST API whose shapes the service follows (tested with qdrant-client 1.20);
# ``GET /`` reports it, so the client's version check passes.
QDRANT_API_VERSION = "1.20.0"


@dataclass(frozen=True)
class Limits:
    """Largest accepted request, per request; anything bigger is a 4xx, never a 5xx."""

    max_body_bytes: int = 32 * 1024 * 1024  # rejected with 413 before any parsing (Qdrant's default)
    max_batch_points: int = 1000            # points per upsert or delete request
    max_search_limit: int = 1000            # results per search
    max_search_offset: int = 10_000         # results skipped by a search's offset
    max_page_points: int = 10_000           # points per scroll page or retrieve request
    max_batch_queries: int = 100            # queries in one batch request
    max_payload_depth: int = 32             # nesting of objects and arrays in a payload
    max_payload_nodes: int = 20_000         # values (leaves and containers) in one payload
    max_string_chars: int = 65_536          # characters in one string (values and keys)
    max_filter_conditions: int = 64         # conditions in one filter, nested ones included
    max_filter_depth: int = 8               # nesting of filters inside filters
    max_statement_chars: int = 4096         # an MPL or readable statement
    max_collections: int = 1000
    min_dim: int = 2                        # the MBAT encoder needs two dimensions
    max_dim: int = 4096
    max_haar_dim: int = 1024                # dense Haar roles cost D*D floats each


@dataclass(frozen=True)
class ServiceConfig:
    """Where the data lives and how the service is reached."""

    db_path: str
    api_key: str | None = None
    theorems_dir: str | None = None
    limits: Limits = field(default_factory=Limits)
    backend: str | None = None              # top-k kernel: "numba", "python" or $GENLOGIC_BACKEND
