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

from analysis.pipeline.outdir import MARKER, TMP_PREFIX
from analysis.text.names import file_id

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
    """One seed article: a pool of two workers, kernels, an article and a figures report."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(SEEDS.glob("*.txt"))[2:3]:
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


# --- a zoo of hostile and malformed files -------------------------------------------------------


SECRET = "SECRET: 987,654 soldiers were sent to Vladivostok."


@pytest.fixture(scope="module")
def zoo(tmp_path_factory) -> Path:
    """A corpus of every kind of bad file seen so far, beside two good articles."""
    base = tmp_path_factory.mktemp("zoo")
    outside = base / "private.txt"
    outside.write_text(SECRET + "\n", encoding="utf-8")
    corpus = base / "corpus"
    corpus.mkdir()
    good = sorted(SEEDS.glob("*.txt"))
    shutil.copy(good[0], corpus / "good.txt")
    (corpus / "utf16.txt").write_bytes(good[1].read_text(encoding="utf-8").encode("utf-16"))
    text = good[2].read_text(encoding="utf-8")
    (corpus / "nul.txt").write_text(text[:9000] + "\x00" + text[9000:], encoding="utf-8")
    for name, article in NAMES.items():  # ids that share a slug, maths in a name
        (corpus / f"{name}.txt").write_text(article + "\n", encoding="utf-8")
    (corpus / "=HYPERLINK(1).txt").write_text("Troops left Bryansk on Friday.\n", encoding="utf-8")
    (corpus / "markup.md").write_text(
        "# Troops\n\nSome 3,000 troops moved to Kursk.\n\n```\nwidth = 4711\n```\n"
        '<div style="width:8123px">&#8212;</div> See https://x.org/2024/6262.\n',
        encoding="utf-8",
    )
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "outside.txt").symlink_to(outside)
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "loop").symlink_to(corpus)
    (corpus / "folder.txt").mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (corpus / "big.txt").write_text("Kursk. " * 200_000, encoding="utf-8")
    (corpus / "metadata.csv").write_text(
        "id,title,outlet,lang,published\n"
        'good,"=HYPERLINK(""http://evil"",""x"")",@outlet,en,20241105\n'
        'utf16,"unclosed quote,AP,en,2024-11-05\n'
        "nul,swallowed,AP,en,2024-11-06\n",
        encoding="utf-8",
    )
    return corpus


def test_a_zoo_of_bad_files_is_recorded_not_read(tmp_path, zoo):
    out = tmp_path / "tables"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "extract", str(zoo), "--out", str(out), "--max-mb", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    problems: dict[str, str] = {}
    for r in _csv(out / "problems.csv"):
        name = Path(r["file"]).name
        problems[name] = f"{problems.get(name, '')} | {r['problem']}"
    for name, reason in {
        "zero.txt": "outside the corpus",
        "outside.txt": "outside the corpus",
        "fifo.txt": "not a regular file (FIFO)",
        "folder.txt": "folder",
        "empty.txt": "empty",
        "binary.txt": "binary",
        "big.txt": "over the 1 MB limit",
        "nul.txt": "NUL",
        "utf16.txt": "utf-16",
        "metadata.csv": "unclosed quote",
    }.items():
        assert reason in problems.get(name, ""), (name, problems.get(name))
    articles = {r["article"]: r for r in _csv(out / "articles.csv")}
    assert set(articles) == {"good", "utf16", "nul", "'=HYPERLINK(1)", "markup", *NAMES}
    assert articles["good"]["title"].startswith("'=HYPERLINK")
    assert articles["good"]["published"] == "", "20241105 is not YYYY-MM-DD"
    assert articles["nul"]["title"] != "swallowed" or articles["utf16"]["title"] == ""
    everything = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.csv"))
    assert "SECRET" not in everything and "987" not in everything
    values = {float(r["value"]) for r in _csv(out / "figures.csv") if r["article"] == "markup"}
    assert values == {3000.0}, "numbers in code, tags, entities and URLs are not figures"


@pytest.fixture(scope="module")
def zoo_reports(zoo, tmp_path_factory) -> Path:
    """The zoo's overview and article reports, made by the command with --jobs 1000."""
    out = tmp_path_factory.mktemp("zoo-reports") / "reports"
    done = _cli("report", "--corpus", str(zoo), "--out", str(out), "--jobs", "1000",
                "--only", "article_*,corpus*")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_a_report_on_the_zoo_is_made(zoo_reports):
    out = zoo_reports
    page = (out / "corpus_overview.html").read_text(encoding="utf-8")
    assert "not a regular file (FIFO)" in page and "SECRET" not in page
    manifest = json.loads((out / "manifest.json").read_text())
    assert {r["status"] for r in manifest["reports"]} == {"ok"}
    by_path = {i["path"]: i for i in manifest["inputs"] if i["role"] == "corpus"}
    assert "outside the corpus" in by_path["zero.txt"]["problem"]


def test_a_dollar_in_a_file_name_is_text_not_maths(zoo_reports):
    """#11.6: '$...$' in an id was parsed as maths and stopped the whole batch."""
    maths = "$\\href{x}{y}$"
    assert maths in (zoo_reports / "corpus_overview.html").read_text()
    assert (zoo_reports / f"article_{file_id(maths)}.html").is_file()


def test_each_article_report_embeds_its_own_map(zoo_reports):
    """#11.3: ids that differ only by case or punctuation shared one map file."""
    out = zoo_reports
    maps = {name: (out / "data" / f"article_map_{file_id(name)}.png") for name in NAMES}
    assert len({p.read_bytes() for p in maps.values()}) == len(NAMES)
    for name, png in maps.items():
        page = (out / f"article_{file_id(name)}.html").read_text()
        assert base64.b64encode(png.read_bytes()).decode() in page, name
        for other, other_png in maps.items():
            if other != name:
                assert base64.b64encode(other_png.read_bytes()).decode() not in page


def test_jobs_beyond_the_cores_are_capped(zoo_reports):
    """#11.9: --jobs 1000 started a process per report."""
    manifest = json.loads((zoo_reports / "manifest.json").read_text())
    assert manifest["times"]["workers"] <= (os.cpu_count() or 1)


def _csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- random damage to a sidecar -----------------------------------------------------------------


def test_any_metadata_file_is_read_or_recorded(tmp_path_factory):
    """Random bytes and random CSV in metadata.csv: never an uncaught error, every article read."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from analysis.text.corpus import load_corpus

    corpus = tmp_path_factory.mktemp("sidecar")
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text(NAMES["Kursk one"], encoding="utf-8")
    cell = st.text(alphabet=st.sampled_from('ab,"\n\r=;\x00é1-'), max_size=12)
    rows = st.lists(st.lists(cell, min_size=0, max_size=7), max_size=6)
    csv_like = rows.map(lambda rs: "id,title,outlet,lang,published\n" + "\n".join(
        ",".join(r) for r in rs)).map(lambda t: t.encode("utf-8"))  # fmt: skip

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(st.one_of(st.binary(max_size=400), csv_like))
    def check(data: bytes) -> None:
        (corpus / "metadata.csv").write_bytes(data)
        read = load_corpus(corpus)
        assert sorted(read.articles["article"]) == ["a", "b", "c"]
        for row in read.problems.itertuples(index=False):
            assert all(isinstance(v, str) and v for v in row)
        for title in read.articles["title"]:
            assert "\n" not in title or title.count("\n") < 3

    check()


def test_a_refused_batch_exits_and_leaves_no_worker(tmp_path):
    """An error of the batch (an unknown place) while the pool's workers start: the
    command ends, and none of its workers is left waiting on the pool's queue."""
    tag = uuid.uuid4().hex
    proc = _command("report", "--out", str(tmp_path / "r"), "--places", "Atlantis", tag=tag)
    try:
        _out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the refused batch did not exit")
    assert proc.returncode == 2 and "unknown place 'Atlantis'" in err
    assert not _survivors(tag)
