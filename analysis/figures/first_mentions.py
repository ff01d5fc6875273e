"""Where each capitalised word of an article is first written.

The source reader asks it for bare names ("Klein") to read the words before
their first mention ("Russia expert Margarete Klein"); the text is indexed only
as far as the look-ups need, so that however many names are looked up the
article is read once.
"""

from __future__ import annotations

import re

# Runs of word characters that may be a capitalised name (ASCII lower case and digits skipped).
_NAME_RUN = re.compile(r"(?<!\w)(?![a-z\d_])\w+")
_NON_WORD = re.compile(r"\W")
_WORD_CHAR = re.compile(r"\w")


class FirstMentions:
    """Where each capitalised word of an article is first written.

    The text is indexed from the start only as far as a look-up needs, in chunks
    that double, so that however many names are looked up the article is read
    once: looking each up with a search of the whole text made extraction
    quadratic in the article's size.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.first: dict[str, int] = {}
        self.indexed = 0
        self.other: dict[str, int | None] = {}  # names holding non-word characters

    def find(self, name: str) -> int | None:
        """Offset of the first ``name`` that stands as a word of its own
        (``(?<!\\w)name(?!\\w)``), or None."""
        head = _NAME_RUN.match(name)
        if head is not None and head.end() == len(name):
            return self._word(name)
        if name not in self.other:
            # "O'Brien", "Jong-un": the name is first written where its first run of
            # word characters is first written as a whole word, or later.
            at = self._word(head.group()) if head is not None else 0
            self.other[name] = None if at is None else self._whole(name, at)
        return self.other[name]

    def _whole(self, name: str, at: int) -> int | None:
        """The first ``name`` from ``at`` on with no word character either side."""
        text, n = self.text, len(name)
        pos = text.find(name, at)
        while pos >= 0:
            before = text[pos - 1 : pos] if pos else ""
            after = text[pos + n : pos + n + 1]
            if not _WORD_CHAR.match(before) and not _WORD_CHAR.match(after):
                return pos
            pos = text.find(name, pos + 1)
        return None

    def _word(self, word: str) -> int | None:
        pos = self.first.get(word)
        while pos is None and self.indexed < len(self.text):
            self._index_more()
            pos = self.first.get(word)
        return pos

    def _index_more(self) -> None:
        text, start = self.text, self.indexed
        end = min(len(text), start + max(1024, start))
        if end < len(text):  # end on a non-word character, so that no word is cut
            m = _NON_WORD.search(text, end)
            end = m.start() if m else len(text)
        first = self.first
        for m in _NAME_RUN.finditer(text, start, end):
            first.setdefault(m.group(), m.start())
        self.indexed = end
