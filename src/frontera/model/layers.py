"""The layer registry: every layer Frontera knows, declared once.

A layer's name, titles, colours, legend entry, geometry types, whether it is dated,
how the map draws it, which figures it feeds and which fields its popup and details
show all live in its :class:`Layer` below. The map, legend, popups, timeline,
metrics, exports, search and sidebar read this registry; none of them names a layer.

Adding a layer is one entry in :data:`REGISTRY` (and its data file): a dated layer of
points can reuse the ``"circles"`` draw kind and the event fields.

Pure: imports nothing of Frontera's outside :mod:`frontera.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from frontera.model.text import N_


@dataclass(frozen=True)
class Field:
    """One row of a popup or of the details: its label, the record field and how it is written.

    ``fmt`` names a formatter of :mod:`frontera.popups` (``"text"``, ``"count"``, ``"italic"`` ...).
    """

    label: str
    key: str
    fmt: str = "text"


@dataclass(frozen=True)
class LegendEntry:
    """Where a layer appears in the legend: the section (layers of one section share it, e.g. clashes
    and incidents), the section's rank (lower first) and the rows builder of :mod:`frontera.layers.legend`."""

    section: str
    rank: float
    rows: str


@dataclass(frozen=True)
class Layer:
    """One layer, declared once. ``z`` is the drawing order (bottom first).

    ``draw``: the draw kind the map adapter dispatches on (:mod:`frontera.mapview`).
    ``frame``: the :class:`frontera.model.situation.Situation` attribute an undated layer's features come
    from (dated layers' records are ``situation.records[name]``).
    ``metrics``: the figures above the map this layer feeds: ``"people"`` (displaced, per report),
    ``"fatalities"`` (summed) and ``"count"`` (a figure of its own, titled ``short_title``).
    ``colour_by``/``palette``/``fallback_colour``: a record's colour, by the value of one of its fields.
    """

    name: str
    title: str
    short_title: str
    z: int
    dated: bool
    draw: str
    geometry_types: tuple[str, ...]
    legend: LegendEntry
    colour: str = "#525252"
    colour_by: str = ""
    palette: Mapping[str, str] = field(default_factory=dict)
    fallback_colour: str = "#525252"
    metrics: tuple[str, ...] = ()
    key_fields: tuple[Field, ...] = ()
    detail_fields: tuple[Field, ...] = ()
    frame: str = ""
    css: str = ""
    default: bool = True

    def colour_of(self, value: object) -> str:
        """The colour a record with ``value`` in :attr:`colour_by` is drawn in."""
        return self.palette.get(str(value), self.fallback_colour)


# Plain dicts: they are also written into the page as JSON (frontera.layers.fast).
FLOW_COLOURS: dict[str, str] = {"displaced": "#c2410c", "returned": "#15803d", "sheltered": "#7c3aed"}
EVENT_COLOURS: dict[str, str] = {
    "armed clash": "#b91c1c",
    "attack": "#7f1d1d",
    "violence against civilians": "#db2777",
    "explosion or remote violence": "#ea580c",
    "mass grave or bodies found": "#57534e",
    "road accident involving migrants": "#1d4ed8",
    "migrant incident": "#0e7490",
    "strategic development": "#4d7c0f",
    "protest or riot": "#ca8a04",
}
OPERATION_COLOURS: dict[str, str] = {
    "agreed": "#6d28d9",
    "planned": "#2563eb",
    "announced": "#d97706",
    "under way": "#047857",
}

#: The controlled values the legend and popups name (flow statuses, event kinds, operation statuses and domains,
#: the layers' names in a popup's meta line), marked
#: for translation where they are shown; a value a source wrote otherwise is shown as written.
VOCABULARY: tuple[str, ...] = (
    N_("displaced"),
    N_("returned"),
    N_("sheltered"),
    N_("armed clash"),
    N_("attack"),
    N_("violence against civilians"),
    N_("explosion or remote violence"),
    N_("mass grave or bodies found"),
    N_("road accident involving migrants"),
    N_("migrant incident"),
    N_("strategic development"),
    N_("protest or riot"),
    N_("agreed"),
    N_("planned"),
    N_("announced"),
    N_("under way"),
    N_("joint operation"),
    N_("deployment"),
    N_("meeting"),
    N_("land and air"),
    N_("land"),
    N_("air"),
    N_("flows"),
    N_("clashes"),
    N_("incidents"),
    N_("operations"),
)

EVENT_KEY_FIELDS = (Field(N_("Kind"), "kind"), Field(N_("Fatalities"), "fatalities", "count"))
EVENT_DETAIL_FIELDS = (
    *EVENT_KEY_FIELDS,
    Field(N_("Injured"), "injured", "count_or_blank"),
    Field(N_("Actors"), "actors"),
)
_EVENTS_LEGEND = LegendEntry(N_("Clashes and incidents (size: fatalities)"), 1, "circles")
_PLACES_SECTION = N_("Places and border")

#: Every layer, in record order (dated layers first: the order of exports, the timeline and imports).
REGISTRY: tuple[Layer, ...] = (
    Layer(
        name="flows",
        title=N_("Displacement flows"),
        short_title=N_("Flows"),
        z=2,
        dated=True,
        draw="arrows",
        geometry_types=("LineString", "MultiLineString"),
        legend=LegendEntry(N_("Displacement flows (origin → destination)"), 0, "arrows"),
        colour="#e69f00",
        colour_by="status",
        palette=FLOW_COLOURS,
        metrics=("people",),
        key_fields=(Field(N_("People"), "people", "people_short"), Field(N_("From → to"), "origin_ids", "route")),
        detail_fields=(
            Field(N_("People"), "people", "people_wording"),
            Field(N_("Reports disagree"), "disagrees_with", "disagreement"),
            Field(N_("From → to"), "origin_ids", "route"),
            Field(N_("Status"), "status"),
            Field(N_("Ends"), "origin_ids", "ends"),
        ),
        css="flow",
    ),
    Layer(
        name="clashes",
        title=N_("Clashes"),
        short_title=N_("Clashes"),
        z=3,
        dated=True,
        draw="circles",
        geometry_types=("Point",),
        legend=_EVENTS_LEGEND,
        colour="#b91c1c",
        colour_by="kind",
        palette=EVENT_COLOURS,
        metrics=("fatalities", "count"),
        key_fields=EVENT_KEY_FIELDS,
        detail_fields=EVENT_DETAIL_FIELDS,
        css="clash",
    ),
    Layer(
        name="incidents",
        title=N_("Incidents"),
        short_title=N_("Incidents"),
        z=4,
        dated=True,
        draw="circles",
        geometry_types=("Point",),
        legend=_EVENTS_LEGEND,
        colour="#0e7490",
        colour_by="kind",
        palette=EVENT_COLOURS,
        metrics=("fatalities", "count"),
        key_fields=EVENT_KEY_FIELDS,
        detail_fields=EVENT_DETAIL_FIELDS,
        css="incident",
    ),
    Layer(
        name="operations",
        title=N_("Security operations"),
        short_title=N_("Operations"),
        z=1,
        dated=True,
        draw="areas",
        geometry_types=("Polygon", "MultiPolygon", "Point"),
        legend=LegendEntry(N_("Security operations (filled when selected)"), 2, "areas"),
        colour="#6d28d9",
        colour_by="status",
        palette=OPERATION_COLOURS,
        metrics=("count",),
        key_fields=(Field(N_("Status"), "status"), Field(N_("Domain"), "domain")),
        detail_fields=(
            Field(N_("Status"), "status"),
            Field(N_("Domain"), "domain"),
            Field(N_("Actors"), "actors"),
            Field(N_("Extent"), "extent_note", "italic"),
        ),
        css="operation",
    ),
    Layer(
        name="places",
        title=N_("Places"),
        short_title=N_("Places"),
        z=6,
        dated=False,
        draw="dots",
        geometry_types=("Point",),
        legend=LegendEntry(_PLACES_SECTION, 3.1, "dots"),
        detail_fields=(
            Field(N_("Country"), "country", "country_admin1"),
            Field(N_("Role"), "role"),
            Field(N_("Border"), "border_km", "border_km"),
            Field(N_("Coordinates"), "geometry", "coordinates"),
        ),
        frame="places",
        css="place",
    ),
    Layer(
        name="crossings",
        title=N_("Border crossings"),
        short_title=N_("Crossings"),
        z=5,
        dated=False,
        draw="crossing_marks",
        geometry_types=("Point",),
        legend=LegendEntry(_PLACES_SECTION, 3.0, "crossing_marks"),
        detail_fields=(
            Field(N_("Kind"), "kind", "crossing_kind"),
            Field(N_("Mexican side"), "mx_town", "mx_side"),
            Field(N_("Guatemalan side"), "gt_side", "gt_side"),
            Field(N_("Note"), "note"),
            Field(N_("Placement"), "placement"),
            Field(N_("Town to border"), "town_to_line_km", "town_to_line"),
        ),
        frame="crossings",
        css="crossing",
    ),
    Layer(
        name="border",
        title=N_("Border"),
        short_title=N_("Border"),
        z=0,
        dated=False,
        draw="line",
        geometry_types=("LineString",),
        legend=LegendEntry(_PLACES_SECTION, 3.2, "line"),
        frame="border",
        css="border",
    ),
)

#: Name -> layer.
BY_NAME: Mapping[str, Layer] = MappingProxyType({spec.name: spec for spec in REGISTRY})
#: Every layer name, in drawing order (bottom first).
LAYERS: tuple[str, ...] = tuple(spec.name for spec in sorted(REGISTRY, key=lambda s: s.z))
#: Layers whose records have dates and obey the date filter (record order).
TIME_LAYERS: tuple[str, ...] = tuple(spec.name for spec in REGISTRY if spec.dated)
#: Layers that are always true (not time-bound).
STATIC_LAYERS: tuple[str, ...] = tuple(spec.name for spec in REGISTRY if not spec.dated)
#: Layers shown when the URL names none (drawing order).
DEFAULT_LAYERS: tuple[str, ...] = tuple(name for name in LAYERS if BY_NAME[name].default)
#: Geometry types each time-bound layer can draw.
LAYER_GEOMETRY_TYPES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {spec.name: spec.geometry_types for spec in REGISTRY if spec.dated}
)


def layer(name: str) -> Layer:
    """The layer called ``name``.

    >>> layer("clashes").title
    'Clashes'
    """
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"{name!r} is not one of the layers {', '.join(LAYERS)}") from None


def feeding(metric: str) -> tuple[Layer, ...]:
    """The dated layers that feed ``metric`` (``"people"``, ``"fatalities"``, ``"count"``), in record order.

    >>> [spec.name for spec in feeding("fatalities")]
    ['clashes', 'incidents']
    """
    return tuple(spec for spec in REGISTRY if metric in spec.metrics)


def drawn_with(draw: str) -> tuple[Layer, ...]:
    """The layers drawn with the draw kind ``draw``."""
    return tuple(spec for spec in REGISTRY if spec.draw == draw)


def titles() -> dict[str, str]:
    """Name -> title, in drawing order (the sidebar's checkboxes)."""
    return {name: BY_NAME[name].title for name in LAYERS}


def dataset_tag(import_id: str) -> str:
    """The ``dataset`` value of the records an import added: ``"import:<id>"``.

    >>> dataset_tag("20240801-acled")
    'import:20240801-acled'
    """
    return f"import:{import_id}"


#: What separates a record's id from the rest of its tooltip (ids may hold ":", e.g. ``"<import>:<row>"``).
ID_SEPARATOR = ": "
_MAX_ID = 120


def record_tip(record_id: object, text: str) -> str:
    """A feature's tooltip: the record's id, then ``text``. :func:`record_id_from_tip` reads the id back.

    The clicked feature's tooltip is what the map hands back (streamlit-folium), so this pair is the one
    place the clicked record's id travels through. Both sides see the same text: the id is written as
    given here and escaped for HTML by the caller.

    >>> record_tip("F1", "400 people")
    'F1: 400 people'
    """
    return f"{record_id}{ID_SEPARATOR}{text}"


def record_id_from_tip(tip: str | None) -> str | None:
    """The record id a tooltip made by :func:`record_tip` starts with, or None.

    >>> record_id_from_tip("imp-3:12: 400 people, A → B")
    'imp-3:12'
    >>> record_id_from_tip("Amatenango de la Frontera") is None
    True
    """
    text = tip or ""
    start = 0
    while True:
        at = text.find(":", start)
        if at < 1 or at > _MAX_ID:
            return None
        head = text[:at]
        if any(ch.isspace() for ch in head):
            return None
        if text[at + 1 : at + 2].isspace():
            return head
        start = at + 1
