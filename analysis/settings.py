"""One typed settings object for paths and options, with one root constant.

Every path the package reads or writes by default derives from :data:`ROOT`,
the checkout the package was installed from, so that notebooks, the command
line and the tests agree on where the seeds, the geographic data and the
reports are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PACKAGE: Path = Path(__file__).resolve().parent
"""The installed package (its data files: geographic data, vocabularies, notebooks)."""

ROOT: Path = PACKAGE.parent
"""The project's root folder (the checkout holding ``seeds/``, ``geo/`` and ``notebooks/``)."""

DOCUMENT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm")
"""File types read as documents; everything else in a corpus folder is ignored."""

SIDECAR_NAMES: tuple[str, ...] = ("metadata.csv",)
"""Optional metadata file in a corpus folder, one row per document."""


FOLLOW_LINKS_ENV = "NKWAR_FOLLOW_LINKS"
"""``1`` in the environment makes ``follow_links`` the default (how ``report
--follow-links`` reaches the kernels that read the corpus)."""


def _default_cache() -> Path:
    env = os.environ.get("NKWAR_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nk-war-analysis"


@dataclass(frozen=True)
class Settings:
    """Paths and options of a run; ``Settings()`` gives the defaults.

    Attributes:
        corpus_dir: folder of documents read when none is given (the seeds).
        geo_dir: derived geographic data (Natural Earth, curated places), package
            data built by ``geo/build.py``.
        notebooks_dir: the parameterised notebooks the report batch runs.
        reports_dir: where ``python -m analysis report`` writes HTML.
        cache_dir: compiled gazetteer and other caches (``NKWAR_CACHE`` overrides).
        max_file_mb: documents larger than this are skipped and recorded as a
            problem rather than read; a news article is rarely over 1 MB.
        follow_links: read documents (and enter folders) that symlinks in the
            corpus lead to outside the corpus folder; off by default, so that a
            link to a device or to private files elsewhere is recorded, not read.
        kernel_name: Jupyter kernel the report batch executes notebooks with.
    """

    corpus_dir: Path = ROOT / "seeds"
    geo_dir: Path = PACKAGE / "geodata"
    notebooks_dir: Path = PACKAGE / "reports" / "notebooks"
    reports_dir: Path = ROOT / "reports"
    cache_dir: Path = field(default_factory=_default_cache)
    max_file_mb: float = 10.0
    follow_links: bool = field(default_factory=lambda: os.environ.get(FOLLOW_LINKS_ENV) == "1")
    kernel_name: str = "python3"

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (``Settings().with_(max_file_mb=1)``)."""
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT = Settings()
