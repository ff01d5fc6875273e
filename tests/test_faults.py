"""Fault injection: interruptions, full disks and hostile names never cost a user their files.

The commands run as users run them (``python -m analysis ...`` in a fresh
process), and are interrupted with SIGINT, SIGTERM or SIGKILL at random points.
After each interruption no process of ours may survive (kernels and pool
workers included) and the previous outputs must be byte-identical; a re-run
must give the same bytes as an uninterrupted run.

``NKWAR_FAULT_ROUNDS`` sets how many random points each signal gets (1 in
``make test``; ``make bench`` runs the long variant). ``NKWAR_FAULT_SEED``
replays a failing draw; the seed is in every failure message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import SEEDS, is_root

from analysis.names import file_id
from analysis.outdir import MARKER, TMP_PREFIX
from analysis.report import run_batch

ROUNDS = int(os.environ.get("NKWAR_FAULT_ROUNDS", "1"))
SEED = int(os.environ.get("NKWAR_FAULT_SEED", str(random.SystemRandom().randrange(10**6))))
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


# --- helpers ------------------------------------------------------------------------------------


def _tagged(tag: str) -> list[int]:
    """Pids of live processes whose environment carries ``tag`` (all our descendants do)."""
    needle = f"NKWAR_FAULT_TAG={tag}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _survivors(tag: str, wait: float = 20.0) -> list[int]:
    """Our processes still alive after ``wait`` seconds (the kernel's own poll is 1 s)."""
    deadline = time.monotonic() + wait
    while (alive := _tagged(tag)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def _state(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``; the manifest without what differs between runs."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        rel = str(p.relative_to(folder))
        if p.name == "manifest.json":
            manifest = json.loads(p.read_text())
            for key in ("times", "git"):
                manifest.pop(key, None)
            for report in manifest.get("reports", []):
                report.pop("seconds", None)
            out[rel] = json.dumps(manifest, sort_keys=True)
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _command(*args: str, tag: str) -> subprocess.Popen:
    env = {**os.environ, "NKWAR_FAULT_TAG": tag, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(*args: str) -> float:
    """Run a command to the end; its wall time."""
    tag = uuid.uuid4().hex
    start = time.perf_counter()
    proc = _command(*args, tag=tag)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert not _survivors(tag)
    return time.perf_counter() - start


def _interrupt(args: list[str], sig: int, delay: float, seed_note: str) -> str:
    """Start a command, send ``sig`` after ``delay`` s, and check that nothing of it survives."""
    tag = uuid.uuid4().hex
    proc = _command(*args, tag=tag)
    time.sleep(delay)
    proc.send_signal(sig)
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"{signal.Signals(sig).name} after {delay:.1f} s: no exit in 60 s {seed_note}")
    alive = _survivors(tag)
    assert not alive, f"{signal.Signals(sig).name} after {delay:.1f} s left {alive} {seed_note}"
    if proc.returncode not in (0, -signal.SIGKILL):
        assert "Traceback" not in err, err
    return err


def _interrupted_runs(args: list[str], out: Path, seconds: float, name: str) -> None:
    """Every signal at ``ROUNDS`` random points of a run that takes ``seconds``: the previous
    outputs stay, nothing survives, no temporaries are left once a run ends normally."""
    rng = random.Random(f"{SEED}-{name}")
    before = _state(out)
    for sig in SIGNALS:
        for _ in range(ROUNDS):
            delay = rng.uniform(0.05, 1.0) * seconds
            note = f"(NKWAR_FAULT_SEED={SEED})"
            _interrupt(args, sig, delay, note)
            after = {k: v for k, v in _state(out).items() if not _temporary(k)}
            assert after == before, f"{signal.Signals(sig).name} at {delay:.1f} s changed {note}"


def _temporary(rel: str) -> bool:
    return any(part.startswith(TMP_PREFIX) for part in Path(rel).parts)


# --- interruptions ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """Two seed articles: enough for two workers, kernels and every kind of report."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(SEEDS.glob("*.txt"))[2:4]:
        shutil.copy(path, folder / path.name)
    return folder


def test_report_interrupted_anywhere_leaves_the_previous_reports(tmp_path, small_corpus):
    out = tmp_path / "reports"
    args = ["report", "--corpus", str(small_corpus), "--out", str(out), "--jobs", "2",
            "--only", "article_*,figures_killed*", "--places", "Kursk"]  # fmt: skip
    seconds = _run(*args)
    first = _state(out)
    _interrupted_runs(args, out, seconds, "report")
    _run(*args)
    assert _state(out) == first, "a re-run after the interruptions gives the same bytes"
    assert not [p for p in out.rglob(f"{TMP_PREFIX}*")]


def test_extract_interrupted_anywhere_leaves_the_previous_tables(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(12):
        for path in sorted(SEEDS.glob("*.txt")):
            shutil.copy(path, corpus / f"{i:02d}_{path.name}")
    out = tmp_path / "tables"
    args = ["extract", str(corpus), "--out", str(out), "--jobs", "2", "--format", "both"]
    seconds = _run(*args)
    first = _state(out)
    _interrupted_runs(args, out, seconds, "extract")
    _run(*args)
    assert _state(out) == first
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]


# --- a full disk --------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 400 kB tmpfs (root only, where the machine lets us mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not is_root() or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_cleanly_and_keeps_the_previous_tables(small_disk, make_corpus):
    small = make_corpus({"a.txt": sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")})
    out = small_disk / "tables"
    assert _cli("extract", str(small), "--out", str(out)).returncode == 0
    before = _state(out)
    big = small.parent / "big"
    big.mkdir()
    for i in range(40):
        for path in SEEDS.glob("*.txt"):
            shutil.copy(path, big / f"{i}_{path.name}")
    done = _cli("extract", str(big), "--out", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith("error: No space left on device"), done.stderr
    assert "Traceback" not in done.stderr
    assert _state(out) == before
    assert not [p for p in small_disk.rglob(f"{TMP_PREFIX}*")]


def test_a_full_disk_stops_a_report_cleanly(small_disk, small_corpus):
    out = small_disk / "reports"
    done = _cli("report", "--corpus", str(small_corpus), "--out", str(out), "--jobs", "1",
                "--only", "corpus_overview")  # fmt: skip
    assert done.returncode in (1, 2)
    assert "Traceback" not in done.stderr and done.stderr.count("\n") <= 3, done.stderr
    assert [p.name for p in out.iterdir()] in ([MARKER], []), "nothing half-written left"


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, env=env, timeout=600)  # fmt: skip


# --- hostile names ------------------------------------------------------------------------------


NAMES = {
    "Kursk one": "Soldiers were seen in Sudzha, in the Kursk region, on Monday.",
    "kursk-one": "Missiles hit Pokrovsk and Kostiantynivka in Donetsk, officials said.",
    "$\\href{x}{y}$": "North Korean troops were moved to Belgorod, the ministry said.",
}


@pytest.fixture(scope="module")
def hostile_names(tmp_path_factory) -> tuple[Path, list]:
    corpus = tmp_path_factory.mktemp("names")
    for name, text in NAMES.items():
        (corpus / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    _index, jobs = run_batch(corpus, out, workers=1000, progress=False, only="article_*,corpus*")
    return out, jobs


def test_a_dollar_in_a_file_name_is_text_not_maths(hostile_names):
    """#11.6: '$...$' in an id was parsed as maths and stopped the whole batch."""
    out, jobs = hostile_names
    assert {j.status for j in jobs} == {"ok"}, [j.error for j in jobs]
    assert "$\\href{x}{y}$" in (out / "corpus_overview.html").read_text()


def test_each_article_report_embeds_its_own_map(hostile_names):
    """#11.3: ids that differ only by case or punctuation shared one map file."""
    out, _jobs = hostile_names
    maps = {name: (out / "data" / f"article_map_{file_id(name)}.png") for name in NAMES}
    assert len({p.read_bytes() for p in maps.values()}) == len(NAMES)
    for name, png in maps.items():
        page = (out / f"article_{file_id(name)}.html").read_text()
        assert base64.b64encode(png.read_bytes()).decode() in page, name
        for other, other_png in maps.items():
            if other != name:
                assert base64.b64encode(other_png.read_bytes()).decode() not in page


def test_jobs_beyond_the_cores_are_capped(hostile_names):
    out, _jobs = hostile_names
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["times"]["workers"] <= (os.cpu_count() or 1)
