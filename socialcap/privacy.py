"""Pseudonymise a cohort before it goes to an analyst.

`pseudonymise` replaces every ``person_id`` and ``connection_id`` with a keyed
pseudonym (HMAC-SHA256), removes names and free text, and can coarsen birth years
to age bands and dates to months.  The same key always gives the same pseudonyms,
so waves pseudonymised months apart still line up; without the key nobody can work
a pseudonym back to an id, and with it the coordinator can look one up
(`person_pseudonym`).

Pseudonymised data is **still personal data** under UK GDPR (ICO guidance on
pseudonymisation): the key re-identifies it, and a rare ward, age and network can
single a young person out.  Treat the output as personal data, keep the key apart
from it (never in the same folder, email or archive), and suppress small groups in
anything published (`socialcap.analysis.suppress`).

Examples
--------
>>> import pandas as pd, socialcap as sc
>>> people = pd.DataFrame({"person_id": ["P1"], "name": ["Robin"], "birth_year": [2007]})
>>> connections = pd.DataFrame({"person_id": ["P1"], "date": ["2025-03-14"], "connection_id": ["C1"],
...                             "kind": ["person"], "name": ["Mum"], "domain": ["family"], "closeness": [1]})
>>> cohort = sc.Cohort.from_tables(people, connections)
>>> safe = pseudonymise(cohort, key=b"a long secret key kept elsewhere", age_bands=True, months=True)
>>> safe.people.loc[0, ["person_id", "name", "birth_year", "age_band"]].tolist()
['P-d098914a2ea751e8', nan, <NA>, '18-20']
>>> safe.connections.loc[0, ["connection_id", "name", "date"]].tolist()
['C-10bd0220eaf2792b', nan, Timestamp('2025-03-01 00:00:00')]
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from . import vocab
from ._exceptions import SocialcapError
from .analysis import age_band
from .cohort import Cohort

__all__ = [
    "pseudonymise",
    "person_pseudonym",
    "connection_pseudonym",
    "read_key",
    "check_groupable",
    "PSEUDONYM_LENGTH",
    "MIN_KEY_BYTES",
]

#: Hex digits kept of each HMAC: 64 bits, so that two of even millions of ids
#: practically never share a pseudonym (a clash is checked for and refused anyway).
PSEUDONYM_LENGTH = 16

#: The shortest key accepted (SPEC §7): shorter keys can be found by trying them all.
MIN_KEY_BYTES = 16

_DATE_COLUMNS = {
    "people": ("start_date",),
    "connections": ("date", "since"),
    "ties": ("date",),
    "snapshots": ("date",),
}


def _key_bytes(key: bytes | str) -> bytes:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, (bytes, bytearray)) or not key:
        raise ValueError("the key must be non-empty bytes (for example secrets.token_bytes(32)), kept secret")
    if len(key) < MIN_KEY_BYTES:
        # A short key is found by trying every one: a one-byte key in under a millisecond.
        raise ValueError(
            f"the key is {len(key)} bytes long; use at least {MIN_KEY_BYTES} random bytes "
            "(for example python -c \"import secrets; print(secrets.token_hex(32))\")"
        )
    return bytes(key)


def read_key(path: str | os.PathLike[str]) -> bytes:
    r"""The key held in a file: its bytes without a BOM (Excel's or Notepad's) and surrounding white space.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "key.txt"
    >>> _ = path.write_bytes(b"\xef\xbb\xbf" + b"a long secret key kept elsewhere\r\n")
    >>> read_key(path)
    b'a long secret key kept elsewhere'
    """
    return Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf").strip()


#: Column names that identify people: grouping an analyst's table by them is refused.
IDENTIFYING = re.compile(r"(^|_)(id|ids|name|names|notes?|e?mail|phone|mobile|address|postcode|dob|nhs|uprn)($|_)", re.IGNORECASE)


def check_groupable(people: pd.DataFrame, columns: Iterable[str], min_people: int = 5) -> None:
    """Refuse to break an analyst's table down by a column that names or identifies people.

    Refused: ``name`` and other free text, ``person_id``, ``connection_id``, any column
    whose name says it holds an id, a name, notes or contact details (`IDENTIFYING`),
    and any column whose values differ for every person (at least ``min_people`` of
    them): its groups would be single people, with their value as the label.

    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": [f"P{i}" for i in range(6)], "ward": ["A", "A", "B", "B", "B", "A"],
    ...                        "school_ref": [f"S{i}" for i in range(6)]})
    >>> check_groupable(people, ["ward", "age_band"])
    >>> check_groupable(people, ["name"])
    Traceback (most recent call last):
    ...
    socialcap._exceptions.SocialcapError: cannot break down by 'name': it names or identifies young people; analyst outputs never carry names or ids
    >>> check_groupable(people, ["school_ref"])
    Traceback (most recent call last):
    ...
    socialcap._exceptions.SocialcapError: cannot break down by 'school_ref': its values differ for every person, so each group would be one young person
    """
    for column in columns:
        if column in vocab.FREE_TEXT_COLUMNS or column in ("person_id", "connection_id") or IDENTIFYING.search(column):
            raise SocialcapError(f"cannot break down by {column!r}: it names or identifies young people; analyst outputs never carry names or ids")
        if column in people.columns:
            values = people[column].dropna()
            if len(values) >= min_people and values.nunique() == len(values):
                raise SocialcapError(f"cannot break down by {column!r}: its values differ for every person, so each group would be one young person")


def _digest(key: bytes, *parts: str) -> str:
    # Parts are joined with NUL, which no id contains, and the first part names what
    # is pseudonymised, so a person id and a connection id never share a pseudonym.
    message = "\x00".join(parts).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def person_pseudonym(person_id: str, key: bytes | str) -> str:
    r"""The pseudonym `pseudonymise` gives ``person_id`` under ``key``.

    .. math:: \texttt{P-} \Vert \operatorname{hex}\big(\mathrm{HMAC\text{-}SHA256}(k,\ \texttt{person} \Vert \texttt{NUL} \Vert id)\big)_{1..16}

    (RFC 2104 HMAC).  A coordinator holding the key can find a young person in
    an analyst's table this way; nobody without the key can.

    >>> person_pseudonym("P1", b"a long secret key kept elsewhere")
    'P-d098914a2ea751e8'
    """
    return "P-" + _digest(_key_bytes(key), "person", str(person_id))


def connection_pseudonym(person_id: str, connection_id: str, key: bytes | str) -> str:
    """The pseudonym of one person's connection (keyed with the person: ``C1`` of two people differ).

    >>> key = b"a long secret key kept elsewhere"
    >>> connection_pseudonym("P1", "C1", key)
    'C-10bd0220eaf2792b'
    >>> connection_pseudonym("P2", "C1", key)
    'C-848cbebdcab68aef'
    """
    return "C-" + _digest(_key_bytes(key), "connection", str(person_id), str(connection_id))


def _map_unique(values: pd.Series, make: object) -> pd.Series:
    # HMAC once per distinct value, not once per row.
    codes, uniques = pd.factorize(values)
    mapped = np.array([make(v) for v in uniques], dtype=object)  # type: ignore[operator]
    out = pd.Series(mapped[codes] if len(uniques) else np.array([], dtype=object), index=values.index)
    return out.where(codes >= 0).astype(values.dtype)


def _map_connections(persons: pd.Series, ids: pd.Series, key: bytes) -> pd.Series:
    pairs = pd.Series(list(zip(persons, ids)), index=ids.index, dtype=object)
    codes, uniques = pd.factorize(pairs)
    mapped = np.array([connection_pseudonym(p, c, key) for p, c in uniques], dtype=object)
    out = pd.Series(mapped[codes] if len(uniques) else np.array([], dtype=object), index=ids.index)
    return out.astype(ids.dtype)


def _to_month(series: pd.Series) -> pd.Series:
    return series.dt.to_period("M").dt.start_time.astype(series.dtype)


def _check_months(snapshots: pd.DataFrame) -> None:
    month = _to_month(snapshots["date"])
    clash = month.duplicated(keep=False) & snapshots["person_id"].duplicated(keep=False)
    clash = snapshots.assign(month=month).loc[clash].groupby(["person_id", "month"])["date"]
    problems = [
        f"{person} has {len(dates)} maps in {month:%B %Y} ({', '.join(d.date().isoformat() for d in dates)})"
        for (person, month), dates in clash
        if len(dates) > 1
    ]
    if problems:
        raise SocialcapError(
            "months=True would merge maps drawn in the same month: "
            + "; ".join(problems)
            + ". Pseudonymise with months=False, or keep one map per person per month."
        )


def pseudonymise(
    cohort: Cohort,
    key: bytes | str,
    *,
    age_bands: bool = False,
    months: bool = False,
    keep: Iterable[str] = (),
) -> Cohort:
    """A copy of the cohort with keyed pseudonyms, and without names or free text.

    Parameters
    ----------
    cohort
        The cohort to pseudonymise (it is not changed).
    key
        The secret key (bytes; text is read as UTF-8).  The same key gives the same
        pseudonyms every time; a different key gives unrelated ones.  Keep it apart
        from the output.
    age_bands
        Replace ``birth_year`` (emptied) by an ``age_band`` column: the age band
        (`socialcap.analysis.AGE_BANDS`) in the year of the person's first map, or
        of their ``start_date`` when they have no map yet.
    months
        Coarsen every date (map dates, ``start_date``, ``since``) to the first of its
        month.  Refused, naming the people, when a person has two maps in one month.
    keep
        Extra columns to keep (they may hold free text, so every column that is not
        part of the tables of SPEC §2 is dropped unless named here).  Naming
        ``"name"`` keeps the names: only do that on purpose.

    Returns
    -------
    Cohort
        ``person_id`` → ``P-`` and 16 hex digits of HMAC-SHA256(key, person id);
        ``connection_id`` (and the ``source``/``target`` of ties) → ``C-`` and 16 hex
        digits of HMAC-SHA256(key, person id, connection id); ``name`` emptied in
        people and connections; rows sorted by pseudonym so that their order gives
        nothing away.  Every metric is unchanged (ids and names enter none).
        Community assets (SPEC §12) keep their ``asset_id``, in connections and in
        the assets table, and the assets table keeps its known columns, the asset's
        name among them: they name clubs and places, not people.

    Examples
    --------
    >>> import socialcap as sc
    >>> cohort = sc.datasets.synthetic(people=30, waves=2, seed=1)
    >>> key = b"a long secret key kept elsewhere"
    >>> safe = pseudonymise(cohort, key)
    >>> len(safe.people), safe.people["name"].dropna().tolist(), safe.connections["name"].dropna().tolist()
    (30, [], [])
    >>> pseudonym = person_pseudonym("P001", key)
    >>> pseudonym in safe.person_ids, "P001" in safe.person_ids
    (True, False)
    >>> safe.snapshot(pseudonym).metrics()[["people", "lsns6"]].tolist()
    [5, 2.0]
    >>> cohort.snapshot("P001").metrics()[["people", "lsns6"]].tolist()
    [5, 2.0]
    """
    secret = _key_bytes(key)
    keep = set(keep)
    known_everywhere = {c for table in cohort.tables().values() for c in table.columns}
    unknown = sorted(keep - known_everywhere)
    if unknown:
        raise ValueError(f"keep names columns that are in no table: {', '.join(map(repr, unknown))}")
    tables = {name: frame.copy() for name, frame in cohort.tables().items()}
    if months:
        _check_months(tables["snapshots"])

    for name in list(tables):
        known = vocab.TABLES[name] + vocab.OPTIONAL_COLUMNS.get(name, ())
        tables[name] = frame = tables[name][[c for c in tables[name].columns if c in known or c in keep]].copy()
        for column in vocab.FREE_TEXT_COLUMNS:
            # An asset's name is the public name of a club or a place (SPEC §12), kept.
            if column in frame.columns and column not in keep and name != "assets":
                frame[column] = pd.Series(np.nan, index=frame.index).astype(frame[column].dtype)

    people = tables["people"]
    if age_bands:
        firsts = cohort.snapshots.groupby("person_id")["date"].min()
        when = people["person_id"].map(firsts)
        when = when.where(when.notna(), people["start_date"])
        people["age_band"] = pd.Series(
            age_band(people["birth_year"], when.dt.year.to_numpy(dtype=float, na_value=np.nan)).to_numpy(),
            index=people.index,
        ).astype(people["person_id"].dtype)
        people["birth_year"] = pd.Series(pd.NA, index=people.index, dtype="Int64")

    for name, frame in tables.items():
        if name == "assets":
            continue  # no young person's id in it
        if name in ("connections",):
            frame["connection_id"] = _map_connections(frame["person_id"], frame["connection_id"], secret)
        if name == "ties":
            frame["source"] = _map_connections(frame["person_id"], frame["source"], secret)
            frame["target"] = _map_connections(frame["person_id"], frame["target"], secret)
        frame["person_id"] = _map_unique(frame["person_id"], lambda v: person_pseudonym(v, secret))
        if months:
            for column in _DATE_COLUMNS[name]:
                frame[column] = _to_month(frame[column])

    if people["person_id"].duplicated().any():  # pragma: no cover - 1 in 2**64 per pair
        raise SocialcapError("two people were given the same pseudonym; use another key")
    order = {
        "people": ["person_id"],
        "connections": ["person_id", "date", "connection_id"],
        "ties": ["person_id", "date", "source", "target"],
        "snapshots": ["person_id", "date"],
    }
    for name, frame in tables.items():
        if name in order:  # the assets table holds no young person: its order is kept
            tables[name] = frame.sort_values(order[name], kind="stable").reset_index(drop=True)
    return Cohort(**tables)
