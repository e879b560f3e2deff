"""Using the second core for independent work, when it is free.

Parsing text (pyarrow) and most whole-column work (pyarrow compute, numpy) release
Python's GIL, so two independent pieces of it run side by side on two cores.  On a
busy machine threads only wait for each other, so they are used only when a core is
free *now*.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

__all__ = ["side_by_side", "spare_core"]

A = TypeVar("A")
B = TypeVar("B")


def spare_core() -> bool:
    """Whether a core is idle enough for a second thread of work.

    On a busy two-core machine pyarrow's threads mostly wait for each other: measured
    here, a 230 MB file parsed in 3.7–5.1 s on one thread against 5.8–8.8 s on two
    (load average 9–21).  What counts is what runs *now*: the kernel's count of running
    tasks (``/proc/loadavg``), less this process.  The one-minute load average would
    count this process's own earlier work (or the previous command's) and refuse the
    second core on a quiet machine: the large benchmark cohort then parsed in 3.0 s
    instead of 1.1 s.
    """
    cores = os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        with open("/proc/loadavg", "rb") as file:
            running = int(file.read().split()[3].split(b"/")[0])
        return running - 1 < cores
    except (OSError, ValueError, IndexError):  # not Linux: fall back to the load average
        try:
            return os.getloadavg()[0] <= cores - 1
        except OSError:  # no load average on this system
            return True


def side_by_side(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, the second on another thread when a core is free.

    The two must not depend on each other.  An exception from either is raised here,
    the first's before the second's, as if they had run one after the other.
    """
    if not spare_core():
        return first(), second()
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="socialcap") as pool:
        later = pool.submit(second)
        try:
            done = first()
        finally:
            result = later.exception()  # wait for it either way
        if result is not None:
            raise result
        return done, later.result()
