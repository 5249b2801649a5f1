"""OCR throughput on a Dask cluster: ``arhiva ingest --cluster`` with 1 and 2 workers against local ``--jobs 2``.

Generates N scanned pages as bench/ocr_speed.py does (corpus sentences, 150 dpi,
degraded as a scanner would), then times the whole ``arhiva ingest`` of the
folder of page images (OCR, clean-up, metadata, archive, index) into a new
archive:

- local:     ``arhiva ingest --jobs 2``;
- cluster N: ``arhiva ingest --cluster ADDRESS`` against a Dask LocalCluster of
             N worker processes with one thread each, started on this machine.

The ingesting process runs on the same machine as the workers here; on a real
cluster it only archives and indexes. The per-page cost of one worker (its
seconds per page) is what sizes a cluster: see docs/cluster.md.

Run:  .venv/bin/python bench/ocr_cluster.py [--pages 10] [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ocr_speed import ROOT, Degradation, compose_pages, require, scan, timed  # noqa: E402
from bench.corpus import DEFAULT_CORPORA  # noqa: E402


def load() -> str:
    """The machine's load average over the last minute (other work on it slows every figure)."""
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def make_pages(corpora: Path, count: int, dpi: int, folder: Path) -> None:
    """The page images of bench/ocr_speed.py: same texts, same damage, same seeds."""
    texts = compose_pages(require(corpora), count)
    folder.mkdir(parents=True)
    for i, text in enumerate(texts):
        page = scan(text, Degradation(dpi=dpi, skew=0.8), seed=i)[0]
        page.save(folder / f"page-{i + 1:03d}.png", dpi=(dpi, dpi))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cluster sizes to time")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--repeat", type=int, default=1, help="run each measurement N times; report the fastest")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    work = Path(tempfile.mkdtemp(prefix="arhiva-bench-cluster-"))
    pages = work / "pages"
    make_pages(args.corpora, args.pages, args.dpi, pages)
    arhiva = str(ROOT / ".venv" / "bin" / "arhiva")

    loads: dict[str, str] = {}

    def best(extra: list[str], name: str) -> float:
        times = []
        before = load()
        for _ in range(args.repeat):
            shutil.rmtree(work / "archive", ignore_errors=True)
            times.append(timed([arhiva, "ingest", "--archive", str(work / "archive"), *extra, str(pages)], env=env))
        loads[name] = f"{before}-{load()}"
        return min(times)

    local = "arhiva ingest --jobs 2 (local processes)"
    results = [(local, best(["--jobs", "2"], local))]
    busy: dict[str, float] = {}
    for workers in args.workers:
        with LocalCluster(processes=True, n_workers=workers, threads_per_worker=1, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            name = f"arhiva ingest --cluster, {workers} worker(s) x 1 thread"
            client.get_task_stream()  # the scheduler records the tasks of every client from here on
            start = time.time()
            results.append((name, best(["--cluster", cluster.scheduler_address], name)))
            wall = time.time() - start
            stream = client.get_task_stream(start=start)
            computing = sum(s["stop"] - s["start"] for task in stream for s in task["startstops"]
                            if s["action"] == "compute")
            busy[name] = computing / (workers * wall)

    print(f"{args.pages} generated pages at {args.dpi} dpi, {os.cpu_count()} cores, whole ingest")
    print(f"{'run':<48} {'seconds':>8} {'pages/s':>8} {'s/page':>8} {'busy':>7} {'load':>11}")
    for name, seconds in results:
        share = f"{busy[name]:>7.0%}" if name in busy else f"{'':>7}"
        print(f"{name:<48} {seconds:>8.1f} {args.pages / seconds:>8.2f} {seconds / args.pages:>8.2f} {share} "
              f"{loads[name]:>11}")
    print("(busy: the share of the workers' time spent in tasks; the rest is the command's start-up, the "
          "connection and the hand-over of tasks. load: the machine's load average before and after)")
    one = dict(results).get("arhiva ingest --cluster, 1 worker(s) x 1 thread")
    if one:
        per_page = one / args.pages
        core_hours = per_page * 1_000_000 / 3600
        print(f"one worker thread: {per_page:.2f} s/page -> a million pages = {core_hours:,.0f} core-hours; "
              f"in 24 h: {core_hours / 24:,.0f} worker threads (e.g. {core_hours / 24 / 16:,.1f} machines "
              f"of 16 cores)")
    print(f"reproduce: .venv/bin/python bench/ocr_cluster.py --pages {args.pages} --dpi {args.dpi} "
          f"--workers {' '.join(map(str, args.workers))} --repeat {args.repeat}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
