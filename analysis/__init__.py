"""Where news articles say North Korea's part in Russia's war happens, and what figures they report.

The package turns a folder of articles into tables (articles, place mentions,
places, reported figures, problems), and those tables into maps, charts and
HTML reports. In a notebook::

    import analysis as nk

    tables = nk.extract_tables("path/to/articles")   # or a DataFrame with a text column
    nk.theatre_map(tables.places)
    nk.casualties(tables.figures, tables.articles)

The names below are imported on first use, so ``import analysis`` is quick and
pulls in neither matplotlib nor geopandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_WHERE: dict[str, str] = {
    # settings and tables
    "Settings": "analysis.settings",
    "schema": "analysis.schema",
    "load_corpus": "analysis.text.corpus",
    "extract_tables": "analysis.tables",
    "Tables": "analysis.tables",
    "find_places": "analysis.tables",
    "find_figures": "analysis.tables",
    "extract_corpus": "analysis.pipeline.extract",
    # maps and charts
    "theatre_map": "analysis.visuals.maps",
    "article_map": "analysis.visuals.maps",
    "place_map": "analysis.visuals.maps",
    "context_map": "analysis.visuals.maps",
    "explore_places": "analysis.visuals.interactive",
    "timeline": "analysis.visuals.charts",
    "casualties": "analysis.visuals.charts",
    "munitions": "analysis.visuals.charts",
    "overview": "analysis.visuals.charts",
    # exports and evaluation
    "save_figure": "analysis.visuals.exports",
    "export_all": "analysis.visuals.exports",
    "score_places": "analysis.evaluation.scores",
    "score_figures": "analysis.evaluation.scores",
    "read_gold_places": "analysis.evaluation.scores",
    "read_gold_figures": "analysis.evaluation.scores",
}
"""Each public name and the module that defines it."""

__all__ = [
    "__version__",
    "Settings",
    "schema",
    "load_corpus",
    "extract_tables",
    "Tables",
    "find_places",
    "find_figures",
    "extract_corpus",
    "theatre_map",
    "article_map",
    "place_map",
    "context_map",
    "explore_places",
    "timeline",
    "casualties",
    "munitions",
    "overview",
    "save_figure",
    "export_all",
    "score_places",
    "score_figures",
    "read_gold_places",
    "read_gold_figures",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = importlib.import_module(module)
    if name != module.rsplit(".", 1)[-1]:
        value = getattr(value, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from analysis import schema
    from analysis.evaluation.scores import (
        read_gold_figures,
        read_gold_places,
        score_figures,
        score_places,
    )
    from analysis.pipeline.extract import extract_corpus
    from analysis.settings import Settings
    from analysis.tables import Tables, extract_tables, find_figures, find_places
    from analysis.text.corpus import load_corpus
    from analysis.visuals.charts import casualties, munitions, overview, timeline
    from analysis.visuals.exports import export_all, save_figure
    from analysis.visuals.interactive import explore_places
    from analysis.visuals.maps import article_map, context_map, place_map, theatre_map
