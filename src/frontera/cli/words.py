"""argparse's own words ("usage:", "options", "the following arguments are required: …") in the
language of the current call.

argparse writes its words through ``gettext.gettext``, which reads one process-wide language.
:func:`route_argparse` points argparse's two gettext names at :mod:`frontera.i18n`, whose
language is a context variable set for each CLI call (``frontera.cli.main``): each call, in each
thread, reads argparse's words in its own language, and code outside a Frontera call reads them
in English, as before. The messages are listed here so that ``make messages`` keeps them in the
catalogue (argparse's sources are not extracted).
"""

from __future__ import annotations

import argparse

from frontera import i18n
from frontera.i18n import N_, ngettext

#: argparse's messages (Python 3.11-3.13) that a person of the command line reads.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def expected_arguments(n: int) -> str:
    """argparse's one plural message, "expected 2 arguments" (``nargs=2``), listed for the catalogue."""
    return ngettext("expected %s argument", "expected %s arguments", n)


def _argparse_gettext(message: str) -> str:
    return i18n._(message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def route_argparse() -> None:
    """argparse's words through :mod:`frontera.i18n`: in the language of the current call."""
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]  # argparse's module-level gettext name
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]
