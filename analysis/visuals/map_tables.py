"""The tables the maps draw: places summed over articles, split into theatre and context,
and the shipment figures behind the context map's supply arrow.

Why: what a map shows is decided here, on DataFrames, apart from drawing, so
that it can be tested and reused: :func:`split_places` puts every place on
exactly one of the two maps, so that nothing the articles name disappears.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import shapely

from analysis.schema import SUPPLY_CATEGORIES
from analysis.visuals import geodata, style

QUALIFIER_WORDS = {
    "exact": "",
    "approx": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
    "at_most": "at most ",
    "range": "",
}


def aggregate_places(places: pd.DataFrame) -> pd.DataFrame:
    """One row per place over all articles: total mentions, articles, surface forms.

    Columns: place, kind, country, lat, lon, geonameid, mentions, n_articles,
    articles ('|'-joined ids), surfaces ('|'-joined forms); sorted by mentions, then name.
    """
    cols = ["place", "kind", "country", "lat", "lon", "geonameid"]
    out_cols = [*cols, "mentions", "n_articles", "articles", "surfaces"]
    if places.empty:
        return pd.DataFrame(columns=out_cols)
    p = places.copy()
    p["geonameid"] = pd.to_numeric(p["geonameid"], errors="coerce").fillna(0).astype("int64")
    agg = (
        p.groupby(cols, sort=False, dropna=False)
        .agg(
            mentions=("mentions", "sum"),
            n_articles=("article", "nunique"),
            articles=("article", lambda s: "|".join(sorted(set(map(str, s))))),
            surfaces=("surfaces", lambda s: "|".join(dict.fromkeys("|".join(s).split("|")))),
        )
        .reset_index()
    )
    agg["mentions"] = agg["mentions"].astype("int64")
    agg = agg.sort_values(["mentions", "place"], ascending=[False, True], kind="stable")
    return agg[out_cols].reset_index(drop=True)


def split_places(places: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The aggregated places split into (theatre, context).

    Theatre: every place that is not a country and lies in Ukraine or a Russian
    region bordering it (within half a degree). Context: everything else,
    countries included. Together they hold every place, so nothing disappears.
    """
    agg = aggregate_places(places)
    if agg.empty:
        return agg, agg
    pts = shapely.points(agg["lon"].astype(float), agg["lat"].astype(float))
    inside = shapely.contains(geodata.theatre_zone(), pts) & (agg["kind"] != "country").to_numpy()
    return agg[inside].reset_index(drop=True), agg[~inside].reset_index(drop=True)


def supply_figures(figures: pd.DataFrame | None) -> pd.DataFrame:
    """Figures of shipments from North Korea (subject KP), first statements only, no percentages."""
    if figures is None or figures.empty:
        return pd.DataFrame(columns=[] if figures is None else figures.columns)
    f = figures[
        (figures["subject"] == "KP")
        & figures["category"].isin(SUPPLY_CATEGORIES)
        & (figures["unit"] != "percent")
    ]
    if "repeat" in f.columns:
        f = f[~f["repeat"].astype(bool)]
    return f.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def describe_figure(row: Any) -> str:
    """A figure in words: 'more than 100 ballistische Raketen (ukrainischer ..., 2024-11)'."""
    value = style.thousands(float(row.value)) if row.value == row.value else "?"
    if row.qualifier == "range" and row.low == row.low and row.high == row.high:
        value = f"{style.thousands(float(row.low))}–{style.thousands(float(row.high))}"
    what = str(getattr(row, "counted", "") or "") or str(row.unit)
    who = ", ".join(s for s in (str(row.source or ""), str(row.asof or "")) if s)
    return f"{QUALIFIER_WORDS.get(row.qualifier, '')}{value} {what}" + (f" ({who})" if who else "")
