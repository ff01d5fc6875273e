"""The sentences around a line's candidate figures, found fast, and looked up by offset.

pysbd (:func:`analysis.text.sentences.split_sentences`) segments well but its
time grows with the square of what it reads. The figure reader therefore cuts
a body line at every sentence mark followed by a capital itself and hands
pysbd only the stretches whose marks may belong to a word (an abbreviation,
initial or ordinal: "Gen.", "U.S.", "3. Mai"), never more than
:data:`PYSBD_MAX` characters at once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from analysis.figures.figure import Span
from analysis.figures.numbers import NumberMatch
from analysis.figures.vocabulary import terms
from analysis.text.sentences import split_sentences

PYSBD_MAX = 1000  # longest stretch pysbd judges at once (its time grows with the square)

_BOUNDARY = re.compile(r"[.!?…][\"'”’»“)]*\s+(?=[\"'“„‘«(]{0,2}[A-ZÄÖÜ0-9])")


@lru_cache(maxsize=1)
def _unsure_word() -> re.Pattern[str]:
    """The word before a sentence mark that makes it unsure: initials (U.S., z.), ordinals
    (3. Mai), abbreviations (Gen., Dr.), an ellipsis. pysbd judges those; others end a
    sentence."""
    abbreviations = "|".join(terms()["sentences"]["abbreviations"])
    return re.compile(rf"(?:[^\W\d_]\.)+|\d{{1,2}}\.|.*(?:\.\.|…)|(?i:{abbreviations})\.")


def sentences(text: str, lang: str, s: int, e: int, candidates: list[NumberMatch]) -> list[Span]:
    """Sentences of the part of a body line around its candidates (pysbd is slow on long lines).

    The part runs from two likely sentence boundaries before the first
    candidate to the first after the last, so that the candidate's sentence and
    the one before it (for a trailing attribution) are segmented whole. It is
    cut at every sentence mark followed by a capital; pysbd judges only the
    stretches whose marks follow an abbreviation, initial or ordinal (see
    :func:`_stretch`).
    """
    first, last = candidates[0].qstart, candidates[-1].end
    starts = [m.end() for m in _BOUNDARY.finditer(text, s, first)]
    cs = starts[-2] if len(starts) >= 2 else s
    after = _BOUNDARY.search(text, last, e)
    ce = after.end() if after else e
    out: list[Span] = []
    at, unsure = cs, []
    for m in _BOUNDARY.finditer(text, cs, ce):
        if _is_unsure(text, m.start(), at):
            unsure.append(m.end())
        else:
            out += _stretch(text, lang, at, m.end(), unsure)
            at, unsure = m.end(), []
    out += _stretch(text, lang, at, ce, unsure)
    return out or [(s, e)]


def _stretch(text: str, lang: str, s: int, e: int, unsure: list[int]) -> list[Span]:
    """The sentences of a stretch between sure marks whose unsure marks end at ``unsure``.

    pysbd judges the unsure marks of a stretch of up to :data:`PYSBD_MAX`
    characters (every real one). A longer one (a run-on line with initials and
    no full stop) is cut at unsure marks into parts that pysbd judges one at a
    time, as its time grows with the square of what it reads.
    """
    if e - s <= PYSBD_MAX or not unsure:
        return _piece(text, lang, s, e, bool(unsure))
    out: list[Span] = []
    i = 0
    while e - s > PYSBD_MAX:
        j = bisect_right(unsure, s + PYSBD_MAX, i) - 1  # the last mark within reach
        if j < i:  # none: the next mark, if any, ends a part without one inside
            if i == len(unsure):
                break
            j = i
        out += _piece(text, lang, s, unsure[j], j > i)
        s, i = unsure[j], j + 1
    return out + _piece(text, lang, s, e, i < len(unsure))


def _piece(text: str, lang: str, s: int, e: int, unsure: bool) -> list[Span]:
    """A stretch between sure marks: one sentence, or pysbd's sentences when a mark is unsure."""
    if unsure:
        return split_sentences(text, lang, s, e)
    piece = text[s:e]
    lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
    return [(s + lead, e - trail)] if e - trail > s + lead else []


def _is_unsure(text: str, mark: int, start: int) -> bool:
    """Whether the sentence mark at ``mark`` may belong to the word before it ("U.S.", "Gen.")."""
    if text[mark] != ".":
        return text[mark] == "…"
    i = mark
    while i > start and not text[i - 1].isspace():
        i -= 1
    word = text[i : mark + 1].lstrip("(\"'„“‘«[")
    return bool(_unsure_word().fullmatch(word))


class SentenceIndex:
    """The sentences of a line, found by offset or by span without a scan of them all."""

    def __init__(self, sentences: list[Span]) -> None:
        self.sentences = sentences
        self.starts = [x[0] for x in sentences]
        self.position: dict[Span, int] = {}
        for i, x in enumerate(sentences):
            self.position.setdefault(x, i)
        # Segments come out sorted and apart; should pysbd ever return overlapping
        # ones, the first that holds an offset is found the slow way, as before.
        self.apart = all(a[1] <= b[0] for a, b in zip(sentences, sentences[1:], strict=False))

    def containing(self, pos: int, default: Span) -> Span:
        """The first sentence that holds ``pos``, else ``default``."""
        if not self.apart:
            return next((x for x in self.sentences if x[0] <= pos < x[1]), default)
        i = bisect_right(self.starts, pos) - 1
        return self.sentences[i] if i >= 0 and pos < self.sentences[i][1] else default

    def after(self, sent: Span) -> Span | None:
        """The sentence after ``sent`` in the line, or None."""
        i = self.position.get(sent, -1)
        return self.sentences[i + 1] if 0 <= i < len(self.sentences) - 1 else None

    def before(self, sent: Span) -> Span | None:
        """The sentence before ``sent`` in the line, or None."""
        i = self.position.get(sent, -1)
        return self.sentences[i - 1] if i > 0 else None
