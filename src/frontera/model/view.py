"""The view an analyst shares: a date window, a set of layers and the record selected, to and from URL parameters.

``?start=YYYY-MM-DD&end=YYYY-MM-DD&layers=flows,clashes&selected=C1&density=hexagons`` restores a
view. Bad values never raise: :func:`view_from_query` returns the nearest valid
view and a warning per problem, each quoting the value and saying what was expected.

To add a part to the view (a filter, a density mode): give :class:`View` a field
with a default, write it in :meth:`View.to_query`, read it in :func:`view_from_query`
and name its URL parameter in :data:`QUERY_KEYS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from frontera.model.dates import DateWindow
from frontera.model.focus import FOCUS_KEYS, Focus, focus_from_query
from frontera.model.records import DEFAULT_LAYERS, LAYERS
from frontera.model.text import N_, Worded

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


def _first(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else None
    return str(value)


def _label(name: str, where: str) -> str:
    return f"--{name}" if where == "command line" else Worded(N_("URL parameter {name}"), name=name)


def parse_layers(text: str | None, where: str = "URL") -> tuple[tuple[str, ...], list[str]]:
    """``"flows,clashes"`` -> layers in drawing order, plus warnings for unknown names."""
    if text is None:
        return tuple(layer for layer in LAYERS if layer in DEFAULT_LAYERS), []
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in LAYERS]
    warnings: list[str] = [
        Worded(
            N_("Unknown layer {value} in {label} was ignored; layers are {known}."),
            value=repr(n),
            label=_label("layers", where),
            known=", ".join(LAYERS),
        )
        for n in unknown
    ]
    known = tuple(layer for layer in LAYERS if layer in names)
    return known, warnings


def _parse_day(name: str, text: str | None, warnings: list[str], where: str) -> dt.date | None:
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        warnings.append(
            Worded(
                N_("{label} {value} is not a date; expected YYYY-MM-DD. It was ignored."),
                label=_label(name, where),
                value=repr(text),
            )
        )
        return None


def view_from_query(params: Mapping[str, object], span: DateWindow, where: str = "URL") -> tuple[View, list[str]]:
    """Read a view from URL query parameters (or command-line options, ``where="command line"``),
    clamped to ``span`` (the data's dates)."""
    warnings: list[str] = []
    start = _parse_day("start", _first(params.get("start")), warnings, where) or span.start
    end = _parse_day("end", _first(params.get("end")), warnings, where) or span.end
    if end < start:
        warnings.append(
            Worded(
                N_("{label} {end} is before start {start}; the two were swapped."),
                label=_label("end", where),
                end=end.isoformat(),
                start=start.isoformat(),
            )
        )
        start, end = end, start
    if start < span.start or end > span.end:
        clamped_start, clamped_end = max(start, span.start), min(end, span.end)
        if clamped_end < clamped_start:
            warnings.append(
                Worded(
                    N_("Dates {start} to {end} lie outside the data ({span}); showing the whole span."),
                    start=start.isoformat(),
                    end=end.isoformat(),
                    span=str(span),
                )
            )
            clamped_start, clamped_end = span.start, span.end
        else:
            warnings.append(
                Worded(
                    N_("Dates {start} to {end} reach past the data ({span}); showing {shown_start} to {shown_end}."),
                    start=start.isoformat(),
                    end=end.isoformat(),
                    span=str(span),
                    shown_start=clamped_start.isoformat(),
                    shown_end=clamped_end.isoformat(),
                )
            )
        start, end = clamped_start, clamped_end
    layers, layer_warnings = parse_layers(_first(params.get("layers")), where)
    warnings.extend(layer_warnings)
    selected = _parse_selected(_first(params.get("selected")), warnings, where)
    density = (_first(params.get("density")) or "auto").strip().lower()
    if density not in DENSITY_MODES:
        warnings.append(
            Worded(
                N_("{label} {value} is not one of {known}; it was ignored (auto)."),
                label=_label("density", where),
                value=repr(density),
                known=", ".join(DENSITY_MODES),
            )
        )
        density = "auto"
    focus = focus_from_query(params, warnings, where)
    return View(DateWindow(start, end), layers, selected, density, focus), warnings


def _parse_selected(text: str | None, warnings: list[str], where: str) -> str | None:
    if not text:
        return None
    if not _RECORD_ID.match(text):
        warnings.append(
            Worded(
                N_(
                    "{label} {value} is not a record id (letters, digits, '-', '_', '.', ':'; up to 120); "
                    "no record was selected."
                ),
                label=_label("selected", where),
                value=repr(text[:80]),
            )
        )
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
