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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from analysis.pipeline import pools

Span = tuple[int, int]

_SENTENCE_MARKS = ".!?…"
_CLOSERS = "\"'”“»«’)]"  # may follow a sentence mark at a line's end
_QUOTES = '"”“»«’'  # end a line of running text on their own
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped


@cache
def _config() -> dict:
    return json.loads(
        resources.files("analysis.text").joinpath("data/boilerplate.json").read_text()
    )


@cache
def _patterns() -> dict[str, tuple[re.Pattern[str] | None, list[re.Pattern[str]]]]:
    """Per kind, the reviewed patterns: those anchored at the line's start as one
    alternation tried at the start only (``match``), the others searched one by one."""
    raw = _config()
    out: dict[str, tuple[re.Pattern[str] | None, list[re.Pattern[str]]]] = {}
    for kind in ("end", "related", "drop"):
        anchored = [p for p in raw[kind] if _anchored(p)]
        loose = [p for p in raw[kind] if not _anchored(p)]
        joined = (
            re.compile("|".join(f"(?:{p[1:]})" for p in anchored), re.IGNORECASE)
            if anchored
            else None
        )
        out[kind] = (joined, [re.compile(p, re.IGNORECASE) for p in loose])
    return out


def _anchored(pattern: str) -> bool:
    """Whether every match of ``pattern`` starts at the line's start: a leading ``^``
    and no top-level alternative that could match elsewhere."""
    if not pattern.startswith("^"):
        return False
    depth, escaped = 0, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
    return True


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
    anchored, loose = _patterns()[kind]
    return bool(anchored and anchored.match(line)) or any(p.search(line) for p in loose)


def _is_sentence(line: str) -> bool:
    """Whether a line reads as running text rather than a heading or a link: it ends
    (spaces aside) in a closing quote, or in a sentence mark and closing quotes or
    brackets, and holds four words or more."""
    tail = line.rstrip()
    if not tail:
        return False
    if tail[-1] not in _QUOTES:
        marked = tail.rstrip(_CLOSERS)
        if not marked or marked[-1] not in _SENTENCE_MARKS:
            return False
    return len(line.split(None, 3)) >= 4


def _words(text: str) -> set[str]:
    """The lower-cased words of four letters or more, stopwords left out."""
    low = text.lower()
    if len(low) == len(text):  # lower-casing kept every letter a letter in place
        return set(_WORD.findall(low)) - _stopwords()
    return {w.lower() for w in _WORD.findall(text)} - _stopwords()


def _unrelated(block: list[_Line], lead_words: set[str]) -> bool:
    """A long block of headline-like lines whose vocabulary barely overlaps the article's
    lead. Running text (most lines sentences) is never cut on vocabulary alone: a
    paragraph that changes the subject is still the article's."""
    if 2 * sum(_is_sentence(line.text) for line in block) > len(block):
        return False
    words = _words(" ".join(line.text for line in block))
    if len(words) < 30:
        return False
    return len(words & lead_words) / len(words) < 0.08


_END, _RELATED, _DROP = 1, 2, 4


def _kinds(lines: Sequence[_Line]) -> list[int]:
    """Per line, which reviewed patterns match it (bits ``_END | _RELATED | _DROP``)."""
    return [
        (_END if _matches("end", t) else 0)
        | (_RELATED if _matches("related", t) else 0)
        | (_DROP if _matches("drop", t) else 0)
        for t in (line.text for line in lines)
    ]


def body_spans(text: str, start: int = 0, spare_core: bool = False) -> list[Span]:
    """Spans of ``text`` that hold the article, furniture cut, offsets kept.

    Args:
        text: the document as read.
        start: where the article may begin (after a leading metadata line).
        spare_core: let a long text's lines be read in two processes (same spans).

    Returns:
        ``(start, end)`` character spans into ``text``, one per kept line, in order.

    Examples:
        >>> text = "logo\\nTroops arrived in Kursk.\\nRelated Articles\\nBitcoin soars 5%."
        >>> [text[s:e] for s, e in body_spans(text)]
        ['Troops arrived in Kursk.']
    """
    lines = _lines(text, start)
    split = spare_core and len(text) - start >= pools.SPLIT_CHARS
    kinds = pools.in_halves(_kinds, lines, split)
    keep = [True] * len(lines)
    seen_real = 0
    cut = len(lines)
    in_related = False
    heads: set[str] = set()
    for i, line in enumerate(lines):
        t = line.text
        if kinds[i] & _END:
            if seen_real:
                cut = i
                break
            keep[i] = False  # furniture above the article: drop the line only
            continue
        if kinds[i] & _RELATED:
            keep[i] = False
            in_related = True
            continue
        if in_related:
            if not _is_sentence(t) and len(t) < 160:
                keep[i] = False
                continue
            in_related = False
        if kinds[i] & _DROP or (seen_real < 3 and t in heads):
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
    return [(line.start, line.end) for line in _drop_unrelated_tail(text, kept, split)]


def _drop_unrelated_tail(text: str, kept: list[_Line], split: bool = False) -> list[_Line]:
    """Cut blocks in the second half that share little vocabulary with the lead
    (with ``split``, the blocks are judged in two processes)."""
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
    late = [i for i, block in enumerate(blocks) if block[0].start >= half]

    def unrelated(indices: Sequence[int]) -> list[bool]:
        return [_unrelated(blocks[i], lead_words) for i in indices]

    cut = {i for i, gone in zip(late, pools.in_halves(unrelated, late, split), strict=True) if gone}
    return [line for i, block in enumerate(blocks) if i not in cut for line in block]


def join_spans(text: str, spans: list[Span]) -> str:
    """The body as one string: the kept spans joined by newlines."""
    return "\n".join(text[s:e] for s, e in spans)
