import datetime as dt

from frontera.model.dates import DateWindow
from frontera.model.records import DEFAULT_LAYERS, LAYERS
from frontera.model.view import View, view_from_query

SPAN = DateWindow(dt.date(2023, 10, 1), dt.date(2024, 8, 31))


def test_empty_query_is_the_whole_span_with_every_layer():
    view, warnings = view_from_query({}, SPAN)
    assert view == View(SPAN, tuple(layer for layer in LAYERS if layer in DEFAULT_LAYERS)) and warnings == []
    assert set(view.layers) == set(DEFAULT_LAYERS) and view.selected is None


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


def test_any_valid_window_is_taken_as_it_is():
    # Issue 13: a window past the data (up to today and beyond) or before it is kept, not clamped.
    view, warnings = view_from_query({"start": "2020-01-01", "end": "2030-01-01"}, SPAN)
    assert view.window == DateWindow(dt.date(2020, 1, 1), dt.date(2030, 1, 1)) and warnings == []
    view, warnings = view_from_query({"start": "2024-09-01", "end": "2024-09-30"}, SPAN)
    assert view.window == DateWindow(dt.date(2024, 9, 1), dt.date(2024, 9, 30)) and warnings == []


def test_one_end_outside_the_data_keeps_the_window_one_day_long():
    assert view_from_query({"start": "2026-11-01"}, SPAN)[0].window == DateWindow(
        dt.date(2026, 11, 1), dt.date(2026, 11, 1)
    )
    assert view_from_query({"end": "2020-01-01"}, SPAN)[0].window == DateWindow(
        dt.date(2020, 1, 1), dt.date(2020, 1, 1)
    )
    assert view_from_query({"start": "2024-08-01"}, SPAN)[0].window == DateWindow(dt.date(2024, 8, 1), SPAN.end)


def test_a_day_far_from_our_times_is_refused():
    view, warnings = view_from_query({"start": "0224-07-01"}, SPAN)
    assert view.window == SPAN
    assert warnings == [
        "URL parameter start '0224-07-01' is too far from our times; expected a day between 1900-01-01 "
        "and 2199-12-31. It was ignored."
    ]


def test_unparseable_date_falls_back_to_the_span():
    view, warnings = view_from_query({"end": "yesterday"}, SPAN)
    assert view.window.end == SPAN.end
    assert warnings == ["URL parameter end 'yesterday' is not a date; expected YYYY-MM-DD. It was ignored."]


def test_command_line_wording():
    _, warnings = view_from_query({"layers": "x"}, SPAN, where="command line")
    assert warnings[0].startswith("Unknown layer 'x' in --layers")


def test_selected_record_round_trips_and_bad_ids_are_refused():
    view, warnings = view_from_query({"selected": "C1", "layers": "clashes"}, SPAN)
    assert view.selected == "C1" and warnings == []
    assert view.to_query()["selected"] == "C1"
    assert view_from_query(view.to_query(), SPAN)[0] == view
    assert "selected" not in view.with_selected(None).to_query()
    view, warnings = view_from_query({"selected": "x'); alert(1)//"}, SPAN)
    assert view.selected is None and "is not a record id" in warnings[0]
    assert view_from_query({"selected": "20261127-ab12:3"}, SPAN)[0].selected == "20261127-ab12:3"


def test_resolve_selection():
    from frontera.model.view import resolve_selection

    shown = {"C1", "F1"}
    assert resolve_selection(None, "F1", None, shown) == "F1"  # a first click
    assert resolve_selection("C1", "F1", "F1", shown) == "C1"  # the map's old click does not undo a timeline pick
    assert resolve_selection("C1", "F1", "C1", shown) == "F1"  # a new click wins
    assert resolve_selection("C1", None, "F1", {"F1"}) is None  # C1 left the view: no stale details
    assert resolve_selection(None, "C1", "C1", shown) is None  # let go before: the old click does not bring it back


def test_density_goes_to_and_from_the_url():
    view = View(DateWindow(dt.date(2024, 7, 1), dt.date(2024, 7, 22)), ("clashes",), density="hexagons")

    assert view.to_query()["density"] == "hexagons"
    again, warnings = view_from_query(view.to_query(), SPAN)
    assert again == view and warnings == []
    assert "density" not in View(SPAN, ("clashes",)).to_query()  # auto is the default: not written


def test_unknown_density_falls_back_to_auto_and_says_why():
    view, warnings = view_from_query({"density": "blobs"}, SPAN)
    assert view.density == "auto"
    assert warnings == [
        "URL parameter density 'blobs' is not one of auto, points, hexagons, heat; it was ignored (auto)."
    ]


def test_shown_ids_among_a_few_candidates_is_the_full_set_cut_to_them():
    import pandas as pd

    from frontera.ui.controls import shown_ids

    visible = {"clashes": pd.DataFrame({"id": ["C1", "C2", "C3"]}), "flows": pd.DataFrame({"id": ["F1"]}), "x": []}
    visible["incidents"] = pd.DataFrame({"id": pd.Series([], dtype=str)})
    assert shown_ids(visible) == {"C1", "C2", "C3", "F1"}
    assert shown_ids(visible, {"C2", "F1", "gone"}) == {"C2", "F1"}
    assert shown_ids(visible, set()) == set()
