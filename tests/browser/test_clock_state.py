"""The map's clock keeps its day, step and mode when the person changes the dates (issue 12).

The app puts a new clock on the map when the window changes (the clock's feature group is keyed by it);
static/frontera/clock.js hands the old clock's state to the new one through sessionStorage, when the day lies
in the new window (or the mode is cumulative). A new visit starts with the clock off.
"""

from __future__ import annotations

import time

import pytest
from test_play_time import COUNTS_JS, MAP_FRAME, expected, move_clock, open_app_with_clock

from frontera.storage import geopackage as store

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

DAY = "2024-07-23"  # the week of the July 2024 displacement (F4)
CLOCK_JS = """() => { const c = document.querySelector('.frontera-clock:not([data-old])');
  return c && {day: c.dataset.day, from: c.dataset.from, to: c.dataset.to,
    step: c.querySelector('.fr-clock-step').value, mode: c.querySelector('.fr-clock-mode').value}; }"""


def type_dates(page, start: str, end: str) -> None:
    """Type a range into the sidebar's date field segment by segment and press Enter, as a person does."""
    field = page.locator(".st-key-dates")
    for which, day in (("end", end), ("start", start)):
        for kind, text in zip(("year", "month", "day"), day.split("-"), strict=True):
            segment = field.locator(f'[data-range-field="{which}"] [role="spinbutton"][data-type="{kind}"]')
            segment.focus()
            page.keyboard.type(text, delay=20)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def wait_for(check, what: str, timeout: float = 60.0):
    """Poll ``check()`` until it returns something truthy (the frame swaps its layers after a rerun)."""
    deadline, got = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            got = check()
        except Exception:  # the frame is being rebuilt  # noqa: BLE001
            got = None
        if got:
            return got
        time.sleep(0.25)
    raise AssertionError(f"{what}: still {got!r} after {timeout:.0f} s")


def test_changing_the_dates_keeps_the_clock(offline, app_url, screenshots):
    bundled = store.load_situation(include_user=False)
    page, frame, errors = open_app_with_clock(offline, app_url)
    frame.select_option(".fr-clock-step", "1")  # a window of one day
    move_clock(frame, DAY)
    want = expected(bundled, DAY, step=1)
    assert frame.evaluate(COUNTS_JS) == want
    frame.evaluate("() => { document.querySelector('.frontera-clock').dataset.old = '1'; }")

    type_dates(page, "2024-06-01", "2024-08-31")  # a window that holds the clock's day
    page.wait_for_url(lambda url: "start=2024-06-01" in url, timeout=60_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    clock = wait_for(lambda: frame.evaluate(CLOCK_JS), "a new clock on the map")
    assert clock == {"day": DAY, "from": DAY, "to": DAY, "step": "1", "mode": "window"}, clock
    assert frame.locator(".fr-clock-slider").input_value() == "19927"  # 2024-07-23 as days since 1970
    assert frame.locator(".fr-clock-date").inner_text() == "23 Jul 2024"  # as English writes it
    # the new window's layers arrive filtered by the clock's day: the model's rule at that day
    wait_for(lambda: frame.evaluate(COUNTS_JS) == want, f"the map at {DAY}: {want}")
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "clock_kept_after_dates.png"))

    frame.select_option(".fr-clock-mode", "cumulative")
    frame.evaluate("() => { document.querySelector('.frontera-clock').dataset.old = '1'; }")
    type_dates(page, "2024-01-01", "2024-07-10")  # the day is past the new end: cumulative keeps it, clamped
    page.wait_for_url(lambda url: "end=2024-07-10" in url, timeout=60_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    clock = wait_for(lambda: frame.evaluate(CLOCK_JS), "a new clock on the map")
    assert clock == {
        "day": "2024-07-10",
        "from": "2024-01-01",
        "to": "2024-07-10",
        "step": "1",
        "mode": "cumulative",
    }, clock
    cumulative = expected(bundled, "2024-07-10", since="2024-01-01")
    wait_for(lambda: frame.evaluate(COUNTS_JS) == cumulative, f"the map up to 2024-07-10: {cumulative}")

    page.goto(app_url + "/?start=2023-10-01&end=2024-08-31")  # a new visit: the clock starts off
    page.frame_locator(MAP_FRAME).locator("path.frontera-flow").first.wait_for(state="attached", timeout=60_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert wait_for(lambda: frame.evaluate(CLOCK_JS), "the clock")["day"] == ""
    assert errors == [] and offline.external() == [], (errors, offline.external())
