"""Notebooks: committed clean, strict parameters, executed by the batch into HTML on the seeds.

The seed batch runs once per session (:func:`seed_batch`, shared with
``test_report_browser.py``); a second, partial run checks that the same inputs
give the same files.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import papermill
import pytest
from conftest import SEEDS

from analysis import cli
from analysis.pipeline.outdir import MARKER, atomic_write_text
from analysis.reports import views as nbh
from analysis.reports.batch import run_batch
from analysis.reports.kernels import kernel_manager_class
from analysis.reports.planning import NOTEBOOKS, check_parameters, plan_jobs
from analysis.settings import DEFAULT
from analysis.text.names import file_id

NOTEBOOK_PATHS = sorted(DEFAULT.notebooks_dir.glob("*.ipynb"))
_BATCH: dict[str, tuple] = {}


def seed_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list]:
    """The batch on the seeds (2 workers), run once per session: (out_dir, index, jobs)."""
    if "seeds" not in _BATCH:
        out = tmp_path_factory.mktemp("reports")
        index, jobs = run_batch(SEEDS, out, workers=2, progress=False)
        _BATCH["seeds"] = (out, index, jobs)
    return _BATCH["seeds"]


@pytest.fixture(scope="module")
def seed_reports(tmp_path_factory):
    return seed_batch(tmp_path_factory)


@pytest.fixture(scope="module")
def seed_tables():
    return nbh.corpus_tables(SEEDS)


# --- the notebooks as committed ------------------------------------------------------------


def test_the_four_reports_exist():
    assert {p.name for p in NOTEBOOK_PATHS} >= set(NOTEBOOKS.values())


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_notebook_committed_without_outputs(path: Path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        assert not cell.get("outputs"), f"{path.name} carries outputs"
        assert cell.get("execution_count") is None
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    assert nb["metadata"]["kernelspec"]["name"] == "nkwar", "the project's kernel (make setup)"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path: Path):
    """Code cells only call into analysis/: no def, class, loop or branch of their own."""
    nb = json.loads(path.read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert not re.search(r"^\s*(def|class|for|while|if|with|import)\b", code, re.M), path.name
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert len(markdown) >= 3, "Markdown tells the reader what each table shows"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem)
def test_parameters_are_typed_and_documented(path: Path):
    params = papermill.inspect_notebook(str(path))
    assert params
    for name, spec in params.items():
        assert spec["inferred_type_name"] != "None", f"{name} has no type annotation"
        assert spec["help"], f"{name} has no comment"


def test_batch_passes_exactly_the_declared_parameters(seed_tables):
    """Each notebook's parameters cell and what the batch passes agree, both ways."""
    passed: dict[str, set[str]] = {}
    for job in plan_jobs(SEEDS, seed_tables):
        path = DEFAULT.notebooks_dir / job.notebook
        check_parameters(path, job.parameters, seed_tables)
        passed.setdefault(job.notebook, set()).update(job.parameters)
    for notebook, names in passed.items():
        declared = set(papermill.inspect_notebook(str(DEFAULT.notebooks_dir / notebook)))
        assert names == declared, notebook
    assert set(passed) == set(NOTEBOOKS.values())


def test_unknown_parameters_are_refused_with_the_valid_ones(seed_tables):
    nb = DEFAULT.notebooks_dir
    with pytest.raises(ValueError, match="has no parameter nonsense; it takes: corpus_dir"):
        check_parameters(nb / "corpus_overview.ipynb", {"nonsense": 1})
    with pytest.raises(ValueError, match=r"unknown article 'nope'; this corpus has: 000_"):
        check_parameters(nb / "article_report.ipynb", {"article": "nope"}, seed_tables)
    with pytest.raises(ValueError, match=r"unknown place 'Atlantis'; this corpus has: .*Sudzha"):
        check_parameters(nb / "place_report.ipynb", {"place": "Atlantis"}, seed_tables)


def test_cli_refuses_an_unknown_place_before_any_kernel(tmp_path, capsys):
    status = cli.main(["report", "--corpus", str(SEEDS), "--out", str(tmp_path), "--places", "X"])
    err = capsys.readouterr().err
    assert status == 2
    assert "unknown place 'X'; this corpus has:" in err and "Sudzha" in err
    assert not list(tmp_path.iterdir()), "nothing written"


def test_plan_covers_articles_places_categories(seed_tables):
    names = [j.name for j in plan_jobs(SEEDS, seed_tables)]
    assert names[0] == "corpus_overview"
    assert sum(n.startswith("article_") for n in names) == 5
    places = {f"place_{file_id(p)}" for p in ("Kursk", "Sudzha", "Pokrovsk", "Zaporizhzhia")}
    assert places <= set(names)
    assert "figures_troops_deployed" in names
    assert len(names) == len(set(names))


# --- the helpers the notebooks call --------------------------------------------------------


def test_place_names_resolve_through_spellings(seed_tables):
    assert nbh.resolve_place("sudzha", seed_tables) == "Sudzha"
    assert nbh.resolve_place("Zaporizhia", seed_tables) == "Zaporizhzhia"
    assert nbh.resolve_place("Atlantis", seed_tables) is None


def test_place_mentions_give_the_whole_sentence(seed_tables):
    rows = nbh.place_mentions(seed_tables, "Sudzha")
    assert len(rows) == seed_tables.places.query("place == 'Sudzha'")["mentions"].sum()
    for surface, sentence in rows[["surface", "sentence"]].itertuples(index=False):
        assert surface in sentence and len(sentence) > len(surface) + 20
    assert list(rows["published"]) == sorted(rows["published"])


def test_tables_escape_article_text():
    hostile = nbh.Table(nbh.pd.DataFrame({"quote": ["<script>alert(1)</script>"]}))
    assert "&lt;script&gt;" in hostile._repr_html_() and "<script>" not in hostile._repr_html_()
    assert nbh.Note("<img src=x>", "h2")._repr_html_() == "<h2>&lt;img src=x&gt;</h2>"


def test_kernels_talk_over_private_ipc_sockets():
    """No TCP ports to race for: each kernel gets its own socket path."""
    km1, km2 = kernel_manager_class()(), kernel_manager_class()()
    assert km1.transport == km2.transport == "ipc"
    assert Path(km1.ip).is_absolute() and km1.ip != km2.ip


def test_report_processes_skip_the_slow_iri_format_checker():
    """The batch's modules keep jsonschema from importing rfc3987_syntax (seconds per
    process, see analysis.reports.nbimport); nbformat still validates notebooks."""
    code = (
        "import sys, analysis.reports.execution, nbformat; "
        "nbformat.validate(nbformat.v4.new_notebook()); "
        "print(sys.modules['rfc3987_syntax'] is None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_atomic_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("good")

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr("analysis.pipeline.outdir.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "half")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


# --- the batch on the seeds ----------------------------------------------------------------


def test_report_batch_on_seeds(seed_reports, seed_articles):
    out, index, jobs = seed_reports
    assert {j.status for j in jobs} <= {"ok", "skipped"}, [j.error for j in jobs]
    page = (out / "corpus_overview.html").read_text()
    for article in seed_articles["article"]:
        assert article in page
    assert "No problems: every document was read." in page
    for credit in ("GeoNames", "CC BY 4.0", "Natural Earth", "GEOS", "PROJ", "GDAL"):
        assert credit in page
    index_text = index.read_text()
    for job in jobs:
        assert f'href="{job.name}.html"' in index_text
        assert (out / f"{job.name}.ipynb").is_file()
    assert "Sudzha" in (out / f"place_{file_id('Sudzha')}.html").read_text()


def test_manifest_traces_inputs_and_versions(seed_reports):
    out, _, jobs = seed_reports
    manifest = json.loads((out / "manifest.json").read_text())
    corpus = {i["path"]: i["sha256"] for i in manifest["inputs"] if i["role"] == "corpus"}
    assert len(corpus) == 6 and "metadata.csv" in corpus
    seed = next(SEEDS.glob("000_*.txt"))
    assert corpus[seed.name] == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert {"GEOS", "pandas", "papermill"} <= set(manifest["versions"])
    assert "commit" in manifest["git"] and manifest["times"]["started"]
    by_name = {r["name"]: r for r in manifest["reports"]}
    assert by_name[f"place_{file_id('Sudzha')}"]["parameters"]["place"] == "Sudzha"
    assert {r["status"] for r in manifest["reports"]} <= {"ok", "skipped"}
    assert len(by_name) == len(jobs)


def test_report_html_loads_nothing_and_runs_nothing(seed_reports):
    out, _, _ = seed_reports
    for page in out.glob("*.html"):
        text = page.read_text()
        assert "<script" not in text, page.name
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), page.name
        assert "@import" not in text and "url(http" not in text, page.name
        assert "Content-Security-Policy" in text, page.name


def test_report_hides_code(seed_reports):
    out, _, _ = seed_reports
    assert "corpus_tables(" not in (out / "corpus_overview.html").read_text()


def test_same_inputs_give_the_same_files(seed_reports):
    """A second run over the first (a subset, to keep the suite fast) changes no byte."""
    out, _, _ = seed_reports
    before = _hashes(out)
    only = "corpus_overview,article_002*,place_sudzha*,figures_troops_deployed"
    _, jobs = run_batch(SEEDS, out, workers=2, only=only, progress=False)
    assert [j.status for j in jobs] == ["ok"] * 4
    assert _hashes(out) == before
    assert sorted(p.name for p in out.rglob(".*")) == [MARKER], "no temporaries left"


def _hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file but the manifest; the manifest without its times."""
    out = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.pop("times")
    manifest.pop("git")  # other work in the checkout may change between the runs
    manifest.pop("options")  # the second run's --only
    for report in manifest["reports"]:
        report.pop("seconds")
    out["manifest.json"] = json.dumps(manifest, sort_keys=True)
    return out


def test_failing_notebook_is_contained(tmp_path, monkeypatch, capsys):
    """One report fails: the others are made, the index says why, the traceback is kept."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in NOTEBOOK_PATHS:
        (notebooks / path.name).write_bytes(path.read_bytes())
    nb = json.loads((notebooks / "article_report.ipynb").read_text())
    boom = 'if article.startswith("003"):\n    raise RuntimeError("injected failure")'
    nb["cells"].insert(3, {**nb["cells"][2], "id": "boom", "source": boom, "metadata": {}})
    (notebooks / "article_report.ipynb").write_text(json.dumps(nb))
    monkeypatch.setattr(cli, "DEFAULT", DEFAULT.with_(notebooks_dir=notebooks))
    out = tmp_path / "r"
    argv = ["report", "--corpus", str(SEEDS), "--out", str(out), "--only", "article_00[23]*"]
    status = cli.main([*argv, "--jobs", "2"])
    printed = capsys.readouterr()
    assert status == 1
    assert "failed  article_003" in printed.out and "ok      article_002" in printed.out
    index = (out / "index.html").read_text()
    assert 'class="failed"' in index and "RuntimeError: injected failure" in index
    executed = json.loads((out / "article_003_10e8ed9bd3fd314a.ipynb").read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("ename")]
    assert errors and errors[0]["evalue"] == "injected failure" and errors[0]["traceback"]
    assert "injected failure" in (out / "article_003_10e8ed9bd3fd314a.html").read_text()
    assert (out / "article_002_18f77753319eb318.html").is_file()
