"""Every exit status the README documents, produced at least once through the real command line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from arhiva.cli import EPILOG_EXIT
from arhiva.errors import ExitCode

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "samples"
TEXT = "Comunicat de presă\n\nȘedința Consiliului Local a aprobat bugetul pe anul 2021.\n"


def documented_codes(text: str) -> set[int]:
    """The exit statuses of the paragraph that starts with 'Exit status:'.

    >>> sorted(documented_codes("Intro.\\n\\nExit status: `0` fine; `2` usage.\\n\\nOther `7`."))
    [0, 2]
    """
    paragraph = text[text.index("Exit status:"):].split("\n\n")[0]
    return {int(code) for code in re.findall(r"`?\b(\d+)\b`?\s", paragraph)}


def env_for(tmp_path: Path, **extra: str) -> dict:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, ARHIVA_HOME=str(tmp_path / "archive"), OMP_THREAD_LIMIT="1", NO_COLOR="1",
                PYTHONPATH=path, **extra)


def arhiva(*args, env: dict, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "arhiva", *map(str, args)], env=env, input=input,
                          capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive holding one typed text; its ID and the environment that reaches it."""
    tmp_path = tmp_path_factory.mktemp("exit")
    (tmp_path / "comunicat.txt").write_text(TEXT, "utf-8")
    env = env_for(tmp_path)
    done = arhiva("ingest", tmp_path / "comunicat.txt", env=env)
    assert done.returncode == 0, done.stderr
    return tmp_path, env, done.stdout.split()[0].decode()


def test_readme_and_help_document_the_same_codes():
    readme = documented_codes((ROOT / "README.md").read_text("utf-8"))
    assert readme == documented_codes(EPILOG_EXIT) == {0, 1, 2, 3, 4, 5, 6, 130}
    assert {v for k, v in vars(ExitCode).items() if k.isupper()} == readme - {130}


def interrupted(env: dict) -> subprocess.CompletedProcess:
    """``arhiva clean`` waiting for its standard input, then Ctrl-C."""
    # A runner started in the background by a shell without job control ignores Ctrl-C, and its
    # children inherit that: the command gets the terminal's default, as when a person runs it.
    process = subprocess.Popen([sys.executable, "-m", "arhiva", "clean"], env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    syscall = Path(f"/proc/{process.pid}/syscall")
    for _ in range(600):  # until it reads file descriptor 0 (read is 0 on x86-64, 63 on arm64)
        try:
            if syscall.read_text().split()[:2] in (["0", "0x0"], ["63", "0x0"]):
                break
        except OSError:
            pass
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def scenarios(tmp_path: Path, env: dict, doc: str) -> dict[int, tuple[str, subprocess.CompletedProcess]]:
    empty_path = tmp_path / "no-programs"
    empty_path.mkdir(exist_ok=True)
    no_tesseract = dict(env, PATH=str(empty_path))
    return {
        0: ("list", arhiva("list", env=env)),
        1: ("ingest of a missing file", arhiva("ingest", tmp_path / "comunicat.txt", tmp_path / "nu-exista.pdf", env=env)),
        2: ("an impossible date", arhiva("tag", doc, "--date", "2021-02-30", env=env)),
        3: ("a scan without Tesseract", arhiva("ingest", SAMPLES / "proces-verbal-scan.tif", env=no_tesseract)),
        4: ("an unknown ID", arhiva("show", "ffff0000", env=env)),
        5: ("clean of a missing file", arhiva("clean", tmp_path / "nu-exista.txt", env=env)),
        6: ("a mistyped --archive", arhiva("list", "--archive", tmp_path / "arhvia", env=env)),
        130: ("interrupted", interrupted(env)),
    }


def test_every_documented_code_through_the_real_command(archive):
    tmp_path, env, doc = archive
    seen = scenarios(tmp_path, env, doc)
    assert set(seen) == documented_codes((ROOT / "README.md").read_text("utf-8"))
    for code, (what, done) in seen.items():
        assert done.returncode == code, (what, done.returncode, done.stderr.decode())
        if code:  # one line says what went wrong (an interrupt adds its own line)
            assert done.stderr.decode().strip(), what
    assert b"nu-exista.pdf: no such file" in seen[1][1].stderr
    assert b"Invalid value for '--date': '2021-02-30' is not a date" in seen[2][1].stderr
    assert b"arhiva: error: Tesseract is not installed; install it: " in seen[3][1].stderr
    assert seen[4][1].stderr == b"arhiva: error: no document with ID ffff0000\n"
    assert seen[5][1].stderr.startswith(b"arhiva: error: cannot read ") and b"no such file" in seen[5][1].stderr
    assert b"interrupted" in seen[130][1].stderr
    assert not (tmp_path / "arhvia").exists()
