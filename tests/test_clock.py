"""The clock's Python side: every record drawn one by one carries its days; the maps carry the clock."""

import datetime as dt
import json
import re

import pandas as pd

from frontera.features import Feature, dated, day_number
from frontera.layers.clock import Clock, clock_group
from frontera.layers.render import folium_layer
from frontera.mapview import build_map
from frontera.model.dates import DateWindow
from frontera.model.records import TIME_LAYERS
from frontera.model.view import View
from frontera.storage import geopackage as store

DAYS = re.compile(r'"fronteraDays": \[(-?\d+|null), (-?\d+|null)\]')


def test_day_numbers_are_days_since_1970():
    assert day_number("1970-01-02") == 1
    assert day_number(pd.Timestamp("2024-08-02")) == (dt.date(2024, 8, 2) - dt.date(1970, 1, 1)).days
    assert day_number(None) is None and day_number(pd.NaT) is None and day_number(float("nan")) is None


def test_a_dated_layer_carries_first_and_last_day_and_null_for_ongoing():
    rec = {"date_start": pd.Timestamp("2024-08-02"), "date_end": pd.NaT}
    (feature,) = dated([Feature("clashes", "circle_marker", (15, -92), {"radius": 5})], rec)
    assert feature.days == (day_number("2024-08-02"), None)
    assert folium_layer(feature).options["fronteraDays"] == [day_number("2024-08-02"), None]


def test_the_clock_gets_the_window_as_day_numbers():
    window = DateWindow(dt.date(2024, 6, 1), dt.date(2024, 8, 31))
    clock = next(c for c in clock_group(window)._children.values() if isinstance(c, Clock))
    assert json.loads(clock.options_js) == {"start": day_number("2024-06-01"), "end": day_number("2024-08-31")}


def test_every_dated_feature_of_the_map_carries_its_records_days():
    sit = store.load_situation(include_user=False)
    view = View(DateWindow(dt.date(2023, 10, 1), dt.date(2024, 8, 31)), TIME_LAYERS)
    html = build_map(sit, view).get_root().render()
    found = {(a, b) for a, b in DAYS.findall(html)}
    wanted = set()
    for layer in TIME_LAYERS:
        for rec in sit.records[layer].itertuples():
            if rec.geometry is not None and not rec.geometry.is_empty:
                end = day_number(rec.date_end)
                wanted.add((str(day_number(rec.date_start)), "null" if end is None else str(end)))
    assert found == wanted
    assert "L.fronteraClock(" in html and "frontera/clock.js" in html
