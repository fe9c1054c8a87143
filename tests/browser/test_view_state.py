"""The view in a real browser: it survives every page of the navigation, a toggle reaches the map fast,
Enter applies typed dates, and the timeline (years, colours, no Vega warnings) opens a record on the map."""

from __future__ import annotations

import re
import statistics
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from test_offline import MAP_FRAME, SELECTORS, open_app, type_dates, wait_count

from frontera.timeline import LAYER_COLOURS, LAYER_TITLES

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SHARED = "?start=2024-07-01&end=2024-08-31&layers=flows,clashes,operations&lang=en"
SHARED_VIEW = {"start": ["2024-07-01"], "end": ["2024-08-31"], "layers": ["operations,flows,clashes"], "lang": ["en"]}
CHART = '[data-testid="stVegaLiteChart"]'


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def go_to(page, title: str) -> None:
    """Click a page in the sidebar navigation and wait for its title."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has=page.get_by_text(title, exact=True)).first.click()
    headings = {"Map": "Frontera: Chiapas", "Sources": "Sources and method", "Import": "Import your data"}
    heading = headings.get(title, title)
    page.locator("h1", has_text=heading).first.wait_for(timeout=60_000)
    page.wait_for_timeout(300)  # the URL is written as the page runs


def open_link(offline, url: str):
    """Open ``url`` (a link without the border layer) and wait for the map's flows."""
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(SELECTORS["flows"]).first.wait_for(state="attached", timeout=90_000)
    return page, frame


def metric_values(page) -> dict[str, str]:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return dict(zip([label.strip() for label in labels], values))


def test_a_shared_link_keeps_its_view_on_every_page(offline, app_url, screenshots):
    """Open a shared link and walk the navigation without touching a control: nothing is lost."""
    page, frame = open_link(offline, app_url + "/" + SHARED)
    assert wait_count(frame, "flows", lambda n: n > 0) >= 3
    first = metric_values(page)
    assert first["Clashes"] == "1" and first["Operations"] == "5", first
    first_link = page.locator('[data-testid="stSidebarNav"] a').first
    assert first_link.get_by_text("Map", exact=True).count() == 1, first_link.inner_text()  # not "app"
    for title in ("Timeline", "Data", "Sources", "Import", "Map"):
        go_to(page, title)
        assert query(page) == SHARED_VIEW, (title, page.url)
        if title != "Import":  # the Import page names itself
            assert page.title() == f"Frontera — {title}", page.title()
        if title == "Timeline":
            page.locator(CHART).first.wait_for(timeout=30_000)
            assert page.get_by_text("No dated record overlaps").count() == 0
        if title == "Data":
            caption = page.get_by_text(re.compile(r"^\d+ features? ·")).first.inner_text()
            assert int(caption.split()[0]) > 0, caption
        if title in ("Timeline", "Data", "Map"):
            ticked = {
                layer: page.locator(f".st-key-layer_{layer} input").is_checked()
                for layer in ("flows", "clashes", "operations", "incidents", "border")
            }
            assert ticked == {
                "flows": True,
                "clashes": True,
                "operations": True,
                "incidents": False,
                "border": False,
            }, (title, ticked)
    frame = page.frame_locator(MAP_FRAME)
    assert wait_count(frame, "flows", lambda n: n > 0) >= 3
    assert wait_count(frame, "clashes", lambda n: n > 0) >= 1
    assert metric_values(page) == first
    page.screenshot(path=str(screenshots / "view_kept_after_every_page.png"))
    page.reload()
    page.frame_locator(MAP_FRAME).locator(SELECTORS["flows"]).first.wait_for(state="attached", timeout=60_000)
    assert query(page) == SHARED_VIEW and metric_values(page) == first
    assert offline.external() == [], offline.external()


def test_a_layer_toggle_reaches_the_map_in_under_a_second(offline, app_url):
    """Click -> the map frame has drawn the change, measured in the browser on the bundled data."""
    page, frame = open_app(offline, app_url)
    wait_count(frame, "clashes", lambda n: n > 0)
    page.wait_for_timeout(1500)
    timings = []
    for _ in range(4):
        for state in ("detached", "attached"):
            started = time.monotonic()
            page.locator(".st-key-layer_clashes label").click()
            frame.locator(SELECTORS["clashes"]).first.wait_for(state=state, timeout=30_000)
            timings.append(time.monotonic() - started)
            page.wait_for_timeout(800)
    print(
        f"layer toggle -> map: median {statistics.median(timings):.2f} s, max {max(timings):.2f} s, "
        f"all {[round(t, 2) for t in timings]}"
    )
    assert statistics.median(timings) < 2.0, timings  # generous for a shared machine; ~0.5 s measured alone
    assert offline.external() == [], offline.external()


def test_enter_applies_typed_dates(offline, app_url):
    page, frame = open_app(offline, app_url)
    wait_count(frame, "flows", lambda n: n > 0)
    type_dates(page, "2024-06-15", "2024-07-10")
    started = time.monotonic()  # Enter was pressed
    frame.locator(SELECTORS["flows"]).first.wait_for(state="detached", timeout=30_000)  # no flow in that window
    print(f"date change (Enter) -> map: {time.monotonic() - started:.2f} s")
    assert query(page)["start"] == ["2024-06-15"] and query(page)["end"] == ["2024-07-10"], page.url
    assert wait_count(frame, "clashes", lambda n: n == 1) == 1  # La Concordia, 2024-06-28
    assert offline.external() == [], offline.external()


def find_bar(page, record_id: str):
    """Hover along the chart until its tooltip names ``record_id``; return that point."""
    box = page.locator(CHART).first.bounding_box()
    tooltip = page.locator("#vg-tooltip-element")
    names_it = re.compile(rf"(^|\n)id\s+{re.escape(record_id)}\s")
    for fx in (0.97, 0.95, 0.9):  # ongoing bars reach the right end of the range
        for y in range(int(box["y"]) + 40, int(box["y"] + box["height"]) - 20, 5):
            x = box["x"] + box["width"] * fx
            page.mouse.move(x, y)
            page.wait_for_timeout(60)
            if (
                tooltip.count()
                and "visible" in (tooltip.get_attribute("class") or "")
                and names_it.search(tooltip.inner_text())
            ):
                return x, y
    raise AssertionError(f"no bar of {record_id} found under the mouse")


def test_timeline_has_no_vega_warnings_and_a_click_opens_the_record_on_the_map(offline, app_url, screenshots):
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.goto(app_url + "/Timeline" + SHARED)
    page.locator(CHART).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(screenshots / "timeline.png"), full_page=True)
    vega = [m for m in console if re.search(r"\b(WARN|ERROR)\b", m)]
    assert vega == [], vega
    axis = page.locator(CHART + " svg text").evaluate_all("(texts) => texts.map(t => t.textContent)")
    assert {"Jul 2024", "Aug 2024"} <= set(axis), axis  # years on the axis
    bars = page.locator(CHART + " g.mark-rect path").evaluate_all(
        "(paths) => paths.map(p => [p.getAttribute('fill'), p.getBBox().width])"
    )
    assert len(bars) == 9, bars  # F1-F3, C1, O1-O5
    assert {fill for fill, _ in bars} == {LAYER_COLOURS[k] for k in ("flows", "clashes", "operations")}, bars
    assert min(width for _, width in bars) >= 6, bars  # the narrowest bar is still visible
    x, y = find_bar(page, "C1")
    tip = page.locator("#vg-tooltip-element").inner_text()
    assert "ongoing" in tip, tip
    page.mouse.click(x, y)
    page.get_by_text("Details: C1").wait_for(timeout=60_000)
    assert query(page).get("selected") == ["C1"], page.url
    assert query(page)["layers"] == SHARED_VIEW["layers"]
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(SELECTORS["clashes"]).first.wait_for(state="attached", timeout=60_000)
    c1 = (15.4347, -92.1171)  # Amatenango de la Frontera: the map centres on the record picked
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        centre = frame.locator(".frontera-bm-labels[data-center]").get_attribute("data-center") or "0,0"
        lat, lon = (float(v) for v in centre.split(","))
        if abs(lat - c1[0]) < 0.02 and abs(lon - c1[1]) < 0.02:
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError(f"map centre {centre} is not C1's place {c1}")
    page.get_by_text("Details: C1").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "timeline_click_opens_map.png"))
    assert offline.external() == [], offline.external()


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 720}], ids=["390x844", "1280x720"]
)
def test_the_timeline_legend_shows_every_layer_on_a_phone_too(offline, app_url, screenshots, viewport):
    """On a phone the legend began at the bars (after 200 px of labels) and ran off the chart's right edge:
    'incidents' and 'operations' were cut off."""
    page = offline.context.pages[0] if offline.context.pages else offline.context.new_page()
    page.set_viewport_size(viewport)
    page.goto(app_url + "/Timeline" + SHARED)
    page.locator(CHART + " g.mark-rect path").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    chart = page.locator(CHART + " svg.marks").first.bounding_box()  # the drawing surface, which clips
    entries = page.locator(CHART + " g.role-legend-label text").evaluate_all(
        "(texts) => texts.map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.right, r.top, r.bottom]; })"
    )
    assert [e[0] for e in entries] == [LAYER_TITLES[k] for k in LAYER_COLOURS], entries  # in the legend: the titles
    inside = chart["x"] - 1, chart["x"] + chart["width"] + 1, chart["y"] - 1, chart["y"] + chart["height"] + 1
    cut = [e for e in entries if e[1] < inside[0] or e[2] > inside[1] or e[3] < inside[2] or e[4] > inside[3]]
    assert cut == [], f"legend entries outside the chart {inside}: {cut}"
    page.screenshot(path=str(screenshots / f"timeline_legend_{viewport['width']}x{viewport['height']}.png"))
