"""OCR throughput: arhiva ingest against the machine's limit, serial Tesseract and OCRmyPDF.

Generates N scanned pages (150 dpi by default, degraded as a scanner would)
from corpus sentences, then times, on the same pages:

- limit:     plain ``tesseract -l ron``, one thread per process, one process per core;
- serial:    plain ``tesseract -l ron`` one page after another, with its default threading;
- ocrmypdf:  ``ocrmypdf -l ron -j CORES --sidecar out.txt --output-type pdf`` on the PDF
             (when installed: bench/setup-ocrmypdf.sh puts it in bench/.venv-ocrmypdf);
- arhiva:    ``arhiva ingest`` of the folder of page images, and of the multi-page PDF.

With ``--copies``, only arhiva ingest, each with and without the searchable PDF
copies (the copy turned off in the same code), in alternation: what the copies cost.

Run:  .venv/bin/python bench/ocr_speed.py [--pages 10] [--corpora ../shared/corpora] [--copies]
"""

from __future__ import annotations

import argparse
import os
import resource
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
from bench.timing import compile_bytecode  # noqa: E402

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


def ingest_without_copies(args: list[str]) -> None:
    """``arhiva ARGS`` with the searchable PDF copies turned off (the workers, forked, inherit it)."""
    import arhiva.pipeline
    from arhiva.cli import main as arhiva_main

    arhiva.pipeline.wants_copy = lambda media_type, methods: False
    sys.argv = ["arhiva", *args]
    arhiva_main()


def copies_cost(arhiva: str, work: Path, inputs: dict[str, Path], args) -> None:
    """What the searchable PDF copies cost: the same ingest with and without them, in alternation
    (so that both see the same load of a shared machine), wall time and CPU time of the whole process
    tree (Tesseract included), which the load disturbs far less."""
    without = [sys.executable, str(Path(__file__).resolve()), "--ingest-without-copies"]
    print(f"{args.pages} generated pages at {args.dpi} dpi, {os.cpu_count()} cores; load before: "
          f"{Path('/proc/loadavg').read_text().split()[:3] if Path('/proc/loadavg').exists() else '?'}")
    print(f"{'ingest of':<16} {'copies':>7} {'wall s (each run)':>28} {'CPU s (each run)':>28}")
    for name, source in inputs.items():
        runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        for attempt in range(args.repeat):
            for copies in ((True, False) if attempt % 2 == 0 else (False, True)):
                shutil.rmtree(work / "archive", ignore_errors=True)
                command = [arhiva] if copies else without
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                wall = timed([*command, "ingest", "--archive", str(work / "archive"), str(source)], env=default_env())
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                runs[copies].append((wall, cpu))
        for copies in (False, True):
            walls = " ".join(f"{w:.1f}" for w, _ in runs[copies])
            cpus = " ".join(f"{c:.1f}" for _, c in runs[copies])
            print(f"{name:<16} {'yes' if copies else 'no':>7} {walls:>28} {cpus:>28}")
        best = {c: (min(w for w, _ in runs[c]), min(u for _, u in runs[c])) for c in runs}
        print(f"{name:<16} copies cost: wall {best[True][0] / best[False][0] - 1:+.1%} (best of each), "
              f"CPU {best[True][1] / best[False][1] - 1:+.1%} (least of each)")
    print(f"load after: {Path('/proc/loadavg').read_text().split()[:3] if Path('/proc/loadavg').exists() else '?'}")
    print(f"reproduce: .venv/bin/python bench/ocr_speed.py --pages {args.pages} --dpi {args.dpi} "
          f"--repeat {args.repeat} --copies")


def main() -> None:
    if sys.argv[1:2] == ["--ingest-without-copies"]:
        ingest_without_copies(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--repeat", type=int, default=1, help="run each parallel measurement N times; report the fastest")
    parser.add_argument("--skip-serial", action="store_true", help="skip the slow default-threaded serial run")
    parser.add_argument("--copies", action="store_true",
                        help="instead, time each ingest with and without the searchable PDF copies (their cost)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    compile_bytecode()
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
    if args.copies:
        copies_cost(arhiva, work, {"page images": images_dir, "PDF": pdf}, args)
        shutil.rmtree(work, ignore_errors=True)
        return

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
