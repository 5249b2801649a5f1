"""``arhiva serve`` through starlette's TestClient: what a user must see, escaping, headers, IDs, the token,
the JSON API against the CLI's ``--json``, and an index behind the archive (said, never waited for)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("starlette")
pytest.importorskip("jinja2")
from starlette.testclient import TestClient  # noqa: E402

from arhiva import operations  # noqa: E402
from arhiva.archive import Archive, catalog  # noqa: E402
from arhiva.cli import cli  # noqa: E402
from arhiva.pipeline import ingest  # noqa: E402
from arhiva.web import check_binding, WebSetupError  # noqa: E402
from arhiva.web.app import create_app  # noqa: E402
from tests.conftest import FakeEngine, write_page_image  # noqa: E402

DATA = json.loads((Path(__file__).parent / "data" / "web" / "documents.json").read_text("utf-8"))


def build_archive(root: Path) -> dict[str, str]:
    """An archive of the test documents and one page image; return the IDs by file name."""
    files = root / "files"
    files.mkdir()
    for name, text in DATA["documents"].items():
        (files / name).write_text(text, "utf-8")
    write_page_image(files / "scan.png")
    archive = Archive.open(root / "archive", create=True)
    report = ingest([files], archive, FakeEngine(), jobs=1)
    return {Path(o.path).name: o.doc_id for o in report.outcomes if o.status == "ingested"}


def warmed() -> None:
    """Wait for the server's warm-up (its searches in the background) to end."""
    for thread in threading.enumerate():
        if thread.name == "arhiva-warm":
            thread.join()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    ids = build_archive(root)
    with TestClient(create_app(root / "archive")) as client:
        yield client, ids, root / "archive"


@pytest.fixture
def fresh(tmp_path):
    """An archive of its own, for tests that change it."""
    ids = build_archive(tmp_path)
    return ids, tmp_path / "archive"


def test_search_page_shows_results_with_snippets_and_pages(demo):
    client, ids, _ = demo
    page = client.get("/", params={"q": "sedinta consiliului"})
    assert page.status_code == 200
    html = page.text
    assert '<html lang="ro">' in html
    assert f'href="/document/{ids["proces-verbal.txt"]}"' in html
    assert "PROCES-VERBAL" in html or "Proces-verbal" in html
    assert "<mark>ședinței</mark>" in html
    assert '<span class="page">p. 1</span>' in html
    # Every field of the form has its label.
    for field in ("q", "tip", "de_la", "pana_la", "eticheta", "sort", "n"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html


def test_filters_sorting_and_paging(demo):
    client, ids, _ = demo
    html = client.get("/", params={"q": "bugetul", "tip": "hotărâre"}).text
    assert ids["hotarare.txt"] in html and ids["proces-verbal.txt"] not in html
    html = client.get("/", params={"q": "bugetul", "sort": "-date", "n": 1}).text
    assert html.count('class="result"') == 1 and 'rel="next"' in html
    html = client.get("/", params={"q": "bugetul", "sort": "-date", "n": 1, "pagina": 2}).text
    assert html.count('class="result"') == 1 and 'rel="prev"' in html
    html = client.get("/", params={"q": "bugetul", "de_la": "2030"}).text
    assert "Niciun document nu se potrivește" in html


def test_bad_query_and_bad_date_are_explained(demo):
    client, _, _ = demo
    page = client.get("/", params={"q": "buget", "de_la": "2021-13"})
    assert page.status_code == 400 and "„2021-13” nu este o dată" in page.text and "is not a date" not in page.text
    page = client.get("/", params={"q": '"ordinea de'})
    assert page.status_code in (200, 400) and "cannot" not in page.text


def test_browsing_without_words(demo):
    client, ids, _ = demo
    assert f"Arhiva are {len(ids)} document(e)" in client.get("/").text
    html = client.get("/", params={"tip": "hotărâre"}).text
    assert f"/document/{ids['hotarare.txt']}" in html and ids["proces-verbal.txt"] not in html
    html = client.get("/", params={"de_la": "2000"}).text
    assert html.index(ids["proces-verbal.txt"]) < html.index(ids["hotarare.txt"])  # the newest first


def test_document_page_has_scan_text_metadata_changes_and_similar(demo):
    client, ids, _ = demo
    html = client.get(f"/document/{ids['proces-verbal.txt'][:8]}").text
    for heading in ("Textul curățat", "Metadate", "Istoricul corecturilor", "Ce a modificat curățarea textului",
                    "Documente similare", "Pagina 1", "Pagina 2"):
        assert heading in html
    assert f'/document/{ids["proces-verbal.txt"]}/descarca' in html
    assert "Vasile Țăranu" in html
    # What the page says of the text's source and its clean-up is in Romanian.
    assert "Sursa textului: " in html and "source:" not in html and "(fișier text" in html
    html = client.get(f"/document/{ids['scan.png']}").text
    assert f'<img src="/document/{ids["scan.png"]}/pagina/1.png"' in html


def test_page_image_of_a_scan(demo):
    client, ids, _ = demo
    image = client.get(f"/document/{ids['scan.png']}/pagina/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert client.get(f"/document/{ids['scan.png']}/pagina/2.png").status_code == 404
    assert client.get(f"/document/{ids['hotarare.txt']}/pagina/1.png").status_code == 404


def test_original_inline_and_download(demo):
    client, ids, _ = demo
    inline = client.get(f"/document/{ids['scan.png']}/original")
    assert inline.headers["content-type"] == "image/png" and inline.headers["content-disposition"].startswith("inline")
    download = client.get(f"/document/{ids['ostil.txt']}/descarca")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.content == DATA["documents"]["ostil.txt"].encode("utf-8")
    # A text original is never shown inline (it would be the browser's to interpret).
    assert client.get(f"/document/{ids['ostil.txt']}/original").headers["content-type"] == "application/octet-stream"


def test_markup_in_a_document_is_shown_as_text(demo):
    client, ids, _ = demo
    pages = [client.get(f"/document/{ids['ostil.txt']}").text,
             client.get("/", params={"q": "alerta meteo"}).text,
             client.get("/", params={"q": "<script>alert(1)</script>"}).text]
    for html in pages:
        assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in pages[0]


@pytest.mark.parametrize("path", ["/", "/?q=buget", "/document/0000", "/api/search?q=buget", "/nu-exista"])
def test_security_headers_on_every_response(demo, path):
    client, _, _ = demo
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("raw", ["zzzz", "abc", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "ABCDEF0123",
                                 "f" * 64, "0" * 65, "3fa2%00"])
def test_only_document_ids_in_urls(demo, raw):
    client, _, _ = demo
    for path in (f"/document/{raw}", f"/document/{raw}/original", f"/document/{raw}/descarca",
                 f"/document/{raw}/pagina/1.png"):
        assert client.get(path).status_code == 404, path
    answer = client.get(f"/api/documents/{raw}")
    assert answer.status_code == 404 and "error" in answer.json()


def test_api_search_is_the_cli_json(demo):
    client, _, archive_dir = demo
    api = client.get("/api/search", params={"q": "buget", "limit": 5}).json()
    cli_json = json.loads(CliRunner().invoke(cli, ["search", "buget", "-n", "5", "--json",
                                                  "--archive", str(archive_dir)]).output)
    assert api.pop("warnings") == []
    assert api == cli_json


def test_api_documents_are_the_cli_json(demo):
    client, ids, archive_dir = demo
    runner = CliRunner()
    doc_id = ids["proces-verbal.txt"]
    assert client.get("/api/documents").json() == json.loads(
        runner.invoke(cli, ["list", "--json", "--archive", str(archive_dir)]).output)
    assert client.get(f"/api/documents/{doc_id}").json() == json.loads(
        runner.invoke(cli, ["show", doc_id, "--json", "--archive", str(archive_dir)]).output)
    assert client.get(f"/api/documents/{doc_id}/changes").json() == json.loads(
        runner.invoke(cli, ["show", doc_id, "--changes", "--json", "--archive", str(archive_dir)]).output)
    similar = client.get(f"/api/documents/{doc_id}/similar").json()
    similar.pop("warnings")
    assert similar == json.loads(runner.invoke(cli, ["similar", doc_id, "--json",
                                                     "--archive", str(archive_dir)]).output)


def test_api_bad_query(demo):
    client, _, _ = demo
    answer = client.get("/api/search", params={"q": "buget", "pana_la": "mâine"})
    assert answer.status_code == 400 and "is not a date" in answer.json()["error"]


def test_token_is_required_on_every_request(fresh):
    _, archive_dir = fresh
    with TestClient(create_app(archive_dir, token="s3cret")) as client:
        for path in ("/", "/api/search?q=buget", "/static/style.css", "/document/0000"):
            denied = client.get(path)
            assert denied.status_code == 401 and "jeton" in denied.text
            assert denied.headers["x-content-type-options"] == "nosniff"
        assert client.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/", headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert client.get("/?token=wrong").status_code == 401
        first = client.get("/?q=buget&token=s3cret", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/?q=buget"
        assert "httponly" in first.headers["set-cookie"].lower()
        assert client.get("/?q=buget").status_code == 200  # the cookie now


def test_binding_beyond_localhost_needs_a_token(fresh):
    _, archive_dir = fresh
    check_binding("127.0.0.1", None)
    check_binding("0.0.0.0", "t")
    with pytest.raises(WebSetupError):
        check_binding("192.168.1.10", None)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--archive", str(archive_dir)],
                                env={"ARHIVA_TOKEN": None})
    assert result.exit_code == 2 and "give --token" in result.output


def test_a_corrected_document_shows_its_history(fresh):
    ids, archive_dir = fresh
    doc_id = ids["hotarare.txt"]
    catalog.correct(Archive.open(archive_dir), doc_id, {"title": "Bugetul <local> 2021"})
    with TestClient(create_app(archive_dir)) as client:
        html = client.get(f"/document/{doc_id}").text
    assert "Bugetul &lt;local&gt; 2021" in html and "(corectat manual)" in html
    assert "Nicio corectură manuală" not in html


def test_a_search_while_the_index_is_behind_says_so_and_catches_up(fresh):
    ids, archive_dir = fresh
    doc_id = ids["hotarare.txt"]
    with TestClient(create_app(archive_dir)) as client:
        assert "în urmă" not in client.get("/", params={"q": "buget"}).text
        warmed()  # its searches would start a catch-up of their own
        # A correction journaled by another process, the index not yet updated.
        catalog.correct(Archive.open(archive_dir), doc_id, {"title": "Titlu corectat zmeura"})
        other = Archive.open(archive_dir)
        other.index_lock.acquire()  # another process writing the index: the search must not wait for it
        try:
            page = client.get("/", params={"q": "buget"})
            assert page.status_code == 200 and "Indexul de căutare este în urmă" in page.text
            api = client.get("/api/search", params={"q": "buget"}).json()
            # The API says it as the command line would, in English.
            assert any("behind the archive" in w for w in api["warnings"]) and api["results"]
        finally:
            other.index_lock.release()
        for _ in range(200):  # the background catch-up, now free to run
            page = client.get("/", params={"q": "zmeura"}).text
            if "în urmă" not in page and doc_id in page:
                break
            time.sleep(0.05)
        assert doc_id in page and "în urmă" not in page


def test_a_damaged_document_is_not_shown(fresh):
    ids, archive_dir = fresh
    doc_id = ids["hotarare.txt"]
    archive = Archive.open(archive_dir)
    (archive.folder(doc_id) / "text.txt").write_text("altceva", "utf-8")
    with TestClient(create_app(archive_dir)) as client:
        page = client.get(f"/document/{doc_id}")
        assert page.status_code == 409 and "arhiva verify" in page.text
        assert client.get(f"/document/{doc_id}/descarca").status_code == 409
        assert client.get(f"/api/documents/{doc_id}").status_code == 409


def test_errors_on_pages_are_in_romanian_and_in_english_in_the_api(demo):
    client, _, archive_dir = demo
    page = client.get("/document/abcd0123")
    assert page.status_code == 404 and "Nu există niciun document cu identificatorul abcd0123" in page.text
    assert "no document" not in page.text
    answer = client.get("/api/documents/abcd0123")
    assert answer.status_code == 404 and answer.json()["error"] == "no document with ID abcd0123"
    page = client.get("/", params={"q": "buget", "pana_la": "mâine"})
    assert page.status_code == 400 and '<form class="search"' in page.text  # the form, to correct the date
    assert str(archive_dir) not in page.text


def test_api_documents_follow_the_journal(fresh, tmp_path):
    """The listing is kept in memory: a correction, a new document, a filter and every order give what
    ``arhiva list --json`` gives at that moment."""
    ids, archive_dir = fresh
    runner = CliRunner()

    def cli_list(*options):
        return json.loads(runner.invoke(cli, ["list", "--json", "--archive", str(archive_dir), *options]).output)

    with TestClient(create_app(archive_dir)) as client:
        assert client.get("/api/documents").json() == cli_list()
        catalog.correct(Archive.open(archive_dir), ids["hotarare.txt"], {"type": "dispoziție", "date": "2019-02-03"})
        more = tmp_path / "more"
        more.mkdir()
        (more / "anunt.txt").write_text("ANUNȚ\nPrimăria anunță licitația din 3 martie 2020.\n", "utf-8")
        ingest([more], Archive.open(archive_dir), FakeEngine(), jobs=1)
        for params, options in [({}, ()), ({"sort": "date"}, ("--sort", "date")),
                                ({"sort": "-date"}, ("--sort", "-date")),
                                ({"tip": "dispozitie"}, ("--type", "dispozitie")),
                                ({"de_la": "2020", "pana_la": "2021-05"}, ("--from", "2020", "--to", "2021-05"))]:
            assert client.get("/api/documents", params=params).json() == cli_list(*options), params
        everything = client.get("/api/documents").json()
        assert len(everything) == len(ids) + 1
        pages = [client.get("/api/documents", params={"limit": 2, "pagina": n}).json() for n in (1, 2, 3, 4)]
        assert [len(page) for page in pages] == [2, 2, 1, 0] and sum(pages, []) == everything
        assert client.get("/api/documents", params={"de_la": "2021-13"}).status_code == 400


def test_a_kept_answer_is_never_older_than_the_archive(fresh):
    """The server keeps answers while the index does not change: asked again after a correction, the search
    gives the corrected title (once the index has caught up; until then it says it is behind)."""
    ids, archive_dir = fresh
    doc_id = ids["hotarare.txt"]
    with TestClient(create_app(archive_dir)) as client:
        first = client.get("/api/search", params={"q": "bugetul"}).json()
        assert client.get("/api/search", params={"q": "bugetul"}).json() == first  # from memory, the same
        catalog.correct(Archive.open(archive_dir), doc_id, {"title": "Titlu nou afin"})
        for _ in range(200):
            answer = client.get("/api/search", params={"q": "bugetul"}).json()
            if not answer["warnings"]:
                break
            time.sleep(0.05)
        assert {h["id"]: h["title"] for h in answer["results"]}[doc_id] == "Titlu nou afin"


def test_every_page_of_results_has_its_snippets(demo):
    client, _, _ = demo
    for page in (1, 2):
        html = client.get("/", params={"q": "bugetul", "sort": "-date", "n": 1, "pagina": page}).text
        assert html.count('class="result"') == 1 and html.count('class="snippet"') >= 1, page


def test_tags_filter_the_search_and_show_on_results_and_documents(fresh):
    ids, archive_dir = fresh
    tagged = ids["hotarare.txt"]
    operations.correct(Archive.open(archive_dir), tagged, {}, add_tags=["Buget 2021"])
    with TestClient(create_app(archive_dir)) as client:
        html = client.get("/", params={"q": "bugetul", "eticheta": "Buget 2021"}).text
        assert f"/document/{tagged}" in html and ids["proces-verbal.txt"] not in html
        assert "Etichete: <a href=" in html and ">buget-2021</a>" in html
        html = client.get("/", params={"eticheta": "buget-2021"}).text  # browsing by the tag alone
        assert f"/document/{tagged}" in html and html.count('class="result"') == 1
        assert client.get("/", params={"q": "bugetul", "eticheta": "50%"}).status_code == 400
        api = client.get("/api/search", params={"q": "bugetul", "eticheta": "buget-2021"}).json()
        assert [hit["id"] for hit in api["results"]] == [tagged] and api["query"] == "bugetul"
        html = client.get(f"/document/{tagged}").text
        assert '<a href="/?eticheta=buget-2021">buget-2021</a>' in html
        listed = client.get("/api/documents", params={"eticheta": "buget-2021"}).json()
        assert listed == json.loads(CliRunner().invoke(cli, ["list", "--tag", "buget-2021", "--json",
                                                             "--archive", str(archive_dir)]).output)
        assert [row["id"] for row in listed] == [tagged]


def test_a_withdrawn_document_is_never_shown(fresh):
    ids, archive_dir = fresh
    gone = ids["hotarare.txt"]
    with TestClient(create_app(archive_dir)) as client:
        assert gone in client.get("/", params={"q": "bugetul"}).text
        operations.withdraw(Archive.open(archive_dir), gone, "publicat din greșeală")
        assert gone not in client.get("/", params={"q": "bugetul"}).text
        assert gone not in client.get("/api/search", params={"q": "bugetul"}).text
        assert gone not in client.get("/api/documents").text
        for path in (f"/document/{gone}", f"/document/{gone}/descarca", f"/document/{gone}/original",
                     f"/api/documents/{gone}", f"/api/documents/{gone}/changes", f"/api/documents/{gone}/similar"):
            assert client.get(path).status_code == 410, path
        assert "a fost retras" in client.get(f"/document/{gone}").text
        assert gone not in client.get(f"/document/{ids['proces-verbal.txt']}").text  # nor among similar ones
        operations.restore(Archive.open(archive_dir), gone)
        assert client.get(f"/document/{gone}").status_code == 200
        assert gone in client.get("/api/documents").text


def test_a_document_withdrawn_while_the_index_catches_up_is_said_withdrawn(fresh):
    """Until the index drops it, a withdrawn document is left out of the results with a line saying it is
    withdrawn (not that it is gone from the archive and needs a reindex)."""
    ids, archive_dir = fresh
    gone = ids["hotarare.txt"]
    with TestClient(create_app(archive_dir)) as client:
        assert gone in client.get("/", params={"q": "bugetul"}).text
        warmed()
        other = Archive.open(archive_dir)
        other.index_lock.acquire()  # the index cannot catch up yet
        try:
            other.withdraw(gone, {"withdrawn_at": "2026-01-02T03:04:05+00:00", "reason": "din greșeală"})
            page = client.get("/", params={"q": "bugetul"}).text
            api = client.get("/api/search", params={"q": "bugetul"}).json()
        finally:
            other.index_lock.release()
    assert gone not in page and "Indexul de căutare este în urmă" in page
    assert f"Documentul {gone[:12]} a fost retras din arhivă" in page and "reindex" not in page
    assert gone not in {hit["id"] for hit in api["results"]}
    assert f"document {gone[:12]} is withdrawn, so it is not shown" in api["warnings"]
    assert not any("reindex" in line for line in api["warnings"])


def test_searches_in_processes_of_their_own_answer_as_in_the_server(demo):
    """``serve --workers 2``: the searches run in two processes; pages and API answer the same."""
    client, ids, archive_dir = demo
    with TestClient(create_app(archive_dir, processes=2)) as pooled:
        for params in ({"q": "sedinta consiliului"}, {"q": "bugetul", "sort": "-date", "n": 1, "pagina": 2},
                       {"tip": "hotărâre"}, {"q": "bugetl"}):
            assert pooled.get("/api/search", params=params).json() == client.get("/api/search", params=params).json()
            assert pooled.get("/", params=params).text == client.get("/", params=params).text
        assert pooled.get("/").text == client.get("/").text  # the count of documents
        doc_id = ids["proces-verbal.txt"]
        assert (pooled.get(f"/api/documents/{doc_id}/similar").json()
                == client.get(f"/api/documents/{doc_id}/similar").json())
        bad = {"q": "data:2021-13"}  # a QueryError raised in a search process
        answer = pooled.get("/api/search", params=bad)
        assert answer.status_code == 400 and answer.json() == client.get("/api/search", params=bad).json()


def test_searches_in_processes_are_kept_by_the_server_until_the_archive_changes(fresh):
    ids, archive_dir = fresh
    doc_id = ids["hotarare.txt"]
    with TestClient(create_app(archive_dir, processes=2)) as pooled:
        searcher = pooled.app.state.site.searcher
        asked = []
        run = searcher._run
        searcher._run = lambda *args, **options: asked.append(args) or run(*args, **options)
        first = pooled.get("/api/search", params={"q": "bugetul"}).json()
        assert pooled.get("/api/search", params={"q": "bugetul"}).json() == first
        assert len(asked) == 1  # the second from the server's memory
        slow = searcher._run
        searcher._run = lambda *args, **options: time.sleep(0.3) or slow(*args, **options)
        same = [threading.Thread(target=lambda: pooled.get("/api/search", params={"q": "ședința"}))
                for _ in range(4)]
        for thread in same:
            thread.start()
        for thread in same:
            thread.join()
        assert len(asked) == 2  # asked 4 times at once, searched once
        catalog.correct(Archive.open(archive_dir), doc_id, {"title": "Titlu nou afin"})
        for _ in range(200):
            answer = pooled.get("/api/search", params={"q": "bugetul"}).json()
            if not answer["warnings"]:
                break
            time.sleep(0.05)
        assert {h["id"]: h["title"] for h in answer["results"]}[doc_id] == "Titlu nou afin"
        assert len(asked) >= 2


def test_a_search_process_that_dies_is_started_again(demo):
    import os
    import signal

    client, _, archive_dir = demo
    with TestClient(create_app(archive_dir, processes=2)) as pooled:
        assert pooled.get("/api/search", params={"q": "bugetul"}).status_code == 200
        warmed()  # the processes started
        for pid in list(pooled.app.state.site.searcher._pool._processes):
            os.kill(pid, signal.SIGKILL)
        answers = [pooled.get("/api/search", params={"q": "ședința"}) for _ in range(2)]
        assert [a.status_code for a in answers] == [503, 200]
        assert "a search process stopped" in answers[0].json()["error"]
        for pid in list(pooled.app.state.site.searcher._pool._processes):
            os.kill(pid, signal.SIGKILL)
        page = pooled.get("/", params={"q": "consiliului"})  # a new search (one asked before is kept)
        assert page.status_code == 503 and "un proces de căutare s-a oprit" in page.text
        assert answers[-1].json() == client.get("/api/search", params={"q": "ședința"}).json()


def test_serve_searches_in_one_process_per_core_at_most_four(monkeypatch):
    import arhiva.web as web

    for cores, expected in ((1, 1), (2, 2), (16, 4)):
        monkeypatch.setattr(web.os, "sched_getaffinity", lambda pid, cores=cores: set(range(cores)))
        assert web.default_workers() == expected


def test_a_fair_lock_is_granted_in_the_order_asked():
    from arhiva.web.searcher import FairLock

    lock, order = FairLock(), []
    lock.acquire()
    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=lambda n=n: (lock.acquire(), order.append(n), lock.release())))
        threads[-1].start()
        while len(lock._waiting) < n + 1:  # each waits before the next asks
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4] and not lock.locked()


def test_the_searchable_copy_is_linked_when_there_is_one(demo):
    client, ids, archive_dir = demo
    archive = Archive.open(archive_dir)
    for doc_id in ids.values():
        html = client.get(f"/document/{doc_id}").text
        if archive.manifest(doc_id).copy:
            assert f'href="/document/{doc_id}/pdf"' in html
            answer = client.get(f"/document/{doc_id}/pdf")
            assert answer.headers["content-type"] == "application/pdf" and answer.content.startswith(b"%PDF")
        else:
            assert "/pdf" not in html
            assert client.get(f"/document/{doc_id}/pdf").status_code == 404


def test_api_documents_without_a_readable_journal_reads_every_document(fresh, monkeypatch):
    ids, archive_dir = fresh
    from arhiva.errors import ArchiveError
    from arhiva.web import listing

    def unreadable(archive):
        raise ArchiveError("the journal's last line is incomplete; run: arhiva verify")

    with TestClient(create_app(archive_dir)) as client:
        monkeypatch.setattr(listing, "journal_head", unreadable)
        assert len(client.get("/api/documents").json()) == len(ids)
        catalog.correct(Archive.open(archive_dir), ids["hotarare.txt"], {"title": "Alt titlu"})
        titles = {row["id"]: row["title"] for row in client.get("/api/documents").json()}
        assert titles[ids["hotarare.txt"]] == "Alt titlu"
