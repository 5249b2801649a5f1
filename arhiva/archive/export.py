"""Exporting documents as a BagIt bag (RFC 8493), for transfer or deposit elsewhere.

The bag holds, under ``data/documents/<id>/``, each document's files exactly
as the archive keeps them (original, page texts, cleaned text, change log,
manifest, metadata and corrections), with SHA-256 and SHA-512 manifests that
any BagIt validator checks.

The bag is built in a new folder of its own beside the target and renamed
into place when it is complete; nothing that exists is ever written into,
reused or removed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from arhiva import __version__
from arhiva.archive.atomic import rename_new
from arhiva.archive.document import COPY_FILE, Manifest
from arhiva.archive.store import ANNOTATIONS, MANIFEST_FILE, Archive, naming, now_iso
from arhiva.errors import ArchiveError

CHECKSUMS = ["sha256", "sha512"]


@dataclass
class ExportReport:
    bag: Path  # written only if something was exported
    exported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line per document left out, naming it


def check_target(target: Path) -> Path:
    """The bag's path, made absolute; refused if anything is there already, a link included."""
    if target.name in ("", ".", ".."):
        raise ArchiveError(f"{str(target)!r} is an existing folder; give the name of a new folder for the bag")
    absolute = Path(os.path.abspath(target))
    if absolute.is_symlink():
        dangling = "" if absolute.exists() else " (to nothing)"
        raise ArchiveError(f"{target} is a symbolic link{dangling}; give the name of a new folder for the bag")
    if os.path.lexists(absolute):
        raise ArchiveError(f"{target} already exists; export into a new folder")
    return absolute


def export_bag(archive: Archive, doc_ids: list[str], target: Path, pdf: bool = False) -> ExportReport:
    """Write the documents into a new BagIt bag at ``target``.

    Every document is verified first, and its files checked again as they are
    copied: a damaged one is left out and named in ``skipped``, so that a bag
    never carries a record that no longer matches its checksums.
    """
    import bagit

    target = check_target(target)
    report = ExportReport(target)
    sound = []
    for doc_id in doc_ids:
        problems = archive.check_document(doc_id)
        if problems:
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            report.skipped.append(f"{problems[0]}{more}")
        else:
            sound.append(doc_id)
    if not sound:
        return report
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".building", dir=target.parent))
    try:
        documents = building / "documents"
        documents.mkdir()
        for doc_id in sound:
            try:
                _copy_document(archive, doc_id, documents / doc_id)
                report.exported.append(doc_id)
            except ArchiveError as err:  # changed since it was verified
                shutil.rmtree(documents / doc_id, ignore_errors=True)
                report.skipped.append(naming(doc_id, err))
        if not report.exported:
            shutil.rmtree(building)
            return report
        if pdf:
            _gather_copies(documents, building / "pdf", report.exported)
        info = {
            "Bag-Software-Agent": f"arhiva {__version__}",
            "External-Description": f"{len(report.exported)} document(s) exported from the arhiva archive "
                                    f"at {archive.root}",
            "Bagging-Date": now_iso()[:10],
            "Internal-Sender-Description": "each folder in data/documents is named by the SHA-256 of its original",
        }
        with _quiet_bagit():
            bag = bagit.make_bag(str(building), bag_info=info, checksums=CHECKSUMS)
            bag.validate()
        os.chmod(building, 0o755)
        try:
            rename_new(building, target)
        except FileExistsError as err:
            raise ArchiveError(f"{target} appeared while the bag was being made; nothing was written there") from err
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return report


class _quiet_bagit:
    """bagit logs a failure with its traceback before raising it; the error
    itself reaches the user as one line, so its log shows only with ``-v``."""

    def __enter__(self):
        self.logger = logging.getLogger("bagit")
        self.level = self.logger.level
        if not logging.getLogger().isEnabledFor(logging.DEBUG):
            self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc) -> None:
        self.logger.setLevel(self.level)


def _copy_document(archive: Archive, doc_id: str, folder: Path) -> None:
    """Copy the files arhiva keeps for a document (never a link), checking each against its manifest."""
    manifest_bytes = archive.manifest_bytes(doc_id)
    manifest = Manifest.parse(doc_id, manifest_bytes)
    folder.mkdir()
    _write(folder / MANIFEST_FILE, manifest_bytes)
    for name, checksum in sorted(manifest.files.items()):
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        digest = hashlib.sha256()
        with archive.open_member(doc_id, name) as source, open(path, "xb") as out:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != checksum:
            raise ArchiveError(f"{doc_id[:12]}: {name} does not match its checksum")
        os.chmod(path, 0o644)
    for name in ANNOTATIONS:
        data = archive.read_member(doc_id, name, missing_ok=True)
        if data is not None:
            _write(folder / name, data)


def _gather_copies(documents: Path, folder: Path, doc_ids: list[str]) -> None:
    """The searchable PDF copies of the documents, already copied (and checked) into the bag, as
    ``pdf/<ID>.pdf`` beside ``documents/``: what a reader who wants only the PDFs opens."""
    folder.mkdir()
    for doc_id in doc_ids:
        copy = documents / doc_id / COPY_FILE
        if copy.is_file():
            shutil.copyfile(copy, folder / f"{doc_id}.pdf")
            os.chmod(folder / f"{doc_id}.pdf", 0o644)


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as out:
        out.write(data)
    os.chmod(path, 0o644)
