"""Who a source is: the entity a source phrase names, from the reviewed registry.

A figure's source is written many ways ("South Korea's National Intelligence
Service", "Seoul's spy agency", "der südkoreanische Geheimdienst", "the NIS");
an analyst compares claims by entity. :func:`identify` reads a source phrase
in three steps, each from ``data/source_entities.json``:

1. a name or acronym of a registry entity in the phrase (the last one: in
   "Pentagon Press Secretary Sabrina Singh" the head is the person);
2. a generic noun of a role ("spy agency", "officials", "Geheimdienst") with a
   country word ("Seoul's", "ukrainische"): the country's entity for that role
   when the registry lists one, else a name made of the two ("Ukrainian
   officials"); a country word alone is a metonym for its government;
3. a bare generic noun or pronoun ("the agency", "he") is not a source: the
   caller resolves it to the nearest fitting entity named before, or leaves the
   figure unattributed. Anything else is an entity the registry does not know:
   its name is derived from the phrase (a person's name without titles).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from analysis.figures.lexicon import Lexicon, lexicon
from analysis.figures.vocabulary import LANGS, alternation, expand, literal_alternation

ANY = "any"  # the role a pronoun like "it" or "they" may stand for


@dataclass(frozen=True)
class Entity:
    """One source: canonical name, country (ISO alpha-2 or empty), kind
    (party, third_party, media, expert, other), role (what generic nouns may stand
    for it) and, for a person who speaks for an institution, that institution."""

    name: str
    country: str = ""
    kind: str = "other"
    role: str = ""
    org: str = ""


@dataclass(frozen=True)
class Identity:
    """What a source phrase names: an entity, or a generic role still to be resolved
    (``generic``: "the agency", "he"), and the span of the name in the phrase."""

    entity: Entity | None
    generic: str = ""
    span: tuple[int, int] = (0, 0)
    relay: Entity | None = None  # a medium the phrase names as passing the claim on


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    raw = resources.files("analysis.figures").joinpath("data/source_entities.json")
    return json.loads(raw.read_text("utf-8"))


class Registry:
    """The reviewed entities compiled: names (case aside), acronyms (as written), the
    generic nouns of each role per language, and each country's entity per role."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.entities = [
            Entity(e["entity"], e.get("country", ""), e["kind"], e["role"], e.get("org", ""))
            for e in data["entities"]
        ]
        self.by_name = {e.name: e for e in self.entities}
        # Every name spelt out (the lists use a little pattern syntax for endings) and
        # looked up by its text: one trie-shaped pattern scans a whole article quickly.
        self.index: dict[str, int] = {}
        self.acronym_index: dict[str, int] = {}
        for i, e in enumerate(data["entities"]):
            for name in e.get("names", []):
                for form in expand(name):
                    # as written, with a curly apostrophe, and in the German genitive
                    for variant in (form, form.replace("'", "’"), form + "s"):
                        self.index.setdefault(variant.lower(), i)
            for acronym in e.get("acronyms", []):
                self.acronym_index.setdefault(acronym, i)
        names = literal_alternation(list(self.index))
        acronyms = literal_alternation(list(self.acronym_index))
        self.names = re.compile(rf"(?<![\w-]){names}(?![\w-])", re.IGNORECASE)
        self.acronyms = re.compile(rf"(?<![\w-]){acronyms}(?![\w-])")
        roles = {k: v for k, v in data["roles"].items() if not k.startswith("_")}
        self.roles = {
            lang: re.compile(
                r"(?<![\w-])(?:"
                + "|".join(
                    f"(?P<{role}>{alternation(words[lang])})" for role, words in roles.items()
                )
                + r")(?![\w-])",
                re.IGNORECASE,
            )
            for lang in LANGS
        }
        self.defaults = {
            country: {role: self.by_name[name] for role, name in per_role.items()}
            for country, per_role in data["defaults"].items()
            if not country.startswith("_")
        }
        self.demonyms = {k: v for k, v in data["demonyms"].items() if not k.startswith("_")}
        metonyms = {k: v for k, v in data["metonyms"].items() if not k.startswith("_")}
        self.metonyms = re.compile(
            r"(?<![\w-])(?:"
            + "|".join(f"(?P<{code}>{alternation(words)})" for code, words in metonyms.items())
            + r")(?![\w-])",
            re.IGNORECASE,
        )

    def named(
        self, text: str, start: int = 0, end: int | None = None
    ) -> list[tuple[int, int, Entity]]:
        """(start, end, entity) of every registry name and acronym in ``text[start:end]``,
        in text order (overlaps: the longer)."""
        end = len(text) if end is None else end
        hits = [
            (m.start(), m.end(), self.entities[self.index[m.group().lower()]])
            for m in self.names.finditer(text, start, end)
        ] + [
            (m.start(), m.end(), self.entities[self.acronym_index[m.group()]])
            for m in self.acronyms.finditer(text, start, end)
        ]
        hits.sort(key=lambda h: (h[0], -h[1]))
        out: list[tuple[int, int, Entity]] = []
        for h in hits:
            if not out or h[0] >= out[-1][1]:
                out.append(h)
        return out


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The compiled registry of ``data/source_entities.json`` (read once)."""
    return Registry(_data())


def entity_named(name: str) -> Entity | None:
    """The registry entity of a canonical name, or one a name or acronym points to
    ("NIS (KR)", "Seoul's spy agency" → NIS); None when the registry has none.

    Examples:
        >>> entity_named("HUR (UA)").name, entity_named("Selenskyj").name
        ('HUR', 'Zelensky')
    """
    reg = registry()
    bare = _COUNTRY_TAG.sub("", name).strip()
    if bare in reg.by_name:
        return reg.by_name[bare]
    hits = reg.named(bare)
    if hits:
        return hits[-1][2]
    for lang in LANGS:  # "Seoul's spy agency": a country and a role
        ent = identify(bare, lexicon(lang)).entity
        if ent is not None and ent.name in reg.by_name:
            return ent
    return None


_COUNTRY_TAG = re.compile(r"\s*\([A-Z]{2}\)$")
_TITLE = re.compile(
    r"^(?:(?:deputy|chief|senior|press|secretary|spokes(?:wo)?man|spokesperson|minister|"
    r"president|prosecutor|general|colonel|major|lieutenant|captain|admiral|commander|head|"
    r"director|lawmaker|mp|senator|ambassador|analyst|expert|professor|dr\.?|mr\.?|ms\.?|mrs\.?|"
    r"sprecher(?:in)?|minister(?:in)?|präsident(?:in)?|oberst|general|abgeordnete[r]?|"
    r"experte|expertin|analyst(?:in)?)\s+)+",
    re.IGNORECASE,
)
# A person's name: capitalised words (with hyphens or apostrophes) at the phrase's end.
_NAME_TAIL = re.compile(r"(?:[A-ZÀ-Ý][\w'’-]*\.?\s+){0,3}[A-ZÀ-Ý][\w'’-]+$")


def identify(phrase: str, lex: Lexicon) -> Identity:
    """What the source phrase ``phrase`` names (see the module's docstring).

    Examples:
        >>> from analysis.figures.lexicon import lexicon
        >>> en, de = lexicon("en"), lexicon("de")
        >>> identify("South Korea's National Intelligence Service", en).entity.name
        'NIS'
        >>> identify("Seoul's spy agency", en).entity.name
        'NIS'
        >>> identify("ukrainische Beamte", de).entity.name
        'Ukrainian officials'
        >>> identify("the agency", en).generic, identify("he", en).generic
        ('intelligence', 'person')
        >>> identify("Ukrainian Prosecutor General Andriy Kostin", en).entity.name
        'Kostin'
        >>> identify("Colonel Yevhenii Romanov", en).entity.name
        'Yevhenii Romanov'
    """
    reg = registry()
    hits = reg.named(phrase)
    if hits:
        # The head is the last name ("Pentagon Press Secretary Sabrina Singh"), but a
        # medium after another entity relays it ("Kim Jong Un der Nachrichtenagentur KCNA").
        others = [h for h in hits if h[2].kind != "media"]
        if others and others[-1] is not hits[-1]:
            s, e, ent = others[-1]
            return Identity(ent, span=(hits[0][0], hits[-1][1]), relay=hits[-1][2])
        s, e, ent = hits[-1]
        return Identity(ent, span=(s, e))
    countries = sorted(
        (
            (m.lastgroup or "", m.start(), m.end())
            for rx in (lex.actor, reg.metonyms)
            for m in rx.finditer(phrase)
        ),
        key=lambda c: c[1],
    )
    # The head noun is the last role word: "Kyiv's military intelligence" is intelligence.
    role_m = _last(reg.roles[lex.lang], phrase) or _last(reg.roles["en"], phrase)
    role = role_m.lastgroup if role_m else ""
    if countries:
        code = countries[0][0]
        if role and role not in ("person", "report"):
            # The name ends with its last country word or role noun; what follows runs on.
            end = max(role_m.end(), countries[-1][2]) if role_m else len(phrase)
            ent = reg.defaults.get(code, {}).get(role) or _derived(code, role, reg)
            return Identity(ent, span=(0, end))
        rest = _residue(phrase, [(s, e) for _, s, e in countries])
        if not rest or role == "report":
            # "Seoul", "Washington und Seoul", "Kyiv's post-attack report": the government(s)
            codes = list(dict.fromkeys(c for c, _, _ in countries))
            name = "; ".join(f"{reg.demonyms.get(c, c)} government" for c in codes)
            ent = Entity(name, codes[0], _state_kind(codes[0]), "government")
            return Identity(ent, span=(0, countries[-1][2]))
    if role_m is not None and not _residue(_LOWER_TAIL.sub("", phrase), [role_m.span()]):
        return Identity(None, generic=role or ANY)  # "the agency", "officials on site"
    if lex.pronoun.match(phrase):
        word = phrase.lower()
        return Identity(None, generic="person" if word in _PERSONAL else ANY)
    name = _person_name(phrase)
    if name:
        return Identity(Entity(name, countries[0][0] if countries else "", "other", "person"))
    return Identity(Entity(phrase, countries[0][0] if countries else "", "other", ""))


def _last(rx: re.Pattern[str], phrase: str) -> re.Match[str] | None:
    found = None
    for found in rx.finditer(phrase):  # noqa: B007 (the last one is wanted)
        pass
    return found


# A trailing phrase of small words after a generic noun says where, not who: "on site".
_LOWER_TAIL = re.compile(r"(?:\s+(?:on|in|at|from|near|vor|im|am|in der|aus)\s+[a-z][a-z ]*)$")
_PERSONAL = frozenset({"he", "she", "him", "her", "er", "ihm"})
_FILLER = re.compile(
    r"\b(?:the|a|an|der|die|das|den|dem|des|ein|eine|einer|eines|einem|and|und|of|von|"
    r"'s|’s|s)\b|[\W_]+",
    re.IGNORECASE,
)


def _residue(phrase: str, spans: list[tuple[int, int]]) -> str:
    """What is left of ``phrase`` without ``spans``, articles and punctuation."""
    kept, at = [], 0
    for s, e in sorted(spans):
        kept.append(phrase[at:s])
        at = max(at, e)
    kept.append(phrase[at:])
    return _FILLER.sub("", " ".join(kept)).strip()


def _derived(code: str, role: str, reg: Registry) -> Entity:
    label = _ROLE_LABEL.get(role, role)
    return Entity(f"{reg.demonyms.get(code, code)} {label}", code, _state_kind(code), role)


def _state_kind(code: str) -> str:
    """A state's officials are a party to the war (Ukraine, Russia, North Korea) or not."""
    return "party" if code in _PARTIES else "third_party"


_PARTIES = frozenset({"UA", "RU", "KP"})


_ROLE_LABEL = {
    "officials": "officials",
    "military": "military",
    "government": "government",
    "intelligence": "intelligence",
    "ministry": "ministry",
    "defence_ministry": "defence ministry",
    "media": "media",
    "expert": "experts",
}


def _person_name(phrase: str) -> str:
    """A person's name at the end of an English-style phrase, titles left out
    ("Ukrainian Prosecutor General Andriy Kostin" → "Andriy Kostin"); '' if none."""
    m = _NAME_TAIL.search(phrase.strip())
    if m is None:
        return ""
    name = _TITLE.sub("", m.group()).strip()
    words = name.split()
    if len(words) < 2 or any(w.lower() in _NOT_NAME for w in words):
        return ""
    return name


_NOT_NAME = frozenset({"ministry", "service", "agency", "department", "office", "staff", "forces"})
