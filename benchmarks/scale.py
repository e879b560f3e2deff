"""Benchmark: `socialcap.scale.dask_metrics` on a cohort larger than fits comfortably in memory.

Run from the repository root::

    python benchmarks/scale.py                          # 200,000 people × 5 waves as Parquet
    python benchmarks/scale.py --people 40000           # a quicker look
    python benchmarks/scale.py --data /big/disk/cohort  # keep (and reuse) the generated files

It writes the cohort as folders of Parquet parts (``people/``, ``connections/``,
``ties/``, ``snapshots/``; one part a block of 20,000 people, all text, sorted by
person, as `_generate.py` makes them for benchmarks/metrics.py), then computes its
metrics with a `distributed.LocalCluster` of worker processes, each with a memory
limit, writing the metrics table to Parquet.  It prints the wall time, the peak
memory of each worker and of this process, and checks one block against
`Cohort.metrics` computed in memory from the same block's CSV files.
"""

from __future__ import annotations

import argparse
import csv as csv_module
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from _generate import generate  # noqa: E402

import socialcap as sc  # noqa: E402
from socialcap.scale import dask_metrics  # noqa: E402

GIB = 1024**3
BLOCK = 20_000
TABLES = ("people", "connections", "ties", "snapshots")


def make_parquet(folder: Path, people: int, waves: int) -> dict[str, int]:
    """Generate the cohort block by block (CSV, then Parquet parts); returns row counts."""
    counts = dict.fromkeys(TABLES, 0)
    for name in TABLES:
        (folder / name).mkdir(parents=True, exist_ok=True)
    for block in range((people + BLOCK - 1) // BLOCK):
        size = min(BLOCK, people - block * BLOCK)
        with tempfile.TemporaryDirectory() as scratch:
            csv = Path(scratch) / "csv"
            generate(csv, people=size, waves=waves, seed=block + 1)
            if block == 0:
                shutil.copytree(csv, folder.parent / f"{folder.name}-block0-csv", dirs_exist_ok=True)
            for name in TABLES:
                names = next(csv_module.reader([(csv / f"{name}.csv").open().readline()]))
                table = pacsv.read_csv(
                    csv / f"{name}.csv",
                    convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
                )
                # Person ids unique across blocks, and in text order block after block.
                ids = pc.binary_join_element_wise(f"B{block:03d}", table["person_id"], "")
                table = table.set_column(0, "person_id", ids)
                pq.write_table(table, folder / name / f"part-{block:03d}.parquet", row_group_size=256_000)
                counts[name] += table.num_rows
        print(f"  block {block + 1}: {size:,} people written", flush=True)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--data", type=Path, default=None, help="folder for the Parquet cohort (reused if present)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GiB", help="memory limit of each worker")
    parser.add_argument("--people-per-partition", type=int, default=10_000)
    args = parser.parse_args()

    import distributed
    import psutil

    data = args.data or Path(tempfile.mkdtemp()) / "cohort"
    if not (data / "connections").is_dir():
        print(f"Generating {args.people:,} people × {args.waves} waves as Parquet in {data} …", flush=True)
        start = time.perf_counter()
        counts = make_parquet(data, args.people, args.waves)
        print(f"  generated in {time.perf_counter() - start:.0f} s: " + ", ".join(f"{v:,} {k} rows" for k, v in counts.items()))
    size = sum(p.stat().st_size for p in data.rglob("*.parquet"))
    rows = {name: sum(pq.ParquetFile(p).metadata.num_rows for p in (data / name).glob("*.parquet")) for name in TABLES}
    print(f"Input: {size / GIB:.2f} GiB of Parquet; " + ", ".join(f"{v:,} {k}" for k, v in rows.items()))

    out = data.parent / f"{data.name}-metrics.parquet"
    shutil.rmtree(out, ignore_errors=True)
    with distributed.LocalCluster(
        n_workers=args.workers, threads_per_worker=1, processes=True,
        memory_limit=args.memory_limit, dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as scheduler:
        peaks: dict[str, int] = {}
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                try:
                    for worker, rss in scheduler.run(lambda: psutil.Process().memory_info().rss).items():
                        peaks[worker] = max(peaks.get(worker, 0), rss)
                except Exception:  # noqa: BLE001 - a worker restarting; keep watching
                    pass
                done.wait(0.5)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        start = time.perf_counter()
        lazy = dask_metrics(data, ["ward"], people_per_partition=args.people_per_partition)
        lazy.to_parquet(out)
        elapsed = time.perf_counter() - start
        done.set()
        watcher.join()
    n = sum(pq.ParquetFile(p).metadata.num_rows for p in out.glob("*.parquet"))
    print(
        f"dask_metrics → Parquet: {elapsed:.1f} s for {n:,} snapshots in {lazy.npartitions} partitions "
        f"({args.workers} workers × 1 thread, memory limit {args.memory_limit} each)"
    )
    print("  peak memory of each worker: " + ", ".join(f"{v / GIB:.2f} GiB" for v in peaks.values()))
    print(f"  peak memory of this process: {psutil.Process().memory_info().rss / GIB:.2f} GiB now")

    # Check: the first block, measured in memory from its CSV files, equals the Dask result.
    import pandas as pd

    block0 = sc.read_cohort(data.parent / f"{data.name}-block0-csv")
    expected = block0.metrics(["ward"])
    got = pd.read_parquet(out, filters=[("person_id", "<", "B001")]).set_index("date", append=True)
    got.index = got.index.set_levels(got.index.levels[0].str.slice(4), level=0)
    got.index = got.index.set_names(["person_id", "date"])
    same = got.reset_index().astype(str).equals(expected.reset_index().astype(str))
    print(f"  first block equals Cohort.metrics in memory: {same} ({len(expected):,} snapshots)")


if __name__ == "__main__":
    main()
