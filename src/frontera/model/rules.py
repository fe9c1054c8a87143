"""Every rule a time-bound record obeys, declared once, as data.

One row of :data:`RULES` is one rule: the field it is about, the vectorised test
that checks it (a name the engine in :mod:`frontera.model.validate` knows, and its
arguments), what a good value looks like and how to mend a bad one. The engine
checks a whole frame against this table; the importers, the native reader and the
bundled-data test all use it, so a rule or a limit changes here and nowhere else.

``expected`` may name, in braces, a fact of the failing row that the engine fills
in: ``{first}`` (the first row with the same id), ``{start}`` (the row's start
date), ``{allowed}`` and ``{layer}`` (what the row's layer draws), ``{what}`` (what
the id is called in the file being read).

>>> RULE["id-unique"].expected
'a unique {what} (row {first} has it too)'
"""

from __future__ import annotations

from dataclasses import dataclass

from frontera.model.records import (
    DATE_PRECISIONS,
    FLOW_STATUSES,
    GEO_PRECISIONS,
    OPERATION_DOMAINS,
    OPERATION_STATUSES,
    REGION_BOUNDS,
    TIME_LAYERS,
    WARN_BOUNDS,
)

#: Longest id and title (characters).
MAX_ID_CHARS = 120
MAX_TITLE_CHARS = 300
#: Largest uncertainty radius (km) and largest count a record may carry.
MAX_UNCERTAINTY_KM = 500.0
MAX_COUNT = 1e12

DATE_EXPECTED = "a date like 2024-06-28, 28 June 2024 or 28-Jun-24"
WHOLE_NUMBER = "a whole number >= 0"

#: Stages: a row rejected by a geometry rule is not checked further (one clear problem is enough).
GEOMETRY, RECORD = 0, 1


@dataclass(frozen=True)
class Rule:
    """One rule: ``check(args)`` must hold for ``field`` in rows of ``layers`` (all layers when empty).

    ``show`` says how the bad value is quoted: ``cell`` (as given), ``short`` (the first 40
    characters), ``blank`` (an empty text), ``wkt`` / ``bounds`` (a geometry), ``pair``
    (origin → destination) or ``unknown`` (the ids that are not known). ``warn`` rules keep the
    row and report a warning; ``needs`` names the context a rule needs (skipped without it).
    """

    name: str
    field: str
    check: str
    expected: str
    fix: str = ""
    args: tuple = ()
    layers: tuple[str, ...] = ()
    show: str = "cell"
    warn: bool = False
    needs: str = ""
    stage: int = RECORD


def _one_of(values: tuple[str, ...]) -> str:
    return f"one of {', '.join(values)}"


RULES: tuple[Rule, ...] = (
    # geometry, in the order a geometry is looked at: each applies only where the ones before passed
    Rule(
        "geometry-present",
        "geometry",
        "geometry",
        "a geometry (a point, or a line for flows; only operations may have none)",
        args=("missing",),
        show="empty",
        stage=GEOMETRY,
    ),
    Rule(
        "geometry-finite",
        "geometry",
        "geometry",
        "coordinates that are numbers (this geometry has NaN or infinite coordinates)",
        "give the real longitude and latitude, or leave the row out",
        args=("nonfinite",),
        show="wkt",
        stage=GEOMETRY,
    ),
    Rule(
        "geometry-type",
        "geometry",
        "geometry",
        "a {allowed} for the layer '{layer}' (it is drawn as one)",
        "convert or split the geometry, e.g. in QGIS",
        args=("type",),
        show="wkt",
        stage=GEOMETRY,
    ),
    Rule(
        "geometry-valid",
        "geometry",
        "geometry",
        "a valid geometry (no self-intersections)",
        "repair it, e.g. with QGIS 'Fix geometries'",
        args=("invalid",),
        show="wkt",
        stage=GEOMETRY,
    ),
    Rule(
        "region",
        "geometry",
        "geometry",
        f"a place in southern Mexico or Central America, inside {WARN_BOUNDS} (lon, lat)",
        "check the coordinates or leave this row out",
        args=("far",),
        show="bounds",
        stage=GEOMETRY,
    ),
    Rule(
        "region-shown",
        "geometry",
        "geometry",
        f"a place inside the map region {REGION_BOUNDS} (lon, lat)",
        "kept, but it lies outside the region shown",
        args=("outside",),
        show="bounds",
        warn=True,
        stage=GEOMETRY,
    ),
    # the record's fields
    Rule("layer", "layer", "one_of", _one_of(TIME_LAYERS), args=(TIME_LAYERS,)),
    Rule("id-required", "id", "required", "an id (any text, unique in the file)"),
    Rule(
        "id-length",
        "id",
        "max_length",
        f"an id of at most {MAX_ID_CHARS} characters",
        args=(MAX_ID_CHARS,),
        show="short",
    ),
    Rule("id-unique", "id", "unique", "a unique {what} (row {first} has it too)"),
    Rule("title-required", "title", "required", "a title (a short line saying what happened)"),
    Rule(
        "title-length",
        "title",
        "max_length",
        f"a title of at most {MAX_TITLE_CHARS} characters",
        args=(MAX_TITLE_CHARS,),
        show="short",
    ),
    Rule("date-precision", "date_precision", "one_of", _one_of(DATE_PRECISIONS), args=(DATE_PRECISIONS,)),
    Rule("geo-precision", "geo_precision", "one_of", _one_of(GEO_PRECISIONS), args=(GEO_PRECISIONS,)),
    Rule("sources-required", "source_ids", "required", "at least one source id (who reported it)", show="blank"),
    Rule(
        "sources-known",
        "source_ids",
        "known",
        "an id from geodata/sources.csv",
        args=("source_ids",),
        show="unknown",
        needs="source_ids",
    ),
    Rule("date-start-required", "date_start", "required", f"{DATE_EXPECTED} (it is required)"),
    Rule("date-start", "date_start", "date", DATE_EXPECTED),
    Rule("date-end", "date_end", "date", f"{DATE_EXPECTED}, or empty (ongoing)"),
    Rule(
        "date-order",
        "date_end",
        "not_before",
        "a date on or after date_start {start}",
        "swap them or fix one",
        args=("date_start",),
    ),
    *(
        Rule(f"{c}-count", c, "whole_number", WHOLE_NUMBER, args=(MAX_COUNT,))
        for c in ("people", "fatalities", "injured")
    ),
    Rule(
        "uncertainty",
        "uncertainty_km",
        "between",
        f"a distance in km from 0 to {MAX_UNCERTAINTY_KM:g}",
        args=(0.0, MAX_UNCERTAINTY_KM),
    ),
    Rule("flow-status", "status", "one_of", _one_of(FLOW_STATUSES), args=(FLOW_STATUSES,), layers=("flows",)),
    Rule(
        "operation-status",
        "status",
        "one_of",
        _one_of(OPERATION_STATUSES),
        args=(OPERATION_STATUSES,),
        layers=("operations",),
    ),
    Rule(
        "operation-domain",
        "domain",
        "one_of_or_empty",
        f"{_one_of(OPERATION_DOMAINS)}, or empty",
        args=(OPERATION_DOMAINS,),
        layers=("operations",),
    ),
    Rule(
        "flow-ends",
        "origin_ids/destination_id",
        "both_present",
        "a place id for the origin and for the destination",
        args=("origin_ids", "destination_id"),
        layers=("flows",),
        show="pair",
    ),
    Rule(
        "flow-ends-known",
        "origin_ids/destination_id",
        "known",
        "an id from places",
        args=("origin_ids", "destination_id"),
        layers=("flows",),
        show="unknown",
        needs="place_ids",
    ),
)

#: Rules by name.
RULE: dict[str, Rule] = {r.name: r for r in RULES}
#: Fields a frame of records must have as columns.
REQUIRED_FIELDS: tuple[str, ...] = (
    "layer",
    "id",
    "title",
    "date_start",
    "date_precision",
    "geo_precision",
    "source_ids",
)
