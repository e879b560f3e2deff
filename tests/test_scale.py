"""socialcap.scale: the metrics on Dask and Spark equal `Cohort.metrics` exactly (SPEC §13).

Dask runs with its local scheduler and a `distributed.LocalCluster` of two worker
processes; Spark runs in local mode (one session for the module).  Without Dask or
PySpark installed these tests are skipped, saying which extra to install.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import cohort_tables

import socialcap as sc
from socialcap.cohort import Cohort

WITH = ["ward", "birth_year"]


def _dask():
    return pytest.importorskip("dask.dataframe", reason="Dask is not installed: pip install 'socialcap[dask]'")


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    return sc.datasets.synthetic(people=9, waves=3, seed=4)


def _write_parquet(cohort: Cohort, folder: Path) -> Path:
    """The §2 tables as Parquet files, one a table."""
    folder.mkdir()
    for name, table in cohort.tables().items():
        table.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def _write_parquet_parts(cohort: Cohort, folder: Path) -> Cohort:
    """The §2 tables as folders of two Parquet parts each, rows shuffled across people.

    Returns the cohort of those rows in the order they are read (part 0, then part 1):
    the order of a snapshot's rows may change a float's last bit (a sum in another
    order), so the expected table is that of the rows as written.
    """
    folder.mkdir()
    shuffled = {}
    for name, table in cohort.tables().items():
        (folder / name).mkdir()
        shuffled[name] = table.sample(frac=1, random_state=1).reset_index(drop=True)
        half = len(table) // 2
        shuffled[name].iloc[:half].to_parquet(folder / name / "part-0.parquet", index=False)
        shuffled[name].iloc[half:].to_parquet(folder / name / "part-1.parquet", index=False)
    return Cohort.from_tables(**shuffled)


def _source(kind: str, cohort: Cohort, tmp_path: Path) -> tuple[object, Cohort]:
    if kind == "csv":
        return sc.write_cohort(cohort, tmp_path / "cohort"), cohort
    if kind == "xlsx":
        return sc.write_cohort(cohort, tmp_path / "cohort.xlsx"), cohort
    if kind == "store":
        sc.write_cohort(cohort, tmp_path / "maps.db")
        return str(tmp_path / "maps.db"), cohort
    if kind == "parquet":
        return _write_parquet(cohort, tmp_path / "parquet"), cohort
    if kind == "parquet-parts":
        return tmp_path / "parts", _write_parquet_parts(cohort, tmp_path / "parts")
    return cohort, cohort


def _equal(lazy, expected: pd.DataFrame, **compute) -> None:
    table = lazy.compute(**compute).set_index("date", append=True)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)


@pytest.mark.parametrize("kind", ["csv", "parquet", "parquet-parts", "xlsx", "store", "memory"])
def test_dask_metrics_equal_cohort_metrics(kind: str, cohort: Cohort, tmp_path: Path) -> None:
    _dask()
    from socialcap.scale import dask_metrics

    source, as_written = _source(kind, cohort, tmp_path)
    expected = as_written.metrics(WITH)
    lazy = dask_metrics(source, WITH, people_per_partition=4)
    assert lazy.npartitions == 3 and lazy.known_divisions
    # What Dask says the table will be, before computing, is what it is.
    assert lazy.dtypes.to_dict() == expected.reset_index("date").dtypes.to_dict()
    _equal(lazy, expected, scheduler="synchronous")
    _equal(lazy, expected, scheduler="threads")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=cohort_tables(max_people=5))
def test_dask_metrics_from_csv_equal_cohort_metrics_for_any_cohort(tables: dict[str, pd.DataFrame]) -> None:
    _dask()
    from socialcap.scale import dask_metrics

    cohort = Cohort.from_tables(**tables)
    with tempfile.TemporaryDirectory() as folder:
        path = sc.write_cohort(cohort, Path(folder) / "cohort")
        lazy = dask_metrics(path, ["ward"], people_per_partition=2)
        _equal(lazy, cohort.metrics(["ward"]), scheduler="synchronous")


def test_dask_metrics_reports_bad_rows_of_any_partition(cohort: Cohort, tmp_path: Path) -> None:
    _dask()
    from socialcap.scale import dask_metrics

    folder = sc.write_cohort(cohort, tmp_path / "cohort")
    connections = pd.read_csv(folder / "connections.csv", dtype=str, keep_default_na=False)
    stranger = connections.iloc[[0]].assign(person_id="ZZZ")  # after everyone: the last, open-ended partition
    connections.loc[len(connections) - 1, "domain"] = "leisure"
    pd.concat([connections, stranger]).to_csv(folder / "connections.csv", index=False)
    with pytest.raises(sc.ValidationError) as caught:
        dask_metrics(folder, people_per_partition=4).compute(scheduler="synchronous")
    messages = "\n".join(str(p) for p in caught.value.problems)
    assert "connections.csv" in messages
    assert "leisure" in messages and "ZZZ" in messages


def test_dask_metrics_refuse_a_table_held_both_as_csv_and_as_parquet(cohort: Cohort, tmp_path: Path) -> None:
    _dask()
    from socialcap.scale import dask_metrics

    folder = _write_parquet(cohort, tmp_path / "both")
    shutil.copy(sc.write_cohort(cohort, tmp_path / "cohort") / "connections.csv", folder / "connections.csv")
    with pytest.raises(sc.ValidationError) as caught:
        dask_metrics(folder, people_per_partition=4)
    assert [p.file for p in caught.value.problems] == ["connections.csv"]
    assert "both connections.csv and connections.parquet" in caught.value.problems[0].message


def test_dask_metrics_on_a_local_cluster_of_two_workers(cohort: Cohort, tmp_path: Path) -> None:
    _dask()
    distributed = pytest.importorskip("distributed", reason="distributed is not installed: pip install 'socialcap[dask]'")
    from socialcap.scale import dask_metrics

    source = _write_parquet(cohort, tmp_path / "parquet")
    lazy = dask_metrics(source, WITH, people_per_partition=3)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit="1GiB"
    ) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        future = client.compute(lazy)
        table = future.result().set_index("date", append=True)
        where = client.who_has(future)
    assert where
    pd.testing.assert_frame_equal(table, cohort.metrics(WITH), check_exact=True)


# -- Spark ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark", reason="PySpark is not installed: pip install 'socialcap[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (17 or later): apt-get install openjdk-17-jre-headless")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("socialcap-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def SPARK_PANDAS(test):  # noqa: N802 - a decorator
    """PySpark 4 warns that it does not yet fully support pandas 3, and passes pandas a
    deprecated ``copy`` keyword; the results are what these tests check."""
    test = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")(test)
    return pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")(test)


@SPARK_PANDAS
def test_spark_metrics_from_csv_text_equal_cohort_metrics(spark, cohort: Cohort, tmp_path: Path) -> None:
    from socialcap.scale import from_spark, spark_metrics

    folder = sc.write_cohort(cohort, tmp_path / "cohort")
    read = {name: spark.read.csv(str(folder / f"{name}.csv"), header=True) for name in sc.io.TABLE_NAMES}
    out = spark_metrics(read["connections"], read["ties"], read["snapshots"], people=read["people"])
    pd.testing.assert_frame_equal(from_spark(out.toPandas()), cohort.metrics(), check_exact=True)


@SPARK_PANDAS
def test_spark_metrics_from_typed_tables_equal_cohort_metrics(spark, cohort: Cohort) -> None:
    from socialcap.scale import from_spark, spark_metrics

    frames = {name: spark.createDataFrame(table) for name, table in cohort.tables().items() if name != "people"}
    out = spark_metrics(frames["connections"], frames["ties"], frames["snapshots"])
    assert [f.name for f in out.schema.fields] == ["person_id", "date", *sc.metrics.METRICS]
    pd.testing.assert_frame_equal(from_spark(out.toPandas()), cohort.metrics(), check_exact=True)
