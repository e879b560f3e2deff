"""Checking the tables of SPEC §2 and turning their text into typed columns.

Every reader hands its tables here as text (`RawTable`); `build_tables` checks every
rule, collects every problem with its file, spreadsheet row and column, and either
raises one `ValidationError` listing them all or returns the typed tables a
`Cohort` is made of.  Nothing is fixed up silently: a value is read exactly as it
is written, and blank rows are the only rows passed over.

The checks are vectorised (whole columns at a time) so that a cohort of millions of
rows validates in about a second.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import vocab
from ._exceptions import Problem, ValidationError
from ._safe import MAX_CELL_CHARS
from ._pages import small_pages
from ._threads import side_by_side

__all__ = ["RawTable", "build_tables", "to_text"]

TRUE_WORDS = {"true": True, "false": False}
_FIRST, _LAST = dt.date.fromisoformat(vocab.FIRST_DATE), dt.date.fromisoformat(vocab.LAST_DATE)


def to_text(value: Any) -> Any:
    """One cell as the text a CSV file would hold (``pd.NA`` when empty)."""
    if value is None:
        return pd.NA
    if isinstance(value, str):
        return value if value != "" else pd.NA
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if pd.isna(value):
            return pd.NA
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        if pd.isna(value):
            return pd.NA
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


def _column_to_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
        out = series.astype(object)
        return out.where(series.notna() & (series != ""), pd.NA)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.map({True: "true", False: "false"}).astype(object)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        text = series.dt.strftime("%Y-%m-%d").astype(object)
        return text.where(series.notna(), pd.NA)
    if pd.api.types.is_integer_dtype(series.dtype):
        text = series.astype("Int64").astype(str).astype(object)
        return text.where(series.notna(), pd.NA)
    return series.astype(object).map(to_text)


#: Factorised Arrow text columns, by the identity of their (immutable) Arrow data, for
#: as long as that data lives: reading a cohort factorises its columns to check them,
#: and the metrics factorise the very same columns again.
_FACTORISED_ARRAYS: dict[int, tuple[weakref.ref[Any], np.ndarray, pd.Index]] = {}
#: Columns shorter than this are factorised afresh each time (cheap, and nothing kept).
_KEEP_FROM_ROWS = 50_000


def _factorize(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1 where empty) and distinct values in order of first appearance, as `pd.factorize`.

    Arrow-backed text is dictionary-encoded by pyarrow directly: several times
    faster than pandas' route for millions of rows with few distinct values.  The
    codes of a long column are kept while its Arrow data lives (and are read-only:
    they are shared).
    """
    array = series.array
    if isinstance(array, pd.arrays.ArrowStringArray):
        chunked = array.__arrow_array__()
        kept = _FACTORISED_ARRAYS.get(id(chunked))
        if kept is not None and kept[0]() is chunked:
            return kept[1], kept[2]
        # One dictionary for all chunks (pyarrow encodes a chunked array with one memo).
        encoded = pc.dictionary_encode(chunked)
        parts = [chunk.indices.fill_null(-1) if chunk.indices.null_count else chunk.indices for chunk in encoded.chunks]
        arrays = [part.to_numpy(zero_copy_only=False) for part in parts] or [np.empty(0, np.int32)]
        codes = (np.concatenate(arrays) if len(arrays) > 1 else arrays[0]).astype(np.int32, copy=False)  # int32: half the memory
        dictionary = encoded.chunk(0).dictionary if encoded.num_chunks else pa.array([], pa.large_string())
        if not pa.types.is_large_string(dictionary.type):
            dictionary = dictionary.cast(pa.large_string())
        uniques = pd.Index(pd.arrays.ArrowStringArray(pa.chunked_array([dictionary]), dtype=series.dtype))
        if len(chunked) >= _KEEP_FROM_ROWS:
            codes.flags.writeable = False
            _FACTORISED_ARRAYS[id(chunked)] = (weakref.ref(chunked, _forget(id(chunked))), codes, uniques)
        return codes, uniques
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, uniques


def _forget(key: int) -> Callable[[weakref.ref[Any]], None]:
    def forget(_: weakref.ref[Any]) -> None:
        _FACTORISED_ARRAYS.pop(key, None)

    return forget


def _lookup(codes: np.ndarray, per_unique: np.ndarray) -> np.ndarray:
    """``per_unique[code]`` for every row; ``per_unique`` has one extra last entry for empty cells."""
    return per_unique[codes]  # code -1 picks the last entry


def _shared_codes(*parts: tuple[np.ndarray, pd.Index]) -> list[np.ndarray]:
    """Put several factorised columns in one code space, so equal values get equal codes.

    Only the distinct values are matched (a few thousand), never the millions of rows.
    """
    shared = pd.Index(pd.concat([pd.Series(u, dtype=u.dtype) for _, u in parts], ignore_index=True)).unique()
    if len(shared) and pd.isna(shared).any():  # empty values (NaT) stay empty
        shared = shared[~pd.isna(shared)]
    out = []
    small = np.int32 if len(shared) < 2**31 - 1 else np.int64  # half the memory to stream through
    for codes, uniques in parts:
        mapping = np.append(shared.get_indexer(uniques), -1).astype(small)
        out.append(mapping[codes])
    return out


@dataclass
class RawTable:
    """One table as read, all text: values are strings or ``pd.NA`` for empty cells."""

    name: str
    label: str
    frame: pd.DataFrame
    rows: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    #: False when the reader saw no control character in the file's bytes (no need to look per cell).
    controls_possible: bool = field(default=True, compare=False)
    _codes: dict[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _dates: dict[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """The column factorised once (codes, -1 where empty; distinct values), shared by every check."""
        if column not in self._codes:
            self._codes[column] = _factorize(self.frame[column])
        return self._codes[column]

    def date_codes(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """The parsed dates of a column factorised (-1 where empty or not a date); see `_Checker.dates`."""
        return self._dates[column]

    @classmethod
    def unreadable(cls, name: str, problem: Problem) -> RawTable:
        """A table that could not be read at all: no rows, just the problem saying why."""
        return cls(name=name, label=problem.file, frame=pd.DataFrame(), rows=np.empty(0, np.int64), problems=[problem])

    @classmethod
    def from_frame(cls, name: str, label: str, frame: pd.DataFrame, rows: np.ndarray | None = None) -> RawTable:
        """Turn any DataFrame into text cells, remembering spreadsheet row numbers."""
        frame = frame.reset_index(drop=True)
        text = pd.DataFrame({c: _column_to_text(frame[c]).astype("str") for c in frame.columns}, index=frame.index)
        text.columns = [str(c) for c in frame.columns]
        if rows is None:
            rows = np.arange(2, len(frame) + 2)
        return cls(name=name, label=label, frame=text, rows=np.asarray(rows))


class _Checker:
    """Collects the problems of one table, vectorised over its rows."""

    def __init__(self, table: RawTable, problems: list[Problem]) -> None:
        self.table = table
        self.frame = table.frame
        self.problems = problems

    def flag(self, mask: np.ndarray | pd.Series, column: str | None, message: Callable[[Any], str] | str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        positions = np.flatnonzero(mask)
        values = self.frame[column].iloc[positions].tolist() if column in self.frame else [None] * len(positions)
        for pos, value in zip(positions, values):
            text = message(value) if callable(message) else message
            self.problems.append(Problem(self.table.label, int(self.table.rows[pos]), column, text))

    def flag_each(self, positions: np.ndarray, column: str | None, messages: list[str]) -> None:
        for pos, text in zip(positions, messages):
            self.problems.append(Problem(self.table.label, int(self.table.rows[pos]), column, text))

    def has(self, column: str) -> bool:
        return column in self.frame.columns

    def missing(self, column: str) -> np.ndarray:
        return self.frame[column].isna().to_numpy()

    def require(self, column: str, why: str = "") -> None:
        if self.has(column):
            self.flag(self.missing(column), column, f"{column} is empty{why}; every row needs one")

    def choice(self, column: str, allowed: Iterable[Any]) -> None:
        if not self.has(column):
            return
        allowed = [str(a) for a in allowed]
        codes, uniques = self.table.codes(column)
        ok = np.array([u in allowed for u in uniques] + [True], dtype=bool)  # empty cells are not flagged here
        self.flag(~_lookup(codes, ok), column, lambda v: _not_one_of(column, v, allowed))

    def equals(self, column: str, value: str) -> np.ndarray:
        """Rows whose text is exactly ``value`` (False where empty)."""
        codes, uniques = self.table.codes(column)
        return _lookup(codes, np.append(np.asarray(uniques == value, dtype=bool), False))

    def dates(self, column: str) -> pd.Series:
        """Parse ISO dates; flag anything else. Returns datetime64 with NaT where empty or bad."""
        if self.has(column):
            codes, uniques = self.table.codes(column)
        else:
            codes, uniques = np.full(len(self.frame), -1, dtype=np.intp), pd.Index([], dtype=object)
        # Few distinct dates in many rows: parse each distinct text once.  A date
        # outside vocab's range is reported: held as nanoseconds it would silently
        # become another date.
        days = [_parse_iso_date(t) for t in uniques]
        outside = np.array([d is not None and not _FIRST <= d <= _LAST for d in days] + [False], dtype=bool)
        parsed = np.array(
            [np.datetime64(d, "ns") if d is not None and _FIRST <= d <= _LAST else np.datetime64("NaT", "ns") for d in days]
            + [np.datetime64("NaT", "ns")],
            dtype="datetime64[ns]",
        )
        values = _lookup(codes, parsed)
        far = _lookup(codes, outside)
        bad = (codes >= 0) & np.isnat(values) & ~far
        self.flag(
            far,
            column,
            lambda v: f"{column} {v!r} is outside the dates socialcap reads ({vocab.FIRST_DATE} to {vocab.LAST_DATE}); check the year",
        )
        # The same dates as codes, for comparing rows without touching millions of dates.
        date_codes, date_uniques = pd.factorize(parsed[:-1], use_na_sentinel=True)
        self.table._dates[column] = (_lookup(codes, np.append(date_codes, -1).astype(np.int32)), pd.Index(date_uniques))
        self.flag(
            bad,
            column,
            lambda v: f"{column} {v!r} is not a date written as YYYY-MM-DD (for example 2025-03-01){_hint_space(v)}",
        )
        return pd.Series(values, index=self.frame.index, dtype="datetime64[ns]")

    def integers(self, column: str, allowed: Iterable[int] | None = None, lo: int | None = None, hi: int | None = None) -> pd.Series:
        """Parse whole numbers (each distinct text once); flag anything else."""
        if self.has(column):
            codes, uniques = self.table.codes(column)
        else:
            codes, uniques = np.full(len(self.frame), -1, dtype=np.intp), pd.Index([], dtype=object)
        numbers = np.full(len(uniques) + 1, np.nan)
        for i, text in enumerate(uniques):
            if isinstance(text, str) and text.lstrip("+-").isdigit() and text.isascii():
                numbers[i] = int(text)
        if allowed is not None:
            allowed = list(allowed)
            ok = np.isin(numbers, allowed)
            words = ", ".join(map(str, allowed[:-1])) + f" or {allowed[-1]}"
            message: Callable[[Any], str] = lambda v: f"{column} {v!r} is not {words}{_hint_space(v)}"
        else:
            with np.errstate(invalid="ignore"):
                ok = ~np.isnan(numbers) & (numbers >= (lo if lo is not None else -np.inf)) & (numbers <= (hi if hi is not None else np.inf))
            message = lambda v: f"{column} {v!r} is not a whole number between {lo} and {hi}"
        row_numbers = _lookup(codes, numbers)
        bad = (codes >= 0) & ~_lookup(codes, ok)
        self.flag(bad, column, message)
        row_numbers[bad] = np.nan
        return pd.Series(row_numbers, index=self.frame.index).astype("Int64")


def _hint_space(value: Any) -> str:
    if isinstance(value, str) and value != value.strip():
        return " (it has a space at the start or end)"
    return ""


def _not_one_of(column: str, value: Any, allowed: list[str]) -> str:
    text = f"{column} {value!r} is not one of: {', '.join(allowed)}"
    close = difflib.get_close_matches(str(value).strip().lower(), allowed, n=1)
    if close:
        text += f" (did you mean {close[0]!r}?)"
    return text


def _parse_iso_date(text: Any) -> dt.date | None:
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _split_support(column: str, checker: _Checker) -> pd.Series:
    """Check ``;``-separated support lists; return them in a canonical spelling."""
    if not checker.has(column):
        return pd.Series(pd.NA, index=checker.frame.index, dtype="str")
    series = checker.frame[column]
    codes, uniques = checker.table.codes(column)
    canonical: list[Any] = []
    bad_words: list[list[str]] = []
    for text in uniques:
        items = [item.strip() for item in str(text).split(";")]
        items = [item for item in items if item]
        wrong = [item for item in items if item not in vocab.SUPPORT_TYPES]
        bad_words.append(wrong)
        seen = [t for t in vocab.SUPPORT_TYPES if t in items]
        canonical.append(";".join(seen) if seen else pd.NA)
    if len(uniques):
        bad = _lookup(codes, np.array([bool(w) for w in bad_words] + [False]))
        lookup = {str(u): w for u, w in zip(uniques, bad_words)}
        checker.flag(
            bad,
            column,
            lambda v: f"{column} has {', '.join(repr(w) for w in lookup[str(v)])}, which is not one of: "
            f"{', '.join(vocab.SUPPORT_TYPES)} (separate several with ;)",
        )
        if all(c is not pd.NA and c == u for c, u in zip(canonical, uniques)):
            return series.astype("str")  # already spelt as socialcap spells it (as usual): no copy
        # Spell each distinct list once, then let pyarrow repeat it for every row.
        spelled = pa.array([None if v is pd.NA else v for v in canonical], type=pa.large_string())
        values = spelled.take(pa.array(codes, mask=codes < 0))
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([values]), dtype=pd.Series([], dtype="str").dtype), index=series.index)
    return pd.Series(pd.NA, index=series.index, dtype="str")


def _text(checker: _Checker, column: str) -> pd.Series:
    if checker.has(column):
        return checker.frame[column].astype("str")
    return pd.Series(pd.NA, index=checker.frame.index, dtype="str")


def _keys(*factorised: tuple[np.ndarray, pd.Index]) -> np.ndarray:
    """One int64 key per row for a tuple of factorised columns (equal keys: equal values)."""
    key = np.zeros(len(factorised[0][0]), dtype=np.int64)
    for codes, uniques in factorised:
        key = key * (len(uniques) + 1) + (codes + 1)
    return key


#: The largest count table `_may_repeat` makes (entries of 8 bytes); beyond it, it sorts.
_COUNT_TABLE_LIMIT = 64 * 2**20


def _may_repeat(rows: np.ndarray, person: tuple[np.ndarray, pd.Index], date: tuple[np.ndarray, pd.Index],
                connection: tuple[np.ndarray, pd.Index]) -> bool:
    """Whether any (person, date, connection) appears twice among ``rows`` (a quick test, no positions).

    Numbers the snapshots first, so that (snapshot, connection) pairs fit a count
    table: a few passes over the rows instead of hashing millions of keys.
    """
    n_d, n_c = len(date[1]) + 1, len(connection[1]) + 1
    snapshot = (person[0][rows].astype(np.int64) + 1) * n_d + (date[0][rows] + 1)
    numbers, _, n_s = _snapshot_numbers(snapshot, snapshot[:0], (len(person[1]) + 1) * n_d)
    pairs = numbers.astype(np.int64) * n_c + (connection[0][rows] + 1)
    if n_s * n_c <= _COUNT_TABLE_LIMIT:
        return bool(len(pairs)) and int(np.bincount(pairs, minlength=1).max()) > 1
    return len(np.unique(pairs)) < len(pairs)


def _header_problems(table: RawTable, problems: list[Problem]) -> bool:
    """Check the header; False when the table cannot be read any further."""
    columns = list(table.frame.columns)
    ok = True
    seen: set[str] = set()
    known = vocab.TABLES[table.name]
    for position, column in enumerate(columns, start=1):
        if column.strip() == "" or column.startswith("Unnamed"):
            problems.append(Problem(table.label, 1, None, f"the header has a column with no name (column {position})"))
            ok = False
        elif column in seen:
            problems.append(Problem(table.label, 1, column, f"the column {column!r} appears twice in the header"))
            ok = False
        elif bad := _bad_text(column):
            problems.append(Problem(table.label, 1, None, f"the header's column {position} {bad}"))
            ok = False
        elif column not in known and column.strip().lower() in known and column.strip().lower() not in vocab.REQUIRED[table.name]:
            meant = column.strip().lower()
            problems.append(Problem(table.label, 1, column, f"the column {column!r} differs from socialcap's {meant!r} only by case or spaces; rename it {meant!r} (or give it another name to keep it as an extra column)"))
            ok = False
        seen.add(column)
    for column in vocab.REQUIRED[table.name]:
        if column not in seen:
            near = [c for c in columns if c.strip().lower() == column]
            hint = f" (there is {near[0]!r}; check its spelling and spaces)" if near else ""
            if not near and any(column in c.split(";") for c in columns):
                hint = " (the file seems separated by ';': socialcap reads comma-separated files; in Excel, save it as 'CSV UTF-8 (Comma delimited)')"
            problems.append(Problem(table.label, 1, column, f"the required column {column!r} is missing{hint}"))
            ok = False
    return ok


#: Characters no cell may hold: C0 and C1 controls except tab and line ends, and the
#: two non-characters; they break XML exports, spreadsheets and terminals.
_CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\x{fffe}\\x{ffff}]"
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _bad_text(text: str) -> str | None:
    """What is wrong with one cell's text (a control character, too long), or None."""
    if len(text) > MAX_CELL_CHARS:
        return f"is {len(text):,} characters long; socialcap reads cells of up to {MAX_CELL_CHARS:,}"
    found = _CONTROL_RE.search(text)
    if found:
        return f"holds a control character (U+{ord(found.group()):04X}); retype it without"
    return None


#: Columns the checks factorise anyway (`RawTable.codes`): few distinct values in many
#: rows, so their cells are checked once per distinct value.
_FACTORISED = {
    "connections": frozenset({"person_id", "date", "connection_id", "kind", "domain", "closeness", "contact",
                              "support_received", "support_given", "paid", "hope", "since", "asset_id"}),
    "ties": frozenset({"person_id", "date", "source", "target"}),
    "snapshots": frozenset({"person_id", "date", "ons_lonely", *vocab.UCLA_ITEMS}),
}


def _cell_problems(table: RawTable, problems: list[Problem]) -> None:
    """Flag cells holding control characters or longer than `MAX_CELL_CHARS`, in every column.

    Done with pyarrow over whole columns: a regular expression on a million cells takes
    a few tens of milliseconds.  A column the checks factorise anyway is checked once
    per distinct value (a few thousand) instead of once per row (millions).
    """
    checker = _Checker(table, problems)
    factorised = _FACTORISED.get(table.name, frozenset())
    for position, column in enumerate(table.frame.columns):
        series = table.frame.iloc[:, position]
        codes = None
        if column in factorised:
            codes, uniques = table.codes(column)
            series = pd.Series(uniques, dtype=uniques.dtype)
        array = series.array
        if isinstance(array, pd.arrays.ArrowStringArray):
            values = array.__arrow_array__()
        else:
            values = pa.array(series.astype(object).where(series.notna(), None).tolist(), type=pa.large_string())
        too_long = pc.fill_null(pc.greater(pc.utf8_length(values), MAX_CELL_CHARS), False)
        if table.controls_possible:
            too_long = pc.or_(too_long, pc.fill_null(pc.match_substring_regex(values, _CONTROL), False))
        if not pc.any(too_long).as_py():
            continue
        mask = np.asarray(too_long.to_numpy(zero_copy_only=False), dtype=bool)
        if codes is not None:  # from distinct values back to every row holding one
            mask = _lookup(codes, np.append(mask, False))
            series = table.frame.iloc[:, position]
        for pos in np.flatnonzero(mask):
            bad = _bad_text(str(series.iloc[pos]))
            checker.flag_each(np.array([pos]), column, [f"{column} {bad}"])


def _finish(frame: pd.DataFrame, typed: dict[str, pd.Series], known: tuple[str, ...]) -> pd.DataFrame:
    extras = [c for c in frame.columns if c not in known]
    out = {c: typed[c] for c in known}
    for c in extras:
        out[c] = frame[c].astype("str")
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def _empty_table(name: str) -> RawTable:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in vocab.TABLES[name]})
    return RawTable(name=name, label=f"{name}.csv", frame=frame, rows=np.empty(0, dtype=np.int64))


def build_tables(tables: dict[str, RawTable], source: str) -> dict[str, pd.DataFrame]:
    """Check every rule of SPEC §2 and return the typed tables, or raise `ValidationError`."""
    with small_pages():  # see socialcap/_pages.py
        return _build_tables(tables, source)


def _build_tables(tables: dict[str, RawTable], source: str) -> dict[str, pd.DataFrame]:
    problems: list[Problem] = []
    for name in ("people", "connections"):
        if name not in tables:
            problems.append(Problem(f"{name}.csv", None, None, f"the {name} table is missing; socialcap needs {name}.csv"))
    for table in tables.values():
        problems.extend(table.problems)
    readable = {name: t for name, t in tables.items() if not t.problems and _header_problems(t, problems)}
    # The connections on this thread, the other tables beside it (SPEC §2's checks of
    # one table need no other table): the two largest tables are checked at once.
    others = [t for name, t in readable.items() if name != "connections"]
    mine, theirs = side_by_side(
        lambda: _each(_cell_problems, [t for t in readable.values() if t.name == "connections"]),
        lambda: _each(_cell_problems, others),
    )
    problems.extend(mine + theirs)
    if problems or len(readable) != len(tables):
        raise ValidationError(problems, source)
    for name in ("ties", "snapshots"):
        readable.setdefault(name, _empty_table(name))

    def the_others() -> tuple[list[Problem], dict[str, pd.DataFrame | None]]:
        found: list[Problem] = []
        built = {
            "people": _check_people(readable["people"], found),
            "ties": _check_ties(readable["ties"], found),
            "snapshots": _check_snapshots(readable["snapshots"], found),
            "assets": _check_assets(readable["assets"], found) if "assets" in readable else None,
        }
        for column in ("person_id", "source", "target"):  # factorised now, for the references below
            readable["ties"].codes(column)
        return found, built

    (found_here, connections), (found_there, built) = side_by_side(
        lambda: _checked(_check_connections, readable["connections"]), the_others
    )
    people, ties, snapshots, assets = built["people"], built["ties"], built["snapshots"], built["assets"]
    assert people is not None and ties is not None and snapshots is not None
    problems.extend(found_here + found_there)
    _check_references(readable, people, connections, ties, snapshots, problems)
    _check_asset_references(readable, assets, problems)
    if problems:
        raise ValidationError(problems, source)
    snapshots = _all_snapshots(connections, snapshots)
    built = {"people": people, "connections": connections, "ties": ties, "snapshots": snapshots}
    if assets is not None:
        built["assets"] = assets
    return built


def _each(check: Callable[[RawTable, list[Problem]], None], tables: list[RawTable]) -> list[Problem]:
    found: list[Problem] = []
    for table in tables:
        check(table, found)
    return found


def _checked(check: Callable[[RawTable, list[Problem]], pd.DataFrame], table: RawTable) -> tuple[list[Problem], pd.DataFrame]:
    found: list[Problem] = []
    return found, check(table, found)


def _check_people(table: RawTable, problems: list[Problem]) -> pd.DataFrame:
    c = _Checker(table, problems)
    c.require("person_id")
    ids = c.frame["person_id"]
    first_seen = ~ids.duplicated(keep="first").to_numpy()
    dup = ids.notna().to_numpy() & ~first_seen
    first_row = dict(zip(ids[first_seen], table.rows[first_seen]))
    c.flag(dup, "person_id", lambda v: f"person_id {v!r} is already used in row {first_row.get(v)}; each person has one row")
    typed = {
        "person_id": _text(c, "person_id"),
        "name": _text(c, "name"),
        "birth_year": c.integers("birth_year", lo=1900, hi=2100),
        "ward": _text(c, "ward"),
        "start_date": c.dates("start_date"),
    }
    return _finish(c.frame, typed, vocab.PEOPLE_COLUMNS)


def _check_connections(table: RawTable, problems: list[Problem]) -> pd.DataFrame:
    c = _Checker(table, problems)
    for column in vocab.REQUIRED["connections"]:
        c.require(column)
    c.choice("kind", vocab.KINDS)
    c.choice("domain", vocab.DOMAINS)
    c.choice("contact", vocab.CONTACT)
    closeness = c.integers("closeness", allowed=vocab.CLOSENESS)
    is_person = c.equals("kind", "person")
    hope_code = _true_false(c, "hope")
    is_hope = hope_code == 1
    # A hope's closeness (how close they would like it) is optional, even for a person.
    if c.has("closeness"):
        c.flag(is_person & ~is_hope & c.missing("closeness"), "closeness", "closeness is empty; every connection of kind person needs 1, 2 or 3")
    else:
        c.flag(is_person & ~is_hope, "closeness", "closeness is missing; every connection of kind person needs 1, 2 or 3")
    paid_code = _true_false(c, "paid")
    _check_hopes(c, is_hope, paid_code)
    if c.has("asset_id"):  # SPEC §12: only a group or a place can be a community asset
        c.flag(
            is_person & ~c.missing("asset_id"),
            "asset_id",
            lambda v: f"asset_id {v!r} is on a connection of kind person; only a group or a place can be a community asset",
        )
    default = c.equals("domain", "professional")
    # A hope is not paid: nobody is there yet (so a hope of domain professional is not paid either).
    paid = pd.Series(np.where(paid_code >= 0, paid_code == 1, default) & ~is_hope, index=c.frame.index, dtype=bool)
    date = c.dates("date")
    typed = {
        "person_id": _text(c, "person_id"),
        "date": date,
        "connection_id": _text(c, "connection_id"),
        "kind": _text(c, "kind"),
        "name": _text(c, "name"),
        "domain": _text(c, "domain"),
        "closeness": closeness,
        "contact": _text(c, "contact"),
        "support_received": _split_support("support_received", c),
        "support_given": _split_support("support_given", c),
        "paid": paid,
        "since": c.dates("since"),
        "hope": pd.Series(is_hope, index=c.frame.index, dtype=bool),
    }
    frame = _finish(c.frame, typed, vocab.CONNECTION_COLUMNS)
    # A connection_id is unique within one snapshot.
    complete = frame[["person_id", "connection_id"]].notna().all(axis=1).to_numpy() & frame["date"].notna().to_numpy()
    factorised = (table.codes("person_id"), table.date_codes("date"), table.codes("connection_id"))
    if _may_repeat(complete, *factorised):
        key_series = pd.Series(np.where(complete, _keys(*factorised), -np.arange(1, len(complete) + 1)))
        dup = key_series.duplicated(keep="first").to_numpy()
    else:
        dup = np.zeros(len(complete), dtype=bool)
    if dup.any():
        first = pd.Series(table.rows, index=key_series).groupby(level=0).first()
        positions = np.flatnonzero(dup)
        c.flag_each(
            positions,
            "connection_id",
            [
                f"connection_id {frame['connection_id'].iloc[pos]!r} appears twice in the same snapshot "
                f"(first in row {int(first[key_series.iloc[pos]])}); each connection is listed once per person and date"
                for pos in positions
            ],
        )
    # The centre of a map is the person; a connection cannot share their id.
    c.flag(
        (frame["connection_id"] == frame["person_id"]).fillna(False).to_numpy(),
        "connection_id",
        lambda v: f"connection_id {v!r} is the person's own person_id; give the connection another id",
    )
    return frame


def _true_false(c: _Checker, column: str) -> np.ndarray:
    """Read a true/false column: 1 true, 0 false, -2 empty; -1 (flagged) for anything else."""
    if c.has(column):
        codes, uniques = c.table.codes(column)
    else:
        codes, uniques = np.full(len(c.frame), -1, dtype=np.intp), pd.Index([], dtype=object)
    meaning = np.array([TRUE_WORDS.get(str(u).lower(), -1) for u in uniques] + [-2], dtype=np.int8)
    code = _lookup(codes, meaning)
    c.flag(code == -1, column, lambda v: f"{column} {v!r} is not true or false")
    return code


_HOPE_HAS_NO = {
    "contact": "there is no contact yet",
    "support_received": "no support comes from it yet",
    "support_given": "no support goes to it yet",
    "paid": "it is not paid",
}


def _check_hopes(c: _Checker, is_hope: np.ndarray, paid_code: np.ndarray) -> None:
    """A hope (SPEC §11) is not in the person's life yet: no contact, no support, not paid."""
    if not is_hope.any():
        return
    for column in vocab.HOPE_EMPTY_COLUMNS:
        if column == "paid":
            # "false" is what socialcap itself writes for an unpaid row, so only "true" is a breach.
            mask = is_hope & (paid_code == 1)
        elif c.has(column):
            mask = is_hope & ~c.missing(column)
        else:
            continue
        c.flag(
            mask,
            column,
            lambda v, column=column: f"{column} {v!r} is given for a hope; a hope is not in the person's life yet, "  # type: ignore[misc]
            f"so {_HOPE_HAS_NO[column]} (leave {column} empty, or set hope to false if it has come true)",
        )


def _check_ties(table: RawTable, problems: list[Problem]) -> pd.DataFrame:
    c = _Checker(table, problems)
    for column in vocab.REQUIRED["ties"]:
        c.require(column)
    same = (c.frame["source"] == c.frame["target"]).fillna(False).to_numpy()
    c.flag(same, "target", lambda v: f"a tie joins {v!r} to itself; source and target must be two different connections")
    typed = {
        "person_id": _text(c, "person_id"),
        "date": c.dates("date"),
        "source": _text(c, "source"),
        "target": _text(c, "target"),
        "kind": _text(c, "kind"),
    }
    return _finish(c.frame, typed, vocab.TIE_COLUMNS)


def _check_snapshots(table: RawTable, problems: list[Problem]) -> pd.DataFrame:
    c = _Checker(table, problems)
    for column in vocab.REQUIRED["snapshots"]:
        c.require(column)
    c.choice("ons_lonely", vocab.ONS_LONELY)
    typed: dict[str, pd.Series] = {
        "person_id": _text(c, "person_id"),
        "date": c.dates("date"),
        **{item: c.integers(item, allowed=vocab.UCLA_VALUES) for item in vocab.UCLA_ITEMS},
        "ons_lonely": _text(c, "ons_lonely"),
    }
    frame = _finish(c.frame, typed, vocab.SNAPSHOT_COLUMNS)
    complete = frame["person_id"].notna().to_numpy() & frame["date"].notna().to_numpy()
    key = pd.Series(np.where(complete, _keys(table.codes("person_id"), table.date_codes("date")), -np.arange(1, len(frame) + 1)))
    c.flag(
        key.duplicated(keep="first").to_numpy(),
        "date",
        "this person and date are listed twice; each snapshot has one row",
    )
    return frame


def _check_assets(table: RawTable, problems: list[Problem]) -> pd.DataFrame:
    """assets.csv (SPEC §12): one row per asset, ``asset_id`` required and unique, every cell text."""
    c = _Checker(table, problems)
    c.require("asset_id")
    c.choice("kind", vocab.ASSET_KINDS)
    ids = c.frame["asset_id"]
    first_seen = ~ids.duplicated(keep="first").to_numpy()
    first_row = dict(zip(ids[first_seen], table.rows[first_seen]))
    c.flag(ids.notna().to_numpy() & ~first_seen, "asset_id",
           lambda v: f"asset_id {v!r} is already used in row {first_row.get(v)}; each asset has one row")
    typed = {column: _text(c, column) for column in vocab.ASSET_COLUMNS}
    return _finish(c.frame, typed, vocab.ASSET_COLUMNS)


def _check_asset_references(tables: dict[str, RawTable], assets: pd.DataFrame | None, problems: list[Problem]) -> None:
    """When assets.csv is given, every ``asset_id`` of connections.csv must be one of its rows."""
    connections = tables["connections"]
    if assets is None or "asset_id" not in connections.frame.columns:
        return
    known = pd.Index(assets["asset_id"].dropna().unique())
    codes, uniques = connections.codes("asset_id")
    found = np.append(known.get_indexer(uniques) >= 0, True)  # empty cells: no asset, nothing to look up
    _Checker(connections, problems).flag(
        ~_lookup(codes, found), "asset_id", lambda v: f"asset_id {v!r} is not in the assets table (assets.csv)"
    )


def _check_references(
    tables: dict[str, RawTable],
    people: pd.DataFrame,
    connections: pd.DataFrame,
    ties: pd.DataFrame,
    snapshots: pd.DataFrame,
    problems: list[Problem],
) -> None:
    known = pd.Index(people["person_id"].dropna().unique())
    for name in ("connections", "ties", "snapshots"):
        codes, uniques = tables[name].codes("person_id")
        found = np.append(known.get_indexer(uniques) >= 0, True)  # empty cells are reported as empty, not unknown
        c = _Checker(tables[name], problems)
        c.flag(~_lookup(codes, found), "person_id", lambda v: f"person_id {v!r} is not in the people table")
    if not len(ties):
        return
    # Every tie joins two connections of its own snapshot.  Match the few distinct
    # values of each column, number the snapshots, then look (snapshot, connection)
    # pairs up as integers.
    conn_table, tie_table = tables["connections"], tables["ties"]
    pc_, pt = _shared_codes(conn_table.codes("person_id"), tie_table.codes("person_id"))
    dc, dt_ = _shared_codes(conn_table.date_codes("date"), tie_table.date_codes("date"))
    cc, src, tgt = _shared_codes(conn_table.codes("connection_id"), tie_table.codes("source"), tie_table.codes("target"))
    n_p, n_d, n_c = (int(max(a.max(initial=-1), b.max(initial=-1))) + 2 for a, b in ((pc_, pt), (dc, dt_), (cc, np.concatenate([src, tgt]))))
    # The shared codes are int32; their products may not fit, so keys are int64.
    snap_conn, snap_tie, n_s = _snapshot_numbers((pc_.astype(np.int64) + 1) * n_d + (dc + 1), (pt.astype(np.int64) + 1) * n_d + (dt_ + 1), n_p * n_d)
    have = snap_conn.astype(np.int64) * n_c + (cc + 1)
    is_known = _membership(have, max(n_s, 1) * n_c)  # a tie of no snapshot still looks in snapshot 0
    hopes = connections["hope"].to_numpy(dtype=bool)
    is_hope = _membership(have[hopes], max(n_s, 1) * n_c) if hopes.any() else None
    c = _Checker(tie_table, problems)
    for column, codes in (("source", src), ("target", tgt)):
        key = np.where(snap_tie >= 0, snap_tie, 0).astype(np.int64) * n_c + (codes + 1)
        found = (snap_tie >= 0) & is_known(key)
        complete = (pt >= 0) & (dt_ >= 0) & (codes >= 0)
        c.flag(complete & ~found, column, _unknown_end(column))
        if is_hope is not None:
            c.flag(
                found & is_hope(key),
                column,
                lambda v, column=column: f"{column} {v!r} is a hope; a hope has no ties until it comes true "  # type: ignore[misc]
                "(then set hope to false)",
            )


def _snapshot_numbers(keys: np.ndarray, others: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Number the distinct ``keys`` 0, 1, …; ``others`` get the same numbers, -1 when not among ``keys``.

    All keys lie in ``range(size)``; with few possible keys a lookup table does this
    in two passes, otherwise sorting does.
    """
    if size <= 32 * 2**20:
        present = np.zeros(size, dtype=bool)
        present[keys] = True
        number = np.cumsum(present, dtype=np.int32)  # int32 (size < 2**31): half the fresh memory
        number -= 1
        number[~present] = -1
        return number[keys], number[others], int(present.sum())
    distinct = np.sort(keys)
    distinct = distinct[np.append(True, distinct[1:] != distinct[:-1])] if len(distinct) else distinct
    pos = np.searchsorted(distinct, others).clip(0, max(len(distinct) - 1, 0))
    found = distinct[pos] == others if len(distinct) else np.zeros(len(others), bool)
    return np.searchsorted(distinct, keys), np.where(found, pos, -1), len(distinct)


def _membership(have: np.ndarray, size: int) -> Callable[[np.ndarray], np.ndarray]:
    """A test of which keys (all in ``range(size)``) are among ``have``."""
    if size <= 64 * 2**20:  # a lookup table of one byte a key: much faster than sorting
        table = np.zeros(size, dtype=bool)
        table[have] = True
        return lambda k: table[k]
    ordered = np.sort(have)

    def known(k: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(ordered, k).clip(0, max(len(ordered) - 1, 0))
        return ordered[pos] == k if len(ordered) else np.zeros(len(k), bool)

    return known


def _unknown_end(column: str) -> Callable[[Any], str]:
    def message(value: Any) -> str:
        return f"{column} {value!r} is not a connection_id of this person's snapshot on this date"

    return message


def _all_snapshots(connections: pd.DataFrame, snapshots: pd.DataFrame) -> pd.DataFrame:
    """Every (person, date) of connections.csv is a snapshot, listed or not."""
    # Worked on integer keys: a million rows of (text, date) pairs are slow to compare as objects.
    pid_conn, pid_listed = _shared_codes(_factorize(connections["person_id"]), _factorize(snapshots["person_id"]))
    days_conn = connections["date"].to_numpy().view(np.int64)
    days_listed = snapshots["date"].to_numpy().view(np.int64)
    ahead = pid_conn[1:] > pid_conn[:-1]
    if len(pid_conn) < 2 or (ahead | ((pid_conn[1:] == pid_conn[:-1]) & (days_conn[1:] >= days_conn[:-1]))).all():
        order = np.arange(len(pid_conn))  # already in order (as files usually are): no sort
    else:
        order = np.lexsort((days_conn, pid_conn))
    p_sorted, d_sorted = pid_conn[order], days_conn[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (p_sorted[1:] != p_sorted[:-1]) | (d_sorted[1:] != d_sorted[:-1])
    rows = order[first]  # one row of connections.csv for each (person, date)
    listed = pd.MultiIndex.from_arrays([pid_listed, days_listed])
    new = pd.MultiIndex.from_arrays([pid_conn[rows], days_conn[rows]]).get_indexer(listed) if len(rows) else np.empty(0, np.intp)
    taken = np.zeros(len(rows), dtype=bool)
    taken[new[new >= 0]] = True
    extra = connections[["person_id", "date"]].iloc[np.sort(rows[~taken])]
    if len(extra):
        snapshots = pd.concat([snapshots, extra], ignore_index=True)
        for column in snapshots.columns:  # keep each column's type after adding empty rows
            if column in vocab.UCLA_ITEMS:
                snapshots[column] = snapshots[column].astype("Int64")
            elif column not in ("date",):
                snapshots[column] = snapshots[column].astype("str")
    return snapshots.sort_values(["person_id", "date"], kind="stable").reset_index(drop=True)
