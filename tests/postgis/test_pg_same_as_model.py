"""The PostGIS store behaves exactly as the storage interface's pure model (:mod:`frontera.storage.history`,
which the GeoPackage store also follows): random sequences of ACLED imports (new, changed, identical and
older rows), deletion files and removals of imports in any order leave the same records, the same counts
and the same history, step by step."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from import_helpers import situation, synthetic_acled

from frontera.importers import prepare_import
from frontera.storage.history import apply_plan, empty_history, records_only, undo_import

POOL = [f"MEX{i}" for i in range(12)]


def _acled(rng: random.Random) -> tuple[str, bytes]:
    ids = rng.sample(POOL, rng.randint(2, 7))
    rows = synthetic_acled(len(POOL), seed=0).iloc[[POOL.index(i) for i in ids]].copy()  # one row per id
    assert list(rows["event_id_cnty"]) == ids
    rows["fatalities"] = [rng.choice([0, 0, 1]) for _ in ids]  # often the same row again: unchanged
    rows["timestamp"] = [1722902400 + rng.choice([0, 0, 1]) for _ in ids]  # sometimes older: kept newer
    return "acled.csv", rows.to_csv(index=False).encode()


def _deletions(rng: random.Random) -> tuple[str, bytes]:
    ids = rng.sample(POOL, rng.randint(1, 3))
    return "deleted.csv", ("event_id_cnty,deleted_timestamp\n" + "".join(f"{i},1723000000\n" for i in ids)).encode()


def _table(records) -> pd.DataFrame:
    frames = [pd.DataFrame(f.drop(columns="geometry").assign(wkt=f.geometry.to_wkt())) for f in records.values()]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True).sort_values("id").reset_index(drop=True)


@pytest.mark.parametrize("seed", [3])
def test_random_imports_and_removals_match_the_model(postgis_store, seed):
    rng, bundled = random.Random(seed), situation()
    model, history, live, seq = {}, empty_history(), [], 1
    seen: dict[str, int] = {}
    for step in range(26):
        if live and rng.random() < 0.3:
            import_id = live.pop(rng.randrange(len(live)))
            model, history, counts = undo_import(model, history, import_id)
            entry = postgis_store.remove_import(import_id)
            assert (entry["removed"], entry["restored"]) == (counts["removed"], counts["restored"]), (step, entry)
            seen.update({k: seen.get(k, 0) + v for k, v in counts.items()})
        else:
            name, data = (_deletions if rng.random() < 0.25 else _acled)(rng)
            import_id = f"S{seed}x{step}"
            plan = prepare_import(name, data, bundled, model, import_id=import_id)
            entry = postgis_store.commit_import(plan.again, data)
            expected = plan.again(model)
            assert {k: entry[k] for k in expected.counts()} == expected.counts(), (step, entry)
            seen.update({k: seen.get(k, 0) + v for k, v in expected.counts().items()})
            if expected.changes_anything:
                model, added = apply_plan(model, expected, next_seq=seq, who=None, when=entry["when"])
                history, seq = pd.concat([history, added], ignore_index=True), seq + len(added)
                live.append(import_id)
        got, want = _table(postgis_store.read_records()), _table(records_only(model))
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=f"records after step {step}")
    print(seed, seen)
    for kind in ("added", "updated", "unchanged", "kept_newer", "removed", "restored", "spliced"):
        assert seen.get(kind), f"seed {seed} never had {kind!r}: {seen}"  # the sequence exercised every case
    for record_id in POOL:  # the same history, entry for entry (in effect or undone)
        mine = [(e["import_id"], e["action"], e["in_effect"]) for e in postgis_store.record_history(record_id)]
        theirs = history[history["h_record"] == record_id].sort_values("h_seq")
        assert mine == list(zip(theirs["h_import"], theirs["h_action"], theirs["h_in_effect"].astype(bool)))
