"""Server hexagons follow the map's clock (issue 12): above the threshold the server sends H3 cells with their
sums per day (frontera.layers.fast.celldays); the clock's window sets each cell's count, shade and popup.

The standalone export of 3,000 events with the threshold lowered to 1,000 (the knob tests/test_fastpoints.py
turns): each drawn cell's count and fatalities at a clock date must be the model's (frontera.filters.in_window
over the clock's days, events placed in cells by frontera.aggregate.cells_for).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import h3
import numpy as np
import pytest
from test_play_time import many_events, move_clock

from frontera.aggregate import cells_for
from frontera.filters import in_window
from frontera.layers.fast import celldays, dispatch
from frontera.model.dates import DateWindow
from frontera.model.view import View
from frontera.standalone import standalone_html
from frontera.storage import geopackage as store

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

HEX = "Object.values(window).find(v => v instanceof L.FronteraHexagons)"
SPAN = DateWindow(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def export(tmp_path, events, name: str):
    sit = store.load_situation(include_user=False)
    sit = dataclasses.replace(sit, records={**sit.records, "clashes": events})
    path = tmp_path / f"{name}.html"
    path.write_text(standalone_html(sit, View(SPAN, ("clashes",))), encoding="utf-8")
    return path


def expected(events, res: int, window: DateWindow) -> dict[str, tuple[int, int]]:
    """Events and fatalities per H3 cell (its text id) among the events the clock's window shows."""
    shown = in_window(events, window)
    cells = cells_for(shown.geometry.x.to_numpy(), shown.geometry.y.to_numpy(), res)
    fat = shown["fatalities"].to_numpy(dtype=float, na_value=np.nan)
    out: dict[str, tuple[int, int]] = {}
    for c, f in zip(cells.tolist(), fat.tolist(), strict=True):
        n, total = out.get(h3.int_to_str(c), (0, 0))
        out[h3.int_to_str(c)] = (n + 1, total + (int(f) if f == f and f >= 0 else 0))
    return out


def drawn(page) -> dict[str, tuple[int, int]]:
    return {c["cell"]: (c["count"], c["fatalities"]) for c in page.evaluate(f"{HEX}.drawnCells()")}


def check_at(page, events, res: int, day: str, first: dt.date, last: dt.date | None = None) -> dict:
    """Move the clock to ``day``: the cells drawn hold exactly the events of ``first`` to ``last`` (or ``day``)."""
    move_clock(page, day)
    got = drawn(page)
    want = expected(events, res, DateWindow(first, last or dt.date.fromisoformat(day)))
    assert got, day
    assert got == {c: want[c] for c in got}, day  # every drawn cell counts its events and their fatalities
    return got


def test_server_hexagons_follow_the_clock_by_day(no_network, tmp_path, monkeypatch, screenshots):
    monkeypatch.setattr(dispatch, "AGGREGATE_THRESHOLD", 1000)
    events = many_events(3000)
    page = no_network.context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(export(tmp_path, events, "by-day").as_uri())
    page.wait_for_selector("canvas.frontera-hexagons[data-drawn]", state="attached", timeout=60_000)
    page.wait_for_function(f"() => {HEX}._days && {HEX}.clockStep === 1")
    res = page.evaluate(f"{HEX}._header.res")
    whole = drawn(page)
    assert whole == {c: expected(events, res, SPAN)[c] for c in whole}, "all dates: the server's sums"
    weeks = [
        check_at(page, events, res, day, dt.date.fromisoformat(day) - dt.timedelta(days=6))
        for day in ("2024-03-10", "2024-03-17")
    ]
    assert weeks[0] != weeks[1], "a cell's count changes when the clock steps"
    assert sum(n for n, _ in weeks[0].values()) < sum(n for n, _ in whole.values()) / 10
    assert page.locator(".fr-clock-note").inner_text() == "", "by day: nothing to say"
    page.screenshot(path=str(screenshots / "hexagons_clock_by_day.png"))
    page.select_option(".fr-clock-mode", "cumulative")
    check_at(page, events, res, "2024-06-30", SPAN.start)
    page.locator("button[title='Show the whole range']").click()
    assert drawn(page) == whole
    assert errors == [] and no_network.external() == [], (errors, no_network.external())


def test_server_hexagons_by_week_say_so_on_the_clock(no_network, tmp_path, monkeypatch, screenshots):
    monkeypatch.setattr(dispatch, "AGGREGATE_THRESHOLD", 1000)
    monkeypatch.setattr(celldays, "MAX_DAY_ROWS", 100)  # too many rows by day: by week
    events = many_events(3000)
    page = no_network.context.new_page()
    page.goto(export(tmp_path, events, "by-week").as_uri())
    page.wait_for_selector("canvas.frontera-hexagons[data-drawn]", state="attached", timeout=60_000)
    page.wait_for_function(f"() => {HEX}._days && {HEX}.clockStep === 7")
    res = page.evaluate(f"{HEX}._header.res")
    # Wednesday 13 March 2024, a window of a week: 7 to 13 March, widened to whole weeks: 4 to 17 March.
    got = check_at(page, events, res, "2024-03-13", dt.date(2024, 3, 4), dt.date(2024, 3, 17))
    assert got == check_at(page, events, res, "2024-03-14", dt.date(2024, 3, 4), dt.date(2024, 3, 17))
    assert got != check_at(page, events, res, "2024-03-18", dt.date(2024, 3, 11), dt.date(2024, 3, 24))
    assert page.locator(".fr-clock-note").inner_text() == "Hexagons step by week"
    page.screenshot(path=str(screenshots / "hexagons_clock_by_week.png"))
