"""Benchmark of the report batch (``python -m benchmarks.run --report``); its bars live here.

Seconds per report kind against the floor (papermill + nbconvert of a notebook
that only imports what the reports import; each kind should stay within 1.5x of
it), and the batch on the seeds serially against two workers (bar: 1.7x on two
cores). Run alone with ``python -m benchmarks.reports``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from analysis.reports.execution import execute_to_html
from analysis.reports.planning import SECTIONS, plan_jobs
from analysis.reports.publishing import write_exports
from analysis.reports.tables import corpus_tables
from analysis.settings import DEFAULT


def bench_reports(runs: int = 3) -> dict[str, float]:
    """Seconds per report against the floor, and the batch serially against in parallel.

    The floor is papermill + nbconvert of a notebook that only imports what the
    reports import; each report kind should stay within 1.5x of it. Best of
    ``runs`` each, in this process (warm), as a batch runs them: with the maps
    and charts already drawn into ``data/`` (the batch draws them once, before
    the reports; that time is in the batch totals). The batch is timed as the
    ``report`` command on the seeds with ``--jobs 1`` and ``--jobs 2``, best of two.
    """
    import nbformat  # after execution's import (see analysis.reports.nbimport)
    from nbformat.v4 import new_code_cell, new_notebook

    tables = corpus_tables(DEFAULT.corpus_dir)
    jobs = {j.kind: j for j in plan_jobs(DEFAULT.corpus_dir, tables) if j.status != "skipped"}
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        floor_nb = Path(tmp) / "floor.ipynb"
        params = new_code_cell('corpus_dir: str = ""  # unused', metadata={"tags": ["parameters"]})
        imports = (
            "import analysis.reports.views, analysis.reports.versions, "
            "analysis.visuals.maps, analysis.visuals.charts, analysis.visuals.claims, "
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
