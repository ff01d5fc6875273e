"""``extract``: a corpus folder in, its tables out, written as the documents stream past.

The corpus is read lazily, one document at a time, and each document's rows are
appended to the tables as soon as they are known, so memory stays flat whatever
the corpus size. Documents are read and parsed in worker processes (``jobs``,
all cores by default) and their rows come back in corpus order, so a parallel
run writes byte for byte what a serial run writes. The same per-document work
(:mod:`analysis.pipeline.documents`) runs on a dask.distributed cluster when a
scheduler address is given (see :mod:`analysis.pipeline.distributed`).

This module holds the run: planning the workers, chunking the documents, and
writing each document's rows in corpus order through a
:class:`analysis.pipeline.sinks.TableSink`, which renames the tables into place
only when the run completes.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.pipeline.distributed import scheduler_results
from analysis.pipeline.documents import (
    DocResult,
    Task,
    init_worker,
    process_chunk,
    process_document,
)
from analysis.pipeline.outdir import claim
from analysis.pipeline.pools import Forked, available_cores, capped_workers, start_context
from analysis.pipeline.sinks import FORMATS, TableSink
from analysis.pipeline.tables import TABLES, Reading, Row
from analysis.places.gazetteer import load_gazetteer
from analysis.settings import DEFAULT, Settings
from analysis.text.corpus import document_paths, read_sidecar

SERIAL_BELOW = 200
"""With the default ``jobs``, a corpus of fewer documents is read in-process: starting
worker processes (each loading the gazetteer) costs more than it saves."""


@dataclass
class ExtractResult:
    """What an extraction wrote: counts, the problems met, and how long it took."""

    out_dir: Path
    articles: int = 0
    problems: int = 0
    problem_rows: list[tuple[str, str, str]] = field(default_factory=list)
    jobs: int = 1
    bytes_read: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- running the chunks


def plan_jobs(jobs: int | None, n_docs: int) -> int:
    """Worker processes for a corpus: ``jobs`` (0 or None: all cores), never more than
    the cores nor the documents, and one (in-process) for a small corpus when not
    asked explicitly.

    Examples:
        >>> plan_jobs(4, 2) <= 2, plan_jobs(1000, 5) <= 5, plan_jobs(None, 5)
        (True, True, 1)
    """
    if not jobs and n_docs < SERIAL_BELOW:
        return 1
    return capped_workers(jobs, n_docs)


def chunk_tasks(
    paths: Sequence[Path],
    root: Path,
    sidecar: dict[str, dict[str, str]],
    settings: Settings,
    size: int,
) -> Iterator[Task]:
    """The documents in corpus order, grouped into tasks of ``size``."""
    for i in range(0, len(paths), size):
        docs = [(str(p), sidecar.get(p.stem, {})) for p in paths[i : i + size]]
        yield (str(root), docs, settings)


def chunk_size(n_docs: int, jobs: int) -> int:
    """Documents per task: enough to amortise the hand-over, small enough to balance.

    Examples:
        >>> chunk_size(5, 1), chunk_size(100_000, 8)
        (5, 32)
    """
    if jobs <= 1:
        return max(1, n_docs)
    return max(1, min(32, n_docs // (jobs * 4)))


def _serial(tasks: Iterable[Task], settings: Settings, spare_core: bool) -> Iterator[DocResult]:
    """Documents in this process; with ``spare_core``, long ones use a second core."""
    gaz = load_gazetteer(settings)
    for root, docs, _ in tasks:
        for path, row in docs:
            yield process_document(Path(path), Path(root), row, settings, gaz, spare_core)


def _pooled(tasks: Iterable[Task], settings: Settings, jobs: int) -> Iterator[DocResult]:
    """Results of a process pool, in task order, with at most ``3 * jobs`` tasks in flight."""
    # Workers fork from a server that has imported the package once.
    ctx: Any = start_context(["analysis.pipeline.extract"])
    with ctx.Pool(jobs, initializer=init_worker, initargs=(settings, os.getpid())) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(process_chunk, (task,)))
            if len(pending) >= 3 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


Runner = Callable[[Iterable[Task], Settings, int], Iterator[DocResult]]


# ---------------------------------------------------------------- the run


def extract_corpus(
    corpus_dir: str | Path,
    out_dir: str | Path,
    settings: Settings = DEFAULT,
    *,
    jobs: int | None = None,
    fmt: str = "csv",
    progress: bool | None = None,
    scheduler: str | None = None,
) -> ExtractResult:
    """Read ``corpus_dir`` and write its tables into ``out_dir``, streaming.

    Tables: ``articles``, ``problems``, ``mentions`` (every place mention,
    organisations flagged), ``places`` (one row per place per article),
    ``figures`` (every reported figure with its qualifier, category, subject,
    source and date), as CSV, Parquet or both (``fmt``), and ``places.geojson``
    (the places as points in EPSG:4326).

    Args:
        corpus_dir: the corpus folder.
        out_dir: where the tables go (created if missing).
        settings: options such as the file size limit.
        jobs: worker processes; 0 or None for all cores (a small corpus is read
            in-process). The rows are the same, in the same order, for any value.
        fmt: 'csv', 'parquet' or 'both'.
        progress: show a progress bar on stderr; None shows it when stderr is a terminal.
        scheduler: address of a dask.distributed scheduler to run the documents on
            instead of local processes (the corpus path must be readable by the workers).

    Raises:
        CorpusError: when the folder is missing or holds no documents (nothing is written).
        ValueError: for an unknown ``fmt``.
    """
    started = time.perf_counter()
    root = Path(corpus_dir)
    paths = document_paths(root, settings)  # raises CorpusError before any output exists
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    with claim(out_dir, "extract", corpus_dir=root, adopt=_earlier_tables) as owned:
        result = _extract_into(owned.path, root, paths, settings, jobs, fmt, progress, scheduler)
        owned.record(p.name for p in result.written)
    result.seconds = time.perf_counter() - started
    return result


def _extract_into(  # noqa: PLR0913 - extract_corpus's options, passed on
    out: Path,
    root: Path,
    paths: list[Path],
    settings: Settings,
    jobs: int | None,
    fmt: str,
    progress: bool | None,
    scheduler: str | None,
) -> ExtractResult:
    """The run in a claimed output folder: tables streamed aside, moved into place at the end."""
    sidecar, sidecar_problems = read_sidecar(root, settings)
    n_jobs = plan_jobs(jobs, len(paths))
    size = chunk_size(len(paths), n_jobs) if scheduler is None else max(1, min(32, len(paths)))
    tasks = chunk_tasks(paths, root, sidecar, settings, size)
    if scheduler is not None:
        results = scheduler_results(tasks, scheduler)
    elif n_jobs > 1:
        results = _pooled(tasks, settings, n_jobs)
    else:
        # A small corpus is read here; a core the user did not hold back reads long articles.
        results = _serial(tasks, settings, spare_core=not jobs and available_cores() > 1)
    result = ExtractResult(out, jobs=n_jobs)
    bar = _progress_bar(paths, progress)
    try:
        with TableSink(out, fmt) as sink:
            _record_problems(sink, result, sidecar_problems)
            _write_results(results, sink, result, root, bar)
            result.written = sink.commit()
    finally:
        if bar is not None:
            bar.close()
    return result


def _earlier_tables(out: Path) -> list[str] | None:
    """The tables an earlier version's ``extract`` wrote into ``out`` (a folder without a
    marker), or None when the folder holds anything else."""
    ours = {f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")} | {"places.geojson"}
    names = [p.name for p in out.iterdir()]
    if all(n in ours or n.startswith(".") and n.endswith(".tmp") for n in names):
        return sorted(n for n in names if n in ours)
    return None


def _record_problems(sink: TableSink, result: ExtractResult, problems: Sequence[Row]) -> None:
    for p in problems:
        result.problem_rows.append((str(p[0]), str(p[1]), str(p[2])))
    result.problems += len(problems)
    sink.write("problems", list(problems))


def _write_results(
    results: Iterable[DocResult], sink: TableSink, result: ExtractResult, root: Path, bar: Any
) -> None:
    """Write each document's rows in corpus order, settling duplicate ids as iter_corpus does."""
    seen: set[str] = set()
    for doc in results:
        _record_problems(sink, result, doc.problems)
        size = _size(doc.path) if bar is not None else 0
        result.bytes_read += size
        if doc.tables is not None:
            article = doc.stem
            rename = article in seen
            if rename:
                article = Path(doc.path).relative_to(root).with_suffix("").as_posix()
            rendered = _rendered(doc.tables, sink, article if rename else None)
            if isinstance(rendered, BaseException):
                exc = rendered
                problem = (doc.path, f"extraction failed: {type(exc).__name__}: {exc}", "skipped")
                _record_problems(sink, result, [problem])
            else:
                seen.add(article)
                result.articles += 1
                for name, r in rendered.items():
                    sink.write_rendered(name, r)
        if bar is not None:
            bar.update(size)
            elapsed = bar.format_dict["elapsed"] or 1e-9
            bar.set_postfix_str(
                f"{result.articles} articles, {result.articles / elapsed:.0f} articles/s",
                refresh=False,
            )


SPLIT_ROWS = 20_000
"""A table this long of a long article read with a core to spare is rendered in two processes."""


def _rendered(
    tables: Reading, sink: TableSink, rename: str | None
) -> dict[str, list[Any]] | Exception:
    """Each of a document's tables rendered for ``sink`` (ids changed to ``rename`` when
    given), or the error of the one still read in a child (:func:`article_tables`).

    The tables that are ready are rendered first, while that child still works (and
    long ones in two processes); an article is written whole or not at all.
    """
    out: dict[str, list[Any]] = {}
    split = any(isinstance(rows, Forked) for rows in tables.values())
    try:
        for name, rows in sorted(tables.items(), key=lambda kv: isinstance(kv[1], Forked)):
            if isinstance(rows, Forked):
                try:
                    rows = rows.result()
                except Exception as exc:  # noqa: BLE001 - as process_document records it
                    return exc
            if rename is not None:
                rows = [(rename, *r[1:]) for r in rows]
            out[name] = sink.render(name, rows, split and len(rows) >= SPLIT_ROWS)
    finally:
        for rows in tables.values():
            if isinstance(rows, Forked):
                rows.cancel()
    return {name: out[name] for name in tables}


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _progress_bar(paths: Sequence[Path], progress: bool | None) -> Any:
    """A tqdm bar on stderr counting bytes (so rate and ETA are in MB), or None."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    total = sum(_size(str(p)) for p in paths)
    return tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1000,
        desc=f"extract {len(paths)} docs",
        file=sys.stderr,
        mininterval=0.5,
        smoothing=0.05,
    )
