"""Change over time: what is different between two snapshots of the same person.

Connections are matched by ``connection_id``: the same id in two snapshots of one
person is the same connection (SPEC §4).

Examples
--------
>>> import pandas as pd, socialcap as sc
>>> people = pd.DataFrame({"person_id": ["P1"]})
>>> rows = [
...     ("2025-01-01", "A", "person", "family", 2), ("2025-01-01", "B", "person", "friend", 1),
...     ("2025-07-01", "A", "person", "family", 1), ("2025-07-01", "C", "group", "community", None),
... ]
>>> connections = pd.DataFrame(rows, columns=["date", "connection_id", "kind", "domain", "closeness"])
>>> connections.insert(0, "person_id", "P1")
>>> ties = pd.DataFrame({"person_id": ["P1"], "date": ["2025-07-01"], "source": ["A"], "target": ["C"]})
>>> timeline = sc.Cohort.from_tables(people, connections, ties).timeline("P1")
>>> change = sc.compare(timeline.snapshots[0], timeline.snapshots[1])
>>> change.gained, change.lost, change.kept, change.moved_closer, change.newcomers_linked
(('C',), ('B',), ('A',), ('A',), ('C',))
>>> round(change.turnover, 3)
0.667
>>> print(describe(change, numbers=False))
From 1 January 2025 to 1 July 2025:
- 1 new connection: C.
- 1 connection no longer on the map: B.
- 1 connection still there: A.
- 1 moved closer: A.
- The new connection already knows someone from before.
- Turnover: 67% of the connections on either map are new or gone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ._exceptions import ArgumentError
from ._validate import _factorize, _shared_codes  # pyarrow dictionary encoding: fast for text
from ._words import count, long_date, ratio, safe_divide
from .graph import Snapshot
from .metrics import MetricLabels

__all__ = ["Change", "compare", "change_counts", "describe", "COUNTS", "NUMBERS"]

Tie = tuple[str, str]

#: The fields of a `Change` that `Change.counts` counts, in the order tables show them.
COUNTS: tuple[str, ...] = (
    "gained",
    "lost",
    "kept",
    "moved_closer",
    "moved_away",
    "ties_gained",
    "ties_lost",
    "newcomers_linked",
    "hopes_added",
    "hopes_realised",
    "hopes_let_go",
)

#: Metrics `describe` puts into plain words (SPEC §3 name -> how a coordinator says it).
#: Isolation (few people) and loneliness (what the young person says) are listed
#: separately on purpose: they are different things.
NUMBERS: Mapping[str, str] = MetricLabels(
    ("people", "informal_people", "close_informal", "groups", "places", "lsns6", "isolated", "ucla3", "lonely")
)


def _tie_set(snapshot: Snapshot) -> set[Tie]:
    ties = snapshot.ties
    return {tuple(sorted((str(s), str(t)))) for s, t in zip(ties["source"], ties["target"])}  # type: ignore[misc]


def _closeness(snapshot: Snapshot) -> dict[str, int]:
    rows = snapshot.real_connections
    people = rows[(rows["kind"] == "person") & rows["closeness"].notna()]
    return dict(zip(people["connection_id"], people["closeness"].astype(int)))


@dataclass(frozen=True, eq=False)
class Change:
    """What changed from snapshot ``before`` to a later snapshot ``after`` of the same person.

    Connection ids are given sorted, ties as sorted ``(id, id)`` pairs.

    Attributes
    ----------
    gained, lost, kept
        Connections only in ``after``, only in ``before``, and in both.
    turnover
        1 − |kept| / |before ∪ after|: 0 when nothing changed, 1 when everyone is
        new; NaN when both maps are empty.
    moved_closer, moved_away
        Kept people whose closeness number fell (closer to the centre) or rose.
    ties_gained, ties_lost
        Ties between two kept connections that appeared or went.
    newcomers_linked
        Gained connections tied to at least one kept connection: newcomers woven
        into the network the person already had.
    hopes_added, hopes_realised, hopes_let_go
        Hopes (SPEC §11: someone or something the person would like in their life
        and does not have yet): hopes of ``after`` that were not hopes of
        ``before``; hopes of ``before`` that are real connections in ``after`` (a
        hope that came true); hopes of ``before`` that are neither a hope nor a
        connection in ``after``.

    Notes
    -----
    Every other field looks at real connections only: a hope is not a connection
    yet.  So a hope that came true is also ``gained`` (it was not on the earlier
    map as a connection), and a connection that became a hope is ``lost`` and in
    ``hopes_added``.

    Examples
    --------
    >>> import socialcap as sc
    >>> timeline = sc.datasets.synthetic(people=30, waves=2, seed=1).timeline("P001")
    >>> change = compare(*timeline.snapshots)
    >>> change
    <Change P001 2024-11-02 → 2025-05-14: 2 gained, 1 lost, 3 kept>
    >>> change.lost, change.newcomers_linked == change.gained, change.turnover
    (('C04',), True, 0.5)
    >>> change.counts["ties_gained"], change.counts["moved_closer"]
    (1, 0)
    >>> change.metrics.loc[["people", "lsns6"], "change"].tolist()
    [1.0, 1.0]
    """

    before: Snapshot
    after: Snapshot
    gained: tuple[str, ...] = field(default=())
    lost: tuple[str, ...] = field(default=())
    kept: tuple[str, ...] = field(default=())
    turnover: float = math.nan
    moved_closer: tuple[str, ...] = field(default=())
    moved_away: tuple[str, ...] = field(default=())
    ties_gained: tuple[Tie, ...] = field(default=())
    ties_lost: tuple[Tie, ...] = field(default=())
    newcomers_linked: tuple[str, ...] = field(default=())
    hopes_added: tuple[str, ...] = field(default=())
    hopes_realised: tuple[str, ...] = field(default=())
    hopes_let_go: tuple[str, ...] = field(default=())

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """Every metric before and after, and the change (``after − before``), one row per metric."""
        before = self.before.metrics()
        after = self.after.metrics()
        table = pd.DataFrame({"before": before, "after": after})
        numeric = table.apply(pd.to_numeric, errors="coerce")
        table["change"] = numeric["after"] - numeric["before"]
        return table

    def _repr_png_(self) -> bytes:
        """Jupyter shows a change as its change map."""
        from .maps import change_repr_png

        return change_repr_png(self)

    @property
    def person_id(self) -> str:
        """Whose maps these are."""
        return self.after.person_id

    @property
    def counts(self) -> dict[str, float]:
        """How many connections (or ties) each field of `COUNTS` holds, and the turnover."""
        out: dict[str, float] = {name: len(getattr(self, name)) for name in COUNTS}
        out["turnover"] = self.turnover
        return out

    def __str__(self) -> str:
        return describe(self)

    def __repr__(self) -> str:
        return (
            f"<Change {self.person_id} {self.before.date.isoformat()} → {self.after.date.isoformat()}: "
            f"{len(self.gained)} gained, {len(self.lost)} lost, {len(self.kept)} kept>"
        )


def compare(before: Snapshot, after: Snapshot) -> Change:
    """Compare two snapshots of the same person (``before`` earlier than ``after``).

    Raises ``ValueError`` when the snapshots are of different people or in the
    wrong order.

    Examples
    --------
    A moved from the closest ring to the second, the link between A and B went,
    and D is new:

    >>> import socialcap as sc
    >>> rows = [("2025-01-01", "A", 1), ("2025-01-01", "B", 2),
    ...         ("2025-06-01", "A", 2), ("2025-06-01", "B", 2), ("2025-06-01", "D", 3)]
    >>> connections = pd.DataFrame(rows, columns=["date", "connection_id", "closeness"]).assign(
    ...     person_id="P1", kind="person", domain="friend")
    >>> ties = pd.DataFrame({"person_id": ["P1"], "date": ["2025-01-01"], "source": ["A"], "target": ["B"]})
    >>> first, second = sc.Cohort.from_tables(pd.DataFrame({"person_id": ["P1"]}), connections, ties).timeline(
    ...     "P1").snapshots
    >>> change = compare(first, second)
    >>> change.gained, change.kept, change.moved_away, change.ties_lost
    (('D',), ('A', 'B'), ('A',), (('A', 'B'),))
    >>> compare(second, first)
    Traceback (most recent call last):
    ...
    socialcap._exceptions.ArgumentError: the first snapshot (2025-06-01) is later than the second (2025-01-01); give the earlier one first
    """
    if before.person_id != after.person_id:
        raise ArgumentError(
            f"these snapshots are of two different people ({before.person_id} and {after.person_id}); "
            "compare two snapshots of the same person"
        )
    if before.date > after.date:
        raise ArgumentError(
            f"the first snapshot ({before.date}) is later than the second ({after.date}); "
            "give the earlier one first"
        )
    # Hopes are not connections yet: every set but the three of hopes is of real connections.
    a = set(before.real_connections["connection_id"])
    b = set(after.real_connections["connection_id"])
    hopes_a = set(before.hopes["connection_id"])
    hopes_b = set(after.hopes["connection_id"])
    kept = a & b
    union = a | b
    turnover = 1 - ratio(len(kept), len(union))
    close_a, close_b = _closeness(before), _closeness(after)
    both = [c for c in kept if c in close_a and c in close_b]
    ties_a = {t for t in _tie_set(before) if t[0] in kept and t[1] in kept}
    ties_b_all = _tie_set(after)
    ties_b = {t for t in ties_b_all if t[0] in kept and t[1] in kept}
    gained = b - a
    linked = {
        end
        for s, t in ties_b_all
        for end, other in ((s, t), (t, s))
        if end in gained and other in kept
    }
    return Change(
        before=before,
        after=after,
        gained=tuple(sorted(gained)),
        lost=tuple(sorted(a - b)),
        kept=tuple(sorted(kept)),
        turnover=turnover,
        moved_closer=tuple(sorted(c for c in both if close_b[c] < close_a[c])),
        moved_away=tuple(sorted(c for c in both if close_b[c] > close_a[c])),
        ties_gained=tuple(sorted(ties_b - ties_a)),
        ties_lost=tuple(sorted(ties_a - ties_b)),
        newcomers_linked=tuple(sorted(linked)),
        hopes_added=tuple(sorted(hopes_b - hopes_a)),
        hopes_realised=tuple(sorted(hopes_a & b)),
        hopes_let_go=tuple(sorted(hopes_a - hopes_b - b)),
    )


# -- many people at once ---------------------------------------------------------------


def _person_numbers(frame: pd.DataFrame, people: pd.Index) -> np.ndarray:
    """Each row's person number in ``people`` (-1 for someone else), matching only the distinct ids."""
    codes, uniques = _factorize(frame["person_id"])
    return np.append(people.get_indexer(uniques), -1)[codes]  # code -1 (missing) picks the final -1


def _on_dates(frame: pd.DataFrame, person: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Whether each row (of person number ``person``) is of that person's map on ``dates``."""
    if len(dates) == 0:  # nobody to compare (no one has two maps): no row is on a compared date
        return np.zeros(len(frame), dtype=bool)
    when = frame["date"].astype("datetime64[ns]").to_numpy().view("int64")
    return (person >= 0) & (when == dates[np.maximum(person, 0)])


def _id_codes(*columns: pd.Series) -> list[np.ndarray]:
    """Connection ids of several columns as numbers in one code space (equal text, equal number)."""
    parts = []
    for column in columns:
        if not isinstance(column.array, pd.arrays.ArrowStringArray):
            column = column.astype(str)  # as compare(): ids are compared as text
        parts.append(_factorize(column))
    shared = _shared_codes(*parts)
    # A missing id (never in a validated cohort) is one more id of its own, as "nan" was.
    missing = 1 + max((int(codes.max(initial=-1)) for codes in shared), default=-1)
    return [np.where(codes < 0, missing, codes) for codes in shared]


def change_counts(connections: pd.DataFrame, ties: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """What `compare` counts, for many people at once: one row per person of ``pairs``.

    The same numbers as ``compare(before, after).counts`` for each person, computed
    for everyone at once instead of one comparison at a time, so that a cohort of
    thousands takes a second, not minutes: every (``person_id``,
    ``connection_id``) pair gets one integer, each map becomes a set of such
    integers, and gained, lost and kept are set differences and intersections of
    the two maps' sets (ties likewise, as pairs of integers).

    Parameters
    ----------
    connections, ties
        A cohort's ``connections`` and ``ties`` tables (SPEC §2).
    pairs
        One row per person: ``person_id``, ``before`` and ``after`` (the dates of
        the two maps to compare; ``before`` not later than ``after``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` in the order of ``pairs``: the counts of `COUNTS`
        (int64) and ``turnover`` (float, NaN when both maps are empty).

    Examples
    --------
    >>> connections = pd.DataFrame({
    ...     "person_id": ["P1"] * 4, "date": pd.to_datetime(["2025-01-01"] * 2 + ["2025-07-01"] * 2),
    ...     "connection_id": ["A", "B", "A", "C"], "kind": ["person", "person", "person", "group"],
    ...     "closeness": pd.array([2, 1, 1, None], dtype="Int64")})
    >>> ties = pd.DataFrame({"person_id": ["P1"], "date": pd.to_datetime(["2025-07-01"]),
    ...     "source": ["C"], "target": ["A"]})
    >>> pairs = pd.DataFrame({"person_id": ["P1"], "before": pd.to_datetime(["2025-01-01"]),
    ...     "after": pd.to_datetime(["2025-07-01"])})
    >>> counts = change_counts(connections, ties, pairs)
    >>> counts.loc["P1", ["gained", "lost", "kept", "moved_closer", "newcomers_linked"]].tolist()
    [1, 1, 1, 1, 1]
    >>> round(float(counts.loc["P1", "turnover"]), 3)
    0.667
    """
    pairs = pairs[["person_id", "before", "after"]].reset_index(drop=True)
    if pairs["person_id"].duplicated().any():
        raise ValueError("pairs must have one row per person")
    people = pd.Index(pairs["person_id"], name="person_id")
    n = len(people)
    dates = {side: pairs[side].astype("datetime64[ns]").to_numpy().view("int64") for side in ("before", "after")}

    # Only the rows of the two compared maps of each person matter: pick them first
    # (person ids matched as distinct values, never row by row), so that the work
    # below is on those rows alone.
    c_person = _person_numbers(connections, people)
    t_person = _person_numbers(ties, people)
    c_before, c_after = (_on_dates(connections, c_person, dates[side]) for side in ("before", "after"))
    t_before, t_after = (_on_dates(ties, t_person, dates[side]) for side in ("before", "after"))
    c_rows, t_rows = np.flatnonzero(c_before | c_after), np.flatnonzero(t_before | t_after)
    c_before, c_after, t_before, t_after = c_before[c_rows], c_after[c_rows], t_before[t_rows], t_after[t_rows]
    c_person, t_person = c_person[c_rows], t_person[t_rows]
    used = [c for c in ("connection_id", "kind", "closeness", "hope") if c in connections.columns]
    conn = connections[used].iloc[c_rows] if len(c_rows) < len(connections) else connections
    tie = ties[["source", "target"]].iloc[t_rows] if len(t_rows) < len(ties) else ties

    # Number every (person, connection id) pair once, across connections and both
    # ends of the ties, so that sets of connections become sets of integers.
    conn_ids, source_ids, target_ids = _id_codes(conn["connection_id"], tie["source"], tie["target"])
    width = 1 + max((int(codes.max(initial=-1)) for codes in (conn_ids, source_ids, target_ids)), default=0)
    n_conn, n_tie = len(conn), len(tie)
    raw = np.concatenate([c_person * width + conn_ids, t_person * width + source_ids, t_person * width + target_ids])
    key, keys = pd.factorize(raw)  # any numbering of the pairs will do: hashing, not sorting
    key = key.astype(np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    owner = keys // width  # the person number of each key
    conn_key = key[:n_conn]
    source_key, target_key = key[n_conn : n_conn + n_tie], key[n_conn + n_tie :]

    # Hopes (SPEC §11) are kept apart: the other counts are of real connections only.
    hope = conn["hope"].to_numpy(dtype=bool, na_value=False) if "hope" in conn.columns else np.zeros(n_conn, dtype=bool)

    def on_map(rows: np.ndarray) -> np.ndarray:
        out = np.zeros(len(keys), dtype=bool)
        out[conn_key[rows]] = True
        return out

    in_before, in_after = on_map(c_before & ~hope), on_map(c_after & ~hope)
    hope_before, hope_after = on_map(c_before & hope), on_map(c_after & hope)
    kept, gained, lost = in_before & in_after, in_after & ~in_before, in_before & ~in_after

    def per_person(which: np.ndarray) -> np.ndarray:
        return np.bincount(owner[which], minlength=n).astype("int64")

    out = pd.DataFrame(index=people)
    out["gained"], out["lost"], out["kept"] = (per_person(np.flatnonzero(m)) for m in (gained, lost, kept))
    out["hopes_added"] = per_person(np.flatnonzero(hope_after & ~hope_before))
    out["hopes_realised"] = per_person(np.flatnonzero(hope_before & in_after))
    out["hopes_let_go"] = per_person(np.flatnonzero(hope_before & ~hope_after & ~in_after))

    # Closeness of people on each map (the last row wins, as in `compare`); a key
    # with a ring on both maps is a kept person.  A smaller ring is closer.
    is_person = (conn["kind"] == "person").to_numpy(dtype=bool) & conn["closeness"].notna().to_numpy() & ~hope
    ring = conn["closeness"].to_numpy(dtype="float64", na_value=np.nan)

    def rings(on: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.flatnonzero(on & is_person)[::-1]
        unique, first = np.unique(conn_key[rows], return_index=True)
        return unique, ring[rows[first]]

    (k_before, r_before), (k_after, r_after) = rings(c_before), rings(c_after)
    both, i_before, i_after = np.intersect1d(k_before, k_after, assume_unique=True, return_indices=True)
    out["moved_closer"] = per_person(both[r_after[i_after] < r_before[i_before]])
    out["moved_away"] = per_person(both[r_after[i_after] > r_before[i_before]])

    # Ties as unordered pairs of keys, each pair once per map (``size``: to pack a pair in one integer).
    size = max(len(keys), 1)
    low, high = np.minimum(source_key, target_key), np.maximum(source_key, target_key)

    def tie_set(on: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pair = pd.unique(low[on] * size + high[on])  # hashing: the order does not matter here
        return pair // size, pair % size

    (lo_b, hi_b), (lo_a, hi_a) = tie_set(t_before), tie_set(t_after)
    kept_before = kept[lo_b] & kept[hi_b]
    kept_after = kept[lo_a] & kept[hi_a]
    pairs_before = lo_b[kept_before] * size + hi_b[kept_before]
    pairs_after = lo_a[kept_after] * size + hi_a[kept_after]
    out["ties_gained"] = per_person(np.setdiff1d(pairs_after, pairs_before, assume_unique=True) // size)
    out["ties_lost"] = per_person(np.setdiff1d(pairs_before, pairs_after, assume_unique=True) // size)
    linked = np.unique(
        np.concatenate([lo_a[gained[lo_a] & kept[hi_a]], hi_a[gained[hi_a] & kept[lo_a]]])
    )
    out["newcomers_linked"] = per_person(linked)

    union = (out["gained"] + out["lost"] + out["kept"]).to_numpy(dtype=float)
    out["turnover"] = 1 - safe_divide(out["kept"].to_numpy(), union)
    return out[[*COUNTS, "turnover"]]


# -- plain words ---------------------------------------------------------------------


def _labels(snapshot: Snapshot) -> dict[str, str]:
    rows = snapshot.connections
    names = rows["name"] if "name" in rows else pd.Series(pd.NA, index=rows.index)
    return {
        str(cid): (str(name) if isinstance(name, str) and name.strip() else str(cid))
        for cid, name in zip(rows["connection_id"], names)
    }


def _listing(ids: tuple[str, ...], labels: dict[str, str], most: int) -> str:
    words = ", ".join(labels.get(i, i) for i in ids[:most])
    if len(ids) > most:
        words += f" and {len(ids) - most} more"
    return words


def _warm_listing(ids: tuple[str, ...], labels: dict[str, str], most: int) -> str:
    """Names joined the way a person says them: "Boxing club and a job at the café"."""
    names = [labels.get(i, i) for i in ids[:most]]
    if len(ids) > most:
        names.append(f"{len(ids) - most} more")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _hope_lines(change: Change, old: dict[str, str], new: dict[str, str], most: int) -> list[str]:
    """What happened to the hopes, in warm words: a hope that came true is the point of the work."""
    lines = []
    if change.hopes_realised:
        n = len(change.hopes_realised)
        came = "hope came true" if n == 1 else "hopes came true"
        lines.append(f"- {n} {came}: {_warm_listing(change.hopes_realised, old, most)}.")
    if change.hopes_added:
        lines.append(f"- {count(len(change.hopes_added), 'new hope')}: {_warm_listing(change.hopes_added, new, most)}.")
    if change.hopes_let_go:
        n = len(change.hopes_let_go)
        lines.append(f"- {count(n, 'hope')} let go for now: {_warm_listing(change.hopes_let_go, old, most)}.")
    return lines


def _value(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "not known"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))  # type: ignore[arg-type]
    if isinstance(value, (float, np.floating)):
        return f"{value:.2f}"
    return str(value)


def describe(change: Change, *, numbers: bool = True, most: int = 8) -> str:
    """What changed between two maps, in plain words for the coordinator and the young person.

    Connections are called by their ``name`` where the map gives one (by their
    ``connection_id`` otherwise), so this text is for the people who drew the map,
    not for an analyst's output.  ``most`` caps how many names a line lists;
    ``numbers=False`` leaves out the lines of metrics (`NUMBERS`), which need
    `socialcap.metrics`.  Hopes come first, when there are any: "2 hopes came
    true: Boxing club and a job at the café", then new hopes and hopes let go.

    Examples
    --------
    ``print(change)`` gives the same text.

    >>> import socialcap as sc
    >>> timeline = sc.datasets.synthetic(people=30, waves=2, seed=1).timeline("P001")
    >>> print(describe(compare(*timeline.snapshots), most=2))
    From 2 November 2024 to 14 May 2025:
    - 2 new connections: Dev (online), Nkechi upstairs.
    - 1 connection no longer on the map: GP.
    - 3 connections still there: Marlon (mentor), Alina (personal adviser) and 1 more.
    - 2 of the 2 new connections already know someone from before: Dev (online), Nkechi upstairs.
    - Among the connections still there: 1 new link between them, 0 links gone.
    - Turnover: 50% of the connections on either map are new or gone.
    In numbers (before -> after):
    - People in the map: 4 -> 5
    - People not paid to be there: 1 -> 3
    - Closest people not paid to be there: 0 -> 0
    - Groups: 0 -> 0
    - Places: 0 -> 0
    - Social network score (LSNS-6, 0-30): 1 -> 2
    - Isolated (LSNS-6 under 12): yes -> yes
    - Loneliness score (UCLA-3, 3-9): 7 -> not known
    - Feels lonely (UCLA-3 of 6 or more): yes -> not known
    """
    before, after = change.before, change.after
    old, new = _labels(before), _labels(after)
    lines = [f"From {long_date(before.date)} to {long_date(after.date)}:"]
    lines += _hope_lines(change, old, new, most)
    if change.gained:
        lines.append(f"- {count(len(change.gained), 'new connection')}: {_listing(change.gained, new, most)}.")
    else:
        lines.append("- No new connections.")
    if change.lost:
        lines.append(
            f"- {count(len(change.lost), 'connection')} no longer on the map: {_listing(change.lost, old, most)}."
        )
    else:
        lines.append("- Nobody and nothing left the map.")
    if change.kept:
        lines.append(f"- {count(len(change.kept), 'connection')} still there: {_listing(change.kept, new, most)}.")
    if change.moved_closer:
        lines.append(f"- {len(change.moved_closer)} moved closer: {_listing(change.moved_closer, new, most)}.")
    if change.moved_away:
        lines.append(
            f"- {len(change.moved_away)} moved further out: {_listing(change.moved_away, new, most)}."
        )
    if change.gained and change.kept:
        n, of = len(change.newcomers_linked), len(change.gained)
        who = f": {_listing(change.newcomers_linked, new, most)}" if n else ""
        if of == 1:
            lines.append(
                "- The new connection already knows someone from before."
                if n
                else "- The new connection does not know anyone from before yet."
            )
        else:
            knows = "knows" if n == 1 else "know"
            lines.append(f"- {n} of the {of} new connections already {knows} someone from before{who}.")
    if change.ties_gained or change.ties_lost:
        lines.append(
            f"- Among the connections still there: {count(len(change.ties_gained), 'new link')} "
            f"between them, {count(len(change.ties_lost), 'link')} gone."
        )
    if not math.isnan(change.turnover):
        lines.append(
            f"- Turnover: {change.turnover:.0%} of the connections on either map are new or gone."
        )
    if numbers:
        table = change.metrics
        shown = [name for name in NUMBERS if name in table.index]
        if shown:
            lines.append("In numbers (before -> after):")
            for name in shown:
                row = table.loc[name]
                lines.append(f"- {NUMBERS[name]}: {_value(row['before'])} -> {_value(row['after'])}")
    return "\n".join(lines)
