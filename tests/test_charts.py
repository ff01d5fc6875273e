"""Charts tested through what they draw: qualifier glyphs, labels, axes, source notes, empties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.figures.reading import EXTRA_COLUMNS, FIGURE_COLUMNS
from analysis.visuals import chart_parts, charts, glyphs, style


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def figures(seeds) -> pd.DataFrame:
    from analysis.figures.reading import extract_figures

    return extract_figures(seeds.articles)


def _row(value, qualifier, source, asof="", low=None, high=None, category="troops_deployed"):
    low = value if low is None else low
    high = value if high is None else high
    return {
        "article": "a1",
        "value": value,
        "low": low,
        "high": high,
        "qualifier": qualifier,
        "unit": "persons",
        "category": category,
        "subject": "KP",
        "source": source,
        "source_kind": "media",
        "asof": asof,
        "start": 0,
        "end": 1,
        "quote": "",
        "lang": "en",
        "vague": False,
        "surface": str(value),
        "repeat": False,
        "counted": "troops",
    }


def _gids(fig: Figure, prefix: str) -> list:
    return [a for a in fig.findobj() if str(a.get_gid() or "").startswith(prefix)]


def _texts(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_qualifiers_map_to_glyphs():
    f = pd.DataFrame(
        [
            _row(10000, "more_than", "USA", "2024-12"),
            _row(11000, "up_to", "DW", "2025-01"),
            _row(12000, "approx", "AP", "2025-03-01"),
            _row(13000, "range", "ISW", "2025-04", low=12000, high=15000),
            _row(14000, "exact", "NYT", "2025"),
        ]
    )
    fig = charts.timeline(f)
    up, down = _gids(fig, "arrow_up"), _gids(fig, "arrow_down")
    assert len(up) == 1 and len(down) == 1
    # the arrow points from the value upwards (tail above the head) and downwards
    assert up[0].xyann[1] > 0 and down[0].xyann[1] < 0
    bar = _gids(fig, "range_bar")[0]
    assert np.allclose(sorted(bar.get_segments()[0][:, 1]), [12000, 15000])
    approx = _gids(fig, "point")[[g.get_gid() for g in _gids(fig, "point")].index("point2:approx")]
    assert tuple(approx.get_facecolor()[0]) == (1.0, 1.0, 1.0, 1.0)  # hollow
    exact = [g for g in _gids(fig, "point") if g.get_gid().endswith(":exact")][0]
    assert tuple(exact.get_facecolor()[0]) != (1.0, 1.0, 1.0, 1.0)
    assert "range" in _texts(fig) and "approximate" in _texts(fig)


def test_troops_timeline_of_the_seeds(seeds, figures):
    fig = charts.timeline(figures, articles=seeds.articles)
    labels = [t.get_text() for t in _gids(fig, "label")]
    values = {lab.splitlines()[-1] for lab in labels}
    assert {"10,000", "11,000", "12,000", "14,000"} <= values
    # each label names the source as one entity (glyphs.source_name), not as some article words it
    kp = figures[(figures["category"] == "troops_deployed") & (figures["subject"] == "KP")]
    first = kp[~kp["repeat"]].iloc[0]
    who = glyphs.source_name(first)
    assert any(lab.startswith(who) and style.thousands(first["value"]) in lab for lab in labels)
    assert "30,000" not in values  # a Ukrainian figure, not North Korean troops
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert any("," in t for t in ticks)  # thousands separators
    assert ax.get_ylim()[0] == 0
    assert "news articles" in _gids(fig, "source")[0].get_text()
    # the 14,000 refers to April 2025, the 10,000 to the publication in December 2024
    pts = {g.get_gid(): g.get_offsets()[0] for g in _gids(fig, "point")}
    xs = sorted(p[0] for p in pts.values())
    assert xs[0] < xs[-1]


def test_munitions_log_scale_and_percent_left_out(figures):
    fig = charts.munitions(figures)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    lo, hi = ax.get_xlim()
    assert lo <= 100 and hi >= 5_800_000
    assert "percentage" in _texts(fig)
    assert any("M" in t.get_text() for t in ax.get_xticklabels())


def test_casualties_by_kind_and_source(figures):
    fig = charts.casualties(figures)
    ticks = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert "North Korean killed" in ticks and "killed or wounded" in ticks and "Russian" in ticks
    assert _gids(fig, "legend_sources")


def test_overview_cells(figures):
    fig = charts.overview(figures)
    cells = _gids(fig, "cell:")
    kept = figures[~figures["repeat"]]
    assert len(cells) == kept.groupby(["category", "article"]).ngroups
    assert "~14,000" in _texts(fig)


@pytest.mark.parametrize("chart", ["timeline", "casualties", "munitions", "overview"])
def test_empty_input_says_so(chart):
    empty = pd.DataFrame(columns=FIGURE_COLUMNS + EXTRA_COLUMNS)
    fig = getattr(charts, chart)(empty)
    assert _gids(fig, "empty")[0].get_text() == chart_parts.EMPTY
    assert _gids(fig, "source")
