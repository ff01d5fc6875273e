"""Run the parameterised notebooks with papermill and turn them into HTML reports.

A batch makes one corpus overview, one report per article, one per place of a
list and one per figure category present. Each report is a notebook of
``notebooks/`` executed by papermill, then converted to HTML by nbconvert with
the ``offline`` template (code hidden, images embedded, nothing fetched, no
script). Parameters are checked against the corpus before any kernel starts.

Reports run in parallel in separate processes; each kernel talks to its
process over IPC sockets in a private folder instead of TCP ports, which
removes the race in which two parallel papermill runs pick the same free port.

Every file is written aside and moved into place (``os.replace``), so an
interrupted run never leaves half a report over a good one. Times are blanked
from the executed notebooks, so the same inputs give the same files; only the
times in ``manifest.json`` differ between runs.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import fnmatch
import functools
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import __version__
from analysis.pipeline import pools
from analysis.pipeline.outdir import TMP_PREFIX, atomic_write_text, claim, sweep_ipc
from analysis.pipeline.outdir import check as check_out
from analysis.settings import DEFAULT, ROOT, Settings
from analysis.text.names import file_id

if TYPE_CHECKING:
    from analysis.reports.views import CorpusTables

# nbformat validates through jsonschema, whose format checkers import
# rfc3987_syntax, which builds some 35 Earley parsers at import: about a second
# in every process that reads a notebook (jsonschema issue #1428). Notebook
# schemas use no IRI format, so report processes go without that one checker.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

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


# --- files -------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- parameters --------------------------------------------------------------------------------


def notebook_parameters(notebook: Path) -> dict[str, dict[str, str]]:
    """The parameters a notebook declares in its ``parameters`` cell (papermill's reading)."""
    import papermill

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
    from analysis.reports import views as nbh

    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(
            f"{notebook.name} has no parameter {', '.join(unknown)}; it takes: "
            f"{', '.join(sorted(declared))}"
        )
    if not any(p in parameters for p in _CHOICE_PARAMETERS):
        return
    tables = tables or nbh.corpus_tables(str(parameters.get("corpus_dir") or "") or None)
    valid = nbh.valid_values(tables)
    for name in _CHOICE_PARAMETERS:
        if name in parameters:
            nbh.check_choice(name, str(parameters[name]), valid[name])


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
    from analysis.reports import views as nbh

    corpus = str(corpus_dir)
    jobs = [
        ReportJob(
            "corpus_overview",
            NOTEBOOKS["corpus"],
            {"corpus_dir": corpus},
            "Corpus overview",
            "corpus",
            nbh.corpus_summary(tables),
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
                nbh.article_summary(tables, art.article),
            )
        )
    jobs += _place_jobs(corpus, tables, places)
    for category in nbh.valid_values(tables)["category"]:
        jobs.append(
            ReportJob(
                f"figures_{file_id(category)}",
                NOTEBOOKS["figures"],
                {"corpus_dir": corpus, "category": category},
                f"Figures: {category}",
                "figures",
                nbh.category_summary(tables, category),
            )
        )
    for job in jobs:
        job.parameters.setdefault("figures_dir", "")  # set by run_batch once data/ is drawn
    return _unique_names(jobs)


def _place_jobs(corpus: str, tables: CorpusTables, places: Sequence[str] | None) -> list[ReportJob]:
    """One job per place; unmentioned default places become skipped entries."""
    from analysis.reports import views as nbh

    jobs = []
    for name in DEFAULT_PLACES if places is None else places:
        place = nbh.resolve_place(name, tables)
        if place is None and places is not None:
            nbh.check_choice("place", name, nbh.valid_values(tables)["place"])
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
            job.summary = nbh.place_summary(tables, place)
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


# --- one report ----------------------------------------------------------------------------------


def execute_to_html(
    notebook: Path,
    html_path: Path,
    parameters: Mapping[str, object],
    *,
    kernel_name: str = DEFAULT.kernel_name,
    show_code: bool = False,
    title: str = "",
    check: bool = True,
    start_next_kernel: bool = False,
    rewrite: Mapping[str, str] | None = None,
) -> Path:
    """Execute ``notebook`` with ``parameters`` and write it as HTML to ``html_path``.

    The executed notebook is kept beside the HTML (``.ipynb``), also when the
    run fails, so that the traceback can be read; the HTML of a failed run
    shows the error too. ``check=False`` skips :func:`check_parameters` (the
    batch checks every job before starting any). ``start_next_kernel`` starts
    a kernel for this process's next report while this one runs
    (:mod:`analysis.reports.kernels`). ``rewrite`` replaces strings in the executed
    notebook's cells and metadata (the batch's staging path by the final one).

    Raises:
        ValueError: from :func:`check_parameters`.
        papermill.PapermillExecutionError: when a cell fails; the executed
            notebook and its HTML are still written.
    """
    import nbformat
    import papermill

    from analysis.reports import kernels

    if check:
        check_parameters(notebook, parameters)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    executed = html_path.with_suffix(".ipynb")
    with tempfile.TemporaryDirectory(
        dir=html_path.parent, prefix=f"{TMP_PREFIX}{html_path.stem}."
    ) as tmp:
        tmp_nb = Path(tmp) / executed.name
        try:
            papermill.execute_notebook(
                str(notebook),
                str(tmp_nb),
                parameters=dict(parameters),
                kernel_name=kernel_name,
                cwd=str(notebook.parent),
                progress_bar=False,
                log_output=False,
                # Saved once at the end (also after a failing cell), not after each cell:
                # rewriting a notebook full of images fifteen times costs a third of a second.
                request_save_on_cell_execute=False,
                # Every output is in once the last cell is done: stop the kernel at
                # once rather than wait for its own shutdown (half a second a report).
                shutdown_kernel="immediate",
                kernel_manager_class=kernels.kernel_manager_class(),
                engine_name=kernels.register_engine(),
                start_next_kernel=start_next_kernel,
            )
        finally:
            if tmp_nb.exists():
                _strip_volatile(tmp_nb, executed.name, rewrite or {})
                nb = nbformat.read(str(tmp_nb), as_version=4)
                page = notebook_html(nb, show_code=show_code, title=title or notebook.stem)
                atomic_write_text(html_path, page)
                os.replace(tmp_nb, executed)
    return html_path


def _strip_volatile(path: Path, output_name: str, rewrite: Mapping[str, str]) -> None:
    """Blank what differs between runs of the same notebook (times, temporary paths, ids)."""
    nb = _rewritten(json.loads(path.read_text(encoding="utf-8")), rewrite)
    blank = {"start_time": None, "end_time": None, "duration": None}
    meta = nb.get("metadata", {}).get("papermill", {})
    meta.update(blank, output_path=output_name)
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).get("papermill", {}).update(blank)
        cell.get("metadata", {}).pop("execution", None)
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")


def _rewritten(value: Any, rewrite: Mapping[str, str]) -> Any:
    """``value`` (parsed JSON) with every string's ``rewrite`` keys replaced by their values."""
    if not rewrite:
        return value
    if isinstance(value, str):
        for old, new in rewrite.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_rewritten(v, rewrite) for v in value]
    if isinstance(value, dict):
        return {k: _rewritten(v, rewrite) for k, v in value.items()}
    return value


def notebook_html(nb: Any, *, show_code: bool = False, title: str = "Report") -> str:
    """HTML of an executed notebook that loads nothing from the network and runs no script.

    nbconvert's stock templates load require.js, MathJax and Mermaid from public
    servers; the ``offline`` template (``templates/offline``) drops those
    scripts and JavaScript outputs and sets a Content-Security-Policy.
    """
    exporter = _exporter(show_code, _has_linked_images(nb))
    body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return str(body)


@functools.cache
def _exporter(show_code: bool, embed_images: bool) -> Any:
    """One HTML exporter per setting and process (its templates compile once)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="offline", extra_template_basedirs=[str(Path(__file__).parent / "templates")]
    )
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    # Outputs are embedded anyway; only Markdown images that link a file need the
    # (slow) pass that parses the whole page to inline them.
    exporter.embed_images = embed_images
    return exporter


def _has_linked_images(nb: Any) -> bool:
    """Whether a Markdown cell shows an image from a file (``![..](x.png)``, ``<img``)."""
    return any(
        cell.get("cell_type") == "markdown" and ("![" in cell.source or "<img" in cell.source)
        for cell in nb.cells
    )


def _run_one(
    args: tuple[str, str, str, dict[str, object], str, bool, str, bool, dict[str, str]],
) -> dict[str, Any]:
    """Make one report in a worker process; never raises (the error is returned)."""
    notebook, html_path, name, parameters, kernel, show_code, title, start_next_kernel, rewrite = (
        args
    )
    started = time.perf_counter()
    status, error = "ok", ""
    try:
        execute_to_html(
            Path(notebook),
            Path(html_path),
            parameters,
            kernel_name=kernel,
            show_code=show_code,
            title=title,
            check=False,
            start_next_kernel=start_next_kernel,
            rewrite=rewrite,
        )
    except Exception as exc:  # noqa: BLE001 - recorded in the index and manifest
        status, error = "failed", _error_line(exc)
    return {
        "name": name,
        "status": status,
        "error": error,
        "seconds": time.perf_counter() - started,
    }


def _error_line(exc: BaseException) -> str:
    """One line naming an error: the notebook's exception when a cell failed."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[-1] if lines else ''}"


# --- the batch -----------------------------------------------------------------------------------


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
        places: place reports to make (default :data:`DEFAULT_PLACES`).
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
    from analysis.reports.views import corpus_tables

    started = datetime.now(UTC)
    corpus_dir = corpus_dir.resolve()
    # Refuse a folder that is not ours before the (slow) reading; claim it once all is checked.
    check_out(out_dir, "report", corpus_dir=corpus_dir, adopt=_earlier_files)
    sweep_ipc()
    # One pool draws the figures, then runs the reports; its workers start now,
    # while this process reads the corpus and checks the parameters.
    n_workers = pools.capped_workers(workers, 64)
    with _batch_pool(n_workers) as pool:
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
        with claim(out_dir, "report", corpus_dir=corpus_dir, adopt=_earlier_files) as owned:
            # Everything is made in a staging folder and published at the end, so an
            # interrupted run leaves the previous reports as they were.
            staging = owned.staging()
            # Every map and chart is drawn once, into data/; the reports embed those files.
            data = write_exports(tables, staging / "data", places=drawn_places, executor=pool)
            final_data = owned.path / "data"
            for job in todo:
                job.parameters["figures_dir"] = str(data)
            _run_jobs(todo, staging, settings, show_code, pool, n_workers, progress, scheduler,
                      rewrite={str(data): str(final_data)})  # fmt: skip
            for job in todo:
                job.parameters["figures_dir"] = str(final_data)
            shown = _with_earlier_reports(owned.path, jobs, corpus_dir, [j.name for j in planned])
            write_index(staging, shown, title=f"Reports on {corpus_dir.name}")
            manifest = build_manifest(
                corpus_dir, settings, shown, started, n_workers, only, show_code
            )
            atomic_write_text(staging / "manifest.json", json.dumps(manifest, indent=2) + "\n")
            made = [f"{j.name}.{ext}" for j in todo for ext in ("html", "ipynb")]
            made += [f"data/{p.name}" for p in sorted(data.iterdir()) if p.is_file()]
            made = [f for f in made if (staging / f).is_file()] + _INDEX_FILES
            kept = [f"{j.name}.{ext}" for j in shown if j not in jobs for ext in ("html", "ipynb")]
            owned.publish(staging, made, kept)
    return owned.path / "index.html", jobs


_INDEX_FILES = ["index.html", "manifest.json"]
_LEGACY_DATA = re.compile(
    r"(?:(?:theatre_map|context_map|casualties|munitions|overview"
    r"|(?:article_map|place_map|timeline)_[a-z0-9_-]+)\.(?:png|svg))"
    r"|places\.geojson|places\.gpkg|figures\.csv"
)
"""The data files earlier versions wrote; anything else in their ``data/`` is the user's."""


def _earlier_files(out_dir: Path) -> list[str] | None:
    """The files a report batch of an earlier version wrote into ``out_dir`` (which has no
    marker), or None when its ``manifest.json`` is not this tool's."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("tool", {}).get("name") != "nk-war-analysis":
        return None
    names = [str(r.get("name")) for r in manifest.get("reports", []) if isinstance(r, dict)]
    files = [f"{n}.{ext}" for n in names for ext in ("html", "ipynb")]
    data = out_dir / "data"
    if data.is_dir():
        files += [f"data/{p.name}" for p in data.iterdir() if _LEGACY_DATA.fullmatch(p.name)]
    theirs = {p.name for p in out_dir.iterdir()} - {f.split("/")[0] for f in files}
    theirs -= set(_INDEX_FILES)
    if any(not n.startswith(".") for n in theirs):
        return None  # the user's own files sit beside the reports: not a folder we own
    return sorted(files + _INDEX_FILES)


@contextlib.contextmanager
def _batch_pool(workers: int) -> Iterator[cf.Executor | None]:
    """A pool of ``workers`` processes for the figures and reports, or None for one worker.

    Its workers fork from a server that imports what they use once, started
    here so that it does so while the caller reads the corpus. On an error
    (an unknown place, say) the pool is left to wind down on its own.
    """
    if workers < 2:
        yield None
        return
    pool = pools.process_pool(workers, _WORKER_PRELOAD)
    # Start every worker now, from a thread: the first start waits for the server's imports.
    threading.Thread(target=_start_workers, args=(pool, workers), daemon=True).start()
    try:
        yield pool
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: stop now
        pools.terminate(pool)
        raise
    except BaseException:  # an error of the batch (an unknown place): let the workers end
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _start_workers(pool: cf.Executor, workers: int) -> None:
    with contextlib.suppress(RuntimeError):  # the batch ended first
        for _ in range(workers):
            pool.submit(int)


_WORKER_PRELOAD = (
    "analysis.reports.batch",
    "analysis.reports.kernels",
    "analysis.visuals.exports",
    "papermill",
    "nbconvert",
)


def _run_jobs(
    jobs: list[ReportJob],
    out_dir: Path,
    settings: Settings,
    show_code: bool,
    pool: cf.Executor | None,
    workers: int,
    progress: bool | None,
    scheduler: str | None = None,
    rewrite: Mapping[str, str] | None = None,
) -> None:
    """Execute the jobs in ``pool`` of ``workers`` (in this process when None), with a progress bar.

    ``rewrite`` replaces strings (a staging path by its final one) in the executed notebooks.

    With ``scheduler`` (a dask.distributed address) the notebooks run on that
    cluster's workers instead, which must see the same paths.
    """
    from tqdm import tqdm

    # In a pool, a worker starts its next report's kernel while the current one runs
    # (but not for the last report it can get); one at a time, nothing runs ahead.
    ahead = len(jobs) - workers if pool is not None and not scheduler else 0
    args = [
        (
            str(settings.notebooks_dir / j.notebook),
            str(out_dir / f"{j.name}.html"),
            j.name,
            j.parameters,
            settings.kernel_name,
            show_code,
            j.title,
            i < ahead,
            dict(rewrite or {}),
        )
        for i, j in enumerate(jobs)
    ]
    by_name = {j.name: j for j in jobs}
    bar = tqdm(total=len(jobs), desc="reports", unit="report", disable=_no_bar(progress))
    try:
        if scheduler:
            from analysis.pipeline.distributed import map_on_cluster

            results = map_on_cluster(scheduler, _run_one, args)
        else:
            results = _results(args, pool)
        for result in results:
            job = by_name[result["name"]]
            job.status, job.error = result["status"], result["error"]
            job.seconds = round(result["seconds"], 2)
            bar.set_postfix_str(f"{job.name} {job.status}", refresh=False)
            bar.update()
    finally:
        bar.close()


def _no_bar(progress: bool | None) -> bool | None:
    """tqdm's ``disable``: None shows the bar only on a terminal."""
    return None if progress is None else not progress


def _results(args: list[tuple], pool: cf.Executor | None):  # type: ignore[no-untyped-def]
    """Results of :func:`_run_one` as they complete: in this process when ``pool`` is None."""
    if pool is None:
        yield from map(_run_one, args)
        return
    futures = [pool.submit(_run_one, a) for a in args]
    try:
        for future in cf.as_completed(futures):
            yield future.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def write_exports(
    tables: CorpusTables,
    data_dir: Path,
    places: Sequence[str] = (),
    workers: int = 1,
    executor: cf.Executor | None = None,
) -> Path:
    """The data files of the corpus (maps, charts, places, figures) written into ``data_dir``.

    The batch passes a folder inside its staging folder and publishes it with the reports.
    """
    from analysis.visuals.exports import export_all

    articles = tables.corpus.articles
    categories = sorted(set(tables.figures["category"]))
    export_all(
        articles, tables.places, tables.figures, data_dir, place_maps=places,
        categories=categories, workers=workers, executor=executor,
    )  # fmt: skip
    return data_dir


def _with_earlier_reports(
    out_dir: Path, jobs: list[ReportJob], corpus: Path, order: list[str]
) -> list[ReportJob]:
    """This run's jobs plus earlier reports of the same corpus still on disk (after ``--only``).

    Only reports the full plan (``order``) still has are kept: a report of an
    article no longer in the corpus, or under an older name, goes. Listed in the
    order of the full plan, so the index does not depend on which reports a run remade.
    """
    kept: list[ReportJob] = []
    try:
        earlier = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = {}
    if earlier.get("corpus", {}).get("dir") == str(corpus):
        names, planned = {j.name for j in jobs}, set(order)
        kept = [
            ReportJob(**{k: r[k] for k in ReportJob.__dataclass_fields__ if k in r})
            for r in earlier.get("reports", [])
            if r.get("name") not in names
            and r.get("name") in planned
            and (out_dir / f"{r.get('name')}.html").is_file()
        ]
    rank = {name: i for i, name in enumerate(order)}
    return sorted(jobs + kept, key=lambda j: (rank.get(j.name, len(rank)), j.name))


# --- index and manifest --------------------------------------------------------------------------


def write_index(out_dir: Path, jobs: list[ReportJob], title: str = "Reports") -> Path:
    """``index.html`` linking every report with a one-line summary, all text escaped."""
    from analysis.reports.versions import versions_line
    from analysis.reports.views import CREDITS

    sections = []
    for kind, heading in SECTIONS.items():
        rows = [_index_row(j) for j in jobs if j.kind == kind]
        if rows:
            sections.append(
                f"<h2>{heading}</h2>\n<table><thead><tr><th>Report</th><th>Status</th>"
                f"<th>Summary</th></tr></thead>\n<tbody>\n{chr(10).join(rows)}\n</tbody></table>"
            )
    failed = sum(j.status == "failed" for j in jobs)
    status = f"{len(jobs)} reports, {failed} failed." if failed else f"{len(jobs)} reports."
    page = _INDEX.format(
        title=html.escape(title),
        status=html.escape(status),
        sections="\n".join(sections),
        credits=html.escape(CREDITS),
        versions=html.escape(versions_line()),
    )
    path = out_dir / "index.html"
    atomic_write_text(path, page)
    return path


def _index_row(job: ReportJob) -> str:
    """One escaped table row: link (when there is a page), status, summary or error."""
    label = html.escape(job.title)
    has_page = job.status != "skipped"
    link = f'<a href="{html.escape(job.name)}.html">{label}</a>' if has_page else label
    note = html.escape(job.error if job.status == "failed" else job.summary)
    if job.status == "failed":
        nb = html.escape(f"{job.name}.ipynb")
        note += f' (traceback in <a href="{nb}">{nb}</a>)'
    status = html.escape(job.status)
    return f'<tr class="{status}"><td>{link}</td><td>{status}</td><td>{note}</td></tr>'


_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; \
style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 2rem auto; max-width: 64rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; }}
tr.failed td {{ color: #a40000; }}
tr.skipped td {{ color: #777; }}
footer {{ margin-top: 2rem; font-size: .85rem; color: #555; }}
</style></head>
<body>
<h1>{title}</h1>
<p>{status}</p>
{sections}
<footer><p>{credits}</p><p>Made with: {versions}. Inputs, parameters and versions of each report:
<a href="manifest.json">manifest.json</a>.</p></footer>
</body></html>
"""


def input_files(corpus_dir: Path, settings: Settings) -> list[dict[str, object]]:
    """Every input of the batch with its SHA-256: corpus files, notebooks, geographic data.

    Corpus files are read under the reader's rules (a link outside the corpus or a
    device is not read; its entry says why instead of giving a hash).
    """
    from analysis.reports.views import _corpus_files, input_digest

    entries: list[dict[str, object]] = []
    for p in _corpus_files(corpus_dir, settings):
        digest = input_digest(p, corpus_dir, settings)
        entry: dict[str, object] = {"role": "corpus", "path": str(p.relative_to(corpus_dir))}
        if digest.startswith("not read: "):
            entry["problem"] = digest.removeprefix("not read: ")
        else:
            entry.update(bytes=p.stat().st_size, sha256=digest)
        entries.append(entry)
    groups = [
        ("notebook", settings.notebooks_dir, sorted(settings.notebooks_dir.glob("*.ipynb"))),
        ("geo", settings.geo_dir, sorted(p for p in settings.geo_dir.glob("*") if p.is_file())),
    ]
    entries += [
        {
            "role": role,
            "path": str(p.relative_to(base)),
            "bytes": p.stat().st_size,
            "sha256": sha256_file(p),
        }
        for role, base, paths in groups
        for p in paths
        if p.is_file()
    ]
    return entries


def git_commit(root: Path = ROOT) -> dict[str, object]:
    """The checkout's commit and whether it has uncommitted changes (None outside git)."""

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(dirty) if commit else None}


def build_manifest(
    corpus_dir: Path,
    settings: Settings,
    jobs: list[ReportJob],
    started: datetime,
    workers: int | None,
    only: str | None,
    show_code: bool,
) -> dict[str, object]:
    """What went in (files with hashes, parameters), with which versions, and what came out."""
    from analysis.reports.versions import versions

    out_dir_reports = []
    for job in jobs:
        entry = asdict(job)
        entry["html"] = f"{job.name}.html" if job.status != "skipped" else None
        entry["executed_notebook"] = f"{job.name}.ipynb" if job.status != "skipped" else None
        out_dir_reports.append(entry)
    finished = datetime.now(UTC)
    return {
        "tool": {"name": "nk-war-analysis", "version": __version__},
        "git": git_commit(),
        "corpus": {"dir": str(corpus_dir)},
        "options": {"only": only, "show_code": show_code, "kernel": settings.kernel_name},
        "inputs": input_files(corpus_dir, settings),
        "versions": dict(versions().itertuples(index=False)),
        "times": {
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "seconds": round((finished - started).total_seconds(), 2),
            "workers": workers or os.cpu_count(),
        },
        "reports": out_dir_reports,
    }


# --- benchmark (``make bench``; timing goals live here, not in the tests) ----------------------


def bench_reports(runs: int = 3) -> dict[str, float]:
    """Seconds per report against the floor, and the batch serially against in parallel.

    The floor is papermill + nbconvert of a notebook that only imports what the
    reports import; each report kind should stay within 1.5x of it. Best of
    ``runs`` each, in this process (warm), as a batch runs them: with the maps
    and charts already drawn into ``data/`` (the batch draws them once, before
    the reports; that time is in the batch totals). The batch is timed as the
    ``report`` command on the seeds with ``--jobs 1`` and ``--jobs 2``, best of two.
    """
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from analysis.reports.views import corpus_tables

    tables = corpus_tables(DEFAULT.corpus_dir)
    jobs = {j.kind: j for j in plan_jobs(DEFAULT.corpus_dir, tables) if j.status != "skipped"}
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        floor_nb = Path(tmp) / "floor.ipynb"
        params = new_code_cell('corpus_dir: str = ""  # unused', metadata={"tags": ["parameters"]})
        imports = (
            "import analysis.reports.views, analysis.reports.versions, "
            "analysis.visuals.maps, analysis.visuals.charts, "
            "matplotlib.pyplot, geopandas"
        )
        book = new_notebook(cells=[params, new_code_cell(imports)])
        book.metadata["kernelspec"] = {"name": DEFAULT.kernel_name, "display_name": "floor"}
        nbformat.write(book, floor_nb)
        # As in a batch: the maps and charts are drawn once into data/, reports embed them.
        places = [str(j.parameters["place"]) for j in jobs.values() if j.kind == "place"]
        data = write_exports(tables, Path(tmp) / "data", places=places)
        drawn = {"figures_dir": str(data)}
        cases: dict[str, tuple[Path, dict[str, object]]] = {"floor": (floor_nb, {})} | {
            k: (DEFAULT.notebooks_dir / j.notebook, {**j.parameters, **drawn})
            for k, j in jobs.items()
        }
        for name, (nb, parameters) in cases.items():
            out[name] = _best(lambda nb=nb, p=parameters: execute_to_html(
                nb, Path(tmp) / "r.html", p, check=False), runs)  # fmt: skip
    # The batch as a user runs it: the command, in a fresh process, one report at a
    # time against two at once (tables and gazetteer already cached by the runs above).
    for workers in (1, 2, 1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            command = [sys.executable, "-m", "analysis", "report", "--out", tmp]
            start = time.perf_counter()
            subprocess.run([*command, "--jobs", str(workers)], check=True, capture_output=True)
            seconds = time.perf_counter() - start
        out[f"batch_{workers}"] = min(out.get(f"batch_{workers}", seconds), seconds)
    return out


def _best(fn: Any, runs: int) -> float:
    """Best wall time of ``runs`` calls of ``fn``."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def print_bench() -> None:
    """Print :func:`bench_reports` with its bars."""
    r = bench_reports()
    print(f"report floor (papermill + nbconvert, same imports): {r['floor']:.2f} s")
    for kind in SECTIONS:
        print(f"  {kind:8} {r[kind]:.2f} s = {r[kind] / r['floor']:.2f} x floor (bar: <= 1.5)")
    speedup = r["batch_1"] / r["batch_2"]
    print(
        f"batch on seeds: serial {r['batch_1']:.1f} s, 2 workers {r['batch_2']:.1f} s "
        f"= {speedup:.2f} x (bar: >= 1.7 on 2 cores)"
    )


if __name__ == "__main__":
    print_bench()
