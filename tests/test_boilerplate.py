"""The boilerplate cut: nothing of the page furniture reaches the body, offsets stay true."""

from __future__ import annotations

from conftest import SEEDS

from analysis.text.boilerplate import body_spans, join_spans

SEED0 = "000_60bf0c177671397f"
ARTICLE_END = 'something Gorbenko warned could escalate into "World War III."'


def _furniture_lines(text: str) -> list[str]:
    """The lines of seed 000 after its article ends (from 'Read also' on)."""
    tail = text[text.index("Read also:") :]
    return [line.strip() for line in tail.splitlines() if line.strip()]


def test_no_boilerplate_of_seed_000_in_body(seed_articles):
    row = seed_articles.loc[SEED0]
    body = row["body"]
    assert body.rstrip().endswith(ARTICLE_END)
    for line in _furniture_lines(row["text"]):
        assert line not in body
    for phrase in (
        "Cardano",
        "Musk",
        "Biden",
        "Tennessee",
        "DOWNLOAD",
        "Orange background",
        "Yahoo29-04-2025",
        "logo",
        "Consider supporting",
    ):
        assert phrase not in body


def test_header_chrome_and_repeated_title_cut(seed_articles):
    body = seed_articles.loc[SEED0]["body"]
    title = "What's next for North Korean troops fighting for Russia?"
    assert body.count(title) == 1
    assert body.startswith(title)


def test_spans_point_into_the_original_text(seeds):
    for row in seeds.articles.itertuples():
        assert join_spans(row.text, row.body_spans) == row.body
        for s, e in row.body_spans:
            assert 0 <= s < e <= len(row.text)
            assert row.text[s:e].strip() == row.text[s:e]


def test_article_paragraphs_are_kept(seed_articles):
    for row in seed_articles.itertuples():
        if row.article == SEED0:
            continue
        # Every sentence-like line of the other seeds is article text, except the credits.
        kept = set(row.body.split("\n"))
        lost = [
            line.strip()
            for line in row.text.splitlines()
            if line.strip().endswith((".", '"', "“")) and line.strip() not in kept
        ]
        assert all(
            ("contributed to" in x or "Herausgegeben" in x or x.startswith("date ")) for x in lost
        ), lost


def test_german_related_stories_block_cut(seed_articles):
    body = seed_articles.loc["003_10e8ed9bd3fd314a"]["body"]
    assert "VERWANDTE GESCHICHTEN" not in body
    assert "Seoul bestätigt" not in body
    assert "Treibstoff zum Feuer" not in body
    assert "Dem Bericht der Ukraine folgte auch" in body
    assert "Die USA schätzten, dass mehr als 10.000" in body


def test_an_unmarked_paragraph_on_another_subject_is_kept():
    """When in doubt, keep (#15): a paragraph of running text late in the page is the
    article's even when its words differ from the lead, as long as no pattern marks it
    as furniture. Losing article text is the worst failure the cut can have."""
    text = (SEEDS / f"{SEED0}.txt").read_text()
    article = text[: text.index("Read also:")]
    crypto = text[text.index("The cryptocurrency market") :].split("\n")[0]
    doc = article + "\n\n" + crypto + "\n"
    body = join_spans(doc, body_spans(doc))
    assert ARTICLE_END in body and crypto in body


def test_an_unrelated_list_of_headlines_late_in_the_page_is_cut():
    """A block of short headline-like lines on other subjects is furniture (a link list)
    even without a marker; the article's own paragraphs before it stay."""
    text = (SEEDS / f"{SEED0}.txt").read_text()
    article = text[: text.index("Read also:")]
    links = "\n".join(
        [
            "Cardano price finds strong support after dramatic swings in crypto markets",
            "Celebrity chef opens seventh restaurant downtown amid booming tourism season",
            "Streaming giant unveils cheaper subscription plan with advertising breaks",
            "Football club signs teenage striker from rival academy for record transfer fee",
            "Weather service warns of heatwave across southern counties this weekend",
            "Smartphone maker recalls charging cables after overheating complaints",
        ]
    )
    doc = article + "\n\n" + links + "\n"
    body = join_spans(doc, body_spans(doc))
    assert body.rstrip().endswith(ARTICLE_END)
    assert "Cardano" not in body and "heatwave" not in body


def test_end_marker_needs_an_article_first():
    text = "Comments\nNorth Korean troops fought in Kursk, officials said on Monday.\n"
    assert join_spans(text, body_spans(text)).startswith("North Korean troops")


def test_empty_and_odd_texts():
    assert body_spans("") == []
    assert body_spans("\n\n  \n") == []
    assert join_spans("Related Articles", body_spans("Related Articles")) == ""
