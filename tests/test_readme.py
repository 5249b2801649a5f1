"""The README's tour, run as it stands against the bundled samples.

Every command of the tour's shell block must succeed, so that the README
cannot drift from the tool. Runs the real Tesseract on the two sample scans.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"


def tour_commands(readme: str) -> list[list[str]]:
    """The commands of the first ``sh`` block after the tour's heading, comments removed.

    >>> tour_commands("## A short tour\\n```sh\\narhiva list   # all\\n```\\n")
    [['arhiva', 'list']]
    """
    section = readme[readme.index("## A short tour"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def run(argv: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    assert argv[0] == "arhiva", argv
    stdout = subprocess.PIPE
    if ">" in argv:
        at = argv.index(">")
        argv, stdout = argv[:at], open(cwd / argv[at + 1], "wb")
    try:
        return subprocess.run([sys.executable, "-m", "arhiva", *argv[1:]], cwd=cwd, env=env,
                              stdout=stdout, stderr=subprocess.PIPE, timeout=600)
    finally:
        if stdout is not subprocess.PIPE:
            stdout.close()


def test_readme_tour_runs_as_written(tmp_path: Path):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    # The code under test is this checkout's, whatever is installed.
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, ARHIVA_HOME=str(tmp_path / "archive"), OMP_THREAD_LIMIT="1", NO_COLOR="1",
               PYTHONPATH=path)
    commands = tour_commands(README.read_text("utf-8"))
    assert len(commands) >= 10
    for argv in commands:
        done = run(argv, tmp_path, env)
        assert done.returncode == 0, (argv, done.stderr.decode("utf-8", "replace"))

    # The original written by `show --original > copie.pdf` is the sample, byte for byte.
    samples = {p.read_bytes() for p in (ROOT / "samples").iterdir()}
    written = {argv[argv.index(">") + 1]: argv for argv in commands if ">" in argv}
    for name, argv in written.items():
        data = (tmp_path / name).read_bytes()
        if "--original" in argv:
            assert data in samples
        elif "--csv" in argv:  # the registry for a spreadsheet: UTF-8 with a BOM, a header, one row a document
            assert data.startswith("\ufeffid,date,type,".encode("utf-8")) and data.count(b"\r\n") >= 2
        elif "--pdf" in argv:  # a searchable copy, not the original
            assert data.startswith(b"%PDF-") and data not in samples

    # The journal head that `verify --json` prints proves the archive with `verify --since`.
    head = json.loads(run(["arhiva", "verify", "--json"], tmp_path, env).stdout)["journal"]["head"]
    assert run(["arhiva", "verify", "--since", head], tmp_path, env).returncode == 0
