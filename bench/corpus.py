"""Reading the shared Romanian corpora for benchmarks (never for tests).

The corpora live outside the project (``../shared/corpora`` by default); every
benchmark takes ``--corpora DIR`` and says clearly when it is missing.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"


def read_jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


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
