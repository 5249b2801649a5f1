"""The ``arhiva`` command. Each command parses options, calls one library function,
and formats the result; errors become one line and an exit status here only."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import traceback
from pathlib import Path

import click

from arhiva import __version__
from arhiva.errors import ArhivaError, ExitCode
from arhiva.limits import DEFAULT_LIMITS

EPILOG_EXIT = """\b
Exit status: 0 success; 1 some files failed; 2 usage error;
3 Tesseract or a model missing; 4 no such document; 5 unreadable input;
6 archive or index problem; 130 interrupted."""


def default_archive() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "arhiva"


class ArhivaGroup(click.Group):
    """Turns every :class:`ArhivaError` into one line on stderr and its exit status."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ArhivaError as err:
            if ctx.meta.get("arhiva.verbose"):
                traceback.print_exc()
            click.echo(f"arhiva: error: {err}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("\narhiva: interrupted; nothing half-written was kept", err=True)
            ctx.exit(130)


def archive_option(create: bool = False):
    """``--archive DIR`` (or ARHIVA_HOME), passed to the command as an open Archive."""

    def decorator(command):
        @click.option(
            "--archive",
            "archive_dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar="ARHIVA_HOME",
            default=default_archive,
            show_default="$ARHIVA_HOME or ~/.local/share/arhiva",
            help="The archive folder.",
        )
        @functools.wraps(command)
        def wrapper(*args, archive_dir: Path, **kwargs):
            from arhiva.archive import Archive
            from arhiva.errors import ArchiveError

            try:
                archive = Archive.open(archive_dir, create=create)
            except OSError as err:  # e.g. a read-only or full disk, when creating it
                raise ArchiveError(f"cannot open the archive {archive_dir}: {(err.strerror or str(err)).lower()}"
                                   f"{f' ({err.filename})' if err.filename else ''}") from err
            return command(*args, archive=archive, **kwargs)

        return wrapper

    return decorator


json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def filter_options(command):
    """``--from``, ``--to`` and ``--type``: the filters shared by ``search`` and ``list``."""
    command = click.option("--type", "doc_type", metavar="TYPE", help="Only documents of this type, e.g. hotărâre.")(command)
    command = click.option("--to", "date_to", metavar="DATE", help="Documents dated on or before DATE.")(command)
    return click.option("--from", "date_from", metavar="DATE",
                        help="Documents dated on or after DATE (2021, 2021-04, 2021-04-08).")(command)


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=ArhivaGroup, epilog=EPILOG_EXIT)
@click.version_option(__version__, prog_name="arhiva")
@click.option("-v", "--verbose", is_flag=True, help="Log details, and show tracebacks of errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Turn scanned Romanian communiqués into a trustworthy, searchable archive.

    \b
    Examples:
      arhiva ingest scanari/                 # every PDF, image and text file in the folder
      arhiva search "sedinta consiliului"    # diacritics optional
      arhiva show 3fa2 --text                # the cleaned text of a document
      arhiva verify                          # check every checksum
    """
    ctx.meta["arhiva.verbose"] = verbose
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(name)s: %(message)s")


@cli.command(epilog=EPILOG_EXIT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="all cores",
              help="Pages OCRed in parallel, one Tesseract process each.")
@click.option("--lang", "-l", default="ron", show_default=True, help="Tesseract language(s), e.g. ron+eng.")
@click.option("--page-timeout", type=click.IntRange(min=1), default=300, show_default=True,
              help="Seconds Tesseract may spend on one page.")
@click.option("--file-timeout", type=click.IntRange(min=1), default=600, show_default=True,
              help="Seconds one step of a file (reading it, one page, or its clean-up) may take "
                   "before the file is given up.")
@click.option("--max-memory", type=click.IntRange(min=256), default=DEFAULT_LIMITS.memory_mb, show_default=True,
              metavar="MB", help="Memory the processes reading one file may use together.")
@click.option("--max-megapixels", type=click.FloatRange(min=1), default=DEFAULT_LIMITS.megapixels,
              show_default=True, metavar="MP",
              help="Pixels of one page image; a PDF page that would be larger is rendered at a lower "
                   "resolution, or refused below 70 dpi.")
@click.option("--max-decompressed", type=click.IntRange(min=1), default=DEFAULT_LIMITS.decompressed_mb,
              show_default=True, metavar="MB", help="Size one compressed stream of a PDF may expand to.")
@click.option("--max-text", type=click.IntRange(min=1000), default=DEFAULT_LIMITS.text_chars, show_default=True,
              metavar="CHARS", help="Characters of text of one document.")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symbolic links inside the folders given to files and folders outside them.")
@json_option
@archive_option(create=True)
def ingest(archive, paths: tuple[Path, ...], jobs: int, lang: str, page_timeout: int, file_timeout: int,
           max_memory: int, max_megapixels: float, max_decompressed: int, max_text: int, follow_symlinks: bool,
           as_json: bool) -> None:
    """Ingest PDFs, page images (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP) and OCR text files.

    Folders are searched recursively; symbolic links in them are followed only
    to files in the same folder (see --follow-symlinks), and nothing inside the
    archive is ingested. Each file is stored untouched, with the raw text of
    every page, the cleaned text and a manifest. A file already in the archive
    (same SHA-256) is skipped. A file that cannot be read, or that would take
    more than a limit (--max-*, --*-timeout), is reported in one line with the
    reason and the rest of the batch goes on. A full or read-only archive disk
    stops the batch (exit status 6); what was archived stays archived.

    \b
    Examples:
      arhiva ingest scan.pdf poza.jpg vechi-ocr.txt
      arhiva ingest --jobs 2 --lang ron+eng dosare/2021/
      arhiva ingest --json dosar/ > raport.json
      arhiva ingest --max-memory 2048 --max-megapixels 150 planuri/
    """
    import signal

    from arhiva.console import ProgressBar, plural, safe_name, summary_line
    from arhiva.ingest import TesseractEngine
    from arhiva.limits import Limits
    from arhiva.pipeline import FAILED, ingest as run_ingest

    limits = Limits(memory_mb=max_memory, megapixels=max_megapixels, decompressed_mb=max_decompressed,
                    text_chars=max_text)
    engine = TesseractEngine(lang=lang, timeout=page_timeout)
    engine.check()
    bar = ProgressBar(enabled=None if not as_json else False)

    def terminated(signum, frame):
        raise KeyboardInterrupt  # stop as Ctrl-C does: workers killed, nothing half-written kept

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        report = run_ingest(list(paths), archive, engine, jobs=jobs, on_progress=bar, timeout=file_timeout,
                            limits=limits, follow_symlinks=follow_symlinks)
    finally:
        signal.signal(signal.SIGTERM, previous)
    bar.clear()
    if as_json:
        emit_json({
            "archive": str(archive.root),
            "ingested": report.count("ingested"),
            "duplicates": report.count("duplicate"),
            "failed": report.count(FAILED),
            "index_problem": report.index_problem,
            "index_note": report.index_note,
            "stopped": report.stopped,
            "files": [o.to_json() for o in report.outcomes],
        })
    else:
        for outcome in report.outcomes:
            if outcome.status == "ingested":
                click.echo(f"{outcome.doc_id[:12]}  {safe_name(outcome.path)} ({plural(outcome.pages, 'page')})")
                for warning in outcome.warnings:
                    click.echo(f"  warning: {warning}", err=True)
        if report.index_problem:
            click.echo(f"arhiva: warning: {report.index_problem}", err=True)
        if report.index_note:
            click.echo(f"arhiva: note: {report.index_note}", err=True)
        click.echo(summary_line(report), err=True)
    if report.stopped:
        click.echo(f"arhiva: error: {report.stopped}", err=True)
        sys.exit(ExitCode.ARCHIVE_PROBLEM)
    if report.count(FAILED):
        sys.exit(ExitCode.FAILED_FILES)
    if report.index_problem:
        sys.exit(ExitCode.ARCHIVE_PROBLEM)


SEARCH_HELP = """Search the archive. All words must match; diacritics never matter.

\b
Query language:
  sedinta buget          all the words (forms of a word match too:
                         hotarare finds hotărârea and hotărârile)
  buget OR rectificare   either word
  buget -rectificare     exclude a word (also: NOT rectificare)
  '"ordinea de zi"'      an exact phrase (the outer quotes are for the shell)
  digital*               words starting with digital
  bugetul~               close spellings (one edit; bugetul~2: two)
  titlu:hotarare         in the title only
  tip:proces-verbal      of one document type
  data:2021-04           dated in April 2021; data:[2021-01 to 2021-06]

\b
Examples:
  arhiva search sedinta consiliului local buget
  arhiva search '"ordinea de zi"' --from 2021-01 --to 2021-06
  arhiva search hotarare --type hotărâre --sort date
  arhiva search buget --json | jq '.results[].id'
"""


@cli.command(help=SEARCH_HELP, epilog=EPILOG_EXIT)
@click.argument("query", nargs=-1)
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Most results shown.")
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance", show_default=True,
              help="Order: best match first, oldest first, or newest first (undated documents last).")
@json_option
@archive_option()
def search(archive, query: tuple[str, ...], limit: int, date_from: str | None, date_to: str | None,
           doc_type: str | None, sort: str, as_json: bool) -> None:
    from arhiva.maintenance import current_index
    from arhiva.search.query import parse_period

    text = " ".join(query)
    start = parse_period(date_from) if date_from else None
    end = parse_period(date_to, end=True) if date_to else None
    index, caught_up = current_index(archive)  # never an answer from an index behind the archive
    results = index.search(text, limit=limit, text_of=archive.text, exists=archive.has, sort=sort,
                           doc_type=doc_type, date_from=start, date_to=end)
    print_results(results, text, as_json, caught_up.problems())


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Most results shown.")
@json_option
@archive_option()
def similar(archive, doc_id: str, limit: int, as_json: bool) -> None:
    """Documents most like the given one (more like this).

    \b
    Examples:
      arhiva similar 3fa2c1
      arhiva similar 3fa2c1 --limit 3 --json
    """
    from arhiva.maintenance import current_index

    full = archive.resolve(doc_id)
    index, caught_up = current_index(archive)
    results = index.similar(full, archive.text(full), limit=limit, exists=archive.has)
    print_results(results, f"similar:{full}", as_json, caught_up.problems())


def print_results(results, text: str, as_json: bool, warnings: list[str] = ()) -> None:
    from arhiva.console import format_hit
    from arhiva.search.query import shorten

    for warning in [*warnings, *results.warnings]:
        click.echo(f"arhiva: warning: {warning}", err=True)
    if as_json:
        emit_json(results.to_json(text))
        return
    if results.suggestion:
        click.echo(f"did you mean: {shorten(results.suggestion)}", err=True)
    if not results.hits:
        click.echo("no documents match", err=True)
        return
    colour = sys.stdout.isatty()
    for hit in results.hits:
        click.echo(format_hit(hit, colour))
    if results.total > len(results.hits):
        about = "" if results.total_exact else "about "
        click.echo(f"({about}{results.total} documents match; showing {len(results.hits)}: use --limit)", err=True)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id")
@click.option("--text", "what", flag_value="text", help="Print the cleaned text.")
@click.option("--raw", "what", flag_value="raw", help="Print the raw extracted text, page by page.")
@click.option("--original", "what", flag_value="original", help="Write the exact original bytes to stdout.")
@click.option("--changes", "what", flag_value="changes",
              help="What the clean-up changed: where the text came from, every line removed or joined.")
@click.option("--force", is_flag=True, help="Show a document even if it fails verification (with a warning).")
@json_option
@archive_option()
def show(archive, doc_id: str, what: str | None, force: bool, as_json: bool) -> None:
    """Show one document: its manifest, text, raw text, clean-up changes or original.

    The ID may be abbreviated to its first few hex digits, as in git. The
    document is verified first; one that fails is not shown (exit status 6)
    unless --force is given.

    \b
    Examples:
      arhiva show 3fa2c1
      arhiva show 3fa2c1 --text
      arhiva show 3fa2c1 --original > copie.pdf
      arhiva show 3fa2c1 --changes
    """
    full = archive.resolve(doc_id)
    problems = archive.check_document(full)
    for problem in problems:
        click.echo(f"arhiva: problem: {problem}", err=True)
    if problems and not force:
        from arhiva.errors import ArchiveError

        raise ArchiveError(f"document {full[:12]} fails verification, so it is not shown "
                           "(run: arhiva verify; --force shows it anyway)")
    if what == "changes":
        from arhiva.repair.report import change_lines, source_lines

        manifest = archive.manifest(full)
        sources, log = manifest.cleanup.get("sources"), archive.changes(full)
        if as_json:
            emit_json({"sources": sources, "changes": log})
            return
        for line in source_lines(sources) + (change_lines(log, manifest.page_count or 1) or ["no changes"]):
            click.echo(line)
        return
    if what == "original":
        data = archive.read_file(full, archive.original_name(full))
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if what == "text":
        click.echo(archive.text(full))
        return
    if what == "raw":
        for number, page in enumerate(archive.raw_pages(full), start=1):
            click.echo(f"--- page {number} ---")
            click.echo(page)
        return
    from arhiva.archive import catalog

    doc = catalog.view(archive, full)
    if as_json:
        emit_json({**doc.manifest.to_json(), "metadata_in_force": dict(doc.metadata)})
        return
    from arhiva.console import describe_document

    click.echo(describe_document(doc, archive.folder(full)))


@cli.command("list", epilog=EPILOG_EXIT)
@filter_options
@click.option("--sort", type=click.Choice(["ingested", "date", "-date"]), default="ingested", show_default=True,
              help="Order: by ingest, oldest date first, or newest date first.")
@json_option
@archive_option()
def list_documents(archive, date_from: str | None, date_to: str | None, doc_type: str | None, sort: str,
                   as_json: bool) -> None:
    """List the documents in the archive with their date and type.

    \b
    Examples:
      arhiva list
      arhiva list --type hotărâre --from 2021-01 --to 2021-06 --sort date
      arhiva list --json | jq length
    """
    from arhiva.archive.catalog import listing
    from arhiva.console import list_line

    skipped: list[str] = []
    docs = listing(archive, date_from, date_to, doc_type, sort, skipped=skipped)
    if as_json:
        emit_json([doc.row() for doc in docs])
    else:
        for doc in docs:
            click.echo(list_line(doc))
    warn_skipped(skipped)


def warn_skipped(skipped: list[str], stop: bool = True) -> None:
    """One warning line for each document left out; then, if there was any, exit status 6."""
    for problem in skipped:
        click.echo(f"arhiva: warning: skipped {problem}", err=True)
    if skipped and stop:
        click.echo("arhiva: run `arhiva verify` for details", err=True)
        sys.exit(ExitCode.ARCHIVE_PROBLEM)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id")
@click.option("--date", metavar="YYYY-MM-DD", help="The document's own date.")
@click.option("--type", "doc_type", metavar="TYPE", help="The document type, e.g. proces-verbal.")
@click.option("--title", help="The document's title.")
@click.option("--clear", "cleared", multiple=True, type=click.Choice(["date", "type", "title"]),
              help="Drop a correction: the extracted value applies again.")
@json_option
@archive_option()
def tag(archive, doc_id: str, date: str | None, doc_type: str | None, title: str | None,
        cleared: tuple[str, ...], as_json: bool) -> None:
    """Set or correct a document's date, type or title by hand.

    A correction is kept apart from what was extracted, with its history; it
    wins over extraction, also after `arhiva reextract`, and `show` marks it.

    \b
    Examples:
      arhiva tag 3fa2c1 --date 2021-04-08 --type proces-verbal
      arhiva tag 3fa2c1 --title "Ședința Consiliului Local din 8 aprilie 2021"
      arhiva tag 3fa2c1 --clear date
    """
    from arhiva.metadata.corrections import check_fields
    from arhiva.operations import correct

    full = archive.resolve(doc_id)
    fields = check_fields(date=date, type=doc_type, title=title)
    fields.update({name: None for name in cleared})
    if not fields:
        raise click.UsageError("give --date, --type, --title or --clear")
    doc, problem = correct(archive, full, fields)
    metadata = doc.metadata
    if as_json:
        emit_json({"id": full, "metadata": dict(metadata)})
    else:
        click.echo(f"{full[:12]}  date {metadata.get('date') or '-'}, type {metadata.get('type') or '-'}, "
                   f"title {metadata.get('title') or '-'}  (corrected: {', '.join(doc.corrected) or 'none'})")
    if problem:
        click.echo(f"arhiva: warning: {problem}", err=True)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_ids", nargs=-1)
@json_option
@archive_option()
def reextract(archive, doc_ids: tuple[str, ...], as_json: bool) -> None:
    """Extract the metadata again from archived texts (all documents, or the ones given).

    No OCR is run again; corrections made with `arhiva tag` stay in force. A
    document that cannot be read is skipped with a warning (exit status 6).

    \b
    Examples:
      arhiva reextract
      arhiva reextract 3fa2c1 8c25f8
    """
    from arhiva.operations import reextract as run_reextract

    ids = [archive.resolve(d) for d in doc_ids] if doc_ids else list(archive.ids())
    done = run_reextract(archive, ids)
    if as_json:
        emit_json({"documents": len(done.documents), "changed": done.changed})
    else:
        click.echo(f"extracted {len(done.documents)} document(s) again; metadata changed in {len(done.changed)}",
                   err=True)
    if done.index_problem:
        click.echo(f"arhiva: warning: {done.index_problem}", err=True)
    warn_skipped(done.skipped)


@cli.command(epilog=EPILOG_EXIT)
@archive_option()
def reindex(archive) -> None:
    """Rebuild the search index from the archive.

    The archive is the source of truth; the index is derived from it. The new
    index replaces the old one only once it is complete.

    \b
    Example:
      arhiva reindex
    """
    from arhiva.console import plural
    from arhiva.maintenance import reindex as run_reindex

    skipped: list[str] = []
    count = run_reindex(archive, skipped=skipped)
    click.echo(f"indexed {plural(count, 'document')}", err=True)
    warn_skipped(skipped)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_ids", nargs=-1)
@click.option("--to", "target", required=True, type=click.Path(path_type=Path), help="The new bag folder.")
@click.option("--all", "everything", is_flag=True, help="Export every document in the archive.")
@json_option
@archive_option()
def export(archive, doc_ids: tuple[str, ...], target: Path, everything: bool, as_json: bool) -> None:
    """Export documents as a BagIt bag (RFC 8493) that any BagIt validator accepts.

    Each document goes in whole: original, page texts, cleaned text, change log,
    manifest, metadata and corrections. Documents are verified first; a damaged
    one is left out with a warning naming it (exit status 6). The bag is built
    in a new folder beside DIR and renamed to DIR when complete: DIR must not
    exist, and nothing that exists is written into or removed.

    \b
    Examples:
      arhiva export 3fa2c1 8c25f8 --to transfer-2021/
      arhiva export --all --to /media/usb/arhiva-bag
    """
    from arhiva.archive.export import export_bag

    if everything == bool(doc_ids):
        raise click.UsageError("give document IDs or --all (not both)")
    ids = list(archive.ids()) if everything else [archive.resolve(d) for d in doc_ids]
    report = export_bag(archive, ids, target)
    if as_json:
        emit_json({"bag": str(report.bag) if report.exported else None, "documents": report.exported,
                   "skipped": report.skipped})
    elif report.exported:
        click.echo(f"exported {len(report.exported)} document(s) to the bag {report.bag}")
    if not report.exported:
        from arhiva.errors import ArchiveError

        warn_skipped(report.skipped, stop=False)
        raise ArchiveError("nothing exported: every document given fails verification; no bag was written")
    warn_skipped(report.skipped)


@cli.command(epilog=EPILOG_EXIT)
@click.option("--since", "since", metavar="SEQ:HASH",
              help="A journal head printed by an earlier verify: also prove that nothing up to it changed.")
@json_option
@archive_option()
def verify(archive, since: str | None, as_json: bool) -> None:
    """Check the archive: the journal's hash chain end to end, every file against
    its checksum and every manifest and correction against the journal, files
    and links arhiva did not put there, and the index against the archive.

    It prints the journal's head: note it down (somewhere else), and a later
    `verify --since HEAD` proves that nothing recorded up to then was changed.

    \b
    Examples:
      arhiva verify
      arhiva verify --since 1234:3fa2c1…   (the whole head, as printed)
      arhiva verify --json
    """
    from arhiva.archive.journal import Head
    from arhiva.console import plural
    from arhiva.maintenance import verify as run_verify

    try:
        noted = Head.parse(since) if since else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--since") from err
    report = run_verify(archive, since=noted)
    if as_json:
        emit_json(report.to_json())
    else:
        for problem in report.problems:
            click.echo(f"problem: {problem}")
        for doc_id in report.not_indexed:
            click.echo(f"not in the index: {doc_id[:12]} (run: arhiva reindex)")
        for doc_id in report.not_archived:
            click.echo(f"in the index but not in the archive: {doc_id[:12]} (run: arhiva reindex)")
        if report.index_problem:
            click.echo(f"index: {report.index_problem}")
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        journal = report.journal
        if journal.get("since", {}).get("found"):
            after = ", ".join(f"{n} {kind}" for kind, n in sorted(journal["since"]["entries_after"].items()))
            click.echo(f"journal unchanged up to {journal['since']['head']}; since then: {after or 'nothing'}")
        if journal:
            click.echo(f"journal head: {journal['head']}")
        state = "ok" if report.ok else "PROBLEMS FOUND"
        click.echo(f"{plural(report.documents, 'document')} checked: {state}")
    if not report.ok:
        sys.exit(ExitCode.ARCHIVE_PROBLEM)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("source", default="-", type=click.File("rb"))
@click.option("--changes", is_flag=True, help="Show what each fixer changed instead of the text.")
@click.option("--source", "origin", type=click.Choice(["auto", "typed", "old-ocr", "ocr", "text-layer"]),
              default="auto", show_default=True,
              help="Where the text came from; auto: a text file, taken for old OCR or typed by the signs of OCR in it.")
@json_option
def clean(source, changes: bool, origin: str, as_json: bool) -> None:
    """Repair Romanian text from FILE (or standard input) and print it.

    OCR confusions are repaired only in OCR text: a typed text keeps its words.

    \b
    Examples:
      arhiva clean vechi-ocr.txt
      cat vechi-ocr.txt | arhiva clean --changes
      arhiva clean --source old-ocr pagina.txt
    """
    from arhiva.repair import clean as run_clean
    from arhiva.repair.report import change_lines, source_lines
    from arhiva.romanian.encoding import decode_bytes

    text = decode_bytes(source.read()).text
    result = run_clean(text, origins=None if origin == "auto" else origin)
    if as_json:
        emit_json({"text": result.text, "sources": result.sources_json(), "changes": result.log_json()})
    elif changes:
        for line in source_lines(result.sources_json()):
            click.echo(line, err=True)
        for line in change_lines(result.log_json(), len(result.sources)):
            click.echo(line)
    else:
        click.echo(result.text, nl=not result.text.endswith("\n"))


@cli.command(epilog=EPILOG_EXIT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than this machine's own needs --token.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8080, show_default=True, help="Port.")
@click.option("--token", envvar="ARHIVA_TOKEN", help="A secret every request must bring (docs/web.md).")
@archive_option()
def serve(archive, host: str, port: int, token: str | None) -> None:
    """Serve the archive read-only as web pages in Romanian, with a JSON API under /api/.

    \b
    Examples:
      arhiva serve                                  # then open http://127.0.0.1:8080/
      arhiva serve --port 9000
      arhiva serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
    """
    from arhiva.web import serve as run_server, url

    run_server(archive.root, host=host, port=port, token=token,
               on_ready=lambda: click.echo(f"arhiva: serving {archive.root} at {url(host, port, token)}", err=True))


def main() -> None:
    cli(prog_name="arhiva")
