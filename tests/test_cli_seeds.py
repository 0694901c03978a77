"""`genlogic prove THEORY --seeds FILE`: outside conjectures go first and are reported."""

import json

from genlogic.cli import main


def test_seeds_are_proved_refuted_or_rejected(tmp_path, capsys):
    # a true law is proved, a false one refuted on the model, a garbled one rejected
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("a * b = b * a\na + b = a\na +\n(a + b) * c = a * c + b * c\n",
                     encoding="utf-8")
    code = main(["prove", "axioms/peano.mpl", "--seeds", str(seeds), "--out", str(tmp_path / "run"),
                 "--max-size", "5", "--json"])
    report = json.loads(capsys.readouterr().out)
    status = {s["text"]: s["status"] for s in report["seeds"]}
    assert code == 0
    assert status == {"a * b = b * a": "proved", "a + b = a": "refuted", "a +": "rejected",
                      "(a + b) * c = a * c + b * c": "proved"}
    proved = next(s for s in report["seeds"] if s["status"] == "proved")
    assert proved["reason"].startswith("theorem T")
    assert main(["verify", str(tmp_path / "run")]) == 0
