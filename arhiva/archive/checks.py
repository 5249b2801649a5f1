"""Checking the archive: each document against its manifest and the journal, the
journal's chain, and anything in the archive that arhiva did not put there.

A problem is one line that names what is wrong. Nothing here changes the
archive, except that :func:`check_archive` first lets :meth:`Archive.locked`
finish a change a dead process left half done.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from arhiva.archive import catalog
from arhiva.archive.journal import GENESIS, RECORD_KINDS, Entry, Head, JournalError, parse_line
from arhiva.archive.store import (
    ANNOTATIONS, CORRECTIONS_FILE, FORMAT_VERSION, INTENT_FILE, LEGACY_CORRECTIONS_FILE, MANIFEST_FILE,
    METADATA_FILE, ROOT_ENTRIES, WITHDRAWN_FILE, Archive, naming, sha256_stream,
)
from arhiva.archive.document import TEXT_FILE, Manifest, PAGES_FOLDER
from arhiva.errors import ArchiveError

#: Journal problems listed one by one; past this many, counted.
MAX_JOURNAL_PROBLEMS = 20
_DOC_ID = re.compile(r"[0-9a-f]{64}")
_SHARD = re.compile(r"[0-9a-f]{2}")


@dataclass
class Expected:
    """What the journal says a document's files are now."""

    seq: int  # the entry that recorded it (commit or adopt)
    manifest: str | None
    metadata: str | None
    legacy: str | None  # SHA-256 of a format-1 corrections.json
    corrections: dict[int, str] = field(default_factory=dict)  # seq → SHA-256 of its line
    withdrawn: str | None = None  # SHA-256 of its withdrawn.json, while it is withdrawn
    purged: int = 0  # the entry that purged it (its folder is then gone for good)


def advance(state: Expected | None, entry: Entry) -> Expected | None:
    """The state after one more entry about the document; None if nothing recorded it yet."""
    if entry.kind in RECORD_KINDS:
        return Expected(entry.seq, entry.get("manifest"), entry.get("metadata"), entry.get("corrections"))
    if state is None:
        return None
    if entry.kind == "extraction":
        return replace(state, metadata=entry.get("metadata"))
    if entry.kind == "derivation":
        return replace(state, manifest=entry.get("manifest"))
    if entry.kind == "correction":
        return replace(state, corrections={**state.corrections, entry.seq: entry.get("record")})
    if entry.kind == "withdrawal":
        return replace(state, withdrawn=entry.get("record"))
    if entry.kind == "restoration":
        return replace(state, withdrawn=None)
    if entry.kind == "purge":
        return replace(state, withdrawn=None, purged=entry.seq)
    return state


def expected_state(entries: Iterable[Entry], state: Expected | None = None) -> Expected | None:
    for entry in entries:
        state = advance(state, entry)
    return state


# -- one document ------------------------------------------------------------


def check_document(archive: Archive, doc_id: str, expected: Expected | None, journal: bool = True) -> list[str]:
    """Problems with one document; ``expected`` is its state in the journal (when ``journal`` is in force)."""
    return _check(archive, doc_id, expected, journal, whole=True)


def _check(archive: Archive, doc_id: str, expected: Expected | None, journal: bool, whole: bool) -> list[str]:
    """The one reader of a document for checking it: its manifest, then (``whole``) every file it
    lists, the files it does not, and what it names; or only the cleaned text, which the index
    reads; then its annotations, against the journal's ``expected`` state when ``journal``."""
    short = doc_id[:12]
    try:
        raw = archive.manifest_bytes(doc_id)
        manifest = Manifest.parse(doc_id, raw)
    except ArchiveError as err:
        return [naming(doc_id, err)]
    problems = []
    if whole:
        if manifest.json.get("id") != doc_id:
            problems.append(f"{short}: manifest names another document ({manifest.json.get('id')})")
        if manifest.original is None:
            problems.append(f"{short}: manifest names no original")
    checked = sorted(manifest.files.items()) if whole else [(TEXT_FILE, manifest.files.get(TEXT_FILE))]
    for name, checksum in checked:
        try:
            with archive.open_member(doc_id, name) as handle:
                if checksum is None or sha256_stream(handle) != checksum:
                    problems.append(f"{short}: {name} does not match its checksum")
        except ArchiveError as err:
            problems.append(naming(doc_id, err))
    if whole:
        problems.extend(strangers(archive, doc_id, set(manifest.files)))
    problems.extend(_recorded_problems(archive, doc_id, raw, expected if journal else None, journal))
    return list(dict.fromkeys(problems))


def _recorded_problems(archive: Archive, doc_id: str, manifest: bytes, expected: Expected | None,
                       journal: bool) -> list[str]:
    """Problems with a document's annotations (metadata, corrections), and, with ``journal``,
    with its manifest and annotations against the journal's ``expected`` state."""
    problems = []
    annotations = {}
    for name in ANNOTATIONS:
        try:
            annotations[name] = archive.read_member(doc_id, name, missing_ok=True)
        except ArchiveError as err:
            problems.append(naming(doc_id, err))
            annotations[name] = b""
    problems.extend(_annotation_problems(doc_id, annotations))
    if journal:
        problems.extend(_journal_problems(doc_id, expected, manifest, annotations))
    return problems


def strangers(archive: Archive, doc_id: str, listed: set[str]) -> list[str]:
    """Files and folders in a document's folder that arhiva did not put there, and links."""
    short = doc_id[:12]
    allowed = listed | {MANIFEST_FILE, *ANNOTATIONS}
    found = []
    for name, kind in _entries(archive._folder(doc_id)):
        if name in allowed and kind == "file":
            continue
        if kind == "link":
            found.append(f"{short}: {name} is a symbolic link")
        elif kind == "dir" and name == PAGES_FOLDER:
            for inner, inner_kind in _entries(archive._folder(doc_id) / PAGES_FOLDER):
                path = f"{PAGES_FOLDER}/{inner}"
                if inner_kind == "link":
                    found.append(f"{short}: {path} is a symbolic link")
                elif path not in listed:
                    found.append(f"{short}: {path} is not listed in the manifest (arhiva did not put it there)")
        elif name in allowed:
            found.append(f"{short}: {name} is not a regular file")
        else:
            found.append(f"{short}: {name} is not listed in the manifest (arhiva did not put it there)")
    return found


def _annotation_problems(doc_id: str, annotations: dict[str, bytes | None]) -> list[str]:
    problems = []
    from arhiva.archive.lifecycle import parse_withdrawal

    checks = ((METADATA_FILE, catalog.parse_extracted), (LEGACY_CORRECTIONS_FILE, catalog.parse_legacy),
              (CORRECTIONS_FILE, catalog.parse_log), (WITHDRAWN_FILE, parse_withdrawal))
    for name, parse in checks:
        data = annotations.get(name)
        if data:
            try:
                parse(doc_id, data)
            except ArchiveError as err:
                problems.append(naming(doc_id, err))
    log = annotations.get(CORRECTIONS_FILE)
    if log and not log.endswith(b"\n"):
        problems.append(f"{doc_id[:12]}: {CORRECTIONS_FILE} ends in an incomplete line")
    return problems


def _journal_problems(doc_id: str, expected: Expected | None, manifest: bytes,
                      annotations: dict[str, bytes | None]) -> list[str]:
    short = doc_id[:12]
    if expected is None:
        return [f"{short}: not in the journal: arhiva did not add this document, or its entry was removed"]
    if expected.purged:
        return [f"{short}: purged (journal entry {expected.purged}), yet its folder is in the archive"]
    problems = []
    recorded = f"(journal entry {expected.seq})"
    if _sha(manifest) != expected.manifest:
        problems.append(f"{short}: {MANIFEST_FILE} does not match the journal {recorded}: it was changed")
    if _sha(annotations.get(METADATA_FILE)) != expected.metadata:
        problems.append(f"{short}: {METADATA_FILE} does not match the journal: it was changed")
    if _sha(annotations.get(LEGACY_CORRECTIONS_FILE)) != expected.legacy:
        problems.append(f"{short}: {LEGACY_CORRECTIONS_FILE} does not match the journal {recorded}: it was changed")
    lines = {}
    for number, line in enumerate((annotations.get(CORRECTIONS_FILE) or b"").split(b"\n")[:-1], start=1):
        try:
            lines[catalog.parse_log_line(doc_id, line, number)["seq"]] = hashlib.sha256(line).hexdigest()
        except ArchiveError:
            continue  # reported as damaged
    for seq, record in sorted(expected.corrections.items()):
        if seq not in lines:
            problems.append(f"{short}: correction {seq} in the journal is missing from {CORRECTIONS_FILE}")
        elif lines[seq] != record:
            problems.append(f"{short}: correction {seq} in {CORRECTIONS_FILE} was changed (it does not match the journal)")
    for seq in sorted(set(lines) - set(expected.corrections)):
        problems.append(f"{short}: correction {seq} in {CORRECTIONS_FILE} is not in the journal")
    withdrawn = annotations.get(WITHDRAWN_FILE)
    if _sha(withdrawn) != expected.withdrawn:
        if expected.withdrawn is None:
            problems.append(f"{short}: {WITHDRAWN_FILE} is not in the journal (arhiva did not withdraw it)")
        elif withdrawn is None:
            problems.append(f"{short}: withdrawn in the journal, but its {WITHDRAWN_FILE} is missing")
        else:
            problems.append(f"{short}: {WITHDRAWN_FILE} does not match the journal: it was changed")
    return problems


def journal_states(archive: Archive) -> dict[str, Expected] | None:
    """Every document's state in the journal, from one pass over it (None: an archive without a journal)."""
    if archive.format < FORMAT_VERSION:
        return None
    states: dict[str, Expected] = {}
    for number, line in archive.journal.lines():
        try:
            entry = parse_line(line, number, check=False)
        except JournalError:
            continue  # a damaged line: verify reports it; its document is then looked up one by one
        if entry.id:
            states[entry.id] = advance(states.get(entry.id), entry)
    return states


def index_problems(archive: Archive, doc_id: str, states: dict[str, Expected] | None = None) -> list[str]:
    """Problems with what the search index reads of a document: its manifest and
    annotations against the journal, its cleaned text against the manifest.

    The original and the raw pages are left to :func:`check_archive`: reading
    them is what makes ``verify`` slow, and the index holds nothing of them.
    ``states`` (:func:`journal_states`) saves reading the journal for each
    document; a document it does not know, or knows differently (changed
    since), is looked up in the journal itself.
    """
    journal = archive.format >= FORMAT_VERSION
    expected = states.get(doc_id) if states is not None else None
    problems = _index_problems(archive, doc_id, expected, journal and expected is not None)
    if journal and (expected is None or problems):
        problems = _index_problems(archive, doc_id, expected_state(archive.journal.for_document(doc_id)), True)
    if journal and problems and _wait_for_change(archive):
        # a writer had changed a file and not yet journaled it (``arhiva tag`` during a reindex): now it has
        problems = _index_problems(archive, doc_id, expected_state(archive.journal.for_document(doc_id)), True)
    return problems


#: How long a reader waits for a change another process announced to be journaled.
CHANGE_WAIT = 5.0


def _wait_for_change(archive: Archive) -> bool:
    """Whether a change was announced (``journal.intent``) and is now done, waiting up to
    :data:`CHANGE_WAIT` seconds for it; False when none was in progress or it did not end."""
    intent = archive.root / INTENT_FILE
    if not os.path.lexists(intent):
        return False
    deadline = time.monotonic() + CHANGE_WAIT
    while os.path.lexists(intent):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _index_problems(archive: Archive, doc_id: str, expected: Expected | None, journal: bool) -> list[str]:
    return _check(archive, doc_id, expected, journal, whole=False)


# -- the whole archive -------------------------------------------------------


@dataclass
class ArchiveCheck:
    """What :func:`check_archive` found."""

    documents: int = 0
    withdrawn: int = 0  # of ``documents``
    purged: int = 0  # documents the journal says were purged (their tombstones)
    problems: list[str] = field(default_factory=list)
    staging_leftovers: int = 0
    journal: bool = True  # whether the archive has a journal in force
    head: Head | None = None
    entries: int = 0
    since: Head | None = None
    since_found: bool = False
    since_kinds: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data: dict = {"entries": self.entries, "head": str(self.head) if self.head else None}
        if self.since:
            data["since"] = {"head": str(self.since), "found": self.since_found, "entries_after": self.since_kinds}
        return data


def check_archive(archive: Archive, since: Head | None = None,
                  on_doc: Callable[[], None] | None = None) -> ArchiveCheck:
    """Check the journal end to end, every document against it, and the archive's layout.

    With ``since`` (a head noted earlier), also check that the journal still
    holds that entry with that hash: that nothing up to it was changed.
    """
    report = ArchiveCheck(since=since)
    size = _snapshot(archive, report)
    states: dict[str, Expected] = {}
    report.journal = archive.format >= FORMAT_VERSION
    if report.journal:
        _walk_journal(archive, size, states, report)
    else:
        report.notes.append("this archive has no journal yet (format 1), so edits of its manifests cannot be "
                            "detected; run any arhiva command that may write to it to start the journal")
    ids = list(archive.ids())
    report.documents = len(ids)
    later: list[Entry] | None = None
    present = set(ids)
    report.withdrawn = sum(1 for doc_id in ids if archive.is_withdrawn(doc_id))
    for doc_id in ids + sorted(d for d in states if d not in present):
        if doc_id not in present and states[doc_id].purged and not os.path.lexists(archive._folder(doc_id)):
            report.purged += 1
            continue
        if doc_id not in present and not os.path.lexists(archive._folder(doc_id)):
            report.problems.append(f"{doc_id[:12]}: in the journal (entry {states[doc_id].seq}) but not in the "
                                   "archive: its folder was deleted or moved")
            continue
        problems = check_document(archive, doc_id, states.get(doc_id), report.journal)
        if problems and report.journal:
            # Changed while we read? Then the journal has more to say about it.
            later = later if later is not None else _entries_after(archive, report.head)
            extra = [e for e in later if e.id == doc_id]
            if extra:
                problems = check_document(archive, doc_id, expected_state(extra, states.get(doc_id)))
        report.problems.extend(problems)
        if on_doc and doc_id in present:
            on_doc()
    report.problems.extend(layout_problems(archive, set(states)))
    report.staging_leftovers = len(_entries(archive.staging))
    return report


def _snapshot(archive: Archive, report: ArchiveCheck) -> int:
    """The journal's size now, read under the lock (after any recovery), so that the walk ends on a whole entry."""
    try:
        with archive.locked():
            return _size(archive.journal.path)
    except (OSError, ArchiveError) as err:
        report.notes.append(f"could not take the archive lock ({err}); a change made meanwhile may show as a problem")
        return _size(archive.journal.path)


def _walk_journal(archive: Archive, size: int, states: dict[str, Expected], report: ArchiveCheck) -> None:
    problems: list[str] = []
    prev: str | None = GENESIS
    head = Head(0, GENESIS)
    read = 0
    found_at = None
    try:
        for number, line in archive.journal.lines():
            if read >= size:
                break
            read += len(line)
            report.entries = number
            if not line.endswith(b"\n"):
                problems.append(f"journal line {number} is incomplete")
                break
            try:
                entry = parse_line(line[:-1], number)
            except JournalError as err:
                problems.append(str(err))
                prev = None
                continue
            if entry.seq != number:
                problems.append(f"journal line {number} holds entry {entry.seq}: entries were removed, added or moved")
            if prev is not None and entry.prev != prev:
                problems.append(f"journal entry {entry.seq} does not follow the entry before it: the journal was changed")
            prev = entry.hash
            head = Head(entry.seq, entry.hash)
            if found_at is not None:
                report.since_kinds[entry.kind] = report.since_kinds.get(entry.kind, 0) + 1
            elif report.since and _is_noted(entry, report.since):
                found_at = entry.seq
                report.since_found = entry.hash == report.since.hash and not problems
                if entry.hash != report.since.hash:
                    problems.append(f"journal entry {entry.seq} is not the one noted (its hash is now "
                                    f"{entry.hash[:16]}…): the journal was changed at or before it")
            state = advance(states.get(entry.id), entry)
            if state is None:
                problems.append(f"journal entry {entry.seq} ({entry.kind}) is about {entry.id[:12]}, "
                                "which no earlier entry added")
            else:
                states[entry.id] = state
    except JournalError as err:
        problems.append(str(err))
    report.head = head
    if report.since and found_at is None:
        if report.since.seq >= 0:
            problems.append(f"the journal has only {head.seq} entries: the noted entry {report.since.seq} "
                            "and others before it were removed")
        else:
            problems.append("no journal entry has the noted hash: the journal was changed at or before the noted head")
    if len(problems) > MAX_JOURNAL_PROBLEMS:
        problems = problems[:MAX_JOURNAL_PROBLEMS] + [f"… and {len(problems) - MAX_JOURNAL_PROBLEMS} more journal problems"]
    report.problems.extend(problems)


def _is_noted(entry: Entry, noted: Head) -> bool:
    return entry.seq == noted.seq if noted.seq >= 0 else entry.hash == noted.hash


def _entries_after(archive: Archive, head: Head | None) -> list[Entry]:
    try:
        return archive.journal.since(head.seq if head else 0)
    except ArchiveError:
        return []


def layout_problems(archive: Archive, journaled: set[str]) -> list[str]:
    """Entries of the archive's top folder and of ``documents/`` that arhiva did not make, and links."""
    problems = []
    for name, kind in _entries(archive.root):
        if name not in ROOT_ENTRIES:
            problems.append(f"unexpected entry in the archive: {name} (arhiva did not put it there)")
        elif kind == "link":
            problems.append(f"{name} in the archive is a symbolic link; arhiva never follows links in the archive")
    for shard, kind in _entries(archive.documents):
        if kind != "dir" or not _SHARD.fullmatch(shard):
            what = "a symbolic link" if kind == "link" else "unexpected"
            problems.append(f"documents/{shard} is {what} (arhiva did not put it there)")
            continue
        for name, inner in _entries(archive.documents / shard):
            path = f"documents/{shard}/{name}"
            if inner == "link":
                problems.append(f"{path} is a symbolic link (arhiva did not put it there)")
            elif inner != "dir" or not (_DOC_ID.fullmatch(name) and name.startswith(shard)):
                problems.append(f"{path} is unexpected (arhiva did not put it there)")
            elif name not in journaled and not archive.has(name):
                problems.append(f"{path} has no manifest")
    return problems


def _entries(folder) -> list[tuple[str, str]]:
    """(name, kind) of each entry of a folder, kind being dir, file, link or other; never following links."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return []
    try:
        with os.scandir(fd) as entries:
            return sorted((e.name, _kind(e)) for e in entries)
    finally:
        os.close(fd)


def _kind(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return "link"
    if entry.is_dir(follow_symlinks=False):
        return "dir"
    return "file" if entry.is_file(follow_symlinks=False) else "other"


def _size(path) -> int:
    try:
        return os.lstat(path).st_size
    except FileNotFoundError:
        return 0


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()

