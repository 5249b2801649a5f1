"""``arhiva serve``: the archive in a web browser, read-only, for people who do not use a terminal.

Search (the same query language and filters as ``arhiva search``), each
document with its scan beside its text, its metadata and corrections, what
the clean-up changed, similar documents; and a JSON API under ``/api/``
(docs/web.md). Needs the ``web`` extra: ``pip install 'arhiva[web]'``.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from arhiva.errors import ArhivaError, ExitCode


class WebSetupError(ArhivaError):
    """``serve`` cannot start as asked (a missing extra, an exposed address without a token)."""

    exit_code = ExitCode.USAGE


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Refuse to serve the archive beyond this machine without a token.

    >>> check_binding("0.0.0.0", None)
    Traceback (most recent call last):
    ...
    arhiva.web.WebSetupError: serving on 0.0.0.0 makes the archive reachable from other machines: give --token (docs/web.md)
    """
    if not is_loopback(host) and not token:
        raise WebSetupError(f"serving on {host} makes the archive reachable from other machines: "
                            "give --token (docs/web.md)")


def url(host: str, port: int, token: str | None = None) -> str:
    """The address to open in a browser (with the token, which the first page keeps in a cookie).

    >>> url("127.0.0.1", 8080), url("::1", 80, "s3cret")
    ('http://127.0.0.1:8080/', 'http://[::1]:80/?token=s3cret')
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


#: The most search processes started when not told: each holds about 600 MB at 100,000 documents once
#: it has answered many searches (the postings it keeps, within its share of the memory available),
#: and 4 answer 20 clerks (docs/web.md).
MOST_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """Search processes of ``arhiva serve`` when not told: one per core this process may use, at most
    :data:`MOST_DEFAULT_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_DEFAULT_WORKERS))


def serve(archive_dir: Path, host: str = "127.0.0.1", port: int = 8080, token: str | None = None,
          workers: int | None = None, on_ready=None) -> None:
    """Serve the archive with uvicorn until interrupted. ``on_ready`` is called once it is listening.

    ``workers``: processes that search (:mod:`arhiva.web.pool`), :func:`default_workers` when None;
    with 1, the server searches in its own process.
    """
    check_binding(host, token)
    try:
        import uvicorn

        from arhiva.web.app import create_app
    except ImportError as err:
        raise WebSetupError(f"arhiva serve needs the web extra ({err.name} is missing): "
                            "pip install 'arhiva[web]'") from err
    options = dict(host=host, port=port, log_level="warning", access_log=False, server_header=False,
                   proxy_headers=False)
    processes = workers or default_workers()
    if processes == 1:  # the server searches itself, and lives long: it keeps more of the index in memory
        from arhiva.search.index import keep_for_serving

        keep_for_serving(1)
    app = create_app(archive_dir, token=token, processes=processes)
    config = uvicorn.Config(app, **options)
    server = uvicorn.Server(config)
    if on_ready is not None:
        startup = server.startup

        async def announced_startup(sockets=None):
            await startup(sockets=sockets)
            if server.started:
                on_ready()

        server.startup = announced_startup
    server.run()

