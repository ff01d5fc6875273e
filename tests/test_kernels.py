"""Spare kernels: started ahead for a worker's next report, used once, never left running."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from analysis.reports import kernels
from analysis.reports.execution import execute_to_html
from analysis.settings import DEFAULT


def _notebook(folder: Path) -> Path:
    """A notebook that shows its parameter, its kernel's process and what ran there before."""
    params = new_code_cell("x: int = 0  # a number", metadata={"tags": ["parameters"]})
    body = new_code_cell(
        "import os\nprint(x * 2, 'seen' if 'marker' in globals() else 'fresh')\n"
        "marker = True\nkernel_pid = os.getpid()\nprint(kernel_pid)"
    )
    book = new_notebook(cells=[params, body])
    book.metadata["kernelspec"] = {
        "name": DEFAULT.kernel_name,
        "display_name": "test",
        "language": "python",
    }
    path = folder / "nb.ipynb"
    nbformat.write(book, path)
    return path


def _printed(html: Path) -> list[str]:
    nb = json.loads(html.with_suffix(".ipynb").read_text())
    return "".join(nb["cells"][-1]["outputs"][0]["text"]).split()


def test_a_spare_runs_the_next_notebook_fresh_and_is_stopped(tmp_path):
    nb = _notebook(tmp_path)
    key = (DEFAULT.kernel_name, str(tmp_path))
    first = execute_to_html(nb, tmp_path / "a.html", {"x": 1}, start_next_kernel=True)
    spare = kernels._SPARES[key]
    assert spare.is_alive()
    spare_pid = str(spare.provisioner.pid)
    second = execute_to_html(nb, tmp_path / "b.html", {"x": 2})
    assert key not in kernels._SPARES
    assert not spare.is_alive(), "the engine stops the spare it used"
    a, b = _printed(first), _printed(second)
    assert a[:2] == ["2", "fresh"] and b[:2] == ["4", "fresh"], "each kernel runs one notebook"
    assert a[2] != b[2], "two kernels, not one reused"
    assert b[2] == spare_pid, "the second notebook ran on the spare"


def test_spares_nobody_takes_are_stopped(tmp_path):
    kernels.start_spare(DEFAULT.kernel_name, str(tmp_path))
    spare = kernels._SPARES[(DEFAULT.kernel_name, str(tmp_path))]
    assert spare.is_alive()
    kernels.stop_spares()
    assert not kernels._SPARES and not spare.is_alive()
