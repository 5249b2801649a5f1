"""The web pages and the JSON API of ``arhiva serve``: read-only, server-rendered, no JavaScript.

Every page is rendered by Jinja2 with autoescaping: a document's text, title
or file name is always shown as text, never as markup. Every response carries
a strict Content-Security-Policy (no script at all, styles from one static
file). URLs name documents by their hexadecimal ID only, never by a path.
With a token, every request must bring it (``Authorization: Bearer``, or the
cookie set by opening any page once with ``?token=``).
"""

from __future__ import annotations

import hmac
import io
import logging
import re
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from arhiva.archive import Archive, catalog
from arhiva.errors import ArchiveError, ArhivaError, InputError, NotFoundError, QueryError
from arhiva.web.listing import Listing, json_list
from arhiva.web.messages import counted, fixer_name, hide_paths, method_name, romanian, source_lines
from arhiva.web.searcher import SharedSearcher

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
#: Responses of the pages and the API: nothing but this site's own styles and images, never a script.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; object-src 'self'; frame-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: The original, shown inline (a PDF in an ``<object>`` of the document page): no script in it either.
CSP_ORIGINAL = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
#: An ID in a URL: hexadecimal, as the archive names documents (an abbreviation is resolved as in the CLI).
DOC_ID = re.compile(r"[0-9a-f]{4,64}")
#: Originals a browser may show inline; any other is only downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
PAGE_SIZES = (10, 20, 50)
MOST_RESULTS = 1000  # the deepest result a page may reach
SORTS = {"relevance": "relevanță", "date": "data, cele mai vechi întâi", "-date": "data, cele mai noi întâi"}
LIST_SORTS = {"ingested": "ordinea intrării în arhivă", "date": "data, cele mai vechi întâi",
              "-date": "data, cele mai noi întâi"}
TOKEN_COOKIE = "arhiva_token"
PREVIEW_WIDTH = 1100  # pixels of a page preview


def create_app(archive_dir: Path, token: str | None = None, processes: int = 1) -> Starlette:
    """The web application over the archive in ``archive_dir`` (opened read-only: nothing is written to it
    except the derived search index, brought up to date with the journal as every reader does).

    ``processes``: searches run in this many processes of their own (:mod:`arhiva.web.pool`) when more
    than 1; else in the server's."""
    archive = Archive.open(Path(archive_dir))
    if processes > 1:
        from arhiva.web.pool import PooledSearcher

        searcher = PooledSearcher(archive, processes)
    else:
        searcher = SharedSearcher(archive)
    site = Site(archive, searcher, _templates())
    routes = [
        Route("/", site.search_page),
        Route("/document/{doc_id}", site.document_page),
        Route("/document/{doc_id}/original", site.original),
        Route("/document/{doc_id}/descarca", site.download),
        Route("/document/{doc_id}/pdf", site.searchable_copy),
        Route("/document/{doc_id}/pagina/{number:int}.png", site.page_image),
        Route("/api/search", site.api_search),
        Route("/api/documents", site.api_list),
        Route("/api/documents/{doc_id}", site.api_document),
        Route("/api/documents/{doc_id}/changes", site.api_changes),
        Route("/api/documents/{doc_id}/similar", site.api_similar),
        Route("/favicon.ico", lambda request: Response(status_code=204)),  # no icon, and no 404 for it
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(Guard, token=token)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=site.lifespan,
                    exception_handlers={404: site.not_found, ArhivaError: site.problem})
    app.state.site = site
    return app


def _templates() -> Environment:
    # Compiled once: the templates are part of the installed package (no check of their files at every page).
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, auto_reload=False)
    env.globals.update(sorts=SORTS, list_sorts=LIST_SORTS, page_sizes=PAGE_SIZES)
    env.filters["short"] = lambda doc_id: doc_id[:12]
    env.filters["method"] = method_name
    env.filters["fixer"] = fixer_name
    env.globals["counted"] = counted
    return env


class Guard:
    """Security headers on every response; with a token, a request without it gets 401 and nothing else."""

    def __init__(self, app, token: str | None = None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        original = scope["path"].endswith(("/original", "/pdf"))  # a PDF or an image the browser shows itself

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy", b"x-frame-options")]
                headers += [
                    (b"content-security-policy", (CSP_ORIGINAL if original else CSP).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN" if original else b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin"),
                ]
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        if self.token is not None:
            given = request.query_params.get("token")
            if given is not None and _same(given, self.token):
                # Remember it in a cookie, and take it out of the address (and of the history).
                query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + (f"?{urlencode(query)}" if query else "")
                response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict",
                                    secure=request.url.scheme == "https")
                await response(scope, receive, send_with_headers)
                return
            if not self._allowed(request):
                response = PlainTextResponse(
                    "Acces refuzat: acest server cere un jeton (token). Deschideți adresa primită, "
                    "cu ?token=..., sau trimiteți antetul Authorization: Bearer <jeton>.\n", status_code=401,
                    headers={"www-authenticate": 'Bearer realm="arhiva"'})
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)

    def _allowed(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer ") and _same(header[7:].strip(), self.token):
            return True
        cookie = request.cookies.get(TOKEN_COOKIE)
        return cookie is not None and _same(cookie, self.token)


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


@dataclass
class Query:
    """A search as the form and the API give it."""

    text: str = ""
    doc_type: str = ""
    date_from: str = ""
    date_to: str = ""
    tag: str = ""
    sort: str = "relevance"
    page: int = 1
    size: int = 10

    @classmethod
    def of(cls, request: Request, sorts=SORTS) -> Query:
        params = request.query_params
        sort = params.get("sort", "")
        return cls(
            text=params.get("q", "").strip(),
            doc_type=params.get("tip", "").strip(),
            date_from=params.get("de_la", "").strip(),
            date_to=params.get("pana_la", "").strip(),
            tag=params.get("eticheta", "").strip(),
            sort=sort if sort in sorts else next(iter(sorts)),
            page=_number(params.get("pagina"), 1, 1, MOST_RESULTS),
            size=_number(params.get("n"), 10, 1, max(PAGE_SIZES)),
        )

    def link(self, **changes) -> str:
        """The address of this search with some of its fields changed."""
        fields = {"q": self.text, "tip": self.doc_type, "de_la": self.date_from, "pana_la": self.date_to,
                  "eticheta": self.tag, "sort": self.sort, "n": self.size, "pagina": self.page}
        fields.update(changes)
        return "/?" + urlencode({k: v for k, v in fields.items() if v not in ("", None)})

    @property
    def limit(self) -> int:
        return min(self.page * self.size, MOST_RESULTS)

    @property
    def filtered(self) -> bool:
        """Whether a filter is given (a type, a period or a tag): without words, a listing of its documents."""
        return bool(self.doc_type or self.date_from or self.date_to or self.tag)

    def searched(self) -> str:
        """The query the index is asked: the words, and the tag filter as ``tag:``."""
        return f"{self.text} tag:{normal_tag(self.tag)}".strip() if self.tag else self.text


def normal_tag(text: str) -> str:
    """A tag typed in a filter, as the archive keeps it; QueryError (400) when it cannot be a tag.

    >>> normal_tag("Buget 2021")
    'buget-2021'
    """
    from arhiva.tags import normalise_tag

    try:
        return normalise_tag(text)
    except InputError as err:
        raise QueryError(str(err)) from err


def _number(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value))) if value else default
    except ValueError:
        return default


class Site:
    """The handlers of the pages and the API over one archive and one shared index."""

    def __init__(self, archive: Archive, searcher: SharedSearcher, templates: Environment) -> None:
        self.archive = archive
        self.searcher = searcher
        self.templates = templates
        self.listing = Listing(archive)

    @asynccontextmanager
    async def lifespan(self, app):
        # Opening the index, the first search and the templates' compilation take a second: done
        # beside the start, so that the first clerk does not wait for them.
        threading.Thread(target=self.warm, name="arhiva-warm", daemon=True).start()
        try:
            yield
        finally:
            self.searcher.close()

    def warm(self) -> None:
        for name in ("search.html", "document.html", "error.html"):
            self.templates.get_template(name)
        self.searcher.warm()

    def render(self, name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(self.templates.get_template(name).render(**context), status_code=status)

    async def not_found(self, request: Request, exc) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "not found"}, status_code=404)
        return self.render("error.html", 404, title="Pagină inexistentă", message=romanian("not found"))

    async def problem(self, request: Request, err: ArhivaError) -> Response:
        """The one answer to every error of the library, on a page (in Romanian) or in the API (in English,
        as the command line says it): 400, 404, 409, 410 or 503 (:func:`status_of`)."""
        status = status_of(err)
        problems = getattr(err, "problems", None)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(err), **({"problems": problems} if problems else {})},
                                status_code=status)
        if status == 400 and request.url.path == "/":
            return self.render("search.html", 400, query=Query.of(request), error=romanian(str(err)),
                               title="Căutare")
        return self.render("error.html", status, title=TITLES[status], message=romanian(str(err)),
                           problems=[hide_paths(p) for p in problems or ()])

    def _resolve(self, raw: str) -> str:
        """The full ID of the document named in a URL; NotFoundError for anything that is not an ID."""
        if not DOC_ID.fullmatch(raw):
            raise NotFoundError(f"{raw[:80]!r} is not a document ID")
        return self.archive.resolve(raw)

    # -- search ----------------------------------------------------------------

    def _search(self, query: Query):
        from arhiva.search.query import parse_period

        start = parse_period(query.date_from) if query.date_from else None
        end = parse_period(query.date_to, end=True) if query.date_to else None
        return self.searcher.search(query.searched(), skip=(query.page - 1) * query.size, limit=query.limit,
                                    sort=query.sort, doc_type=query.doc_type or None, date_from=start, date_to=end)

    def search_page(self, request: Request) -> Response:
        query = Query.of(request)
        browsing = not query.text
        if browsing and not query.filtered:
            return self._home(query)
        if browsing and query.sort == "relevance":
            query.sort = "-date"  # no words to rank by: the newest first
        answer = self._search(query)
        results = answer.results
        if query.tag and results.suggestion:  # the words corrected, the filter kept apart
            results.suggestion = results.suggestion.replace(f"tag:{normal_tag(query.tag)}", "").strip() or None
        first = (query.page - 1) * query.size
        hits = results.hits[first:first + query.size]
        shown = results.total + results.partial
        more = len(results.hits) == query.limit and shown > query.limit and query.limit < MOST_RESULTS
        return self.render("search.html", query=query, results=results, hits=hits, first=first, more=more,
                           browsing=browsing, notes=[romanian(n) for n in answer.notes + results.warnings],
                           title=f"{query.text} – căutare" if query.text else "Documentele arhivei")

    def _home(self, query: Query) -> Response:
        try:
            count, notes = self.searcher.count()
        except ArchiveError as err:
            count, notes = None, [str(err)]
        return self.render("search.html", query=query, home=True, count=count, notes=[romanian(n) for n in notes],
                           title="Căutare")

    def api_search(self, request: Request) -> Response:
        query = Query.of(request)
        query.size = _number(request.query_params.get("limit"), query.size, 1, MOST_RESULTS)
        answer = self._search(query)
        results = answer.results
        first = (query.page - 1) * query.size
        results.hits = results.hits[first:first + query.size]
        return JSONResponse({**results.to_json(query.text), "warnings": answer.notes + results.warnings})

    def api_list(self, request: Request) -> Response:
        query = Query.of(request, sorts=LIST_SORTS)
        skipped: list[str] = []
        rows = self.listing.documents(query.date_from or None, query.date_to or None, query.doc_type or None,
                                      query.sort, skipped=skipped, tag=normal_tag(query.tag) if query.tag else None)
        if "limit" in request.query_params:  # one page of the list (all of it is 30 MB at 100,000 documents)
            size = _number(request.query_params["limit"], 100, 1, 10_000)
            rows = rows[(query.page - 1) * size:query.page * size]
        return Response(json_list(rows), media_type="application/json", headers=_skipped_header(skipped))

    # -- documents -------------------------------------------------------------

    def _visible(self, request: Request) -> str:
        """The full ID of the document the URL names; NotFoundError for an unknown ID, _Withdrawn for a
        withdrawn document (never shown)."""
        full = self._resolve(request.path_params["doc_id"])
        if self.archive.is_withdrawn(full):
            raise _Withdrawn(full)
        return full

    def _verified(self, request: Request) -> str:
        """:meth:`_visible`, and _Damaged for a document that fails verification."""
        full = self._visible(request)
        problems = self.archive.check_document(full)
        if problems:
            raise _Damaged(full, problems)
        return full

    def document_page(self, request: Request) -> Response:
        full = self._verified(request)
        doc = catalog.view(self.archive, full)
        history = catalog.corrections(self.archive, full)["history"]
        text = self.archive.text(full)
        raw = self.archive.raw_pages(full)
        changes = self.archive.changes(full)
        try:
            similar = self.searcher.similar(full, limit=5)
        except ArchiveError as err:  # the page is still worth showing without them
            similar, similar_problem = None, romanian(str(err))
        else:
            similar_problem = None
            similar.notes = [romanian(n) for n in similar.notes]
        previewable = _previewable(doc.media_type)
        pages = [
            {"number": n, "raw": raw[n - 1] if n <= len(raw) else "", "info": info}
            for n, info in enumerate(doc.manifest.pages, start=1)
        ]
        return self.render("document.html", doc=doc, text=text, pages=pages, previewable=previewable,
                           inline=doc.media_type in INLINE_TYPES, is_pdf=doc.media_type == "application/pdf",
                           history=history, changes=changes, sources=source_lines(doc.manifest.cleanup.get("sources")),
                           similar=similar, similar_problem=similar_problem, title=doc.title or doc.source)

    def searchable_copy(self, request: Request) -> Response:
        """The searchable PDF copy of a scan (its text selectable), shown by the browser's own viewer."""
        full = self._verified(request)
        name = self.archive.manifest(full).copy
        if name is None:
            raise NotFoundError(f"document {full[:12]} has no searchable PDF copy")
        return Response(self.archive.read_file(full, name), media_type="application/pdf",
                        headers={"content-disposition": f'inline; filename="{full[:12]}-cautabil.pdf"'})

    def original(self, request: Request) -> Response:
        return self._original(request, inline=True)

    def download(self, request: Request) -> Response:
        return self._original(request, inline=False)

    def _original(self, request: Request, inline: bool) -> Response:
        full = self._verified(request)
        name = self.archive.original_name(full)
        data = self.archive.read_file(full, name)
        doc = catalog.view(self.archive, full)
        media_type = doc.media_type if doc.media_type in INLINE_TYPES and inline else "application/octet-stream"
        filename = f"{full[:12]}{Path(name).suffix}"
        disposition = "inline" if media_type != "application/octet-stream" else "attachment"
        return Response(data, media_type=media_type,
                        headers={"content-disposition": f'{disposition}; filename="{filename}"'})

    def page_image(self, request: Request) -> Response:
        number = request.path_params["number"]
        full = self._visible(request)
        manifest = self.archive.manifest(full)
        if not (1 <= number <= manifest.page_count) or not _previewable(manifest.source.media_type):
            raise NotFoundError(f"document {full[:12]} has no image of page {number}")
        # An ID names the original's bytes (its SHA-256): a page's preview never changes.
        png = _preview(self.archive.folder(full) / self.archive.original_name(full),
                       manifest.source.media_type, number)
        return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=3600"})

    def api_document(self, request: Request) -> Response:
        doc = catalog.view(self.archive, self._verified(request))
        return JSONResponse({**doc.manifest.to_json(), "metadata_in_force": dict(doc.metadata)})

    def api_changes(self, request: Request) -> Response:
        full = self._visible(request)
        manifest = self.archive.manifest(full)
        return JSONResponse({"sources": manifest.cleanup.get("sources"), "changes": self.archive.changes(full)})

    def api_similar(self, request: Request) -> Response:
        full = self._visible(request)
        answer = self.searcher.similar(full, limit=_number(request.query_params.get("limit"), 10, 1, 100))
        return JSONResponse({**answer.results.to_json(f"similar:{full}"),
                             "warnings": answer.notes + answer.results.warnings})


class _Withdrawn(ArhivaError):
    """A withdrawn document (``arhiva withdraw``): never shown (410)."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"document {doc_id[:12]} is withdrawn, so it is not shown")


class _Damaged(ArchiveError):
    """A document that fails verification: never shown (409), its problems listed."""

    def __init__(self, doc_id: str, problems: list[str]) -> None:
        super().__init__(f"document {doc_id[:12]} fails verification, so it is not shown (run: arhiva verify)")
        self.problems = problems


#: The status of each kind of error, the first that applies; any other error of the library is 503.
STATUSES = ((QueryError, 400), (NotFoundError, 404), (_Damaged, 409), (_Withdrawn, 410))
#: The title of an error page, by status.
TITLES = {400: "Căutare neînțeleasă", 404: "Document inexistent", 409: "Document deteriorat",
          410: "Document retras",
          503: "Arhiva nu poate fi citită acum"}


def status_of(err: ArhivaError) -> int:
    """The HTTP status of an error: 400 a query, date or tag not understood, 404 no such document,
    409 a document that fails verification, 410 a withdrawn document, 503 anything else (the archive or its
    index cannot be read).

    >>> status_of(QueryError("x")), status_of(NotFoundError("x")), status_of(ArchiveError("x"))
    (400, 404, 503)
    """
    return next((status for kind, status in STATUSES if isinstance(err, kind)), 503)


def _skipped_header(skipped: list[str]) -> dict:
    return {"x-arhiva-skipped": str(len(skipped))} if skipped else {}


def _previewable(media_type: str) -> bool:
    return media_type == "application/pdf" or media_type.startswith("image/")


@lru_cache(maxsize=32)
def _preview(path: Path, media_type: str, number: int) -> bytes:
    """Page ``number`` of an original as a PNG a browser shows (a TIFF scan or a PDF page included),
    read with the same limits as at ingest."""
    from PIL import Image

    if media_type == "application/pdf":
        from arhiva.ingest.pdf import render_page

        image = render_page(path, number - 1, dpi=110).image
    else:
        from arhiva.ingest.images import load_frame

        image, _ = load_frame(path, number - 1)
    if image.width > PREVIEW_WIDTH:
        image = image.resize((PREVIEW_WIDTH, max(1, round(image.height * PREVIEW_WIDTH / image.width))),
                             Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
