"""The feed beside the map in the browser: it fits beside the map at 1280×720, and a choice centres the map."""

from __future__ import annotations

import contextlib
import time

import pytest

from frontera.storage.geopackage import load_situation

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _map_frame(page):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for f in page.frames:
            with contextlib.suppress(Exception):  # a frame being replaced
                if "st_folium" in f.url and f.evaluate("() => !!window.fronteraMap"):
                    return f
        page.wait_for_timeout(200)
    raise AssertionError("no map frame with window.fronteraMap")


def _open(offline, url: str, viewport: dict, drawn: str = "path.frontera-flow"):
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    page.set_viewport_size(viewport)
    page.goto(url)
    page.frame_locator(MAP_FRAME).locator(drawn).first.wait_for(state="attached", timeout=90_000)
    page.locator(".st-key-frontera_feed").wait_for(timeout=30_000)
    return page


def _centre(page) -> tuple[float, float]:
    return tuple(
        _map_frame(page).evaluate("() => { const c = window.fronteraMap.getCenter(); return [c.lat, c.lng]; }")
    )


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_feed_fits_beside_the_map_at_1280x720(offline, app_url, screenshots):
    page = _open(offline, app_url, DESKTOP)
    page.wait_for_timeout(1500)
    frame, feed = _box(page, MAP_FRAME), _box(page, ".st-key-frontera_feed")
    trend = _box(page, ".st-key-frontera_trend")
    # The map, whole, on the first screen; beside it (to its right) the weekly trend at the top and the feed
    # under it, both on the first screen too, the feed with room for entries.
    assert frame["y"] < 260 and frame["y"] + frame["height"] <= DESKTOP["height"], frame
    assert frame["height"] >= 400 and frame["width"] >= 520, frame
    assert trend["x"] >= frame["x"] + frame["width"] - 1 and trend["y"] < frame["y"] + 60, (trend, frame)
    assert feed["x"] >= frame["x"] + frame["width"] - 1 and feed["y"] >= trend["y"] + trend["height"] - 1, feed
    assert feed["x"] + feed["width"] <= DESKTOP["width"] and feed["y"] + feed["height"] <= DESKTOP["height"], feed
    assert feed["height"] >= 120, feed
    scroll = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    assert scroll == 0
    # Newest first: O1 (2024-08-02, ongoing) heads the bundled view, I1 (2023-10-01) ends it.
    entries = page.locator(".st-key-frontera_feed [data-testid='stButton'] button")
    first, last = entries.first.inner_text(), entries.last.inner_text()
    assert first.startswith("Joint Mexico–Guatemala") and last.startswith("Truck carrying 27 Cuban"), (first, last)
    page.screenshot(path=str(screenshots / "feed_1280x720.png"))
    assert offline.external() == [], offline.external()


def test_choosing_in_the_feed_centres_the_map_and_shows_the_details(offline, app_url, screenshots):
    clashes = load_situation(include_user=False).records["clashes"]
    c2 = clashes[clashes["id"] == "C2"].geometry.iloc[0].representative_point()
    page = _open(offline, app_url, DESKTOP)
    before = _centre(page)
    assert abs(before[0] - c2.y) + abs(before[1] - c2.x) > 0.3, "the map must not start on C2 for this test"
    page.locator(".st-key-feed_C2 button").first.click()
    deadline, centre = time.monotonic() + 40, before
    while time.monotonic() < deadline:
        try:
            centre = _centre(page)
        except Exception:  # noqa: BLE001 - the frame is being redrawn
            centre = before
        if abs(centre[0] - c2.y) < 0.01 and abs(centre[1] - c2.x) < 0.01:
            break
        page.wait_for_timeout(250)
    assert centre == pytest.approx((c2.y, c2.x), abs=0.01), (centre, (c2.y, c2.x))
    page.get_by_text("Details: C2").wait_for(timeout=20_000)
    zoom = _map_frame(page).evaluate("() => window.fronteraMap.getZoom()")
    assert zoom == 12
    page.wait_for_timeout(800)
    page.screenshot(path=str(screenshots / "feed_choice_centres_c2_1280x720.png"))
    assert offline.external() == [], offline.external()


def test_on_a_phone_the_map_comes_first_then_the_feed(offline, app_url, screenshots):
    page = _open(offline, app_url, PHONE)
    page.wait_for_timeout(1500)
    frame, feed = _box(page, MAP_FRAME), _box(page, ".st-key-frontera_feed")
    title = page.get_by_text("Frontera: Chiapas").bounding_box()
    assert frame["y"] < 120 and frame["y"] + frame["height"] <= PHONE["height"], frame
    assert frame["y"] < title["y"] and feed["y"] > frame["y"] + frame["height"] - 1, (frame, feed, title)
    assert feed["width"] <= PHONE["width"], feed
    page.screenshot(path=str(screenshots / "feed_390x844.png"))
    page.locator(".st-key-frontera_feed").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "feed_390x844_scrolled.png"))
    assert offline.external() == [], offline.external()


def test_filters_from_a_link_narrow_the_feed_and_open_the_focus_panel(offline, app_url, screenshots):
    page = _open(
        offline,
        f"{app_url}/?kind=armed%20clash&actor=cartel&start=2024-06-01&end=2024-08-31",
        DESKTOP,
        ".frontera-clash",
    )
    entries = page.locator(".st-key-frontera_feed [data-testid='stButton'] button")
    deadline = time.monotonic() + 30
    while entries.count() != 2 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert [e.inner_text() for e in entries.all()] == [
        "Constant confrontations between two criminal groups around Amatenango de la Frontera",
        "Clash in La Concordia leaves 19 dead",
    ]
    assert "2 records, newest first" in page.locator(".st-key-frontera_feed_head").inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Focus filters (2 on)").is_visible()
    assert sidebar.locator(".st-key-focus_actor input").input_value() == "cartel"
    page.wait_for_timeout(1000)
    page.screenshot(path=str(screenshots / "feed_focus_filters_1280x720.png"))
    assert offline.external() == [], offline.external()


def test_the_feed_shows_hostile_titles_and_places_as_the_text_they_are(offline_hostile, hostile_app_url, screenshots):
    from payloads import SHORT

    page = offline_hostile.context.new_page()
    page.set_viewport_size(DESKTOP)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_app_url + "/?start=2023-01-01&end=2025-12-31")
    page.locator(".st-key-frontera_feed [data-testid='stButton']").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    feed = page.locator(".st-key-frontera_feed")
    # An invisible word joiner keeps addresses from becoming links (frontera.ui.feed.literal); it reads the same.
    titles = {b.inner_text().replace("\u2060", "") for b in feed.locator("[data-testid='stButton'] button").all()}
    text = feed.inner_text().replace("\u2060", "")
    printable = [p for p in SHORT if "\u202e" not in p]  # bidi controls: inner_text may reorder, not compared
    assert {p for p in printable if p in titles}, titles  # titles shown letter for letter
    for payload in printable:
        assert payload in text, payload  # every payload (a title or a place) appears as typed
    links = [a.evaluate("e => e.outerHTML") for a in feed.locator("a").all()]
    assert feed.locator("img").count() == 0 and links == [], links
    assert dialogs == []
    page.screenshot(path=str(screenshots / "feed_hostile_text.png"))
    assert offline_hostile.external() == [], offline_hostile.external()
