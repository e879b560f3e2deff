"""Benchmark: ``socialcap map SRC --person P -o FILE`` for one person, each run a fresh process.

Run from the repository root::

    python benchmarks/map_command.py SRC [SRC ...]           # e.g. socialcap-demo/cohort socialcap-demo/maps.db
    python benchmarks/map_command.py SRC --runs 8 --endings .png .html
    python benchmarks/map_command.py SRC --baseline /path/to/other/bin/socialcap
    python benchmarks/map_command.py SRC --steps      # and where the time goes, step by step

SRC is a cohort folder, an .xlsx workbook or a store (made, for instance, by
``socialcap demo -o socialcap-demo --people 40``).  For each source and ending the
command runs ``--runs`` times; with ``--baseline`` (another installation's
``socialcap``, e.g. the main branch) each run of this one is paired with a run of that
one, alternating, so both see the same load.  Printed per case: wall time and CPU
time (user + system, from the child's resource usage), lowest–highest over all runs
(the spread, not the best run), the median, and the ratio of the medians to the
baseline; and the load average before and after.

Issue 15's target: under 1 s wall on a quiet machine for a PNG of one person.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(program: list[str], source: str, person: str, out: Path) -> tuple[float, float, float]:
    """(wall, user, sys) seconds of one fresh ``socialcap map`` process."""
    start = time.perf_counter()
    process = subprocess.Popen([*program, "map", source, "--person", person, "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(program)} map {source} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return wall, usage.ru_utime, usage.ru_stime


#: One person's map in one fresh process, timed step by step (what `socialcap map` does).
STEPS = r"""
import gc, sys, time
gc.set_threshold(*gc.get_threshold()[:2], 100)  # as the console script (socialcap.cli.run)
t = [time.perf_counter()]
import socialcap.cli.maps, socialcap.io  # click, the model and the readers: pandas, numpy, pyarrow
t.append(time.perf_counter())
from socialcap.cli._common import load_timeline
timeline = load_timeline(sys.argv[1], sys.argv[2])  # for a store: SQLAlchemy, then one person's rows
t.append(time.perf_counter())
from socialcap.maps._circles import circles  # matplotlib
t.append(time.perf_counter())
figure = circles(timeline.snapshots[-1])
t.append(time.perf_counter())
import matplotlib
import matplotlib.image
from socialcap.io import atomic_write
from socialcap.maps._draw import RC
with matplotlib.rc_context(RC):
    figure.set_dpi(200)  # as socialcap.maps.save: what savefig does, in two steps
    figure.set_facecolor("white")
    figure.canvas.draw()
    t.append(time.perf_counter())
    with atomic_write(sys.argv[3], "wb") as handle:
        matplotlib.image.imsave(handle, figure.canvas.buffer_rgba(), format="png", origin="upper", dpi=200,
                                metadata={"Software": None})
t.append(time.perf_counter())
print(*(round(b - a, 4) for a, b in zip(t, t[1:])))
"""
STEP_NAMES = ("import the command and the readers (click, pandas, numpy, pyarrow)",
              "read one person's maps (for a store: and import SQLAlchemy)",
              "import the drawing code (matplotlib)", "lay out the map (figure)", "draw it at 200 dpi (Agg)",
              "encode the PNG and write it")


def steps(source: str, person: str, runs: int, folder: Path) -> None:
    """Print the median time of each step of one map, over ``runs`` fresh processes."""
    import subprocess

    rows = []
    for run in range(runs):
        out = subprocess.run([sys.executable, "-c", STEPS, source, person, str(folder / f"steps{run}.png")],
                             capture_output=True, text=True, check=True).stdout
        rows.append([float(x) for x in out.split()])
    print(f"steps of one map from {source} (median of {runs} fresh processes):")
    for name, values in zip(STEP_NAMES, zip(*rows)):
        print(f"  {statistics.median(values):6.3f} s  {name}")


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f} s (median {statistics.median(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="cohort folders, workbooks or stores")
    parser.add_argument("--person", default="P001", help="the person_id to draw (default P001)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--endings", nargs="+", default=[".png", ".html"])
    parser.add_argument("--program", default=str(Path(sys.executable).with_name("socialcap")),
                        help="the socialcap to time (default: the one beside this Python)")
    parser.add_argument("--baseline", help="another socialcap to time in the same run, alternating")
    parser.add_argument("--steps", action="store_true",
                        help="also time each step of one map inside one process (this installation's Python)")
    args = parser.parse_args()
    programs = {"this": [args.program]}
    if args.baseline:
        programs["baseline"] = [args.baseline]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        for source in args.sources:
            for ending in args.endings:
                times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in programs}
                for run in range(args.runs):
                    for name, program in programs.items():
                        times[name].append(one_run(program, source, args.person, Path(folder) / f"{name}{run}{ending}"))
                for name in programs:
                    walls = [w for w, _, _ in times[name]]
                    cpus = [u + s for _, u, s in times[name]]
                    line = f"{name:8} {source} -o m{ending}: wall {spread(walls)}, CPU {spread(cpus)}"
                    if name == "this" and "baseline" in times:
                        base_wall = statistics.median(w for w, _, _ in times["baseline"])
                        base_cpu = statistics.median(u + s for _, u, s in times["baseline"])
                        line += (f"; baseline / this: wall {base_wall / statistics.median(walls):.1f}×, "
                                 f"CPU {base_cpu / statistics.median(cpus):.1f}×")
                    print(line, flush=True)
            if args.steps:
                steps(source, args.person, args.runs, Path(folder))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
