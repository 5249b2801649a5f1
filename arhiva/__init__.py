"""arhiva: turn scanned Romanian communiqués into a trustworthy, searchable archive."""

from __future__ import annotations

__version__ = "0.1.0"
