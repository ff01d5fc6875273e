"""Files to share without a notebook: every map and chart as PNG and SVG, places, figures.

Why: users pass maps and charts on (briefings, threads) and load places into
GIS. Every file is written aside and renamed into place, so an interrupted run
never leaves half a file; images are deterministic (see :mod:`analysis.visuals.style`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis.pipeline.outdir import atomic_write, safe_cell
from analysis.pipeline.pools import process_pool
from analysis.places.geoparse import PLACE_COLUMNS, places_geodataframe
from analysis.visuals import registry, style
from analysis.visuals.claims import claim_categories

FIXED_GPKG_DATE = "2000-01-01T00:00:00.000Z"
log = logging.getLogger(__name__)


@contextmanager
def pyogrio_config(**options: str) -> Iterator[None]:
    """Set GDAL configuration options for the duration of a block."""
    import pyogrio

    before = pyogrio.get_gdal_config_option
    old = {k: before(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


FORMATS = ("png", "svg")


def save_figure(fig: Figure, out_dir: str | Path, name: str, *, dpi: int = style.DPI) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.png`` (``dpi``, at least 200) and ``out_dir/name.svg``.

    Raises:
        ValueError: "dpi must be at least 200 for shared images" for a lower ``dpi``.
    """
    if dpi < 200:
        raise ValueError("dpi must be at least 200 for shared images")
    out = Path(out_dir)
    return [_save_one(fig, out / f"{name}.{fmt}", dpi) for fmt in FORMATS]


def _save_one(fig: Figure, path: Path, dpi: int) -> Path:
    """One image, written aside (keeping its suffix, which picks the format) and renamed."""
    return atomic_write(path, lambda tmp: style.savefig(fig, tmp, dpi=dpi), keep_suffix=True)


def export_places(places: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """The places as points (EPSG:4326): ``places.geojson`` and ``places.gpkg`` (layer places)."""
    table = places if not places.empty else pd.DataFrame(columns=PLACE_COLUMNS)
    gdf = places_geodataframe(table)
    out = Path(out_dir)
    paths = []
    for name, driver in (("places.geojson", "GeoJSON"), ("places.gpkg", "GPKG")):

        def write(path: Path, driver: str = driver) -> None:
            # GeoPackage stamps the write time into gpkg_contents; a fixed date keeps
            # the file byte-identical between runs on the same inputs.
            with pyogrio_config(OGR_CURRENT_DATE=FIXED_GPKG_DATE):
                gdf.to_file(path, driver=driver, engine="pyogrio", layer="places")

        paths.append(atomic_write(out / name, write, keep_suffix=True))
    return paths


def export_figures_csv(figures: pd.DataFrame, out_dir: str | Path) -> Path:
    """The figures table as ``figures.csv`` (UTF-8, no index)."""

    safe = figures.map(safe_cell) if not figures.empty else figures

    def write(path: Path) -> None:
        safe.to_csv(path, index=False, encoding="utf-8")

    return atomic_write(Path(out_dir) / "figures.csv", write)


def _save_made(job: tuple[str, Callable[[], Figure]], out: Path) -> list[Path]:
    """Draw and save one figure; a drawing that fails writes nothing and is logged, so
    that only the reports showing it fail (they draw it again themselves)."""
    name, make = job
    try:
        return save_figure(make(), out, name)
    except OSError:
        raise  # the machine (a full disk), not the drawing: the batch stops
    except Exception as exc:  # noqa: BLE001 - one failing drawing never stops the others
        log.warning("could not draw %s: %s: %s", name, type(exc).__name__, exc)
        return []


def export_all(
    articles: pd.DataFrame,
    places: pd.DataFrame,
    figures: pd.DataFrame,
    out_dir: str | Path,
    *,
    per_article: bool = True,
    place_maps: Iterable[str] = (),
    categories: Iterable[str] = (),
    workers: int = 1,
    executor: Executor | None = None,
) -> list[Path]:
    """Write every map and chart (PNG + SVG), the places (GeoJSON, GeoPackage) and figures CSV.

    Names (see :mod:`analysis.visuals.registry`): theatre_map, context_map,
    article_map_<id> (with ``per_article``), place_map_<place> (one per name in
    ``place_maps``), timeline_<category> (one per name in ``categories``, every
    subject), timeline_troops, claims_<category> (one per name in ``categories``,
    every subject), claims_kp_<category> (those of ``categories`` with North
    Korean figures), casualties, munitions, overview;
    places.geojson, places.gpkg, figures.csv. Returns the paths written, in that order.
    With ``workers`` above 1 the figures are drawn in that many processes, or
    in ``executor`` when one is given (the report batch shares its pool); the
    files are the same.
    """
    out = Path(out_dir)
    categories = list(categories)  # iterated more than once
    north_korean = set(claim_categories(figures, "KP"))
    keys: dict[str, Iterable[str]] = {
        "article_map": sorted(set(places["article"])) if per_article else (),
        "place_map": place_maps,
        "timeline": categories,
        "claims": categories,
        "claims_kp": [c for c in categories if c in north_korean],
    }
    tables = {"places": places, "figures": figures, "articles": articles}
    jobs: list[tuple[str, Callable[[], Figure]]] = [
        (registry.file_name(name, key), registry.drawing_job(name, key, **tables))
        for name, drawing in registry.DRAWINGS.items()
        for key in (keys[name] if drawing.key is not None else [None])
    ]
    paths: list[Path] = []
    drawn: Iterable[list[Path]]
    if executor is not None:
        drawn = executor.map(_save_made, jobs, [out] * len(jobs))
    elif workers > 1 and len(jobs) > workers:
        with process_pool(workers, ["analysis.visuals.exports"]) as pool:
            drawn = list(pool.map(_save_made, jobs, [out] * len(jobs)))
    else:
        drawn = (_save_made(job, out) for job in jobs)
    # The data files are written here while a pool draws the figures.
    data = [*export_places(places, out), export_figures_csv(figures, out)]
    for written in drawn:
        paths += written
    return paths + data
