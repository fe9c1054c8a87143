"""A pan with every event a circle: the fast layer moves the last frame's pixels and draws only the strips the
pan exposed (static/frontera/fast-points.js, _panShift). The frame must be the one a whole redraw gives."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Point
from test_fast_renderer import LAYER, MAP, open_page, page_of, records, wait_mode

from frontera.layers.fast import FastEventLayer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

CENTRE, ZOOM = (15.42, -92.1), 11
#: Pixels of the canvas now, kept in the page; then how many bytes differ from them after a whole redraw.
GRAB = (
    "() => { const c = document.querySelector('canvas.frontera-fastpoints'); "
    "window.__grab = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; return c.width * c.height; }"
)
WHOLE_AND_COMPARE = f"""() => {{
  const l = {LAYER}; l._lastPoints = null; l._reset();
  const c = document.querySelector('canvas.frontera-fastpoints');
  const now = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, was = window.__grab;
  let bytes = 0, worst = 0, painted = 0;
  for (let k = 0; k < now.length; k++) {{
    const d = Math.abs(now[k] - was[k]);
    if (d) {{ bytes++; worst = Math.max(worst, d); }}
    if (k % 4 === 3 && now[k]) {{ painted++; }}
  }}
  return {{bytes, worst, painted, kind: l.lastDraw}};
}}"""


def crowd(seed: int = 5):
    """15,000 events: most scattered over and past the screen (one in 50 with a ring of 4 km), 300 places with
    rings of 1-3 km in the middle holding the rest, some with fatalities (larger circles), some unknown (hollow).
    The rings' tinted discs are drawn (their area is under three screens)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(12000):
        lon, lat = CENTRE[1] + rng.uniform(-0.6, 0.6), CENTRE[0] + rng.uniform(-0.45, 0.45)
        fat = [0, 0, 1, 4, None][k % 5]
        ring = 4.0 if k % 50 == 0 else 0.0  # 240 rings all over (54 px, past the layer's margin): some come and go
        rows.append({"id": f"S{k}", "fatalities": fat, "uncertainty_km": ring, "geometry": Point(lon, lat)})
    places = [(CENTRE[1] + rng.uniform(-0.1, 0.1), CENTRE[0] + rng.uniform(-0.06, 0.06)) for _ in range(300)]
    for k in range(3000):
        lon, lat = places[k % 300]
        rows.append(
            {
                "id": f"R{k}",
                "kind": "attack" if k % 3 else "armed clash",
                "fatalities": k % 7,
                "uncertainty_km": 1.0 + (k % 300) % 3,
                "geometry": Point(lon, lat),
            }
        )
    return records(rows)


def test_a_pan_draws_only_the_exposed_strips_and_the_same_pixels(no_network, tmp_path, screenshots):
    events = crowd()
    path = page_of(tmp_path, "pan", lambda m: FastEventLayer(events, density="points").add_to(m), CENTRE, ZOOM)
    page = open_page(no_network, path)
    assert wait_mode(page, "points") > 5000
    assert page.evaluate(f"{LAYER}._ringsHidden") == 0, "the rings are drawn (and must move with the pan)"
    assert page.evaluate(f"{LAYER}._lastPoints.rings.tint"), "and tinted inside"
    changed = 0
    for dx, dy in ((5, 0), (-7, 3), (0, -4), (30, 22), (-5, 0)):
        before = page.evaluate(f"{LAYER}._lastPoints.rings.list")
        page.evaluate(f"{MAP}.panBy([{dx}, {dy}], {{animate: false}})")
        assert page.evaluate(f"{LAYER}.lastDraw") == "strips", (dx, dy)
        changed += before != page.evaluate(f"{LAYER}._lastPoints.rings.list")
        page.evaluate(GRAB)
        got = page.evaluate(WHOLE_AND_COMPARE)
        assert got["kind"] == "whole" and got["painted"] > 100_000, got
        assert got["bytes"] == 0, (dx, dy, got)  # the same pixels as drawing it all
    assert changed >= 3, "rings came and went at the edges in most pans (their tiles are drawn again)"
    page.screenshot(path=str(screenshots / "fast_pan_points_after_pans.png"))  # drawn strip by strip
    page.evaluate(f"{MAP}.panBy([800, 0], {{animate: false}})")  # most of the screen is new: drawn whole
    assert page.evaluate(f"{LAYER}.lastDraw") == "whole"
    page.evaluate(f"{MAP}.setZoom({ZOOM - 1}, {{animate: false}})")
    assert page.evaluate(f"{LAYER}.lastDraw") == "whole"
    page.screenshot(path=str(screenshots / "fast_pan_points_zoomed_out.png"))
    assert page.errors == [] and no_network.external() == [], (page.errors, no_network.external())
