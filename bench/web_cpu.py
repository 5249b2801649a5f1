"""Where the processor time of one search request of ``arhiva serve`` goes, in-process.

Runs the handlers of the search page (``/?q=``) and of ``/api/search`` on an
existing archive, without HTTP, for ``--queries`` different searches each
(the mixed queries of bench/search_scale.py), after ``--warm`` others, and
prints the processor time per request (mean, p50, p95) and its parts: the
search in the index (the backend), the snippets, reading the hits' texts,
checking that each hit may be shown (not withdrawn), how current the index
is, "did you mean", and the page's rendering. The rest is reading the
request and making the answer. The times are of the thread that runs the
requests (``time.thread_time``), so they hardly depend on what else the
machine runs; the load average is printed beside them.

Run: nice -n 10 .venv/bin/python bench/web_cpu.py --archive ../extra/scale100k/archive [--queries 100] [--warm 40]
     [--profile /tmp/web.prof] [--serving]
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_scale import make_queries, percentile, reused_documents  # noqa: E402


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", type=Path, required=True, help="an archive with its index")
    parser.add_argument("--queries", type=int, default=100, help="different searches measured, for each handler")
    parser.add_argument("--warm", type=int, default=40, help="other searches asked first")
    parser.add_argument("--profile", type=Path, help="also write a cProfile of the measured requests here")
    parser.add_argument("--serving", action="store_true",
                        help="keep postings as arhiva serve's search process does (default: as a command does)")
    args = parser.parse_args()

    from starlette.requests import Request

    import arhiva.search.index as index_module
    from arhiva.web.app import create_app

    if args.serving:
        from arhiva.search.index import keep_for_serving

        keep_for_serving(1)
    queries = make_queries(reused_documents(args.archive, 300), 2 * args.queries + args.warm)
    site = create_app(args.archive).state.site
    site.warm()

    def request(path: str, text: str) -> Request:
        return Request({"type": "http", "method": "GET", "path": path, "headers": [],
                        "query_string": urlencode({"q": text}).encode()})

    for text in queries[2 * args.queries:]:
        site.api_search(request("/api/search", text))

    parts: dict[str, float] = defaultdict(float)
    profile = cProfile.Profile() if args.profile else None

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def measured(*a, **k):
            began = time.thread_time()
            try:
                return inner(*a, **k)
            finally:
                parts[label] += time.thread_time() - began

        setattr(owner, name, measured)

    timed(site.searcher._open().backend, "search", "search in the index")
    timed(index_module, "make_snippets", "snippets")
    timed(index_module, "_suggest", "did you mean")
    timed(site.searcher.archive, "read_member", "reading the hits' texts")
    timed(site.searcher.archive, "has", "may each hit be shown")
    timed(site.searcher.archive, "is_withdrawn", "may each hit be shown")
    timed(site.searcher, "_freshness", "is the index current")
    timed(site, "render", "rendering the page")

    print(f"{args.archive}: {args.queries} different searches for each, after {args.warm} others")
    for name, path, handler, asked in (("search page", "/", site.search_page, queries[:args.queries]),
                                       ("JSON API", "/api/search", site.api_search,
                                        queries[args.queries:2 * args.queries])):
        parts.clear()
        before, each = loadavg(), []
        for text in asked:
            began = time.thread_time()
            if profile is not None:
                profile.runcall(handler, request(path, text))
            else:
                handler(request(path, text))
            each.append(time.thread_time() - began)
        total = sum(each)
        print(f"  {name:<12} processor time a request: mean {total / len(each) * 1000:5.1f} ms, "
              f"p50 {percentile(each, 0.5) * 1000:5.1f} ms, p95 {percentile(each, 0.95) * 1000:5.1f} ms "
              f"(load average before {before}, after {loadavg()})")
        for label, spent in sorted(parts.items(), key=lambda item: -item[1]):
            print(f"    {label:<26} {spent / len(each) * 1000:5.1f} ms  {100 * spent / total:4.1f}%")
        rest = total - sum(parts.values())
        print(f"    {'the rest':<26} {rest / len(each) * 1000:5.1f} ms  {100 * rest / total:4.1f}%")
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"profile of the measured requests: {args.profile} (times under the profiler are longer)")
    print(f"command: nice -n 10 .venv/bin/python bench/web_cpu.py --archive {args.archive} "
          f"--queries {args.queries} --warm {args.warm}" + (" --serving" if args.serving else ""))


if __name__ == "__main__":
    main()
