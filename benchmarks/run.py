"""Frontera at scale: build time, bytes, time to drawn in Chromium, memory; beside the naive baseline.

    .venv/bin/python benchmarks/run.py                     # 1k, 10k, 100k, 1M
    .venv/bin/python benchmarks/run.py --sizes 1000,10000  # a quick run
    .venv/bin/python benchmarks/run.py --store-only        # only the store: 100k-row import, 1M-event load

Data are synthetic (``benchmarks/synth.py``): ACLED-like clashes clustered around
the region's towns. The naive baseline is a folium.Marker with its popup per event,
measured in the same run up to ``--naive-max`` events (100,000 markers take minutes).

A second table measures the user's store (``benchmarks/store_bench.py``): importing
``--import-rows`` ACLED rows through the importer, and loading a store of
``--store-events`` events cold (a fresh process) and cached; ``--no-store`` skips it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402

from benchmarks import browser, store_bench  # noqa: E402
from benchmarks.synth import clash_events  # noqa: E402
from frontera import assets, popups  # noqa: E402
from frontera.filters import in_window  # noqa: E402
from frontera.layers.common import SafePopup  # noqa: E402
from frontera.layers.fast import many_events_layer  # noqa: E402
from frontera.model.dates import DateWindow  # noqa: E402

WINDOW = DateWindow(dt.date(2018, 1, 1), dt.date(2025, 12, 31))
CACHE = ROOT / "benchmarks" / ".cache"


def base_map() -> folium.Map:
    return folium.Map(location=(15.9, -92.2), zoom_start=8, tiles=None)


def fast_html(events, mode: str) -> tuple[str, float, int]:
    """(HTML, seconds from filter to HTML, bytes of the events layer's payload)."""
    t = time.perf_counter()
    shown = in_window(events, WINDOW)
    m = base_map()
    assets.configure_map(m, mode)
    layer = many_events_layer(shown, name="clashes")
    layer.add_to(m)
    html = m.get_root().render()
    seconds = time.perf_counter() - t
    return html, seconds, len(layer.payload["data"]) + len(str(layer.payload["header"]))


def naive_html(events) -> tuple[str, float]:
    """One folium.Marker per event with its popup: the usual way."""
    t = time.perf_counter()
    shown = in_window(events, WINDOW)
    m = base_map()
    assets.configure_map(m, "inline")
    for rec in shown.to_dict("records"):
        marker = folium.Marker((rec["geometry"].y, rec["geometry"].x))
        # folium.Popup needs jQuery, which Frontera does not ship; SafePopup binds the same HTML.
        marker.add_child(SafePopup(popups.record_popup(rec, _NO_SOURCES, popups.event_rows(rec))))
        marker.add_to(m)
    html = m.get_root().render()
    return html, time.perf_counter() - t


def _empty_sources():
    import pandas as pd

    return pd.DataFrame(columns=["source_id", "publisher", "title", "published", "url"])


_NO_SOURCES = _empty_sources()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def server_peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class App:
    """``streamlit run benchmarks/app_bench.py`` on a free port, reading one events file."""

    def __init__(self, events_file: Path):
        import socket

        # Streamlit serves the static/ folder beside the page it runs: point it at the project's.
        link = ROOT / "benchmarks" / "static"
        if not link.exists():
            link.symlink_to(ROOT / "static", target_is_directory=True)

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        log_path = tempfile.mktemp(prefix="frontera-bench-app-", suffix=".log")
        self.log = open(log_path, "wb")  # noqa: SIM115 - open for the server's life, closed in close()
        env = {**os.environ, "FRONTERA_BENCH_EVENTS": str(events_file), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("streamlit")),
                "run",
                "benchmarks/app_bench.py",
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.fileWatcherType",
                "none",
                "--server.enableStaticServing",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"benchmark app did not start; see {self.log.name}")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def app_drawn(context, url: str, *, warm: bool = True) -> float:
    """Seconds from navigation to our canvas being drawn in the st_folium frame (second visit when ``warm``)."""
    page = context.new_page()
    try:
        if warm:  # first visit fills Streamlit's cache and the browser's; time the second
            page.goto(url, wait_until="commit")
            browser.wait_drawn(page, minimum=0, timeout=180)
        page.goto(url, wait_until="commit")
        t = browser.wait_drawn(page, minimum=0, timeout=180)
        return (t - browser.nav_start(page)) / 1000.0
    finally:
        page.close()


def app_date_change(context, url: str) -> tuple[float, int, int]:
    """Seconds from clicking another date range to the new events drawn; events before and after."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        browser.wait_drawn(page, minimum=1, timeout=180)
        before = browser.drawn_events(page)[-1]["n"]
        clicked = page.evaluate("performance.timeOrigin + performance.now()")
        page.get_by_text("2018-2021").click()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            after = [d for d in browser.drawn_events(page) if d["t"] > clicked and d["n"] != before]
            if after:
                return (after[0]["t"] - clicked) / 1000.0, before, after[0]["n"]
            page.wait_for_timeout(50)
        raise TimeoutError("the map was not redrawn after the date change")
    finally:
        page.close()


def ratio(naive: float | None, fast: float) -> str:
    if naive is None or fast <= 0:
        return ""
    return f" ({naive / fast:,.0f}x)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--naive-max", type=int, default=10_000, help="largest size measured with one marker per event")
    ap.add_argument("--no-app", action="store_true", help="skip the Streamlit measurements")
    ap.add_argument("--import-rows", type=int, default=100_000, help="ACLED rows imported into an empty store")
    ap.add_argument("--store-events", type=int, default=1_000_000, help="events in the store loaded cold and cached")
    ap.add_argument("--no-facts", action="store_true", help="skip timing analysis.with_spatial_facts on the store")
    store_group = ap.add_mutually_exclusive_group()
    store_group.add_argument("--no-store", action="store_true", help="skip the store measurements")
    store_group.add_argument("--store-only", action="store_true", help="only the store measurements")
    args = ap.parse_args(argv)
    if not args.store_only:
        render_bench(args)
    if not args.no_store:
        result = store_bench.store_bench(
            args.import_rows,
            args.store_events,
            facts=not args.no_facts,
            app=not args.no_app,
            log=lambda line: print(line, flush=True),
        )
        print()
        print(
            f"Frontera store benchmark, {dt.date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}"
        )
        print()
        print(store_bench.table(result))
    return 0


def render_bench(args: argparse.Namespace) -> None:
    """Filter → HTML → drawn, in Chromium and through Streamlit, per size of ``--sizes``: the first table."""
    sizes = [int(s) for s in args.sizes.split(",")]
    CACHE.mkdir(exist_ok=True)
    rows = []
    with browser.chromium() as context:
        for n in sizes:
            gc.collect()
            t = time.perf_counter()
            events = clash_events(n)
            gen = time.perf_counter() - t
            row = {"n": n, "gen_s": gen}
            html, row["build_s"], row["layer_bytes"] = fast_html(events, "static")
            row["kind"] = "hexagons" if "L.fronteraHexagons" in html else "canvas"
            standalone, _, _ = fast_html(events, "inline")
            path = CACHE / f"fast-{n}.html"
            path.write_text(standalone, encoding="utf-8")
            row["html_bytes"] = len(standalone.encode())
            row["drawn_s"] = min(browser.open_file(context, path, minimum=0) for _ in range(3))
            row["rss_mb"] = rss_mb()
            if n <= args.naive_max:
                nhtml, row["naive_build_s"] = naive_html(events)
                npath = CACHE / f"naive-{n}.html"
                npath.write_text(nhtml, encoding="utf-8")
                row["naive_bytes"] = len(nhtml.encode())
                row["naive_drawn_s"] = browser.open_naive(context, npath, count=n)
            if not args.no_app:
                events_file = CACHE / f"events-{n}.parquet"
                events.to_parquet(events_file)
                app = App(events_file)
                try:
                    row["app_empty_s"] = app_drawn(context, f"{app.url}/?empty=1")
                    row["app_s"] = app_drawn(context, f"{app.url}/")
                    row["app_change_s"], _, row["app_change_to"] = app_date_change(context, f"{app.url}/")
                    row["app_change_rebuild_s"], _, _ = app_date_change(context, f"{app.url}/?fg=0")
                    row["server_peak_mb"] = server_peak_mb(app.proc.pid)
                finally:
                    app.close()
            rows.append(row)
            print(format_row(row), flush=True)
            del events
    print()
    print(table(rows))


def format_row(r: dict) -> str:
    return " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items())


def table(rows: list[dict]) -> str:
    def s(v, unit="s"):
        return "n/a" if v is None else (f"{v:.2f} {unit}" if unit == "s" else f"{v / 1e6:.2f} MB")

    out = [
        f"Frontera benchmark, {dt.date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        "| events | layer | Python filter→HTML | layer payload | standalone HTML | standalone drawn | "
        "app drawn (empty map) | app: date change → drawn | server peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        nb, nbytes, nd = r.get("naive_build_s"), r.get("naive_bytes"), r.get("naive_drawn_s")
        app = (
            f"{r['app_s']:.2f} s ({r['app_empty_s']:.2f} s; +{r['app_s'] - r['app_empty_s']:.2f} s)"
            if "app_s" in r
            else "n/a"
        )
        change = (
            f"{r['app_change_s']:.2f} s (whole map rebuilt: {r['app_change_rebuild_s']:.2f} s)"
            if "app_change_s" in r
            else "n/a"
        )
        out.append(
            f"| {r['n']:,} | {r['kind']} | {s(r['build_s'])}{ratio(nb, r['build_s'])} | {s(r['layer_bytes'], 'B')} | "
            f"{s(r['html_bytes'], 'B')}{ratio(nbytes, r['html_bytes'])} | {s(r['drawn_s'])}{ratio(nd, r['drawn_s'])} | "
            f"{app} | {change} | {r.get('server_peak_mb', float('nan')):.0f} MB |"
        )
    out += [
        "",
        "Naive baseline (folium.Marker with popup per event), same run:",
        "",
        "| events | Python build | HTML | drawn |",
        "|---|---|---|---|",
    ]
    for r in rows:
        if "naive_build_s" in r:
            out.append(
                f"| {r['n']:,} | {s(r['naive_build_s'])} | {s(r['naive_bytes'], 'B')} | {s(r['naive_drawn_s'])} |"
            )
        else:
            out.append(f"| {r['n']:,} | not run (minutes) | | |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
