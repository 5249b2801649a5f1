"""Free tags: a person's own labels for documents (``buget-2021``), written one way everywhere.

A tag is kept as it is searched: lower case, without diacritics (``Bugét``
and ``buget`` are one tag), made of letters ``a-z`` and digits, in parts
joined by single hyphens. Spaces, underscores, dots and slashes between
parts become hyphens; any other character is refused rather than dropped,
so that a tag never silently becomes another one. The archive, the index and
the query language (``tag:buget-2021``) all go through :func:`normalise_tag`.
"""

from __future__ import annotations

import re

from arhiva.errors import InputError

#: The longest tag, in characters.
MAX_TAG = 64
_SEPARATORS = re.compile(r"[\s_./-]+")
_TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def normalise_tag(text: str) -> str:
    """The tag as the archive keeps it; :class:`InputError` (one line) when it cannot be one.

    >>> normalise_tag("Buget 2021")
    'buget-2021'
    >>> normalise_tag("  Ședință_CL / Iași ")
    'sedinta-cl-iasi'
    >>> normalise_tag("cost=50%")
    Traceback (most recent call last):
    ...
    arhiva.errors.InputError: 'cost=50%' is not a tag: use letters, digits and hyphens (buget-2021)
    """
    from arhiva.romanian.letters import fold

    tag = _SEPARATORS.sub("-", fold(text).lower()).strip("-")
    if not _TAG.fullmatch(tag):
        raise InputError(f"{text!r} is not a tag: use letters, digits and hyphens (buget-2021)")
    if len(tag) > MAX_TAG:
        raise InputError(f"the tag {tag[:20]}… is longer than {MAX_TAG} characters")
    return tag


def query_tag(text: str) -> str:
    """A tag as typed in a query, normalised when it can be, else only folded and lowered
    (it then matches nothing, rather than failing the query).

    >>> query_tag("Bugét-2021"), query_tag("a=b")
    ('buget-2021', 'a=b')
    """
    try:
        return normalise_tag(text)
    except InputError:
        from arhiva.romanian.letters import fold

        return fold(text).lower()
