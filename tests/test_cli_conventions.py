"""Conventions of the command line: one meaning per option, help that lists what is accepted, no archive
made by a failed command, ingest without Tesseract, shell completion and manual pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

import arhiva.ingest
from arhiva.cli import cli
from arhiva.ingest import detect
from arhiva.ingest.tesseract_install import install_command, package_manager
from arhiva.metadata.corrections import TYPE_NAMES
from tests.test_cli import TEXT, FakeTesseract

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"
#: How ``ingest --help`` names each media type that detect.py accepts.
FORMAT_NAMES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG", "image/tiff": "TIFF",
                "image/jp2": "JPEG 2000", "image/jpx": "JPEG 2000", "image/j2c": "JPEG 2000", "image/bmp": "BMP",
                "image/gif": "GIF", "image/webp": "WebP", "text/plain": "text files"}


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setattr(arhiva.ingest, "TesseractEngine", FakeTesseract)
    monkeypatch.setenv("ARHIVA_HOME", str(tmp_path / "archive"))
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def doc(tmp_path, run):
    path = tmp_path / "comunicat.txt"
    path.write_text(TEXT, "utf-8")
    result = run("ingest", path)
    assert result.exit_code == 0, result.output
    return result.stdout.split()[0]


def test_ingest_help_names_every_accepted_format(run):
    accepted = [media for _, media in detect._SIGNATURES + detect._OTHER_IMAGES] + [detect.TEXT]
    help_text = " ".join(run("ingest", "--help").stdout.split())
    for media in accepted:
        assert FORMAT_NAMES[media] in help_text, media


def test_export_out_and_the_old_to(run, doc, tmp_path):
    result = run("export", "--all", "--out", tmp_path / "bag")
    assert result.exit_code == 0 and result.stderr == ""
    old = run("export", "--all", "--to", tmp_path / "bag2")
    assert old.exit_code == 0 and (tmp_path / "bag2" / "bagit.txt").is_file()
    assert old.stderr == ("arhiva: note: `export --to DIR` is now `export --out DIR` "
                          "(--to is a date in search and list)\n")
    assert "--to" not in run("export", "--help").stdout
    assert run("export", "--all").exit_code == 2
    assert run("export", "--all", "--out", tmp_path / "a", "--to", tmp_path / "b").exit_code == 2


def test_one_meaning_per_option_name():
    """An option name means the same kind of value in every command that has it."""
    ctx = cli.make_context("arhiva", ["list"], resilient_parsing=True)
    kinds: dict[str, set] = {}
    for name in cli.list_commands(ctx):
        for param in cli.get_command(ctx, name).params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and not param.hidden:
                    kinds.setdefault(opt, set()).add((param.is_flag, param.type.name, param.metavar))
    assert kinds["--to"] == {(False, "text", "DATE")}
    assert {opt for opt, seen in kinds.items() if len(seen) > 1} <= {"--type", "--changes", "--date", "--pdf"}
    assert {k[:2] for k in kinds["--type"]} == {(False, "text")}


@pytest.mark.parametrize("command", ["list", "search"])
def test_unknown_type_names_the_known_ones(run, doc, command):
    result = run(command, "--type", "pv")
    assert result.exit_code == 2
    assert "unknown document type 'pv'; known types: comunicat de presă, proces-verbal" in result.stderr
    assert run(command, "--type", "Proces-Verbal", *(["buget"] if command == "search" else [])).exit_code == 0


def test_reindex_json(run, doc):
    result = run("reindex", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == {"indexed": 1, "skipped": []}


@pytest.mark.parametrize("args", [["search", "buget"], ["list"], ["verify"], ["reindex"], ["reextract"],
                                  ["show", "abcd"], ["similar", "abcd"], ["tag", "abcd", "--date", "2021-04-08"],
                                  ["export", "--all", "--out", "{tmp}/bag"]])
def test_a_failed_command_never_creates_an_archive(run, tmp_path, args):
    wrong = tmp_path / "arhvia" / "sub"
    result = run(*[a.format(tmp=tmp_path) for a in args], "--archive", wrong)
    assert result.exit_code == 6 and f"no archive at {wrong}" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_failed_ingest_never_creates_an_archive(run, tmp_path):
    (tmp_path / "gol.txt").write_text("")
    wrong = tmp_path / "nou" / "arhiva"
    result = run("ingest", tmp_path / "gol.txt", tmp_path / "nu-exista.pdf", "--archive", wrong)
    assert result.exit_code == 1 and not (tmp_path / "nou").exists()
    empty = tmp_path / "gol"
    empty.mkdir()
    assert run("ingest", tmp_path / "gol.txt", "--archive", empty).exit_code == 1
    assert list(empty.iterdir()) == []  # a folder that was there stays, as it was
    (tmp_path / "bun.txt").write_text(TEXT, "utf-8")
    assert run("ingest", tmp_path / "gol.txt", tmp_path / "bun.txt", "--archive", wrong).exit_code == 1
    assert (wrong / "arhiva.json").is_file()  # one document archived: the archive is made
    assert run("ingest", tmp_path / "gol.txt", "--archive", wrong).exit_code == 1
    assert run("list", "--archive", wrong).exit_code == 0  # an existing archive is never removed


def no_tesseract_env(tmp_path: Path) -> dict:
    """The environment without Tesseract on the PATH."""
    programs = tmp_path / "programs"
    programs.mkdir(exist_ok=True)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PATH=str(programs), PYTHONPATH=path, OMP_THREAD_LIMIT="1", NO_COLOR="1",
                ARHIVA_HOME=str(tmp_path / "archive"))


def test_ingest_without_tesseract_takes_what_needs_no_ocr(tmp_path):
    env = no_tesseract_env(tmp_path)
    typed = [SAMPLES / "anunt-consultare.pdf", SAMPLES / "comunicat-urbact-ocr.txt"]
    done = subprocess.run([sys.executable, "-m", "arhiva", "ingest", "--json", *typed], env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["ingested"] == 2
    scan = SAMPLES / "proces-verbal-scan.tif"
    mixed = subprocess.run([sys.executable, "-m", "arhiva", "ingest", scan, *typed], env=env, capture_output=True)
    assert mixed.returncode == 3
    lines = mixed.stderr.decode().splitlines()
    assert f"failed: {scan}: 2 of 2 page(s) need OCR, and Tesseract is not installed" in lines
    assert lines[-1].startswith("arhiva: error: Tesseract is not installed; install it: ")
    assert "scripts/setup.sh" not in mixed.stderr.decode()
    assert subprocess.run([sys.executable, "-m", "arhiva", "list"], env=env, capture_output=True).stdout.count(b"\n") == 2


def test_a_scan_alone_without_tesseract_leaves_no_archive(tmp_path):
    env = no_tesseract_env(tmp_path)
    done = subprocess.run([sys.executable, "-m", "arhiva", "ingest", SAMPLES / "proces-verbal-scan.tif"], env=env,
                          capture_output=True)
    assert done.returncode == 3 and not (tmp_path / "archive").exists()


@pytest.mark.parametrize("platform, os_release, command", [
    ("linux", "ID=debian\n", "sudo apt-get install tesseract-ocr tesseract-ocr-ron tesseract-ocr-osd"),
    ("linux", 'ID=linuxmint\nID_LIKE="ubuntu debian"\n', "sudo apt-get install tesseract-ocr tesseract-ocr-ron tesseract-ocr-osd"),
    ("linux", 'ID="fedora"\n', "sudo dnf install tesseract tesseract-langpack-ron tesseract-osd"),
    ("linux", 'ID="almalinux"\nID_LIKE="rhel centos fedora"\n', "sudo dnf install tesseract tesseract-langpack-ron tesseract-osd"),
    ("darwin", None, "brew install tesseract tesseract-lang"),
])
def test_install_command_for_the_users_platform(platform, os_release, command):
    assert install_command(["ron", "osd"], True, package_manager(platform, os_release)) == command


def test_install_command_for_a_missing_model():
    assert install_command(["ron", "eng"], False, "apt") == "sudo apt-get install tesseract-ocr-ron"
    assert install_command(["ron"], False, "brew") == "brew install tesseract-lang"
    assert "tessdata" in install_command(["ron"], True, package_manager("linux", "ID=arch\n"))


def completions(args: list[str], incomplete: str) -> list[str]:
    return [item.value for item in ShellComplete(cli, {}, "arhiva", "_ARHIVA_COMPLETE").get_completions(args, incomplete)]


def test_completion_of_document_ids_and_types(run, doc, tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    for command in ("show", "similar", "tag", "reextract", "export"):
        assert completions(["--archive", str(archive), command], doc[:3]) == [doc]
    monkeypatch.delenv("ARHIVA_HOME")
    assert completions(["show", "--archive", str(archive)], "") == [doc]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert completions(["show"], "") == []  # no archive at the default place
    assert completions(["--archive", str(tmp_path / "nothing"), "show"], "") == []
    assert not (tmp_path / "nothing").exists()
    assert completions(["list", "--type"], "hot") == ["hotărâre"]
    assert completions(["search", "--type"], "") == TYPE_NAMES
    assert completions(["tag", doc, "--type"], "anunt") == ["anunț"]


def test_completion_script_for_bash():
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", "from arhiva.cli import main; main()"], capture_output=True,
                          env=dict(os.environ, _ARHIVA_COMPLETE="bash_source", PYTHONPATH=path), text=True)
    assert done.returncode == 0 and "_arhiva_completion()" in done.stdout and "complete " in done.stdout


def test_manual_pages_are_up_to_date():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_manpages.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (ROOT / "docs" / "man" / "arhiva-search.1").read_text("utf-8")
    assert page.startswith('.TH "ARHIVA-SEARCH" "1"') and ".SH EXIT STATUS" in page


def test_every_command_has_help_with_examples_and_exit_statuses(run):
    ctx = cli.make_context("arhiva", ["list"], resilient_parsing=True)
    for name in cli.list_commands(ctx):
        help_text = run(name, "--help").stdout
        assert "Example" in help_text and "Exit status" in help_text, name
