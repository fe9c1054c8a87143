"""Imports at the same moment and imports killed at any moment (issue 11, the embedded store):
two threads, 2 and 8 CLI processes: every record and every log line of every import kept; ``kill -9``
at random moments: the store is exactly the old or the new state, the log agrees, no file is left over."""

import json
import os
import subprocess
import sys
import textwrap
import threading

from import_helpers import import_file, plan_for
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
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "frontera.cli", "import", str(f)],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0] * n, [r[1][-500:] for r in results]
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
    # Prepares every round's plan once, then per round forks a child that commits and SIGKILLs it
    # after a random delay (0.2 .. 1.5 x a full commit, adapted to the machine's load). Prints one JSON line per round.
    import json, os, random, signal, sys, time
    import pyarrow
    pyarrow.set_cpu_count(1); pyarrow.set_io_thread_count(1)
    sys.path.insert(0, sys.argv[1])
    from frontera.storage import geopackage as store
    from import_helpers import import_file, plan_for
    from test_store_concurrency import native_geojson
    rounds, rng = int(sys.argv[2]), random.Random(int(sys.argv[3]))
    def commit_in_child(tag):
        pid = os.fork()
        if pid == 0:
            try:
                store.commit_import(plan_for(tag + ".geojson", native_geojson(tag), import_id=tag), native_geojson(tag))
            finally:
                os._exit(0)
        return pid
    full, status = 0.0, 0
    for tag in ("CAL", "CAL2"):  # how long a whole commit takes here, now (the slower of two)
        t = time.perf_counter(); _, st = os.waitpid(commit_in_child(tag), 0)
        full, status = max(full, time.perf_counter() - t), status or st
    print(json.dumps({"calibration_s": full, "status": status}), flush=True)
    scale, streak = 1.5, []
    for r in range(rounds):
        tag = f"K{r}"
        delay = rng.uniform(0.2 * full, scale * full)
        pid = commit_in_child(tag)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status)
        # a busy machine stretches commits: widen the window after three kills in a row, narrow it
        # after three finished commits, so both sides of the rename keep being hit
        streak = [*streak[-2:], killed]
        if len(streak) == 3 and len(set(streak)) == 1:
            scale, streak = (min(scale * 1.5, 4.0) if killed else max(scale / 1.5, 1.0)), []
        print(json.dumps({"round": r, "tag": tag, "delay": delay, "killed": killed}), flush=True)
        if input() != "next":  # the test checks the store, then lets the next round start
            break
""")


def test_kill_9_at_random_moments_leaves_old_or_new_state(tmp_path):
    rounds = 20
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(ROOT / "tests"), str(rounds), "8"],
        env=os.environ.copy(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        cal = json.loads(proc.stdout.readline() or "{}")
        assert cal.get("status") == 0, proc.stderr.read()[-2000:]
        ids, logged = stored_ids(), [e["import_id"] for e in store.read_import_log()]
        assert logged == ["CAL", "CAL2"] and len(ids) == 10
        outcomes, left_by_kill = [], 0
        for _ in range(rounds):
            line = json.loads(proc.stdout.readline())
            tag = line["tag"]
            left_by_kill += bool(leftovers())
            now_ids = stored_ids()  # the next command after the kill: it also cleans leftovers
            now_log = [e["import_id"] for e in store.read_import_log()]
            new = {f"{tag}-{k}" for k in range(5)}
            if now_ids == ids:
                assert now_log == logged, (line, now_log)
                assert not (store.imports_dir() / tag).exists()
                outcomes.append("old")
            else:
                assert now_ids == ids | new and now_log == [*logged, tag], (line, now_log)
                assert (store.imports_dir() / tag / f"{tag}.geojson").read_bytes() == native_geojson(tag)
                outcomes.append("new")
            assert leftovers() == [], line
            ids, logged = now_ids, now_log
            proc.stdin.write("next\n")
            proc.stdin.flush()
    finally:
        proc.kill()
        proc.wait()
    print("kill -9 outcomes", outcomes, "rounds that left temporary files:", left_by_kill, "calibration", cal)
    assert "old" in outcomes and "new" in outcomes, outcomes  # both sides of the commit were hit
