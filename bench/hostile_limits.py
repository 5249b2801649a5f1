"""What hostile inputs cost: time and peak memory of a whole `arhiva ingest`, one file at a time.

Makes each hostile file (arhiva/testing/hostile.py, and a few written here),
runs the real command line on it alone in a fresh archive, samples the
resident memory of the whole process tree (the command, its workers and
their Tesseract) every 50 ms, and prints the time, the peak, the exit status
and the one-line reason. A line per case; nothing outside the repository is
read. Tesseract is needed for the image cases.

Run:
    .venv/bin/python bench/hostile_limits.py
    .venv/bin/python bench/hostile_limits.py --cases flate-bomb,huge-page --keep /tmp/hostile
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arhiva.testing.hostile import (  # noqa: E402
    flate_bomb_pdf,
    generate,
    huge_page_pdf,
    noise_png,
    process_tree,
    repeated_text,
    text_scan_sheet,
    write_image,
)

TEXT = (ROOT / "tests" / "data" / "texts" / "hotarare-buget.txt").read_text("utf-8")


def _text(chars: int) -> bytes:
    return repeated_text(chars, TEXT)


def _sheet(path: Path, a3: bool) -> None:
    text_scan_sheet(path, _text(5000).decode("utf-8", "ignore"), a3=a3)


CASES = {
    "flate-bomb": ("bomba.pdf", "a 20 KB PDF whose page inflates to 4 GiB",
                   lambda p: p.write_bytes(flate_bomb_pdf(4096))),
    "huge-page": ("pagina.pdf", "a 333-byte PDF with one 5 m × 5 m page", lambda p: p.write_bytes(huge_page_pdf())),
    "text-50mb": ("mare.txt", "a 50 MB text file", lambda p: p.write_bytes(_text(50_000_000))),
    "text-8m": ("lung.txt", "an 8,000,000-character text (16 MB in UTF-8)", lambda p: p.write_bytes(_text(8_000_000))),
    "text-4.9m": ("limita.txt", "a 4,900,000-character text, under the limit",
                  lambda p: p.write_bytes(_text(4_900_000))),
    "wide-png": ("lata.png", "a 40,000 × 2,000 pixel PNG",
                 lambda p: write_image(p, "wide", width=40_000, height=2_000)),
    "noise-100mp": ("zgomot.png", "100 megapixels of gray noise", lambda p: noise_png(p, "L")),
    "colour-100mp": ("culoare.png", "100 megapixels of colour noise", lambda p: noise_png(p, "RGB")),
    "a4-600dpi": ("a4.png", "a text scan, A4 at 600 dpi (35 megapixels)", lambda p: _sheet(p, a3=False)),
    "a3-600dpi": ("a3.png", "a text scan, A3 at 600 dpi (70 megapixels)", lambda p: _sheet(p, a3=True)),
    "image-bomb-pdf": ("imagine.pdf", "an A4 PDF page drawing a 60,000 × 60,000 image",
                       lambda p: generate(p, "pdf", {"kind": "image-bomb"})),
    "huge-length-pdf": ("lungime.pdf", "a PDF stream claiming /Length 10^11",
                        lambda p: generate(p, "pdf", {"kind": "huge-length"})),
    "pages-10000": ("pagini.pdf", "a PDF of 10,000 empty pages",
                    lambda p: generate(p, "pdf", {"kind": "pages", "count": 10_000})),
    "frames-5000": ("cadre.tif", "a TIFF of 5,000 frames",
                    lambda p: generate(p, "image", {"kind": "frames", "count": 5000})),
}


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(path: Path, archive: Path, timeout: float) -> tuple[float, int, int, str]:
    """Ingest ``path``; return seconds, peak resident bytes of the tree, exit status, and the report line."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "arhiva", "ingest", "--json", "--archive", str(archive),
                                str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    output: dict[str, str] = {}
    readers = [threading.Thread(target=lambda n=n, f=f: output.__setitem__(n, f.read()))
               for n, f in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_rss(pid) for pid in process_tree(process.pid)))
        if time.monotonic() - started > timeout:
            process.kill()
        time.sleep(0.05)
    for reader in readers:
        reader.join()
    seconds = time.monotonic() - started
    try:
        entry = json.loads(output["out"])["files"][0]
        what = entry["status"] + (f": {entry['reason']}" if entry.get("reason") else "")
    except (ValueError, KeyError, IndexError):
        what = (output.get("err") or "").strip().splitlines()[-1:] or ["(no output)"]
        what = what[0]
    return seconds, peak, process.returncode, what


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a case is killed")
    parser.add_argument("--keep", type=Path, help="write the files here (default: a temporary folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="arhiva-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'case':<15} {'seconds':>8} {'peak MiB':>9} {'exit':>5}  outcome")
    for case in args.cases.split(","):
        name, what, make = CASES[case]
        path = work / name
        make(path)
        seconds, peak, status, outcome = run(path, work / f"archive-{case}", args.timeout)
        print(f"{case:<15} {seconds:>8.1f} {peak / 2**20:>9.0f} {status:>5}  {outcome}   ({what})", flush=True)
    print("reproduce:", shlex.join([".venv/bin/python", "bench/hostile_limits.py", "--cases", args.cases]))


if __name__ == "__main__":
    main()
