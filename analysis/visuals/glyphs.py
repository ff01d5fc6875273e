"""How one reported figure is drawn: marker per source, fill and mark per qualifier, and
the keys (legends) that explain them.

Why: every chart states a figure's hedge the same way (see
:data:`QUALIFIER_GLYPHS`): an arrow up for "more than"/"at least", down for "up
to"/"at most", a bar for a range, a hollow marker for an approximate value, a
filled one for an exact value; and one source keeps one marker within a chart.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
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


def source_markers(sources: list[str]) -> dict[str, tuple[str, str]]:
    """One (marker, colour) per source, in order of first appearance."""
    out = {}
    for i, src in enumerate(dict.fromkeys(sources)):
        out[src] = (style.MARKERS[i % len(style.MARKERS)], style.CYCLE[i % len(style.CYCLE)])
    return out


def source_name(row: Any, limit: int = 26) -> str:
    """The source as named, shortened to ``limit`` characters for labels and legends."""
    name = str(row.source or "unattributed")
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


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


def source_legend(ax: Axes, styles: dict[str, tuple[str, str]]) -> None:
    """The key of marker per source, right of the plot (gid ``legend_sources``)."""
    handles = [
        Line2D([], [], ls="none", marker=m, mfc=c, mec=c, label=s) for s, (m, c) in styles.items()
    ]
    leg = ax.legend(
        handles=handles,
        title="Source",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        title_fontsize=8,
    )
    leg.set_gid("legend_sources")
    ax.add_artist(leg)
