"""Relationship maps: the pictures a young person actually sees.

``circles(snapshot)`` draws one snapshot: the person in the middle, three rings for
how close people are, slices for the parts of life, groups and places in slices of
their own.  ``change(a, b)`` draws what changed between two snapshots in one
picture.  ``html(snapshot_or_change, path)`` writes the same map as one interactive
HTML file that opens with no network.  ``save(map, path)`` writes PNG, SVG, PDF or
HTML by the file ending.

Every connection keeps its spot from one snapshot to the next (``layout``), so
maps of different dates can be compared by eye.

Examples
--------
>>> import pandas as pd, socialcap as sc
>>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
>>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A", "B"],
...                      "kind": ["person", "group"], "domain": ["family", "community"],
...                      "closeness": [1, None], "name": ["Nan", "Boxing club"]})
>>> snap = sc.Cohort.from_tables(people, rows).snapshot("P1")
>>> fig = sc.maps.circles(snap)
>>> fig.texts[0].get_text()
"Sam's people, groups and places · 3 March 2025"
"""

from __future__ import annotations

from ._change import caption, change
from ._community import assets_chart, assets_html
from ._circles import circles, summary_line
from ._html import html, html_page
from ._layout import layout
from ._save import FORMATS, change_repr_png, save, snapshot_repr_png

__all__ = [
    "FORMATS",
    "assets_chart",
    "assets_html",
    "caption",
    "change",
    "change_repr_png",
    "circles",
    "html",
    "html_page",
    "layout",
    "save",
    "snapshot_repr_png",
    "summary_line",
]
