"""The extraction on a dask.distributed cluster, for corpora that outgrow one machine.

Two ways in, one per-article function (:func:`analysis.pipeline.tables.article_tables`)
underneath, so that a cluster run gives the rows a local run gives:

* ``python -m analysis extract CORPUS --out OUT --scheduler ADDRESS``: the
  documents are read and parsed on the cluster's workers, a chunk per task, and
  their rows come back in corpus order to be written locally, as in a local
  run (:func:`scheduler_results`). The corpus folder must be readable at the
  same path on every worker (a shared file system).
* :func:`extract_dask`: a Dask bag of article dicts, or a Dask DataFrame of
  articles, in; lazy Dask DataFrames of the tables out, for pipelines that
  already hold their articles in Dask.

Each worker loads the gazetteer once (it is cached per process). Dask is
imported only here, so a run without a cluster never pays for it.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import pandas as pd

from analysis.pipeline.documents import DocResult, Task, process_chunk
from analysis.pipeline.tables import TABLES, Tables, article_tables
from analysis.places.gazetteer import load_gazetteer
from analysis.settings import DEFAULT, Settings
from analysis.text.boilerplate import body_spans, join_spans

ARTICLE_FIELDS = ("article", "title", "lang", "published", "outlet", "sha256", "text")
"""Fields an article needs; ``body``/``body_spans`` are computed when absent."""


def client_for(address: str) -> Any:
    """A dask.distributed client connected to ``address`` (e.g. ``tcp://host:8786``).

    Raises:
        ValueError: "cannot reach the dask scheduler at ADDRESS: ..." when it does not answer.
    """
    from distributed import Client

    try:
        return Client(address, timeout="20s", set_as_default=False)
    except OSError as exc:
        raise ValueError(f"cannot reach the dask scheduler at {address}: {exc}") from exc


def scheduler_results(
    tasks: Iterable[Task], address: str, in_flight: int | None = None
) -> Iterator[DocResult]:
    """Run the chunks of a corpus on the cluster at ``address``; results in corpus order.

    At most ``in_flight`` chunks (default: twice the cluster's threads) are
    submitted at once, so the client's memory stays flat however many there are.
    """
    client = client_for(address)
    try:
        limit = in_flight or max(2, 2 * sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(client.submit(process_chunk, task, pure=False))
            if len(pending) >= limit:
                yield from _take(pending.popleft())
        while pending:
            yield from _take(pending.popleft())
    finally:
        client.close()


def _take(future: Any) -> list[DocResult]:
    out: list[DocResult] = future.result()
    future.release()
    return out


# ---------------------------------------------------------------- bags and DataFrames


def _complete(rec: dict[str, Any]) -> dict[str, Any]:
    """An article dict with every field :func:`article_tables` reads (body cut if missing)."""
    out = {k: ("" if rec.get(k) is None else rec.get(k)) for k in ARTICLE_FIELDS}
    text = str(out["text"])
    spans = rec.get("body_spans")
    if isinstance(spans, str):  # Dask DataFrames may turn object columns into strings
        spans = ast.literal_eval(spans)
    if spans is None or (not hasattr(spans, "__len__") and pd.isna(spans)):
        spans = body_spans(text, 0)
    spans_list = [(int(s), int(e)) for s, e in spans]
    out["body_spans"] = spans_list
    out["body"] = rec.get("body") or join_spans(text, spans_list)
    out["lang"] = out["lang"] or "en"
    return out


def partition_tables(records: Iterable[dict[str, Any]], settings: Settings = DEFAULT) -> Tables:
    """The table rows of a partition of article dicts, in order (runs on a worker)."""
    gaz = load_gazetteer(settings)
    out: Tables = {name: [] for name in TABLES if name != "problems"}
    for rec in records:
        for name, rows in article_tables(_complete(rec), gaz).items():
            out[name].extend(cast(list, rows))  # no spare core: every table is rows
    return out


def _frame(tables: Tables, name: str) -> pd.DataFrame:
    return pd.DataFrame(tables[name], columns=TABLES[name])


def _meta(name: str) -> pd.DataFrame:
    return _frame({name: []}, name)


def extract_dask(articles: Any, settings: Settings = DEFAULT) -> dict[str, Any]:
    """The tables of a Dask bag of article dicts or a Dask DataFrame of articles, lazily.

    Args:
        articles: a ``dask.bag.Bag`` of dicts, or a ``dask.dataframe.DataFrame``,
            with the fields of :data:`ARTICLE_FIELDS` (as
            :func:`analysis.text.corpus.iter_corpus` yields them; ``body_spans`` is
            computed when missing).
        settings: options (the gazetteer's cache folder).

    Returns:
        ``{"articles", "mentions", "places", "figures"}``, each a lazy
        ``dask.dataframe.DataFrame`` with the columns of
        :data:`analysis.pipeline.tables.TABLES`, partitioned like the input. Compute them
        together (``dask.compute(*tables.values())``) so each partition is
        parsed once.

    Raises:
        TypeError: when ``articles`` is neither a Dask bag nor a Dask DataFrame.
    """
    import dask
    import dask.bag as db
    import dask.dataframe as dd

    if isinstance(articles, dd.DataFrame):
        parts = [dask.delayed(_records)(p) for p in articles.to_delayed()]
    elif isinstance(articles, db.Bag):
        parts = articles.to_delayed()
    else:
        raise TypeError(
            f"expected a dask.bag.Bag or dask.dataframe.DataFrame of articles, "
            f"got {type(articles).__name__}"
        )
    tables = [dask.delayed(partition_tables)(p, settings) for p in parts]
    names = [n for n in TABLES if n != "problems"]
    return {
        name: dd.from_delayed(
            [dask.delayed(_frame)(t, name) for t in tables], meta=_meta(name), verify_meta=False
        )
        for name in names
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


def map_on_cluster(address: str, func: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
    """``func`` over ``items`` on the cluster at ``address``, results yielded in order.

    For batch work beside the extraction, such as executing report notebooks
    (``func`` must be importable on the workers). All items are submitted at
    once; each result is yielded as soon as it and those before it are done.
    """
    client = client_for(address)
    try:
        for future in client.map(func, list(items), pure=False):
            yield future.result()
    finally:
        client.close()
