"""The words of a field held in memory, for "did you mean".

Whoosh finds the indexed words close to a misspelt one by walking a
Levenshtein automaton over the term dictionary, one binary search of the
on-disk table per step, each key read through Python file calls: about
0.6 s a word at 20,000 documents, and, on an index of several segments,
a Python edit distance computed for every word of the field. Here the same
automaton walks a sorted list of the field's words read once per searcher
(43,000 words, 0.15 s, at 20,000 documents), with the same answers on an
index of one segment, and most frequent first as Whoosh ranks them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from heapq import heappush, heapreplace

from whoosh.automata.lev import levenshtein_automaton


class Vocabulary:
    """The sorted words of one field (of every segment)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    @classmethod
    def of(cls, reader, field: str) -> Vocabulary:
        decode = reader.schema[field].from_bytes
        return cls([decode(word) for word in reader.lexicon(field)])

    def within(self, word: str, maxdist: int) -> Iterator[str]:
        """The words at most ``maxdist`` edits from ``word``, in order.

        >>> list(Vocabulary(["buget", "bugete", "bugetul", "taxe"]).within("bugetl", 1))
        ['buget', 'bugete', 'bugetul']
        """
        words = self.words
        if not words:
            return
        dfa = levenshtein_automaton(word, maxdist, 0).to_dfa()
        match = dfa.next_valid_string(words[0])
        while match:
            pos = bisect_left(words, match)
            if pos == len(words):
                return
            term = words[pos]
            if term == match:
                yield match
                term += "\x00"
            match = dfa.next_valid_string(term)


def most_frequent(words: Iterator[str], frequency: Callable[[str], float], typed: str, limit: int,
                  maxdist: int) -> list[str]:
    """Up to ``limit`` of ``words`` (``typed`` itself left out), most frequent first, as
    Whoosh's ``ReaderCorrector`` ranks them (of equally frequent words, the last in
    alphabetical order are kept, then listed in order).

    >>> most_frequent(iter(["bugetul", "buget", "bugete"]), {"buget": 5, "bugete": 1, "bugetul": 1}.get, "bugetl", 2, 2)
    ['buget', 'bugetul']
    """
    heap: list[tuple[float, str]] = []
    for word in words:
        if word == typed:
            continue
        item = (0 - (maxdist + (1.0 / (frequency(word) or 1) * 0.5)), word)
        if len(heap) < limit:
            heappush(heap, item)
        elif item > heap[0]:
            heapreplace(heap, item)
    return [word for _, word in sorted(heap, key=lambda x: (0 - x[0], x[1]))]
