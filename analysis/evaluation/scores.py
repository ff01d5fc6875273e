"""Score extracted tables against hand-made gold tables.

Places (:func:`score_places`): precision, recall, F1.

A predicted place matches a gold place of the same article when the country is
the same and the points lie within 25 km for populated places, 150 km for
admin-1 regions and 1,000 km for informal regions; a country matches by its code
alone. Gold rows with ``required=0`` count neither way: matching one is no
credit, missing it no fault, and a prediction that matches only such a row is no
false positive. Each gold row is matched at most once.

Figures (:func:`score_figures`): a prediction matches a gold row of the same
article when its value equals the gold value or one of the gold bounds, or one
of its own bounds equals the gold value (all within 0.5 %). A figure stated
twice in one article counts once: predictions of the same article with the
same value are one prediction (the first in the text speaks for the group).
Gold rows with ``required=0`` count neither way: matching one is no true
positive, missing one no false negative, and a prediction that matches one is
no false positive. Category, qualifier, subject, source, source entity and
as-of accuracy are taken on the matched required rows; a source agrees when both
are empty or one names the other (case and punctuation aside: "NIS" in "South
Korea's NIS"); a source entity as :func:`same_entity` says.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis.figures.entities import entity_named
from analysis.places.resolve import distance_km
from analysis.settings import ROOT

GOLD_FIGURES = ROOT / "tests" / "fixtures" / "gold" / "gold_figures.csv"
GOLD_FIGURE_COLUMNS = [
    "article", "value", "low", "high", "qualifier", "unit", "category", "subject", "source",
    "asof", "required", "note",
]  # fmt: skip
FIGURE_SCORE_COLUMNS = [
    "article",
    "tp",
    "fp",
    "fn",
    "precision",
    "recall",
    "f1",
    "category_accuracy",
    "qualifier_accuracy",
    "subject_accuracy",
    "source_accuracy",
    "entity_accuracy",
    "asof_accuracy",
]
TOLERANCE = 0.005


def read_gold_figures(path: str | Path = GOLD_FIGURES) -> pd.DataFrame:
    """The gold figures table (``required`` defaults to 1)."""
    gold = pd.read_csv(path, dtype={"article": str})
    if "required" not in gold.columns:
        gold["required"] = 1
    gold["required"] = gold["required"].fillna(1).astype(int)
    return gold


def _close(a: object, b: object) -> bool:
    """Whether two numbers agree within the tolerance (NaN never agrees).

    Examples:
        >>> _close(5800000, 5810000), _close(100, 101), _close(float("nan"), 1)
        (True, False, False)
    """
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    if math.isnan(x) or math.isnan(y):
        return False
    return abs(x - y) <= TOLERANCE * max(abs(x), abs(y)) or x == y


def _figures_match(pred: pd.Series, gold: pd.Series) -> bool:
    gold_values = (gold.get("value"), gold.get("low"), gold.get("high"))
    if any(_close(pred["value"], g) for g in gold_values):
        return True
    return any(_close(pred.get(b), gold.get("value")) for b in ("low", "high"))


def _figure_groups(pred: pd.DataFrame) -> list[pd.Series]:
    """One prediction per distinct value (in text order), so a repeated figure counts once."""
    if "start" in pred.columns:
        pred = pred.sort_values("start", kind="stable")
    groups: list[pd.Series] = []
    for _, row in pred.iterrows():
        if not any(_close(row["value"], g["value"]) for g in groups):
            groups.append(row)
    return groups


def _score_article_figures(pred: pd.DataFrame, gold: pd.DataFrame) -> dict[str, float]:
    groups = _figure_groups(pred)
    used: set[int] = set()
    tp = fp = cat_ok = qual_ok = subj_ok = src_ok = ent_ok = asof_ok = 0
    order = sorted(range(len(gold)), key=lambda i: -int(gold.iloc[i]["required"]))
    matched_gold: set[int] = set()
    for i in order:
        g = gold.iloc[i]
        for j, p in enumerate(groups):
            if j not in used and _figures_match(p, g):
                used.add(j)
                matched_gold.add(i)
                if int(g["required"]) == 1:
                    tp += 1
                    cat_ok += str(p.get("category")) == str(g.get("category"))
                    qual_ok += str(p.get("qualifier")) == str(g.get("qualifier"))
                    subj_ok += _text(p.get("subject")) == _text(g.get("subject"))
                    src_ok += same_source(p.get("source"), g.get("source"))
                    ent_ok += same_entity(p, g)
                    asof_ok += _text(p.get("asof")) == _text(g.get("asof"))
                break
    fp = len(groups) - len(used)
    fn = sum(
        1 for i in range(len(gold)) if i not in matched_gold and int(gold.iloc[i]["required"]) == 1
    )
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "cat_ok": cat_ok,
        "qual_ok": qual_ok,
        "subj_ok": subj_ok,
        "src_ok": src_ok,
        "ent_ok": ent_ok,
        "asof_ok": asof_ok,
    }


def _text(value: object) -> str:
    """A cell as text, empty for a missing value."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _words(value: object) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in _text(value).casefold()).split())


def same_source(pred: object, gold: object) -> bool:
    """Whether a predicted source names the gold one: both empty, or one contains the other
    as whole words, case and punctuation aside.

    Examples:
        >>> same_source("South Korea's NIS", "NIS"), same_source("", None)
        (True, True)
        >>> same_source("she", "NIS"), same_source("the NIS said", "NI")
        (False, False)
    """
    p, g = _words(pred), _words(gold)
    if not p or not g:
        return p == g
    return f" {g} " in f" {p} " or f" {p} " in f" {g} "


def same_entity(pred: pd.Series | dict, gold: pd.Series | dict) -> bool:
    """Whether a predicted figure names the gold figure's source entity.

    Both sides are read through the source registry (``"NIS (KR)"`` and ``"NIS"`` are
    one entity); a person and the institution they speak for agree (Sabrina Singh and
    the Pentagon); names the registry lacks agree when one names the other
    (:func:`same_source`). A gold figure with no source as written is the outlet's own
    voice: the prediction agrees when it is unattributed or names the gold entity.

    Examples:
        >>> same_entity({"source_entity": "Sabrina Singh"}, {"source_entity": "Pentagon (US)"})
        True
        >>> same_entity({"source_entity": ""}, {"source_entity": "BBC", "source": ""})
        True
        >>> same_entity({"source_entity": "HUR"}, {"source_entity": "NIS (KR)", "source": "x"})
        False
    """
    p, g = _text(pred.get("source_entity")), _text(gold.get("source_entity"))
    if not _text(gold.get("source")) and not p:
        return True
    if not p or not g:
        return p == g
    pe, ge = entity_named(p), entity_named(g)
    if pe is not None and ge is not None:
        return pe.name == ge.name or ge.name in (pe.org,) or pe.name in (ge.org,)
    return same_source(p, g) or same_source(pe.name if pe else p, ge.name if ge else g)


def _rates(c: dict[str, float]) -> dict[str, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "category_accuracy": c["cat_ok"] / tp if tp else math.nan,
        "qualifier_accuracy": c["qual_ok"] / tp if tp else math.nan,
        "subject_accuracy": c.get("subj_ok", 0) / tp if tp else math.nan,
        "source_accuracy": c.get("src_ok", 0) / tp if tp else math.nan,
        "entity_accuracy": c.get("ent_ok", 0) / tp if tp else math.nan,
        "asof_accuracy": c.get("asof_ok", 0) / tp if tp else math.nan,
    }


def score_figures(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 and category/qualifier accuracy per article and overall.

    Args:
        pred: a figures table (columns article, value, low, high, category, qualifier, ...).
        gold: a gold table (columns article, value, low, high, category, qualifier, required).

    Returns:
        One row per article found in either table, then an 'overall' row (micro
        averages), with the columns :data:`FIGURE_SCORE_COLUMNS`.

    Examples:
        >>> gold = pd.DataFrame({"article": ["a", "a"], "value": [100, 7],
        ...     "low": [100, 7], "high": [None, 7], "qualifier": ["more_than", "exact"],
        ...     "category": ["missiles", "other"], "required": [1, 0]})
        >>> pred = pd.DataFrame({"article": ["a", "a", "a"], "value": [100.0, 100.0, 3.0],
        ...     "low": [100.0, 100.0, 3.0], "high": [None, None, 3.0],
        ...     "qualifier": ["more_than"] * 3, "category": ["missiles"] * 3, "start": [0, 50, 90]})
        >>> score_figures(pred, gold)[["article", "tp", "fp", "fn", "f1"]].to_dict("records")[-1]
        {'article': 'overall', 'tp': 1, 'fp': 1, 'fn': 0, 'f1': 0.6666666666666666}
    """
    articles = sorted(set(gold["article"].astype(str)) | set(pred["article"].astype(str)))
    rows = []
    total: dict[str, float] = dict.fromkeys(
        ("tp", "fp", "fn", "cat_ok", "qual_ok", "subj_ok", "src_ok", "ent_ok", "asof_ok"), 0
    )
    for art in articles:
        counts = _score_article_figures(
            pred[pred["article"].astype(str) == art], gold[gold["article"].astype(str) == art]
        )
        for k in total:
            total[k] += counts[k]
        rows.append(
            {"article": art, **{k: counts[k] for k in ("tp", "fp", "fn")}, **_rates(counts)}
        )
    rows.append(
        {"article": "overall", **{k: total[k] for k in ("tp", "fp", "fn")}, **_rates(total)}
    )
    return pd.DataFrame(rows, columns=FIGURE_SCORE_COLUMNS)


def format_scores(scores: pd.DataFrame) -> str:
    """A score table as aligned plain text (rates to three decimals, '-' for none).

    Examples:
        >>> print(format_scores(pd.DataFrame([{"article": "overall", "tp": 1, "f1": 0.5}])))
        article  tp    f1
        overall   1 0.500
    """
    shown = scores.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda x: "-" if pd.isna(x) else f"{x:.3f}")
    return shown.to_string(index=False)


def figure_errors(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Gold rows with the prediction they matched (or none), to read the misses."""
    out = []
    for _, g in gold.iterrows():
        cands = pred[pred["article"].astype(str) == str(g["article"])]
        hit = next((p for _, p in cands.iterrows() if _figures_match(p, g)), None)
        out.append(
            {
                "article": g["article"],
                "gold_value": g["value"],
                "gold_category": g.get("category"),
                "gold_qualifier": g.get("qualifier"),
                "pred_category": None if hit is None else hit["category"],
                "pred_qualifier": None if hit is None else hit["qualifier"],
                "required": g["required"],
            }
        )
    return pd.DataFrame(out)


# Places ----------------------------------------------------------------------
GOLD_PLACE_COLUMNS = ["article", "surface", "place", "lat", "lon", "country", "kind", "required"]
RADIUS_KM = {
    "city": 25.0,
    "town": 25.0,
    "village": 25.0,
    "admin1": 150.0,
    "region": 1000.0,
    "other": 25.0,
}


class GoldError(ValueError):
    """The gold file is missing or lacks columns."""


def read_gold_places(gold_dir: str | Path) -> pd.DataFrame:
    """``GOLD_DIR/gold_places.csv`` as a DataFrame.

    Raises:
        GoldError: "gold file not found: PATH" or "PATH lacks columns: ...".
    """
    path = Path(gold_dir) / "gold_places.csv"
    if not path.is_file():
        raise GoldError(f"gold file not found: {path}")
    gold = pd.read_csv(path, dtype={"article": str, "country": str}, keep_default_na=False)
    missing = [c for c in GOLD_PLACE_COLUMNS if c not in gold.columns]
    if missing:
        raise GoldError(f"{path} lacks columns: {', '.join(missing)}")
    gold["required"] = pd.to_numeric(gold["required"], errors="coerce").fillna(1).astype(int)
    return gold


def match_distance(pred: pd.Series, gold: pd.Series) -> float | None:
    """Distance in km if ``pred`` may match ``gold`` (0 for countries), else None."""
    if str(pred["country"]) != str(gold["country"]):
        return None
    if gold["kind"] == "country" or pred["kind"] == "country":
        return 0.0 if gold["kind"] == pred["kind"] else None
    radius = RADIUS_KM.get(str(gold["kind"]), 25.0)
    d = distance_km(float(pred["lat"]), float(pred["lon"]), float(gold["lat"]), float(gold["lon"]))
    return d if d <= radius else None


def place_matches(pred: pd.Series, gold: pd.Series) -> bool:
    """Whether one predicted place is the gold place (same country, close enough).

    Examples:
        >>> p = pd.Series({"country": "RU", "kind": "city", "lat": 51.73, "lon": 36.19})
        >>> g = pd.Series({"country": "RU", "kind": "admin1", "lat": 51.5, "lon": 36.0})
        >>> place_matches(p, g)
        True
    """
    return match_distance(pred, gold) is not None


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_places(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Per-article and overall precision, recall and F1 of predicted places.

    Returns:
        One row per gold or predicted article and an ``overall`` row:
        ``article, tp, fp, fn, precision, recall, f1``; and, in ``attrs["errors"]``,
        the false positives and false negatives for inspection.
    """
    rows, errors = [], []
    articles = sorted(set(gold["article"]) | set(pred["article"]))
    for art in articles:
        g = gold[gold["article"] == art].reset_index(drop=True)
        p = pred[pred["article"] == art].reset_index(drop=True)
        # Pair predictions and gold rows closest first, each used once.
        pairs = sorted(
            (d, i, j)
            for i, prow in p.iterrows()
            for j, grow in g.iterrows()
            if (d := match_distance(prow, grow)) is not None
        )
        used: set[int] = set()
        matched: dict[int, int] = {}
        for _d, i, j in pairs:
            if i not in matched and j not in used:
                matched[i] = j
                used.add(j)
        tp = sum(int(g.at[j, "required"] == 1) for j in matched.values())
        fp = 0
        for i, prow in p.iterrows():
            if i not in matched:
                fp += 1
                errors.append((art, "false positive", prow["place"], prow["country"], prow["kind"]))
        fn_rows = [j for j in range(len(g)) if j not in used and g.at[j, "required"] == 1]
        errors += [
            (art, "missed", g.at[j, "place"], g.at[j, "country"], g.at[j, "kind"]) for j in fn_rows
        ]
        rows.append((art, tp, fp, len(fn_rows), *_prf(tp, fp, len(fn_rows))))
    tp, fp, fn = (int(sum(r[i] for r in rows)) for i in (1, 2, 3))
    rows.append(("overall", tp, fp, fn, *_prf(tp, fp, fn)))
    out = pd.DataFrame(rows, columns=["article", "tp", "fp", "fn", "precision", "recall", "f1"])
    out.attrs["errors"] = pd.DataFrame(
        errors, columns=["article", "error", "place", "country", "kind"]
    )
    return out
