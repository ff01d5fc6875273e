"""Benchmark of the theatre map (``make bench``): render time on the seeds, bar < 2 s.

Measures the warm render (geographic data already read, as in a notebook or a
report batch after the first map) and the cold first render, both drawing and
writing the PNG at 200 dpi, since a map is only done once it is on disk.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd


def seed_places() -> pd.DataFrame:
    """The places table of the seed corpus."""
    from analysis.places.geoparse import extract_mentions, places_table
    from analysis.text.corpus import load_corpus

    return places_table(extract_mentions(load_corpus().articles))


def theatre_map_seconds(places: pd.DataFrame | None = None, runs: int = 3) -> tuple[float, float]:
    """(cold, best warm) seconds to draw the theatre map and save it as PNG."""
    from analysis.visuals import maps, style

    places = seed_places() if places is None else places
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            start = time.perf_counter()
            fig = maps.theatre_map(places)
            style.savefig(fig, Path(tmp) / f"theatre{i}.png")
            times.append(time.perf_counter() - start)
    return times[0], min(times[1:])


def main() -> None:
    cold, warm = theatre_map_seconds()
    print(f"theatre map (draw + 200 dpi PNG): cold {cold:.2f} s, warm {warm:.2f} s (bar: < 2 s)")


if __name__ == "__main__":
    main()
