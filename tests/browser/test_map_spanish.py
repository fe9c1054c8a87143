"""A Spanish-speaking browser (Accept-Language and navigator.language es-MX) opens the map: the page
follows the browser's language (no ``lang=`` in the URL), and the legend, a popup, "Also here" and the
figures above the map are in Spanish. Screenshots in artifacts/screenshots/.
"""

from __future__ import annotations

import pytest
from test_map_use import MAP_FRAME, click_record, map_frame, popup_text

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
DRAW_TIMEOUT_MS = 60_000


def test_a_spanish_browser_sees_the_map_in_spanish(spanish_browser, app_url, screenshots):
    context, outside = spanish_browser
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert page.evaluate("() => navigator.language") == "es-MX"
    page.goto(app_url)  # no lang= in the URL: the browser's language decides
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.frontera-flow").first.wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    frame.locator(".frontera-legend").wait_for(state="attached", timeout=DRAW_TIMEOUT_MS)
    page.wait_for_function("() => new URL(location.href).searchParams.get('lang') === 'es'", timeout=30_000)

    # The figures above the map.
    figures = page.locator('[data-testid="stMetric"]')
    figures.first.wait_for(timeout=30_000)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert "Personas desplazadas reportadas" in labels and "Víctimas mortales" in labels, labels
    assert "400 o 600 · 4.187" in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert page.get_by_text("Capas", exact=True).first.is_visible()

    # The legend, opened.
    legend = frame.locator(".frontera-legend")
    assert legend.locator("summary").inner_text() == "Leyenda"
    legend.locator("summary").click()
    body = legend.inner_text()
    assert "Enfrentamientos e incidentes (tamaño: víctimas mortales)" in body, body
    assert "Flujos de desplazamiento (origen → destino)" in body and "cruce oficial" in body
    assert "Clashes and incidents" not in body
    page.screenshot(path=str(screenshots / "map_es_legend.png"))
    legend.locator("summary").click()

    # The fast renderer's notes read the same texts (static/frontera/fast-points.js through mapuse.js).
    component = map_frame(page)
    said = component.evaluate("() => L.fronteraSay('{n} in view, one circle each', '4.187')")
    assert said == "4.187 a la vista, un círculo cada uno", said

    # The scale: kilometres only (miles are for English readers).
    scale = frame.locator(".leaflet-control-scale-line").all_inner_texts()
    assert len(scale) == 1 and scale[0].endswith(" km"), scale

    # The map's clock (static/frontera/clock.js).
    assert frame.locator(".fr-clock-date").inner_text() == "Todas las fechas"
    range_text = frame.locator(".fr-clock-range").inner_text()
    assert "▶ para reproducir" in range_text and "1 oct 2023 – 31 ago 2024" in range_text, range_text

    # A popup: a clash, clicked with the mouse.
    click_record(page, component, "C1", 11)
    text = popup_text(frame)
    assert "Cuándo" in text and "Dónde" in text and "Víctimas mortales" in text, text
    assert "Fuentes y detalles completos: debajo del mapa." in text, text
    assert "When" not in text and "enfrentamientos · C1" in text, text
    page.wait_for_timeout(600)  # the popup's fade-in, for the screenshot
    page.screenshot(path=str(screenshots / "map_es_popup.png"))

    # The details under the map, after the click.
    page.get_by_text("Detalles: C1").wait_for(timeout=30_000)
    page.get_by_text("Detalles: C1").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "map_es_details.png"), full_page=True)
    assert not errors, errors
    assert not outside, outside
