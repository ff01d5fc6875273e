"""The rows one article contributes to each table ``extract`` writes, as plain tuples.

One function builds an article's rows (:func:`article_tables`), whichever way the
run goes (in-process, a pool of workers, a dask cluster), so every way writes the
same rows. The tables and their columns come from :mod:`analysis.schema`.
"""

from __future__ import annotations

from typing import Any

from analysis import schema
from analysis.figures.reading import article_figures
from analysis.pipeline import pools
from analysis.pipeline.pools import Forked
from analysis.places.gazetteer import Gazetteer
from analysis.places.geoparse import mention_rows, place_rows

TABLES: dict[str, list[str]] = {
    name: schema.columns(name) for name in ("articles", "problems", "mentions", "places", "figures")
}
"""The tables ``extract`` writes, each with its columns in order (from :mod:`analysis.schema`)."""

FIGURE_TABLE_COLUMNS = TABLES["figures"]

Row = tuple[Any, ...]
Tables = dict[str, list[Row]]
Reading = dict[str, "list[Row] | Forked"]
"""Per table, its rows, or the child still reading them (see :func:`article_tables`)."""


def article_tables(item: dict[str, Any], gaz: Gazetteer, spare_core: bool = False) -> Reading:
    """The rows one article contributes to each table (all but ``problems``).

    ``item`` is an article row as :func:`analysis.text.corpus.iter_corpus` yields it.
    Rows are plain tuples in the columns of :data:`TABLES`, so that they travel
    cheaply between processes and are written without building DataFrames.
    With ``spare_core``, a long article's figures are read in a forked child
    while its places are read here (they are independent of each other), and
    its ``figures`` entry is that child (:class:`analysis.pipeline.pools.Forked`) until
    the run waits for it (:mod:`analysis.pipeline.extract`); the rows are the same.
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
