"""Places: detection in English and German, resolution from evidence, tables, evaluation."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pyogrio
import pytest
from conftest import GOLD, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.evaluation.scores import read_gold_places, score_places
from analysis.places.gazetteer import load_gazetteer
from analysis.places.geoparse import (
    MENTION_COLUMNS,
    PLACE_COLUMNS,
    article_mentions,
    places_table,
)
from analysis.places.resolve import distance_km


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def mentions(text: str, lang: str = "en", gaz=None) -> pd.DataFrame:
    return article_mentions("t", text, [(0, len(text))], lang, gaz)


def resolved(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    m = mentions(text, lang)
    m = m[~m["flagged"].astype(bool)]
    return list(zip(m["surface"], m["place"], m["kind"], strict=True))


@pytest.fixture(scope="module")
def seed_places(seeds, gaz):
    from analysis.places.geoparse import extract_mentions

    return places_table(extract_mentions(seeds.articles, gaz))


def test_seeds_meet_the_f1_bar(seed_places):
    scores = score_places(seed_places, read_gold_places(GOLD)).set_index("article")
    assert scores.at["overall", "f1"] >= 0.95, scores.attrs["errors"]


@pytest.mark.parametrize(
    ("article", "place", "lat", "lon", "kind"),
    [
        ("000_60bf0c177671397f", "Kursk Oblast", 51.7, 36.3, "admin1"),
        ("000_60bf0c177671397f", "Pokrovsk", 48.28, 37.18, "town"),
        ("000_60bf0c177671397f", "Kostiantynivka", 48.53, 37.71, "town"),
        ("000_60bf0c177671397f", "Belgorod Oblast", 50.9, 37.3, "admin1"),
        ("000_60bf0c177671397f", "Donetsk Oblast", 48.1, 37.8, "admin1"),
        ("004_9e48de4a2319c365", "Sudzha", 51.19, 35.27, "village"),
        ("001_855aa4aa7bc5ab35", "Zaporizhzhia", 47.82, 35.19, "city"),
    ],
)
def test_key_places_resolved_right(seed_places, article, place, lat, lon, kind):
    rows = seed_places[(seed_places["article"] == article) & (seed_places["place"] == place)]
    assert len(rows) == 1, seed_places[seed_places["article"] == article]["place"].tolist()
    row = rows.iloc[0]
    assert row["kind"] == kind
    assert distance_km(row["lat"], row["lon"], lat, lon) < 25


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Drones struck Kyiv overnight.", "en"),
        ("Drones struck Kiev overnight.", "en"),
        ("Drohnen trafen in der Nacht Kiew.", "de"),
    ],
)
def test_spellings_of_kyiv(text, lang):
    [(_, place, kind)] = resolved(text, lang)
    assert (place, kind) == ("Kyiv", "city")


@pytest.mark.parametrize("name", ["Zaporizhzhia", "Zaporizhia", "Zaporozhye", "Saporischschja"])
def test_zaporizhzhia_is_the_city_not_the_village(name, gaz):
    m = mentions(f"Russian forces shelled {name} on Monday, Ukraine said.", gaz=gaz)
    row = m[m["surface"] == name].iloc[0]
    assert row["kind"] == "city"
    assert (
        gaz.places.loc[gaz.places["geonameid"] == row["geonameid"], "population"].iloc[0] > 500_000
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Fighting continued in the Kursk region.", "en"),
        ("Fighting continued in Kursk Oblast.", "en"),
        ("Die Kämpfe in der Region Kursk gingen weiter.", "de"),
        ("Die Kämpfe in der Oblast Kursk gingen weiter.", "de"),
        ("Zaporizhzhia Oblast was shelled overnight.", "en"),
    ],
)
def test_region_phrases_give_the_region(text, lang):
    kinds = [k for _, _, k in resolved(text, lang)]
    assert kinds == ["admin1"]


def test_bare_name_follows_the_articles_region_reading():
    text = "Troops advanced in Russia's Kursk region. Later, Kyiv's forces left Kursk."
    places = {p for _, p, _ in resolved(text)}
    assert "Kursk Oblast" in places and "Kursk" not in places


def test_german_and_transliterated_forms():
    text = (
        "Nordkoreanische Soldaten kämpften bei Sudscha. "
        "Pjöngjang schickte mehr Truppen nach Russland."
    )
    assert [p for _, p, _ in resolved(text, "de")] == ["Sudzha", "Pyongyang", "Russia"]


def test_possessives_and_acronyms():
    text = "Russia's army and the U.S. and the DPRK, but not us."
    assert [p for _, p, _ in resolved(text)] == [
        "Russia",
        "United States of America",
        "North Korea",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Rob Lee, a senior fellow, said the troops fought hard. Lee travels to the front.",
        "according to John Hardie, deputy director of the programme.",
        "sagte die Pressesprecherin Sabrina Singh bei einem Briefing.",
        "Many soldiers left. Most of them returned. Of course the price rose. Price caps fell.",
        "Russian President Vladimir Putin met Volodymyr Zelensky.",
        "The KN-23 and Hwasong-11 missiles were fired.",
    ],
)
def test_people_and_ordinary_words_are_not_places(text):
    assert resolved(text, "de" if "sagte" in text else "en") == []


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("experts told the Kyiv Independent on Monday.", "Kyiv Independent"),
        ("as the Washington Post reported.", "Washington"),
        ("the Washington-based Foundation for Defense of Democracies", "Washington"),
        ("If the Kremlin sends troops, it is war.", "Kremlin"),
    ],
)
def test_organisations_are_flagged_not_counted(text, surface):
    m = mentions(text)
    assert len(m) == 1
    assert m.iloc[0]["surface"].startswith(surface)
    assert m.iloc[0]["flagged"] and m.iloc[0]["flag"] == "organisation"
    assert places_table(m).empty


def test_pokrovsk_follows_its_neighbours():
    ua = mentions("Russian troops pressed on Pokrovsk and Kostiantynivka in Donetsk Oblast.")
    row = ua[ua["surface"] == "Pokrovsk"].iloc[0]
    assert row["country"] == "UA"
    assert "Pokrovsk (RU" in row["alternatives"]
    assert 0 < row["confidence"] <= 1


def test_mentions_and_places_columns(seed_places):
    m = mentions("Troops in Sudzha, Kursk Oblast.")
    assert list(m.columns[: len(MENTION_COLUMNS)]) == MENTION_COLUMNS
    assert list(seed_places.columns) == PLACE_COLUMNS
    assert set(seed_places["kind"]) <= {
        "city",
        "town",
        "village",
        "admin1",
        "country",
        "region",
        "other",
    }
    assert seed_places["country"].str.fullmatch(r"[A-Z]{2}").all()
    text = "Troops in Sudzha, Kursk Oblast."
    for row in m.itertuples():
        assert text[row.start : row.end] == row.surface
    assert dict(zip(m["surface"], m["precision"], strict=True)) == {"Sudzha": 1, "Kursk Oblast": 3}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_is_processed(text):
    m = article_mentions("h", text, [(0, len(text))], "en")
    for row in m.itertuples():
        assert 0 <= row.start < row.end <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "🙂 Kyiv 🙂",
        "كييف Kyiv مرحبا",
        "Ky\u0301iv and Kursk\u0308",
        "K" * 1_000_000,
        "Kyiv-" * 10_000,
    ],
)
def test_odd_texts(text):
    article_mentions("x", text, [(0, len(text))], "en")


def test_extract_and_evaluate_commands(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(SEEDS), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (
        list(pd.read_csv(out / "mentions.csv").columns[: len(MENTION_COLUMNS)]) == MENTION_COLUMNS
    )
    places = pd.read_csv(out / "places.csv")
    assert list(places.columns) == PLACE_COLUMNS
    gdf = pyogrio.read_dataframe(out / "places.geojson")
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(places)
    assert not (pd.read_csv(out / "mentions.csv")["surface"] == "Cardano").any()
    ev = subprocess.run(
        [sys.executable, "-m", "analysis", "evaluate", str(out), str(GOLD)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ev.returncode == 0, ev.stderr
    overall = next(line for line in ev.stdout.splitlines() if line.strip().startswith("overall"))
    assert float(overall.split()[-1]) >= 0.95


@pytest.mark.parametrize(
    ("text", "lang", "surface", "place", "country", "kind"),
    [
        # the Russian city, not a Polish village with the same alternate name
        ("Blasts hit Bryansk and Warsaw.", "en", "Bryansk", "Bryansk", "RU", "city"),
        # Crimea is Ukraine's in law, whoever holds it
        ("Drones struck Crimea overnight.", "en", "Crimea", None, "UA", "admin1"),
        ("Die Halbinsel Krim wurde angegriffen.", "de", "Krim", None, "UA", "admin1"),
        # an oblast's bare name is its namesake city
        ("Auch in Cherson gab es Explosionen.", "de", "Cherson", "Kherson", "UA", "town"),
        # a city-state is read as the country
        ("Singapore and Japan made parts of it.", "en", "Singapore", "Singapore", "SG", "country"),
        # a big city in German text, though its name is frequent
        ("Merz reiste nach Washington.", "de", "Washington", "Washington", "US", "city"),
    ],
)
def test_resolution_on_unseen_phrasings(text, lang, surface, place, country, kind):
    m = mentions(text, lang)
    row = m[m["surface"] == surface].iloc[0]
    assert (row["country"], row["kind"]) == (country, kind)
    if place:
        assert row["place"] == place


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Fighting raged in the Kursk and Belgorod regions overnight.", "en"),
        ("Fighting in the Kursk, Bryansk and Belgorod regions.", "en"),
        ("In den Gebieten Kursk und Belgorod wurde gekämpft.", "de"),
    ],
)
def test_a_plural_region_word_covers_every_coordinated_name(text, lang):
    assert {k for _, _, k in resolved(text, lang)} == {"admin1"}


def test_coordinated_names_without_a_region_word_stay_towns():
    assert [k for _, _, k in resolved("Kursk and Belgorod were shelled.")] == ["city", "city"]


# ---------------------------------------------------------------- linear in the article


def test_nearest_anchor_is_the_minimum_over_every_pair(gaz):
    import math
    import random

    from analysis.places.resolve import _Anchors

    lat, lon = gaz.col("lat"), gaz.col("lon")
    points = [p for p in range(len(lat)) if lat[p] == lat[p]]
    rng = random.Random(5)
    for n in (1, 2, 5, 40, 400):
        anchors = rng.sample(points, n)
        tree = _Anchors(anchors, lat, lon)
        for _ in range(25):
            pid, skip = rng.choice(points + anchors), rng.choice([-1, *anchors])
            pairs = [distance_km(lat[pid], lon[pid], lat[a], lon[a]) for a in anchors if a != skip]
            assert tree.nearest_km(pid, skip) == min(pairs, default=math.inf)


def test_a_heading_is_read_once_per_line():
    from analysis.places.detect import _Lines

    text = "Kursk Region Fighting Resumes Today\nTroops moved near Kursk in the night.\nEnd"
    lines = _Lines(text)
    assert lines.title_case(0) and lines.title_case(20)
    assert not lines.title_case(text.index("near")) and not lines.title_case(len(text) - 1)
    assert lines.title_case(5)  # back to the first line


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([" ", "  \n", '"', "(", ".", "Kursk", "x"]), max_size=30))
def test_sentence_start_reads_no_more_than_the_span_start(parts):
    import re

    from analysis.places.detect import _sentence_start

    text = "".join(parts)
    for s in range(0, len(text), 3):
        lead = re.compile(r"\S").search(text, s)
        first = lead.start() if lead else len(text)
        for pos in range(s, len(text) + 1):
            before = text[max(s, pos - 12) : pos].rstrip(" \"'“„«(‚‘")
            whole = (
                before[-1] in ".!?:;–—\n" if before else pos - 12 <= s or not text[s:pos].strip()
            )
            assert _sentence_start(text, pos, s, first) == whole
