"""Run the fixers in a fixed order, each only where its errors can occur, and log every change.

A document's pages may come from different sources (a PDF with some pages in
its text layer and some scanned): the pages are the pieces of the text between
form feeds, and ``clean`` is told where each came from. Fixers of characters,
running headers and diacritics see the whole document; the others run page by
page, on the pages whose source makes their errors (see :mod:`arhiva.repair.sources`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from difflib import SequenceMatcher
from functools import partial
from itertools import groupby
from typing import NamedTuple

from arhiva.repair import dropped, fixers, layout, sources
from arhiva.repair.sources import OCR, OLD_OCR, TEXT_FILE, TEXT_LAYER, TYPED, Classification
from arhiva.repair import confusions
from arhiva.repair.diacritics import restore_diacritics

Fixer = Callable[[str], tuple[str, list[tuple]]]

#: How a fixer sees the text. CHARACTERS: the whole text, with the other
#: character fixers, again while they still change it (they run first: the
#: text's source is judged on their output). DOCUMENT: the whole text, once.
#: PAGES: page by page, on the pages whose source makes its errors
#: (:func:`arhiva.repair.sources.runs_on`).
CHARACTERS, DOCUMENT, PAGES = "characters", "document", "pages"


class Step(NamedTuple):
    """A fixer in the registry: its stable name (manifests show it), what it is, and how it runs."""

    name: str
    fixer: Fixer
    scope: str
    #: Replaces words one for one: it may not change a letter's case (see :func:`_keep_letter_case`).
    words: bool = False
    #: Every edit kept in the log (it removes or joins lines, or replaces words); else a few examples.
    logged_in_full: bool = False


#: The fixers in the order they run: the one source of truth for the order,
#: for how each sees the text, and for what is logged. CleanConfig has one flag
#: per step, in this order (checked below, and by tests/test_repair.py).
REGISTRY: tuple[Step, ...] = (
    Step("unicode_nfc", fixers.unicode_nfc, CHARACTERS),
    Step("invisible_characters", fixers.invisible_characters, CHARACTERS),
    Step("mojibake", fixers.mojibake, CHARACTERS),
    Step("legacy_font", fixers.legacy_font, CHARACTERS),
    Step("ligatures", fixers.ligatures, CHARACTERS),
    Step("comma_below", fixers.comma_below, CHARACTERS),
    Step("remove_running_headers", layout.remove_running_headers, DOCUMENT, logged_in_full=True),
    Step("join_hyphenated_lines", fixers.join_hyphenated_lines, PAGES, logged_in_full=True),
    Step("join_drop_capitals", layout.join_drop_capitals, PAGES, logged_in_full=True),
    Step("reattach_fragments", layout.reattach_fragments, PAGES, logged_in_full=True),
    Step("join_split_words", layout.join_split_words, PAGES, logged_in_full=True),
    Step("ocr_confusions", confusions.repair_ocr_confusions, PAGES, words=True, logged_in_full=True),
    Step("dropped_letters", dropped.restore_dropped_letters, DOCUMENT, words=True, logged_in_full=True),
    Step("diacritics", restore_diacritics, DOCUMENT, words=True),
    Step("capitalize_sentence_starts", layout.capitalize_sentence_starts, PAGES),
    Step("join_paragraph_lines", layout.join_paragraph_lines, PAGES, logged_in_full=True),
)

#: Each fixer by name, in the order they run.
FIXERS: dict[str, Fixer] = {step.name: step.fixer for step in REGISTRY}

#: OCR confusions as each source makes them: Tesseract's Romanian model, or an
#: old OCR run (its own channel when the confusion model has one).
CONFUSIONS_BY_SOURCE: dict[str, Fixer] = {
    OCR: confusions.repair_ocr_confusions,
    OLD_OCR: getattr(confusions, "repair_old_ocr", confusions.repair_ocr_confusions),
}

#: The fixers of single characters and encodings, which run first, together.
CHARACTER_FIXERS = tuple(step.name for step in REGISTRY if step.scope == CHARACTERS)
CHARACTER_ROUNDS = 3
#: Fixers that need the whole document at once; the others run page by page.
DOCUMENT_FIXERS = tuple(step.name for step in REGISTRY if step.scope != PAGES)
#: Fixers that replace words one for one: they may not change a letter's case.
WORD_FIXERS = tuple(step.name for step in REGISTRY if step.words)
#: Fixers whose every edit is kept in the log; the others keep a few examples.
LOGGED_IN_FULL = tuple(step.name for step in REGISTRY if step.logged_in_full)
EXAMPLES_KEPT = 5
PAGE_BREAK = "\f"

#: What a page's ingest method says about its source.
_ORIGINS = {
    "ocr": OCR,
    "text-layer": TEXT_LAYER,
    "text-file": TEXT_FILE,
    "typed": TYPED,
    "old-ocr": OLD_OCR,
    "empty": TYPED,
    "failed": TYPED,
}
#: Fewest fixers first: where pages and sources cannot be matched, the first present wins.
_CAUTION = (TEXT_LAYER, TYPED, OCR, OLD_OCR)


@dataclass(frozen=True)
class CleanConfig:
    """Which fixers run: one flag per fixer of REGISTRY, in its order, all on by default."""

    unicode_nfc: bool = True
    invisible_characters: bool = True
    mojibake: bool = True
    legacy_font: bool = True
    ligatures: bool = True
    comma_below: bool = True
    remove_running_headers: bool = True
    join_hyphenated_lines: bool = True
    join_drop_capitals: bool = True
    reattach_fragments: bool = True
    join_split_words: bool = True
    ocr_confusions: bool = True
    dropped_letters: bool = True
    diacritics: bool = True
    capitalize_sentence_starts: bool = True
    join_paragraph_lines: bool = True

    def enabled(self) -> list[str]:
        """The names of the fixers that run, in the order they run.

        >>> CleanConfig(mojibake=False, diacritics=False).enabled()[:3]
        ['unicode_nfc', 'invisible_characters', 'legacy_font']
        """
        return [f.name for f in fields(self) if getattr(self, f.name)]


DEFAULT_CONFIG = CleanConfig()


def check_registry() -> None:
    """Raise if CleanConfig's flags are not the fixers of REGISTRY in its order, or a character fixer runs late.

    >>> check_registry()
    """
    flags = tuple(f.name for f in fields(CleanConfig))
    names = tuple(step.name for step in REGISTRY)
    if flags != names:
        raise RuntimeError(f"CleanConfig's flags {flags} are not the registry's fixers {names}")
    scopes = [step.scope for step in REGISTRY]
    if CHARACTERS in scopes[scopes.index(CHARACTERS) + len(CHARACTER_FIXERS) :] or scopes[0] != CHARACTERS:
        raise RuntimeError("the character fixers must run first, together")
    if any(step.scope not in (CHARACTERS, DOCUMENT, PAGES) for step in REGISTRY):
        raise RuntimeError("a fixer's scope must be CHARACTERS, DOCUMENT or PAGES")


check_registry()


class Edit(NamedTuple):
    """One change: the text before and after, and its page (1-based) when known."""

    before: str
    after: str
    page: int | None = None


@dataclass(frozen=True)
class Change:
    """What one fixer changed: how many edits, and the edits (all, or a few examples)."""

    fixer: str
    count: int
    examples: list[Edit] = field(default_factory=list)

    def to_json(self) -> dict:
        edits = []
        for edit in self.examples:
            entry: dict = {"before": edit.before, "after": edit.after}
            if edit.page is not None:
                entry["page"] = edit.page
            edits.append(entry)
        return {"fixer": self.fixer, "count": self.count, "complete": len(edits) == self.count, "examples": edits}


@dataclass(frozen=True)
class CleanResult:
    text: str
    changes: list[Change]
    #: The source of each page (pages are separated by form feeds).
    sources: list[str] = field(default_factory=list)
    #: How the text-file pages were classified, if there were any.
    classification: Classification | None = None

    def log_json(self) -> list[dict]:
        return [c.to_json() for c in self.changes]

    def sources_json(self) -> dict:
        """Where the text came from, for the manifest: each page's source, and why for text files."""
        data: dict = {"pages": list(self.sources)}
        if self.classification is not None:
            data["text_file"] = self.classification.to_json()
        return data


def clean(
    text: str,
    config: CleanConfig = DEFAULT_CONFIG,
    *,
    origins: str | Sequence[str | None] | None = None,
) -> CleanResult:
    """Repair ``text`` with the enabled fixers, in order; return the text, the log and the sources.

    ``origins`` says where the text came from: one source for the whole text,
    or one per page (the pieces between form feeds): ``"ocr"``,
    ``"text-layer"``, ``"typed"``, ``"old-ocr"``, or ``"text-file"`` (or
    None) for a text file that is classified as old OCR or typed.

    The character fixers run again while they still change the text (at most
    ``CHARACTER_ROUNDS`` times): fixing one kind of damage can reveal another
    (legacy-font letters next to mojibake hide it from the mojibake fixer, and
    show it once mapped). The others run once.

    >>> clean("Plata al chiriei", origins="typed").text
    'Plata al chiriei'
    >>> result = clean("aflat Tn prezent, conform nrl62830 Tn cadrul", origins="text-file")
    >>> result.text, result.sources
    ('aflat în prezent, conform nrl62830 în cadrul', ['old-ocr'])
    """
    log: dict[str, tuple[int, list[Edit]]] = {}
    enabled = set(config.enabled())
    steps = {step.name: step for step in REGISTRY}

    def record(name: str, edits: Sequence[tuple], page: int | None) -> None:
        if not edits:
            return
        count, kept = log.get(name, (0, []))
        new = [Edit(e[0], e[1], e[2] if len(e) > 2 else page) for e in edits]
        limit = None if steps[name].logged_in_full else EXAMPLES_KEPT
        log[name] = (count + len(new), (kept + new)[:limit])

    def run_whole(name: str) -> None:
        nonlocal text
        if name in enabled:
            before = text
            text, edits = _document_fixer(name, page_sources)(text)
            if steps[name].words:
                text, edits = _keep_letter_case(before, text, edits)
            record(name, edits, None)

    def run_pages(names: list[str]) -> None:
        nonlocal text
        pages = text.split(PAGE_BREAK)
        for name in names:
            if name not in enabled:
                continue
            for index, (page, source) in enumerate(zip(pages, page_sources)):
                if not sources.runs_on(name, source):
                    continue
                fixed, edits = _fixer(name, source)(page)
                if steps[name].words:
                    fixed, edits = _keep_letter_case(page, fixed, edits)
                pages[index] = fixed
                record(name, edits, index + 1)
        text = PAGE_BREAK.join(pages)

    page_sources: list[str] = []
    classification = None
    for scope, group in groupby(REGISTRY, key=lambda step: step.scope):
        names = [step.name for step in group]
        if scope == CHARACTERS:
            for _ in range(CHARACTER_ROUNDS):
                before = text
                for name in names:
                    run_whole(name)
                if text == before:
                    break
            # Where the text came from is judged on its characters repaired.
            page_sources, classification = _resolve_sources(text, origins)
        elif scope == DOCUMENT:
            for name in names:
                run_whole(name)
        else:
            run_pages(names)
    changes = [Change(name, count, kept) for name in FIXERS if name in log for count, kept in [log[name]]]
    return CleanResult(text, changes, page_sources, classification)


def _document_fixer(name: str, page_sources: Sequence[str]) -> Fixer:
    """The fixer ``name`` as it runs on a whole document whose pages come from ``page_sources``.

    Diacritics restoration keeps the last letter of a word that has some
    diacritics (see ``KEEP_MARKED_ENDING``), and reads a word glued to the next by a
    stop as an abbreviation, only where no page is OCR.

    >>> _document_fixer("diacritics", ["text-layer", "ocr"]).keywords
    {'keep_marked_ending': False, 'typed': False}
    """
    if name == "diacritics" and any(source in (OCR, OLD_OCR) for source in page_sources):
        return partial(FIXERS[name], keep_marked_ending=False, typed=False)
    return FIXERS[name]


def _fixer(name: str, source: str) -> Fixer:
    """The fixer ``name`` as it runs on pages from ``source``."""
    if name == "ocr_confusions":
        return CONFUSIONS_BY_SOURCE[source]
    if name == "join_paragraph_lines" and source in (OCR, OLD_OCR):
        return partial(layout.join_paragraph_lines, across_blank_lines=True)  # OCR leaves blank lines in paragraphs
    return FIXERS[name]


def _resolve_sources(
    text: str, origins: str | Sequence[str | None] | None
) -> tuple[list[str], Classification | None]:
    """Each page's source; the text-file pages, taken together, classified as old OCR or typed."""
    pages = text.split(PAGE_BREAK)
    if origins is None or isinstance(origins, str):
        given = [origins] * len(pages)
    else:
        given = list(origins)
    unknown = [o for o in given if o is not None and o not in _ORIGINS]
    if unknown:
        raise ValueError(f"unknown text source {unknown[0]!r}: expected one of {', '.join(_ORIGINS)}")
    resolved = [_ORIGINS[o] if o is not None else TEXT_FILE for o in given]
    classification = None
    if TEXT_FILE in resolved:
        if len(resolved) == len(pages):
            files = "\n".join(page for page, source in zip(pages, resolved) if source == TEXT_FILE)
        else:
            files = text
        classification = sources.classify_text_file(files)
        resolved = [classification.source if s == TEXT_FILE else s for s in resolved]
    if len(resolved) != len(pages):  # a page's text held a form feed: the most cautious source for all
        cautious = next(s for s in _CAUTION if s in resolved) if resolved else TYPED
        resolved = [cautious] * len(pages)
    return resolved, classification


_TOKEN = re.compile(r"[^\W_]+")


def _keep_letter_case(before: str, after: str, edits: list) -> tuple[str, list]:
    """Undo the word replacements that change the case of a letter they keep (``Iancu`` → ``iancu``).

    A name's capital is never a misreading; a confusion that changes one letter
    for another (``Tn`` → ``în``) is not a change of case.

    >>> _keep_letter_case("Prof. Iancu a spus", "Prof. iancu a spus", [("Iancu", "iancu")])
    ('Prof. Iancu a spus', [])
    >>> _keep_letter_case("Prof. lancu, Tn sala", "Prof. iancu, în sala", [("lancu", "iancu"), ("Tn", "în")])
    ('Prof. lancu, în sala', [('Tn', 'în')])
    """
    if before == after:
        return after, edits
    old, new = list(_TOKEN.finditer(before)), list(_TOKEN.finditer(after))
    if len(old) != len(new):
        return after, edits
    undo = [(o, n) for o, n in zip(old, new) if o.group() != n.group() and _case_changed(o.group(), n.group())]
    if not undo:
        return after, edits
    pieces, cursor = [], 0
    for o, n in undo:
        pieces += [after[cursor : n.start()], o.group()]
        cursor = n.end()
    pieces.append(after[cursor:])
    kept = list(edits)
    for o, n in undo:
        if (o.group(), n.group()) in kept:
            kept.remove((o.group(), n.group()))
    return "".join(pieces), kept


def _case_changed(before: str, after: str) -> bool:
    """True when a letter kept its place but not its case, or a first ``l`` became ``i``.

    OCR reads a capital ``I`` as ``l`` (``lancu`` for ``Iancu``): making it a
    small ``i`` lowers a name's capital.
    """
    if before[:1] == "l" and after[:1] == "i":
        return True
    a, b = before.lower(), after.lower()  # A for ă is a misread letter, not a kept one (cAtre)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" and any(x.isupper() != y.isupper() for x, y in zip(before[i1:i2], after[j1:j2])):
            return True
    return False
