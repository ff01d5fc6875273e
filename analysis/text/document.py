"""Reading one document: bounded and inside the corpus, decoded, its markup blanked.

Reading is bounded and stays in the folder: only regular files are read
(devices, FIFOs and sockets are recorded, never opened in a way that could
block), at most the size limit is read whatever the file claims its size is,
and a symlink that leads outside the corpus folder is recorded rather than
followed unless :attr:`Settings.follow_links <analysis.settings.Settings>` is
set. Text is decoded by its byte-order mark (UTF-16, UTF-32), as UTF-8, or by
detection; a few stray NUL or control characters are replaced by U+FFFD and
counted, many mean a binary file. Markup and code in the text (HTML tags and
entities, Markdown code, link targets, URLs) are blanked, keeping every offset,
so that their numbers are not read as figures nor their words as places
(:func:`article_row`). The folder as a whole is read by :mod:`analysis.text.corpus`.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from analysis.settings import DEFAULT, SIDECAR_NAMES, Settings
from analysis.text.boilerplate import Span, body_spans, join_spans
from analysis.text.markup import mask_markup

SIDECAR_MAX_MB = 100.0
"""A ``metadata.csv`` larger than this is not read (half a million rows fit well under it)."""

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?[ \t]*", re.IGNORECASE)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, newline, FF, CR
_BINARY = "binary file, not text (expected UTF-8 text, Markdown or HTML)"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose mark begins it
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class DocumentError(Exception):
    """One document cannot be read; the message says why, for the problems table."""


@dataclass
class Document:
    """One document as read, before it becomes a table row.

    ``problems`` holds the caveats of a document that was read, as
    ``(problem, action)`` pairs: "read" when the text was read with a caveat,
    "ignored value" when a metadata value was dropped.
    """

    article: str
    path: Path
    text: str
    sha256: str
    encoding: str
    body_start: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The problem texts alone, whatever their action."""
        return [problem for problem, _action in self.problems]


def leads_outside(path: Path, real_root: Path) -> bool:
    """Whether ``path``, all symlinks resolved, lies outside the (resolved) corpus folder."""
    return not Path(os.path.realpath(path)).is_relative_to(real_root)


# ---------------------------------------------------------------- reading a file


def read_bounded(path: Path, root: Path, settings: Settings, limit_mb: float, what: str) -> bytes:
    """The bytes of a regular file inside the corpus, never more than ``limit_mb``.

    The limit holds on the bytes actually read, not on the size the file
    claims (devices and files of ``/proc`` claim 0). The file's kind is checked
    before it is opened, and again on the open file, which is opened without
    blocking, so a FIFO is never waited on.

    Raises:
        DocumentError: "symlink to outside the corpus: TARGET; ...", "unreadable:
            it is a folder, not a file", "not a regular file (KIND)", "file is N MB,
            over the M MB limit ..." (or "file is over ..." when the size is
            unknown), "unreadable: REASON".
    """
    if not settings.follow_links and leads_outside(path, Path(os.path.realpath(root))):
        raise DocumentError(
            f"symlink to outside the corpus: {os.path.realpath(path)}; "
            "use --follow-links to read it"
        )
    limit = int(limit_mb * 1024 * 1024)
    try:
        st = os.stat(path)
        _check_regular(st.st_mode)
        if st.st_size > limit:
            raise DocumentError(_over_limit(limit_mb, what, st.st_size))
        with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as fh:
            _check_regular(os.fstat(fh.fileno()).st_mode)
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise DocumentError(f"unreadable: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise DocumentError(_over_limit(limit_mb, what))
    return raw


def corpus_file_bytes(path: Path, root: Path, settings: Settings = DEFAULT) -> bytes:
    """The bytes of one corpus file under the rules documents are read by (a regular file
    inside ``root``, at most ``settings.max_file_mb``, or :data:`SIDECAR_MAX_MB` for the
    metadata sidecar), for hashing inputs.

    Raises:
        DocumentError: as :func:`read_document` for a file it would not read.
    """
    limit = SIDECAR_MAX_MB if path.name in SIDECAR_NAMES else settings.max_file_mb
    return read_bounded(path, root, settings, limit, "for one file")


def _check_regular(mode: int) -> None:
    """Raise unless ``mode`` is a regular file's, naming what it is instead."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise DocumentError("unreadable: it is a folder, not a file")
    kinds = (
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "special file")
    raise DocumentError(f"not a regular file ({kind})")


def _over_limit(limit_mb: float, what: str, size: int | None = None) -> str:
    """The problem text of a file over its size limit, with its size when known."""
    prefix = "file is " if size is None else f"file is {size / 1024 / 1024:.1f} MB, "
    return f"{prefix}over the {limit_mb:g} MB limit {what}"


# ---------------------------------------------------------------- decoding


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: by its byte-order mark, UTF-8 if it is,
    else the best detected.

    The mark is looked at first because UTF-16 and UTF-32 are full of NUL bytes,
    which would otherwise read as binary.

    Raises:
        DocumentError: "binary file, not text ..." or "not text: no known encoding decodes it".
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError:
                continue
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_binary(raw.decode("latin-1")):  # one character per byte
        raise DocumentError(_BINARY)
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise DocumentError("not text: no known encoding decodes it")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    """Whether control characters are too many for text, over the whole file.

    More than 1 NUL in 100 characters, or more than 5 control characters (NUL
    included; tab, newline, form feed and carriage return excluded) in 100: a
    text with a few stray ones is text, and is cleaned by :func:`_replace_controls`.

    Examples:
        >>> _looks_binary("Troops in Kursk. " * 20 + "\\x00"), _looks_binary("a\\x00b\\x00" * 10)
        (False, True)
    """
    nuls = text.count("\x00")
    controls = len(_CONTROL.findall(text))
    return nuls * 100 > len(text) or controls * 20 > len(text)


def _replace_controls(text: str) -> tuple[str, str | None]:
    """The text with NUL and other control characters replaced by U+FFFD, and what was done.

    One character for one keeps every offset; the replacement character shows
    in quotes that something was there and, unlike a space, joins no numbers.

    Examples:
        >>> _replace_controls("14\\x00000 troops\\x1b")
        ('14\\ufffd000 troops\\ufffd', '2 control characters (1 NUL, 1 other) replaced by U+FFFD')
    """
    found = len(_CONTROL.findall(text))
    if not found:
        return text, None
    nuls = text.count("\x00")
    kinds = ", ".join(f"{n} {name}" for n, name in ((nuls, "NUL"), (found - nuls, "other")) if n)
    plural = "s" if found > 1 else ""
    return _CONTROL.sub("\ufffd", text), (
        f"{found} control character{plural} ({kinds}) replaced by U+FFFD"
    )


# ---------------------------------------------------------------- one document


def read_document(
    path: Path, settings: Settings = DEFAULT, *, root: Path | None = None
) -> Document:
    """Read one document, decoding and (for HTML) extracting its text.

    Args:
        path: the document.
        settings: the size limit and whether symlinks may lead outside ``root``.
        root: the corpus folder; a symlink leading outside it is refused. When
            omitted, the document's own folder (the strictest reading).

    Raises:
        DocumentError: with the message the problems table records: "empty file",
            "file is N MB, over the M MB limit ...", "binary file, not text",
            "unreadable: ...", "not a regular file (KIND)", "symlink to outside the
            corpus: TARGET; use --follow-links to read it", "not text: no known
            encoding decodes it", "HTML page with no article text found".
    """
    raw = read_bounded(
        path,
        root if root is not None else path.parent,
        settings,
        settings.max_file_mb,
        "for one article; raise max_file_mb (--max-mb) to read it",
    )
    if not raw:
        raise DocumentError("empty file")
    text, encoding = _decode(raw)
    if not text.strip():
        raise DocumentError("empty file (whitespace only)")
    if _looks_binary(text):
        raise DocumentError(_BINARY)
    doc = Document(path.stem, path, text, hashlib.sha256(raw).hexdigest(), encoding)
    if encoding != "utf-8":
        doc.problems.append((f"not UTF-8: decoded as {encoding}", "read"))
    doc.text, replaced = _replace_controls(text)
    if replaced:
        doc.problems.append((replaced, "read"))
    if path.suffix.lower() in (".html", ".htm"):
        _extract_html(doc)
    else:
        _read_text_metadata(doc)
    if not doc.text[doc.body_start :].strip():
        raise DocumentError("empty file (only a metadata line)")
    return doc


def _read_text_metadata(doc: Document) -> None:
    """The leading ``date YYYY-MM-DD`` line (metadata, not text) and a Markdown title."""
    m = _DATE_LINE.match(doc.text)
    if m:
        _set_published(doc, m.group(1))
        doc.body_start = m.end()
    if doc.path.suffix.lower() == ".md":
        h = re.match(r"\s*#\s+(.+)", doc.text[doc.body_start :])
        if h:
            doc.meta["title"] = h.group(1).strip()


def _extract_html(doc: Document) -> None:
    """Replace the HTML with its main text, through trafilatura, keeping page metadata.

    Offsets of an HTML document refer to this extracted text. Code elements
    (``code``, ``kbd``, ``samp``) are dropped first: their numbers are not
    figures, as Markdown code is blanked (see :func:`mask_markup`).
    """
    import trafilatura
    from lxml import etree

    tree = trafilatura.load_html(doc.text)
    if tree is None:
        raise DocumentError("HTML page with no article text found")
    etree.strip_elements(tree, "code", "kbd", "samp", with_tail=False)
    result = trafilatura.bare_extraction(
        tree, include_comments=False, include_tables=False, with_metadata=True
    )
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise DocumentError("HTML page with no article text found")
    title = getattr(result, "title", None)
    if title:
        doc.meta["title"] = title
        # Keep the title inside the text so its places are found with offsets.
        text = f"{title}\n\n{text}"
    published = getattr(result, "date", None)
    if published:
        _set_published(doc, str(published))
    outlet = getattr(result, "sitename", None)
    if outlet:
        doc.meta["outlet"] = str(outlet)
    doc.text = text


def valid_published(value: str) -> bool:
    """Whether a published date is a real day written ``YYYY-MM-DD``, and nothing else.

    Python 3.11's ``date.fromisoformat`` also takes ``20241105`` and
    ``2024-W45-2``; one column must not mix forms, nor hold impossible days.

    Examples:
        >>> [valid_published(v) for v in ("2024-11-05", "20241105", "2024-W45-2", "2024-02-30")]
        [True, False, False, False]
    """
    if not _ISO_DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _set_published(doc: Document, value: str) -> None:
    """Keep a document's published date when valid, else record it as ignored."""
    if valid_published(value):
        doc.meta["published"] = value
    else:
        doc.problems.append((f"published '{value}' is not YYYY-MM-DD; left empty", "ignored value"))


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, by py3langid (deterministic).

    Examples:
        >>> detect_language("Nordkorea hat mehr als 100 Raketen nach Russland geschickt.")
        'de'
        >>> detect_language("North Korea sent more than 100 missiles to Russia.")
        'en'
    """
    import py3langid

    # A few thousand characters decide the language of a news article; more only costs time.
    lang, _score = py3langid.classify(text[:3000])
    return str(lang)


def article_row(
    doc: Document, sidecar: dict[str, str], spare_core: bool = False
) -> dict[str, object]:
    """The articles-table row of a document: metadata merged, markup blanked, body cut,
    language known (``spare_core``: see :func:`analysis.text.boilerplate.body_spans`).

    ``text`` is the document with :func:`mask_markup` applied (same length, so
    offsets into it are offsets into the file as read); ``body_spans`` and
    ``body`` are cut from it. Every extractor reads ``text`` within
    ``body_spans``, so none of them sees markup or code.
    """
    meta = {k: v for k, v in doc.meta.items() if v}
    meta.update({k: v for k, v in sidecar.items() if v})
    text = mask_markup(doc.text)
    spans: list[Span] = body_spans(text, doc.body_start, spare_core)
    body = join_spans(text, spans)
    lang, lang_source = meta.get("lang", ""), "metadata"
    if not lang:
        lang, lang_source = (detect_language(body), "detected") if body.strip() else ("", "")
    return {
        "article": doc.article,
        "title": meta.get("title", ""),
        "lang": lang,
        "published": meta.get("published", ""),
        "outlet": meta.get("outlet", ""),
        "path": str(doc.path),
        "sha256": doc.sha256,
        "text": text,
        "body": body,
        "body_spans": spans,
        "lang_source": lang_source,
        "encoding": doc.encoding,
    }
