"""Map furniture: points and labels of places, scale bar, frame, legend, titles, side notes,
the source line and the Europe inset.

Why: the theatre and context maps share one look (marker per kind of place,
area per mention, labels that avoid each other and the points, a scale bar true
at its latitude, GeoNames and Natural Earth credited on every map); drawing it
in one place keeps the two maps alike. Artists carry ``gid`` values
(``points:city``, ``label:Kursk``, ``scalebar``, ``source`` ...) that the tests read.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from analysis.visuals import geodata, projections, style

SOURCE = (
    "Sources: places named in {n} news article{s}, found automatically (may contain errors); "
    "coordinates GeoNames (CC BY 4.0); boundaries Natural Earth (public domain), de jure."
)


# Marker and colour per kind of place (Okabe-Ito colours); admin1 is shown by tint.
KIND_STYLE: dict[str, dict[str, Any]] = {
    "city": {"marker": "o", "color": style.OKABE_ITO["vermillion"], "label": "City"},
    "town": {"marker": "s", "color": style.OKABE_ITO["blue"], "label": "Town"},
    "village": {"marker": "^", "color": style.OKABE_ITO["green"], "label": "Village"},
    "region": {"marker": "D", "color": style.OKABE_ITO["purple"], "label": "Informal region"},
    "admin1": {"marker": "p", "color": style.OKABE_ITO["orange"], "label": "Region (admin-1)"},
    "country": {
        "marker": "h",
        "color": style.OKABE_ITO["black"],
        "label": "Country (too small to tint)",
    },
    "other": {"marker": "X", "color": style.OKABE_ITO["black"], "label": "Other"},
}


SIZE_LEGEND = (1, 5, 15)  # mentions shown in the size legend


HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


EUROPE_BOX = (-11.0, 34.5, 50.0, 62.0)  # lon/lat box of the Europe inset


EUROPE_CRS = pyproj.CRS.from_proj4(
    "+proj=lcc +lat_1=42 +lat_2=58 +lat_0=48 +lon_0=20 +datum=WGS84 +units=m +no_defs"
)


INSET_SIZE = (0.36, 0.46)  # fraction of the map panel


def marker_size(mentions: Any) -> np.ndarray:
    """Marker area (points²) growing with mentions, with a floor so one mention stays visible."""
    return 14 + 11 * np.minimum(np.asarray(mentions, dtype=float), 40)


def points(ax: Axes, table: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> None:
    """Scatter the places, one collection per kind (gid ``points:<kind>``); hollow for areas."""
    for kind, st in KIND_STYLE.items():
        sel = (table["kind"] == kind).to_numpy()
        if not sel.any():
            continue
        hollow = kind in ("admin1", "region", "country")
        ax.scatter(
            x[sel],
            y[sel],
            s=marker_size(table.loc[sel, "mentions"]),
            marker=st["marker"],
            facecolors="none" if hollow else st["color"],
            edgecolors=st["color"] if hollow else "white",
            linewidths=1.6 if hollow else 0.7,
            zorder=5 if hollow else 6,
            gid=f"points:{kind}",
        )


def labels(
    ax: Axes,
    table: pd.DataFrame,
    x: np.ndarray,
    y: np.ndarray,
    *,
    top: int,
    obstacles: list[Any] | None = None,
    bold: str | None = None,
) -> list[Any]:
    """Label the ``top`` most mentioned places and move labels off each other and the points.

    adjustText runs with an iteration limit, not a time limit, so the result
    does not depend on the machine's speed (deterministic images).
    """
    from adjustText import adjust_text

    order = np.arange(len(table))[: max(top, 0)]
    if bold is not None:
        order = np.union1d(order, np.flatnonzero(table["place"].to_numpy() == bold))
    if len(order) == 0:
        return []
    bbox = ax.get_window_extent()
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (bbox.width * 72 / ax.figure.dpi)
    texts = []
    for i in order:
        row = table.iloc[i]
        offset = (math.sqrt(float(marker_size(row["mentions"]))) / 2 + 3) * per_pt
        country = row["kind"] == "country"
        texts.append(
            ax.text(
                x[i] + (0 if country else offset),
                y[i],
                str(row["place"]),
                fontsize=8 if not country else 7.5,
                fontstyle="italic" if row["kind"] in ("admin1", "region", "country") else "normal",
                fontweight="bold" if row["place"] == bold else "normal",
                color=style.INK if not country else style.MUTED,
                ha="left" if not country else "center",
                va="center",
                zorder=8,
                path_effects=HALO,
                gid=f"label:{row['place']}",
            )
        )
    adjust_text(
        texts,
        x=x,
        y=y,
        objects=obstacles or None,
        target_x=x[order],
        target_y=y[order],
        ax=ax,
        iter_lim=120,
        expand=(1.08, 1.25),
        force_text=(0.2, 0.35),
        min_arrow_len=6,
        arrowprops={"arrowstyle": "-", "color": style.MUTED, "lw": 0.5, "shrinkA": 1},
    )
    return texts


def _nice_length(km: float) -> float:
    """The round length (km) closest below ``km`` from 1-2-5 steps."""
    steps = [m * 10**e for e in range(0, 5) for m in (1, 2, 5)]
    return max([s for s in steps if s <= km] or [1])


def scale_bar(ax: Axes, crs: pyproj.CRS) -> None:
    """A two-segment scale bar at the lower left, true at its own latitude (gid ``scalebar``)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bx, by = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    lon, lat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(bx, by)
    k = pyproj.Proj(crs).get_factors(lon, lat).parallel_scale
    km = _nice_length((x1 - x0) / 1000 / 5)
    length = km * 1000 * k
    h = 0.012 * (y1 - y0)
    ax.add_patch(
        Rectangle(
            (bx - 0.015 * (x1 - x0), by - 0.022 * (y1 - y0)),
            length + 0.05 * (x1 - x0),
            0.075 * (y1 - y0),
            facecolor="white",
            alpha=0.85,
            edgecolor="none",
            zorder=9,
            gid="scalebar",
        )
    )
    for j, colour in enumerate((style.INK, "white")):
        ax.add_patch(
            Rectangle(
                (bx + j * length / 2, by),
                length / 2,
                h,
                facecolor=colour,
                edgecolor=style.INK,
                linewidth=0.6,
                zorder=10,
                gid="scalebar",
            )
        )
    for frac, text in ((0, "0"), (0.5, f"{km / 2:g}"), (1, f"{km:g} km")):
        ax.text(
            bx + frac * length,
            by + 1.6 * h,
            text,
            ha="center",
            va="bottom",
            fontsize=7,
            zorder=10,
            gid="scalebar",
        )


def frame(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(style.MUTED)
        spine.set_linewidth(0.6)


def legend(ax: Axes, kinds: list[str], tint: str | None, borders: bool) -> None:
    """The legend in the side panel (gid ``legend``): kinds, sizes, tint, borders."""
    handles: list[Any] = []
    for kind in kinds:
        st = KIND_STYLE[kind]
        hollow = kind in ("admin1", "region", "country")
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=st["marker"],
                markersize=8,
                markerfacecolor="none" if hollow else st["color"],
                markeredgecolor=st["color"] if hollow else "white",
                markeredgewidth=1.4 if hollow else 0.6,
                label=st["label"],
            )
        )
    for n in SIZE_LEGEND:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=math.sqrt(marker_size(n)),
                markerfacecolor="#bbbbbb",
                markeredgecolor="white",
                label=f"{n} mention{'s' if n > 1 else ''}",
            )
        )
    if tint:
        handles.append(Patch(facecolor=style.TINT, edgecolor="none", label=tint))
    if borders:
        handles.append(Line2D([], [], color=style.COUNTRY_EDGE, lw=1.2, label="Country border"))
        handles.append(Line2D([], [], color=style.ADMIN_EDGE, lw=0.6, label="Region border"))
    leg = ax.legend(
        handles=handles,
        loc="upper left",
        title="Places named in the articles",
        title_fontproperties={"weight": "bold", "size": 8.5},
        borderaxespad=0,
        labelspacing=0.9,
        alignment="left",
    )
    leg.set_gid("legend")


def side_note(ax: Axes, text: str, y: float) -> None:
    ax.text(
        0,
        y,
        text,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=7.5,
        color=style.INK,
        wrap=True,
        gid="outside",
    )


def wrap_names(names: list[str], width: int = 34) -> str:
    """Names joined by commas and wrapped to ``width`` characters a line."""
    return "\n".join(textwrap.wrap(", ".join(names), width=width))


def n_articles(places: pd.DataFrame) -> int:
    return int(places["article"].nunique()) if not places.empty else 0


def source_line(places: pd.DataFrame) -> str:
    n = n_articles(places)
    return SOURCE.format(n=n, s="" if n == 1 else "s")


def new_figure(size: tuple[float, float]) -> tuple[Figure, Axes, Axes]:
    """A figure with the map on the left and a side panel for legend and notes."""
    fig = Figure(figsize=size)
    ax = fig.add_axes((0.012, 0.07, 0.72, 0.835))
    side = fig.add_axes((0.75, 0.07, 0.24, 0.835))
    side.set_axis_off()
    return fig, ax, side


def titles(fig: Figure, title: str, subtitle: str) -> None:
    fig.text(0.012, 0.985, title, ha="left", va="top", fontsize=13, fontweight="bold", gid="title")
    fig.text(
        0.012, 0.942, subtitle, ha="left", va="top", fontsize=8.5, color=style.MUTED, gid="subtitle"
    )


def draw_world(ax: Axes, world: gpd.GeoDataFrame, named: set[str], lw: float) -> pd.Series:
    """Country outlines, the ones the articles name tinted; returns which are tinted."""
    tinted = world["iso_a2"].isin(named)
    world.plot(
        ax=ax,
        color=[style.TINT if t else style.LAND for t in tinted],
        edgecolor="#a0a0a0",
        linewidth=lw,
    )
    return tinted


def _in_europe(table: pd.DataFrame) -> np.ndarray:
    lon0, lat0, lon1, lat1 = EUROPE_BOX
    lon, lat = table["lon"].to_numpy(float), table["lat"].to_numpy(float)
    return (lon >= lon0) & (lon <= lon1) & (lat >= lat0) & (lat <= lat1)


def _emptiest_corner(ax: Axes, x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """The corner rectangle of the map panel (axes fraction) that covers fewest places."""
    w, h = INSET_SIZE
    if len(x):
        pts = ax.transAxes.inverted().transform(ax.transData.transform(np.column_stack([x, y])))
    else:
        pts = np.empty((0, 2))
    corners = [(0.0, 0.0), (1 - w, 0.0), (0.0, 1 - h), (1 - w, 1 - h)]

    def covered(c: tuple[float, float]) -> int:
        inside = (pts[:, 0] >= c[0]) & (pts[:, 0] <= c[0] + w)
        return int((inside & (pts[:, 1] >= c[1]) & (pts[:, 1] <= c[1] + h)).sum())

    best = min(corners, key=lambda c: (covered(c), corners.index(c)))
    return (best[0], best[1], w, h)


def europe_inset(
    ax: Axes,
    table: pd.DataFrame,
    n_points: int,
    x: np.ndarray,
    y: np.ndarray,
    named: set[str],
    outline: tuple[np.ndarray, np.ndarray] | None,
    main_crs: pyproj.CRS,
) -> np.ndarray:
    """Europe at a larger scale in a corner of the context map, when it is crowded.

    Returns the mask of ``table`` rows drawn and labelled in the inset (the main
    map then leaves them unlabelled); all False when no inset is needed.
    """
    inside = _in_europe(table) if not table.empty else np.zeros(0, bool)
    width = ax.get_xlim()[1] - ax.get_xlim()[0]
    if inside.sum() < 3 or width < 6_000_000:
        return np.zeros(len(table), bool)
    iax = ax.inset_axes(_emptiest_corner(ax, x, y), zorder=9)
    iax.set_gid("europe_inset")
    iax.set_facecolor(style.WATER)
    draw_world(
        iax,
        projections.clipped(geodata.world(), (-30.0, 25.0, 70.0, 75.0), EUROPE_CRS),
        named,
        0.35,
    )
    bx, by = projections.project(
        np.array([EUROPE_BOX[0], EUROPE_BOX[2], EUROPE_BOX[0], EUROPE_BOX[2]]),
        np.array([EUROPE_BOX[1], EUROPE_BOX[1], EUROPE_BOX[3], EUROPE_BOX[3]]),
        EUROPE_CRS,
    )
    bbox = iax.get_position()
    root = ax.get_figure(root=True)
    assert root is not None  # the map panel belongs to a figure
    fig_w, fig_h = root.get_size_inches()
    aspect = (bbox.width * fig_w) / (bbox.height * fig_h)
    frame(iax, projections.fit_extent((bx.min(), by.min(), bx.max(), by.max()), aspect, 0.02, 1.0))
    for spine in iax.spines.values():
        spine.set_color(style.INK)
        spine.set_linewidth(0.9)
    if outline is not None and len(outline[0]):
        ox, oy = projections.project(outline[0], outline[1], EUROPE_CRS)
        iax.plot(ox, oy, color=style.INK, linewidth=0.9, linestyle="--", zorder=6)
        # (not labelled here: the label would crowd the places around the theatre)
    sel = table[inside].reset_index(drop=True)
    ix, iy = projections.project(sel["lon"], sel["lat"], EUROPE_CRS)
    is_point = np.arange(len(table))[inside] < n_points
    points(iax, sel[is_point].reset_index(drop=True), ix[is_point], iy[is_point])
    labels(iax, sel, ix, iy, top=len(sel))
    iax.text(
        0.02, 0.97, "Europe", transform=iax.transAxes, ha="left", va="top",
        fontsize=7.5, fontweight="bold", path_effects=HALO, zorder=10,
    )  # fmt: skip
    # Where the inset lies on the main map.
    lon0, lat0, lon1, lat1 = EUROPE_BOX
    ring_lon = np.r_[np.linspace(lon0, lon1, 20), np.full(20, lon1),
                     np.linspace(lon1, lon0, 20), np.full(20, lon0)]  # fmt: skip
    ring_lat = np.r_[np.full(20, lat0), np.linspace(lat0, lat1, 20),
                     np.full(20, lat1), np.linspace(lat1, lat0, 20)]  # fmt: skip
    rx, ry = projections.project(ring_lon, ring_lat, main_crs)
    ax.plot(rx, ry, color=style.INK, linewidth=0.7, zorder=6, gid="europe_box")
    return inside
