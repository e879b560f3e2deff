"""Benchmark: socialcap's vectorised metrics against per-snapshot igraph and networkx loops.

Run from the repository root::

    python benchmarks/metrics.py                 # 20,000 people × 5 waves (about 2.5M connection rows)
    python benchmarks/metrics.py --people 2000   # a quick look

It generates a random cohort (about 25 connections and 40 ties a snapshot, with
repeated and reversed ties, person–group ties, empty snapshots and snapshots
without contact) as CSV files, then times, in the same run:

(a) ``socialcap.metrics.cohort_metrics`` on every snapshot, in memory;
(b) a per-snapshot igraph loop computing the same metrics from the same tables,
    grouping included, on every snapshot;
(c) the per-snapshot networkx reference (``snapshot.metrics()``) on a sample;
(d) ``socialcap metrics DIR -o FILE.csv`` from CSV to CSV in a fresh process,

and prints wall times, ratios and peak memory.  igraph is a benchmark
dependency only (``pip install socialcap[bench]``).
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _generate import generate  # noqa: E402

import socialcap as sc  # noqa: E402
from socialcap import vocab  # noqa: E402
from socialcap.metrics import cohort_metrics, lsns_score, snapshot_metrics  # noqa: E402

GIB = 1024**3


def peak_rss() -> int:
    """This process's peak resident memory (bytes) since the last `reset_peak`."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current size
    except OSError:
        pass


def current_rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


# -- (b) what a skilled analyst would write with igraph ----------------------------------------------------------


def igraph_loop(cohort: sc.Cohort) -> pd.DataFrame:
    """The same metrics, one igraph graph per snapshot, grouping the tables included.

    Written as a skilled analyst would: each column is decoded once for all rows
    (codes, support bit masks), the rows are grouped by snapshot once, and the loop
    only slices small arrays and asks igraph for components and constraint.
    """
    import igraph as ig

    conns, ties, snaps = cohort.connections, cohort.ties, cohort.snapshots
    key = pd.MultiIndex.from_frame(snaps[["person_id", "date"]])
    conn_snap = key.get_indexer(pd.MultiIndex.from_frame(conns[["person_id", "date"]]))
    tie_snap = key.get_indexer(pd.MultiIndex.from_frame(ties[["person_id", "date"]]))
    order = np.argsort(conn_snap, kind="stable")
    conn_bounds = np.searchsorted(conn_snap[order], np.arange(len(snaps) + 1))
    tie_order = np.argsort(tie_snap, kind="stable")
    tie_bounds = np.searchsorted(tie_snap[tie_order], np.arange(len(snaps) + 1))

    def bits(column: str) -> np.ndarray:
        codes, uniques = pd.factorize(conns[column])
        table = np.array([sum(1 << vocab.SUPPORT_TYPES.index(t) for t in u.split(";")) for u in uniques] + [0])
        return table[codes][order]

    cid = conns["connection_id"].to_numpy(dtype=object)[order]
    kind = pd.Categorical(conns["kind"], categories=vocab.KINDS).codes[order]
    paid = conns["paid"].to_numpy(dtype=bool)[order]
    domain = pd.Categorical(conns["domain"], categories=vocab.DOMAINS).codes[order]
    family = np.isin(domain, [vocab.DOMAINS.index(d) for d in vocab.FAMILY_DOMAINS])
    close1 = (conns["closeness"] == 1).fillna(False).to_numpy(dtype=bool)[order]
    contact = pd.Categorical(conns["contact"], categories=vocab.CONTACT).codes[order]
    received, given = bits("support_received"), bits("support_given")
    source = ties["source"].to_numpy(dtype=object)[tie_order]
    target = ties["target"].to_numpy(dtype=object)[tie_order]
    ucla = np.column_stack([snaps[c].to_numpy(dtype=float, na_value=np.nan) for c in vocab.UCLA_ITEMS]).sum(axis=1)
    ons = snaps["ons_lonely"].to_numpy(dtype=object)
    score = lsns_score(np.arange(1000)).tolist()
    rows = []
    for i in range(len(snaps)):
        lo, hi = conn_bounds[i], conn_bounds[i + 1]
        k, pd_, dm, rc, gv = kind[lo:hi], paid[lo:hi], domain[lo:hi], received[lo:hi], given[lo:hi]
        person = k == 0
        informal = person & ~pd_
        n = int(person.sum())
        local = {c: j for j, c in enumerate(cid[lo:hi][person])}
        tl, th = tie_bounds[i], tie_bounds[i + 1]
        edges = {
            (a, b) if a < b else (b, a)
            for a, b in ((local.get(s), local.get(t)) for s, t in zip(source[tl:th], target[tl:th]))
            if a is not None and b is not None and a != b
        }
        t = len(edges)
        if n:
            g = ig.Graph(n=n + 1, edges=[*edges, *((n, j) for j in range(n))])
            constraint = g.constraint([n])[0]
            g.delete_vertices(n)
            components = len(g.connected_components())
            isolates = g.degree().count(0)
            counts = np.bincount(dm[person], minlength=len(vocab.DOMAINS))
            diversity = 1 - float(((counts / n) ** 2).sum())
        else:
            constraint = diversity = math.nan
            components = isolates = 0
            counts = np.zeros(1)
        lsns = []
        asked = bool((contact[lo:hi] >= 0).any())
        for side in (family[lo:hi], ~family[lo:hi]):
            m = informal & side
            lsns.append(
                float(
                    score[int(((contact[lo:hi] >= 0) & (contact[lo:hi] < 3) & m).sum())]
                    + score[int(((rc & 1) > 0)[m].sum())]
                    + score[int(((rc & 2) > 0)[m].sum())]
                )
                if asked
                else math.nan
            )
        rp = rc[person]
        rows.append(
            {
                "people": n,
                "informal_people": int(informal.sum()),
                "paid_people": int((person & pd_).sum()),
                "paid_share": float((person & pd_).sum()) / n if n else math.nan,
                "close_informal": int((informal & close1[lo:hi]).sum()),
                "groups": int((k == 1).sum()),
                "places": int((k == 2).sum()),
                "domains": int((counts > 0).sum()),
                "diversity": diversity,
                "density": t / (n * (n - 1) / 2) if n >= 2 else math.nan,
                "components": components,
                "isolates": isolates,
                "effective_size": n - 2 * t / n if n else math.nan,
                "constraint": constraint,
                **{f"{s}_support": int(((rp >> b) & 1).sum()) for b, s in enumerate(vocab.SUPPORT_TYPES)},
                "supporters": int((rp > 0).sum()),
                "informal_supporters": int((rc[informal] > 0).sum()),
                "gives_support": int((gv > 0).sum()),
                "reciprocal": int(((rc > 0) & (gv > 0) & person).sum()),
                "lsns6_family": lsns[0],
                "lsns6_friends": lsns[1],
                "lsns6": lsns[0] + lsns[1],
                "isolated": pd.NA if math.isnan(lsns[0]) else lsns[0] + lsns[1] < 12,
                "ucla3": ucla[i],
                "lonely": pd.NA if math.isnan(ucla[i]) else ucla[i] >= 6,
                "ons_lonely": ons[i],
            }
        )
    return pd.DataFrame(rows)


# -- the run ------------------------------------------------------------------------------------------------------


def timed(label: str, function, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args)
    seconds = time.perf_counter() - start
    print(f"  {label:<52} {seconds:8.2f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--sample", type=int, default=1_000, help="snapshots for the networkx loop")
    parser.add_argument("--folder", type=Path, default=None, help="where to write the cohort (default: a temporary folder)")
    parser.add_argument("--skip-igraph", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="socialcap-bench-"))
    folder = args.folder or work / "cohort"
    print(f"Generating {args.people:,} people × {args.waves} waves in {folder} …", flush=True)
    sizes = generate(folder, people=args.people, waves=args.waves)
    print("  " + ", ".join(f"{k}: {v:,}" for k, v in sizes.items()), flush=True)

    print("Reading (socialcap.read_cohort: parse, then validate):", flush=True)
    from socialcap import io as scio
    from socialcap._validate import build_tables

    tables, read_s = timed("parse CSV (io._read_folder)", scio._read_folder, folder)
    cohort_tables, validate_s = timed("validate and type (_validate.build_tables)", build_tables, tables, str(folder))
    cohort = sc.Cohort(**cohort_tables)
    del tables

    print("(a) socialcap vectorised, every snapshot:", flush=True)
    base = current_rss()
    reset_peak()
    table, first_s = timed("cohort_metrics, first call", cohort_metrics, cohort)
    a_peak = peak_rss() - base
    a_s = min(timed("cohort_metrics, again", cohort_metrics, cohort)[1] for _ in range(2))
    print(f"  extra peak memory of the first call: {a_peak / GIB:.2f} GiB", flush=True)

    b_s = math.nan
    if not args.skip_igraph:
        print("(b) per-snapshot igraph loop, every snapshot, grouping included:", flush=True)
        other, b_s = timed("igraph loop", igraph_loop, cohort)
        for column in table.columns[:-4]:  # every numeric metric
            np.testing.assert_allclose(
                other[column].to_numpy(dtype=float, na_value=np.nan), table[column].to_numpy(dtype=float, na_value=np.nan), rtol=1e-9, equal_nan=True
            )
        print("  (the igraph loop and socialcap agree on every numeric metric)")

    print(f"(c) per-snapshot networkx reference, {args.sample:,} snapshots:", flush=True)
    rng = np.random.default_rng(0)
    chosen = rng.choice(len(cohort.people), size=min(len(cohort.people), max(1, args.sample // args.waves)), replace=False)
    snapshots = [s for p in cohort.people["person_id"].to_numpy()[chosen] for s in cohort.timeline(p).snapshots][: args.sample]
    _, c_s = timed("snapshot_metrics loop", lambda: [snapshot_metrics(s) for s in snapshots])
    c_per = c_s / len(snapshots)
    c_all = c_per * len(cohort.snapshots)

    print("(d) socialcap metrics DIR -o FILE.csv in a fresh process:", flush=True)
    out = work / "metrics.csv"
    # The program itself, as a user runs it (`socialcap metrics`, via its entry point).
    command = [sys.executable, "-m", "socialcap", "metrics", str(folder), "-o", str(out), "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True)
    d_s = time.perf_counter() - start
    d_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"  {'CSV to CSV':<52} {d_s:8.2f} s   peak {d_peak / GIB:.2f} GiB" + ("" if d_peak > before else " (?)"))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import socialcap.cli.metrics"], check=True)
    import_s = time.perf_counter() - start
    print(f"  {'of which starting Python and importing socialcap':<52} {import_s:8.2f} s")

    print("\nSummary")
    print(f"  snapshots: {len(cohort.snapshots):,}; connection rows: {len(cohort.connections):,}; tie rows: {len(cohort.ties):,}")
    print(f"  read_cohort: parse {read_s:.2f} s + validate {validate_s:.2f} s")
    print(f"  (a) vectorised: {first_s:.2f} s first call, {a_s:.2f} s warm (target < 2 s); extra peak {a_peak / GIB:.2f} GiB")
    if not math.isnan(b_s):
        print(f"  (b) igraph loop: {b_s:.1f} s → socialcap is {b_s / first_s:.0f}× faster (first call; target ≥ 8×), {b_s / a_s:.0f}× warm")
    print(f"  (c) networkx: {1000 * c_per:.1f} ms a snapshot → {c_all / 60:.1f} min for all ({c_all / first_s:,.0f}× slower)")
    print(f"  (d) CSV to CSV: {d_s:.1f} s (target < 8 s), peak {d_peak / GIB:.2f} GiB (target < 2.5 GiB); start-up and imports {import_s:.1f} s")


if __name__ == "__main__":
    main()
