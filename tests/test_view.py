import datetime as dt

from frontera.dates import DateWindow
from frontera.schema import DEFAULT_LAYERS
from frontera.view import View, view_from_query

SPAN = DateWindow(dt.date(2023, 10, 1), dt.date(2024, 8, 31))


def test_empty_query_is_the_whole_span_with_every_layer():
    view, warnings = view_from_query({}, SPAN)
    assert view == View(SPAN, DEFAULT_LAYERS) and warnings == []


def test_round_trip_through_the_url():
    view = View(DateWindow(dt.date(2024, 7, 1), dt.date(2024, 7, 22)), ("flows", "clashes"))
    again, warnings = view_from_query(view.to_query(), SPAN)
    assert again == view and warnings == []
    assert view.to_query() == {"start": "2024-07-01", "end": "2024-07-22", "layers": "flows,clashes"}


def test_bad_values_give_the_nearest_valid_view_and_say_why():
    view, warnings = view_from_query({"start": "2024-08-10", "end": "2024-07-01", "layers": "Flows,nope"}, SPAN)
    assert view.window == DateWindow(dt.date(2024, 7, 1), dt.date(2024, 8, 10))
    assert view.layers == ("flows",)
    assert any("before start" in w for w in warnings) and any("'nope'" in w for w in warnings)


def test_dates_beyond_the_data_are_clamped():
    view, warnings = view_from_query({"start": "2020-01-01", "end": "2030-01-01"}, SPAN)
    assert view.window == SPAN and warnings and "reach past the data" in warnings[0]


def test_unparseable_date_falls_back_to_the_span():
    view, warnings = view_from_query({"end": "yesterday"}, SPAN)
    assert view.window.end == SPAN.end
    assert warnings == ["URL parameter end 'yesterday' is not a date; expected YYYY-MM-DD. It was ignored."]


def test_command_line_wording():
    _, warnings = view_from_query({"layers": "x"}, SPAN, where="command line")
    assert warnings[0].startswith("Unknown layer 'x' in --layers")


def test_density_goes_to_and_from_the_url():
    view = View(DateWindow(dt.date(2024, 7, 1), dt.date(2024, 7, 22)), ("clashes",), "hexagons")
    assert view.to_query()["density"] == "hexagons"
    again, warnings = view_from_query(view.to_query(), SPAN)
    assert again == view and warnings == []
    assert "density" not in View(SPAN, ("clashes",)).to_query()  # auto is the default: not written


def test_unknown_density_falls_back_to_auto_and_says_why():
    view, warnings = view_from_query({"density": "blobs"}, SPAN)
    assert view.density == "auto"
    assert warnings == ["URL parameter density 'blobs' is not one of auto, points, hexagons, heat; it was ignored (auto)."]
