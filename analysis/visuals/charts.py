"""Charts of the figures the articles report: timelines, casualties, munitions, an overview.

Why: a figure quoted in a briefing needs its source, its date and its
qualifier beside it. Every chart here draws qualifiers honestly (see
:mod:`analysis.visuals.glyphs`): an arrow up for "more than"/"at least", down
for "up to"/"at most", a bar for a range, a hollow marker for an approximate
value, a filled one for an exact value. Colours are Okabe-Ito, axes carry thousands
separators, each chart has a source note. Restated figures (``repeat``) are
left out: they are the same claim again, not a second report.

Every function returns a :class:`matplotlib.figure.Figure` (built without
pyplot) and, given no figures of the kind, a small figure that says so.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from analysis.schema import CASUALTY_CATEGORIES, CATEGORIES, SUPPLY_CATEGORIES
from analysis.visuals import glyphs, style

# Supplies, and "other" figures that count things (the persons among them are left out).
MUNITION_CATEGORIES = (*SUPPLY_CATEGORIES, "other")
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
    those (see :func:`timeline_frame`); a chart of every side says so.

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


def _note(figures: pd.DataFrame) -> str:
    n = int(figures["article"].nunique()) if len(figures) else 0
    return NOTE.format(n=n, s="" if n == 1 else "s")


def _first_statements(figures: pd.DataFrame) -> pd.DataFrame:
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


def _finish(fig: Figure, title: str, subtitle: str, note: str) -> None:
    """Title, subtitle and source note; placed in inches from the top, so that a short
    figure (an overview of one category) keeps them apart."""
    h = fig.get_figheight()
    top: dict[str, Any] = {"ha": "left", "va": "top"}
    fig.text(0.012, 1 - 0.08 / h, title, **top, fontsize=12, fontweight="bold", gid="title")
    fig.text(0.012, 1 - 0.35 / h, subtitle, **top, fontsize=8.5, color=style.MUTED)
    style.source_note(fig, note)


def _empty(title: str, figures: pd.DataFrame) -> Figure:
    return style.empty_figure(title, EMPTY, _note(figures))


# ------------------------------------------------------------------ timeline


def timeline_frame(
    figures: pd.DataFrame,
    category: str = "troops_deployed",
    articles: pd.DataFrame | None = None,
    *,
    subject: str | None = "KP",
) -> pd.DataFrame:
    """The figures :func:`timeline` draws: first statements of ``category`` with a value, of
    ``subject`` only (None: every subject), dated (:func:`figure_dates`), oldest first.

    Examples:
        >>> f = pd.DataFrame({"article": ["a", "a"], "value": [10000.0, 30000.0],
        ...     "category": ["troops_deployed"] * 2, "subject": ["KP", "UA"],
        ...     "asof": ["2024-11", "2025-01"], "repeat": [False, False]})
        >>> list(timeline_frame(f)["value"]), list(timeline_frame(f, subject=None)["value"])
        ([10000.0], [10000.0, 30000.0])
    """
    f = _first_statements(figures).reset_index(drop=True)  # any index, even a repeated one
    f = f[(f["category"] == category) & f["value"].notna()]
    if subject:
        f = f[f["subject"] == subject]
    if f.empty:
        return f.assign(date=pd.Series(dtype="datetime64[ns]"))
    f = f.assign(**figure_dates(f, articles)).dropna(subset=["date"])
    return f.sort_values(["date", "value"], kind="stable")


def timeline(
    figures: pd.DataFrame,
    category: str = "troops_deployed",
    articles: pd.DataFrame | None = None,
    *,
    subject: str | None = "KP",
) -> Figure:
    """Reported values of one category over time, one marker style per source.

    Args:
        figures: the figures table (:func:`analysis.figures.reading.extract_figures`).
        category: which category to chart.
        articles: the articles table; its ``published`` dates place figures without an as-of date.
        subject: whose figures (default North Korean); None for every side, and then each
            label says whose figure it is.

    x is the date the figure refers to (its as-of period, drawn as a thin bar
    when it is a month or a year), else the publication date (marked "published").
    Figures without any date are left out.
    """
    title = category_title(category, subject)
    f = timeline_frame(figures, category, articles, subject=subject)
    if f.empty:
        return _empty(title, figures)
    return _timeline_figure(f, title, figures, whose=not subject)


def _timeline_figure(f: pd.DataFrame, title: str, figures: pd.DataFrame, *, whose: bool) -> Figure:
    from adjustText import adjust_text

    with style.context():
        fig = Figure(figsize=(9, 5.4))
        ax = fig.add_axes((0.09, 0.13, 0.64, 0.72))
        styles = glyphs.source_markers([glyphs.source_name(r) for r in f.itertuples()])
        texts = []
        for i, row in enumerate(f.itertuples()):
            marker, colour = styles[glyphs.source_name(row)]
            if row.date_to > row.date_from:
                ax.hlines(row.value, row.date_from, row.date_to, color=colour, lw=1, alpha=0.6)
            glyphs.draw_value(ax, row.date, 0, row, marker, colour, vertical=True, gid=f"point{i}")
            when = "" if row.date_basis == "as of" else " (published)"
            value = style.thousands(row.value)
            if whose:  # every side in one chart: each label says whose figure it is
                value = f"{value} ({subject_words(row.subject)})"
            texts.append(
                ax.text(
                    row.date + pd.Timedelta(days=5),
                    row.value,
                    f"{glyphs.source_name(row)}{when}\n{value}",
                    fontsize=7.5,
                    va="center",
                    ha="left",
                    multialignment="left",
                    gid=f"label{i}",
                )
            )
        _value_axis(ax, f)
        _date_axis(ax, f)
        adjust_text(
            texts,
            x=[*f["date"].map(_num)],
            y=[*f["value"]],
            ax=ax,
            iter_lim=150,
            expand=(1.1, 1.3),
            only_move={"text": "y", "static": "y", "explode": "y", "pull": "y"},
            arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5},
        )
        glyphs.source_legend(ax, styles)
        glyphs.qualifier_key(ax, set(f["qualifier"]))
        ax.set_ylabel(
            "Reported number (persons)" if (f["unit"] == "persons").all() else "Reported number"
        )
        ax.set_xlabel("Date the figure refers to (else date published)")
        _finish(
            fig,
            title,
            f"{len(f)} figures from {f['article'].nunique()} articles; a thin "
            "horizontal bar spans the month or year a figure refers to",
            _note(figures),
        )
    return fig


def _num(ts: pd.Timestamp) -> float:
    import matplotlib.dates as mdates

    return float(mdates.date2num(ts))


def _value_axis(ax: Axes, f: pd.DataFrame) -> None:
    """Linear value axis from zero (honest proportions) with headroom for arrows and labels."""
    top = float(np.nanmax(np.r_[f["value"], f["high"].fillna(0)]))
    ax.set_ylim(0, top * 1.25)
    ax.yaxis.set_major_formatter(style.THOUSANDS)
    ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    ax.set_axisbelow(True)


def _date_axis(ax: Axes, f: pd.DataFrame, right: float = 2.6) -> None:
    """Dates along x with a margin; ``right`` pads leave room for labels right of the points."""
    import matplotlib.dates as mdates

    lo, hi = f["date_from"].min(), f["date_to"].max()
    pad = max((hi - lo) * 0.12, pd.Timedelta(days=30))
    ax.set_xlim(lo - pad, hi + right * pad)
    loc = mdates.AutoDateLocator(minticks=4, maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


# ------------------------------------------------------------------ claims

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
    :func:`figure_dates` gives them (empty when the figure has no date at all).
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
    f = _first_statements(figures).reset_index(drop=True)  # any index, even a repeated one
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
        return style.empty_figure(title, message, _note(figures))
    if f.empty:
        return _empty(title, figures)
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
        _value_axis(ax, f)
        if ax.get_ylim()[1] >= 1_000_000:  # "7,000,000" ticks would push the axis label out
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: style.compact(v)))
        span = f.assign(date_from=f["date_from"].clip(upper=x.min()), date_to=f["date_to"])
        _date_axis(ax, span.assign(date_to=span["date_to"].clip(lower=x.max())), right=1.0)
        _value_labels(ax, f, x)
        glyphs.source_legend(ax, styles, title="Source · whose figures" if several else "Source")
        glyphs.qualifier_key(ax, set(f["qualifier"]))
        units = sorted(set(f["unit"]))
        ax.set_ylabel(f"Reported number ({units[0]})" if len(units) == 1 else "Reported number")
        ax.set_xlabel("Date the claim refers to (else date published)")
        _finish(fig, title, _claims_subtitle(f, shares), _note(figures))
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
            _num(when) + gap,
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
        x=[*x.map(_num)],
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


# ------------------------------------------------------------------ dot plots


def _dot_plot(
    f: pd.DataFrame,
    title: str,
    subtitle: str,
    figures: pd.DataFrame,
    *,
    log: bool,
    group: str,
    label_of: Any,
) -> Figure:
    """One row per figure, grouped; value along x; marker per source; qualifier glyphs."""
    f = f.sort_values([group, "value"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )
    styles = glyphs.source_markers([glyphs.source_name(r) for r in f.itertuples()])
    height = 1.6 + 0.36 * len(f) + 0.2 * f[group].nunique()
    with style.context():
        fig = Figure(figsize=(9, max(height, 3.4)))
        top = 1 - 0.85 / fig.get_figheight()
        bottom = 0.75 / fig.get_figheight()
        ax = fig.add_axes((0.34, bottom, 0.4, top - bottom))
        ys, labels, y, prev = [], [], 0.0, None
        for row in f.itertuples():
            if prev is not None and getattr(row, group) != prev:
                y += 0.6
                ax.axhline(-(y - 0.8), color="#dddddd", lw=0.6)
            prev = getattr(row, group)
            ys.append(-y)
            labels.append(label_of(row))
            y += 1
        for i, row in enumerate(f.itertuples()):
            marker, colour = styles[glyphs.source_name(row)]
            glyphs.draw_value(ax, 0, ys[i], row, marker, colour, vertical=False, gid=f"point{i}")
            ax.annotate(
                style.compact(row.value),
                (row.value, ys[i]),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color=style.INK,
            )
        ax.set_yticks(ys, labels)
        ax.set_ylim(min(ys) - 0.8, 0.9)
        ax.grid(axis="x", color="#e5e5e5", lw=0.6)
        ax.set_axisbelow(True)
        lo, hi = float(f["value"].min()), float(np.nanmax(np.r_[f["value"], f["high"].fillna(0)]))
        if log:
            ax.set_xscale("log")
            ax.set_xlim(10 ** np.floor(np.log10(max(lo, 1)) - 0.3), 10 ** (np.log10(hi) + 0.6))
            ax.xaxis.set_major_locator(LogLocator(base=10, numticks=12))
        else:
            ax.set_xlim(0, hi * 1.3)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: style.compact(v)))
        ax.set_xlabel(
            "Reported number"
            + (" (log scale; M = million)" if log and hi >= 1e6 else " (log scale)" if log else "")
        )
        glyphs.source_legend(ax, styles)
        glyphs.qualifier_key(ax, set(f["qualifier"]), loc="lower left", anchor=(1.01, 0.0))
        _finish(fig, title, subtitle, _note(figures))
    return fig


def casualties(figures: pd.DataFrame, articles: pd.DataFrame | None = None) -> Figure:
    """Reported casualties by kind (killed, wounded, killed or wounded), subject and source."""
    title = "Casualties, as reported"
    f = _first_statements(figures)
    f = f[f["category"].isin(CASUALTY_CATEGORIES) & f["value"].notna()]
    if f.empty:
        return _empty(title, figures)
    dates = figure_dates(f, articles)
    f = f.assign(when=dates["date"].dt.strftime("%Y-%m").fillna(""), basis=dates["date_basis"])

    def label(row: Any) -> str:
        who = subject_words(row.subject)
        kind = str(row.category).replace("_", " ")
        return f"{who} {kind}\n{glyphs.source_name(row)}, {row.when or 'undated'}"

    log = f["value"].max() / max(f["value"].min(), 1) > 50
    sub = "whose casualties, what kind, who says so and when" + (
        "; log scale because the values span orders of magnitude" if log else ""
    )
    return _dot_plot(f, title, sub, figures, log=bool(log), group="category", label_of=label)


def munitions(figures: pd.DataFrame, articles: pd.DataFrame | None = None) -> Figure:
    """Reported munitions and equipment (shells, missiles, drones, containers ...) on a log scale.

    Percentages are left out (a share, not a count) and counted in the subtitle.
    """
    title = "Munitions and equipment, as reported"
    f = _first_statements(figures)
    f = f[f["category"].isin(MUNITION_CATEGORIES) & f["value"].notna()]
    f = f[(f["category"] != "other") | (f["unit"] != "persons")]
    shares = int((f["unit"] == "percent").sum())
    f = f[f["unit"] != "percent"]
    if f.empty:
        return _empty(title, figures)
    dates = figure_dates(f, articles)
    f = f.assign(when=dates["date"].dt.strftime("%Y-%m").fillna(""))

    def label(row: Any) -> str:
        who = subject_words(row.subject)
        what = str(row.counted or row.unit)
        return f"{what} ({who})\n{glyphs.source_name(row)}, {row.when or 'undated'}"

    sub = "log scale: each step is ten times the one before"
    if shares:
        sub += f"; {shares} percentage{'s' if shares != 1 else ''} not shown"
    return _dot_plot(f, title, sub, figures, log=True, group="category", label_of=label)


# ------------------------------------------------------------------ overview


def overview(figures: pd.DataFrame) -> Figure:
    """Every figure at a glance: categories down, articles across, values in the cells.

    Circle area grows with the number of figures in the cell; the cell lists
    the values (compact, with the qualifier's sign: ~ about, > more than, ≤ up to).
    Every side's figures are shown; a value that is not North Korean carries its
    subject's code ("≤30,000 UA"), so that the chart does not pass it off as one.
    """
    title = "All reported figures (every side) by category and article"
    f = _first_statements(figures)
    f = f[f["value"].notna()]
    if f.empty:
        return _empty(title, figures)
    cats = sorted(f["category"].unique(), key=lambda c: (-int((f["category"] == c).sum()), c))
    arts = sorted(f["article"].unique())
    with style.context():
        fig = Figure(figsize=(max(7.0, 2.0 + 1.3 * len(arts)), 1.9 + 0.5 * len(cats)))
        h = fig.get_figheight()
        ax = fig.add_axes((0.2, 0.95 / h, 0.78, 1 - 2.25 / h))  # 1.3 in above: titles
        for (cat, art), cell in f.groupby(["category", "article"], sort=False):
            x, y = arts.index(art), cats.index(cat)
            ax.scatter(
                [x],
                [y],
                s=120 + 80 * len(cell),
                color=style.OKABE_ITO["sky_blue"],
                alpha=0.35,
                edgecolors="none",
                gid=f"cell:{cat}:{art}",
            )
            values = ", ".join(_signed(r) for r in cell.itertuples())
            ax.text(x, y, _wrap(values), ha="center", va="center", fontsize=6.8, gid="cell_text")
        ax.set_xticks(
            range(len(arts)),
            [a.split("_")[0] + "\n" + a.split("_")[-1][:6] for a in arts],
            fontsize=7,
        )
        ax.set_yticks(range(len(cats)), [c.replace("_", " ") for c in cats])
        ax.set_xlim(-0.6, len(arts) - 0.4)
        ax.set_ylim(len(cats) - 0.5, -0.5)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlabel("Article (id)")
        _finish(
            fig,
            title,
            "~ about, > more than, ≥ at least, ≤ up to or at most; "
            "circle area grows with the number of figures\n"
            "a code after a value says whose figure it is when not North Korean "
            "(RU Russian, UA Ukrainian)",
            _note(figures),
        )
    return fig


def _signed(row: Any) -> str:
    """A value as an overview cell shows it: sign, compact number, unit, whose if not KP."""
    sign = {"approx": "~", "more_than": ">", "at_least": "≥", "up_to": "≤", "at_most": "≤"}
    subject = row.subject if isinstance(row.subject, str) else ""
    whose = f" {subject}" if subject not in ("", "KP") else ""
    if row.qualifier == "range" and row.low == row.low and row.high == row.high:
        return f"{style.compact(row.low)}–{style.compact(row.high)}{whose}"
    unit = "%" if row.unit == "percent" else ""
    return f"{sign.get(row.qualifier, '')}{style.compact(row.value)}{unit}{whose}"


def _wrap(text: str, width: int = 14) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or text
