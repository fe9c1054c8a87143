"""The one engine that checks a whole frame of records against :data:`~frontera.model.rules.RULES`.

validate → report: each rule becomes a pandera check on its field's column (vectorised, every
row at once); pandera collects the failure cases lazily, each with its row and column, and
they become :class:`~frontera.model.records.Problem` objects naming the file, the row, the
field, the value, what was expected and the fix.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"layer": ["clashes"], "id": ["C9"], "title": ["t"], "date_start": ["2024-07-01"],
    ...                       "date_precision": ["day"], "geo_precision": ["town"], "source_ids": [""]})
    >>> [str(p) for p in check_records(frame, file="c.csv").problems]
    ["c.csv row 1, field 'source_ids': got '', expected at least one source id (who reported it)"]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from frontera.model.records import LAYER_GEOMETRY_TYPES, REGION_BOUNDS, WARN_BOUNDS, Problem
from frontera.model.rules import GEOMETRY, RECORD, REQUIRED_FIELDS, RULES, Rule

#: Geometry states, one per row (see :func:`geometry_states`); a geometry rule names the one it refuses.
GEOMETRY_STATES = ("ok", "missing", "nonfinite", "type", "invalid", "far", "outside")


@dataclass(frozen=True)
class Checked:
    """What the engine found: problems (rows rejected), warnings (rows kept) and the rejected rows."""

    problems: list[Problem]
    warnings: list[Problem]
    bad: np.ndarray = field(repr=False)  # one bool per row, in frame order


def check_records(
    frame: pd.DataFrame,
    *,
    file: str,
    rows: pd.Series | np.ndarray | None = None,
    geometry: np.ndarray | None = None,
    skip: pd.Series | np.ndarray | None = None,
    labels: Mapping[str, str] | None = None,
    what: str = "id",
    context: Mapping[str, Collection[str]] | None = None,
) -> Checked:
    """Check every row of ``frame`` against every rule; an empty ``problems`` list means it is clean.

    ``rows`` are the row numbers a person sees (default: 1, 2, …); ``geometry`` the geometries when
    ``frame`` has no ``geometry`` column (no geometry: the geometry rules are not applied); rows in
    ``skip`` were already rejected and are not reported again; ``labels`` name the file's own
    column for a field; ``what`` is what an id is called; ``context`` holds the known ids
    (``source_ids``, ``place_ids``) that rules with ``needs`` check against.
    """
    n = len(frame)
    missing = [c for c in REQUIRED_FIELDS if c not in frame.columns]
    if missing:
        problems = [Problem(file, None, c, None, "a column of that name (it is required)") for c in missing]
        return Checked(problems, [], np.ones(n, dtype=bool))
    if geometry is None and "geometry" in frame.columns:
        geometry = np.asarray(frame["geometry"], dtype=object)
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1):
        frame = frame.set_axis(pd.RangeIndex(n))  # positions, as pandera reports them (the data are not copied)
    view = _View(frame, geometry, dict(context or {}), what)
    row_numbers = np.arange(1, n + 1) if rows is None else np.asarray(rows, dtype=np.int64)
    report = _Report(file, row_numbers, dict(labels or {}), view)
    active = np.ones(n, dtype=bool) if skip is None else ~np.asarray(skip, dtype=bool)
    for stage in (GEOMETRY, RECORD):
        rules = [r for r in RULES if r.stage == stage and _applies(r, view)]
        for rule, where in _failures(view, rules, active).items():
            report.add(rule, where)
        active &= ~report.bad
    return Checked(report.sorted(report.problems), report.sorted(report.warnings), report.bad)


def _applies(rule: Rule, view: _View) -> bool:
    if rule.needs and rule.needs not in view.context:
        return False
    return rule.stage != GEOMETRY or view.geometry is not None


def _failures(view: _View, rules: list[Rule], active: np.ndarray) -> dict[Rule, np.ndarray]:
    """Row positions where each rule fails, as pandera's failure cases report them."""
    if not rules or not active.any():
        return {}
    checks: dict[str, list[pa.Check]] = {}
    for rule in rules:
        test = _test(rule, view, active)
        checks.setdefault(rule.field, []).append(pa.Check(test, name=rule.name, error=rule.name, ignore_na=False))
    schema = pa.DataFrameSchema({f: pa.Column(checks=c, nullable=True) for f, c in checks.items()})
    data = pd.DataFrame({f: view.column(f) for f in checks})
    try:
        schema.validate(data, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return {}
    broken = cases["index"].isna()
    if broken.any():  # pandera reports a check that raised as a failure case without a row
        raise RuntimeError(f"a rule could not be checked: {cases[broken].iloc[0].to_dict()}")
    by_name = {r.name: r for r in rules}
    out = {}
    for name, group in cases.groupby("check", sort=False):
        out[by_name[str(name)]] = np.sort(group["index"].to_numpy(dtype=np.int64))
    return {r: out[r] for r in rules if r in out}  # in the table's order


def _test(rule: Rule, view: _View, active: np.ndarray) -> Callable[[pd.Series], pd.Series]:
    """The pandera check function for ``rule``: where it holds (rows it does not apply to, and rows
    not checked, hold). A closure, not a ``functools.partial``: pandera deep-copies its checks, and
    a partial's arguments (the whole frame) would be copied with it."""

    def holds(values: pd.Series) -> pd.Series:
        ok = np.array(_TESTS[rule.check](values, view, rule), dtype=bool)
        if rule.layers:
            ok |= ~view.text("layer").isin(rule.layers).to_numpy()
        return pd.Series(ok | ~active, index=values.index)

    return holds


class _View:
    """The frame's columns as the rules read them (text stripped, dates and numbers parsed), each built once."""

    def __init__(self, frame: pd.DataFrame, geometry: np.ndarray | None, context: dict, what: str):
        self.frame, self.geometry, self.context, self.what = frame, geometry, context, what
        self._cache: dict[tuple[str, str], pd.Series] = {}

    def _cached(self, kind: str, col: str, make: Callable[[], pd.Series]) -> pd.Series:
        key = (kind, col)
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def raw(self, col: str) -> pd.Series:
        return self.frame[col] if col in self.frame.columns else pd.Series("", index=self.frame.index, dtype=object)

    def text(self, col: str) -> pd.Series:
        def make() -> pd.Series:
            s = self.raw(col)
            if not isinstance(s.dtype, pd.StringDtype):  # pandas strings need no round trip through objects
                s = s.astype(object).where(s.notna(), "").astype(str)
            return s.fillna("").str.strip()

        return self._cached("text", col, make)

    def blank(self, col: str) -> pd.Series:
        s = self.raw(col)
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            return s.isna()
        return self.text(col) == ""

    def date(self, col: str) -> pd.Series:
        def make() -> pd.Series:
            s = self.raw(col)
            if not pd.api.types.is_datetime64_any_dtype(s):
                text = self.text(col)
                s = pd.to_datetime(text.where(text != ""), errors="coerce", format="ISO8601")
            if getattr(s.dtype, "tz", None) is not None:
                s = s.dt.tz_localize(None)
            return s.astype("datetime64[ns]")

        return self._cached("date", col, make)

    def number(self, col: str) -> pd.Series:
        def make() -> pd.Series:
            s = self.raw(col)
            if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
                text = self.text(col)
                s = pd.to_numeric(text.where(text != ""), errors="coerce")
            return s.astype("float64")

        return self._cached("number", col, make)

    def states(self) -> pd.Series:
        def make() -> pd.Series:
            assert self.geometry is not None
            return pd.Series(geometry_states(self.geometry, self.text("layer")), index=self.frame.index)

        return self._cached("states", "geometry", make)

    def first(self, col: str) -> pd.Series:
        """Per row, the position of the first row with the same value."""

        def make() -> pd.Series:
            positions = pd.Series(np.arange(len(self.frame)), index=self.frame.index)
            return positions.groupby(self.text(col).to_numpy()).transform("first")

        return self._cached("first", col, make)

    def column(self, field: str) -> pd.Series:
        """What pandera sees (and reports as the failure case) for a field."""
        if field == "geometry":
            return self.states()
        if field in ("date_start", "date_end"):
            return self.date(field)
        if field in ("people", "fatalities", "injured", "uncertainty_km"):
            return self.number(field)
        if "/" in field:
            a, b = field.split("/")
            return self.text(a) + " → " + self.text(b)
        return self.text(field)


def _whole_number(values: pd.Series, view: _View, rule: Rule) -> pd.Series:
    v = values.fillna(-1.0)
    good = np.isfinite(v) & (v >= 0) & (v == np.floor(v)) & (v <= rule.args[0])
    return view.blank(rule.field) | good


def _known(values: pd.Series, view: _View, rule: Rule) -> pd.Series:
    known = list(view.context[rule.needs])
    ok = pd.Series(True, index=values.index)
    for col in rule.args:
        parts = view.text(col).str.split(";").explode().str.strip()
        ok &= ~((parts != "") & ~parts.isin(known)).groupby(level=0).any()
    return ok


def _unknown(view: _View, rule: Rule, pos: int, known: Collection[str]) -> list[str]:
    ids = [part.strip() for col in rule.args for part in view.text(col).iat[pos].split(";")]
    return [i for i in ids if i and i not in known]


_TESTS: dict[str, Callable[[pd.Series, _View, Rule], pd.Series | np.ndarray]] = {
    "one_of": lambda s, view, rule: s.isin(rule.args[0]),
    "one_of_or_empty": lambda s, view, rule: (s == "") | s.isin(rule.args[0]),
    "required": lambda s, view, rule: ~view.blank(rule.field),
    "max_length": lambda s, view, rule: s.str.len() <= rule.args[0],
    "unique": lambda s, view, rule: ~((s != "") & s.duplicated(keep="first")),
    "date": lambda s, view, rule: view.blank(rule.field) | s.notna(),
    "not_before": lambda s, view, rule: ~(s < view.date(rule.args[0])).fillna(False),
    "whole_number": _whole_number,
    "between": lambda s, view, rule: view.blank(rule.field) | s.between(*rule.args),
    "both_present": lambda s, view, rule: (view.text(rule.args[0]) != "") & (view.text(rule.args[1]) != ""),
    "known": _known,
    "geometry": lambda s, view, rule: s != GEOMETRY_STATES.index(rule.args[0]),
}


def region_states(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """Per box (NaN: unknown, 0): 0 inside the map region, 6 ("outside") near it, 5 ("far") beyond."""
    known = ~(np.isnan(x0) | np.isnan(y0) | np.isnan(x1) | np.isnan(y1))
    in_region = _inside(x0, y0, REGION_BOUNDS) & _inside(x1, y1, REGION_BOUNDS)
    near = _inside(x0, y0, WARN_BOUNDS) & _inside(x1, y1, WARN_BOUNDS)
    far, outside = GEOMETRY_STATES.index("far"), GEOMETRY_STATES.index("outside")
    return np.where(~known | in_region, 0, np.where(near, outside, far))


def _inside(x: np.ndarray, y: np.ndarray, b: tuple[float, float, float, float]) -> np.ndarray:
    return (x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3])


def geometry_states(geoms: np.ndarray, layer: pd.Series) -> np.ndarray:
    """Per row, the first thing wrong with its geometry, as an index into :data:`GEOMETRY_STATES`.

    Missing (only operations may have none), not finite, not what the layer draws, invalid,
    then where it lies: far from the region, or outside the region shown.
    """
    geoms = np.asarray(geoms, dtype=object)
    state = np.zeros(len(geoms), dtype=np.int64)
    absent = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    state[absent & (layer.to_numpy() != "operations")] = GEOMETRY_STATES.index("missing")
    todo = ~absent
    state[_nonfinite(geoms, todo)] = GEOMETRY_STATES.index("nonfinite")
    todo &= state == 0
    types = np.asarray(_TYPE_NAMES, dtype=object)[shapely.get_type_id(geoms[todo])]
    layers = layer.to_numpy()[todo]
    wrong = np.zeros(len(types), dtype=bool)
    for name, allowed in LAYER_GEOMETRY_TYPES.items():
        wrong |= (layers == name) & ~np.isin(types, allowed)
    state[np.flatnonzero(todo)[wrong]] = GEOMETRY_STATES.index("type")
    todo &= state == 0
    state[np.flatnonzero(todo)[~shapely.is_valid(geoms[todo])]] = GEOMETRY_STATES.index("invalid")
    todo &= state == 0
    b = np.full((len(geoms), 4), np.nan)
    b[todo] = shapely.bounds(geoms[todo])
    region = region_states(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
    state[todo] = region[todo]
    return state


_TYPE_NAMES = (
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
)


def _nonfinite(geoms: np.ndarray, present: np.ndarray) -> np.ndarray:
    """True where a present geometry has a NaN or infinite x or y."""
    out = np.zeros(len(geoms), dtype=bool)
    if present.any():
        coords, index = shapely.get_coordinates(geoms[present], return_index=True)
        bad = np.unique(index[~np.isfinite(coords).all(axis=1)])
        out[np.flatnonzero(present)[bad]] = True
    return out


class _Report:
    """Turns failing rows into problems (rejected) and warnings (kept)."""

    def __init__(self, file: str, rows: np.ndarray, labels: dict[str, str], view: _View):
        self.file, self.rows, self.labels, self.view = file, rows, labels, view
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.bad = np.zeros(len(rows), dtype=bool)
        self._order: dict[int, int] = {}

    def add(self, rule: Rule, where: np.ndarray) -> None:
        label = self.labels.get(rule.field, rule.field)
        out = self.warnings if rule.warn else self.problems
        if not rule.warn:
            self.bad[where] = True
        for pos in where.tolist():
            expected, facts = _expected(rule, self, pos)
            p = Problem(
                self.file,
                int(self.rows[pos]),
                label,
                _shown(rule, self.view, pos),
                expected,
                rule.fix,
                rule.expected,
                facts,
            )
            self._order[id(p)] = RULES.index(rule)
            out.append(p)

    def sorted(self, problems: list[Problem]) -> list[Problem]:
        return sorted(problems, key=lambda p: (p.row or 0, self._order[id(p)]))


def _expected(rule: Rule, report: _Report, pos: int) -> tuple[str, tuple[tuple[str, object], ...]]:
    """What the rule expected, filled with the facts of the failing row, and those facts (so that
    an adapter can fill the translated words with them)."""
    facts: dict[str, object] = dict(rule.given)
    if "{" not in rule.expected:
        return rule.expected, ()
    view = report.view
    facts["what"] = view.what
    if "{first}" in rule.expected:
        facts["first"] = int(report.rows[view.first(rule.field).iat[pos]])
    if "{start}" in rule.expected:
        facts["start"] = view.date(rule.args[0]).iat[pos].strftime("%Y-%m-%d")
    if "{layer}" in rule.expected:
        layer = view.text("layer").iat[pos]
        facts.update(layer=layer, allowed=" or ".join(LAYER_GEOMETRY_TYPES.get(layer, ())))
    return rule.expected.format(**facts), tuple(facts.items())


def _shown(rule: Rule, view: _View, pos: int) -> object:
    """The bad value as a person should see it quoted."""
    if rule.show == "short":
        return view.text(rule.field).iat[pos][:40] + "…"
    if rule.show == "blank":
        return ""
    if rule.show == "empty":
        return "empty"
    if rule.show == "pair":
        return view.column(rule.field).iat[pos]
    if rule.show == "unknown":
        return "; ".join(_unknown(view, rule, pos, view.context[rule.needs]))
    if rule.show in ("wkt", "bounds"):
        return _geometry_text(view.geometry[pos] if view.geometry is not None else None, rule.show)
    return _plain(view.raw(rule.field).iat[pos])


def _geometry_text(geom: object, show: str) -> str:
    if show == "wkt":
        return str(shapely.to_wkt(geom, rounding_precision=5))[:60]
    bounds = [str(np.round(v, 3)) for v in shapely.bounds(geom)]
    return "(" + ", ".join(bounds) + ")"


def _plain(value: object) -> object:
    """numpy scalars as Python numbers, days as ``2024-07-01``, missing values as ``''``."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value
