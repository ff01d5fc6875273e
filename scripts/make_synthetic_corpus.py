"""Make a synthetic corpus and its gold: ``python scripts/make_synthetic_corpus.py N OUT_DIR``.

Documents go to ``OUT_DIR/corpus`` (1,000 per subfolder), the gold standard to
``OUT_DIR/gold`` (``gold_places.csv``, ``gold_figures.csv``); see
:mod:`benchmarks.synthetic`. The same ``--seed`` gives the same corpus.
"""

from __future__ import annotations

import argparse
import time

from benchmarks.synthetic import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out_dir", help="output folder (corpus/ and gold/ go inside)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args()
    start = time.perf_counter()
    corpus, gold = write_corpus(args.n, args.out_dir, args.seed)
    print(f"{args.n} articles -> {corpus}, gold -> {gold} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
