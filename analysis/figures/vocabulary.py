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
