"""The seed corpus: byte-for-byte copies, a metadata row each, a provenance record each."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from conftest import SEEDS, SHARED_SEEDS

from analysis.settings import ROOT


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared/ is not beside this checkout")
def test_seeds_are_byte_copies_of_shared():
    shared = sorted(p.name for p in SHARED_SEEDS.iterdir())
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == shared
    for name in shared:
        assert (SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes()


def test_metadata_has_a_row_per_document_with_a_date_basis():
    meta = pd.read_csv(SEEDS / "metadata.csv", dtype=str).fillna("")
    assert sorted(meta["id"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert set(meta.columns) >= {"id", "title", "outlet", "lang", "published", "date_basis"}
    for row in meta.itertuples():
        pd.Timestamp(row.published)
        assert row.date_basis.split(":")[0] in {"stated", "inferred"}
    assert (meta["date_basis"].str.startswith("stated")).sum() == 2


@pytest.mark.parametrize(
    ("folder", "data"), [("seeds", "seeds"), ("geo", "analysis/geodata")], ids=["seeds", "geo"]
)
def test_every_data_file_has_a_provenance_record_with_a_licence(folder, data):
    """Each data file (the geographic data is package data, built by geo/build.py) is
    recorded, with its licence and checksum, in its folder's provenance.json."""
    if not (ROOT / folder / "provenance.json").exists():
        pytest.fail(f"{folder}/provenance.json is missing")
    records = json.loads((ROOT / folder / "provenance.json").read_text())
    base = ROOT / data
    records = (
        records.get("records", records.get("files", records))
        if isinstance(records, dict)
        else records
    )
    by_file = {r["file"]: r for r in records}
    for path in sorted(base.iterdir()):
        if path.name in {"provenance.json", "README.md", "build.py"} or path.name.startswith("."):
            continue
        if path.is_dir() or path.suffix == ".py":
            continue
        assert path.name in by_file, f"{folder}/{path.name} has no provenance record"
        record = by_file[path.name]
        assert record.get("licence"), f"{folder}/{path.name}: provenance record lacks a licence"
        if "sha256" in record:
            assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), path.name
