"""A large ACLED file goes through the vectorised path whole: every row added, then every row updated.

Its speed (100,000 rows within 15 s) is measured by ``benchmarks/run.py``, not here.
"""

from import_helpers import plan_for, synthetic_acled

from frontera.storage import geopackage as store


def test_bulk_acled_rows_are_added_then_updated():
    data = synthetic_acled(5_000).to_csv(index=False).encode()
    plan = plan_for("acled_5k.csv", data, import_id="BIG")
    store.commit_import(plan, data)
    assert plan.counts() == {"added": 5_000, "updated": 0, "removed": 0, "rejected": 0}
    assert sum(len(f) for f in store.read_user_records().values()) == 5_000
    again = plan_for("acled_5k.csv", data, import_id="BIG2")  # ACLED re-export: every row updates
    store.commit_import(again, data)
    assert len(again.updated_ids) == 5_000
    assert sum(len(f) for f in store.read_user_records().values()) == 5_000
