"""The fast layer in Spanish, in a Spanish-speaking browser (Accept-Language es-MX): the density note, its
buttons (auto / points / hexagons / heat), the shade ramp and a hexagon cell's popup; in the app too, where the
browser's language decides. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from test_fast_renderer import LAYER, clusters, page_of, screen_point, wait_mode
from test_map_use import MAP_FRAME, map_frame

from frontera import i18n
from frontera.layers.fast import FastEventLayer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

BUTTONS_ES = ["automático", "puntos", "hexágonos", "calor"]
ENGLISH = ("events in this cell", "in view", "Fatalities", "fewer → more", "zoom in", "(max ")


def _open(context, url: str):
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert page.evaluate("() => navigator.language") == "es-MX"
    page.goto(url)
    return page, errors


def test_density_buttons_note_and_a_cell_popup_in_spanish(spanish_browser, tmp_path, screenshots):
    context, outside = spanish_browser
    events, spec = clusters()  # 380 events in three tight clusters: the layer shows density cells
    with i18n.language("es"):  # the page as a Spanish session builds it
        path = page_of(tmp_path, "cells-es", FastEventLayer(events, name="clashes").add_to, (15.4, -92.0), 8)
    page, errors = _open(context, path.as_uri())
    assert wait_mode(page, "hexagons") == len(events)
    note = page.locator(".frontera-density-note")
    assert note.locator("button").all_inner_texts() == BUTTONS_ES
    assert note.locator("button.fr-on").inner_text() == "automático"
    assert note.locator("button[data-density='hexagons']").inner_text() == "hexágonos"  # the code stays the key
    text = note.inner_text()
    assert "Enfrentamientos: 380 a la vista" in text, text
    total = sum(s["fatalities"] for s in spec)
    assert f"Víctimas mortales en estas celdas: {total}" in text, text
    assert "menos → más eventos" not in text and "(máx. 200)" in text, text
    assert not [w for w in ENGLISH if w in text], text
    # A click on the middle cluster's cell: its count, fatalities and dates, in Spanish.
    cell = next(c for c in page.evaluate(f"{LAYER}.densityCells()") if c["count"] == 120)
    box = page.locator("canvas.frontera-fastpoints").bounding_box()
    page.mouse.click(box["x"] + cell["x"], box["y"] + cell["y"])
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("h4").inner_text(timeout=5000) == "120 eventos en esta celda"
    body = popup.inner_text()
    assert re.search(r"Víctimas mortales\s+220 \(no reportadas en 10\)", body), body
    assert "Fechas" in body and "Acerque" in body, body
    assert not [w for w in ENGLISH if w in body], body
    page.wait_for_timeout(400)  # the popup's fade-in, for the screenshot
    page.screenshot(path=str(screenshots / "fast_es_cell_popup.png"))
    # Heat: the ramp's words.
    note.locator("button[data-density='heat']").click()
    assert wait_mode(page, "heat") > 0
    assert "menos → más eventos" in note.inner_text()
    assert note.locator("button.fr-on").inner_text() == "calor"
    page.screenshot(path=str(screenshots / "fast_es_heat.png"))
    # Points: a click on a cluster pages through its events ("‹ 1 de 60 eventos aquí ›").
    page.keyboard.press("Escape")
    note.locator("button[data-density='points']").click()
    assert wait_mode(page, "points") > 0
    page.mouse.click(*screen_point(page, spec[2]["lat"], spec[2]["lon"]))
    pager = page.locator(".leaflet-popup-content .fr-pager")
    assert re.fullmatch(r"‹ 1 de \d+ eventos aquí ›", pager.inner_text(timeout=5000).strip()), pager.inner_text()
    assert pager.locator("button").first.get_attribute("aria-label") == "anterior"
    meta = page.locator(".leaflet-popup-content .fr-meta").first.inner_text()
    assert meta.startswith("enfrentamientos · C2-"), meta
    page.wait_for_timeout(400)  # the popup's fade-in, for the screenshot
    page.screenshot(path=str(screenshots / "fast_es_pager.png"))
    assert not errors, errors
    assert not outside, outside


def test_the_app_in_a_spanish_browser_shows_the_density_note_in_spanish(spanish_browser, app_url, screenshots):
    context, outside = spanish_browser
    page, errors = _open(context, f"{app_url}/?layers=clashes,border&density=hexagons")  # no lang=: the browser's
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("canvas.frontera-fastpoints[data-mode='hexagons']").wait_for(state="attached", timeout=60_000)
    note = frame.locator(".frontera-density-note")
    assert note.locator("button").all_inner_texts() == BUTTONS_ES
    assert note.locator("button.fr-on").inner_text() == "hexágonos"
    text = note.inner_text()
    assert "Enfrentamientos:" in text and "a la vista, mostrados como densidad" in text, text
    assert not [w for w in ENGLISH if w in text], text
    component = map_frame(page)
    in_app = "Object.values(window.fronteraMap._layers).find(v => v instanceof L.FronteraFastPoints)"
    cells = component.evaluate(f"() => {in_app}.densityCells()")
    assert cells, "no density cell drawn"
    # The note and the clock lie over the map's lower left: bring a cell to the middle first.
    size = component.evaluate("() => window.fronteraMap.getSize()")
    dx, dy = cells[0]["x"] - size["x"] / 2, cells[0]["y"] - size["y"] / 3
    component.evaluate(f"() => window.fronteraMap.panBy([{dx}, {dy}], {{animate: false}})")
    page.wait_for_timeout(500)
    cell = min(component.evaluate(f"() => {in_app}.densityCells()"), key=lambda c: abs(c["x"] - size["x"] / 2))
    box = frame.locator("canvas.frontera-fastpoints").bounding_box()
    page.mouse.click(box["x"] + cell["x"], box["y"] + cell["y"])
    h4 = frame.locator(".leaflet-popup-content h4").first.inner_text(timeout=10_000)
    assert re.fullmatch(r"\d+ eventos? en esta celda", h4), h4
    credit = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Mapa base © colaboradores de OpenStreetMap" in credit and "Basemap" not in credit, credit
    page.wait_for_timeout(400)
    page.screenshot(path=str(screenshots / "fast_es_app_hexagons.png"))
    assert not errors, errors
    assert not outside, outside
