"""How long a person waits for the events on screen: the standalone export, first view, pan, zoom out.

    .venv/bin/python benchmarks/draw_bench.py                    # 100,000 and 10,000 clashes
    .venv/bin/python benchmarks/draw_bench.py --sizes 10000 --no-baseline

The data (``benchmarks/synth.py``) are clashes around the eight towns nearest the map's
opening view, so that the first view holds at least a third of them (checked). The page
is what ``frontera export-map --layers clashes`` writes (:func:`frontera.standalone.standalone_html`).

Every time is measured inside the page and ends when the frame that holds the drawing was
presented: an observer notes each change of a canvas's ``data-drawn`` and waits for two
``requestAnimationFrame`` callbacks after it. Measured, per page:

- *first view*: navigation start -> the events on screen (best of three loads);
- *pan*: ``map.panBy([5, 0], {animate: false})`` (the move ends at once) -> next frame (median of five);
- *zoom out*: ``map.setZoom(z - 1, {animate: false})`` from the opening zoom down to 7 -> that step's frame,
  median of three descents (one for the previous renderer)
  (the layers redraw synchronously on ``moveend``: the second ``requestAnimationFrame`` after the call
  is the frame holding the drawing).

The same page without events (the basemap's own redraw on zoom) is measured first: the floor.

Each size runs twice per renderer: as shipped (``auto``: points or density as the screen requires) and
with points forced (``setDensity("points")``: every event a circle at every zoom). The previous renderer
(one canvas path of arcs, ``static/frontera/fastpoints.js`` at :data:`BASELINE_COMMIT`, read with
``git show``) is measured in the same run on the same page, its script swapped in.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import browser  # noqa: E402
from benchmarks.synth import clash_events  # noqa: E402

#: The last commit with the one-path renderer (issue 12's "before").
BASELINE_COMMIT = "8b38318"
CACHE = ROOT / "benchmarks" / ".cache"
STEP_TIMEOUT_S = 150.0

# Times in the page: each data-drawn change, and the frame after it (two requestAnimationFrame callbacks).
PRESENTED = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__frFrames = [];
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target, t = now(), n = +el.getAttribute('data-drawn'), mode = el.getAttribute('data-mode') || '';
      requestAnimationFrame(() => requestAnimationFrame(() => window.__frFrames.push({drawn: t, frame: now(), n, mode})));
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
})();
"""

MAP = "Object.values(window).find(v => v instanceof L.Map)"
LAYERS = "Object.values(window).filter(v => v instanceof L.FronteraFastPoints)"


def towns_near_home(n: int = 8):
    """The ``n`` towns nearest the map's opening view (the synthetic events cluster on them)."""
    import geopandas as gpd

    from frontera.mapview import HOME_CENTER
    from frontera.storage.geopackage import geodata_dir

    towns = gpd.read_file(geodata_dir() / "towns.geojson")
    d = (towns.geometry.y - HOME_CENTER[0]) ** 2 + (towns.geometry.x - HOME_CENTER[1]) ** 2
    return towns.loc[d.sort_values().index[:n]].reset_index(drop=True)


def export_page(n: int, empty: bool = False) -> tuple[str, int]:
    """The standalone page of ``n`` clashes, as ``frontera export-map --layers clashes`` writes it; events sent."""
    from frontera.model.dates import DateWindow
    from frontera.model.view import View
    from frontera.standalone import standalone_html
    from frontera.storage.geopackage import load_situation

    events = clash_events(n, towns=towns_near_home())
    if empty:  # the same map without events: the floor under every figure
        events = events.iloc[0:0]
    sit = load_situation(include_user=False)
    sit = dataclasses.replace(sit, records={**sit.records, "clashes": events})
    view = View(DateWindow(dt.date(2018, 1, 1), dt.date(2025, 12, 31)), ("clashes",))
    return standalone_html(sit, view), len(events)


def with_script(page: str, code: str) -> str:
    """The page with ``code`` in place of its inlined fast renderer (``frontera/fast-*.js``, now several files)."""
    from frontera.layers.fast.elements import SCRIPT_FILES

    for k, (_name, path) in enumerate(SCRIPT_FILES):
        head = f"<script>/* {path} */\n"
        start = page.index(head) + len(head)
        end = page.index("\n</script>", start)
        page = page[:start] + (code.replace("</script", "<\\/script") if k == 0 else "") + page[end:]
    return page


def baseline_page(page: str) -> str:
    """The same page with the previous renderer's script in place of the current one."""
    old = subprocess.run(
        ["git", "show", f"{BASELINE_COMMIT}:static/frontera/fastpoints.js"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return with_script(page, old)


def _frames_after(page, t0: float, minimum: int = 0) -> dict | None:
    for f in page.evaluate("window.__frFrames"):
        if f["drawn"] >= t0 and f["n"] >= minimum:
            return f
    return None


def _wait_frame(page, t0: float, timeout: float, minimum: int = 0) -> dict | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        f = _frames_after(page, t0, minimum)
        if f:
            return f
        page.wait_for_timeout(20)
    return None


def first_view(context, path: Path) -> tuple[float, dict]:
    """Seconds from navigation start to the first frame holding the events; that frame's record."""
    page = context.new_page()
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit")
        f = _wait_frame(page, 0, STEP_TIMEOUT_S, minimum=1)
        if f is None:
            raise TimeoutError(f"{path.name}: nothing drawn in {STEP_TIMEOUT_S:.0f} s")
        return (f["frame"] - page.evaluate("performance.timeOrigin")) / 1000.0, f
    finally:
        page.close()


def _act(page, script: str) -> float | None:
    """Run ``script`` (a move that ends at once) and wait for the frame after it: ms from the call to that frame.

    The layers redraw synchronously on ``moveend``, so the second ``requestAnimationFrame`` after the call
    is the frame that holds the new drawing. None when it takes longer than :data:`STEP_TIMEOUT_S`.
    """
    try:
        return page.evaluate(
            f"""async () => {{
                const t0 = performance.now();
                {script};
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                return performance.now() - t0;
            }}"""
        )
    except Exception:  # noqa: BLE001  (the page hung past the timeout)
        return None


def _drawn_n(page) -> tuple[int, str]:
    got = page.evaluate(
        "[...document.querySelectorAll('canvas.frontera-fastpoints')].map("
        "c => [+c.getAttribute('data-drawn'), c.getAttribute('data-mode') || ''])"
    )
    return (got[0][0], got[0][1]) if got else (0, "")


def interactions(
    context, path: Path, *, points: bool, empty: bool = False, zoom_to: int = 7, pans: int = 5, zoom_runs: int = 3
) -> dict:
    """Pan (median of ``pans``) and each zoom step down to ``zoom_to`` (median of ``zoom_runs`` descents):
    ms from the call to the frame."""
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_S * 1000)
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        if not empty and _wait_frame(page, 0, STEP_TIMEOUT_S, minimum=1) is None:
            raise TimeoutError(f"{path.name}: nothing drawn")
        if points:
            _act(page, f"{LAYERS}.forEach(l => l.setDensity('points'))")
        out = {"in_view": _drawn_n(page)[0], "pan_ms": [], "zoom": []}
        for k in range(pans):
            out["pan_ms"].append(_act(page, f"{MAP}.panBy([{5 if k % 2 == 0 else -5}, 0], {{animate: false}})"))
        home = page.evaluate(
            f"(() => {{ const m = {MAP}; return [m.getCenter().lat, m.getCenter().lng, m.getZoom()]; }})()"
        )
        runs = []
        for _ in range(zoom_runs):
            _act(page, f"{MAP}.setView([{home[0]}, {home[1]}], {home[2]}, {{animate: false}})")
            runs.append([])
            for zoom in range(home[2] - 1, zoom_to - 1, -1):
                ms = _act(page, f"{MAP}.setZoom({zoom}, {{animate: false}})")
                n, mode = _drawn_n(page) if ms is not None else (None, "")
                runs[-1].append((zoom, ms, n, mode))
                if ms is None:  # the page is still busy: later steps would queue behind it
                    break
        # Per step, the median over the runs (None if any timed out).
        for steps in zip(*runs):
            times = [s[1] for s in steps]
            ms = None if None in times else statistics.median(times)
            out["zoom"].append((steps[0][0], ms, steps[-1][2], steps[-1][3]))
        return out
    finally:
        page.close()


def first_empty(context, path: Path) -> float:
    """Seconds from navigation start to the first frame after the load event (a map without events)."""
    page = context.new_page()
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        return page.evaluate("""async () => {
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            return performance.now() / 1000; }""")
    finally:
        page.close()


def measure(context, path: Path, *, points: bool, empty: bool = False, zoom_runs: int = 3) -> dict:
    if empty:
        row = {"first_s": min(first_empty(context, path) for _ in range(3)), "first_n": 0, "first_mode": "empty"}
    else:
        firsts = [first_view(context, path) for _ in range(3)]
        best = min(firsts, key=lambda x: x[0])
        row = {"first_s": best[0], "first_n": best[1]["n"], "first_mode": best[1]["mode"]}
    row.update(interactions(context, path, points=points, empty=empty, zoom_runs=zoom_runs))
    return row


def _ms(v) -> str:
    return "timeout" if v is None else f"{v:,.0f} ms"


def table(results: list[dict]) -> str:
    out = [
        f"Frontera draw benchmark, {dt.date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Chromium headless --disable-gpu, 1280x800",
        "",
        "| events | renderer | first view: in view (mode) | first view on screen | pan 5 px (median) | "
        "zoom out, each step (mode) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        pans = [p for p in r["pan_ms"] if p is not None]
        pan = _ms(statistics.median(pans)) if pans else "timeout"
        steps = "; ".join(f"z{z}: {_ms(ms)}" + (f" ({mode})" if mode else "") for z, ms, _, mode in r["zoom"])
        out.append(
            f"| {r['n']:,} | {r['renderer']} | {r['first_n']:,} ({r['first_mode'] or 'paths'}) | "
            f"{r['first_s']:.2f} s | {pan} | {steps} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,10000")
    ap.add_argument("--no-baseline", action="store_true", help="skip the previous renderer")
    args = ap.parse_args(argv)
    CACHE.mkdir(exist_ok=True)
    results = []
    with browser.chromium() as context:
        context.add_init_script(PRESENTED)
        empty_path = CACHE / "draw-empty.html"
        empty_path.write_text(export_page(1000, empty=True)[0], encoding="utf-8")
        row = {"n": 0, "renderer": "empty map (no events)", **measure(context, empty_path, points=False, empty=True)}
        print(row, flush=True)
        results.append(row)
        for n in (int(s) for s in args.sizes.split(",")):
            page, sent = export_page(n)
            paths = {"new": CACHE / f"draw-{n}.html"}
            paths["new"].write_text(page, encoding="utf-8")
            if not args.no_baseline:
                paths["old"] = CACHE / f"draw-{n}-baseline.html"
                paths["old"].write_text(baseline_page(page), encoding="utf-8")
            runs = [("new, auto", "new", False), ("new, points forced", "new", True)]
            if not args.no_baseline:
                runs.append((f"previous ({BASELINE_COMMIT}, one path)", "old", False))
            for label, which, points in runs:
                # The previous renderer freezes for tens of seconds per zoom step: one descent.
                row = {
                    "n": sent,
                    "renderer": label,
                    **measure(context, paths[which], points=points, zoom_runs=1 if which == "old" else 3),
                }
                print(row, flush=True)
                if which == "new" and row["in_view"] * 3 < sent:
                    print(f"warning: the first view holds {row['in_view']:,} of {sent:,} events (< a third)")
                results.append(row)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
