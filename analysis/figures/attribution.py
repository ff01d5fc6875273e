"""Who is said to report a figure: its source and the kind of source.

A source is read from the figure's sentence: a phrase after "according to",
"laut", "citing" (``before``), a name before "said", "schätzten" (``verbs``)
or after "said", "sagte" (``inverted``); when the sentence names none and the
one before ends on an attribution ("..., officials said."), that one. The kind
(party, third_party, media, expert) comes from the reviewed lexicon of
``data/figure_terms.json``, or for a bare name ("Klein") from the words
before its first mention in the article ("Russia expert Margarete Klein").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from analysis.figures.figure import WORD_START, Figure, Span
from analysis.figures.lexicon import Lexicon, lexicon
from analysis.figures.sentence_spans import SentenceIndex


@dataclass
class Reading:
    """What one article's figures share: where names are first written, and the figures
    whose source is known so far (for "he said" after a named source)."""

    mentions: FirstMentions
    sourced: list[Figure] = field(default_factory=list)

    def last_source_before(self, pos: int) -> Figure | None:
        """The figure whose source was set last among those that start before ``pos``."""
        return next((f for f in reversed(self.sourced) if f.nm.start < pos), None)


# Runs of word characters that may be a capitalised name (ASCII lower case and digits skipped).
_NAME_RUN = re.compile(r"(?<!\w)(?![a-z\d_])\w+")
_NON_WORD = re.compile(r"\W")
_WORD_CHAR = re.compile(r"\w")


class FirstMentions:
    """Where each capitalised word of an article is first written.

    The text is indexed from the start only as far as a look-up needs, in chunks
    that double, so that however many names are looked up the article is read
    once: looking each up with a search of the whole text made extraction
    quadratic in the article's size.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.first: dict[str, int] = {}
        self.indexed = 0
        self.other: dict[str, int | None] = {}  # names holding non-word characters

    def find(self, name: str) -> int | None:
        """Offset of the first ``name`` that stands as a word of its own
        (``(?<!\\w)name(?!\\w)``), or None."""
        head = _NAME_RUN.match(name)
        if head is not None and head.end() == len(name):
            return self._word(name)
        if name not in self.other:
            # "O'Brien", "Jong-un": the name is first written where its first run of
            # word characters is first written as a whole word, or later.
            at = self._word(head.group()) if head is not None else 0
            self.other[name] = None if at is None else self._whole(name, at)
        return self.other[name]

    def _whole(self, name: str, at: int) -> int | None:
        """The first ``name`` from ``at`` on with no word character either side."""
        text, n = self.text, len(name)
        pos = text.find(name, at)
        while pos >= 0:
            before = text[pos - 1 : pos] if pos else ""
            after = text[pos + n : pos + n + 1]
            if not _WORD_CHAR.match(before) and not _WORD_CHAR.match(after):
                return pos
            pos = text.find(name, pos + 1)
        return None

    def _word(self, word: str) -> int | None:
        pos = self.first.get(word)
        while pos is None and self.indexed < len(self.text):
            self._index_more()
            pos = self.first.get(word)
        return pos

    def _index_more(self) -> None:
        text, start = self.text, self.indexed
        end = min(len(text), start + max(1024, start))
        if end < len(text):  # end on a non-word character, so that no word is cut
            m = _NON_WORD.search(text, end)
            end = m.start() if m else len(text)
        first = self.first
        for m in _NAME_RUN.finditer(text, start, end):
            first.setdefault(m.group(), m.start())
        self.indexed = end


@dataclass
class Attribution:
    """A source a sentence names: the cleaned name, its kind, where its phrase (or verb)
    begins, the span of the name, whether the sentence ends on it ("..., he said.") and
    whether it is only cited ("citing X")."""

    source: str
    kind: str
    at: int
    span: Span
    trailing: bool
    citing: bool


def attribute(fig: Figure, text: str, lex: Lexicon, where: SentenceIndex, reading: Reading) -> None:
    """Set the source, source_kind and source_span of a figure: the source its sentence
    names nearest to it, else the one the sentence before ends on. A pronoun ("he said")
    stands for the source named last before; a personal one with none before names nobody
    ("officials", "the ministry" still say who)."""
    att = sentence_sources(text, fig.sent, lex.lang).nearest(fig.nm.start)
    if att is None:
        before = where.before(fig.sent)
        att = sentence_sources(text, before, lex.lang).last_trailing if before else None
    if att is not None and lex.pronoun.match(att.source):
        earlier = reading.last_source_before(fig.nm.start)
        att = (
            (None if att.source.lower() in lex.personal_pronouns else att)
            if earlier is None
            else Attribution(
                earlier.source, earlier.source_kind, att.at, earlier.source_span, False, False
            )
        )
    if att is not None and att.source:
        fig.source, fig.source_kind, fig.source_span = att.source, att.kind, att.span
        if fig.source_kind == "other":
            fig.source_kind = _kind_from_article(text, att.source, lex, reading.mentions)
        reading.sourced.append(fig)


class SentenceSources:
    """Every 'according to X', 'X said', 'said X' in a sentence (``atts``), and what its
    figures ask of them, answered without going through them all for each figure (a
    run-on line may hold thousands)."""

    def __init__(self, atts: tuple[Attribution, ...]) -> None:
        self.atts = atts
        trailing = [a for a in atts if a.trailing]
        self.last_trailing = trailing[-1] if trailing else None
        # nearest(): the attributions by offset, each with its place in the sentence.
        self.main = [a for a in atts if not a.citing] or list(atts)
        order = sorted(range(len(self.main)), key=lambda k: self.main[k].at)
        self.order, self.ats = order, [self.main[k].at for k in order]
        # quotes(): the quoted spans by start, with the furthest end reached so far.
        spans = sorted(a.span for a in atts)
        self.span_starts = [qs for qs, _ in spans]
        self.reach = []
        furthest = -1
        for _, qe in spans:
            furthest = max(furthest, qe)
            self.reach.append(furthest)

    def nearest(self, at: int) -> Attribution | None:
        """The attribution nearest ``at`` (the first in order of those as near);
        'citing X' only when there is no other."""
        ats = self.ats
        if not ats:
            return None
        j = bisect_left(ats, at)
        d = min(at - ats[j - 1] if j else math.inf, ats[j] - at if j < len(ats) else math.inf)
        tied = [
            k
            for pos in {at - d, at + d}
            for k in self.order[bisect_left(ats, pos) : bisect_right(ats, pos)]
        ]
        return self.main[min(tied)]

    def quotes(self, pos: int) -> bool:
        """Whether ``pos`` lies in the span of a source the sentence names."""
        i = bisect_right(self.span_starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


# Each figure of a sentence, and its subject, read the sentence's sources and dates:
# read once per article (:func:`analysis.figures.reading.article_figures` clears the cache).
@lru_cache(maxsize=256)
def sentence_sources(text: str, sent: Span, lang: str) -> SentenceSources:
    """Every source the sentence ``sent`` names, read once for all its figures."""
    lex = lexicon(lang)
    s, e = sent
    out: list[Attribution] = []
    for m in lex.before.finditer(text, s, e):
        phrase = _phrase_after(text, m.end(), e, lex)
        if phrase:
            citing = m.group().strip().lower().startswith(lex.citing)
            out.append(_make(text, phrase, m.start(), e, lex, citing, 0))
    clauses: list[int] | None = None
    for m in lex.verbs.finditer(text, s, e):
        if clauses is None:  # ends of the clause openers, found once for all the verbs
            clauses = [c.end() for c in lex.clause_start.finditer(text[s:e])]
        phrase = _phrase_before(text, s, m.start(), lex, clauses)
        inv = lex.inverted.match(text, m.start(), e)
        alt = _phrase_after(text, inv.end(), e, lex) if inv else None
        if alt and (
            not phrase
            or (
                _kind(text[slice(*phrase)], lex) == "other"
                and _kind(text[slice(*alt)], lex) != "other"
            )
        ):
            phrase = alt
        if phrase:
            out.append(_make(text, phrase, m.start(), e, lex, False, m.end()))
    return SentenceSources(tuple(out))


def _make(
    text: str, phrase: Span, at: int, sent_end: int, lex: Lexicon, citing: bool, verb_end: int
) -> Attribution:
    raw = text[phrase[0] : phrase[1]]
    apposition = _APPOSITION.match(text, phrase[1], sent_end)
    kind = _kind(raw, lex)
    if kind == "other" and apposition:
        kind = _kind(apposition.group(1), lex)
    clean = lex.strip.sub("", raw).strip(" '\"’‘“”„")
    clean = lex.strip.sub("", clean).strip() or raw.strip()
    # Trailing: nothing but punctuation (and a "/DW" credit) after it in the sentence.
    trailing = bool(_TRAILING.fullmatch(text, max(phrase[1], verb_end), sent_end))
    return Attribution(clean, kind, at, phrase, trailing, citing)


_APPOSITION = re.compile(r",\s*([^,.;]{3,90})")
_TRAILING = re.compile(r"[^\w]*(?:/\w+)?")
_PHRASE_CUT = re.compile(r"[,.;:!?\"“”„()\n]|\s[—–-]\s|\s\d")
_NON_SPACE = re.compile(r"\S+")
# A phrase is read from its first 13 words and this many characters more: more than
# any cut or stop word spans (tests/test_figures.py checks), so the result is the same.
_PHRASE_MARGIN = 64


def _phrase_after(text: str, start: int, end: int, lex: Lexicon) -> Span | None:
    """The source named after 'according to' / 'sagte': up to punctuation or a stop word."""
    # Past the 13th word the phrase is too long whatever follows: read no further.
    word13 = next(islice(_NON_SPACE.finditer(text, start, end), 12, None), None)
    chunk = text[start : end if word13 is None else min(end, word13.start() + _PHRASE_MARGIN)]
    cut = _PHRASE_CUT.search(chunk)
    stop = lex.stop_after.search(chunk)
    n = min(cut.start() if cut else len(chunk), stop.start() if stop else len(chunk))
    phrase = chunk[:n].rstrip()
    words = phrase.split()
    if not words or len(words) > 12 or not WORD_START.match(phrase) or phrase[0].isdigit():
        return None
    return start, start + len(phrase)


def _phrase_before(text: str, s: int, verb: int, lex: Lexicon, clauses: list[int]) -> Span | None:
    """The source named before 'said' / 'schätzten': back to the clause start, at most 10 words.

    ``clauses``: the ends of the clause openers (``lex.clause_start``) in the
    sentence that starts at ``s``, as offsets from ``s``. No opener runs into a
    verb (verbs begin with a letter after a non-word character), so those that
    end by the verb are the openers of the text before it.
    """
    k = bisect_right(clauses, verb - s)
    begin = clauses[k - 1] if k else 0
    if _more_words_than(text, s + begin, verb, 10):
        return None
    clause = text[s + begin : verb]
    phrase = clause.strip()
    words = phrase.split()
    if not words or len(words) > 10 or lex.stop_after.fullmatch(words[0]):
        return None
    if lex.passive.search(phrase):
        return None  # "casualties were reported": a passive names no source
    if lex.lang == "en" and not re.search(r"[A-Z]", phrase) and _kind(phrase, lex) == "other":
        return None
    at = s + begin + clause.index(phrase)
    return at, at + len(phrase)


def _more_words_than(text: str, start: int, end: int, n: int) -> bool:
    """Whether ``text[start:end]`` holds more than ``n`` words, read back from ``end``
    only as far as needed."""
    width = 256
    while True:
        lo = max(start, end - width)
        words = text[lo:end].split()
        if lo == start:
            return len(words) > n
        if len(words) > n + 1:  # the first may be cut, the others are whole
            return True
        width *= 4


def _kind(phrase: str, lex: Lexicon) -> str:
    """party, third_party, media or expert by the reviewed lexicon; 'other' when unknown."""
    for kind in ("media", "expert", "third_party", "party"):
        if lex.kinds[kind].search(phrase):
            return kind
    return "other"


def _kind_from_article(text: str, source: str, lex: Lexicon, mentions: FirstMentions) -> str:
    """Kind of a bare name ('Klein') from the words before its first mention ('Russia expert')."""
    name = source.split()[-1] if source.split() else ""
    if not name or not name[0].isupper():
        return "other"
    at = mentions.find(name)
    if at is None:
        return "other"
    window = text[max(0, at - 60) : at]
    sentence_tail = _SENTENCE_TAIL.match(text, at + len(name))
    for kind in ("expert", "third_party", "party"):
        if lex.kinds[kind].search(window) or (
            sentence_tail and lex.kinds[kind].search(sentence_tail.group())
        ):
            return kind
    return "other"


_SENTENCE_TAIL = re.compile(r"[^.]{0,120}")
