"""The claims chart and the table it is drawn from: who claims what, when.

Why: a figure is one source's claim, and sources disagree and revise. The
claims chart (:func:`claims`) keeps each claimant's claims of one category
together over time, so that competing estimates stand side by side; the
reports' claims table shows the same rows (:func:`claims_frame`), so that the
table and the chart agree. Qualifiers are drawn as in every chart of figures
(see :mod:`analysis.visuals.glyphs`); the title, dates, source note and axes
are those of :mod:`analysis.visuals.chart_parts`. Restatements (``repeat``)
are left out.

:func:`claims` returns a :class:`matplotlib.figure.Figure` (built without
pyplot) and, given no claims of the kind, a small figure that says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analysis.schema import CATEGORIES
from analysis.visuals import glyphs, style
from analysis.visuals.chart_parts import (
    category_title,
    date_axis,
    date_num,
    empty_chart,
    figure_dates,
    finish,
    first_statements,
    note_text,
    subject_words,
    value_axis,
)

CLAIM_WORDS = {
    "approx": "about",
    "more_than": "more than",
    "at_least": "at least",
    "up_to": "up to",
    "at_most": "at most",
}
CLAIM_COLUMNS = [
    "category",
    "subject",
    "claimant",
    "claim",
    "qualifier",
    "value",
    "low",
    "high",
    "unit",
    "asof",
    "date",
    "date_from",
    "date_to",
    "date_basis",
    "article",
]


def claim_text(
    qualifier: str, value: float, low: Any = None, high: Any = None, unit: str = ""
) -> str:
    """A figure as a claim reads: "11,000", "about 14,000", "10,000–12,000", "more than 3,000".

    Examples:
        >>> claim_text("range", 12000, 10000, 12000), claim_text("more_than", 3000, 3000)
        ('10,000–12,000', 'more than 3,000')
        >>> claim_text("up_to", 12000), claim_text("exact", 11000)
        ('up to 12,000', '11,000')
        >>> claim_text("approx", 40, unit="percent")
        'about 40%'
    """
    pct = "%" if unit == "percent" else ""
    if qualifier == "range" and pd.notna(low) and pd.notna(high) and low != high:
        return f"{style.thousands(low)}–{style.thousands(high)}{pct}"
    return f"{CLAIM_WORDS.get(qualifier, '')} {style.thousands(value)}{pct}".strip()


def claims_frame(
    figures: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    *,
    category: str | None = None,
    subject: str | None = None,
) -> pd.DataFrame:
    """Who claims what, when: one row per figure with a value, restatements left out.

    Of ``category`` and of ``subject`` (None: every one). Columns
    :data:`CLAIM_COLUMNS`: ``claimant`` is the source entity, else the source as
    written, else "unattributed" (:func:`glyphs.claimant`); ``claim`` the value
    or interval in words (:func:`claim_text`); ``date`` and its period as
    :func:`~analysis.visuals.chart_parts.figure_dates` gives them (empty when the
    figure has no date at all).
    Sorted by category (in :data:`analysis.schema.CATEGORIES` order), claimant,
    date (as of, else published; undated last) and article. The claims chart
    and the reports' claims table are both drawn from it.

    Examples:
        >>> f = pd.DataFrame({"article": ["a", "a", "b"], "value": [12000.0, 12000.0, 3000.0],
        ...     "low": [10000.0, 10000.0, 3000.0], "high": [12000.0, 12000.0, None],
        ...     "qualifier": ["range", "range", "more_than"], "unit": ["persons"] * 3,
        ...     "category": ["troops_deployed"] * 2 + ["killed"], "subject": ["KP"] * 3,
        ...     "source": ["spy agency", "spy agency", ""], "source_entity": ["NIS", "NIS", ""],
        ...     "asof": ["2024-11", "2024-11", ""], "repeat": [False, True, False]})
        >>> claims_frame(f)[["category", "claimant", "claim"]].values.tolist()
        [['troops_deployed', 'NIS', '10,000–12,000'], ['killed', 'unattributed', 'more than 3,000']]
    """
    f = first_statements(figures).reset_index(drop=True)  # any index, even a repeated one
    f = f[f["value"].notna()]
    if category is not None:
        f = f[f["category"] == category]
    if subject:
        f = f[f["subject"] == subject]
    if f.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    text = [
        claim_text(r.qualifier, r.value, r.low, r.high, r.unit)
        for r in f[["qualifier", "value", "low", "high", "unit"]].itertuples(index=False)
    ]
    f = f.assign(claimant=glyphs.claimants(f), claim=text, **figure_dates(f, articles))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    keys = pd.DataFrame(
        {
            "rank": f["category"].map(lambda c: order.get(c, len(order))),
            "category": f["category"],
            "who": f["claimant"].str.casefold(),
            "undated": f["date"].isna(),
            "date": f["date"],
            "article": f["article"],
        },
        index=f.index,
    )
    keys = keys.sort_values(list(keys.columns), kind="stable")
    return f.loc[keys.index, CLAIM_COLUMNS].reset_index(drop=True)


def claim_categories(figures: pd.DataFrame, subject: str | None = "KP") -> list[str]:
    """The categories with at least one claim of ``subject``, in :data:`CATEGORIES` order."""
    return list(dict.fromkeys(claims_frame(figures, subject=subject)["category"]))


def claims(
    figures: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    category: str = "troops_deployed",
    *,
    subject: str | None = "KP",
) -> Figure:
    """Each source's claims of one category over time: competing estimates side by side.

    Why: a figure is one source's claim, and sources disagree and revise. Here
    each claimant (source entity, see :func:`claims_frame`) keeps one colour and
    marker, and a thin line joins its claims in date order, so that an agency's
    estimate rising from one date to the next shows as a line going up, while
    another's estimate of the same month stands beside it.

    Args:
        figures: the figures table.
        articles: the articles table; its ``published`` dates place claims without an as-of date.
        category: which category to chart.
        subject: whose figures (default North Korean); None for every side, and then
            each source's key entry says whose figures it gives.

    x is the date a claim refers to (a thin horizontal bar spans a month or
    year), else the publication date; y the value from zero. A range is a
    vertical bar from low to high, "more than"/"at least" an arrow up, "up
    to"/"at most" an arrow down, an exact value a filled marker and an
    approximate one a hollow marker. Claims of one date are set a little apart.
    Shares (percent) are no counts: left out and counted in the subtitle.
    Unattributed claims share a marker but no line (they need not be one source's).
    """
    title = category_title(category, subject).removesuffix(", as reported")
    title += ": who claims what, when"
    f = claims_frame(figures, articles, category=category, subject=subject)
    f = f[f["date"].notna()]
    shares = int((f["unit"] == "percent").sum())
    f = f[f["unit"] != "percent"].reset_index(drop=True)
    if f.empty and shares:
        message = f"Only percentages ({shares}): a share is no count, not drawn here"
        return style.empty_figure(title, message, note_text(figures))
    if f.empty:
        return empty_chart(title, figures)
    several = not subject and f["subject"].nunique() > 1
    if several:  # one source may give several sides' figures: one series per side
        who = f["claimant"].map(lambda c: glyphs.shorten(c, 20)) + " · "
        who += f["subject"].map(subject_words)
    else:
        who = f["claimant"].map(glyphs.shorten)
    return _claims_figure(f.assign(who=who), title, figures, shares=shares, several=several)


def _claims_figure(
    f: pd.DataFrame, title: str, figures: pd.DataFrame, *, shares: int, several: bool
) -> Figure:
    styles = glyphs.source_markers(list(f["who"]))
    x = _dodged(f["date"])
    centre = f["value"].where(f["qualifier"] != "range", (f["low"] + f["high"]) / 2)
    centre = centre.fillna(f["value"])
    with style.context():
        fig = Figure(figsize=(9, 5.4))
        ax = fig.add_axes((0.1, 0.13, 0.6, 0.7))
        for name, group in f.groupby("who", sort=False):
            unattributed = group["claimant"].eq(glyphs.UNATTRIBUTED).all()
            if group["date"].nunique() > 1 and not unattributed:
                xs, ys = _trend(group["date"], x[group.index], centre[group.index])
                colour = styles[name][1]
                ax.plot(xs, ys, color=colour, lw=1, alpha=0.55, zorder=3, gid=f"trend:{name}")
        for i, row in enumerate(f.itertuples()):
            marker, colour = styles[row.who]
            if row.date_to > row.date_from:
                ax.hlines(centre[i], row.date_from, row.date_to, color=colour, lw=1, alpha=0.5)
            glyphs.draw_value(ax, x[i], 0, row, marker, colour, vertical=True, gid=f"claim{i}")
        value_axis(ax, f)
        if ax.get_ylim()[1] >= 1_000_000:  # "7,000,000" ticks would push the axis label out
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: style.compact(v)))
        span = f.assign(date_from=f["date_from"].clip(upper=x.min()), date_to=f["date_to"])
        date_axis(ax, span.assign(date_to=span["date_to"].clip(lower=x.max())), right=1.0)
        _value_labels(ax, f, x)
        glyphs.source_legend(ax, styles, title="Source · whose figures" if several else "Source")
        glyphs.qualifier_key(ax, set(f["qualifier"]))
        units = sorted(set(f["unit"]))
        ax.set_ylabel(f"Reported number ({units[0]})" if len(units) == 1 else "Reported number")
        ax.set_xlabel("Date the claim refers to (else date published)")
        finish(fig, title, _claims_subtitle(f, shares), note_text(figures))
    return fig


def _value_labels(ax: Axes, f: pd.DataFrame, x: pd.Series) -> None:
    """Each claim's value (a range's low–high) just right of its marker (gids ``value0``...),
    moved up or down where labels of close claims would overlap."""
    from adjustText import adjust_text
    from matplotlib.patheffects import withStroke

    lo, hi = ax.get_xlim()
    gap = (hi - lo) * 0.012  # in days (matplotlib's date unit)
    texts = [
        ax.text(
            date_num(when) + gap,
            row.value,
            row.claim if row.qualifier == "range" else style.compact(row.value),
            fontsize=7,
            va="center",
            ha="left",
            zorder=4.5,  # over the lines, under the markers
            path_effects=[withStroke(linewidth=2.5, foreground="white")],
            gid=f"value{i}",
        )
        for i, (when, row) in enumerate(zip(x, f.itertuples(), strict=True))
    ]
    adjust_text(
        texts,
        x=[*x.map(date_num)],
        y=[*f["value"]],
        ax=ax,
        iter_lim=300,
        expand=(1.15, 1.6),
        only_move={"text": "y", "static": "y", "explode": "y", "pull": "y"},
        arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5},
    )


def _claims_subtitle(f: pd.DataFrame, shares: int) -> str:
    """How many claims, sources and articles; what the lines and bars mean."""

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    first = (
        f"{n(len(f), 'claim')} by {n(f['claimant'].nunique(), 'source')} "
        f"in {n(f['article'].nunique(), 'article')}"
    )
    published = int((f["date_basis"] == "published").sum())
    if published:
        first += f"; {published} dated by publication"
    if shares:
        first += f"; {n(shares, 'percentage')} not shown"
    return (
        f"{first}\na line joins one source's claims in date order; "
        "a thin horizontal bar spans the month or year a claim refers to"
    )


def _trend(dates: pd.Series, x: pd.Series, y: pd.Series) -> tuple[list[Any], list[float]]:
    """The line through one source's claims in date order, broken between two claims of
    the same date: two claims made at once are two things counted, not a change."""
    xs: list[Any] = []
    ys: list[float] = []
    order = pd.DataFrame({"d": dates, "x": x, "y": y}).sort_values(["d", "y"], kind="stable")
    previous = None
    for d, xi, yi in order.itertuples(index=False):
        if previous is not None and d == previous:
            xs.append(xi)
            ys.append(np.nan)  # matplotlib leaves a gap at a missing value
        xs.append(xi)
        ys.append(float(yi))
        previous = d
    return xs, ys


def _dodged(dates: pd.Series) -> pd.Series:
    """``dates`` with claims of one date spread a little apart (centred on the date),
    so that competing estimates of one day stand side by side instead of on top."""
    step = max((dates.max() - dates.min()) * 0.025, pd.Timedelta(days=3))
    out = dates.copy()
    for _date, group in dates.groupby(dates, sort=False):
        for k, i in enumerate(group.index):
            out[i] = dates[i] + step * (k - (len(group) - 1) / 2)
    return out
