"""A document's metadata: what was extracted from its text, and what a person corrected.

Both live beside the record, outside its manifest's checksums, because they
may change after ingest while the record may not:

- ``metadata.json``: the latest extraction, replaced whole by ``arhiva reextract``;
- ``corrections.json``: every correction made by hand (``arhiva tag``), kept as
  a history, never rewritten by extraction. The user's word wins.
"""

from __future__ import annotations

import json

from arhiva.archive.atomic import write_bytes
from arhiva.archive.store import Archive, now_iso
from arhiva.errors import ArchiveError

METADATA_FILE = "metadata.json"
CORRECTIONS_FILE = "corrections.json"
#: The fields a person may set or correct.
EDITABLE = ("date", "type", "title")


def write_extracted(archive: Archive, doc_id: str, metadata: dict, extractor: str) -> None:
    record = {"extractor": extractor, "extracted_at": now_iso(), "metadata": metadata}
    write_bytes(archive.folder(doc_id) / METADATA_FILE, _json(record))


def extracted(archive: Archive, doc_id: str) -> dict:
    return _read(archive, doc_id, METADATA_FILE).get("metadata", {})


def corrections(archive: Archive, doc_id: str) -> dict:
    """The corrected fields now in force, and the history of every correction."""
    return _read(archive, doc_id, CORRECTIONS_FILE) or {"current": {}, "history": []}


def correct(archive: Archive, doc_id: str, fields: dict) -> dict:
    """Record a correction; a field given as ``None`` goes back to what was extracted."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ArchiveError(f"cannot set {', '.join(sorted(unknown))}: only {', '.join(EDITABLE)}")
    record = corrections(archive, doc_id)
    for name, value in fields.items():
        if value is None:
            record["current"].pop(name, None)
        else:
            record["current"][name] = value
    record["history"].append({"at": now_iso(), "fields": fields})
    write_bytes(archive.folder(doc_id) / CORRECTIONS_FILE, _json(record))
    return effective(archive, doc_id)


def effective(archive: Archive, doc_id: str) -> dict:
    """The extracted metadata with the corrections over it; ``corrected`` names the fields they set."""
    merged = dict(extracted(archive, doc_id))
    current = corrections(archive, doc_id)["current"]
    merged.update(current)
    merged["corrected"] = sorted(current)
    return merged


def check(archive: Archive, doc_id: str) -> list[str]:
    """Problems with the annotation files: unreadable JSON."""
    problems = []
    for name in (METADATA_FILE, CORRECTIONS_FILE):
        try:
            _read(archive, doc_id, name)
        except ArchiveError as err:
            problems.append(str(err))
    return problems


def _read(archive: Archive, doc_id: str, name: str) -> dict:
    path = archive.folder(doc_id) / name
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise ArchiveError(f"{doc_id[:12]}: {name} is unreadable: {err}") from err


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


SORTS = ("ingested", "date", "-date")


def listing(archive: Archive, date_from: str | None = None, date_to: str | None = None,
            doc_type: str | None = None, sort: str = "ingested") -> list[dict]:
    """The documents with their metadata in force, filtered and sorted like a search.

    Sorting by date puts undated documents last.
    """
    from arhiva.periods import period_bounds
    from arhiva.romanian.letters import fold

    low = period_bounds(date_from)[0].isoformat() if date_from else None
    high = period_bounds(date_to)[1].isoformat() if date_to else None
    wanted_type = fold(doc_type).lower() if doc_type else None
    rows = []
    for doc_id in archive.ids():
        manifest = archive.manifest(doc_id)
        metadata = effective(archive, doc_id)
        date = metadata.get("date") or None
        if (low or high) and (not date or (low and date < low) or (high and date > high)):
            continue
        if wanted_type and fold(metadata.get("type") or "").lower() != wanted_type:
            continue
        rows.append({
            "id": doc_id,
            "title": metadata.get("title") or manifest.get("title", ""),
            "date": date,
            "type": metadata.get("type") or "",
            "source": manifest.get("source", {}).get("name", ""),
            "pages": len(manifest.get("pages", [])),
            "ingested_at": manifest.get("ingested_at", ""),
        })
    if sort == "ingested":
        rows.sort(key=lambda r: (r["ingested_at"], r["id"]))
    else:
        dated = sorted((r for r in rows if r["date"]), key=lambda r: r["date"], reverse=sort == "-date")
        rows = dated + [r for r in rows if not r["date"]]
    return rows
