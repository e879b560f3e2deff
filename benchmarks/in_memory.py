"""`cohort.metrics()` in memory on a cohort already read (issue 15: under 0.8 s).

Run from the repository root::

    python benchmarks/in_memory.py BIG [CALLS]

Reads the cohort once (``sc.read_cohort``), times importing the metrics code (which the
first ``cohort.metrics()`` would otherwise do), then ``CALLS`` (default 4) calls of
``cohort.metrics()``, the first included: wall time and this process's CPU time.
"""

from __future__ import annotations

import sys
import time

import socialcap as sc

cohort = sc.read_cohort(sys.argv[1])
cpu, wall = time.process_time(), time.perf_counter()
import socialcap.metrics  # noqa: E402,F401  (what the first call would import)

print(f"    import socialcap.metrics: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
for call in range(1, (int(sys.argv[2]) if len(sys.argv) > 2 else 4) + 1):
    cpu, wall = time.process_time(), time.perf_counter()
    table = cohort.metrics()
    print(f"    cohort.metrics() call {call}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU "
          f"({len(table):,} rows) [{open('/proc/loadavg').read().split()[3].split('/')[0]} running]")
