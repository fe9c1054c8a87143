"""Issue 13 on the command line: export-data takes any valid window; ongoing records are in it; empty is not an error."""

import json

from frontera.cli import main


def export(tmp_path, *args) -> tuple[int, set[str]]:
    out = tmp_path / "out.geojson"
    code = main(["export-data", *args, "--out", str(out)])
    ids = {f["properties"]["id"] for f in json.loads(out.read_text())["features"]} if out.exists() else set()
    return code, ids


def test_a_window_after_the_data_exports_the_operations_still_in_force(tmp_path, capsys):
    code, ids = export(tmp_path, "--start", "2024-09-01", "--end", "2024-09-30", "--layers", "operations")
    assert code == 0, capsys.readouterr().err
    # O1 (agreed 2024-08-02), O3, O4 and O5 have no end; O2 ended on 2024-08-31.
    assert ids == {"O1", "O3", "O4", "O5"}
    assert "wrote 4 features (operations; 2024-09-01 to 2024-09-30)" in capsys.readouterr().out


def test_a_window_reaching_today_keeps_its_end(tmp_path, capsys):
    code, ids = export(tmp_path, "--start", "2026-11-01", "--end", "2026-11-28", "--layers", "operations,clashes")
    assert code == 0 and ids == {"O1", "O3", "O4", "O5", "C1"}  # C1 (2024-07-16) has no end either
    assert "2026-11-01 to 2026-11-28" in capsys.readouterr().out


def test_a_window_with_nothing_in_it_writes_an_empty_file(tmp_path, capsys):
    code, ids = export(tmp_path, "--start", "2020-01-01", "--end", "2020-12-31", "--layers", "flows,clashes")
    assert code == 0 and ids == set()
    assert "wrote 0 features" in capsys.readouterr().out


def test_a_day_far_from_our_times_is_still_an_error(tmp_path, capsys):
    code, _ = export(tmp_path, "--start", "0224-07-01")
    err = capsys.readouterr().err
    assert code == 2 and "--start '0224-07-01' is too far from our times" in err and err.count("\n") == 1
