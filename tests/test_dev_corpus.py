"""The development corpus (tests/fixtures/dev): real excerpts kept as returned, a
manifest that describes them, gold that points into them, and a split by outlet."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis import schema
from benchmarks.dev_corpus import DEV, read_manifest, scores, split_by_outlet

PLACE_COLUMNS = [
    "article",
    "surface",
    "place",
    "lat",
    "lon",
    "country",
    "kind",
    "geonameid",
    "required",
    "note",
]
FIGURE_COLUMNS = [
    "article",
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "category",
    "subject",
    "source",
    "source_entity",
    "asof",
    "anchor",
    "required",
    "note",
]
KINDS = {"country", "admin1", "city", "town", "village", "region", "other"}


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    return read_manifest()


def _text(manifest: pd.DataFrame, article: str) -> str:
    file = manifest.set_index("id").loc[article, "file"]
    return (DEV / file).read_text(encoding="utf-8")


def test_the_corpus_is_large_varied_and_kept_as_returned(manifest):
    assert len(manifest) >= 40
    assert (manifest["lang"] == "de").sum() >= 15
    assert set(manifest["lang"]) == {"en", "de"}
    assert manifest["id"].is_unique and manifest["url"].is_unique
    assert manifest["outlet"].nunique() >= 25
    for row in manifest.itertuples():
        data = (DEV / row.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256, row.id
        text = data.decode("utf-8")
        assert len(text) == int(row.chars) >= 600, row.id
        assert row.url.startswith("http") and row.query, row.id


def test_the_halves_split_by_outlet(manifest):
    assert manifest["half"].tolist() == split_by_outlet(manifest).tolist()
    assert manifest.groupby("outlet")["half"].nunique().max() == 1
    share = (manifest["half"] == "check").mean()
    assert 0.25 <= share <= 0.4
    for lang in ("en", "de"):
        assert set(manifest.loc[manifest["lang"] == lang, "half"]) == {"work", "check"}


def test_every_gold_place_names_words_of_its_text(manifest):
    gold = pd.read_csv(DEV / "gold_places.csv", dtype={"article": str}, keep_default_na=False)
    assert list(gold.columns) == PLACE_COLUMNS
    assert set(gold["article"]) <= set(manifest["id"])
    for row in gold.itertuples():
        text = _text(manifest, row.article)
        for surface in row.surface.split("|"):
            assert surface in text, (row.article, surface)
        assert row.kind in KINDS and row.required in (0, 1), row
        assert -90 <= float(row.lat) <= 90 and -180 <= float(row.lon) <= 180, row
        assert len(row.country) == 2 or (row.kind in ("region", "other") and not row.country), row


def test_every_gold_figure_is_anchored_in_its_text(manifest):
    gold = pd.read_csv(DEV / "gold_figures.csv", dtype={"article": str}, keep_default_na=False)
    assert list(gold.columns) == FIGURE_COLUMNS
    assert set(gold["article"]) <= set(manifest["id"])
    assert set(gold["article"]) == set(manifest["id"]) - _without_figures(manifest, gold)
    for row in gold.itertuples():
        assert row.anchor in _text(manifest, row.article), (row.article, row.anchor)
        assert row.category in schema.CATEGORIES, row
        assert row.qualifier in schema.QUALIFIERS, row
        assert row.required in (0, 1), row
        float(row.value)


def _without_figures(manifest: pd.DataFrame, gold: pd.DataFrame) -> set[str]:
    """Excerpts whose gold has no figure (allowed, but they must be few)."""
    missing = set(manifest["id"]) - set(gold["article"])
    assert len(missing) <= len(manifest) // 5, missing
    return missing


@pytest.mark.slow
def test_both_halves_are_scored_field_by_field():
    table = scores()
    assert list(table.columns) == ["work", "check", "check en", "check de", "all"]
    assert table.loc["articles", "all"] == table.loc["articles", ["work", "check"]].sum()
    assert table.loc["articles", "check"] == table.loc["articles", ["check en", "check de"]].sum()
    for field in ("source entity (matched)", "as-of (matched)", "subject (matched)"):
        assert field in table.index
    rates = table.drop(index="articles")
    assert ((rates >= 0) & (rates <= 1)).all().all(), table
