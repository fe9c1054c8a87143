"""Speed target: a 100,000-row ACLED CSV is read, checked and written into the store in at most 15 s."""

import time

from frontera import store
from import_helpers import plan_for, synthetic_acled


def test_100k_acled_rows_import_within_15_seconds():
    data = synthetic_acled(100_000).to_csv(index=False).encode()
    started = time.perf_counter()
    plan = plan_for("acled_100k.csv", data, import_id="BIG")
    store.commit_import(plan, data)
    elapsed = time.perf_counter() - started
    assert plan.counts() == {"added": 100_000, "updated": 0, "removed": 0, "rejected": 0}
    assert sum(len(f) for f in store.read_user_records().values()) == 100_000
    assert elapsed <= 15, f"import of 100k ACLED rows took {elapsed:.1f} s (target 15 s)"
    started = time.perf_counter()
    again = plan_for("acled_100k.csv", data, import_id="BIG2")  # ACLED re-export: every row updates
    store.commit_import(again, data)
    elapsed = time.perf_counter() - started
    assert len(again.updated_ids) == 100_000 and elapsed <= 15, f"re-import took {elapsed:.1f} s"
