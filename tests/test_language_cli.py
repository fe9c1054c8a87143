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
