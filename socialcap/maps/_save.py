"""Saving maps by file ending, and the pictures Jupyter shows inline."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..io import atomic_write
from ._formats import FORMATS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..change import Change
    from ..graph import Snapshot

# The drawing code (matplotlib's figures, the change map) is imported by the function
# that needs it: an interactive map needs neither, a circles map not the change map.

__all__ = ["FORMATS", "change_repr_png", "save", "snapshot_repr_png"]

#: PNG resolution: sharp on paper (A4 at 200 dpi is 2338 × 1654 pixels).
PNG_DPI = 200
# No dates in the files, so the same map always gives the same bytes.
_METADATA = {
    ".png": {"Software": None},
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def _format(path: Path) -> str:
    ending = path.suffix.lower()
    if ending not in FORMATS:
        raise ValueError(
            f"cannot tell what kind of file {str(path)!r} should be from its ending; "
            f"end the name with one of {', '.join(FORMATS)}"
        )
    return ending


def save(map_or_figure: Figure | Snapshot | Change, path: str | os.PathLike[str]) -> Path:
    """Save a map, choosing the format by the file ending (.png, .svg, .pdf or .html).

    Parameters
    ----------
    map_or_figure
        A figure from `circles` or `change`; or a `~socialcap.Snapshot` or
        `~socialcap.Change`, which is drawn first (its circles map or change map).
        An ``.html`` file needs a snapshot or a change: the interactive map is built
        from the data, not from a picture.
    path
        Where to write.  PNG is 200 dpi; PDF and SVG are A4 landscape with the
        font embedded, so they print as they look.  Written atomically.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import pandas as pd, tempfile, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A"],
    ...                      "kind": "person", "domain": "friend", "closeness": 2})
    >>> snap = sc.Cohort.from_tables(people, rows).snapshot("P1")
    >>> save(snap, tempfile.mkdtemp() + "/map.pdf").read_bytes()[:5]
    b'%PDF-'
    """
    target = Path(path)
    ending = _format(target)
    if ending == ".html":
        if _is_figure(map_or_figure):
            raise ValueError(
                "an HTML map is built from the data, not from a picture: "
                "pass the snapshot (or the change) instead of its figure"
            )
        from ._html import html

        return html(cast("Snapshot | Change", map_or_figure), target)
    import matplotlib

    from ._draw import RC

    figure = _figure(map_or_figure)
    with matplotlib.rc_context(RC), atomic_write(target, "wb") as handle:
        figure.savefig(handle, format=ending[1:], dpi=PNG_DPI if ending == ".png" else "figure",
                       metadata=_METADATA[ending], facecolor="white")
    return target


def _is_figure(subject: object) -> bool:
    """Whether ``subject`` is a matplotlib figure (if matplotlib's figures were never
    imported, it cannot be one: no need to import them to ask)."""
    figure = sys.modules.get("matplotlib.figure")
    return figure is not None and isinstance(subject, figure.Figure)


def _figure(subject: Figure | Snapshot | Change) -> Figure:
    from matplotlib.figure import Figure

    from ..graph import Snapshot
    from ._circles import circles

    if isinstance(subject, Figure):
        return subject
    if isinstance(subject, Snapshot):
        return circles(subject)
    # Only now the change map: a snapshot's map needs none of it (nor its metrics).
    from ..change import Change

    if isinstance(subject, Change):
        from ._change import change as change_map

        return change_map(subject)
    if hasattr(subject, "connections") and hasattr(subject, "ties"):
        return circles(subject)
    raise TypeError(f"save() takes a map figure, a Snapshot or a Change, not {type(subject).__name__}")


def _png(figure: Figure, dpi: int) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ._draw import RC

    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="png", dpi=dpi, metadata=_METADATA[".png"], facecolor="white")
    return buffer.getvalue()


def snapshot_repr_png(snapshot: Snapshot, dpi: int = 80) -> bytes:
    """The circles map as PNG bytes, for ``Snapshot._repr_png_`` (Jupyter shows it inline).

    ``dpi`` sets the size: 80 gives a picture 935 × 661 pixels (A4 landscape).

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": "2025-03-03", "connection_id": ["A"],
    ...                      "kind": "person", "domain": "family", "closeness": 1, "name": "Nan"})
    >>> png = snapshot_repr_png(sc.Cohort.from_tables(people, rows).snapshot("P1"), dpi=20)
    >>> png[1:4] == b"PNG"
    True
    >>> int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # width, height
    (233, 165)
    """
    from ._circles import circles

    return _png(circles(snapshot), dpi)


def change_repr_png(change: Change, dpi: int = 80) -> bytes:
    """The change map as PNG bytes, for ``Change._repr_png_`` (Jupyter shows it inline).

    ``dpi`` as for `snapshot_repr_png`.

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Sam"]})
    >>> rows = pd.DataFrame({"person_id": "P1", "date": ["2025-03-03", "2025-09-01"],
    ...                      "connection_id": "A", "kind": "person", "domain": "family",
    ...                      "closeness": [2, 1], "name": "Nan"})
    >>> change = sc.compare(*sc.Cohort.from_tables(people, rows).timeline("P1").snapshots)
    >>> png = change_repr_png(change, dpi=20)
    >>> png[1:4] == b"PNG", int.from_bytes(png[16:20], "big")
    (True, 233)
    """
    from ._change import change as change_map

    return _png(change_map(change), dpi)
