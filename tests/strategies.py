"""Hypothesis strategies for socialcap: random, valid cohorts and their tables.

Reusable by every test module::

    from hypothesis import given
    from strategies import cohorts, cohort_tables

    @given(cohorts())
    def test_something(cohort): ...

`cohort_tables` draws the four tables of SPEC §2 as pandas DataFrames of text and
typed values (what a user might hand to `Cohort.from_tables`); `cohorts` builds the
validated `Cohort`.  The draws deliberately include the awkward situations: empty
snapshots (listed only in snapshots.csv), snapshots without any ``contact``,
repeated and reversed ties, ties between a person and a group or place, paid
people and unpaid professionals, support lists in any order, partial UCLA answers,
hopes (``hope`` true: no contact, support, paid or ties; closeness optional) beside
real connections, the same id a hope in one snapshot and a connection in another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import hypothesis.strategies as st
import pandas as pd

from socialcap import vocab
from socialcap.cohort import Cohort

__all__ = ["cohort_tables", "cohorts", "support_lists", "extra_values", "CONNECTION_IDS"]

#: Connection ids drawn from: few, so that the same connection reappears over time.
CONNECTION_IDS: tuple[str, ...] = tuple("ABCDEFGHIJKL")

_FIRST_DATE = dt.date(2024, 1, 1)


def support_lists() -> st.SearchStrategy[str | None]:
    """A ``;``-separated support list in any order (or ``None``): ``"company;emotional"``."""
    return st.one_of(
        st.none(),
        st.lists(st.sampled_from(vocab.SUPPORT_TYPES), min_size=1, max_size=4, unique=True).map(";".join),
    )


def extra_values() -> st.SearchStrategy[str | None]:
    """A cell of an extra column, as a coordinator might type it (or ``None``)."""
    return st.one_of(
        st.none(),
        st.sampled_from(("likes football", 'Kai, "K"', "line one\nline two", "=1+1", "Zoë", "  spaced  ", "007")),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8),
    )


@st.composite
def _snapshot_rows(
    draw: st.DrawFn, person_id: str, date: str, max_connections: int, max_ties: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    ids = draw(st.lists(st.sampled_from(CONNECTION_IDS[:max_connections]), unique=True, max_size=max_connections))
    asked = draw(st.booleans())  # False: nobody's contact was asked in this snapshot
    connections = []
    hopes = []
    for connection_id in ids:
        kind = draw(st.sampled_from(("person", "person", "person", "group", "place")))
        # Now and then a hope (SPEC §11): closeness optional, no contact, support, paid or ties.
        if draw(st.integers(0, 5)) == 0:
            hopes.append(connection_id)
            connections.append({
                "person_id": person_id,
                "date": date,
                "connection_id": connection_id,
                "kind": kind,
                "domain": draw(st.sampled_from(vocab.DOMAINS)),
                "closeness": draw(st.one_of(st.none(), st.sampled_from(vocab.CLOSENESS))),
                "paid": draw(st.sampled_from((None, False))),
                "hope": draw(st.sampled_from((True, "true", "TRUE"))),
            })
            continue
        row: dict[str, Any] = {
            "person_id": person_id,
            "date": date,
            "connection_id": connection_id,
            "kind": kind,
            "domain": draw(st.sampled_from(vocab.DOMAINS)),
            "closeness": draw(st.sampled_from(vocab.CLOSENESS))
            if kind == "person"
            else draw(st.one_of(st.none(), st.sampled_from(vocab.CLOSENESS))),
            "contact": draw(st.one_of(st.none(), st.sampled_from(vocab.CONTACT))) if asked else None,
            "support_received": draw(support_lists()),
            "support_given": draw(support_lists()),
            "paid": draw(st.sampled_from((None, None, True, False))),
            "hope": draw(st.sampled_from((None, None, False, "false"))),
        }
        connections.append(row)
    ties = []
    ids = [i for i in ids if i not in hopes]
    if len(ids) >= 2:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1]),
                max_size=max_ties,
            )
        )
        for source, target in pairs:
            ties.append({"person_id": person_id, "date": date, "source": source, "target": target})
            if draw(st.integers(0, 9)) == 0:  # now and then the same tie again, reversed
                ties.append({"person_id": person_id, "date": date, "source": target, "target": source})
    return connections, ties


@st.composite
def cohort_tables(
    draw: st.DrawFn,
    max_people: int = 4,
    max_waves: int = 3,
    max_connections: int = 8,
    max_ties: int = 14,
    extras: bool = False,
) -> dict[str, pd.DataFrame]:
    """The four tables of a random valid cohort, as DataFrames (keyword arguments of `Cohort.from_tables`).

    With ``extras=True`` every table also has an extra column (kept as text), often
    empty, sometimes holding commas, quotes, line breaks or formula-like text.
    """
    n_people = draw(st.integers(1, max_people))
    person_ids = [f"P{i + 1}" for i in range(n_people)]
    people = pd.DataFrame(
        {
            "person_id": person_ids,
            "name": [draw(st.one_of(st.none(), st.sampled_from(("Sam", "Alex", "Jo")))) for _ in person_ids],
            "birth_year": [draw(st.one_of(st.none(), st.integers(1995, 2010))) for _ in person_ids],
            "ward": [draw(st.one_of(st.none(), st.sampled_from(("North", "South")))) for _ in person_ids],
        }
    )
    connection_rows: list[dict[str, Any]] = []
    tie_rows: list[dict[str, Any]] = []
    snapshot_rows: list[dict[str, Any]] = []
    for person_id in person_ids:
        offsets = draw(st.lists(st.integers(0, 400), min_size=0, max_size=max_waves, unique=True))
        for offset in sorted(offsets):
            date = (_FIRST_DATE + dt.timedelta(days=offset)).isoformat()
            connections, ties = draw(_snapshot_rows(person_id, date, max_connections, max_ties))
            connection_rows += connections
            tie_rows += ties
            # Empty snapshots exist only through snapshots.csv; others are listed or not.
            if not connections or draw(st.booleans()):
                snapshot_rows.append(
                    {
                        "person_id": person_id,
                        "date": date,
                        **{item: draw(st.one_of(st.none(), st.sampled_from(vocab.UCLA_VALUES))) for item in vocab.UCLA_ITEMS},
                        "ons_lonely": draw(st.one_of(st.none(), st.sampled_from(vocab.ONS_LONELY))),
                    }
                )
    connection_columns = [c for c in vocab.CONNECTION_COLUMNS if c not in ("name", "since")]
    tie_columns = ["person_id", "date", "source", "target"]
    snapshot_columns = list(vocab.SNAPSHOT_COLUMNS)
    if extras:
        people["notes"] = [draw(extra_values()) for _ in person_ids]
        for rows, column in ((connection_rows, "colour"), (tie_rows, "how"), (snapshot_rows, "said")):
            for row in rows:
                row[column] = draw(extra_values())
        connection_columns.append("colour")
        tie_columns.append("how")
        snapshot_columns.append("said")
    return {
        "people": people,
        "connections": pd.DataFrame(connection_rows, columns=connection_columns),
        "ties": pd.DataFrame(tie_rows, columns=tie_columns),
        "snapshots": pd.DataFrame(snapshot_rows, columns=snapshot_columns),
    }


def cohorts(**limits: int) -> st.SearchStrategy[Cohort]:
    """A random valid `Cohort` (``limits`` as in `cohort_tables`)."""
    return cohort_tables(**limits).map(lambda tables: Cohort.from_tables(**tables))


#: Bytes that matter to a CSV reader, inserted or put in place by `mutated_files`.
_AWKWARD_BYTES = [b",", b'"', b"\n", b"\r", b"\xef\xbb\xbf", b"\x00", b"=", b"'", b";", b"\xff"]


@st.composite
def mutated_files(draw: st.DrawFn, files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` (name -> bytes) with one to four random edits: bytes inserted, deleted,
    overwritten or a file cut short; for fuzzing the readers (tests/test_hostile.py)."""
    files = dict(files)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        data = bytearray(files[name])
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        chunk = draw(st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(_AWKWARD_BYTES)))
        if how == "insert":
            data[at:at] = chunk
        elif how == "delete":
            del data[at:at + len(chunk)]
        elif how == "replace":
            data[at:at + len(chunk)] = chunk
        else:
            del data[at:]
        files[name] = bytes(data)
    return files
