"""One behaviour for every store backend (issue 11): imports all or nothing, the valid-rows option,
identical re-imports that write nothing, older ACLED timestamps that do not overwrite, deletions,
removal restoring history, imports at the same moment, and exports equal to the records given."""

from __future__ import annotations

import dataclasses
import threading

import geopandas as gpd
import pandas as pd
import pytest
from contract_helpers import acled, by_id, clashes, commit, plan_of
from import_helpers import fixture_bytes, situation

from frontera import export
from frontera.errors import ImportRefusedError, InputError
from frontera.model.dates import data_span
from frontera.model.records import CRS, SOURCE_TIMESTAMP
from frontera.model.view import view_from_query
from frontera.storage import load_situation

FIVE = {"MEX90001", "MEX90002", "MEX90003", "GTM90004", "MEX90005"}


def test_a_file_with_one_rejected_row_changes_nothing(store):
    data = acled(MEX90003={"fatalities": "-1"})  # one bad row among five
    plan = plan_of(store, "acled.csv", data, "A1")
    assert plan.refused and plan.rejected_rows == 1 and len(plan.records) == 4
    assert "fatalities" in str(plan.rejected[0]) and "-1" in str(plan.rejected[0])
    before = store.version()
    with pytest.raises(ImportRefusedError, match=r"1 row rejected, so nothing was imported.*--valid-rows-only"):
        commit(store, "acled.csv", data, "A1")
    assert by_id(store) == {} and store.read_import_log() == [] and store.version() == before


def test_valid_rows_only_takes_the_good_rows_and_rejects_the_rest(store):
    data = acled(MEX90003={"fatalities": "-1"})
    entry = commit(store, "acled.csv", data, "A1", valid_rows_only=True)
    assert (entry["added"], entry["rejected"], entry["valid_rows_only"], entry["written"]) == (4, 1, True, True)
    assert set(by_id(store)) == FIVE - {"MEX90003"}
    assert [e["import_id"] for e in store.list_imports()] == ["A1"]


def test_identical_reimport_is_unchanged_and_writes_nothing(store):
    commit(store, "acled.csv", fixture_bytes("acled_current.csv"), "A1")
    records, log, version = by_id(store), store.read_import_log(), store.version()
    entry = commit(store, "acled.csv", fixture_bytes("acled_current.csv"), "A2")
    assert (entry["added"], entry["updated"], entry["unchanged"], entry["written"]) == (0, 0, 5, False)
    assert store.version() == version and store.read_import_log() == log and by_id(store) == records
    assert [e["import_id"] for e in store.list_imports()] == ["A1"]  # removing "A2" can not take A1's records
    with pytest.raises(InputError, match="A2"):
        store.remove_import("A2")
    assert by_id(store) == records


def test_an_older_acled_timestamp_does_not_overwrite_a_newer_one(store):
    commit(store, "acled.csv", acled(MEX90002={"timestamp": "1722999999"}), "A1")
    older = acled(MEX90002={"timestamp": "1722000000", "fatalities": "25"})
    entry = commit(store, "acled.csv", older, "A2")
    assert (entry["kept_newer"], entry["updated"], entry["written"]) == (1, 0, False)
    assert by_id(store)["MEX90002"]["fatalities"] == 19
    newer = acled(MEX90002={"timestamp": "1723999999", "fatalities": "25"})
    entry = commit(store, "acled.csv", newer, "A3")
    assert (entry["updated"], entry["unchanged"], entry["kept_newer"]) == (1, 4, 0)
    assert by_id(store)["MEX90002"]["fatalities"] == 25


def test_a_deletion_file_deletes_and_removing_it_restores(store):
    commit(store, "acled.csv", fixture_bytes("acled_current.csv"), "A1")
    before = by_id(store)
    entry = commit(store, "acled_deletions.csv", fixture_bytes("acled_deletions.csv"), "D1")
    assert entry["removed"] == 1 and set(by_id(store)) == FIVE - {"MEX90002"}
    (deleted,) = [h for h in store.record_history("MEX90002") if h["action"] == "delete"]
    assert deleted["import_id"] == "D1" and deleted["before"]["fatalities"] == 19
    undo = store.remove_import("D1")
    assert (undo["removed"], undo["restored"], undo["changed"]) == (0, 1, 1)
    assert by_id(store) == before  # the deleted record is back, exactly as it was


def test_removing_an_update_restores_the_version_it_replaced(store):
    commit(store, "acled.csv", fixture_bytes("acled_current.csv"), "A1", who="ana")
    original = by_id(store)
    commit(store, "acled.csv", acled(MEX90002={"fatalities": "21", "timestamp": "1723000000"}), "A2", who="ben")
    assert by_id(store)["MEX90002"]["dataset"] == "import:A2"
    imports = {e["import_id"]: e for e in store.list_imports()}
    assert (imports["A1"]["records_now"], imports["A2"]["records_now"]) == (4, 1)
    assert (imports["A2"]["updated"], imports["A2"]["unchanged"], imports["A2"]["who"]) == (1, 4, "ben")
    undo = store.remove_import("A2", who="cy")
    assert (undo["removed"], undo["restored"], undo["who"]) == (0, 1, "cy")
    assert by_id(store) == original
    assert [(e["action"], e["import_id"], e.get("who")) for e in store.read_import_log()] == [
        ("import", "A1", "ana"),
        ("import", "A2", "ben"),
        ("remove", "A2", "cy"),
    ]
    history = store.record_history("MEX90002")
    assert [(h["import_id"], h["action"], h["in_effect"]) for h in history] == [
        ("A1", "add", True),
        ("A2", "update", False),
    ]
    assert history[1]["before"]["fatalities"] == 19 and history[1]["who"] == "ben"
    assert store.remove_import("A1")["removed"] == 5 and by_id(store) == {}


def test_removing_a_middle_import_keeps_the_later_change_on_the_right_base(store):
    """A1 adds, A2 updates, A3 updates again: removing A2 keeps A3's version; removing A3 then gives A1's back."""
    commit(store, "acled.csv", fixture_bytes("acled_current.csv"), "A1")
    original = by_id(store)
    commit(store, "acled.csv", acled(MEX90002={"fatalities": "21", "timestamp": "1723000000"}), "A2")
    commit(store, "acled.csv", acled(MEX90002={"fatalities": "22", "timestamp": "1724000000"}), "A3")
    assert store.remove_import("A2")["changed"] == 0  # A3's version stands
    assert by_id(store)["MEX90002"]["fatalities"] == 22
    assert store.remove_import("A3")["restored"] == 1
    assert by_id(store) == original
    with pytest.raises(InputError, match="removed already"):
        store.remove_import("A3")


@pytest.mark.parametrize("at_once", [2, 8])
def test_imports_at_the_same_moment_lose_nothing(store, at_once):
    commit(store, "base.geojson", clashes("B", 5), "B")
    tags = [f"T{k}" for k in range(at_once)]
    plans = {t: plan_of(store, f"{t}.geojson", clashes(t, 20), t) for t in tags}  # every preview sees only B
    barrier, errors = threading.Barrier(at_once), []

    def run(tag: str) -> None:
        barrier.wait()
        try:
            store.commit_import(plans[tag].again, clashes(tag, 20))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in tags]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(by_id(store)) == {f"{t}-{k}" for t in ["B", *tags] for k in range(20 if t != "B" else 5)}
    assert sorted(e["import_id"] for e in store.list_imports()) == sorted(["B", *tags])
    assert {e["import_id"]: e["records_now"] for e in store.list_imports()} == {"B": 5} | dict.fromkeys(tags, 20)


def test_exports_equal_the_records_given(store):
    """The export of a store's records is the export of the same records made without any store: equal
    for every backend, hence between backends."""
    data = fixture_bytes("acled_current.csv")
    plan = plan_of(store, "acled.csv", data, "A1")
    commit(store, "acled.csv", data, "A1")
    stored = load_situation(store)
    bundled = situation()
    records = {}
    for layer, frame in bundled.records.items():
        mine = plan.records[plan.records["layer"] == layer].drop(columns=[SOURCE_TIMESTAMP])
        both = pd.concat([frame, mine], ignore_index=True) if len(mine) else frame
        records[layer] = gpd.GeoDataFrame(both, geometry="geometry", crs=CRS)
    expected = dataclasses.replace(bundled, records=records)
    view, _ = view_from_query({}, data_span(list(expected.records.values())))
    assert sum(len(f) for f in stored.records.values()) == sum(len(f) for f in bundled.records.values()) + 5
    for write in (export.to_geojson, lambda f: export.to_csv(f, hxl=True)):
        assert write(export.export_frame(stored, view)) == write(export.export_frame(expected, view))
