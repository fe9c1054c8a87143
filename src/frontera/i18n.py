"""Languages: Spanish and English, one translator per session (never a process-wide language).

Messages are written in English in the code and marked for translation::

    from frontera.i18n import _, N_, ngettext

    _("Clashes")                          # translated now, in the current language
    TITLE = N_("Displacement flows")      # marked only; translated where shown: _(TITLE)
    ngettext("{n} event", "{n} events", n).format(n=format_number(n))

The current language is a :class:`contextvars.ContextVar`: each Streamlit session's script
run (a thread of its own) and each CLI call sets it with :func:`use`, so two people in two
languages at once each see their own. Dates and numbers are written as each language writes
them, through Babel: :func:`format_date`, :func:`format_number`.

The catalogues are gettext files under ``frontera/locale/`` managed with Babel
(``make messages`` extracts and updates; the test command compiles and checks them). A
catalogue compiled to ``.mo`` is used when it is current; otherwise the ``.po`` is compiled
in memory, so a checkout works before the first ``make``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar, Token
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

#: The languages Frontera speaks, by code, each named in itself (for the language switch).
LANGUAGES: dict[str, str] = {"es": "Español", "en": "English"}
DEFAULT_LANGUAGE = "en"  # the language the messages are written in
DOMAIN = "frontera"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The Babel locale whose conventions each language writes dates and numbers in:
#: "3 de agosto de 2024", "4.187"; "3 August 2024", "4,187".
_FORMAT_LOCALE = {"es": "es", "en": "en_GB"}

_current: ContextVar[str] = ContextVar("frontera_language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for extraction without translating it (module-level constants)."""
    return message


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English: none, the messages are English)."""
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return gettext.NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def current() -> str:
    """The language of this session (or CLI call)."""
    return _current.get()


def use(lang: str | None) -> Token[str]:
    """Speak ``lang`` from now on in this context (an unknown or empty code: English)."""
    return _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` inside the block, then go back to the language before it."""
    token = use(lang)
    try:
        yield current()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, as the current language chooses for ``n``."""
    return translations(current()).ngettext(singular, plural, n)


def format_number(value: float | int, lang: str | None = None, decimals: int | None = None) -> str:
    """``4187`` as the language writes it: ``4.187`` (es), ``4,187`` (en); ``decimals=1``: ``12,0`` / ``12.0``."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_FORMAT_LOCALE[lang or current()])


def format_date(day: dt.date, lang: str | None = None, style: str = "long") -> str:
    """A day as the language writes it: ``3 de agosto de 2024`` (es), ``3 August 2024`` (en);
    ``style="medium"``: ``3 ago 2024``, ``3 Aug 2024``."""
    return _babel_date(day, style, locale=_FORMAT_LOCALE[lang or current()])


def negotiate(preferred: str | Iterable[str] | None) -> str:
    """The language to speak to someone who prefers ``preferred`` (``"es-MX"``, an Accept-Language
    list, a POSIX ``es_MX.UTF-8``); English when none of theirs is one of ours."""
    if not preferred:
        return DEFAULT_LANGUAGE
    items = [preferred] if isinstance(preferred, str) else list(preferred)
    codes: list[str] = []
    for item in items:
        for part in str(item).split(","):
            code = part.split(";")[0].split(".")[0].split("@")[0].strip().replace("-", "_")
            if code and code not in {"C", "POSIX", "*"}:
                codes.append(code)
    for code in codes:
        try:
            found = Locale.parse(code).language
        except (ValueError, UnknownLocaleError):
            continue
        if found in LANGUAGES:
            return found
    return DEFAULT_LANGUAGE


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The CLI's language from ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``, as gettext reads them."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return negotiate(value.split(":"))
    return DEFAULT_LANGUAGE


def vega_locale(lang: str | None = None) -> dict:
    """Vega's number and time-format locale (d3's) for the language, from Babel's CLDR data: a chart's axes
    then write "ene", "feb" and "4.187" in Spanish. Given in the chart's spec, so nothing is fetched."""
    loc = Locale.parse(_FORMAT_LOCALE[lang or current()])
    names = loc.months["format"], loc.days["format"]
    months = [names[0]["wide"][m] for m in range(1, 13)], [names[0]["abbreviated"][m] for m in range(1, 13)]
    # d3 counts days from Sunday; CLDR numbers them from Monday (0).
    days = [names[1]["wide"][(d + 6) % 7] for d in range(7)], [names[1]["abbreviated"][(d + 6) % 7] for d in range(7)]
    time = {
        "dateTime": "%x, %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": days[0],
        "shortDays": [d.rstrip(".") for d in days[1]],
        "months": months[0],
        "shortMonths": [m.rstrip(".") for m in months[1]],
    }
    symbols = loc.number_symbols.get("latn", loc.number_symbols) if hasattr(loc, "number_symbols") else {}
    number = {
        "decimal": symbols.get("decimal", "."),
        "thousands": symbols.get("group", ","),
        "grouping": [3],
        "currency": ["", ""],
    }
    return {"number": number, "time": time}
