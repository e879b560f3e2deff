"""A small mutation pass: put one deliberate bug at a time into the core and see whether
the tests that cover it notice.

Each mutant changes one token of a module (a comparison, an arithmetic or boolean
operator, True/False, a small number), chosen from every such token of the code (not
docstrings or comments) with a fixed seed.  The module's tests then run with ``-x``; a
mutant is *killed* when they fail.  Run it on a copy of the repository, never on a tree
other processes are importing::

    cp -r . /tmp/mutants && cd /tmp/mutants
    python tools/mutate.py --per-module 5 --seed 1

It prints one line per mutant and the figure killed/total.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tokenize
from pathlib import Path

#: The core modules and the tests that cover each (DESIGN.md's layers, tests mirror modules).
TARGETS: dict[str, list[str]] = {
    "socialcap/metrics.py": ["tests/test_metrics.py"],
    "socialcap/change.py": ["tests/test_change.py"],
    "socialcap/analysis.py": ["tests/test_analysis.py"],
    "socialcap/privacy.py": ["tests/test_privacy.py", "tests/test_analysis.py"],
    "socialcap/_validate.py": ["tests/test_validate.py"],
    "socialcap/maps/_layout.py": ["tests/test_maps.py"],
    "socialcap/io.py": ["tests/test_io.py"],
    "socialcap/cli/report.py": ["tests/test_report.py", "tests/test_cli.py"],
}

SWAPS = {
    "<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==",
    "+": "-", "-": "+", "*": "/", "/": "*", "//": "/",
    "and": "or", "or": "and", "True": "False", "False": "True",
}


def candidates(source: str) -> list[tuple[int, int, str, str]]:
    """(line, column, token, replacement) for every token that can be mutated."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.OP, tokenize.NAME) and tok.string in SWAPS:
            found.append((tok.start[0], tok.start[1], tok.string, SWAPS[tok.string]))
        elif tok.type == tokenize.NUMBER and tok.string.isdigit() and int(tok.string) < 100:
            found.append((tok.start[0], tok.start[1], tok.string, str(int(tok.string) + 1)))
    return found


def mutate(source: str, line: int, column: int, old: str, new: str) -> str:
    lines = source.splitlines(keepends=True)
    text = lines[line - 1]
    assert text[column:column + len(old)] == old
    lines[line - 1] = text[:column] + new + text[column + len(old):]
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-module", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per mutant's test run")
    parser.add_argument("modules", nargs="*", help="only these (default: every target)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    killed = total = 0
    for module, tests in TARGETS.items():
        if args.modules and module not in args.modules:
            continue
        path = Path(module)
        original = path.read_text(encoding="utf-8")
        for line, column, old, new in rng.sample(candidates(original), args.per_module):
            mutant = mutate(original, line, column, old, new)
            try:
                compile(mutant, module, "exec")
            except SyntaxError:
                continue
            path.write_text(mutant, encoding="utf-8")
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                    capture_output=True, text=True, timeout=args.timeout,
                )
                caught = done.returncode != 0
                failed = next((l for l in done.stdout.splitlines() if l.startswith(("FAILED", "ERROR"))), "")
            except subprocess.TimeoutExpired:
                caught, failed = True, "(timed out)"
            finally:
                path.write_text(original, encoding="utf-8")
            total += 1
            killed += caught
            code = original.splitlines()[line - 1].strip()
            print(f"{'KILLED  ' if caught else 'SURVIVED'} {module}:{line} {old!r}->{new!r}  {code[:70]}  {failed[:110]}",
                  flush=True)
    print(f"\n{killed}/{total} mutants killed ({killed / max(total, 1):.0%})")


if __name__ == "__main__":
    main()
