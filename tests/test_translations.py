"""Spanish and English: every message in the code has a Spanish translation that keeps its placeholders,
the catalogue compiles, and each session (thread) speaks its own language."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from frontera import i18n
from frontera.i18n import _

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "frontera" / "locale" / "es" / "LC_MESSAGES" / "frontera.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
_BRACES = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
_PERCENT = re.compile(r"%(?:\(\w+\))?[sdif]")


def _code_messages() -> dict[str, str]:
    """Every message marked in the code (msgid -> where), as ``make messages`` extracts them."""
    found: dict[str, str] = {}
    roots = [(ROOT / "src" / "frontera", [("**.py", "python")]), (ROOT, [("app.py", "python")]),
             (ROOT / "app_pages", [("**.py", "python")])]  # fmt: skip
    for folder, method_map in roots:
        for name, line, message, _comments, _context in extract_from_dir(
            folder, method_map, keywords=KEYWORDS, strip_comment_tags=True
        ):
            # a plural (ngettext) is one catalogue entry, found by its singular
            text = message[0] if isinstance(message, tuple) else message
            found.setdefault(text, f"{folder.name}/{name}:{line}")
    return found


def _catalogue():
    with PO.open("rb") as fp:
        return read_po(fp, locale="es")


def _placeholders(text: str) -> list[str]:
    return sorted(_BRACES.findall(text)) + sorted(_PERCENT.findall(text))


def test_every_message_in_the_code_has_a_spanish_translation():
    catalogue = _catalogue()
    missing = []
    for msgid, where in sorted(_code_messages().items()):
        message = catalogue.get(msgid)
        strings = [] if message is None else ([message.string] if isinstance(message.string, str) else message.string)
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, (
        "no Spanish translation (run `make messages`, translate in " + str(PO) + "):\n" + "\n".join(missing)
    )


def test_no_translation_loses_or_invents_a_placeholder():
    wrong = []
    for message in _catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text and _placeholders(text) != _placeholders(ids[-1 if len(ids) > 1 else 0]):
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_catalogue_compiles_without_errors():
    catalogue = _catalogue()
    errors = [(m.id, e) for m, e in catalogue.check()]
    assert not errors
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    assert buffer.getvalue()[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # a gettext .mo


def test_a_translated_message_in_each_language():
    with i18n.language("es"):
        assert _("Timeline") == "Cronología"
    with i18n.language("en"):
        assert _("Timeline") == "Timeline"
    assert i18n.current() == i18n.DEFAULT_LANGUAGE


@pytest.mark.parametrize(
    ("preferred", "lang"),
    [("es-MX", "es"), ("es_GT.UTF-8", "es"), ("en-US", "en"), ("fr-FR,es;q=0.8", "es"), ("de-DE", "en"),
     (None, "en"), ("", "en"), ("C.UTF-8", "en"), (["pt-BR", "es-419"], "es")],
)  # fmt: skip
def test_the_language_is_negotiated_from_what_the_person_prefers(preferred, lang):
    assert i18n.negotiate(preferred) == lang


def test_the_cli_language_follows_the_environment_as_gettext_reads_it():
    assert i18n.from_environment({"LANG": "es_MX.UTF-8"}) == "es"
    assert i18n.from_environment({"LANG": "es_MX.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}) == "en"
    assert i18n.from_environment({"LANG": "en_US.UTF-8", "LANGUAGE": "es_MX:en"}) == "es"
    assert i18n.from_environment({}) == "en"


def test_dates_and_numbers_are_written_as_each_language_writes_them():
    day = dt.date(2024, 8, 3)
    assert i18n.format_date(day, "es") == "3 de agosto de 2024"
    assert i18n.format_date(day, "en") == "3 August 2024"
    assert i18n.format_number(4187, "es") == "4.187"
    assert i18n.format_number(4187, "en") == "4,187"
    with i18n.language("es"):
        assert i18n.format_number(1234567.5) == "1.234.567,5"


def test_two_sessions_in_two_languages_at_once_each_see_their_own():
    barrier = threading.Barrier(2)
    seen: dict[str, list[str]] = {}

    def session(lang: str) -> None:
        i18n.use(lang)
        out = []
        for _round in range(50):
            barrier.wait()
            out.append(_("Timeline"))
        seen[lang] = out

    threads = [threading.Thread(target=session, args=(lang,)) for lang in ("es", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen["es"]) == {"Cronología"} and set(seen["en"]) == {"Timeline"}
