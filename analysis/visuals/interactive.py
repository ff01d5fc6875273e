"""An interactive folium map of the places, for exploring in JupyterLab.

Why: a static map labels only the most mentioned places; here every place has
a tooltip (kind, articles, surface forms, mentions). Tiles and Leaflet come
from the network, so exported reports use the static maps of :mod:`analysis.visuals.maps`.
folium is a dependency of the package (``pyproject.toml``).
"""

from __future__ import annotations

import math
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from analysis.visuals import furniture, geodata, map_tables, style


def explore_places(places: pd.DataFrame, *, tiles: str | None = "OpenStreetMap") -> Any:
    """An interactive folium map for JupyterLab, with a tooltip per place.

    The tooltip gives the place, its kind, the articles, the surface forms and
    the number of mentions. Tiles and Leaflet itself come from the network, so
    this map is for exploring in JupyterLab only; exported reports use the
    static maps. ``tiles=None`` draws the 1:110m countries instead of tiles.

    """
    agg = map_tables.aggregate_places(places)
    gdf = gpd.GeoDataFrame(agg, geometry=gpd.points_from_xy(agg["lon"], agg["lat"]), crs=4326)
    gdf["articles"] = gdf["articles"].str.replace("|", ", ")
    gdf["surfaces"] = gdf["surfaces"].str.replace("|", ", ")
    centre = [48.5, 31.0] if agg.empty else [float(agg["lat"].median()), float(agg["lon"].median())]
    fmap = folium.Map(location=centre, zoom_start=4, tiles=tiles)
    if tiles is None:
        folium.GeoJson(
            geodata.world()[["name", "geometry"]],
            style_function=lambda _: {
                "color": "#999999",
                "weight": 0.5,
                "fillColor": style.LAND,
                "fillOpacity": 1,
            },
        ).add_to(fmap)
    for row in gdf.itertuples():
        st = furniture.KIND_STYLE.get(str(row.kind), furniture.KIND_STYLE["other"])
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
