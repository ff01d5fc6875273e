"""The extraction on a dask.distributed cluster gives the rows of a local run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline.extract import extract_corpus
from analysis.pipeline.tables import TABLES

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, for the module."""
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.synthetic import write_corpus

    return write_corpus(12, tmp_path_factory.mktemp("dask"), seed=11)[0]


def test_scheduler_run_equals_local_run(cluster, corpus, tmp_path):
    extract_corpus(corpus, tmp_path / "local", jobs=1)
    extract_corpus(corpus, tmp_path / "dask", scheduler=cluster.scheduler_address)
    for name in TABLES:
        local = (tmp_path / "local" / f"{name}.csv").read_bytes()
        assert local == (tmp_path / "dask" / f"{name}.csv").read_bytes(), name


def test_bag_and_dataframe_equal_local_rows(cluster, corpus, tmp_path):
    import dask
    import dask.dataframe as dd

    from analysis.pipeline.distributed import extract_dask
    from analysis.text.corpus import iter_corpus

    extract_corpus(corpus, tmp_path, jobs=1)
    records = [r for r in iter_corpus(corpus) if isinstance(r, dict)]
    bag = db.from_sequence(records, npartitions=3)
    frame = dd.from_pandas(pd.DataFrame(records), npartitions=2)
    with distributed.Client(cluster) as client:
        for articles in (bag, frame):
            tables = extract_dask(articles)
            computed = dict(zip(tables, dask.compute(*tables.values()), strict=True))
            for name, got in computed.items():
                buf = io.StringIO(newline="")
                writer = csv.writer(buf)
                writer.writerow(got.columns)
                writer.writerows(got.itertuples(index=False, name=None))
                want = (tmp_path / f"{name}.csv").read_bytes().decode("utf-8")
                assert buf.getvalue() == want, name
        assert client.status == "running"


def test_extract_dask_refuses_other_inputs():
    from analysis.pipeline.distributed import extract_dask

    with pytest.raises(TypeError, match="dask.bag.Bag"):
        extract_dask([{"text": "x"}])


def test_report_batch_on_the_cluster_equals_local_run(cluster, tmp_path):
    from analysis.reports.batch import run_batch
    from analysis.settings import DEFAULT

    only = "article_002*"
    _, local = run_batch(DEFAULT.corpus_dir, tmp_path / "local", only=only, workers=1)
    _, remote = run_batch(
        DEFAULT.corpus_dir, tmp_path / "dask", only=only, scheduler=cluster.scheduler_address
    )
    assert [j.status for j in remote] == [j.status for j in local] == ["ok"]
    name = f"{remote[0].name}.html"
    assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
