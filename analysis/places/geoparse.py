"""Find the places an article mentions and resolve each to a point: the mentions and
places tables.

Candidates are found by :mod:`analysis.places.detect` and resolved by
:mod:`analysis.places.resolve`; this module turns them into rows of the
``mentions`` table (every mention, organisations and persons flagged) and the
``places`` table (one row per place per article). Columns come from
:mod:`analysis.schema`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis import schema
from analysis.places.detect import detect
from analysis.places.gazetteer import Gazetteer, load_gazetteer
from analysis.places.resolve import alternatives, resolve

Row = tuple[Any, ...]

MENTION_COLUMNS = schema.columns("mentions")
PLACE_COLUMNS = schema.columns("places")
PRECISION = {"city": 1, "town": 1, "village": 1, "region": 2, "admin1": 3, "country": 3, "other": 3}


def article_mentions(
    article: str, text: str, spans: list[tuple[int, int]], lang: str, gaz: Gazetteer | None = None
) -> pd.DataFrame:
    """Every place mention of one article, resolved, as a mentions table.

    Examples:
        >>> t = "North Korean troops fought near Sudzha in Russia's Kursk Oblast, Rob Lee said."
        >>> m = article_mentions("a", t, [(0, len(t))], "en")
        >>> for row in m[["surface", "place", "country", "kind"]].values.tolist():
        ...     print(row)
        ['Sudzha', 'Sudzha', 'RU', 'village']
        ["Russia's", 'Russia', 'RU', 'country']
        ['Kursk Oblast', 'Kursk Oblast', 'RU', 'admin1']
    """
    return pd.DataFrame(mention_rows(article, text, spans, lang, gaz), columns=MENTION_COLUMNS)


def mention_rows(
    article: str, text: str, spans: list[tuple[int, int]], lang: str, gaz: Gazetteer | None = None
) -> list[tuple]:
    """The rows of :func:`article_mentions` as plain tuples in :data:`MENTION_COLUMNS` order.

    The streaming extraction writes these directly: building a DataFrame per
    article costs as much as finding the places.
    """
    gaz = gaz or load_gazetteer()
    cands = detect(text, spans, gaz, lang)
    cands = [c for c in cands if c.flag != "person"]
    live = resolve(cands, gaz, lang)
    kept = {id(c) for c in live}
    cands = [c for c in cands if c.flag or id(c) in kept]
    col = {
        name: gaz.col(name)
        for name in ("place", "lat", "lon", "country", "kind", "geonameid", "admin1", "population")
    }
    rows = []
    ranked: dict[int, tuple[str, float, int]] = {}
    for c in cands:
        if c.flag:
            pid = max(c.ids, key=lambda p: (col["kind"][p] == "other", col["population"][p]))
            alts, conf = "", 1.0
        elif c.scores:
            # The mentions of one name share their scores: rank them once.
            if id(c.scores) not in ranked:
                ranked[id(c.scores)] = alternatives(c.scores, gaz)
            alts, conf, pid = ranked[id(c.scores)]
        else:
            rows.append(
                (
                    article,
                    c.start,
                    c.end,
                    c.surface,
                    "",
                    np.nan,
                    np.nan,
                    "",
                    "",
                    0,
                    0,
                    0.0,
                    False,
                    "unresolved",
                    "",
                    "",
                )
            )
            continue
        k = col["kind"][pid]
        rows.append(
            (
                article,
                c.start,
                c.end,
                c.surface,
                col["place"][pid],
                round(float(col["lat"][pid]), 5),
                round(float(col["lon"][pid]), 5),
                col["country"][pid],
                k,
                PRECISION.get(k, 3),
                int(col["geonameid"][pid]),
                round(conf, 3),
                bool(c.flag),
                c.flag,
                col["admin1"][pid],
                alts,
            )
        )
    return rows


def extract_mentions(articles: pd.DataFrame, gaz: Gazetteer | None = None) -> pd.DataFrame:
    """The mentions table of a whole articles table (see :data:`MENTION_COLUMNS`)."""
    gaz = gaz or load_gazetteer()
    frames = [
        article_mentions(a.article, a.text, list(a.body_spans), a.lang, gaz)
        for a in articles.itertuples(index=False)
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def places_table(mentions: pd.DataFrame, include_flagged: bool = False) -> pd.DataFrame:
    """One row per place per article: how often and in which forms it is mentioned
    (:func:`place_rows` over the table's rows)."""
    rows = mentions[MENTION_COLUMNS].itertuples(index=False, name=None)
    return pd.DataFrame(place_rows(list(rows), include_flagged), columns=PLACE_COLUMNS)


def _round3(x: float) -> float:
    """Round as pandas/numpy ``round(3)`` does (scale, round half to even, unscale).

    Examples:
        >>> _round3(0.5815), _round3(0.99249999)
        (0.582, 0.992)
    """
    return round(x * 1000.0) / 1000.0 if math.isfinite(x) else x


def place_rows(mentions: Sequence[Row], include_flagged: bool = False) -> list[Row]:
    """The places table's rows of some mentions (tuples in :data:`MENTION_COLUMNS` order):
    one per place per article, sorted by article and place, flagged mentions left out
    unless ``include_flagged``. Plain tuples, so the extraction builds no DataFrame per
    article; :func:`places_table` is the same rows as a DataFrame.

    Examples:
        >>> m = [("a", 0, 5, "Kursk", "Kursk", 51.7, 36.2, "RU", "city", 1, 1, 0.9, False, "",
        ...       "RU.41", ""), ("a", 9, 14, "Kursk", "Kursk", 51.7, 36.2, "RU", "city", 1, 1,
        ...       0.8, False, "", "RU.41", "")]
        >>> place_rows(m)
        [('a', 'Kursk', 51.7, 36.2, 'RU', 'city', 'RU.41', 2, 'Kursk', 1, 1, 0.85)]
    """
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for m in mentions:
        art, _s, _e, surface, place, lat, lon, country, kind, prec, gid, conf, flagged = m[:13]
        if (flagged and not include_flagged) or place == "":
            continue
        key = (art, place, country, kind, _nan_key(lat), _nan_key(lon))
        g = groups.get(key)
        if g is None:
            groups[key] = [art, place, lat, lon, country, kind, m[14], [surface], prec, gid, [conf]]
        else:
            g[7].append(surface)
            g[10].append(conf)
    rows = [
        (
            *g[:7],
            len(g[10]),
            "|".join(dict.fromkeys(g[7])),
            g[8],
            g[9],
            _round3(math.fsum(g[10]) / len(g[10])),
        )
        for g in groups.values()
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _nan_key(x: Any) -> Any:
    """A grouping key under which every NaN is the same (as pandas ``dropna=False`` has it)."""
    return None if isinstance(x, float) and x != x else x


def places_geodataframe(places: pd.DataFrame):  # type: ignore[no-untyped-def]
    """The places table as a GeoDataFrame of points in EPSG:4326."""
    import geopandas as gpd

    return gpd.GeoDataFrame(
        places.copy(), geometry=gpd.points_from_xy(places["lon"], places["lat"]), crs="EPSG:4326"
    )
