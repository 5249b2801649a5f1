"""The search index (Whoosh) and queries over it."""

from __future__ import annotations

from arhiva.search.index import Hit, IndexDoc, Results, SearchIndex, rebuild

__all__ = ["Hit", "IndexDoc", "Results", "SearchIndex", "rebuild"]
