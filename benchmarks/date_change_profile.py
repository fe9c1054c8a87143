"""Where a date change's time goes on the server: the map page's rerun through ``AppTest``, timed and profiled.

    .venv/bin/python benchmarks/date_change_profile.py                # 1,000,000 clashes, a fresh store
    .venv/bin/python benchmarks/date_change_profile.py --store DIR    # a store written before (kept)

Opens ``?layers=clashes,border`` (all dates) twice, then changes the dates to each ``--window``
as the sidebar's date field does, and prints for each change the rerun's total, when the figures,
the map and the trend and feed beside it were done (seconds from the rerun's start), and the
Frontera functions that took longest (cProfile, in the script's thread). No browser: what the
browser does after the map's layer arrives is ``real_page_bench.py``'s.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

WINDOWS = ("2023-01-01:2023-12-31", "2021-01-01:2021-12-31")
#: The page's steps, timed in the rerun: (module, function).
STEPS = (
    ("frontera.filters", "visible_records"),
    ("frontera.ui.map_panel", "show_metrics"),
    ("frontera.ui.map_panel", "show_map"),
    ("frontera.ui.trend", "show_trend"),
    ("frontera.ui.feed", "show_feed"),
)


def timed_steps(marks: list) -> None:
    """Wrap each of :data:`STEPS` so that a call appends ``(name, start, end)`` to ``marks``."""
    import importlib

    for module, name in STEPS:
        mod = importlib.import_module(module)
        original = getattr(mod, name)

        def wrapper(*args, _original=original, _name=name, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                marks.append((_name, start, time.perf_counter()))

        setattr(mod, name, wrapper)


def profiled_runs(profiles: list) -> None:
    """Profile the script's thread of each ``AppTest`` run while ``profiles`` holds a profiler at its end."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    original = LocalScriptRunner._run_script_thread

    def run(self):
        profiler = profiles[-1] if profiles else None
        if profiler is not None:
            profiler.enable()
        try:
            original(self)
        finally:
            if profiler is not None:
                profiler.disable()

    LocalScriptRunner._run_script_thread = run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--store", type=Path, help="a store folder (written there when it holds no store yet)")
    ap.add_argument("--window", action="append", help=f"start:end (repeatable); default {' and '.join(WINDOWS)}")
    ap.add_argument("--top", type=int, default=25, help="how many functions to list per change")
    args = ap.parse_args(argv)
    store = args.store or Path(tempfile.mkdtemp(prefix="frontera-date-profile-"))
    os.environ.update({"FRONTERA_DATA_DIR": str(store), "FRONTERA_TILES_URL": "none"})
    if not (store / "store.gpkg").exists():
        from benchmarks.draw_bench import towns_near_home
        from benchmarks.synth import clash_events
        from frontera.storage import geopackage

        geopackage.write_user_records({"clashes": clash_events(args.events, towns=towns_near_home())}, store)
    from streamlit.testing.v1 import AppTest

    marks: list = []
    profiles: list = []
    timed_steps(marks)
    profiled_runs(profiles)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["layers"] = "clashes,border"
    for label in ("all dates, first run", "all dates, again"):
        start = time.perf_counter()
        at.run()
        print(f"{label}: {time.perf_counter() - start:.2f} s", flush=True)
    for window in args.window or WINDOWS:
        days = tuple(dt.date.fromisoformat(day) for day in window.split(":"))
        marks.clear()
        profiles.append(cProfile.Profile())
        at.date_input(key="dates").set_value(days)
        start = time.perf_counter()
        at.run()
        print(f"\n--- dates {window}: the rerun took {time.perf_counter() - start:.3f} s", flush=True)
        for name, begin, end in marks:
            print(f"  {name:16s} {begin - start:6.3f} -> {end - start:6.3f} s", flush=True)
        pstats.Stats(profiles.pop()).sort_stats("cumulative").print_stats("frontera", args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
