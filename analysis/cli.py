"""The command line: ``python -m analysis {extract,report} ...``.

Errors a user can fix (a missing folder, a folder without documents, a bad
option) are printed as one line on stderr with exit status 2, never as a
traceback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from analysis import __version__
from analysis.settings import DEFAULT, FOLLOW_LINKS_ENV


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Places and reported figures in news articles on North Korea's part "
        "in Russia's war: tables, maps, charts and reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser(
        "extract",
        help="read a corpus folder and write its tables (articles, problems, places, figures)",
        description="Read the documents of CORPUS_DIR and write their tables into OUT_DIR.",
    )
    ex.add_argument("corpus_dir", metavar="CORPUS_DIR", type=Path, help="folder of .txt/.md/.html")
    ex.add_argument("--out", required=True, type=Path, metavar="OUT_DIR", help="output folder")
    ex.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT.max_file_mb,
        help="skip documents larger than this many MB (default %(default)s)",
    )
    ex.add_argument(
        "--follow-links",
        action="store_true",
        help="read documents that symlinks lead to outside CORPUS_DIR (default: recorded "
        "as a problem, not read)",
    )
    ex.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default 0: all cores; a small corpus is read in-process)",
    )
    ex.add_argument(
        "--format",
        choices=("csv", "parquet", "both"),
        default="csv",
        help="table format (default %(default)s)",
    )
    ex.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr: articles, MB, rate, ETA (default: when a terminal)",
    )
    ex.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the dask.distributed scheduler at ADDRESS (tcp://host:8786); the "
        "corpus folder must be readable at the same path on the workers",
    )

    ev = sub.add_parser(
        "evaluate",
        help="score extracted tables against a hand-made gold standard",
        description="Compare OUT_DIR/places.csv with GOLD_DIR/gold_places.csv (and "
        "OUT_DIR/figures.csv with GOLD_DIR/gold_figures.csv when both exist); print "
        "precision, recall and F1 per article and overall.",
    )
    ev.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder written by extract")
    ev.add_argument("gold_dir", metavar="GOLD_DIR", type=Path, help="folder of gold CSV files")
    ev.add_argument("--errors", action="store_true", help="list every false positive and miss")

    rp = sub.add_parser(
        "report",
        help="render the HTML reports of a corpus",
        description="Execute the notebooks on a corpus (overview, one report per article, per "
        "place and per figure category) and write HTML reports, index.html and manifest.json.",
    )
    rp.add_argument("--corpus", type=Path, default=DEFAULT.corpus_dir, help="corpus folder")
    rp.add_argument("--out", type=Path, default=DEFAULT.reports_dir, help="reports folder")
    rp.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="reports made at once (default: the machine's cores)",
    )
    rp.add_argument(
        "--only",
        metavar="PATTERN",
        help="make only the reports whose name matches this glob, e.g. 'place_*'",
    )
    rp.add_argument(
        "--places",
        metavar="NAMES",
        help="comma-separated places to report on (default: Kursk,Sudzha,Pokrovsk,Zaporizhzhia; "
        "defaults no article mentions are skipped)",
    )
    rp.add_argument("--show-code", action="store_true", help="keep the code cells in the HTML")
    rp.add_argument(
        "--follow-links",
        action="store_true",
        help="read documents that symlinks lead to outside the corpus folder",
    )
    rp.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the notebooks on the dask.distributed scheduler at ADDRESS; its workers "
        "must see the corpus and output folders at the same paths",
    )
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as an interrupt: the run cleans up (workers, kernels, temporaries)."""


def _terminate(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "report":
            return _report(args)
        if args.command == "evaluate":
            return _evaluate(args)
    except Terminated:
        print("terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except OSError as exc:
        # The machine, not the user's arguments: a full disk, a folder gone mid-run.
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    return 2


def _extract(args: argparse.Namespace) -> int:
    # Each command imports what it runs, so that --help and a mistyped option answer at once.
    from analysis.pipeline.extract import extract_corpus
    from analysis.text.corpus import CorpusError

    if args.jobs < 0:
        print("error: --jobs must be 0 (all cores) or more", file=sys.stderr)
        return 2
    try:
        result = extract_corpus(
            args.corpus_dir,
            args.out,
            DEFAULT.with_(max_file_mb=args.max_mb, follow_links=args.follow_links),
            jobs=args.jobs,
            fmt=args.format,
            progress=args.progress,
            scheduler=args.scheduler,
        )
    except (CorpusError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{result.articles} articles, {result.problems} problems -> {args.out}")
    for file, problem, action in result.problem_rows:
        print(f"  problem: {file}: {problem} ({action})", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from analysis.reports.batch import run_batch
    from analysis.text.corpus import CorpusError

    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    places = [p.strip() for p in args.places.split(",") if p.strip()] if args.places else None
    settings = DEFAULT
    if args.follow_links:
        # The report kernels read the corpus too: they take the setting from the environment.
        os.environ[FOLLOW_LINKS_ENV] = "1"
        settings = DEFAULT.with_(follow_links=True)
    try:
        index, jobs = run_batch(
            args.corpus,
            args.out,
            settings=settings,
            show_code=args.show_code,
            workers=args.jobs,
            only=args.only,
            places=places,
            scheduler=args.scheduler,
        )
    except (CorpusError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for job in jobs:
        print(f"  {job.status:7} {job.name} ({job.seconds:.1f} s) {job.error}".rstrip())
    print(f"index: {index}")
    return 1 if any(j.status == "failed" for j in jobs) else 0


def _evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.evaluation.scores import (
        GoldError,
        figure_errors,
        format_scores,
        read_gold_figures,
        read_gold_places,
        score_figures,
        score_places,
    )

    pred_path = args.out_dir / "places.csv"
    if not pred_path.is_file():
        print(f"error: {pred_path} not found (run extract first)", file=sys.stderr)
        return 2
    try:
        gold = read_gold_places(args.gold_dir)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    pred = pd.read_csv(pred_path, dtype={"article": str, "country": str}, keep_default_na=False)
    scores = score_places(pred, gold)
    print("Places")
    print(scores.round(3).to_string(index=False))
    if args.errors and not scores.attrs["errors"].empty:
        print(scores.attrs["errors"].to_string(index=False))
    fig_pred, fig_gold = args.out_dir / "figures.csv", args.gold_dir / "gold_figures.csv"
    if fig_pred.is_file() and fig_gold.is_file():
        fig_table = pd.read_csv(fig_pred, dtype={"article": str})
        fig_gold_table = read_gold_figures(fig_gold)
        print("\nFigures")
        print(format_scores(score_figures(fig_table, fig_gold_table)))
        if args.errors:
            print(figure_errors(fig_table, fig_gold_table).to_string(index=False))
    return 0
