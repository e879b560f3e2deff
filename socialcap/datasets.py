"""A realistic fictional cohort to learn, test and demonstrate socialcap with.

`synthetic` makes up young people aged 16 to 21 who are moving on from care into
their own lives, and maps their people, groups and places every six months or so.
At the first map many of them know few people outside paid services: a personal
adviser, a social worker, a GP.  Over the following maps most of them meet people,
join groups and find places where they feel at home, some connections move closer
and their reliance on professionals falls; but not for everyone.  Some people get
worse, connections come and go, some people miss a map, and one or two are mapped
at some point with nobody at all.

Everyone in it is invented: names, places in their lives, dates and answers are
drawn at random.  Only the ward names are real (wards of Derby, where Local Area
Coordination works with young people), so that summaries by ward look familiar.

The cohort is built whole-table at a time with numpy (no Python loop per
connection), so 20,000 people over 5 waves take a few seconds.  The tables follow
the typed contract of `socialcap.Cohort` exactly: ``Cohort.from_tables`` on them
gives back the same cohort, and so does writing and reading them.

Examples
--------
>>> from socialcap.datasets import synthetic
>>> c = synthetic(people=3, waves=2, seed=1)
>>> c.person_ids
['P001', 'P002', 'P003']
>>> bool(c.snapshots.groupby("person_id").size().max() <= 2)
True
>>> sorted(set(c.connections["kind"]) | {"person"})
['group', 'person', 'place']
>>> bool((c.connections["since"].dropna() <= c.connections.loc[c.connections["since"].notna(), "date"]).all())
True

References
----------
Broad, R. (2015). *People, Places, Possibilities: Progress on Local Area
Coordination in England and Wales.* Centre for Welfare Reform.

Hughes, M. E., Waite, L. J., Hawkley, L. C. & Cacioppo, J. T. (2004). A short
scale for measuring loneliness in large surveys. *Research on Aging*, 26(6), 655-672.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import vocab
from .cohort import Cohort

__all__ = ["synthetic"]

# -- the people and the words in their lives ----------------------------------------

WARDS: tuple[str, ...] = (
    "Alvaston",
    "Arboretum",
    "Derwent",
    "Sinfin",
    "Abbey",
    "Boulton",
    "Chaddesden",
    "Darley",
    "Mackworth",
    "Normanton",
)
# Some wards have more young people in the cohort than others, as in any real one
# (the weights are invented).
_WARD_WEIGHTS = np.array([1.0, 1.4, 1.1, 1.2, 1.0, 0.9, 1.0, 0.8, 0.9, 1.4])

#: First names for the young people at the centre of the maps.
YOUNG_NAMES: tuple[str, ...] = (
    "Aaliyah", "Abdi", "Adaeze", "Ahmed", "Aisha", "Aleksander", "Amara", "Amir", "Ana",
    "Aoife", "Arjun", "Ayo", "Bartosz", "Bethany", "Bilal", "Callum", "Chidi", "Chloe",
    "Connor", "Daisy", "Dalia", "Daniel", "Deshawn", "Dev", "Dominika", "Ebony", "Elif",
    "Ellie", "Emeka", "Erin", "Fatima", "Femi", "Finn", "Gurpreet", "Hana", "Harvey",
    "Hassan", "Ibrahim", "Imani", "Isla", "Jack", "Jakub", "Jasmine", "Jayden", "Jia",
    "Jordan", "Kacper", "Kai", "Kayla", "Kemi", "Kieran", "Kofi", "Lacey", "Layla",
    "Leah", "Lena", "Liam", "Lily", "Mariam", "Marcus", "Maya", "Mehmet", "Mia", "Milan",
    "Minh", "Mohammed", "Nadia", "Naveen", "Nia", "Noah", "Oliwia", "Omar", "Oscar",
    "Priya", "Rafael", "Rania", "Reece", "Riya", "Ruby", "Ryan", "Sadia", "Sam", "Samir",
    "Shannon", "Simran", "Sofia", "Tariq", "Tayo", "Theo", "Thu", "Tiago", "Tyler",
    "Wei", "Wiktoria", "Yasmin", "Yusuf", "Zain", "Zara", "Zofia", "Kwame",
)  # fmt: skip

_FEMALE_NAMES: tuple[str, ...] = (
    "Aisha", "Alina", "Amani", "Ana", "Anjali", "Beata", "Bernadette", "Carmen",
    "Chantelle", "Chioma", "Claire", "Deborah", "Deepa", "Esi", "Fatima", "Gemma", "Grace",
    "Halima", "Ifeoma", "Ilona", "Jade", "Joanne", "Kasia", "Kerry", "Khadija", "Lakshmi",
    "Laura", "Lorraine", "Marcia", "Maria", "Meera", "Mei", "Monique", "Nasreen", "Niamh",
    "Nkechi", "Parveen", "Precious", "Priya", "Rachel", "Rukhsana", "Sandra", "Sarah",
    "Shabnam", "Shanice", "Siobhan", "Sophie", "Sunita", "Tanya", "Tendai", "Yetunde",
    "Zainab", "Zsofia",
)  # fmt: skip
_MALE_NAMES: tuple[str, ...] = (
    "Abdul", "Adam", "Ade", "Aleks", "Amit", "Andrzej", "Ben", "Bogdan", "Carlos",
    "Chinedu", "Craig", "Darren", "Delroy", "Dev", "Dylan", "Emmanuel", "Faisal", "Gareth",
    "Gurdeep", "Hamza", "Harjit", "Imran", "Jamal", "Jason", "Jerome", "Kamal", "Kevin",
    "Kwabena", "Lee", "Luca", "Marek", "Marlon", "Mo", "Nathan", "Nikhil", "Obi",
    "Patrick", "Piotr", "Rajesh", "Ravi", "Rashid", "Sean", "Stefan", "Tomasz", "Tunde",
    "Vikram", "Wayne", "Winston", "Yaw", "Yousef", "Zoltan",
)  # fmt: skip
# Friends, neighbours and the like come from both lists, interleaved so that any run
# of the list mixes backgrounds.
_ANY_NAMES: tuple[str, ...] = tuple(
    name for pair in zip(_FEMALE_NAMES, _MALE_NAMES) for name in pair
) + _FEMALE_NAMES[len(_MALE_NAMES):]

# Family roles in the order they are handed out (each person's list starts at a random
# point near the top, so Mum, Nan and a former foster carer are common, a stepdad
# rarer).
_FAMILY = (
    "Mum", "Nan", "{f} (former foster carer)", "{f} (sister)", "{m} (brother)",
    "Auntie {f}", "Dad", "Uncle {m}", "Grandad", "{x} (cousin)", "{m} (stepdad)",
    "{x} (half-sibling)",
)  # fmt: skip
_PROFESSIONALS = (
    "{x} (personal adviser)", "Social worker", "GP", "{x} (local area coordinator)",
    "{x} (key worker)", "Housing officer", "{x} (youth worker)", "Counsellor",
    "{x} (job coach)", "Mental health nurse", "{x} (support worker)", "Advocate",
)  # fmt: skip
# Templates for the other informal people; {x} is a first name.
_INFORMAL_TEMPLATES: dict[str, tuple[str, ...]] = {
    "partner": ("{x}",),
    "friend": ("{x}",),
    "neighbour": ("{x} next door", "{x} (neighbour)", "{x} upstairs"),
    "community": (
        "{x} from church", "{x} from the mosque", "{x} from the gurdwara",
        "{x} from the temple", "Coach {x}", "{x} at the food bank", "{x} from the café",
    ),
    "education_work": ("{x} from college", "{x} at work", "Tutor {x}", "{x} (manager)"),
    "online": ("{x} (online)", "{x} from gaming"),
    "other": ("{x} (mentor)", "{x} (pen pal)"),
}  # fmt: skip
# Groups and places with the domain each belongs to.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("Boxing club", "community"), ("Youth choir", "community"),
    ("Food bank volunteers", "community"), ("Five-a-side", "community"),
    ("Coding club", "education_work"), ("Art group", "community"),
    ("Drama group", "community"), ("Cooking class", "education_work"),
    ("Running club", "community"), ("Mosque youth group", "community"),
    ("Church youth group", "community"), ("Online gaming guild", "online"),
    ("Gardening group", "community"), ("Youth forum", "community"),
    ("Apprentices' group", "education_work"), ("Dance class", "community"),
    ("Chess club", "community"), ("Climbing club", "community"),
    ("Young parents group", "community"), ("LGBTQ+ youth group", "community"),
    ("Music studio sessions", "community"), ("Peer support group", "other"),
)  # fmt: skip
_PLACES: tuple[tuple[str, str], ...] = (
    ("Library", "community"), ("Gym", "community"), ("Community centre", "community"),
    ("Park", "community"), ("Café", "community"), ("Youth centre", "community"),
    ("College", "education_work"), ("Swimming pool", "community"),
    ("Allotment", "community"), ("Skate park", "community"), ("Mosque", "community"),
    ("Church", "community"), ("Gurdwara", "community"), ("Temple", "community"),
    ("Market", "community"), ("Football pitch", "community"),
    ("Workplace", "education_work"), ("Barber's", "community"), ("Riverside", "other"),
)  # fmt: skip
# Where each group plausibly meets (names from _PLACES); other places are unlikely.
_MEETS_AT: dict[str, tuple[str, ...]] = {
    "Boxing club": ("Gym", "Community centre"),
    "Youth choir": ("Church", "Community centre", "College"),
    "Food bank volunteers": ("Community centre", "Church", "Mosque", "Gurdwara"),
    "Five-a-side": ("Football pitch", "Park"),
    "Coding club": ("Library", "College"),
    "Art group": ("Community centre", "Library", "Youth centre"),
    "Drama group": ("Youth centre", "College", "Community centre"),
    "Cooking class": ("Community centre", "College"),
    "Running club": ("Park", "Riverside"),
    "Mosque youth group": ("Mosque",),
    "Church youth group": ("Church",),
    "Online gaming guild": ("Café",),
    "Gardening group": ("Allotment", "Park"),
    "Youth forum": ("Youth centre", "Library", "Community centre"),
    "Apprentices' group": ("Workplace", "College"),
    "Dance class": ("Youth centre", "Community centre", "Gym"),
    "Chess club": ("Library", "Café"),
    "Climbing club": ("Gym",),
    "Young parents group": ("Community centre", "Library", "Park"),
    "LGBTQ+ youth group": ("Youth centre", "Café"),
    "Music studio sessions": ("Youth centre", "Community centre"),
    "Peer support group": ("Community centre", "Youth centre", "Library"),
}

# Hopes (SPEC §11): what a young person would like in their life and does not have
# yet, as (kind, domain, how they say it).  Some come true later (those are drawn from
# the connections who arrive), some are let go, some are still hoped for at the end.
_HOPES: tuple[tuple[str, str, str], ...] = (
    ("group", "community", "A football team"), ("group", "community", "A choir"),
    ("group", "community", "Something creative, like an art group"), ("group", "online", "An online group for my music"),
    ("place", "education_work", "A job"), ("place", "education_work", "A college course"),
    ("place", "education_work", "A job at the café"), ("place", "community", "Somewhere to go in the evenings"),
    ("place", "community", "A gym I feel at home in"), ("place", "community", "A place of worship nearby"),
    ("person", "friend", "A friend nearby"), ("person", "friend", "Friends my own age"),
    ("person", "family", "Seeing my sister more"), ("person", "family", "Seeing my brother more"),
    ("person", "family", "Getting back in touch with Dad"), ("person", "partner", "Someone special"),
    ("person", "other", "A mentor"), ("person", "neighbour", "Knowing my neighbours"),
    ("person", "community", "Someone at church to talk to"), ("person", "education_work", "A study buddy"),
)  # fmt: skip
# The chance that a newcomer was a hope on the map before it arrived, by category.
_HOPE_BEFORE_P = np.array([0.1, 0.0, 0.4, 0.35])  # informal, professional, group, place

# -- the story in numbers ---------------------------------------------------------
#
# Four kinds of connection are drawn separately because their stories differ:
# informal people grow, professionals fall away, groups and places are found.
_INFORMAL, _PROFESSIONAL, _GROUP, _PLACE = range(4)
_N_CATEGORIES = 4

_DOMAIN = {d: i for i, d in enumerate(vocab.DOMAINS)}
_INFORMAL_DOMAINS = ("family", "partner", "friend", "neighbour", "community", "education_work", "online", "other")
# At the first map, informal people are mostly family and old friends; those met later
# are more often friends, people from groups, college and work.
_BASELINE_DOMAIN_P = np.array([0.42, 0.05, 0.28, 0.05, 0.05, 0.06, 0.07, 0.02])
_LATER_DOMAIN_P = np.array([0.10, 0.05, 0.35, 0.05, 0.17, 0.18, 0.07, 0.03])

# Closeness 1/2/3 at the start of a connection, by domain (rows follow vocab.DOMAINS).
_CLOSENESS_P = np.array(
    [
        [0.55, 0.30, 0.15],  # family
        [0.80, 0.20, 0.00],  # partner
        [0.30, 0.45, 0.25],  # friend
        [0.05, 0.35, 0.60],  # neighbour
        [0.10, 0.40, 0.50],  # community
        [0.10, 0.40, 0.50],  # education_work
        [0.10, 0.45, 0.45],  # professional
        [0.15, 0.45, 0.40],  # online
        [0.10, 0.40, 0.50],  # other
    ]
)
# Where contact usually sits on the daily (0) .. less (3) scale, by domain; groups and
# places use their own row (index 9 and 10).
_CONTACT_CENTRE = np.array([0.7, 0.0, 0.9, 1.3, 1.3, 0.8, 1.7, 0.6, 1.6, 1.1, 1.0])
# Probabilities of each kind of support (vocab.SUPPORT_TYPES order), by domain then
# group and place: what the young person receives ...
_RECEIVED_P = np.array(
    [
        [0.55, 0.50, 0.35, 0.50],  # family
        [0.80, 0.50, 0.30, 0.80],  # partner
        [0.50, 0.25, 0.20, 0.75],  # friend
        [0.10, 0.35, 0.10, 0.20],  # neighbour
        [0.25, 0.30, 0.35, 0.35],  # community
        [0.15, 0.25, 0.45, 0.30],  # education_work
        [0.30, 0.70, 0.75, 0.05],  # professional
        [0.35, 0.05, 0.20, 0.55],  # online
        [0.20, 0.20, 0.25, 0.25],  # other
        [0.10, 0.10, 0.15, 0.70],  # group
        [0.02, 0.10, 0.05, 0.30],  # place
    ]
)
# ... and what they give (their contribution: company, a hand, someone to talk to).
_GIVEN_P = np.array(
    [
        [0.30, 0.30, 0.05, 0.40],  # family
        [0.70, 0.50, 0.20, 0.70],  # partner
        [0.45, 0.20, 0.15, 0.60],  # friend
        [0.05, 0.25, 0.02, 0.10],  # neighbour
        [0.10, 0.20, 0.05, 0.25],  # community
        [0.05, 0.20, 0.05, 0.20],  # education_work
        [0.00, 0.00, 0.00, 0.02],  # professional
        [0.30, 0.02, 0.15, 0.40],  # online
        [0.10, 0.10, 0.10, 0.10],  # other
        [0.05, 0.25, 0.02, 0.30],  # group (volunteering, helping out)
        [0.00, 0.03, 0.00, 0.02],  # place
    ]
)
# Closer people give and receive more.
_SUPPORT_BY_CLOSENESS = np.array([0.8, 1.3, 1.0, 0.6])  # unknown, 1, 2, 3

# Which pairs of connections know each other, by tie class: 0 family and partner,
# 1 friend, 2 other informal people, 3 professional, 4 group, 5 place.
_TIE_P = np.array(
    [
        [0.75, 0.15, 0.10, 0.20, 0.05, 0.05],
        [0.15, 0.40, 0.12, 0.03, 0.25, 0.10],
        [0.10, 0.12, 0.12, 0.05, 0.30, 0.15],
        [0.20, 0.03, 0.05, 0.45, 0.05, 0.05],
        [0.05, 0.25, 0.30, 0.05, 0.08, 0.00],  # group-place is set by _MEETS_AT
        [0.05, 0.10, 0.15, 0.05, 0.00, 0.03],
    ]
)
_TIE_KIND = np.array(
    [
        ["knows", "knows", "knows", "knows", "member", "goes_to"],
        ["knows", "knows", "knows", "knows", "member", "goes_to"],
        ["knows", "knows", "knows", "knows", "member", "goes_to"],
        ["knows", "knows", "knows", "knows", "member", "goes_to"],
        ["member", "member", "member", "member", "linked", "meets_at"],
        ["goes_to", "goes_to", "goes_to", "goes_to", "meets_at", "nearby"],
    ],
    dtype=object,
)

_FIRST_BASELINE = dt.date(2024, 1, 8)
_LAST_BASELINE = dt.date(2025, 9, 30)
_WAVE_DAYS = 182  # about six months between maps
_EPOCH = dt.date(1970, 1, 1)


# -- small vectorised helpers -------------------------------------------------------


def _day(date: dt.date) -> int:
    return (date - _EPOCH).days


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """Days since 1970 as the datetime64[ns] column the contract asks for."""
    values = np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")
    if missing is not None:
        values[missing] = np.datetime64("NaT", "ns")
    return pd.Series(values, dtype="datetime64[ns]")


def _text(lookup: np.ndarray, codes: np.ndarray) -> pd.Series:
    """Codes into a table of strings (``None`` for missing) as a ``str`` column.

    Built as an Arrow dictionary and decoded once: several times faster than
    converting a column of Python strings.
    """
    dictionary = pa.array(list(lookup), type=pa.string())
    array = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), dictionary)
    return pd.Series(pd.array(array.cast(pa.large_string()), dtype="str"))


def _int64(values: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    mask = np.zeros(len(values), dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    return pd.Series(pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), mask))


def _ranks(key: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... counting up within each value of ``key``, in the order rows come."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    ranks = np.empty(len(key), dtype=np.int64)
    ranks[order] = np.arange(len(key)) - np.repeat(starts, sizes)
    return ranks


def _spans(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For segments of these lengths: each element's segment and its place in it."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(owner.size) - starts[owner]


def _pick(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row, row i drawn with ``probabilities[i]`` (rows sum to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(len(probabilities))[:, None] * cumulative[:, -1:]
    return (u >= cumulative).sum(axis=1)


def _coprime_steps(n: int) -> np.ndarray:
    """Steps that visit every position of a list of length n before repeating."""
    return np.array([s for s in range(1, max(n, 2)) if math.gcd(s, n) == 1] or [1])


def _name_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int], np.ndarray]:
    """Every template with every first name filled in, laid out flat for lookups.

    Returns the flat names, each template's offset and length into them, the first
    template of each section, and each template's domain code.
    """
    sections: list[tuple[str, tuple[str, ...], str | None]] = [("family", _FAMILY, "family")]
    for domain, templates in _INFORMAL_TEMPLATES.items():
        sections.append((domain, templates, domain))
    sections.append(("professional", _PROFESSIONALS, "professional"))
    sections.append(("group", tuple(g for g, _ in _GROUPS), None))
    sections.append(("place", tuple(p for p, _ in _PLACES), None))
    group_domain = dict(_GROUPS)
    place_domain = dict(_PLACES)
    flat: list[str] = []
    offsets, lengths, domains = [], [], []
    first: dict[str, int] = {}
    for section, templates, domain in sections:
        first[section] = len(offsets)
        for template in templates:
            if "{f}" in template:
                filled = [template.replace("{f}", n) for n in _FEMALE_NAMES]
            elif "{m}" in template:
                filled = [template.replace("{m}", n) for n in _MALE_NAMES]
            elif "{x}" in template:
                filled = [template.replace("{x}", n) for n in _ANY_NAMES]
            else:
                filled = [template]
            offsets.append(len(flat))
            lengths.append(len(filled))
            flat.extend(filled)
            if domain is not None:
                domains.append(_DOMAIN[domain])
            elif section == "group":
                domains.append(_DOMAIN[group_domain[template]])
            else:
                domains.append(_DOMAIN[place_domain[template]])
    return (
        np.array(flat, dtype=object),
        np.array(offsets),
        np.array(lengths),
        first,
        np.array(domains),
    )


_NAMES, _NAME_OFFSET, _NAME_LENGTH, _SECTION, _TEMPLATE_DOMAIN = _name_table()

# -- community assets (SPEC §12) ------------------------------------------------------

# Where each group meets and each place is, by ward: the same club in two young
# people's maps is the same community asset.  A group meets in one ward; some places
# are in two, and a young person uses the one in their own ward if there is one.
# Online groups, workplaces, cafés, barbers and the riverside are not assets.
_ASSET_WARDS: dict[str, tuple[str, ...]] = {
    "Boxing club": ("Sinfin",), "Youth choir": ("Darley",), "Food bank volunteers": ("Normanton",),
    "Five-a-side": ("Alvaston",), "Coding club": ("Arboretum",), "Art group": ("Abbey",),
    "Drama group": ("Arboretum",), "Cooking class": ("Chaddesden",), "Running club": ("Darley",),
    "Mosque youth group": ("Normanton",), "Church youth group": ("Chaddesden",),
    "Gardening group": ("Mackworth",), "Youth forum": ("Arboretum",), "Dance class": ("Boulton",),
    "Chess club": ("Derwent",), "Climbing club": ("Sinfin",), "Young parents group": ("Derwent",),
    "LGBTQ+ youth group": ("Arboretum",), "Music studio sessions": ("Normanton",),
    "Peer support group": ("Sinfin",),
    "Library": ("Arboretum", "Sinfin"), "Gym": ("Sinfin",), "Community centre": ("Derwent", "Normanton"),
    "Park": ("Arboretum", "Darley"), "Youth centre": ("Derwent", "Arboretum"), "College": ("Arboretum",),
    "Swimming pool": ("Arboretum",), "Allotment": ("Darley",), "Skate park": ("Alvaston",),
    "Mosque": ("Normanton",), "Church": ("Chaddesden",), "Gurdwara": ("Normanton",), "Temple": ("Normanton",),
    "Market": ("Arboretum",), "Football pitch": ("Sinfin", "Mackworth"),
}  # fmt: skip
#: The youth centre in Derwent closes on this day; from then on the young people who
#: still go to a youth centre go to the one in Arboretum (only that one is open).
YOUTH_CENTRE_CLOSES = dt.date(2025, 6, 1)
_MEETS = np.array(
    [[place in _MEETS_AT.get(group, ()) for place, _ in _PLACES] for group, _ in _GROUPS]
)


def _whole_number(value: Any, name: str, minimum: int) -> int:
    """``value`` as an int of at least ``minimum``; a clear ValueError otherwise (bools refused)."""
    what = "a whole number" + (f" of at least {minimum}" if minimum else "")
    least = f"at least {minimum}" if minimum else "0 or more"
    if isinstance(value, bool):
        raise ValueError(f"{name} must be {what}, not {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be {what}, not {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be {least}, not {number}")
    return number


# -- the generator ------------------------------------------------------------------


def synthetic(people: int = 200, waves: int = 3, seed: int = 1) -> Cohort:
    """A fictional cohort of young people whose maps are drawn about every six months.

    Parameters
    ----------
    people
        How many young people (at least 1).  Their ids are ``P001``, ``P002`` ...
        (more digits for bigger cohorts).
    waves
        How many rounds of maps (at least 1).  The first is in 2024 or 2025 and the
        others follow about 182 days apart, give or take three weeks.  A person who
        misses a round has fewer snapshots than ``waves``.
    seed
        The same seed always gives the same cohort; another seed, another cohort.

    Returns
    -------
    Cohort
        People aged 16 to 21 at their first map, living in ten Derby wards, with
        every column of the tables filled in the way a coordinator would fill it.

    Raises
    ------
    ValueError
        When ``people`` or ``waves`` is not a whole number of at least 1, or
        ``seed`` is not a whole number of 0 or more.

    Notes
    -----
    Each young person has a hidden *progress* :math:`r \\sim N(0.4, 0.7^2)`.  New
    informal people arrive at each later map at a Poisson rate
    :math:`\\min(\\max(0.7 + 1.4r, 0.02), 3.5)`, professionals leave more often when :math:`r`
    is high, groups and places are found in the same way, and connections move
    closer (or further out) with a chance that grows (or falls) with :math:`r`.
    A little over one person in four has :math:`r < 0` and tends to lose people
    instead.
    Felt loneliness (the three UCLA items, 1-3) falls as informal and close
    informal people grow, with noise; it is not asked at about one map in ten.
    Hopes (``hope`` true: someone or something the young person would like in
    their life) appear too: about a third of the groups and places found later,
    and one newcomer in ten, were hopes on the map before they came true; and
    each young person has a few hopes of their own, added at some map and
    kept, or let go at a later one.

    Examples
    --------
    >>> cohort = synthetic(people=50, waves=3, seed=2)
    >>> len(cohort)
    50
    >>> bool(cohort.people["birth_year"].between(2002, 2009).all())
    True
    >>> synthetic(people=50, waves=3, seed=2) == cohort
    True
    """
    n = _whole_number(people, "people", 1)
    n_waves = _whole_number(waves, "waves", 1)
    seed = _whole_number(seed, "seed", 0)
    rng = np.random.default_rng(seed)

    person = _draw_people(rng, n, n_waves)
    pool = _draw_connections(rng, person, n_waves)
    person["alone"] = _alone(rng, person)
    person["snapshot"] = _snapshot_index(person)
    rows = _connection_rows(rng, person, pool)
    ties = _tie_rows(rng, person, pool)
    snapshots = _snapshot_rows(rng, person, rows)
    asset_ids, assets = _asset_rows(person, pool, rows)  # drawn without the generator: all else stays as it was
    rows["table"] = rows["table"].assign(asset_id=asset_ids)
    # Hopes draw from a generator of their own, so the rest of the cohort is the same
    # with or without them.
    connections = _with_hopes(np.random.default_rng([seed, 11]), person, pool, rows)
    return Cohort(
        people=person["table"],
        connections=connections,
        ties=ties,
        snapshots=snapshots,
        assets=assets,
    )


def _draw_people(rng: np.random.Generator, n: int, n_waves: int) -> dict[str, Any]:
    """The young people, the dates of their maps and which maps happened."""
    width = max(3, len(str(n)))
    ids = np.array([f"P{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    baseline = rng.integers(_day(_FIRST_BASELINE), _day(_LAST_BASELINE) + 1, size=n)
    age = rng.choice(np.arange(16, 22), size=n, p=[0.14, 0.22, 0.22, 0.17, 0.14, 0.11])
    years = baseline.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    year_start = np.array([f"{y}-01-01" for y in range(1990, 2031)], dtype="datetime64[D]").astype(np.int64)
    day_of_year = baseline - year_start[years - 1990]
    # Not yet had this year's birthday: born a year earlier, still the same age.
    before_birthday = rng.random(n) >= day_of_year / 365.25
    birth_year = years - age - before_birthday
    ward = rng.choice(len(WARDS), size=n, p=_WARD_WEIGHTS / _WARD_WEIGHTS.sum())
    name = rng.integers(0, len(YOUNG_NAMES), size=n)
    start = baseline - rng.integers(7, 91, size=n)

    # Maps about six months apart, give or take three weeks.
    jitter = rng.integers(-21, 22, size=(n, n_waves))
    jitter[:, 0] = 0
    wave_day = baseline[:, None] + np.arange(n_waves)[None, :] * _WAVE_DAYS + jitter
    # Some follow-up maps do not happen (the person was away, unwell, or said not today).
    mapped = rng.random((n, n_waves)) >= 0.08
    mapped[:, 0] = True

    progress = rng.normal(0.4, 0.7, size=n)
    table = pd.DataFrame(
        {
            "person_id": pd.Series(ids, dtype="str"),
            "name": _text(np.array(YOUNG_NAMES, dtype=object), name),
            "birth_year": _int64(birth_year),
            "ward": _text(np.array(WARDS, dtype=object), ward),
            "start_date": _dates(start),
        }
    )
    return {
        "n": n,
        "ids": ids,
        "birth_year": birth_year,
        "baseline": baseline,
        "wave_day": wave_day,
        "mapped": mapped,
        "progress": progress,
        "table": table,
    }


def _draw_connections(rng: np.random.Generator, person: dict[str, Any], n_waves: int) -> dict[str, Any]:
    """Everyone who is ever in each person's life: when they arrive and when they go.

    A connection keeps its ``connection_id`` from the map where it first appears to
    the one before it leaves, so the same id in two snapshots is the same connection.
    """
    n = person["n"]
    r = person["progress"]

    # How many of each category arrive at each wave (column 0 is the first map).
    counts = np.zeros((n, n_waves, _N_CATEGORIES), dtype=np.int64)
    informal_rate = rng.gamma(2.0, 0.8, size=n)  # some know many people already, most few
    counts[:, 0, _INFORMAL] = rng.poisson(informal_rate)
    counts[:, 0, _PROFESSIONAL] = np.minimum(1 + rng.poisson(2.0, size=n), 7)
    counts[:, 0, _GROUP] = rng.poisson(0.3, size=n)
    counts[:, 0, _PLACE] = rng.poisson(0.8, size=n)
    if n_waves > 1:
        later = (n, n_waves - 1)
        counts[:, 1:, _INFORMAL] = rng.poisson(np.clip(0.7 + 1.4 * r, 0.02, 3.5)[:, None], size=later)
        counts[:, 1:, _PROFESSIONAL] = rng.poisson(np.clip(0.3 - 0.35 * r, 0.03, 1.5)[:, None], size=later)
        counts[:, 1:, _GROUP] = rng.poisson(np.clip(0.2 + 0.35 * r, 0.02, 1.5)[:, None], size=later)
        counts[:, 1:, _PLACE] = rng.poisson(np.clip(0.2 + 0.3 * r, 0.02, 1.5)[:, None], size=later)

    # One element per connection, ordered by person, arrival wave, category.
    slot = np.repeat(np.arange(counts.size), counts.reshape(-1))
    owner = slot // (n_waves * _N_CATEGORIES)
    arrive = (slot // _N_CATEGORIES) % n_waves
    category = slot % _N_CATEGORIES
    size = np.bincount(owner, minlength=n)
    first = np.cumsum(size) - size
    local = np.arange(owner.size) - first[owner]
    m = owner.size

    # Leaving: each wave after arriving, a connection goes with a hazard that depends
    # on the category and on how things are going for the person.
    ro = r[owner]
    hazard = np.select(
        [category == _INFORMAL, category == _PROFESSIONAL, category == _GROUP],
        [np.clip(0.15 - 0.1 * ro, 0.03, 0.6), np.clip(0.2 + 0.2 * ro, 0.05, 0.7), np.clip(0.25 - 0.1 * ro, 0.05, 0.6)],
        np.clip(0.2 - 0.1 * ro, 0.05, 0.6),
    )
    leave = np.minimum(arrive + rng.geometric(hazard), n_waves)

    # Domain of each informal person.
    domain = np.empty(m, dtype=np.int64)
    informal = category == _INFORMAL
    choices = np.array([_DOMAIN[d] for d in _INFORMAL_DOMAINS])
    p = np.where((arrive[informal] == 0)[:, None], _BASELINE_DOMAIN_P, _LATER_DOMAIN_P)
    domain[informal] = choices[_pick(rng, p)]
    # A second partner at the same time is rare: the later one is a friend instead.
    partner = informal & (domain == _DOMAIN["partner"])
    extra_partner = partner & (_ranks(np.where(partner, owner, -1)) > 0)
    domain[extra_partner] = _DOMAIN["friend"]
    domain[category == _PROFESSIONAL] = _DOMAIN["professional"]

    # Names: a template (a role, a group, a place) and a first name for it.
    template = np.empty(m, dtype=np.int64)
    family = informal & (domain == _DOMAIN["family"])
    rank_family = _ranks(np.where(family, owner, -1))
    family_start = rng.integers(0, 5, size=n)
    template[family] = _SECTION["family"] + (family_start[owner[family]] + rank_family[family]) % len(_FAMILY)
    for name, templates in _INFORMAL_TEMPLATES.items():
        here = informal & (domain == _DOMAIN[name])
        template[here] = _SECTION[name] + rng.integers(0, len(templates), size=int(here.sum()))
    professional = category == _PROFESSIONAL
    rank_prof = _ranks(np.where(professional, owner, -1))
    # Nearly everyone has a personal adviser; the list starts there for most people.
    prof_start = np.where(rng.random(n) < 0.7, 0, rng.integers(0, 4, size=n))
    template[professional] = _SECTION["professional"] + (prof_start[owner[professional]] + rank_prof[professional]) % len(_PROFESSIONALS)
    for name, items, cat in (("group", _GROUPS, _GROUP), ("place", _PLACES, _PLACE)):
        here = category == cat
        rank = _ranks(np.where(here, owner, -1))
        steps = _coprime_steps(len(items))
        start = rng.integers(0, len(items), size=n)
        step = steps[rng.integers(0, len(steps), size=n)]
        template[here] = _SECTION[name] + (start[owner[here]] + rank[here] * step[owner[here]]) % len(items)
        domain[here] = _TEMPLATE_DOMAIN[template[here]]
    # First names: each person walks the name list with their own start and stride, so
    # the people in one life have different names.
    name_steps = _coprime_steps(len(_ANY_NAMES))
    name_start = rng.integers(0, len(_ANY_NAMES), size=n)
    name_step = name_steps[rng.integers(0, len(name_steps), size=n)]
    walk = name_start[owner] + local * name_step[owner]
    name_code = _NAME_OFFSET[template] + walk % _NAME_LENGTH[template]

    # Since: newcomers began between the previous map and this one; those at the first
    # map have known the person for a while (family often since always: left empty).
    wave_day = person["wave_day"]
    baseline = person["baseline"]
    since = np.empty(m, dtype=np.int64)
    newcomer = arrive > 0
    previous = wave_day[owner[newcomer], arrive[newcomer] - 1]
    current = wave_day[owner[newcomer], arrive[newcomer]]
    since[newcomer] = previous + 1 + np.floor(rng.random(int(newcomer.sum())) * (current - previous)).astype(np.int64)
    old = ~newcomer
    born = (person["birth_year"][owner] - 1970) * 365.25
    lookback = np.select(
        [domain == _DOMAIN["family"], domain == _DOMAIN["professional"], category >= _GROUP],
        [baseline[owner] - born, np.full(m, 900.0), np.full(m, 700.0)],
        np.full(m, 5 * 365.0),
    )
    # Met at least a few years after being born (except family).
    lookback = np.where(domain == _DOMAIN["family"], lookback, np.minimum(lookback, baseline[owner] - born - 5 * 365.25))
    since_old = baseline[owner] - 14 - np.floor(rng.random(m) * np.maximum(lookback - 14, 1)).astype(np.int64)
    since[old] = since_old[old]
    since_missing = (old & (domain == _DOMAIN["family"]) & (rng.random(m) < 0.6)) | (rng.random(m) < 0.05)

    # Closeness by wave: drawn at arrival, then a walk one ring at a time, more often
    # inwards for people who are doing well.
    closeness = np.zeros((m, n_waves), dtype=np.int64)
    base = 1 + _pick(rng, _CLOSENESS_P[domain])
    is_person = category <= _PROFESSIONAL
    closer = np.where(professional, 0.08, np.clip(0.22 + 0.12 * ro, 0.02, 0.5))
    away = np.where(professional, np.clip(0.1 + 0.1 * ro, 0.02, 0.4), np.clip(0.1 - 0.1 * ro, 0.02, 0.4))
    closeness[:, 0] = base
    for w in range(1, n_waves):
        u = rng.random(m)
        step = np.where(u < closer, -1, np.where(u > 1 - away, 1, 0))
        walked = np.clip(closeness[:, w - 1] + step, 1, 3)
        closeness[:, w] = np.where(arrive >= w, base, walked)
    # Groups and places: a ring only now and then.
    ringless = ~is_person & (rng.random(m) >= 0.15)

    # Which row of _TIE_P each connection uses when ties are drawn.
    tie_class = np.select(
        [
            (domain == _DOMAIN["family"]) | (domain == _DOMAIN["partner"]),
            domain == _DOMAIN["friend"],
            professional,
            category == _GROUP,
            category == _PLACE,
        ],
        [0, 1, 3, 4, 5],
        2,
    )
    return {
        "m": m,
        "owner": owner,
        "local": local,
        "arrive": arrive,
        "leave": leave,
        "category": category,
        "domain": domain,
        "template": template,
        "name_code": name_code,
        "since": since,
        "since_missing": since_missing,
        "closeness": closeness,
        "ringless": ringless,
        "tie_class": tie_class,
        "size": size,
        "first": first,
    }


def _snapshot_index(person: dict[str, Any]) -> np.ndarray:
    """Each (person, wave) -> its snapshot number, or -1 when no map was made."""
    mapped = person["mapped"]
    index = np.full(mapped.shape, -1, dtype=np.int64)
    index[mapped] = np.arange(int(mapped.sum()))
    return index


def _alone(rng: np.random.Generator, person: dict[str, Any]) -> np.ndarray:
    """The (person, wave) cells where someone is mapped with nobody at all."""
    n = person["n"]
    mapped = person["mapped"]
    count = int(rng.binomial(n, 0.006))
    if n >= 50:
        count = max(count, 1)  # a cohort of any size shows what an empty map looks like
    alone = np.zeros(mapped.shape, dtype=bool)
    if count == 0:
        return alone
    # Those who are struggling most are likeliest to say there is nobody.
    weight = np.exp(-2.0 * person["progress"])
    who = rng.choice(n, size=count, replace=False, p=weight / weight.sum())
    for p in who:
        waves = np.flatnonzero(mapped[p])
        first_map = rng.random() < 0.5 or len(waves) == 1
        alone[p, waves[0] if first_map else rng.choice(waves[1:])] = True
    return alone


def _connection_rows(rng: np.random.Generator, person: dict[str, Any], pool: dict[str, Any]) -> dict[str, Any]:
    """The connections table: every connection on every map it appears on."""
    alone, snap = person["alone"], person["snapshot"]
    owner = pool["owner"]

    item, offset = _spans(pool["leave"] - pool["arrive"])
    wave = pool["arrive"][item] + offset
    who = owner[item]
    keep = (snap[who, wave] >= 0) & ~alone[who, wave]
    item, wave, who = item[keep], wave[keep], who[keep]
    sid = snap[who, wave]
    order = np.lexsort((pool["local"][item], sid))
    item, wave, who, sid = item[order], wave[order], who[order], sid[order]
    k = len(item)

    domain = pool["domain"][item]
    category = pool["category"][item]
    is_person = category <= _PROFESSIONAL
    closeness = pool["closeness"][item, wave]
    ringless = pool["ringless"][item]

    # Contact follows the domain and the ring, with noise; at some maps it was not asked.
    row_kind = np.where(category == _GROUP, 9, np.where(category == _PLACE, 10, domain))
    centre = _CONTACT_CENTRE[row_kind] + np.where(ringless, 0.0, (closeness - 2) * 0.6)
    contact = np.clip(np.rint(centre + rng.normal(0, 0.6, size=k)), 0, 3).astype(np.int64)
    unasked = rng.random(snap.max() + 1 if snap.size else 0) < 0.08
    contact_missing = unasked[sid] | (rng.random(k) < 0.03)

    # Support received and given: four yes/no draws each, written canonically.
    ring = np.where(ringless, 0, closeness)
    scale = _SUPPORT_BY_CLOSENESS[ring][:, None]
    grow = np.clip(0.8 + 0.2 * person["progress"][who] * wave, 0.4, 1.5)[:, None]
    received = rng.random((k, 4)) < np.clip(_RECEIVED_P[row_kind] * scale, 0, 0.95)
    given = rng.random((k, 4)) < np.clip(_GIVEN_P[row_kind] * scale * grow, 0, 0.95)
    support = np.array(
        [";".join(t for b, t in enumerate(vocab.SUPPORT_TYPES) if code >> b & 1) or None for code in range(16)],
        dtype=object,
    )
    bits = 1 << np.arange(4)

    kinds = np.array(vocab.KINDS, dtype=object)
    kind_code = np.where(category == _GROUP, 1, np.where(category == _PLACE, 2, 0))
    width = max(2, len(str(int(pool["size"].max(initial=0)))))
    cids = np.array([f"C{i + 1:0{width}d}" for i in range(int(pool["size"].max(initial=0)))], dtype=object)
    contact_words = np.array(vocab.CONTACT + (None,), dtype=object)
    wave_day = person["wave_day"]

    table = pd.DataFrame(
        {
            "person_id": _text(person["ids"], who),
            "date": _dates(wave_day[who, wave]),
            "connection_id": _text(cids, pool["local"][item]),
            "kind": _text(kinds, kind_code),
            "name": _text(_NAMES, pool["name_code"][item]),
            "domain": _text(np.array(vocab.DOMAINS, dtype=object), domain),
            "closeness": _int64(closeness, ringless & ~is_person),
            "contact": _text(contact_words, np.where(contact_missing, 4, contact)),
            "support_received": _text(support, received @ bits),
            "support_given": _text(support, given @ bits),
            "paid": pd.Series(domain == _DOMAIN["professional"], dtype=bool),
            "since": _dates(pool["since"][item], pool["since_missing"][item]),
            "hope": pd.Series(np.zeros(k, dtype=bool), dtype=bool),
        }
    )
    return {"table": table, "sid": sid, "item": item, "who": who, "wave": wave}


def _with_hopes(rng: np.random.Generator, person: dict[str, Any], pool: dict[str, Any], rows: dict[str, Any]) -> pd.DataFrame:
    """The connections table with the hopes added after each map's real connections."""
    snap, alone, n_waves = person["snapshot"], person["alone"], person["wave_day"].shape[1]
    table = rows["table"]

    def on_map(who: np.ndarray, wave: np.ndarray) -> np.ndarray:
        inside = (wave >= 0) & (wave < n_waves)
        w = np.clip(wave, 0, n_waves - 1)
        return inside & (snap[who, w] >= 0) & ~alone[who, w]

    # Hopes that come true: a newcomer was wished for on the map before it arrived
    # (and now and then on the one before that too).
    arrive, category = pool["arrive"], pool["category"]
    chosen = np.flatnonzero((arrive > 0) & (rng.random(pool["m"]) < _HOPE_BEFORE_P[category]))
    longer = rng.random(len(chosen)) < 0.35
    item = np.concatenate([chosen, chosen[longer]])
    wave = np.concatenate([arrive[chosen] - 1, arrive[chosen[longer]] - 2])
    who = pool["owner"][item]
    keep = on_map(who, wave)
    item, wave, who = item[keep], wave[keep], who[keep]
    is_person = category[item] <= _PROFESSIONAL
    wished = rng.random(len(item)) < np.where(is_person, 0.6, 0.2)  # how close they would like it, sometimes
    width = max(2, len(str(int(pool["size"].max(initial=0)))))
    cids = np.array([f"C{i + 1:0{width}d}" for i in range(int(pool["size"].max(initial=0)))], dtype=object)
    came_true = {
        "who": who, "wave": wave,
        "connection_id": cids[pool["local"][item]] if len(item) else np.empty(0, dtype=object),
        "kind": np.where(category[item] == _GROUP, "group", np.where(category[item] == _PLACE, "place", "person")),
        "name": _NAMES[pool["name_code"][item]],
        "domain": np.array(vocab.DOMAINS, dtype=object)[pool["domain"][item]],
        "closeness": np.where(wished, pool["closeness"][item, np.clip(wave + 1, 0, n_waves - 1)], 0),
        "wished": wished,
    }

    # Hopes of their own: added at some map, held for a map or more, then kept or let go.
    n = person["n"]
    count = np.minimum(rng.poisson(1.1, size=n), 4)
    owner, local = _spans(count)
    start = rng.integers(0, n_waves, size=owner.size)
    stay = rng.geometric(0.45, size=owner.size)
    choice = np.argsort(rng.random((n, len(_HOPES))), axis=1)[:, :4]  # four different hopes each
    hope = choice[owner, local] if owner.size else np.empty(0, dtype=np.int64)
    item, offset = _spans(np.minimum(stay, n_waves - start))
    wave = start[item] + offset
    who = owner[item]
    keep = on_map(who, wave)
    item, wave, who = item[keep], wave[keep], who[keep]
    words = np.array(_HOPES, dtype=object)
    is_person = words[hope[item], 0] == "person"
    wished = rng.random(len(item)) < np.where(is_person, 0.5, 0.15)
    own = {
        "who": who, "wave": wave,
        "connection_id": np.array([f"H{i + 1}" for i in local[item]], dtype=object),
        "kind": words[hope[item], 0], "name": words[hope[item], 2], "domain": words[hope[item], 1],
        "closeness": np.where(wished, rng.integers(1, 4, size=len(item)), 0), "wished": wished,
    }

    parts = [came_true, own]
    who = np.concatenate([p["who"] for p in parts]).astype(np.int64)
    wave = np.concatenate([p["wave"] for p in parts]).astype(np.int64)
    k = len(who)
    if k == 0:
        return table
    sid = snap[who, wave]

    def text(key: str) -> pd.Series:
        values = np.concatenate([np.asarray(p[key], dtype=object) for p in parts])
        distinct, codes = np.unique(values.astype(str), return_inverse=True)
        return _text(distinct.astype(object), codes)

    wished = np.concatenate([p["wished"] for p in parts])
    hopes = pd.DataFrame(
        {
            "person_id": _text(person["ids"], who),
            "date": _dates(person["wave_day"][who, wave]),
            "connection_id": text("connection_id"),
            "kind": text("kind"),
            "name": text("name"),
            "domain": text("domain"),
            "closeness": _int64(np.concatenate([p["closeness"] for p in parts]), ~wished),
            "contact": pd.Series(pd.NA, index=range(k), dtype="str"),
            "support_received": pd.Series(pd.NA, index=range(k), dtype="str"),
            "support_given": pd.Series(pd.NA, index=range(k), dtype="str"),
            "paid": pd.Series(np.zeros(k, dtype=bool)),
            "since": _dates(np.zeros(k, dtype=np.int64), np.ones(k, dtype=bool)),
            "hope": pd.Series(np.ones(k, dtype=bool)),
        }
    )
    for column in table.columns:  # extra columns of the connections (such as asset_id) stay empty for hopes
        if column not in hopes.columns:
            hopes[column] = pd.Series(pd.NA, index=hopes.index, dtype=table[column].dtype)
    hopes = hopes[list(table.columns)]
    # Each map's hopes after its connections, in a fixed order.
    order = np.lexsort((hopes["connection_id"].to_numpy(dtype=object).astype(str), sid))
    combined = pd.concat([table, hopes.iloc[order]], ignore_index=True)
    position = np.lexsort((np.arange(len(combined)), np.concatenate([rows["sid"], sid[order]])))
    return combined.iloc[position].reset_index(drop=True)


def _tie_rows(rng: np.random.Generator, person: dict[str, Any], pool: dict[str, Any]) -> pd.DataFrame:
    """The ties table: who knows whom, who belongs to which group, where groups meet."""
    size = pool["size"]
    owner, local = pool["owner"], pool["local"]
    # Every pair (i, j) with i before j in the same person's list.
    partners = size[owner] - 1 - local
    a, step = _spans(partners)
    b = a + 1 + step
    ca, cb = pool["tie_class"][a], pool["tie_class"][b]
    p = _TIE_P[ca, cb]
    group_place = ((ca == 4) & (cb == 5)) | ((ca == 5) & (cb == 4))
    if group_place.any():
        g = np.where(ca == 4, a, b)[group_place]
        pl = np.where(ca == 5, a, b)[group_place]
        g_index = pool["template"][g] - _SECTION["group"]
        p_index = pool["template"][pl] - _SECTION["place"]
        p[group_place] = np.where(_MEETS[g_index, p_index], 0.6, 0.02)
    linked = rng.random(len(a)) < p
    a, b = a[linked], b[linked]
    # A tie exists while both ends are on the map, sometimes only from the next map on.
    begin = np.maximum(pool["arrive"][a], pool["arrive"][b])
    end = np.minimum(pool["leave"][a], pool["leave"][b])
    begin = begin + ((rng.random(len(a)) < 0.2) & (begin + 1 < end))
    tie, offset = _spans(np.maximum(end - begin, 0))
    wave = begin[tie] + offset
    who = owner[a[tie]]
    snap, alone = person["snapshot"], person["alone"]
    keep = (snap[who, wave] >= 0) & ~alone[who, wave]
    tie, wave, who = tie[keep], wave[keep], who[keep]
    sid = snap[who, wave]
    order = np.lexsort((local[b[tie]], local[a[tie]], sid))
    tie, wave, who = tie[order], wave[order], who[order]

    width = max(2, len(str(int(size.max(initial=0)))))
    cids = np.array([f"C{i + 1:0{width}d}" for i in range(int(size.max(initial=0)))], dtype=object)
    kind_words, kind_codes = np.unique(_TIE_KIND, return_inverse=True)
    kinds = kind_codes.reshape(_TIE_KIND.shape)[pool["tie_class"][a[tie]], pool["tie_class"][b[tie]]]
    return pd.DataFrame(
        {
            "person_id": _text(person["ids"], who),
            "date": _dates(person["wave_day"][who, wave]),
            "source": _text(cids, local[a[tie]]),
            "target": _text(cids, local[b[tie]]),
            "kind": _text(kind_words, kinds),
        }
    )


def _lower_first(name: str) -> str:
    """"Boxing club" -> "boxing club", inside a longer name; "LGBTQ+ youth group" stays as it is."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _asset_rows(person: dict[str, Any], pool: dict[str, Any], rows: dict[str, Any]) -> tuple[pd.Series, pd.DataFrame]:
    """Each connection's community asset (``asset_id``, empty for most), and the assets table.

    Deterministic (no random draws), so adding assets changed nothing else in the
    cohort: a young person's group or place is the asset of that name in their own
    ward, or else one of its wards picked by who they are.
    """
    sites = [(name, ward) for name, wards in _ASSET_WARDS.items() for ward in wards]
    width = len(str(len(sites)))
    ids = [f"A{i + 1:0{width}d}" for i in range(len(sites))]
    number = {site: i for i, site in enumerate(sites)}
    kinds = {name: "group" for name, _ in _GROUPS} | {name: "place" for name, _ in _PLACES}
    assets = pd.DataFrame(
        {
            "asset_id": pd.Series(ids, dtype="str"),
            "name": pd.Series([f"{ward} {_lower_first(name)}" for name, ward in sites], dtype="str"),
            "kind": pd.Series([kinds[name] for name, _ in sites], dtype="str"),
            "ward": pd.Series([ward for _, ward in sites], dtype="str"),
            "openreferral_id": pd.Series([pd.NA] * len(sites), dtype="str"),  # a real council's directory has these
        }
    )
    template = pool["template"][rows["item"]]
    category = pool["category"][rows["item"]]
    who = rows["who"]
    ward = person["table"]["ward"].to_numpy(dtype=object)[who]
    dates = rows["table"]["date"].to_numpy()
    closed = np.datetime64(YOUTH_CENTRE_CLOSES, "ns")
    out = np.full(len(who), None, dtype=object)
    for row in np.flatnonzero((category == _GROUP) | (category == _PLACE)):
        section = "group" if category[row] == _GROUP else "place"
        items = _GROUPS if section == "group" else _PLACES
        name = items[template[row] - _SECTION[section]][0]
        wards = _ASSET_WARDS.get(name)
        if wards is None:
            continue
        if name == "Youth centre":
            here = "Arboretum" if dates[row] >= closed else "Derwent"
        else:
            here = ward[row] if ward[row] in wards else wards[(who[row] + template[row]) % len(wards)]
        out[row] = ids[number[(name, here)]]
    return pd.Series(out, dtype="str"), assets


def _snapshot_rows(rng: np.random.Generator, person: dict[str, Any], rows: dict[str, Any]) -> pd.DataFrame:
    """The snapshots table: every map made, with what the young person said that day."""
    snap = person["snapshot"]
    who, wave = np.nonzero(snap >= 0)  # row-major: by person, then wave, as sid counts
    s = len(who)
    table = rows["table"]
    sid = rows["sid"]
    informal = (table["kind"].to_numpy() == "person") & ~table["paid"].to_numpy()
    close = informal & (table["closeness"].to_numpy(dtype=np.float64, na_value=np.nan) == 1)
    n_informal = np.bincount(sid[informal], minlength=s)
    n_close = np.bincount(sid[close], minlength=s)

    # Felt loneliness falls as informal and close informal people grow; everyone
    # also has their own way of answering.
    own = rng.normal(0, 0.35, size=person["n"])
    latent = 2.55 - 0.2 * np.minimum(n_informal, 8) - 0.12 * np.minimum(n_close, 4) + own[who] + rng.normal(0, 0.3, size=s)
    items = np.clip(np.rint(latent[:, None] + rng.normal(0, 0.45, size=(s, 3))), 1, 3).astype(np.int64)
    not_asked = (rng.random(s) < 0.1)[:, None] | (rng.random((s, 3)) < 0.03)

    # The ONS question is asked at about half of the maps.
    feeling = latent + rng.normal(0, 0.4, size=s)
    ons_code = np.searchsorted(np.array([1.2, 1.6, 2.0, 2.4]), feeling)  # 0 never .. 4 often_always
    ons_words = np.array(vocab.ONS_LONELY[::-1] + (None,), dtype=object)
    ons_code = np.where(rng.random(s) < 0.55, ons_code, 5)

    out = {
        "person_id": _text(person["ids"], who),
        "date": _dates(person["wave_day"][who, wave]),
    }
    for i, column in enumerate(vocab.UCLA_ITEMS):
        out[column] = _int64(items[:, i], not_asked[:, i])
    out["ons_lonely"] = _text(ons_words, ons_code)
    return pd.DataFrame(out)
