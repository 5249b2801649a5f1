"""The shipped words' model on labelled real documents it never saw, against one trained on them.

The type fallback model (``arhiva/metadata/data/doctype_model.json``) was trained on the
development documents of the first batches. This benchmark types the development documents of
the batches collected after it (``--since``, by ``bench/real/batches.json``) three ways:

- ``rules``: the rules alone (the model switched off);
- ``shipped``: the rules with the shipped model, as arhiva types documents;
- ``cv``: the rules with a model of the same kind trained on the given documents themselves,
  each batch typed by a model trained on the other batches only (cross-validation by batch).

Texts are those the pipeline extracts: the cleaned ``text.txt`` of a ``bench/real_eval.py``
archive (``--archive``) where the file is in one, else the text file cleaned as ingest cleans it
(a scan or PDF in no archive is left out). Types are compared in the label vocabulary.

Run:
    .venv/bin/python bench/doctype_unseen.py --docs COLLECTION --archive /tmp/re-pdf --since 26
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_doctype_model import BATCHES, THRESHOLD, archive_texts  # noqa: E402
from doctype_cv import vocabulary  # noqa: E402

import arhiva.metadata as metadata  # noqa: E402
from arhiva.metadata import classifier  # noqa: E402
from arhiva.repair import clean  # noqa: E402
from arhiva.romanian.encoding import decode_bytes  # noqa: E402


def load(sets: list[Path], archives: list[Path]) -> list[tuple[str, int, str, str]]:
    """(name, batch, labelled type, text) of the development documents that have a text here."""
    batches = json.loads(BATCHES.read_text(encoding="utf-8"))
    archived = archive_texts(archives)
    docs = []
    for root in sets:
        for label_path in sorted((root / "labels").glob("*.json")):
            label = json.loads(label_path.read_text(encoding="utf-8"))
            name = label_path.stem
            if label.get("split", "dev") != "dev" or name not in batches:
                continue
            path = root / label["file"]
            text = archived.get(path.name)
            if text is None and label.get("kind") == "text" and path.is_file():
                text = clean(decode_bytes(path.read_bytes()).text).text
            if text is not None:
                docs.append((name, batches[name], label["type"], text))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, action="append", required=True, help="a labelled collection")
    parser.add_argument("--archive", type=Path, action="append", default=[], help="a bench/real_eval.py work dir")
    parser.add_argument("--since", type=int, default=26, help="the first batch the shipped model never saw")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args()
    docs = load(args.docs, args.archive)
    shipped = {name: vocabulary(metadata.extract(text).type) for name, _, _, text in docs}
    kept = metadata.fallback_type
    metadata.fallback_type = lambda text: None  # the rules alone
    try:
        rules = {name: vocabulary(metadata.extract(text).type) for name, _, _, text in docs}
    finally:
        metadata.fallback_type = kept
    cv = dict(rules)
    for batch in sorted({b for _, b, _, _ in docs}):
        model = classifier.train([(text, want) for _, b, want, text in docs if b != batch])
        for name, b, _, text in docs:
            if b == batch and rules[name] == "altul" and classifier.enough_words(text):
                guessed = classifier.predict(model, text, threshold=args.threshold)
                if guessed is not None and guessed[0] != "altul":
                    cv[name] = vocabulary(guessed[0])
    unseen = [(name, want) for name, b, want, _ in docs if b >= args.since]
    print(f"{len(docs)} development documents with a text here; {len(unseen)} of batches {args.since} and later")
    for label, typed in (("rules", rules), ("shipped", shipped), ("cv", cv)):
        right = sum(typed[name] == want for name, want in unseen)
        changed = [(name, want) for name, want in unseen if typed[name] != rules[name]]
        fixed = sum(typed[name] == want for name, want in changed)
        broke = sum(rules[name] == want for name, want in changed)
        print(f"{label:8} {right:4} right ({right / max(len(unseen), 1):.1%})"
              + (f"; changed {len(changed)}: {fixed} to the right type, {broke} from a right one" if label != "rules" else ""))
    print("\nreproduce: .venv/bin/python " + shlex.join(
        ["bench/doctype_unseen.py"] + [a for d in args.docs for a in ("--docs", str(d))]
        + [a for d in args.archive for a in ("--archive", str(d))] + ["--since", str(args.since)]))


if __name__ == "__main__":
    main()
