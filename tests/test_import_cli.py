"""``frontera import / imports / remove-import`` and ``export-data --format gpkg / --hxl``."""

import pyogrio
from import_helpers import FIXTURES

from frontera.cli import main
from frontera.storage import geopackage as store


def test_import_dry_run_writes_nothing_and_exits_nonzero_on_rejections(capsys):
    assert main(["import", str(FIXTURES / "flows_bad.csv"), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "flows_bad.csv row 3, field 'people': got '-4', expected a whole number >= 0" in out
    assert "dry run: nothing was written" in out
    assert not store.store_path().exists()


def test_import_list_remove(capsys):
    assert main(["import", str(FIXTURES / "acled_current.csv")]) == 0
    out = capsys.readouterr().out
    assert "add 5, update 0, remove 0, reject 0 rows" in out
    import_id = out.split("imported as ")[1].split()[0]
    assert main(["imports"]) == 0
    listing = capsys.readouterr().out
    assert import_id in listing and "acled_current.csv" in listing
    assert main(["remove-import", import_id]) == 0
    assert f"removed 5 records of import {import_id}" in capsys.readouterr().out
    assert all(len(f) == 0 for f in store.read_user_records().values())


def test_unreadable_file_exits_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    assert main(["import", str(bad)]) == 2
    captured = capsys.readouterr()
    assert "the file was rejected" in captured.out and "Traceback" not in captured.out + captured.err
    assert main(["import", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_export_data_gpkg_and_hxl(tmp_path, capsys):
    main(["import", str(FIXTURES / "acled_current.csv")])
    gpkg, csv = tmp_path / "out.gpkg", tmp_path / "out.csv"
    assert main(["export-data", "--format", "gpkg", "--out", str(gpkg)]) == 0
    assert {"clashes", "flows", "places"} <= {n for n, _ in pyogrio.list_layers(gpkg)}
    assert main(["export-data", "--format", "csv", "--hxl", "--out", str(csv)]) == 0
    assert csv.read_text().splitlines()[1].startswith("#meta+layer,#id,")


def test_a_fifo_or_a_folder_is_not_a_regular_file(tmp_path, capsys):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path, what in ((fifo, "a named pipe (FIFO)"), (tmp_path, "a folder")):
        assert main(["import", str(path)]) == 2
        err = capsys.readouterr().err
        assert f"{path}: is {what}, not a file; save the data into a file" in err and err.count("\n") == 1
