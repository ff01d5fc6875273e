"""Benchmarks (``make bench``): cold start of ``extract seeds`` and warm place-finding throughput.

Timing goals live here, not in the tests. Run ``python -m analysis.bench``; it
prints one line per measurement with the machine's core count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from analysis.corpus import load_corpus
from analysis.gazetteer import load_gazetteer
from analysis.geoparse import article_mentions
from analysis.settings import DEFAULT


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


def places_throughput(target_mb: float = 5.0) -> tuple[float, float]:
    """Warm MB/s and articles/s of place finding on the seed bodies, repeated to ``target_mb``."""
    arts = load_corpus().articles
    gaz = load_gazetteer()
    body_bytes = sum(len(a.text[s:e].encode()) for a in arts.itertuples() for s, e in a.body_spans)
    reps = max(1, int(target_mb * 1e6 / body_bytes))
    article_mentions("warm", arts.iloc[0]["text"], arts.iloc[0]["body_spans"], "en", gaz)
    start = time.perf_counter()
    for _ in range(reps):
        for a in arts.itertuples():
            article_mentions(a.article, a.text, a.body_spans, a.lang, gaz)
    secs = time.perf_counter() - start
    return reps * body_bytes / 1e6 / secs, reps * len(arts) / secs


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"cold extract seeds: {cold_extract_seconds():.2f} s (bar: < 3 s)")
    mbs, arts = places_throughput()
    print(f"places, warm, one core: {mbs:.2f} MB/s, {arts:.0f} articles/s (bar: >= 1 MB/s)")


if __name__ == "__main__":
    main()
