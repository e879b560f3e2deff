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

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from ._formats import FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from ._change import caption, change
    from ._circles import circles
    from ._community import assets_chart, assets_html
    from ._html import html, html_page
    from ._layout import layout
    from ._save import change_repr_png, save, snapshot_repr_png
    from ._text import summary_line

# Each name is imported from its module on first use (PEP 562), so drawing one
# person's map loads only what that map needs: not the change map and its metrics,
# not the cohort charts (scipy.stats), not the interactive page.  `socialcap map`
# depends on it to start quickly (tests/test_maps.py checks what it leaves out).
_WHERE = {
    "caption": "_change",
    "change": "_change",
    "circles": "_circles",
    "summary_line": "_text",
    "assets_chart": "_community",
    "assets_html": "_community",
    "html": "_html",
    "html_page": "_html",
    "layout": "_layout",
    "change_repr_png": "_save",
    "save": "_save",
    "snapshot_repr_png": "_save",
}

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif name.startswith("_") and not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}"):
        value = importlib.import_module(f".{name}", __name__)  # a private module: sc.maps._style, ...
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
