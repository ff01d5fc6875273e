"""Exports: every map and chart as PNG (>= 200 dpi) and SVG, places read back with GDAL."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest
from PIL import Image

from analysis.text.names import figure_name
from analysis.visuals import charts, exports, registry, style


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def tables(seeds):
    from analysis.figures.reading import extract_figures
    from analysis.places.geoparse import extract_mentions, places_table

    return (
        seeds.articles,
        places_table(extract_mentions(seeds.articles)),
        extract_figures(seeds.articles),
    )


def test_export_all_writes_every_file(tables, tmp_path):
    articles, places, figures = tables
    paths = exports.export_all(articles, places, figures, tmp_path / "exports", per_article=False)
    names = {p.name for p in paths}
    for stem in (
        "theatre_map",
        "context_map",
        "timeline_troops",
        "casualties",
        "munitions",
        "overview",
    ):
        assert {f"{stem}.png", f"{stem}.svg"} <= names
    assert {"places.geojson", "places.gpkg", "figures.csv"} <= names
    assert all(p.stat().st_size > 0 for p in paths)
    assert not [p for p in (tmp_path / "exports").iterdir() if p.name.startswith(".")]
    with Image.open(tmp_path / "exports" / "theatre_map.png") as img:
        assert img.info["dpi"][0] >= 199.9 and img.width >= 2000
    back = pd.read_csv(tmp_path / "exports" / "figures.csv", keep_default_na=False)
    assert len(back) == len(figures) and list(back.columns) == list(figures.columns)


@pytest.mark.parametrize("name", ["places.geojson", "places.gpkg"])
def test_places_read_back_with_gdal(tables, tmp_path, name):
    _, places, _ = tables
    exports.export_places(places, tmp_path)
    info = pyogrio.read_info(tmp_path / name, layer="places")
    assert info["features"] == len(places) and info["geometry_type"] == "Point"
    assert "EPSG:4326" in info["crs"] or "4326" in info["crs"]
    gdf = pyogrio.read_dataframe(tmp_path / name, layer="places")
    sudzha = gdf[gdf["place"] == "Sudzha"].geometry.iloc[0]
    assert (round(sudzha.x, 3), round(sudzha.y, 3)) == (35.271, 51.191)


def test_save_figure_deterministic_and_refuses_low_dpi(tables, tmp_path):
    _, _, figures = tables
    fig = charts.timeline(figures)
    a = exports.save_figure(fig, tmp_path / "a", "t")
    b = exports.save_figure(charts.timeline(figures), tmp_path / "b", "t")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    with pytest.raises(ValueError, match="at least 200"):
        exports.save_figure(fig, tmp_path, "t", dpi=100)


def test_registry_names_keys_and_errors():
    assert registry.file_name("place_map", "Sudzha") == figure_name("place_map", "Sudzha")
    assert registry.file_name("overview") == "overview"
    with pytest.raises(ValueError, match="needs a key"):
        registry.file_name("article_map")
    with pytest.raises(ValueError, match="takes no key"):
        registry.file_name("overview", "x")
    with pytest.raises(KeyError, match="no figure named"):
        registry.draw("nope")


def test_registry_draws_as_the_chart_function(tables):
    articles, places, figures = tables
    drawn = registry.draw("timeline", "killed", figures=figures, articles=articles)
    direct = charts.timeline(figures, "killed", articles, subject=None)
    assert [t.get_text() for t in drawn.texts] == [t.get_text() for t in direct.texts]


def test_figures_display_inline_only_in_a_kernel():
    assert style.enable_inline_display() is False  # pytest is no Jupyter kernel
    assert style.figure_png(style.empty_figure("t", "m", "n")).startswith(b"\x89PNG")
