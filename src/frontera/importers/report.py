"""What an import will do (and did): records to add and update, ids to remove, rejected rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from frontera.i18n import N_, _, format_number, ngettext
from frontera.model.layers import dataset_tag
from frontera.model.records import CRS, TIME_LAYERS, Problem, empty_records, normalize_records

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
    """The preview shown before anything is written; ``apply`` makes the new store from it."""

    import_id: str
    file: str
    parsed: Parsed
    added_ids: list[str]
    updated_ids: list[str]
    removed_ids: list[str]

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
        return bool(self.added_ids or self.updated_ids or self.removed_ids)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added_ids),
            "updated": len(self.updated_ids),
            "removed": len(self.removed_ids),
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
        lines += ["  " + _("note: {note}").format(note=n) for n in self.parsed.notes]
        lines += _problem_lines(self.rejected, _("rejected:"), N_("  … and {n} more problems"), max_lines)
        lines += _problem_lines(self.warnings, _("warnings (rows kept):"), N_("  … and {n} more warnings"), max_lines)
        return "\n".join(lines)

    def preview(self) -> pd.DataFrame:
        """One row per accepted record with what will happen to it (``add`` / ``update``)."""
        recs = self.records
        if not len(recs):
            return pd.DataFrame(columns=["action", "layer", "id", "title", "date_start", "date_end"])
        updated = set(self.updated_ids)
        out = pd.DataFrame(
            {
                "action": ["update" if i in updated else "add" for i in recs["id"]],
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
                "value": "" if p.value is None else str(p.value),
                "expected": p.advice_in(_),
            }
            for p in problems
        ],
        columns=["row", "column", "value", "expected"],
    )


def plan(import_id: str, file: str, parsed: Parsed, existing: dict[str, gpd.GeoDataFrame]) -> ImportPlan:
    """Compare parsed records with the user's store: which ids are new, which replace a record."""
    have = set()
    for layer in TIME_LAYERS:
        if len(existing.get(layer, [])):
            have.update(existing[layer]["id"].astype(str))
    ids = parsed.records["id"].astype(str).tolist() if len(parsed.records) else []
    removed = [i for i in dict.fromkeys(parsed.delete_ids) if i in have]
    missing = len(set(parsed.delete_ids)) - len(removed)
    if missing:
        parsed.notes.append(
            _("{n} deleted event ids were not in your store (nothing to remove)").format(n=format_number(missing))
        )
    return ImportPlan(
        import_id,
        file,
        parsed,
        added_ids=[i for i in ids if i not in have],
        updated_ids=[i for i in ids if i in have],
        removed_ids=removed,
    )


def merged_store(existing: dict[str, gpd.GeoDataFrame], plan: ImportPlan) -> dict[str, gpd.GeoDataFrame]:
    """The store after the plan: records with the plan's ids replaced (possibly moving layer), deletions gone."""
    drop = set(plan.removed_ids) | set(plan.added_ids) | set(plan.updated_ids)
    out = {}
    for layer in TIME_LAYERS:
        old = existing.get(layer)
        old = old if old is not None and len(old) else empty_records()
        # object dtype: Arrow strings' isin walks a Python list (seconds for 100k ids)
        keep = old[~old["id"].astype(object).isin(list(drop))] if len(old) else old
        new = plan.records[plan.records["layer"] == layer] if len(plan.records) else plan.records
        frames = [f for f in (keep, new) if len(f)]
        if not frames:
            out[layer] = empty_records()
        elif len(frames) == 1:  # both inputs are normalised already
            out[layer] = frames[0].reset_index(drop=True)
        else:
            out[layer] = normalize_records(
                gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)
            )
    return out


def without_import(existing: dict[str, gpd.GeoDataFrame], import_id: str) -> tuple[dict[str, gpd.GeoDataFrame], int]:
    """The store without the records an import added or last updated, and how many went."""
    tag = dataset_tag(import_id)
    out, n = {}, 0
    for layer in TIME_LAYERS:
        f = existing.get(layer)
        if f is None or not len(f):
            out[layer] = empty_records()
            continue
        mine = f["dataset"].astype(str) == tag
        n += int(mine.sum())
        out[layer] = f[~mine].reset_index(drop=True)
    return out, n
