"""The ``arhiva`` command. Each command parses options, calls one library function,
and formats the result; errors become one line and an exit status here only."""

from __future__ import annotations

import errno
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
Exit status: 0 success; 1 ingest: some files not ingested (missing,
unreadable or refused); 2 usage error (an unknown option, a bad value,
a malformed query); 3 Tesseract or a model missing (for files that need
OCR); 4 no such document; 5 unreadable input (the file given to clean);
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
        except OSError as err:  # a write that failed for a reason no layer below foresaw (e.g. file too large)
            if err.errno == errno.EPIPE:  # the reader went away (| head): click ends quietly
                raise
            if ctx.meta.get("arhiva.verbose"):
                traceback.print_exc()
            where = f": {err.filename}" if err.filename else ""
            click.echo(f"arhiva: error: {(err.strerror or str(err)).lower()}{where}", err=True)
            ctx.exit(ExitCode.ARCHIVE_PROBLEM)
        except KeyboardInterrupt:
            click.echo("\narhiva: interrupted; nothing half-written was kept", err=True)
            ctx.exit(130)


ARCHIVE_HELP = "The archive folder."
ARCHIVE_DEFAULT = "$ARHIVA_HOME or ~/.local/share/arhiva"


def _group_meta(ctx: click.Context, key: str, value):
    """A global option: the command's own value if given, else the one given before the command."""
    if value not in (None, False):
        ctx.meta[key] = value
    return ctx.meta.get(key)


def _set_verbose(ctx: click.Context, param, value: bool) -> None:
    if _group_meta(ctx, "arhiva.verbose", value) and not ctx.meta.get("arhiva.logging"):
        ctx.meta["arhiva.logging"] = True
        logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")


def colour_wanted(choice: str | None, is_tty: bool, environ=os.environ) -> bool:
    """Whether to print colours: ``--color`` if given, else only on a terminal, without NO_COLOR
    (https://no-color.org) and unless TERM is dumb.

    >>> colour_wanted("auto", True, {}), colour_wanted("auto", True, {"NO_COLOR": "1"})
    (True, False)
    >>> colour_wanted(None, True, {"TERM": "dumb"}), colour_wanted("always", False, {"NO_COLOR": "1"})
    (False, True)
    """
    if choice in ("always", "never"):
        return choice == "always"
    return is_tty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def _set_colour(ctx: click.Context, param, value: str | None) -> None:
    choice = _group_meta(ctx, "arhiva.color_choice", value)
    ctx.meta["arhiva.colour"] = colour = colour_wanted(choice, sys.stdout.isatty())
    ctx.color = colour  # click.echo strips any escape code when False


def _archive_dir(ctx: click.Context, param, value: Path | None) -> Path:
    """``--archive`` after the command, else before it, else $ARHIVA_HOME, else the default."""
    chosen = _group_meta(ctx, "arhiva.archive", value)
    if chosen is None and os.environ.get("ARHIVA_HOME"):
        chosen = Path(os.environ["ARHIVA_HOME"])
    return chosen or default_archive()


def _as_json(ctx: click.Context, param, value: bool) -> bool:
    return bool(_group_meta(ctx, "arhiva.as_json", value))


def global_options(command):
    """``-v`` and ``--color``, accepted after the command as well as before it."""
    command = click.option("--color", type=click.Choice(["auto", "always", "never"]), default=None,
                           expose_value=False, callback=_set_colour, show_default="auto",
                           help="Colours: on a terminal only, unless NO_COLOR is set or TERM is dumb (auto); "
                                "always; never.")(command)
    return click.option("-v", "--verbose", is_flag=True, default=False, expose_value=False, callback=_set_verbose,
                        help="Log details, and show tracebacks of errors.")(command)


def archive_dir_option(command):
    """``--archive DIR``, passed to the command as ``archive_dir`` (a path; nothing is opened)."""
    return click.option("--archive", "archive_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, callback=_archive_dir, show_default=ARCHIVE_DEFAULT, help=ARCHIVE_HELP,
                        metavar="DIR",
                        shell_complete=_complete_folders)(global_options(command))


def _complete_folders(ctx, param, incomplete: str):
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="dir")]


def open_archive(archive_dir: Path, create: bool = False):
    from arhiva.archive import Archive
    from arhiva.errors import ArchiveError

    try:
        return Archive.open(archive_dir, create=create)
    except OSError as err:  # e.g. a read-only or full disk, when creating it
        raise ArchiveError(f"cannot open the archive {archive_dir}: {(err.strerror or str(err)).lower()}"
                           f"{f' ({err.filename})' if err.filename else ''}") from err


def archive_option(create: bool = False):
    """``--archive DIR`` (or ARHIVA_HOME) with ``-v`` and ``--color``, passed to the command as an open Archive."""

    def decorator(command):
        @archive_dir_option
        @functools.wraps(command)
        def wrapper(*args, archive_dir: Path, **kwargs):
            return command(*args, archive=open_archive(archive_dir, create), **kwargs)

        return wrapper

    return decorator


json_option = click.option("--json", "as_json", is_flag=True, callback=_as_json, help="Print the result as JSON.")


def complete_ids(ctx: click.Context, param, incomplete: str) -> list[str]:
    """Shell completion of document IDs, from the archive the command line names (nothing is created)."""
    from arhiva.archive import Archive

    root = ctx.params.get("archive_dir") or _archive_dir(ctx, None, None)
    try:
        if not Archive.exists(root):
            return []
        archive = Archive(root.expanduser())
        return [doc_id[:12] for doc_id in archive.ids() if doc_id.startswith(incomplete.lower())][:200]
    except Exception:  # noqa: BLE001 - completion must never fail the shell
        return []


def complete_types(ctx: click.Context, param, incomplete: str) -> list[str]:
    """Shell completion of document types (diacritics optional in what is typed)."""
    from arhiva.metadata.corrections import TYPE_NAMES
    from arhiva.romanian.letters import fold

    typed = fold(incomplete).lower()
    return [name for name in TYPE_NAMES if fold(name).lower().startswith(typed)]


def checked_field(ctx: click.Context, param, value: str | None) -> str | None:
    """A field of ``tag`` (--date, --title), checked and normalised; a bad one is a usage error."""
    if value is None:
        return None
    from arhiva.errors import InputError
    from arhiva.metadata.corrections import check_fields

    try:
        return check_fields(**{param.name: value})[param.name]
    except InputError as err:
        raise click.BadParameter(str(err)) from err


def checked_type(ctx: click.Context, param, value: str | None) -> str | None:
    """A document type given as an option: one of the known types (diacritics and case optional)."""
    if value is None:
        return None
    from arhiva.errors import InputError
    from arhiva.metadata.corrections import check_fields

    try:
        return check_fields(type=value)["type"]
    except InputError as err:
        raise click.BadParameter(str(err)) from err


def filter_options(command):
    """``--from``, ``--to`` and ``--type``: the filters shared by ``search`` and ``list``."""
    command = click.option("--type", "doc_type", metavar="TYPE", callback=checked_type, shell_complete=complete_types,
                           help="Only documents of this type, e.g. hotărâre.")(command)
    command = click.option("--to", "date_to", metavar="DATE", help="Documents dated on or before DATE.")(command)
    return click.option("--from", "date_from", metavar="DATE",
                        help="Documents dated on or after DATE (2021, 2021-04, 2021-04-08).")(command)


def first_missing(path: Path) -> Path | None:
    """The outermost folder of ``path`` that does not exist yet (``path`` itself, or a parent), if any."""
    path = path.expanduser()
    missing = None
    for folder in [path, *path.parents]:
        if os.path.lexists(folder):
            break
        missing = folder
    return missing


def emit_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=ArhivaGroup, epilog=EPILOG_EXIT)
@click.version_option(__version__, prog_name="arhiva")
@archive_dir_option
@json_option
@click.pass_context
def cli(ctx: click.Context, archive_dir: Path, as_json: bool) -> None:
    """Turn scanned Romanian communiqués into a trustworthy, searchable archive.

    \b
    Examples:
      arhiva ingest scanari/                 # every PDF, image and text file in the folder
      arhiva search "sedinta consiliului"    # diacritics optional
      arhiva show 3fa2 --text                # the cleaned text of a document
      arhiva verify                          # check every checksum

    The options --archive, --json, -v and --color go before or after the
    command: `arhiva --archive X list` is `arhiva list --archive X`.
    Shell completion and the manual pages: see docs/cli.md.
    """


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
@click.option("--max-pages", type=click.IntRange(min=1), default=DEFAULT_LIMITS.pages, show_default=True,
              metavar="N", help="Pages of one document (PDF pages, TIFF frames), counted before any is read.")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symbolic links inside the folders given to files and folders outside them.")
@click.option("--cluster", envvar="ARHIVA_CLUSTER", metavar="ADDRESS",
              help="Read and OCR on the workers of this Dask scheduler (e.g. tcp://host:8786; "
                   "$ARHIVA_CLUSTER) instead of local processes; see docs/cluster.md.")
@json_option
@archive_dir_option
def ingest(archive_dir: Path, paths: tuple[Path, ...], jobs: int, lang: str, page_timeout: int, file_timeout: int,
           max_memory: int, max_megapixels: float, max_decompressed: int, max_text: int, max_pages: int,
           follow_symlinks: bool,
           cluster: str | None, as_json: bool) -> None:
    """Ingest PDFs, page images (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP) and text files.

    Folders are searched recursively; symbolic links in them are followed only
    to files in the same folder (see --follow-symlinks), and nothing inside the
    archive is ingested. Each file is stored untouched, with the raw text of
    every page, the cleaned text and a manifest. A file already in the archive
    (same SHA-256) is skipped. A file that cannot be read, or that would take
    more than a limit (--max-*, --*-timeout), is reported in one line with the
    reason and the rest of the batch goes on. A full or read-only archive disk
    stops the batch (exit status 6); what was archived stays archived.

    Tesseract is needed only for pages that must be OCRed: without it, text
    files and PDFs with a text layer go in, and files that need OCR are
    refused (exit status 3, with the command that installs it). The archive
    folder is made by the first document archived, never by a failed ingest.

    \b
    Examples:
      arhiva ingest scan.pdf poza.jpg vechi-ocr.txt
      arhiva ingest --jobs 2 --lang ron+eng dosare/2021/
      arhiva ingest --json dosar/ > raport.json
      arhiva ingest --max-memory 2048 --max-megapixels 150 planuri/
      arhiva ingest --cluster tcp://ocr1:8786 dosare/   # OCR on a Dask cluster
    """
    import signal

    from arhiva.archive import Archive
    from arhiva.console import ProgressBar, plural, safe_name, summary_line
    from arhiva.errors import MissingDependencyError
    from arhiva.ingest import TesseractEngine
    from arhiva.ingest.tesseract_install import UnavailableEngine
    from arhiva.limits import Limits
    from arhiva.pipeline import FAILED, INGESTED, ingest as run_ingest

    limits = Limits(memory_mb=max_memory, megapixels=max_megapixels, decompressed_mb=max_decompressed,
                    text_chars=max_text, pages=max_pages)
    engine = TesseractEngine(lang=lang, timeout=page_timeout)
    try:
        engine.check()
    except MissingDependencyError as err:  # only the files that need OCR are refused
        engine = UnavailableEngine(err, lang)
    bar = ProgressBar(enabled=None if not as_json else False)

    def terminated(signum, frame):
        raise KeyboardInterrupt  # stop as Ctrl-C does: workers killed, nothing half-written kept

    new = not Archive.exists(archive_dir)
    created = first_missing(archive_dir)
    archive = open_archive(archive_dir, create=True)
    report = None
    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        report = run_ingest(list(paths), archive, engine, jobs=jobs, on_progress=bar, timeout=file_timeout,
                            limits=limits, follow_symlinks=follow_symlinks, cluster=cluster or None)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if new and (report is None or not report.count(INGESTED)):
            archive.remove_if_unused(created)  # only an ingest that archives something makes an archive
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
    unavailable = getattr(engine, "unavailable", None)
    if unavailable and any(o.status == FAILED and (o.reason or "").endswith(unavailable) for o in report.outcomes):
        click.echo(f"arhiva: error: {engine.error}", err=True)
        sys.exit(ExitCode.MISSING_DEPENDENCY)
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
@click.argument("doc_id", shell_complete=complete_ids)
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
    colour = click.get_current_context().meta.get("arhiva.colour", False)
    for hit in results.hits:
        click.echo(format_hit(hit, colour))
    if results.total > len(results.hits):
        about = "" if results.total_exact else "about "
        click.echo(f"({about}{results.total} documents match; showing {len(results.hits)}: use --limit)", err=True)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id", shell_complete=complete_ids)
@click.option("--text", "what", flag_value="text", help="Print the cleaned text.")
@click.option("--raw", "what", flag_value="raw", help="Print the raw extracted text, page by page.")
@click.option("--original", "what", flag_value="original",
              help="Write the exact original bytes to stdout: redirect it to a file or a pipe.")
@click.option("--changes", "what", flag_value="changes",
              help="What the clean-up changed: where the text came from, every line removed or joined.")
@click.option("--force", is_flag=True,
              help="Show a document even if it fails verification (with a warning); "
                   "write --original to a terminal too.")
@json_option
@archive_option()
def show(archive, doc_id: str, what: str | None, force: bool, as_json: bool) -> None:
    """Show one document: its manifest, text, raw text, clean-up changes or original.

    The ID may be abbreviated to its first few hex digits, as in git. The
    document is verified first; one that fails is not shown (exit status 6)
    unless --force is given. --original writes bytes only to a file or a pipe,
    not to a terminal (unless --force).

    \b
    Examples:
      arhiva show 3fa2c1
      arhiva show 3fa2c1 --text
      arhiva show 3fa2c1 --original > copie.pdf
      arhiva show 3fa2c1 --changes
    """
    if what == "original" and sys.stdout.isatty() and not force:
        raise click.UsageError("--original writes the file's bytes: redirect them (> copie.pdf) or pipe them; "
                               "--force writes them to the terminal")
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
@click.argument("doc_id", shell_complete=complete_ids)
@click.option("--date", metavar="YYYY-MM-DD", callback=checked_field, help="The document's own date.")
@click.option("--type", "doc_type", metavar="TYPE", callback=checked_type, shell_complete=complete_types,
              help="The document type, e.g. proces-verbal.")
@click.option("--title", callback=checked_field, help="The document's title.")
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
    from arhiva.operations import correct

    full = archive.resolve(doc_id)
    fields = {name: value for name, value in (("date", date), ("type", doc_type), ("title", title)) if value}
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
@click.argument("doc_ids", nargs=-1, shell_complete=complete_ids)
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
@json_option
@archive_option()
def reindex(archive, as_json: bool) -> None:
    """Rebuild the search index from the archive.

    The archive is the source of truth; the index is derived from it. The new
    index replaces the old one only once it is complete.

    \b
    Examples:
      arhiva reindex
      arhiva reindex --json
    """
    from arhiva.console import plural
    from arhiva.maintenance import reindex as run_reindex

    skipped: list[str] = []
    count = run_reindex(archive, skipped=skipped)
    if as_json:
        emit_json({"indexed": count, "skipped": skipped})
    else:
        click.echo(f"indexed {plural(count, 'document')}", err=True)
    warn_skipped(skipped)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_ids", nargs=-1, shell_complete=complete_ids)
@click.option("--out", "-o", "target", metavar="DIR", type=click.Path(path_type=Path),
              help="The new bag folder (must not exist).  [required]")
@click.option("--to", "old_target", type=click.Path(path_type=Path), hidden=True)  # before --out; --to is a date elsewhere
@click.option("--all", "everything", is_flag=True, help="Export every document in the archive.")
@json_option
@archive_option()
def export(archive, doc_ids: tuple[str, ...], target: Path | None, old_target: Path | None, everything: bool,
           as_json: bool) -> None:
    """Export documents as a BagIt bag (RFC 8493) that any BagIt validator accepts.

    Each document goes in whole: original, page texts, cleaned text, change log,
    manifest, metadata and corrections. Documents are verified first; a damaged
    one is left out with a warning naming it (exit status 6). The bag is built
    in a new folder beside DIR and renamed to DIR when complete: DIR must not
    exist, and nothing that exists is written into or removed.

    \b
    Examples:
      arhiva export 3fa2c1 8c25f8 --out transfer-2021/
      arhiva export --all --out /media/usb/arhiva-bag
    """
    from arhiva.archive.export import export_bag

    if old_target is not None:
        if target is not None:
            raise click.UsageError("give the bag folder once, with --out")
        click.echo("arhiva: note: `export --to DIR` is now `export --out DIR` (--to is a date in search and list)",
                   err=True)
        target = old_target
    if target is None:
        raise click.UsageError("give the new bag folder: --out DIR")
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
@click.argument("source", default="-", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--changes", is_flag=True, help="Show what each fixer changed instead of the text.")
@click.option("--source", "origin", type=click.Choice(["auto", "typed", "old-ocr", "ocr", "text-layer"]),
              default="auto", show_default=True,
              help="Where the text came from; auto: a text file, taken for old OCR or typed by the signs of OCR in it.")
@json_option
@archive_dir_option
def clean(source: Path, changes: bool, origin: str, as_json: bool, archive_dir: Path) -> None:
    """Repair Romanian text from FILE (or standard input) and print it.

    OCR confusions are repaired only in OCR text: a typed text keeps its words.
    No archive is read or written (--archive is accepted, and unused).

    \b
    Examples:
      arhiva clean vechi-ocr.txt
      cat vechi-ocr.txt | arhiva clean --changes
      arhiva clean --source old-ocr pagina.txt
    """
    from arhiva.repair import clean as run_clean
    from arhiva.repair.report import change_lines, source_lines
    from arhiva.romanian.encoding import decode_bytes

    text = decode_bytes(read_input(source)).text
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
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Server processes, each with its own open index (at most one per core).")
@archive_option()
def serve(archive, host: str, port: int, token: str | None, workers: int) -> None:
    """Serve the archive read-only as web pages in Romanian, with a JSON API under /api/.

    \b
    Examples:
      arhiva serve                                  # then open http://127.0.0.1:8080/
      arhiva serve --port 9000
      arhiva serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
    """
    from arhiva.web import serve as run_server, url

    run_server(archive.root, host=host, port=port, token=token, workers=workers,
               on_ready=lambda: click.echo(f"arhiva: serving {archive.root} at {url(host, port, token)}", err=True))


def read_input(path: Path) -> bytes:
    """The bytes of a file named on the command line (``-``: standard input); one that cannot be read
    is unreadable input (exit status 5)."""
    from arhiva.errors import InputError

    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {(err.strerror or str(err)).lower()}") from err


def main() -> None:
    cli(prog_name="arhiva")
