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
map's frame). The server's peak memory is its ``VmHWM``.

Then a date change as a person makes it: with the events on screen, each window of
``--window`` is typed into the sidebar's date field (its segments, as
``tests/browser/test_offline.py``'s ``set_dates`` does) and Enter pressed (the app turns
Enter into applying the dates). The time runs from the Enter key's ``keydown`` (in the
page) to the frame that shows the new drawing: two ``requestAnimationFrame`` callbacks after
a canvas of ours that was not on the map before the key press reports ``data-drawn``. Also
noted, from the map's frame: when the new layer was created (the server's rerun and the
transfer end there), its decode and prepare, and its draw. The server's peak memory is read
again after the date changes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from babel.dates import format_date

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import browser  # noqa: E402
from benchmarks.draw_bench import towns_near_home  # noqa: E402
from benchmarks.streamlit_server import free_port, start_streamlit, stop, wait_healthy  # noqa: E402
from benchmarks.synth import clash_events  # noqa: E402

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# One year of the synthetic span (2018-2025, benchmarks/synth.py) each: about 1/8 of the events.
WINDOWS = ("2023-01-01:2023-12-31", "2021-01-01:2021-12-31")

# In the top page: when Enter went down (capture on window, before the app's own listener); when
# the caption first names the new window (the rerun got that far and its output reached the page);
# when the Clashes figure changed (the rerun filtered the events); when Streamlit's "running"
# status went away after it (the rerun ended, as the page saw it).
PRESS_CLOCK = """(caption) => {
  const now = () => performance.timeOrigin + performance.now();
  const clashes = () => {
    const m = [...document.querySelectorAll('[data-testid="stMetric"]')].find((e) => /Clashes/.test(e.textContent));
    return m ? m.textContent : '';
  };
  const s = window.__frServer = {enter: null, caption: null, metric: null, running: null, idle: null, before: clashes(),
                                 busyAtEnter: null};
  if (window.__frEnterHooked) { window.__frWant = caption; return; }
  window.__frEnterHooked = true;
  window.__frWant = caption;
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || window.__frServer.enter !== null) return;
    window.__frServer.enter = now();
    window.__frServer.busyAtEnter = !!document.querySelector('[data-testid="stStatusWidget"]');
  }, true);
  new MutationObserver(() => {
    const s = window.__frServer;
    if (s.enter === null) return;
    const t = now();
    const cap = document.querySelector('[data-testid="stCaptionContainer"]');
    if (s.caption === null && cap && cap.textContent.includes(window.__frWant)) s.caption = t;
    if (s.metric === null && clashes() !== s.before) s.metric = t;
    const running = !!document.querySelector('[data-testid="stStatusWidget"]');
    if (running && s.running === null) s.running = t;
    if (!running && s.running !== null && s.idle === null) s.idle = t;
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""

# In the map's frame, before the key press: mark the canvases on the map now, note when a new
# events layer is created, and when a canvas not marked reports data-drawn (+ two frames).
MARK_MAP = """() => {
  if (!window.L || !L.FronteraFastPoints || !document.querySelector('canvas[data-drawn]')) return false;
  const now = () => performance.timeOrigin + performance.now();
  document.querySelectorAll('canvas').forEach((c) => { c.__frOld = true; });
  window.__frNew = [];
  window.__frLayers = [];
  if (window.__frMarked) return true;
  window.__frMarked = true;
  for (const cls of [L.FronteraFastPoints, L.FronteraHexagons]) {
    const init = cls.prototype.initialize;
    cls.prototype.initialize = function (...args) {
      window.__frLayers.push({t: now(), layer: this});
      return init.apply(this, args);
    };
  }
  new MutationObserver((records) => {
    for (const r of records) {
      const c = r.target;
      if (c.tagName !== 'CANVAS' || c.__frOld) continue;
      const e = {t: now(), n: +c.getAttribute('data-drawn'), cls: c.className, mode: c.getAttribute('data-mode')};
      requestAnimationFrame(() => requestAnimationFrame(() => { e.f = now(); window.__frNew.push(e); }));
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
  return true;
}"""

NEW_DRAWS = """() => window.__frMarked ? {
  marked: true, drawn: window.__frNew,
  layers: window.__frLayers.map((l) => ({t: l.t, load: l.layer.loadTimes || null})),
  draws: (window.__fronteraDraws || []).slice(-5)
} : {marked: false, drawn: (window.__fronteraDraws || []).filter((d) => d.f).map(
  (d) => ({t: d.t, f: d.f, n: d.n, cls: d.cls, mode: d.mode})), layers: [], draws: []}"""


def start_app(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port, log = free_port(), data_dir / "streamlit.log"
    env = {
        **os.environ,
        "FRONTERA_DATA_DIR": str(data_dir),
        "FRONTERA_TILES_URL": "none",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "PYTHONPATH": str(ROOT / "src"),
    }
    proc = start_streamlit("app.py", port, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log, timeout=120)
    except RuntimeError:
        stop(proc)
        raise
    return proc, url


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


def type_dates(page, start: str, end: str) -> None:
    """Type a range into the sidebar's date segments (as tests/browser/test_offline.py's ``set_dates``)."""
    field = page.locator(".st-key-dates")
    for which, day in (("end", end), ("start", start)):
        for kind, text in zip(("year", "month", "day"), day.split("-"), strict=True):
            field.locator(f'[data-range-field="{which}"] [role="spinbutton"][data-type="{kind}"]').focus()
            page.keyboard.type(text, delay=20)


def mark_map(page) -> None:
    for _ in range(600):
        if any(_quiet(f, MARK_MAP) for f in page.frames):
            return
        page.wait_for_timeout(100)
    raise TimeoutError("no map frame with a drawn events canvas to mark")


def _quiet(frame, script):
    try:
        return frame.evaluate(script)
    except Exception:  # noqa: BLE001 - a frame that went away while we asked
        return None


def new_drawing(page, pressed: float, timeout: float = 300.0) -> dict:
    """The first drawing by a canvas that was not on the map at the key press: its frame time and what it drew."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            got = _quiet(frame, NEW_DRAWS)
            if not got:
                continue
            drawn = [d for d in got["drawn"] if d["t"] > pressed and "frontera-" in d["cls"]]
            if drawn:
                return {**min(drawn, key=lambda d: d["f"]), "layers": got["layers"], "marked": got["marked"]}
        page.wait_for_timeout(50)
    raise TimeoutError(f"no new events drawing within {timeout:.0f} s of the key press")


def said_date(iso: str) -> str:
    """``2023-01-01`` as the English page writes it in its caption: ``1 January 2023``."""
    return format_date(date.fromisoformat(iso), "d MMMM y", locale="en")


def date_change(page, window: str) -> dict:
    """Seconds from Enter to the frame showing the events of ``window`` (``start:end``), and what was drawn."""
    start, end = window.split(":")
    caption = f"Showing {said_date(start)} to {said_date(end)}"
    page.evaluate(PRESS_CLOCK, caption)
    mark_map(page)
    type_dates(page, start, end)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    pressed = page.evaluate("window.__frServer.enter")
    if pressed is None:
        raise RuntimeError("the Enter key press was not seen in the page")
    got = new_drawing(page, pressed)
    page.get_by_text(caption).first.wait_for(timeout=60_000)
    out = {
        "window": window,
        "seconds": (got["f"] - pressed) / 1000.0,
        "n": got["n"],
        "cls": got["cls"],
        "mode": got.get("mode", ""),
        "js_draw_end": (got["t"] - pressed) / 1000.0,
    }
    page.wait_for_timeout(500)
    server = page.evaluate("window.__frServer")
    for key in ("caption", "metric", "running", "idle"):
        out[key] = None if server[key] is None else (server[key] - pressed) / 1000.0
    out["map_frame_kept"] = got["marked"]
    out["running_at_enter"] = server["busyAtEnter"]
    made = [la for la in got["layers"] if la["t"] > pressed]
    if made:
        out["layer_created"] = (made[-1]["t"] - pressed) / 1000.0
        out["load_ms"] = made[-1]["load"]
    return out


def wait_idle(page) -> float:
    """Wait until Streamlit shows no script running (follow-up reruns), so that a change is timed on its own."""
    t0 = time.monotonic()
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000, polling=100
    )
    return time.monotonic() - t0


def date_changes(context, url: str, windows: tuple[str, ...]) -> list[dict]:
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        browser.wait_drawn(page, minimum=1, timeout=300)
        rows = []
        for window in windows:
            print(f"app idle {wait_idle(page):.1f} s after the last drawing", flush=True)
            rows.append(date_change(page, window))
            print("date change", rows[-1], flush=True)
        page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "real_page_date_change.png"))
        return rows
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
    ap.add_argument(
        "--window",
        action="append",
        help=f"a date window start:end to change to (repeatable); default {' and '.join(WINDOWS)}",
    )
    args = ap.parse_args(argv)
    from frontera.storage import geopackage as store

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
            peak_before = peak_mb(proc.pid)
            changes = date_changes(context, f"{url}/?layers=clashes,border", tuple(args.window or WINDOWS))
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
            f"{peak_before:,.0f} MB |"
        )
        print()
        print(
            "| date change to | Enter to the frame with the new drawing | new layer created | decode + prepare | "
            "drawn |"
        )
        print("|---|---|---|---|---|")
        for c in changes:
            load = c.get("load_ms") or {}
            print(
                f"| {c['window'].replace(':', ' to ')} | {c['seconds']:.2f} s | "
                f"{c.get('layer_created', float('nan')):.2f} s | "
                f"{load.get('unpack', float('nan')):.0f} + {load.get('prepare', float('nan')):.0f} ms | "
                f"{c['n']:,} ({c['cls']}, {c['mode']}) |"
            )
        secs = sorted(c["seconds"] for c in changes)
        mid = len(secs) // 2
        median = secs[mid] if len(secs) % 2 else (secs[mid - 1] + secs[mid]) / 2
        print(
            f"\nmedian date change: {median:.2f} s; server peak after the date changes: "
            f"{peak_mb(proc.pid):,.0f} MB; streamlit log: {data_dir / 'streamlit.log'}"
        )
    finally:
        stop(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
