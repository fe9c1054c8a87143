"""The map as an analyst uses it, in headless Chromium: every record reachable at its own position,
popups that fit the map, attribution links that leave the map alone, a screen that fits.

Positions come from the map itself (Leaflet's ``latLngToContainerPoint`` inside the map's
frame); clicks are real mouse clicks on the page at that pixel.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cli_run import frontera

ROOT = Path(__file__).resolve().parents[2]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DRAW_TIMEOUT_MS = 60_000

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
EVENTS = ("C1", "C2", "C3", "I1")
FLOWS = ("F1", "F2", "F3", "F4")

#: In the map's frame: the layer a record is drawn with (its circle, or its first flow line).
FIND = """
(id) => {
  const map = window.fronteraMap; let hit = null;
  map.eachLayer((l) => {
    if (hit || !l.getTooltip || !l.getTooltip() || !l.getPopup || !l.getPopup()) return;
    const tip = l.getTooltip().getContent();
    if (typeof tip !== 'string' || !tip.startsWith(id + ':')) return;
    const point = l instanceof L.Marker && /frontera-operation-point/.test(l.options.icon.options.className || '');
    if (point || l instanceof L.CircleMarker || (l instanceof L.Polyline && !(l instanceof L.Polygon))) hit = l;
  });
  return hit;
}
"""
#: Centre the map on the record at ``zoom`` and return the record's pixel in the map.
AIM = f"""
([id, zoom]) => {{
  const find = {FIND};
  const map = window.fronteraMap, layer = find(id);
  if (!layer) return null;
  map.closePopup();
  const at = () => layer.getLatLng ? layer.getLatLng() : layer.getCenter();
  map.setView(at(), zoom, {{animate: false}});
  const p = map.latLngToContainerPoint(at());
  return {{x: p.x, y: p.y, zoom: map.getZoom()}};
}}
"""


def open_map(offline, url: str, viewport: dict):
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.frontera-flow").first.wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    frame.locator(".frontera-legend").wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    page.page_errors = errors  # type: ignore[attr-defined]
    comp = map_frame(page)
    # A short log of clicks and popups, quoted when a popup does not open.
    comp.evaluate("""() => { window.__log = [];
      window.fronteraMap.on('popupopen popupclose', (e) => window.__log.push(e.type));
      document.addEventListener('click', (e) => window.__log.push('click on ' + e.target.tagName + '.' +
        (e.target.getAttribute('class') || '')), true); }""")
    return page, frame, comp


def map_frame(page):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for f in page.frames:
            if "st_folium" in f.url and f.evaluate("() => !!window.fronteraMap"):
                return f
        page.wait_for_timeout(200)
    raise AssertionError("no map frame with window.fronteraMap (static/frontera/mapuse.js not started)")


def click_record(page, component, record_id: str, zoom: int) -> dict:
    """Centre the record at ``zoom``, click its pixel with the mouse, return where it was clicked."""
    aim = component.evaluate(AIM, [record_id, zoom])
    assert aim is not None, f"{record_id} is not drawn on the map"
    page.wait_for_timeout(250)  # the closed popup's fade-out
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + aim["x"], box["y"] + aim["y"])
    return aim


def popup_text(frame, timeout: float = 10.0) -> str:
    popup = frame.locator(".leaflet-popup-content")
    popup.first.wait_for(timeout=timeout * 1000)
    return popup.first.inner_text()


def popup_id(frame, component=None) -> str:
    """The record id the open popup is about (its meta line: ``clashes · C1``)."""
    # The last popup: one just closed fades out for 200 ms before it leaves the page.
    meta = frame.locator(".leaflet-popup:not([style*='opacity: 0']) .leaflet-popup-content .fr-meta").last
    try:
        meta.wait_for(timeout=10_000)
    except Exception as exc:  # say what the map shows instead
        state = (
            component.evaluate("""() => ({zoom: window.fronteraMap.getZoom(),
            popups: document.querySelectorAll('.leaflet-popup').length,
            text: (document.querySelector('.leaflet-popup-content') || {}).innerText, log: window.__log.slice(-4)})""")
            if component
            else None
        )
        raise AssertionError(f"no record popup opened; map: {state}") from exc
    return meta.inner_text().split(" · ")[1].strip()


@pytest.mark.parametrize("zoom", [9, 11, 13])
def test_every_event_and_flow_opens_its_own_popup_at_its_position(offline, app_url, zoom):
    page, frame, component = open_map(offline, app_url, DESKTOP)
    opened = {}
    for record_id in EVENTS + FLOWS:
        aim = click_record(page, component, record_id, zoom)
        assert aim["zoom"] == zoom
        opened[record_id] = popup_id(frame, component)
        assert "below the map" in popup_text(frame), "the map's popup is the short one"
    assert opened == {r: r for r in EVENTS + FLOWS}, opened
    assert offline.external() == [], offline.external()
    assert page.page_errors == []


def test_a_shared_spot_lists_what_is_there_and_each_entry_opens_its_record(offline, app_url, screenshots):
    page, frame, component = open_map(offline, app_url, DESKTOP)
    click_record(page, component, "C1", 11)  # C1 is placed at Amatenango, where three flows start
    assert popup_id(frame) == "C1", "the event wins the click over the town and the flows"
    picks = frame.locator(".leaflet-popup-content .fr-also-pick")
    picks.first.wait_for(timeout=10_000)
    entries = picks.all_inner_texts()
    assert any(e.startswith("Place · Amatenango de la Frontera") for e in entries), entries
    assert any(e.startswith("Flow · F3:") for e in entries), entries
    settle(page)
    page.screenshot(path=str(screenshots / "map_use_also_here.png"))
    frame.locator(".fr-also-pick", has_text="Flow · F3:").click()
    assert popup_id(frame) == "F3"
    page.get_by_text("Details: F3").wait_for(timeout=30_000)  # the details under the map follow the pick
    # Streamlit redraws the heading before the record under it: wait for F3's own record, not C1's.
    page.locator(".st-key-frontera_details", has_text="61 people").wait_for(timeout=30_000)
    details = page.locator(".st-key-frontera_details").inner_text()
    assert "Sources" in details and "61" in details and "clashes · C1" not in details
    frame.locator(".fr-also-pick", has_text="Clash · C1:").click()
    assert popup_id(frame) == "C1"
    page.get_by_text("Details: C1").wait_for(timeout=30_000)
    assert offline.external() == [], offline.external()


def settle(page, timeout: float = 30.0) -> None:
    """Wait until the app has finished its run (no "Running" status), so a screenshot is not dimmed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            page.wait_for_timeout(300)
            return
        page.wait_for_timeout(200)


def rect(locator) -> dict:
    return locator.evaluate(
        "(e) => { const r = e.getBoundingClientRect(); "
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; }"
    )


def popup_fits(frame) -> None:
    """The open popup lies inside the map, below the map's top controls, and scrolls if it is tall."""
    container = rect(frame.locator(".leaflet-container"))
    popup = rect(frame.locator(".leaflet-popup").first)
    controls = max(
        rect(frame.locator(".leaflet-top.leaflet-left"))["bottom"],
        rect(frame.locator(".leaflet-top.leaflet-right"))["bottom"],
    )
    assert popup["left"] >= container["left"] and popup["right"] <= container["right"], (popup, container)
    assert popup["top"] >= controls - 1 and popup["bottom"] <= container["bottom"], (popup, controls, container)
    content = frame.locator(".leaflet-popup-content").first
    overflow = content.evaluate("(e) => [e.scrollHeight, e.clientHeight, getComputedStyle(e).overflowY]")
    assert overflow[0] <= overflow[1] + 1 or overflow[2] in ("auto", "scroll"), overflow


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_popups_fit_inside_the_map(offline, app_url, screenshots, viewport):
    page, frame, component = open_map(offline, app_url, viewport)
    for record_id in ("F2", "C1", "F4", "I1"):
        click_record(page, component, record_id, 11)
        assert popup_id(frame) == record_id
        page.wait_for_timeout(400)  # autoPan
        popup_fits(frame)
    if viewport == DESKTOP:  # on a phone the open legend covers the map: it is folded by its own button
        frame.locator(".frontera-legend summary").click()  # an open legend folds when a popup opens
        click_record(page, component, "F2", 9)
        page.wait_for_timeout(400)
        assert frame.locator(".frontera-legend details[open]").count() == 0
        popup_fits(frame)
    settle(page)
    page.screenshot(path=str(screenshots / f"map_use_popup_{viewport['width']}x{viewport['height']}.png"))
    assert page.page_errors == []


def test_attribution_links_open_outside_the_map(offline, app_url):
    page, frame, component = open_map(offline, app_url, DESKTOP)
    links = frame.locator(".leaflet-control-attribution a")
    assert links.count() >= 4  # Leaflet, OpenStreetMap, Natural Earth, GeoNames
    for a in links.all():
        assert a.get_attribute("target") == "_blank" and "noopener" in (a.get_attribute("rel") or ""), a.inner_html()
    frame_url = component.url
    with offline.context.expect_page(timeout=10_000) as opened:
        frame.locator(".leaflet-control-attribution a", has_text="OpenStreetMap").click()
    assert "openstreetmap.org" in opened.value.url or "openstreetmap.org" in " ".join(offline.blocked)
    opened.value.close()
    page.wait_for_timeout(500)
    assert component.url == frame_url, "the map's frame navigated away"
    assert frame.locator("path.frontera-flow").count() >= 4, "the map is still there"


def test_the_screen_fits_at_1280x720_and_on_a_phone(offline, app_url, screenshots):
    page, frame, component = open_map(offline, app_url, DESKTOP)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["y"] < 240 and box["y"] + box["height"] <= DESKTOP["height"], f"map not in the first screen: {box}"
    assert box["height"] >= 420, box
    towns_inside(frame)
    # the labels' sides are settled half a second after the last layer arrived (static/frontera/mapuse.js)
    component.wait_for_function(f"() => ({FLOW_POINTS_UNDER_LABELS})() === 0", timeout=5_000)
    clock = rect(frame.locator(".frontera-clock"))
    marks = frame.locator(".leaflet-tooltip.frontera-label-key, .frontera-operation-badge > span")
    covered = [m.inner_text() for m in marks.all() if m.is_visible() and boxes_overlap(clock, rect(m))]
    assert covered == [], f"the clock covers {covered}"
    scale = frame.locator(".leaflet-control-scale-line").all_inner_texts()
    assert len(scale) == 2 and scale[0].endswith(" km") and scale[1].endswith(" mi"), scale
    attribution = rect(frame.locator(".leaflet-control-attribution"))
    assert attribution["bottom"] - attribution["top"] <= 20, f"the attribution wraps over the map: {attribution}"
    legend = frame.locator(".frontera-legend")
    frame.locator(".frontera-legend summary").click()
    body = frame.locator(".fr-legend-body")
    sizes = body.evaluate("(e) => [e.scrollHeight, e.clientHeight]")
    assert sizes[0] <= sizes[1] + 1, f"legend hides entries below a scroll: {sizes}"
    assert rect(legend)["bottom"] <= rect(frame.locator(".leaflet-container"))["bottom"]
    texts = body.inner_text()
    for shown in (
        "armed clash",
        "attack",
        "displaced",
        "returned",
        "agreed",
        "official crossing",
        "place in the reports",
    ):
        assert shown in texts, (shown, texts)
    assert "protest or riot" not in texts and "sheltered" not in texts, "the legend lists only what is drawn"
    settle(page)
    page.screenshot(path=str(screenshots / "map_use_1280x720.png"))

    page.set_viewport_size(PHONE)
    page.reload()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.frontera-flow").first.wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    box = page.locator(MAP_FRAME).bounding_box()
    title = page.get_by_text("Frontera: Chiapas").bounding_box()
    assert box["y"] < 120 and box["y"] < title["y"], f"on a phone the map comes first: {box}, title {title}"
    assert box["width"] <= PHONE["width"] and box["y"] + box["height"] <= PHONE["height"], box
    towns_inside(frame)  # one zoom step out, placed for the narrow map (static/frontera/mapuse.js narrowHome)
    map_frame(page).wait_for_function(f"() => ({FLOW_POINTS_UNDER_LABELS})() === 0", timeout=5_000)
    legend = rect(frame.locator(".frontera-legend"))
    assert legend["right"] - legend["left"] < 140, f"folded legend is compact: {legend}"
    settle(page)
    page.screenshot(path=str(screenshots / "map_use_390x844.png"))
    assert offline.external() == [], offline.external()


#: How many points of the flow lines lie under a place's label (in the map's frame).
FLOW_POINTS_UNDER_LABELS = """() => {
    const map = window.fronteraMap, labels = [...document.querySelectorAll('.leaflet-tooltip.frontera-label-key')]
      .map((e) => e.getBoundingClientRect()); let n = 0;
    map.eachLayer((l) => { if (!(l instanceof L.Polyline) || !/frontera-flow /.test(l.options.className + ' ')) return;
      l.getLatLngs().forEach((ll) => { const p = map.latLngToContainerPoint(ll);
        if (labels.some((r) => p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom)) n++; }); });
    return n; }"""


def towns_inside(frame) -> None:
    """Both ends of the story, Amatenango and Cuilco, and their labels lie inside the map (once the labels'
    sides are settled: half a second after the last layer arrived, static/frontera/mapuse.js)."""
    deadline = time.monotonic() + 5
    while True:
        inside = rect(frame.locator(".leaflet-container"))
        labels = {t: rect(frame.locator(".leaflet-tooltip.frontera-label-key", has_text=t).first) for t in TOWNS}
        out = {t: r for t, r in labels.items() if not boxes_inside(r, inside)}
        if not out or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert out == {}, (out, inside)


TOWNS = ("Amatenango de la Frontera", "Cuilco")


def boxes_inside(a: dict, b: dict) -> bool:
    return b["left"] <= a["left"] and a["right"] <= b["right"] and b["top"] <= a["top"] and a["bottom"] <= b["bottom"]


def boxes_overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]


def test_place_and_operation_labels_do_not_collide_at_regional_zoom(offline, app_url, screenshots):
    page, _frame, component = open_map(offline, app_url, DESKTOP)
    for zoom in (7, 8):
        component.evaluate("(z) => window.fronteraMap.setView([15.9, -92.4], z, {animate: false})", zoom)
        page.wait_for_timeout(500)
        labels = component.evaluate("""() => [...document.querySelectorAll(
            '.leaflet-tooltip.frontera-label-key, .frontera-operation-badge > span')]
            .filter((e) => getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().width > 0)
            .map((e) => { const r = e.getBoundingClientRect(); return {text: e.textContent, left: r.left,
                          right: r.right, top: r.top, bottom: r.bottom}; })""")
        assert labels, "some labels stay"
        clashes = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if boxes_overlap(a, b)]
        assert clashes == [], f"zoom {zoom}: overlapping labels {clashes}"
        hidden = component.evaluate(FLOW_POINTS_UNDER_LABELS)
        assert hidden == 0, f"zoom {zoom}: place labels hide {hidden} points of the flows"
        fills = component.evaluate("""() => [...document.querySelectorAll('path.frontera-operation')]
            .map((p) => getComputedStyle(p).fillOpacity)""")
        assert fills and all(float(f) == 0 for f in fills), f"operation areas are outlined only: {fills}"
    settle(page)
    page.screenshot(path=str(screenshots / "map_use_zoom8.png"))


#: A pixel inside operation ``id``'s area, away from every other feature and area (null if none).
INSIDE_AREA_ONLY = """
(id) => {
  const map = window.fronteraMap, box = map.getContainer().getBoundingClientRect();
  let area = null; const others = [];
  map.eachLayer((l) => {
    if (!l.getPopup || !l.getPopup() || (l.options && l.options.interactive === false)) return;
    const tip = l.getTooltip && l.getTooltip() && l.getTooltip().getContent();
    if (l instanceof L.Polygon && typeof tip === 'string' && tip.startsWith(id + ':')) area = l; else others.push(l);
  });
  // Zoomed in around the area's badge (it sits at a point inside the area).
  const badge = others.find((l) => l instanceof L.Marker && l.getPopup().getContent() === area.getPopup().getContent());
  map.setView(badge.getLatLng(), 12, {animate: false});
  const size = map.getSize();
  for (let y = 60; y < size.y - 40; y += 12) for (let x = 60; x < size.x - 60; x += 12) {
    const p = L.point(x, y), lp = map.containerPointToLayerPoint(p);
    if (!area._containsPoint(lp)) continue;
    const clear = others.every((l) => {
      if (l instanceof L.Polygon) {  // another area: not its outline, and not one drawn on top around the point
        const above = !!(area._path.compareDocumentPosition(l._path) & Node.DOCUMENT_POSITION_FOLLOWING);
        return l.closestLayerPoint(lp).distance > 20 && (!l._containsPoint(lp) || !above); }
      if (l instanceof L.Polyline) return !l._parts.length || l.closestLayerPoint(lp).distance > 25;
      if (l._icon) { const r = (l._icon.firstElementChild || l._icon).getBoundingClientRect();
        return x < r.left - box.left - 20 || x > r.right - box.left + 20 || y < r.top - box.top - 20 || y > r.bottom - box.top + 20; }
      return !l.getLatLng || map.latLngToContainerPoint(l.getLatLng()).distanceTo(p) > 30;
    });
    if (clear && area.closestLayerPoint(lp).distance > 20) return {x, y};
  }
  return null;
}
"""


def test_clicking_inside_an_operation_area_selects_it_and_shows_its_details(offline, app_url, screenshots):
    page, frame, component = open_map(offline, app_url, DESKTOP)
    spot = component.evaluate(INSIDE_AREA_ONLY, "O4")
    assert spot is not None, "no free pixel inside O4"
    page.wait_for_timeout(250)
    assert component.evaluate("() => document.querySelectorAll('path.frontera-operation.fr-selected').length") == 0
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
    hover = frame.locator(".leaflet-tooltip:not(.frontera-label)")
    try:  # before the click: the popup's auto-pan then moves the map under the mouse
        hover.filter(has_text="O4:").first.wait_for(timeout=5_000)
    except Exception as exc:
        raise AssertionError(f"the hover names what a click picks: {hover.all_inner_texts()}") from exc
    assert not any(t.startswith(("O1:", "O3:", "O5:")) for t in hover.all_inner_texts())
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    assert popup_id(frame, component) == "O4"
    selected = component.evaluate("""() => [...document.querySelectorAll('path.frontera-operation.fr-selected')]
        .map((p) => getComputedStyle(p).fillOpacity)""")
    assert len(selected) == 1 and float(selected[0]) > 0, f"the selected area is filled: {selected}"
    page.get_by_text("Details: O4").wait_for(timeout=30_000)
    settle(page)
    page.screenshot(path=str(screenshots / "map_use_operation_selected.png"))
    component.evaluate("() => window.fronteraMap.closePopup()")
    page.wait_for_timeout(300)
    assert component.evaluate("() => document.querySelectorAll('path.frontera-operation.fr-selected').length") == 0


def test_a_clicked_line_or_area_gets_no_focus_box(offline, app_url, screenshots):
    """Leaflet 1.9.4 makes a path with a tooltip focusable, and Chromium then drew a black box around
    the whole clicked path (a flow's or an operation area's bounding box). Keyboard focus keeps its ring."""
    page, frame, component = open_map(offline, app_url, DESKTOP)
    box = page.locator(MAP_FRAME).bounding_box()
    spot = component.evaluate(INSIDE_AREA_ONLY, "O4")
    assert spot is not None, "no free pixel inside O4"
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    assert popup_id(frame, component) == "O4"
    rings = []
    for record_id in ("O4", "F2"):
        if record_id == "F2":
            click_record(page, component, record_id, 11)
            assert popup_id(frame, component) == "F2"
        rings.append(
            component.evaluate("""() => { const a = document.activeElement, s = getComputedStyle(a);
            return [a.tagName + '.' + (a.getAttribute('class') || ''), s.outlineStyle, s.outlineWidth]; }""")
        )
    focused = [r for r in rings if r[0].startswith("path.")]
    assert focused, f"the clicked paths took no focus: {rings}"  # else this test checks nothing
    assert all(style == "none" or width == "0px" for _, style, width in focused), rings
    settle(page)
    page.screenshot(path=str(screenshots / "map_use_no_focus_box.png"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_a_hover_tooltip_stays_inside_the_map(offline, app_url, screenshots, viewport):
    """An operation's hover text was one long line (O1's about 900 px): it ran past the map's edge, cut off
    mid-sentence, and on a phone no long tooltip fitted at all; wrapped, near the top edge it was cut there."""
    page, frame, component = open_map(offline, app_url, viewport)
    box = page.locator(MAP_FRAME).bounding_box()
    for record_id in ("O1", "O4"):
        spot = component.evaluate(INSIDE_AREA_ONLY, record_id)
        assert spot is not None, f"no free pixel inside {record_id}"
        page.mouse.move(box["x"] + 2, box["y"] + 2)
        page.wait_for_timeout(250)
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        tip = frame.locator(".leaflet-tooltip:not(.frontera-label)").filter(has_text=f"{record_id}:").first
        tip.wait_for(timeout=5_000)
        page.wait_for_timeout(200)
        container, shown = rect(frame.locator(".leaflet-container")), rect(tip)
        assert shown["left"] >= container["left"] and shown["right"] <= container["right"], (
            record_id,
            shown,
            container,
        )
        controls = max(
            rect(frame.locator(".leaflet-top.leaflet-left"))["bottom"],
            rect(frame.locator(".leaflet-top.leaflet-right"))["bottom"],
        )
        assert shown["top"] >= controls - 1 and shown["bottom"] <= container["bottom"], (record_id, shown, controls)
    settle(page)
    page.screenshot(path=str(screenshots / f"map_use_tooltip_{viewport['width']}x{viewport['height']}.png"))


def test_hovering_a_record_names_it(offline, app_url):
    page, frame, component = open_map(offline, app_url, DESKTOP)
    for record_id in ("C1", "F3", "I1"):
        aim = component.evaluate(AIM, [record_id, 12])
        page.wait_for_timeout(250)
        box = page.locator(MAP_FRAME).bounding_box()
        page.mouse.move(box["x"] + aim["x"] + 40, box["y"] + aim["y"] + 40)
        page.mouse.move(box["x"] + aim["x"], box["y"] + aim["y"], steps=4)
        tip = frame.locator(".leaflet-tooltip:not(.frontera-label)", has_text=f"{record_id}:")
        tip.first.wait_for(timeout=5_000)
        if record_id in ("C1", "I1"):  # placed on Amatenango and Pijijiapan: the hover says so
            tip.filter(has_text="more here: click to list them").first.wait_for(timeout=5_000)


def export_with_acled_import(tmp_path: Path) -> Path:
    """A standalone map of the bundled data plus tests/fixtures/acled_current.csv, imported by the CLI."""
    env = {"FRONTERA_DATA_DIR": str(tmp_path / "data"), "FRONTERA_TILES_URL": "none"}
    done = frontera("import", str(ROOT / "tests" / "fixtures" / "acled_current.csv"), env=env)
    assert done.returncode in (0, 1), done.stderr
    out = tmp_path / "map.html"
    layers = "flows,clashes,incidents,operations,crossings,places"
    frontera(
        "export-map",
        "--start",
        "2024-01-01",
        "--end",
        "2024-12-31",
        "--layers",
        layers,
        "--out",
        str(out),
        env=env,
        check=True,
    )
    return out


def test_every_imported_acled_record_is_reachable_at_its_position(no_network, tmp_path, screenshots):
    """Imported events sit exactly on bundled ones and on towns: each opens from its spot, at once or from the list."""
    page = no_network.context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(export_with_acled_import(tmp_path).as_uri())
    page.wait_for_function("() => !!window.fronteraMap", timeout=DRAW_TIMEOUT_MS)
    ids = page.evaluate("""() => { const out = new Set(); window.fronteraMap.eachLayer((l) => {
        const t = l.getTooltip && l.getTooltip() && l.getTooltip().getContent();
        if (typeof t === 'string' && /^(MEX|GTM)9/.test(t)) out.add(t.split(':')[0]); }); return [...out].sort(); }""")
    assert ids == ["GTM90004", "MEX90001", "MEX90002", "MEX90003", "MEX90005"], ids
    assert page.locator(".frontera-operation-point").count() == 1, "the Agreement is drawn with our own marker"
    assert page.locator("img.leaflet-marker-icon").count() == 0, "no default Leaflet pin anywhere"
    legend = page.locator(".fr-legend-body").text_content()
    assert "agreed (at a place, no area)" in legend and "protest or riot" in legend, legend
    box = page.locator(".leaflet-container").bounding_box()
    for zoom in (9, 11, 13):
        for record_id in [*ids, "C1", "C2"]:
            aim = page.evaluate(AIM, [record_id, zoom])
            page.wait_for_timeout(250)
            page.mouse.click(box["x"] + aim["x"], box["y"] + aim["y"])
            got = page.locator(".leaflet-popup:not([style*='opacity: 0']) .fr-meta").last
            got.wait_for(timeout=20_000)  # a busy machine may take longer to open it
            if got.inner_text().split(" · ")[1] != record_id:  # shares its spot: one pick from the list
                page.locator(".fr-also-pick", has_text=f"{record_id}:").click()
                page.locator(".leaflet-popup:not([style*='opacity: 0']) .fr-meta", has_text=record_id).last.wait_for(
                    timeout=10_000
                )
            meta = page.locator(".leaflet-popup:not([style*='opacity: 0']) .fr-meta").last.inner_text()
            assert meta.split(" · ")[1] == record_id, (zoom, record_id, meta)
    page.wait_for_timeout(400)  # the popup fades in
    page.screenshot(path=str(screenshots / "map_use_acled_export.png"))
    assert [u for u in no_network.seen if not u.startswith(("file:", "data:"))] == []
