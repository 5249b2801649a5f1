"""The searchable copies in the archive: reading one, and making them again from what the archive keeps.

A copy is a derived file of its document's record, listed with its checksum
in the manifest like the other files (so ``verify`` checks it), and built from
three files the record keeps: the original, the cleaned text and the OCR word
boxes (``words.json``). :func:`rebuild` makes it again with this version of
arhiva, without OCR: after an upgrade of the copy's layout, or of the
clean-up's text. A copy that comes out the same (to the byte) is left alone;
one that differs replaces the old one in a journaled change (``derivation``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from arhiva.archive import Archive
from arhiva.archive.document import COPY_FILE, TEXT_FILE, WORDS_FILE
from arhiva.archive.store import naming
from arhiva.errors import ArchiveError, ArhivaError, NotFoundError
from arhiva.ingest.page import PageLayout
from arhiva.pdfa.build import build_copy

log = logging.getLogger(__name__)


def copy_name(archive: Archive, doc_id: str) -> str:
    """The name of a document's searchable copy; :class:`NotFoundError` saying why when it has none."""
    manifest = archive.manifest(doc_id)
    if manifest.copy is None:
        if WORDS_FILE in manifest.files or any(p.get("method") == "ocr" for p in manifest.pages):
            why = "it was ingested before arhiva made searchable copies"
        else:
            why = "only scans get one, and it was not scanned (its text is its own)"
        raise NotFoundError(f"document {doc_id[:12]} has no searchable PDF copy: {why}")
    return manifest.copy


@dataclass
class Rebuilt:
    """What :func:`rebuild` did: copies replaced, copies found up to date, documents skipped (with why)."""

    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    index_problem: str | None = None


def rebuild(archive: Archive, ids: list[str], on_doc: Callable[[], None] | None = None) -> Rebuilt:
    """Make the searchable copy of each document again; those without one are passed over.

    A document that fails verification, or whose copy cannot be made, is
    skipped with one line naming it; the rest go on.
    """
    done = Rebuilt()
    for doc_id in ids:
        try:
            manifest = archive.manifest(doc_id)
            if manifest.copy is None or WORDS_FILE not in manifest.files:
                continue
            problems = archive.check_document(doc_id)
            if problems:
                done.skipped.append(problems[0] + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1
                                                   else ""))
                continue
            data = build_copy(archive.read_file(doc_id, archive.original_name(doc_id)), manifest.source.media_type,
                              read_layouts(archive.read_file(doc_id, WORDS_FILE)),
                              archive.read_file(doc_id, TEXT_FILE).decode("utf-8"), _title(archive, doc_id))
            if _sha(data) == manifest.files.get(COPY_FILE):
                done.unchanged.append(doc_id)
            else:
                archive.replace_derived(doc_id, {COPY_FILE: data})
                done.replaced.append(doc_id)
        except ArhivaError as err:
            done.skipped.append(naming(doc_id, err))
        except Exception as err:  # noqa: BLE001 - pikepdf and img2pdf fail in many ways on odd files
            log.debug("rebuilding the copy of %s failed", doc_id, exc_info=True)
            done.skipped.append(f"{doc_id[:12]}: the copy could not be made: {type(err).__name__}: "
                                f"{str(err).strip().splitlines()[0][:160] if str(err).strip() else ''}")
        finally:
            if on_doc:
                on_doc()
    if done.replaced:
        done.index_problem = _update_index(archive)
    return done


def _update_index(archive: Archive) -> str | None:
    """Let the index take in the journal's new entries (the text it holds is unchanged), so that it
    is not left behind the archive."""
    from arhiva.maintenance import catch_up, open_index

    try:
        catch_up(archive, open_index(archive))
    except ArchiveError as err:
        return f"{err}; the copies are saved in the archive"
    return None


def read_layouts(data: bytes) -> list[PageLayout | None]:
    """The word boxes of each page, from ``words.json``.

    >>> read_layouts(b'{"format": "arhiva-words", "version": 1, "pages": [null]}')
    [None]
    """
    try:
        raw = json.loads(data)
        if raw.get("format") != "arhiva-words":
            raise ValueError("not an arhiva word list")
        return [PageLayout.from_json(page) if page else None for page in raw["pages"]]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ArchiveError(f"{WORDS_FILE} is unreadable: {err}") from err


def _title(archive: Archive, doc_id: str) -> str:
    """The title the copy carries: the one extracted at ingest (what the first copy got)."""
    from arhiva.archive import catalog

    try:
        return catalog.view(archive, doc_id).title
    except ArhivaError:
        return ""


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
