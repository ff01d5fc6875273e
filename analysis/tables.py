"""The one-call entry points: a corpus folder, a DataFrame of articles or one text in,
the tables as DataFrames out (columns and types of :mod:`analysis.schema`).

They build each article's rows through the same path as ``extract`` (the
pipeline's per-article tables), so a notebook and the command line agree row for
row; they just keep the rows in memory instead of writing files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from analysis import schema
from analysis.pipeline.distributed import partition_tables
from analysis.settings import DEFAULT, Settings
from analysis.text.corpus import load_corpus


class Tables(NamedTuple):
    """What a corpus yields: one DataFrame per table of :data:`analysis.schema.TABLES`."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    places: pd.DataFrame
    figures: pd.DataFrame
    problems: pd.DataFrame


def frame(table: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of ``table`` as a DataFrame with the schema's columns and types."""
    df = pd.DataFrame(rows, columns=schema.columns(table))
    return df.astype({c: t for c, t in schema.dtypes(table).items() if t != "string"})


def extract_tables(
    source: str | Path | pd.DataFrame | None = None, settings: Settings = DEFAULT
) -> Tables:
    """Articles, place mentions, places, figures and problems of a corpus, in one call.

    Args:
        source: a corpus folder (the seeds when None), or a DataFrame of articles
            with a ``text`` column and optionally ``article`` (ids; the row
            number when absent), ``lang`` (``en`` when absent), ``published``
            (YYYY-MM-DD), ``title`` and ``outlet``; page furniture is cut from
            each text as from a file (unless it has ``body_spans``).
        settings: options such as the file size limit.

    Raises:
        CorpusError: when the folder is missing or holds no documents.
        ValueError: when a DataFrame has no ``text`` column.

    Examples:
        >>> t = extract_tables()
        >>> len(t.articles), "Kursk Oblast" in set(t.places["place"])
        (5, True)
    """
    if isinstance(source, pd.DataFrame):
        records, problems = _records(source), frame("problems", [])
    else:
        corpus = load_corpus(source, settings)
        records = corpus.articles.to_dict("records")
        problems = frame("problems", list(corpus.problems.itertuples(index=False, name=None)))
    return Tables(**frames(records, settings), problems=problems)


def frames(records: list[dict[str, Any]], settings: Settings = DEFAULT) -> dict[str, pd.DataFrame]:
    """The articles, mentions, places and figures of article records (as
    :func:`analysis.text.corpus.iter_corpus` yields them), as DataFrames."""
    rows = partition_tables(records, settings)
    return {t: frame(t, rows[t]) for t in ("articles", "mentions", "places", "figures")}


def _records(articles: pd.DataFrame) -> list[dict[str, Any]]:
    if "text" not in articles.columns:
        raise ValueError("a DataFrame of articles needs a 'text' column")
    out = []
    for i, rec in enumerate(articles.to_dict("records")):
        rec = {k: ("" if _missing(v) else v) for k, v in rec.items()}
        rec["article"] = str(rec.get("article") or i)
        rec["text"] = str(rec["text"])
        if not rec.get("body_spans"):
            rec["body_spans"] = None  # cut as a file's text is
        out.append(rec)
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def find_places(text: str, lang: str = "en") -> pd.DataFrame:
    """The place mentions of one text (the mentions table).

    Examples:
        >>> m = find_places("North Korean troops fought near Sudzha in Russia's Kursk region.")
        >>> m[["surface", "place", "country"]].values.tolist()[0]
        ['Sudzha', 'Sudzha', 'RU']
    """
    return extract_tables(pd.DataFrame({"text": [text], "lang": [lang]})).mentions


def find_figures(text: str, lang: str = "en", published: str = "") -> pd.DataFrame:
    """The reported figures of one text (the figures table).

    Examples:
        >>> f = find_figures("Up to 11,000 North Korean soldiers helped Russia.")
        >>> f[["value", "qualifier", "category", "subject"]].values.tolist()
        [[11000.0, 'up_to', 'troops_deployed', 'KP']]
    """
    frame_ = pd.DataFrame({"text": [text], "lang": [lang], "published": [published]})
    return extract_tables(frame_).figures
