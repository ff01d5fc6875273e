"""The date a figure refers to ("asof"), read from its sentence against the publication date.

A sentence may name full dates ("5 May 2024", "May 5"), months ("in March",
"late 2024", "Mitte Mai"), years ("in 2023"), weekdays ("on Friday") and
relative dates ("last month", "gestern"); a figure takes the most specific of
them, then the nearest. Dates after a since-word ("since March") are where a
count begins, not when it was taken, and are skipped. The words are in
``data/figure_terms.json`` (``asof`` and the months of ``non_figures``).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from analysis.figures.figure import Span
from analysis.figures.vocabulary import LANGS, alternation, either_language, terms


def date_patterns(lang: str) -> dict[str, Any]:
    """The compiled date patterns and date words of a language ('en' for anything but 'de')."""
    return _compile(lang if lang in LANGS else "en")


@lru_cache(maxsize=len(LANGS))
def _compile(lang: str) -> dict[str, Any]:
    t = terms()
    asof = t["asof"]
    months = t["non_figures"]["months"][lang]
    full = [m for m in months if not m.endswith(("\\.", "\\.?"))]
    month_alt = alternation(months)
    wd = asof["weekdays"][lang]
    since = alternation(asof["since_words"][lang])
    part = alternation(list(asof["year_part"][lang]))
    rel = alternation(list(asof["relative"][lang]))
    # Leads, links and articles of both languages are read in either language's text.
    suffixes = "|".join(t["non_figures"]["ordinal_suffixes"]["en"])  # "5th May"
    day_links = "".join(rf"(?:{w}\s+)?" for w in either_language(t["non_figures"]["day_links"]))
    month_leads = "|".join(either_language(asof["month_leads"]))
    previous_year = "|".join(either_language(asof["previous_year"]))
    year_leads = "|".join(either_language(asof["year_leads"]))
    since_articles = "|".join(rf"{w}\s+" for w in either_language(asof["since_articles"]))
    return {
        "month_names": full,
        "month_variants": asof["month_variants"][lang],
        "weekdays": wd,
        "day_month": re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|{suffixes})?\s+{day_links}(?P<m>{month_alt})"
            rf"(?:,?\s+(?P<y>\d{{4}}))?(?!\w)",
            re.IGNORECASE,
        ),
        "month_day": re.compile(
            rf"(?<!\w)(?P<m>{month_alt})\s+(?P<d>\d{{1,2}})(?:{suffixes})?(?!\d)"
            rf"(?:,?\s+(?P<y>\d{{4}}))?",
            re.IGNORECASE,
        ),
        "month_year": re.compile(
            rf"(?<!\w)(?:(?P<p>{part})\s+)?(?P<m>{month_alt})\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE
        ),
        "part_year": re.compile(rf"(?<!\w)(?P<p>{part})\s*(?P<y>\d{{4}})(?!\d)", re.IGNORECASE),
        "month": re.compile(
            rf"(?<!\w)(?:{month_leads})\s+"
            rf"(?P<m>{month_alt})(?!\s*\d)(?P<ly>\s+(?:{previous_year}))?",
            re.IGNORECASE,
        ),
        "year": re.compile(rf"(?<!\w)(?:{year_leads})\s+(?P<y>\d{{4}})(?![\d-])"),
        "weekday": re.compile(rf"(?<!\w)(?P<w>{alternation(wd)})(?!\w)", re.IGNORECASE),
        "relative": re.compile(rf"(?<!\w)(?P<r>{rel})(?!\w)", re.IGNORECASE),
        "relative_codes": asof["relative"][lang],
        "since": re.compile(rf"(?<!\w){since}\s+(?:{since_articles})?$", re.IGNORECASE),
        "part_month": asof["year_part"][lang],
    }


def month_number(name: str, pats: dict[str, Any]) -> int:
    """1-12 for a month name or abbreviation of the language, 0 when unknown.

    Examples:
        >>> month_number("Sept.", date_patterns("en")), month_number("Jänner", date_patterns("de"))
        (9, 1)
    """
    low = name.lower().rstrip(".")
    variants = pats["month_variants"]
    for prefix, number in variants.items():
        if low.startswith(prefix):
            return int(number)
    names = [n for n in pats["month_names"] if not n.startswith(tuple(variants))]
    for i, full in enumerate(names[:12]):
        if low[:3] == full[:3]:
            return i + 1
    return 0


def asof(text: str, sent: Span, at: int, lang: str, published: str) -> str:
    """The date the figure at ``at`` refers to, from its sentence ``sent``: the most
    specific one, then the nearest (of two as near, the earlier date); '' when none."""
    index = date_index(text, sent, lang, published)
    if not index:
        return ""
    starts, values = index[max(index)]
    j = bisect_left(starts, at)
    d = min(at - starts[j - 1] if j else math.inf, starts[j] - at if j < len(starts) else math.inf)
    return min(
        values[k]
        for pos in {at - d, at + d}
        for k in range(bisect_left(starts, pos), bisect_right(starts, pos))
    )


# A sentence's dates are read once for all its figures (article_figures clears the cache).
@lru_cache(maxsize=256)
def date_index(
    text: str, sent: Span, lang: str, published: str
) -> dict[int, tuple[list[int], list[str]]]:
    """The dates of a sentence by specificity: their offsets in order, and their values."""
    by_spec: dict[int, list[tuple[int, str]]] = {}
    for spec, start, value in dates(text, sent, lang, published):
        by_spec.setdefault(spec, []).append((start, value))
    out = {}
    for spec, found in by_spec.items():
        found.sort()
        out[spec] = ([start for start, _ in found], [value for _, value in found])
    return out


def dates(text: str, sent: Span, lang: str, published: str) -> tuple[tuple[int, int, str], ...]:
    """Every date a sentence names, as (specificity, offset, 'YYYY[-MM[-DD]]')."""
    pats = date_patterns(lang)
    try:
        pub = date.fromisoformat(published) if published else None
    except ValueError:
        pub = None
    s, e = sent
    found: list[tuple[int, int, str]] = []

    def add(m: re.Match[str], value: str | None, spec: int) -> None:
        if value and not pats["since"].search(text, max(s, m.start() - 12), m.start()):
            found.append((spec, m.start(), value))

    for key in ("day_month", "month_day"):
        for m in pats[key].finditer(text, s, e):
            add(m, _ymd(m, pats, pub), 3)
    for m in pats["month_year"].finditer(text, s, e):
        mon = _month_of(m, pats)
        add(m, f"{m.group('y')}-{mon:02d}" if mon else None, 2)
    for m in pats["part_year"].finditer(text, s, e):
        mon = pats["part_month"].get(m.group("p").lower(), 0)
        add(m, f"{m.group('y')}-{mon:02d}" if mon else None, 2)
    for m in pats["month"].finditer(text, s, e):
        add(m, _month_only(m, pats, pub), 2)
    for m in pats["year"].finditer(text, s, e):
        add(m, m.group("y") if 1900 < int(m.group("y")) < 2100 else None, 1)
    if pub is not None:
        for m in pats["weekday"].finditer(text, s, e):
            add(m, _weekday(m.group("w"), pats, pub), 3)
        for m in pats["relative"].finditer(text, s, e):
            code = pats["relative_codes"][re.sub(r"\s+", " ", m.group("r").lower())]
            value, spec = _relative(code, pub)
            add(m, value, spec)
    return tuple(found)


def _month_of(m: re.Match[str], pats: dict[str, Any]) -> int:
    return month_number(m.group("m"), pats)


def _ymd(m: re.Match[str], pats: dict[str, Any], pub: date | None) -> str | None:
    mon, day = _month_of(m, pats), int(m.group("d"))
    if not mon or not 1 <= day <= 31:
        return None
    if m.group("y"):
        year = int(m.group("y"))
    elif pub is not None:
        year = pub.year - (1 if (mon, day) > (pub.month, pub.day) else 0)
    else:
        return None
    try:
        return date(year, mon, day).isoformat()
    except ValueError:
        return None


def _month_only(m: re.Match[str], pats: dict[str, Any], pub: date | None) -> str | None:
    mon = _month_of(m, pats)
    if not mon or pub is None:
        return None
    year = pub.year - (1 if mon > pub.month or m.group("ly") else 0)
    return f"{year}-{mon:02d}"


def _weekday(name: str, pats: dict[str, Any], pub: date) -> str:
    idx = [w.lower() for w in pats["weekdays"]].index(name.lower())
    back = (pub.weekday() - idx) % 7
    return (pub - timedelta(days=back)).isoformat()


def _relative(code: str, pub: date) -> tuple[str, int]:
    unit, offset = code[:-1].rstrip("-0123456789"), int(re.sub(r"^[a-z]+", "", code) or 0)
    if unit == "day":
        return (pub + timedelta(days=offset)).isoformat(), 3
    if unit == "weekend":  # "over the weekend": its Saturday, on or before the day published
        return (pub - timedelta(days=(pub.weekday() - 5) % 7)).isoformat(), 3
    if unit == "month":
        y, mth = divmod(pub.year * 12 + pub.month - 1 + offset, 12)
        return f"{y}-{mth + 1:02d}", 2
    return str(pub.year + offset), 1
