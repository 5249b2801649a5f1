"""A document as arhiva knows it: its manifest, typed, and the view of it with the metadata in force.

``manifest.json`` is parsed and checked here only (:meth:`Manifest.parse`),
and a new one is laid out here only (:func:`new_manifest`); every reader
(the index feed, ``list``, ``show``) takes a :class:`DocumentView`, where
"the title in force" and the rest are worked out once.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from arhiva.errors import ArchiveError

MANIFEST_FORMAT = "arhiva-manifest"
MANIFEST_VERSION = 1
#: The names a document's files have in its folder (and in its manifest's ``files``).
ORIGINAL_STEM = "original"
PAGES_FOLDER = "pages"
TEXT_FILE = "text.txt"
CHANGES_FILE = "changes.json"
MANIFEST_FILE = "manifest.json"
METADATA_FILE = "metadata.json"
#: The searchable PDF/A copy of a scan (derived: rebuilt by ``arhiva rebuild-pdf``), and the OCR word
#: boxes it is built from.
COPY_FILE = "searchable.pdf"
WORDS_FILE = "words.json"


def page_file(number: int) -> str:
    """The name of a page's raw text in a document's folder.

    >>> page_file(7)
    'pages/0007.txt'
    """
    return f"{PAGES_FOLDER}/{number:04d}.txt"


@dataclass(frozen=True)
class Source:
    """Where a document came from, as its manifest records it."""

    name: str = ""  # the file's name, in a readable form (see arhiva.files.display_path)
    path: str = ""
    path_bytes: str | None = None  # the path's exact bytes in hexadecimal, when they are not UTF-8
    size: int | None = None
    modified: str | None = None
    media_type: str = ""
    encoding: str | None = None  # text files only

    def to_json(self) -> dict:
        """The manifest's ``source``, keys in the order they have always been written.

        >>> Source("a.txt", "/x/a.txt", size=3, media_type="text/plain").to_json()
        {'name': 'a.txt', 'path': '/x/a.txt', 'size': 3, 'modified': None, 'media_type': 'text/plain'}
        """
        data: dict = {"name": self.name, "path": self.path}
        if self.path_bytes:
            data["path_bytes"] = self.path_bytes
        data.update(size=self.size, modified=self.modified, media_type=self.media_type)
        if self.encoding:
            data["encoding"] = self.encoding
        return data


@dataclass(frozen=True)
class Manifest:
    """A document's ``manifest.json``, checked and typed; ``json`` is the object as stored."""

    id: str
    title: str
    source: Source
    ingested_at: str
    pages: tuple[Mapping[str, Any], ...]
    files: Mapping[str, str]
    software: Mapping[str, Any]
    cleanup: Mapping[str, Any]
    warnings: tuple[str, ...]
    json: Mapping[str, Any] = field(repr=False, compare=False)

    @classmethod
    def parse(cls, doc_id: str, data: bytes) -> Manifest:
        """The manifest in ``data``; :class:`ArchiveError` naming the document when it is not one.

        Manifests written by any earlier arhiva are read: a field they lack takes its empty value.

        >>> m = Manifest.parse("ab" * 32, b'{"files": {}, "pages": [{"number": 1}]}')
        >>> (m.id[:6], m.page_count, m.source.name, m.title)
        ('ababab', 1, '', '')
        >>> Manifest.parse("ab" * 32, b'[]')
        Traceback (most recent call last):
        ...
        arhiva.errors.ArchiveError: manifest of abababababab is unreadable: not an arhiva manifest
        """
        try:
            raw = json.loads(data)
        except ValueError as err:
            raise ArchiveError(f"manifest of {doc_id[:12]} is unreadable: {err}") from err
        return cls.from_json(doc_id, raw)

    @classmethod
    def from_json(cls, doc_id: str, raw: object) -> Manifest:
        def wrong() -> ArchiveError:
            return ArchiveError(f"manifest of {doc_id[:12]} is unreadable: not an arhiva manifest")

        if not isinstance(raw, dict):
            raise wrong()
        files, source, pages = raw.get("files", {}), raw.get("source", {}), raw.get("pages", [])
        warnings = raw.get("warnings")
        if not (isinstance(files, dict) and isinstance(source, dict) and isinstance(pages, list)
                and all(isinstance(p, dict) for p in pages)):
            raise wrong()
        known = Source.__dataclass_fields__
        return cls(
            id=raw["id"] if isinstance(raw.get("id"), str) else doc_id,  # ``verify`` compares the two
            title=_text(raw.get("title")),
            source=Source(**{k: v for k, v in source.items() if k in known}),
            ingested_at=_text(raw.get("ingested_at")),
            pages=tuple(pages),
            files=files,
            software=raw.get("software") if isinstance(raw.get("software"), dict) else {},
            cleanup=raw.get("cleanup") if isinstance(raw.get("cleanup"), dict) else {},
            warnings=tuple(str(w) for w in warnings) if isinstance(warnings, list) else (),
            json=raw,
        )

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def original(self) -> str | None:
        """The name of the stored original (``original.pdf``…), or None when the manifest lists none."""
        return next((n for n in self.files if n.startswith(ORIGINAL_STEM)), None)

    @property
    def copy(self) -> str | None:
        """The name of the searchable PDF copy, or None when the document has none (not a scan, or older)."""
        return COPY_FILE if COPY_FILE in self.files else None

    @property
    def page_files(self) -> list[str]:
        """The names of the raw page texts, in page order."""
        return sorted(n for n in self.files if n.startswith(PAGES_FOLDER + "/"))

    def to_json(self) -> dict:
        """The manifest as stored, as a plain dict (for ``show --json``)."""
        return copy.deepcopy(dict(self.json))


@dataclass(frozen=True)
class NewRecord:
    """What a new manifest says besides the files: from ingest, laid out by :func:`new_manifest`."""

    title: str = ""
    source: Source = Source()
    software: dict = field(default_factory=dict)
    pages: list[dict] = field(default_factory=list)  # each page's method, confidence… (the archive adds number and file)
    fixers: list[str] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)  # per fixer, how many changes
    sources: list = field(default_factory=list)  # where each part of the text came from (CleanResult.sources_json)
    extractor: str = ""  # what extracted the metadata, e.g. "arhiva 0.1.0"
    warnings: list[str] = field(default_factory=list)


def new_manifest(doc_id: str, record: NewRecord, ingested_at: str, files: dict[str, str]) -> dict:
    """The ``manifest.json`` of a new document, in its version-1 layout (docs/archive-format.md)."""
    return {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "id": doc_id,
        "title": record.title,
        "source": record.source.to_json(),
        "ingested_at": ingested_at,
        "software": record.software,
        "pages": [{"number": n, "file": page_file(n), **page} for n, page in enumerate(record.pages, start=1)],
        "cleanup": {"fixers": record.fixers, "changes": record.changes, "sources": record.sources,
                    "log": CHANGES_FILE},
        "metadata": {"extractor": record.extractor, "file": METADATA_FILE},
        "warnings": record.warnings,
        "files": files,
    }


def extraction_record(metadata: dict, extractor: str, at: str) -> dict:
    """The content of ``metadata.json``: one extraction, by whom and when."""
    return {"extractor": extractor, "extracted_at": at, "metadata": metadata}


def in_force(extracted: Mapping[str, Any], corrections: Mapping[str, Any]) -> dict:
    """The extracted metadata with the corrections over it; ``corrected`` names the fields they set.

    >>> in_force({"date": "2021-04-08", "type": "anunț"}, {"type": "hotărâre"})
    {'date': '2021-04-08', 'type': 'hotărâre', 'corrected': ['type']}
    """
    return {**extracted, **corrections, "corrected": sorted(corrections)}


@dataclass(frozen=True)
class DocumentView:
    """A document as people see it: its manifest with the metadata in force (corrections over extraction).

    >>> m = Manifest.from_json("ab" * 32, {"id": "ab" * 32, "title": "Comunicat", "ingested_at": "2026-01-01",
    ...                                    "source": {"name": "a.pdf"}, "pages": [{}, {}], "files": {}})
    >>> view = DocumentView.of(m, {"date": "2021-04-08", "type": "anunț", "title": None},
    ...                        {"type": "hotărâre"})
    >>> (view.title, view.date, view.type, view.pages, view.source, view.corrected)
    ('Comunicat', '2021-04-08', 'hotărâre', 2, 'a.pdf', ('type',))
    """

    manifest: Manifest
    #: The extracted metadata with the corrections over it; ``corrected`` names the fields they set.
    metadata: Mapping[str, Any]

    @classmethod
    def of(cls, manifest: Manifest, extracted: Mapping[str, Any], corrections: Mapping[str, Any]) -> DocumentView:
        return cls(manifest, in_force(extracted, corrections))

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def title(self) -> str:
        """The title in force: corrected, else extracted, else the first line with words."""
        return _text(self.metadata.get("title")) or self.manifest.title

    @property
    def date(self) -> str | None:
        return _text(self.metadata.get("date")) or None

    @property
    def type(self) -> str:
        return _text(self.metadata.get("type"))

    @property
    def references(self) -> list[dict]:
        refs = self.metadata.get("references")
        return [r for r in refs if isinstance(r, dict)] if isinstance(refs, list) else []

    @property
    def number(self) -> str | None:
        """The document's own number (``45`` or ``45/2021``), when its text gives one.

        >>> m = Manifest.from_json("ab" * 32, {"files": {}})
        >>> DocumentView.of(m, {"references": [{"number": "9", "year": 2020, "own": False},
        ...                                    {"number": "45", "year": 2021, "own": True}]}, {}).number
        '45/2021'
        """
        for ref in self.references:
            if ref.get("own") and ref.get("number"):
                number, year = str(ref["number"]), ref.get("year")
                return f"{number}/{year}" if year and "/" not in number else number
        return None

    @property
    def corrected(self) -> tuple[str, ...]:
        return tuple(self.metadata.get("corrected", ()))

    @property
    def tags(self) -> tuple[str, ...]:
        """The free tags in force (``arhiva tag --add``), sorted."""
        tags = self.metadata.get("tags")
        return tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, (list, tuple)) else ()

    @property
    def pages(self) -> int:
        return self.manifest.page_count

    @property
    def source(self) -> str:
        """The source file's name, in a readable form."""
        return self.manifest.source.name

    @property
    def media_type(self) -> str:
        return self.manifest.source.media_type

    @property
    def ingested_at(self) -> str:
        return self.manifest.ingested_at

    def row(self) -> dict:
        """The document as ``arhiva list --json`` gives it."""
        return {"id": self.id, "title": self.title, "date": self.date, "type": self.type, "source": self.source,
                "pages": self.pages, "ingested_at": self.ingested_at}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
