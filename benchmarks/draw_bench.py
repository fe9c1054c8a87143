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
- *zoom out*: ``map.setZoom(z - 1, {animate: false})`` from the opening zoom down to 7 -> that step's frame.

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
    import geopandas as gpd  # noqa: PLC0415

    from frontera.mapview import HOME_CENTER  # noqa: PLC0415
    from frontera.store import geodata_dir  # noqa: PLC0415

    towns = gpd.read_file(geodata_dir() / "towns.geojson")
    d = (towns.geometry.y - HOME_CENTER[0]) ** 2 + (towns.geometry.x - HOME_CENTER[1]) ** 2
    return towns.loc[d.sort_values().index[:n]].reset_index(drop=True)


def export_page(n: int) -> tuple[str, int]:
    """The standalone page of ``n`` clashes, as ``frontera export-map --layers clashes`` writes it; events sent."""
    from frontera.dates import DateWindow  # noqa: PLC0415
    from frontera.standalone import standalone_html  # noqa: PLC0415
    from frontera.store import load_situation  # noqa: PLC0415
    from frontera.view import View  # noqa: PLC0415

    events = clash_events(n, towns=towns_near_home())
    sit = load_situation(include_user=False)
    sit = dataclasses.replace(sit, records={**sit.records, "clashes": events})
    view = View(DateWindow(dt.date(2018, 1, 1), dt.date(2025, 12, 31)), ("clashes",))
    return standalone_html(sit, view), len(events)


def with_script(page: str, code: str) -> str:
    """The page with ``code`` in place of its inlined ``frontera/fastpoints.js``."""
    head = "<script>/* frontera/fastpoints.js */\n"
    start = page.index(head) + len(head)
    end = page.index("\n</script>", start)
    return page[:start] + code.replace("</script", "<\\/script") + page[end:]


def baseline_page(page: str) -> str:
    """The same page with the previous renderer's script in place of the current one."""
    old = subprocess.run(["git", "show", f"{BASELINE_COMMIT}:static/frontera/fastpoints.js"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
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


def _act(page, script: str) -> dict | None:
    """Run ``script`` (moves the map); the frame drawn after it, with ``ms`` from the call to that frame."""
    t0 = page.evaluate(f"() => {{ const t = performance.timeOrigin + performance.now(); {script}; return t; }}")
    f = _wait_frame(page, t0, STEP_TIMEOUT_S)
    if f is not None:
        f["ms"] = f["frame"] - t0
    return f


def interactions(context, path: Path, *, points: bool, zoom_to: int = 7, pans: int = 5) -> dict:
    """Pan (median of ``pans``) and each zoom step down to ``zoom_to``: ms from the call to the frame."""
    page = context.new_page()
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit")
        if _wait_frame(page, 0, STEP_TIMEOUT_S, minimum=1) is None:
            raise TimeoutError(f"{path.name}: nothing drawn")
        if points:
            _act(page, f"{LAYERS}.forEach(l => l.setDensity('points'))")
        first = _frames_after(page, 0, 1)
        out = {"in_view": first["n"], "pan_ms": [], "zoom": []}
        for k in range(pans):
            f = _act(page, f"{MAP}.panBy([{5 if k % 2 == 0 else -5}, 0], {{animate: false}})")
            out["pan_ms"].append(f["ms"] if f else None)
        zoom = page.evaluate(f"{MAP}.getZoom()")
        while zoom > zoom_to:
            zoom -= 1
            f = _act(page, f"{MAP}.setZoom({zoom}, {{animate: false}})")
            out["zoom"].append((zoom, f["ms"] if f else None, f["n"] if f else None, f["mode"] if f else ""))
            if f is None:  # the page is still busy: later steps would queue behind it
                break
        return out
    finally:
        page.close()


def measure(context, path: Path, *, points: bool) -> dict:
    firsts = [first_view(context, path) for _ in range(3)]
    best = min(firsts, key=lambda x: x[0])
    row = {"first_s": best[0], "first_n": best[1]["n"], "first_mode": best[1]["mode"]}
    row.update(interactions(context, path, points=points))
    return row


def _ms(v) -> str:
    return "timeout" if v is None else f"{v:,.0f} ms"


def table(results: list[dict]) -> str:
    out = [f"Frontera draw benchmark, {dt.date.today().isoformat()}, {platform.node()}, {os.cpu_count()} cores, "
           f"Python {platform.python_version()}, Chromium headless --disable-gpu, 1280x800",
           "",
           "| events | renderer | first view: in view (mode) | first view on screen | pan 5 px (median) | "
           "zoom out, each step (mode) |",
           "|---|---|---|---|---|---|"]
    for r in results:
        pans = [p for p in r["pan_ms"] if p is not None]
        pan = _ms(statistics.median(pans)) if pans else "timeout"
        steps = "; ".join(f"z{z}: {_ms(ms)}" + (f" ({mode})" if mode else "") for z, ms, _, mode in r["zoom"])
        out.append(f"| {r['n']:,} | {r['renderer']} | {r['first_n']:,} ({r['first_mode'] or 'paths'}) | "
                   f"{r['first_s']:.2f} s | {pan} | {steps} |")
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
                row = {"n": sent, "renderer": label, **measure(context, paths[which], points=points)}
                print(row, flush=True)
                if row["in_view"] * 3 < sent:
                    print(f"warning: the first view holds {row['in_view']:,} of {sent:,} events (< a third)")
                results.append(row)
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
