"""Exporting documents as a BagIt bag (RFC 8493), for transfer or deposit elsewhere.

The bag holds, under ``data/documents/<id>/``, each document's folder exactly
as the archive keeps it (original, page texts, cleaned text, change log,
manifest), with SHA-256 and SHA-512 manifests that any BagIt validator checks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from arhiva import __version__
from arhiva.archive.store import Archive, now_iso
from arhiva.errors import ArchiveError

CHECKSUMS = ["sha256", "sha512"]


def export_bag(archive: Archive, doc_ids: list[str], target: Path) -> Path:
    """Write the documents into a new BagIt bag at ``target``; return it.

    Every document is verified first: a damaged one stops the export, so that
    a bag never carries a record that no longer matches its checksums. The bag
    is built beside ``target`` and renamed into place when it is complete.
    """
    import bagit

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ArchiveError(f"{target} already exists; export into a new folder")
    for doc_id in doc_ids:
        problems = archive.check_document(doc_id)
        if problems:
            raise ArchiveError(f"not exported: {problems[0]} (run: arhiva verify)")
    building = target.with_name(f".{target.name}.building")
    shutil.rmtree(building, ignore_errors=True)
    documents = building / "documents"
    documents.mkdir(parents=True)
    try:
        for doc_id in doc_ids:
            shutil.copytree(archive.documents / doc_id[:2] / doc_id, documents / doc_id, copy_function=shutil.copy2)
        for path in documents.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        info = {
            "Bag-Software-Agent": f"arhiva {__version__}",
            "External-Description": f"{len(doc_ids)} document(s) exported from the arhiva archive at {archive.root}",
            "Bagging-Date": now_iso()[:10],
            "Internal-Sender-Description": "each folder in data/documents is named by the SHA-256 of its original",
        }
        bag = bagit.make_bag(str(building), bag_info=info, checksums=CHECKSUMS)
        bag.validate()
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    if target.exists():
        target.rmdir()
    building.rename(target)
    return target
