"""Find and read number expressions in English and German news text, with offsets.

A *number expression* is what a reported figure is made of: digits with the
separators of the article's language ("14,000" in English, "14.000" in German,
"10 000" in both), decimals with a scale word ("5.8 million", "5,8 Millionen"),
number words ("eight", "dreihundert", read by text2num), vague amounts coded
conservatively as conflict-event datasets do ("dozens" 12, "hundreds" 100,
"several thousand" 2,000 as a low bound), percentages, currency, fractions
("two-thirds of") and ranges ("10,000–12,000", "zwischen 10.000 und 12.000"),
each with the hedge in front of it (qualifier: approx, more_than, at_least,
up_to, at_most, range, exact).

Every candidate is returned, but those that are not figures carry the reason
in ``nonfigure`` (year, date, time, age, caliber, designation such as KN-23 or
Hwasong-11, ordinal, duration, reference such as "World War 2" or "page 5"),
so that callers and tests can see why a number was left out.

The vocabulary (qualifier words, scale words, months, units of time, ...)
lives in ``data/figure_terms.json`` and is compiled into patterns by
:mod:`analysis.figures.number_patterns`; this module reads what they find.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from text_to_num import text2num

from analysis.figures.number_patterns import WORD_CHARS, number_patterns
from analysis.figures.vocabulary import LANGS, terms

MAX_DIGITS = 15  # longer digit runs are identifiers or noise, never a count


@dataclass(frozen=True)
class NumberMatch:
    """One number expression: where it stands, what it says and how it is hedged.

    Attributes:
        start, end: offsets of the number's own wording (scale, percent sign,
            currency and second range bound included; the qualifier not).
        qstart: offset where the expression begins with its qualifier.
        value: the plain number (the low end of a range; the low bound of a vague amount).
        low, high: bounds set to match the qualifier (None when open).
        qualifier: exact, approx, more_than, at_least, up_to, at_most or range.
        unit: 'percent' or a currency code when the wording says so, else ''.
        kind: digits, words, vague, approx_word, fraction, date or time.
        vague: True for amounts like "dozens", coded conservatively.
        year_like: a bare four-digit number that reads as a year.
        nonfigure: why this is not a figure ('' when it may be one).
    """

    start: int
    end: int
    qstart: int
    value: float
    low: float | None
    high: float | None
    qualifier: str
    unit: str
    kind: str
    vague: bool = False
    year_like: bool = False
    nonfigure: str = ""
    scale: float = 1.0

    def surface(self, text: str) -> str:
        """The number's own wording in ``text``."""
        return text[self.start : self.end]


# ---------------------------------------------------------------- parsing


def parse_digits(surface: str, lang: str) -> float | None:
    """The value of a digit string, reading separators as the language writes them.

    One separator of the language's decimal kind is a decimal mark ("7.000" in
    English is 7.0, in German 7000); a separator that repeats in groups of
    three is a thousands mark in either language ("10.000.000,5").

    Examples:
        >>> parse_digits("7.000", "de"), parse_digits("7.000", "en")
        (7000.0, 7.0)
        >>> parse_digits("14,000", "en"), parse_digits("5,8", "de"), parse_digits("10 000", "en")
        (14000.0, 5.8, 10000.0)
        >>> parse_digits("10.000.000,5", "en")
        10000000.5
        >>> parse_digits("9" * 40, "en") is None
        True
    """
    s = re.sub(r"[ \u00a0\u202f\u2009']", "", surface)
    if s.count(".") > 1 or ("." in s and "," in s and s.rfind(",") > s.rfind(".")):
        thousands, decimal = ".", ","
    elif s.count(",") > 1 or ("," in s and "." in s):
        thousands, decimal = ",", "."
    elif lang == "de":
        thousands, decimal = ".", ","
    else:
        thousands, decimal = ",", "."
    s = s.replace(thousands, "").replace(decimal, ".")
    if len(s.split(".")[0]) > MAX_DIGITS or not s:
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_words(surface: str, lang: str) -> float | None:
    """The value of number words via text2num, or None when they do not read as one number.

    Examples:
        >>> parse_words("eight", "en"), parse_words("two hundred and fifty", "en")
        (8.0, 250.0)
        >>> parse_words("dreihundertfünfzig", "de"), parse_words("zwei Millionen", "de")
        (350.0, 2000000.0)
        >>> parse_words("und", "de") is None
        True
    """
    text = re.sub(r"\s+", " ", surface.strip().lower())
    if lang == "en":
        text = text.replace("-", " ")
    try:
        return float(text2num(text, "de" if lang == "de" else "en"))
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return None


# ---------------------------------------------------------------- finding


def find_numbers(text: str, lang: str, start: int = 0, end: int | None = None) -> list[NumberMatch]:
    """Every number expression in ``text[start:end]``, with offsets into ``text``.

    Non-figures are kept with their reason in ``nonfigure``; ranges are merged
    into one expression; qualifiers are read from the words in front.

    Examples:
        >>> t = "Pyongyang has deployed some 14,000 troops since 2024."
        >>> [(m.surface(t), m.value, m.qualifier, m.nonfigure) for m in find_numbers(t, "en")]
        [('14,000', 14000.0, 'approx', ''), ('2024', 2024.0, 'exact', 'year')]
        >>> t = "zwischen 10.000 und 12.000 Soldaten"
        >>> [(m.value, m.low, m.high, m.qualifier) for m in find_numbers(t, "de")]
        [(10000.0, 10000.0, 12000.0, 'range')]
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    pats = number_patterns(lang)
    lang = lang if lang in LANGS else "en"
    found = []
    for ws, we in _windows(text, start, end, pats["trigger"]):
        for m in pats["core"].finditer(text, ws, we):
            nm = _read(m, text, lang, pats, end)
            if nm is not None:
                found.append(nm)
    found = _merge_ranges(found, text, lang, pats)
    return [_with_qualifier(nm, text, start, end, pats) for nm in found]


def _windows(text: str, start: int, end: int, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """Stretches of ``text[start:end]`` around words that can begin a number, merged.

    Running the full number pattern only there keeps the scan fast: most of a
    news text holds no number at all.
    """
    chunk = text[start:end]
    low = chunk.lower()  # faster than an IGNORECASE scan of a long alternation
    if len(low) != len(chunk):  # case mapping changed lengths: scan everything
        return [(start, end)]
    out: list[tuple[int, int]] = []
    for m in trigger.finditer(low):
        ws, we = max(start, start + m.start() - 22), min(end, start + m.end() + 25)
        if out and ws <= out[-1][1]:
            out[-1] = (out[-1][0], we)
        else:
            out.append((ws, we))
    return out


def _read(
    m: re.Match[str], text: str, lang: str, pats: dict[str, Any], end: int
) -> NumberMatch | None:
    """One core match read into a NumberMatch, or None when it holds no number."""
    t = terms()
    s, e = m.start(), m.end()
    kind, vague, unit, scale = "", False, "", 1.0
    qualifier = "exact"
    if m.group("date") or m.group("time"):
        kind = "date" if m.group("date") else "time"
        return NumberMatch(s, e, s, 0.0, None, None, "exact", "", kind, nonfigure=kind)
    if m.group("num"):
        kind = "digits"
        value = parse_digits(m.group("num"), lang)
        if value is None:
            return NumberMatch(s, e, s, 0.0, None, None, "exact", "", kind, nonfigure="too_long")
        if m.group("scale"):
            scale = _lookup(t["scales"][lang], m.group("scale"))
        if m.group("cur"):
            unit = _lookup(t["currency_prefix"], m.group("cur").strip())
            cs = pats["cur_scale"].match(text, e, end) if not m.group("scale") else None
            if cs:
                scale, e = t["currency_scales"].get(cs.group("s")[0].lower(), 1.0), cs.end()
        value *= scale
    elif m.group("vague"):
        kind, vague, qualifier = "vague", True, "approx"
        value = _lookup(t["vague"][lang], m.group("vague"))
    elif m.group("aw"):
        kind = "approx_word"
        key = re.sub(r"\s+", " ", m.group("aw").lower())
        value = _lookup(t["approx_words"][lang], key)
        qualifier = t["approx_word_qualifier"].get(key, "exact")
    elif m.group("frac"):
        kind, unit = "fraction", "percent"
        value = _lookup(t["fractions"][lang], re.sub(r"\s+", " ", m.group("frac").lower()))
    else:
        kind = "words"
        value = parse_words(m.group("words"), lang)
        if value is None:
            return None
    if kind in ("digits", "words") and not unit:
        pm = pats["percent"].match(text, e, end)
        if pm:
            unit, e = "percent", pm.end()
        else:
            cm = pats["cur_suffix"].match(text, e, end)
            if cm:
                unit = _lookup(t["currency_suffix"][lang], cm.group().strip())
    nm = NumberMatch(s, e, s, value, None, None, qualifier, unit, kind, vague=vague, scale=scale)
    return _classify(nm, text, lang, pats, m)


def _lookup(table: dict[str, Any], key: str) -> Any:
    """Value of a vocabulary key matched case-insensitively (keys may be regex fragments)."""
    k = re.sub(r"\s+", " ", key.strip().lower())
    if k in table:
        return table[k]
    for pattern, value in table.items():
        if re.fullmatch(pattern, k, re.IGNORECASE):
            return value
    return next(iter(table.values()))


def _classify(
    nm: NumberMatch, text: str, lang: str, pats: dict[str, Any], m: re.Match[str]
) -> NumberMatch:
    """Mark a number that is not a figure (year, date, caliber, ...) with the reason."""
    reason = _nonfigure_reason(nm, text, lang, pats, m)
    year_like = reason == "year"
    return replace(nm, nonfigure=reason, year_like=year_like)


def _nonfigure_reason(
    nm: NumberMatch, text: str, lang: str, pats: dict[str, Any], m: re.Match[str]
) -> str:
    nf = pats["nonfigure"]
    s, e = nm.start, nm.end
    before = text[max(0, s - 40) : s]
    after = text[e : e + 40]
    if nm.kind == "words" and nm.value == 1 and not nm.scale > 1:
        return "one"
    if nm.kind in ("vague", "approx_word", "fraction"):
        return "duration" if nf["duration"].match(after) else ""
    if re.search(rf"{WORD_CHARS}-?$|(?:^|\s)[-−]$|[/#@=_\\]$", before):
        return "designation"
    if re.search(r"\d[:]$", before) or re.match(r":\d", after):
        return "time"
    if re.search(r"[^\W\d_]{2}\.$", before):
        return "footnote"  # "Granaten nach.7": a note number glued to a sentence's end
    if nm.unit == "" and re.match(WORD_CHARS, after):
        suffix = re.match(rf"{WORD_CHARS}+", after)
        word = suffix.group().lower() if suffix else ""
        if word in pats["ordinal_suffixes"]:
            return "ordinal"
        return "attached"
    if nf["caliber"].match(after):
        return "caliber"
    if nf["age_after"].match(after) or nf["age_before"].search(before):
        return "age"
    if nf["time_after"].match(after) and nm.unit == "":
        return "time"
    if nf["duration_compound"].match(after) or nf["duration"].match(after):
        return "duration"
    if nm.kind == "digits" and nm.unit == "" and nm.scale == 1.0:
        raw = m.group("num") or ""
        day_like = nm.value <= 31 and nm.value == int(nm.value)
        if day_like and (nf["month_after"].match(after) or nf["month_before"].search(before)):
            return "date"
        if lang == "de" and nf["ordinal_de"].match(after):
            return "ordinal"
        if re.fullmatch(r"1[89]\d\d|20\d\d|2100", raw):
            return "year"
        if re.search(r"['’]$", before) and re.fullmatch(r"\d\d", raw):
            return "year"
        if _is_age_apposition(before, after, nm.value):
            return "age"
    if nf["reference"].search(before):
        return "reference"
    return ""


def _is_age_apposition(before: str, after: str, value: float) -> bool:
    """'Kim Jong Un, 41, said': a small number between commas right after a name."""
    return (
        value < 110
        and bool(re.search(r"[A-ZÄÖÜ][\w'-]+,\s*$", before))
        and bool(re.match(r"\s*,", after))
    )


def _merge_ranges(
    found: list[NumberMatch], text: str, lang: str, pats: dict[str, Any]
) -> list[NumberMatch]:
    """Join 'A–B', 'A to B', 'between A and B', 'A bis B' into one range expression."""
    out: list[NumberMatch] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        merged = _range(a, b, text, lang, pats) if b is not None else None
        if merged is not None:
            out.append(merged)
            i += 2
        else:
            out.append(a)
            i += 1
    return out


def _range(
    a: NumberMatch, b: NumberMatch, text: str, lang: str, pats: dict[str, Any]
) -> NumberMatch | None:
    if a.nonfigure or b.nonfigure or a.kind in ("vague", "fraction") or b.kind == "fraction":
        return None
    sep = pats["range_sep"].fullmatch(text, a.end, b.start)
    if sep is None:
        return None
    word = sep.group().strip().lower()
    lead = text[max(0, a.start - 60) : a.start]
    opener = pats["range_opener"].search(lead)
    between = opener is not None and opener.group().lower().startswith(pats["range_between"])
    if word in pats["range_needs_between"] and not between:
        return None
    if word in pats["range_needs_digits"] and not re.match(r"\d", text[b.start : b.end]):
        return None
    if (
        opener
        and opener.group().lower().startswith(pats["range_from"])
        and pats["change_verb"].search(text[max(0, a.start - 80) : a.start])
    ):
        return None
    low = a.value
    if a.scale == 1.0 and b.scale > 1.0 and a.value < 1000:
        low = a.value * b.scale
    if not low < b.value:
        return None
    unit = a.unit or b.unit
    return NumberMatch(
        a.start, b.end, a.start, low, low, b.value, "range", unit, a.kind, scale=b.scale
    )


def _with_qualifier(
    nm: NumberMatch, text: str, start: int, end: int, pats: dict[str, Any]
) -> NumberMatch:
    """Read the hedge in front of (or right after) a number and set low/high to match."""
    if nm.nonfigure:
        return nm
    qualifier, qstart, e = nm.qualifier, nm.start, nm.end
    window_start = max(start, nm.start - 40)
    q = pats["qualifier"].search(text, window_start, nm.start)
    if q is not None and q.end() == nm.start:
        name = q.lastgroup or ""
        if name == "between":
            qstart = q.start() if nm.qualifier == "range" else qstart
        elif nm.qualifier != "range":
            qualifier, qstart = name, q.start()
    if qualifier in ("exact", "approx") and nm.qualifier != "range":
        tr = pats["trailing"].match(text, e, end)
        if tr is not None:
            qualifier = tr.lastgroup or qualifier
    low_high = bounds(nm.value, qualifier, nm)
    return replace(
        nm, qualifier=qualifier, qstart=qstart, low=low_high["low"], high=low_high["high"]
    )


def bounds(value: float, qualifier: str, nm: NumberMatch | None = None) -> dict[str, float | None]:
    """Low and high bounds that go with a qualifier.

    Examples:
        >>> bounds(11000, "up_to")
        {'low': None, 'high': 11000}
        >>> bounds(100, "more_than")
        {'low': 100, 'high': None}
    """
    if qualifier == "range" and nm is not None:
        return {"low": nm.low, "high": nm.high}
    if qualifier in ("more_than", "at_least"):
        return {"low": value, "high": None}
    if qualifier in ("up_to", "at_most"):
        return {"low": None, "high": value}
    return {"low": value, "high": value}


def figure_numbers(
    text: str, lang: str, start: int = 0, end: int | None = None
) -> list[NumberMatch]:
    """The number expressions of ``text[start:end]`` that may be figures.

    Examples:
        >>> t = "170-mm guns, KN-23 missiles, 40% of shells, World War 2, on April 27, 2025"
        >>> [(m.surface(t), m.value, m.unit) for m in figure_numbers(t, "en")]
        [('40%', 40.0, 'percent')]
    """
    return [m for m in find_numbers(text, lang, start, end) if not m.nonfigure]
