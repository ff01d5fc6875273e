"""The streaming extraction: parallel equals serial row for row, Parquet, GeoJSON, synthetic corpus.

Timing and memory goals live in ``benchmarks.run`` (``make bench``), not here.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEEDS

from analysis.pipeline.extract import extract_corpus
from analysis.pipeline.tables import TABLES
from analysis.places.gazetteer import load_gazetteer
from analysis.places.geoparse import (
    PLACE_COLUMNS,
    article_mentions,
    mention_rows,
    place_rows,
    places_table,
)
from benchmarks.synthetic import generate, ingredients, write_corpus


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Forty synthetic articles and their gold (made once for the module)."""
    return write_corpus(40, tmp_path_factory.mktemp("synthetic"), seed=7)


def _read(path: Path) -> bytes:
    return path.read_bytes()


def test_parallel_equals_serial_byte_for_byte(synthetic, tmp_path):
    corpus, _gold = synthetic
    serial = extract_corpus(corpus, tmp_path / "serial", jobs=1)
    parallel = extract_corpus(corpus, tmp_path / "parallel", jobs=2)
    assert (serial.jobs, parallel.jobs) == (1, 2)
    assert serial.articles == parallel.articles == 40
    for name in TABLES:
        assert _read(tmp_path / "serial" / f"{name}.csv") == _read(
            tmp_path / "parallel" / f"{name}.csv"
        ), name
    assert _read(tmp_path / "serial" / "places.geojson") == _read(
        tmp_path / "parallel" / "places.geojson"
    )


def test_place_rows_equal_places_table(seed_articles):
    gaz = load_gazetteer()
    for a in seed_articles.itertuples(index=False):
        rows = mention_rows(a.article, a.text, a.body_spans, a.lang, gaz)
        frame = article_mentions(a.article, a.text, a.body_spans, a.lang, gaz)
        pd.testing.assert_frame_equal(pd.DataFrame(rows, columns=frame.columns), frame)
        fast = pd.DataFrame(place_rows(rows), columns=PLACE_COLUMNS)
        pd.testing.assert_frame_equal(fast, places_table(frame), check_dtype=False)


def test_parquet_holds_the_csv_rows(tmp_path):
    out = tmp_path / "out"
    extract_corpus(SEEDS, out, fmt="both")
    for name in TABLES:
        pq = pd.read_parquet(out / f"{name}.parquet")
        fromcsv = pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=["nan"])
        assert list(pq.columns) == TABLES[name]
        assert len(pq) == len(fromcsv), name
    figures = pd.read_parquet(out / "figures.parquet")
    assert figures["value"].dtype == "float64" and figures["repeat"].dtype == bool


def test_parquet_only_writes_no_csv(tmp_path):
    extract_corpus(SEEDS, tmp_path, fmt="parquet")
    assert not list(tmp_path.glob("*.csv"))
    assert (tmp_path / "places.geojson").is_file()


def test_geojson_is_streamed_and_readable(tmp_path):
    import pyogrio

    extract_corpus(SEEDS, tmp_path)
    doc = json.loads((tmp_path / "places.geojson").read_text(encoding="utf-8"))
    places = pd.read_csv(tmp_path / "places.csv")
    assert len(doc["features"]) == len(places)
    gdf = pyogrio.read_dataframe(tmp_path / "places.geojson")
    assert gdf.crs.to_epsg() == 4326
    first = doc["features"][0]
    assert first["geometry"]["coordinates"] == [places.loc[0, "lon"], places.loc[0, "lat"]]


def test_unknown_format_is_refused_before_writing(tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        extract_corpus(SEEDS, tmp_path / "out", fmt="xlsx")
    assert not (tmp_path / "out").exists()


def test_cli_jobs_format_and_progress(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(SEEDS), "--out", str(out),
         "--jobs", "1", "--format", "both", "--progress"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "extract 5 docs" in run.stderr and "articles" in run.stderr
    assert (out / "mentions.parquet").is_file() and (out / "mentions.csv").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(SEEDS), "--out", str(out), "-j", "-1"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("error:")


def test_synthetic_is_deterministic_and_gold_matches_text():
    ing = ingredients()
    a = [art.text for art in generate(5, seed=3, ing=ing)]
    b = list(generate(5, seed=3, ing=ing))
    assert a == [art.text for art in b]
    langs = {art.lang for art in generate(40, seed=3, ing=ing)}
    assert langs == {"en", "de"}
    for art in b:
        assert art.figures and art.places
        for row in art.places:
            assert any(s in art.text for s in row["surface"].split("|")), row
        towns = [r for r in art.places if r["kind"] in ("city", "town", "village")]
        assert all(r["country"] in ("UA", "RU", "KP", "US", "KR", "TW") for r in towns)


def test_synthetic_accuracy_is_measured(synthetic, tmp_path):
    from analysis.evaluation.scores import (
        read_gold_figures,
        read_gold_places,
        score_figures,
        score_places,
    )

    corpus, gold = synthetic
    extract_corpus(corpus, tmp_path, jobs=1)
    with (gold / "gold_places.csv").open(newline="") as fh:
        assert {r["article"] for r in csv.DictReader(fh)} == {f"syn{i:07d}" for i in range(40)}
    pred = pd.read_csv(tmp_path / "places.csv", dtype={"article": str}, keep_default_na=False)
    places = score_places(pred, read_gold_places(gold)).iloc[-1]
    figures = score_figures(
        pd.read_csv(tmp_path / "figures.csv", dtype={"article": str}),
        read_gold_figures(gold / "gold_figures.csv"),
    ).iloc[-1]
    assert places["f1"] > 0.85 and figures["f1"] > 0.9
