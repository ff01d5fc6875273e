"""``extract``: a corpus folder in, its tables out, written as the documents stream past.

Each table is written to a temporary file in the output folder, one article at a
time, and renamed into place only when the run completes: an interrupted run
leaves the previous tables untouched.
"""

from __future__ import annotations

import csv
import os
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from analysis.corpus import PROBLEM_COLUMNS, articles_summary, iter_corpus
from analysis.figures import EXTRA_COLUMNS, FIGURE_COLUMNS, article_figures
from analysis.gazetteer import load_gazetteer
from analysis.geoparse import MENTION_COLUMNS, PLACE_COLUMNS, article_mentions, places_table
from analysis.settings import DEFAULT, Settings

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


@dataclass
class ExtractResult:
    """What an extraction wrote: counts and the problems met."""

    out_dir: Path
    articles: int = 0
    problems: int = 0
    problem_rows: list[tuple[str, str, str]] = field(default_factory=list)


class _TableWriter:
    """A CSV written to a temporary file and renamed into place on commit."""

    def __init__(self, out_dir: Path, name: str, columns: list[str]) -> None:
        self.path = out_dir / name
        fd, self.tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        self.fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.fh)
        self.writer.writerow(columns)
        self.columns = columns

    def write(self, frame: pd.DataFrame) -> None:
        self.writer.writerows(frame[self.columns].itertuples(index=False, name=None))

    def commit(self) -> None:
        self.fh.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.fh.close()
        Path(self.tmp).unlink(missing_ok=True)


def extract_corpus(
    corpus_dir: str | Path, out_dir: str | Path, settings: Settings = DEFAULT
) -> ExtractResult:
    """Read ``corpus_dir`` and write its tables into ``out_dir``.

    Tables: ``articles.csv``, ``problems.csv``, ``mentions.csv`` (every place
    mention, organisations flagged), ``places.csv`` (one row per place per
    article), ``places.geojson`` (the same, as points in EPSG:4326) and
    ``figures.csv`` (every reported figure with its qualifier, category,
    subject, source and date).

    Raises:
        CorpusError: when the folder is missing or holds no documents (nothing is written).
    """
    out = Path(out_dir)
    items = iter_corpus(corpus_dir, settings)
    first = next(items)  # raises CorpusError before any output exists
    out.mkdir(parents=True, exist_ok=True)
    result = ExtractResult(out)
    gaz = load_gazetteer(settings)
    all_places: list[pd.DataFrame] = []
    with ExitStack() as stack:
        articles = _TableWriter(out, "articles.csv", ARTICLES_CSV_COLUMNS)
        problems = _TableWriter(out, "problems.csv", PROBLEM_COLUMNS)
        mentions = _TableWriter(out, "mentions.csv", MENTION_COLUMNS)
        places = _TableWriter(out, "places.csv", PLACE_COLUMNS)
        figures = _TableWriter(out, "figures.csv", FIGURE_COLUMNS + EXTRA_COLUMNS)
        writers = [articles, problems, mentions, places, figures]
        stack.callback(lambda: [w.discard() for w in writers if not w.fh.closed])
        for item in _chain(first, items):
            if isinstance(item, tuple):
                result.problems += 1
                result.problem_rows.append(item)
                problems.write(pd.DataFrame([item], columns=PROBLEM_COLUMNS))
                continue
            result.articles += 1
            articles.write(articles_summary(pd.DataFrame([item])))
            found = article_mentions(
                str(item["article"]), str(item["text"]), item["body_spans"], str(item["lang"]), gaz
            )
            mentions.write(found)
            table = places_table(found)
            places.write(table)
            all_places.append(table)
            figures.write(
                pd.DataFrame(
                    article_figures(
                        str(item["article"]),
                        str(item["text"]),
                        item["body_spans"],
                        str(item["lang"]),
                        str(item["published"]),
                    ),
                    columns=FIGURE_COLUMNS + EXTRA_COLUMNS,
                )
            )
        write_geojson(out / "places.geojson", all_places)
        for w in writers:
            w.commit()
    return result


def write_geojson(path: Path, tables: list[pd.DataFrame]) -> None:
    """The places as GeoJSON points (EPSG:4326), written aside and renamed into place."""
    from analysis.geoparse import places_geodataframe

    frames = [t for t in tables if not t.empty]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PLACE_COLUMNS)
    tmp = path.with_name(f".{path.name}.tmp")
    places_geodataframe(table).to_file(tmp, driver="GeoJSON", engine="pyogrio", layer="places")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _chain(first, rest):  # type: ignore[no-untyped-def]
    yield first
    yield from rest
