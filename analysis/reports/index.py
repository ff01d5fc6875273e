"""The index page of a report batch: every report linked, with its status and a one-line summary.

The page is ``templates/reports_index.html``, filled with :class:`string.Template`.
Every piece of text that comes from the corpus or the run (titles, summaries,
errors, names) is escaped with :func:`html.escape` before it goes in, so an
article cannot inject markup or script into the index; the page itself loads
nothing and runs no script (its Content-Security-Policy says so).
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from string import Template

from analysis.pipeline.outdir import atomic_write_text
from analysis.reports.planning import SECTIONS, ReportJob
from analysis.reports.versions import versions_line
from analysis.reports.views import CREDITS

INDEX_TEMPLATE = Path(__file__).parent / "templates" / "reports_index.html"
"""The index page with ``${title}``, ``${status}``, ``${sections}``, ``${credits}`` and
``${versions}`` to fill in."""


@functools.cache
def _template() -> Template:
    """The index page's template, read once per process."""
    return Template(INDEX_TEMPLATE.read_text(encoding="utf-8"))


def write_index(out_dir: Path, jobs: list[ReportJob], title: str = "Reports") -> Path:
    """``index.html`` linking every report with a one-line summary, all text escaped."""
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
    page = _template().substitute(
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
