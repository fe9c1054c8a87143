"""The real app in headless Chromium with every other host blocked: the map draws, filters and exports offline."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_run import frontera

ROOT = Path(__file__).resolve().parents[2]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

#: Elements of each layer inside the map's frame (class names given by the layer modules).
SELECTORS = {
    "flows": "path.frontera-flow",
    "clashes": "path.frontera-clash",
    "incidents": "path.frontera-incident",
    "operations": "path.frontera-operation",
    "border": "path.frontera-border",
    "places": "path.frontera-place",
}
#: A window with one clash (La Concordia, 2024-06-28) and no flow, incident or operation.
NARROW = ("2024-06-15", "2024-07-10")
DRAW_TIMEOUT_MS = 60_000


def open_app(offline, url: str):
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    started = time.monotonic()
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-container").wait_for(timeout=DRAW_TIMEOUT_MS)
    frame.locator(SELECTORS["border"]).first.wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    page.draw_seconds = time.monotonic() - started  # type: ignore[attr-defined]
    page.page_errors = errors  # type: ignore[attr-defined]
    return page, frame


def counts(frame) -> dict[str, int]:
    return {layer: frame.locator(sel).count() for layer, sel in SELECTORS.items()}


def wait_count(frame, layer: str, predicate, timeout: float = 30.0) -> int:
    """Wait until the layer's element count satisfies ``predicate`` (the frame redraws after a rerun)."""
    deadline = time.monotonic() + timeout
    n = -1
    while time.monotonic() < deadline:
        try:
            n = frame.locator(SELECTORS[layer]).count()
        except Exception:  # the frame is being replaced  # noqa: BLE001
            n = -1
        if n >= 0 and predicate(n):
            return n
        time.sleep(0.25)
    raise AssertionError(f"{layer}: {SELECTORS[layer]} count stayed {n} for {timeout:.0f} s")


def type_dates(page, start: str, end: str) -> None:
    """Type a range into the sidebar's date control (react-aria segments) and press Enter, as a person would."""
    field = page.locator(".st-key-dates")
    for which, day in (("end", end), ("start", start)):
        year, month, dom = day.split("-")
        for kind, text in (("year", year), ("month", month), ("day", dom)):
            segment = field.locator(f'[data-range-field="{which}"] [role="spinbutton"][data-type="{kind}"]')
            segment.focus()
            page.keyboard.type(text, delay=20)
    page.keyboard.press("Enter")


def set_dates(page, start: str, end: str) -> None:
    """:func:`type_dates`, then Escape (closes the calendar if it opened)."""
    type_dates(page, start, end)
    page.keyboard.press("Escape")


def test_default_view_draws_every_layer_with_no_outside_request(offline, app_url, screenshots):
    page, frame = open_app(offline, app_url)
    wait_count(frame, "flows", lambda n: n > 0)
    drawn = counts(frame)
    assert drawn["flows"] >= 4, drawn  # F1–F4
    assert drawn["clashes"] >= 3, drawn
    assert drawn["incidents"] >= 1, drawn
    assert drawn["operations"] >= 1, drawn
    assert drawn["border"] == 1, drawn
    assert frame.locator(".frontera-admin1").count() >= 9, "states and departments of the offline basemap"
    assert frame.locator(".frontera-bm-label-town").count() > 10, "town labels at the opening zoom"
    credit = frame.locator(".leaflet-control-attribution").inner_text()
    assert "GeoNames" in credit and "OpenStreetMap" in credit
    assert frame.locator(".leaflet-tile").count() == 0, "no background tiles by default"
    component = next(f for f in page.frames if "st_folium" in f.url)
    image_path = component.evaluate("() => L.Icon.Default.imagePath")
    assert image_path.endswith("/app/static/vendor/leaflet/images/"), image_path  # static/frontera/icon-path.js
    assert component.evaluate("""async (u) => (await fetch(u + 'marker-icon.png')).ok""", image_path)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box and box["height"] > 300, f"map frame collapsed: {box}"
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshots / "default_view.png"))
    assert offline.external() == [], f"requests left the machine: {offline.external()}"
    assert offline.blocked == []
    assert page.page_errors == []
    print(f"default view drawn in {page.draw_seconds:.1f} s; layers {drawn}; requests {len(offline.seen)}")


def test_map_draws_under_a_base_url_path(offline_base_path, app_url_with_base_path):
    offline = offline_base_path
    _page, frame = open_app(offline, app_url_with_base_path + "/")
    assert wait_count(frame, "flows", lambda n: n > 0) >= 4
    assert frame.locator(".frontera-bm-label-town").count() > 0, "labels.js loaded through the base path"
    assert "/frontera/app/static/vendor/leaflet/leaflet.js" in " ".join(offline.seen)
    assert offline.external() == [], offline.external()


def test_unticking_a_layer_removes_its_elements(offline, app_url):
    page, frame = open_app(offline, app_url)
    before = wait_count(frame, "clashes", lambda n: n > 0)
    page.locator(".st-key-layer_clashes label").click()
    wait_count(frame, "clashes", lambda n: n == 0)
    assert "clashes" not in page.url.split("layers=", 1)[1], page.url
    assert wait_count(frame, "flows", lambda n: n > 0) > 0, "other layers stay"
    page.locator(".st-key-layer_clashes label").click()
    assert wait_count(frame, "clashes", lambda n: n == before) == before
    page.locator(".st-key-layer_border label").click()
    wait_count(frame, "border", lambda n: n == 0)
    assert offline.external() == [], offline.external()


def test_narrowing_the_dates_removes_the_flows(offline, app_url, screenshots):
    page, frame = open_app(offline, app_url)
    wait_count(frame, "flows", lambda n: n > 0)
    set_dates(page, *NARROW)
    wait_count(frame, "flows", lambda n: n == 0)
    assert f"start={NARROW[0]}" in page.url and f"end={NARROW[1]}" in page.url, page.url
    assert wait_count(frame, "clashes", lambda n: n == 1) == 1  # La Concordia, 2024-06-28
    assert counts(frame)["incidents"] == 0
    assert counts(frame)["border"] == 1
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshots / "filtered_view.png"))
    assert offline.external() == [], offline.external()
    assert page.page_errors == []


def test_shared_url_opens_the_same_view(offline, app_url):
    page, frame = open_app(offline, f"{app_url}/?start={NARROW[0]}&end={NARROW[1]}&layers=clashes,border")
    assert wait_count(frame, "clashes", lambda n: n == 1) == 1
    drawn = counts(frame)
    assert drawn["flows"] == drawn["operations"] == drawn["places"] == drawn["incidents"] == 0, drawn
    assert drawn["border"] == 1
    assert page.locator(".st-key-layer_flows input").is_checked() is False
    assert page.locator(".st-key-layer_clashes input").is_checked() is True
    dates = [i.input_value() for i in page.locator(".st-key-dates input[type=date]").all()]
    assert dates == list(NARROW)
    assert offline.external() == [], offline.external()


def town_min_zoom() -> dict[str, int]:
    """GeoNames town -> zoom its label appears at (the situation's places are labelled from zoom 7)."""
    towns = json.loads((ROOT / "geodata" / "towns.geojson").read_text(encoding="utf-8"))["features"]
    places = json.loads((ROOT / "geodata" / "places.geojson").read_text(encoding="utf-8"))["features"]
    out: dict[str, int] = {f["properties"]["name"]: 7 for f in places}
    for f in towns:
        name, zoom = f["properties"]["name"], int(f["properties"]["min_zoom"])
        out[name] = min(zoom, out.get(name, zoom))  # a name shared by several towns: the earliest
    return out


def label_zoom(frame) -> int:
    """The zoom level the basemap labels were last placed for."""
    return int(frame.locator(".frontera-bm-labels").get_attribute("data-zoom"))


def zoom_to(page, frame, target: int) -> None:
    """Click the zoom buttons, one level at a time, until the labels are placed for ``target``."""
    for _ in range(12):
        now = label_zoom(frame)
        if now == target:
            return
        frame.locator("a.leaflet-control-zoom-in" if target > now else "a.leaflet-control-zoom-out").click()
        for _ in range(40):
            page.wait_for_timeout(100)
            if label_zoom(frame) != now:
                break
    raise AssertionError(f"could not zoom to {target}; labels are at zoom {label_zoom(frame)}")


def test_town_labels_appear_as_you_zoom_in_largest_first(offline, app_url):
    page, frame = open_app(offline, app_url)
    min_zoom = town_min_zoom()
    frame.locator(".frontera-bm-labels[data-zoom]").wait_for(state="attached")
    assert frame.locator(".frontera-bm-label-town").count() > 0, "town labels at the opening zoom"
    zoom_to(page, frame, 8)
    names_out = set(frame.locator(".frontera-bm-label-town").all_inner_texts())
    assert names_out, "the biggest towns keep their labels at zoom 8"
    late = {n: min_zoom[n] for n in names_out if n in min_zoom and min_zoom[n] > 8}
    assert not late, f"labels shown before their zoom: {late}"
    zoom_to(page, frame, 11)
    names_in = set(frame.locator(".frontera-bm-label-town").all_inner_texts())
    assert any(min_zoom.get(n, 0) >= 10 for n in names_in), f"no small town label at zoom 11: {names_in}"
    assert offline.external() == [], offline.external()


def label_center(frame) -> tuple[float, float]:
    lat, lon = frame.locator(".frontera-bm-labels").get_attribute("data-center").split(",")
    return float(lat), float(lon)


def test_gazetteer_lists_both_amatenangos_and_centres_the_map_on_the_one_picked(offline, app_url):
    page, frame = open_app(offline, app_url)
    frame.locator(".frontera-bm-labels[data-center]").wait_for(state="attached")
    box = page.locator(".st-key-place_query input")
    box.fill("Amatenango")
    box.press("Enter")
    choices = page.locator(".st-key-place_pick label")
    choices.first.wait_for(timeout=20_000)
    texts = choices.all_inner_texts()
    assert any("Amatenango de la Frontera — Chiapas" in t for t in texts), texts
    assert any("Amatenango del Valle — Chiapas" in t for t in texts), texts
    page.locator(".st-key-place_pick label", has_text="Amatenango del Valle").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        frame = page.frame_locator(MAP_FRAME)
        try:
            lat, lon = label_center(frame)
        except Exception:  # the frame is being redrawn  # noqa: BLE001
            lat, lon = 0.0, 0.0
        if abs(lat - 16.52722) < 0.01 and abs(lon - -92.43472) < 0.01:
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError(f"map centre {(lat, lon)} is not Amatenango del Valle (16.52722, -92.43472)")
    assert offline.external() == [], offline.external()


def test_exported_standalone_map_draws_from_disk_with_no_network(no_network, tmp_path, screenshots):
    out = tmp_path / "usb" / "frontera-map.html"
    layers = "flows,clashes,operations,border,places"
    frontera(
        "export-map", "--start", "2024-06-01", "--end", "2024-08-31", "--layers", layers, "--out", str(out), check=True
    )
    page = no_network.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(out.as_uri())
    page.locator(".leaflet-container").wait_for(timeout=DRAW_TIMEOUT_MS)
    page.locator(SELECTORS["border"]).first.wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    drawn = {layer: page.locator(sel).count() for layer, sel in SELECTORS.items()}
    assert drawn["flows"] >= 4 and drawn["clashes"] >= 2 and drawn["operations"] >= 1, drawn
    assert drawn["places"] >= 1 and drawn["incidents"] == 0, drawn
    assert page.locator(".frontera-bm-label-town").count() > 0
    page.screenshot(path=str(screenshots / "standalone_export.png"))
    assert errors == []
    assert [u for u in no_network.seen if not u.startswith(("file:", "data:"))] == [], no_network.seen
    assert no_network.blocked == []


def test_changing_layers_and_dates_keeps_where_the_map_is(offline, app_url):
    """The base map is not rebuilt by the sidebar: zoomed out, the map stays zoomed out."""
    page, frame = open_app(offline, app_url)
    frame.locator(".frontera-bm-labels[data-zoom]").wait_for(state="attached")
    zoom_to(page, frame, 9)
    page.locator(".st-key-layer_clashes label").click()
    wait_count(frame, "clashes", lambda n: n == 0)
    set_dates(page, *NARROW)
    wait_count(frame, "flows", lambda n: n == 0)
    page.wait_for_timeout(1000)
    assert label_zoom(frame) == 9, "the map jumped back to its opening zoom"
    assert offline.external() == [], offline.external()


def test_a_hostile_shared_url_shows_its_values_as_text_and_loads_nothing(offline, app_url):
    """A link's values are quoted in the warning: as literal text, never as markdown that fetches an image."""
    page, _frame = open_app(offline, app_url + "/?layers=border,flows,![x](http://tracker.example/t.png)")
    warning = page.locator('[data-testid="stAlert"]').first
    warning.wait_for(timeout=DRAW_TIMEOUT_MS)
    assert "![x](http://tracker.example/t.png)" in warning.inner_text()
    assert page.locator('[data-testid="stAlert"] img').count() == 0
    page.wait_for_timeout(1000)
    assert offline.external() == [] and offline.blocked == [], offline.blocked


def test_clicking_a_feature_shows_its_details_below_the_map(offline, app_url):
    page, frame = open_app(offline, app_url)
    wait_count(frame, "operations", lambda n: n > 0)
    # The page is taller than the window here: a click must not scroll it away from under the mouse.
    frame.locator(".frontera-operation-badge span", has_text="O1 LAND + AIR").click()
    frame.locator(".leaflet-popup-content").wait_for(timeout=10_000)
    page.get_by_text("Details: O1").wait_for(timeout=30_000)
    body = page.locator('[data-testid="stHtml"]').last.inner_text()
    assert "Illustrative extent" in body and "agreed" in body
    assert offline.external() == [], offline.external()
