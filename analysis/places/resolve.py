"""Place-name resolution: which place each detected name is, from evidence.

Resolution scores every candidate place of a name: a prior from its kind and
population, the countries the article names, and nearness to the article's
other places (Pokrovsk beside Donetsk Oblast is the Ukrainian town). One name
keeps one sense within an article. Each mention keeps its confidence and the
ranked alternatives considered.
"""

from __future__ import annotations

import math
from collections import Counter

from analysis.places.detect import Candidate
from analysis.places.gazetteer import Gazetteer, normalise

THEATRE_COUNTRIES = frozenset({"UA", "RU", "KP", "KR", "BY"})


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


def _plausible(place: dict, cand: Candidate, lang: str) -> bool:
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


def _namesake_bonus(c: Candidate, gaz: Gazetteer) -> None:
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


def resolve(cands: list[Candidate], gaz: Gazetteer, lang: str = "en") -> list[Candidate]:
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
    groups: dict[str, list[Candidate]] = {}
    for c in live:
        groups.setdefault(c.key, []).append(c)
    names: dict[str, Candidate] = {}
    for key, group in groups.items():
        ids = tuple(dict.fromkeys(pid for c in group for pid in c.ids))
        rep = Candidate(group[0].start, group[0].end, group[0].surface, key, ids)
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


def alternatives(scores: dict[int, float], gaz: Gazetteer, top: int = 5) -> tuple[str, float, int]:
    """The ranked alternatives of a name's scores as text, the top one's probability, and
    its place id (scores turned into probabilities by a softmax)."""
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
