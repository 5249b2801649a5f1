"""Repair of Romanian text: a fixed pipeline of small, named, pure fixers.

>>> from arhiva.repair import clean
>>> result = clean("Şedinţa a avut loc în pro-\\niectul nostru.")
>>> result.text
'Ședința a avut loc în proiectul nostru.'
>>> [change.fixer for change in result.changes]
['comma_below', 'join_hyphenated_lines']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["DEFAULT_CONFIG", "Change", "CleanConfig", "CleanResult", "clean"]

if TYPE_CHECKING:
    from arhiva.repair.pipeline import DEFAULT_CONFIG, Change, CleanConfig, CleanResult, clean


def __getattr__(name: str):
    # The pipeline (and ftfy, and every fixer) is imported when first asked for,
    # so that a process that needs only repair's model (arhiva.repair.model) does not pay for it.
    if name in __all__:
        from arhiva.repair import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
