"""Snippets of a document around the words and phrases a query matched, with page numbers."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from arhiva.romanian.letters import fold_romanian, to_comma_below
from arhiva.search.analyzer import TOKEN_PATTERN, word_terms, words_with_offsets

CONTEXT = 70  # characters either side of a match
#: Matches are looked for in the first this many characters of a long document.
SCAN_LIMIT = 300_000
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class Snippet:
    page: int
    parts: list[tuple[str, bool]]  # (text, is_match)

    @property
    def text(self) -> str:
        return "".join(part for part, _ in self.parts)


def make_snippets(text: str, terms: dict[str, set[str]], most: int = 2,
                  phrases: list[tuple[str, ...]] | None = None) -> list[Snippet]:
    """Up to ``most`` snippets of ``text`` around the words whose indexed terms matched.

    ``terms`` maps a field name to the terms of that field that the query
    matched; each field's own analyzer finds them in the text. ``phrases``
    are the query's phrases, as the words of the ``exact`` field: when the
    text has one, the snippets are taken around them (the phrase marked as one
    match), else around the words. Pages are separated by form feeds in the
    stored text.

    >>> text = "Ședința de azi.\\fHotărârile au fost aprobate."
    >>> [(s.page, s.text) for s in make_snippets(text, {"content": {"hotarar"}})]
    [(2, 'Hotărârile au fost aprobate.')]
    >>> text = "Ședința de azi. Ordinea de zi a fost aprobată."
    >>> [p for s in make_snippets(text, {}, phrases=[("ordinea", "de", "zi")]) for p, m in s.parts if m]
    ['Ordinea de zi']
    """
    wanted = [(field, found) for field, found in terms.items() if found]
    scanned = text[:SCAN_LIMIT]
    spans: Iterator[tuple[int, int]] = iter(())
    if phrases:
        spans = _phrase_spans(scanned, phrases)
        first = next(spans, None)
        spans = iter(()) if first is None else _chain(first, spans)
        if first is None:  # no phrase as such (one with gaps, ``"a b"~3``): its words
            wanted += [("exact", {word for phrase in phrases for word in phrase})]
    pending = next(spans, None)
    around_words = pending is None
    if around_words:
        spans = _matched_spans(scanned, wanted)
        pending = next(spans, None)
    snippets: list[Snippet] = []
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
        if not around_words and wanted:
            inside = _merged(inside, [(lo + s, lo + e) for s, e in _matched_spans(text[lo:hi], wanted)])
        snippets.append(Snippet(text.count("\f", 0, start) + 1, _respace(text, lo, inside, hi)))
    return snippets


def _chain(first, rest):
    yield first
    yield from rest


def _merged(spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` and those of ``others`` that overlap none of them, in order."""
    kept = [o for o in others if not any(s < o[1] and o[0] < e for s, e in spans)]
    return sorted(spans + kept)


def _phrase_spans(text: str, phrases: list[tuple[str, ...]]) -> Iterator[tuple[int, int]]:
    """Where the text has one of the phrases, word after word, in order (a
    word matches when its ``exact`` terms hold the phrase's word, as in the index),
    found lazily; of overlapping ones, the first.

    >>> list(_phrase_spans("Consiliul local, consiliul local", [("consiliul", "local"), ("local",)]))
    [(0, 15), (17, 32)]
    """
    previous = None
    for span in heapq.merge(*(_one_phrase_spans(text, phrase) for phrase in phrases if phrase)):
        if span == previous:
            continue
        if previous is None or span[0] >= previous[1]:
            yield span
        previous = span


def _one_phrase_spans(text: str, phrase: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """Where the text has the phrase, in order."""
    for start, end, word in _matched_words(text, [("exact", {phrase[0]})]):
        last = end
        for expected in phrase[1:]:
            following = _TOKEN.search(text, last)
            if following is None or expected not in word_terms(
                    to_comma_below(following.group().lower()))["exact"]:
                break
            last = following.end()
        else:
            yield start, last


def _matched_spans(text: str, wanted: list[tuple[str, set[str]]]) -> Iterator[tuple[int, int]]:
    """The offsets of the words whose indexed terms are wanted, in order, found lazily."""
    for start, end, _ in _matched_words(text, wanted):
        yield start, end


def _matched_words(text: str, wanted: list[tuple[str, set[str]]]) -> Iterator[tuple[int, int, str]]:
    """The tokens (as :func:`words_with_offsets` gives them) whose indexed terms are wanted."""
    for start, end, word in _candidates(text, _starts(wanted)):
        indexed = word_terms(word)
        if any(term in found for field, found in wanted for term in indexed.get(field, ())):
            yield start, end, word


def _starts(wanted: list[tuple[str, set[str]]]) -> frozenset[str]:
    """Regular expressions for what a token whose terms are wanted may begin with,
    or have after a hyphen or a slash: the first two letters of a wanted term
    (the first, when a hyphen follows it); for a term of letters, its first
    letter and a dot, hyphen or slash too (``s.p.c.l.e.p.`` is ``spclep``,
    ``e-mail`` is ``email``), and ``i`` for an ``a`` second (``tîrgu`` is also
    ``targu``); any digit when a term has one (``29.04.2021`` is ``2021-04-29``).
    """
    starts = set()
    for _, found in wanted:
        for term in found:
            head = term[:2] if term[1:2].isalnum() or len(term) == 1 else term[:1]
            starts.add(re.escape(head))
            if term.isalpha():
                starts.add(re.escape(term[0]) + r"[./\-‐‑]")
                if term[1:2] == "a":
                    starts.add(re.escape(term[0]) + "i")
            if any(ch.isdigit() for ch in term):
                starts.add(r"\d")
    return frozenset(starts)


def _candidates(text: str, starts: frozenset[str]) -> Iterator[tuple[int, int, str]]:
    """The tokens of ``text`` (as :func:`words_with_offsets` gives them) that may
    have a wanted term, found by one regular expression over the lowercased text
    with Romanian letters folded: tokens where a word begins as one of ``starts``
    says; words with other non-ASCII letters among their first two are all
    kept, as that folding misses them.

    The text is folded a piece at a time (pieces end before a space, and
    tokens never hold one), as the tokens are asked for: the snippets of a
    long document mostly need only its beginning. A piece whose folding
    changes its length has all its tokens kept.
    """
    if not starts:
        yield from words_with_offsets(text)
        return
    last_end = -1
    for lo, hi in _pieces(text, PIECE):
        piece = text[lo:hi]
        low = _lower_folded(piece)
        if len(low) != len(piece):
            for start, end, word in words_with_offsets(piece):
                last_end = lo + end
                yield lo + start, lo + end, word
            continue
        for at in _word_starts(low, starts):
            if lo + at < last_end:
                continue  # inside the token found last
            start, end = _token_at(text, lo + at)
            if start is None or end <= last_end:
                continue
            last_end = end
            yield start, end, to_comma_below(text[start:end].lower())


#: The letters :func:`fold_romanian` changes that are lowercase, and what it makes of them:
#: after ``lower()``, the only ones left to fold (``str.replace`` is many times
#: quicker than ``str.translate`` on text that is not ASCII).
_LATIN = "".join(map(chr, [*range(0x80, 0x250), *range(0x1E00, 0x1F00)]))
_LOWER_FOLDS = tuple((a, b) for a, b in zip(_LATIN, fold_romanian(_LATIN)) if a != b and a == a.lower())


def _lower_folded(text: str) -> str:
    """``fold_romanian(text.lower())``, quicker.

    >>> _lower_folded("Ședința ÎNCEPE ţara")
    'sedinta incepe tara'
    """
    low = text.lower()
    for letter, folded in _LOWER_FOLDS:
        if letter in low:
            low = low.replace(letter, folded)
    return low


#: Characters of text folded first for the snippets' candidates; each further piece twice as long.
PIECE = 1024


def _pieces(text: str, size: int = PIECE) -> Iterator[tuple[int, int]]:
    """``text`` cut into pieces of about ``size`` characters, then twice as many
    each time, each ending just before a whitespace character (or at the end).

    >>> list(_pieces("ab cd ef gh", 2))
    [(0, 2), (2, 8), (8, 11)]
    >>> list(_pieces("", 2))
    []
    """
    lo = 0
    while lo < len(text):
        hi = lo + size
        while hi < len(text) and not text[hi].isspace():
            hi += 1
        hi = min(hi, len(text))
        yield lo, hi
        lo = hi
        size *= 2


@lru_cache(maxsize=256)
def _prefilter(starts: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(starts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives}|[^\W\x00-\x7f]|\w[^\W\x00-\x7f])")


@lru_cache(maxsize=256)
def _heads(starts: frozenset[str]) -> re.Pattern[str] | None:
    """``starts`` anywhere (not only where a word begins), when each of them begins
    with a word character: a regular expression that begins with a letter is
    looked for many times quicker than one that begins by looking behind.
    None otherwise."""
    if not all(s.startswith("\\d") or _is_word(s[0]) for s in starts):
        return None
    return re.compile("|".join(sorted(starts, key=len, reverse=True)))


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _is_word(char: str) -> bool:
    """Whether ``char`` is what ``\\w`` matches (Python's regular expressions: a letter, a digit or ``_``)."""
    return char.isalnum() or char == "_"


def _word_starts(low: str, starts: frozenset[str]) -> list[int]:
    """Where :func:`_prefilter` matches in ``low`` (the piece lowercased and folded),
    found quicker: where ``starts`` match and no word character stands before,
    and where a word begins with a non-ASCII letter as its first or second
    character (no match of ``starts`` can hide another, as each begins with a word
    character).

    >>> low, starts = "also solul s.o. și x", frozenset({"so", "s[./]"})
    >>> _word_starts(low, starts) == [m.start() for m in _prefilter(starts).finditer(low)]
    True
    """
    heads = _heads(starts)
    if heads is None:
        return [m.start() for m in _prefilter(starts).finditer(low)]
    found = [at for at in (m.start() for m in heads.finditer(low)) if not (at and _is_word(low[at - 1]))]
    if low.isascii():
        return found
    others = set()
    for match in _NOT_ASCII.finditer(low):
        at = match.start()
        if not _is_word(low[at]):
            continue
        if not (at and _is_word(low[at - 1])):
            others.add(at)  # a word that begins with the letter
        elif not (at > 1 and _is_word(low[at - 2])):
            others.add(at - 1)  # a word whose second letter it is
    return sorted(others.union(found)) if others else found


def _token_at(text: str, pos: int) -> tuple[int | None, int]:
    """The token of ``text`` that holds the character at ``pos`` (tokens never hold
    spaces: they are found from the last space before it)."""
    begin = pos
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    for match in _TOKEN.finditer(text, begin):
        if match.start() > pos:
            break
        if match.end() > pos:
            return match.start(), match.end()
    return None, -1


def _respace(text: str, lo: int, spans: list[tuple[int, int]], hi: int) -> list[tuple[str, bool]]:
    """Cut text[lo:hi] into plain and matched parts, with whitespace folded to single spaces."""
    parts: list[tuple[str, bool]] = []
    cursor = lo
    for s, e in spans:
        parts.append((_squeeze(text[cursor:s]), False))
        parts.append((_squeeze(text[s:e]), True))
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
