"""Claims: charts keep the subject their title names, group by source entity, draw intervals;
the reports' claims table words each qualifier. Tested on small hand-made tables."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.reports import views
from analysis.visuals import chart_parts, charts, claims, glyphs, registry, style


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


NAN = float("nan")


def _row(
    value,
    qualifier="exact",
    entity="",
    source="",
    *,
    asof="",
    low=None,
    high=None,
    subject="KP",
    category="troops_deployed",
    article="a1",
    repeat=False,
    unit="persons",
):
    """One figure as the extractor writes it; low/high follow the qualifier unless given."""
    if low is None:
        low = NAN if qualifier in ("up_to", "at_most") else value
    if high is None:
        high = NAN if qualifier in ("more_than", "at_least") else value
    return {
        "article": article,
        "value": float(value),
        "low": float(low),
        "high": float(high),
        "qualifier": qualifier,
        "unit": unit,
        "category": category,
        "subject": subject,
        "source": source,
        "source_entity": entity,
        "source_country": "",
        "source_kind": "party",
        "via": "",
        "asof": asof,
        "start": 0,
        "end": 1,
        "quote": "",
        "lang": "en",
        "vague": False,
        "surface": str(value),
        "repeat": repeat,
        "counted": "troops",
    }


def _frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def _articles(f: pd.DataFrame, published: str = "2025-03-01") -> pd.DataFrame:
    return pd.DataFrame({"article": sorted(set(f["article"])), "published": published})


def _gids(fig: Figure, prefix: str) -> list:
    return [a for a in fig.findobj() if str(a.get_gid() or "").startswith(prefix)]


def _points(fig: Figure, prefix: str) -> list[tuple[float, float]]:
    """(x, y) of each drawn figure marker (scatter gids ``point0:exact``, ``claim0:range``)."""
    return [tuple(g.get_offsets()[0]) for g in _gids(fig, prefix) if ":" in g.get_gid()]


def _title(fig: Figure) -> str:
    titles = [t.get_text() for t in fig.texts if t.get_gid() == "title"]
    return titles[0] if titles else fig._suptitle.get_text()


def _legend_labels(fig: Figure) -> list[str]:
    (legend,) = _gids(fig, "legend_sources")
    return [t.get_text() for t in legend.get_texts()]


def _troops() -> pd.DataFrame:
    """North Korean troops from three sources and a Ukrainian figure of 30,000."""
    return _frame(
        _row(10000, "approx", "NIS", "South Korea's spy agency", asof="2024-10-18", article="a1"),
        _row(
            12000, "exact", "HUR", "Ukraine's military intelligence", asof="2024-12", article="a2"
        ),
        _row(11000, "up_to", "Pentagon", "the Pentagon", asof="2025-01-10", article="a3"),
        _row(30000, "at_most", "ISW", "ISW", asof="2025-02", subject="UA", article="a4"),
    )


# --- charts keep the subject their title names -------------------------------------------


def test_troops_timeline_draws_only_north_korean_rows():
    fig = charts.timeline(_troops())
    assert _title(fig) == "North Korean troops in Russia, as reported"
    values = sorted(y for _, y in _points(fig, "point"))
    assert values == [10000, 11000, 12000]  # the Ukrainian 30,000 is not drawn
    assert not any("30,000" in t.get_text() for t in _gids(fig, "label"))


def test_timeline_of_every_side_says_so_in_title_and_labels():
    fig = registry.draw("timeline", "troops_deployed", figures=_troops(), articles=None)
    assert "North Korean" not in _title(fig) and "every side" in _title(fig)
    assert sorted(y for _, y in _points(fig, "point")) == [10000, 11000, 12000, 30000]
    labels = {t.get_text() for t in _gids(fig, "label")}
    assert any("30,000 (Ukrainian)" in lab for lab in labels)
    assert any("10,000 (North Korean)" in lab for lab in labels)


@pytest.mark.parametrize(
    ("name", "key", "drawn"),
    [
        ("timeline_troops", None, [10000, 11000, 12000]),
        ("claims_kp", "troops_deployed", [10000, 11000, 12000]),
        ("claims", "troops_deployed", [10000, 11000, 12000, 30000]),
        ("timeline", "troops_deployed", [10000, 11000, 12000, 30000]),
    ],
)
def test_registry_title_and_filter_agree(name, key, drawn):
    fig = registry.draw(name, key, figures=_troops(), articles=None)
    prefix = "claim" if name.startswith("claims") else "point"
    assert sorted(y for _, y in _points(fig, prefix)) == drawn
    only_kp = drawn == [10000, 11000, 12000]
    assert ("North Korean" in _title(fig)) == only_kp
    assert ("every side" in _title(fig)) == (not only_kp)


def test_category_title_names_the_subject():
    assert chart_parts.category_title("killed", "RU") == "Russian killed, as reported"
    assert (
        chart_parts.category_title("troops_deployed", "UA")
        == "Ukrainian troops deployed, as reported"
    )
    assert "every side" in chart_parts.category_title("troops_deployed", None)


def test_overview_marks_values_that_are_not_north_korean():
    fig = charts.overview(_troops())
    cells = " ".join(t.get_text().replace("\n", " ") for t in _gids(fig, "cell_text"))
    assert "≤30,000 UA" in cells and "~10,000" in cells and "~10,000 KP" not in cells


# --- charts group by source entity --------------------------------------------------------


def _one_entity_two_wordings() -> pd.DataFrame:
    return _frame(
        _row(10000, "approx", "NIS", "South Korea's spy agency", asof="2024-10", article="a1"),
        _row(
            12000, "exact", "NIS", "the National Intelligence Service", asof="2025-01", article="a2"
        ),
        _row(11000, "exact", "", "Medien", asof="2024-12", article="a3"),
        _row(13000, "exact", "", "", asof="2025-02", article="a4"),
    )


@pytest.mark.parametrize("chart", [charts.timeline, claims.claims], ids=["timeline", "claims"])
def test_one_legend_entry_per_source_entity(chart):
    fig = chart(_one_entity_two_wordings())
    labels = _legend_labels(fig)
    assert labels.count("NIS") == 1
    assert "Medien" in labels and "unattributed" in labels  # written source, then no source
    assert not [lab for lab in labels if "spy agency" in lab or "National" in lab]
    assert len(labels) == 3


def test_casualties_group_by_source_entity():
    f = _frame(
        _row(500, "exact", "HUR", "Ukraine's military intelligence", category="killed"),
        _row(3000, "approx", "HUR", "HUR", category="wounded", article="a2"),
    )
    fig = charts.casualties(f)
    assert _legend_labels(fig) == ["HUR"]
    ticks = " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    assert "military intelligence" not in ticks and ticks.count("HUR") == 2


def test_legend_keeps_the_most_frequent_sources_and_groups_the_rest():
    names = [f"Source {i}" for i in range(9)]
    rows = [
        _row(1000 + i, "exact", n, "", asof=f"2024-{i + 1:02d}", article=f"a{i}")
        for i, n in enumerate(names)
    ]
    rows.append(_row(5000, "exact", "Source 8", "", asof="2024-12", article="b"))
    fig = claims.claims(_frame(*rows))
    labels = _legend_labels(fig)
    assert len(labels) == glyphs.LEGEND_LIMIT + 1
    assert labels[0] == "Source 8"  # the one source with two claims comes first
    assert labels[-1] == f"{glyphs.OTHER_SOURCES} ({9 - glyphs.LEGEND_LIMIT})"


def test_source_names_fall_back_from_entity_to_words_to_unattributed():
    f = _frame(_row(1, entity="NIS", source="spies"), _row(2, source="Medien"), _row(3))
    assert list(glyphs.claimants(f)) == ["NIS", "Medien", "unattributed"]
    assert list(glyphs.claimants(f.drop(columns=["source_entity"]))) == [
        "spies",
        "Medien",
        "unattributed",
    ]


# --- the claims chart ------------------------------------------------------------------------


def test_claims_chart_draws_intervals_and_open_ends():
    f = _frame(
        _row(12000, "range", "NIS", asof="2024-11-10", low=10000, high=12000, article="a1"),
        _row(3000, "more_than", "HUR", asof="2024-12-01", article="a2"),
        _row(8000, "up_to", "Pentagon", asof="2025-01-05", article="a3"),
        _row(11000, "approx", "ISW", asof="2025-02-01", article="a4"),
        _row(9000, "exact", "DW", asof="2025-03-01", article="a5"),
    )
    fig = claims.claims(f)
    (bar,) = _gids(fig, "range_bar")
    (segment,) = bar.get_segments()
    assert sorted(segment[:, 1]) == [10000, 12000]  # a vertical segment from low to high
    assert segment[0, 0] == segment[1, 0] == mdates.date2num(pd.Timestamp("2024-11-10"))
    up, down = _gids(fig, "arrow_up"), _gids(fig, "arrow_down")
    assert len(up) == 1 and len(down) == 1
    assert up[0].xy[1] == 3000 and up[0].xyann[1] > 0  # from the value upwards
    assert down[0].xy[1] == 8000 and down[0].xyann[1] < 0
    kinds = {g.get_gid().split(":")[1]: g for g in _gids(fig, "claim") if ":" in g.get_gid()}
    assert tuple(kinds["approx"].get_facecolor()[0]) == (1.0, 1.0, 1.0, 1.0)  # hollow
    assert tuple(kinds["exact"].get_facecolor()[0]) != (1.0, 1.0, 1.0, 1.0)
    labels = {t.get_text() for t in _gids(fig, "value")}
    assert "10,000–12,000" in labels and "9,000" in labels


def test_claims_chart_joins_one_source_and_shows_its_estimate_rising():
    f = _frame(
        _row(10000, "approx", "NIS", asof="2024-10", article="a1"),
        _row(12000, "exact", "NIS", "", asof="2024-12", article="a2"),
        _row(15000, "more_than", "NIS", "", asof="2025-02", article="a3"),
        _row(11000, "exact", "HUR", asof="2024-12", article="a4"),
        _row(99000, "exact", "NIS", asof="2025-03", article="a3", repeat=True),
        _row(9000, "exact", "", "", asof="2024-11", article="a5"),
        _row(9500, "exact", "", "", asof="2025-01", article="a6"),
    )
    fig = claims.claims(f)
    (trend,) = _gids(fig, "trend:")  # NIS only: HUR has one claim, unattributed is no one
    assert trend.get_gid() == "trend:NIS"
    xs, ys = trend.get_xdata(), trend.get_ydata()
    assert list(ys) == [10000, 12000, 15000] and list(np.argsort(xs)) == [0, 1, 2]
    assert 99000 not in {y for _, y in _points(fig, "claim")}  # a restatement is no new claim
    # the two claims of December 2024 stand side by side, a few days apart
    dec = sorted(x for x, y in _points(fig, "claim") if y in (12000, 11000))
    mid = mdates.date2num(pd.Timestamp("2024-12-16"))
    assert dec[0] < mid < dec[1] and dec[1] - dec[0] < 30


def test_claims_of_one_date_are_not_joined_as_a_change():
    f = _frame(
        _row(7000, "approx", "NIS", asof="2024-11", article="a1"),
        _row(20000, "exact", "NIS", asof="2024-11", article="a1"),
    )
    assert not _gids(claims.claims(f), "trend:")  # two things counted at once, no change
    later = pd.concat([f, _frame(_row(25000, "exact", "NIS", asof="2025-02", article="a2"))])
    (trend,) = _gids(claims.claims(later), "trend:")
    ys = list(trend.get_ydata())
    assert ys[0] == 7000 and np.isnan(ys[1])  # a gap between the claims of November
    assert ys[-2:] == [20000, 25000]


def test_claims_are_dated_as_of_else_published():
    f = _frame(_row(10000, asof="2024-11-20", article="a1"), _row(12000, article="a2"))
    fig = claims.claims(f, _articles(f, "2025-03-09"))
    at = {y: x for x, y in _points(fig, "claim")}
    assert at[10000] == mdates.date2num(pd.Timestamp("2024-11-20"))
    assert at[12000] == mdates.date2num(pd.Timestamp("2025-03-09"))
    assert "1 dated by publication" in " ".join(t.get_text() for t in fig.texts)


def test_claims_value_axis_has_thousands_separators_and_starts_at_zero():
    fig = claims.claims(_troops())
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "10,000" in ticks and ax.get_ylim()[0] == 0


def test_claims_chart_leaves_percentages_out():
    f = _frame(_row(40, "exact", "NIS", unit="percent", asof="2024-11"), _row(5000, asof="2024-12"))
    fig = claims.claims(f)
    assert [y for _, y in _points(fig, "claim")] == [5000]
    assert "1 percentage not shown" in " ".join(t.get_text() for t in fig.texts)


def test_claims_chart_of_percentages_only_says_why_it_is_empty():
    fig = claims.claims(_frame(_row(40, "exact", "NIS", unit="percent", asof="2024-11")))
    assert "Only percentages (1)" in _gids(fig, "empty")[0].get_text()
    assert not _points(fig, "claim")


def test_claims_chart_is_deterministic(tmp_path):
    f = _one_entity_two_wordings()
    for fmt in ("png", "svg"):
        a = style.savefig(claims.claims(f), tmp_path / f"a.{fmt}", dpi=200).read_bytes()
        b = style.savefig(claims.claims(f.copy()), tmp_path / f"b.{fmt}", dpi=200).read_bytes()
        assert a == b


@pytest.mark.parametrize(
    "figures",
    [
        _frame(_row(1)).iloc[:0],
        _frame(_row(10000, subject="UA", asof="2024-11")),  # no North Korean figure
        _frame(_row(10000, asof="2024-11", repeat=True)),  # only a restatement
    ],
    ids=["empty", "other-subject", "repeat-only"],
)
def test_claims_chart_without_claims_says_so(figures):
    fig = claims.claims(figures)
    assert _gids(fig, "empty")[0].get_text() == chart_parts.EMPTY
    assert _gids(fig, "source")


# --- the claims table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "text"),
    [
        (_row(11000, "exact"), "11,000"),
        (_row(14000, "approx"), "about 14,000"),
        (_row(12000, "range", low=10000, high=12000), "10,000–12,000"),
        (_row(3000, "more_than"), "more than 3,000"),
        (_row(3000, "at_least"), "at least 3,000"),
        (_row(12000, "up_to"), "up to 12,000"),
        (_row(12000, "at_most"), "at most 12,000"),
        (_row(40, "approx", unit="percent"), "about 40%"),
        (_row(5_800_000, "exact", unit="shells"), "5,800,000"),
    ],
    ids=lambda v: v if isinstance(v, str) else v["qualifier"],
)
def test_claims_table_words_each_qualifier(row, text):
    assert views.claims_view(_frame(row))["value or interval"].tolist() == [text]


def test_claims_table_rows_columns_and_order():
    f = _frame(
        _row(500, "exact", "HUR", "Ukraine's intelligence", category="killed", asof="2025-01"),
        _row(12000, "exact", "NIS", "spies", asof="2025-01", article="a2"),
        _row(10000, "approx", "NIS", "spies", asof="2024-10", article="a3"),
        _row(10000, "approx", "NIS", "spies", asof="2024-10", article="a3", repeat=True),
        _row(11000, "exact", "", "DW", asof="", article="a4"),
        _row(9000, "exact", "", "", asof="2024-09", article="a5", subject="UA"),
        _row(7000, "exact", "CIA", "", asof="", article="a6"),
        _row(7500, "exact", "CIA", "", asof="2024-08", article="a7"),
    )
    out = views.claims_view(f)
    assert list(out.columns) == [
        "source entity",
        "subject",
        "category",
        "value or interval",
        "as of",
        "article",
    ]
    assert len(out) == 7  # the restatement is left out
    # troops before killed (the schema's order), then source entity, then as-of (undated last)
    assert out[["category", "source entity", "as of"]].values.tolist() == [
        ["troops_deployed", "CIA", "2024-08"],
        ["troops_deployed", "CIA", ""],
        ["troops_deployed", "DW", ""],
        ["troops_deployed", "NIS", "2024-10"],
        ["troops_deployed", "NIS", "2025-01"],
        ["troops_deployed", "unattributed", "2024-09"],
        ["killed", "HUR", "2025-01"],
    ]
    assert out.loc[5, "subject"] == "UA" and out.loc[3, "article"] == "a3"
    killed = views.claims_view(f, "killed")
    assert killed["source entity"].tolist() == ["HUR"]


def _tables(figures: pd.DataFrame) -> SimpleNamespace:
    """What the views read of the corpus tables: figures, places and the articles."""
    articles = (
        _articles(figures) if len(figures) else pd.DataFrame(columns=["article", "published"])
    )
    return SimpleNamespace(
        figures=figures, places=pd.DataFrame(), corpus=SimpleNamespace(articles=articles)
    )


def test_claims_table_escapes_article_text():
    f = _frame(_row(11000, "exact", "", "<script>alert(1)</script>", asof="2024-11"))
    html = views.claims_table(_tables(f))._repr_html_()
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_claims_table_of_no_figures_is_empty_with_its_columns():
    out = views.claims_view(_frame(_row(1)).iloc[:0])
    assert out.empty and list(out.columns) == list(views.CLAIMS_TABLE.values())


def test_category_sources_count_source_entities():
    f = _frame(
        _row(10000, "approx", "NIS", "South Korea's spy agency", article="a1"),
        _row(12000, "exact", "NIS", "the National Intelligence Service", article="a2"),
        _row(11000, "exact", "", "", article="a3"),
    )
    out = views.category_sources(_tables(f), "troops_deployed").df
    assert out.values.tolist() == [
        ["NIS", 2, 10000.0, 12000.0],
        ["unattributed", 1, 11000.0, 11000.0],
    ]


def test_claims_charts_one_per_north_korean_category():
    f = _frame(
        _row(500, "exact", "HUR", category="killed", asof="2025-01"),
        _row(12000, "exact", "NIS", asof="2025-01", article="a2"),
        _row(3, "exact", "MoD", category="settlements", subject="RU", article="a3"),
    )
    shown = views.claims_charts(_tables(f), "")
    assert len(shown.parts) == 2  # troops and killed; the Russian settlements have no chart
    assert all(p.data.startswith(b"\x89PNG") for p in shown.parts)
    none = views.claims_charts(_tables(f[f["subject"] == "RU"]), "")
    assert "No North Korean figures" in repr(none)
