"""The view an analyst shares: a date window and a set of layers, to and from URL parameters.

``?start=YYYY-MM-DD&end=YYYY-MM-DD&layers=flows,clashes&density=hexagons`` restores a view. Bad
values never raise: :func:`view_from_query` returns the nearest valid view and a
warning per problem, each quoting the value and saying what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from frontera.dates import DateWindow
from frontera.schema import DEFAULT_LAYERS, LAYERS

#: How large selections of events are drawn (``density=``): the browser decides from the screen, or always one way.
DENSITY_MODES = ("auto", "points", "hexagons", "heat")


@dataclass(frozen=True)
class View:
    window: DateWindow
    layers: tuple[str, ...]
    density: str = "auto"

    def to_query(self) -> dict[str, str]:
        query = {
            "start": self.window.start.isoformat(),
            "end": self.window.end.isoformat(),
            "layers": ",".join(self.layers),
        }
        if self.density != "auto":
            query["density"] = self.density
        return query


def _first(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value else None
    return str(value)


def _label(name: str, where: str) -> str:
    return f"--{name}" if where == "command line" else f"URL parameter {name}"


def parse_layers(text: str | None, where: str = "URL") -> tuple[tuple[str, ...], list[str]]:
    """``"flows,clashes"`` -> layers in drawing order, plus warnings for unknown names."""
    if text is None:
        return DEFAULT_LAYERS, []
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in LAYERS]
    warnings = [f"Unknown layer {n!r} in {_label('layers', where)} was ignored; layers are {', '.join(LAYERS)}."
                for n in unknown]
    known = tuple(layer for layer in LAYERS if layer in names)
    return known, warnings


def _parse_day(name: str, text: str | None, warnings: list[str], where: str) -> dt.date | None:
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        warnings.append(f"{_label(name, where)} {text!r} is not a date; expected YYYY-MM-DD. It was ignored.")
        return None


def view_from_query(params: Mapping[str, object], span: DateWindow, where: str = "URL") -> tuple[View, list[str]]:
    """Read a view from URL query parameters (or command-line options, ``where="command line"``),
    clamped to ``span`` (the data's dates)."""
    warnings: list[str] = []
    start = _parse_day("start", _first(params.get("start")), warnings, where) or span.start
    end = _parse_day("end", _first(params.get("end")), warnings, where) or span.end
    if end < start:
        warnings.append(
            f"{_label('end', where)} {end.isoformat()} is before start {start.isoformat()}; the two were swapped."
        )
        start, end = end, start
    if start < span.start or end > span.end:
        clamped_start, clamped_end = max(start, span.start), min(end, span.end)
        if clamped_end < clamped_start:
            warnings.append(
                f"Dates {start.isoformat()} to {end.isoformat()} lie outside the data "
                f"({span}); showing the whole span."
            )
            clamped_start, clamped_end = span.start, span.end
        else:
            warnings.append(
                f"Dates {start.isoformat()} to {end.isoformat()} reach past the data ({span}); "
                f"showing {clamped_start.isoformat()} to {clamped_end.isoformat()}."
            )
        start, end = clamped_start, clamped_end
    layers, layer_warnings = parse_layers(_first(params.get("layers")), where)
    warnings.extend(layer_warnings)
    density = (_first(params.get("density")) or "auto").strip().lower()
    if density not in DENSITY_MODES:
        warnings.append(f"{_label('density', where)} {density!r} is not one of {', '.join(DENSITY_MODES)}; "
                        "it was ignored (auto).")
        density = "auto"
    return View(DateWindow(start, end), layers, density), warnings
