"""``frontera`` command line: export what a view shows, import data, write a standalone map.

Each subcommand lives in its own function registered in ``COMMANDS``. Exit status:
0 done; 1 an import rejected some rows; 2 an error a person can fix, said in one
line that names what happened and the fix, never a traceback: bad arguments, a file
that cannot be read, a damaged store, a full disk (the store is then left as it was);
3 an unexpected error (a bug; one line saying how to report it); 130 interrupted with
Ctrl-C. Everything printed goes through :func:`frontera.terminal.echo`, so file names
and data cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from frontera.errors import FronteraError
from frontera.terminal import echo, safe


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"frontera: error: {safe(message)}\n")


def _view_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", help="first day shown, YYYY-MM-DD (default: start of the data)")
    p.add_argument("--end", help="last day shown, YYYY-MM-DD (default: end of the data)")
    p.add_argument("--layers", help="comma-separated layers (default: all)")
    p.add_argument("--density", help="large selections of events: auto, points, hexagons or heat (default: auto)")


def resolve_view(args: argparse.Namespace, situation):
    """The view named by --start/--end/--layers; a bad value is an error here, not a warning."""
    from frontera.model.dates import data_span  # noqa: PLC0415
    from frontera.model.view import view_from_query  # noqa: PLC0415

    params = {k: getattr(args, k) for k in ("start", "end", "layers", "density") if getattr(args, k, None) is not None}
    view, warnings = view_from_query(params, data_span(list(situation.records.values())), where="command line")
    hard = [w for w in warnings if "reach past the data" not in w]
    if hard:  # the app shows the nearest valid view; a script gets an error instead of a guess
        raise FronteraError(hard[0].replace(" It was ignored.", "").replace(" was ignored;", ";"))
    if "layers" in params and not view.layers:
        raise FronteraError(f"--layers {params['layers']!r} names no known layer")
    return view


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
    echo(f"wrote {len(frame)} features ({', '.join(view.layers)}; {view.window}) to {args.out}")
    return 0


def write_output(path: Path, content: str | bytes) -> None:
    """Write an export atomically; a failure says which file, why, and that nothing was written there."""
    from frontera.storage import geopackage as store  # noqa: PLC0415

    try:
        store.write_text_atomic(path, content)
    except OSError as exc:
        why = "the disk is full" if store.is_disk_full(exc) else (exc.strerror or str(exc))
        raise FronteraError(
            f"could not write {path} ({why}); nothing was written there and your store is "
            "unchanged. Fix: free some space or give another --out"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontera", description="Frontera: situation map of the Mexico–Guatemala border.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("export-data", help="write the records a view shows (GeoJSON, CSV or GeoPackage)")
    _view_args(p)
    p.add_argument("--format", default="geojson", help="geojson, csv or gpkg (default geojson)")
    p.add_argument("--hxl", action="store_true", help="csv: add an HXL hashtag row under the header")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_export_data)

    for register in EXTRA_COMMANDS:
        register(sub, _view_args)
    return parser


#: Functions ``register(subparsers, add_view_args)`` that add more subcommands (import, export-map).
EXTRA_COMMANDS: list[Callable] = []


def main(argv: list[str] | None = None) -> int:
    _load_extra_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    # GDAL's complaints about a damaged store arrive as warnings before the error that explains them
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # suppressed where absent
    try:
        return int(args.func(args) or 0)
    except FronteraError as exc:
        echo(f"frontera: error: {exc}", err=True)
        return 2
    except OSError as exc:
        echo(f"frontera: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
        return 2
    except KeyboardInterrupt:
        echo(
            "frontera: interrupted; your store is as it was before this command (an import is all or nothing)", err=True
        )
        return 130
    except Exception as exc:  # a bug: still one line; the store is whole (every write is one rename)
        if os.environ.get("FRONTERA_DEBUG"):
            raise
        echo(
            f"frontera: unexpected error in `{args.command}` ({type(exc).__name__}: {exc}); your store is "
            "either as it was or completely updated, never half. Please report this with the command; "
            "FRONTERA_DEBUG=1 shows the details",
            err=True,
        )
        return 3


def _load_extra_commands() -> None:
    """Subcommands defined beside the code they drive (``frontera.cli_*`` modules)."""
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    import frontera  # noqa: PLC0415

    for mod in pkgutil.iter_modules(frontera.__path__):
        if mod.name.startswith("cli_"):
            module = importlib.import_module(f"frontera.{mod.name}")
            if module.register not in EXTRA_COMMANDS:
                EXTRA_COMMANDS.append(module.register)


if __name__ == "__main__":
    sys.exit(main())
