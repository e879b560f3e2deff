"""Snapshots and timelines: one person's map on one date, and their maps over time.

A `Snapshot` holds the rows of the tables that belong to one (person, date), and
offers them as a `networkx.Graph`: the person at the centre (node id = their
``person_id``, ``role="centre"``), one node per connection (node id =
``connection_id``, ``role="connection"``, carrying its table columns), an edge from
the centre to every connection (``role="centre"``) and an edge per tie
(``role="tie"``; a repeated tie is one edge).  A hope (SPEC §11: someone or
something the person would like in their life and does not have yet) is a node
with ``hope=True`` joined to the centre by an edge with ``role="hope"``; it has no
ties and counts in no metric but ``hopes``.

Examples
--------
>>> import socialcap as sc
>>> cohort = sc.datasets.synthetic(people=3, waves=2, seed=1)
>>> snap = cohort.timeline(cohort.person_ids[0]).snapshots[-1]
>>> snap.graph.nodes[snap.person_id]["role"]
'centre'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from ._exceptions import NotFoundError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .change import Change

__all__ = ["Snapshot", "Timeline", "DateLike", "as_date", "clean_value"]

DateLike: TypeAlias = "str | dt.date | pd.Timestamp"


def as_date(value: DateLike) -> dt.date:
    """Read a date given as ``"2025-03-01"``, a `datetime.date` or a `pandas.Timestamp`.

    >>> as_date("2025-03-01")
    datetime.date(2025, 3, 1)
    """
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date written as YYYY-MM-DD") from None


def clean_value(value: Any) -> Any:
    """A table cell as a plain Python value: ``None`` for missing, ISO text for dates.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> clean_value(pd.Timestamp("2025-03-01")), clean_value(np.int64(2))
    ('2025-03-01', 2)
    >>> clean_value(pd.NA) is None, clean_value(float("nan")) is None
    (True, True)
    """
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, dt.date)):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d")
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and other containers
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _records(frame: pd.DataFrame, drop: tuple[str, ...]) -> list[dict[str, Any]]:
    columns = [c for c in frame.columns if c not in drop]
    out = []
    for row in frame[columns].itertuples(index=False, name=None):
        out.append({c: v for c, v in zip(columns, map(clean_value, row)) if v is not None})
    return out


def _hope_mask(connections: pd.DataFrame) -> np.ndarray:
    """Which rows of a connections table are hopes (all False when there is no ``hope`` column)."""
    if "hope" not in connections.columns:
        return np.zeros(len(connections), dtype=bool)
    return connections["hope"].to_numpy(dtype=bool, na_value=False)


def _frame_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return list(a.columns) == list(b.columns) and a.reset_index(drop=True).equals(b.reset_index(drop=True))


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One person's map on one date.

    Attributes
    ----------
    person_id, date
        Whose map, and when it was drawn.
    connections
        This snapshot's rows of connections.csv (every column, extra ones too).
    ties
        This snapshot's rows of ties.csv.
    answers
        What the young person said of themselves that day (the snapshots.csv row:
        UCLA items, ``ons_lonely``, extra columns); missing answers are left out.
    person
        The person's row of people.csv; missing values are left out.

    Examples
    --------
    Sam's map: mum and gran (who know each other) and a youth club.

    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"], "name": ["Sam"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 3, "date": ["2025-03-01"] * 3,
    ...         "connection_id": ["mum", "gran", "club"],
    ...         "kind": ["person", "person", "group"],
    ...         "domain": ["family", "family", "community"], "closeness": [1, 2, None]}),
    ...     ties=pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"],
    ...                        "source": ["mum"], "target": ["gran"]}))
    >>> snap = cohort.snapshot("P01")
    >>> snap
    <Snapshot P01 2025-03-01: 3 connections, 1 ties>
    >>> snap.name, snap.date
    ('Sam', datetime.date(2025, 3, 1))
    >>> sorted(snap.graph.neighbors("mum"))
    ['P01', 'gran']
    >>> snap.graph.nodes["club"]["kind"], snap.graph.edges["mum", "gran"]["role"]
    ('group', 'tie')
    """

    person_id: str
    date: dt.date
    connections: pd.DataFrame
    ties: pd.DataFrame
    answers: Mapping[str, Any] = field(default_factory=dict)
    person: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """The person's name, if people.csv gives one."""
        name = self.person.get("name")
        return None if name is None else str(name)

    @cached_property
    def graph(self) -> nx.Graph:
        """The snapshot as a `networkx.Graph`, built once and frozen (`networkx.freeze`): it is
        shared, so ``snapshot.graph.copy()`` gives one to change."""
        import networkx as nx  # here, not above: drawing or reading a map needs no graph

        graph = nx.Graph(person_id=self.person_id, date=self.date.isoformat())
        centre = {k: v for k, v in self.person.items() if k != "person_id"}
        graph.add_node(self.person_id, **centre, role="centre", person_id=self.person_id)
        for attrs in _records(self.connections, drop=("person_id", "date")):
            node = attrs.pop("connection_id")
            hope = bool(attrs.pop("hope", False))
            if hope:  # someone or something the person would like: on the map, not a relationship
                graph.add_node(node, **attrs, hope=True, role="connection")
                graph.add_edge(self.person_id, node, role="hope")
            else:
                graph.add_node(node, **attrs, role="connection")
                graph.add_edge(self.person_id, node, role="centre")
        for attrs in _records(self.ties, drop=("person_id", "date")):
            source, target = attrs.pop("source"), attrs.pop("target")
            graph.add_edge(source, target, **attrs, role="tie")
        return nx.freeze(graph)

    @property
    def hopes(self) -> pd.DataFrame:
        """The rows of ``connections`` that are hopes (SPEC §11): wished for, not there yet.

        A hope never counts as a connection: ``len(snapshot)`` and every metric but
        ``hopes`` leave them out.
        """
        return self.connections[_hope_mask(self.connections)]

    @property
    def real_connections(self) -> pd.DataFrame:
        """The rows of ``connections`` that are real connections (every row that is not a hope)."""
        return self.connections[~_hope_mask(self.connections)]

    def metrics(self) -> pd.Series:
        """Every registered metric of this snapshot, computed from its graph (the readable reference)."""
        from .metrics import snapshot_metrics

        return snapshot_metrics(self)

    def __len__(self) -> int:
        """The number of connections (hopes are not connections yet)."""
        return int((~_hope_mask(self.connections)).sum())

    def _repr_png_(self) -> bytes:
        """Jupyter shows a snapshot as its circles map."""
        from .maps import snapshot_repr_png

        return snapshot_repr_png(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return NotImplemented
        return (
            self.person_id == other.person_id
            and self.date == other.date
            and dict(self.answers) == dict(other.answers)
            and dict(self.person) == dict(other.person)
            and _frame_equal(self.connections, other.connections)
            and _frame_equal(self.ties, other.ties)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        hopes = int(_hope_mask(self.connections).sum())
        return (
            f"<Snapshot {self.person_id} {self.date.isoformat()}: "
            f"{len(self)} connections, {len(self.ties)} ties" + (f", {hopes} hope{'' if hopes == 1 else 's'}>" if hopes else ">")
        )


@dataclass(frozen=True, eq=False)
class Timeline:
    """One person's snapshots, oldest first.

    A timeline can be iterated over, indexed (``timeline[-1]`` is the latest map)
    and measured with ``len``.

    Examples
    --------
    Sam's maps in March and September: the youth club has gone, a friend is new.

    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 4,
    ...         "date": ["2025-03-01", "2025-03-01", "2025-09-01", "2025-09-01"],
    ...         "connection_id": ["mum", "club", "mum", "friend"],
    ...         "kind": ["person", "group", "person", "person"],
    ...         "domain": ["family", "community", "family", "friend"],
    ...         "closeness": [1, None, 1, 2]}))
    >>> timeline = cohort.timeline("P01")
    >>> timeline
    <Timeline P01: 2 snapshots (2025-03-01, 2025-09-01)>
    >>> [len(snap) for snap in timeline]
    [2, 2]
    >>> change = timeline.changes()[0]
    >>> change.gained, change.lost, change.kept
    (('friend',), ('club',), ('mum',))
    """

    person_id: str
    snapshots: tuple[Snapshot, ...]
    person: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """The dates of the snapshots, oldest first."""
        return tuple(s.date for s in self.snapshots)

    def snapshot(self, date: DateLike) -> Snapshot:
        """The snapshot of one date (``"2025-03-01"``, a date or a Timestamp).

        Raises `socialcap.NotFoundError` (a `KeyError`) when there is no map that day.

        Examples
        --------
        >>> import socialcap as sc
        >>> timeline = sc.datasets.synthetic(people=2, waves=2, seed=1).timeline("P001")
        >>> timeline.snapshot(timeline.dates[0]) == timeline[0]
        True
        >>> try:
        ...     timeline.snapshot("1999-01-01")
        ... except sc.NotFoundError as error:
        ...     print(str(error).startswith("P001 has no snapshot on 1999-01-01"))
        True
        """
        wanted = as_date(date)
        for snap in self.snapshots:
            if snap.date == wanted:
                return snap
        have = ", ".join(d.isoformat() for d in self.dates) or "none"
        raise NotFoundError(
            f"{self.person_id} has no snapshot on {wanted.isoformat()} (snapshots: {have})"
        )

    def changes(self) -> list[Change]:
        """The change between each pair of consecutive snapshots.

        Examples
        --------
        Every connection on the later map is either new or kept from the earlier one.

        >>> import socialcap as sc
        >>> timeline = sc.datasets.synthetic(people=2, waves=2, seed=1).timeline("P001")
        >>> changes = timeline.changes()
        >>> len(changes) == len(timeline) - 1
        True
        >>> all(len(change.gained) + len(change.kept) == len(later)
        ...     for change, later in zip(changes, timeline.snapshots[1:]))
        True
        """
        from .change import compare

        return [compare(a, b) for a, b in zip(self.snapshots, self.snapshots[1:])]

    def __len__(self) -> int:
        return len(self.snapshots)

    def __iter__(self) -> Iterator[Snapshot]:
        return iter(self.snapshots)

    def __getitem__(self, index: int) -> Snapshot:
        return self.snapshots[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeline):
            return NotImplemented
        return (
            self.person_id == other.person_id
            and dict(self.person) == dict(other.person)
            and self.snapshots == other.snapshots
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        dates = ", ".join(d.isoformat() for d in self.dates)
        return f"<Timeline {self.person_id}: {len(self.snapshots)} snapshots ({dates})>"
