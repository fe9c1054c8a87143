"""``frontera export-map``: write one self-contained HTML map of a view (works offline, from a USB stick)."""

from __future__ import annotations

import argparse
from pathlib import Path

from frontera.i18n import _


def cmd_export_map(args: argparse.Namespace) -> int:
    from frontera import standalone  # noqa: PLC0415
    from frontera.cli.common import resolve_view, write_output  # noqa: PLC0415
    from frontera.i18n import format_number  # noqa: PLC0415
    from frontera.storage import load_situation  # noqa: PLC0415
    from frontera.terminal import echo  # noqa: PLC0415

    situation = standalone.in_language(load_situation())
    view = resolve_view(args, situation)
    page = standalone.standalone_html(situation, view)
    write_output(Path(args.out), page)
    size = len(page.encode("utf-8"))
    echo(
        _("wrote {out} ({size} KiB; {layers}; {window}); it needs no network: open it in any browser").format(
            out=args.out,
            size=format_number(round(size / 1024)),
            layers=standalone.layers_text(view),
            window=standalone.window_text(view),
        )
    )
    for note in undrawn_notes(situation, view):  # left off the map, the rest drawn: say which and why
        echo(_("note: {message}").format(message=note.message()), err=True)
    return 0


def undrawn_notes(situation, view) -> list:
    """The records of ``view`` that the map leaves off (wrong geometry type, coordinates that are not numbers)."""
    from frontera.filters import visible_records  # noqa: PLC0415
    from frontera.layers.guard import split_drawable  # noqa: PLC0415

    return [
        note
        for layer, records in visible_records(situation, view).items()
        for note in split_drawable(records, layer)[1]
    ]


def register(subparsers, add_view_args) -> None:
    p = subparsers.add_parser("export-map", help=_("write the map of a view as one self-contained HTML file"))
    add_view_args(p)
    p.add_argument("--out", required=True, metavar=_("FILE"), help=_("output file, e.g. frontera-map.html"))
    p.set_defaults(func=cmd_export_map)
