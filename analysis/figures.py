"""Reported figures: the counts an article gives, what they count, whose they are, who says so.

For every number expression in an article's body (never in its boilerplate)
that is a figure rather than a date, year, caliber or designation (see
:mod:`analysis.numbers`), this module reads from the words around it:

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
:func:`analysis.sentences.split_sentences`, run only on body lines that hold
a candidate number, which keeps extraction fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

import pandas as pd

from analysis.numbers import LANGS, NumberMatch, alternation, find_numbers, terms
from analysis.sentences import split_sentences

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
    # from one article to the next.
    _sentence_attributions.cache_clear()
    _dates.cache_clear()
    figures: list[_Figure] = []
    for para, (s, e) in enumerate(_clean_spans(spans, len(text))):
        candidates = [nm for nm in find_numbers(text, lang, s, e) if _maybe_figure(nm, text, lex)]
        if not candidates:
            continue
        sentences = _sentences(text, lang, s, e, candidates)
        para_figs: list[_Figure] = []
        for k, nm in enumerate(candidates):
            sent = next((x for x in sentences if x[0] <= nm.start < x[1]), (s, e))
            nxt = candidates[k + 1].qstart if k + 1 < len(candidates) else e
            fig = _Figure(nm, sent, para, next_start=max(nm.end, nxt))
            if _read_figure(fig, text, lex, para_figs, sentences):
                para_figs.append(fig)
        for fig in para_figs:
            _attribute(fig, text, lex, sentences, para_figs, figures)
            fig.asof = _asof(text, fig, lex, published)
        figures.extend(para_figs)
    return _rows(article, text, lang, figures)


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
    stretches whose marks follow an abbreviation, initial or ordinal.
    """
    first, last = candidates[0].qstart, candidates[-1].end
    starts = [m.end() for m in _BOUNDARY.finditer(text, s, first)]
    cs = starts[-2] if len(starts) >= 2 else s
    after = _BOUNDARY.search(text, last, e)
    ce = after.end() if after else e
    out: list[Span] = []
    at, unsure = cs, False
    for m in _BOUNDARY.finditer(text, cs, ce):
        if _is_unsure(text, m.start(), at):
            unsure = True
        else:
            out += _piece(text, lang, at, m.end(), unsure)
            at, unsure = m.end(), False
    out += _piece(text, lang, at, ce, unsure)
    return out or [(s, e)]


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
    quoted = [a.span for a in _attributions(text, fig.sent, lex)]
    near = [
        a
        for a in _actors(text, left[0], left[1], lex)
        if not a[2] and not any(qs <= a[1] < qe for qs, qe in quoted)
    ]
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
    in_sentence = [a for a in _actors(text, *fig.sent, lex) if not a[2]]
    if any(a[0] == "KP" for a in in_sentence):
        return "KP"
    later = [a for a in in_sentence if a[1] > fig.nm.end]
    return later[0][0] if later else ""


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
    text: str,
    lex: _Lexicon,
    sentences: list[Span],
    para_figs: list[_Figure],
    done: list[_Figure],
) -> None:
    """Set source, source_kind and, where nothing else named it, the subject."""
    att = _choose(_attributions(text, fig.sent, lex), fig.nm.start)
    if att is None:
        idx = sentences.index(fig.sent) if fig.sent in sentences else -1
        if idx > 0:
            prev_atts = [a for a in _attributions(text, sentences[idx - 1], lex) if a.trailing]
            att = prev_atts[-1] if prev_atts else None
    if att is not None and lex.pronoun.match(att.source):
        earlier = [f for f in done + para_figs if f.source and f.nm.start < fig.nm.start]
        att = (
            (None if att.source.lower() in _PERSONAL_PRONOUNS else att)
            if not earlier
            else _Attribution(
                earlier[-1].source,
                earlier[-1].source_kind,
                att.at,
                earlier[-1].source_span,
                False,
                False,
            )
        )
    if att is not None and att.source:
        fig.source, fig.source_kind, fig.source_span = att.source, att.kind, att.span
        if fig.source_kind == "other":
            fig.source_kind = _kind_from_article(text, att.source, lex)
    if not fig.subject:
        i = para_figs.index(fig)
        fig.subject = _subject_fallback(fig, text, lex, para_figs[i - 1] if i else None)
        if fig.category == "other" and fig.subject == "KP":
            fig.category = _category(fig, text, lex, *_context(fig, para_figs[:i]))


# Pronouns that name nobody on their own; "officials", "the ministry" still say who.
_PERSONAL_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "er", "sie", "es", "wir", "ich", "man"]
)


def _choose(atts: Sequence[_Attribution], at: int) -> _Attribution | None:
    """The attribution nearest the number; 'citing X' only when there is no other."""
    main = [a for a in atts if not a.citing] or atts
    return min(main, key=lambda a: abs(a.at - at)) if main else None


def _attributions(text: str, sent: Span, lex: _Lexicon) -> tuple[_Attribution, ...]:
    """Every 'according to X', 'X said', 'said X' in a sentence."""
    return _sentence_attributions(text, sent, lex.lang)


# Each figure of a sentence, and its subject, read the sentence's sources and dates:
# read once per article (article_figures clears these caches).
@lru_cache(maxsize=256)
def _sentence_attributions(text: str, sent: Span, lang: str) -> tuple[_Attribution, ...]:
    lex = lexicon(lang)
    s, e = sent
    out: list[_Attribution] = []
    for m in lex.before.finditer(text, s, e):
        phrase = _phrase_after(text, m.end(), e, lex)
        if phrase:
            citing = m.group().strip().lower().startswith(("citing", "unter berufung"))
            out.append(_make(text, phrase, m.start(), e, lex, citing, 0))
    for m in lex.verbs.finditer(text, s, e):
        phrase = _phrase_before(text, s, m.start(), lex)
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
    return tuple(out)


def _make(
    text: str, phrase: Span, at: int, sent_end: int, lex: _Lexicon, citing: bool, verb_end: int
) -> _Attribution:
    raw = text[phrase[0] : phrase[1]]
    apposition = re.match(r",\s*([^,.;]{3,90})", text[phrase[1] : sent_end])
    kind = _kind(raw, lex)
    if kind == "other" and apposition:
        kind = _kind(apposition.group(1), lex)
    clean = lex.strip.sub("", raw).strip(" '\"’‘“”„")
    clean = lex.strip.sub("", clean).strip() or raw.strip()
    end_of = max(phrase[1], verb_end)
    trailing = not text[end_of:sent_end].strip(" .!?\"'”“»«’") or bool(
        re.fullmatch(r"[^\w]*(?:/\w+)?", text[end_of:sent_end])
    )
    return _Attribution(clean, kind, at, phrase, trailing, citing)


def _phrase_after(text: str, start: int, end: int, lex: _Lexicon) -> Span | None:
    """The source named after 'according to' / 'sagte': up to punctuation or a stop word."""
    chunk = text[start:end]
    cut = re.search(r"[,.;:!?\"“”„()\n]|\s[—–-]\s|\s\d", chunk)
    stop = lex.stop_after.search(chunk)
    n = min(cut.start() if cut else len(chunk), stop.start() if stop else len(chunk))
    phrase = chunk[:n].rstrip()
    words = phrase.split()
    if not words or len(words) > 12 or not _WORD_START.match(phrase) or phrase[0].isdigit():
        return None
    return start, start + len(phrase)


_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|wurde|wurden|worden)$", re.IGNORECASE)


def _phrase_before(text: str, s: int, verb: int, lex: _Lexicon) -> Span | None:
    """The source named before 'said' / 'schätzten': back to the clause start, at most 10 words."""
    chunk = text[s:verb]
    cuts = list(_CLAUSE_START.finditer(chunk))
    begin = cuts[-1].end() if cuts else 0
    phrase = chunk[begin:].strip()
    words = phrase.split()
    if not words or len(words) > 10 or lex.stop_after.fullmatch(words[0]):
        return None
    if _PASSIVE.search(phrase):
        return None  # "casualties were reported": a passive names no source
    if lex.lang == "en" and not re.search(r"[A-Z]", phrase) and _kind(phrase, lex) == "other":
        return None
    at = s + begin + chunk[begin:].index(phrase)
    return at, at + len(phrase)


def _kind(phrase: str, lex: _Lexicon) -> str:
    """party, third_party, media or expert by the reviewed lexicon; 'other' when unknown."""
    for kind in ("media", "expert", "third_party", "party"):
        if lex.kinds[kind].search(phrase):
            return kind
    return "other"


def _kind_from_article(text: str, source: str, lex: _Lexicon) -> str:
    """Kind of a bare name ('Klein') from the words before its first mention ('Russia expert')."""
    name = source.split()[-1] if source.split() else ""
    if not name or not name[0].isupper():
        return "other"
    m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    if m is None:
        return "other"
    window = text[max(0, m.start() - 60) : m.start()]
    sentence_tail = re.match(r"[^.]{0,120}", text[m.end() :])
    for kind in ("expert", "third_party", "party"):
        if lex.kinds[kind].search(window) or (
            sentence_tail and lex.kinds[kind].search(sentence_tail.group())
        ):
            return kind
    return "other"


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
    """The date a figure refers to, from its sentence: the most specific one, then the nearest."""
    at = fig.nm.start
    found = [
        (-spec, abs(start - at), value)
        for spec, start, value in _dates(text, fig.sent, lex.lang, published)
    ]
    return min(found)[2] if found else ""


@lru_cache(maxsize=256)
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
                "quote": text[fig.sent[0] : fig.sent[1]],
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
    """The figures table of an articles table (see :func:`analysis.corpus.load_corpus`).

    Returns:
        One row per figure: the :data:`FIGURE_COLUMNS` in that order, then
        :data:`EXTRA_COLUMNS` (lang, vague, surface, repeat: the same value and
        unit already stated earlier in the article; counted: the noun counted).

    Examples:
        >>> from analysis.corpus import load_corpus
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
