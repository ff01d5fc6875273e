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

from analysis.figures.entities import Entity, Identity, identify, registry
from analysis.figures.figure import WORD_START, Figure, Span
from analysis.figures.first_mentions import FirstMentions
from analysis.figures.lexicon import Lexicon, lexicon
from analysis.figures.sentence_spans import SentenceIndex


@dataclass
class Reading:
    """What one article's figures share: where names are first written, and the figures
    whose source is known so far (for "he said" after a named source)."""

    mentions: FirstMentions
    sourced: list[Figure] = field(default_factory=list)

    text: str = ""
    named: list[tuple[int, int, Entity]] | None = None  # registry names in the text, read lazily
    named_to: int = 0  # how far they are read

    def antecedent(self, role: str, pos: int) -> tuple[str, Entity, Span] | None:
        """What a pronoun or generic noun of ``role`` at ``pos`` stands for: the nearest
        entity of that role before it, among the sources of earlier figures and the
        registry names of the text; None when there is none."""
        best: tuple[str, Entity, Span] | None = None
        for f in islice(reversed(self.sourced), _LOOK_BACK):
            if f.source_span[0] < pos and f.source_entity and _fits(role, f.source_role):
                ent = Entity(f.source_entity, f.source_country, f.source_kind, f.source_role)
                best = (f.source, ent, f.source_span)
                break
        # The registry names of the text before ``pos``, read once as far as needed.
        if self.named is None or self.named_to < pos:
            lo = max(self.named_to, pos - _NAMES_REACH)
            found = registry().named(self.text, lo, pos)
            self.named = [h for h in self.named or [] if h[1] <= lo] + found
            self.named_to = pos
        k = bisect_left(self.named, (pos, -1)) - 1
        stop = max(-1, k - _LOOK_BACK)
        while k > stop:
            s, e, ent = self.named[k]
            if _fits(role, ent.role):
                if best is None or s > best[2][0]:
                    best = (self.text[s:e], ent, (s, e))
                break
            k -= 1
        return best


_NAMES_REACH = 6000  # characters before a pronoun searched for the names it may stand for
_LOOK_BACK = 64  # earlier sources and names read for a pronoun: enough, and linear time

# The roles of entity a generic noun may stand for (any role: only itself).
_FITTING = {
    "any": None,
    "report": None,
    "officials": {
        "officials",
        "government",
        "ministry",
        "defence_ministry",
        "military",
        "intelligence",
    },
    "government": {"government", "ministry", "defence_ministry"},
    "ministry": {"ministry", "defence_ministry"},
}


def _fits(role: str, entity_role: str) -> bool:
    """Whether a generic noun of ``role`` may stand for an entity of ``entity_role``."""
    if role in ("any", "report"):
        return True
    allowed = _FITTING.get(role) or {role}
    return entity_role in allowed


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
    """Set the source of a figure (as written, as an entity, its country and kind, and the
    body relaying it): the source its sentence names nearest to it, else the one the
    sentence before ends on. "X, citing Y" makes Y the source and X the ``via``. A pronoun
    or generic noun ("he", "the agency") stands for the nearest fitting entity named
    before it; with none, the figure stays unattributed."""
    sources = sentence_sources(text, fig.sent, lex.lang)
    att = sources.nearest(fig.nm.start)
    if att is None:
        before = where.before(fig.sent)
        att = sentence_sources(text, before, lex.lang).last_trailing if before else None
    else:
        cited = sources.cited(att)
        if cited is not None:
            via = _claimant(att, fig, text, lex, reading)
            fig.via = via[1].name if via else ""
            att = cited
    who = _claimant(att, fig, text, lex, reading) if att is not None else None
    if who is None:
        fig.via = ""
        return
    _assign(fig, who, text, lex, reading)


def quoted_source(
    fig: Figure, text: str, lex: Lexicon, where: SentenceIndex, reading: Reading, para: Span
) -> None:
    """An unattributed figure inside a quotation takes the source the quotation is given to
    where it closes ("“... at least 24 missiles ... seventy others.” He told the press")."""
    if _opener_before(text, max(para[0], fig.nm.start - QUOTE_REACH), fig.nm.start) is None:
        return
    close = _CLOSER.search(text, fig.nm.end, min(para[1], fig.nm.end + QUOTE_REACH))
    if close is None:
        return
    sentences = [where.containing(close.start(), para)]
    following = where.after(sentences[0])
    if following is not None:
        sentences.append(following)
    for sent in sentences:
        atts = sentence_sources(text, sent, lex.lang).atts
        att = next((a for a in atts if a.at >= close.start() and not a.citing), None)
        if att is not None:
            who = _claimant(att, fig, text, lex, reading)
            if who is not None:
                _assign(fig, who, text, lex, reading)
            return


_QUOTES = '“”„"«»'
QUOTE_REACH = 3000  # characters a quotation is followed either side of a figure (linear time)
_CLOSER = re.compile(r"(?<=\S)[”“\"»](?=[\s,.;:!?]|$)")


def _opener_before(text: str, start: int, pos: int) -> int | None:
    """Where the quotation holding ``pos`` opens, or None when ``pos`` is not quoted."""
    i = max(text.rfind(q, start, pos) for q in _QUOTES)
    if i < 0:
        return None
    opens = i == start or text[i - 1].isspace() or text[i - 1] in "(—–-"
    return i if opens and text[i] not in "”»" else None


def _assign(
    fig: Figure, who: tuple[str, Entity, Span], text: str, lex: Lexicon, reading: Reading
) -> None:
    fig.source, entity, fig.source_span = who
    fig.source_entity, fig.source_country = entity.name, entity.country
    fig.source_kind, fig.source_role = entity.kind, entity.role
    if fig.source_kind == "other":
        fig.source_kind = _kind(fig.source, lex)
    if fig.source_kind == "other":
        fig.source_kind = _kind_from_article(text, fig.source, lex, reading.mentions)
    reading.sourced.append(fig)


def carry_source(fig: Figure, earlier: Figure) -> None:
    """Give an unattributed figure the source of an earlier figure: a news paragraph names
    its source once and goes on in its voice."""
    fig.source, fig.source_entity, fig.source_country = (
        earlier.source,
        earlier.source_entity,
        earlier.source_country,
    )
    fig.source_kind, fig.source_role, fig.source_span, fig.via = (
        earlier.source_kind,
        earlier.source_role,
        earlier.source_span,
        earlier.via,
    )


@lru_cache(maxsize=4096)
def _identify(phrase: str, lang: str) -> Identity:
    """:func:`~analysis.figures.entities.identify`, remembered: sources repeat."""
    return identify(phrase, lexicon(lang))


def _claimant(
    att: Attribution, fig: Figure, text: str, lex: Lexicon, reading: Reading
) -> tuple[str, Entity, Span] | None:
    """(source as written, entity, span) of an attribution; a pronoun or generic noun is
    the entity it stands for (:meth:`Reading.antecedent`), or None."""
    if not att.source:
        return None
    ident = _identify(att.source, lex.lang)
    if ident.entity is None:
        titled = (
            _titled_person(att.source, text, att.at, lex) if ident.generic == "person" else None
        )
        return titled or reading.antecedent(ident.generic, min(att.at, fig.nm.start))
    if ident.relay is not None and not fig.via:
        fig.via = ident.relay.name
    source = att.source
    if ident.span[1] and ident.span[1] < len(source):
        source = source[: ident.span[1]].rstrip(" ,'’")  # a name, then words that run on
    return source, ident.entity, att.span


def _titled_person(
    phrase: str, text: str, at: int, lex: Lexicon
) -> tuple[str, Entity, Span] | None:
    """The person a title stands for ("the prosecutor" → "Prosecutor General Andriy
    Kostin"): the nearest "<title> <Name>" within :data:`TITLE_REACH` characters either
    side, the title's words as written; None when there is none."""
    title = _TITLE_WORD.search(phrase)
    if title is None:
        return None
    rx = re.compile(rf"(?i:\b{re.escape(title.group())})\w*(?:\s+[A-Z][\w.-]*)*?\s+{_NAME}")
    lo, hi = max(0, at - TITLE_REACH), min(len(text), at + TITLE_REACH)
    best = None
    for m in rx.finditer(text, lo, hi):
        if best is None or abs(m.start() - at) < abs(best.start() - at):
            best = m
    if best is None:
        return None
    ent = identify(best.group("name"), lex).entity
    if ent is None or ent.role != "person":
        return None
    return best.group(), ent, best.span()


TITLE_REACH = 600  # characters around "the prosecutor" searched for the prosecutor's name
_TITLE_WORD = re.compile(
    r"\b(?:prosecutor|minister|president|spokes(?:wo)?man|spokesperson|commander|governor|"
    r"general|ambassador|staatsanwalt|minister|präsident|sprecher|gouverneur)",
    re.IGNORECASE,
)
_NAME = r"(?P<name>[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+){1,2})"


class SentenceSources:
    """Every 'according to X', 'X said', 'said X' in a sentence (``atts``), and what its
    figures ask of them, answered without going through them all for each figure (a
    run-on line may hold thousands)."""

    def __init__(self, atts: tuple[Attribution, ...], lang: str = "en") -> None:
        self.atts, self.lang = atts, lang
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

    def cited(self, att: Attribution) -> Attribution | None:
        """The source ``att`` cites in the same sentence ("X said, citing Y": Y), if any."""
        if att.citing:
            return None
        return next((a for a in self.atts if a.citing and _cites_someone(a, self.lang)), None)

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
            att = _make(text, phrase, m.start(), e, lex, citing, 0)
            if att is not None:
                out.append(att)
    # A headline's source before a colon, or after a dash or colon at its end: "British
    # intel: North Korea suffers 6,000+ casualties", "... in Kursk – Budanow".
    for rx in (_HEADLINE_SOURCE, _CREDIT_SOURCE):
        head = rx.search(text, s, e)
        if head is not None and _is_entity(head.group(1), lex):
            span = head.span(1)
            att = _make(text, span, span[0], e, lex, False, span[1])
            if att is not None:
                out.append(att)
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
            att = _make(text, phrase, m.start(), e, lex, False, m.end())
            if att is not None:
                out.append(att)
    return SentenceSources(tuple(out), lex.lang)


def _make(
    text: str, phrase: Span, at: int, sent_end: int, lex: Lexicon, citing: bool, verb_end: int
) -> Attribution | None:
    raw = text[phrase[0] : phrase[1]]
    apposition = _APPOSITION.match(text, phrase[1], sent_end)
    kind = _kind(raw, lex)
    if kind == "other" and apposition:
        kind = _kind(apposition.group(1), lex)
    clean = lex.strip.sub("", raw).strip(" '\"’‘“”„")
    clean = lex.strip.sub("", clean).strip() or raw.strip()
    clean = lex.adverbs.sub("", clean).strip(" '\"’‘“”„")
    if not _names_someone(clean, lex):
        return None
    # Trailing: nothing but punctuation (and a "/DW" credit) after it in the sentence.
    trailing = bool(_TRAILING.fullmatch(text, max(phrase[1], verb_end), sent_end))
    return Attribution(clean, kind, at, phrase, trailing, citing)


_HEADLINE_SOURCE = re.compile(r"(?<![^\n])\s*([^\W\d][^:\n.!?]{1,38}):\s")  # at a line start
_CREDIT_SOURCE = re.compile(r"(?:\s[–—-]|:)\s+([^\W\d][^–—\n.!?:]{1,38}?)\s*$")


def _is_entity(phrase: str, lex: Lexicon) -> bool:
    """Whether a phrase names a known entity, or a role with its country ("British intel")."""
    ident = _identify(phrase, lex.lang)
    ent = ident.entity
    return ent is not None and (ent.name in registry().by_name or bool(ent.country and ent.role))


def _cites_someone(att: Attribution, lang: str) -> bool:
    """Whether "citing X" cites a source (an entity, a person, officials, a country), not a
    reason ("citing ongoing labor shortages")."""
    ident = _identify(att.source, lang)
    ent = ident.entity
    return bool(ident.generic) or (ent is not None and ent.role != "")


def _names_someone(phrase: str, lex: Lexicon) -> bool:
    """Whether a phrase can be a source: it holds a capitalised word other than an article
    (a name, a German noun), or it is a pronoun or a generic noun ("officials", "analysts").
    "per day", "could be", "aus", "The" name nobody."""
    if lex.pronoun.match(phrase):
        return True
    if any(w[:1].isupper() and w.lower() not in _ARTICLES for w in phrase.split()):
        return True
    return _kind(phrase, lex) != "other" or registry().roles[lex.lang].search(phrase) is not None


_ARTICLES = frozenset(
    ["the", "a", "an", "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines"]
    + ["einem"]
)


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
    # A German verb (lower case, unlike nouns) ends the name: "unter Berufung auf
    # westliche Geheimdienste schreibt". English "report", "estimate" are nouns too.
    verb = lex.verbs.search(chunk) if lex.lang == "de" else None
    n = min(
        cut.start() if cut else len(chunk),
        stop.start() if stop else len(chunk),
        verb.start() if verb and verb.start() else len(chunk),
    )
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
    steps = 0
    while k and steps < 2 and text[s + begin - 1] == "," and _aside(text[s + begin : verb], lex):
        # "..., Shin Won Sik, stated that", "The report, cited by Caliber.Az, estimates":
        # the name is in the clause before the comma
        verb, k, steps = s + begin - 1, k - 1, steps + 1
        begin = clauses[k - 1] if k else 0
    if _more_words_than(text, s + begin, verb, 10):
        return None
    clause = text[s + begin : verb]
    glued = None
    for glued in _GLUED_END.finditer(clause):  # noqa: B007 (the last one is wanted)
        pass
    if glued is not None:  # "... seventy others.He told": a sentence end the splitter missed
        begin += glued.end()
        clause = clause[glued.end() :]
    phrase = lex.relative.sub("", clause.strip())
    if any(ch.isdigit() for ch in phrase):  # "date 2024-10 Kyiv says": a name holds no number
        words = phrase.split()
        last = max(i for i, w in enumerate(words) if any(ch.isdigit() for ch in w))
        phrase = " ".join(words[last + 1 :]) if last + 1 < len(words) else ""
        if phrase and phrase not in clause:
            return None
    words = phrase.split()
    if not words or len(words) > 10:
        return None
    if lex.stop_after.fullmatch(words[0]) and not lex.pronoun.match(phrase):
        return None
    if lex.passive.search(phrase):
        return None  # "casualties were reported": a passive names no source
    if lex.lang == "en" and not _names_someone(phrase, lex):
        return None
    at = s + begin + clause.index(phrase)
    return at, at + len(phrase)


_GLUED_END = re.compile(r"[a-z][.!?][\"”’]?(?=[A-Z][a-z]*\s)")


def _aside(clause: str, lex: Lexicon) -> bool:
    """Whether the clause just before a verb is empty or an aside ("cited by X"), so that
    the source is named in the clause before it."""
    words = clause.split()
    return not words or bool(_ASIDE.match(words[0]))


_ASIDE = re.compile(r"(?:cited|quoted|citing|speaking|writing|zitiert|laut)$", re.IGNORECASE)


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
