"""Reading the shared Romanian corpora for benchmarks (never for tests).

The corpora live outside the project (``../shared/corpora`` by default); every
benchmark takes ``--corpora DIR`` and says clearly when it is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from build_langdata import DEFAULT_CORPORA, read_jsonl  # noqa: E402  (one reader of the corpora)

__all__ = ["DEFAULT_CORPORA", "compose_pages", "read_jsonl", "require", "sentences"]


def sentences(corpora: Path) -> list[str]:
    """News and mixed-genre sentences with correct diacritics (lines written without them are dropped)."""
    out = []
    for name in ("ronec-valid.jsonl.gz", "ud-rrt-dev.jsonl.gz"):
        for record in read_jsonl(corpora / name):
            words = set(record["text"].lower().split())
            if {"si", "in"} & words:  # a sentence typed without diacritics
                continue
            out.append(record["text"].strip())
    return out


def require(corpora: Path) -> Path:
    if not (corpora / "ronec-valid.jsonl.gz").is_file():
        sys.exit(f"corpora not found in {corpora}: pass --corpora DIR (the shared Romanian corpora)")
    return corpora


def compose_pages(corpora: Path, pages: int, words_per_page: int = 330) -> list[str]:
    """Communiqué-like pages made of consecutive corpus sentences, in paragraphs of ~4 sentences."""
    pool = sentences(corpora)
    out, cursor = [], 0
    for _ in range(pages):
        paragraphs, paragraph, count = [], [], 0
        while count < words_per_page:
            sentence = pool[cursor % len(pool)]
            cursor += 1
            paragraph.append(sentence)
            count += len(sentence.split())
            if len(paragraph) == 4:
                paragraphs.append(" ".join(paragraph))
                paragraph = []
        if paragraph:
            paragraphs.append(" ".join(paragraph))
        out.append("\n\n".join(paragraphs))
    return out
