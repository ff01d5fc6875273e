"""Cut the page furniture around an article and keep offsets into the original text.

News pages arrive with more than the article: logos and bylines above it, and
below it reader appeals, "Related Articles" blocks about other subjects, app
promotions and comment boxes. Their numbers are not reported figures and their
places are not places of this war, so nothing later may see them.

The cut is general rather than tuned to one file. It works line by line:

* reviewed patterns in ``data/boilerplate.json`` mark *end* lines (everything
  after is furniture), *related* lines (a link list whose headline-like lines
  follow) and single *drop* lines (logos, bylines, appeals, credits);
* a repeated line in the head (a title printed twice) is dropped;
* short lines with no sentence in them just before the cut are dropped too;
* blocks late in the text that share almost no vocabulary with the article's
  lead are treated as unrelated and cut.

The result is a list of ``(start, end)`` spans into the original text; the
body is those spans joined, and every later finding keeps file offsets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

Span = tuple[int, int]

_SENTENCE_END = re.compile(r"[.!?…][\"'”“»«’)\]]*\s*$|[\"”“»«’]\s*$")
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped


@cache
def _config() -> dict:
    return json.loads(resources.files("analysis").joinpath("data/boilerplate.json").read_text())


@cache
def _patterns() -> dict[str, list[re.Pattern[str]]]:
    """Per kind, the reviewed patterns: those anchored at the line's start as one
    alternation (one search a line instead of one per pattern), the others one by one."""
    raw = _config()
    out: dict[str, list[re.Pattern[str]]] = {}
    for kind in ("end", "related", "drop"):
        anchored = [p for p in raw[kind] if p.startswith("^")]
        loose = [p for p in raw[kind] if not p.startswith("^")]
        joined = (
            [re.compile("|".join(f"(?:{p})" for p in anchored), re.IGNORECASE)] if anchored else []
        )
        out[kind] = joined + [re.compile(p, re.IGNORECASE) for p in loose]
    return out


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(_config()["stopwords"])


def _lines(text: str, start: int) -> list[_Line]:
    """Non-empty lines of ``text[start:]`` with their offsets, whitespace trimmed."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        s = start + m.start() + lead
        out.append(_Line(s, s + len(stripped), stripped))
    return out


def _matches(kind: str, line: str) -> bool:
    return any(p.search(line) for p in _patterns()[kind])


def _is_sentence(line: str) -> bool:
    """Whether a line reads as running text rather than a heading or a link."""
    return bool(_SENTENCE_END.search(line)) and len(line.split()) >= 4


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _stopwords()


def _unrelated(block: list[_Line], lead_words: set[str]) -> bool:
    """A long block whose vocabulary barely overlaps the article's lead."""
    words = _words(" ".join(line.text for line in block))
    if len(words) < 30:
        return False
    return len(words & lead_words) / len(words) < 0.08


def body_spans(text: str, start: int = 0) -> list[Span]:
    """Spans of ``text`` that hold the article, furniture cut, offsets kept.

    Args:
        text: the document as read.
        start: where the article may begin (after a leading metadata line).

    Returns:
        ``(start, end)`` character spans into ``text``, one per kept line, in order.

    Examples:
        >>> text = "logo\\nTroops arrived in Kursk.\\nRelated Articles\\nBitcoin soars 5%."
        >>> [text[s:e] for s, e in body_spans(text)]
        ['Troops arrived in Kursk.']
    """
    lines = _lines(text, start)
    keep = [True] * len(lines)
    seen_real = 0
    cut = len(lines)
    in_related = False
    heads: set[str] = set()
    for i, line in enumerate(lines):
        t = line.text
        if _matches("end", t):
            if seen_real:
                cut = i
                break
            keep[i] = False  # furniture above the article: drop the line only
            continue
        if _matches("related", t):
            keep[i] = False
            in_related = True
            continue
        if in_related:
            if not _is_sentence(t) and len(t) < 160:
                keep[i] = False
                continue
            in_related = False
        if _matches("drop", t) or (seen_real < 3 and t in heads):
            keep[i] = False
            continue
        heads.add(t)
        if _is_sentence(t):
            seen_real += 1
    keep = keep[:cut]
    # Just before a cut, short lines with no sentence are page furniture
    # ("Try our AI features", "Explore what ... can do for you:").
    if cut < len(lines):
        i = cut - 1
        while i >= 0 and (not keep[i] or not _is_sentence(lines[i].text)):
            keep[i] = False
            i -= 1
    kept = [line for line, k in zip(lines, keep, strict=False) if k]
    return [(line.start, line.end) for line in _drop_unrelated_tail(text, kept)]


def _drop_unrelated_tail(text: str, kept: list[_Line]) -> list[_Line]:
    """Cut blocks in the second half that share little vocabulary with the lead."""
    if len(kept) < 4:
        return kept
    lead_words = _words(" ".join(line.text for line in kept[: max(3, len(kept) // 3)]))
    # Blocks: runs of lines without a blank line between them.
    blocks: list[list[_Line]] = []
    for line in kept:
        if blocks and "\n\n" not in text[blocks[-1][-1].end : line.start].replace("\r", ""):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    half = kept[len(kept) // 2].start
    out: list[_Line] = []
    for block in blocks:
        if block[0].start >= half and _unrelated(block, lead_words):
            continue
        out.extend(block)
    return out


def join_spans(text: str, spans: list[Span]) -> str:
    """The body as one string: the kept spans joined by newlines."""
    return "\n".join(text[s:e] for s, e in spans)
