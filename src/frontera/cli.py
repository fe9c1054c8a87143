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
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from frontera import i18n
from frontera.errors import FronteraError
from frontera.i18n import _
from frontera.terminal import echo, safe


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2
        self.exit(2, f"frontera: error: {safe(message)}\n")


def _view_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", help="first day shown, YYYY-MM-DD (default: start of the data)")
    p.add_argument("--end", help="last day shown, YYYY-MM-DD (default: end of the data)")
    p.add_argument("--layers", help="comma-separated layers (default: all)")
    p.add_argument("--density", help="large selections of events: auto, points, hexagons or heat (default: auto)")
    _focus_args(p)


def _focus_args(p: argparse.ArgumentParser) -> None:
    """The focus filters (frontera.model.focus): a record is kept when it matches every one given."""
    p.add_argument("--kind", help="comma-separated record kinds, e.g. 'armed clash,attack' (default: all)")
    p.add_argument("--actor", help="keep records whose actors contain this text (any case; plain text)")
    p.add_argument("--min-fatalities", help="keep records with at least this many deaths reported")
    p.add_argument("--source", help="comma-separated source ids (sources.csv); keep records citing any")
    p.add_argument("--date-precision", help="comma-separated: day, range, week, part-of-month, month, year")
    p.add_argument("--place-precision", help="comma-separated: town, near-town, municipality, region, illustrative")


def resolve_view(args: argparse.Namespace, situation):
    """The view named by --start/--end/--layers; a bad value is an error here, not a warning."""
    from frontera.model.dates import data_span  # noqa: PLC0415
    from frontera.model.focus import FOCUS_KEYS  # noqa: PLC0415
    from frontera.model.view import view_from_query  # noqa: PLC0415

    keys = ("start", "end", "layers", "density", *FOCUS_KEYS)
    params = {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}
    view, warnings = view_from_query(params, data_span(list(situation.records.values())), where="command line")
    hard = [w for w in warnings if "reach past the data" not in w]
    if hard:  # the app shows the nearest valid view; a script gets an error instead of a guess
        message = hard[0].replace(" It was ignored.", "").replace(" was ignored;", ";")
        raise FronteraError(re.sub(r"; it was ignored[^.]*\.$", "", message))
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
    focus = f"; {view.focus.describe()}" if view.focus.active else ""
    echo(f"wrote {len(frame)} features ({', '.join(view.layers)}; {view.window}{focus}) to {args.out}")
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontera", description="Frontera: situation map of the Mexico–Guatemala border.")
    parser.add_argument(
        "--lang",
        choices=list(i18n.LANGUAGES),
        help="language of the messages: es or en (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG)",
    )
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


def _language(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--lang`` wherever it stands (before or after the command), and the other arguments."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, rest = pre.parse_known_args(argv)
    return known.lang, rest


def main(argv: list[str] | None = None) -> int:
    _load_extra_commands()
    asked, rest = _language(sys.argv[1:] if argv is None else list(argv))
    i18n.use(i18n.from_environment() if asked is None else asked)
    parser = build_parser()
    if asked is not None and asked not in i18n.LANGUAGES:
        parser.error(f"--lang {asked!r} is not a language Frontera speaks; use one of: {', '.join(i18n.LANGUAGES)}")
    args = parser.parse_args(rest)
    # GDAL's complaints about a damaged store arrive as warnings before the error that explains them
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # suppressed where absent
    try:
        return int(args.func(args) or 0)
    except FronteraError as exc:
        echo(_("frontera: error: {message}").format(message=exc), err=True)
        return 2
    except OSError as exc:
        echo(
            _("frontera: error: {message}").format(message=f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")),
            err=True,
        )
        return 2
    except KeyboardInterrupt:
        echo(
            _("frontera: interrupted; your store is as it was before this command (an import is all or nothing)"),
            err=True,
        )
        return 130
    except Exception as exc:  # a bug: still one line; the store is whole (every write is one rename)
        if os.environ.get("FRONTERA_DEBUG"):
            raise
        echo(
            _(
                "frontera: unexpected error in `{command}` ({error}); your store is "
                "either as it was or completely updated, never half. Please report this with the command; "
                "FRONTERA_DEBUG=1 shows the details"
            ).format(command=args.command, error=f"{type(exc).__name__}: {exc}"),
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
