"""Play time on the map (issue 13): the clock in headless Chromium, offline, in the app, in the standalone
export and over 100,000 events on the canvas layer.

What the clock shows at a date is checked against the model's own rule (frontera.filters.in_window over
the clock's days), per layer, at two known dates; every test also counts requests to other hosts (none).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from frontera import assets
from frontera.filters import in_window
from frontera.i18n import format_date
from frontera.layers.clock import clock_group
from frontera.layers.fast import FastEventLayer
from frontera.model.dates import DateWindow
from frontera.standalone import standalone_html
from frontera.storage import geopackage as store
from frontera.storage.geopackage import CRS, normalize_records

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
CHART = ".vega-embed canvas, .vega-embed svg.marks"
WEEK = 7
#: Two known dates: the week of the July 2024 displacement, and one in early June (F4, C3).
DATES = ("2024-07-23", "2024-06-05")
#: What the clock's counts read in the map's document (the frame in the app, the page in an export).
COUNTS_JS = """() => {
  const clock = document.querySelector('.frontera-clock');
  const flows = new Set([...document.querySelectorAll('path.frontera-flow')]
    .map(p => [...p.classList].find(c => c.startsWith('frontera-flow-')).slice('frontera-flow-'.length)));
  return {day: clock.dataset.day, from: clock.dataset.from, to: clock.dataset.to, flows: [...flows].sort(),
    events: document.querySelectorAll('path.frontera-event').length,
    operations: document.querySelectorAll('path.frontera-operation, .frontera-operation-point').length};
}"""


def expected(situation, day: str, step: int = WEEK, since: str | None = None) -> dict:
    """What the clock at ``day`` must show, by the model's rule: a moving window of ``step`` days, or
    everything ``since`` the range's first day (cumulative)."""
    hi = dt.date.fromisoformat(day)
    window = DateWindow(dt.date.fromisoformat(since) if since else hi - dt.timedelta(days=step - 1), hi)

    def shown(layer: str) -> gpd.GeoDataFrame:
        recs = in_window(situation.records[layer], window)
        return recs[~(recs.geometry.isna() | recs.geometry.is_empty)]

    return {
        "day": day,
        "from": window.start.isoformat(),
        "to": day,
        "flows": sorted(shown("flows")["id"]),
        "events": len(shown("clashes")) + len(shown("incidents")),
        "operations": len(shown("operations")),
    }


def move_clock(doc, day: str) -> None:
    """Drag the clock's slider to ``day`` (as a person does: an input event on the range)."""
    number = (dt.date.fromisoformat(day) - dt.date(1970, 1, 1)).days
    doc.evaluate(
        """(n) => { const s = document.querySelector('.fr-clock-slider'); s.value = String(n);
                    s.dispatchEvent(new Event('input', {bubbles: true})); }""",
        number,
    )


def check_two_dates(doc, situation) -> list[dict]:
    """Step the clock to both known dates; what is drawn must follow the rule at each. Returns the counts."""
    whole = doc.evaluate(COUNTS_JS)
    assert whole["day"] == "" and whole["events"] > 0, whole  # off until used: the whole range as drawn
    seen = []
    for day in DATES:
        move_clock(doc, day)
        got = doc.evaluate(COUNTS_JS)
        assert got == expected(situation, day), (day, got)
        seen.append(got)
    assert seen[0] != seen[1], "the two dates show different records"
    doc.locator("button[title='Show the whole range']").click()
    assert doc.evaluate(COUNTS_JS) == whole, "back to the whole range"
    return seen


def check_play(doc) -> None:
    """Play advances the clock a step at a time (a week) from the range's first week; pause stops it."""
    doc.locator("button[title='Play']").click()
    clock = doc.locator(".frontera-clock")
    first = clock.get_attribute("data-day")
    deadline = time.monotonic() + 10
    while clock.get_attribute("data-day") == first and time.monotonic() < deadline:
        time.sleep(0.1)
    second = clock.get_attribute("data-day")
    doc.locator("button[title='Pause']").click()
    assert clock.get_attribute("data-playing") == "0"
    step = dt.date.fromisoformat(second) - dt.date.fromisoformat(first)
    assert step == dt.timedelta(days=WEEK), (first, second)
    time.sleep(1.2)
    assert clock.get_attribute("data-day") == second, "paused: the clock stays"


@pytest.fixture(scope="module")
def bundled():
    return store.load_situation(include_user=False)


def test_play_in_the_standalone_export(no_network, tmp_path, bundled, screenshots):
    from frontera.model.view import view_from_query

    view, _ = view_from_query({}, DateWindow(dt.date(2023, 10, 1), dt.date(2024, 8, 31)))
    path = tmp_path / "frontera-map.html"
    path.write_text(standalone_html(bundled, view), encoding="utf-8")
    page = no_network.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_selector(".frontera-clock")
    check_two_dates(page, bundled)
    page.select_option(".fr-clock-mode", "cumulative")  # everything from the range's first day
    page.select_option(".fr-clock-step", "1")
    for day in DATES:
        move_clock(page, day)
        assert page.evaluate(COUNTS_JS) == expected(bundled, day, since="2023-10-01"), day
    page.select_option(".fr-clock-mode", "window")  # a moving window of one day
    move_clock(page, "2024-07-31")
    assert page.evaluate(COUNTS_JS) == expected(bundled, "2024-07-31", step=1)
    page.select_option(".fr-clock-step", "7")
    move_clock(page, DATES[0])
    page.screenshot(path=str(screenshots / "play_standalone.png"))
    check_play(page)
    assert errors == [] and no_network.external() == [], (errors, no_network.external())


def open_app_with_clock(offline, app_url: str):
    """The app's map over the bundled span, its clock and flows drawn: the page, the map's frame and the
    page's errors (a list that fills as they come)."""
    page = offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url + "/?start=2023-10-01&end=2024-08-31")
    page.frame_locator(MAP_FRAME).locator(".frontera-clock").wait_for(timeout=60_000)
    page.frame_locator(MAP_FRAME).locator("path.frontera-flow").first.wait_for(state="attached", timeout=60_000)
    return page, page.locator(MAP_FRAME).element_handle().content_frame(), errors


def test_play_in_the_app(offline, app_url, bundled, screenshots):
    page, frame, errors = open_app_with_clock(offline, app_url)
    check_two_dates(frame, bundled)
    move_clock(frame, DATES[0])
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "play_app.png"))
    check_play(frame)
    assert "start=2023-10-01" in page.url, "playing never reruns the page or changes the view"
    assert errors == [] and offline.external() == [], (errors, offline.external())


def test_the_trend_beside_the_map_in_the_app(offline, app_url, screenshots):
    page = offline.context.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + "/?start=2024-06-01&end=2024-08-31")
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
    trend = page.locator(".st-key-frontera_trend")
    trend.locator(CHART).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    box, frame_box = trend.bounding_box(), page.locator(MAP_FRAME).bounding_box()
    assert box and frame_box and box["x"] >= frame_box["x"] + frame_box["width"] - 1, "beside the map"
    assert box["y"] < 720 and frame_box["y"] + 200 < 720, "both start on a laptop screen"
    page.screenshot(path=str(screenshots / "trend_app.png"))
    _drag_across_the_trend(page, trend)
    page.wait_for_url(lambda url: "start=2024-06-01&" not in url, timeout=30_000)
    start, end = re.search(r"start=([\d-]+)", page.url).group(1), re.search(r"end=([\d-]+)", page.url).group(1)
    assert (start, end) != ("2024-06-01", "2024-08-31") and start < end, page.url
    page.frame_locator(MAP_FRAME).locator("path.frontera-border").wait_for(state="attached", timeout=60_000)
    # the page shows the new range, its days written through Babel (issue 14): "Showing 24 May 2024 to 15 August 2024"
    shown = (
        f"Showing {format_date(dt.date.fromisoformat(start), 'en')} to {format_date(dt.date.fromisoformat(end), 'en')}"
    )
    page.get_by_text(shown).wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(screenshots / "trend_stretch_app.png"))
    assert offline.external() == [], offline.external()


def _drag_across_the_trend(page, trend) -> None:
    """Drag across the events row of the chart, over its last months (summer 2024)."""
    chart = trend.locator(CHART).first
    b = chart.bounding_box()
    y = b["y"] + 30
    page.mouse.move(b["x"] + b["width"] * 0.78, y)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] * 0.93, y, steps=8)
    page.mouse.up()


def many_events(n: int, seed: int = 13) -> gpd.GeoDataFrame:
    """``n`` events over 2024 near the border, a quarter of them spanning days and some still going on."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, n), unit="D")
    span = np.where(rng.random(n) < 0.25, rng.integers(1, 30, n), 0)
    end = pd.Series(start + pd.to_timedelta(span, unit="D"))
    end[rng.random(n) < 0.02] = pd.NaT  # ongoing
    frame = pd.DataFrame(
        {
            "id": [f"E{i}" for i in range(n)],
            "layer": "clashes",
            "kind": "armed clash",
            "title": "t",
            "date_start": start.strftime("%Y-%m-%d"),
            "date_end": end.dt.strftime("%Y-%m-%d"),
            "date_precision": "day",
            "geo_precision": "town",
            "source_ids": "s1",
            "fatalities": rng.integers(0, 5, n),
            "uncertainty_km": 0.0,
        }
    )
    points = [Point(x, y) for x, y in zip(rng.uniform(-92.4, -91.6, n), rng.uniform(15.1, 15.8, n))]
    return normalize_records(gpd.GeoDataFrame(frame, geometry=points, crs=CRS))


def test_play_over_100000_events_on_the_canvas(no_network, tmp_path: Path, screenshots):
    events = many_events(100_000)
    window = DateWindow(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    m = folium.Map(location=(15.45, -92.0), zoom_start=9, tiles=None)
    assets.configure_map(m, "inline")
    assets.add_script(m, "frontera/clock.js")
    assets.add_script(m, "frontera/clock.css")
    group = folium.FeatureGroup(name="clashes").add_to(m)
    FastEventLayer(events, name="clashes", density="points").add_to(group)
    clock_group(window).add_to(m)
    path = tmp_path / "many.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    page = no_network.context.new_page()
    page.goto(path.as_uri())
    canvas = "canvas.frontera-fastpoints"
    page.wait_for_selector(f"{canvas}[data-drawn='{len(events)}']", state="attached", timeout=60_000)
    timings = []
    for day in ("2024-03-10", "2024-09-22"):
        hi = dt.date.fromisoformat(day)
        want = int(in_window(events, DateWindow(hi - dt.timedelta(days=WEEK - 1), hi)).shape[0])
        started = time.monotonic()
        move_clock(page, day)
        page.wait_for_selector(f"{canvas}[data-drawn='{want}']", state="attached", timeout=10_000)
        timings.append(time.monotonic() - started)
        assert 0 < want < len(events)
    page.screenshot(path=str(screenshots / "play_100k.png"))
    draws = page.evaluate("() => window.__fronteraDraws.slice(-2).map(d => d.ms)")
    print(
        f"clock step over 100,000 events: {[f'{t * 1000:.0f}' for t in timings]} ms to the attribute, draw {draws} ms"
    )
    assert no_network.external() == []
