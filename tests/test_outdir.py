"""Output folders: a run writes only where it may, never loses a user's file, leaves no debris.

Each test reproduces a defect of issue #11 (the folder a user names is theirs
until a run of ours marks it; names never collide; temporaries are swept).
"""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS

from analysis import cli
from analysis.pipeline.extract import extract_corpus, plan_jobs
from analysis.pipeline.outdir import (
    MARKER,
    TMP_PREFIX,
    OutputDirError,
    claim,
    safe_cell,
    sweep_ipc,
)
from analysis.pipeline.pools import available_cores, capped_workers
from analysis.text.names import figure_name, file_id, slug

ARTICLE = (
    "North Korea has sent about 11,000 soldiers to the Kursk region, "
    "South Korea's spy agency said on Wednesday.\n"
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --- ownership ----------------------------------------------------------------------------------


def test_a_folder_with_a_users_files_is_refused_and_left_alone(tmp_path, capsys):
    """#11.1: `report --out DIR` deleted DIR/data/ with the user's files in it."""
    out = tmp_path / "u"
    (out / "data" / "thesis").mkdir(parents=True)
    (out / "data" / "thesis" / "ch1.tex").write_text("x")
    (out / "index.html").write_text("my own page")
    before = _tree(out)
    status = cli.main(["report", "--corpus", str(SEEDS), "--out", str(out), "--only", "x*"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "did not write" in err and "Traceback" not in err
    assert _tree(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["data", "index.html"]


def test_extract_refuses_a_folder_that_is_not_its_own(tmp_path, make_corpus):
    corpus = make_corpus({"a.txt": ARTICLE})
    out = tmp_path / "mine"
    out.mkdir()
    (out / "articles.csv").write_text("my spreadsheet")
    (out / "notes.txt").write_text("keep")
    with pytest.raises(OutputDirError, match="did not write"):
        extract_corpus(corpus, out)
    assert (out / "articles.csv").read_text() == "my spreadsheet"


@pytest.mark.parametrize("where", ["same", "inside", "holds"])
def test_the_corpus_folder_is_never_an_output(tmp_path, make_corpus, where, capsys):
    """#11.2: --out equal to or inside the corpus deleted documents and read reports back."""
    corpus = make_corpus({"a.txt": ARTICLE, "data/b.txt": ARTICLE})
    out = {"same": corpus, "inside": corpus / "reports", "holds": corpus.parent}[where]
    before = _tree(corpus)
    for argv in (
        ["report", "--corpus", str(corpus), "--out", str(out)],
        ["extract", str(corpus), "--out", str(out)],
    ):
        assert cli.main(argv) == 2
        assert "corpus" in capsys.readouterr().err
    assert _tree(corpus) == before
    assert not (corpus / "reports").exists()


def test_a_folder_an_earlier_run_wrote_is_reused_and_stale_tables_go(tmp_path, make_corpus):
    corpus = make_corpus({"a.txt": ARTICLE})
    out = tmp_path / "out"
    extract_corpus(corpus, out, fmt="both")
    assert (out / "figures.parquet").is_file()
    (out / "my-notes.txt").write_text("mine")
    extract_corpus(corpus, out, fmt="csv")
    names = sorted(p.name for p in out.iterdir())
    assert "figures.parquet" not in names, "a table this run no longer makes is removed"
    assert "my-notes.txt" in names, "a file the user added is kept"
    assert MARKER in names


def test_a_folder_of_an_earlier_version_is_adopted(tmp_path, make_corpus):
    corpus = make_corpus({"a.txt": ARTICLE})
    out = tmp_path / "old"
    out.mkdir()
    (out / "articles.csv").write_text("article\n")
    (out / "places.geojson").write_text("{}")
    extract_corpus(corpus, out)
    assert "a" in (out / "articles.csv").read_text()


def test_two_runs_cannot_write_into_one_folder_at_once(tmp_path):
    with (
        claim(tmp_path / "out", "extract"),
        pytest.raises(OutputDirError, match="another run"),
        claim(tmp_path / "out", "extract"),
    ):
        pass
    with claim(tmp_path / "out", "extract"):  # released
        pass


@pytest.mark.parametrize("bad", ["file", "under-a-file"])
def test_an_unusable_out_is_one_line_with_status_2(tmp_path, make_corpus, capsys, bad):
    """#11.12: an --out naming a file, or one that cannot be created, gave a traceback."""
    corpus = make_corpus({"a.txt": ARTICLE})
    (tmp_path / "f").write_text("x")
    out = tmp_path / "f" if bad == "file" else tmp_path / "f" / "sub"
    for argv in (["extract", str(corpus), "--out", str(out)], ["report", "--out", str(out)]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1, err
    assert (tmp_path / "f").read_text() == "x"


# --- debris -------------------------------------------------------------------------------------


def test_leftovers_of_interrupted_runs_are_swept(tmp_path, make_corpus):
    """#11.12: temporaries of killed runs were never removed."""
    corpus = make_corpus({"a.txt": ARTICLE})
    out = tmp_path / "out"
    extract_corpus(corpus, out)
    debris = [
        out / f"{TMP_PREFIX}articles.csv.x1.tmp",
        out / ".articles.csv.abc123.tmp",  # the naming of earlier versions
        out / ".data-k2j3",
        out / f"{TMP_PREFIX}staging",
    ]
    for path in debris:
        if path.suffix == ".tmp":
            path.write_text("half")
        else:
            path.mkdir()
            (path / "x.png").write_bytes(b"half")
    extract_corpus(corpus, out)
    assert not [p for p in debris if p.exists()]


def test_kernel_socket_folders_of_dead_processes_are_swept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    prefix = f"nkwar-test-{os.getpid()}-"
    gone = Path(tmp_path) / "x"
    del gone
    import tempfile

    base = Path(tempfile.gettempdir())
    stale = base / f"{prefix}{dead.stdout.strip()}-abc"
    live = base / f"{prefix}{os.getpid()}-def"
    for folder in (stale, live):
        folder.mkdir()
        (folder / "kernel-1.json").write_text("{}")
    try:
        sweep_ipc(prefix=prefix)
        assert not stale.exists() and live.exists()
    finally:
        for folder in (stale, live):
            if folder.exists():
                (folder / "kernel-1.json").unlink()
                folder.rmdir()


def test_a_full_disk_leaves_no_temporaries(tmp_path, make_corpus, monkeypatch):
    """#11.12: the discard raised before it unlinked, so partial tables stayed on a full disk."""
    from analysis.pipeline import sinks

    corpus = make_corpus({"a.txt": ARTICLE})
    out = tmp_path / "out"
    extract_corpus(corpus, out)
    before = _tree(out)

    real_finish = sinks.CsvTable.finish

    def disk_full(self):
        real_finish(self)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sinks.CsvTable, "finish", disk_full)
    with pytest.raises(OSError, match="No space"):
        extract_corpus(corpus, out)
    assert _tree(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]


# --- names --------------------------------------------------------------------------------------


def test_ids_that_share_a_slug_get_different_file_names():
    """#11.3: 'Kursk one' and 'kursk-one' shared one map file."""
    ids = ["Kursk one", "kursk-one", "KURSK_ONE", "kursk one", "Kursk/one", "a" * 300]
    assert slug("Kursk one") == slug("kursk-one")
    names = [file_id(i) for i in ids]
    assert len(set(n.casefold() for n in names)) == len(ids)
    assert all(len(n) < 120 and n == slug(n) for n in names)
    assert file_id("000_60bf0c177671397f") == "000_60bf0c177671397f"
    assert figure_name("article_map", "Kursk one") != figure_name("article_map", "kursk-one")


# --- small -------------------------------------------------------------------------------------


def test_formulas_in_text_are_inert_in_csv(tmp_path, make_corpus):
    """#11.13: '=HYPERLINK(...)' in a title was written raw into articles.csv."""
    corpus = make_corpus(
        {
            "a.txt": ARTICLE,
            "metadata.csv": 'id,title\na,"=HYPERLINK(""http://x"",""y"")"\n',
        }
    )
    out = tmp_path / "out"
    extract_corpus(corpus, out)
    with (out / "articles.csv").open(encoding="utf-8", newline="") as fh:
        title = next(csv.DictReader(fh))["title"]
    assert title == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("-12.5") == "-12.5"
    assert safe_cell("+7 km") == "'+7 km" and safe_cell(3) == 3


def test_jobs_are_capped_at_the_cores():
    """#11.9: --jobs 1000 started a worker (and a gazetteer) per document."""
    cores = available_cores()
    assert plan_jobs(1000, 5000) == cores
    assert plan_jobs(1000, 3) == min(3, cores)
    assert capped_workers(None, 100) == cores and capped_workers(1, 100) == 1


def test_output_folders_are_readable_by_others(tmp_path, make_corpus):
    """#11.13: data/ was created 0700, unreadable to the people it is shared with."""
    corpus = make_corpus({"a.txt": ARTICLE})
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        with claim(out, "report") as owned:
            staged = owned.staging()
            (staged / "data").mkdir()
            (staged / "data" / "x.csv").write_text("x")
            owned.publish(staged, ["data/x.csv"])
    finally:
        os.umask(old)
    mode = stat.S_IMODE((out / "data").stat().st_mode)
    assert mode & 0o055 == 0o055, oct(mode)
    assert stat.S_IMODE((out / "data" / "x.csv").stat().st_mode) & 0o044 == 0o044
    del corpus


def test_a_report_folder_of_an_earlier_version_is_adopted_keeping_the_users_files(tmp_path):
    """Folders written before the marker existed are taken over; only the files that version
    wrote count as ours, so a file the user put into its data/ survives."""
    import json

    from analysis.reports.planning import ReportJob
    from analysis.reports.publishing import earlier_files, with_earlier_reports

    out = tmp_path / "reports"
    (out / "data").mkdir(parents=True)
    manifest = {"tool": {"name": "nk-war-analysis"}, "corpus": {"dir": "/c"},
                "reports": [{"name": "place_kursk", "title": "Kursk", "notebook": "p.ipynb",
                             "parameters": {}, "kind": "place", "status": "ok"}]}  # fmt: skip
    (out / "manifest.json").write_text(json.dumps(manifest))
    for name in ("place_kursk.html", "place_kursk.ipynb", "index.html"):
        (out / name).write_text("old")
    for name in ("place_map_kursk.png", "figures.csv", "notes.txt", "mine.odt"):
        (out / "data" / name).write_text("x")
    job = ReportJob(f"place_{file_id('Kursk')}", "p.ipynb", {}, "Kursk", "place")
    shown = with_earlier_reports(out, [job], Path("/c"), [job.name])
    assert [j.name for j in shown] == [job.name], "a report under an old name is not kept"
    with claim(out, "report", adopt=earlier_files) as owned:
        assert "data/notes.txt" not in owned.previous and "data/figures.csv" in owned.previous
        owned.record(["index.html", "manifest.json"])
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert left == [MARKER, "data/mine.odt", "data/notes.txt", "index.html", "manifest.json"]


def test_a_folder_with_a_foreign_manifest_is_not_adopted(tmp_path):
    from analysis.reports.publishing import earlier_files

    out = tmp_path / "r"
    out.mkdir()
    (out / "manifest.json").write_text('{"tool": {"name": "another-tool"}}')
    with (
        pytest.raises(OutputDirError, match="did not write"),
        claim(out, "report", adopt=earlier_files),
    ):
        pass
