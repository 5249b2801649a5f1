"""Every read of whoosh3's private storage, behind a capability probe.

The ranking reads a term's postings a whole block at a time, and a column's
values as one array, straight from whoosh3's on-disk structures: that is what
keeps a search at 100,000 documents near 30 ms instead of 200 ms. Those
structures are not Whoosh's public interface, so every private name is read
here and nowhere else, and only when the probe says it can be:

- the installed whoosh3 is a release whose formats have been checked
  (:data:`CHECKED_RELEASES`, by major and minor version), and
- each object read has the names (:class:`Names`) with the expected shape.

When either fails, the same values are read through the public interface
(stepping a matcher one posting at a time, a column one value at a time):
the same results, slower. One line is logged, once per process, naming what
was missing; never a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import whoosh
from whoosh import index as whoosh_index
from whoosh.util.numeric import byte_to_length

log = logging.getLogger(__name__)

#: The whoosh3 releases (major, minor) whose posting blocks, columns and table
#: of contents this module has been checked against (``tests/test_whoosh_adapter.py``).
CHECKED_RELEASES = ((3, 54),)
#: The index's name inside its folder (Whoosh's default).
INDEX_NAME = "MAIN"


class Names(NamedTuple):
    """The private names read, as whoosh3 spells them."""

    #: A term's posting matcher (``W3LeafMatcher``): the current block's
    #: (ids, weights, values), its loader, its length, the next block, the
    #: block's highest document number, whether ids are stored whole (not as deltas).
    data: str = "_data"
    read_data: str = "_read_data"
    blocklength: str = "_blocklength"
    next_block: str = "_next_block"
    maxid: str = "_maxid"
    byteids: str = "_byteids"
    #: A fixed-width column's reader: value width, file, start, count.
    fixedlen: str = "_fixedlen"
    dbfile: str = "_dbfile"
    basepos: str = "_basepos"
    count: str = "_count"
    #: A segment reader's per-document reader and its cache of columns; the
    #: codec's column of field lengths and the name of a field's length column.
    perdoc: str = "_perdoc"
    cached_reader: str = "_cached_reader"
    lengths_column: str = "LENGTHS_COLUMN"
    lenfield: str = "_lenfield"
    #: The pattern of the table of contents' file name (``_MAIN_<generation>.toc``).
    toc_pattern: str = "_pattern"


NAMES = Names()

_BLOCK_NAMES = ("data", "read_data", "blocklength", "next_block", "maxid", "byteids")
_COLUMN_NAMES = ("fixedlen", "dbfile", "basepos", "count")


class _Probe:
    """What has been found usable, by kind of object, and whether the notice was logged."""

    def __init__(self) -> None:
        self.usable: dict[object, bool] = {}
        self.noticed = False


_probe = _Probe()


def reset() -> None:
    """Forget what was probed (for tests that change what whoosh3 offers)."""
    global _probe
    _probe = _Probe()


def release() -> tuple[int, ...]:
    """The installed whoosh3's version, as numbers."""
    version = getattr(whoosh, "__version__", ())
    return tuple(version) if isinstance(version, tuple) else ()


def release_checked() -> bool:
    return release()[:2] in CHECKED_RELEASES


def _notice(what: str) -> None:
    """The one line logged when a private read is not possible."""
    if _probe.noticed:
        return
    _probe.noticed = True
    version = ".".join(map(str, release())) or "unknown"
    log.warning("whoosh3 %s: %s; searching through its public interface instead (same results, slower)",
                version, what)


def _usable(key: object, check) -> bool:
    """Whether the private reads of ``key`` can be made: the release is checked and ``check()`` holds."""
    found = _probe.usable.get(key)
    if found is None:
        if not release_checked():
            found, why = False, f"not a release arhiva has checked ({_releases()})"
        else:
            why = check()
            found = why is None
        _probe.usable[key] = found
        if not found:
            _notice(why)
    return found


def _releases() -> str:
    return ", ".join(".".join(map(str, r)) for r in CHECKED_RELEASES)


def _has(obj: object, names: tuple[str, ...]) -> str | None:
    """None when ``obj`` has every one of these names of :class:`Names`; else what it lacks."""
    for name in names:
        spelled = getattr(NAMES, name)
        if not hasattr(obj, spelled):
            return f"{type(obj).__name__} has no {spelled}"
    return None


def status() -> dict[str, bool]:
    """What the probe has found so far (kind of object -> fast path usable), for tests and benchmarks."""
    return {f"{key[0].__name__} {key[1]}" if isinstance(key, tuple) else key.__name__: found
            for key, found in _probe.usable.items()}


# -- posting blocks ----------------------------------------------------------

def _blocks(matcher) -> bool:
    """Whether this term matcher's posting blocks can be read directly."""

    def check() -> str | None:
        missing = _has(matcher, _BLOCK_NAMES)
        if missing:
            return missing
        if not (callable(getattr(matcher, NAMES.read_data)) and callable(getattr(matcher, NAMES.next_block))):
            return f"{type(matcher).__name__}'s block readers are not methods"
        return None

    return _usable(type(matcher), check)


def _block_data(matcher) -> tuple:
    data = getattr(matcher, NAMES.data)
    if data is None:
        getattr(matcher, NAMES.read_data)()
        data = getattr(matcher, NAMES.data)
    return data


def _unwrapped(matcher):
    """The term's own matcher (the segment's deletions are applied by the caller)."""
    from whoosh.matching import FilterMatcher

    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def postings(matcher, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers and weights of one term's postings (deleted documents included),
    and their raw values appended to ``values`` if it is given."""
    matcher = _unwrapped(matcher)
    if not matcher.is_active():
        return np.empty(0, np.int64), np.empty(0, np.float64)
    if not _blocks(matcher) or not _block_shape(matcher):
        return _stepped(matcher, values)
    # Read each block's data once, gather the numbers in lists and convert
    # them in one go (per-block numpy calls cost more).
    ids: list[int] = []
    weights: list[float] = []
    counts: list[int] = []
    blocklength, next_block = NAMES.blocklength, NAMES.next_block
    while matcher.is_active():
        raw_ids, raw_weights, raw_values = _block_data(matcher)[:3]
        count = getattr(matcher, blocklength)
        ids.extend(raw_ids)
        if values is not None and raw_values is not None:
            values.extend(raw_values)
        if raw_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(raw_weights, float):
            weights.extend([raw_weights] * count)
        else:
            weights.extend(raw_weights)
        counts.append(count)
        getattr(matcher, next_block)()
    docnums = np.array(ids, np.int64)
    if not getattr(matcher, NAMES.byteids):
        # Each block's ids are deltas from 0: a running sum, restarted at each block.
        lengths = np.array(counts)
        starts = np.cumsum(lengths) - lengths
        total = np.cumsum(docnums)
        docnums = total - np.repeat(total[starts] - docnums[starts], lengths)
    return docnums, np.array(weights, np.float64)


def _block_shape(matcher) -> bool:
    """Whether the first block reads as expected: (ids, weights, values), a length and a highest id."""

    def check() -> str | None:
        data = _block_data(matcher)
        if not (isinstance(data, tuple) and len(data) >= 3 and isinstance(getattr(matcher, NAMES.blocklength), int)
                and isinstance(getattr(matcher, NAMES.maxid), int)
                and len(data[0]) == getattr(matcher, NAMES.blocklength)):
            return f"{type(matcher).__name__}'s posting blocks have another shape"
        return None

    return _usable((type(matcher), "blocks"), check)


def _stepped(matcher, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``postings`` through the public interface, one posting at a time."""
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values is not None:
            values.append(matcher.value())
        matcher.next()
    return np.array(ids, np.int64), np.array(weights, np.float64)


def _block_ids(matcher) -> np.ndarray:
    raw = np.asarray(_block_data(matcher)[0], np.int64)
    return raw if getattr(matcher, NAMES.byteids) else np.cumsum(raw)


def _blocks_holding(matcher, docnums: np.ndarray):
    """Walk a term's posting blocks, decoding only those whose range holds some
    of ``docnums`` (sorted): yields, with the matcher on that block, the
    documents it has and their places in it."""
    start = 0
    maxid, next_block = NAMES.maxid, NAMES.next_block
    while matcher.is_active() and start < len(docnums):
        end = int(np.searchsorted(docnums, getattr(matcher, maxid), side="right"))
        if end > start:
            yield among(_block_ids(matcher), docnums[start:end])
            start = end
        getattr(matcher, next_block)()


def among(ids: np.ndarray, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``docnums`` are in the sorted ``ids``, and where they stand in it."""
    where = np.searchsorted(ids, docnums)
    where[where >= len(ids)] = 0
    hits = ids[where] == docnums
    return docnums[hits], where[hits]


def postings_within(matcher, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``postings`` for only these (sorted) documents: blocks whose range holds
    none of them are passed over without being decoded."""
    matcher = _unwrapped(matcher)
    if not matcher.is_active() or not _blocks(matcher) or not _block_shape(matcher):
        ids, weights = _stepped(matcher)
        keep = np.isin(ids, docnums)
        return ids[keep], weights[keep]
    found_ids: list[np.ndarray] = []
    found_weights: list[np.ndarray] = []
    for docs, where in _blocks_holding(matcher, docnums):
        raw = _block_data(matcher)[1]
        if raw is None or isinstance(raw, float):
            weights = np.full(len(where), 1.0 if raw is None else raw)
        else:
            weights = np.asarray(raw, np.float64)[where]
        found_ids.append(docs)
        found_weights.append(weights)
    if not found_ids:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    return np.concatenate(found_ids), np.concatenate(found_weights)


def positions(matcher, format_, docnums: np.ndarray) -> dict[int, list[int]]:
    """The positions of one term in each of these (sorted) documents that have it."""
    matcher = _unwrapped(matcher)
    found: dict[int, list[int]] = {}
    if not matcher.is_active() or not _blocks(matcher) or not _block_shape(matcher):
        for docnum in docnums.tolist():
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                found[docnum] = matcher.value_as("positions")
        return found
    for docs, where in _blocks_holding(matcher, docnums):
        values = _block_data(matcher)[2]
        for docnum, i in zip(docs.tolist(), where.tolist()):
            found[docnum] = format_.decode_positions(values[i])
    return found


# -- columns -----------------------------------------------------------------

#: Field length of each stored length byte (Whoosh's own logarithmic code).
_LENGTHS = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)


def _column_bytes(column, width: int) -> bytes | None:
    """A fixed-width column's values as stored, or None when they cannot be read directly."""

    def check() -> str | None:
        return _has(column, _COLUMN_NAMES)

    if not _usable(type(column), check) or getattr(column, NAMES.fixedlen) != width:
        return None
    count = getattr(column, NAMES.count)
    return getattr(column, NAMES.dbfile).get(getattr(column, NAMES.basepos), count * width)


def numeric_column(reader, fieldname: str) -> tuple[np.ndarray, np.uint64]:
    """The values of a 64-bit numeric column (as stored: sortable unsigned numbers),
    and the value documents without one have."""
    count = reader.doc_count_all()
    column = reader.column_reader(fieldname, translate=False)
    missing = np.uint64(reader.schema[fieldname].column_type.default_value())
    stored = _column_bytes(column, 8)
    if stored is None:
        return np.fromiter((int(v) for v in column), np.uint64, count), missing
    values = np.full(count, missing, np.uint64)
    found = np.frombuffer(stored, ">u8")
    values[: min(count, len(found))] = found[:count]
    return values, missing


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """The stored length of ``fieldname`` in every document of the segment."""
    count = reader.doc_count_all()
    column = _length_column(reader, fieldname)
    stored = _column_bytes(column, 1) if column is not None else None
    if stored is None:
        return np.array([reader.doc_field_length(n, fieldname, 1) or 0 for n in range(count)], np.float64)
    codes = np.zeros(count, np.uint8)
    found = np.frombuffer(stored, np.uint8)
    codes[: min(count, len(found))] = found[:count]
    return _LENGTHS[codes]


def _length_column(reader, fieldname: str):
    """whoosh3's column of one-byte field lengths, if this reader has one."""
    from whoosh.codec import whoosh3

    def check() -> str | None:
        if not hasattr(whoosh3, NAMES.lengths_column) or not hasattr(whoosh3, NAMES.lenfield):
            return f"whoosh.codec.whoosh3 has no {NAMES.lengths_column} or {NAMES.lenfield}"
        perdoc = getattr(reader, NAMES.perdoc, None)
        if perdoc is None or not callable(getattr(perdoc, NAMES.cached_reader, None)):
            return f"{type(reader).__name__} has no {NAMES.perdoc}.{NAMES.cached_reader}"
        return None

    if not _usable(type(reader), check):
        return None
    name = getattr(whoosh3, NAMES.lenfield)(fieldname)
    return getattr(getattr(reader, NAMES.perdoc), NAMES.cached_reader)(name, getattr(whoosh3, NAMES.lengths_column))


# -- the table of contents ---------------------------------------------------

def _toc_pattern() -> re.Pattern | None:
    def check() -> str | None:
        pattern = getattr(whoosh_index.TOC, NAMES.toc_pattern, None)
        if not callable(pattern) or not isinstance(pattern(INDEX_NAME), re.Pattern):
            return f"whoosh.index.TOC has no {NAMES.toc_pattern}"
        return None

    if not _usable(whoosh_index.TOC, check):
        return None
    return getattr(whoosh_index.TOC, NAMES.toc_pattern)(INDEX_NAME)


def latest_toc(folder: Path) -> Path | None:
    """The file of Whoosh's latest table of contents in ``folder``; None when
    there is none, or its name cannot be known (then it is not checked)."""
    pattern = _toc_pattern()
    if pattern is None:
        return None
    found = [(int(m.group(1)), name) for name in os.listdir(folder) if (m := pattern.match(name))]
    return folder / max(found)[1] if found else None


def has_index(folder: Path) -> bool:
    """Whether ``folder`` holds an index, damaged or not (Whoosh's exists_in raises on damage)."""
    if not folder.is_dir():
        return False
    pattern = _toc_pattern()
    if pattern is not None:
        return any(pattern.match(name) for name in os.listdir(folder))
    try:
        return whoosh_index.exists_in(str(folder), INDEX_NAME)
    except Exception:  # noqa: BLE001 - a damaged table of contents: there is an index, damaged
        return True

