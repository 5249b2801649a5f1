"""The real command under a pseudo-terminal: colours only where wanted, no bytes of an original on a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TEXT = "Comunicat de presă\n\nȘedința Consiliului Local a aprobat bugetul pe anul 2021.\n"


def in_terminal(args: list, env: dict) -> tuple[int, bytes]:
    """Run ``arhiva ARGS`` with its standard input, output and error on a new pseudo-terminal."""
    master, slave = os.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "arhiva", *map(str, args)], stdin=slave, stdout=slave,
                                   stderr=slave, env=env, close_fds=True)
    finally:
        os.close(slave)
    chunks = []
    try:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the other end is closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    return process.wait(timeout=300), b"".join(chunks)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("terminal")
    (tmp_path / "comunicat.txt").write_text(TEXT, "utf-8")
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env.update(ARHIVA_HOME=str(tmp_path / "archive"), OMP_THREAD_LIMIT="1", PYTHONPATH=path, TERM="xterm")
    done = subprocess.run([sys.executable, "-m", "arhiva", "ingest", tmp_path / "comunicat.txt"], env=env,
                          capture_output=True)
    assert done.returncode == 0, done.stderr
    return tmp_path, env, done.stdout.split()[0].decode()


def test_colours_on_a_terminal_by_default(setup):
    tmp_path, env, doc = setup
    status, output = in_terminal(["search", "bugetul"], env)
    assert status == 0 and b"\x1b[" in output and doc.encode() in output


@pytest.mark.parametrize("setting", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {"COLOR_OPTION": "never"}])
@pytest.mark.parametrize("args", [["search", "bugetul"], ["search", "bugetul", "--json"], ["list"], ["show", "{doc}"],
                                  ["--help"], ["search", "--help"], ["list", "--type", "pv"], ["show", "ffff0000"],
                                  ["verify"], ["ingest", "{tmp}/nou.txt"]])
def test_no_escape_codes_under_no_color_or_a_dumb_terminal(setup, setting, args):
    tmp_path, env, doc = setup
    (tmp_path / "nou.txt").write_text(TEXT + f"{setting}{args}\n", "utf-8")
    args = [a.format(doc=doc, tmp=tmp_path) for a in args]
    if setting.get("COLOR_OPTION"):
        args += ["--color", setting["COLOR_OPTION"]]
    status, output = in_terminal(args, {**env, **setting})
    assert status in (0, 2, 4), output
    assert b"\x1b" not in output, output
    if args[0] == "ingest":
        assert status == 0 and b"\r[" in output  # the progress bar was shown, without escape codes


def test_no_color_loses_to_color_always(setup):
    tmp_path, env, doc = setup
    status, output = in_terminal(["search", "bugetul", "--color", "always"], {**env, "NO_COLOR": "1"})
    assert status == 0 and b"\x1b[" in output


def test_show_original_refuses_a_terminal_unless_forced(setup):
    tmp_path, env, doc = setup
    status, output = in_terminal(["show", doc, "--original"], env)
    assert status == 2 and b"redirect" in output and "Consiliului".encode() not in output
    status, output = in_terminal(["show", doc, "--original", "--force"], env)
    assert status == 0 and "Consiliului".encode() in output
    piped = subprocess.run([sys.executable, "-m", "arhiva", "show", doc, "--original"], env=env, capture_output=True)
    assert piped.returncode == 0 and piped.stdout == TEXT.encode()
