"""A synthetic corpus with its gold standard, for benchmarks and tests at scale.

Articles are assembled from the seeds' own sentences (those without numbers,
taken in order from one seed article so that each synthetic article reads as
one story), with the seeds' Ukrainian and Russian towns swapped for other
towns of Kursk, Belgorod, Sumy, Kharkiv, Donetsk and Zaporizhzhia oblasts
(GeoNames, through the gazetteer; English or German forms by the article's
language), and with figure sentences whose values, hedges and number formats
vary ("up to 11,000", "rund 12.000", "5.8 million", "eight"). Every place and
figure put into an article is written to the gold tables beside it, in the
format of ``tests/fixtures/gold``, so that accuracy is measured at scale, not
just speed.

The same seed and count give the same corpus byte for byte. Articles are
written one at a time: making 100,000 holds no more in memory than making 10.

Run it as ``python scripts/make_synthetic_corpus.py N OUT_DIR``: the documents
go to ``OUT_DIR/corpus`` (1,000 per subfolder), the gold to ``OUT_DIR/gold``.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.evaluation.scores import GOLD_FIGURE_COLUMNS, GOLD_PLACE_COLUMNS
from analysis.settings import DEFAULT, ROOT, Settings

GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"
OBLASTS: dict[str, tuple[str, str]] = {
    # GeoNames admin-1 code: (English name, German name)
    "RU.41": ("Kursk", "Kursk"),
    "RU.09": ("Belgorod", "Belgorod"),
    "UA.21": ("Sumy", "Sumy"),
    "UA.07": ("Kharkiv", "Charkiw"),
    "UA.05": ("Donetsk", "Donezk"),
    "UA.26": ("Zaporizhzhia", "Saporischschja"),
}
PER_FOLDER = 1000
_SWAP_KINDS = ("city", "town", "village")
_BIG = 1_500_000  # Kyiv, Moscow: capitals stay; other towns of UA and RU are swapped


@dataclass(frozen=True)
class Town:
    """A town of the six oblasts, with the forms an English or German text gives it."""

    en: str
    de: str
    place: str
    lat: float
    lon: float
    country: str
    kind: str
    oblast: str


@dataclass(frozen=True)
class FigureTemplate:
    """A figure sentence: wording per language and what the gold records for it."""

    en: str
    de: str
    qualifier: str
    unit: str
    category: str
    subject: str
    values: tuple[int, ...]
    scale: int = 1


# {n}: the number as written; {town}, {oblast}: place slots; {src}: a source.
FIGURES: tuple[FigureTemplate, ...] = (
    FigureTemplate(
        "Up to {n} North Korean soldiers have been deployed to {oblast}, {src} said.",
        "Bis zu {n} nordkoreanische Soldaten wurden in das {oblast} verlegt, sagte {src}.",
        "up_to", "persons", "troops_deployed", "KP", (3000, 11000, 12000, 14000, 15000),
    ),
    FigureTemplate(
        "North Korea has sent more than {n} ballistic missiles to Russia, according to {src}.",
        "Nordkorea hat mehr als {n} ballistische Raketen nach Russland geschickt, sagte {src}.",
        "more_than", "missiles", "missiles", "KP", (100, 120, 148, 250),
    ),
    FigureTemplate(
        "Some {n} North Korean troops were killed or wounded near {town}, {src} said.",
        "Rund {n} nordkoreanische Soldaten wurden bei {town} getötet oder verwundet, sagte {src}.",
        "approx", "persons", "killed_or_wounded", "KP", (1200, 3000, 4000, 4700, 6000),
    ),
    FigureTemplate(
        "Pyongyang has delivered about {n} artillery shells to Russia, {src} said.",
        "Pjöngjang hat etwa {n} Artilleriegranaten an Russland geliefert, sagte {src}.",
        "approx", "shells", "munitions", "KP", (3, 5, 6, 9), scale=1_000_000,
    ),
    FigureTemplate(
        "At least {n} North Korean soldiers were killed in fighting around {town}.",
        "Mindestens {n} nordkoreanische Soldaten wurden in Kämpfen um {town} getötet.",
        "at_least", "persons", "killed", "KP", (200, 300, 500, 600, 1000),
    ),
    FigureTemplate(
        "{src} said that {n} North Korean soldiers had been captured near {town}.",
        "{src} sagte, dass {n} nordkoreanische Soldaten bei {town} gefangen genommen wurden.",
        "exact", "persons", "captured", "KP", (2, 3, 8, 12),
    ),
    FigureTemplate(
        "Russian forces launched {n} drones at {town} overnight, {src} said.",
        "Russische Truppen griffen {town} in der Nacht mit {n} Drohnen an, sagte {src}.",
        "exact", "drones", "drones", "RU", (40, 75, 112, 140),
    ),
    FigureTemplate(
        "North Korea has shipped around {n} containers of munitions to Russia, {src} said.",
        "Nordkorea hat rund {n} Container mit Munition nach Russland verschifft, sagte {src}.",
        "approx", "containers", "containers", "KP", (7000, 13000, 20000),
    ),
)  # fmt: skip
SOURCES = {
    "en": (
        "Ukraine's military intelligence",
        "South Korea's National Intelligence Service",
        "the Pentagon",
        "analysts at the Institute for the Study of War",
    ),
    "de": (
        "der ukrainische Militärgeheimdienst",
        "der südkoreanische Geheimdienst",
        "das Pentagon",
        "ein Sprecher des Verteidigungsministeriums",
    ),
}
SOURCE_NAMES = {  # how the gold names the source
    "Ukraine's military intelligence": "Ukraine's military intelligence",
    "South Korea's National Intelligence Service": "National Intelligence Service",
    "the Pentagon": "Pentagon",
    "analysts at the Institute for the Study of War": "Institute for the Study of War",
    "der ukrainische Militärgeheimdienst": "ukrainische Militärgeheimdienst",
    "der südkoreanische Geheimdienst": "südkoreanische Geheimdienst",
    "das Pentagon": "Pentagon",
    "ein Sprecher des Verteidigungsministeriums": "Verteidigungsministerium",
}
_WORDS = {
    "en": {2: "two", 3: "three", 8: "eight", 12: "twelve"},
    "de": {2: "zwei", 3: "drei", 8: "acht", 12: "zwölf"},
}
_COUNTRY_ROWS = {
    # text form -> (gold place, country); lat/lon do not count for countries
    "Russia": ("Russia", "RU"),
    "Russland": ("Russia", "RU"),
    "North Korea": ("North Korea", "KP"),
    "Nordkorea": ("North Korea", "KP"),
    "South Korea": ("South Korea", "KR"),
    "Südkorea": ("South Korea", "KR"),
}
# Cities the figure templates name: text form -> gold row (GeoNames coordinates).
_CITY_ROWS = {
    "Pyongyang": {
        "place": "Pyongyang",
        "lat": 39.03385,
        "lon": 125.75432,
        "country": "KP",
        "kind": "city",
    },
    "Pjöngjang": {
        "place": "Pyongyang",
        "lat": 39.03385,
        "lon": 125.75432,
        "country": "KP",
        "kind": "city",
    },
}
# A place name followed by one of these words names an organisation (Kyiv Independent).
_ORGANISATION_AFTER = r"\s+(?:Independent|Post|Times|Institute|Foundation|Program|Center|Centre)\b"


# ---------------------------------------------------------------- ingredients


@dataclass
class Ingredients:
    """What articles are made of: seed sentences by language, towns, oblasts, seed gold."""

    sentences: dict[str, list[list[tuple[str, list[dict[str, Any]]]]]]
    towns: list[Town]
    oblasts: dict[str, dict[str, Any]]
    by_oblast: dict[str, list[Town]] = field(default_factory=dict)


def _german_form(keys: list[str], en: str) -> str:
    """The GeoNames alternate name that reads German (Charkiw, Saporischschja), else ``en``."""
    best, score = en, 0
    for key in keys:
        if not re.fullmatch(r"[a-zäöüß' -]+", key) or " " in key:
            continue
        s = 2 * ("sch" in key) + key.endswith("w") + key.startswith("ch") + ("j" in key)
        if s > score:
            best, score = key[:1].upper() + key[1:], s
    return best


def load_towns(settings: Settings = DEFAULT, min_population: int = 1000) -> list[Town]:
    """Towns of the six oblasts (population ``min_population`` and more), sorted by name."""
    from analysis.places.gazetteer import load_gazetteer, normalise

    gaz = load_gazetteer(settings)
    p = gaz.places
    pool = p[
        p["kind"].isin(_SWAP_KINDS)
        & p["admin1"].isin(list(OBLASTS))
        & (p["population"] >= min_population)
    ]
    ids = set(pool.index)
    keys: dict[int, list[str]] = {}
    for key, pids in gaz.names.items():
        for pid in pids:
            if pid in ids:
                keys.setdefault(pid, []).append(key)
    towns = []
    for pid, row in pool.iterrows():
        en = str(row["place"])
        if pid not in gaz.names.get(normalise(en), ()):
            continue  # the name as GeoNames writes it must lead to the place
        towns.append(
            Town(
                en,
                _german_form(sorted(keys.get(int(pid), [])), en),
                en,
                float(row["lat"]),
                float(row["lon"]),
                str(row["country"]),
                str(row["kind"]),
                str(row["admin1"]),
            )
        )
    return sorted(towns, key=lambda t: (t.en, t.oblast, t.lat))


def _oblast_rows(settings: Settings) -> dict[str, dict[str, Any]]:
    from analysis.places.gazetteer import load_gazetteer

    p = load_gazetteer(settings).places
    out = {}
    for code, (en, _de) in OBLASTS.items():
        row = p[(p["kind"] == "admin1") & (p["place"] == f"{en} Oblast")].iloc[0]
        out[code] = {
            "place": row["place"],
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "country": row["country"],
            "kind": "admin1",
        }
    return out


def seed_sentences(
    corpus_dir: Path | None = None, gold_dir: Path = GOLD_DIR
) -> dict[str, list[list[tuple[str, list[dict[str, Any]]]]]]:
    """Per language, per seed article: its body sentences without numbers, each with the
    gold places it mentions (the seed gold's rows whose surface occurs in it)."""
    import pandas as pd

    from analysis.figures.numbers import find_numbers
    from analysis.text.corpus import load_corpus
    from analysis.text.sentences import split_sentences

    arts = load_corpus(corpus_dir or DEFAULT.corpus_dir).articles
    gold = pd.read_csv(gold_dir / "gold_places.csv", dtype={"article": str}, keep_default_na=False)
    out: dict[str, list[list[tuple[str, list[dict[str, Any]]]]]] = {"en": [], "de": []}
    for a in arts.itertuples():
        rows = gold[gold["article"] == a.article].to_dict("records")
        sents = []
        for s, e in a.body_spans:
            for ss, se in split_sentences(a.text, a.lang, s, e):
                sent = a.text[ss:se]
                if len(sent) < 40 or find_numbers(sent, a.lang) or "\n" in sent:
                    continue
                found = [r for r in rows if _surfaces_in(r["surface"], sent)]
                sents.append((sent, found))
        out.setdefault(a.lang, []).append(sents)
    return out


def _surfaces_in(surfaces: str, sentence: str) -> list[str]:
    return [
        s
        for s in surfaces.split("|")
        if s and re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])(?!{_ORGANISATION_AFTER})", sentence)
    ]


def ingredients(settings: Settings = DEFAULT) -> Ingredients:
    """Everything :func:`generate` needs, read once."""
    towns = load_towns(settings)
    by_oblast: dict[str, list[Town]] = {}
    for t in towns:
        by_oblast.setdefault(t.oblast, []).append(t)
    return Ingredients(seed_sentences(), towns, _oblast_rows(settings), by_oblast)


# ---------------------------------------------------------------- one article


@dataclass
class Article:
    """One synthetic article with its gold rows."""

    article: str
    lang: str
    text: str
    places: list[dict[str, Any]]
    figures: list[dict[str, Any]]


def _number(value: int, lang: str, rng: random.Random, scale: int) -> str:
    """``value`` as a news text might write it in ``lang``."""
    if scale == 1_000_000:
        return f"{value} million" if lang == "en" else f"{value} Millionen"
    if value in _WORDS[lang] and rng.random() < 0.5:
        return _WORDS[lang][value]
    if lang == "de":
        return f"{value:,}".replace(",", ".") if value >= 1000 else str(value)
    return f"{value:,}"


def _oblast_surface(code: str, lang: str, rng: random.Random) -> str:
    en, de = OBLASTS[code]
    if lang == "de":
        return rng.choice((f"Gebiet {de}", f"Oblast {de}"))
    return rng.choice((f"{en} Oblast", f"the {en} region"))


class _Gold:
    """The gold places of one article, one row per place."""

    def __init__(self, article: str) -> None:
        self.article = article
        self.rows: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(self, surface: str, row: dict[str, Any], required: int = 1) -> None:
        key = (row["place"], row["country"], row["kind"])
        if key in self.rows:
            have = self.rows[key]
            if surface not in have["surface"].split("|"):
                have["surface"] += f"|{surface}"
            have["required"] = max(have["required"], required)
            return
        self.rows[key] = {
            "article": self.article,
            "surface": surface,
            "place": row["place"],
            "lat": row["lat"],
            "lon": row["lon"],
            "country": row["country"],
            "kind": row["kind"],
            "required": required,
        }


def _town_row(t: Town) -> dict[str, Any]:
    return {"place": t.place, "lat": t.lat, "lon": t.lon, "country": t.country, "kind": t.kind}


def _swap(
    sent: str, found: list[dict[str, Any]], lang: str, swaps: dict[str, Town], rng, gold, towns
):  # type: ignore[no-untyped-def]
    """The sentence with its UA/RU towns swapped (the same town each time in an article)."""
    for r in found:
        surfaces = _surfaces_in(r["surface"], sent)
        swap = r["kind"] in _SWAP_KINDS and r["country"] in ("UA", "RU")
        swap = swap and r["place"] not in ("Kyiv", "Moscow")
        if not swap:
            for s in surfaces:
                gold.add(s, r, int(r["required"]))
            continue
        town = swaps.setdefault(r["place"], rng.choice(towns))
        name = town.de if lang == "de" else town.en
        for s in surfaces:
            sent = re.sub(rf"(?<![\w-]){re.escape(s)}(?![\w-])", name, sent)
        gold.add(name, _town_row(town))
    return sent


def make_article(article: str, rng: random.Random, ing: Ingredients) -> Article:
    """One article: seed sentences in order with towns swapped, and 2 to 4 figure sentences."""
    lang = "de" if rng.random() < 0.25 else "en"
    source = rng.choice(ing.sentences[lang])
    gold = _Gold(article)
    swaps: dict[str, Town] = {}
    k = min(len(source), rng.randint(6, 12))
    picked = sorted(rng.sample(range(len(source)), k))
    filler = [_swap(*source[i], lang, swaps, rng, gold, ing.towns) for i in picked]
    code = rng.choice(sorted(ing.by_oblast))
    figures, figure_sents = [], []
    for tmpl in rng.sample(FIGURES, rng.randint(2, 4)):
        sent, row = _figure_sentence(article, tmpl, lang, code, rng, ing, gold)
        figures.append(row)
        figure_sents.append(sent)
    published = f"2025-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
    paras, fi = [], 0
    for i in range(0, len(filler), 2):
        para = filler[i : i + 2]
        if fi < len(figure_sents) and (i // 2) % 2 == 0:
            para.insert(rng.randint(0, len(para)), figure_sents[fi])
            fi += 1
        paras.append(" ".join(para))
    paras += figure_sents[fi:]
    text = f"date {published}\n\n" + "\n\n".join(paras) + "\n"
    return Article(article, lang, text, list(gold.rows.values()), figures)


def _figure_sentence(article, tmpl, lang, code, rng, ing, gold):  # type: ignore[no-untyped-def]
    """A figure sentence from a template, its places added to the gold; (sentence, figure row)."""
    value = rng.choice(tmpl.values)
    town = rng.choice(ing.by_oblast[code])
    oblast = _oblast_surface(code, lang, rng)
    src = rng.choice(SOURCES[lang])
    wording = tmpl.de if lang == "de" else tmpl.en
    sent = wording.format(
        n=_number(value, lang, rng, tmpl.scale),
        town=town.de if lang == "de" else town.en,
        oblast=oblast,
        src=src,
    )
    sent = sent[:1].upper() + sent[1:]
    if "{town}" in wording:
        gold.add(town.de if lang == "de" else town.en, _town_row(town))
    if "{oblast}" in wording:
        gold.add(re.sub(r"^the ", "", oblast), ing.oblasts[code])
    for form, (place, country) in _COUNTRY_ROWS.items():
        if re.search(rf"(?<![\w-]){form}(?![\w-])", sent):
            gold.add(form, {"place": place, "lat": 0.0, "lon": 0.0, "country": country,
                            "kind": "country"})  # fmt: skip
    for form, city in _CITY_ROWS.items():
        if re.search(rf"(?<![\w-]){form}(?![\w-])", sent):
            gold.add(form, city)
    full = value * tmpl.scale
    low, high = (None, full) if tmpl.qualifier == "up_to" else (full, None)
    if tmpl.qualifier in ("approx", "exact"):
        low, high = full, full
    row = {
        "article": article,
        "value": full,
        "low": low,
        "high": high,
        "qualifier": tmpl.qualifier,
        "unit": tmpl.unit,
        "category": tmpl.category,
        "subject": tmpl.subject,
        "source": SOURCE_NAMES[src],
        "asof": "",
        "required": 1,
        "note": f"synthetic: {tmpl.en[:40]}",
    }
    return sent, row


# ---------------------------------------------------------------- a corpus


def generate(n: int, seed: int = 0, ing: Ingredients | None = None) -> Iterator[Article]:
    """``n`` synthetic articles, deterministic for a seed, one at a time."""
    ing = ing or ingredients()
    rng = random.Random(seed)
    for i in range(n):
        yield make_article(f"syn{i:07d}", rng, ing)


def write_corpus(n: int, out_dir: str | Path, seed: int = 0) -> tuple[Path, Path]:
    """Write ``n`` articles to ``OUT/corpus`` (1,000 per subfolder) and their gold to
    ``OUT/gold``; returns (corpus folder, gold folder)."""
    out = Path(out_dir)
    corpus, gold = out / "corpus", out / "gold"
    corpus.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    with (
        (gold / "gold_places.csv").open("w", newline="", encoding="utf-8") as fp,
        (gold / "gold_figures.csv").open("w", newline="", encoding="utf-8") as ff,
    ):
        places = csv.DictWriter(fp, GOLD_PLACE_COLUMNS)
        figures = csv.DictWriter(ff, GOLD_FIGURE_COLUMNS)
        places.writeheader()
        figures.writeheader()
        for i, art in enumerate(generate(n, seed)):
            folder = corpus / f"{i // PER_FOLDER:04d}"
            if i % PER_FOLDER == 0:
                folder.mkdir(exist_ok=True)
            (folder / f"{art.article}.txt").write_text(art.text, encoding="utf-8")
            places.writerows(art.places)
            figures.writerows(art.figures)
    return corpus, gold
