"""Every table the package writes, defined once: columns, types, meanings, allowed values.

Writers (CSV, Parquet, GeoJSON), readers, the README's table reference and the
category lists of maps and charts all read these definitions, so that a column
added, renamed or retyped here changes everywhere at once (the pattern of
PUDL's field metadata).
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: tuple[str, ...] = (
    "troops_deployed",
    "reinforcements",
    "killed",
    "wounded",
    "killed_or_wounded",
    "missing",
    "captured",
    "munitions",
    "missiles",
    "containers",
    "drones",
    "strikes",
    "settlements",
    "share",
    "other",
)
"""What a reported figure counts, in the order charts and tables show them."""

CASUALTY_CATEGORIES: tuple[str, ...] = ("killed", "wounded", "killed_or_wounded")
"""Categories charted together as casualties."""

SUPPLY_CATEGORIES: tuple[str, ...] = ("munitions", "missiles", "containers", "drones")
"""Categories of supplies sent (shells count as munitions)."""

QUALIFIERS: tuple[str, ...] = (
    "exact",
    "approx",
    "more_than",
    "at_least",
    "up_to",
    "at_most",
    "range",
)
"""How a figure is hedged ("some 10,000": approx; "10,000 to 12,000": range)."""

SOURCE_KINDS: tuple[str, ...] = (
    "party",
    "third_party",
    "media",
    "expert",
    "unattributed",
    "other",
)
"""Who reports a figure: a party to the war, a third party, the press, an expert, no one
named, or a named source the vocabulary cannot place."""

LANGUAGES: tuple[str, ...] = ("en", "de")
"""Languages the extractors read."""


@dataclass(frozen=True)
class Field:
    """One column: its name, type (``string``, ``int64``, ``float64``, ``bool``),
    meaning, and the values it may take (empty: any)."""

    name: str
    dtype: str
    description: str
    values: tuple[str, ...] = ()


def _f(name: str, dtype: str, description: str, values: tuple[str, ...] = ()) -> Field:
    return Field(name, dtype, description, values)


_ARTICLE = _f("article", "string", "the article's id (its file name without the suffix)")
_LAT = _f("lat", "float64", "latitude, WGS 84 (EPSG:4326), 5 decimals")
_LON = _f("lon", "float64", "longitude, WGS 84 (EPSG:4326), 5 decimals")
_COUNTRY = _f("country", "string", "ISO 3166 alpha-2 code of the place's country")
_KIND = _f("kind", "string", "country, admin1 (oblast, region), city, town, village or other")
_PRECISION = _f(
    "precision",
    "int64",
    "ACLED's geo_precision: 1 a town, 2 part of a region, 3 a region or country",
)
_GEONAMEID = _f("geonameid", "int64", "GeoNames id of the place (0: curated or unresolved)")
_CONFIDENCE = _f("confidence", "float64", "how sure the resolution is, 0 to 1")
_ADMIN1 = _f("admin1", "string", "GeoNames code of the first-level region (RU.41)")
_START = _f("start", "int64", "offset of the first character in the file as read")
_END = _f("end", "int64", "offset after the last character")

TABLES: dict[str, tuple[Field, ...]] = {
    "articles": (
        _ARTICLE,
        _f("title", "string", "title from the document or its metadata"),
        _f("lang", "string", "language: from metadata, else detected", LANGUAGES + ("",)),
        _f("published", "string", "publication date YYYY-MM-DD, or empty"),
        _f("outlet", "string", "the outlet that published it, or empty"),
        _f("chars", "int64", "characters in the file as read"),
        _f("body_chars", "int64", "characters of the article body after the boilerplate cut"),
        _f("sha256", "string", "SHA-256 of the file's bytes"),
    ),
    "problems": (
        _f("file", "string", "the document (or metadata file) concerned"),
        _f("problem", "string", "what is wrong with it"),
        _f("action", "string", "what was done: skipped, read, ignored, ..."),
    ),
    "mentions": (
        _ARTICLE,
        _START,
        _END,
        _f("surface", "string", "the words as written"),
        _f("place", "string", "the resolved place's name"),
        _LAT,
        _LON,
        _COUNTRY,
        _KIND,
        _PRECISION,
        _GEONAMEID,
        _CONFIDENCE,
        _f("flagged", "bool", "not counted as a place (see flag)"),
        _f("flag", "string", "why not: organisation, person, unresolved, ..."),
        _ADMIN1,
        _f("alternatives", "string", "other readings considered, with their confidence"),
    ),
    "places": (
        _ARTICLE,
        _f("place", "string", "the place's name"),
        _LAT,
        _LON,
        _COUNTRY,
        _KIND,
        _ADMIN1,
        _f("mentions", "int64", "how often the article names it"),
        _f("surfaces", "string", "the ways it is written, joined by |"),
        _PRECISION,
        _GEONAMEID,
        _CONFIDENCE,
    ),
    "figures": (
        _ARTICLE,
        _f("value", "float64", "the number reported (a range's upper bound: see low, high)"),
        _f("low", "float64", "lower bound implied by the qualifier, or empty"),
        _f("high", "float64", "upper bound implied by the qualifier, or empty"),
        _f("qualifier", "string", "how the number is hedged", QUALIFIERS),
        _f("unit", "string", "what is counted: persons, shells, missiles, percent, usd, ..."),
        _f("category", "string", "what the figure counts", CATEGORIES),
        _f("subject", "string", "whose troops, losses or supplies: KP, RU, UA, US, ..."),
        _f("source", "string", "who is said to report it, as written (the full name phrase)"),
        _f(
            "source_entity",
            "string",
            "the source as one entity: its canonical English name from the reviewed registry, "
            "else derived from the span; empty when unattributed",
        ),
        _f("source_country", "string", "ISO alpha-2 code of the source's country, or empty"),
        _f("source_kind", "string", "the kind of source", SOURCE_KINDS),
        _f("via", "string", 'who relays the claim ("citing X", "unter Berufung auf X")'),
        _f("asof", "string", "the date the figure refers to: YYYY, YYYY-MM or YYYY-MM-DD"),
        _START,
        _END,
        _f("quote", "string", "the sentence that reports it"),
        _f("lang", "string", "language of the article", LANGUAGES),
        _f("vague", "bool", "a vague amount (dozens, thousands) rather than a number"),
        _f("surface", "string", "the number as written, qualifier included"),
        _f("repeat", "bool", "the same figure given earlier in the article"),
        _f("counted", "string", "the noun phrase the figure counts, as written"),
    ),
}
"""Per table, its fields in column order."""


def columns(table: str) -> list[str]:
    """The column names of ``table`` in order.

    Examples:
        >>> columns("problems")
        ['file', 'problem', 'action']
    """
    return [f.name for f in TABLES[table]]


def dtypes(table: str) -> dict[str, str]:
    """Column name to type (``string``, ``int64``, ``float64``, ``bool``) of ``table``."""
    return {f.name: f.dtype for f in TABLES[table]}


def markdown(table: str) -> str:
    """The table's reference as a Markdown table (the README's tables are checked
    against it)."""
    lines = ["| column | type | meaning |", "|---|---|---|"]
    for f in TABLES[table]:
        allowed = f" ({', '.join(v for v in f.values if v)})" if f.values else ""
        lines.append(f"| `{f.name}` | {f.dtype} | {f.description}{allowed} |")
    return "\n".join(lines)
