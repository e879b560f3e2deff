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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .graph import Snapshot

__all__ = ["Change", "compare"]

Tie = tuple[str, str]


def _tie_set(snapshot: Snapshot) -> set[Tie]:
    ties = snapshot.ties
    return {tuple(sorted((str(s), str(t)))) for s, t in zip(ties["source"], ties["target"])}  # type: ignore[misc]


def _closeness(snapshot: Snapshot) -> dict[str, int]:
    rows = snapshot.connections
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

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """Every metric before and after, and the change (``after − before``), one row per metric."""
        before = self.before.metrics()
        after = self.after.metrics()
        table = pd.DataFrame({"before": before, "after": after})
        numeric = table.apply(pd.to_numeric, errors="coerce")
        table["change"] = numeric["after"] - numeric["before"]
        return table

    @property
    def person_id(self) -> str:
        return self.after.person_id

    def __repr__(self) -> str:
        return (
            f"<Change {self.person_id} {self.before.date.isoformat()} → {self.after.date.isoformat()}: "
            f"{len(self.gained)} gained, {len(self.lost)} lost, {len(self.kept)} kept>"
        )


def compare(before: Snapshot, after: Snapshot) -> Change:
    """Compare two snapshots of the same person (``before`` earlier than ``after``).

    Raises ``ValueError`` when the snapshots are of different people or in the
    wrong order.
    """
    if before.person_id != after.person_id:
        raise ValueError(
            f"these snapshots are of two different people ({before.person_id} and {after.person_id}); "
            "compare two snapshots of the same person"
        )
    if before.date > after.date:
        raise ValueError(
            f"the first snapshot ({before.date}) is later than the second ({after.date}); "
            "give the earlier one first"
        )
    a = set(before.connections["connection_id"])
    b = set(after.connections["connection_id"])
    kept = a & b
    union = a | b
    turnover = 1 - len(kept) / len(union) if union else math.nan
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
    )
