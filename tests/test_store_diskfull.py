"""Disk full during an import: a message naming the store, the cause and the fix (exit 2, never a
traceback); the store, its log and the kept originals exactly as before; no temporary file left."""

import errno
import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pyogrio
import pytest
from import_helpers import FIXTURES, fixture_bytes, import_file, plan_for

from frontera.cli import main
from frontera.errors import StoreError
from frontera.storage import geopackage as store


def snapshot(folder: Path) -> dict:
    """Every file under the store's folder with its digest (the lock file aside)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != store.LOCK_FILE
    }


def enospc(*_a, **_k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def fail_on_call(real, n: int, exc: Exception):
    calls = []

    def wrapper(*a, **k):
        calls.append(1)
        if len(calls) == n:
            raise exc
        return real(*a, **k)

    return wrapper


GDAL_FULL = pyogrio.errors.DataSourceError("sqlite3_exec(COMMIT) failed: database or disk is full")
FAULTS = {  # where the disk fills up: name -> (module, attribute, replacement factory)
    **{
        f"gpkg write {n}": (
            pyogrio,
            "write_dataframe",
            lambda real, n=n: fail_on_call(real, n, OSError(errno.ENOSPC, "No space left on device")),
        )
        for n in (1, 3, 5)
    },
    "gpkg write 2 (GDAL's words)": (pyogrio, "write_dataframe", lambda real: fail_on_call(real, 2, GDAL_FULL)),
    "log table (GDAL's words)": (pyogrio, "write_dataframe", lambda real: fail_on_call(real, 5, GDAL_FULL)),
    "fsync of the kept original": (os, "fsync", lambda real: fail_on_call(real, 1, OSError(errno.ENOSPC, "x"))),
    "fsync of the new store": (os, "fsync", lambda real: fail_on_call(real, 2, OSError(errno.ENOSPC, "x"))),
    "rename": (os, "replace", lambda real: fail_on_call(real, 1, OSError(errno.ENOSPC, "x"))),
    "quota": (os, "fsync", lambda real: fail_on_call(real, 2, OSError(errno.EDQUOT, "Disk quota exceeded"))),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_failing_writer_leaves_everything_as_it_was(fault, monkeypatch):
    import_file("acled_current.csv", import_id="A1")
    folder = store.data_dir()
    before = snapshot(folder)
    plan = plan_for("flows_hxl.csv", import_id="F1")
    module, name, factory = FAULTS[fault]
    with monkeypatch.context() as m, pytest.raises(StoreError) as info:
        m.setattr(module, name, factory(getattr(module, name)))
        store.commit_import(plan, fixture_bytes("flows_hxl.csv"))
    text = str(info.value)
    assert f"could not write your store {store.store_path()} (no space left on the disk)" in text
    assert "nothing of 'flows_hxl.csv' was imported: your store was left exactly as it was" in text
    assert f"Fix: the disk holding {folder} is full (" in text and "MB free); free some space" in text
    assert snapshot(folder) == before  # store, log, kept originals; and no temporary file
    assert [e["import_id"] for e in store.list_imports()] == ["A1"]


def test_cli_says_disk_full_in_one_line_and_exits_2(monkeypatch, capsys):
    import_file("acled_current.csv", import_id="A1")
    before = snapshot(store.data_dir())
    monkeypatch.setattr(pyogrio, "write_dataframe", fail_on_call(pyogrio.write_dataframe, 2, GDAL_FULL))
    assert main(["import", str(FIXTURES / "flows_hxl.csv")]) == 2
    out, err = capsys.readouterr()
    assert "add 3, update 0" in out  # the report came first; then the fault, in one line
    assert err.startswith("frontera: error: could not write your store") and err.count("\n") == 1
    assert "no space left on the disk" in err and "left exactly as it was" in err and "Traceback" not in err
    assert snapshot(store.data_dir()) == before


def test_export_to_a_full_disk_names_the_output(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(os, "fsync", enospc)
    out = tmp_path / "out.geojson"
    assert main(["export-data", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"could not write {out} (the disk is full); nothing was written there" in err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


@pytest.fixture
def tiny_disk(tmp_path, monkeypatch):
    """A 1.5 MB tmpfs as the store's folder (root only; this machine allows it)."""
    mnt = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(mnt)], check=False, capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); the failing-writer tests cover it")
    monkeypatch.setenv("FRONTERA_DATA_DIR", str(mnt / "data"))
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(mnt: Path, leave: int) -> None:
    filler = mnt / "filler"
    filler.unlink(missing_ok=True)
    free = shutil.disk_usage(mnt).free
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(free - leave, 0))


def test_real_full_disk_at_many_fill_levels(tiny_disk, capsys):
    """At every fill level: exit 0 with the import complete, or exit 2 with the message and nothing changed."""
    assert main(["import", str(FIXTURES / "acled_current.csv")]) == 0
    folder = store.data_dir()
    outcomes = []
    for leave in (0, 4_096, 16_384, 40_000, 90_000, 140_000, 180_000, 260_000, 400_000, 700_000):
        fill(tiny_disk, leave)
        before, log_before = snapshot(folder), store.read_import_log()
        capsys.readouterr()
        code = main(["import", str(FIXTURES / "flows_hxl.csv")])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        if code == 2:
            assert "no space left on the disk" in err and "left exactly as it was" in err, err
            assert snapshot(folder) == before and store.read_import_log() == log_before
        else:
            assert code == 0 and err == "", err
            assert store.read_import_log()[-1]["file"] == "flows_hxl.csv"
            assert len(store.read_user_records()["flows"]) == 3
        assert not [p for p in folder.rglob("*") if ".tmp-" in p.name]
        outcomes.append(code)
        (tiny_disk / "filler").unlink()
        if code == 0:  # back to the one-import store for the next level
            assert main(["remove-import", store.read_import_log()[-1]["import_id"]]) == 0
    print("fill-level outcomes", outcomes)
    assert 2 in outcomes and 0 in outcomes, outcomes  # both sides of "full" were tried


def test_import_page_says_disk_full_and_keeps_the_store(monkeypatch):
    from locations import ROOT
    from streamlit.testing.v1 import AppTest

    import_file("acled_current.csv", import_id="A1")
    before = snapshot(store.data_dir())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("app_pages/5_Import.py").run()
    at.file_uploader(key="import_file").upload("flows_hxl.csv", fixture_bytes("flows_hxl.csv"), "text/csv")
    at.run()
    monkeypatch.setattr(pyogrio, "write_dataframe", fail_on_call(pyogrio.write_dataframe, 2, GDAL_FULL))
    at.button(key="import_confirm").click()
    at.run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("no space left on the disk" in e and "left exactly as it was" in e for e in errors), errors
    assert not any("Imported as" in s.value for s in at.success)
    assert snapshot(store.data_dir()) == before
