"""`python -m knowledge check <facts.json | ->`."""
import argparse
import io
import json

import pytest

from knowledge.criteria import cli


def _run(argv, monkeypatch, capsys, stdin=""):
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    cli.register(parser.add_subparsers(dest="command", required=True))
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    args = parser.parse_args(argv)
    code = args.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_check_reads_a_file_and_prints_the_result(tmp_path, monkeypatch, capsys):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps({"alder": 40, "malgrupp_socialpsykiatri": True, "saknar_annan_daglig_sysselsattning": True,
                                "onskar_narma_sig_arbete_eller_studier": False, "forsorjningsstod": False}))
    code, out, _ = _run(["check", str(path), "--on", "2026-06-01"], monkeypatch, capsys)
    assert code == 0
    result = json.loads(out)
    assert result["recommendation"]["primary"] == "socialt_inriktad_sysselsattning" and result["on"] == "2026-06-01"


def test_check_reads_stdin(monkeypatch, capsys):
    code, out, _ = _run(["check", "-", "--compact"], monkeypatch, capsys, stdin='{"alder": 70}')
    assert code == 0 and out.count("\n") == 1
    assert json.loads(out)["recommendation"]["referrals"] == ["aldreomsorgen"]


def test_invalid_facts_give_swedish_errors_and_exit_2(monkeypatch, capsys):
    code, out, err = _run(["check", "-"], monkeypatch, capsys, stdin='{"alder": -3, "diagnos": true}')
    assert code == 2 and out == ""
    assert err.startswith("Ogiltiga fakta:\n- Okänt faktum 'diagnos'.")
    assert "- 'alder' (Ålder) ska vara ett heltal från 0 till 120, inte -3." in err
    assert "Traceback" not in err


def test_broken_json_is_reported_with_its_position(monkeypatch, capsys):
    code, _, err = _run(["check", "-"], monkeypatch, capsys, stdin='{"alder": }')
    assert code == 2
    assert err.strip() == "Faktafilen - är inte giltig JSON (rad 1, kolumn 11)."


def test_a_missing_file_is_reported(tmp_path, monkeypatch, capsys):
    code, _, err = _run(["check", str(tmp_path / "saknas.json")], monkeypatch, capsys)
    assert code == 2 and "Kan inte läsa faktafilen" in err


def test_a_malformed_date_is_refused_by_the_parser(monkeypatch, capsys):
    with pytest.raises(SystemExit):
        _run(["check", "-", "--on", "31/12"], monkeypatch, capsys)
    assert "ogiltigt datum '31/12'" in capsys.readouterr().err
