"""A document's metadata: what was extracted from its text, and what a person corrected;
and the document seen with the metadata in force (:func:`view`, :func:`listing`).

Both live beside the record, outside its manifest's checksums, because they
may change after ingest while the record may not; the journal records every
change of either:

- ``metadata.json``: the latest extraction, replaced whole by ``arhiva reextract``;
- ``corrections.jsonl``: every correction made by hand (``arhiva tag``), one
  line each, only ever appended, never rewritten by extraction. The user's
  word wins. A line may also add and remove free tags
  (``"tags": {"add": [...], "remove": [...]}``); the tags in force are those
  lines applied in order. Archives of format 1 kept them in ``corrections.json``
  (``{"current": …, "history": …}``), which is still read, and never written.
"""

from __future__ import annotations

import json

from collections.abc import Iterable

from arhiva.archive.document import DocumentView, in_force
from arhiva.archive.store import CORRECTIONS_FILE, LEGACY_CORRECTIONS_FILE, METADATA_FILE, Archive, now_iso
from arhiva.errors import ArchiveError, InputError
from arhiva.tags import normalise_tag

#: The fields a person may set or correct.
EDITABLE = ("date", "type", "title")


def write_extracted(archive: Archive, doc_id: str, metadata: dict, extractor: str) -> None:
    """Replace the document's extracted metadata (``metadata.json``), and journal it."""
    archive.replace_metadata(doc_id, metadata, extractor)


def extracted(archive: Archive, doc_id: str) -> dict:
    data = archive.read_member(doc_id, METADATA_FILE, missing_ok=True)
    return parse_extracted(doc_id, data).get("metadata", {}) if data is not None else {}


def corrections(archive: Archive, doc_id: str) -> dict:
    """The corrected fields now in force, the free tags in force (sorted), and the history of every correction."""
    legacy = archive.read_member(doc_id, LEGACY_CORRECTIONS_FILE, missing_ok=True)
    record = parse_legacy(doc_id, legacy) if legacy is not None else {"current": {}, "history": []}
    current, history = dict(record["current"]), list(record["history"])
    tags: set[str] = set()
    for entry in parse_log(doc_id, archive.read_member(doc_id, CORRECTIONS_FILE, missing_ok=True) or b""):
        _apply(current, entry["fields"])
        tags = apply_tags(tags, entry.get("tags"))
        history.append(entry)
    return {"current": current, "tags": sorted(tags), "history": history}


def apply_tags(tags: set[str], change: dict | None) -> set[str]:
    """The tags after one line's change: its removals, then its additions.

    >>> sorted(apply_tags({"ciorna", "buget"}, {"add": ["buget-2021"], "remove": ["ciorna"]}))
    ['buget', 'buget-2021']
    """
    if not change:
        return tags
    return (tags - set(change.get("remove", ()))) | set(change.get("add", ()))


def correct(archive: Archive, doc_id: str, fields: dict, add_tags: Iterable[str] = (),
            remove_tags: Iterable[str] = ()) -> dict:
    """Record a correction; a field given as ``None`` goes back to what was extracted.
    ``add_tags`` and ``remove_tags`` are free tags, normalised here (:func:`arhiva.tags.normalise_tag`).

    The correction is appended to the document's log under the archive lock,
    so corrections made at the same time are all kept, in the order they were made.
    """
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ArchiveError(f"cannot set {', '.join(sorted(unknown))}: only {', '.join(EDITABLE)}")
    tags = tag_change(add_tags, remove_tags)
    if not fields and not tags:
        raise InputError("nothing to correct: give a field or a tag")
    archive.append_correction(doc_id, now_iso(), fields, check=lambda: corrections(archive, doc_id), tags=tags)
    return effective(archive, doc_id)


def tag_change(add: Iterable[str], remove: Iterable[str]) -> dict | None:
    """The tags to add and remove, normalised and sorted (None when there are none).

    >>> tag_change(["Buget 2021", "buget-2021"], ["Ciornă"])
    {'add': ['buget-2021'], 'remove': ['ciorna']}
    """
    added = sorted({normalise_tag(t) for t in add})
    removed = sorted({normalise_tag(t) for t in remove})
    both = set(added) & set(removed)
    if both:
        raise InputError(f"the tag {sorted(both)[0]} is both added and removed")
    change = {"add": added, "remove": removed}
    return {k: v for k, v in change.items() if v} or None


def effective(archive: Archive, doc_id: str) -> dict:
    """The extracted metadata with the corrections over it; ``corrected`` names the fields they set."""
    return in_force(extracted(archive, doc_id), corrections(archive, doc_id)["current"])


def view(archive: Archive, doc_id: str) -> DocumentView:
    """The document with its metadata in force (and its free tags, ``tags``): what ``list``,
    ``show`` and the index read."""
    corrected = corrections(archive, doc_id)
    return DocumentView(archive.manifest(doc_id),
                        {**in_force(extracted(archive, doc_id), corrected["current"]), "tags": corrected["tags"]})


# -- reading the files -------------------------------------------------------


def parse_extracted(doc_id: str, data: bytes) -> dict:
    record = _load(doc_id, METADATA_FILE, data)
    if not isinstance(record, dict) or not isinstance(record.get("metadata", {}), dict):
        raise ArchiveError(f"{doc_id[:12]}: {METADATA_FILE} is unreadable: not an extraction record")
    return record


def parse_legacy(doc_id: str, data: bytes) -> dict:
    record = _load(doc_id, LEGACY_CORRECTIONS_FILE, data)
    if not (isinstance(record, dict) and isinstance(record.get("current", {}), dict)
            and isinstance(record.get("history", []), list)):
        raise ArchiveError(f"{doc_id[:12]}: {LEGACY_CORRECTIONS_FILE} is unreadable: not a corrections record")
    return {"current": record.get("current", {}), "history": record.get("history", [])}


def parse_log(doc_id: str, data: bytes) -> list[dict]:
    """The corrections in a ``corrections.jsonl``, in order.

    An incomplete last line (a ``tag`` interrupted while writing; the next
    command that takes the archive lock removes it) is left out.
    """
    lines = data.split(b"\n")[:-1]  # the part after the last newline is incomplete or empty
    return [parse_log_line(doc_id, line, number) for number, line in enumerate(lines, start=1)]


def parse_log_line(doc_id: str, line: bytes, number: int) -> dict:
    try:
        entry = json.loads(line)
    except ValueError:
        entry = None
    if not (isinstance(entry, dict) and isinstance(entry.get("seq"), int) and isinstance(entry.get("fields"), dict)
            and set(entry["fields"]) <= set(EDITABLE) and _tags_ok(entry.get("tags"))):
        raise ArchiveError(f"{doc_id[:12]}: line {number} of {CORRECTIONS_FILE} is damaged")
    return entry


def _tags_ok(change: object) -> bool:
    """Whether a line's ``tags`` (absent, or ``{"add": [...], "remove": [...]}`` of strings) is well formed."""
    if change is None:
        return True
    return (isinstance(change, dict) and set(change) <= {"add", "remove"}
            and all(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in change.values()))


def _apply(current: dict, fields: dict) -> None:
    for name, value in fields.items():
        if value is None:
            current.pop(name, None)
        else:
            current[name] = value


def _load(doc_id: str, name: str, data: bytes) -> object:
    try:
        return json.loads(data)
    except ValueError as err:
        raise ArchiveError(f"{doc_id[:12]}: {name} is unreadable: {err}") from err


def listing(archive: Archive, date_from: str | None = None, date_to: str | None = None,
            doc_type: str | None = None, sort: str = "ingested", skipped: list[str] | None = None,
            tag: str | None = None, withdrawn: bool = False) -> list[DocumentView]:
    """The documents with the metadata a list shows, filtered and sorted like a search.

    Withdrawn documents are left out; with ``withdrawn``, only they are listed.
    ``tag``: only the documents having this free tag. Sorting by date puts
    undated documents last. A document that cannot be read is left out and
    named in ``skipped`` (when it is given; else it raises).

    The views come from the list cache where it is current
    (:mod:`arhiva.archive.catalog_cache`): their metadata holds the date,
    type, title, own references, tags and corrected fields, not all of it
    (:func:`view` gives the whole).
    """
    from arhiva.archive.catalog_cache import listed_views

    from arhiva.periods import period_bounds
    from arhiva.romanian.letters import fold

    low = period_bounds(date_from)[0].isoformat() if date_from else None
    high = period_bounds(date_to)[1].isoformat() if date_to else None
    wanted_type = fold(doc_type).lower() if doc_type else None
    wanted_tag = normalise_tag(tag) if tag else None
    views = []
    for doc, is_withdrawn in listed_views(archive, skipped):
        if is_withdrawn != withdrawn:
            continue
        if (low or high) and (not doc.date or (low and doc.date < low) or (high and doc.date > high)):
            continue
        if wanted_type and fold(doc.type).lower() != wanted_type:
            continue
        if wanted_tag and wanted_tag not in doc.tags:
            continue
        views.append(doc)
    if sort == "ingested":
        views.sort(key=lambda d: (d.ingested_at, d.id))
    else:
        dated = sorted((d for d in views if d.date), key=lambda d: d.date, reverse=sort == "-date")
        views = dated + [d for d in views if not d.date]
    return views
