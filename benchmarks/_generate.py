"""Generate a large random cohort for the metrics benchmark (fast, vectorised)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

PERSON_DOMAINS = np.array(["family", "partner", "friend", "neighbour", "community", "education_work", "professional", "online", "other"])
PERSON_P = np.array([0.25, 0.04, 0.25, 0.05, 0.06, 0.08, 0.15, 0.07, 0.05])
OTHER_DOMAINS = np.array(["community", "education_work", "professional", "online", "other"])
CONTACT = np.array(["daily", "weekly", "monthly", "less"])
SUPPORT = np.array(["", "emotional", "practical", "advice", "company", "emotional;practical",
                    "emotional;company", "practical;advice", "emotional;practical;advice;company"])
SUPPORT_P = np.array([0.45, 0.12, 0.1, 0.08, 0.08, 0.07, 0.05, 0.03, 0.02])


def generate(folder: Path, people: int = 20_000, waves: int = 5, connections: float = 25.0,
             ties: float = 36.0, seed: int = 1) -> dict[str, int]:
    """Write people/connections/ties/snapshots CSV files of a random cohort into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pool = 60  # connection ids a person may have over time
    n_snap = people * waves
    pid = np.repeat(np.arange(people), waves)
    wave = np.tile(np.arange(waves), people)
    day0 = np.datetime64("2024-01-01") + rng.integers(0, 60, people)
    dates = np.repeat(day0, waves) + wave * 91
    size = np.minimum(rng.poisson(connections, n_snap), pool)
    size[rng.random(n_snap) < 0.01] = 0  # mapped as completely alone
    # Distinct connection ids per snapshot: the first `size` of a random order of the pool.
    order = np.argsort(rng.random((n_snap, pool)), axis=1).astype(np.int32)
    take = np.arange(pool)[None, :] < size[:, None]
    local = order[take]  # connection number within the person's pool
    snap = np.repeat(np.arange(n_snap), size)
    n = len(local)
    kind = rng.choice(np.array(["person", "group", "place"]), n, p=[0.82, 0.12, 0.06])
    is_person = kind == "person"
    domain = np.where(is_person, rng.choice(PERSON_DOMAINS, n, p=PERSON_P), rng.choice(OTHER_DOMAINS, n))
    closeness = np.where(is_person, rng.integers(1, 4, n).astype(str), np.where(rng.random(n) < 0.5, "2", ""))
    contact = rng.choice(CONTACT, n).astype(object)
    contact[rng.random(n) < 0.2] = ""
    no_contact = rng.random(n_snap) < 0.03  # snapshots where contact was never asked
    contact[no_contact[snap]] = ""
    received = rng.choice(SUPPORT, n, p=SUPPORT_P)
    given = rng.choice(SUPPORT, n, p=SUPPORT_P)
    paid = np.where(rng.random(n) < 0.05, np.where(domain == "professional", "false", "true"), "")
    person_text = np.char.add("P", np.char.zfill(np.arange(people).astype(str), 5))
    date_text = np.datetime_as_string(dates, unit="D")
    conn_id = np.char.add("C", np.char.zfill(local.astype(str), 2))
    _write(folder / "people.csv", {
        "person_id": person_text,
        "name": np.char.add("Name ", np.arange(people).astype(str)),
        "birth_year": rng.integers(2000, 2009, people).astype(str),
        "ward": rng.choice(np.array(["North", "South", "East", "West", "Central"]), people),
        "start_date": np.datetime_as_string(day0, unit="D"),
    })
    _write(folder / "connections.csv", {
        "person_id": person_text[pid[snap]],
        "date": date_text[snap],
        "connection_id": conn_id,
        "kind": kind,
        "name": np.char.add("Someone ", local.astype(str)),
        "domain": domain,
        "closeness": closeness,
        "contact": contact.astype(str),
        "support_received": received,
        "support_given": given,
        "paid": paid,
    })
    # Ties: random pairs of distinct connections of each snapshot, with duplicates and reversals.
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    m = np.where(size >= 2, rng.poisson(ties * np.maximum(size, 1) / connections), 0)
    tsnap = np.repeat(np.arange(n_snap), m)
    a = (rng.random(len(tsnap)) * size[tsnap]).astype(np.int64)
    b = (rng.random(len(tsnap)) * (size[tsnap] - 1)).astype(np.int64)
    b = b + (b >= a)
    a += start[tsnap]
    b += start[tsnap]
    dup = rng.random(len(a)) < 0.08
    rev = rng.random(len(a)) < 0.5
    da, db = a[dup], b[dup]
    da, db = np.where(rev[dup], db, da), np.where(rev[dup], da, db)
    a = np.concatenate([a, da])
    b = np.concatenate([b, db])
    tsnap = np.concatenate([tsnap, tsnap[dup]])
    keep = np.argsort(tsnap, kind="stable")
    a, b, tsnap = a[keep], b[keep], tsnap[keep]
    _write(folder / "ties.csv", {
        "person_id": person_text[pid[tsnap]],
        "date": date_text[tsnap],
        "source": conn_id[a],
        "target": conn_id[b],
        "kind": np.where(rng.random(len(a)) < 0.5, "knows", ""),
    })
    ucla = rng.integers(1, 4, (n_snap, 3)).astype(str)
    ucla[rng.random((n_snap, 3)) < 0.1] = ""
    ons = rng.choice(np.array(["often_always", "some_of_the_time", "occasionally", "hardly_ever", "never", ""]), n_snap)
    _write(folder / "snapshots.csv", {
        "person_id": person_text[pid],
        "date": date_text,
        "ucla_companionship": ucla[:, 0],
        "ucla_left_out": ucla[:, 1],
        "ucla_isolated": ucla[:, 2],
        "ons_lonely": ons,
    })
    return {"people": people, "snapshots": n_snap, "connections": n, "ties": len(a)}


def _write(path: Path, columns: dict[str, np.ndarray]) -> None:
    table = pa.table({k: pa.array(np.asarray(v).astype(str)) for k, v in columns.items()})
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))
