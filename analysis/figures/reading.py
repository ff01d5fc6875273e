"""Reported figures: the counts an article gives, what they count, whose they are, who says so.

For every number expression in an article's body (never in its boilerplate)
that is a figure rather than a date, year, caliber or designation (see
:mod:`analysis.figures.numbers`), this module reads from the words around it:

* unit: what is counted (persons, shells, missiles, containers, drones,
  settlements, percent, usd, ...), from the noun after the number ("14,000
  troops", "100 ballistische Raketen"), an "of" phrase ("dozens of drones"),
  the noun before it ("Gesamtzahl der Container auf 20.000") or the sentence;
* category: troops_deployed, reinforcements, killed, wounded,
  killed_or_wounded, missing, captured, munitions, missiles, containers,
  drones, strikes, settlements, share or other, from the unit and from cue
  words in the same clause (reinforcement words outrank casualty words, which
  outrank deployment words; within a class the nearest cue wins);
* subject: whose figure it is (KP, RU, UA, US, ...);
* source and source_kind: who is said to report it ("according to X", "X
  said", "sagte X", "laut X") in the sentence or, when that sentence ends on
  an attribution, the one before; party, third_party, media, expert or
  unattributed;
* asof: the date the figure refers to, read against the publication date.

This module runs the reading article by article and builds the rows; the
readings themselves live beside it: :mod:`~analysis.figures.units` (unit and
category), :mod:`~analysis.figures.subjects`, :mod:`~analysis.figures.attribution`
(source and source_kind), :mod:`~analysis.figures.dates` (asof) and
:mod:`~analysis.figures.sentence_spans` (the sentences, segmented only on body
lines that hold a candidate number, which keeps extraction fast). All
vocabulary is in ``data/figure_terms.json``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from analysis import schema
from analysis.figures import attribution, dates, subjects
from analysis.figures.attribution import Reading, attribute, carry_source, quoted_source
from analysis.figures.figure import Figure, Span, context
from analysis.figures.first_mentions import FirstMentions
from analysis.figures.lexicon import Lexicon, lexicon
from analysis.figures.numbers import NumberMatch, find_numbers
from analysis.figures.sentence_spans import PYSBD_MAX, SentenceIndex, sentences
from analysis.figures.subjects import prefer_named_party, subject, subject_fallback
from analysis.figures.units import CASUALTY_CLASSES, category, nearest_cue, unit_left, unit_right
from analysis.figures.vocabulary import LANGS

__all__ = [
    "EXTRA_COLUMNS",
    "FIGURE_COLUMNS",
    "PYSBD_MAX",
    "QUOTE_MAX",
    "article_figures",
    "extract_figures",
    "lexicon",
]

EXTRA_COLUMNS = ["lang", "vague", "surface", "repeat", "counted"]
"""The figures table's columns after the quote (:mod:`analysis.schema` holds them all)."""
FIGURE_COLUMNS = [c for c in schema.columns("figures") if c not in EXTRA_COLUMNS]
QUOTE_MAX = 1000  # a longer "sentence" (a run-on line) is quoted around its number only


# ---------------------------------------------------------------- per article


def article_figures(
    article: str, text: str, spans: Any, lang: str, published: str = ""
) -> list[dict[str, Any]]:
    """The reported figures of one article, as rows with the :data:`FIGURE_COLUMNS` and extras.

    Args:
        article: the article's id, copied into each row.
        text: the file as read; offsets refer to it.
        spans: the body spans ``(start, end)``; nothing outside them is read.
        lang: 'en' or 'de' (anything else is read as English).
        published: 'YYYY-MM-DD' or '' (relative dates stay unresolved without it).

    Returns:
        One dict per figure, in text order.

    Examples:
        >>> t = "Up to 11,000 North Korean soldiers helped Russia."
        >>> [(r["value"], r["qualifier"], r["unit"], r["category"], r["subject"])
        ...  for r in article_figures("a", t, [(0, len(t))], "en")]
        [(11000.0, 'up_to', 'persons', 'troops_deployed', 'KP')]
    """
    lang = lang if lang in LANGS else "en"
    lex = lexicon(lang)
    # Sentences are read once per article for all their figures; nothing is kept
    # from one article to the next. No step reads more than a figure's sentence and
    # its neighbour, so the time grows with the article, not with its square.
    attribution.sentence_sources.cache_clear()
    subjects.sentence_actors.cache_clear()
    subjects.sentence_names_kp.cache_clear()
    subjects.names_north_korea.cache_clear()
    dates.date_index.cache_clear()
    reading = Reading(FirstMentions(text), text=text)
    figures: list[Figure] = []
    for para, (s, e) in enumerate(_clean_spans(spans, len(text))):
        candidates = [nm for nm in find_numbers(text, lang, s, e) if _maybe_figure(nm, text, lex)]
        if not candidates:
            continue
        line = sentences(text, lang, s, e, candidates)
        where = SentenceIndex(line)
        para_figs: list[Figure] = []
        for k, nm in enumerate(candidates):
            sent = where.containing(nm.start, (s, e))
            nxt = candidates[k + 1].qstart if k + 1 < len(candidates) else e
            fig = Figure(nm, sent, para, next_start=max(nm.end, nxt))
            if _read_figure(fig, text, lex, para_figs):
                para_figs.append(fig)
        sourced: Figure | None = None  # the last figure of the paragraph with a source
        for i, fig in enumerate(para_figs):
            attribute(fig, text, lex, where, reading)
            if not fig.source:
                quoted_source(fig, text, lex, where, reading, (s, e))
            if not fig.source and sourced is not None:
                carry_source(fig, sourced)  # a paragraph names its source once, then goes on
            if fig.source:
                sourced = fig
            _fill_subject(fig, i, text, lex, para_figs)
            fig.asof = dates.asof(text, fig.sent, fig.nm.start, lex.lang, published)
        figures.extend(para_figs)
    return _rows(article, text, lang, figures)


def _fill_subject(fig: Figure, i: int, text: str, lex: Lexicon, para_figs: list[Figure]) -> None:
    """Where nothing next to ``para_figs[i]`` (``fig``) named its side, read it from its
    sentence and source (:func:`analysis.figures.subjects.subject_fallback`); a count of
    persons that turns out North Korean gets its category again."""
    if not fig.subject:
        fig.subject = subject_fallback(fig, text, lex, para_figs[i - 1] if i else None)
    fig.subject = prefer_named_party(fig, text, lex)
    if fig.category == "other" and fig.subject == "KP":
        fig.category = category(fig, text, lex, *context(fig, para_figs[i - 1 : i]))


def _clean_spans(spans: Any, n: int) -> list[Span]:
    """Body spans as sorted, in-bounds integer pairs (bad ones skipped)."""
    out = []
    for span in spans if spans is not None else []:
        try:
            s, e = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        s, e = max(0, s), min(n, e)
        if s < e:
            out.append((s, e))
    return sorted(out)


def _maybe_figure(nm: NumberMatch, text: str, lex: Lexicon) -> bool:
    """A candidate figure: not a non-figure, or a year-like number directly before a unit noun."""
    if not nm.nonfigure:
        return True
    if nm.year_like:
        nxt = re.match(r"\s+", text[nm.end : nm.end + 3])
        return bool(nxt) and bool(lex.unit.match(text, nm.end + 1))
    return False


def _read_figure(fig: Figure, text: str, lex: Lexicon, previous: list[Figure]) -> bool:
    """Fill unit, category and subject; False when the number turns out not to be a figure."""
    nm = fig.nm
    prev = previous[-1] if previous else None
    same_sentence_prev = prev if prev is not None and prev.sent == fig.sent else None
    left, right = context(fig, previous)
    fig.np_end = nm.end
    anaphoric = bool(lex.anaphora.match(text, nm.end, fig.sent[1]))
    if nm.unit:
        fig.unit = nm.unit
        if nm.unit == "percent":
            entry, _s, e, _w = unit_right(text, nm.end, fig.sent[1], lex)
            fig.entry, fig.np_end = entry, e if entry else nm.end
    else:
        entry, ns, ne, word = unit_right(text, nm.end, fig.sent[1], lex)
        if entry is None and not anaphoric:
            entry = unit_left(text, left[0], nm.qstart, lex)
            word = "" if entry is not None else word  # else the noun after it, if any
        else:
            fig.np_end = ne if entry else nm.end
        fig.entry, fig.counted = entry, word
        if entry is not None and entry.get("counts") is False:
            return False  # a distance, not a count
        if entry is not None:
            fig.unit = entry["unit"]
            fig.counted = text[ns:ne] if ns else fig.counted
        elif anaphoric and prev is not None:
            fig.unit, fig.entry = prev.unit, prev.entry
        elif nearest_cue(text, left, right, lex, CASUALTY_CLASSES, 45):
            fig.unit = "persons"
        elif same_sentence_prev is not None and same_sentence_prev.unit == "persons":
            fig.unit, fig.entry = "persons", same_sentence_prev.entry
        elif word and nm.kind == "digits":
            fig.unit = word.lower()
        elif nm.kind != "digits":
            return False
    fig.subject = subject(fig, text, lex, left, right, prev if anaphoric else None)
    fig.category = category(fig, text, lex, left, right)
    return True


# ---------------------------------------------------------------- rows and table


def _num(x: float | None) -> float:
    return float(x) if x is not None and math.isfinite(x) else math.nan


def _quote(text: str, sent: Span, nm: NumberMatch) -> str:
    """The figure's sentence; of a run-on one longer than :data:`QUOTE_MAX`, the part
    around the number, marked with '…' where it is cut (each figure quoting a whole
    run-on line would make the table grow with the square of the line)."""
    s, e = sent
    if e - s <= QUOTE_MAX:
        return text[s:e]
    lo, hi = max(s, nm.start - QUOTE_MAX // 2), min(e, nm.end + QUOTE_MAX // 2)
    return ("…" if lo > s else "") + text[lo:hi].strip() + ("…" if hi < e else "")


def _rows(article: str, text: str, lang: str, figures: list[Figure]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[float, str]] = set()
    for fig in figures:
        nm = fig.nm
        key = (round(nm.value, 6), fig.unit)
        rows.append(
            {
                "article": article,
                "value": _num(nm.value),
                "low": _num(nm.low),
                "high": _num(nm.high),
                "qualifier": nm.qualifier,
                "unit": fig.unit,
                "category": fig.category,
                "subject": fig.subject,
                "source": fig.source,
                "source_entity": fig.source_entity,
                "source_country": fig.source_country,
                "source_kind": fig.source_kind if fig.source else "unattributed",
                "via": fig.via,
                "asof": fig.asof,
                "start": nm.start,
                "end": nm.end,
                "quote": _quote(text, fig.sent, nm),
                "lang": lang,
                "vague": nm.vague,
                "surface": text[nm.start : nm.end],
                "repeat": key in seen,
                "counted": fig.counted,
            }
        )
        seen.add(key)
    return rows


def extract_figures(articles: pd.DataFrame) -> pd.DataFrame:
    """The figures table of an articles table (see :func:`analysis.text.corpus.load_corpus`).

    Returns:
        One row per figure: the :data:`FIGURE_COLUMNS` in that order, then
        :data:`EXTRA_COLUMNS` (lang, vague, surface, repeat: the same value and
        unit already stated earlier in the article; counted: the noun counted).

    Examples:
        >>> from analysis.text.corpus import load_corpus
        >>> fig = extract_figures(load_corpus().articles)
        >>> list(fig.columns[:17]) == FIGURE_COLUMNS, len(fig) > 15
        (True, True)
    """
    rows: list[dict[str, Any]] = []
    for rec in articles.to_dict("records"):
        rows.extend(
            article_figures(
                str(rec.get("article", "")),
                str(rec.get("text", "") or ""),
                rec.get("body_spans") or [],
                str(rec.get("lang", "") or "en"),
                str(rec.get("published", "") or ""),
            )
        )
    out = pd.DataFrame(rows, columns=FIGURE_COLUMNS + EXTRA_COLUMNS)
    for col in ("value", "low", "high"):
        out[col] = out[col].astype("float64")
    for col in ("start", "end"):
        out[col] = out[col].astype("int64")
    return out
