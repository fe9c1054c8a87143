"""The look of every layer: kept here for the map modules that import it from ``frontera.layers``.

The values live in :mod:`frontera.features.style` (pure: the feature builders read them too).
"""

from frontera.features.style import (
    ARROW_MAX_PX,
    BORDER_COLOUR,
    CROSSING_INFORMAL_COLOUR,
    CROSSING_OFFICIAL_COLOUR,
    EVENT_COLOURS,
    EVENT_FALLBACK_COLOUR,
    FLOW_COLOURS,
    FLOW_MIN_WEIGHT,
    OPERATION_COLOURS,
    OPERATION_FALLBACK_COLOUR,
    arrow_size,
    event_colour,
    event_radius,
    flow_weight,
)

__all__ = [
    "ARROW_MAX_PX",
    "BORDER_COLOUR",
    "CROSSING_INFORMAL_COLOUR",
    "CROSSING_OFFICIAL_COLOUR",
    "EVENT_COLOURS",
    "EVENT_FALLBACK_COLOUR",
    "FLOW_COLOURS",
    "FLOW_MIN_WEIGHT",
    "OPERATION_COLOURS",
    "OPERATION_FALLBACK_COLOUR",
    "arrow_size",
    "event_colour",
    "event_radius",
    "flow_weight",
]
