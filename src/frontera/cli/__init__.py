"""``frontera`` command line: export what a view shows, import data, write a standalone map, serve the app.

One module per command (``export_data``, ``export_map``, ``imports``, ``serve``, ``db``), each with a
``register(subparsers, add_view_args)``, listed in :data:`COMMANDS`. Exit status:
0 done; 1 an import was refused for rejected rows; 2 an error a person can fix, said in one
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

from frontera import i18n
from frontera.cli import db, export_data, export_map, imports, serve
from frontera.cli.common import Parser, resolve_view, view_args, write_output
from frontera.cli.words import route_argparse
from frontera.errors import FileProblem, FronteraError
from frontera.i18n import _
from frontera.terminal import echo

__all__ = ["COMMANDS", "build_parser", "main", "resolve_view", "write_output"]

#: Every subcommand, in the order ``frontera --help`` lists them: ``register(subparsers, add_view_args)``.
COMMANDS: tuple[Callable[..., None], ...] = (
    export_data.register,
    export_map.register,
    imports.register,
    serve.register,
    db.register,
)


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, its help texts in the current language (build it inside the call)."""
    parser = Parser(prog="frontera", description=_("Frontera: situation map of the Mexico–Guatemala border."))
    parser.add_argument(
        "--lang",
        choices=list(i18n.LANGUAGES),
        help=_("language of the messages: es or en (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG)"),
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, metavar=_("COMMAND"), title=_("commands")
    )
    for register in COMMANDS:
        register(sub, view_args)
    return parser


def _language(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--lang`` wherever it stands (before or after the command), and the other arguments."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, rest = pre.parse_known_args(argv)
    return known.lang, rest


def main(argv: list[str] | None = None) -> int:
    """Run one command in the language of ``--lang`` or the environment; the language ends with the call."""
    asked, rest = _language(sys.argv[1:] if argv is None else list(argv))
    route_argparse()
    with i18n.language(i18n.from_environment() if asked is None else asked):
        return _run(asked, rest)


def _run(asked: str | None, rest: list[str]) -> int:
    parser = build_parser()
    if asked is not None and asked not in i18n.LANGUAGES:
        parser.error(
            _("--lang {value} is not a language Frontera speaks; use one of: {choices}").format(
                value=repr(asked), choices=", ".join(i18n.LANGUAGES)
            )
        )
    args = parser.parse_args(rest)
    # GDAL's complaints about a damaged store arrive as warnings before the error that explains them
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # suppressed where absent
    try:
        return int(args.func(args) or 0)
    except FronteraError as exc:  # a file's problem remembers its words: said in this call's language
        message = exc.problem.message(_) if isinstance(exc, FileProblem) else exc
        echo(_("frontera: error: {message}").format(message=message), err=True)
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
