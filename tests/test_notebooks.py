"""Notebooks: committed clean, strict parameters, really executed by papermill into HTML."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import papermill
import pytest
from conftest import SEEDS

from analysis.report import check_parameters, default_jobs, run_batch
from analysis.settings import DEFAULT

NOTEBOOKS = sorted(DEFAULT.notebooks_dir.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_committed_without_outputs(path: Path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        assert not cell.get("outputs"), f"{path.name} carries outputs"
        assert cell.get("execution_count") is None
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_typed_and_documented(path: Path):
    params = papermill.inspect_notebook(str(path))
    assert params
    for name, spec in params.items():
        assert spec["inferred_type_name"] != "None", f"{name} has no type annotation"
        assert spec["help"], f"{name} has no comment"


def test_batch_passes_only_declared_parameters():
    for job in default_jobs(SEEDS):
        check_parameters(DEFAULT.notebooks_dir / job.notebook, job.parameters)
    with pytest.raises(ValueError, match="has no parameter nonsense; it takes: corpus_dir"):
        check_parameters(DEFAULT.notebooks_dir / "corpus_overview.ipynb", {"nonsense": 1})


@pytest.fixture(scope="module")
def seed_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    index, jobs = run_batch(SEEDS, out)
    return out, index, jobs


def test_report_batch_on_seeds(seed_reports, seed_articles):
    out, index, jobs = seed_reports
    assert [j.status for j in jobs] == ["ok"] * len(jobs), [j.error for j in jobs]
    page = (out / "corpus_overview.html").read_text()
    for article in seed_articles["article"]:
        assert article in page
    assert "No problems: every document was read." in page
    assert "GEOS" in page and "PROJ" in page
    assert 'href="corpus_overview.html"' in index.read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["reports"][0]["status"] == "ok"


def test_report_html_loads_nothing_from_the_network(seed_reports):
    out, _, _ = seed_reports
    for page in out.glob("*.html"):
        text = page.read_text()
        assert not re.search(r"<script[^>]+src=", text), page.name
        assert not re.search(r"""(src|href)=["']https?://""", text), page.name
        assert "import(" not in text and "cdnjs" not in text


def test_report_hides_code(seed_reports):
    out, _, _ = seed_reports
    assert "load_corpus(" not in (out / "corpus_overview.html").read_text()


def test_failing_notebook_is_contained(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "report",
            "--corpus",
            str(tmp_path),
            "--out",
            str(tmp_path / "r"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # An empty corpus folder makes the notebook fail; the batch says so and exits non-zero.
    assert out.returncode == 1
    assert "failed" in out.stdout and "Traceback" not in out.stderr
    assert "failed" in (tmp_path / "r" / "index.html").read_text()
    assert "CorpusError" in (tmp_path / "r" / "corpus_overview.ipynb").read_text()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_opens_in_headless_chromium(seed_reports, seed_articles, tmp_path):
    import os

    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    out, _, _ = seed_reports
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            (out / "corpus_overview.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    for article in seed_articles["article"]:
        assert f">{article}<" in dom
    assert "<table" in dom
