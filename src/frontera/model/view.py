"""The view an analyst shares: a date window, a set of layers and the record selected, to and from URL parameters.

``?start=YYYY-MM-DD&end=YYYY-MM-DD&layers=flows,clashes&selected=C1&density=hexagons`` restores a
view. Bad values never raise: :func:`view_from_query` returns the nearest valid
view and a warning per problem (a :class:`~frontera.model.view_warning.ViewWarning`), each quoting the value
and saying what was expected.

To add a part to the view (a filter, a density mode): give :class:`View` a field
with a default, write it in :meth:`View.to_query`, read it in :func:`view_from_query`
and name its URL parameter in :data:`QUERY_KEYS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from frontera.model.dates import EARLIEST, LATEST, DateWindow
from frontera.model.focus import FOCUS_KEYS, Focus, first_query_value, focus_from_query
from frontera.model.records import DEFAULT_LAYERS, LAYERS
from frontera.model.text import N_, Worded
from frontera.model.view_warning import ViewWarning

#: How large selections of events are drawn (``density=``): the browser decides from the screen, or always one way.
DENSITY_MODES = ("auto", "points", "hexagons", "heat")


#: The URL parameters a view owns (and so writes on every page).
QUERY_KEYS = ("start", "end", "layers", "selected", "density", *FOCUS_KEYS)
#: A record id as the data has them: "C1", "MEX12345", "20261127-ab12:3" (imported rows).
_RECORD_ID = re.compile(r"^[\w.:-]{1,120}$")


@dataclass(frozen=True)
class View:
    window: DateWindow
    layers: tuple[str, ...]
    selected: str | None = None  # the record whose details are shown (a map or timeline click)
    density: str = "auto"
    focus: Focus = field(default_factory=Focus)  # kind, actor, deaths, source, precisions (frontera.model.focus)

    def to_query(self) -> dict[str, str]:
        query = {
            "start": self.window.start.isoformat(),
            "end": self.window.end.isoformat(),
            "layers": ",".join(self.layers),
        }
        if self.selected:
            query["selected"] = self.selected
        if self.density != "auto":
            query["density"] = self.density
        query.update(self.focus.to_query())
        return query

    def with_selected(self, record_id: str | None) -> View:
        return replace(self, selected=record_id or None)


def parse_layers(text: str | None, where: str = "URL") -> tuple[tuple[str, ...], list[ViewWarning]]:
    """``"flows,clashes"`` -> layers in drawing order, plus warnings for unknown names."""
    if text is None:
        return tuple(layer for layer in LAYERS if layer in DEFAULT_LAYERS), []
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in LAYERS]
    warnings = [ViewWarning("layers", n, ", ".join(LAYERS), N_("ignored"), "unknown_layer", where) for n in unknown]
    known = tuple(layer for layer in LAYERS if layer in names)
    return known, warnings


def _parse_day(name: str, text: str | None, warnings: list[ViewWarning], where: str) -> dt.date | None:
    if text is None or text == "":
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        warnings.append(ViewWarning(name, text, N_("YYYY-MM-DD"), N_("It was ignored"), "not_a_date", where))
        return None
    if not EARLIEST <= day <= LATEST:
        between = Worded(N_("a day between {first} and {last}"), first=EARLIEST.isoformat(), last=LATEST.isoformat())
        warnings.append(ViewWarning(name, text, between, N_("It was ignored"), "too_far", where))
        return None
    return day


def view_from_query(
    params: Mapping[str, object], span: DateWindow, where: str = "URL"
) -> tuple[View, list[ViewWarning]]:
    """Read a view from URL query parameters (or command-line options, ``where="command line"``).

    A missing date is the data's (``span``); any valid window is taken as it is, inside the data
    or not (before it, after it, up to today): one with nothing in it is an empty map, not an error.
    """
    warnings: list[ViewWarning] = []
    given_start = _parse_day("start", first_query_value(params.get("start")), warnings, where)
    given_end = _parse_day("end", first_query_value(params.get("end")), warnings, where)
    # One end given outside the data: the other is that same day, not the data's (no swap to explain).
    start = given_start or (min(span.start, given_end) if given_end else span.start)
    end = given_end or (max(span.end, given_start) if given_start else span.end)
    if end < start:
        swapped = ViewWarning(
            "end", end.isoformat(), start.isoformat(), N_("the two were swapped"), "before_start", where
        )
        warnings.append(swapped)
        start, end = end, start
    layers, layer_warnings = parse_layers(first_query_value(params.get("layers")), where)
    warnings.extend(layer_warnings)
    selected = _parse_selected(first_query_value(params.get("selected")), warnings, where)
    density = (first_query_value(params.get("density")) or "auto").strip().lower()
    if density not in DENSITY_MODES:
        modes = Worded(N_("one of {choices}"), choices=", ".join(DENSITY_MODES))
        warnings.append(ViewWarning("density", density, modes, N_("it was ignored (auto)"), where=where))
        density = "auto"
    focus = focus_from_query(params, warnings, where)
    return View(DateWindow(start, end), layers, selected, density, focus), warnings


def _parse_selected(text: str | None, warnings: list[ViewWarning], where: str) -> str | None:
    if not text:
        return None
    if not _RECORD_ID.match(text):
        expected = N_("a record id (letters, digits, '-', '_', '.', ':'; up to 120)")
        warnings.append(ViewWarning("selected", text[:80], expected, N_("no record was selected"), where=where))
        return None
    return text


def resolve_selection(
    selected: str | None, clicked: str | None, last_click: str | None, shown: set[str] | frozenset[str]
) -> str | None:
    """Which record's details to show after a run.

    A click on the map that was not seen before wins over the view's selection (which
    may come from a link or the timeline); a record no longer shown (``shown`` is the
    ids the view shows) is let go, so no details stay on screen for it.

    >>> resolve_selection("C1", "F1", None, {"C1", "F1"})
    'F1'
    >>> resolve_selection("C1", "F1", "F1", {"C1", "F1"})  # the same old click: the timeline's pick stays
    'C1'
    >>> resolve_selection("C1", None, None, {"F1"}) is None  # C1 left the view
    True
    """
    chosen = clicked if clicked and clicked != last_click else selected
    return chosen if chosen in shown else None
