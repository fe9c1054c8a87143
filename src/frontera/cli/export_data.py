"""``frontera export-data``: write the records a view shows (GeoJSON, CSV or GeoPackage)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from frontera.cli.common import resolve_view, write_output
from frontera.errors import FronteraError
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
        raise FronteraError(f"--format {args.format!r} is not one of {', '.join(writers)}")
    write_output(Path(args.out), writers[args.format](frame))
    focus = f"; {view.focus.describe()}" if view.focus.active else ""
    echo(f"wrote {len(frame)} features ({', '.join(view.layers)}; {view.window}{focus}) to {args.out}")
    return 0


def register(subparsers, add_view_args) -> None:  # argparse's private types
    p = subparsers.add_parser("export-data", help="write the records a view shows (GeoJSON, CSV or GeoPackage)")
    add_view_args(p)
    p.add_argument("--format", default="geojson", help="geojson, csv or gpkg (default geojson)")
    p.add_argument("--hxl", action="store_true", help="csv: add an HXL hashtag row under the header")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_export_data)
