"""The geographic data the maps draw on, read once per process: boundaries, names, the theatre.

Why: every map reads the same few files of ``geo/`` (Natural Earth boundaries
joined to GeoNames ids, country names); reading them here, cached, keeps the
second map of a notebook or a report batch fast and gives every map the same
polygons. The theatre zone (Ukraine and the Russian regions bordering it)
decides which places the theatre map draws.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
import shapely

from analysis.settings import DEFAULT

GEO = DEFAULT.geo_dir
WORLD = GEO / "world_110m.geojson"
THEATRE_BUFFER_DEG = 0.5  # places this close to the theatre zone still count as in it


@cache
def admin1() -> gpd.GeoDataFrame:
    """Admin-1 polygons of the theatre countries with their GeoNames ids (from admin1.csv)."""
    gdf = gpd.read_file(GEO / "admin1_theatre.geojson", engine="pyogrio")
    ids = pd.read_csv(GEO / "admin1.csv", usecols=["adm1_code", "gn_id"], keep_default_na=False)
    gn = pd.to_numeric(ids["gn_id"], errors="coerce").fillna(0).astype("int64")
    return gdf.assign(gn_id=gdf["adm1_code"].map(dict(zip(ids["adm1_code"], gn, strict=True))))


@cache
def countries() -> gpd.GeoDataFrame:
    """Countries of the theatre, dissolved from admin-1 by de jure ISO code."""
    return gpd.read_file(GEO / "countries_theatre.geojson", engine="pyogrio")


@cache
def world() -> gpd.GeoDataFrame:
    """World countries at 1:110m (background of the context map)."""
    return gpd.read_file(WORLD, engine="pyogrio")


@cache
def country_names() -> dict[str, str]:
    """English country name per ISO alpha-2 code (from countries.csv)."""
    names = pd.read_csv(GEO / "countries.csv", usecols=["iso_a2", "name_en"], keep_default_na=False)
    return dict(zip(names["iso_a2"], names["name_en"], strict=True))


@cache
def theatre_zone() -> shapely.Geometry:
    """Ukraine (de jure) and the Russian admin-1 regions that border it, slightly buffered."""
    theatre_countries = countries()
    ukraine = theatre_countries.loc[theatre_countries["iso_a2"] == "UA", "geometry"].union_all()
    regions = admin1()
    russia = regions[regions["iso_a2"] == "RU"]
    near = russia[russia.intersects(ukraine.buffer(0.05))]
    zone = shapely.union_all([ukraine, *near.geometry])
    return zone.buffer(THEATRE_BUFFER_DEG)


def named_admin1(places: pd.DataFrame) -> gpd.GeoDataFrame:
    """Admin-1 polygons the admin1 places name: by GeoNames id, else the one holding the point."""
    regions = admin1()
    rows = places[places["kind"] == "admin1"]
    if rows.empty:
        return regions.iloc[0:0]
    known = set(regions["gn_id"])
    ids = pd.to_numeric(rows["geonameid"], errors="coerce").fillna(0).astype("int64")
    hit = regions["gn_id"].isin(set(ids) & known)
    for lon, lat, gid in zip(rows["lon"], rows["lat"], ids, strict=True):
        if gid not in known:
            hit |= regions.contains(shapely.Point(float(lon), float(lat)))
    return regions[hit]
