"""What an import will do (and did): records to add and update, ids to remove, rejected rows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from frontera.i18n import N_, _, format_number, ngettext
from frontera.model.records import (
    RECORD_COLUMNS,
    SOURCE_TIMESTAMP,
    TIME_LAYERS,
    Problem,
    normalize_records,
)
from frontera.model.text import Worded, say

UNREADABLE = N_("unreadable file")


@dataclass
class Parsed:
    """What one importer made of one file, before it is compared with the store."""

    kind: str  # e.g. "ACLED events"
    rows_read: int
    records: gpd.GeoDataFrame  # accepted rows, normalised, ids final
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    delete_ids: list[str] = field(default_factory=list)  # ACLED deletion files

    @classmethod
    def checked(cls, kind: str, rows_read: int, records: gpd.GeoDataFrame, chk, notes: list[str]) -> Parsed:
        """The result of an importer whose rows went through a :class:`~frontera.importers.checks.Checker`."""
        return cls(
            kind,
            rows_read,
            normalize_records(records),
            rejected=chk.sorted_problems(),
            warnings=chk.warnings,
            notes=notes,
        )


@dataclass
class ImportPlan:
    """The preview shown before anything is written, and what a store writes (see :mod:`frontera.storage.base`).

    All or nothing: a plan with any rejected row is ``refused`` unless ``valid_rows_only`` was asked.
    """

    import_id: str
    file: str
    parsed: Parsed
    added_ids: list[str]
    updated_ids: list[str]
    removed_ids: list[str]
    unchanged_ids: list[str] = field(default_factory=list)  # identical to the stored record: nothing written
    kept_newer_ids: list[str] = field(default_factory=list)  # the stored record has a newer source timestamp
    valid_rows_only: bool = False

    def again(self, existing: dict[str, gpd.GeoDataFrame]) -> ImportPlan:
        """The same file planned against ``existing`` (a store calls this under its lock)."""
        return plan(self.import_id, self.file, self.parsed, existing, valid_rows_only=self.valid_rows_only)

    @property
    def refused(self) -> bool:
        """True when nothing may be written: the file was rejected, or rows were and only all was asked."""
        return self.file_rejected or (bool(self.rejected) and not self.valid_rows_only)

    def refusal(self) -> str:
        """Why nothing was imported, and the fix (empty when the plan is not refused)."""
        if self.file_rejected:
            return _("{file}: the file was rejected ({problem}); nothing was imported.").format(
                file=self.file, problem=self.rejected[0].message(_)
            )
        if not self.refused:
            return ""
        good = len(self.parsed.records)
        also = (
            ngettext(
                ", or import the {n} valid row only (`frontera import --valid-rows-only`, or the box on the "
                "Import page)",
                ", or import the {n} valid rows only (`frontera import --valid-rows-only`, or the box on the "
                "Import page)",
                good,
            ).format(n=format_number(good))
            if good
            else ""
        )
        return ngettext(
            "{file}: {n} row rejected, so nothing was imported (an import is all or nothing). "
            "Fix: correct the rejected rows and import the file again{also}.",
            "{file}: {n} rows rejected, so nothing was imported (an import is all or nothing). "
            "Fix: correct the rejected rows and import the file again{also}.",
            self.rejected_rows,
        ).format(file=self.file, n=format_number(self.rejected_rows), also=also)

    @property
    def to_write(self) -> gpd.GeoDataFrame:
        """The records a store writes: added and updated ones (not unchanged, not kept newer)."""
        recs = self.parsed.records
        if not len(recs):
            return recs
        return recs[recs["id"].astype(object).isin(self.added_ids + self.updated_ids)].reset_index(drop=True)

    @property
    def kind(self) -> str:
        return self.parsed.kind

    @property
    def records(self) -> gpd.GeoDataFrame:
        return self.parsed.records

    @property
    def rejected(self) -> list[Problem]:
        return self.parsed.rejected

    @property
    def warnings(self) -> list[Problem]:
        return self.parsed.warnings

    @property
    def rejected_rows(self) -> int:
        return len({(p.row if p.row is not None else -1) for p in self.parsed.rejected})

    @property
    def file_rejected(self) -> bool:
        """True when the whole file was refused (it could not be read as any known kind)."""
        return self.parsed.kind == UNREADABLE

    @property
    def changes_anything(self) -> bool:
        return not self.refused and bool(self.added_ids or self.updated_ids or self.removed_ids)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added_ids),
            "updated": len(self.updated_ids),
            "removed": len(self.removed_ids),
            "unchanged": len(self.unchanged_ids),
            "kept_newer": len(self.kept_newer_ids),
            "rejected": self.rejected_rows,
        }

    def text(self, max_lines: int = 200) -> str:
        """The report a person reads, in the current language (CLI output, and the Import page's preview)."""
        c = {k: format_number(v) for k, v in self.counts().items()}
        rows = ngettext("{n} row read", "{n} rows read", self.parsed.rows_read).format(
            n=format_number(self.parsed.rows_read)
        )
        lines = [
            _("{file}: {kind}, {rows} (import id {import_id})").format(
                file=self.file, kind=_(self.kind), rows=rows, import_id=self.import_id
            )
        ]
        if self.file_rejected:
            lines.append("  " + _("the file was rejected; nothing will be imported"))
        else:
            lines.append(
                "  " + _("add {added}, update {updated}, remove {removed}, reject {rejected} rows").format(**c)
            )
            if self.unchanged_ids or self.kept_newer_ids:  # ``c`` holds written numbers: "0" is true
                lines.append(
                    "  "
                    + _(
                        "unchanged {unchanged} (identical to your store), kept newer {kept_newer} "
                        "(your store has a later ACLED timestamp): nothing written for these"
                    ).format(**c)
                )
        lines += ["  " + _("note: {note}").format(note=say(n, _)) for n in self.parsed.notes]
        lines += _problem_lines(self.rejected, _("rejected:"), N_("  … and {n} more problems"), max_lines)
        lines += _problem_lines(self.warnings, _("warnings (rows kept):"), N_("  … and {n} more warnings"), max_lines)
        return "\n".join(lines)

    def preview(self) -> pd.DataFrame:
        """One row per accepted record with what will happen to it (``add`` / ``update``)."""
        recs = self.records
        if not len(recs):
            return pd.DataFrame(columns=["action", "layer", "id", "title", "date_start", "date_end"])
        action = dict.fromkeys(self.updated_ids, "update")
        action.update(dict.fromkeys(self.unchanged_ids, "unchanged"))
        action.update(dict.fromkeys(self.kept_newer_ids, "kept newer"))
        out = pd.DataFrame(
            {
                "action": [action.get(i, "add") for i in recs["id"]],
                "layer": recs["layer"].to_numpy(),
                "id": recs["id"].to_numpy(),
                "title": recs["title"].to_numpy(),
                "date_start": recs["date_start"].dt.date.to_numpy(),
                "date_end": recs["date_end"].dt.date.to_numpy(),
            }
        )
        return out

    def rejected_table(self) -> pd.DataFrame:
        """One row per problem: row, column, value, expected (and how to fix it)."""
        return _problem_table(self.rejected)

    def warnings_table(self) -> pd.DataFrame:
        return _problem_table(self.warnings)


def _problem_lines(problems: list[Problem], heading: str, more: str, max_lines: int) -> list[str]:
    """A heading, at most ``max_lines`` problems in the current language, and how many more there are."""
    if not problems:
        return []
    lines = [heading] + [f"  {p.message(_)}" for p in problems[:max_lines]]
    if len(problems) > max_lines:
        lines.append(_(more).format(n=format_number(len(problems) - max_lines)))
    return lines


def _problem_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "row": p.row,
                "column": p.field,
                "value": "" if p.value is None else str(say(p.value, _)),
                "expected": p.advice_in(_),
            }
            for p in problems
        ],
        columns=["row", "column", "value", "expected"],
    )


def plan(
    import_id: str,
    file: str,
    parsed: Parsed,
    existing: dict[str, gpd.GeoDataFrame],
    *,
    valid_rows_only: bool = False,
) -> ImportPlan:
    """Compare parsed records with the user's store: which ids are new, which replace a record, which
    are identical to it (unchanged) and which are older than it (kept newer, by :data:`SOURCE_TIMESTAMP`)."""
    stored = _stored(existing)
    have = set(stored["id"])
    ids = parsed.records["id"].astype(str).tolist() if len(parsed.records) else []
    removed = [i for i in dict.fromkeys(parsed.delete_ids) if i in have]
    notes = [n for n in parsed.notes if not n.endswith(_NOT_IN_STORE)]
    missing = len(set(parsed.delete_ids)) - len(removed)
    if missing:
        notes.append(
            Worded(N_("{n} deleted event ids were not in your store (nothing to remove)"), n=missing)
            if missing > 1
            else Worded(N_("1 deleted event id was not in your store (nothing to remove)"))
        )
    parsed.notes = notes
    same, older = _same_and_older(parsed.records, stored) if have and ids else (set(), set())
    return ImportPlan(
        import_id,
        file,
        parsed,
        added_ids=[i for i in ids if i not in have],
        updated_ids=[i for i in ids if i in have and i not in same and i not in older],
        removed_ids=removed,
        unchanged_ids=[i for i in ids if i in same],
        kept_newer_ids=[i for i in ids if i in older and i not in same],
        valid_rows_only=valid_rows_only,
    )


def planner(
    import_id: str, file: str, parsed: Parsed, *, valid_rows_only: bool = False
) -> Callable[[dict[str, gpd.GeoDataFrame]], ImportPlan]:
    """``plan_for(existing)`` for :meth:`frontera.storage.base.Store.commit_import`."""
    return functools.partial(plan, import_id, file, parsed, valid_rows_only=valid_rows_only)


_NOT_IN_STORE = " (nothing to remove)"
#: Compared to call a row identical to the stored record (``dataset`` names the import, so it differs).
COMPARED_COLUMNS = tuple(c for c in RECORD_COLUMNS if c != "dataset")


def _stored(existing: dict[str, gpd.GeoDataFrame]) -> pd.DataFrame:
    frames = [f for layer in TIME_LAYERS if (f := existing.get(layer)) is not None and len(f)]
    if not frames:
        return pd.DataFrame({"id": pd.Series(dtype=str)})
    out = pd.concat([normalize_records(f) for f in frames], ignore_index=True)
    out["id"] = out["id"].astype(object).astype(str)
    return out


def _identical(new: pd.DataFrame, old: pd.DataFrame) -> np.ndarray:
    """Row by row (aligned): True where every one of :data:`COMPARED_COLUMNS` and the geometry are equal."""
    same = np.ones(len(new), dtype=bool)
    for col in COMPARED_COLUMNS:
        a, b = new[col].reset_index(drop=True), old[col].reset_index(drop=True)
        both_empty = (a.isna() & b.isna()).to_numpy()
        equal = (
            (a == b).fillna(False).to_numpy(dtype=bool)
            if a.dtype == b.dtype
            else (a.astype(object) == b.astype(object)).to_numpy(dtype=bool)
        )
        same &= equal | both_empty
    geoms = np.asarray(new.geometry.values), np.asarray(old.geometry.values)
    same &= np.asarray(shapely.equals_exact(geoms[0], geoms[1], tolerance=0.0), dtype=bool) | (
        shapely.is_missing(geoms[0]) & shapely.is_missing(geoms[1])
    )
    return same


def _same_and_older(records: gpd.GeoDataFrame, stored: pd.DataFrame) -> tuple[set[str], set[str]]:
    """Ids whose row is identical to the stored record, and ids whose source timestamp is older than it."""
    ids = records["id"].astype(object).astype(str)
    old = stored[stored["id"].isin(list(ids))].drop_duplicates("id").set_index("id", drop=False)
    mine = records[ids.isin(list(old.index))]
    if not len(mine):
        return set(), set()
    new = normalize_records(mine)
    keys = new["id"].astype(object).astype(str)
    base = normalize_records(gpd.GeoDataFrame(old.loc[list(keys)].reset_index(drop=True), geometry="geometry"))
    same = set(keys[_identical(new, base)])
    older: set[str] = set()
    if SOURCE_TIMESTAMP in new and SOURCE_TIMESTAMP in base:
        new_ts = pd.to_numeric(new[SOURCE_TIMESTAMP], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        old_ts = pd.to_numeric(base[SOURCE_TIMESTAMP], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        older = set(keys[new_ts < old_ts])
    return same, older
