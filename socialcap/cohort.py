"""The cohort: many people's timelines, and what is known about each person.

A `Cohort` keeps the four tables of the interchange format (people, connections,
ties, snapshots) as validated pandas DataFrames, and hands out one person's
`Timeline` or one `Snapshot` on request.  Build one with `socialcap.read_cohort`,
`Cohort.from_tables` or `socialcap.datasets.synthetic`; all of them validate, so the
tables inside a cohort can be trusted.

Examples
--------
>>> import socialcap as sc
>>> cohort = sc.datasets.synthetic(people=5, waves=2, seed=3)
>>> len(cohort)
5
>>> timeline = cohort.timeline(cohort.person_ids[0])
>>> timeline.snapshots[0].date <= timeline.snapshots[-1].date
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import vocab
from ._exceptions import NotFoundError
from .graph import DateLike, Snapshot, Timeline, _records, as_date, clean_value

__all__ = ["Cohort"]


def _no_assets() -> pd.DataFrame:
    """The assets table of a cohort without assets.csv: its columns, no rows."""
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in vocab.ASSET_COLUMNS})


@dataclass(frozen=True, eq=False)
class Cohort:
    """Many people's timelines, plus what is known about each person.

    Attributes
    ----------
    people
        One row per person: ``person_id`` and the people.csv columns.
    connections
        One row per connection per snapshot, every column of SPEC §2 present
        (``paid`` filled in from the domain where the table left it empty).
    ties
        One row per tie, as given (a repeated tie is kept here and counted once).
    snapshots
        One row per snapshot, sorted by person and date: every (person, date) of
        connections.csv, plus those listed in snapshots.csv, with the young
        person's own answers.
    assets
        One row per community asset (SPEC §12): ``asset_id``, ``name``, ``kind``,
        ``ward``, ``openreferral_id`` and any extra columns of assets.csv; no rows
        when the cohort has no assets.csv.

    The constructor trusts its tables; use `Cohort.from_tables` for tables that
    still need checking.

    Examples
    --------
    Two young people: Sam (mum and a support worker) and Ali (a friend).

    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01", "P02"], "ward": ["Derwent", "Sinfin"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01", "P01", "P02"], "date": ["2025-03-01"] * 3,
    ...         "connection_id": ["mum", "worker", "jo"], "kind": ["person"] * 3,
    ...         "domain": ["family", "professional", "friend"], "closeness": [1, 2, 1]}))
    >>> cohort
    <Cohort: 2 people, 2 snapshots, 3 connection rows, 0 ties>
    >>> cohort.person_ids
    ['P01', 'P02']
    >>> cohort.connections["paid"].tolist()  # filled in from the domain
    [False, True, False]
    >>> cohort.snapshot("P01")
    <Snapshot P01 2025-03-01: 2 connections, 0 ties>
    """

    people: pd.DataFrame
    connections: pd.DataFrame
    ties: pd.DataFrame
    snapshots: pd.DataFrame
    assets: pd.DataFrame = field(default_factory=_no_assets)

    @classmethod
    def from_tables(
        cls,
        people: pd.DataFrame,
        connections: pd.DataFrame,
        ties: pd.DataFrame | None = None,
        snapshots: pd.DataFrame | None = None,
        assets: pd.DataFrame | None = None,
    ) -> Cohort:
        """Check tables shaped as SPEC §2 and build a cohort from them.

        Values may be text (as in the CSV files) or already typed (numbers, dates,
        booleans).  Raises `socialcap.ValidationError` listing every problem.

        Examples
        --------
        Text cells, as read from a CSV file, become typed columns:

        >>> import pandas as pd, socialcap as sc
        >>> people = pd.DataFrame({"person_id": ["P01"], "birth_year": ["2007"]})
        >>> connections = pd.DataFrame({
        ...     "person_id": ["P01"], "date": ["2025-03-01"], "connection_id": ["mum"],
        ...     "kind": ["person"], "domain": ["family"], "closeness": ["1"]})
        >>> cohort = sc.Cohort.from_tables(people, connections)
        >>> cohort.people["birth_year"].tolist(), cohort.connections["closeness"].tolist()
        ([2007], [1])
        >>> str(cohort.connections["date"].dtype)
        'datetime64[ns]'

        A value outside the vocabulary is named with its table, row and column:

        >>> try:
        ...     sc.Cohort.from_tables(people, connections.assign(domain=["leisure"]))
        ... except sc.ValidationError as error:
        ...     print(error.problems[0])
        connections table, row 2, column 'domain': domain 'leisure' is not one of: family, partner, friend, neighbour, community, education_work, professional, online, other
        """
        from ._validate import RawTable, build_tables

        raw = {"people": people, "connections": connections, "ties": ties, "snapshots": snapshots, "assets": assets}
        tables = {
            name: RawTable.from_frame(name, f"{name} table", frame)
            for name, frame in raw.items()
            if frame is not None
        }
        return cls(**build_tables(tables, source="the tables"))

    # -- looking people up -------------------------------------------------------

    @property
    def person_ids(self) -> list[str]:
        """Everyone's ``person_id``, in the order of people.csv."""
        return self.people["person_id"].tolist()

    @cached_property
    def _rows(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        # Row positions of each person in the snapshots, connections and ties tables,
        # found once so that asking for many timelines stays cheap.
        empty = np.empty(0, dtype=np.intp)
        index: dict[str, list[np.ndarray]] = {p: [empty, empty, empty] for p in self.person_ids}
        for slot, frame in enumerate((self.snapshots, self.connections, self.ties)):
            if len(frame):
                for person, rows in frame.groupby("person_id", sort=False).indices.items():
                    index[person][slot] = rows
        return {p: (a, b, c) for p, (a, b, c) in index.items()}

    @cached_property
    def _people_records(self) -> dict[str, dict[str, Any]]:
        return {r["person_id"]: r for r in _records(self.people, drop=())}

    def timeline(self, person_id: str) -> Timeline:
        """One person's snapshots, oldest first.

        Raises `socialcap.NotFoundError` (a `KeyError`) for a person not in the cohort.

        Examples
        --------
        >>> import socialcap as sc
        >>> cohort = sc.datasets.synthetic(people=2, waves=2, seed=1)
        >>> timeline = cohort.timeline("P002")
        >>> timeline.person_id, timeline.person["person_id"]
        ('P002', 'P002')
        >>> try:
        ...     cohort.timeline("P99")
        ... except KeyError as error:
        ...     print(error)
        there is no person 'P99' in this cohort
        """
        if person_id not in self._rows:
            raise NotFoundError(f"there is no person {person_id!r} in this cohort")
        snap_rows, conn_rows, tie_rows = self._rows[person_id]
        person = self._people_records[person_id]
        snaps = self.snapshots.iloc[snap_rows]
        conns = self.connections.iloc[conn_rows]
        ties = self.ties.iloc[tie_rows]
        conn_by_date = {d: rows for d, rows in conns.groupby("date", sort=False).indices.items()}
        tie_by_date = {d: rows for d, rows in ties.groupby("date", sort=False).indices.items()}
        answer_columns = [c for c in snaps.columns if c not in ("person_id", "date")]
        empty = np.empty(0, dtype=np.intp)
        out = []
        for date, answers in zip(snaps["date"], snaps[answer_columns].itertuples(index=False, name=None)):
            out.append(
                Snapshot(
                    person_id=person_id,
                    date=as_date(date),
                    connections=conns.iloc[conn_by_date.get(date, empty)].reset_index(drop=True),
                    ties=ties.iloc[tie_by_date.get(date, empty)].reset_index(drop=True),
                    answers={
                        c: v for c, v in zip(answer_columns, map(clean_value, answers)) if v is not None
                    },
                    person=person,
                )
            )
        out.sort(key=lambda s: s.date)
        return Timeline(person_id=person_id, snapshots=tuple(out), person=person)

    def timelines(self) -> Iterator[Timeline]:
        """Everyone's timeline, in the order of people.csv."""
        for person_id in self.person_ids:
            yield self.timeline(person_id)

    def snapshot(self, person_id: str, date: DateLike | None = None) -> Snapshot:
        """One person's snapshot on a date (default: their latest)."""
        timeline = self.timeline(person_id)
        if date is None:
            if not timeline.snapshots:
                raise NotFoundError(f"{person_id} has no snapshots yet")
            return timeline.snapshots[-1]
        return timeline.snapshot(date)

    # -- derived tables ------------------------------------------------------------

    def metrics(self, columns: Sequence[str] | str = (), *, verbose: bool = False) -> pd.DataFrame:
        """Every registered metric of every snapshot (SPEC §3), indexed by (person_id, date).

        ``columns`` names people.csv columns to add (``["ward", "birth_year"]``).
        ``verbose`` shows a progress bar.

        Examples
        --------
        Sam has two people in their map, one of them paid; Ali has one friend.

        >>> import pandas as pd, socialcap as sc
        >>> cohort = sc.Cohort.from_tables(
        ...     people=pd.DataFrame({"person_id": ["P01", "P02"], "ward": ["Derwent", "Sinfin"]}),
        ...     connections=pd.DataFrame({
        ...         "person_id": ["P01", "P01", "P02"], "date": ["2025-03-01"] * 3,
        ...         "connection_id": ["mum", "worker", "jo"], "kind": ["person"] * 3,
        ...         "domain": ["family", "professional", "friend"], "closeness": [1, 2, 1]}))
        >>> table = cohort.metrics(["ward"])
        >>> table[["ward", "people", "informal_people", "paid_people"]]  # doctest: +NORMALIZE_WHITESPACE
                                 ward  people  informal_people  paid_people
        person_id date
        P01       2025-03-01  Derwent       2                1            1
        P02       2025-03-01   Sinfin       1                1            0
        """
        from .metrics import cohort_metrics

        return cohort_metrics(self, columns=columns, verbose=verbose)

    def select(self, person_ids: Iterable[str]) -> Cohort:
        """A cohort of just these people.

        Examples
        --------
        >>> import socialcap as sc
        >>> cohort = sc.datasets.synthetic(people=2, waves=2, seed=1)
        >>> one = cohort.select(["P002"])
        >>> one.person_ids, one.timeline("P002") == cohort.timeline("P002")
        (['P002'], True)
        """
        keep = set(person_ids)

        def part(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["person_id"].isin(keep)].reset_index(drop=True)

        return Cohort(
            people=part(self.people),
            connections=part(self.connections),
            ties=part(self.ties),
            snapshots=part(self.snapshots),
            assets=self.assets,
        )

    # -- plumbing ------------------------------------------------------------------

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, as `write_cohort` writes them: the four of SPEC §2, and
        ``assets`` when the cohort has an assets table (SPEC §12)."""
        tables = {
            "people": self.people,
            "connections": self.connections,
            "ties": self.ties,
            "snapshots": self.snapshots,
        }
        if len(self.assets) or list(self.assets.columns) != list(vocab.ASSET_COLUMNS):
            tables["assets"] = self.assets
        return tables

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Timeline]:
        return self.timelines()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cohort):
            return NotImplemented
        if self.tables().keys() != other.tables().keys():
            return False
        for name, mine in self.tables().items():
            theirs = other.tables()[name]
            if list(mine.columns) != list(theirs.columns):
                return False
            if not mine.reset_index(drop=True).equals(theirs.reset_index(drop=True)):
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Cohort: {len(self.people)} people, {len(self.snapshots)} snapshots, "
            f"{len(self.connections)} connection rows, {len(self.ties)} ties>"
        )
