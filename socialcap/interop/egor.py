"""egor's three files: write a cohort for R users, and read their files back.

`egor <https://cran.r-project.org/package=egor>`_ keeps personal networks as three
tidy tables: egos, alters and alter–alter ties.  socialcap writes them with egor's
default id columns, so that in R ``threefiles_to_egor()`` needs no settings:

``egos.csv``
    One row per snapshot.  ``egoID`` is ``<person_id>@<date>``; then ``person_id``,
    ``date``, the people.csv columns (repeated on each of the person's rows), and
    the young person's own answers of that day (``ucla_*``, ``ons_lonely``).  An
    extra column of snapshots.csv is written as ``snapshot.<column>`` so that it
    comes back to snapshots.csv and not to people.csv.  A person with no snapshot
    yet has one row with an empty ``date`` (``egoID`` ``<person_id>@``).
``alters.csv``
    One row per connection per snapshot: ``egoID``, ``alterID`` (the
    ``connection_id``), ``person_id``, ``date``, then the connection columns.
``aaties.csv``
    One row per tie: ``egoID``, ``Source``, ``Target``, ``person_id``, ``date``,
    ``kind`` and any extra tie columns.

Reading accepts what R writes back with ``write.csv``: its unnamed row-name column
is left out and a cell holding just ``NA`` is read as empty.  A column added in R to
egos.csv goes to people.csv when it holds one value per person, and to
snapshots.csv otherwise.

Examples
--------
>>> import tempfile
>>> import pandas as pd
>>> import socialcap as sc
>>> from socialcap.interop import read_egor, write_egor
>>> cohort = sc.Cohort.from_tables(
...     people=pd.DataFrame({"person_id": ["P01"], "ward": ["Derwent"]}),
...     connections=pd.DataFrame({
...         "person_id": ["P01", "P01"], "date": ["2025-03-01"] * 2,
...         "connection_id": ["C1", "C2"], "kind": ["person", "group"],
...         "domain": ["family", "community"], "closeness": [1, None]}),
...     ties=pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"],
...                        "source": ["C1"], "target": ["C2"]}))
>>> folder = write_egor(cohort, tempfile.mkdtemp())
>>> pd.read_csv(folder / "aaties.csv").iloc[0].tolist()[:3]
['P01@2025-03-01', 'C1', 'C2']
>>> read_egor(folder) == cohort
True
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .. import vocab
from .._exceptions import Problem, SocialcapError, ValidationError
from .._validate import RawTable
from ..cohort import Cohort
from ..io import atomic_folder, read_csv_text, write_table
from ._origins import Origin, SourcedTables, build_cohort

__all__ = ["write_egor", "read_egor", "EGO_ID", "ALTER_ID", "SOURCE", "TARGET", "SNAPSHOT_PREFIX"]

#: egor's default id columns (``ID.vars`` of ``threefiles_to_egor``).
EGO_ID, ALTER_ID, SOURCE, TARGET = "egoID", "alterID", "Source", "Target"
#: How an extra column of snapshots.csv is named in egos.csv.
SNAPSHOT_PREFIX = "snapshot."

_FILES = ("egos.csv", "alters.csv", "aaties.csv")


# -- writing -----------------------------------------------------------------------


def _ego_ids(person: pd.Series, date: pd.Series) -> pd.Series:
    text = date.dt.strftime("%Y-%m-%d").fillna("")
    return person.astype(object) + "@" + text.astype(object)


def _check_unique(columns: list[str], file: str) -> None:
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise SocialcapError(
                f"cannot write {file}: two columns would both be named {column!r}; "
                "rename one of them in the cohort first"
            )
        seen.add(column)


def write_egor(cohort: Cohort, folder: str | os.PathLike[str]) -> Path:
    """Write a cohort as egor's three files (``egos.csv``, ``alters.csv``, ``aaties.csv``).

    Every file is written atomically; dates are ``YYYY-MM-DD`` text and ``paid`` is
    ``true``/``false``.  ``read_egor(write_egor(cohort, folder)) == cohort``.

    In R::

        library(egor)
        e <- threefiles_to_egor(egos = read.csv("egos.csv"),
                                alters.df = read.csv("alters.csv"),
                                edges = read.csv("aaties.csv"))

    Returns the folder written.

    Examples
    --------
    >>> import tempfile, pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"], "ward": ["Derwent"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 2, "date": ["2025-03-01"] * 2,
    ...         "connection_id": ["mum", "club"], "kind": ["person", "group"],
    ...         "domain": ["family", "community"], "closeness": [1, None]}))
    >>> folder = write_egor(cohort, tempfile.mkdtemp())
    >>> sorted(path.name for path in folder.iterdir())
    ['aaties.csv', 'alters.csv', 'egos.csv']
    >>> alters = pd.read_csv(folder / "alters.csv")
    >>> alters[["egoID", "alterID", "kind", "paid"]].values.tolist()
    [['P01@2025-03-01', 'mum', 'person', False], ['P01@2025-03-01', 'club', 'group', False]]
    """
    folder = Path(folder)
    tables: dict[str, pd.DataFrame] = {}  # written together, as one folder (SPEC §7)

    people = cohort.people
    snapshots = cohort.snapshots
    answer_columns = [c for c in snapshots.columns if c not in ("person_id", "date")]
    renamed_answers = {
        c: (c if c in vocab.SNAPSHOT_COLUMNS else f"{SNAPSHOT_PREFIX}{c}") for c in answer_columns
    }
    egos = snapshots[["person_id", "date", *answer_columns]].rename(columns=renamed_answers)
    # A person with no snapshot yet still has a row, so that people.csv survives the trip.
    alone = people.loc[~people["person_id"].isin(snapshots["person_id"]), ["person_id"]]
    if len(alone):
        blank = pd.DataFrame({"person_id": alone["person_id"].to_numpy()})
        blank["date"] = pd.Series(pd.NaT, index=blank.index, dtype="datetime64[ns]")
        egos = pd.concat([egos, blank], ignore_index=True)
        for column in renamed_answers.values():
            egos[column] = egos[column].astype(snapshots[_original(column, renamed_answers)].dtype)
    egos = egos.merge(people, on="person_id", how="left", sort=False)
    people_columns = [c for c in people.columns if c != "person_id"]
    order = [EGO_ID, "person_id", "date", *people_columns, *renamed_answers.values()]
    _check_unique(order, "egos.csv")
    egos.insert(0, EGO_ID, _ego_ids(egos["person_id"], egos["date"]))
    # People in the order of people.csv, each person's snapshots oldest first.
    position = {p: i for i, p in enumerate(people["person_id"])}
    egos = egos.assign(_at=egos["person_id"].map(position)).sort_values(
        ["_at", "date"], kind="stable", na_position="first"
    )
    tables["egos.csv"] = egos[order].reset_index(drop=True)

    connections = cohort.connections
    rest = [c for c in connections.columns if c not in ("person_id", "date", "connection_id")]
    alters = connections.rename(columns={"connection_id": ALTER_ID})
    alters.insert(0, EGO_ID, _ego_ids(connections["person_id"], connections["date"]))
    order = [EGO_ID, ALTER_ID, "person_id", "date", *rest]
    _check_unique(order, "alters.csv")
    tables["alters.csv"] = alters[order]

    ties = cohort.ties
    rest = [c for c in ties.columns if c not in ("person_id", "date", "source", "target")]
    aaties = ties.rename(columns={"source": SOURCE, "target": TARGET})
    aaties.insert(0, EGO_ID, _ego_ids(ties["person_id"], ties["date"]))
    order = [EGO_ID, SOURCE, TARGET, "person_id", "date", *rest]
    _check_unique(order, "aaties.csv")
    tables["aaties.csv"] = aaties[order]
    with atomic_folder(folder) as new:
        for name, table in tables.items():
            write_table(table, new / name)
    return folder


def _original(column: str, renamed: dict[str, str]) -> str:
    return next(k for k, v in renamed.items() if v == column)


# -- reading -----------------------------------------------------------------------


def _read(folder: Path, name: str, problems: list[Problem]) -> RawTable | None:
    path = folder / name
    if not path.exists():
        return None
    table = read_csv_text(path.read_bytes(), name.removesuffix(".csv"), name)
    problems.extend(table.problems)
    frame = table.frame
    if len(frame.columns) and frame.columns[0] in ("", "Unnamed: 0"):
        frame = frame.iloc[:, 1:]  # R's write.csv adds an unnamed column of row names
    # R writes a missing value as NA unless told otherwise.
    table.frame = frame.mask(frame == "NA")
    return table


def _need(table: RawTable, columns: tuple[str, ...], problems: list[Problem]) -> bool:
    missing = [c for c in columns if c not in table.frame.columns]
    for column in missing:
        problems.append(Problem(table.label, 1, column, f"the column {column!r} is missing; egor's files need it"))
    return not missing


def read_egor(folder: str | os.PathLike[str]) -> Cohort:
    """Read egor's three files (as `write_egor` writes them, or back from R) as a cohort.

    ``egos.csv`` and ``alters.csv`` are needed; ``aaties.csv`` may be left out.  When
    ``egos.csv`` has no ``person_id`` and ``date`` columns they are read from
    ``egoID`` (``<person_id>@<date>``).

    Raises
    ------
    socialcap.ValidationError
        Listing every problem, each naming the egor file, its row and column.
    FileNotFoundError
        When ``folder`` is not a folder.

    Examples
    --------
    Two files as R's ``write.csv`` leaves them (row names, ``NA`` for missing), with
    Sam's maps of March and September:

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "egos.csv").write_text(
    ...     '"","egoID","ward"\\n'
    ...     '"1","P01@2025-03-01","Derwent"\\n'
    ...     '"2","P01@2025-09-01","Derwent"\\n')
    >>> _ = (folder / "alters.csv").write_text(
    ...     '"","egoID","alterID","kind","domain","closeness"\\n'
    ...     '"1","P01@2025-03-01","mum","person","family",1\\n'
    ...     '"2","P01@2025-09-01","mum","person","family",1\\n'
    ...     '"3","P01@2025-09-01","club","group","community",NA\\n')
    >>> cohort = read_egor(folder)
    >>> cohort.timeline("P01")
    <Timeline P01: 2 snapshots (2025-03-01, 2025-09-01)>
    >>> cohort.people["ward"].tolist(), cohort.timeline("P01").changes()[0].gained
    (['Derwent'], ('club',))
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no egor files at {folder}: expected a folder holding egos.csv and alters.csv")
    problems: list[Problem] = []
    egos = _read(folder, "egos.csv", problems)
    alters = _read(folder, "alters.csv", problems)
    aaties = _read(folder, "aaties.csv", problems)
    for name, table in (("egos.csv", egos), ("alters.csv", alters)):
        if table is None:
            problems.append(Problem(name, None, None, f"{name} is missing; egor's three files are egos.csv, alters.csv and aaties.csv"))
    if problems or egos is None or alters is None:
        raise ValidationError(problems, str(folder))
    ok = _need(egos, (EGO_ID,), problems) & _need(alters, (EGO_ID, ALTER_ID), problems)
    if aaties is not None:
        ok &= _need(aaties, (EGO_ID, SOURCE, TARGET), problems)
    if not ok:
        raise ValidationError(problems, str(folder))

    sourced = SourcedTables()
    sourced.columns["connections"] = {"connection_id": ALTER_ID}
    sourced.columns["ties"] = {"source": SOURCE, "target": TARGET}
    keys = _read_egos(egos, sourced, problems)
    _read_members(alters, keys, sourced, "connections", {ALTER_ID: "connection_id"}, problems)
    if aaties is not None:
        _read_members(aaties, keys, sourced, "ties", {SOURCE: "source", TARGET: "target"}, problems)
    if problems:
        raise ValidationError(problems, str(folder))
    return build_cohort(sourced, str(folder))


def _read_egos(egos: RawTable, sourced: SourcedTables, problems: list[Problem]) -> dict[str, tuple[str, str | None]]:
    """Split egos.csv into people and snapshots; return egoID -> (person_id, date)."""
    frame, rows, label = egos.frame, egos.rows, egos.label
    ids = frame[EGO_ID]
    has_person, has_date = "person_id" in frame.columns, "date" in frame.columns
    person = frame["person_id"] if has_person else ids.str.rpartition("@")[0]
    date = frame["date"] if has_date else ids.str.rpartition("@")[2]
    if not (has_person and has_date):
        bad = ids.notna() & ~ids.str.contains("@", regex=False).fillna(False)
        for pos in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(label, int(rows[pos]), EGO_ID, f"egoID {ids.iloc[pos]!r} is not written as <person_id>@<date>, and egos.csv has no person_id and date columns to say whose map it is"))
    person = person.mask(person == "")
    date = date.mask(date == "")

    keys: dict[str, tuple[str, str | None]] = {}
    first_row: dict[str, int] = {}
    for pos, ego in enumerate(ids):
        row = int(rows[pos])
        if pd.isna(ego):
            problems.append(Problem(label, row, EGO_ID, "egoID is empty; every row needs one"))
            continue
        if ego in keys:
            problems.append(Problem(label, row, EGO_ID, f"egoID {ego!r} is already used in row {first_row[ego]}; each snapshot has one row"))
            continue
        keys[ego] = (person.iloc[pos], None if pd.isna(date.iloc[pos]) else date.iloc[pos])
        first_row[ego] = row

    known_people = [c for c in vocab.PEOPLE_COLUMNS if c != "person_id" and c in frame.columns]
    known_answers = [c for c in vocab.SNAPSHOT_COLUMNS if c not in ("person_id", "date") and c in frame.columns]
    prefixed = [c for c in frame.columns if c.startswith(SNAPSHOT_PREFIX)]
    others = [c for c in frame.columns if c not in {EGO_ID, "person_id", "date", *known_people, *known_answers, *prefixed}]
    # A column added in R belongs to the person when it holds one value per person.
    grouped = frame.assign(_person=person).groupby("_person", sort=False, dropna=True)
    steady = [c for c in others if (grouped[c].nunique(dropna=False) <= 1).all()]
    per_snapshot = [c for c in others if c not in steady]
    sourced.columns["snapshots"] = {c.removeprefix(SNAPSHOT_PREFIX): c for c in prefixed}
    sourced.declared["people"] = steady
    sourced.declared["snapshots"] = [*known_answers, *(c.removeprefix(SNAPSHOT_PREFIX) for c in prefixed), *per_snapshot]

    people_cols = [*known_people, *steady]
    seen_people: dict[str, int] = {}
    for pos in range(len(frame)):
        pid, row = person.iloc[pos], int(rows[pos])
        values = {c: frame[c].iloc[pos] for c in people_cols}
        if pid in seen_people:
            first = seen_people[pid]
            for c in known_people:
                a, b = frame[c].iloc[first], values[c]
                if not (pd.isna(a) and pd.isna(b)) and a != b:
                    problems.append(Problem(label, row, c, f"{c} {b!r} differs from row {int(rows[first])} ({a!r}); a person has one {c}"))
            continue
        if not pd.isna(pid):
            seen_people[pid] = pos
        sourced.add("people", {"person_id": pid, **values}, Origin(label, row))
        if pd.isna(pid):
            continue
    for pos in range(len(frame)):
        if pd.isna(date.iloc[pos]) or pd.isna(ids.iloc[pos]):
            continue
        answers = {c: frame[c].iloc[pos] for c in known_answers}
        answers |= {c.removeprefix(SNAPSHOT_PREFIX): frame[c].iloc[pos] for c in prefixed}
        answers |= {c: frame[c].iloc[pos] for c in per_snapshot}
        sourced.add("snapshots", {"person_id": person.iloc[pos], "date": date.iloc[pos], **answers}, Origin(label, int(rows[pos])))
    return keys


def _read_members(
    table: RawTable,
    keys: dict[str, tuple[str, str | None]],
    sourced: SourcedTables,
    name: str,
    renames: dict[str, str],
    problems: list[Problem],
) -> None:
    """alters.csv or aaties.csv: attach each row to its ego's person and date."""
    frame, rows, label = table.frame, table.rows, table.label
    rest = [c for c in frame.columns if c not in (EGO_ID, *renames, "person_id", "date")]
    sourced.declared[name] = rest
    for pos in range(len(frame)):
        row = int(rows[pos])
        ego = frame[EGO_ID].iloc[pos]
        if pd.isna(ego):
            problems.append(Problem(label, row, EGO_ID, "egoID is empty; every row needs one"))
            continue
        if ego not in keys:
            problems.append(Problem(label, row, EGO_ID, f"egoID {ego!r} is not in egos.csv"))
            continue
        pid, date = keys[ego]
        if date is None:
            problems.append(Problem(label, row, EGO_ID, f"egoID {ego!r} has no date in egos.csv, so this row belongs to no snapshot"))
            continue
        for column, expected in (("person_id", pid), ("date", date)):
            if column in frame.columns and not pd.isna(frame[column].iloc[pos]) and frame[column].iloc[pos] != expected:
                problems.append(Problem(label, row, column, f"{column} {frame[column].iloc[pos]!r} differs from egos.csv, which gives {expected!r} for egoID {ego!r}"))
        values = {renames[c]: frame[c].iloc[pos] for c in renames}
        values |= {c: frame[c].iloc[pos] for c in rest}
        sourced.add(name, {"person_id": pid, "date": date, **values}, Origin(label, row))
