"""The report batch: every report of a corpus, made in parallel and published at once.

:func:`run_batch` ties the steps together: plan the reports and check their
parameters against the corpus before any kernel starts
(:mod:`analysis.reports.planning`), draw the maps and charts once into ``data/``
and run the notebooks in a pool or on a dask cluster
(:mod:`analysis.reports.execution`), write the index page
(:mod:`analysis.reports.index`) and the manifest (:mod:`analysis.reports.manifest`),
and publish the staging folder (:mod:`analysis.reports.publishing`).

Every file is written aside and moved into place (``os.replace``), so an
interrupted run never leaves half a report over a good one. Times are blanked
from the executed notebooks, so the same inputs give the same files; only the
times in ``manifest.json`` differ between runs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from analysis.pipeline import pools
from analysis.pipeline.outdir import atomic_write_text, claim, sweep_ipc
from analysis.pipeline.outdir import check as check_out
from analysis.reports.execution import batch_pool, run_jobs
from analysis.reports.index import write_index
from analysis.reports.manifest import build_manifest
from analysis.reports.planning import ReportJob, check_parameters, plan_jobs, select_jobs
from analysis.reports.publishing import (
    earlier_files,
    published_files,
    with_earlier_reports,
    write_exports,
)
from analysis.reports.tables import corpus_tables
from analysis.settings import DEFAULT, Settings


def run_batch(
    corpus_dir: Path,
    out_dir: Path,
    *,
    settings: Settings = DEFAULT,
    show_code: bool = False,
    workers: int | None = None,
    only: str | None = None,
    places: Sequence[str] | None = None,
    progress: bool | None = None,
    scheduler: str | None = None,
) -> tuple[Path, list[ReportJob]]:
    """Make every report of ``corpus_dir`` into ``out_dir``; a failing one does not stop the rest.

    Args:
        corpus_dir: the corpus folder.
        out_dir: the reports folder (created; earlier reports are replaced one by one).
        settings: notebooks folder and kernel.
        show_code: keep the code cells in the HTML.
        workers: processes running reports at once (default: the machine's cores).
        only: a glob on report names (``place_*``, ``article_002*``).
        places: place reports to make (default :data:`analysis.reports.planning.DEFAULT_PLACES`).
        progress: show a progress bar (default: when stderr is a terminal).
        scheduler: run the notebooks on the dask.distributed cluster at this
            address (its workers must see the corpus and output paths).

    Returns:
        The index path and the jobs with their status (``ok``, ``failed`` or ``skipped``).

    Raises:
        CorpusError: when the folder is missing or holds no documents.
        ValueError: for an unknown place, an ``only`` that matches nothing, or
            parameters a notebook does not take; raised before any kernel starts.
    """
    started = datetime.now(UTC)
    corpus_dir = corpus_dir.resolve()
    # Refuse a folder that is not ours before the (slow) reading; claim it once all is checked.
    check_out(out_dir, "report", corpus_dir=corpus_dir, adopt=earlier_files)
    sweep_ipc()
    # One pool draws the figures, then runs the reports; its workers start now,
    # while this process reads the corpus and checks the parameters.
    n_workers = pools.capped_workers(workers, 64)
    with batch_pool(n_workers) as pool:
        tables = corpus_tables(corpus_dir, settings)
        planned = plan_jobs(corpus_dir, tables, places)
        jobs = select_jobs(planned, only)
        for job in jobs:
            if job.status != "skipped":
                check_parameters(settings.notebooks_dir / job.notebook, job.parameters, tables)
        todo = [j for j in jobs if j.status != "skipped"]
        drawn_places = [
            str(j.parameters["place"])
            for j in planned
            if j.kind == "place" and j.status != "skipped"
        ]
        with claim(out_dir, "report", corpus_dir=corpus_dir, adopt=earlier_files) as owned:
            # Everything is made in a staging folder and published at the end, so an
            # interrupted run leaves the previous reports as they were.
            staging = owned.staging()
            # Every map and chart is drawn once, into data/; the reports embed those files.
            data = write_exports(tables, staging / "data", places=drawn_places, executor=pool)
            final_data = owned.path / "data"
            for job in todo:
                job.parameters["figures_dir"] = str(data)
            run_jobs(todo, staging, settings, show_code, pool, n_workers, progress, scheduler,
                     rewrite={str(data): str(final_data)})  # fmt: skip
            for job in todo:
                job.parameters["figures_dir"] = str(final_data)
            shown = with_earlier_reports(owned.path, jobs, corpus_dir, [j.name for j in planned])
            write_index(staging, shown, title=f"Reports on {corpus_dir.name}")
            manifest = build_manifest(
                corpus_dir, settings, shown, started, n_workers, only, show_code
            )
            atomic_write_text(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
            made, kept = published_files(staging, todo, shown, jobs, data)
            owned.publish(staging, made, kept)
    return owned.path / "index.html", jobs
