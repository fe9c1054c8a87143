"""Imports at the same moment and imports killed at any moment (issue 11, the embedded store):
two threads, 2 and 8 CLI processes: every record and every log line of every import kept; ``kill -9``
at random moments: the store is exactly the old or the new state, the log agrees, no file is left over."""

import textwrap
import threading

from cli_run import imports_at_once
from import_helpers import import_file, plan_for
from kill_rounds import drive_rounds
from locations import ROOT

from benchmarks.synth import native_clashes_geojson
from frontera.storage import geopackage as store


def native_geojson(tag: str, n: int = 5) -> bytes:
    """``n`` clashes with ids ``<tag>-<k>``, in Frontera's own GeoJSON."""
    return native_clashes_geojson(tag, n)


def stored_ids() -> set[str]:
    return {i for f in store.read_user_records().values() for i in f["id"]}


def leftovers() -> list[str]:
    return [str(p) for p in store.data_dir().rglob("*") if ".tmp-" in p.name]


def test_two_threads_committing_at_once_lose_nothing():
    """Two Import-page sessions of one Streamlit process: both previews made against the same store."""
    import_file("base.geojson", native_geojson("B"), import_id="B")
    for rnd in range(3):
        plans = {t: plan_for(f"{t}.geojson", native_geojson(t, 40), import_id=t) for t in (f"X{rnd}", f"Y{rnd}")}
        barrier, errors = threading.Barrier(2), []

        def commit(tag, barrier=barrier, plans=plans, errors=errors):
            barrier.wait()
            try:
                store.commit_import(plans[tag], native_geojson(tag, 40))
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=commit, args=(t,)) for t in plans]
        [t.start() for t in threads]
        [t.join(120) for t in threads]
        assert errors == []
    ids = stored_ids()
    assert len(ids) == 5 + 6 * 40 and {f"{t}{r}-{k}" for t in "XY" for r in range(3) for k in range(40)} <= ids
    assert sorted(e["import_id"] for e in store.list_imports()) == sorted(
        ["B", *(f"{t}{r}" for t in "XY" for r in range(3))]
    )
    assert all(e["records_now"] == (5 if e["import_id"] == "B" else 40) for e in store.list_imports())
    assert leftovers() == []


def _cli_imports_at_once(tmp_path, n: int) -> None:
    files = []
    for i in range(n):
        f = tmp_path / f"p{i}.geojson"
        f.write_bytes(native_geojson(f"P{i}", 20))
        files.append(f)
    imports_at_once(files, timeout=600)
    ids = stored_ids()
    assert len(ids) == 20 * n and all(f"P{i}-{k}" in ids for i in range(n) for k in range(20))
    entries = store.list_imports()
    assert sorted(e["file"] for e in entries) == sorted(f.name for f in files)
    assert all(e["added"] == 20 and e["records_now"] == 20 for e in entries)
    for e in entries:  # every original kept where the log says
        assert (store.data_dir() / e["kept_as"]).read_bytes() == (tmp_path / e["file"]).read_bytes()
    assert leftovers() == []


def test_two_cli_imports_at_once_keep_both(tmp_path):
    _cli_imports_at_once(tmp_path, 2)


def test_eight_cli_imports_at_once_keep_all(tmp_path):
    _cli_imports_at_once(tmp_path, 8)


KILLER = textwrap.dedent("""
    import os, random, sys
    import pyarrow
    pyarrow.set_cpu_count(1); pyarrow.set_io_thread_count(1)
    sys.path.insert(0, sys.argv[1])
    from frontera.storage import geopackage as store
    from import_helpers import plan_for
    from kill_rounds import run_rounds
    from test_store_concurrency import native_geojson
    def commit_in_child(tag):
        pid = os.fork()
        if pid == 0:
            try:
                store.commit_import(plan_for(tag + ".geojson", native_geojson(tag), import_id=tag), native_geojson(tag))
            finally:
                os._exit(0)
        return pid
    run_rounds(commit_in_child, int(sys.argv[2]), random.Random(int(sys.argv[3])))
""")


def test_kill_9_at_random_moments_leaves_old_or_new_state(tmp_path):
    rounds, seen, left_by_kill = 20, {}, []

    def calibrated() -> None:
        seen.update(ids=stored_ids(), logged=[e["import_id"] for e in store.read_import_log()])
        assert seen["logged"] == ["CAL", "CAL2"] and len(seen["ids"]) == 10

    def check(line: dict) -> str:
        tag, ids, logged = line["tag"], seen["ids"], seen["logged"]
        left_by_kill.append(bool(leftovers()))
        now_ids = stored_ids()  # the next command after the kill: it also cleans leftovers
        now_log = [e["import_id"] for e in store.read_import_log()]
        if now_ids == ids:
            assert now_log == logged, (line, now_log)
            assert not (store.imports_dir() / tag).exists()
            outcome = "old"
        else:
            assert now_ids == ids | {f"{tag}-{k}" for k in range(5)} and now_log == [*logged, tag], (line, now_log)
            assert (store.imports_dir() / tag / f"{tag}.geojson").read_bytes() == native_geojson(tag)
            outcome = "new"
        assert leftovers() == [], line
        seen.update(ids=now_ids, logged=now_log)
        return outcome

    drive_rounds(KILLER, [str(ROOT / "tests"), str(rounds), "8"], rounds, calibrated, check)
    print("rounds that left temporary files:", sum(left_by_kill))
