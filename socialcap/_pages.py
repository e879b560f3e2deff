"""Whole-cohort work on ordinary memory pages, not huge ones.

numpy asks the kernel for huge pages for every array of 4 MiB or more.  Where the
kernel then compacts memory on the spot to find them (``transparent_hugepage/defrag``
set to ``madvise``, the default of common Linux distributions), the first touch of
each fresh array can cost far more system time than the arithmetic saves.  Measured
on the large benchmark cohort (20,000 people, 2.5 million connection rows) on a
two-core virtual machine: the first ``cohort.metrics()`` after reading took 1.34 s
with huge pages and 0.71 s without; ``socialcap metrics`` had 1.3-2.3 s of system time
against 0.7-1.0 s.

`small_pages` turns numpy's request off for the duration of socialcap's own
whole-cohort work and restores what it was after, so a program using socialcap
keeps numpy's setting everywhere else.  It changes no result, only how memory is
asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["small_pages"]


@contextlib.contextmanager
def small_pages() -> Iterator[None]:
    """Within the block, numpy asks for no huge pages (where numpy can be told)."""
    try:
        from numpy._core import multiarray
    except ImportError:  # pragma: no cover - numpy < 2
        from numpy.core import multiarray  # type: ignore[no-redef]
    switch = getattr(multiarray, "_set_madvise_hugepage", None)
    if switch is None:  # pragma: no cover - a numpy without the switch
        yield
        return
    before = switch(False)
    try:
        yield
    finally:
        switch(before)
