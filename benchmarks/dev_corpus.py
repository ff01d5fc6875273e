"""The development corpus of real news excerpts (``tests/fixtures/dev``): its split by
outlet, and the scores of the extractors on each half, field by field.

``python -m benchmarks.dev_corpus`` prints, for the work half and the check half:
place precision, recall and F1; figure precision, recall and F1; and, on the
figures matched, the accuracy of category, qualifier, subject, source (as written),
source entity and as-of date; the check half also per language.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import pandas as pd

from analysis.evaluation.scores import score_figures, score_places
from analysis.settings import ROOT
from analysis.tables import extract_tables

DEV = ROOT / "tests" / "fixtures" / "dev"
CHECK_SHARE = 1 / 3


def read_manifest(folder: Path = DEV) -> pd.DataFrame:
    """The manifest, ids as text, dates and outlets as written."""
    return pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)


def split_by_outlet(manifest: pd.DataFrame, share: float = CHECK_SHARE) -> pd.Series:
    """``work`` or ``check`` per excerpt: whole outlets go to the check half, taken in a
    fixed pseudo-random order (a hash of the outlet's name), until it holds ``share`` of
    the excerpts; English and German are split separately so both halves hold both.

    Examples:
        >>> m = pd.DataFrame({"outlet": list("aabcdef"), "lang": ["en"] * 7})
        >>> split_by_outlet(m).value_counts().to_dict()
        {'work': 5, 'check': 2}
    """
    half = pd.Series("work", index=manifest.index)
    for _, part in manifest.groupby("lang", sort=True):
        outlets = sorted(
            part["outlet"].unique(), key=lambda o: hashlib.sha256(o.encode()).hexdigest()
        )
        target, taken = round(len(part) * share), 0
        for outlet in outlets:
            n = int((part["outlet"] == outlet).sum())
            if taken + n > target and taken:
                continue
            half[part.index[part["outlet"] == outlet]] = "check"
            taken += n
            if taken >= target:
                break
    return half


def once_per_value(gold: pd.DataFrame) -> pd.DataFrame:
    """The gold figures with a value repeated in one article kept once (its first required
    row): the scorer counts a repeated prediction once, so it counts the gold so too.

    Examples:
        >>> g = pd.DataFrame({"article": ["a", "a", "a"], "value": [5.0, 5.0, 7.0],
        ...                   "required": [0, 1, 1]})
        >>> once_per_value(g)[["value", "required"]].to_dict("list")
        {'value': [5.0, 7.0], 'required': [1, 1]}
    """
    ranked = gold.assign(_order=range(len(gold))).sort_values(
        ["article", "value", "required", "_order"], ascending=[True, True, False, True]
    )
    kept = ranked.drop_duplicates(["article", "value"]).sort_values("_order")
    return kept.drop(columns="_order").reset_index(drop=True)


def articles(folder: Path = DEV) -> pd.DataFrame:
    """The excerpts as a DataFrame of articles (id, text, language, date)."""
    m = read_manifest(folder)
    texts = [(folder / f).read_text(encoding="utf-8") for f in m["file"]]
    return pd.DataFrame(
        {"article": m["id"], "text": texts, "lang": m["lang"], "published": m["date"]}
    )


def scores(folder: Path = DEV) -> pd.DataFrame:
    """One row per measure, one column per half (and ``all``)."""
    m = read_manifest(folder)
    tables = extract_tables(articles(folder))
    gold_places = pd.read_csv(folder / "gold_places.csv", dtype={"article": str})
    gold_figures = once_per_value(pd.read_csv(folder / "gold_figures.csv", dtype={"article": str}))
    gold_figures = gold_figures.merge(
        m[["id", "outlet"]].rename(columns={"id": "article"}), on="article", how="left"
    )
    out = {}
    for half in ("work", "check", "check en", "check de", "all"):
        part = m if half == "all" else m[m["half"] == half.split()[0]]
        if " " in half:
            part = part[part["lang"] == half.split()[1]]
        ids = set(part["id"])
        places = score_places(
            tables.places[tables.places["article"].isin(ids)],
            gold_places[gold_places["article"].isin(ids)],
        ).iloc[-1]
        figures = score_figures(
            tables.figures[tables.figures["article"].isin(ids)],
            gold_figures[gold_figures["article"].isin(ids)],
        ).iloc[-1]
        out[half] = {
            "articles": len(ids),
            "place precision": places["precision"],
            "place recall": places["recall"],
            "place F1": places["f1"],
            "figure precision": figures["precision"],
            "figure recall": figures["recall"],
            "figure F1": figures["f1"],
            "category (matched)": figures["category_accuracy"],
            "qualifier (matched)": figures["qualifier_accuracy"],
            "subject (matched)": figures["subject_accuracy"],
            "source (matched)": figures["source_accuracy"],
            "source entity (matched)": figures["entity_accuracy"],
            "as-of (matched)": figures["asof_accuracy"],
        }
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=DEV)
    args = ap.parse_args(argv)
    table = scores(args.folder)
    print(table.to_string(float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
