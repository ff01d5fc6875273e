"""Projections and extents of the maps: a conformal conic for the theatre, Equal Earth for
the context, and the geometry helpers that project, fit and cut to them.

Why: a map's extent follows its places, never a fixed box, and its projection is
centred on them (rounded, so that near-identical inputs give the same map);
boundaries are cut before projecting so that nothing smears across the map's edge.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from analysis.visuals import geodata

MIN_SPAN_M = 350_000.0  # the theatre map never zooms in closer than this


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


def project(lon: Any, lat: Any, crs: pyproj.CRS) -> tuple[np.ndarray, np.ndarray]:
    t = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = t.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.atleast_1d(x), np.atleast_1d(y)


def fit_extent(
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
        geom = geodata.countries().loc[lambda c: c["iso_a2"] == "UA"].to_crs(crs).total_bounds
        return fit_extent(tuple(geom), aspect, pad, MIN_SPAN_M)
    x, y = project(theatre["lon"], theatre["lat"], crs)
    bounds = [x.min(), y.min(), x.max(), y.max()]
    named = geodata.named_admin1(theatre)
    if not named.empty:
        b = named.to_crs(crs).total_bounds
        bounds = [
            min(bounds[0], b[0]),
            min(bounds[1], b[1]),
            max(bounds[2], b[2]),
            max(bounds[3], b[3]),
        ]
    return fit_extent(tuple(bounds), aspect, pad, MIN_SPAN_M)


def outline_lonlat(extent: tuple[float, float, float, float], crs: pyproj.CRS, n: int = 24):
    """The projected extent's outline as lon/lat arrays (densified: a conic box is curved)."""
    x0, x1, y0, y1 = extent
    xs = np.concatenate([np.linspace(x0, x1, n), np.full(n, x1), np.linspace(x1, x0, n), [x0] * n])
    ys = np.concatenate(
        [np.full(n, y0), np.linspace(y0, y1, n), np.full(n, y1), np.linspace(y1, y0, n)]
    )
    t = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return t.transform(xs, ys)


def clipped(gdf: gpd.GeoDataFrame, box: tuple[float, ...], crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """``gdf`` cut to a lon/lat box, then projected (cutting first keeps rendering fast)."""
    g = gdf.copy()
    g["geometry"] = g.geometry.clip_by_rect(*box)
    return g[~g.geometry.is_empty].to_crs(crs)


def world_split(lon0: float) -> gpd.GeoDataFrame:
    """World polygons cut along the meridian opposite ``lon0`` so they project without smears."""
    cut = (lon0 + 360) % 360 - 180
    world = geodata.world().copy()
    if abs(cut) >= 179.999:
        return world
    eps = 1e-6
    west = shapely.box(-180, -90, cut - eps, 90)
    east = shapely.box(cut + eps, -90, 180, 90)
    world["geometry"] = [
        shapely.union(g.intersection(west), g.intersection(east)) for g in world.geometry
    ]
    return world[~world.geometry.is_empty]
