"""Benchmark: the store (SPEC §9) against a folder of CSV files, SQLite and PostgreSQL.

Run from the repository root::

    python benchmarks/store.py                      # 20,000 people × 5 waves (100,000 maps)
    python benchmarks/store.py --people 2000        # a quick look
    python benchmarks/store.py --no-postgres        # SQLite only

It generates the metrics benchmark's random cohort as CSV files (`_generate.py`:
about 25 connections and 38 tie rows a map), then times, in the same run:

(a) ``sc.read_cohort`` of the CSV folder (before and after the stores, to see the load move);
(b) ``socialcap copy FOLDER STORE`` in a fresh process, into SQLite and into PostgreSQL;
(c) ``sc.read_cohort`` of each store, against (a);
(d) one person's timeline (``Store.timeline``), list of maps (``Store.snapshots``) and one
    map (``Store.snapshot``) from the 100,000-map store, the median of 25 people;
(e) ``Store.save_snapshot`` of one 25-connection map, the median of 25 saves.

PostgreSQL: a fresh database on ``--postgres`` (default the local server, user
postgres), dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _generate import generate  # noqa: E402

import socialcap as sc  # noqa: E402


def timed(function: Callable[[], object]) -> tuple[float, float, object]:
    """Wall time, this process's CPU time, and the value."""
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    return time.perf_counter() - start, time.process_time() - cpu, value


def median_ms(function: Callable[[int], object], n: int) -> str:
    """Median wall time and this process's CPU time of ``n`` calls (a busy machine inflates the wall time)."""
    walls, cpus = [], []
    for i in range(n):
        start, cpu = time.perf_counter(), time.process_time()
        function(i)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return f"{1000 * statistics.median(walls):.1f} ms (CPU {1000 * statistics.median(cpus):.1f} ms)"


def copy_in_fresh_process(source: Path, destination: str) -> tuple[float, float]:
    """Wall time and CPU time of ``socialcap copy`` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "socialcap", "copy", str(source), destination], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def postgres_database(server: str) -> tuple[str, Callable[[], None]]:
    import psycopg
    from psycopg import sql

    name = f"socialcap_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    return f"{server.rsplit('/', 1)[0]}/{name}", drop


def per_map(url: str, cohort: sc.Cohort, label: str, samples: int) -> dict[str, str]:
    """(d) and (e) on one store."""
    people = cohort.person_ids[:: max(1, len(cohort.person_ids) // samples)][:samples]
    sizes = cohort.connections.groupby(["person_id", "date"]).size()
    person, date = (sizes - 25).abs().idxmin()  # a map of 25 connections (or the nearest)
    template = cohort.snapshot(person, date)
    with sc.open_store(url) as store:
        store.timeline(people[0])  # warm the connection pool
        found = {
            f"{label}: one timeline (Store.timeline)": median_ms(lambda i: store.timeline(people[i]), len(people)),
            f"{label}: list of one person's maps (Store.snapshots)": median_ms(lambda i: store.snapshots(people[i]), len(people)),
            f"{label}: one map as JSON (Store.snapshot)": median_ms(
                lambda i: store.snapshot(people[i], store.snapshots(people[i])[-1]["date"]), len(people)
            ),
        }
        saves = [
            sc.Snapshot(person, sc.graph.as_date(f"2030-01-{1 + i:02d}"),
                        template.connections.assign(date=f"2030-01-{1 + i:02d}"),
                        template.ties.assign(date=f"2030-01-{1 + i:02d}"), template.answers)
            for i in range(samples)
        ]
        found[f"{label}: save_snapshot of {len(template.connections)} connections"] = median_ms(
            lambda i: store.save_snapshot(saves[i], saved_by="bench"), samples
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--samples", type=int, default=25)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cohort"
        print(f"generating {args.people:,} people × {args.waves} waves …", flush=True)
        generate(folder, people=args.people, waves=args.waves)
        size = sum(p.stat().st_size for p in folder.iterdir())
        rows: list[tuple[str, str]] = []

        csv_first, csv_first_cpu, cohort = timed(lambda: sc.read_cohort(folder))
        assert isinstance(cohort, sc.Cohort)
        print(f"{len(cohort.snapshots):,} maps, {len(cohort.connections):,} connection rows, "
              f"{len(cohort.ties):,} tie rows, {size / 1e6:.0f} MB of CSV", flush=True)
        rows.append(("(a) read_cohort, CSV folder (first)", f"{csv_first:.2f} s (CPU {csv_first_cpu:.2f} s)"))

        stores = {"SQLite": str(Path(tmp) / "maps.db")}
        drop = None
        if not args.no_postgres:
            stores["PostgreSQL"], drop = postgres_database(args.postgres)
        try:
            reads = {}
            for label, url in stores.items():
                copied, copied_cpu = copy_in_fresh_process(folder, url)
                rows.append((f"(b) socialcap copy FOLDER → {label}, fresh process", f"{copied:.1f} s (CPU {copied_cpu:.1f} s)"))
                print(rows[-1], flush=True)
                if label == "SQLite":
                    rows.append(("    SQLite file size", f"{Path(url).stat().st_size / 1e6:.0f} MB"))
                *reads[label], again = timed(lambda url=url: sc.read_cohort(url))
                assert again == cohort, f"{label} did not give back the cohort"
                del again
                print(label, "read", reads[label], flush=True)
            csv_second, csv_second_cpu, _ = timed(lambda: sc.read_cohort(folder))
            rows.append(("(a) read_cohort, CSV folder (after the stores)", f"{csv_second:.2f} s (CPU {csv_second_cpu:.2f} s)"))
            csv_mean, csv_cpu = (csv_first + csv_second) / 2, (csv_first_cpu + csv_second_cpu) / 2
            for label, (seconds, cpu) in reads.items():
                rows.append((f"(c) read_cohort, {label} store",
                             f"{seconds:.2f} s = {seconds / csv_mean:.2f}× the CSV folder (CPU {cpu:.2f} s = {cpu / csv_cpu:.2f}×)"))
            for label, url in stores.items():
                for name, ms in per_map(url, cohort, label, args.samples).items():
                    rows.append((f"(d/e) {name}", ms))
                    print(rows[-1], flush=True)
        finally:
            if drop is not None:
                drop()

    print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    width = max(len(r[0]) for r in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
