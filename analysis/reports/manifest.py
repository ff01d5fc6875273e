"""The manifest of a report batch: what went in, with which versions, and what came out.

``manifest.json`` lists every input with its SHA-256 (corpus files as the reader
reads them, notebooks, geographic data), the package and library versions, the
git commit of the checkout, the options, and each report with its status and
time. It is the only file of a batch that differs between runs of the same
inputs (its times).
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from analysis import __version__
from analysis.pipeline.pools import available_cores
from analysis.reports.planning import ReportJob
from analysis.reports.tables import corpus_files, input_digest
from analysis.reports.versions import versions
from analysis.settings import ROOT, Settings


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_files(corpus_dir: Path, settings: Settings) -> list[dict[str, object]]:
    """Every input of the batch with its SHA-256: corpus files, notebooks, geographic data.

    Corpus files are read under the reader's rules (a link outside the corpus or a
    device is not read; its entry says why instead of giving a hash).
    """
    entries: list[dict[str, object]] = []
    for p in corpus_files(corpus_dir, settings):
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
            "workers": workers or available_cores(),
        },
        "reports": out_dir_reports,
    }
