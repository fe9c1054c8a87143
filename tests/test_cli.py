"""The command line: export-data writes exactly what the view shows, in the contract; bad arguments exit 2."""

import json

import pandas as pd
import pytest

from frontera.cli import main
from frontera.export import CONTRACT_COLUMNS


def run(tmp_path, *args):
    out = tmp_path / "out"
    code = main(["export-data", *args, "--out", str(out)])
    return code, out


def test_geojson_export_of_a_view(tmp_path):
    code, out = run(
        tmp_path, "--start", "2024-07-23", "--end", "2024-08-02", "--layers", "flows,clashes", "--format", "geojson"
    )
    assert code == 0
    fc = json.loads(out.read_text())
    ids = {f["properties"]["id"] for f in fc["features"]}
    assert ids == {"F1", "F2", "F3", "C1"}
    f1 = next(f for f in fc["features"] if f["properties"]["id"] == "F1")["properties"]
    assert list(f1)[: len(CONTRACT_COLUMNS)] == list(CONTRACT_COLUMNS)
    assert f1["origin"] == "Amatenango de la Frontera" and f1["destination"] == "Cuilco"
    assert f1["people"] == 400 and f1["date_precision"] == "range"
    assert "https://www.trtworld.com/article/18191151" in f1["source_urls"]


def test_csv_export_includes_static_layers_when_named(tmp_path):
    code, out = run(tmp_path, "--layers", "crossings,places,border", "--format", "csv")
    assert code == 0
    table = pd.read_csv(out)
    assert set(table["layer"]) == {"crossings", "places", "border"}
    assert len(table[table["layer"] == "crossings"]) == 9
    assert table.loc[table["id"] == "amatenango", "lat"].iloc[0] == pytest.approx(15.43466)


def test_export_equals_the_map_filter(tmp_path):
    _code, out = run(tmp_path, "--start", "2024-07-01", "--end", "2024-07-22", "--format", "geojson")
    ids = {f["properties"]["id"] for f in json.loads(out.read_text())["features"]}
    assert not ids & {"F1", "F2", "F3"}
    assert {"C1", "O4", "O5"} <= ids


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--layers", "bogus"], "Unknown layer 'bogus'"),
        (["--start", "2024-02-30"], "is not a date"),
        (["--format", "shp"], "--format 'shp' is not one of"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, args, fragment):
    code, out = run(tmp_path, *args)
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and err.count("\n") == 1
    assert not out.exists()


def test_missing_out_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export-data"])
    assert exc.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_exit_3(monkeypatch, capsys):
    from frontera.storage import geopackage as store

    def broken(*_a, **_k):
        raise ValueError("\x1b[2Jboom")

    monkeypatch.setattr(store, "list_imports", broken)
    assert main(["imports"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("frontera: unexpected error in `imports` (ValueError: \\x1b[2Jboom)") and err.count("\n") == 1
    monkeypatch.setenv("FRONTERA_DEBUG", "1")
    with pytest.raises(ValueError, match="boom"):
        main(["imports"])
