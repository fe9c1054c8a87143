"""The look of every layer, as data: colours, sizes, dash patterns. The legend reads the same values.

The colours of records by kind or status are declared with their layer (:mod:`frontera.model.layers`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from frontera.model.layers import EVENT_COLOURS as EVENT_COLOURS
from frontera.model.layers import FLOW_COLOURS as FLOW_COLOURS
from frontera.model.layers import OPERATION_COLOURS as OPERATION_COLOURS

EVENT_FALLBACK_COLOUR = "#525252"
OPERATION_FALLBACK_COLOUR = "#525252"
BORDER_COLOUR = "#3f3f46"
CROSSING_OFFICIAL_COLOUR = "#0f172a"
CROSSING_INFORMAL_COLOUR = "#ea580c"


@dataclass(frozen=True)
class FlowStyle:
    colour: str
    weight: float
    dash: str | None


def _positive(value: Any) -> float:
    """``value`` as a number, or 0.0 when it is missing, not a number, or not positive."""
    try:
        n = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(n) or n <= 0 else n


#: Narrowest flow line (px): readable at regional zoom, where a flow is only a few dozen px long.
FLOW_MIN_WEIGHT = 3.0
#: Largest arrowhead (px): the biggest flow's head must not hide its destination at regional zoom.
ARROW_MAX_PX = 18


def flow_weight(people: object) -> float:
    """Line width in px: grows with the log of the number of people (61 -> 5.2, 400 -> 7.2, 4,187 -> 9.8).

    >>> flow_weight(None)
    3.0
    """
    return round(FLOW_MIN_WEIGHT + 2.6 * math.log10(1.0 + _positive(people) / 10.0), 1)


def arrow_size(weight: float) -> int:
    """Arrowhead length in px for a line ``weight`` px wide, capped at ``ARROW_MAX_PX``.

    >>> arrow_size(3.0), arrow_size(9.8)
    (11, 18)
    """
    return int(min(ARROW_MAX_PX, round(8 + weight)))


def event_radius(fatalities: object) -> float:
    """Circle radius in px: 5 for zero or unknown (still visible), growing with the square root of deaths."""
    return round(5.0 + 2.2 * math.sqrt(_positive(fatalities)), 1)


def event_colour(kind: str) -> str:
    return EVENT_COLOURS.get(kind, EVENT_FALLBACK_COLOUR)
