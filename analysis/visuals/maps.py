"""Maps of the places the articles name: the theatre, the wider context, one article, one place.

Why: a reader of a briefing must see at a glance where the articles put North
Korea's part in the war, and trust that nothing was dropped. So:

* the **theatre map** shows Ukraine and the Russian oblasts that border it on a
  Lambert conformal conic centred on the places, with country borders drawn
  stronger than oblast borders, the oblasts the articles name tinted, places as
  points sized by mentions and shaped by kind, labels that avoid each other and
  the points, a scale bar, a legend and a source line; its extent follows the
  places, never a fixed box;
* the **context map** (Equal Earth, centred so that the widest empty stretch of
  longitude falls at the edge) shows every place outside the theatre, tints
  the countries named, outlines the theatre, and draws the North Korea ->
  Russia supply link where the articles give shipment figures;
* every place of the table is drawn on one of the two (see :func:`split_places`);
  the theatre map lists by name what lies outside it.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot (no global state, no double display in notebooks); save it with
:func:`analysis.visuals.exports.save_figure`. Artists carry ``gid`` values
(``points:city``, ``label:Kursk``, ``scalebar``, ``source`` ...) that the tests read.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Rectangle

from analysis.settings import DEFAULT
from analysis.visuals import style

GEO = DEFAULT.geo_dir
WORLD = GEO / "world_110m.geojson"
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
THEATRE_BUFFER_DEG = 0.5  # places this close to the theatre zone still count as in it
MIN_SPAN_M = 350_000.0  # the theatre map never zooms in closer than this
SHORT_NAMES = {"RU": "Russia", "MD": "Moldova"}  # labels on the theatre map
SUPPLY_CATEGORIES = ("munitions", "missiles", "containers", "drones", "shells")
PYONGYANG = (125.75432, 39.03385)  # lon, lat (GeoNames 1871859), start of the supply link
QUALIFIER_WORDS = {
    "exact": "",
    "approx": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
    "at_most": "at most ",
    "range": "",
}
_HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


# ------------------------------------------------------------------ geographic data


@cache
def _admin1() -> gpd.GeoDataFrame:
    """Admin-1 polygons of the theatre countries with their GeoNames ids (from admin1.csv)."""
    gdf = gpd.read_file(GEO / "admin1_theatre.geojson", engine="pyogrio")
    ids = pd.read_csv(GEO / "admin1.csv", usecols=["adm1_code", "gn_id"], keep_default_na=False)
    gn = pd.to_numeric(ids["gn_id"], errors="coerce").fillna(0).astype("int64")
    return gdf.assign(gn_id=gdf["adm1_code"].map(dict(zip(ids["adm1_code"], gn, strict=True))))


@cache
def _countries() -> gpd.GeoDataFrame:
    """Countries of the theatre, dissolved from admin-1 by de jure ISO code."""
    return gpd.read_file(GEO / "countries_theatre.geojson", engine="pyogrio")


@cache
def _world() -> gpd.GeoDataFrame:
    """World countries at 1:110m (background of the context map)."""
    return gpd.read_file(WORLD, engine="pyogrio")


@cache
def _theatre_zone() -> shapely.Geometry:
    """Ukraine (de jure) and the Russian admin-1 regions that border it, slightly buffered."""
    countries = _countries()
    ukraine = countries.loc[countries["iso_a2"] == "UA", "geometry"].union_all()
    admin1 = _admin1()
    russia = admin1[admin1["iso_a2"] == "RU"]
    near = russia[russia.intersects(ukraine.buffer(0.05))]
    zone = shapely.union_all([ukraine, *near.geometry])
    return zone.buffer(THEATRE_BUFFER_DEG)


# ------------------------------------------------------------------ tables


def aggregate_places(places: pd.DataFrame) -> pd.DataFrame:
    """One row per place over all articles: total mentions, articles, surface forms.

    Columns: place, kind, country, lat, lon, geonameid, mentions, n_articles,
    articles ('|'-joined ids), surfaces ('|'-joined forms); sorted by mentions, then name.
    """
    cols = ["place", "kind", "country", "lat", "lon", "geonameid"]
    out_cols = [*cols, "mentions", "n_articles", "articles", "surfaces"]
    if places.empty:
        return pd.DataFrame(columns=out_cols)
    p = places.copy()
    p["geonameid"] = pd.to_numeric(p["geonameid"], errors="coerce").fillna(0).astype("int64")
    agg = (
        p.groupby(cols, sort=False, dropna=False)
        .agg(
            mentions=("mentions", "sum"),
            n_articles=("article", "nunique"),
            articles=("article", lambda s: "|".join(sorted(set(map(str, s))))),
            surfaces=("surfaces", lambda s: "|".join(dict.fromkeys("|".join(s).split("|")))),
        )
        .reset_index()
    )
    agg["mentions"] = agg["mentions"].astype("int64")
    agg = agg.sort_values(["mentions", "place"], ascending=[False, True], kind="stable")
    return agg[out_cols].reset_index(drop=True)


def split_places(places: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The aggregated places split into (theatre, context).

    Theatre: every place that is not a country and lies in Ukraine or a Russian
    region bordering it (within half a degree). Context: everything else,
    countries included. Together they hold every place, so nothing disappears.
    """
    agg = aggregate_places(places)
    if agg.empty:
        return agg, agg
    pts = shapely.points(agg["lon"].astype(float), agg["lat"].astype(float))
    inside = shapely.contains(_theatre_zone(), pts) & (agg["kind"] != "country").to_numpy()
    return agg[inside].reset_index(drop=True), agg[~inside].reset_index(drop=True)


def supply_figures(figures: pd.DataFrame | None) -> pd.DataFrame:
    """Figures of shipments from North Korea (subject KP), first statements only, no percentages."""
    if figures is None or figures.empty:
        return pd.DataFrame(columns=[] if figures is None else figures.columns)
    f = figures[
        (figures["subject"] == "KP")
        & figures["category"].isin(SUPPLY_CATEGORIES)
        & (figures["unit"] != "percent")
    ]
    if "repeat" in f.columns:
        f = f[~f["repeat"].astype(bool)]
    return f.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def describe_figure(row: Any) -> str:
    """A figure in words: 'more than 100 ballistische Raketen (ukrainischer ..., 2024-11)'."""
    value = style.thousands(float(row.value)) if row.value == row.value else "?"
    if row.qualifier == "range" and row.low == row.low and row.high == row.high:
        value = f"{style.thousands(float(row.low))}–{style.thousands(float(row.high))}"
    what = str(getattr(row, "counted", "") or "") or str(row.unit)
    who = ", ".join(s for s in (str(row.source or ""), str(row.asof or "")) if s)
    return f"{QUALIFIER_WORDS.get(row.qualifier, '')}{value} {what}" + (f" ({who})" if who else "")


# ------------------------------------------------------------------ projections and extents


def theatre_projection(theatre: pd.DataFrame) -> pyproj.CRS:
    """A Lambert conformal conic centred on the theatre places (on Ukraine if there are none).

    Conformal, so shapes and the scale bar hold in every direction; parameters
    are rounded to half degrees so that near-identical inputs give the same map.
    """
    if theatre.empty:
        lon0, lat0 = 31.0, 48.5
    else:
        lon0 = round((theatre["lon"].min() + theatre["lon"].max()) / 2 * 2) / 2
        lat0 = round((theatre["lat"].min() + theatre["lat"].max()) / 2 * 2) / 2
    return pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_0={lat0} +lon_0={lon0} +lat_1={lat0 - 2} +lat_2={lat0 + 2} "
        "+ellps=WGS84 +units=m +no_defs"
    )


def context_projection(places: pd.DataFrame) -> pyproj.CRS:
    """Equal Earth centred so that the widest gap between the places' longitudes is the edge."""
    lons = sorted({*places["lon"].astype(float).round(1), 31.0}) if not places.empty else [31.0]
    gaps = [(lons[(i + 1) % len(lons)] - lon) % 360 or 360 for i, lon in enumerate(lons)]
    i = int(np.argmax(gaps))
    edge = lons[i] + gaps[i] / 2
    lon0 = round(((edge + 180 + 180) % 360 - 180) / 5) * 5
    return pyproj.CRS.from_proj4(f"+proj=eqearth +lon_0={lon0} +ellps=WGS84 +units=m +no_defs")


def central_meridian(crs: pyproj.CRS) -> float:
    """The longitude a projection is centred on (0 when it has none)."""
    op = crs.coordinate_operation
    for p in op.params if op is not None else []:
        if "longitude" in p.name.lower() and "origin" in p.name.lower():
            return float(p.value)
    return 0.0


def _project(lon: Any, lat: Any, crs: pyproj.CRS) -> tuple[np.ndarray, np.ndarray]:
    t = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = t.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.atleast_1d(x), np.atleast_1d(y)


def _fit(
    bounds: tuple[float, ...], aspect: float, pad: float, min_span: float
) -> tuple[float, float, float, float]:
    """Pad bounds, enforce a minimum span and widen the short side to the axes' aspect."""
    x0, y0, x1, y1 = bounds
    w, h = max(x1 - x0, min_span), max(y1 - y0, min_span / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = w * (1 + 2 * pad), h * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def theatre_extent(
    theatre: pd.DataFrame, crs: pyproj.CRS, aspect: float = 1.25, pad: float = 0.08
) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) in ``crs`` holding every theatre place and named oblast."""
    if theatre.empty:
        geom = _countries().loc[lambda c: c["iso_a2"] == "UA"].to_crs(crs).total_bounds
        return _fit(tuple(geom), aspect, pad, MIN_SPAN_M)
    x, y = _project(theatre["lon"], theatre["lat"], crs)
    bounds = [x.min(), y.min(), x.max(), y.max()]
    named = _named_admin1(theatre)
    if not named.empty:
        b = named.to_crs(crs).total_bounds
        bounds = [
            min(bounds[0], b[0]),
            min(bounds[1], b[1]),
            max(bounds[2], b[2]),
            max(bounds[3], b[3]),
        ]
    return _fit(tuple(bounds), aspect, pad, MIN_SPAN_M)


def _named_admin1(places: pd.DataFrame) -> gpd.GeoDataFrame:
    """Admin-1 polygons the admin1 places name: by GeoNames id, else the one holding the point."""
    admin1 = _admin1()
    rows = places[places["kind"] == "admin1"]
    if rows.empty:
        return admin1.iloc[0:0]
    known = set(admin1["gn_id"])
    ids = pd.to_numeric(rows["geonameid"], errors="coerce").fillna(0).astype("int64")
    hit = admin1["gn_id"].isin(set(ids) & known)
    for lon, lat, gid in zip(rows["lon"], rows["lat"], ids, strict=True):
        if gid not in known:
            hit |= admin1.contains(shapely.Point(float(lon), float(lat)))
    return admin1[hit]


# ------------------------------------------------------------------ drawing helpers


def marker_size(mentions: Any) -> np.ndarray:
    """Marker area (points²) growing with mentions, with a floor so one mention stays visible."""
    return 14 + 11 * np.minimum(np.asarray(mentions, dtype=float), 40)


def _outline_ll(extent: tuple[float, float, float, float], crs: pyproj.CRS, n: int = 24):
    """The projected extent's outline as lon/lat arrays (densified: a conic box is curved)."""
    x0, x1, y0, y1 = extent
    xs = np.concatenate([np.linspace(x0, x1, n), np.full(n, x1), np.linspace(x1, x0, n), [x0] * n])
    ys = np.concatenate(
        [np.full(n, y0), np.linspace(y0, y1, n), np.full(n, y1), np.linspace(y1, y0, n)]
    )
    t = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return t.transform(xs, ys)


def _clipped(gdf: gpd.GeoDataFrame, box: tuple[float, ...], crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """``gdf`` cut to a lon/lat box, then projected (cutting first keeps rendering fast)."""
    g = gdf.copy()
    g["geometry"] = g.geometry.clip_by_rect(*box)
    return g[~g.geometry.is_empty].to_crs(crs)


def _points(ax: Axes, table: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> None:
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


def _labels(
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
                path_effects=_HALO,
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


def _scale_bar(ax: Axes, crs: pyproj.CRS) -> None:
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


def _frame(ax: Axes, extent: tuple[float, float, float, float]) -> None:
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


def _legend(ax: Axes, kinds: list[str], tint: str | None, borders: bool) -> None:
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


def _side_note(ax: Axes, text: str, y: float) -> None:
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


def _wrap_names(names: list[str], width: int = 34) -> str:
    """Names joined by commas and wrapped to ``width`` characters a line."""
    import textwrap

    return "\n".join(textwrap.wrap(", ".join(names), width=width))


def _n_articles(places: pd.DataFrame) -> int:
    return int(places["article"].nunique()) if not places.empty else 0


def _source(places: pd.DataFrame) -> str:
    n = _n_articles(places)
    return SOURCE.format(n=n, s="" if n == 1 else "s")


def _new_figure(size: tuple[float, float]) -> tuple[Figure, Axes, Axes]:
    """A figure with the map on the left and a side panel for legend and notes."""
    fig = Figure(figsize=size)
    ax = fig.add_axes((0.012, 0.07, 0.72, 0.835))
    side = fig.add_axes((0.75, 0.07, 0.24, 0.835))
    side.set_axis_off()
    return fig, ax, side


def _titles(fig: Figure, title: str, subtitle: str) -> None:
    fig.text(0.012, 0.985, title, ha="left", va="top", fontsize=13, fontweight="bold", gid="title")
    fig.text(
        0.012, 0.942, subtitle, ha="left", va="top", fontsize=8.5, color=style.MUTED, gid="subtitle"
    )


# ------------------------------------------------------------------ the theatre


def _draw_theatre(
    ax: Axes,
    theatre: pd.DataFrame,
    crs: pyproj.CRS,
    extent: tuple[float, float, float, float],
    *,
    label_top: int,
    bold: str | None = None,
) -> list[Any]:
    """Basemap, tinted oblasts, points, labels and scale bar of the theatre on ``ax``."""
    _frame(ax, extent)
    ax.set_facecolor(style.WATER)
    lon, lat = _outline_ll(extent, crs)
    box = (lon.min() - 1, max(lat.min() - 1, -89.0), lon.max() + 1, min(lat.max() + 1, 89.0))
    countries = _countries()
    world = _world()
    others = _clipped(world[~world["iso_a2"].isin(set(countries["iso_a2"]))], box, crs)
    if not others.empty:
        others.plot(ax=ax, color=style.LAND, edgecolor=style.ADMIN_EDGE, linewidth=0.5)
    land = _clipped(countries, box, crs)
    land.plot(
        ax=ax,
        color=[style.FOCUS_LAND if c == "UA" else style.LAND for c in land["iso_a2"]],
        linewidth=0,
    )
    named = _clipped(_named_admin1(theatre), box, crs)
    if not named.empty:
        named.plot(ax=ax, color=style.TINT, linewidth=0)
        ax.collections[-1].set_gid("tint")
    admin1 = _admin1()
    _clipped(admin1[admin1["iso_a2"].isin(["UA", "RU"])], box, crs).boundary.plot(
        ax=ax, color=style.ADMIN_EDGE, linewidth=0.45
    )
    land.boundary.plot(ax=ax, color=style.COUNTRY_EDGE, linewidth=1.3)
    _frame(ax, extent)  # geopandas may have moved the limits
    x, y = _project(theatre["lon"], theatre["lat"], crs) if not theatre.empty else ([], [])
    x, y = np.asarray(x), np.asarray(y)
    busy = shapely.union_all(
        [*shapely.buffer(shapely.points(x, y), 0.09 * (extent[1] - extent[0])), *named.geometry]
    )
    country_names = _country_names(ax, land, extent, busy)
    _points(ax, theatre, x, y)
    _scale_bar(ax, crs)
    return _labels(ax, theatre, x, y, top=label_top, obstacles=country_names, bold=bold)


def _country_names(
    ax: Axes, land: gpd.GeoDataFrame, extent: tuple[float, ...], busy: Any = None
) -> list[Any]:
    """Spaced capitals for the countries that fill a fair part of the view, kept inside it
    and away from the ``busy`` area (places and tinted regions); skipped if there is no room."""
    view = shapely.box(extent[0], extent[2], extent[1], extent[3])
    names = pd.read_csv(GEO / "countries.csv", usecols=["iso_a2", "name_en"], keep_default_na=False)
    name_of = {**dict(zip(names["iso_a2"], names["name_en"], strict=True)), **SHORT_NAMES}
    root = ax.get_figure(root=True)
    fig_w = root.get_figwidth() if root is not None else 10.0
    width_in = ax.get_position(original=True).width * fig_w
    per_pt = (extent[1] - extent[0]) / (width_in * 72)
    out = []
    for code, geom in zip(land["iso_a2"], land.geometry, strict=True):
        part = geom.intersection(view)
        if part.is_empty or part.area < 0.06 * view.area:
            continue
        text = " ".join(name_of.get(code, code).upper())
        half = len(text) * 10 * 0.33 * per_pt  # half the label's width, roughly
        room = part.intersection(view.buffer(-half, cap_style="square", join_style="mitre"))
        if busy is not None and not busy.is_empty:
            room = room.difference(busy)
        if room.is_empty or room.area < 0.01 * view.area:
            continue
        pt = (
            room.centroid
            if code == "UA" and room.contains(room.centroid)
            else room.representative_point()
        )
        out.append(
            ax.text(
                pt.x,
                pt.y,
                text,
                ha="center",
                va="center",
                fontsize=10,
                color="#9a9a9a",
                zorder=4,
                gid=f"country:{code}",
            )
        )
    return out


def _theatre_figure(
    places: pd.DataFrame, *, title: str, label_top: int, bold: str | None = None
) -> Figure:
    theatre, context = split_places(places)
    crs = theatre_projection(theatre)
    with style.context():
        fig, ax, side = _new_figure((10, 7.4))
        bbox = ax.get_position(original=True)
        aspect = (bbox.width * 10) / (bbox.height * 7.4)
        extent = theatre_extent(theatre, crs, aspect=aspect)
        texts = _draw_theatre(ax, theatre, crs, extent, label_top=label_top, bold=bold)
        n = _n_articles(places)
        _titles(
            fig,
            title,
            f"{len(theatre)} place{'s' if len(theatre) != 1 else ''} in Ukraine "
            f"and the bordering Russian regions, named in {n} article{'s' if n != 1 else ''}; "
            "marker area grows with the number of mentions",
        )
        kinds = [k for k in KIND_STYLE if (theatre["kind"] == k).any()]
        named = not _named_admin1(theatre).empty
        _legend(side, kinds, "Region named in the articles" if named else None, borders=True)
        notes = []
        if len(texts) < len(theatre):
            notes.append(f"{len(theatre) - len(texts)} less-mentioned places drawn without labels.")
        if not context.empty:
            notes.append(
                "Outside this map (see the context map):\n" + _wrap_names(context["place"].tolist())
            )
        if theatre.empty:
            notes.append("No place in Ukraine or the bordering Russian regions was named.")
        _side_note(side, "\n\n".join(notes), 0.30)
        style.source_note(fig, _source(places))
    return fig


def theatre_map(places: pd.DataFrame, *, title: str | None = None, label_top: int = 12) -> Figure:
    """Map of the places named in Ukraine and the bordering Russian regions.

    Args:
        places: the places table (:func:`analysis.places.geoparse.places_table`), any
            number of articles.
        title: the heading; a plain default names what is shown.
        label_top: how many of the most mentioned places get a label (labelling
            every place slows the label placement sharply and crowds the map).

    Places outside the theatre are listed by name beside the map; draw them with
    :func:`context_map`.
    """
    return _theatre_figure(
        places, title=title or "Where the articles place the war", label_top=label_top
    )


def article_map(places: pd.DataFrame, article: str) -> Figure:
    """The theatre map of one article's places (its other places are listed beside it).

    Raises:
        KeyError: "article 'x' is not in the places table" when it names no place at all.
    """
    rows = places[places["article"] == article]
    if rows.empty and article not in set(places["article"]):
        raise KeyError(f"article {article!r} is not in the places table")
    return _theatre_figure(rows, title=f"Places named in article {article}", label_top=12)


def place_map(places: pd.DataFrame, place: str) -> Figure:
    """Where one place lies, with its mentions over all articles: theatre or context map.

    Raises:
        KeyError: "place 'x' is not in the places table" for a name the table lacks.
    """
    rows = places[places["place"] == place]
    if rows.empty:
        raise KeyError(f"place {place!r} is not in the places table")
    n, m = rows["article"].nunique(), int(rows["mentions"].sum())
    title = f"{place}: {m} mention{'s' if m != 1 else ''} in {n} article{'s' if n != 1 else ''}"
    theatre, _ = split_places(rows)
    if not theatre.empty:
        return _theatre_figure(rows, title=title, label_top=1, bold=place)
    return context_map(rows, title=title)


# ------------------------------------------------------------------ the context


def _world_split(lon0: float) -> gpd.GeoDataFrame:
    """World polygons cut along the meridian opposite ``lon0`` so they project without smears."""
    cut = (lon0 + 360) % 360 - 180
    world = _world().copy()
    if abs(cut) >= 179.999:
        return world
    eps = 1e-6
    west = shapely.box(-180, -90, cut - eps, 90)
    east = shapely.box(cut + eps, -90, 180, 90)
    world["geometry"] = [
        shapely.union(g.intersection(west), g.intersection(east)) for g in world.geometry
    ]
    return world[~world.geometry.is_empty]


def _theatre_outline(theatre: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """lon/lat outline of the theatre map's extent (as :func:`theatre_map` draws it)."""
    crs = theatre_projection(theatre)
    return _outline_ll(theatre_extent(theatre, crs, aspect=1.28), crs, n=12)


def _context_extent(
    x: np.ndarray, y: np.ndarray, aspect: float
) -> tuple[float, float, float, float]:
    return _fit((x.min(), y.min(), x.max(), y.max()), aspect, 0.07, 3_000_000.0)


def _supply_link(ax: Axes, crs: pyproj.CRS, end: tuple[float, float]) -> None:
    """The North Korea -> Russia arrow (gid ``supply_link``): a direction, not a route."""
    sx, sy = _project(*PYONGYANG, crs)
    ax.add_patch(
        FancyArrowPatch(
            (sx[0], sy[0]),
            end,
            connectionstyle="arc3,rad=0.25",
            arrowstyle="-|>",
            mutation_scale=16,
            linewidth=2.2,
            color=style.OKABE_ITO["vermillion"],
            zorder=7,
            shrinkA=4,
            shrinkB=8,
            gid="supply_link",
        )
    )


EUROPE_BOX = (-11.0, 34.5, 50.0, 62.0)  # lon/lat box of the Europe inset
EUROPE_CRS = pyproj.CRS.from_proj4(
    "+proj=lcc +lat_1=42 +lat_2=58 +lat_0=48 +lon_0=20 +datum=WGS84 +units=m +no_defs"
)
INSET_SIZE = (0.36, 0.46)  # fraction of the map panel


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


def _draw_world(ax: Axes, world: gpd.GeoDataFrame, named: set[str], lw: float) -> pd.Series:
    """Country outlines, the ones the articles name tinted; returns which are tinted."""
    tinted = world["iso_a2"].isin(named)
    world.plot(
        ax=ax,
        color=[style.TINT if t else style.LAND for t in tinted],
        edgecolor="#a0a0a0",
        linewidth=lw,
    )
    return tinted


def _europe_inset(
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
    _draw_world(iax, _clipped(_world(), (-30.0, 25.0, 70.0, 75.0), EUROPE_CRS), named, 0.35)
    bx, by = _project(
        np.array([EUROPE_BOX[0], EUROPE_BOX[2], EUROPE_BOX[0], EUROPE_BOX[2]]),
        np.array([EUROPE_BOX[1], EUROPE_BOX[1], EUROPE_BOX[3], EUROPE_BOX[3]]),
        EUROPE_CRS,
    )
    bbox = iax.get_position()
    root = ax.get_figure(root=True)
    assert root is not None  # the map panel belongs to a figure
    fig_w, fig_h = root.get_size_inches()
    aspect = (bbox.width * fig_w) / (bbox.height * fig_h)
    _frame(iax, _fit((bx.min(), by.min(), bx.max(), by.max()), aspect, 0.02, 1.0))
    for spine in iax.spines.values():
        spine.set_color(style.INK)
        spine.set_linewidth(0.9)
    if outline is not None and len(outline[0]):
        ox, oy = _project(outline[0], outline[1], EUROPE_CRS)
        iax.plot(ox, oy, color=style.INK, linewidth=0.9, linestyle="--", zorder=6)
        # (not labelled here: the label would crowd the places around the theatre)
    sel = table[inside].reset_index(drop=True)
    ix, iy = _project(sel["lon"], sel["lat"], EUROPE_CRS)
    is_point = np.arange(len(table))[inside] < n_points
    _points(iax, sel[is_point].reset_index(drop=True), ix[is_point], iy[is_point])
    _labels(iax, sel, ix, iy, top=len(sel))
    iax.text(
        0.02, 0.97, "Europe", transform=iax.transAxes, ha="left", va="top",
        fontsize=7.5, fontweight="bold", path_effects=_HALO, zorder=10,
    )  # fmt: skip
    # Where the inset lies on the main map.
    lon0, lat0, lon1, lat1 = EUROPE_BOX
    ring_lon = np.r_[np.linspace(lon0, lon1, 20), np.full(20, lon1),
                     np.linspace(lon1, lon0, 20), np.full(20, lon0)]  # fmt: skip
    ring_lat = np.r_[np.full(20, lat0), np.linspace(lat0, lat1, 20),
                     np.full(20, lat1), np.linspace(lat1, lat0, 20)]  # fmt: skip
    rx, ry = _project(ring_lon, ring_lat, main_crs)
    ax.plot(rx, ry, color=style.INK, linewidth=0.7, zorder=6, gid="europe_box")
    return inside


def context_map(
    places: pd.DataFrame, figures: pd.DataFrame | None = None, *, title: str | None = None
) -> Figure:
    """Everything outside the theatre: named countries tinted, places as points, supply link.

    Args:
        places: the places table; theatre places appear as the outlined theatre box.
        figures: the figures table; where it has shipment figures from North
            Korea (:func:`supply_figures`), an arrow North Korea -> the theatre
            is drawn and the figures listed beside the map.
        title: the heading.
    """
    theatre, context = split_places(places)
    crs = context_projection(aggregate_places(places))
    lon0 = central_meridian(crs)
    supply = supply_figures(figures)
    with style.context():
        fig, ax, side = _new_figure((10, 6.2))
        ax.set_facecolor(style.WATER)
        world = _world_split(lon0).to_crs(crs)
        named = set(context.loc[context["kind"] == "country", "country"])
        tinted = _draw_world(ax, world, named, 0.4)
        ax.collections[-1].set_gid("tint")
        # countries too small for the 1:110m map keep a point
        drawn = set(world.loc[tinted, "iso_a2"])
        pts = context[(context["kind"] != "country") | ~context["country"].isin(drawn)].copy()
        labels_only = context[(context["kind"] == "country") & context["country"].isin(drawn)]
        table = pd.concat([pts, labels_only], ignore_index=True)
        x, y = _project(table["lon"], table["lat"], crs) if not table.empty else (np.array([]),) * 2
        ox = oy = np.array([])
        if not theatre.empty or not supply.empty:
            olon, olat = _theatre_outline(theatre)
            ox, oy = _project(olon, olat, crs)
            ax.plot(
                ox,
                oy,
                color=style.INK,
                linewidth=1.1,
                linestyle="--",
                zorder=6,
                gid="theatre_outline",
            )
        allx, ally = np.concatenate([x, ox]), np.concatenate([y, oy])
        bbox = ax.get_position(original=True)
        extent = (
            _context_extent(allx, ally, bbox.width * 10 / (bbox.height * 6.2))
            if len(allx)
            else (-1.7e7, 1.7e7, -8e6, 8e6)
        )
        _frame(ax, extent)
        obstacles: list[Any] = []
        if len(ox):
            obstacles.append(
                ax.text(
                    float(ox.mean()),
                    float(oy.min()),
                    "Theatre map",
                    ha="center",
                    va="top",
                    fontsize=7.5,
                    fontweight="bold",
                    zorder=8,
                    path_effects=_HALO,
                    gid="theatre_label",
                )
            )
        if not supply.empty:
            _supply_link(ax, crs, (float(ox.max()), float(oy.mean())))
        _points(ax, table.iloc[: len(pts)], x[: len(pts)], y[: len(pts)])
        outline = (olon, olat) if len(ox) else None
        in_inset = _europe_inset(ax, table, len(pts), x, y, named, outline, crs)
        rest = ~in_inset
        if in_inset.any() and len(ox):
            obstacles = []  # the theatre outline is labelled inside the inset
            for artist in ax.texts:
                if artist.get_gid() == "theatre_label":
                    artist.remove()
        _labels(
            ax, table[rest].reset_index(drop=True), x[rest], y[rest], top=int(rest.sum()),
            obstacles=obstacles,
        )  # fmt: skip
        n = _n_articles(places)
        _titles(
            fig,
            title or "Places named outside the theatre",
            f"{len(context)} place{'s' if len(context) != 1 else ''} beyond Ukraine and the "
            f"bordering Russian regions, named in {n} article{'s' if n != 1 else ''}; "
            "countries named are tinted",
        )
        kinds = [k for k in KIND_STYLE if (pts["kind"] == k).any()]
        _legend(side, kinds, "Country named in the articles" if named else None, borders=False)
        if not supply.empty:
            _shipments_note(side, supply)
        if context.empty:
            _side_note(side, "No place outside the theatre was named.", 0.33)
        style.source_note(fig, _source(places))
    return fig


def _shipments_note(side: Axes, supply: pd.DataFrame) -> None:
    """The key of the supply arrow and the shipment figures it stands for (gid ``shipments``)."""
    colour = style.OKABE_ITO["vermillion"]
    side.add_line(Line2D([0, 0.1], [0.37, 0.37], color=colour, lw=2.2, transform=side.transAxes))
    side.text(
        0.13,
        0.37,
        "Reported shipments,\nNorth Korea to Russia",
        transform=side.transAxes,
        va="center",
        fontsize=8,
        fontweight="bold",
        gid="shipments",
    )
    lines = [describe_figure(r) for r in supply.head(5).itertuples()]
    body = "\n".join("• " + _wrap_line(s) for s in lines)
    side.text(
        0,
        0.32,
        body + "\n\nThe arrow shows the direction only,\nnot the route.",
        transform=side.transAxes,
        va="top",
        fontsize=7.5,
        gid="shipments",
    )


def _wrap_line(text: str, width: int = 36) -> str:
    import textwrap

    return "\n   ".join(textwrap.wrap(text, width=width))


# ------------------------------------------------------------------ interactive


def explore_places(places: pd.DataFrame, *, tiles: str | None = "OpenStreetMap") -> Any:
    """An interactive folium map for JupyterLab, with a tooltip per place.

    The tooltip gives the place, its kind, the articles, the surface forms and
    the number of mentions. Tiles and Leaflet itself come from the network, so
    this map is for exploring in JupyterLab only; exported reports use the
    static maps. ``tiles=None`` draws the 1:110m countries instead of tiles.

    Raises:
        ImportError: "explore_places needs folium: pip install folium" when it is missing.
    """
    try:
        import folium
    except ImportError as err:  # pragma: no cover - folium is a dependency
        raise ImportError("explore_places needs folium: pip install folium") from err
    agg = aggregate_places(places)
    gdf = gpd.GeoDataFrame(agg, geometry=gpd.points_from_xy(agg["lon"], agg["lat"]), crs=4326)
    gdf["articles"] = gdf["articles"].str.replace("|", ", ")
    gdf["surfaces"] = gdf["surfaces"].str.replace("|", ", ")
    centre = [48.5, 31.0] if agg.empty else [float(agg["lat"].median()), float(agg["lon"].median())]
    fmap = folium.Map(location=centre, zoom_start=4, tiles=tiles)
    if tiles is None:
        folium.GeoJson(
            _world()[["name", "geometry"]],
            style_function=lambda _: {
                "color": "#999999",
                "weight": 0.5,
                "fillColor": style.LAND,
                "fillOpacity": 1,
            },
        ).add_to(fmap)
    for row in gdf.itertuples():
        st = KIND_STYLE.get(str(row.kind), KIND_STYLE["other"])
        folium.CircleMarker(
            location=[row.lat, row.lon],
            radius=3 + 1.5 * math.sqrt(float(row.mentions)),
            color=st["color"],
            fill=True,
            fill_opacity=0.8,
            tooltip=folium.Tooltip(
                f"<b>{row.place}</b> ({row.kind})<br>mentions: {row.mentions}<br>"
                f"articles: {row.articles}<br>forms: {row.surfaces}"
            ),
        ).add_to(fmap)
    return fmap
