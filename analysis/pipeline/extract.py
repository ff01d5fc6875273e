"""``extract``: a corpus folder in, its tables out, written as the documents stream past.

The corpus is read lazily, one document at a time, and each document's rows are
appended to the tables as soon as they are known, so memory stays flat whatever
the corpus size. Documents are read and parsed in worker processes (``jobs``,
all cores by default) and their rows come back in corpus order, so a parallel
run writes byte for byte what a serial run writes. The same per-document work
runs on a dask.distributed cluster when a scheduler address is given (see
:mod:`analysis.pipeline.distributed`).

Each table is written to a temporary file in the output folder and renamed
into place only when the run completes: an interrupted run leaves the previous
tables untouched.
"""

from __future__ import annotations

import io
import json
import math
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from analysis.figures.reading import EXTRA_COLUMNS, FIGURE_COLUMNS, article_figures
from analysis.pipeline import pools
from analysis.pipeline.outdir import (
    TMP_PREFIX,
    claim,
    safe_csv_writer,
    share_file,
    signals_deferred,
)
from analysis.pipeline.pools import Forked, available_cores, capped_workers, end_with, start_context
from analysis.places.gazetteer import Gazetteer, load_gazetteer
from analysis.places.geoparse import MENTION_COLUMNS, PLACE_COLUMNS, mention_rows
from analysis.settings import DEFAULT, Settings
from analysis.text.corpus import (
    PROBLEM_COLUMNS,
    DocumentError,
    article_row,
    document_paths,
    read_document,
    read_sidecar,
)

ARTICLES_CSV_COLUMNS = [
    "article",
    "title",
    "lang",
    "published",
    "outlet",
    "chars",
    "body_chars",
    "sha256",
]
FIGURE_TABLE_COLUMNS = FIGURE_COLUMNS + EXTRA_COLUMNS
TABLES: dict[str, list[str]] = {
    "articles": ARTICLES_CSV_COLUMNS,
    "problems": PROBLEM_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "places": PLACE_COLUMNS,
    "figures": FIGURE_TABLE_COLUMNS,
}
"""The tables ``extract`` writes, each with its columns in order."""

FORMATS = ("csv", "parquet", "both")
SERIAL_BELOW = 200
"""With the default ``jobs``, a corpus of fewer documents is read in-process: starting
worker processes (each loading the gazetteer) costs more than it saves."""

Row = tuple[Any, ...]
Tables = dict[str, list[Row]]
Reading = dict[str, "list[Row] | Forked"]
"""Per table, its rows, or the child still reading them (see :func:`article_tables`)."""


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


@dataclass
class DocResult:
    """One document's outcome: its problems, and its table rows when it could be read."""

    path: str
    stem: str
    problems: list[Row]
    tables: Reading | None


# ---------------------------------------------------------------- per article


def article_tables(item: dict[str, Any], gaz: Gazetteer, spare_core: bool = False) -> Reading:
    """The rows one article contributes to each table (all but ``problems``).

    ``item`` is an article row as :func:`analysis.text.corpus.iter_corpus` yields it.
    Rows are plain tuples in the columns of :data:`TABLES`, so that they travel
    cheaply between processes and are written without building DataFrames.
    With ``spare_core``, a long article's figures are read in a forked child
    while its places are read here (they are independent of each other), and
    its ``figures`` entry is that child (:class:`analysis.pipeline.pools.Forked`) until
    :func:`settle` waits for it; the rows are the same.
    """
    art, text, lang = str(item["article"]), str(item["text"]), str(item["lang"])
    spans = item["body_spans"]
    read_figures = (figure_rows, art, text, spans, lang, str(item["published"]))
    later = Forked(*read_figures) if spare_core and len(text) >= pools.SPLIT_CHARS else None
    try:
        mentions = mention_rows(art, text, spans, lang, gaz)
    except BaseException:
        if later is not None:
            later.cancel()
        raise
    return {
        "articles": [
            (
                art,
                item["title"],
                item["lang"],
                item["published"],
                item["outlet"],
                len(text),
                len(str(item["body"])),
                item["sha256"],
            )
        ],
        "mentions": mentions,
        "places": place_rows(mentions),
        "figures": later if later is not None else read_figures[0](*read_figures[1:]),
    }


def figure_rows(article: str, text: str, spans: Any, lang: str, published: str) -> list[Row]:
    """The figures table's rows of one article
    (:func:`analysis.figures.reading.article_figures`)."""
    figures = article_figures(article, text, spans, lang, published)
    return [tuple(f[c] for c in FIGURE_TABLE_COLUMNS) for f in figures]


def _round3(x: float) -> float:
    """Round as pandas/numpy ``round(3)`` does (scale, round half to even, unscale).

    Examples:
        >>> _round3(0.5815), _round3(0.99249999)
        (0.582, 0.992)
    """
    return round(x * 1000.0) / 1000.0 if math.isfinite(x) else x


def place_rows(mentions: Sequence[Row]) -> list[Row]:
    """One row per place of an article's mentions: :func:`analysis.places.geoparse.places_table`
    on plain tuples (same rows, same order), without a DataFrame per article.

    Examples:
        >>> m = [("a", 0, 5, "Kursk", "Kursk", 51.7, 36.2, "RU", "city", 1, 1, 0.9, False, "",
        ...       "RU.41", ""), ("a", 9, 14, "Kursk", "Kursk", 51.7, 36.2, "RU", "city", 1, 1,
        ...       0.8, False, "", "RU.41", "")]
        >>> place_rows(m)
        [('a', 'Kursk', 51.7, 36.2, 'RU', 'city', 'RU.41', 2, 'Kursk', 1, 1, 0.85)]
    """
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for m in mentions:
        art, _s, _e, surface, place, lat, lon, country, kind, prec, gid, conf, flagged = m[:13]
        if flagged or place == "":
            continue
        key = (art, place, country, kind, _nan_key(lat), _nan_key(lon))
        g = groups.get(key)
        if g is None:
            groups[key] = [art, place, lat, lon, country, kind, m[14], [surface], prec, gid, [conf]]
        else:
            g[7].append(surface)
            g[10].append(conf)
    rows = [
        (
            *g[:7],
            len(g[10]),
            "|".join(dict.fromkeys(g[7])),
            g[8],
            g[9],
            _round3(math.fsum(g[10]) / len(g[10])),
        )
        for g in groups.values()
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _nan_key(x: Any) -> Any:
    """A grouping key under which every NaN is the same (as pandas ``dropna=False`` has it)."""
    return None if isinstance(x, float) and x != x else x


# ---------------------------------------------------------------- per document


def read_item(
    path: Path,
    root: Path,
    sidecar_row: dict[str, str],
    settings: Settings,
    spare_core: bool = False,
) -> tuple[list[Row], dict[str, Any] | None]:
    """One document read as :func:`analysis.text.corpus.iter_corpus` reads it: (problems, row).

    Duplicate ids across subfolders are settled later, in corpus order, by the caller.
    """
    try:
        doc = read_document(path, settings, root=root)
    except DocumentError as exc:
        return [(str(path), str(exc), "skipped")], None
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a corpus
        return [(str(path), f"unexpected error: {type(exc).__name__}: {exc}", "skipped")], None
    problems: list[Row] = [(str(path), p, a) for p, a in doc.problems]
    return problems, article_row(doc, sidecar_row, spare_core)


def process_document(
    path: Path,
    root: Path,
    sidecar_row: dict[str, str],
    settings: Settings,
    gaz: Gazetteer,
    spare_core: bool = False,
) -> DocResult:
    """Read one document and extract its rows; an extraction error becomes a problem row.

    ``spare_core``: see :func:`article_tables`.
    """
    problems, item = read_item(path, root, sidecar_row, settings, spare_core)
    if item is None:
        return DocResult(str(path), path.stem, problems, None)
    try:
        tables = article_tables(item, gaz, spare_core)
    except Exception as exc:  # noqa: BLE001 - one bad article never stops a corpus
        problems.append((str(path), f"extraction failed: {type(exc).__name__}: {exc}", "skipped"))
        return DocResult(str(path), path.stem, problems, None)
    return DocResult(str(path), path.stem, problems, tables)


Task = tuple[str, list[tuple[str, dict[str, str]]], Settings]
"""A chunk of work: the corpus root, (path, sidecar row) pairs, and the settings."""

_WORKER_GAZ: dict[Settings, Gazetteer] = {}


def _init_worker(settings: Settings, run: int) -> None:
    """Pool initializer: end with the run (process ``run``), load the gazetteer once."""
    end_with(run)
    _WORKER_GAZ[settings] = load_gazetteer(settings)


def process_chunk(task: Task) -> list[DocResult]:
    """Process a chunk of documents (in a worker, a dask task or in-process)."""
    root, docs, settings = task
    gaz = _WORKER_GAZ.get(settings) or load_gazetteer(settings)
    return [process_document(Path(p), Path(root), row, settings, gaz) for p, row in docs]


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
    gaz = _WORKER_GAZ.setdefault(settings, load_gazetteer(settings))
    for root, docs, _ in tasks:
        for path, row in docs:
            yield process_document(Path(path), Path(root), row, settings, gaz, spare_core)


def _pooled(tasks: Iterable[Task], settings: Settings, jobs: int) -> Iterator[DocResult]:
    """Results of a process pool, in task order, with at most ``3 * jobs`` tasks in flight."""
    # Workers fork from a server that has imported the package once.
    ctx: Any = start_context(["analysis.pipeline.extract"])
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(settings, os.getpid())) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(process_chunk, (task,)))
            if len(pending) >= 3 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


Runner = Callable[[Iterable[Task], Settings, int], Iterator[DocResult]]


# ---------------------------------------------------------------- writing


class _CsvTable:
    """A CSV written to a temporary file and renamed into place on commit."""

    def __init__(self, out_dir: Path, name: str, columns: list[str]) -> None:
        self.path = out_dir / f"{name}.csv"
        fd, self.tmp = tempfile.mkstemp(
            dir=out_dir, prefix=f"{TMP_PREFIX}{name}.csv.", suffix=".tmp"
        )
        self.fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        # Text a spreadsheet would evaluate (=HYPERLINK(...) in a title) is written inert.
        self.writer = safe_csv_writer(self.fh)
        self.writer.writerow(columns)

    costly = True  # rendering takes longer than computing the rows of some tables

    def render(self, rows: Sequence[Row]) -> list[str]:
        """The rows as CSV text (the costly part of writing, done before the write)."""
        buffer = io.StringIO(newline="")
        safe_csv_writer(buffer).writerows(rows)
        return [buffer.getvalue()]

    def write_rendered(self, rendered: list[str]) -> None:
        self.fh.writelines(rendered)

    def finish(self) -> None:
        self.fh.close()

    def discard(self) -> None:
        _discard(self.fh.close, self.tmp)


PARQUET_TYPES: dict[str, str] = {
    "chars": "int64",
    "body_chars": "int64",
    "start": "int64",
    "end": "int64",
    "precision": "int64",
    "geonameid": "int64",
    "mentions": "int64",
    "lat": "float64",
    "lon": "float64",
    "confidence": "float64",
    "value": "float64",
    "low": "float64",
    "high": "float64",
    "flagged": "bool_",
    "vague": "bool_",
    "repeat": "bool_",
}
"""Parquet column types; every column not named here is a string."""


class _ParquetTable:
    """A Parquet file written a row group at a time (``rows_per_group`` rows buffered)."""

    def __init__(
        self, out_dir: Path, name: str, columns: list[str], rows_per_group: int = 50_000
    ) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        self.path = out_dir / f"{name}.parquet"
        self.tmp = str(out_dir / f"{TMP_PREFIX}{name}.parquet.{os.getpid()}.tmp")
        self.schema = pa.schema(
            [(c, getattr(pa, PARQUET_TYPES.get(c, "string"))()) for c in columns]
        )
        self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.buffer: list[Row] = []
        self.rows_per_group = rows_per_group
        self.closed = False

    costly = False

    def render(self, rows: Sequence[Row]) -> list[Row]:
        return list(rows)

    def write_rendered(self, rows: list[Row]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.rows_per_group:
            self._flush()

    def _flush(self) -> None:
        cols = list(zip(*self.buffer, strict=True)) if self.buffer else [()] * len(self.schema)
        arrays = [
            self.pa.array(col, type=f.type, from_pandas=True)
            for col, f in zip(cols, self.schema, strict=True)
        ]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.buffer = []

    def finish(self) -> None:
        if self.buffer:
            self._flush()
        self.writer.close()
        self.closed = True

    def discard(self) -> None:
        _discard(self.writer.close if not self.closed else (lambda: None), self.tmp)


class _GeoJsonTable:
    """``places.geojson``: the places as points (EPSG:4326), a feature per line as they come.

    Written directly, without geopandas, so that no places are held in memory
    and a run that writes no map does not pay for importing GDAL.
    """

    def __init__(self, out_dir: Path, columns: list[str]) -> None:
        self.path = out_dir / "places.geojson"
        fd, self.tmp = tempfile.mkstemp(
            dir=out_dir, prefix=f"{TMP_PREFIX}places.geojson.", suffix=".tmp"
        )
        self.fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8")
        self.columns = columns
        self.first = True
        self.fh.write(
            '{\n"type": "FeatureCollection",\n"name": "places",\n"crs": { "type": "name", '
            '"properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } },\n"features": [\n'
        )

    costly = True

    def render(self, rows: Sequence[Row]) -> list[str]:
        """The rows as GeoJSON features, one a line."""
        features = []
        for row in rows:
            props = {c: (None if _is_nan(v) else v) for c, v in zip(self.columns, row, strict=True)}
            lat, lon = props["lat"], props["lon"]
            geom = (
                None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
            )
            feature = {"type": "Feature", "properties": props, "geometry": geom}
            features.append(json.dumps(feature, ensure_ascii=False))
        return features

    def write_rendered(self, rendered: list[str]) -> None:
        if rendered:
            self.fh.write(("" if self.first else ",\n") + ",\n".join(rendered))
            self.first = False

    def finish(self) -> None:
        self.fh.write("\n]\n}\n")
        self.fh.close()

    def discard(self) -> None:
        _discard(self.fh.close, self.tmp)


def _discard(close: Callable[[], object], tmp: str) -> None:
    """Close a writer and remove its temporary file, also when closing fails (a full disk
    fails the flush): the temporary is removed on every path."""
    try:
        close()
    except OSError:
        pass  # the data is being thrown away; only the file's removal matters
    finally:
        Path(tmp).unlink(missing_ok=True)


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and v != v


def _publish(tmp: str, path: Path) -> None:
    share_file(tmp)
    os.replace(tmp, path)


class TableSink:
    """The output tables of a run (CSV, Parquet or both, and the GeoJSON of the places).

    Used as a context manager: leaving it without :meth:`commit` discards every
    temporary file, so the previous tables stay as they were.
    """

    def __init__(self, out_dir: Path, fmt: str = "csv", geojson: bool = True) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        self.writers: dict[str, list[Any]] = {name: [] for name in TABLES}
        self.all: list[Any] = []
        try:
            for name, columns in TABLES.items():
                if fmt in ("csv", "both"):
                    self._add(name, _CsvTable(out_dir, name, columns))
                if fmt in ("parquet", "both"):
                    self._add(name, _ParquetTable(out_dir, name, columns))
            if geojson:
                self._add("places", _GeoJsonTable(out_dir, PLACE_COLUMNS))
        except BaseException:
            self.discard()
            raise
        self.done = False

    def _add(self, name: str, writer: Any) -> None:
        self.writers[name].append(writer)
        self.all.append(writer)

    def write(self, name: str, rows: list[Row]) -> None:
        self.write_rendered(name, self.render(name, rows))

    def render(self, name: str, rows: list[Row], split: bool = False) -> list[Any]:
        """Table ``name``'s rows made ready for each of its writers (CSV text, features),
        so that the costly part of writing can happen while other work goes on; with
        ``split``, a costly rendering is done in two processes (the same text)."""
        if not rows:
            return []
        return [pools.in_halves(w.render, rows, split and w.costly) for w in self.writers[name]]

    def write_rendered(self, name: str, rendered: list[Any]) -> None:
        for w, r in zip(self.writers[name], rendered, strict=False):
            w.write_rendered(r)

    def commit(self) -> list[Path]:
        """Finish every table, then move them all into place; the paths published.

        Finishing (the last writes) is what can fail on a full disk, so no table
        is moved before all are complete.
        """
        for w in self.all:
            w.finish()
        with signals_deferred():
            for w in self.all:
                _publish(w.tmp, w.path)
        self.done = True
        return [w.path for w in self.all]

    def discard(self) -> None:
        for w in self.all:
            w.discard()

    def __enter__(self) -> TableSink:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.done:
            self.discard()


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
        from analysis.pipeline.distributed import scheduler_results

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
