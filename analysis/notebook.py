"""Helpers the notebooks call, so that the notebooks hold no logic of their own."""

from __future__ import annotations

import pandas as pd


def setup_notebook() -> None:
    """Display settings shared by every report: full text cells, no truncated tables."""
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)


def problems_view(problems: pd.DataFrame) -> pd.DataFrame | str:
    """The problems table, or a sentence saying there were none.

    Examples:
        >>> problems_view(pd.DataFrame(columns=["file", "problem", "action"]))
        'No problems: every document was read.'
    """
    if problems.empty:
        return "No problems: every document was read."
    return problems.reset_index(drop=True)
