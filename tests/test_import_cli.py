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


def _acled_with_bad_fatalities() -> bytes:
    return (FIXTURES / "acled_current.csv").read_bytes().replace(b"19,,1722902400", b"-1,,1722902400")


def test_one_rejected_row_imports_nothing_and_valid_rows_only_takes_the_rest(tmp_path, capsys):
    """Issue 11: a file with one bad row among good ones was half-applied and exited 1; now it writes nothing."""
    bad = tmp_path / "acled_one_bad.csv"
    bad.write_bytes(_acled_with_bad_fatalities())
    assert main(["import", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "acled_one_bad.csv row 3, field 'fatalities': got '-1', expected a whole number >= 0" in out
    assert "1 row rejected, so nothing was imported" in out and "--valid-rows-only" in out
    assert not store.store_path().exists() and "imported as" not in out
    assert main(["import", str(bad), "--valid-rows-only"]) == 0
    out = capsys.readouterr().out
    assert "imported as" in out and "4 added" in out and "field 'fatalities'" in out
    assert sorted(i for f in store.read_user_records().values() for i in f["id"]) == sorted(
        ["MEX90001", "MEX90003", "GTM90004", "MEX90005"]
    )


def test_reimport_is_unchanged_and_removal_says_what_it_restored(capsys):
    path = str(FIXTURES / "acled_current.csv")
    assert main(["import", path]) == 0
    first = capsys.readouterr().out.split("imported as ")[1].split()[0]
    mtime = store.store_path().stat().st_mtime_ns
    assert main(["import", path]) == 0
    assert "nothing changed: 5 records identical to your store" in capsys.readouterr().out
    assert store.store_path().stat().st_mtime_ns == mtime  # the store was not rewritten
    assert main(["import", str(FIXTURES / "acled_deletions.csv")]) == 0
    deletion = capsys.readouterr().out.split("imported as ")[1].split()[0]
    assert main(["remove-import", deletion]) == 0
    assert f"removed 1 records of import {deletion}" in capsys.readouterr().out
    assert main(["imports"]) == 0
    listing = capsys.readouterr().out
    assert first in listing and f"removed 1 records of import {deletion}" in listing
    assert "restored 1 to their version before it" in listing
    assert len([i for f in store.read_user_records().values() for i in f["id"]]) == 5
