"""Sentences with offsets: abbreviations, decimals, thousands and quotes in English and German."""

from __future__ import annotations

from analysis.text.sentences import sentence_table, split_sentences


def _texts(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, lang)]


def test_english_abbreviations_and_decimals():
    text = (
        "Rob Lee, a former U.S. marine, said Gen. Syrskyi was right. "
        "North Korea delivered 5.8 million shells by April 2025. "
        '"It is hard," he said. It sent 14,000 troops.'
    )
    assert _texts(text, "en") == [
        "Rob Lee, a former U.S. marine, said Gen. Syrskyi was right.",
        "North Korea delivered 5.8 million shells by April 2025.",
        '"It is hard," he said.',
        "It sent 14,000 troops.",
    ]


def test_german_abbreviations_thousands_and_quotes():
    text = (
        "Nordkorea schickte etwa 7.000 Container, z. B. mit Munition. "
        "„Der Aggressorstaat Russland hat mehr als 100 Raketen erhalten.“ "
        "Die USA schätzten 10.000 Soldaten."
    )
    assert _texts(text, "de") == [
        "Nordkorea schickte etwa 7.000 Container, z. B. mit Munition.",
        "„Der Aggressorstaat Russland hat mehr als 100 Raketen erhalten.“",
        "Die USA schätzten 10.000 Soldaten.",
    ]


def test_offsets_within_a_window():
    text = "Header.\nFirst one. Second one.\nFooter."
    start = text.index("First")
    end = text.index("\nFooter")
    spans = split_sentences(text, "en", start, end)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one."]


def test_sentence_table_on_seeds(seeds):
    table = sentence_table(seeds.articles)
    assert set(table["article"]) == set(seeds.articles["article"])
    texts = seeds.articles.set_index("article")["text"]
    for row in table.sample(40, random_state=0).itertuples():
        assert texts[row.article][row.start : row.end] == row.sentence
    assert not table["sentence"].str.contains("Cardano").any()


def test_blank_input():
    assert split_sentences("", "en") == []
    assert split_sentences("   \n", "de") == []
