"""Community assets (SPEC §12): the groups and places that hold young people in their community.

A group or place in a young person's map can carry an ``asset_id``; the same
``asset_id`` in different people's maps is the same asset (the boxing club twelve
of them name, the youth centre that closed).  The optional assets table
(assets.csv) says what each asset is: its name, kind (group or place), ward and
Open Referral UK id.

This module turns the maps into the community view, for coordinators and
analysts, with nobody identified:

* `assets` - one row per asset: how many young people's maps hold it at one point
  in time and, between a baseline and a follow-up, how many joined and left.
  Every count under ``min_count`` is blanked (`socialcap.analysis.suppress`, as in
  SPEC §4); no young person's name or id appears.
* `graph` - the two-mode network of young people (keyed pseudonymous nodes,
  ``bipartite=0``) and assets (``bipartite=1``), for `networkx.algorithms.bipartite`:
  its projection onto the assets says which assets share young people.

A count of young people naming a place is not a measure of the place's quality:
see docs/community.md for what the view can and cannot say.

Examples
--------
Three young people; two of them go to the boxing club.

>>> import pandas as pd, socialcap as sc
>>> cohort = sc.Cohort.from_tables(
...     people=pd.DataFrame({"person_id": ["P1", "P2", "P3"]}),
...     connections=pd.DataFrame({
...         "person_id": ["P1", "P2", "P3"], "date": "2025-03-01", "connection_id": "C1",
...         "kind": "group", "domain": "community", "asset_id": ["A1", "A1", "A2"]}),
...     assets=pd.DataFrame({"asset_id": ["A1", "A2"], "name": ["Boxing club", "Youth choir"],
...                          "kind": "group", "ward": ["Sinfin", "Derwent"]}))
>>> assets(cohort, min_count=2)
  asset_id         name   kind     ward  young_people  suppressed
0       A1  Boxing club  group   Sinfin             2       False
1       A2  Youth choir  group  Derwent          <NA>        True
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
import networkx as nx
import numpy as np
import pandas as pd

from .analysis import NOT_RECORDED, Wave, suppress
from .cohort import Cohort
from .graph import as_date
from .privacy import person_pseudonym

__all__ = ["assets", "graph", "holdings", "write", "COUNT_COLUMNS", "WRITES"]

#: File endings `write` understands.
WRITES: tuple[str, ...] = (".csv", ".xlsx", ".png", ".svg", ".pdf", ".html")

#: The columns of `assets` that count young people (each blanked under ``min_count``).
COUNT_COLUMNS: tuple[str, ...] = ("young_people", "joined", "left")
#: Columns of the assets table that describe an asset in `assets`' output.
_DESCRIBE: tuple[str, ...] = ("name", "kind", "ward")


def _when(cohort: Cohort, at: str | dt.date | pd.Timestamp) -> pd.Series:
    """Each young person's chosen snapshot date (person_id -> date); people with none left out.

    ``at`` is ``"first"``, ``"latest"`` (or ``"last"``) or a date: each person's
    latest snapshot on or before it.
    """
    maps = cohort.snapshots[["person_id", "date"]]
    grouped = maps.groupby("person_id", sort=True)["date"]
    word = at.strip().lower() if isinstance(at, str) else None
    if word == "first":
        return grouped.min()
    if word in ("latest", "last"):
        return grouped.max()
    try:
        day = pd.Timestamp(as_date(at))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"at={at!r} is not first, latest or a date written as YYYY-MM-DD") from None
    before = maps[maps["date"] <= day]
    return before.groupby("person_id", sort=True)["date"].max()


def _pairs(cohort: Cohort, dates: pd.Series) -> pd.DataFrame:
    """(person_id, asset_id) for every asset held in the chosen snapshots, each pair once."""
    connections = cohort.connections
    if "asset_id" not in connections.columns or dates.empty:
        return pd.DataFrame({"person_id": pd.Series([], dtype="str"), "asset_id": pd.Series([], dtype="str")})
    # A hope naming an asset (a club they would like to join) is not yet held (SPEC §11).
    held_rows = connections["asset_id"].notna()
    if "hope" in connections.columns:
        held_rows &= ~connections["hope"].fillna(False).astype(bool)
    rows = connections.loc[held_rows, ["person_id", "date", "asset_id"]]
    chosen = dates.rename("date").reset_index()
    held = rows.merge(chosen, on=["person_id", "date"], how="inner")
    return held[["person_id", "asset_id"]].drop_duplicates().reset_index(drop=True)


def holdings(cohort: Cohort, at: str | dt.date | pd.Timestamp = "latest") -> pd.DataFrame:
    """Which young person's map holds which asset at ``at``: one row per (person_id, asset_id).

    This is the two-mode data behind `assets` and `graph`, with the young people's
    real ids: it is for the coordinator's own use and never leaves the library
    (use `graph` for a pseudonymous version).

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P1"]}),
    ...     connections=pd.DataFrame({"person_id": "P1", "date": "2025-03-01",
    ...         "connection_id": ["C1", "C2"], "kind": ["group", "place"], "domain": "community",
    ...         "asset_id": ["A1", "A1"]}))
    >>> holdings(cohort)  # two rows name A1: it counts once
      person_id asset_id
    0        P1       A1
    """
    return _pairs(cohort, _when(cohort, at))


def _catalogue(cohort: Cohort) -> pd.DataFrame:
    """Every known asset (assets.csv, then asset_ids only seen in connections), described."""
    table = cohort.assets[["asset_id", *_DESCRIBE]].copy()
    connections = cohort.connections
    if "asset_id" in connections.columns:
        named = connections.loc[connections["asset_id"].notna(), ["asset_id", "kind"]]
        unlisted = named[~named["asset_id"].isin(table["asset_id"])]
        if len(unlisted):
            # Without assets.csv, the kind is what the maps say; the name stays blank,
            # because the maps' own labels are free text written about one person.
            kinds = unlisted.groupby("asset_id", sort=True)["kind"].agg(lambda k: k.mode().iloc[0])
            extra = pd.DataFrame({"asset_id": kinds.index.astype("str"), "kind": kinds.to_numpy()})
            table = pd.concat([table, extra], ignore_index=True)
    for column in table.columns:
        table[column] = table[column].astype("str")
    return table.sort_values("asset_id", kind="stable").reset_index(drop=True)


def _count(pairs: pd.DataFrame, unit: pd.Series) -> pd.Series:
    """Distinct young people per unit (an asset, or a group of assets)."""
    if pairs.empty:
        return pd.Series(dtype="int64")
    keyed = pairs.assign(unit=pairs["asset_id"].map(unit))
    return keyed.drop_duplicates(["person_id", "unit"]).groupby("unit").size()


def _blank_small(table: pd.DataFrame, key: str, min_count: int) -> pd.DataFrame:
    """Blank each count under ``min_count`` with the one suppression rule of `socialcap.analysis.suppress`.

    Each count (``young_people``, ``joined``, ``left``) is checked on its own, so a
    closed asset still shows how many left it; ``suppressed`` says whether any
    count of the row is blank.
    """
    out = table.copy()
    hidden = np.zeros(len(table), dtype=bool)
    for column in COUNT_COLUMNS:
        if column in table.columns:
            alone = suppress(table[[key, column]], key, min_count=min_count, total=None, count=column, within=None)
            out[column] = alone[column].astype("Int64")
            hidden |= alone["suppressed"].to_numpy(dtype=bool)
    out["suppressed"] = hidden
    return out


def assets(
    cohort: Cohort,
    at: str | dt.date | pd.Timestamp = "latest",
    *,
    baseline: str | Wave | None = None,
    followup: str | Wave | None = None,
    min_count: int = 5,
    by: str | None = None,
) -> pd.DataFrame:
    """One row per community asset: how many young people's maps hold it, small counts blanked.

    Parameters
    ----------
    cohort
        The cohort; its connections' ``asset_id`` and its assets table (SPEC §12).
    at
        Which snapshot of each young person counts: ``"first"``, ``"latest"``, or a
        date (each person's latest snapshot on or before it; people with no map by
        then are not counted).
    baseline, followup
        Give either (or both) to add ``joined`` and ``left``: among the young people
        with a baseline and a later follow-up map (`socialcap.analysis.Wave`:
        ``"first"``, ``"last"``, a date, ``"12m"``; defaults first and last, as in
        SPEC §4), how many hold the asset at the follow-up and did not at the
        baseline, and the other way round.
    min_count
        Every count under it is blanked, zeros too (SPEC §4, §7), each count on its
        own; ``suppressed`` is true where any count of the row is blank.
    by
        A column of the assets table (``"ward"``, ``"kind"`` or an extra column) to
        group assets by: one row per value, ``assets`` (how many assets) and the
        counts of distinct young people holding any of them (a young person at two
        clubs of one ward counts once).  Assets without a value are grouped as
        ``"not recorded"``.

    Returns
    -------
    pandas.DataFrame
        ``asset_id``, ``name``, ``kind``, ``ward``, ``young_people``, then
        ``joined`` and ``left`` when asked, and ``suppressed``; sorted by
        ``asset_id``.  With ``by``: ``by``, ``assets``, the counts and
        ``suppressed``.  Never a young person's name or id.  An asset held by one
        young person counts once however many rows name it.

    Examples
    --------
    Five young people at the boxing club at first; at the follow-up one has left
    and two have joined.  Every count under ``min_count`` is blanked, zeros too.

    >>> import pandas as pd, socialcap as sc
    >>> rows = ([(f"P{i}", "2025-01-10", "A1" if i < 5 else None) for i in range(7)]
    ...         + [(f"P{i}", "2025-07-10", "A1" if i > 0 else None) for i in range(7)])
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": [f"P{i}" for i in range(7)]}),
    ...     connections=pd.DataFrame([{"person_id": p, "date": d, "connection_id": "C1",
    ...         "kind": "group", "domain": "community", "asset_id": a} for p, d, a in rows]),
    ...     assets=pd.DataFrame({"asset_id": ["A1"], "name": ["Boxing club"], "kind": ["group"]}))
    >>> assets(cohort, baseline="first", followup="last", min_count=1)
      asset_id         name   kind ward  young_people  joined  left  suppressed
    0       A1  Boxing club  group  NaN             6       2     1       False
    >>> assets(cohort, at="first", baseline="first", min_count=2)[["young_people", "joined", "left", "suppressed"]]
       young_people  joined  left  suppressed
    0             5       2  <NA>        True
    """
    if not isinstance(min_count, (int, np.integer)) or isinstance(min_count, bool) or min_count < 1:
        raise ValueError(f"min_count must be a whole number of 1 or more, not {min_count!r}")
    catalogue = _catalogue(cohort)
    if by is not None and by not in cohort.assets.columns:
        raise ValueError(
            f"by={by!r} is not a column of the assets table; use one of: {', '.join(cohort.assets.columns)}"
        )
    if by is None or by == "asset_id":
        key, unit = "asset_id", pd.Series(catalogue["asset_id"].to_numpy(), index=catalogue["asset_id"])
        table = catalogue
    else:
        # The catalogue knows each asset's kind even without assets.csv (from the maps).
        described = catalogue if by in catalogue.columns else cohort.assets
        values = catalogue["asset_id"].map(described.set_index("asset_id")[by].astype("str"))
        values = values.fillna(NOT_RECORDED)
        unit = pd.Series(values.to_numpy(), index=catalogue["asset_id"])
        sizes = unit.value_counts()
        key = by
        table = pd.DataFrame({by: sorted(sizes.index)}).astype("str")
        table["assets"] = table[by].map(sizes).astype("Int64")

    held = _count(_pairs(cohort, _when(cohort, at)), unit)
    table["young_people"] = table[key].map(held).fillna(0).astype("Int64")
    if baseline is not None or followup is not None:
        joined, left = _moves(cohort, Wave.parse(baseline or "first"), Wave.parse(followup or "last"), unit)
        table["joined"] = table[key].map(joined).fillna(0).astype("Int64")
        table["left"] = table[key].map(left).fillna(0).astype("Int64")
    out = _blank_small(table, key, min_count)
    # For the chart and the report: what the counts mean, in words.
    out.attrs["min_count"] = int(min_count)
    out.attrs["at_words"] = _at_words(at)
    if baseline is not None or followup is not None:
        out.attrs["change_words"] = (
            f"between {Wave.parse(baseline or 'first').describe()} and {Wave.parse(followup or 'last').describe()}"
        )
    return out


def _at_words(at: str | dt.date | pd.Timestamp) -> str:
    word = at.strip().lower() if isinstance(at, str) else None
    if word == "first":
        return "each young person's first map"
    if word in ("latest", "last"):
        return "each young person's latest map"
    from ._words import long_date

    return f"each young person's latest map on or before {long_date(as_date(at))}"  # type: ignore[arg-type]


def write(table: pd.DataFrame, path: str | os.PathLike[str], *, group: str | None = "ward") -> Path:
    """Write an `assets` table by its file ending: ``.csv``, ``.xlsx``, or the chart as
    ``.png``, ``.svg``, ``.pdf`` or an offline ``.html`` page.

    Written atomically; a text cell is always text in the workbook, never a
    formula.  ``group`` is the column the chart groups assets under.  Returns the path.

    Examples
    --------
    >>> import tempfile, socialcap as sc
    >>> table = assets(sc.datasets.synthetic(people=40, waves=2, seed=1))
    >>> write(table, tempfile.mkdtemp() + "/assets.csv").read_text().splitlines()[0]
    '"asset_id","name","kind","ward","young_people","suppressed"'
    """
    from .io import write_table

    target = Path(path)
    ending = target.suffix.lower()
    if ending not in WRITES:
        raise ValueError(f"cannot tell what to write to {str(target)!r}: end the name with one of {', '.join(WRITES)}")
    if ending == ".csv":
        return write_table(table, target)
    if ending == ".xlsx":
        return _write_sheet(table, target)
    from . import maps

    if ending == ".html":
        return maps.assets_html(table, target, group=group)
    return maps.save(maps.assets_chart(table, group=group), target)


def _write_sheet(table: pd.DataFrame, path: Path) -> Path:
    from .io import write_text_sheets

    return write_text_sheets({"assets": table}, path)


def _moves(cohort: Cohort, baseline: Wave, followup: Wave, unit: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Young people per unit who came to hold it (joined) or stopped (left) between two maps."""
    maps = cohort.snapshots[["person_id", "date"]]
    starts = cohort.people.set_index("person_id")["start_date"] if "start_date" in cohort.people else None
    first = baseline.pick(maps, starts)
    then = followup.pick(maps, starts)
    both = first.index.intersection(then.index)
    later = both[(then[both] > first[both]).to_numpy()]
    before = _pairs(cohort, first[later])
    after = _pairs(cohort, then[later])
    for frame in (before, after):
        frame["unit"] = frame["asset_id"].map(unit)
    before = before.drop_duplicates(["person_id", "unit"])[["person_id", "unit"]]
    after = after.drop_duplicates(["person_id", "unit"])[["person_id", "unit"]]
    merged = before.merge(after, on=["person_id", "unit"], how="outer", indicator=True)
    joined = merged[merged["_merge"] == "right_only"].groupby("unit").size()
    left = merged[merged["_merge"] == "left_only"].groupby("unit").size()
    return joined, left


def graph(
    cohort: Cohort,
    at: str | dt.date | pd.Timestamp = "latest",
    *,
    key: bytes | str | None = None,
) -> nx.Graph:
    """The two-mode network of young people and the assets their maps hold at ``at``.

    Parameters
    ----------
    cohort
        The cohort.
    at
        ``"first"``, ``"latest"`` or a date, as in `assets`.
    key
        The secret key of the young people's pseudonyms
        (`socialcap.privacy.person_pseudonym`): the same key gives the same node
        ids as `socialcap.pseudonymise`.  Without one, a fresh random key is used,
        so the nodes cannot be linked to anything, not even to another call.

    Returns
    -------
    networkx.Graph
        A node per young person with a map at ``at`` (a pseudonym ``P-…``,
        ``bipartite=0``) and per known asset (its ``asset_id``, ``bipartite=1``,
        with ``kind``, ``name`` and ``ward`` where assets.csv gives them); an edge
        where that young person's map holds the asset.  No young person's name,
        id or other attribute is on it.

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> from networkx.algorithms import bipartite
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P1", "P2"]}),
    ...     connections=pd.DataFrame({"person_id": ["P1", "P1", "P2"], "date": "2025-03-01",
    ...         "connection_id": ["C1", "C2", "C1"], "kind": "group", "domain": "community",
    ...         "asset_id": ["A1", "A2", "A1"]}))
    >>> g = graph(cohort, key=b"a long secret key kept elsewhere")
    >>> sorted(n for n, side in g.nodes(data="bipartite") if side == 0)
    ['P-5ad661fd3e822abb', 'P-d098914a2ea751e8']
    >>> shared = bipartite.weighted_projected_graph(g, ["A1", "A2"])
    >>> shared.edges(data="weight")
    EdgeDataView([('A1', 'A2', 1)])
    """
    secret = key if key is not None else secrets.token_bytes(32)
    dates = _when(cohort, at)
    pairs = _pairs(cohort, dates)
    names = {p: person_pseudonym(p, secret) for p in dates.index}
    out = nx.Graph()
    out.add_nodes_from(sorted(names.values()), bipartite=0)
    for row in _catalogue(cohort).itertuples(index=False):
        if row.asset_id in out:  # pragma: no cover - an asset_id shaped like a pseudonym, 1 in 2**64
            raise ValueError(f"asset_id {row.asset_id!r} is also a young person's pseudonym; use another key")
        described = {c: getattr(row, c) for c in _DESCRIBE if not pd.isna(getattr(row, c))}
        out.add_node(row.asset_id, bipartite=1, **described)
    out.add_edges_from(zip(pairs["person_id"].map(names), pairs["asset_id"]))
    return out
