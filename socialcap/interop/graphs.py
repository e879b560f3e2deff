"""A snapshot or a cohort as graph files: GraphML and GEXF (Gephi), node-link JSON (web tools).

Each snapshot becomes one undirected graph, the same graph as `Snapshot.graph`:

- the person at the centre: node id = ``person_id``, ``role="centre"``, with the
  people.csv values;
- one node per connection: node id = ``connection_id``, ``role="connection"``, with
  its connection columns (``kind``, ``domain``, ``closeness``…);
- an edge from the centre to each connection (``role="centre"``) and one edge per
  tie (``role="tie"``, with the tie's ``kind``); a repeated tie is one edge;
- a hope (someone or something the person would like and does not have yet) is a
  node with ``hope`` true, joined to the centre by an edge with ``role="hope"``;
- graph attributes: ``person_id``, ``date`` and the young person's own answers of
  that day (``ucla_*``, ``ons_lonely`` and extra snapshots.csv columns).

A missing value is left out (never written as an empty or ``None`` value); dates are
``YYYY-MM-DD`` text; numbers stay numbers and ``paid`` stays a boolean.  GEXF has no
place for graph attributes, so the answers travel in GraphML and JSON only; in GEXF
each node's ``label`` is its name (or its id when it has none), which Gephi shows.

A cohort is written as a folder holding one file per snapshot, named
``<person_id>_<date>.<ext>``, and ``index.csv`` listing ``person_id``, ``date`` and
``file`` for each (a ``person_id`` that is not safe as a file name is spelled safely
and given a short fingerprint, so that two people never share a file).

Examples
--------
>>> import tempfile, networkx as nx, pandas as pd, socialcap as sc
>>> from socialcap.interop import write_graph
>>> cohort = sc.Cohort.from_tables(
...     people=pd.DataFrame({"person_id": ["P01"]}),
...     connections=pd.DataFrame({
...         "person_id": ["P01"], "date": ["2025-03-01"], "connection_id": ["C1"],
...         "kind": ["person"], "domain": ["family"], "closeness": [1]}))
>>> path = write_graph(cohort.snapshot("P01"), tempfile.mkdtemp() + "/map.graphml")
>>> graph = nx.read_graphml(path)
>>> graph.nodes["C1"]["closeness"], graph.graph["date"]
(1, '2025-03-01')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import pandas as pd
from tqdm.auto import tqdm

from ..cohort import Cohort
from ..graph import Snapshot
from ..io import atomic_write, write_table

__all__ = [
    "FORMATS",
    "export_graph",
    "node_link_data",
    "node_link_schema",
    "write_graph",
    "write_graphs",
]

Format = Literal["graphml", "gexf", "json"]
#: The graph formats and the file extension of each.
FORMATS: dict[str, str] = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json"}


def export_graph(snapshot: Snapshot) -> nx.Graph:
    """A fresh copy of the snapshot's graph, ready for any graph writer.

    The answers of the day become graph attributes, and every value is a plain
    ``str``, ``int``, ``float`` or ``bool``.  An attribute that holds values of
    different types on different nodes (which GraphML cannot declare) is written as
    text everywhere.

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"], "name": ["Sam"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 2, "date": ["2025-03-01"] * 2,
    ...         "connection_id": ["mum", "club"], "kind": ["person", "group"],
    ...         "domain": ["family", "community"], "closeness": [1, None]}),
    ...     snapshots=pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"],
    ...                             "ucla_isolated": [2]}))
    >>> snap = cohort.snapshot("P01")
    >>> graph = export_graph(snap)
    >>> graph.graph
    {'person_id': 'P01', 'date': '2025-03-01', 'ucla_isolated': 2}
    >>> graph.nodes["mum"]
    {'kind': 'person', 'domain': 'family', 'closeness': 1, 'paid': False, 'role': 'connection'}
    """
    graph = snapshot.graph.copy()
    graph.graph.update({k: _plain(v) for k, v in snapshot.answers.items()})
    graph.graph["person_id"] = snapshot.person_id
    graph.graph["date"] = snapshot.date.isoformat()
    for items in (
        [graph.graph],
        [data for _, data in graph.nodes(data=True)],
        [data for _, _, data in graph.edges(data=True)],
    ):
        _one_type_per_attribute(items)
    return graph


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _one_type_per_attribute(items: list[dict[str, Any]]) -> None:
    types: dict[str, set[type]] = {}
    for data in items:
        for key, value in list(data.items()):
            data[key] = value = _plain(value)
            types.setdefault(key, set()).add(type(value))
    mixed = {k for k, t in types.items() if len(t) > 1}
    for data in items:
        for key in mixed & data.keys():
            value = data[key]
            data[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def node_link_data(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as networkx's node-link JSON (``edges`` key), as `node_link_schema` describes.

    ``networkx.node_link_graph(data, edges="edges")`` turns it back into a graph.

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"], "name": ["Sam"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 2, "date": ["2025-03-01"] * 2,
    ...         "connection_id": ["mum", "club"], "kind": ["person", "group"],
    ...         "domain": ["family", "community"], "closeness": [1, None]}),
    ...     snapshots=pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"],
    ...                             "ucla_isolated": [2]}))
    >>> snap = cohort.snapshot("P01")
    >>> data = node_link_data(snap)
    >>> [node["id"] for node in data["nodes"]], data["graph"]["ucla_isolated"]
    (['P01', 'mum', 'club'], 2)
    >>> import networkx as nx
    >>> sorted(nx.node_link_graph(data, edges="edges").neighbors("P01"))
    ['club', 'mum']
    """
    return nx.node_link_data(export_graph(snapshot), edges="edges")


def node_link_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of socialcap's node-link JSON, for web tools to check files against.

    Examples
    --------
    >>> schema = node_link_schema()
    >>> schema["title"], schema["required"]
    ('A socialcap snapshot as node-link JSON', ['directed', 'multigraph', 'graph', 'nodes', 'edges'])

    Checking a snapshot's JSON against it (with the ``jsonschema`` package):

    >>> import jsonschema, socialcap as sc
    >>> snap = sc.datasets.synthetic(people=2, waves=2, seed=1).snapshot("P001")
    >>> jsonschema.validate(node_link_data(snap), schema)  # raises if the JSON is wrong
    """
    text = resources.files(__package__).joinpath("nodelink.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def write_graph(snapshot: Snapshot, path: str | os.PathLike[str], format: Format | None = None) -> Path:
    """Write one snapshot as GraphML, GEXF or node-link JSON (atomically).

    ``format`` defaults to the file's extension (``.graphml``, ``.gexf``, ``.json``).
    Returns the path written.

    Examples
    --------
    >>> import pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"], "name": ["Sam"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 2, "date": ["2025-03-01"] * 2,
    ...         "connection_id": ["mum", "club"], "kind": ["person", "group"],
    ...         "domain": ["family", "community"], "closeness": [1, None]}),
    ...     snapshots=pd.DataFrame({"person_id": ["P01"], "date": ["2025-03-01"],
    ...                             "ucla_isolated": [2]}))
    >>> snap = cohort.snapshot("P01")
    >>> import json, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = write_graph(snap, folder + "/sam.json")
    >>> data = json.loads(path.read_text())
    >>> [(edge["source"], edge["target"]) for edge in data["edges"]]
    [('P01', 'mum'), ('P01', 'club')]
    >>> write_graph(snap, folder + "/for-gephi.xml", format="gexf").name
    'for-gephi.xml'
    """
    path = Path(path)
    format = format or _format_of(path)
    if format not in FORMATS:
        raise ValueError(f"format {format!r} is not one of: {', '.join(FORMATS)}")
    if format == "json":
        text = json.dumps(node_link_data(snapshot), ensure_ascii=False, indent=2)
        with atomic_write(path, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        return path
    graph = export_graph(snapshot)
    with atomic_write(path, "wb") as handle:
        if format == "graphml":
            nx.write_graphml(graph, handle)
        else:
            for node, data in graph.nodes(data=True):
                data["label"] = str(data.get("name", node))
            nx.write_gexf(graph, handle)
    return path


def _format_of(path: Path) -> str:
    for format, suffix in FORMATS.items():
        if path.suffix.lower() == suffix:
            return format
    raise ValueError(
        f"cannot tell the graph format of {path.name!r}: give format= or end the name in "
        + ", ".join(FORMATS.values())
    )


def _file_stem(person_id: str, date: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", person_id).strip(".-") or "person"
    if len(safe) > 100:  # a file name holds at most 255 bytes; the hash keeps long ids apart
        safe = safe[:100].rstrip(".-")
    if safe != person_id:
        safe += "-" + hashlib.sha1(person_id.encode("utf-8")).hexdigest()[:8]
    return f"{safe}_{date}"


def write_graphs(
    cohort: Cohort | Iterable[Snapshot],
    folder: str | os.PathLike[str],
    format: Format,
    *,
    verbose: bool = False,
) -> list[Path]:
    """Write every snapshot of a cohort as one graph file each, plus ``index.csv``.

    Files are named ``<person_id>_<date>.<ext>``; ``index.csv`` lists ``person_id``,
    ``date`` and ``file`` of each.  ``verbose`` shows a progress bar.  Returns the
    graph files written, in the order of ``index.csv``.

    Examples
    --------
    Sam's maps of March and September, one GraphML file each:

    >>> import tempfile, pandas as pd, socialcap as sc
    >>> cohort = sc.Cohort.from_tables(
    ...     people=pd.DataFrame({"person_id": ["P01"]}),
    ...     connections=pd.DataFrame({
    ...         "person_id": ["P01"] * 2, "date": ["2025-03-01", "2025-09-01"],
    ...         "connection_id": ["mum"] * 2, "kind": ["person"] * 2,
    ...         "domain": ["family"] * 2, "closeness": [1, 1]}))
    >>> folder = tempfile.mkdtemp()
    >>> [path.name for path in write_graphs(cohort, folder, "graphml")]
    ['P01_2025-03-01.graphml', 'P01_2025-09-01.graphml']
    >>> pd.read_csv(folder + "/index.csv").values.tolist()
    [['P01', '2025-03-01', 'P01_2025-03-01.graphml'], ['P01', '2025-09-01', 'P01_2025-09-01.graphml']]
    """
    if format not in FORMATS:
        raise ValueError(f"format {format!r} is not one of: {', '.join(FORMATS)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(cohort, Cohort):
        snapshots: Iterable[Snapshot] = (s for t in cohort.timelines() for s in t.snapshots)
        total: int | None = len(cohort.snapshots)
    else:
        snapshots, total = cohort, None
    written: list[Path] = []
    index: list[tuple[str, str, str]] = []
    for snapshot in tqdm(snapshots, total=total, disable=not verbose, desc="graphs", unit="map"):
        date = snapshot.date.isoformat()
        path = folder / (_file_stem(snapshot.person_id, date) + FORMATS[format])
        written.append(write_graph(snapshot, path, format))
        index.append((snapshot.person_id, date, path.name))
    write_table(pd.DataFrame(index, columns=["person_id", "date", "file"], dtype=object), folder / "index.csv")
    return written
