"""The output folder of a report batch: its data files and what it keeps of earlier runs.

A batch makes everything in a staging folder of its claimed output folder
(:func:`analysis.pipeline.outdir.claim`) and publishes it at the end, so an
interrupted run leaves the previous reports as they were. This module holds
what goes into that folder besides the reports: the data files (maps, charts,
places, figures) the reports embed, the earlier reports a run with ``--only``
keeps listed, the files an earlier version wrote (adopted, so they are replaced
rather than refused), and the list of files a run publishes.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import re
from collections.abc import Sequence
from pathlib import Path

from analysis.reports.planning import ReportJob
from analysis.reports.tables import CorpusTables

INDEX_FILES = ["index.html", "manifest.json"]
"""The files of a batch besides its reports and data: the index page and the manifest."""


def write_exports(
    tables: CorpusTables,
    data_dir: Path,
    places: Sequence[str] = (),
    workers: int = 1,
    executor: cf.Executor | None = None,
) -> Path:
    """The data files of the corpus (maps, charts, places, figures) written into ``data_dir``.

    The batch passes a folder inside its staging folder and publishes it with the reports.
    """
    # Imported here: it pulls in matplotlib and geopandas.
    from analysis.visuals.exports import export_all

    articles = tables.corpus.articles
    categories = sorted(set(tables.figures["category"]))
    export_all(
        articles, tables.places, tables.figures, data_dir, place_maps=places,
        categories=categories, workers=workers, executor=executor,
    )  # fmt: skip
    return data_dir


def with_earlier_reports(
    out_dir: Path, jobs: list[ReportJob], corpus: Path, order: list[str]
) -> list[ReportJob]:
    """This run's jobs plus earlier reports of the same corpus still on disk (after ``--only``).

    Only reports the full plan (``order``) still has are kept: a report of an
    article no longer in the corpus, or under an older name, goes. Listed in the
    order of the full plan, so the index does not depend on which reports a run remade.
    """
    kept: list[ReportJob] = []
    try:
        earlier = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = {}
    if earlier.get("corpus", {}).get("dir") == str(corpus):
        names, planned = {j.name for j in jobs}, set(order)
        kept = [
            ReportJob(**{k: r[k] for k in ReportJob.__dataclass_fields__ if k in r})
            for r in earlier.get("reports", [])
            if r.get("name") not in names
            and r.get("name") in planned
            and (out_dir / f"{r.get('name')}.html").is_file()
        ]
    rank = {name: i for i, name in enumerate(order)}
    return sorted(jobs + kept, key=lambda j: (rank.get(j.name, len(rank)), j.name))


_LEGACY_DATA = re.compile(
    r"(?:(?:theatre_map|context_map|casualties|munitions|overview"
    r"|(?:article_map|place_map|timeline)_[a-z0-9_-]+)\.(?:png|svg))"
    r"|places\.geojson|places\.gpkg|figures\.csv"
)
"""The data files earlier versions wrote; anything else in their ``data/`` is the user's."""


def earlier_files(out_dir: Path) -> list[str] | None:
    """The files a report batch of an earlier version wrote into ``out_dir`` (which has no
    marker), or None when its ``manifest.json`` is not this tool's."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("tool", {}).get("name") != "nk-war-analysis":
        return None
    names = [str(r.get("name")) for r in manifest.get("reports", []) if isinstance(r, dict)]
    files = [f"{n}.{ext}" for n in names for ext in ("html", "ipynb")]
    data = out_dir / "data"
    if data.is_dir():
        files += [f"data/{p.name}" for p in data.iterdir() if _LEGACY_DATA.fullmatch(p.name)]
    theirs = {p.name for p in out_dir.iterdir()} - {f.split("/")[0] for f in files}
    theirs -= set(INDEX_FILES)
    if any(not n.startswith(".") for n in theirs):
        return None  # the user's own files sit beside the reports: not a folder we own
    return sorted(files + INDEX_FILES)


def published_files(
    staging: Path, todo: list[ReportJob], shown: list[ReportJob], jobs: list[ReportJob], data: Path
) -> tuple[list[str], list[str]]:
    """What a run publishes from ``staging``, and the earlier reports it keeps in place.

    Made: the HTML and executed notebook of each report run (``todo``) that was
    written, the data files, the index and the manifest. Kept: the files of the
    earlier reports the index lists (``shown``) that this run (``jobs``) did not remake.
    """
    made = [f"{j.name}.{ext}" for j in todo for ext in ("html", "ipynb")]
    made += [f"data/{p.name}" for p in sorted(data.iterdir()) if p.is_file()]
    made = [f for f in made if (staging / f).is_file()] + INDEX_FILES
    kept = [f"{j.name}.{ext}" for j in shown if j not in jobs for ext in ("html", "ipynb")]
    return made, kept
