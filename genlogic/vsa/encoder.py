"""The public entry point: one object that encodes JSON and MPL and reads fields back.

``Encoder(dim=1024, binding="signed_perm", seed=0)`` owns one
:class:`~genlogic.vsa.model.MBAT` model and the encoders built on it, so every
vector it makes shares the same symbols and role matrices.  Two encoders with the
same (dim, binding, seed) produce bit-identical vectors in any process.

This module only wires the parts together; the encodings are described in
:mod:`genlogic.vsa.json_encoder`, :mod:`genlogic.vsa.values` and
:mod:`genlogic.vsa.mpl_encoder`.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .json_encoder import JsonEncoder, JsonOptions
from .model import MBAT
from .mpl_encoder import MplEncoder
from .readout import Codebook, Match, cleanup, unbind

__all__ = ["Encoder"]


class Encoder:
    """Encode JSON values and MPL expressions as unit float32 vectors.

    >>> encoder = Encoder(dim=256)
    >>> a = encoder.encode({"name": "Ada", "age": 36})
    >>> b = encoder.encode({"age": 36, "name": "Ada"})
    >>> a.dtype, a.shape, bool((a == b).all())
    (dtype('float32'), (256,), True)
    """

    def __init__(self, dim: int = 1024, binding: str = "signed_perm", seed: int = 0,
                 options: JsonOptions | None = None):
        self.model = MBAT(dim=dim, binding=binding, seed=seed)
        self.json = JsonEncoder(self.model, options)
        self.mpl = MplEncoder(self.model)

    @property
    def dim(self) -> int:
        return self.model.dim

    @property
    def binding(self) -> str:
        return self.model.binding

    @property
    def seed(self) -> int:
        return self.model.seed

    def config(self) -> dict:
        """What is needed to rebuild an identical encoder: ``Encoder(**config)``."""
        return {"dim": self.dim, "binding": self.binding, "seed": self.seed}

    def encode(self, value: Any) -> np.ndarray:
        """One JSON value -> a (D,) unit float32 vector."""
        return self.json.encode(value)

    def encode_batch(self, values: Sequence[Any]) -> np.ndarray:
        """Many JSON values -> an (n, D) float32 array, one unit row per value."""
        return self.json.encode_batch(values)

    def encode_mpl(self, expr) -> np.ndarray:
        """An MPL expression (node or text) -> a (D,) unit float32 vector."""
        return self.mpl.encode(expr)

    def unbind(self, vector: np.ndarray, path) -> np.ndarray:
        """The noisy vector of the field at ``path`` (keys and list positions)."""
        return unbind(self.model, vector, path)

    def codebook(self, values: Sequence[Any]) -> Codebook:
        return Codebook.from_values(self, values)

    def read_field(self, vector: np.ndarray, path, codebook: Codebook) -> Match:
        """The codebook value most similar to the field at ``path``."""
        return cleanup(self.unbind(vector, path), codebook)[0]
