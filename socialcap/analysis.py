"""Cohort change: a baseline and a follow-up map per person, summaries by group, suppression.

The analyst's questions: across many young people, did their networks grow between
a first and a later map?  Did fewer of them end up isolated?  Does that differ by
ward or by age?  This module answers them from the metrics table (SPEC §3) with
pure functions on DataFrames, and hides small groups before anything leaves the
library (SPEC §4, §7).

The steps:

1. `change_table` picks, for every person, a baseline and a follow-up map (`Wave`:
   the first or last map, the map nearest a date, or the map nearest a number of
   months after ``start_date``) and sets their metrics side by side.  People who
   have no such pair are counted, with the reason, in ``.excluded`` — never
   silently dropped.
2. `summarise` gives, per group (``ward``, ``age_band``, any people.csv column)
   and per metric: n, the baseline and follow-up means, the mean change with a
   95% t-interval, a Wilcoxon signed-rank test and its effect size (the
   matched-pairs rank-biserial correlation); and beside them the share isolated
   and the share lonely at baseline and follow-up (two different things, never
   merged).
3. `suppress` blanks every figure that rests on fewer than ``min_count`` people,
   and one more group where a total would give a hidden figure away.

Examples
--------
>>> import pandas as pd
>>> index = pd.MultiIndex.from_tuples(
...     [("P1", pd.Timestamp("2025-01-01")), ("P1", pd.Timestamp("2025-07-01")),
...      ("P2", pd.Timestamp("2025-02-01"))], names=["person_id", "date"])
>>> metrics = pd.DataFrame({"people": [2, 5, 3]}, index=index)
>>> result = change_table(metrics)
>>> result.table.loc["P1", ["people_baseline", "people_followup", "people_change"]].tolist()
[2.0, 5.0, 3.0]
>>> result.table.loc["P1", "followup_date"].date()
datetime.date(2025, 7, 1)
>>> result.excluded
  person_id        reason
0        P2  only one map
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from . import vocab
from ._exceptions import ArgumentError, NotFoundError
from ._words import long_date
from .privacy import AGE_BANDS, TOTAL, age_band, round_to_five, suppress
from .graph import as_date

if TYPE_CHECKING:  # pragma: no cover
    from .cohort import Cohort

__all__ = [
    "AGE_BANDS",
    "SUMMARY_METRICS",
    "TOTAL",
    "NOT_RECORDED",
    "Wave",
    "CohortChange",
    "age_band",
    "change_table",
    "cohort_change",
    "paired_statistics",
    "signed_rank_test",
    "summarise",
    "suppress",
    "wave_numbers",
    "wave_summary",
]

#: The metrics `summarise` reports by default: network size and make-up, the
#: isolation measure (LSNS-6) and, beside it, the loneliness measure (UCLA-3).
SUMMARY_METRICS: tuple[str, ...] = (
    "people",
    "informal_people",
    "paid_share",
    "close_informal",
    "groups",
    "places",
    "diversity",
    "lsns6",
    "isolated",
    "ucla3",
    "lonely",
    "hopes",
)

#: The label of the group whose value of the breakdown column is missing.
NOT_RECORDED = "not recorded"

#: The figures of a summary row that suppression blanks.
_FIGURES = (
    "n",
    "baseline_mean",
    "followup_mean",
    "mean_change",
    "ci_low",
    "ci_high",
    "wilcoxon_statistic",
    "p_value",
    "effect_size",
)
_SHARES = ("isolated_baseline", "isolated_followup", "lonely_baseline", "lonely_followup")
#: Hopes that came true between baseline and follow-up (SPEC §11), per group: how many
#: hopes, and how many young people saw at least one come true.  Suppressed like the rest.
_HOPES = ("hopes_realised", "people_with_hopes_realised")


# -- choosing the baseline and the follow-up -----------------------------------------


@dataclass(frozen=True)
class Wave:
    """How to choose one map per person: the baseline or the follow-up.

    Build one with `Wave.first`, `Wave.last`, `Wave.nearest` (the map nearest a
    date, within a window) or `Wave.after_start` (the map nearest a number of months
    after the person's ``start_date``), or read one from text with `Wave.parse`.

    >>> Wave.parse("2025-01-01").describe()
    'the map nearest 1 January 2025 (within 60 days)'
    >>> Wave.parse("12m").describe()
    'the map nearest 12 months after start_date (within 60 days)'
    """

    rule: str = "first"
    date: dt.date | None = None
    months: int | None = None
    within_days: int = 60

    def __post_init__(self) -> None:
        if self.rule not in ("first", "last", "nearest", "after_start"):
            raise ArgumentError(f"unknown rule {self.rule!r}: use first, last, nearest or after_start")
        if self.rule == "nearest" and self.date is None:
            raise ArgumentError("Wave.nearest needs a date")
        if self.rule == "after_start" and (self.months is None or not 0 <= self.months <= 1200):
            raise ArgumentError("Wave.after_start needs a number of months from 0 to 1200")
        if self.rule == "nearest" and not vocab.FIRST_DATE <= str(self.date) <= vocab.LAST_DATE:
            raise ArgumentError(f"the date {self.date} is outside the dates socialcap reads ({vocab.FIRST_DATE} to {vocab.LAST_DATE})")
        if not 0 <= self.within_days <= 36525:
            raise ArgumentError(f"within_days must be from 0 to 36525 (a hundred years), not {self.within_days}")

    @classmethod
    def first(cls) -> Wave:
        """Each person's first map."""
        return cls("first")

    @classmethod
    def last(cls) -> Wave:
        """Each person's latest map."""
        return cls("last")

    @classmethod
    def nearest(cls, date: str | dt.date | pd.Timestamp, within_days: int = 60) -> Wave:
        """The map nearest ``date``, if one lies within ``within_days`` of it (a tie goes to the earlier)."""
        return cls("nearest", date=as_date(date), within_days=within_days)

    @classmethod
    def after_start(cls, months: int, within_days: int = 60) -> Wave:
        """The map nearest ``months`` months after the person's ``start_date``, within ``within_days``."""
        return cls("after_start", months=int(months), within_days=within_days)

    @classmethod
    def parse(cls, text: str | Wave, within_days: int = 60) -> Wave:
        """Read ``first``, ``last``, a date ``YYYY-MM-DD`` or a number of months ``12m``."""
        if isinstance(text, Wave):
            return text
        word = str(text).strip().lower()
        if word in ("first", "last"):
            return cls(word)
        months = re.fullmatch(r"(\d+)\s*(m|months?)", word)
        if months:
            return cls.after_start(int(months.group(1)), within_days)
        try:
            return cls.nearest(word, within_days)
        except ValueError:
            raise ArgumentError(
                f"{text!r} is not a way to choose a map: use first, last, a date (2025-01-01) "
                "or months since start_date (12m)"
            ) from None

    def describe(self) -> str:
        """The choice in plain words."""
        if self.rule == "first":
            return "the first map"
        if self.rule == "last":
            return "the latest map"
        if self.rule == "nearest":
            assert self.date is not None
            return f"the map nearest {long_date(self.date)} (within {self.within_days} days)"
        return f"the map nearest {self.months} months after start_date (within {self.within_days} days)"

    def pick(self, maps: pd.DataFrame, start_dates: pd.Series | None = None) -> pd.Series:
        """The chosen map's date per person (absent where there is none).

        ``maps`` has a ``person_id`` and a ``date`` column, one row per map;
        ``start_dates`` maps person_id to ``start_date`` (needed by `after_start`).
        """
        if maps.empty:
            return pd.Series([], index=pd.Index([], name="person_id"), dtype="datetime64[ns]", name="date")
        if self.rule in ("first", "last"):
            grouped = maps.groupby("person_id", sort=True)["date"]
            return (grouped.min() if self.rule == "first" else grouped.max()).rename("date")
        if self.rule == "nearest":
            target = pd.Series(pd.Timestamp(self.date), index=maps.index)
        else:
            starts = start_dates if start_dates is not None else pd.Series(dtype="datetime64[ns]")
            target = maps["person_id"].map(starts).astype("datetime64[ns]") + pd.DateOffset(months=self.months)
        distance = (maps["date"] - target).abs()
        ok = distance.notna() & (distance <= pd.Timedelta(days=self.within_days))
        candidates = maps.loc[ok, ["person_id", "date"]].assign(distance=distance[ok])
        best = candidates.sort_values(["person_id", "distance", "date"]).drop_duplicates("person_id")
        return best.set_index("person_id")["date"].sort_index()


# -- the per-person change table ------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CohortChange:
    """Everyone's baseline and follow-up side by side, and who has no such pair and why.

    Attributes
    ----------
    table
        One row per person with a baseline and a later follow-up, indexed by
        ``person_id``: ``baseline_date``, ``followup_date``, the chosen people.csv
        columns, then per metric ``<metric>_baseline``, ``<metric>_followup`` and,
        for numbers and yes/no metrics, ``<metric>_change`` (follow-up − baseline; a
        yes/no change is −1, 0 or 1).  Where compare() was run, the counts of
        `socialcap.change.COUNTS` and ``turnover`` too.
    excluded
        ``person_id`` and ``reason`` of everyone else.
    baseline, followup
        How the maps were chosen.
    metrics
        The metrics in the table.

    Examples
    --------
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("P1", pd.Timestamp("2025-01-01")), ("P1", pd.Timestamp("2025-07-01")),
    ...      ("P2", pd.Timestamp("2025-03-01"))], names=["person_id", "date"])
    >>> result = change_table(pd.DataFrame({"people": [2, 5, 3]}, index=index))
    >>> result
    <CohortChange: 1 people compared, 1 left out>
    >>> result.people, result.metrics
    (1, ('people',))
    >>> print(result)
    1 of 2 people have a baseline (the first map) and a later follow-up (the latest map).
    - 1 left out: only one map
    """

    table: pd.DataFrame
    excluded: pd.DataFrame
    baseline: Wave
    followup: Wave
    metrics: tuple[str, ...]

    @property
    def people(self) -> int:
        """How many people the table compares."""
        return len(self.table)

    def reasons(self) -> pd.Series:
        """How many people were left out, per reason."""
        return self.excluded["reason"].value_counts().rename("people")

    def __str__(self) -> str:
        total = self.people + len(self.excluded)
        lines = [
            f"{self.people} of {total} people have a baseline ({self.baseline.describe()}) "
            f"and a later follow-up ({self.followup.describe()})."
        ]
        for reason, n in self.reasons().items():
            lines.append(f"- {n} left out: {reason}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CohortChange: {self.people} people compared, {len(self.excluded)} left out>"


def _as_float(series: pd.Series) -> pd.Series:
    """Numbers and yes/no values as floats with NaN for missing (yes = 1)."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return pd.Series(series.to_numpy(dtype=float, na_value=np.nan), index=series.index)
    if series.dtype == object:
        values = series.dropna()
        if len(values) and all(isinstance(v, (bool, np.bool_)) for v in values):
            return series.map(lambda v: np.nan if pd.isna(v) else float(v)).astype(float)
    return pd.to_numeric(series, errors="coerce").astype(float)


def _is_numeric(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return True
    values = series.dropna()
    return bool(len(values)) and all(isinstance(v, (bool, np.bool_, int, float, np.number)) for v in values)


def _people_columns(
    people: pd.DataFrame | None, columns: Sequence[str] | None
) -> tuple[list[str], bool]:
    """Which people.csv columns to carry, and whether ``age_band`` is derived from birth_year."""
    have = set(people.columns) if people is not None else set()
    if columns is None:
        wanted = [c for c in ("ward",) if c in have]
        if "age_band" in have or "birth_year" in have:
            wanted.append("age_band")
        columns = wanted
    missing = [c for c in columns if c not in have and not (c == "age_band" and "birth_year" in have)]
    if missing:
        raise NotFoundError(f"people.csv has no column {', '.join(map(repr, missing))}")
    derive = "age_band" in columns and "age_band" not in have
    return list(columns), derive


def change_table(
    metrics: pd.DataFrame,
    people: pd.DataFrame | None = None,
    *,
    baseline: Wave | str = "first",
    followup: Wave | str = "last",
    columns: Sequence[str] | None = None,
    metric_columns: Sequence[str] | None = None,
) -> CohortChange:
    """Set each person's baseline and follow-up metrics side by side.

    Parameters
    ----------
    metrics
        The metrics table (SPEC §3): indexed by (``person_id``, ``date``), one row
        per map.
    people
        The people table; everyone in it is accounted for (those without maps are
        excluded with a reason), and its columns can be carried into the table.
    baseline, followup
        A `Wave`, or text `Wave.parse` reads (``"first"``, ``"last"``,
        ``"2025-01-01"``, ``"12m"``).  Defaults: first and last map.
    columns
        people.csv columns to carry (default ``ward`` and ``age_band`` where they
        can be had).  ``age_band`` is derived from ``birth_year`` at the baseline
        year (`age_band`) unless people.csv has one (a pseudonymised cohort does).
        ``name`` is never carried unless asked for here.
    metric_columns
        The metrics to carry (default every column of ``metrics`` that is not a
        people.csv column).

    Returns
    -------
    CohortChange
        ``.table`` and ``.excluded`` (person_id and reason).

    Examples
    --------
    Two maps each for P1 and P2; P3 has no map yet.  The ward is carried over
    and the age band is worked out from the birth year in the baseline year:

    >>> index = pd.MultiIndex.from_tuples(
    ...     [("P1", pd.Timestamp("2025-01-01")), ("P1", pd.Timestamp("2025-07-01")),
    ...      ("P2", pd.Timestamp("2025-02-01")), ("P2", pd.Timestamp("2025-08-01"))],
    ...     names=["person_id", "date"])
    >>> metrics = pd.DataFrame({"people": [2, 5, 3, 3], "isolated": [True, False, True, True]}, index=index)
    >>> people = pd.DataFrame({"person_id": ["P1", "P2", "P3"], "ward": ["Alvaston", "Darley", "Darley"],
    ...                        "birth_year": [2007, 2004, 2006]})
    >>> result = change_table(metrics, people)
    >>> result.table.reset_index()[["person_id", "ward", "age_band", "people_change", "isolated_change"]]
      person_id      ward age_band  people_change  isolated_change
    0        P1  Alvaston    18-20            3.0             -1.0
    1        P2    Darley    21-25            0.0              0.0
    >>> result.excluded
      person_id   reason
    0        P3  no maps
    """
    base, follow = Wave.parse(baseline), Wave.parse(followup)
    maps = metrics.reset_index()
    if not {"person_id", "date"} <= set(maps.columns):
        raise ValueError("the metrics table must be indexed by (person_id, date)")
    maps["person_id"] = maps["person_id"].astype(str)
    maps["date"] = pd.to_datetime(maps["date"])
    carry, derive_age = _people_columns(people, columns)
    person_cols = set(vocab.PEOPLE_COLUMNS) | (set(people.columns) if people is not None else set())
    if metric_columns is None:
        metric_columns = [c for c in metrics.columns if c not in person_cols and c != "age_band"]
    else:
        absent = [c for c in metric_columns if c not in metrics.columns]
        if absent:
            raise NotFoundError(f"the metrics table has no column {', '.join(map(repr, absent))}")

    everyone = (
        people["person_id"].astype(str).tolist() if people is not None else list(dict.fromkeys(maps["person_id"]))
    )
    starts = None
    if people is not None and "start_date" in people:
        starts = pd.Series(pd.to_datetime(people["start_date"]).to_numpy(), index=people["person_id"].astype(str))
    first = base.pick(maps, starts)
    last = follow.pick(maps, starts)
    count = maps.groupby("person_id").size()

    # Why each person is left out: the first rule that applies, in this order (all
    # people at once; a loop over people costs seconds for a large cohort).
    who = pd.Index(everyone, name="person_id")
    n = count.reindex(who, fill_value=0).to_numpy()
    b = first.reindex(who).to_numpy(dtype="datetime64[ns]")
    f = last.reindex(who).to_numpy(dtype="datetime64[ns]")
    no_b, no_f = np.isnat(b), np.isnat(f)
    no_start = (
        starts.reindex(who).isna().to_numpy()
        if starts is not None and "after_start" in (base.rule, follow.rule)
        else np.zeros(len(who), dtype=bool)
    )
    firsts_and_lasts = base.rule in ("first", "last") and follow.rule in ("first", "last")
    rules = [
        (n == 0, "no maps"),
        ((n == 1) & firsts_and_lasts, "only one map"),
        ((no_b | no_f) & no_start, "no start_date"),
        (no_b, f"no baseline: no {base.describe()[4:]}"),
        (no_f, f"no follow-up: no {follow.describe()[4:]}"),
        (~no_b & ~no_f & (f == b), "the baseline and the follow-up are the same map"),
        (~no_b & ~no_f & (f < b), "the follow-up map is earlier than the baseline"),
    ]
    reason = np.select([rule for rule, _ in rules], [text for _, text in rules], default="")
    left_out = reason != ""
    included = who[~left_out].tolist()
    excluded = pd.DataFrame(
        {"person_id": who[left_out].tolist(), "reason": reason[left_out].tolist()},
        columns=["person_id", "reason"],
    )

    index = pd.Index(included, name="person_id")
    table = pd.DataFrame(index=index)
    table["baseline_date"] = pd.to_datetime(first.reindex(index)).astype("datetime64[ns]")
    table["followup_date"] = pd.to_datetime(last.reindex(index)).astype("datetime64[ns]")
    if people is not None and carry:
        rows = people.assign(person_id=people["person_id"].astype(str)).set_index("person_id").reindex(index)
        for column in carry:
            if column == "age_band" and derive_age:
                table[column] = age_band(rows["birth_year"], table["baseline_date"].dt.year).to_numpy()
            else:
                table[column] = rows[column].to_numpy()

    by_key = maps.set_index(["person_id", "date"])
    base_rows = by_key.reindex(pd.MultiIndex.from_arrays([index, table["baseline_date"]]))
    follow_rows = by_key.reindex(pd.MultiIndex.from_arrays([index, table["followup_date"]]))
    block: dict[str, pd.Series | np.ndarray] = {}
    for metric in metric_columns:
        b_values, f_values = base_rows[metric], follow_rows[metric]
        if _is_numeric(maps[metric]):
            b_num, f_num = _as_float(b_values).to_numpy(), _as_float(f_values).to_numpy()
            block[f"{metric}_baseline"] = b_num
            block[f"{metric}_followup"] = f_num
            block[f"{metric}_change"] = f_num - b_num
        else:
            block[f"{metric}_baseline"] = b_values.to_numpy()
            block[f"{metric}_followup"] = f_values.to_numpy()
    table = pd.concat([table, pd.DataFrame(block, index=index)], axis=1)
    return CohortChange(
        table=table, excluded=excluded, baseline=base, followup=follow, metrics=tuple(metric_columns)
    )


def cohort_change(
    cohort: Cohort,
    baseline: Wave | str = "first",
    followup: Wave | str = "last",
    *,
    columns: Sequence[str] | None = None,
    counts: bool = True,
    metrics: pd.DataFrame | None = None,
    verbose: bool = False,
) -> CohortChange:
    """`change_table` for a cohort, with what `socialcap.compare` counts per person.

    ``counts=True`` adds ``gained``, ``lost``, ``kept``, ``moved_closer``,
    ``moved_away``, ``ties_gained``, ``ties_lost``, ``newcomers_linked``,
    ``hopes_added``, ``hopes_realised``, ``hopes_let_go`` (how many) and ``turnover``
    between each person's two maps, all people at once
    (`socialcap.change.change_counts`: the same numbers as `socialcap.compare`).
    ``metrics`` reuses a metrics table already computed; ``verbose`` shows the
    progress of computing the metrics.

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=30, waves=2, seed=1)
    >>> result = cohort_change(cohort)
    >>> result
    <CohortChange: 25 people compared, 5 left out>
    >>> result.table.loc["P001", ["people_baseline", "people_followup", "gained", "lost", "kept", "turnover"]].tolist()
    [4.0, 5.0, 2.0, 1.0, 3.0, 0.5]
    """
    from .change import change_counts

    if metrics is None:
        metrics = cohort.metrics(verbose=verbose)
    result = change_table(metrics, cohort.people, baseline=baseline, followup=followup, columns=columns)
    if not counts:
        return result
    pairs = pd.DataFrame(
        {
            "person_id": result.table.index,
            "before": result.table["baseline_date"].to_numpy(),
            "after": result.table["followup_date"].to_numpy(),
        }
    )
    extra = change_counts(cohort.connections, cohort.ties, pairs).set_axis(result.table.index)
    return dataclasses.replace(result, table=pd.concat([result.table, extra], axis=1))


# -- statistics ------------------------------------------------------------------------

#: Up to this many non-zero differences the signed-rank test is exact.
EXACT_UP_TO = 50


def signed_rank_test(differences: Sequence[float] | np.ndarray) -> tuple[float, float, str]:
    r"""The two-sided Wilcoxon signed-rank test (Wilcoxon 1945) of paired differences.

    Zero differences are left out (Wilcoxon's own rule); ties among the others get
    their average rank.  Returns ``(statistic, p_value, method)``: the statistic is
    :math:`\min(T^+, T^-)`, the smaller of the sums of the ranks of :math:`|d_i|`
    over the positive and over the negative differences (as `scipy.stats.wilcoxon`
    gives it), and ``method`` says how the p-value was found:

    - ``"exact"`` for up to `EXACT_UP_TO` (50) non-zero differences: the exact
      distribution of :math:`T^+` over all :math:`2^n` ways of giving the ranks
      signs, with the ranks as they are (ties included), counted by convolution.
      Without ties this is `scipy.stats.wilcoxon`'s ``method="exact"``; with ties
      it is the exact permutation test (scipy's ``PermutationMethod``, which
      enumerates the same :math:`2^n` signs), in microseconds instead of seconds.
    - ``"normal"`` above that: the normal approximation
      :math:`z = (T^+ - n(n+1)/4 \mp \tfrac12) / \sigma`, with
      :math:`\sigma^2 = \{n(n+1)(2n+1) - \tfrac12\sum_j (t_j^3 - t_j)\}/24`
      (tie correction over the groups of :math:`t_j` equal :math:`|d_i|`) and a
      continuity correction of ½ towards the mean: scipy's ``method="asymptotic"``.

    All NaN (and method ``""``) when no difference is non-zero.

    >>> signed_rank_test([1, 2, 0, -1, 4])  # ranks 1.5, 3, 1.5, 4: T+ = 8.5, T- = 1.5
    (1.5, 0.375, 'exact')
    """
    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d) & (d != 0)]
    n = len(d)
    if n == 0:
        return math.nan, math.nan, ""
    tied_ranks = len(np.unique(np.abs(d))) < n
    if n > EXACT_UP_TO or not tied_ranks:
        # scipy does these two quickly: its exact test without ties, its normal
        # approximation (tie and continuity corrected) for larger samples.
        method = "normal" if n > EXACT_UP_TO else "exact"
        result = stats.wilcoxon(d, method="asymptotic" if n > EXACT_UP_TO else "exact", correction=True)
        return float(result.statistic), float(result.pvalue), method
    # With tied ranks, scipy's exact test is its permutation test, which takes
    # seconds a group; the same exact distribution is counted here by convolution.
    ranks = stats.rankdata(np.abs(d))
    plus = float(ranks[d > 0].sum())
    statistic = min(plus, float(ranks.sum()) - plus)
    # Average ranks are whole or half numbers: doubled, they are whole, and the
    # distribution of 2·T+ is the convolution of n two-point distributions.
    weights = np.rint(2 * ranks).astype(int)
    dist = np.zeros(int(weights.sum()) + 1)
    dist[0] = 1.0
    for w in weights:
        dist[w:] += dist[:-w].copy()  # w >= 2: every rank is at least 1
        dist *= 0.5
    observed = round(2 * plus)
    below, above = dist[: observed + 1].sum(), dist[observed:].sum()
    return statistic, float(min(1.0, 2 * min(below, above))), "exact"


def paired_statistics(
    baseline: Sequence[float] | np.ndarray | pd.Series,
    followup: Sequence[float] | np.ndarray | pd.Series,
    confidence: float = 0.95,
) -> dict[str, float]:
    r"""Means, mean change with a confidence interval, Wilcoxon test and effect size of paired values.

    Pairs with a missing value on either side are left out; both means are over
    the same ``n`` people.  With :math:`d_i` = follow-up − baseline:

    - ``mean_change`` :math:`\bar d`, with the t-interval of the mean paired
      difference :math:`\bar d \pm t_{(1+c)/2,\,n-1}\, s_d/\sqrt n` (NaN when n < 2);
    - ``wilcoxon_statistic``, ``p_value``: the two-sided Wilcoxon signed-rank
      test, zero differences dropped (`signed_rank_test`: exact for up to 50
      non-zero differences, ties included; the normal approximation with tie and
      continuity corrections above that); NaN when every difference is 0;
    - ``effect_size``: the matched-pairs rank-biserial correlation (Kerby 2014)

      .. math:: r = \frac{T^+ - T^-}{T^+ + T^-}

      where :math:`T^\pm` are the sums of the ranks of :math:`|d_i|` over the
      positive and the negative non-zero differences: +1 when everyone went up,
      −1 when everyone went down.

    >>> s = paired_statistics([1, 2, 3, 4], [2, 4, 3, 3])
    >>> s["n"], s["mean_change"], round(s["effect_size"], 3)
    (4, 0.5, 0.5)
    """
    b = np.asarray(pd.to_numeric(pd.Series(baseline), errors="coerce"), dtype=float)
    f = np.asarray(pd.to_numeric(pd.Series(followup), errors="coerce"), dtype=float)
    if b.shape != f.shape:
        raise ValueError("baseline and followup must have the same length")
    keep = ~(np.isnan(b) | np.isnan(f))
    b, f = b[keep], f[keep]
    d = f - b
    n = len(d)
    out: dict[str, float] = {name: math.nan for name in _FIGURES}
    out["n"] = n
    if n == 0:
        return out
    out["baseline_mean"] = float(b.mean())
    out["followup_mean"] = float(f.mean())
    out["mean_change"] = float(d.mean())
    if n >= 2:
        sd = float(d.std(ddof=1))
        half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)
        out["ci_low"], out["ci_high"] = out["mean_change"] - half, out["mean_change"] + half
    nonzero = d[d != 0]
    if len(nonzero):
        out["wilcoxon_statistic"], out["p_value"], _ = signed_rank_test(nonzero)
        ranks = stats.rankdata(np.abs(nonzero))
        plus, minus = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
        out["effect_size"] = float((plus - minus) / (plus + minus))
    return out


# -- summaries and suppression -----------------------------------------------------------


def _table_of(change: CohortChange | pd.DataFrame) -> pd.DataFrame:
    return change.table if isinstance(change, CohortChange) else change


def summarise(
    change: CohortChange | pd.DataFrame,
    by: str | None = None,
    *,
    metrics: Sequence[str] | None = None,
    min_count: int = 5,
    round_counts: bool = False,
    total: bool = True,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Baseline, follow-up and change per group and metric, with small groups suppressed.

    Parameters
    ----------
    change
        A `CohortChange` (or its ``.table``).
    by
        A column of the table to break down by (``"ward"``, ``"age_band"``, any
        people.csv column carried into it); ``None`` for everyone together.  A
        missing value is its own group, ``"not recorded"``.
    metrics
        Which metrics (default `SUMMARY_METRICS`, those present).
    min_count
        Smallest group shown (default 5; ONS publishes with 10).  See `suppress`.
    round_counts
        Round ``n`` to the nearest 5 (after suppression).
    total
        Add a row for everyone (``"All people"``) to each breakdown.
    confidence
        Of the t-interval of the mean change.

    Returns
    -------
    pandas.DataFrame
        One row per group and metric: the group (column ``by``, or ``group`` when
        ``by`` is None), ``metric``, ``n`` (people with the metric known at both
        maps), ``baseline_mean``, ``followup_mean``, ``mean_change``, ``ci_low``,
        ``ci_high`` (t-interval of the mean paired difference),
        ``wilcoxon_statistic``, ``p_value`` (Wilcoxon signed-rank, `signed_rank_test`),
        ``effect_size`` (matched-pairs rank-biserial correlation); then the share
        isolated and the share lonely at baseline and follow-up (the means of the
        group's ``isolated`` and ``lonely`` rows, shown beside each other and never
        combined); ``hopes_realised`` and ``people_with_hopes_realised`` (how many
        hopes came true in the group between baseline and follow-up, and for how
        many young people; NaN unless the table has `cohort_change`'s counts); and
        ``suppressed``.  For yes/no metrics the means are shares.  The ``hopes``
        metric's means are the hopes held at baseline and at follow-up.

    Examples
    --------
    Twelve people in three wards.  Mackworth's one person is hidden, and so is
    Alvaston (the smallest group left), or Mackworth's figures could be worked
    out from the total:

    >>> table = pd.DataFrame({
    ...     "ward": ["Alvaston"] * 5 + ["Darley"] * 6 + ["Mackworth"],
    ...     "people_baseline": [2, 3, 1, 4, 2, 3, 3, 2, 5, 1, 2, 2],
    ...     "people_followup": [3, 5, 2, 4, 4, 3, 4, 2, 6, 3, 3, 1]})
    >>> table["people_change"] = table["people_followup"] - table["people_baseline"]
    >>> summary = summarise(table, by="ward", metrics=["people"])
    >>> summary[["ward", "n", "baseline_mean", "followup_mean", "suppressed"]].round(2)
             ward     n  baseline_mean  followup_mean  suppressed
    0    Alvaston  <NA>            NaN            NaN        True
    1      Darley     6           2.67           3.50       False
    2   Mackworth  <NA>            NaN            NaN        True
    3  All people    12           2.50           3.33       False
    >>> everyone = summarise(table, metrics=["people"]).iloc[0]
    >>> everyone["group"], round(float(everyone["mean_change"]), 3), round(float(everyone["p_value"]), 3)
    ('All people', 0.833, 0.027)
    """
    table = _table_of(change)
    label = by or "group"
    if metrics is None:
        metrics = [m for m in SUMMARY_METRICS if f"{m}_change" in table.columns]
    else:
        absent = [m for m in metrics if f"{m}_change" not in table.columns]
        if absent:
            raise NotFoundError(f"no change of {', '.join(map(repr, absent))} in the table (numbers only)")
    if by is not None and by not in table.columns:
        raise NotFoundError(f"the change table has no column {by!r}; carry it with columns=[{by!r}, ...]")
    wanted = list(dict.fromkeys([*metrics, *(m for m in ("isolated", "lonely") if f"{m}_change" in table)]))
    groups: list[tuple[str, pd.DataFrame]] = []
    if by is not None:
        keys = table[by].astype(object).where(table[by].notna(), NOT_RECORDED).astype(str)
        for key in sorted(keys.unique(), key=lambda k: (k == NOT_RECORDED, k)):
            groups.append((key, table[keys == key]))
    if total or by is None:
        groups.append((TOTAL, table))
    rows = []
    for key, part in groups:
        # Hopes realised need compare()'s counts (`cohort_change`); blank without them.
        realised = part["hopes_realised"] if "hopes_realised" in part.columns else None
        hoped = {
            "hopes_realised": float(realised.sum()) if realised is not None else np.nan,
            "people_with_hopes_realised": float((realised > 0).sum()) if realised is not None else np.nan,
        }
        for metric in wanted:
            figures = paired_statistics(part[f"{metric}_baseline"], part[f"{metric}_followup"], confidence)
            rows.append({label: key, "metric": metric, **figures, **hoped})
    out = pd.DataFrame(rows, columns=[label, "metric", *_FIGURES, *_HOPES])
    out["n"] = out["n"].astype("Int64")
    out = suppress(out, by=label, min_count=min_count, total=TOTAL if (total and by is not None) else None)
    for metric in ("isolated", "lonely"):
        shares = out[out["metric"] == metric].set_index(label)
        for when in ("baseline", "followup"):
            out[f"{metric}_{when}"] = out[label].map(shares[f"{when}_mean"]) if len(shares) else np.nan
    out = out[out["metric"].isin(metrics)].reset_index(drop=True)
    if round_counts:
        out["n"] = round_to_five(out["n"])
    return out[[label, "metric", *_FIGURES, *_SHARES, *_HOPES, "suppressed"]]


# -- waves -------------------------------------------------------------------------------


def wave_numbers(metrics: pd.DataFrame) -> pd.Series:
    """Each map's number in its person's timeline (1 = first map), aligned to the metrics index.

    A "wave" in socialcap's cohort plots and report is this number: everyone's
    first map, everyone's second map, and so on, whatever their dates.

    >>> index = pd.MultiIndex.from_tuples(
    ...     [("P1", pd.Timestamp("2025-01-01")), ("P1", pd.Timestamp("2025-06-01")),
    ...      ("P1", pd.Timestamp("2025-12-01")), ("P2", pd.Timestamp("2025-03-01"))],
    ...     names=["person_id", "date"])
    >>> wave_numbers(pd.DataFrame({"people": [1, 2, 3, 4]}, index=index)).tolist()
    [1, 2, 3, 1]
    """
    dates = pd.Series(metrics.index.get_level_values("date"), index=metrics.index)
    persons = metrics.index.get_level_values("person_id")
    return dates.groupby(persons).rank(method="first").astype(int).rename("wave")


def wave_summary(
    metrics: pd.DataFrame,
    *,
    min_count: int = 5,
    round_counts: bool = False,
) -> pd.DataFrame:
    """Per wave (first map, second map, …): share isolated, share lonely and reliance on paid people.

    Returns one row per wave: ``maps`` (how many people have a map of that
    number); ``isolated_known``, ``isolated_share`` (of the maps whose LSNS-6
    could be scored); ``lonely_known``, ``lonely_share`` (of the maps with all
    three UCLA answers); ``people_mean``, ``informal_people_mean``,
    ``paid_people_mean`` and ``paid_share_mean`` (the mean of each map's share of
    paid people, over maps with at least one person); and ``suppressed``.  A share
    or mean resting on fewer than ``min_count`` maps is blanked; a wave with fewer
    than ``min_count`` maps is suppressed whole.

    Examples
    --------
    Six people, each isolated at their first map and not at their second:

    >>> index = pd.MultiIndex.from_product(
    ...     [[f"P{i}" for i in range(6)], pd.to_datetime(["2025-01-01", "2025-07-01"])],
    ...     names=["person_id", "date"])
    >>> metrics = pd.DataFrame({"people": [2, 4] * 6, "isolated": [True, False] * 6}, index=index)
    >>> wave_summary(metrics)[["wave", "maps", "isolated_share", "people_mean", "suppressed"]]
       wave  maps  isolated_share  people_mean  suppressed
    0     1     6             1.0          2.0       False
    1     2     6             0.0          4.0       False
    >>> wave_summary(metrics, min_count=10)["suppressed"].tolist()
    [True, True]
    """
    wave = wave_numbers(metrics)
    rows = []
    for number, part in metrics.groupby(wave.to_numpy(), sort=True):
        row: dict[str, Any] = {"wave": int(number), "maps": len(part)}
        for flag in ("isolated", "lonely"):
            values = _as_float(part[flag]).dropna() if flag in part else pd.Series(dtype=float)
            row[f"{flag}_known"] = len(values)
            row[f"{flag}_share"] = float(values.mean()) if len(values) >= min_count else math.nan
        for metric in ("people", "informal_people", "paid_people", "paid_share"):
            values = _as_float(part[metric]).dropna() if metric in part else pd.Series(dtype=float)
            row[f"{metric}_mean"] = float(values.mean()) if len(values) >= min_count else math.nan
        rows.append(row)
    columns = [
        "wave", "maps", "isolated_known", "isolated_share", "lonely_known", "lonely_share",
        "people_mean", "informal_people_mean", "paid_people_mean", "paid_share_mean",
    ]
    out = pd.DataFrame(rows, columns=columns)
    for known in ("isolated_known", "lonely_known"):
        out[known] = out[known].astype("Int64").where(out[known] >= min_count, pd.NA)
    out = suppress(out, by="wave", min_count=min_count, total=None, count="maps", within=None)
    if round_counts:
        for column in ("maps", "isolated_known", "lonely_known"):
            out[column] = round_to_five(out[column])
    return out
