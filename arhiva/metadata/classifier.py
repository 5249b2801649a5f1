"""A small statistical fallback for the type of a document without a heading or a cue.

The rules of :mod:`arhiva.metadata.types` read a document's heading, its operative
formula and its cue words. A news item republished without its heading, an
announcement without ``ANUNȚ``, a report without ``RAPORT`` have none of them, and
the rules say ``altul``. This module gives such a document the type its words
suggest, from a multinomial logistic regression over folded words (binary: a word
counts once per document) of two views of the text:

- its first :data:`HEAD_WORDS` words, words and pairs of words (``h:`` features):
  what a document says first (``Primăria … informează``, ``organizează concurs``);
- its whole text up to :data:`BODY_WORDS` words, single words.

The model is a table of weights (``arhiva/metadata/data/doctype_model.json``),
built by ``scripts/build_doctype_model.py`` from labelled real documents; see
docs/metadata.md for its sources. It abstains (returns ``None``) unless the best
type's probability reaches the threshold stored with the model, which
was measured by cross-validation by batch (docs/real-documents.md).

>>> model = train([("primaria informeaza cetatenii ca a avut loc", "comunicat de presă"),
...                ("se organizeaza concurs pentru ocuparea postului", "anunț")], min_df=1, keep=0.0)
>>> predict(model, "Primăria informează că a avut loc ședința", threshold=0.5)[0]
'comunicat de presă'
>>> predict(model, "cuvinte necunoscute", threshold=0.9) is None
True
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from arhiva.romanian.letters import fold

#: How many words from the top make the document's head.
HEAD_WORDS = 80
#: How many words of the text are read at most.
BODY_WORDS = 4000
#: The fewest words on which the shipped model is asked for a type (a shorter text: it abstains).
MIN_WORDS = 35
#: The shipped model, built by scripts/build_doctype_model.py.
MODEL_PATH = Path(__file__).resolve().parent / "data" / "doctype_model.json"

_WORD = re.compile(r"[a-z]{2,}")


def words(text: str) -> list[str]:
    """The folded lowercase words of ``text`` (two letters or more; a letter lost to ``?`` splits a word).

    >>> words("Anunț: Primăria Comunei Ulmi, nr. 12")
    ['anunt', 'primaria', 'comunei', 'ulmi', 'nr']
    """
    return _WORD.findall(fold(text[: BODY_WORDS * 12]).lower())[:BODY_WORDS]


def features(text: str) -> set[str]:
    """The binary features of a text: head words and word pairs (``h:``), body words (``b:``).

    >>> sorted(features("Comunicat de presă"))
    ['b:comunicat', 'b:de', 'b:presa', 'h:comunicat', 'h:comunicat de', 'h:de', 'h:de presa', 'h:presa']
    """
    found = words(text)
    head = found[:HEAD_WORDS]
    out = {"b:" + w for w in found}
    out.update("h:" + w for w in head)
    out.update(f"h:{a} {b}" for a, b in zip(head, head[1:]))
    return out


def train(
    documents: Iterable[tuple[str, str]], min_df: int = 3, l2: float = 0.01, steps: int = 500, rate: float = 30.0,
    keep: float = 0.2,
) -> dict[str, Any]:
    """A model (plain JSON data) from ``(text, type)`` pairs: a multinomial logistic regression
    over the binary features of :func:`features` present in at least ``min_df`` documents,
    each document's vector scaled by ``1/sqrt(1 + its number of features)``, fitted by
    full-batch gradient descent from zero (deterministic) with an L2 penalty ``l2``.
    Weights under ``keep`` in absolute value are dropped from the stored model."""
    import numpy as np

    docs = [(features(text), label) for text, label in documents]
    df: Counter[str] = Counter(f for feats, _ in docs for f in feats)
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    index = {f: i for i, f in enumerate(vocab)}
    classes = sorted({label for _, label in docs})
    x = np.zeros((len(docs), len(vocab)))
    y = np.zeros((len(docs), len(classes)))
    for row, (feats, label) in enumerate(docs):
        for f in feats:
            if f in index:
                x[row, index[f]] = 1.0 / math.sqrt(1 + len(feats))
        y[row, classes.index(label)] = 1.0
    w = np.zeros((len(vocab), len(classes)))
    b = np.zeros(len(classes))
    for _ in range(steps):
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) / len(docs)
        w -= rate * (x.T @ g + l2 * w / len(docs))
        b -= rate * g.sum(axis=0)
    weights = {}
    for f, row in zip(vocab, w):
        kept = {str(i): round(float(v), 2) for i, v in enumerate(row) if abs(v) >= keep}
        if kept:
            weights[f] = kept
    return {
        "version": 2,
        "head_words": HEAD_WORDS,
        "classes": classes,
        "bias": [round(float(v), 4) for v in b],
        "weights": weights,
        "threshold": 0.5,
    }


def _prepared(model: dict[str, Any]) -> tuple[list[str], list[float], dict[str, list[tuple[int, float]]]]:
    """The classes, their biases, and per feature its (class, weight) pairs."""
    table = {f: [(int(i), v) for i, v in row.items()] for f, row in model["weights"].items()}
    return model["classes"], model["bias"], table


def posteriors(model: dict[str, Any], text: str, prepared: tuple | None = None) -> dict[str, float]:
    """Each type's probability for ``text`` under the model (a softmax of linear scores)."""
    classes, bias, table = prepared or _prepared(model)
    present = features(text)
    scale = 1.0 / math.sqrt(1 + len(present))
    scores = list(bias)
    for feature in present:
        for i, weight in table.get(feature, ()):
            scores[i] += weight * scale
    top = max(scores)
    exp = [math.exp(s - top) for s in scores]
    norm = sum(exp)
    return {c: e / norm for c, e in zip(classes, exp)}


def predict(model: dict[str, Any], text: str, threshold: float | None = None, prepared: tuple | None = None) -> tuple[str, float] | None:
    """The most probable type and its probability, or ``None`` when it is below ``threshold``
    (the model's own threshold when not given)."""
    probs = posteriors(model, text, prepared)
    best = max(probs, key=lambda c: (probs[c], c))
    limit = model.get("threshold", 0.5) if threshold is None else threshold
    return (best, probs[best]) if probs[best] >= limit else None


def enough_words(text: str) -> bool:
    """Whether a text has words enough (:data:`MIN_WORDS`) for the model to weigh: a sentence
    or two says too little of a document's type, and the model abstains on it.

    >>> enough_words("Raportul comisiei a fost avizat favorabil.")
    False
    """
    return len(words(text)) >= MIN_WORDS


@lru_cache(maxsize=1)
def _shipped() -> tuple[dict[str, Any], tuple] | None:
    try:
        model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return model, _prepared(model)


def fallback_type(text: str) -> tuple[str, float] | None:
    """The shipped model's type for a document the rules could not type, with its probability;
    ``None`` when the model abstains or is missing."""
    shipped = _shipped()
    if shipped is None or not enough_words(text):
        return None
    model, prepared = shipped
    return predict(model, text, prepared=prepared)
