"""What one imported file may cost, in one place, and the clock that enforces the time budget.

A file is small on disk and big in memory when it is compressed (``.xlsx`` is a
ZIP archive), when it repeats itself (one header name 80,000 times) or when its
parts are tiny (1.5 million one-cell rows). So a file is measured before and
while it is read, never only by its size on disk: every limit below is checked
before the costly step it guards (the ZIP's central directory before anything is
decompressed, the header line before pandas sees the file, tag counts before
openpyxl builds cells) and refused with one :class:`~frontera.model.records.Problem`
naming the file, the limit, the value found and the fix.

With these limits an import stays under 1 GB of memory (measured in
``tests/test_import_limits.py``).
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Iterator

from frontera.errors import FileProblem, LimitExceeded
from frontera.i18n import N_, format_number
from frontera.model.records import Problem
from frontera.model.text import Worded

__all__ = ["FileProblem", "LimitExceeded"]  # defined in frontera.errors; importers raise them from here

#: Largest file (bytes on disk or uploaded).
MAX_BYTES = 200 * 1024 * 1024
#: Largest GeoJSON file: JSON becomes Python objects about ten times its size.
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Most JSON values (counted by their separating commas) and objects in a GeoJSON file.
MAX_JSON_VALUES = 5_000_000
MAX_JSON_OBJECTS = 1_000_000
#: Largest table (CSV text, in bytes): pandas and the checks hold about seven copies of it.
MAX_TABLE_BYTES = 64 * 1024 * 1024
#: Most data rows in a table (CSV lines, spreadsheet rows, GeoJSON features, GeoPackage features).
MAX_ROWS = 200_000
#: Most columns in a table; Frontera reads at most a few dozen.
MAX_COLUMNS = 300
#: Most cells (rows x columns) in a table.
MAX_CELLS = 4_000_000
#: Longest line of a CSV file (bytes).
MAX_LINE_BYTES = 1024 * 1024
#: Longest cell (characters): Excel's own limit. A CSV's ``geometry_wkt`` cell (an area's outline,
#: as ``export-data`` writes it) may be as long as a line.
MAX_CELL_CHARS = 32_767
MAX_WKT_CHARS = MAX_LINE_BYTES
#: ZIP containers (.xlsx): most members, most bytes once decompressed (all members, and any one),
#: and the largest compression ratio of a member larger than ZIP_RATIO_FLOOR bytes.
MAX_ZIP_MEMBERS = 1_000
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_UNZIPPED_MEMBER_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
#: Most tables in a GeoPackage.
MAX_GPKG_TABLES = 50
#: Wall-clock seconds one file may take to read and check.
MAX_SECONDS = 180.0

SPLIT = N_("split the file into smaller files")
FEWER_COLUMNS = N_("export only the columns you need")
SPLIT_OR_KEEP = N_("split the file into smaller files (or keep only the rows and columns you need)")
SPLIT_OR_GEOPACKAGE = N_("split the file into smaller files (or use a GeoPackage)")


def amount(n: float, unit: str) -> Worded:
    """``200,000 rows``: the number as the current language writes it, the unit (an ``N_`` msgid) said where shown."""
    return Worded(N_("{n} {unit}"), n=format_number(n), unit=Worded(unit))


def more_than(n: float, unit: str) -> Worded:
    return Worded(N_("more than {amount}"), amount=amount(n, unit))


def refuse(file: str, what: str, found: str, limit: str, fix: str, row: int | None = None) -> LimitExceeded:
    """``x.csv, field '(columns)': got '80,000 columns', expected at most 300 columns; export only…``

    ``found`` and ``limit`` are :class:`Worded` (or data), ``fix`` an ``N_`` msgid: each is said in the
    reader's language where the problem is shown."""
    return LimitExceeded(Problem(file, row, what, found, Worded(N_("at most {limit}"), limit=limit), fix))


def check_count(file: str, what: str, found: int, limit: int, unit: str, fix: str = SPLIT) -> None:
    """Refuse ``file`` when ``found`` passes ``limit`` (``unit``: an ``N_`` msgid, e.g. ``N_("rows")``)."""
    if found > limit:
        raise refuse(file, what, amount(found, unit), amount(limit, unit), fix)


_DEADLINE: contextvars.ContextVar[tuple[str, float, float] | None] = contextvars.ContextVar("_DEADLINE", default=None)


@contextlib.contextmanager
def time_budget(file: str, seconds: float | None = None) -> Iterator[None]:
    """Within this block :func:`check_time` refuses the file once ``seconds`` have passed."""
    seconds = MAX_SECONDS if seconds is None else seconds
    token = _DEADLINE.set((file, time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_time(stage: str) -> None:
    """Refuse the file being read if its time budget is spent (a no-op outside :func:`time_budget`);
    ``stage`` is an ``N_`` msgid or a :class:`Worded`."""
    current = _DEADLINE.get()
    if current is None:
        return
    file, deadline, seconds = current
    if time.monotonic() > deadline:
        raise refuse(
            file,
            "(time)",
            Worded(N_("more than {seconds} s ({stage})"), seconds=f"{seconds:g}", stage=Worded(stage)),
            Worded(N_("{seconds} s of reading and checking"), seconds=f"{seconds:g}"),
            SPLIT_OR_KEEP,
        )


def check_header(file: str, names: list[str]) -> None:
    """At most MAX_COLUMNS columns, and no name twice (case and spaces ignored), in one linear pass.

    pandas renames repeated names one by one (``a``, ``a.1``, ``a.2``…), which is quadratic:
    a header repeating one name 80,000 times took minutes. Blank names are allowed (pandas
    calls them ``Unnamed: n``).
    """
    if len(names) > MAX_COLUMNS:
        first = str(names[0])[:30] if names else ""
        raise refuse(
            file,
            "(columns)",
            Worded(N_("{n} columns (the first is {first})"), n=format_number(len(names)), first=repr(first)),
            amount(MAX_COLUMNS, N_("columns")),
            FEWER_COLUMNS,
            row=1,
        )
    seen: dict[str, int] = {}
    for n, name in enumerate(names, start=1):
        key = str(name).strip().lower()
        if not key:
            continue
        if key in seen:
            raise FileProblem(
                Problem(
                    file,
                    1,
                    "(columns)",
                    str(name)[:60],
                    Worded(
                        N_(
                            "each column name once; columns {first} and {second} are both called that: "
                            "rename or delete one of them"
                        ),
                        first=seen[key],
                        second=n,
                    ),
                )
            )
        seen[key] = n
