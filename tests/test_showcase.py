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


DATATYPE_LAWS = {
    "lists": ["app(app(a, b), c) = app(a, app(b, c))", "app(a, nil) = a",
              "len(a) + len(b) = len(app(a, b))", "rev(rev(a)) = a", "len(rev(a)) = len(a)",
              "app(rev(a), rev(b)) = rev(app(b, a))",
              "app(map(a, b), map(a, c)) = map(a, app(b, c))", "len(map(a, b)) = len(b)"],
    "trees": ["mirror(mirror(a)) = a", "size(mirror(a)) = size(a)",
              "flatten(mirror(a)) = rev(flatten(a))"],
}


@pytest.mark.parametrize("name", sorted(DATATYPE_LAWS))
def test_datatype_showcases_verify_and_hold_their_laws(name):
    """proofs_out/lists and proofs_out/trees are `genlogic prove axioms/NAME.mpl` runs."""
    import json

    folder = ROOT / "proofs_out" / name
    report = verify_path(folder, theory_path=ROOT / "axioms" / f"{name}.mpl")
    assert report.ok, "\n".join(report.failures[:20])
    graph = json.loads((folder / "proof_graph.json").read_text(encoding="utf-8"))
    bodies = {t["readable"].split(". ", 1)[-1] for t in graph["theorems"]}
    for law in DATATYPE_LAWS[name]:
        left, right = law.split(" = ")
        assert law in bodies or f"{right} = {left}" in bodies, law
    assert (folder / "index.html").is_file()
