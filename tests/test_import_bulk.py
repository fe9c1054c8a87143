"""A large ACLED file goes through the vectorised path whole: every row added, then unchanged when the
same file comes again, then every row updated when ACLED re-exports it changed.

Its speed (100,000 rows within 15 s) is measured by ``benchmarks/run.py``, not here.
"""

from import_helpers import plan_for, synthetic_acled

from frontera.storage import geopackage as store


def test_bulk_acled_rows_are_added_then_updated():
    data = synthetic_acled(5_000).to_csv(index=False).encode()
    plan = plan_for("acled_5k.csv", data, import_id="BIG")
    store.commit_import(plan, data)
    counts = {"added": 5_000, "updated": 0, "removed": 0, "unchanged": 0, "kept_newer": 0, "rejected": 0}
    assert plan.counts() == counts
    assert sum(len(f) for f in store.read_user_records().values()) == 5_000
    same = plan_for("acled_5k.csv", data, import_id="BIG2")  # since issue 11: identical rows are unchanged
    assert store.commit_import(same, data)["unchanged"] == 5_000 and len(store.list_imports()) == 1
    frame = synthetic_acled(5_000)
    frame["fatalities"] = frame["fatalities"] + 1  # ACLED re-export with every row changed: every row updates
    changed = frame.to_csv(index=False).encode()
    again = plan_for("acled_5k.csv", changed, import_id="BIG3")
    assert store.commit_import(again, changed)["updated"] == 5_000
    assert len(again.updated_ids) == 5_000
    assert sum(len(f) for f in store.read_user_records().values()) == 5_000
    assert store.remove_import("BIG3") == 5_000  # the versions before it come back
    assert all(f["dataset"].eq("import:BIG").all() for f in store.read_user_records().values())
