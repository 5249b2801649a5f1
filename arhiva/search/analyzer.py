"""The one Romanian analyzer, used both when indexing and when querying.

Tokens are lowercased and folded (diacritics removed, cedilla and comma-below
alike), so ``sedinta`` finds ``ședința`` and ``şedinţa`` finds both.
"""

from __future__ import annotations

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from arhiva.romanian.letters import fold

TOKEN_PATTERN = r"\w+"


class FoldFilter(Filter):
    """Remove diacritics from each token (see :func:`arhiva.romanian.letters.fold`)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


def romanian_analyzer():
    """The analyzer of the ``content`` and ``title`` fields.

    >>> [t.text for t in romanian_analyzer()("Ședința Consiliului şi HOTĂRÂREA")]
    ['sedinta', 'consiliului', 'si', 'hotararea']
    """
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter()
