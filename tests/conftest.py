"""Shared fixtures: the seed corpus, read once, and a factory for small corpus folders."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from analysis.settings import ROOT  # noqa: E402
from analysis.text.corpus import Corpus, load_corpus  # noqa: E402

SEEDS = ROOT / "seeds"
GOLD = Path(__file__).parent / "fixtures" / "gold"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seeds() -> Corpus:
    return load_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_articles(seeds: Corpus):
    return seeds.articles.set_index("article", drop=False)


@pytest.fixture
def make_corpus(tmp_path: Path):
    """Write files ``{name: text or bytes}`` into a fresh folder and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "corpus"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
