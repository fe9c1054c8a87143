""" "Find a place" in the browser: a name analysts use finds the town at a crossing, and the map marks it."""

from __future__ import annotations

import time

import pytest

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def test_la_mesilla_is_found_and_marked_on_the_map(offline, app_url, screenshots):
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    page.goto(app_url)
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
    box = page.locator(".st-key-place_query input")
    box.fill("La Mesilla")
    box.press("Enter")
    choice = page.locator(".st-key-place_pick label", has_text="La Mesilla — Huehuetenango, Guatemala")
    choice.first.wait_for(timeout=20_000)
    choice.first.click()
    frame_box = page.locator(MAP_FRAME).bounding_box()
    centre_x = frame_box["x"] + frame_box["width"] / 2
    deadline, marked, label, off = time.monotonic() + 30, 0, "", None
    while time.monotonic() < deadline:
        frame = page.frame_locator(MAP_FRAME)
        try:  # the frame may be redrawn, and the map moves to the pick, meanwhile
            marked = frame.locator(".frontera-picked").count()
            label = frame.locator(".frontera-picked-label").first.inner_text(timeout=1000) if marked else ""
            ring = frame.locator(".frontera-picked").bounding_box(timeout=1000) if marked else None
            off = abs(ring["x"] + ring["width"] / 2 - centre_x) if ring else None
        except Exception:  # noqa: BLE001
            marked = 0
        if marked and label and off is not None and off < 30:
            break
        page.wait_for_timeout(250)
    # Marked once, with its name, and the map centred on it.
    assert (marked, label) == (1, "La Mesilla") and off is not None and off < 30, (marked, label, off)
    page.screenshot(path=str(screenshots / "find_a_place_la_mesilla.png"))
    assert offline.external() == [], offline.external()
