"""The interactive map: one self-contained HTML file, safe with any text in the data.

The network is built here as vis-network's nodes, edges and options (at the
positions of the circles map, physics off) and written with socialcap's own page.
Only pyvis's copy of vis-network is used, read as two files: importing pyvis
would import IPython (a quarter of a second), and its template cannot be made safe
or offline (pyvis 0.3.2):

* it links Bootstrap from a CDN in every mode, and vis-network too unless
  ``cdn_resources="in_line"``;
* it writes ``heading`` unescaped, twice (and node ids too, with ``select_menu``);
* as soon as one hover text contains ``href`` it shows every hover text with
  ``innerHTML``;
* ``from_nx`` copies every node attribute, free-text notes included, into the page.

So here: the page is an autoescaping Jinja template; vis-network 9.1.2 (the copy
pyvis ships) is written into the page; hover texts are plain strings, which
vis-network writes with ``innerText``; node ids are numbers (0 is the person), not
anything from the data; each node carries only the fields chosen below; and a
Content-Security-Policy allows no request at all and no script but the page's own
three blocks, named by their SHA-256 hashes, so even markup that slipped through
could neither load nor run anything.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import math
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, cast

import jinja2
import numpy as np
import pandas as pd
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from .. import vocab
from ..io import atomic_write
from ._marks import darker, marks_of, tie_pairs, tint
from ._layout import layout, tie_curve
from ._style import (
    CENTRE_COLOUR,
    FONT_FAMILY,
    DOMAIN_COLOURS,
    HEART,
    HOPE_TINT,
    HOPE_VIS_SHAPE,
    KIND_VIS_SHAPES,
    RING_EDGES,
    RING_FILLS,
    SECTORS,
)
from ._text import display_text, long_date, summary_line, title_for

if TYPE_CHECKING:  # pragma: no cover
    from ..change import Change
    from ..graph import Snapshot

__all__ = ["html", "html_page"]

#: Screen pixels per map unit.
SCALE = 130.0
#: Names that would overlap another are drawn only once the map is zoomed in this far.
CROWDED_ZOOM = 1.6
TABLE_HEADINGS = ("Name", "Part of life", "Kind", "Ring", "In touch", "They give you", "You give them",
                  "Paid", "Since")


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style sheet, from the copy bundled with pyvis.

    Found without importing pyvis, whose ``__init__`` imports IPython.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise RuntimeError("the interactive map needs pyvis's copy of vis-network: pip install pyvis")
    folder = Path(spec.submodule_search_locations[0]) / "templates" / "lib" / "vis-9.1.2"
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # A closing tag inside would end the block early; the bundled files have none.
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover
        raise RuntimeError("pyvis's copy of vis-network cannot be written into a page safely")
    return js, css


@lru_cache(maxsize=1)
def _template() -> tuple[jinja2.Template, str]:
    folder = resources.files("socialcap.maps") / "templates"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    page = env.from_string(folder.joinpath("map.html").read_text(encoding="utf-8"))
    return page, folder.joinpath("map.js").read_text(encoding="utf-8")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _plain(value: object) -> str:
    """A table cell as one line of text ('' when missing)."""
    if value is None:
        return ""
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else long_date(value.date())
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return ""
    except (TypeError, ValueError):
        pass
    return " ".join(str(value).split())


def _support_words(value: object) -> str:
    text = _plain(value)
    return ", ".join(vocab.SUPPORT_LABELS.get(t, t) for t in text.split(";") if t)


def _describe(row: Any) -> dict[str, str]:
    """The fields shown for one connection, in plain words (never free-text columns)."""
    closeness = row.closeness
    ring = "" if closeness is None or pd.isna(closeness) else vocab.CLOSENESS_LABELS[int(closeness)].capitalize()
    contact = _plain(getattr(row, "contact", None))
    return {
        "name": _plain(getattr(row, "name", None)) or str(row.connection_id),
        "domain": vocab.DOMAIN_LABELS[row.domain],
        "kind": row.kind.capitalize(),
        "ring": ring,
        "contact": vocab.CONTACT_LABELS.get(contact, contact).capitalize() if contact else "",
        "receives": _support_words(getattr(row, "support_received", None)),
        "gives": _support_words(getattr(row, "support_given", None)),
        "paid": "Yes" if bool(getattr(row, "paid", False)) else "No",
        "since": _plain(getattr(row, "since", None)),
    }


def _hover(d: dict[str, str], state_words: str) -> str:
    lines = [d["name"], f"{d['domain']} \u00b7 {d['kind'].lower()}"]
    if state_words:
        lines.append(state_words)
    if d["ring"]:
        lines.append(f"Ring: {d['ring'].lower()}")
    if d["contact"]:
        lines.append(f"In touch: {d['contact'].lower()}")
    if d["receives"]:
        lines.append(f"They give you: {d['receives']}")
    if d["gives"]:
        lines.append(f"You give them: {d['gives']}")
    if d["paid"] == "Yes":
        lines.append("Paid: yes, a worker or service")
    if d["since"]:
        lines.append(f"Since {d['since']}")
    return "\n".join(lines)


def _paper() -> dict[str, Any]:
    rings = [{"radius": RING_EDGES[k] * SCALE, "fill": RING_FILLS[k - 1]} for k in (1, 2, 3)]
    dividers = []
    for sector in SECTORS:
        a = math.radians(sector.start)
        dividers.append([RING_EDGES[0] * SCALE * math.sin(a), -RING_EDGES[0] * SCALE * math.cos(a),
                         RING_EDGES[3] * SCALE * math.sin(a), -RING_EDGES[3] * SCALE * math.cos(a)])
    sectors = []
    for sector in SECTORS:
        a = math.radians(sector.middle)
        sx, sy = math.sin(a), math.cos(a)
        align = "left" if sx > 0.3 else "right" if sx < -0.3 else "center"
        r = (RING_EDGES[3] + 0.28) * SCALE
        sectors.append({"x": r * sx, "y": -r * sy - (10 if sy > 0.3 else -10 if sy < -0.3 else 0),
                        "align": align, "lines": sector.label.replace(" & ", " &\n").split("\n")})
    names = [{"text": vocab.CLOSENESS_LABELS[k], "x": 0.0,
              "y": (RING_EDGES[k - 1] + RING_EDGES[k]) / 2 * SCALE} for k in (1, 2, 3)]
    return {"rings": rings, "dividers": dividers, "sectors": sectors, "ringNames": names,
            "extent": (RING_EDGES[3] + 0.75) * SCALE}


def _place_names(items: list[tuple[tuple, int, float, float, float, str, float]]) -> dict[int, str]:
    """Where each name goes on the interactive map: ``"below"`` its marker, ``"above"``, or ``"crowded"``.

    ``items`` are (rank, node number, x, y, marker size, label, font size) in
    vis-network's pixels.  Names are placed in rank order (as on the printed map),
    below the marker if that is free, else above; a name with no free spot is
    ``"crowded"`` and appears only when zoomed in (and always on hover).  Widths are
    measured with the map font, so the result is the same on every machine.
    """
    measure = TextToPath()
    taken = [(x - size, y - size, x + size, y + size) for _, _, x, y, size, _, _ in items]
    taken.append((-40.0, -40.0, 40.0, 40.0))  # the person in the middle
    out: dict[int, str] = {}
    for _, number, x, y, size, label, font in sorted(items, key=lambda item: (item[0], item[1])):
        width = measure.get_text_width_height_descent(
            display_text(label), FontProperties(family=FONT_FAMILY, size=font), ismath=False)[0] + 4
        height = font * 1.25 + 4
        # vis-network sets a name's top 7 px under a marker (the "hanging" baseline adds 4).
        below = (x - width / 2, y + size + 5, x + width / 2, y + size + 5 + height)
        above = (x - width / 2, y - size - 3 - height, x + width / 2, y - size - 3)
        out[number] = "crowded"
        for where, box in (("below", below), ("above", above)):
            if not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
                out[number] = where
                taken.append(box)
                break
    return out


def _is_change(subject: object) -> TypeGuard[Change]:
    """Whether ``subject`` is a `~socialcap.Change` (a snapshot's map never imports the change module)."""
    from ..graph import Snapshot

    if isinstance(subject, Snapshot):
        return False
    from ..change import Change

    return isinstance(subject, Change)


def _vis_node(n_id: int, label: str, shape: str, color: Any, **options: Any) -> dict[str, Any]:
    """One node as vis-network reads it.

    The fields come in the order pyvis 0.3.2's ``Network.add_node`` gave them, so
    that pages stay the same, byte for byte, as when pyvis built them.
    """
    return {"color": color, **options, "id": n_id, "label": label or n_id, "shape": shape}


def _network(subject: Snapshot | Change) -> tuple[dict[str, Any], dict[str, Any]]:
    """The network of a snapshot or a change (vis-network's nodes, edges and options), and the words around it."""
    if _is_change(subject):
        from ._change import caption, change_spots, change_title

        changed = True
        before, after = subject.before, subject.after
        gained, lost = set(subject.gained), set(subject.lost) - set(after.hopes["connection_id"])
        closer, away = set(subject.moved_closer), set(subject.moved_away)
        came_true = set(subject.hopes_realised)
        rows = pd.concat([after.connections,
                          before.connections[before.connections["connection_id"].isin(lost)]],
                         ignore_index=True)
        ties = tie_pairs(after.ties)
        gone_ties = sorted(set(tie_pairs(before.ties)) - set(ties))
        since = long_date(before.date)
        words: dict[str, Any] = {"title": change_title(subject, drawn=False), "caption": caption(subject), "summary": summary_line(after),
                 "extra_key": [("new", f"New since {since}"), ("came_true", "A hope that came true"),
                               ("lost", f"Lost since {since}")]}
        person = after
        spots = change_spots(subject)[0]
    else:
        changed = False
        person = cast("Snapshot", subject)
        rows = person.connections
        gained = lost = closer = away = came_true = set()
        ties, gone_ties = tie_pairs(person.ties), []
        since = ""
        spots = layout(person)
        words = {"title": title_for(person.name, person.date, drawn=False), "caption": "",
                 "summary": summary_line(person), "extra_key": []}
    marks = marks_of(rows)

    centre = _plain(person.name) or "Me"
    vis_nodes = [_vis_node(0, label=centre, shape="dot", size=34, x=0, y=0, physics=False, fixed=True,
                           title=centre, color={"background": CENTRE_COLOUR, "border": "#ffffff"},
                           borderWidth=3, font={"color": "#ffffff", "size": 18, "vadjust": -44, "strokeWidth": 0})]
    number: dict[str, int] = {}
    table = []
    nodes: dict[int, dict[str, Any]] = {}
    placing: list[tuple[tuple, int, float, float, float, str, float]] = []
    ordered = rows.sort_values("connection_id", kind="stable")
    for i, row in enumerate(ordered.itertuples(index=False), start=1):
        cid = str(row.connection_id)
        number[cid] = i
        d = _describe(row)
        state = "new" if cid in gained else "lost" if cid in lost else "plain"
        hope = getattr(row, "hope", False) is True or getattr(row, "hope", False) is np.True_
        state_words = (
            "A hope that came true" if cid in came_true
            else f"New since {since}" if state == "new" else f"Lost since {since}" if state == "lost"
            else "Moved closer" if cid in closer else "Moved further away" if cid in away else ""
        )
        if hope:
            state_words = f"A hope: {vocab.HOPE_WORDS}"
            d["ring"] = d["ring"] and f"{d['ring']} (as they would like it)"
        colour = DOMAIN_COLOURS[row.domain]
        edge = "#%02x%02x%02x" % tuple(round(255 * c) for c in darker(colour, 0.7))
        paid = d["paid"] == "Yes"
        label = d["name"] + (f" {HEART}" if d["gives"] else "")
        if cid in came_true:
            label += " (came true \u2605)"
        elif state != "plain":
            label += f" ({state})"
        elif hope:
            label += " (a hope)"
        options: dict[str, Any] = {
            "label": label,
            "title": _hover(d, state_words),
            "shape": KIND_VIS_SHAPES[row.kind],
            "size": 13 if row.kind == "person" else 12,
            "x": round(spots[cid][0] * SCALE, 2),
            "y": round(-spots[cid][1] * SCALE, 2),
            "physics": False,
            "color": {"background": "#ffffff" if paid else colour, "border": edge,
                      "highlight": {"background": "#ffffff" if paid else colour, "border": "#111111"},
                      "hover": {"background": "#ffffff" if paid else colour, "border": "#111111"}},
            "borderWidth": 3.5 if paid else 1.2,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 4, "strokeColor": "#ffffff"},
        }
        if hope:  # a star in a light tint of its colour, as on the printed map
            fill = "#%02x%02x%02x" % tuple(round(255 * c) for c in tint(colour, HOPE_TINT))
            options["shape"] = HOPE_VIS_SHAPE
            options["size"] = 15
            options["borderWidth"] = 1.2
            options["color"] = {"background": fill, "border": edge, "highlight": {"background": fill, "border": "#111111"},
                                "hover": {"background": fill, "border": "#111111"}}
        if state == "new":
            options["borderWidth"] = 4.5
            options["color"]["border"] = "#111111"
            options["font"]["size"] = 15
        elif state == "lost":
            options["opacity"] = 0.35
            options["font"]["color"] = "#8a8a8a"
        nodes[i] = options
        rank = next(m.rank for m in marks if m.connection_id == cid)
        rank = ({"new": 0, "plain": 1, "lost": 2}[state], *rank[1:])
        placing.append((rank, i, options["x"], options["y"], options["size"], label, options["font"]["size"]))
        table.append([d["name"], d["domain"], d["kind"], d["ring"], d["contact"], d["receives"], d["gives"],
                      d["paid"], d["since"]] + ([state_words] if changed else []))
    for i, where in _place_names(placing).items():
        size, font = nodes[i]["size"], nodes[i]["font"]
        if where == "above":
            # Lift the name from under the marker to over it (the same sums as in _place_names).
            font["vadjust"] = -round(2 * size + 8 + font["size"] * 1.25, 1)
        elif where == "crowded":
            # vis-network hides a name while it is drawn smaller than drawThreshold - 1 pixels.
            nodes[i]["scaling"] = {"label": {"drawThreshold": round(font["size"] * CROWDED_ZOOM + 1, 1)}}
    for i, options in nodes.items():
        vis_nodes.append(_vis_node(i, **options))
    edges: list[dict[str, Any]] = []
    drawn: set[frozenset[int]] = set()  # a tie is undirected and drawn once
    for pairs, style in ((ties, {"color": {"color": "#8c8c8c", "opacity": 0.6}, "width": 1.2}),
                         (gone_ties, {"color": {"color": "#b8b8b8", "opacity": 0.5}, "width": 1, "dashes": True})):
        for a, b in pairs:
            if a in number and b in number and frozenset((number[a], number[b])) not in drawn:
                drawn.add(frozenset((number[a], number[b])))
                curve = tie_curve(spots[a], spots[b])
                edges.append({"smooth": curve.vis, **style, "from": number[a], "to": number[b]})
    vis_options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 80, "navigationButtons": False, "keyboard": False,
                        "dragNodes": False, "zoomView": True, "dragView": True},
        "edges": {"smooth": False, "selectionWidth": 1},
        "nodes": {"font": {"face": "DejaVu Sans, sans-serif"}},
    }
    # The key lists only what is on this map (lost ones are grey, so bring no colour).
    words["key_kinds"] = sorted(set(rows["kind"]))
    words["key_paid"] = bool(rows["paid"].any())
    has_hopes = "hope" in rows.columns and bool(rows["hope"].to_numpy(dtype=bool, na_value=False).any())
    words["key_hope"] = f"A hope: {vocab.HOPE_WORDS}" if has_hopes else ""
    words["key_gives"] = bool(rows["support_given"].notna().any())
    words["key_ties"] = any(a in number and b in number for a, b in [*ties, *gone_ties])
    words["extra_key"] = [(look, said) for look, said in words["extra_key"]
                          if {"new": gained, "came_true": came_true, "lost": lost}[look]]
    kept = rows[~rows["connection_id"].astype(str).isin(lost)]
    present = [d for d in vocab.DOMAINS if d in set(kept["domain"])]
    words["colours"] = [(DOMAIN_COLOURS[d], vocab.DOMAIN_LABELS[d]) for d in present]
    words["rows"] = table
    words["table_headings"] = TABLE_HEADINGS + (("Change",) if changed else ())
    return {"nodes": vis_nodes, "edges": edges, "options": vis_options}, words


def html_page(subject: Snapshot | Change) -> str:
    """The interactive map as a string (what `html` writes).

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A"],
    ...                      "kind": "person", "domain": "family", "closeness": 1, "name": "Nan & Grandad"})
    >>> page = html_page(sc.Cohort.from_tables(people, rows).snapshot("P1"))
    >>> page.startswith("<!DOCTYPE html>"), "Nan &amp; Grandad" in page
    (True, True)
    """
    if not _is_change(subject) and not hasattr(subject, "connections"):
        raise TypeError(f"an interactive map is drawn from a Snapshot or a Change, not {type(subject).__name__}")
    network, words = _network(subject)
    data = {**network, "paper": _paper()}
    vis_js, vis_css = _vis_assets()
    page, app_js = _template()
    data_js = f"window.socialcapData = {htmlsafe_json_dumps(data)};"
    hashes = " ".join(_hash(s) for s in (vis_js, data_js, app_js))
    html_text = page.render(
        **words,
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        data_js=Markup(data_js),
        app_js=Markup(app_js),
        script_hashes=Markup(hashes),
    )
    return html_text


def html(subject: Snapshot | Change, path: str | os.PathLike[str]) -> Path:
    """Write an interactive map: one HTML file that opens anywhere, with no network.

    Parameters
    ----------
    subject
        A `~socialcap.Snapshot` (the circles map) or a `~socialcap.Change` (the
        change map: new ones marked "(new)" with a bold outline, lost ones faded).
    path
        Where to write the page (conventionally ending ``.html``); written atomically.

    Returns
    -------
    pathlib.Path
        The path written.

    Notes
    -----
    Everyone sits where the circles map puts them (physics is off, so nothing
    drifts); hovering shows a connection's details in plain words; a table below
    the map lists everyone, for screen readers and printing.  The file holds
    vis-network (from pyvis's bundled copy) and needs nothing else.  No text from
    the data can run as script or add markup: it is escaped in the page, passed to
    the network as JSON, shown on hover as plain text, and a Content-Security-Policy
    blocks every request and every script that is not the page's own.

    Examples
    --------
    >>> import pandas as pd, tempfile, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["<b>Sam</b>"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A"],
    ...                      "kind": "person", "domain": "family", "closeness": 1})
    >>> snap = sc.Cohort.from_tables(people, rows).snapshot("P1")
    >>> page = html(snap, tempfile.mkdtemp() + "/map.html").read_text(encoding="utf-8")
    >>> "<b>Sam</b>" in page, "https://" in page.split("<script>")[0]
    (False, False)
    """
    text = html_page(subject)
    target = Path(path)
    with atomic_write(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target
