"""Sentences with character offsets, for English and German.

Sentence boundaries come from pysbd, a rule-based segmenter that knows each
language's abbreviations ("U.S.", "Gen.", "z. B."), decimals and thousands
("5.8 million", German "7.000") and quotes. pysbd returns strings; this module
maps them back to offsets into the original text, so that a figure's quote and
a place's sentence point at where they stand in the file.

Segmentation runs per body span (a line of the article), which is both what
news text looks like and what keeps it fast enough: a sentence never crosses
a paragraph break.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

Span = tuple[int, int]
SUPPORTED = ("en", "de")


@lru_cache(maxsize=8)  # one per language met; bounded
def _segmenter(lang: str):  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language=lang if lang in SUPPORTED else "en", clean=False)


def split_sentences(
    text: str, lang: str = "en", start: int = 0, end: int | None = None
) -> list[Span]:
    """Sentence spans of ``text[start:end]``, as offsets into ``text``, whitespace trimmed.

    Examples:
        >>> t = "Rob Lee, a former U.S. marine, spoke. It delivered 5.8 million shells."
        >>> [t[s:e] for s, e in split_sentences(t)]
        ['Rob Lee, a former U.S. marine, spoke.', 'It delivered 5.8 million shells.']
        >>> t = "Etwa 7.000 Container, z. B. Munition, kamen an. Das sagte er."
        >>> [t[s:e] for s, e in split_sentences(t, "de")]
        ['Etwa 7.000 Container, z. B. Munition, kamen an.', 'Das sagte er.']
    """
    end = len(text) if end is None else end
    chunk = text[start:end]
    if not chunk.strip():
        return []
    spans: list[Span] = []
    cursor = 0
    for piece in _segmenter(lang).segment(chunk):
        stripped = piece.strip()
        if not stripped:
            continue
        at = chunk.find(stripped, cursor)
        if at < 0:  # pysbd altered the text; fall back to its length
            at = cursor
        spans.append((start + at, start + at + len(stripped)))
        cursor = at + len(stripped)
    return spans


def sentences(text: str, spans: Iterable[Span], lang: str = "en") -> list[Span]:
    """Sentence spans of every body span of a document, in order."""
    out: list[Span] = []
    for s, e in spans:
        out.extend(split_sentences(text, lang, s, e))
    return out


def sentence_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of each article's body: ``article, n, start, end, sentence``."""
    rows = []
    for art in articles.itertuples(index=False):
        for n, (s, e) in enumerate(sentences(art.text, art.body_spans, art.lang)):
            rows.append((art.article, n, s, e, art.text[s:e]))
    return pd.DataFrame(rows, columns=["article", "n", "start", "end", "sentence"])
