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
* every place of the table is drawn on one of the two (see
  :func:`analysis.visuals.map_tables.split_places`); the theatre map lists by
  name what lies outside it.

The data they draw on is in :mod:`~analysis.visuals.geodata` and
:mod:`~analysis.visuals.map_tables`, projections in
:mod:`~analysis.visuals.projections`, legend, labels and scale bar in
:mod:`~analysis.visuals.furniture`; the interactive map is in
:mod:`~analysis.visuals.interactive`.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot (no global state, no double display in notebooks); save it with
:func:`analysis.visuals.exports.save_figure`. Artists carry ``gid`` values
(``points:city``, ``label:Kursk``, ``scalebar``, ``source`` ...) that the tests read.
"""

from __future__ import annotations

import textwrap
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from analysis.visuals import furniture, geodata, map_tables, projections, style

SHORT_NAMES = {"RU": "Russia", "MD": "Moldova"}  # labels on the theatre map


PYONGYANG = (125.75432, 39.03385)  # lon, lat (GeoNames 1871859), start of the supply link


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
    furniture.frame(ax, extent)
    ax.set_facecolor(style.WATER)
    lon, lat = projections.outline_lonlat(extent, crs)
    box = (lon.min() - 1, max(lat.min() - 1, -89.0), lon.max() + 1, min(lat.max() + 1, 89.0))
    countries = geodata.countries()
    world = geodata.world()
    others = projections.clipped(world[~world["iso_a2"].isin(set(countries["iso_a2"]))], box, crs)
    if not others.empty:
        others.plot(ax=ax, color=style.LAND, edgecolor=style.ADMIN_EDGE, linewidth=0.5)
    land = projections.clipped(countries, box, crs)
    land.plot(
        ax=ax,
        color=[style.FOCUS_LAND if c == "UA" else style.LAND for c in land["iso_a2"]],
        linewidth=0,
    )
    named = projections.clipped(geodata.named_admin1(theatre), box, crs)
    if not named.empty:
        named.plot(ax=ax, color=style.TINT, linewidth=0)
        ax.collections[-1].set_gid("tint")
    admin1 = geodata.admin1()
    projections.clipped(admin1[admin1["iso_a2"].isin(["UA", "RU"])], box, crs).boundary.plot(
        ax=ax, color=style.ADMIN_EDGE, linewidth=0.45
    )
    land.boundary.plot(ax=ax, color=style.COUNTRY_EDGE, linewidth=1.3)
    furniture.frame(ax, extent)  # geopandas may have moved the limits
    x, y = (
        projections.project(theatre["lon"], theatre["lat"], crs) if not theatre.empty else ([], [])
    )
    x, y = np.asarray(x), np.asarray(y)
    busy = shapely.union_all(
        [*shapely.buffer(shapely.points(x, y), 0.09 * (extent[1] - extent[0])), *named.geometry]
    )
    country_names = _country_names(ax, land, extent, busy)
    furniture.points(ax, theatre, x, y)
    furniture.scale_bar(ax, crs)
    return furniture.labels(ax, theatre, x, y, top=label_top, obstacles=country_names, bold=bold)


def _country_names(
    ax: Axes, land: gpd.GeoDataFrame, extent: tuple[float, ...], busy: Any = None
) -> list[Any]:
    """Spaced capitals for the countries that fill a fair part of the view, kept inside it
    and away from the ``busy`` area (places and tinted regions); skipped if there is no room."""
    view = shapely.box(extent[0], extent[2], extent[1], extent[3])
    name_of = {**geodata.country_names(), **SHORT_NAMES}
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
    theatre, context = map_tables.split_places(places)
    crs = projections.theatre_projection(theatre)
    with style.context():
        fig, ax, side = furniture.new_figure((10, 7.4))
        bbox = ax.get_position(original=True)
        aspect = (bbox.width * 10) / (bbox.height * 7.4)
        extent = projections.theatre_extent(theatre, crs, aspect=aspect)
        texts = _draw_theatre(ax, theatre, crs, extent, label_top=label_top, bold=bold)
        n = furniture.n_articles(places)
        furniture.titles(
            fig,
            title,
            f"{len(theatre)} place{'s' if len(theatre) != 1 else ''} in Ukraine "
            f"and the bordering Russian regions, named in {n} article{'s' if n != 1 else ''}; "
            "marker area grows with the number of mentions",
        )
        kinds = [k for k in furniture.KIND_STYLE if (theatre["kind"] == k).any()]
        named = not geodata.named_admin1(theatre).empty
        furniture.legend(
            side, kinds, "Region named in the articles" if named else None, borders=True
        )
        notes = []
        if len(texts) < len(theatre):
            notes.append(f"{len(theatre) - len(texts)} less-mentioned places drawn without labels.")
        if not context.empty:
            notes.append(
                "Outside this map (see the context map):\n"
                + furniture.wrap_names(context["place"].tolist())
            )
        if theatre.empty:
            notes.append("No place in Ukraine or the bordering Russian regions was named.")
        furniture.side_note(side, "\n\n".join(notes), 0.30)
        style.source_note(fig, furniture.source_line(places))
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
    theatre, _ = map_tables.split_places(rows)
    if not theatre.empty:
        return _theatre_figure(rows, title=title, label_top=1, bold=place)
    return context_map(rows, title=title)


def _theatre_outline(theatre: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """lon/lat outline of the theatre map's extent (as :func:`theatre_map` draws it)."""
    crs = projections.theatre_projection(theatre)
    return projections.outline_lonlat(
        projections.theatre_extent(theatre, crs, aspect=1.28), crs, n=12
    )


def _context_extent(
    x: np.ndarray, y: np.ndarray, aspect: float
) -> tuple[float, float, float, float]:
    return projections.fit_extent((x.min(), y.min(), x.max(), y.max()), aspect, 0.07, 3_000_000.0)


def _supply_link(ax: Axes, crs: pyproj.CRS, end: tuple[float, float]) -> None:
    """The North Korea -> Russia arrow (gid ``supply_link``): a direction, not a route."""
    sx, sy = projections.project(*PYONGYANG, crs)
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


def context_map(
    places: pd.DataFrame, figures: pd.DataFrame | None = None, *, title: str | None = None
) -> Figure:
    """Everything outside the theatre: named countries tinted, places as points, supply link.

    Args:
        places: the places table; theatre places appear as the outlined theatre box.
        figures: the figures table; where it has shipment figures from North
            Korea (:func:`map_tables.supply_figures`), an arrow North Korea -> the theatre
            is drawn and the figures listed beside the map.
        title: the heading.
    """
    theatre, context = map_tables.split_places(places)
    crs = projections.context_projection(map_tables.aggregate_places(places))
    lon0 = projections.central_meridian(crs)
    supply = map_tables.supply_figures(figures)
    with style.context():
        fig, ax, side = furniture.new_figure((10, 6.2))
        ax.set_facecolor(style.WATER)
        world = projections.world_split(lon0).to_crs(crs)
        named = set(context.loc[context["kind"] == "country", "country"])
        tinted = furniture.draw_world(ax, world, named, 0.4)
        ax.collections[-1].set_gid("tint")
        # countries too small for the 1:110m map keep a point
        drawn = set(world.loc[tinted, "iso_a2"])
        pts = context[(context["kind"] != "country") | ~context["country"].isin(drawn)].copy()
        labels_only = context[(context["kind"] == "country") & context["country"].isin(drawn)]
        table = pd.concat([pts, labels_only], ignore_index=True)
        x, y = (
            projections.project(table["lon"], table["lat"], crs)
            if not table.empty
            else (np.array([]),) * 2
        )
        ox = oy = np.array([])
        if not theatre.empty or not supply.empty:
            olon, olat = _theatre_outline(theatre)
            ox, oy = projections.project(olon, olat, crs)
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
        furniture.frame(ax, extent)
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
                    path_effects=furniture.HALO,
                    gid="theatre_label",
                )
            )
        if not supply.empty:
            _supply_link(ax, crs, (float(ox.max()), float(oy.mean())))
        furniture.points(ax, table.iloc[: len(pts)], x[: len(pts)], y[: len(pts)])
        outline = (olon, olat) if len(ox) else None
        in_inset = furniture.europe_inset(ax, table, len(pts), x, y, named, outline, crs)
        rest = ~in_inset
        if in_inset.any() and len(ox):
            obstacles = []  # the theatre outline is labelled inside the inset
            for artist in ax.texts:
                if artist.get_gid() == "theatre_label":
                    artist.remove()
        furniture.labels(
            ax, table[rest].reset_index(drop=True), x[rest], y[rest], top=int(rest.sum()),
            obstacles=obstacles,
        )  # fmt: skip
        n = furniture.n_articles(places)
        furniture.titles(
            fig,
            title or "Places named outside the theatre",
            f"{len(context)} place{'s' if len(context) != 1 else ''} beyond Ukraine and the "
            f"bordering Russian regions, named in {n} article{'s' if n != 1 else ''}; "
            "countries named are tinted",
        )
        kinds = [k for k in furniture.KIND_STYLE if (pts["kind"] == k).any()]
        furniture.legend(
            side, kinds, "Country named in the articles" if named else None, borders=False
        )
        if not supply.empty:
            _shipments_note(side, supply)
        if context.empty:
            furniture.side_note(side, "No place outside the theatre was named.", 0.33)
        style.source_note(fig, furniture.source_line(places))
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
    lines = [map_tables.describe_figure(r) for r in supply.head(5).itertuples()]
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
    return "\n   ".join(textwrap.wrap(text, width=width))
