"""Beyond one machine (SPEC §13): the metrics of a cohort on Dask or Spark.

Every metric of SPEC §3 is computed from one person's rows only, so a cohort too
large for one machine is split by ``person_id`` and each part is measured on its
own, by the same vectorised code as `Cohort.metrics`:

- `dask_metrics` reads a folder of CSV files, a folder of Parquet files of the §2
  tables or a store, and returns a Dask DataFrame computed partition by partition;
  each partition reads only its people's rows, checks them and measures them.
- `spark_metrics` takes Spark DataFrames of the §2 tables, groups the rows of all
  of them by ``person_id`` and measures each group with ``applyInPandas``.

Both give exactly the values of ``cohort.metrics()``.  Dask and PySpark are optional
(``pip install socialcap[dask]`` or ``socialcap[spark]``); this module imports
them only when called.  See docs/scale.md for when to use which.

Examples
--------
>>> import tempfile, socialcap as sc
>>> from socialcap.scale import dask_metrics
>>> cohort = sc.datasets.synthetic(people=6, waves=2, seed=1)
>>> folder = sc.write_cohort(cohort, tempfile.mkdtemp() + "/cohort")
>>> lazy = dask_metrics(folder, people_per_partition=2)
>>> lazy.npartitions
3
>>> table = lazy.compute(scheduler="synchronous").set_index("date", append=True)
>>> table.equals(cohort.metrics())
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._exceptions import ValidationError
from ._parquet import parquet_tables, refuse_both_ways, text_frame
from .cohort import Cohort

if TYPE_CHECKING:  # pragma: no cover
    import dask.dataframe as dd
    import pyspark.sql

__all__ = ["dask_metrics", "spark_metrics", "metrics_schema", "from_spark"]

TABLE_NAMES = ("people", "connections", "ties", "snapshots")

#: How many people one Dask partition measures, unless told otherwise: about
#: 1.3 million connection rows at 25 a snapshot and 5 waves, well under a GiB.
PEOPLE_PER_PARTITION = 10_000


# -- Dask ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """Where a partition reads its tables: a folder of CSV or Parquet files."""

    folder: str
    format: str  # "csv" or "parquet"
    paths: tuple[tuple[str, str], ...]  # (table name, file or folder of parts)

    def read(self, name: str, low: str | None, high: str | None) -> pd.DataFrame | None:
        """The rows of one table whose ``person_id`` lies in [low, high) (None: unbounded)."""
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        path = dict(self.paths).get(name)
        if path is None:
            return None
        dataset = ds.dataset(path, format=_csv_format(path) if self.format == "csv" else "parquet")
        person = pc.field("person_id")
        if not pa.types.is_string(dataset.schema.field("person_id").type) and not pa.types.is_large_string(
            dataset.schema.field("person_id").type
        ):
            person = person.cast(pa.large_string())
        keep = None
        if low is not None:
            keep = person >= low
        if high is not None:
            keep = (person < high) if keep is None else keep & (person < high)
        if low is None:  # the first partition also takes rows without a person_id, for the validator to report
            keep = None if keep is None else keep | person.is_null()
        table = dataset.to_table(filter=keep)
        if self.format == "csv":
            return _text_frame(table)
        return text_frame(table)


def _csv_format(path: str) -> Any:
    """pyarrow's CSV reading as socialcap's reader does it: every column as text, empty cells missing."""
    import pyarrow.csv as pacsv
    import pyarrow.dataset as ds

    with open(path, encoding="utf-8-sig", newline="") as file:
        import csv

        names = next(csv.reader([file.readline().rstrip("\r\n")]), [])
    return ds.CsvFileFormat(
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.large_string() for n in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    )


def _text_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table of text as pandas' Arrow-backed ``str`` columns (what io.py's reader gives)."""
    text = pd.Series([], dtype="str").dtype
    columns = {}
    for name, column in zip(table.column_names, table.columns):
        chunk = column.combine_chunks() if table.num_rows else pa.array([], pa.large_string())
        columns[name] = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([chunk]), dtype=text), copy=False)
    frame = pd.DataFrame(columns, copy=False)
    blank = frame.isna().all(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    return frame[~blank].reset_index(drop=True) if blank.any() else frame


def _find_source(folder: Path) -> _Source | None:
    """The tables of a folder, as CSV files or Parquet files (``name.parquet`` or a folder ``name/`` of parts)."""
    csv = {n: folder / f"{n}.csv" for n in TABLE_NAMES if (folder / f"{n}.csv").is_file()}
    parquet = parquet_tables(folder, TABLE_NAMES)
    refuse_both_ways(folder, parquet)  # as read_cohort does: never a silent choice
    if "connections" in parquet and "connections" not in csv:
        return _Source(str(folder), "parquet", tuple((n, str(p)) for n, p in parquet.items()))
    if "connections" in csv:
        return _Source(str(folder), "csv", tuple((n, str(p)) for n, p in csv.items()))
    return None


def _measure(
    tables: dict[str, pd.DataFrame | None], columns: Sequence[str], source: str, label: str
) -> pd.DataFrame:
    """Check one partition's tables and measure them: the metrics table with ``date`` as a column."""
    from ._validate import RawTable, build_tables
    from .metrics import cohort_metrics

    raw = {}
    for name, frame in tables.items():
        if frame is None:
            continue
        file = f"{name}.{label}" if label != "tables" else f"{name} table"
        if label in ("csv", "parquet"):  # already text cells, as the folder reader gives them
            raw[name] = RawTable(name, file, frame, np.arange(2, len(frame) + 2))
        else:
            raw[name] = RawTable.from_frame(name, file, frame)
    cohort = Cohort(**build_tables(raw, source=source))
    return cohort_metrics(cohort, columns=list(columns)).reset_index("date")


def _read_partition(bounds: tuple[str | None, str | None], source: _Source, wanted: tuple[str, ...]) -> pd.DataFrame:
    # (not named ``columns``: Dask's from_map would take that for a column projection)
    low, high = bounds
    tables = {name: source.read(name, low, high) for name in TABLE_NAMES}
    where = f"{source.folder} (people from {low or 'the first'} to before {high or 'the end'})"
    return _measure(tables, wanted, where, source.format)


def _measure_part(tables: dict[str, pd.DataFrame], wanted: tuple[str, ...]) -> pd.DataFrame:
    """One partition of a cohort already checked (from a store, a workbook or memory)."""
    from .metrics import cohort_metrics

    return cohort_metrics(Cohort(**tables), columns=list(wanted)).reset_index("date")


def _people_ids(source: _Source) -> list[str]:
    """Everyone's person_id, sorted as text (only that column is read)."""
    import pyarrow.dataset as ds

    path = dict(source.paths).get("people")
    if path is None:
        raise ValidationError([_problem("people.csv", "the people table is missing; socialcap needs people.csv")], source.folder)
    dataset = ds.dataset(path, format=_csv_format(path) if source.format == "csv" else "parquet")
    ids = dataset.to_table(columns=["person_id"]).column(0)
    ids = ids.drop_null().cast(pa.large_string())
    return sorted(set(ids.to_pylist()))


def _problem(file: str, message: str) -> Any:
    from ._exceptions import Problem

    return Problem(file, None, None, message)


def _bounds(ids: list[str], size: int) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    """Ranges of person_ids of ``size`` people each, and Dask divisions for them.

    The first range is open below and the last open above, so every row of every
    table lands in exactly one partition, even one whose person is not in people.csv
    (that partition's check then reports it).
    """
    starts = ids[::size] or [""]
    bounds = [(None if i == 0 else s, starts[i + 1] if i + 1 < len(starts) else None) for i, s in enumerate(starts)]
    divisions = [*starts, ids[-1] if ids else ""]
    return bounds, divisions


def _meta(columns: Sequence[str], people_columns: Sequence[str]) -> pd.DataFrame:
    """An empty metrics table with the dtypes every partition returns (date as a column)."""
    people = pd.DataFrame({c: pd.Series([], dtype="str") for c in ["person_id", *people_columns]})
    connections = pd.DataFrame(
        {c: pd.Series([], dtype="str") for c in ("person_id", "date", "connection_id", "kind", "domain")}
    )
    return Cohort.from_tables(people, connections).metrics(list(columns)).reset_index("date")


def dask_metrics(
    source: str | os.PathLike[str] | Cohort,
    columns: Sequence[str] | str = (),
    *,
    people_per_partition: int = PEOPLE_PER_PARTITION,
) -> dd.DataFrame:
    """The metrics table of a cohort as a Dask DataFrame, one partition per range of people.

    Parameters
    ----------
    source
        A folder of the §2 tables as CSV files or as Parquet files (``people.parquet``
        or a folder ``people/`` of Parquet parts, and the same for ``connections``,
        ``ties`` and ``snapshots``), a store (a path ending ``.db`` or a database
        URL), an ``.xlsx`` workbook, or a `Cohort` already in memory.
    columns
        people.csv columns to add after the metrics, as for `Cohort.metrics`.
    people_per_partition
        How many people each partition measures (partitions are ranges of
        ``person_id`` in text order).

    Returns
    -------
    dask.dataframe.DataFrame
        Indexed by ``person_id`` (divisions known), with ``date`` and then one column
        per metric, with the dtypes of `Cohort.metrics`.  Nothing is read until it is
        computed.  ``.compute().set_index("date", append=True)`` is exactly
        ``cohort.metrics(columns)``.

    Notes
    -----
    From a folder each partition reads only its own people's rows: Parquet files
    written sorted by ``person_id`` (as `socialcap.write_cohort` and most exports
    write them) let it skip every other row group, so the whole cohort never needs
    to fit in memory; CSV files are scanned in full by every partition, as a
    stream.  Each partition checks its rows as `socialcap.read_cohort` does and
    raises `socialcap.ValidationError` with what it found; its row numbers count
    within the partition, so run ``socialcap validate`` for the file's own rows.
    A store or a workbook is read whole and then split.  Metrics registered by
    your own code must be registered on the workers too (import your module there).

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=5, waves=2, seed=2)
    >>> lazy = dask_metrics(cohort, ["ward"], people_per_partition=2)
    >>> lazy.npartitions, list(lazy.columns[:2]), lazy.columns[-1]
    (3, ['date', 'people'], 'ward')
    """
    import dask
    import dask.dataframe as dd

    if people_per_partition < 1:
        raise ValueError("people_per_partition must be at least 1")
    wanted = [c.strip() for c in columns.split(",") if c.strip()] if isinstance(columns, str) else list(columns)
    folder = _find_source(Path(source)) if not isinstance(source, Cohort) and Path(source).is_dir() else None
    if folder is not None:
        ids = _people_ids(folder)
        bounds, divisions = _bounds(ids, people_per_partition)
        meta = _meta(wanted, _people_columns(folder))
        with dask.config.set({"dataframe.convert-string": False}):  # keep pandas' own text dtype
            return dd.from_map(
                _read_partition, bounds, source=folder, wanted=tuple(wanted), meta=meta,
                divisions=divisions, label="socialcap-metrics", enforce_metadata=False,
            )
    cohort = source if isinstance(source, Cohort) else _read_whole(source)
    ids = sorted(cohort.person_ids)
    bounds, divisions = _bounds(ids, people_per_partition)
    parts = [cohort.select(ids[i : i + people_per_partition]).tables() for i in range(0, max(len(ids), 1), people_per_partition)]
    meta = _meta(wanted, [c for c in cohort.people.columns if c != "person_id"])
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            _measure_part, parts, wanted=tuple(wanted), meta=meta, divisions=divisions,
            label="socialcap-metrics", enforce_metadata=False,
        )


def _read_whole(source: str | os.PathLike[str]) -> Cohort:
    from .io import read_cohort

    return read_cohort(source)


def _people_columns(source: _Source) -> list[str]:
    import pyarrow.dataset as ds

    path = dict(source.paths)["people"]
    dataset = ds.dataset(path, format=_csv_format(path) if source.format == "csv" else "parquet")
    return [n for n in dataset.schema.names if n != "person_id"]


# -- Spark ---------------------------------------------------------------------------

_SPARK_TYPES = {"int64": "long", "float64": "double", "boolean": "boolean", "str": "string"}


def metrics_schema(columns: Sequence[str] = ()) -> str:
    """The Spark schema (DDL) of the metrics table: person_id, date, then every registered metric.

    ``columns`` are people.csv columns to add, as text.

    >>> metrics_schema().split(", ")[:3]
    ['person_id string', 'date timestamp_ntz', 'people long']
    """
    from .metrics import METRICS

    fields = ["person_id string", "date timestamp_ntz"]
    fields += [f"{m.name} {_SPARK_TYPES[m.dtype]}" for m in METRICS.values()]
    fields += [f"{c} string" for c in columns]
    return ", ".join(fields)


_PREFIX = {"people": "p__", "connections": "c__", "ties": "t__", "snapshots": "s__"}


def spark_metrics(
    connections: pyspark.sql.DataFrame,
    ties: pyspark.sql.DataFrame | None = None,
    snapshots: pyspark.sql.DataFrame | None = None,
    *,
    people: pyspark.sql.DataFrame | None = None,
) -> pyspark.sql.DataFrame:
    """The metrics table of a cohort given as Spark DataFrames of the §2 tables.

    The tables are grouped together by ``person_id`` and each person's rows are
    checked and measured by the same code as `Cohort.metrics`, with
    ``applyInPandas``.  Spark's ``cogroup`` joins only two tables, so the (up to
    four) tables are stacked into one, each keeping its own columns and types under a
    prefix, and grouped once: a cogroup of all of them.

    Parameters
    ----------
    connections, ties, snapshots
        The §2 tables, with text or typed columns (dates may be Spark dates).
    people
        The people table, optional: with it, rows of a person not in it are
        reported; without it, every person with a row in the other tables is measured.

    Returns
    -------
    pyspark.sql.DataFrame
        One row per snapshot with the schema `metrics_schema`: ``person_id``,
        ``date`` (a timestamp without time zone) and one column per metric.
        `from_spark` turns its ``toPandas()`` into exactly ``cohort.metrics()``.

    Notes
    -----
    A person whose rows break a rule makes the job fail with
    `socialcap.ValidationError` naming the person's rows (numbered within that
    person's rows); run ``socialcap validate`` first for the file's own rows.
    """
    from pyspark.sql import functions as F

    tables = {"connections": connections, "ties": ties, "snapshots": snapshots, "people": people}
    given = {name: frame for name, frame in tables.items() if frame is not None}
    stacked = None
    names: dict[str, list[str]] = {}
    for name, frame in given.items():
        names[name] = list(frame.columns)
        renamed = frame.select(
            F.col("person_id").cast("string").alias("person_id"),
            F.lit(name).alias("__table"),
            *[F.col(f"`{c}`").alias(_PREFIX[name] + c) for c in frame.columns],
        )
        stacked = renamed if stacked is None else stacked.unionByName(renamed, allowMissingColumns=True)
    assert stacked is not None
    with_people = people is not None

    def measure(rows: pd.DataFrame) -> pd.DataFrame:
        return _measure_spark_group(rows, names, with_people)

    return stacked.groupBy("person_id").applyInPandas(measure, schema=metrics_schema())


def _measure_spark_group(rows: pd.DataFrame, names: dict[str, list[str]], with_people: bool) -> pd.DataFrame:
    """One person's stacked rows, split back into their tables, checked and measured."""
    tables: dict[str, pd.DataFrame | None] = {}
    for name, cols in names.items():
        mine = rows[rows["__table"] == name].reset_index(drop=True)
        tables[name] = pd.DataFrame({c: mine[_PREFIX[name] + c] for c in cols})
    if not with_people:
        ids = rows["person_id"].dropna().unique()
        tables["people"] = pd.DataFrame({"person_id": pd.Series(ids, dtype="str")})
    person = rows["person_id"].iloc[0] if len(rows) else ""
    return _measure(tables, (), f"the rows of person {person}", "tables").reset_index()


def from_spark(frame: pd.DataFrame) -> pd.DataFrame:
    """``spark_metrics(...).toPandas()`` as `Cohort.metrics` gives it: indexed, sorted, same dtypes.

    Spark hands back whole-number columns as ``int64``, nullable booleans as objects
    (``None`` for missing) and the date as a timestamp; this restores the dtypes of
    the metrics table, which is the one conversion Spark forces.

    >>> import pandas as pd
    >>> row = {"person_id": "P1", "date": pd.Timestamp("2025-03-01"), "isolated": None}
    >>> from_spark(pd.DataFrame([row]))["isolated"].dtype
    BooleanDtype
    """
    from .metrics import METRICS

    out = frame.copy()
    out["person_id"] = out["person_id"].astype("str")
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    for metric in METRICS.values():
        if metric.name in out:
            out[metric.name] = out[metric.name].astype(metric.dtype)
    return out.set_index(["person_id", "date"]).sort_index()
