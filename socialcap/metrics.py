"""Metrics of a map: how many people, how connected, how supported, how isolated (SPEC §3).

Each metric is one small function of a `Snapshot` that reads the snapshot's
graph: the readable reference, with its formula, its meaning in plain words and
its source.  Each is registered together with a vectorised twin that computes it
for every snapshot of a cohort at once (see `SnapshotArrays`); a property test
proves the two agree.

In the formulas, P is the set of connections of kind ``person``, I those of P
who are not paid, T the distinct ties whose two ends are both in P, and n = |P|.
The person at the centre is never counted.  A ratio is NaN where it would divide
by zero.  Hopes (SPEC §11: people, groups or places the young person would like
in their life and does not have yet) are not connections: they count in no
metric except `hopes`.

* `snapshot_metrics` — every registered metric of one snapshot, a `pandas.Series`.
* `cohort_metrics` — the whole table, one row per snapshot, indexed by
  (person_id, date), optionally with people.csv columns.
* `register` — add a metric of your own (it then appears in both).
* `write_metrics` — write a table as CSV, Parquet or Excel, by the file's ending.

Examples
--------
The worked example used throughout this module: five people (A–E; E is a paid
worker), a group G and a place H; ties A–B (listed twice, once reversed), A–C,
and A–G (a person–group tie, which is not in T).

>>> snap = _worked_example()
>>> m = snap.metrics()
>>> m[["people", "informal_people", "paid_people", "groups", "places"]].tolist()
[5, 4, 1, 1, 1]
>>> float(m["density"]), int(m["components"]), int(m["isolates"]), float(m["effective_size"])
(0.2, 3, 2, 4.2)
>>> m[["lsns6_family", "lsns6_friends", "lsns6", "isolated", "ucla3", "lonely"]].tolist()
[5.0, 1.0, 6.0, True, 7.0, True]

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*.
Harvard University Press.
Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
Lubben, J. et al. (2006). Performance of an abbreviated version of the Lubben
Social Network Scale among three European community-dwelling older adult
populations. *The Gerontologist* 46(4), 503–513.
Tracy, E. M. & Whittaker, J. K. (1990). The social network map: assessing social
support in clinical practice. *Families in Society* 71(8), 461–470.
Hughes, M. E. et al. (2004). A short scale for measuring loneliness in large
surveys. *Research on Aging* 26(6), 655–672.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from . import vocab
from ._metrics_arrays import SUPPORT_BITS, SnapshotArrays, lsns_score
from ._pages import small_pages
from ._words import ratio, safe_divide
from .cohort import Cohort
from .graph import Snapshot

if TYPE_CHECKING:  # pragma: no cover - networkx is imported where a graph is computed
    import networkx as nx

__all__ = [
    "Metric",
    "METRICS",
    "ISOLATED_BELOW",
    "LONELY_FROM",
    "MetricLabels",
    "SnapshotArrays",
    "DTYPES",
    "register",
    "unregister",
    "metric_names",
    "snapshot_metrics",
    "cohort_metrics",
    "write_metrics",
    "METRICS_ENDINGS",
    "lsns_score",
    # the metrics of SPEC §3, in table order
    "people",
    "informal_people",
    "paid_people",
    "paid_share",
    "close_informal",
    "groups",
    "places",
    "domains",
    "diversity",
    "density",
    "components",
    "isolates",
    "effective_size",
    "constraint",
    "emotional_support",
    "practical_support",
    "advice_support",
    "company_support",
    "supporters",
    "informal_supporters",
    "gives_support",
    "reciprocal",
    "lsns6_family",
    "lsns6_friends",
    "lsns6",
    "isolated",
    "ucla3",
    "lonely",
    "ons_lonely",
    "hopes",
]

#: The column types a metric may have: counts, measures (NaN where undefined),
#: yes/no (missing where undefined) and text.
DTYPES: tuple[str, ...] = ("int64", "float64", "boolean", "str")

#: LSNS-6 below this is the usual mark of social isolation (Lubben et al. 2006): `isolated`.
ISOLATED_BELOW = 12
#: UCLA-3 at or above this is feeling lonely (Hughes et al. 2004): `lonely`.
LONELY_FROM = 6

SnapshotFunction = Callable[[Snapshot], Any]
CohortFunction = Callable[[SnapshotArrays], Any]


# -- the registry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One registered metric: its column name, how to compute it, and its column type.

    Attributes
    ----------
    name
        The column of the metrics table.
    snapshot
        The reference: a function of one `Snapshot` returning one value.
    cohort
        Optional vectorised twin: a function of `SnapshotArrays` returning one
        value per row of ``cohort.snapshots``, in order.  Without it,
        `cohort_metrics` calls ``snapshot`` on every snapshot.
    dtype
        One of `DTYPES`.
    label
        How the metric is named on an axis, in a table or a sentence, in plain words.
    meaning
        One plain-words sentence a coordinator would understand (the report's
        definitions); by default the first line of the reference's docstring.
    threshold
        The cut-off a yes/no metric applies, if any (`ISOLATED_BELOW`, `LONELY_FROM`).
    """

    name: str
    snapshot: SnapshotFunction
    cohort: CohortFunction | None = None
    dtype: str = "float64"
    label: str = ""
    meaning: str = ""
    threshold: float | None = None

    @property
    def description(self) -> str:
        """The first line of the reference function's docstring."""
        doc = (self.snapshot.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""


#: Every registered metric by name, in table order.  Change it with `register`.
METRICS: dict[str, Metric] = {}


class MetricLabels(Mapping[str, str]):
    """The registered metrics' labels by name, read live from `METRICS` (or only ``names``).

    >>> MetricLabels(["people", "isolated"])["isolated"]
    'Isolated (LSNS-6 under 12)'
    >>> list(MetricLabels(["people", "no_such_metric"]))
    ['people']
    """

    def __init__(self, names: Iterable[str] | None = None) -> None:
        self._names = None if names is None else tuple(names)

    def __getitem__(self, name: str) -> str:
        if name not in METRICS or (self._names is not None and name not in self._names):
            raise KeyError(name)
        return METRICS[name].label

    def __iter__(self) -> Iterator[str]:
        return iter([n for n in (self._names if self._names is not None else METRICS) if n in METRICS])

    def __len__(self) -> int:
        return sum(1 for _ in self)


@overload
def register(
    name: str, snapshot: SnapshotFunction, *, cohort: CohortFunction | None = ..., dtype: str = ...,
    label: str | None = ..., meaning: str | None = ..., threshold: float | None = ..., replace: bool = ...
) -> Metric: ...
@overload
def register(
    name: str, snapshot: None = ..., *, cohort: CohortFunction | None = ..., dtype: str = ...,
    label: str | None = ..., meaning: str | None = ..., threshold: float | None = ..., replace: bool = ...
) -> Callable[[SnapshotFunction], SnapshotFunction]: ...
def register(
    name: str,
    snapshot: SnapshotFunction | None = None,
    *,
    cohort: CohortFunction | None = None,
    dtype: str = "float64",
    label: str | None = None,
    meaning: str | None = None,
    threshold: float | None = None,
    replace: bool = False,
) -> Metric | Callable[[SnapshotFunction], SnapshotFunction]:
    """Add a metric: it becomes a column of `snapshot_metrics` and `cohort_metrics`.

    Parameters
    ----------
    name
        The column name (a Python identifier, not already registered).
    snapshot
        A function of one `Snapshot` returning one value.  Leave it out to use
        `register` as a decorator.
    cohort
        Optional: a function of `SnapshotArrays` returning one value per snapshot
        of the cohort, in the order of ``cohort.snapshots``.  When given, large
        cohorts are fast; when not, `cohort_metrics` calls ``snapshot`` on every
        snapshot (correct, just slower).
    dtype
        ``"int64"`` (a count, never missing), ``"float64"`` (NaN where undefined),
        ``"boolean"`` (missing where undefined) or ``"str"``.
    label
        Its name on axes, tables and in `socialcap.describe` (default: the name in words,
        ``"Online people"``).
    meaning
        One plain-words sentence (default: the first line of the function's docstring).
    threshold
        The cut-off of a yes/no metric, if it has one.
    replace
        Allow replacing a metric already registered under ``name``.

    Examples
    --------
    >>> @register("online_people", dtype="int64")
    ... def online_people(snapshot):
    ...     '''People the person knows online.'''
    ...     return int((snapshot.connections["domain"] == "online").sum())
    >>> "online_people" in metric_names(), METRICS["online_people"].label
    (True, 'Online people')
    >>> int(_worked_example().metrics()["online_people"])
    0
    >>> unregister("online_people")
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"a metric name must be a word like 'online_people', not {name!r}")
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype!r} is not one of: {', '.join(DTYPES)}")
    if name in METRICS and not replace:
        raise ValueError(f"a metric named {name!r} is already registered (pass replace=True to replace it)")

    def add(function: SnapshotFunction) -> SnapshotFunction:
        if not callable(function) or (cohort is not None and not callable(cohort)):
            raise TypeError(f"metric {name!r}: snapshot and cohort must be functions")
        doc = (function.__doc__ or "").strip()
        METRICS[name] = Metric(
            name=name, snapshot=function, cohort=cohort, dtype=dtype,
            label=label or name.replace("_", " ").capitalize(),
            meaning=meaning or (doc.splitlines()[0] if doc else ""), threshold=threshold,
        )
        return function

    if snapshot is None:
        return add
    add(snapshot)
    return METRICS[name]


def unregister(name: str) -> None:
    """Remove a registered metric.

    >>> unregister("no_such_metric")
    Traceback (most recent call last):
    ...
    KeyError: "no metric named 'no_such_metric' is registered"
    """
    if name not in METRICS:
        raise KeyError(f"no metric named {name!r} is registered")
    del METRICS[name]


def metric_names() -> list[str]:
    """The registered metrics' names, in table order.

    >>> metric_names()[:3]
    ['people', 'informal_people', 'paid_people']
    """
    return list(METRICS)


# -- reading a snapshot's graph (the reference path) ----------------------------------------


def _connections(snapshot: Snapshot) -> dict[Any, dict[str, Any]]:
    """Every connection node of the snapshot's graph with its attributes (hopes left out: not there yet)."""
    return {
        n: d for n, d in snapshot.graph.nodes(data=True) if d.get("role") == "connection" and not d.get("hope")
    }


def _people(snapshot: Snapshot) -> dict[Any, dict[str, Any]]:
    """P: the connections of kind person."""
    return {n: d for n, d in _connections(snapshot).items() if d.get("kind") == "person"}


def _is_paid(attrs: Mapping[str, Any]) -> bool:
    return bool(attrs.get("paid", vocab.default_paid(str(attrs.get("domain")))))


def _informal(snapshot: Snapshot) -> dict[Any, dict[str, Any]]:
    """I: the people of P who are not paid."""
    return {n: d for n, d in _people(snapshot).items() if not _is_paid(d)}


def _support(attrs: Mapping[str, Any], column: str) -> set[str]:
    """The support types of a connection's ``support_received`` or ``support_given``."""
    text = attrs.get(column)
    return {t for t in str(text).split(";") if t} if isinstance(text, str) else set()


def _ego(snapshot: Snapshot) -> nx.Graph:
    """The unweighted graph centre + P + T (groups, places and their ties left out)."""
    import networkx as nx

    return nx.Graph(snapshot.graph.subgraph([snapshot.person_id, *_people(snapshot)]))


def _tie_graph(snapshot: Snapshot) -> nx.Graph:
    """The graph (P, T): people and the ties between them, without the centre."""
    import networkx as nx

    return nx.Graph(snapshot.graph.subgraph(_people(snapshot)))


# -- size and composition --------------------------------------------------------------------


def people(snapshot: Snapshot) -> int:
    """The number of people in the map.

    .. math:: \\mathrm{people} = |P|

    A coordinator would say: how many people the young person named, paid workers
    included; groups and places are counted separately.

    >>> people(_worked_example())
    5
    """
    return len(_people(snapshot))


def informal_people(snapshot: Snapshot) -> int:
    """The number of people in the map who are not paid to be there.

    .. math:: \\mathrm{informal\\_people} = |I|

    Family, friends, neighbours…: the people who are there because they choose to
    be, not because it is their job.

    >>> informal_people(_worked_example())
    4
    """
    return len(_informal(snapshot))


def paid_people(snapshot: Snapshot) -> int:
    """The number of paid, formal people (workers, professionals).

    .. math:: \\mathrm{paid\\_people} = |P| - |I|

    >>> paid_people(_worked_example())
    1
    """
    return len(_people(snapshot)) - len(_informal(snapshot))


def paid_share(snapshot: Snapshot) -> float:
    """The share of the people in the map who are paid; NaN when there is nobody.

    .. math:: \\mathrm{paid\\_share} = (|P| - |I|) / |P|

    A map made mostly of professionals is a sign of a life run by services
    rather than by relationships.

    >>> paid_share(_worked_example())
    0.2
    """
    return ratio(paid_people(snapshot), people(snapshot))


def close_informal(snapshot: Snapshot) -> int:
    """The number of unpaid people in the closest ring (closeness 1).

    .. math:: |\\{i \\in I : \\mathrm{closeness}_i = 1\\}|

    The people the young person feels closest to, not counting workers.

    >>> close_informal(_worked_example())
    2
    """
    return sum(1 for d in _informal(snapshot).values() if d.get("closeness") == 1)


def groups(snapshot: Snapshot) -> int:
    """The number of groups in the map (clubs, teams, faith groups, classes…).

    >>> groups(_worked_example())
    1
    """
    return sum(1 for d in _connections(snapshot).values() if d.get("kind") == "group")


def places(snapshot: Snapshot) -> int:
    """The number of places in the map (a café, the gym, the library…).

    >>> places(_worked_example())
    1
    """
    return sum(1 for d in _connections(snapshot).values() if d.get("kind") == "place")


def domains(snapshot: Snapshot) -> int:
    """The number of different parts of life the people come from (family, friends, work…).

    .. math:: |\\{\\mathrm{domain}_p : p \\in P\\}|

    >>> domains(_worked_example())
    4
    """
    return len({d.get("domain") for d in _people(snapshot).values()})


def diversity(snapshot: Snapshot) -> float:
    """Blau's index of how evenly the people spread over the parts of life; NaN when there is nobody.

    .. math:: \\mathrm{diversity} = 1 - \\sum_d p_d^2, \\qquad p_d = |\\{p \\in P : \\mathrm{domain}_p = d\\}| / |P|

    0 when everyone comes from one part of life (all family, say); closer to 1
    when the people come from many parts of life in similar numbers.  It is the
    chance that two people picked at random come from different parts of life.

    >>> round(diversity(_worked_example()), 4)
    0.72

    References
    ----------
    Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
    """
    found = [d.get("domain") for d in _people(snapshot).values()]
    if not found:
        return math.nan
    shares = pd.Series(found).value_counts(normalize=True)
    return float(1 - (shares**2).sum())


# -- structure ---------------------------------------------------------------------------------


def density(snapshot: Snapshot) -> float:
    """The share of pairs of people who know each other; NaN with fewer than two people.

    .. math:: \\mathrm{density} = \\frac{|T|}{|P|(|P|-1)/2}

    Near 1: everyone knows everyone (a close-knit world, which can also be a
    closed one).  Near 0: the people in the map do not know each other.

    >>> density(_worked_example())
    0.2
    """
    n = people(snapshot)
    return ratio(_tie_graph(snapshot).number_of_edges(), n * (n - 1) / 2) if n >= 2 else math.nan


def components(snapshot: Snapshot) -> int:
    """The number of separate clusters of people who know each other (0 when there is nobody).

    The connected components of the graph (P, T), a person who knows nobody else
    in the map being a cluster of their own.  Several clusters mean separate
    worlds (family here, college friends there) that only meet in the young person.

    >>> components(_worked_example())
    3
    """
    import networkx as nx

    return nx.number_connected_components(_tie_graph(snapshot))


def isolates(snapshot: Snapshot) -> int:
    """The number of people in the map who know nobody else in it.

    .. math:: |\\{p \\in P : p \\text{ has no tie in } T\\}|

    >>> isolates(_worked_example())
    2
    """
    graph = _tie_graph(snapshot)
    return sum(1 for _, degree in graph.degree() if degree == 0)


def effective_size(snapshot: Snapshot) -> float:
    """Burt's effective size: the number of people, less how much they overlap; NaN when there is nobody.

    .. math:: \\mathrm{effective\\_size} = |P| - \\frac{2|T|}{|P|}

    Computed on the unweighted graph centre + P + T, as `networkx.effective_size`
    does (Borgatti's formula).  When nobody knows each other it equals the number
    of people: each one opens a different door.  The more they all know each
    other, the more they count as one circle.

    >>> effective_size(_worked_example())
    4.2

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press.
    Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
    measures. *Connections* 20(1), 35–38.
    """
    centre = snapshot.person_id
    import networkx as nx

    return float(nx.effective_size(_ego(snapshot), nodes=[centre])[centre])


def constraint(snapshot: Snapshot) -> float:
    """Burt's constraint: how much the person's network hangs on one tight circle; NaN when there is nobody.

    .. math::

        c = \\sum_{j \\in P} \\Big(p_{cj} + \\sum_{q \\in P} p_{cq}\\, p_{qj}\\Big)^2,
        \\qquad p_{uv} = \\frac{1}{\\deg u}

    on the unweighted graph centre + P + T, exactly as `networkx.constraint`
    defines it.  With n people and t_q the number of ties of q in T this is
    :math:`\\frac{1}{n^2} \\sum_j (1 + \\sum_{q \\sim j} \\frac{1}{1 + t_q})^2`.
    High (up to 1, or just above) when everyone the person has is one
    interconnected group, or there is one person only; low when their people
    come from separate worlds, each opening a different door.

    >>> round(constraint(_worked_example()), 5)   # 86/225
    0.38222

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press, ch. 2.
    """
    centre = snapshot.person_id
    import networkx as nx

    return float(nx.constraint(_ego(snapshot), nodes=[centre])[centre])


# -- support (Tracy & Whittaker 1990) ------------------------------------------------------------


def _received(snapshot: Snapshot, kind: str) -> int:
    return sum(1 for d in _people(snapshot).values() if kind in _support(d, "support_received"))


def emotional_support(snapshot: Snapshot) -> int:
    """The number of people the young person can talk to (``emotional`` in support_received).

    >>> emotional_support(_worked_example())
    2

    References
    ----------
    Tracy, E. M. & Whittaker, J. K. (1990). The social network map. *Families in Society* 71(8).
    """
    return _received(snapshot, "emotional")


def practical_support(snapshot: Snapshot) -> int:
    """The number of people who give practical help (``practical`` in support_received).

    >>> practical_support(_worked_example())
    2
    """
    return _received(snapshot, "practical")


def advice_support(snapshot: Snapshot) -> int:
    """The number of people the young person gets advice from (``advice`` in support_received).

    >>> advice_support(_worked_example())
    1
    """
    return _received(snapshot, "advice")


def company_support(snapshot: Snapshot) -> int:
    """The number of people the young person spends time with (``company`` in support_received).

    >>> company_support(_worked_example())
    1
    """
    return _received(snapshot, "company")


def supporters(snapshot: Snapshot) -> int:
    """The number of people who give the young person any kind of support.

    .. math:: |\\{p \\in P : \\mathrm{support\\_received}_p \\neq \\emptyset\\}|

    >>> supporters(_worked_example())
    4
    """
    return sum(1 for d in _people(snapshot).values() if _support(d, "support_received"))


def informal_supporters(snapshot: Snapshot) -> int:
    """The number of unpaid people who give the young person any kind of support.

    .. math:: |\\{i \\in I : \\mathrm{support\\_received}_i \\neq \\emptyset\\}|

    Support that does not end when a worker's involvement ends.

    >>> informal_supporters(_worked_example())
    3
    """
    return sum(1 for d in _informal(snapshot).values() if _support(d, "support_received"))


def gives_support(snapshot: Snapshot) -> int:
    """The number of connections (people, groups or places) the young person gives something to.

    Anything in ``support_given``: what the young person contributes (helping a
    friend, volunteering with a group).  Being needed matters too.

    >>> gives_support(_worked_example())
    3
    """
    return sum(1 for d in _connections(snapshot).values() if _support(d, "support_given"))


def reciprocal(snapshot: Snapshot) -> int:
    """The number of people with support flowing both ways.

    .. math:: |\\{p \\in P : \\mathrm{support\\_received}_p \\neq \\emptyset \\wedge \\mathrm{support\\_given}_p \\neq \\emptyset\\}|

    >>> reciprocal(_worked_example())
    2
    """
    return sum(
        1
        for d in _people(snapshot).values()
        if _support(d, "support_received") and _support(d, "support_given")
    )


# -- LSNS-6 (Lubben et al. 2006), read off the map -------------------------------------------------


def _lsns_asked(snapshot: Snapshot) -> bool:
    """LSNS-6 needs contact: it is undefined when no connection has ``contact`` filled in."""
    return any("contact" in d for d in _connections(snapshot).values())


def _lsns_subscale(members: Iterable[Mapping[str, Any]]) -> int:
    members = list(members)
    seen = sum(1 for d in members if d.get("contact") in vocab.AT_LEAST_MONTHLY)
    talk = sum(1 for d in members if "emotional" in _support(d, "support_received"))
    help_ = sum(1 for d in members if "practical" in _support(d, "support_received"))
    return int(lsns_score(seen) + lsns_score(talk) + lsns_score(help_))


def lsns6_family(snapshot: Snapshot) -> float:
    """The family half of the Lubben Social Network Scale (LSNS-6), 0–15, read off the map.

    Over the unpaid people of domain ``family`` or ``partner`` (a partner counts
    as family), three counts: seen or heard from at least monthly (contact
    ``daily``, ``weekly`` or ``monthly``; a missing contact counts as less often),
    can talk to about private matters (``emotional`` received) and could call on
    for help (``practical`` received).  Each count is scored 0→0, 1→1, 2→2, 3–4→3,
    5–8→4, 9+→5 and the three scores are added.  NaN when no connection of the
    snapshot has contact filled in (the question was not asked).

    >>> lsns6_family(_worked_example())
    5.0

    References
    ----------
    Lubben, J. et al. (2006). *The Gerontologist* 46(4), 503–513.
    """
    if not _lsns_asked(snapshot):
        return math.nan
    family = [d for d in _informal(snapshot).values() if d.get("domain") in vocab.FAMILY_DOMAINS]
    return float(_lsns_subscale(family))


def lsns6_friends(snapshot: Snapshot) -> float:
    """The friends half of LSNS-6, 0–15: the same three counts over the other unpaid people.

    Friends, neighbours, people from college or work, online…: every unpaid
    person who is not family or a partner.  NaN when no connection has contact
    filled in.

    >>> lsns6_friends(_worked_example())
    1.0
    """
    if not _lsns_asked(snapshot):
        return math.nan
    friends = [d for d in _informal(snapshot).values() if d.get("domain") not in vocab.FAMILY_DOMAINS]
    return float(_lsns_subscale(friends))


def lsns6(snapshot: Snapshot) -> float:
    """The Lubben Social Network Scale (LSNS-6), 0–30: family plus friends halves.

    .. math:: \\mathrm{lsns6} = \\mathrm{lsns6\\_family} + \\mathrm{lsns6\\_friends}

    Higher is more connected; below 12 is the usual mark of social isolation.
    NaN when no connection has contact filled in.

    >>> lsns6(_worked_example())
    6.0
    """
    return lsns6_family(snapshot) + lsns6_friends(snapshot)


def isolated(snapshot: Snapshot) -> Any:
    """Whether the map shows social isolation: LSNS-6 below 12 (missing where LSNS-6 is NaN).

    Isolation is structural (few people around); it is not the same thing as
    feeling lonely, and the two are never merged into one figure.

    >>> isolated(_worked_example())
    True
    """
    score = lsns6(snapshot)
    return pd.NA if math.isnan(score) else bool(score < ISOLATED_BELOW)


# -- what the young person says (snapshots.csv) ------------------------------------------------------


def ucla3(snapshot: Snapshot) -> float:
    """The UCLA 3-item loneliness score, 3–9; NaN unless all three items were answered.

    .. math:: \\mathrm{ucla3} = \\mathrm{companionship} + \\mathrm{left\\_out} + \\mathrm{isolated}

    Each item is 1 (hardly ever), 2 (some of the time) or 3 (often).

    >>> ucla3(_worked_example())
    7.0

    References
    ----------
    Hughes, M. E. et al. (2004). *Research on Aging* 26(6), 655–672.
    """
    items = [snapshot.answers.get(item) for item in vocab.UCLA_ITEMS]
    if any(v is None for v in items):
        return math.nan
    return float(sum(int(v) for v in items))  # type: ignore[arg-type, misc]


def lonely(snapshot: Snapshot) -> Any:
    """Whether the young person says they feel lonely: UCLA-3 of 6 or more (missing where UCLA-3 is NaN).

    >>> lonely(_worked_example())
    True
    """
    score = ucla3(snapshot)
    return pd.NA if math.isnan(score) else bool(score >= LONELY_FROM)


def ons_lonely(snapshot: Snapshot) -> Any:
    """The answer to the ONS question "How often do you feel lonely?", as given (missing where not asked).

    >>> ons_lonely(_worked_example())
    'some_of_the_time'
    """
    answer = snapshot.answers.get("ons_lonely")
    return math.nan if answer is None else str(answer)


# -- hopes (SPEC §11) ------------------------------------------------------------------------------------


def hopes(snapshot: Snapshot) -> int:
    """The number of hopes on the map: people, groups or places the young person would like in their life.

    .. math:: |\\{c : \\mathrm{hope}_c\\}|

    A hope is not there yet, so it counts in no other metric: a map of three
    people and two hopes has ``people`` 3.  When a hope comes true it becomes a
    connection and counts like any other.

    >>> hopes(_worked_example())
    0
    """
    return sum(1 for _, d in snapshot.graph.nodes(data=True) if d.get("role") == "connection" and d.get("hope"))


# -- vectorised twins ------------------------------------------------------------------------------


def _support_count(kind: str) -> CohortFunction:
    bit = SUPPORT_BITS[kind]
    return lambda a: a.count(a.is_person & (a.received & bit > 0))


def _v_density(a: SnapshotArrays) -> np.ndarray:
    n = a.count(a.is_person).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n >= 2, a.ties / (n * (n - 1) / 2), np.nan)


def _v_diversity(a: SnapshotArrays) -> np.ndarray:
    width = len(vocab.DOMAINS) + 1  # unknown domains (-1) get a slot of their own
    cells = a.snapshot[a.is_person] * width + (a.domain[a.is_person].astype(np.int64) + 1)
    counts = np.bincount(cells, minlength=a.n * width)[: a.n * width].reshape(a.n, width)
    n = counts.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - ((counts / n[:, None]) ** 2).sum(axis=1)


def _v_domains(a: SnapshotArrays) -> np.ndarray:
    width = len(vocab.DOMAINS) + 1
    cells = a.snapshot[a.is_person] * width + (a.domain[a.is_person].astype(np.int64) + 1)
    counts = np.bincount(cells, minlength=a.n * width)[: a.n * width].reshape(a.n, width)
    return (counts > 0).sum(axis=1)


def _v_effective_size(a: SnapshotArrays) -> np.ndarray:
    n = a.count(a.is_person).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return n - 2 * a.ties / n


def _v_lsns(a: SnapshotArrays, family: bool) -> np.ndarray:
    def compute() -> np.ndarray:
        # Look-up tables indexed by code + 1, so that -1 (missing) reads False.
        family_words = np.array([False] + [d in vocab.FAMILY_DOMAINS for d in vocab.DOMAINS])
        monthly_words = np.array([False] + [c in vocab.AT_LEAST_MONTHLY for c in vocab.CONTACT])
        in_family = family_words[a.domain + 1]
        members = a.is_informal & (in_family if family else ~in_family)
        monthly = monthly_words[a.contact + 1]
        score = (
            lsns_score(a.count(members & monthly))
            + lsns_score(a.count(members & (a.received & SUPPORT_BITS["emotional"] > 0)))
            + lsns_score(a.count(members & (a.received & SUPPORT_BITS["practical"] > 0)))
        )
        asked = a.count(a.is_real & (a.contact >= 0)) > 0
        return np.where(asked, score, np.nan)

    return a.shared(f"lsns6_{'family' if family else 'friends'}", compute)


def _v_ucla3(a: SnapshotArrays) -> np.ndarray:
    items = np.column_stack(
        [a.snapshots[item].to_numpy(dtype=float, na_value=np.nan) for item in vocab.UCLA_ITEMS]
    ) if a.n else np.empty((0, 3))
    return items.sum(axis=1)  # NaN unless all three are given


def _boolean(values: np.ndarray, missing: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(values, dtype=bool) & ~missing, missing)


def _v_isolated(a: SnapshotArrays) -> pd.arrays.BooleanArray:
    score = _v_lsns(a, True) + _v_lsns(a, False)
    return _boolean(score < ISOLATED_BELOW, np.isnan(score))


def _v_lonely(a: SnapshotArrays) -> pd.arrays.BooleanArray:
    score = _v_ucla3(a)
    return _boolean(score >= LONELY_FROM, np.isnan(score))


def _register_builtins() -> None:
    def count(mask: Callable[[SnapshotArrays], np.ndarray]) -> CohortFunction:
        return lambda a: a.count(mask(a))

    builtins: list[tuple[SnapshotFunction, CohortFunction, str]] = [
        (people, count(lambda a: a.is_person), "int64"),
        (informal_people, count(lambda a: a.is_informal), "int64"),
        (paid_people, count(lambda a: a.is_person & a.paid), "int64"),
        (paid_share, lambda a: safe_divide(a.count(a.is_person & a.paid), a.count(a.is_person)), "float64"),
        (close_informal, count(lambda a: a.is_informal & (a.closeness == 1)), "int64"),
        (groups, count(lambda a: (a.kind == 1) & a.is_real), "int64"),
        (places, count(lambda a: (a.kind == 2) & a.is_real), "int64"),
        (domains, _v_domains, "int64"),
        (diversity, _v_diversity, "float64"),
        (density, _v_density, "float64"),
        (components, lambda a: a.components, "int64"),
        (isolates, count(lambda a: a.is_person & (a.degree == 0)), "int64"),
        (effective_size, _v_effective_size, "float64"),
        (constraint, lambda a: a.constraint, "float64"),
        (emotional_support, _support_count("emotional"), "int64"),
        (practical_support, _support_count("practical"), "int64"),
        (advice_support, _support_count("advice"), "int64"),
        (company_support, _support_count("company"), "int64"),
        (supporters, count(lambda a: a.is_person & (a.received > 0)), "int64"),
        (informal_supporters, count(lambda a: a.is_informal & (a.received > 0)), "int64"),
        (gives_support, count(lambda a: a.is_real & (a.given > 0)), "int64"),
        (reciprocal, count(lambda a: a.is_person & (a.received > 0) & (a.given > 0)), "int64"),
        (lsns6_family, lambda a: _v_lsns(a, True), "float64"),
        (lsns6_friends, lambda a: _v_lsns(a, False), "float64"),
        (lsns6, lambda a: _v_lsns(a, True) + _v_lsns(a, False), "float64"),
        (isolated, _v_isolated, "boolean"),
        (ucla3, _v_ucla3, "float64"),
        (lonely, _v_lonely, "boolean"),
        (ons_lonely, lambda a: a.snapshots["ons_lonely"].array, "str"),
        (hopes, count(lambda a: a.is_hope), "int64"),
    ]
    thresholds = {"isolated": ISOLATED_BELOW, "lonely": LONELY_FROM}
    for function, vectorised, dtype in builtins:
        name = function.__name__
        register(name, function, cohort=vectorised, dtype=dtype, label=_LABELS.get(name),
                 meaning=_MEANINGS.get(name), threshold=thresholds.get(name))


#: How the built-in metrics are named on axes, in tables and sentences (others: the name in words).
_LABELS: dict[str, str] = {
    "people": "People in the map",
    "informal_people": "People not paid to be there",
    "paid_people": "Paid people (professionals)",
    "paid_share": "Share of people who are paid",
    "close_informal": "Closest people not paid to be there",
    "groups": "Groups",
    "places": "Places",
    "hopes": "Hopes (wished for, not there yet)",
    "domains": "Parts of life (domains)",
    "diversity": "Diversity of parts of life (Blau index)",
    "density": "How many of them know each other (density)",
    "components": "Separate clusters of people",
    "isolates": "People who know nobody else in the map",
    "effective_size": "Effective size",
    "constraint": "Constraint",
    "supporters": "People who give support",
    "informal_supporters": "Unpaid people who give support",
    "gives_support": "Connections the young person supports",
    "reciprocal": "People with support both ways",
    "lsns6": "Social network score (LSNS-6, 0-30)",
    "isolated": f"Isolated (LSNS-6 under {ISOLATED_BELOW})",
    "ucla3": "Loneliness score (UCLA-3, 3-9)",
    "lonely": f"Feels lonely (UCLA-3 of {LONELY_FROM} or more)",
}

#: What the built-in metrics mean, in one plain sentence (others: the docstring's first line).
_MEANINGS: dict[str, str] = {
    "people": "How many people (not groups or places) are in the map. The young person is never counted.",
    "informal_people": "People in the map who are not paid to be there: family, friends, neighbours and so on.",
    "paid_people": "People in the map who are paid to be there, such as a personal adviser or support worker.",
    "paid_share": "Paid people as a share of all people in the map (blank for a map with nobody in it).",
    "close_informal": "Unpaid people in the closest ring of the map.",
    "lsns6": (
        "The Lubben Social Network Scale (LSNS-6, Lubben et al. 2006), 0 to 30, read off the map: for family "
        "and for friends, how many unpaid people the young person sees or hears from at least monthly, can talk "
        "to about private matters, and could call on for help. Blank when no contact was recorded."
    ),
    "isolated": f"An LSNS-6 score under {ISOLATED_BELOW}: the usual threshold for social isolation.",
    "ucla3": (
        "The UCLA 3-item loneliness scale (Hughes et al. 2004), 3 to 9, from the young person's own answers. "
        "Blank unless all three questions were answered."
    ),
    "lonely": f"A UCLA-3 score of {LONELY_FROM} or more: feeling lonely. Loneliness and isolation are different "
              "things and are never combined into one figure.",
    "hopes": (
        "Hopes on the map: people, groups or places the young person would like in their life and does not "
        "have yet (a football team, a job, a friend nearby). A hope never counts as a connection in any other "
        "figure. A hope came true when it is a real connection on the follow-up map."
    ),
}


_register_builtins()


# -- values and columns -------------------------------------------------------------------------------


def _scalar(value: Any, dtype: str, name: str) -> Any:
    """One metric value in the form its column holds (NaN, NA for missing booleans)."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    if dtype == "int64":
        if missing:
            raise ValueError(f"metric {name!r} is a count (int64) but gave a missing value; register it as float64")
        return int(value)
    if dtype == "float64":
        return math.nan if missing else float(value)
    if dtype == "boolean":
        return pd.NA if missing else bool(value)
    return math.nan if missing else str(value)


def _column(values: Any, dtype: str, name: str, n: int) -> Any:
    """A metric's values for every snapshot as an array of its column type."""
    if dtype == "int64":
        array: Any = np.asarray(values)
        if array.dtype.kind == "f" and np.isnan(array).any():
            raise ValueError(f"metric {name!r} is a count (int64) but gave missing values; register it as float64")
        array = array.astype(np.int64)
    elif dtype == "float64":
        array = np.asarray(values, dtype=float)
    elif dtype == "boolean":
        array = values if isinstance(values, pd.arrays.BooleanArray) else pd.array(list(values), dtype="boolean")
    else:
        array = pd.array(values, dtype="str")
    if len(array) != n:
        raise ValueError(f"metric {name!r} gave {len(array)} values for {n} snapshots")
    return array


# -- public computations ---------------------------------------------------------------------------------


def snapshot_metrics(snapshot: Snapshot) -> pd.Series:
    """Every registered metric of one snapshot, computed from its graph (the readable reference).

    Returns a `pandas.Series` indexed by metric name, named (person_id, date) like
    the snapshot's row of `cohort_metrics`.  Counts are ints, measures floats (NaN
    where undefined), ``isolated`` and ``lonely`` True/False or ``pd.NA``,
    ``ons_lonely`` text or NaN.

    >>> s = snapshot_metrics(_worked_example())
    >>> s.name
    ('P1', Timestamp('2025-03-01 00:00:00'))
    >>> int(s["supporters"]), int(s["reciprocal"])
    (4, 2)
    """
    values = {m.name: _scalar(m.snapshot(snapshot), m.dtype, m.name) for m in list(METRICS.values())}
    return pd.Series(values, dtype=object, name=(snapshot.person_id, pd.Timestamp(snapshot.date)))


def _people_columns(cohort: Cohort, columns: Sequence[str] | str) -> list[str]:
    if isinstance(columns, str):
        columns = columns.split(",")
    wanted: list[str] = []
    for column in columns:
        column = str(column).strip()
        if column and column not in wanted:
            wanted.append(column)
    available = [c for c in cohort.people.columns if c != "person_id" and c not in vocab.FREE_TEXT_COLUMNS]
    for column in wanted:
        if column in vocab.FREE_TEXT_COLUMNS:
            raise ValueError(
                f"{column!r} holds people's names or free text; metrics tables never carry it"
            )
        if column == "person_id":
            raise ValueError("'person_id' is already the first level of the table's index")
        if column in METRICS:
            raise ValueError(f"{column!r} is the name of a metric; rename the people.csv column to add it")
        if column not in cohort.people.columns:
            raise ValueError(
                f"people.csv has no column {column!r}; the columns you can add are: {', '.join(available) or 'none'}"
            )
    return wanted


def cohort_metrics(cohort: Cohort, columns: Sequence[str] | str = (), verbose: bool = False) -> pd.DataFrame:
    """Every registered metric of every snapshot of a cohort, computed all at once.

    Parameters
    ----------
    cohort
        The cohort.  Every snapshot gets a row, empty ones included.
    columns
        people.csv columns to add after the metrics (``["ward", "birth_year"]`` or
        ``"ward,birth_year"``).  ``name`` is refused: analyst outputs never carry names.
    verbose
        Show progress bars (for metrics without a vectorised twin, one step per snapshot).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``person_id``, ``date``) with ``date`` as datetime64, sorted;
        one column per registered metric in registration order, then ``columns``.

    Notes
    -----
    Built-in metrics are computed with group-bys over the whole connection and tie
    tables (see `SnapshotArrays`), never one graph per snapshot; 100,000 snapshots
    take about a second.  A metric registered without a vectorised twin is computed
    by calling its function on every snapshot.

    Examples
    --------
    >>> table = cohort_metrics(_worked_example_cohort(), columns=["ward"])
    >>> table.index.names
    FrozenList(['person_id', 'date'])
    >>> table[["people", "lsns6", "isolated", "ward"]]  # doctest: +NORMALIZE_WHITESPACE
                          people  lsns6  isolated   ward
    person_id date
    P1        2025-03-01       5    6.0      True  North
    P2        2025-03-01       0    NaN      <NA>  South
    """
    with small_pages():  # see socialcap/_pages.py
        return _cohort_metrics(cohort, columns, verbose)


def _cohort_metrics(cohort: Cohort, columns: Sequence[str] | str, verbose: bool) -> pd.DataFrame:
    from tqdm.auto import tqdm

    wanted = _people_columns(cohort, columns)
    arrays = SnapshotArrays(cohort).prepare()
    metrics = list(METRICS.values())
    out: dict[str, Any] = {}
    for metric in tqdm(
        [m for m in metrics if m.cohort is not None], desc="metrics", unit="metric", disable=not verbose, leave=False
    ):
        out[metric.name] = _column(metric.cohort(arrays), metric.dtype, metric.name, arrays.n)  # type: ignore[misc]
    looped = [m for m in metrics if m.cohort is None]
    if looped:
        out.update(_loop(cohort, arrays, looped, verbose))
    table = pd.DataFrame({m.name: out[m.name] for m in metrics}, index=arrays.index)
    if wanted:
        people = cohort.people.set_index("person_id")[wanted]
        joined = people.reindex(arrays.index.get_level_values("person_id"))
        for column in wanted:
            table[column] = joined[column].array
    return table


def _loop(cohort: Cohort, arrays: SnapshotArrays, metrics: list[Metric], verbose: bool) -> dict[str, Any]:
    """Metrics without a vectorised twin: call them on every snapshot."""
    from tqdm.auto import tqdm

    position = {key: i for i, key in enumerate(arrays.index)}
    values: dict[str, list[Any]] = {m.name: [None] * arrays.n for m in metrics}
    with tqdm(total=arrays.n, desc="snapshots", unit="snapshot", disable=not verbose, leave=False) as bar:
        for timeline in cohort.timelines():
            for snap in timeline.snapshots:
                i = position[(snap.person_id, pd.Timestamp(snap.date))]
                for m in metrics:
                    values[m.name][i] = _scalar(m.snapshot(snap), m.dtype, m.name)
                bar.update()
    return {m.name: _column(values[m.name], m.dtype, m.name, arrays.n) for m in metrics}


# -- writing --------------------------------------------------------------------------------------------

#: The file endings `write_metrics` knows.
METRICS_ENDINGS: tuple[str, ...] = (".csv", ".parquet", ".xlsx")

_EXCEL_ROWS = 1_048_576


def _arrow(table: pd.DataFrame, dates_as_days: bool) -> Any:
    import pyarrow as pa

    flat = table.reset_index() if any(name is not None for name in table.index.names) else table
    arrow = pa.Table.from_pandas(flat, preserve_index=False).replace_schema_metadata(None)
    if dates_as_days:
        for i, field in enumerate(arrow.schema):
            if pa.types.is_timestamp(field.type):
                arrow = arrow.set_column(i, field.name, arrow.column(i).cast(pa.date32(), safe=False))
    return arrow


def write_metrics(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a metrics table, choosing the format by the file's ending; atomically.

    ``.csv`` (UTF-8, dates as YYYY-MM-DD, true/false, empty for missing),
    ``.parquet`` (typed columns) or ``.xlsx`` (one sheet, ``metrics``).  The
    index becomes the first columns (``person_id``, ``date``).  A table with a
    ``name`` column is refused: metrics files never carry names.

    >>> import tempfile, pathlib
    >>> path = write_metrics(cohort_metrics(_worked_example_cohort()), pathlib.Path(tempfile.mkdtemp()) / "m.csv")
    >>> print(path.read_text().splitlines()[1][:44])
    "P1",2025-03-01,5,4,1,0.2,2,1,1,4,0.72,0.2,3
    """
    from .io import atomic_write

    path = Path(path)
    ending = path.suffix.lower()
    if ending not in METRICS_ENDINGS:
        raise ValueError(
            f"cannot tell how to write {path.name!r}: give a file ending in {', '.join(METRICS_ENDINGS)}"
        )
    names = set(table.columns) | {n for n in table.index.names if n is not None}
    refused = sorted(names & set(vocab.FREE_TEXT_COLUMNS))
    if refused:
        raise ValueError(f"the table has a {refused[0]!r} column; metrics files never carry names or free text")
    if ending == ".csv":
        from .io import write_csv

        write_csv(_arrow(table, dates_as_days=True), path)  # formula-like text marked, as every CSV socialcap writes
    elif ending == ".parquet":
        import pyarrow.parquet as pq

        arrow = _arrow(table, dates_as_days=False)
        with atomic_write(path) as handle:
            pq.write_table(arrow, handle)
    else:
        if len(table) >= _EXCEL_ROWS:
            raise ValueError(
                f"{len(table):,} rows do not fit in one Excel sheet ({_EXCEL_ROWS - 1:,} at most); "
                "write .csv or .parquet instead"
            )
        _write_excel(table, path)
    return path


def _write_excel(table: pd.DataFrame, path: Path) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    from .io import atomic_write

    arrow = _arrow(table, dates_as_days=True)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("metrics")
    sheet.append(arrow.column_names)

    def cell(value: Any) -> Any:
        if isinstance(value, str):  # text stays text, even when it starts with "=" (never a formula)
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text
        return value

    columns = [arrow.column(i).to_pylist() for i in range(arrow.num_columns)]
    for row in zip(*columns):
        sheet.append([cell(v) for v in row])
    with atomic_write(path) as handle:
        book.save(handle)


# -- the worked example ------------------------------------------------------------------------------------


def _worked_example_cohort() -> Cohort:
    """The cohort of the module's worked example: P1's map, and P2 mapped as alone."""
    people_table = pd.DataFrame({"person_id": ["P1", "P2"], "name": ["Sam", "Alex"], "ward": ["North", "South"]})
    columns = ["connection_id", "kind", "domain", "closeness", "contact", "support_received", "support_given"]
    rows = [
        ("A", "person", "family", 1, "daily", "emotional;practical", "company"),
        ("B", "person", "partner", 1, "weekly", "emotional", None),
        ("C", "person", "friend", 2, "monthly", "company", "emotional"),
        ("D", "person", "friend", 3, "less", None, None),
        ("E", "person", "professional", 2, "weekly", "practical;advice", None),
        ("G", "group", "community", None, "weekly", None, "practical"),
        ("H", "place", "other", None, None, None, None),
    ]
    connections = pd.DataFrame(rows, columns=columns)
    connections.insert(0, "date", "2025-03-01")
    connections.insert(0, "person_id", "P1")
    ties = pd.DataFrame({"source": ["A", "B", "A", "A"], "target": ["B", "A", "C", "G"]})
    ties.insert(0, "date", "2025-03-01")
    ties.insert(0, "person_id", "P1")
    snapshots = pd.DataFrame(
        {
            "person_id": ["P1", "P2"],
            "date": ["2025-03-01", "2025-03-01"],
            "ucla_companionship": [2, None],
            "ucla_left_out": [2, None],
            "ucla_isolated": [3, None],
            "ons_lonely": ["some_of_the_time", None],
        }
    )
    return Cohort.from_tables(people_table, connections, ties, snapshots)


def _worked_example() -> Snapshot:
    """P1's snapshot of the worked example (see the module docstring)."""
    return _worked_example_cohort().snapshot("P1")
