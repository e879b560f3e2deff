"""The community asset chart (SPEC §12): a wall chart of the groups and places young people share.

`assets_chart` draws the table of `socialcap.community.assets` with matplotlib:
assets grouped by ward (or any column), coloured and marked by kind, one bar per
asset for how many young people's maps hold it, a hatched stub saying "under 5"
where the count is suppressed, and how many joined and left since the baseline.
`assets_html` writes the same chart as one offline HTML page with the figures as
a table: no script at all, no request, every text escaped, and a
Content-Security-Policy that would stop anything that slipped through.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import textwrap
from pathlib import Path

import jinja2
import matplotlib
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from markupsafe import Markup
from matplotlib.patches import Patch

from ..analysis import NOT_RECORDED
from ..io import atomic_write
from ._draw import RC
from ._style import FONT_FAMILY

__all__ = ["assets_chart", "assets_html", "KIND_COLOURS", "KIND_HATCHES"]

#: Okabe–Ito colours for the two kinds of asset (and a hatch, so they read in grey).
KIND_COLOURS: dict[str, str] = {"group": "#0072B2", "place": "#009E73", "": "#8C8C8C"}
KIND_HATCHES: dict[str, str] = {"group": "", "place": "..", "": ""}
SUPPRESSED_COLOUR = "#D9D9D9"
#: Inches per bar, and the page width of the chart.
ROW_HEIGHT = 0.27
WIDTH = 11.69


def _count(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _under(min_count: int) -> str:
    return f"under {min_count}"


def _label(row: pd.Series, key: str) -> str:
    """An asset's label: its name from assets.csv, else its id (one line, never a map's label)."""
    for column in ("name", key):
        value = row.get(column)
        if value is not None and not pd.isna(value) and str(value).strip():
            return " ".join(str(value).split())
    return ""


def _rows(table: pd.DataFrame, group: str | None) -> tuple[str, list[tuple[str, pd.DataFrame]]]:
    """The key column, and the table cut into (heading, rows) sections, biggest first within each."""
    key = "asset_id" if "asset_id" in table.columns else str(table.columns[0])
    ordered = table.assign(_n=table["young_people"].astype("Float64").fillna(-1.0))
    ordered = ordered.sort_values(["_n", key], ascending=[False, True], kind="stable").drop(columns="_n")
    if group is None or group not in ordered.columns or group == key:
        return key, [("", ordered)]
    heading = ordered[group].astype(object).where(ordered[group].notna(), NOT_RECORDED).astype(str)
    sections = [(name, ordered[heading == name]) for name in sorted(heading.unique(), key=lambda h: (h == NOT_RECORDED, h))]
    return key, sections


def _movement(row: pd.Series, min_count: int) -> str:
    parts = []
    for column, word in (("joined", "joined"), ("left", "left")):
        if column in row.index:
            n = _count(row[column])
            parts.append(f"{_under(min_count) if n is None else n} {word}")
    return " \u00b7 ".join(parts)


def _subtitle(table: pd.DataFrame, min_count: int) -> str:
    at = table.attrs.get("at_words", "each young person's latest map")
    words = f"Young people whose map holds each asset: {at}. Counts {_under(min_count)} are not shown"
    if "joined" in table.columns:
        words += f"; joined and left: {table.attrs.get('change_words', 'between the first and the latest map')}"
    return words + "."


def assets_chart(table: pd.DataFrame, *, group: str | None = "ward", title: str | None = None) -> Figure:
    """A wall chart of the community assets table: one bar per asset, grouped by ward.

    Parameters
    ----------
    table
        What `socialcap.community.assets` returns (with or without ``joined`` and
        ``left``; with ``by=`` it draws one bar per group instead).
    group
        The column to group bars under headings (``"ward"``, ``"kind"``) or None.
    title
        The chart's title (default: "Community assets").

    Returns
    -------
    matplotlib.figure.Figure
        One bar per row with its count at its end; a hatched grey stub reading
        "under 5" where the count is suppressed; the number joined and left to the
        right; a key of the kinds.  No young person's name or id is on it.

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=60, waves=2, seed=1)
    >>> fig = assets_chart(sc.community.assets(cohort, baseline="first", followup="last"))
    >>> fig.axes[0].get_title(loc="left")
    'Community assets'
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['group', 'place', 'under 5 young people: not shown']
    """
    min_count = int(table.attrs.get("min_count", 5))
    key, sections = _rows(table, group)
    n_rows = sum(len(rows) + 1 for _, rows in sections if len(rows)) if group else len(table)
    height = max(4.5, 1.9 + ROW_HEIGHT * max(n_rows, 1))
    fig = Figure(figsize=(WIDTH, height))
    with matplotlib.rc_context(RC):
        ax = fig.add_axes((0.30, 1.05 / height, 0.52, 1 - 1.95 / height))
        counts = pd.to_numeric(table["young_people"], errors="coerce")
        top = float(np.nanmax(counts.to_numpy(dtype=float, na_value=np.nan))) if counts.notna().any() else float(min_count)
        top = max(top, float(min_count))
        y = 0.0
        ticks: list[float] = []
        labels: list[str] = []
        for heading, rows in sections:
            if not len(rows):
                continue
            if heading:
                ax.text(-0.01, y, heading, transform=ax.get_yaxis_transform(), ha="right", va="center",
                        fontsize=11, fontweight="bold", color="#1A1A1A", gid="heading")
                y += 1
            for _, row in rows.iterrows():
                kind = str(row.get("kind", "")) if "kind" in row.index and not pd.isna(row.get("kind")) else ""
                n = _count(row["young_people"])
                if n is None:
                    bar = ax.barh(y, min_count * 0.999, height=0.7, color=SUPPRESSED_COLOUR, hatch="////",
                                  edgecolor="#8C8C8C", linewidth=0.6, linestyle="--")[0]
                    bar.set_gid("suppressed")
                    ax.text(min_count * 0.999 + top * 0.01, y, _under(min_count), va="center", fontsize=8.5,
                            color="#555555", gid="count")
                else:
                    bar = ax.barh(y, n, height=0.7, color=KIND_COLOURS.get(kind, KIND_COLOURS[""]),
                                  hatch=KIND_HATCHES.get(kind, ""), edgecolor="white", linewidth=0.6)[0]
                    bar.set_gid("count")
                    ax.text(n + top * 0.01, y, str(n), va="center", fontsize=9, color="#1A1A1A", gid="count")
                moved = _movement(row, min_count)
                if moved:
                    ax.text(1.02, y, moved, transform=ax.get_yaxis_transform(), va="center", fontsize=8.5,
                            color="#333333", gid="movement")
                ticks.append(y)
                labels.append(_label(row, key))
                y += 1
        ax.set_yticks(ticks, labels, fontsize=9)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(max(y, 1) - 0.4, -0.8)
        ax.set_xlim(0, top * 1.12)
        ax.set_xlabel("young people whose map holds it", fontsize=9)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        if "joined" in table.columns:
            ax.text(1.02, -0.8, "since the baseline", transform=ax.get_yaxis_transform(), va="bottom",
                    fontsize=8.5, fontweight="bold", color="#333333")
        ax.set_title(title or "Community assets", loc="left", fontsize=16, fontweight="bold", pad=34,
                     fontfamily=FONT_FAMILY)
        ax.text(0, 1.0 + 0.05 / height, "\n".join(textwrap.wrap(_subtitle(table, min_count), 120)),
                transform=ax.transAxes, fontsize=8.5, color="#444444", va="bottom", ha="left")
        kinds = [k for k in ("group", "place") if "kind" in table.columns and (table["kind"] == k).any()]
        handles = [Patch(facecolor=KIND_COLOURS[k], hatch=KIND_HATCHES[k], edgecolor="white", label=k) for k in kinds]
        handles.append(Patch(facecolor=SUPPRESSED_COLOUR, hatch="////", edgecolor="#8C8C8C",
                             label=f"{_under(min_count)} young people: not shown"))
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.30, 0.01), bbox_transform=fig.transFigure,
                  fontsize=8.5, frameon=False, ncol=len(handles))
        fig.text(0.30, 0.004, "A count of young people whose maps name a group or place is not a measure of its quality. "
                 "No young person is named.", fontsize=7.5, color="#666666")
    return fig


# -- the offline page ------------------------------------------------------------------

_PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src {{ style_hash }}; script-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ style }}</style>
</head>
<body data-drawn="yes">
<h1>{{ title }}</h1>
<p class="lead">{{ subtitle }}</p>
<img id="chart" alt="{{ title }}: a bar per asset, grouped by ward" src="{{ image }}">
<table id="assets">
<thead><tr>{% for h in headings %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
<p class="note">A count of young people whose maps name a group or place is not a measure of its quality,
and a blank is not a zero: counts under {{ min_count }} are not shown, so that nobody can be singled out.
No young person is named or identified on this page.</p>
</body>
</html>
""")

_STYLE = (
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em auto;max-width:70em;color:#1a1a1a;padding:0 1em}"
    "h1{font-size:1.6em;margin-bottom:.2em}.lead{color:#444}.note{color:#555;font-size:.9em}"
    "img{width:100%;height:auto;border:1px solid #eee}"
    "table{border-collapse:collapse;margin-top:1.5em;width:100%}"
    "th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left}"
    "td:nth-child(n+4){text-align:right}"
)

_HEADINGS = {"name": "Asset", "asset_id": "Asset", "kind": "Kind", "ward": "Ward", "assets": "Assets",
             "young_people": "Young people", "joined": "Joined", "left": "Left"}


def _style_hash() -> str:
    digest = hashlib.sha256(_STYLE.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _cells(table: pd.DataFrame, min_count: int) -> tuple[list[str], list[list[str]]]:
    key = "asset_id" if "asset_id" in table.columns else str(table.columns[0])
    columns = [c for c in ("name", "kind", "ward") if c in table.columns] if key == "asset_id" else [key]
    if key != "asset_id" and "assets" in table.columns:
        columns.append("assets")
    columns += [c for c in ("young_people", "joined", "left") if c in table.columns]
    headings = [_HEADINGS.get(c, c) for c in columns]
    rows = []
    for _, row in table.iterrows():
        cells = []
        for c in columns:
            if c in ("young_people", "joined", "left"):
                n = _count(row[c])
                cells.append(_under(min_count) if n is None else str(n))
            elif c == "name":
                cells.append(_label(row, key))
            else:
                cells.append("" if pd.isna(row[c]) else " ".join(str(row[c]).split()))
        rows.append(cells)
    return headings, rows


def assets_html(table: pd.DataFrame, path: str | os.PathLike[str], *, group: str | None = "ward",
                title: str | None = None) -> Path:
    """Write the asset chart and its figures as one offline HTML page.

    The chart is an SVG picture inside the page (pictures run nothing); the
    figures are an HTML table with every text escaped; there is no script, and
    the page's Content-Security-Policy allows no request and no script at all.
    Written atomically.  Returns the path.

    Examples
    --------
    >>> import tempfile, socialcap as sc
    >>> table = sc.community.assets(sc.datasets.synthetic(people=40, waves=2, seed=1))
    >>> page = assets_html(table, tempfile.mkdtemp() + "/assets.html").read_text()
    >>> "<script" in page, "script-src 'none'" in page
    (False, True)
    """
    min_count = int(table.attrs.get("min_count", 5))
    fig = assets_chart(table, group=group, title=title)
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, facecolor="white")
    image = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    headings, rows = _cells(table, min_count)
    page = _PAGE.render(title=title or "Community assets", subtitle=_subtitle(table, min_count), image=image,
                        headings=headings, rows=rows, min_count=min_count, style=Markup(_STYLE), style_hash=Markup(_style_hash()))
    target = Path(path)
    with atomic_write(target, "w", encoding="utf-8") as handle:
        handle.write(page)
    return target
