"""H3 aggregates: every event in exactly one cell, sums that add up, parents as H3 computes them."""

from __future__ import annotations

import h3
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontera.aggregate import (
    BASE_RES,
    aggregate_cells,
    aggregate_points,
    cell_boundaries,
    cells_for,
    parent_cells,
    resolution_for_zoom,
)

# Three events at Frontera Comalapa (two share the exact point), one at Cuilco, one without coordinates.
LON = np.array([-92.1364, -92.1364, -92.1370, -91.9483, np.nan])
LAT = np.array([15.6591, 15.6591, 15.6602, 15.4081, np.nan])
FATALITIES = np.array([3, 0, -1, 5, 7])


def test_cells_match_h3_for_each_point():
    cells = cells_for(LON, LAT, 7)
    expected = [h3.str_to_int(h3.latlng_to_cell(y, x, 7)) for x, y in zip(LON[:4], LAT[:4])]
    assert cells[:4].tolist() == expected
    assert cells[4] == 0  # no coordinates, no cell


def test_parent_cells_equal_h3_cell_to_parent_at_every_resolution():
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-95, -87.5, 300), rng.uniform(13.5, 19.5, 300)
    base = cells_for(lon, lat, BASE_RES)
    for res in range(BASE_RES + 1):
        ours = parent_cells(base, res)
        theirs = [h3.str_to_int(h3.cell_to_parent(h3.int_to_str(int(c)), res)) for c in base]
        assert ours.tolist() == theirs, res


def test_aggregate_adds_up_and_keeps_unknown_fatalities_apart():
    agg = aggregate_points(LON, LAT, FATALITIES, 6)
    assert agg.res == 6
    assert agg.counts.sum() == 4  # the event without coordinates is in no cell
    assert agg.fatalities.sum() == 3 + 0 + 5
    assert agg.unknown_fatalities.sum() == 1
    by_cell = dict(zip(agg.cell_ids, zip(agg.counts.tolist(), agg.fatalities.tolist())))
    comalapa = h3.latlng_to_cell(15.6591, -92.1364, 6)
    assert by_cell[comalapa] == (3, 3)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-95, -87.5), st.floats(13.5, 19.5), st.integers(-1, 500)), min_size=1, max_size=60),
    st.integers(2, 8),
)
def test_sums_add_up_exactly_at_any_resolution(events, res):
    lon, lat, fat = (np.array(v) for v in zip(*events))
    agg = aggregate_points(lon, lat, fat, res)
    assert agg.counts.sum() == len(events)
    assert agg.fatalities.sum() == fat[fat >= 0].sum()
    assert agg.unknown_fatalities.sum() == (fat < 0).sum()
    assert len(set(agg.cells.tolist())) == len(agg)  # each cell once
    assert all(h3.get_resolution(c) == res for c in agg.cell_ids)


def test_aggregating_parents_equals_aggregating_points_at_that_resolution():
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(-93, -91, 2000), rng.uniform(14.5, 16.5, 2000)
    fat = rng.integers(-1, 4, 2000)
    fine = cells_for(lon, lat, BASE_RES)
    a = aggregate_cells(parent_cells(fine, 5), fat)
    b = aggregate_points(lon, lat, fat, 5)
    assert a.cells.tolist() == b.cells.tolist()
    assert a.counts.tolist() == b.counts.tolist()
    assert a.fatalities.tolist() == b.fatalities.tolist()


def test_resolution_grows_with_zoom_and_stays_in_range():
    res = [resolution_for_zoom(z) for z in range(19)]
    assert res == sorted(res)
    assert res[0] == 2 and res[-1] == 8
    assert resolution_for_zoom(8) == 5


def test_boundaries_are_hexagons_around_their_cell():
    agg = aggregate_points(LON, LAT, FATALITIES, 5)
    rings = cell_boundaries(agg.cells)
    assert [len(r) for r in rings] == [6] * len(agg)
    lat, lon = h3.cell_to_latlng(agg.cell_ids[0])
    ring = np.array(rings[0])
    assert ring[:, 0].min() < lat < ring[:, 0].max() and ring[:, 1].min() < lon < ring[:, 1].max()


def test_bad_input_names_the_value():
    with pytest.raises(ValueError, match="res 12 is out of range"):
        cells_for(LON, LAT, 12)
    with pytest.raises(ValueError, match="differ in length"):
        aggregate_cells(np.zeros(3, dtype=np.uint64), np.zeros(2))
