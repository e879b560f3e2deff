"""Draw the pictures in docs/maps.md and the README from a small fictional map.

Run from the repository root:  python docs/images/make_images.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import socialcap as sc
from socialcap import maps

HERE = Path(__file__).parent

PEOPLE = pd.DataFrame({"person_id": ["P01"], "name": ["Sam"]})

# (connection_id, kind, name, domain, closeness, contact, support_received, support_given, paid)
MARCH = [
    ("nan", "person", "Nan", "family", 1, "weekly", "emotional;practical", "company", None),
    ("mum", "person", "Mum", "family", 2, "monthly", None, None, None),
    ("dev", "person", "Uncle Dev", "family", 3, "less", None, None, None),
    ("jay", "person", "Jay", "friend", 1, "daily", "emotional;company", "emotional", None),
    ("kira", "person", "Kira", "friend", 2, "weekly", "company", None, None),
    ("leanne", "person", "Leanne (PA)", "professional", 1, "weekly", "advice;practical", None, None),
    ("tom", "person", "Tom (social worker)", "professional", 3, "monthly", "advice", None, None),
    ("patel", "person", "Mrs Patel", "neighbour", 3, "monthly", None, "practical", None),
    ("gaming", "group", "Gaming crew", "online", None, "daily", "company", None, None),
    ("college", "place", "College", "education_work", 2, "weekly", None, None, None),
    ("library", "place", "Library", "community", None, "monthly", None, None, None),
]
SEPTEMBER = [
    ("nan", "person", "Nan", "family", 1, "weekly", "emotional;practical", "company", None),
    ("mum", "person", "Mum", "family", 1, "weekly", "emotional", "emotional", None),
    ("jay", "person", "Jay", "friend", 1, "daily", "emotional;company", "emotional", None),
    ("kira", "person", "Kira", "friend", 3, "monthly", None, None, None),
    ("leanne", "person", "Leanne (PA)", "professional", 1, "weekly", "advice;practical", None, None),
    ("tom", "person", "Tom (social worker)", "professional", 3, "monthly", "advice", None, None),
    ("patel", "person", "Mrs Patel", "neighbour", 2, "weekly", "company", "practical", None),
    ("gaming", "group", "Gaming crew", "online", None, "weekly", "company", None, None),
    ("college", "place", "College", "education_work", 2, "weekly", None, None, None),
    ("library", "place", "Library", "community", None, "monthly", None, None, None),
    ("boxing", "group", "Boxing club", "community", 2, "weekly", "company", None, None),
    ("ray", "person", "Coach Ray", "community", 2, "weekly", "advice", None, None),
    ("amira", "person", "Amira", "friend", 2, "weekly", "company", "company", None),
    ("foodbank", "group", "Food bank volunteers", "community", 3, "weekly", None, "practical", None),
    ("coach", "person", "Job coach", "education_work", 3, "monthly", "advice", None, "true"),
]
# Hopes (hope true): (connection_id, kind, name, domain, closeness they would like).
# The boxing club Sam hoped for in March came true by September.
HOPES = {
    "2025-03-03": [("boxing", "group", "Boxing club", "community", None),
                   ("job", "place", "A job at the café", "education_work", 2),
                   ("brother", "person", "Seeing my brother more", "family", 1)],
    "2025-09-01": [("job", "place", "A job at the café", "education_work", 2),
                   ("brother", "person", "Seeing my brother more", "family", 1),
                   ("band", "group", "A band to play in", "community", None)],
}
TIES = {
    "2025-03-03": [("nan", "mum"), ("mum", "dev"), ("jay", "kira"), ("jay", "gaming"), ("kira", "college"),
                   ("leanne", "tom")],
    "2025-09-01": [("nan", "mum"), ("jay", "kira"), ("jay", "gaming"), ("kira", "college"), ("leanne", "tom"),
                   ("boxing", "ray"), ("amira", "boxing"), ("amira", "jay"), ("leanne", "coach")],
}


def cohort() -> sc.Cohort:
    columns = ["connection_id", "kind", "name", "domain", "closeness", "contact", "support_received",
               "support_given", "paid"]
    frames = []
    for date, rows in (("2025-03-03", MARCH), ("2025-09-01", SEPTEMBER)):
        hopes = pd.DataFrame(HOPES[date], columns=["connection_id", "kind", "name", "domain", "closeness"])
        frame = pd.concat([pd.DataFrame(rows, columns=columns), hopes.assign(hope="true")], ignore_index=True)
        frame.insert(0, "date", date)
        frame.insert(0, "person_id", "P01")
        frames.append(frame)
    ties = pd.DataFrame(
        [{"person_id": "P01", "date": d, "source": s, "target": t} for d, pairs in TIES.items() for s, t in pairs]
    )
    return sc.Cohort.from_tables(PEOPLE, pd.concat(frames, ignore_index=True), ties)


def main() -> None:
    timeline = cohort().timeline("P01")
    before, after = timeline.snapshots
    fig = maps.circles(after)
    fig.savefig(HERE / "circles-map.png", dpi=100, metadata={"Software": None}, facecolor="white")
    fig = maps.change(before, after)
    fig.savefig(HERE / "change-map.png", dpi=100, metadata={"Software": None}, facecolor="white")
    assets = sc.community.assets(sc.datasets.synthetic(), baseline="first", followup="last")
    fig = maps.assets_chart(assets)
    fig.savefig(HERE / "community-assets.png", dpi=100, metadata={"Software": None}, facecolor="white")


if __name__ == "__main__":
    main()
