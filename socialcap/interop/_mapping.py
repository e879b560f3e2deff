"""The mapping file shared by the egor and Network Canvas importers, and the starting mapping.

Another tool's files name things their own way: a study asks "how close are you?"
as ``tie_strength`` with the answers "very close" and "somewhat close", where
socialcap wants ``closeness`` 1, 2 or 3.  A mapping file (TOML or JSON) says which of
the study's variables gives which socialcap column and what each value means::

    person_id = "participant"   # the variable naming the young person
    date = "interview_date"     # the variable holding the date of each map (or --date)

    [people]                    # people.csv column = ego variable
    [snapshots]                 # snapshots.csv column = ego variable
    [connections]               # connections.csv column = alter (node) variable
    domain = "relation"
    closeness = "tie_strength"

    [fixed]                     # one value for every alter (node)
    kind = "person"

    [values.closeness]          # the study's value = socialcap's value
    "very close" = 1
    "somewhat close" = 2

Each importer adds its own sections (Network Canvas: ``[kinds]``, ``[tie_kinds]``,
``[connections.<node type>]``, ``[fixed.<node type>]``; egor: ``[ids]``).  A value
left as ``""`` is *still to choose*: `ImportMapping.to_choose` lists each one with the
variables or words to choose from, which is what importing with a starting mapping
(`write_starting_mapping`) reports until it is filled in.

Examples
--------
>>> mapping = ImportMapping.from_dict({"connections": {"domain": "relation", "closeness": ""},
...                                    "values": {"closeness": {"very close": 1}}})
>>> mapping.connections["domain"], mapping.values["closeness"]
('relation', {'very close': '1'})
>>> [p.column for p in mapping.to_choose()]
['connections.closeness']
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .. import vocab
from .._safe import load_json, load_toml
from .._exceptions import Problem, ValidationError

__all__ = ["ImportMapping", "SKIP", "WORDS", "Variable", "write_starting_mapping"]

#: A node type, edge type or value left out of the import.
SKIP = "skip"

#: The socialcap columns a mapping may fill, per table.
MAPPABLE: dict[str, tuple[str, ...]] = {
    "people": tuple(c for c in vocab.PEOPLE_COLUMNS if c != "person_id"),
    "snapshots": tuple(c for c in vocab.SNAPSHOT_COLUMNS if c not in ("person_id", "date")),
    "connections": tuple(c for c in vocab.CONNECTION_COLUMNS if c not in ("person_id", "date")),
}
_ALL_COLUMNS = tuple(dict.fromkeys((*MAPPABLE["people"], *MAPPABLE["snapshots"], *MAPPABLE["connections"])))


def _listed(words: Iterable[object], last: str = "or") -> str:
    words = [str(w) for w in words]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


#: The words (SPEC §2) each column takes, as a mapping's comments and hints say them.
WORDS: dict[str, str] = {
    "kind": _listed(vocab.KINDS),
    "domain": _listed(vocab.DOMAINS),
    "closeness": _listed(f"{n} ({vocab.CLOSENESS_LABELS[n]})" for n in vocab.CLOSENESS),
    "contact": _listed(f"{c} ({vocab.CONTACT_LABELS[c]})" for c in vocab.CONTACT),
    "support_received": _listed(vocab.SUPPORT_TYPES, "and") + " (several separated by ;)",
    "support_given": _listed(vocab.SUPPORT_TYPES, "and") + " (several separated by ;)",
    "paid": "true or false",
    "ons_lonely": _listed(vocab.ONS_LONELY),
    **{item: "1 (hardly ever), 2 (some of the time) or 3 (often)" for item in vocab.UCLA_ITEMS},
    "since": "a date written YYYY-MM-DD",
    "start_date": "a date written YYYY-MM-DD",
    "birth_year": "a year such as 2007",
}

#: Columns whose values are words (or small numbers) a [values.<column>] table can translate.
CODED = ("kind", "domain", "closeness", "contact", "support_received", "support_given", "paid", "ons_lonely", *vocab.UCLA_ITEMS)


def accepted(column: str) -> tuple[str, ...] | None:
    """The values socialcap reads in a coded column (None for a column of free values)."""
    return {
        "kind": vocab.KINDS,
        "domain": vocab.DOMAINS,
        "closeness": tuple(map(str, vocab.CLOSENESS)),
        "contact": vocab.CONTACT,
        "support_received": vocab.SUPPORT_TYPES,
        "support_given": vocab.SUPPORT_TYPES,
        "paid": ("true", "false"),
        "ons_lonely": vocab.ONS_LONELY,
        **{item: tuple(map(str, vocab.UCLA_VALUES)) for item in vocab.UCLA_ITEMS},
    }.get(column)


def _close(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class ImportMapping:
    """Which of a study's variables gives which socialcap column, and what its values mean.

    The base of `socialcap.interop.NetworkCanvasMapping` and
    `socialcap.interop.EgorMapping`; build one with ``from_file`` (TOML or JSON) or
    ``from_dict``.  Every table maps a socialcap column to a variable of the study
    (``[connections] domain = "relation"``); ``fixed`` gives one value for every
    alter (``fixed[""]``) or every node of a type (``fixed["Venue"]``); ``values``
    translates the study's values (``values["closeness"]["very close"] == "1"``).
    """

    #: How the tool is named in messages, and on the command line.
    TOOL: ClassVar[str] = "the other tool"
    COMMAND: ClassVar[str] = ""
    #: The sections this tool's mapping may have.
    SECTIONS: ClassVar[tuple[str, ...]] = ("person_id", "date", "people", "snapshots", "connections", "fixed", "values")
    #: Whether [connections.<type>] and [fixed.<type>] tables are allowed (node types).
    NODE_TYPES: ClassVar[bool] = False
    #: The keys of [ids], when the tool has one.
    IDS: ClassVar[tuple[str, ...]] = ()
    #: The connections.csv columns [connections] and [fixed] may fill.
    CONNECTION_COLUMNS: ClassVar[tuple[str, ...]] = MAPPABLE["connections"]

    #: The ego variable naming the young person, and the one holding the date; None
    #: for the tool's default, ``""`` while still to choose.
    person_id: str | None = None
    date: str | None = None
    kinds: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)
    snapshots: Mapping[str, str] = field(default_factory=dict)
    connections: Mapping[str, str] = field(default_factory=dict)
    node_types: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    fixed: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    tie_kinds: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    ids: Mapping[str, str] = field(default_factory=dict)
    source: str = "the mapping"

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ImportMapping:
        """Read a mapping file: TOML (``.toml``) or JSON (``.json``)."""
        path = Path(path)
        label = path.name
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ValidationError([Problem(label, None, None, f"the mapping cannot be read: {error}")], str(path)) from None
        # Bounded (SPEC §7): a mapping nested thousands deep is a problem, not a RecursionError.
        data = load_json(text, label) if kind == "JSON" else load_toml(text, label)
        return cls.from_dict(data, source=label)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "the mapping") -> ImportMapping:
        """Check a mapping given as nested dicts; raise `ValidationError` naming every wrong key."""
        problems: list[Problem] = []

        def say(where: str | None, message: str) -> None:
            problems.append(Problem(source, None, where, message))

        if not isinstance(data, Mapping):
            say(None, f"the mapping should be a table of names, not {'empty' if data is None else 'a ' + type(data).__name__}")
            raise ValidationError(problems, source)

        def table(name: str) -> Mapping[str, Any]:
            value = data.get(name, {})
            if not isinstance(value, Mapping):
                say(name, f"[{name}] should be a table of names")
                return {}
            return value

        def names(where: str, entries: Mapping[str, Any], allowed: tuple[str, ...] | None, choices: tuple[str, ...] | None = None) -> dict[str, str]:
            out: dict[str, str] = {}
            for key, value in entries.items():
                if allowed is not None and key not in allowed:
                    what = f"a {where}.csv column socialcap fills from {cls.TOOL}" if where in MAPPABLE else f"part of [{where}]"
                    say(f"{where}.{key}", f"{key!r} is not {what}; it can be one of: {', '.join(allowed)}{_close(key, allowed)}")
                    continue
                if isinstance(value, (Mapping, list)) or value is None:
                    say(f"{where}.{key}", f"{where}.{key} should be a single value, not {json.dumps(value)[:40]}")
                    continue
                text = str(value).lower() if isinstance(value, bool) else str(value)
                if choices is not None and text not in (*choices, ""):
                    say(f"{where}.{key}", f"{text!r} is not one of: {', '.join(choices)}")
                    continue
                out[str(key)] = text
            return out

        for key in data:
            if key not in cls.SECTIONS:
                say(key, f"{key!r} is not part of {'an' if cls.TOOL[0] in 'aeiou' else 'a'} {cls.TOOL} mapping" + _close(key, cls.SECTIONS))
        for key in ("person_id", "date"):
            if key in data and not isinstance(data[key], str):
                say(key, f"{key} should name one ego variable, as text")

        connections_raw = table("connections")
        node_types: dict[str, dict[str, str]] = {}
        plain: dict[str, Any] = {}
        for key, value in connections_raw.items():
            if isinstance(value, Mapping):
                if cls.NODE_TYPES:
                    node_types[key] = names(f"connections.{key}", value, cls.CONNECTION_COLUMNS)
                else:
                    say(f"connections.{key}", f"[connections.{key}] cannot be a table here; name an alter variable")
            else:
                plain[key] = value
        fixed: dict[str, dict[str, str]] = {}
        common: dict[str, Any] = {}
        for key, value in table("fixed").items():
            if isinstance(value, Mapping):
                if cls.NODE_TYPES:
                    fixed[key] = names(f"fixed.{key}", value, cls.CONNECTION_COLUMNS)
                else:
                    say(f"fixed.{key}", f"[fixed.{key}] cannot be a table here; give one value")
            else:
                common[key] = value
        if common:
            fixed[""] = names("fixed", common, cls.CONNECTION_COLUMNS)
        values: dict[str, dict[str, str]] = {}
        for column, entries in table("values").items():
            if not isinstance(entries, Mapping):
                say(f"values.{column}", f"[values.{column}] should be a table of {cls.TOOL} value = socialcap value")
                continue
            if column not in _ALL_COLUMNS:
                say(f"values.{column}", f"{column!r} is not a socialcap column" + _close(column, _ALL_COLUMNS))
                continue
            values[column] = names(f"values.{column}", entries, None)
        mapping = cls(
            person_id=str(data["person_id"]) if "person_id" in data else cls.person_id,
            date=str(data["date"]) if "date" in data else cls.date,
            kinds=names("kinds", table("kinds"), None, (*vocab.KINDS, SKIP)),
            people=names("people", table("people"), MAPPABLE["people"]),
            snapshots=names("snapshots", table("snapshots"), MAPPABLE["snapshots"]),
            connections=names("connections", plain, cls.CONNECTION_COLUMNS),
            node_types=node_types,
            fixed=fixed,
            tie_kinds=names("tie_kinds", table("tie_kinds"), None),
            values=values,
            ids=names("ids", table("ids"), cls.IDS),
            source=source,
        )
        if problems:
            raise ValidationError(problems, source)
        return mapping

    # -- using it ----------------------------------------------------------------------

    def value(self, column: str, raw: object) -> object:
        """A study's value in socialcap's words: through ``[values.<column>]`` when listed there.

        Support lists are translated item by item (``"Talk;Help"`` -> ``"emotional;practical"``).
        """
        table = self.values.get(column)
        if not table or raw is None or (isinstance(raw, float) and raw != raw):
            return raw
        text = str(raw)
        if text in table:
            return table[text]
        if column in ("support_received", "support_given") and ";" in text:
            return ";".join(table.get(part.strip(), part.strip()) for part in text.split(";") if part.strip())
        return raw

    def to_choose(self, where: Mapping[str, tuple[str, list[str]]] | None = None, date_given: bool = False) -> list[Problem]:
        """Every entry left as ``""``: what is still to choose, with what to choose from.

        ``where`` names, for ``"ego"`` and ``"alter"``, the file a variable comes
        from and the variables there are (``{"alter": ("alters.csv", [...])}``).
        """
        where = where or {}

        def among(side: str) -> str:
            file, variables = where.get(side, ("", []))
            return f"; {file} columns: {', '.join(variables)}" if variables else ""

        def file(side: str, default: str) -> str:
            return where.get(side, (default, []))[0] or default

        out: list[Problem] = []

        def say(key: str, message: str) -> None:
            out.append(Problem(self.source, None, key, f"still to choose: {message}"))

        ego, alter = file("ego", "ego"), file("alter", "alter")
        if self.person_id == "":
            say("person_id", f"the {ego} column naming the young person{among('ego')}")
        if self.date == "" and not date_given:
            say("date", f"the {ego} column holding the date of each map, written YYYY-MM-DD, or delete the line "
                f"and give one date for every map with --date{among('ego')}")
        for section, side in (("people", "ego"), ("snapshots", "ego")):
            for column, variable in getattr(self, section).items():
                if variable == "":
                    say(f"{section}.{column}", f"the {file(side, side)} column giving {column}{among(side)}")
        for column, variable in self.connections.items():
            if variable == "":
                words = f", which is {WORDS[column]}" if column in WORDS else ""
                say(f"connections.{column}", f"the {alter} column giving {column}{words}{among('alter')}")
        for node_type, table in self.node_types.items():
            for column, variable in table.items():
                if variable == "":
                    say(f"connections.{node_type}.{column}", f"the variable of {node_type} nodes giving {column}, or delete the line")
        for node_type, kind in self.kinds.items():
            if kind == "":
                say(f"kinds.{node_type}", f"what a {node_type!r} node is: person, group, place, or skip to leave them out")
        for node_type, table in self.fixed.items():
            for column, value in table.items():
                if value == "":
                    at = f"fixed.{node_type}.{column}" if node_type else f"fixed.{column}"
                    say(at, f"the {column} of every {'alter' if not node_type else node_type + ' node'}: {WORDS.get(column, 'a value')}")
        for edge_type, kind in self.tie_kinds.items():
            if kind == "":
                say(f"tie_kinds.{edge_type}", f"what to call a {edge_type!r} tie (any word), or skip to leave them out")
        for column, table in self.values.items():
            for value, meaning in table.items():
                if meaning == "":
                    say(f"values.{column}.{value}", f"what {value!r} means as {column}: {WORDS.get(column, 'a value')}")
        return out


def shadowed(mapping: ImportMapping, section: str, filled: Mapping[str, str], fixed: Mapping[str, str], has: Any, file: str) -> list[Problem]:
    """A column named as a socialcap column that the mapping fills from elsewhere.

    Reading both would let one silently overwrite the other, so the user is asked to
    rename one (``has(name)`` tells whether the file has a column of that name).
    """
    out = []
    for column, variable in filled.items():
        if variable and variable != column and has(column):
            out.append(Problem(mapping.source, None, f"{section}.{column}", (
                f"the mapping reads {column} from {variable!r}, but {file} also has a column named {column!r}; "
                f"rename that column, or read {column} from it")))
    for column, value in fixed.items():
        if has(column) and filled.get(column, column) == column:
            out.append(Problem(mapping.source, None, f"fixed.{column}", (
                f"[fixed] gives every one the {column} {value!r}, but {file} also has a column named {column!r}; "
                "delete one of them")))
    return out


def check_date(date: str | None, source: str) -> None:
    """Refuse a ``--date`` that is not written YYYY-MM-DD, before anything is read."""
    import datetime as dt

    if date is None:
        return
    try:
        ok = len(date) == 10 and dt.date.fromisoformat(date).isoformat() == date
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError([Problem("--date", None, None, f"{date!r} is not a date written YYYY-MM-DD (for example 2025-03-01)")], source)


# -- a starting mapping, written from what an export holds ------------------------------


@dataclass
class Variable:
    """One variable of an export and the values seen in it (most frequent first)."""

    name: str
    seen: Counter[str] = field(default_factory=Counter)
    #: Network Canvas's categorical variables: the options (one true/false column each).
    options: tuple[str, ...] = ()

    def describe(self, limit: int = 40) -> str:
        if self.options:
            return "options " + ", ".join(_q(o) for o in self.options)
        if not self.seen:
            return "always empty"
        common = [v for v, _ in self.seen.most_common()]
        shown = ", ".join(_q(v) for v in common[:limit])
        more = f", … and {len(common) - limit} more" if len(common) > limit else ""
        return f"{len(common)} value{'s' if len(common) != 1 else ''}: {shown}{more}"

    @property
    def choices(self) -> list[str]:
        return list(self.options) or [v for v, _ in self.seen.most_common()]


def _q(text: str) -> str:
    """A TOML basic string (also a JSON string): quoted, with control characters escaped."""
    return json.dumps(str(text), ensure_ascii=False).replace("\x7f", "\\u007f")


def _comment(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", " ", text)


#: Words in a variable's name that suggest which socialcap column it gives.
_GUESSES: dict[str, str] = {
    "domain": r"domain|relation|rel_?type|role|bezieh|relazione|relaci",
    "closeness": r"clos|ring|strength|intima|n[aä]he|circle_?(no|num|ring)",
    "contact": r"contact|freq|how_?often|kontakt",
    "support_received": r"support_?(from|rec)|help_?from",
    "support_given": r"support_?(to|giv)|help_?to",
    "name": r"^(alter_?)?name$|^label$|^nickname$",
    "ward": r"ward",
    "birth_year": r"birth|born",
    "ucla_companionship": r"companion",
    "ucla_left_out": r"left_?out",
    "ucla_isolated": r"isolat",
    "ons_lonely": r"lonel",
}


def guess(column: str, variables: Iterable[Variable], loose: bool = False) -> Variable | None:
    """The variable whose name suggests ``column`` (``tie_strength`` for closeness), if one does.

    ``loose`` also takes a categorical ``…_type`` variable as a node type's domain
    (``group_type``, ``place_type``).
    """
    pattern = _GUESSES.get(column)
    if pattern is None:
        return None
    if loose and column == "domain":
        pattern += r"|_type$|^type$|categor"
    for variable in variables:
        if variable.name == column or re.search(pattern, variable.name, re.IGNORECASE):
            return variable
    return None


def _value_lines(column: str, variables: list[Variable]) -> list[str]:
    """``"value" = "word"`` for each value seen: filled in where the word is plain, else ``""``."""
    allowed = accepted(column) or ()
    lines = []
    values = dict.fromkeys(value for variable in variables for value in variable.choices[:60])
    for value in values:
        if value in allowed:
            continue  # already a socialcap word
        lowered = value.strip().lower().replace(" ", "_")
        meaning = lowered if lowered in allowed else ""
        lines.append(f"{_key(value)} = {_q(meaning)}" + ("" if meaning else f"   # {WORDS[column]}"))
    return lines


def _key(text: str) -> str:
    """A TOML key: bare when it can be, quoted otherwise."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _q(text)


@dataclass
class Inventory:
    """What an export holds, for a starting mapping: its variables and the values seen."""

    tool: str
    command: str
    source: str
    ego_file: str
    ego: list[Variable]
    alter_file: str
    #: node type ("" for egor's one kind of alter) -> its variables
    alters: dict[str, list[Variable]]
    edge_types: list[str] = field(default_factory=list)
    person_id: str = ""
    date: str = ""
    #: lines written before the rest (egor's [ids])
    preamble: list[str] = field(default_factory=list)
    #: node types whose kind is known from their name
    kinds: dict[str, str] = field(default_factory=dict)
    #: a line on the connection id (commented out), written first under [connections]
    connection_id: str = ""


def write_starting_mapping(inventory: Inventory, path: str | os.PathLike[str]) -> Path:
    """Write a mapping file listing every variable and value of an export, to fill in.

    A choice socialcap cannot make is written as ``""`` (still to choose); importing
    with the file unchanged lists each one.  Values that already are socialcap's
    words are left out; a value that is one but for case or spaces is filled in.
    """
    from ..io import atomic_write

    inv = inventory
    every_alter = [v for variables in inv.alters.values() for v in variables]
    lines = [
        f"# A starting mapping for {inv.tool}, written by",
        f"#   socialcap import {inv.command} {inv.source} --write-mapping {Path(path).name}",
        "# Fill in every \"\" (still to choose); delete a line you do not need. Then:",
        f"#   socialcap import {inv.command} {inv.source} --mapping {Path(path).name} -o cohort/",
        "# Importing before everything is chosen lists what is left, and writes nothing.",
        "#",
        f"# {inv.ego_file}: the young person's answers, one row per interview",
    ]
    lines += [f"#   {_comment(v.name)}: {_comment(v.describe())}" for v in inv.ego]
    for node_type, variables in inv.alters.items():
        lines.append(f"# {inv.alter_file}" + (f" of type {node_type!r}" if node_type else "") + ": the people, groups and places named")
        lines += [f"#   {_comment(v.name)}: {_comment(v.describe())}" for v in variables]
    if inv.edge_types:
        lines.append(f"# ties between them: {', '.join(_comment(t) for t in inv.edge_types)}")
    lines += [
        "",
        f"person_id = {_q(inv.person_id)}   # the {inv.ego_file} column naming the young person",
        f"date = {_q(inv.date)}   # the {inv.ego_file} column holding each map's date (YYYY-MM-DD); or delete this line and give --date",
        "",
        *inv.preamble,
    ]
    chosen: dict[str, list[Variable]] = {}

    mapped: set[str] = set()

    def choose(column: str, variables: list[Variable], needed: bool, loose: bool = False) -> list[str]:
        """The line mapping one column: read by name, guessed, still to choose, or left out."""
        hint = f"   # {WORDS[column]}" if column in WORDS else ""
        same = next((v for v in variables if v.name == column), None)
        found = same or guess(column, variables, loose)
        if found is not None:
            mapped.add(found.name)
            if column in CODED:
                chosen.setdefault(column, []).append(found)
        if loose and same is None and found is None:
            return []
        if same is not None:
            return [f"# {column} is read from the column of that name"]
        if found is not None:
            return [f"{column} = {_q(found.name)}   # guessed from its name: check it{hint.replace('   #', ';')}"]
        return [f"{column} = \"\"{hint}"] if needed else [f"# {column} = \"\"{hint}"]

    lines += [f"[people]        # people.csv column = {inv.ego_file} column"]
    for column in MAPPABLE["people"]:
        lines += choose(column, inv.ego, False)
    lines += ["", f"[snapshots]     # snapshots.csv column = {inv.ego_file} column (the young person's own answers)"]
    for column in MAPPABLE["snapshots"]:
        lines += choose(column, inv.ego, False)
    lines += ["", f"[connections]   # connections.csv column = {inv.alter_file} column"]
    if inv.connection_id:
        lines.append(inv.connection_id)
    wanted = (("domain", True), ("closeness", True), ("name", False), ("contact", False), ("support_received", False),
              ("support_given", False), ("paid", False), ("since", False))
    common = {column: guess(column, every_alter) for column, _ in wanted}
    for column, needed in wanted:
        lines += choose(column, every_alter, needed)
    if len(inv.alters) > 1:
        # A node type without the variable guessed for all may ask it under its own name.
        for node_type, variables in inv.alters.items():
            own: list[str] = []
            for column in ("domain", "closeness"):
                if common[column] is None or common[column] not in variables:
                    found = guess(column, variables, loose=True)
                    if found is not None and found is not common[column]:
                        own += choose(column, [found], False, loose=True)
            if own:
                lines += ["", f"[connections.{_key(node_type)}]   # for {_comment(node_type)} nodes only", *own]
    lines += ["", *_kind_lines(inv)]
    if inv.edge_types and inv.command == "networkcanvas":
        lines += ["", "[tie_kinds]     # edge type = the kind of tie (any word), or skip"]
        lines += [f"{_key(t)} = {_q(t)}" for t in inv.edge_types]
    lines += ["", "# What each value means in socialcap's words: the study's value = socialcap's value."]
    for column, variables in chosen.items():
        value_lines = _value_lines(column, variables)
        if value_lines:
            names = ", ".join(dict.fromkeys(_comment(v.name) for v in variables))
            lines += ["", f"[values.{column}]   # the values of {names}", *value_lines]
    used = [v for variables in chosen.values() for v in variables]
    for variable in [*inv.ego, *every_alter]:
        if variable in used or variable.name in mapped or variable.name in ("name", inv.person_id, "networkCanvasSessionID"):
            continue
        if 1 < len(variable.choices) <= 12 and not _looks_free(variable):
            lines += ["", f"# If {_comment(variable.name)} gives a column, list its values under [values.<column>]:"]
            lines += [f"# {_q(value)} = \"\"" for value in variable.choices]
    path = Path(path)
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def _looks_free(variable: Variable) -> bool:
    """Ids, numbers and dates: nothing a values table would translate."""
    return all(re.fullmatch(r"[+-]?[\d.,:T Z-]+", v) for v in variable.choices)


def _kind_lines(inv: Inventory) -> list[str]:
    if inv.command == "networkcanvas":
        lines = ["[kinds]         # node type = person, group or place (or skip to leave them out)"]
        for node_type in inv.alters:
            lines.append(f"{_key(node_type)} = {_q(inv.kinds.get(node_type, ''))}")
        return lines
    every_alter = [v for variables in inv.alters.values() for v in variables]
    if any(v.name == "kind" for v in every_alter):
        return ["# kind is read from the column of that name (person, group or place)"]
    return ["[fixed]         # one value for every alter", "kind = \"person\"   # person, group or place; or map a column: [connections] kind = \"...\""]
