"""The igraph baseline end to end, for comparison with `socialcap metrics` in a fresh process.

Run from the repository root::

    python benchmarks/igraph_e2e.py COHORT_FOLDER OUT.csv

Reads the CSV folder (``sc.read_cohort``), computes the metrics with the per-snapshot
igraph loop of ``benchmarks/metrics.py`` and writes them with ``DataFrame.to_csv``;
prints the time of each part to standard error.  Time the whole with ``/usr/bin/time``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

t0 = time.perf_counter()
import socialcap as sc  # noqa: E402
from metrics import igraph_loop  # noqa: E402

cohort = sc.read_cohort(sys.argv[1])
t1 = time.perf_counter()
table = igraph_loop(cohort)
t2 = time.perf_counter()
table.to_csv(sys.argv[2], index=False)
print(f"read {t1 - t0:.2f} s, loop {t2 - t1:.2f} s, write {time.perf_counter() - t2:.2f} s", file=sys.stderr)
