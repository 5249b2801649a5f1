"""Storing and verifying documents: the archive is the source of truth."""

from __future__ import annotations

from arhiva.archive.store import Archive, NewDocument, Staged, now_iso

__all__ = ["Archive", "NewDocument", "Staged", "now_iso"]
