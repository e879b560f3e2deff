"""Reading and writing cohorts as the tables of SPEC §2: a folder of CSV files or one xlsx.

Reading never guesses: every cell is read as text, checked by the validator and only
then typed, so a problem is reported with its file, spreadsheet row and column
instead of being silently fixed.  Writing is atomic: each file is written to a
temporary name beside it and renamed into place, so an interrupted write never
leaves half a file.

Examples
--------
>>> import tempfile, socialcap as sc
>>> cohort = sc.datasets.synthetic(people=4, waves=2, seed=7)
>>> folder = sc.write_cohort(cohort, tempfile.mkdtemp())
>>> sc.read_cohort(folder) == cohort
True
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import glob
import io
import mmap
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ._exceptions import Problem, ValidationError
from . import _threads
from ._safe import MAX_CELL_CHARS, MAX_COLUMNS, MAX_EMPTY_ROWS, MAX_SHEET_ROWS, check_archive, check_sheets
from ._validate import RawTable, build_tables
from .cohort import Cohort

__all__ = [
    "read_cohort",
    "write_cohort",
    "atomic_write",
    "atomic_folder",
    "write_table",
    "write_frame",
    "write_csv",
    "read_csv_text",
    "escape_formulas",
    "unescape_formulas",
    "WRITERS",
]

TABLE_NAMES = ("people", "connections", "ties", "snapshots", "assets")
BOM = b"\xef\xbb\xbf"


# -- the rules of every file socialcap writes -------------------------------------------
#
# One place for them (docs/privacy.md, "What socialcap writes"):
#
# * Atomic files: written to a hidden temporary name beside the target
#   (``.people.csv.XXXX.tmp``, never read as a table) and renamed into place.
# * Atomic folders: a folder of tables is written whole into a hidden sibling
#   folder and swapped in with one rename, so a reader sees the old or the new
#   tables, never a mix (`atomic_folder`).
# * Modes: a new file gets what the user's umask allows (0666 & ~umask), a
#   replaced file keeps its mode; nothing is forced to 0644.
# * Formulas: no cell can run as a formula.  xlsx cells are written as text.  In a
#   CSV file a text cell that a spreadsheet would take for a formula (it starts
#   with = + - @ a tab or a carriage return, and is not a plain number) is written
#   with one leading apostrophe, as spreadsheets themselves mark text; so is a text
#   that already starts with apostrophes before such a character.  Reading removes
#   exactly one apostrophe from a cell that starts with apostrophes and then such a
#   character, so ``read_cohort(write_cohort(c)) == c`` holds for every text.
# * Booleans are written true/false, dates YYYY-MM-DD, missing values as empty cells.

#: A text cell a spreadsheet may run as a formula (after any apostrophes that mark it as text).
FORMULA_START = "^'*[=+\\-@\t\r]"
#: ... unless it is a plain number, which a spreadsheet reads as a number.
_PLAIN_NUMBER = "^[+-]?[0-9]+([.][0-9]+)?([eE][+-]?[0-9]+)?$"
_MARKED = "^'('*[=+\\-@\t\r])"


def _umask() -> int:
    try:  # thread-safe where /proc is there
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_mode(path: Path) -> int:
    """The mode a written file gets: the replaced file's, or what the umask allows."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If anything goes wrong before the block ends, the temporary file is removed and
    whatever was at ``path`` before is left as it was.  The file gets the mode of
    the file it replaces, or, when new, what the user's umask allows.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> with atomic_write(path) as handle:
    ...     _ = handle.write(b"all of it")
    >>> path.read_bytes()
    b'all of it'
    >>> try:
    ...     with atomic_write(path) as handle:
    ...         _ = handle.write(b"half")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> path.read_bytes(), sorted(p.name for p in path.parent.iterdir())
    (b'all of it', ['notes.txt'])
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _new_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str], owned: Iterable[str] = ()) -> Iterator[Path]:
    """A hidden sibling folder to write into; on success it takes ``path``'s place whole.

    Files already in ``path`` that the block does not write are kept (hard-linked into
    the new folder first), except those named in ``owned``: files the writer is
    responsible for, left out when not written now.  The swap is one step (``renameat2`` exchange on Linux;
    elsewhere two renames), so a reader sees the old folder or the new one, never a
    mix, and a write that is killed leaves only a hidden ``.NAME.XXXX.tmp`` sibling,
    which the next write removes when it is over an hour old.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "tables"
    >>> with atomic_folder(folder) as new:
    ...     _ = (new / "a.csv").write_text("x")
    >>> sorted(p.name for p in folder.parent.iterdir()), (folder / "a.csv").read_text()
    (['tables'], 'x')
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(20, "not a folder", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent))
    try:
        os.chmod(tmp, os.stat(path).st_mode & 0o7777 if path.exists() else 0o777 & ~_umask())
        yield tmp
        written = {p.name for p in tmp.iterdir()} | set(owned)
        if path.exists():
            for old in path.iterdir():
                if old.name not in written:
                    _link_tree(old, tmp / old.name)
        for _ in range(5):
            if path.exists() and _exchange(tmp, path):
                break  # tmp now holds the old folder, removed below
            if path.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent))
                with contextlib.suppress(FileNotFoundError):
                    os.replace(path, old / "old")
                with contextlib.suppress(OSError):
                    os.rename(tmp, path)
                    shutil.rmtree(old, ignore_errors=True)
                    tmp = old
                    break
                shutil.rmtree(old, ignore_errors=True)
                continue
            try:
                os.rename(tmp, path)
                break
            except OSError:  # another writer got there first: swap with theirs
                continue
        else:
            raise OSError(f"could not put the new folder in place of {path}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _link_tree(source: Path, target: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        target.mkdir()
        for item in source.iterdir():
            _link_tree(item, target / item.name)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _remove_stale(path: Path) -> None:
    """Remove the hidden leftovers of writes to ``path`` killed over an hour ago."""
    now = time.time()
    for leftover in path.parent.glob(f".{glob.escape(path.name[:200])}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime > 3600:
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()


def escape_formulas(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text cells as written to CSV: an apostrophe before anything a spreadsheet would run.

    >>> escape_formulas(pa.array(["=1+1", "-3", "-x", "'=a", "Sam", None])).to_pylist()
    ["'=1+1", '-3', "'-x", "''=a", 'Sam', None]
    """
    risky = pc.and_(pc.match_substring_regex(values, FORMULA_START), pc.invert(pc.match_substring_regex(values, _PLAIN_NUMBER)))
    if not pc.any(risky).as_py():
        return values
    mark, empty = pa.scalar("'", values.type), pa.scalar("", values.type)
    return pc.if_else(risky, pc.binary_join_element_wise(mark, values, empty), values)


def unescape_formulas(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Undo `escape_formulas`: one apostrophe less before apostrophes and a formula character.

    >>> unescape_formulas(pa.array(["'=1+1", "-3", "'-x", "''=a", "'Sam"])).to_pylist()
    ['=1+1', '-3', '-x', "'=a", "'Sam"]
    """
    if not pc.any(pc.starts_with(values, "'")).as_py():
        return values
    return pc.replace_substring_regex(values, _MARKED, "\\1")


def write_csv(table: pa.Table, path: str | os.PathLike[str]) -> Path:
    """Write an Arrow table as UTF-8 CSV, atomically, with text cells escaped (`escape_formulas`)."""
    path = Path(path)
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            table = table.set_column(i, field, escape_formulas(table.column(i)))
    with atomic_write(path) as handle:
        pacsv.write_csv(table, handle, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


# -- reading CSV -------------------------------------------------------------------


def _decode_problem(label: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    line = data.count(b"\n", 0, error.start) + 1
    return Problem(
        label,
        line,
        None,
        "the file is not UTF-8 text (in Excel, save it as 'CSV UTF-8 (Comma delimited)')",
    )


def read_csv_text(data: bytes | mmap.mmap, name: str, label: str, delimiter: str = ",", marked: bool = True) -> RawTable:
    """Parse CSV bytes into a text-only `RawTable`, with spreadsheet row numbers.

    ``delimiter`` is ``","`` for socialcap's own tables; the egor importer also
    passes ``";"`` for files R's ``write.csv2`` wrote.  With ``marked`` (the default)
    the apostrophe socialcap puts before formula-like text is removed (`unescape_formulas`);
    the store, which keeps text as it is, reads with ``marked=False``.

    Uses pyarrow's parser when every record is one line with the header's number of
    fields (what almost every file is, and fast); otherwise Python's csv module, which tells
    exactly which row is ragged or where a quoted value spans lines.

    >>> table = read_csv_text(b"person_id,name\\nP01,Sam\\n\\nP02,007\\n", "people", "people.csv")
    >>> table.frame["name"].tolist(), table.rows.tolist()   # a blank row keeps later numbers
    (['Sam', '007'], [2, 4])
    >>> read_csv_text(b"person_id\\nP01,extra\\n", "people", "people.csv").problems[0].row
    2
    """
    if data[: len(BOM)] == BOM:
        data = data[len(BOM):]
    if not data[:4096].strip() and not _whole(data).strip():
        return RawTable.unreadable(name, Problem(label, None, None, "the file is empty; it needs at least a header row"))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4096].count(b"\x00") * 4 >= len(data[:4096]):
        return RawTable.unreadable(name, Problem(label, None, None, "the file is UTF-16 text, not UTF-8 (in Excel, save it as 'CSV UTF-8 (Comma delimited)')"))
    end = data.find(b"\n")
    if end < 0 and data.find(b"\r") >= 0 or b"\r" in data[: end if end >= 0 else len(data)].rstrip(b"\r"):
        data = _whole(data).replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # old Mac line ends (Excel's "CSV (Macintosh)")
        end = data.find(b"\n")
    columns = data[: end if end >= 0 else len(data)].count(delimiter.encode()) + 1
    if columns > MAX_COLUMNS:
        return RawTable.unreadable(name, Problem(label, 1, None, f"the header has {columns:,} columns; socialcap reads tables of up to {MAX_COLUMNS:,}"))
    controls = _has_control_bytes(data)  # when False, the validator need not look cell by cell
    table = _read_fast(data, delimiter)  # pyarrow checks the UTF-8 itself
    if table is not None:
        rows = np.arange(2, len(table) + 2)  # one record per line here
        blank = table.isna().all(axis=1).to_numpy() if len(table.columns) else np.zeros(len(table), bool)
        if blank.any():  # blank rows (or Excel's ",,,,") carry nothing; later rows keep their numbers
            table, rows = table[~blank].reset_index(drop=True), rows[~blank]
        marks = marked and data.find(b"'") >= 0  # no apostrophe in the whole file: nothing to unescape (one fast scan)
        raw = RawTable(name, label, _unescaped(table) if marks else table, rows)
        raw.controls_possible = controls
        return raw
    whole = _whole(data)
    try:
        text = whole.decode("utf-8")
    except UnicodeDecodeError as error:
        return RawTable.unreadable(name, _decode_problem(label, whole, error))
    raw = _read_careful(text, name, label, delimiter)
    raw.frame = _unescaped(raw.frame) if marked else raw.frame
    raw.controls_possible = controls
    return raw


_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
#: Every byte but the control bytes and the lead bytes of U+0080-U+009F (C2) and U+FFFE/U+FFFF (EF).
_PLAIN_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES + b"\xc2\xef")


def _has_control_bytes(data: bytes | mmap.mmap) -> bool:
    """Whether UTF-8 bytes may hold a control character (`_validate` says which cell).

    One pass in C (``bytes.translate`` keeps only the suspect bytes); only a file with
    ``£``-like or CJK text looks further, at the few positions that matter.
    """
    suspects = b"".join(piece.translate(None, _PLAIN_BYTES) for piece in _pieces(data))
    if not suspects:
        return False
    if suspects.translate(None, b"\xc2\xef"):
        return True
    whole = np.frombuffer(data, dtype=np.uint8)
    lead = np.flatnonzero(whole[:-1] == 0xC2)
    if len(lead) and ((whole[lead + 1] >= 0x80) & (whole[lead + 1] <= 0x9F)).any():
        return True  # U+0080-U+009F
    lead = np.flatnonzero(whole[:-2] == 0xEF)
    return bool(len(lead) and ((whole[lead + 1] == 0xBF) & (whole[lead + 2] >= 0xBE)).any())  # U+FFFE, U+FFFF


#: Files at least this large are mapped into memory rather than read into it (`_read_folder`).
MAP_FROM_BYTES = 32 * 2**20
_PIECE = 16 * 2**20


def _pieces(data: bytes | mmap.mmap) -> Iterator[bytes]:
    """The bytes in pieces: all at once for bytes, in 16 MiB copies for a mapped file (one
    buffer's worth of fresh memory, reused, instead of the whole file's)."""
    if isinstance(data, bytes):
        yield data
        return
    for start in range(0, len(data), _PIECE):
        yield data[start:start + _PIECE]


def _whole(data: bytes | mmap.mmap) -> bytes:
    return data if isinstance(data, bytes) else data[:]


def _unescaped(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells with socialcap's formula mark removed (`unescape_formulas`), column by column."""
    text = pd.Series([], dtype="str").dtype
    for position in range(frame.shape[1]):
        array = frame.iloc[:, position].array
        if isinstance(array, pd.arrays.ArrowStringArray):
            values = array.__arrow_array__()
        elif len(array):
            values = pa.array([None if pd.isna(v) else str(v) for v in array], type=pa.large_string())
        else:
            continue
        plain = unescape_formulas(values)
        if plain is not values:
            chunked = plain if isinstance(plain, pa.ChunkedArray) else pa.chunked_array([plain])
            frame.isetitem(position, pd.Series(pd.arrays.ArrowStringArray(chunked.cast(pa.large_string()), dtype=text), index=frame.index))
    return frame


def _read_options(size: int) -> pacsv.ReadOptions:
    """pyarrow's reading options for ``size`` bytes of CSV: few, large blocks.

    Each block becomes a chunk of every column.  pyarrow's default (1 MB) would cut a
    large file into hundreds of chunks, which later work would have to copy into one
    (measured: about a fifth of the reading time, and twice the memory for a moment).
    On one thread the whole file is one block; on two, eight blocks share the work.
    """
    threads = _threads.spare_core()
    block = size + 1 if not threads else -(-size // 8)
    return pacsv.ReadOptions(use_threads=threads, block_size=min(max(block, 1 << 20), 1 << 30))


def _read_fast(data: bytes | mmap.mmap, delimiter: str = ",") -> pd.DataFrame | None:
    end = data.find(b"\n")
    try:
        first_line = data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    try:
        names = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error:  # a cell longer than the csv module's limit: the careful reader says where
        return None
    if not names or len(set(names)) != len(names) or first_line.count('"') % 2:
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=_read_options(len(data)),
            # newlines_in_values=False lets pyarrow cut the file into blocks at any
            # line end, which is much faster.  A value spanning lines then either
            # breaks a block (pyarrow raises) or leaves fewer rows than lines (checked
            # below); both send the file to the careful reader, as before.
            parse_options=pacsv.ParseOptions(
                # A ragged row raises (no invalid_row_handler: pyarrow would hand it text it
                # cannot always decode), which sends the file to the careful reader.
                delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False
            ),
            # Every column as text: the validator decides what a value means, so
            # "007" stays "007" and " 2" is reported, not silently trimmed.  Large
            # strings are what pandas' "str" columns hold, so no cast is needed.
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.column_names != names:
        return None
    lines = sum(piece.count(b"\n") for piece in _pieces(data)) + (0 if data[-1:] == b"\n" else 1)
    if table.num_rows != lines - 1:  # blank lines or values spanning lines: count rows carefully
        return None
    # Kept as pandas' Arrow-backed text, in the few chunks `_read_options` made (no
    # copy): converting millions of cells to Python objects is what would make reading slow.
    text = pd.Series([], dtype="str").dtype
    columns = {}
    for i, n in enumerate(names):
        column = table.column(i) if table.num_rows else pa.chunked_array([], pa.large_string())
        columns[n] = pd.Series(pd.arrays.ArrowStringArray(column, dtype=text), copy=False)
    del table
    return pd.DataFrame(columns, copy=False)


def _read_careful(text: str, name: str, label: str, delimiter: str = ",") -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    try:
        records = list(reader)
    except csv.Error as error:
        if "field limit" in str(error):
            message = f"a cell is longer than {csv.field_size_limit():,} characters; socialcap reads cells of up to {MAX_CELL_CHARS:,}"
            return RawTable.unreadable(name, Problem(label, reader.line_num, None, message))
        return RawTable.unreadable(name, Problem(label, reader.line_num, None, f"the file cannot be read as CSV: {error}"))
    header, body = [h for h in records[0]], records[1:]
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for i, record in enumerate(body, start=2):
        if not record or all(value == "" for value in record):
            continue  # a blank row carries nothing; the rows after it keep their numbers
        if len(record) != width:
            problems.append(
                Problem(label, i, None, f"this row has {len(record)} values but the header has {width} columns")
            )
            continue
        rows.append(record)
        numbers.append(i)
    frame = _frame(header, rows)  # type: ignore[arg-type]
    frame = frame.where(frame != "", None).astype("str")
    return RawTable(name, label, frame, np.asarray(numbers, dtype=np.int64), problems)


def _frame(header: list[str], rows: list[list[object]]) -> pd.DataFrame:
    """Rows of cells under a header, as an object DataFrame; a repeated column name is
    kept as it is, for the validator to report."""
    unique = [f"{h}\x00{i}" for i, h in enumerate(header)]  # pandas needs distinct names to build it
    frame = pd.DataFrame(rows, columns=unique, dtype=object) if rows else pd.DataFrame({c: pd.Series([], dtype=object) for c in unique})
    frame.columns = header
    return frame


def _read_folder(folder: Path) -> dict[str, RawTable]:
    """The tables of one folder, all from the same folder even while a writer swaps in a
    new one (`atomic_folder`): they are opened through one handle on the folder, and
    read again when the folder was replaced meanwhile."""
    if os.open not in os.supports_dir_fd:  # pragma: no cover - Windows
        return {n: read_csv_text((folder / f"{n}.csv").read_bytes(), n, f"{n}.csv") for n in TABLE_NAMES if (folder / f"{n}.csv").exists()}
    for _ in range(5):
        contents: dict[str, bytes | mmap.mmap] = {}
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            for name in TABLE_NAMES:
                try:
                    fd = os.open(f"{name}.csv", os.O_RDONLY, dir_fd=handle)
                except FileNotFoundError:
                    continue
                with os.fdopen(fd, "rb") as file:
                    size = os.fstat(file.fileno()).st_size
                    # A large file is mapped, not copied: the parser reads the system's
                    # cached pages (0.3-0.5 s less on the large benchmark cohort, most of it
                    # the kernel's work of handing out fresh memory).  Nothing socialcap
                    # writes is changed in place (`atomic_folder` swaps whole folders).
                    contents[name] = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size >= MAP_FROM_BYTES else file.read()
            same = os.stat(folder).st_ino == os.fstat(handle).st_ino
        finally:
            os.close(handle)
        if same:
            break
    return {name: read_csv_text(contents.pop(name), name, f"{name}.csv") for name in list(contents)}


# -- reading xlsx ------------------------------------------------------------------


def _read_workbook(path: Path) -> dict[str, RawTable]:
    import zipfile
    import zlib

    import openpyxl

    label = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            bombs = check_archive(archive, label) or check_sheets(archive, label)
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError):
        bombs = []  # a damaged archive: openpyxl says what is wrong with it, below
    if bombs:
        return {"people": RawTable.unreadable("people", bombs[0])}
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        problem = Problem(label, None, None, f"the workbook cannot be opened: {error}")
        return {"people": RawTable.unreadable("people", problem)}
    tables: dict[str, RawTable] = {}
    try:
        for name in TABLE_NAMES:
            if name not in book.sheetnames:
                continue
            tables[name] = _read_sheet(book[name], name, f"{label} [sheet {name}]")
    except Exception as error:  # a damaged sheet: openpyxl raises many kinds
        return {"people": RawTable.unreadable("people", Problem(label, None, None, f"the workbook cannot be read: {error}"))}
    finally:
        book.close()
    for name in ("people", "connections"):
        if name not in tables:
            near = [s for s in book.sheetnames if s.strip().lower() == name]
            hint = f" (there is {near[0]!r}: rename the sheet {name!r}, in lower case)" if near else ""
            tables[name] = RawTable.unreadable(name, Problem(label, None, None, f"the workbook has no sheet named {name!r}{hint}"))
    return tables


def _read_sheet(sheet: object, name: str, sheet_label: str) -> RawTable:
    """One sheet as text cells; formula cells, rows beyond Excel's limit and values
    beyond the header are problems."""
    from ._validate import to_text

    header: list[str] | None = None
    width = empty = 0
    body: list[list[object]] = []
    numbers: list[int] = []
    problems: list[Problem] = []
    for i, row in enumerate(sheet.iter_rows(), start=1):  # type: ignore[attr-defined]
        if i > MAX_SHEET_ROWS:
            return RawTable.unreadable(name, Problem(sheet_label, i, None, f"the sheet has more than {MAX_SHEET_ROWS:,} rows"))
        values = [getattr(c, "value", None) for c in row]
        formulas = [j for j, c in enumerate(row) if getattr(c, "data_type", None) == "f"]
        if header is None:
            if all(v is None or v == "" for v in values):
                if i > 1000:  # no header in the first thousand rows: not a table
                    break
                continue
            header = [("" if h is None else str(to_text(h))) for h in values]
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            if width > MAX_COLUMNS:
                return RawTable.unreadable(name, Problem(sheet_label, i, None, f"the header has {width:,} columns; socialcap reads tables of up to {MAX_COLUMNS:,}"))
            if i != 1:
                problems.append(Problem(sheet_label, i, None, "the header is not in row 1; delete the empty rows above it"))
            continue
        cells = values[:width] + [None] * max(0, width - len(values))
        spill = [v for v in values[width:] if v not in (None, "")]
        if all(v is None or v == "" for v in cells) and not spill:
            empty += 1
            if empty > MAX_EMPTY_ROWS:  # a sheet "used" to its millionth row: stop, in bounded time
                problems.append(Problem(sheet_label, i - empty + 1, None, f"more than {MAX_EMPTY_ROWS:,} empty rows follow each other from here; delete the empty rows and save again"))
                break
            continue
        empty = 0
        if spill:
            problems.append(Problem(sheet_label, i, None, "this row has values beyond the last named column"))
            continue
        for j in formulas:
            if j < width:
                problems.append(Problem(sheet_label, i, header[j], f"{header[j]} holds a formula ({str(values[j])[:40]}); socialcap reads values: copy the column and paste it as values"))
        text = [to_text(v) for v in cells]
        body.append([None if v is pd.NA else v for v in text])
        numbers.append(i)
    if header is None:
        return RawTable.unreadable(name, Problem(sheet_label, None, None, "the sheet is empty; it needs at least a header row"))
    frame = _frame(header, body)
    frame = frame.astype("str") if len(frame.columns) else frame
    return RawTable(name, sheet_label, frame, np.asarray(numbers, dtype=np.int64), problems)


# -- public ------------------------------------------------------------------------


def read_cohort(path: str | os.PathLike[str], as_of: object = None) -> Cohort:
    """Read and check a cohort: a folder of CSV files, one ``.xlsx`` workbook, or a store.

    A store (a path ending ``.db``, ``sqlite:///…`` or ``postgresql://…``, SPEC §9)
    gives its latest versions, or the cohort as it stood at ``as_of`` (a datetime).

    A folder holds ``people.csv`` and ``connections.csv`` and, optionally,
    ``ties.csv``, ``snapshots.csv`` and ``assets.csv`` (UTF-8, with or without
    Excel's BOM).  Any of them may be a Parquet file instead (``connections.parquet``,
    or a folder ``connections/`` of Parquet parts; never both ways at once).  A
    workbook holds the same tables as sheets of those names.  Extra columns are kept.

    Raises
    ------
    socialcap.ValidationError
        Listing every problem found, each as ``(file, row, column, message)``.
    FileNotFoundError
        When there is nothing at ``path``.

    Examples
    --------
    >>> import socialcap as sc
    >>> sc.read_cohort("no/such/folder")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no cohort at no/such/folder: expected a folder of CSV files or an .xlsx file
    """
    from .store import is_store

    if is_store(path):
        from .store._store import read_store

        return read_store(path, as_of=as_of)
    if as_of is not None:
        raise ValueError("as_of works with a store (SPEC §9); a folder or a workbook has no history")
    path = Path(path)
    if path.is_dir():
        tables = _read_parquet_folder(path) or _read_folder(path)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        tables = _read_workbook(path)
    elif path.is_file():
        raise ValidationError([Problem(path.name, None, None, "socialcap reads a folder of CSV files or an .xlsx workbook")], str(path))
    else:
        raise FileNotFoundError(f"no cohort at {path}: expected a folder of CSV files or an .xlsx file")
    return Cohort(**build_tables(tables, source=str(path)))


def _read_parquet_folder(folder: Path) -> dict[str, RawTable] | None:
    """The tables of a folder that holds Parquet files (None when it holds none: CSV only).

    Each table is ``name.parquet``, a folder ``name/`` of Parquet parts, or
    ``name.csv``; a table held both ways is an error that says so, never a silent choice.
    """
    from ._parquet import parquet_tables, read_parquet_table, refuse_both_ways, text_bytes

    parquet = parquet_tables(folder, TABLE_NAMES)
    if not parquet:
        return None
    refuse_both_ways(folder, parquet)
    tables = {}
    for name in TABLE_NAMES:
        if name in parquet:
            table = read_parquet_table(name, parquet[name])
            # As for a CSV file: when no cell can hold a control character, none is looked for cell by cell.
            table.controls_possible = any(_has_control_bytes(data) for data in text_bytes(table.frame))
            tables[name] = table
        elif (folder / f"{name}.csv").is_file():
            tables[name] = read_csv_text((folder / f"{name}.csv").read_bytes(), name, f"{name}.csv")
    return tables


def _as_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed table as the text its CSV file holds (empty string for missing)."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            text = series.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(series.dtype):
            text = series.map({True: "true", False: "false"})
        elif pd.api.types.is_integer_dtype(series.dtype):
            text = series.astype("Int64").astype("str")
        else:
            text = series.astype("str")
        out[column] = text.where(series.notna(), "").astype(object)
    return pd.DataFrame(out, index=frame.index)


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write one table as UTF-8 CSV, atomically; dates as YYYY-MM-DD, booleans as true/false,
    formula-like text marked with an apostrophe (see the rules at the top of this module).

    >>> import pathlib, tempfile, pandas as pd
    >>> table = pd.DataFrame({"date": pd.to_datetime(["2025-03-01"]), "paid": [True], "closeness": pd.array([pd.NA], "Int64")})
    >>> path = write_table(table, pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> print(path.read_text(), end="")
    "date","paid","closeness"
    "2025-03-01","true",""
    """
    path = Path(path)
    text = _as_text_frame(frame)
    table = pa.table({c: pa.array(text[c].tolist(), type=pa.string()) for c in text.columns}) if len(text.columns) else pa.table({})
    return write_csv(table, path)


def _write_workbook(cohort: Cohort, path: Path) -> Path:
    return write_text_sheets(cohort.tables(), path)


def write_text_sheets(tables: Mapping[str, pd.DataFrame], path: Path) -> Path:
    """Each table as one sheet of an .xlsx workbook, every cell as text (never a formula), atomically."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        text = _as_text_frame(frame)
        sheet.append(list(text.columns))
        for row in text.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, v) for v in row])
    with atomic_write(path) as handle:
        book.save(handle)
    return path


def _cell(sheet: object, value: str) -> object:
    """A text cell that Excel shows as text, even when it starts with ``=`` (never a formula)."""
    from openpyxl.cell import WriteOnlyCell

    if value == "":
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_cohort(cohort: Cohort, path: str | os.PathLike[str]) -> Path:
    """Write a cohort as the tables of SPEC §2: a folder of CSV files, one ``.xlsx``, or a store.

    Every file is written atomically.  ``read_cohort(write_cohort(c, path)) == c``.
    Returns the path written.  A store (SPEC §9) gets a new version of every row
    that differs, in one transaction.

    Examples
    --------
    >>> import tempfile, socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=2, waves=2, seed=1)
    >>> folder = write_cohort(cohort, tempfile.mkdtemp())
    >>> sorted(p.name for p in folder.iterdir())
    ['assets.csv', 'connections.csv', 'people.csv', 'snapshots.csv', 'ties.csv']
    >>> workbook = write_cohort(cohort, folder / "cohort.xlsx")
    >>> sc.read_cohort(workbook) == cohort
    True
    """
    from .store import is_store

    if is_store(path):
        from .store._store import write_store

        write_store(cohort, path)
        return path  # type: ignore[return-value]  # a store's address, as given
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _write_workbook(cohort, path)
    tables = cohort.tables()
    # An old assets.csv would describe assets this cohort does not have: the table files
    # not written now are not carried into the new folder.
    with atomic_folder(path, owned=[f"{name}.csv" for name in TABLE_NAMES]) as folder:
        for name, frame in tables.items():
            write_table(frame, folder / f"{name}.csv")
    return path


def _write_frame_xlsx(frame: pd.DataFrame, path: Path, sheet_name: str = "table") -> Path:
    """One table as one sheet; text cells typed as text (never a formula), numbers as numbers."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    text = _as_text_frame(frame)
    numeric = [pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype) for c in frame.columns]
    sheet.append([_cell(sheet, str(c)) for c in frame.columns])
    for row, values in zip(frame.itertuples(index=False, name=None), text.itertuples(index=False, name=None)):
        sheet.append([(None if pd.isna(v) else v.item() if hasattr(v, "item") else v) if n else _cell(sheet, t) for v, t, n in zip(row, values, numeric)])
    with atomic_write(path) as handle:
        book.save(handle)
    return path


def _write_frame_parquet(frame: pd.DataFrame, path: Path) -> Path:
    import pyarrow.parquet as pq

    with atomic_write(path) as handle:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None), handle)
    return path


#: File ending -> how a table is written to it: the one table every writer of socialcap uses.
WRITERS = {".csv": write_table, ".xlsx": _write_frame_xlsx, ".parquet": _write_frame_parquet}


def write_frame(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table by the file's ending (`WRITERS`), following this module's rules.

    >>> import pathlib, tempfile, pandas as pd
    >>> path = write_frame(pd.DataFrame({"group": ["=SUM(A1)"], "n": [3]}), pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> print(path.read_text(), end="")
    "group","n"
    "'=SUM(A1)","3"
    """
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(f"cannot tell how to write {path.name!r}: give a file ending in {', '.join(WRITERS)}")
    return writer(frame, path)  # type: ignore[operator]
