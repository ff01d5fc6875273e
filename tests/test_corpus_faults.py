"""Faults of reading a corpus folder (issue #11): each test reproduces one defect.

Unbounded or outside reads (devices, FIFOs, symlinks), a malformed sidecar,
UTF-16/32 with a byte-order mark, NUL and control characters anywhere in a file,
published dates that are not YYYY-MM-DD, and numbers or words inside markup and
code read as figures and places. Tests that could hang or eat memory on a
regression run the reading in a child process with a timeout and a memory cap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis.text.document as corpus_module
from analysis.figures.reading import extract_figures
from analysis.pipeline.extract import extract_corpus
from analysis.places.geoparse import extract_mentions
from analysis.settings import DEFAULT
from analysis.text.corpus import load_corpus
from analysis.text.markup import mask_markup

ARTICLE = (
    "Pyongyang has deployed some 14,000 troops to Russia, the New York Times reported. "
    "North Korean soldiers fought in Kursk Oblast alongside Russian forces.\n"
    "Ukraine said the troops suffered heavy losses near Sudzha in the Kursk region.\n"
)
SIDECAR_HEADER = "id,title,outlet,lang,published\n"

_ISOLATED = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from analysis.text.corpus import load_corpus
from analysis.settings import DEFAULT
corpus = load_corpus(sys.argv[1], DEFAULT.with_(**json.loads(sys.argv[2])))
print(json.dumps({
    "articles": corpus.articles["article"].tolist(),
    "problems": corpus.problems.values.tolist(),
}))
"""


def load_isolated(folder: Path, **settings: object) -> dict[str, list]:
    """``load_corpus`` in a child process, so that a hang or a runaway read fails the test."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _ISOLATED, str(folder), json.dumps(settings)],
            capture_output=True,
            text=True,
            timeout=90,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("reading the corpus did not finish within 90 s")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def problems_by_file(problems: list) -> dict[str, tuple[str, str]]:
    return {file: (problem, action) for file, problem, action in problems}


# ---------------------------------------------------------------- 1. unbounded and outside reads


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the corpus, with a text file the corpus must not leak."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("SECRET Pyongyang sent 99,999 troops to Kursk.\n")
    return folder


def test_symlink_to_dev_zero_is_not_read(make_corpus):
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink("/dev/zero", folder / "zero.txt")
    result = load_isolated(folder)
    assert result["articles"] == ["good"]
    problem, action = problems_by_file(result["problems"])[str(folder / "zero.txt")]
    assert problem == "symlink to outside the corpus: /dev/zero; use --follow-links to read it"
    assert action == "skipped"


def test_device_is_not_read_even_when_links_are_followed(make_corpus):
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink("/dev/zero", folder / "zero.txt")
    result = load_isolated(folder, follow_links=True)
    assert result["articles"] == ["good"]
    problem, action = problems_by_file(result["problems"])[str(folder / "zero.txt")]
    assert problem == "not a regular file (character device)"
    assert action == "skipped"


def test_fifo_is_skipped_without_blocking(make_corpus):
    folder = make_corpus({"good.txt": ARTICLE})
    os.mkfifo(folder / "pipe.txt")
    os.symlink("pipe.txt", folder / "link.txt")  # opening it for reading would wait for a writer
    result = load_isolated(folder)
    assert result["articles"] == ["good"]
    problems = problems_by_file(result["problems"])
    for name in ("pipe.txt", "link.txt"):
        assert problems[str(folder / name)] == ("not a regular file (FIFO)", "skipped")


def test_file_growing_past_its_stat_size_is_capped_by_bytes_read(make_corpus):
    """Files of /proc report size 0; the limit must hold on the bytes actually read."""
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink("/proc/self/smaps", folder / "smaps.txt")  # tens of kilobytes, size 0
    corpus = load_corpus(folder, DEFAULT.with_(follow_links=True, max_file_mb=0.0005))
    assert list(corpus.articles["article"]) == ["good"]
    [problem] = corpus.problems.to_dict("records")
    assert problem["problem"].startswith("file is over the 0.0005 MB limit for one article")
    assert "--max-mb" in problem["problem"]


def test_symlink_to_a_file_outside_is_not_read(make_corpus, outside):
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink(outside / "secret.txt", folder / "leak.txt")
    corpus = load_corpus(folder)
    assert list(corpus.articles["article"]) == ["good"]
    assert not corpus.articles["text"].str.contains("SECRET").any()
    [problem] = corpus.problems.to_dict("records")
    assert problem == {
        "file": str(folder / "leak.txt"),
        "problem": f"symlink to outside the corpus: {os.path.realpath(outside / 'secret.txt')}; "
        "use --follow-links to read it",
        "action": "skipped",
    }


def test_symlinks_outside_are_read_with_follow_links(make_corpus, outside):
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink(outside / "secret.txt", folder / "leak.txt")
    os.symlink(outside, folder / "elsewhere")
    corpus = load_corpus(folder, DEFAULT.with_(follow_links=True))
    assert corpus.problems.empty
    arts = corpus.articles.set_index("article")
    assert arts.loc["leak", "text"].startswith("SECRET")
    assert arts.loc["secret", "path"] == str(folder / "elsewhere" / "secret.txt")


def test_folder_symlink_to_outside_is_recorded_not_read(make_corpus, outside):
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink(outside, folder / "elsewhere")
    corpus = load_corpus(folder)
    assert list(corpus.articles["article"]) == ["good"]
    assert corpus.problems.to_dict("records") == [
        {
            "file": str(folder / "elsewhere"),
            "problem": f"symlink to outside the corpus: {os.path.realpath(outside)}; "
            "use --follow-links to read it",
            "action": "skipped",
        }
    ]


def test_symlinks_inside_the_corpus_are_read(make_corpus):
    folder = make_corpus({"good.txt": ARTICLE})
    (folder / "sub").mkdir()
    (folder / "sub" / "real.txt").write_text(ARTICLE.replace("Sudzha", "Pokrovsk"))
    os.symlink("real.txt", folder / "sub" / "alias.txt")
    os.symlink("../good.txt", folder / "sub" / "up.txt")
    os.symlink("sub", folder / "again")  # its files are read where they are, once
    corpus = load_corpus(folder)
    assert corpus.problems.empty
    assert sorted(corpus.articles["article"]) == ["alias", "good", "real", "up"]


def test_symlink_loops_do_not_hang(make_corpus, outside):
    folder = make_corpus({"good.txt": ARTICLE})
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "loop")
    os.symlink("self.txt", folder / "self.txt")
    os.symlink(outside, folder / "elsewhere")
    os.symlink(outside, outside / "again")  # a loop outside, met when links are followed
    os.symlink(folder, outside / "back")  # and one back into the corpus
    for follow in (False, True):
        result = load_isolated(folder, follow_links=follow)
        assert sorted(result["articles"]) == (["good", "secret"] if follow else ["good"])
        problem, action = problems_by_file(result["problems"])[str(folder / "self.txt")]
        assert problem == "unreadable: Too many levels of symbolic links"


def test_metadata_symlink_to_outside_is_not_read(make_corpus, outside):
    (outside / "metadata.csv").write_text(SIDECAR_HEADER + "good,SECRET TITLE,,,\n")
    folder = make_corpus({"good.txt": ARTICLE})
    os.symlink(outside / "metadata.csv", folder / "metadata.csv")
    corpus = load_corpus(folder)
    assert corpus.articles.iloc[0]["title"] == ""
    [problem] = corpus.problems.to_dict("records")
    assert problem["file"] == str(folder / "metadata.csv")
    assert problem["problem"].startswith("metadata file unreadable: symlink to outside the corpus")
    assert problem["action"] == "ignored file"


# ---------------------------------------------------------------- 2. a malformed metadata.csv


@pytest.mark.parametrize(
    "rows",
    [
        # the quote never closes: everything after it would be one title
        'a,Title A,Out,en,2024-01-01\nb,"Title B,Out,en,2024-01-02\nc,Title C,Out,en,2024-01-03\n',
        # the next quote opens a quoted field later on and closes the runaway one
        'a,Title A,Out,en,2024-01-01\nb,"Title B,Out,en,2024-01-02\nc,"Title C",Out,en,2024-01-03\n'
        "d,Title D,Out,en,2024-01-04\n",
        # a stray quote closes it cleanly: the row has the header's five fields, title swallowing c
        'a,Title A,Out,en,2024-01-01\nb,"Title B,Out,en,2024-01-02\nc,Title C",Out,en,2024-01-03\n'
        "d,Title D,Out,en,2024-01-04\n",
    ],
    ids=["never-closed", "closed-by-a-quoted-field", "closed-cleanly"],
)
def test_unclosed_quote_in_metadata_swallows_no_rows(make_corpus, rows):
    docs = {f"{k}.txt": ARTICLE for k in "abcd"}
    folder = make_corpus({**docs, "metadata.csv": SIDECAR_HEADER + rows})
    corpus = load_corpus(folder)
    titles = dict(zip(corpus.articles["article"], corpus.articles["title"], strict=True))
    assert titles == {"a": "Title A", "b": "", "c": "", "d": ""}
    [problem] = corpus.problems.to_dict("records")
    assert problem["file"] == str(folder / "metadata.csv")
    assert problem["problem"].startswith("line 3: unclosed quote")
    assert problem["problem"].endswith("rows from line 3 on were ignored")
    assert problem["action"] == "ignored rows"


def test_metadata_rows_with_the_wrong_number_of_fields(make_corpus):
    rows = (
        "a,Kursk, Russia,Out,en,2024-01-01\n"  # an unquoted comma: seven fields
        "b,Title B\n"  # too few
        'c,"Title C, quoted",Out,en,2024-01-03\n'
        'd,"Title D\nover two lines",Out,en,2024-01-04\n'  # a quoted line break is fine
        "\n"
    )
    docs = {f"{k}.txt": ARTICLE for k in "abcd"}
    folder = make_corpus({**docs, "metadata.csv": SIDECAR_HEADER + rows})
    corpus = load_corpus(folder)
    titles = dict(zip(corpus.articles["article"], corpus.articles["title"], strict=True))
    assert titles == {"a": "", "b": "", "c": "Title C, quoted", "d": "Title D\nover two lines"}
    assert corpus.problems.values.tolist() == [
        [str(folder / "metadata.csv"), "line 2: 6 fields where the header has 5", "ignored row"],
        [str(folder / "metadata.csv"), "line 3: 2 fields where the header has 5", "ignored row"],
    ]


def test_metadata_stray_quote_ignores_its_row_only(make_corpus):
    rows = 'a,"Title A" extra,Out,en,2024-01-01\nb,Title B,Out,en,2024-01-02\n'
    docs = {"a.txt": ARTICLE, "b.txt": ARTICLE}
    folder = make_corpus({**docs, "metadata.csv": SIDECAR_HEADER + rows})
    corpus = load_corpus(folder)
    titles = dict(zip(corpus.articles["article"], corpus.articles["title"], strict=True))
    assert titles == {"a": "", "b": "Title B"}
    [problem] = corpus.problems.to_dict("records")
    assert problem["problem"].startswith("line 2: text after a closing quote")
    assert problem["action"] == "ignored row"


# ---------------------------------------------------------------- 3. UTF-16 and UTF-32 with a BOM


@pytest.mark.parametrize(
    ("codec", "name"),
    [("utf-16", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32"), ("utf-32-be", "utf-32")],
)
def test_utf16_and_utf32_with_a_bom_are_decoded(make_corpus, codec, name):
    bom = "\ufeff" if codec.endswith("-be") else ""
    folder = make_corpus({"wide.txt": (bom + ARTICLE).encode(codec)})
    corpus = load_corpus(folder)
    assert corpus.articles.iloc[0]["text"] == ARTICLE
    assert corpus.problems.values.tolist() == [
        [str(folder / "wide.txt"), f"not UTF-8: decoded as {name}", "read"]
    ]


# ---------------------------------------------------------------- 4. NUL and control characters


def test_stray_nuls_anywhere_are_replaced_and_counted(make_corpus):
    text = ARTICLE * 60  # over 8 KB, so that one NUL lies past the old sample
    raw = text.encode()
    raw = raw[:100] + b"\x00" + raw[101:9000] + b"\x00\x1b" + raw[9002:]
    folder = make_corpus({"stray.txt": raw})
    corpus = load_corpus(folder)
    row = corpus.articles.iloc[0]
    assert len(row["text"]) == len(text)
    assert row["text"][100] == row["text"][9000] == row["text"][9001] == "\ufffd"
    assert "\x00" not in row["body"] and "\x1b" not in row["body"]
    assert corpus.problems.values.tolist() == [
        [
            str(folder / "stray.txt"),
            "3 control characters (2 NUL, 1 other) replaced by U+FFFD",
            "read",
        ]
    ]


def test_many_nuls_past_the_first_8kb_mean_binary(make_corpus):
    raw = (ARTICLE * 60).encode() + b"\x00" * 4000 + b"tail"
    folder = make_corpus({"late.txt": raw, "good.txt": ARTICLE})
    corpus = load_corpus(folder)
    assert list(corpus.articles["article"]) == ["good"]
    [problem] = corpus.problems.to_dict("records")
    assert problem["problem"].startswith("binary file, not text")


# ---------------------------------------------------------------- 5. published dates


@pytest.mark.parametrize("value", ["20241105", "2024-W45-2", "2024-02-30", "2024-11-05T10:00"])
def test_sidecar_published_must_be_a_real_yyyy_mm_dd(make_corpus, value):
    folder = make_corpus({"a.txt": ARTICLE, "metadata.csv": f"{SIDECAR_HEADER}a,T,O,en,{value}\n"})
    corpus = load_corpus(folder)
    assert corpus.articles.iloc[0]["published"] == ""
    assert corpus.problems.values.tolist() == [
        [
            str(folder / "metadata.csv"),
            f"a: published '{value}' is not YYYY-MM-DD; left empty",
            "ignored value",
        ]
    ]


def test_date_line_with_an_impossible_date_is_left_empty(make_corpus):
    folder = make_corpus({"a.txt": "date 2024-02-30\n" + ARTICLE})
    corpus = load_corpus(folder)
    row = corpus.articles.iloc[0]
    assert row["published"] == ""
    assert row["body"].startswith("Pyongyang")
    assert corpus.problems.values.tolist() == [
        [
            str(folder / "a.txt"),
            "published '2024-02-30' is not YYYY-MM-DD; left empty",
            "ignored value",
        ]
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2024-11-05", True),
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("20241105", False),
        ("2024-W45-2", False),
        ("2024-11-05T10:00", False),
        ("٢٠٢٤-١١-٠٥", False),
        ("", False),
    ],
)
def test_valid_published(value, ok):
    assert corpus_module.valid_published(value) is ok


def test_html_published_is_a_real_date_or_empty(make_corpus):
    page = (
        '<html><head><title>Troops</title><meta name="date" content="2024-W45-2"></head>'
        f"<body><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article></body></html>"
    )
    corpus = load_corpus(make_corpus({"page.html": page}))
    published = corpus.articles.iloc[0]["published"]
    assert published == "" or corpus_module.valid_published(published)


# ---------------------------------------------------------------- 6. markup and code


MARKDOWN = """# Troops in Kursk

North Korea has sent about 12,000 troops to Russia, officials in Seoul said.
<div style="width:300px">Ukraine said 450 of them were killed near Sudzha.</div>
Officials&#8212;speaking on condition of anonymity&#8212;said more would follow.
Run `deploy --count 700 --region Pokrovsk` to reproduce the model.
A [report by the ministry](https://example.org/2024/300/Kharkiv) gave the same number.
The full data is at https://example.com/Zaporizhzhia/2024/900 and was updated.
<!-- draft: 800 more from Mariupol -->

```python
troops = 5000  # Bakhmut
print(troops + 250)
```

The deployment continued through the spring, analysts said.
"""
EXPECTED_FIGURES = {12000.0, 450.0}
EXPECTED_PLACES = {"Kursk", "North Korea", "Russia", "Seoul", "Ukraine", "Sudzha"}


def test_markup_and_code_are_blanked_keeping_offsets(make_corpus):
    corpus = load_corpus(make_corpus({"a.md": MARKDOWN, "b.txt": MARKDOWN}))
    for row in corpus.articles.to_dict("records"):
        text = row["text"]
        assert len(text) == len(MARKDOWN)
        assert [i for i, c in enumerate(text) if c == "\n"] == [
            i for i, c in enumerate(MARKDOWN) if c == "\n"
        ]
        for gone in ("<div", "300px", "8212", "700", "https", "2024", "5000", "Bakhmut", "800"):
            assert gone not in text
        assert "report by the ministry" in text and "Officials—" in text
        assert "Ukraine said 450 of them were killed near Sudzha." in text
        start = MARKDOWN.index("North Korea")
        assert text[start : start + 11] == "North Korea"


def test_markup_and_code_give_no_figures_or_places(make_corpus):
    corpus = load_corpus(make_corpus({"a.md": MARKDOWN}))
    assert set(extract_figures(corpus.articles)["value"]) == EXPECTED_FIGURES
    assert set(extract_mentions(corpus.articles)["place"]) == EXPECTED_PLACES


def test_markup_and_code_give_no_figures_or_places_in_extract(make_corpus, tmp_path):
    folder = make_corpus({"a.md": MARKDOWN})
    extract_corpus(folder, tmp_path / "out", jobs=1)
    figures = pd.read_csv(tmp_path / "out" / "figures.csv")
    mentions = pd.read_csv(tmp_path / "out" / "mentions.csv")
    assert set(figures["value"]) == EXPECTED_FIGURES
    assert set(mentions["place"]) == EXPECTED_PLACES


def test_html_text_has_no_markup_and_no_urls(make_corpus):
    page = (
        "<html><head><title>Troops in Kursk</title></head><body><article>"
        f"<p>{ARTICLE}</p><p>The full data is at https://example.com/Pokrovsk/2024/900 "
        "and was updated by the ministry in the spring.</p>"
        "<pre><code>troops = 5000</code></pre></article></body></html>"
    )
    corpus = load_corpus(make_corpus({"page.html": page}))
    text = corpus.articles.iloc[0]["text"]
    assert "14,000 troops" in text
    for gone in ("<", "https", "Pokrovsk", "900"):
        assert gone not in text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # a URL ends before the sentence's full stop, and keeps a bracket it opened
        ("See https://x.org/Kursk_(city). Then", "See " + " " * 26 + ". Then"),
        ("(see www.x.org/2024/300), then", "(see " + " " * 18 + "), then"),
        ("``a `b` 700`` and `c`", " " * 13 + " and    "),
        # a backtick used as an apostrophe is not code
        ("Kyiv`s 300 troops and Russia`s 400", "Kyiv`s 300 troops and Russia`s 400"),
        # a fence never closed is left alone rather than blanking the rest of the text
        ("```\n12,000 troops\n", "```\n12,000 troops\n"),
        ("more <5% and >2%", "more <5% and >2%"),
        # an entity is its character, padded; one that is none is blanked
        ("![map 2024](m.png) &amp; &nosuch; &#0;", " " * 19 + "&     " + " " * 9 + "\ufffd   "),
    ],
)
def test_mask_markup_cases(text, masked):
    assert mask_markup(text) == masked
