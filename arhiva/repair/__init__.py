"""Repair of Romanian text: a fixed pipeline of small, named, pure fixers.

>>> result = clean("Şedinţa a avut loc în pro-\\niectul nostru.")
>>> result.text
'Ședința a avut loc în proiectul nostru.'
>>> [change.fixer for change in result.changes]
['comma_below', 'join_hyphenated_lines']
"""

from __future__ import annotations

from arhiva.repair.pipeline import DEFAULT_CONFIG, Change, CleanConfig, CleanResult, clean

__all__ = ["DEFAULT_CONFIG", "Change", "CleanConfig", "CleanResult", "clean"]
