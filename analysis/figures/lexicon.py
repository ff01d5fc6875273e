"""The compiled vocabulary of the figure reader, one :class:`Lexicon` per language.

What a figure counts (unit nouns, category cue words), whose it is (the sides
and their formations), who says so (source phrases, verbs, kinds of source)
and the small words around them, compiled from ``data/figure_terms.json``
once per language and shared by the modules that read a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from analysis.figures.vocabulary import LANGS, alternation, either_language, terms, words_re


@dataclass(frozen=True)
class Lexicon:
    """Compiled vocabulary for one language."""

    lang: str
    unit: re.Pattern[str]  # the unit nouns, one group u<i> per entry of unit_entries
    unit_entries: list[dict[str, Any]]
    stop: frozenset[str]  # words that end the noun phrase after a number
    of: frozenset[str]  # words read past in it ("of", "the")
    not_noun: re.Pattern[str]  # endings of a word that is no counted noun
    cues: dict[str, re.Pattern[str]]  # category cue words by category
    actor: re.Pattern[str]  # the sides, one group per side code
    group: re.Pattern[str]  # formations that name their side
    destination: re.Pattern[str]  # a side named after these is where, not whose
    subject_link: re.Pattern[str]  # "of the", "aus": a side or formation follows
    place_links: tuple[str, ...]  # links after which only a formation names the side
    anaphora: re.Pattern[str]
    before: re.Pattern[str]  # "according to" X
    verbs: re.Pattern[str]  # X "said"
    inverted: re.Pattern[str]  # "said" X
    stop_after: re.Pattern[str]
    strip: re.Pattern[str]
    pronoun: re.Pattern[str]
    personal_pronouns: frozenset[str]
    citing: tuple[str, ...]
    clause_start: re.Pattern[str]
    passive: re.Pattern[str]
    kinds: dict[str, re.Pattern[str]]
    relative: re.Pattern[str]  # "which" in "which ISW reported": left out of a source
    adverbs: re.Pattern[str]  # "also" in "the ministry also said": left out of a source


_CASE = {"en": re.IGNORECASE, "de": re.NOFLAG}
_COMPOUNDING = ("killed_or_wounded", "killed", "wounded", "missing", "captured", "workers")


def _cue_re(name: str, words: list[str], lang: str) -> str:
    """The cue words of a class as a pattern; German casualty and worker nouns also as the
    end of a compound ("Kriegsverluste", "Bauarbeiter")."""
    if lang == "de" and name in _COMPOUNDING:
        return rf"(?<![\w-])(?:\w*?{alternation(words)})(?![\w-])"
    return words_re(words)


def lexicon(lang: str) -> Lexicon:
    """The compiled vocabulary of a language ('en' for anything but 'de')."""
    return _compile(lang if lang in LANGS else "en")


@lru_cache(maxsize=len(LANGS))
def _compile(lang: str) -> Lexicon:
    t = terms()
    entries = t["units"]
    unit = "|".join(f"(?P<u{i}>{alternation(e[lang])})" for i, e in enumerate(entries))
    actors = {k: v for k, v in t["actors"].items() if not k.startswith("_")}
    actor = "|".join(f"(?P<{code}>{alternation(a[lang])})" for code, a in actors.items())
    group = "|".join(
        f"(?P<{code}>{alternation(a['group'])})" for code, a in actors.items() if "group" in a
    )
    src = t["sources"]
    cues = {
        name: re.compile(_cue_re(name, words[lang], lang), re.IGNORECASE)
        for name, words in t["category_cues"].items()
        if not name.startswith("_")
    }
    np_words = t["noun_phrase"]
    endings = np_words["not_noun_endings"].get(lang, [])
    dest = t["destination_words"]
    dest_articles = "|".join(rf"{w}\s+" for w in either_language(dest["articles"]))
    links = t["subject_links"]
    place_links = list(dict.fromkeys(either_language(links["in"])))
    link_words = "|".join(dict.fromkeys(either_language(links["of"]) + place_links))
    link_articles = "|".join(rf"{w}\s+" for w in either_language(links["articles"]))
    openers = "|".join(either_language(src["clause_openers"]))
    return Lexicon(
        lang=lang,
        unit=re.compile(rf"(?:{unit})(?![\w-])", re.IGNORECASE),
        unit_entries=entries,
        stop=frozenset(np_words["stop"][lang]),
        of=frozenset(np_words["of"][lang]),
        not_noun=re.compile(rf"(?:{'|'.join(endings)})$" if endings else r"(?!)"),
        cues=cues,
        actor=re.compile(rf"(?<![\w-])(?:{actor})(?![\w])", re.IGNORECASE),
        group=re.compile(rf"(?<![\w-])(?:{group})(?![\w])", re.IGNORECASE),
        destination=re.compile(
            rf"(?<![\w-]){alternation(dest[lang])}\s+(?:{dest_articles})?$", re.IGNORECASE
        ),
        subject_link=re.compile(rf"\s+(?:{link_words})\s+(?:{link_articles})?"),
        place_links=tuple(place_links),
        anaphora=re.compile(rf"\s*{alternation(t['anaphora'][lang])}(?![\w])", re.IGNORECASE),
        before=re.compile(words_re(src["before"][lang]) + r"\s+", re.IGNORECASE),
        # German verbs are written in lower case: "Berichten" is a noun, "berichten" a verb.
        verbs=re.compile(words_re(src["verbs"][lang]), _CASE[lang]),
        inverted=re.compile(words_re(src["inverted"][lang]) + r"\s+", _CASE[lang]),
        stop_after=re.compile(words_re(src["stop_after"][lang]), re.IGNORECASE),
        strip=re.compile(rf"^(?:{'|'.join(src['strip'][lang])})", re.IGNORECASE),
        pronoun=re.compile(rf"^{alternation(src['pronouns'][lang])}$", re.IGNORECASE),
        personal_pronouns=frozenset(src["personal_pronouns"][lang]),
        citing=tuple(either_language(src["citing"])),
        clause_start=re.compile(
            # "(NIS)" after a name is part of it, not a clause of its own
            rf",(?!\d)|[;:\"“”„«»\n]|\((?![A-Z][\w.-]{{0,9}}\))|(?<![A-Z])\)|\s[—–-]\s"
            rf"|\b(?:{openers})\s"
        ),
        passive=re.compile(rf"\b(?:{'|'.join(either_language(src['passive']))})$", re.IGNORECASE),
        kinds={
            kind: re.compile(words_re(words), re.IGNORECASE) for kind, words in src["kinds"].items()
        },
        relative=re.compile(rf"^{alternation(src['leading_relatives'][lang])}\s+", re.IGNORECASE),
        adverbs=re.compile(
            rf"(?:\s+{alternation(src['trailing_adverbs'][lang])})+$", re.IGNORECASE
        ),
    )
