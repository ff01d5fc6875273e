"""File names shared by the report batch, the exports and the notebooks.

The batch renders every map and chart once into ``data/``; a report finds its
figure there by the same name the exports gave it.
"""

from __future__ import annotations

import re


def slug(text: str) -> str:
    """A file-name-safe form of an id or a place name.

    Examples:
        >>> slug("Zaporizhzhia Oblast"), slug("../<x>")
        ('zaporizhzhia-oblast', 'x')
    """
    return re.sub(r"[^a-z0-9_]+", "-", text.casefold()).strip("-_") or "x"


def figure_name(kind: str, key: str = "") -> str:
    """The export name of a figure: ``theatre_map``, ``place_map_sudzha``, ``timeline_killed``.

    Examples:
        >>> figure_name("place_map", "Sudzha"), figure_name("overview")
        ('place_map_sudzha', 'overview')
    """
    return f"{kind}_{slug(key)}" if key else kind
