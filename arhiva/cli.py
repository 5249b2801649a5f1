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


def _set_index(ctx: click.Context, param, value: str | None) -> None:
    """``--index LOCATION``: where the archive's search index lives, for this command (as $ARHIVA_INDEX)."""
    chosen = _group_meta(ctx, "arhiva.index", value)
    if chosen:
        from arhiva.maintenance import INDEX_ENV  # only then: it imports the search engine

        os.environ[INDEX_ENV] = chosen


def global_options(command):
    """``-v``, ``--color`` and ``--index``, accepted after the command as well as before it."""
    command = click.option("--index", "index_location", metavar="URL", default=None, expose_value=False,
                           callback=_set_index, show_default="$ARHIVA_INDEX or the archive's index/",
                           help="Where the search index lives: a PostgreSQL server's database, e.g. "
                                "postgresql://arhiva:PASSWORD@db.example/arhiva?index=primaria (see "
                                "docs/postgresql.md), or a folder.")(command)
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


def checked_tags(ctx: click.Context, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """Free tags given as options (``tag --add``), normalised; one that cannot be a tag is a usage error."""
    from arhiva.errors import InputError
    from arhiva.tags import normalise_tag

    try:
        return tuple(dict.fromkeys(normalise_tag(value) for value in values))
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


def ingest_options(command):
    """The options ``ingest`` and ``watch`` share: parallelism, language, timeouts, limits, and which files."""
    options = [
        click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="all cores",
                     help="Pages OCRed in parallel, one Tesseract process each."),
        click.option("--lang", "-l", default="ron", show_default=True, help="Tesseract language(s), e.g. ron+eng."),
        click.option("--page-timeout", type=click.IntRange(min=1), default=300, show_default=True,
                     help="Seconds Tesseract may spend on one page."),
        click.option("--file-timeout", type=click.IntRange(min=1), default=600, show_default=True,
                     help="Seconds one step of a file (reading it, one page, or its clean-up) may take "
                          "before the file is given up."),
        click.option("--max-memory", type=click.IntRange(min=256), default=DEFAULT_LIMITS.memory_mb,
                     show_default=True, metavar="MB", help="Memory the processes reading one file may use together."),
        click.option("--max-megapixels", type=click.FloatRange(min=1), default=DEFAULT_LIMITS.megapixels,
                     show_default=True, metavar="MP",
                     help="Pixels of one page image; a PDF page that would be larger is rendered at a lower "
                          "resolution, or refused below 70 dpi."),
        click.option("--max-decompressed", type=click.IntRange(min=1), default=DEFAULT_LIMITS.decompressed_mb,
                     show_default=True, metavar="MB", help="Size one compressed stream of a PDF may expand to."),
        click.option("--max-text", type=click.IntRange(min=1000), default=DEFAULT_LIMITS.text_chars,
                     show_default=True, metavar="CHARS", help="Characters of text of one document."),
        click.option("--max-pages", type=click.IntRange(min=1), default=DEFAULT_LIMITS.pages, show_default=True,
                     metavar="N",
                     help="Pages of one document (PDF pages, TIFF frames), counted before any is read."),
        click.option("--follow-symlinks", is_flag=True,
                     help="Follow symbolic links inside the folders given to files and folders outside them."),
        click.option("--cluster", envvar="ARHIVA_CLUSTER", metavar="ADDRESS",
                     help="Read and OCR on the workers of this Dask scheduler (e.g. tcp://host:8786; "
                          "$ARHIVA_CLUSTER) instead of local processes; see docs/cluster.md."),
        click.option("--include", multiple=True, metavar="GLOB",
                     help="In the folders given, only files that match GLOB (repeatable; case does not matter): "
                          "'*.pdf', or with a slash, a path below the folder: '2021/*.tif'."),
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="In the folders given, leave out files and folders that match GLOB (repeatable), "
                          "e.g. '*.docx', 'ciorne'."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def engine_and_limits(lang: str, page_timeout: int, max_memory: int, max_megapixels: float, max_decompressed: int,
                      max_text: int, max_pages: int):
    """The OCR engine and the limits that the ingest options give; without Tesseract, an engine that
    refuses only the files that need OCR."""
    from arhiva.errors import MissingDependencyError
    from arhiva.ingest import TesseractEngine
    from arhiva.ingest.tesseract_install import UnavailableEngine
    from arhiva.limits import Limits

    limits = Limits(memory_mb=max_memory, megapixels=max_megapixels, decompressed_mb=max_decompressed,
                    text_chars=max_text, pages=max_pages)
    engine = TesseractEngine(lang=lang, timeout=page_timeout)
    try:
        engine.check()
    except MissingDependencyError as err:  # only the files that need OCR are refused
        engine = UnavailableEngine(err, lang)
    return engine, limits


def paths_with_stdin(paths: tuple[Path, ...], null: bool) -> list[Path]:
    """The paths given, with ``-`` replaced by the paths read from standard input (one a line, or NUL-separated)."""
    from arhiva.files import paths_from_stream

    if null and Path("-") not in paths:
        raise click.UsageError("-0/--null separates the paths read from standard input: give - as a path")
    result: list[Path] = []
    read = False
    for path in paths:
        if str(path) != "-":
            result.append(path)
        elif not read:  # - given twice: standard input is read once
            result.extend(paths_from_stream(sys.stdin.buffer.read(), null=null))
            read = True
    if not result:
        raise click.UsageError("no paths on standard input")
    return result


@cli.command(epilog=EPILOG_EXIT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@ingest_options
@click.option("-0", "--null", is_flag=True,
              help="With -: the paths on standard input end with a NUL character (find -print0), not a newline.")
@json_option
@archive_dir_option
def ingest(archive_dir: Path, paths: tuple[Path, ...], jobs: int, lang: str, page_timeout: int, file_timeout: int,
           max_memory: int, max_megapixels: float, max_decompressed: int, max_text: int, max_pages: int,
           follow_symlinks: bool,
           cluster: str | None, include: tuple[str, ...], exclude: tuple[str, ...], null: bool,
           as_json: bool) -> None:
    """Ingest PDFs, page images (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP) and text files.

    Folders are searched recursively; symbolic links in them are followed only
    to files in the same folder (see --follow-symlinks), and nothing inside the
    archive is ingested. Each file is stored untouched, with the raw text of
    every page, the cleaned text and a manifest. A file already in the archive
    (same SHA-256) is skipped. A file that cannot be read, or that would take
    more than a limit (--max-*, --*-timeout), is reported in one line with the
    reason and the rest of the batch goes on. A full or read-only archive disk
    stops the batch (exit status 6); what was archived stays archived.

    Files that are not documents (Thumbs.db, desktop.ini, checksum lists,
    unfinished downloads, web pages; see docs/watch.md) are skipped with a
    note, not a failure. --include and --exclude choose among the files found
    in folders; files named are always taken. A path - reads the paths from
    standard input, one a line (-0: NUL-separated).

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
      arhiva ingest --include '*.pdf' --exclude ciorne dosare/
      find dosare -name '*.tif' -newer ultima.txt -print0 | arhiva ingest -0 -
    """
    import signal

    from arhiva.archive import Archive
    from arhiva.console import ProgressBar, plural, safe_name, summary_line
    from arhiva.files import Selection
    from arhiva.pipeline import FAILED, INGESTED, SKIPPED, ingest as run_ingest

    paths = paths_with_stdin(paths, null)
    engine, limits = engine_and_limits(lang, page_timeout, max_memory, max_megapixels, max_decompressed, max_text,
                                       max_pages)
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
                            limits=limits, follow_symlinks=follow_symlinks, cluster=cluster or None,
                            selection=Selection(include, exclude))
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
            "skipped": report.count(SKIPPED),
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
            elif outcome.status == SKIPPED:
                click.echo(f"skipped: {safe_name(outcome.path)}: {outcome.reason}", err=True)
        if report.index_problem:
            click.echo(f"arhiva: warning: {report.index_problem}", err=True)
        if report.index_note:
            click.echo(f"arhiva: note: {report.index_note}", err=True)
        skipped = f", {report.count(SKIPPED)} skipped (not documents)" if report.count(SKIPPED) else ""
        click.echo(summary_line(report) + skipped, err=True)
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


@cli.command(epilog=EPILOG_EXIT)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--poll", type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Look for new files every SECONDS instead of through inotify: for network shares (SMB, NFS), "
                   "whose other machines' writes inotify does not see.")
@click.option("--settle", type=click.FloatRange(min=0), default=5.0, show_default=True, metavar="SECONDS",
              help="Seconds a file's size and time must stay unchanged before it is taken (more for slow shares).")
@ingest_options
@json_option
@archive_dir_option
def watch(archive_dir: Path, folder: Path, poll: float | None, settle: float, jobs: int, file_timeout: int,
          follow_symlinks: bool, cluster: str | None, include: tuple[str, ...], exclude: tuple[str, ...],
          as_json: bool, **engine_options) -> None:
    """Watch FOLDER (a scanner's or a shared drive's) and ingest each file put into it, once it is complete.

    A file is taken when its size has not changed for --settle seconds and
    no process has it open for writing. Each file goes to FOLDER/done/ once
    archived (or found already in the archive), or to FOLDER/failed/ with a
    NAME.reason.txt that says why; a name there is never overwritten. Files
    that are not documents (Thumbs.db, checksum lists, unfinished downloads)
    are left in place with a note. One line per file on stderr (--json: one
    JSON object per line on stdout). Files already in FOLDER are taken too.

    Ctrl-C or SIGTERM stops after the current document (a second Ctrl-C
    stops at once; that document is taken again at the next start). Exit
    status: 0 after SIGTERM, 130 after Ctrl-C, 6 if the archive's disk is
    full. Running it as a service: docs/watch.md.

    \b
    Examples:
      arhiva watch /srv/scanari
      arhiva watch --poll 10 --settle 30 /mnt/share/scanari    # a network share
      arhiva watch --include '*.pdf' --json /srv/scanari >> watch.log
    """
    import signal

    from arhiva.console import safe_name
    from arhiva.files import Selection
    from arhiva.pipeline import ingest as run_ingest, warm_up
    from arhiva.watch import Watcher

    engine, limits = engine_and_limits(**engine_options)
    warm_up()
    archive = open_archive(archive_dir, create=True)

    def ingest_one(path: Path):
        return run_ingest([path], archive, engine, jobs=jobs, timeout=file_timeout, limits=limits,
                          cluster=cluster or None)

    def tell(handled) -> None:
        if as_json:
            click.echo(json.dumps(handled.to_json(), ensure_ascii=False))
        else:
            click.echo(safe_name(handled.line()), err=True)

    watcher = Watcher(folder, ingest_one, settle=settle, poll=poll, selection=Selection(include, exclude),
                      archive=archive.root, follow_symlinks=follow_symlinks, on_file=tell,
                      on_note=lambda note: click.echo(f"arhiva: note: {note}", err=True))

    def stop(signum, frame) -> None:
        if watcher.stop_reason is not None:
            raise KeyboardInterrupt
        watcher.request_stop(signal.Signals(signum).name)
        os.write(2, b"arhiva: stopping after the current document (Ctrl-C again stops at once)\n")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    click.echo(f"arhiva: watching {folder} ({watcher.mode}; a file is taken {settle:g} s after its last change) "
               f"into {archive.root}; Ctrl-C stops", err=True)
    if getattr(engine, "unavailable", None):
        click.echo(f"arhiva: warning: files that need OCR will go to failed/: {engine.error}", err=True)
    try:
        summary = watcher.run()
    except KeyboardInterrupt:
        click.echo("arhiva: stopped at once; the document being ingested was not kept, and will be taken again "
                   "at the next start", err=True)
        sys.exit(130)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    counts = summary.counts
    done = (f"{counts.get('ingested', 0)} ingested, {counts.get('duplicate', 0)} already in the archive, "
            f"{counts.get('failed', 0)} failed, {counts.get('skipped', 0)} skipped")
    if as_json:
        click.echo(json.dumps({"event": "stopped", "by": summary.stopped_by, "problem": summary.problem,
                               "counts": counts}, ensure_ascii=False))
    if summary.problem:
        click.echo(f"arhiva: error: {summary.problem}", err=True)
        sys.exit(ExitCode.ARCHIVE_PROBLEM)
    click.echo(f"arhiva: stopped by {summary.stopped_by} after finishing the current document; {done}", err=True)
    sys.exit(130 if summary.stopped_by == "SIGINT" else 0)


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
  tag:buget-2021         with a free tag (arhiva tag ID --add buget-2021)

When fewer documents than --limit have every word of a query of three words
or more, those lacking up to half of its words follow, fewest missing first,
each marked with what it lacks ("missing" in --json).

\b
Examples:
  arhiva search sedinta consiliului local buget
  arhiva search '"ordinea de zi"' --from 2021-01 --to 2021-06
  arhiva search hotarare --type hotărâre --sort date
  arhiva search buget --json | jq '.results[].id'
  arhiva search tag:buget-2021 --ndjson > rezultate.ndjson
"""


@cli.command(help=SEARCH_HELP, epilog=EPILOG_EXIT)
@click.argument("query", nargs=-1)
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Most results shown.")
@filter_options
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance", show_default=True,
              help="Order: best match first, oldest first, or newest first (undated documents last).")
@click.option("--ndjson", "as_ndjson", is_flag=True,
              help="One JSON object per result, a line each (the objects of --json's results).")
@json_option
@archive_option()
def search(archive, query: tuple[str, ...], limit: int, date_from: str | None, date_to: str | None,
           doc_type: str | None, sort: str, as_json: bool, as_ndjson: bool = False) -> None:
    from arhiva.maintenance import current_index
    from arhiva.search.query import parse_period

    if as_json and as_ndjson:
        raise click.UsageError("give one of --json and --ndjson")
    text = " ".join(query)
    start = parse_period(date_from) if date_from else None
    end = parse_period(date_to, end=True) if date_to else None
    index, caught_up = current_index(archive)  # never an answer from an index behind the archive
    results = index.search(text, limit=limit, text_of=archive.text, exists=archive.has,
                           withdrawn=archive.is_withdrawn, sort=sort, doc_type=doc_type, date_from=start,
                           date_to=end)
    if as_ndjson:
        from arhiva.archive.registry import ndjson_lines

        for warning in [*caught_up.problems(), *results.warnings]:
            click.echo(f"arhiva: warning: {warning}", err=True)
        for line in ndjson_lines(hit.to_json() for hit in results.hits):
            sys.stdout.buffer.write(line.encode("utf-8"))
        sys.stdout.flush()
        return
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
    if archive.is_withdrawn(full):
        from arhiva.operations import StateError

        raise StateError(f"document {full[:12]} is withdrawn, so it is not searched (arhiva restore {full[:12]} "
                         "brings it back)")
    index, caught_up = current_index(archive)
    results = index.similar(full, archive.text(full), limit=limit, exists=archive.has,
                            withdrawn=archive.is_withdrawn)
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
@click.option("--pdf", "what", flag_value="pdf",
              help="Write the searchable PDF/A copy of a scan (the page images with the cleaned text "
                   "behind them) to stdout: redirect it to a file or a pipe.")
@click.option("--force", is_flag=True,
              help="Show a document even if it fails verification (with a warning); "
                   "write --original or --pdf to a terminal too.")
@json_option
@archive_option()
def show(archive, doc_id: str, what: str | None, force: bool, as_json: bool) -> None:
    """Show one document: its manifest, text, raw text, clean-up changes, original or searchable copy.

    The ID may be abbreviated to its first few hex digits, as in git. The
    document is verified first; one that fails is not shown (exit status 6)
    unless --force is given. --original and --pdf write bytes only to a file
    or a pipe, not to a terminal (unless --force).

    \b
    Examples:
      arhiva show 3fa2c1
      arhiva show 3fa2c1 --text
      arhiva show 3fa2c1 --original > copie.pdf
      arhiva show 3fa2c1 --pdf > cautabil.pdf
      arhiva show 3fa2c1 --changes
    """
    if what in ("original", "pdf") and sys.stdout.isatty() and not force:
        raise click.UsageError(f"--{what} writes the file's bytes: redirect them (> copie.pdf) or pipe them; "
                               "--force writes them to the terminal")
    from arhiva.errors import NotFoundError

    try:
        full = archive.resolve(doc_id)
    except NotFoundError:  # a purged document: its tombstone
        from arhiva.archive.lifecycle import purged

        gone = purged(archive, doc_id)
        if len(gone) != 1:
            raise
        if as_json:
            emit_json(gone[0].to_json())
        else:
            from arhiva.console import describe_tombstone

            click.echo(describe_tombstone(gone[0]))
        return
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
    if what in ("original", "pdf"):
        from arhiva.pdfa.store import copy_name

        name = archive.original_name(full) if what == "original" else copy_name(archive, full)
        data = archive.read_file(full, name)
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
    from arhiva.archive.lifecycle import withdrawal

    doc = catalog.view(archive, full)
    withdrawn = withdrawal(archive, full)
    if as_json:
        extra = {"withdrawn": withdrawn.to_json()} if withdrawn else {}
        emit_json({**doc.manifest.to_json(), "metadata_in_force": dict(doc.metadata), **extra})
        return
    from arhiva.console import describe_document

    click.echo(describe_document(doc, archive.folder(full), withdrawn))


@cli.command("list", epilog=EPILOG_EXIT)
@filter_options
@click.option("--sort", type=click.Choice(["ingested", "date", "-date"]), default="ingested", show_default=True,
              help="Order: by ingest, oldest date first, or newest date first.")
@click.option("--tag", metavar="TAG", help="Only documents with this free tag (arhiva tag ID --add TAG).")
@click.option("--withdrawn", is_flag=True,
              help="Only the withdrawn documents, with when and why (and, without filters, the purged ones).")
@click.option("--csv", "as_csv", is_flag=True,
              help="The registry as CSV for a spreadsheet: id, date, type, number, title, source, pages, tags "
                   "(UTF-8 with BOM, CRLF).")
@click.option("--ndjson", "as_ndjson", is_flag=True, help="The registry as one JSON object per line.")
@json_option
@archive_option()
def list_documents(archive, date_from: str | None, date_to: str | None, doc_type: str | None, sort: str,
                   tag: str | None, withdrawn: bool, as_csv: bool, as_ndjson: bool, as_json: bool) -> None:
    """List the documents in the archive with their date and type.

    Withdrawn documents are not listed, unless --withdrawn. --csv and
    --ndjson export the registry (docs/archive-format.md says how the CSV
    guards against formulas).

    \b
    Examples:
      arhiva list
      arhiva list --type hotărâre --from 2021-01 --to 2021-06 --sort date
      arhiva list --tag buget-2021
      arhiva list --withdrawn
      arhiva list --csv > registru.csv
      arhiva list --json | jq length
    """
    from arhiva.archive import lifecycle, registry
    from arhiva.archive.catalog import listing
    from arhiva.console import list_line, tombstone_line, withdrawn_line

    if as_csv + as_ndjson + as_json > 1:
        raise click.UsageError("give one of --json, --csv and --ndjson")
    if tag:
        from arhiva.errors import InputError
        from arhiva.tags import normalise_tag

        try:
            normalise_tag(tag)
        except InputError as err:
            raise click.BadParameter(str(err), param_hint="--tag") from err
    skipped: list[str] = []
    docs = listing(archive, date_from, date_to, doc_type, sort, skipped=skipped, tag=tag, withdrawn=withdrawn)
    unfiltered = not (date_from or date_to or doc_type or tag)
    gone = lifecycle.tombstones(archive) if withdrawn and unfiltered else []
    if withdrawn:
        rows = [registry.registry_row(doc, lifecycle.withdrawal(archive, doc.id)) for doc in docs]
        rows += [registry.tombstone_row(t) for t in gone]
    else:
        rows = [registry.registry_row(doc) for doc in docs] if as_csv or as_ndjson else []
    if as_csv:
        columns = registry.COLUMNS + (registry.WITHDRAWN_COLUMNS if withdrawn else ())
        for line in registry.csv_lines(rows, columns):
            sys.stdout.buffer.write(line.encode("utf-8"))
        sys.stdout.flush()
    elif as_ndjson:
        for line in registry.ndjson_lines(rows):
            sys.stdout.buffer.write(line.encode("utf-8"))
        sys.stdout.flush()
    elif as_json:
        emit_json(rows if withdrawn else [doc.row() for doc in docs])
    else:
        for doc, row in zip(docs, rows) if withdrawn else ((doc, None) for doc in docs):
            click.echo(withdrawn_line(doc, row) if row else list_line(doc))
        for tombstone in gone:
            click.echo(tombstone_line(tombstone))
    warn_skipped(skipped)


def warn(problem: str | None) -> None:
    """One warning line on standard error, when there is a problem to tell."""
    if problem:
        click.echo(f"arhiva: warning: {problem}", err=True)


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
@click.option("--add", "added", multiple=True, metavar="TAG", callback=checked_tags,
              help="Add a free tag (repeatable): letters, digits and hyphens; case and diacritics do not matter.")
@click.option("--remove", "removed", multiple=True, metavar="TAG", callback=checked_tags,
              help="Remove a free tag (repeatable).")
@json_option
@archive_option()
def tag(archive, doc_id: str, date: str | None, doc_type: str | None, title: str | None,
        cleared: tuple[str, ...], as_json: bool, added: tuple[str, ...] = (), removed: tuple[str, ...] = ()) -> None:
    """Set or correct a document's date, type or title by hand, and its free tags.

    A correction is kept apart from what was extracted, with its history; it
    wins over extraction, also after `arhiva reextract`, and `show` marks it.
    Free tags are kept with the corrections, with their history; they are
    written in lower case without diacritics (Buget 2021 is buget-2021), and
    found with `arhiva search tag:buget-2021` and `arhiva list --tag buget-2021`.

    \b
    Examples:
      arhiva tag 3fa2c1 --date 2021-04-08 --type proces-verbal
      arhiva tag 3fa2c1 --title "Ședința Consiliului Local din 8 aprilie 2021"
      arhiva tag 3fa2c1 --clear date
      arhiva tag 3fa2c1 --add buget-2021 --remove ciorna
    """
    from arhiva.operations import correct

    full = archive.resolve(doc_id)
    fields = {name: value for name, value in (("date", date), ("type", doc_type), ("title", title)) if value}
    fields.update({name: None for name in cleared})
    if not fields and not added and not removed:
        raise click.UsageError("give --date, --type, --title, --clear, --add or --remove")
    if set(added) & set(removed):
        raise click.UsageError(f"the tag {sorted(set(added) & set(removed))[0]} is both added and removed")
    doc, problem = correct(archive, full, fields, added, removed)
    metadata = doc.metadata
    if as_json:
        emit_json({"id": full, "metadata": dict(metadata)})
    else:
        click.echo(f"{full[:12]}  date {metadata.get('date') or '-'}, type {metadata.get('type') or '-'}, "
                   f"title {metadata.get('title') or '-'}  (corrected: {', '.join(doc.corrected) or 'none'})"
                   + (f"  tags: {' '.join(doc.tags)}" if doc.tags or added or removed else ""))
    warn(problem)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id", shell_complete=complete_ids)
@click.option("--reason", required=True, metavar="TEXT", help="Why it is withdrawn (kept in its tombstone).")
@json_option
@archive_option()
def withdraw(archive, doc_id: str, reason: str, as_json: bool) -> None:
    """Take a document out of search, list and similar, keeping its files.

    Its original, texts and manifest stay in the archive and are checked by
    `verify`; a tombstone records when and why, in the journal too. `arhiva
    list --withdrawn` lists withdrawn documents, `arhiva restore` brings one
    back, `arhiva purge` deletes its files for good. Ingesting the same file
    again says it is already in the archive. Exit status 2 when it is
    withdrawn already.

    \b
    Examples:
      arhiva withdraw 3fa2c1 --reason "publicat din greșeală"
      arhiva withdraw 3fa2c1 --reason "date personale" --json
    """
    from arhiva.operations import withdraw as run_withdraw

    full = archive.resolve(doc_id)
    record, problem = run_withdraw(archive, full, reason)
    if as_json:
        emit_json({"id": full, "status": "withdrawn", **record.to_json()})
    else:
        click.echo(f"{full[:12]}  withdrawn {record.withdrawn_at}: {record.reason}")
    warn(problem)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id", shell_complete=complete_ids)
@json_option
@archive_option()
def restore(archive, doc_id: str, as_json: bool) -> None:
    """Bring a withdrawn document back into search and lists.

    Exit status 2 when it is not withdrawn.

    \b
    Examples:
      arhiva list --withdrawn
      arhiva restore 3fa2c1
    """
    from arhiva.console import list_line
    from arhiva.operations import restore as run_restore

    full = archive.resolve(doc_id)
    doc, problem = run_restore(archive, full)
    if as_json:
        emit_json({"id": full, "status": "restored"})
    else:
        click.echo(f"restored: {list_line(doc)}")
    warn(problem)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("doc_id", shell_complete=complete_ids)
@click.option("--yes", is_flag=True, help="Yes, delete its files for good (required).")
@json_option
@archive_option()
def purge(archive, doc_id: str, yes: bool, as_json: bool) -> None:
    """Delete a withdrawn document's files for good, keeping its tombstone.

    Only a withdrawn document can be purged (arhiva withdraw ID --reason
    TEXT first; exit status 2 otherwise). Its original, texts, manifest,
    metadata and corrections are deleted; the journal keeps its tombstone:
    the SHA-256 of the original, the source file's name, the reason and
    when, which `arhiva show ID` and `arhiva list --withdrawn` give, and
    `verify` counts. The same file may be ingested again afterwards.

    \b
    Examples:
      arhiva purge 3fa2c1 --yes
    """
    from arhiva.operations import purge as run_purge

    if not yes:
        raise click.UsageError("purge deletes the document's files for good: add --yes to confirm")
    full = archive.resolve(doc_id)
    tombstone = run_purge(archive, full)
    if as_json:
        emit_json(tombstone.to_json())
    else:
        click.echo(f"{full[:12]}  purged: its files are deleted; the journal keeps its tombstone "
                   f"(entry {tombstone.seq})")


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
    warn(done.index_problem)
    warn_skipped(done.skipped)


@cli.command("rebuild-pdf", epilog=EPILOG_EXIT)
@click.argument("doc_ids", nargs=-1, shell_complete=complete_ids)
@json_option
@archive_option()
def rebuild_pdf(archive, doc_ids: tuple[str, ...], as_json: bool) -> None:
    """Make the searchable PDF copies of scans again (all documents, or the ones given).

    No OCR is run again: each copy is built from the original, the cleaned
    text and the word boxes the archive keeps, by this version of arhiva. A
    copy that comes out the same is left alone; one that differs replaces the
    old one (recorded in the journal). Documents without a copy are passed
    over; one that fails verification is skipped with a warning (exit status 6).

    \b
    Examples:
      arhiva rebuild-pdf
      arhiva rebuild-pdf 3fa2c1 8c25f8
    """
    from arhiva.pdfa.store import rebuild

    ids = [archive.resolve(d) for d in doc_ids] if doc_ids else list(archive.ids())
    done = rebuild(archive, ids)
    if as_json:
        emit_json({"replaced": done.replaced, "unchanged": done.unchanged, "skipped": done.skipped})
    else:
        click.echo(f"searchable copies: {len(done.replaced)} made again, {len(done.unchanged)} already up to date",
                   err=True)
    warn(done.index_problem)
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
@click.option("--pdf", "pdf", is_flag=True,
              help="Also put each scan's searchable PDF copy in the bag's pdf/ folder, as ID.pdf.")
@json_option
@archive_option()
def export(archive, doc_ids: tuple[str, ...], target: Path | None, old_target: Path | None, everything: bool,
           as_json: bool, pdf: bool = False) -> None:
    """Export documents as a BagIt bag (RFC 8493) that any BagIt validator accepts.

    Each document goes in whole: original, page texts, cleaned text, change log,
    manifest, metadata and corrections. A withdrawn document goes with its
    withdrawn.json (when and why), so the bag says it is withdrawn; --all
    includes them. Documents are verified first; a damaged
    one is left out with a warning naming it (exit status 6). The bag is built
    in a new folder beside DIR and renamed to DIR when complete: DIR must not
    exist, and nothing that exists is written into or removed.

    \b
    Examples:
      arhiva export 3fa2c1 8c25f8 --out transfer-2021/
      arhiva export --all --out /media/usb/arhiva-bag
      arhiva export --all --pdf --out bag/      # and bag/data/pdf/ID.pdf for each scan
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
    report = export_bag(archive, ids, target, pdf=pdf)
    withdrawn = [doc_id for doc_id in report.exported if archive.is_withdrawn(doc_id)]
    if as_json:
        emit_json({"bag": str(report.bag) if report.exported else None, "documents": report.exported,
                   "withdrawn": withdrawn, "skipped": report.skipped})
    elif report.exported:
        marked = f" ({len(withdrawn)} withdrawn, each with its withdrawn.json)" if withdrawn else ""
        click.echo(f"exported {len(report.exported)} document(s){marked} to the bag {report.bag}")
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
        gone = ", ".join(x for x in (f"{report.withdrawn} withdrawn" if report.withdrawn else "",
                                     f"{report.purged} purged" if report.purged else "") if x)
        click.echo(f"{plural(report.documents, 'document')}{f' ({gone})' if gone else ''} checked: {state}")
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
@click.option("--workers", type=click.IntRange(min=1), default=None, show_default="one per core, at most 4",
              help="Processes that search, each with its own open index (more than one per core does not help).")
@archive_option()
def serve(archive, host: str, port: int, token: str | None, workers: int | None) -> None:
    """Serve the archive read-only as web pages in Romanian, with a JSON API under /api/.

    \b
    Examples:
      arhiva serve                                  # then open http://127.0.0.1:8080/
      arhiva serve --port 9000
      arhiva serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"
      arhiva serve --workers 4                      # four searches at once (four cores)
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
