"""Searching the archive: arhiva's analysis and query language, over a backend (Whoosh by default)."""

from __future__ import annotations

from arhiva.search.backend import SearchBackend, open_index
from arhiva.search.index import Hit, IndexDoc, Results, SearchIndex, rebuild

__all__ = ["Hit", "IndexDoc", "Results", "SearchBackend", "SearchIndex", "open_index", "rebuild"]
