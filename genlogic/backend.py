"""Which implementation of the numeric kernels runs: numba or the plain-Python twins.

Every hot loop that is compiled with numba (the block joins, the ground-model
evaluation of conjectures, the vector kernels) keeps a plain-Python twin that states
what it computes.  ``GENLOGIC_BACKEND=python`` runs the twins everywhere; the default,
``numba``, runs the compiled kernels.  Both give the same answers (property tests
compare them), so proof graphs do not depend on the backend.
"""

from __future__ import annotations

import os

__all__ = ["BACKENDS", "BackendError", "resolve_backend"]

BACKENDS = ("numba", "python")


class BackendError(ValueError):
    """An unknown backend name (in the argument or in ``$GENLOGIC_BACKEND``)."""


def resolve_backend(backend: str | None = None) -> str:
    """The backend to use: the argument, else ``$GENLOGIC_BACKEND``, else numba.

    >>> resolve_backend("python")
    'python'
    """
    given = backend if backend is not None else os.environ.get("GENLOGIC_BACKEND", "") or "numba"
    name = given.strip().lower()
    if name not in BACKENDS:
        where = "" if backend is not None else "GENLOGIC_BACKEND="
        raise BackendError(f"unknown backend {where}{given!r}; expected one of "
                           f"{', '.join(BACKENDS)}")
    return name
