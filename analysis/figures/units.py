"""What a figure counts: its unit (the noun counted) and its category.

The unit is read from the noun after the number ("14,000 troops"), an "of"
phrase ("dozens of drones") or a noun shortly before it ("Gesamtzahl der
Container auf 20.000"). A count of persons gets its category from the cue
words of its clause: reinforcement words outrank casualty words, which
outrank deployment words; within a class the nearest cue wins. Other units
carry their category in ``data/figure_terms.json``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from analysis.figures.figure import WINDOW, WORD_START, Figure, Span
from analysis.figures.lexicon import Lexicon
from analysis.figures.vocabulary import terms
from analysis.schema import SUPPLY_CATEGORIES

# Casualty categories, nearest cue first; of two as near, the longer, then the earlier here.
CASUALTY_CLASSES = ("killed_or_wounded", "killed", "wounded", "missing", "captured")

_TOKEN = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]|[^\w\s]", re.UNICODE)
_BREAK = set(',.;:!?()[]"“”„«»—–')


def unit_right(
    text: str, pos: int, limit: int, lex: Lexicon
) -> tuple[dict[str, Any] | None, int, int, str]:
    """The unit noun after a number: (entry, start, end, fallback noun)."""
    content, fallback = 0, ""
    for tok in _TOKEN.finditer(text, pos, min(limit, pos + 90)):
        word = tok.group()
        if not WORD_START.match(word):
            if word in _BREAK:
                break
            continue
        um = lex.unit.match(text, tok.start(), limit)
        if um is not None and not _modifies_next(text, um.end(), limit, lex):
            return lex.unit_entries[int((um.lastgroup or "u0")[1:])], tok.start(), um.end(), word
        low = word.lower()
        if low in lex.stop:
            break
        if low in lex.of:
            continue
        content += 1
        if not fallback and _looks_like_noun(word, lex):
            fallback = word
        if content >= 4:
            break
    return None, 0, 0, fallback


_NEXT_WORD = re.compile(r" ([a-z]+)\b")


def _modifies_next(text: str, end: int, limit: int, lex: Lexicon) -> bool:
    """Whether an English unit noun is only the first part of a compound noun whose head
    follows ("200 munitions factories", "50 drone pilots"): then it is not what is counted."""
    if lex.lang != "en":
        return False  # German writes compounds as one word
    m = _NEXT_WORD.match(text, end, limit)
    if m is None:
        return False
    word = m.group(1)
    if word in lex.stop or word in lex.of or lex.unit.match(text, m.start(1), limit):
        return False
    return word in _compound_heads()


@cache
def _compound_heads() -> frozenset[str]:
    return frozenset(terms()["noun_phrase"]["compound_heads"]["en"])


def _looks_like_noun(word: str, lex: Lexicon) -> bool:
    if lex.actor.fullmatch(word) or not word.isalpha():
        return False
    if lex.lang == "de":
        return word[0].isupper()
    return word.islower() and not lex.not_noun.search(word)


def unit_left(text: str, start: int, end: int, lex: Lexicon) -> dict[str, Any] | None:
    """A unit noun shortly before a number ("Gesamtzahl der Container auf 20.000")."""
    last = None
    for um in lex.unit.finditer(text, max(start, end - 50), end):
        if um.start() == 0 or not text[um.start() - 1].isalnum():
            last = um
    return lex.unit_entries[int((last.lastgroup or "u0")[1:])] if last else None


def _cues(text: str, left: Span, right: Span, lex: Lexicon, name: str) -> list[tuple[int, int]]:
    """(distance, -length) of each cue of a class in the clause."""
    found = []
    rx = lex.cues[name]
    for m in rx.finditer(text, *left):
        found.append((left[1] - m.end(), -(m.end() - m.start())))
    for m in rx.finditer(text, *right):
        found.append((m.start() - right[0], -(m.end() - m.start())))
    return found


def nearest_cue(
    text: str,
    left: Span,
    right: Span,
    lex: Lexicon,
    classes: tuple[str, ...],
    reach: int | dict[str, int] = WINDOW,
) -> str:
    """The class of the nearest cue among ``classes`` within ``reach`` characters (one
    reach for all, or per class with :data:`WINDOW` for the others), or ''."""
    best: tuple[int, int, int] | None = None
    for rank, name in enumerate(classes):
        limit = reach if isinstance(reach, int) else reach.get(name, WINDOW)
        for dist, neg_len in _cues(text, left, right, lex, name):
            if dist <= limit and (best is None or (dist, neg_len, rank) < best):
                best = (dist, neg_len, rank)
    return classes[best[2]] if best else ""


def category(fig: Figure, text: str, lex: Lexicon, left: Span, right: Span) -> str:
    """What a figure counts, from its unit and the cue words of its clause."""
    entry, unit = fig.entry, fig.unit
    if unit == "percent":
        cat = entry.get("category") if entry else None
        if cat in SUPPLY_CATEGORIES:
            return str(cat)
        # "More than half of the soldiers ... have been killed or wounded": a share of
        # persons that its clause says were lost counts those losses.
        persons = entry is not None and entry.get("unit") == "persons"
        lost = nearest_cue(text, left, right, lex, CASUALTY_CLASSES, _CASUALTY_REACH)
        return lost if persons and lost else "share"
    if fig.nm.unit:
        return "other"
    if entry is not None and entry.get("category"):
        if not fig.counted and entry.get("category") in CASUALTY_CLASSES:
            # The noun came from before the number ("soldiers were getting injured ...,
            # more than 1,000 were being killed or wounded"): the number's own
            # predicate, when it has one, says what it counts.
            at = (left[1], left[1])
            return nearest_cue(text, at, right, lex, CASUALTY_CLASSES, _PREDICATE) or str(
                entry["category"]
            )
        return str(entry["category"])
    if unit != "persons":
        return "other"
    military = entry is None or bool(entry.get("military"))
    soldiers = entry is not None and bool(entry.get("military")) and fig.counted != ""
    if not soldiers and _cues(text, left, right, lex, "workers"):
        return "other"  # "2,000 North Koreans for construction projects"
    if military and (_leads(text, left, lex, "partitive") or _leads(text, left, lex, "strength")):
        return "troops_deployed"  # "6,000 of the 11,000 troops", "Truppenstärke von 11.000"
    if any(d <= _CLOSE for d, _ in _cues(text, left, right, lex, "reinforcements")):
        # "another 6,000 soldiers", "1,500 additional troops": said of this count, not of
        # another one in the clause ("3,000 troops, with an additional 10,000 by December")
        # ... unless a casualty word is the number's predicate: "117 weitere wurden verletzt"
        at = (left[1], left[1])
        return nearest_cue(text, at, right, lex, CASUALTY_CLASSES, _PREDICATE) or "reinforcements"
    casualty = nearest_cue(text, left, right, lex, CASUALTY_CLASSES, reach=_CASUALTY_REACH)
    if casualty:
        return casualty
    if (soldiers and fig.subject in ("", "KP")) or (
        military and (_cues(text, left, right, lex, "troops_deployed") or fig.subject == "KP")
    ):
        # A count of North Korean soldiers with no word of loss is the force's size.
        return "troops_deployed"
    return "other"


_PREDICATE = 30  # characters after a number within which a casualty word is its predicate
_CLOSE = 45  # characters around a count within which a reinforcement word is said of it
# "missing" and "captured" say what a count is only close to it ("the missing Russian
# troops" at the end of a long clause is no count of the missing).
_CASUALTY_REACH = {"missing": _PREDICATE, "captured": _PREDICATE}


def _leads(text: str, left: Span, lex: Lexicon, name: str) -> bool:
    """Whether a cue of ``name`` ends right before the number (spaces between)."""
    end = left[1]
    while end > left[0] and text[end - 1].isspace():
        end -= 1
    rx = lex.cues[name]
    return any(m.end() == end for m in rx.finditer(text, max(left[0], end - 40), end))
