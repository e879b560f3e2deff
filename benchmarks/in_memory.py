"""`cohort.metrics()` in memory on a cohort already read (issue 15: under 0.8 s).

Run from the repository root::

    python benchmarks/in_memory.py BIG [CALLS]

Reads the cohort once (``sc.read_cohort``), then times ``CALLS`` (default 4) calls of
``cohort.metrics()``, the first included: wall time and this process's CPU time.
"""

from __future__ import annotations

import sys
import time

import socialcap as sc

cohort = sc.read_cohort(sys.argv[1])
for call in range(1, int(sys.argv[2]) + 1 if len(sys.argv) > 2 else 5):
    cpu, wall = time.process_time(), time.perf_counter()
    table = cohort.metrics()
    print(f"    cohort.metrics() call {call}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU "
          f"({len(table):,} rows) [{open('/proc/loadavg').read().split()[3].split('/')[0]} running]")
