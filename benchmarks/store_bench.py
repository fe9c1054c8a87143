"""The user's store at scale: a 100,000-row ACLED import, and a 1,000,000-event store loaded cold and cached.

    .venv/bin/python benchmarks/run.py --store-only                   # these measurements alone
    .venv/bin/python benchmarks/run.py --store-only --import-rows 1000 --store-events 1000   # a quick check

Import: the CLI's path (``frontera import``): the bundled situation, then
``importers.prepare_import`` on the file's bytes against the store, then
``store.commit_import``; into an empty store (every row added), then the same file
again (an ACLED re-export: every row updated). ``FRONTERA_DATA_DIR`` points at a
temporary folder.

Load: a store written in one go by ``store.write_user_records``, read by
``store.load_situation`` in a fresh Python process (cold), then read again through a
function cached like the app's (``st.cache_resource`` keyed by the folders and the
store's modification time: the cached path), the process's peak RSS, and, for
information, ``analysis.with_spatial_facts`` on every loaded event.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def data_dir(directory: Path):
    """``FRONTERA_DATA_DIR`` set to ``directory`` for the block, as a person's shell would set it."""
    old = os.environ.get("FRONTERA_DATA_DIR")
    os.environ["FRONTERA_DATA_DIR"] = str(directory)
    try:
        yield Path(directory)
    finally:
        if old is None:
            os.environ.pop("FRONTERA_DATA_DIR", None)
        else:
            os.environ["FRONTERA_DATA_DIR"] = old


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import_once(name: str, data: bytes, import_id: str) -> tuple[dict, dict]:
    """One ``frontera import`` as cmd_import does it: (timings, the plan's counts)."""
    from frontera.importers import prepare_import
    from frontera.storage import geopackage as store

    t0 = time.perf_counter()
    situation = store.load_situation(include_user=False)
    t1 = time.perf_counter()
    plan = prepare_import(name, data, situation, store.read_user_records(), import_id=import_id)
    t2 = time.perf_counter()
    store.commit_import(plan, data)
    t3 = time.perf_counter()
    return {"total_s": t3 - t0, "situation_s": t1 - t0, "prepare_s": t2 - t1, "commit_s": t3 - t2}, plan.counts()


def import_bench(n: int, directory: Path) -> dict:
    """Import ``n`` synthetic ACLED rows into an empty store in ``directory``, then the same events again,
    each changed (since issue 11 identical rows are unchanged and write nothing: the re-import
    measured is ACLED's re-export with every row updated)."""
    from benchmarks.synth import acled_rows
    from frontera.storage import geopackage as store

    data = acled_rows(n).to_csv(index=False).encode()
    changed = acled_rows(n)
    changed["fatalities"] = changed["fatalities"] + 1
    name = f"acled_{n}.csv"
    out: dict = {"rows": n, "csv_bytes": len(data)}
    with data_dir(directory):
        if store.store_path().exists():
            raise RuntimeError(f"{store.store_path()} exists; the import benchmark needs an empty store")
        first, counts = _import_once(name, data, "BENCH1")
        if {k: counts.get(k) for k in ("added", "updated", "removed", "rejected")} != {
            "added": n,
            "updated": 0,
            "removed": 0,
            "rejected": 0,
        }:
            raise RuntimeError(f"import into an empty store: expected {n} added, got {counts}")
        again, counts = _import_once(name, changed.to_csv(index=False).encode(), "BENCH2")
        if counts.get("updated") != n or counts.get("rejected"):
            raise RuntimeError(f"re-import: expected {n} updated, got {counts}")
        held = sum(len(f) for f in store.read_user_records().values())
        if held != n:
            raise RuntimeError(f"after the re-import the store holds {held} records, expected {n}")
        out["store_bytes"] = store.store_path().stat().st_size
    out.update({f"import_{k}": v for k, v in first.items()})
    out.update({f"reimport_{k}": v for k, v in again.items()})
    return out


def naive_import(data: bytes, path: Path) -> float:
    """The usual hand-written import, for scale: pandas, a shapely Point per row, ``to_file``; no checks, no merge."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    t = time.perf_counter()
    frame = pd.read_csv(io.BytesIO(data))
    points = [Point(row["longitude"], row["latitude"]) for _, row in frame.iterrows()]
    gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326").to_file(path, driver="GPKG", layer="clashes")
    return time.perf_counter() - t


def write_store(n: int, directory: Path) -> dict:
    """A store of ``n`` synthetic clashes (``synth.clash_events``) written by ``store.write_user_records`` in one go."""
    from benchmarks.synth import clash_events
    from frontera.storage import geopackage as store

    events = clash_events(n)
    t = time.perf_counter()
    path = store.write_user_records({"clashes": events}, directory)
    return {"events": n, "write_s": time.perf_counter() - t, "store_bytes": path.stat().st_size}


def load_in_fresh_process(directory: Path, mode: str = "load", facts: bool = True) -> dict:
    """Run ``python -m benchmarks.store_bench --child MODE DIR`` and return what it measured (JSON)."""
    cmd = [sys.executable, "-m", "benchmarks.store_bench", "--child", mode, str(directory)]
    if not facts:
        cmd.append("--no-facts")
    env = {**os.environ, "FRONTERA_DATA_DIR": str(directory), "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = wall
    return result


def _child(mode: str, directory: Path, facts: bool) -> dict:
    """In a fresh process: the cold load, the cached second call, peak RSS; optionally the spatial facts."""
    t = time.perf_counter()
    import streamlit as st

    from frontera.storage import geopackage as store

    out: dict = {"imports_s": time.perf_counter() - t}
    geodata, mtime = str(store.geodata_dir()), store.store_mtime(directory)
    if mode == "app":
        # The app's own cached function, whatever it does at load at the time of the run.
        from frontera.ui.data import _load as cached
    else:

        @st.cache_resource(max_entries=4, show_spinner=False)
        def cached(geodata_dir: str, user_dir: str, user_mtime: float):  # the cache key
            return store.load_situation(Path(geodata_dir), Path(user_dir)), None

    t = time.perf_counter()
    situation, problem = cached(geodata, str(directory), mtime)
    out["cold_s"] = time.perf_counter() - t
    if problem:
        raise RuntimeError(problem)
    out["rss_after_load_mb"] = peak_rss_mb()
    out["events"] = int(sum(len(f) for f in situation.records.values()))
    t = time.perf_counter()
    again, _ = cached(geodata, str(directory), mtime)
    out["cached_s"] = time.perf_counter() - t
    if again is not situation:
        raise RuntimeError("the second call did not come from the cache")
    if facts and mode == "load":
        from frontera.analysis import with_spatial_facts

        clashes = situation.records["clashes"]
        t = time.perf_counter()
        with_spatial_facts(clashes, situation.border_line, situation.crossings)
        out["facts_s"] = time.perf_counter() - t
        out["facts_events"] = len(clashes)
        out["rss_after_facts_mb"] = peak_rss_mb()
    return out


def store_bench(
    import_rows: int = 100_000,
    store_events: int = 1_000_000,
    *,
    naive_max: int = 100_000,
    facts: bool = True,
    app: bool = True,
    log=print,
) -> dict:
    """Both measurements, each in its own temporary store; returns one flat dict (see :func:`table`)."""
    out: dict = {}
    if import_rows:
        with tempfile.TemporaryDirectory(prefix="frontera-bench-import-") as tmp:
            out.update(import_bench(import_rows, Path(tmp) / "data"))
            log(
                f"import {import_rows:,} rows: {out['import_total_s']:.2f} s, re-import {out['reimport_total_s']:.2f} s"
            )
            if import_rows <= naive_max:
                from benchmarks.synth import acled_rows

                data = acled_rows(import_rows).to_csv(index=False).encode()
                out["naive_import_s"] = naive_import(data, Path(tmp) / "naive.gpkg")
                log(f"naive import {import_rows:,} rows: {out['naive_import_s']:.2f} s")
    if store_events:
        with tempfile.TemporaryDirectory(prefix="frontera-bench-store-") as tmp:
            directory = Path(tmp) / "data"
            written = write_store(store_events, directory)
            out.update({f"store_{k}": v for k, v in written.items()})
            log(
                f"store of {store_events:,} events written in {written['write_s']:.2f} s "
                f"({written['store_bytes'] / 1e6:.0f} MB)"
            )
            load = load_in_fresh_process(directory, "load", facts=facts)
            out.update({f"load_{k}": v for k, v in load.items()})
            log(
                f"load: cold {load['cold_s']:.2f} s, cached {load['cached_s'] * 1000:.2f} ms, "
                f"peak RSS {load['rss_after_load_mb']:.0f} MB"
            )
            if app:
                try:
                    got = load_in_fresh_process(directory, "app")
                except RuntimeError as exc:  # the app's module is someone else's and may be mid-change
                    log(f"frontera.ui.data._load could not be measured: {exc}")
                else:
                    out.update({f"app_{k}": v for k, v in got.items()})
                    log(
                        f"frontera.ui.data._load: first {got['cold_s']:.2f} s, second {got['cached_s'] * 1000:.2f} ms, "
                        f"peak RSS {got['rss_after_load_mb']:.0f} MB"
                    )
    return out


def table(r: dict) -> str:
    """The store measurements as Markdown, beside issue 5's targets."""

    def s(key, fmt="{:.2f} s"):
        return fmt.format(r[key]) if key in r else "n/a"

    out = ["| store measurement | result | target |", "|---|---|---|"]
    if "rows" in r:
        n = f"{r['rows']:,}"
        naive = (
            f"; naive pandas + Point per row + to_file, no checks: {r['naive_import_s']:.2f} s"
            if "naive_import_s" in r
            else ""
        )
        out += [
            f"| import {n} ACLED rows ({r['csv_bytes'] / 1e6:.1f} MB CSV) into an empty store | "
            f"{s('import_total_s')} (situation {s('import_situation_s')}, prepare {s('import_prepare_s')}, "
            f"commit {s('import_commit_s')}{naive}) | ≤ 15 s |",
            f"| re-import the same file (every row updated) | {s('reimport_total_s')} "
            f"(situation {s('reimport_situation_s')}, prepare {s('reimport_prepare_s')}, "
            f"commit {s('reimport_commit_s')}) | ≤ 15 s |",
        ]
    if "store_events" in r:
        n = f"{r['store_events']:,}"
        out += [
            f"| write a {n}-event store (`write_user_records`, {r['store_store_bytes'] / 1e6:.0f} MB) | "
            f"{s('store_write_s')} | — |",
            f"| load it cold (`load_situation`, fresh process; its imports {s('load_imports_s')}, whole process {s('load_process_wall_s')}) | "
            f"{s('load_cold_s')} | ≤ 5 s |",
            f"| load it cached (second call, `st.cache_resource` keyed by store mtime) | "
            f"{s('load_cached_s', '{:.4f} s')} | ≈ 0 |",
            f"| peak RSS of the loading process | {s('load_rss_after_load_mb', '{:,.0f} MB')} | ≤ 2 GB |",
        ]
        if "load_facts_s" in r:
            out.append(
                f"| for information: `analysis.with_spatial_facts` on {r['load_facts_events']:,} events | "
                f"{s('load_facts_s')} (peak RSS then {s('load_rss_after_facts_mb', '{:,.0f} MB')}) | "
                "not at load |"
            )
        if "app_cold_s" in r:
            out.append(
                f"| for information: `frontera.ui.data._load` as it is now, first / second call | "
                f"{s('app_cold_s')} / {s('app_cached_s', '{:.4f} s')} "
                f"(peak RSS {s('app_rss_after_load_mb', '{:,.0f} MB')}) | — |"
            )
    return "\n".join(out)


def _main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="child process of the store benchmark (run benchmarks/run.py)")
    ap.add_argument("--child", choices=["load", "app"], required=True)
    ap.add_argument("directory")
    ap.add_argument("--no-facts", action="store_true")
    args = ap.parse_args(argv)
    result = _child(args.child, Path(args.directory), facts=not args.no_facts)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
