"""Import Network Canvas interviews: its CSV export or its GraphML, through a small mapping.

`Network Canvas <https://networkcanvas.com>`_ (Interviewer, Fresco) exports each
interview session as CSV files or as GraphML.  The CSV files are named
``<participant>_<session>_ego.csv``, ``…_attributeList_<NodeType>.csv`` and
``…_edgeList_<EdgeType>.csv``: the ego file has ``networkCanvasEgoUUID``,
``networkCanvasCaseID``, ``networkCanvasSessionID``, ``sessionStart``… then the ego
variables; an attribute list has ``nodeID``, ``networkCanvasEgoUUID``,
``networkCanvasUUID`` then the node's variables; an edge list has ``edgeID``,
``from``, ``to``, ``networkCanvasEgoUUID``, ``networkCanvasUUID``,
``networkCanvasSourceUUID``, ``networkCanvasTargetUUID`` then the edge's variables.
A categorical variable is written as one ``true``/``false`` column per option
(``<variable>_<option>``).  The GraphML export holds the same, one ``<graph>`` per
session.

A mapping file (TOML or JSON) says which Network Canvas variable holds which socialcap
column; a column it does not mention is read from a variable of the same name when
there is one, so a protocol that uses socialcap's own names needs no mapping::

    person_id = "networkCanvasCaseID"   # the default: the id typed in when the interview began
    date = "sessionStart"               # the default; or an ego variable such as "interview_date"

    [kinds]                 # Network Canvas node type -> person, group, place (or skip)
    Person = "person"
    Venue = "place"

    [people]                # people.csv column -> ego variable
    ward = "home_ward"

    [snapshots]             # snapshots.csv column -> ego variable
    ucla_companionship = "companionship"

    [connections]           # connections.csv column -> node variable (every node type)
    connection_id = "name"  # the default is networkCanvasUUID
    domain = "relationship"
    support_received = "support_from"

    [connections.Venue]     # for one node type only
    domain = "venue_type"

    [fixed.Venue]           # one value for every node of a type
    domain = "community"

    [tie_kinds]             # edge type -> tie kind (default: the edge type's name; or skip)
    knows = "knows"

    [values.domain]         # Network Canvas value (or option) -> socialcap value
    Worker = "professional"

Several sessions with the same ``person_id`` become that person's timeline, one
snapshot per date.  Variables the mapping does not use are kept as extra columns
(ego variables in snapshots.csv, node variables in connections.csv, edge variables
in ties.csv), as is ``networkCanvasSessionID``; Network Canvas's own bookkeeping
(export numbers, UUIDs, protocol name, session times, app version) is not.

Examples
--------
>>> from socialcap.interop import NetworkCanvasMapping
>>> mapping = NetworkCanvasMapping.from_dict({"connections": {"domain": "relationship"}})
>>> mapping.connections["domain"], mapping.person_id
('relationship', 'networkCanvasCaseID')
"""

from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import pandas as pd

from .. import vocab
from .._exceptions import Problem, ValidationError
from ..cohort import Cohort
from .._safe import check_archive, load_json, load_toml, parse_xml, read_bounded, read_member
from ..io import read_csv_text
from ._mapping import MAPPABLE, SKIP, ImportMapping, check_date, shadowed, Inventory, Variable, write_starting_mapping
from ._origins import Origin, SourcedTables, build_cohort

__all__ = ["NetworkCanvasMapping", "read_networkcanvas", "write_networkcanvas_mapping"]

EGO_UUID = "networkCanvasEgoUUID"
NODE_UUID = "networkCanvasUUID"
SOURCE_UUID = "networkCanvasSourceUUID"
TARGET_UUID = "networkCanvasTargetUUID"
SESSION_ID = "networkCanvasSessionID"

# Network Canvas's own bookkeeping: restated ids, export numbers and session times.
_BOOKKEEPING = {
    EGO_UUID, NODE_UUID, SOURCE_UUID, TARGET_UUID, "networkCanvasCaseID", "networkCanvasProtocolName",
    "networkCanvasType", "nodeID", "edgeID", "from", "to", "sessionStart", "sessionFinish",
    "sessionExported", "APP_VERSION", "COMMIT_HASH", "_egoID",
}
_MAPPABLE = {**MAPPABLE, "connections": tuple(c for c in MAPPABLE["connections"] if c != "kind")}


def _type_key(name: str) -> str:
    """A node or edge type as Network Canvas spells it in file names (no spaces or punctuation)."""
    return re.sub(r"\W", "", name)


# -- the mapping -------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkCanvasMapping(ImportMapping):
    """Which Network Canvas variable holds which socialcap column (see the module's help).

    Build it with `NetworkCanvasMapping.from_file` (TOML or JSON) or
    `NetworkCanvasMapping.from_dict`; the default mapping reads every column from a
    variable of the same name.

    Examples
    --------
    Venues are places, and a connection's domain is the ``relationship`` variable:

    >>> mapping = NetworkCanvasMapping.from_dict(
    ...     {"kinds": {"Venue": "place"}, "connections": {"domain": "relationship"}})
    >>> mapping.kind_of("Venue"), mapping.kind_of("Person"), mapping.node_variables("Person")
    ('place', 'person', {'domain': 'relationship'})

    Every mistake in a mapping is named, with a suggestion where one is close:

    >>> import socialcap as sc
    >>> try:
    ...     NetworkCanvasMapping.from_dict(
    ...         {"connection": {"domain": "relationship"}, "kinds": {"Venue": "building"}})
    ... except sc.ValidationError as error:
    ...     for problem in error.problems:
    ...         print(problem.message)
    'connection' is not part of a Network Canvas mapping (did you mean 'connections'?)
    'building' is not one of: person, group, place, skip
    """

    TOOL: ClassVar[str] = "Network Canvas"
    COMMAND: ClassVar[str] = "networkcanvas"
    SECTIONS: ClassVar[tuple[str, ...]] = (
        "person_id", "date", "kinds", "people", "snapshots", "connections", "fixed", "tie_kinds", "values",
    )
    NODE_TYPES: ClassVar[bool] = True
    #: A node's kind comes from its node type ([kinds]), not from a variable.
    CONNECTION_COLUMNS: ClassVar[tuple[str, ...]] = tuple(c for c in MAPPABLE["connections"] if c != "kind")

    person_id: str = "networkCanvasCaseID"
    date: str = "sessionStart"

    def kind_of(self, node_type: str) -> str | None:
        """The socialcap kind of a node type (or ``"skip"``); None when the mapping cannot say."""
        for name, kind in self.kinds.items():
            if _type_key(name) == _type_key(node_type):
                return kind or None
        lowered = node_type.lower()
        return lowered if lowered in vocab.KINDS else None

    def node_variables(self, node_type: str) -> dict[str, str]:
        """socialcap column -> variable, for one node type (its own table over the common one)."""
        out = dict(self.connections)
        for name, table in self.node_types.items():
            if _type_key(name) == _type_key(node_type):
                out.update(table)
        return out

    def fixed_values(self, node_type: str) -> dict[str, str]:
        """socialcap column -> one value for every node of this type (its own table over ``[fixed]``)."""
        out = dict(self.fixed.get("", {}))
        for name, table in self.fixed.items():
            if name and _type_key(name) == _type_key(node_type):
                out.update(table)
        return out


# -- reading the export into sessions ------------------------------------------------


@dataclass
class _Entity:
    type: str
    uuid: str | None
    values: dict[str, Any]
    columns: list[str]
    origin: Origin
    source: str | None = None
    target: str | None = None


@dataclass
class _Session:
    ego: dict[str, Any]
    columns: list[str]
    origin: Origin
    nodes: list[_Entity] = field(default_factory=list)
    edges: list[_Entity] = field(default_factory=list)


_EGO_FILE = re.compile(r"^(?P<prefix>.*)_ego\.csv$")
_LIST_FILE = re.compile(r"^(?P<prefix>.*)_(?P<what>attributeList|edgeList|adjacencyMatrix)(?:_(?P<type>.*))?\.csv$")


def _read_sessions(path: Path) -> dict[str, _Session]:
    """Every interview of an export (a folder, a .zip or a .graphml file), or every problem found."""
    problems: list[Problem] = []
    try:
        files = _export_files(path)
    except zipfile.BadZipFile as error:
        raise ValidationError([Problem(path.name, None, None, f"the zip file cannot be opened: {error}")], str(path)) from None
    sessions = _csv_sessions(files, problems)
    sessions.update(_graphml_sessions(files, problems))
    if not sessions and not problems:
        problems.append(Problem(path.name, None, None, "there is no Network Canvas session here (no …_ego.csv file and no .graphml file)"))
    if problems:
        raise ValidationError(problems, str(path))
    return sessions


def _export_files(path: Path) -> dict[str, bytes]:
    """The export's files by name; by their path inside the export when two share a name
    (two exports in subfolders), so that no interview is silently dropped."""
    if path.is_file() and path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            wanted = [i for i in archive.infolist() if not i.is_dir() and Path(i.filename).suffix.lower() in (".csv", ".graphml")]
            problems = check_archive(archive, path.name)
            if problems:
                raise ValidationError(problems, str(path))
            files = {info.filename: read_member(archive, info, path.name) for info in wanted}
    elif path.is_file():
        return {path.name: read_bounded(path)}
    else:
        files = {p.relative_to(path).as_posix(): read_bounded(p) for p in sorted(path.rglob("*")) if p.suffix.lower() in (".csv", ".graphml") and p.is_file()}
    names = [PurePosixPath(name).name for name in files]
    if len(set(names)) == len(names):
        return {PurePosixPath(name).name: data for name, data in files.items()}
    return files


def _csv_sessions(files: dict[str, bytes], problems: list[Problem]) -> dict[str, _Session]:
    sessions: dict[str, _Session] = {}
    lists: list[tuple[str, str, str | None]] = []
    for name in sorted(files):
        if not name.lower().endswith(".csv"):
            continue
        if _EGO_FILE.match(name):
            table = _table(files[name], name, problems)
            if table is None:
                continue
            frame, rows = table
            if EGO_UUID not in frame.columns:
                problems.append(Problem(name, 1, EGO_UUID, f"the ego file has no {EGO_UUID} column"))
                continue
            columns = [c for c in frame.columns]
            for pos in range(len(frame)):
                record = frame.iloc[pos].to_dict()
                ego = record[EGO_UUID]
                if pd.isna(ego):
                    problems.append(Problem(name, int(rows[pos]), EGO_UUID, f"{EGO_UUID} is empty"))
                    continue
                if ego in sessions:  # the same interview exported twice: say so rather than keep one
                    first = sessions[ego].origin
                    problems.append(Problem(name, int(rows[pos]), EGO_UUID, f"the interview {ego!r} is also in {first.file}, row {first.row}; give socialcap each interview once"))
                    continue
                sessions[ego] = _Session(record, columns, Origin(name, int(rows[pos])))
        elif match := _LIST_FILE.match(name):
            if match["what"] != "adjacencyMatrix":  # the same ties as the edge list, as a matrix
                lists.append((name, match["what"], match["type"]))
        else:
            problems.append(Problem(name, None, None, "this is not a file of Network Canvas's CSV export (expected …_ego.csv, …_attributeList_<type>.csv or …_edgeList_<type>.csv)"))
    for name, what, entity_type in lists:
        table = _table(files[name], name, problems)
        if table is None:
            continue
        frame, rows = table
        need = (EGO_UUID, NODE_UUID) if what == "attributeList" else (EGO_UUID, SOURCE_UUID, TARGET_UUID)
        missing = [c for c in need if c not in frame.columns]
        for column in missing:
            problems.append(Problem(name, 1, column, f"the column {column!r} is missing; Network Canvas writes it in every {what} file"))
        if missing or not len(frame):
            continue
        columns = list(frame.columns)
        for pos in range(len(frame)):
            record = frame.iloc[pos].to_dict()
            origin = Origin(name, int(rows[pos]))
            session = sessions.get(record[EGO_UUID])
            if session is None:
                problems.append(Problem(name, origin.row, EGO_UUID, f"{EGO_UUID} {record[EGO_UUID]!r} is in no ego file of this export"))
                continue
            entity = _Entity(entity_type or "", record.get(NODE_UUID), record, columns, origin)
            if what == "attributeList":
                session.nodes.append(entity)
            else:
                entity.source, entity.target = record[SOURCE_UUID], record[TARGET_UUID]
                session.edges.append(entity)
    return sessions


def _table(data: bytes, name: str, problems: list[Problem]) -> tuple[pd.DataFrame, Any] | None:
    raw = read_csv_text(data, name, name)
    if raw.problems:
        problems.extend(raw.problems)
        return None
    return raw.frame, raw.rows


_GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
_NC = "{http://schema.networkcanvas.com/xmlns}"
_GRAPH_ATTRIBUTES = {
    "caseId": "networkCanvasCaseID",
    "sessionUUID": SESSION_ID,
    "protocolName": "networkCanvasProtocolName",
    "sessionStartTime": "sessionStart",
    "sessionFinishTime": "sessionFinish",
    "sessionExportTime": "sessionExported",
}


def _graphml_name(key: ET.Element) -> str:
    """A key's variable name, with a layout's ``_X``/``_Y`` spelled as the CSV export does (``_x``/``_y``)."""
    name = key.get("attr.name") or key.get("id") or ""
    if (key.get("id") or "").endswith(("_X", "_Y")) and name.endswith(("_X", "_Y")):
        name = name[:-1] + name[-1].lower()
    return name


def _graphml_sessions(files: dict[str, bytes], problems: list[Problem]) -> dict[str, _Session]:
    sessions: dict[str, _Session] = {}
    for name in sorted(files):
        if not name.lower().endswith(".graphml"):
            continue
        try:
            root = parse_xml(files[name], name)
        except ValidationError as error:
            problems.extend(error.problems)
            continue
        if root.tag != f"{_GRAPHML}graphml":
            said = (f"the <graphml> element has no namespace; it should read <graphml xmlns=\"{_GRAPHML[1:-1]}\">" if root.tag == "graphml"
                    else f"this is not GraphML: its root is <{root.tag}>, not <graphml>")
            problems.append(Problem(name, 1, None, said))
            continue
        keys = {k.get("id"): (_graphml_name(k), k.get("for")) for k in root.iter(f"{_GRAPHML}key")}
        for number, graph in enumerate(root.iter(f"{_GRAPHML}graph"), start=1):
            label = name if number == 1 else f"{name} [graph {number}]"
            ego: dict[str, Any] = {_GRAPH_ATTRIBUTES[a.removeprefix(_NC)]: v for a, v in graph.attrib.items() if a.removeprefix(_NC) in _GRAPH_ATTRIBUTES}
            for data in graph.findall(f"{_GRAPHML}data"):
                ego[keys.get(data.get("key"), (data.get("key"), None))[0]] = data.text
            ego[EGO_UUID] = ego.pop(NODE_UUID, None) or f"{name}#{number}"
            session = _Session(ego, list(ego), Origin(label, None))
            sessions[ego[EGO_UUID]] = session
            by_export_id: dict[str, str] = {}
            for node in graph.findall(f"{_GRAPHML}node"):
                values = {keys.get(d.get("key"), (d.get("key"), None))[0]: d.text for d in node.findall(f"{_GRAPHML}data")}
                values.pop("label", None)  # the GraphML export repeats the name as a label for Gephi
                uuid = values.get(NODE_UUID) or node.get("id")
                by_export_id[node.get("id") or ""] = uuid
                where = Origin(f"{label} node {node.get('id')}", None)
                session.nodes.append(_Entity(values.get("networkCanvasType") or "", uuid, values, list(values), where))
            for edge in graph.findall(f"{_GRAPHML}edge"):
                values = {keys.get(d.get("key"), (d.get("key"), None))[0]: d.text for d in edge.findall(f"{_GRAPHML}data")}
                where = Origin(f"{label} edge {edge.get('id') or ''}".strip(), None)
                entity = _Entity(values.get("networkCanvasType") or "", values.get(NODE_UUID), values, list(values), where)
                entity.source = values.get(SOURCE_UUID) or by_export_id.get(edge.get("source") or "")
                entity.target = values.get(TARGET_UUID) or by_export_id.get(edge.get("target") or "")
                session.edges.append(entity)
    return sessions


# -- mapping sessions to socialcap tables --------------------------------------------


def _lookup(values: Mapping[str, Any], columns: list[str], variable: str) -> tuple[bool, list[str]]:
    """A variable's value(s): (found, values).  Categorical variables come as one column per option."""
    if variable in values:
        value = values[variable]
        return True, [] if value is None or pd.isna(value) else [str(value)]
    prefix = variable + "_"
    options = [c for c in columns if c.startswith(prefix)]
    if not options:
        return False, []
    return True, [c[len(prefix):] for c in options if str(values.get(c)).lower() == "true"]


def _has(columns: list[str], variable: str) -> bool:
    return variable in columns or any(c.startswith(variable + "_") for c in columns)


def _date_text(value: str) -> str:
    """A session time or date variable as YYYY-MM-DD (its date part); anything else as given."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
        return text[:10]
    if re.fullmatch(r"\d{11,14}", text):  # milliseconds since 1970, as older exports write times
        return dt.datetime.fromtimestamp(int(text) / 1000, tz=dt.timezone.utc).date().isoformat()
    return value


class _Mapper:
    def __init__(self, mapping: NetworkCanvasMapping, sourced: SourcedTables, problems: list[Problem]) -> None:
        self.mapping, self.sourced, self.problems = mapping, sourced, problems

    def value(self, column: str, values: Mapping[str, Any], columns: list[str], variable: str, origin: Origin) -> Any:
        found, chosen = _lookup(values, columns, variable)
        if not found:
            return None
        table = self.mapping.values.get(column, {})
        mapped = [table.get(v, v) for v in chosen]
        if column in ("support_received", "support_given"):
            return ";".join(mapped) if mapped else None
        if len(mapped) > 1:
            self.problems.append(Problem(origin.file, origin.row, variable, f"{variable} has more than one option chosen ({', '.join(chosen)}); socialcap's {column} takes one"))
            return None
        return mapped[0] if mapped else None


def read_networkcanvas(
    path: str | os.PathLike[str], mapping: NetworkCanvasMapping | str | os.PathLike[str] | None = None, *, date: str | None = None
) -> Cohort:
    """Read a Network Canvas export as a cohort: several sessions of one person become a timeline.

    Parameters
    ----------
    path
        A folder of the CSV export (as unzipped), the export's ``.zip``, a folder of
        GraphML files, or one ``.graphml`` file.
    mapping
        A `NetworkCanvasMapping`, or the path of a TOML or JSON mapping file; by
        default every column is read from the variable of the same name.  A mapping
        with entries still to choose (``""``, as `write_networkcanvas_mapping` writes
        them) is refused with a list of what is left.
    date
        One date (``YYYY-MM-DD``) for every interview, instead of the mapping's date variable.

    Raises
    ------
    socialcap.ValidationError
        Listing every problem, each naming the export file, its row and the
        Network Canvas variable (or the mapping file and key).
    FileNotFoundError
        When there is nothing at ``path``.

    Examples
    --------
    One interview with P07 in the CSV export, naming two people (Bea and Kim); the
    young person's id was asked as the ego variable ``young_person``:

    >>> import tempfile
    >>> from pathlib import Path
    >>> export = Path(tempfile.mkdtemp())
    >>> _ = (export / "P07_s1_ego.csv").write_text(
    ...     "networkCanvasEgoUUID,networkCanvasSessionID,sessionStart,young_person,ward\\n"
    ...     "e1,s1,2025-05-02T08:00:00.000Z,P07,Derwent\\n")
    >>> _ = (export / "P07_s1_attributeList_Person.csv").write_text(
    ...     "nodeID,networkCanvasEgoUUID,networkCanvasUUID,name,relationship,closeness\\n"
    ...     "1,e1,u1,Bea,friend,1\\n"
    ...     "2,e1,u2,Kim,family,2\\n")
    >>> mapping = NetworkCanvasMapping.from_dict({"person_id": "young_person",
    ...     "connections": {"connection_id": "name", "domain": "relationship"}})
    >>> snap = read_networkcanvas(export, mapping).snapshot("P07")
    >>> snap, snap.person["ward"]
    (<Snapshot P07 2025-05-02: 2 connections, 0 ties>, 'Derwent')
    >>> snap.connections[["connection_id", "kind", "domain", "closeness"]].values.tolist()
    [['Bea', 'person', 'friend', 1], ['Kim', 'person', 'family', 2]]
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no Network Canvas export at {path}: expected a folder, a .zip or a .graphml file")
    check_date(date, str(path))
    if mapping is None:
        mapping = NetworkCanvasMapping(source="the default mapping")
    elif not isinstance(mapping, NetworkCanvasMapping):
        mapping = NetworkCanvasMapping.from_file(mapping)
    sessions = _read_sessions(path)
    problems: list[Problem] = []
    left = mapping.to_choose(_where(list(sessions.values())), date_given=date is not None)  # type: ignore[union-attr]
    if left:
        raise ValidationError(left, str(path))
    sourced, complete = _map_sessions(list(sessions.values()), mapping, problems, date)
    if not complete:
        raise ValidationError(problems, str(path))
    try:
        cohort = build_cohort(sourced, str(path), command="networkcanvas")
    except ValidationError as error:
        # A cell already reported here (two options ticked, say) is not reported again as empty.
        seen = {(p.file, p.row, p.column) for p in problems}
        problems += [p for p in error.problems if (p.file, p.row, p.column) not in seen]
    if problems:
        raise ValidationError(problems, str(path))
    return cohort


def _map_sessions(sessions: list[_Session], mapping: NetworkCanvasMapping, problems: list[Problem], fixed_date: str | None = None) -> tuple[SourcedTables, bool]:
    """The socialcap tables of every session, and whether the export could be read through."""
    sourced = SourcedTables()
    mapper = _Mapper(mapping, sourced, problems)
    ego_columns = list(dict.fromkeys(c for s in sessions for c in s.columns))

    def resolve(columns: tuple[str, ...], explicit: Mapping[str, str], available: list[str], section: str) -> dict[str, str]:
        out = {c: c for c in columns if _has(available, c)}
        for column, variable in explicit.items():
            if not _has(available, variable):
                problems.append(Problem(mapping.source, None, f"{section}.{column}", f"the mapping reads {column} from {variable!r}, but no file of the export has that variable"))
            out[column] = variable
        return out

    people_vars = resolve(_MAPPABLE["people"], mapping.people, ego_columns, "people")
    answer_vars = resolve(_MAPPABLE["snapshots"], mapping.snapshots, ego_columns, "snapshots")
    for key in ("person_id", "date") if fixed_date is None else ("person_id",):
        variable = getattr(mapping, key)
        if not _has(ego_columns, variable):
            problems.append(Problem(mapping.source, None, key, f"the mapping reads {key} from {variable!r}, but no ego file of the export has that variable"))
    node_types = sorted({n.type for s in sessions for n in s.nodes})
    node_columns = {t: list(dict.fromkeys(c for s in sessions for n in s.nodes if n.type == t for c in n.columns)) for t in node_types}
    all_node_columns = list(dict.fromkeys(c for cols in node_columns.values() for c in cols))
    for column, variable in mapping.connections.items():
        if not _has(all_node_columns, variable):
            problems.append(Problem(mapping.source, None, f"connections.{column}", f"the mapping reads {column} from {variable!r}, but no node of the export has that variable"))
    node_vars: dict[str, dict[str, str]] = {}
    for node_type in node_types:
        kind = mapping.kind_of(node_type)
        if kind is None:
            first = next(n.origin for s in sessions for n in s.nodes if n.type == node_type)
            problems.append(Problem(first.file, first.row, None, f"node type {node_type!r} is not a kind socialcap knows; map it under [kinds] in the mapping as person, group, place or skip (socialcap import networkcanvas SRC --write-mapping mapping.toml writes a starting mapping)"))
            continue
        explicit = mapping.node_variables(node_type)
        problems.extend(shadowed(
            mapping, "connections", explicit, mapping.fixed_values(node_type),
            lambda name, cols=node_columns[node_type]: _has(cols, name), f"the {node_type} nodes",
        ))
        found = {c: c for c in _MAPPABLE["connections"] if _has(node_columns[node_type], c)}
        found.setdefault("connection_id", NODE_UUID)
        for column, variable in explicit.items():
            found[column] = variable
        node_vars[node_type] = found
    if problems:
        return sourced, False
    used_ego = {mapping.person_id, mapping.date, *people_vars.values(), *answer_vars.values()}
    sourced.columns["people"] = {c: v for c, v in people_vars.items()} | {"person_id": mapping.person_id}
    sourced.columns["snapshots"] = {c: v for c, v in answer_vars.items()} | {"person_id": mapping.person_id, "date": mapping.date}
    sourced.columns["connections"] = dict(mapping.connections) | {"person_id": mapping.person_id, "date": mapping.date}
    sourced.columns["ties"] = {"source": SOURCE_UUID, "target": TARGET_UUID}

    latest: dict[str, tuple[str, dict[str, Any], Origin]] = {}
    seen_snapshot: dict[tuple[Any, Any], Origin] = {}
    for session in sessions:
        ego, origin = session.ego, session.origin
        pid = mapper.value("person_id", ego, session.columns, mapping.person_id, origin)
        raw_date = fixed_date if fixed_date is not None else mapper.value("date", ego, session.columns, mapping.date, origin)
        date = None if raw_date is None else _date_text(str(raw_date))
        if pid is not None and date is not None:
            if (pid, date) in seen_snapshot:
                first = seen_snapshot[(pid, date)]
                problems.append(Problem(origin.file, origin.row, mapping.date, f"{pid} has two interviews on {date} (the other is {first.file}); socialcap keeps one map per person per day, so import one of them"))
                continue
            seen_snapshot[(pid, date)] = origin
        person = {c: mapper.value(c, ego, session.columns, v, origin) for c, v in people_vars.items()}
        if pid is not None and (pid not in latest or str(date) >= latest[pid][0]):
            latest[pid] = (str(date), person, origin)
        answers = {c: mapper.value(c, ego, session.columns, v, origin) for c, v in answer_vars.items()}
        taken = _consumed(session.columns, used_ego)
        extras = {c: ego.get(c) for c in session.columns if c not in taken and c not in _BOOKKEEPING}
        sourced.add("snapshots", {"person_id": pid, "date": date, **answers, **extras}, origin)

        ids: dict[str, Any] = {}
        for node in session.nodes:
            kind = mapping.kind_of(node.type)
            if kind == SKIP:
                continue
            variables = node_vars[node.type]
            row = {c: mapper.value(c, node.values, node.columns, v, node.origin) for c, v in variables.items()}
            row |= mapping.fixed_values(node.type)
            taken = _consumed(node.columns, set(variables.values()))
            row |= {c: node.values.get(c) for c in node.columns if c not in taken and c not in _BOOKKEEPING}
            if node.uuid is not None:
                ids[node.uuid] = row.get("connection_id")
            sourced.add("connections", {"person_id": pid, "date": date, "kind": kind, **row}, node.origin)
        skipped = {n.uuid for n in session.nodes if mapping.kind_of(n.type) == SKIP}
        for edge in session.edges:
            tie_kind = next((k for t, k in mapping.tie_kinds.items() if _type_key(t) == _type_key(edge.type)), edge.type or None)
            if tie_kind == SKIP or edge.source in skipped or edge.target in skipped:
                continue
            ends = []
            for end, column in ((edge.source, SOURCE_UUID), (edge.target, TARGET_UUID)):
                if end not in ids:
                    said = f"{end!r} is not a node of this interview" if end is not None else "the edge names no node at this end (its node is missing from the file)"
                    problems.append(Problem(edge.origin.file, edge.origin.row, column, said))
                ends.append(ids.get(end))
            extras = {c: edge.values.get(c) for c in edge.columns if c not in _BOOKKEEPING}
            sourced.add("ties", {"person_id": pid, "date": date, "source": ends[0], "target": ends[1], "kind": tie_kind, **extras}, edge.origin)
    for pid, (_, person, origin) in latest.items():
        sourced.add("people", {"person_id": pid, **person}, origin)
    return sourced, True


def _consumed(columns: list[str], variables: set[str]) -> set[str]:
    """The columns that mapped variables were read from (a categorical one's option columns too)."""
    out: set[str] = set()
    for variable in variables:
        if variable in columns:
            out.add(variable)
        else:
            out.update(c for c in columns if c.startswith(variable + "_"))
    return out


# -- a starting mapping ------------------------------------------------------------


def _variables(records: list[tuple[Mapping[str, Any], list[str]]], keep: tuple[str, ...] = ()) -> list[Variable]:
    """The variables of some nodes (or egos) and the values seen; a categorical variable's
    true/false option columns (``relationship_Family``…) become one variable with options."""
    columns = list(dict.fromkeys(c for _, cols in records for c in cols if c not in _BOOKKEEPING or c in keep))
    seen: dict[str, Counter[str]] = {c: Counter() for c in columns}
    for values, cols in records:
        for c in cols:
            if c in seen:
                value = values.get(c)
                if value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value) != "":
                    seen[c][str(value)] += 1
    flags = [c for c in columns if "_" in c and seen[c] and set(map(str.lower, seen[c])) <= {"true", "false"}]
    groups: dict[str, str] = {}
    for c in flags:
        prefixes = [c[:i] for i, ch in enumerate(c) if ch == "_" and i > 0]
        shared = [p for p in prefixes if sum(f.startswith(p + "_") for f in flags) >= 2]
        if shared:
            groups[c] = max(shared, key=len)
    out: list[Variable] = []
    done: set[str] = set()
    for c in columns:
        if c in groups:
            prefix = groups[c]
            if prefix not in done:
                done.add(prefix)
                options = tuple(f[len(prefix) + 1:] for f in columns if groups.get(f) == prefix)
                out.append(Variable(prefix, options=options))
        else:
            out.append(Variable(c, seen[c]))
    return out


def _ego_variables(sessions: list[_Session]) -> list[Variable]:
    return _variables([(s.ego, s.columns) for s in sessions], keep=("networkCanvasCaseID", "sessionStart"))


def _node_variables(sessions: list[_Session]) -> dict[str, list[Variable]]:
    types = sorted({n.type for s in sessions for n in s.nodes})
    return {t: _variables([(n.values, n.columns) for s in sessions for n in s.nodes if n.type == t]) for t in types}


def _where(sessions: list[_Session]) -> dict[str, tuple[str, list[str]]]:
    nodes = list(dict.fromkeys(v.name for variables in _node_variables(sessions).values() for v in variables))
    return {"ego": ("ego file", [v.name for v in _ego_variables(sessions)]), "alter": ("node file", nodes)}


def write_networkcanvas_mapping(path: str | os.PathLike[str], output: str | os.PathLike[str]) -> Path:
    """Write a starting mapping for a Network Canvas export: every variable, option and value seen.

    Node types named ``Person``, ``Group`` or ``Place`` get that kind; everything
    socialcap cannot tell from a name is left as ``""`` (still to choose), and
    `read_networkcanvas` lists what is left until it is filled in.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> export = Path(tempfile.mkdtemp())
    >>> _ = (export / "P07_s1_ego.csv").write_text(
    ...     "networkCanvasEgoUUID,networkCanvasCaseID,sessionStart\\n"
    ...     "e1,P07,2025-05-02T08:00:00.000Z\\n")
    >>> _ = (export / "P07_s1_attributeList_Venue.csv").write_text(
    ...     "nodeID,networkCanvasEgoUUID,networkCanvasUUID,name,kind_of_place\\n"
    ...     "1,e1,u1,Gym,sport\\n")
    >>> mapping = write_networkcanvas_mapping(export, export / "mapping.toml")
    >>> try:
    ...     read_networkcanvas(export, mapping)
    ... except ValidationError as error:
    ...     print("\\n".join(p.message for p in error.problems))  # doctest: +ELLIPSIS
    still to choose: the node file column giving closeness, which is 1 (closest), ...; node file columns: name, kind_of_place
    still to choose: the node file column giving domain, which is family, ...; node file columns: name, kind_of_place
    still to choose: what a 'Venue' node is: person, group, place, or skip to leave them out
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no Network Canvas export at {path}: expected a folder, a .zip or a .graphml file")
    sessions = _read_sessions(path)
    listed = list(sessions.values())
    nodes = _node_variables(listed)
    edge_types = sorted({e.type for s in listed for e in s.edges if e.type})
    inventory = Inventory(
        tool="a Network Canvas export", command="networkcanvas", source=str(path),
        ego_file="ego file", ego=_ego_variables(listed), alter_file="node file", alters=nodes,
        edge_types=edge_types, person_id="networkCanvasCaseID", date="sessionStart",
        kinds={t: t.lower() for t in nodes if t.lower() in vocab.KINDS},
        connection_id=(
            "# connection_id = \"name\"   # a variable that stays the same from one interview to the next, so that "
            "socialcap can tell who was kept (the default, networkCanvasUUID, is new in each interview)"
        ),
    )
    return write_starting_mapping(inventory, output)
