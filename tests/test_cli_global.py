"""Global options (--archive, --json, -v, --color) before or after every command, with the same effect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import arhiva.ingest
from arhiva.cli import cli
from tests.test_cli import TEXT, FakeTesseract

#: Each command with arguments that make it succeed on an archive holding {doc}.
COMMANDS = {
    "ingest": ["ingest", "{file}"],
    "search": ["search", "bugetul"],
    "similar": ["similar", "{doc}"],
    "show": ["show", "{doc}"],
    "list": ["list"],
    "tag": ["tag", "{doc}", "--title", "Titlu pus de mână"],
    "reextract": ["reextract"],
    "reindex": ["reindex"],
    "verify": ["verify"],
    "export": ["export", "--all", "--out", "{work}/bag-{position}"],
}
#: Commands that report a result, and so take --json.
WITH_JSON = set(COMMANDS) | {"clean"}


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """An archive with one document, reachable only through --archive (no ARHIVA_HOME, an empty default)."""
    monkeypatch.setattr(arhiva.ingest, "TesseractEngine", FakeTesseract)
    monkeypatch.delenv("ARHIVA_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing-here"))
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    path = tmp_path / "comunicat.txt"
    path.write_text(TEXT, "utf-8")
    archive = tmp_path / "archive"
    first = run("--archive", archive, "ingest", path)
    assert first.exit_code == 0, first.output
    return run, archive, first.stdout.split()[0], path, tmp_path


def arguments(command: str, doc: str, path: Path, work: Path, position: str) -> list[str]:
    return [a.format(doc=doc, file=path, work=work, position=position) for a in COMMANDS[command]]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_archive_before_or_after_the_command(setup, command):
    run, archive, doc, path, work = setup
    args = arguments(command, doc, path, work, "before")
    before = run("--archive", archive, *args)
    after = run(*arguments(command, doc, path, work, "after"), "--archive", archive)
    assert (before.exit_code, after.exit_code) == (0, 0), (before.output, after.output)
    if command == "ingest":  # the same archive: the file is in it already
        assert after.stderr == "0 ingested, 1 already in the archive, 0 failed\n"
    elif command == "export":
        assert (work / "bag-before" / "bagit.txt").is_file() and (work / "bag-after" / "bagit.txt").is_file()
    else:
        assert before.stdout == after.stdout
    assert not (work / "nothing-here").exists()  # the default archive was never used


@pytest.mark.parametrize("command", sorted(WITH_JSON))
@pytest.mark.parametrize("position", ["before", "after"])
def test_json_before_or_after_the_command(setup, command, position):
    run, archive, doc, path, work = setup
    args = ["clean", path] if command == "clean" else arguments(command, doc, path, work, position)
    if position == "before":
        result = run("--json", "--archive", archive, *args)
    else:
        result = run(*args, "--json", "--archive", archive)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)


@pytest.mark.parametrize("command", sorted(COMMANDS) + ["clean"])
@pytest.mark.parametrize("options", [["-v"], ["--color", "never"], ["--color", "always"], ["--verbose", "--color", "auto"]])
def test_verbose_and_color_before_or_after_the_command(setup, command, options):
    run, archive, doc, path, work = setup
    args = ["clean", path] if command == "clean" else arguments(command, doc, path, work, "x" + "-".join(options))
    assert run(*options, "--archive", archive, *args).exit_code == 0
    if command == "export":
        args = arguments(command, doc, path, work, "y" + "-".join(options))
    assert run(*args, *options, "--archive", archive).exit_code == 0


def test_serve_takes_the_archive_before_or_after(setup):
    run, archive, doc, path, work = setup
    for args in (["--archive", work / "wrong", "serve"], ["serve", "--archive", work / "wrong"]):
        result = run(*args)
        assert result.exit_code == 6 and result.stderr.startswith(f"arhiva: error: no archive at {work / 'wrong'}")


def test_the_commands_value_wins(setup):
    run, archive, doc, path, work = setup
    assert run("--archive", work / "wrong", "list", "--archive", archive).stdout.startswith(doc)
    assert run("--archive", archive, "list", "--archive", work / "wrong").exit_code == 6
    assert "\x1b[" not in run("--color", "always", "search", "bugetul", "--color", "never", "--archive", archive).stdout
    assert "\x1b[" in run("--color", "never", "search", "bugetul", "--color", "always", "--archive", archive).stdout


def test_color_always_and_never(setup):
    run, archive, doc, path, work = setup
    coloured = run("--archive", archive, "search", "bugetul", "--color", "always").stdout
    assert "\x1b[33m\x1b[1mbugetul\x1b[0m" in coloured
    assert "\x1b[" not in run("--archive", archive, "search", "bugetul", "--color", "never").stdout
    assert "\x1b[" not in run("--archive", archive, "search", "bugetul").stdout  # not a terminal


def test_arhiva_home_is_used_when_no_option_is_given(setup, monkeypatch):
    run, archive, doc, path, work = setup
    monkeypatch.setenv("ARHIVA_HOME", str(archive))
    assert run("list").stdout.startswith(doc)
    assert run("list", "--archive", work / "wrong").exit_code == 6  # the option wins over the variable


@pytest.mark.parametrize("before", [True, False])
def test_verbose_before_or_after_shows_the_traceback(setup, before):
    run, archive, doc, path, work = setup
    args = ["--archive", archive, "show", "ffff0000"]
    result = run("-v", *args) if before else run(*args, "-v")
    assert result.exit_code == 4 and "Traceback" in result.stderr
    assert result.stderr.endswith("arhiva: error: no document with ID ffff0000\n")
    assert "Traceback" not in run(*args).stderr
