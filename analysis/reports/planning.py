"""Which reports a batch makes, and the check of their parameters before any kernel starts.

A batch makes one corpus overview, one report per article, one per place of a
list and one per figure category present. Each report is a :class:`ReportJob`:
a notebook of ``notebooks/``, its parameters and the file it goes to.
Parameters are checked against the notebook's ``parameters`` cell and against
the corpus, so that a typo fails at once with the valid choices listed.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.reports import views
from analysis.reports.nbimport import skip_iri_format_checker
from analysis.reports.tables import CorpusTables, corpus_tables
from analysis.text.names import file_id

skip_iri_format_checker()  # before papermill (imported below, in a function) imports nbformat

DEFAULT_PLACES: tuple[str, ...] = ("Kursk", "Sudzha", "Pokrovsk", "Zaporizhzhia")
"""Places a batch makes a report for when the user names none (skipped when not mentioned)."""

NOTEBOOKS = {
    "corpus": "corpus_overview.ipynb",
    "article": "article_report.ipynb",
    "place": "place_report.ipynb",
    "figures": "figures_report.ipynb",
}
SECTIONS = {"corpus": "Corpus", "article": "Articles", "place": "Places", "figures": "Figures"}
_CHOICE_PARAMETERS = ("article", "place", "category")


@dataclass
class ReportJob:
    """One report to make: which notebook, with which parameters, into which file."""

    name: str
    notebook: str
    parameters: dict[str, object]
    title: str
    kind: str = "corpus"
    summary: str = ""
    status: str = "pending"
    error: str = ""
    seconds: float = 0.0


# --- parameters --------------------------------------------------------------------------------


def notebook_parameters(notebook: Path) -> dict[str, dict[str, str]]:
    """The parameters a notebook declares in its ``parameters`` cell (papermill's reading)."""
    import papermill  # slow to import (nbformat, jupyter_client): only when a batch runs

    return dict(papermill.inspect_notebook(str(notebook)))


def check_parameters(
    notebook: Path, parameters: Mapping[str, object], tables: CorpusTables | None = None
) -> None:
    """Refuse parameters the notebook does not declare or the corpus does not have.

    Runs before any kernel starts. ``article``, ``place`` and ``category`` are
    checked against the corpus tables (``tables``, else those of the
    ``corpus_dir`` parameter).

    Raises:
        ValueError: "NOTEBOOK has no parameter NAME; it takes: A, B" for unknown
            names; "unknown place 'X'; this corpus has: A, B" for an article,
            place or category the corpus does not have.
    """
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(
            f"{notebook.name} has no parameter {', '.join(unknown)}; it takes: "
            f"{', '.join(sorted(declared))}"
        )
    if not any(p in parameters for p in _CHOICE_PARAMETERS):
        return
    tables = tables or corpus_tables(str(parameters.get("corpus_dir") or "") or None)
    valid = views.valid_values(tables)
    for name in _CHOICE_PARAMETERS:
        if name in parameters:
            views.check_choice(name, str(parameters[name]), valid[name])


# --- planning ------------------------------------------------------------------------------------


def plan_jobs(
    corpus_dir: Path, tables: CorpusTables, places: Sequence[str] | None = None
) -> list[ReportJob]:
    """Every report of a corpus: overview, articles, places, figure categories.

    ``places`` None means :data:`DEFAULT_PLACES`, of which those no article
    mentions are listed as skipped; places the user names must be in the corpus.

    Raises:
        ValueError: "unknown place 'X'; this corpus has: A, B" for a named place
            no article mentions.
    """
    corpus = str(corpus_dir)
    jobs = [
        ReportJob(
            "corpus_overview",
            NOTEBOOKS["corpus"],
            {"corpus_dir": corpus},
            "Corpus overview",
            "corpus",
            views.corpus_summary(tables),
        )
    ]
    for art in tables.corpus.articles.itertuples(index=False):
        jobs.append(
            ReportJob(
                f"article_{file_id(art.article)}",
                NOTEBOOKS["article"],
                {"corpus_dir": corpus, "article": art.article},
                str(art.title or art.article),
                "article",
                views.article_summary(tables, art.article),
            )
        )
    jobs += _place_jobs(corpus, tables, places)
    for category in views.valid_values(tables)["category"]:
        jobs.append(
            ReportJob(
                f"figures_{file_id(category)}",
                NOTEBOOKS["figures"],
                {"corpus_dir": corpus, "category": category},
                f"Figures: {category}",
                "figures",
                views.category_summary(tables, category),
            )
        )
    for job in jobs:
        job.parameters.setdefault("figures_dir", "")  # set by run_batch once data/ is drawn
    return _unique_names(jobs)


def _place_jobs(corpus: str, tables: CorpusTables, places: Sequence[str] | None) -> list[ReportJob]:
    """One job per place; unmentioned default places become skipped entries."""
    jobs = []
    for name in DEFAULT_PLACES if places is None else places:
        place = views.resolve_place(name, tables)
        if place is None and places is not None:
            views.check_choice("place", name, views.valid_values(tables)["place"])
        job = ReportJob(
            f"place_{file_id(place or name)}",
            NOTEBOOKS["place"],
            {"corpus_dir": corpus, "place": place or name},
            f"Place: {place or name}",
            "place",
        )
        if place is None:
            job.status, job.summary = "skipped", "not mentioned in this corpus"
        else:
            job.summary = views.place_summary(tables, place)
        jobs.append(job)
    return jobs


def _unique_names(jobs: list[ReportJob]) -> list[ReportJob]:
    """One job per name: names are unique per id (:func:`analysis.text.names.file_id`), so the
    same name twice is the same report asked for twice (``--places Kursk,kursk``)."""
    seen: set[str] = set()
    unique = []
    for job in jobs:
        if job.name not in seen:
            unique.append(job)
            seen.add(job.name)
    return unique


def select_jobs(jobs: list[ReportJob], only: str | None) -> list[ReportJob]:
    """The jobs whose name matches the glob ``only``, or one of its comma-separated globs.

    Raises:
        ValueError: "no report matches 'P'; reports: A, B" when none does.
    """
    if not only:
        return jobs
    globs = [g.strip() for g in only.split(",") if g.strip()]
    chosen = [j for j in jobs if any(fnmatch.fnmatchcase(j.name, g) for g in globs)]
    if not chosen:
        names = ", ".join(j.name for j in jobs)
        raise ValueError(f"no report matches {only!r}; reports: {names}")
    return chosen
