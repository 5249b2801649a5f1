"""The errors arhiva raises, each with an exit status and a plain-language message.

Library code raises these; exactly one place in the CLI turns them into a
one-line message and an exit status (the OCRmyPDF model).
"""

from __future__ import annotations


class ExitCode:
    """Exit statuses of the ``arhiva`` command. Documented in the README."""

    OK = 0
    FAILED_FILES = 1  # the batch ran, but some files could not be ingested
    USAGE = 2  # wrong options or arguments (click's own convention)
    MISSING_DEPENDENCY = 3  # Tesseract or a language model is missing
    NOT_FOUND = 4  # no such document, or an ambiguous ID
    INVALID_INPUT = 5  # a file that cannot be read as a document
    ARCHIVE_PROBLEM = 6  # the archive is damaged, locked or inconsistent


class ArhivaError(Exception):
    """Base error. ``str(err)`` is a complete, one-line message for the user."""

    exit_code = ExitCode.INVALID_INPUT


class InputError(ArhivaError):
    """A file that cannot be turned into a document (corrupt, encrypted, unsupported...)."""

    exit_code = ExitCode.INVALID_INPUT


class LimitError(InputError):
    """A file that would take more than a limit allows (memory, pixels, decompressed bytes, text, time).

    The message names the limit and the ingest option that sets it.
    """


class MissingDependencyError(ArhivaError):
    """An external program or model that arhiva needs is not installed.

    ``what`` says what is missing in a few words (for a line about one file);
    the message adds how to install it.
    """

    exit_code = ExitCode.MISSING_DEPENDENCY

    def __init__(self, message: str, what: str | None = None) -> None:
        super().__init__(message)
        self.what = what or message

    def __reduce__(self):  # keeps ``what`` across processes
        return type(self), (str(self), self.what)


class NotFoundError(ArhivaError):
    """No document matches an ID, or an abbreviated ID matches more than one."""

    exit_code = ExitCode.NOT_FOUND


class ArchiveError(ArhivaError):
    """The archive cannot be used as it is: damaged, locked, or of another version."""

    exit_code = ExitCode.ARCHIVE_PROBLEM


class DiskFullError(ArchiveError):
    """The disk that holds the archive is full or read-only: nothing more can be archived."""


class DocumentGoneError(ArchiveError):
    """A document the index or a listing names is no longer in the archive (its folder is gone).

    Readers that meet documents through the index catch this one to skip
    the document and say so, rather than fail.
    """


class QueryError(ArhivaError):
    """A search query that cannot be understood."""

    exit_code = ExitCode.USAGE


class OcrError(ArhivaError):
    """Tesseract failed, ran out of memory or time on a page, or its page image could not be written."""

    exit_code = ExitCode.INVALID_INPUT
