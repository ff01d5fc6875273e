"""Maps tested through what they draw: points at projected coordinates, extent, labels, legend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj
import pytest
from matplotlib.figure import Figure

from analysis.visuals import interactive, map_tables, maps, projections
from analysis.visuals.exports import save_figure

EXPECTED_THEATRE = {"Kursk", "Sudzha", "Pokrovsk", "Zaporizhzhia", "Kursk Oblast"}
EXPECTED_CONTEXT = {"Pyongyang", "Moscow", "Washington", "Alaska", "Taipei"}


def _place(name, lat, lon, kind="city", country="UA", article="a1", mentions=1, gid=0):
    return {
        "article": article,
        "place": name,
        "lat": lat,
        "lon": lon,
        "country": country,
        "kind": kind,
        "admin1": "",
        "mentions": mentions,
        "surfaces": name,
        "precision": 1,
        "geonameid": gid,
        "confidence": 1.0,
    }


@pytest.fixture(scope="module")
def places(seeds) -> pd.DataFrame:
    from analysis.places.geoparse import extract_mentions, places_table

    return places_table(extract_mentions(seeds.articles))


@pytest.fixture(scope="module")
def figures(seeds) -> pd.DataFrame:
    from analysis.figures.reading import extract_figures

    return extract_figures(seeds.articles)


@pytest.fixture(scope="module")
def theatre(places) -> Figure:
    return maps.theatre_map(places)


@pytest.fixture(scope="module")
def context(places, figures) -> Figure:
    return maps.context_map(places, figures)


@pytest.fixture(autouse=True)
def _close_figures():
    """The maps are built without pyplot; close anything pyplot may still hold all the same."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _renderer(fig: Figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return FigureCanvasAgg(fig).get_renderer()


def _gids(fig: Figure, prefix: str) -> list:
    return [a for a in fig.findobj() if str(a.get_gid() or "").startswith(prefix)]


def _drawn_points(fig: Figure) -> np.ndarray:
    return np.vstack([c.get_offsets() for c in _gids(fig, "points:")])


def test_split_keeps_every_place_once(places):
    theatre, context = map_tables.split_places(places)
    assert set(theatre["place"]) | set(context["place"]) == set(places["place"])
    assert not set(theatre["place"]) & set(context["place"])
    assert set(theatre["place"]) >= EXPECTED_THEATRE
    assert set(context["place"]) >= EXPECTED_CONTEXT
    assert (
        (context[context["kind"] == "country"].shape[0])
        == (places.drop_duplicates("place")["kind"] == "country").sum()
    )


def test_theatre_points_at_projected_coordinates(places, theatre):
    agg, _ = map_tables.split_places(places)
    crs = projections.theatre_projection(agg)
    assert "Lambert Conic Conformal" in crs.coordinate_operation.method_name
    t = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    drawn = _drawn_points(theatre)
    for name in EXPECTED_THEATRE:
        row = agg[agg["place"] == name].iloc[0]
        x, y = t.transform(row["lon"], row["lat"])
        assert np.min(np.hypot(drawn[:, 0] - x, drawn[:, 1] - y)) < 1.0, name


def test_theatre_extent_contains_points_and_labels(theatre):
    ax = theatre.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    pts = _drawn_points(theatre)
    assert ((pts[:, 0] > x0) & (pts[:, 0] < x1) & (pts[:, 1] > y0) & (pts[:, 1] < y1)).all()
    renderer = _renderer(theatre)
    box = ax.get_window_extent(renderer)
    for label in _gids(theatre, "label:"):
        bb = label.get_window_extent(renderer)
        assert box.x0 - 1 <= bb.x0 and bb.x1 <= box.x1 + 1 and box.y0 - 1 <= bb.y0, label.get_text()


def test_theatre_labels_legend_scale_source(places, theatre):
    theatre_places, context_places = map_tables.split_places(places)
    labels = {t.get_text() for t in _gids(theatre, "label:")}
    assert set(theatre_places["place"]) <= labels  # the seeds have fewer than label_top places
    assert _gids(theatre, "legend") and _gids(theatre, "scalebar") and _gids(theatre, "tint")
    source = _gids(theatre, "source")[0].get_text()
    assert "GeoNames" in source and "Natural Earth" in source and "5 news articles" in source
    outside = _gids(theatre, "outside")[0].get_text()
    assert all(p.split()[0] in outside for p in context_places["place"])


def test_theatre_labels_do_not_overlap_each_other(theatre):
    renderer = _renderer(theatre)
    boxes = [t.get_window_extent(renderer) for t in _gids(theatre, "label:")]
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    assert not overlaps


def test_context_draws_every_outside_place(places, context):
    _, ctx = map_tables.split_places(places)
    labels = {t.get_text() for t in _gids(context, "label:")}
    assert set(ctx["place"]) <= labels
    assert _gids(context, "supply_link") and _gids(context, "theatre_outline")
    crs = projections.context_projection(map_tables.aggregate_places(places))
    x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(*maps.PYONGYANG)
    assert np.min(np.hypot(*(_drawn_points(context) - [x, y]).T)) < 1.0


def test_no_supply_link_without_shipment_figures(places, figures):
    fig = maps.context_map(places, figures[figures["category"] == "troops_deployed"])
    assert not _gids(fig, "supply_link")


def test_theatre_extent_follows_places():
    far_west = pd.DataFrame([_place("Lviv", 49.84, 24.02), _place("Uzhhorod", 48.62, 22.29)])
    east = pd.DataFrame([_place("Sudzha", 51.19, 35.27, country="RU")])
    ext_w = projections.theatre_extent(far_west, projections.theatre_projection(far_west))
    crs_e = projections.theatre_projection(east)
    ext_e = projections.theatre_extent(east, crs_e)
    assert projections.central_meridian(crs_e) == 35.5
    assert ext_w != ext_e and ext_e[1] - ext_e[0] >= projections.MIN_SPAN_M


def test_article_and_place_maps_filter(places):
    fig = maps.article_map(places, "004_9e48de4a2319c365")
    assert {t.get_text() for t in _gids(fig, "label:")} == {"Kursk Oblast", "Kyiv", "Sudzha"}
    fig = maps.place_map(places, "Sudzha")
    assert [t.get_text() for t in _gids(fig, "label:")] == ["Sudzha"]
    assert "Pyongyang" in {
        t.get_text() for t in _gids(maps.place_map(places, "Pyongyang"), "label:")
    }
    with pytest.raises(KeyError, match="not in the places table"):
        maps.place_map(places, "Atlantis")


def test_empty_places_give_a_map():
    empty = pd.DataFrame(columns=list(_place("x", 0, 0)))
    fig = maps.theatre_map(empty)
    assert "No place" in _gids(fig, "outside")[0].get_text()
    assert isinstance(maps.context_map(empty), Figure)


def test_same_inputs_byte_identical_images(places, tmp_path):
    a = save_figure(maps.theatre_map(places), tmp_path / "a", "theatre_map")
    b = save_figure(maps.theatre_map(places), tmp_path / "b", "theatre_map")
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    svg = a[1].read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_explore_places_has_tooltips(places):
    folium = pytest.importorskip("folium")
    fmap = interactive.explore_places(places, tiles=None)
    assert isinstance(fmap, folium.Map)
    html = fmap.get_root().render()
    assert "Sudzha" in html and "mentions" in html


def test_crowded_europe_gets_an_inset_with_every_european_place(context):
    fig = context
    [inset] = [a for a in fig.axes[0].child_axes if a.get_gid() == "europe_inset"]
    labels = {t.get_gid() for t in inset.texts if (t.get_gid() or "").startswith("label:")}
    for place in ("Moscow", "Germany", "Netherlands", "United Kingdom", "Switzerland"):
        assert f"label:{place}" in labels
    main_labels = {t.get_gid() for t in fig.axes[0].texts}
    assert "label:Moscow" not in main_labels and "label:Pyongyang" in main_labels
