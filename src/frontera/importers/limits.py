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
from frontera.model.records import Problem

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

SPLIT = "split the file into smaller files"
FEWER_COLUMNS = "export only the columns you need"


def refuse(file: str, what: str, found: str, limit: str, fix: str, row: int | None = None) -> LimitExceeded:
    """``x.csv, field '(columns)': got '80,000 columns', expected at most 300 columns; export only…``"""
    return LimitExceeded(Problem(file, row, what, found, f"at most {limit}; {fix}"))


def check_count(file: str, what: str, found: int, limit: int, unit: str, fix: str = SPLIT) -> None:
    if found > limit:
        raise refuse(file, what, f"{found:,} {unit}", f"{limit:,} {unit}", fix)


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
    """Refuse the file being read if its time budget is spent (a no-op outside :func:`time_budget`)."""
    current = _DEADLINE.get()
    if current is None:
        return
    file, deadline, seconds = current
    if time.monotonic() > deadline:
        raise refuse(
            file,
            "(time)",
            f"more than {seconds:g} s ({stage})",
            f"{seconds:g} s of reading and checking",
            SPLIT + " (or keep only the rows and columns you need)",
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
            f"{len(names):,} columns (the first is {first!r})",
            f"{MAX_COLUMNS} columns",
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
                    f"each column name once; columns {seen[key]} and {n} are both called that: "
                    "rename or delete one of them",
                )
            )
        seen[key] = n
