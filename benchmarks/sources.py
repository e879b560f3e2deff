"""`socialcap metrics` from a CSV folder, a SQLite store and a folder of Parquet files.

    python benchmarks/sources.py --folder /tmp/big            # a cohort made by _generate.py
    python benchmarks/sources.py --people 2000 --runs 3       # generate one first (into a temporary folder)

Makes the store (`socialcap copy FOLDER STORE`) and the Parquet folder (the typed
tables of `read_cohort(FOLDER).tables()`, one `.parquet` file each) beside the folder
unless they exist, then runs `socialcap metrics SOURCE -o out.csv --quiet` in a fresh
process for each source in turn, ``--runs`` times, and prints wall time, user and
system CPU (of the child process) and peak memory, and whether every output file is
byte-identical to the one from the CSV folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(command: list[str]) -> tuple[float, float, float, int]:
    """Wall, user and system seconds and peak KiB of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, help="a cohort folder of CSV files (default: generate one)")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import socialcap as sc

    folder = args.folder
    if folder is None:
        from _generate import generate

        folder = Path(tempfile.mkdtemp()) / "cohort"
        generate(folder, args.people, args.waves)
    store = folder.with_name(folder.name + "-store.db")
    parquet = folder.with_name(folder.name + "-parquet")
    socialcap = str(Path(sys.executable).with_name("socialcap"))
    if not store.exists():
        wall, user, system, peak = _run([socialcap, "copy", str(folder), str(store)])
        print(f"socialcap copy FOLDER STORE: {wall:.1f} s wall, {user:.1f} user, {system:.1f} sys, {peak / 2**20:.2f} GiB")
    if not parquet.exists():
        parquet.mkdir()
        for name, table in sc.read_cohort(folder).tables().items():
            table.to_parquet(parquet / f"{name}.parquet", index=False)
    sources = {"CSV folder": folder, "SQLite store": store, "Parquet folder": parquet}
    out = Path(tempfile.mkdtemp())
    figures: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in sources}
    for _ in range(args.runs):
        for name, source in sources.items():
            target = out / f"{name.replace(' ', '-')}.csv"
            target.unlink(missing_ok=True)
            figures[name].append(_run([socialcap, "metrics", str(source), "-o", str(target), "--quiet"]))
    reference = (out / "CSV-folder.csv").read_bytes()
    print(f"{'source':16} {'wall s':>14} {'user s':>12} {'sys s':>12} {'peak GiB':>12}  same file as CSV")
    for name, runs in figures.items():
        def spread(i: int, scale: float = 1.0) -> str:
            values = [r[i] / scale for r in runs]
            return f"{min(values):.2f}-{max(values):.2f}"
        same = (out / f"{name.replace(' ', '-')}.csv").read_bytes() == reference
        print(f"{name:16} {spread(0):>14} {spread(1):>12} {spread(2):>12} {spread(3, 2**20):>12}  {same}")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
