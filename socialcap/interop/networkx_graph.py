"""Build a socialcap snapshot from any networkx graph drawn around one person.

`from_networkx` reads the graph the way `Snapshot.graph` is built, so that
``from_networkx(export_graph(snapshot), snapshot.person_id) == snapshot`` (for a
snapshot without repeated ties or extra columns left empty throughout), and it also
accepts graphs made elsewhere — read from
GraphML or GEXF, or built by hand:

- the ``centre`` node is the young person; its attributes become their people.csv
  values (``name``, ``birth_year``, ``ward``, ``start_date`` and any others);
- every other node is a connection: its id becomes ``connection_id`` (as text) and
  its attributes the connection columns, so each needs ``kind`` and ``domain``, and
  a person needs ``closeness``; ``support_received`` and ``support_given`` may be
  lists as well as ``;``-separated text;
- an edge between two connections is a tie (its ``kind`` and other attributes
  kept); edges to the centre only say the connection is in the map, and every
  other node is a connection anyway;
- graph attributes become the answers of the day (``ucla_*``, ``ons_lonely`` and any
  others); ``person_id`` and ``date`` say whose map it is and when (and
  ``node_default``/``edge_default``, which networkx's GraphML reader adds, are
  passed over).

A directed graph or a multigraph is read as the undirected simple graph it draws.
The attribute ``role`` is socialcap's own marker and is not kept.

Examples
--------
>>> import networkx as nx
>>> from socialcap.interop import from_networkx
>>> g = nx.Graph()
>>> g.add_node("me", name="Sam")
>>> g.add_node("mum", kind="person", domain="family", closeness=1)
>>> g.add_node("club", kind="group", domain="community")
>>> g.add_edges_from([("me", "mum"), ("mum", "club")])
>>> snap = from_networkx(g, centre="me", person_id="P01", date="2025-03-01")
>>> snap.connections["connection_id"].tolist(), len(snap.ties)
(['mum', 'club'], 1)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from .. import vocab
from .._exceptions import Problem, ValidationError
from ..graph import DateLike, Snapshot, as_date
from ._origins import Origin, SourcedTables, build_cohort

__all__ = ["from_networkx"]

_SUPPORT = ("support_received", "support_given")
# Graph attributes that are not answers: whose map and when, and the defaults
# networkx's GraphML reader adds.
_GRAPH_BOOKKEEPING = ("person_id", "date", "node_default", "edge_default")


def _cell(name: str, value: Any) -> Any:
    if name in _SUPPORT and isinstance(value, (list, tuple, set, frozenset)):
        return ";".join(str(v) for v in value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def from_networkx(
    graph: nx.Graph,
    centre: Hashable,
    person_id: str | None = None,
    date: DateLike | None = None,
) -> Snapshot:
    """A snapshot from a networkx graph around the node ``centre``.

    Parameters
    ----------
    graph
        Any networkx graph; the nodes other than ``centre`` are the connections.
    centre
        The node standing for the young person.
    person_id
        Their ``person_id``; by default the centre's ``person_id`` attribute, the
        graph's ``person_id`` attribute, or else the centre node's id.
    date
        The snapshot's date; by default the graph's ``date`` attribute.

    Raises
    ------
    socialcap.ValidationError
        Listing every problem, each naming the node or edge it is about.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph(date="2025-03-01", ucla_isolated=2)
    >>> g.add_node("me", name="Sam")
    >>> g.add_node("mum", kind="person", domain="family", closeness=1)
    >>> g.add_edge("me", "mum")
    >>> snap = from_networkx(g, centre="me", person_id="P01")
    >>> snap, snap.name, snap.answers
    (<Snapshot P01 2025-03-01: 1 connections, 0 ties>, 'Sam', {'ucla_isolated': 2})

    A snapshot's own graph comes back as the same snapshot:

    >>> from socialcap.interop import export_graph
    >>> from_networkx(export_graph(snap), centre="P01") == snap
    True

    A node without a ``domain`` is named in the error:

    >>> import socialcap as sc
    >>> g.add_node("club", kind="group")
    >>> try:
    ...     from_networkx(g, centre="me")
    ... except sc.ValidationError as error:
    ...     print(error.problems[0])
    node 'club', column 'domain': the node has no 'domain' attribute; every connection needs one (family, partner, friend, neighbour, community, education_work, professional, online, other)
    """
    if centre not in graph:
        raise ValidationError([Problem("graph", None, None, f"the centre {centre!r} is not a node of the graph")], "the graph")
    if graph.is_multigraph() or graph.is_directed():
        graph = nx.Graph(graph)
    centre_attrs = dict(graph.nodes[centre])
    pid = person_id or centre_attrs.get("person_id") or graph.graph.get("person_id") or str(centre)
    pid = str(pid)
    problems: list[Problem] = []
    when = date if date is not None else graph.graph.get("date")
    if when is None:
        problems.append(Problem("graph", None, "date", "the graph has no date attribute; give date= (YYYY-MM-DD)"))
        raise ValidationError(problems, "the graph")
    try:
        day = as_date(when).isoformat()
    except ValueError as error:
        raise ValidationError([Problem("graph", None, "date", str(error))], "the graph") from None

    sourced = SourcedTables()
    person = {k: _cell(k, v) for k, v in centre_attrs.items() if k not in ("role", "person_id")}
    sourced.add("people", {"person_id": pid, **person}, Origin(f"centre node {centre!r}", None))
    answers = {k: _cell(k, v) for k, v in graph.graph.items() if k not in _GRAPH_BOOKKEEPING}
    sourced.add("snapshots", {"person_id": pid, "date": day, **answers}, Origin("graph attributes", None))

    ids: dict[str, Hashable] = {}
    for node, attrs in graph.nodes(data=True):
        if node == centre:
            continue
        cid = str(node)
        where = f"node {node!r}"
        if cid in ids:
            problems.append(Problem(where, None, "connection_id", f"nodes {ids[cid]!r} and {node!r} are both {cid!r} as text; give them different ids"))
            continue
        ids[cid] = node
        row = _connection_row(attrs, pid, day, where, problems)
        sourced.add("connections", {"person_id": pid, "date": day, "connection_id": cid, **row}, Origin(where, None))
    for u, v, attrs in graph.edges(data=True):
        if centre in (u, v):
            continue
        row = {k: _cell(k, x) for k, x in attrs.items() if k != "role"}
        sourced.add("ties", {"person_id": pid, "date": day, "source": str(u), "target": str(v), **row}, Origin(f"edge {u!r}–{v!r}", None))
    if problems:
        raise ValidationError(problems, "the graph")
    cohort = build_cohort(sourced, "the graph")
    return cohort.snapshot(pid, day)


def _connection_row(attrs: Mapping[str, Any], pid: str, day: str, where: str, problems: list[Problem]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, value in attrs.items():
        if key == "role":
            continue
        if key in ("person_id", "date", "connection_id"):
            expected = {"person_id": pid, "date": day}.get(key)
            if key == "connection_id" or str(value) != expected:
                problems.append(Problem(where, None, key, f"a connection node cannot carry its own {key} ({value!r}); the node id and the graph say it"))
            continue
        row[key] = _cell(key, value)
    for column in vocab.REQUIRED["connections"]:
        if column not in ("person_id", "date", "connection_id") and column not in row:
            problems.append(Problem(where, None, column, f"the node has no {column!r} attribute; every connection needs one ({', '.join(vocab.KINDS if column == 'kind' else vocab.DOMAINS)})"))
    return row
