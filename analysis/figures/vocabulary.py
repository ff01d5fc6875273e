"""The reviewed vocabulary of the figure reader, and how word lists become patterns.

Every word the figure reader looks for (qualifiers, units, cue words, source
verbs, date words, ...) is in ``data/figure_terms.json``, per language where
the words are; the modules of :mod:`analysis.figures` read it through
:func:`terms` and turn its lists into regular expressions with
:func:`alternation`, :func:`words_re` and :func:`either_language`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from analysis.schema import LANGUAGES

LANGS = LANGUAGES  # the languages the vocabulary has words for; others are read as English


@lru_cache(maxsize=1)
def terms() -> dict[str, Any]:
    """The reviewed vocabulary of ``data/figure_terms.json`` (read once)."""
    raw = resources.files("analysis.figures").joinpath("data/figure_terms.json").read_text("utf-8")
    return json.loads(raw)


def either_language(entry: dict[str, Any]) -> list[str]:
    """The words of every language of a vocabulary entry, in language order.

    Some lists are read in an article of either language (a German article
    quotes English, and the two share many short words), as the reader has
    always done.

    Examples:
        >>> either_language({"en": ["in", "by"], "de": ["im"]})
        ['in', 'by', 'im']
    """
    return [word for lang in LANGS for word in entry.get(lang, [])]


def alternation(words: list[str] | dict[str, Any]) -> str:
    """A regex alternation of vocabulary fragments, longest first so phrases beat words.

    Plain words are folded into a trie (``t(?:en|hree)``), which matches the
    same strings with the same longest-first preference but lets the regex
    engine reject a position on its first character; lists holding regex
    syntax stay a flat alternation.

    Examples:
        >>> alternation(["more", "more than"])
        '(?:more(?:\\\\ than)?)'
        >>> alternation(["ca\\\\.", "about"])
        '(?:about|ca\\\\.)'
    """
    items = sorted(words, key=lambda w: (-len(w), w))
    if any(_REGEX_SYNTAX.search(w) for w in items):
        return "(?:" + "|".join(w.replace(" ", r"\ ") for w in items) + ")"
    trie: dict[str, dict] = {}
    for w in items:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie_pattern(trie) + ")"


_REGEX_SYNTAX = re.compile(r"[\\.^$*+?{}\[\]|()]")


def literal_alternation(words: list[str]) -> str:
    """A regex alternation of literal strings (any characters, escaped), folded into a
    trie so that the engine rejects a position on its first character: one pattern for
    thousands of names scans a text about as fast as a single word does.

    Examples:
        >>> import re
        >>> bool(re.fullmatch(literal_alternation(["u.s.", "us"]), "u.s.")), bool(
        ...     re.fullmatch(literal_alternation(["u.s.", "us"]), "uxsx"))
        (True, False)
    """
    trie: dict[str, dict] = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie_pattern(trie) + ")"


def expand(pattern: str) -> list[str]:
    """The strings a small pattern stands for: literals, ``\\x`` escapes, ``[abc]``,
    ``(?:a|b)`` and ``?`` after any of them (the syntax the reviewed name lists use).

    Examples:
        >>> expand("zelensk(?:y|iy)"), expand("kreml(?:s)?"), expand("defen[cs]e")
        (['zelensky', 'zelenskiy'], ['kremls', 'kreml'], ['defence', 'defense'])
    """
    out, i = _expand_seq(pattern, 0)
    if i != len(pattern):
        raise ValueError(f"cannot expand {pattern!r} at {i}")
    return sorted(set(out), key=out.index)


def _expand_seq(p: str, i: int) -> tuple[list[str], int]:
    """Alternatives of ``p`` from ``i`` up to a ``|`` or ``)`` at this level."""
    alts: list[str] = []
    cur = [""]
    while i < len(p) and p[i] != ")":
        if p[i] == "|":
            alts += cur
            cur, i = [""], i + 1
            continue
        if p.startswith("(?:", i):
            atom, i = _expand_seq(p, i + 3)
            i += 1  # the closing parenthesis
        elif p[i] == "[":
            j = p.index("]", i)
            atom, i = list(p[i + 1 : j]), j + 1
        elif p[i] == "\\":
            atom, i = [p[i + 1]], i + 2
        else:
            atom, i = [p[i]], i + 1
        if i < len(p) and p[i] == "?":
            atom, i = [*atom, ""], i + 1
        cur = [c + a for c in cur for a in atom]
    return alts + cur, i


def _trie_pattern(node: dict[str, dict]) -> str:
    kids = [re.escape(ch) + _trie_pattern(sub) for ch, sub in node.items() if ch]
    if not kids:
        return ""
    body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
    return f"(?:{body})?" if "" in node else body


def words_re(words: list[str]) -> str:
    """An alternation of words that stand as words of their own (no letter, digit or
    hyphen either side).

    Examples:
        >>> import re
        >>> said = re.compile(words_re(["said"]))
        >>> bool(said.search("officials said")), bool(said.search("unsaid"))
        (True, False)
    """
    return rf"(?<![\w-]){alternation(words)}(?![\w-])"
