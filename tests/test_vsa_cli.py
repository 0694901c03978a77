"""The ``vsa encode`` / ``vsa search`` commands, through their argparse entry."""

import json

from genlogic.vsa.cli import main


def test_encode_then_search(tmp_path, capsys):
    source = tmp_path / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d) for d in [
        {"id": "ada", "name": "Ada Lovelace", "born": 1815},
        {"id": "alan", "name": "Alan Turing", "born": 1912},
        {"id": "grace", "name": "Grace Hopper", "born": 1906},
    ]) + "\n")
    assert main(["vsa", "encode", str(source), "--out", str(tmp_path / "idx"), "--id-field", "id"]) == 0
    capsys.readouterr()
    assert main(["vsa", "search", str(tmp_path / "idx"), "--query", '{"name": "Alan Turnig"}', "-k", "2"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["rank"] for line in lines] == [1, 2]
    assert lines[0]["id"] == "alan" and lines[0]["document"]["born"] == 1912


def test_errors_exit_2_without_traceback(tmp_path, capsys):
    assert main(["vsa", "encode", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\n{oops\n')
    assert main(["vsa", "encode", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert main(["vsa", "search", str(tmp_path / "none"), "--query", "{}"]) == 2
    err = capsys.readouterr().err
    assert "bad.jsonl:2: invalid JSON" in err and "no index here" in err
    assert "Traceback" not in err
