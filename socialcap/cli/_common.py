"""What every command shares: reading a cohort with every problem listed, never a traceback."""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # pragma: no cover
    from ..cohort import Cohort
    from ..graph import Timeline

__all__ = ["load_cohort", "load_timeline", "keep_freed_memory", "collect_garbage_less_often", "leave_quickly", "no_idle_matrix_threads", "CohortSource", "CohortDestination", "COHORT", "STORE", "DESTINATION", "refuse_overwriting",
           "output_option", "progress_option"]


class CohortSource(click.ParamType):
    """A cohort to read: a folder or .xlsx workbook that exists, or a store (SPEC §9).

    A store's database address (``postgresql://…``, ``sqlite:///…``) is passed on as
    text, untouched; a path comes back as a `Path`.  With ``stores_only`` a folder or a
    workbook is refused.
    """

    name = "path"

    def __init__(self, stores_only: bool = False) -> None:
        self.stores_only = stores_only

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..store import display_url, is_store

        text = os.fspath(value)
        if is_store(text):
            if "://" in text:
                return text  # checked when the store is opened, password never echoed
        elif self.stores_only:
            self.fail(f"{display_url(text)!r} is not a store: give a .db file or a postgresql:// address", param, ctx)
        path = Path(text)
        if not path.exists():
            self.fail(f"Path {text!r} does not exist.", param, ctx)
        return path


class CohortDestination(click.ParamType):
    """Where to write a cohort: a folder, an .xlsx workbook or a store (a database
    address is kept as text, so ``postgresql://host/db`` keeps its two slashes)."""

    name = "path"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..store import is_store

        text = os.fspath(value)
        return text if is_store(text) and "://" in text else Path(text)


#: A folder, an .xlsx workbook or a store to read a cohort from.
COHORT = CohortSource()
#: A store only (``.db``, ``sqlite:///…``, ``postgresql://…``).
STORE = CohortSource(stores_only=True)
#: A folder, an .xlsx workbook or a store to write a cohort to.
DESTINATION = CohortDestination()


#: The files of a source that a command reads (a folder's tables; egor's three files).
_INPUT_FILES = ("people.csv", "connections.csv", "ties.csv", "snapshots.csv", "assets.csv", "egos.csv", "alters.csv", "aaties.csv")


def refuse_overwriting(source: Path | str, *outputs: Path | str) -> None:
    """Refuse an output that is one of the command's inputs (SPEC §7): the source
    itself, or one of the tables in it.  ``outputs`` are every path the command writes
    (a database address is left to the store, which never overwrites a version).
    """
    from .._exceptions import SocialcapError

    if not isinstance(source, Path):
        return
    outputs = tuple(o for o in outputs if isinstance(o, Path))
    inputs = [source, *(source / name for name in _INPUT_FILES)] if source.is_dir() else [source]
    inputs = [p for p in inputs if p.exists()]
    for output in outputs:
        for path in inputs:
            same = output.resolve() == path.resolve()  # type: ignore[union-attr]
            if not same and output.exists():  # type: ignore[union-attr]
                try:
                    same = os.path.samefile(output, path)
                except OSError:
                    same = False
            if same:
                raise SocialcapError(f"{output} is one of this command's inputs; write the output somewhere else")


def load_cohort(path: str | Path) -> Cohort:
    """Read a cohort for a command (bad input raises; `SocialcapGroup` lists every problem)."""
    from ..io import read_cohort

    _keep_arrow_memory()
    return read_cohort(path)


def load_timeline(path: str | Path, person_id: str) -> Timeline:
    """Read one person's maps for a command (``socialcap map``, ``socialcap change``).

    From a store only that person's rows are read, and checked by the same validator
    as a whole cohort; a folder or a workbook is read whole (its files must be parsed
    anyway), and the person taken from it.  An unknown person raises
    `socialcap.NotFoundError`.
    """
    from ..store import is_store

    if not is_store(path):
        return load_cohort(path).timeline(person_id)
    from ..store import open_store

    _keep_arrow_memory()
    with open_store(path, create=False) as store:
        return store.timeline(person_id)


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
    nothing.  pyarrow's allocator is told when the command first reads a cohort
    (`load_cohort`), so that ``socialcap --help`` need not import pyarrow.
    """
    _KEEP_MEMORY.append(True)
    # numpy asks the kernel for huge pages for large arrays; where the kernel then
    # compacts memory on the spot (transparent_hugepage/defrag "madvise", as here),
    # that cost `socialcap metrics` on the large cohort 1.3-2.3 s of system time
    # against 0.7-1.0 s without (wall 4.2-5.8 s against 3.5-4.8 s, five runs each).
    # numpy reads this when it is first imported, which is after this.
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(-3, 32 * 2**20)  # M_MMAP_THRESHOLD: up to 32 MiB from the heap
            libc.mallopt(-1, 16 * 2**30)  # M_TRIM_THRESHOLD: don't give the heap back
            libc.mallopt(-2, 256 * 2**20)  # M_TOP_PAD: grow the heap in large steps
        except (OSError, AttributeError):  # not glibc: nothing to tune
            pass


def no_idle_matrix_threads() -> None:
    """Ask OpenBLAS, numpy's matrix library, to start no worker threads.

    When numpy is imported, OpenBLAS starts a worker thread per extra core, and each
    spins for about a tenth of a second waiting for matrix work that no socialcap
    command gives it: on the shared two-core machine, 0.1 s of a core taken from
    whatever else runs, for every command (benchmarks/README.md).  Must run before
    numpy is imported; an ``OPENBLAS_NUM_THREADS`` set by the user wins.  For the
    console script only: a program that imports socialcap keeps its own setting.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def collect_garbage_less_often() -> None:
    """Let this command's process run Python's full garbage collections less often.

    A command starts by importing pandas, pyarrow and matplotlib (and SQLAlchemy
    for a store): a few hundred thousand objects that live until the process ends.
    With Python's default thresholds, drawing one person's map ran two full
    collections that walked them all for nothing: 0.05–0.08 s of a one-second
    command (benchmarks/README.md).  Here a full collection waits for 100 collections
    of the younger generations instead of 10; those, which find nearly all
    short-lived cycles, run as before.  Like `keep_freed_memory`, for the console
    script only: the library, imported by other programs, changes nothing.
    """
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)


def leave_quickly() -> None:
    """Let the process end without walking every object it made once more.

    When a command is done, Python's shutdown runs full garbage collections while it
    tears the modules down; with pandas, pyarrow and matplotlib loaded that took 0.2 s
    of a one-second `socialcap map` (benchmarks/README.md).  `gc.freeze` moves what
    is still alive out of the collector's sight first.  Shutdown still runs the
    ``atexit`` handlers, flushes standard output and frees what reference counting
    frees; only reference cycles still alive at the end are left to the operating
    system, which takes back the whole memory anyway.  Every file socialcap writes is
    closed (and synced) before its command ends.  For the console script only.
    """
    gc.freeze()


# Set by `keep_freed_memory` (the console script only), read by `load_cohort`.
_KEEP_MEMORY: list[bool] = []


def _keep_arrow_memory() -> None:
    if not _KEEP_MEMORY:
        return
    try:
        import pyarrow as pa

        pa.jemalloc_set_decay_ms(-1)
    except (ImportError, NotImplementedError, AttributeError, OSError):  # pyarrow built without jemalloc
        pass
