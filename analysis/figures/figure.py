"""A reported figure while it is being read, and the clause read around it.

The modules of :mod:`analysis.figures` fill one :class:`Figure` per number
(unit and category in :mod:`~analysis.figures.units`, subject in
:mod:`~analysis.figures.subjects`, source in
:mod:`~analysis.figures.attribution`, date in :mod:`~analysis.figures.dates`);
:mod:`~analysis.figures.reading` turns them into table rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from analysis.figures.numbers import NumberMatch

WINDOW = 110  # characters of clause read on either side of a number
Span = tuple[int, int]
WORD_START = re.compile(r"[^\W_]")  # a letter or digit: where a word may begin


@dataclass
class Figure:
    """A figure while it is being read (one number in one sentence)."""

    nm: NumberMatch
    sent: Span
    para: int
    unit: str = ""
    entry: dict[str, Any] | None = None
    counted: str = ""
    np_end: int = 0
    category: str = "other"
    subject: str = ""
    named_side: bool = False  # the subject was named in the figure's own noun phrase
    source: str = ""
    source_entity: str = ""
    source_country: str = ""
    source_kind: str = "unattributed"
    source_role: str = ""
    via: str = ""
    source_span: Span = (0, 0)
    asof: str = ""
    next_start: int = 0  # where the next candidate of the line begins (bounds the clause)


def context(fig: Figure, previous: list[Figure]) -> tuple[Span, Span]:
    """The clause around a number: bounded by its sentence, the previous figure and WINDOW."""
    s0, e0 = fig.sent
    ls = max(s0, fig.nm.qstart - WINDOW)
    if previous and previous[-1].sent == fig.sent:  # the previous figure's noun phrase is its own
        ls = max(ls, previous[-1].nm.end, previous[-1].np_end)
    re_ = min(e0, fig.nm.end + WINDOW, fig.next_start or e0)
    return (ls, fig.nm.qstart), (fig.nm.end, re_)
