"""Whose figure it is: the side (KP, RU, UA, US, ...) a figure belongs to.

The side named in the figure's noun phrase ("14,000 North Korean troops"),
after it ("soldiers of the Akhmat unit"), or nearest before it in its clause
wins; a side named as a destination ("sent to Russia") or inside a source's
name is not the figure's. When nothing names it, :func:`subject_fallback`
reads the sentence, the source and the figure before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from analysis.figures.attribution import sentence_sources
from analysis.figures.figure import Figure, Span
from analysis.figures.lexicon import Lexicon, lexicon
from analysis.figures.vocabulary import terms, words_re
from analysis.schema import CASUALTY_CATEGORIES, SUPPLY_CATEGORIES


def actors(text: str, start: int, end: int, lex: Lexicon, rx: re.Pattern[str] | None = None):
    """(code, start, is_destination) of each side named in ``text[start:end]``."""
    out = []
    for m in (rx or lex.actor).finditer(text, start, end):
        dest = bool(lex.destination.search(text, max(0, m.start() - 14), m.start()))
        out.append((m.lastgroup or "", m.start(), dest))
    return out


def subject(
    fig: Figure, text: str, lex: Lexicon, left: Span, right: Span, antecedent: Figure | None
) -> str:
    """Whose figure it is: the side in its noun phrase, else the nearest one around it."""
    nm = fig.nm
    in_np = actors(text, nm.end, fig.np_end, lex)
    fig.named_side = True
    if in_np:
        return in_np[0][0]
    after = text[fig.np_end : fig.np_end + 45]
    pm = lex.subject_link.match(after)
    if pm:
        grp = lex.group.match(text, fig.np_end + pm.end())
        act = lex.actor.match(text, fig.np_end + pm.end())
        if grp:
            return grp.lastgroup or ""
        if act and not pm.group().strip().startswith(lex.place_links):
            return act.lastgroup or ""
    fig.named_side = False
    if antecedent is not None:
        return antecedent.subject
    quoted = sentence_sources(text, fig.sent, lex.lang).quotes
    near = [a for a in actors(text, left[0], left[1], lex) if not a[2] and not quoted(a[1])]
    if near:
        return near[-1][0]
    return ""


def subject_fallback(fig: Figure, text: str, lex: Lexicon, prev: Figure | None) -> str:
    """Whose figure, when nothing is named next to it: the sentence's previous figure, a
    North Korean mention in the sentence, or the next side named. Never the side of the
    source: who counts is not whose the count is."""
    if prev is not None and prev.sent == fig.sent and prev.subject:
        return prev.subject
    codes, starts = sentence_actors(text, fig.sent, lex.lang)
    if "KP" in codes:
        return "KP"
    if fig.source_country in ("UA", "RU", "KP") and _OWN.search(text, fig.sent[0], fig.nm.start):
        return fig.source_country  # "the ministry said its troops had captured three"
    k = bisect_right(starts, fig.nm.end)  # the first side named after the number
    return codes[k] if k < len(codes) else ""


_OWN = re.compile(r"\b(?:its|their|our|seine[nmrs]?|ihre[nmrs]?|unsere[nmrs]?)\b", re.IGNORECASE)


def prefer_named_party(fig: Figure, text: str, lex: Lexicon) -> str:
    """The subject of a figure whose side was read from around it rather than from its own
    noun phrase: North Korea when its sentence names North Korea (not as a destination)
    and the figure counts troops, losses or supplies (in "Russia received 13,000
    containers from North Korea" the containers are North Korea's, and in "Ukraine says 30
    were killed" the dead are whoever the sentence is about), else what was read."""
    if not fig.named_side and _civilian(fig):
        # People killed or hurt where the strikes fall, not the striking side: in this
        # war's reports, Ukraine's, unless the count's own words name another side.
        return "UA"
    if fig.named_side or fig.subject == "KP":
        return fig.subject
    if fig.category == "other" and fig.unit not in ("percent", "persons"):
        return fig.subject
    codes, _starts = sentence_actors(text, fig.sent, lex.lang)
    if fig.subject == "RU" and fig.category in SUPPLY_CATEGORIES and _received(fig, text, lex):
        fig.subject = ""  # "Russia has received 13,000 containers": the sender's, not Russia's
    if fig.category in ("missiles", "drones") and _verb(fig, text, lex, "launch", fig.sent[1]):
        # Fired at Ukraine or shot down there: Russia's launches, unless the sentence
        # says who made or sent them ("24 missiles, possibly made in North Korea").
        return "KP" if _made_in_north_korea(fig, text, lex) else "RU"
    if fig.subject and fig.category in _USED_BY_RUSSIA:
        return fig.subject  # "Russia launched 57 drones": Russia's, whoever else is named
    if "KP" in codes or _names_kp(text, fig.sent, lex):
        return "KP"  # even after "for", "to": "losses for North Korean forces"
    if not fig.subject and fig.category in _PARTY_COUNTS and names_north_korea(text, lex.lang):
        return "KP"  # troops, losses or supplies in an article about North Korea's part
    return fig.subject


_USED_BY_RUSSIA = frozenset({"missiles", "drones", "strikes"})


def _made_in_north_korea(fig: Figure, text: str, lex: Lexicon) -> bool:
    """Whether the sentence names North Korea as the maker or sender ("made in North
    Korea", "aus Nordkorea")."""
    origin = _verb_re("origin", lex.lang)
    for m in lex.actor.finditer(text, *fig.sent):
        if m.lastgroup == "KP":
            lead = text[max(fig.sent[0], m.start() - 24) : m.start()].rstrip()
            if any(o.end() == len(lead) for o in origin.finditer(lead)):
                return True
    return False


def _received(fig: Figure, text: str, lex: Lexicon) -> bool:
    """Whether a verb of receiving stands between the sentence's start and the number."""
    return _verb(fig, text, lex, "receive", fig.nm.qstart)


def _verb(fig: Figure, text: str, lex: Lexicon, kind: str, end: int) -> bool:
    """Whether a verb of ``kind`` (``destination_words``) is in the sentence before ``end``."""
    return _verb_re(kind, lex.lang).search(text, fig.sent[0], end) is not None


@lru_cache(maxsize=8)
def _verb_re(kind: str, lang: str) -> re.Pattern[str]:
    return re.compile(words_re(terms()["destination_words"][kind][lang]), re.IGNORECASE)


def _civilian(fig: Figure) -> bool:
    """A count of casualties among people who are not soldiers ("eight people", "Zivilisten")."""
    return (
        fig.category in (*CASUALTY_CATEGORIES, "missing")
        and fig.entry is not None
        and not fig.entry.get("military")
        and not fig.entry.get("category")
    )


_PARTY_COUNTS = frozenset(
    CASUALTY_CATEGORIES
    + SUPPLY_CATEGORIES
    + ("troops_deployed", "reinforcements", "missing", "captured", "share")
)


def _names_kp(text: str, sent: Span, lex: Lexicon) -> bool:
    return sentence_names_kp(text, sent, lex.lang)


@lru_cache(maxsize=256)
def sentence_names_kp(text: str, sent: Span, lang: str) -> bool:
    """Whether a sentence names North Korea at all, as a destination too; read once for
    all its figures (:func:`analysis.figures.reading.article_figures` clears the cache)."""
    return any(m.lastgroup == "KP" for m in lexicon(lang).actor.finditer(text, *sent))


@lru_cache(maxsize=4)
def names_north_korea(text: str, lang: str) -> bool:
    """Whether an article names North Korea as a side anywhere."""
    return any(m.lastgroup == "KP" for m in lexicon(lang).actor.finditer(text))


@lru_cache(maxsize=256)
def sentence_actors(text: str, sent: Span, lang: str) -> tuple[list[str], list[int]]:
    """The sides a sentence names (not as a destination), and where, in order; read once
    for all its figures (:func:`analysis.figures.reading.article_figures` clears the cache)."""
    found = [a for a in actors(text, *sent, lexicon(lang)) if not a[2]]
    return [a[0] for a in found], [a[1] for a in found]
