"""The user's store: atomic writes, kept originals, the import log, removal; a killed import loses nothing."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pyogrio
import pytest
from import_helpers import fixture_bytes, import_file, plan_for
from locations import ROOT

from frontera.errors import InputError, StoreError
from frontera.storage import geopackage as store


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_commit_keeps_original_logs_and_store_shows_beside_bundled():
    import_file("acled_current.csv", import_id="A1")
    d = store.data_dir()
    assert (d / "imports" / "A1" / "acled_current.csv").read_bytes() == fixture_bytes("acled_current.csv")
    (entry,) = store.read_import_log()
    assert entry | {"when": ""} == entry | {"when": ""} and (entry["import_id"], entry["added"], entry["rejected"]) == (
        "A1",
        5,
        0,
    )
    assert {name for name, _ in pyogrio.list_layers(store.store_path())} == {
        "flows",
        "clashes",
        "incidents",
        "operations",
        store.LOG_TABLE,
        store.HISTORY_TABLE,
    }  # the log and the history of records travel with the records
    sit = store.load_situation()
    assert {"C1", "MEX90001"} <= set(sit.records["clashes"]["id"])


def test_remove_import_takes_its_records_and_keeps_others():
    import_file("acled_current.csv", import_id="A1")
    import_file("flows_hxl.csv", import_id="F1")
    assert store.remove_import("A1") == 5
    left = {i for f in store.read_user_records().values() for i in f["id"]}
    assert left == {"F1:1", "F1:2", "F1:3"}
    assert [e["import_id"] for e in store.list_imports()] == ["F1"]
    with pytest.raises(InputError, match="no import 'nope'"):
        store.remove_import("nope")


def test_failure_in_the_middle_of_writing_leaves_store_byte_identical(monkeypatch):
    import_file("acled_current.csv", import_id="A1")
    before = digest(store.store_path())
    calls = []
    real = pyogrio.write_dataframe

    def write_then_fail(*args, **kwargs):
        calls.append(kwargs.get("layer"))
        if len(calls) == 3:
            raise RuntimeError("disk pulled out")
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", write_then_fail)
    plan = plan_for("flows_hxl.csv", import_id="F1")
    with pytest.raises(StoreError, match=r"disk pulled out.*flows_hxl.csv.*left exactly as it was"):
        store.commit_import(plan, fixture_bytes("flows_hxl.csv"))
    assert digest(store.store_path()) == before
    assert [p.name for p in store.data_dir().rglob("*") if ".tmp-" in p.name] == []
    assert [e["import_id"] for e in store.read_import_log()] == ["A1"]


def test_import_killed_with_sigkill_during_the_write_leaves_store_byte_identical():
    import_file("acled_current.csv", import_id="A1")
    before = digest(store.store_path())
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT / "tests")!r})
        import pyogrio
        from frontera.storage import geopackage as store
        from import_helpers import fixture_bytes, plan_for
        real = pyogrio.write_dataframe
        n = []
        def write_then_die(*a, **k):
            real(*a, **k)
            n.append(1)
            if len(n) == 2:  # half the layers are in the temporary file
                os.kill(os.getpid(), signal.SIGKILL)
        pyogrio.write_dataframe = write_then_die
        plan = plan_for("flows_hxl.csv", import_id="F1")
        store.commit_import(plan, fixture_bytes("flows_hxl.csv"))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], env=os.environ.copy(), check=False, capture_output=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    assert digest(store.store_path()) == before
    assert {i for f in store.read_user_records().values() for i in f["id"]} == {
        "MEX90001",
        "MEX90002",
        "MEX90003",
        "GTM90004",
        "MEX90005",
    }
    # the next import is not disturbed by the dead process's temporary file
    import_file("flows_hxl.csv", import_id="F2")
    assert len(store.read_user_records()["flows"]) == 3


def test_imported_ids_never_collide_with_bundled(tmp_path):
    geojson = b"""{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point",
      "coordinates": [-92.1, 15.4]}, "properties": {"layer": "clashes", "id": "C1", "title": "Mine",
      "date_start": "2024-07-01", "date_precision": "day", "geo_precision": "town", "source_ids": "me",
      "dataset": "mine"}}]}"""
    import_file("mine.geojson", geojson, import_id="G1")
    sit = store.load_situation()
    ids = list(sit.records["clashes"]["id"])
    assert ids.count("C1") == 1 and "G1:C1" in ids


def test_leftovers_of_a_killed_import_are_cleaned_by_the_next_command(capsys):
    """What a kill -9 can leave: a temporary store (and its journal), a staged original whose import
    reached the log (moved into place), one whose import did not (removed)."""
    from frontera.cli import main

    import_file("acled_current.csv", import_id="A1")
    d = store.data_dir()
    (d / ".store.tmp-999-dead.gpkg").write_bytes(b"half a store")
    (d / ".store.tmp-999-dead.gpkg-journal").write_bytes(b"x")
    shutil.move(d / "imports" / "A1", d / "imports" / ".tmp-999-beef" / "A1")  # killed after the store was replaced
    (d / "imports" / ".tmp-999-cafe" / "Z9").mkdir(parents=True)  # killed before: Z9 never reached the log
    (d / "imports" / ".tmp-999-cafe" / "Z9" / "z.csv").write_bytes(b"z")
    assert main(["imports"]) == 0
    assert "A1" in capsys.readouterr().out
    assert sorted(p.name for p in d.rglob("*") if ".tmp-" in p.name) == []
    assert (d / "imports" / "A1" / "acled_current.csv").read_bytes() == fixture_bytes("acled_current.csv")
    assert not (d / "imports" / "Z9").exists()


def test_log_of_an_older_store_is_read_and_carried_into_the_store(tmp_path):
    """Stores written before the log moved inside keep their history (imports.log is read, then migrated)."""
    import_file("acled_current.csv", import_id="A1")
    d = store.data_dir()
    old_entry = {**store.read_import_log()[0]}
    records = store.read_user_records()
    store.store_path().unlink()
    store._replace_store(records, [], d, "test")  # a store without log entries, as older versions wrote
    import sqlite3

    con = sqlite3.connect(store.store_path())
    con.execute(f"DROP TABLE {store.LOG_TABLE}")
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (store.LOG_TABLE,))
    con.commit()
    con.close()
    (d / store.IMPORT_LOG).write_text(json.dumps(old_entry) + "\nnot json\n", encoding="utf-8")
    assert [e["import_id"] for e in store.list_imports()] == ["A1"]
    import_file("flows_hxl.csv", import_id="F1")
    assert [e["import_id"] for e in store.read_import_log()] == ["A1", "F1"]
    assert not (d / store.IMPORT_LOG).exists() and (d / (store.IMPORT_LOG + ".migrated")).exists()
