"""Run the fixers in a fixed order and keep a log of what each one changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

from arhiva.repair import fixers, layout
from arhiva.romanian.confusions import repair_ocr_confusions
from arhiva.romanian.diacritics import restore_diacritics

Fixer = Callable[[str], tuple[str, list[tuple[str, str]]]]

#: The fixers in the order they run. Names are stable: they appear in manifests.
FIXERS: dict[str, Fixer] = {
    "unicode_nfc": fixers.unicode_nfc,
    "invisible_characters": fixers.invisible_characters,
    "mojibake": fixers.mojibake,
    "legacy_font": fixers.legacy_font,
    "ligatures": fixers.ligatures,
    "comma_below": fixers.comma_below,
    "remove_running_headers": layout.remove_running_headers,
    "join_hyphenated_lines": fixers.join_hyphenated_lines,
    "reattach_fragments": layout.reattach_fragments,
    "join_split_words": layout.join_split_words,
    "ocr_confusions": repair_ocr_confusions,
    "diacritics": restore_diacritics,
    "capitalize_sentence_starts": layout.capitalize_sentence_starts,
    "join_paragraph_lines": layout.join_paragraph_lines,
}

#: The fixers of single characters and encodings, which run first, together.
CHARACTER_FIXERS = ("unicode_nfc", "invisible_characters", "mojibake", "legacy_font", "ligatures", "comma_below")
CHARACTER_ROUNDS = 3

#: How many before/after examples the log keeps per fixer.
EXAMPLES_KEPT = 5


@dataclass(frozen=True)
class CleanConfig:
    """Which fixers run: one flag per fixer, all on by default."""

    unicode_nfc: bool = True
    invisible_characters: bool = True
    mojibake: bool = True
    legacy_font: bool = True
    ligatures: bool = True
    comma_below: bool = True
    remove_running_headers: bool = True
    join_hyphenated_lines: bool = True
    reattach_fragments: bool = True
    join_split_words: bool = True
    ocr_confusions: bool = True
    diacritics: bool = True
    capitalize_sentence_starts: bool = True
    join_paragraph_lines: bool = True

    def enabled(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]


DEFAULT_CONFIG = CleanConfig()


@dataclass(frozen=True)
class Change:
    """What one fixer changed: how many edits, and a few examples."""

    fixer: str
    count: int
    examples: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "fixer": self.fixer,
            "count": self.count,
            "examples": [{"before": b, "after": a} for b, a in self.examples],
        }


@dataclass(frozen=True)
class CleanResult:
    text: str
    changes: list[Change]

    def log_json(self) -> list[dict]:
        return [c.to_json() for c in self.changes]


def clean(text: str, config: CleanConfig = DEFAULT_CONFIG) -> CleanResult:
    """Repair ``text`` with the enabled fixers, in order; return the text and the log.

    The character fixers run again while they still change the text (at most
    ``CHARACTER_ROUNDS`` times): fixing one kind of damage can reveal another
    (legacy-font letters next to mojibake hide it from the mojibake fixer, and
    show it once mapped). The others run once.
    """
    log: dict[str, tuple[int, list[tuple[str, str]]]] = {}

    def run(names: list[str]) -> None:
        nonlocal text
        for name in names:
            text, edits = FIXERS[name](text)
            if edits:
                count, examples = log.get(name, (0, []))
                log[name] = (count + len(edits), (examples + edits)[:EXAMPLES_KEPT])

    enabled = config.enabled()
    for _ in range(CHARACTER_ROUNDS):
        before = text
        run([name for name in enabled if name in CHARACTER_FIXERS])
        if text == before:
            break
    run([name for name in enabled if name not in CHARACTER_FIXERS])
    return CleanResult(text, [Change(name, count, examples) for name, (count, examples) in log.items()])
