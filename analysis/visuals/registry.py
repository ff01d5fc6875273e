"""The named figures, in one place: each name's drawing function and the arguments it takes.

Why: the exports write every map and chart under its name, and each report
notebook shows some of them (the batch's copy when there is one, else drawn
anew); both look the names up here, so that a figure is drawn the same way
wherever it appears and a new figure is added once.

A figure is drawn from the corpus tables (places, figures, articles) and, for
the figures of one article, place or category, a key; its file name is
:func:`file_name` (``theatre_map``, ``place_map_sudzha-8ac3ae20``, ``timeline_killed``,
``claims_kp_troops_deployed``). Each chart's title names the subject it keeps
(``subject`` among the options): North Korean, or "every side" for None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from analysis.text.names import figure_name
from analysis.visuals import charts, claims, maps


@dataclass(frozen=True)
class Drawing:
    """How a named figure is drawn.

    Attributes:
        function: the drawing function (returns a Figure).
        tables: the tables it takes, passed as keyword arguments of these names.
        key: the keyword its key goes to (``article``, ``place``, ``category``);
            None for a figure of the whole corpus.
        options: further keyword arguments, always the same.
    """

    function: Callable[..., Figure]
    tables: tuple[str, ...]
    key: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


DRAWINGS: dict[str, Drawing] = {
    "theatre_map": Drawing(maps.theatre_map, ("places",)),
    "context_map": Drawing(maps.context_map, ("places", "figures")),
    "article_map": Drawing(maps.article_map, ("places",), key="article"),
    "place_map": Drawing(maps.place_map, ("places",), key="place"),
    # one category, every subject (the figures report); titled "..., every side"
    "timeline": Drawing(
        charts.timeline, ("figures", "articles"), key="category", options={"subject": None}
    ),
    # North Korean troops (the corpus overview); titled "North Korean troops in Russia"
    "timeline_troops": Drawing(
        charts.timeline,
        ("figures", "articles"),
        options={"category": "troops_deployed", "subject": "KP"},
    ),
    # who claims what, when: one category, every subject (the figures report)
    "claims": Drawing(
        claims.claims, ("figures", "articles"), key="category", options={"subject": None}
    ),
    # who claims what, when: one category, North Korean figures (the corpus overview)
    "claims_kp": Drawing(
        claims.claims, ("figures", "articles"), key="category", options={"subject": "KP"}
    ),
    "casualties": Drawing(charts.casualties, ("figures", "articles")),
    "munitions": Drawing(charts.munitions, ("figures", "articles")),
    "overview": Drawing(charts.overview, ("figures",)),
}
"""Every named figure, in the order the exports write them."""


def _drawing(name: str, key: str | None) -> Drawing:
    """The registry's entry for ``name``, checked against ``key``.

    Raises:
        KeyError: "no figure named 'x'" for a name the registry lacks.
        ValueError: "figure 'x' needs a key (article)" or "figure 'x' takes no key".
    """
    if name not in DRAWINGS:
        raise KeyError(f"no figure named {name!r}; known: {', '.join(DRAWINGS)}")
    drawing = DRAWINGS[name]
    if drawing.key is not None and key is None:
        raise ValueError(f"figure {name!r} needs a key ({drawing.key})")
    if drawing.key is None and key is not None:
        raise ValueError(f"figure {name!r} takes no key")
    return drawing


def file_name(name: str, key: str | None = None) -> str:
    """The name a figure's files are written under (without suffix).

    Examples:
        >>> file_name("theatre_map"), file_name("timeline", "killed")
        ('theatre_map', 'timeline_killed')
    """
    _drawing(name, key)
    return figure_name(name, key or "")


def drawing_job(
    name: str,
    key: str | None = None,
    *,
    places: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
) -> Callable[[], Figure]:
    """The figure ``name`` (of ``key``) as a call with its arguments bound, not yet drawn.

    Only the tables the drawing takes are bound, so that the call stays small to
    send to another process (the exports draw in a pool).

    Raises:
        KeyError, ValueError: as :func:`draw`.
    """
    drawing = _drawing(name, key)
    given = {"places": places, "figures": figures, "articles": articles}
    kwargs: dict[str, Any] = {table: given[table] for table in drawing.tables}
    if drawing.key is not None:
        kwargs[drawing.key] = key
    return partial(drawing.function, **kwargs, **drawing.options)


def draw(
    name: str,
    key: str | None = None,
    *,
    places: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    articles: pd.DataFrame | None = None,
) -> Figure:
    """Draw the figure ``name`` (of ``key``: an article, place or category) from the tables.

    Raises:
        KeyError: "no figure named 'x'" for a name not in :data:`DRAWINGS`.
        ValueError: "figure 'x' needs a key (article)" when a key is missing,
            "figure 'x' takes no key" when one is given to a corpus figure.
    """
    job = drawing_job(name, key, places=places, figures=figures, articles=articles)
    return job()
