"""When is a text file damaged UTF-8 rather than a legacy code page? The share of invalid sequences.

:func:`arhiva.romanian.encoding.decode_bytes` reads a file as UTF-8 with its bad
bytes replaced when at most ``MAX_INVALID_UTF8_SHARE`` of its non-ASCII
sequences are invalid UTF-8. This prints that share for Romanian documents
(the corpora, ``--corpora DIR``, and the labelled text files, ``--real DIR``)
written in each legacy code page, and written in UTF-8 with some bytes
damaged, and which encoding each is then read as.

Run:
    .venv/bin/python bench/encoding_eval.py --corpora ../shared/corpora --real ../shared/real
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.errors import InputError  # noqa: E402
from arhiva.romanian.encoding import MAX_INVALID_UTF8_SHARE, decode_bytes, utf8_damage  # noqa: E402
from arhiva.romanian.letters import COMMA_TO_CEDILLA  # noqa: E402


def documents(corpora: Path, real: Path, limit: int) -> list[str]:
    texts = []
    path = corpora / "legislatie-achizitii.jsonl.gz"
    if path.exists():
        texts += [json.loads(line)["text"] for line in gzip.open(path, "rt", encoding="utf-8")][:limit]
    for name in ("ronec-valid.jsonl.gz", "ud-rrt-dev.jsonl.gz"):  # sentences, in groups of 5: short texts
        if (corpora / name).exists():
            lines = [json.loads(line)["text"] for line in gzip.open(corpora / name, "rt", encoding="utf-8")]
            texts += [" ".join(lines[i : i + 5]) for i in range(0, min(len(lines), 5 * limit), 5)]
    if real.exists():
        for label in sorted((real / "labels").glob("*.json")):
            info = json.loads(label.read_text("utf-8"))
            if info.get("kind") == "text" and not info.get("encoding"):
                texts.append((real / info["file"]).read_text("utf-8"))
    return [t for t in texts if any(ord(ch) > 127 for ch in t)]


def damage(data: bytes, share: float, seed: int) -> bytes:
    """Overwrite ``share`` of the bytes (at least one) with random bytes of 0x80–0xFF."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(max(1, int(len(out) * share))):
        out[rng.randrange(len(out))] = rng.randrange(0x80, 0x100)
    return bytes(out)


def row(name: str, samples: list[bytes], expected: str) -> None:
    shares, read_as, refused = [], [], 0
    for data in samples:
        invalid, valid = utf8_damage(data)
        if invalid:
            shares.append(invalid / (invalid + valid))
        try:
            read_as.append(decode_bytes(data).encoding)
        except InputError:
            refused += 1
    shares.sort()
    q = " ".join(f"{shares[int(p * (len(shares) - 1))]:.2f}" for p in (0, 0.05, 0.5, 0.95, 1)) if shares else "-"
    right = sum(1 for e in read_as if (e == "utf-8") == (expected == "utf-8"))
    print(f"{name:<34} {len(samples):>5}  {q:<26} {right:>5} {len(samples) - right - refused:>5} {refused:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/corpora"))
    parser.add_argument("--real", type=Path, default=Path("../shared/real"))
    parser.add_argument("--docs", type=int, default=200, help="documents per corpus")
    args = parser.parse_args()
    texts = documents(args.corpora, args.real, args.docs)
    print(f"{len(texts)} Romanian texts; read as UTF-8 when invalid share <= {MAX_INVALID_UTF8_SHARE}")
    print(f"{'written as':<34} {'texts':>5}  {'invalid share: min 5% 50% 95% max':<26} {'right':>5} {'wrong':>5} "
          f"{'refused':>7}")
    for encoding in ("cp1250", "iso8859_2", "iso8859_16"):
        cedilla = encoding != "iso8859_16"
        row(encoding, [(t.translate(COMMA_TO_CEDILLA) if cedilla else t).encode(encoding, "replace")
                       for t in texts], encoding)
    for share in (0.0, 0.001, 0.01, 0.03):
        label = "one byte" if share == 0 else f"{share:.1%} of bytes"
        row(f"utf-8, {label} damaged", [damage(t.encode(), share, n) for n, t in enumerate(texts)], "utf-8")
    print("reproduce:", shlex.join([".venv/bin/python", "bench/encoding_eval.py", "--corpora", str(args.corpora),
                                    "--real", str(args.real), "--docs", str(args.docs)]))


if __name__ == "__main__":
    main()
