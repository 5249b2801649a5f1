"""``arhiva serve`` under load: concurrent clients searching, latency per search request.

Starts ``arhiva serve`` as its own process on an archive (one made by
bench/search_scale.py's writer when ``--build N`` is given, else the one at
``--archive``), then runs ``--clients`` threads, each with its own keep-alive
connection, each sending its searches one after the other with no pause
(a closed loop: the hardest case for the server; ``--think`` adds a pause
between a client's requests, fixed or drawn at random from a range such as
``2-10`` seconds, as a clerk reads a page of results before the next search;
each client then starts at a random moment within the first pause). The searches are the mixed queries of
bench/search_scale.py (1-4 words with and without diacritics, phrases, a
type, a date range), asked through the search page (``/?q=``, the HTML a
clerk sees, snippets included) and through the JSON API (``/api/search``).
Prints p50, p95 and the slowest request per kind, the requests per second,
the server's processor time per request (with the requests per second that
allows on idle cores: a figure that hardly depends on what else the machine
runs, unlike the latencies), the processor time of this load generator
itself (it shares the machine's cores with the server), the load average,
and the command that reproduces them.

Every search asked is a different one (the server keeps its answers: one
asked again is answered from memory); ``--distinct N`` asks only N different
ones, many times each, to measure those kept answers. ``--cold`` measures
the first search right after the server starts. ``--warm N`` asks N other
searches before measuring (a server that has run a while keeps the postings of
frequent words decoded; ``--warm 0`` measures a fresh server).

Run:  .venv/bin/python bench/web_load.py --build 20000 --work /tmp/web-load
      .venv/bin/python bench/web_load.py --archive /tmp/web-load/archive   (again, on the same archive)
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import DEFAULT_CORPORA, require  # noqa: E402
from bench.search_scale import build_archive, corpus_sentences, make_queries, percentile, reused_documents  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(archive: Path, port: int, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    process = subprocess.Popen([sys.executable, "-m", "arhiva", "serve", "--archive", str(archive), "--port", str(port),
                                "--workers", str(workers)], env=env, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    if f":{port}/" not in line:
        process.kill()
        raise SystemExit(f"arhiva serve did not start: {line}{process.stderr.read()}")
    return process


def pause(think: tuple[float, float], rng: random.Random) -> float:
    """Seconds to wait before a client's next request: fixed, or uniform within the range."""
    low, high = think
    return rng.uniform(low, high) if high > low else low


def parse_think(text: str) -> tuple[float, float]:
    """``2`` or ``2-10`` (seconds) as a range.

    >>> parse_think("2"), parse_think("2-10")
    ((2.0, 2.0), (2.0, 10.0))
    """
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def client(port: int, paths: list[str], think: tuple[float, float], times: list[float], errors: list[str],
           start: threading.Barrier, seed: int = 0) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    rng = random.Random(seed)
    start.wait()
    if think[1]:
        time.sleep(rng.uniform(0, think[1]))  # clerks do not all start at once
    for path in paths:
        for attempt in (1, 2):
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closes a connection idle for 5 s (uvicorn's keep-alive): a browser opens
                # a new one, as here.
                connection.close()
                if attempt == 2:
                    raise
        times.append(time.perf_counter() - began)
        if response.status != 200:
            errors.append(f"{response.status} {path}")
        if think[1]:
            time.sleep(pause(think, rng))
    connection.close()


def run(port: int, queries: list[str], clients: int, per_client: int, think: tuple[float, float],
        api: bool) -> dict:
    prefix = "/api/search?" if api else "/?"
    paths = [prefix + urlencode({"q": q}) for q in queries]
    times: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(clients)
    threads = [
        threading.Thread(target=client, args=(port, [paths[(c * per_client + i) % len(paths)] for i in range(per_client)],
                                              think, times, errors, barrier, c))
        for c in range(clients)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"requests": len(times), "p50": statistics.median(times), "p95": percentile(times, 0.95),
            "max": max(times), "per_second": len(times) / wall, "errors": errors}


def cpu_seconds(root: int) -> dict[int, float]:
    """The processor time (user and system) used so far by the server, by process: ``root`` and its
    workers (Linux, from /proc). Unlike latency, it hardly depends on what else the machine runs."""
    from arhiva.testing.hostile import process_tree

    used = {}
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return used


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(name: str, figures: dict) -> None:
    print(f"  {name:<26} p50 {figures['p50'] * 1000:6.0f} ms   p95 {figures['p95'] * 1000:6.0f} ms   "
          f"max {figures['max'] * 1000:6.0f} ms   {figures['per_second']:5.1f} requests/s"
          f"   ({figures['requests']} requests, {len(figures['errors'])} errors)", flush=True)
    for error in figures["errors"][:5]:
        print(f"    error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, help="an archive with its index (default: WORK/archive)")
    parser.add_argument("--build", type=int, metavar="N", help="first write N documents to WORK/archive and index them")
    parser.add_argument("--work", type=Path, default=Path("/tmp/web-load"))
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="searches per client")
    parser.add_argument("--think", type=parse_think, default=(0.0, 0.0), metavar="S or LOW-HIGH",
                        help="seconds a client waits between its requests: fixed, or drawn uniformly from a range "
                             "(2-10); default none")
    parser.add_argument("--warm", type=int, default=40, metavar="N",
                        help="different searches asked before measuring (default 40; 0: a fresh server)")
    parser.add_argument("--workers", type=int, default=1, help="arhiva serve --workers")
    parser.add_argument("--distinct", type=int, default=0, metavar="N",
                        help="ask only N different searches, each many times (the server's cache of answers "
                             "then serves the repeats); default: every search different")
    parser.add_argument("--cold", action="store_true",
                        help="measure right after the server starts, with no warming searches first (a server "
                             "warms itself as it starts: the first search, asked at once, may wait for that)")
    args = parser.parse_args()

    archive = args.archive or args.work / "archive"
    think_text = "-".join(f"{t:g}" for t in sorted(set(args.think)))
    if args.build:
        if archive.exists():
            raise SystemExit(f"{archive} exists: remove it, or measure it with --archive {archive}")
        archive.parent.mkdir(parents=True, exist_ok=True)
        pool = corpus_sentences(require(args.corpora))
        started = time.perf_counter()
        build_archive(archive, args.build, pool)
        print(f"wrote {args.build} documents in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "arhiva", "reindex", "--archive", str(archive)], check=True)
        print(f"indexed them in {time.perf_counter() - started:.0f} s", flush=True)
    documents = sum(1 for _ in (archive / "documents").glob("*/*"))
    count = args.clients * args.requests
    # The page, the API and the warming each have searches of their own (the server keeps answers:
    # a search asked again is not a new one).
    made = make_queries(reused_documents(archive, 300), 2 * count + max(2, args.warm))
    asked = {False: made[:count], True: made[count:2 * count]}
    warming = made[2 * count:]
    if args.distinct:
        asked = {api: [queries[i % args.distinct] for i in range(count)] for api, queries in asked.items()}

    port = free_port()
    began = time.perf_counter()
    server = start_server(archive, port, args.workers)
    print(f"arhiva serve --workers {args.workers} started in {time.perf_counter() - began:.1f} s", flush=True)
    try:
        if args.cold:
            first = run(port, warming[:1], clients=1, per_client=1, think=(0.0, 0.0), api=False)
            time.sleep(5)
            later = run(port, warming[1:2], clients=1, per_client=1, think=(0.0, 0.0), api=False)
            print(f"  the first search, as soon as the server listens: {first['max'] * 1000:.0f} ms; "
                  f"the second, 5 s later: {later['max'] * 1000:.0f} ms", flush=True)
        elif args.warm:
            clients = 2 * args.workers
            run(port, warming, clients=clients, per_client=-(-args.warm // clients), think=(0.0, 0.0), api=True)
        print(f"{documents} documents, {args.clients} concurrent clients x {args.requests} searches"
              f"{f', {think_text} s between requests' if args.think[1] else ', no pause between requests'}, "
              + (f"{args.distinct} different searches" if args.distinct else "every search different")
              + (", cold" if args.cold else f", after {args.warm} other searches" if args.warm else ", a fresh server"))
        for api, name in ((False, "search page /?q= (HTML)"), (True, "JSON API /api/search")):
            before, cpu, mine = loadavg(), cpu_seconds(server.pid), time.process_time()
            figures = run(port, asked[api], args.clients, args.requests, args.think, api)
            mine = time.process_time() - mine
            report(name, figures)
            after = cpu_seconds(server.pid)
            each = sorted((after[pid] - cpu.get(pid, 0.0) for pid in after), reverse=True)
            cpu = sum(each)
            print(f"    server processor time {cpu / figures['requests'] * 1000:.1f} ms a request "
                  f"(at most {os.cpu_count() / (cpu / figures['requests']):.0f} requests/s on {os.cpu_count()} "
                  f"idle cores; by process {', '.join(f'{100 * c / cpu:.0f}%' for c in each if c)}); "
                  f"load average before {before}, after {loadavg()}", flush=True)
            print(f"    this load generator's own processor time {mine / figures['requests'] * 1000:.1f} ms a request "
                  f"(the same machine's cores)", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    options = f"--archive {archive}" if not args.build else f"--build {args.build} --work {args.work}"
    print(f"command: .venv/bin/python bench/web_load.py {options} --clients {args.clients} --requests {args.requests}"
          + (f" --think {think_text}" if args.think[1] else "")
          + (f" --workers {args.workers}" if args.workers > 1 else "")
          + (f" --warm {args.warm}" if args.warm != 40 else "")
          + (f" --distinct {args.distinct}" if args.distinct else "") + (" --cold" if args.cold else ""))


if __name__ == "__main__":
    main()
