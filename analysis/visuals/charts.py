"""Charts of the figures the articles report: a timeline, casualties, munitions, an overview.

Why: a figure quoted in a briefing needs its source, its date and its
qualifier beside it. Every chart here draws qualifiers honestly (see
:mod:`analysis.visuals.glyphs`): an arrow up for "more than"/"at least", down
for "up to"/"at most", a bar for a range, a hollow marker for an approximate
value, a filled one for an exact value. Colours are Okabe-Ito, axes carry thousands
separators, each chart has a source note. Restated figures (``repeat``) are
left out: they are the same claim again, not a second report.

This module holds the timeline of one category and the dot plots (casualties,
munitions) and overview of every category; the claims chart (who claims what,
when) is :mod:`analysis.visuals.claims`, and the parts both use (titles, dates,
source note, axes) are :mod:`analysis.visuals.chart_parts`.

Every function returns a :class:`matplotlib.figure.Figure` (built without
pyplot) and, given no figures of the kind, a small figure that says so.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

from analysis.schema import CASUALTY_CATEGORIES, SUPPLY_CATEGORIES
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

# Supplies, and "other" figures that count things (the persons among them are left out).
MUNITION_CATEGORIES = (*SUPPLY_CATEGORIES, "other")


# ------------------------------------------------------------------ timeline


def timeline_frame(
    figures: pd.DataFrame,
    category: str = "troops_deployed",
    articles: pd.DataFrame | None = None,
    *,
    subject: str | None = "KP",
) -> pd.DataFrame:
    """The figures :func:`timeline` draws: first statements of ``category`` with a value, of
    ``subject`` only (None: every subject), dated
    (:func:`~analysis.visuals.chart_parts.figure_dates`), oldest first.

    Examples:
        >>> f = pd.DataFrame({"article": ["a", "a"], "value": [10000.0, 30000.0],
        ...     "category": ["troops_deployed"] * 2, "subject": ["KP", "UA"],
        ...     "asof": ["2024-11", "2025-01"], "repeat": [False, False]})
        >>> list(timeline_frame(f)["value"]), list(timeline_frame(f, subject=None)["value"])
        ([10000.0], [10000.0, 30000.0])
    """
    f = first_statements(figures).reset_index(drop=True)  # any index, even a repeated one
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
        return empty_chart(title, figures)
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
        value_axis(ax, f)
        date_axis(ax, f)
        adjust_text(
            texts,
            x=[*f["date"].map(date_num)],
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
        finish(
            fig,
            title,
            f"{len(f)} figures from {f['article'].nunique()} articles; a thin "
            "horizontal bar spans the month or year a figure refers to",
            note_text(figures),
        )
    return fig


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
        finish(fig, title, subtitle, note_text(figures))
    return fig


def casualties(figures: pd.DataFrame, articles: pd.DataFrame | None = None) -> Figure:
    """Reported casualties by kind (killed, wounded, killed or wounded), subject and source."""
    title = "Casualties, as reported"
    f = first_statements(figures)
    f = f[f["category"].isin(CASUALTY_CATEGORIES) & f["value"].notna()]
    if f.empty:
        return empty_chart(title, figures)
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
    f = first_statements(figures)
    f = f[f["category"].isin(MUNITION_CATEGORIES) & f["value"].notna()]
    f = f[(f["category"] != "other") | (f["unit"] != "persons")]
    shares = int((f["unit"] == "percent").sum())
    f = f[f["unit"] != "percent"]
    if f.empty:
        return empty_chart(title, figures)
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
    f = first_statements(figures)
    f = f[f["value"].notna()]
    if f.empty:
        return empty_chart(title, figures)
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
        finish(
            fig,
            title,
            "~ about, > more than, ≥ at least, ≤ up to or at most; "
            "circle area grows with the number of figures\n"
            "a code after a value says whose figure it is when not North Korean "
            "(RU Russian, UA Ukrainian)",
            note_text(figures),
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
