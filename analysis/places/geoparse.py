"""Find the places an article mentions and resolve each to a point, from evidence.

Detection walks the tokens of the article body and looks up every run of up to
six tokens that starts with a capital letter in the gazetteer's name index
(longest match first). Its neighbours then say how to read it:

* "Kursk Oblast", "Kursk region", "Region Kursk", "Gebiet Kursk": the region;
* "Kyiv Independent", "Washington Post", "Washington-based": an organisation,
  recognised and flagged, not counted as the place by default;
* "Rob Lee", "Sabrina Singh": part of a person's name, not a place at all; the
  surname is then not a place anywhere else in the article either.

Resolution scores every candidate place of a name: a prior from its kind and
population, the countries the article names, and nearness to the article's
other places (Pokrovsk beside Donetsk Oblast is the Ukrainian town). One name
keeps one sense within an article. Each mention keeps its confidence and the
ranked alternatives considered.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from analysis.places.gazetteer import _APOSTROPHES, TOKEN, Gazetteer, load_gazetteer, normalise

MENTION_COLUMNS = [
    "article",
    "start",
    "end",
    "surface",
    "place",
    "lat",
    "lon",
    "country",
    "kind",
    "precision",
    "geonameid",
    "confidence",
    "flagged",
    "flag",
    "admin1",
    "alternatives",
]
PLACE_COLUMNS = [
    "article",
    "place",
    "lat",
    "lon",
    "country",
    "kind",
    "admin1",
    "mentions",
    "surfaces",
    "precision",
    "geonameid",
    "confidence",
]
THEATRE_COUNTRIES = frozenset({"UA", "RU", "KP", "KR", "BY"})
PRECISION = {"city": 1, "town": 1, "village": 1, "region": 2, "admin1": 3, "country": 3, "other": 3}

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
class _Candidate:
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


def _share_region_cue(text: str, cands: list[_Candidate]) -> None:
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
) -> list[_Candidate]:
    """Place-name candidates in the body spans of ``text``, flagged where context says so.

    Only capitalised tokens start a look-up, and a run grows only while the
    gazetteer holds a longer name, so lower-case text costs one regex scan.
    """
    ctx = _context()
    source = gaz.col("source")
    organisations: dict[tuple[int, ...], bool] = {}
    out: list[_Candidate] = []
    persons: set[str] = set()
    memo = gaz.memo
    if len(memo) > 500_000:  # bounded: a large corpus has many distinct capitalised words
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
            cand = _Candidate(toks[0][0], last[1], text[toks[0][0] : last[1]], key, ids)
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
    return unicodedata.normalize("NFC", token).translate(_APOSTROPHES).casefold()


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
    cand: _Candidate,
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


def _is_country_or_region(cand: _Candidate, gaz: Gazetteer) -> bool:
    kind = gaz.col("kind")
    return any(kind[pid] in ("country", "region", "other") for pid in cand.ids)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine); plain floats, faster than numpy for one pair."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def _prior(row: dict, region_cue: bool, countries: set[str]) -> float:
    kind = row["kind"]
    if kind == "country":
        score = 5.0
    elif kind == "admin1":
        score = 6.0 if region_cue else 3.0
    elif kind in ("region", "other"):
        score = 4.0
    else:
        score = 0.6 * math.log10(row["population"] + 10) - (2.5 if region_cue else 0.0)
    if row["country"] in countries:
        score += 1.5
    if row["country"] in THEATRE_COUNTRIES:
        score += 0.5
    return score


def _plausible(place: dict, cand: _Candidate, lang: str) -> bool:
    """Whether a name that is also a common word can mean this place here.

    Countries and regions always can; a populated place when it is big (half a
    million or more), or in English when not opening a sentence ("Washington",
    but not the German "Bei" or "Name").
    """
    if place["kind"] in ("country", "region", "other", "admin1"):
        return True  # generic words among them (North, Region) are excluded in the gazetteer
    if place["population"] >= 500_000:
        return True
    return lang != "de" and not cand.sentence_start


def _namesake_bonus(c: _Candidate, gaz: Gazetteer) -> None:
    """Favour the place whose own name was written, and an oblast's namesake capital.

    "Bryansk" is the main name of the Russian city and only an alternate of a Polish
    village; "Kherson" without "region" is the city that gives the oblast its name.
    """
    kind, country, name = gaz.col("kind"), gaz.col("country"), gaz.col("place")
    lat, lon = gaz.col("lat"), gaz.col("lon")
    admin1 = [p for p in c.ids if kind[p] == "admin1"]
    for pid in c.scores:
        if kind[pid] not in ("city", "town", "village"):
            continue
        if normalise(name[pid]) == c.key:
            c.scores[pid] += 0.5
        if not c.region_cue and any(
            country[a] == country[pid] and distance_km(lat[a], lon[a], lat[pid], lon[pid]) < 200
            for a in admin1
        ):
            c.scores[pid] += 1.0


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    p, q = math.radians(lat), math.radians(lon)
    return math.cos(p) * math.cos(q), math.cos(p) * math.sin(q), math.sin(p)


_Point = tuple[float, float, float]
# A k-d tree node: its point, its place, the box around its subtree's points, its subtrees.
_KdNode = tuple[_Point, int, _Point, _Point, "_KdNode | None", "_KdNode | None"]


class _Anchors:
    """The distance from a place to the nearest of some places, the anchors.

    The anchors sit in a k-d tree of their points on the unit sphere, each
    subtree with the box around its points; a query measures (with
    :func:`distance_km`) only the anchors whose box may hold one nearer than
    the best found, so an article naming thousands of places costs thousands
    of short queries, not millions of pairs. The minimum is the one measuring
    every pair gives: a box is passed over only when the distance it guarantees
    exceeds the best by more than a metre (far more than the rounding of either).
    """

    def __init__(self, pids: list[int], lat: list[float], lon: list[float]) -> None:
        self.lat, self.lon = lat, lon
        self.root = self._build([(_unit(lat[p], lon[p]), p) for p in pids], 0)

    def _build(self, points: list[tuple[_Point, int]], axis: int) -> _KdNode | None:
        if not points:
            return None
        lo = (
            min(p[0][0] for p in points),
            min(p[0][1] for p in points),
            min(p[0][2] for p in points),
        )
        hi = (
            max(p[0][0] for p in points),
            max(p[0][1] for p in points),
            max(p[0][2] for p in points),
        )
        points.sort(key=lambda pt: pt[0][axis])
        mid, nxt = len(points) // 2, (axis + 1) % 3
        xyz, pid = points[mid]
        left, right = self._build(points[:mid], nxt), self._build(points[mid + 1 :], nxt)
        return (xyz, pid, lo, hi, left, right)

    @staticmethod
    def _bound(q: _Point, node: _KdNode | None) -> float:
        """km within which no point of the node's box lies from ``q`` (inf for no node)."""
        if node is None:
            return math.inf
        lo, hi = node[2], node[3]
        gap = sum(max(0.0, lo[i] - q[i], q[i] - hi[i]) ** 2 for i in range(3))
        return 12742.0 * math.asin(min(1.0, math.sqrt(gap) / 2))

    def nearest_km(self, pid: int, skip: int = -1) -> float:
        """km from place ``pid`` to the nearest anchor other than ``skip`` (inf if none)."""
        lat, lon = self.lat, self.lon
        la, lo = lat[pid], lon[pid]
        q = _unit(la, lo)
        best = math.inf
        stack: list[tuple[float, _KdNode]] = []
        if self.root is not None:
            stack.append((0.0, self.root))
        while stack:
            bound, node = stack.pop()
            if bound > best + 1e-3:
                continue
            _xyz, anchor, _lo, _hi, left, right = node
            if anchor != skip:
                best = min(best, distance_km(la, lo, lat[anchor], lon[anchor]))
            sides = sorted(
                ((self._bound(q, child), child) for child in (left, right) if child is not None),
                key=lambda bc: -bc[0],
            )
            stack.extend(sides)  # the nearer box is looked at first
        return best


def resolve(cands: list[_Candidate], gaz: Gazetteer, lang: str = "en") -> list[_Candidate]:
    """Score each candidate's places: priors, the article's countries, nearness, one sense per name.

    Scoring runs once per distinct name of the article (one sense per name), so
    a name mentioned thirty times costs as much as one mentioned once.
    Returns the candidates still standing (not flagged, some plausible place left).
    """
    kind, country, pop = gaz.col("kind"), gaz.col("country"), gaz.col("population")
    lat, lon = gaz.col("lat"), gaz.col("lon")

    def row(pid: int) -> dict:
        return {"kind": kind[pid], "country": country[pid], "population": pop[pid]}

    live = [c for c in cands if not c.flag]
    common = gaz.common_words
    for c in live:
        if c.key in common:
            c.ids = tuple(pid for pid in c.ids if _plausible(row(pid), c, lang))
    live = [c for c in live if c.ids]
    groups: dict[str, list[_Candidate]] = {}
    for c in live:
        groups.setdefault(c.key, []).append(c)
    names: dict[str, _Candidate] = {}
    for key, group in groups.items():
        ids = tuple(dict.fromkeys(pid for c in group for pid in c.ids))
        rep = _Candidate(group[0].start, group[0].end, group[0].surface, key, ids)
        rep.region_cue = any(c.region_cue for c in group) and any(
            kind[pid] == "admin1" for pid in ids
        )
        names[key] = rep
    # Countries the article names outright.
    countries = {country[p] for rep in names.values() for p in rep.ids if kind[p] == "country"}
    for rep in names.values():
        rep.scores = {pid: _prior(row(pid), rep.region_cue, countries) for pid in rep.ids}
        _namesake_bonus(rep, gaz)
        rep.base = dict(rep.scores)
    # Nearness: the best places of the other names anchor each name's reading (an
    # article naming thousands of places is not measured pair by pair: see _Anchors).
    for _round in range(2):
        best = {key: max(rep.scores, key=rep.scores.__getitem__) for key, rep in names.items()}
        # How many names each anchor is the best place of (points only, no country).
        counts = Counter(p for p in best.values() if kind[p] != "country" and lat[p] == lat[p])
        anchors = _Anchors(list(counts), lat, lon)
        total = sum(counts.values())
        for key, rep in names.items():
            if len(rep.ids) < 2:
                continue
            own = counts.get(best[key], 0)  # its own best is an anchor only for the others
            if total - (1 if own else 0) == 0:
                continue
            skip = best[key] if own == 1 else -1
            for pid in rep.ids:
                if lat[pid] != lat[pid]:  # NaN: a curated entry without a point
                    continue
                d = anchors.nearest_km(pid, skip)
                rep.scores[pid] = rep.base[pid] + 2.0 * math.exp(-d / 250.0)
    for c in live:
        rep = names[c.key]
        c.region_cue = rep.region_cue
        c.scores = rep.scores
    return live


def _alternatives(scores: dict[int, float], gaz: Gazetteer, top: int = 5) -> tuple[str, float, int]:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    top_score = ranked[0][1]
    weights = [math.exp(sc - top_score) for _, sc in ranked]
    total = sum(weights)
    probs = [w / total for w in weights]
    place, country, kind = gaz.col("place"), gaz.col("country"), gaz.col("kind")
    alts = "; ".join(
        f"{place[pid]} ({country[pid]}, {kind[pid]}, {p:.2f})"
        for (pid, _), p in zip(ranked[:top], probs[:top], strict=False)
    )
    return alts, float(probs[0]), ranked[0][0]


def article_mentions(
    article: str, text: str, spans: list[tuple[int, int]], lang: str, gaz: Gazetteer | None = None
) -> pd.DataFrame:
    """Every place mention of one article, resolved, as a mentions table.

    Examples:
        >>> t = "North Korean troops fought near Sudzha in Russia's Kursk Oblast, Rob Lee said."
        >>> m = article_mentions("a", t, [(0, len(t))], "en")
        >>> for row in m[["surface", "place", "country", "kind"]].values.tolist():
        ...     print(row)
        ['Sudzha', 'Sudzha', 'RU', 'village']
        ["Russia's", 'Russia', 'RU', 'country']
        ['Kursk Oblast', 'Kursk Oblast', 'RU', 'admin1']
    """
    return pd.DataFrame(mention_rows(article, text, spans, lang, gaz), columns=MENTION_COLUMNS)


def mention_rows(
    article: str, text: str, spans: list[tuple[int, int]], lang: str, gaz: Gazetteer | None = None
) -> list[tuple]:
    """The rows of :func:`article_mentions` as plain tuples in :data:`MENTION_COLUMNS` order.

    The streaming extraction writes these directly: building a DataFrame per
    article costs as much as finding the places.
    """
    gaz = gaz or load_gazetteer()
    cands = detect(text, spans, gaz, lang)
    cands = [c for c in cands if c.flag != "person"]
    live = resolve(cands, gaz, lang)
    kept = {id(c) for c in live}
    cands = [c for c in cands if c.flag or id(c) in kept]
    col = {
        name: gaz.col(name)
        for name in ("place", "lat", "lon", "country", "kind", "geonameid", "admin1", "population")
    }
    rows = []
    ranked: dict[int, tuple[str, float, int]] = {}
    for c in cands:
        if c.flag:
            pid = max(c.ids, key=lambda p: (col["kind"][p] == "other", col["population"][p]))
            alts, conf = "", 1.0
        elif c.scores:
            # The mentions of one name share their scores: rank them once.
            if id(c.scores) not in ranked:
                ranked[id(c.scores)] = _alternatives(c.scores, gaz)
            alts, conf, pid = ranked[id(c.scores)]
        else:
            rows.append(
                (
                    article,
                    c.start,
                    c.end,
                    c.surface,
                    "",
                    np.nan,
                    np.nan,
                    "",
                    "",
                    0,
                    0,
                    0.0,
                    False,
                    "unresolved",
                    "",
                    "",
                )
            )
            continue
        k = col["kind"][pid]
        rows.append(
            (
                article,
                c.start,
                c.end,
                c.surface,
                col["place"][pid],
                round(float(col["lat"][pid]), 5),
                round(float(col["lon"][pid]), 5),
                col["country"][pid],
                k,
                PRECISION.get(k, 3),
                int(col["geonameid"][pid]),
                round(conf, 3),
                bool(c.flag),
                c.flag,
                col["admin1"][pid],
                alts,
            )
        )
    return rows


def extract_mentions(articles: pd.DataFrame, gaz: Gazetteer | None = None) -> pd.DataFrame:
    """The mentions table of a whole articles table (see :data:`MENTION_COLUMNS`)."""
    gaz = gaz or load_gazetteer()
    frames = [
        article_mentions(a.article, a.text, list(a.body_spans), a.lang, gaz)
        for a in articles.itertuples(index=False)
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def places_table(mentions: pd.DataFrame, include_flagged: bool = False) -> pd.DataFrame:
    """One row per place per article: how often and in which forms it is mentioned."""
    m = mentions if include_flagged else mentions[~mentions["flagged"].astype(bool)]
    m = m[m["place"] != ""]
    if m.empty:
        return pd.DataFrame(columns=PLACE_COLUMNS)
    keys = ["article", "place", "country", "kind", "lat", "lon"]
    out = (
        m.groupby(keys, sort=False, dropna=False)
        .agg(
            admin1=("admin1", "first"),
            mentions=("start", "size"),
            surfaces=("surface", lambda s: "|".join(dict.fromkeys(s))),
            precision=("precision", "first"),
            geonameid=("geonameid", "first"),
            confidence=("confidence", "mean"),
        )
        .reset_index()
    )
    out["confidence"] = out["confidence"].round(3)
    return (
        out[PLACE_COLUMNS].sort_values(["article", "place"], kind="stable").reset_index(drop=True)
    )


def places_geodataframe(places: pd.DataFrame):  # type: ignore[no-untyped-def]
    """The places table as a GeoDataFrame of points in EPSG:4326."""
    import geopandas as gpd

    return gpd.GeoDataFrame(
        places.copy(), geometry=gpd.points_from_xy(places["lon"], places["lat"]), crs="EPSG:4326"
    )
