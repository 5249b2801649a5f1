"""OCR throughput: arhiva ingest against the machine's limit, serial Tesseract and OCRmyPDF.

Generates N scanned pages (150 dpi by default, degraded as a scanner would)
from corpus sentences, then times, on the same pages:

- limit:     plain ``tesseract -l ron``, one thread per process, one process per core;
- serial:    plain ``tesseract -l ron`` one page after another, with its default threading;
- ocrmypdf:  ``ocrmypdf -l ron -j CORES --sidecar out.txt --output-type pdf`` on the PDF
             (when installed: bench/setup-ocrmypdf.sh puts it in bench/.venv-ocrmypdf);
- arhiva:    ``arhiva ingest`` of the folder of page images, and of the multi-page PDF.

Run:  .venv/bin/python bench/ocr_speed.py [--pages 10] [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arhiva.testing.scans import Degradation, save_pdf, scan  # noqa: E402
from bench.corpus import DEFAULT_CORPORA, compose_pages, require  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def default_env() -> dict:
    """The environment a user's shell has: Tesseract's threading left at its default."""
    return {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def tesseract_limit(images: list[Path], out: Path, cores: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(image: Path) -> None:
        subprocess.run(["tesseract", str(image), str(out / image.stem), "-l", "ron"], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    start = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - start


def tesseract_serial(images: list[Path], out: Path) -> float:
    env = default_env()
    start = time.perf_counter()
    for image in images:
        subprocess.run(["tesseract", str(image), str(out / image.stem), "-l", "ron"], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def find_ocrmypdf() -> str | None:
    local = ROOT / "bench" / ".venv-ocrmypdf" / "bin" / "ocrmypdf"
    return str(local) if local.exists() else shutil.which("ocrmypdf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--repeat", type=int, default=1, help="run each parallel measurement N times; report the fastest")
    parser.add_argument("--skip-serial", action="store_true", help="skip the slow default-threaded serial run")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    texts = compose_pages(require(args.corpora), args.pages)

    work = Path(tempfile.mkdtemp(prefix="arhiva-bench-"))
    images_dir, out = work / "pages", work / "out"
    images_dir.mkdir()
    out.mkdir()
    pages = [scan(text, Degradation(dpi=args.dpi, skew=0.8), seed=i)[0] for i, text in enumerate(texts)]
    images = []
    for i, page in enumerate(pages):
        path = images_dir / f"page-{i + 1:03d}.png"
        page.save(path, dpi=(args.dpi, args.dpi))
        images.append(path)
    pdf = work / "scan.pdf"
    save_pdf(pages, pdf, args.dpi)

    arhiva = str(ROOT / ".venv" / "bin" / "arhiva")

    def best(run) -> float:
        times = []
        for attempt in range(args.repeat):
            shutil.rmtree(work / "archive", ignore_errors=True)
            times.append(run())
        return min(times)

    results: list[tuple[str, float | None]] = []
    results.append((f"tesseract, 1 thread x {cores} processes (the limit)",
                    best(lambda: tesseract_limit(images, out, cores))))
    results.append((f"arhiva ingest, {args.pages} page images", best(lambda: timed(
        [arhiva, "ingest", "--archive", str(work / "archive"), str(images_dir)], env=default_env()))))
    results.append((f"arhiva ingest, one {args.pages}-page PDF", best(lambda: timed(
        [arhiva, "ingest", "--archive", str(work / "archive"), str(pdf)], env=default_env()))))
    ocrmypdf = find_ocrmypdf()
    if ocrmypdf:
        results.append((f"ocrmypdf -j {cores}", best(lambda: timed(
            [ocrmypdf, "-l", "ron", "-j", str(cores), "--sidecar", str(out / "o.txt"), "--output-type", "pdf",
             str(pdf), str(out / "o.pdf")], env=default_env()))))
    else:
        results.append(("ocrmypdf (not installed: bash bench/setup-ocrmypdf.sh)", None))
    if not args.skip_serial:
        results.append(("tesseract serial, default threading", tesseract_serial(images, out)))

    limit = results[0][1]
    print(f"{args.pages} generated pages at {args.dpi} dpi, {cores} cores")
    print(f"{'run':<52} {'seconds':>8} {'pages/s':>8} {'x limit':>8}")
    for name, seconds in results:
        if seconds is None:
            print(f"{name:<52} {'-':>8}")
            continue
        print(f"{name:<52} {seconds:>8.1f} {args.pages / seconds:>8.2f} {seconds / limit:>8.2f}")
    print(f"reproduce: .venv/bin/python bench/ocr_speed.py --pages {args.pages} --dpi {args.dpi} "
          f"--repeat {args.repeat}{' --skip-serial' if args.skip_serial else ''}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
