"""The committed showcase (proofs_out/peano/) is a real run that passes the verifier."""

from pathlib import Path

import pytest

from genlogic.verify import verify_path

ROOT = Path(__file__).resolve().parents[1]
SHOWCASE = ROOT / "proofs_out" / "peano"


def test_committed_showcase_verifies():
    # every step of every theorem in the committed site re-checks against axioms/peano.mpl
    report = verify_path(SHOWCASE, theory_path=ROOT / "axioms" / "peano.mpl")
    assert report.ok, "\n".join(report.failures[:20])


def test_showcase_has_the_site_and_exports():
    # the browsable site and the text exports are committed beside the JSON
    for name in ("index.html", "glossary.html", "graph.svg", "proof.tstp", "theorems.dot"):
        assert (SHOWCASE / name).is_file(), name
    pages = list((SHOWCASE / "theorems").glob("*.html"))
    assert len(pages) > 10
