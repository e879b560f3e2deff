"""The cohort's tables as flat numpy arrays, keyed by snapshot, for vectorised metrics.

`SnapshotArrays` turns the connection and tie tables of a whole cohort into
arrays that line up row for row with ``cohort.connections`` (and a deduplicated
list of ties between people), each row knowing the position of its snapshot in
``cohort.snapshots``.  Every metric of SPEC §3 is then one or two
`numpy.bincount` calls over these arrays, for all snapshots at once, instead of
one graph per snapshot built in a Python loop.

Everything is computed on first use and kept, so metrics share the work.  The
tricks that make a cohort of millions of rows take about a second:

* rows of one snapshot are usually next to each other, so the snapshot of a row
  is found by comparing each row with the one before and looking up only the
  first row of each run;
* text columns with few distinct values (kind, domain, contact, the ``;`` support
  lists) are factorised once and each distinct value is decoded once;
* a repeated or reversed tie is dropped with one sort of packed integer keys and
  a comparison with the neighbour (much faster than `numpy.unique`);
* the components of all snapshots are found at once, on one block-diagonal graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from . import vocab
from ._validate import _factorize  # pyarrow dictionary encoding: several times faster for text

if TYPE_CHECKING:  # pragma: no cover
    from .cohort import Cohort

__all__ = ["SnapshotArrays", "SUPPORT_BITS", "support_mask", "lsns_score"]

#: The bit of each support type in the masks of `SnapshotArrays.received` and `.given`.
SUPPORT_BITS: dict[str, int] = {t: 1 << i for i, t in enumerate(vocab.SUPPORT_TYPES)}

# LSNS-6 scores a count 0→0, 1→1, 2→2, 3–4→3, 5–8→4, 9+→5: the lower edges of bins 1..5.
_LSNS_EDGES = np.array([1, 2, 3, 5, 9])


def lsns_score(count: np.ndarray | int) -> np.ndarray:
    """Score LSNS-6 counts: 0→0, 1→1, 2→2, 3–4→3, 5–8→4, 9 or more→5.

    >>> lsns_score(np.array([0, 1, 2, 3, 4, 5, 8, 9, 30])).tolist()
    [0, 1, 2, 3, 3, 4, 4, 5, 5]
    """
    return np.digitize(count, _LSNS_EDGES)


def support_mask(text: object) -> int:
    """The bit mask of one ``;``-separated support list (0 for missing or empty).

    >>> support_mask("emotional;company") == SUPPORT_BITS["emotional"] | SUPPORT_BITS["company"]
    True
    >>> support_mask(None)
    0
    """
    if not isinstance(text, str):
        return 0
    return sum(SUPPORT_BITS.get(item.strip(), 0) for item in set(text.split(";")))


def _codes(series: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    """Each value's position in ``words`` (int8), -1 for missing or unknown values."""
    codes, uniques = _factorize(series)
    lookup = {w: i for i, w in enumerate(words)}
    table = np.array([lookup.get(u, -1) for u in uniques] + [-1], dtype=np.int8)
    return table[codes]  # code -1 (missing) picks the final -1


def _masks(series: pd.Series) -> np.ndarray:
    """Each ``;`` support list as a bit mask (uint8), decoding each distinct text once."""
    codes, uniques = _factorize(series)
    table = np.array([support_mask(u) for u in uniques] + [0], dtype=np.uint8)
    return table[codes]


def _not_equal_to_previous(series: pd.Series) -> np.ndarray:
    """``True`` where a row differs from the row before it (and for the first row)."""
    values = series.array
    out = np.ones(len(series), dtype=bool)
    if len(series) > 1:
        differs = values[1:] != values[:-1]
        if isinstance(differs, np.ndarray):
            out[1:] = differs
        else:  # a nullable boolean array: a missing comparison counts as a change
            out[1:] = differs.to_numpy(dtype=bool, na_value=True)
    return out


def _snapshot_positions(frame: pd.DataFrame, snapshots: pd.MultiIndex) -> np.ndarray:
    """The position in ``snapshots`` of each row's (person_id, date); -1 when absent."""
    if len(frame) == 0:
        return np.empty(0, dtype=np.int64)
    # Rows of one snapshot usually sit together: look up only the first of each run.
    heads = np.flatnonzero(_not_equal_to_previous(frame["person_id"]) | _not_equal_to_previous(frame["date"]))
    keys = pd.MultiIndex.from_arrays([frame["person_id"].iloc[heads], frame["date"].iloc[heads]])
    found = snapshots.get_indexer(keys).astype(np.int64)
    lengths = np.diff(np.append(heads, len(frame)))
    return np.repeat(found, lengths)


def _pack_sort(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort non-negative int64 ``keys``; return them sorted and the order (an argsort).

    Packs the row number into the low bits so that a plain sort (about three times
    faster than `numpy.argsort`) does the work, when the keys leave room for it.
    """
    n = len(keys)
    row_bits = max(int(n - 1).bit_length(), 1)
    top = int(keys.max(initial=0))
    if top.bit_length() + row_bits <= 62:
        packed = np.sort((keys << row_bits) | np.arange(n, dtype=np.int64))
        return packed >> row_bits, packed & ((1 << row_bits) - 1)
    order = np.argsort(keys, kind="stable")
    return keys[order], order


@dataclass(frozen=True, eq=False)
class SnapshotArrays:
    """A cohort as flat arrays for computing a metric of every snapshot at once.

    Connection arrays (``snapshot``, ``is_person``, ``domain``…) have one entry per
    row of ``cohort.connections``; tie arrays (``tie_a``, ``tie_b``,
    ``tie_snapshot``) one entry per distinct tie between two people (the set T of
    SPEC §3), as row positions in ``cohort.connections``.  A vectorised metric
    returns one value per row of ``cohort.snapshots``, in that order; `count` and
    `total` do most of the work.

    Examples
    --------
    A vectorised metric counting the online friends in every snapshot:

    >>> import socialcap as sc
    >>> def online_people(arrays):
    ...     online = arrays.domain == sc.vocab.DOMAINS.index("online")
    ...     return arrays.count(arrays.is_person & online)
    """

    cohort: Cohort

    # -- snapshots --------------------------------------------------------------------

    @property
    def snapshots(self) -> pd.DataFrame:
        """``cohort.snapshots``: the rows every metric gives one value for, in order."""
        return self.cohort.snapshots

    @property
    def connections(self) -> pd.DataFrame:
        """``cohort.connections``: the rows the connection arrays line up with."""
        return self.cohort.connections

    @cached_property
    def n(self) -> int:
        """The number of snapshots."""
        return len(self.cohort.snapshots)

    @cached_property
    def index(self) -> pd.MultiIndex:
        """The (person_id, date) of each snapshot: the index of the metrics table."""
        snaps = self.cohort.snapshots
        return pd.MultiIndex.from_arrays(
            [snaps["person_id"], snaps["date"].astype("datetime64[ns]")], names=["person_id", "date"]
        )

    def count(self, mask: np.ndarray) -> np.ndarray:
        """How many connection rows in each snapshot have ``mask`` true (int64, one per snapshot)."""
        groups = self._groups
        if groups is not None:  # rows grouped by snapshot: add up each run, no large temporaries
            out = np.zeros(self.n, dtype=np.int64)
            if len(groups[0]):
                out[groups[1]] = np.add.reduceat(mask.view(np.uint8), groups[0], dtype=np.int64)
            return out
        return np.bincount(self.snapshot[mask], minlength=self.n)[: self.n]

    def total(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """The sum of ``values`` over each snapshot's connection rows (where ``mask``), as float."""
        values = np.asarray(values, dtype=float)
        if mask is not None:
            values = np.where(mask, values, 0.0)
        groups = self._groups
        if groups is not None:
            out = np.zeros(self.n, dtype=float)
            if len(groups[0]):
                out[groups[1]] = np.add.reduceat(values, groups[0])
            return out
        return np.bincount(self.snapshot, weights=values, minlength=self.n)[: self.n]

    @cached_property
    def _groups(self) -> tuple[np.ndarray, np.ndarray] | None:
        """When rows are sorted by snapshot: the first row of each run and its snapshot; else None."""
        snap = self.snapshot
        if len(snap) > 1 and (snap[1:] < snap[:-1]).any():
            return None
        starts = np.flatnonzero(np.diff(snap, prepend=-1))
        return starts, snap[starts]

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per cohort, shared by every metric that asks for ``key``."""
        store = self.__dict__.setdefault("_shared", {})
        if key not in store:
            store[key] = compute()
        return store[key]

    # -- connections ------------------------------------------------------------------

    @cached_property
    def snapshot(self) -> np.ndarray:
        """The position of each connection row's snapshot in ``cohort.snapshots``."""
        found = _snapshot_positions(self.cohort.connections, self.index)
        if (found < 0).any():  # a hand-built Cohort whose snapshots table misses a snapshot
            raise ValueError("some connections belong to no row of the cohort's snapshots table")
        return found

    @cached_property
    def kind(self) -> np.ndarray:
        """Each connection's position in ``vocab.KINDS`` (0 person, 1 group, 2 place)."""
        return _codes(self.cohort.connections["kind"], vocab.KINDS)

    @cached_property
    def is_hope(self) -> np.ndarray:
        """Hopes (SPEC §11): rows with ``hope`` true, wished for and not there yet."""
        connections = self.cohort.connections
        if "hope" not in connections.columns:
            return np.zeros(len(connections), dtype=bool)
        return connections["hope"].to_numpy(dtype=bool, na_value=False)

    @cached_property
    def is_real(self) -> np.ndarray:
        """Real connections: every row that is not a hope (the only rows the metrics of SPEC §3 count)."""
        return ~self.is_hope

    @cached_property
    def is_person(self) -> np.ndarray:
        """Connections of kind ``person`` (the set P; hopes are not in it)."""
        return (self.kind == 0) & self.is_real

    @cached_property
    def paid(self) -> np.ndarray:
        """Paid, formal connections (``paid`` true)."""
        return self.cohort.connections["paid"].to_numpy(dtype=bool, na_value=False)

    @cached_property
    def is_informal(self) -> np.ndarray:
        """People who are not paid (the set I)."""
        return self.is_person & ~self.paid

    @cached_property
    def domain(self) -> np.ndarray:
        """Each connection's position in ``vocab.DOMAINS``."""
        return _codes(self.cohort.connections["domain"], vocab.DOMAINS)

    @cached_property
    def closeness(self) -> np.ndarray:
        """Each connection's closeness (1, 2, 3) as float, NaN where not given."""
        return self.cohort.connections["closeness"].to_numpy(dtype=float, na_value=np.nan)

    @cached_property
    def contact(self) -> np.ndarray:
        """Each connection's position in ``vocab.CONTACT``, -1 where not given."""
        return _codes(self.cohort.connections["contact"], vocab.CONTACT)

    @cached_property
    def received(self) -> np.ndarray:
        """``support_received`` as bit masks (see `SUPPORT_BITS`)."""
        return _masks(self.cohort.connections["support_received"])

    @cached_property
    def given(self) -> np.ndarray:
        """``support_given`` as bit masks (see `SUPPORT_BITS`)."""
        return _masks(self.cohort.connections["support_given"])

    # -- ties between people (T) ----------------------------------------------------------

    @cached_property
    def _connection_ids(self) -> tuple[np.ndarray, pd.Index]:
        """Each connection row's id as a number, and the ids those numbers stand for."""
        codes, ids = _factorize(self.cohort.connections["connection_id"])
        return codes, pd.Index(ids)

    @cached_property
    def _tie_snapshot_rows(self) -> np.ndarray:
        """The snapshot position of each row of ``cohort.ties`` (-1 for none)."""
        return _snapshot_positions(self.cohort.ties, self.index)

    def _tie_end_codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A tie end column factorised: codes and uniques (numbered against connection ids later)."""
        return self.shared(f"tie_{column}", lambda: _factorize(self.cohort.ties[column]))

    def prepare(self, threads: int = 2) -> SnapshotArrays:
        """Decode the text columns every built-in metric needs, ``threads`` at a time.

        Decoding text (pyarrow hashing, numpy) releases the GIL, so on a machine with
        two cores this roughly halves the time of the first metric.  Returns self.
        """
        steps: list[Callable[[], Any]] = [
            lambda: self._connection_ids,
            lambda: self._tie_end_codes("source"),
            lambda: self._tie_end_codes("target"),
            lambda: self.kind,
            lambda: self.domain,
            lambda: self.contact,
            lambda: self.received,
            lambda: self.given,
            lambda: self.snapshot,
            lambda: self._tie_snapshot_rows,
        ]
        if threads <= 1 or len(self.cohort.connections) < 50_000:
            for step in steps:
                step()
            return self
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            for future in [pool.submit(step) for step in steps]:
                future.result()
        return self

    @cached_property
    def _ties(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct ties whose two ends are people: (low row, high row), sorted."""
        connections, ties = self.cohort.connections, self.cohort.ties
        empty = np.empty(0, dtype=np.int64)
        if len(ties) == 0 or len(connections) == 0:
            return empty, empty
        tie_snap = self._tie_snapshot_rows
        # One shared numbering of connection ids; a tie end is then (snapshot, id number).
        conn_codes, known = self._connection_ids
        ends = []
        for column in ("source", "target"):
            codes, uniques = self._tie_end_codes(column)
            ends.append(np.append(known.get_indexer(uniques), -1).astype(np.int32)[codes])
        conn_ids = known
        width = len(conn_ids) + 1
        # int32 keys when they fit (as they almost always do): half the memory to stream through.
        small = np.int32 if self.n * width < 2**31 - 1 else np.int64
        conn_key = self.snapshot.astype(small) * width + conn_codes.astype(small)
        tie_snap = tie_snap.astype(small)
        tie_keys = [np.where((end >= 0) & (tie_snap >= 0), tie_snap * width + end.astype(small), -1) for end in ends]
        if self.n * width <= 8 * len(connections) + (1 << 20):
            # Few distinct ids (the usual C01, C02…): a dense (snapshot, id) -> row table.
            table = np.full(self.n * width + 1, -1, dtype=np.int32 if len(connections) < 2**31 else np.int64)
            table[conn_key] = np.arange(len(connections), dtype=table.dtype)
            rows = [table[key] for key in tie_keys]  # key -1 reads the final -1
        else:
            sorted_keys, order = _pack_sort(conn_key.astype(np.int64))
            rows = []
            for key in tie_keys:
                pos = np.searchsorted(sorted_keys, key).clip(0, len(sorted_keys) - 1)
                rows.append(np.where((sorted_keys[pos] == key) & (key >= 0), order[pos], -1))
        a, b = rows
        # Both ends must be people (a missing end, -1, reads the appended False).
        is_person = np.append(self.is_person, False)
        keep = is_person[a] & is_person[b] & (a != b)
        a, b = a[keep].astype(np.int64), b[keep].astype(np.int64)
        # A repeated or reversed tie counts once: sort (low, high) keys, keep the first of each.
        size = len(connections)
        key = np.sort(np.minimum(a, b) * size + np.maximum(a, b))
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key = key[first]
        return key // size, key % size

    @property
    def tie_a(self) -> np.ndarray:
        """One end of each distinct tie between two people (a connection row position)."""
        return self._ties[0]

    @property
    def tie_b(self) -> np.ndarray:
        """The other end of each distinct tie between two people."""
        return self._ties[1]

    @cached_property
    def tie_snapshot(self) -> np.ndarray:
        """The snapshot position of each distinct tie between two people."""
        return self.snapshot[self.tie_a]

    @cached_property
    def ties(self) -> np.ndarray:
        """|T|: the number of distinct ties between two people, per snapshot."""
        return np.bincount(self.tie_snapshot, minlength=self.n)[: self.n]

    @cached_property
    def degree(self) -> np.ndarray:
        """Each connection row's number of distinct ties in T (0 for groups and places)."""
        rows = len(self.cohort.connections)
        return np.bincount(self.tie_a, minlength=rows) + np.bincount(self.tie_b, minlength=rows)

    @cached_property
    def components(self) -> np.ndarray:
        """Connected components of (P, T) per snapshot, isolated people included."""
        person_rows = np.flatnonzero(self.is_person)
        if len(person_rows) == 0:
            return np.zeros(self.n, dtype=np.int64)
        # Number people 0..|P|-1; every snapshot is one block of a block-diagonal graph.
        number = np.full(len(self.is_person), -1, dtype=np.int64)
        number[person_rows] = np.arange(len(person_rows))
        m = len(person_rows)
        graph = coo_matrix(
            (np.ones(len(self.tie_a), dtype=np.int8), (number[self.tie_a], number[self.tie_b])), shape=(m, m)
        ).tocsr()
        count, labels = connected_components(graph, directed=False)
        component_snapshot = np.empty(count, dtype=np.int64)
        component_snapshot[labels] = self.snapshot[person_rows]
        return np.bincount(component_snapshot, minlength=self.n)[: self.n]

    @cached_property
    def constraint(self) -> np.ndarray:
        """Burt's constraint of the centre per snapshot (see `socialcap.metrics.constraint`)."""
        # With p_uv = 1/deg(u) in the graph centre+P+T, every person w of P contributes
        # (1/n + (1/n) Σ_{q tied to w} 1/(1 + t_q))² where t_q counts q's ties in T.
        inverse = 1.0 / (1.0 + self.degree)
        reach = np.bincount(self.tie_a, weights=inverse[self.tie_b], minlength=len(inverse))
        reach += np.bincount(self.tie_b, weights=inverse[self.tie_a], minlength=len(inverse))
        people = self.count(self.is_person).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.total((1.0 + reach) ** 2, self.is_person) / people**2
