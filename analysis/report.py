"""Run the parameterised notebooks with papermill and turn them into HTML reports.

Each report is a notebook of ``notebooks/`` executed by papermill with its
parameters, then converted to HTML by nbconvert with the code cells hidden.
Outputs are written in a temporary folder beside the target and moved into
place, so an interrupted run never leaves half a report over a good one.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis import __version__
from analysis.settings import DEFAULT, Settings


@dataclass
class ReportJob:
    """One report to make: which notebook, with which parameters, into which file."""

    name: str
    notebook: str
    parameters: dict[str, object]
    title: str
    summary: str = ""
    status: str = "pending"
    error: str = ""
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def notebook_parameters(notebook: Path) -> dict[str, dict[str, str]]:
    """The parameters a notebook declares in its ``parameters`` cell (papermill's reading)."""
    import papermill

    return dict(papermill.inspect_notebook(str(notebook)))


def check_parameters(notebook: Path, parameters: Mapping[str, object]) -> None:
    """Refuse parameters the notebook does not declare, before any kernel starts.

    Raises:
        ValueError: "NOTEBOOK has no parameter NAME; it takes: A, B" for each unknown name.
    """
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(
            f"{notebook.name} has no parameter {', '.join(unknown)}; it takes: "
            f"{', '.join(sorted(declared))}"
        )


def execute_to_html(
    notebook: Path,
    html_path: Path,
    parameters: Mapping[str, object],
    *,
    kernel_name: str = DEFAULT.kernel_name,
    show_code: bool = False,
) -> Path:
    """Execute ``notebook`` with ``parameters`` and write it as HTML to ``html_path``.

    The executed notebook is kept beside the HTML (``.ipynb``), also when the
    run fails, so that the traceback can be read.

    Raises:
        papermill.PapermillExecutionError: when a cell fails; the executed
            notebook with the error is still written.
    """
    import nbformat
    import papermill

    check_parameters(notebook, parameters)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    executed = html_path.with_suffix(".ipynb")
    with tempfile.TemporaryDirectory(dir=html_path.parent, prefix=".run-") as tmp:
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
            )
        finally:
            if tmp_nb.exists():
                _strip_volatile(tmp_nb)
                os.replace(tmp_nb, executed)
        nb = nbformat.read(str(executed), as_version=4)
        atomic_write_text(html_path, notebook_html(nb, show_code=show_code))
    return html_path


def _strip_volatile(path: Path) -> None:
    """Blank what differs between runs of the same notebook (times), for reproducible files."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb.get("metadata", {}).get("papermill", {}).update(
        {"start_time": None, "end_time": None, "duration": None}
    )
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).get("papermill", {}).update(
            {"start_time": None, "end_time": None, "duration": None}
        )
        cell.get("metadata", {}).pop("execution", None)
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")


def notebook_html(nb: object, *, show_code: bool = False) -> str:
    """HTML of an executed notebook that loads nothing from the network.

    nbconvert's stock templates load require.js, MathJax and Mermaid from public
    servers; the ``offline`` template (``templates/offline``) drops those scripts.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="offline", extra_template_basedirs=[str(Path(__file__).parent / "templates")]
    )
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _resources = exporter.from_notebook_node(nb)
    return str(body)


def write_index(out_dir: Path, jobs: list[ReportJob], title: str = "Reports") -> Path:
    """``index.html`` linking every report with a one-line summary, all text escaped."""
    rows = []
    for job in jobs:
        link = f'<a href="{html.escape(job.name)}.html">{html.escape(job.title)}</a>'
        status = html.escape(job.status)
        note = html.escape(job.error or job.summary)
        rows.append(f'<tr class="{status}"><td>{link}</td><td>{status}</td><td>{note}</td></tr>')
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; }}
tr.failed td {{ color: #a40000; }}
footer {{ margin-top: 2rem; font-size: .85rem; color: #555; }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<table><thead><tr><th>Report</th><th>Status</th><th>Summary</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<footer>Made by nk-war-analysis {html.escape(__version__)}. Place data: GeoNames (CC BY 4.0),
Natural Earth (public domain).</footer>
</body></html>
"""
    path = out_dir / "index.html"
    atomic_write_text(path, page)
    return path


def default_jobs(corpus_dir: Path) -> list[ReportJob]:
    """The reports ``make report`` makes for a corpus."""
    return [
        ReportJob(
            name="corpus_overview",
            notebook="corpus_overview.ipynb",
            parameters={"corpus_dir": str(corpus_dir)},
            title="Corpus overview",
        )
    ]


def run_batch(
    corpus_dir: Path,
    out_dir: Path,
    *,
    settings: Settings = DEFAULT,
    show_code: bool = False,
) -> tuple[Path, list[ReportJob]]:
    """Make every report of ``corpus_dir`` into ``out_dir``; a failing one does not stop the rest.

    Returns:
        The index path and the jobs with their status (``ok`` or ``failed``).
    """
    corpus_dir = corpus_dir.resolve()
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = default_jobs(corpus_dir)
    for job in jobs:
        started = time.perf_counter()
        try:
            execute_to_html(
                settings.notebooks_dir / job.notebook,
                out_dir / f"{job.name}.html",
                job.parameters,
                kernel_name=settings.kernel_name,
                show_code=show_code,
            )
            job.status = "ok"
        except Exception as exc:  # noqa: BLE001 - recorded in the index and manifest
            job.status = "failed"
            lines = str(exc).strip().splitlines()
            job.error = f"{type(exc).__name__}: {lines[-1] if lines else ''}"
        job.seconds = round(time.perf_counter() - started, 2)
    index = write_index(out_dir, jobs, title=f"Reports on {corpus_dir.name}")
    manifest = {
        "version": __version__,
        "corpus": str(corpus_dir),
        "reports": [asdict(j) for j in jobs],
    }
    atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(out_dir / ".tmp", ignore_errors=True)
    return index, jobs
