"""Every command of the command line speaks Spanish: a sweep over each command's --help and a
representative message of each kind (argparse's errors, an ACLED file with a missing column, a bad
date, an oversize file against a lowered limit, a damaged store, an unknown view parameter, a
successful export...), under ``LANG=es_MX.UTF-8`` and under ``--lang es``.

A case fails when its output still holds English text of the catalogue: a phrase (two words or more,
10 characters or more) of a msgid whose Spanish msgstr differs and does not keep that phrase, or one
of argparse's short words ("usage:", "options:"). Single words are left out: they are also names
the person types (``--min-fatalities``, the layer ``operations``, the column ``destination``), and so
is anything the case itself typed (``--kind 'armed clash'`` is echoed as typed). Each case must also
show catalogue text in English, so a case that printed nothing, or nothing of the catalogue, cannot
pass unseen.
"""

from __future__ import annotations

import csv
import errno
import functools
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from import_helpers import FIXTURES

from frontera.cli import main
from frontera.importers import limits, sniff
from frontera.storage import geopackage as store

PO = Path(__file__).resolve().parents[1] / "src" / "frontera" / "locale" / "es" / "LC_MESSAGES" / "frontera.po"
MIN_CHARS = 10  # shorter stretches ("rows", "usage: ") are words data and Spanish may share
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[sdirf]")
#: argparse's words shorter than MIN_CHARS, which would otherwise slip through.
SHORT_ENGLISH = ("usage:", "options:", "positional arguments:", "argument ", "invalid ")


@functools.cache
def english_stretches() -> tuple[str, ...]:
    """The English stretches between placeholders of every msgid whose Spanish differs (and drops them)."""
    with PO.open("rb") as fp:
        catalogue = read_po(fp, locale="es")
    found: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        spanish = " ".join(s for s in strings if s)
        if not spanish or spanish in ids:
            continue
        for msgid in ids:
            for part in (p.strip(" ;:,.()") for p in _PLACEHOLDER.split(msgid)):
                if len(part) >= MIN_CHARS and " " in part and part not in spanish:
                    found.add(part)
    return tuple(sorted(found, key=len, reverse=True))


@functools.cache
def english_templates() -> tuple[re.Pattern, ...]:
    """Each msgid with placeholders as a pattern (``wrote .+? features \\(.+?\\) to .+?``), when its words
    make a phrase of MIN_CHARS or more and its Spanish does not read the same: a message whose every
    stretch is short is still found whole."""
    with PO.open("rb") as fp:
        catalogue = read_po(fp, locale="es")
    found = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = [s for s in (message.string if isinstance(message.string, tuple) else (message.string,)) if s]
        for msgid in ids if message.id and strings else ():
            parts = _PLACEHOLDER.split(msgid)
            words = "".join(parts).strip()
            if len(parts) > 1 and len(words) >= MIN_CHARS and " " in words:
                pattern = re.compile(".+?".join(re.escape(p) for p in parts))
                if not any(pattern.search(s) for s in strings):
                    found.append(pattern)
    return tuple(found)


def english_in(text: str, typed: tuple[str, ...] = ()) -> list[str]:
    """The catalogue's English found in ``text`` (but not in what was ``typed``), each with its line."""
    hits = [s for s in english_stretches() if s in text and not any(s in t for t in typed)]
    hits += [w for w in SHORT_ENGLISH if w in text]
    hits += [m.group(0) for p in english_templates() for ln in text.splitlines() for m in [p.search(ln)] if m]
    return [f"{hit!r} in: {next(ln for ln in text.splitlines() if hit in ln)!r}" for hit in hits]


# --- the cases -------------------------------------------------------------------------------------


def _acled_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO((FIXTURES / "acled_current.csv").read_text(encoding="utf-8"))))


def _write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _without_column(tmp: Path, column: str) -> Path:
    rows = _acled_rows()
    at = rows[0].index(column)
    return _write_rows(tmp / f"acled_sin_{column}.csv", [r[:at] + r[at + 1 :] for r in rows])


def _bad_date(tmp: Path) -> Path:
    rows = _acled_rows()
    rows[2][rows[0].index("event_date")] = "31/02/2024"
    return _write_rows(tmp / "acled_fecha_mala.csv", rows)


def _damaged_store(tmp: Path) -> None:
    assert main(["--lang", "en", "import", str(FIXTURES / "acled_current.csv")]) == 0
    path = store.store_path()
    path.write_bytes(path.read_bytes()[:40])


def _imported_and_removed() -> None:
    assert main(["--lang", "en", "import", str(FIXTURES / "acled_current.csv")]) == 0
    assert main(["--lang", "en", "remove-import", store.list_imports()[0]["import_id"]]) == 0


def _disk_full(monkeypatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)


def _lower(monkeypatch, module, name: str, value: int) -> None:
    monkeypatch.setattr(module, name, value)


OUT = "{tmp}/salida.geojson"
#: name -> (arguments, set-up before the run or None, the exit status expected)
CASES: dict[str, tuple[list[str], Callable | None, int]] = {
    "--help": (["--help"], None, 0),
    **{
        f"{command} --help": ([command, "--help"], None, 0)
        for command in ("export-data", "export-map", "import", "imports", "remove-import", "serve", "db")
    },
    "a required argument missing": (["export-data"], None, 2),
    "an unknown command": (["exportar"], None, 2),
    "an argument that is not a number": (["import", "x.csv", "--max-lines", "muchas"], None, 2),
    "an ACLED file without a required column": (["import", "{tmp}/acled_sin_latitude.csv", "--dry-run"], None, 2),
    "a file whose header is no known kind": (["import", "{tmp}/acled_sin_event_date.csv", "--dry-run"], None, 2),
    "an ACLED row with a bad date": (["import", "{tmp}/acled_fecha_mala.csv", "--dry-run"], None, 1),
    "an ACLED deletion file": (["import", str(FIXTURES / "acled_deletions.csv"), "--dry-run"], None, 0),
    "a file over the size limit": (
        ["import", str(FIXTURES / "acled_current.csv"), "--dry-run"],
        lambda mp, tmp: _lower(mp, sniff, "MAX_BYTES", 1024),
        2,
    ),
    "a file over the row limit": (
        ["import", str(FIXTURES / "acled_current.csv"), "--dry-run"],
        lambda mp, tmp: _lower(mp, limits, "MAX_ROWS", 2),
        2,
    ),
    "a file over the column limit": (
        ["import", str(FIXTURES / "acled_current.csv"), "--dry-run"],
        lambda mp, tmp: _lower(mp, limits, "MAX_COLUMNS", 5),
        2,
    ),
    "a folder given as the file": (["import", "{tmp}", "--dry-run"], None, 2),
    "a file that does not exist": (["import", "{tmp}/no-existe.csv", "--dry-run"], None, 2),
    "an import with rejected rows, all or nothing": (["import", str(FIXTURES / "flows_bad.csv")], None, 1),
    "the list of imports and removals": (["imports"], lambda mp, tmp: _imported_and_removed(), 0),
    "a damaged store": (["imports"], lambda mp, tmp: _damaged_store(tmp), 2),
    "an import into a damaged store": (
        ["import", str(FIXTURES / "acled_current.csv")],
        lambda mp, tmp: _damaged_store(tmp),
        2,
    ),
    "removing an import that does not exist": (["remove-import", "NOEXISTE"], None, 2),
    "an unknown density": (["export-data", "--out", OUT, "--density", "manchas"], None, 2),
    "an unknown layer": (["export-data", "--out", OUT, "--layers", "ninguna"], None, 2),
    "a start that is not a date": (["export-data", "--out", OUT, "--start", "2024-13-01"], None, 2),
    "a start too far from our times": (["export-map", "--out", OUT, "--start", "1066-10-14"], None, 2),
    "a minimum of deaths that is not a number": (["export-data", "--out", OUT, "--min-fatalities", "dos"], None, 2),
    "an unknown date precision": (["export-data", "--out", OUT, "--date-precision", "siglo"], None, 2),
    "an unknown export format": (["export-data", "--out", OUT, "--format", "xls"], None, 2),
    "an export to a folder": (["export-data", "--out", "{tmp}"], None, 2),
    "export-data with a focus": (
        ["export-data", "--out", OUT, "--min-fatalities", "1", "--kind", "armed clash"],
        None,
        0,
    ),
    "export-data": (["export-data", "--out", OUT], None, 0),
    "db upgrade without a database": (["db", "upgrade"], None, 2),
    "db upgrade with a URL of no known driver": (["db", "upgrade", "--url", "nosuchdriver://x"], None, 2),
    "db upgrade with a database that does not answer": (
        ["db", "upgrade", "--url", "postgresql+psycopg://frontera@127.0.0.1:1/frontera"],
        None,
        2,
    ),
    "an import onto a full disk": (["import", str(FIXTURES / "acled_current.csv")], lambda mp, tmp: _disk_full(mp), 2),
}


def _run(case: str, language: str, tmp: Path, monkeypatch, capsys) -> tuple[str, tuple[str, ...]]:
    """The output (stdout and stderr) of ``case`` in ``language``: "LANG" (es_MX), "--lang es" or "en"."""
    args, setup, status = CASES[case]
    _without_column(tmp, "latitude")
    _without_column(tmp, "event_date")
    _bad_date(tmp)
    monkeypatch.setenv("FRONTERA_DATA_DIR", str(tmp / "data"))  # a store of its own for each language
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    if setup is not None:
        setup(monkeypatch, tmp)
    capsys.readouterr()
    argv = [a.replace("{tmp}", str(tmp)) for a in args]
    monkeypatch.setenv("LANG", "es_MX.UTF-8" if language == "LANG" else "en_US.UTF-8")
    if language == "--lang es":
        argv = [*argv[:1], "--lang", "es", *argv[1:]]  # after the command: --lang stands anywhere
    elif language == "en":
        argv = ["--lang", "en", *argv]
    try:
        got = main(argv)
    except SystemExit as exc:  # argparse: --help and its errors
        got = exc.code
    out = capsys.readouterr()
    text = out.out + out.err
    assert got == status, f"`frontera {' '.join(argv)}` ({case}) exited {got}, expected {status}:\n{text}"
    assert text.strip(), f"`frontera {' '.join(argv)}` ({case}) printed nothing"
    return text, tuple(argv)


@pytest.mark.parametrize("case", list(CASES))
def test_every_command_speaks_spanish(case, tmp_path, monkeypatch, capsys):
    english, typed = _run(case, "en", _folder(tmp_path / "en"), monkeypatch, capsys)
    assert english_in(english, typed), (
        f"{case}: the English output holds no catalogue phrase, so the sweep sees nothing"
    )
    for language in ("LANG", "--lang es"):
        with monkeypatch.context() as mp:
            text, typed = _run(case, language, _folder(tmp_path / language.replace(" ", "_")), mp, capsys)
        left = english_in(text, typed)
        assert not left, f"`frontera` {case} under {language} still speaks English:\n" + "\n".join(left)


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_the_sweep_finds_english_when_a_message_is_left_untranslated():
    """The detector itself: an English message of the catalogue is found; its Spanish is not."""
    assert english_in("frontera: error: the following arguments are required: --out")
    assert english_in("uso: frontera\n\nusage: frontera")
    assert english_in("wrote 3 features (flows; 2024-01-01 to 2024-01-31) to a.geojson")  # short words, whole message
    assert not english_in("se escribieron 3 elementos (flows; del 2024-01-01 al 2024-01-31) en a.geojson")
    assert not english_in("frontera: error: faltan estos argumentos obligatorios: --out")
    assert not english_in("acled.csv, campo '(file)': valor 'x'; se esperaba una fila de encabezado")


def test_help_under_lang_es_mx_in_a_real_process():
    """``python -m frontera.cli`` (argparse's own module, not a test's) reads LANG: its words in Spanish."""
    env = {k: v for k, v in os.environ.items() if k not in {"LANGUAGE", "LC_ALL", "LC_MESSAGES"}}
    out = subprocess.run(
        [sys.executable, "-m", "frontera.cli", "import", "--help"],
        check=False,
        capture_output=True,
        text=True,
        env={**env, "LANG": "es_MX.UTF-8"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("uso: frontera import") and "opciones:" in out.stdout
    assert "muestra esta ayuda y termina" in out.stdout and not english_in(out.stdout)
