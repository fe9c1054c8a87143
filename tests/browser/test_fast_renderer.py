"""The fast event layer in headless Chromium, offline: what it draws, what its density cells count, its popups.

Standalone pages (``file://``) of small made-up selections: pixels where the events are
must have the colour the plain folium layer gives them, a density cell's count must equal
the events placed in it, the density view must come and go with the zoom, and a click
must open a popup in which hostile text stays text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect
from shapely.geometry import Point

from frontera import assets
from frontera.layers.events import add_events
from frontera.layers.fast import FastEventLayer
from frontera.layers.panes import MapUse
from frontera.storage.geopackage import CRS, normalize_records

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

HOSTILE = "<img src=x onerror=alert(1)>{{7*7}}"
MAP = "Object.values(window).find(v => v instanceof L.Map)"
LAYER = "Object.values(window).find(v => v instanceof L.FronteraFastPoints)"


def records(rows: list[dict]) -> gpd.GeoDataFrame:
    base = {
        "layer": "clashes",
        "date_precision": "day",
        "geo_precision": "town",
        "source_ids": "s1",
        "kind": "armed clash",
        "title": "t",
        "date_start": "2024-01-01",
        "uncertainty_km": 0.0,
    }
    frame = pd.DataFrame([{**base, **r} for r in rows])
    return normalize_records(gpd.GeoDataFrame(frame, geometry=frame.pop("geometry"), crs=CRS))


def page_of(tmp_path: Path, name: str, add, center, zoom: int) -> Path:
    """A standalone page (assets inlined, no tiles) holding what ``add(map)`` puts on it."""
    m = folium.Map(location=center, zoom_start=zoom, tiles=None, zoom_control=False)
    assets.configure_map(m, "inline")
    # The panes the layers are put in, and the map in use, as on every Frontera map (mapview.build_base_map):
    # without them the plain layer's circles, put in their pane, were never drawn.
    assets.add_script(m, "frontera/mapuse.js")
    m.add_child(MapUse())
    add(m)
    path = tmp_path / f"{name}.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path


def open_page(no_network, path: Path):
    page = no_network.context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.dialogs, page.errors = dialogs, errors
    return page


def wait_mode(page, mode: str) -> int:
    """Wait until the event canvas was drawn in ``mode``; its data-drawn."""
    sel = f"canvas.frontera-fastpoints[data-mode='{mode}']"
    page.wait_for_selector(sel, state="attached", timeout=20000)
    return int(page.get_attribute(sel, "data-drawn"))


def screen_point(page, lat: float, lon: float) -> tuple[float, float]:
    """Page coordinates of a place on the map."""
    p = page.evaluate(
        f"([a, b]) => {{ const p = {MAP}.latLngToContainerPoint([a, b]); return [p.x, p.y]; }}", [lat, lon]
    )
    box = page.locator(".leaflet-container").bounding_box()
    return box["x"] + p[0], box["y"] + p[1]


def pixels(page):
    from PIL import Image

    return Image.open(io.BytesIO(page.screenshot())).convert("RGB")


# Five events far apart, one per kind and size (zero, some, unknown fatalities).
SPOTS = [
    (-92.30, 15.40, "armed clash", 0),
    (-92.10, 15.55, "attack", 3),
    (-91.90, 15.40, "armed clash", None),
    (-92.20, 15.25, "road accident involving migrants", 9),
    (-91.95, 15.60, "attack", 1),
]


def test_fast_renderer_colours_the_same_pixels_as_the_plain_layer(no_network, tmp_path, screenshots):
    events = records(
        [
            {"id": f"P{k}", "kind": kind, "fatalities": f, "geometry": Point(x, y)}
            for k, (x, y, kind, f) in enumerate(SPOTS)
        ]
    )

    def plain(m):
        group = folium.FeatureGroup().add_to(m)
        assert add_events(group, events, "clashes", pd.DataFrame()) == len(events)

    centre, zoom = (15.42, -92.1), 10
    plain_page = open_page(no_network, page_of(tmp_path, "plain", plain, centre, zoom))
    plain_page.wait_for_selector("path.frontera-clash", state="attached")
    fast_page = open_page(
        no_network, page_of(tmp_path, "fast", FastEventLayer(events, name="clashes").add_to, centre, zoom)
    )
    assert wait_mode(fast_page, "points") == len(events)
    theirs, ours = pixels(plain_page), pixels(fast_page)
    fast_page.screenshot(path=str(screenshots / "fast-renderer-vs-plain.png"))
    background = theirs.getpixel((5, 5))
    assert ours.getpixel((5, 5)) == background
    for x, y, _, _ in SPOTS:
        px, py = screen_point(fast_page, y, x)
        for dx in (0, -2, 2):  # the centre and inside the circle on either side
            a, b = theirs.getpixel((round(px) + dx, round(py))), ours.getpixel((round(px) + dx, round(py)))
            assert a != background, (x, y)
            assert max(abs(p - q) for p, q in zip(a, b)) <= 16, (x, y, dx, a, b)
        # 30 px away from any event: nothing drawn in either
        assert ours.getpixel((round(px) + 30, round(py))) == background == theirs.getpixel((round(px) + 30, round(py)))
    assert fast_page.errors == [] and no_network.external() == []


def clusters() -> tuple[gpd.GeoDataFrame, list[dict]]:
    """Three tight clusters far apart (200, 120 and 60 events) with known fatalities."""
    spec = [
        {"lon": -92.40, "lat": 15.30, "n": 200, "fatal": lambda k: 1},
        {"lon": -91.90, "lat": 15.70, "n": 120, "fatal": lambda k: None if k < 10 else 2},
        {"lon": -91.60, "lat": 15.10, "n": 60, "fatal": lambda k: 0},
    ]
    rows, rng = [], np.random.default_rng(3)
    for c, s in enumerate(spec):
        for k in range(s["n"]):
            dx, dy = rng.uniform(-5e-4, 5e-4, 2)
            rows.append(
                {"id": f"C{c}-{k}", "fatalities": s["fatal"](k), "geometry": Point(s["lon"] + dx, s["lat"] + dy)}
            )
        fat = [s["fatal"](k) for k in range(s["n"])]
        s["fatalities"] = sum(f for f in fat if f is not None)
        s["unknown"] = sum(f is None for f in fat)
    return records(rows), spec


def test_density_cells_count_the_events_they_stand_for(no_network, tmp_path, screenshots):
    events, spec = clusters()
    page = open_page(
        no_network, page_of(tmp_path, "cells", FastEventLayer(events, name="clashes").add_to, (15.4, -92.0), 8)
    )
    drawn = wait_mode(page, "hexagons")
    cells = page.evaluate(f"{LAYER}.densityCells()")
    assert sorted(c["count"] for c in cells) == [60, 120, 200]
    assert drawn == sum(c["count"] for c in cells) == len(events)
    by_count = {c["count"]: c for c in cells}
    for s in spec:
        assert by_count[s["n"]]["fatalities"] == s["fatalities"]
        assert by_count[s["n"]]["unknown"] == s["unknown"]
    note = page.locator(".frontera-density-note").inner_text()
    assert "density" in note and "zoom in" in note.lower()
    total = sum(s["fatalities"] for s in spec)
    assert f"Fatalities in these cells: {total} (not reported for 10 events)" in note
    page.screenshot(path=str(screenshots / "fast-renderer-cells.png"))
    # A click on the middle cluster's cell: its count and fatalities, as text.
    page.mouse.click(*screen_point(page, spec[1]["lat"], spec[1]["lon"]))
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h4").inner_text(timeout=5000) == "120 events in this cell"
    assert re.search(r"Fatalities\s+220 \(not reported for 10\)", popup.inner_text())


def test_density_appears_zoomed_out_and_gives_way_to_points_zoomed_in(no_network, tmp_path, screenshots):
    # 400 events on a 20 x 20 grid, 0.01 degrees (about 1 km) apart.
    rows = [
        {"id": f"G{i}-{j}", "fatalities": (i + j) % 3, "geometry": Point(-92.1 + 0.01 * i, 15.4 + 0.01 * j)}
        for i in range(20)
        for j in range(20)
    ]
    page = open_page(
        no_network, page_of(tmp_path, "grid", FastEventLayer(records(rows), name="clashes").add_to, (15.5, -92.0), 7)
    )
    assert wait_mode(page, "hexagons") == 400
    assert "shown as density" in page.locator(".frontera-density-note").inner_text()
    page.evaluate(f"{MAP}.setView([15.495, -92.005], 13, {{animate: false}})")
    in_view = wait_mode(page, "points")
    assert 0 < in_view <= 400
    assert "one circle each" in page.locator(".frontera-density-note").inner_text()
    page.screenshot(path=str(screenshots / "fast-renderer-zoomed-in.png"))
    page.evaluate(f"{MAP}.setZoom(7, {{animate: false}})")
    assert wait_mode(page, "hexagons") == 400
    assert page.errors == []


def test_hover_and_click_on_a_drawn_event_open_its_popup_with_hostile_text_as_text(no_network, tmp_path):
    events = records(
        [
            {
                "id": "X1",
                "title": HOSTILE,
                "fatalities": 2,
                "geometry": Point(-92.0, 15.5),
                "actors": "{% raw %}{# x",
                "source_ids": "s1",
            }
        ]
    )
    sources = pd.DataFrame(
        [
            {
                "source_id": "s1",
                "publisher": "{{7*7}} <b>bold</b>",
                "title": "{% if %}",
                "published": "2024-01-01",
                "url": "javascript:alert(1)",
            }
        ]
    )
    layer = FastEventLayer(events, sources, name="clashes")
    page = open_page(no_network, page_of(tmp_path, "hostile", layer.add_to, (15.5, -92.0), 10))
    assert wait_mode(page, "points") == 1
    at = screen_point(page, 15.5, -92.0)
    page.mouse.move(at[0] + 40, at[1])
    assert page.evaluate("document.querySelector('.leaflet-container').style.cursor") == ""
    page.mouse.move(*at)  # hover over the drawn circle: the map says it can be clicked
    assert page.evaluate("document.querySelector('.leaflet-container').style.cursor") == "pointer"
    page.mouse.click(*at)
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h4").inner_text(timeout=5000) == HOSTILE
    text = popup.inner_text()
    assert "{% raw %}{# x" in text and "{{7*7}} <b>bold</b>" in text and "49" not in text
    assert popup.locator("img, b, a, script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []


def test_points_hexagons_and_heat_from_the_note(no_network, tmp_path, screenshots):
    from benchmarks.synth import clash_events

    events = clash_events(5000, seed=11)
    page = open_page(
        no_network, page_of(tmp_path, "modes", FastEventLayer(events, name="clashes").add_to, (15.7, -92.3), 8)
    )
    page.wait_for_selector("canvas.frontera-fastpoints[data-mode]", state="attached", timeout=20000)
    for mode in ("points", "hexagons", "heat"):
        page.locator(f".frontera-density-note button[data-density='{mode}']").click()
        assert wait_mode(page, mode) > 0
        assert page.locator(".frontera-density-note button.fr-on").inner_text() == mode
        page.screenshot(path=str(screenshots / f"fast-renderer-{mode}.png"))
    drawn_heat = page.evaluate(f"{LAYER}._inView")
    page.locator(".frontera-density-note button[data-density='points']").click()
    assert wait_mode(page, "points") >= drawn_heat  # every event in view is a circle again
    assert page.errors == []


def test_the_app_draws_the_density_chosen_in_the_url(offline, app_url, screenshots):
    """Through streamlit-folium: ``?density=hexagons`` puts even the bundled clashes on the canvas as density."""
    page = offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{app_url}/?layers=clashes,border&density=hexagons")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    canvas = frame.locator("canvas.frontera-fastpoints[data-mode='hexagons']")
    canvas.wait_for(state="attached", timeout=60000)
    assert int(canvas.get_attribute("data-drawn")) > 0
    assert "shown as density" in frame.locator(".frontera-density-note").inner_text()
    frame.locator(".frontera-density-note button[data-density='points']").click()
    frame.locator("canvas.frontera-fastpoints[data-mode='points']").wait_for(state="attached", timeout=10000)
    page.screenshot(path=str(screenshots / "fast-renderer-app.png"))
    assert errors == [] and offline.external() == []


# ------------------------------------------------------------ one schema, both sides


def python_columns(payload: dict) -> dict:
    """The payload decoded in Python by the schema's column list: ``{name: (type, values)}``."""
    import base64
    import zlib

    header = payload["header"]
    buf = base64.b64decode(payload["data"])
    buf = zlib.decompress(buf) if header["codec"] == "deflate" else buf
    types = {"i32": "<i4", "u32": "<u4", "u16": "<u2", "u8": "u1"}
    out = {}
    for name, c in header["columns"].items():
        if c["t"] == "str":
            out[name] = ("str", buf[c["o"] : c["o"] + c["b"]].decode("utf-8").split("\x1f"))
        else:
            out[name] = (c["t"], np.frombuffer(buf, dtype=types[c["t"]], count=c["n"], offset=c["o"]).tolist())
    return out


DECODE_IN_PAGE = """async ([header, data]) => {
  const U = L.FronteraFast.util, cols = await U.decode(header, data), out = {};
  const kinds = {Int32Array: "i32", Uint32Array: "u32", Uint16Array: "u16", Uint8Array: "u8"};
  for (const [name, col] of Object.entries(cols)) {
    out[name] = col.table ? ["str", col.table] : [kinds[col.constructor.name], Array.from(col)];
  }
  return {problem: U.schemaProblem(header, header.payload), schema: L.FronteraFast.schema, columns: out};
}"""


def test_the_page_reads_every_column_python_packs_with_the_same_type_and_values(no_network, tmp_path):
    from frontera.aggregate import aggregate_points
    from frontera.layers.fast import encode_cells, encode_events
    from frontera.layers.fast.schema import declaration

    events, _spec = clusters()
    events.loc[events.index[0], "title"] = HOSTILE + " \u00e9\u4e2d"
    agg = aggregate_points(np.array([-92.1, -92.0, -91.5]), np.array([15.6, 15.5, 15.2]), np.array([1, -1, 4]), 5)
    from frontera.layers.fast.elements import add_scripts

    page = open_page(no_network, page_of(tmp_path, "decode", add_scripts, (15.4, -92.0), 8))
    page.wait_for_function("window.L && L.FronteraFast && L.FronteraFast.schema && L.FronteraFast.util")
    for payload in (encode_events(events), encode_cells(agg)):
        seen = page.evaluate(DECODE_IN_PAGE, [payload["header"], payload["data"]])
        assert seen["problem"] == ""
        assert seen["schema"] == declaration()
        assert {k: tuple(v) for k, v in seen["columns"].items()} == python_columns(payload)
    assert page.errors == []


def test_a_payload_this_page_does_not_know_is_refused_with_a_console_error(no_network, tmp_path):
    events, _spec = clusters()
    newer, renamed = FastEventLayer(events, name="clashes"), FastEventLayer(events, name="incidents")
    newer.payload["header"]["v"] = 99
    cols = renamed.payload["header"]["columns"]
    renamed.payload["header"]["columns"] = {("deaths" if k == "fatalities" else k): v for k, v in cols.items()}

    def add(m):
        newer.add_to(m)
        renamed.add_to(m)

    path = page_of(tmp_path, "refused", add, (15.4, -92.0), 8)
    page = no_network.context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_selector("canvas.frontera-fastpoints[data-error]", state="attached", timeout=20000)
    page.wait_for_timeout(500)
    refused = page.evaluate(
        "[...document.querySelectorAll('canvas.frontera-fastpoints')].map(c => "
        "[c.dataset.layer, c.dataset.error || '', c.hasAttribute('data-drawn')])"
    )
    assert [(name, drawn) for name, _e, drawn in refused] == [("clashes", False), ("incidents", False)]
    assert "payload version 99 is not the one this page reads (2)" in refused[0][1]
    assert "differ from the schema's" in refused[1][1] and "deaths" in refused[1][1]
    assert any("Frontera: clashes not drawn: event payload version 99" in line for line in console), console
    assert any("Frontera: incidents not drawn: payload columns" in line for line in console), console
    assert errors == []


def test_a_canvas_event_and_a_place_at_one_spot_are_both_in_the_also_here_picker(no_network, tmp_path):
    """Where a drawn event and a place share a spot, a click opens the event (events rank first) and lists
    the place under "Also here"; picking it opens the place, whose list names the event, and back."""
    from frontera.layers.common import SafePopup, SafeTooltip

    spot = (15.5, -92.0)
    events = records([{"id": "X1", "title": HOSTILE, "fatalities": 2, "geometry": Point(spot[1], spot[0])}])

    def add(m):
        place = folium.CircleMarker(spot, radius=6, class_name="frontera-place", fill=True)
        place.add_child(SafePopup("<div class='fr-popup'><h4>Motozintla</h4></div>"))
        place.add_child(SafeTooltip("Motozintla"))
        place.add_to(m)
        FastEventLayer(events, name="clashes").add_to(m)

    page = open_page(no_network, page_of(tmp_path, "also-here", add, spot, 11))
    assert wait_mode(page, "points") == 1
    page.mouse.click(*screen_point(page, *spot))
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator(".fr-popup h4").first.inner_text(timeout=5000) == HOSTILE
    picks = popup.locator("button.fr-also-pick")
    assert picks.count() == 1 and picks.first.inner_text() == "Place · Motozintla"
    picks.first.click()
    expect(popup.locator("h4").first).to_have_text("Motozintla", timeout=5000)
    back = popup.locator("button.fr-also-pick")
    expect(back).to_have_count(1)
    assert back.count() == 1 and back.first.inner_text() == f"Clash · X1: {HOSTILE}"
    back.first.click()
    expect(popup.locator(".fr-popup h4").first).to_have_text(HOSTILE, timeout=5000)
    assert popup.locator("img, script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []


def test_the_notes_buttons_report_the_chosen_density_as_a_click_the_page_reads(no_network, tmp_path):
    """What streamlit-folium hands to the page: each pick a click whose tooltip names the mode, new every time."""
    from frontera.layers.fast.elements import density_pick

    events, _spec = clusters()
    page = open_page(
        no_network, page_of(tmp_path, "pick", FastEventLayer(events, name="clashes").add_to, (15.4, -92.0), 8)
    )
    wait_mode(page, "hexagons")
    page.evaluate(
        f"window.__picks = []; {LAYER}.on('click', e => window.__picks.push(e.sourceTarget.getTooltip().getContent()))"
    )
    for mode in ("points", "heat", "points"):
        page.locator(f".frontera-density-note button[data-density='{mode}']").click()
        wait_mode(page, mode)
        page.wait_for_timeout(5)  # two picks of one mode in the same millisecond would look alike
    picks = page.evaluate("window.__picks")
    assert [density_pick(t) for t in picks] == ["points", "heat", "points"]
    assert len(set(picks)) == 3
    assert page.errors == []
