"""``frontera export-data``: write the records a view shows (GeoJSON, CSV or GeoPackage)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from frontera.cli.common import resolve_view, write_output
from frontera.errors import FronteraError
from frontera.i18n import _, ngettext
from frontera.terminal import echo


def cmd_export_data(args: argparse.Namespace) -> int:
    from frontera import export  # noqa: PLC0415
    from frontera.storage import load_situation  # noqa: PLC0415

    situation = load_situation()
    view = resolve_view(args, situation)
    frame = export.export_frame(situation, view)
    writers: dict[str, Callable] = {
        "geojson": export.to_geojson,
        "gpkg": export.to_gpkg_bytes,
        "csv": lambda f: export.to_csv(f, hxl=args.hxl),
    }
    if args.format not in writers:
        raise FronteraError(
            _("--format {value} is not one of {choices}").format(value=repr(args.format), choices=", ".join(writers))
        )
    write_output(Path(args.out), writers[args.format](frame))
    echo(written_line(len(frame), view, args.out))
    return 0


def written_line(n: int, view, out: str) -> str:
    """``wrote 33 features (border, …; 2023-10-01 to 2024-08-31) to out.geojson``, in the current language."""
    focus = "; " + view.focus.describe(_) if view.focus.active else ""
    return ngettext(
        "wrote {n} feature ({layers}; {start} to {end}{focus}) to {out}",
        "wrote {n} features ({layers}; {start} to {end}{focus}) to {out}",
        n,
    ).format(
        n=n,
        layers=", ".join(view.layers),
        start=view.window.start.isoformat(),
        end=view.window.end.isoformat(),
        focus=focus,
        out=out,
    )


def register(subparsers, add_view_args) -> None:  # argparse's private types
    p = subparsers.add_parser("export-data", help=_("write the records a view shows (GeoJSON, CSV or GeoPackage)"))
    add_view_args(p)
    p.add_argument("--format", default="geojson", metavar=_("FORMAT"), help=_("geojson, csv or gpkg (default geojson)"))
    p.add_argument("--hxl", action="store_true", help=_("csv: add an HXL hashtag row under the header"))
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("output file"))
    p.set_defaults(func=cmd_export_data)
