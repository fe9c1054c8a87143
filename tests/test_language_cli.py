"""The CLI speaks the language of LANG/LC_MESSAGES, or of --lang (before or after the command)."""

from __future__ import annotations

import os
import subprocess
import sys


def cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"}}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "frontera.cli", *args], check=False, capture_output=True, text=True, env=environ
    )


def test_lang_es_mx_speaks_spanish(tmp_path):
    out = cli("export-data", "--out", str(tmp_path), LANG="es_MX.UTF-8")
    assert out.returncode == 2
    assert f"no se pudo escribir {tmp_path}" in out.stderr and "Solución:" in out.stderr


def test_the_lang_option_wins_over_the_environment_wherever_it_stands(tmp_path):
    before = cli("--lang", "en", "export-data", "--out", str(tmp_path), LANG="es_MX.UTF-8")
    after = cli("export-data", "--out", str(tmp_path), "--lang", "es", LANG="en_US.UTF-8")
    assert "could not write" in before.stderr and "Fix:" in before.stderr
    assert "no se pudo escribir" in after.stderr


def test_an_unknown_language_is_refused_with_the_choices(tmp_path):
    out = cli("--lang", "xx", "export-data", "--out", str(tmp_path / "a.geojson"))
    assert out.returncode == 2 and "'xx'" in out.stderr and "es, en" in out.stderr
    assert not (tmp_path / "a.geojson").exists()


def _import(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "flows_bad.csv")
    return cli("import", fixture, "--dry-run", *args, FRONTERA_DATA_DIR=str(tmp_path / "data"), **env)


def test_an_import_with_rejected_rows_names_file_row_field_and_value_in_spanish(tmp_path):
    out = _import(tmp_path, LANG="es_MX.UTF-8")
    assert out.returncode == 1, out.stderr
    text = out.stdout
    assert "flows_bad.csv: flujos de desplazamiento, 9 filas leídas" in text
    assert "filas: agregar 0, actualizar 0, quitar 0, rechazar 9" in text and "rechazadas:" in text
    assert "flows_bad.csv fila 3, campo 'people': valor '-4', se esperaba un número entero >= 0" in text
    assert (
        "flows_bad.csv fila 6, campo 'date_end': valor '2024-07-23', se esperaba una fecha igual o posterior "
        "a date_start 2024-08-02; intercámbielas o corrija una"
    ) in text
    assert "flows_bad.csv fila 8, campo 'id': valor 'r6', se esperaba un id único (la fila 7 también lo tiene)" in text
    assert (
        "flows_bad.csv fila 7, campo 'origin': valor 'Atlantis', se esperaba un lugar del mapa (una localidad del "
        "nomenclátor, p. ej. 'Cuilco'); ningún lugar tiene ese nombre"
    ) in text
    assert "fila 2, campo 'origin': valor 'Amatenango', se esperaba un lugar del mapa; ¿quiso decir " in text
    assert "simulación: no se escribió nada" in text
    assert " row " not in text and "field" not in text and "expected" not in text


def test_the_same_import_in_english_is_unchanged(tmp_path):
    out = _import(tmp_path, LANG="en_US.UTF-8")
    assert out.returncode == 1, out.stderr
    text = out.stdout
    assert "flows_bad.csv: displacement flows, 9 rows read" in text
    assert "add 0, update 0, remove 0, reject 9 rows" in text and "\nrejected:\n" in text
    assert "flows_bad.csv row 3, field 'people': got '-4', expected a whole number >= 0" in text
    assert (
        "flows_bad.csv row 6, field 'date_end': got '2024-07-23', expected a date on or after date_start 2024-08-02; "
        "swap them or fix one"
    ) in text
    assert "flows_bad.csv row 8, field 'id': got 'r6', expected a unique id (row 7 has it too)" in text
    assert "dry run: nothing was written" in text


def test_frontera_imports_speaks_spanish(tmp_path):
    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "acled_current.csv")
    env = {"FRONTERA_DATA_DIR": str(tmp_path / "data"), "LANG": "es_MX.UTF-8"}
    done = cli("import", fixture, **env)
    assert done.returncode == 0, done.stderr
    assert "importado como " in done.stdout
    listing = cli("imports", **env).stdout.splitlines()
    heads = ["id_importación", "cuándo", "agregados", "actualizados", "eliminados", "rechazados", "ahora", "archivo"]
    assert listing[0].split() == heads
    assert listing[1].endswith("acled_current.csv") and " 5 " in listing[1]


def test_a_refused_file_is_refused_in_spanish(tmp_path):
    empty = tmp_path / "vacio.csv"
    empty.write_text("a,b\n", encoding="utf-8")
    out = cli("--lang", "es", "import", str(empty), "--dry-run", FRONTERA_DATA_DIR=str(tmp_path / "data"))
    assert out.returncode == 2, out.stderr
    assert "vacio.csv: archivo ilegible, 0 filas leídas" in out.stdout
    assert "el archivo fue rechazado; no se importará nada" in out.stdout
    assert (
        "vacio.csv, campo '(file)': valor 'un encabezado y ninguna fila de datos', se esperaba al menos una fila "
        "de datos"
    ) in out.stdout
