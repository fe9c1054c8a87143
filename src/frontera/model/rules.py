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
from frontera.model.text import N_, Worded

#: Longest id and title (characters).
MAX_ID_CHARS = 120
MAX_TITLE_CHARS = 300
#: Largest uncertainty radius (km) and largest count a record may carry.
MAX_UNCERTAINTY_KM = 500.0
MAX_COUNT = 1e12

DATE_EXPECTED = N_("a date like 2024-06-28, 28 June 2024 or 28-Jun-24")
WHOLE_NUMBER = N_("a whole number >= 0")

ONE_OF = N_("one of {values}")

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
    given: tuple[tuple[str, object], ...] = ()  # facts of the rule itself that fill ``expected``


def _one_of(values: tuple[str, ...]) -> tuple[tuple[str, object], ...]:
    """The ``given`` of a rule whose ``expected`` names ``{values}``."""
    return (("values", ", ".join(values)),)


RULES: tuple[Rule, ...] = (
    # geometry, in the order a geometry is looked at: each applies only where the ones before passed
    Rule(
        "geometry-present",
        "geometry",
        "geometry",
        N_("a geometry (a point, or a line for flows; only operations may have none)"),
        args=("missing",),
        show="empty",
        stage=GEOMETRY,
    ),
    Rule(
        "geometry-finite",
        "geometry",
        "geometry",
        N_("coordinates that are numbers (this geometry has NaN or infinite coordinates)"),
        N_("give the real longitude and latitude, or leave the row out"),
        args=("nonfinite",),
        show="wkt",
        stage=GEOMETRY,
    ),
    Rule(
        "geometry-type",
        "geometry",
        "geometry",
        N_("a {allowed} for the layer '{layer}' (it is drawn as one)"),
        N_("convert or split the geometry, e.g. in QGIS"),
        args=("type",),
        show="wkt",
        stage=GEOMETRY,
    ),
    Rule(
        "geometry-valid",
        "geometry",
        "geometry",
        N_("a valid geometry (no self-intersections)"),
        N_("repair it, e.g. with QGIS 'Fix geometries'"),
        args=("invalid",),
        show="wkt",
        stage=GEOMETRY,
    ),
    Rule(
        "region",
        "geometry",
        "geometry",
        N_("a place in southern Mexico or Central America, inside {bounds} (lon, lat)"),
        N_("check the coordinates or leave this row out"),
        args=("far",),
        given=(("bounds", WARN_BOUNDS),),
        show="bounds",
        stage=GEOMETRY,
    ),
    Rule(
        "region-shown",
        "geometry",
        "geometry",
        N_("a place inside the map region {bounds} (lon, lat)"),
        N_("kept, but it lies outside the region shown"),
        args=("outside",),
        given=(("bounds", REGION_BOUNDS),),
        show="bounds",
        warn=True,
        stage=GEOMETRY,
    ),
    # the record's fields
    Rule("layer", "layer", "one_of", ONE_OF, args=(TIME_LAYERS,), given=_one_of(TIME_LAYERS)),
    Rule("id-required", "id", "required", N_("an id (any text, unique in the file)")),
    Rule(
        "id-length",
        "id",
        "max_length",
        N_("an id of at most {n} characters"),
        args=(MAX_ID_CHARS,),
        given=(("n", MAX_ID_CHARS),),
        show="short",
    ),
    Rule("id-unique", "id", "unique", N_("a unique {what} (row {first} has it too)")),
    Rule("title-required", "title", "required", N_("a title (a short line saying what happened)")),
    Rule(
        "title-length",
        "title",
        "max_length",
        N_("a title of at most {n} characters"),
        args=(MAX_TITLE_CHARS,),
        given=(("n", MAX_TITLE_CHARS),),
        show="short",
    ),
    Rule(
        "date-precision",
        "date_precision",
        "one_of",
        ONE_OF,
        args=(DATE_PRECISIONS,),
        given=_one_of(DATE_PRECISIONS),
    ),
    Rule("geo-precision", "geo_precision", "one_of", ONE_OF, args=(GEO_PRECISIONS,), given=_one_of(GEO_PRECISIONS)),
    Rule("sources-required", "source_ids", "required", N_("at least one source id (who reported it)"), show="blank"),
    Rule(
        "sources-known",
        "source_ids",
        "known",
        N_("an id from geodata/sources.csv"),
        args=("source_ids",),
        show="unknown",
        needs="source_ids",
    ),
    Rule(
        "date-start-required",
        "date_start",
        "required",
        N_("a date like 2024-06-28, 28 June 2024 or 28-Jun-24 (it is required)"),
    ),
    Rule("date-start", "date_start", "date", DATE_EXPECTED),
    Rule("date-end", "date_end", "date", N_("a date like 2024-06-28, 28 June 2024 or 28-Jun-24, or empty (ongoing)")),
    Rule(
        "date-order",
        "date_end",
        "not_before",
        N_("a date on or after date_start {start}"),
        N_("swap them or fix one"),
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
        N_("a distance in km from 0 to {n}"),
        args=(0.0, MAX_UNCERTAINTY_KM),
        given=(("n", f"{MAX_UNCERTAINTY_KM:g}"),),
    ),
    Rule(
        "flow-status",
        "status",
        "one_of",
        ONE_OF,
        args=(FLOW_STATUSES,),
        layers=("flows",),
        given=_one_of(FLOW_STATUSES),
    ),
    Rule(
        "operation-status",
        "status",
        "one_of",
        ONE_OF,
        args=(OPERATION_STATUSES,),
        layers=("operations",),
        given=_one_of(OPERATION_STATUSES),
    ),
    Rule(
        "operation-domain",
        "domain",
        "one_of_or_empty",
        N_("one of {values}, or empty"),
        args=(OPERATION_DOMAINS,),
        layers=("operations",),
        given=_one_of(OPERATION_DOMAINS),
    ),
    Rule(
        "flow-ends",
        "origin_ids/destination_id",
        "both_present",
        N_("a place id for the origin and for the destination"),
        args=("origin_ids", "destination_id"),
        layers=("flows",),
        show="pair",
    ),
    Rule(
        "flow-ends-known",
        "origin_ids/destination_id",
        "known",
        N_("an id from places"),
        args=("origin_ids", "destination_id"),
        layers=("flows",),
        show="unknown",
        needs="place_ids",
    ),
)


def expected_of(rule: Rule) -> str:
    """What ``rule`` expects, filled with its own facts (for a check outside the engine)."""
    return Worded(rule.expected, **dict(rule.given)) if rule.given else rule.expected


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
