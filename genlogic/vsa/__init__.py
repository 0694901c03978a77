"""Vector-symbolic encodings (MBAT) of JSON documents and MPL expressions, and a
vector index to search them.

Modules, in dependency order:

``seeding``       stable seeds from a cryptographic hash
``roles``         orthogonal role matrices (signed permutations, Haar)
``model``         the VSA interface and its MBAT implementation
``kernels``       numba kernels with numpy twins (top-k, string sums, binding)
``values``        string, number and literal vectors
``json_encoder``  JSON objects and arrays, batched by role
``mpl_encoder``   MPL expressions, alpha-invariant
``readout``       unbinding paths and codebook clean-up
``hnsw``          optional approximate search (hnswlib)
``index``         exact / approximate top-k index with save and load
``encoder``       the ``Encoder`` facade
``synthetic``     generated documents and noisy queries for tests and benchmarks
``cli``           ``genlogic vsa encode`` and ``genlogic vsa search``

This package does not run the prover or decide what to store; callers choose what
to encode and index.
"""

from .encoder import Encoder
from .index import Index, IndexFormatError
from .model import MBAT, VSAModel
from .readout import Codebook, Match, cleanup, unbind

__all__ = ["Encoder", "Index", "IndexFormatError", "MBAT", "VSAModel",
           "Codebook", "Match", "cleanup", "unbind"]
