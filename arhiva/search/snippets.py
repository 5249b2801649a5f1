"""Snippets of a document around the words a query matched, with page numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from arhiva.romanian.letters import fold, fold_romanian, to_comma_below
from arhiva.search.analyzer import word_terms, words_with_offsets

CONTEXT = 70  # characters either side of a match
#: Matches are looked for in the first this many characters of a long document.
SCAN_LIMIT = 300_000
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    page: int
    parts: list[tuple[str, bool]]  # (text, is_match)

    @property
    def text(self) -> str:
        return "".join(part for part, _ in self.parts)


def make_snippets(text: str, terms: dict[str, set[str]], most: int = 2) -> list[Snippet]:
    """Up to ``most`` snippets of ``text`` around the words whose indexed terms matched.

    ``terms`` maps a field name to the terms of that field that the query
    matched; each field's own analyzer finds them in the text. Pages are
    separated by form feeds in the stored text.

    >>> text = "Ședința de azi.\\fHotărârile au fost aprobate."
    >>> [(s.page, s.text) for s in make_snippets(text, {"content": {"hotarar"}})]
    [(2, 'Hotărârile au fost aprobate.')]
    """
    wanted = [(field, found) for field, found in terms.items() if found]
    spans = _matched_spans(text[:SCAN_LIMIT], wanted)
    snippets: list[Snippet] = []
    pending = next(spans, None)
    while pending is not None and len(snippets) < most:
        start, end = pending
        page_lo = text.rfind("\f", 0, start) + 1
        page_hi = text.find("\f", end) % (len(text) + 1)
        lo = max(page_lo, _word_start(text, max(0, start - CONTEXT)))
        hi = min(page_hi, _word_end(text, min(len(text), end + CONTEXT)))
        inside = [pending]
        pending = next(spans, None)
        # The matches within this snippet; the first one beyond it starts the next.
        while pending is not None and pending[0] < hi:
            if pending[1] <= hi:
                inside.append(pending)
            pending = next(spans, None)
        snippets.append(Snippet(text.count("\f", 0, start) + 1, _respace(text, lo, inside, hi)))
    return snippets


def _matched_spans(text: str, wanted: list[tuple[str, set[str]]]) -> Iterator[tuple[int, int]]:
    """The offsets of the words whose indexed terms are wanted, in order, found lazily.

    Every term is the folded word or a stem that keeps the word's beginning,
    so a word whose first two folded letters begin no wanted term is passed
    over without stemming it.
    """
    starts = {term[:2] for _, found in wanted for term in found}
    for start, end, word in _candidates(text, starts):
        folded = fold(word)
        if folded[:2] not in starts and folded[:1] not in starts:
            continue
        indexed = word_terms(word)
        if any(term in found for field, found in wanted for term in indexed.get(field, ())):
            yield start, end


def _candidates(text: str, starts: set[str]) -> Iterator[tuple[int, int, str]]:
    """The words of ``text`` (as :func:`words_with_offsets` gives them) that may
    begin with one of ``starts``, found by one regular expression over the
    lowercased text with Romanian letters folded; words with other non-ASCII
    letters among their first two are all kept, as that folding misses them."""
    low = fold_romanian(text.lower())
    if len(low) != len(text) or not starts:
        yield from words_with_offsets(text)
        return
    prefixes = "|".join(re.escape(p) for p in sorted(starts, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{prefixes}|[^\W\x00-\x7f]|\w[^\W\x00-\x7f])\w*")
    for match in pattern.finditer(low):
        start, end = match.span()
        yield start, end, to_comma_below(text[start:end].lower())


def _respace(text: str, lo: int, spans: list[tuple[int, int]], hi: int) -> list[tuple[str, bool]]:
    """Cut text[lo:hi] into plain and matched parts, with whitespace folded to single spaces."""
    parts: list[tuple[str, bool]] = []
    cursor = lo
    for s, e in spans:
        parts.append((_squeeze(text[cursor:s]), False))
        parts.append((text[s:e], True))
        cursor = e
    parts.append((_squeeze(text[cursor:hi]), False))
    parts[0] = (parts[0][0].lstrip(), parts[0][1])
    parts[-1] = (parts[-1][0].rstrip(), parts[-1][1])
    return [(p, m) for p, m in parts if p]


def _squeeze(fragment: str) -> str:
    return _SPACES.sub(" ", fragment)


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return pos
