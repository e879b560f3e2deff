"""Issue 15's targets, each command in a fresh process, several runs, spread not best.

Run from the repository root (the `socialcap` on PATH is what is measured)::

    python benchmarks/targets.py --big BIG --demo DEMO [--runs 5] [--busy] [--only metrics,igraph]

``BIG`` is the large cohort (``benchmarks/_generate.py``: ``generate(BIG, 20000, 5)``);
``DEMO`` is ``socialcap demo -o DEMO --people 40``.  Optional sources of the same large
cohort: ``--big-store FILE.db`` and ``--big-parquet FOLDER``.

Each run is timed from outside with ``os.wait4``: wall time, user and system CPU time
and peak memory (maximum resident set) of the process and its children.  Beside every
figure is the machine's load just before the run: the number of running tasks (from
``/proc/loadavg``, this script's own included) and the one-minute load average.

``--busy`` keeps one core loaded by a second process (a Python busy loop) for the
whole measurement, as the issue asks ("still at least 4x when the machine is busy").

The igraph baseline (``benchmarks/igraph_e2e.py``) runs alternately with
``socialcap metrics``, and each pair's ratio is printed: both ran under the same load.
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

HERE = Path(__file__).resolve().parent


def load() -> str:
    fields = Path("/proc/loadavg").read_text().split()
    return f"{fields[3].split('/')[0]} running, load {fields[0]}"


def timed(command: list[str], **popen: object) -> dict[str, float | str]:
    """Run ``command``; its wall time, CPU times (s) and peak memory (GiB)."""
    before = load()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)  # type: ignore[call-overload]
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors[-2000:]}")
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime, "peak": usage.ru_maxrss / 2**20, "load": before}


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f} (median {statistics.median(values):.2f})"


def report(name: str, runs: list[dict[str, float | str]], target: float | None = None) -> None:
    wall = [float(r["wall"]) for r in runs]
    cpu = [float(r["user"]) + float(r["sys"]) for r in runs]
    met = "" if target is None else ("  MET" if max(wall) < target else f"  not met in {sum(w >= target for w in wall)} of {len(wall)} runs")
    print(f"{name}: wall {spread(wall)} s; CPU (user+sys) {spread(cpu)} s; "
          f"user {spread([float(r['user']) for r in runs])}; sys {spread([float(r['sys']) for r in runs])}; "
          f"peak {max(float(r['peak']) for r in runs):.2f} GiB{met}")
    for r in runs:
        print(f"    {float(r['wall']):6.2f} s wall {float(r['user']):6.2f} user {float(r['sys']):5.2f} sys  [{r['load']}]")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", type=Path, required=True)
    parser.add_argument("--demo", type=Path)
    parser.add_argument("--big-store", type=Path)
    parser.add_argument("--big-parquet", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--igraph-runs", type=int, default=3)
    parser.add_argument("--busy", action="store_true", help="keep one core loaded by a second process")
    parser.add_argument("--only", default="help,map,serve,memory,metrics,igraph,report,sources")
    args = parser.parse_args()
    only = set(args.only.split(","))
    out = Path(tempfile.mkdtemp(prefix="socialcap-targets-"))
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.busy else None
    try:
        print(f"{'BUSY (one core loaded by a second process)' if hog else 'no extra load'}; {os.cpu_count()} cores; "
              f"start {time.strftime('%H:%M:%S')} [{load()}]")
        if "help" in only:
            report("socialcap --help (< 0.3 s)", [timed(["socialcap", "--help"]) for _ in range(args.runs)], 0.3)
        if "map" in only and args.demo:
            for source in (args.demo / "cohort", args.demo / "maps.db"):
                for ending in ("png", "html"):
                    runs = [timed(["socialcap", "map", str(source), "--person", "P001", "-o", str(out / f"m.{ending}")]) for _ in range(args.runs)]
                    report(f"socialcap map {source.name} --person P001 -o m.{ending}" + (" (< 1 s)" if ending == "png" else ""), runs, 1.0 if ending == "png" else None)
        if "serve" in only and args.demo:
            for _ in range(args.runs):
                done = subprocess.run([sys.executable, str(HERE / "serve_start.py"), str(args.demo / "maps.db")], capture_output=True, text=True)
                print(f"    serve: {done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]}  [{load()}]")
        if "memory" in only:
            for _ in range(2):
                done = subprocess.run([sys.executable, str(HERE / "in_memory.py"), str(args.big)], capture_output=True, text=True, check=True)
                print(done.stdout.rstrip())
        if "metrics" in only or "igraph" in only:
            ours, theirs = [], []
            for i in range(max(args.runs, args.igraph_runs if "igraph" in only else 0)):
                if "metrics" in only and i < args.runs:
                    ours.append(timed(["socialcap", "metrics", str(args.big), "-o", str(out / "metrics.csv"), "--quiet"]))
                if "igraph" in only and i < args.igraph_runs:
                    theirs.append(timed([sys.executable, str(HERE / "igraph_e2e.py"), str(args.big), str(out / "igraph.csv")]))
                    if ours:
                        print(f"    pair {i + 1}: igraph {float(theirs[-1]['wall']):.2f} s / socialcap {float(ours[-1]['wall']):.2f} s "
                              f"= {float(theirs[-1]['wall']) / float(ours[-1]['wall']):.1f}x")
                        sys.stdout.flush()
            if ours:
                report("socialcap metrics BIG -o metrics.csv (CSV -> CSV, < 4 s)", ours, 4.0)
            if theirs:
                report("igraph script end to end (benchmarks/igraph_e2e.py)", theirs)
        if "report" in only:
            runs = [timed(["socialcap", "report", str(args.big), "-o", str(out / "report"), "--quiet"]) for _ in range(max(3, args.runs // 2))]
            report("socialcap report BIG (< 8 s)", runs, 8.0)
        if "sources" in only:
            for label, source in (("SQLite store", args.big_store), ("Parquet folder", args.big_parquet)):
                if source:
                    runs = [timed(["socialcap", "metrics", str(source), "-o", str(out / "metrics.csv"), "--quiet"]) for _ in range(max(3, args.runs // 2))]
                    report(f"socialcap metrics ({label}) -> CSV", runs)
        print(f"end {time.strftime('%H:%M:%S')} [{load()}]")
    finally:
        if hog:
            hog.kill()


if __name__ == "__main__":
    main()
