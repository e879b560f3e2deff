"""What every command shares: reading a cohort with every problem listed, never a traceback."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # pragma: no cover
    from ..cohort import Cohort

__all__ = ["load_cohort", "keep_freed_memory", "output_option", "progress_option"]


def load_cohort(path: str | Path) -> Cohort:
    """Read a cohort for a command (bad input raises; `SocialcapGroup` lists every problem)."""
    from ..io import read_cohort

    return read_cohort(path)


class _OutputOption(click.Option):
    """``-o/--output``, with ``--out`` still accepted but left out of the help."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        opts = self.opts
        self.opts = [o for o in opts if o != "--out"]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = opts


def output_option(dest: str = "output", **kwargs: Any) -> Callable[[F], F]:
    """The one output option of every command: ``-o/--output`` (``--out`` kept, unlisted)."""
    return click.option("-o", "--output", "--out", dest, cls=_OutputOption, **kwargs)


def progress_option(default: bool | None = True, help: str = "Show progress bars on stderr (--quiet: none).") -> Callable[[F], F]:
    """The one progress switch of every command: ``--progress/--quiet``."""
    return click.option("--progress/--quiet", "progress", default=default, help=help)


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
