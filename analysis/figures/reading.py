"""Reported figures: the counts an article gives, what they count, whose they are, who says so.

For every number expression in an article's body (never in its boilerplate)
that is a figure rather than a date, year, caliber or designation (see
:mod:`analysis.figures.numbers`), this module reads from the words around it:

* unit: what is counted (persons, shells, missiles, containers, drones,
  settlements, percent, usd, ...), from the noun after the number ("14,000
  troops", "100 ballistische Raketen"), an "of" phrase ("dozens of drones"),
  the noun before it ("Gesamtzahl der Container auf 20.000") or the sentence;
* category: troops_deployed, reinforcements, killed, wounded,
  killed_or_wounded, missing, captured, munitions, missiles, containers,
  drones, strikes, settlements, share or other, from the unit and from cue
  words in the same clause (reinforcement words outrank casualty words, which
  outrank deployment words; within a class the nearest cue wins);
* subject: whose figure it is (KP, RU, UA, US, ...);
* source and source_kind: who is said to report it ("according to X", "X
  said", "sagte X", "laut X") in the sentence or, when that sentence ends on
  an attribution, the one before; party, third_party, media, expert or
  unattributed;
* asof: the date the figure refers to, read against the publication date.

All vocabulary is in ``data/figure_terms.json``. Sentences come from
:func:`analysis.text.sentences.split_sentences`, run only on body lines that hold
a candidate number, which keeps extraction fast.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import islice
from typing import Any

import pandas as pd

from analysis.figures.numbers import LANGS, NumberMatch, alternation, find_numbers, terms
from analysis.text.sentences import split_sentences

FIGURE_COLUMNS = [
    "article",
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "category",
    "subject",
    "source",
    "source_kind",
    "asof",
    "start",
    "end",
    "quote",
]
EXTRA_COLUMNS = ["lang", "vague", "surface", "repeat", "counted"]
CASUALTY_CLASSES = ("killed_or_wounded", "killed", "wounded", "missing", "captured")
WINDOW = 110  # characters of clause read on either side of a number
QUOTE_MAX = 1000  # a longer "sentence" (a run-on line) is quoted around its number only
PYSBD_MAX = 1000  # longest stretch pysbd judges at once (its time grows with the square)
Span = tuple[int, int]

_TOKEN = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]|[^\w\s]", re.UNICODE)
_WORD_START = re.compile(r"[^\W_]")
_NP = terms()["noun_phrase"]
_STOP = {lang: set(_NP["stop"][lang]) for lang in LANGS}
_OF = {lang: set(_NP["of"][lang]) for lang in LANGS}
_CLAUSE_START = re.compile(r"[,;:\"“”„«»()\n]|\s[—–-]\s|\b(?:that|dass|and|und|but|aber)\s")
_BREAK = set(',.;:!?()[]"“”„«»—–')


# ---------------------------------------------------------------- vocabulary


def _words_re(words: list[str]) -> str:
    return rf"(?<![\w-]){alternation(words)}(?![\w-])"


@dataclass
class _Lexicon:
    """Compiled vocabulary for one language."""

    lang: str
    unit: re.Pattern[str]
    unit_entries: list[dict[str, Any]]
    cues: dict[str, re.Pattern[str]]
    actor: re.Pattern[str]
    group: re.Pattern[str]
    destination: re.Pattern[str]
    anaphora: re.Pattern[str]
    before: re.Pattern[str]
    verbs: re.Pattern[str]
    inverted: re.Pattern[str]
    stop_after: re.Pattern[str]
    strip: re.Pattern[str]
    pronoun: re.Pattern[str]
    kinds: dict[str, re.Pattern[str]] = field(default_factory=dict)
    asof: dict[str, Any] = field(default_factory=dict)


@cache
def lexicon(lang: str) -> _Lexicon:
    """The compiled vocabulary of a language ('en' for anything but 'de')."""
    lang = lang if lang in LANGS else "en"
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
        name: re.compile(_words_re(words[lang]), re.IGNORECASE)
        for name, words in t["category_cues"].items()
        if not name.startswith("_")
    }
    return _Lexicon(
        lang=lang,
        unit=re.compile(rf"(?:{unit})(?![\w-])", re.IGNORECASE),
        unit_entries=entries,
        cues=cues,
        actor=re.compile(rf"(?<![\w-])(?:{actor})(?![\w])", re.IGNORECASE),
        group=re.compile(rf"(?<![\w-])(?:{group})(?![\w])", re.IGNORECASE),
        destination=re.compile(
            rf"(?<![\w-]){alternation(t['destination_words'][lang])}\s+(?:the\s+|die\s+|den\s+)?$",
            re.IGNORECASE,
        ),
        anaphora=re.compile(rf"\s*{alternation(t['anaphora'][lang])}(?![\w])", re.IGNORECASE),
        before=re.compile(_words_re(src["before"][lang]) + r"\s+", re.IGNORECASE),
        verbs=re.compile(_words_re(src["verbs"][lang]), re.IGNORECASE),
        inverted=re.compile(_words_re(src["inverted"][lang]) + r"\s+", re.IGNORECASE),
        stop_after=re.compile(_words_re(src["stop_after"][lang]), re.IGNORECASE),
        strip=re.compile(rf"^(?:{'|'.join(src['strip'][lang])})", re.IGNORECASE),
        pronoun=re.compile(rf"^{alternation(src['pronouns'][lang])}$", re.IGNORECASE),
        kinds={
            kind: re.compile(_words_re(words), re.IGNORECASE)
            for kind, words in src["kinds"].items()
        },
        asof=_asof_patterns(lang),
    )


# ---------------------------------------------------------------- per article


@dataclass
class _Figure:
    """A figure while it is being read (one number in one sentence)."""

    nm: NumberMatch
    sent: Span
    para: int
    unit: str = ""
    entry: dict[str, Any] | None = None
    counted: str = ""
    np_end: int = 0
    category: str = "other"
    subject: str = ""
    source: str = ""
    source_kind: str = "unattributed"
    source_span: Span = (0, 0)
    asof: str = ""
    next_start: int = 0  # where the next candidate of the line begins (bounds the clause)


def article_figures(
    article: str, text: str, spans: Any, lang: str, published: str = ""
) -> list[dict[str, Any]]:
    """The reported figures of one article, as rows with the :data:`FIGURE_COLUMNS` and extras.

    Args:
        article: the article's id, copied into each row.
        text: the file as read; offsets refer to it.
        spans: the body spans ``(start, end)``; nothing outside them is read.
        lang: 'en' or 'de' (anything else is read as English).
        published: 'YYYY-MM-DD' or '' (relative dates stay unresolved without it).

    Returns:
        One dict per figure, in text order.

    Examples:
        >>> t = "Up to 11,000 North Korean soldiers helped Russia."
        >>> [(r["value"], r["qualifier"], r["unit"], r["category"], r["subject"])
        ...  for r in article_figures("a", t, [(0, len(t))], "en")]
        [(11000.0, 'up_to', 'persons', 'troops_deployed', 'KP')]
    """
    lang = lang if lang in LANGS else "en"
    lex = lexicon(lang)
    # Sentences are read once per article for all their figures; nothing is kept
    # from one article to the next. No step reads more than a figure's sentence and
    # its neighbour, so the time grows with the article, not with its square.
    _sentence_sources.cache_clear()
    _sentence_actors.cache_clear()
    _date_index.cache_clear()
    reading = _Reading(_FirstMentions(text))
    figures: list[_Figure] = []
    for para, (s, e) in enumerate(_clean_spans(spans, len(text))):
        candidates = [nm for nm in find_numbers(text, lang, s, e) if _maybe_figure(nm, text, lex)]
        if not candidates:
            continue
        sentences = _sentences(text, lang, s, e, candidates)
        where = _SentenceIndex(sentences)
        para_figs: list[_Figure] = []
        for k, nm in enumerate(candidates):
            sent = where.containing(nm.start, (s, e))
            nxt = candidates[k + 1].qstart if k + 1 < len(candidates) else e
            fig = _Figure(nm, sent, para, next_start=max(nm.end, nxt))
            if _read_figure(fig, text, lex, para_figs, sentences):
                para_figs.append(fig)
        for i, fig in enumerate(para_figs):
            _attribute(fig, i, text, lex, where, para_figs, reading)
            fig.asof = _asof(text, fig, lex, published)
        figures.extend(para_figs)
    return _rows(article, text, lang, figures)


class _SentenceIndex:
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

    def before(self, sent: Span) -> Span | None:
        """The sentence before ``sent`` in the line, or None."""
        i = self.position.get(sent, -1)
        return self.sentences[i - 1] if i > 0 else None


@dataclass
class _Reading:
    """What one article's figures share: where names are first written, and the figures
    whose source is known so far (for "he said" after a named source)."""

    mentions: _FirstMentions
    sourced: list[_Figure] = field(default_factory=list)

    def last_source_before(self, pos: int) -> _Figure | None:
        """The figure whose source was set last among those that start before ``pos``."""
        return next((f for f in reversed(self.sourced) if f.nm.start < pos), None)


# Runs of word characters that may be a capitalised name (ASCII lower case and digits skipped).
_NAME_RUN = re.compile(r"(?<!\w)(?![a-z\d_])\w+")
_NON_WORD = re.compile(r"\W")
_WORD_CHAR = re.compile(r"\w")


class _FirstMentions:
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


# The word before a sentence mark that makes it unsure: initials (U.S., z.), ordinals
# (3. Mai), abbreviations (Gen., Dr.), an ellipsis. pysbd judges those; others end a sentence.
_UNSURE_WORD = re.compile(
    r"(?:[^\W\d_]\.)+|\d{1,2}\.|.*(?:\.\.|…)"
    r"|(?i:mr|mrs|ms|dr|gen|lt|col|maj|capt|sgt|adm|gov|sen|rep|rev|st|jr|sr|prof|no|nr|nos|vol"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|okt|nov|dec|dez|inc|corp|co|ltd|vs|etc|approx"
    r"|ca|bzw|ggf|vgl|sog|mio|mrd|tsd|abs|art|str|hr|fr|jh|usw|evtl|inkl|max|min|pp)\."
)
_BOUNDARY = re.compile(r"[.!?…][\"'”’»“)]*\s+(?=[\"'“„‘«(]{0,2}[A-ZÄÖÜ0-9])")


def _sentences(text: str, lang: str, s: int, e: int, candidates: list[NumberMatch]) -> list[Span]:
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
    return bool(_UNSURE_WORD.fullmatch(word))


def _clean_spans(spans: Any, n: int) -> list[Span]:
    """Body spans as sorted, in-bounds integer pairs (bad ones skipped)."""
    out = []
    for span in spans if spans is not None else []:
        try:
            s, e = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        s, e = max(0, s), min(n, e)
        if s < e:
            out.append((s, e))
    return sorted(out)


def _maybe_figure(nm: NumberMatch, text: str, lex: _Lexicon) -> bool:
    """A candidate figure: not a non-figure, or a year-like number directly before a unit noun."""
    if not nm.nonfigure:
        return True
    if nm.year_like:
        nxt = re.match(r"\s+", text[nm.end : nm.end + 3])
        return bool(nxt) and bool(lex.unit.match(text, nm.end + 1))
    return False


# ---------------------------------------------------------------- unit, category, subject


def _read_figure(
    fig: _Figure, text: str, lex: _Lexicon, previous: list[_Figure], sentences: list[Span]
) -> bool:
    """Fill unit, category and subject; False when the number turns out not to be a figure."""
    nm = fig.nm
    prev = previous[-1] if previous else None
    same_sentence_prev = prev if prev is not None and prev.sent == fig.sent else None
    left, right = _context(fig, previous)
    fig.np_end = nm.end
    anaphoric = bool(lex.anaphora.match(text, nm.end, fig.sent[1]))
    if nm.unit:
        fig.unit = nm.unit
        if nm.unit == "percent":
            entry, _s, e, _w = _unit_right(text, nm.end, fig.sent[1], lex)
            fig.entry, fig.np_end = entry, e if entry else nm.end
    else:
        entry, ns, ne, word = _unit_right(text, nm.end, fig.sent[1], lex)
        if entry is None and not anaphoric:
            entry, word = _unit_left(text, left[0], nm.qstart, lex), ""
        else:
            fig.np_end = ne if entry else nm.end
        fig.entry, fig.counted = entry, word
        if entry is not None:
            fig.unit = entry["unit"]
            fig.counted = text[ns:ne] if ns else fig.counted
        elif anaphoric and prev is not None:
            fig.unit, fig.entry = prev.unit, prev.entry
        elif _nearest_cue(text, left, right, lex, CASUALTY_CLASSES, 45):
            fig.unit = "persons"
        elif same_sentence_prev is not None and same_sentence_prev.unit == "persons":
            fig.unit, fig.entry = "persons", same_sentence_prev.entry
        elif word and nm.kind == "digits":
            fig.unit = word.lower()
        elif nm.kind != "digits":
            return False
    fig.subject = _subject(fig, text, lex, left, right, prev if anaphoric else None)
    fig.category = _category(fig, text, lex, left, right)
    return True


def _context(fig: _Figure, previous: list[_Figure]) -> tuple[Span, Span]:
    """The clause around a number: bounded by its sentence, the previous figure and WINDOW."""
    s0, e0 = fig.sent
    ls = max(s0, fig.nm.qstart - WINDOW)
    if previous and previous[-1].sent == fig.sent:
        ls = max(ls, previous[-1].nm.end)
    re_ = min(e0, fig.nm.end + WINDOW, fig.next_start or e0)
    return (ls, fig.nm.qstart), (fig.nm.end, re_)


def _unit_right(
    text: str, pos: int, limit: int, lex: _Lexicon
) -> tuple[dict[str, Any] | None, int, int, str]:
    """The unit noun after a number: (entry, start, end, fallback noun)."""
    content, fallback = 0, ""
    for tok in _TOKEN.finditer(text, pos, min(limit, pos + 90)):
        word = tok.group()
        if not _WORD_START.match(word):
            if word in _BREAK:
                break
            continue
        um = lex.unit.match(text, tok.start(), limit)
        if um is not None:
            return lex.unit_entries[int((um.lastgroup or "u0")[1:])], tok.start(), um.end(), word
        low = word.lower()
        if low in _STOP[lex.lang]:
            break
        if low in _OF[lex.lang]:
            continue
        content += 1
        if not fallback and _looks_like_noun(word, lex):
            fallback = word
        if content >= 4:
            break
    return None, 0, 0, fallback


def _looks_like_noun(word: str, lex: _Lexicon) -> bool:
    if lex.actor.fullmatch(word) or not word.isalpha():
        return False
    if lex.lang == "de":
        return word[0].isupper()
    return word.islower() and not re.search(r"(?:ed|ing|ly|al|ive|ous|ic|ese|ian|more)$", word)


def _unit_left(text: str, start: int, end: int, lex: _Lexicon) -> dict[str, Any] | None:
    """A unit noun shortly before a number ("Gesamtzahl der Container auf 20.000")."""
    last = None
    for um in lex.unit.finditer(text, max(start, end - 50), end):
        if um.start() == 0 or not text[um.start() - 1].isalnum():
            last = um
    return lex.unit_entries[int((last.lastgroup or "u0")[1:])] if last else None


def _cues(text: str, left: Span, right: Span, lex: _Lexicon, name: str) -> list[tuple[int, int]]:
    """(distance, -length) of each cue of a class in the clause."""
    found = []
    rx = lex.cues[name]
    for m in rx.finditer(text, *left):
        found.append((left[1] - m.end(), -(m.end() - m.start())))
    for m in rx.finditer(text, *right):
        found.append((m.start() - right[0], -(m.end() - m.start())))
    return found


def _nearest_cue(
    text: str, left: Span, right: Span, lex: _Lexicon, classes: tuple[str, ...], reach: int = WINDOW
) -> str:
    """The class of the nearest cue among ``classes`` within ``reach`` characters, or ''."""
    best: tuple[int, int, int] | None = None
    for rank, name in enumerate(classes):
        for dist, neg_len in _cues(text, left, right, lex, name):
            if dist <= reach and (best is None or (dist, neg_len, rank) < best):
                best = (dist, neg_len, rank)
    return classes[best[2]] if best else ""


def _category(fig: _Figure, text: str, lex: _Lexicon, left: Span, right: Span) -> str:
    """What a figure counts, from its unit and the cue words of its clause."""
    entry, unit = fig.entry, fig.unit
    if unit == "percent":
        cat = entry.get("category") if entry else None
        return cat if cat in ("munitions", "missiles", "drones", "containers") else "share"
    if fig.nm.unit:
        return "other"
    if entry is not None and entry.get("category"):
        return str(entry["category"])
    if unit != "persons":
        return "other"
    if _cues(text, left, right, lex, "reinforcements"):
        return "reinforcements"
    casualty = _nearest_cue(text, left, right, lex, CASUALTY_CLASSES)
    if casualty:
        return casualty
    military = entry is None or bool(entry.get("military"))
    if military and (_cues(text, left, right, lex, "troops_deployed") or fig.subject == "KP"):
        return "troops_deployed"
    return "other"


def _actors(text: str, start: int, end: int, lex: _Lexicon, rx: re.Pattern[str] | None = None):
    """(code, start, is_destination) of each side named in ``text[start:end]``."""
    out = []
    for m in (rx or lex.actor).finditer(text, start, end):
        dest = bool(lex.destination.search(text, max(0, m.start() - 14), m.start()))
        out.append((m.lastgroup or "", m.start(), dest))
    return out


def _subject(
    fig: _Figure, text: str, lex: _Lexicon, left: Span, right: Span, antecedent: _Figure | None
) -> str:
    """Whose figure it is: the side in its noun phrase, else the nearest one around it."""
    nm = fig.nm
    in_np = _actors(text, nm.end, fig.np_end, lex)
    if in_np:
        return in_np[0][0]
    after = text[fig.np_end : fig.np_end + 45]
    pm = re.match(r"\s+(?:of|from|von|aus|in|im)\s+(?:the\s+|der\s+|den\s+|dem\s+)?", after)
    if pm:
        grp = lex.group.match(text, fig.np_end + pm.end())
        act = lex.actor.match(text, fig.np_end + pm.end())
        if grp:
            return grp.lastgroup or ""
        if act and not pm.group().strip().startswith(("in", "im")):
            return act.lastgroup or ""
    if antecedent is not None:
        return antecedent.subject
    quoted = _sentence_sources(text, fig.sent, lex.lang).quotes
    near = [a for a in _actors(text, left[0], left[1], lex) if not a[2] and not quoted(a[1])]
    if near:
        return near[-1][0]
    return ""


def _subject_fallback(fig: _Figure, text: str, lex: _Lexicon, prev: _Figure | None) -> str:
    """Whose figure, when nothing is named next to it: the sentence's previous figure, the
    reporting side, a North Korean mention in the sentence, or the next side named."""
    if prev is not None and prev.sent == fig.sent and prev.subject:
        return prev.subject
    if fig.source_kind == "party":
        side = [a for a in _actors(text, *fig.source_span, lex) if a[0] in ("UA", "RU", "KP")]
        if side:
            return side[0][0]
    codes, starts = _sentence_actors(text, fig.sent, lex.lang)
    if "KP" in codes:
        return "KP"
    k = bisect_right(starts, fig.nm.end)  # the first side named after the number
    return codes[k] if k < len(codes) else ""


@lru_cache(maxsize=256)
def _sentence_actors(text: str, sent: Span, lang: str) -> tuple[list[str], list[int]]:
    """The sides a sentence names (not as a destination), and where, in order; read once
    for all its figures (article_figures clears the cache)."""
    found = [a for a in _actors(text, *sent, lexicon(lang)) if not a[2]]
    return [a[0] for a in found], [a[1] for a in found]


# ---------------------------------------------------------------- sources


@dataclass
class _Attribution:
    source: str
    kind: str
    at: int
    span: Span
    trailing: bool
    citing: bool


def _attribute(
    fig: _Figure,
    i: int,
    text: str,
    lex: _Lexicon,
    where: _SentenceIndex,
    para_figs: list[_Figure],
    reading: _Reading,
) -> None:
    """Set source, source_kind and, where nothing else named it, the subject of
    ``para_figs[i]`` (``fig``)."""
    att = _sentence_sources(text, fig.sent, lex.lang).nearest(fig.nm.start)
    if att is None:
        before = where.before(fig.sent)
        att = _sentence_sources(text, before, lex.lang).last_trailing if before else None
    if att is not None and lex.pronoun.match(att.source):
        earlier = reading.last_source_before(fig.nm.start)
        att = (
            (None if att.source.lower() in _PERSONAL_PRONOUNS else att)
            if earlier is None
            else _Attribution(
                earlier.source, earlier.source_kind, att.at, earlier.source_span, False, False
            )
        )
    if att is not None and att.source:
        fig.source, fig.source_kind, fig.source_span = att.source, att.kind, att.span
        if fig.source_kind == "other":
            fig.source_kind = _kind_from_article(text, att.source, lex, reading.mentions)
        reading.sourced.append(fig)
    if not fig.subject:
        fig.subject = _subject_fallback(fig, text, lex, para_figs[i - 1] if i else None)
        if fig.category == "other" and fig.subject == "KP":
            fig.category = _category(fig, text, lex, *_context(fig, para_figs[i - 1 : i]))


# Pronouns that name nobody on their own; "officials", "the ministry" still say who.
_PERSONAL_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "er", "sie", "es", "wir", "ich", "man"]
)


class _SentenceSources:
    """Every 'according to X', 'X said', 'said X' in a sentence (``atts``), and what its
    figures ask of them, answered without going through them all for each figure (a
    run-on line may hold thousands)."""

    def __init__(self, atts: tuple[_Attribution, ...]) -> None:
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

    def nearest(self, at: int) -> _Attribution | None:
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
# read once per article (article_figures clears these caches).
@lru_cache(maxsize=256)
def _sentence_sources(text: str, sent: Span, lang: str) -> _SentenceSources:
    lex = lexicon(lang)
    s, e = sent
    out: list[_Attribution] = []
    for m in lex.before.finditer(text, s, e):
        phrase = _phrase_after(text, m.end(), e, lex)
        if phrase:
            citing = m.group().strip().lower().startswith(("citing", "unter berufung"))
            out.append(_make(text, phrase, m.start(), e, lex, citing, 0))
    clauses: list[int] | None = None
    for m in lex.verbs.finditer(text, s, e):
        if clauses is None:  # ends of the clause openers, found once for all the verbs
            clauses = [c.end() for c in _CLAUSE_START.finditer(text[s:e])]
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
    return _SentenceSources(tuple(out))


def _make(
    text: str, phrase: Span, at: int, sent_end: int, lex: _Lexicon, citing: bool, verb_end: int
) -> _Attribution:
    raw = text[phrase[0] : phrase[1]]
    apposition = _APPOSITION.match(text, phrase[1], sent_end)
    kind = _kind(raw, lex)
    if kind == "other" and apposition:
        kind = _kind(apposition.group(1), lex)
    clean = lex.strip.sub("", raw).strip(" '\"’‘“”„")
    clean = lex.strip.sub("", clean).strip() or raw.strip()
    # Trailing: nothing but punctuation (and a "/DW" credit) after it in the sentence.
    trailing = bool(_TRAILING.fullmatch(text, max(phrase[1], verb_end), sent_end))
    return _Attribution(clean, kind, at, phrase, trailing, citing)


_APPOSITION = re.compile(r",\s*([^,.;]{3,90})")
_TRAILING = re.compile(r"[^\w]*(?:/\w+)?")
_PHRASE_CUT = re.compile(r"[,.;:!?\"“”„()\n]|\s[—–-]\s|\s\d")
_NON_SPACE = re.compile(r"\S+")
# A phrase is read from its first 13 words and this many characters more: more than
# any cut or stop word spans (tests/test_figures.py checks), so the result is the same.
_PHRASE_MARGIN = 64


def _phrase_after(text: str, start: int, end: int, lex: _Lexicon) -> Span | None:
    """The source named after 'according to' / 'sagte': up to punctuation or a stop word."""
    # Past the 13th word the phrase is too long whatever follows: read no further.
    word13 = next(islice(_NON_SPACE.finditer(text, start, end), 12, None), None)
    chunk = text[start : end if word13 is None else min(end, word13.start() + _PHRASE_MARGIN)]
    cut = _PHRASE_CUT.search(chunk)
    stop = lex.stop_after.search(chunk)
    n = min(cut.start() if cut else len(chunk), stop.start() if stop else len(chunk))
    phrase = chunk[:n].rstrip()
    words = phrase.split()
    if not words or len(words) > 12 or not _WORD_START.match(phrase) or phrase[0].isdigit():
        return None
    return start, start + len(phrase)


_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|wurde|wurden|worden)$", re.IGNORECASE)


def _phrase_before(text: str, s: int, verb: int, lex: _Lexicon, clauses: list[int]) -> Span | None:
    """The source named before 'said' / 'schätzten': back to the clause start, at most 10 words.

    ``clauses``: the ends of the clause openers (:data:`_CLAUSE_START`) in the
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
    if _PASSIVE.search(phrase):
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


def _kind(phrase: str, lex: _Lexicon) -> str:
    """party, third_party, media or expert by the reviewed lexicon; 'other' when unknown."""
    for kind in ("media", "expert", "third_party", "party"):
        if lex.kinds[kind].search(phrase):
            return kind
    return "other"


def _kind_from_article(text: str, source: str, lex: _Lexicon, mentions: _FirstMentions) -> str:
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


# ---------------------------------------------------------------- asof


def _asof_patterns(lang: str) -> dict[str, Any]:
    t = terms()
    months = t["non_figures"]["months"][lang]
    full = [m for m in months if not m.endswith("\\.")]
    month_alt = alternation(months)
    wd = t["asof"]["weekdays"][lang]
    since = alternation(t["asof"]["since_words"][lang])
    part = alternation(list(t["asof"]["year_part"][lang]))
    rel = alternation(list(t["asof"]["relative"][lang]))
    return {
        "month_names": full,
        "weekdays": wd,
        "day_month": re.compile(
            rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{month_alt})"
            rf"(?:,?\s+(?P<y>\d{{4}}))?(?!\w)",
            re.IGNORECASE,
        ),
        "month_day": re.compile(
            rf"(?<!\w)(?P<m>{month_alt})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
            rf"(?:,?\s+(?P<y>\d{{4}}))?",
            re.IGNORECASE,
        ),
        "month_year": re.compile(
            rf"(?<!\w)(?:(?P<p>{part})\s+)?(?P<m>{month_alt})\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE
        ),
        "part_year": re.compile(rf"(?<!\w)(?P<p>{part})\s*(?P<y>\d{{4}})(?!\d)", re.IGNORECASE),
        "month": re.compile(
            rf"(?<!\w)(?:in|im|by|bis|until|early|late|mid-?|anfang|ende|mitte|since|seit)\s+"
            rf"(?P<m>{month_alt})(?!\s*\d)(?P<ly>\s+(?:letzten|vergangenen) jahres)?",
            re.IGNORECASE,
        ),
        "year": re.compile(r"(?<!\w)(?:in|im|by|bis|until|since|seit|of)\s+(?P<y>\d{4})(?![\d-])"),
        "weekday": re.compile(rf"(?<!\w)(?P<w>{alternation(wd)})(?!\w)", re.IGNORECASE),
        "relative": re.compile(rf"(?<!\w)(?P<r>{rel})(?!\w)", re.IGNORECASE),
        "since": re.compile(rf"(?<!\w){since}\s+(?:the\s+|dem\s+)?$", re.IGNORECASE),
        "part_month": t["asof"]["year_part"][lang],
    }


def _month_number(name: str, pats: dict[str, Any]) -> int:
    """1-12 for a month name or abbreviation of the language, 0 when unknown."""
    low = name.lower().rstrip(".")
    if low.startswith("jän"):
        return 1
    names = [n for n in pats["month_names"] if n != "jänner"]
    for i, full in enumerate(names[:12]):
        if low[:3] == full[:3]:
            return i + 1
    return 0


def _asof(text: str, fig: _Figure, lex: _Lexicon, published: str) -> str:
    """The date a figure refers to, from its sentence: the most specific one, then the
    nearest (of two as near, the earlier date)."""
    index = _date_index(text, fig.sent, lex.lang, published)
    if not index:
        return ""
    at = fig.nm.start
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
def _date_index(
    text: str, sent: Span, lang: str, published: str
) -> dict[int, tuple[list[int], list[str]]]:
    """The dates of a sentence by specificity: their offsets in order, and their values."""
    by_spec: dict[int, list[tuple[int, str]]] = {}
    for spec, start, value in _dates(text, sent, lang, published):
        by_spec.setdefault(spec, []).append((start, value))
    out = {}
    for spec, found in by_spec.items():
        found.sort()
        out[spec] = ([start for start, _ in found], [value for _, value in found])
    return out


def _dates(text: str, sent: Span, lang: str, published: str) -> tuple[tuple[int, int, str], ...]:
    """Every date a sentence names, as (specificity, offset, 'YYYY[-MM[-DD]]')."""
    lex = lexicon(lang)
    pats = lex.asof
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
            code = terms()["asof"]["relative"][lex.lang][re.sub(r"\s+", " ", m.group("r").lower())]
            value, spec = _relative(code, pub)
            add(m, value, spec)
    return tuple(found)


def _month_of(m: re.Match[str], pats: dict[str, Any]) -> int:
    return _month_number(m.group("m"), pats)


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
    if unit == "month":
        y, mth = divmod(pub.year * 12 + pub.month - 1 + offset, 12)
        return f"{y}-{mth + 1:02d}", 2
    return str(pub.year + offset), 1


# ---------------------------------------------------------------- rows and table


def _num(x: float | None) -> float:
    return float(x) if x is not None and math.isfinite(x) else math.nan


def _quote(text: str, sent: Span, nm: NumberMatch) -> str:
    """The figure's sentence; of a run-on one longer than :data:`QUOTE_MAX`, the part
    around the number, marked with '…' where it is cut (each figure quoting a whole
    run-on line would make the table grow with the square of the line)."""
    s, e = sent
    if e - s <= QUOTE_MAX:
        return text[s:e]
    lo, hi = max(s, nm.start - QUOTE_MAX // 2), min(e, nm.end + QUOTE_MAX // 2)
    return ("…" if lo > s else "") + text[lo:hi].strip() + ("…" if hi < e else "")


def _rows(article: str, text: str, lang: str, figures: list[_Figure]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[float, str]] = set()
    for fig in figures:
        nm = fig.nm
        key = (round(nm.value, 6), fig.unit)
        rows.append(
            {
                "article": article,
                "value": _num(nm.value),
                "low": _num(nm.low),
                "high": _num(nm.high),
                "qualifier": nm.qualifier,
                "unit": fig.unit,
                "category": fig.category,
                "subject": fig.subject,
                "source": fig.source,
                "source_kind": fig.source_kind if fig.source else "unattributed",
                "asof": fig.asof,
                "start": nm.start,
                "end": nm.end,
                "quote": _quote(text, fig.sent, nm),
                "lang": lang,
                "vague": nm.vague,
                "surface": text[nm.start : nm.end],
                "repeat": key in seen,
                "counted": fig.counted,
            }
        )
        seen.add(key)
    return rows


def extract_figures(articles: pd.DataFrame) -> pd.DataFrame:
    """The figures table of an articles table (see :func:`analysis.text.corpus.load_corpus`).

    Returns:
        One row per figure: the :data:`FIGURE_COLUMNS` in that order, then
        :data:`EXTRA_COLUMNS` (lang, vague, surface, repeat: the same value and
        unit already stated earlier in the article; counted: the noun counted).

    Examples:
        >>> from analysis.text.corpus import load_corpus
        >>> fig = extract_figures(load_corpus().articles)
        >>> list(fig.columns[:14]) == FIGURE_COLUMNS, len(fig) > 15
        (True, True)
    """
    rows: list[dict[str, Any]] = []
    for rec in articles.to_dict("records"):
        rows.extend(
            article_figures(
                str(rec.get("article", "")),
                str(rec.get("text", "") or ""),
                rec.get("body_spans") or [],
                str(rec.get("lang", "") or "en"),
                str(rec.get("published", "") or ""),
            )
        )
    out = pd.DataFrame(rows, columns=FIGURE_COLUMNS + EXTRA_COLUMNS)
    for col in ("value", "low", "high"):
        out[col] = out[col].astype("float64")
    for col in ("start", "end"):
        out[col] = out[col].astype("int64")
    return out
