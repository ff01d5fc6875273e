"""One document's work: read it, build its rows, and turn any failure into a problem row.

The same functions run in-process, in a pool's workers and on a dask cluster's
workers (:mod:`analysis.pipeline.distributed`), a chunk of documents per task.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.pipeline.pools import end_with
from analysis.pipeline.tables import Reading, Row, article_tables
from analysis.places.gazetteer import Gazetteer, load_gazetteer
from analysis.settings import Settings
from analysis.text.document import DocumentError, article_row, read_document


@dataclass
class DocResult:
    """One document's outcome: its problems, and its table rows when it could be read."""

    path: str
    stem: str
    problems: list[Row]
    tables: Reading | None


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

    ``spare_core``: see :func:`analysis.pipeline.tables.article_tables`.
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


def init_worker(settings: Settings, run: int) -> None:
    """Pool initializer: end with the run (process ``run``), load the gazetteer once
    (:func:`analysis.places.gazetteer.load_gazetteer` keeps it for the process)."""
    end_with(run)
    load_gazetteer(settings)


def process_chunk(task: Task) -> list[DocResult]:
    """Process a chunk of documents (in a worker, a dask task or in-process)."""
    root, docs, settings = task
    gaz = load_gazetteer(settings)
    return [process_document(Path(p), Path(root), row, settings, gaz) for p, row in docs]
