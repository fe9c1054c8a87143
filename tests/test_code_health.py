"""The checks that keep the code's shape honest, run by ``make test`` (hence by CI).

ruff (lint and format), mypy and import-linter read their configuration from pyproject.toml;
each test fails with the tool's own report, which names the file, the line and the rule.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
BIN = Path(sys.executable).parent

MAX_FUNCTION_LINES = 60
# Functions longer than MAX_FUNCTION_LINES today, with their length (def line to last line).
# A shrinking allow-list: an entry may only go down or away, and no new function may join it.
# The restructure of issue 10 is where these get split.
LONG_FUNCTIONS: dict[str, int] = {}


def run_tool(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}  # lint-imports and mypy must see this checkout's package
    return subprocess.run(list(args), cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=timeout)


def report(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"


def test_ruff_check_finds_nothing():
    proc = run_tool(str(BIN / "ruff"), "check", "--no-fix", "--output-format", "concise", ".")
    assert proc.returncode == 0, report(proc)


def test_ruff_format_would_change_nothing():
    proc = run_tool(str(BIN / "ruff"), "format", "--check", ".")
    assert proc.returncode == 0, "run `ruff format .`\n" + report(proc)


def test_mypy_finds_no_error():
    proc = run_tool(sys.executable, "-m", "mypy")
    assert proc.returncode == 0, report(proc)
    assert "Success: no issues found" in proc.stdout, report(proc)


def test_import_contracts_are_kept():
    proc = run_tool(str(BIN / "lint-imports"), "--no-cache")
    assert proc.returncode == 0, report(proc)
    assert "0 broken" in proc.stdout, report(proc)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    adj = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in adj:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(adj[node]):
                work.append((node, i + 1))
                nxt = adj[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    component.append(m)
                    if m == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_no_import_cycle_between_modules():
    """Function-level imports included (grimp reads them all); no exception at module level."""
    graph = grimp.build_graph("frontera", cache_dir=None)
    spec = importlib.util.find_spec("frontera")  # grimp finds the package the same way
    assert spec is not None and spec.origin is not None and Path(spec.origin).is_relative_to(SRC)
    assert "frontera.storage.geopackage" in graph.modules
    assert _cycles(graph) == []


def _function_lengths() -> dict[str, int]:
    out = {}
    for path in sorted((SRC / "frontera").rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    out[f"{rel}::{node.name}"] = max(length, out.get(f"{rel}::{node.name}", 0))
    return out


def test_no_function_is_longer_than_60_lines_except_the_listed_ones():
    lengths = _function_lengths()
    new = {name: n for name, n in lengths.items() if name not in LONG_FUNCTIONS}
    assert new == {}, f"functions over {MAX_FUNCTION_LINES} lines: split them"
    grown = {name: (n, LONG_FUNCTIONS[name]) for name, n in lengths.items() if n > LONG_FUNCTIONS[name]}
    assert grown == {}, "(now, allowed): listed functions may only get shorter"


def test_the_allow_list_shrinks_with_the_code():
    """An entry whose function is now short (or gone) must leave the list, or lower its number.

    One test over every entry (not parametrized), so that an empty list runs rather than skips.
    """
    lengths = _function_lengths()
    stale = {
        name: lengths.get(name, "at most 60 lines or gone")
        for name, n in LONG_FUNCTIONS.items()
        if lengths.get(name) != n
    }
    assert stale == {}, f"{stale}: update LONG_FUNCTIONS"


# --- Repeated logic (issue 10: no pair of places of six or more lines that is the same logic twice) ---

MIN_DUPLICATE_LINES = 6
#: Pairs of files in src/ (a file twice for a pair inside one file) whose repeated lines only look
#: alike: data tables or different logic of the same shape. See docs/architecture.md, "Lookalikes kept".
LOOKALIKES = {
    ("frontera/model/layers.py", "frontera/model/layers.py"),  # the layer registry: one entry per layer
    ("frontera/model/rules.py", "frontera/model/rules.py"),  # the record rules: one row per rule
    ("frontera/ui/focus.py", "frontera/ui/focus.py"),  # two multiselects, each its own options and texts
    ("frontera/layers/basemap.py", "frontera/layers/basemap.py"),  # land and state outlines: two styles
    ("frontera/mapview.py", "frontera/mapview.py"),  # build_layer_groups repeats build_layers' parameters
}
_NOT_CODE = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.COMMENT,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


def _code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, tokens joined by one space) of each line of code, as pylint's symilar compares them:
    blank lines, comments, import statements, lone punctuation and lines of one string (docstrings) are left out."""
    lines: dict[int, list[str]] = {}
    in_import = False
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        in_import = in_import and tok.type != tokenize.NEWLINE
        if tok.type in _NOT_CODE or in_import:
            continue
        starts = tok.start[0] not in lines
        if starts and tok.string in ("import", "from") and not tok.line[: tok.start[1]].strip():
            in_import = True
            continue
        lines.setdefault(tok.start[0], []).append(tok.string)
    return [
        (n, " ".join(words))
        for n, words in sorted(lines.items())
        if any(w not in "()[]{},:;" for w in words) and not (len(words) == 1 and words[0][-1:] in "\"'")
    ]


def _repeated_lines_builtin(root: Path) -> dict[tuple[str, str], str]:
    """Pairs of files sharing MIN_DUPLICATE_LINES or more consecutive lines of code, each with one place."""
    places: dict[tuple[str, ...], list[tuple[str, int, int]]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        code = _code_lines(path.read_text(encoding="utf-8"))
        for i in range(len(code) - MIN_DUPLICATE_LINES + 1):
            window = tuple(line for _, line in code[i : i + MIN_DUPLICATE_LINES])
            places.setdefault(window, []).append((rel, code[i][0], code[i + MIN_DUPLICATE_LINES - 1][0]))
    pairs: dict[tuple[str, str], str] = {}
    for where in places.values():
        for k, first in enumerate(where):
            for second in where[k + 1 :]:
                (fa, sa, ea), (fb, sb, eb) = sorted((first, second))
                if fa != fb or sb > ea:  # windows of one run overlap themselves
                    pairs.setdefault((fa, fb), f"{fa}:{sa}-{ea} ~ {fb}:{sb}-{eb}")
    return pairs


def _repeated_lines_by_tool(tool: str, root: Path) -> dict[tuple[str, str], str]:
    """The pairs the ``duplicates`` tool lists (same lines, or same shape with other names and values)."""
    args = [tool, "--min-lines", str(MIN_DUPLICATE_LINES), "--most", "200", "--seconds", "120"]
    proc = subprocess.run(args, cwd=root, check=False, capture_output=True, text=True, timeout=300)
    assert "incomplete:" not in proc.stdout, proc.stdout
    pairs: dict[tuple[str, str], str] = {}
    for row in re.finditer(r"^D\d+ (\S+?):(\d+-\d+) ~ (\S+?):(\d+-\d+)", proc.stdout, re.M):
        fa, fb = sorted((row[1], row[3]))
        pairs.setdefault((fa, fb), row[0])
    return pairs


def test_the_builtin_duplicate_finder_finds_a_copied_block(tmp_path):
    body = "\n".join(f"    total = total + {n} * value  # step {n}" for n in range(MIN_DUPLICATE_LINES))
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(f"import os\n\n\ndef f(value):\n    total = 0\n{body}\n    return total\n")
    (tmp_path / "c.py").write_text('"""Only a docstring."""\n\nimport os\nimport sys\n')
    assert set(_repeated_lines_builtin(tmp_path)) == {("a.py", "b.py")}


def test_no_logic_is_written_twice_in_src():
    """Every pair of places sharing six or more lines in src/ is one the allow-list names as a lookalike.

    Uses the ``duplicates`` tool where it is installed (it also sees lines of the same shape with other
    names); elsewhere, as in CI, the exact-line finder above (the approach of pylint's symilar).
    """
    tool = shutil.which("duplicates")
    pairs = _repeated_lines_by_tool(tool, SRC) if tool else _repeated_lines_builtin(SRC)
    new = {pair: where for pair, where in pairs.items() if pair not in LOOKALIKES}
    assert new == {}, "the same lines twice: make one piece of code serve both, or list a lookalike in LOOKALIKES"
