"""Benchmark: the analyst's path from a cohort to its report, at 300, 5,000 and 20,000 people.

Run from the repository root::

    python benchmarks/report.py                      # 300 × 3, 5,000 × 5 and 20,000 × 5
    python benchmarks/report.py --sizes 300x3        # a quick look
    python benchmarks/report.py --progress           # show the report's progress bar

For each size it generates a cohort with ``socialcap.datasets.synthetic`` and times,
in memory:

- ``metrics``: ``cohort.metrics()``;
- ``cohort_change``: ``socialcap.analysis.cohort_change(cohort, metrics=m)``, the
  baseline and follow-up table with what `socialcap.compare` counts per person
  (`socialcap.change.change_counts`, everyone at once);
- ``summarise``: ``socialcap.analysis.summarise(change, by="ward")``;
- ``report``: ``socialcap.report.write_report(cohort, folder, metrics=m)``, plots
  and all, written to a temporary folder;

and, as a reference, the old way of counting: one ``compare`` per person on a
sample of ``--check`` people, extrapolated to everyone.  (That the two ways agree
is a test: ``tests/test_analysis.py::test_cohort_change_counts_agree_with_compare``.)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import socialcap as sc
from socialcap import analysis
from socialcap.change import compare


def timed(what: str, times: dict[str, float], call, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call(*args, **kwargs)
    times[what] = time.perf_counter() - start
    return result


def run(people: int, waves: int, check: int, progress: bool) -> dict[str, float]:
    times: dict[str, float] = {}
    cohort = timed("generate", times, sc.datasets.synthetic, people=people, waves=waves, seed=2)
    metrics = timed("metrics", times, cohort.metrics)
    change = timed("cohort_change", times, analysis.cohort_change, cohort, metrics=metrics)
    timed("summarise", times, analysis.summarise, change, by="ward")
    with tempfile.TemporaryDirectory() as folder:
        timed("report", times, sc.report.write_report, cohort, folder, metrics=metrics, verbose=progress)

    # The old way: one compare() per person, on a sample.
    sample = change.table.head(check)
    start = time.perf_counter()
    for pid, row in sample.iterrows():
        timeline = cohort.timeline(str(pid))
        compare(timeline.snapshot(row["baseline_date"]), timeline.snapshot(row["followup_date"])).counts
    per_person = (time.perf_counter() - start) / max(len(sample), 1)
    times["compare loop (extrapolated)"] = per_person * change.people
    times["compared people"] = change.people
    times["rows"] = len(cohort.connections)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["300x3", "5000x5", "20000x5"],
                        help="people x waves, e.g. 300x3 20000x5")
    parser.add_argument("--check", type=int, default=100, help="people compared one by one (default 100)")
    parser.add_argument("--progress", action="store_true", help="show the report's progress bar")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        people, waves = (int(x) for x in size.lower().split("x"))
        print(f"{people:,} people × {waves} waves ...", flush=True)
        times = run(people, waves, args.check, args.progress)
        rows.append({"people": people, "waves": waves, **times})
    table = pd.DataFrame(rows).set_index(["people", "waves"])
    counts = ["compared people", "rows"]
    shown = table.drop(columns=counts).map(lambda s: f"{s:.2f} s")
    shown.insert(0, "connection rows", table["rows"].map("{:,.0f}".format))
    print()
    print(shown.to_string())
    print(f"\nWall times; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end.")
    print(f"(compare loop: one compare() per person on {args.check} people, times everyone compared.)")


if __name__ == "__main__":
    main()
