"""Loading a corpus: the seeds, metadata sources, HTML, and every kind of bad input."""

from __future__ import annotations

import hashlib
import os
import re
import shutil

import pandas as pd
import pytest
from conftest import SEEDS, is_root

from analysis.settings import DEFAULT
from analysis.text.corpus import ARTICLE_COLUMNS, CorpusError, load_corpus

ARTICLE = (
    "Pyongyang has deployed some 14,000 troops to Russia, the New York Times reported. "
    "North Korean soldiers fought in Kursk Oblast alongside Russian forces.\n"
    "Ukraine said the troops suffered heavy losses near Sudzha in the Kursk region.\n"
)


def test_seeds_load_one_row_each(seeds):
    arts = seeds.articles
    assert list(arts.columns) == ARTICLE_COLUMNS
    assert sorted(arts["article"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert seeds.problems.empty


def test_seed_rows_keep_text_and_hash(seed_articles):
    for path in SEEDS.glob("*.txt"):
        row = seed_articles.loc[path.stem]
        raw = path.read_bytes()
        assert row["text"] == raw.decode("utf-8")
        assert row["sha256"] == hashlib.sha256(raw).hexdigest()
        assert row["path"] == str(path)


def test_seed_metadata_from_sidecar(seed_articles):
    meta = pd.read_csv(SEEDS / "metadata.csv", dtype=str).fillna("")
    for m in meta.itertuples():
        row = seed_articles.loc[m.id]
        assert (row["title"], row["lang"], row["published"]) == (m.title, m.lang, m.published)
    assert seed_articles.loc["003_10e8ed9bd3fd314a", "lang"] == "de"


def test_date_line_is_metadata_not_text(make_corpus):
    text = (SEEDS / "002_18f77753319eb318.txt").read_text()
    folder = make_corpus({"a.txt": text})
    row = load_corpus(folder).articles.iloc[0]
    assert row["published"] == "2024-12-15"
    assert row["body"].startswith("Russian paramilitary soldiers")
    assert "date 2024" not in row["body"]


def test_without_metadata_fields_are_empty_not_invented(make_corpus):
    folder = make_corpus({"plain.txt": ARTICLE})
    row = load_corpus(folder).articles.iloc[0]
    assert (row["title"], row["published"], row["outlet"]) == ("", "", "")
    assert (row["lang"], row["lang_source"]) == ("en", "detected")


def test_language_detected_for_german(make_corpus):
    folder = make_corpus(
        {"de.md": "Nordkorea hat mehr als 10.000 Soldaten nach Russland geschickt, sagten die USA."}
    )
    assert load_corpus(folder).articles.iloc[0]["lang"] == "de"


def test_html_goes_through_extractor(make_corpus):
    page = f"""<html><head><title>Troops in Kursk</title>
    <meta property="og:site_name" content="Example News"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/crypto">Bitcoin prices</a></nav>
    <article><h1>Troops in Kursk</h1>
    {"".join(f"<p>{line}</p>" for line in ARTICLE.splitlines())}
    <p>Officials said the deployment began in December and continued through the spring,
    with several thousand more soldiers expected to follow in the coming months.</p>
    </article><footer>Copyright Example News. Subscribe to our newsletter.</footer></body></html>"""
    folder = make_corpus({"page.html": page})
    row = load_corpus(folder).articles.iloc[0]
    assert row["title"] == "Troops in Kursk"
    assert "14,000 troops" in row["body"]
    assert "<p>" not in row["text"] and "Bitcoin" not in row["body"]


def test_sidecar_with_bad_date_is_recorded(make_corpus):
    folder = make_corpus(
        {"a.txt": ARTICLE, "metadata.csv": "id,title,published\na,Title A,29/04/2025\n"}
    )
    corpus = load_corpus(folder)
    assert corpus.articles.iloc[0]["title"] == "Title A"
    assert corpus.articles.iloc[0]["published"] == ""
    assert "not YYYY-MM-DD" in corpus.problems.iloc[0]["problem"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \t", "empty file (whitespace only)"),
        ("image.txt", bytes(range(256)) * 40, "binary file, not text"),
        ("png.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary file"),
        ("dateonly.txt", b"date 2025-01-01\n", "only a metadata line"),
    ],
)
def test_bad_document_is_skipped_and_recorded(make_corpus, name, content, message):
    folder = make_corpus({name: content, "good.txt": ARTICLE})
    corpus = load_corpus(folder)
    assert list(corpus.articles["article"]) == ["good"]
    [problem] = corpus.problems.to_dict("records")
    assert problem["file"].endswith(name)
    assert message in problem["problem"]
    assert problem["action"] == "skipped"


def test_not_utf8_is_read_and_says_which_encoding(make_corpus):
    text = "Die Truppen kämpften in der Region Kursk. Über 10.000 Soldaten, sagte Südkorea. " * 3
    folder = make_corpus({"latin.txt": text.encode("cp1252")})
    corpus = load_corpus(folder)
    assert corpus.articles.iloc[0]["text"] == text
    [problem] = corpus.problems.to_dict("records")
    assert problem["problem"].startswith("not UTF-8: decoded as ")
    # Several single-byte encodings decode this text alike; any of them is a right answer.
    assert re.fullmatch(r"cp125\d|iso8859_\d+|latin_1", problem["problem"].split()[-1])
    assert problem["action"] == "read"


def test_large_file_is_skipped_with_its_size(make_corpus):
    folder = make_corpus({"big.txt": ("word " * 10_485_760).encode(), "good.txt": ARTICLE})
    corpus = load_corpus(folder)
    [problem] = corpus.problems.to_dict("records")
    assert "file is 50.0 MB, over the 10 MB limit" in problem["problem"]
    assert "--max-mb" in problem["problem"]
    assert list(corpus.articles["article"]) == ["good"]


def test_large_file_is_read_when_the_limit_allows(make_corpus):
    folder = make_corpus({"big.txt": ARTICLE * 2000})
    corpus = load_corpus(folder, DEFAULT.with_(max_file_mb=0.1))
    assert "over the 0.1 MB limit" in corpus.problems.iloc[0]["problem"]
    assert len(load_corpus(folder).articles) == 1


def test_unreadable_entries_are_recorded(make_corpus):
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")
    (folder / "folder.txt").mkdir()
    corpus = load_corpus(folder)
    problems = dict(zip(corpus.problems["file"], corpus.problems["problem"], strict=True))
    assert problems[str(folder / "dangling.txt")].startswith("unreadable: ")
    assert problems[str(folder / "folder.txt")].startswith("unreadable: ")
    assert list(corpus.articles["article"]) == ["good"]


@pytest.mark.skipif(is_root(), reason="root reads files whatever their permissions")
def test_permission_denied_is_recorded(make_corpus):
    folder = make_corpus({"secret.txt": ARTICLE, "good.txt": ARTICLE})
    (folder / "secret.txt").chmod(0)
    corpus = load_corpus(folder)
    assert corpus.problems.iloc[0]["problem"] == "unreadable: Permission denied"


def test_folder_without_documents(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    with pytest.raises(CorpusError, match=r"no documents \(\.txt, \.md, \.html, \.htm\) in "):
        load_corpus(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found: .*nowhere"):
        load_corpus(tmp_path / "nowhere")


def test_file_instead_of_folder(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "a.txt")


def test_inputs_are_not_modified(make_corpus, tmp_path):
    folder = make_corpus({"a.txt": ARTICLE})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load_corpus(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    shutil.rmtree(folder)
