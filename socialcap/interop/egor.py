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

import csv
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from .. import vocab
from .._exceptions import Problem, SocialcapError, ValidationError
from .._safe import read_bounded
from .._validate import RawTable
from ..cohort import Cohort
from ..io import atomic_folder, read_csv_text, write_table
from ._mapping import ImportMapping, Inventory, Variable, _comment, _listed, check_date, shadowed, write_starting_mapping
from ._origins import Origin, SourcedTables, build_cohort

__all__ = ["write_egor", "read_egor", "EgorMapping", "write_egor_mapping", "EGO_ID", "ALTER_ID", "SOURCE", "TARGET", "SNAPSHOT_PREFIX"]

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
    ``true``/``false``.  A cohort with community assets (SPEC §12) also gets
    ``assets.csv``, as socialcap writes it; egor passes it by.
    ``read_egor(write_egor(cohort, folder)) == cohort``.

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
    if "assets" in cohort.tables():  # SPEC §12: the community assets travel beside egor's files
        tables["assets.csv"] = cohort.assets
    with atomic_folder(folder) as new:
        for name, table in tables.items():
            write_table(table, new / name)
    return folder


def _original(column: str, renamed: dict[str, str]) -> str:
    return next(k for k, v in renamed.items() if v == column)


# -- reading -----------------------------------------------------------------------


#: How each separator is named when socialcap says which one a file used.
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
_DECIMAL_COMMA = r"[+-]?\d+,\d+"
_NUMBER_OR_DECIMAL_COMMA = r"[+-]?\d+(?:,\d+)?"


def _separator(data: bytes) -> str:
    """The separator of a CSV file as R writes it: the one that splits the header into most columns.

    ``write.csv`` separates with commas, ``write.csv2`` (the default where a comma is
    the decimal mark, as in much of Europe, and in egor's own example files) with
    semicolons.  A header with one column is read with commas.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    end = data.find(b"\n")
    header = data[: end if end >= 0 else len(data)].decode("utf-8", errors="replace").rstrip("\r")
    counts = {sep: len(next(csv.reader([header], delimiter=sep), [])) for sep in _SEPARATORS}
    best = max(counts.values())
    return next(sep for sep in _SEPARATORS if counts[sep] == best)


def _decimal_commas(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Columns of numbers written with a decimal comma (``1,5``), read as ``1.5``.

    Only a column holding nothing but whole numbers and decimal-comma numbers is
    changed (as R's ``read.csv2`` would read it as numbers); a text column that
    happens to hold ``"1,5"`` among words is left as written.
    """
    changed = []
    for column in frame.columns:
        values = frame[column].dropna().astype(str)
        if not len(values) or not values.str.fullmatch(_DECIMAL_COMMA).any():
            continue
        if values.str.fullmatch(_NUMBER_OR_DECIMAL_COMMA).all():
            frame[column] = frame[column].str.replace(",", ".", regex=False)
            changed.append(column)
    return frame, changed


def _read(folder: Path, name: str, problems: list[Problem], dialects: dict[str, tuple[str, bool]] | None = None) -> RawTable | None:
    path = folder / name
    if not path.exists():
        return None
    data = read_bounded(path)  # a file too large to be an egor study is a problem, not a frozen machine
    separator = _separator(data)
    table = read_csv_text(data, name.removesuffix(".csv"), name, delimiter=separator)
    problems.extend(table.problems)
    frame = table.frame
    if len(frame.columns) and frame.columns[0] in ("", "Unnamed: 0"):
        frame = frame.iloc[:, 1:]  # R's write.csv adds an unnamed column of row names
    # R writes a missing value as NA unless told otherwise.
    frame = frame.mask(frame == "NA")
    decimal = []
    if separator != ",":
        frame, decimal = _decimal_commas(frame.copy())
    table.frame = frame
    if dialects is not None:
        dialects[name] = (separator, bool(decimal))
    return table


def _dialect_notes(dialects: dict[str, tuple[str, bool]]) -> list[str]:
    """Which CSV dialect each file was read as, in a line per separator."""
    notes = []
    for separator in dict.fromkeys(sep for sep, _ in dialects.values()):
        files = [name for name, (sep, _) in dialects.items() if sep == separator]
        if separator == ",":
            notes.append(f"Read {_listed(files, 'and')} as comma-separated with decimal points (R's write.csv).")
            continue
        decimal = [name for name in files if dialects[name][1]]
        how = f"{_SEPARATORS[separator]}-separated" + (" (R's write.csv2)" if separator == ";" else "")
        if decimal:
            how += f", with decimal commas (in {_listed(decimal, 'and')})" if decimal != files else ", with decimal commas"
        else:
            how += ", with no decimal numbers in " + ("it" if len(files) == 1 else "them")
        notes.append(f"Read {_listed(files, 'and')} as {how}.")
    return notes


def _need(table: RawTable, columns: tuple[str, ...], problems: list[Problem]) -> bool:
    missing = [c for c in columns if c not in table.frame.columns]
    for column in missing:
        message = f"the column {column!r} is missing; egor's files need it"
        crowded = [h for h in table.frame.columns if column in str(h) and re.search(r"[\s|:]", str(h))]
        if crowded:
            message += (
                f". The header {crowded[0]!r} looks like several column names in one, so the file seems to be "
                "separated by something other than a comma or a semicolon; socialcap reads files as R's "
                "write.csv and write.csv2 write them"
            )
        problems.append(Problem(table.label, 1, column, message))
    return not missing


@dataclass(frozen=True)
class EgorMapping(ImportMapping):
    """Which egor columns give which socialcap column (the mapping file of `read_egor`).

    The same TOML or JSON format as `NetworkCanvasMapping`, with ``[ids]`` for
    egor's id columns (as ``ID.vars`` in ``threefiles_to_egor``)::

        person_id = "egoID"        # the egos.csv column naming the young person
        date = "interview_date"    # the egos.csv column holding the date; or --date

        [ids]                      # egor's id columns, when not the defaults
        ego = "egoID"              # also found: .egoID (as_egos_df, as_alters_df)
        alter = "alterID"          # also found: .altID
        source = "Source"          # also found: .srcID
        target = "Target"          # also found: .tgtID

        [people]                   # people.csv column = egos.csv column
        birth_year = "born"

        [connections]              # connections.csv column = alters.csv column
        domain = "relation"
        closeness = "tie_strength"

        [fixed]                    # one value for every alter
        kind = "person"            # the default when nothing gives a kind

        [values.closeness]         # the study's value = socialcap's value
        "very close" = 1

    Examples
    --------
    >>> mapping = EgorMapping.from_dict({"person_id": "egoID", "connections": {"closeness": "strength"}})
    >>> mapping.person_id, mapping.date, mapping.connections
    ('egoID', None, {'closeness': 'strength'})
    """

    TOOL: ClassVar[str] = "egor"
    COMMAND: ClassVar[str] = "egor"
    SECTIONS: ClassVar[tuple[str, ...]] = ("person_id", "date", "ids", "people", "snapshots", "connections", "fixed", "values")
    IDS: ClassVar[tuple[str, ...]] = ("ego", "alter", "source", "target")


#: egor's id columns: the names ``threefiles_to_egor`` defaults to, then those of
#: ``as_egos_df()``, ``as_alters_df()`` and ``as_aaties_df()``.
_ID_NAMES = {"ego": (EGO_ID, ".egoID"), "alter": (ALTER_ID, ".altID"), "source": (SOURCE, ".srcID"), "target": (TARGET, ".tgtID")}


def _id_columns(mapping: EgorMapping, tables: dict[str, RawTable | None]) -> dict[str, str]:
    """The id columns of each file: the mapping's [ids], else the first of egor's names found.

    ``ego`` is egos.csv's; ``alters_ego`` and ``aaties_ego`` the egoID of the other two
    files, which R users may have written with other tools (``as_alters_df()`` writes ``.egoID``).
    """
    wanted = {"ego": ("egos", "ego"), "alters_ego": ("alters", "ego"), "aaties_ego": ("aaties", "ego"),
              "alter": ("alters", "alter"), "source": ("aaties", "source"), "target": ("aaties", "target")}
    out = {}
    for key, (file, role) in wanted.items():
        if role in mapping.ids:
            out[key] = mapping.ids[role]
            continue
        table = tables[file]
        columns = table.frame.columns if table is not None else ()
        out[key] = next((n for n in _ID_NAMES[role] if n in columns), _ID_NAMES[role][0])
    return out


def read_egor(
    folder: str | os.PathLike[str],
    mapping: EgorMapping | str | os.PathLike[str] | None = None,
    *,
    date: str | None = None,
    notes: list[str] | None = None,
) -> Cohort:
    """Read egor's three files (as `write_egor` writes them, or back from R) as a cohort.

    ``egos.csv`` and ``alters.csv`` are needed; ``aaties.csv`` may be left out.  When
    ``egos.csv`` has no ``person_id`` and ``date`` columns they are read from
    ``egoID`` (``<person_id>@<date>``).

    Files written by R's ``write.csv`` (commas) and ``write.csv2`` (semicolons and
    decimal commas) are both read: each file's separator is found from its header.
    Pass a list as ``notes`` to be told which one each file used.

    A study's own egor files (integer ``egoID``, no date, its own alter variables)
    are read through a mapping (`EgorMapping`, or a TOML or JSON file): which egos.csv
    column is the person and which the date (or ``date=`` for every map), which
    alters.csv columns give domain and closeness and what their values mean.  Every
    alter is a ``person`` unless the mapping says otherwise.  `write_egor_mapping`
    writes a starting mapping listing every column and value.

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
    check_date(date, str(folder))
    if mapping is None:
        mapping = EgorMapping(source="the default mapping")
    elif not isinstance(mapping, EgorMapping):
        mapping = EgorMapping.from_file(mapping)
    problems: list[Problem] = []
    dialects: dict[str, tuple[str, bool]] = {}
    egos, alters, aaties = _read_files(folder, problems, dialects)
    assets = _read(folder, "assets.csv", problems, dialects)  # SPEC §12, as write_egor writes it
    if notes is not None:
        notes += _dialect_notes(dialects)
    if problems or egos is None or alters is None:
        raise ValidationError(problems, str(folder))
    ids = _id_columns(mapping, {"egos": egos, "alters": alters, "aaties": aaties})
    ok = _need(egos, (ids["ego"],), problems) & _need(alters, (ids["alters_ego"], ids["alter"]), problems)
    if aaties is not None:
        ok &= _need(aaties, (ids["aaties_ego"], ids["source"], ids["target"]), problems)
    if not ok:
        raise ValidationError(problems, str(folder))
    ego_columns = [c for c in egos.frame.columns]
    alter_columns = [c for c in alters.frame.columns]
    problems += mapping.to_choose({"ego": ("egos.csv", ego_columns), "alter": ("alters.csv", alter_columns)}, date_given=date is not None)
    problems += _unknown_columns(mapping, ego_columns, alter_columns)
    if problems:
        raise ValidationError(problems, str(folder))

    sourced = SourcedTables()
    keys = _read_egos(egos, mapping, date, ids["ego"], sourced, problems)
    if not keys:
        raise ValidationError(problems, str(folder))
    alter_ids = _read_alters(alters, mapping, keys, ids, sourced, problems, notes)
    if assets is not None:
        for name in ("rows", "origins", "columns", "declared"):
            getattr(sourced, name)["assets"] = [] if name in ("rows", "origins", "declared") else {}
        sourced.declared["assets"] = list(assets.frame.columns)
        for pos, record in enumerate(assets.frame.to_dict("records")):
            sourced.add("assets", record, Origin(assets.label, int(assets.rows[pos])))
    if aaties is not None:
        sourced.columns["ties"] = {"source": ids["source"], "target": ids["target"]}
        _read_members(aaties, keys, sourced, "ties", ids["aaties_ego"], {ids["source"]: "source", ids["target"]: "target"}, problems, alter_ids)
    if problems:
        raise ValidationError(problems, str(folder))
    return build_cohort(sourced, str(folder), command="egor")


def _read_files(folder: Path, problems: list[Problem], dialects: dict[str, tuple[str, bool]]) -> tuple[RawTable | None, RawTable | None, RawTable | None]:
    egos = _read(folder, "egos.csv", problems, dialects)
    alters = _read(folder, "alters.csv", problems, dialects)
    aaties = _read(folder, "aaties.csv", problems, dialects)
    present = sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.name not in _FILES)
    # egor's own examples are named egos_32.csv, alteri_32.csv and edges_32.csv.
    starts = {"egos.csv": ("ego",), "alters.csv": ("alter",), "aaties.csv": ("aatie", "edge", "tie")}
    for name, table in (("egos.csv", egos), ("alters.csv", alters), ("aaties.csv", aaties)):
        if table is not None:
            continue
        near = [p for p in present if p.lower().startswith(starts[name])]
        if name == "aaties.csv" and not near:
            continue  # aaties.csv may be left out: a study with no ties between alters
        message = f"{name} is missing; egor's three files are egos.csv, alters.csv and aaties.csv"
        if near:
            message += f" (there is {near[0]}: rename it {name} if it holds the {name.removesuffix('.csv')})"
        problems.append(Problem(name, None, None, message))
    return egos, alters, aaties


def _unknown_columns(mapping: EgorMapping, ego_columns: list[str], alter_columns: list[str]) -> list[Problem]:
    """A mapping entry naming a column the files do not have."""
    out = []

    def check(key: str, column: str | None, columns: list[str], file: str) -> None:
        if column and column not in columns:
            close = difflib.get_close_matches(column, columns, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(Problem(mapping.source, None, key, f"the mapping reads {key} from {column!r}, but {file} has no such column{hint}"))

    out += shadowed(mapping, "people", mapping.people, {}, ego_columns.__contains__, "egos.csv")
    out += shadowed(mapping, "snapshots", mapping.snapshots, {}, ego_columns.__contains__, "egos.csv")
    out += shadowed(mapping, "connections", mapping.connections, mapping.fixed.get("", {}), alter_columns.__contains__, "alters.csv")
    check("person_id", mapping.person_id, ego_columns, "egos.csv")
    check("date", mapping.date, ego_columns, "egos.csv")
    for section in ("people", "snapshots"):
        for column, variable in getattr(mapping, section).items():
            check(f"{section}.{column}", variable, ego_columns, "egos.csv")
    for column, variable in mapping.connections.items():
        check(f"connections.{column}", variable, alter_columns, "alters.csv")
    return out


def _read_egos(
    egos: RawTable, mapping: EgorMapping, fixed_date: str | None, ego_id: str, sourced: SourcedTables, problems: list[Problem]
) -> dict[str, tuple[str, str | None]]:
    """Split egos.csv into people and snapshots; return egoID -> (person_id, date)."""
    frame, rows, label = egos.frame, egos.rows, egos.label
    ids = frame[ego_id]
    has_at = ids.str.contains("@", regex=False).fillna(False)
    person_column = mapping.person_id or ("person_id" if "person_id" in frame.columns else None)
    date_column = mapping.date or ("date" if "date" in frame.columns else None)
    if person_column is not None:
        person = frame[person_column]
    elif has_at.any():
        person = ids.str.rpartition("@")[0]
    else:
        person = ids  # egor's own files: the egoID is the person
    if fixed_date is not None:
        date = pd.Series(fixed_date, index=frame.index, dtype=object)
    elif date_column is not None:
        date = frame[date_column]
    elif has_at.any():
        date = ids.str.rpartition("@")[2]
    else:
        date = pd.Series(None, index=frame.index, dtype=object)
        example = ids.dropna().iloc[0] if ids.notna().any() else ""
        problems.append(Problem(label, 1, ego_id, (
            f"egos.csv does not say when each map was drawn: egoID {example!r} is not written as "
            "<person_id>@<date> (as socialcap writes it) and there is no date column. Name the column "
            "holding the date in a mapping (date = \"<column>\"), or give one date for every map with --date; "
            "socialcap import egor SRC --write-mapping mapping.toml writes a starting mapping listing every column and value")))
        return {}
    split = (person_column is None and has_at.any()) or (fixed_date is None and date_column is None)
    if split:
        for pos in np.flatnonzero((ids.notna() & ~has_at).to_numpy()):
            problems.append(Problem(label, int(rows[pos]), ego_id, f"egoID {ids.iloc[pos]!r} is not written as <person_id>@<date>, and egos.csv has no person_id and date columns to say whose map it is"))
    person = person.mask(person == "")
    date = date.mask(date == "")

    keys: dict[str, tuple[str, str | None]] = {}
    first_row: dict[str, int] = {}
    for pos, ego in enumerate(ids):
        row = int(rows[pos])
        if pd.isna(ego):
            problems.append(Problem(label, row, ego_id, "egoID is empty; every row needs one"))
            continue
        if ego in keys:
            problems.append(Problem(label, row, ego_id, f"egoID {ego!r} is already used in row {first_row[ego]}; each snapshot has one row"))
            continue
        keys[ego] = (person.iloc[pos], None if pd.isna(date.iloc[pos]) else date.iloc[pos])
        first_row[ego] = row

    # socialcap column -> egos.csv column: the mapping's, then those of the same name.
    people_map = {c: c for c in vocab.PEOPLE_COLUMNS if c != "person_id" and c in frame.columns} | dict(mapping.people)
    answer_map = {c: c for c in vocab.SNAPSHOT_COLUMNS if c not in ("person_id", "date") and c in frame.columns} | dict(mapping.snapshots)
    used = {ego_id, person_column, date_column, *people_map.values(), *answer_map.values()}
    prefixed = [c for c in frame.columns if c.startswith(SNAPSHOT_PREFIX) and c not in used]
    others = [c for c in frame.columns if c not in used and c not in prefixed]
    # A column added in R belongs to the person when it holds one value per person.
    grouped = frame.assign(_person=person).groupby("_person", sort=False, dropna=True)
    steady = [c for c in others if (grouped[c].nunique(dropna=False) <= 1).all()]
    per_snapshot = [c for c in others if c not in steady]
    sourced.columns["people"] = {"person_id": person_column or ego_id} | {c: v for c, v in people_map.items() if c != v}
    sourced.columns["snapshots"] = (
        {"person_id": person_column or ego_id, "date": date_column or ego_id}
        | {c: v for c, v in answer_map.items() if c != v}
        | {c.removeprefix(SNAPSHOT_PREFIX): c for c in prefixed}
    )
    sourced.declared["people"] = [*people_map, *steady]
    # A study's own egoID (not socialcap's <person_id>@<date>) stays with each map, to find it again.
    keep_ego = person_column not in (None, ego_id) and not has_at.any()
    sourced.declared["snapshots"] = [*answer_map, *(c.removeprefix(SNAPSHOT_PREFIX) for c in prefixed), *per_snapshot, *([ego_id] if keep_ego else [])]

    def cell(column: str, variable: str, pos: int) -> object:
        return mapping.value(column, frame[variable].iloc[pos])

    seen_people: dict[str, int] = {}
    for pos in range(len(frame)):
        pid, row = person.iloc[pos], int(rows[pos])
        values = {c: cell(c, v, pos) for c, v in people_map.items()} | {c: frame[c].iloc[pos] for c in steady}
        if pid in seen_people:
            first = seen_people[pid]
            for c, v in people_map.items():
                a, b = cell(c, v, first), values[c]
                if not (pd.isna(a) and pd.isna(b)) and a != b:
                    problems.append(Problem(label, row, v, f"{c} {b!r} differs from row {int(rows[first])} ({a!r}); a person has one {c}"))
            continue
        if not pd.isna(pid):
            seen_people[pid] = pos
        sourced.add("people", {"person_id": pid, **values}, Origin(label, row))
    for pos in range(len(frame)):
        if pd.isna(date.iloc[pos]) or pd.isna(ids.iloc[pos]):
            continue
        answers = {c: cell(c, v, pos) for c, v in answer_map.items()}
        answers |= {c.removeprefix(SNAPSHOT_PREFIX): frame[c].iloc[pos] for c in prefixed}
        answers |= {c: frame[c].iloc[pos] for c in per_snapshot}
        if keep_ego:
            answers[ego_id] = ids.iloc[pos]
        sourced.add("snapshots", {"person_id": person.iloc[pos], "date": date.iloc[pos], **answers}, Origin(label, int(rows[pos])))
    return keys


def _read_alters(
    table: RawTable,
    mapping: EgorMapping,
    keys: dict[str, tuple[str, str | None]],
    ids: dict[str, str],
    sourced: SourcedTables,
    problems: list[Problem],
    notes: list[str] | None = None,
) -> dict[tuple[str, str], object]:
    """alters.csv through the mapping; return (egoID, alterID) -> connection_id, for the ties.

    egor's own data number egos and alters alike (ego 1 names alters 1, 2, 3…), but
    a connection cannot share the young person's id.  When they would, every
    connection id of the import is written ``alter<id>`` (and said in ``notes``).
    """
    frame = table.frame
    # socialcap column -> alters.csv column: the mapping's, then those of the same name.
    found = {c: c for c in vocab.CONNECTION_COLUMNS if c not in ("person_id", "date", "connection_id") and c in frame.columns}
    fixed = dict(mapping.fixed.get("", {}))
    for column in fixed:
        found.pop(column, None)
    variables = {"connection_id": ids["alter"]} | found | dict(mapping.connections)
    if "kind" not in variables and "kind" not in fixed:
        fixed["kind"] = "person"  # egor's alters are people unless the study says otherwise
    rest = [c for c in frame.columns if c not in (ids["alters_ego"], *variables.values(), "person_id", "date")]
    sourced.columns["connections"] = {c: v for c, v in variables.items() if c != v}
    sourced.declared["connections"] = rest
    alter_ids: dict[tuple[str, str], object] = {}
    columns = {c: frame[v].tolist() for c, v in variables.items()}
    extras = {c: frame[c].tolist() for c in rest}
    egos = frame[ids["alters_ego"]].tolist()
    alter_column = frame[ids["alter"]].tolist()
    read: list[tuple[dict[str, object], Origin]] = []
    for pos in range(len(frame)):
        row = int(table.rows[pos])
        where = _attach(egos[pos], keys, table.label, row, ids["alters_ego"], frame, pos, problems)
        if where is None:
            continue
        values = {c: mapping.value(c, columns[c][pos]) for c in columns} | fixed | {c: extras[c][pos] for c in rest}
        alter_ids[(egos[pos], alter_column[pos])] = values["connection_id"]
        read.append(({"person_id": where[0], "date": where[1], **values}, Origin(table.label, row)))
    if any(r["connection_id"] == r["person_id"] and not pd.isna(r["connection_id"]) for r, _ in read):
        rename = {v: (v if pd.isna(v) else f"alter{v}") for v in set(alter_ids.values()) | {r["connection_id"] for r, _ in read}}
        for r, _ in read:
            r["connection_id"] = rename[r["connection_id"]]
        alter_ids = {k: rename[v] for k, v in alter_ids.items()}
        if notes is not None:
            notes.append(f"The {variables['connection_id']} of some alters is also the young person's id, so every connection id is written alter<id> (alter1, alter2, …).")
    for r, origin in read:
        sourced.add("connections", r, origin)
    return alter_ids


def _attach(
    ego: object, keys: dict[str, tuple[str, str | None]], label: str, row: int, ego_id: str, frame: pd.DataFrame, pos: int, problems: list[Problem]
) -> tuple[str, str] | None:
    """The person and date of the ego a row of alters.csv or aaties.csv belongs to (None, with a problem, if none)."""
    if pd.isna(ego):
        problems.append(Problem(label, row, ego_id, "egoID is empty; every row needs one"))
        return None
    if ego not in keys:
        problems.append(Problem(label, row, ego_id, f"egoID {ego!r} is not in egos.csv"))
        return None
    pid, date = keys[ego]  # type: ignore[index]
    if date is None:
        problems.append(Problem(label, row, ego_id, f"egoID {ego!r} has no date in egos.csv, so this row belongs to no snapshot"))
        return None
    for column, expected in (("person_id", pid), ("date", date)):
        if column in frame.columns and not pd.isna(frame[column].iloc[pos]) and frame[column].iloc[pos] != expected:
            problems.append(Problem(label, row, column, f"{column} {frame[column].iloc[pos]!r} differs from egos.csv, which gives {expected!r} for egoID {ego!r}"))
    return pid, date


def _read_members(
    table: RawTable,
    keys: dict[str, tuple[str, str | None]],
    sourced: SourcedTables,
    name: str,
    ego_id: str,
    renames: dict[str, str],
    problems: list[Problem],
    alter_ids: dict[tuple[str, str], object],
) -> None:
    """aaties.csv: attach each tie to its ego's person and date, its ends to the connections' ids."""
    frame, rows, label = table.frame, table.rows, table.label
    rest = [c for c in frame.columns if c not in (ego_id, *renames, "person_id", "date")]
    sourced.declared[name] = rest
    for pos in range(len(frame)):
        row = int(rows[pos])
        ego = frame[ego_id].iloc[pos]
        where = _attach(ego, keys, label, row, ego_id, frame, pos, problems)
        if where is None:
            continue
        values = {}
        for column, target in renames.items():
            end = frame[column].iloc[pos]
            values[target] = alter_ids.get((ego, end), end)
        values |= {c: frame[c].iloc[pos] for c in rest}
        sourced.add(name, {"person_id": where[0], "date": where[1], **values}, Origin(label, row))


# -- a starting mapping ------------------------------------------------------------


def _egor_variables(table: RawTable, leave_out: tuple[str, ...] = ()) -> list[Variable]:
    out = []
    for column in table.frame.columns:
        if column in leave_out:
            continue
        values = table.frame[column].dropna().astype(str)
        out.append(Variable(column, Counter(values[values != ""].tolist())))
    return out


def write_egor_mapping(folder: str | os.PathLike[str], output: str | os.PathLike[str]) -> Path:
    """Write a starting mapping for a study's egor files: every column and value seen.

    ``person_id`` is the ego id and every alter a ``person``; the date and the columns
    giving domain and closeness are guessed from their names where a name suggests one
    (``relation``, ``tie_strength``) and otherwise left as ``""`` (still to choose), as
    are the meanings of their values.  `read_egor` with the file lists what is left.

    Examples
    --------
    egor's own example shape: integer ids, semicolons, the study's own variables.

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "egos.csv").write_text('"";"egoID";"sex"\\n"1";1;"w"\\n')
    >>> _ = (folder / "alters.csv").write_text(
    ...     '"";"egoID";"alterID";"relation";"strength"\\n"1";1;1;"Mother";"very close"\\n')
    >>> mapping = write_egor_mapping(folder, folder / "mapping.toml")
    >>> try:
    ...     read_egor(folder, mapping)
    ... except ValidationError as error:
    ...     print("\\n".join(f"{p.column}: {p.message}" for p in error.problems))  # doctest: +ELLIPSIS
    date: still to choose: the egos.csv column holding the date of each map, ...; egos.csv columns: egoID, sex
    values.closeness.very close: still to choose: what 'very close' means as closeness: 1 (closest), 2 (close) or 3 (further out)
    values.domain.Mother: still to choose: what 'Mother' means as domain: family, partner, ... or other
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no egor files at {folder}: expected a folder holding egos.csv and alters.csv")
    problems: list[Problem] = []
    egos, alters, aaties = _read_files(folder, problems, {})
    if problems or egos is None or alters is None:
        raise ValidationError(problems, str(folder))
    mapping = EgorMapping()
    ids = _id_columns(mapping, {"egos": egos, "alters": alters, "aaties": aaties})
    ok = _need(egos, (ids["ego"],), problems) & _need(alters, (ids["alters_ego"], ids["alter"]), problems)
    if not ok:
        raise ValidationError(problems, str(folder))
    ego_vars = _egor_variables(egos)
    columns = list(egos.frame.columns)
    person = "person_id" if "person_id" in columns else ids["ego"]
    # The date: a column of that name, else one holding nothing but YYYY-MM-DD dates, else one so named.
    iso = [v.name for v in ego_vars if v.seen and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in v.seen)]
    named = [c for c in columns if re.search(r"date|datum|fecha", c, re.I)]
    date = "date" if "date" in columns else next(iter(iso + named), "")
    found = f"egos.csv {ids['ego']}, alters.csv {ids['alters_ego']} and {ids['alter']}"
    if aaties is not None:
        found += f", aaties.csv {ids['aaties_ego']}, {ids['source']} and {ids['target']}"
    preamble = [
        "# [ids]         # egor's id columns, if not egor's own names (egoID or .egoID, alterID or .altID,",
        "#               # Source or .srcID, Target or .tgtID): ego = \"...\", alter, source, target",
        f"#               # found here: {_comment(found)}",
        "",
    ]
    inventory = Inventory(
        tool="egor files", command="egor", source=str(folder), ego_file="egos.csv", ego=ego_vars,
        alter_file="alters.csv", alters={"": _egor_variables(alters, (ids["alters_ego"],))},
        person_id=person, date=date, preamble=preamble,
        connection_id=f"# connection_id = \"\"   # the default is {ids['alter']}; name a column that stays the same from one map to the next, if there is one",
    )
    return write_starting_mapping(inventory, output)
