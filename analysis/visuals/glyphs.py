"""How one reported figure is drawn: marker per source, fill and mark per qualifier, and
the keys (legends) that explain them.

Why: every chart states a figure's hedge the same way (see
:data:`QUALIFIER_GLYPHS`): an arrow up for "more than"/"at least", down for "up
to"/"at most", a bar for a range, a hollow marker for an approximate value, a
filled one for an exact value; and one source keeps one marker within a chart.

A source is the reporting entity (``source_entity``: "NIS", "HUR", "Pentagon"),
not the words an article happens to use for it, so that "South Korea's spy
agency" and "the National Intelligence Service" share one marker. The words as
written stand in only when no entity was recognised. A key lists the
:data:`LEGEND_LIMIT` most frequent sources; the rest share one grey marker,
"other sources", so that the key stays readable on a large corpus.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from analysis.visuals import style

# glyph per qualifier: fill of the marker and the mark beside it
QUALIFIER_GLYPHS: dict[str, dict[str, Any]] = {
    "exact": {"filled": True, "mark": None, "text": "exact"},
    "approx": {"filled": False, "mark": None, "text": "approximate (hollow)"},
    "more_than": {"filled": True, "mark": "up", "text": "more than (arrow up)"},
    "at_least": {"filled": True, "mark": "up", "text": "at least (arrow up)"},
    "up_to": {"filled": True, "mark": "down", "text": "up to (arrow down)"},
    "at_most": {"filled": True, "mark": "down", "text": "at most (arrow down)"},
    "range": {"filled": True, "mark": "bar", "text": "range (bar)"},
}


def glyph(qualifier: str) -> dict[str, Any]:
    """How a qualifier is drawn (exact if unknown).

    Examples:
        >>> glyph("more_than")["mark"], glyph("approx")["filled"], glyph("range")["mark"]
        ('up', False, 'bar')
    """
    return QUALIFIER_GLYPHS.get(qualifier, QUALIFIER_GLYPHS["exact"])


LEGEND_LIMIT = 6
"""Sources with a marker of their own in a chart's key (one per colour of the cycle)."""
OTHER_SOURCES = "other sources"
OTHER_STYLE = ("o", "#999999")  # marker and colour shared by the sources beyond the limit
# Triangles read as the arrows of "more than" / "up to": sources get the other shapes.
SOURCE_MARKERS = [m for m in style.MARKERS if m not in ("^", "v", "<", ">")]
UNATTRIBUTED = "unattributed"


def claimant(entity: Any, source: Any) -> str:
    """Who makes a claim: the source entity, else the source as written, else "unattributed".

    Examples:
        >>> claimant("NIS", "South Korea's spy agency"), claimant("", "Medien"), claimant("", "")
        ('NIS', 'Medien', 'unattributed')
    """
    for name in (entity, source):
        if isinstance(name, str) and name.strip():
            return name.strip()
    return UNATTRIBUTED


def claimants(figures: pd.DataFrame) -> pd.Series:
    """:func:`claimant` of every row of a figures table (a table without ``source_entity``,
    written before that column existed, falls back to ``source``)."""
    if "source_entity" in figures.columns:
        entity = figures["source_entity"]
    else:
        entity = pd.Series("", index=figures.index)
    names = [claimant(e, s) for e, s in zip(entity, figures["source"], strict=True)]
    return pd.Series(names, index=figures.index, dtype=object)


def shorten(name: str, limit: int | None = 26) -> str:
    """``name`` cut to ``limit`` characters with an ellipsis (None: whole).

    Examples:
        >>> shorten("Institute for the Study of War", 20), shorten("NIS", 20)
        ('Institute for the S…', 'NIS')
    """
    if limit is None or len(name) <= limit:
        return name
    return name[: limit - 1].rstrip() + "…"


def source_name(row: Any, limit: int | None = 26) -> str:
    """Who a figure's row names as its source (:func:`claimant`), shortened to ``limit``
    characters for labels and legends."""
    return shorten(claimant(getattr(row, "source_entity", ""), row.source), limit)


def source_markers(sources: list[str], limit: int = LEGEND_LIMIT) -> dict[str, tuple[str, str]]:
    """One (marker, colour) per source: the ``limit`` most frequent in ``sources`` each get
    their own (ties: first appearance), the others share :data:`OTHER_STYLE`.

    Examples:
        >>> s = source_markers(["a", "b", "b", "c"], limit=2)
        >>> list(s)[:2], s["c"] == OTHER_STYLE
        (['b', 'a'], True)
    """
    counts: dict[str, int] = {}
    for src in sources:
        counts[src] = counts.get(src, 0) + 1
    order = sorted(counts, key=lambda s: -counts[s])  # stable: ties keep first appearance
    out = {}
    for i, src in enumerate(order):
        if i < limit:
            out[src] = (SOURCE_MARKERS[i % len(SOURCE_MARKERS)], style.CYCLE[i % len(style.CYCLE)])
        else:
            out[src] = OTHER_STYLE
    return out


def draw_value(
    ax: Axes, x: Any, y: float, row: Any, marker: str, colour: str, *, vertical: bool, gid: str
) -> None:
    """One figure: marker filled or hollow, plus its qualifier mark (arrow or range bar).

    ``vertical`` means values run up the y axis (timeline); otherwise along x.
    """
    g = glyph(row.qualifier)
    lo, hi = getattr(row, "low", np.nan), getattr(row, "high", np.nan)
    value = float(row.value)
    px, py = (x, value) if vertical else (value, y)
    ax.scatter(
        [px],
        [py],
        s=60,
        marker=marker,
        facecolors=colour if g["filled"] else "white",
        edgecolors=colour,
        linewidths=1.6,
        zorder=5,
        gid=f"{gid}:{row.qualifier}",
    )
    if g["mark"] in ("up", "down"):
        sign = 1 if g["mark"] == "up" else -1
        offset = (0, 26 * sign) if vertical else (26 * sign, 0)
        ax.annotate(
            "",
            xy=(px, py),
            xytext=offset,
            textcoords="offset points",
            arrowprops={
                "arrowstyle": "<|-",
                "color": colour,
                "lw": 1.4,
                "shrinkA": 0,
                "shrinkB": 5,
            },
            zorder=4,
            gid=f"arrow_{g['mark']}",
        )
    elif g["mark"] == "bar" and lo == lo and hi == hi:
        if vertical:
            ax.vlines(px, lo, hi, color=colour, lw=2.2, zorder=4, gid="range_bar")
        else:
            ax.hlines(py, lo, hi, color=colour, lw=2.2, zorder=4, gid="range_bar")


def qualifier_key(
    ax: Axes,
    qualifiers: set[str],
    loc: Any = "upper left",
    anchor: tuple[float, float] = (1.01, 0.35),
) -> None:
    """A small legend of the qualifier glyphs that occur, kept as a second legend."""

    def handle(label: str, **kw: Any) -> Line2D:
        # The arrow glyphs are mathtext markers; the style turns maths off for text.
        with mpl.rc_context({"text.parse_math": True}):
            return Line2D([], [], ls="none", color="#555555", label=label, **kw)

    handles = [handle("exact", marker="o", mfc="#555555", mec="#555555")]
    if "approx" in qualifiers:
        handles.append(handle("approximate", marker="o", mfc="white", mec="#555555"))
    if qualifiers & {"more_than", "at_least"}:
        handles.append(handle("more than / at least", marker="$\\uparrow$", markersize=10))
    if qualifiers & {"up_to", "at_most"}:
        handles.append(handle("up to / at most", marker="$\\downarrow$", markersize=10))
    if "range" in qualifiers:
        handles.append(Line2D([], [], color="#555555", lw=2.2, label="range"))
    leg = ax.legend(
        handles=handles,
        title="How the value is stated",
        loc=loc,
        bbox_to_anchor=anchor,
        fontsize=7.5,
        title_fontsize=8,
    )
    leg.set_gid("qualifier_legend")
    ax.add_artist(leg)


def source_legend(ax: Axes, styles: dict[str, tuple[str, str]], title: str = "Source") -> None:
    """The key of marker per source, right of the plot (gid ``legend_sources``): one entry
    per source with a style of its own, then "other sources (n)" for those sharing one."""
    own = {s: ms for s, ms in styles.items() if ms != OTHER_STYLE}
    handles = [
        Line2D([], [], ls="none", marker=m, mfc=c, mec=c, label=s) for s, (m, c) in own.items()
    ]
    others = len(styles) - len(own)
    if others:
        m, c = OTHER_STYLE
        label = f"{OTHER_SOURCES} ({others})"
        handles.append(Line2D([], [], ls="none", marker=m, mfc=c, mec=c, label=label))
    leg = ax.legend(
        handles=handles,
        title=title,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        title_fontsize=8,
    )
    leg.set_gid("legend_sources")
    ax.add_artist(leg)
