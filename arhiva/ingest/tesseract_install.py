"""What to do when Tesseract or one of its models is missing, and ingest without it.

Tesseract is needed only for pages that must be OCRed: text files and PDF
pages with a usable text layer go in without it. :class:`UnavailableEngine`
stands in for a missing Tesseract, so that an ingest archives what needs no
OCR and refuses, file by file, what does. :func:`install_command` gives the
command that installs what is missing on the user's own system.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

from arhiva.errors import MissingDependencyError

#: Package names of Tesseract itself and of a language model, by package manager.
_PACKAGES = {
    "apt": ("sudo apt-get install", "tesseract-ocr", "tesseract-ocr-{lang}"),
    "dnf": ("sudo dnf install", "tesseract", "tesseract-langpack-{lang}"),
    "brew": ("brew install", "tesseract", "tesseract-lang"),
}
#: The models that are packaged with Tesseract itself, by package manager.
_BUILT_IN = {"apt": {"eng"}, "dnf": {"eng"}, "brew": {"eng", "osd"}}
_DNF_NAMES = {"osd": "tesseract-osd"}
_FAMILIES = {"debian": "apt", "ubuntu": "apt", "fedora": "dnf", "rhel": "dnf", "centos": "dnf"}


def package_manager(platform: str | None = None, os_release: str | None = None) -> str | None:
    """``apt``, ``dnf`` or ``brew``: the package manager of this system, or None if not one of those.

    >>> package_manager("linux", 'ID=ubuntu\\nID_LIKE=debian\\n')
    'apt'
    >>> package_manager("linux", 'ID="rocky"\\nID_LIKE="rhel centos fedora"\\n')
    'dnf'
    >>> package_manager("darwin"), package_manager("linux", "ID=arch\\n")
    ('brew', None)
    """
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return "brew"
    if not platform.startswith("linux"):
        return None
    if os_release is None:
        try:
            os_release = Path("/etc/os-release").read_text("utf-8", "replace")
        except OSError:
            return None
    fields = dict(line.split("=", 1) for line in os_release.splitlines() if "=" in line)
    names = [fields.get("ID", "")] + fields.get("ID_LIKE", "").split()
    for name in names:
        manager = _FAMILIES.get(name.strip().strip('"'))
        if manager:
            return manager
    return None


def install_command(langs: list[str], with_tesseract: bool, manager: str | None) -> str:
    """The command that installs Tesseract (if ``with_tesseract``) and the models ``langs``.

    >>> install_command(["ron", "osd"], True, "apt")
    'sudo apt-get install tesseract-ocr tesseract-ocr-ron tesseract-ocr-osd'
    >>> install_command(["ron", "osd"], True, "dnf")
    'sudo dnf install tesseract tesseract-langpack-ron tesseract-osd'
    >>> install_command(["ron", "osd"], True, "brew")
    'brew install tesseract tesseract-lang'
    >>> install_command(["ron"], False, None)
    "Tesseract's model for ron from your system's packages or https://github.com/tesseract-ocr/tessdata"
    """
    if manager not in _PACKAGES:
        what = "Tesseract 4 or later with its models" if with_tesseract else "Tesseract's model"
        return (f"{what} for {'+'.join(langs)} from your system's packages or "
                "https://github.com/tesseract-ocr/tessdata")
    command, program, model = _PACKAGES[manager]
    packages = [program] if with_tesseract else []
    for lang in langs:
        if lang in _BUILT_IN[manager]:
            continue
        name = _DNF_NAMES.get(lang) if manager == "dnf" else None
        name = name or model.format(lang=lang)
        if name not in packages:
            packages.append(name)
    return f"{command} {' '.join(packages or [program])}"


def missing_tesseract(lang: str) -> MissingDependencyError:
    """The error for a Tesseract that is not on the PATH, with the command that installs it."""
    command = install_command([*lang.split("+"), "osd"], True, package_manager())
    return MissingDependencyError(f"Tesseract is not installed; install it: {command}",
                                  what="Tesseract is not installed")


def missing_models(langs: list[str]) -> MissingDependencyError:
    """The error for models Tesseract lacks, with the command that installs them."""
    command = install_command(langs, False, package_manager())
    return MissingDependencyError(f"Tesseract has no model for {', '.join(langs)}; install it: {command}",
                                  what=f"Tesseract has no model for {', '.join(langs)}")


class UnavailableEngine:
    """Stands in for a Tesseract that is missing: a file that needs OCR is refused with ``unavailable``.

    The batch asks an engine for ``unavailable`` before it OCRs a page, so
    that a document is never archived with pages left unread.
    """

    def __init__(self, error: MissingDependencyError, lang: str = "ron") -> None:
        self.error = error
        self.unavailable = error.what
        self.lang = lang

    def recognize(self, image: Image.Image, dpi: int):
        raise self.error

    def orientation(self, image: Image.Image, dpi: int) -> int | None:
        raise self.error

    def describe(self) -> dict[str, str]:
        return {"engine": "tesseract", "version": "not installed", "lang": self.lang}
