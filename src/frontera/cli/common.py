"""What the commands share: the parser that errs in one line, the view's arguments, the view they name,
and writing an output file atomically."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from frontera.errors import FronteraError
from frontera.i18n import _
from frontera.terminal import safe


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, _("frontera: error: {message}").format(message=safe(message)) + "\n")


def view_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", metavar=_("DATE"), help=_("first day shown, YYYY-MM-DD (default: start of the data)"))
    p.add_argument("--end", metavar=_("DATE"), help=_("last day shown, YYYY-MM-DD (default: end of the data)"))
    p.add_argument("--layers", metavar=_("LAYERS"), help=_("comma-separated layers (default: all)"))
    p.add_argument(
        "--density",
        metavar=_("MODE"),
        help=_("large selections of events: auto, points, hexagons or heat (default: auto)"),
    )
    focus_args(p)


def focus_args(p: argparse.ArgumentParser) -> None:
    """The focus filters (frontera.model.focus): a record is kept when it matches every one given."""
    p.add_argument(
        "--kind", metavar=_("KINDS"), help=_("comma-separated record kinds, e.g. 'armed clash,attack' (default: all)")
    )
    p.add_argument(
        "--actor", metavar=_("TEXT"), help=_("keep records whose actors contain this text (any case; plain text)")
    )
    p.add_argument("--min-fatalities", metavar="N", help=_("keep records with at least this many deaths reported"))
    p.add_argument(
        "--source", metavar=_("SOURCES"), help=_("comma-separated source ids (sources.csv); keep records citing any")
    )
    p.add_argument(
        "--date-precision",
        metavar=_("PRECISIONS"),
        help=_("comma-separated: day, range, week, part-of-month, month, year"),
    )
    p.add_argument(
        "--place-precision",
        metavar=_("PRECISIONS"),
        help=_("comma-separated: town, near-town, municipality, region, illustrative"),
    )


def resolve_view(args: argparse.Namespace, situation):
    """The view named by --start/--end/--layers; a bad value is an error here, not a warning."""
    from frontera.model.dates import data_span  # noqa: PLC0415
    from frontera.model.focus import FOCUS_KEYS  # noqa: PLC0415
    from frontera.model.view import view_from_query  # noqa: PLC0415

    keys = ("start", "end", "layers", "density", *FOCUS_KEYS)
    params = {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}
    view, warnings = view_from_query(params, data_span(list(situation.records.values())), where="command line")
    if warnings:  # the app shows the nearest valid view; a script gets an error instead of a guess
        raise FronteraError(warnings[0].cli_error(_))
    if "layers" in params and not view.layers:
        raise FronteraError(_("--layers {value} names no known layer").format(value=repr(params["layers"])))
    return view


def write_output(path: Path, content: str | bytes) -> None:
    """Write an export atomically; a failure says which file, why, and that nothing was written there."""
    from frontera.storage import geopackage as store  # noqa: PLC0415

    try:
        store.write_text_atomic(path, content)
    except OSError as exc:
        why = _("the disk is full") if store.is_disk_full(exc) else (exc.strerror or str(exc))
        raise FronteraError(
            _(
                "could not write {path} ({why}); nothing was written there and your store is "
                "unchanged. Fix: free some space or give another --out"
            ).format(path=path, why=why)
        ) from None
