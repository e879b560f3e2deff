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
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ._exceptions import Problem, ValidationError
from ._validate import RawTable, build_tables
from .cohort import Cohort

__all__ = ["read_cohort", "write_cohort", "atomic_write", "write_table", "read_csv_text"]

TABLE_NAMES = ("people", "connections", "ties", "snapshots", "assets")
BOM = b"\xef\xbb\xbf"


# -- atomic files ------------------------------------------------------------------


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    If anything goes wrong before the block ends, the temporary file is removed and
    whatever was at ``path`` before is left as it was.

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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


# -- reading CSV -------------------------------------------------------------------


def _decode_problem(label: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    line = data.count(b"\n", 0, error.start) + 1
    return Problem(
        label,
        line,
        None,
        "the file is not UTF-8 text (in Excel, save it as 'CSV UTF-8 (Comma delimited)')",
    )


def read_csv_text(data: bytes, name: str, label: str, delimiter: str = ",") -> RawTable:
    """Parse CSV bytes into a text-only `RawTable`, with spreadsheet row numbers.

    ``delimiter`` is ``","`` for socialcap's own tables; the egor importer also
    passes ``";"`` for files R's ``write.csv2`` wrote.

    Uses pyarrow's parser when every record is one line with the header's number of
    fields (what almost every file is, and fast); otherwise Python's csv module, which tells
    exactly which row is ragged or where a quoted value spans lines.

    >>> table = read_csv_text(b"person_id,name\\nP01,Sam\\n\\nP02,007\\n", "people", "people.csv")
    >>> table.frame["name"].tolist(), table.rows.tolist()   # a blank row keeps later numbers
    (['Sam', '007'], [2, 4])
    >>> read_csv_text(b"person_id\\nP01,extra\\n", "people", "people.csv").problems[0].row
    2
    """
    if data.startswith(BOM):
        data = data[len(BOM):]
    if not data[:4096].strip() and not data.strip():
        return RawTable.unreadable(name, Problem(label, None, None, "the file is empty; it needs at least a header row"))
    table = _read_fast(data, delimiter)  # pyarrow checks the UTF-8 itself
    if table is not None:
        rows = np.arange(2, len(table) + 2)  # one record per line here
        blank = table.isna().all(axis=1).to_numpy() if len(table.columns) else np.zeros(len(table), bool)
        if blank.any():  # blank rows (or Excel's ",,,,") carry nothing; later rows keep their numbers
            table, rows = table[~blank].reset_index(drop=True), rows[~blank]
        return RawTable(name, label, table, rows)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return RawTable.unreadable(name, _decode_problem(label, data, error))
    return _read_careful(text, name, label, delimiter)


def _spare_core() -> bool:
    """Whether a core is idle enough for pyarrow to parse with several threads.

    On a busy two-core machine pyarrow's threads mostly wait for each other: measured
    here, a 230 MB file parsed in 3.7–5.1 s on one thread against 5.8–8.8 s on two.
    """
    try:
        return os.getloadavg()[0] <= (os.cpu_count() or 1) - 1
    except OSError:  # no load average on this system
        return True


def _read_fast(data: bytes, delimiter: str = ",") -> pd.DataFrame | None:
    invalid: list[object] = []

    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    end = data.find(b"\n")
    try:
        first_line = data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    names = next(csv.reader([first_line], delimiter=delimiter), [])
    if not names or len(set(names)) != len(names) or first_line.count('"') % 2:
        return None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(use_threads=_spare_core()),
            # newlines_in_values=False lets pyarrow cut the file into blocks at any
            # line end, which is much faster.  A value spanning lines then either
            # breaks a block (pyarrow raises) or leaves fewer rows than lines (checked
            # below); both send the file to the careful reader, as before.
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False, invalid_row_handler=on_invalid
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
    if invalid or table.column_names != names:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows != lines - 1:  # blank lines or values spanning lines: count rows carefully
        return None
    # One chunk per column (chunked columns make later pyarrow work slow), kept as
    # pandas' Arrow-backed text: converting millions of cells to Python objects is
    # what would make reading slow.
    text = pd.Series([], dtype="str").dtype
    columns = {}
    for i, n in enumerate(names):
        column = table.column(i).combine_chunks() if table.num_rows else pa.array([], pa.large_string())
        columns[n] = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([column]), dtype=text), copy=False)
    del table  # the chunks are copied into one block a column; let them go now
    return pd.DataFrame(columns, copy=False)


def _read_careful(text: str, name: str, label: str, delimiter: str = ",") -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    try:
        records = list(reader)
    except csv.Error as error:
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
    frame = _frame(header, rows)
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
    tables: dict[str, RawTable] = {}
    for name in TABLE_NAMES:
        path = folder / f"{name}.csv"
        if not path.exists():
            continue
        tables[name] = read_csv_text(path.read_bytes(), name, f"{name}.csv")
    return tables


# -- reading xlsx ------------------------------------------------------------------


def _read_workbook(path: Path) -> dict[str, RawTable]:
    import openpyxl

    label = path.name
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
            sheet_label = f"{label} [sheet {name}]"
            rows = list(book[name].iter_rows(values_only=True))
            while rows and all(v is None or v == "" for v in rows[-1]):
                rows.pop()
            if not rows:
                tables[name] = RawTable.unreadable(name, Problem(sheet_label, None, None, "the sheet is empty; it needs at least a header row"))
                continue
            header = [("" if h is None else str(h)) for h in rows[0]]
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            body, numbers, problems = [], [], []
            for i, row in enumerate(rows[1:], start=2):
                values = list(row[:width]) + [None] * max(0, width - len(row))
                spill = [v for v in row[width:] if v not in (None, "")]
                if all(v is None or v == "" for v in values) and not spill:
                    continue
                if spill:
                    problems.append(Problem(sheet_label, i, None, "this row has values beyond the last named column"))
                    continue
                body.append(values)
                numbers.append(i)
            frame = _frame(header, body)
            table = RawTable.from_frame(name, sheet_label, frame, rows=np.asarray(numbers, dtype=np.int64))
            table.problems = problems
            tables[name] = table
    finally:
        book.close()
    for name in ("people", "connections"):
        if name not in tables:
            tables[name] = RawTable.unreadable(name, Problem(label, None, None, f"the workbook has no sheet named {name!r}"))
    return tables


# -- public ------------------------------------------------------------------------


def read_cohort(path: str | os.PathLike[str], as_of: object = None) -> Cohort:
    """Read and check a cohort: a folder of CSV files, one ``.xlsx`` workbook, or a store.

    A store (a path ending ``.db``, ``sqlite:///…`` or ``postgresql://…``, SPEC §9)
    gives its latest versions, or the cohort as it stood at ``as_of`` (a datetime).

    A folder holds ``people.csv`` and ``connections.csv`` and, optionally,
    ``ties.csv``, ``snapshots.csv`` and ``assets.csv`` (UTF-8, with or without
    Excel's BOM).  A workbook holds the same tables as sheets of those names.  Extra
    columns are kept.

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
        tables = _read_folder(path)
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        tables = _read_workbook(path)
    elif path.is_file():
        raise ValidationError([Problem(path.name, None, None, "socialcap reads a folder of CSV files or an .xlsx workbook")], str(path))
    else:
        raise FileNotFoundError(f"no cohort at {path}: expected a folder of CSV files or an .xlsx file")
    return Cohort(**build_tables(tables, source=str(path)))


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
    """Write one table as UTF-8 CSV, atomically; dates as YYYY-MM-DD, booleans as true/false.

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
    with atomic_write(path) as handle:
        pacsv.write_csv(table, handle, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return path


def _write_workbook(cohort: Cohort, path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for name, frame in cohort.tables().items():
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
    path.mkdir(parents=True, exist_ok=True)
    tables = cohort.tables()
    for name, frame in tables.items():
        write_table(frame, path / f"{name}.csv")
    if "assets" not in tables:  # an old assets.csv would describe assets this cohort does not have
        with contextlib.suppress(FileNotFoundError):
            (path / "assets.csv").unlink()
    return path
