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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import vocab
from ._exceptions import Problem, ValidationError

__all__ = ["RawTable", "build_tables", "to_text"]

DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
TRUE_WORDS = {"true": True, "false": False}


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


@dataclass
class RawTable:
    """One table as read, all text: values are strings or ``pd.NA`` for empty cells."""

    name: str
    label: str
    frame: pd.DataFrame
    rows: np.ndarray
    problems: list[Problem] = field(default_factory=list)

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
        series = self.frame[column]
        bad = series.notna().to_numpy() & ~series.isin(allowed).to_numpy()
        self.flag(bad, column, lambda v: _not_one_of(column, v, allowed))

    def dates(self, column: str) -> pd.Series:
        """Parse ISO dates; flag anything else. Returns datetime64 with NaT where empty or bad."""
        series = self.frame[column] if self.has(column) else pd.Series(pd.NA, index=self.frame.index, dtype=object)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        # Few distinct dates in many rows: parse each distinct text once.
        parsed = np.array(
            [np.datetime64(d, "ns") if (d := _parse_iso_date(t)) is not None else np.datetime64("NaT", "ns") for t in uniques]
            + [np.datetime64("NaT", "ns")],
            dtype="datetime64[ns]",
        )
        values = parsed[np.where(codes >= 0, codes, len(uniques))]
        bad = (codes >= 0) & np.isnat(values)
        self.flag(
            bad,
            column,
            lambda v: f"{column} {v!r} is not a date written as YYYY-MM-DD (for example 2025-03-01){_hint_space(v)}",
        )
        return pd.Series(values, index=self.frame.index, dtype="datetime64[ns]")

    def integers(self, column: str, allowed: Iterable[int] | None = None, lo: int | None = None, hi: int | None = None) -> pd.Series:
        """Parse whole numbers (each distinct text once); flag anything else."""
        series = self.frame[column] if self.has(column) else pd.Series(pd.NA, index=self.frame.index, dtype="str")
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
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
        row_numbers = numbers[np.where(codes >= 0, codes, len(uniques))]
        bad = (codes >= 0) & ~ok[np.where(codes >= 0, codes, len(uniques))]
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
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    canonical: list[Any] = []
    bad_words: list[list[str]] = []
    for text in uniques:
        items = [item.strip() for item in str(text).split(";")]
        items = [item for item in items if item]
        wrong = [item for item in items if item not in vocab.SUPPORT_TYPES]
        bad_words.append(wrong)
        seen = [t for t in vocab.SUPPORT_TYPES if t in items]
        canonical.append(";".join(seen) if seen else pd.NA)
    if uniques.size:
        bad = (codes >= 0) & np.array([bool(w) for w in bad_words])[np.maximum(codes, 0)]
        lookup = {str(u): w for u, w in zip(uniques, bad_words)}
        checker.flag(
            bad,
            column,
            lambda v: f"{column} has {', '.join(repr(w) for w in lookup[str(v)])}, which is not one of: "
            f"{', '.join(vocab.SUPPORT_TYPES)} (separate several with ;)",
        )
        values = np.array(canonical, dtype=object)[np.maximum(codes, 0)]
        values[codes < 0] = pd.NA
    else:
        values = np.full(len(series), pd.NA, dtype=object)
    return pd.Series(values, index=series.index, dtype="str")


def _text(checker: _Checker, column: str) -> pd.Series:
    if checker.has(column):
        return checker.frame[column].astype("str")
    return pd.Series(pd.NA, index=checker.frame.index, dtype="str")


def _keys(*arrays: pd.Series) -> np.ndarray:
    """One int64 key per row for a tuple of columns (factorised jointly where asked)."""
    key = np.zeros(len(arrays[0]), dtype=np.int64)
    for array in arrays:
        codes, uniques = pd.factorize(array, use_na_sentinel=True)
        key = key * (len(uniques) + 1) + (codes + 1)
    return key


def _joint_codes(*series: pd.Series) -> list[np.ndarray]:
    """Factorise several columns against one shared dictionary (so codes compare)."""
    lengths = [len(s) for s in series]
    joined = pd.concat(list(series), ignore_index=True)
    codes, _ = pd.factorize(joined, use_na_sentinel=True)
    out = []
    start = 0
    for n in lengths:
        out.append(codes[start : start + n].astype(np.int64))
        start += n
    return out


def _header_problems(table: RawTable, problems: list[Problem]) -> bool:
    """Check the header; False when the table cannot be read any further."""
    columns = list(table.frame.columns)
    ok = True
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            problems.append(Problem(table.label, 1, column, f"the column {column!r} appears twice in the header"))
            ok = False
        seen.add(column)
        if column.strip() == "" or column.startswith("Unnamed"):
            problems.append(Problem(table.label, 1, None, "the header has a column with no name"))
            ok = False
    for column in vocab.REQUIRED[table.name]:
        if column not in seen:
            near = [c for c in columns if c.strip().lower() == column]
            hint = f" (there is {near[0]!r}; check its spelling and spaces)" if near else ""
            problems.append(Problem(table.label, 1, column, f"the required column {column!r} is missing{hint}"))
            ok = False
    return ok


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
    problems: list[Problem] = []
    for name in ("people", "connections"):
        if name not in tables:
            problems.append(Problem(f"{name}.csv", None, None, f"the {name} table is missing; socialcap needs {name}.csv"))
    for table in tables.values():
        problems.extend(table.problems)
    readable = {name: t for name, t in tables.items() if not t.problems and _header_problems(t, problems)}
    if problems or len(readable) != len(tables):
        raise ValidationError(problems, source)
    for name in ("ties", "snapshots"):
        readable.setdefault(name, _empty_table(name))

    people = _check_people(readable["people"], problems)
    connections = _check_connections(readable["connections"], problems)
    ties = _check_ties(readable["ties"], problems)
    snapshots = _check_snapshots(readable["snapshots"], problems)
    _check_references(readable, people, connections, ties, snapshots, problems)
    if problems:
        raise ValidationError(problems, source)
    snapshots = _all_snapshots(connections, snapshots)
    return {"people": people, "connections": connections, "ties": ties, "snapshots": snapshots}


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
    is_person = (c.frame["kind"] == "person").fillna(False).to_numpy()
    if c.has("closeness"):
        c.flag(is_person & c.missing("closeness"), "closeness", "closeness is empty; every connection of kind person needs 1, 2 or 3")
    else:
        c.flag(is_person, "closeness", "closeness is missing; every connection of kind person needs 1, 2 or 3")
    paid_text = c.frame["paid"] if c.has("paid") else pd.Series(pd.NA, index=c.frame.index, dtype="str")
    codes, uniques = pd.factorize(paid_text, use_na_sentinel=True)
    meaning = np.array([TRUE_WORDS.get(str(u).lower(), -1) for u in uniques] + [-2], dtype=np.int8)
    paid_code = meaning[np.where(codes >= 0, codes, len(uniques))]  # 1 true, 0 false, -1 bad, -2 empty
    c.flag(paid_code == -1, "paid", lambda v: f"paid {v!r} is not true or false")
    default = (c.frame["domain"] == "professional").fillna(False).to_numpy()
    paid = pd.Series(np.where(paid_code >= 0, paid_code == 1, default), index=c.frame.index, dtype=bool)
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
    }
    frame = _finish(c.frame, typed, vocab.CONNECTION_COLUMNS)
    # A connection_id is unique within one snapshot.
    complete = frame[["person_id", "connection_id"]].notna().all(axis=1).to_numpy() & frame["date"].notna().to_numpy()
    key = _keys(frame["person_id"], frame["date"], frame["connection_id"])
    key_series = pd.Series(np.where(complete, key, -np.arange(1, len(key) + 1)))
    dup = key_series.duplicated(keep="first").to_numpy()
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
    key = pd.Series(np.where(complete, _keys(frame["person_id"], frame["date"]), -np.arange(1, len(frame) + 1)))
    c.flag(
        key.duplicated(keep="first").to_numpy(),
        "date",
        "this person and date are listed twice; each snapshot has one row",
    )
    return frame


def _check_references(
    tables: dict[str, RawTable],
    people: pd.DataFrame,
    connections: pd.DataFrame,
    ties: pd.DataFrame,
    snapshots: pd.DataFrame,
    problems: list[Problem],
) -> None:
    known = people["person_id"].dropna().unique()
    for name, frame in (("connections", connections), ("ties", ties), ("snapshots", snapshots)):
        c = _Checker(tables[name], problems)
        unknown = frame["person_id"].notna().to_numpy() & ~frame["person_id"].isin(known).to_numpy()
        c.flag(unknown, "person_id", lambda v: f"person_id {v!r} is not in the people table")
    if not len(ties):
        return
    # Every tie joins two connections of its own snapshot.
    pc, pt = _joint_codes(connections["person_id"], ties["person_id"])
    dc, dt_ = _joint_codes(connections["date"], ties["date"])
    cc, src, tgt = _joint_codes(connections["connection_id"], ties["source"], ties["target"])
    n_p, n_d, n_c = (int(max(a.max(initial=-1), b.max(initial=-1))) + 2 for a, b in ((pc, pt), (dc, dt_), (cc, np.concatenate([src, tgt]))))
    def key(p: np.ndarray, d: np.ndarray, x: np.ndarray) -> np.ndarray:
        return ((p + 1) * n_d + (d + 1)) * n_c + (x + 1)
    have = np.sort(key(pc, dc, cc))
    c = _Checker(tables["ties"], problems)
    for column, codes in (("source", src), ("target", tgt)):
        k = key(pt, dt_, codes)
        pos = np.searchsorted(have, k).clip(0, max(len(have) - 1, 0))
        found = have[pos] == k if len(have) else np.zeros(len(k), bool)
        complete = (pt >= 0) & (dt_ >= 0) & (codes >= 0)
        c.flag(complete & ~found, column, _unknown_end(column))


def _unknown_end(column: str) -> Callable[[Any], str]:
    def message(value: Any) -> str:
        return f"{column} {value!r} is not a connection_id of this person's snapshot on this date"

    return message


def _all_snapshots(connections: pd.DataFrame, snapshots: pd.DataFrame) -> pd.DataFrame:
    """Every (person, date) of connections.csv is a snapshot, listed or not."""
    implied = connections[["person_id", "date"]].drop_duplicates()
    listed = snapshots[["person_id", "date"]]
    key_listed = set(zip(listed["person_id"], listed["date"]))
    extra = implied[[k not in key_listed for k in zip(implied["person_id"], implied["date"])]]
    if len(extra):
        snapshots = pd.concat([snapshots, extra], ignore_index=True)
        for column in snapshots.columns:  # keep each column's type after adding empty rows
            if column in vocab.UCLA_ITEMS:
                snapshots[column] = snapshots[column].astype("Int64")
            elif column not in ("date",):
                snapshots[column] = snapshots[column].astype("str")
    return snapshots.sort_values(["person_id", "date"], kind="stable").reset_index(drop=True)
