"""The real map page (``streamlit run app.py``) with a large store: first frame with the events, beside the empty map.

    .venv/bin/python benchmarks/real_page_bench.py                 # 1,000,000 clashes
    .venv/bin/python benchmarks/real_page_bench.py --events 100000

Writes ``--events`` synthetic clashes (around the towns of the opening view, as in
``draw_bench.py``) to a fresh store (``FRONTERA_DATA_DIR``), starts the app on it, and
opens it in headless Chromium: ``?layers=border`` (the map without events: the floor) and
``?layers=clashes,border`` (every clash of the data's span). Each URL is opened twice, the
second visit timed (the first fills Streamlit's caches, as a person's second look would).
Times end at the frame that shows the drawing (two ``requestAnimationFrame`` callbacks
after the canvas reports ``data-drawn``; for the empty map, after the border is in the
map's frame). The server's peak memory is its ``VmHWM``. A date change is not measured here.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import browser  # noqa: E402
from benchmarks.draw_bench import towns_near_home  # noqa: E402
from benchmarks.synth import clash_events  # noqa: E402

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def start_app(data_dir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "FRONTERA_DATA_DIR": str(data_dir),
        "FRONTERA_TILES_URL": "none",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PYTHONPATH": str(ROOT / "src"),
    }
    log = open(data_dir / "streamlit.log", "wb")  # noqa: SIM115 - open for the server's life
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("streamlit")),
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the app did not start; see {data_dir / 'streamlit.log'}")


def empty_frame(context, url: str) -> float:
    """Seconds from navigation to the frame after the border is drawn in the map's frame."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        nav = browser.nav_start(page)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.frontera-border").first.wait_for(state="attached", timeout=300_000)
        inner = next(f for f in page.frames if f.url.endswith("index.html") or "st_folium" in f.url)
        t = inner.evaluate("""async () => {
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            return performance.timeOrigin + performance.now(); }""")
        return (t - nav) / 1000.0
    finally:
        page.close()


def events_frame(context, url: str) -> tuple[float, int, str]:
    """Seconds from navigation to the frame showing the events; what was drawn (count, canvas class)."""
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        t = browser.wait_drawn(page, minimum=1, timeout=300)
        last = next(d for d in browser.drawn_events(page) if d["t"] == t)
        return (t - browser.nav_start(page)) / 1000.0, last["n"], last["cls"]
    finally:
        page.close()


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    args = ap.parse_args(argv)
    from frontera import store

    data_dir = Path(tempfile.mkdtemp(prefix="frontera-real-page-"))
    t = time.perf_counter()
    store.write_user_records({"clashes": clash_events(args.events, towns=towns_near_home())}, data_dir)
    print(f"store of {args.events:,} clashes written in {time.perf_counter() - t:.1f} s", flush=True)
    proc, url = start_app(data_dir)
    try:
        with browser.chromium() as context:
            rows = {}
            for label, query, fn in (
                ("empty map (border only)", "?layers=border", empty_frame),
                ("clashes (all dates)", "?layers=clashes,border", events_frame),
            ):
                fn(context, f"{url}/{query}")  # fills the caches
                rows[label] = fn(context, f"{url}/{query}")
                print(label, rows[label], flush=True)
        empty = rows["empty map (border only)"]
        seconds, n, cls = rows["clashes (all dates)"]
        print()
        print(
            "| events | first frame, empty map | first frame with the events | over the empty map | drawn | "
            "server peak |"
        )
        print("|---|---|---|---|---|---|")
        print(
            f"| {args.events:,} | {empty:.2f} s | {seconds:.2f} s | +{seconds - empty:.2f} s | {n:,} ({cls}) | "
            f"{peak_mb(proc.pid):,.0f} MB |"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
