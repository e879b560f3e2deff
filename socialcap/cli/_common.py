"""What every command shares: reading a cohort with every problem listed, never a traceback."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._exceptions import ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from ..cohort import Cohort

__all__ = ["load_cohort", "keep_freed_memory", "refuse_overwriting"]

#: The files of a source that a command reads (a folder's tables; egor's three files).
_INPUT_FILES = ("people.csv", "connections.csv", "ties.csv", "snapshots.csv", "egos.csv", "alters.csv", "aaties.csv")


def refuse_overwriting(source: Path, *outputs: Path) -> None:
    """Refuse an output that is one of the command's inputs (SPEC §7): the source
    itself, or one of the tables in it.  ``outputs`` are every path the command writes.
    """
    from .._exceptions import SocialcapError

    inputs = [source, *(source / name for name in _INPUT_FILES)] if source.is_dir() else [source]
    inputs = [p for p in inputs if p.exists()]
    for output in outputs:
        for path in inputs:
            same = output.resolve() == path.resolve()
            if not same and output.exists():
                try:
                    same = os.path.samefile(output, path)
                except OSError:
                    same = False
            if same:
                raise SocialcapError(f"{output} is one of this command's inputs; write the output somewhere else")


def load_cohort(path: str | Path) -> Cohort:
    """Read a cohort for a command; on bad input print every problem and exit 1."""
    from ..io import read_cohort

    try:
        return read_cohort(path)
    except ValidationError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    except FileNotFoundError as error:
        click.echo(f"socialcap: {error}", err=True)
        raise SystemExit(1) from None


def keep_freed_memory() -> None:
    """Let this command's process keep the memory it frees, for reuse.

    Reading a large cohort allocates and frees many blocks of tens of megabytes.
    By default glibc and pyarrow's allocator hand such blocks back to the system
    at once and fault fresh pages in on the next allocation; on a small virtual
    machine that kernel work cost about as much as the computing itself
    (benchmarks/README.md).  A command is a short-lived process, so keeping freed
    memory is safe; the library itself, imported by other programs, changes
    nothing.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-3, 32 * 2**20)  # M_MMAP_THRESHOLD: up to 32 MiB from the heap
            libc.mallopt(-1, 16 * 2**30)  # M_TRIM_THRESHOLD: don't give the heap back
            libc.mallopt(-2, 256 * 2**20)  # M_TOP_PAD: grow the heap in large steps
        except (OSError, AttributeError):  # not glibc: nothing to tune
            pass
    try:
        import pyarrow as pa

        pa.jemalloc_set_decay_ms(-1)
    except (ImportError, NotImplementedError, AttributeError, OSError):  # pyarrow built without jemalloc
        pass
