"""Build the document-type fallback model, arhiva/metadata/data/doctype_model.json.

Trains :func:`arhiva.metadata.classifier.train` on the labelled real documents of the
*development* split only (labels with ``"split": "dev"``; a held-out document is never
read): the collection laid out as ``bench/real/README.md`` describes (``--docs
/work/collected``) and the development set (``--docs ../shared/real``). Each document's
text is the one the pipeline extracts: the cleaned ``text.txt`` of an archive that
``bench/real_eval.py --work DIR`` filled (``--archive DIR``, repeatable); a text file not
found in any archive is read as it is; a scan or PDF not found in one is skipped.

    .venv/bin/python bench/real_eval.py --docs /work/collected --split dev --work /tmp/re-dev
    .venv/bin/python bench/real_eval.py --docs ../shared/real --work /tmp/re-shared
    .venv/bin/python scripts/build_doctype_model.py --docs /work/collected --docs ../shared/real \\
        --archive /tmp/re-dev --archive /tmp/re-shared
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arhiva.metadata.classifier import MODEL_PATH, train  # noqa: E402

MAPPING = "real-eval-files.json"
BATCHES = ROOT / "bench" / "real" / "batches.json"
#: The threshold of the posterior below which the model abstains, measured by
#: bench/doctype_cv.py (cross-validation by batch): see docs/real-documents.md.
THRESHOLD = 0.4
TYPES = {"hotărâre", "dispoziție", "proces-verbal", "comunicat de presă", "anunț", "ordin", "decizie", "ordonanță",
         "lege", "notă de fundamentare", "contract", "raport", "adresă", "altul"}


@dataclass
class Doc:
    name: str
    label: dict
    text: str
    batch: str


def archive_texts(archives: list[Path]) -> dict[str, str]:
    """Each archived file's cleaned text, by the file's name (``NAME.ext``)."""
    from arhiva.archive import Archive

    texts: dict[str, str] = {}
    for work in archives:
        mapping = json.loads((work / MAPPING).read_text(encoding="utf-8"))
        archive = Archive.open(work)
        for path, entry in mapping.items():
            if entry.get("id"):
                texts.setdefault(Path(path).name, archive.text(entry["id"]))
    return texts


def load(sets: list[Path], archives: list[Path], split: str = "dev") -> list[Doc]:
    """The labelled documents of ``split`` with their texts (see the module's doc)."""
    batches = json.loads(BATCHES.read_text(encoding="utf-8")) if BATCHES.exists() else {}
    texts = archive_texts(archives)
    docs = []
    for root in sets:
        for label_path in sorted((root / "labels").glob("*.json")):
            label = json.loads(label_path.read_text(encoding="utf-8"))
            if label.get("split", "dev") != split or label.get("type") not in TYPES:
                continue
            name = Path(label["file"]).name
            text = texts.get(name)
            if text is None and label.get("kind") == "text" and (root / label["file"]).is_file():
                text = (root / label["file"]).read_bytes().decode(label.get("encoding", "utf-8"), errors="replace")
            if text is None:  # not in the collection (a source that could not be had again), or a scan not read
                continue
            stem = label_path.stem
            batch = f"batch {batches[stem]}" if stem in batches else f"set {root.name}"
            docs.append(Doc(stem, label, text, batch))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, action="append", required=True, help="a labelled collection")
    parser.add_argument("--archive", type=Path, action="append", default=[], help="a bench/real_eval.py work dir")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    docs = load(args.docs, args.archive)
    model = train([(d.text, d.label["type"]) for d in docs])
    model["threshold"] = THRESHOLD
    model["trained_on"] = len(docs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(docs)} documents, {len(model['weights'])} features -> {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
