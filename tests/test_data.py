"""Every reviewed data file of text/, places/ and figures/ loads, its patterns compile, and
every alias and exclusion names something that exists, so that a typo fails here
instead of being dropped when the gazetteer compiles."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.places.gazetteer import (
    GazetteerDataError,
    alias_ids,
    alias_target_ids,
    check_exclusions,
    load_gazetteer,
    normalise,
    read_numbered_csv,
)

SUBPACKAGES = ("analysis.text", "analysis.places", "analysis.figures")
PATTERN_FILES = {
    # file: the keys whose strings are regular expressions (None: every string)
    "boilerplate.json": ("end", "related", "drop"),
    "figure_terms.json": None,
    # names, roles and metonyms are patterns; canonical names, defaults and demonyms are not
    "source_entities.json": ("entities", "roles", "metonyms"),
}


def data_files(suffix: str) -> list[Path]:
    out = []
    for package in SUBPACKAGES:
        folder = Path(str(resources.files(package).joinpath("data")))
        out += sorted(folder.glob(f"*{suffix}"))
    return out


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys starting with ``_`` (comments) left out."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not key.startswith("_"):
                yield from strings(item)


def test_the_data_files_are_found():
    names = {p.name for p in data_files(".json") + data_files(".csv")}
    assert set(PATTERN_FILES) | {"place_context.json", "place_aliases.csv"} <= names


@pytest.mark.parametrize("path", data_files(".json"), ids=lambda p: p.name)
def test_every_json_file_loads_and_its_patterns_compile(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data.get("_about"), f"{path.name} lacks its _about"
    if path.name not in PATTERN_FILES:
        return
    keys = PATTERN_FILES[path.name]
    parts = data if keys is None else {k: data[k] for k in keys}
    for pattern in strings(parts):
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            pytest.fail(f"{path.name}: pattern {pattern!r} does not compile: {exc}")


def test_place_context_words_are_lower_case_words():
    path = Path(str(resources.files("analysis.places").joinpath("data/place_context.json")))
    for word in strings(json.loads(path.read_text(encoding="utf-8"))):
        assert word == word.casefold() and word.strip() == word, (path.name, word)


@pytest.mark.parametrize("path", data_files(".csv"), ids=lambda p: p.name)
def test_every_csv_file_has_whole_rows(path):
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        assert len(row) == len(header), f"{path.name}, line {line}: {row}"
        assert all(cell.strip() for cell in row), f"{path.name}, line {line}: an empty field"


def test_every_alias_target_exists():
    gaz = load_gazetteer()  # the build refuses an unknown target or exclusion too
    places = gaz.places
    countries = places[(places["kind"] == "country") & (places["source"] == "Natural Earth")]
    country_ids = dict(zip(countries["country"], countries.index, strict=True))
    path = Path(str(resources.files("analysis.places").joinpath("data/place_aliases.csv")))
    for line, row in read_numbered_csv(path):
        ids = alias_ids(row["target"], places, country_ids)
        assert ids, f"{path.name}, line {line}: target {row['target']!r} names no place"
        assert set(ids) <= set(gaz.names[normalise(row["alias"])]), (line, row)


def test_a_misspelt_exclusion_is_an_error_naming_file_line_and_name():
    with pytest.raises(GazetteerDataError, match=r"place_exclusions\.csv, line 7: .*'Nrth'"):
        check_exclusions([(6, {"name": "North"}), (7, {"name": "Nrth"})], {"north"})


def test_a_misspelt_alias_target_is_an_error_naming_file_line_and_target():
    places = pd.DataFrame({"place": ["Kursk"], "geonameid": [538560], "source": ["GeoNames"]})
    assert alias_target_ids(3, {"alias": "Kursk", "target": "Kursk"}, places, {}) == [0]
    for target in ("Krusk", "geonames:538561", "country:XX"):
        row = {"alias": "Kursk", "target": target}
        with pytest.raises(GazetteerDataError, match=rf"place_aliases\.csv, line 9: .*'{target}'"):
            alias_target_ids(9, row, places, {"RU": 0})
