"""The command line as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_help_lists_subcommands():
    out = run("--help")
    assert out.returncode == 0
    assert "extract" in out.stdout and "report" in out.stdout


def test_extract_seeds_writes_articles_csv(tmp_path):
    out = run("extract", str(SEEDS), "--out", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    with (tmp_path / "out" / "articles.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0])
    assert header == [
        "article",
        "title",
        "lang",
        "published",
        "outlet",
        "chars",
        "body_chars",
        "sha256",
    ]
    assert sorted(r["article"] for r in rows) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    seed0 = next(r for r in rows if r["article"].startswith("000_"))
    assert int(seed0["body_chars"]) < int(seed0["chars"]) / 2
    assert (tmp_path / "out" / "problems.csv").read_text().startswith("file,problem,action")
    assert not list((tmp_path / "out").glob(".*tmp"))


def test_extract_missing_folder_is_one_clear_line(tmp_path):
    out = run("extract", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: corpus folder not found: {tmp_path / 'nowhere'}"
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()


def test_extract_empty_folder(tmp_path):
    out = run("extract", str(tmp_path), "--out", str(tmp_path / "out"))
    assert out.returncode == 2
    assert "no documents" in out.stderr and "Traceback" not in out.stderr


def test_extract_records_bad_files_and_goes_on(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Some 14,000 North Korean troops fought in Kursk Oblast.")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.htm").write_bytes(b"\x00\x01\x02" * 100)
    out = run("extract", str(corpus), "--out", str(tmp_path / "out"))
    assert out.returncode == 0
    problems = (tmp_path / "out" / "problems.csv").read_text()
    assert "empty file" in problems and "binary file" in problems
    assert "empty.txt: empty file" in out.stderr
    assert (tmp_path / "out" / "articles.csv").read_text().count("\n") == 2


def test_unknown_subcommand_is_a_usage_error():
    out = run("frobnicate")
    assert out.returncode == 2 and "invalid choice" in out.stderr
