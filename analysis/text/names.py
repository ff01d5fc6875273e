"""File names shared by the report batch, the exports and the notebooks.

The batch renders every map and chart once into ``data/``; a report finds its
figure there by the same name the exports gave it. Every name that comes from
an id (an article, a place, a category) goes through :func:`file_id`, which
gives different ids different names, so one report never embeds another's map.
"""

from __future__ import annotations

import hashlib
import re


def slug(text: str) -> str:
    """A file-name-safe form of an id or a place name.

    Examples:
        >>> slug("Zaporizhzhia Oblast"), slug("../<x>")
        ('zaporizhzhia-oblast', 'x')
    """
    return re.sub(r"[^a-z0-9_]+", "-", text.casefold()).strip("-_") or "x"


_MAX_ID = 100


def file_id(text: str) -> str:
    """The file-name form of an id: its :func:`slug` when that is the id itself, else the
    slug and a short hash of the id, so that ids differing only in case or punctuation
    (``Kursk one``, ``kursk-one``) never share a file, on any file system. Long ids
    are shortened the same way (file names have a length limit).

    Examples:
        >>> file_id("000_60bf0c177671397f"), file_id("kursk-one"), file_id("Kursk one")
        ('000_60bf0c177671397f', 'kursk-one', 'kursk-one-e41bea32')
    """
    name = slug(text)
    if name == text and len(name) <= _MAX_ID:
        return name
    return f"{name[:_MAX_ID]}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def figure_name(kind: str, key: str = "") -> str:
    """The export name of a figure: ``theatre_map``, ``place_map_sudzha``, ``timeline_killed``.

    Examples:
        >>> figure_name("place_map", "Sudzha"), figure_name("overview")
        ('place_map_sudzha-8ac3ae20', 'overview')
    """
    return f"{kind}_{file_id(key)}" if key else kind
