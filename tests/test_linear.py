"""Extraction grows with the article, not with its square: the mechanisms, counted.

Timing goals live in ``benchmarks.run`` (``python -m benchmarks.run --linear``),
not here. These tests count the work that must not grow faster than the input,
for an article and one four times as long (both made by
:func:`benchmarks.run.big_article`): the characters copied out of the text (a
search of the whole text for each figure's source, a quote or a clause copied
per figure, the whole line read again for each name), the characters handed to
pysbd (whose time grows with the square of what it reads) and the great-circle
distances measured between places. Each of these grew with the square of the
article before. And an article written twice gives each copy the figures and
places the article gives alone.
"""

from __future__ import annotations

import random
import re

import pytest

import analysis.figures.sentence_spans as sentence_spans
import analysis.places.resolve as resolve
from analysis.figures.reading import PYSBD_MAX, article_figures, lexicon
from analysis.places.gazetteer import load_gazetteer, normalise
from analysis.places.geoparse import mention_rows
from analysis.text.boilerplate import body_spans
from analysis.text.corpus import load_corpus
from benchmarks.run import big_article
from benchmarks.synthetic import generate, load_towns

GROWTH = 4.6  # allowed growth of a count for an input 4 times as long (linear: about 4)


class CountingText(str):
    """A text that counts the characters sliced out of it."""

    copied = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        out = str.__getitem__(self, key)
        if isinstance(key, slice):
            self.copied += len(out)
        return out


def _extract(text: str) -> tuple[list, list]:
    spans = body_spans(text)
    figs = article_figures("a", text, spans, "en", "2025-05-01")
    return figs, mention_rows("a", text, spans, "en", load_gazetteer())


@pytest.mark.parametrize("shape", ["paragraphs", "one_line", "one_sentence"])
def test_text_copied_grows_with_the_article(shape: str) -> None:
    copied, found = [], []
    for mb in (0.05, 0.2):
        text = CountingText(big_article(mb, shape))
        figs, places = _extract(text)
        copied.append(text.copied / len(text))
        found.append((len(figs), len(places)))
    assert found[1][0] >= 3.5 * found[0][0] and found[1][1] >= 3.5 * found[0][1], found
    # Characters copied per character of the article: the same for both lengths.
    assert copied[1] <= copied[0] * GROWTH / 4, copied


def _run_on_line(n: int) -> str:
    """One line, no full stop, dense with the initials and titles pysbd must judge."""
    unit = "Gen. Smith and Dr. Jones of the U.S. Army said 5,000 troops moved, "
    return "date 2025-05-01\n\n" + unit * n + "\n"


def test_pysbd_never_reads_a_whole_run_on_line(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[list[int]] = []

    def recorder(text: str, lang: str, s: int, e: int) -> list[tuple[int, int]]:
        read[-1].append(e - s)
        return [(s, e)]  # the stretch as one sentence: what is counted is what pysbd gets

    monkeypatch.setattr(sentence_spans, "split_sentences", recorder)
    for n in (200, 800):
        read.append([])
        text = _run_on_line(n)
        article_figures("a", text, body_spans(text), "en", "2025-05-01")
    assert read[0] and read[1]
    assert max(read[0] + read[1]) <= PYSBD_MAX
    # pysbd's work (the square of each stretch) grows with the line, not its square.
    squares = [sum(x * x for x in r) for r in read]
    assert squares[1] <= squares[0] * GROWTH, squares


def test_nearness_does_not_measure_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    measured = [0]
    distance = resolve.distance_km

    def counting(*args: float) -> float:
        measured[0] += 1
        return distance(*args)

    monkeypatch.setattr(resolve, "distance_km", counting)
    gaz = load_gazetteer()
    towns = sorted({t.en for t in load_towns() if re.fullmatch(r"[A-Z][a-z]+", t.en)})
    random.Random(0).shuffle(towns)
    per_place, found = [], []
    for n in (60, 240):
        text = "\n".join(f"Shelling was reported in {town} on Monday." for town in towns[:n])
        measured[0] = 0
        rows = mention_rows("a", text, [(0, len(text))], "en", gaz)
        places = sum(len(gaz.names[normalise(town)]) for town in towns[:n])
        per_place.append(measured[0] / places)
        found.append(len({r[3] for r in rows}))
    assert found[1] >= 3.5 * found[0], found
    # Each candidate place is measured against a few anchors, not against every other
    # name's place (which made the count per place grow with the names: 4 times here).
    assert per_place[1] <= per_place[0] * 2, per_place


def _articles() -> list[tuple[str, str, list[tuple[int, int]], str, str]]:
    seeds = [
        (a.article, a.text, list(a.body_spans), a.lang, a.published)
        for a in load_corpus().articles.itertuples()
    ]
    synthetic = []
    for art in generate(6, seed=3):
        text = art.text
        synthetic.append((art.article, text, body_spans(text), art.lang, text[5:15]))
    return seeds + synthetic


@pytest.mark.parametrize("article", _articles(), ids=lambda a: a[0])
def test_an_article_written_twice_gives_each_copy_its_figures_and_places(article) -> None:
    name, text, spans, lang, published = article
    offset = len(text) + 2
    twice = text + "\n\n" + text
    spans2 = spans + [(s + offset, e + offset) for s, e in spans]
    once = article_figures(name, text, spans, lang, published)
    both = article_figures(name, twice, spans2, lang, published)
    first = [r for r in both if r["start"] < offset]
    second = [
        {**r, "start": r["start"] - offset, "end": r["end"] - offset}
        for r in both
        if r["start"] >= offset
    ]
    assert len(first) == len(second) == len(once)
    pronoun = lexicon(lang).pronoun
    for alone, copy1, copy2 in zip(once, first, second, strict=True):
        # 'repeat': the value was stated earlier in the article, which in the second
        # copy it was. A pronoun or generic noun ("officials said", "the agency") stands
        # for the entity named before it: none for the first copy (then the figure is
        # unattributed), the first copy's for the second.
        same = {k for k in alone if k != "repeat"}
        assert {k: copy1[k] for k in same} == {k: alone[k] for k in same}
        if not alone["source"] or pronoun.match(alone["source"]):
            same -= {"source", "source_entity", "source_country", "source_kind", "via"}
        assert {k: copy2[k] for k in same} == {k: alone[k] for k in same}

    gaz = load_gazetteer()
    once_m = mention_rows(name, text, spans, lang, gaz)
    both_m = mention_rows(name, twice, spans2, lang, gaz)
    assert [m for m in both_m if m[1] < offset] == once_m
    second_m = [(m[0], m[1] - offset, m[2] - offset, *m[3:]) for m in both_m if m[1] >= offset]
    assert second_m == once_m


def test_a_big_article_is_reproducible_and_varied() -> None:
    one, again = big_article(0.05, "paragraphs"), big_article(0.05, "paragraphs")
    assert one == again and len(one.encode()) >= 50_000
    # Each copy gives the seeds' people other names ("Russia expert Margarete Klein").
    names = re.findall(r"Russia expert Margarete (\w+)", one)
    assert len(set(names)) >= 3 and "Klein" not in names  # one name per copy
    rng = random.Random(0)
    for shape in ("one_line", "one_sentence"):
        text = big_article(0.05, shape)
        body = text.split("\n\n", 1)[1].strip()
        assert "\n" not in body
        if shape == "one_sentence":
            sample = body[rng.randrange(len(body) - 2000) :][:2000]
            assert not re.search(r"[a-z][.!?] ", sample)


def test_a_long_article_read_on_two_cores_gives_the_same_tables(monkeypatch, tmp_path):
    """With a core to spare, a long article's lines are judged in two processes, its
    figures read in a forked child while its places are read here, and its long tables
    rendered in two processes: the tables must be byte for byte those of one process."""
    import os

    from analysis.pipeline import extract, pools
    from analysis.pipeline.pools import Forked

    assert Forked(os.getpid).result() != os.getpid(), "the work runs in another process"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, article in enumerate(load_corpus().articles.itertuples()):
        (corpus / f"a{i}.txt").write_text(article.text, encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "a1.txt").rename(corpus / "sub" / "a0.txt")  # a duplicate id, renamed
    monkeypatch.setattr(extract, "available_cores", lambda: 2)
    alone = extract.extract_corpus(corpus, tmp_path / "alone", jobs=1, fmt="both")
    monkeypatch.setattr(pools, "SPLIT_CHARS", 100)
    monkeypatch.setattr(extract, "SPLIT_ROWS", 2)
    split = extract.extract_corpus(corpus, tmp_path / "split", fmt="both")
    assert alone.articles == split.articles == 5
    assert "sub/a0," in (tmp_path / "split" / "figures.csv").read_text(encoding="utf-8")
    for path in alone.written:
        assert path.read_bytes() == (tmp_path / "split" / path.name).read_bytes(), path.name


def test_a_long_text_is_cut_the_same_in_two_processes(monkeypatch):
    from analysis.pipeline import pools

    text = big_article(0.05, "paragraphs", seed=3) + "\nRelated Articles\nBitcoin soars 5%.\n"
    alone = body_spans(text)
    monkeypatch.setattr(pools, "SPLIT_CHARS", 100)
    assert body_spans(text, spare_core=True) == alone


def test_a_figures_child_that_fails_skips_its_article_whole(monkeypatch, tmp_path):
    """A failure while a long article's figures are read elsewhere is a problem row, and
    none of that article's rows is written (as when one process reads it)."""
    from analysis.pipeline import extract, pools, tables

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, article in enumerate(load_corpus().articles.itertuples()):
        (corpus / f"a{i}.txt").write_text(article.text, encoding="utf-8")

    def fails(article, *args):
        if article == "a2":
            raise ValueError("no figures here")
        return real(article, *args)

    real = tables.figure_rows
    monkeypatch.setattr(tables, "figure_rows", fails)
    monkeypatch.setattr(extract, "available_cores", lambda: 2)
    monkeypatch.setattr(pools, "SPLIT_CHARS", 100)
    result = extract.extract_corpus(corpus, tmp_path / "out")
    assert result.articles == 4
    assert result.problem_rows == [
        (str(corpus / "a2.txt"), "extraction failed: ValueError: no figures here", "skipped")
    ]
    for name in ("articles", "mentions", "places", "figures"):
        table = (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8")
        assert "a1," in table and "a2," not in table, name


def test_a_child_that_fails_is_done_again_here():
    import os

    from analysis.pipeline.pools import Forked

    parent = os.getpid()

    def fails_in_the_child() -> int:
        if os.getpid() != parent:
            raise RuntimeError("child failed")
        return 7

    assert Forked(fails_in_the_child).result() == 7
