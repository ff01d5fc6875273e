"""Executing the report notebooks: papermill in this process, a local pool or on dask.

A report is a notebook executed by papermill, then converted to HTML by nbconvert
with the ``offline`` template (code hidden, images embedded, nothing fetched, no
script). Reports run in parallel in separate processes; each kernel talks to its
process over IPC sockets in a private folder instead of TCP ports, which removes
the race in which two parallel papermill runs pick the same free port, and a
worker starts the kernel of its next report while one runs
(:mod:`analysis.reports.kernels`).

Times, temporary paths and cell ids are blanked from the executed notebooks, so
the same inputs give the same files.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import functools
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from analysis.pipeline import pools
from analysis.pipeline.distributed import map_on_cluster
from analysis.pipeline.outdir import TMP_PREFIX, atomic_write_text
from analysis.reports import kernels
from analysis.reports.nbimport import skip_iri_format_checker
from analysis.reports.planning import ReportJob, check_parameters
from analysis.settings import DEFAULT, Settings

skip_iri_format_checker()  # before nbformat, papermill and nbconvert (imported in functions)

TEMPLATES_DIR = Path(__file__).parent / "templates"
"""nbconvert's ``offline`` template and the index page's template."""


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
    import nbformat  # the notebook tools: slow to import, only when a report runs
    import papermill

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
    from nbconvert import HTMLExporter  # slow to import: only when a report runs

    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)])
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


def run_one(
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


# --- many reports: a pool of processes or a dask cluster -------------------------------------


@contextlib.contextmanager
def batch_pool(workers: int) -> Iterator[cf.Executor | None]:
    """A pool of ``workers`` processes for the figures and reports, or None for one worker.

    Its workers fork from a server that imports what they use once, started
    here so that it does so while the caller reads the corpus. On an error
    (an unknown place, say) the pool is left to wind down on its own.
    """
    if workers < 2:
        yield None
        return
    pool = pools.process_pool(workers, WORKER_PRELOAD)
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


WORKER_PRELOAD = (
    "analysis.reports.execution",
    "analysis.reports.kernels",
    "analysis.visuals.exports",
    "papermill",
    "nbconvert",
)


def run_jobs(
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
        results = map_on_cluster(scheduler, run_one, args) if scheduler else _results(args, pool)
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
    """Results of :func:`run_one` as they complete: in this process when ``pool`` is None."""
    if pool is None:
        yield from map(run_one, args)
        return
    futures = [pool.submit(run_one, a) for a in args]
    try:
        for future in cf.as_completed(futures):
            yield future.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
