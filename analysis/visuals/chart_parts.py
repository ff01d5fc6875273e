"""The parts every chart of figures shares: whose figures in words, dates, the frame.

Why: the timeline and dot plots (:mod:`analysis.visuals.charts`) and the
claims chart (:mod:`analysis.visuals.claims`) name whose figures they show,
date a figure, leave restatements out, set title, subtitle and source note,
say when there is nothing to draw, and lay out value and date axes in one way.
Each of these is defined here once, so that the charts agree and neither
chart module reaches into the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.visuals import style

NOTE = (
    "Source: figures found automatically in {n} news article{s} (may contain errors); "
    "each is the claim of the source named, not a verified count. Restatements left out."
)
EMPTY = "No figures of this kind"
SUBJECT_WORDS = {"KP": "North Korean", "RU": "Russian", "UA": "Ukrainian", "US": "US"}


def subject_words(subject: Any) -> str:
    """Whose figure, in words: "North Korean" for KP; the code itself when unknown.

    Examples:
        >>> subject_words("KP"), subject_words("FR"), subject_words("")
        ('North Korean', 'FR', 'whose unstated')
    """
    if not isinstance(subject, str) or not subject:
        return "whose unstated"
    return SUBJECT_WORDS.get(subject, subject)


def category_title(category: str, subject: str | None = "KP") -> str:
    """A category's chart title for one subject's figures, or every side's (``subject`` None).

    Why: the title says whose figures the chart shows, and the chart shows only
    those (see :func:`analysis.visuals.charts.timeline_frame` and
    :func:`analysis.visuals.claims.claims_frame`); a chart of every side says so.

    Examples:
        >>> category_title("troops_deployed"), category_title("killed_or_wounded", "RU")
        ('North Korean troops in Russia, as reported', 'Russian killed or wounded, as reported')
        >>> category_title("troops_deployed", None)
        'Troops deployed, every side, as reported'
    """
    words = category.replace("_", " ")
    if not subject:
        return f"{words.capitalize()}, every side, as reported"
    if category == "troops_deployed" and subject == "KP":
        return "North Korean troops in Russia, as reported"
    return f"{subject_words(subject)} {words}, as reported"


def note_text(figures: pd.DataFrame) -> str:
    """Every chart's source note (:data:`NOTE`), with the number of articles in ``figures``."""
    n = int(figures["article"].nunique()) if len(figures) else 0
    return NOTE.format(n=n, s="" if n == 1 else "s")


def first_statements(figures: pd.DataFrame) -> pd.DataFrame:
    """``figures`` without restatements (``repeat``): the same claim again is no second report."""
    if "repeat" in figures.columns:
        return figures[~figures["repeat"].astype(bool)]
    return figures


def figure_dates(figures: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Date each figure refers to: ``date`` (middle of the as-of period), ``date_from``/``date_to``
    (the period: a day, a month or a year) and ``date_basis`` ('as of' or 'published').

    The as-of date wins; without it the article's publication date stands in.

    Examples:
        >>> f = pd.DataFrame({"article": ["a", "b"], "asof": ["2024-11", ""]})
        >>> a = pd.DataFrame({"article": ["b"], "published": ["2025-03-09"]})
        >>> d = figure_dates(f, a)
        >>> [str(x.date()) for x in d["date"]], list(d["date_basis"])
        (['2024-11-15', '2025-03-09'], ['as of', 'published'])
    """
    published: dict[Any, Any] = {}
    if articles is not None:
        published = dict(zip(articles["article"], articles["published"], strict=True))
    rows = []
    for art, asof in zip(figures["article"], figures["asof"].fillna(""), strict=True):
        text, basis = (str(asof), "as of") if asof else (str(published.get(art) or ""), "published")
        lo, hi = _period(text)
        mid = lo + (hi - lo) / 2 if lo is not pd.NaT else pd.NaT
        rows.append((mid, lo, hi, basis if text else ""))
    out = pd.DataFrame(rows, columns=["date", "date_from", "date_to", "date_basis"])
    out.index = figures.index
    for col in ("date", "date_from", "date_to"):
        out[col] = pd.to_datetime(out[col])
    return out


def _period(text: str) -> tuple[Any, Any]:
    """(start, end) of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; NaT for anything else."""
    try:
        if len(text) == 4:
            return pd.Timestamp(f"{text}-01-01"), pd.Timestamp(f"{text}-12-31")
        if len(text) == 7:
            start = pd.Timestamp(f"{text}-01")
            return start, start + pd.offsets.MonthEnd(0)
        if len(text) == 10:
            return pd.Timestamp(text), pd.Timestamp(text)
    except ValueError:
        pass
    return pd.NaT, pd.NaT


def finish(fig: Figure, title: str, subtitle: str, note: str) -> None:
    """Title, subtitle and source note; placed in inches from the top, so that a short
    figure (an overview of one category) keeps them apart."""
    h = fig.get_figheight()
    top: dict[str, Any] = {"ha": "left", "va": "top"}
    fig.text(0.012, 1 - 0.08 / h, title, **top, fontsize=12, fontweight="bold", gid="title")
    fig.text(0.012, 1 - 0.35 / h, subtitle, **top, fontsize=8.5, color=style.MUTED)
    style.source_note(fig, note)


def empty_chart(title: str, figures: pd.DataFrame) -> Figure:
    """The small figure a chart returns when ``figures`` hold none of its kind (:data:`EMPTY`)."""
    return style.empty_figure(title, EMPTY, note_text(figures))


def date_num(ts: pd.Timestamp) -> float:
    """A date as matplotlib places it along x (days), for placing labels beside points."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(ts))


def value_axis(ax: Axes, f: pd.DataFrame) -> None:
    """Linear value axis from zero (honest proportions) with headroom for arrows and labels."""
    top = float(np.nanmax(np.r_[f["value"], f["high"].fillna(0)]))
    ax.set_ylim(0, top * 1.25)
    ax.yaxis.set_major_formatter(style.THOUSANDS)
    ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)


def date_axis(ax: Axes, f: pd.DataFrame, right: float = 2.6) -> None:
    """Dates along x with a margin; ``right`` pads leave room for labels right of the points."""
    import matplotlib.dates as mdates

    lo, hi = f["date_from"].min(), f["date_to"].max()
    pad = max((hi - lo) * 0.12, pd.Timedelta(days=30))
    ax.set_xlim(lo - pad, hi + right * pad)
    loc = mdates.AutoDateLocator(minticks=4, maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
