"""Headless Chromium for the benchmark and the browser tests: when is the map drawn?

Every frame (the page and streamlit-folium's iframe) gets an observer that notes the
absolute time (``performance.timeOrigin + performance.now()``) of the frame after a canvas
of ours gets ``data-drawn`` (two ``requestAnimationFrame`` callbacks later: the drawing is
on screen, not just issued), or at which the n-th Leaflet path / marker appears for the
naive baselines. Times are reported in seconds after the top page's navigation started.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Records, per frame, when our canvases were drawn and how many Leaflet objects exist.
OBSERVER = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__fr = {drawn: [], paths: 0, markers: 0, nav: performance.timeOrigin};
  const seen = (el) => {
    if (el && el.getAttribute && el.hasAttribute('data-drawn')) {
      const n = +el.getAttribute('data-drawn'), cls = el.className;
      requestAnimationFrame(() => requestAnimationFrame(() => window.__fr.drawn.push({t: now(), n, cls})));
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') { seen(r.target); }
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
})();
"""


@contextmanager
def chromium():
    """A Playwright browser on Debian's Chromium with a fresh profile (never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="frontera-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=ARGS,
                viewport={"width": 1280, "height": 800},
            )
            context.add_init_script(OBSERVER)
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def drawn_events(page) -> list[dict]:
    """Every ``data-drawn`` change seen in any frame: ``{t, n, cls}`` with ``t`` (epoch ms) the frame that showed it."""
    out = []
    for frame in page.frames:
        try:
            # The observer's records, and the layers' own (fast-canvas.js notes the frame, f, of each
            # draw: streamlit-folium rewrites its frame's document, which loses the observer).
            out.extend(
                frame.evaluate(
                    "(window.__fr ? window.__fr.drawn : []).concat((window.__fronteraDraws || [])"
                    ".filter(d => d.f).map(d => ({t: d.f, n: d.n, cls: d.cls})))"
                )
            )
        except Exception:  # noqa: BLE001 - a frame that went away while we asked
            continue
    return sorted(out, key=lambda d: d["t"])


def nav_start(page) -> float:
    return page.evaluate("performance.timeOrigin")


def wait_drawn(page, *, minimum: int = 1, after: float = 0.0, timeout: float = 60.0, cls: str = "") -> float:
    """Epoch ms of the frame showing a canvas of ours that reported at least ``minimum`` drawn (after ``after``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for d in drawn_events(page):
            if d["t"] > after and d["n"] >= minimum and cls in d["cls"]:
                return d["t"]
        page.wait_for_timeout(50)
    raise TimeoutError(f"no canvas reported data-drawn >= {minimum} within {timeout} s")


def open_file(context, path: Path, *, minimum: int = 1, timeout: float = 60.0) -> float:
    """Open a standalone HTML file; seconds from navigation start to drawn."""
    page = context.new_page()
    try:
        page.goto(Path(path).resolve().as_uri(), wait_until="commit", timeout=timeout * 1000)
        t = wait_drawn(page, minimum=minimum, timeout=timeout)
        return (t - nav_start(page)) / 1000.0
    finally:
        page.close()


# The naive baseline draws Leaflet markers: "drawn" is when the last one is in the DOM
# and the page finished its scripts (the load event fires after inline scripts ran).
def open_naive(context, path: Path, *, count: int, timeout: float = 600.0) -> float:
    page = context.new_page()
    try:
        page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
        page.wait_for_function(
            "n => document.querySelectorAll('.leaflet-marker-icon, path.leaflet-interactive').length >= n",
            arg=count,
            timeout=timeout * 1000,
            polling=100,
        )
        t = page.evaluate("performance.timeOrigin + performance.now()")
        return (t - nav_start(page)) / 1000.0
    finally:
        page.close()
