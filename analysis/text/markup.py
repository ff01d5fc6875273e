"""Markup and code in an article's text, blanked so the extractors never read them.

A ``.txt`` or ``.md`` article (and the text trafilatura extracts from HTML)
can carry HTML tags and entities, Markdown code, link targets and bare URLs.
Their numbers are not reported figures (``width:300px``, ``&#8212;``,
``/2024/11/300``) and their words are not places. :func:`mask_markup` replaces
them with spaces of the same length, so every offset into the text still holds.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

_FENCED_CODE = re.compile(
    r"^ {0,3}(?P<fence>`{3,}|~{3,}).*?^ {0,3}(?P=fence)[`~]*[ \t]*$", re.M | re.S
)
# Not after a letter nor before one, so a backtick typed as an apostrophe ("Kyiv`s") is no code.
_INLINE_CODE = re.compile(r"`(?<![\w`]`)(`*)(?!`)[^\n]+?(?<!`)`\1(?![\w`])")
_HTML_HIDDEN = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_HTML_TAG = re.compile(r"</?!?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{0,2000})?/?>")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_MD_LINK = re.compile(
    r"\[(?P<text>[^\]\n]*)\](?P<target>\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\))"
)
_URL = re.compile(r"\b(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>\"'`]+")
_URL_TRAIL = ".,;:!?'\"”’»)]}"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def mask_markup(text: str) -> str:
    """The text with markup and code blanked, every offset and line break kept.

    Numbers in markup and code are not reported figures, nor are its words
    places: fenced and inline Markdown code, HTML comments, scripts, styles and
    tags, Markdown images and link targets (the link's visible text stays) and
    bare URLs become spaces of the same length. An HTML entity becomes the
    character it stands for, padded with spaces.

    Examples:
        >>> mask_markup('Some [3,000 troops](https://x.org/2024/300) in `code 7`&#8212;')
        'Some  3,000 troops                          in         —      '
    """
    for hints, pattern, replace in _MASKS:
        if any(hint in text for hint in hints):
            text = pattern.sub(replace, text)
    return text


def _blank(stretch: str) -> str:
    """Spaces for every character of ``stretch`` but line breaks, which stay."""
    return re.sub(r"[^\n]", " ", stretch)


def _blank_match(m: re.Match[str]) -> str:
    return _blank(m.group())


def _link_text(m: re.Match[str]) -> str:
    """A Markdown link with its brackets and target blanked, its visible text kept."""
    return f" {m.group('text')} {_blank(m.group('target'))}"


def _blank_url(m: re.Match[str]) -> str:
    """A bare URL blanked, without the punctuation that ends the sentence around it."""
    url = m.group()
    end = len(url)
    while end and url[end - 1] in _URL_TRAIL:
        closing = url[end - 1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and url.count(opening, 0, end) >= url.count(closing, 0, end):
            break  # a bracket the URL opened, as in .../Kursk_(city)
        end -= 1
    return " " * end + url[end:]


def _entity(m: re.Match[str]) -> str:
    """An HTML entity as the one character it stands for, padded to its length, or blanked."""
    char = html.unescape(m.group())
    if len(char) != 1 or unicodedata.category(char)[0] == "C":
        return _blank(m.group())
    return char.ljust(len(m.group()))


_MASKS: tuple[tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (("```", "~~~"), _FENCED_CODE, _blank_match),
    (("`",), _INLINE_CODE, _blank_match),
    (("<",), _HTML_HIDDEN, _blank_match),
    (("<",), _HTML_TAG, _blank_match),
    (("](",), _MD_IMAGE, _blank_match),
    (("](",), _MD_LINK, _link_text),
    (("://", "www."), _URL, _blank_url),
    (("&",), _ENTITY, _entity),
)
"""What :func:`mask_markup` blanks, in order: strings one of which any match holds
(a text without them is not searched, which keeps plain text cheap), the
pattern, and its replacement of the same length."""
