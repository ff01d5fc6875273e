"""The compiled patterns that find number expressions, one set per language.

:mod:`analysis.figures.numbers` reads numbers with these: a trigger that
marks where a number may begin, the core pattern (digits, number words, vague
amounts, fractions, dates, times), the hedges in front of and after a number,
the reasons a number is not a figure, percent and currency marks, and the
words that join a range. The words come from ``data/figure_terms.json``
(:func:`analysis.figures.vocabulary.terms`); this module only says how they
are put together.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from analysis.figures.vocabulary import LANGS, alternation, either_language, terms

WORD_CHARS = r"[^\W\d_]"  # a letter

_DIGITS = {
    "en": r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?",
    "de": r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+(?!\d)(?:,\d+)?|\d+(?:,\d+)?",
}
_DATE = (
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}-\d{1,2}-\d{4}"
    r"|(?:19|20)\d\d-(?:0?[1-9]|1[0-2])(?![\d-])"  # ISO year and month: "2024-10"
)


def _time() -> str:
    marks = "|".join(terms()["non_figures"]["dot_time_marks"])
    return rf"\d{{1,2}}:\d{{2}}(?::\d{{2}})?|\d{{1,2}}\.\d{{2}}(?=\s*(?:{marks})\b)"


def _core(lang: str) -> re.Pattern[str]:
    t = terms()
    scales = alternation(list(t["scales"][lang]))
    cur = alternation(list(t["currency_prefix"]))
    vague = alternation(list(t["vague"][lang]))
    approx = alternation(list(t["approx_words"][lang]))
    frac = alternation(list(t["fractions"][lang]))
    if lang == "de":
        morph = alternation(t["number_words"]["de_morphemes"])
        words = rf"{morph}+(?:\s+{alternation(t['number_words']['de_scales'])})?"
    else:
        w = alternation(t["number_words"]["en"])
        joiners = "|".join(t["number_words"]["en_joiners"])
        words = rf"{w}(?:[\s-]+(?:(?:{joiners})[\s-]+)?{w})*"
    links = t["fraction_links"][lang]
    frac_tail = rf"(?=\s+(?:{'|'.join(links)})\b)" if links else ""
    # Nothing starts inside a word (the guard lets the engine skip most positions fast).
    pattern = (
        r"(?<![^\W\d_])(?:"
        rf"(?<![\d])(?<!\d[.,])(?P<date>{_DATE})(?![.,]?\d)"
        rf"|(?<![\d])(?<!\d[.,])(?P<time>{_time()})(?![.,]?\d)"
        rf"|(?P<cur>{cur}\s?)?(?<![\d])(?<!\d[.,])(?P<num>{_DIGITS[lang]})(?![.,]?\d)"
        rf"(?:\s*(?P<scale>{scales})(?!{WORD_CHARS}))?"
        rf"|\b(?P<vague>{vague})\b"
        rf"|\b(?P<aw>{approx})\b"
        rf"|\b(?P<frac>{frac}){frac_tail}\b"
        rf"|\b(?P<words>{words})\b"
        r")"
    )
    return re.compile(pattern, re.IGNORECASE)


def _qualifier_re(lang: str) -> re.Pattern[str]:
    t = terms()
    groups = "|".join(
        f"(?P<{name}>{alternation(words)})" for name, words in t["qualifiers"][lang].items()
    )
    between = "|".join(t["ranges"]["between"][lang] + t["ranges"]["from"][lang])
    return re.compile(
        rf"(?:^|(?<=[\s(\"'„“”‚‘’«»—–-]))(?:(?P<between>{between})|{groups})\s+$", re.IGNORECASE
    )


def _trailing_re(lang: str) -> re.Pattern[str]:
    groups = "|".join(
        f"(?P<{name}>{alternation(words)})"
        for name, words in terms()["trailing_qualifiers"][lang].items()
    )
    return re.compile(rf"\s*(?:{groups})(?!{WORD_CHARS})", re.IGNORECASE)


def _nonfigure_res(lang: str) -> dict[str, re.Pattern[str]]:
    nf = terms()["non_figures"]
    months = alternation(nf["months"][lang])
    time_units = alternation(nf["time_units"][lang])
    ref = alternation(nf["reference_nouns"])
    ordinal_de = alternation(nf["ordinal_nouns_de"])
    duration_leads = "|".join(either_language(nf["duration_leads"]))
    age_leads = "|".join(rf"\b{w}" for w in either_language(nf["age_leads"]))
    day_links = "".join(rf"(?:{w}\s+)?" for w in either_language(nf["day_links"]))
    return {
        "month_after": re.compile(rf"\.?\s*{day_links}{months}(?!{WORD_CHARS})", re.I),
        "month_before": re.compile(rf"(?<!{WORD_CHARS}){months}\.?\s*$", re.I),
        "duration": re.compile(
            rf"(?:\s+|\s*-\s*)(?:(?:{duration_leads})\s+)?{time_units}(?!{WORD_CHARS})",
            re.I,
        ),
        "duration_compound": re.compile(
            rf"-{alternation(nf['duration_compounds'])}(?!{WORD_CHARS})", re.I
        ),
        "caliber": re.compile(rf"\s*-?\s*{alternation(nf['calibers'])}(?!{WORD_CHARS})", re.I),
        "age_after": re.compile(rf"\s*{alternation(nf['ages'])}", re.I),
        "age_before": re.compile(rf"(?:{age_leads})\s*$", re.I),
        "time_after": re.compile(
            rf"\s*{alternation([w for w in nf['times'] if lang == 'en' or 'm' not in w[:2]])}",
            re.I,
        ),
        "reference": re.compile(rf"(?<!{WORD_CHARS}){ref}\s*$", re.I),
        # "der 448. Raketenbrigade": an ordinal before a noun or the end of a compound noun
        "ordinal_de": re.compile(rf"\.\s+(?:[a-zäöüß]|(?i:{months}|[a-zäöüß]*?{ordinal_de})\b)"),
    }


def _trigger(lang: str) -> re.Pattern[str]:
    """Where a number may begin: a digit, a currency sign, or a word that opens one."""
    t = terms()
    nw = t["number_words"]
    first_words = [
        w.split()[-1] for key in ("vague", "approx_words", "fractions") for w in t[key][lang]
    ]
    first_words += [w.split()[0] for key in ("vague", "fractions") for w in t[key][lang]]
    first_words += (
        nw["en"]
        if lang == "en"
        else [m for m in nw["de_morphemes"] if m not in nw["de_trigger_skip"]]
    )
    first_words += nw["de_trigger_extra"] if lang == "de" else []
    # Articles ("a", "an") would make nearly every word a trigger; the windows reach
    # 22 characters back, which covers them. English words end at a word boundary;
    # German number morphemes start compounds ("zweihundert").
    words = sorted({w.lower() for w in first_words if len(w) > 2})
    return re.compile(
        r"[\d$€£₽]|(?<![^\W_])(?:" + alternation(words) + (r")\b" if lang == "en" else ")")
    )


def number_patterns(lang: str) -> dict[str, Any]:
    """The compiled patterns of a language ('en' for anything but 'de')."""
    return _compiled(lang if lang in LANGS else "en")


@lru_cache(maxsize=len(LANGS))
def _compiled(lang: str) -> dict[str, Any]:
    t = terms()
    ranges = t["ranges"]
    separators = "|".join(ranges["separators"][lang])
    openers = "|".join(w for lg in LANGS for key in ("between", "from") for w in ranges[key][lg])
    return {
        "trigger": _trigger(lang),
        "core": _core(lang),
        "qualifier": _qualifier_re(lang),
        "trailing": _trailing_re(lang),
        "nonfigure": _nonfigure_res(lang),
        "percent": re.compile(
            rf"\s?(?:{alternation(t['percent'][lang])})(?!{WORD_CHARS})", re.IGNORECASE
        ),
        "cur_suffix": re.compile(
            rf"\s(?:{alternation(list(t['currency_suffix'][lang]))})(?!{WORD_CHARS})",
            re.IGNORECASE,
        ),
        "cur_scale": re.compile(r"(?P<s>[mkb]n?)(?![\w])", re.IGNORECASE),
        "range_sep": re.compile(rf"\s*[-–—]\s*|\s+(?:{separators})\s+", re.IGNORECASE),
        "change_verb": re.compile(
            rf"\b(?:{'|'.join(either_language(ranges['change_verbs']))})\b[^.]{{0,40}}$",
            re.IGNORECASE,
        ),
        # What opens a range ('between', 'from'), in either language's text.
        "range_opener": re.compile(rf"(?:{openers})\s+$", re.IGNORECASE),
        "range_between": tuple(either_language(ranges["between"])),
        "range_from": tuple(either_language(ranges["from"])),
        "range_needs_between": tuple(either_language(ranges["needs_between"])),
        "range_needs_digits": tuple(either_language(ranges["needs_digits"])),
        "ordinal_suffixes": tuple(either_language(t["non_figures"]["ordinal_suffixes"])),
    }
