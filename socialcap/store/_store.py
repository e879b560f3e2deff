"""`Store`: the cohort in a database, every version of every map kept.

The tables are in `socialcap.store._schema`.  Everything that goes in passes the one
validator (`socialcap._validate.build_tables`), exactly as a folder of CSV files
does; everything that comes out is rebuilt through it too, so a cohort read from a
store has the same columns, types and rows as the one written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa
from sqlalchemy import event

from .. import vocab
from .._exceptions import ConflictError, NotFoundError, Problem, SocialcapError, ValidationError
from .._validate import RawTable, build_tables, to_text
from ..cohort import Cohort
from ..graph import DateLike, Snapshot, Timeline, _records, as_date
from ..io import _as_text_frame, read_csv_text
from . import _schema as schema
from . import display_url

__all__ = ["Store", "read_store", "write_store"]

UTC = dt.timezone.utc
T = TypeVar("T")

#: The tables kept inside a snapshot version as the CSV text of its rows.
ROW_TABLES: tuple[str, ...] = ("connections", "ties")
#: Tables of one person (people) or one map (snapshots and the row tables); any other
#: table of a cohort (assets.csv) belongs to the whole cohort and is kept whole.
PERSON_TABLES: tuple[str, ...] = ("people", "snapshots", *ROW_TABLES)
#: people.csv and snapshots.csv columns that have a database column of their own
#: (any other column, extra or new, is kept in the ``extras`` JSON object).
PEOPLE_FIELDS: tuple[str, ...] = ("name", "birth_year", "ward", "start_date")
ANSWER_FIELDS: tuple[str, ...] = ("ucla_companionship", "ucla_left_out", "ucla_isolated", "ons_lonely")
INTEGER_FIELDS: frozenset[str] = frozenset({"birth_year", "ucla_companionship", "ucla_left_out", "ucla_isolated"})
#: How many times a save that met another process's save at the same moment is retried.
RETRIES = 5


# -- addresses -----------------------------------------------------------------------


def _engine_url(url: str | os.PathLike[str]) -> tuple[sa.URL, Path | None]:
    """The SQLAlchemy URL of a store, and the SQLite file behind it (None for a server)."""
    text = os.fspath(url)
    lower = text.lower()
    if lower.startswith("postgres:"):
        text = "postgresql:" + text[len("postgres:"):]
        lower = text.lower()
    if lower.startswith("postgresql"):
        address = sa.make_url(text)
        if address.drivername == "postgresql":
            address = address.set(drivername="postgresql+psycopg")  # psycopg 3, not SQLAlchemy's default psycopg2
        return address, None
    if lower.startswith("sqlite"):
        address = sa.make_url(text)
        if not address.database or address.database == ":memory:":
            return address, None
        return address, Path(address.database)
    path = Path(text)
    return sa.URL.create("sqlite+pysqlite", database=str(path)), path


def _configure_sqlite(engine: sa.Engine) -> None:
    """WAL (readers never wait for a writer), a busy timeout, and writes that queue up.

    A write transaction starts with ``BEGIN IMMEDIATE``: it waits (up to the busy
    timeout) for another writer to finish instead of failing half-way when two
    processes save at once.  ``secure_delete`` overwrites what `Store.erase_person`
    deletes, so it cannot be read back from the file.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # socialcap begins its own transactions (below)
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA busy_timeout = 60000",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA secure_delete = ON",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("socialcap_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# -- moments ---------------------------------------------------------------------------


def _moment(value: dt.datetime | dt.date | str | pd.Timestamp) -> dt.datetime:
    """``as_of`` as a moment in UTC; a time without a zone is local time, a date its midnight."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"as_of {value!r} is not a date and time such as 2025-03-01T12:00") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raise TypeError(f"as_of must be a datetime, a date or ISO text, not {type(value).__name__}")
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(UTC)


def _now_after(previous: dt.datetime | None) -> dt.datetime:
    """Now, but never before the version it follows (clocks can step back)."""
    now = dt.datetime.now(UTC)
    if previous is not None and now <= previous:
        now = previous + dt.timedelta(microseconds=1)
    return now


# -- tables as text ----------------------------------------------------------------------


def _header_line(columns: list[str]) -> str:
    sink = pa.BufferOutputStream()
    table = pa.table({c: pa.array([], pa.string()) for c in columns})
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().to_pybytes().decode("utf-8")


def _csv_body(text: pd.DataFrame) -> bytes:
    table = pa.table({c: pa.array(text[c].tolist(), type=pa.string()) for c in text.columns})
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(quoting_style="needed", include_header=False))
    return sink.getvalue().to_pybytes()


def _split_rows(text: pd.DataFrame, codes: np.ndarray, n: int, known: tuple[str, ...]) -> tuple[list[str], list[str], np.ndarray]:
    """Each snapshot's rows of one table as CSV text: (header, body, row count) per snapshot.

    ``text`` is the table as CSV text (`io._as_text_frame`); ``codes[i]`` is the
    snapshot (0 … n-1) row i belongs to.  A snapshot's header names the §2 columns
    and only the extra columns it has a value in.
    """
    counts = np.bincount(codes, minlength=n) if len(codes) else np.zeros(n, dtype=np.int64)
    headers = [""] * n
    bodies = [""] * n
    extras = [c for c in text.columns if c not in known]
    base = [c for c in text.columns if c in known]
    if extras and len(text):
        filled = np.column_stack([(text[c] != "").to_numpy() for c in extras])
        per_snapshot = np.zeros((n, len(extras)), dtype=bool)
        np.logical_or.at(per_snapshot, codes, filled)
    else:
        per_snapshot = np.zeros((n, len(extras)), dtype=bool)
    signatures, group_of = np.unique(per_snapshot, axis=0, return_inverse=True) if n else (np.zeros((0, len(extras)), bool), np.zeros(0, np.intp))
    group_of = np.asarray(group_of).reshape(-1)
    for g, signature in enumerate(signatures):
        columns = base + [c for c, keep in zip(extras, signature) if keep]
        header = _header_line(columns)
        members = np.flatnonzero(group_of == g)
        for s in members:
            headers[s] = header
        in_group = np.zeros(n, dtype=bool)
        in_group[members] = True
        rows = np.flatnonzero(in_group[codes]) if len(codes) else np.zeros(0, np.intp)
        if not len(rows):
            continue
        rows = rows[np.argsort(codes[rows], kind="stable")]  # each snapshot's rows together, in their order
        part = text.iloc[rows][columns]
        data = _csv_body(part)
        row_codes = codes[rows]
        first = np.searchsorted(row_codes, members, side="left")
        last = np.searchsorted(row_codes, members, side="right")
        if data.count(b"\n") != len(rows):  # a value spans lines: write each snapshot on its own
            for s, a, b in zip(members, first, last):
                if b > a:
                    bodies[s] = _csv_body(part.iloc[a:b]).decode("utf-8")
            continue
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + 1  # one line per row
        starts = np.concatenate([[0], ends])
        for s, a, b in zip(members, first, last):
            if b > a:
                bodies[s] = data[starts[a]:starts[b]].decode("utf-8")
    return headers, bodies, counts


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def _fields(text_row: Mapping[str, str], fields: tuple[str, ...], known: tuple[str, ...]) -> dict[str, Any]:
    """One people or snapshots row (as text) as database values: own columns, and extras as JSON."""
    out: dict[str, Any] = {}
    for field in fields:
        value = text_row.get(field, "")
        out[field] = None if value == "" else (int(value) if field in INTEGER_FIELDS else value)
    extras = {c: v for c, v in text_row.items() if c not in fields and c not in ("person_id", "date") and v != ""}
    out["extras"] = extras or None
    return out


def _layout(cohort: Cohort) -> dict[str, list[str]]:
    return {name: [c for c in frame.columns if c not in vocab.TABLES[name]] for name, frame in cohort.tables().items()}


def _people_rows(cohort: Cohort) -> list[dict[str, Any]]:
    records = _text_records(cohort.people) if len(cohort.people) <= SMALL else _as_text_frame(cohort.people).to_dict("records")
    return [{"person_id": row["person_id"], **_fields(row, PEOPLE_FIELDS, vocab.PEOPLE_COLUMNS)} for row in records]


#: Up to this many maps, tables are turned into text cell by cell (no fixed cost of a
#: vectorised pass, which is what makes one save quick); above it, column by column.
SMALL = 64


def _cell(value: Any) -> str:
    """One typed cell as `io._as_text_frame` writes it."""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return "" if pd.isna(value) else value.strftime("%Y-%m-%d")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, str):
        return value
    return "" if pd.isna(value) else str(value)


def _cohort_table_rows(cohort: Cohort) -> dict[str, dict[str, Any]]:
    """The cohort-wide tables (assets.csv) as CSV text, each with its digest."""
    out = {}
    for name, frame in cohort.tables().items():
        if name in PERSON_TABLES:
            continue
        content = _header_line([str(c) for c in frame.columns]) + _csv_body(_as_text_frame(frame)).decode("utf-8")
        out[name] = {"name": name, "content": content, "digest": _digest(content)}
    return out


def _text_records(frame: pd.DataFrame) -> list[dict[str, str]]:
    columns = list(frame.columns)
    return [dict(zip(columns, map(_cell, row))) for row in frame.itertuples(index=False, name=None)]


def _csv_lines(rows: list[list[str]]) -> str:
    """CSV text exactly as pyarrow's writer gives it for text columns (every value quoted)."""
    import csv
    import io

    sink = io.StringIO()
    csv.writer(sink, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return sink.getvalue()


def _split_rows_small(frame: pd.DataFrame, codes: np.ndarray, n: int, known: tuple[str, ...]) -> tuple[list[str], list[str], np.ndarray]:
    """`_split_rows` cell by cell, for a few maps."""
    records = _text_records(frame)
    columns = list(frame.columns)
    base = [c for c in columns if c in known]
    extras = [c for c in columns if c not in known]
    per_snapshot: list[list[dict[str, str]]] = [[] for _ in range(n)]
    for code, record in zip(codes, records):
        per_snapshot[code].append(record)
    headers, bodies = [], []
    for rows in per_snapshot:
        kept = base + [c for c in extras if any(r[c] != "" for r in rows)]
        headers.append(_csv_lines([kept]))
        bodies.append(_csv_lines([[r[c] for c in kept] for r in rows]))
    return headers, bodies, np.asarray([len(r) for r in per_snapshot], dtype=np.int64)


def _snapshot_rows(cohort: Cohort, small: bool | None = None) -> list[dict[str, Any]]:
    """Every snapshot of a cohort as the content of a version row, in the order snapshots first appear."""
    small = len(cohort.snapshots) <= SMALL if small is None else small
    answers = _text_records(cohort.snapshots) if small else _as_text_frame(cohort.snapshots).to_dict("records")
    keys = pd.MultiIndex.from_arrays([cohort.snapshots["person_id"], cohort.snapshots["date"]])
    n = len(keys)
    firsts = []
    codes = {}
    for name in ROW_TABLES:
        frame = cohort.tables()[name]
        found = keys.get_indexer(pd.MultiIndex.from_arrays([frame["person_id"], frame["date"]])) if len(frame) else np.zeros(0, np.intp)
        codes[name] = found.astype(np.intp)
        firsts.append(pd.unique(found))
    order = pd.unique(np.concatenate([*firsts, np.arange(n)])) if n else np.zeros(0, np.intp)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    parts = {}
    for name in ROW_TABLES:
        frame = cohort.tables()[name]
        if small:
            parts[name] = _split_rows_small(frame, codes[name], n, vocab.TABLES[name])
        else:
            parts[name] = _split_rows(_as_text_frame(frame), codes[name], n, vocab.TABLES[name])
    rows = []
    for i, answer in enumerate(answers):
        fields = _fields(answer, ANSWER_FIELDS, vocab.SNAPSHOT_COLUMNS)
        row = {"person_id": answer["person_id"], "date": answer["date"], **fields, "order": int(rank[i])}
        for name in ROW_TABLES:
            headers, bodies, counts = parts[name]
            row[f"{name}_header"], row[name], row[f"n_{name}"] = headers[i], bodies[i], int(counts[i])
        row["digest"] = _digest(
            row["connections_header"], row["connections"], row["ties_header"], row["ties"],
            [fields[f] for f in ANSWER_FIELDS], fields["extras"],
        )
        rows.append(row)
    rows.sort(key=lambda r: r["order"])
    return rows


#: The columns a whole-cohort read takes from each table.
PEOPLE_READ: tuple[str, ...] = ("person_id", *PEOPLE_FIELDS, "extras")
SNAPSHOT_READ: tuple[str, ...] = (
    "person_id", "date", *ANSWER_FIELDS, "extras",
    *(column for name in ROW_TABLES for column in (f"{name}_header", name, f"n_{name}")),
)


def _columns(rows: Sequence[Any], names: tuple[str, ...]) -> dict[str, list[Any]]:
    columns = list(zip(*rows)) if rows else [() for _ in names]
    return {name: list(values) for name, values in zip(names, columns)}


def _answers_table(name: str, data: dict[str, list[Any]], fields: tuple[str, ...], known: tuple[str, ...], layout: dict[str, list[str]]) -> RawTable:
    """The people or snapshots table, as text, from its database columns and JSON extras."""
    extras = data["extras"]
    columns = [*known, *_ordered_extras(layout.get(name, []), [k for e in extras if e for k in e], known)]
    n = len(data["person_id"])
    text: dict[str, list[Any]] = {"person_id": data["person_id"]}
    if "date" in data:
        text["date"] = data["date"]
    for field in fields:
        text[field] = [None if v is None else str(v) for v in data[field]]
    for column in columns:
        if column not in text:
            text[column] = [e.get(column) if e else None for e in extras] if any(extras) else [None] * n
    frame = pd.DataFrame({c: pd.array(text[c], dtype="str") for c in columns}, columns=columns)
    return RawTable(name, name, frame, np.arange(2, n + 2))


def _ordered_extras(layout: list[str], seen: list[str], known: tuple[str, ...]) -> list[str]:
    out = [c for c in layout if c not in known]
    out += [c for c in dict.fromkeys(seen) if c not in known and c not in out]
    return out


def _header_columns(header: str) -> list[str]:
    import csv

    return next(csv.reader([header.rstrip("\r\n")]), [])


def _rows_table(name: str, label: str, rows: list[tuple[str, str, int]], layout: list[str]) -> RawTable:
    """One table (connections or ties) from the CSV text of its snapshots, in their order."""
    known = vocab.TABLES[name]
    groups: dict[str, list[int]] = {}
    for i, (header, _body, _count) in enumerate(rows):
        if header:
            groups.setdefault(header, []).append(i)
    seen = [c for header in groups for c in _header_columns(header)]
    columns = [*known, *_ordered_extras(layout, seen, known)]
    frames, orders = [], []
    controls = False
    for header, members in groups.items():
        data = (header + "".join(rows[i][1] for i in members)).encode("utf-8")
        table = read_csv_text(data, name, label, marked=False)  # stored as is: no formula marks to remove
        if table.problems:  # written by socialcap, so only damage to the database gets here
            raise ValidationError(table.problems, label)
        frames.append(table.frame)
        controls = controls or table.controls_possible
        orders.append(np.repeat(np.asarray(members), [rows[i][2] for i in members]))
    if not frames:
        frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    elif len(frames) == 1:
        frame = _conform(frames[0], columns)
    else:
        merged = pd.concat([_conform(f, columns) for f in frames], ignore_index=True)
        frame = merged.take(np.argsort(np.concatenate(orders), kind="stable")).reset_index(drop=True)
    raw = RawTable(name, label, frame, np.arange(2, len(frame) + 2))
    # As the reader found: when no stored text holds a control character, the
    # validator need not look for one cell by cell (3 s of a 100,000-map store).
    raw.controls_possible = controls or not frames
    return raw


def _conform(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    missing = {c: pd.Series(pd.NA, index=frame.index, dtype="str") for c in columns if c not in frame.columns}
    if missing:
        frame = frame.assign(**missing)
    return frame[columns] if list(frame.columns) != columns else frame


def _as_rows(value: Any, what: str, problems: list[Problem]) -> list[dict[str, Any]]:
    if isinstance(value, pd.DataFrame):
        return value.to_dict("records")
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        problems.append(Problem(what, None, None, f"{what} must be a list of rows"))
        return []
    out = []
    for n, row in enumerate(value, start=2):
        if not isinstance(row, Mapping):
            problems.append(Problem(what, n, None, "each row must be a set of column: value pairs"))
            continue
        out.append({str(k): _json_cell(v) for k, v in row.items()})
    return out


def _json_cell(value: Any) -> Any:
    """A value sent as JSON: a list of support types becomes the ``;``-separated text of §2."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return value


def _keyed(rows: list[dict[str, Any]], person_id: str, date: str, what: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """Rows of one snapshot with its person_id and date; a row naming another is a problem."""
    out = []
    for n, row in enumerate(rows, start=2):
        for column, value in (("person_id", person_id), ("date", date)):
            given = row.get(column)
            if given is not None and not (isinstance(given, float) and np.isnan(given)) and str(_cell_text(given)) != value:
                problems.append(Problem(what, n, column, f"{column} {given!r} is not this snapshot's {column} {value!r}"))
        out.append({"person_id": person_id, "date": date, **{k: v for k, v in row.items() if k not in ("person_id", "date")}})
    return out


def _cell_text(value: Any) -> Any:
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _raw(name: str, rows: list[dict[str, Any]], columns: list[str] | None = None) -> RawTable:
    """Submitted rows as the validator's text table (what `RawTable.from_frame` gives, cell by cell)."""
    if columns is None:
        columns = list(dict.fromkeys(k for row in rows for k in row)) if rows else list(vocab.REQUIRED[name])
    data = {c: pd.array([to_text(row.get(c)) for row in rows], dtype="str") for c in columns}
    frame = pd.DataFrame(data, columns=columns) if rows else pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    return RawTable(name, name, frame, np.arange(2, len(rows) + 2))


# -- the store -----------------------------------------------------------------------------


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Turn a database's refusal into a `SocialcapError` naming the store (password masked)."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        with self._errors():
            return method(self, *args, **kwargs)

    return wrapper


class Store:
    """A cohort kept in SQLite or PostgreSQL, with every version of every map.

    Open one with `socialcap.open_store`.  Nothing is ever overwritten: each save
    adds a version (``saved_at``, ``saved_by``); `read_cohort` and `snapshot` can
    look back to any moment with ``as_of``.  The one deliberate deletion is
    `erase_person`.

    Examples
    --------
    >>> import tempfile, socialcap as sc
    >>> store = sc.open_store(tempfile.mkdtemp() + "/maps.db")
    >>> store.save_person({"person_id": "P01", "name": "Sam"}, saved_by="jo")
    1
    >>> store.save_snapshot({"person_id": "P01", "date": "2025-03-01", "connections": [
    ...     {"connection_id": "mum", "kind": "person", "domain": "family", "closeness": 1}]}, saved_by="jo")
    1
    >>> store.save_snapshot({"person_id": "P01", "date": "2025-03-01", "connections": [
    ...     {"connection_id": "mum", "kind": "person", "domain": "family", "closeness": 2}]}, expected_version=1)
    2
    >>> store.snapshot("P01", "2025-03-01")["connections"]
    [{'connection_id': 'mum', 'kind': 'person', 'domain': 'family', 'closeness': 2, 'paid': False, 'hope': False}]
    >>> [(h["version"], h["saved_by"]) for h in store.history("P01", "2025-03-01")]
    [(1, 'jo'), (2, None)]
    >>> try:
    ...     store.save_snapshot({"person_id": "P01", "date": "2025-03-01", "connections": []}, expected_version=1)
    ... except sc.ConflictError as error:
    ...     print(error.current)
    2
    >>> store.close()
    """

    def __init__(self, url: str | os.PathLike[str], *, create: bool = True) -> None:
        #: The store's address as it may be printed (any password masked).
        self.url_for_display = display_url(url)
        address, path = _engine_url(url)
        if path is not None and not path.exists():
            if not create:
                raise FileNotFoundError(f"no store at {path}")
            path.parent.mkdir(parents=True, exist_ok=True)
        self._sqlite = address.get_backend_name() == "sqlite"
        try:
            self.engine = sa.create_engine(address, connect_args={"timeout": 60} if self._sqlite else {})
        except ModuleNotFoundError as error:
            raise SocialcapError(
                f"a PostgreSQL store needs the psycopg package ({error.name} is missing): pip install 'socialcap[postgres]'"
            ) from None
        if self._sqlite:
            _configure_sqlite(self.engine)
        try:
            with self._errors():
                self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    # -- plumbing --------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.IntegrityError:
            raise
        except sa.exc.DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else type(error).__name__
            raise SocialcapError(f"the store {self.url_for_display} cannot be used: {reason}") from None
        except sa.exc.ArgumentError as error:
            raise SocialcapError(f"{self.url_for_display} is not a store address: {error}") from None

    @contextlib.contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sa.Connection]:
        with self.engine.connect() as connection:
            if write:
                connection.execution_options(socialcap_write=True)
            elif not self._sqlite:  # several queries of one read see one moment
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield connection

    def _migrate(self) -> None:
        with self._transaction() as connection:
            if schema.current_version(connection) == schema.SCHEMA_VERSION:
                return
        for attempt in range(RETRIES):
            try:
                with self._transaction(write=True) as connection:
                    schema.migrate(connection)
                return
            except (sa.exc.IntegrityError, sa.exc.ProgrammingError):  # another process created it at the same moment
                if attempt == RETRIES - 1:
                    raise

    def close(self) -> None:
        """Close every connection to the database."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.url_for_display}>"

    # -- latest versions -----------------------------------------------------------------

    @staticmethod
    def _latest(table: sa.Table, keys: list[str], as_of: dt.datetime | None, where: Any = None) -> sa.Subquery:
        columns = [table.c[k] for k in keys]
        query = sa.select(*columns, sa.func.max(table.c.version).label("version")).group_by(*columns)
        if as_of is not None:
            query = query.where(table.c.saved_at <= as_of)
        if where is not None:
            query = query.where(where)
        return query.subquery()

    def _current(self, table: sa.Table, keys: list[str], as_of: dt.datetime | None, where: Any = None, columns: tuple[str, ...] | None = None) -> sa.Select:
        """The latest version of each row (at ``as_of``), leaving out removed ones."""
        latest = self._latest(table, keys, as_of, where)
        on = sa.and_(*(table.c[k] == latest.c[k] for k in keys), table.c.version == latest.c.version)
        selected = [table] if columns is None else [table.c[c] for c in columns]
        return sa.select(*selected).join_from(table, latest, on).where(table.c.deleted.is_(False))

    def _layout(self, connection: sa.Connection, as_of: dt.datetime | None) -> dict[str, list[str]]:
        query = sa.select(schema.layouts.c.columns).order_by(schema.layouts.c.id.desc()).limit(1)
        if as_of is not None:
            query = query.where(schema.layouts.c.saved_at <= as_of)
        found = connection.execute(query).scalar()
        return dict(found) if found else {}

    def _person_exists(self, connection: sa.Connection, person_id: str) -> bool:
        query = self._current(schema.people, ["person_id"], None, schema.people.c.person_id == person_id)
        return connection.execute(query).first() is not None

    # -- people --------------------------------------------------------------------------

    @_guarded
    def people(self) -> list[dict[str, Any]]:
        """The latest row of each person, sorted by ``person_id``.

        Each is ``{"person_id", "name", "birth_year", "ward", "start_date"}`` (``None``
        where empty; ``birth_year`` a number) plus any extra columns that have a value.
        """
        with self._transaction() as connection:
            rows = connection.execute(self._current(schema.people, ["person_id"], None).order_by(schema.people.c.person_id))
            return [self._person_json(row._mapping) for row in rows]  # type: ignore[arg-type]

    @staticmethod
    def _person_json(row: Mapping[str, Any]) -> dict[str, Any]:
        return {"person_id": row["person_id"], **{f: row[f] for f in PEOPLE_FIELDS}, **(row["extras"] or {})}

    @_guarded
    def save_person(self, row: Mapping[str, object], saved_by: str | None = None) -> int:
        """Add or change one person's row (people.csv columns); returns its version.

        The row is checked as a row of people.csv would be (`socialcap.ValidationError`,
        nothing stored).  A row equal to the stored one adds no version.
        """
        if not isinstance(row, Mapping):
            raise ValidationError([Problem("people", None, None, "send the person as a set of column: value pairs")], "the person")
        tables = {
            "people": _raw("people", [{str(k): _json_cell(v) for k, v in row.items()}]),
            "connections": _raw("connections", []),
        }
        typed = build_tables(tables, source="the person")
        values = _people_rows(Cohort(**typed))[0]
        person_id = values["person_id"]
        for attempt in range(RETRIES):
            try:
                with self._transaction(write=True) as connection:
                    current = connection.execute(
                        sa.select(schema.people).where(schema.people.c.person_id == person_id)
                        .order_by(schema.people.c.version.desc()).limit(1)
                    ).first()
                    if current is not None and not current.deleted and all(
                        getattr(current, k) == v for k, v in values.items()
                    ):
                        return int(current.version)
                    seq = current.seq if current is not None else self._next_seq(connection, schema.people)
                    version = (current.version if current is not None else 0) + 1
                    connection.execute(sa.insert(schema.people).values(
                        **values, version=version, seq=seq, deleted=False, saved_by=saved_by,
                        saved_at=_now_after(current.saved_at if current is not None else None),
                    ))
                    return version
            except sa.exc.IntegrityError:  # someone saved this person at the same moment: look again
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _next_seq(connection: sa.Connection, table: sa.Table) -> int:
        return int(connection.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.seq), 0))).scalar()) + 1  # type: ignore[arg-type]

    # -- snapshots -------------------------------------------------------------------------

    @_guarded
    def snapshots(self, person_id: str) -> list[dict[str, Any]]:
        """One person's maps: ``[{"date": "YYYY-MM-DD", "version": n}]``, oldest first.

        Raises `socialcap.NotFoundError` for a person who is not in the store.
        """
        table = schema.snapshots
        with self._transaction() as connection:
            if not self._person_exists(connection, person_id):
                raise NotFoundError(f"there is no person {person_id!r} in {self.url_for_display}")
            query = self._current(table, ["person_id", "date"], None, table.c.person_id == person_id)
            query = query.with_only_columns(table.c.date, table.c.version).order_by(table.c.date)
            return [{"date": row.date, "version": int(row.version)} for row in connection.execute(query)]

    def _version_row(self, connection: sa.Connection, person_id: str, date: str, as_of: dt.datetime | None, version: int | None) -> Any:
        table = schema.snapshots
        query = sa.select(table).where(table.c.person_id == person_id, table.c.date == date)
        if version is not None:
            query = query.where(table.c.version == version)
        if as_of is not None:
            query = query.where(table.c.saved_at <= as_of)
        return connection.execute(query.order_by(table.c.version.desc()).limit(1)).first()

    @_guarded
    def snapshot(self, person_id: str, date: DateLike, as_of: Any = None, version: int | None = None) -> dict[str, Any]:
        """One map as JSON-ready values: ``{"person_id", "date", "version", "connections", "ties", "answers"}``.

        ``connections`` and ``ties`` are lists of rows (column: value; empty cells left
        out; ``person_id`` and ``date`` are the snapshot's own); ``answers`` holds the
        snapshots.csv columns.  Numbers are numbers, ``paid`` true or false, the rest
        text.  ``as_of`` gives the map as it stood then, ``version`` one version of it.
        Raises `socialcap.NotFoundError` when there is no such map.
        """
        day = as_date(date).isoformat()
        moment = _moment(as_of) if as_of is not None else None
        with self._transaction() as connection:
            row = self._version_row(connection, person_id, day, moment, version)
        if row is None or row.deleted:
            raise NotFoundError(f"there is no map of {person_id} on {day} in {self.url_for_display}")
        # The text was checked when it was saved; here it is only typed, as the validator types it.
        answers = {f: row._mapping[f] for f in ANSWER_FIELDS if row._mapping[f] is not None}
        return {
            "person_id": person_id,
            "date": day,
            "version": int(row.version),
            "connections": _json_rows(row.connections_header, row.connections),
            "ties": _json_rows(row.ties_header, row.ties),
            "answers": {**answers, **(row.extras or {})},
        }

    @_guarded
    def history(self, person_id: str, date: DateLike) -> list[dict[str, Any]]:
        """Every version of one map, oldest first: ``[{"version", "saved_at", "saved_by", "deleted"}]``.

        ``saved_at`` is a `datetime.datetime` in UTC; ``deleted`` is true for a version
        that removed the map.  Raises `socialcap.NotFoundError` when there is none.
        """
        day = as_date(date).isoformat()
        table = schema.snapshots
        query = (
            sa.select(table.c.version, table.c.saved_at, table.c.saved_by, table.c.deleted)
            .where(table.c.person_id == person_id, table.c.date == day)
            .order_by(table.c.version)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).all()
        if not rows:
            raise NotFoundError(f"there is no map of {person_id} on {day} in {self.url_for_display}")
        return [
            {"version": int(r.version), "saved_at": r.saved_at, "saved_by": r.saved_by, "deleted": bool(r.deleted)}
            for r in rows
        ]

    @_guarded
    def save_snapshot(self, snapshot: Snapshot | Mapping[str, Any], expected_version: int | None = None, saved_by: str | None = None) -> int:
        """Save one map as a new version and return its version number.

        ``snapshot`` is a `socialcap.Snapshot` or a mapping shaped as `snapshot`
        returns (``person_id``, ``date``, ``connections``, ``ties``, ``answers``;
        values as JSON or as the text of a CSV cell).  ``expected_version`` is the
        version the change was made from; ``None`` means "this map is new".

        Raises
        ------
        socialcap.ConflictError
            When the stored version is not ``expected_version`` (someone saved first).
        socialcap.ValidationError
            For tables the CSV reader would refuse; ``file`` is ``connections``, ``ties``
            or ``snapshots`` and ``row`` the submitted row's position + 1, as a
            spreadsheet shows it.
        socialcap.NotFoundError
            When the person is not in the store (add them with `save_person`).

        Nothing is stored when any of these is raised: a save is one transaction.
        """
        person_id, day, tables = self._submitted(snapshot)
        with self._transaction() as connection:
            if not self._person_exists(connection, person_id):
                raise NotFoundError(f"there is no person {person_id!r} in {self.url_for_display}; save the person first")
            whole = self._cohort_tables(connection, None)  # an asset_id must be one of the stored assets
        typed = build_tables({**tables, **whole}, source=f"the map of {person_id} on {day}")
        typed = {name: frame for name, frame in typed.items() if name in PERSON_TABLES}
        values = _snapshot_rows(Cohort(**typed))[0]
        values.pop("order")
        return self._add_version(person_id, day, values, expected_version, saved_by)

    def _submitted(self, snapshot: Snapshot | Mapping[str, Any]) -> tuple[str, str, dict[str, RawTable]]:
        """The tables of one submitted map, as text, with the problems of its shape."""
        problems: list[Problem] = []
        if isinstance(snapshot, Snapshot):
            person_id, day = snapshot.person_id, snapshot.date.isoformat()
            connections = _keyed(snapshot.connections.to_dict("records"), person_id, day, "connections", problems)
            ties = _keyed(snapshot.ties.to_dict("records"), person_id, day, "ties", problems)
            answers = dict(snapshot.answers)
        elif isinstance(snapshot, Mapping):
            person_id = snapshot.get("person_id")  # type: ignore[assignment]
            day = snapshot.get("date")  # type: ignore[assignment]
            if not isinstance(person_id, str) or not person_id:
                raise ValidationError([Problem("snapshots", 2, "person_id", "the map needs the person_id it belongs to")], "the map")
            day = _cell_text(day) if day is not None else None
            if not isinstance(day, str) or not day:
                raise ValidationError([Problem("snapshots", 2, "date", "the map needs its date, written YYYY-MM-DD")], "the map")
            connections = _keyed(_as_rows(snapshot.get("connections"), "connections", problems), person_id, day, "connections", problems)
            ties = _keyed(_as_rows(snapshot.get("ties"), "ties", problems), person_id, day, "ties", problems)
            answers = snapshot.get("answers") or {}
            if not isinstance(answers, Mapping):
                problems.append(Problem("snapshots", 2, None, "answers must be a set of column: value pairs"))
                answers = {}
        else:
            raise TypeError(f"save_snapshot takes a Snapshot or a mapping, not {type(snapshot).__name__}")
        answer_rows = _keyed([{str(k): _json_cell(v) for k, v in answers.items()}], person_id, day, "snapshots", problems)
        if problems:
            raise ValidationError(problems, f"the map of {person_id} on {day}")
        tables = {
            "people": _raw("people", [{"person_id": person_id}]),
            "connections": _raw("connections", connections),
            "ties": _raw("ties", ties),
            "snapshots": _raw("snapshots", answer_rows),
        }
        return person_id, day, tables

    def _add_version(self, person_id: str, day: str, values: dict[str, Any], expected: int | None, saved_by: str | None) -> int:
        table = schema.snapshots
        try:
            with self._transaction(write=True) as connection:
                current = self._version_row(connection, person_id, day, None, None)
                live = current is not None and not current.deleted
                if expected is None and live:
                    raise ConflictError(person_id, day, expected=None, current=int(current.version))
                if expected is not None and (current is None or current.version != expected):
                    raise ConflictError(person_id, day, expected=expected, current=None if current is None else int(current.version))
                version = (current.version if current is not None else 0) + 1
                seq = current.seq if current is not None else self._next_seq(connection, table)
                connection.execute(sa.insert(table).values(
                    **values, version=version, seq=seq, deleted=False, saved_by=saved_by,
                    saved_at=_now_after(current.saved_at if current is not None else None),
                ))
                return int(version)
        except sa.exc.IntegrityError:  # another save of this map won the same version number
            with self._transaction() as connection:
                current = self._version_row(connection, person_id, day, None, None)
            raise ConflictError(person_id, day, expected=expected, current=None if current is None else int(current.version)) from None

    @_guarded
    def delete_snapshot(self, person_id: str, date: DateLike, expected_version: int, saved_by: str | None = None) -> int:
        """Remove one map from the cohort by adding a version that says so; its history stays.

        Returns the new version.  `socialcap.ConflictError` when the stored version is not
        ``expected_version``.
        """
        day = as_date(date).isoformat()
        values = self._removed(person_id, day)
        table = schema.snapshots
        try:
            with self._transaction(write=True) as connection:
                current = self._version_row(connection, person_id, day, None, None)
                if current is None or current.deleted:
                    raise NotFoundError(f"there is no map of {person_id} on {day} in {self.url_for_display}")
                if current.version != expected_version:
                    raise ConflictError(person_id, day, expected=expected_version, current=int(current.version))
                connection.execute(sa.insert(table).values(
                    **values, version=current.version + 1, seq=current.seq, saved_by=saved_by,
                    saved_at=_now_after(current.saved_at),
                ))
                return int(current.version + 1)
        except sa.exc.IntegrityError:
            raise ConflictError(person_id, day, expected=expected_version, current=None) from None

    @staticmethod
    def _removed(person_id: str, day: str) -> dict[str, Any]:
        return {
            "person_id": person_id, "date": day, "deleted": True, **{f: None for f in ANSWER_FIELDS}, "extras": None,
            "connections_header": "", "connections": "", "ties_header": "", "ties": "",
            "n_connections": 0, "n_ties": 0, "digest": "",
        }

    # -- whole cohorts -----------------------------------------------------------------------

    @_guarded
    def read_cohort(self, as_of: Any = None) -> Cohort:
        """The whole cohort: the latest version of every row, or as it stood at ``as_of``.

        ``as_of`` is a `datetime.datetime` (without a time zone: local time), a date
        (its midnight) or ISO text.
        """
        return self._read(_moment(as_of) if as_of is not None else None)

    @_guarded
    def timeline(self, person_id: str, as_of: Any = None) -> Timeline:
        """One person's maps, oldest first, as a `socialcap.Timeline` (latest versions, or at ``as_of``)."""
        moment = _moment(as_of) if as_of is not None else None
        cohort = self._read(moment, person_id=person_id)
        return cohort.timeline(person_id)

    def _read(self, as_of: dt.datetime | None, person_id: str | None = None) -> Cohort:
        people_table, snapshot_table = schema.people, schema.snapshots
        with self._transaction() as connection:
            layout = self._layout(connection, as_of)
            where_person = None if person_id is None else people_table.c.person_id == person_id
            people_rows = connection.execute(
                self._current(people_table, ["person_id"], as_of, where_person, PEOPLE_READ)
                .order_by(people_table.c.seq, people_table.c.person_id)
            ).all()
            if person_id is not None and not people_rows:
                raise NotFoundError(f"there is no person {person_id!r} in {self.url_for_display}")
            where_snapshot = None if person_id is None else snapshot_table.c.person_id == person_id
            query = self._current(snapshot_table, ["person_id", "date"], as_of, where_snapshot, SNAPSHOT_READ)
            snapshot_rows = connection.execute(
                query.order_by(snapshot_table.c.seq, snapshot_table.c.person_id, snapshot_table.c.date)
            ).all()
            whole = self._cohort_tables(connection, as_of)
        return self._cohort(snapshot_rows, people_rows, layout, source=self.url_for_display, whole=whole)

    def _cohort_tables(self, connection: sa.Connection, as_of: dt.datetime | None) -> dict[str, RawTable]:
        """The cohort-wide tables (assets.csv) as they stood at ``as_of``, as text tables."""
        table = schema.cohort_tables
        query = self._current(table, ["name"], as_of, columns=("name", "content"))
        out = {}
        for name, content in connection.execute(query).all():
            raw = read_csv_text(content.encode("utf-8"), name, name)
            if raw.problems:  # written by socialcap, so only damage to the database gets here
                raise ValidationError(raw.problems, name)
            out[name] = raw
        return out

    def _cohort(self, snapshot_rows: Sequence[Any], people_rows: Sequence[Any], layout: dict[str, list[str]], source: str,
                whole: dict[str, RawTable]) -> Cohort:
        """Rebuild the four tables from version rows (in the columns `_read` selects), through the one validator."""
        people = _columns(people_rows, PEOPLE_READ)
        snaps = _columns(snapshot_rows, SNAPSHOT_READ)
        tables = {
            "people": _answers_table("people", people, PEOPLE_FIELDS, vocab.PEOPLE_COLUMNS, layout),
            "snapshots": _answers_table("snapshots", snaps, ANSWER_FIELDS, vocab.SNAPSHOT_COLUMNS, layout),
        }
        for name in ROW_TABLES:
            rows = list(zip(snaps[f"{name}_header"], snaps[name], snaps[f"n_{name}"]))
            tables[name] = _rows_table(name, name, rows, layout.get(name, []))
        return Cohort(**build_tables({**tables, **whole}, source=source))

    @_guarded
    def write_cohort(self, cohort: Cohort, saved_by: str | None = None) -> dict[str, int]:
        """Make the store hold ``cohort``: a new version of every people row and map that differs.

        A map or person in the store but not in ``cohort`` gets a version that removes
        it (its history stays).  One transaction.  Returns how many versions were added:
        ``{"people": n, "snapshots": m}``.
        """
        layout = _layout(cohort)
        people_rows = _people_rows(cohort)
        snapshot_rows = _snapshot_rows(cohort)
        whole = _cohort_table_rows(cohort)
        for attempt in range(RETRIES):
            try:
                with self._transaction(write=True) as connection:
                    added = self._write(connection, layout, people_rows, snapshot_rows, saved_by)
                    self._write_cohort_tables(connection, whole, saved_by)
                    return added
            except sa.exc.IntegrityError:  # a save by someone else at the same moment: compare again
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, connection: sa.Connection, layout: dict[str, list[str]], people_rows: list[dict[str, Any]], snapshot_rows: list[dict[str, Any]], saved_by: str | None) -> dict[str, int]:
        now = dt.datetime.now(UTC)
        if self._layout(connection, None) != layout:
            connection.execute(sa.insert(schema.layouts).values(saved_at=now, saved_by=saved_by, columns=layout))
        added = {"people": 0, "snapshots": 0}
        for table, keys, rows, removed in (
            (schema.people, ["person_id"], people_rows, lambda key: {"person_id": key[0], "deleted": True, **{f: None for f in PEOPLE_FIELDS}, "extras": None}),
            (schema.snapshots, ["person_id", "date"], snapshot_rows, lambda key: self._removed(*key)),
        ):
            latest = self._latest(table, keys, None)
            on = sa.and_(*(table.c[k] == latest.c[k] for k in keys), table.c.version == latest.c.version)
            content = [c for c in table.c if c.name not in ("id", "version", "seq", "saved_at", "saved_by", "deleted", *keys)]
            if table is schema.snapshots:
                content = [table.c.digest]
            stored = {
                tuple(r[k] for k in keys): r
                for r in connection.execute(
                    sa.select(*(table.c[k] for k in keys), table.c.version, table.c.seq, table.c.saved_at, table.c.deleted, *content).join_from(table, latest, on)
                ).mappings()
            }
            next_seq = max((r["seq"] for r in stored.values()), default=0) + 1
            inserts = []
            wanted = set()
            for row in rows:
                key = tuple(row[k] for k in keys)
                wanted.add(key)
                values = {k: v for k, v in row.items() if k != "order"}
                old = stored.get(key)
                if old is not None and not old["deleted"] and all(old[c.name] == values[c.name] for c in content):
                    continue
                if old is None:
                    seq, next_seq = next_seq, next_seq + 1
                else:
                    seq = old["seq"]
                inserts.append({
                    **values, "version": (old["version"] if old else 0) + 1, "seq": seq, "deleted": False,
                    "saved_by": saved_by, "saved_at": max(now, old["saved_at"] + dt.timedelta(microseconds=1)) if old else now,
                })
            for key, old in stored.items():
                if key not in wanted and not old["deleted"]:
                    inserts.append({
                        **removed(key), "version": old["version"] + 1, "seq": old["seq"], "saved_by": saved_by,
                        "saved_at": max(now, old["saved_at"] + dt.timedelta(microseconds=1)),
                    })
            for start in range(0, len(inserts), 2000):
                connection.execute(sa.insert(table), inserts[start:start + 2000])
            added["people" if table is schema.people else "snapshots"] = len(inserts)
        return added

    def _write_cohort_tables(self, connection: sa.Connection, whole: dict[str, dict[str, Any]], saved_by: str | None) -> None:
        table = schema.cohort_tables
        latest = self._latest(table, ["name"], None)
        on = sa.and_(table.c.name == latest.c.name, table.c.version == latest.c.version)
        stored = {r.name: r for r in connection.execute(
            sa.select(table.c.name, table.c.version, table.c.deleted, table.c.digest, table.c.saved_at).join_from(table, latest, on))}
        now = dt.datetime.now(UTC)
        for name in sorted(set(whole) | set(stored)):
            old, new = stored.get(name), whole.get(name)
            if new is not None and old is not None and not old.deleted and old.digest == new["digest"]:
                continue
            if new is None and (old is None or old.deleted):
                continue
            values = new if new is not None else {"name": name, "content": "", "digest": ""}
            connection.execute(sa.insert(table).values(
                **values, version=(old.version if old is not None else 0) + 1, deleted=new is None, saved_by=saved_by,
                saved_at=max(now, old.saved_at + dt.timedelta(microseconds=1)) if old is not None else now,
            ))

    # -- erasure ------------------------------------------------------------------------------

    @_guarded
    def erase_person(self, person_id: str) -> int:
        """Delete a person and every version of their maps, for good (the right to erasure).

        The one deliberate deletion: nothing of the person is left in the store's
        tables, their history included.  Backups made before still hold them
        (docs/store.md).  Returns how many versions were deleted; raises
        `socialcap.NotFoundError` when the store has nothing of the person.
        """
        with self._transaction(write=True) as connection:
            gone = connection.execute(sa.delete(schema.snapshots).where(schema.snapshots.c.person_id == person_id)).rowcount
            gone += connection.execute(sa.delete(schema.people).where(schema.people.c.person_id == person_id)).rowcount
        if not gone:
            raise NotFoundError(f"there is no person {person_id!r} in {self.url_for_display}")
        if self._sqlite:  # copy the deletion from the write-ahead log into the file, and empty the log
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(gone)


#: Columns whose text is a number or true/false in JSON (every other column is text).
JSON_INTEGERS: frozenset[str] = frozenset({"closeness", "birth_year", *vocab.UCLA_ITEMS})
JSON_BOOLEANS: frozenset[str] = frozenset({"paid", "hope"})


def _json_rows(header: str, body: str) -> list[dict[str, Any]]:
    """One map's stored rows as JSON-ready dicts; empty cells, person_id and date left out."""
    import csv
    import io

    if not header:
        return []
    reader = csv.reader(io.StringIO(header + body, newline=""))
    columns = next(reader, [])
    out = []
    for values in reader:
        row: dict[str, Any] = {}
        for column, value in zip(columns, values):
            if value == "" or column in ("person_id", "date"):
                continue
            if column in JSON_INTEGERS:
                row[column] = int(value)
            elif column in JSON_BOOLEANS:
                row[column] = value == "true"
            else:
                row[column] = value
        out.append(row)
    return out


def read_store(url: str | os.PathLike[str], as_of: Any = None) -> Cohort:
    """`socialcap.read_cohort` for a store: the whole cohort (at ``as_of``)."""
    with Store(url, create=False) as store:
        return store.read_cohort(as_of=as_of)


def write_store(cohort: Cohort, url: str | os.PathLike[str], saved_by: str | None = None) -> dict[str, int]:
    """`socialcap.write_cohort` for a store."""
    with Store(url) as store:
        return store.write_cohort(cohort, saved_by=saved_by)
