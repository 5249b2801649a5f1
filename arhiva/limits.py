"""What one input file may take: memory, pixels, decompressed bytes, text and time.

Every limit has a default that no real communiqué, minutes or decision comes
near, an ``ingest`` option that sets it, and a one-line reason, naming that
option, when a file reaches it (:class:`~arhiva.errors.LimitError`). Time is
bounded by the pipeline (``--file-timeout``) and by the OCR engine
(``--page-timeout``); the others are checked here and where files are read.

Memory is bounded by the operating system: each worker process runs under an
address-space limit (``RLIMIT_AS``), and the Tesseract it starts gets what the
worker leaves of it, less :data:`COMMAND_RESERVE` for the rest of the command,
so one file never takes more than ``memory_mb`` in all.
"""

from __future__ import annotations

import ctypes
import logging
import os
import resource
import signal
from dataclasses import dataclass

from arhiva.errors import LimitError

log = logging.getLogger(__name__)

#: The least a Tesseract run is given, whatever its worker holds: its model alone takes ~60 MB.
MIN_CHILD_MEMORY = 256 * 2**20
#: What the rest of the command holds while one file is read: the ``ingest``
#: process itself (~50 MB resident) and an idle worker (~35 MB), with room to
#: spare. A Tesseract run is given the file's memory less this and less what
#: its worker holds, so that the whole command, for one file, stays within
#: ``--max-memory`` (a page of noise makes Tesseract take all it is given).
COMMAND_RESERVE = 128 * 2**20


@dataclass(frozen=True)
class Limits:
    """The bounds on one input file. The defaults are the ``ingest`` options' defaults."""

    #: Memory of the processes reading one file (worker and Tesseract together), in MiB.
    memory_mb: int = 1024
    #: Pixels of one page image, of an image file or of a PDF page as rendered, in millions.
    megapixels: float = 100.0
    #: Bytes one compressed PDF stream may expand to, in MiB. A page's content is
    #: rarely over 1 MB, a large embedded font 20 MB; pdfminer reads page content
    #: at about 0.2 MB/s, so this also keeps a bomb's parse within --file-timeout.
    decompressed_mb: int = 64
    #: Characters of text of one document (text file, text layers and OCR together).
    text_chars: int = 5_000_000
    #: Pages of one document (PDF pages, TIFF frames). Each page that needs OCR
    #: costs a Tesseract run of a second or more: 10,000 blank pages of a few
    #: bytes each would hold a batch for hours.
    pages: int = 2_000

    @property
    def memory_bytes(self) -> int:
        return self.memory_mb * 2**20

    @property
    def pixels(self) -> int:
        return int(self.megapixels * 1_000_000)

    @property
    def decompressed_bytes(self) -> int:
        return self.decompressed_mb * 2**20

    def out_of_memory(self) -> LimitError:
        """The reason given when reading a file ran out of its memory."""
        return LimitError(f"needs more than {self.memory_mb} MB of memory to read (see --max-memory)")

    def check_text(self, chars: int) -> None:
        """Raise :class:`LimitError` if a document's text is longer than the limit.

        >>> Limits(text_chars=10).check_text(11)
        Traceback (most recent call last):
        arhiva.errors.LimitError: text too long: 11 characters (limit 10; see --max-text)
        """
        if chars > self.text_chars:
            raise LimitError(f"text too long: {chars:,} characters (limit {self.text_chars:,}; see --max-text)")


    def check_pages(self, count: int) -> None:
        """Raise :class:`LimitError` if a document has more pages than the limit.

        >>> Limits(pages=10).check_pages(10_000)
        Traceback (most recent call last):
        arhiva.errors.LimitError: too many pages: 10,000 (limit 10)
        """
        if count > self.pages:
            raise LimitError(f"too many pages: {count:,} (limit {self.pages:,})")


DEFAULT_LIMITS = Limits()


def limit_memory(limit: int) -> None:
    """Bound this process's address space to ``limit`` bytes (and so every process it starts).

    Allocations past it fail with :class:`MemoryError` in Python, and with an
    allocation failure in libraries. A lower hard limit set from outside is kept.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def memory_limit() -> int | None:
    """This process's address-space limit in bytes (as :func:`limit_memory` set it in a worker), or None."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def child_memory(limit: int) -> int:
    """The address space to give a program this process starts: ``limit`` less what this one and the command hold.

    >>> child_memory(2**40) > 2**40 - COMMAND_RESERVE - 2**30 and child_memory(0) == MIN_CHILD_MEMORY
    True
    """
    return max(MIN_CHILD_MEMORY, limit - resident_bytes() - COMMAND_RESERVE)


def resident_bytes() -> int:
    """The memory this process holds now (its resident set), in bytes; 0 where unknown."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_PR_SET_PDEATHSIG = 1


def _load_prctl():
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


_prctl = _load_prctl()


def die_with_parent() -> None:
    """Have the kernel kill this process when the process that started it dies (Linux).

    Workers and the Tesseract runs they start then never outlive an ingest
    that was killed, even by SIGKILL. Elsewhere this does nothing. Safe to call
    between fork and exec (it only makes one system call).
    """
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
