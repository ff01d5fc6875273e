"""Place-name detection: the candidates of an article's body and what their context says.

Detection walks the tokens of the article body and looks up every run of up to
six tokens that starts with a capital letter in the gazetteer's name index
(longest match first). Its neighbours then say how to read it:

* "Kursk Oblast", "Kursk region", "Region Kursk", "Gebiet Kursk": the region;
* "Kyiv Independent", "Washington Post", "Washington-based": an organisation,
  recognised and flagged, not counted as the place by default;
* "Rob Lee", "Sabrina Singh": part of a person's name, not a place at all; the
  surname is then not a place anywhere else in the article either.

Which place each candidate is, is decided by :mod:`analysis.places.resolve`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from analysis.places.gazetteer import APOSTROPHES, TOKEN, Gazetteer, normalise

MEMO_MAX = 500_000
"""Entries of the gazetteer's ``memo`` (can this word start a name?) kept across articles;
beyond them it is emptied, so a large corpus's many distinct capitalised words stay bounded."""

_JOINERS = {" ", "-", "\u00a0", "‑"}
_POSSESSIVE = re.compile(r"['’]s?$")


@cache
def _context() -> dict[str, frozenset[str] | tuple[str, ...]]:
    raw = json.loads(
        resources.files("analysis.places").joinpath("data/place_context.json").read_text()
    )
    out: dict[str, frozenset[str] | tuple[str, ...]] = {
        k: frozenset(v) for k, v in raw.items() if not k.startswith("_")
    }
    out["adjective_endings"] = tuple(raw["adjective_endings"])
    out["person_title_before"] = frozenset(raw["person_title_before"])
    return out


@dataclass
class Candidate:
    """A place name found in the text: its span, lookup key, the places it may be, what its
    context says (a region cue, a flag), and, once resolved, each place's score."""

    start: int
    end: int
    surface: str
    key: str
    ids: tuple[int, ...]
    region_cue: bool = False
    flag: str = ""
    sentence_start: bool = False
    scores: dict[int, float] = field(default_factory=dict)
    base: dict[int, float] = field(default_factory=dict)


# Where a capitalised token may begin (Latin letters: the gazetteer holds Latin names only):
# initials ("U.S.") or a word. The leading character class lets the engine skip ahead fast.
_CAP_TOKEN = re.compile(
    r"[A-Z\u00C0-\u00DE\u0100-\u024F]"
    r"(?:(?<=[A-Z])\.(?:[A-Z]\.)+|(?<![^\W_].)[^\W_]*(?:['’][^\W_]+)*)"
)
_NEXT_GAPS = (" (", " ", "\u00a0", "-", "‑")

Token = tuple[int, int, str]


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _sentence_start(text: str, pos: int, span_start: int, first: int) -> bool:
    """Whether ``pos`` opens a sentence of the span that starts at ``span_start`` and whose
    first non-space character is at ``first``."""
    before = text[max(span_start, pos - 12) : pos].rstrip(" \"'“„«(‚‘")
    if before:
        return before[-1] in ".!?:;–—\n"
    return pos - 12 <= span_start or first >= pos


_NON_SPACE = re.compile(r"\S")


class _Lines:
    """Whether the line around an offset is a heading in title case, each line read once
    (a long line with many names would otherwise be read once per name)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start, self.end, self.heading = -1, -1, False  # the line read last

    def title_case(self, pos: int) -> bool:
        if not self.start <= pos <= self.end:
            text = self.text
            self.start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            self.end = end if end >= 0 else len(text)
            self.heading = _title_case(text[self.start : self.end].strip())
        return self.heading


_PLURAL_REGION = re.compile(r"(?:regions|oblasts|provinces|gebiete|regionen|oblaste)\W*$", re.I)
_PLURAL_BEFORE = re.compile(
    r"(?:regions|oblasts|provinces|gebieten|gebiete|regionen|oblasten)(?:\s+of)?\s+$", re.I
)
_COORDINATION = re.compile(
    r"\s*(?:,|and|und|or|oder)\s*(?:the\s+|die\s+)?|\s*,\s*(?:and|und)\s+", re.I
)


def _share_region_cue(text: str, cands: list[Candidate]) -> None:
    """A plural region word covers every name coordinated with it.

    "the Kursk, Bryansk and Belgorod regions", "in den Gebieten Kursk und Belgorod".
    """
    chained = [
        i + 1 < len(cands) and bool(_COORDINATION.fullmatch(text[c.end : cands[i + 1].start]))
        for i, c in enumerate(cands)
    ]
    # backwards from "... and Belgorod regions"
    covered = False
    for i in range(len(cands) - 1, -1, -1):
        c = cands[i]
        if c.region_cue and _PLURAL_REGION.search(c.surface):
            covered = True
        elif covered and chained[i]:
            c.region_cue = True
        else:
            covered = False
    # forwards from "Gebieten Kursk und ..."
    covered = False
    for i, c in enumerate(cands):
        if _PLURAL_BEFORE.search(text[max(0, c.start - 20) : c.start]):
            covered = True
            c.region_cue = True
        elif covered and i and chained[i - 1]:
            c.region_cue = True
        else:
            covered = False


def _next_token(text: str, pos: int, end: int) -> tuple[Token | None, str]:
    """The token right after ``pos`` across one joiner (" ", " (", "-"), and that joiner."""
    for gap in _NEXT_GAPS:
        if text.startswith(gap, pos):
            m = TOKEN.match(text, pos + len(gap), end)
            if m is not None:
                return (m.start(), m.end(), m.group()), gap
            return None, ""
    return None, ""


def _prev_token(text: str, pos: int, start: int) -> Token | None:
    """The token right before ``pos`` when one space separates them."""
    j = pos - 1
    if j < start or text[j] != " ":
        return None
    i, lo = j, max(start, j - 60)
    while i > lo and (text[i - 1].isalnum() or text[i - 1] in "'’."):
        i -= 1
    m = TOKEN.match(text, i, j)
    return (m.start(), m.end(), m.group()) if m else None


def detect(
    text: str, spans: list[tuple[int, int]], gaz: Gazetteer, lang: str = "en"
) -> list[Candidate]:
    """Place-name candidates in the body spans of ``text``, flagged where context says so.

    Only capitalised tokens start a look-up, and a run grows only while the
    gazetteer holds a longer name, so lower-case text costs one regex scan.
    """
    ctx = _context()
    source = gaz.col("source")
    organisations: dict[tuple[int, ...], bool] = {}
    out: list[Candidate] = []
    persons: set[str] = set()
    memo = gaz.memo
    if len(memo) > MEMO_MAX:
        memo.clear()
    lines = _Lines(text)
    for s, e in spans:
        pos = s
        lead = _NON_SPACE.search(text, s, e)
        first = lead.start() if lead else e
        for m in _CAP_TOKEN.finditer(text, s, e):
            word = m.group()
            if m.start() < pos or not word[0].isupper():
                continue
            can = memo.get((word, lang))
            if can is None:
                can = memo[(word, lang)] = _can_start(word, gaz, lang)
            if not can:
                continue  # most capitalised words begin no name: one dict look-up
            found = _longest(text, m, e, gaz, lang)
            if found is None:
                continue
            toks, key, ids = found
            n, last = len(toks), toks[-1]
            pos = last[1]
            cand = Candidate(toks[0][0], last[1], text[toks[0][0] : last[1]], key, ids)
            cand.sentence_start = _sentence_start(text, toks[0][0], s, first)
            cand.region_cue = n > 1 and key.split()[-1] in ctx["region_after"]
            org = organisations.get(ids)
            if org is None:  # asked once per name, not once per mention
                org = organisations[ids] = all(source[p] == "curated:organisation" for p in ids)
            if org:
                cand.flag = "organisation"  # the Kremlin, Kyiv Independent, New York Times
            nxt, gap = _next_token(text, cand.end, e)
            prev = _prev_token(text, cand.start, s)
            _read_context(text, prev, nxt, gap, (s, first), cand, ctx, persons, lang, gaz, lines)
            if cand.region_cue and cand.end > pos:
                pos = cand.end
            if cand.flag != "designation":
                out.append(cand)
    _share_region_cue(text, out)
    # A surname seen in a person's name is not a place elsewhere in the article.
    for cand in out:
        if not cand.flag and not cand.region_cue and cand.key in persons:
            cand.flag = "person"
    return out


@lru_cache(maxsize=1 << 16)
def _norm(token: str) -> str:
    return unicodedata.normalize("NFC", token).translate(APOSTROPHES).casefold()


def _can_start(word: str, gaz: Gazetteer, lang: str) -> bool:
    """Whether a gazetteer name can begin with ``word`` (else :func:`_longest` finds none)."""
    key = _norm(word)
    return key in gaz.prefixes or any(v in gaz.names for v in _variants(key, word, lang))


def _longest(
    text: str, first: re.Match[str], end: int, gaz: Gazetteer, lang: str
) -> tuple[list[Token], str, tuple[int, ...]] | None:
    """The longest gazetteer name starting at the token ``first``: (tokens, key, place ids).

    A match grows token by token (across one space or hyphen) only while the
    gazetteer holds a longer name with this beginning, so most tokens cost one
    or two dictionary look-ups.
    """
    best = None
    toks: list[Token] = [(first.start(), first.end(), first.group())]
    key = ""
    while True:
        n = len(toks)
        word = toks[-1][2]
        key = f"{key} {_norm(word)}" if key else _norm(word)
        for variant in _variants(key, word, lang):
            ids = gaz.names.get(variant)
            if not ids:
                continue
            exact = gaz.exact_case.get(variant)
            if exact is not None and not "".join(t[2] for t in toks).startswith(
                exact.replace(" ", "")
            ):
                continue  # acronyms match in capitals only: "US", not "us"
            if n == 1 and exact is None and word.isupper() and len(word) <= 3:
                continue  # short all-caps tokens are acronyms, not names ("IN", "OR")
            best = (list(toks), variant, ids)
            break
        if n >= gaz.max_tokens or key not in gaz.prefixes:
            break
        j = toks[-1][1]
        if j >= end or text[j] not in _JOINERS:
            break
        m = TOKEN.match(text, j + 1, end)
        if m is None:
            break
        toks.append((m.start(), m.end(), m.group()))
    return best


@lru_cache(maxsize=1 << 16)
def _variants(key: str, last: str, lang: str) -> tuple[str, ...]:
    """The key as written, then without a possessive or (German) genitive ending."""
    out = [key]
    stripped = _POSSESSIVE.sub("", key)
    if stripped != key and stripped:
        out.append(stripped)
    if lang == "de" and len(last) > 4 and key.endswith("s"):
        out.append(key[:-1])
    return tuple(out)


def _read_context(
    text: str,
    prev: Token | None,
    nxt: Token | None,
    gap_after: str,
    span: tuple[int, int],
    cand: Candidate,
    ctx: dict,
    persons: set[str],
    lang: str,
    gaz: Gazetteer,
    lines: _Lines,
) -> None:
    """Set the candidate's region cue or flag from the tokens around it.

    ``span``: where the span begins and where its first non-space character is.
    """
    if nxt and gap_after in ("-", "‑"):
        word = nxt[2].casefold()
        if word[:1].isdigit():
            cand.flag = "designation"  # Hwasong-11, KN-23: a weapon, not a place
        elif word in ("based", "born", "headquartered"):
            cand.flag = "organisation"  # Washington-based: where an organisation sits
    elif nxt and gap_after in (" ", " (", "\u00a0"):
        word = nxt[2].casefold()
        if word in ctx["region_after"]:
            cand.region_cue = True
            cand.end = nxt[1] + (1 if text[nxt[1] : nxt[1] + 1] == ")" and "(" in gap_after else 0)
            cand.surface = text[cand.start : cand.end]
        elif _is_capitalised(nxt[2]) and word in ctx["organisation_after"]:
            cand.flag = "organisation"
        elif (
            gap_after == " "
            and _is_capitalised(nxt[2])
            and not nxt[2].isupper()
            and normalise(nxt[2]) not in gaz.names
            and (lang != "de" or word not in gaz.common_words_de)
            and not _is_country_or_region(cand, gaz)
            and not lines.title_case(cand.start)
        ):
            cand.flag = "person"  # a first name: Vladimir Putin, Serhii Flesh
    if prev:
        word = prev[2].casefold().rstrip(".")
        if word in ctx["region_before"]:
            cand.region_cue = True
        elif word in ctx["person_title_before"] and not _is_country_or_region(cand, gaz):
            cand.flag = "person"  # President Vladimir (Putin), Gen. Oleksandr (Syrskyi)
        elif (
            _is_capitalised(prev[2])
            and not cand.sentence_start
            and not _sentence_start(text, prev[0], *span)
            and word not in ctx["not_person_before"]
            and not word.endswith(ctx["adjective_endings"])
            and normalise(_POSSESSIVE.sub("", prev[2])) not in gaz.names
            and (lang != "de" or word not in gaz.common_words_de)
            and len(cand.ids)
            and not _is_country_or_region(cand, gaz)
        ):
            cand.flag = "person"
            persons.add(cand.key)


def _title_case(line: str) -> bool:
    """Whether a line is a heading in title case (most words capitalised)."""
    if line.endswith((".", "!", "?", '"', "”", "“")):
        return False
    words = re.findall(r"[^\W\d_]{4,}", line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.7


def _is_country_or_region(cand: Candidate, gaz: Gazetteer) -> bool:
    kind = gaz.col("kind")
    return any(kind[pid] in ("country", "region", "other") for pid in cand.ids)
