"""Reading the §2 tables from Parquet files: one conversion to text cells for every reader.

A folder of Parquet files holds the same tables as a folder of CSV files
(``people.parquet``, ``connections.parquet``, ``ties.parquet``, ``snapshots.parquet``,
``assets.parquet``), each either one file or a folder of parts (``connections/`` holding
``*.parquet`` files, as Spark and Dask write them).  The cells are turned into the text a
CSV file would hold (`text_frame`), so the one validator checks them and reports the same
problems, named by file, row and column; `socialcap.io.read_cohort` and
`socialcap.scale.dask_metrics` both read Parquet through this module.

Row numbers in problems count the data rows of the table from 1 (a Parquet file has no
header row; the parts of a folder are counted in the order of their file names).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ._exceptions import Problem, ValidationError
from ._validate import RawTable

__all__ = ["parquet_tables", "refuse_both_ways", "read_parquet_table", "label", "text_frame", "text_bytes", "arrow_text"]

#: The ending of a Parquet file.
SUFFIX = ".parquet"


def parquet_tables(folder: Path, names: tuple[str, ...]) -> dict[str, Path]:
    """The tables of ``folder`` held as Parquet: ``name.parquet``, or a folder ``name/`` of ``*.parquet`` parts."""
    found = {}
    for name in names:
        for candidate in (folder / f"{name}{SUFFIX}", folder / name):
            if candidate.is_file() or (candidate.is_dir() and any(candidate.glob(f"*{SUFFIX}"))):
                found[name] = candidate
                break
    return found


def refuse_both_ways(folder: Path, parquet: dict[str, Path]) -> None:
    """Raise `ValidationError` when a table is in ``folder`` both as CSV and as Parquet:
    which to read is then not clear, so neither is chosen silently."""
    both = [name for name in parquet if (folder / f"{name}.csv").exists()]
    if both:
        raise ValidationError(
            [
                Problem(f"{name}.csv", None, None,
                        f"the folder holds both {name}.csv and {label(name, parquet[name])}: "
                        "keep one of them, so that it is clear which to read")
                for name in both
            ],
            str(folder),
        )


def label(name: str, path: Path) -> str:
    """How problems name a table read from ``path``: ``connections.parquet`` or ``connections/`` (parts)."""
    return f"{name}/" if path.is_dir() else path.name


def arrow_text(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Text, whole numbers, booleans and dates spelled by Arrow as `_validate.to_text` spells them
    (much faster than cell by cell); None for any other type.

    Empty text is an empty cell, as in a CSV file.
    """
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):  # pandas' categories, or a partition column of a folder of parts
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_null(kind):
        return column.cast(pa.large_string())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or _is_string_view(kind):
        text = column.cast(pa.large_string())
        if not len(text) or (pc.min(pc.binary_length(text)).as_py() or 0) > 0:
            return text  # no empty text (as usual): no copy
        return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.large_string()), text)
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        # A cohort has few distinct dates: spell each once and spread it to the rows.
        whole = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        encoded = pc.dictionary_encode(whole)
        values = encoded.dictionary
        if pa.types.is_timestamp(kind):
            days = values.cast(pa.date32())
            if not pc.all(pc.equal(days.cast(kind), values)).as_py() in (True, None):
                return None  # times of day: spelled cell by cell
            values = days
        return pa.chunked_array([values.cast(pa.large_string()).take(encoded.indices)])
    if pa.types.is_integer(kind):
        return column.cast(pa.large_string())
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false").cast(pa.large_string())
    return None


def _is_string_view(kind: pa.DataType) -> bool:
    check = getattr(pa.types, "is_string_view", None)
    return bool(check and check(kind))


def _unreadable_type(kind: pa.DataType) -> str | None:
    """Why a column of this Arrow type cannot be cells of a table (None: it can)."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_nested(kind):
        return f"holds {kind} values (lists or records), not one value a cell"
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        return "holds binary data, not text"
    return None


def text_frame(table: pa.Table) -> pd.DataFrame:
    """A table read from Parquet as the text cells the validator reads (what a CSV file would hold).

    Text columns stay Arrow-backed (empty text is an empty cell); typed columns
    (numbers, dates, booleans) are spelled as a CSV file would spell them.
    Columns whose type has no spelling as one cell (`_unreadable_type`) must be
    caught before (`read_parquet_table` does).

    >>> frame = text_frame(pa.table({"person_id": ["P1", ""], "closeness": [1, None],
    ...                              "paid": [True, False], "weight": [1.0, 2.5]}))
    >>> frame.to_dict("list")
    {'person_id': ['P1', nan], 'closeness': ['1', nan], 'paid': ['true', 'false'], 'weight': ['1', '2.5']}
    >>> text_frame(pa.table({"date": pd.to_datetime(["2025-03-01", "2025-03-02T10:30"], format="ISO8601")}))["date"].tolist()
    ['2025-03-01', '2025-03-02T10:30:00']
    """
    from ._validate import _column_to_text, to_text

    text = pd.Series([], dtype="str").dtype
    columns = {}
    for name, column in zip(table.column_names, table.columns):
        if table.num_rows == 0:
            column = pa.chunked_array([pa.array([], pa.large_string())])
        spelled = arrow_text(column)
        if spelled is not None:
            chunk = spelled.combine_chunks() if spelled.num_chunks != 1 else spelled.chunk(0)
            columns[name] = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([chunk]), dtype=text), copy=False)
        else:
            values = column.to_pandas()
            if pd.api.types.is_datetime64_any_dtype(values.dtype):  # times of day: kept, so the check can report them
                columns[name] = values.astype(object).map(to_text).astype("str")
            else:
                columns[name] = _column_to_text(values).astype("str")
    return pd.DataFrame(columns, copy=False)


def text_bytes(frame: pd.DataFrame) -> list[bytes]:
    """The bytes of every text cell of a `text_frame`, a column at a time (for a quick look for
    control characters: when none of them holds one, the validator need not look cell by cell)."""
    out = []
    for name in frame.columns:
        array = frame[name].array
        if not isinstance(array, pd.arrays.ArrowStringArray):
            out.append("".join(str(v) for v in frame[name].dropna()).encode("utf-8"))
            continue
        for chunk in array.__arrow_array__().chunks:
            data = chunk.buffers()[2]  # the values, end to end (possibly more: never fewer)
            if data is not None:
                out.append(data.to_pybytes())
    return out


def _read(path: Path) -> pa.Table:
    import pyarrow.parquet as pq

    if path.is_dir():  # a folder of parts, read in the order of their names
        parts = sorted(path.glob(f"*{SUFFIX}"))
        return pa.concat_tables([pq.read_table(part) for part in parts], promote_options="permissive")
    return pq.read_table(path)


def read_parquet_table(name: str, path: Path) -> RawTable:
    """One table from a Parquet file or folder of parts, as text cells; unreadable input is a problem, never a traceback."""
    where = label(name, path)
    try:
        table = _read(path)
    except (pa.ArrowException, OSError, ValueError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return RawTable.unreadable(name, Problem(where, None, None, f"cannot be read as a Parquet file ({first})"))
    problems = [
        Problem(where, None, column, f"the column {column!r} {why}; write it as text, a number, a date or true/false")
        for column, field in zip(table.column_names, table.schema)
        if (why := _unreadable_type(field.type)) is not None
    ]
    if len(set(table.column_names)) < len(table.column_names):
        twice = sorted({c for c in table.column_names if table.column_names.count(c) > 1})
        problems.append(Problem(where, None, None, f"the column {', '.join(map(repr, twice))} appears twice"))
    if problems:
        return RawTable(name=name, label=where, frame=pd.DataFrame(), rows=np.empty(0, np.int64), problems=problems)
    frame = text_frame(table)
    return RawTable(name=name, label=where, frame=frame, rows=np.arange(1, len(frame) + 1))
